// SPDX-License-Identifier: MIT
/* ISO 8601 instants and the clocks. */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "common/clk.h"

static int64_t parse(const char *iso)
{
	int64_t usec = 0;

	assert_int_equal(clk_parse_iso8601(iso, &usec), 0);
	return usec;
}

static void test_clk_parse_iso8601_offsets_agree(void **state)
{
	int64_t utc = parse("2025-03-03T00:41:00Z");

	(void)state;
	assert_int_equal(utc, INT64_C(1740962460) * CLK_USEC_PER_SEC);
	assert_int_equal(parse("2025-03-03T07:41:00+07:00"), utc);
	assert_int_equal(parse("2025-03-03T07:41:00+0700"), utc);
	assert_int_equal(parse("2025-03-03T09:41+09:00"), utc);
	assert_int_equal(parse("2025-03-02T23:41:00-01:00"), utc);
	assert_int_equal(parse("2025-03-03T00:41:00.25Z"), utc + 250000);
}

static void test_clk_parse_iso8601_rejects(void **state)
{
	static const char *const bad[] = {
	    "2025-03-03T07:41:00", /* no offset: ambiguous */
	    "2025-03-03",
	    "2025-02-30T07:41:00Z",
	    "2025-03-03T24:00:00Z",
	    "2025-03-03T07:41:00+15:00",
	    "2025-03-03T07:41:00Zjunk",
	    "2025-03-03T7:41:00Z",
	    "",
	};
	int64_t usec = 42;

	(void)state;
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		assert_int_equal(clk_parse_iso8601(bad[i], &usec), -EINVAL);
	assert_int_equal(usec, 42);
}

static void test_clk_format_roundtrip(void **state)
{
	char buf[CLK_ISO_MAX];
	int64_t t = parse("2025-03-03T00:41:00Z");

	(void)state;
	clk_format_utc(t, buf);
	assert_string_equal(buf, "2025-03-03T00:41:00Z");
	clk_format_offset(t, 9 * 3600, buf);
	assert_string_equal(buf, "2025-03-03T09:41:00+09:00");
	clk_format_utc(t + 5, buf);
	assert_string_equal(buf, "2025-03-03T00:41:00.000005Z");
	assert_int_equal(parse(buf), t + 5);
	clk_format_utc(-1, buf);
	assert_string_equal(buf, "1969-12-31T23:59:59.999999Z");
}

static void test_clk_boot_id_shape(void **state)
{
	char id[CLK_BOOT_ID_LEN + 1];

	(void)state;
	assert_int_equal(clk_boot_id(id), 0);
	assert_int_equal(strlen(id), CLK_BOOT_ID_LEN);
	assert_int_equal(id[8], '-');
}

static void test_clk_boot_is_monotonic(void **state)
{
	int64_t a = clk_boot_usec();
	int64_t b = clk_boot_usec();

	(void)state;
	assert_true(a > 0);
	assert_true(b >= a);
}

/* A listing's bounds: a date is a UTC day (the end bound its next day), else an instant. */
static void test_clk_parse_day_or_instant(void **state)
{
	int64_t usec = 0;

	(void)state;
	assert_int_equal(clk_parse_day_or_instant("2025-10-06", false, &usec), 0);
	assert_int_equal(usec, INT64_C(1759708800000000));
	assert_int_equal(clk_parse_day_or_instant("2025-10-06", true, &usec), 0);
	assert_int_equal(usec, INT64_C(1759708800000000) + INT64_C(86400000000));
	/* An office in WIT asks for its own day. */
	assert_int_equal(clk_parse_day_or_instant("2025-10-06T00:00:00+09:00", true, &usec), 0);
	assert_int_equal(usec, INT64_C(1759708800000000) - INT64_C(9) * 3600 * 1000000);
	assert_int_equal(clk_parse_day_or_instant("2025-13-06", false, &usec), -EINVAL);
	assert_int_equal(clk_parse_day_or_instant("2025-10-06T08:00", false, &usec), -EINVAL);
	assert_int_equal(clk_parse_day_or_instant("", false, &usec), -EINVAL);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_clk_parse_iso8601_offsets_agree),
	    cmocka_unit_test(test_clk_parse_iso8601_rejects),
	    cmocka_unit_test(test_clk_format_roundtrip),
	    cmocka_unit_test(test_clk_parse_day_or_instant),
	    cmocka_unit_test(test_clk_boot_id_shape),
	    cmocka_unit_test(test_clk_boot_is_monotonic),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
