/* SPDX-License-Identifier: MIT */
/*
 * The kiosk's SQLite store: roster, records (taps, later activities) with
 * their sequence numbers and hash chain, and the sync outbox (records past
 * the collector's acknowledged sequence).
 *
 * Durability is the point: WAL with synchronous=FULL, one transaction per
 * record, and store_append() returns only after the commit, so a record
 * whose success the kiosk signalled survives a power cut. The in-memory
 * chain head advances only after a successful commit, so a failed write
 * (disk full) leaves no gap and no half record.
 */
#ifndef HADIR_FIRMWARE_STORE_H
#define HADIR_FIRMWARE_STORE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "common/err.h"
#include "common/record.h"
#include "common/rows.h"

#define STORE_NAME_MAX 128
#define STORE_UNIT_MAX 32

struct store;

enum store_mode {
	STORE_CREATE,	/* create the file if missing (init) */
	STORE_EXISTING, /* the file must exist (daemon, commands) */
};

/*
 * Open (and migrate) the database at path. A missing file with
 * STORE_EXISTING is -ENOENT; a file that is not a database is -EBADMSG;
 * neither is ever overwritten. Free with store_close().
 */
int store_open(const char *path, enum store_mode mode, struct store **ret_store) MUST_CHECK;
void store_close(struct store *st);

/*
 * WAL checkpoints off the tap path. SQLite by default checkpoints inside the
 * commit that takes the WAL past 1,000 pages: extra writes and two fsyncs in
 * some tap's answer. After store_defer_checkpoints() this connection's
 * commits only count the WAL's pages (a commit checkpoints itself only past
 * STORE_WAL_CAP_PAGES, so the WAL stays bounded even without idle time);
 * the owner calls store_checkpoint() when idle and store_checkpoint_due()
 * says there is enough to copy to be worth it.
 */
#define STORE_CHECKPOINT_PAGES 256  /* worth a checkpoint when idle */
#define STORE_WAL_CAP_PAGES    4096 /* a commit checkpoints inline past this (16 MB at 4 KB) */
void store_defer_checkpoints(struct store *st);

/*
 * Write the WAL file out to STORE_WAL_RESERVE_PAGES frames before the first
 * tap. A commit that appends to the WAL file makes its fsync also journal the
 * file's new size and blocks (ext4: about one and a half times an overwrite);
 * SQLite starts the WAL again from its head after each complete checkpoint,
 * so within the reserved length every tap's commit overwrites. The frames
 * come from a transaction that is rolled back: the database is untouched.
 * SQLite deletes the WAL when the last connection closes, so the daemon
 * reserves at each start (16 MB written once). -ENOSPC (also when less than
 * four times the reservation is free) and other errors change no record;
 * taps are still recorded.
 */
#define STORE_WAL_RESERVE_PAGES (STORE_WAL_CAP_PAGES + 64)
int store_reserve_wal(struct store *st) MUST_CHECK;

/*
 * For a connection that writes in the background of the door (the sync
 * process: acknowledged sequence, sync facts, clock anchors, a roster with
 * its ETag), whose every write may be lost and redone:
 * - commits without an fsync of their own (synchronous=NORMAL), so they never
 *   queue a tap's fsync behind theirs. They become durable with the next tap's
 *   commit, which syncs the whole WAL; a power cut before that only means
 *   records resent (the collector keeps each once) or a roster pulled again;
 * - never checkpoints on its own (SQLite's would run inside one of its
 *   commits once the WAL passes 1,000 pages: during a stream of taps, megabytes
 *   copied and an fsync of the database while taps wait behind that I/O). The
 *   door's connection checkpoints when taps pause; after a large write such
 *   as a roster this one may call store_checkpoint() itself.
 */
int store_set_background(struct store *st) MUST_CHECK;
bool store_checkpoint_due(const struct store *st);
/* A passive checkpoint: copies what no reader still needs; never blocks a writer. */
int store_checkpoint(struct store *st) MUST_CHECK;

/*
 * Give rec the next sequence number and chain link, and commit it. On
 * success rec->seq, prev and link are set. -ENOSPC when the disk is full,
 * -EIO for other write failures; the store stays usable and consistent.
 */
int store_append(struct store *st, struct record *rec) MUST_CHECK;

/* Who a credential belongs to: 1 and the NIP and name, or 0 when unknown. */
int store_lookup(struct store *st, const char *credential, char ret_nip[RECORD_NIP_MAX],
		 char ret_name[STORE_NAME_MAX]) MUST_CHECK;

/* The most recent accepted tap of nip (activity entries are not taps): 1 and the record, 0 when
 * there is none. */
int store_last_accepted(struct store *st, const char *nip, struct record *ret_rec) MUST_CHECK;

/*
 * Replace the roster: begin (a transaction that empties it), add each
 * person's row (a card and a fingerprint slot, either may be empty or NULL;
 * several rows per person add several credentials), then commit, or abort
 * to keep the old roster. Bad values are -EINVAL with why filled.
 */
struct store_roster;
int store_roster_begin(struct store *st, struct store_roster **ret_roster) MUST_CHECK;
int store_roster_add(struct store_roster *roster, const char *nip, const char *name,
		     const char *unit_id, const char *card, const char *finger,
		     char why[ROWS_WHY_MAX]) MUST_CHECK;
int store_roster_commit(struct store_roster *roster, unsigned *ret_staff,
			unsigned *ret_credentials) MUST_CHECK;
void store_roster_abort(struct store_roster *roster);

/*
 * Replace the roster with a CSV file (nip,name,unit_id,card,fingerprint_id).
 * All or nothing: any bad row leaves the old roster and is described in why.
 */
int store_roster_import(struct store *st, const char *csv_path, unsigned *ret_staff,
			unsigned *ret_credentials, char why[ROWS_WHY_MAX]) MUST_CHECK;

struct store_status {
	unsigned roster_staff;
	unsigned roster_credentials;
	uint64_t last_seq;	     /* highest sequence stored (0: none yet) */
	uint64_t acked_seq;	     /* highest sequence the collector acknowledged */
	int64_t oldest_unacked_usec; /* wall time of the oldest outbox record, 0 if none */
	int64_t last_wall_usec;	     /* wall time of the newest record, 0 if none */
	bool last_trusted;	     /* clock trust of the newest record */
	unsigned taps_in_range;	     /* taps with wall time in the range asked for */
	unsigned accepted_in_range;
};

/*
 * Counts for `status`; taps are counted with wall time in [from_usec, to_usec),
 * by a scan of all records, and not at all when the range is empty.
 */
int store_get_status(struct store *st, int64_t from_usec, int64_t to_usec,
		     struct store_status *ret_status) MUST_CHECK;

/*
 * Call fn for up to limit records, newest first. fn returns 0 to go on.
 * Returns 0 or the first error.
 */
typedef int store_record_fn(void *user, const struct record *rec);
int store_each_recent(struct store *st, unsigned limit, store_record_fn *fn, void *user) MUST_CHECK;

/*
 * Walk the whole chain: contiguous sequence numbers, each link correct and
 * naming the one before. 0 when it verifies; -EBADMSG with the first bad
 * sequence in ret_bad_seq otherwise.
 */
int store_verify_chain(struct store *st, uint64_t *ret_bad_seq) MUST_CHECK;

/* Up to max outbox records with seq > after_seq, oldest first, into recs. */
int store_outbox(struct store *st, uint64_t after_seq, size_t max, struct record *recs,
		 size_t *ret_n) MUST_CHECK;

/* The collector acknowledged every record up to seq (never moves backwards). */
int store_set_acked(struct store *st, uint64_t seq) MUST_CHECK;

/* Sync status kept for `status`: small text values by key. Get returns 1, or 0 if unset. */
int store_sync_set(struct store *st, const char *key, const char *value) MUST_CHECK;
int store_sync_get(struct store *st, const char *key, char *value, size_t len) MUST_CHECK;

/* Clock anchors: the collector's time seen at a boot time, one per boot (best kept). */
int store_anchor_put(struct store *st, const struct record_anchor *anchor) MUST_CHECK;
int store_anchor_get(struct store *st, const char *boot_id,
		     struct record_anchor *ret_anchor) MUST_CHECK;

/*
 * Fingers enrolled on this kiosk's module (hadir-kiosk fingerprint enroll).
 * Each is a row page -> NIP in the fingers table plus the credential
 * "finger:PAGE" of that NIP. The fingers table is kiosk-local: a roster
 * import (CSV or from the collector) empties the credentials and then puts
 * these back for every NIP still in the roster, replacing a roster row that
 * names the same page (the module's page holds this finger, whatever the
 * roster says). A NIP missing from a roster keeps its rows, unused, until it
 * returns or the finger is deleted.
 */
/* The name of nip: 1, or 0 when nip is not in the roster. */
int store_staff_name(struct store *st, const char *nip, char ret_name[STORE_NAME_MAX]) MUST_CHECK;
/* Map page to nip (replacing what the page meant before); -ENOENT if nip is not in the roster. */
int store_finger_add(struct store *st, const char *nip, unsigned page) MUST_CHECK;
/* Forget page: its enrolment row and its credential, whoever it belonged to. */
int store_finger_remove(struct store *st, unsigned page) MUST_CHECK;
/* Up to max pages of nip's fingers (enrolled here or from the roster), ascending. */
int store_finger_pages(struct store *st, const char *nip, uint16_t *pages, size_t max,
		       size_t *ret_n) MUST_CHECK;

/*
 * For modules keeping their own tables in this database (firmware/agenda.c):
 * the connection, valid while st is open, and a failed SQLite result code
 * as a negative errno (SQLite's message logged at debug level).
 */
struct sqlite3;
struct sqlite3 *store_sqlite(struct store *st);
int store_sqlite_fail(struct store *st, int rc, const char *what);

/*
 * Fingerprint templates shared through the collector (firmware/templates.h).
 * A finger's row may name the template its page holds (SHA-256, hex): such
 * a finger is shared, and a roster from the collector that no longer lists
 * that template for that NIP deletes it here too. The template outbox holds
 * what the collector must be told (JSON bodies, oldest first); template work
 * is what the module must do (queued by the sync process, done by the loop).
 */
#define STORE_TEMPLATE_MAX  4096 /* FPM_TEMPLATE_MAX */
#define STORE_WORK_KIND_MAX 16

struct store_template_work {
	int64_t id;
	char kind[STORE_WORK_KIND_MAX]; /* "download", "delete", "enroll" */
	char nip[RECORD_NIP_MAX];
	int64_t page;			  /* delete: the module page; -1 otherwise */
	char sha256[CRYPTO_SHA256_HEX];	  /* download, delete: the template's; "" for enroll */
	uint8_t data[STORE_TEMPLATE_MAX]; /* download: the template */
	size_t len;
	int64_t request; /* enroll: the collector's request id */
};

/*
 * A template the collector's roster lists for nip; with sha256 "" and len 0,
 * only that nip's templates are listed (a person whose "templates" member
 * the roster carries, even empty).
 */
struct store_template {
	const char *nip;
	char sha256[CRYPTO_SHA256_HEX];
	const uint8_t *data;
	size_t len;
};

/* The template page holds: 1 and its SHA-256 (hex), or 0 when the page is not shared. */
int store_finger_sha(struct store *st, unsigned page, char ret_sha[CRYPTO_SHA256_HEX]) MUST_CHECK;
/*
 * Mark page as holding the template sha256 and, with body, queue body for the
 * collector, in one transaction.
 */
int store_finger_share(struct store *st, unsigned page, const char *sha256,
		       const char *body) MUST_CHECK;
/* The collector refused the template for good: keep the finger here, unshared. */
int store_finger_unshare(struct store *st, const char *sha256) MUST_CHECK;

int store_template_outbox_add(struct store *st, const char *sha256, const char *body) MUST_CHECK;
/* The oldest outbox entry: 1 with its id and body (free() it), 0 when empty. */
int store_template_outbox_next(struct store *st, int64_t *ret_id, char **ret_body) MUST_CHECK;
int store_template_outbox_drop(struct store *st, int64_t id) MUST_CHECK;

int store_template_work_add(struct store *st, const struct store_template_work *w) MUST_CHECK;
/* The oldest work item: 1 and the item, 0 when there is none. */
int store_template_work_next(struct store *st, struct store_template_work *ret) MUST_CHECK;
int store_template_work_drop(struct store *st, int64_t id) MUST_CHECK;
/* Download w done: page holds w's template of w->nip, and w is gone, in one transaction. */
int store_template_downloaded(struct store *st, const struct store_template_work *w,
			      unsigned page) MUST_CHECK;
/* For `status`: reports waiting for the collector, work waiting for the module. */
int store_template_backlog(struct store *st, unsigned *ret_to_send,
			   unsigned *ret_to_write) MUST_CHECK;
/* Queue the collector's enrolment request id once: 1 when queued now, 0 when taken before. */
int store_template_request_take(struct store *st, int64_t id, const char *nip) MUST_CHECK;
/*
 * Compare the templates a roster lists with the shared fingers, in one
 * transaction, and queue the module work that makes them agree: a download
 * for each listed template of a roster NIP not on a page yet, a delete for
 * each shared finger of a NIP gone from the roster, or of a NIP whose
 * templates are listed without that one. A NIP in the roster whose
 * templates are not listed (the collector could not open them) keeps its
 * fingers. Templates the outbox still has to report are left alone.
 * ret_queued: new work items.
 */
int store_templates_reconcile(struct store *st, const struct store_template *list, size_t n,
			      unsigned *ret_queued) MUST_CHECK;

/* Normalise a card number as typed or decoded: digits, leading zeros dropped. */
int store_card_credential(const char *digits, char ret[RECORD_CREDENTIAL_MAX]) MUST_CHECK;

#endif
