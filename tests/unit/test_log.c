// SPDX-License-Identifier: MIT
/* log_limit: the budget for messages outside events can repeat without bound. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "common/log.h"

#define SEC 1000000000LL

static void burst_then_quiet_until_next_window(void **state)
{
	struct log_limit limit = {.burst = 3, .window_ns = 60 * SEC};
	unsigned allowed = 0;

	(void)state;
	for (int i = 0; i < 100; i++)
		allowed += log_limit_allow(&limit, 5 * SEC + i, "noise");
	assert_int_equal(allowed, 3);
	assert_int_equal(limit.dropped, 97);
	assert_false(log_limit_allow(&limit, 64 * SEC, "noise"));
	/* A new window: allowed again, and the drop count starts over. */
	assert_true(log_limit_allow(&limit, 65 * SEC, "noise"));
	assert_int_equal(limit.dropped, 0);
	assert_int_equal(limit.used, 1);
}

static void first_message_always_allowed(void **state)
{
	struct log_limit limit = {.burst = 1, .window_ns = SEC};

	(void)state;
	/* A monotonic clock may start near zero: the first call opens the window. */
	assert_true(log_limit_allow(&limit, 0, "noise"));
	assert_false(log_limit_allow(&limit, SEC - 1, "noise"));
	assert_true(log_limit_allow(&limit, SEC, "noise"));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(burst_then_quiet_until_next_window),
	    cmocka_unit_test(first_message_always_allowed),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
