// SPDX-License-Identifier: MIT
/* The kiosk store: chain, durability boundaries, roster import, damaged files. */
#include <errno.h>
#include <pthread.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cmocka.h>
#include <sqlite3.h>

#include "firmware/store.h"
#include "firmware/store_private.h"

struct fixture {
	char dir[64];
	char db[96];
	char csv[96];
	struct store *st;
};

static int setup(void **state)
{
	struct fixture *f = calloc(1, sizeof(*f));

	snprintf(f->dir, sizeof(f->dir), "/tmp/hadir-store.XXXXXX");
	if (!mkdtemp(f->dir))
		return -1;
	snprintf(f->db, sizeof(f->db), "%s/k.db", f->dir);
	snprintf(f->csv, sizeof(f->csv), "%s/roster.csv", f->dir);
	if (store_open(f->db, STORE_CREATE, &f->st) < 0)
		return -1;
	*state = f;
	return 0;
}

static int teardown(void **state)
{
	struct fixture *f = *state;
	char cmd[128];

	store_close(f->st);
	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", f->dir);
	if (system(cmd) != 0)
		return -1;
	free(f);
	return 0;
}

static void write_file(const char *path, const char *text)
{
	FILE *out = fopen(path, "w");

	assert_non_null(out);
	fputs(text, out);
	fclose(out);
}

static struct record tap_record(const char *cred)
{
	struct record r;

	memset(&r, 0, sizeof(r));
	strcpy(r.kind, "tap");
	r.wall_usec = 1740962460000000;
	r.boot_usec = 1000;
	strcpy(r.boot_id, "0f1e2d3c-4b5a-6978-8796-a5b4c3d2e1f0");
	strcpy(r.credential, cred);
	strcpy(r.outcome, "unknown");
	return r;
}

static void test_store_append_chains_records(void **state)
{
	struct fixture *f = *state;
	struct record a = tap_record("1"), b = tap_record("2");
	uint64_t bad = 0;

	assert_int_equal(store_append(f->st, &a), 0);
	assert_int_equal(store_append(f->st, &b), 0);
	assert_int_equal(a.seq, 1);
	assert_int_equal(b.seq, 2);
	assert_memory_equal(b.prev, a.link, CRYPTO_SHA256_LEN);
	assert_true(record_link_ok(&b));
	assert_int_equal(store_verify_chain(f->st, &bad), 0);
}

static off_t wal_size(const struct fixture *f)
{
	char path[128];
	struct stat sb;

	snprintf(path, sizeof(path), "%s-wal", f->db);
	return stat(path, &sb) == 0 ? sb.st_size : 0;
}

/*
 * Deferred checkpoints: commits leave the WAL to grow (no checkpoint inside a
 * tap) until an idle checkpoint is due; the idle checkpoint copies it all;
 * and without idle time a commit still checkpoints at the cap, so the WAL
 * stays bounded.
 */
static void test_store_deferred_checkpoints(void **state)
{
	const off_t frame = 4096 + 24; /* default page size plus the WAL frame header */
	struct fixture *f = *state;
	struct record rec;
	uint64_t bad = 0;
	unsigned n = 0;

	store_defer_checkpoints(f->st);
	assert_false(store_checkpoint_due(f->st));
	while (!store_checkpoint_due(f->st)) {
		rec = tap_record("1");
		assert_int_equal(store_append(f->st, &rec), 0);
		assert_true(++n < 100000);
	}
	assert_true(n > 20); /* many taps per checkpoint, not one each */
	assert_true(wal_size(f) >= STORE_CHECKPOINT_PAGES * frame);
	assert_int_equal(store_checkpoint(f->st), 0);
	assert_false(store_checkpoint_due(f->st));

	/* A long burst with no pause: SQLite alone would let the WAL grow without limit. */
	for (unsigned i = 0; i < 3 * STORE_WAL_CAP_PAGES / 2; i++) {
		rec = tap_record("1");
		assert_int_equal(store_append(f->st, &rec), 0);
	}
	assert_true(wal_size(f) <= (STORE_WAL_CAP_PAGES + 16) * frame + 32);
	assert_int_equal(store_verify_chain(f->st, &bad), 0);
}

/*
 * The reserved WAL: written out before the first tap, with the records a crash
 * left in the WAL kept; taps after it overwrite frames instead of growing the
 * file; a second reservation has nothing to do.
 */
static void test_store_reserve_wal(void **state)
{
	const off_t frame = 4096 + 24;
	struct fixture *f = *state;
	struct record rec;
	uint64_t bad = 0;
	int64_t n = -1;
	off_t reserved;

	store_defer_checkpoints(f->st);
	for (unsigned i = 0; i < 5; i++) {
		rec = tap_record("1");
		assert_int_equal(store_append(f->st, &rec), 0);
	}
	assert_int_equal(store_reserve_wal(f->st), 0);
	reserved = wal_size(f);
	assert_true(reserved >= STORE_WAL_RESERVE_PAGES * frame);
	for (unsigned i = 0; i < 300; i++) {
		rec = tap_record("1");
		assert_int_equal(store_append(f->st, &rec), 0);
	}
	assert_int_equal(wal_size(f), reserved);
	assert_int_equal(store_reserve_wal(f->st), 0);
	assert_int_equal(wal_size(f), reserved);
	assert_int_equal(store_query_int64(f->st, "SELECT count(*) FROM records", 0, 0, &n), 0);
	assert_int_equal(n, 305);
	assert_int_equal(store_query_int64(f->st, "SELECT count(*) FROM wal_reserve", 0, 0, &n), 0);
	assert_int_equal(n, 0);
	assert_int_equal(store_verify_chain(f->st, &bad), 0);
}

/*
 * The sync process's connection commits without fsync and never checkpoints;
 * the door's keeps synchronous=FULL and SQLite's automatic checkpoint until
 * it defers them.
 */
static void test_store_background_connection(void **state)
{
	struct fixture *f = *state;
	struct store *sync = NULL;
	int64_t level = -1;

	assert_int_equal(store_open(f->db, STORE_EXISTING, &sync), 0);
	assert_int_equal(store_set_background(sync), 0);
	assert_int_equal(store_query_int64(sync, "PRAGMA synchronous", 0, 0, &level), 0);
	assert_int_equal(level, 1); /* NORMAL */
	assert_int_equal(store_query_int64(sync, "PRAGMA wal_autocheckpoint", 0, 0, &level), 0);
	assert_int_equal(level, 0);
	assert_int_equal(store_query_int64(f->st, "PRAGMA synchronous", 0, 0, &level), 0);
	assert_int_equal(level, 2); /* FULL */
	assert_int_equal(store_query_int64(f->st, "PRAGMA wal_autocheckpoint", 0, 0, &level), 0);
	assert_int_equal(level, 1000);
	store_close(sync);
}

struct lock_holder {
	struct store *st;
	int r;
};

static void *hold_write_lock(void *arg)
{
	struct lock_holder *h = arg;
	const struct timespec hold = {.tv_nsec = 30 * 1000000};

	nanosleep(&hold, NULL);
	h->r = store_exec(h->st, "COMMIT");
	return NULL;
}

/* A commit waits for another connection's write lock instead of failing. */
static void test_store_waits_for_write_lock(void **state)
{
	struct fixture *f = *state;
	struct lock_holder h = {.st = NULL, .r = -1};
	struct record rec = tap_record("1");
	pthread_t thread;

	assert_int_equal(store_open(f->db, STORE_EXISTING, &h.st), 0);
	assert_int_equal(store_exec(h.st, "BEGIN IMMEDIATE"), 0);
	assert_int_equal(pthread_create(&thread, NULL, hold_write_lock, &h), 0);
	assert_int_equal(store_append(f->st, &rec), 0);
	assert_int_equal(pthread_join(thread, NULL), 0);
	assert_int_equal(h.r, 0);
	assert_int_equal(rec.seq, 1);
	store_close(h.st);
}

static void test_store_reopen_continues_chain(void **state)
{
	struct fixture *f = *state;
	struct record a = tap_record("1"), b = tap_record("2");
	uint64_t bad = 0;

	assert_int_equal(store_append(f->st, &a), 0);
	store_close(f->st);
	assert_int_equal(store_open(f->db, STORE_EXISTING, &f->st), 0);
	assert_int_equal(store_append(f->st, &b), 0);
	assert_int_equal(b.seq, 2);
	assert_memory_equal(b.prev, a.link, CRYPTO_SHA256_LEN);
	assert_int_equal(store_verify_chain(f->st, &bad), 0);
}

static void test_store_verify_finds_tampering(void **state)
{
	struct fixture *f = *state;
	uint64_t bad = 0;
	sqlite3 *db;

	for (int i = 0; i < 5; i++) {
		struct record r = tap_record("7");

		assert_int_equal(store_append(f->st, &r), 0);
	}
	assert_int_equal(sqlite3_open(f->db, &db), SQLITE_OK);
	assert_int_equal(
	    sqlite3_exec(db, "UPDATE records SET nip = '1' WHERE seq = 3", NULL, NULL, NULL),
	    SQLITE_OK);
	sqlite3_close(db);
	assert_int_equal(store_verify_chain(f->st, &bad), -EBADMSG);
	assert_int_equal(bad, 3);
}

static void test_store_verify_finds_gap(void **state)
{
	struct fixture *f = *state;
	uint64_t bad = 0;
	sqlite3 *db;

	for (int i = 0; i < 4; i++) {
		struct record r = tap_record("7");

		assert_int_equal(store_append(f->st, &r), 0);
	}
	assert_int_equal(sqlite3_open(f->db, &db), SQLITE_OK);
	assert_int_equal(sqlite3_exec(db, "DELETE FROM records WHERE seq = 2", NULL, NULL, NULL),
			 SQLITE_OK);
	sqlite3_close(db);
	assert_int_equal(store_verify_chain(f->st, &bad), -EBADMSG);
	assert_int_equal(bad, 3);
}

static void test_store_open_missing_is_enoent(void **state)
{
	struct store *st = NULL;

	(void)state;
	assert_int_equal(store_open("/tmp/hadir-no-such-dir/k.db", STORE_EXISTING, &st), -ENOENT);
	assert_null(st);
}

static void test_store_open_garbage_refused_untouched(void **state)
{
	struct fixture *f = *state;
	char path[128], back[64] = "";
	struct store *st = NULL;
	FILE *in;

	snprintf(path, sizeof(path), "%s/garbage.db", f->dir);
	write_file(path, "this is not a database, and it must stay exactly as it is\n");
	assert_int_equal(store_open(path, STORE_EXISTING, &st), -EBADMSG);
	assert_null(st);
	in = fopen(path, "r");
	assert_non_null(fgets(back, sizeof(back), in));
	fclose(in);
	assert_string_equal(back, "this is not a database, and it must stay exactly as it is\n");
}

static void test_store_roster_import_and_lookup(void **state)
{
	struct fixture *f = *state;
	char nip[RECORD_NIP_MAX], name[STORE_NAME_MAX], why[ROWS_WHY_MAX];
	unsigned staff = 0, creds = 0;

	write_file(f->csv, "nip,name,unit_id,card,fingerprint_id\n"
			   "198501012010011001,\"Budi, S.Kom\",U1,0008000987,7\n"
			   "198501012010011001,\"Budi, S.Kom\",U1,12345,\n"
			   "199002022015022002,Sari,U2,,\n");
	assert_int_equal(store_roster_import(f->st, f->csv, &staff, &creds, why), 0);
	assert_int_equal(staff, 2);
	assert_int_equal(creds, 3);
	assert_int_equal(store_lookup(f->st, "8000987", nip, name), 1);
	assert_string_equal(nip, "198501012010011001");
	assert_string_equal(name, "Budi, S.Kom");
	assert_int_equal(store_lookup(f->st, "finger:7", nip, name), 1);
	assert_int_equal(store_lookup(f->st, "12345", nip, name), 1);
	assert_int_equal(store_lookup(f->st, "0008000987", nip, name), 0); /* callers normalise */
	assert_int_equal(store_lookup(f->st, "999", nip, name), 0);
}

static void assert_import_fails(struct fixture *f, const char *csv, const char *want)
{
	char nip[RECORD_NIP_MAX], name[STORE_NAME_MAX], why[ROWS_WHY_MAX];
	unsigned staff = 0, creds = 0;

	write_file(f->csv, csv);
	assert_true(store_roster_import(f->st, f->csv, &staff, &creds, why) < 0);
	if (!strstr(why, want))
		fail_msg("'%s' lacks '%s'", why, want);
	/* All or nothing: the roster from before is intact. */
	assert_int_equal(store_lookup(f->st, "42", nip, name), 1);
}

static void test_store_roster_import_all_or_nothing(void **state)
{
	struct fixture *f = *state;
	char why[ROWS_WHY_MAX];
	unsigned staff, creds;

	write_file(f->csv, "nip,name,unit_id,card,fingerprint_id\n1001,Ani,U1,42,\n");
	assert_int_equal(store_roster_import(f->st, f->csv, &staff, &creds, why), 0);

	assert_import_fails(f, "nip,name,unit_id,card\n1,a,U1,5\n", "column 5 'fingerprint_id'");
	assert_import_fails(f, "nip,name,unit_id,card,fingerprint_id\n2002,B,U1,7,\n12x,C,U1,8,\n",
			    ":3: nip: '12x' is not a number");
	assert_import_fails(f, "nip,name,unit_id,card,fingerprint_id\n2002,B,U1,7,\n3003,C,U1,7,\n",
			    ":3: credential 7 already belongs to NIP 2002");
	assert_import_fails(f, "nip,name,unit_id,card,fingerprint_id\n2002,B,U1,abc,\n",
			    ":2: card: 'abc'");
	assert_import_fails(f, "nip,name,unit_id,card,fingerprint_id\n2002,B,U1,,70000\n",
			    ":2: fingerprint_id: '70000'");
	assert_import_fails(f, "nip,name,unit_id,card,fingerprint_id\n2002,B,U1,1,\n2002,X,U1,2,\n",
			    ":3: nip 2002: listed before with another name");
	assert_import_fails(f, "nip,name,unit_id,card,fingerprint_id\n2002,,U1,1,\n", ":2: name");
	assert_import_fails(f, "", "empty file");
}

static void test_store_status_counts(void **state)
{
	struct fixture *f = *state;
	struct store_status s;
	struct record a = tap_record("1"), b = tap_record("2");

	b.wall_usec += 86400 * INT64_C(1000000);
	b.clock_trusted = true;
	strcpy(a.nip, "1");
	strcpy(a.outcome, "accepted");
	assert_int_equal(store_append(f->st, &a), 0);
	assert_int_equal(store_append(f->st, &b), 0);
	assert_int_equal(store_get_status(f->st, a.wall_usec, a.wall_usec + 1, &s), 0);
	assert_int_equal(s.last_seq, 2);
	assert_int_equal(s.acked_seq, 0);
	assert_int_equal(s.taps_in_range, 1);
	assert_int_equal(s.accepted_in_range, 1);
	assert_int_equal(s.oldest_unacked_usec, a.wall_usec);
	assert_int_equal(s.last_wall_usec, b.wall_usec);
	assert_true(s.last_trusted);
	/* An empty range counts nothing (the daemon and the sync process ask so, without a scan).
	 */
	assert_int_equal(store_get_status(f->st, 0, 0, &s), 0);
	assert_int_equal(s.taps_in_range, 0);
	assert_int_equal(s.accepted_in_range, 0);
	assert_int_equal(s.last_seq, 2);
}

static void test_store_fingers_survive_roster_import(void **state)
{
	struct fixture *f = *state;
	char nip[RECORD_NIP_MAX], name[STORE_NAME_MAX], why[ROWS_WHY_MAX];
	unsigned staff, creds;
	uint16_t pages[4];
	size_t n;

	write_file(f->csv, "nip,name,unit_id,card,fingerprint_id\n1,Ani,U1,42,7\n2,Budi,U1,,100\n");
	assert_int_equal(store_roster_import(f->st, f->csv, &staff, &creds, why), 0);
	assert_int_equal(store_finger_add(f->st, "9", 100), -ENOENT);
	assert_int_equal(store_finger_add(f->st, "1", 100), 0); /* takes page 100 from Budi */
	assert_int_equal(store_lookup(f->st, "finger:100", nip, name), 1);
	assert_string_equal(nip, "1");
	assert_int_equal(store_finger_pages(f->st, "1", pages, 4, &n), 0);
	assert_int_equal(n, 2);
	assert_int_equal(pages[0], 7);
	assert_int_equal(pages[1], 100);

	/* A new import keeps the enrolment, and it wins over the roster's page 100. */
	assert_int_equal(store_roster_import(f->st, f->csv, &staff, &creds, why), 0);
	assert_int_equal(creds, 3); /* 42, finger:7, finger:100 (now Ani's) */
	assert_int_equal(store_lookup(f->st, "finger:100", nip, name), 1);
	assert_string_equal(nip, "1");

	/* Someone gone from the roster loses the credential, and gets it back on return. */
	write_file(f->csv, "nip,name,unit_id,card,fingerprint_id\n2,Budi,U1,,\n");
	assert_int_equal(store_roster_import(f->st, f->csv, &staff, &creds, why), 0);
	assert_int_equal(store_lookup(f->st, "finger:100", nip, name), 0);
	write_file(f->csv, "nip,name,unit_id,card,fingerprint_id\n1,Ani,U1,42,\n");
	assert_int_equal(store_roster_import(f->st, f->csv, &staff, &creds, why), 0);
	assert_int_equal(store_lookup(f->st, "finger:100", nip, name), 1);

	assert_int_equal(store_finger_remove(f->st, 100), 0);
	assert_int_equal(store_lookup(f->st, "finger:100", nip, name), 0);
	assert_int_equal(store_roster_import(f->st, f->csv, &staff, &creds, why), 0);
	assert_int_equal(store_lookup(f->st, "finger:100", nip, name), 0);
	assert_int_equal(store_finger_pages(f->st, "1", pages, 4, &n), 0);
	assert_int_equal(n, 0);
	assert_int_equal(store_staff_name(f->st, "1", name), 1);
	assert_string_equal(name, "Ani");
	assert_int_equal(store_staff_name(f->st, "2", name), 0);
}

static void test_store_card_credential_normalises(void **state)
{
	char c[RECORD_CREDENTIAL_MAX];

	(void)state;
	assert_int_equal(store_card_credential("0008000987", c), 0);
	assert_string_equal(c, "8000987");
	assert_int_equal(store_card_credential("0000", c), 0);
	assert_string_equal(c, "0");
	assert_int_equal(store_card_credential("", c), -EINVAL);
	assert_int_equal(store_card_credential("12a", c), -EINVAL);
	assert_int_equal(store_card_credential("123456789012345678901", c), -EINVAL);
}

/* Count the queued template work of kind. */
static unsigned work_of(struct fixture *f, const char *kind)
{
	sqlite3 *db;
	sqlite3_stmt *s;
	unsigned n;

	assert_int_equal(sqlite3_open(f->db, &db), SQLITE_OK);
	assert_int_equal(sqlite3_prepare_v2(db, "SELECT count(*) FROM template_work WHERE kind = ?",
					    -1, &s, NULL),
			 SQLITE_OK);
	sqlite3_bind_text(s, 1, kind, -1, SQLITE_STATIC);
	assert_int_equal(sqlite3_step(s), SQLITE_ROW);
	n = (unsigned)sqlite3_column_int(s, 0);
	sqlite3_finalize(s);
	sqlite3_close(db);
	return n;
}

static void test_store_templates_reconcile(void **state)
{
	struct fixture *f = *state;
	static const uint8_t a[4] = {1, 2, 3, 4}, b[4] = {5, 6, 7, 8};
	struct store_template list[2] = {
	    {.nip = "1", .sha256 = "aa", .data = a, .len = 4},
	    {.nip = "2", .sha256 = "bb", .data = b, .len = 4},
	};
	const struct store_template listed_none[1] = {{.nip = "1", .sha256 = ""}};
	struct store_template_work w;
	char nip[RECORD_NIP_MAX], name[STORE_NAME_MAX], sha[CRYPTO_SHA256_HEX];
	char why[ROWS_WHY_MAX];
	unsigned staff, creds, queued;
	int64_t id;
	char *body;

	write_file(f->csv, "nip,name,unit_id,card,fingerprint_id\n1,Ani,U1,42,\n");
	assert_int_equal(store_roster_import(f->st, f->csv, &staff, &creds, why), 0);

	/* Only NIPs in the roster get downloads; a second look queues nothing new. */
	assert_int_equal(store_templates_reconcile(f->st, list, 2, &queued), 0);
	assert_int_equal(queued, 1);
	assert_int_equal(store_templates_reconcile(f->st, list, 2, &queued), 0);
	assert_int_equal(queued, 0);
	assert_int_equal(store_template_work_next(f->st, &w), 1);
	assert_string_equal(w.kind, "download");
	assert_string_equal(w.nip, "1");
	assert_int_equal(w.len, 4);
	assert_memory_equal(w.data, a, 4);

	/* Written to page 130: Ani's finger, shared, the work gone. */
	assert_int_equal(store_template_downloaded(f->st, &w, 130), 0);
	assert_int_equal(store_lookup(f->st, "finger:130", nip, name), 1);
	assert_string_equal(nip, "1");
	assert_int_equal(store_finger_sha(f->st, 130, sha), 1);
	assert_string_equal(sha, "aa");
	assert_int_equal(store_template_work_next(f->st, &w), 0);
	assert_int_equal(store_templates_reconcile(f->st, list, 2, &queued), 0);
	assert_int_equal(queued, 0);

	/* A finger enrolled here and not yet reported is left alone. */
	assert_int_equal(store_finger_add(f->st, "1", 131), 0);
	assert_int_equal(store_finger_sha(f->st, 131, sha), 0);
	assert_int_equal(store_finger_share(f->st, 131, "cc", "{}"), 0);
	assert_int_equal(store_templates_reconcile(f->st, list, 1, &queued), 0);
	assert_int_equal(queued, 0);
	assert_int_equal(store_template_outbox_next(f->st, &id, &body), 1);
	assert_string_equal(body, "{}");
	free(body);
	assert_int_equal(store_template_outbox_drop(f->st, id), 0);
	assert_int_equal(store_template_outbox_next(f->st, &id, &body), 0);

	/* Reported: now the roster decides. Ani's templates not listed at all: kept. */
	assert_int_equal(store_templates_reconcile(f->st, NULL, 0, &queued), 0);
	assert_int_equal(queued, 0);
	/* Listed without these two: deletes, once. */
	assert_int_equal(store_templates_reconcile(f->st, listed_none, 1, &queued), 0);
	assert_int_equal(queued, 2);
	assert_int_equal(work_of(f, "delete"), 2);
	assert_int_equal(store_templates_reconcile(f->st, listed_none, 1, &queued), 0);
	assert_int_equal(queued, 0);

	/* Refused for good by the collector: kept here, unshared, never deleted by a roster. */
	assert_int_equal(store_finger_unshare(f->st, "cc"), 0);
	assert_int_equal(store_finger_sha(f->st, 131, sha), 0);
	assert_int_equal(store_lookup(f->st, "finger:131", nip, name), 1);
}

static void test_store_templates_reconcile_former_staff(void **state)
{
	struct fixture *f = *state;
	struct store_template_work w = {.kind = "download", .nip = "2", .sha256 = "bb"};
	char why[ROWS_WHY_MAX];
	unsigned staff, creds, queued;

	write_file(f->csv, "nip,name,unit_id,card,fingerprint_id\n1,Ani,U1,42,\n2,Budi,U1,43,\n");
	assert_int_equal(store_roster_import(f->st, f->csv, &staff, &creds, why), 0);
	assert_int_equal(store_template_downloaded(f->st, &w, 140), 0);
	/* Budi leaves the roster: his shared finger goes, whatever else is listed. */
	write_file(f->csv, "nip,name,unit_id,card,fingerprint_id\n1,Ani,U1,42,\n");
	assert_int_equal(store_roster_import(f->st, f->csv, &staff, &creds, why), 0);
	assert_int_equal(store_templates_reconcile(f->st, NULL, 0, &queued), 0);
	assert_int_equal(queued, 1);
	assert_int_equal(store_template_work_next(f->st, &w), 1);
	assert_string_equal(w.kind, "delete");
	assert_int_equal(w.page, 140);
}

static void test_store_template_requests_taken_once(void **state)
{
	struct fixture *f = *state;
	struct store_template_work w;

	assert_int_equal(store_template_request_take(f->st, 7, "1"), 1);
	assert_int_equal(store_template_request_take(f->st, 7, "1"), 0);
	assert_int_equal(store_template_work_next(f->st, &w), 1);
	assert_string_equal(w.kind, "enroll");
	assert_int_equal(w.request, 7);
	assert_int_equal(store_template_work_drop(f->st, w.id), 0);
	assert_int_equal(store_template_request_take(f->st, 7, "1"), 0);
	assert_int_equal(store_template_work_next(f->st, &w), 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test_setup_teardown(test_store_append_chains_records, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_store_reopen_continues_chain, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_store_deferred_checkpoints, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_store_reserve_wal, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_store_background_connection, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_store_waits_for_write_lock, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_store_verify_finds_tampering, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_store_verify_finds_gap, setup, teardown),
	    cmocka_unit_test(test_store_open_missing_is_enoent),
	    cmocka_unit_test_setup_teardown(test_store_open_garbage_refused_untouched, setup,
					    teardown),
	    cmocka_unit_test_setup_teardown(test_store_roster_import_and_lookup, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_store_roster_import_all_or_nothing, setup,
					    teardown),
	    cmocka_unit_test_setup_teardown(test_store_status_counts, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_store_fingers_survive_roster_import, setup,
					    teardown),
	    cmocka_unit_test(test_store_card_credential_normalises),
	    cmocka_unit_test_setup_teardown(test_store_templates_reconcile, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_store_templates_reconcile_former_staff, setup,
					    teardown),
	    cmocka_unit_test_setup_teardown(test_store_template_requests_taken_once, setup,
					    teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
