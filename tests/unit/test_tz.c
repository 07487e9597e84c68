// SPDX-License-Identifier: MIT
/* Civil dates and IANA zones: WIB, WITA and WIT, and the TZif reader's edges. */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "common/clk.h"
#include "common/tz.h"

static int32_t date(const char *text)
{
	int32_t d = 0;

	assert_int_equal(tz_parse_date(text, &d), 0);
	return d;
}

static int64_t instant(const char *iso)
{
	int64_t usec = 0;

	assert_int_equal(clk_parse_iso8601(iso, &usec), 0);
	return usec / CLK_USEC_PER_SEC;
}

static struct tz *zone(const char *name)
{
	struct tz *tz = NULL;

	assert_int_equal(tz_load(name, &tz), 0);
	assert_string_equal(tz_name(tz), name);
	return tz;
}

static void assert_local(const char *zone_name, const char *iso, const char *want_date,
			 int want_sec_of_day)
{
	struct tz *tz = zone(zone_name);
	char buf[TZ_DATE_MAX];
	int32_t days, sod;

	tz_local(tz, instant(iso), &days, &sod);
	tz_format_date(days, buf);
	assert_string_equal(buf, want_date);
	assert_int_equal(sod, want_sec_of_day);
	tz_free(tz);
}

static void test_tz_days_from_civil_roundtrip(void **state)
{
	(void)state;
	assert_int_equal(tz_days_from_civil(1970, 1, 1), 0);
	assert_int_equal(tz_days_from_civil(2000, 3, 1), 11017);
	for (int32_t d = -800000; d < 800000; d += 97) {
		int y, m, dd;

		tz_civil_from_days(d, &y, &m, &dd);
		assert_int_equal(tz_days_from_civil(y, m, dd), d);
	}
}

static void test_tz_weekday_known_dates(void **state)
{
	(void)state;
	assert_int_equal(tz_weekday(date("2025-10-06")), 1); /* Monday */
	assert_int_equal(tz_weekday(date("2025-10-17")), 5); /* Friday */
	assert_int_equal(tz_weekday(date("2025-10-19")), 7); /* Sunday */
	assert_int_equal(tz_weekday(date("1969-12-31")), 3); /* before the epoch */
}

static void test_tz_parse_date_rejects_impossible(void **state)
{
	int32_t d;

	(void)state;
	assert_int_equal(tz_parse_date("2024-02-29", &d), 0);
	assert_int_equal(tz_parse_date("2025-02-29", &d), -EINVAL);
	assert_int_equal(tz_parse_date("2025-13-01", &d), -EINVAL);
	assert_int_equal(tz_parse_date("2025-04-31", &d), -EINVAL);
	assert_int_equal(tz_parse_date("2025-4-1", &d), -EINVAL);
	assert_int_equal(tz_parse_date("25-04-01xx", &d), -EINVAL);
	assert_int_equal(tz_parse_date("", &d), -EINVAL);
}

static void test_tz_parse_clock_bounds(void **state)
{
	int32_t s;

	(void)state;
	assert_int_equal(tz_parse_clock("07:30", &s), 0);
	assert_int_equal(s, 27000);
	assert_int_equal(tz_parse_clock("07:30:59", &s), 0);
	assert_int_equal(s, 27059);
	assert_int_equal(tz_parse_clock("24:00", &s), -EINVAL);
	assert_int_equal(tz_parse_clock("7:30", &s), -EINVAL);
	assert_int_equal(tz_parse_clock("07:60", &s), -EINVAL);
}

static void test_tz_local_jakarta_is_utc_plus_7(void **state)
{
	(void)state;
	assert_local("Asia/Jakarta", "2025-03-03T00:41:00Z", "2025-03-03", 7 * 3600 + 41 * 60);
}

static void test_tz_local_makassar_is_utc_plus_8(void **state)
{
	(void)state;
	assert_local("Asia/Makassar", "2025-03-03T00:41:00Z", "2025-03-03", 8 * 3600 + 41 * 60);
}

static void test_tz_local_jayapura_is_utc_plus_9(void **state)
{
	(void)state;
	assert_local("Asia/Jayapura", "2025-03-03T00:41:00Z", "2025-03-03", 9 * 3600 + 41 * 60);
}

/* 16:30 UTC is still Monday in Dumai (23:30 WIB) but already Tuesday in Ambon (01:30 WIT). */
static void test_tz_local_same_instant_different_dates(void **state)
{
	(void)state;
	assert_local("Asia/Jakarta", "2025-03-03T16:30:00Z", "2025-03-03", 23 * 3600 + 30 * 60);
	assert_local("Asia/Makassar", "2025-03-03T16:30:00Z", "2025-03-04", 30 * 60);
	assert_local("Asia/Jayapura", "2025-03-03T16:30:00Z", "2025-03-04", 3600 + 30 * 60);
}

static void test_tz_instant_roundtrip_indonesia(void **state)
{
	static const char *const zones[] = {"Asia/Jakarta", "Asia/Makassar", "Asia/Jayapura"};
	static const int offsets[] = {7, 8, 9};

	(void)state;
	for (size_t i = 0; i < 3; i++) {
		struct tz *tz = zone(zones[i]);
		int64_t t = tz_instant(tz, date("2025-03-03"), 7 * 3600 + 30 * 60);

		assert_int_equal(t, instant("2025-03-03T07:30:00Z") - offsets[i] * 3600);
		tz_free(tz);
	}
}

/* Jakarta was UTC+7:30 until 1964: the zone must come from the database, not a constant. */
static void test_tz_local_jakarta_history(void **state)
{
	struct tz *tz = zone("Asia/Jakarta");

	(void)state;
	assert_int_equal(tz_offset_at(tz, instant("1960-06-01T00:00:00Z")), 7 * 3600 + 1800);
	assert_int_equal(tz_offset_at(tz, instant("2040-06-01T00:00:00Z")), 7 * 3600);
	tz_free(tz);
}

/* The POSIX footer rule governs instants after the last listed transition. */
static void test_tz_footer_rule_dst(void **state)
{
	struct tz *tz = zone("America/New_York");

	(void)state;
	assert_int_equal(tz_offset_at(tz, instant("2045-07-01T12:00:00Z")), -4 * 3600);
	assert_int_equal(tz_offset_at(tz, instant("2045-01-15T12:00:00Z")), -5 * 3600);
	/* 2045-03-12 is the second Sunday of March: DST from 07:00 UTC. */
	assert_int_equal(tz_offset_at(tz, instant("2045-03-12T06:59:59Z")), -5 * 3600);
	assert_int_equal(tz_offset_at(tz, instant("2045-03-12T07:00:00Z")), -4 * 3600);
	tz_free(tz);
	tz = zone("Australia/Sydney"); /* southern hemisphere: DST spans the new year */
	assert_int_equal(tz_offset_at(tz, instant("2045-01-15T00:00:00Z")), 11 * 3600);
	assert_int_equal(tz_offset_at(tz, instant("2045-07-15T00:00:00Z")), 10 * 3600);
	tz_free(tz);
}

static void test_tz_load_refuses_bad_names(void **state)
{
	struct tz *tz = NULL;

	(void)state;
	assert_int_equal(tz_load("Asia/Atlantis", &tz), -ENOENT);
	assert_int_equal(tz_load("../../etc/passwd", &tz), -EINVAL);
	assert_int_equal(tz_load("/etc/passwd", &tz), -EINVAL);
	assert_int_equal(tz_load("", &tz), -EINVAL);
	assert_int_equal(tz_load("Asia", &tz), -ENOENT); /* a folder */
	assert_null(tz);
}

static void test_tz_parse_refuses_garbage(void **state)
{
	static const uint8_t junk[] = "TZif2 this is not a zone file at all, honestly..........";
	struct tz *tz = NULL;

	(void)state;
	assert_int_equal(tz_parse((const uint8_t *)"", 0, "x", &tz), -EBADMSG);
	assert_int_equal(tz_parse(junk, sizeof(junk), "x", &tz), -EBADMSG);
	assert_null(tz);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_tz_days_from_civil_roundtrip),
	    cmocka_unit_test(test_tz_weekday_known_dates),
	    cmocka_unit_test(test_tz_parse_date_rejects_impossible),
	    cmocka_unit_test(test_tz_parse_clock_bounds),
	    cmocka_unit_test(test_tz_local_jakarta_is_utc_plus_7),
	    cmocka_unit_test(test_tz_local_makassar_is_utc_plus_8),
	    cmocka_unit_test(test_tz_local_jayapura_is_utc_plus_9),
	    cmocka_unit_test(test_tz_local_same_instant_different_dates),
	    cmocka_unit_test(test_tz_instant_roundtrip_indonesia),
	    cmocka_unit_test(test_tz_local_jakarta_history),
	    cmocka_unit_test(test_tz_footer_rule_dst),
	    cmocka_unit_test(test_tz_load_refuses_bad_names),
	    cmocka_unit_test(test_tz_parse_refuses_garbage),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
