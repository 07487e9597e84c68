// SPDX-License-Identifier: MIT
/* The working calendar: schedules by range (Ramadan), holidays, leave, and row errors. */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "common/tz.h"
#include "server/calendar.h"

static int32_t date(const char *text)
{
	int32_t d = 0;

	assert_int_equal(tz_parse_date(text, &d), 0);
	return d;
}

static void assert_diag_has(const struct cfg_diag *diag, const char *needle)
{
	if (!strstr(diag->text, needle))
		fail_msg("diagnostics lack '%s':\n%s", needle, diag->text);
}

static void add_unit(struct calendar *cal, const char *id, const char *zone, bool national)
{
	struct cal_unit_row row = {"units.csv", 2, id, zone, national};
	struct cfg_diag diag = {.len = 0};

	if (calendar_add_unit(cal, &row, &diag) < 0)
		fail_msg("%s", diag.text);
}

static int add_sched(struct calendar *cal, struct cfg_diag *diag, unsigned line, const char *unit,
		     const char *from, const char *to, const char *wd, const char *start,
		     const char *end, const char *label)
{
	struct cal_schedule_row row = {"schedules.csv", line, unit, from, to, wd,
				       start,		end,  label};

	return calendar_add_schedule(cal, &row, diag);
}

static int add_leave(struct calendar *cal, struct cfg_diag *diag, unsigned line, const char *nip,
		     const char *from, const char *to, const char *code, const char *t_from,
		     const char *t_to)
{
	struct cal_leave_row row = {"leave.csv", line, nip, from, to, code, t_from, t_to};

	return calendar_add_leave(cal, &row, diag);
}

static int add_holiday(struct calendar *cal, struct cfg_diag *diag, unsigned line, const char *day,
		       const char *name)
{
	struct cal_holiday_row row = {"holidays.csv", line, day, name};

	return calendar_add_holiday(cal, &row, diag);
}

/* Unit "BPS" in Jakarta on the national timetable with a Ramadan 2025 range; two holidays. */
static struct calendar *sample(void)
{
	struct cfg_diag diag = {.len = 0};
	struct calendar *cal = NULL;
	static const char *const wd[] = {"1", "2", "3", "4"};

	assert_int_equal(calendar_new(&cal), 0);
	add_unit(cal, "BPS", "Asia/Jakarta", true);
	add_unit(cal, "JYP", "Asia/Jayapura", false);
	for (size_t i = 0; i < 4; i++)
		assert_int_equal(add_sched(cal, &diag, 2, "BPS", "2025-03-01", "2025-03-30", wd[i],
					   "08:00", "15:00", "Ramadan 1446"),
				 0);
	assert_int_equal(add_sched(cal, &diag, 6, "BPS", "2025-03-01", "2025-03-30", "5", "08:00",
				   "15:30", "Ramadan 1446"),
			 0);
	assert_int_equal(add_sched(cal, &diag, 7, "JYP", "2025-01-01", "2025-12-31", "1", "07:00",
				   "15:30", "Senin"),
			 0);
	assert_int_equal(add_holiday(cal, &diag, 2, "2025-03-31", "Idul Fitri 1446 H"), 0);
	assert_int_equal(add_holiday(cal, &diag, 3, "2025-04-02", "Cuti bersama Idul Fitri"), 0);
	assert_int_equal(add_leave(cal, &diag, 2, "198001012005011001", "2025-03-10", "2025-03-12",
				   "CT", NULL, NULL),
			 0);
	assert_int_equal(add_leave(cal, &diag, 3, "198001012005011001", "2025-03-14", "2025-03-14",
				   "DL", "13:00", ""),
			 0);
	assert_int_equal(add_leave(cal, &diag, 4, "199002022015022002", "2025-03-14", "2025-03-14",
				   "I", NULL, "10:00"),
			 0);
	if (calendar_seal(cal, &diag) < 0)
		fail_msg("%s", diag.text);
	return cal;
}

static struct cal_day day_of(const struct calendar *cal, const char *unit, const char *nip,
			     const char *text)
{
	const struct cal_unit *u = calendar_unit(cal, unit);
	const struct cal_leave *leaves;
	struct cal_day d;
	size_t n = 0;

	assert_non_null(u);
	leaves = calendar_leaves(cal, nip, &n);
	calendar_day(cal, u, leaves, n, date(text), &d);
	return d;
}

static void test_calendar_day_national_default(void **state)
{
	struct calendar *cal = sample();
	struct cal_day mon = day_of(cal, "BPS", "x", "2025-10-06");
	struct cal_day fri = day_of(cal, "BPS", "x", "2025-10-10");
	struct cal_day sat = day_of(cal, "BPS", "x", "2025-10-11");

	(void)state;
	assert_true(mon.is_working);
	assert_int_equal(mon.weekday, 1);
	assert_int_equal(mon.start_sec, 7 * 3600 + 1800);
	assert_int_equal(mon.end_sec, 16 * 3600);
	assert_true(fri.is_working);
	assert_int_equal(fri.end_sec, 16 * 3600 + 1800);
	assert_false(sat.is_working);
	assert_int_equal(sat.off, CAL_OFF_WEEKEND);
	assert_string_equal(cal_off_name(sat.off), "weekend");
	assert_null(mon.leave);
	calendar_free(cal);
}

static void test_calendar_day_ramadan_overrides(void **state)
{
	struct calendar *cal = sample();
	struct cal_day thu = day_of(cal, "BPS", "x", "2025-03-06");
	struct cal_day fri = day_of(cal, "BPS", "x", "2025-03-07");
	struct cal_day before = day_of(cal, "BPS", "x", "2025-02-28");

	(void)state;
	assert_int_equal(thu.start_sec, 8 * 3600);
	assert_int_equal(thu.end_sec, 15 * 3600);
	assert_string_equal(thu.schedule, "Ramadan 1446");
	assert_int_equal(fri.end_sec, 15 * 3600 + 1800);
	assert_int_equal(before.start_sec, 7 * 3600 + 1800);
	assert_string_equal(before.schedule, "nasional");
	calendar_free(cal);
}

static void test_calendar_day_holiday_named(void **state)
{
	struct calendar *cal = sample();
	struct cal_day d = day_of(cal, "BPS", "x", "2025-04-02");

	(void)state;
	assert_false(d.is_working);
	assert_int_equal(d.off, CAL_OFF_HOLIDAY);
	assert_string_equal(d.holiday, "Cuti bersama Idul Fitri");
	calendar_free(cal);
}

static void test_calendar_day_unit_without_default(void **state)
{
	struct calendar *cal = sample();
	struct cal_day mon = day_of(cal, "JYP", "x", "2025-10-06");
	struct cal_day tue = day_of(cal, "JYP", "x", "2025-10-07");

	(void)state;
	assert_true(mon.is_working);
	assert_int_equal(mon.start_sec, 7 * 3600);
	assert_false(tue.is_working);
	assert_int_equal(tue.off, CAL_OFF_NO_SCHEDULE);
	calendar_free(cal);
}

static void test_calendar_day_narrower_then_later_wins(void **state)
{
	struct cfg_diag diag = {.len = 0};
	struct calendar *cal = NULL;
	struct cal_day d;

	(void)state;
	assert_int_equal(calendar_new(&cal), 0);
	add_unit(cal, "U", "Asia/Makassar", false);
	assert_int_equal(add_sched(cal, &diag, 2, "U", "2025-01-01", "2025-12-31", "1", "07:30",
				   "16:00", "tahunan"),
			 0);
	assert_int_equal(
	    add_sched(cal, &diag, 3, "U", "2025-03-01", "2025-03-31", "1", "08:00", "15:00", "a"),
	    0);
	assert_int_equal(
	    add_sched(cal, &diag, 4, "U", "2025-03-10", "2025-04-09", "1", "09:00", "15:00", "b"),
	    0);
	assert_int_equal(calendar_seal(cal, &diag), 0);
	calendar_day(cal, calendar_unit(cal, "U"), NULL, 0, date("2025-03-03"), &d);
	assert_string_equal(d.schedule, "a");
	/* 17 March: "a" and "b" are equally wide (31 days); "b" starts later. */
	calendar_day(cal, calendar_unit(cal, "U"), NULL, 0, date("2025-03-17"), &d);
	assert_string_equal(d.schedule, "b");
	calendar_day(cal, calendar_unit(cal, "U"), NULL, 0, date("2025-05-05"), &d);
	assert_string_equal(d.schedule, "tahunan");
	calendar_free(cal);
}

static void test_calendar_leave_whole_and_part(void **state)
{
	struct calendar *cal = sample();
	struct cal_day ct = day_of(cal, "BPS", "198001012005011001", "2025-03-11");
	struct cal_day dl = day_of(cal, "BPS", "198001012005011001", "2025-03-14");
	struct cal_day izin = day_of(cal, "BPS", "199002022015022002", "2025-03-14");
	struct cal_day none = day_of(cal, "BPS", "198001012005011001", "2025-03-13");

	(void)state;
	assert_non_null(ct.leave);
	assert_int_equal(ct.leave->code, CAL_LEAVE_CT);
	assert_int_equal(ct.leave->from_sec, 0);
	assert_int_equal(ct.leave->to_sec, CAL_DAY_SECONDS);
	assert_non_null(dl.leave);
	assert_string_equal(cal_leave_code_name(dl.leave->code), "DL");
	assert_int_equal(dl.leave->from_sec, 13 * 3600);
	assert_int_equal(dl.leave->to_sec, CAL_DAY_SECONDS);
	assert_int_equal(izin.leave->from_sec, 0);
	assert_int_equal(izin.leave->to_sec, 10 * 3600);
	assert_null(none.leave);
	calendar_free(cal);
}

static void test_calendar_leaves_by_nip(void **state)
{
	struct calendar *cal = sample();
	const struct cal_leave *l;
	size_t n = 99;

	(void)state;
	l = calendar_leaves(cal, "198001012005011001", &n);
	assert_int_equal(n, 2);
	assert_int_equal(l[0].from_day, date("2025-03-10"));
	assert_int_equal(l[1].code, CAL_LEAVE_DL);
	l = calendar_leaves(cal, "000", &n);
	assert_null(l);
	assert_int_equal(n, 0);
	calendar_free(cal);
}

static void test_calendar_zone_shared(void **state)
{
	struct calendar *cal = NULL;

	(void)state;
	assert_int_equal(calendar_new(&cal), 0);
	add_unit(cal, "A", "Asia/Jayapura", true);
	add_unit(cal, "B", "Asia/Jayapura", true);
	assert_ptr_equal(cal_unit_tz(calendar_unit(cal, "A")),
			 cal_unit_tz(calendar_unit(cal, "B")));
	assert_string_equal(tz_name(cal_unit_tz(calendar_unit(cal, "A"))), "Asia/Jayapura");
	assert_null(calendar_unit(cal, "C"));
	calendar_free(cal);
}

static void test_calendar_unit_errors(void **state)
{
	struct cal_unit_row bad_zone = {"units.csv", 3, "X", "Asia/Atlantis", true};
	struct cal_unit_row dup = {"units.csv", 4, "BPS", "Asia/Jakarta", true};
	struct cal_unit_row no_id = {"units.csv", 5, "", "Asia/Jakarta", true};
	struct cfg_diag diag = {.len = 0};
	struct calendar *cal = NULL;

	(void)state;
	assert_int_equal(calendar_new(&cal), 0);
	add_unit(cal, "BPS", "Asia/Jakarta", true);
	assert_int_equal(calendar_add_unit(cal, &bad_zone, &diag), -EINVAL);
	assert_int_equal(calendar_add_unit(cal, &dup, &diag), -EINVAL);
	assert_int_equal(calendar_add_unit(cal, &no_id, &diag), -EINVAL);
	assert_diag_has(&diag, "units.csv:3: timezone: unknown zone 'Asia/Atlantis'");
	assert_diag_has(&diag, "units.csv:4: unit_id: 'BPS' already defined on line 2");
	assert_diag_has(&diag, "units.csv:5: unit_id: required");
	assert_int_equal(diag.n_errors, 3);
	calendar_free(cal);
}

static void test_calendar_schedule_errors(void **state)
{
	struct cfg_diag diag = {.len = 0};
	struct calendar *cal = NULL;

	(void)state;
	assert_int_equal(calendar_new(&cal), 0);
	add_unit(cal, "U", "Asia/Jakarta", false);
	assert_int_equal(
	    add_sched(cal, &diag, 2, "U", "2025-01-01", "2025-12-31", "1", "16:00", "07:30", NULL),
	    -EINVAL);
	assert_diag_has(&diag, "schedules.csv:2: end: '07:30' is not after start '16:00'");
	assert_int_equal(
	    add_sched(cal, &diag, 3, "V", "2025-01-01", "2025-12-31", "1", "07:30", "16:00", NULL),
	    -EINVAL);
	assert_diag_has(&diag, "schedules.csv:3: unit_id: unknown unit 'V'");
	assert_int_equal(
	    add_sched(cal, &diag, 4, "U", "1999-12-31", "2025-13-01", "8", "7:30", "16:00", NULL),
	    -EINVAL);
	assert_diag_has(&diag, "schedules.csv:4: valid_from: '1999-12-31' is outside the years");
	assert_diag_has(&diag, "schedules.csv:4: valid_to: not a date (YYYY-MM-DD): '2025-13-01'");
	assert_diag_has(&diag, "schedules.csv:4: weekday: not 1 (Monday) to 7 (Sunday): '8'");
	assert_diag_has(&diag, "schedules.csv:4: start: not a time (HH:MM): '7:30'");
	assert_int_equal(
	    add_sched(cal, &diag, 5, "U", "2025-06-01", "2025-05-01", "1", "07:30", "16:00", NULL),
	    -EINVAL);
	assert_diag_has(&diag, "schedules.csv:5: valid_to: '2025-05-01' is before valid_from");
	assert_int_equal(
	    add_sched(cal, &diag, 6, "U", "2025-01-01", "2025-12-31", "1", "07:30", "16:00", NULL),
	    0);
	assert_int_equal(
	    add_sched(cal, &diag, 7, "U", "2025-01-01", "2025-12-31", "1", "08:00", "16:00", NULL),
	    -EINVAL);
	assert_diag_has(&diag,
			"schedules.csv:7: weekday: unit 'U' already has hours for weekday 1");
	calendar_free(cal);
}

static void test_calendar_leave_errors(void **state)
{
	struct cfg_diag diag = {.len = 0};
	struct calendar *cal = NULL;

	(void)state;
	assert_int_equal(calendar_new(&cal), 0);
	assert_int_equal(
	    add_leave(cal, &diag, 2, "1", "2025-03-01", "2025-03-02", "XX", NULL, NULL), -EINVAL);
	assert_diag_has(&diag, "leave.csv:2: code: unknown leave code 'XX'");
	assert_int_equal(
	    add_leave(cal, &diag, 3, "1", "2025-03-01", "2025-03-02", "DL", "13:00", NULL),
	    -EINVAL);
	assert_diag_has(&diag, "leave.csv:3: time_from: part of a day only for a one-day record");
	assert_int_equal(
	    add_leave(cal, &diag, 4, "1", "2025-03-01", "2025-03-01", "I", "10:00", "09:00"),
	    -EINVAL);
	assert_diag_has(&diag, "leave.csv:4: time_to: '09:00' is not after time_from '10:00'");
	assert_int_equal(add_leave(cal, &diag, 5, "", "2025-03-05", "2025-03-01", "I", NULL, NULL),
			 -EINVAL);
	assert_diag_has(&diag, "leave.csv:5: nip: required");
	assert_diag_has(&diag, "leave.csv:5: to: '2025-03-01' is before from '2025-03-05'");
	calendar_free(cal);
}

static void test_calendar_seal_overlapping_leave(void **state)
{
	struct cfg_diag diag = {.len = 0};
	struct calendar *cal = NULL;

	(void)state;
	assert_int_equal(calendar_new(&cal), 0);
	/* 3–4 does not touch 5–6, but both lie inside 1–10: the long one must be remembered. */
	assert_int_equal(
	    add_leave(cal, &diag, 2, "7", "2025-03-01", "2025-03-10", "CT", NULL, NULL), 0);
	assert_int_equal(add_leave(cal, &diag, 3, "7", "2025-03-03", "2025-03-04", "S", NULL, NULL),
			 0);
	assert_int_equal(
	    add_leave(cal, &diag, 4, "7", "2025-03-05", "2025-03-06", "DL", NULL, NULL), 0);
	assert_int_equal(
	    add_leave(cal, &diag, 5, "8", "2025-03-05", "2025-03-06", "DL", NULL, NULL), 0);
	assert_int_equal(calendar_seal(cal, &diag), -EINVAL);
	assert_diag_has(&diag, "leave.csv:3: from: leave of 7 overlaps the CT record on line 2");
	assert_diag_has(&diag, "leave.csv:4: from: leave of 7 overlaps the CT record on line 2");
	assert_int_equal(diag.n_errors, 2);
	calendar_free(cal);
}

static void test_calendar_seal_duplicate_holiday(void **state)
{
	struct cfg_diag diag = {.len = 0};
	struct calendar *cal = NULL;

	(void)state;
	assert_int_equal(calendar_new(&cal), 0);
	assert_int_equal(add_holiday(cal, &diag, 2, "2025-12-25", "Natal"), 0);
	assert_int_equal(add_holiday(cal, &diag, 3, "2025-12-25", "Hari Natal"), 0);
	assert_int_equal(add_holiday(cal, &diag, 4, "2025-02-30", "x"), -EINVAL);
	assert_diag_has(&diag, "holidays.csv:4: date: not a date");
	assert_int_equal(calendar_seal(cal, &diag), -EINVAL);
	assert_diag_has(&diag, "holidays.csv:3: date: 2025-12-25 is already a holiday ('Natal', "
			       "line 2)");
	calendar_free(cal);
}

static void test_cal_leave_code_roundtrip(void **state)
{
	static const char *const codes[] = {"CT", "CB", "CS", "CM", "CAP", "CLTN",
					    "DL", "TB", "I",  "S",  "FWA", "WFH"};
	enum cal_leave_code c;

	(void)state;
	for (size_t i = 0; i < sizeof(codes) / sizeof(codes[0]); i++) {
		assert_int_equal(cal_leave_code_parse(codes[i], &c), 0);
		assert_string_equal(cal_leave_code_name(c), codes[i]);
	}
	assert_int_equal(cal_leave_code_parse("ct", &c), -EINVAL);
	assert_int_equal(cal_leave_code_parse("", &c), -EINVAL);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_calendar_day_national_default),
	    cmocka_unit_test(test_calendar_day_ramadan_overrides),
	    cmocka_unit_test(test_calendar_day_holiday_named),
	    cmocka_unit_test(test_calendar_day_unit_without_default),
	    cmocka_unit_test(test_calendar_day_narrower_then_later_wins),
	    cmocka_unit_test(test_calendar_leave_whole_and_part),
	    cmocka_unit_test(test_calendar_leaves_by_nip),
	    cmocka_unit_test(test_calendar_zone_shared),
	    cmocka_unit_test(test_calendar_unit_errors),
	    cmocka_unit_test(test_calendar_schedule_errors),
	    cmocka_unit_test(test_calendar_leave_errors),
	    cmocka_unit_test(test_calendar_seal_overlapping_leave),
	    cmocka_unit_test(test_calendar_seal_duplicate_holiday),
	    cmocka_unit_test(test_cal_leave_code_roundtrip),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
