/* SPDX-License-Identifier: MIT */
/*
 * Failed logins per client address. An account locks after its own run of
 * failures (account.h), but a guesser trying one password on many accounts
 * stays below every account's limit: this stops the address instead. An
 * address with max_failures failed logins within window is refused, without
 * a password check, until window has passed since the first of them.
 *
 * A fixed table of THROTTLE_SLOTS addresses (when full, the one whose count
 * began longest ago is forgotten), used by one thread: the worker's, where
 * logins run (server/worker.c).
 */
#ifndef HADIR_SERVER_THROTTLE_H
#define HADIR_SERVER_THROTTLE_H

#include <stdbool.h>
#include <stdint.h>

#include "common/err.h"

#define THROTTLE_SLOTS 1024

struct throttle;

/* max_failures 0: never refuse. */
int throttle_new(unsigned max_failures, int64_t window_usec, struct throttle **ret) MUST_CHECK;
void throttle_free(struct throttle *t);

/* Whether addr may try to log in at now_usec; false: refuse, and ret_retry_usec says how long. */
bool throttle_allows(const struct throttle *t, const char *addr, int64_t now_usec,
		     int64_t *ret_retry_usec);

/* A login from addr was refused at now_usec. */
void throttle_failed(struct throttle *t, const char *addr, int64_t now_usec);

#endif
