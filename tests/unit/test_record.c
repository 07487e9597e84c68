// SPDX-License-Identifier: MIT
/*
 * Records: the canonical bytes are a contract between kiosk and collector, so
 * the links are pinned to values computed independently (Python hashlib over
 * the byte layout documented in record.h).
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

#include "common/record.h"

static const char boot[] = "0f1e2d3c-4b5a-6978-8796-a5b4c3d2e1f0";

static struct record first(void)
{
	struct record r;

	memset(&r, 0, sizeof(r));
	r.seq = 1;
	strcpy(r.kind, "tap");
	r.wall_usec = INT64_C(1740962460000000);
	r.boot_usec = 12345678;
	strcpy(r.boot_id, boot);
	r.clock_trusted = true;
	strcpy(r.credential, "card:8000987");
	strcpy(r.nip, "198501012010011001");
	strcpy(r.outcome, "accepted");
	return r;
}

static struct record second(void)
{
	struct record r;

	memset(&r, 0, sizeof(r));
	r.seq = 2;
	strcpy(r.kind, "tap");
	r.wall_usec = -5;
	r.boot_usec = 99;
	strcpy(r.boot_id, boot);
	strcpy(r.credential, "card:42");
	strcpy(r.outcome, "unknown");
	strcpy(r.reason, "not in roster");
	strcpy(r.direction, "in");
	strcpy(r.payload, "{\"a\":1}");
	return r;
}

static void assert_link(const struct record *r, const char *want)
{
	char hex[CRYPTO_SHA256_HEX];

	crypto_hex(r->link, hex);
	assert_string_equal(hex, want);
}

static void test_record_seal_pinned_chain(void **state)
{
	static const uint8_t zero[CRYPTO_SHA256_LEN];
	struct record a = first(), b = second();

	(void)state;
	record_seal(&a, zero);
	assert_link(&a, "57bb1a1da46f99d3164d2785beafca3449f2663a4d40f4490c0a1d10e347ab7d");
	record_seal(&b, a.link);
	assert_link(&b, "b553ee3c85d97c8173d16d0b67da9bdbb29ae563bf462df7ba6125b8ab5cf2d5");
	assert_true(record_link_ok(&a));
	assert_true(record_link_ok(&b));
}

static void test_record_link_detects_any_change(void **state)
{
	static const uint8_t zero[CRYPTO_SHA256_LEN];
	struct record r = first();

	(void)state;
	record_seal(&r, zero);
	r.nip[0] = '2';
	assert_false(record_link_ok(&r));
	r = first();
	record_seal(&r, zero);
	r.clock_trusted = false;
	assert_false(record_link_ok(&r));
	r = first();
	record_seal(&r, zero);
	r.prev[31] ^= 1;
	assert_false(record_link_ok(&r));
}

static void test_record_batch_roundtrip(void **state)
{
	static const uint8_t zero[CRYPTO_SHA256_LEN];
	struct record in[2] = {first(), second()};
	struct record_anchor anchor = {
	    .boot_usec = 99, .true_usec = 1740962460000000, .rtt_usec = 1500};
	struct record_batch out;
	char why[256] = "";
	char *text;

	(void)state;
	strcpy(anchor.boot_id, boot);
	record_seal(&in[0], zero);
	record_seal(&in[1], in[0].link);
	text = record_batch_encode(in, 2, &anchor, 1, NULL, NULL);
	assert_non_null(text);
	assert_int_equal(record_batch_decode(text, strlen(text), &out, why, sizeof(why)), 0);
	assert_int_equal(out.n, 2);
	assert_memory_equal(&in[0], &out.recs[0], sizeof(in[0]));
	assert_memory_equal(&in[1], &out.recs[1], sizeof(in[1]));
	assert_int_equal(out.n_anchors, 1);
	assert_memory_equal(&anchor, &out.anchors[0], sizeof(anchor));
	assert_false(out.has_health); /* none sent: none made up */
	assert_string_equal(out.health_why, "");
	record_batch_free(&out);
	free(text);
}

/*
 * A signed head rides with the batch as it was signed; its digest is the
 * documented bytes (an independent SHA-256 of them, by Python's hashlib).
 */
static void test_record_head_roundtrip_and_digest(void **state)
{
	struct record_head head = {.seq = 258, .sig_len = 3, .sig = {0x30, 0x01, 0xff}};
	uint8_t link[CRYPTO_SHA256_LEN], digest[CRYPTO_SHA256_LEN];
	char hex[CRYPTO_SHA256_HEX], why[256] = "";
	struct record_batch out;
	char *text;

	(void)state;
	text = record_batch_encode(NULL, 0, NULL, 0, &head, NULL);
	assert_non_null(text);
	assert_non_null(strstr(text, "\"head\":{\"seq\":258,\"signature\":\"MAH/\"}"));
	assert_int_equal(record_batch_decode(text, strlen(text), &out, why, sizeof(why)), 0);
	assert_true(out.has_head);
	assert_int_equal(out.head.seq, 258);
	assert_int_equal(out.head.sig_len, 3);
	assert_memory_equal(out.head.sig, head.sig, 3);
	record_batch_free(&out);
	free(text);

	/* hashlib.sha256(b"hadir-head-v1\0" + (258).to_bytes(8, "big") + bytes(range(32))) */
	for (int i = 0; i < CRYPTO_SHA256_LEN; i++)
		link[i] = (uint8_t)i;
	record_head_digest(258, link, digest);
	crypto_hex(digest, hex);
	assert_string_equal(hex,
			    "677e04abbeb2b5858e3ba53ecb75511fe23278643ef725127781eadc2153818a");
}

static struct record_health health(void)
{
	struct record_health h;

	memset(&h, 0, sizeof(h));
	h.outbox = 42;
	h.outbox_oldest_usec = INT64_C(1740962460000000);
	h.clock_offset_usec = -1234567;
	h.clock_trusted = false;
	strcpy(h.boot_id, boot);
	h.uptime_s = 86400;
	strcpy(h.version, "1.2-3-gabcdef");
	return h;
}

static void test_record_batch_health_roundtrip(void **state)
{
	struct record_health h = health();
	struct record_batch out;
	char why[256] = "";
	char *text;

	(void)state;
	/* A health-only push: no records, no anchors. */
	text = record_batch_encode(NULL, 0, NULL, 0, NULL, &h);
	assert_non_null(text);
	assert_non_null(strstr(text, "\"health\":{\"outbox\":42,"));
	assert_int_equal(record_batch_decode(text, strlen(text), &out, why, sizeof(why)), 0);
	assert_int_equal(out.n, 0);
	assert_true(out.has_health);
	assert_memory_equal(&h, &out.health, sizeof(h));
	record_batch_free(&out);
	free(text);
}

/* A batch whose health object is bad: the records decode, the health is dropped with a reason. */
static void assert_health_ignored(const char *health_json, const char *want_why)
{
	char body[1024];
	struct record_batch out;
	char why[256] = "";

	snprintf(body, sizeof(body),
		 "{\"version\":1,\"records\":[],\"anchors\":[{\"boot_id\":\"%s\","
		 "\"boot_usec\":5,\"true_usec\":6,\"rtt_usec\":7}],\"health\":%s}",
		 boot, health_json);
	assert_int_equal(record_batch_decode(body, strlen(body), &out, why, sizeof(why)), 0);
	assert_int_equal(out.n_anchors, 1);
	assert_false(out.has_health);
	if (!strstr(out.health_why, want_why))
		fail_msg("health_why '%s' lacks '%s'", out.health_why, want_why);
	record_batch_free(&out);
}

#define HEALTH(outbox, offset, trusted, version)                                                   \
	"{\"outbox\":" outbox ",\"outbox_oldest_usec\":0,\"clock_offset_usec\":" offset            \
	",\"clock_trusted\":" trusted ",\"boot_id\":\"0f1e2d3c-4b5a-6978-8796-a5b4c3d2e1f0\","     \
	"\"uptime_s\":5,\"version\":" version "}"

static void test_record_batch_health_ignored(void **state)
{
	struct record_batch out;
	const char *good =
	    "{\"version\":1,\"records\":[],\"health\":" HEALTH("3", "-9", "true", "\"v1\"") "}";
	char why[256] = "";

	(void)state;
	assert_int_equal(record_batch_decode(good, strlen(good), &out, why, sizeof(why)), 0);
	assert_true(out.has_health);
	assert_int_equal(out.health.outbox, 3);
	assert_int_equal(out.health.clock_offset_usec, -9);
	assert_true(out.health.clock_trusted);
	assert_string_equal(out.health.version, "v1");
	record_batch_free(&out);

	assert_health_ignored("[]", "not an object");
	assert_health_ignored("\"ok\"", "not an object");
	assert_health_ignored(HEALTH("-1", "0", "true", "\"v\""), "outbox: out of range");
	assert_health_ignored(HEALTH("1000000001", "0", "true", "\"v\""), "outbox: out of range");
	assert_health_ignored(HEALTH("\"7\"", "0", "true", "\"v\""), "not an integer");
	assert_health_ignored(HEALTH("1.5", "0", "true", "\"v\""), "not an integer");
	assert_health_ignored(HEALTH("1", "-10000000000000001", "true", "\"v\""),
			      "times: out of range");
	assert_health_ignored(HEALTH("1", "0", "1", "\"v\""), "clock_trusted: not a boolean");
	assert_health_ignored(HEALTH("1", "0", "true", "7"), "version: missing or not a string");
	assert_health_ignored(HEALTH("1", "0", "true", "\"a b\""), "printable ASCII");
	assert_health_ignored(
	    HEALTH("1", "0", "true", "\"0123456789012345678901234567890123456789012345678\""),
	    "too long");
	assert_health_ignored("{\"outbox\":1}", "missing or not an integer");
}

static void assert_refused(const char *body, const char *want_why)
{
	struct record_batch out = {.n = 7};
	char why[256] = "";

	assert_int_equal(record_batch_decode(body, strlen(body), &out, why, sizeof(why)), -EBADMSG);
	assert_int_equal(out.n, 7); /* untouched on failure */
	if (!strstr(why, want_why))
		fail_msg("reason '%s' lacks '%s'", why, want_why);
}

#define REC(extra)                                                                                 \
	"{\"version\":1,\"records\":[{\"seq\":1,\"kind\":\"tap\",\"wall_usec\":1,"                 \
	"\"boot_usec\":2,\"boot_id\":\"0f1e2d3c-4b5a-6978-8796-a5b4c3d2e1f0\","                    \
	"\"clock_trusted\":false,\"credential\":\"card:1\",\"nip\":\"\",\"reason\":\"\","          \
	"\"direction\":\"\",\"payload\":\"\",\"prev\":\"" ZEROS "\",\"link\":\"" ZEROS "\"" extra  \
	"}]}"
#define ZEROS "0000000000000000000000000000000000000000000000000000000000000000"

static void test_record_batch_decode_refusals(void **state)
{
	(void)state;
	assert_refused("{\"version\":1,\"records\":[", "malformed JSON");
	assert_refused("[]", "expected");
	assert_refused("{\"version\":2,\"records\":[]}", "unsupported version 2");
	assert_refused("{\"version\":1,\"records\":[7]}", "not an object");
	assert_refused(REC(), "outcome: missing");
	assert_refused(REC(",\"outcome\":\"maybe\""), "unknown outcome");
	assert_refused(REC(",\"outcome\":\"accepted\",\"seq\":2"), "malformed JSON"); /* dup key */
	assert_refused(REC(",\"outcome\":7"), "outcome: missing or not a string");
	assert_refused(REC(",\"outcome\":\"acc\\u0000epted\""), "not allowed");
	assert_refused("{\"version\":1,\"records\":[],\"anchors\":{}}", "expected");
	/* A head that came is checked: never half-read, never ignored. */
	assert_refused("{\"version\":1,\"records\":[],\"head\":7}", "head is not an object");
	assert_refused("{\"version\":1,\"records\":[],\"head\":{\"seq\":0,\"signature\":\"MA==\"}}",
		       "head seq: must be 1 or more");
	assert_refused("{\"version\":1,\"records\":[],\"head\":{\"seq\":1}}", "head signature");
	assert_refused("{\"version\":1,\"records\":[],\"head\":{\"seq\":1,\"signature\":\"%%\"}}",
		       "head signature");
	assert_refused("{\"version\":1,\"records\":[],\"head\":{\"seq\":1,\"signature\":\"\"}}",
		       "head signature");
	assert_refused("{\"version\":1,\"records\":[],\"anchors\":[{\"boot_id\":\"x\"}]}",
		       "anchor boot_id");
}

static void test_record_batch_decode_accepts_minimal(void **state)
{
	const char *body = REC(",\"outcome\":\"unknown\"");
	struct record_batch out;
	char why[256] = "";

	(void)state;
	assert_int_equal(record_batch_decode(body, strlen(body), &out, why, sizeof(why)), 0);
	assert_int_equal(out.n, 1);
	assert_int_equal(out.n_anchors, 0); /* anchors are optional */
	assert_string_equal(out.recs[0].credential, "card:1");
	assert_false(record_link_ok(&out.recs[0])); /* zeros are not a link: the caller checks */
	record_batch_free(&out);
}

static void test_record_batch_decode_bounds(void **state)
{
	size_t cap = 64 + (RECORD_BATCH_MAX + 1) * 3, len = 0;
	struct record_batch out;
	char *body = malloc(cap);
	char why[256];

	(void)state;
	len += (size_t)sprintf(body, "{\"version\":1,\"records\":[");
	for (int i = 0; i <= RECORD_BATCH_MAX; i++)
		len += (size_t)sprintf(body + len, "%s{}", i ? "," : "");
	len += (size_t)sprintf(body + len, "]}");
	assert_int_equal(record_batch_decode(body, len, &out, why, sizeof(why)), -E2BIG);
	assert_int_equal(record_batch_decode(body, RECORD_BODY_MAX + 1, &out, why, sizeof(why)),
			 -E2BIG);
	free(body);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_record_seal_pinned_chain),
	    cmocka_unit_test(test_record_link_detects_any_change),
	    cmocka_unit_test(test_record_batch_roundtrip),
	    cmocka_unit_test(test_record_head_roundtrip_and_digest),
	    cmocka_unit_test(test_record_batch_health_roundtrip),
	    cmocka_unit_test(test_record_batch_health_ignored),
	    cmocka_unit_test(test_record_batch_decode_refusals),
	    cmocka_unit_test(test_record_batch_decode_accepts_minimal),
	    cmocka_unit_test(test_record_batch_decode_bounds),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
