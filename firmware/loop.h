/* SPDX-License-Identifier: MIT */
/*
 * The kiosk's event loop: epoll over file descriptors only (GPIO line
 * events, evdev, timerfds, signalfd, sockets), so an idle kiosk sleeps in
 * epoll_wait and uses no CPU. Single-threaded; handlers must not block.
 */
#ifndef HADIR_FIRMWARE_LOOP_H
#define HADIR_FIRMWARE_LOOP_H

#include <stdint.h>

#include "common/err.h"

struct loop;
struct loop_source;
struct loop_timer;

typedef void loop_fd_fn(void *user, int fd, uint32_t events);
typedef void loop_timer_fn(void *user);

int loop_new(struct loop **ret_loop) MUST_CHECK;
/* Frees the loop and every source and timer still registered (their fds are closed by their
 * owners). */
void loop_free(struct loop *loop);

/*
 * Watch fd for events (EPOLLIN…); fn runs when they occur. The returned
 * source is owned by the loop until loop_remove(). fd stays the caller's.
 */
int loop_add(struct loop *loop, int fd, uint32_t events, loop_fd_fn *fn, void *user,
	     struct loop_source **ret_source) MUST_CHECK;
/* Change the events watched for (e.g. add EPOLLOUT while output is pending). */
int loop_modify(struct loop *loop, struct loop_source *source, uint32_t events) MUST_CHECK;
/* Stop watching; safe from inside any handler, including the source's own. */
void loop_remove(struct loop *loop, struct loop_source *source);

/* A one-shot timer on CLOCK_MONOTONIC, backed by a timerfd. */
int loop_timer_new(struct loop *loop, loop_timer_fn *fn, void *user,
		   struct loop_timer **ret_timer) MUST_CHECK;
void loop_timer_free(struct loop *loop, struct loop_timer *timer);
/* Fire at an absolute CLOCK_MONOTONIC time in ns (now or past: at once). */
void loop_timer_at(struct loop_timer *timer, int64_t mono_ns);
/* Fire after ns nanoseconds. */
void loop_timer_in(struct loop_timer *timer, int64_t ns);
void loop_timer_stop(struct loop_timer *timer);

/* CLOCK_MONOTONIC in ns: the clock of GPIO event timestamps and of timers. */
int64_t loop_now_ns(void);

/* Run until loop_quit(); returns 0, or a negative errno if epoll fails. */
int loop_run(struct loop *loop) MUST_CHECK;
void loop_quit(struct loop *loop);

#endif
