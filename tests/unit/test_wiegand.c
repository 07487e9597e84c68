// SPDX-License-Identifier: MIT
/*
 * The Wiegand decoder: every vector of specs/hardware.md through the bit
 * string and through real edge timing, plus the ways a wire goes wrong.
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

#include "firmware/wiegand.h"

#define US 1000LL
#define MS 1000000LL
#define T0 (5000LL * MS) /* an arbitrary CLOCK_MONOTONIC instant */

struct expect {
	int result;
	uint32_t facility;
	uint32_t card;
	uint64_t credential;
	const char *format;
	const char *reason; /* substring; NULL: empty */
};

static void assert_frame(const struct wiegand_frame *f, const struct expect *e)
{
	if (f->result != e->result)
		fail_msg("result %d (%s: %s), expected %d", f->result,
			 wiegand_result_name(f->result), f->reason, e->result);
	assert_string_equal(f->format, e->format);
	if (e->result == WIEGAND_OK || e->result == WIEGAND_BAD_PARITY) {
		assert_int_equal(f->facility, e->facility);
		assert_int_equal(f->card, e->card);
		assert_int_equal(f->credential, e->credential);
	}
	if (!e->reason)
		assert_string_equal(f->reason, "");
	else if (!strstr(f->reason, e->reason))
		fail_msg("reason '%s' lacks '%s'", f->reason, e->reason);
}

/* Feed edges to a fresh decoder and check the frame ends exactly one gap after the last edge. */
static struct wiegand_frame run_edges(const struct wiegand_config *cfg,
				      const struct wiegand_edge *edges, size_t n)
{
	struct wiegand_frame f, none;
	struct wiegand w;
	int64_t last = INT64_MIN;

	wiegand_init(&w, cfg);
	assert_int_equal(wiegand_deadline(&w), -1);
	for (size_t i = 0; i < n; i++) {
		wiegand_edge(&w, edges[i].line, edges[i].rising, edges[i].ts_ns);
		if (edges[i].ts_ns > last)
			last = edges[i].ts_ns;
	}
	assert_int_equal(wiegand_deadline(&w), last + w.cfg.gap_ns);
	assert_int_equal(wiegand_poll(&w, last + w.cfg.gap_ns - 1, &f), 0);
	assert_int_equal(wiegand_poll(&w, last + w.cfg.gap_ns, &f), 1);
	assert_int_equal(f.end_ns, last + w.cfg.gap_ns);
	assert_int_equal(wiegand_poll(&w, INT64_MAX, &none), 0);
	assert_int_equal(wiegand_deadline(&w), -1);
	return f;
}

static struct wiegand_frame run_bits(const char *bits, int64_t pulse_ns, int64_t interval_ns)
{
	struct wiegand_edge edges[2 * 80];
	size_t n;

	n = wiegand_encode_edges(bits, T0, pulse_ns, interval_ns, edges, 2 * 80);
	assert_int_equal(n, 2 * strlen(bits));
	return run_edges(NULL, edges, n);
}

/* Both paths: the bit string and 50 us pulses every 2 ms through the edge decoder. */
static void check_vector(const char *bits, const struct expect *e)
{
	struct wiegand_frame f;

	assert_int_equal(wiegand_decode_bits(bits, &f), 0);
	assert_int_equal(f.nbits, strlen(bits));
	assert_frame(&f, e);
	f = run_bits(bits, 50 * US, 2 * MS);
	assert_int_equal(f.nbits, strlen(bits));
	assert_frame(&f, e);
}

static void test_wiegand_vector_26_123_4567(void **state)
{
	(void)state;
	check_vector("10111101100010001110101110",
		     &(struct expect){0, 123, 4567, 123 << 16 | 4567, "H10301", NULL});
}

static void test_wiegand_vector_26_bit21_flipped(void **state)
{
	(void)state;
	check_vector("10111101100010001110001110",
		     &(struct expect){WIEGAND_BAD_PARITY, 123, 4551, 123 << 16 | 4551, "H10301",
				      "odd parity fails"});
}

static void test_wiegand_vector_26_1_1(void **state)
{
	(void)state;
	check_vector("10000000100000000000000010",
		     &(struct expect){0, 1, 1, 65537, "H10301", NULL});
}

static void test_wiegand_vector_26_255_65535(void **state)
{
	(void)state;
	check_vector("01111111111111111111111111",
		     &(struct expect){0, 255, 65535, 16777215, "H10301", NULL});
}

static void test_wiegand_vector_26_18_12345(void **state)
{
	(void)state;
	check_vector("00001001000110000001110011",
		     &(struct expect){0, 18, 12345, 18 << 16 | 12345, "H10301", NULL});
}

static void test_wiegand_vector_34_1000_54321(void **state)
{
	(void)state;
	check_vector("0000000111110100011010100001100010",
		     &(struct expect){0, 1000, 54321, 1000ULL << 16 | 54321, "34-bit", NULL});
}

static void test_wiegand_vector_37_12345_123456(void **state)
{
	(void)state;
	check_vector("0001100000011100100111100010010000001",
		     &(struct expect){0, 12345, 123456, 12345ULL << 19 | 123456, "H10304", NULL});
}

static void test_wiegand_26_even_parity_fails(void **state)
{
	(void)state;
	check_vector("00111101100010001110101110",
		     &(struct expect){WIEGAND_BAD_PARITY, 123, 4567, 123 << 16 | 4567, "H10301",
				      "even parity fails"});
}

static void test_wiegand_26_both_parities_fail(void **state)
{
	(void)state;
	check_vector("00111101100010001110101111",
		     &(struct expect){WIEGAND_BAD_PARITY, 123, 4567, 123 << 16 | 4567, "H10301",
				      "even and odd parity fail"});
}

static void test_wiegand_34_parity_fails(void **state)
{
	(void)state;
	check_vector("0000000111110100011010100001100011",
		     &(struct expect){WIEGAND_BAD_PARITY, 1000, 54321, 1000ULL << 16 | 54321,
				      "34-bit", "odd parity fails"});
}

static void test_wiegand_37_shared_bit_19(void **state)
{
	/* Bit 19 counts in both halves: flipping it breaks both parities. */
	(void)state;
	check_vector("0001100000011100101111100010010000001",
		     &(struct expect){WIEGAND_BAD_PARITY, 12345, 123456 | 1 << 17,
				      12345ULL << 19 | (123456 | 1 << 17), "H10304",
				      "even and odd parity fail"});
}

static void test_wiegand_wrong_bit_count(void **state)
{
	(void)state;
	check_vector("101111011000100011101011101",
		     &(struct expect){WIEGAND_BIT_COUNT, 0, 0, 0, "unknown", "wrong bit count 27"});
	check_vector("1",
		     &(struct expect){WIEGAND_BIT_COUNT, 0, 0, 0, "unknown", "wrong bit count 1"});
}

static void test_wiegand_zero_bits(void **state)
{
	struct wiegand_edge edges[4];
	struct wiegand_frame f;
	struct wiegand w;

	(void)state;
	assert_int_equal(wiegand_decode_bits("", &f), 0);
	assert_frame(&f,
		     &(struct expect){WIEGAND_BIT_COUNT, 0, 0, 0, "unknown", "wrong bit count 0"});
	/* No bits make no edges, and a decoder without edges never ends a frame. */
	assert_int_equal(wiegand_encode_edges("", T0, 50 * US, 2 * MS, edges, 4), 0);
	wiegand_init(&w, NULL);
	assert_int_equal(wiegand_poll(&w, INT64_MAX, &f), 0);
	assert_int_equal(wiegand_deadline(&w), -1);
}

static void test_wiegand_more_than_64_bits(void **state)
{
	char bits[81];
	struct wiegand_frame f;

	(void)state;
	memset(bits, '1', 65);
	bits[65] = '\0';
	assert_int_equal(wiegand_decode_bits(bits, &f), 0);
	assert_int_equal(f.nbits, 65);
	assert_int_equal(f.bits, UINT64_MAX);
	assert_frame(&f, &(struct expect){WIEGAND_BIT_COUNT, 0, 0, 0, "unknown",
					  "wrong bit count 65 (more than 64)"});
	f = run_bits(bits, 50 * US, 2 * MS);
	assert_int_equal(f.nbits, 65);
	assert_frame(&f,
		     &(struct expect){WIEGAND_BIT_COUNT, 0, 0, 0, "unknown", "wrong bit count 65"});
	memset(bits, '0', 80);
	bits[80] = '\0';
	f = run_bits(bits, 50 * US, 2 * MS);
	assert_int_equal(f.nbits, 80);
	assert_int_equal(f.bits, 0);
	assert_frame(&f,
		     &(struct expect){WIEGAND_BIT_COUNT, 0, 0, 0, "unknown", "wrong bit count 80"});
}

static void test_wiegand_64_bits_is_a_bit_count_error_not_noise(void **state)
{
	char bits[65];
	struct wiegand_frame f;

	(void)state;
	memset(bits, '1', 64);
	bits[64] = '\0';
	f = run_bits(bits, 50 * US, 2 * MS);
	assert_int_equal(f.nbits, 64);
	assert_int_equal(f.bits, UINT64_MAX);
	assert_frame(&f,
		     &(struct expect){WIEGAND_BIT_COUNT, 0, 0, 0, "unknown", "wrong bit count 64"});
}

static void test_wiegand_keypad_4(void **state)
{
	(void)state;
	check_vector("0101", &(struct expect){0, 0, 5, 5, "keypad-4", NULL});
	check_vector("1011", &(struct expect){0, 0, 11, 11, "keypad-4", NULL}); /* '#' */
}

static void test_wiegand_keypad_8(void **state)
{
	(void)state;
	check_vector("10100101", &(struct expect){0, 0, 5, 5, "keypad-8", NULL});
	check_vector("11110000", &(struct expect){0, 0, 0, 0, "keypad-8", NULL});
	check_vector("01010101", &(struct expect){WIEGAND_BAD_PARITY, 0, 5, 5, "keypad-8",
						  "keypad check nibble fails"});
}

static void test_wiegand_timing_160us_880us(void **state)
{
	struct wiegand_frame f;

	(void)state;
	f = run_bits("10111101100010001110101110", 160 * US, (160 + 880) * US);
	assert_frame(&f, &(struct expect){0, 123, 4567, 123 << 16 | 4567, "H10301", NULL});
}

static void test_wiegand_timing_edges_of_the_window(void **state)
{
	struct wiegand_frame f;

	(void)state;
	/* 10 us and 300 us pulses are bits; 20 ms between pulses stays within the 25 ms gap. */
	f = run_bits("00001001000110000001110011", 10 * US, 20 * MS);
	assert_frame(&f, &(struct expect){0, 18, 12345, 18 << 16 | 12345, "H10301", NULL});
	f = run_bits("00001001000110000001110011", 300 * US, 2 * MS);
	assert_frame(&f, &(struct expect){0, 18, 12345, 18 << 16 | 12345, "H10301", NULL});
}

static void test_wiegand_short_pulse_is_noise(void **state)
{
	const struct wiegand_edge edges[] = {
	    {0, false, T0},
	    {0, true, T0 + 4 * US},
	};
	struct wiegand_frame f;

	(void)state;
	f = run_edges(NULL, edges, ARRAY_SIZE(edges));
	assert_frame(&f, &(struct expect){WIEGAND_NOISE, 0, 0, 0, "unknown",
					  "D0 pulse 4 us shorter than 10 us"});
	assert_string_equal(wiegand_result_name(f.result), "noise");
}

static void test_wiegand_short_pulse_inside_a_card_is_noise(void **state)
{
	struct wiegand_edge edges[2 * 26 + 2];
	struct wiegand_frame f;
	size_t n;

	(void)state;
	n = wiegand_encode_edges("10111101100010001110101110", T0, 50 * US, 2 * MS, edges, 52);
	assert_int_equal(n, 52);
	/* A 2.5 us glitch on D1 between bits 3 and 4. */
	memmove(&edges[8], &edges[6], (n - 6) * sizeof(edges[0]));
	edges[6] = (struct wiegand_edge){1, false, T0 + 5 * MS};
	edges[7] = (struct wiegand_edge){1, true, T0 + 5 * MS + 2500};
	f = run_edges(NULL, edges, n + 2);
	assert_int_equal(f.nbits, 27);
	assert_frame(&f, &(struct expect){WIEGAND_NOISE, 0, 0, 0, "unknown",
					  "D1 pulse 2.5 us shorter than 10 us"});
}

static void test_wiegand_long_pulse_is_noise(void **state)
{
	const struct wiegand_edge edges[] = {
	    {1, false, T0},
	    {1, true, T0 + 400 * US},
	};
	struct wiegand_frame f;

	(void)state;
	f = run_edges(NULL, edges, ARRAY_SIZE(edges));
	assert_frame(&f, &(struct expect){WIEGAND_NOISE, 0, 0, 0, "unknown",
					  "D1 pulse 400 us longer than 300 us"});
}

static void test_wiegand_pulse_bounds_are_settings(void **state)
{
	struct wiegand_config cfg = {
	    .gap_ns = 25 * MS, .pulse_min_ns = 20 * US, .pulse_max_ns = 100 * US};
	struct wiegand_edge edges[8];
	struct wiegand_frame f;
	size_t n;

	(void)state;
	n = wiegand_encode_edges("0101", T0, 160 * US, 1040 * US, edges, 8);
	f = run_edges(&cfg, edges, n);
	assert_frame(&f, &(struct expect){WIEGAND_NOISE, 0, 0, 0, "unknown",
					  "pulse 160 us longer than 100 us"});
	n = wiegand_encode_edges("0101", T0, 15 * US, 1040 * US, edges, 8);
	f = run_edges(&cfg, edges, n);
	assert_frame(&f, &(struct expect){WIEGAND_NOISE, 0, 0, 0, "unknown",
					  "pulse 15 us shorter than 20 us"});
}

static void test_wiegand_both_lines_low(void **state)
{
	const struct wiegand_edge edges[] = {
	    {0, false, T0},
	    {1, false, T0 + 10 * US},
	    {0, true, T0 + 50 * US},
	    {1, true, T0 + 60 * US},
	};
	struct wiegand_frame f;

	(void)state;
	f = run_edges(NULL, edges, ARRAY_SIZE(edges));
	assert_frame(&f, &(struct expect){WIEGAND_BOTH_LOW, 0, 0, 0, "unknown", "both lines low"});
	assert_string_equal(wiegand_result_name(f.result), "both-low");
}

static void test_wiegand_both_lines_stuck_low(void **state)
{
	const struct wiegand_edge edges[] = {
	    {0, false, T0},
	    {1, false, T0 + 10 * US},
	};
	struct wiegand_frame f;

	(void)state;
	f = run_edges(NULL, edges, ARRAY_SIZE(edges));
	assert_frame(&f, &(struct expect){WIEGAND_BOTH_LOW, 0, 0, 0, "unknown",
					  "both lines low at end of frame"});
}

static void test_wiegand_line_stuck_low_then_released(void **state)
{
	struct wiegand_frame f;
	struct wiegand w;

	(void)state;
	wiegand_init(&w, NULL);
	wiegand_edge(&w, 0, false, T0);
	assert_int_equal(wiegand_poll(&w, T0 + 25 * MS, &f), 1);
	assert_frame(&f, &(struct expect){WIEGAND_NOISE, 0, 0, 0, "unknown",
					  "D0 still low at end of frame"});
	assert_int_equal(wiegand_deadline(&w), -1);
	/* A second later the line comes back: one more noise frame, then a clean card. */
	wiegand_edge(&w, 0, true, T0 + 1000 * MS);
	assert_int_equal(wiegand_poll(&w, T0 + 1025 * MS, &f), 1);
	assert_frame(&f, &(struct expect){WIEGAND_NOISE, 0, 0, 0, "unknown",
					  "D0 pulse 1000000 us longer than 300 us"});
	wiegand_edge(&w, 1, false, T0 + 2000 * MS);
	wiegand_edge(&w, 1, true, T0 + 2000 * MS + 50 * US);
	wiegand_edge(&w, 0, false, T0 + 2002 * MS);
	wiegand_edge(&w, 0, true, T0 + 2002 * MS + 50 * US);
	wiegand_edge(&w, 1, false, T0 + 2004 * MS);
	wiegand_edge(&w, 1, true, T0 + 2004 * MS + 50 * US);
	wiegand_edge(&w, 1, false, T0 + 2006 * MS);
	wiegand_edge(&w, 1, true, T0 + 2006 * MS + 50 * US);
	assert_int_equal(wiegand_poll(&w, T0 + 2100 * MS, &f), 1);
	assert_frame(&f, &(struct expect){0, 0, 11, 11, "keypad-4", NULL});
}

static void test_wiegand_lost_edges_are_noise(void **state)
{
	const struct wiegand_edge rise_only[] = {{1, true, T0}};
	const struct wiegand_edge fall_twice[] = {
	    {0, false, T0},
	    {0, false, T0 + 2 * MS},
	    {0, true, T0 + 2 * MS + 50 * US},
	};
	struct wiegand_frame f;

	(void)state;
	f = run_edges(NULL, rise_only, ARRAY_SIZE(rise_only));
	assert_frame(
	    &f, &(struct expect){WIEGAND_NOISE, 0, 0, 0, "unknown", "D1 rose without falling"});
	f = run_edges(NULL, fall_twice, ARRAY_SIZE(fall_twice));
	assert_frame(&f, &(struct expect){WIEGAND_NOISE, 0, 0, 0, "unknown", "D0 fell twice"});
}

static void test_wiegand_time_going_backwards_is_noise(void **state)
{
	const struct wiegand_edge edges[] = {
	    {0, false, T0},
	    {0, true, T0 - 50 * US},
	};
	struct wiegand_frame f;
	struct wiegand w;

	(void)state;
	wiegand_init(&w, NULL);
	wiegand_edge(&w, edges[0].line, edges[0].rising, edges[0].ts_ns);
	wiegand_edge(&w, edges[1].line, edges[1].rising, edges[1].ts_ns);
	assert_int_equal(wiegand_poll(&w, T0 + 25 * MS, &f), 1);
	assert_frame(&f, &(struct expect){WIEGAND_NOISE, 0, 0, 0, "unknown",
					  "D0 edge timestamps went backwards"});
}

static void test_wiegand_line_batches_out_of_order(void **state)
{
	const char *bits = "10111101100010001110101110";
	struct wiegand_edge edges[52], sorted[52];
	struct wiegand_frame f;
	size_t n, k = 0;

	(void)state;
	n = wiegand_encode_edges(bits, T0, 50 * US, 2 * MS, edges, 52);
	/* All of D0's edges first, then all of D1's: each line in order, the lines apart. */
	for (unsigned line = 0; line < 2; line++)
		for (size_t i = 0; i < n; i++)
			if (edges[i].line == line)
				sorted[k++] = edges[i];
	assert_int_equal(k, n);
	f = run_edges(NULL, sorted, n);
	assert_frame(&f, &(struct expect){0, 123, 4567, 123 << 16 | 4567, "H10301", NULL});
}

static void feed(struct wiegand *w, const char *bits, int64_t start)
{
	struct wiegand_edge edges[2 * 64];
	size_t n;

	n = wiegand_encode_edges(bits, start, 50 * US, 2 * MS, edges, ARRAY_SIZE(edges));
	assert_int_not_equal(n, 0);
	for (size_t i = 0; i < n; i++)
		wiegand_edge(w, edges[i].line, edges[i].rising, edges[i].ts_ns);
}

static void test_wiegand_gap_splits_frames(void **state)
{
	const char *a = "10111101100010001110101110";
	const char *b = "00001001000110000001110011";
	int64_t a_last = T0 + 25 * 2 * MS + 50 * US;
	struct wiegand_frame f;
	struct wiegand w;

	(void)state;
	/* B starts 30 ms after A's last edge; nobody polls in between. */
	wiegand_init(&w, NULL);
	feed(&w, a, T0);
	feed(&w, b, a_last + 30 * MS);
	assert_true(wiegand_deadline(&w) <= a_last + 30 * MS); /* A waits: poll now */
	assert_int_equal(wiegand_poll(&w, a_last + 30 * MS, &f), 1);
	assert_frame(&f, &(struct expect){0, 123, 4567, 123 << 16 | 4567, "H10301", NULL});
	assert_int_equal(f.end_ns, a_last + 25 * MS);
	assert_int_equal(wiegand_poll(&w, a_last + 30 * MS, &f), 0); /* B still open */
	assert_int_equal(wiegand_poll(&w, INT64_MAX, &f), 1);
	assert_frame(&f, &(struct expect){0, 18, 12345, 18 << 16 | 12345, "H10301", NULL});
	assert_int_equal(wiegand_poll(&w, INT64_MAX, &f), 0);

	/* 20 ms apart the two are one 52-bit frame. */
	wiegand_init(&w, NULL);
	feed(&w, a, T0);
	feed(&w, b, a_last + 20 * MS);
	assert_int_equal(wiegand_poll(&w, INT64_MAX, &f), 1);
	assert_frame(&f,
		     &(struct expect){WIEGAND_BIT_COUNT, 0, 0, 0, "unknown", "wrong bit count 52"});
}

static void test_wiegand_gap_is_a_setting(void **state)
{
	struct wiegand_config cfg = wiegand_config_default();
	struct wiegand_frame f;
	struct wiegand w;

	(void)state;
	cfg.gap_ns = 50 * MS;
	wiegand_init(&w, &cfg);
	feed(&w, "0101", T0);
	feed(&w, "0101", T0 + 6 * MS + 50 * US + 30 * MS);
	assert_int_equal(wiegand_poll(&w, INT64_MAX, &f), 1);
	assert_int_equal(f.nbits, 8);
	assert_frame(&f, &(struct expect){WIEGAND_BAD_PARITY, 0, 5, 5, "keypad-8",
					  "keypad check nibble fails"});
}

static void test_wiegand_unpolled_frames_are_bounded(void **state)
{
	struct wiegand_frame f;
	struct wiegand w;
	unsigned got = 0;

	(void)state;
	wiegand_init(&w, NULL);
	for (int i = 0; i < WIEGAND_DONE_MAX + 3; i++)
		feed(&w, "0101", T0 + i * 100 * MS);
	while (wiegand_poll(&w, INT64_MAX, &f) == 1)
		got++;
	assert_int_equal(got, WIEGAND_DONE_MAX + 1); /* the queue, then the last, open one */
	assert_int_equal(w.n_dropped, 2);
}

static void test_wiegand_lines_past_d1_are_ignored(void **state)
{
	struct wiegand w;

	(void)state;
	wiegand_init(&w, NULL);
	wiegand_edge(&w, 2, false, T0);
	wiegand_edge(&w, UINT32_MAX, true, T0);
	assert_int_equal(wiegand_deadline(&w), -1);
}

static void test_wiegand_extreme_timestamps(void **state)
{
	struct wiegand_frame f;
	struct wiegand w;

	(void)state;
	wiegand_init(&w, NULL);
	wiegand_edge(&w, 0, false, INT64_MAX - 10);
	wiegand_edge(&w, 0, true, INT64_MAX);
	assert_int_equal(wiegand_deadline(&w), INT64_MAX); /* saturated, not wrapped */
	assert_int_equal(wiegand_poll(&w, INT64_MAX, &f), 1);
	wiegand_edge(&w, 1, false, INT64_MIN);
	wiegand_edge(&w, 1, true, INT64_MAX);
	assert_true(wiegand_deadline(&w) >= 0);
	assert_int_equal(wiegand_poll(&w, INT64_MAX, &f), 1);
	assert_int_equal(f.result, WIEGAND_NOISE);
}

static void test_wiegand_decode_bits_rejects_other_characters(void **state)
{
	struct wiegand_frame f = {.result = 42};

	(void)state;
	assert_int_equal(wiegand_decode_bits("10111101100010001110101112", &f), -EINVAL);
	assert_int_equal(wiegand_decode_bits("1011 1101", &f), -EINVAL);
	assert_int_equal(wiegand_decode_bits("x", &f), -EINVAL);
	assert_int_equal(f.result, 42); /* untouched */
}

static void test_wiegand_encode_edges_timing(void **state)
{
	struct wiegand_edge edges[4];

	(void)state;
	assert_int_equal(wiegand_encode_edges("10", 1000, 50, 2000, edges, 4), 4);
	assert_int_equal(edges[0].line, 1);
	assert_false(edges[0].rising);
	assert_int_equal(edges[0].ts_ns, 1000);
	assert_int_equal(edges[1].line, 1);
	assert_true(edges[1].rising);
	assert_int_equal(edges[1].ts_ns, 1050);
	assert_int_equal(edges[2].line, 0);
	assert_false(edges[2].rising);
	assert_int_equal(edges[2].ts_ns, 3000);
	assert_int_equal(edges[3].ts_ns, 3050);
}

static void test_wiegand_encode_edges_refuses(void **state)
{
	struct wiegand_edge edges[8];

	(void)state;
	assert_int_equal(wiegand_encode_edges("101", T0, 50, 2000, edges, 5), 0); /* no room */
	assert_int_equal(wiegand_encode_edges("1a1", T0, 50, 2000, edges, 8), 0);
	assert_int_equal(wiegand_encode_edges("11", T0, 0, 2000, edges, 8), 0);
	assert_int_equal(wiegand_encode_edges("11", T0, 50, 50, edges, 8), 0);
	assert_int_equal(wiegand_encode_edges("11", INT64_MAX - 100, 50, 2000, edges, 8), 0);
	assert_int_equal(wiegand_encode_edges("11", T0, 50, INT64_MAX, edges, 8), 0);
}

static void test_wiegand_result_names(void **state)
{
	(void)state;
	assert_string_equal(wiegand_result_name(WIEGAND_OK), "ok");
	assert_string_equal(wiegand_result_name(WIEGAND_BAD_PARITY), "bad-parity");
	assert_string_equal(wiegand_result_name(WIEGAND_BIT_COUNT), "bit-count");
	assert_string_equal(wiegand_result_name(WIEGAND_NOISE), "noise");
	assert_string_equal(wiegand_result_name(WIEGAND_BOTH_LOW), "both-low");
	assert_string_equal(wiegand_result_name(-99), "unknown");
}

static void test_wiegand_config_validity(void **state)
{
	struct wiegand_config cfg = wiegand_config_default();

	(void)state;
	assert_true(wiegand_config_is_valid(&cfg));
	assert_int_equal(cfg.gap_ns, 25 * MS);
	assert_int_equal(cfg.pulse_min_ns, 10 * US);
	assert_int_equal(cfg.pulse_max_ns, 300 * US);
	cfg.pulse_max_ns = cfg.pulse_min_ns;
	assert_false(wiegand_config_is_valid(&cfg));
	cfg = wiegand_config_default();
	cfg.gap_ns = 0;
	assert_false(wiegand_config_is_valid(&cfg));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_wiegand_vector_26_123_4567),
	    cmocka_unit_test(test_wiegand_vector_26_bit21_flipped),
	    cmocka_unit_test(test_wiegand_vector_26_1_1),
	    cmocka_unit_test(test_wiegand_vector_26_255_65535),
	    cmocka_unit_test(test_wiegand_vector_26_18_12345),
	    cmocka_unit_test(test_wiegand_vector_34_1000_54321),
	    cmocka_unit_test(test_wiegand_vector_37_12345_123456),
	    cmocka_unit_test(test_wiegand_26_even_parity_fails),
	    cmocka_unit_test(test_wiegand_26_both_parities_fail),
	    cmocka_unit_test(test_wiegand_34_parity_fails),
	    cmocka_unit_test(test_wiegand_37_shared_bit_19),
	    cmocka_unit_test(test_wiegand_wrong_bit_count),
	    cmocka_unit_test(test_wiegand_zero_bits),
	    cmocka_unit_test(test_wiegand_more_than_64_bits),
	    cmocka_unit_test(test_wiegand_64_bits_is_a_bit_count_error_not_noise),
	    cmocka_unit_test(test_wiegand_keypad_4),
	    cmocka_unit_test(test_wiegand_keypad_8),
	    cmocka_unit_test(test_wiegand_timing_160us_880us),
	    cmocka_unit_test(test_wiegand_timing_edges_of_the_window),
	    cmocka_unit_test(test_wiegand_short_pulse_is_noise),
	    cmocka_unit_test(test_wiegand_short_pulse_inside_a_card_is_noise),
	    cmocka_unit_test(test_wiegand_long_pulse_is_noise),
	    cmocka_unit_test(test_wiegand_pulse_bounds_are_settings),
	    cmocka_unit_test(test_wiegand_both_lines_low),
	    cmocka_unit_test(test_wiegand_both_lines_stuck_low),
	    cmocka_unit_test(test_wiegand_line_stuck_low_then_released),
	    cmocka_unit_test(test_wiegand_lost_edges_are_noise),
	    cmocka_unit_test(test_wiegand_time_going_backwards_is_noise),
	    cmocka_unit_test(test_wiegand_line_batches_out_of_order),
	    cmocka_unit_test(test_wiegand_gap_splits_frames),
	    cmocka_unit_test(test_wiegand_gap_is_a_setting),
	    cmocka_unit_test(test_wiegand_unpolled_frames_are_bounded),
	    cmocka_unit_test(test_wiegand_lines_past_d1_are_ignored),
	    cmocka_unit_test(test_wiegand_extreme_timestamps),
	    cmocka_unit_test(test_wiegand_decode_bits_rejects_other_characters),
	    cmocka_unit_test(test_wiegand_encode_edges_timing),
	    cmocka_unit_test(test_wiegand_encode_edges_refuses),
	    cmocka_unit_test(test_wiegand_result_names),
	    cmocka_unit_test(test_wiegand_config_validity),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
