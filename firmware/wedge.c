// SPDX-License-Identifier: MIT
/*
 * Keyboard-wedge decoding. Only presses count (a release or auto-repeat of
 * the same key is not another digit). Keys outside the digit set make the
 * number garbled rather than being skipped: a reader configured to type hex
 * would otherwise yield a shorter, wrong, but plausible card number.
 */
#include "firmware/wedge.h"

#include <errno.h>
#include <linux/input-event-codes.h>
#include <string.h>

static int64_t add_sat(int64_t a, int64_t b)
{
	int64_t sum;

	if (__builtin_add_overflow(a, b, &sum))
		return b > 0 ? INT64_MAX : INT64_MIN;
	return sum;
}

/* The digit a key types, or -1. */
static int key_digit(unsigned code)
{
	static const struct {
		unsigned code;
		char digit;
	} keypad[] = {
	    {KEY_KP0, '0'}, {KEY_KP1, '1'}, {KEY_KP2, '2'}, {KEY_KP3, '3'}, {KEY_KP4, '4'},
	    {KEY_KP5, '5'}, {KEY_KP6, '6'}, {KEY_KP7, '7'}, {KEY_KP8, '8'}, {KEY_KP9, '9'},
	};

	if (code >= KEY_1 && code <= KEY_9)
		return '1' + (int)(code - KEY_1);
	if (code == KEY_0)
		return '0';
	for (size_t i = 0; i < ARRAY_SIZE(keypad); i++)
		if (keypad[i].code == code)
			return keypad[i].digit;
	return -1;
}

static bool key_is_modifier(unsigned code)
{
	switch (code) {
	case KEY_LEFTSHIFT:
	case KEY_RIGHTSHIFT:
	case KEY_LEFTCTRL:
	case KEY_RIGHTCTRL:
	case KEY_LEFTALT:
	case KEY_RIGHTALT:
	case KEY_LEFTMETA:
	case KEY_RIGHTMETA:
	case KEY_CAPSLOCK:
	case KEY_NUMLOCK:
		return true;
	default:
		return false;
	}
}

static bool is_typing(const struct wedge *w)
{
	return w->len > 0 || w->is_too_long || w->is_garbled;
}

static void reset_number(struct wedge *w)
{
	w->len = 0;
	w->is_too_long = false;
	w->is_garbled = false;
	w->digits[0] = '\0';
}

void wedge_init(struct wedge *w, int64_t idle_timeout_ns)
{
	memset(w, 0, sizeof(*w));
	w->idle_timeout_ns = idle_timeout_ns > 0 ? idle_timeout_ns : WEDGE_IDLE_TIMEOUT_NS_DEFAULT;
}

int64_t wedge_deadline(const struct wedge *w)
{
	int64_t when;

	if (!is_typing(w))
		return -1;
	when = add_sat(w->last_ns, w->idle_timeout_ns);
	return when < 0 ? 0 : when; /* -1 means idle; an odd clock must not look idle */
}

void wedge_poll(struct wedge *w, int64_t now_ns)
{
	if (is_typing(w) && now_ns >= add_sat(w->last_ns, w->idle_timeout_ns)) {
		w->n_dropped++;
		reset_number(w);
	}
}

/* Enter: hand the number over, or say why it is discarded. */
static int finish_number(struct wedge *w, char *ret_digits, size_t cap)
{
	int r;

	if (!is_typing(w))
		return 0;
	if (w->is_garbled)
		r = -EBADMSG;
	else if (w->is_too_long || w->len + 1 > cap)
		r = -E2BIG;
	else {
		memcpy(ret_digits, w->digits, w->len + 1);
		r = 1;
	}
	reset_number(w);
	return r;
}

int wedge_key(struct wedge *w, unsigned code, int value, int64_t ts_ns, char *ret_digits,
	      size_t cap)
{
	int digit;

	if (value != 1)
		return 0;
	wedge_poll(w, ts_ns);
	if (code == KEY_ENTER || code == KEY_KPENTER)
		return finish_number(w, ret_digits, cap);
	if (key_is_modifier(code))
		return 0;

	w->last_ns = ts_ns;
	digit = key_digit(code);
	if (digit < 0)
		w->is_garbled = true;
	else if (w->len == WEDGE_DIGITS_MAX)
		w->is_too_long = true;
	else {
		w->digits[w->len++] = (char)digit;
		w->digits[w->len] = '\0';
	}
	return 0;
}
