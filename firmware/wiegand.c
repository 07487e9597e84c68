// SPDX-License-Identifier: MIT
/*
 * Wiegand decoding: pulses from edges, frames from pulses, card numbers from
 * frames. Timestamps come from the kernel (or the simulated reader) and are
 * trusted only as far as the checks here go: every width is range-checked and
 * every sum saturates, because the fuzzer (and a confused clock) will send
 * anything. Nothing here blocks, logs or allocates.
 */
#include "firmware/wiegand.h"

#include <assert.h>
#include <errno.h>
#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

/* A card layout: bit positions count from 1, bit 1 first on the wire. */
struct wiegand_layout {
	unsigned nbits;
	const char *name;
	unsigned fac_first, fac_len;
	unsigned card_first, card_len;
	unsigned even_last; /* even parity covers bits 1..even_last (bit 1 is the parity bit) */
	unsigned odd_first; /* odd parity covers bits odd_first..nbits (nbits is the parity bit) */
};

static const struct wiegand_layout layouts[] = {
    {26, "H10301", 2, 8, 10, 16, 13, 14},
    {34, "34-bit", 2, 16, 18, 16, 17, 18},
    {37, "H10304", 2, 16, 18, 19, 19, 19}, /* bit 19 counts in both halves */
};

static int64_t add_sat(int64_t a, int64_t b)
{
	int64_t sum;

	if (__builtin_add_overflow(a, b, &sum))
		return b > 0 ? INT64_MAX : INT64_MIN;
	return sum;
}

static uint64_t low_mask(unsigned len)
{
	return len >= 64 ? UINT64_MAX : (UINT64_C(1) << len) - 1;
}

/* Bits first..first+len-1 of an nbits-long frame, as a number. */
static uint64_t field(uint64_t bits, unsigned nbits, unsigned first, unsigned len)
{
	return (bits >> (nbits - first - len + 1)) & low_mask(len);
}

static unsigned ones(uint64_t bits, unsigned nbits, unsigned first, unsigned last)
{
	return (unsigned)__builtin_popcountll(field(bits, nbits, first, last - first + 1));
}

PRINTF_LIKE(3, 4)
static void set_reason(char *reason, size_t size, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	(void)vsnprintf(reason, size, fmt, ap);
	va_end(ap);
}

/* "4 us", "4.5 us": widths are logged in the unit the settings talk in. */
static void format_us(char *buf, size_t size, int64_t ns)
{
	if (ns % 1000 == 0)
		(void)snprintf(buf, size, "%" PRId64 " us", ns / 1000);
	else
		(void)snprintf(buf, size, "%" PRId64 ".%" PRId64 " us", ns / 1000,
			       (ns % 1000 < 0 ? -(ns % 1000) : ns % 1000) / 100);
}

static void decode_keypad(uint64_t bits, unsigned nbits, struct wiegand_frame *f)
{
	uint64_t key = bits & 0xf;

	f->format = nbits == 4 ? "keypad-4" : "keypad-8";
	f->card = (uint32_t)key;
	f->credential = key;
	/* 8-bit keypads send the key's complement in the high nibble as the check. */
	if (nbits == 8 && (bits >> 4) != (~key & 0xf)) {
		f->result = WIEGAND_BAD_PARITY;
		set_reason(f->reason, sizeof(f->reason), "keypad check nibble fails");
	}
}

static void decode_card(uint64_t bits, const struct wiegand_layout *l, struct wiegand_frame *f)
{
	bool even_ok = ones(bits, l->nbits, 1, l->even_last) % 2 == 0;
	bool odd_ok = ones(bits, l->nbits, l->odd_first, l->nbits) % 2 == 1;

	f->format = l->name;
	f->facility = (uint32_t)field(bits, l->nbits, l->fac_first, l->fac_len);
	f->card = (uint32_t)field(bits, l->nbits, l->card_first, l->card_len);
	f->credential = field(bits, l->nbits, 2, l->nbits - 2);
	if (even_ok && odd_ok)
		return;
	f->result = WIEGAND_BAD_PARITY;
	set_reason(f->reason, sizeof(f->reason), "%s",
		   even_ok  ? "odd parity fails"
		   : odd_ok ? "even parity fails"
			    : "even and odd parity fail");
}

/* Fill f from a complete, noise-free frame. bits holds the first min(nbits, 64) bits. */
static void decode(uint64_t bits, unsigned nbits, struct wiegand_frame *f)
{
	f->result = WIEGAND_OK;
	f->nbits = nbits;
	f->bits = bits;
	f->credential = 0;
	f->facility = 0;
	f->card = 0;
	f->format = "unknown";
	f->reason[0] = '\0';

	if (nbits == 4 || nbits == 8) {
		decode_keypad(bits, nbits, f);
		return;
	}
	for (size_t i = 0; i < ARRAY_SIZE(layouts); i++) {
		if (layouts[i].nbits == nbits) {
			decode_card(bits, &layouts[i], f);
			return;
		}
	}
	f->result = WIEGAND_BIT_COUNT;
	if (nbits > WIEGAND_BITS_MAX)
		set_reason(f->reason, sizeof(f->reason), "wrong bit count %u (more than %d)", nbits,
			   WIEGAND_BITS_MAX);
	else
		set_reason(f->reason, sizeof(f->reason), "wrong bit count %u", nbits);
}

struct wiegand_config wiegand_config_default(void)
{
	return (struct wiegand_config){
	    .gap_ns = WIEGAND_GAP_NS_DEFAULT,
	    .pulse_min_ns = WIEGAND_PULSE_MIN_NS_DEFAULT,
	    .pulse_max_ns = WIEGAND_PULSE_MAX_NS_DEFAULT,
	};
}

bool wiegand_config_is_valid(const struct wiegand_config *cfg)
{
	return cfg->gap_ns > 0 && cfg->pulse_min_ns >= 0 && cfg->pulse_max_ns > cfg->pulse_min_ns;
}

void wiegand_init(struct wiegand *w, const struct wiegand_config *cfg)
{
	memset(w, 0, sizeof(*w));
	w->cfg = cfg ? *cfg : wiegand_config_default();
	assert(wiegand_config_is_valid(&w->cfg));
	w->last_ns[0] = INT64_MIN;
	w->last_ns[1] = INT64_MIN;
}

PRINTF_LIKE(3, 4)
static void set_noise(struct wiegand *w, int verdict, const char *fmt, ...)
{
	va_list ap;

	if (w->noise)
		return; /* the first cause explains the frame best */
	w->noise = verdict;
	va_start(ap, fmt);
	(void)vsnprintf(w->noise_reason, sizeof(w->noise_reason), fmt, ap);
	va_end(ap);
}

static uint64_t pack_pulses(const struct wiegand *w)
{
	uint64_t bits = 0;

	for (unsigned i = 0; i < w->n_pulses; i++)
		bits = bits << 1 | w->pulses[i].line;
	return bits;
}

/* Move the frame in progress to the done queue and go idle; the lines keep their state. */
static void finish_frame(struct wiegand *w)
{
	struct wiegand_frame *f;

	if (w->is_low[0] && w->is_low[1])
		set_noise(w, WIEGAND_BOTH_LOW, "both lines low at end of frame");
	for (unsigned line = 0; line < 2; line++)
		if (w->is_low[line])
			set_noise(w, WIEGAND_NOISE, "D%u still low at end of frame", line);

	if (w->n_done == WIEGAND_DONE_MAX) {
		w->n_dropped++;
	} else {
		f = &w->done[(w->done_head + w->n_done) % WIEGAND_DONE_MAX];
		w->n_done++;
		decode(pack_pulses(w), w->nbits, f);
		if (w->noise) {
			f->result = w->noise;
			f->credential = 0;
			f->facility = 0;
			f->card = 0;
			f->format = "unknown";
			memcpy(f->reason, w->noise_reason, sizeof(f->reason));
		}
		f->end_ns = add_sat(w->frame_end_ns, w->cfg.gap_ns);
	}
	w->in_frame = false;
	w->nbits = 0;
	w->n_pulses = 0;
	w->noise = 0;
	w->noise_reason[0] = '\0';
}

static bool pulses_overlap(const struct wiegand_pulse *p, int64_t fall_ns, int64_t rise_ns)
{
	return p->fall_ns < rise_ns && fall_ns < p->rise_ns;
}

/* A low pulse of line from fall_ns to rise_ns ended: check it and file it as a bit. */
static void add_pulse(struct wiegand *w, unsigned line, int64_t fall_ns, int64_t rise_ns)
{
	char width_text[32], bound_text[32];
	int64_t width;
	unsigned pos;

	if (w->nbits < UINT32_MAX)
		w->nbits++;
	if (w->noise)
		return;
	if (__builtin_sub_overflow(rise_ns, fall_ns, &width))
		width = INT64_MAX;
	if (width < w->cfg.pulse_min_ns) {
		format_us(width_text, sizeof(width_text), width);
		format_us(bound_text, sizeof(bound_text), w->cfg.pulse_min_ns);
		set_noise(w, WIEGAND_NOISE, "D%u pulse %s shorter than %s", line, width_text,
			  bound_text);
		return;
	}
	if (width > w->cfg.pulse_max_ns) {
		format_us(width_text, sizeof(width_text), width);
		format_us(bound_text, sizeof(bound_text), w->cfg.pulse_max_ns);
		set_noise(w, WIEGAND_NOISE, "D%u pulse %s longer than %s", line, width_text,
			  bound_text);
		return;
	}
	if (w->n_pulses == WIEGAND_BITS_MAX)
		return; /* counted in nbits: the frame ends as a bit-count error */
	for (unsigned i = 0; i < w->n_pulses; i++) {
		if (w->pulses[i].line != line && pulses_overlap(&w->pulses[i], fall_ns, rise_ns)) {
			set_noise(w, WIEGAND_BOTH_LOW, "both lines low");
			return;
		}
	}
	/* Usually appended; a line whose batch arrived late is slotted in by time. */
	pos = w->n_pulses;
	while (pos > 0 && w->pulses[pos - 1].fall_ns > fall_ns)
		pos--;
	memmove(&w->pulses[pos + 1], &w->pulses[pos], (w->n_pulses - pos) * sizeof(w->pulses[0]));
	w->pulses[pos] =
	    (struct wiegand_pulse){.fall_ns = fall_ns, .rise_ns = rise_ns, .line = line};
	w->n_pulses++;
}

void wiegand_edge(struct wiegand *w, unsigned line, bool rising, int64_t ts_ns)
{
	if (line > 1)
		return;
	if (w->in_frame && ts_ns >= add_sat(w->frame_end_ns, w->cfg.gap_ns))
		finish_frame(w);
	if (!w->in_frame) {
		w->in_frame = true;
		w->frame_end_ns = ts_ns;
	}
	if (ts_ns > w->frame_end_ns)
		w->frame_end_ns = ts_ns;

	if (ts_ns < w->last_ns[line])
		set_noise(w, WIEGAND_NOISE, "D%u edge timestamps went backwards", line);
	else
		w->last_ns[line] = ts_ns;

	if (!rising) {
		if (w->is_low[line])
			set_noise(w, WIEGAND_NOISE, "D%u fell twice (lost edge)", line);
		w->is_low[line] = true;
		w->fall_ns[line] = ts_ns;
		return;
	}
	if (!w->is_low[line]) {
		set_noise(w, WIEGAND_NOISE, "D%u rose without falling (lost edge)", line);
		return;
	}
	w->is_low[line] = false;
	add_pulse(w, line, w->fall_ns[line], ts_ns);
}

int64_t wiegand_deadline(const struct wiegand *w)
{
	int64_t when;

	if (w->n_done)
		when = w->done[w->done_head].end_ns;
	else if (w->in_frame)
		when = add_sat(w->frame_end_ns, w->cfg.gap_ns);
	else
		return -1;
	return when < 0 ? 0 : when; /* -1 means idle; an odd clock must not look idle */
}

int wiegand_poll(struct wiegand *w, int64_t now_ns, struct wiegand_frame *ret_frame)
{
	if (w->n_done == 0 && w->in_frame && now_ns >= add_sat(w->frame_end_ns, w->cfg.gap_ns))
		finish_frame(w);
	if (w->n_done == 0)
		return 0;
	*ret_frame = w->done[w->done_head];
	w->done_head = (w->done_head + 1) % WIEGAND_DONE_MAX;
	w->n_done--;
	return 1;
}

const char *wiegand_result_name(int result)
{
	switch (result) {
	case WIEGAND_OK:
		return "ok";
	case WIEGAND_BAD_PARITY:
		return "bad-parity";
	case WIEGAND_BIT_COUNT:
		return "bit-count";
	case WIEGAND_NOISE:
		return "noise";
	case WIEGAND_BOTH_LOW:
		return "both-low";
	default:
		return "unknown";
	}
}

int wiegand_decode_bits(const char *bits, struct wiegand_frame *ret_frame)
{
	uint64_t value = 0;
	size_t n;

	n = strspn(bits, "01");
	if (bits[n] != '\0')
		return -EINVAL;
	for (size_t i = 0; i < n && i < WIEGAND_BITS_MAX; i++)
		value = value << 1 | (uint64_t)(bits[i] == '1');
	decode(value, n > UINT32_MAX ? UINT32_MAX : (unsigned)n, ret_frame);
	ret_frame->end_ns = 0;
	return 0;
}

size_t wiegand_encode_edges(const char *bits, int64_t start_ns, int64_t pulse_ns,
			    int64_t interval_ns, struct wiegand_edge *out, size_t max)
{
	int64_t span, last;
	size_t n;

	n = strspn(bits, "01");
	if (n == 0 || bits[n] != '\0' || n > max / 2)
		return 0;
	if (pulse_ns <= 0 || interval_ns <= pulse_ns)
		return 0;
	/* The last rising edge must be representable: start + (n - 1) * interval + pulse. */
	if (__builtin_mul_overflow((int64_t)(n - 1), interval_ns, &span) ||
	    __builtin_add_overflow(start_ns, span, &last) ||
	    __builtin_add_overflow(last, pulse_ns, &last))
		return 0;
	for (size_t i = 0; i < n; i++) {
		int64_t fall = start_ns + (int64_t)i * interval_ns;
		unsigned line = bits[i] == '1';

		out[2 * i] = (struct wiegand_edge){.line = line, .rising = false, .ts_ns = fall};
		out[2 * i + 1] =
		    (struct wiegand_edge){.line = line, .rising = true, .ts_ns = fall + pulse_ns};
	}
	return 2 * n;
}
