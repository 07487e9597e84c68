/* SPDX-License-Identifier: MIT */
/*
 * Keyboard-wedge decoder: key presses in, card numbers out.
 *
 * USB 125 kHz readers (EM4100) pose as keyboards: they type the card number
 * and Enter. This is the pure part: feed every EV_KEY event (evdev.c reads
 * them from the device), get the digits when Enter completes a number. A
 * half-typed number is dropped after idle_timeout_ns of silence, so a reader
 * unplugged mid-number cannot glue its digits to the next card. No I/O, no
 * allocation; the caller embeds struct wedge.
 */
#ifndef HADIR_FIRMWARE_WEDGE_H
#define HADIR_FIRMWARE_WEDGE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "common/err.h"

#define WEDGE_DIGITS_MAX	      32	/* EM4100 readers type 10; some 13 or 18 */
#define WEDGE_IDLE_TIMEOUT_NS_DEFAULT 100000000 /* 100 ms: readers type a key every few ms */

/* Decoder state; embed it and treat the fields as private. */
struct wedge {
	int64_t idle_timeout_ns;
	int64_t last_ns;  /* last key press of the number being typed */
	size_t len;	  /* digits typed so far */
	bool is_too_long; /* more than WEDGE_DIGITS_MAX: discard at Enter */
	bool is_garbled;  /* a key other than a digit came: discard at Enter */
	char digits[WEDGE_DIGITS_MAX + 1];
	unsigned n_dropped; /* half-typed numbers dropped by the timeout; for logs */
};

/* Reset w; idle_timeout_ns <= 0 means WEDGE_IDLE_TIMEOUT_NS_DEFAULT. */
void wedge_init(struct wedge *w, int64_t idle_timeout_ns);

/*
 * Feed one EV_KEY event: code (KEY_*), value (1 press, 0 release, 2 repeat;
 * only presses count) at ts_ns (CLOCK_MONOTONIC). Digits are KEY_0..KEY_9 and
 * KEY_KP0..KEY_KP9; KEY_ENTER and KEY_KPENTER end a number; Shift, Ctrl, Alt,
 * Meta, CapsLock and NumLock are ignored.
 *
 * Returns 1 when Enter completed a number: ret_digits (cap bytes) then holds
 * it, NUL-terminated. Returns 0 otherwise (also for Enter with nothing typed).
 * Returns -E2BIG when the number was longer than WEDGE_DIGITS_MAX or than
 * cap - 1, and -EBADMSG when another key (a letter: a reader set to type hex)
 * came inside it; either way the number is discarded. Errors are per number:
 * keep feeding keys.
 */
int wedge_key(struct wedge *w, unsigned code, int value, int64_t ts_ns, char *ret_digits,
	      size_t cap) MUST_CHECK;

/* When a half-typed number expires (last key + idle timeout), or -1 when nothing is typed. */
int64_t wedge_deadline(const struct wedge *w);

/* Drop a half-typed number whose deadline is past at now_ns. */
void wedge_poll(struct wedge *w, int64_t now_ns);

#endif
