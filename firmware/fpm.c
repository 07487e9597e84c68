// SPDX-License-Identifier: MIT
/*
 * Fingerprint module driver. One timer does three jobs, one at a time: the
 * deadline of the acknowledgement awaited, the pause between GenImg polls
 * while enrolling, and the delay before the next reset attempt. Every
 * operation is a step number advanced by the acknowledgement of the command
 * the step sent.
 */
#include "firmware/fpm.h"

#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <termios.h>
#include <unistd.h>

#include "common/log.h"
#include "firmware/fpm_proto.h"
#include "firmware/gpio.h"
#include "firmware/loop.h"

#define FPM_READ_CHUNK	512
#define FPM_TOUCH_BATCH 16

enum wait {
	WAIT_NONE,
	WAIT_REPLY, /* an acknowledgement (or upload data) is due by the timer */
	WAIT_POLL,  /* enrolment: poll GenImg again when the timer fires */
	WAIT_RESET, /* re-open and reset the module when the timer fires */
};

enum step {
	S_VERIFY,
	S_SYS_PARA,
	S_COUNT,
	S_GEN_IMG,
	S_TZ1,
	S_SEARCH,
	S_INDEX,
	S_CAPTURE1,
	S_LIFT,
	S_CAPTURE2,
	S_TZ2,
	S_REG,
	S_STORE,
	S_DELETE,
	S_LOAD,
	S_UP_CHAR,
	S_UP_DATA,
	S_DOWN_CHAR,
};

struct fpm {
	struct loop *loop;
	struct fpm_config cfg;
	char device[128];
	int fd; /* -1 while closed */
	struct loop_source *source;
	struct loop_timer *timer;
	enum wait wait;
	struct fpm_parser parser;
	bool saw_bad_packet; /* since the last command: tells "bad-reply" from "timeout" */

	bool is_ready; /* the last reset succeeded and nothing failed since */
	int64_t reset_delay_ms;
	uint16_t library_size;
	char status[FPM_STATUS_MAX];
	fpm_status_fn *status_fn;
	void *status_user;

	enum fpm_op op;
	enum step step;
	fpm_done_fn *done;
	void *user;
	fpm_prompt_fn *prompt;
	int64_t wait_until_ns; /* enrolment: give up waiting for the finger then */
	uint8_t table;	       /* enrolment: index table being read */
	uint16_t page;
	uint8_t tmpl[FPM_TEMPLATE_MAX];
	size_t tmpl_len;

	struct gpio_in *touch;
	struct loop_source *touch_source;
	fpm_done_fn *touch_done;
	void *touch_user;
};

static void start_reset(struct fpm *f);

static void set_status(struct fpm *f, const char *fmt, ...) PRINTF_LIKE(2, 3);

static void set_status(struct fpm *f, const char *fmt, ...)
{
	char s[FPM_STATUS_MAX];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(s, sizeof(s), fmt, ap);
	va_end(ap);
	if (strcmp(s, f->status) == 0)
		return;
	memcpy(f->status, s, sizeof(s));
	if (f->status_fn)
		f->status_fn(f->status_user, f->status);
}

const char *fpm_status(const struct fpm *f)
{
	return f->status;
}

bool fpm_is_idle(const struct fpm *f)
{
	return f->is_ready && f->op == FPM_OP_NONE;
}

struct gpio_in *fpm_touch_in(struct fpm *f)
{
	return f->touch;
}

const char *fpm_outcome_name(enum fpm_outcome outcome)
{
	static const char *const names[] = {
	    [FPM_DONE] = "done",       [FPM_NO_MATCH] = "no-match", [FPM_NO_FINGER] = "no-finger",
	    [FPM_REFUSED] = "refused", [FPM_FAILED] = "failed",	    [FPM_BUSY] = "busy",
	    [FPM_FULL] = "full",
	};

	return (unsigned)outcome < ARRAY_SIZE(names) ? names[outcome] : "?";
}

/* --- the device --- */

static speed_t speed_of(unsigned baud)
{
	switch (baud) {
	case 9600:
		return B9600;
	case 19200:
		return B19200;
	case 38400:
		return B38400;
	case 57600:
		return B57600;
	case 115200:
		return B115200;
	default:
		return B0;
	}
}

/* Raw 8N1 at the configured speed, no flow control, reads never wait. */
static int configure_tty(int fd, unsigned baud)
{
	struct termios tio;
	speed_t speed = speed_of(baud);

	if (speed == B0)
		return -EINVAL;
	if (tcgetattr(fd, &tio) < 0)
		return -errno;
	cfmakeraw(&tio);
	tio.c_cflag &= ~(tcflag_t)(CSTOPB | PARENB | CRTSCTS | CSIZE);
	tio.c_cflag |= CS8 | CLOCAL | CREAD;
	tio.c_cc[VMIN] = 0;
	tio.c_cc[VTIME] = 0;
	if (cfsetispeed(&tio, speed) < 0 || cfsetospeed(&tio, speed) < 0)
		return -errno;
	if (tcsetattr(fd, TCSANOW, &tio) < 0)
		return -errno;
	/* Whatever the module said before (a half packet of a hang) is stale. */
	(void)tcflush(fd, TCIOFLUSH);
	return 0;
}

static void close_device(struct fpm *f)
{
	if (f->fd < 0)
		return;
	loop_remove(f->loop, f->source);
	f->source = NULL;
	close(f->fd);
	f->fd = -1;
	fpm_parser_reset(&f->parser);
}

static void on_readable(void *user, int fd, uint32_t events);

static int open_device(struct fpm *f)
{
	int r;

	f->fd = open(f->device, O_RDWR | O_NOCTTY | O_NONBLOCK | O_CLOEXEC);
	if (f->fd < 0)
		return -errno;
	r = configure_tty(f->fd, f->cfg.baud);
	if (r == 0)
		r = loop_add(f->loop, f->fd, EPOLLIN, on_readable, f, &f->source);
	if (r < 0) {
		close(f->fd);
		f->fd = -1;
	}
	return r;
}

/* Send a command and wait for its acknowledgement; a failed write fails at the deadline. */
static void send_frame(struct fpm *f, const struct fpm_frame *frame, enum step step)
{
	ssize_t n = f->fd >= 0 ? write(f->fd, frame->bytes, frame->len) : -1;

	f->step = step;
	f->wait = WAIT_REPLY;
	f->saw_bad_packet = false;
	if (n != (ssize_t)frame->len) {
		log_debug("fpm: write to '%s' failed", f->device);
		loop_timer_in(f->timer, 0);
		return;
	}
	loop_timer_in(f->timer, f->cfg.timeout_ms * 1000000);
}

/* --- ending operations --- */

static void finish(struct fpm *f, enum fpm_outcome outcome, const char *reason)
{
	struct fpm_result res = {
	    .op = f->op,
	    .outcome = outcome,
	    .reason = reason,
	    .page = f->page,
	};
	fpm_done_fn *done = f->done;
	void *user = f->user;

	if (f->op == FPM_OP_UPLOAD && outcome == FPM_DONE) {
		res.template_data = f->tmpl;
		res.template_len = f->tmpl_len;
	}
	f->op = FPM_OP_NONE;
	f->done = NULL;
	f->prompt = NULL;
	f->wait = WAIT_NONE;
	loop_timer_stop(f->timer);
	if (done)
		done(user, &res);
}

static void refused(struct fpm *f, uint8_t code)
{
	finish(f, FPM_REFUSED, fpm_code_name(code));
}

/* A reset failed: close, say why, and try again later (backing off). */
static void reset_failed(struct fpm *f, const char *status, const char *reason)
{
	f->op = FPM_OP_NONE;
	f->done = NULL;
	close_device(f);
	set_status(f, "%s", status);
	log_warn("fpm: module on '%s' %s (%s), retrying in %lld ms", f->device, status, reason,
		 (long long)f->reset_delay_ms);
	f->wait = WAIT_RESET;
	loop_timer_in(f->timer, f->reset_delay_ms * 1000000);
	f->reset_delay_ms *= 2;
	if (f->reset_delay_ms > f->cfg.reset_max_ms)
		f->reset_delay_ms = f->cfg.reset_max_ms;
}

/* The module stopped answering: fail what runs, and reset. */
static void module_failed(struct fpm *f, const char *reason)
{
	struct fpm_result res = {.op = f->op, .outcome = FPM_FAILED, .reason = reason};
	enum fpm_op op = f->op;
	fpm_done_fn *done;
	void *user;

	f->is_ready = false;
	if (op == FPM_OP_RESET) {
		reset_failed(f, "not answering", reason);
		return;
	}
	log_warn("fpm: module on '%s' failed (%s), resetting", f->device, reason);
	/* Fail the operation after the reset began, so done sees the driver busy. */
	done = f->done;
	user = f->user;
	f->op = FPM_OP_NONE;
	f->done = NULL;
	f->prompt = NULL;
	start_reset(f);
	if (done && op != FPM_OP_NONE)
		done(user, &res);
}

/* --- reset --- */

static void start_reset(struct fpm *f)
{
	struct fpm_frame fr;
	int r;

	close_device(f);
	f->is_ready = false;
	r = open_device(f);
	if (r < 0) {
		set_status(f, "absent: %s", strerror(-r));
		log_warn("fpm: cannot open '%s': %s, retrying in %lld ms", f->device, strerror(-r),
			 (long long)f->reset_delay_ms);
		f->op = FPM_OP_NONE;
		f->wait = WAIT_RESET;
		loop_timer_in(f->timer, f->reset_delay_ms * 1000000);
		f->reset_delay_ms = f->reset_delay_ms * 2 > f->cfg.reset_max_ms
					? f->cfg.reset_max_ms
					: f->reset_delay_ms * 2;
		return;
	}
	if (strcmp(f->status, "not answering") != 0)
		set_status(f, "resetting");
	f->op = FPM_OP_RESET;
	fpm_cmd_verify_pwd(f->cfg.address, f->cfg.password, &fr);
	send_frame(f, &fr, S_VERIFY);
}

static void step_reset(struct fpm *f, const struct fpm_ack *ack)
{
	struct fpm_sys_para sp;
	struct fpm_frame fr;
	uint16_t count;

	switch (f->step) {
	case S_VERIFY:
		if (ack->code != FPM_OK) {
			/* A wrong password will not fix itself quickly: retry slowly. */
			f->reset_delay_ms = f->cfg.reset_max_ms;
			reset_failed(f, "wrong password", fpm_code_name(ack->code));
			return;
		}
		fpm_cmd_read_sys_para(f->cfg.address, &fr);
		send_frame(f, &fr, S_SYS_PARA);
		return;
	case S_SYS_PARA:
		if (ack->code != FPM_OK || fpm_ack_sys_para(ack, &sp) < 0 || sp.library_size == 0) {
			module_failed(f, "bad system parameters");
			return;
		}
		f->library_size = sp.library_size;
		fpm_cmd_template_num(f->cfg.address, &fr);
		send_frame(f, &fr, S_COUNT);
		return;
	case S_COUNT:
		if (ack->code != FPM_OK || fpm_ack_template_num(ack, &count) < 0)
			count = 0;
		f->is_ready = true;
		f->reset_delay_ms = f->cfg.reset_min_ms;
		log_info("fpm: module on '%s' ready: %u of %u pages used", f->device, count,
			 f->library_size);
		set_status(f, "ok, %u of %u pages used", count, f->library_size);
		finish(f, FPM_DONE, "ok");
		return;
	default:
		module_failed(f, "unexpected step");
		return;
	}
}

/* --- identify --- */

static void step_identify(struct fpm *f, const struct fpm_ack *ack)
{
	struct fpm_result res = {.op = FPM_OP_IDENTIFY, .outcome = FPM_DONE, .reason = "match"};
	struct fpm_frame fr;
	fpm_done_fn *done;
	void *user;

	switch (f->step) {
	case S_GEN_IMG:
		if (ack->code == FPM_OK) {
			fpm_cmd_img2tz(f->cfg.address, 1, &fr);
			send_frame(f, &fr, S_TZ1);
		} else if (ack->code == FPM_E_NO_FINGER || ack->code == FPM_E_CAPTURE) {
			finish(f, FPM_NO_FINGER, fpm_code_name(ack->code));
		} else {
			refused(f, ack->code);
		}
		return;
	case S_TZ1:
		if (ack->code == FPM_OK) {
			fpm_cmd_search(f->cfg.address, 1, 0, f->library_size, &fr);
			send_frame(f, &fr, S_SEARCH);
		} else if (ack->code == FPM_E_DISORDERLY || ack->code == FPM_E_FEW_FEATURES ||
			   ack->code == FPM_E_NO_IMAGE) {
			finish(f, FPM_NO_FINGER, fpm_code_name(ack->code));
		} else {
			refused(f, ack->code);
		}
		return;
	case S_SEARCH:
		if (ack->code == FPM_E_NOT_FOUND || ack->code == FPM_E_NO_MATCH) {
			finish(f, FPM_NO_MATCH, "no-match");
			return;
		}
		if (ack->code != FPM_OK) {
			refused(f, ack->code);
			return;
		}
		if (fpm_ack_search(ack, &res.page, &res.score) < 0) {
			finish(f, FPM_REFUSED, "short-reply");
			return;
		}
		done = f->done;
		user = f->user;
		f->op = FPM_OP_NONE;
		f->done = NULL;
		f->wait = WAIT_NONE;
		loop_timer_stop(f->timer);
		if (done)
			done(user, &res);
		return;
	default:
		module_failed(f, "unexpected step");
		return;
	}
}

/* --- enroll --- */

static void poll_finger(struct fpm *f, enum step step)
{
	f->step = step;
	if (loop_now_ns() > f->wait_until_ns) {
		finish(f, FPM_NO_FINGER, "no-finger-in-time");
		return;
	}
	f->wait = WAIT_POLL;
	loop_timer_in(f->timer, f->cfg.poll_ms * 1000000);
}

static void prompt(struct fpm *f, enum fpm_prompt p)
{
	f->wait_until_ns = loop_now_ns() + f->cfg.enroll_wait_ms * 1000000;
	if (f->prompt)
		f->prompt(f->user, p);
}

/* The first free page in an index table, or -1. */
static int free_page(const uint8_t bits[FPM_INDEX_BYTES], unsigned table, unsigned library_size)
{
	for (unsigned i = 0; i < 256; i++) {
		unsigned page = table * 256 + i;

		if (page >= library_size)
			return -1;
		if (!(bits[i / 8] & (1u << (i % 8))))
			return (int)page;
	}
	return -1;
}

/* Ask for index table n (enrolment, and a download to a free page). */
static void read_index(struct fpm *f, uint8_t n)
{
	struct fpm_frame fr;

	f->table = n;
	fpm_cmd_read_index_table(f->cfg.address, n, &fr);
	send_frame(f, &fr, S_INDEX);
}

/*
 * An index table arrived: true with f->page set to the first free page;
 * false when the next table was asked for or the operation finished
 * (refused, or FPM_FULL).
 */
static bool found_free_page(struct fpm *f, const struct fpm_ack *ack)
{
	uint8_t bits[FPM_INDEX_BYTES];
	int page;

	if (ack->code != FPM_OK || fpm_ack_index_table(ack, bits) < 0) {
		refused(f, ack->code);
		return false;
	}
	page = free_page(bits, f->table, f->library_size);
	if (page >= 0) {
		f->page = (uint16_t)page;
		return true;
	}
	if ((unsigned)(f->table + 1) * 256 >= f->library_size || f->table == 3)
		finish(f, FPM_FULL, "no-free-page");
	else
		read_index(f, (uint8_t)(f->table + 1));
	return false;
}

static void step_enroll(struct fpm *f, const struct fpm_ack *ack)
{
	struct fpm_frame fr;

	switch (f->step) {
	case S_INDEX:
		if (!found_free_page(f, ack))
			return;
		prompt(f, FPM_PROMPT_PLACE);
		fpm_cmd_gen_img(f->cfg.address, &fr);
		send_frame(f, &fr, S_CAPTURE1);
		return;
	case S_CAPTURE1:
	case S_CAPTURE2:
		if (ack->code != FPM_OK) {
			poll_finger(f, f->step);
			return;
		}
		fpm_cmd_img2tz(f->cfg.address, f->step == S_CAPTURE1 ? 1 : 2, &fr);
		send_frame(f, &fr, f->step == S_CAPTURE1 ? S_TZ1 : S_TZ2);
		return;
	case S_TZ1:
		if (ack->code != FPM_OK) {
			finish(f, FPM_NO_FINGER, fpm_code_name(ack->code));
			return;
		}
		prompt(f, FPM_PROMPT_LIFT);
		fpm_cmd_gen_img(f->cfg.address, &fr);
		send_frame(f, &fr, S_LIFT);
		return;
	case S_LIFT:
		if (ack->code != FPM_E_NO_FINGER) {
			poll_finger(f, S_LIFT);
			return;
		}
		prompt(f, FPM_PROMPT_PLACE_AGAIN);
		fpm_cmd_gen_img(f->cfg.address, &fr);
		send_frame(f, &fr, S_CAPTURE2);
		return;
	case S_TZ2:
		if (ack->code != FPM_OK) {
			finish(f, FPM_NO_FINGER, fpm_code_name(ack->code));
			return;
		}
		fpm_cmd_reg_model(f->cfg.address, &fr);
		send_frame(f, &fr, S_REG);
		return;
	case S_REG:
		if (ack->code != FPM_OK) {
			refused(f, ack->code); /* merge-failed: two different fingers */
			return;
		}
		fpm_cmd_store(f->cfg.address, 1, f->page, &fr);
		send_frame(f, &fr, S_STORE);
		return;
	case S_STORE:
		if (ack->code != FPM_OK)
			refused(f, ack->code);
		else
			finish(f, FPM_DONE, "stored");
		return;
	default:
		module_failed(f, "unexpected step");
		return;
	}
}

/* --- delete, upload, download --- */

static void send_template(struct fpm *f)
{
	struct fpm_frame fr;

	for (size_t off = 0; off < f->tmpl_len; off += FPM_CHUNK) {
		size_t n = f->tmpl_len - off < FPM_CHUNK ? f->tmpl_len - off : FPM_CHUNK;
		uint8_t pid = off + n >= f->tmpl_len ? FPM_PID_END : FPM_PID_DATA;

		if (fpm_encode(f->cfg.address, pid, f->tmpl + off, n, &fr) < 0 || f->fd < 0 ||
		    write(f->fd, fr.bytes, fr.len) != (ssize_t)fr.len) {
			module_failed(f, "write-failed");
			return;
		}
	}
	fpm_cmd_store(f->cfg.address, 1, f->page, &fr);
	send_frame(f, &fr, S_STORE);
}

static void step_other(struct fpm *f, const struct fpm_ack *ack)
{
	struct fpm_frame fr;

	if (ack->code != FPM_OK) {
		refused(f, ack->code);
		return;
	}
	switch (f->step) {
	case S_INDEX:
		if (!found_free_page(f, ack))
			return;
		fpm_cmd_down_char(f->cfg.address, 1, &fr);
		send_frame(f, &fr, S_DOWN_CHAR);
		return;
	case S_DELETE:
		finish(f, FPM_DONE, "deleted");
		return;
	case S_LOAD:
		fpm_cmd_up_char(f->cfg.address, 1, &fr);
		send_frame(f, &fr, S_UP_CHAR);
		return;
	case S_UP_CHAR:
		/* Data packets follow, each within the command deadline of the one before. */
		f->tmpl_len = 0;
		f->step = S_UP_DATA;
		f->wait = WAIT_REPLY;
		loop_timer_in(f->timer, f->cfg.timeout_ms * 1000000);
		return;
	case S_DOWN_CHAR:
		send_template(f);
		return;
	case S_STORE:
		finish(f, FPM_DONE, "stored");
		return;
	default:
		module_failed(f, "unexpected step");
		return;
	}
}

static void on_data(struct fpm *f, const struct fpm_packet *pkt)
{
	if (f->tmpl_len + pkt->len > sizeof(f->tmpl)) {
		finish(f, FPM_REFUSED, "template-too-long");
		return;
	}
	memcpy(f->tmpl + f->tmpl_len, pkt->data, pkt->len);
	f->tmpl_len += pkt->len;
	if (pkt->pid == FPM_PID_END)
		finish(f, FPM_DONE, "uploaded");
	else
		loop_timer_in(f->timer, f->cfg.timeout_ms * 1000000);
}

/* --- input --- */

static void on_packet(struct fpm *f, const struct fpm_packet *pkt)
{
	struct fpm_ack ack;

	if (pkt->address != f->cfg.address || f->wait != WAIT_REPLY) {
		log_debug("fpm: unexpected packet (pid %u), ignoring", pkt->pid);
		return;
	}
	if (f->op == FPM_OP_UPLOAD && f->step == S_UP_DATA) {
		if (pkt->pid == FPM_PID_DATA || pkt->pid == FPM_PID_END)
			on_data(f, pkt);
		else
			finish(f, FPM_REFUSED, "unexpected-packet");
		return;
	}
	if (fpm_decode_ack(pkt, &ack) < 0) {
		log_debug("fpm: packet pid %u where an acknowledgement was due, ignoring",
			  pkt->pid);
		return;
	}
	f->wait = WAIT_NONE;
	loop_timer_stop(f->timer);
	switch (f->op) {
	case FPM_OP_RESET:
		step_reset(f, &ack);
		break;
	case FPM_OP_IDENTIFY:
		step_identify(f, &ack);
		break;
	case FPM_OP_ENROLL:
		step_enroll(f, &ack);
		break;
	case FPM_OP_DELETE:
	case FPM_OP_UPLOAD:
	case FPM_OP_DOWNLOAD:
		step_other(f, &ack);
		break;
	case FPM_OP_NONE:
		break;
	}
}

static void on_readable(void *user, int fd, uint32_t events)
{
	struct fpm *f = user;
	uint8_t chunk[FPM_READ_CHUNK];
	struct fpm_packet pkt;
	ssize_t n = 0;

	(void)events;
	while (f->fd == fd && (n = read(fd, chunk, sizeof(chunk))) > 0) {
		size_t off = 0;

		while (off < (size_t)n && f->fd == fd) {
			int r;

			off += fpm_parser_feed(&f->parser, chunk + off, (size_t)n - off);
			while (f->fd == fd && (r = fpm_parser_next(&f->parser, &pkt)) != 0) {
				if (r < 0) {
					f->saw_bad_packet = true;
					log_debug("fpm: bad packet from the module (%s), ignoring",
						  strerror(-r));
					continue;
				}
				on_packet(f, &pkt);
			}
		}
	}
	if (f->fd == fd && n < 0 && errno != EAGAIN && errno != EINTR)
		module_failed(f, "read-failed");
}

static void on_timer(void *user)
{
	struct fpm *f = user;
	struct fpm_frame fr;
	enum wait w = f->wait;

	f->wait = WAIT_NONE;
	switch (w) {
	case WAIT_REPLY:
		module_failed(f, f->saw_bad_packet ? "bad-reply" : "timeout");
		return;
	case WAIT_POLL:
		fpm_cmd_gen_img(f->cfg.address, &fr);
		send_frame(f, &fr, f->step);
		return;
	case WAIT_RESET:
		start_reset(f);
		return;
	case WAIT_NONE:
		return;
	}
}

/* --- touch line --- */

static void on_touch(void *user, int fd, uint32_t events)
{
	struct gpio_event ev[FPM_TOUCH_BATCH];
	struct fpm *f = user;
	bool touched = false;
	int n;

	(void)fd;
	(void)events;
	while ((n = gpio_in_read(f->touch, ev, ARRAY_SIZE(ev))) > 0)
		for (int i = 0; i < n; i++)
			touched |= ev[i].rising;
	if (n < 0)
		log_err("fpm: reading the touch line failed: %s", strerror(-n));
	if (!touched)
		return;
	if (f->op != FPM_OP_NONE && f->op != FPM_OP_RESET) {
		log_debug("fpm: touch during another operation, ignoring");
		return;
	}
	if (!f->is_ready) {
		struct fpm_result res = {
		    .op = FPM_OP_IDENTIFY, .outcome = FPM_BUSY, .reason = "not-ready"};

		if (f->touch_done)
			f->touch_done(f->touch_user, &res);
		return;
	}
	if (fpm_identify(f, f->touch_done, f->touch_user) < 0)
		log_debug("fpm: touch ignored: module busy");
}

int fpm_watch_touch(struct fpm *f, const struct board_line *touch, fpm_done_fn *done, void *user)
{
	const struct board_line *lines[1] = {touch};
	int r;

	r = gpio_in_open(lines, 1, "hadir-fpm-touch", &f->touch);
	if (r < 0)
		return r;
	f->touch_done = done;
	f->touch_user = user;
	return loop_add(f->loop, gpio_in_fd(f->touch), EPOLLIN, on_touch, f, &f->touch_source);
}

/* --- operations --- */

static int begin(struct fpm *f, enum fpm_op op, fpm_done_fn *done, void *user)
{
	if (!fpm_is_idle(f))
		return -EBUSY;
	f->op = op;
	f->done = done;
	f->user = user;
	f->prompt = NULL;
	f->page = 0;
	return 0;
}

int fpm_identify(struct fpm *f, fpm_done_fn *done, void *user)
{
	struct fpm_frame fr;
	int r = begin(f, FPM_OP_IDENTIFY, done, user);

	if (r < 0)
		return r;
	fpm_cmd_gen_img(f->cfg.address, &fr);
	send_frame(f, &fr, S_GEN_IMG);
	return 0;
}

int fpm_enroll(struct fpm *f, fpm_prompt_fn *prompt_fn, fpm_done_fn *done, void *user)
{
	int r = begin(f, FPM_OP_ENROLL, done, user);

	if (r < 0)
		return r;
	f->prompt = prompt_fn;
	read_index(f, 0);
	return 0;
}

int fpm_delete(struct fpm *f, uint16_t page, fpm_done_fn *done, void *user)
{
	struct fpm_frame fr;
	int r;

	if (f->is_ready && page >= f->library_size)
		return -EINVAL;
	r = begin(f, FPM_OP_DELETE, done, user);
	if (r < 0)
		return r;
	f->page = page;
	fpm_cmd_delete_char(f->cfg.address, page, 1, &fr);
	send_frame(f, &fr, S_DELETE);
	return 0;
}

int fpm_upload(struct fpm *f, uint16_t page, fpm_done_fn *done, void *user)
{
	struct fpm_frame fr;
	int r;

	if (f->is_ready && page >= f->library_size)
		return -EINVAL;
	r = begin(f, FPM_OP_UPLOAD, done, user);
	if (r < 0)
		return r;
	f->page = page;
	f->tmpl_len = 0;
	fpm_cmd_load_char(f->cfg.address, 1, page, &fr);
	send_frame(f, &fr, S_LOAD);
	return 0;
}

int fpm_download(struct fpm *f, uint16_t page, const uint8_t *data, size_t len, fpm_done_fn *done,
		 void *user)
{
	struct fpm_frame fr;
	int r;

	if (len == 0 || len > FPM_TEMPLATE_MAX ||
	    (f->is_ready && page != FPM_PAGE_FREE && page >= f->library_size))
		return -EINVAL;
	r = begin(f, FPM_OP_DOWNLOAD, done, user);
	if (r < 0)
		return r;
	f->page = page;
	memcpy(f->tmpl, data, len);
	f->tmpl_len = len;
	if (page == FPM_PAGE_FREE) {
		read_index(f, 0);
		return 0;
	}
	fpm_cmd_down_char(f->cfg.address, 1, &fr);
	send_frame(f, &fr, S_DOWN_CHAR);
	return 0;
}

/* --- lifecycle --- */

int fpm_new(struct loop *loop, const struct fpm_config *cfg, fpm_status_fn *status_fn, void *user,
	    struct fpm **ret_fpm)
{
	struct fpm *f;
	int r;

	if (speed_of(cfg->baud) == B0 || strlen(cfg->device) >= sizeof(f->device) ||
	    cfg->timeout_ms <= 0 || cfg->reset_min_ms <= 0 || cfg->reset_max_ms < cfg->reset_min_ms)
		return -EINVAL;
	f = calloc(1, sizeof(*f));
	if (!f)
		return -ENOMEM;
	f->loop = loop;
	f->cfg = *cfg;
	snprintf(f->device, sizeof(f->device), "%s", cfg->device);
	f->cfg.device = f->device;
	f->fd = -1;
	f->reset_delay_ms = cfg->reset_min_ms;
	f->library_size = 0;
	f->status_fn = status_fn;
	f->status_user = user;
	fpm_parser_init(&f->parser);
	r = loop_timer_new(loop, on_timer, f, &f->timer);
	if (r < 0) {
		free(f);
		return r;
	}
	start_reset(f);
	*ret_fpm = f;
	return 0;
}

void fpm_free(struct fpm *f)
{
	if (!f)
		return;
	if (f->touch_source)
		loop_remove(f->loop, f->touch_source);
	gpio_in_free(f->touch);
	close_device(f);
	loop_timer_free(f->loop, f->timer);
	free(f);
}
