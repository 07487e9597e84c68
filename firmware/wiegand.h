/* SPDX-License-Identifier: MIT */
/*
 * Wiegand decoder: D0/D1 edges with kernel timestamps in, card numbers out.
 *
 * Pure state machine, no I/O and no allocation: the caller embeds a struct
 * wiegand, feeds it every edge of both lines (wiegand_edge), arms a timer at
 * wiegand_deadline() and collects finished frames with wiegand_poll(). The
 * same decoder serves the GPIO backend and the simulated reader, which turns
 * a bit string into edges with real timing (wiegand_encode_edges).
 *
 * Lines idle high; a low pulse on D0 is a 0 bit, on D1 a 1 bit, most
 * significant first. A frame ends when no edge came for cfg.gap_ns. A pulse
 * outside [pulse_min_ns, pulse_max_ns], both lines low at once, a lost edge or
 * more than 64 bits make the whole frame noise, reported with a reason rather
 * than a number.
 *
 * Bits are ordered by the falling edge's timestamp, not by arrival: the v1
 * GPIO interface gives each line its own queue, so a batch may deliver one
 * line's edges slightly ahead of the other's; each line on its own must stay
 * in order (the kernel guarantees that).
 */
#ifndef HADIR_FIRMWARE_WIEGAND_H
#define HADIR_FIRMWARE_WIEGAND_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "common/err.h"

#define WIEGAND_GAP_NS_DEFAULT	     25000000 /* 25 ms: longer than the 20 ms maximum bit gap */
#define WIEGAND_PULSE_MIN_NS_DEFAULT 10000    /* 10 us: shorter is a glitch */
#define WIEGAND_PULSE_MAX_NS_DEFAULT 300000   /* 300 us: SIA says 100, some readers send 160 */
#define WIEGAND_BITS_MAX	     64
#define WIEGAND_REASON_MAX	     96
#define WIEGAND_DONE_MAX	     4 /* finished frames held until polled */

/* Frame verdicts: 0 or one of these negative codes (wiegand_result_name gives a token). */
enum wiegand_result {
	WIEGAND_OK = 0,
	WIEGAND_BAD_PARITY = -1, /* "bad-parity": parity or keypad check nibble fails */
	WIEGAND_BIT_COUNT = -2,	 /* "bit-count": no known format has this many bits (incl. > 64) */
	WIEGAND_NOISE = -3,	 /* "noise": pulse too short or too long, lost edge, line stuck */
	WIEGAND_BOTH_LOW = -4,	 /* "both-low": D0 and D1 low at the same time */
};

struct wiegand_config {
	int64_t gap_ns;	      /* silence that ends a frame; > 0 */
	int64_t pulse_min_ns; /* shortest low pulse taken as a bit; >= 0 */
	int64_t pulse_max_ns; /* longest low pulse taken as a bit; > pulse_min_ns */
};

/*
 * One finished frame. facility, card and credential are filled whenever the
 * bit count matches a known layout, also when the parity fails (for logs):
 * use them only when result == 0. Keypad frames carry the key in card and
 * credential (0-9 digits, 10 '*', 11 '#' on HID-style keypads), facility 0.
 */
struct wiegand_frame {
	int result;	     /* 0 = ok, else an enum wiegand_result */
	unsigned nbits;	     /* bits received; may exceed 64 for a noise frame */
	uint64_t bits;	     /* the first min(nbits, 64) bits, bit 1 most significant */
	uint64_t credential; /* payload bits with parity removed (26-bit: facility << 16 | card) */
	uint32_t facility;
	uint32_t card;
	const char *format; /* "H10301", "34-bit", "H10304", "keypad-4", "keypad-8", "unknown";
			       static, never NULL */
	char reason[WIEGAND_REASON_MAX]; /* human text for logs; "" when result == 0 */
	int64_t end_ns;			 /* last edge + gap: when the frame was complete */
};

/* One edge of one line, as the GPIO layer reports it and the simulated reader makes them. */
struct wiegand_edge {
	unsigned line; /* 0 = D0, 1 = D1 */
	bool rising;
	int64_t ts_ns; /* CLOCK_MONOTONIC */
};

struct wiegand_pulse {
	int64_t fall_ns;
	int64_t rise_ns;
	unsigned line;
};

/* Decoder state; embed it and treat the fields as private. */
struct wiegand {
	struct wiegand_config cfg;
	bool is_low[2];	      /* line state as the edges tell it */
	int64_t fall_ns[2];   /* falling edge of the open pulse, when is_low */
	int64_t last_ns[2];   /* last edge per line, to catch time going backwards */
	bool in_frame;	      /* an edge came and the frame has not ended yet */
	int64_t frame_end_ns; /* latest edge of the frame seen so far */
	unsigned nbits;	      /* pulses counted, also past WIEGAND_BITS_MAX */
	unsigned n_pulses;    /* pulses stored; stops growing at noise or WIEGAND_BITS_MAX */
	int noise;	      /* first noise verdict of this frame, 0 if none */
	char noise_reason[WIEGAND_REASON_MAX];
	struct wiegand_pulse pulses[WIEGAND_BITS_MAX]; /* sorted by fall_ns */
	struct wiegand_frame done[WIEGAND_DONE_MAX];   /* finished, waiting for wiegand_poll */
	unsigned done_head, n_done;
	unsigned n_dropped; /* finished frames lost because nobody polled; for logs */
};

/* Defaults: gap 25 ms, pulses 10 us to 300 us. */
struct wiegand_config wiegand_config_default(void);

/* True when cfg can drive a decoder (gap > 0, 0 <= min < max); check settings with it. */
bool wiegand_config_is_valid(const struct wiegand_config *cfg);

/* Reset w to idle with cfg (NULL: defaults). cfg must be valid (asserted). */
void wiegand_init(struct wiegand *w, const struct wiegand_config *cfg);

/*
 * Feed one edge: line 0 = D0, 1 = D1 (others are ignored), rising or falling,
 * at ts_ns (CLOCK_MONOTONIC). An edge later than the current frame's deadline
 * first finishes that frame, so a batch spanning two frames decodes as two.
 */
void wiegand_edge(struct wiegand *w, unsigned line, bool rising, int64_t ts_ns);

/*
 * When the event loop must call wiegand_poll: the end of the frame in
 * progress (last edge + gap), a time already past when a finished frame
 * waits, or -1 when idle.
 */
int64_t wiegand_deadline(const struct wiegand *w);

/*
 * Returns 1 and fills ret_frame when a frame has ended by now_ns, else 0.
 * Call it until it returns 0: several frames may be waiting.
 */
int wiegand_poll(struct wiegand *w, int64_t now_ns, struct wiegand_frame *ret_frame) MUST_CHECK;

/* Short token for machine output: "ok", "bad-parity", "bit-count", "noise", "both-low". */
const char *wiegand_result_name(int result);

/*
 * Decode a string of '0'/'1' (bit 1 first) as if it had arrived on the wire.
 * Returns 0 and fills ret_frame (whose result tells whether the card is valid)
 * or -EINVAL when bits holds anything but '0' and '1'.
 */
int wiegand_decode_bits(const char *bits, struct wiegand_frame *ret_frame) MUST_CHECK;

/*
 * Turn bits ('0'/'1') into the edges a reader would make: bit i pulls its line
 * low at start_ns + i * interval_ns for pulse_ns. Writes 2 edges a bit, in
 * time order, and returns their number; 0 when bits is empty or invalid, the
 * timing is impossible (pulse_ns <= 0, interval_ns <= pulse_ns, overflow), or
 * the edges do not fit in max.
 */
size_t wiegand_encode_edges(const char *bits, int64_t start_ns, int64_t pulse_ns,
			    int64_t interval_ns, struct wiegand_edge *out, size_t max);

#endif
