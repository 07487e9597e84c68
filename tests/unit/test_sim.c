// SPDX-License-Identifier: MIT
/* The sim socket's command parser: what it takes and what it refuses. */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "firmware/sim.h"

static void assert_parses(const char *line, enum sim_kind kind, const char *arg)
{
	struct sim_cmd cmd;
	const char *why = NULL;

	assert_int_equal(sim_parse(line, &cmd, &why), 0);
	assert_int_equal(cmd.kind, kind);
	assert_string_equal(cmd.arg, arg);
}

static void assert_refused(const char *line)
{
	struct sim_cmd cmd;
	const char *why = NULL;

	assert_int_equal(sim_parse(line, &cmd, &why), -EINVAL);
	assert_non_null(why);
}

static void test_sim_parse_commands(void **state)
{
	(void)state;
	assert_parses("wiegand 10111101100010001110101110", SIM_WIEGAND,
		      "10111101100010001110101110");
	assert_parses("card 0008000987", SIM_CARD, "0008000987");
	assert_parses("finger 7", SIM_FINGER, "7");
	assert_parses("finger 65535", SIM_FINGER, "65535");
}

static void test_sim_parse_refusals(void **state)
{
	char long_bits[200];

	(void)state;
	assert_refused("");
	assert_refused("wiegand");
	assert_refused("wiegand ");
	assert_refused("wiegand 0102");
	assert_refused("wiegandx 0101");
	assert_refused("card");
	assert_refused("card 12a");
	assert_refused("card -5");
	assert_refused("card 123456789012345678901");
	assert_refused("finger 65536");
	assert_refused("finger seven");
	assert_refused("open sesame");
	memset(long_bits, '1', sizeof(long_bits) - 1);
	memcpy(long_bits, "wiegand ", 8);
	long_bits[sizeof(long_bits) - 1] = '\0';
	assert_refused(long_bits);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_sim_parse_commands),
		cmocka_unit_test(test_sim_parse_refusals),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
