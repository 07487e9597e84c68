// SPDX-License-Identifier: MIT
/*
 * Activity payloads: every rule at its boundaries, the exact bytes of the
 * payload (a contract with the collector), hostile JSON, and the supersede
 * rule.
 */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "common/activity.h"
#include "common/record.h"

static struct activity entry(void)
{
	struct activity a;

	memset(&a, 0, sizeof(a));
	strcpy(a.date, "2026-03-02");
	strcpy(a.plan, "RHK-1");
	strcpy(a.description, "Menyusun laporan");
	a.quantity = 3;
	strcpy(a.unit, "dokumen");
	strcpy(a.start, "08:00");
	strcpy(a.end, "10:30");
	return a;
}

static enum activity_error validate(struct activity a)
{
	enum activity_error err = ACTIVITY_OK;
	int r = activity_validate(&a, &err);

	assert_int_equal(r, err == ACTIVITY_OK ? 0 : -EINVAL);
	return err;
}

static enum activity_error parse(const char *json)
{
	enum activity_error err = ACTIVITY_OK;
	struct activity a;
	int r = activity_parse(json, strlen(json), &a, &err);

	assert_int_equal(r, err == ACTIVITY_OK ? 0 : -EBADMSG);
	return err;
}

/* s filled with n copies of the UTF-8 sequence ch. */
static void repeat(char *s, const char *ch, size_t n)
{
	s[0] = '\0';
	for (size_t i = 0; i < n; i++)
		strcat(s, ch);
}

static void test_activity_encode_exact_bytes(void **state)
{
	struct activity a = entry();
	enum activity_error err;
	char buf[RECORD_PAYLOAD_MAX];
	const char *want =
	    "{\"v\":1,\"date\":\"2026-03-02\",\"plan\":\"RHK-1\","
	    "\"description\":\"Menyusun laporan\",\"quantity\":3,\"unit\":\"dokumen\","
	    "\"start\":\"08:00\",\"end\":\"10:30\",\"supersedes\":0,\"withdrawn\":false}";

	(void)state;
	assert_int_equal(activity_encode(&a, buf, sizeof(buf), &err), (int)strlen(want));
	assert_string_equal(buf, want);
	assert_int_equal(err, ACTIVITY_OK);
}

static void test_activity_roundtrip(void **state)
{
	struct activity a = entry(), b;
	enum activity_error err;
	char buf[RECORD_PAYLOAD_MAX];
	int len;

	(void)state;
	strcpy(a.description, "  Rapat \"koordinasi\" \\ ke-2 — Jalan Sudirman ✓  ");
	strcpy(a.unit, " jam ");
	a.supersedes = 41;
	a.withdrawn = true;
	len = activity_encode(&a, buf, sizeof(buf), &err);
	assert_true(len > 0);
	/* Trimmed in place, and the payload carries the trimmed text. */
	assert_string_equal(a.description, "Rapat \"koordinasi\" \\ ke-2 — Jalan Sudirman ✓");
	assert_string_equal(a.unit, "jam");
	assert_int_equal(activity_parse(buf, (size_t)len, &b, &err), 0);
	assert_string_equal(b.date, a.date);
	assert_string_equal(b.plan, a.plan);
	assert_string_equal(b.description, a.description);
	assert_int_equal(b.quantity, 3);
	assert_string_equal(b.unit, "jam");
	assert_string_equal(b.start, "08:00");
	assert_string_equal(b.end, "10:30");
	assert_int_equal(b.supersedes, 41);
	assert_true(b.withdrawn);
}

static void test_activity_validate_date(void **state)
{
	struct activity a = entry();

	(void)state;
	strcpy(a.date, "2028-02-29");
	assert_int_equal(validate(a), ACTIVITY_OK);
	strcpy(a.date, "2026-02-29");
	assert_int_equal(validate(a), ACTIVITY_ERR_DATE);
	strcpy(a.date, "2026-3-02");
	assert_int_equal(validate(a), ACTIVITY_ERR_DATE);
	strcpy(a.date, "");
	assert_int_equal(validate(a), ACTIVITY_ERR_DATE);
	strcpy(a.date, "2026-13-01");
	assert_int_equal(validate(a), ACTIVITY_ERR_DATE);
}

static void test_activity_validate_description(void **state)
{
	struct activity a = entry();

	(void)state;
	repeat(a.description, "a", 500);
	assert_int_equal(validate(a), ACTIVITY_OK);
	repeat(a.description, "a", 501);
	assert_int_equal(validate(a), ACTIVITY_ERR_DESCRIPTION_LONG);
	/* Characters, not bytes: 500 four-byte characters are fine. */
	repeat(a.description, "😀", 500);
	assert_int_equal(validate(a), ACTIVITY_OK);
	repeat(a.description, "é", 501);
	assert_int_equal(validate(a), ACTIVITY_ERR_DESCRIPTION_LONG);
	/* Padding does not count. */
	repeat(a.description, "a", 500);
	memmove(a.description + 3, a.description, 501);
	memcpy(a.description, " \t\n", 3);
	strcat(a.description, "   ");
	assert_int_equal(validate(a), ACTIVITY_OK);
	/* Empty only with a plan, whose title stands for it. */
	strcpy(a.description, "   ");
	assert_int_equal(validate(a), ACTIVITY_OK);
	strcpy(a.plan, "");
	assert_int_equal(validate(a), ACTIVITY_ERR_DESCRIPTION_EMPTY);
	strcpy(a.description, "");
	assert_int_equal(validate(a), ACTIVITY_ERR_DESCRIPTION_EMPTY);
}

static void test_activity_validate_description_chars(void **state)
{
	static const char *const bad[] = {
	    "line\nbreak",
	    "tab\there",
	    "bell\a",
	    "del\x7f",
	    "c1 \xc2\x85",
	    "lone \x80",
	    "cut \xe2\x82",
	    "overlong \xc0\xaf",
	    "overlong \xe0\x80\xaf",
	    "surrogate \xed\xa0\x80",
	    "beyond \xf4\x90\x80\x80",
	    "bad lead \xf8\x88\x80\x80\x80",
	};
	struct activity a = entry();

	(void)state;
	for (size_t i = 0; i < ARRAY_SIZE(bad); i++) {
		strcpy(a.description, bad[i]);
		assert_int_equal(validate(a), ACTIVITY_ERR_DESCRIPTION_CHARS);
	}
	strcpy(a.description, "Ñandú 日本 \xf4\x8f\xbf\xbf");
	assert_int_equal(validate(a), ACTIVITY_OK);
}

static void test_activity_validate_plan(void **state)
{
	struct activity a = entry();

	(void)state;
	repeat(a.plan, "x", 32);
	assert_int_equal(validate(a), ACTIVITY_OK);
	repeat(a.plan, "x", 33);
	assert_int_equal(validate(a), ACTIVITY_ERR_PLAN);
	strcpy(a.plan, " RHK-1");
	assert_int_equal(validate(a), ACTIVITY_ERR_PLAN);
	strcpy(a.plan, "RHK-1 ");
	assert_int_equal(validate(a), ACTIVITY_ERR_PLAN);
	strcpy(a.plan, "RHK\n1");
	assert_int_equal(validate(a), ACTIVITY_ERR_PLAN);
	strcpy(a.plan, "RHK 1.2/a");
	assert_int_equal(validate(a), ACTIVITY_OK);
}

static void test_activity_validate_quantity_unit(void **state)
{
	struct activity a = entry();

	(void)state;
	a.quantity = 1;
	assert_int_equal(validate(a), ACTIVITY_OK);
	a.quantity = 9999;
	assert_int_equal(validate(a), ACTIVITY_OK);
	a.quantity = 0;
	assert_int_equal(validate(a), ACTIVITY_ERR_QUANTITY);
	a.quantity = 10000;
	assert_int_equal(validate(a), ACTIVITY_ERR_QUANTITY);
	a.quantity = -3;
	assert_int_equal(validate(a), ACTIVITY_ERR_QUANTITY);
	a.quantity = 1;
	repeat(a.unit, "ü", 32);
	assert_int_equal(validate(a), ACTIVITY_OK);
	repeat(a.unit, "u", 33);
	assert_int_equal(validate(a), ACTIVITY_ERR_UNIT);
	strcpy(a.unit, "  ");
	assert_int_equal(validate(a), ACTIVITY_ERR_UNIT);
	strcpy(a.unit, "jam\x01");
	assert_int_equal(validate(a), ACTIVITY_ERR_UNIT);
}

static void test_activity_validate_times(void **state)
{
	static const char *const bad[] = {"8:00", "08:60", "24:00", "", "7:3", "08-00", "ab:cd"};
	struct activity a = entry();

	(void)state;
	strcpy(a.start, "00:00");
	strcpy(a.end, "23:59");
	assert_int_equal(validate(a), ACTIVITY_OK);
	strcpy(a.start, "10:29");
	strcpy(a.end, "10:30");
	assert_int_equal(validate(a), ACTIVITY_OK);
	strcpy(a.start, "10:30");
	assert_int_equal(validate(a), ACTIVITY_ERR_ORDER);
	strcpy(a.start, "11:00");
	assert_int_equal(validate(a), ACTIVITY_ERR_ORDER);
	for (size_t i = 0; i < ARRAY_SIZE(bad); i++) {
		a = entry();
		strcpy(a.start, bad[i]);
		assert_int_equal(validate(a), ACTIVITY_ERR_TIME);
		a = entry();
		strcpy(a.end, bad[i]);
		assert_int_equal(validate(a), ACTIVITY_ERR_TIME);
	}
}

static void test_activity_validate_supersedes_withdrawn(void **state)
{
	struct activity a = entry();

	(void)state;
	a.withdrawn = true;
	assert_int_equal(validate(a), ACTIVITY_ERR_WITHDRAWN);
	a.supersedes = 7;
	assert_int_equal(validate(a), ACTIVITY_OK);
	a.withdrawn = false;
	assert_int_equal(validate(a), ACTIVITY_OK);
	a.supersedes = UINT64_C(1) << 63;
	assert_int_equal(validate(a), ACTIVITY_ERR_SUPERSEDES);
}

static void test_activity_encode_too_big(void **state)
{
	struct activity a = entry();
	enum activity_error err;
	char buf[RECORD_PAYLOAD_MAX], small[64];

	(void)state;
	/* 500 valid characters can still overflow a record: refused whole. */
	repeat(a.description, "😀", 500);
	assert_int_equal(activity_encode(&a, buf, sizeof(buf), &err), -E2BIG);
	assert_int_equal(err, ACTIVITY_ERR_TOO_BIG);
	a = entry();
	assert_int_equal(activity_encode(&a, small, sizeof(small), &err), -E2BIG);
	assert_int_equal(err, ACTIVITY_ERR_TOO_BIG);
	a = entry();
	a.quantity = 0;
	assert_int_equal(activity_encode(&a, buf, sizeof(buf), &err), -EINVAL);
	assert_int_equal(err, ACTIVITY_ERR_QUANTITY);
	/* The largest description that fits: 500 three-byte characters. */
	repeat(a.description, "€", 500);
	a.quantity = 9999;
	assert_true(activity_encode(&a, buf, sizeof(buf), &err) > 1500);
}

#define OK_JSON(desc, extra)                                                                       \
	"{\"v\":1,\"date\":\"2026-03-02\",\"plan\":\"\",\"description\":" desc                     \
	",\"quantity\":3,\"unit\":\"jam\",\"start\":\"08:00\",\"end\":\"09:00\"," extra "}"

static void test_activity_parse_refusals(void **state)
{
	(void)state;
	assert_int_equal(parse(OK_JSON("\"x\"", "\"supersedes\":0,\"withdrawn\":false")),
			 ACTIVITY_OK);
	assert_int_equal(parse(""), ACTIVITY_ERR_MALFORMED);
	assert_int_equal(parse("[]"), ACTIVITY_ERR_MALFORMED);
	assert_int_equal(parse("{\"v\":1}"), ACTIVITY_ERR_MALFORMED);
	/* Missing, extra and duplicate keys. */
	assert_int_equal(parse(OK_JSON("\"x\"", "\"supersedes\":0")), ACTIVITY_ERR_MALFORMED);
	assert_int_equal(parse(OK_JSON("\"x\"", "\"supersedes\":0,\"withdrawn\":false,\"y\":1")),
			 ACTIVITY_ERR_MALFORMED);
	assert_int_equal(parse(OK_JSON("\"x\"", "\"supersedes\":0,\"supersedes\":0")),
			 ACTIVITY_ERR_MALFORMED);
	/* Wrong types. */
	assert_int_equal(parse(OK_JSON("3", "\"supersedes\":0,\"withdrawn\":false")),
			 ACTIVITY_ERR_MALFORMED);
	assert_int_equal(parse(OK_JSON("\"x\"", "\"supersedes\":\"0\",\"withdrawn\":false")),
			 ACTIVITY_ERR_MALFORMED);
	assert_int_equal(parse(OK_JSON("\"x\"", "\"supersedes\":0,\"withdrawn\":0")),
			 ACTIVITY_ERR_MALFORMED);
	assert_int_equal(parse(OK_JSON("\"x\"", "\"supersedes\":1.5,\"withdrawn\":false")),
			 ACTIVITY_ERR_MALFORMED);
	/* Values. */
	assert_int_equal(parse(OK_JSON("\"\\u0000x\"", "\"supersedes\":0,\"withdrawn\":false")),
			 ACTIVITY_ERR_MALFORMED);
	assert_int_equal(parse(OK_JSON("\"a\\nb\"", "\"supersedes\":0,\"withdrawn\":false")),
			 ACTIVITY_ERR_DESCRIPTION_CHARS);
	assert_int_equal(parse(OK_JSON("\"\\u0085\"", "\"supersedes\":0,\"withdrawn\":false")),
			 ACTIVITY_ERR_DESCRIPTION_CHARS);
	assert_int_equal(parse(OK_JSON("\"\\ud800\"", "\"supersedes\":0,\"withdrawn\":false")),
			 ACTIVITY_ERR_MALFORMED);
	assert_int_equal(parse(OK_JSON("\" \"", "\"supersedes\":0,\"withdrawn\":false")),
			 ACTIVITY_ERR_DESCRIPTION_EMPTY);
	assert_int_equal(parse(OK_JSON("\"x\"", "\"supersedes\":-1,\"withdrawn\":false")),
			 ACTIVITY_ERR_SUPERSEDES);
	assert_int_equal(parse(OK_JSON("\"x\"", "\"supersedes\":0,\"withdrawn\":true")),
			 ACTIVITY_ERR_WITHDRAWN);
	assert_int_equal(
	    parse("{\"v\":2,\"date\":\"2026-03-02\",\"plan\":\"\",\"description\":\"x\","
		  "\"quantity\":3,\"unit\":\"jam\",\"start\":\"08:00\",\"end\":"
		  "\"09:00\",\"supersedes\":0,\"withdrawn\":false}"),
	    ACTIVITY_ERR_VERSION);
	assert_int_equal(
	    parse("{\"v\":1,\"date\":\"2026-03-02\",\"plan\":\"\",\"description\":\"x\","
		  "\"quantity\":99999999999999999,\"unit\":\"jam\",\"start\":\"08:00\","
		  "\"end\":\"09:00\",\"supersedes\":0,\"withdrawn\":false}"),
	    ACTIVITY_ERR_QUANTITY);
	assert_int_equal(parse("{\"v\":1,\"date\":\"2026-03-02T00\",\"plan\":\"\",\"description\":"
			       "\"x\",\"quantity\":3,\"unit\":\"jam\",\"start\":\"08:00\",\"end\":"
			       "\"09:00\",\"supersedes\":0,\"withdrawn\":false}"),
			 ACTIVITY_ERR_DATE);
	assert_int_equal(
	    parse("{\"v\":1,\"date\":\"2026-03-02\",\"plan\":\"\",\"description\":\"x\","
		  "\"quantity\":3,\"unit\":\"jam\",\"start\":\"09:00\",\"end\":"
		  "\"08:00\",\"supersedes\":0,\"withdrawn\":false}"),
	    ACTIVITY_ERR_ORDER);
	assert_int_equal(
	    parse("{\"v\":1,\"date\":\"2026-03-02\",\"plan\":\"\",\"description\":\"x\","
		  "\"quantity\":3,\"unit\":\"jam\",\"start\":\"08:00:00\",\"end\":"
		  "\"09:00\",\"supersedes\":0,\"withdrawn\":false}"),
	    ACTIVITY_ERR_TIME);
}

static void test_activity_parse_size_bound(void **state)
{
	enum activity_error err;
	struct activity a;
	char *big = malloc(RECORD_PAYLOAD_MAX + 1);

	(void)state;
	assert_non_null(big);
	memset(big, ' ', RECORD_PAYLOAD_MAX);
	big[RECORD_PAYLOAD_MAX] = '\0';
	assert_int_equal(activity_parse(big, RECORD_PAYLOAD_MAX, &a, &err), -EBADMSG);
	assert_int_equal(err, ACTIVITY_ERR_TOO_BIG);
	/* Not NUL-terminated: only len bytes are read. */
	assert_int_equal(activity_parse("{}garbage", 2, &a, &err), -EBADMSG);
	assert_int_equal(err, ACTIVITY_ERR_MALFORMED);
	free(big);
}

static void test_activity_parse_input(void **state)
{
	enum activity_error err;
	struct activity a;
	const char *in;

	(void)state;
	in = "{\"plan\":\"RHK-1\",\"quantity\":2,\"start\":\"08:00\",\"end\":\"09:00\"}";
	assert_int_equal(activity_parse_input(in, strlen(in), &a, &err), 0);
	assert_string_equal(a.plan, "RHK-1");
	assert_string_equal(a.description, "");
	assert_string_equal(a.unit, "");
	assert_string_equal(a.date, "");
	assert_int_equal(a.quantity, 2);
	assert_int_equal(a.supersedes, 0);
	/* Rules come later: the caller sets the date, then validates. */
	strcpy(a.date, "2026-03-02");
	assert_int_equal(validate(a), ACTIVITY_ERR_UNIT);
	in = "{\"supersedes\":9,\"withdrawn\":true}";
	assert_int_equal(activity_parse_input(in, strlen(in), &a, &err), 0);
	assert_true(a.withdrawn);
	assert_int_equal(a.supersedes, 9);
	assert_int_equal(a.quantity, 0);
	/* No "v" or "date" from a client, nothing unknown, right types, sizes bounded. */
	static const struct {
		const char *in;
		enum activity_error err;
	} bad[] = {
	    {"{\"date\":\"2026-03-02\"}", ACTIVITY_ERR_MALFORMED},
	    {"{\"v\":1}", ACTIVITY_ERR_MALFORMED},
	    {"{\"colour\":\"red\"}", ACTIVITY_ERR_MALFORMED},
	    {"{\"quantity\":\"3\"}", ACTIVITY_ERR_MALFORMED},
	    {"{\"quantity\":10000}", ACTIVITY_ERR_QUANTITY},
	    {"{\"withdrawn\":1}", ACTIVITY_ERR_MALFORMED},
	    {"{\"supersedes\":-2}", ACTIVITY_ERR_SUPERSEDES},
	    {"{\"start\":\"08:00:00\"}", ACTIVITY_ERR_TIME},
	    {"{\"plan\":null}", ACTIVITY_ERR_MALFORMED},
	    {"[]", ACTIVITY_ERR_MALFORMED},
	    {"", ACTIVITY_ERR_MALFORMED},
	};
	for (size_t i = 0; i < ARRAY_SIZE(bad); i++) {
		assert_int_equal(activity_parse_input(bad[i].in, strlen(bad[i].in), &a, &err),
				 -EBADMSG);
		assert_int_equal(err, bad[i].err);
	}
}

static void test_activity_may_supersede(void **state)
{
	struct activity old = entry(), next = entry();
	const char *nip = "198501012010011001";

	(void)state;
	next.supersedes = 5;
	assert_int_equal(activity_may_supersede(&next, nip, 9, &old, nip, 5), ACTIVITY_OK);
	/* Only an earlier record, the one named, of the same person and day. */
	assert_int_equal(activity_may_supersede(&next, nip, 5, &old, nip, 5),
			 ACTIVITY_ERR_SUPERSEDES);
	assert_int_equal(activity_may_supersede(&next, nip, 4, &old, nip, 5),
			 ACTIVITY_ERR_SUPERSEDES);
	assert_int_equal(activity_may_supersede(&next, nip, 9, &old, nip, 6),
			 ACTIVITY_ERR_SUPERSEDES);
	assert_int_equal(activity_may_supersede(&next, nip, 9, &old, "198501012010011002", 5),
			 ACTIVITY_ERR_SUPERSEDES);
	strcpy(old.date, "2026-03-01");
	assert_int_equal(activity_may_supersede(&next, nip, 9, &old, nip, 5),
			 ACTIVITY_ERR_SUPERSEDES);
	/* A withdrawal is final. */
	old = entry();
	old.supersedes = 2;
	old.withdrawn = true;
	assert_int_equal(activity_may_supersede(&next, nip, 9, &old, nip, 5),
			 ACTIVITY_ERR_SUPERSEDES);
	next.supersedes = 0;
	old.withdrawn = false;
	assert_int_equal(activity_may_supersede(&next, nip, 9, &old, nip, 0),
			 ACTIVITY_ERR_SUPERSEDES);
}

static void test_activity_error_names(void **state)
{
	(void)state;
	assert_string_equal(activity_error_key(ACTIVITY_ERR_ORDER), "start_after_end");
	assert_string_equal(activity_error_key(ACTIVITY_ERR_DESCRIPTION_EMPTY),
			    "description_empty");
	assert_string_equal(activity_strerror(ACTIVITY_ERR_QUANTITY), "quantity must be 1 to 9999");
	assert_string_equal(activity_error_key((enum activity_error)99), "unknown");
	for (int e = ACTIVITY_OK; e <= ACTIVITY_ERR_WITHDRAWN; e++) {
		assert_non_null(activity_error_key((enum activity_error)e));
		assert_non_null(activity_strerror((enum activity_error)e));
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_activity_encode_exact_bytes),
	    cmocka_unit_test(test_activity_roundtrip),
	    cmocka_unit_test(test_activity_validate_date),
	    cmocka_unit_test(test_activity_validate_description),
	    cmocka_unit_test(test_activity_validate_description_chars),
	    cmocka_unit_test(test_activity_validate_plan),
	    cmocka_unit_test(test_activity_validate_quantity_unit),
	    cmocka_unit_test(test_activity_validate_times),
	    cmocka_unit_test(test_activity_validate_supersedes_withdrawn),
	    cmocka_unit_test(test_activity_encode_too_big),
	    cmocka_unit_test(test_activity_parse_refusals),
	    cmocka_unit_test(test_activity_parse_size_bound),
	    cmocka_unit_test(test_activity_parse_input),
	    cmocka_unit_test(test_activity_may_supersede),
	    cmocka_unit_test(test_activity_error_names),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
