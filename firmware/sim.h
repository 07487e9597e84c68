/* SPDX-License-Identifier: MIT */
/*
 * The sim input: a UNIX socket that tests and the demo drive the kiosk
 * through, one command a line:
 *   wiegand BITS   D0/D1 pulses with real timing, into the Wiegand decoder
 *   card DIGITS    keystrokes of a keyboard-wedge reader, into its decoder
 *   finger SLOT    a finger on the sensor: on a board with a fingerprint UART
 *                  the finger stored on page SLOT of the emulated module (see
 *                  fpm_emu.h) is placed and the touch line raised, and the
 *                  kiosk's driver runs GenImg/Img2Tz/Search over the pty;
 *                  without one, SLOT stands for the module's Search reply
 *   fpm FAULT      make the emulated module misbehave, answered "ok" at once:
 *                    garbage   junk bytes before the next reply
 *                    badsum    the next reply with a wrong checksum
 *                    hang      half the next reply, then silence until recover
 *                    nofinger  the next GenImg answers "no finger"
 *                    recover   end a hang (and any pending fault)
 *   ping           answered "pong" at once
 * Each input command is answered with one line once its outcome is final
 * (durable): "accepted NIP SEQ", "rejected REASON" or "unknown CREDENTIAL";
 * a malformed line with "error MESSAGE". Fingerprint outcomes: a match is a
 * tap of "finger:PAGE"; a finger matching no template is recorded as the
 * unknown credential "finger:none" ("unknown finger:none"); no finger or a
 * poor image is "rejected no-finger" (or the module's reason, e.g.
 * "rejected few-features") and a module that fails or is being reset
 * "rejected fingerprint-REASON" (fingerprint-timeout, fingerprint-not-ready,
 * fingerprint-busy), neither of them recorded.
 *
 * The same line protocol, on the kiosk's control socket ([kiosk]
 * control_socket), carries the operator's fingerprint commands:
 *   fingerprint enroll NIP   answered "enrolled NIP PAGE" or "error REASON"
 *   fingerprint delete NIP   answered "deleted NIP PAGE..." or "error REASON" Commands run one at a
 * time, in arrival order, like taps on one reader; a client that sends faster than the kiosk
 * records is slowed down (its socket is not read), never dropped.
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
	SIM_FPM,	 /* arg: garbage, badsum, hang, nofinger or recover */
	SIM_FINGERPRINT, /* arg: "enroll NIP" or "delete NIP" (control socket) */
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
