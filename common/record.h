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
 *    "prev":"<64 hex>","link":"<64 hex>"}, ...],
 *   "anchors":[{"boot_id":"..","boot_usec":..,"true_usec":..,"rtt_usec":..}],
 *   "health":{"outbox":N,"outbox_oldest_usec":T,"clock_offset_usec":O,
 *             "clock_trusted":true,"boot_id":"..","uptime_s":S,"version":".."}}
 * "anchors" is optional: the kiosk's clock anchors for the boots in the batch.
 * "health" is optional too (kiosks before it send none): how the kiosk is
 * doing as it sends. A health object that is malformed never costs the
 * records: the decoder drops it and says why (record_batch.health_why).
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
#define RECORD_BATCH_MAX    1000      /* records in one batch */
#define RECORD_ANCHORS_MAX  64	      /* clock anchors in one batch */
#define RECORD_BODY_MAX	    (4 << 20) /* bytes of one batch on the wire */

#define RECORD_KIND_MAX	      16
#define RECORD_CREDENTIAL_MAX 48 /* "card:" + up to 20 digits, "finger:1000" */
#define RECORD_NIP_MAX	      24 /* an NIP is 18 digits */
#define RECORD_OUTCOME_MAX    16
#define RECORD_REASON_MAX     96
#define RECORD_DIRECTION_MAX  8
#define RECORD_PAYLOAD_MAX    2048 /* JSON text of kind-specific data (activities) */

struct record {
	uint64_t seq;				/* 1, 2, … per device */
	char kind[RECORD_KIND_MAX];		/* "tap", "activity" */
	int64_t wall_usec;			/* CLOCK_REALTIME when recorded */
	int64_t boot_usec;			/* CLOCK_BOOTTIME when recorded */
	char boot_id[CLK_BOOT_ID_LEN + 1];	/* the boot boot_usec counts from */
	bool clock_trusted;			/* wall clock known good at record time */
	char credential[RECORD_CREDENTIAL_MAX]; /* "card:DIGITS" or "finger:SLOT" */
	char nip[RECORD_NIP_MAX];		/* empty when nobody matched */
	char outcome[RECORD_OUTCOME_MAX];	/* "accepted", "rejected", "unknown" */
	char reason[RECORD_REASON_MAX];		/* why rejected; empty otherwise */
	char direction[RECORD_DIRECTION_MAX];	/* "", "in", "out" */
	char payload[RECORD_PAYLOAD_MAX];	/* kind-specific JSON, or empty */
	uint8_t prev[CRYPTO_SHA256_LEN];	/* link of seq - 1; zeros for seq 1 */
	uint8_t link[CRYPTO_SHA256_LEN];	/* SHA-256(prev || canonical bytes) */
};

/*
 * A clock anchor: the true time (the collector's clock, read by the kiosk
 * half a round trip after it was sent) at a moment of one boot's monotonic
 * clock. With it every record of that boot gets its true time exactly:
 * true_usec - (boot_usec - record's boot_usec), however wrong the wall clock.
 */
struct record_anchor {
	char boot_id[CLK_BOOT_ID_LEN + 1];
	int64_t boot_usec; /* CLOCK_BOOTTIME of that boot */
	int64_t true_usec; /* the true wall time at boot_usec */
	int64_t rtt_usec;  /* round trip of the measurement: the error is below half of it */
};

#define RECORD_VERSION_MAX 48 /* a kiosk's software version, printable ASCII */

/*
 * The kiosk's state as it sends a batch, for the collector's device
 * overview. Decoded values are bounded (record_batch_decode): a count or a
 * time no kiosk can report makes the whole object ignored.
 */
struct record_health {
	int64_t outbox;		    /* records waiting to be acknowledged */
	int64_t outbox_oldest_usec; /* wall time of the oldest of them; 0 when none */
	int64_t clock_offset_usec;  /* true time minus the kiosk's wall clock, last measured */
	bool clock_trusted;	    /* the kiosk trusts its wall clock now */
	char boot_id[CLK_BOOT_ID_LEN + 1]; /* the boot it runs in */
	int64_t uptime_s;		   /* seconds since that boot */
	char version[RECORD_VERSION_MAX];  /* hadir-kiosk's version */
};

/* The link a record should carry, computed from its fields and rec->prev. */
void record_compute_link(const struct record *rec, uint8_t ret_link[CRYPTO_SHA256_LEN]);

/* Set rec->prev to prev and rec->link to the computed link. */
void record_seal(struct record *rec, const uint8_t prev[CRYPTO_SHA256_LEN]);

/* True when rec->link matches its fields and rec->prev. */
bool record_link_ok(const struct record *rec);

/* Check field values (kind, outcome, direction vocabularies; seq >= 1). */
int record_validate(const struct record *rec, const char **ret_why) MUST_CHECK;

/* A decoded batch; free with record_batch_free(). */
/*
 * A kiosk's signed chain head: the sequence of a record it sent (a batch's
 * last) and the device key's ECDSA signature of record_head_digest() of that
 * sequence and the record's link. The link covers every record before it, so
 * the latest verified head the collector keeps vouches for the device's whole
 * chain up to seq: a stored record changed afterwards no longer leads to it.
 */
struct record_head {
	uint64_t seq;
	uint8_t sig[CRYPTO_SIGNATURE_MAX];
	size_t sig_len;
};

/* SHA-256 of "hadir-head-v1", a NUL, seq (8 bytes, big-endian) and link. */
void record_head_digest(uint64_t seq, const uint8_t link[CRYPTO_SHA256_LEN],
			uint8_t ret_digest[CRYPTO_SHA256_LEN]);
/*
 * Whether head is the signature, by the key of cert (PEM or DER, len bytes),
 * of the record of head->seq whose link is link: 0, -EBADMSG when not, or an
 * error reading cert.
 */
int record_head_verify(const struct record_head *head, const uint8_t link[CRYPTO_SHA256_LEN],
		       const void *cert, size_t len) MUST_CHECK;

struct record_batch {
	struct record *recs;
	size_t n;
	struct record_anchor *anchors;
	size_t n_anchors;
	bool *is_link_ok; /* per record, once ::record_batch_check_links ran; else NULL */
	bool has_head;	  /* a "head" came (its signature not yet verified) */
	struct record_head head;
	bool has_health; /* a valid "health" object came with the batch */
	struct record_health health;
	char health_why[96]; /* why a "health" object that came was ignored; else "" */
};

/*
 * Encode records (and anchors, which may be NULL with n_anchors 0, head and
 * health, NULL for none) as a batch; the returned string must be freed by
 * the caller with free(). NULL on allocation failure.
 */
char *record_batch_encode(const struct record *recs, size_t n, const struct record_anchor *anchors,
			  size_t n_anchors, const struct record_head *head,
			  const struct record_health *health);

/*
 * Decode a batch body into ret_batch: records validated but with links not
 * yet checked against a chain, and anchors. Returns -EBADMSG with a reason
 * in why (for the client's error reply) for malformed JSON, wrong types, bad
 * sizes or values (a "head" too), -E2BIG when over the bounds above. A bad
 * "health" object is no error: has_health stays false and health_why says
 * what was wrong.
 */
int record_batch_decode(const char *body, size_t len, struct record_batch *ret_batch, char *why,
			size_t why_len) MUST_CHECK;

/*
 * Check every record's link against its fields (record_link_ok), into
 * batch->is_link_ok: the hashing of a batch, done where the caller likes
 * (off the collector's event loop). -ENOMEM.
 */
int record_batch_check_links(struct record_batch *batch) MUST_CHECK;

void record_batch_free(struct record_batch *batch);

#endif
