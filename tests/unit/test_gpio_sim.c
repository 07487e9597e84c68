// SPDX-License-Identifier: MIT
/*
 * The GPIO layer: the simulated backend (poll, order, bounds, logged
 * outputs), a sim board driving the Wiegand decoder end to end, and the
 * libgpiod 1.6 backend failing cleanly where no GPIO chip exists.
 */
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
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
#include "firmware/board.h"
#include "firmware/gpio.h"
#include "firmware/wiegand.h"

#define US 1000LL
#define MS 1000000LL
#define T0 (9000LL * MS)

static struct board_line sim_line(int offset, const char *role)
{
	struct board_line l = {.present = true, .chip = "sim", .offset = offset};

	snprintf(l.role, sizeof(l.role), "%s", role);
	return l;
}

static bool is_readable(int fd)
{
	struct pollfd p = {.fd = fd, .events = POLLIN};

	assert_true(poll(&p, 1, 0) >= 0);
	return p.revents & POLLIN;
}

static struct gpio_in *open_sim_pair(void)
{
	struct board_line d0 = sim_line(0, "d0"), d1 = sim_line(1, "d1");
	const struct board_line *lines[] = {&d0, &d1};
	struct gpio_in *in = NULL;

	assert_int_equal(gpio_in_open(lines, 2, "test", &in), 0);
	assert_non_null(in);
	return in;
}

static void test_gpio_sim_poll_and_read_in_order(void **state)
{
	struct gpio_event ev[4];
	struct gpio_in *in = open_sim_pair();
	int fd = gpio_in_fd(in);

	(void)state;
	assert_true(fd >= 0);
	assert_false(is_readable(fd));
	assert_int_equal(gpio_in_read(in, ev, 4), 0);
	assert_int_equal(gpio_sim_inject(in, 1, false, T0), 0);
	assert_int_equal(gpio_sim_inject(in, 1, true, T0 + 50 * US), 0);
	assert_int_equal(gpio_sim_inject(in, 0, false, T0 + 2 * MS), 0);
	assert_true(is_readable(fd));

	assert_int_equal(gpio_in_read(in, ev, 2), 2);
	assert_int_equal(ev[0].index, 1);
	assert_false(ev[0].rising);
	assert_int_equal(ev[0].ts_ns, T0);
	assert_int_equal(ev[1].index, 1);
	assert_true(ev[1].rising);
	assert_int_equal(ev[1].ts_ns, T0 + 50 * US);
	assert_true(is_readable(fd)); /* one left: still readable */

	assert_int_equal(gpio_in_read(in, ev, 4), 1);
	assert_int_equal(ev[0].index, 0);
	assert_int_equal(ev[0].ts_ns, T0 + 2 * MS);
	assert_false(is_readable(fd));
	assert_int_equal(gpio_in_read(in, ev, 4), 0);
	gpio_in_free(in);
}

static void test_gpio_sim_queue_is_bounded(void **state)
{
	struct gpio_event ev[64];
	struct gpio_in *in = open_sim_pair();
	size_t total = 0;
	int n;

	(void)state;
	for (int i = 0; i < GPIO_SIM_QUEUE_MAX; i++)
		assert_int_equal(gpio_sim_inject(in, (unsigned)i % 2, i % 4 >= 2, T0 + i), 0);
	assert_int_equal(gpio_sim_inject(in, 0, false, T0), -ENOBUFS);
	while ((n = gpio_in_read(in, ev, 64)) > 0) {
		for (int k = 0; k < n; k++)
			assert_int_equal(ev[k].ts_ns, T0 + (int64_t)(total + (size_t)k));
		total += (size_t)n;
	}
	assert_int_equal(n, 0);
	assert_int_equal(total, GPIO_SIM_QUEUE_MAX);
	/* Room again, and the ring wraps correctly. */
	assert_int_equal(gpio_sim_inject(in, 1, true, T0 + 7), 0);
	assert_int_equal(gpio_in_read(in, ev, 64), 1);
	assert_int_equal(ev[0].ts_ns, T0 + 7);
	gpio_in_free(in);
}

static void test_gpio_sim_inject_refuses_bad_index(void **state)
{
	struct gpio_in *in = open_sim_pair();

	(void)state;
	assert_int_equal(gpio_sim_inject(in, 2, false, T0), -EINVAL);
	assert_int_equal(gpio_sim_inject(in, UINT32_MAX, false, T0), -EINVAL);
	gpio_in_free(in);
}

static void test_gpio_in_open_refusals(void **state)
{
	struct board_line sim = sim_line(0, "d0");
	struct board_line hw = {.present = true, .chip = "gpiochip0", .offset = 17};
	struct board_line absent = {.present = false, .offset = -1};
	const struct board_line *mixed[] = {&sim, &hw};
	const struct board_line *missing[] = {&absent};
	const struct board_line *many[GPIO_IN_LINES_MAX + 1];
	struct gpio_in *in = NULL;

	(void)state;
	log_set_level(LOG_LEVEL_ERR);
	for (size_t i = 0; i < GPIO_IN_LINES_MAX + 1; i++)
		many[i] = &sim;
	assert_int_equal(gpio_in_open(mixed, 2, "test", &in), -EINVAL);
	assert_int_equal(gpio_in_open(missing, 1, "test", &in), -EINVAL);
	assert_int_equal(gpio_in_open(mixed, 0, "test", &in), -EINVAL);
	assert_int_equal(gpio_in_open(many, GPIO_IN_LINES_MAX + 1, "test", &in), -EINVAL);
	assert_null(in);
	assert_int_equal(gpio_out_open(&absent, "test", NULL), -EINVAL);
	gpio_in_free(NULL);
	gpio_out_free(NULL);
	log_set_level(LOG_LEVEL_INFO);
}

/* Run fn with stderr going into a buffer, to see what it logged. */
static void capture_stderr(void (*fn)(void *), void *arg, char *out, size_t size)
{
	int fds[2], saved;
	ssize_t n;

	assert_int_equal(pipe2(fds, O_CLOEXEC | O_NONBLOCK), 0);
	saved = dup(STDERR_FILENO);
	assert_true(saved >= 0);
	assert_true(dup2(fds[1], STDERR_FILENO) >= 0);
	fn(arg);
	assert_true(dup2(saved, STDERR_FILENO) >= 0);
	close(saved);
	close(fds[1]);
	n = read(fds[0], out, size - 1);
	out[n > 0 ? n : 0] = '\0';
	close(fds[0]);
}

static void blink(void *arg)
{
	struct gpio_out *out = arg;

	assert_int_equal(gpio_out_set(out, true), 0);
	assert_int_equal(gpio_out_set(out, true), 0); /* no change: no line */
	assert_int_equal(gpio_out_set(out, false), 0);
	assert_int_equal(gpio_out_set(out, false), 0);
}

static void test_gpio_sim_out_logs_changes(void **state)
{
	struct board_line led = sim_line(2, "led_green");
	struct gpio_out *out = NULL;
	char logged[512];

	(void)state;
	log_set_level(LOG_LEVEL_INFO);
	assert_int_equal(gpio_out_open(&led, "hadir-kiosk", &out), 0);
	capture_stderr(blink, out, logged, sizeof(logged));
	assert_string_equal(logged, "info: gpio: led_green on\ninfo: gpio: led_green off\n");
	gpio_out_free(out);
}

static void test_gpio_sim_out_without_role_uses_consumer(void **state)
{
	struct board_line relay = sim_line(5, "");
	struct gpio_out *out = NULL;
	char logged[512];

	(void)state;
	relay.active_low = true; /* logical on/off whatever the polarity */
	assert_int_equal(gpio_out_open(&relay, "door", &out), 0);
	capture_stderr(blink, out, logged, sizeof(logged));
	assert_string_equal(logged, "info: gpio: door on\ninfo: gpio: door off\n");
	gpio_out_free(out);
}

/* The sim board's D0/D1 through the GPIO layer into the Wiegand decoder, as the kiosk runs it. */
static void test_gpio_sim_board_drives_wiegand(void **state)
{
	struct cfg_diag diag = {.len = 0};
	struct wiegand_edge edges[2 * 37];
	struct gpio_event ev[16];
	struct wiegand_frame frame;
	struct gpio_in *in = NULL;
	struct wiegand w;
	struct board b;
	size_t n;
	int got, frames = 0;

	(void)state;
	assert_int_equal(board_load("boards/sim.conf", &b, &diag), 0);
	assert_int_equal(
	    gpio_in_open((const struct board_line *const[]){&b.d0, &b.d1}, 2, "hadir-kiosk", &in),
	    0);
	n = wiegand_encode_edges("0001100000011100100111100010010000001", T0, 50 * US, 2 * MS,
				 edges, 2 * 37);
	assert_int_equal(n, 2 * 37);
	for (size_t i = 0; i < n; i++) {
		int r = gpio_sim_inject(in, edges[i].line, edges[i].rising, edges[i].ts_ns);

		assert_int_equal(r, 0);
	}

	wiegand_init(&w, NULL);
	while (is_readable(gpio_in_fd(in))) {
		got = gpio_in_read(in, ev, ARRAY_SIZE(ev)); /* small batches, like a busy loop */
		assert_true(got > 0);
		for (int k = 0; k < got; k++)
			wiegand_edge(&w, ev[k].index, ev[k].rising, ev[k].ts_ns);
	}
	assert_int_equal(wiegand_deadline(&w), edges[n - 1].ts_ns + 25 * MS);
	while (wiegand_poll(&w, wiegand_deadline(&w), &frame) == 1) {
		frames++;
		assert_int_equal(frame.result, 0);
		assert_string_equal(frame.format, "H10304");
		assert_int_equal(frame.facility, 12345);
		assert_int_equal(frame.card, 123456);
	}
	assert_int_equal(frames, 1);
	gpio_in_free(in);
}

static void test_gpio_hw_missing_chip_fails_cleanly(void **state)
{
	struct board_line d0 = {.present = true,
				.chip = "gpiochip99",
				.offset = 17,
				.bias = BOARD_BIAS_PULL_UP,
				.role = "d0"};
	struct board_line d1 = {.present = true, .chip = "gpiochip99", .offset = 27, .role = "d1"};
	const struct board_line *lines[] = {&d0, &d1};
	struct gpio_in *in = NULL;
	struct gpio_out *out = NULL;

	(void)state;
	log_set_level(LOG_LEVEL_ERR);
	assert_true(gpio_in_open(lines, 2, "test", &in) < 0);
	assert_null(in);
	assert_true(gpio_out_open(&d0, "test", &out) < 0);
	assert_null(out);
	log_set_level(LOG_LEVEL_INFO);
}

static void test_gpio_hw_missing_line_name_fails_cleanly(void **state)
{
	struct board_line named = {
	    .present = true, .name = "NO_SUCH_LINE", .offset = -1, .role = "buzzer"};
	struct board_line on_chip = {
	    .present = true, .chip = "/dev/gpiochip42", .name = "GPIO17", .offset = -1};
	const struct board_line *lines[] = {&named};
	struct gpio_in *in = NULL;
	struct gpio_out *out = NULL;

	(void)state;
	log_set_level(LOG_LEVEL_ERR);
	assert_int_equal(gpio_in_open(lines, 1, "test", &in), -ENOENT);
	assert_int_equal(gpio_out_open(&named, "test", &out), -ENOENT);
	assert_int_equal(gpio_out_open(&on_chip, "test", &out), -ENOENT);
	assert_null(in);
	assert_null(out);
	log_set_level(LOG_LEVEL_INFO);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_gpio_sim_poll_and_read_in_order),
	    cmocka_unit_test(test_gpio_sim_queue_is_bounded),
	    cmocka_unit_test(test_gpio_sim_inject_refuses_bad_index),
	    cmocka_unit_test(test_gpio_in_open_refusals),
	    cmocka_unit_test(test_gpio_sim_out_logs_changes),
	    cmocka_unit_test(test_gpio_sim_out_without_role_uses_consumer),
	    cmocka_unit_test(test_gpio_sim_board_drives_wiegand),
	    cmocka_unit_test(test_gpio_hw_missing_chip_fails_cleanly),
	    cmocka_unit_test(test_gpio_hw_missing_line_name_fails_cleanly),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
