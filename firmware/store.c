// SPDX-License-Identifier: MIT
/*
 * SQLite adapter for the kiosk. SQLite result codes become negative errno
 * here, with SQLite's own message logged at debug level once; callers log
 * what the failure means for the kiosk.
 */
#include "firmware/store.h"
#include "firmware/store_private.h"

#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <limits.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/statvfs.h>
#include <unistd.h>

#include "common/log.h"

struct store {
	sqlite3 *db;
	sqlite3_stmt *insert;
	sqlite3_stmt *lookup;
	sqlite3_stmt *last_accepted;
	uint64_t head_seq;		      /* last committed sequence */
	uint8_t head_link[CRYPTO_SHA256_LEN]; /* its link */
	int wal_pages;			      /* not yet checkpointed, after deferring */
	int64_t busy_waited;		      /* usec, for the lock on_busy() waits for */
};

static const char *const migrations[] = {
    /* 1: roster, records, meta */
    "CREATE TABLE staff ("
    "  nip TEXT PRIMARY KEY,"
    "  name TEXT NOT NULL,"
    "  unit_id TEXT NOT NULL);"
    "CREATE TABLE credentials ("
    "  credential TEXT PRIMARY KEY,"
    "  nip TEXT NOT NULL REFERENCES staff(nip) ON DELETE CASCADE);"
    "CREATE TABLE records ("
    "  seq INTEGER PRIMARY KEY,"
    "  kind TEXT NOT NULL,"
    "  wall_usec INTEGER NOT NULL,"
    "  boot_usec INTEGER NOT NULL,"
    "  boot_id TEXT NOT NULL,"
    "  clock_trusted INTEGER NOT NULL,"
    "  credential TEXT NOT NULL,"
    "  nip TEXT NOT NULL,"
    "  outcome TEXT NOT NULL,"
    "  reason TEXT NOT NULL,"
    "  direction TEXT NOT NULL,"
    "  payload TEXT NOT NULL,"
    "  prev BLOB NOT NULL,"
    "  link BLOB NOT NULL);"
    "CREATE INDEX records_nip ON records(nip, seq) WHERE outcome = 'accepted';"
    "CREATE INDEX records_wall ON records(wall_usec);"
    "CREATE TABLE meta (key TEXT PRIMARY KEY, value INTEGER NOT NULL);"
    "INSERT INTO meta VALUES ('acked_seq', 0);",
    /* 2: sync status for `status`, clock anchors learned from the collector */
    "CREATE TABLE sync_state (key TEXT PRIMARY KEY, value TEXT NOT NULL);"
    "CREATE TABLE clock_anchors ("
    "  boot_id TEXT PRIMARY KEY,"
    "  boot_usec INTEGER NOT NULL,"
    "  true_usec INTEGER NOT NULL,"
    "  rtt_usec INTEGER NOT NULL);",
    /* 3: fingers enrolled on this kiosk's module (page -> NIP), kept across roster imports */
    "CREATE TABLE fingers ("
    "  page INTEGER PRIMARY KEY,"
    "  nip TEXT NOT NULL);",
    /* 4: plan items, unit schedules and holidays for the kiosk screen (firmware/agenda.c) */
    "CREATE TABLE plans ("
    "  nip TEXT NOT NULL,"
    "  code TEXT NOT NULL,"
    "  title TEXT NOT NULL,"
    "  PRIMARY KEY (nip, code));"
    "CREATE TABLE units ("
    "  unit_id TEXT PRIMARY KEY,"
    "  name TEXT NOT NULL,"
    "  timezone TEXT NOT NULL,"
    "  grace_seconds INTEGER NOT NULL);"
    "CREATE TABLE unit_schedule ("
    "  unit_id TEXT NOT NULL,"
    "  valid_from TEXT NOT NULL,"
    "  valid_to TEXT NOT NULL,"
    "  weekday INTEGER NOT NULL,"
    "  start TEXT NOT NULL,"
    "  end TEXT NOT NULL);"
    "CREATE TABLE holidays ("
    "  date TEXT PRIMARY KEY,"
    "  name TEXT NOT NULL);"
    "CREATE INDEX records_activity ON records(nip, seq) WHERE kind = 'activity';",
    /*
     * 5: fingerprint templates shared through the collector (templates.c):
     * which template each page holds (SHA-256, hex; NULL: not shared), what
     * to tell the collector, the module work the sync process queues for the
     * loop, and the collector's enrolment requests already taken.
     */
    "ALTER TABLE fingers ADD COLUMN sha256 TEXT;"
    "CREATE TABLE template_outbox ("
    "  id INTEGER PRIMARY KEY,"
    "  sha256 TEXT NOT NULL,"
    "  body TEXT NOT NULL);"
    "CREATE TABLE template_work ("
    "  id INTEGER PRIMARY KEY,"
    "  kind TEXT NOT NULL,"
    "  nip TEXT NOT NULL,"
    "  page INTEGER NOT NULL DEFAULT -1,"
    "  sha256 TEXT NOT NULL DEFAULT '',"
    "  data BLOB,"
    "  request INTEGER NOT NULL DEFAULT 0);"
    "CREATE TABLE template_requests (id INTEGER PRIMARY KEY);",
    /*
     * 6: a table for store_reserve_wal's insert, always rolled back; and no
     * index on wall time, a page more in every tap's commit for the sake of
     * `status` alone, which can scan.
     */
    "CREATE TABLE wal_reserve (b BLOB NOT NULL);"
    "DROP INDEX records_wall;",
};

static int sqlite_errno(int rc)
{
	switch (rc & 0xff) {
	case SQLITE_OK:
	case SQLITE_ROW:
	case SQLITE_DONE:
		return 0;
	case SQLITE_FULL:
		return -ENOSPC;
	case SQLITE_NOMEM:
		return -ENOMEM;
	case SQLITE_BUSY:
	case SQLITE_LOCKED:
		return -EBUSY;
	case SQLITE_NOTADB:
	case SQLITE_CORRUPT:
		return -EBADMSG;
	case SQLITE_CANTOPEN:
		return -ENOENT;
	case SQLITE_READONLY:
	case SQLITE_PERM:
	case SQLITE_AUTH:
		return -EACCES;
	default:
		return -EIO;
	}
}

static int fail(struct store *st, int rc, const char *what)
{
	log_debug("store: %s: %s", what, sqlite3_errmsg(st->db));
	return sqlite_errno(rc);
}

sqlite3 *store_sqlite(struct store *st)
{
	return st->db;
}

int store_sqlite_fail(struct store *st, int rc, const char *what)
{
	return fail(st, rc, what);
}

static int exec(struct store *st, const char *sql)
{
	int rc = sqlite3_exec(st->db, sql, NULL, NULL, NULL);

	return rc == SQLITE_OK ? 0 : fail(st, rc, sql);
}

static int migrate(struct store *st)
{
	sqlite3_stmt *stmt;
	int version, rc, r;

	rc = sqlite3_prepare_v2(st->db, "PRAGMA user_version", -1, &stmt, NULL);
	if (rc != SQLITE_OK)
		return fail(st, rc, "read schema version");
	rc = sqlite3_step(stmt);
	version = rc == SQLITE_ROW ? sqlite3_column_int(stmt, 0) : -1;
	sqlite3_finalize(stmt);
	if (version < 0)
		return fail(st, rc, "read schema version");
	if (version > (int)ARRAY_SIZE(migrations)) {
		log_debug("store: schema version %d is newer than this program (%zu)", version,
			  ARRAY_SIZE(migrations));
		return -EPROTO;
	}
	for (int v = version; v < (int)ARRAY_SIZE(migrations); v++) {
		char bump[64];

		r = exec(st, "BEGIN IMMEDIATE");
		if (r < 0)
			return r;
		snprintf(bump, sizeof(bump), "PRAGMA user_version = %d", v + 1);
		r = exec(st, migrations[v]);
		if (r == 0)
			r = exec(st, bump);
		if (r == 0)
			r = exec(st, "COMMIT");
		if (r < 0) {
			(void)exec(st, "ROLLBACK");
			return r;
		}
	}
	return 0;
}

static int load_head(struct store *st)
{
	sqlite3_stmt *stmt;
	int rc;

	rc = sqlite3_prepare_v2(st->db, "SELECT seq, link FROM records ORDER BY seq DESC LIMIT 1",
				-1, &stmt, NULL);
	if (rc != SQLITE_OK)
		return fail(st, rc, "read chain head");
	rc = sqlite3_step(stmt);
	if (rc == SQLITE_ROW) {
		st->head_seq = (uint64_t)sqlite3_column_int64(stmt, 0);
		if (sqlite3_column_bytes(stmt, 1) == CRYPTO_SHA256_LEN)
			memcpy(st->head_link, sqlite3_column_blob(stmt, 1), CRYPTO_SHA256_LEN);
		else
			rc = SQLITE_CORRUPT;
	}
	sqlite3_finalize(stmt);
	if (rc != SQLITE_ROW && rc != SQLITE_DONE)
		return fail(st, rc, "read chain head");
	return 0;
}

static int prepare(struct store *st, const char *sql, sqlite3_stmt **ret)
{
	int rc = sqlite3_prepare_v3(st->db, sql, -1, SQLITE_PREPARE_PERSISTENT, ret, NULL);

	return rc == SQLITE_OK ? 0 : fail(st, rc, sql);
}

/*
 * Another connection (the sync process, a command) holds the write lock:
 * retry after 50 us, growing to 1 ms, for 5 s in all. SQLite's own busy
 * timeout sleeps whole milliseconds from the first retry, which a tap
 * waiting behind the sync process's short write would pay in full.
 */
#define BUSY_FIRST_USEC 50
#define BUSY_MAX_USEC	1000
#define BUSY_LIMIT_USEC 5000000LL

static int on_busy(void *user, int retries)
{
	int64_t *waited = user, step = BUSY_FIRST_USEC;

	if (retries == 0)
		*waited = 0;
	for (int i = 0; i < retries && step < BUSY_MAX_USEC; i++)
		step *= 2;
	if (step > BUSY_MAX_USEC)
		step = BUSY_MAX_USEC;
	if (*waited >= BUSY_LIMIT_USEC)
		return 0;
	usleep((useconds_t)step);
	*waited += step;
	return 1;
}

int store_open(const char *path, enum store_mode mode, struct store **ret_store)
{
	int flags = SQLITE_OPEN_READWRITE | SQLITE_OPEN_NOMUTEX;
	struct store *st;
	int rc, r;

	if (mode == STORE_EXISTING && access(path, F_OK) < 0)
		return -errno;
	if (mode == STORE_CREATE)
		flags |= SQLITE_OPEN_CREATE;

	st = calloc(1, sizeof(*st));
	if (!st)
		return -ENOMEM;
	rc = sqlite3_open_v2(path, &st->db, flags, NULL);
	if (rc != SQLITE_OK) {
		r = fail(st, rc, path);
		goto out_close;
	}
	sqlite3_extended_result_codes(st->db, 1);
	sqlite3_busy_handler(st->db, on_busy, &st->busy_waited);
	r = exec(st, "PRAGMA journal_mode = WAL");
	if (r == 0)
		r = exec(st, "PRAGMA synchronous = FULL");
	if (r == 0)
		r = exec(st, "PRAGMA foreign_keys = ON");
	/* Template bytes passing through (outbox, downloads) leave no copy in freed pages. */
	if (r == 0)
		r = exec(st, "PRAGMA secure_delete = ON");
	if (r == 0)
		r = migrate(st);
	if (r == 0)
		r = load_head(st);
	if (r == 0)
		r = prepare(st,
			    "INSERT INTO records (seq, kind, wall_usec, boot_usec, boot_id,"
			    " clock_trusted, credential, nip, outcome, reason, direction, payload,"
			    " prev, link) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?)",
			    &st->insert);
	if (r == 0)
		r = prepare(st,
			    "SELECT s.nip, s.name FROM credentials c JOIN staff s USING (nip)"
			    " WHERE c.credential = ?",
			    &st->lookup);
	if (r == 0)
		r = prepare(st,
			    "SELECT seq, kind, wall_usec, boot_usec, boot_id, clock_trusted,"
			    " credential, nip, outcome, reason, direction, payload, prev, link"
			    " FROM records WHERE nip = ? AND outcome = 'accepted' AND kind = 'tap'"
			    " ORDER BY seq DESC LIMIT 1",
			    &st->last_accepted);
	if (r < 0)
		goto out_close;

	*ret_store = st;
	return 0;

out_close:
	store_close(st);
	return r;
}

void store_close(struct store *st)
{
	if (!st)
		return;
	sqlite3_finalize(st->insert);
	sqlite3_finalize(st->lookup);
	sqlite3_finalize(st->last_accepted);
	sqlite3_close(st->db);
	free(st);
}

static void bind_text(sqlite3_stmt *stmt, int col, const char *text)
{
	sqlite3_bind_text(stmt, col, text, -1, SQLITE_STATIC);
}

static int on_wal_commit(void *user, sqlite3 *db, const char *name, int pages)
{
	struct store *st = user;
	int log = 0, done = 0;

	st->wal_pages = pages;
	if (pages >= STORE_WAL_CAP_PAGES &&
	    sqlite3_wal_checkpoint_v2(db, name, SQLITE_CHECKPOINT_PASSIVE, &log, &done) ==
		SQLITE_OK)
		st->wal_pages = log - done;
	return SQLITE_OK;
}

void store_defer_checkpoints(struct store *st)
{
	/* Replaces SQLite's own automatic checkpoint, which is also a WAL hook. */
	sqlite3_wal_hook(st->db, on_wal_commit, st);
}

int store_set_background(struct store *st)
{
	int r = exec(st, "PRAGMA synchronous = NORMAL");

	return r < 0 ? r : exec(st, "PRAGMA wal_autocheckpoint = 0");
}

bool store_checkpoint_due(const struct store *st)
{
	return st->wal_pages >= STORE_CHECKPOINT_PAGES;
}

int store_checkpoint(struct store *st)
{
	int log = 0, done = 0;
	int rc = sqlite3_wal_checkpoint_v2(st->db, NULL, SQLITE_CHECKPOINT_PASSIVE, &log, &done);

	/* BUSY: another connection is checkpointing; ours can wait for the next idle moment. */
	if (rc == SQLITE_BUSY)
		return 0;
	if (rc != SQLITE_OK)
		return fail(st, rc, "checkpoint");
	log_debug("store: checkpoint copied %d of %d WAL pages", done, log);
	st->wal_pages = log - done;
	return 0;
}

int store_append(struct store *st, struct record *rec)
{
	sqlite3_stmt *s = st->insert;
	int rc;

	rec->seq = st->head_seq + 1;
	record_seal(rec, st->head_link);

	sqlite3_bind_int64(s, 1, (sqlite3_int64)rec->seq);
	bind_text(s, 2, rec->kind);
	sqlite3_bind_int64(s, 3, rec->wall_usec);
	sqlite3_bind_int64(s, 4, rec->boot_usec);
	bind_text(s, 5, rec->boot_id);
	sqlite3_bind_int(s, 6, rec->clock_trusted);
	bind_text(s, 7, rec->credential);
	bind_text(s, 8, rec->nip);
	bind_text(s, 9, rec->outcome);
	bind_text(s, 10, rec->reason);
	bind_text(s, 11, rec->direction);
	bind_text(s, 12, rec->payload);
	sqlite3_bind_blob(s, 13, rec->prev, CRYPTO_SHA256_LEN, SQLITE_STATIC);
	sqlite3_bind_blob(s, 14, rec->link, CRYPTO_SHA256_LEN, SQLITE_STATIC);
	/* Autocommit: the step is the whole transaction, fsynced (synchronous=FULL). */
	rc = sqlite3_step(s);
	sqlite3_reset(s);
	sqlite3_clear_bindings(s);
	if (rc != SQLITE_DONE)
		return fail(st, rc, "append record");

	st->head_seq = rec->seq;
	memcpy(st->head_link, rec->link, CRYPTO_SHA256_LEN);
	return 0;
}

static void copy_column(sqlite3_stmt *stmt, int col, char *dst, size_t cap)
{
	const unsigned char *text = sqlite3_column_text(stmt, col);

	snprintf(dst, cap, "%s", text ? (const char *)text : "");
}

static void copy_blob(sqlite3_stmt *stmt, int col, uint8_t dst[CRYPTO_SHA256_LEN])
{
	if (sqlite3_column_bytes(stmt, col) == CRYPTO_SHA256_LEN)
		memcpy(dst, sqlite3_column_blob(stmt, col), CRYPTO_SHA256_LEN);
	else
		memset(dst, 0, CRYPTO_SHA256_LEN);
}

/* Fill rec from a row of the 14 record columns in table order. */
static void read_record(sqlite3_stmt *s, struct record *rec)
{
	memset(rec, 0, sizeof(*rec));
	rec->seq = (uint64_t)sqlite3_column_int64(s, 0);
	copy_column(s, 1, rec->kind, sizeof(rec->kind));
	rec->wall_usec = sqlite3_column_int64(s, 2);
	rec->boot_usec = sqlite3_column_int64(s, 3);
	copy_column(s, 4, rec->boot_id, sizeof(rec->boot_id));
	rec->clock_trusted = sqlite3_column_int(s, 5) != 0;
	copy_column(s, 6, rec->credential, sizeof(rec->credential));
	copy_column(s, 7, rec->nip, sizeof(rec->nip));
	copy_column(s, 8, rec->outcome, sizeof(rec->outcome));
	copy_column(s, 9, rec->reason, sizeof(rec->reason));
	copy_column(s, 10, rec->direction, sizeof(rec->direction));
	copy_column(s, 11, rec->payload, sizeof(rec->payload));
	copy_blob(s, 12, rec->prev);
	copy_blob(s, 13, rec->link);
}

int store_lookup(struct store *st, const char *credential, char ret_nip[RECORD_NIP_MAX],
		 char ret_name[STORE_NAME_MAX])
{
	sqlite3_stmt *s = st->lookup;
	int rc, r = 0;

	bind_text(s, 1, credential);
	rc = sqlite3_step(s);
	if (rc == SQLITE_ROW) {
		copy_column(s, 0, ret_nip, RECORD_NIP_MAX);
		copy_column(s, 1, ret_name, STORE_NAME_MAX);
		r = 1;
	} else if (rc != SQLITE_DONE) {
		r = fail(st, rc, "look up credential");
	}
	sqlite3_reset(s);
	sqlite3_clear_bindings(s);
	return r;
}

int store_last_accepted(struct store *st, const char *nip, struct record *ret_rec)
{
	sqlite3_stmt *s = st->last_accepted;
	int rc, r = 0;

	bind_text(s, 1, nip);
	rc = sqlite3_step(s);
	if (rc == SQLITE_ROW) {
		read_record(s, ret_rec);
		r = 1;
	} else if (rc != SQLITE_DONE) {
		r = fail(st, rc, "read last tap");
	}
	sqlite3_reset(s);
	sqlite3_clear_bindings(s);
	return r;
}

int store_card_credential(const char *digits, char ret[RECORD_CREDENTIAL_MAX])
{
	size_t len = strlen(digits);

	if (len == 0 || len > 20)
		return -EINVAL;
	for (size_t i = 0; i < len; i++)
		if (digits[i] < '0' || digits[i] > '9')
			return -EINVAL;
	while (digits[0] == '0' && digits[1] != '\0')
		digits++;
	snprintf(ret, RECORD_CREDENTIAL_MAX, "%s", digits);
	return 0;
}

/* --- roster replacement --- */

struct store_roster {
	struct store *st;
	sqlite3_stmt *find_staff, *add_staff, *find_cred, *add_cred;
	unsigned staff, credentials;
};

static bool is_digits(const char *s, size_t max)
{
	size_t len = strlen(s);

	if (len == 0 || len > max)
		return false;
	for (size_t i = 0; i < len; i++)
		if (s[i] < '0' || s[i] > '9')
			return false;
	return true;
}

static int step_once(struct store *st, sqlite3_stmt *s, const char *what)
{
	int rc = sqlite3_step(s);

	return rc == SQLITE_ROW ? 1 : rc == SQLITE_DONE ? 0 : fail(st, rc, what);
}

static void roster_free(struct store_roster *ro)
{
	sqlite3_finalize(ro->find_staff);
	sqlite3_finalize(ro->add_staff);
	sqlite3_finalize(ro->find_cred);
	sqlite3_finalize(ro->add_cred);
	free(ro);
}

int store_roster_begin(struct store *st, struct store_roster **ret_roster)
{
	struct store_roster *ro = calloc(1, sizeof(*ro));
	int r;

	if (!ro)
		return -ENOMEM;
	ro->st = st;
	r = exec(st, "BEGIN IMMEDIATE");
	if (r < 0) {
		free(ro);
		return r;
	}
	r = exec(st, "DELETE FROM credentials; DELETE FROM staff;");
	if (r == 0)
		r = prepare(st, "SELECT name, unit_id FROM staff WHERE nip = ?", &ro->find_staff);
	if (r == 0)
		r = prepare(st, "INSERT INTO staff (nip, name, unit_id) VALUES (?,?,?)",
			    &ro->add_staff);
	if (r == 0)
		r = prepare(st, "SELECT nip FROM credentials WHERE credential = ?", &ro->find_cred);
	if (r == 0)
		r = prepare(st, "INSERT INTO credentials (credential, nip) VALUES (?,?)",
			    &ro->add_cred);
	if (r < 0) {
		store_roster_abort(ro);
		return r;
	}
	*ret_roster = ro;
	return 0;
}

void store_roster_abort(struct store_roster *ro)
{
	if (!ro)
		return;
	(void)exec(ro->st, "ROLLBACK");
	roster_free(ro);
}

static int query_int64(struct store *st, const char *sql, int64_t a, int64_t b, int64_t *ret);

int store_roster_commit(struct store_roster *ro, unsigned *ret_staff, unsigned *ret_credentials)
{
	int64_t count = 0;
	int r;

	/*
	 * Fingers enrolled on this kiosk name pages of its own module, which the
	 * roster cannot know: they are put back for everyone still listed, and
	 * win over a roster row naming the same page for someone else.
	 */
	r = exec(ro->st, "INSERT OR REPLACE INTO credentials (credential, nip)"
			 " SELECT 'finger:' || page, nip FROM fingers"
			 " WHERE nip IN (SELECT nip FROM staff)");
	if (r == 0)
		r = query_int64(ro->st, "SELECT count(*) FROM credentials", 0, 0, &count);
	if (r == 0) {
		ro->credentials = (unsigned)count;
		r = exec(ro->st, "COMMIT");
	}

	if (r < 0) {
		store_roster_abort(ro);
		return r;
	}
	*ret_staff = ro->staff;
	*ret_credentials = ro->credentials;
	roster_free(ro);
	return 0;
}

static int roster_add_credential(struct store_roster *ro, const char *cred, const char *nip,
				 char *why)
{
	int r;

	bind_text(ro->find_cred, 1, cred);
	r = step_once(ro->st, ro->find_cred, "find credential");
	if (r == 1 && strcmp((const char *)sqlite3_column_text(ro->find_cred, 0), nip) != 0) {
		snprintf(why, ROWS_WHY_MAX, "credential %s already belongs to NIP %s", cred,
			 (const char *)sqlite3_column_text(ro->find_cred, 0));
		r = -EINVAL;
	}
	sqlite3_reset(ro->find_cred);
	if (r != 0)
		return r < 0 ? r : 0; /* the same person listed twice: nothing to add */

	bind_text(ro->add_cred, 1, cred);
	bind_text(ro->add_cred, 2, nip);
	r = step_once(ro->st, ro->add_cred, "add credential");
	sqlite3_reset(ro->add_cred);
	if (r == 0)
		ro->credentials++;
	return r;
}

int store_roster_add(struct store_roster *ro, const char *nip, const char *name,
		     const char *unit_id, const char *card, const char *finger,
		     char why[ROWS_WHY_MAX])
{
	char cred[RECORD_CREDENTIAL_MAX];
	int r;

	if (!is_digits(nip, RECORD_NIP_MAX - 1)) {
		snprintf(why, ROWS_WHY_MAX, "nip: '%s' is not a number of 1 to %d digits", nip,
			 RECORD_NIP_MAX - 1);
		return -EINVAL;
	}
	if (name[0] == '\0' || strlen(name) >= STORE_NAME_MAX) {
		snprintf(why, ROWS_WHY_MAX, "name: must be 1 to %d bytes", STORE_NAME_MAX - 1);
		return -EINVAL;
	}
	if (unit_id[0] == '\0' || strlen(unit_id) >= STORE_UNIT_MAX) {
		snprintf(why, ROWS_WHY_MAX, "unit_id: must be 1 to %d bytes", STORE_UNIT_MAX - 1);
		return -EINVAL;
	}

	bind_text(ro->find_staff, 1, nip);
	r = step_once(ro->st, ro->find_staff, "find staff");
	if (r == 1 &&
	    (strcmp((const char *)sqlite3_column_text(ro->find_staff, 0), name) != 0 ||
	     strcmp((const char *)sqlite3_column_text(ro->find_staff, 1), unit_id) != 0)) {
		snprintf(why, ROWS_WHY_MAX, "nip %s: listed before with another name or unit_id",
			 nip);
		r = -EINVAL;
	}
	sqlite3_reset(ro->find_staff);
	if (r < 0)
		return r;
	if (r == 0) {
		bind_text(ro->add_staff, 1, nip);
		bind_text(ro->add_staff, 2, name);
		bind_text(ro->add_staff, 3, unit_id);
		r = step_once(ro->st, ro->add_staff, "add staff");
		sqlite3_reset(ro->add_staff);
		if (r < 0)
			return r;
		ro->staff++;
	}

	if (card && card[0] != '\0') {
		if (store_card_credential(card, cred) < 0) {
			snprintf(why, ROWS_WHY_MAX, "card: '%s' is not a number of up to 20 digits",
				 card);
			return -EINVAL;
		}
		r = roster_add_credential(ro, cred, nip, why);
		if (r < 0)
			return r;
	}
	if (finger && finger[0] != '\0') {
		if (!is_digits(finger, 5) || atoi(finger) > 65535) {
			snprintf(why, ROWS_WHY_MAX, "fingerprint_id: '%s' is not a slot 0 to 65535",
				 finger);
			return -EINVAL;
		}
		snprintf(cred, sizeof(cred), "finger:%d", atoi(finger));
		r = roster_add_credential(ro, cred, nip, why);
		if (r < 0)
			return r;
	}
	return 0;
}

/* --- roster import from CSV --- */

struct roster_csv {
	struct store_roster *ro;
	bool header_seen;
};

static int roster_row(void *user, unsigned line, char **f, size_t n, char *why)
{
	static const char *const columns[] = {"nip",  "name",		"unit_id",
					      "card", "fingerprint_id", NULL};
	struct roster_csv *csv = user;

	(void)line;
	if (!csv->header_seen) {
		csv->header_seen = true;
		return rows_expect_header(f, n, columns, why);
	}
	if (n != 5) {
		snprintf(why, ROWS_WHY_MAX, "expected 5 fields, found %zu", n);
		return -EINVAL;
	}
	return store_roster_add(csv->ro, f[0], f[1], f[2], f[3], f[4], why);
}

int store_roster_import(struct store *st, const char *csv_path, unsigned *ret_staff,
			unsigned *ret_credentials, char why[ROWS_WHY_MAX])
{
	struct roster_csv csv = {.header_seen = false};
	int r;

	why[0] = '\0';
	r = store_roster_begin(st, &csv.ro);
	if (r == 0)
		r = rows_read_file(csv_path, roster_row, &csv, why);
	if (r == 0 && !csv.header_seen) {
		snprintf(why, ROWS_WHY_MAX, "%s: empty file (expected a header row)", csv_path);
		r = -EINVAL;
	}
	if (r < 0) {
		if (why[0] == '\0')
			snprintf(why, ROWS_WHY_MAX, "%s: %s", csv_path, strerror(-r));
		store_roster_abort(csv.ro);
		return r;
	}
	r = store_roster_commit(csv.ro, ret_staff, ret_credentials);
	if (r < 0)
		snprintf(why, ROWS_WHY_MAX, "%s: %s", csv_path, strerror(-r));
	return r;
}

/* --- reading back --- */

static int query_int64(struct store *st, const char *sql, int64_t a, int64_t b, int64_t *ret)
{
	sqlite3_stmt *s;
	int rc;

	rc = sqlite3_prepare_v2(st->db, sql, -1, &s, NULL);
	if (rc != SQLITE_OK)
		return fail(st, rc, sql);
	sqlite3_bind_int64(s, 1, a);
	sqlite3_bind_int64(s, 2, b);
	rc = sqlite3_step(s);
	*ret = rc == SQLITE_ROW ? sqlite3_column_int64(s, 0) : 0;
	sqlite3_finalize(s);
	return rc == SQLITE_ROW || rc == SQLITE_DONE ? 0 : fail(st, rc, sql);
}

static int keep_record(void *user, const struct record *rec)
{
	*(struct record *)user = *rec;
	return 0;
}

/* A scan, as there is no index on wall time (migration 6): only when a range is asked for. */
static int count_taps(struct store *st, int64_t from_usec, int64_t to_usec,
		      struct store_status *ret_status)
{
	static const char sql[] = "SELECT count(*), coalesce(sum(outcome = 'accepted'), 0)"
				  " FROM records WHERE kind = 'tap' AND wall_usec >= ?1"
				  " AND wall_usec < ?2";
	sqlite3_stmt *s;
	int rc;

	rc = sqlite3_prepare_v2(st->db, sql, -1, &s, NULL);
	if (rc != SQLITE_OK)
		return fail(st, rc, sql);
	sqlite3_bind_int64(s, 1, from_usec);
	sqlite3_bind_int64(s, 2, to_usec);
	rc = sqlite3_step(s);
	if (rc == SQLITE_ROW) {
		ret_status->taps_in_range = (unsigned)sqlite3_column_int64(s, 0);
		ret_status->accepted_in_range = (unsigned)sqlite3_column_int64(s, 1);
	}
	sqlite3_finalize(s);
	return rc == SQLITE_ROW ? 0 : fail(st, rc, sql);
}

int store_get_status(struct store *st, int64_t from_usec, int64_t to_usec,
		     struct store_status *ret_status)
{
	struct store_status s = {.last_seq = 0};
	struct record last;
	int64_t v;
	int r;

	/* From the table, not head_seq: another connection (the daemon) may have appended. */
	r = query_int64(st, "SELECT coalesce(max(seq), 0) FROM records", 0, 0, &v);
	s.last_seq = (uint64_t)v;
	if (r == 0)
		r = query_int64(st, "SELECT count(*) FROM staff", 0, 0, &v);
	s.roster_staff = (unsigned)v;
	if (r == 0)
		r = query_int64(st, "SELECT count(*) FROM credentials", 0, 0, &v);
	s.roster_credentials = (unsigned)v;
	if (r == 0)
		r = query_int64(st, "SELECT value FROM meta WHERE key = 'acked_seq'", 0, 0, &v);
	s.acked_seq = (uint64_t)v;
	if (r == 0)
		r = query_int64(st, "SELECT wall_usec FROM records WHERE seq = ?1 + 1",
				(int64_t)s.acked_seq, 0, &s.oldest_unacked_usec);
	if (r == 0 && from_usec < to_usec)
		r = count_taps(st, from_usec, to_usec, &s);
	if (r < 0)
		return r;
	r = store_each_recent(st, 1, keep_record, &last);
	if (r < 0)
		return r;
	if (s.last_seq) {
		s.last_wall_usec = last.wall_usec;
		s.last_trusted = last.clock_trusted;
	}
	*ret_status = s;
	return 0;
}

int store_each_recent(struct store *st, unsigned limit, store_record_fn *fn, void *user)
{
	struct record rec;
	sqlite3_stmt *s;
	int rc, r = 0;

	rc = sqlite3_prepare_v2(st->db,
				"SELECT seq, kind, wall_usec, boot_usec, boot_id, clock_trusted,"
				" credential, nip, outcome, reason, direction, payload, prev, link"
				" FROM records ORDER BY seq DESC LIMIT ?",
				-1, &s, NULL);
	if (rc != SQLITE_OK)
		return fail(st, rc, "read records");
	sqlite3_bind_int64(s, 1, limit);
	while (r == 0 && (rc = sqlite3_step(s)) == SQLITE_ROW) {
		read_record(s, &rec);
		r = fn(user, &rec);
	}
	if (r == 0 && rc != SQLITE_DONE && rc != SQLITE_ROW)
		r = fail(st, rc, "read records");
	sqlite3_finalize(s);
	return r;
}

int store_verify_chain(struct store *st, uint64_t *ret_bad_seq)
{
	uint8_t expect_prev[CRYPTO_SHA256_LEN];
	uint64_t expect_seq = 0;
	struct record rec;
	sqlite3_stmt *s;
	int rc, r = 0;

	rc = sqlite3_prepare_v2(st->db,
				"SELECT seq, kind, wall_usec, boot_usec, boot_id, clock_trusted,"
				" credential, nip, outcome, reason, direction, payload, prev, link"
				" FROM records ORDER BY seq",
				-1, &s, NULL);
	if (rc != SQLITE_OK)
		return fail(st, rc, "read records");
	while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
		read_record(s, &rec);
		/* The oldest record kept anchors the walk (acknowledged ones may be pruned). */
		if (expect_seq == 0) {
			expect_seq = rec.seq;
			memcpy(expect_prev, rec.prev, sizeof(expect_prev));
			if (rec.seq == 1 && memcmp(rec.prev, (uint8_t[CRYPTO_SHA256_LEN]){0},
						   CRYPTO_SHA256_LEN) != 0)
				r = -EBADMSG;
		}
		if (r == 0 && (rec.seq != expect_seq ||
			       memcmp(rec.prev, expect_prev, sizeof(expect_prev)) != 0 ||
			       !record_link_ok(&rec)))
			r = -EBADMSG;
		if (r < 0) {
			*ret_bad_seq = rec.seq;
			break;
		}
		expect_seq++;
		memcpy(expect_prev, rec.link, sizeof(expect_prev));
	}
	if (r == 0 && rc != SQLITE_DONE)
		r = fail(st, rc, "read records");
	sqlite3_finalize(s);
	return r;
}

/* --- sync: outbox, acknowledgements, status, clock anchors --- */

int store_outbox(struct store *st, uint64_t after_seq, size_t max, struct record *recs,
		 size_t *ret_n)
{
	sqlite3_stmt *s;
	size_t n = 0;
	int rc;

	rc = sqlite3_prepare_v2(st->db,
				"SELECT seq, kind, wall_usec, boot_usec, boot_id, clock_trusted,"
				" credential, nip, outcome, reason, direction, payload, prev, link"
				" FROM records WHERE seq > ? ORDER BY seq LIMIT ?",
				-1, &s, NULL);
	if (rc != SQLITE_OK)
		return fail(st, rc, "read outbox");
	sqlite3_bind_int64(s, 1, (sqlite3_int64)after_seq);
	sqlite3_bind_int64(s, 2, (sqlite3_int64)max);
	while (n < max && (rc = sqlite3_step(s)) == SQLITE_ROW)
		read_record(s, &recs[n++]);
	sqlite3_finalize(s);
	if (rc != SQLITE_ROW && rc != SQLITE_DONE)
		return fail(st, rc, "read outbox");
	*ret_n = n;
	return 0;
}

int store_set_acked(struct store *st, uint64_t seq)
{
	sqlite3_stmt *s;
	int rc;

	/* Never backwards: a late reply to an old request must not resend the acknowledged. */
	rc = sqlite3_prepare_v2(
	    st->db, "UPDATE meta SET value = max(value, ?) WHERE key = 'acked_seq'", -1, &s, NULL);
	if (rc != SQLITE_OK)
		return fail(st, rc, "set acked");
	sqlite3_bind_int64(s, 1, (sqlite3_int64)seq);
	rc = sqlite3_step(s);
	sqlite3_finalize(s);
	return rc == SQLITE_DONE ? 0 : fail(st, rc, "set acked");
}

int store_sync_set(struct store *st, const char *key, const char *value)
{
	sqlite3_stmt *s;
	int rc;

	rc = sqlite3_prepare_v2(st->db, "INSERT OR REPLACE INTO sync_state VALUES (?, ?)", -1, &s,
				NULL);
	if (rc != SQLITE_OK)
		return fail(st, rc, "set sync state");
	bind_text(s, 1, key);
	bind_text(s, 2, value);
	rc = sqlite3_step(s);
	sqlite3_finalize(s);
	return rc == SQLITE_DONE ? 0 : fail(st, rc, "set sync state");
}

int store_sync_get(struct store *st, const char *key, char *value, size_t len)
{
	sqlite3_stmt *s;
	int rc, r = 0;

	rc = sqlite3_prepare_v2(st->db, "SELECT value FROM sync_state WHERE key = ?", -1, &s, NULL);
	if (rc != SQLITE_OK)
		return fail(st, rc, "get sync state");
	bind_text(s, 1, key);
	rc = sqlite3_step(s);
	if (rc == SQLITE_ROW) {
		copy_column(s, 0, value, len);
		r = 1;
	} else if (rc != SQLITE_DONE) {
		r = fail(st, rc, "get sync state");
	}
	sqlite3_finalize(s);
	return r;
}

int store_anchor_put(struct store *st, const struct record_anchor *a)
{
	sqlite3_stmt *s;
	int rc;

	/* Keep the estimate with the shortest round trip: it bounds the error best. */
	rc =
	    sqlite3_prepare_v2(st->db,
			       "INSERT INTO clock_anchors VALUES (?1, ?2, ?3, ?4)"
			       " ON CONFLICT(boot_id) DO UPDATE SET boot_usec = ?2, true_usec = ?3,"
			       " rtt_usec = ?4 WHERE ?4 < rtt_usec",
			       -1, &s, NULL);
	if (rc != SQLITE_OK)
		return fail(st, rc, "store clock anchor");
	bind_text(s, 1, a->boot_id);
	sqlite3_bind_int64(s, 2, a->boot_usec);
	sqlite3_bind_int64(s, 3, a->true_usec);
	sqlite3_bind_int64(s, 4, a->rtt_usec);
	rc = sqlite3_step(s);
	sqlite3_finalize(s);
	return rc == SQLITE_DONE ? 0 : fail(st, rc, "store clock anchor");
}

int store_anchor_get(struct store *st, const char *boot_id, struct record_anchor *ret)
{
	sqlite3_stmt *s;
	int rc, r = 0;

	rc = sqlite3_prepare_v2(st->db,
				"SELECT boot_usec, true_usec, rtt_usec FROM clock_anchors"
				" WHERE boot_id = ?",
				-1, &s, NULL);
	if (rc != SQLITE_OK)
		return fail(st, rc, "read clock anchor");
	bind_text(s, 1, boot_id);
	rc = sqlite3_step(s);
	if (rc == SQLITE_ROW) {
		snprintf(ret->boot_id, sizeof(ret->boot_id), "%s", boot_id);
		ret->boot_usec = sqlite3_column_int64(s, 0);
		ret->true_usec = sqlite3_column_int64(s, 1);
		ret->rtt_usec = sqlite3_column_int64(s, 2);
		r = 1;
	} else if (rc != SQLITE_DONE) {
		r = fail(st, rc, "read clock anchor");
	}
	sqlite3_finalize(s);
	return r;
}

/* --- fingers enrolled on this kiosk --- */

/*
 * Run a one-statement change binding ?1 and ?2 to texts a and b (either may
 * be NULL: left unbound) and ?at to the integer number.
 */
static int change_args(struct store *st, const char *sql, const char *a, const char *b, int at,
		       int64_t number)
{
	sqlite3_stmt *s;
	int rc;

	rc = sqlite3_prepare_v2(st->db, sql, -1, &s, NULL);
	if (rc != SQLITE_OK)
		return fail(st, rc, sql);
	if (a)
		bind_text(s, 1, a);
	if (b)
		bind_text(s, 2, b);
	sqlite3_bind_int64(s, at, number);
	rc = sqlite3_step(s);
	sqlite3_finalize(s);
	return rc == SQLITE_DONE || rc == SQLITE_ROW ? 0 : fail(st, rc, sql);
}

/* Run a one-statement change with a text (?1) and an integer (?2) parameter. */
static int change(struct store *st, const char *sql, const char *text, int64_t number)
{
	return change_args(st, sql, text, NULL, 2, number);
}

/* Finish a transaction begun by the caller: commit when r is 0, else roll back. */
static int end_transaction(struct store *st, int r)
{
	if (r == 0)
		r = exec(st, "COMMIT");
	if (r < 0)
		(void)exec(st, "ROLLBACK");
	return r;
}

#define WAL_FRAME_HEADER 24

static void wal_path(struct store *st, char path[PATH_MAX])
{
	snprintf(path, PATH_MAX, "%s-wal", sqlite3_db_filename(st->db, "main"));
}

/* Bytes of the WAL file, or 0 when there is none yet. */
static off_t wal_file_size(struct store *st)
{
	char path[PATH_MAX];
	struct stat sb;

	wal_path(st, path);
	return stat(path, &sb) == 0 ? sb.st_size : 0;
}

static int sync_wal_file(struct store *st)
{
	char path[PATH_MAX];
	int fd, r = 0;

	wal_path(st, path);
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return -errno;
	if (fdatasync(fd) < 0)
		r = -errno;
	close(fd);
	return r;
}

int store_reserve_wal(struct store *st)
{
	int64_t page = 0, old_cache = 0;
	struct statvfs vfs;
	off_t want;
	int r;

	r = query_int64(st, "PRAGMA page_size", 0, 0, &page);
	if (r < 0)
		return r;
	want = (off_t)STORE_WAL_RESERVE_PAGES * (page + WAL_FRAME_HEADER);
	if (wal_file_size(st) >= want)
		return 0;
	/* The space is reused, not lost, but on a nearly full disk taps come first. */
	if (statvfs(sqlite3_db_filename(st->db, "main"), &vfs) < 0)
		return -errno;
	if ((uint64_t)vfs.f_bavail * vfs.f_frsize < 4 * (uint64_t)want)
		return -ENOSPC;
	/*
	 * A cache of a few pages spills the blob's pages to the WAL file as
	 * frames while the transaction lasts; the rollback leaves them there,
	 * invalid, for later commits to overwrite; the database is untouched.
	 */
	r = query_int64(st, "PRAGMA cache_size", 0, 0, &old_cache);
	if (r == 0)
		r = exec(st, "PRAGMA cache_size = 16");
	if (r == 0)
		r = exec(st, "BEGIN IMMEDIATE");
	if (r == 0) {
		r = change(st, "INSERT INTO wal_reserve VALUES (zeroblob(?2))", NULL,
			   STORE_WAL_RESERVE_PAGES * page);
		(void)exec(st, "ROLLBACK");
	}
	if (old_cache) {
		char sql[64];

		snprintf(sql, sizeof(sql), "PRAGMA cache_size = %" PRId64, old_cache);
		(void)exec(st, sql);
	}
	/* Written out now, so the first tap's fsync does not write the whole reservation. */
	if (r == 0)
		r = sync_wal_file(st);
	if (r == 0)
		log_debug("store: WAL reserved, %lld bytes", (long long)wal_file_size(st));
	return r;
}

int store_staff_name(struct store *st, const char *nip, char ret_name[STORE_NAME_MAX])
{
	sqlite3_stmt *s;
	int rc, r = 0;

	rc = sqlite3_prepare_v2(st->db, "SELECT name FROM staff WHERE nip = ?", -1, &s, NULL);
	if (rc != SQLITE_OK)
		return fail(st, rc, "find staff");
	bind_text(s, 1, nip);
	rc = sqlite3_step(s);
	if (rc == SQLITE_ROW) {
		copy_column(s, 0, ret_name, STORE_NAME_MAX);
		r = 1;
	} else if (rc != SQLITE_DONE) {
		r = fail(st, rc, "find staff");
	}
	sqlite3_finalize(s);
	return r;
}

int store_finger_add(struct store *st, const char *nip, unsigned page)
{
	char name[STORE_NAME_MAX];
	int r;

	r = store_staff_name(st, nip, name);
	if (r <= 0)
		return r < 0 ? r : -ENOENT;
	r = exec(st, "BEGIN IMMEDIATE");
	if (r < 0)
		return r;
	r = change(st, "INSERT OR REPLACE INTO fingers (nip, page) VALUES (?1, ?2)", nip, page);
	if (r == 0)
		r = change(st,
			   "INSERT OR REPLACE INTO credentials (nip, credential)"
			   " VALUES (?1, 'finger:' || ?2)",
			   nip, page);
	return end_transaction(st, r);
}

int store_finger_remove(struct store *st, unsigned page)
{
	int r = exec(st, "BEGIN IMMEDIATE");

	if (r < 0)
		return r;
	r = change(st, "DELETE FROM fingers WHERE page = ?2", NULL, page);
	if (r == 0)
		r = change(st, "DELETE FROM credentials WHERE credential = 'finger:' || ?2", NULL,
			   page);
	return end_transaction(st, r);
}

int store_finger_pages(struct store *st, const char *nip, uint16_t *pages, size_t max,
		       size_t *ret_n)
{
	sqlite3_stmt *s;
	size_t n = 0;
	int rc;

	rc = sqlite3_prepare_v2(
	    st->db,
	    "SELECT CAST(substr(credential, 8) AS INTEGER) AS page FROM credentials"
	    " WHERE nip = ?1 AND credential LIKE 'finger:%'"
	    " UNION SELECT page FROM fingers WHERE nip = ?1 ORDER BY page",
	    -1, &s, NULL);
	if (rc != SQLITE_OK)
		return fail(st, rc, "list fingers");
	bind_text(s, 1, nip);
	while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
		int64_t page = sqlite3_column_int64(s, 0);

		if (n < max && page >= 0 && page <= UINT16_MAX)
			pages[n++] = (uint16_t)page;
	}
	sqlite3_finalize(s);
	if (rc != SQLITE_DONE)
		return fail(st, rc, "list fingers");
	*ret_n = n;
	return 0;
}

/* The helpers above, for the store's other files (store_private.h). */

int store_exec(struct store *st, const char *sql)
{
	return exec(st, sql);
}

int store_change(struct store *st, const char *sql, const char *a, const char *b, int at,
		 int64_t number)
{
	return change_args(st, sql, a, b, at, number);
}

int store_end_transaction(struct store *st, int r)
{
	return end_transaction(st, r);
}

int store_query_int64(struct store *st, const char *sql, int64_t a, int64_t b, int64_t *ret)
{
	return query_int64(st, sql, a, b, ret);
}

void store_copy_column(sqlite3_stmt *stmt, int col, char *dst, size_t cap)
{
	copy_column(stmt, col, dst, cap);
}
