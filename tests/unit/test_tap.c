// SPDX-License-Identifier: MIT
/* The tap path: identify, debounce, clock-trust marking, refusal when storage fails. */
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

#include "firmware/tap.h"

#define SEC INT64_C(1000000)

static int64_t fake_wall = 1740962460 * SEC;
static int64_t fake_boot = 100 * SEC;
static bool fake_trusted;

static int64_t wall(void)
{
	return fake_wall;
}

static int64_t boot(void)
{
	return fake_boot;
}

static bool trusted(void)
{
	return fake_trusted;
}

static const struct tap_clock fake_clock = {wall, boot, trusted};

struct fixture {
	char dir[64];
	struct store *st;
	struct tap tap;
};

static int setup(void **state)
{
	struct fixture *f = calloc(1, sizeof(*f));
	char path[128], why[ROWS_WHY_MAX];
	unsigned staff, creds;
	FILE *csv;

	snprintf(f->dir, sizeof(f->dir), "/tmp/hadir-tap.XXXXXX");
	if (!mkdtemp(f->dir))
		return -1;
	snprintf(path, sizeof(path), "%s/k.db", f->dir);
	if (store_open(path, STORE_CREATE, &f->st) < 0)
		return -1;
	snprintf(path, sizeof(path), "%s/r.csv", f->dir);
	csv = fopen(path, "w");
	fputs("nip,name,unit_id,card,fingerprint_id\n1001,Ani,U1,42,3\n1002,Budi,U1,43,\n", csv);
	fclose(csv);
	if (store_roster_import(f->st, path, &staff, &creds, why) < 0)
		return -1;
	fake_trusted = false;
	if (tap_init(&f->tap, f->st, &fake_clock, 60 * SEC) < 0)
		return -1;
	*state = f;
	return 0;
}

static int teardown(void **state)
{
	struct fixture *f = *state;
	char cmd[128];

	store_close(f->st);
	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", f->dir);
	if (system(cmd) != 0)
		return -1;
	free(f);
	return 0;
}

static struct record last_record(struct fixture *f)
{
	struct record rec;

	assert_int_equal(store_last_accepted(f->st, "1001", &rec), 1);
	return rec;
}

static void test_tap_known_card_accepted(void **state)
{
	struct fixture *f = *state;
	struct tap_result r;

	tap_credential(&f->tap, "42", "", &r);
	assert_int_equal(r.outcome, TAP_ACCEPTED);
	assert_int_equal(r.seq, 1);
	assert_string_equal(r.nip, "1001");
	assert_string_equal(r.name, "Ani");
	tap_credential(&f->tap, "finger:3", "in", &r);
	assert_int_equal(r.outcome, TAP_REPEAT); /* the same person, by another credential */
	assert_int_equal(r.seq, 1);
}

static void test_tap_unknown_recorded(void **state)
{
	struct fixture *f = *state;
	struct tap_result r;
	struct store_status s;

	tap_credential(&f->tap, "777", "", &r);
	assert_int_equal(r.outcome, TAP_UNKNOWN);
	assert_int_equal(r.seq, 1);
	assert_string_equal(r.nip, "");
	assert_int_equal(store_get_status(f->st, 0, INT64_MAX, &s), 0);
	assert_int_equal(s.taps_in_range, 1);
	assert_int_equal(s.accepted_in_range, 0);
}

static void test_tap_debounce_window(void **state)
{
	struct fixture *f = *state;
	struct tap_result r;

	tap_credential(&f->tap, "42", "", &r);
	fake_boot += 59 * SEC;
	tap_credential(&f->tap, "42", "", &r);
	assert_int_equal(r.outcome, TAP_REPEAT);
	tap_credential(&f->tap, "43", "", &r); /* someone else is not debounced */
	assert_int_equal(r.outcome, TAP_ACCEPTED);
	assert_int_equal(r.seq, 2);
	fake_boot += 1 * SEC; /* 60 s after the first tap: a new tap */
	tap_credential(&f->tap, "42", "", &r);
	assert_int_equal(r.outcome, TAP_ACCEPTED);
	assert_int_equal(r.seq, 3);
}

static void test_tap_debounce_ignores_wall_jumps(void **state)
{
	struct fixture *f = *state;
	struct tap_result r;

	tap_credential(&f->tap, "42", "", &r);
	fake_wall += 3600 * SEC; /* NTP steps the clock; monotonic time says 1 s passed */
	fake_boot += 1 * SEC;
	tap_credential(&f->tap, "42", "", &r);
	assert_int_equal(r.outcome, TAP_REPEAT);
}

static void test_tap_is_repeat_across_boots(void **state)
{
	struct record last;

	(void)state;
	memset(&last, 0, sizeof(last));
	strcpy(last.boot_id, "boot-a");
	last.boot_usec = 500 * SEC;
	last.wall_usec = 1000 * SEC;
	last.clock_trusted = true;
	/* Another boot: only trusted wall clocks can relate the two. */
	assert_true(tap_is_repeat(&last, "boot-b", 5 * SEC, 1030 * SEC, true, 60 * SEC));
	assert_false(tap_is_repeat(&last, "boot-b", 5 * SEC, 1030 * SEC, false, 60 * SEC));
	assert_false(tap_is_repeat(&last, "boot-b", 5 * SEC, 1090 * SEC, true, 60 * SEC));
	last.clock_trusted = false;
	assert_false(tap_is_repeat(&last, "boot-b", 5 * SEC, 1030 * SEC, true, 60 * SEC));
	/* Same boot: monotonic time, whatever the wall clock says. */
	assert_true(tap_is_repeat(&last, "boot-a", 530 * SEC, 0, false, 60 * SEC));
	assert_false(tap_is_repeat(&last, "boot-a", 530 * SEC, 0, false, 0));
}

static void test_tap_marks_clock_trust(void **state)
{
	struct fixture *f = *state;
	struct tap_result r;

	fake_trusted = false;
	tap_credential(&f->tap, "42", "", &r);
	assert_false(last_record(f).clock_trusted);
	fake_trusted = true;
	fake_boot += 61 * SEC;
	tap_credential(&f->tap, "42", "", &r);
	assert_int_equal(r.outcome, TAP_ACCEPTED); /* never refused for an untrusted clock */
	assert_true(last_record(f).clock_trusted);
	assert_string_equal(last_record(f).boot_id, f->tap.boot_id);
	assert_int_equal(last_record(f).boot_usec, fake_boot);
}

static void test_tap_rejected_read_recorded(void **state)
{
	struct fixture *f = *state;
	struct tap_result r;

	tap_rejected(&f->tap, "wiegand26:2f6a3b1", "bad-parity", &r);
	assert_int_equal(r.outcome, TAP_REJECTED);
	assert_int_equal(r.seq, 1);
	assert_string_equal(r.reason, "bad-parity");
	assert_string_equal(tap_outcome_name(r.outcome), "rejected");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test_setup_teardown(test_tap_known_card_accepted, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_tap_unknown_recorded, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_tap_debounce_window, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_tap_debounce_ignores_wall_jumps, setup, teardown),
	    cmocka_unit_test(test_tap_is_repeat_across_boots),
	    cmocka_unit_test_setup_teardown(test_tap_marks_clock_trust, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_tap_rejected_read_recorded, setup, teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
