// SPDX-License-Identifier: MIT
/*
 * Keyboard-wedge readers: the pure decoder, and evdev's read path over a
 * pipe carrying real struct input_event records (no input device exists on
 * build machines, so the grab itself is only checked to fail cleanly).
 */
#include <errno.h>
#include <fcntl.h>
#include <linux/input.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "common/log.h"
#include "firmware/evdev.h"
#include "firmware/wedge.h"

#define MS 1000000LL
#define T0 (7000LL * MS)

/* Type text as a reader would: one press per character, 'E' for Enter, 'a' for KEY_A. */
static int type(struct wedge *w, const char *keys, int64_t *ts, char *out, size_t cap)
{
	int last = 0;

	for (const char *k = keys; *k; k++) {
		unsigned code = *k == 'E'   ? KEY_ENTER
				: *k == 'a' ? KEY_A
				: *k == '0' ? KEY_0
					    : KEY_1 + (unsigned)(*k - '1');
		int r = wedge_key(w, code, 1, *ts, out, cap);

		assert_int_equal(wedge_key(w, code, 0, *ts + MS, out, cap), 0); /* release */
		*ts += 4 * MS;
		if (r != 0)
			last = r;
	}
	return last;
}

static void test_wedge_number_then_enter(void **state)
{
	char out[WEDGE_DIGITS_MAX + 1] = "";
	struct wedge w;
	int64_t ts = T0;

	(void)state;
	wedge_init(&w, 0);
	assert_int_equal(type(&w, "0012345678", &ts, out, sizeof(out)), 0);
	assert_int_equal(wedge_key(&w, KEY_ENTER, 1, ts, out, sizeof(out)), 1);
	assert_string_equal(out, "0012345678");
	assert_int_equal(wedge_deadline(&w), -1);
	assert_int_equal(type(&w, "42E", &ts, out, sizeof(out)), 1);
	assert_string_equal(out, "42");
}

static void test_wedge_keypad_digits_and_kpenter(void **state)
{
	static const unsigned kp[] = {KEY_KP0, KEY_KP1, KEY_KP2, KEY_KP3, KEY_KP4,
				      KEY_KP5, KEY_KP6, KEY_KP7, KEY_KP8, KEY_KP9};
	char out[16];
	struct wedge w;

	(void)state;
	wedge_init(&w, 0);
	for (size_t i = 0; i < 10; i++)
		assert_int_equal(wedge_key(&w, kp[i], 1, T0 + (int64_t)i * MS, out, sizeof(out)),
				 0);
	assert_int_equal(wedge_key(&w, KEY_KPENTER, 1, T0 + 10 * MS, out, sizeof(out)), 1);
	assert_string_equal(out, "0123456789");
}

static void test_wedge_only_presses_count(void **state)
{
	char out[16];
	struct wedge w;

	(void)state;
	wedge_init(&w, 0);
	assert_int_equal(wedge_key(&w, KEY_7, 1, T0, out, sizeof(out)), 0);
	assert_int_equal(wedge_key(&w, KEY_7, 2, T0 + MS, out, sizeof(out)), 0); /* repeat */
	assert_int_equal(wedge_key(&w, KEY_7, 0, T0 + 2 * MS, out, sizeof(out)), 0);
	assert_int_equal(wedge_key(&w, KEY_ENTER, 0, T0 + 3 * MS, out, sizeof(out)), 0);
	assert_int_equal(wedge_key(&w, KEY_ENTER, 1, T0 + 4 * MS, out, sizeof(out)), 1);
	assert_string_equal(out, "7");
}

static void test_wedge_empty_enter_is_nothing(void **state)
{
	char out[16] = "unchanged";
	struct wedge w;

	(void)state;
	wedge_init(&w, 0);
	assert_int_equal(wedge_key(&w, KEY_ENTER, 1, T0, out, sizeof(out)), 0);
	assert_string_equal(out, "unchanged");
}

static void test_wedge_too_long_is_discarded(void **state)
{
	char digits[WEDGE_DIGITS_MAX + 3];
	char out[WEDGE_DIGITS_MAX + 1];
	struct wedge w;
	int64_t ts = T0;

	(void)state;
	wedge_init(&w, 0);
	memset(digits, '9', WEDGE_DIGITS_MAX + 1);
	strcpy(digits + WEDGE_DIGITS_MAX + 1, "E");
	assert_int_equal(type(&w, digits, &ts, out, sizeof(out)), -E2BIG);
	/* The next number is whole, not the long one's tail. */
	assert_int_equal(type(&w, "55E", &ts, out, sizeof(out)), 1);
	assert_string_equal(out, "55");
	/* Exactly WEDGE_DIGITS_MAX digits fit. */
	digits[WEDGE_DIGITS_MAX] = 'E';
	digits[WEDGE_DIGITS_MAX + 1] = '\0';
	assert_int_equal(type(&w, digits, &ts, out, sizeof(out)), 1);
	assert_int_equal(strlen(out), WEDGE_DIGITS_MAX);
}

static void test_wedge_caller_buffer_too_small(void **state)
{
	char out[4] = "";
	struct wedge w;
	int64_t ts = T0;

	(void)state;
	wedge_init(&w, 0);
	assert_int_equal(type(&w, "1234E", &ts, out, sizeof(out)), -E2BIG);
	assert_string_equal(out, "");
	assert_int_equal(type(&w, "123E", &ts, out, sizeof(out)), 1);
	assert_string_equal(out, "123");
	assert_int_equal(type(&w, "1E", &ts, out, 0), -E2BIG);
}

static void test_wedge_letter_garbles_the_number(void **state)
{
	char out[16];
	struct wedge w;
	int64_t ts = T0;

	(void)state;
	wedge_init(&w, 0);
	assert_int_equal(type(&w, "12a4E", &ts, out, sizeof(out)), -EBADMSG);
	assert_int_equal(type(&w, "124E", &ts, out, sizeof(out)), 1);
	assert_string_equal(out, "124");
}

static void test_wedge_modifiers_are_ignored(void **state)
{
	char out[16];
	struct wedge w;

	(void)state;
	wedge_init(&w, 0);
	assert_int_equal(wedge_key(&w, KEY_LEFTSHIFT, 1, T0, out, sizeof(out)), 0);
	assert_int_equal(wedge_deadline(&w), -1);
	assert_int_equal(wedge_key(&w, KEY_3, 1, T0 + MS, out, sizeof(out)), 0);
	assert_int_equal(wedge_key(&w, KEY_NUMLOCK, 1, T0 + 2 * MS, out, sizeof(out)), 0);
	assert_int_equal(wedge_key(&w, KEY_ENTER, 1, T0 + 3 * MS, out, sizeof(out)), 1);
	assert_string_equal(out, "3");
}

static void test_wedge_half_typed_number_times_out(void **state)
{
	char out[16];
	struct wedge w;
	int64_t ts = T0;

	(void)state;
	wedge_init(&w, 100 * MS);
	assert_int_equal(type(&w, "123", &ts, out, sizeof(out)), 0);
	assert_int_equal(wedge_deadline(&w), ts - 4 * MS + 100 * MS);
	wedge_poll(&w, wedge_deadline(&w) - 1);
	assert_int_not_equal(wedge_deadline(&w), -1);
	wedge_poll(&w, wedge_deadline(&w));
	assert_int_equal(wedge_deadline(&w), -1);
	assert_int_equal(w.n_dropped, 1);
	assert_int_equal(type(&w, "45E", &ts, out, sizeof(out)), 1);
	assert_string_equal(out, "45");
}

static void test_wedge_timeout_without_poll(void **state)
{
	char out[16];
	struct wedge w;

	(void)state;
	wedge_init(&w, 100 * MS);
	assert_int_equal(wedge_key(&w, KEY_1, 1, T0, out, sizeof(out)), 0);
	/* The loop was late: the next key arrives after the timeout and starts afresh. */
	assert_int_equal(wedge_key(&w, KEY_2, 1, T0 + 150 * MS, out, sizeof(out)), 0);
	assert_int_equal(wedge_key(&w, KEY_ENTER, 1, T0 + 151 * MS, out, sizeof(out)), 1);
	assert_string_equal(out, "2");
	/* A late Enter alone finds nothing. */
	assert_int_equal(wedge_key(&w, KEY_1, 1, T0 + 200 * MS, out, sizeof(out)), 0);
	assert_int_equal(wedge_key(&w, KEY_ENTER, 1, T0 + 400 * MS, out, sizeof(out)), 0);
}

/* evdev over a pipe: the writer end plays the reader. */
struct pipe_reader {
	struct evdev *ev;
	int wfd;
};

static void pipe_reader_open(struct pipe_reader *p)
{
	int fds[2];

	assert_int_equal(pipe2(fds, O_CLOEXEC), 0);
	assert_int_equal(evdev_from_fd(fds[0], 100 * MS, &p->ev), 0);
	p->wfd = fds[1];
	assert_int_equal(evdev_fd(p->ev), fds[0]);
}

static void pipe_reader_close(struct pipe_reader *p)
{
	if (p->wfd >= 0)
		close(p->wfd);
	evdev_free(p->ev);
}

static void write_all(int fd, const void *data, size_t size)
{
	assert_int_equal(write(fd, data, size), (ssize_t)size);
}

static void test_evdev_reads_numbers_from_events(void **state)
{
	struct input_event events[2 * 4 * 11];
	struct pipe_reader p;
	char out[WEDGE_DIGITS_MAX + 1];
	size_t n, m;

	(void)state;
	pipe_reader_open(&p);
	assert_int_equal(evdev_read(p.ev, out, sizeof(out)), 0); /* nothing yet: no blocking */
	n = evdev_encode_digits("0004242424", T0, 4 * MS, events, ARRAY_SIZE(events));
	assert_int_equal(n, 4 * 11);
	m = evdev_encode_digits("77", T0 + 100 * MS, 4 * MS, events + n, ARRAY_SIZE(events) - n);
	assert_int_equal(m, 4 * 3);
	write_all(p.wfd, events, (n + m) * sizeof(events[0]));
	assert_int_equal(evdev_read(p.ev, out, sizeof(out)), 1);
	assert_string_equal(out, "0004242424");
	assert_int_equal(evdev_read(p.ev, out, sizeof(out)), 1);
	assert_string_equal(out, "77");
	assert_int_equal(evdev_read(p.ev, out, sizeof(out)), 0);
	pipe_reader_close(&p);
}

static void test_evdev_partial_records_wait_for_the_rest(void **state)
{
	struct input_event events[4 * 3];
	const unsigned char *bytes = (const unsigned char *)events;
	struct pipe_reader p;
	char out[16];
	size_t n, split;

	(void)state;
	pipe_reader_open(&p);
	n = evdev_encode_digits("12", T0, 4 * MS, events, ARRAY_SIZE(events));
	split = n * sizeof(events[0]) - 7; /* the last record cut short */
	write_all(p.wfd, bytes, split);
	assert_int_equal(evdev_read(p.ev, out, sizeof(out)), 1); /* Enter's press came whole */
	assert_string_equal(out, "12");
	assert_int_equal(evdev_read(p.ev, out, sizeof(out)), 0);
	write_all(p.wfd, bytes + split, n * sizeof(events[0]) - split);
	assert_int_equal(evdev_read(p.ev, out, sizeof(out)), 0);
	pipe_reader_close(&p);
}

static void test_evdev_timeout_and_deadline(void **state)
{
	struct input_event events[4 * 5];
	struct pipe_reader p;
	char out[16];
	size_t n;

	(void)state;
	pipe_reader_open(&p);
	n = evdev_encode_digits("1234", T0, 4 * MS, events, ARRAY_SIZE(events));
	write_all(p.wfd, events, (n - 4) * sizeof(events[0])); /* no Enter */
	assert_int_equal(evdev_deadline(p.ev), -1);
	assert_int_equal(evdev_read(p.ev, out, sizeof(out)), 0);
	assert_int_equal(evdev_deadline(p.ev), T0 + 12 * MS + 100 * MS);
	evdev_poll(p.ev, T0 + 112 * MS);
	assert_int_equal(evdev_deadline(p.ev), -1);
	pipe_reader_close(&p);
}

static void test_evdev_errors_per_number_then_continue(void **state)
{
	char long_number[WEDGE_DIGITS_MAX + 2];
	struct input_event events[4 * (WEDGE_DIGITS_MAX + 8)];
	struct pipe_reader p;
	char out[WEDGE_DIGITS_MAX + 1];
	size_t n, m;

	(void)state;
	pipe_reader_open(&p);
	memset(long_number, '8', WEDGE_DIGITS_MAX + 1);
	long_number[WEDGE_DIGITS_MAX + 1] = '\0';
	n = evdev_encode_digits(long_number, T0, MS, events, ARRAY_SIZE(events));
	assert_int_not_equal(n, 0);
	m = evdev_encode_digits("9", T0 + 500 * MS, MS, events + n, ARRAY_SIZE(events) - n);
	write_all(p.wfd, events, (n + m) * sizeof(events[0]));
	assert_int_equal(evdev_read(p.ev, out, sizeof(out)), -E2BIG);
	assert_int_equal(evdev_read(p.ev, out, sizeof(out)), 1);
	assert_string_equal(out, "9");
	pipe_reader_close(&p);
}

static void test_evdev_writer_gone_is_enodev(void **state)
{
	struct pipe_reader p;
	char out[16];

	(void)state;
	pipe_reader_open(&p);
	close(p.wfd);
	p.wfd = -1;
	assert_int_equal(evdev_read(p.ev, out, sizeof(out)), -ENODEV);
	pipe_reader_close(&p);
}

static void test_evdev_encode_refuses(void **state)
{
	struct input_event events[8];

	(void)state;
	assert_int_equal(evdev_encode_digits("", T0, MS, events, 8), 0);
	assert_int_equal(evdev_encode_digits("1a", T0, MS, events, 8), 0);
	assert_int_equal(evdev_encode_digits("12", T0, MS, events, 8), 0); /* needs 12 */
	assert_int_equal(evdev_encode_digits("1", T0, MS, events, 8), 8);
	assert_int_equal(evdev_encode_digits("1", INT64_MAX - 10, MS, events, 8), 0);
}

static void test_evdev_open_missing_device(void **state)
{
	struct evdev *ev = NULL;

	(void)state;
	log_set_level(LOG_LEVEL_ERR);
	assert_int_equal(evdev_open("/nonexistent/event-kbd", 0, &ev), -ENOENT);
	assert_null(ev);
}

static void test_evdev_open_not_an_input_device(void **state)
{
	struct evdev *ev = NULL;

	(void)state;
	assert_int_equal(evdev_open("/dev/null", 0, &ev), -ENOTTY);
	assert_null(ev);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_wedge_number_then_enter),
	    cmocka_unit_test(test_wedge_keypad_digits_and_kpenter),
	    cmocka_unit_test(test_wedge_only_presses_count),
	    cmocka_unit_test(test_wedge_empty_enter_is_nothing),
	    cmocka_unit_test(test_wedge_too_long_is_discarded),
	    cmocka_unit_test(test_wedge_caller_buffer_too_small),
	    cmocka_unit_test(test_wedge_letter_garbles_the_number),
	    cmocka_unit_test(test_wedge_modifiers_are_ignored),
	    cmocka_unit_test(test_wedge_half_typed_number_times_out),
	    cmocka_unit_test(test_wedge_timeout_without_poll),
	    cmocka_unit_test(test_evdev_reads_numbers_from_events),
	    cmocka_unit_test(test_evdev_partial_records_wait_for_the_rest),
	    cmocka_unit_test(test_evdev_timeout_and_deadline),
	    cmocka_unit_test(test_evdev_errors_per_number_then_continue),
	    cmocka_unit_test(test_evdev_writer_gone_is_enodev),
	    cmocka_unit_test(test_evdev_encode_refuses),
	    cmocka_unit_test(test_evdev_open_missing_device),
	    cmocka_unit_test(test_evdev_open_not_an_input_device),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
