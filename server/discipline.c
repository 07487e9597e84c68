// SPDX-License-Identifier: MIT
/*
 * From stored rows to report entries. The calendar gets the reported units,
 * all their schedules, the holidays and the leave that overlap the evaluated
 * range (1 January of the `to` year, or the first of the `from` month if
 * earlier, up to `to`); each unit gets one rules plan under its profile (a
 * profile file is loaded once however many units name it). Staff come sorted
 * by NIP, and the tap stream is sorted by NIP too, so the two are merged like
 * sorted lists: an employee is evaluated when the stream passes their NIP.
 *
 * The days an employee is held to start on the first local day the collector
 * holds a record (a tap, or an activity) by anyone of their unit (rules.h,
 * first_day; by the kiosk's recorded time, ignoring unset clocks before
 * 2000): without a joining date, a site that started in October must not
 * show everyone as absent since January. A unit without any is not tracked.
 */
#include "server/discipline.h"

#include <assert.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "common/clk.h"
#include "common/log.h"
#include "common/tz.h"
#include "server/calendar.h"
#include "server/db.h"
#include "server/profile.h"
#include "server/rules.h"

#define TAPS_INITIAL	 256
#define SINCE_FLOOR_YEAR CAL_YEAR_MIN /* recorded times before this are unset kiosk clocks */

struct unit_slot {
	struct db_unit row;
	const struct cal_unit *cal;
	const struct profile *profile; /* in struct discipline's profiles */
	struct rules_plan *plan;
	int32_t first_day; /* tracked since (local day) */
	bool has_kept;	   /* someone of the unit is in the evaluation */
};

struct staff_slot {
	char nip[RECORD_NIP_MAX];
	char name[DB_TEXT_MAX];
	char unit_id[DB_UNIT_ID_MAX];
	size_t unit; /* index into units */
	struct rules_employee emp;
};

struct discipline {
	int32_t from, to;    /* the period */
	int32_t first, last; /* every day evaluated (the plan's range) */
	struct calendar *cal;
	struct profile **profiles;
	size_t n_profiles;
	struct unit_slot *units;
	size_t n_units;
	struct report_unit *runits;   /* units[i]'s summary and employees */
	struct report_entry *by_unit; /* the entries grouped by unit, NIP order in each */
	struct rules_summary total;
	struct staff_slot *staff;
	size_t n_staff, cap_staff;
	size_t n_candidates; /* staff the query's unit holds, before keep and view */
	struct rules_period *periods;
	struct report_entry *entries;
	size_t n_entries;
	/* the tap stream's merge state */
	size_t cursor;		/* next staff slot to evaluate */
	struct rules_tap *taps; /* of staff[cursor] */
	size_t n_taps, cap_taps;
	bool is_keeping;	  /* explain: keep staff[0]'s taps instead of evaluating */
	discipline_keep_fn *keep; /* the query's staff filter, or NULL */
	void *keep_arg;
	const struct view *view;   /* the query's, or NULL */
	discipline_day_fn *on_day; /* the query's, or NULL */
	void *on_day_arg;
	const struct rules_employee *day_emp; /* whose days on_day is told */
	char *why;
};

static void set_why(struct discipline *d, const char *fmt, ...) PRINTF_LIKE(2, 3);

static void set_why(struct discipline *d, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(d->why, DISCIPLINE_WHY_MAX, fmt, ap);
	va_end(ap);
}

/* --- arguments --- */

int discipline_parse_period(const char *from, const char *to, int32_t *ret_from, int32_t *ret_to,
			    char *why)
{
	int32_t f, t;

	if (!from || !from[0] || !to || !to[0]) {
		snprintf(why, DISCIPLINE_WHY_MAX,
			 "from and to are required (YYYY-MM-DD; periode wajib diisi)");
		return -EINVAL;
	}
	if (strlen(from) != 10 || tz_parse_date(from, &f) < 0) {
		snprintf(why, DISCIPLINE_WHY_MAX, "from: not a date YYYY-MM-DD: '%.32s'", from);
		return -EINVAL;
	}
	if (strlen(to) != 10 || tz_parse_date(to, &t) < 0) {
		snprintf(why, DISCIPLINE_WHY_MAX, "to: not a date YYYY-MM-DD: '%.32s'", to);
		return -EINVAL;
	}
	if (t < f) {
		snprintf(why, DISCIPLINE_WHY_MAX, "to (%s) is before from (%s)", to, from);
		return -EINVAL;
	}
	if (t - f + 1 > DISCIPLINE_DAYS_MAX) {
		snprintf(why, DISCIPLINE_WHY_MAX, "period of %d days; at most %d", t - f + 1,
			 DISCIPLINE_DAYS_MAX);
		return -EINVAL;
	}
	*ret_from = f;
	*ret_to = t;
	return 0;
}

static const struct {
	const char *name, *type, *ext;
} formats[] = {
    [DISCIPLINE_JSON] = {"json", "application/json", "json"},
    [DISCIPLINE_CSV] = {"csv", "text/csv; charset=utf-8", "csv"},
    [DISCIPLINE_XLSX] = {"xlsx",
			 "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
			 "xlsx"},
};

int discipline_parse_format(const char *text, enum discipline_format *ret_format)
{
	if (!text || !text[0]) {
		*ret_format = DISCIPLINE_JSON;
		return 0;
	}
	for (size_t i = 0; i < ARRAY_SIZE(formats); i++) {
		if (strcmp(text, formats[i].name) == 0) {
			*ret_format = (enum discipline_format)i;
			return 0;
		}
	}
	return -EINVAL;
}

const char *discipline_content_type(enum discipline_format format)
{
	return formats[format].type;
}

const char *discipline_extension(enum discipline_format format)
{
	return formats[format].ext;
}

/* --- loading --- */

static int cmp_unit(const void *a, const void *b)
{
	return strcmp(((const struct unit_slot *)a)->row.unit_id,
		      ((const struct unit_slot *)b)->row.unit_id);
}

/* A reported unit by id (units are sorted once loaded), or NULL. */
static struct unit_slot *unit_find(struct discipline *d, const char *unit_id)
{
	struct unit_slot key;

	if (d->n_units == 0)
		return NULL;
	snprintf(key.row.unit_id, sizeof(key.row.unit_id), "%s", unit_id);
	return bsearch(&key, d->units, d->n_units, sizeof(*d->units), cmp_unit);
}

static int add_unit(const struct db_unit *unit, void *user)
{
	struct discipline *d = user;
	struct unit_slot *grown = realloc(d->units, (d->n_units + 1) * sizeof(*grown));

	if (!grown)
		return -ENOMEM;
	d->units = grown;
	memset(&d->units[d->n_units], 0, sizeof(*grown));
	d->units[d->n_units++].row = *unit;
	return 0;
}

/* A refused row of stored data: its table, key and the calendar's reason. */
static int refused(struct discipline *d, const char *table, const char *key,
		   const struct cfg_diag *diag)
{
	set_why(d, "stored %s '%s' refused: %.160s", table, key, diag->text);
	return -EINVAL;
}

static int add_schedule(const struct db_schedule *s, void *user)
{
	struct discipline *d = user;
	char weekday[4];
	struct cal_schedule_row row = {"schedules",   0,	   s->unit_id,
				       s->valid_from, s->valid_to, weekday,
				       s->start,      s->end,	   s->label};
	struct cfg_diag diag = {.len = 0};
	int r;

	if (!unit_find(d, s->unit_id))
		return 0;
	snprintf(weekday, sizeof(weekday), "%d", s->weekday);
	r = calendar_add_schedule(d->cal, &row, &diag);
	return r == -EINVAL ? refused(d, "schedule of unit", s->unit_id, &diag) : r;
}

static int add_holiday(const struct db_holiday *h, void *user)
{
	struct discipline *d = user;
	struct cal_holiday_row row = {"holidays", 0, h->date, h->name};
	struct cfg_diag diag = {.len = 0};
	int r = calendar_add_holiday(d->cal, &row, &diag);

	return r == -EINVAL ? refused(d, "holiday", h->date, &diag) : r;
}

static int add_leave(const struct db_leave *l, void *user)
{
	struct discipline *d = user;
	struct cal_leave_row row = {"leave", 0,	      l->nip,	    l->from,
				    l->to,   l->code, l->time_from, l->time_to};
	struct cfg_diag diag = {.len = 0};
	int r;

	if (d->is_keeping && strcmp(l->nip, d->staff[0].nip) != 0)
		return 0;
	r = calendar_add_leave(d->cal, &row, &diag);
	return r == -EINVAL ? refused(d, "leave of", l->nip, &diag) : r;
}

static int add_staff(const struct db_staff *s, void *user)
{
	struct discipline *d = user;
	struct unit_slot *unit = unit_find(d, s->unit_id);
	struct staff_slot *slot;

	d->n_candidates++;
	if (d->keep && !d->keep(s->nip, s->unit_id, s->supervisor_nip, d->keep_arg))
		return 0;
	/* Filtered before the evaluation: a search in a big unit evaluates only whom it finds. */
	if (d->view && !view_matches(d->view, s->nip, s->name))
		return 0;
	if (!unit) {
		log_warn("discipline: staff '%s' of undefined unit '%s', ignoring", s->nip,
			 s->unit_id);
		return 0;
	}
	if (d->n_staff == d->cap_staff) {
		size_t cap = d->cap_staff ? d->cap_staff * 2 : 64;
		struct staff_slot *grown = realloc(d->staff, cap * sizeof(*grown));

		if (!grown)
			return -ENOMEM;
		d->staff = grown;
		d->cap_staff = cap;
	}
	slot = &d->staff[d->n_staff++];
	memset(slot, 0, sizeof(*slot));
	snprintf(slot->nip, sizeof(slot->nip), "%s", s->nip);
	snprintf(slot->name, sizeof(slot->name), "%s", s->name);
	snprintf(slot->unit_id, sizeof(slot->unit_id), "%s", s->unit_id);
	slot->unit = (size_t)(unit - d->units);
	slot->emp.allowance = s->allowance;
	unit->has_kept = true;
	return 0;
}

static int cmp_staff(const void *a, const void *b)
{
	return strcmp(((const struct staff_slot *)a)->nip, ((const struct staff_slot *)b)->nip);
}

static int load_calendar(struct discipline *d, struct db *db)
{
	char first[TZ_DATE_MAX], last[TZ_DATE_MAX];
	const char *unit_id = d->n_units == 1 ? d->units[0].row.unit_id : NULL;
	struct db_org_query q = {.unit_id = unit_id, .from = first, .to = last};
	struct cfg_diag diag = {.len = 0};
	int r;

	r = calendar_new(&d->cal);
	if (r < 0)
		return r;
	for (size_t i = 0; i < d->n_units; i++) {
		struct db_unit *u = &d->units[i].row;
		struct cal_unit_row row = {"units", 0, u->unit_id, u->timezone, true};

		r = calendar_add_unit(d->cal, &row, &diag);
		if (r == -EINVAL)
			return refused(d, "unit", u->unit_id, &diag);
		if (r < 0)
			return r;
	}
	tz_format_date(d->first, first);
	tz_format_date(d->last, last);
	r = db_schedules(db, &(struct db_org_query){.unit_id = unit_id}, add_schedule, d);
	if (r == 0)
		r = db_holidays(db, &q, add_holiday, d);
	if (r == 0)
		r = db_leave(db, &q, add_leave, d);
	if (r < 0)
		return r;
	r = calendar_seal(d->cal, &diag);
	if (r == -EINVAL) {
		set_why(d, "stored calendar refused: %.200s", diag.text);
		return r;
	}
	for (size_t i = 0; i < d->n_units; i++)
		d->units[i].cal = calendar_unit(d->cal, d->units[i].row.unit_id);
	return r;
}

/* Each unit's profile (loaded once per name) and rules plan. */
static int load_plans(struct discipline *d, const char *profiles_dir)
{
	for (size_t i = 0; i < d->n_units; i++) {
		struct unit_slot *u = &d->units[i];
		struct cfg_diag diag = {.len = 0};
		struct profile *p = NULL;
		int r;

		for (size_t k = 0; k < d->n_profiles && !u->profile; k++)
			if (strcmp(d->profiles[k]->name, u->row.profile) == 0)
				u->profile = d->profiles[k];
		if (!u->profile) {
			struct profile **grown =
			    realloc(d->profiles, (d->n_profiles + 1) * sizeof(*grown));

			if (!grown)
				return -ENOMEM;
			d->profiles = grown;
			r = profile_load_named(profiles_dir, u->row.profile, &p, &diag);
			if (r < 0) {
				set_why(d, "unit '%s': profile '%s': %.160s", u->row.unit_id,
					u->row.profile, diag.text);
				return r == -ENOMEM ? r : -EINVAL;
			}
			d->profiles[d->n_profiles++] = p;
			u->profile = p;
		}
		r = rules_plan_new(d->cal, u->cal, u->profile, d->from, d->to, &u->plan);
		if (r < 0)
			return r;
	}
	return 0;
}

static int unit_since(const char *unit_id, int64_t usec, void *user)
{
	struct discipline *d = user;
	struct unit_slot *u = unit_find(d, unit_id);
	int32_t day, sec;

	if (!u)
		return 0;
	tz_local(cal_unit_tz(u->cal), usec / CLK_USEC_PER_SEC, &day, &sec);
	u->first_day = day;
	return 0;
}

/* Whether the query's filter kept few enough to read them one person (or unit) at a time. */
static bool few_kept(const struct discipline *d)
{
	return d->n_staff * 4 <= d->n_candidates;
}

static int load_since(struct discipline *d, struct db *db, const char *unit_id)
{
	int64_t floor = (int64_t)tz_days_from_civil(SINCE_FLOOR_YEAR, 1, 1) * CAL_DAY_SECONDS *
			CLK_USEC_PER_SEC;
	int r = 0;

	for (size_t i = 0; i < d->n_units; i++)
		d->units[i].first_day = d->to + 1; /* no tap yet: nothing tracked */
	if (unit_id || !few_kept(d))
		return db_unit_first_taps(db, unit_id, floor, unit_since, d);
	/* A unit's first tap is by any of its staff, kept or not; but only kept units matter. */
	for (size_t i = 0; i < d->n_units && r == 0; i++)
		if (d->units[i].has_kept)
			r = db_unit_first_taps(db, d->units[i].row.unit_id, floor, unit_since, d);
	return r;
}

static int load(struct discipline *d, struct db *db, const char *profiles_dir,
		const struct discipline_query *q)
{
	const char *unit_id = q->unit_id && q->unit_id[0] ? q->unit_id : NULL;
	struct db_staff one;
	int y, m, day, r;

	d->from = q->from;
	d->to = q->to;
	d->keep = q->keep;
	d->keep_arg = q->keep_arg;
	d->view = q->view;
	d->on_day = q->on_day;
	d->on_day_arg = q->on_day_arg;
	tz_civil_from_days(q->to, &y, &m, &day);
	d->first = tz_days_from_civil(y, 1, 1);
	tz_civil_from_days(q->from, &y, &m, &day);
	if (tz_days_from_civil(y, m, 1) < d->first)
		d->first = tz_days_from_civil(y, m, 1);
	d->last = q->to;
	if (d->is_keeping) {
		r = db_staff_get(db, q->nip, &one);
		if (r == -ENOENT)
			set_why(d, "NIP '%s' unknown (NIP tidak dikenal)", q->nip);
		if (r < 0)
			return r;
		unit_id = one.unit_id;
	}
	r = db_units(db, &(struct db_org_query){.unit_id = unit_id}, add_unit, d);
	if (r < 0)
		return r;
	if (d->n_units > 1)
		qsort(d->units, d->n_units, sizeof(*d->units), cmp_unit);
	if (unit_id && d->n_units == 0) {
		set_why(d, "unit '%s' unknown (unit tidak dikenal)", unit_id);
		return -ENOENT;
	}
	if (d->is_keeping)
		r = add_staff(&one, d);
	else
		r = db_staff_brief(db, unit_id, add_staff, d);
	if (r < 0)
		return r;
	if (d->n_staff > 1)
		qsort(d->staff, d->n_staff, sizeof(*d->staff), cmp_staff);
	r = load_calendar(d, db);
	if (r == 0)
		r = load_plans(d, profiles_dir);
	if (r == 0)
		r = load_since(d, db, unit_id);
	return r;
}

/* --- evaluation over the tap stream --- */

static void employee_of(struct discipline *d, struct staff_slot *s)
{
	struct unit_slot *u = &d->units[s->unit];

	s->emp.nip = s->nip;
	s->emp.name = s->name;
	s->emp.unit_id = s->unit_id;
	s->emp.leaves = calendar_leaves(d->cal, s->nip, &s->emp.n_leaves);
	s->emp.first_day = u->first_day;
	s->emp.last_day = 0;
}

/* The rules' per-day callback, with the employee added for the query's. */
static void tell_day(const struct rules_day *day, void *user)
{
	struct discipline *d = user;

	d->on_day(d->day_emp, day, d->on_day_arg);
}

/* Evaluate staff[cursor] with the taps gathered, and move on. */
static int flush(struct discipline *d)
{
	struct staff_slot *s = &d->staff[d->cursor];
	size_t i = d->cursor;
	int r;

	employee_of(d, s);
	d->day_emp = &s->emp;
	r = rules_eval_period(d->units[s->unit].plan, &s->emp, d->taps, d->n_taps,
			      d->on_day ? tell_day : NULL, d, &d->periods[i]);
	if (r < 0) {
		set_why(d, "employee '%s': %s", s->nip,
			r == -EINVAL ? "stored leave or allowance refused" : strerror(-r));
		return r == -ENOMEM ? r : -EINVAL;
	}
	d->entries[i] = (struct report_entry){&s->emp, &d->periods[i]};
	d->cursor++;
	d->n_taps = 0;
	return 0;
}

static int on_tap(const char *nip, int64_t usec, const char *direction, void *user)
{
	struct discipline *d = user;
	int r;

	while (d->cursor < d->n_staff && strcmp(d->staff[d->cursor].nip, nip) < 0) {
		if (d->is_keeping)
			return 0;
		r = flush(d);
		if (r < 0)
			return r;
	}
	if (d->cursor == d->n_staff || strcmp(d->staff[d->cursor].nip, nip) != 0)
		return 0; /* not (or no longer) on the staff list */
	if (d->n_taps == d->cap_taps) {
		size_t cap = d->cap_taps ? d->cap_taps * 2 : TAPS_INITIAL;
		struct rules_tap *grown = realloc(d->taps, cap * sizeof(*grown));

		if (!grown)
			return -ENOMEM;
		d->taps = grown;
		d->cap_taps = cap;
	}
	d->taps[d->n_taps++] = (struct rules_tap){
	    .usec = usec,
	    .dir = strcmp(direction, "in") == 0	   ? RULES_DIR_IN
		   : strcmp(direction, "out") == 0 ? RULES_DIR_OUT
						   : RULES_DIR_ANY,
	};
	return 0;
}

/* Every tap that can fall on a local day of [first, last] in any zone (UTC-12…+14). */
static int stream_taps(struct discipline *d, struct db *db, const char *unit_id, const char *nip)
{
	struct db_tap_range q = {
	    .unit_id = unit_id,
	    .nip = nip,
	    .from_usec = ((int64_t)d->first - 1) * CAL_DAY_SECONDS * CLK_USEC_PER_SEC,
	    .to_usec = ((int64_t)d->last + 2) * CAL_DAY_SECONDS * CLK_USEC_PER_SEC,
	};

	return db_accepted_taps(db, &q, on_tap, d);
}

/*
 * A supervisor's people, or a search in a big unit: a few of many. Their taps
 * one person at a time (records_nip answers each) rather than the whole
 * stream with most of it skipped; the per-person queries cost more per tap,
 * so only when fewer than a quarter are kept.
 */
static int stream_kept_taps(struct discipline *d, struct db *db, const char *unit_id)
{
	int r = 0;

	if (!few_kept(d))
		return stream_taps(d, db, unit_id, NULL);
	for (size_t i = 0; i < d->n_staff && r == 0; i++)
		r = stream_taps(d, db, NULL, d->staff[i].nip);
	return r;
}

static struct discipline *discipline_new(char *why)
{
	struct discipline *d = calloc(1, sizeof(*d));

	if (d) {
		d->why = why;
		why[0] = '\0';
	}
	return d;
}

/*
 * Group the entries by unit (a counting sort: stable, so NIP order stays
 * within a unit) and add up each unit's periods, from the one evaluation.
 */
static int make_units(struct discipline *d)
{
	size_t *next = calloc(d->n_units + 1, sizeof(*next));
	int r = -ENOMEM;

	d->runits = calloc(d->n_units ? d->n_units : 1, sizeof(*d->runits));
	d->by_unit = calloc(d->n_entries ? d->n_entries : 1, sizeof(*d->by_unit));
	if (!next || !d->runits || !d->by_unit)
		goto out_free;
	for (size_t i = 0; i < d->n_entries; i++)
		next[d->staff[i].unit + 1]++;
	for (size_t u = 0; u < d->n_units; u++) {
		const struct unit_slot *slot = &d->units[u];

		d->runits[u] = (struct report_unit){
		    .unit_id = slot->row.unit_id,
		    .name = slot->row.name,
		    .timezone = slot->row.timezone,
		    .profile = slot->profile->name,
		    .entries = d->by_unit + next[u],
		    .n_entries = next[u + 1],
		};
		next[u + 1] += next[u];
	}
	for (size_t i = 0; i < d->n_entries; i++) {
		struct report_unit *u = &d->runits[d->staff[i].unit];

		d->by_unit[next[d->staff[i].unit]++] = d->entries[i];
		rules_summary_add(&u->summary, d->entries[i].period);
		rules_summary_add(&d->total, d->entries[i].period);
	}
	for (size_t u = 0; u < d->n_units; u++)
		rules_summary_finish(&d->runits[u].summary);
	rules_summary_finish(&d->total);
	r = 0;

out_free:
	free(next);
	return r;
}

/* The entries, and each unit's, into the view's order (sums do not depend on it). */
static void sort_view(struct discipline *d)
{
	view_sort(d->view, d->entries, d->n_entries);
	for (size_t u = 0; u < d->n_units; u++)
		view_sort(d->view, d->by_unit + (d->runits[u].entries - d->by_unit),
			  d->runits[u].n_entries);
}

int discipline_run(struct db *db, const char *profiles_dir, const struct discipline_query *q,
		   struct discipline **ret, char *why)
{
	const char *unit_id = q->unit_id && q->unit_id[0] ? q->unit_id : NULL;
	struct discipline *d = discipline_new(why);
	int r;

	if (!d)
		return -ENOMEM;
	r = load(d, db, profiles_dir, q);
	if (r < 0)
		goto out_free;
	d->periods = calloc(d->n_staff ? d->n_staff : 1, sizeof(*d->periods));
	d->entries = calloc(d->n_staff ? d->n_staff : 1, sizeof(*d->entries));
	r = d->periods && d->entries ? 0 : -ENOMEM;
	if (r == 0)
		r = stream_kept_taps(d, db, unit_id);
	while (r == 0 && d->cursor < d->n_staff)
		r = flush(d);
	if (r == 0) {
		d->n_entries = d->n_staff;
		r = make_units(d);
	}
	if (r == 0 && d->view)
		sort_view(d);
	if (r < 0)
		goto out_free;
	FREE_AND_NULL(d->taps);
	*ret = d;
	return 0;

out_free:
	if (r != -EINVAL && r != -ENOENT && !why[0])
		snprintf(why, DISCIPLINE_WHY_MAX, "%s", strerror(-r));
	discipline_free(d);
	return r;
}

int discipline_explain(struct db *db, const char *profiles_dir, const struct discipline_query *q,
		       json_t **ret_json, char *why)
{
	struct discipline *d = discipline_new(why);
	struct staff_slot *s;
	int r;

	if (!d)
		return -ENOMEM;
	d->is_keeping = true;
	r = load(d, db, profiles_dir, q);
	if (r == 0)
		r = stream_taps(d, db, NULL, q->nip);
	if (r == 0) {
		s = &d->staff[0];
		employee_of(d, s);
		r = report_explain_json(d->units[s->unit].plan, &s->emp, d->taps, d->n_taps,
					ret_json);
		if (r == -EINVAL)
			set_why(d, "employee '%s': stored leave or allowance refused", s->nip);
	}
	discipline_free(d);
	return r;
}

void discipline_free(struct discipline *d)
{
	if (!d)
		return;
	for (size_t i = 0; i < d->n_units; i++)
		rules_plan_free(d->units[i].plan);
	for (size_t i = 0; i < d->n_profiles; i++)
		profile_free(d->profiles[i]);
	calendar_free(d->cal);
	free(d->profiles);
	free(d->units);
	free(d->runits);
	free(d->by_unit);
	free(d->staff);
	free(d->periods);
	free(d->entries);
	free(d->taps);
	free(d);
}

const struct report_entry *discipline_entries(const struct discipline *d, size_t *ret_n)
{
	*ret_n = d->n_entries;
	return d->entries;
}

const struct report_unit *discipline_units(const struct discipline *d, size_t *ret_n)
{
	*ret_n = d->n_units;
	return d->runits;
}

const struct rules_summary *discipline_total(const struct discipline *d)
{
	return &d->total;
}

/* --- formats --- */

/* Through a memory stream: what would be a file is a buffer of the same bytes. */
int discipline_format(const struct discipline *d, enum discipline_report report,
		      enum discipline_format format, const json_t *extra, char **ret_data,
		      size_t *ret_len)
{
	char *data = NULL;
	size_t len = 0;
	FILE *out;
	int r;

	if (report == DISCIPLINE_PAGE && format != DISCIPLINE_JSON)
		return view_table(d->entries, d->n_entries, format == DISCIPLINE_XLSX, ret_data,
				  ret_len);
	if (format == DISCIPLINE_XLSX)
		return xlsx_discipline(d->from, d->to, d->runits, d->n_units, &d->total, ret_data,
				       ret_len);
	out = open_memstream(&data, &len);
	if (!out)
		return -ENOMEM;
	if (report == DISCIPLINE_UNITS && format == DISCIPLINE_CSV)
		r = report_units_csv(out, d->runits, d->n_units);
	else if (report == DISCIPLINE_UNITS)
		r = report_units_json_write(out, d->from, d->to, d->runits, d->n_units, &d->total,
					    extra);
	else if (format == DISCIPLINE_CSV)
		r = report_discipline_csv(out, d->entries, d->n_entries);
	else
		r = report_discipline_json_write(out, d->from, d->to, d->entries, d->n_entries,
						 extra);
	if (fclose(out) != 0 && r == 0)
		r = -ENOMEM;
	if (r < 0) {
		free(data);
		return r;
	}
	*ret_data = data;
	*ret_len = len;
	return 0;
}

int discipline_table(enum discipline_format format, const char *sheet, const char *const *headers,
		     size_t n_cols, size_t n_rows, report_row_fn *row, const void *user,
		     char **ret_data, size_t *ret_len)
{
	assert(format != DISCIPLINE_JSON);
	if (format == DISCIPLINE_XLSX)
		return xlsx_table(sheet, headers, n_cols, n_rows, row, user, ret_data, ret_len);
	return report_csv_table(headers, n_cols, n_rows, row, user, ret_data, ret_len);
}
