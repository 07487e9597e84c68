// SPDX-License-Identifier: MIT
/*
 * Plans, units, schedules, holidays and activity entries in the kiosk
 * database. Values from the roster or a CSV file are checked here before
 * they are stored; activity payloads are read only through common/activity.
 */
#include "firmware/agenda.h"

#include <errno.h>
#include <sqlite3.h>
#include <stdio.h>
#include <string.h>

struct stmt {
	struct store *st;
	sqlite3_stmt *s;
};

static int stmt_prepare(struct store *st, const char *sql, struct stmt *ret)
{
	int rc = sqlite3_prepare_v2(store_sqlite(st), sql, -1, &ret->s, NULL);

	ret->st = st;
	return rc == SQLITE_OK ? 0 : store_sqlite_fail(st, rc, sql);
}

static void stmt_text(struct stmt *s, int col, const char *text)
{
	sqlite3_bind_text(s->s, col, text, -1, SQLITE_TRANSIENT);
}

/* Step once: 1 for a row, 0 when done, a negative errno on failure. */
static int stmt_step(struct stmt *s, const char *what)
{
	int rc = sqlite3_step(s->s);

	if (rc == SQLITE_ROW)
		return 1;
	return rc == SQLITE_DONE ? 0 : store_sqlite_fail(s->st, rc, what);
}

/* Run a statement to completion and make it ready for new values. */
static int stmt_run(struct stmt *s, const char *what)
{
	int r = stmt_step(s, what);

	sqlite3_reset(s->s);
	sqlite3_clear_bindings(s->s);
	return r < 0 ? r : 0;
}

static void stmt_copy(struct stmt *s, int col, char *dst, size_t cap)
{
	const unsigned char *text = sqlite3_column_text(s->s, col);

	snprintf(dst, cap, "%s", text ? (const char *)text : "");
}

static int exec(struct store *st, const char *sql)
{
	int rc = sqlite3_exec(store_sqlite(st), sql, NULL, NULL, NULL);

	return rc == SQLITE_OK ? 0 : store_sqlite_fail(st, rc, sql);
}

/* A string member of obj, or NULL with why filled. */
static const char *member(json_t *obj, const char *key, const char *where, size_t i,
			  char why[ROWS_WHY_MAX])
{
	const char *v = json_string_value(json_object_get(obj, key));

	if (!v)
		snprintf(why, ROWS_WHY_MAX, "%s %zu: %s missing or not a string", where, i, key);
	return v;
}

static bool fits(const char *s, size_t cap)
{
	return s[0] != '\0' && strlen(s) < cap;
}

/* --- roster extras --- */

static int put_schedule(struct stmt *ins, const char *unit_id, json_t *rows, char why[ROWS_WHY_MAX])
{
	json_t *row;
	size_t i;

	if (rows && !json_is_array(rows)) {
		snprintf(why, ROWS_WHY_MAX, "unit %s: schedule is not an array", unit_id);
		return -EINVAL;
	}
	json_array_foreach(rows, i, row)
	{
		const char *from = member(row, "valid_from", "schedule row", i, why);
		const char *to = member(row, "valid_to", "schedule row", i, why);
		const char *start = member(row, "start", "schedule row", i, why);
		const char *end = member(row, "end", "schedule row", i, why);
		json_t *weekday = json_object_get(row, "weekday");
		int32_t days, sec;
		int r;

		if (!from || !to || !start || !end)
			return -EINVAL;
		if (tz_parse_date(from, &days) < 0 || tz_parse_date(to, &days) < 0 ||
		    tz_parse_clock(start, &sec) < 0 || tz_parse_clock(end, &sec) < 0 ||
		    !json_is_integer(weekday) || json_integer_value(weekday) < 1 ||
		    json_integer_value(weekday) > 7) {
			snprintf(why, ROWS_WHY_MAX,
				 "unit %s schedule row %zu: bad dates, weekday (1-7) or times",
				 unit_id, i);
			return -EINVAL;
		}
		stmt_text(ins, 1, unit_id);
		stmt_text(ins, 2, from);
		stmt_text(ins, 3, to);
		sqlite3_bind_int64(ins->s, 4, json_integer_value(weekday));
		stmt_text(ins, 5, start);
		stmt_text(ins, 6, end);
		r = stmt_run(ins, "add schedule");
		if (r < 0)
			return r;
	}
	return 0;
}

static int put_units(struct store *st, json_t *units, char why[ROWS_WHY_MAX])
{
	struct stmt unit = {0}, sched = {0};
	json_t *u;
	size_t i;
	int r;

	if (!json_is_array(units)) {
		snprintf(why, ROWS_WHY_MAX, "units is not an array");
		return -EINVAL;
	}
	r = exec(st, "DELETE FROM units; DELETE FROM unit_schedule;");
	if (r == 0)
		r = stmt_prepare(st, "INSERT OR REPLACE INTO units VALUES (?,?,?,?)", &unit);
	if (r == 0)
		r = stmt_prepare(st, "INSERT INTO unit_schedule VALUES (?,?,?,?,?,?)", &sched);
	json_array_foreach(units, i, u)
	{
		const char *id, *name, *zone;
		json_t *grace = json_object_get(u, "grace_seconds");

		if (r < 0)
			break;
		id = member(u, "unit_id", "unit", i, why);
		name = member(u, "name", "unit", i, why);
		zone = member(u, "timezone", "unit", i, why);
		if (!id || !name || !zone) {
			r = -EINVAL;
			break;
		}
		/* A collector that cannot read a unit's profile sends no grace: none then. */
		if (!fits(id, STORE_UNIT_MAX) || strlen(name) >= STORE_NAME_MAX ||
		    !fits(zone, TZ_NAME_MAX) || (grace && !json_is_integer(grace)) ||
		    json_integer_value(grace) < 0 || json_integer_value(grace) > AGENDA_GRACE_MAX) {
			snprintf(
			    why, ROWS_WHY_MAX,
			    "unit %zu: unit_id, name or timezone too long, or grace_seconds not "
			    "0-%d",
			    i, AGENDA_GRACE_MAX);
			r = -EINVAL;
			break;
		}
		stmt_text(&unit, 1, id);
		stmt_text(&unit, 2, name);
		stmt_text(&unit, 3, zone);
		sqlite3_bind_int64(unit.s, 4, json_integer_value(grace));
		r = stmt_run(&unit, "add unit");
		if (r == 0)
			r = put_schedule(&sched, id, json_object_get(u, "schedule"), why);
	}
	sqlite3_finalize(unit.s);
	sqlite3_finalize(sched.s);
	return r;
}

static int put_holidays(struct store *st, json_t *holidays, char why[ROWS_WHY_MAX])
{
	struct stmt ins = {0};
	json_t *h;
	size_t i;
	int r;

	if (!json_is_array(holidays)) {
		snprintf(why, ROWS_WHY_MAX, "holidays is not an array");
		return -EINVAL;
	}
	r = exec(st, "DELETE FROM holidays");
	if (r == 0)
		r = stmt_prepare(st, "INSERT OR REPLACE INTO holidays VALUES (?,?)", &ins);
	json_array_foreach(holidays, i, h)
	{
		const char *date, *name;
		int32_t days;

		if (r < 0)
			break;
		date = member(h, "date", "holiday", i, why);
		name = member(h, "name", "holiday", i, why);
		if (!date || !name) {
			r = -EINVAL;
			break;
		}
		if (tz_parse_date(date, &days) < 0 || strlen(name) >= STORE_NAME_MAX) {
			snprintf(why, ROWS_WHY_MAX, "holiday %zu: bad date or name too long", i);
			r = -EINVAL;
			break;
		}
		stmt_text(&ins, 1, date);
		stmt_text(&ins, 2, name);
		r = stmt_run(&ins, "add holiday");
	}
	sqlite3_finalize(ins.s);
	return r;
}

static int put_plan(struct stmt *ins, const char *nip, const char *code, const char *title,
		    char why[ROWS_WHY_MAX])
{
	int rc;

	if (code[0] == '\0' || !activity_plan_ok(code)) {
		snprintf(why, ROWS_WHY_MAX,
			 "plan code '%.40s' of %s: 1 to %d characters, no control characters", code,
			 nip, ACTIVITY_PLAN_CHARS);
		return -EINVAL;
	}
	if (!activity_title_ok(title)) {
		snprintf(why, ROWS_WHY_MAX,
			 "plan %s of %s: title must be 1 to %d characters, no control characters",
			 code, nip, ACTIVITY_DESCRIPTION_CHARS);
		return -EINVAL;
	}
	stmt_text(ins, 1, nip);
	stmt_text(ins, 2, code);
	stmt_text(ins, 3, title);
	rc = sqlite3_step(ins->s);
	sqlite3_reset(ins->s);
	sqlite3_clear_bindings(ins->s);
	if ((rc & 0xff) == SQLITE_CONSTRAINT) {
		snprintf(why, ROWS_WHY_MAX, "plan %s of %s listed twice", code, nip);
		return -EINVAL;
	}
	return rc == SQLITE_DONE ? 0 : store_sqlite_fail(ins->st, rc, "add plan");
}

static int put_roster_plans(struct store *st, json_t *staff, char why[ROWS_WHY_MAX])
{
	struct stmt ins = {0};
	json_t *person;
	size_t i;
	int r;

	r = exec(st, "DELETE FROM plans");
	if (r == 0)
		r = stmt_prepare(st, "INSERT INTO plans VALUES (?,?,?)", &ins);
	json_array_foreach(staff, i, person)
	{
		const char *nip = json_string_value(json_object_get(person, "nip"));
		json_t *plans = json_object_get(person, "plans"), *p;
		size_t j;

		if (r < 0 || !nip || !plans)
			continue;
		if (!json_is_array(plans)) {
			snprintf(why, ROWS_WHY_MAX, "staff %zu: plans is not an array", i);
			r = -EINVAL;
		}
		json_array_foreach(plans, j, p)
		{
			const char *code = member(p, "code", "plan", j, why);
			const char *title = member(p, "title", "plan", j, why);

			if (r < 0)
				break;
			r = code && title ? put_plan(&ins, nip, code, title, why) : -EINVAL;
		}
	}
	sqlite3_finalize(ins.s);
	return r;
}

static bool any_plans(json_t *staff)
{
	json_t *person;
	size_t i;

	json_array_foreach(staff, i, person) if (json_object_get(person, "plans")) return true;
	return false;
}

int agenda_from_roster(struct store *st, json_t *root, char why[ROWS_WHY_MAX])
{
	json_t *units = json_object_get(root, "units");
	json_t *holidays = json_object_get(root, "holidays");
	json_t *staff = json_object_get(root, "staff");
	int r = 0;

	if (units)
		r = put_units(st, units, why);
	if (r == 0 && holidays)
		r = put_holidays(st, holidays, why);
	if (r == 0 && any_plans(staff))
		r = put_roster_plans(st, staff, why);
	return r;
}

/* --- plans from CSV --- */

struct plans_csv {
	struct stmt ins, staff;
	bool header_seen;
	unsigned n;
};

static int plans_row(void *user, unsigned line, char **f, size_t n, char *why)
{
	static const char *const columns[] = {"nip", "code", "title", NULL};
	struct plans_csv *csv = user;
	int r;

	(void)line;
	if (!csv->header_seen) {
		csv->header_seen = true;
		return rows_expect_header(f, n, columns, why);
	}
	if (n != 3) {
		snprintf(why, ROWS_WHY_MAX, "expected 3 fields, found %zu", n);
		return -EINVAL;
	}
	stmt_text(&csv->staff, 1, f[0]);
	r = stmt_step(&csv->staff, "find staff");
	sqlite3_reset(csv->staff.s);
	if (r == 0) {
		snprintf(why, ROWS_WHY_MAX, "nip '%.30s' is not in the roster", f[0]);
		return -EINVAL;
	}
	if (r == 1)
		r = put_plan(&csv->ins, f[0], f[1], f[2], why);
	if (r == 0)
		csv->n++;
	return r;
}

int agenda_plans_import(struct store *st, const char *csv_path, unsigned *ret_n,
			char why[ROWS_WHY_MAX])
{
	struct plans_csv csv = {.header_seen = false};
	int r;

	why[0] = '\0';
	r = exec(st, "BEGIN IMMEDIATE");
	if (r < 0)
		goto out_why;
	r = exec(st, "DELETE FROM plans");
	if (r == 0)
		r = stmt_prepare(st, "INSERT INTO plans VALUES (?,?,?)", &csv.ins);
	if (r == 0)
		r = stmt_prepare(st, "SELECT 1 FROM staff WHERE nip = ?", &csv.staff);
	if (r == 0)
		r = rows_read_file(csv_path, plans_row, &csv, why);
	if (r == 0 && !csv.header_seen) {
		snprintf(why, ROWS_WHY_MAX, "%s: empty file (expected a header row)", csv_path);
		r = -EINVAL;
	}
	sqlite3_finalize(csv.ins.s);
	sqlite3_finalize(csv.staff.s);
	if (r == 0)
		r = exec(st, "COMMIT");
	if (r < 0) {
		(void)exec(st, "ROLLBACK");
		goto out_why;
	}
	*ret_n = csv.n;
	return 0;

out_why:
	if (why[0] == '\0')
		snprintf(why, ROWS_WHY_MAX, "%s: %s", csv_path, strerror(-r));
	return r;
}

/* --- reading --- */

int agenda_plans(struct store *st, const char *nip, struct agenda_plan *plans, size_t max,
		 size_t *ret_n)
{
	struct stmt s;
	size_t n = 0;
	int r;

	r = stmt_prepare(st, "SELECT code, title FROM plans WHERE nip = ? ORDER BY code", &s);
	if (r < 0)
		return r;
	stmt_text(&s, 1, nip);
	while (n < max && (r = stmt_step(&s, "list plans")) == 1) {
		stmt_copy(&s, 0, plans[n].code, sizeof(plans[n].code));
		stmt_copy(&s, 1, plans[n].title, sizeof(plans[n].title));
		n++;
	}
	sqlite3_finalize(s.s);
	if (r < 0)
		return r;
	*ret_n = n;
	return 0;
}

int agenda_unit_of(struct store *st, const char *nip, struct agenda_unit *ret_unit)
{
	struct stmt s;
	int r;

	r = stmt_prepare(st,
			 "SELECT u.unit_id, u.name, u.timezone, u.grace_seconds"
			 " FROM staff JOIN units u USING (unit_id) WHERE nip = ?",
			 &s);
	if (r < 0)
		return r;
	stmt_text(&s, 1, nip);
	r = stmt_step(&s, "find unit");
	if (r == 1) {
		stmt_copy(&s, 0, ret_unit->unit_id, sizeof(ret_unit->unit_id));
		stmt_copy(&s, 1, ret_unit->name, sizeof(ret_unit->name));
		stmt_copy(&s, 2, ret_unit->timezone, sizeof(ret_unit->timezone));
		ret_unit->grace_seconds = sqlite3_column_int(s.s, 3);
	}
	sqlite3_finalize(s.s);
	return r;
}

int agenda_work_start(struct store *st, const char *unit_id, const char *date, int weekday,
		      int32_t *ret_start_sec)
{
	char start[16];
	struct stmt s;
	int r;

	r = stmt_prepare(st,
			 "SELECT start FROM unit_schedule WHERE unit_id = ?1 AND weekday = ?3"
			 " AND valid_from <= ?2 AND valid_to >= ?2"
			 " AND NOT EXISTS (SELECT 1 FROM holidays WHERE date = ?2)"
			 " ORDER BY valid_from DESC LIMIT 1",
			 &s);
	if (r < 0)
		return r;
	stmt_text(&s, 1, unit_id);
	stmt_text(&s, 2, date);
	sqlite3_bind_int(s.s, 3, weekday);
	r = stmt_step(&s, "find schedule");
	if (r == 1) {
		stmt_copy(&s, 0, start, sizeof(start));
		if (tz_parse_clock(start, ret_start_sec) < 0)
			r = 0;
	}
	sqlite3_finalize(s.s);
	return r;
}

int agenda_last_taps(struct store *st, struct agenda_tap *taps, size_t max, size_t *ret_n)
{
	struct stmt s;
	size_t n = 0;
	int r;

	r = stmt_prepare(st,
			 "SELECT r.wall_usec, coalesce(s.name, ''), r.outcome FROM records r"
			 " LEFT JOIN staff s ON s.nip = r.nip AND r.nip != ''"
			 " WHERE r.kind = 'tap' ORDER BY r.seq DESC LIMIT ?",
			 &s);
	if (r < 0)
		return r;
	sqlite3_bind_int64(s.s, 1, (sqlite3_int64)max);
	while (n < max && (r = stmt_step(&s, "last taps")) == 1) {
		taps[n].wall_usec = sqlite3_column_int64(s.s, 0);
		stmt_copy(&s, 1, taps[n].name, sizeof(taps[n].name));
		stmt_copy(&s, 2, taps[n].outcome, sizeof(taps[n].outcome));
		n++;
	}
	sqlite3_finalize(s.s);
	if (r < 0)
		return r;
	*ret_n = n;
	return 0;
}

int agenda_taps_between(struct store *st, const char *nip, int64_t from_usec, int64_t to_usec,
			unsigned *ret_n)
{
	struct stmt s;
	int r;

	r = stmt_prepare(st,
			 "SELECT count(*) FROM records WHERE nip = ? AND outcome = 'accepted'"
			 " AND kind = 'tap' AND wall_usec >= ? AND wall_usec < ?",
			 &s);
	if (r < 0)
		return r;
	stmt_text(&s, 1, nip);
	sqlite3_bind_int64(s.s, 2, from_usec);
	sqlite3_bind_int64(s.s, 3, to_usec);
	r = stmt_step(&s, "count taps");
	if (r == 1) {
		*ret_n = (unsigned)sqlite3_column_int64(s.s, 0);
		r = 0;
	}
	sqlite3_finalize(s.s);
	return r;
}

/* Drop entries superseded by a later one, and the withdrawals themselves. */
static size_t keep_standing(struct agenda_entry *e, size_t n)
{
	size_t kept = 0;

	for (size_t i = 0; i < n; i++) {
		bool replaced = e[i].activity.withdrawn;

		for (size_t j = i + 1; j < n && !replaced; j++)
			replaced = e[j].activity.supersedes == e[i].seq;
		if (!replaced)
			e[kept++] = e[i];
	}
	return kept;
}

int agenda_entries(struct store *st, const char *nip, const char *date, bool is_standing,
		   struct agenda_entry *entries, size_t *ret_n)
{
	char needle[TZ_DATE_MAX + 16];
	struct stmt s;
	size_t n = 0;
	int r;

	/* The substring only narrows the scan; the parsed date decides. */
	r = stmt_prepare(st,
			 "SELECT seq, wall_usec, payload FROM records WHERE kind = 'activity'"
			 " AND nip = ? AND instr(payload, ?) > 0 ORDER BY seq",
			 &s);
	if (r < 0)
		return r;
	stmt_text(&s, 1, nip);
	snprintf(needle, sizeof(needle), "\"date\":\"%s\"", date);
	stmt_text(&s, 2, needle);
	while ((r = stmt_step(&s, "list activities")) == 1) {
		const char *payload = (const char *)sqlite3_column_text(s.s, 2);
		enum activity_error err;
		struct activity a;

		if (!payload ||
		    activity_parse(payload, (size_t)sqlite3_column_bytes(s.s, 2), &a, &err) < 0 ||
		    strcmp(a.date, date) != 0)
			continue;
		if (n == AGENDA_DAY_MAX) {
			r = -E2BIG;
			break;
		}
		entries[n].seq = (uint64_t)sqlite3_column_int64(s.s, 0);
		entries[n].wall_usec = sqlite3_column_int64(s.s, 1);
		entries[n].activity = a;
		n++;
	}
	sqlite3_finalize(s.s);
	if (r < 0)
		return r;
	*ret_n = is_standing ? keep_standing(entries, n) : n;
	return 0;
}
