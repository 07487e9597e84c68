/* SPDX-License-Identifier: MIT */
/*
 * Keyboard-wedge card readers through the Linux input (evdev) interface.
 *
 * Opens the reader's event device without blocking, grabs it (EVIOCGRAB) so
 * its keystrokes never reach a console or a login prompt, asks for
 * CLOCK_MONOTONIC timestamps, and drains struct input_event records into the
 * wedge decoder. The event loop polls evdev_fd() for POLLIN and arms a timer
 * at evdev_deadline() for the half-typed-number timeout.
 *
 * Needs root or the 'input' group. Use a stable path such as
 * /dev/input/by-id/usb-...-event-kbd: event numbers change between boots.
 */
#ifndef HADIR_FIRMWARE_EVDEV_H
#define HADIR_FIRMWARE_EVDEV_H

#include <linux/input.h>
#include <stddef.h>
#include <stdint.h>

#include "common/err.h"

struct evdev;

/*
 * Open and grab the input device at path. Logs what went wrong and returns
 * -ENOENT (no such device), -EACCES (permission: root or the 'input' group),
 * -ENOTTY (not an input event device, or one without digit and Enter keys)
 * or -EBUSY (another process grabbed it).
 * The result must be freed with evdev_free(), which also releases the grab.
 */
int evdev_open(const char *path, int64_t idle_timeout_ns, struct evdev **ret_evdev) MUST_CHECK;

/*
 * Wrap an fd that delivers struct input_event records (a pipe from the
 * simulated reader, a test's socketpair). Takes ownership of fd, also on
 * failure; sets O_NONBLOCK. No grab, no clock change: the writer stamps events.
 */
int evdev_from_fd(int fd, int64_t idle_timeout_ns, struct evdev **ret_evdev) MUST_CHECK;

void evdev_free(struct evdev *ev);

/* The fd to poll for POLLIN; valid for the object's lifetime, not to be closed. */
int evdev_fd(const struct evdev *ev);

/*
 * Read what is available without blocking. Returns 1 when a number was
 * completed (NUL-terminated in ret_digits, cap bytes); call again, more may be
 * buffered. Returns 0 when everything available has been consumed. Per-number
 * errors, after which the caller just calls again: -E2BIG (too long, or longer
 * than cap - 1) and -EBADMSG (a non-digit key inside the number). Anything
 * else is the device's: -ENODEV when it was unplugged (free and reopen).
 */
int evdev_read(struct evdev *ev, char *ret_digits, size_t cap) MUST_CHECK;

/* Deadline of a half-typed number (CLOCK_MONOTONIC ns), or -1; see wedge_deadline(). */
int64_t evdev_deadline(const struct evdev *ev);
void evdev_poll(struct evdev *ev, int64_t now_ns);

/*
 * The events a wedge reader sends when it types digits and Enter: press, sync,
 * release, sync for each key, one key every interval_ns from start_ns. For the
 * simulated reader, which writes them into the fd given to evdev_from_fd().
 * Returns the number of events, or 0 when digits holds other than '0'-'9',
 * is empty, or the events do not fit in max.
 */
size_t evdev_encode_digits(const char *digits, int64_t start_ns, int64_t interval_ns,
			   struct input_event *out, size_t max);

#endif
