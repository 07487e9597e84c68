// SPDX-License-Identifier: MIT
/*
 * Feedback patterns as short step lists (at T ms, set output X on/off),
 * played by one timer. Outputs are opened once at start-up; playing a
 * pattern allocates nothing.
 */
#include "firmware/feedback.h"

#include <errno.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "common/log.h"
#include "firmware/board.h"
#include "firmware/gpio.h"
#include "firmware/loop.h"

enum feedback_output { OUT_GREEN, OUT_RED, OUT_BUZZER, OUT_RELAY, OUT_COUNT };

#define FEEDBACK_STEPS_MAX 24

struct feedback_step {
	int64_t at_ms;
	enum feedback_output out;
	bool on;
};

struct feedback {
	struct loop *loop;
	struct loop_timer *timer;
	struct gpio_out *out[OUT_COUNT];
	struct feedback_timing timing;
	struct feedback_step steps[FEEDBACK_STEPS_MAX];
	unsigned n_steps, next_step;
	int64_t start_ns;
};

static const char *const output_names[OUT_COUNT] = {"led_green", "led_red", "buzzer", "relay"};

static void set_output(struct feedback *fb, enum feedback_output out, bool on)
{
	int r;

	if (!fb->out[out])
		return;
	r = gpio_out_set(fb->out[out], on);
	if (r < 0)
		log_warn("feedback: cannot switch %s %s: %s", output_names[out], on ? "on" : "off",
			 strerror(-r));
}

static void play_due(void *user)
{
	struct feedback *fb = user;
	int64_t elapsed_ms = (loop_now_ns() - fb->start_ns) / 1000000;

	while (fb->next_step < fb->n_steps && fb->steps[fb->next_step].at_ms <= elapsed_ms) {
		const struct feedback_step *s = &fb->steps[fb->next_step++];

		set_output(fb, s->out, s->on);
	}
	if (fb->next_step < fb->n_steps)
		loop_timer_at(fb->timer, fb->start_ns + fb->steps[fb->next_step].at_ms * 1000000);
}

static void add_step(struct feedback *fb, int64_t at_ms, enum feedback_output out, bool on)
{
	unsigned i;

	if (fb->n_steps == FEEDBACK_STEPS_MAX || !fb->out[out])
		return;
	/* Keep the list sorted by time; insertion is fine for two dozen steps. */
	for (i = fb->n_steps; i > 0 && fb->steps[i - 1].at_ms > at_ms; i--)
		fb->steps[i] = fb->steps[i - 1];
	fb->steps[i] = (struct feedback_step){at_ms, out, on};
	fb->n_steps++;
}

static void add_beeps(struct feedback *fb, unsigned count, int64_t beep_ms)
{
	for (unsigned i = 0; i < count; i++) {
		add_step(fb, (int64_t)i * 2 * beep_ms, OUT_BUZZER, true);
		add_step(fb, (int64_t)i * 2 * beep_ms + beep_ms, OUT_BUZZER, false);
	}
}

const char *feedback_signal_name(enum feedback_signal signal)
{
	switch (signal) {
	case FEEDBACK_ACCEPT:
		return "accept: green, short beep";
	case FEEDBACK_REPEAT:
		return "repeat: green, short beep";
	case FEEDBACK_UNKNOWN:
		return "unknown: red, three short beeps";
	case FEEDBACK_REJECT:
		return "reject: red, long beep";
	case FEEDBACK_FAULT:
		return "fault: red blinking, long beep";
	case FEEDBACK_PROMPT:
		return "prompt: green blink, short beep";
	}
	return "?";
}

void feedback_signal(struct feedback *fb, enum feedback_signal signal)
{
	const struct feedback_timing *t = &fb->timing;

	/* A new signal replaces the old one: start from everything off. */
	for (int out = 0; out < OUT_COUNT; out++)
		set_output(fb, (enum feedback_output)out, false);
	fb->n_steps = 0;
	fb->next_step = 0;

	switch (signal) {
	case FEEDBACK_ACCEPT:
	case FEEDBACK_REPEAT:
		add_step(fb, 0, OUT_GREEN, true);
		add_step(fb, t->led_ms, OUT_GREEN, false);
		add_beeps(fb, 1, t->accept_beep_ms);
		if (t->relay_ms > 0) {
			add_step(fb, 0, OUT_RELAY, true);
			add_step(fb, t->relay_ms, OUT_RELAY, false);
		}
		break;
	case FEEDBACK_UNKNOWN:
		add_step(fb, 0, OUT_RED, true);
		add_step(fb, t->led_ms, OUT_RED, false);
		add_beeps(fb, 3, t->accept_beep_ms);
		break;
	case FEEDBACK_REJECT:
		add_step(fb, 0, OUT_RED, true);
		add_step(fb, t->led_ms, OUT_RED, false);
		add_beeps(fb, 1, t->reject_beep_ms);
		break;
	case FEEDBACK_FAULT:
		for (int64_t i = 0; i < 4; i++) {
			add_step(fb, i * t->led_ms / 4, OUT_RED, true);
			add_step(fb, i * t->led_ms / 4 + t->led_ms / 8, OUT_RED, false);
		}
		add_beeps(fb, 1, t->reject_beep_ms);
		break;
	case FEEDBACK_PROMPT:
		add_step(fb, 0, OUT_GREEN, true);
		add_step(fb, t->led_ms / 4, OUT_GREEN, false);
		add_beeps(fb, 1, t->accept_beep_ms);
		break;
	}
	log_info("feedback: %s", feedback_signal_name(signal));
	fb->start_ns = loop_now_ns();
	play_due(fb);
}

int feedback_new(struct loop *loop, const struct board *board, const struct feedback_timing *timing,
		 struct feedback **ret_fb)
{
	const struct board_line *lines[OUT_COUNT] = {&board->led_green, &board->led_red,
						     &board->buzzer, &board->relay};
	struct feedback *fb;
	int r;

	fb = calloc(1, sizeof(*fb));
	if (!fb)
		return -ENOMEM;
	fb->loop = loop;
	fb->timing = *timing;
	for (int out = 0; out < OUT_COUNT; out++) {
		if (!lines[out]->present)
			continue;
		r = gpio_out_open(lines[out], output_names[out], &fb->out[out]);
		if (r < 0) {
			log_err("feedback: cannot open %s: %s", output_names[out], strerror(-r));
			goto out_free;
		}
	}
	r = loop_timer_new(loop, play_due, fb, &fb->timer);
	if (r < 0)
		goto out_free;
	*ret_fb = fb;
	return 0;

out_free:
	feedback_free(fb);
	return r;
}

void feedback_free(struct feedback *fb)
{
	if (!fb)
		return;
	for (int out = 0; out < OUT_COUNT; out++) {
		set_output(fb, (enum feedback_output)out, false);
		gpio_out_free(fb->out[out]);
	}
	loop_timer_free(fb->loop, fb->timer);
	free(fb);
}
