/* SPDX-License-Identifier: MIT */
/*
 * Store-and-forward to the collector. A thread of its own with its own
 * database connection and HTTPS handle, so a slow or absent network never
 * delays a tap: the tap path only calls sync_kick(), which writes an
 * eventfd. Each round pushes the outbox in batches over one kept-alive
 * mutual-TLS connection until it is empty, learns the collector's time from
 * every reply (clock anchors), and pulls the roster when due. Every push
 * carries the kiosk's health (record.h); an idle kiosk sends it alone every
 * [sync] health_interval, so the collector knows it is alive. Failures back
 * off exponentially with jitter; their plain-words reason is kept for
 * `hadir-kiosk status`.
 */
#ifndef HADIR_FIRMWARE_SYNC_H
#define HADIR_FIRMWARE_SYNC_H

#include <stdint.h>

#include "common/err.h"

struct kconfig;
struct sync;

/* What the sync thread tells its owner; either function may be NULL. Both run on the sync thread.
 */
struct sync_hooks {
	/* A roster queued fingerprint template work (templates.h) for the loop. */
	void (*templates_queued)(void *user);
	/* A reply measured this clock against the collector's (after trust_note_offset). */
	void (*clock_measured)(void *user, int64_t offset_usec, int64_t rtt_usec);
	void *user;
};

/* Start syncing to url (the collector's base URL). Free with sync_stop(). */
int sync_start(const struct kconfig *cfg, const char *url, const struct sync_hooks *hooks,
	       struct sync **ret_sync) MUST_CHECK;

/* A record was committed: push soon. Safe from any thread, never blocks. */
void sync_kick(struct sync *sync);

/* Finish the exchange in flight (or abort it) and join the thread. */
void sync_stop(struct sync *sync);

/* Sync status keys kept in the kiosk database (store_sync_get). */
#define SYNC_KEY_URL	       "url"
#define SYNC_KEY_LAST_OK       "last_success_usec"
#define SYNC_KEY_LAST_ERROR    "last_error"
#define SYNC_KEY_LAST_ERROR_AT "last_error_usec"
#define SYNC_KEY_OFFSET	       "clock_offset_usec"
#define SYNC_KEY_RTT	       "clock_rtt_usec"
#define SYNC_KEY_ROSTER_ETAG   "roster_etag"

#endif
