/* SPDX-License-Identifier: MIT */
/*
 * The sim input: a UNIX socket that tests and the demo drive the kiosk
 * through, one command a line:
 *   wiegand BITS   D0/D1 pulses with real timing, into the Wiegand decoder
 *   card DIGITS    keystrokes of a keyboard-wedge reader, into its decoder
 *   finger SLOT    a fingerprint match on SLOT
 *   ping           answered "pong" at once
 * Each input command is answered with one line once its outcome is final
 * (durable): "accepted NIP SEQ", "rejected REASON" or "unknown CREDENTIAL";
 * a malformed line with "error MESSAGE". Commands run one at a time, in
 * arrival order, like taps on one reader; a client that sends faster than
 * the kiosk records is slowed down (its socket is not read), never dropped.
 */
#ifndef HADIR_FIRMWARE_SIM_H
#define HADIR_FIRMWARE_SIM_H

#include <stdbool.h>

#include "common/err.h"

#define SIM_ARG_MAX 160

struct loop;
struct sim;

enum sim_kind {
	SIM_WIEGAND,
	SIM_CARD,
	SIM_FINGER,
};

struct sim_cmd {
	enum sim_kind kind;
	char arg[SIM_ARG_MAX]; /* validated: bits, digits or a slot number */
};

/*
 * Called when a command becomes the one in flight. The kiosk feeds it to the
 * input it names and later calls sim_finish() with the outcome. A negative
 * return means it could not be started; sim answers "error" with why.
 */
typedef int sim_start_fn(void *user, const struct sim_cmd *cmd, const char **ret_why);

/* Listen on path (replacing a stale socket file). Free with sim_free(). */
int sim_new(struct loop *loop, const char *path, sim_start_fn *start, void *user,
	    struct sim **ret_sim) MUST_CHECK;
void sim_free(struct sim *sim);

/* True while a command is in flight: its outcome goes to sim_finish(). */
bool sim_in_flight(const struct sim *sim);

/* Answer the command in flight with reply (no newline) and start the next. */
void sim_finish(struct sim *sim, const char *reply);

/* Parse one command line; -EINVAL with a message for the client otherwise. */
int sim_parse(const char *line, struct sim_cmd *ret_cmd, const char **ret_why) MUST_CHECK;

#endif
