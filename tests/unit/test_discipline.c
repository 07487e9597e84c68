// SPDX-License-Identifier: MIT
/*
 * Discipline reports from a real (temporary) database: exact numbers for the
 * spec's worked examples (specs/discipline-rules.md §7) through the whole
 * path — stored units, staff, schedules, holidays, leave and taps, loaded and
 * evaluated by discipline.c — plus the year to date, filters and errors.
 *
 * The fortnight 2025-10-06 (Mon) .. 2025-10-17 (Fri), 2025-10-16 a holiday:
 *   JKT (WIB, default): A late in every tier once; B on leave (CT) two days,
 *     then absent (TK) six working days in a row across the weekend and the
 *     holiday; X taps but is not on the staff list.
 *   AMB (WIT, permentan): C late 15 min on Monday at 07:45 local — 22:45 UTC
 *     on Sunday — and without a check-out on Tuesday.
 *   RMD (WIB, default): D, with "Ramadan" hours (08:00–15:00, Fri –15:30)
 *     in the second week: 08:10 is TL2 on a normal day and TL1 in Ramadan.
 */
#include <errno.h>
#include <jansson.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "common/clk.h"
#include "common/tz.h"
#include "server/db.h"
#include "server/discipline.h"

#define PROFILES "profiles"

static struct db *db;
static char db_path[64];
static int64_t import_dev;
static uint64_t import_seq;

static int32_t date(const char *text)
{
	int32_t d = 0;

	assert_int_equal(tz_parse_date(text, &d), 0);
	return d;
}

static void put_tap(const char *nip, const char *zone, const char *day, const char *clock)
{
	struct tz *tz = NULL;
	int32_t sec = 0;
	int64_t usec;

	assert_int_equal(tz_load(zone, &tz), 0);
	assert_int_equal(tz_parse_clock(clock, &sec), 0);
	usec = tz_instant(tz, date(day), sec) * CLK_USEC_PER_SEC;
	tz_free(tz);
	assert_int_equal(db_tap_import(db, import_dev, ++import_seq, nip, usec, 0), 1);
}

/* in and out on each listed day */
static void put_day(const char *nip, const char *zone, const char *day, const char *in,
		    const char *out)
{
	put_tap(nip, zone, day, in);
	if (out)
		put_tap(nip, zone, day, out);
}

static const char *const week1[] = {"2025-10-06", "2025-10-07", "2025-10-08", "2025-10-09",
				    "2025-10-10"};
static const char *const week2[] = {"2025-10-13", "2025-10-14", "2025-10-15", "2025-10-17"};

static const char *fri_or(const char *day, const char *weekday_end, const char *friday_end)
{
	return strcmp(day, "2025-10-10") == 0 || strcmp(day, "2025-10-17") == 0 ? friday_end
										: weekday_end;
}

static void put_org(void)
{
	static const struct db_unit units[] = {
	    {"AMB", "Dinas Ambon", "Asia/Jayapura", "permentan"},
	    {"JKT", "Dinas Jakarta", "Asia/Jakarta", "default"},
	    {"RMD", "Dinas Ramadan", "Asia/Jakarta", "default"},
	};
	static const struct db_staff staff[] = {
	    {.nip = "A", .name = "Ani", .unit_id = "JKT", .allowance = 4000000},
	    {.nip = "B", .name = "Budi", .unit_id = "JKT", .allowance = 4000000},
	    {.nip = "C", .name = "Citra", .unit_id = "AMB", .allowance = 4000000},
	    {.nip = "D", .name = "Dedi", .unit_id = "RMD", .allowance = 3000000},
	    {.nip = "E", .name = "Eka \"Ita\" \\ \xc3\x91\t\x01 /", .unit_id = "JKT"},
	};
	struct db_leave leave = {"B", "2025-10-07", "2025-10-08", "CT", "", ""};
	struct db_holiday holiday = {"2025-10-16", "Hari Uji"};

	for (size_t i = 0; i < 3; i++)
		assert_int_equal(db_unit_put(db, &units[i]), 0);
	for (size_t i = 0; i < ARRAY_SIZE(staff); i++)
		assert_int_equal(db_staff_put(db, &staff[i]), 0);
	for (int wd = 1; wd <= 5; wd++) {
		struct db_schedule s = {.unit_id = "RMD",
					.valid_from = "2025-10-13",
					.valid_to = "2025-10-17",
					.weekday = wd,
					.start = "08:00",
					.label = "Ramadan"};

		snprintf(s.end, sizeof(s.end), "%s", wd == 5 ? "15:30" : "15:00");

		assert_int_equal(db_schedule_put(db, &s), 0);
	}
	assert_int_equal(db_holiday_put(db, &holiday), 0);
	assert_int_equal(db_leave_put(db, &leave), 0);
}

static void put_taps(void)
{
	static const char *const a_in[] = {"07:30:59", "07:45", "08:30", "08:31", "09:01"};

	/* A: §7 example 1, one tier each day of week 1; on time in week 2. */
	for (size_t i = 0; i < 5; i++)
		put_day("A", "Asia/Jakarta", week1[i], a_in[i], fri_or(week1[i], "16:00", "16:30"));
	for (size_t i = 0; i < 4; i++)
		put_day("A", "Asia/Jakarta", week2[i], "07:20", fri_or(week2[i], "16:05", "16:35"));
	/* B: Monday only. */
	put_day("B", "Asia/Jakarta", "2025-10-06", "07:00", "16:00");
	/* X: not staff. */
	put_day("X", "Asia/Jakarta", "2025-10-06", "09:00", "10:00");
	/* C in Ambon (WIT). */
	put_day("C", "Asia/Jayapura", "2025-10-06", "07:45", "16:00");
	put_day("C", "Asia/Jayapura", "2025-10-07", "07:00", NULL);
	for (size_t i = 2; i < 5; i++)
		put_day("C", "Asia/Jayapura", week1[i], "07:00",
			fri_or(week1[i], "16:00", "16:30"));
	for (size_t i = 0; i < 4; i++)
		put_day("C", "Asia/Jayapura", week2[i], "07:00",
			fri_or(week2[i], "16:00", "16:30"));
	/* D: 08:10 on a normal Monday and on a Ramadan Monday. */
	put_day("D", "Asia/Jakarta", "2025-10-06", "08:10", "16:00");
	for (size_t i = 1; i < 5; i++)
		put_day("D", "Asia/Jakarta", week1[i], "07:25", fri_or(week1[i], "16:00", "16:30"));
	put_day("D", "Asia/Jakarta", "2025-10-13", "08:10", "15:00");
	for (size_t i = 1; i < 4; i++)
		put_day("D", "Asia/Jakarta", week2[i], "07:55", fri_or(week2[i], "15:00", "15:30"));
}

static int setup(void **state)
{
	(void)state;
	snprintf(db_path, sizeof(db_path), "/tmp/test_discipline.%d.db", (int)getpid());
	(void)unlink(db_path);
	if (db_sqlite_open(db_path, &db) < 0 || db_begin(db) < 0 ||
	    db_device_internal(db, "(import)", 0, &import_dev) < 0)
		return -1;
	put_org();
	put_taps();
	return db_commit(db);
}

static int teardown(void **state)
{
	char path[80];

	(void)state;
	db_close(db);
	(void)unlink(db_path);
	snprintf(path, sizeof(path), "%s-wal", db_path);
	(void)unlink(path);
	snprintf(path, sizeof(path), "%s-shm", db_path);
	(void)unlink(path);
	return 0;
}

static struct discipline *run(const char *from, const char *to, const char *unit)
{
	struct discipline_query q = {.from = date(from), .to = date(to), .unit_id = unit};
	char why[DISCIPLINE_WHY_MAX];
	struct discipline *d = NULL;
	int r = discipline_run(db, PROFILES, &q, &d, why);

	if (r < 0)
		fail_msg("discipline_run: %d %s", r, why);
	return d;
}

static const struct rules_period *period_of(const struct discipline *d, const char *nip)
{
	size_t n;
	const struct report_entry *e = discipline_entries(d, &n);

	for (size_t i = 0; i < n; i++)
		if (strcmp(e[i].emp->nip, nip) == 0)
			return e[i].period;
	fail_msg("no entry for %s", nip);
	return NULL;
}

static void test_discipline_late_tiers(void **state)
{
	struct discipline *d = run("2025-10-06", "2025-10-17", NULL);
	const struct rules_period *p = period_of(d, "A");

	(void)state;
	assert_int_equal(p->working_days, 9); /* ten weekdays, one holiday */
	assert_int_equal(p->present_days, 9);
	assert_int_equal(p->late_minutes, 15 + 60 + 61 + 91);
	assert_int_equal(p->early_minutes, 0);
	assert_int_equal(p->tl[0], 1);
	assert_int_equal(p->tl[1], 1);
	assert_int_equal(p->tl[2], 1);
	assert_int_equal(p->tl[3], 1);
	assert_int_equal(p->tk_days, 0);
	assert_int_equal(p->deduction_bp, 50 + 100 + 125 + 150);
	assert_int_equal(p->deduction_amount, 170000);
	assert_int_equal(p->year.minutes, 227);
	assert_int_equal(p->year.equivalent_days, 0);
	assert_null(p->year.sanction);
	discipline_free(d);
}

static void test_discipline_tk_leave_holiday(void **state)
{
	struct discipline *d = run("2025-10-06", "2025-10-17", "JKT");
	const struct rules_period *p = period_of(d, "B");
	size_t n;

	(void)state;
	(void)discipline_entries(d, &n);
	assert_int_equal(n, 3); /* A, B, E; X is no staff, C and D other units */
	assert_int_equal(p->working_days, 9);
	assert_int_equal(p->present_days, 1);
	assert_int_equal(p->leave_days[CAL_LEAVE_CT], 2);
	assert_int_equal(p->tk_days, 6); /* 9, 10, 13, 14, 15, 17: not the 16th */
	assert_int_equal(p->deduction_bp, 6 * 300);
	assert_int_equal(p->deduction_amount, 720000);
	assert_int_equal(p->year.tk_days, 6);
	assert_int_equal(p->year.max_consecutive_tk, 6); /* the weekend and holiday skipped */
	assert_non_null(p->year.sanction);
	assert_string_equal(p->year.sanction->code, "teguran_tertulis");
	discipline_free(d);
}

static void test_discipline_wit_unit_permentan(void **state)
{
	struct discipline *d = run("2025-10-06", "2025-10-17", "AMB");
	const struct rules_period *p = period_of(d, "C");

	(void)state;
	assert_int_equal(p->working_days, 9);
	assert_int_equal(p->present_days, 9);
	assert_int_equal(p->late_minutes, 15); /* 07:45 WIT on Monday, not a Sunday tap */
	assert_int_equal(p->tl[0], 1);
	assert_int_equal(p->psw[3], 1); /* no check-out on Tuesday: PSW4 */
	assert_int_equal(p->deduction_bp, 50 + 200);
	assert_int_equal(p->deduction_amount, 100000);
	discipline_free(d);
}

static void test_discipline_ramadan_range(void **state)
{
	struct discipline *d = run("2025-10-06", "2025-10-17", "RMD");
	const struct rules_period *p = period_of(d, "D");

	(void)state;
	assert_int_equal(p->late_minutes, 40 + 10);
	assert_int_equal(p->tl[0], 1); /* Ramadan Monday: 10 minutes after 08:00 */
	assert_int_equal(p->tl[1], 1); /* normal Monday: 40 minutes after 07:30 */
	assert_int_equal(p->early_minutes, 0);
	assert_int_equal(p->deduction_bp, 150);
	assert_int_equal(p->deduction_amount, 45000);
	discipline_free(d);
}

/* Week 2 alone: the period is clean, the year part still holds week 1. */
static void test_discipline_year_to_date(void **state)
{
	struct discipline *d = run("2025-10-13", "2025-10-17", NULL);
	const struct rules_period *a = period_of(d, "A"), *b = period_of(d, "B");

	(void)state;
	assert_int_equal(a->working_days, 4);
	assert_int_equal(a->late_minutes, 0);
	assert_int_equal(a->deduction_bp, 0);
	assert_int_equal(a->year.minutes, 227);
	assert_int_equal(b->tk_days, 4);
	assert_int_equal(b->year.tk_days, 6);
	assert_int_equal(b->year.max_consecutive_tk, 6);
	discipline_free(d);
}

/* Before a unit's first tap nothing is held against anyone: no TK since January. */
static void test_discipline_tracked_since_first_tap(void **state)
{
	struct discipline *d = run("2025-09-01", "2025-09-30", "JKT");
	const struct rules_period *b = period_of(d, "B");

	(void)state;
	assert_int_equal(b->working_days, 0);
	assert_int_equal(b->tk_days, 0);
	assert_int_equal(b->year.tk_days, 0);
	discipline_free(d);
}

static void test_discipline_unknown_unit_and_nip(void **state)
{
	struct discipline_query q = {
	    .from = date("2025-10-06"), .to = date("2025-10-17"), .unit_id = "NOPE"};
	char why[DISCIPLINE_WHY_MAX];
	struct discipline *d = NULL;
	json_t *j = NULL;

	(void)state;
	assert_int_equal(discipline_run(db, PROFILES, &q, &d, why), -ENOENT);
	assert_non_null(strstr(why, "NOPE"));
	q.unit_id = NULL;
	q.nip = "X";
	assert_int_equal(discipline_explain(db, PROFILES, &q, &j, why), -ENOENT);
	assert_non_null(strstr(why, "'X'"));
	assert_int_equal(discipline_run(db, "/nonexistent", &q, &d, why), -EINVAL);
	assert_non_null(strstr(why, "profile"));
}

static void test_discipline_explain_days(void **state)
{
	struct discipline_query q = {
	    .from = date("2025-10-06"), .to = date("2025-10-17"), .nip = "A"};
	char why[DISCIPLINE_WHY_MAX];
	json_t *j = NULL, *days, *thu;

	(void)state;
	assert_int_equal(discipline_explain(db, PROFILES, &q, &j, why), 0);
	days = json_object_get(j, "days");
	assert_int_equal(json_array_size(days), 12);
	thu = json_array_get(days, 3);
	assert_string_equal(json_string_value(json_object_get(thu, "date")), "2025-10-09");
	assert_string_equal(json_string_value(json_object_get(thu, "check_in")), "08:31:00");
	assert_string_equal(json_string_value(json_object_get(thu, "tl")), "TL3");
	assert_int_equal(json_integer_value(json_object_get(thu, "late_minutes")), 61);
	assert_string_equal(json_string_value(json_object_get(json_array_get(days, 10), "off")),
			    "holiday");
	assert_int_equal(
	    json_integer_value(json_object_get(json_object_get(j, "totals"), "deduction_amount")),
	    170000);
	json_decref(j);
}

static void test_discipline_formats(void **state)
{
	struct discipline *d = run("2025-10-06", "2025-10-17", "JKT");
	char *data = NULL;
	size_t len = 0;

	(void)state;
	assert_int_equal(
	    discipline_format(d, DISCIPLINE_EMPLOYEES, DISCIPLINE_CSV, NULL, &data, &len), 0);
	assert_non_null(strstr(data, "\r\nA,Ani,JKT,9,9,227,0,1,1,1,1,0,0,0,0,0,"));
	assert_non_null(strstr(data, ",4.25,170000,"));
	free(data);
	assert_int_equal(
	    discipline_format(d, DISCIPLINE_EMPLOYEES, DISCIPLINE_XLSX, NULL, &data, &len), 0);
	assert_true(len > 1000);
	assert_memory_equal(data, "PK\3\4", 4);
	free(data);
	assert_int_equal(
	    discipline_format(d, DISCIPLINE_EMPLOYEES, DISCIPLINE_JSON, NULL, &data, &len), 0);
	assert_non_null(strstr(data, "\"deduction_pct\":4.25"));
	free(data);
	discipline_free(d);
}

/*
 * The unit summaries come from the same evaluation: each unit's employees are
 * its own entries in NIP order, and its summary is rules_summarize() of their
 * periods; the total adds up every employee.
 */
static void test_discipline_units(void **state)
{
	struct discipline *d = run("2025-10-06", "2025-10-17", NULL);
	size_t n_units, n_entries, seen = 0;
	const struct report_unit *u = discipline_units(d, &n_units);
	const struct report_entry *all = discipline_entries(d, &n_entries);
	const struct rules_summary *total = discipline_total(d);
	struct rules_period periods[8];
	struct rules_summary want;
	int64_t amount = 0;

	(void)state;
	assert_int_equal(n_units, 3);
	assert_string_equal(u[0].unit_id, "AMB");
	assert_string_equal(u[0].profile, "permentan");
	assert_string_equal(u[1].unit_id, "JKT");
	assert_string_equal(u[1].name, "Dinas Jakarta");
	assert_int_equal(u[1].n_entries, 3); /* A, B, E */
	for (size_t i = 0; i < n_units; i++) {
		assert_true(u[i].n_entries <= ARRAY_SIZE(periods));
		for (size_t k = 0; k < u[i].n_entries; k++) {
			assert_string_equal(u[i].entries[k].emp->unit_id, u[i].unit_id);
			if (k)
				assert_true(strcmp(u[i].entries[k - 1].emp->nip,
						   u[i].entries[k].emp->nip) < 0);
			periods[k] = *u[i].entries[k].period;
		}
		rules_summarize(periods, u[i].n_entries, &want);
		assert_memory_equal(&want, &u[i].summary, sizeof(want));
		seen += u[i].n_entries;
	}
	assert_int_equal(seen, n_entries);
	for (size_t i = 0; i < n_entries; i++)
		amount += all[i].period->deduction_amount;
	assert_int_equal(total->head_count, n_entries);
	assert_int_equal(total->deduction_amount, amount);
	/* JKT: A's 5 compliant days of 9, B's 1 of 7, E (never tapped) 0 of 9. */
	assert_int_equal(u[1].summary.compliant_days, 6);
	assert_int_equal(u[1].summary.required_days, 25);
	assert_int_equal(u[1].summary.n_sanctioned, 2);
	discipline_free(d);
}

/* The summary as JSON (units, then the total) and as CSV, one row per unit. */
static void test_discipline_units_formats(void **state)
{
	struct discipline *d = run("2025-10-06", "2025-10-17", "JKT");
	json_t *root, *jkt, *list;
	char *data = NULL;
	size_t len = 0;

	(void)state;
	assert_int_equal(discipline_format(d, DISCIPLINE_UNITS, DISCIPLINE_JSON, NULL, &data, &len),
			 0);
	root = json_loads(data, 0, NULL);
	assert_non_null(root);
	free(data);
	assert_string_equal(json_string_value(json_object_get(root, "from")), "2025-10-06");
	assert_int_equal(json_array_size(json_object_get(root, "units")), 1);
	jkt = json_array_get(json_object_get(root, "units"), 0);
	assert_string_equal(json_string_value(json_object_get(jkt, "unit_id")), "JKT");
	assert_string_equal(json_string_value(json_object_get(jkt, "timezone")), "Asia/Jakarta");
	assert_int_equal(json_integer_value(json_object_get(jkt, "head_count")), 3);
	assert_int_equal(json_integer_value(json_object_get(jkt, "compliance_bp")), 2400);
	list = json_object_get(jkt, "sanctioned_employees");
	assert_int_equal(json_array_size(list), 2);
	assert_string_equal(json_string_value(json_object_get(json_array_get(list, 0), "nip")),
			    "B");
	/* E's name has a tab and a control byte: escaped, not refused. */
	assert_string_equal(json_string_value(json_object_get(json_array_get(list, 1), "name")),
			    "Eka \"Ita\" \\ \xc3\x91\t\x01 /");
	assert_true(json_is_null(json_object_get(json_object_get(root, "total"), "unit_id")));
	assert_int_equal(
	    json_integer_value(json_object_get(json_object_get(root, "total"), "head_count")), 3);
	json_decref(root);
	assert_int_equal(discipline_format(d, DISCIPLINE_UNITS, DISCIPLINE_CSV, NULL, &data, &len),
			 0);
	assert_non_null(strstr(data, "\r\nJKT,Dinas Jakarta,3,27,25,6,24.00,"));
	free(data);
	discipline_free(d);
}

/* Sheet names: unit ids that differ only in case, or take a reserved name, still get sheets. */
static void test_discipline_xlsx_sheet_names(void **state)
{
	static const char *const ids[] = {"JKT",
					  "jkt",
					  "Ringkasan",
					  "History",
					  "A234567890123456789012345678901",
					  "a234567890123456789012345678901"};
	struct report_unit units[ARRAY_SIZE(ids)];
	struct rules_summary total = {.head_count = 0};
	char *data = NULL;
	size_t len = 0;

	(void)state;
	memset(units, 0, sizeof(units));
	for (size_t i = 0; i < ARRAY_SIZE(ids); i++)
		units[i] =
		    (struct report_unit){.unit_id = ids[i], .name = "", .profile = "default"};
	assert_int_equal(xlsx_discipline(date("2025-10-06"), date("2025-10-17"), units,
					 ARRAY_SIZE(units), &total, &data, &len),
			 0);
	assert_memory_equal(data, "PK\3\4", 4);
	free(data);
}

/* Written employee by employee, the JSON is byte for byte the one tree's dump. */
static void test_discipline_json_stream_is_tree(void **state)
{
	struct discipline *d = run("2025-10-06", "2025-10-17", NULL);
	json_t *tree = NULL, *extra = json_pack("{s:I}", "server_time_usec", (json_int_t)42);
	char *data = NULL, *text = NULL;
	size_t n, len = 0;
	const struct report_entry *e = discipline_entries(d, &n);

	(void)state;
	assert_int_equal(
	    report_discipline_json(date("2025-10-06"), date("2025-10-17"), e, n, &tree), 0);
	assert_int_equal(report_dumps(tree, &text), 0);
	assert_int_equal(
	    discipline_format(d, DISCIPLINE_EMPLOYEES, DISCIPLINE_JSON, NULL, &data, &len), 0);
	assert_int_equal(len, strlen(text));
	assert_string_equal(data, text);
	free(data);
	free(text);
	assert_int_equal(json_object_set_new(tree, "server_time_usec", json_integer(42)), 0);
	assert_int_equal(report_dumps(tree, &text), 0);
	assert_int_equal(
	    discipline_format(d, DISCIPLINE_EMPLOYEES, DISCIPLINE_JSON, extra, &data, &len), 0);
	assert_string_equal(data, text);
	free(data);
	free(text);
	json_decref(tree);
	json_decref(extra);
	discipline_free(d);
}

/* A name that is not UTF-8 (jansson refuses it) still gives valid JSON, with U+FFFD. */
static void test_discipline_json_bad_utf8(void **state)
{
	struct rules_employee emp = {"N", "Bad \xff\xc3 end \xed\xa0\x80", "JKT", 0, NULL, 0, 0, 0};
	struct rules_period period;
	struct report_entry e = {&emp, &period};
	char *data = NULL;
	size_t len = 0;
	FILE *out = open_memstream(&data, &len);
	json_t *root;

	(void)state;
	memset(&period, 0, sizeof(period));
	assert_non_null(out);
	assert_int_equal(report_discipline_json_write(out, 0, 0, &e, 1, NULL), 0);
	assert_int_equal(fclose(out), 0);
	root = json_loads(data, 0, NULL);
	assert_non_null(root);
	assert_string_equal(
	    json_string_value(
		json_object_get(json_array_get(json_object_get(root, "employees"), 0), "name")),
	    "Bad \xef\xbf\xbd\xef\xbf\xbd end \xef\xbf\xbd\xef\xbf\xbd\xef\xbf\xbd");
	json_decref(root);
	free(data);
}

static void test_discipline_parse_period(void **state)
{
	char why[DISCIPLINE_WHY_MAX];
	int32_t f, t;

	(void)state;
	assert_int_equal(discipline_parse_period("2025-01-01", "2025-12-31", &f, &t, why), 0);
	assert_int_equal(t - f, 364);
	assert_int_equal(discipline_parse_period("2024-01-01", "2024-12-31", &f, &t, why), 0);
	assert_int_equal(discipline_parse_period("2024-01-01", "2025-01-01", &f, &t, why), -EINVAL);
	assert_non_null(strstr(why, "at most 366"));
	assert_int_equal(discipline_parse_period("2025-10-10", "2025-10-09", &f, &t, why), -EINVAL);
	assert_non_null(strstr(why, "before"));
	assert_int_equal(discipline_parse_period("2025-13-01", "2025-12-31", &f, &t, why), -EINVAL);
	assert_non_null(strstr(why, "from"));
	assert_int_equal(discipline_parse_period(NULL, "2025-12-31", &f, &t, why), -EINVAL);
	assert_int_equal(discipline_parse_period("2025-1-1", "2025-12-31", &f, &t, why), -EINVAL);
}

static bool keep_listed(const char *nip, const char *unit_id, const char *supervisor_nip, void *arg)
{
	(void)unit_id;
	(void)supervisor_nip;
	for (const char *const *kept = arg; *kept; kept++)
		if (strcmp(*kept, nip) == 0)
			return true;
	return false;
}

static void assert_same_period(const struct rules_period *a, const struct rules_period *b)
{
	assert_int_equal(a->working_days, b->working_days);
	assert_int_equal(a->present_days, b->present_days);
	assert_int_equal(a->late_minutes, b->late_minutes);
	assert_int_equal(a->early_minutes, b->early_minutes);
	for (size_t t = 0; t < PROFILE_TIERS; t++) {
		assert_int_equal(a->tl[t], b->tl[t]);
		assert_int_equal(a->psw[t], b->psw[t]);
	}
	assert_int_equal(a->tk_days, b->tk_days);
	assert_int_equal(a->required_days, b->required_days);
	assert_int_equal(a->compliant_days, b->compliant_days);
	assert_int_equal(a->deduction_bp, b->deduction_bp);
	assert_int_equal(a->deduction_amount, b->deduction_amount);
	assert_int_equal(a->year.minutes, b->year.minutes);
}

/*
 * A few people of many (a supervisor's, a search): their taps are read one
 * person at a time instead of from the whole stream, and every figure is the
 * same as in the report of everyone. Twenty more staff without taps make the
 * kept five a fifth of the candidates; the kept span three units, and two of
 * them (E, Z03) have no taps, between and after those who have. Last: it adds
 * staff.
 */
static void test_discipline_few_kept_read_per_person(void **state)
{
	static const char *kept[] = {"A", "C", "D", "E", "Z03", NULL};
	struct discipline_query q = {.from = date("2025-10-06"),
				     .to = date("2025-10-17"),
				     .keep = keep_listed,
				     .keep_arg = kept};
	char why[DISCIPLINE_WHY_MAX];
	struct discipline *all, *few = NULL;
	const struct report_entry *e;
	size_t n;

	(void)state;
	assert_int_equal(db_begin(db), 0);
	for (int i = 0; i < 20; i++) {
		struct db_staff z = {.unit_id = "JKT", .allowance = 1000000};

		snprintf(z.nip, sizeof(z.nip), "Z%02d", i);
		snprintf(z.name, sizeof(z.name), "Zul %d", i);
		assert_int_equal(db_staff_put(db, &z), 0);
	}
	assert_int_equal(db_commit(db), 0);
	all = run("2025-10-06", "2025-10-17", NULL);
	assert_int_equal(discipline_run(db, PROFILES, &q, &few, why), 0);
	e = discipline_entries(few, &n);
	assert_int_equal(n, 5);
	for (size_t i = 0; i < n; i++) {
		assert_string_equal(e[i].emp->nip, kept[i]);
		assert_same_period(e[i].period, period_of(all, kept[i]));
	}
	assert_true(period_of(few, "A")->tl[3] == 1); /* taps were read: A's 09:01 */
	assert_int_equal(period_of(few, "E")->present_days, 0);
	discipline_free(few);
	discipline_free(all);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_discipline_late_tiers),
	    cmocka_unit_test(test_discipline_tk_leave_holiday),
	    cmocka_unit_test(test_discipline_wit_unit_permentan),
	    cmocka_unit_test(test_discipline_ramadan_range),
	    cmocka_unit_test(test_discipline_year_to_date),
	    cmocka_unit_test(test_discipline_tracked_since_first_tap),
	    cmocka_unit_test(test_discipline_unknown_unit_and_nip),
	    cmocka_unit_test(test_discipline_explain_days),
	    cmocka_unit_test(test_discipline_formats),
	    cmocka_unit_test(test_discipline_units),
	    cmocka_unit_test(test_discipline_units_formats),
	    cmocka_unit_test(test_discipline_xlsx_sheet_names),
	    cmocka_unit_test(test_discipline_json_stream_is_tree),
	    cmocka_unit_test(test_discipline_json_bad_utf8),
	    cmocka_unit_test(test_discipline_parse_period),
	    cmocka_unit_test(test_discipline_few_kept_read_per_person),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
