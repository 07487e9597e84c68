// SPDX-License-Identifier: MIT
/*
 * The evdev adapter: the only file that knows about input device ioctls. It
 * turns the kernel's errors into messages an installer can act on, and keeps
 * a small byte buffer so a read that ends inside a record (possible on a pipe,
 * never on a real device) loses nothing.
 */
#include "firmware/evdev.h"

#include <errno.h>
#include <fcntl.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <time.h>
#include <unistd.h>

#include "common/log.h"
#include "firmware/wedge.h"

#define EVDEV_BATCH 64 /* events per read(); a 10-digit card is 44 */

struct evdev {
	int fd;
	struct wedge wedge;
	size_t have; /* bytes in buf */
	size_t pos;  /* next unconsumed byte */
	unsigned char buf[EVDEV_BATCH * sizeof(struct input_event)];
};

static int evdev_new(int fd, int64_t idle_timeout_ns, struct evdev **ret_evdev)
{
	struct evdev *ev;

	ev = calloc(1, sizeof(*ev));
	if (!ev)
		return -ENOMEM;
	ev->fd = fd;
	wedge_init(&ev->wedge, idle_timeout_ns);
	*ret_evdev = ev;
	return 0;
}

int evdev_from_fd(int fd, int64_t idle_timeout_ns, struct evdev **ret_evdev)
{
	int flags, r;

	flags = fcntl(fd, F_GETFL);
	if (flags < 0 || fcntl(fd, F_SETFL, flags | O_NONBLOCK) < 0) {
		r = -errno;
		goto out_close;
	}
	r = evdev_new(fd, idle_timeout_ns, ret_evdev);
	if (r < 0)
		goto out_close;
	return 0;

out_close:
	close(fd);
	return r;
}

/* A wedge reader reports the keys it can type; a mouse or a reader's second node does not. */
static bool has_digit_keys(int fd)
{
	unsigned long keys[KEY_MAX / (8 * sizeof(unsigned long)) + 1];
	const unsigned needed[] = {KEY_1, KEY_0, KEY_ENTER};

	memset(keys, 0, sizeof(keys));
	if (ioctl(fd, EVIOCGBIT(EV_KEY, sizeof(keys)), keys) < 0)
		return false;
	for (size_t i = 0; i < ARRAY_SIZE(needed); i++) {
		unsigned long word = keys[needed[i] / (8 * sizeof(unsigned long))];

		if (!(word & (1UL << (needed[i] % (8 * sizeof(unsigned long))))))
			return false;
	}
	return true;
}

int evdev_open(const char *path, int64_t idle_timeout_ns, struct evdev **ret_evdev)
{
	int clock = CLOCK_MONOTONIC;
	int version;
	int fd, r;

	fd = open(path, O_RDONLY | O_NONBLOCK | O_CLOEXEC);
	if (fd < 0) {
		r = -errno;
		if (r == -ENOENT || r == -ENODEV || r == -ENXIO)
			log_err("evdev: open '%s': no such device (is the reader plugged in? "
				"see ls -l /dev/input/by-id/)",
				path);
		else if (r == -EACCES || r == -EPERM)
			log_err("evdev: open '%s': permission denied (needs root or the 'input' "
				"group)",
				path);
		else
			log_err("evdev: open '%s': %s", path, strerror(-r));
		return r == -ENODEV || r == -ENXIO ? -ENOENT : r == -EPERM ? -EACCES : r;
	}
	if (ioctl(fd, EVIOCGVERSION, &version) < 0) {
		log_err("evdev: '%s' is not an input event device (%s)", path, strerror(errno));
		r = -ENOTTY;
		goto out_close;
	}
	/* Key timestamps must share the clock of every other deadline in the loop. */
	if (ioctl(fd, EVIOCSCLOCKID, &clock) < 0) {
		r = -errno;
		log_err("evdev: '%s': cannot switch to monotonic timestamps: %s", path,
			strerror(-r));
		goto out_close;
	}
	if (!has_digit_keys(fd)) {
		log_err("evdev: '%s' has no digit and Enter keys: not a keyboard-wedge reader "
			"(a mouse, or the wrong event node of the reader?)",
			path);
		r = -ENOTTY;
		goto out_close;
	}
	if (ioctl(fd, EVIOCGRAB, 1) < 0) {
		r = -errno;
		if (r == -EBUSY)
			log_err("evdev: grab '%s': another process holds it (an X server or "
				"another kiosk?)",
				path);
		else
			log_err("evdev: grab '%s': %s", path, strerror(-r));
		goto out_close;
	}
	r = evdev_new(fd, idle_timeout_ns, ret_evdev);
	if (r < 0)
		goto out_close; /* closing releases the grab */
	return 0;

out_close:
	close(fd);
	return r;
}

void evdev_free(struct evdev *ev)
{
	if (!ev)
		return;
	close(ev->fd);
	free(ev);
}

int evdev_fd(const struct evdev *ev)
{
	return ev->fd;
}

static int64_t event_ns(const struct input_event *ie)
{
	int64_t sec = (int64_t)ie->input_event_sec;
	int64_t usec = (int64_t)ie->input_event_usec;
	int64_t ns;

	/* Real devices stamp sane times; a pipe's writer may not. Saturate. */
	if (__builtin_mul_overflow(sec, 1000000000, &ns) ||
	    __builtin_add_overflow(ns, usec % 1000000 * 1000, &ns))
		return sec < 0 ? INT64_MIN : INT64_MAX;
	return ns;
}

/* Feed buffered whole events to the decoder until one completes a number. */
static int consume(struct evdev *ev, char *ret_digits, size_t cap)
{
	struct input_event ie;

	while (ev->have - ev->pos >= sizeof(ie)) {
		int r;

		memcpy(&ie, ev->buf + ev->pos, sizeof(ie));
		ev->pos += sizeof(ie);
		if (ie.type != EV_KEY)
			continue;
		r = wedge_key(&ev->wedge, ie.code, ie.value, event_ns(&ie), ret_digits, cap);
		if (r != 0)
			return r;
	}
	return 0;
}

int evdev_read(struct evdev *ev, char *ret_digits, size_t cap)
{
	for (;;) {
		ssize_t n;
		int r;

		r = consume(ev, ret_digits, cap);
		if (r != 0)
			return r;
		/* Keep a partial record at the front and read after it. */
		memmove(ev->buf, ev->buf + ev->pos, ev->have - ev->pos);
		ev->have -= ev->pos;
		ev->pos = 0;
		n = read(ev->fd, ev->buf + ev->have, sizeof(ev->buf) - ev->have);
		if (n < 0) {
			if (errno == EINTR)
				continue;
			if (errno == EAGAIN)
				return 0;
			return -errno;
		}
		if (n == 0)
			return -ENODEV; /* the writer went away */
		ev->have += (size_t)n;
	}
}

int64_t evdev_deadline(const struct evdev *ev)
{
	return wedge_deadline(&ev->wedge);
}

void evdev_poll(struct evdev *ev, int64_t now_ns)
{
	wedge_poll(&ev->wedge, now_ns);
}

static void put_event(struct input_event *out, int64_t ts_ns, unsigned type, unsigned code,
		      int value)
{
	memset(out, 0, sizeof(*out));
	out->input_event_sec = ts_ns / 1000000000;
	out->input_event_usec = ts_ns % 1000000000 / 1000;
	out->type = (uint16_t)type;
	out->code = (uint16_t)code;
	out->value = value;
}

size_t evdev_encode_digits(const char *digits, int64_t start_ns, int64_t interval_ns,
			   struct input_event *out, size_t max)
{
	size_t n = strspn(digits, "0123456789");
	size_t count = 0;

	if (n == 0 || digits[n] != '\0' || n + 1 > max / 4 || start_ns < 0 || interval_ns < 0 ||
	    interval_ns > (INT64_MAX - start_ns) / (int64_t)(n + 1))
		return 0;
	for (size_t i = 0; i <= n; i++) {
		int64_t ts = start_ns + (int64_t)i * interval_ns;
		unsigned code = i == n		   ? KEY_ENTER
				: digits[i] == '0' ? KEY_0
						   : KEY_1 + (unsigned)(digits[i] - '1');

		put_event(&out[count++], ts, EV_KEY, code, 1);
		put_event(&out[count++], ts, EV_SYN, SYN_REPORT, 0);
		put_event(&out[count++], ts + interval_ns / 2, EV_KEY, code, 0);
		put_event(&out[count++], ts + interval_ns / 2, EV_SYN, SYN_REPORT, 0);
	}
	return count;
}
