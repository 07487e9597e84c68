// SPDX-License-Identifier: MIT
/*
 * The discipline rules: every worked example of specs/discipline-rules.md §7,
 * tier and grace boundaries, zones, Ramadan, part-day leave, TK runs,
 * compensation and the late-days threshold, and seeded property tests.
 */
#include <errno.h>
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
#include "server/rules.h"

static struct profile *def, *permentan;
static struct calendar *cal;

static int32_t date(const char *text)
{
	int32_t d = 0;

	assert_int_equal(tz_parse_date(text, &d), 0);
	return d;
}

static struct profile *load(const char *path)
{
	struct cfg_diag diag = {.len = 0};
	struct profile *p = NULL;

	if (profile_load(path, &p, &diag) < 0)
		fail_msg("%s", diag.text);
	return p;
}

/* The default profile with some keys changed. */
static struct profile *variant(const char *extra)
{
	struct cfg_diag diag = {.len = 0};
	struct profile *p = NULL;
	char text[1024];

	snprintf(text, sizeof(text), "[profile]\nname = v\n%s", extra);
	if (profile_parse(text, strlen(text), "v.conf", &p, &diag) < 0)
		fail_msg("%s", diag.text);
	return p;
}

static void add_row(int r, const struct cfg_diag *diag)
{
	if (r < 0)
		fail_msg("%s", diag->text);
}

/* Units JKT (WIB, Ramadan 2025 range) and JYP (WIT); Christmas 2025 holidays; some leave. */
static int setup(void **state)
{
	static const char *const wd[] = {"1", "2", "3", "4"};
	struct cal_unit_row jkt = {"u", 1, "JKT", "Asia/Jakarta", true};
	struct cal_unit_row jyp = {"u", 2, "JYP", "Asia/Jayapura", true};
	struct cal_holiday_row h1 = {"h", 1, "2025-12-25", "Hari Raya Natal"};
	struct cal_holiday_row h2 = {"h", 2, "2025-12-26", "Cuti bersama Natal"};
	struct cfg_diag diag = {.len = 0};

	(void)state;
	def = load("profiles/default.conf");
	permentan = load("profiles/permentan.conf");
	add_row(calendar_new(&cal), &diag);
	add_row(calendar_add_unit(cal, &jkt, &diag), &diag);
	add_row(calendar_add_unit(cal, &jyp, &diag), &diag);
	for (size_t i = 0; i < 4; i++) {
		struct cal_schedule_row r = {"s",   1,	     "JKT",   "2025-03-01",  "2025-03-30",
					     wd[i], "08:00", "15:00", "Ramadan 1446"};

		add_row(calendar_add_schedule(cal, &r, &diag), &diag);
	}
	{
		struct cal_schedule_row r = {"s", 1,	   "JKT",   "2025-03-01",  "2025-03-30",
					     "5", "08:00", "15:30", "Ramadan 1446"};

		add_row(calendar_add_schedule(cal, &r, &diag), &diag);
	}
	add_row(calendar_add_holiday(cal, &h1, &diag), &diag);
	add_row(calendar_add_holiday(cal, &h2, &diag), &diag);
	add_row(calendar_seal(cal, &diag), &diag);
	return 0;
}

static int teardown(void **state)
{
	(void)state;
	profile_free(def);
	profile_free(permentan);
	calendar_free(cal);
	return 0;
}

static const struct cal_unit *unit(const char *id)
{
	const struct cal_unit *u = calendar_unit(cal, id);

	assert_non_null(u);
	return u;
}

/* A tap at a local time: "2025-10-06 07:45:00" in the unit's zone. */
static struct rules_tap tap_in(const char *unit_id, const char *local, enum rules_dir dir)
{
	const struct tz *tz = cal_unit_tz(unit(unit_id));
	char d[11];
	int32_t day, sec;

	memcpy(d, local, 10);
	d[10] = '\0';
	day = date(d);
	assert_int_equal(tz_parse_clock(local + 11, &sec), 0);
	return (struct rules_tap){tz_instant(tz, day, sec) * CLK_USEC_PER_SEC, dir};
}

static struct rules_tap tap(const char *local)
{
	return tap_in("JKT", local, RULES_DIR_ANY);
}

static struct rules_day eval_day_p(const struct profile *p, const char *unit_id, const char *day,
				   const struct cal_leave *leave, const struct rules_tap *taps,
				   size_t n)
{
	const struct cal_unit *u = unit(unit_id);
	struct rules_day d;
	struct cal_day c;

	calendar_day(cal, u, leave, leave ? 1 : 0, date(day), &c);
	rules_eval_day(p, cal_unit_tz(u), &c, taps, n, &d, NULL);
	return d;
}

static struct rules_day eval_day(const char *day, const struct rules_tap *taps, size_t n)
{
	return eval_day_p(def, "JKT", day, NULL, taps, n);
}

/* A day with check-in at in and check-out at out (local, JKT). */
static struct rules_day in_out(const char *day, const char *in, const char *out)
{
	char a[32], b[32];
	struct rules_tap t[2];

	snprintf(a, sizeof(a), "%s %s", day, in);
	snprintf(b, sizeof(b), "%s %s", day, out);
	t[0] = tap(a);
	t[1] = tap(b);
	return eval_day(day, t, 2);
}

static void assert_late(const char *in, int minutes, int tier)
{
	struct rules_day d = in_out("2025-10-06", in, "16:00:00");

	if (d.late_minutes != minutes || d.tl != tier)
		fail_msg("check-in %s: %d min TL%d, want %d min TL%d", in, d.late_minutes, d.tl,
			 minutes, tier);
	assert_int_equal(d.psw, 0);
	assert_int_equal(d.deduction_bp, profile_tier_bp(&def->late, tier));
}

/* §7 example 1, and the grace second. */
static void test_rules_example1_monday_checkins(void **state)
{
	(void)state;
	assert_late("07:30:59", 0, 0);
	assert_late("07:45:00", 15, 1);
	assert_late("08:30:00", 60, 2);
	assert_late("08:31:00", 61, 3);
	assert_late("09:01:00", 91, 4);
}

static void test_rules_tier_boundaries(void **state)
{
	(void)state;
	assert_late("07:30:00", 0, 0);
	assert_late("07:31:00", 1, 1);
	assert_late("07:31:59", 1, 1);
	assert_late("08:00:59", 30, 1);
	assert_late("08:01:00", 31, 2);
	assert_late("08:30:59", 60, 2);
	assert_late("09:00:00", 90, 3);
	assert_late("09:00:59", 90, 3);
	assert_late("09:01:00", 91, 4);
	assert_late("07:00:00", 0, 0);
}

static const struct {
	const char *out;
	int minutes, psw;
} early_bounds[] = {
    {"15:30:00", 30, 1}, {"15:29:01", 30, 1}, {"15:00:00", 60, 2},
    {"14:59:00", 61, 3}, {"14:30:00", 90, 3}, {"14:29:01", 90, 3},
};

static void test_rules_early_boundaries(void **state)
{
	struct rules_day d;

	(void)state;
	d = in_out("2025-10-06", "07:30:00", "15:59:01"); /* 59 s early: within the grace */
	assert_int_equal(d.early_minutes, 0);
	d = in_out("2025-10-06", "07:30:00", "15:59:00");
	assert_int_equal(d.early_minutes, 1);
	assert_int_equal(d.psw, 1);
	d = in_out("2025-10-06", "07:30:00", "15:29:00");
	assert_int_equal(d.early_minutes, 31);
	assert_int_equal(d.psw, 2);
	d = in_out("2025-10-06", "07:30:00", "14:29:00");
	assert_int_equal(d.early_minutes, 91);
	assert_int_equal(d.psw, 4);
	/* The other side of each bound: 30/31, 60/61, 90/91 minutes early. */
	for (size_t i = 0; i < ARRAY_SIZE(early_bounds); i++) {
		d = in_out("2025-10-06", "07:30:00", early_bounds[i].out);
		assert_int_equal(d.early_minutes, early_bounds[i].minutes);
		assert_int_equal(d.psw, early_bounds[i].psw);
	}
}

/* §7 example 2. */
static void test_rules_example2_thursday_friday(void **state)
{
	struct rules_day thu = in_out("2025-10-09", "07:30:00", "16:00:00");
	struct rules_day fri = in_out("2025-10-10", "07:30:00", "16:00:00");

	(void)state;
	assert_int_equal(thu.deduction_bp, 0);
	assert_int_equal(thu.tl + thu.psw, 0);
	assert_int_equal(fri.early_minutes, 30);
	assert_int_equal(fri.psw, 1);
	assert_int_equal(fri.deduction_bp, 50);
}

/* §7 example 6: Ramadan starts at 08:00. */
static void test_rules_example6_ramadan(void **state)
{
	struct rules_day ram = in_out("2025-03-05", "08:10:00", "15:00:00");
	struct rules_day norm = in_out("2025-10-08", "08:10:00", "16:00:00");

	(void)state;
	assert_int_equal(ram.cal.start_sec, 8 * 3600);
	assert_int_equal(ram.late_minutes, 10);
	assert_int_equal(ram.tl, 1);
	assert_int_equal(ram.psw, 0); /* 15:00 is the Ramadan end */
	assert_int_equal(norm.late_minutes, 40);
	assert_int_equal(norm.tl, 2);
}

static void test_rules_same_instant_two_zones(void **state)
{
	/* 23:45 UTC on 6 Oct: 06:45 on 7 Oct in Jakarta, 08:45 on 7 Oct in Jayapura. */
	struct rules_tap t = {INT64_C(1759794300) * CLK_USEC_PER_SEC, RULES_DIR_ANY};
	/* 16:30 UTC on 6 Oct: 23:30 on 6 Oct in Jakarta, 01:30 on 7 Oct in Jayapura. */
	struct rules_tap night = {INT64_C(1759768200) * CLK_USEC_PER_SEC, RULES_DIR_ANY};
	struct rules_day jkt = eval_day_p(def, "JKT", "2025-10-07", NULL, &t, 1);
	struct rules_day jyp = eval_day_p(def, "JYP", "2025-10-07", NULL, &t, 1);
	enum rules_tap_use use;
	struct rules_day d;

	(void)state;
	assert_int_equal(jkt.in_sec, 6 * 3600 + 45 * 60);
	assert_int_equal(jkt.tl, 0);
	assert_int_equal(jyp.in_sec, 8 * 3600 + 45 * 60);
	assert_int_equal(jyp.late_minutes, 75);
	assert_int_equal(jyp.tl, 3);

	d = eval_day_p(def, "JKT", "2025-10-06", NULL, &night, 1);
	assert_int_equal(d.n_outside, 1);
	assert_true(d.is_tk);
	d = eval_day_p(def, "JKT", "2025-10-07", NULL, &night, 1);
	assert_int_equal(d.n_outside, 0);
	use = rules_tap_use(def, cal_unit_tz(unit("JKT")), &d, &night);
	assert_int_equal(use, RULES_TAP_OTHER_DAY);
	d = eval_day_p(def, "JYP", "2025-10-07", NULL, &night, 1);
	assert_int_equal(d.n_outside, 1); /* 01:30 local: its day, but outside the window */
	assert_true(d.is_tk);
}

static void test_rules_window_edges(void **state)
{
	struct rules_tap t[] = {tap("2025-10-06 05:59:59"), tap("2025-10-06 06:00:00"),
				tap("2025-10-06 18:00:00"), tap("2025-10-06 18:00:01")};
	enum rules_tap_use uses[4];
	struct rules_day d;
	struct cal_day c;

	(void)state;
	calendar_day(cal, unit("JKT"), NULL, 0, date("2025-10-06"), &c);
	rules_eval_day(def, cal_unit_tz(unit("JKT")), &c, t, 4, &d, uses);
	assert_int_equal(d.n_taps, 2);
	assert_int_equal(d.n_outside, 2);
	assert_int_equal(d.in_sec, 6 * 3600);
	assert_int_equal(d.out_sec, 18 * 3600);
	assert_int_equal(uses[0], RULES_TAP_OUTSIDE_WINDOW);
	assert_int_equal(uses[1], RULES_TAP_CHECK_IN);
	assert_int_equal(uses[2], RULES_TAP_CHECK_OUT);
	assert_int_equal(uses[3], RULES_TAP_OUTSIDE_WINDOW);
	assert_int_equal(d.deduction_bp, 0);
}

static void test_rules_only_outside_window_is_tk(void **state)
{
	struct rules_tap t[] = {tap("2025-10-06 05:00:00"), tap("2025-10-06 19:00:00")};
	struct rules_day d = eval_day("2025-10-06", t, 2);
	char lines[RULES_REASONS_MAX][RULES_REASON_MAX];
	unsigned n;

	(void)state;
	assert_true(d.is_tk);
	assert_int_equal(d.deduction_bp, 300);
	n = rules_day_reasons(def, &d, lines, RULES_REASONS_MAX);
	assert_int_equal(n, 2);
	assert_string_equal(lines[0], "TK: working day without an accepted tap or a valid absence "
				      "(3.00%)");
	assert_string_equal(lines[1], "2 tap(s) outside the window 06:00-18:00: kept, ignored");
}

static void test_rules_explicit_direction_wins(void **state)
{
	struct rules_tap t[] = {
	    tap_in("JKT", "2025-10-06 07:00:00", RULES_DIR_ANY),
	    tap_in("JKT", "2025-10-06 07:40:00", RULES_DIR_IN),
	    tap_in("JKT", "2025-10-06 15:00:00", RULES_DIR_OUT),
	    tap_in("JKT", "2025-10-06 17:00:00", RULES_DIR_ANY),
	};
	enum rules_tap_use uses[4];
	struct rules_day d;
	struct cal_day c;

	(void)state;
	calendar_day(cal, unit("JKT"), NULL, 0, date("2025-10-06"), &c);
	rules_eval_day(def, cal_unit_tz(unit("JKT")), &c, t, 4, &d, uses);
	assert_int_equal(d.late_minutes, 10);
	assert_int_equal(d.tl, 1);
	assert_int_equal(d.early_minutes, 60);
	assert_int_equal(d.psw, 2);
	assert_int_equal(uses[0], RULES_TAP_UNUSED);
	assert_int_equal(uses[1], RULES_TAP_CHECK_IN);
	assert_int_equal(uses[2], RULES_TAP_CHECK_OUT);
	assert_int_equal(uses[3], RULES_TAP_UNUSED);
}

static void test_rules_only_out_tap_misses_check_in(void **state)
{
	struct rules_tap t = tap_in("JKT", "2025-10-06 16:05:00", RULES_DIR_OUT);
	struct rules_day d = eval_day("2025-10-06", &t, 1);

	(void)state;
	assert_false(d.has_in);
	assert_true(d.is_in_missing);
	assert_int_equal(d.tl, 4);
	assert_int_equal(d.psw, 0);
	assert_int_equal(d.deduction_bp, 150);
}

static void test_rules_single_tap_misses_check_out(void **state)
{
	struct rules_tap t = tap("2025-10-06 07:20:00");
	struct rules_day d = eval_day("2025-10-06", &t, 1);
	struct profile *lenient = variant("[early]\nmissing_is_tier4 = no\n");
	struct rules_day l = eval_day_p(lenient, "JKT", "2025-10-06", NULL, &t, 1);

	(void)state;
	assert_true(d.is_out_missing);
	assert_int_equal(d.psw, 4);
	assert_int_equal(d.deduction_bp, 150);
	assert_true(l.is_out_missing);
	assert_int_equal(l.psw, 0);
	assert_int_equal(l.deduction_bp, 0);
	profile_free(lenient);
}

static void test_rules_taps_on_weekend_not_evaluated(void **state)
{
	struct rules_tap t[] = {tap("2025-10-11 09:00:00"), tap("2025-10-11 12:00:00")};
	struct rules_day d = eval_day("2025-10-11", t, 2);

	(void)state;
	assert_false(d.cal.is_working);
	assert_false(d.is_tk);
	assert_int_equal(d.deduction_bp, 0);
	assert_int_equal(d.tl, 0);
}

static void test_rules_part_day_leave(void **state)
{
	struct cal_leave dl = {date("2025-10-06"), date("2025-10-06"), 13 * 3600, 86400,
			       CAL_LEAVE_DL};
	struct cal_leave izin = {date("2025-10-06"), date("2025-10-06"), 0, 10 * 3600, CAL_LEAVE_I};
	struct rules_tap morning = tap("2025-10-06 07:25:00");
	struct rules_tap late = tap("2025-10-06 10:30:00");
	struct rules_tap both[] = {tap("2025-10-06 10:30:00"), tap("2025-10-06 16:00:00")};
	char lines[RULES_REASONS_MAX][RULES_REASON_MAX];
	struct rules_day d;

	(void)state;
	/* DL from 13:00 excuses the check-out. */
	d = eval_day_p(def, "JKT", "2025-10-06", &dl, &morning, 1);
	assert_true(d.is_out_excused);
	assert_false(d.is_out_missing);
	assert_int_equal(d.psw, 0);
	assert_int_equal(d.deduction_bp, 0);
	assert_int_equal(rules_day_reasons(def, &d, lines, RULES_REASONS_MAX), 2);
	assert_string_equal(lines[0], "check-in 07:25:00 on time for 07:30");
	assert_string_equal(lines[1], "check-out excused by leave DL from 13:00");
	/* A morning permit excuses the check-in. */
	d = eval_day_p(def, "JKT", "2025-10-06", &izin, both, 2);
	assert_true(d.is_in_excused);
	assert_int_equal(d.tl, 0);
	assert_int_equal(d.deduction_bp, 0);
	/* ... but not the check-out. */
	d = eval_day_p(def, "JKT", "2025-10-06", &izin, &late, 1);
	assert_true(d.is_out_missing);
	assert_int_equal(d.psw, 4);
	/* A part-day leave is a valid absence: no tap is not TK, only the uncovered tap misses. */
	d = eval_day_p(def, "JKT", "2025-10-06", &dl, NULL, 0);
	assert_false(d.is_tk);
	assert_true(d.is_in_missing);
	assert_int_equal(d.tl, 4);
	assert_int_equal(d.deduction_bp, 150);
}

static void test_rules_whole_day_leave(void **state)
{
	struct cal_leave ct = {date("2025-10-06"), date("2025-10-08"), 0, 86400, CAL_LEAVE_CT};
	struct rules_day d = eval_day_p(def, "JKT", "2025-10-07", &ct, NULL, 0);

	(void)state;
	assert_true(d.is_leave);
	assert_false(d.is_tk);
	assert_int_equal(d.deduction_bp, 0);
}

static void test_rules_compensation(void **state)
{
	struct profile *p = variant("[compensation]\nmax_minutes = 30\n");
	struct rules_tap made_up[] = {tap("2025-10-06 07:50:00"), tap("2025-10-06 16:20:00")};
	struct rules_tap short_[] = {tap("2025-10-06 07:50:00"), tap("2025-10-06 16:19:00")};
	struct rules_tap too_late[] = {tap("2025-10-06 08:10:00"), tap("2025-10-06 17:30:00")};
	struct rules_day d;

	(void)state;
	d = eval_day_p(p, "JKT", "2025-10-06", NULL, made_up, 2);
	assert_true(d.is_compensated);
	assert_int_equal(d.late_minutes, 20);
	assert_int_equal(d.tl, 0);
	assert_int_equal(d.deduction_bp, 0);
	d = eval_day_p(p, "JKT", "2025-10-06", NULL, short_, 2);
	assert_false(d.is_compensated);
	assert_int_equal(d.tl, 1);
	d = eval_day_p(p, "JKT", "2025-10-06", NULL, too_late, 2);
	assert_false(d.is_compensated);
	assert_int_equal(d.tl, 2);
	/* Off by default. */
	d = eval_day_p(def, "JKT", "2025-10-06", NULL, made_up, 2);
	assert_false(d.is_compensated);
	assert_int_equal(d.tl, 1);
	profile_free(p);
}

/* --- periods --- */

struct attendance {
	struct rules_tap taps[2 * 400];
	size_t n;
};

/* On time (07:25 to 16:35) on every working day of [from, to] but the days listed as skip. */
static void attend(struct attendance *a, const char *unit_id, const char *from, const char *to,
		   const int32_t *skip, size_t n_skip)
{
	const struct cal_unit *u = unit(unit_id);
	const struct tz *tz = cal_unit_tz(u);

	for (int32_t day = date(from); day <= date(to); day++) {
		struct cal_day c;
		bool is_skipped = false;

		calendar_day(cal, u, NULL, 0, day, &c);
		for (size_t i = 0; i < n_skip; i++)
			is_skipped |= skip[i] == day;
		if (!c.is_working || is_skipped)
			continue;
		assert_true(a->n + 2 <= sizeof(a->taps) / sizeof(a->taps[0]));
		a->taps[a->n++] = (struct rules_tap){
		    tz_instant(tz, day, 7 * 3600 + 25 * 60) * CLK_USEC_PER_SEC, RULES_DIR_ANY};
		a->taps[a->n++] = (struct rules_tap){
		    tz_instant(tz, day, 16 * 3600 + 35 * 60) * CLK_USEC_PER_SEC, RULES_DIR_ANY};
	}
}

/* Replace the taps of a local day (JKT) with the ones given. */
static void set_day(struct attendance *a, const char *day, const char *in, const char *out)
{
	const struct tz *tz = cal_unit_tz(unit("JKT"));
	int32_t d = date(day);
	size_t k = 0;
	char text[32];

	for (size_t i = 0; i < a->n; i++) {
		int32_t td, sec;

		tz_local(tz, a->taps[i].usec / CLK_USEC_PER_SEC, &td, &sec);
		if (td != d)
			a->taps[k++] = a->taps[i];
	}
	a->n = k;
	if (in) {
		snprintf(text, sizeof(text), "%s %s", day, in);
		a->taps[a->n++] = tap(text);
	}
	if (out) {
		snprintf(text, sizeof(text), "%s %s", day, out);
		a->taps[a->n++] = tap(text);
	}
}

static struct rules_period period_p(const struct profile *p, const char *unit_id, const char *from,
				    const char *to, const struct attendance *a,
				    const struct cal_leave *leaves, size_t n_leaves,
				    int64_t allowance)
{
	struct rules_employee emp = {
	    "198001012005011001", "Siti", unit_id, allowance, leaves, n_leaves, 0, 0};
	struct rules_plan *plan = NULL;
	struct rules_period out;

	assert_int_equal(rules_plan_new(cal, unit(unit_id), p, date(from), date(to), &plan), 0);
	assert_int_equal(rules_eval_period(plan, &emp, a->taps, a->n, NULL, NULL, &out), 0);
	rules_plan_free(plan);
	return out;
}

/* October 2025 with TL1×2, TL3×1, PSW2×1 and one missing check-out (§7 example 3). */
static void example3_month(struct attendance *a)
{
	memset(a, 0, sizeof(*a));
	attend(a, "JKT", "2025-01-01", "2025-10-31", NULL, 0);
	set_day(a, "2025-10-06", "07:45:00", "16:05:00"); /* TL1 */
	set_day(a, "2025-10-07", "07:50:00", "16:05:00"); /* TL1 */
	set_day(a, "2025-10-08", "08:45:00", "16:05:00"); /* TL3 */
	set_day(a, "2025-10-09", "07:25:00", "15:15:00"); /* PSW2 (45 min) */
	set_day(a, "2025-10-10", "07:25:00", NULL);	  /* no check-out: PSW4 */
}

static void test_rules_example3_common_and_permentan(void **state)
{
	static struct attendance a;
	struct rules_period c, pm;

	(void)state;
	example3_month(&a);
	c = period_p(def, "JKT", "2025-10-01", "2025-10-31", &a, NULL, 0, 4000000);
	pm = period_p(permentan, "JKT", "2025-10-01", "2025-10-31", &a, NULL, 0, 4000000);
	assert_int_equal(c.working_days, 23);
	assert_int_equal(c.present_days, 23);
	assert_int_equal(c.tl[0], 2);
	assert_int_equal(c.tl[1], 0);
	assert_int_equal(c.tl[2], 1);
	assert_int_equal(c.tl[3], 0);
	assert_int_equal(c.psw[1], 1);
	assert_int_equal(c.psw[3], 1);
	assert_int_equal(c.tk_days, 0);
	assert_int_equal(c.late_minutes, 15 + 20 + 75);
	assert_int_equal(c.early_minutes, 45);
	assert_int_equal(c.deduction_bp, 475); /* 0.5 + 0.5 + 1.25 + 1 + 1.5 */
	assert_int_equal(c.deduction_amount, 190000);
	assert_int_equal(pm.deduction_bp, 550); /* 0.5 + 0.5 + 1.5 + 1 + 2 */
	assert_int_equal(pm.deduction_amount, 220000);
	assert_int_equal(c.compliant_days, 18);
	assert_int_equal(c.required_days, 23);
}

static void test_rules_amount_rounds_down(void **state)
{
	static struct attendance a;
	struct rules_period p;

	(void)state;
	example3_month(&a);
	/* 4,750,001 * 475 / 10000 = 225,625.047…: whole Rupiah, down. */
	p = period_p(def, "JKT", "2025-10-01", "2025-10-31", &a, NULL, 0, 4750001);
	assert_int_equal(p.deduction_amount, 225625);
}

/* §7 example 4 through the year: 2 TK → none, 3 → teguran lisan, 11 → 25 % for 6 months, 28. */
static void assert_year_tk(int n_tk, const char *want_code)
{
	static struct attendance a;
	int32_t skip[40];
	struct rules_period p;
	int32_t day = date("2025-01-06");

	/* Every other working Monday..Wednesday: never ten in a row. */
	for (int i = 0; i < n_tk; i++) {
		skip[i] = day;
		day += tz_weekday(day) == 3 ? 5 : 1;
	}
	memset(&a, 0, sizeof(a));
	attend(&a, "JKT", "2025-01-01", "2025-12-31", skip, (size_t)n_tk);
	p = period_p(def, "JKT", "2025-12-01", "2025-12-31", &a, NULL, 0, 5000000);
	assert_int_equal(p.year.tk_days, n_tk);
	assert_int_equal(p.year.equivalent_days, 0);
	assert_int_equal(p.year.total_days, n_tk);
	assert_int_equal(p.tk_days, 0); /* none in December */
	if (!want_code) {
		assert_null(p.year.sanction);
		return;
	}
	assert_non_null(p.year.sanction);
	assert_string_equal(p.year.sanction->code, want_code);
	assert_false(p.year.is_run_sanction);
}

static void test_rules_example4_yearly_tk(void **state)
{
	(void)state;
	assert_year_tk(2, NULL);
	assert_year_tk(3, "teguran_lisan");
	assert_year_tk(11, "potong_tukin_25_6");
	assert_year_tk(28, "pemberhentian");
}

/* §7 example 5: TK from Mon 6 to Fri 17 October 2025, the weekend skipped. */
static void test_rules_example5_ten_in_a_row(void **state)
{
	static struct attendance a;
	int32_t skip[14];
	struct rules_period p;

	(void)state;
	for (int i = 0; i < 12; i++)
		skip[i] = date("2025-10-06") + i;
	memset(&a, 0, sizeof(a));
	attend(&a, "JKT", "2025-01-01", "2025-10-31", skip, 12);
	p = period_p(def, "JKT", "2025-10-01", "2025-10-31", &a, NULL, 0, 4000000);
	assert_int_equal(p.tk_days, 10);
	assert_int_equal(p.year.tk_days, 10);
	assert_int_equal(p.year.max_consecutive_tk, 10);
	assert_int_equal(p.year.total_days, 10);
	assert_non_null(p.year.sanction);
	assert_string_equal(p.year.sanction->code, "pemberhentian");
	assert_int_equal(p.year.sanction->level, PROFILE_LEVEL_BERAT);
	assert_true(p.year.is_run_sanction);
	assert_int_equal(p.deduction_bp, 3000);
	assert_int_equal(p.deduction_amount, 1200000);

	/* Nine in a row is only the ladder's 7–10 rung. */
	memset(&a, 0, sizeof(a));
	attend(&a, "JKT", "2025-01-01", "2025-10-31", skip, 11);
	p = period_p(def, "JKT", "2025-10-01", "2025-10-31", &a, NULL, 0, 4000000);
	assert_int_equal(p.year.max_consecutive_tk, 9);
	assert_string_equal(p.year.sanction->code, "pernyataan_tidak_puas");
	assert_false(p.year.is_run_sanction);
}

/* Christmas (Thu) and cuti bersama (Fri) inside a run neither count nor break it. */
static void test_rules_tk_run_across_holiday(void **state)
{
	static struct attendance a;
	struct rules_period p;
	int32_t skip[20];
	size_t n = 0;

	(void)state;
	for (int32_t d = date("2025-12-18"); d <= date("2025-12-31"); d++)
		skip[n++] = d;
	memset(&a, 0, sizeof(a));
	attend(&a, "JKT", "2025-01-01", "2025-12-31", skip, n);
	p = period_p(def, "JKT", "2025-12-01", "2025-12-31", &a, NULL, 0, 4000000);
	/* 18, 19, 22, 23, 24, 29, 30, 31 December: 8 working days. */
	assert_int_equal(p.tk_days, 8);
	assert_int_equal(p.year.max_consecutive_tk, 8);

	/* From 16 December: ten. */
	skip[n++] = date("2025-12-16");
	skip[n++] = date("2025-12-17");
	memset(&a, 0, sizeof(a));
	attend(&a, "JKT", "2025-01-01", "2025-12-31", skip, n);
	p = period_p(def, "JKT", "2025-12-01", "2025-12-31", &a, NULL, 0, 4000000);
	assert_int_equal(p.year.max_consecutive_tk, 10);
	assert_true(p.year.is_run_sanction);
}

static void test_rules_leave_breaks_run_and_counts(void **state)
{
	static struct attendance a;
	struct cal_leave ct = {date("2025-10-13"), date("2025-10-13"), 0, 86400, CAL_LEAVE_CT};
	int32_t skip[14];
	struct rules_period p;

	(void)state;
	for (int i = 0; i < 12; i++)
		skip[i] = date("2025-10-06") + i;
	memset(&a, 0, sizeof(a));
	attend(&a, "JKT", "2025-01-01", "2025-10-31", skip, 12);
	p = period_p(def, "JKT", "2025-10-01", "2025-10-31", &a, &ct, 1, 4000000);
	assert_int_equal(p.tk_days, 9);
	assert_int_equal(p.leave_days[CAL_LEAVE_CT], 1);
	assert_int_equal(p.year.max_consecutive_tk, 5);
	assert_false(p.year.is_run_sanction);
	assert_int_equal(p.required_days, 22);
}

static void test_rules_threshold_first_k_free(void **state)
{
	static struct attendance a;
	struct profile *p = variant("[threshold]\nfree_late_days = 2\n");
	struct rules_period r;

	(void)state;
	memset(&a, 0, sizeof(a));
	attend(&a, "JKT", "2025-01-01", "2025-10-31", NULL, 0);
	set_day(&a, "2025-10-06", "07:45:00", "16:05:00");
	set_day(&a, "2025-10-07", "07:45:00", "16:05:00");
	set_day(&a, "2025-10-08", "07:45:00", "16:05:00");
	set_day(&a, "2025-10-09", "08:45:00", "16:05:00");
	r = period_p(p, "JKT", "2025-10-01", "2025-10-31", &a, NULL, 0, 1000000);
	assert_int_equal(r.tl[0], 3);
	assert_int_equal(r.tl[2], 1);
	assert_int_equal(r.forgiven_late_days, 2);
	assert_int_equal(r.deduction_bp, 50 + 125);
	assert_int_equal(r.late_minutes, 3 * 15 + 75); /* minutes still count for the year */
	/* Late days before `from` in the same month count towards K. */
	r = period_p(p, "JKT", "2025-10-08", "2025-10-31", &a, NULL, 0, 1000000);
	assert_int_equal(r.forgiven_late_days, 0);
	assert_int_equal(r.deduction_bp, 50 + 125);
	/* Off by default: all four cut. */
	r = period_p(def, "JKT", "2025-10-01", "2025-10-31", &a, NULL, 0, 1000000);
	assert_int_equal(r.deduction_bp, 3 * 50 + 125);
	profile_free(p);
}

static void test_rules_monthly_cap(void **state)
{
	static struct attendance a;
	struct profile *p = variant("[absence]\ncap_bp = 2500\n");
	int32_t skip[64];
	struct rules_period r;
	size_t n = 0;

	(void)state;
	/* Every working day of September and October absent: 22 + 23 TK days. */
	for (int32_t d = date("2025-09-01"); d <= date("2025-10-31"); d++)
		skip[n++] = d;
	memset(&a, 0, sizeof(a));
	attend(&a, "JKT", "2025-01-01", "2025-10-31", skip, n);
	r = period_p(def, "JKT", "2025-10-01", "2025-10-31", &a, NULL, 0, 4000000);
	assert_int_equal(r.tk_days, 23);
	assert_int_equal(r.deduction_bp, 6900);
	r = period_p(p, "JKT", "2025-10-01", "2025-10-31", &a, NULL, 0, 4000000);
	assert_int_equal(r.deduction_bp, 2500);
	assert_int_equal(r.deduction_amount, 1000000);
	/* Capped per month: September and October each at most 25 %. */
	r = period_p(p, "JKT", "2025-09-01", "2025-10-31", &a, NULL, 0, 4000000);
	assert_int_equal(r.deduction_bp, 5000);
	assert_int_equal(r.deduction_amount, 2000000);
	profile_free(p);
}

static void test_rules_equivalent_days(void **state)
{
	static struct attendance a;
	struct profile *up = variant("[year]\nrounding = up\n");
	struct rules_period r;

	(void)state;
	memset(&a, 0, sizeof(a));
	attend(&a, "JKT", "2025-01-01", "2025-10-31", NULL, 0);
	/* 5 × 91 = 455 minutes late: one equivalent day (450), rounded down. */
	set_day(&a, "2025-02-03", "09:01:00", "16:05:00");
	set_day(&a, "2025-02-04", "09:01:00", "16:05:00");
	set_day(&a, "2025-02-05", "09:01:00", "16:05:00");
	set_day(&a, "2025-02-06", "09:01:00", "16:05:00");
	set_day(&a, "2025-10-06", "09:01:00", "16:05:00");
	r = period_p(def, "JKT", "2025-10-01", "2025-10-31", &a, NULL, 0, 1000000);
	assert_int_equal(r.late_minutes, 91);
	assert_int_equal(r.year.minutes, 455);
	assert_int_equal(r.year.equivalent_days, 1);
	assert_int_equal(r.year.total_days, 1);
	r = period_p(up, "JKT", "2025-10-01", "2025-10-31", &a, NULL, 0, 1000000);
	assert_int_equal(r.year.equivalent_days, 2);
	/* The year starts on 1 January of `to`: a December period of 2024 sees none of it. */
	profile_free(up);
}

/* A zone with DST takes the zone lookup per tap instead of the fixed-offset shortcut. */
static void test_rules_period_in_zone_with_dst(void **state)
{
	struct cal_unit_row row = {"u", 1, "NYC", "America/New_York", true};
	struct cfg_diag diag = {.len = 0};
	struct rules_employee emp = {"1", "x", "NYC", 1000000, NULL, 0, 0, 0};
	struct calendar *ny = NULL;
	struct rules_plan *plan = NULL;
	struct rules_tap t[4];
	struct rules_period out;
	const struct tz *tz;

	(void)state;
	assert_int_equal(calendar_new(&ny), 0);
	assert_int_equal(calendar_add_unit(ny, &row, &diag), 0);
	assert_int_equal(calendar_seal(ny, &diag), 0);
	tz = cal_unit_tz(calendar_unit(ny, "NYC"));
	/* Clocks went forward on Sunday 9 March 2025; Friday before, Monday after. */
	t[0].usec = tz_instant(tz, date("2025-03-07"), 7 * 3600 + 45 * 60) * CLK_USEC_PER_SEC;
	t[1].usec = tz_instant(tz, date("2025-03-07"), 16 * 3600 + 45 * 60) * CLK_USEC_PER_SEC;
	t[2].usec = tz_instant(tz, date("2025-03-10"), 7 * 3600 + 45 * 60) * CLK_USEC_PER_SEC;
	t[3].usec = tz_instant(tz, date("2025-03-10"), 16 * 3600) * CLK_USEC_PER_SEC;
	for (size_t i = 0; i < 4; i++)
		t[i].dir = RULES_DIR_ANY;
	assert_int_equal(rules_plan_new(ny, calendar_unit(ny, "NYC"), def, date("2025-03-07"),
					date("2025-03-10"), &plan),
			 0);
	assert_int_equal(rules_eval_period(plan, &emp, t, 4, NULL, NULL, &out), 0);
	assert_int_equal(out.working_days, 2);
	assert_int_equal(out.tl[0], 2);
	assert_int_equal(out.late_minutes, 30);
	assert_int_equal(out.psw[0] + out.psw[1] + out.psw[2] + out.psw[3], 0);
	rules_plan_free(plan);
	calendar_free(ny);
}

static void test_rules_plan_errors(void **state)
{
	struct rules_plan *plan = NULL;
	struct rules_period out;
	struct cal_leave bad[] = {
	    {date("2025-10-08"), date("2025-10-09"), 0, 86400, CAL_LEAVE_CT},
	    {date("2025-10-06"), date("2025-10-07"), 0, 86400, CAL_LEAVE_CT},
	};
	struct rules_employee emp = {"1", "x", "JKT", 1000, bad, 2, 0, 0};
	struct rules_employee other = {"1", "x", "JYP", 1000, NULL, 0, 0, 0};

	(void)state;
	assert_int_equal(
	    rules_plan_new(cal, unit("JKT"), def, date("2025-10-31"), date("2025-10-01"), &plan),
	    -EINVAL);
	assert_int_equal(
	    rules_plan_new(cal, unit("JKT"), def, date("2010-01-01"), date("2025-10-01"), &plan),
	    -E2BIG);
	assert_int_equal(
	    rules_plan_new(cal, unit("JKT"), def, date("2025-10-01"), date("2025-10-31"), &plan),
	    0);
	assert_int_equal(rules_eval_period(plan, &emp, NULL, 0, NULL, NULL, &out), -EINVAL);
	assert_int_equal(rules_eval_period(plan, &other, NULL, 0, NULL, NULL, &out), -EINVAL);
	rules_plan_free(plan);
}

struct day_log {
	int32_t days[64];
	size_t n;
};

static void log_day(const struct rules_day *d, void *user)
{
	struct day_log *log = user;

	if (log->n < 64)
		log->days[log->n++] = d->cal.day;
}

static void test_rules_on_day_covers_period_only(void **state)
{
	struct rules_employee emp = {"1", "x", "JKT", 1000, NULL, 0, 0, 0};
	struct rules_plan *plan = NULL;
	struct day_log log = {.n = 0};
	struct rules_period out;

	(void)state;
	assert_int_equal(
	    rules_plan_new(cal, unit("JKT"), def, date("2025-10-10"), date("2025-10-20"), &plan),
	    0);
	assert_int_equal(rules_eval_period(plan, &emp, NULL, 0, log_day, &log, &out), 0);
	assert_int_equal(log.n, 11);
	assert_int_equal(log.days[0], date("2025-10-10"));
	assert_int_equal(log.days[10], date("2025-10-20"));
	assert_int_equal(out.working_days, 7);
	assert_int_equal(out.tk_days, 7);
	assert_int_equal(out.year.tk_days, 209); /* every weekday of 2025 up to 20 October */
	rules_plan_free(plan);
}

struct off_log {
	enum cal_off off[32];
	size_t n;
};

static void log_off(const struct rules_day *d, void *user)
{
	struct off_log *log = user;

	if (log->n < 32)
		log->off[log->n++] = d->cal.off;
}

/* Someone who joined on 15 October has no TK before it, in the period or in the year. */
static void test_rules_tracked_days_only(void **state)
{
	struct rules_employee emp = {"1", "x", "JKT", 1000000, NULL, 0, date("2025-10-15"), 0};
	struct rules_plan *plan = NULL;
	struct off_log log = {.n = 0};
	struct rules_period out;
	char lines[RULES_REASONS_MAX][RULES_REASON_MAX];
	struct rules_day d = {.why = 1, .cal = {.off = CAL_OFF_UNTRACKED}};

	(void)state;
	assert_int_equal(
	    rules_plan_new(cal, unit("JKT"), def, date("2025-10-01"), date("2025-10-31"), &plan),
	    0);
	assert_int_equal(rules_eval_period(plan, &emp, NULL, 0, log_off, &log, &out), 0);
	assert_int_equal(out.working_days, 13); /* 15–31 October */
	assert_int_equal(out.tk_days, 13);
	assert_int_equal(out.year.tk_days, 13);
	assert_int_equal(log.off[0], CAL_OFF_UNTRACKED);
	assert_int_equal(log.off[14], CAL_OFF_NONE);
	emp.last_day = date("2025-10-20");
	assert_int_equal(rules_eval_period(plan, &emp, NULL, 0, NULL, NULL, &out), 0);
	assert_int_equal(out.tk_days, 4);
	assert_string_equal(cal_off_name(CAL_OFF_UNTRACKED), "untracked");
	assert_int_equal(rules_day_reasons(def, &d, lines, RULES_REASONS_MAX), 1);
	assert_string_equal(lines[0], "not evaluated: before the employee's first or after their "
				      "last tracked day");
	rules_plan_free(plan);
}

static void test_rules_summarize(void **state)
{
	struct rules_period p[3];
	struct rules_summary s;

	(void)state;
	memset(p, 0, sizeof(p));
	p[0].required_days = 20;
	p[0].compliant_days = 20;
	p[0].late_minutes = 10;
	p[1].required_days = 20;
	p[1].compliant_days = 15;
	p[1].tk_days = 3;
	p[1].year.sanction = &def->ladder[0];
	p[2].required_days = 0; /* on leave all month */
	p[2].deduction_amount = 5;
	p[0].deduction_bp = 100;
	p[1].deduction_bp = 201;
	rules_summarize(p, 3, &s);
	assert_int_equal(s.deduction_bp, 301);
	assert_int_equal(s.avg_deduction_bp, 100);
	assert_int_equal(s.head_count, 3);
	assert_int_equal(s.compliance_bp, 8750);
	assert_int_equal(s.avg_late_minutes_x100, 333);
	assert_int_equal(s.avg_tk_days_x100, 100);
	assert_int_equal(s.n_sanctioned, 1);
	assert_int_equal(s.n_by_level[PROFILE_LEVEL_RINGAN], 1);
	assert_int_equal(s.deduction_amount, 5);
}

/* --- properties over seeded pseudo-random days --- */

static uint64_t rng_state;

static uint32_t rng(void)
{
	/* xorshift64*: small, seeded, the same sequence on every machine. */
	rng_state ^= rng_state >> 12;
	rng_state ^= rng_state << 25;
	rng_state ^= rng_state >> 27;
	return (uint32_t)((rng_state * UINT64_C(2685821657736338717)) >> 32);
}

static size_t random_taps(int32_t day, struct rules_tap *taps, size_t max)
{
	const struct tz *tz = cal_unit_tz(unit("JKT"));
	size_t n = rng() % (max + 1);

	for (size_t i = 0; i < n; i++) {
		/* 05:00 to 19:00, so some fall outside the window. */
		int32_t sec = 5 * 3600 + (int32_t)(rng() % (14 * 3600));

		taps[i].usec = tz_instant(tz, day, sec) * CLK_USEC_PER_SEC + rng() % 1000000;
		taps[i].dir = (enum rules_dir)(rng() % 5 < 3 ? RULES_DIR_ANY : 1 + rng() % 2);
	}
	return n;
}

static struct cal_leave random_leave(int32_t day)
{
	static const int32_t cuts[] = {0, 9 * 3600, 10 * 3600, 13 * 3600, 15 * 3600, 86400};
	struct cal_leave l = {day, day, 0, 86400, (enum cal_leave_code)(1 + rng() % 12)};
	uint32_t a = rng() % 6, b = rng() % 6;

	if (a != b) {
		l.from_sec = cuts[a < b ? a : b];
		l.to_sec = cuts[a < b ? b : a];
	}
	return l;
}

static int32_t random_day(void)
{
	/* Any day of 2025, Ramadan and weekends included. */
	return date("2025-01-01") + (int32_t)(rng() % 365);
}

static void assert_day_equal(const struct rules_day *a, const struct rules_day *b)
{
	assert_int_equal(a->n_taps, b->n_taps);
	assert_int_equal(a->n_outside, b->n_outside);
	assert_int_equal(a->has_in, b->has_in);
	assert_int_equal(a->has_out, b->has_out);
	if (a->has_in)
		assert_int_equal(a->in_usec, b->in_usec);
	if (a->has_out)
		assert_int_equal(a->out_usec, b->out_usec);
	assert_int_equal(a->late_minutes, b->late_minutes);
	assert_int_equal(a->early_minutes, b->early_minutes);
	assert_int_equal(a->tl, b->tl);
	assert_int_equal(a->psw, b->psw);
	assert_int_equal(a->is_tk, b->is_tk);
	assert_int_equal(a->is_leave, b->is_leave);
	assert_int_equal(a->deduction_bp, b->deduction_bp);
	assert_int_equal(a->why, b->why);
}

static void test_rules_property_on_time_tap_never_hurts(void **state)
{
	const struct tz *tz = cal_unit_tz(unit("JKT"));

	(void)state;
	rng_state = 20251006;
	for (int iter = 0; iter < 5000; iter++) {
		struct rules_tap taps[9];
		int32_t day = random_day();
		size_t n = random_taps(day, taps, 8);
		struct cal_leave leave = random_leave(day);
		bool has_leave = rng() % 3 == 0;
		struct rules_day before, after;
		struct cal_day c;
		int32_t sec;

		calendar_day(cal, unit("JKT"), has_leave ? &leave : NULL, has_leave, day, &c);
		rules_eval_day(def, tz, &c, taps, n, &before, NULL);
		if (!c.is_working)
			continue;
		/* On time: inside the window, at or before start + grace. */
		sec = def->window_open_sec +
		      (int32_t)(rng() % (uint32_t)(c.start_sec + def->grace_seconds + 1 -
						   def->window_open_sec));
		taps[n].usec = tz_instant(tz, day, sec) * CLK_USEC_PER_SEC;
		taps[n].dir = rng() % 2 ? RULES_DIR_ANY : RULES_DIR_IN;
		rules_eval_day(def, tz, &c, taps, n + 1, &after, NULL);
		if (after.deduction_bp > before.deduction_bp)
			fail_msg("iteration %d: %d bp after an on-time tap, %d before", iter,
				 after.deduction_bp, before.deduction_bp);
	}
}

static void test_rules_property_leave_never_tk(void **state)
{
	const struct tz *tz = cal_unit_tz(unit("JKT"));

	(void)state;
	rng_state = 4321;
	for (int iter = 0; iter < 5000; iter++) {
		struct rules_tap taps[6];
		int32_t day = random_day();
		size_t n = random_taps(day, taps, rng() % 2 ? 0 : 5);
		struct cal_leave leave = random_leave(day);
		struct rules_day d;
		struct cal_day c;

		calendar_day(cal, unit("JKT"), &leave, 1, day, &c);
		rules_eval_day(def, tz, &c, taps, n, &d, NULL);
		assert_false(d.is_tk);
	}
}

static void test_rules_property_tap_order_irrelevant(void **state)
{
	const struct tz *tz = cal_unit_tz(unit("JKT"));

	(void)state;
	rng_state = 777;
	for (int iter = 0; iter < 3000; iter++) {
		struct rules_tap taps[8], shuffled[8];
		int32_t day = random_day();
		size_t n = random_taps(day, taps, 8);
		struct cal_leave leave = random_leave(day);
		bool has_leave = rng() % 4 == 0;
		struct rules_day a, b;
		struct cal_day c;

		/* Same instants with different directions are where order could leak in. */
		if (n > 2 && rng() % 2)
			taps[1].usec = taps[0].usec;
		memcpy(shuffled, taps, sizeof(taps));
		for (size_t i = n; i > 1; i--) {
			size_t j = rng() % i;
			struct rules_tap t = shuffled[i - 1];

			shuffled[i - 1] = shuffled[j];
			shuffled[j] = t;
		}
		calendar_day(cal, unit("JKT"), has_leave ? &leave : NULL, has_leave, day, &c);
		rules_eval_day(def, tz, &c, taps, n, &a, NULL);
		rules_eval_day(def, tz, &c, shuffled, n, &b, NULL);
		assert_day_equal(&a, &b);
	}
}

static void test_rules_property_period_order_irrelevant(void **state)
{
	static struct attendance a, b;
	struct rules_period x, y;

	(void)state;
	rng_state = 99;
	memset(&a, 0, sizeof(a));
	for (int32_t d = date("2025-09-01"); d <= date("2025-10-31"); d++)
		a.n += random_taps(d, a.taps + a.n, 5);
	b = a;
	for (size_t i = b.n; i > 1; i--) {
		size_t j = rng() % i;
		struct rules_tap t = b.taps[i - 1];

		b.taps[i - 1] = b.taps[j];
		b.taps[j] = t;
	}
	x = period_p(def, "JKT", "2025-10-01", "2025-10-31", &a, NULL, 0, 3000000);
	y = period_p(def, "JKT", "2025-10-01", "2025-10-31", &b, NULL, 0, 3000000);
	assert_memory_equal(&x, &y, sizeof(x));
	assert_true(x.deduction_bp > 0);
}

struct day_check {
	const struct rules_tap *taps;
	size_t n_taps;
	unsigned n_days;
};

static void check_day(const struct rules_day *d, void *user)
{
	struct day_check *c = user;
	struct rules_day alone;

	rules_eval_day(def, cal_unit_tz(unit("JKT")), &d->cal, c->taps, c->n_taps, &alone, NULL);
	assert_day_equal(d, &alone);
	c->n_days++;
}

/* The period walk (bucketed taps, fixed offset) decides every day as the single-day call does. */
static void test_rules_property_period_days_match_single_days(void **state)
{
	static struct attendance a;
	struct rules_employee emp = {"1", "x", "JKT", 1000, NULL, 0, 0, 0};
	struct day_check c = {.n_days = 0};
	struct rules_plan *plan = NULL;
	struct rules_period out;

	(void)state;
	rng_state = 31337;
	memset(&a, 0, sizeof(a));
	for (int32_t d = date("2025-02-20"); d <= date("2025-04-10"); d++)
		a.n += random_taps(d, a.taps + a.n, 5);
	c.taps = a.taps;
	c.n_taps = a.n;
	assert_int_equal(
	    rules_plan_new(cal, unit("JKT"), def, date("2025-03-01"), date("2025-03-31"), &plan),
	    0);
	assert_int_equal(rules_eval_period(plan, &emp, a.taps, a.n, check_day, &c, &out), 0);
	assert_int_equal(c.n_days, 31);
	rules_plan_free(plan);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_rules_example1_monday_checkins),
	    cmocka_unit_test(test_rules_tier_boundaries),
	    cmocka_unit_test(test_rules_early_boundaries),
	    cmocka_unit_test(test_rules_example2_thursday_friday),
	    cmocka_unit_test(test_rules_example6_ramadan),
	    cmocka_unit_test(test_rules_same_instant_two_zones),
	    cmocka_unit_test(test_rules_window_edges),
	    cmocka_unit_test(test_rules_only_outside_window_is_tk),
	    cmocka_unit_test(test_rules_explicit_direction_wins),
	    cmocka_unit_test(test_rules_only_out_tap_misses_check_in),
	    cmocka_unit_test(test_rules_single_tap_misses_check_out),
	    cmocka_unit_test(test_rules_taps_on_weekend_not_evaluated),
	    cmocka_unit_test(test_rules_part_day_leave),
	    cmocka_unit_test(test_rules_whole_day_leave),
	    cmocka_unit_test(test_rules_compensation),
	    cmocka_unit_test(test_rules_example3_common_and_permentan),
	    cmocka_unit_test(test_rules_amount_rounds_down),
	    cmocka_unit_test(test_rules_example4_yearly_tk),
	    cmocka_unit_test(test_rules_example5_ten_in_a_row),
	    cmocka_unit_test(test_rules_tk_run_across_holiday),
	    cmocka_unit_test(test_rules_leave_breaks_run_and_counts),
	    cmocka_unit_test(test_rules_threshold_first_k_free),
	    cmocka_unit_test(test_rules_monthly_cap),
	    cmocka_unit_test(test_rules_equivalent_days),
	    cmocka_unit_test(test_rules_period_in_zone_with_dst),
	    cmocka_unit_test(test_rules_plan_errors),
	    cmocka_unit_test(test_rules_on_day_covers_period_only),
	    cmocka_unit_test(test_rules_tracked_days_only),
	    cmocka_unit_test(test_rules_summarize),
	    cmocka_unit_test(test_rules_property_on_time_tap_never_hurts),
	    cmocka_unit_test(test_rules_property_leave_never_tk),
	    cmocka_unit_test(test_rules_property_tap_order_irrelevant),
	    cmocka_unit_test(test_rules_property_period_order_irrelevant),
	    cmocka_unit_test(test_rules_property_period_days_match_single_days),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
