// SPDX-License-Identifier: MIT
/*
 * The Wiegand decoder over arbitrary edge sequences: any timing, any order,
 * lost edges, clocks that jump. Noise verdicts are fine; crashes, overflows, a
 * valid frame that the bit-string decoder disagrees with, or a decoder that
 * never goes idle are not. The input's first bytes are also replayed as a
 * clean bit string, which must decode the same through edges and through
 * wiegand_decode_bits.
 */
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "firmware/wiegand.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void check_frame(const struct wiegand_frame *f)
{
	struct wiegand_frame again;
	char bits[WIEGAND_BITS_MAX + 1];

	if (!f->format || strnlen(f->reason, sizeof(f->reason)) == sizeof(f->reason))
		abort();
	if (f->result != 0) {
		if (f->reason[0] == '\0' || wiegand_result_name(f->result)[0] == 'u')
			abort();
		return;
	}
	if (f->reason[0] != '\0' || f->nbits > WIEGAND_BITS_MAX)
		abort();
	for (unsigned i = 0; i < f->nbits; i++)
		bits[i] = (char)('0' + ((f->bits >> (f->nbits - 1 - i)) & 1));
	bits[f->nbits] = '\0';
	if (wiegand_decode_bits(bits, &again) != 0 || again.result != 0 ||
	    again.credential != f->credential || again.facility != f->facility ||
	    again.card != f->card || strcmp(again.format, f->format) != 0)
		abort();
}

static void drain(struct wiegand *w, int64_t now)
{
	struct wiegand_frame f;
	unsigned n = 0;

	while (wiegand_poll(w, now, &f) == 1) {
		check_frame(&f);
		if (++n > WIEGAND_DONE_MAX + 1)
			abort(); /* more frames than the decoder can hold */
	}
	if (wiegand_deadline(w) < -1)
		abort();
}

/* Decode the same bits through edges and through the string decoder. */
static void round_trip(const uint8_t *data, size_t size)
{
	struct wiegand_edge edges[2 * WIEGAND_BITS_MAX];
	char bits[WIEGAND_BITS_MAX + 1];
	struct wiegand_frame a, b;
	struct wiegand w;
	size_t n = size < WIEGAND_BITS_MAX ? size : WIEGAND_BITS_MAX;
	size_t n_edges;

	for (size_t i = 0; i < n; i++)
		bits[i] = (char)('0' + (data[i] & 1));
	bits[n] = '\0';
	n_edges = wiegand_encode_edges(bits, 1000000000, 50000, 2000000, edges, ARRAY_SIZE(edges));
	if (n_edges != 2 * n)
		abort();
	if (n == 0)
		return;
	wiegand_init(&w, NULL);
	for (size_t i = 0; i < n_edges; i++)
		wiegand_edge(&w, edges[i].line, edges[i].rising, edges[i].ts_ns);
	if (wiegand_poll(&w, INT64_MAX, &a) != 1 || wiegand_decode_bits(bits, &b) != 0)
		abort();
	if (a.result != b.result || a.nbits != b.nbits || a.bits != b.bits ||
	    a.credential != b.credential || strcmp(a.reason, b.reason) != 0)
		abort();
}

static int64_t add_sat(int64_t a, int64_t b)
{
	int64_t sum;

	if (__builtin_add_overflow(a, b, &sum))
		return b > 0 ? INT64_MAX : INT64_MIN;
	return sum;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct wiegand_config cfg;
	struct wiegand w;
	int64_t ts = 1000000000;

	round_trip(data, size);
	if (size < 3)
		return 0;
	cfg.gap_ns = (int64_t)(data[0] + 1) * 200000;
	cfg.pulse_min_ns = (int64_t)data[1] * 1000;
	cfg.pulse_max_ns = cfg.pulse_min_ns + (int64_t)(data[2] + 1) * 4000;
	wiegand_init(&w, &cfg);

	/* Then records of 3 bytes: flags, and a 16-bit time step scaled by the flags. */
	for (size_t i = 3; i + 3 <= size; i += 3) {
		uint8_t op = data[i];
		int64_t step = (int64_t)(data[i + 1] << 8 | data[i + 2]) * ((op >> 4) + 1) * 37;

		if (op & 0x08) {
			ts = (op & 0x04)   ? add_sat(ts, -step)
			     : (op & 0x02) ? INT64_MAX - step
					   : add_sat(ts, step);
			drain(&w, ts);
			continue;
		}
		ts = add_sat(ts, step);
		wiegand_edge(&w, (op & 0x04) ? 7 : op & 1, op & 2, ts);
		if (wiegand_deadline(&w) < -1)
			abort();
	}
	drain(&w, INT64_MAX);
	if (wiegand_deadline(&w) != -1)
		abort();
	return 0;
}
