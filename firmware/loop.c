// SPDX-License-Identifier: MIT
/*
 * epoll loop with deferred release: a source removed while events for it
 * are still in the current batch is only marked dead and freed after the
 * batch, so no handler ever runs on freed memory.
 */
#include "firmware/loop.h"

#include <errno.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/timerfd.h>
#include <time.h>
#include <unistd.h>

#define LOOP_BATCH 32

struct loop_source {
	int fd;
	loop_fd_fn *fn;
	void *user;
	bool dead;
	struct loop_source *next; /* all sources, for loop_free and deferred release */
};

struct loop_timer {
	struct loop *loop;
	struct loop_source *source;
	int fd;
	loop_timer_fn *fn;
	void *user;
};

struct loop {
	int epfd;
	bool quit;
	struct loop_source *sources;
};

int loop_new(struct loop **ret_loop)
{
	struct loop *loop = calloc(1, sizeof(*loop));

	if (!loop)
		return -ENOMEM;
	loop->epfd = epoll_create1(EPOLL_CLOEXEC);
	if (loop->epfd < 0) {
		int r = -errno;

		free(loop);
		return r;
	}
	*ret_loop = loop;
	return 0;
}

void loop_free(struct loop *loop)
{
	struct loop_source *s, *next;

	if (!loop)
		return;
	for (s = loop->sources; s; s = next) {
		next = s->next;
		free(s);
	}
	close(loop->epfd);
	free(loop);
}

int loop_add(struct loop *loop, int fd, uint32_t events, loop_fd_fn *fn, void *user,
	     struct loop_source **ret_source)
{
	struct epoll_event ev = {.events = events};
	struct loop_source *s = calloc(1, sizeof(*s));

	if (!s)
		return -ENOMEM;
	s->fd = fd;
	s->fn = fn;
	s->user = user;
	ev.data.ptr = s;
	if (epoll_ctl(loop->epfd, EPOLL_CTL_ADD, fd, &ev) < 0) {
		int r = -errno;

		free(s);
		return r;
	}
	s->next = loop->sources;
	loop->sources = s;
	if (ret_source)
		*ret_source = s;
	return 0;
}

int loop_modify(struct loop *loop, struct loop_source *source, uint32_t events)
{
	struct epoll_event ev = {.events = events, .data.ptr = source};

	return epoll_ctl(loop->epfd, EPOLL_CTL_MOD, source->fd, &ev) < 0 ? -errno : 0;
}

void loop_remove(struct loop *loop, struct loop_source *source)
{
	if (!source || source->dead)
		return;
	/* Only fails if fd was already closed, which removed it from the set anyway. */
	(void)epoll_ctl(loop->epfd, EPOLL_CTL_DEL, source->fd, NULL);
	source->dead = true;
}

static void release_dead(struct loop *loop)
{
	struct loop_source **p = &loop->sources;

	while (*p) {
		struct loop_source *s = *p;

		if (s->dead) {
			*p = s->next;
			free(s);
		} else {
			p = &s->next;
		}
	}
}

int64_t loop_now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000000000 + ts.tv_nsec;
}

static void timer_ready(void *user, int fd, uint32_t events)
{
	struct loop_timer *t = user;
	uint64_t expirations;

	(void)events;
	/* Drained so the fd stops polling readable; EAGAIN means it was re-armed meanwhile. */
	if (read(fd, &expirations, sizeof(expirations)) != sizeof(expirations))
		return;
	t->fn(t->user);
}

int loop_timer_new(struct loop *loop, loop_timer_fn *fn, void *user, struct loop_timer **ret_timer)
{
	struct loop_timer *t = calloc(1, sizeof(*t));
	int r;

	if (!t)
		return -ENOMEM;
	t->loop = loop;
	t->fn = fn;
	t->user = user;
	t->fd = timerfd_create(CLOCK_MONOTONIC, TFD_NONBLOCK | TFD_CLOEXEC);
	if (t->fd < 0) {
		r = -errno;
		goto out_free;
	}
	r = loop_add(loop, t->fd, EPOLLIN, timer_ready, t, &t->source);
	if (r < 0)
		goto out_close;
	*ret_timer = t;
	return 0;

out_close:
	close(t->fd);
out_free:
	free(t);
	return r;
}

void loop_timer_free(struct loop *loop, struct loop_timer *timer)
{
	if (!timer)
		return;
	loop_remove(loop, timer->source);
	close(timer->fd);
	free(timer);
}

static void timer_set(struct loop_timer *t, int64_t ns, int flags)
{
	struct itimerspec its = {0};

	/* An all-zero it_value disarms; "now" is expressed as 1 ns so it still fires. */
	if (ns <= 0)
		ns = 1;
	its.it_value.tv_sec = ns / 1000000000;
	its.it_value.tv_nsec = ns % 1000000000;
	(void)timerfd_settime(t->fd, flags, &its, NULL);
}

void loop_timer_at(struct loop_timer *timer, int64_t mono_ns)
{
	timer_set(timer, mono_ns, TFD_TIMER_ABSTIME);
}

void loop_timer_in(struct loop_timer *timer, int64_t ns)
{
	timer_set(timer, ns, 0);
}

void loop_timer_stop(struct loop_timer *timer)
{
	struct itimerspec its = {0};
	uint64_t expirations;

	(void)timerfd_settime(timer->fd, 0, &its, NULL);
	/* Drop an expiry that fired but was not handled yet. */
	(void)!read(timer->fd, &expirations, sizeof(expirations));
}

int loop_run(struct loop *loop)
{
	struct epoll_event events[LOOP_BATCH];

	loop->quit = false;
	while (!loop->quit) {
		int n = epoll_wait(loop->epfd, events, LOOP_BATCH, -1);

		if (n < 0) {
			if (errno == EINTR)
				continue;
			return -errno;
		}
		for (int i = 0; i < n; i++) {
			struct loop_source *s = events[i].data.ptr;

			if (!s->dead)
				s->fn(s->user, s->fd, events[i].events);
		}
		release_dead(loop);
	}
	return 0;
}

void loop_quit(struct loop *loop)
{
	loop->quit = true;
}
