// SPDX-License-Identifier: MIT
/*
 * The hardware GPIO backend on libgpiod 1.6 (Debian 12), i.e. the kernel's
 * v1 character device. The only file that includes gpiod.h.
 *
 * v1 gives every requested line its own event fd with a queue of 16 events,
 * and a 26-bit Wiegand frame is up to 52 edges in 50 ms, so one epoll fd
 * watches all line fds (the event loop polls just that), the line fds are
 * non-blocking, and a read drains every line with
 * gpiod_line_event_read_multiple, then merges the lines by timestamp. Edges
 * arriving on one line while another is being drained can still come a batch
 * late; the Wiegand decoder orders bits by timestamp for that reason.
 *
 * Linux before 5.7 stamps v1 events with CLOCK_REALTIME, not CLOCK_MONOTONIC
 * (vendor 5.4 kernels still ship on some boards). Every other deadline in the
 * kiosk is monotonic, so such stamps are moved onto the monotonic clock here.
 *
 * Events are read as the kernel's own records (struct gpioevent_data: a u64
 * nanosecond stamp, the same 16 bytes for 32- and 64-bit ARM processes), not
 * through gpiod_line_event_read_multiple: its struct gpiod_line_event holds a
 * struct timespec, whose size on 32-bit armhf depends on _TIME_BITS. Debian
 * 12's armhf libgpiod is built with 32-bit time_t and the kiosk with 64-bit
 * (so that it lives past 2038), and the two layouts would not agree.
 */
#include "firmware/gpio.h"

#include <errno.h>
#include <fcntl.h>
#include <gpiod.h>
#include <linux/gpio.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <time.h>
#include <unistd.h>

#include "common/log.h"
#include "firmware/board.h"
#include "firmware/gpio_backend.h"

#define KERNEL_QUEUE 16					    /* v1 events per line */
#define PENDING_MAX  (GPIO_IN_LINES_MAX * KERNEL_QUEUE * 2) /* one read's worth, merged */

struct hw_line {
	struct gpiod_chip *chip; /* owns the line; closing it releases the request */
	struct gpiod_line *line;
	int event_fd; /* owned by the line's request; -1 for outputs */
	char label[96];
};

struct hw_in {
	struct gpio_in base;
	int epfd;
	size_t n_lines;
	struct hw_line lines[GPIO_IN_LINES_MAX];
	size_t pend_pos, pend_n; /* merged events not yet handed out */
	struct gpio_event pend[PENDING_MAX];
};

struct hw_out {
	struct gpio_out base;
	struct hw_line line;
};

static int errno_or(int fallback)
{
	return errno > 0 ? -errno : fallback;
}

/* Open the chip and find the line a board entry names. Logs why not. */
static int hw_line_find(const struct board_line *bl, struct hw_line *hl)
{
	int r;

	gpio_line_label(bl, hl->label, sizeof(hl->label));
	hl->event_fd = -1;
	errno = 0;
	if (bl->chip[0] == '\0') {
		hl->line = gpiod_line_find(bl->name);
		if (!hl->line) {
			r = errno_or(-ENOENT);
			if (r == -ENOENT)
				log_err("gpio: %s: no GPIO line named '%s' on any chip "
					"(see gpioinfo)",
					hl->label, bl->name);
			else
				log_err("gpio: %s: looking up line '%s': %s", hl->label, bl->name,
					strerror(-r));
			return r;
		}
		hl->chip = gpiod_line_get_chip(hl->line);
		return 0;
	}

	hl->chip = gpiod_chip_open_lookup(bl->chip);
	if (!hl->chip) {
		r = errno_or(-ENOENT);
		if (r == -ENOENT || r == -ENODEV)
			log_err("gpio: %s: no GPIO chip '%s' (see gpiodetect; is the board file "
				"right for this board and kernel?)",
				hl->label, bl->chip);
		else if (r == -EACCES || r == -EPERM)
			log_err("gpio: %s: permission denied opening chip '%s' (needs root, or the "
				"gpio group and a udev rule for /dev/gpiochip*)",
				hl->label, bl->chip);
		else
			log_err("gpio: %s: opening chip '%s': %s", hl->label, bl->chip,
				strerror(-r));
		return r == -ENODEV ? -ENOENT : r;
	}
	if (bl->offset >= 0)
		hl->line = gpiod_chip_get_line(hl->chip, (unsigned)bl->offset);
	else
		hl->line = gpiod_chip_find_line(hl->chip, bl->name);
	if (!hl->line) {
		r = errno_or(-ENOENT);
		if (bl->offset >= 0)
			log_err("gpio: %s: chip '%s' has no line %d (it has %u)", hl->label,
				bl->chip, bl->offset, gpiod_chip_num_lines(hl->chip));
		else
			log_err("gpio: %s: chip '%s' has no line named '%s'", hl->label, bl->chip,
				bl->name);
		gpiod_chip_close(hl->chip);
		hl->chip = NULL;
		return r == -EINVAL ? -ENOENT : r;
	}
	return 0;
}

static void hw_line_close(struct hw_line *hl)
{
	if (hl->chip)
		gpiod_chip_close(hl->chip);
	hl->chip = NULL;
	hl->line = NULL;
}

static int request_flags(const struct board_line *bl)
{
	int flags = bl->active_low ? GPIOD_LINE_REQUEST_FLAG_ACTIVE_LOW : 0;

	switch (bl->bias) {
	case BOARD_BIAS_DISABLE:
		return flags | GPIOD_LINE_REQUEST_FLAG_BIAS_DISABLE;
	case BOARD_BIAS_PULL_UP:
		return flags | GPIOD_LINE_REQUEST_FLAG_BIAS_PULL_UP;
	case BOARD_BIAS_PULL_DOWN:
		return flags | GPIOD_LINE_REQUEST_FLAG_BIAS_PULL_DOWN;
	default:
		return flags;
	}
}

/* After a failed request: say why in terms an installer can act on. */
static int request_failed(struct hw_line *hl, const struct board_line *bl)
{
	int r = errno_or(-EIO);

	if (r == -EBUSY) {
		const char *holder = NULL;

		if (gpiod_line_update(hl->line) == 0)
			holder = gpiod_line_consumer(hl->line);
		log_err("gpio: %s: line busy, used by '%s' (another program, or a kernel driver "
			"such as a device-tree overlay)",
			hl->label, holder ? holder : "?");
	} else if (r == -EACCES || r == -EPERM) {
		log_err("gpio: %s: permission denied (needs root, or the gpio group and a udev "
			"rule for /dev/gpiochip*)",
			hl->label);
	} else if (r == -EINVAL && bl->bias != BOARD_BIAS_AS_IS) {
		log_err("gpio: %s: kernel refused the request; bias flags need Linux 5.5 or "
			"later and a driver that supports them",
			hl->label);
	} else {
		log_err("gpio: %s: request failed: %s", hl->label, strerror(-r));
	}
	return r;
}

static int64_t clock_ns(clockid_t id)
{
	struct timespec ts;

	(void)clock_gettime(id, &ts);
	return (int64_t)ts.tv_sec * 1000000000 + ts.tv_nsec;
}

static int64_t distance(int64_t a, int64_t b)
{
	int64_t d;

	if (__builtin_sub_overflow(a, b, &d) || d == INT64_MIN)
		return INT64_MAX;
	return d < 0 ? -d : d;
}

/*
 * An event is read within moments of happening, so its stamp lies near "now"
 * on the clock that made it. When that is the realtime clock, shift it by the
 * clocks' current difference.
 */
static int64_t to_monotonic(int64_t ts, int64_t mono_now, int64_t real_now)
{
	if (distance(ts, real_now) < distance(ts, mono_now))
		return ts - (real_now - mono_now);
	return ts;
}

static int hw_in_fd(const struct gpio_in *in)
{
	return ((const struct hw_in *)in)->epfd;
}

/*
 * Read up to KERNEL_QUEUE events of one line into pend. Returns how many, 0
 * when none are queued, or a negative errno.
 */
static int hw_line_drain(struct hw_in *h, size_t i, int64_t mono_now, int64_t real_now)
{
	struct gpioevent_data buf[KERNEL_QUEUE];
	ssize_t n;

	n = read(h->lines[i].event_fd, buf, sizeof(buf));
	if (n < 0)
		return errno == EAGAIN || errno == EINTR ? 0 : -errno;
	if (n % (ssize_t)sizeof(buf[0]) != 0)
		return -EIO; /* the kernel only hands out whole records */
	n /= (ssize_t)sizeof(buf[0]);
	for (ssize_t k = 0; k < n; k++) {
		h->pend[h->pend_n++] = (struct gpio_event){
		    .index = (unsigned)i,
		    .rising = buf[k].id == GPIOEVENT_EVENT_RISING_EDGE,
		    .ts_ns = to_monotonic((int64_t)buf[k].timestamp, mono_now, real_now),
		};
	}
	return (int)n;
}

/* Drain every line into pend, then order pend by time (stable: equal times keep line order). */
static int hw_in_fill(struct hw_in *h)
{
	int64_t mono_now = clock_ns(CLOCK_MONOTONIC);
	int64_t real_now = clock_ns(CLOCK_REALTIME);

	h->pend_pos = 0;
	h->pend_n = 0;
	for (size_t i = 0; i < h->n_lines; i++) {
		while (PENDING_MAX - h->pend_n >= KERNEL_QUEUE) {
			int n = hw_line_drain(h, i, mono_now, real_now);

			if (n < 0)
				return n;
			if (n < KERNEL_QUEUE)
				break;
		}
	}
	for (size_t i = 1; i < h->pend_n; i++) {
		struct gpio_event e = h->pend[i];
		size_t j = i;

		while (j > 0 && h->pend[j - 1].ts_ns > e.ts_ns) {
			h->pend[j] = h->pend[j - 1];
			j--;
		}
		h->pend[j] = e;
	}
	return 0;
}

static int hw_in_read(struct gpio_in *in, struct gpio_event *events, size_t max)
{
	struct hw_in *h = (struct hw_in *)in;
	size_t n = 0;
	int r;

	if (h->pend_pos == h->pend_n) {
		r = hw_in_fill(h);
		if (r < 0)
			return r;
	}
	while (n < max && h->pend_pos < h->pend_n)
		events[n++] = h->pend[h->pend_pos++];
	return (int)n;
}

static void hw_in_free(struct gpio_in *in)
{
	struct hw_in *h = (struct hw_in *)in;

	for (size_t i = 0; i < h->n_lines; i++)
		hw_line_close(&h->lines[i]);
	if (h->epfd >= 0)
		close(h->epfd);
	free(h);
}

static const struct gpio_in_ops hw_in_ops = {
    .fd = hw_in_fd,
    .read = hw_in_read,
    .free = hw_in_free,
};

static int hw_in_add(struct hw_in *h, const struct board_line *bl, const char *consumer)
{
	struct hw_line *hl = &h->lines[h->n_lines];
	struct gpiod_line_request_config config = {
	    .consumer = consumer,
	    .request_type = GPIOD_LINE_REQUEST_EVENT_BOTH_EDGES,
	    .flags = request_flags(bl),
	};
	struct epoll_event ev = {.events = EPOLLIN};
	int fd, flags, r;

	r = hw_line_find(bl, hl);
	if (r < 0)
		return r;
	h->n_lines++; /* from here hw_in_free closes it */
	if (gpiod_line_request(hl->line, &config, 0) < 0)
		return request_failed(hl, bl);
	fd = gpiod_line_event_get_fd(hl->line);
	if (fd < 0)
		return errno_or(-EIO);
	hl->event_fd = fd;
	flags = fcntl(fd, F_GETFL);
	if (flags < 0 || fcntl(fd, F_SETFL, flags | O_NONBLOCK) < 0)
		return -errno;
	ev.data.u32 = (uint32_t)(h->n_lines - 1);
	if (epoll_ctl(h->epfd, EPOLL_CTL_ADD, fd, &ev) < 0)
		return -errno;
	return 0;
}

int gpio_hw_in_open(const struct board_line *const *lines, size_t n, const char *consumer,
		    struct gpio_in **ret_in)
{
	struct hw_in *h;
	int r;

	h = calloc(1, sizeof(*h));
	if (!h)
		return -ENOMEM;
	h->base.ops = &hw_in_ops;
	h->epfd = epoll_create1(EPOLL_CLOEXEC);
	if (h->epfd < 0) {
		r = -errno;
		goto out_free;
	}
	for (size_t i = 0; i < n; i++) {
		r = hw_in_add(h, lines[i], consumer);
		if (r < 0)
			goto out_free;
	}
	*ret_in = (struct gpio_in *)h; /* base is the first member */
	return 0;

out_free:
	hw_in_free(&h->base);
	return r;
}

static int hw_out_set(struct gpio_out *out, bool active)
{
	struct hw_out *h = (struct hw_out *)out;

	if (gpiod_line_set_value(h->line.line, active ? 1 : 0) < 0) {
		int r = errno_or(-EIO);

		log_err("gpio: %s: set %s: %s", h->line.label, active ? "on" : "off", strerror(-r));
		return r;
	}
	return 0;
}

static void hw_out_free(struct gpio_out *out)
{
	struct hw_out *h = (struct hw_out *)out;

	hw_line_close(&h->line);
	free(h);
}

static const struct gpio_out_ops hw_out_ops = {
    .set = hw_out_set,
    .free = hw_out_free,
};

int gpio_hw_out_open(const struct board_line *line, const char *consumer, struct gpio_out **ret_out)
{
	struct hw_out *h;
	int r;

	h = calloc(1, sizeof(*h));
	if (!h)
		return -ENOMEM;
	h->base.ops = &hw_out_ops;
	r = hw_line_find(line, &h->line);
	if (r < 0)
		goto out_free;
	/* Start inactive: a kiosk that restarts must not leave the door relay pulled. */
	if (gpiod_line_request_output_flags(h->line.line, consumer, request_flags(line), 0) < 0) {
		r = request_failed(&h->line, line);
		goto out_free;
	}
	*ret_out = (struct gpio_out *)h; /* base is the first member */
	return 0;

out_free:
	hw_out_free(&h->base);
	return r;
}
