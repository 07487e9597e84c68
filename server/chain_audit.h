/* SPDX-License-Identifier: MIT */
/*
 * An audit of what the collector holds of one kiosk: every stored record
 * walked in sequence (its link recomputed from its fields, its prev against
 * the record before), and the latest chain head the kiosk signed checked
 * against the link stored at that sequence with the certificate the kiosk
 * enrolled with. Ingest checked all this as records came; the audit checks
 * the stored copy now. A record edited in the database breaks its link; one
 * edited with every later link recomputed (the hash chain has no key) no
 * longer leads to the head the kiosk signed.
 */
#ifndef HADIR_SERVER_CHAIN_AUDIT_H
#define HADIR_SERVER_CHAIN_AUDIT_H

#include <stdbool.h>
#include <stdint.h>

#include "common/err.h"

struct db;
struct db_device;

enum chain_head_state {
	CHAIN_HEAD_NONE,	   /* no signed head kept (nothing pushed since, or an old kiosk) */
	CHAIN_HEAD_VERIFIES,	   /* the stored chain leads to the head the kiosk signed */
	CHAIN_HEAD_DOES_NOT,	   /* it does not: the stored copy differs from what was signed */
	CHAIN_HEAD_NO_RECORD,	   /* the signed seq is not stored */
	CHAIN_HEAD_NO_CERTIFICATE, /* enrolled before certificates were kept */
};

struct chain_audit {
	uint64_t records;	/* stored */
	uint64_t last_seq;	/* highest stored, 0 if none */
	uint64_t missing;	/* seqs below last_seq not stored */
	uint64_t first_bad_seq; /* the first record whose link or prev is wrong; 0: none */
	char problem[160];	/* what is wrong with it, or "" */
	enum chain_head_state head;
	uint64_t head_seq; /* the signed head's seq, when one is kept */
};

struct record_head;

/*
 * Verify head (of the record whose link is link) with the certificate device
 * enrolled with: 0, -EBADMSG when it does not verify, -ENOENT when no
 * certificate was kept (enrolled before they were), or a storage error.
 */
int chain_head_verify(struct db *db, int64_t device_id, const struct record_head *head,
		      const uint8_t *link) MUST_CHECK;

/* Audit dev's stored records and signed head into *ret. Storage errors only. */
int chain_audit_device(struct db *db, const struct db_device *dev,
		       struct chain_audit *ret) MUST_CHECK;

/* Whether the audit found anything wrong (a missing record is no tampering). */
bool chain_audit_failed(const struct chain_audit *a);

/* "verifies", "does-not-verify", "no-record", "no-certificate" or "none". */
const char *chain_head_state_name(enum chain_head_state state);

#endif
