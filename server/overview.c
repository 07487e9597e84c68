// SPDX-License-Identifier: MIT
/*
 * The overview in three steps: look at the store and drop what changed
 * (look()), take each wanted unit's figures from the cache, evaluate the
 * missing ones — one unit at a time when they are few, in one evaluation
 * over all units otherwise — and keep them. Units are "slots" of one answer,
 * sorted by id; the per-day callback finds an employee's slot once per
 * employee, not once per day.
 *
 * The cache is a hash table of entries (unit, from, to) chained per bucket,
 * and a list from the most to the least recently used; one lock covers it
 * and the marks of what was seen in the store.
 */
#include "server/overview.h"

#include <errno.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "common/clk.h"
#include "server/audit.h"

#define BUCKETS		 8192	/* a power of two, twice OVERVIEW_ENTRIES_MAX */
#define SCAN_MAX	 200000 /* new records past which everything is dropped unlooked-at */
#define AUDIT_SLACK_USEC (300 * CLK_USEC_PER_SEC) /* audit entries may commit this late */
#define UNIT_RUNS_MAX	 8 /* missing units evaluated one by one; more: one evaluation */

struct entry {
	struct overview_unit row;
	int32_t from, to;
	int64_t computed_usec;
	struct overview_day *days; /* to - from + 1 */
	struct entry *newer, *older;
	struct entry *next; /* in its bucket */
};

struct unit_count {
	char unit_id[DB_UNIT_ID_MAX]; /* first: sorted and found with cmp_id() */
	int64_t n;
};

/* A growing list of units and counts (or units alone, n unused). */
struct counts {
	struct unit_count *items;
	size_t n, cap;
};

/* A rule profile's file as last seen. */
struct stamp {
	char name[DB_PROFILE_MAX];
	struct stat st; /* st_ino 0: missing */
};

struct overview {
	pthread_mutex_t lock;
	struct entry *buckets[BUCKETS];
	struct entry *newest, *oldest;
	size_t n_entries, max_entries;
	/* What the last look saw; nothing until is_watching. */
	bool is_watching;
	int64_t record_id;  /* the newest record */
	int64_t audit_id;   /* the newest import in the audit log */
	int64_t audit_usec; /* when the audit log was read */
	struct unit_count *uncorrected;
	size_t n_uncorrected;
	struct stamp *stamps;
	size_t n_stamps;
};

double overview_rate(int64_t on_time, int64_t working)
{
	return working > 0 ? (double)on_time / (double)working : -1.0;
}

/* --- the cache --- */

int overview_new(size_t max_entries, struct overview **ret_overview)
{
	struct overview *ov = calloc(1, sizeof(*ov));

	if (!ov)
		return -ENOMEM;
	ov->max_entries = max_entries ? max_entries : 1;
	if (pthread_mutex_init(&ov->lock, NULL) != 0) {
		free(ov);
		return -ENOMEM;
	}
	*ret_overview = ov;
	return 0;
}

static size_t bucket_of(const char *unit_id, int32_t from, int32_t to)
{
	uint64_t h = 1469598103934665603ULL; /* FNV-1a */

	for (const char *p = unit_id; *p; p++)
		h = (h ^ (unsigned char)*p) * 1099511628211ULL;
	h = (h ^ (uint32_t)from) * 1099511628211ULL;
	h = (h ^ (uint32_t)to) * 1099511628211ULL;
	return (size_t)(h & (BUCKETS - 1));
}

static struct entry *entry_find(struct overview *ov, const char *unit_id, int32_t from, int32_t to)
{
	for (struct entry *e = ov->buckets[bucket_of(unit_id, from, to)]; e; e = e->next)
		if (e->from == from && e->to == to && strcmp(e->row.unit_id, unit_id) == 0)
			return e;
	return NULL;
}

static void lru_unlink(struct overview *ov, struct entry *e)
{
	if (e->newer)
		e->newer->older = e->older;
	else
		ov->newest = e->older;
	if (e->older)
		e->older->newer = e->newer;
	else
		ov->oldest = e->newer;
	e->newer = e->older = NULL;
}

static void lru_push(struct overview *ov, struct entry *e)
{
	e->older = ov->newest;
	e->newer = NULL;
	if (ov->newest)
		ov->newest->newer = e;
	else
		ov->oldest = e;
	ov->newest = e;
}

static void entry_drop(struct overview *ov, struct entry *e)
{
	struct entry **link = &ov->buckets[bucket_of(e->row.unit_id, e->from, e->to)];

	while (*link != e)
		link = &(*link)->next;
	*link = e->next;
	lru_unlink(ov, e);
	ov->n_entries--;
	free(e->days);
	free(e);
}

static void drop_all(struct overview *ov)
{
	while (ov->oldest)
		entry_drop(ov, ov->oldest);
}

/* Anything whose first member is a unit id, or the id itself. */
static int cmp_id(const void *a, const void *b)
{
	return strcmp(a, b);
}

/* Drop every period of the units in dirty (sorted). */
static void drop_units(struct overview *ov, const struct counts *dirty)
{
	struct entry *e = ov->oldest, *newer;

	if (dirty->n == 0)
		return;
	for (; e; e = newer) {
		newer = e->newer;
		if (bsearch(e->row.unit_id, dirty->items, dirty->n, sizeof(*dirty->items), cmp_id))
			entry_drop(ov, e);
	}
}

/* Keep e (owned by the cache from here), making room by dropping the least recently used. */
static void entry_keep(struct overview *ov, struct entry *e)
{
	size_t b = bucket_of(e->row.unit_id, e->from, e->to);

	while (ov->n_entries >= ov->max_entries)
		entry_drop(ov, ov->oldest);
	e->next = ov->buckets[b];
	ov->buckets[b] = e;
	lru_push(ov, e);
	ov->n_entries++;
}

void overview_free(struct overview *ov)
{
	if (!ov)
		return;
	drop_all(ov);
	pthread_mutex_destroy(&ov->lock);
	free(ov->uncorrected);
	free(ov->stamps);
	free(ov);
}

/* --- looking at the store --- */

static int add_count(const char *unit_id, int64_t n, void *user)
{
	struct counts *c = user;

	if (c->n == c->cap) {
		size_t cap = c->cap ? c->cap * 2 : 16;
		struct unit_count *grown = realloc(c->items, cap * sizeof(*grown));

		if (!grown)
			return -ENOMEM;
		c->items = grown;
		c->cap = cap;
	}
	snprintf(c->items[c->n].unit_id, DB_UNIT_ID_MAX, "%s", unit_id);
	c->items[c->n++].n = n;
	return 0;
}

/* Units whose count of uncorrected records is not what it was: their times were corrected. */
static int look_uncorrected(struct overview *ov, struct db *db, struct counts *dirty)
{
	struct counts now = {.items = NULL};
	size_t i = 0, k = 0;
	int r;

	r = db_uncorrected_units(db, add_count, &now);
	if (r < 0)
		goto out_free;
	if (now.n > 1)
		qsort(now.items, now.n, sizeof(*now.items), cmp_id);
	/* A merge of two sorted lists: a unit in one only, or with another count, changed. */
	while (ov->is_watching && r == 0 && (i < ov->n_uncorrected || k < now.n)) {
		int c = i == ov->n_uncorrected ? 1
			: k == now.n	       ? -1
				     : strcmp(ov->uncorrected[i].unit_id, now.items[k].unit_id);

		if (c < 0)
			r = add_count(ov->uncorrected[i++].unit_id, 0, dirty);
		else if (c > 0)
			r = add_count(now.items[k++].unit_id, 0, dirty);
		else if (ov->uncorrected[i++].n != now.items[k++].n)
			r = add_count(now.items[k - 1].unit_id, 0, dirty);
	}
	if (r < 0)
		goto out_free;
	free(ov->uncorrected);
	ov->uncorrected = now.items;
	ov->n_uncorrected = now.n;
	return 0;

out_free:
	free(now.items);
	return r;
}

struct audit_look {
	int64_t after_id, max_id;
	bool has_import; /* of organisation data, after after_id */
};

static int on_audit(const struct db_audit *e, void *arg)
{
	struct audit_look *a = arg;

	if (e->id <= a->after_id)
		return 0;
	if (e->id > a->max_id)
		a->max_id = e->id;
	/* Taps are records (seen by id); plans are not in the figures. */
	if (strcmp(e->target, "taps") != 0 && strcmp(e->target, "plans") != 0)
		a->has_import = true;
	return 0;
}

/* Whether organisation data was imported since the last look. */
static int look_audit(struct overview *ov, struct db *db, int64_t now_usec, bool *ret_changed)
{
	struct audit_look a = {.after_id = ov->audit_id, .max_id = ov->audit_id};
	struct db_audit_query q = {
	    .from_usec = (ov->is_watching ? ov->audit_usec : now_usec) - AUDIT_SLACK_USEC,
	    .to_usec = INT64_MAX,
	    .action = AUDIT_IMPORT,
	};
	int r = db_audit(db, &q, on_audit, &a);

	if (r < 0)
		return r;
	ov->audit_id = a.max_id;
	ov->audit_usec = now_usec;
	*ret_changed = a.has_import;
	return 0;
}

static void stat_profile(const char *dir, const char *name, struct stat *ret_st)
{
	char path[4096];

	memset(ret_st, 0, sizeof(*ret_st));
	/* The file profile_load_named() reads. */
	if (snprintf(path, sizeof(path), "%s/%s.conf", dir, name) < (int)sizeof(path) &&
	    stat(path, ret_st) < 0)
		memset(ret_st, 0, sizeof(*ret_st));
}

static bool stat_same(const struct stat *a, const struct stat *b)
{
	return a->st_ino == b->st_ino && a->st_dev == b->st_dev && a->st_size == b->st_size &&
	       a->st_mtim.tv_sec == b->st_mtim.tv_sec && a->st_mtim.tv_nsec == b->st_mtim.tv_nsec;
}

/* Whether a profile file the cache's figures used changed (the stamps are renewed). */
static bool look_profiles(struct overview *ov, const char *dir)
{
	bool is_changed = false;

	for (size_t i = 0; i < ov->n_stamps; i++) {
		struct stat st;

		stat_profile(dir, ov->stamps[i].name, &st);
		if (!stat_same(&st, &ov->stamps[i].st)) {
			ov->stamps[i].st = st;
			is_changed = true;
		}
	}
	return is_changed;
}

/* Remember the profile name's file as it is before figures are computed with it. */
static int stamp_profile(struct overview *ov, const char *dir, const char *name)
{
	struct stamp *grown;

	for (size_t i = 0; i < ov->n_stamps; i++)
		if (strcmp(ov->stamps[i].name, name) == 0)
			return 0;
	grown = realloc(ov->stamps, (ov->n_stamps + 1) * sizeof(*grown));
	if (!grown)
		return -ENOMEM;
	ov->stamps = grown;
	snprintf(grown[ov->n_stamps].name, DB_PROFILE_MAX, "%s", name);
	stat_profile(dir, name, &grown[ov->n_stamps].st);
	ov->n_stamps++;
	return 0;
}

/*
 * Drop what changed since the last look. Records are looked through only when
 * something is cached (else there is nothing to drop); the first look only
 * sets the marks. On failure everything is dropped and the next look starts
 * afresh.
 */
static int look(struct overview *ov, struct db *db, const char *profiles_dir, int64_t now_usec)
{
	struct counts dirty = {.items = NULL};
	bool is_all = false, is_imported = false;
	int64_t last;
	int r;

	r = db_record_last(db, &last);
	if (r == 0 && ov->is_watching && ov->n_entries > 0 && last > ov->record_id) {
		if (last - ov->record_id > SCAN_MAX)
			is_all = true;
		else
			r = db_record_units(db, ov->record_id, last, add_count, &dirty);
	}
	if (r == 0)
		r = look_uncorrected(ov, db, &dirty);
	if (r == 0)
		r = look_audit(ov, db, now_usec, &is_imported);
	if (r < 0) {
		drop_all(ov);
		ov->is_watching = false;
		goto out_free;
	}
	ov->record_id = last;
	if (look_profiles(ov, profiles_dir) || (ov->is_watching && is_imported) || is_all) {
		drop_all(ov);
	} else {
		if (dirty.n > 1)
			qsort(dirty.items, dirty.n, sizeof(*dirty.items), cmp_id);
		drop_units(ov, &dirty);
	}
	ov->is_watching = true;

out_free:
	free(dirty.items);
	return r;
}

/* --- answering --- */

/* A unit of one answer. */
struct slot {
	struct db_unit unit;
	bool is_wanted;	 /* in the answer */
	bool is_missing; /* to be evaluated */
	struct overview_unit row;
	struct overview_day *days; /* of the units evaluated or taken from the cache */
	int64_t computed_usec;
};

struct answer {
	const struct overview_query *q;
	size_t n_days;
	struct slot *slots; /* every unit, by id */
	size_t n_slots, cap_slots;
	/* The per-day callback's memory of whose slot it last found. */
	const struct rules_employee *last_emp;
	struct slot *last_slot;
};

static int add_slot(const struct db_unit *unit, void *user)
{
	struct answer *a = user;

	if (a->n_slots == a->cap_slots) {
		size_t cap = a->cap_slots ? a->cap_slots * 2 : 64;
		struct slot *grown = realloc(a->slots, cap * sizeof(*grown));

		if (!grown)
			return -ENOMEM;
		a->slots = grown;
		a->cap_slots = cap;
	}
	memset(&a->slots[a->n_slots], 0, sizeof(*a->slots));
	a->slots[a->n_slots++].unit = *unit;
	return 0;
}

static int cmp_slot(const void *a, const void *b)
{
	return strcmp(((const struct slot *)a)->unit.unit_id,
		      ((const struct slot *)b)->unit.unit_id);
}

static struct slot *slot_find(struct answer *a, const char *unit_id)
{
	if (a->n_slots == 0)
		return NULL;
	/* The key's unit_id is its first member, as in a slot. */
	return bsearch(unit_id, a->slots, a->n_slots, sizeof(*a->slots), cmp_id);
}

static int slot_days(struct answer *a, struct slot *s)
{
	if (!s->days)
		s->days = calloc(a->n_days, sizeof(*s->days));
	return s->days ? 0 : -ENOMEM;
}

static void count_day(const struct rules_employee *emp, const struct rules_day *day, void *arg)
{
	struct answer *a = arg;
	struct slot *s;
	size_t i = (size_t)(day->cal.day - a->q->from);

	if (emp != a->last_emp) {
		a->last_emp = emp;
		a->last_slot = slot_find(a, emp->unit_id);
	}
	s = a->last_slot;
	if (!s || !s->days || i >= a->n_days)
		return;
	s->days[i].working += rules_day_is_required(day);
	s->days[i].on_time += rules_day_is_compliant(day);
}

/* A unit's figures from its part of an evaluation. */
static void fill_row(struct slot *s, const struct report_unit *u, int64_t now_usec)
{
	struct overview_unit *row = &s->row;

	snprintf(row->unit_id, sizeof(row->unit_id), "%s", s->unit.unit_id);
	snprintf(row->name, sizeof(row->name), "%s", s->unit.name);
	row->staff = (int64_t)u->summary.head_count;
	row->working_days = u->summary.required_days;
	row->on_time_days = u->summary.compliant_days;
	row->tk_days = u->summary.tk_days;
	row->deduction = u->summary.deduction_amount;
	row->at_threshold = (int64_t)u->summary.n_sanctioned;
	row->late_days = row->early_days = 0;
	for (size_t i = 0; i < u->n_entries; i++) {
		for (int t = 0; t < PROFILE_TIERS; t++) {
			row->late_days += u->entries[i].period->tl[t];
			row->early_days += u->entries[i].period->psw[t];
		}
	}
	s->computed_usec = now_usec;
}

static bool keep_missing(const char *nip, const char *unit_id, const char *supervisor_nip,
			 void *arg)
{
	struct slot *s = slot_find(arg, unit_id);

	(void)nip;
	(void)supervisor_nip;
	return s && s->is_missing;
}

/*
 * One evaluation: of unit_id alone, or of every unit with keep. Fills the
 * rows of the slots it evaluates (missing ones; with the caller's keep, those
 * with anyone kept, which become wanted).
 */
static int evaluate(struct answer *a, struct db *db, const char *profiles_dir, const char *unit_id,
		    discipline_keep_fn *keep, void *keep_arg, int64_t now_usec, char *why)
{
	struct discipline_query dq = {
	    .from = a->q->from,
	    .to = a->q->to,
	    .unit_id = unit_id,
	    .keep = keep,
	    .keep_arg = keep_arg,
	    .on_day = count_day,
	    .on_day_arg = a,
	};
	bool is_callers = keep && keep == a->q->keep;
	const struct report_unit *units;
	struct discipline *d;
	size_t n;
	int r;

	a->last_emp = NULL; /* addresses of the last evaluation's employees may come again */
	r = discipline_run(db, profiles_dir, &dq, &d, why);
	if (r < 0)
		return r;
	units = discipline_units(d, &n);
	for (size_t i = 0; i < n; i++) {
		struct slot *s = slot_find(a, units[i].unit_id);

		if (!s || (is_callers ? units[i].n_entries == 0 : !s->is_missing))
			continue;
		fill_row(s, &units[i], now_usec);
		s->is_wanted = true;
	}
	discipline_free(d);
	return 0;
}

/* Take the wanted units' figures from the cache; the others are missing. */
static int from_cache(struct overview *ov, struct answer *a, size_t *ret_missing)
{
	size_t n_missing = 0;

	for (size_t i = 0; i < a->n_slots; i++) {
		struct slot *s = &a->slots[i];
		struct entry *e;

		if (!s->is_wanted)
			continue;
		if (slot_days(a, s) < 0)
			return -ENOMEM;
		e = ov ? entry_find(ov, s->unit.unit_id, a->q->from, a->q->to) : NULL;
		if (!e) {
			s->is_missing = true;
			n_missing++;
			continue;
		}
		s->row = e->row;
		s->computed_usec = e->computed_usec;
		memcpy(s->days, e->days, a->n_days * sizeof(*s->days));
		lru_unlink(ov, e);
		lru_push(ov, e);
	}
	*ret_missing = n_missing;
	return 0;
}

/* Keep the figures just evaluated. A failure only means they are not cached. */
static void to_cache(struct overview *ov, struct answer *a)
{
	for (size_t i = 0; ov && i < a->n_slots; i++) {
		struct slot *s = &a->slots[i];
		struct entry *e;

		if (!s->is_missing)
			continue;
		e = calloc(1, sizeof(*e));
		if (e)
			e->days = malloc(a->n_days * sizeof(*e->days));
		if (!e || !e->days) {
			free(e);
			return;
		}
		e->row = s->row;
		e->from = a->q->from;
		e->to = a->q->to;
		e->computed_usec = s->computed_usec;
		memcpy(e->days, s->days, a->n_days * sizeof(*e->days));
		entry_keep(ov, e);
	}
}

/* Whole units: from the cache, the missing ones evaluated. */
static int answer_units(struct overview *ov, struct answer *a, struct db *db,
			const char *profiles_dir, int64_t now_usec, char *why)
{
	size_t n_missing = 0;
	int r = 0;

	for (size_t i = 0; i < a->n_slots; i++)
		a->slots[i].is_wanted =
		    !a->q->unit_ok || a->q->unit_ok(a->slots[i].unit.unit_id, a->q->arg);
	r = from_cache(ov, a, &n_missing);
	for (size_t i = 0; ov && r == 0 && i < a->n_slots; i++)
		if (a->slots[i].is_missing)
			r = stamp_profile(ov, profiles_dir, a->slots[i].unit.profile);
	if (r < 0 || n_missing == 0)
		return r;
	if (n_missing > UNIT_RUNS_MAX)
		return evaluate(a, db, profiles_dir, NULL, keep_missing, a, now_usec, why);
	for (size_t i = 0; r == 0 && i < a->n_slots; i++)
		if (a->slots[i].is_missing)
			r = evaluate(a, db, profiles_dir, a->slots[i].unit.unit_id, NULL, NULL,
				     now_usec, why);
	return r;
}

/* The wanted slots as the result. */
static int collect(const struct answer *a, struct overview_result *ret)
{
	size_t n = 0;

	ret->units = calloc(a->n_slots ? a->n_slots : 1, sizeof(*ret->units));
	ret->days = calloc(a->n_days, sizeof(*ret->days));
	if (!ret->units || !ret->days)
		return -ENOMEM;
	for (size_t i = 0; i < a->n_slots; i++) {
		const struct slot *s = &a->slots[i];

		if (!s->is_wanted)
			continue;
		ret->units[n++] = s->row;
		if (s->is_missing)
			ret->n_computed++;
		if (s->computed_usec < ret->computed_usec)
			ret->computed_usec = s->computed_usec;
		for (size_t d = 0; s->days && d < a->n_days; d++) {
			ret->days[d].working += s->days[d].working;
			ret->days[d].on_time += s->days[d].on_time;
		}
	}
	ret->n_units = n;
	return 0;
}

static int answer(struct overview *ov, struct answer *a, struct db *db, const char *profiles_dir,
		  int64_t now_usec, struct overview_result *ret, char *why)
{
	int r;

	if (ov) {
		r = look(ov, db, profiles_dir, now_usec);
		if (r < 0) {
			snprintf(why, DISCIPLINE_WHY_MAX, "%s", strerror(-r));
			return r;
		}
	}
	r = db_units(db, &(struct db_org_query){.unit_id = NULL}, add_slot, a);
	if (r < 0) {
		snprintf(why, DISCIPLINE_WHY_MAX, "%s", strerror(-r));
		return r;
	}
	if (a->n_slots > 1)
		qsort(a->slots, a->n_slots, sizeof(*a->slots), cmp_slot);
	if (a->q->keep) {
		/* Anyone's units may hold someone kept: every slot gets days to count. */
		for (size_t i = 0; i < a->n_slots; i++)
			if (slot_days(a, &a->slots[i]) < 0)
				return -ENOMEM;
		r = evaluate(a, db, profiles_dir, NULL, a->q->keep, a->q->arg, now_usec, why);
		for (size_t i = 0; i < a->n_slots; i++)
			a->slots[i].is_missing = a->slots[i].is_wanted;
	} else {
		r = answer_units(ov, a, db, profiles_dir, now_usec, why);
		if (r == 0)
			to_cache(ov, a);
	}
	if (r == 0)
		r = collect(a, ret);
	return r;
}

int overview_get(struct overview *ov, struct db *db, const char *profiles_dir,
		 const struct overview_query *q, int64_t now_usec, struct overview_result *ret,
		 char *why)
{
	struct answer a = {.q = q, .n_days = (size_t)(q->to - q->from + 1)};
	int r;

	why[0] = '\0';
	memset(ret, 0, sizeof(*ret));
	ret->from = q->from;
	ret->to = q->to;
	ret->computed_usec = now_usec;
	if (ov)
		pthread_mutex_lock(&ov->lock);
	r = answer(ov, &a, db, profiles_dir, now_usec, ret, why);
	if (ov)
		pthread_mutex_unlock(&ov->lock);
	for (size_t i = 0; i < a.n_slots; i++)
		free(a.slots[i].days);
	free(a.slots);
	if (r < 0)
		overview_result_done(ret);
	return r;
}

void overview_result_done(struct overview_result *r)
{
	FREE_AND_NULL(r->units);
	FREE_AND_NULL(r->days);
	r->n_units = 0;
}
