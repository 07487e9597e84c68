/* SPDX-License-Identifier: MIT */
/*
 * Light and sound at the door: green LED, red LED, buzzer, and the door
 * relay where one is wired, driven through the GPIO interface from the board
 * file. Each outcome has its own pattern so staff can tell them apart
 * without reading a screen. Patterns run on a timer in the event loop and
 * never block; a new signal replaces the one still running.
 */
#ifndef HADIR_FIRMWARE_FEEDBACK_H
#define HADIR_FIRMWARE_FEEDBACK_H

#include <stdint.h>

#include "common/err.h"

struct board;
struct feedback;
struct loop;

enum feedback_signal {
	FEEDBACK_ACCEPT,  /* green, one short beep, relay pulse */
	FEEDBACK_REPEAT,  /* green, one short beep, relay pulse: the door opens again */
	FEEDBACK_UNKNOWN, /* red, three short beeps */
	FEEDBACK_REJECT,  /* red, one long beep: the read failed, try again */
	FEEDBACK_FAULT,	  /* red blinking, long beep: the kiosk cannot record */
	FEEDBACK_PROMPT,  /* green blink, short beep, no relay: enrolment asks for the finger */
};

struct feedback_timing {
	int64_t accept_beep_ms;
	int64_t reject_beep_ms;
	int64_t led_ms;
	int64_t relay_ms; /* 0: never pulse the relay */
};

/* Open the board's outputs (missing ones are skipped). Free with feedback_free(). */
int feedback_new(struct loop *loop, const struct board *board, const struct feedback_timing *timing,
		 struct feedback **ret_fb) MUST_CHECK;
void feedback_free(struct feedback *fb);

void feedback_signal(struct feedback *fb, enum feedback_signal signal);

const char *feedback_signal_name(enum feedback_signal signal);

#endif
