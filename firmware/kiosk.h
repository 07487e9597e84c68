/* SPDX-License-Identifier: MIT */
/*
 * The kiosk daemon: owns the event loop and everything hanging off it
 * (inputs, store, tap path, feedback, sim socket, signals, watchdog) and
 * wires them so that every input ends in the same tap path and the same
 * answer at the door.
 */
#ifndef HADIR_FIRMWARE_KIOSK_H
#define HADIR_FIRMWARE_KIOSK_H

#include "common/err.h"

struct board;
struct kconfig;
struct kiosk;

/* Set everything up; cfg and board must outlive the kiosk. Free with kiosk_free(). */
int kiosk_new(const struct kconfig *cfg, const struct board *board,
	      struct kiosk **ret_kiosk) MUST_CHECK;

/* Serve until SIGTERM or SIGINT; SIGHUP re-reads the roster size into the log. */
int kiosk_run(struct kiosk *k) MUST_CHECK;

void kiosk_free(struct kiosk *k);

#endif
