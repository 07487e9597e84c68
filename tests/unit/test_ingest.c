// SPDX-License-Identifier: MIT
/*
 * Ingest over the SQLite store: idempotence by (device, seq), the highest
 * contiguous acknowledgement, and every chain problem raised as a tamper
 * alert while the record is still stored.
 */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "common/record.h"
#include "server/db.h"
#include "server/ingest.h"

static const char boot[] = "0f1e2d3c-4b5a-6978-8796-a5b4c3d2e1f0";

struct fixture {
	char dir[64];
	char path[96];
	struct db *db;
	struct db_device dev;
	struct record chain[8]; /* seq 1..8, properly linked */
};

static int count_taps_fn(const struct db_tap *tap, void *user)
{
	(void)tap;
	(*(unsigned *)user)++;
	return 0;
}

static unsigned count_taps(struct fixture *f)
{
	struct db_tap_query q = {.from_usec = INT64_MIN, .to_usec = INT64_MAX};
	unsigned n = 0;

	assert_int_equal(db_taps(f->db, &q, count_taps_fn, &n), 0);
	return n;
}

static int setup(void **state)
{
	static const uint8_t zero[CRYPTO_SHA256_LEN];
	struct crypto_cert_info cert = {.serial = "01"};
	struct fixture *f = calloc(1, sizeof(*f));
	char hash[CRYPTO_SHA256_HEX], fp[CRYPTO_SHA256_HEX];

	assert_non_null(f);
	strcpy(f->dir, "/tmp/hadir-ingest.XXXXXX");
	assert_non_null(mkdtemp(f->dir));
	snprintf(f->path, sizeof(f->path), "%s/c.db", f->dir);
	assert_int_equal(db_sqlite_open(f->path, &f->db), 0);
	crypto_token_hash("token", hash);
	assert_int_equal(db_device_add(f->db, "kiosk-1", hash, 1, 1000), 0);
	memset(cert.fingerprint, 7, sizeof(cert.fingerprint));
	assert_int_equal(db_device_enroll(f->db, hash, 2, &cert, NULL), 0);
	crypto_hex(cert.fingerprint, fp);
	assert_int_equal(db_device_by_fingerprint(f->db, fp, &f->dev), 0);
	for (int i = 0; i < 8; i++) {
		struct record *r = &f->chain[i];

		r->seq = (uint64_t)i + 1;
		strcpy(r->kind, "tap");
		r->wall_usec = INT64_C(1740962460000000) + i * INT64_C(60000000);
		r->boot_usec = 1000000 + i * INT64_C(60000000);
		strcpy(r->boot_id, boot);
		r->clock_trusted = true;
		strcpy(r->credential, "card:42");
		strcpy(r->nip, "198501012010011001");
		strcpy(r->outcome, "accepted");
		record_seal(r, i ? f->chain[i - 1].link : zero);
	}
	*state = f;
	return 0;
}

static int teardown(void **state)
{
	struct fixture *f = *state;
	char path[128];

	db_close(f->db);
	(void)unlink(f->path);
	snprintf(path, sizeof(path), "%s-wal", f->path);
	(void)unlink(path);
	snprintf(path, sizeof(path), "%s-shm", f->path);
	(void)unlink(path);
	(void)rmdir(f->dir);
	free(f);
	return 0;
}

/* Ingest recs and anchors, refreshing the device row (acked_seq) first, as the API does. */
static struct ingest_result ingest_with(struct fixture *f, const struct record *recs, size_t n,
					const struct record_anchor *anchors, size_t n_anchors)
{
	struct record_batch batch = {.recs = (struct record *)(uintptr_t)recs,
				     .n = n,
				     .anchors = (struct record_anchor *)(uintptr_t)anchors,
				     .n_anchors = n_anchors};
	char fp[CRYPTO_SHA256_HEX];
	struct ingest_result res;
	uint8_t raw[CRYPTO_SHA256_LEN];

	memset(raw, 7, sizeof(raw));
	crypto_hex(raw, fp);
	assert_int_equal(db_device_by_fingerprint(f->db, fp, &f->dev), 0);
	assert_int_equal(ingest_batch(f->db, &f->dev, &batch, NULL, 5, &res), 0);
	return res;
}

static struct ingest_result ingest(struct fixture *f, const struct record *recs, size_t n)
{
	return ingest_with(f, recs, n, NULL, 0);
}

static void test_ingest_batch_stores_and_acks(void **state)
{
	struct fixture *f = *state;
	struct ingest_result res = ingest(f, f->chain, 3);

	assert_int_equal(res.stored, 3);
	assert_int_equal(res.duplicates, 0);
	assert_int_equal(res.alerts, 0);
	assert_int_equal(res.acked_seq, 3);
	assert_int_equal(count_taps(f), 3);
}

static void test_ingest_batch_resend_changes_nothing(void **state)
{
	struct fixture *f = *state;
	struct ingest_result a = ingest(f, f->chain, 4), b = ingest(f, f->chain, 4);

	assert_int_equal(b.stored, 0);
	assert_int_equal(b.duplicates, 4);
	assert_int_equal(b.alerts, 0);
	assert_int_equal(a.acked_seq, b.acked_seq);
	assert_int_equal(count_taps(f), 4);
}

static void test_ingest_batch_gap_alerts_and_holds_ack(void **state)
{
	struct fixture *f = *state;
	struct ingest_result res;

	res = ingest(f, f->chain, 2);
	assert_int_equal(res.acked_seq, 2);
	res = ingest(f, f->chain + 4, 2); /* seq 5, 6: 3 and 4 missing */
	assert_int_equal(res.stored, 2);
	assert_int_equal(res.alerts, 1);
	assert_int_equal(res.acked_seq, 2);
	res = ingest(f, f->chain + 4, 2); /* resent: same alert, not raised twice */
	assert_int_equal(res.alerts, 0);
	assert_int_equal(res.acked_seq, 2);
	res = ingest(f, f->chain + 2, 2); /* the gap filled: links line up, ack jumps */
	assert_int_equal(res.stored, 2);
	assert_int_equal(res.alerts, 0);
	assert_int_equal(res.acked_seq, 6);
}

static void test_ingest_batch_bad_link_stored_with_alert(void **state)
{
	struct fixture *f = *state;
	struct record bad[2];
	struct ingest_result res;

	memcpy(bad, f->chain, sizeof(bad));
	strcpy(bad[1].outcome, "rejected"); /* edited after sealing */
	res = ingest(f, bad, 2);
	assert_int_equal(res.stored, 2);
	assert_int_equal(res.alerts, 1);
	assert_int_equal(res.acked_seq, 2);
	assert_int_equal(count_taps(f), 2);
}

static void test_ingest_batch_conflicting_resend_alerts(void **state)
{
	struct fixture *f = *state;
	struct record other;
	struct ingest_result res;

	(void)ingest(f, f->chain, 2);
	other = f->chain[1];
	strcpy(other.nip, "1");
	record_seal(&other, f->chain[0].link); /* a well-formed but different seq 2 */
	res = ingest(f, &other, 1);
	assert_int_equal(res.stored, 0);
	assert_int_equal(res.duplicates, 0);
	assert_int_equal(res.alerts, 1);
	assert_int_equal(res.acked_seq, 2);
}

static void test_ingest_batch_broken_prev_alerts(void **state)
{
	static const uint8_t junk[CRYPTO_SHA256_LEN] = {1, 2, 3};
	struct fixture *f = *state;
	struct record r[2];
	struct ingest_result res;

	memcpy(r, f->chain, sizeof(r));
	record_seal(&r[1], junk); /* self-consistent, but not linked to seq 1 */
	res = ingest(f, r, 2);
	assert_int_equal(res.stored, 2);
	assert_int_equal(res.alerts, 1);
}

static void test_ingest_batch_out_of_order_refused(void **state)
{
	struct fixture *f = *state;
	struct record r[2] = {f->chain[1], f->chain[0]};
	struct record_batch batch = {.recs = r, .n = 2};
	struct ingest_result res;

	assert_int_equal(ingest_batch(f->db, &f->dev, &batch, NULL, 5, &res), -EBADMSG);
	assert_int_equal(count_taps(f), 0);
}

static int corrected_fn(const struct db_tap *tap, void *user)
{
	int64_t *out = user;

	out[tap->seq - 1] = tap->has_corrected ? tap->corrected_usec : -1;
	return 0;
}

static void test_ingest_batch_corrects_untrusted_time(void **state)
{
	static const uint8_t zero[CRYPTO_SHA256_LEN];
	struct db_tap_query q = {.from_usec = INT64_MIN, .to_usec = INT64_MAX};
	struct fixture *f = *state;
	int64_t got[3] = {0};
	struct record r[3];

	memcpy(r, f->chain, sizeof(r));
	r[0].clock_trusted = false;
	r[0].wall_usec = 5; /* the kiosk booted without a clock */
	record_seal(&r[0], zero);
	record_seal(&r[1], r[0].link);
	record_seal(&r[2], r[1].link);
	(void)ingest(f, r, 1);
	assert_int_equal(db_taps(f->db, &q, corrected_fn, got), 0);
	assert_int_equal(got[0], -1); /* unknown yet */
	(void)ingest(f, r + 1, 2);    /* trusted records of the same boot arrive */
	assert_int_equal(db_taps(f->db, &q, corrected_fn, got), 0);
	assert_int_equal(got[0], f->chain[0].wall_usec);
	assert_int_equal(got[1], f->chain[1].wall_usec);
}

/* A kiosk whose clock started at 1970 learned the collector's time: every record is corrected. */
static void test_ingest_batch_anchor_corrects_earlier_records(void **state)
{
	static const uint8_t zero[CRYPTO_SHA256_LEN];
	struct db_tap_query q = {.from_usec = INT64_MIN, .to_usec = INT64_MAX};
	struct fixture *f = *state;
	struct record_anchor a = {.boot_usec = 0, .rtt_usec = 2000};
	int64_t got[3] = {0};
	struct record r[3];

	memcpy(r, f->chain, sizeof(r));
	for (int i = 0; i < 3; i++) {
		r[i].clock_trusted = false;
		r[i].wall_usec = 86400 * INT64_C(1000000) + r[i].boot_usec; /* 1970-01-02 */
		record_seal(&r[i], i ? r[i - 1].link : zero);
	}
	(void)ingest(f, r, 2);
	assert_int_equal(db_taps(f->db, &q, corrected_fn, got), 0);
	assert_int_equal(got[0], -1);
	/* The anchor: at boot time 10 s the collector's clock read 2025-03-03T00:41:10Z. */
	strcpy(a.boot_id, r[0].boot_id);
	a.boot_usec = 10 * INT64_C(1000000);
	a.true_usec = INT64_C(1740962470) * 1000000;
	(void)ingest_with(f, r + 2, 1, &a, 1);
	assert_int_equal(db_taps(f->db, &q, corrected_fn, got), 0);
	for (int i = 0; i < 3; i++)
		assert_int_equal(got[i], a.true_usec - a.boot_usec + r[i].boot_usec);
}

static int keep_health(const struct db_device_health *dh, void *user)
{
	if (strcmp(dh->dev.name, "kiosk-1") == 0)
		*(struct db_device_health *)user = *dh;
	return 0;
}

static struct db_device_health health_of(struct fixture *f)
{
	struct db_device_health dh = {.alerts = -1};

	assert_int_equal(db_device_health(f->db, keep_health, &dh), 0);
	return dh;
}

static void test_ingest_batch_keeps_health(void **state)
{
	struct fixture *f = *state;
	struct record_batch batch = {.recs = f->chain, .n = 2, .has_health = true};
	struct db_device_health dh = health_of(f);
	struct ingest_result res;

	assert_false(dh.has_sync); /* enrolled, never synced */
	assert_false(dh.has_health);
	assert_int_equal(dh.alerts, 0);
	batch.health.outbox = 6;
	batch.health.clock_offset_usec = -42;
	batch.health.clock_trusted = true;
	strcpy(batch.health.boot_id, boot);
	strcpy(batch.health.version, "v9");
	assert_int_equal(ingest_batch(f->db, &f->dev, &batch, NULL, 100, &res), 0);
	dh = health_of(f);
	assert_true(dh.has_sync && dh.has_health);
	assert_int_equal(dh.last_sync_usec, 100);
	assert_int_equal(dh.health_usec, 100);
	assert_int_equal(dh.health.outbox, 6);
	assert_int_equal(dh.health.clock_offset_usec, -42);
	assert_true(dh.health.clock_trusted);
	assert_string_equal(dh.health.version, "v9");

	/* No health (an old kiosk) or a bad one: the sync counts, the last health stays. */
	batch.recs = f->chain + 2;
	batch.n = 1;
	batch.has_health = false;
	strcpy(batch.health_why, "health outbox: out of range");
	f->dev.acked_seq = 2;
	assert_int_equal(ingest_batch(f->db, &f->dev, &batch, NULL, 200, &res), 0);
	assert_int_equal(res.stored, 1);
	dh = health_of(f);
	assert_int_equal(dh.last_sync_usec, 200);
	assert_int_equal(dh.health_usec, 100);
	assert_int_equal(dh.health.outbox, 6);

	/* A gap (seq 4 missing before 5): one tamper alert, counted for the device. */
	(void)ingest(f, f->chain + 4, 1);
	assert_int_equal(health_of(f).alerts, 1);
}

static void test_db_device_rules(void **state)
{
	struct fixture *f = *state;
	char hash[CRYPTO_SHA256_HEX];
	struct db_device dev;

	crypto_token_hash("other", hash);
	assert_int_equal(db_device_add(f->db, "kiosk-1", hash, 1, 1000), -EEXIST);
	assert_int_equal(db_device_add(f->db, "bad name", hash, 1, 1000), -EINVAL);
	assert_int_equal(db_device_add(f->db, "kiosk-2", hash, 1, 1000), 0);
	assert_int_equal(db_device_by_token(f->db, hash, 999, &dev), 0);
	assert_string_equal(dev.name, "kiosk-2");
	assert_int_equal(db_device_by_token(f->db, hash, 1000, &dev), -ENOENT); /* expired */
	crypto_token_hash("token", hash);
	assert_int_equal(db_device_by_token(f->db, hash, 3, &dev), -ENOENT); /* spent */
	assert_int_equal(db_device_disable(f->db, "kiosk-1"), 0);
	assert_int_equal(db_device_disable(f->db, "nobody"), -ENOENT);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test_setup_teardown(test_ingest_batch_stores_and_acks, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_ingest_batch_resend_changes_nothing, setup,
					    teardown),
	    cmocka_unit_test_setup_teardown(test_ingest_batch_gap_alerts_and_holds_ack, setup,
					    teardown),
	    cmocka_unit_test_setup_teardown(test_ingest_batch_bad_link_stored_with_alert, setup,
					    teardown),
	    cmocka_unit_test_setup_teardown(test_ingest_batch_conflicting_resend_alerts, setup,
					    teardown),
	    cmocka_unit_test_setup_teardown(test_ingest_batch_broken_prev_alerts, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_ingest_batch_out_of_order_refused, setup,
					    teardown),
	    cmocka_unit_test_setup_teardown(test_ingest_batch_corrects_untrusted_time, setup,
					    teardown),
	    cmocka_unit_test_setup_teardown(test_ingest_batch_anchor_corrects_earlier_records,
					    setup, teardown),
	    cmocka_unit_test_setup_teardown(test_ingest_batch_keeps_health, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_db_device_rules, setup, teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
