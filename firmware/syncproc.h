/* SPDX-License-Identifier: MIT */
/*
 * The sync process, seen from the door daemon. Sync (libcurl, TLS, the
 * collector's JSON) runs in hadir-kiosk-sync, a child of the daemon, so that
 * the process that records taps maps none of the network stack (libcurl and
 * its TLS libraries are most of a kiosk's memory) and a fault in it cannot
 * stop the door. The child opens the same database (WAL: one writer at a
 * time, readers never blocked), and the two talk over a SOCK_SEQPACKET
 * socket pair in fixed-size messages: kicks one way, clock measurements and
 * template wake-ups the other. A child that exits is started again with
 * backoff.
 */
#ifndef HADIR_FIRMWARE_SYNCPROC_H
#define HADIR_FIRMWARE_SYNCPROC_H

#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#include "common/err.h"

struct kconfig;
struct loop;
struct store;
struct syncproc;

/* The program that runs sync, as installed beside hadir-kiosk. */
#define SYNCPROC_PROGRAM "hadir-kiosk-sync"

/* One message on the socket pair; both ends are the same build, so the layout is shared. */
enum syncproc_msg_type {
	SYNCPROC_KICK = 1,	/* daemon -> sync: records were committed, push soon */
	SYNCPROC_CLOCK = 2,	/* sync -> daemon: a reply measured the clock */
	SYNCPROC_TEMPLATES = 3, /* sync -> daemon: a roster queued template work */
};

struct syncproc_msg {
	uint32_t type; /* enum syncproc_msg_type */
	uint32_t zero;
	int64_t offset_usec; /* SYNCPROC_CLOCK: collector time minus ours */
	int64_t rtt_usec;    /* SYNCPROC_CLOCK: round trip of the measurement */
};

struct syncproc_deps {
	struct loop *loop;
	const struct kconfig *cfg;
	struct store *store; /* where `hadir-kiosk status` finds why sync is not running */
	void (*templates_queued)(void *user); /* on the loop; may be NULL */
	void *user;
};

/*
 * The sync program's path: [sync] helper if set, else hadir-kiosk-sync beside
 * this executable (the build tree), else in ../libexec/hadir/ from it (an
 * installation). -ENOENT if none is executable.
 */
int syncproc_program(const struct kconfig *cfg, char *buf, size_t len) MUST_CHECK;

/* Start the sync process for url; it runs until syncproc_stop(). */
int syncproc_start(const struct syncproc_deps *deps, const char *url,
		   struct syncproc **ret_sp) MUST_CHECK;

/* Records were committed: tell the sync process (at most every 50 ms). Never blocks. */
void syncproc_kick(struct syncproc *sp);

/* SIGCHLD arrived: reap the child if it was ours, and schedule its restart. */
void syncproc_reap(struct syncproc *sp);

/* Stop the child (SIGTERM: it finishes or aborts the exchange in flight) and wait for it. */
void syncproc_stop(struct syncproc *sp);

#endif
