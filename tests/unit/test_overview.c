// SPDX-License-Identifier: MIT
/*
 * overview.c: the figures as sums of the discipline evaluation, unit by unit
 * and date by date; the cache answering again without evaluating, and
 * evaluating again exactly the units whose data changed: a new tap, a clock
 * correction, an import (audited), an edited profile; its bound; the
 * uncached answers for a filter of staff.
 *
 * Mon 2025-10-06 .. Fri 10-10. Unit A: a1 on time daily, a2 (a1's) in late on
 * Monday only. Unit B: b1 on time Monday to Wednesday. Unit C: nobody.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <utime.h>

#include <cmocka.h>

#include "common/clk.h"
#include "common/tz.h"
#include "server/audit.h"
#include "server/db.h"
#include "server/overview.h"
#include "tmpdb.h"

static struct tmpdb t;
static char profiles[96];
static int64_t dev;
static uint64_t seq;
static int32_t from, to;

static int32_t date(const char *text)
{
	int32_t d = 0;

	assert_int_equal(tz_parse_date(text, &d), 0);
	return d;
}

/* The instant of a local WIB time of a day. */
static int64_t wib(const char *day, const char *clock)
{
	struct tz *tz = NULL;
	int32_t sec = 0;
	int64_t usec;

	assert_int_equal(tz_load("Asia/Jakarta", &tz), 0);
	assert_int_equal(tz_parse_clock(clock, &sec), 0);
	usec = tz_instant(tz, date(day), sec) * CLK_USEC_PER_SEC;
	tz_free(tz);
	return usec;
}

static void tap(const char *nip, const char *day, const char *clock)
{
	assert_int_equal(db_tap_import(t.db, dev, ++seq, nip, wib(day, clock), 0), 1);
}

static void day_in_out(const char *nip, const char *day)
{
	tap(nip, day, "07:00");
	tap(nip, day, "16:45");
}

static int setup(void **state)
{
	static const struct db_unit units[] = {
	    {"A", "Unit A", "Asia/Jakarta", "default"},
	    {"B", "Unit B", "Asia/Jakarta", "default"},
	    {"C", "Unit C", "Asia/Jayapura", "permentan"},
	};
	static const struct db_staff staff[] = {
	    {.nip = "a1", .name = "Ani", .unit_id = "A", .allowance = 4000000},
	    {.nip = "a2",
	     .name = "Adi",
	     .unit_id = "A",
	     .allowance = 4000000,
	     .supervisor_nip = "a1"},
	    {.nip = "b1", .name = "Budi", .unit_id = "B", .allowance = 5000000},
	};
	static const char *const days[] = {"2025-10-06", "2025-10-07", "2025-10-08", "2025-10-09",
					   "2025-10-10"};
	char cmd[256];

	(void)state;
	tmpdb_open(&t);
	snprintf(profiles, sizeof(profiles), "%s/profiles", t.dir);
	snprintf(cmd, sizeof(cmd), "mkdir %s && cp profiles/*.conf %s", profiles, profiles);
	assert_int_equal(system(cmd), 0);
	from = date("2025-10-06");
	to = date("2025-10-10");
	assert_int_equal(db_device_internal(t.db, "(import)", 0, &dev), 0);
	for (size_t i = 0; i < ARRAY_SIZE(units); i++)
		assert_int_equal(db_unit_put(t.db, &units[i]), 0);
	for (size_t i = 0; i < ARRAY_SIZE(staff); i++)
		assert_int_equal(db_staff_put(t.db, &staff[i]), 0);
	for (size_t i = 0; i < ARRAY_SIZE(days); i++)
		day_in_out("a1", days[i]);
	tap("a2", "2025-10-06", "08:00");
	tap("a2", "2025-10-06", "16:45");
	for (size_t i = 0; i < 3; i++)
		day_in_out("b1", days[i]);
	return 0;
}

static int teardown(void **state)
{
	(void)state;
	tmpdb_close(&t);
	return 0;
}

static void get_q(struct overview *ov, const struct overview_query *q, struct overview_result *res)
{
	char why[DISCIPLINE_WHY_MAX];
	int r = overview_get(ov, t.db, profiles, q, clk_wall_usec(), res, why);

	if (r < 0)
		fail_msg("overview_get: %d %s", r, why);
}

static void get(struct overview *ov, struct overview_result *res)
{
	get_q(ov, &(struct overview_query){.from = from, .to = to}, res);
}

/* How many units an answer evaluated rather than took from the cache. */
static size_t computed(struct overview *ov)
{
	struct overview_result res;
	size_t n;

	get(ov, &res);
	n = res.n_computed;
	overview_result_done(&res);
	return n;
}

static const struct overview_unit *unit(const struct overview_result *res, const char *id)
{
	for (size_t i = 0; i < res->n_units; i++)
		if (strcmp(res->units[i].unit_id, id) == 0)
			return &res->units[i];
	fail_msg("no unit %s", id);
	return NULL;
}

static void assert_same(const struct overview_result *a, const struct overview_result *b)
{
	assert_int_equal(a->n_units, b->n_units);
	assert_memory_equal(a->units, b->units, a->n_units * sizeof(*a->units));
	assert_memory_equal(a->days, b->days, (size_t)(to - from + 1) * sizeof(*a->days));
}

static void test_overview_get_sums_the_evaluation(void **state)
{
	struct discipline_query dq = {.from = from, .to = to};
	const struct report_unit *units;
	struct overview_result res;
	struct discipline *d = NULL;
	char why[DISCIPLINE_WHY_MAX];
	int64_t working = 0, on_time = 0;
	size_t n;

	(void)state;
	get(NULL, &res);
	assert_int_equal(res.n_units, 3);
	assert_int_equal(res.n_computed, 3);
	assert_int_equal(discipline_run(t.db, profiles, &dq, &d, why), 0);
	units = discipline_units(d, &n);
	assert_int_equal(n, 3);
	for (size_t i = 0; i < n; i++) {
		const struct overview_unit *o = unit(&res, units[i].unit_id);
		int64_t late = 0, early = 0;

		for (size_t k = 0; k < units[i].n_entries; k++)
			for (int tier = 0; tier < PROFILE_TIERS; tier++) {
				late += units[i].entries[k].period->tl[tier];
				early += units[i].entries[k].period->psw[tier];
			}
		assert_string_equal(o->name, units[i].name);
		assert_int_equal(o->staff, units[i].summary.head_count);
		assert_int_equal(o->working_days, units[i].summary.required_days);
		assert_int_equal(o->on_time_days, units[i].summary.compliant_days);
		assert_int_equal(o->tk_days, units[i].summary.tk_days);
		assert_int_equal(o->deduction, units[i].summary.deduction_amount);
		assert_int_equal(o->at_threshold, units[i].summary.n_sanctioned);
		assert_int_equal(o->late_days, late);
		assert_int_equal(o->early_days, early);
	}
	discipline_free(d);
	/* A: 10 expected person-days, a1's 5 on time; a2 late Monday, then 4 TK (a sanction). */
	assert_int_equal(unit(&res, "A")->working_days, 10);
	assert_int_equal(unit(&res, "A")->on_time_days, 5);
	assert_int_equal(unit(&res, "A")->late_days, 1);
	assert_int_equal(unit(&res, "A")->tk_days, 4);
	assert_int_equal(unit(&res, "A")->at_threshold, 1);
	assert_int_equal(unit(&res, "B")->on_time_days, 3);
	assert_int_equal(unit(&res, "C")->staff, 0);
	assert_true(overview_rate(unit(&res, "C")->on_time_days, unit(&res, "C")->working_days) <
		    0);
	/* By date: Monday 3 expected, 2 on time (a2 late); Thursday a1 only. */
	assert_int_equal(res.days[0].working, 3);
	assert_int_equal(res.days[0].on_time, 2);
	assert_int_equal(res.days[3].working, 3);
	assert_int_equal(res.days[3].on_time, 1);
	for (int32_t i = 0; i <= to - from; i++) {
		working += res.days[i].working;
		on_time += res.days[i].on_time;
	}
	assert_int_equal(working, 15);
	assert_int_equal(on_time, 8);
	overview_result_done(&res);
}

static void test_overview_get_cached_until_a_unit_changes(void **state)
{
	struct overview_result first, again, after;
	struct overview *ov = NULL;

	(void)state;
	assert_int_equal(overview_new(16, &ov), 0);
	get(ov, &first);
	assert_int_equal(first.n_computed, 3);
	get(ov, &again);
	assert_int_equal(again.n_computed, 0);
	assert_same(&first, &again);
	overview_result_done(&again);

	/* b1 on Thursday: unit B alone is evaluated again, and shows it. */
	day_in_out("b1", "2025-10-09");
	get(ov, &after);
	assert_int_equal(after.n_computed, 1);
	assert_int_equal(unit(&after, "B")->on_time_days, unit(&first, "B")->on_time_days + 1);
	assert_int_equal(after.days[3].on_time, first.days[3].on_time + 1);
	assert_memory_equal(unit(&after, "A"), unit(&first, "A"), sizeof(struct overview_unit));
	overview_result_done(&after);
	assert_int_equal(computed(ov), 0);
	overview_result_done(&first);
	overview_free(ov);
}

/* b1's Friday by a kiosk whose clock was wrong (1970), corrected later. */
static void test_overview_get_follows_clock_corrections(void **state)
{
	struct record rec = {.kind = "tap",
			     .boot_id = "boot-1",
			     .credential = "card:1",
			     .nip = "b1",
			     .outcome = "accepted"};
	struct db_record_meta meta = {.received_usec = 1};
	struct overview_result before, after;
	struct overview *ov = NULL;
	int64_t offset = wib("2025-10-10", "07:00") - 1000000;

	(void)state;
	assert_int_equal(overview_new(16, &ov), 0);
	get(ov, &before);
	for (int i = 0; i < 2; i++) {
		rec.seq = 1000 + (uint64_t)i;
		rec.boot_usec = 1000000 + i * (int64_t)(9 * 3600 + 45 * 60) * CLK_USEC_PER_SEC;
		rec.wall_usec = rec.boot_usec; /* 1970: ignored until corrected */
		assert_int_equal(db_record_insert(t.db, dev, &rec, &meta), 0);
	}
	get(ov, &after);
	assert_int_equal(after.n_computed, 1); /* new records of unit B */
	assert_same(&before, &after);
	overview_result_done(&after);
	assert_int_equal(computed(ov), 0);

	assert_int_equal(db_boot_correct(t.db, dev, "boot-1", offset), 2);
	get(ov, &after);
	assert_int_equal(after.n_computed, 1);
	assert_int_equal(unit(&after, "B")->on_time_days, unit(&before, "B")->on_time_days + 1);
	assert_int_equal(after.days[4].on_time, before.days[4].on_time + 1);
	overview_result_done(&after);
	overview_result_done(&before);
	overview_free(ov);
}

static void audit_import(const char *kind)
{
	struct db_audit e = {.time_usec = clk_wall_usec()};

	snprintf(e.actor, sizeof(e.actor), "cli:test");
	snprintf(e.action, sizeof(e.action), "%s", AUDIT_IMPORT);
	snprintf(e.target, sizeof(e.target), "%s", kind);
	snprintf(e.source, sizeof(e.source), "cli");
	assert_int_equal(db_audit_add(t.db, &e), 0);
}

static void test_overview_get_drops_all_on_an_import(void **state)
{
	struct overview *ov = NULL;

	(void)state;
	assert_int_equal(overview_new(16, &ov), 0);
	assert_int_equal(computed(ov), 3);
	/* Taps are records (seen as such); plans are not in the figures. */
	audit_import("taps");
	audit_import("plans");
	assert_int_equal(computed(ov), 0);
	audit_import("leave");
	assert_int_equal(computed(ov), 3);
	assert_int_equal(computed(ov), 0);
	overview_free(ov);
}

static void test_overview_get_drops_all_when_a_profile_changes(void **state)
{
	struct overview *ov = NULL;
	struct utimbuf later = {.actime = 2000000000, .modtime = 2000000000};
	char path[128];

	(void)state;
	assert_int_equal(overview_new(16, &ov), 0);
	assert_int_equal(computed(ov), 3);
	snprintf(path, sizeof(path), "%s/permentan.conf", profiles);
	assert_int_equal(utime(path, &later), 0);
	assert_int_equal(computed(ov), 3);
	assert_int_equal(computed(ov), 0);
	overview_free(ov);
}

/* Room for 4 entries: a second period's 3 push out the first's 2 oldest. */
static void test_overview_get_keeps_a_bounded_cache(void **state)
{
	struct overview_query week = {.from = from, .to = to};
	struct overview_query monday = {.from = from, .to = from};
	struct overview_result res;
	struct overview *ov = NULL;

	(void)state;
	assert_int_equal(overview_new(4, &ov), 0);
	get_q(ov, &week, &res);
	assert_int_equal(res.n_computed, 3);
	overview_result_done(&res);
	get_q(ov, &monday, &res);
	assert_int_equal(res.n_computed, 3);
	assert_int_equal(res.days[0].working, 3); /* one day, the same as the week's Monday */
	overview_result_done(&res);
	get_q(ov, &week, &res);
	assert_int_equal(res.n_computed, 2);
	overview_result_done(&res);
	overview_free(ov);
}

static bool only_b(const char *unit_id, void *arg)
{
	(void)arg;
	return strcmp(unit_id, "B") == 0;
}

static bool a1_and_theirs(const char *nip, const char *unit_id, const char *supervisor_nip,
			  void *arg)
{
	(void)unit_id;
	(void)arg;
	return strcmp(nip, "a1") == 0 || strcmp(supervisor_nip, "a1") == 0;
}

static void test_overview_get_filters(void **state)
{
	struct overview_query q = {.from = from, .to = to, .unit_ok = only_b};
	struct overview_result res;
	struct overview *ov = NULL;

	(void)state;
	assert_int_equal(overview_new(16, &ov), 0);
	get_q(ov, &q, &res);
	assert_int_equal(res.n_units, 1);
	assert_string_equal(res.units[0].unit_id, "B");
	assert_int_equal(res.days[0].working, 1);
	overview_result_done(&res);

	/* Staff by staff: their units only, counting only them, never from the cache. */
	q = (struct overview_query){.from = from, .to = to, .keep = a1_and_theirs};
	for (int i = 0; i < 2; i++) {
		get_q(ov, &q, &res);
		assert_int_equal(res.n_units, 1);
		assert_string_equal(res.units[0].unit_id, "A");
		assert_int_equal(res.units[0].staff, 2);
		assert_int_equal(res.n_computed, 1);
		assert_int_equal(res.days[0].working, 2);
		overview_result_done(&res);
	}
	overview_free(ov);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_overview_get_sums_the_evaluation),
	    cmocka_unit_test(test_overview_get_cached_until_a_unit_changes),
	    cmocka_unit_test(test_overview_get_follows_clock_corrections),
	    cmocka_unit_test(test_overview_get_drops_all_on_an_import),
	    cmocka_unit_test(test_overview_get_drops_all_when_a_profile_changes),
	    cmocka_unit_test(test_overview_get_keeps_a_bounded_cache),
	    cmocka_unit_test(test_overview_get_filters),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
