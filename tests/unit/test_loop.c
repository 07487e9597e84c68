// SPDX-License-Identifier: MIT
/* The event loop: fd readiness, one-shot timers, removal from inside handlers. */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/epoll.h>
#include <unistd.h>

#include <cmocka.h>

#include "firmware/loop.h"

struct ctx {
	struct loop *loop;
	struct loop_source *a, *b;
	int fired_a, fired_b, timer_fired;
	int64_t fired_at;
};

static void on_a(void *user, int fd, uint32_t events)
{
	struct ctx *c = user;
	char buf[8];

	(void)events;
	(void)!read(fd, buf, sizeof(buf));
	c->fired_a++;
	/* b is ready in the same batch: removing it must keep its handler from running. */
	loop_remove(c->loop, c->b);
	loop_remove(c->loop, c->a);
}

static void on_b(void *user, int fd, uint32_t events)
{
	struct ctx *c = user;

	(void)fd;
	(void)events;
	c->fired_b++;
}

static void on_timer(void *user)
{
	struct ctx *c = user;

	c->timer_fired++;
	c->fired_at = loop_now_ns();
	loop_quit(c->loop);
}

static void test_loop_remove_inside_batch(void **state)
{
	struct ctx c = {.fired_a = 0};
	struct loop_timer *t;
	int pa[2], pb[2];

	(void)state;
	assert_int_equal(loop_new(&c.loop), 0);
	assert_int_equal(pipe(pa), 0);
	assert_int_equal(pipe(pb), 0);
	assert_int_equal(loop_add(c.loop, pa[0], EPOLLIN, on_a, &c, &c.a), 0);
	assert_int_equal(loop_add(c.loop, pb[0], EPOLLIN, on_b, &c, &c.b), 0);
	assert_int_equal(write(pb[1], "x", 1), 1);
	assert_int_equal(write(pa[1], "x", 1), 1);
	assert_int_equal(loop_timer_new(c.loop, on_timer, &c, &t), 0);
	loop_timer_in(t, 20 * 1000000);
	assert_int_equal(loop_run(c.loop), 0);
	/* Whichever ran first, at most one handler ran and nothing ran twice. */
	assert_true(c.fired_a + c.fired_b >= 1);
	assert_true(c.fired_a <= 1 && c.fired_b <= 1);
	assert_int_equal(c.timer_fired, 1);
	loop_timer_free(c.loop, t);
	loop_free(c.loop);
	for (int i = 0; i < 2; i++) {
		close(pa[i]);
		close(pb[i]);
	}
}

static void test_loop_timer_absolute_and_stop(void **state)
{
	struct ctx c = {.fired_a = 0};
	struct loop_timer *t, *stopped;
	int64_t start = loop_now_ns();

	(void)state;
	assert_int_equal(loop_new(&c.loop), 0);
	assert_int_equal(loop_timer_new(c.loop, on_timer, &c, &t), 0);
	assert_int_equal(loop_timer_new(c.loop, on_timer, &c, &stopped), 0);
	loop_timer_in(stopped, 1000000);
	loop_timer_stop(stopped);
	loop_timer_at(t, start + 30 * 1000000);
	assert_int_equal(loop_run(c.loop), 0);
	assert_int_equal(c.timer_fired, 1);
	assert_true(c.fired_at >= start + 30 * 1000000);
	loop_timer_free(c.loop, stopped);
	loop_timer_free(c.loop, t);
	loop_free(c.loop);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_loop_remove_inside_batch),
	    cmocka_unit_test(test_loop_timer_absolute_and_stop),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
