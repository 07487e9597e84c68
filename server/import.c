// SPDX-License-Identifier: MIT
/*
 * CSV import of units, staff, schedules, holidays, leave and taps. One
 * transaction per file: rows are checked and stored as they are read, every
 * problem is collected, and any problem rolls the whole file back (taps are
 * checked in a first pass and stored in chunks in a second). Dates,
 * times, zones, weekdays and leave codes are checked by the working calendar
 * (calendar.c), the same code that later reads these rows for reports, so a
 * file that imports is a file the reports accept.
 */
#include "server/import.h"

#include <errno.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "common/activity.h"
#include "common/clk.h"
#include "common/rows.h"
#include "common/tz.h"
#include "server/calendar.h"
#include "server/db.h"
#include "server/profile.h"
#include "server/rules.h"

#define COLUMNS_MAX	  8
#define NIP_DIGITS	  18
#define FINGER_MAX	  65535
#define PROFILES_SEEN_MAX 32
#define STORED		  "(stored)" /* the source of rows already in the store, in messages */

struct importer;

struct column {
	const char *name;
	bool is_required;
};

/* One kind of file: its columns and what to do with its rows. */
struct kind_spec {
	const char *name;
	struct column columns[COLUMNS_MAX];
	bool is_roster; /* its rows are in kiosks' rosters: bump the version */
	int (*begin)(struct importer *im);
	/* Check and store one row; problems go to the diag and return 0. */
	int (*row)(struct importer *im, unsigned line, const char *const *cell);
	int (*finish)(struct importer *im);
	/*
	 * 0: the file is one transaction. Otherwise the file is checked whole
	 * first, then stored in transactions of this many rows, so a long import
	 * does not hold kiosks' batches back; only for kinds whose rows are
	 * idempotent, so an interrupted import is finished by running it again.
	 */
	size_t chunk_rows;
};

struct known_unit {
	char id[DB_UNIT_ID_MAX];
	bool is_used; /* named by a row of this file */
};

struct profile_seen {
	char name[DB_PROFILE_MAX];
	bool is_ok;
};

struct supervisor_ref {
	unsigned line;
	char supervisor[RECORD_NIP_MAX];
};

struct importer {
	struct db *db;
	const struct import_opts *opts;
	const struct kind_spec *spec;
	const char *source; /* file name for messages */
	struct import_result *res;
	struct cfg_diag *diag;
	bool has_header;
	size_t n_fields;	   /* of the header row */
	int field_of[COLUMNS_MAX]; /* field index of each column; -1 when absent */
	struct calendar *cal;	   /* checks calendar rows; NULL for other kinds */
	struct known_unit *units;  /* stored units, sorted by id */
	size_t n_units;
	struct profile_seen profiles[PROFILES_SEEN_MAX];
	size_t n_profiles;
	struct supervisor_ref *sups; /* staff naming a supervisor, checked at the end */
	size_t n_sups, cap_sups;
	int64_t tap_device;
	uint64_t tap_seq;   /* last seq used for the import device */
	bool is_checking;   /* the first pass of a chunked kind: check, store nothing */
	size_t in_chunk;    /* rows stored in the open transaction */
	bool has_committed; /* a chunk is stored: a failure now leaves the file half done */
};

PRINTF_LIKE(4, 5)
static void fail(struct importer *im, unsigned line, const char *column, const char *fmt, ...)
{
	char why[384];
	va_list ap;

	va_start(ap, fmt);
	(void)vsnprintf(why, sizeof(why), fmt, ap);
	va_end(ap);
	if (line)
		cfg_diag_add(im->diag, "%s:%u: %s: %s", im->source, line, column, why);
	else
		cfg_diag_add(im->diag, "%s: %s: %s", im->source, column, why);
}

static bool is_blank(const char *s)
{
	return !s || !*s;
}

static bool is_digits(const char *s, size_t min, size_t max)
{
	size_t len = strlen(s);

	return len >= min && len <= max && strspn(s, "0123456789") == len;
}

/* A required NIP: 18 digits. */
static bool take_nip(struct importer *im, unsigned line, const char *column, const char *text,
		     char out[RECORD_NIP_MAX])
{
	if (is_blank(text)) {
		fail(im, line, column, "required");
		return false;
	}
	if (!is_digits(text, NIP_DIGITS, NIP_DIGITS)) {
		fail(im, line, column, "'%.40s' is not an NIP of %d digits", text, NIP_DIGITS);
		return false;
	}
	memcpy(out, text, NIP_DIGITS + 1);
	return true;
}

/* Required text of 1..size-1 bytes without control characters. */
static bool take_text(struct importer *im, unsigned line, const char *column, const char *text,
		      char *out, size_t size)
{
	if (is_blank(text)) {
		fail(im, line, column, "required");
		return false;
	}
	if (strlen(text) >= size) {
		fail(im, line, column, "longer than %zu bytes", size - 1);
		return false;
	}
	for (const unsigned char *p = (const unsigned char *)text; *p; p++) {
		if (*p < 0x20 || *p == 0x7f) {
			fail(im, line, column, "contains a control character");
			return false;
		}
	}
	memcpy(out, text, strlen(text) + 1);
	return true;
}

static int cmp_unit(const void *a, const void *b)
{
	return strcmp(((const struct known_unit *)a)->id, ((const struct known_unit *)b)->id);
}

static struct known_unit *find_unit(struct importer *im, const char *id)
{
	struct known_unit key;

	if (strlen(id) >= sizeof(key.id) || im->n_units == 0)
		return NULL;
	memcpy(key.id, id, strlen(id) + 1);
	return bsearch(&key, im->units, im->n_units, sizeof(*im->units), cmp_unit);
}

/* A row's unit_id that must be a stored unit; marks it used. */
static bool take_unit(struct importer *im, unsigned line, const char *text,
		      char out[DB_UNIT_ID_MAX])
{
	struct known_unit *u;

	if (is_blank(text)) {
		fail(im, line, "unit_id", "required");
		return false;
	}
	u = find_unit(im, text);
	if (!u) {
		fail(im, line, "unit_id", "unknown unit '%.40s' (import units first)", text);
		return false;
	}
	u->is_used = true;
	memcpy(out, u->id, sizeof(u->id));
	return true;
}

static size_t units_used(const struct importer *im)
{
	size_t n = 0;

	for (size_t i = 0; i < im->n_units; i++)
		n += im->units[i].is_used;
	return n;
}

/* The stored units, for rows that name one (db_units lists them sorted). */
static int collect_unit(const struct db_unit *unit, void *user)
{
	struct importer *im = user;
	struct known_unit *p;

	p = reallocarray(im->units, im->n_units + 1, sizeof(*p));
	if (!p)
		return -ENOMEM;
	im->units = p;
	memset(&p[im->n_units], 0, sizeof(*p));
	memcpy(p[im->n_units++].id, unit->unit_id, sizeof(unit->unit_id));
	return 0;
}

/* The calendar knows the stored units too, so schedules can name them. */
static int calendar_add_stored_unit(const struct db_unit *unit, void *user)
{
	struct importer *im = user;
	struct cal_unit_row row = {
	    .source = STORED, .unit_id = unit->unit_id, .timezone = unit->timezone};
	struct cfg_diag scratch = {.len = 0};
	int r;

	r = collect_unit(unit, im);
	if (r == 0)
		r = calendar_add_unit(im->cal, &row, &scratch);
	return r == -ENOMEM ? r : 0;
}

/* A year (2000..2099 in the text of a checked date) the file replaces; cleared once. */
static int take_year(struct importer *im, unsigned line, const char *column, const char *date,
		     int (*clear)(struct db *db, int year))
{
	struct import_result *res = im->res;
	int year = atoi(date);
	size_t i;

	for (i = 0; i < res->n_years && res->years[i] != year; i++)
		;
	if (i < res->n_years)
		return 0;
	if (res->n_years == IMPORT_YEARS_MAX) {
		fail(im, line, column, "the file covers more than %d years", IMPORT_YEARS_MAX);
		return 0;
	}
	/* Keep them ascending for the summary. */
	for (i = res->n_years; i > 0 && res->years[i - 1] > year; i--)
		res->years[i] = res->years[i - 1];
	res->years[i] = year;
	res->n_years++;
	return clear(im->db, year);
}

/* Text of a checked clock ("07:30:00") as the calendar reads it back ("07:30"). */
static void clock_text(const char *text, char out[DB_CLOCK_MAX])
{
	int32_t parsed = 0;
	unsigned sec;

	if (tz_parse_clock(text, &parsed) < 0)
		parsed = 0;
	sec = (unsigned)parsed % 86400u;
	if (sec % 60)
		snprintf(out, DB_CLOCK_MAX, "%02u:%02u:%02u", sec / 3600, sec / 60 % 60, sec % 60);
	else
		snprintf(out, DB_CLOCK_MAX, "%02u:%02u", sec / 3600, sec / 60 % 60);
}

/* --- units --- */

static bool profile_ok(struct importer *im, unsigned line, const char *name)
{
	struct cfg_diag why = {.len = 0};
	struct profile *p = NULL;
	bool is_ok;
	size_t i;

	for (i = 0; i < im->n_profiles; i++)
		if (strcmp(im->profiles[i].name, name) == 0)
			break;
	if (i < im->n_profiles) {
		is_ok = im->profiles[i].is_ok;
	} else {
		is_ok = profile_load_named(im->opts->profiles_dir, name, &p, &why) == 0;
		profile_free(p);
		if (im->n_profiles < PROFILES_SEEN_MAX && strlen(name) < DB_PROFILE_MAX) {
			memcpy(im->profiles[im->n_profiles].name, name, strlen(name) + 1);
			im->profiles[im->n_profiles++].is_ok = is_ok;
		}
	}
	if (!is_ok)
		fail(im, line, "profile", "no valid rule profile '%.64s' in %s%s%.*s", name,
		     im->opts->profiles_dir, why.len ? ": " : "", (int)strcspn(why.text, "\n"),
		     why.text);
	return is_ok;
}

static int units_begin(struct importer *im)
{
	int r = calendar_new(&im->cal);

	return r < 0 ? r : db_units_clear(im->db);
}

static int units_row(struct importer *im, unsigned line, const char *const *c)
{
	static const char id_chars[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"
				       "0123456789._-";
	struct cal_unit_row row = {
	    .source = im->source, .line = line, .unit_id = c[0], .timezone = c[2]};
	unsigned errors = im->diag->n_errors;
	struct db_unit u;
	int r;

	memset(&u, 0, sizeof(u));
	/* The calendar checks the zone and that the id is new; names must also fit a roster. */
	r = calendar_add_unit(im->cal, &row, im->diag);
	if (r == -ENOMEM)
		return r;
	if (!is_blank(c[0]) &&
	    (strlen(c[0]) >= sizeof(u.unit_id) || strspn(c[0], id_chars) != strlen(c[0])))
		fail(im, line, "unit_id", "'%.40s': 1 to %zu of A-Z a-z 0-9 . _ -", c[0],
		     sizeof(u.unit_id) - 1);
	(void)take_text(im, line, "name", c[1], u.name, sizeof(u.name));
	if (is_blank(c[3]))
		fail(im, line, "profile", "required (a rule profile, e.g. default)");
	else
		(void)profile_ok(im, line, c[3]);
	if (im->diag->n_errors != errors)
		return 0;
	snprintf(u.unit_id, sizeof(u.unit_id), "%s", c[0]);
	snprintf(u.timezone, sizeof(u.timezone), "%s", c[2]);
	snprintf(u.profile, sizeof(u.profile), "%s", c[3]);
	r = db_unit_put(im->db, &u);
	if (r < 0)
		return r;
	im->res->rows++;
	return 0;
}

static int unit_still_used(const char *table, const char *unit_id, int64_t rows, void *user)
{
	fail(user, 0, "unit_id", "'%s' is not in the file but still in use (%s: %lld)", unit_id,
	     strcmp(table, "devices") == 0 ? "kiosks" : table, (long long)rows);
	return 0;
}

static int units_finish(struct importer *im)
{
	return db_units_missing(im->db, unit_still_used, im);
}

/* --- staff --- */

static int staff_begin(struct importer *im)
{
	int r = db_units(im->db, NULL, collect_unit, im);

	return r < 0 ? r : db_staff_clear(im->db);
}

/* A card number as the kiosk reads it: up to 20 digits, leading zeros dropped. */
static bool take_card(struct importer *im, unsigned line, const char *text, char out[DB_CARD_MAX])
{
	if (!is_digits(text, 1, DB_CARD_MAX - 1)) {
		fail(im, line, "card", "'%.40s' is not a card number (1 to %d digits)", text,
		     DB_CARD_MAX - 1);
		return false;
	}
	while (text[0] == '0' && text[1] != '\0')
		text++;
	memcpy(out, text, strlen(text) + 1);
	return true;
}

static bool take_allowance(struct importer *im, unsigned line, const char *text, int64_t *ret)
{
	if (is_blank(text)) {
		fail(im, line, "allowance", "required (whole Rupiah, e.g. 4500000; 0 for none)");
		return false;
	}
	if (!is_digits(text, 1, 13) || strtoll(text, NULL, 10) > RULES_ALLOWANCE_MAX) {
		fail(im, line, "allowance",
		     "'%.40s' is not a whole number of Rupiah from 0 to %lld (digits only)", text,
		     (long long)RULES_ALLOWANCE_MAX);
		return false;
	}
	*ret = strtoll(text, NULL, 10);
	return true;
}

/* Check the columns of a staff row into s, card and finger (-1: none). */
static bool staff_fields(struct importer *im, unsigned line, const char *const *c,
			 struct db_staff *s, char card[DB_CARD_MAX], int32_t *finger)
{
	unsigned errors = im->diag->n_errors;

	(void)take_nip(im, line, "nip", c[0], s->nip);
	(void)take_text(im, line, "name", c[1], s->name, sizeof(s->name));
	(void)take_unit(im, line, c[2], s->unit_id);
	if (!is_blank(c[3]))
		(void)take_card(im, line, c[3], card);
	*finger = -1;
	if (!is_blank(c[4])) {
		if (is_digits(c[4], 1, 5) && atoi(c[4]) <= FINGER_MAX)
			*finger = atoi(c[4]);
		else
			fail(im, line, "fingerprint_id", "'%.40s' is not a slot from 0 to %d", c[4],
			     FINGER_MAX);
	}
	(void)take_allowance(im, line, c[5], &s->allowance);
	if (!is_blank(c[6]) && take_nip(im, line, "supervisor_nip", c[6], s->supervisor_nip) &&
	    strcmp(s->supervisor_nip, s->nip) == 0)
		fail(im, line, "supervisor_nip", "a person cannot be their own supervisor");
	return im->diag->n_errors == errors;
}

static bool has_card(const struct db_staff *s, const char *card)
{
	for (size_t i = 0; i < s->n_cards; i++)
		if (strcmp(s->cards[i], card) == 0)
			return true;
	return false;
}

static bool has_finger(const struct db_staff *s, int32_t finger)
{
	for (size_t i = 0; i < s->n_fingers; i++)
		if (s->fingers[i] == finger)
			return true;
	return false;
}

static int remember_supervisor(struct importer *im, unsigned line, const char *supervisor)
{
	if (im->n_sups == im->cap_sups) {
		size_t cap = im->cap_sups ? im->cap_sups * 2 : 64;
		struct supervisor_ref *p = reallocarray(im->sups, cap, sizeof(*p));

		if (!p)
			return -ENOMEM;
		im->sups = p;
		im->cap_sups = cap;
	}
	im->sups[im->n_sups].line = line;
	memcpy(im->sups[im->n_sups++].supervisor, supervisor, RECORD_NIP_MAX);
	return 0;
}

/*
 * A person with several cards or fingers is listed once per credential,
 * with the same name, unit, allowance and supervisor on every line.
 */
static int staff_row(struct importer *im, unsigned line, const char *const *c)
{
	char card[DB_CARD_MAX] = "", owner[RECORD_NIP_MAX];
	struct db_staff s, before;
	int32_t finger;
	int r;

	memset(&s, 0, sizeof(s));
	if (!staff_fields(im, line, c, &s, card, &finger))
		return 0;
	r = db_staff_get(im->db, s.nip, &before);
	if (r == 0) {
		if (strcmp(before.name, s.name) || strcmp(before.unit_id, s.unit_id) ||
		    before.allowance != s.allowance ||
		    strcmp(before.supervisor_nip, s.supervisor_nip)) {
			fail(im, line, "nip",
			     "%s is on an earlier line with another name, unit_id, allowance or "
			     "supervisor_nip",
			     s.nip);
			return 0;
		}
		if ((card[0] && !has_card(&before, card) && before.n_cards == DB_CARDS_MAX) ||
		    (finger >= 0 && !has_finger(&before, finger) &&
		     before.n_fingers == DB_FINGERS_MAX)) {
			fail(im, line, card[0] ? "card" : "fingerprint_id",
			     "%s has more than %d cards or %d fingerprint ids", s.nip, DB_CARDS_MAX,
			     DB_FINGERS_MAX);
			return 0;
		}
	} else if (r == -ENOENT) {
		r = db_staff_put(im->db, &s);
		if (r == 0 && s.supervisor_nip[0])
			r = remember_supervisor(im, line, s.supervisor_nip);
		if (r < 0)
			return r;
		im->res->rows++;
	} else {
		return r;
	}
	if (card[0]) {
		r = db_card_put(im->db, card, s.nip, owner);
		if (r == -EEXIST)
			fail(im, line, "card", "%s already belongs to NIP %s", card, owner);
		else if (r < 0)
			return r;
	}
	if (finger >= 0) {
		r = db_finger_put(im->db, finger, s.nip, owner);
		if (r == -EEXIST)
			fail(im, line, "fingerprint_id", "%d already belongs to NIP %s", finger,
			     owner);
		else if (r < 0)
			return r;
	}
	return 0;
}

static int staff_finish(struct importer *im)
{
	struct db_staff boss;

	for (size_t i = 0; i < im->n_sups; i++) {
		int r = db_staff_get(im->db, im->sups[i].supervisor, &boss);

		if (r == -ENOENT)
			fail(im, im->sups[i].line, "supervisor_nip", "%s is not in this file",
			     im->sups[i].supervisor);
		else if (r < 0)
			return r;
	}
	im->res->n_units = units_used(im);
	return 0;
}

/* --- schedules --- */

static int schedules_begin(struct importer *im)
{
	int r = calendar_new(&im->cal);

	return r < 0 ? r : db_units(im->db, NULL, calendar_add_stored_unit, im);
}

static int schedules_row(struct importer *im, unsigned line, const char *const *c)
{
	struct cal_schedule_row row = {.source = im->source,
				       .line = line,
				       .unit_id = c[0],
				       .valid_from = c[1],
				       .valid_to = c[2],
				       .weekday = c[3],
				       .start = c[4],
				       .end = c[5],
				       .label = c[6]};
	struct known_unit *unit;
	struct db_schedule s;
	int r;

	r = calendar_add_schedule(im->cal, &row, im->diag);
	if (r == -EINVAL)
		return 0;
	if (r < 0)
		return r;
	unit = find_unit(im, c[0]);
	if (!unit)
		return -EPROTO; /* the calendar knows only these */
	if (!unit->is_used) {
		unit->is_used = true;
		r = db_schedules_clear(im->db, unit->id);
		if (r < 0)
			return r;
	}
	memset(&s, 0, sizeof(s));
	memcpy(s.unit_id, unit->id, sizeof(s.unit_id));
	snprintf(s.valid_from, sizeof(s.valid_from), "%s", c[1]);
	snprintf(s.valid_to, sizeof(s.valid_to), "%s", c[2]);
	s.weekday = atoi(c[3]);
	clock_text(c[4], s.start);
	clock_text(c[5], s.end);
	snprintf(s.label, sizeof(s.label), "%s", c[6]);
	r = db_schedule_put(im->db, &s);
	if (r < 0)
		return r;
	im->res->rows++;
	return 0;
}

static int schedules_finish(struct importer *im)
{
	im->res->n_units = units_used(im);
	return 0;
}

/* --- holidays --- */

static int calendar_begin(struct importer *im)
{
	return calendar_new(&im->cal);
}

static int holidays_row(struct importer *im, unsigned line, const char *const *c)
{
	struct cal_holiday_row row = {
	    .source = im->source, .line = line, .date = c[0], .name = c[1]};
	struct db_holiday h;
	int r;

	r = calendar_add_holiday(im->cal, &row, im->diag);
	if (r == -EINVAL)
		return 0;
	if (r < 0)
		return r;
	r = take_year(im, line, "date", c[0], db_holidays_clear);
	if (r < 0)
		return r;
	memset(&h, 0, sizeof(h));
	snprintf(h.date, sizeof(h.date), "%s", c[0]);
	snprintf(h.name, sizeof(h.name), "%s", c[1]);
	r = db_holiday_put(im->db, &h);
	if (r == -EEXIST)
		return 0; /* a date twice: calendar_seal() names both lines */
	if (r < 0)
		return r;
	im->res->rows++;
	return 0;
}

static int calendar_finish(struct importer *im)
{
	int r = calendar_seal(im->cal, im->diag);

	return r == -EINVAL ? 0 : r;
}

/* --- leave --- */

struct overlap {
	struct importer *im;
	unsigned line;
};

static int leave_overlap(const struct db_leave *l, void *user)
{
	struct overlap *o = user;

	fail(o->im, o->line, "from",
	     "overlaps the %s record of %s from %s to %s (one leave record a day)", l->code, l->nip,
	     l->from, l->to);
	return -EEXIST;
}

static int leave_row(struct importer *im, unsigned line, const char *const *c)
{
	struct cal_leave_row row = {.source = im->source,
				    .line = line,
				    .nip = c[0],
				    .from = c[1],
				    .to = c[2],
				    .code = c[3],
				    .time_from = c[4],
				    .time_to = c[5]};
	unsigned errors = im->diag->n_errors;
	struct db_staff who;
	struct db_leave l;
	int r;

	memset(&l, 0, sizeof(l));
	if (take_nip(im, line, "nip", c[0], l.nip)) {
		r = db_staff_get(im->db, l.nip, &who);
		if (r == -ENOENT)
			fail(im, line, "nip", "%s is not on the staff (import staff first)", l.nip);
		else if (r < 0)
			return r;
	}
	r = calendar_add_leave(im->cal, &row, im->diag);
	if (r < 0 && r != -EINVAL)
		return r;
	if (im->diag->n_errors != errors)
		return 0;
	r = take_year(im, line, "from", c[1], db_leave_clear);
	if (r < 0)
		return r;
	snprintf(l.from, sizeof(l.from), "%s", c[1]);
	snprintf(l.to, sizeof(l.to), "%s", c[2]);
	/* One record a day and person (calendar.h): none kept or earlier in the file may overlap.
	 */
	r = db_leave(im->db, &(struct db_org_query){.nip = l.nip, .from = l.from, .to = l.to},
		     leave_overlap, &(struct overlap){im, line});
	if (r == -EEXIST)
		return 0;
	if (r < 0)
		return r;
	snprintf(l.code, sizeof(l.code), "%s", c[3]);
	if (!is_blank(c[4]))
		clock_text(c[4], l.time_from);
	if (!is_blank(c[5]))
		clock_text(c[5], l.time_to);
	r = db_leave_put(im->db, &l);
	if (r < 0)
		return r;
	im->res->rows++;
	return 0;
}

/* --- plans (RHK) --- */

static int plans_begin(struct importer *im)
{
	return db_plans_clear(im->db);
}

/* A plan code as the kiosk's activity payload carries it (common/activity.h). */
static bool take_plan_code(struct importer *im, unsigned line, const char *text,
			   char out[ACTIVITY_PLAN_MAX])
{
	struct activity probe = {
	    .quantity = 1, .unit = "x", .start = "08:00", .end = "09:00", .date = "2025-01-01"};
	enum activity_error err;

	if (!take_text(im, line, "code", text, probe.plan, sizeof(probe.plan)))
		return false;
	if (activity_validate(&probe, &err) < 0) {
		fail(im, line, "code", "'%.40s': %s", text, activity_strerror(err));
		return false;
	}
	memcpy(out, probe.plan, sizeof(probe.plan));
	return true;
}

static int plans_row(struct importer *im, unsigned line, const char *const *c)
{
	unsigned errors = im->diag->n_errors;
	struct db_staff staff;
	struct db_plan plan;
	int r;

	memset(&plan, 0, sizeof(plan));
	if (take_nip(im, line, "nip", c[0], plan.nip)) {
		r = db_staff_get(im->db, plan.nip, &staff);
		if (r == -ENOENT)
			fail(im, line, "nip", "%s is no staff member (import staff first)",
			     plan.nip);
		else if (r < 0)
			return r;
	}
	(void)take_plan_code(im, line, c[1], plan.code);
	(void)take_text(im, line, "title", c[2], plan.title, sizeof(plan.title));
	if (im->diag->n_errors != errors)
		return 0;
	r = db_plan_put(im->db, &plan);
	if (r == -EEXIST)
		fail(im, line, "code", "%s is on an earlier line for %s", plan.code, plan.nip);
	else if (r < 0)
		return r;
	else
		im->res->rows++;
	return 0;
}

/* --- taps --- */

static int taps_begin(struct importer *im)
{
	int r = db_device_internal(im->db, IMPORT_DEVICE, im->opts->now_usec, &im->tap_device);

	return r < 0 ? r : db_record_max_seq(im->db, im->tap_device, &im->tap_seq);
}

static int taps_row(struct importer *im, unsigned line, const char *const *c)
{
	char nip[RECORD_NIP_MAX];
	bool has_nip;
	int64_t usec;
	int r;

	has_nip = take_nip(im, line, "nip", c[0], nip);
	if (is_blank(c[1]) || clk_parse_iso8601(c[1], &usec) < 0) {
		fail(im, line, "time",
		     "'%.40s' is not an ISO 8601 time with its offset (e.g. "
		     "2025-03-03T07:41:00+07:00)",
		     c[1] ? c[1] : "");
		return 0;
	}
	if (!has_nip || im->is_checking)
		return 0;
	r = db_tap_import(im->db, im->tap_device, im->tap_seq + 1, nip, usec, im->opts->now_usec);
	if (r < 0)
		return r;
	if (r == 1) {
		im->tap_seq++;
		im->res->rows++;
	} else {
		im->res->skipped++;
	}
	if (++im->in_chunk < im->spec->chunk_rows)
		return 0;
	im->in_chunk = 0;
	r = db_commit(im->db);
	if (r < 0)
		return r;
	im->has_committed = true;
	return db_begin(im->db);
}

static const struct kind_spec kinds[] = {
    [IMPORT_UNITS] = {"units",
		      {{"unit_id", true}, {"name", true}, {"timezone", true}, {"profile", true}},
		      true,
		      units_begin,
		      units_row,
		      units_finish},
    [IMPORT_STAFF] = {"staff",
		      {{"nip", true},
		       {"name", true},
		       {"unit_id", true},
		       {"card", true},
		       {"fingerprint_id", true},
		       {"allowance", true},
		       {"supervisor_nip", false}},
		      true,
		      staff_begin,
		      staff_row,
		      staff_finish},
    [IMPORT_SCHEDULES] = {"schedules",
			  {{"unit_id", true},
			   {"valid_from", true},
			   {"valid_to", true},
			   {"weekday", true},
			   {"start", true},
			   {"end", true},
			   {"label", false}},
			  true,
			  schedules_begin,
			  schedules_row,
			  schedules_finish},
    [IMPORT_HOLIDAYS] = {"holidays",
			 {{"date", true}, {"name", true}},
			 true,
			 calendar_begin,
			 holidays_row,
			 calendar_finish},
    [IMPORT_LEAVE] = {"leave",
		      {{"nip", true},
		       {"from", true},
		       {"to", true},
		       {"code", true},
		       {"time_from", false},
		       {"time_to", false}},
		      false,
		      calendar_begin,
		      leave_row,
		      NULL},
    [IMPORT_TAPS] = {"taps",
		     {{"nip", true}, {"time", true}},
		     false,
		     taps_begin,
		     taps_row,
		     NULL,
		     IMPORT_CHUNK_ROWS},
    [IMPORT_PLANS] = {"plans",
		      {{"nip", true}, {"code", true}, {"title", true}},
		      true,
		      plans_begin,
		      plans_row,
		      NULL},
};

int import_kind_parse(const char *name, enum import_kind *ret_kind)
{
	for (size_t i = 0; i < ARRAY_SIZE(kinds); i++) {
		if (strcmp(kinds[i].name, name) == 0) {
			*ret_kind = (enum import_kind)i;
			return 0;
		}
	}
	return -EINVAL;
}

const char *import_kind_name(enum import_kind kind)
{
	return (size_t)kind < ARRAY_SIZE(kinds) ? kinds[kind].name : "";
}

/* --- rows --- */

static void column_list(const struct kind_spec *spec, char *buf, size_t size)
{
	size_t len = 0;

	buf[0] = '\0';
	for (size_t c = 0; c < COLUMNS_MAX && spec->columns[c].name && len < size; c++)
		len += (size_t)snprintf(buf + len, size - len, "%s%s%s", c ? ", " : "",
					spec->columns[c].name,
					spec->columns[c].is_required ? "" : " (optional)");
}

/* Find each column by its name in the header; unknown, doubled and missing ones are errors. */
static void map_header(struct importer *im, unsigned line, char **f, size_t n)
{
	const struct kind_spec *spec = im->spec;
	char names[256];

	column_list(spec, names, sizeof(names));
	for (size_t c = 0; c < COLUMNS_MAX; c++)
		im->field_of[c] = -1;
	for (size_t i = 0; i < n; i++) {
		size_t c;

		for (c = 0; c < COLUMNS_MAX && spec->columns[c].name; c++)
			if (strcasecmp(f[i], spec->columns[c].name) == 0)
				break;
		if (c == COLUMNS_MAX || !spec->columns[c].name)
			fail(im, line, "header", "'%.40s' is not a column of %s files (%s)", f[i],
			     spec->name, names);
		else if (im->field_of[c] >= 0)
			fail(im, line, "header", "column '%s' appears twice",
			     spec->columns[c].name);
		else
			im->field_of[c] = (int)i;
	}
	for (size_t c = 0; c < COLUMNS_MAX && spec->columns[c].name; c++)
		if (spec->columns[c].is_required && im->field_of[c] < 0)
			fail(im, line, "header", "column '%s' missing (%s files have: %s)",
			     spec->columns[c].name, spec->name, names);
	im->n_fields = n;
	im->has_header = true;
}

static int on_row(void *user, unsigned line, char **f, size_t n, char *why)
{
	struct importer *im = user;
	const char *cell[COLUMNS_MAX];
	bool is_empty = true;

	(void)why;
	if (!im->has_header) {
		unsigned errors = im->diag->n_errors;

		map_header(im, line, f, n);
		if (im->diag->n_errors != errors)
			return -EINVAL; /* rows cannot be read without their columns */
		return im->is_checking ? 0 : im->spec->begin(im);
	}
	for (size_t i = 0; i < n && is_empty; i++)
		is_empty = f[i][0] == '\0';
	if (is_empty)
		return 0; /* spreadsheets end files with rows of empty cells */
	if (n != im->n_fields) {
		fail(im, line, "row", "%zu fields, but the header has %zu", n, im->n_fields);
		return 0;
	}
	for (size_t c = 0; c < COLUMNS_MAX; c++)
		cell[c] = im->field_of[c] >= 0 ? f[im->field_of[c]] : "";
	return im->spec->row(im, line, cell);
}

/* Read the file once through on_row; problems end up in the diag. */
static int read_pass(struct importer *im, FILE *in)
{
	char why[ROWS_WHY_MAX] = "";
	int r;

	r = rows_read(in, im->source, on_row, im, why);
	if (r < 0 && !(r == -EINVAL && im->diag->n_errors))
		cfg_diag_add(im->diag, "%s", why[0] ? why : strerror(-r));
	else if (r == 0 && !im->has_header)
		fail(im, 0, "header", "empty file (the first row names the columns)");
	return r;
}

/* The first pass of a chunked kind: the whole file checked, nothing stored. */
static int check_pass(struct importer *im, FILE *in)
{
	int r;

	im->is_checking = true;
	r = read_pass(im, in);
	im->is_checking = false;
	im->has_header = false;
	if (r == 0 && im->diag->n_errors)
		r = -EINVAL;
	if (r == 0 && fseek(in, 0, SEEK_SET) != 0) {
		r = -errno;
		cfg_diag_add(im->diag, "%s: cannot read it a second time: %s", im->source,
			     strerror(-r));
	}
	return r;
}

int import_stream(struct db *db, enum import_kind kind, FILE *in, const char *name,
		  const struct import_opts *opts, struct import_result *ret)
{
	struct importer im = {
	    .db = db, .opts = opts, .source = name, .res = ret, .diag = &ret->diag};
	int r;

	memset(ret, 0, sizeof(*ret));
	if ((size_t)kind >= ARRAY_SIZE(kinds))
		return -EINVAL;
	im.spec = &kinds[kind];
	r = im.spec->chunk_rows ? check_pass(&im, in) : 0;
	if (r < 0)
		goto out;
	r = db_begin(db);
	if (r < 0) {
		cfg_diag_add(&ret->diag, "%s: cannot start a transaction: %s", name, strerror(-r));
		goto out;
	}
	r = read_pass(&im, in);
	/* Cross-row checks run on bad files too, so one run names every problem. */
	if (r == 0 && im.has_header && im.spec->finish)
		r = im.spec->finish(&im);
	if (r == 0 && ret->diag.n_errors)
		r = -EINVAL;
	/* Biometrics of people who left are not kept (the kiosks delete theirs on the next pull).
	 */
	if (r == 0 && kind == IMPORT_STAFF) {
		r = db_template_forget_absent(db);
		r = r < 0 ? r : 0;
	}
	if (r == 0 && im.spec->is_roster)
		r = db_roster_bump(db, opts->now_usec, kind == IMPORT_STAFF);
	if (r == 0)
		r = db_commit(db);
	if (r < 0)
		db_rollback(db);
	if (r < 0 && ret->diag.n_errors == 0)
		cfg_diag_add(&ret->diag, "%s: not imported: %s", name, strerror(-r));
	if (r < 0 && im.has_committed)
		cfg_diag_add(&ret->diag,
			     "%s: %zu rows were stored before this; import the same file again to "
			     "store the rest (stored rows are skipped)",
			     name, ret->rows);
out:
	calendar_free(im.cal);
	free(im.units);
	free(im.sups);
	return r;
}

int import_file(struct db *db, enum import_kind kind, const char *path,
		const struct import_opts *opts, struct import_result *ret)
{
	FILE *in = fopen(path, "re");
	int r;

	if (!in) {
		r = -errno;
		memset(ret, 0, sizeof(*ret));
		cfg_diag_add(&ret->diag, "%s: cannot open: %s", path, strerror(-r));
		return r;
	}
	r = import_stream(db, kind, in, path, opts, ret);
	fclose(in);
	return r;
}

void import_summary(enum import_kind kind, const struct import_result *res, char *buf, size_t size)
{
	size_t len;

	switch (kind) {
	case IMPORT_STAFF:
	case IMPORT_SCHEDULES:
		snprintf(buf, size, "imported %zu %s (%zu unit%s)", res->rows,
			 import_kind_name(kind), res->n_units, res->n_units == 1 ? "" : "s");
		break;
	case IMPORT_HOLIDAYS:
	case IMPORT_LEAVE:
		len = (size_t)snprintf(buf, size, "imported %zu %s (", res->rows,
				       kind == IMPORT_LEAVE ? "leave records" : "holidays");
		for (size_t i = 0; i < res->n_years && len < size; i++)
			len += (size_t)snprintf(buf + len, size - len, "%s%d", i ? ", " : "",
						res->years[i]);
		if (len < size)
			snprintf(buf + len, size - len, "%s)", res->n_years ? "" : "no year");
		break;
	case IMPORT_TAPS:
		snprintf(buf, size, "imported %zu taps (%zu already stored)", res->rows,
			 res->skipped);
		break;
	default:
		snprintf(buf, size, "imported %zu %s", res->rows, import_kind_name(kind));
		break;
	}
}
