// SPDX-License-Identifier: MIT
/*
 * GPIO front end: checks what the caller asks for and hands it to the
 * backend the board file's chip names ("sim" or real hardware). Backends do
 * the work; this file keeps the choice in one place.
 */
#include "firmware/gpio.h"

#include <assert.h>
#include <errno.h>
#include <stdio.h>

#include "common/log.h"
#include "firmware/board.h"
#include "firmware/gpio_backend.h"

void gpio_line_label(const struct board_line *line, char *buf, size_t size)
{
	char spec[BOARD_LINE_SPEC_MAX];

	board_format_line(line, spec, sizeof(spec));
	if (line->role[0])
		(void)snprintf(buf, size, "%s (%s)", line->role, spec);
	else
		(void)snprintf(buf, size, "%s", spec);
}

int gpio_in_open(const struct board_line *const *lines, size_t n, const char *consumer,
		 struct gpio_in **ret_in)
{
	size_t n_sim = 0;

	if (n == 0 || n > GPIO_IN_LINES_MAX)
		return -EINVAL;
	for (size_t i = 0; i < n; i++) {
		if (!lines[i] || !lines[i]->present)
			return -EINVAL;
		n_sim += board_line_is_sim(lines[i]);
	}
	if (n_sim != 0 && n_sim != n) {
		log_err("gpio: cannot mix sim and hardware lines in one request");
		return -EINVAL;
	}
	if (n_sim)
		return gpio_sim_in_open(lines, n, consumer, ret_in);
	return gpio_hw_in_open(lines, n, consumer, ret_in);
}

int gpio_in_fd(const struct gpio_in *in)
{
	return in->ops->fd(in);
}

int gpio_in_read(struct gpio_in *in, struct gpio_event *events, size_t max)
{
	if (max == 0)
		return 0;
	return in->ops->read(in, events, max);
}

void gpio_in_free(struct gpio_in *in)
{
	if (in)
		in->ops->free(in);
}

int gpio_out_open(const struct board_line *line, const char *consumer, struct gpio_out **ret_out)
{
	if (!line || !line->present)
		return -EINVAL;
	if (board_line_is_sim(line))
		return gpio_sim_out_open(line, consumer, ret_out);
	return gpio_hw_out_open(line, consumer, ret_out);
}

int gpio_out_set(struct gpio_out *out, bool active)
{
	return out->ops->set(out, active);
}

void gpio_out_free(struct gpio_out *out)
{
	if (out)
		out->ops->free(out);
}
