/* SPDX-License-Identifier: MIT */
/*
 * Ingest: store a kiosk's batch of records, idempotently and with its hash
 * chain checked. Policy only; storage goes through db.h, so every backend
 * behaves alike. A record already stored under (device, seq) with the same
 * link is a duplicate and changes nothing; with a different link it is a
 * tamper alert ("conflict"). A new record is always stored (never dropped)
 * but flagged when its link does not match its fields ("link"), when its prev
 * does not match its stored neighbour ("chain"), or when its predecessor is
 * missing ("gap"); each such finding is a tamper alert, raised once.
 */
#ifndef HADIR_SERVER_INGEST_H
#define HADIR_SERVER_INGEST_H

#include <stddef.h>
#include <stdint.h>

#include "common/err.h"
#include "common/record.h"

struct activities_rules;
struct db;
struct db_device;

struct ingest_result {
	uint64_t acked_seq;  /* highest seq with 1..seq all stored */
	unsigned stored;     /* new records */
	unsigned duplicates; /* already stored, same link */
	unsigned alerts;     /* new tamper alerts */
};

/*
 * Store a batch's records (ascending by seq) and clock anchors for dev in
 * one transaction, committed before returning. Anchors come first, so the
 * records of their boots get corrected times at once, and earlier records
 * of those boots are corrected too. -EBADMSG when the seqs are not strictly
 * ascending; storage errors roll everything back. New records of kind
 * "activity" also become activity entries under rules (NULL: the defaults).
 * The device's last sync and the health the batch carries (if valid; a bad
 * one is logged and left out) are stored in the same transaction.
 */
int ingest_batch(struct db *db, const struct db_device *dev, const struct record_batch *batch,
		 const struct activities_rules *rules, int64_t now_usec,
		 struct ingest_result *ret_result) MUST_CHECK;

#endif
