/* SPDX-License-Identifier: MIT */
/*
 * The one GPIO interface: edge events with kernel timestamps from input lines,
 * and output lines to switch. Everything above it (Wiegand, fingerprint touch,
 * LEDs, buzzer, relay) goes through these few calls; below it sit two
 * backends, picked by the board file's chip name:
 *
 *   gpio_gpiod1.c  libgpiod 1.6 (Debian 12), the kernel's v1 character device
 *   gpio_sim.c     chip "sim": edges injected by the simulated reader, outputs
 *                  logged ("gpio: led_green on") instead of driven
 *
 * A libgpiod v2 backend is one more file with the gpio_hw_* entry points of
 * gpio_backend.h; nothing here changes.
 *
 * Polarity: events and values are logical. The kernel inverts a line the
 * board file marks active-low; the simulator reports edges as injected. For
 * Wiegand lines (idle high) "rising" is then the electrical rising edge; mark
 * them active-low only when the interface inverts them (an optocoupler, a
 * transistor level shifter).
 */
#ifndef HADIR_FIRMWARE_GPIO_H
#define HADIR_FIRMWARE_GPIO_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "common/err.h"

#define GPIO_IN_LINES_MAX  8   /* lines in one gpio_in */
#define GPIO_SIM_QUEUE_MAX 256 /* injected edges not yet read: two 64-bit Wiegand frames */

struct board_line;
struct gpio_in;
struct gpio_out;

struct gpio_event {
	unsigned index; /* position of the line in the array given to gpio_in_open */
	bool rising;
	int64_t ts_ns; /* CLOCK_MONOTONIC (kernel timestamp on Linux >= 5.7) */
};

/*
 * Request n input lines (1..GPIO_IN_LINES_MAX) for both-edge events, with the
 * bias and polarity each line's board entry asks for. All lines must be on
 * the same backend (all "sim" or none). consumer is the label the kernel
 * shows in gpioinfo. Logs what went wrong (missing chip or line, line busy,
 * permission) and returns a negative errno; on success the result must be
 * freed with gpio_in_free().
 */
int gpio_in_open(const struct board_line *const *lines, size_t n, const char *consumer,
		 struct gpio_in **ret_in) MUST_CHECK;

/* The fd to poll for POLLIN; valid for the object's lifetime, not to be closed. */
int gpio_in_fd(const struct gpio_in *in);

/*
 * Without blocking, store up to max events of all lines, oldest first, and
 * return their number (0 when there are none). The hardware queues only 16
 * events per line: call this whenever the fd is readable, and again at once
 * when it returned max. Negative errno when the device failed (-ENODEV: gone).
 */
int gpio_in_read(struct gpio_in *in, struct gpio_event *events, size_t max) MUST_CHECK;

void gpio_in_free(struct gpio_in *in);

/*
 * Request one output line, initially inactive (off). Errors as gpio_in_open.
 * The result must be freed with gpio_out_free(), which releases the line.
 */
int gpio_out_open(const struct board_line *line, const char *consumer,
		  struct gpio_out **ret_out) MUST_CHECK;

/* Switch the line active (LED on, relay pulled) or inactive; active-low is honoured. */
int gpio_out_set(struct gpio_out *out, bool active) MUST_CHECK;

void gpio_out_free(struct gpio_out *out);

/*
 * Simulated backend only: queue an edge on line index of a sim gpio_in, as if
 * the kernel had seen it at ts_ns, and make the fd readable. gpio_in_read
 * returns queued edges in the order they were injected. Returns -ENOBUFS when
 * GPIO_SIM_QUEUE_MAX edges wait unread, -EINVAL for a bad index or a hardware
 * gpio_in.
 */
int gpio_sim_inject(struct gpio_in *in, unsigned index, bool rising, int64_t ts_ns) MUST_CHECK;

#endif
