// SPDX-License-Identifier: MIT
/*
 * The working calendar: rows in, validated one by one (each problem named by
 * source, line and field), then sealed — sorted for binary search and
 * cross-checked — and from then on read-only. Zones are loaded once per name
 * and shared by every unit that uses them.
 */
#include "server/calendar.h"

#include <assert.h>
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common/tz.h"

#define CAL_SOURCE_MAX 128

struct sched {
	int32_t from_day, to_day; /* inclusive */
	int weekday;		  /* 1 = Monday … 7 = Sunday */
	int32_t start_sec, end_sec;
	char label[CAL_NAME_MAX];
	unsigned order; /* of addition: the later of two equal ranges wins */
	unsigned line;
};

struct cal_unit {
	char id[CAL_ID_MAX];
	const struct tz *tz;
	bool has_national_default;
	struct sched *scheds;
	size_t n_scheds, cap_scheds;
	unsigned line;
};

struct holiday {
	int32_t day;
	char name[CAL_NAME_MAX];
	char source[CAL_SOURCE_MAX];
	unsigned line;
};

struct leave_entry {
	char nip[CAL_ID_MAX];
	struct cal_leave leave;
	char source[CAL_SOURCE_MAX];
	unsigned line;
};

struct calendar {
	bool is_sealed;
	struct tz **zones;
	size_t n_zones;
	struct cal_unit **units; /* sorted by id once sealed */
	size_t n_units;
	struct holiday *holidays; /* sorted by day once sealed */
	size_t n_holidays;
	struct leave_entry *entries; /* sorted by nip, from_day once sealed */
	struct cal_leave *leaves;    /* entries[i].leave, packed, once sealed */
	size_t n_leaves;
	unsigned n_scheds; /* schedule rows ever added, for sched.order */
};

static const char *const leave_names[CAL_LEAVE_COUNT] = {
    "", "CT", "CB", "CS", "CM", "CAP", "CLTN", "DL", "TB", "I", "S", "FWA", "WFH",
};

/* KemenPANRB 6/2018: Mon–Thu 07:30–16:00, Fri 07:30–16:30; the widest range, so any row wins. */
static const struct sched national_default[] = {
    {INT32_MIN, INT32_MAX, 1, 27000, 57600, "nasional", 0, 0},
    {INT32_MIN, INT32_MAX, 2, 27000, 57600, "nasional", 0, 0},
    {INT32_MIN, INT32_MAX, 3, 27000, 57600, "nasional", 0, 0},
    {INT32_MIN, INT32_MAX, 4, 27000, 57600, "nasional", 0, 0},
    {INT32_MIN, INT32_MAX, 5, 27000, 59400, "nasional", 0, 0},
};

PRINTF_LIKE(2, 3)
static void diag_add(struct cfg_diag *diag, const char *fmt, ...)
{
	va_list ap;
	int n;

	diag->n_errors++;
	if (diag->len >= sizeof(diag->text) - 1)
		return;
	va_start(ap, fmt);
	n = vsnprintf(diag->text + diag->len, sizeof(diag->text) - diag->len, fmt, ap);
	va_end(ap);
	if (n < 0)
		return;
	diag->len += (size_t)n;
	if (diag->len >= sizeof(diag->text))
		diag->len = sizeof(diag->text) - 1;
}

#define ROW_FAIL(row, diag, field, ...)                                                            \
	row_fail((row)->source, (row)->line, diag, field, __VA_ARGS__)

PRINTF_LIKE(5, 6)
static void row_fail(const char *source, unsigned line, struct cfg_diag *diag, const char *field,
		     const char *fmt, ...)
{
	char why[256];
	va_list ap;

	va_start(ap, fmt);
	(void)vsnprintf(why, sizeof(why), fmt, ap);
	va_end(ap);
	diag_add(diag, "%s:%u: %s: %s\n", source ? source : "-", line, field, why);
}

static bool is_blank(const char *s)
{
	return !s || !*s;
}

/* Copy a required identifier field; false (and a message) when empty or too long. */
static bool take_id(const char *source, unsigned line, struct cfg_diag *diag, const char *field,
		    const char *value, char *out, size_t size)
{
	if (is_blank(value)) {
		row_fail(source, line, diag, field, "required");
		return false;
	}
	if (strlen(value) >= size) {
		row_fail(source, line, diag, field, "longer than %zu characters", size - 1);
		return false;
	}
	memcpy(out, value, strlen(value) + 1);
	return true;
}

static bool take_date(const char *source, unsigned line, struct cfg_diag *diag, const char *field,
		      const char *value, int32_t *ret_day)
{
	int32_t lo = tz_days_from_civil(CAL_YEAR_MIN, 1, 1);
	int32_t hi = tz_days_from_civil(CAL_YEAR_MAX, 12, 31);

	if (is_blank(value) || tz_parse_date(value, ret_day) < 0) {
		row_fail(source, line, diag, field, "not a date (YYYY-MM-DD): '%s'",
			 value ? value : "");
		return false;
	}
	if (*ret_day < lo || *ret_day > hi) {
		row_fail(source, line, diag, field, "'%s' is outside the years %d-%d", value,
			 CAL_YEAR_MIN, CAL_YEAR_MAX);
		return false;
	}
	return true;
}

static bool take_clock(const char *source, unsigned line, struct cfg_diag *diag, const char *field,
		       const char *value, int32_t *ret_sec)
{
	if (is_blank(value) || tz_parse_clock(value, ret_sec) < 0) {
		row_fail(source, line, diag, field, "not a time (HH:MM): '%s'", value ? value : "");
		return false;
	}
	return true;
}

static int grow(void **array, size_t *cap, size_t n, size_t size)
{
	size_t new_cap;
	void *p;

	if (n < *cap)
		return 0;
	new_cap = *cap ? *cap * 2 : 16;
	p = reallocarray(*array, new_cap, size);
	if (!p)
		return -ENOMEM;
	*array = p;
	*cap = new_cap;
	return 0;
}

int calendar_new(struct calendar **ret_cal)
{
	struct calendar *cal = calloc(1, sizeof(*cal));

	if (!cal)
		return -ENOMEM;
	*ret_cal = cal;
	return 0;
}

void calendar_free(struct calendar *cal)
{
	if (!cal)
		return;
	for (size_t i = 0; i < cal->n_units; i++) {
		free(cal->units[i]->scheds);
		free(cal->units[i]);
	}
	free(cal->units);
	for (size_t i = 0; i < cal->n_zones; i++)
		tz_free(cal->zones[i]);
	free(cal->zones);
	free(cal->holidays);
	free(cal->entries);
	free(cal->leaves);
	free(cal);
}

static struct cal_unit *find_unit(const struct calendar *cal, const char *id)
{
	if (cal->is_sealed) {
		size_t lo = 0, hi = cal->n_units;

		while (lo < hi) {
			size_t mid = lo + (hi - lo) / 2;
			int c = strcmp(cal->units[mid]->id, id);

			if (c == 0)
				return cal->units[mid];
			if (c < 0)
				lo = mid + 1;
			else
				hi = mid;
		}
		return NULL;
	}
	for (size_t i = 0; i < cal->n_units; i++)
		if (strcmp(cal->units[i]->id, id) == 0)
			return cal->units[i];
	return NULL;
}

/* The zone called name, loaded on first use and shared after. */
static int zone_get(struct calendar *cal, const char *name, const struct tz **ret_tz)
{
	struct tz *tz, **zones;
	int r;

	for (size_t i = 0; i < cal->n_zones; i++) {
		if (strcmp(tz_name(cal->zones[i]), name) == 0) {
			*ret_tz = cal->zones[i];
			return 0;
		}
	}
	r = tz_load(name, &tz);
	if (r < 0)
		return r;
	zones = reallocarray(cal->zones, cal->n_zones + 1, sizeof(*zones));
	if (!zones) {
		tz_free(tz);
		return -ENOMEM;
	}
	cal->zones = zones;
	cal->zones[cal->n_zones++] = tz;
	*ret_tz = tz;
	return 0;
}

int calendar_add_unit(struct calendar *cal, const struct cal_unit_row *row, struct cfg_diag *diag)
{
	struct cal_unit *unit, **units;
	const struct cal_unit *other;
	int r;

	assert(!cal->is_sealed);
	unit = calloc(1, sizeof(*unit));
	if (!unit)
		return -ENOMEM;
	if (!take_id(row->source, row->line, diag, "unit_id", row->unit_id, unit->id,
		     sizeof(unit->id))) {
		r = -EINVAL;
		goto out_free;
	}
	other = find_unit(cal, unit->id);
	if (other) {
		ROW_FAIL(row, diag, "unit_id", "'%s' already defined on line %u", unit->id,
			 other->line);
		r = -EINVAL;
		goto out_free;
	}
	r = is_blank(row->timezone) ? -EINVAL : zone_get(cal, row->timezone, &unit->tz);
	if (r == -ENOMEM)
		goto out_free;
	if (r < 0) {
		ROW_FAIL(row, diag, "timezone",
			 "unknown zone '%s' (an IANA name, e.g. Asia/Jakarta)",
			 row->timezone ? row->timezone : "");
		r = -EINVAL;
		goto out_free;
	}
	units = reallocarray(cal->units, cal->n_units + 1, sizeof(*units));
	if (!units) {
		r = -ENOMEM;
		goto out_free;
	}
	unit->has_national_default = row->has_national_default;
	unit->line = row->line;
	cal->units = units;
	cal->units[cal->n_units++] = unit;
	return 0;

out_free:
	free(unit);
	return r;
}

int calendar_add_schedule(struct calendar *cal, const struct cal_schedule_row *row,
			  struct cfg_diag *diag)
{
	unsigned errors = diag->n_errors;
	struct cal_unit *unit = NULL;
	struct sched s = {.line = row->line};
	bool has_from, has_to;
	char *end = NULL;
	long wd;

	assert(!cal->is_sealed);
	if (is_blank(row->unit_id))
		ROW_FAIL(row, diag, "unit_id", "required");
	else if (!(unit = find_unit(cal, row->unit_id)))
		ROW_FAIL(row, diag, "unit_id", "unknown unit '%s'", row->unit_id);
	has_from =
	    take_date(row->source, row->line, diag, "valid_from", row->valid_from, &s.from_day);
	has_to = take_date(row->source, row->line, diag, "valid_to", row->valid_to, &s.to_day);
	if (has_from && has_to && s.to_day < s.from_day)
		ROW_FAIL(row, diag, "valid_to", "'%s' is before valid_from '%s'", row->valid_to,
			 row->valid_from);
	wd = is_blank(row->weekday) ? 0 : strtol(row->weekday, &end, 10);
	if (wd < 1 || wd > 7 || *end)
		ROW_FAIL(row, diag, "weekday", "not 1 (Monday) to 7 (Sunday): '%s'",
			 row->weekday ? row->weekday : "");
	s.weekday = (int)wd;
	has_from = take_clock(row->source, row->line, diag, "start", row->start, &s.start_sec);
	has_to = take_clock(row->source, row->line, diag, "end", row->end, &s.end_sec);
	if (has_from && has_to && s.end_sec <= s.start_sec)
		ROW_FAIL(row, diag, "end", "'%s' is not after start '%s'", row->end, row->start);
	if (!is_blank(row->label) && strlen(row->label) >= sizeof(s.label))
		ROW_FAIL(row, diag, "label", "longer than %zu characters", sizeof(s.label) - 1);
	if (diag->n_errors != errors || !unit)
		return -EINVAL;

	for (size_t i = 0; i < unit->n_scheds; i++) {
		const struct sched *o = &unit->scheds[i];

		if (o->weekday == s.weekday && o->from_day == s.from_day && o->to_day == s.to_day) {
			ROW_FAIL(row, diag, "weekday",
				 "unit '%s' already has hours for weekday %d from %s to %s "
				 "(line %u)",
				 unit->id, s.weekday, row->valid_from, row->valid_to, o->line);
			return -EINVAL;
		}
	}
	if (grow((void **)&unit->scheds, &unit->cap_scheds, unit->n_scheds, sizeof(s)) < 0)
		return -ENOMEM;
	if (!is_blank(row->label))
		memcpy(s.label, row->label, strlen(row->label) + 1);
	s.order = ++cal->n_scheds;
	unit->scheds[unit->n_scheds++] = s;
	return 0;
}

int calendar_add_holiday(struct calendar *cal, const struct cal_holiday_row *row,
			 struct cfg_diag *diag)
{
	struct holiday h = {.line = row->line};
	size_t cap = cal->n_holidays;
	struct holiday *p;

	assert(!cal->is_sealed);
	if (!take_date(row->source, row->line, diag, "date", row->date, &h.day) ||
	    !take_id(row->source, row->line, diag, "name", row->name, h.name, sizeof(h.name)))
		return -EINVAL;
	snprintf(h.source, sizeof(h.source), "%s", row->source ? row->source : "-");
	/* Grow by one: holiday lists are tens of rows a year. */
	p = reallocarray(cal->holidays, cap + 1, sizeof(*p));
	if (!p)
		return -ENOMEM;
	cal->holidays = p;
	cal->holidays[cal->n_holidays++] = h;
	return 0;
}

int calendar_add_leave(struct calendar *cal, const struct cal_leave_row *row, struct cfg_diag *diag)
{
	unsigned errors = diag->n_errors;
	struct leave_entry e = {.line = row->line};
	struct cal_leave *l = &e.leave;
	bool has_from_time = !is_blank(row->time_from), has_to_time = !is_blank(row->time_to);
	struct leave_entry *p;
	bool has_from, has_to;

	assert(!cal->is_sealed);
	(void)take_id(row->source, row->line, diag, "nip", row->nip, e.nip, sizeof(e.nip));
	has_from = take_date(row->source, row->line, diag, "from", row->from, &l->from_day);
	has_to = take_date(row->source, row->line, diag, "to", row->to, &l->to_day);
	if (has_from && has_to && l->to_day < l->from_day)
		ROW_FAIL(row, diag, "to", "'%s' is before from '%s'", row->to, row->from);
	if (is_blank(row->code) || cal_leave_code_parse(row->code, &l->code) < 0)
		ROW_FAIL(row, diag, "code",
			 "unknown leave code '%s' (CT, CB, CS, CM, CAP, CLTN, DL, TB, I, S, "
			 "FWA, WFH)",
			 row->code ? row->code : "");
	l->from_sec = 0;
	l->to_sec = CAL_DAY_SECONDS;
	if (has_from_time)
		(void)take_clock(row->source, row->line, diag, "time_from", row->time_from,
				 &l->from_sec);
	if (has_to_time)
		(void)take_clock(row->source, row->line, diag, "time_to", row->time_to, &l->to_sec);
	if (diag->n_errors != errors)
		return -EINVAL;
	if ((has_from_time || has_to_time) && l->from_day != l->to_day) {
		ROW_FAIL(row, diag, has_from_time ? "time_from" : "time_to",
			 "part of a day only for a one-day record (from %s to %s)", row->from,
			 row->to);
		return -EINVAL;
	}
	if (l->to_sec <= l->from_sec) {
		ROW_FAIL(row, diag, "time_to", "'%s' is not after time_from '%s'",
			 has_to_time ? row->time_to : "24:00",
			 has_from_time ? row->time_from : "00:00");
		return -EINVAL;
	}
	snprintf(e.source, sizeof(e.source), "%s", row->source ? row->source : "-");
	p = reallocarray(cal->entries, cal->n_leaves + 1, sizeof(*p));
	if (!p)
		return -ENOMEM;
	cal->entries = p;
	cal->entries[cal->n_leaves++] = e;
	return 0;
}

static int cmp_unit(const void *a, const void *b)
{
	const struct cal_unit *const *x = a, *const *y = b;

	return strcmp((*x)->id, (*y)->id);
}

static int cmp_holiday(const void *a, const void *b)
{
	const struct holiday *x = a, *y = b;

	if (x->day != y->day)
		return x->day < y->day ? -1 : 1;
	return x->line < y->line ? -1 : x->line > y->line;
}

static int cmp_entry(const void *a, const void *b)
{
	const struct leave_entry *x = a, *y = b;
	int c = strcmp(x->nip, y->nip);

	if (c)
		return c;
	if (x->leave.from_day != y->leave.from_day)
		return x->leave.from_day < y->leave.from_day ? -1 : 1;
	return x->line < y->line ? -1 : x->line > y->line;
}

int calendar_seal(struct calendar *cal, struct cfg_diag *diag)
{
	unsigned errors = diag->n_errors;

	assert(!cal->is_sealed);
	/* qsort() wants a non-NULL base even for zero elements. */
	if (cal->n_units)
		qsort(cal->units, cal->n_units, sizeof(*cal->units), cmp_unit);
	if (cal->n_holidays)
		qsort(cal->holidays, cal->n_holidays, sizeof(*cal->holidays), cmp_holiday);
	for (size_t i = 1; i < cal->n_holidays; i++) {
		const struct holiday *h = &cal->holidays[i], *prev = &cal->holidays[i - 1];

		if (h->day == prev->day) {
			char date[TZ_DATE_MAX];

			tz_format_date(h->day, date);
			row_fail(h->source, h->line, diag, "date",
				 "%s is already a holiday ('%s', line %u)", date, prev->name,
				 prev->line);
		}
	}

	if (cal->n_leaves)
		qsort(cal->entries, cal->n_leaves, sizeof(*cal->entries), cmp_entry);
	for (size_t i = 1, reach = 0; i < cal->n_leaves; i++) {
		const struct leave_entry *e = &cal->entries[i], *far;

		/*
		 * Sorted by start: a record overlaps an earlier one of the same
		 * employee exactly when it starts before the furthest end so far.
		 */
		if (strcmp(e->nip, cal->entries[i - 1].nip) != 0) {
			reach = i;
			continue;
		}
		far = &cal->entries[reach];
		if (e->leave.from_day <= far->leave.to_day)
			row_fail(e->source, e->line, diag, "from",
				 "leave of %s overlaps the %s record on line %u", e->nip,
				 leave_names[far->leave.code], far->line);
		if (e->leave.to_day > far->leave.to_day)
			reach = i;
	}
	if (diag->n_errors != errors)
		return -EINVAL;

	cal->leaves = calloc(cal->n_leaves ? cal->n_leaves : 1, sizeof(*cal->leaves));
	if (!cal->leaves)
		return -ENOMEM;
	for (size_t i = 0; i < cal->n_leaves; i++)
		cal->leaves[i] = cal->entries[i].leave;
	cal->is_sealed = true;
	return 0;
}

const struct cal_unit *calendar_unit(const struct calendar *cal, const char *unit_id)
{
	return find_unit(cal, unit_id);
}

const char *cal_unit_id(const struct cal_unit *unit)
{
	return unit->id;
}

const struct tz *cal_unit_tz(const struct cal_unit *unit)
{
	return unit->tz;
}

const struct cal_leave *calendar_leaves(const struct calendar *cal, const char *nip, size_t *ret_n)
{
	size_t lo = 0, hi = cal->n_leaves, first;

	assert(cal->is_sealed);
	/* The first entry whose nip is not below nip. */
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;

		if (strcmp(cal->entries[mid].nip, nip) < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	first = lo;
	while (lo < cal->n_leaves && strcmp(cal->entries[lo].nip, nip) == 0)
		lo++;
	*ret_n = lo - first;
	return lo > first ? &cal->leaves[first] : NULL;
}

static const struct holiday *holiday_on(const struct calendar *cal, int32_t day)
{
	size_t lo = 0, hi = cal->n_holidays;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;

		if (cal->holidays[mid].day == day)
			return &cal->holidays[mid];
		if (cal->holidays[mid].day < day)
			lo = mid + 1;
		else
			hi = mid;
	}
	return NULL;
}

/* Narrower range first, then the later start, then the row added later. */
static bool sched_beats(const struct sched *a, const struct sched *b)
{
	int64_t wa = (int64_t)a->to_day - a->from_day, wb = (int64_t)b->to_day - b->from_day;

	if (wa != wb)
		return wa < wb;
	if (a->from_day != b->from_day)
		return a->from_day > b->from_day;
	return a->order > b->order;
}

static const struct sched *sched_on(const struct cal_unit *unit, int32_t day, int weekday)
{
	const struct sched *best = NULL;

	for (size_t i = 0; i < unit->n_scheds; i++) {
		const struct sched *s = &unit->scheds[i];

		if (s->weekday != weekday || day < s->from_day || day > s->to_day)
			continue;
		if (!best || sched_beats(s, best))
			best = s;
	}
	if (!best && unit->has_national_default && weekday <= 5)
		best = &national_default[weekday - 1];
	return best;
}

const struct cal_leave *cal_leave_on(const struct cal_leave *leaves, size_t n_leaves, int32_t day)
{
	for (size_t i = 0; i < n_leaves; i++)
		if (leaves[i].from_day <= day && day <= leaves[i].to_day)
			return &leaves[i];
	return NULL;
}

void calendar_day(const struct calendar *cal, const struct cal_unit *unit,
		  const struct cal_leave *leaves, size_t n_leaves, int32_t day,
		  struct cal_day *ret_day)
{
	struct cal_day d = {.day = day, .weekday = tz_weekday(day), .schedule = ""};
	const struct holiday *h;
	const struct sched *s;

	assert(cal->is_sealed);
	d.leave = cal_leave_on(leaves, n_leaves, day);
	h = holiday_on(cal, day);
	s = sched_on(unit, day, d.weekday);
	if (h) {
		d.off = CAL_OFF_HOLIDAY;
		d.holiday = h->name;
	} else if (!s) {
		d.off = d.weekday >= 6 ? CAL_OFF_WEEKEND : CAL_OFF_NO_SCHEDULE;
	} else {
		d.is_working = true;
		d.start_sec = s->start_sec;
		d.end_sec = s->end_sec;
		d.schedule = s->label;
	}
	*ret_day = d;
}

const char *cal_leave_code_name(enum cal_leave_code code)
{
	if ((unsigned)code >= CAL_LEAVE_COUNT)
		return "";
	return leave_names[code];
}

int cal_leave_code_parse(const char *text, enum cal_leave_code *ret_code)
{
	for (int i = CAL_LEAVE_NONE + 1; i < CAL_LEAVE_COUNT; i++) {
		if (strcmp(text, leave_names[i]) == 0) {
			*ret_code = (enum cal_leave_code)i;
			return 0;
		}
	}
	return -EINVAL;
}

const char *cal_off_name(enum cal_off off)
{
	switch (off) {
	case CAL_OFF_WEEKEND:
		return "weekend";
	case CAL_OFF_HOLIDAY:
		return "holiday";
	case CAL_OFF_NO_SCHEDULE:
		return "no_schedule";
	case CAL_OFF_UNTRACKED:
		return "untracked";
	case CAL_OFF_NONE:
		break;
	}
	return "";
}
