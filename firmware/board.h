/* SPDX-License-Identifier: MIT */
/*
 * Board files: which GPIO line, UART and input device does what on a board.
 *
 * One INI file per board in boards/ (rpi4, rpi5, orangepi-zero3, sim):
 *
 *   [board]        name, description
 *   [wiegand]      d0, d1
 *   [outputs]      led_green, led_red, buzzer, relay
 *   [fingerprint]  uart, baud, touch
 *   [evdev]        device
 *
 * Every key but [board] name is optional. A line is written
 *
 *   CHIP:OFFSET [FLAG...]    gpiochip0:17, /dev/gpiochip0:17, sim:0
 *   CHIP:NAME [FLAG...]      gpiochip4:GPIO17 (the name looked up on that chip)
 *   NAME [FLAG...]           GPIO17 (looked up on every chip: Pi 5 chip numbers change
 *                            between kernels, the names do not)
 *
 * with flags active-low, active-high (the default), pull-up, pull-down,
 * bias-disable, bias-as-is (the default: leave it as firmware set it). Chip
 * "sim" selects the simulated GPIO backend. Loading checks the syntax of every
 * value and that the board makes sense (D0 and D1 together, no line used
 * twice, a touch line only with a UART); errors name the file, line and key.
 * This module only reads files: the GPIO backends request the lines.
 */
#ifndef HADIR_FIRMWARE_BOARD_H
#define HADIR_FIRMWARE_BOARD_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

#include "common/cfg.h"
#include "common/err.h"

#define BOARD_CHIP_SIM	    "sim"
#define BOARD_OFFSET_MAX    4095 /* far above any SoC's bank count times 32 */
#define BOARD_LINE_SPEC_MAX 96	 /* room for board_format_line() */

enum board_bias {
	BOARD_BIAS_AS_IS = 0, /* leave the bias as firmware or the device tree set it */
	BOARD_BIAS_DISABLE,
	BOARD_BIAS_PULL_UP,
	BOARD_BIAS_PULL_DOWN,
};

struct board_line {
	bool present;	 /* false: the board has no such line */
	char chip[32];	 /* "gpiochip0", "/dev/gpiochip4", "sim", or "" for any chip */
	char name[32];	 /* line name to look up, or "" when offset is given */
	int offset;	 /* -1 when looked up by name */
	bool active_low; /* the line is active (LED on, D0 pulse) when low */
	int bias;	 /* enum board_bias */
	char role[16];	 /* "d0", "led_green", ...: set by board_load, for messages */
};

struct board {
	char name[32];
	char description[128];
	struct board_line d0, d1, led_green, led_red, buzzer, relay, fp_touch;
	char fp_uart[128];	/* absolute device path, "sim", or "" for none */
	unsigned fp_baud;	/* 9600 * N, N = 1..12; default 57600 */
	char evdev_device[128]; /* absolute device path, "sim", or "" for none */
};

/*
 * Load and check the board file at path into ret_board (written only on
 * success). Returns 0, -EINVAL when the file has errors (each one in diag,
 * naming file, line and key), or a negative errno when it cannot be read.
 */
int board_load(const char *path, struct board *ret_board, struct cfg_diag *diag) MUST_CHECK;

/* As board_load, from a stream; name is used in messages. */
int board_load_stream(FILE *stream, const char *name, struct board *ret_board,
		      struct cfg_diag *diag) MUST_CHECK;

/* Print the board as a board file that loads back to the same struct. */
void board_print(FILE *out, const struct board *board);

/*
 * Parse one line spec ("gpiochip0:17 active-low pull-up"); "" gives a line
 * that is not present. On failure returns -EINVAL and a one-line reason in
 * why (why_size bytes); ret_line is written only on success.
 */
int board_parse_line(const char *text, struct board_line *ret_line, char *why,
		     size_t why_size) MUST_CHECK;

/* Write line back as a spec board_parse_line accepts ("" when not present). */
void board_format_line(const struct board_line *line, char *buf, size_t size);

/* True when the line is served by the simulated backend (chip "sim"). */
bool board_line_is_sim(const struct board_line *line);

#endif
