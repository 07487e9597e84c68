/* SPDX-License-Identifier: MIT */
/*
 * Records: what a kiosk stores and the collector ingests, and the contract
 * between them. Each record has a per-device sequence number and joins a
 * SHA-256 hash chain: link = SHA-256(prev link || canonical bytes). The
 * canonical bytes are defined here once, so both sides hash the same thing.
 *
 * Canonical bytes (version 1): the ASCII magic "HADIR-REC-1", then each field
 * in this order: seq (u64), kind, wall_usec (i64), boot_usec (i64), boot_id,
 * clock_trusted (u8), credential, nip, outcome, reason, direction, payload.
 * Integers are big-endian two's complement; strings are a u32 big-endian
 * length followed by their UTF-8 bytes. Times corrected later (clock trust)
 * are not part of the hash: the record keeps what the kiosk saw.
 *
 * On the wire a batch is JSON:
 *   {"version":1,"records":[{"seq":1,"kind":"tap","wall_usec":..,
 *    "boot_usec":..,"boot_id":"..","clock_trusted":true,"credential":"card:123",
 *    "nip":"..","outcome":"accepted","reason":"","direction":"","payload":"",
 *    "prev":"<64 hex>","link":"<64 hex>"}, ...]}
 */
#ifndef HADIR_COMMON_RECORD_H
#define HADIR_COMMON_RECORD_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "common/clk.h"
#include "common/crypto.h"
#include "common/err.h"

#define RECORD_WIRE_VERSION 1
#define RECORD_BATCH_MAX 1000	  /* records in one batch */
#define RECORD_BODY_MAX (4 << 20) /* bytes of one batch on the wire */

#define RECORD_KIND_MAX 16
#define RECORD_CREDENTIAL_MAX 48 /* "card:" + up to 20 digits, "finger:1000" */
#define RECORD_NIP_MAX 24	 /* an NIP is 18 digits */
#define RECORD_OUTCOME_MAX 16
#define RECORD_REASON_MAX 96
#define RECORD_DIRECTION_MAX 8
#define RECORD_PAYLOAD_MAX 2048 /* JSON text of kind-specific data (activities) */

struct record {
	uint64_t seq;			       /* 1, 2, … per device */
	char kind[RECORD_KIND_MAX];	       /* "tap", "activity" */
	int64_t wall_usec;		       /* CLOCK_REALTIME when recorded */
	int64_t boot_usec;		       /* CLOCK_BOOTTIME when recorded */
	char boot_id[CLK_BOOT_ID_LEN + 1];     /* the boot boot_usec counts from */
	bool clock_trusted;		       /* wall clock known good at record time */
	char credential[RECORD_CREDENTIAL_MAX]; /* "card:DIGITS" or "finger:SLOT" */
	char nip[RECORD_NIP_MAX];	       /* empty when nobody matched */
	char outcome[RECORD_OUTCOME_MAX];      /* "accepted", "rejected", "unknown" */
	char reason[RECORD_REASON_MAX];	       /* why rejected; empty otherwise */
	char direction[RECORD_DIRECTION_MAX];  /* "", "in", "out" */
	char payload[RECORD_PAYLOAD_MAX];      /* kind-specific JSON, or empty */
	uint8_t prev[CRYPTO_SHA256_LEN];       /* link of seq - 1; zeros for seq 1 */
	uint8_t link[CRYPTO_SHA256_LEN];       /* SHA-256(prev || canonical bytes) */
};

/* The link a record should carry, computed from its fields and rec->prev. */
void record_compute_link(const struct record *rec, uint8_t ret_link[CRYPTO_SHA256_LEN]);

/* Set rec->prev to prev and rec->link to the computed link. */
void record_seal(struct record *rec, const uint8_t prev[CRYPTO_SHA256_LEN]);

/* True when rec->link matches its fields and rec->prev. */
bool record_link_ok(const struct record *rec);

/* Check field values (kind, outcome, direction vocabularies; seq >= 1). */
int record_validate(const struct record *rec, const char **ret_why) MUST_CHECK;

/*
 * Encode records as a batch; the returned string must be freed by the caller
 * with free(). NULL on allocation failure.
 */
char *record_batch_encode(const struct record *recs, size_t n);

/*
 * Decode a batch body. On success *ret_recs (free with free()) holds *ret_n
 * records, each validated but with links not yet checked against a chain.
 * Returns -EBADMSG with a reason in why (for the client's error reply) for
 * malformed JSON, wrong types, bad sizes or values, -E2BIG when over the
 * bounds above.
 */
int record_batch_decode(const char *body, size_t len, struct record **ret_recs, size_t *ret_n,
			char *why, size_t why_len) MUST_CHECK;

#endif
