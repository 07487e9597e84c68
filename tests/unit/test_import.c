// SPDX-License-Identifier: MIT
/*
 * CSV import into the SQLite store: header-driven columns, every bad row
 * named by line and column, nothing stored from a bad file, what each kind
 * replaces, the roster version, idempotent taps.
 */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "server/db.h"
#include "server/import.h"
#include "tests/unit/tmpdb.h"

#define NIP_A "198501012010011001"
#define NIP_B "199002022015022002"
#define NIP_C "197803152005011002"

#define UNITS_OK                                                                                   \
	"unit_id,name,timezone,profile\n"                                                          \
	"U1,Dinas Satu,Asia/Jakarta,default\n"                                                     \
	"U2,Dinas Dua,Asia/Jayapura,permentan\n"

struct fixture {
	struct tmpdb t;
	struct db *db;
	struct import_result res;
};

static const struct import_opts opts = {.profiles_dir = "profiles", .now_usec = 1000};

static int setup(void **state)
{
	struct fixture *f = calloc(1, sizeof(*f));

	assert_non_null(f);
	tmpdb_open(&f->t);
	f->db = f->t.db;
	*state = f;
	return 0;
}

static int teardown(void **state)
{
	struct fixture *f = *state;

	tmpdb_close(&f->t);
	free(f);
	return 0;
}

/* Import text as file "t.csv"; returns import_stream's result. */
static int import(struct fixture *f, enum import_kind kind, const char *text)
{
	FILE *in = fmemopen((void *)(uintptr_t)text, strlen(text), "r");
	int r;

	assert_non_null(in);
	r = import_stream(f->db, kind, in, "t.csv", &opts, &f->res);
	fclose(in);
	return r;
}

static void import_ok(struct fixture *f, enum import_kind kind, const char *text)
{
	int r = import(f, kind, text);

	if (r != 0)
		print_error("%s", f->res.diag.text);
	assert_int_equal(r, 0);
	assert_int_equal(f->res.diag.n_errors, 0);
}

/* The file is refused with exactly n problems, each line of want among them. */
static void import_bad(struct fixture *f, enum import_kind kind, const char *text, unsigned n,
		       const char *const *want)
{
	assert_int_equal(import(f, kind, text), -EINVAL);
	for (; *want; want++) {
		if (!strstr(f->res.diag.text, *want))
			print_error("missing '%s' in:\n%s", *want, f->res.diag.text);
		assert_non_null(strstr(f->res.diag.text, *want));
	}
	if (f->res.diag.n_errors != n)
		print_error("%s", f->res.diag.text);
	assert_int_equal(f->res.diag.n_errors, n);
}

static void summary(struct fixture *f, enum import_kind kind, const char *want)
{
	char line[128];

	import_summary(kind, &f->res, line, sizeof(line));
	assert_string_equal(line, want);
}

static int count_unit(const struct db_unit *unit, void *user)
{
	(void)unit;
	(*(size_t *)user)++;
	return 0;
}

static int count_staff(const struct db_staff *staff, void *user)
{
	(void)staff;
	(*(size_t *)user)++;
	return 0;
}

static size_t n_units(struct db *db)
{
	size_t n = 0;

	assert_int_equal(db_units(db, NULL, count_unit, &n), 0);
	return n;
}

static size_t n_staff(struct db *db)
{
	size_t n = 0;

	assert_int_equal(db_staff(db, NULL, count_staff, &n), 0);
	return n;
}

static int64_t roster_version(struct db *db)
{
	struct db_roster_state st;

	assert_int_equal(db_roster_state(db, &st), 0);
	return st.version;
}

static void test_import_kind_parse_names(void **state)
{
	enum import_kind k;

	(void)state;
	assert_int_equal(import_kind_parse("staff", &k), 0);
	assert_int_equal(k, IMPORT_STAFF);
	assert_int_equal(import_kind_parse("taps", &k), 0);
	assert_int_equal(k, IMPORT_TAPS);
	assert_int_equal(import_kind_parse("Staff", &k), -EINVAL);
	assert_string_equal(import_kind_name(IMPORT_SCHEDULES), "schedules");
}

static void test_import_units_good(void **state)
{
	struct fixture *f = *state;

	import_ok(f, IMPORT_UNITS, UNITS_OK);
	summary(f, IMPORT_UNITS, "imported 2 units");
	assert_int_equal(n_units(f->db), 2);
	assert_int_equal(roster_version(f->db), 1);
	/* Columns in any order, any case; a replacement drops what the file leaves out. */
	import_ok(f, IMPORT_UNITS,
		  "Profile,TIMEZONE,unit_id,name\r\ndefault,Asia/Makassar,U3,Tiga\r\n");
	assert_int_equal(n_units(f->db), 1);
	assert_int_equal(roster_version(f->db), 2);
}

static void test_import_units_bad_rows(void **state)
{
	struct fixture *f = *state;
	static const char *const want[] = {
	    "t.csv:2: timezone: unknown zone 'Asia/Atlantis'",
	    "t.csv:3: profile: no valid rule profile 'nope' in profiles",
	    "t.csv:4: unit_id: 'U 4': 1 to 31 of A-Z a-z 0-9 . _ -",
	    "t.csv:6: unit_id: 'U5' already defined on line 5",
	    "t.csv:7: name: required",
	    "t.csv:8: profile: required",
	    NULL,
	};

	import_bad(f, IMPORT_UNITS,
		   "unit_id,name,timezone,profile\n"
		   "U1,A,Asia/Atlantis,default\n"
		   "U2,B,Asia/Jakarta,nope\n"
		   "U 4,D,Asia/Jakarta,default\n"
		   "U5,E,Asia/Jakarta,default\n"
		   "U5,E,Asia/Jakarta,default\n"
		   "U6,,Asia/Jakarta,default\n"
		   "U7,G,Asia/Jakarta,\n",
		   6, want);
	assert_int_equal(n_units(f->db), 0);
	assert_int_equal(roster_version(f->db), 0);
}

static void test_import_header_problems(void **state)
{
	struct fixture *f = *state;
	static const char *const unknown[] = {
	    "t.csv:1: header: 'zone' is not a column of units files (unit_id, name, timezone, "
	    "profile)",
	    "t.csv:1: header: column 'timezone' missing",
	    NULL,
	};
	static const char *const twice[] = {"t.csv:1: header: column 'name' appears twice", NULL};
	static const char *const empty[] = {"t.csv: header: empty file", NULL};
	static const char *const width[] = {"t.csv:5: row: 3 fields, but the header has 4", NULL};

	import_bad(f, IMPORT_UNITS, "unit_id,name,zone,profile\nU1,A,Asia/Jakarta,default\n", 2,
		   unknown);
	import_bad(f, IMPORT_UNITS, "unit_id,name,timezone,profile,name\n", 1, twice);
	import_bad(f, IMPORT_UNITS, "", 1, empty);
	/* Rows of empty cells (spreadsheets) are skipped; a short row is not. */
	import_bad(f, IMPORT_UNITS, UNITS_OK ",,,\nU3,C,UTC\n", 1, width);
	assert_int_equal(n_units(f->db), 0);
}

static void test_import_staff_good(void **state)
{
	struct fixture *f = *state;
	struct db_staff s;
	struct db_roster_state st;

	import_ok(f, IMPORT_UNITS, UNITS_OK);
	import_ok(f, IMPORT_STAFF,
		  "nip,name,unit_id,card,fingerprint_id,allowance,supervisor_nip\n" NIP_C
		  ",Bambang,U1,5120388,1,6200000,\n" NIP_A ",Ani,U1,0042,2,4500000," NIP_C
		  "\n" NIP_A ",Ani,U1,1042,,4500000," NIP_C "\n");
	summary(f, IMPORT_STAFF, "imported 2 staff (1 unit)");
	assert_int_equal(db_staff_get(f->db, NIP_A, &s), 0);
	assert_string_equal(s.name, "Ani");
	assert_int_equal(s.allowance, 4500000);
	assert_string_equal(s.supervisor_nip, NIP_C);
	assert_int_equal(s.n_cards, 2);
	assert_string_equal(s.cards[0], "42"); /* as the kiosk reads it */
	assert_string_equal(s.cards[1], "1042");
	assert_int_equal(s.n_fingers, 1);
	assert_int_equal(s.fingers[0], 2);
	assert_int_equal(db_roster_state(f->db, &st), 0);
	assert_true(st.has_staff);

	/* Old files without supervisor_nip stay valid; staff is replaced as a whole. */
	import_ok(f, IMPORT_STAFF,
		  "nip,name,unit_id,card,fingerprint_id,allowance\n" NIP_B ",Budi,U2,42,,0\n");
	assert_int_equal(n_staff(f->db), 1);
	assert_int_equal(db_staff_get(f->db, NIP_A, &s), -ENOENT);
	assert_int_equal(db_staff_get(f->db, NIP_B, &s), 0);
	assert_string_equal(s.cards[0], "42"); /* free again once Ani left */
}

static void test_import_staff_bad_rows(void **state)
{
	struct fixture *f = *state;
	static const char *const want[] = {
	    "t.csv:2: nip: '12345' is not an NIP of 18 digits",
	    "t.csv:2: card: '4x2' is not a card number",
	    "t.csv:2: fingerprint_id: '70000' is not a slot from 0 to 65535",
	    "t.csv:2: allowance: '-1' is not a whole number of Rupiah",
	    "t.csv:3: unit_id: unknown unit 'U9' (import units first)",
	    "t.csv:3: allowance: required",
	    "t.csv:5: card: 42 already belongs to NIP " NIP_A,
	    "t.csv:6: nip: " NIP_A " is on an earlier line with another name",
	    "t.csv:7: supervisor_nip: a person cannot be their own supervisor",
	    "t.csv:4: supervisor_nip: " NIP_C " is not in this file",
	    NULL,
	};

	import_ok(f, IMPORT_UNITS, UNITS_OK);
	import_ok(f, IMPORT_STAFF,
		  "nip,name,unit_id,card,fingerprint_id,allowance\n" NIP_B ",Budi,U1,7,,1\n");
	import_bad(f, IMPORT_STAFF,
		   "nip,name,unit_id,card,fingerprint_id,allowance,supervisor_nip\n"
		   "12345,Ani,U1,4x2,70000,-1,\n" NIP_A ",Ani,U9,,,,\n" NIP_A ",Ani,U1,42,,1," NIP_C
		   "\n" NIP_B ",Budi,U1,042,,1,\n" NIP_A ",Anita,U1,,,1," NIP_C "\n"
		   "199305172019031004,Yo,U1,,,1,199305172019031004\n",
		   10, want);
	/* Nothing of the bad file: the earlier staff are still there. */
	assert_int_equal(n_staff(f->db), 1);
}

static void test_import_units_in_use_kept(void **state)
{
	struct fixture *f = *state;
	static const char *const want[] = {
	    "t.csv: unit_id: 'U2' is not in the file but still in use (staff: 1)", NULL};

	import_ok(f, IMPORT_UNITS, UNITS_OK);
	import_ok(f, IMPORT_STAFF,
		  "nip,name,unit_id,card,fingerprint_id,allowance\n" NIP_B ",Budi,U2,,,1\n");
	import_bad(f, IMPORT_UNITS, "unit_id,name,timezone,profile\nU1,A,Asia/Jakarta,default\n", 1,
		   want);
	assert_int_equal(n_units(f->db), 2);
}

static int schedule_unit(const struct db_schedule *s, void *user)
{
	char *buf = user;
	size_t len = strlen(buf);

	snprintf(buf + len, 256 - len, "%s/%d/%s-%s%s;", s->unit_id, s->weekday, s->start, s->end,
		 s->label);
	return 0;
}

static void test_import_schedules_replace_per_unit(void **state)
{
	struct fixture *f = *state;
	static const char *const want[] = {
	    "t.csv:2: valid_to: '2026-01-01' is before valid_from '2026-12-31'",
	    "t.csv:3: weekday: not 1 (Monday) to 7 (Sunday): '8'",
	    "t.csv:4: end: '07:00' is not after start '16:00'",
	    "t.csv:5: unit_id: unknown unit 'U9'",
	    "t.csv:7: weekday: unit 'U1' already has hours for weekday 1",
	    NULL,
	};
	char buf[256] = "";

	import_ok(f, IMPORT_UNITS, UNITS_OK);
	import_ok(f, IMPORT_SCHEDULES,
		  "unit_id,valid_from,valid_to,weekday,start,end\n"
		  "U1,2026-01-01,2026-12-31,1,07:30,16:00\n"
		  "U2,2026-01-01,2026-12-31,1,07:30,16:00:30\n");
	summary(f, IMPORT_SCHEDULES, "imported 2 schedules (2 units)");
	import_ok(f, IMPORT_SCHEDULES,
		  "unit_id,valid_from,valid_to,weekday,start,end,label\n"
		  "U1,2026-02-18,2026-03-19,5,08:00,15:30,Ramadan\n");
	assert_int_equal(db_schedules(f->db, NULL, schedule_unit, buf), 0);
	assert_string_equal(buf, "U2/1/07:30-16:00:30;U1/5/08:00-15:30Ramadan;");
	assert_int_equal(roster_version(f->db), 3);

	import_bad(f, IMPORT_SCHEDULES,
		   "unit_id,valid_from,valid_to,weekday,start,end\n"
		   "U1,2026-12-31,2026-01-01,1,07:30,16:00\n"
		   "U1,2026-01-01,2026-12-31,8,07:30,16:00\n"
		   "U1,2026-01-01,2026-12-31,2,16:00,07:00\n"
		   "U9,2026-01-01,2026-12-31,1,07:30,16:00\n"
		   "U1,2026-01-01,2026-12-31,1,07:30,16:00\n"
		   "U1,2026-01-01,2026-12-31,1,08:00,16:00\n",
		   5, want);
	buf[0] = '\0';
	assert_int_equal(db_schedules(f->db, NULL, schedule_unit, buf), 0);
	assert_string_equal(buf, "U2/1/07:30-16:00:30;U1/5/08:00-15:30Ramadan;");
}

static int holiday_date(const struct db_holiday *h, void *user)
{
	strcat(user, h->date);
	strcat(user, ";");
	return 0;
}

static void test_import_holidays_replace_per_year(void **state)
{
	struct fixture *f = *state;
	static const char *const want[] = {
	    "t.csv:3: date: 2026-12-25 is already a holiday ('Natal', line 2)",
	    "t.csv:4: date: not a date (YYYY-MM-DD): '2026-02-30'",
	    "t.csv:5: name: required",
	    NULL,
	};
	char buf[256] = "";

	import_ok(f, IMPORT_HOLIDAYS, "date,name\n2025-12-25,Natal\n2026-01-01,Tahun Baru\n");
	summary(f, IMPORT_HOLIDAYS, "imported 2 holidays (2025, 2026)");
	import_ok(f, IMPORT_HOLIDAYS, "date,name\n2026-12-25,Natal\n");
	assert_int_equal(db_holidays(f->db, NULL, holiday_date, buf), 0);
	assert_string_equal(buf, "2025-12-25;2026-12-25;");
	import_bad(f, IMPORT_HOLIDAYS,
		   "date,name\n2026-12-25,Natal\n2026-12-25,Natal lagi\n2026-02-30,X\n"
		   "2026-08-17,\n",
		   3, want);
	buf[0] = '\0';
	assert_int_equal(db_holidays(f->db, NULL, holiday_date, buf), 0);
	assert_string_equal(buf, "2025-12-25;2026-12-25;");
}

static void test_import_leave_checks(void **state)
{
	struct fixture *f = *state;
	static const char *const want[] = {
	    "t.csv:2: nip: " NIP_C " is not on the staff (import staff first)",
	    "t.csv:3: code: unknown leave code 'XX'",
	    "t.csv:4: to: '2026-01-01' is before from '2026-01-05'",
	    "t.csv:5: from: overlaps the CT record of " NIP_A " from 2025-12-30 to 2026-01-02",
	    NULL,
	};

	import_ok(f, IMPORT_UNITS, UNITS_OK);
	import_ok(f, IMPORT_STAFF,
		  "nip,name,unit_id,card,fingerprint_id,allowance\n" NIP_A ",Ani,U1,,,1\n" NIP_B
		  ",Budi,U1,,,1\n");
	import_ok(f, IMPORT_LEAVE,
		  "nip,from,to,code\n" NIP_A ",2025-12-30,2026-01-02,CT\n" NIP_B
		  ",2026-03-02,2026-03-02,I\n");
	summary(f, IMPORT_LEAVE, "imported 2 leave records (2025, 2026)");
	assert_int_equal(roster_version(f->db), 2); /* leave is not roster data */
	/* A 2026 file: 2025's record stays and must not overlap the new ones. */
	import_bad(f, IMPORT_LEAVE,
		   "nip,from,to,code\n" NIP_C ",2026-01-05,2026-01-05,S\n" NIP_A
		   ",2026-01-05,2026-01-05,XX\n" NIP_A ",2026-01-05,2026-01-01,S\n" NIP_A
		   ",2026-01-02,2026-01-02,S\n",
		   4, want);
	import_ok(f, IMPORT_LEAVE,
		  "nip,from,to,code,time_from,time_to\n" NIP_A
		  ",2026-01-05,2026-01-05,I,08:00,10:00\n" NIP_A ",2026-01-06,2026-01-07,CT,,\n");
	summary(f, IMPORT_LEAVE, "imported 2 leave records (2026)");
}

static void test_import_taps_idempotent(void **state)
{
	struct fixture *f = *state;
	static const char *const want[] = {
	    "t.csv:3: time: '2026-01-05T07:25:13' is not an ISO 8601 time with its offset",
	    "t.csv:4: nip: required",
	    NULL,
	};
	static const char taps[] = "nip,time\n" NIP_A ",2026-01-05T07:25:13+07:00\n" NIP_A
				   ",2026-01-05T16:04:40+07:00\n" NIP_A
				   ",2026-01-05T09:04:40Z\n"; /* the same instant again */

	import_ok(f, IMPORT_TAPS, taps);
	summary(f, IMPORT_TAPS, "imported 2 taps (1 already stored)");
	import_ok(f, IMPORT_TAPS, taps);
	summary(f, IMPORT_TAPS, "imported 0 taps (3 already stored)");
	import_bad(f, IMPORT_TAPS,
		   "nip,time\n" NIP_B ",2026-01-05T07:25:13+07:00\n" NIP_B
		   ",2026-01-05T07:25:13\n,2026-01-05T07:25:13+07:00\n",
		   2, want);
	assert_int_equal(roster_version(f->db), 0);
}

static int count_tap(const struct db_tap *tap, void *user)
{
	(void)tap;
	(*(size_t *)user)++;
	return 0;
}

/* More taps than one transaction holds: a bad last row still stores nothing. */
static void test_import_taps_chunked_all_or_nothing(void **state)
{
	struct fixture *f = *state;
	struct db_tap_query q = {.from_usec = INT64_MIN, .to_usec = INT64_MAX};
	size_t rows = IMPORT_CHUNK_ROWS * 2 + 500, len = 0, cap = rows * 48 + 64, n = 0;
	char *text = malloc(cap);
	static const char *const want[] = {"is not an ISO 8601 time", NULL};

	assert_non_null(text);
	len += (size_t)snprintf(text, cap, "nip,time\n");
	for (size_t i = 0; i < rows; i++)
		len += (size_t)snprintf(text + len, cap - len,
					NIP_A ",2026-01-05T07:%02zu:%02zu.%06zuZ\n", i / 60 % 60,
					i % 60, i);
	snprintf(text + len, cap - len, NIP_A ",2026-01-05 later\n");
	import_bad(f, IMPORT_TAPS, text, 1, want);
	assert_int_equal(db_taps(f->db, &q, count_tap, &n), 0);
	assert_int_equal(n, 0);

	text[len] = '\0';
	import_ok(f, IMPORT_TAPS, text);
	assert_int_equal(f->res.rows, rows);
	assert_int_equal(db_taps(f->db, &q, count_tap, &n), 0);
	assert_int_equal(n, rows);
	free(text);
}

static void test_import_messages_bounded(void **state)
{
	struct fixture *f = *state;
	size_t len = 0, cap = 64 * 1024;
	char *text = malloc(cap);

	assert_non_null(text);
	len += (size_t)snprintf(text, cap, "nip,time\n");
	for (int i = 0; i < 2000; i++)
		len += (size_t)snprintf(text + len, cap - len, "x%d,2026\n", i);
	assert_int_equal(import(f, IMPORT_TAPS, text), -EINVAL);
	assert_int_equal(f->res.diag.n_errors, 4000); /* all counted */
	assert_true(strlen(f->res.diag.text) < CFG_DIAG_MAX);
	assert_non_null(strstr(f->res.diag.text, "t.csv:2: nip: 'x0' is not an NIP"));
	free(text);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_import_kind_parse_names),
	    cmocka_unit_test_setup_teardown(test_import_units_good, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_import_units_bad_rows, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_import_header_problems, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_import_staff_good, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_import_staff_bad_rows, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_import_units_in_use_kept, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_import_schedules_replace_per_unit, setup,
					    teardown),
	    cmocka_unit_test_setup_teardown(test_import_holidays_replace_per_year, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_import_leave_checks, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_import_taps_idempotent, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_import_taps_chunked_all_or_nothing, setup,
					    teardown),
	    cmocka_unit_test_setup_teardown(test_import_messages_bounded, setup, teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
