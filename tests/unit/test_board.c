// SPDX-License-Identifier: MIT
/* Board files: the shipped boards load, line specs parse, and mistakes name file, line and key. */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "firmware/board.h"

struct loaded {
	struct board b;
	struct cfg_diag diag;
	int r;
};

static struct loaded load(const char *text)
{
	struct loaded l;
	FILE *f;

	memset(&l, 0, sizeof(l));
	f = fmemopen((void *)(uintptr_t)text, strlen(text), "r");
	assert_non_null(f);
	l.r = board_load_stream(f, "x.conf", &l.b, &l.diag);
	fclose(f);
	return l;
}

static void assert_diag_has(const struct cfg_diag *diag, const char *needle)
{
	if (!strstr(diag->text, needle))
		fail_msg("diagnostics lack '%s':\n%s", needle, diag->text);
}

static struct board load_file(const char *path)
{
	struct cfg_diag diag = {.len = 0};
	struct board b;
	int r;

	r = board_load(path, &b, &diag);
	if (r != 0)
		fail_msg("%s: %d\n%s", path, r, diag.text);
	return b;
}

static void assert_line(const struct board_line *l, const char *chip, const char *name, int offset,
			bool active_low, int bias)
{
	assert_true(l->present);
	assert_string_equal(l->chip, chip);
	assert_string_equal(l->name, name);
	assert_int_equal(l->offset, offset);
	assert_int_equal(l->active_low, active_low);
	assert_int_equal(l->bias, bias);
}

static void test_board_load_rpi4(void **state)
{
	struct board b = load_file("boards/rpi4.conf");

	(void)state;
	assert_string_equal(b.name, "rpi4");
	assert_line(&b.d0, "gpiochip0", "", 17, false, BOARD_BIAS_PULL_UP);
	assert_line(&b.d1, "gpiochip0", "", 27, false, BOARD_BIAS_PULL_UP);
	assert_line(&b.led_green, "gpiochip0", "", 22, false, BOARD_BIAS_AS_IS);
	assert_line(&b.relay, "gpiochip0", "", 25, false, BOARD_BIAS_AS_IS);
	assert_line(&b.fp_touch, "gpiochip0", "", 5, false, BOARD_BIAS_AS_IS);
	assert_string_equal(b.fp_uart, "/dev/serial0");
	assert_int_equal(b.fp_baud, 57600);
	assert_string_equal(b.evdev_device, "");
	assert_string_equal(b.d0.role, "d0");
	assert_string_equal(b.led_green.role, "led_green");
	assert_string_equal(b.fp_touch.role, "fp_touch");
	assert_false(board_line_is_sim(&b.d0));
}

static void test_board_load_rpi5_by_name(void **state)
{
	struct board b = load_file("boards/rpi5.conf");

	(void)state;
	assert_string_equal(b.name, "rpi5");
	assert_line(&b.d0, "", "GPIO17", -1, false, BOARD_BIAS_PULL_UP);
	assert_line(&b.buzzer, "", "GPIO24", -1, false, BOARD_BIAS_AS_IS);
	assert_string_equal(b.fp_uart, "/dev/ttyAMA0");
}

static void test_board_load_orangepi_zero3(void **state)
{
	struct board b = load_file("boards/orangepi-zero3.conf");

	(void)state;
	assert_string_equal(b.name, "orangepi-zero3");
	assert_line(&b.d0, "300b000.pinctrl", "", 73, false, BOARD_BIAS_PULL_UP);
	assert_line(&b.d1, "300b000.pinctrl", "", 70, false, BOARD_BIAS_PULL_UP);
	assert_string_equal(b.fp_uart, "/dev/ttyS5");
}

static void test_board_load_sim(void **state)
{
	struct board b = load_file("boards/sim.conf");

	(void)state;
	assert_string_equal(b.name, "sim");
	assert_true(board_line_is_sim(&b.d0));
	assert_true(board_line_is_sim(&b.d1));
	assert_true(board_line_is_sim(&b.led_green));
	assert_true(board_line_is_sim(&b.relay));
	assert_int_equal(b.d1.offset, 1);
	assert_string_equal(b.fp_uart, "sim");
	assert_string_equal(b.evdev_device, "sim");
}

static void test_board_minimal_file(void **state)
{
	struct loaded l = load("[board]\nname = bare\n");

	(void)state;
	assert_int_equal(l.r, 0);
	assert_false(l.b.d0.present);
	assert_int_equal(l.b.d0.offset, -1);
	assert_false(l.b.relay.present);
	assert_int_equal(l.b.fp_baud, 57600);
	assert_string_equal(l.b.description, "");
}

static void parse_ok(const char *text, struct board_line *ret)
{
	char why[128] = "";

	if (board_parse_line(text, ret, why, sizeof(why)) != 0)
		fail_msg("'%s' refused: %s", text, why);
}

static void parse_fails(const char *text, const char *reason)
{
	struct board_line l = {.offset = 42};
	char why[128] = "";

	assert_int_equal(board_parse_line(text, &l, why, sizeof(why)), -EINVAL);
	if (!strstr(why, reason))
		fail_msg("'%s': reason '%s' lacks '%s'", text, why, reason);
	assert_int_equal(l.offset, 42); /* untouched */
}

static void test_board_parse_line_forms(void **state)
{
	struct board_line l;

	(void)state;
	parse_ok("gpiochip0:17", &l);
	assert_line(&l, "gpiochip0", "", 17, false, BOARD_BIAS_AS_IS);
	parse_ok("gpiochip0:17 active-low", &l);
	assert_line(&l, "gpiochip0", "", 17, true, BOARD_BIAS_AS_IS);
	parse_ok("gpiochip4:22   active-low\tpull-up", &l);
	assert_line(&l, "gpiochip4", "", 22, true, BOARD_BIAS_PULL_UP);
	parse_ok("GPIO17", &l);
	assert_line(&l, "", "GPIO17", -1, false, BOARD_BIAS_AS_IS);
	parse_ok("gpiochip4:GPIO17 pull-down", &l);
	assert_line(&l, "gpiochip4", "GPIO17", -1, false, BOARD_BIAS_PULL_DOWN);
	parse_ok("/dev/gpiochip0:0 bias-disable active-high", &l);
	assert_line(&l, "/dev/gpiochip0", "", 0, false, BOARD_BIAS_DISABLE);
	parse_ok("sim:0", &l);
	assert_true(board_line_is_sim(&l));
	parse_ok("gpiochip0:4095", &l);
	assert_int_equal(l.offset, 4095);
	parse_ok("", &l);
	assert_false(l.present);
	assert_int_equal(l.offset, -1);
	parse_ok("   ", &l);
	assert_false(l.present);
}

static void test_board_parse_line_refusals(void **state)
{
	(void)state;
	parse_fails("17", "a bare number is ambiguous: write CHIP:17");
	parse_fails("gpiochip0:", "no line offset or name after 'gpiochip0:'");
	parse_fails(":17", "no chip before ':'");
	parse_fails("gpiochip0:4096", "line offset 4096 above 4095");
	parse_fails("gpiochip0:99999999999999999999", "above 4095");
	parse_fails("gpiochip0:17 pullup", "unknown flag 'pullup' (expected active-low");
	parse_fails("gpiochip0:17 pull-up pull-down", "more than one of pull-up");
	parse_fails("gpiochip0:17 pull-up pull-up", "more than one of pull-up");
	parse_fails("GPIO17 active-low active-high", "more than one of active-low");
	parse_fails("sim:GPIO1", "simulated lines are numbered");
	parse_fails("gpiochip0123456789012345678901234567:1", "chip name longer than 31");
	parse_fails("gpiochip0:GPIO17_is_a_very_long_line_name_indeed", "line name longer");
	parse_fails("gpio chip:1", "unknown flag 'chip:1'");
	parse_fails("gpio$chip:1", "bad character in chip name");
	parse_fails("gpiochip0:a:b", "bad character in line name");
	parse_fails(";G5", "bad character in line name"); /* would print as a comment */
}

static void test_board_format_line_round_trip(void **state)
{
	static const char *const specs[] = {
	    "gpiochip0:17",
	    "gpiochip0:17 active-low",
	    "gpiochip4:22 active-low pull-up",
	    "GPIO17 pull-down",
	    "gpiochip4:GPIO17 bias-disable",
	    "sim:3",
	    "",
	};
	char buf[BOARD_LINE_SPEC_MAX];
	struct board_line l;

	(void)state;
	for (size_t i = 0; i < sizeof(specs) / sizeof(specs[0]); i++) {
		parse_ok(specs[i], &l);
		board_format_line(&l, buf, sizeof(buf));
		assert_string_equal(buf, specs[i]);
	}
}

static void test_board_errors_name_file_line_key(void **state)
{
	struct loaded l = load("[board]\nname = x\n\n[wiegand]\nd0 = gpiochip0:17 pullup\n"
			       "d1 = gpiochip0:27\n[outputs]\nled_blue = gpiochip0:5\n");

	(void)state;
	assert_int_equal(l.r, -EINVAL);
	assert_diag_has(&l.diag, "x.conf:5: [wiegand] d0: unknown flag 'pullup'");
	assert_diag_has(&l.diag, "x.conf:8: [outputs] led_blue: unknown key");
}

static void test_board_d0_needs_d1(void **state)
{
	struct loaded l = load("[board]\nname = x\n[wiegand]\nd0 = gpiochip0:17\n");

	(void)state;
	assert_int_equal(l.r, -EINVAL);
	assert_diag_has(&l.diag, "x.conf: [wiegand] d1: required when d0 is set");
}

static void test_board_d0_d1_same_backend(void **state)
{
	struct loaded l = load("[board]\nname = x\n[wiegand]\nd0 = sim:0\nd1 = gpiochip0:1\n");

	(void)state;
	assert_int_equal(l.r, -EINVAL);
	assert_diag_has(&l.diag, "d0 and d1 must both be sim or both be hardware");
}

static void test_board_line_used_twice(void **state)
{
	struct loaded l = load("[board]\nname = x\n[wiegand]\nd0 = gpiochip0:17\n"
			       "d1 = gpiochip0:27\n[outputs]\n"
			       "led_red = /dev/gpiochip0:17 active-low\n"
			       "buzzer = GPIO5\nrelay = GPIO5\n");

	(void)state;
	assert_int_equal(l.r, -EINVAL);
	assert_diag_has(&l.diag, "x.conf: [outputs] led_red: same line as [wiegand] d0 "
				 "('/dev/gpiochip0:17 active-low')");
	assert_diag_has(&l.diag, "x.conf: [outputs] relay: same line as [outputs] buzzer");
	assert_int_equal(l.diag.n_errors, 2);
}

static void test_board_touch_needs_uart(void **state)
{
	struct loaded l = load("[board]\nname = x\n[fingerprint]\ntouch = gpiochip0:5\n");

	(void)state;
	assert_int_equal(l.r, -EINVAL);
	assert_diag_has(&l.diag, "[fingerprint] touch: set but [fingerprint] uart is not");
}

static void test_board_bad_values(void **state)
{
	struct loaded l = load("[board]\nname = my board\n[fingerprint]\nuart = ttyS0\n"
			       "baud = 56000\n[evdev]\ndevice = /dev/input/event 3\n");

	(void)state;
	assert_int_equal(l.r, -EINVAL);
	assert_diag_has(&l.diag, "x.conf:2: [board] name: not a board name");
	assert_diag_has(&l.diag, "x.conf:4: [fingerprint] uart: not an absolute device path");
	assert_diag_has(&l.diag, "x.conf:5: [fingerprint] baud: not a fingerprint module baud");
	assert_diag_has(&l.diag, "x.conf:7: [evdev] device: not an absolute device path");
	assert_int_equal(l.diag.n_errors, 4);
	l = load("[board]\nname = x\ndescription =;x\n");
	assert_diag_has(&l.diag, "x.conf:3: [board] description: ';' is not allowed");
}

static void test_board_name_required_and_bounded(void **state)
{
	char text[256];
	struct loaded l = load("[wiegand]\n");

	(void)state;
	assert_int_equal(l.r, -EINVAL);
	assert_diag_has(&l.diag, "x.conf: [board] name: required key missing");
	snprintf(text, sizeof(text), "[board]\nname = %040d\n", 1);
	l = load(text);
	assert_int_equal(l.r, -EINVAL);
	assert_diag_has(&l.diag, "x.conf:2: [board] name: longer than 31 characters");
}

static void test_board_baud_rates(void **state)
{
	static const char *const good[] = {"9600", "19200", "57600", "115200"};
	static const char *const bad[] = {"0", "9601", "124800", "-9600", "57600baud", ""};
	char text[128];

	(void)state;
	for (size_t i = 0; i < sizeof(good) / sizeof(good[0]); i++) {
		snprintf(text, sizeof(text), "[board]\nname = x\n[fingerprint]\nbaud = %s\n",
			 good[i]);
		assert_int_equal(load(text).r, 0);
	}
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		snprintf(text, sizeof(text), "[board]\nname = x\n[fingerprint]\nbaud = %s\n",
			 bad[i]);
		assert_int_equal(load(text).r, -EINVAL);
	}
}

static void test_board_print_reloads_identically(void **state)
{
	struct board a = load_file("boards/rpi4.conf");
	char out[4096] = "";
	struct loaded b;
	FILE *f;

	(void)state;
	f = fmemopen(out, sizeof(out), "w");
	board_print(f, &a);
	fclose(f);
	b = load(out);
	if (b.r != 0)
		fail_msg("%s\n%s", out, b.diag.text);
	assert_memory_equal(&a, &b.b, sizeof(a));
}

static void test_board_missing_file(void **state)
{
	struct cfg_diag diag = {.len = 0};
	struct board b;

	(void)state;
	assert_int_equal(board_load("/nonexistent/board.conf", &b, &diag), -ENOENT);
	assert_diag_has(&diag, "/nonexistent/board.conf: cannot open");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_board_load_rpi4),
	    cmocka_unit_test(test_board_load_rpi5_by_name),
	    cmocka_unit_test(test_board_load_orangepi_zero3),
	    cmocka_unit_test(test_board_load_sim),
	    cmocka_unit_test(test_board_minimal_file),
	    cmocka_unit_test(test_board_parse_line_forms),
	    cmocka_unit_test(test_board_parse_line_refusals),
	    cmocka_unit_test(test_board_format_line_round_trip),
	    cmocka_unit_test(test_board_errors_name_file_line_key),
	    cmocka_unit_test(test_board_d0_needs_d1),
	    cmocka_unit_test(test_board_d0_d1_same_backend),
	    cmocka_unit_test(test_board_line_used_twice),
	    cmocka_unit_test(test_board_touch_needs_uart),
	    cmocka_unit_test(test_board_bad_values),
	    cmocka_unit_test(test_board_name_required_and_bounded),
	    cmocka_unit_test(test_board_baud_rates),
	    cmocka_unit_test(test_board_print_reloads_identically),
	    cmocka_unit_test(test_board_missing_file),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
