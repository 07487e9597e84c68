// SPDX-License-Identifier: MIT
/* Report formats: the JSON contract, CSV quoting and header, the day-by-day explanation. */
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

#include <cmocka.h>

#include "common/clk.h"
#include "common/tz.h"
#include "server/calendar.h"
#include "server/profile.h"
#include "server/report.h"
#include "server/rules.h"

static struct profile *def;
static struct calendar *cal;

static int32_t date(const char *text)
{
	int32_t d = 0;

	assert_int_equal(tz_parse_date(text, &d), 0);
	return d;
}

static int setup(void **state)
{
	struct cal_unit_row u = {"u", 1, "JKT", "Asia/Jakarta", true};
	struct cal_holiday_row h = {"h", 1, "2025-10-09", "Hari Uji"};
	struct cfg_diag diag = {.len = 0};

	(void)state;
	if (profile_load("profiles/default.conf", &def, &diag) < 0 || calendar_new(&cal) < 0 ||
	    calendar_add_unit(cal, &u, &diag) < 0 || calendar_add_holiday(cal, &h, &diag) < 0 ||
	    calendar_seal(cal, &diag) < 0)
		fail_msg("%s", diag.text);
	return 0;
}

static int teardown(void **state)
{
	(void)state;
	profile_free(def);
	calendar_free(cal);
	return 0;
}

static struct rules_tap tap(const char *day, const char *clock, enum rules_dir dir)
{
	int32_t sec = 0;

	assert_int_equal(tz_parse_clock(clock, &sec), 0);
	return (struct rules_tap){
	    tz_instant(cal_unit_tz(calendar_unit(cal, "JKT")), date(day), sec) * CLK_USEC_PER_SEC,
	    dir,
	};
}

static struct rules_plan *plan_for(const char *from, const char *to)
{
	struct rules_plan *plan = NULL;

	assert_int_equal(
	    rules_plan_new(cal, calendar_unit(cal, "JKT"), def, date(from), date(to), &plan), 0);
	return plan;
}

/* 6–10 October 2025 (9th a holiday): TL1 on Monday, TK Tuesday, DL from 13:00 Wednesday. */
static const struct cal_leave week_leave[] = {
    {20369, 20369, 13 * 3600, 86400, CAL_LEAVE_DL}, /* 2025-10-08 */
};

static size_t week_taps(struct rules_tap *t)
{
	size_t n = 0;

	t[n++] = tap("2025-10-06", "16:10", RULES_DIR_ANY);
	t[n++] = tap("2025-10-06", "07:45", RULES_DIR_ANY);
	t[n++] = tap("2025-10-06", "05:10", RULES_DIR_ANY); /* outside the window */
	t[n++] = tap("2025-10-08", "07:20", RULES_DIR_IN);
	t[n++] = tap("2025-10-10", "07:29", RULES_DIR_ANY);
	t[n++] = tap("2025-10-10", "16:31", RULES_DIR_OUT);
	return n;
}

static struct rules_period week_period(const struct rules_employee *emp)
{
	struct rules_plan *plan = plan_for("2025-10-06", "2025-10-10");
	struct rules_tap t[8];
	size_t n = week_taps(t);
	struct rules_period p;

	assert_int_equal(date("2025-10-08"), week_leave[0].from_day);
	assert_int_equal(rules_eval_period(plan, emp, t, n, NULL, NULL, &p), 0);
	rules_plan_free(plan);
	return p;
}

static const struct rules_employee siti = {
    "198001012005011001", "Siti, S.E. \"Ita\"", "JKT", 4000000, week_leave, 1, 0, 0};

static char *dump(json_t *j)
{
	char *text = NULL;

	assert_int_equal(report_dumps(j, &text), 0);
	return text;
}

static void assert_has(const char *text, const char *needle)
{
	if (!strstr(text, needle))
		fail_msg("'%s' not in:\n%s", needle, text);
}

static void assert_prefix(const char *text, const char *prefix)
{
	if (strncmp(text, prefix, strlen(prefix)) != 0)
		fail_msg("'%.*s' does not start with '%s'", (int)strlen(prefix), text, prefix);
}

static void test_report_discipline_json_contract(void **state)
{
	struct rules_period p = week_period(&siti);
	struct report_entry e = {&siti, &p};
	json_t *root = NULL, *emp, *year;
	char *text;

	(void)state;
	assert_int_equal(
	    report_discipline_json(date("2025-10-06"), date("2025-10-10"), &e, 1, &root), 0);
	assert_string_equal(json_string_value(json_object_get(root, "from")), "2025-10-06");
	assert_string_equal(json_string_value(json_object_get(root, "to")), "2025-10-10");
	assert_int_equal(json_array_size(json_object_get(root, "employees")), 1);
	emp = json_array_get(json_object_get(root, "employees"), 0);
	assert_string_equal(json_string_value(json_object_get(emp, "nip")), "198001012005011001");
	assert_string_equal(json_string_value(json_object_get(emp, "unit_id")), "JKT");
	assert_int_equal(json_integer_value(json_object_get(emp, "working_days")), 4);
	assert_int_equal(json_integer_value(json_object_get(emp, "present_days")), 3);
	assert_int_equal(json_integer_value(json_object_get(emp, "late_minutes")), 15);
	assert_int_equal(json_integer_value(json_object_get(emp, "early_minutes")), 0);
	assert_int_equal(json_integer_value(json_object_get(json_object_get(emp, "tl"), "TL1")), 1);
	assert_int_equal(json_integer_value(json_object_get(json_object_get(emp, "psw"), "PSW4")),
			 0);
	assert_int_equal(json_integer_value(json_object_get(emp, "tk_days")), 1);
	assert_int_equal(
	    json_integer_value(json_object_get(json_object_get(emp, "leave_days"), "DL")), 0);
	assert_int_equal(json_object_size(json_object_get(emp, "leave_days")), 12);
	/* TL1 0.5 % + TK 3 % */
	assert_int_equal(json_integer_value(json_object_get(emp, "deduction_bp")), 350);
	assert_int_equal(json_integer_value(json_object_get(emp, "deduction_amount")), 140000);
	year = json_object_get(emp, "year");
	/* No taps before 6 October: the whole year so far is TK (a run until 3 October). */
	assert_int_equal(json_integer_value(json_object_get(year, "tk_days")), 199);
	assert_int_equal(json_integer_value(json_object_get(year, "equivalent_days")), 0);
	assert_int_equal(json_integer_value(json_object_get(year, "max_consecutive_tk")), 198);
	assert_string_equal(
	    json_string_value(json_object_get(json_object_get(year, "sanction"), "level")),
	    "berat");
	text = dump(root);
	assert_has(text, "\"deduction_pct\":3.5,");
	free(text);
	json_decref(root);
}

static void test_report_pct_prints_exact_decimals(void **state)
{
	struct rules_period p;
	struct report_entry e = {&siti, &p};
	json_t *root = NULL;
	char *text;

	(void)state;
	memset(&p, 0, sizeof(p));
	p.deduction_bp = 115;
	assert_int_equal(report_discipline_json(0, 0, &e, 1, &root), 0);
	text = dump(root);
	assert_has(text, "\"deduction_pct\":1.15,");
	assert_has(text, "\"sanction\":null");
	free(text);
	json_decref(root);
}

static void test_report_csv_header_and_quoting(void **state)
{
	struct rules_period p = week_period(&siti);
	struct rules_employee formula = {"1", "=HYPERLINK(\"x\")", "JKT", 0, NULL, 0, 0, 0};
	struct rules_period zero;
	struct report_entry e[] = {{&siti, &p}, {&formula, &zero}};
	char *buf = NULL;
	size_t len = 0;
	FILE *f;
	char *line2, *line3;

	(void)state;
	memset(&zero, 0, sizeof(zero));
	f = open_memstream(&buf, &len);
	assert_non_null(f);
	assert_int_equal(report_discipline_csv(f, e, 2), 0);
	fclose(f);
	assert_prefix(buf, "NIP,Nama,Unit,Hari Kerja,Hari Hadir,Menit Terlambat,Menit Pulang "
			   "Cepat,TL1,TL2,TL3,TL4,PSW1,PSW2,PSW3,PSW4,Hari TK,Cuti/Izin CT,");
	assert_has(buf, ",Cuti/Izin WFH,Potongan (%),Potongan (Rp),TK Tahun Berjalan,");
	assert_has(buf, "Rekomendasi Hukuman Disiplin\r\n");
	line2 = strstr(buf, "\r\n") + 2;
	assert_prefix(line2, "198001012005011001,\"Siti, S.E. \"\"Ita\"\"\",JKT,4,3,15,0,1,0,0,0,0,"
			     "0,0,0,1,0,0,0,0,0,0,0,0,0,0,0,0,3.50,140000,199,0,199,198,berat,"
			     "pemberhentian,Pemberhentian dengan hormat");
	line3 = strstr(line2, "\r\n") + 2;
	assert_prefix(line3, "1,\"'=HYPERLINK(\"\"x\"\")\",JKT,0,");
	assert_has(line3, ",0.00,0,0,0,0,0,,,\r\n");
	free(buf);
}

static json_t *explain(void)
{
	struct rules_plan *plan = plan_for("2025-10-06", "2025-10-10");
	struct rules_tap t[8];
	size_t n = week_taps(t);
	json_t *root = NULL;

	assert_int_equal(report_explain_json(plan, &siti, t, n, &root), 0);
	rules_plan_free(plan);
	return root;
}

static void test_report_explain_days(void **state)
{
	json_t *root = explain();
	json_t *days = json_object_get(root, "days");
	json_t *mon = json_array_get(days, 0), *tue = json_array_get(days, 1);
	json_t *wed = json_array_get(days, 2), *thu = json_array_get(days, 3);
	json_t *taps = json_object_get(mon, "taps");
	char *text;

	(void)state;
	assert_string_equal(json_string_value(json_object_get(root, "profile")), "default");
	assert_string_equal(json_string_value(json_object_get(root, "timezone")), "Asia/Jakarta");
	assert_int_equal(json_array_size(days), 5);

	/* Monday: taps in time order, the early one outside the window. */
	assert_string_equal(json_string_value(json_object_get(mon, "date")), "2025-10-06");
	assert_int_equal(json_array_size(taps), 3);
	assert_string_equal(json_string_value(json_object_get(json_array_get(taps, 0), "time")),
			    "2025-10-06T05:10:00+07:00");
	assert_string_equal(json_string_value(json_object_get(json_array_get(taps, 0), "use")),
			    "outside_window");
	assert_string_equal(json_string_value(json_object_get(json_array_get(taps, 1), "use")),
			    "check_in");
	assert_string_equal(json_string_value(json_object_get(json_array_get(taps, 2), "use")),
			    "check_out");
	assert_string_equal(json_string_value(json_object_get(mon, "check_in")), "07:45:00");
	assert_string_equal(json_string_value(json_object_get(mon, "tl")), "TL1");
	assert_true(json_is_null(json_object_get(mon, "psw")));
	assert_string_equal(
	    json_string_value(json_object_get(json_object_get(mon, "schedule"), "start")), "07:30");
	text = dump(mon);
	assert_has(text, "\"reasons\":[\"check-in 07:45:00 is 15 min after 07:30: TL1 (0.50%)\","
			 "\"check-out 16:10:00 at or after 16:00\",\"1 tap(s) outside the window "
			 "06:00-18:00: kept, ignored\"]");
	free(text);

	/* Tuesday: TK. */
	assert_true(json_is_true(json_object_get(tue, "tk")));
	assert_true(json_is_null(json_object_get(tue, "check_in")));

	/* Wednesday: DL from 13:00 excuses the check-out. */
	text = dump(json_object_get(wed, "leave"));
	assert_string_equal(text, "{\"code\":\"DL\",\"whole_day\":false,\"from\":\"13:00\","
				  "\"until\":\"24:00\"}");
	free(text);
	assert_true(json_is_null(json_object_get(wed, "psw")));
	taps = json_object_get(wed, "taps");
	assert_string_equal(
	    json_string_value(json_object_get(json_array_get(taps, 0), "direction")), "in");

	/* Thursday: the holiday. */
	assert_false(json_is_true(json_object_get(thu, "working")));
	assert_string_equal(json_string_value(json_object_get(thu, "off")), "holiday");
	assert_string_equal(json_string_value(json_object_get(thu, "holiday")), "Hari Uji");
	assert_true(json_is_null(json_object_get(thu, "schedule")));

	assert_int_equal(
	    json_integer_value(json_object_get(json_object_get(root, "totals"), "deduction_bp")),
	    350);
	json_decref(root);
}

static void test_report_summary(void **state)
{
	struct rules_period p[2] = {week_period(&siti), week_period(&siti)};
	struct rules_summary s;
	json_t *root = NULL;
	char *text;

	(void)state;
	rules_summarize(p, 2, &s);
	assert_int_equal(report_summary_json("JKT", &s, &root), 0);
	text = dump(root);
	/* Monday late, Tuesday TK, Wednesday and Friday compliant: 2 of 4. */
	assert_has(text, "\"compliance_bp\":5000,\"compliance_pct\":50.0,");
	assert_has(text, "\"head_count\":2,");
	assert_has(text, "\"sanctioned\":2,\"sanctioned_by_level\":{\"ringan\":0,\"sedang\":0,"
			 "\"berat\":2}");
	free(text);
	json_decref(root);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_report_discipline_json_contract),
	    cmocka_unit_test(test_report_pct_prints_exact_decimals),
	    cmocka_unit_test(test_report_csv_header_and_quoting),
	    cmocka_unit_test(test_report_explain_days),
	    cmocka_unit_test(test_report_summary),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
