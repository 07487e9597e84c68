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
	assert_parses("fpm garbage", SIM_FPM, "garbage");
	assert_parses("fpm badsum", SIM_FPM, "badsum");
	assert_parses("fpm hang", SIM_FPM, "hang");
	assert_parses("fpm nofinger", SIM_FPM, "nofinger");
	assert_parses("fpm recover", SIM_FPM, "recover");
	assert_parses("fingerprint enroll 199002022015022002", SIM_FINGERPRINT,
		      "enroll 199002022015022002");
	assert_parses("fingerprint delete 1", SIM_FINGERPRINT, "delete 1");
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
	assert_refused("fpm");
	assert_refused("fpm explode");
	assert_refused("fpm hang ");
	assert_refused("fingerprint");
	assert_refused("fingerprint enroll");
	assert_refused("fingerprint enroll ");
	assert_refused("fingerprint enroll 12x");
	assert_refused("fingerprint wipe 12");
	assert_refused("fingerprint delete 1234567890123456789012345");
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
