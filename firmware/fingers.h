/* SPDX-License-Identifier: MIT */
/*
 * The kiosk's fingerprint input: opens the board's module (fpm.c; on the sim
 * board `uart = sim`, an emulated module on a pseudo-terminal, fpm_emu.c),
 * turns identification outcomes into credentials for the tap path, keeps the
 * module's state in the store for `status`, and serves the control socket
 * through which `hadir-kiosk fingerprint enroll|delete NIP` reaches the
 * running daemon.
 *
 * Identification outcomes:
 *   match          the credential "finger:PAGE" goes to tap_fn (the tap path)
 *   no match       the credential "finger:none" goes to tap_fn: recorded as an
 *                  unknown credential, like an unknown card (admins see failed
 *                  fingers), answered "unknown finger:none"
 *   no finger, poor image   refuse_fn(REJECT, "no-finger" or the module's
 *                  reason): signalled, not recorded
 *   module failure, not ready, busy   refuse_fn(FAULT, "fingerprint-REASON"):
 *                  signalled, not recorded; the driver resets the module
 *
 * Control socket ([input] control_socket, default control.sock beside the
 * config; mode 0660): the sim socket's line protocol (sim.h), taking only
 *   fingerprint enroll NIP  -> "enrolled NIP PAGE" | "error REASON"
 *   fingerprint delete NIP  -> "deleted NIP PAGE..." | "error REASON"
 * Enrolment logs and beeps (FEEDBACK_PROMPT) at each step: place the finger,
 * lift it, place it again; the template goes to the first free page of the
 * module's index table and the NIP gets the credential "finger:PAGE" (store.h
 * "fingers", kept across roster imports). Delete removes every finger:PAGE
 * of the NIP from the module (DeleteChar) and from the store.
 *
 * Templates are shared with the unit's other kiosks (templates.h): an
 * enrolment is answered once its template is uploaded and queued for the
 * collector; a delete of a shared finger is reported too; and enrolments the
 * collector asks for run here as the control socket's do.
 */
#ifndef HADIR_FIRMWARE_FINGERS_H
#define HADIR_FIRMWARE_FINGERS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "common/err.h"
#include "firmware/feedback.h"

struct board;
struct feedback;
struct kconfig;
struct loop;
struct store;
struct fingers;

/* A credential read by the module, for the tap path. */
typedef void fingers_tap_fn(void *user, const char *credential);
/* A read not worth a record: signal it, answer "rejected TOKEN", log why. */
typedef void fingers_refuse_fn(void *user, enum feedback_signal signal, const char *token,
			       const char *why);
/* Something for the collector was queued (templates.h): push soon. */
typedef void fingers_kick_fn(void *user);

struct fingers_deps {
	struct loop *loop;
	struct store *store;
	struct feedback *feedback;
	const struct board *board; /* must have a fingerprint UART */
	const struct kconfig *cfg;
	fingers_tap_fn *tap;
	fingers_refuse_fn *refuse;
	fingers_kick_fn *kick;
	void *user;
};

/*
 * Open the module, the touch line and the control socket. A module that is
 * missing or silent is not an error (it is retried; `status` says so); a
 * touch line or control socket that cannot be opened is. Free with
 * fingers_free().
 */
int fingers_new(const struct fingers_deps *deps, struct fingers **ret_fingers) MUST_CHECK;
void fingers_free(struct fingers *fingers);

/* The sync process queued template work (templates_wake). Safe from any thread. */
void fingers_templates_wake(struct fingers *fingers);

/* True when the module is emulated (sim board). */
bool fingers_is_emulated(const struct fingers *fingers);

/*
 * Sim socket `finger SLOT`: put finger SLOT on the emulated sensor and raise
 * the touch line; the outcome comes through tap_fn or refuse_fn.
 * -EINVAL with why when there is no emulated module.
 */
int fingers_sim_touch(struct fingers *fingers, unsigned slot, const char **ret_why) MUST_CHECK;

/* Sim socket `fpm FAULT`. -EINVAL with why when there is no emulated module. */
int fingers_sim_fault(struct fingers *fingers, const char *word, const char **ret_why) MUST_CHECK;

/*
 * Client side, for `hadir-kiosk fingerprint`: send line to the daemon's
 * control socket at path and wait up to timeout_ms for the one-line reply
 * (no newline) in reply. -ECONNREFUSED/-ENOENT when no daemon listens,
 * -ETIMEDOUT, -EPROTO for a reply without a newline within len bytes.
 */
int fingers_request(const char *path, const char *line, int64_t timeout_ms, char *reply,
		    size_t len) MUST_CHECK;

#endif
