// SPDX-License-Identifier: MIT
/* Failed logins per address: counting, refusing, the window, a full table. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include <cmocka.h>

#include "server/throttle.h"

#define MIN INT64_C(60000000)
#define T0  INT64_C(1764547200000000)

static void test_throttle_refuses_after_max_failures(void **state)
{
	struct throttle *t = NULL;
	int64_t retry = -1;

	(void)state;
	assert_int_equal(throttle_new(3, 15 * MIN, &t), 0);
	for (int i = 0; i < 3; i++) {
		assert_true(throttle_allows(t, "10.0.0.1", T0 + i, &retry));
		throttle_failed(t, "10.0.0.1", T0 + i);
	}
	assert_false(throttle_allows(t, "10.0.0.1", T0 + MIN, &retry));
	assert_int_equal(retry, 14 * MIN); /* counted from the first failure */
	assert_true(throttle_allows(t, "10.0.0.2", T0 + MIN, &retry)); /* others unaffected */
	/* The window after the first failure passes: a fresh count. */
	assert_true(throttle_allows(t, "10.0.0.1", T0 + 15 * MIN, &retry));
	throttle_failed(t, "10.0.0.1", T0 + 15 * MIN);
	assert_true(throttle_allows(t, "10.0.0.1", T0 + 15 * MIN + 1, &retry));
	throttle_free(t);
}

static void test_throttle_zero_never_refuses(void **state)
{
	struct throttle *t = NULL;
	int64_t retry = -1;

	(void)state;
	assert_int_equal(throttle_new(0, MIN, &t), 0);
	for (int i = 0; i < 100; i++)
		throttle_failed(t, "10.0.0.1", T0 + i);
	assert_true(throttle_allows(t, "10.0.0.1", T0 + 100, &retry));
	throttle_free(t);
}

/* A full table forgets the address whose count began longest ago, never a newer one. */
static void test_throttle_full_table_forgets_oldest(void **state)
{
	struct throttle *t = NULL;
	char addr[32];
	int64_t retry = -1;

	(void)state;
	assert_int_equal(throttle_new(2, 60 * MIN, &t), 0);
	for (int i = 0; i < THROTTLE_SLOTS; i++) {
		snprintf(addr, sizeof(addr), "10.1.%d.%d", i / 256, i % 256);
		throttle_failed(t, addr, T0 + i);
		throttle_failed(t, addr, T0 + i);
	}
	assert_false(throttle_allows(t, "10.1.0.0", T0 + THROTTLE_SLOTS, &retry));
	throttle_failed(t, "192.168.0.9", T0 + THROTTLE_SLOTS); /* takes 10.1.0.0's slot */
	assert_true(throttle_allows(t, "10.1.0.0", T0 + THROTTLE_SLOTS, &retry));
	assert_false(throttle_allows(t, "10.1.0.1", T0 + THROTTLE_SLOTS, &retry));
	snprintf(addr, sizeof(addr), "10.1.%d.%d", (THROTTLE_SLOTS - 1) / 256,
		 (THROTTLE_SLOTS - 1) % 256);
	assert_false(throttle_allows(t, addr, T0 + THROTTLE_SLOTS, &retry));
	throttle_free(t);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_throttle_refuses_after_max_failures),
	    cmocka_unit_test(test_throttle_zero_never_refuses),
	    cmocka_unit_test(test_throttle_full_table_forgets_oldest),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
