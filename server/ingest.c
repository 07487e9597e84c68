// SPDX-License-Identifier: MIT
/* Batch ingest: de-duplication, chain checks, tamper alerts, time correction. */
#include "server/ingest.h"

#include <errno.h>
#include <inttypes.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>

#include "common/log.h"
#include "server/activities.h"
#include "server/db.h"

struct ingest {
	struct db *db;
	const struct db_device *dev;
	const struct activities_rules *rules;
	int64_t now_usec;
	struct ingest_result res;
	/*
	 * What the batch itself tells, so the common case (the next records of
	 * an intact chain) needs no lookups: the highest seq stored before the
	 * batch (nothing above it can be a duplicate or have a stored
	 * successor) and the link of the record just stored.
	 */
	uint64_t max_seq_before;
	uint64_t last_seq;
	uint8_t last_link[CRYPTO_SHA256_LEN];
	bool has_last;
	uint64_t contiguous;			  /* 1..contiguous all stored */
	char corrected_boot[CLK_BOOT_ID_LEN + 1]; /* boot already corrected in this batch */
};

static const uint8_t zero_link[CRYPTO_SHA256_LEN];

/* Raise a tamper alert once per (device, seq, kind). */
PRINTF_LIKE(4, 5)
static int alert(struct ingest *in, uint64_t seq, const char *kind, const char *fmt, ...)
{
	char detail[DB_ALERT_MAX];
	va_list ap;
	int r;

	va_start(ap, fmt);
	vsnprintf(detail, sizeof(detail), fmt, ap);
	va_end(ap);
	r = db_alert_add(in->db, in->dev->id, seq, kind, detail, in->now_usec);
	if (r < 0)
		return r;
	if (r > 0) {
		log_warn("ingest: tamper alert for device '%s' seq %" PRIu64 ": %s: %s",
			 in->dev->name, seq, kind, detail);
		in->res.alerts++;
	}
	return 0;
}

/*
 * Check rec (its link against its fields: is_link_ok) against its stored
 * neighbours; false when anything is off (alerts raised).
 */
static int check_chain(struct ingest *in, const struct record *rec, bool is_link_ok, bool *ret_ok)
{
	uint8_t prev[CRYPTO_SHA256_LEN], link[CRYPTO_SHA256_LEN];
	bool ok = true;
	int r;

	if (!is_link_ok) {
		ok = false;
		r = alert(in, rec->seq, "link", "link does not match the record's fields");
		if (r < 0)
			return r;
	}
	if (rec->seq == 1) {
		if (memcmp(rec->prev, zero_link, sizeof(zero_link)) != 0) {
			ok = false;
			r = alert(in, rec->seq, "chain", "first record's prev is not zero");
			if (r < 0)
				return r;
		}
	} else {
		if (in->has_last && in->last_seq == rec->seq - 1) {
			memcpy(link, in->last_link, sizeof(link));
			r = 0;
		} else {
			r = db_record_chain(in->db, in->dev->id, rec->seq - 1, prev, link);
		}
		if (r == -ENOENT) {
			r = alert(in, rec->seq, "gap", "seq %" PRIu64 " missing before it",
				  rec->seq - 1);
		} else if (r == 0 && memcmp(link, rec->prev, sizeof(link)) != 0) {
			ok = false;
			r = alert(in, rec->seq, "chain",
				  "prev does not match the link of seq %" PRIu64, rec->seq - 1);
		}
		if (r < 0)
			return r;
	}
	/* A successor stored earlier (after a gap) must point at this record. */
	if (rec->seq + 1 > in->max_seq_before) {
		*ret_ok = ok;
		return 0;
	}
	r = db_record_chain(in->db, in->dev->id, rec->seq + 1, prev, link);
	if (r == 0 && memcmp(prev, rec->link, sizeof(prev)) != 0)
		r = alert(in, rec->seq + 1, "chain", "prev does not match the link of seq %" PRIu64,
			  rec->seq);
	else if (r == -ENOENT)
		r = 0;
	if (r < 0)
		return r;
	*ret_ok = ok;
	return 0;
}

/*
 * The wall time a record should have had: its own when the kiosk trusted its
 * clock, else its boot time plus the offset a trusted record of the same
 * boot showed. Unknown until such a record arrives (db_boot_correct).
 */
static int corrected_time(struct ingest *in, const struct record *rec, struct db_record_meta *meta)
{
	int64_t offset;
	int r;

	if (rec->clock_trusted) {
		meta->has_corrected = true;
		meta->corrected_usec = rec->wall_usec;
		return 0;
	}
	r = db_boot_offset(in->db, in->dev->id, rec->boot_id, &offset);
	if (r == -ENOENT)
		return 0;
	if (r < 0)
		return r;
	meta->has_corrected = true;
	meta->corrected_usec = rec->boot_usec + offset;
	return 0;
}

static void note_stored(struct ingest *in, const struct record *rec)
{
	in->last_seq = rec->seq;
	memcpy(in->last_link, rec->link, sizeof(in->last_link));
	in->has_last = true;
	if (rec->seq == in->contiguous + 1)
		in->contiguous++;
}

static int ingest_one(struct ingest *in, const struct record_batch *batch, size_t i)
{
	const struct record *rec = &batch->recs[i];
	uint8_t prev[CRYPTO_SHA256_LEN], link[CRYPTO_SHA256_LEN];
	struct db_record_meta meta = {.received_usec = in->now_usec};
	int r;

	r = rec->seq > in->max_seq_before
		? -ENOENT
		: db_record_chain(in->db, in->dev->id, rec->seq, prev, link);
	if (r == 0) {
		if (memcmp(link, rec->link, sizeof(link)) == 0) {
			in->res.duplicates++;
			note_stored(in, rec);
			return 0;
		}
		return alert(in, rec->seq, "conflict",
			     "resent with a different link than the stored record");
	}
	if (r != -ENOENT)
		return r;

	r = check_chain(in, rec, batch->is_link_ok ? batch->is_link_ok[i] : record_link_ok(rec),
			&meta.is_chain_ok);
	if (r == 0)
		r = corrected_time(in, rec, &meta);
	if (r == 0)
		r = db_record_insert(in->db, in->dev->id, rec, &meta);
	/* An untrusted clock's time says nothing yet: the entry was made before it arrived. */
	if (r == 0 && strcmp(rec->kind, "activity") == 0)
		r = activities_ingest(in->db, in->rules, in->dev->id, rec,
				      meta.has_corrected ? meta.corrected_usec : in->now_usec,
				      in->now_usec);
	if (r < 0)
		return r;
	in->res.stored++;
	note_stored(in, rec);
	/* The first trusted record of a boot corrects the boot's earlier records; once is enough.
	 */
	if (rec->clock_trusted && strcmp(in->corrected_boot, rec->boot_id) != 0) {
		r = db_boot_correct(in->db, in->dev->id, rec->boot_id,
				    rec->wall_usec - rec->boot_usec);
		if (r < 0)
			return r;
		memcpy(in->corrected_boot, rec->boot_id, sizeof(in->corrected_boot));
	}
	return 0;
}

static int advance_ack(struct ingest *in)
{
	uint8_t prev[CRYPTO_SHA256_LEN], link[CRYPTO_SHA256_LEN];
	uint64_t acked = in->contiguous;
	int r;

	/* Past the batch, only records stored before it (after a gap) can extend the run. */
	while (acked + 1 <= in->max_seq_before) {
		r = db_record_chain(in->db, in->dev->id, acked + 1, prev, link);
		if (r == -ENOENT)
			break;
		if (r < 0)
			return r;
		acked++;
	}
	in->res.acked_seq = acked;
	if (acked == in->dev->acked_seq)
		return 0;
	return db_device_set_acked(in->db, in->dev->id, acked);
}

static int ingest_anchor(struct ingest *in, const struct record_anchor *a)
{
	int64_t offset;
	int r;

	r = db_boot_anchor_put(in->db, in->dev->id, a->boot_id, a->true_usec - a->boot_usec,
			       a->rtt_usec);
	if (r == 0)
		r = db_boot_offset(in->db, in->dev->id, a->boot_id, &offset);
	if (r == 0)
		r = db_boot_correct(in->db, in->dev->id, a->boot_id, offset);
	return r < 0 ? r : 0;
}

int ingest_batch(struct db *db, const struct db_device *dev, const struct record_batch *batch,
		 const struct activities_rules *rules, int64_t now_usec,
		 struct ingest_result *ret_result)
{
	static const struct activities_rules defaults;
	struct ingest in = {.db = db,
			    .dev = dev,
			    .rules = rules ? rules : &defaults,
			    .now_usec = now_usec,
			    .contiguous = dev->acked_seq};
	const struct record *recs = batch->recs;
	int r;

	for (size_t i = 1; i < batch->n; i++)
		if (recs[i].seq <= recs[i - 1].seq)
			return -EBADMSG;
	/* A savepoint: its own transaction, or its part of the server's group commit. */
	r = db_savepoint(db);
	if (r < 0)
		return r;
	r = db_record_max_seq(db, dev->id, &in.max_seq_before);
	if (r < 0)
		goto out_rollback;
	for (size_t i = 0; i < batch->n_anchors; i++) {
		r = ingest_anchor(&in, &batch->anchors[i]);
		if (r < 0)
			goto out_rollback;
	}
	for (size_t i = 0; i < batch->n; i++) {
		r = ingest_one(&in, batch, i);
		if (r < 0)
			goto out_rollback;
	}
	r = advance_ack(&in);
	if (r < 0)
		goto out_rollback;
	/* Bad health never costs the records: it is left out, and said so. */
	if (batch->health_why[0])
		log_warn("ingest: device '%s': health ignored: %s", dev->name, batch->health_why);
	r = db_device_sync(db, dev->id, now_usec, batch->has_health ? &batch->health : NULL);
	if (r < 0)
		goto out_rollback;
	r = db_release(db);
	if (r < 0)
		goto out_rollback;
	*ret_result = in.res;
	return 0;

out_rollback:
	db_rollback_to(db);
	return r;
}
