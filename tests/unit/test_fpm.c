// SPDX-License-Identifier: MIT
/*
 * The fingerprint driver's state machines against the module emulator over a
 * real pseudo-terminal, in a real event loop: reset, identify (match, no
 * match, no finger), garbage, bad checksums and a hung module, enrolment,
 * delete, template upload and download, the touch line, a missing device.
 */
#include <errno.h>
#include <fcntl.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <termios.h>
#include <unistd.h>

#include <cmocka.h>

#include "firmware/board.h"
#include "firmware/fpm.h"
#include "firmware/fpm_emu.h"
#include "firmware/fpm_proto.h"
#include "firmware/gpio.h"
#include "firmware/loop.h"

struct t {
	struct loop *loop;
	struct loop_timer *guard;
	struct fpm_emu *emu;
	struct fpm *fpm;
	bool has_result, guard_fired;
	struct fpm_result res;
	uint8_t tmpl[FPM_TEMPLATE_MAX];
	size_t tmpl_len;
	char status[FPM_STATUS_MAX];
	const char *want_status; /* quit when the status starts with this */
	int prompts;
};

static const struct fpm_config test_cfg = {
    .baud = 57600,
    .address = FPM_ADDRESS_DEFAULT,
    .password = 0,
    .timeout_ms = 150,
    .enroll_wait_ms = 2000,
    .poll_ms = 5,
    .reset_min_ms = 20,
    .reset_max_ms = 200,
};

static void on_guard(void *user)
{
	struct t *t = user;

	t->guard_fired = true;
	loop_quit(t->loop);
}

static void on_status(void *user, const char *status)
{
	struct t *t = user;

	snprintf(t->status, sizeof(t->status), "%s", status);
	if (t->want_status && strncmp(status, t->want_status, strlen(t->want_status)) == 0)
		loop_quit(t->loop);
}

static void on_done(void *user, const struct fpm_result *res)
{
	struct t *t = user;

	t->has_result = true;
	t->res = *res;
	t->res.template_data = NULL;
	if (res->template_len) {
		assert_true(res->template_len <= sizeof(t->tmpl));
		memcpy(t->tmpl, res->template_data, res->template_len);
		t->tmpl_len = res->template_len;
	}
	loop_quit(t->loop);
}

static void on_prompt(void *user, enum fpm_prompt p)
{
	struct t *t = user;

	(void)p;
	t->prompts++;
}

/* Run the loop until quit, at most ms. */
static void run(struct t *t, int64_t ms)
{
	t->guard_fired = false;
	loop_timer_in(t->guard, ms * 1000000);
	assert_int_equal(loop_run(t->loop), 0);
	loop_timer_stop(t->guard);
}

static void wait_status(struct t *t, const char *prefix)
{
	t->want_status = prefix;
	if (strncmp(t->status, prefix, strlen(prefix)) != 0)
		run(t, 3000);
	t->want_status = NULL;
	assert_string_equal(t->status, t->status); /* keep it printable in failures */
	assert_int_equal(strncmp(t->status, prefix, strlen(prefix)), 0);
}

/* Wait for the operation's result. */
static const struct fpm_result *result(struct t *t)
{
	if (!t->has_result)
		run(t, 3000);
	assert_true(t->has_result);
	t->has_result = false;
	return &t->res;
}

static int setup(void **state)
{
	struct fpm_config cfg = test_cfg;
	struct t *t = calloc(1, sizeof(*t));

	assert_non_null(t);
	assert_int_equal(loop_new(&t->loop), 0);
	assert_int_equal(loop_timer_new(t->loop, on_guard, t, &t->guard), 0);
	assert_int_equal(fpm_emu_new(t->loop, &t->emu), 0);
	cfg.device = fpm_emu_path(t->emu);
	assert_int_equal(fpm_new(t->loop, &cfg, on_status, t, &t->fpm), 0);
	wait_status(t, "ok");
	assert_string_equal(t->status, "ok, 100 of 1000 pages used");
	*state = t;
	return 0;
}

static int teardown(void **state)
{
	struct t *t = *state;

	fpm_free(t->fpm);
	fpm_emu_free(t->emu);
	loop_timer_free(t->loop, t->guard);
	loop_free(t->loop);
	free(t);
	return 0;
}

static const struct fpm_result *identify(struct t *t, int finger)
{
	if (finger != -1)
		fpm_emu_place(t->emu, finger, 1);
	assert_int_equal(fpm_identify(t->fpm, on_done, t), 0);
	return result(t);
}

static void test_fpm_identify_match(void **state)
{
	struct t *t = *state;
	const struct fpm_result *r = identify(t, 7);

	assert_int_equal(r->op, FPM_OP_IDENTIFY);
	assert_int_equal(r->outcome, FPM_DONE);
	assert_int_equal(r->page, 7);
	assert_true(r->score > 0);
	assert_true(fpm_is_idle(t->fpm));
}

static void test_fpm_identify_no_match_and_no_finger(void **state)
{
	struct t *t = *state;

	assert_int_equal(identify(t, 500)->outcome, FPM_NO_MATCH);
	assert_int_equal(identify(t, -1)->outcome, FPM_NO_FINGER);
	fpm_emu_fault(t->emu, FPM_EMU_NOFINGER);
	assert_int_equal(identify(t, 7)->outcome, FPM_NO_FINGER);
	assert_string_equal(t->res.reason, "no-finger");
}

static void test_fpm_busy(void **state)
{
	struct t *t = *state;

	fpm_emu_place(t->emu, 3, 1);
	assert_int_equal(fpm_identify(t->fpm, on_done, t), 0);
	assert_false(fpm_is_idle(t->fpm));
	assert_int_equal(fpm_identify(t->fpm, on_done, t), -EBUSY);
	assert_int_equal(fpm_delete(t->fpm, 3, on_done, t), -EBUSY);
	assert_int_equal(result(t)->page, 3);
	assert_int_equal(fpm_delete(t->fpm, 1000, on_done, t), -EINVAL);
}

static void test_fpm_garbage_resync(void **state)
{
	struct t *t = *state;

	fpm_emu_fault(t->emu, FPM_EMU_GARBAGE);
	assert_int_equal(identify(t, 9)->outcome, FPM_DONE);
	assert_int_equal(t->res.page, 9);
}

static void test_fpm_bad_checksum_resets(void **state)
{
	struct t *t = *state;

	fpm_emu_fault(t->emu, FPM_EMU_BADSUM);
	assert_int_equal(identify(t, 9)->outcome, FPM_FAILED);
	assert_string_equal(t->res.reason, "bad-reply");
	assert_false(fpm_is_idle(t->fpm));
	wait_status(t, "ok");
	assert_int_equal(identify(t, 9)->outcome, FPM_DONE);
}

static void test_fpm_hang_then_recover(void **state)
{
	struct t *t = *state;

	fpm_emu_fault(t->emu, FPM_EMU_HANG);
	assert_int_equal(identify(t, 9)->outcome, FPM_FAILED);
	assert_string_equal(t->res.reason, "timeout");
	wait_status(t, "not answering");
	assert_int_equal(fpm_identify(t->fpm, on_done, t), -EBUSY);
	fpm_emu_recover(t->emu);
	wait_status(t, "ok");
	assert_int_equal(identify(t, 9)->outcome, FPM_DONE);
}

static void test_fpm_enroll_identify_delete(void **state)
{
	struct t *t = *state;
	const struct fpm_result *r;

	fpm_emu_place(t->emu, FPM_EMU_FRESH, 2);
	assert_int_equal(fpm_enroll(t->fpm, on_prompt, on_done, t), 0);
	r = result(t);
	assert_int_equal(r->outcome, FPM_DONE);
	assert_int_equal(r->page, FPM_EMU_SEEDED); /* the first free page */
	assert_int_equal(t->prompts, 3);	   /* place, lift, place again */
	assert_int_equal(fpm_emu_page(t->emu, FPM_EMU_SEEDED), FPM_EMU_SEEDED);

	assert_int_equal(identify(t, FPM_EMU_SEEDED)->outcome, FPM_DONE);
	assert_int_equal(t->res.page, FPM_EMU_SEEDED);

	assert_int_equal(fpm_delete(t->fpm, FPM_EMU_SEEDED, on_done, t), 0);
	assert_int_equal(result(t)->outcome, FPM_DONE);
	assert_int_equal(fpm_emu_page(t->emu, FPM_EMU_SEEDED), -1);
	assert_int_equal(identify(t, FPM_EMU_SEEDED)->outcome, FPM_NO_MATCH);
}

static void test_fpm_enroll_without_finger(void **state)
{
	struct t *t = *state;
	struct fpm_config cfg = test_cfg;

	/* A short wait: nobody puts a finger on the sensor. */
	fpm_free(t->fpm);
	cfg.device = fpm_emu_path(t->emu);
	cfg.enroll_wait_ms = 50;
	t->status[0] = '\0';
	assert_int_equal(fpm_new(t->loop, &cfg, on_status, t, &t->fpm), 0);
	wait_status(t, "ok");
	assert_int_equal(fpm_enroll(t->fpm, on_prompt, on_done, t), 0);
	assert_int_equal(result(t)->outcome, FPM_NO_FINGER);
	assert_string_equal(t->res.reason, "no-finger-in-time");
	assert_true(fpm_is_idle(t->fpm));
}

static void test_fpm_upload_download(void **state)
{
	struct t *t = *state;
	uint8_t saved[FPM_TEMPLATE_MAX];
	size_t len;

	assert_int_equal(fpm_upload(t->fpm, 5, on_done, t), 0);
	assert_int_equal(result(t)->outcome, FPM_DONE);
	assert_int_equal(t->tmpl_len, FPM_EMU_TEMPLATE_LEN);
	assert_int_equal(fpm_be32(t->tmpl), 5);
	len = t->tmpl_len;
	memcpy(saved, t->tmpl, len);

	assert_int_equal(fpm_download(t->fpm, 300, saved, len, on_done, t), 0);
	assert_int_equal(result(t)->outcome, FPM_DONE);
	assert_int_equal(fpm_emu_page(t->emu, 300), 5);
	/* Finger 5 now matches page 5 and, once that is gone, page 300. */
	assert_int_equal(fpm_delete(t->fpm, 5, on_done, t), 0);
	assert_int_equal(result(t)->outcome, FPM_DONE);
	assert_int_equal(identify(t, 5)->page, 300);

	/* An empty page cannot be uploaded: the module's own error code. */
	assert_int_equal(fpm_upload(t->fpm, 999, on_done, t), 0);
	assert_int_equal(result(t)->outcome, FPM_REFUSED);
	assert_string_equal(t->res.reason, "template-read-error");
	assert_int_equal(fpm_download(t->fpm, 1, saved, 0, on_done, t), -EINVAL);
	assert_int_equal(fpm_download(t->fpm, 1, saved, FPM_TEMPLATE_MAX + 1, on_done, t), -EINVAL);
}

static void test_fpm_download_to_free_page(void **state)
{
	struct t *t = *state;
	uint8_t saved[FPM_TEMPLATE_MAX];
	size_t len;

	assert_int_equal(fpm_upload(t->fpm, 7, on_done, t), 0);
	assert_int_equal(result(t)->outcome, FPM_DONE);
	len = t->tmpl_len;
	memcpy(saved, t->tmpl, len);

	/* Pages 0..99 are seeded: the template goes to the first free page, 100. */
	assert_int_equal(fpm_download(t->fpm, FPM_PAGE_FREE, saved, len, on_done, t), 0);
	assert_int_equal(result(t)->outcome, FPM_DONE);
	assert_int_equal(t->res.page, 100);
	assert_int_equal(fpm_emu_page(t->emu, 100), 7);
	assert_int_equal(fpm_download(t->fpm, FPM_PAGE_FREE, saved, len, on_done, t), 0);
	assert_int_equal(result(t)->outcome, FPM_DONE);
	assert_int_equal(t->res.page, 101);

	/* A damaged template is no finger: the module refuses to store it. */
	saved[200] ^= 0x01;
	assert_int_equal(fpm_download(t->fpm, FPM_PAGE_FREE, saved, len, on_done, t), 0);
	assert_int_equal(result(t)->outcome, FPM_REFUSED);
	assert_int_equal(fpm_emu_page(t->emu, 102), -1);
	assert_int_equal(fpm_download(t->fpm, FPM_PAGE_FREE, saved, 100, on_done, t), 0);
	assert_int_equal(result(t)->outcome, FPM_REFUSED);
	assert_true(fpm_is_idle(t->fpm));
}

static void test_fpm_touch_line(void **state)
{
	struct t *t = *state;
	struct board_line touch;
	char why[64];

	assert_int_equal(board_parse_line("sim:6", &touch, why, sizeof(why)), 0);
	assert_int_equal(fpm_watch_touch(t->fpm, &touch, on_done, t), 0);
	fpm_emu_place(t->emu, 42, 1);
	assert_int_equal(gpio_sim_inject(fpm_touch_in(t->fpm), 0, true, loop_now_ns()), 0);
	assert_int_equal(result(t)->outcome, FPM_DONE);
	assert_int_equal(t->res.page, 42);
	/* A falling edge (finger lifted) starts nothing. */
	assert_int_equal(gpio_sim_inject(fpm_touch_in(t->fpm), 0, false, loop_now_ns()), 0);
	run(t, 100);
	assert_true(t->guard_fired);
	assert_false(t->has_result);
}

static void test_fpm_missing_device(void **state)
{
	struct fpm_config cfg = test_cfg;
	struct t t = {.status = ""};
	struct fpm *f;

	(void)state;
	cfg.device = "/nonexistent/ttyFPM";
	assert_int_equal(loop_new(&t.loop), 0);
	assert_int_equal(loop_timer_new(t.loop, on_guard, &t, &t.guard), 0);
	assert_int_equal(fpm_new(t.loop, &cfg, on_status, &t, &f), 0);
	assert_string_equal(fpm_status(f), "absent: No such file or directory");
	assert_int_equal(fpm_identify(f, on_done, &t), -EBUSY);
	run(&t, 100); /* retries quietly */
	assert_false(fpm_is_idle(f));
	cfg.baud = 12345;
	assert_int_equal(fpm_new(t.loop, &cfg, NULL, NULL, &f), -EINVAL);
	fpm_free(f);
	loop_timer_free(t.loop, t.guard);
	loop_free(t.loop);
}

/* --- a scripted module: the test reads the driver's bytes and writes the replies --- */

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

/* The driver must write exactly these bytes next. */
static void expect_wire(struct t *t, int master, const char *want)
{
	uint8_t w[64], got[64];
	size_t n = hex(want, w, sizeof(w)), len = 0;

	for (int i = 0; i < 100 && len < n; i++) {
		ssize_t r = read(master, got + len, sizeof(got) - len);

		if (r > 0)
			len += (size_t)r;
		else
			run(t, 5);
	}
	assert_int_equal(len, n);
	assert_memory_equal(got, w, n);
}

static void say(int master, const char *bytes)
{
	uint8_t b[128];
	size_t n = hex(bytes, b, sizeof(b));

	assert_int_equal(write(master, b, n), (ssize_t)n);
}

static void test_fpm_scripted_module(void **state)
{
	struct fpm_config cfg = test_cfg;
	struct t t = {.status = ""};
	struct termios tio;
	char path[64];
	int master, keeper;

	(void)state;
	master = posix_openpt(O_RDWR | O_NOCTTY | O_NONBLOCK);
	assert_true(master >= 0);
	assert_int_equal(grantpt(master), 0);
	assert_int_equal(unlockpt(master), 0);
	assert_int_equal(ptsname_r(master, path, sizeof(path)), 0);
	keeper = open(path, O_RDWR | O_NOCTTY | O_NONBLOCK);
	assert_true(keeper >= 0);
	assert_int_equal(tcgetattr(keeper, &tio), 0);
	cfmakeraw(&tio);
	assert_int_equal(tcsetattr(keeper, TCSANOW, &tio), 0);
	assert_int_equal(loop_new(&t.loop), 0);
	assert_int_equal(loop_timer_new(t.loop, on_guard, &t, &t.guard), 0);
	cfg.device = path;
	assert_int_equal(fpm_new(t.loop, &cfg, on_status, &t, &t.fpm), 0);

	/* Reset: the spec's VerifyPwd bytes; a reply from another address is not ours. */
	expect_wire(&t, master, "EF 01 FF FF FF FF 01 00 07 13 00 00 00 00 00 1B");
	say(master, "EF 01 12 34 56 78 07 00 03 13 00 1D "  /* wrong address, wrong password */
		    "00 EF 55 "				    /* line noise */
		    "EF 01 FF FF FF FF 07 00 03 00 00 0A"); /* OK */
	expect_wire(&t, master, "EF 01 FF FF FF FF 01 00 03 0F 00 13");
	/* ReadSysPara's answer in two pieces: 1000 pages, 128-byte packets, 57600 baud. */
	say(master, "EF 01 FF FF FF FF 07 00 13 00 00 04 00 09 03 E8");
	run(&t, 5);
	say(master, "00 03 FF FF FF FF 00 02 00 06 05 19");
	expect_wire(&t, master, "EF 01 FF FF FF FF 01 00 03 1D 00 21");
	say(master, "EF 01 FF FF FF FF 07 00 05 00 00 03 00 0F");
	wait_status(&t, "ok");
	assert_string_equal(t.status, "ok, 3 of 1000 pages used");

	/* Identify: every command byte-exact as in hardware.md, the spec's Search reply. */
	assert_int_equal(fpm_identify(t.fpm, on_done, &t), 0);
	expect_wire(&t, master, "EF 01 FF FF FF FF 01 00 03 01 00 05");
	say(master, "EF 01 FF FF FF FF 07 00 03 00 00 0A");
	expect_wire(&t, master, "EF 01 FF FF FF FF 01 00 04 02 01 00 08");
	say(master, "EF 01 FF FF FF FF 07 00 03 00 00 0A");
	expect_wire(&t, master, "EF 01 FF FF FF FF 01 00 08 04 01 00 00 03 E8 00 F9");
	say(master, "EF 01 FF FF FF FF 07 00 07 00 00 05 00 64 00 77");
	assert_int_equal(result(&t)->outcome, FPM_DONE);
	assert_int_equal(t.res.page, 5);
	assert_int_equal(t.res.score, 100);

	/* A data packet where an acknowledgement is due, then silence: timeout, reset. */
	assert_int_equal(fpm_identify(t.fpm, on_done, &t), 0);
	expect_wire(&t, master, "EF 01 FF FF FF FF 01 00 03 01 00 05");
	say(master, "EF 01 FF FF FF FF 02 00 03 00 00 05");
	assert_int_equal(result(&t)->outcome, FPM_FAILED);
	assert_string_equal(t.res.reason, "timeout");
	expect_wire(&t, master, "EF 01 FF FF FF FF 01 00 07 13 00 00 00 00 00 1B");
	say(master, "EF 01 FF FF FF FF 07 00 03 13 00 1D"); /* wrong password */
	wait_status(&t, "wrong password");

	fpm_free(t.fpm);
	loop_timer_free(t.loop, t.guard);
	loop_free(t.loop);
	close(keeper);
	close(master);
}

#define T(f) cmocka_unit_test_setup_teardown(f, setup, teardown)

int main(void)
{
	const struct CMUnitTest tests[] = {
	    T(test_fpm_identify_match),
	    T(test_fpm_identify_no_match_and_no_finger),
	    T(test_fpm_busy),
	    T(test_fpm_garbage_resync),
	    T(test_fpm_bad_checksum_resets),
	    T(test_fpm_hang_then_recover),
	    T(test_fpm_enroll_identify_delete),
	    T(test_fpm_enroll_without_finger),
	    T(test_fpm_upload_download),
	    T(test_fpm_download_to_free_page),
	    T(test_fpm_touch_line),
	    cmocka_unit_test(test_fpm_missing_device),
	    cmocka_unit_test(test_fpm_scripted_module),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
