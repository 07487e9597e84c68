// SPDX-License-Identifier: MIT
/*
 * Fingerprint module packets: every vector of specs/hardware.md, byte for
 * byte, and the parser's behaviour on bad checksums, truncation, oversized
 * LEN, garbage and arbitrary chunking.
 */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "firmware/fpm_proto.h"

/* "EF 01 FF" -> bytes; returns the count. */
static size_t hex(const char *s, uint8_t *out, size_t max)
{
	size_t n = 0;
	unsigned v;
	int used;

	while (sscanf(s, " %2x%n", &v, &used) == 1) {
		assert_true(n < max);
		out[n++] = (uint8_t)v;
		s += used;
	}
	return n;
}

static void assert_frame(const struct fpm_frame *f, const char *want)
{
	uint8_t w[FPM_PACKET_MAX];
	size_t n = hex(want, w, sizeof(w));

	assert_int_equal(f->len, n);
	assert_memory_equal(f->bytes, w, n);
}

/* Parse want as one packet fed byte by byte; returns the packet. */
static struct fpm_packet parse_one(const char *text)
{
	uint8_t b[FPM_PARSER_BUF];
	size_t n = hex(text, b, sizeof(b));
	struct fpm_parser p;
	struct fpm_packet pkt;

	fpm_parser_init(&p);
	for (size_t i = 0; i + 1 < n; i++) {
		assert_int_equal(fpm_parser_feed(&p, b + i, 1), 1);
		assert_int_equal(fpm_parser_next(&p, &pkt), 0);
	}
	assert_int_equal(fpm_parser_feed(&p, b + n - 1, 1), 1);
	assert_int_equal(fpm_parser_next(&p, &pkt), 1);
	assert_int_equal(fpm_parser_next(&p, &pkt), 0);
	assert_int_equal(p.len, 0);
	return pkt;
}

#define A FPM_ADDRESS_DEFAULT

static void test_fpm_cmd_vectors(void **state)
{
	struct fpm_frame f;

	(void)state;
	fpm_cmd_gen_img(A, &f);
	assert_frame(&f, "EF 01 FF FF FF FF 01 00 03 01 00 05");
	fpm_cmd_img2tz(A, 1, &f);
	assert_frame(&f, "EF 01 FF FF FF FF 01 00 04 02 01 00 08");
	fpm_cmd_search(A, 1, 0, 1000, &f);
	assert_frame(&f, "EF 01 FF FF FF FF 01 00 08 04 01 00 00 03 E8 00 F9");
	fpm_cmd_reg_model(A, &f);
	assert_frame(&f, "EF 01 FF FF FF FF 01 00 03 05 00 09");
	fpm_cmd_store(A, 1, 5, &f);
	assert_frame(&f, "EF 01 FF FF FF FF 01 00 06 06 01 00 05 00 13");
	fpm_cmd_template_num(A, &f);
	assert_frame(&f, "EF 01 FF FF FF FF 01 00 03 1D 00 21");
	fpm_cmd_verify_pwd(A, 0, &f);
	assert_frame(&f, "EF 01 FF FF FF FF 01 00 07 13 00 00 00 00 00 1B");
}

static void test_fpm_cmd_others(void **state)
{
	struct fpm_frame f;

	(void)state;
	/* Checksums worked out by hand from the rule: PID + LEN bytes + data. */
	fpm_cmd_load_char(A, 2, 0x0102, &f);
	assert_frame(&f, "EF 01 FF FF FF FF 01 00 06 07 02 01 02 00 13");
	fpm_cmd_up_char(A, 1, &f);
	assert_frame(&f, "EF 01 FF FF FF FF 01 00 04 08 01 00 0E");
	fpm_cmd_down_char(A, 1, &f);
	assert_frame(&f, "EF 01 FF FF FF FF 01 00 04 09 01 00 0F");
	fpm_cmd_delete_char(A, 5, 1, &f);
	assert_frame(&f, "EF 01 FF FF FF FF 01 00 07 0C 00 05 00 01 00 1A");
	fpm_cmd_empty(A, &f);
	assert_frame(&f, "EF 01 FF FF FF FF 01 00 03 0D 00 11");
	fpm_cmd_read_sys_para(A, &f);
	assert_frame(&f, "EF 01 FF FF FF FF 01 00 03 0F 00 13");
	fpm_cmd_read_index_table(A, 0, &f);
	assert_frame(&f, "EF 01 FF FF FF FF 01 00 04 1F 00 00 24");
	fpm_cmd_match(A, &f);
	assert_frame(&f, "EF 01 FF FF FF FF 01 00 03 03 00 07");
	/* Another address: it is not part of the checksum. */
	fpm_cmd_gen_img(0x12345678, &f);
	assert_frame(&f, "EF 01 12 34 56 78 01 00 03 01 00 05");
	/* A checksum that carries past 16 bits keeps the low 16. */
	fpm_cmd_search(A, 0xFF, 0xFFFF, 0xFFFF, &f);
	assert_frame(&f, "EF 01 FF FF FF FF 01 00 08 04 FF FF FF FF FF 05 08");
}

static void test_fpm_ack_vectors(void **state)
{
	struct fpm_packet pkt;
	struct fpm_frame f;
	struct fpm_ack ack;
	uint16_t page, score;
	const uint8_t ps[] = {0x00, 0x05, 0x00, 0x64};

	(void)state;
	pkt = parse_one("EF 01 FF FF FF FF 07 00 03 00 00 0A");
	assert_int_equal(pkt.address, A);
	assert_int_equal(pkt.pid, FPM_PID_ACK);
	assert_int_equal(fpm_decode_ack(&pkt, &ack), 0);
	assert_int_equal(ack.code, FPM_OK);
	assert_int_equal(ack.n_params, 0);

	pkt = parse_one("EF 01 FF FF FF FF 07 00 03 02 00 0C");
	assert_int_equal(fpm_decode_ack(&pkt, &ack), 0);
	assert_int_equal(ack.code, FPM_E_NO_FINGER);
	assert_string_equal(fpm_code_name(ack.code), "no-finger");

	pkt = parse_one("EF 01 FF FF FF FF 07 00 07 00 00 05 00 64 00 77");
	assert_int_equal(fpm_decode_ack(&pkt, &ack), 0);
	assert_int_equal(ack.code, FPM_OK);
	assert_int_equal(fpm_ack_search(&ack, &page, &score), 0);
	assert_int_equal(page, 5);
	assert_int_equal(score, 100);

	/* The builders make the same acknowledgements. */
	assert_int_equal(fpm_build_ack(A, 0, NULL, 0, &f), 0);
	assert_frame(&f, "EF 01 FF FF FF FF 07 00 03 00 00 0A");
	assert_int_equal(fpm_build_ack(A, 2, NULL, 0, &f), 0);
	assert_frame(&f, "EF 01 FF FF FF FF 07 00 03 02 00 0C");
	assert_int_equal(fpm_build_ack(A, 0, ps, sizeof(ps), &f), 0);
	assert_frame(&f, "EF 01 FF FF FF FF 07 00 07 00 00 05 00 64 00 77");
}

static void test_fpm_decode_short_params(void **state)
{
	struct fpm_packet pkt;
	struct fpm_ack ack;
	struct fpm_sys_para sp;
	uint8_t bits[FPM_INDEX_BYTES];
	uint16_t a, b;

	(void)state;
	pkt = parse_one("EF 01 FF FF FF FF 07 00 03 00 00 0A");
	assert_int_equal(fpm_decode_ack(&pkt, &ack), 0);
	assert_int_equal(fpm_ack_search(&ack, &a, &b), -EBADMSG);
	assert_int_equal(fpm_ack_template_num(&ack, &a), -EBADMSG);
	assert_int_equal(fpm_ack_sys_para(&ack, &sp), -EBADMSG);
	assert_int_equal(fpm_ack_index_table(&ack, bits), -EBADMSG);
	/* A command is not an acknowledgement. */
	pkt = parse_one("EF 01 FF FF FF FF 01 00 03 01 00 05");
	assert_int_equal(fpm_decode_ack(&pkt, &ack), -EPROTO);
}

static void test_fpm_decode_sys_para(void **state)
{
	const uint8_t q[16] = {0, 4, 0, 9, 0x03, 0xE8, 0, 3, 0xFF, 0xFF, 0xFF, 0xFF, 0, 2, 0, 6};
	struct fpm_packet pkt;
	struct fpm_frame f;
	struct fpm_ack ack;
	struct fpm_sys_para sp;
	uint16_t n;

	(void)state;
	assert_int_equal(fpm_build_ack(A, 0, q, sizeof(q), &f), 0);
	assert_int_equal(f.len, 12 + 16);
	pkt = parse_one("EF 01 FF FF FF FF 07 00 13 00 00 04 00 09 03 E8 00 03 FF FF FF FF 00 02 "
			"00 06 05 19");
	assert_memory_equal(pkt.data + 1, q, 16);
	assert_int_equal(fpm_decode_ack(&pkt, &ack), 0);
	assert_int_equal(fpm_ack_sys_para(&ack, &sp), 0);
	assert_int_equal(sp.status, 4);
	assert_int_equal(sp.system_id, 9);
	assert_int_equal(sp.library_size, 1000);
	assert_int_equal(sp.security_level, 3);
	assert_int_equal(sp.address, A);
	assert_int_equal(sp.packet_size, 128);
	assert_int_equal(sp.baud, 57600);

	pkt = parse_one("EF 01 FF FF FF FF 07 00 05 00 01 2C 00 39");
	assert_int_equal(fpm_decode_ack(&pkt, &ack), 0);
	assert_int_equal(fpm_ack_template_num(&ack, &n), 0);
	assert_int_equal(n, 300);
}

static void test_fpm_parser_bad_checksum(void **state)
{
	uint8_t b[64];
	size_t n = hex("EF 01 FF FF FF FF 07 00 03 00 00 0B", b, sizeof(b));
	struct fpm_parser p;
	struct fpm_packet pkt;

	(void)state;
	fpm_parser_init(&p);
	assert_int_equal(fpm_parser_feed(&p, b, n), n);
	assert_int_equal(fpm_parser_next(&p, &pkt), -EBADMSG);
	assert_int_equal(fpm_parser_next(&p, &pkt), 0);
	assert_int_equal(p.rejected, 1);
	/* The good packet right after is still found. */
	n = hex("EF 01 FF FF FF FF 07 00 03 00 00 0A", b, sizeof(b));
	assert_int_equal(fpm_parser_feed(&p, b, n), n);
	assert_int_equal(fpm_parser_next(&p, &pkt), 1);
	assert_int_equal(pkt.data[0], 0);
}

static void test_fpm_parser_every_bit_flip_rejected(void **state)
{
	uint8_t good[64], b[64];
	size_t n = hex("EF 01 FF FF FF FF 07 00 07 00 00 05 00 64 00 77", good, sizeof(good));
	struct fpm_parser p;
	struct fpm_packet pkt;

	(void)state;
	/* A flip in PID, LEN, data or SUM never yields a packet with the original's bytes. */
	for (size_t i = 6; i < n; i++) {
		for (int bit = 0; bit < 8; bit++) {
			int r, got = 0;

			memcpy(b, good, n);
			b[i] ^= (uint8_t)(1u << bit);
			fpm_parser_init(&p);
			assert_int_equal(fpm_parser_feed(&p, b, n), n);
			while ((r = fpm_parser_next(&p, &pkt)) != 0)
				got += r == 1;
			assert_int_equal(got, 0);
		}
	}
}

static void test_fpm_parser_truncated_then_good(void **state)
{
	uint8_t b[128];
	size_t n = hex("EF 01 FF FF FF FF 07 00 07 00 00 05 " /* cut off */
		       "EF 01 FF FF FF FF 07 00 03 02 00 0C",
		       b, sizeof(b));
	struct fpm_parser p;
	struct fpm_packet pkt;
	int r, packets = 0, errors = 0;

	(void)state;
	fpm_parser_init(&p);
	assert_int_equal(fpm_parser_feed(&p, b, n), n);
	while ((r = fpm_parser_next(&p, &pkt)) != 0) {
		if (r == 1) {
			packets++;
			assert_int_equal(pkt.data[0], FPM_E_NO_FINGER);
		} else {
			errors++;
		}
	}
	assert_int_equal(packets, 1);
	assert_true(errors >= 1);

	/* A truncated packet alone waits; a reset forgets it. */
	n = hex("EF 01 FF FF FF FF 07 00 07 00", b, sizeof(b));
	assert_int_equal(fpm_parser_feed(&p, b, n), n);
	assert_int_equal(fpm_parser_next(&p, &pkt), 0);
	assert_int_equal(p.len, n);
	fpm_parser_reset(&p);
	assert_int_equal(p.len, 0);
}

static void test_fpm_parser_oversize(void **state)
{
	uint8_t b[64];
	size_t n = hex("EF 01 FF FF FF FF 02 01 03 "	   /* LEN 259: one byte too many */
		       "EF 01 FF FF FF FF 07 00 02 00 09 " /* LEN 2: no room for a code */
		       "EF 01 FF FF FF FF 07 00 03 00 00 0A",
		       b, sizeof(b));
	struct fpm_parser p;
	struct fpm_packet pkt;

	(void)state;
	fpm_parser_init(&p);
	assert_int_equal(fpm_parser_feed(&p, b, n), n);
	assert_int_equal(fpm_parser_next(&p, &pkt), -EMSGSIZE);
	assert_int_equal(fpm_parser_next(&p, &pkt), -EMSGSIZE);
	assert_int_equal(fpm_parser_next(&p, &pkt), 1);
	assert_int_equal(pkt.len, 1);
	assert_int_equal(fpm_parser_next(&p, &pkt), 0);
	assert_int_equal(p.rejected, 2);
}

static void test_fpm_parser_largest_packet(void **state)
{
	uint8_t data[FPM_DATA_MAX];
	struct fpm_frame f;
	struct fpm_parser p;
	struct fpm_packet pkt;

	(void)state;
	for (size_t i = 0; i < sizeof(data); i++)
		data[i] = (uint8_t)(i * 7);
	assert_int_equal(fpm_encode(A, FPM_PID_END, data, sizeof(data), &f), 0);
	assert_int_equal(f.len, FPM_PACKET_MAX);
	fpm_parser_init(&p);
	assert_int_equal(fpm_parser_feed(&p, f.bytes, f.len), f.len);
	assert_int_equal(fpm_parser_next(&p, &pkt), 1);
	assert_int_equal(pkt.pid, FPM_PID_END);
	assert_int_equal(pkt.len, FPM_DATA_MAX);
	assert_memory_equal(pkt.data, data, sizeof(data));
	assert_int_equal(fpm_encode(A, FPM_PID_DATA, data, FPM_DATA_MAX + 1, &f), -EMSGSIZE);
	assert_int_equal(fpm_encode(A, FPM_PID_DATA, data, 0, &f), -EMSGSIZE);
}

static void test_fpm_parser_resync_after_garbage(void **state)
{
	uint8_t b[128];
	size_t n = hex("00 EF EF 00 01 EF 02 FF EF " /* garbage, false starts */
		       "EF 01 FF FF FF FF 07 00 03 00 00 0A 13 37 "
		       "EF 01 FF FF FF FF 07 00 03 02 00 0C",
		       b, sizeof(b));
	struct fpm_parser p;
	struct fpm_packet pkt;
	int r, codes[4], k = 0;

	(void)state;
	/* Any chunking gives the same two packets. */
	for (size_t chunk = 1; chunk <= n; chunk++) {
		fpm_parser_init(&p);
		k = 0;
		for (size_t i = 0; i < n; i += chunk) {
			size_t len = n - i < chunk ? n - i : chunk;

			assert_int_equal(fpm_parser_feed(&p, b + i, len), len);
			while ((r = fpm_parser_next(&p, &pkt)) != 0) {
				assert_int_equal(r, 1);
				assert_true(k < 4);
				codes[k++] = pkt.data[0];
			}
		}
		assert_int_equal(k, 2);
		assert_int_equal(codes[0], 0);
		assert_int_equal(codes[1], 2);
		assert_int_equal(p.skipped, 11);
	}
}

static void test_fpm_parser_packet_behind_false_header(void **state)
{
	uint8_t b[128];
	/* A false header claims 32 bytes; the real ack inside them must still be found. */
	size_t n = hex("EF 01 00 00 00 00 07 00 20 "
		       "EF 01 FF FF FF FF 07 00 03 00 00 0A "
		       "00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00",
		       b, sizeof(b));
	struct fpm_parser p;
	struct fpm_packet pkt;
	int r, got = 0;

	(void)state;
	fpm_parser_init(&p);
	assert_int_equal(fpm_parser_feed(&p, b, n), n);
	while ((r = fpm_parser_next(&p, &pkt)) != 0)
		got += r == 1;
	assert_int_equal(got, 1);
}

static void test_fpm_parser_feed_bounded(void **state)
{
	uint8_t junk[3 * FPM_PARSER_BUF];
	struct fpm_parser p;
	struct fpm_packet pkt;
	size_t fed = 0;

	(void)state;
	memset(junk, 0xEF, sizeof(junk)); /* EF EF EF ...: never a header, never a packet */
	fpm_parser_init(&p);
	while (fed < sizeof(junk)) {
		size_t n = fpm_parser_feed(&p, junk + fed, sizeof(junk) - fed);

		assert_true(n > 0);
		fed += n;
		assert_int_equal(fpm_parser_next(&p, &pkt), 0);
		assert_true(p.len <= 1);
	}
}

static void test_fpm_code_names(void **state)
{
	(void)state;
	assert_string_equal(fpm_code_name(0x09), "not-found");
	assert_string_equal(fpm_code_name(0x08), "no-match");
	assert_string_equal(fpm_code_name(0x18), "flash-error");
	assert_string_equal(fpm_code_name(0x77), "module-error");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_fpm_cmd_vectors),
	    cmocka_unit_test(test_fpm_cmd_others),
	    cmocka_unit_test(test_fpm_ack_vectors),
	    cmocka_unit_test(test_fpm_decode_short_params),
	    cmocka_unit_test(test_fpm_decode_sys_para),
	    cmocka_unit_test(test_fpm_parser_bad_checksum),
	    cmocka_unit_test(test_fpm_parser_every_bit_flip_rejected),
	    cmocka_unit_test(test_fpm_parser_truncated_then_good),
	    cmocka_unit_test(test_fpm_parser_oversize),
	    cmocka_unit_test(test_fpm_parser_largest_packet),
	    cmocka_unit_test(test_fpm_parser_resync_after_garbage),
	    cmocka_unit_test(test_fpm_parser_packet_behind_false_header),
	    cmocka_unit_test(test_fpm_parser_feed_bounded),
	    cmocka_unit_test(test_fpm_code_names),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
