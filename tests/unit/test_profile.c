// SPDX-License-Identifier: MIT
/* Rule profiles: the shipped files, defaults, and errors that name file, line and key. */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "server/profile.h"

struct loaded {
	struct profile *p;
	struct cfg_diag diag;
	int r;
};

static struct loaded parse(const char *text)
{
	struct loaded l;

	memset(&l, 0, sizeof(l));
	l.r = profile_parse(text, strlen(text), "unit.conf", &l.p, &l.diag);
	return l;
}

static void assert_diag_has(const struct loaded *l, const char *needle)
{
	if (!strstr(l->diag.text, needle))
		fail_msg("diagnostics lack '%s':\n%s", needle, l->diag.text);
}

static struct profile *load_file(const char *path)
{
	struct cfg_diag diag = {.len = 0};
	struct profile *p = NULL;

	if (profile_load(path, &p, &diag) < 0)
		fail_msg("%s:\n%s", path, diag.text);
	return p;
}

static void test_profile_load_default_file(void **state)
{
	struct profile *p = load_file("profiles/default.conf");

	(void)state;
	assert_string_equal(p->name, "default");
	assert_int_equal(p->window_open_sec, 6 * 3600);
	assert_int_equal(p->window_close_sec, 18 * 3600);
	assert_int_equal(p->grace_seconds, 59);
	assert_int_equal(p->late.max_minutes[0], 30);
	assert_int_equal(p->late.max_minutes[2], 90);
	assert_int_equal(p->late.bp[2], 125);
	assert_int_equal(p->late.bp[3], 150);
	assert_int_equal(p->early.bp[3], 150);
	assert_true(p->late.is_missing_tier4);
	assert_int_equal(p->tk_bp, 300);
	assert_int_equal(p->cap_bp, 10000);
	assert_int_equal(p->compensation_minutes, 0);
	assert_int_equal(p->free_late_days, 0);
	assert_int_equal(p->minutes_per_day, 450);
	assert_int_equal(p->rounding, PROFILE_ROUND_DOWN);
	assert_int_equal(p->consecutive_tk, 10);
	assert_int_equal(p->n_rungs, 9);
	assert_string_equal(p->ladder[p->consecutive_rung].code, "pemberhentian");
	profile_free(p);
}

static void test_profile_load_permentan_file(void **state)
{
	struct profile *p = load_file("profiles/permentan.conf");

	(void)state;
	assert_string_equal(p->name, "permentan");
	assert_int_equal(p->late.bp[0], 50);
	assert_int_equal(p->late.bp[1], 100);
	assert_int_equal(p->late.bp[2], 150);
	assert_int_equal(p->late.bp[3], 200);
	assert_int_equal(p->early.bp[2], 150);
	assert_int_equal(p->early.bp[3], 200);
	profile_free(p);
}

/* The key table's defaults are the default profile: the shipped file only spells them out. */
static void test_profile_defaults_equal_default_file(void **state)
{
	struct profile *file = load_file("profiles/default.conf");
	struct loaded l = parse("[profile]\nname = default\n"
				"description = Skema umum tunjangan kinerja\n");

	(void)state;
	assert_int_equal(l.r, 0);
	assert_memory_equal(file, l.p, sizeof(*file));
	profile_free(file);
	profile_free(l.p);
}

static void test_profile_tier_of_boundaries(void **state)
{
	struct loaded l = parse("[profile]\nname = t\n");
	const struct profile_tiers *t;

	(void)state;
	assert_int_equal(l.r, 0);
	t = &l.p->late;
	assert_int_equal(profile_tier_of(t, 0), 0);
	assert_int_equal(profile_tier_of(t, 1), 1);
	assert_int_equal(profile_tier_of(t, 30), 1);
	assert_int_equal(profile_tier_of(t, 31), 2);
	assert_int_equal(profile_tier_of(t, 60), 2);
	assert_int_equal(profile_tier_of(t, 61), 3);
	assert_int_equal(profile_tier_of(t, 90), 3);
	assert_int_equal(profile_tier_of(t, 91), 4);
	assert_int_equal(profile_tier_of(t, 600), 4);
	assert_int_equal(profile_tier_bp(t, 0), 0);
	assert_int_equal(profile_tier_bp(t, 3), 125);
	profile_free(l.p);
}

/* Spec §7 example 4: 2 → none, 3 → teguran lisan, 11 → cut 25 % 6 months, 28 → pemberhentian. */
static void test_profile_rung_for_example4(void **state)
{
	struct loaded l = parse("[profile]\nname = t\n");

	(void)state;
	assert_int_equal(l.r, 0);
	assert_null(profile_rung_for(l.p, 0));
	assert_null(profile_rung_for(l.p, 2));
	assert_string_equal(profile_rung_for(l.p, 3)->code, "teguran_lisan");
	assert_string_equal(profile_rung_for(l.p, 4)->code, "teguran_tertulis");
	assert_string_equal(profile_rung_for(l.p, 10)->code, "pernyataan_tidak_puas");
	assert_string_equal(profile_rung_for(l.p, 11)->code, "potong_tukin_25_6");
	assert_int_equal(profile_rung_for(l.p, 11)->level, PROFILE_LEVEL_SEDANG);
	assert_string_equal(profile_rung_for(l.p, 27)->code, "pembebasan_jabatan");
	assert_string_equal(profile_rung_for(l.p, 28)->code, "pemberhentian");
	assert_string_equal(profile_rung_for(l.p, 200)->code, "pemberhentian");
	assert_int_equal(profile_rung_for(l.p, 28)->level, PROFILE_LEVEL_BERAT);
	assert_string_equal(profile_level_name(PROFILE_LEVEL_RINGAN), "ringan");
	profile_free(l.p);
}

static void test_profile_parse_name_required(void **state)
{
	struct loaded l = parse("[late]\ntier1_bp = 40\n");

	(void)state;
	assert_int_equal(l.r, -EINVAL);
	assert_null(l.p);
	assert_diag_has(&l, "unit.conf: [profile] name: required key missing");
}

static void test_profile_parse_range_names_line(void **state)
{
	struct loaded l = parse("[profile]\nname = t\n[absence]\ntk_bp = 10001\n");

	(void)state;
	assert_int_equal(l.r, -EINVAL);
	assert_diag_has(&l, "unit.conf:4: [absence] tk_bp: out of range: '10001'");
}

static void test_profile_parse_tiers_must_ascend(void **state)
{
	struct loaded l = parse("[profile]\nname = t\n\n[early]\ntier2_max = 30\n");

	(void)state;
	assert_int_equal(l.r, -EINVAL);
	assert_diag_has(&l, "unit.conf:5: [early] tier2_max: must be above tier1_max (30)");
}

static void test_profile_parse_tier_default_named_without_line(void **state)
{
	/* tier3_max keeps its default 90, which is now below tier2_max: no line to name. */
	struct loaded l = parse("[profile]\nname = t\n[late]\ntier2_max = 95\n");

	(void)state;
	assert_int_equal(l.r, -EINVAL);
	assert_diag_has(&l, "unit.conf: [late] tier3_max: must be above tier2_max (95)");
}

static void test_profile_parse_window(void **state)
{
	struct loaded a = parse("[profile]\nname = t\n[window]\nopen = 6am\n");
	struct loaded b = parse("[profile]\nname = t\n[window]\nopen = 18:00\nclose = 06:00\n");
	struct loaded c = parse("[profile]\nname = t\n[window]\nopen = 05:30\nclose = 19:15\n");

	(void)state;
	assert_int_equal(a.r, -EINVAL);
	assert_diag_has(&a, "unit.conf:4: [window] open: not a time (HH:MM): '6am'");
	assert_int_equal(b.r, -EINVAL);
	assert_diag_has(&b, "unit.conf:5: [window] close: must be after open (18:00)");
	assert_int_equal(c.r, 0);
	assert_int_equal(c.p->window_open_sec, 5 * 3600 + 1800);
	assert_int_equal(c.p->window_close_sec, 19 * 3600 + 900);
	profile_free(c.p);
}

static void test_profile_parse_ladder_overlap(void **state)
{
	struct loaded l = parse("[profile]\nname = t\n[sanction2]\nmin_days = 3\n");

	(void)state;
	assert_int_equal(l.r, -EINVAL);
	assert_diag_has(&l, "unit.conf:4: [sanction2] min_days: must be above [sanction1] "
			    "max_days (3)");
}

static void test_profile_parse_ladder_gap_in_slots(void **state)
{
	struct loaded l = parse("[profile]\nname = t\n[sanction11]\nmin_days = 40\n"
				"max_days = 41\ncode = x\ntext = y\n");

	(void)state;
	assert_int_equal(l.r, -EINVAL);
	assert_diag_has(&l, "unit.conf:4: [sanction11] min_days: [sanction10] is unused");
}

static void test_profile_parse_ladder_open_end_only_last(void **state)
{
	struct loaded l = parse("[profile]\nname = t\n[sanction10]\nmin_days = 40\n"
				"code = x\ntext = y\n");

	(void)state;
	assert_int_equal(l.r, -EINVAL);
	assert_diag_has(&l, "unit.conf: [sanction9] max_days: only the last rung may be "
			    "open-ended");
}

static void test_profile_parse_ladder_duplicate_code_and_missing_text(void **state)
{
	struct loaded l = parse("[profile]\nname = t\n[sanction9]\nmax_days = 30\n"
				"[sanction10]\nmin_days = 31\ncode = teguran_lisan\n");

	(void)state;
	assert_int_equal(l.r, -EINVAL);
	assert_diag_has(&l, "unit.conf:7: [sanction10] code: 'teguran_lisan' already used by "
			    "[sanction1]");
	assert_diag_has(&l, "unit.conf: [sanction10] text: required for a used rung");
}

static void test_profile_parse_ladder_shorter(void **state)
{
	struct loaded l = parse("[profile]\nname = t\n[sanction2]\nmax_days = 0\n"
				"code = berat\n[sanction3]\nmin_days = 0\n"
				"[sanction4]\nmin_days = 0\n"
				"[sanction5]\nmin_days = 0\n[sanction6]\nmin_days = 0\n"
				"[sanction7]\nmin_days = 0\n[sanction8]\nmin_days = 0\n"
				"[sanction9]\nmin_days = 0\n[year]\nconsecutive_code = berat\n");

	(void)state;
	assert_int_equal(l.r, 0);
	assert_int_equal(l.p->n_rungs, 2);
	assert_int_equal(l.p->consecutive_rung, 1);
	assert_string_equal(profile_rung_for(l.p, 99)->code, "berat");
	profile_free(l.p);
}

static void test_profile_parse_consecutive_code_unknown(void **state)
{
	struct loaded l = parse("[profile]\nname = t\n[year]\nconsecutive_code = pecat\n");
	struct loaded off = parse("[profile]\nname = t\n[year]\nconsecutive_tk = 0\n"
				  "consecutive_code = pecat\n");

	(void)state;
	assert_int_equal(l.r, -EINVAL);
	assert_diag_has(&l, "unit.conf:4: [year] consecutive_code: 'pecat' is not the code of a "
			    "used rung");
	assert_int_equal(off.r, 0); /* no run rule: the code is never used */
	profile_free(off.p);
}

static void test_profile_parse_unknown_key(void **state)
{
	struct loaded l = parse("[profile]\nname = t\n[late]\ntier5_bp = 300\n");

	(void)state;
	assert_int_equal(l.r, -EINVAL);
	assert_diag_has(&l, "unit.conf:4: [late] tier5_bp: unknown key");
}

static void test_profile_parse_too_big(void **state)
{
	static char big[PROFILE_FILE_MAX + 2];
	struct cfg_diag diag = {.len = 0};
	struct profile *p = NULL;

	(void)state;
	memset(big, '#', sizeof(big) - 1);
	assert_int_equal(profile_parse(big, sizeof(big) - 1, "big.conf", &p, &diag), -E2BIG);
	assert_null(p);
	assert_non_null(strstr(diag.text, "big.conf: larger than"));
}

static void test_profile_load_missing_file(void **state)
{
	struct cfg_diag diag = {.len = 0};
	struct profile *p = NULL;

	(void)state;
	assert_int_equal(profile_load("/nonexistent/x.conf", &p, &diag), -ENOENT);
	assert_non_null(strstr(diag.text, "/nonexistent/x.conf: cannot open"));
}

static void test_profile_load_named(void **state)
{
	struct cfg_diag diag = {.len = 0};
	struct profile *p = NULL;

	(void)state;
	assert_int_equal(profile_load_named("profiles", "permentan", &p, &diag), 0);
	assert_string_equal(p->name, "permentan");
	profile_free(p);
	p = NULL;
	assert_int_equal(profile_load_named("profiles", "../profiles/default", &p, &diag), -EINVAL);
	assert_int_equal(profile_load_named("profiles", "", &p, &diag), -EINVAL);
	assert_int_equal(profile_load_named("profiles", "nope", &p, &diag), -ENOENT);
	assert_null(p);
	assert_non_null(strstr(diag.text, "only letters, digits"));
	assert_non_null(strstr(diag.text, "profiles/nope.conf: cannot open"));
}

static void test_profile_print_reloads_identically(void **state)
{
	struct profile *a = load_file("profiles/permentan.conf");
	static char out[16384];
	struct loaded b;
	FILE *f;

	(void)state;
	f = fmemopen(out, sizeof(out), "w");
	assert_non_null(f);
	profile_print(f, a);
	fclose(f);
	b = parse(out);
	assert_int_equal(b.r, 0);
	assert_memory_equal(a, b.p, sizeof(*a));
	profile_free(a);
	profile_free(b.p);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_profile_load_default_file),
	    cmocka_unit_test(test_profile_load_permentan_file),
	    cmocka_unit_test(test_profile_defaults_equal_default_file),
	    cmocka_unit_test(test_profile_tier_of_boundaries),
	    cmocka_unit_test(test_profile_rung_for_example4),
	    cmocka_unit_test(test_profile_parse_name_required),
	    cmocka_unit_test(test_profile_parse_range_names_line),
	    cmocka_unit_test(test_profile_parse_tiers_must_ascend),
	    cmocka_unit_test(test_profile_parse_tier_default_named_without_line),
	    cmocka_unit_test(test_profile_parse_window),
	    cmocka_unit_test(test_profile_parse_ladder_overlap),
	    cmocka_unit_test(test_profile_parse_ladder_gap_in_slots),
	    cmocka_unit_test(test_profile_parse_ladder_open_end_only_last),
	    cmocka_unit_test(test_profile_parse_ladder_duplicate_code_and_missing_text),
	    cmocka_unit_test(test_profile_parse_ladder_shorter),
	    cmocka_unit_test(test_profile_parse_consecutive_code_unknown),
	    cmocka_unit_test(test_profile_parse_unknown_key),
	    cmocka_unit_test(test_profile_parse_too_big),
	    cmocka_unit_test(test_profile_load_missing_file),
	    cmocka_unit_test(test_profile_load_named),
	    cmocka_unit_test(test_profile_print_reloads_identically),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
