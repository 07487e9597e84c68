// SPDX-License-Identifier: MIT
/*
 * The simulated GPIO backend (chip "sim"). Inputs are a bounded FIFO of
 * injected edges behind an eventfd, so the event loop polls it exactly as it
 * polls the hardware and the same decoders run on the same kind of events.
 * Outputs keep their state and log each change at info level, which is how
 * tests and the demo see the kiosk's feedback.
 */
#include "firmware/gpio.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/eventfd.h>
#include <unistd.h>

#include "common/log.h"
#include "firmware/board.h"
#include "firmware/gpio_backend.h"

struct sim_in {
	struct gpio_in base;
	int efd; /* readable while events wait */
	size_t n_lines;
	size_t head;  /* oldest queued event */
	size_t count; /* events queued */
	struct gpio_event queue[GPIO_SIM_QUEUE_MAX];
};

struct sim_out {
	struct gpio_out base;
	bool is_active;
	char label[64];
};

static int sim_in_fd(const struct gpio_in *in)
{
	return ((const struct sim_in *)in)->efd;
}

static void signal_readable(struct sim_in *s)
{
	uint64_t one = 1;

	/* Only fails when the counter would overflow, and then it is readable anyway. */
	(void)!write(s->efd, &one, sizeof(one));
}

static int sim_in_read(struct gpio_in *in, struct gpio_event *events, size_t max)
{
	struct sim_in *s = (struct sim_in *)in;
	uint64_t counter;
	size_t n = 0;

	(void)!read(s->efd, &counter, sizeof(counter)); /* EAGAIN when nothing was signalled */
	while (n < max && s->count > 0) {
		events[n++] = s->queue[s->head];
		s->head = (s->head + 1) % GPIO_SIM_QUEUE_MAX;
		s->count--;
	}
	if (s->count > 0)
		signal_readable(s); /* level-triggered, like a kernel queue with events left */
	return (int)n;
}

static void sim_in_free(struct gpio_in *in)
{
	struct sim_in *s = (struct sim_in *)in;

	close(s->efd);
	free(s);
}

static const struct gpio_in_ops sim_in_ops = {
    .fd = sim_in_fd,
    .read = sim_in_read,
    .free = sim_in_free,
};

int gpio_sim_in_open(const struct board_line *const *lines, size_t n, const char *consumer,
		     struct gpio_in **ret_in)
{
	struct sim_in *s;

	(void)lines;
	(void)consumer;
	s = calloc(1, sizeof(*s));
	if (!s)
		return -ENOMEM;
	s->efd = eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC);
	if (s->efd < 0) {
		int r = -errno;

		free(s);
		return r;
	}
	s->base.ops = &sim_in_ops;
	s->n_lines = n;
	*ret_in = (struct gpio_in *)s; /* base is the first member */
	return 0;
}

int gpio_sim_inject(struct gpio_in *in, unsigned index, bool rising, int64_t ts_ns)
{
	struct sim_in *s = (struct sim_in *)in;

	if (in->ops != &sim_in_ops || index >= s->n_lines)
		return -EINVAL;
	if (s->count == GPIO_SIM_QUEUE_MAX)
		return -ENOBUFS;
	s->queue[(s->head + s->count) % GPIO_SIM_QUEUE_MAX] =
	    (struct gpio_event){.index = index, .rising = rising, .ts_ns = ts_ns};
	s->count++;
	signal_readable(s);
	return 0;
}

static int sim_out_set(struct gpio_out *out, bool active)
{
	struct sim_out *s = (struct sim_out *)out;

	if (s->is_active != active)
		log_info("gpio: %s %s", s->label, active ? "on" : "off");
	s->is_active = active;
	return 0;
}

static void sim_out_free(struct gpio_out *out)
{
	free(out);
}

static const struct gpio_out_ops sim_out_ops = {
    .set = sim_out_set,
    .free = sim_out_free,
};

int gpio_sim_out_open(const struct board_line *line, const char *consumer,
		      struct gpio_out **ret_out)
{
	struct sim_out *s;

	s = calloc(1, sizeof(*s));
	if (!s)
		return -ENOMEM;
	s->base.ops = &sim_out_ops;
	/* The role ("led_green") is what a reader of the log wants to see. */
	(void)snprintf(s->label, sizeof(s->label), "%s",
		       line->role[0] ? line->role
		       : consumer    ? consumer
				     : "sim");
	*ret_out = (struct gpio_out *)s; /* base is the first member */
	return 0;
}
