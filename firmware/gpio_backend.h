/* SPDX-License-Identifier: MIT */
/*
 * Inside the GPIO layer: what gpio.c dispatches to. Each backend embeds
 * struct gpio_in / gpio_out first in its own object and points ops at its
 * functions. Not for use outside firmware/gpio*.c.
 */
#ifndef HADIR_FIRMWARE_GPIO_BACKEND_H
#define HADIR_FIRMWARE_GPIO_BACKEND_H

#include "firmware/gpio.h"

struct gpio_in_ops {
	int (*fd)(const struct gpio_in *in);
	int (*read)(struct gpio_in *in, struct gpio_event *events, size_t max);
	void (*free)(struct gpio_in *in);
};

struct gpio_in {
	const struct gpio_in_ops *ops;
};

struct gpio_out_ops {
	int (*set)(struct gpio_out *out, bool active);
	void (*free)(struct gpio_out *out);
};

struct gpio_out {
	const struct gpio_out_ops *ops;
};

/* The simulated backend (gpio_sim.c). Lines are already checked by gpio.c. */
int gpio_sim_in_open(const struct board_line *const *lines, size_t n, const char *consumer,
		     struct gpio_in **ret_in) MUST_CHECK;
int gpio_sim_out_open(const struct board_line *line, const char *consumer,
		      struct gpio_out **ret_out) MUST_CHECK;

/* The hardware backend: gpio_gpiod1.c today, a gpiod v2 file later (one of them is built). */
int gpio_hw_in_open(const struct board_line *const *lines, size_t n, const char *consumer,
		    struct gpio_in **ret_in) MUST_CHECK;
int gpio_hw_out_open(const struct board_line *line, const char *consumer,
		     struct gpio_out **ret_out) MUST_CHECK;

/* "led_green (gpiochip0:22)": how messages name a line. */
void gpio_line_label(const struct board_line *line, char *buf, size_t size);

#endif
