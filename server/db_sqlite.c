// SPDX-License-Identifier: MIT
/*
 * The SQLite backend of the storage interface (db.h): WAL, synchronous=FULL
 * (a record is on disk before the kiosk is told so), a busy timeout so the
 * admin commands work while the service runs, and versioned migrations in
 * PRAGMA user_version. It stores what it is told; policy is in ingest.c.
 */
#include "server/db.h"
#include "server/db_sqlite.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <sqlite3.h>

#include "common/log.h"
#include "server/db_account.h"
#include "server/db_sqlite.h"

#define STMT_CACHE_MAX 128

struct db_sqlite {
	struct db base; /* first: a struct db * is a struct db_sqlite * */
	sqlite3 *conn;
	char path[256];
	/*
	 * Prepared statements kept by their SQL text's address (all SQL here is
	 * string literals): ingest runs a handful of queries per record, and
	 * preparing them afresh each time cost more than executing them.
	 */
	struct {
		const char *sql;
		sqlite3_stmt *stmt;
	} cache[STMT_CACHE_MAX];
	size_t n_cached;
};

static sqlite3 *conn_of(struct db *db)
{
	return ((struct db_sqlite *)(void *)db)->conn;
}

/* Each entry moves the schema from version i to i + 1; never edit one, append. */
static const char *const migrations[] = {
    "CREATE TABLE devices ("
    " id INTEGER PRIMARY KEY,"
    " name TEXT NOT NULL UNIQUE,"
    " disabled INTEGER NOT NULL DEFAULT 0,"
    " created_usec INTEGER NOT NULL,"
    " enrolled_usec INTEGER,"
    " cert_serial TEXT,"
    " cert_fingerprint TEXT UNIQUE,"
    " acked_seq INTEGER NOT NULL DEFAULT 0);"
    "CREATE TABLE enroll_tokens ("
    " hash TEXT PRIMARY KEY,"
    " device_id INTEGER NOT NULL REFERENCES devices(id),"
    " created_usec INTEGER NOT NULL,"
    " expires_usec INTEGER NOT NULL,"
    " used_usec INTEGER);"
    "CREATE TABLE admin_tokens ("
    " hash TEXT PRIMARY KEY,"
    " role TEXT NOT NULL,"
    " created_usec INTEGER NOT NULL);"
    "CREATE TABLE records ("
    " device_id INTEGER NOT NULL REFERENCES devices(id),"
    " seq INTEGER NOT NULL,"
    " kind TEXT NOT NULL,"
    " wall_usec INTEGER NOT NULL,"
    " boot_usec INTEGER NOT NULL,"
    " boot_id TEXT NOT NULL,"
    " clock_trusted INTEGER NOT NULL,"
    " credential TEXT NOT NULL,"
    " nip TEXT NOT NULL,"
    " outcome TEXT NOT NULL,"
    " reason TEXT NOT NULL,"
    " direction TEXT NOT NULL,"
    " payload TEXT NOT NULL,"
    " prev BLOB NOT NULL,"
    " link BLOB NOT NULL,"
    " corrected_usec INTEGER,"
    " received_usec INTEGER NOT NULL,"
    " chain_ok INTEGER NOT NULL,"
    " PRIMARY KEY (device_id, seq));"
    "CREATE INDEX records_nip ON records(nip, wall_usec);"
    "CREATE INDEX records_boot ON records(device_id, boot_id);"
    "CREATE TABLE alerts ("
    " id INTEGER PRIMARY KEY,"
    " device_id INTEGER NOT NULL REFERENCES devices(id),"
    " seq INTEGER NOT NULL,"
    " kind TEXT NOT NULL,"
    " detail TEXT NOT NULL,"
    " created_usec INTEGER NOT NULL,"
    " UNIQUE (device_id, seq, kind));",
    /* 2: clock anchors kiosks measured against this collector's time */
    "CREATE TABLE boot_anchors ("
    " device_id INTEGER NOT NULL REFERENCES devices(id),"
    " boot_id TEXT NOT NULL,"
    " offset_usec INTEGER NOT NULL,"
    " rtt_usec INTEGER NOT NULL,"
    " PRIMARY KEY (device_id, boot_id));",
    /*
     * 3: time correction without scanning a boot's whole history: only the
     * records still lacking a corrected time are indexed for the update, and
     * the latest trusted record of a boot is found by index.
     */
    "CREATE INDEX records_uncorrected ON records(device_id, boot_id)"
    " WHERE corrected_usec IS NULL;"
    "CREATE INDEX records_boot_trusted ON records(device_id, boot_id, clock_trusted, seq);"
    "DROP INDEX records_boot;",
    /*
     * 4: organisation data (db_sqlite_org.c). No foreign keys to units: an
     * import replaces a set and then names every dangling unit_id itself.
     * roster_state.version feeds the roster's ETag.
     */
    "CREATE TABLE units ("
    " unit_id TEXT PRIMARY KEY,"
    " name TEXT NOT NULL,"
    " timezone TEXT NOT NULL,"
    " profile TEXT NOT NULL);"
    "CREATE TABLE staff ("
    " nip TEXT PRIMARY KEY,"
    " name TEXT NOT NULL,"
    " unit_id TEXT NOT NULL,"
    " allowance INTEGER NOT NULL DEFAULT 0,"
    " supervisor_nip TEXT NOT NULL DEFAULT '');"
    "CREATE INDEX staff_unit ON staff(unit_id, nip);"
    "CREATE TABLE staff_cards ("
    " card TEXT PRIMARY KEY,"
    " nip TEXT NOT NULL);"
    "CREATE INDEX staff_cards_nip ON staff_cards(nip);"
    "CREATE TABLE staff_fingers ("
    " finger INTEGER PRIMARY KEY,"
    " nip TEXT NOT NULL);"
    "CREATE INDEX staff_fingers_nip ON staff_fingers(nip);"
    "CREATE TABLE schedules ("
    " id INTEGER PRIMARY KEY,"
    " unit_id TEXT NOT NULL,"
    " valid_from TEXT NOT NULL,"
    " valid_to TEXT NOT NULL,"
    " weekday INTEGER NOT NULL,"
    " start TEXT NOT NULL,"
    " \"end\" TEXT NOT NULL,"
    " label TEXT NOT NULL DEFAULT '',"
    " UNIQUE (unit_id, weekday, valid_from, valid_to));"
    "CREATE TABLE holidays ("
    " date TEXT PRIMARY KEY,"
    " name TEXT NOT NULL);"
    "CREATE TABLE leave ("
    " id INTEGER PRIMARY KEY,"
    " nip TEXT NOT NULL,"
    " from_date TEXT NOT NULL,"
    " to_date TEXT NOT NULL,"
    " code TEXT NOT NULL,"
    " time_from TEXT NOT NULL DEFAULT '',"
    " time_to TEXT NOT NULL DEFAULT '');"
    "CREATE INDEX leave_nip ON leave(nip, from_date);"
    "CREATE INDEX leave_from ON leave(from_date);"
    "CREATE TABLE device_units ("
    " device_id INTEGER NOT NULL REFERENCES devices(id),"
    " unit_id TEXT NOT NULL,"
    " PRIMARY KEY (device_id, unit_id));"
    "CREATE TABLE roster_state ("
    " id INTEGER PRIMARY KEY CHECK (id = 1),"
    " version INTEGER NOT NULL,"
    " changed_usec INTEGER NOT NULL,"
    " has_staff INTEGER NOT NULL);"
    "INSERT INTO roster_state VALUES (1, 0, 0, 0);",
    /*
     * 5: activity entries projected from records of kind "activity" (the
     * record stays the evidence; this is its reviewable state), the NIP
     * behind a supervisor's token, and staff's plan items (RHK).
     */
    "CREATE TABLE activities ("
    " id INTEGER PRIMARY KEY,"
    " device_id INTEGER NOT NULL REFERENCES devices(id),"
    " seq INTEGER NOT NULL,"
    " nip TEXT NOT NULL,"
    " date TEXT NOT NULL,"
    " plan TEXT NOT NULL,"
    " description TEXT NOT NULL,"
    " quantity INTEGER NOT NULL,"
    " unit TEXT NOT NULL,"
    " start_hm TEXT NOT NULL,"
    " end_hm TEXT NOT NULL,"
    " minutes INTEGER NOT NULL,"
    " supersedes INTEGER NOT NULL,"
    " withdrawn INTEGER NOT NULL,"
    " status TEXT NOT NULL,"
    " reason TEXT NOT NULL,"
    " reviewer_nip TEXT,"
    " comment TEXT NOT NULL DEFAULT '',"
    " reviewed_usec INTEGER,"
    " superseded_by INTEGER REFERENCES activities(id),"
    " received_usec INTEGER NOT NULL,"
    " UNIQUE (device_id, seq));"
    "CREATE INDEX activities_date ON activities(date, nip);"
    "CREATE INDEX activities_nip ON activities(nip, date);"
    "CREATE INDEX activities_supersedes ON activities(device_id, supersedes) WHERE supersedes > 0;"
    "ALTER TABLE admin_tokens ADD COLUMN nip TEXT;"
    "CREATE TABLE plans ("
    " nip TEXT NOT NULL,"
    " code TEXT NOT NULL,"
    " title TEXT NOT NULL,"
    " PRIMARY KEY (nip, code));",
    /*
     * 6: fingerprint templates, sealed with AES-256-GCM (server/vault.c):
     * the nonce and ciphertext+tag only, never the plaintext; and the
     * enrolments the collector asks a kiosk to run.
     */
    "CREATE TABLE templates ("
    " nip TEXT NOT NULL,"
    " idx INTEGER NOT NULL,"
    " nonce BLOB NOT NULL,"
    " sealed BLOB NOT NULL,"
    " device_id INTEGER NOT NULL REFERENCES devices(id),"
    " created_usec INTEGER NOT NULL,"
    " PRIMARY KEY (nip, idx));"
    "CREATE TABLE enroll_requests ("
    " id INTEGER PRIMARY KEY,"
    " device_id INTEGER NOT NULL REFERENCES devices(id),"
    " nip TEXT NOT NULL,"
    " state TEXT NOT NULL DEFAULT 'pending',"
    " reason TEXT NOT NULL DEFAULT '',"
    " created_usec INTEGER NOT NULL,"
    " finished_usec INTEGER);"
    "CREATE INDEX enroll_requests_pending ON enroll_requests(device_id) WHERE state = 'pending';",
    /*
     * 7: accounts (db_account.h). The audit log is append-only: triggers
     * refuse every UPDATE and DELETE on it, whoever runs them.
     */
    "CREATE TABLE users ("
    " id INTEGER PRIMARY KEY,"
    " name TEXT NOT NULL UNIQUE,"
    " role TEXT NOT NULL CHECK (role IN ('superadmin', 'unit_admin', 'supervisor', 'staff')),"
    " units TEXT NOT NULL DEFAULT '',"
    " nip TEXT NOT NULL DEFAULT '',"
    " disabled INTEGER NOT NULL DEFAULT 0,"
    " password_hash TEXT NOT NULL,"
    " failures INTEGER NOT NULL DEFAULT 0,"
    " locked_until_usec INTEGER NOT NULL DEFAULT 0,"
    " created_usec INTEGER NOT NULL,"
    " changed_usec INTEGER NOT NULL);"
    "CREATE TABLE sessions ("
    " hash TEXT PRIMARY KEY,"
    " user_id INTEGER NOT NULL REFERENCES users(id),"
    " csrf TEXT NOT NULL,"
    " created_usec INTEGER NOT NULL,"
    " seen_usec INTEGER NOT NULL);"
    "CREATE INDEX sessions_user ON sessions(user_id);"
    "ALTER TABLE admin_tokens ADD COLUMN units TEXT NOT NULL DEFAULT '';"
    "CREATE TABLE audit_log ("
    " id INTEGER PRIMARY KEY,"
    " time_usec INTEGER NOT NULL,"
    " actor TEXT NOT NULL,"
    " action TEXT NOT NULL,"
    " target TEXT NOT NULL,"
    " detail TEXT NOT NULL,"
    " source TEXT NOT NULL);"
    "CREATE INDEX audit_log_time ON audit_log(time_usec);"
    "CREATE TRIGGER audit_log_no_update BEFORE UPDATE ON audit_log"
    " BEGIN SELECT RAISE(ABORT, 'audit_log is append-only'); END;"
    "CREATE TRIGGER audit_log_no_delete BEFORE DELETE ON audit_log"
    " BEGIN SELECT RAISE(ABORT, 'audit_log is append-only'); END;",
    /*
     * Collector migration 8 (reports; kept last: the lead orders it after 4-7).
     * records_nip widened to cover the report's tap stream (db_sqlite_report.c):
     * read from the index alone, in NIP order, without a table row per tap.
     * Its old columns lead, so its other uses are unchanged, and ingest keeps
     * the same number of indexes to update.
     */
    "DROP INDEX records_nip;"
    "CREATE INDEX records_nip ON records(nip, wall_usec, kind, outcome, corrected_usec,"
    " direction);",
    /*
     * 9: each kiosk's last accepted push and the health it last reported
     * (db_sqlite_health.c); the health columns stay NULL until a kiosk that
     * sends health does.
     */
    "CREATE TABLE device_health ("
    " device_id INTEGER PRIMARY KEY REFERENCES devices(id),"
    " last_sync_usec INTEGER NOT NULL,"
    " health_usec INTEGER,"
    " outbox INTEGER,"
    " outbox_oldest_usec INTEGER,"
    " clock_offset_usec INTEGER,"
    " clock_trusted INTEGER,"
    " boot_id TEXT,"
    " uptime_s INTEGER,"
    " version TEXT);",
    /*
     * 10: the certificate a kiosk enrolled with (it verifies the chain heads
     * the kiosk signs) and the latest verified head (db_sqlite_heads.c).
     */
    "ALTER TABLE devices ADD COLUMN cert_pem TEXT;"
    "ALTER TABLE devices ADD COLUMN head_seq INTEGER NOT NULL DEFAULT 0;"
    "ALTER TABLE devices ADD COLUMN head_sig BLOB;",
};

static int sql_error(struct db *db, const char *what)
{
	sqlite3 *conn = conn_of(db);
	int code = sqlite3_errcode(conn);

	log_err("db: %s: %s", what, sqlite3_errmsg(conn));
	if (code == SQLITE_NOMEM)
		return -ENOMEM;
	if (code == SQLITE_BUSY || code == SQLITE_LOCKED)
		return -EBUSY;
	if (code == SQLITE_FULL)
		return -ENOSPC;
	return -EIO;
}

static int exec(struct db *db, const char *sql)
{
	if (sqlite3_exec(conn_of(db), sql, NULL, NULL, NULL) != SQLITE_OK)
		return sql_error(db, sql);
	return 0;
}

/* A statement for sql, from the cache when it was prepared before; give it back with done(). */
static int prepare(struct db *db, const char *sql, sqlite3_stmt **ret_stmt)
{
	struct db_sqlite *s = (struct db_sqlite *)(void *)db;
	sqlite3_stmt *stmt;

	for (size_t i = 0; i < s->n_cached; i++) {
		if (s->cache[i].sql == sql) {
			*ret_stmt = s->cache[i].stmt;
			return 0;
		}
	}
	if (sqlite3_prepare_v3(s->conn, sql, -1, SQLITE_PREPARE_PERSISTENT, &stmt, NULL) !=
	    SQLITE_OK)
		return sql_error(db, "prepare");
	if (s->n_cached < STMT_CACHE_MAX) {
		s->cache[s->n_cached].sql = sql;
		s->cache[s->n_cached].stmt = stmt;
		s->n_cached++;
	}
	*ret_stmt = stmt;
	return 0;
}

/* Hand a statement from prepare() back: reset for the next use, or finalized if not cached. */
static void done(struct db *db, sqlite3_stmt *stmt)
{
	struct db_sqlite *s = (struct db_sqlite *)(void *)db;

	for (size_t i = 0; i < s->n_cached; i++) {
		if (s->cache[i].stmt == stmt) {
			sqlite3_reset(stmt);
			sqlite3_clear_bindings(stmt);
			return;
		}
	}
	sqlite3_finalize(stmt);
}

static void cache_free(struct db_sqlite *s)
{
	for (size_t i = 0; i < s->n_cached; i++)
		sqlite3_finalize(s->cache[i].stmt);
	s->n_cached = 0;
}

/* Step a statement that returns no rows, then finalize it. */
static int step_done(struct db *db, sqlite3_stmt *stmt, const char *what)
{
	int rc = sqlite3_step(stmt);
	int r = 0;

	if (rc == SQLITE_CONSTRAINT)
		r = -EEXIST;
	else if (rc != SQLITE_DONE)
		r = sql_error(db, what);
	done(db, stmt);
	return r;
}

static int migrate(struct db *db)
{
	sqlite3_stmt *stmt;
	int version, r;

	r = prepare(db, "PRAGMA user_version", &stmt);
	if (r < 0)
		return r;
	version = sqlite3_step(stmt) == SQLITE_ROW ? sqlite3_column_int(stmt, 0) : -1;
	done(db, stmt);
	if (version < 0)
		return sql_error(db, "read schema version");
	if ((size_t)version > ARRAY_SIZE(migrations)) {
		log_err("db: schema version %d is newer than this program (%zu)", version,
			ARRAY_SIZE(migrations));
		return -EPROTO;
	}
	for (size_t v = (size_t)version; v < ARRAY_SIZE(migrations); v++) {
		char bump[64];

		r = exec(db, "BEGIN IMMEDIATE");
		if (r < 0)
			return r;
		snprintf(bump, sizeof(bump), "PRAGMA user_version = %zu", v + 1);
		r = exec(db, migrations[v]);
		if (r == 0)
			r = exec(db, bump);
		if (r == 0)
			r = exec(db, "COMMIT");
		if (r < 0) {
			(void)exec(db, "ROLLBACK");
			return r;
		}
		log_debug("db: migrated schema to version %zu", v + 1);
	}
	return 0;
}

static void sq_set_lock_wait(struct db *db, int64_t ms)
{
	struct db_sqlite *s = (struct db_sqlite *)(void *)db;

	sqlite3_busy_timeout(s->conn, (int)ms);
}

static void sq_close(struct db *db)
{
	struct db_sqlite *s = (struct db_sqlite *)(void *)db;

	cache_free(s);
	sqlite3_close_v2(s->conn);
	free(s);
}

static int sq_begin(struct db *db)
{
	return exec(db, "BEGIN IMMEDIATE");
}

static int sq_commit(struct db *db)
{
	return exec(db, "COMMIT");
}

static void sq_rollback(struct db *db)
{
	(void)exec(db, "ROLLBACK");
}

static int sq_savepoint(struct db *db)
{
	return exec(db, "SAVEPOINT unit");
}

static int sq_release(struct db *db)
{
	return exec(db, "RELEASE unit");
}

static void sq_rollback_to(struct db *db)
{
	/* ROLLBACK TO keeps the savepoint open: release it too. */
	(void)exec(db, "ROLLBACK TO unit");
	(void)exec(db, "RELEASE unit");
}

static int sq_admin_token_add(struct db *db, const char *token_hash, const char *role,
			      const char *nip, int64_t now_usec)
{
	sqlite3_stmt *stmt;
	int r;

	r = prepare(db,
		    "INSERT INTO admin_tokens (hash, role, nip, created_usec) VALUES (?, ?, ?, ?)",
		    &stmt);
	if (r < 0)
		return r;
	sqlite3_bind_text(stmt, 1, token_hash, -1, SQLITE_STATIC);
	sqlite3_bind_text(stmt, 2, role, -1, SQLITE_STATIC);
	if (nip)
		sqlite3_bind_text(stmt, 3, nip, -1, SQLITE_STATIC);
	sqlite3_bind_int64(stmt, 4, now_usec);
	return step_done(db, stmt, "add admin token");
}

static void text_col(sqlite3_stmt *stmt, int col, char *buf, size_t size)
{
	const unsigned char *t = sqlite3_column_text(stmt, col);

	snprintf(buf, size, "%s", t ? (const char *)t : "");
}

static int sq_device_add(struct db *db, const char *name, const char *token_hash, int64_t now_usec,
			 int64_t expires_usec)
{
	sqlite3_stmt *stmt;
	int r;

	r = sq_begin(db);
	if (r < 0)
		return r;
	r = prepare(db, "INSERT INTO devices (name, created_usec) VALUES (?, ?)", &stmt);
	if (r < 0)
		goto out_rollback;
	sqlite3_bind_text(stmt, 1, name, -1, SQLITE_STATIC);
	sqlite3_bind_int64(stmt, 2, now_usec);
	r = step_done(db, stmt, "add device");
	if (r < 0)
		goto out_rollback;
	r = prepare(db,
		    "INSERT INTO enroll_tokens (hash, device_id, created_usec, expires_usec)"
		    " VALUES (?, last_insert_rowid(), ?, ?)",
		    &stmt);
	if (r < 0)
		goto out_rollback;
	sqlite3_bind_text(stmt, 1, token_hash, -1, SQLITE_STATIC);
	sqlite3_bind_int64(stmt, 2, now_usec);
	sqlite3_bind_int64(stmt, 3, expires_usec);
	r = step_done(db, stmt, "add enrolment token");
	if (r < 0)
		goto out_rollback;
	return sq_commit(db);

out_rollback:
	sq_rollback(db);
	return r;
}

#define DEVICE_COLUMNS DB_SQLITE_DEVICE_COLUMNS

void db_sqlite_device_row(sqlite3_stmt *stmt, struct db_device *dev)
{
	memset(dev, 0, sizeof(*dev));
	dev->id = sqlite3_column_int64(stmt, 0);
	text_col(stmt, 1, dev->name, sizeof(dev->name));
	dev->is_disabled = sqlite3_column_int(stmt, 2) != 0;
	dev->created_usec = sqlite3_column_int64(stmt, 3);
	dev->is_enrolled = sqlite3_column_type(stmt, 4) != SQLITE_NULL;
	dev->enrolled_usec = sqlite3_column_int64(stmt, 4);
	text_col(stmt, 5, dev->cert_serial, sizeof(dev->cert_serial));
	text_col(stmt, 6, dev->cert_fingerprint, sizeof(dev->cert_fingerprint));
	dev->acked_seq = (uint64_t)sqlite3_column_int64(stmt, 7);
	dev->signed_seq = (uint64_t)sqlite3_column_int64(stmt, 8);
}

static int sq_device_list(struct db *db, db_device_fn *fn, void *user)
{
	struct db_device dev;
	sqlite3_stmt *stmt;
	int rc, r;

	r = prepare(db, "SELECT " DEVICE_COLUMNS " FROM devices d ORDER BY d.name", &stmt);
	if (r < 0)
		return r;
	while ((rc = sqlite3_step(stmt)) == SQLITE_ROW) {
		db_sqlite_device_row(stmt, &dev);
		r = fn(&dev, user);
		if (r < 0)
			break;
	}
	if (r == 0 && rc != SQLITE_DONE)
		r = sql_error(db, "list devices");
	done(db, stmt);
	return r;
}

/* Run a one-device query whose first parameter is text and maybe second an int64. */
static int device_query(struct db *db, const char *sql, const char *text, const int64_t *num,
			struct db_device *ret_dev)
{
	sqlite3_stmt *stmt;
	int rc, r;

	r = prepare(db, sql, &stmt);
	if (r < 0)
		return r;
	sqlite3_bind_text(stmt, 1, text, -1, SQLITE_STATIC);
	if (num)
		sqlite3_bind_int64(stmt, 2, *num);
	rc = sqlite3_step(stmt);
	if (rc == SQLITE_ROW) {
		db_sqlite_device_row(stmt, ret_dev);
		r = 0;
	} else {
		r = rc == SQLITE_DONE ? -ENOENT : sql_error(db, "find device");
	}
	done(db, stmt);
	return r;
}

static int sq_device_disable(struct db *db, const char *name)
{
	sqlite3_stmt *stmt;
	int r;

	r = prepare(db, "UPDATE devices SET disabled = 1 WHERE name = ?", &stmt);
	if (r < 0)
		return r;
	sqlite3_bind_text(stmt, 1, name, -1, SQLITE_STATIC);
	r = step_done(db, stmt, "disable device");
	if (r == 0 && sqlite3_changes(conn_of(db)) == 0)
		r = -ENOENT;
	return r;
}

static int sq_device_by_token(struct db *db, const char *token_hash, int64_t now_usec,
			      struct db_device *ret_dev)
{
	return device_query(db,
			    "SELECT " DEVICE_COLUMNS " FROM enroll_tokens t"
			    " JOIN devices d ON d.id = t.device_id"
			    " WHERE t.hash = ? AND t.used_usec IS NULL AND t.expires_usec > ?"
			    " AND d.disabled = 0",
			    token_hash, &now_usec, ret_dev);
}

static int sq_device_enroll(struct db *db, const char *token_hash, int64_t now_usec,
			    const struct crypto_cert_info *cert, const char *cert_pem)
{
	char fp[CRYPTO_SHA256_HEX];
	sqlite3_stmt *stmt;
	int r;

	crypto_hex(cert->fingerprint, fp);
	r = sq_begin(db);
	if (r < 0)
		return r;
	r = prepare(db,
		    "UPDATE enroll_tokens SET used_usec = ?2 WHERE hash = ?1"
		    " AND used_usec IS NULL AND expires_usec > ?2",
		    &stmt);
	if (r < 0)
		goto out_rollback;
	sqlite3_bind_text(stmt, 1, token_hash, -1, SQLITE_STATIC);
	sqlite3_bind_int64(stmt, 2, now_usec);
	r = step_done(db, stmt, "spend enrolment token");
	if (r == 0 && sqlite3_changes(conn_of(db)) != 1)
		r = -ENOENT;
	if (r < 0)
		goto out_rollback;
	r = prepare(
	    db,
	    "UPDATE devices SET enrolled_usec = ?2, cert_serial = ?3, cert_fingerprint = ?4,"
	    " cert_pem = ?5, head_seq = 0, head_sig = NULL"
	    " WHERE id = (SELECT device_id FROM enroll_tokens WHERE hash = ?1)"
	    " AND disabled = 0",
	    &stmt);
	if (r < 0)
		goto out_rollback;
	sqlite3_bind_text(stmt, 1, token_hash, -1, SQLITE_STATIC);
	sqlite3_bind_int64(stmt, 2, now_usec);
	sqlite3_bind_text(stmt, 3, cert->serial, -1, SQLITE_STATIC);
	sqlite3_bind_text(stmt, 4, fp, -1, SQLITE_STATIC);
	sqlite3_bind_text(stmt, 5, cert_pem, -1, SQLITE_STATIC);
	r = step_done(db, stmt, "bind certificate");
	if (r == 0 && sqlite3_changes(conn_of(db)) != 1)
		r = -ENOENT;
	if (r < 0)
		goto out_rollback;
	return sq_commit(db);

out_rollback:
	sq_rollback(db);
	return r;
}

static int sq_device_by_fingerprint(struct db *db, const char *fingerprint_hex,
				    struct db_device *ret_dev)
{
	return device_query(db,
			    "SELECT " DEVICE_COLUMNS " FROM devices d WHERE d.cert_fingerprint = ?",
			    fingerprint_hex, NULL, ret_dev);
}

static int sq_device_set_acked(struct db *db, int64_t device_id, uint64_t seq)
{
	sqlite3_stmt *stmt;
	int r;

	r = prepare(db, "UPDATE devices SET acked_seq = ? WHERE id = ?", &stmt);
	if (r < 0)
		return r;
	sqlite3_bind_int64(stmt, 1, (int64_t)seq);
	sqlite3_bind_int64(stmt, 2, device_id);
	return step_done(db, stmt, "set acknowledged sequence");
}

static int sq_record_chain(struct db *db, int64_t device_id, uint64_t seq,
			   uint8_t ret_prev[CRYPTO_SHA256_LEN], uint8_t ret_link[CRYPTO_SHA256_LEN])
{
	sqlite3_stmt *stmt;
	int rc, r;

	r = prepare(db, "SELECT prev, link FROM records WHERE device_id = ? AND seq = ?", &stmt);
	if (r < 0)
		return r;
	sqlite3_bind_int64(stmt, 1, device_id);
	sqlite3_bind_int64(stmt, 2, (int64_t)seq);
	rc = sqlite3_step(stmt);
	if (rc == SQLITE_ROW) {
		if (sqlite3_column_bytes(stmt, 0) == CRYPTO_SHA256_LEN &&
		    sqlite3_column_bytes(stmt, 1) == CRYPTO_SHA256_LEN) {
			memcpy(ret_prev, sqlite3_column_blob(stmt, 0), CRYPTO_SHA256_LEN);
			memcpy(ret_link, sqlite3_column_blob(stmt, 1), CRYPTO_SHA256_LEN);
			r = 0;
		} else {
			log_err("db: record %lld/%llu has a malformed link", (long long)device_id,
				(unsigned long long)seq);
			r = -EIO;
		}
	} else {
		r = rc == SQLITE_DONE ? -ENOENT : sql_error(db, "find record");
	}
	done(db, stmt);
	return r;
}

static int sq_record_insert(struct db *db, int64_t device_id, const struct record *rec,
			    const struct db_record_meta *meta)
{
	sqlite3_stmt *stmt;
	int r;

	r = prepare(db,
		    "INSERT INTO records (device_id, seq, kind, wall_usec, boot_usec, boot_id,"
		    " clock_trusted, credential, nip, outcome, reason, direction, payload, prev,"
		    " link, corrected_usec, received_usec, chain_ok)"
		    " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
		    &stmt);
	if (r < 0)
		return r;
	sqlite3_bind_int64(stmt, 1, device_id);
	sqlite3_bind_int64(stmt, 2, (int64_t)rec->seq);
	sqlite3_bind_text(stmt, 3, rec->kind, -1, SQLITE_STATIC);
	sqlite3_bind_int64(stmt, 4, rec->wall_usec);
	sqlite3_bind_int64(stmt, 5, rec->boot_usec);
	sqlite3_bind_text(stmt, 6, rec->boot_id, -1, SQLITE_STATIC);
	sqlite3_bind_int(stmt, 7, rec->clock_trusted);
	sqlite3_bind_text(stmt, 8, rec->credential, -1, SQLITE_STATIC);
	sqlite3_bind_text(stmt, 9, rec->nip, -1, SQLITE_STATIC);
	sqlite3_bind_text(stmt, 10, rec->outcome, -1, SQLITE_STATIC);
	sqlite3_bind_text(stmt, 11, rec->reason, -1, SQLITE_STATIC);
	sqlite3_bind_text(stmt, 12, rec->direction, -1, SQLITE_STATIC);
	sqlite3_bind_text(stmt, 13, rec->payload, -1, SQLITE_STATIC);
	sqlite3_bind_blob(stmt, 14, rec->prev, CRYPTO_SHA256_LEN, SQLITE_STATIC);
	sqlite3_bind_blob(stmt, 15, rec->link, CRYPTO_SHA256_LEN, SQLITE_STATIC);
	if (meta->has_corrected)
		sqlite3_bind_int64(stmt, 16, meta->corrected_usec);
	else
		sqlite3_bind_null(stmt, 16);
	sqlite3_bind_int64(stmt, 17, meta->received_usec);
	sqlite3_bind_int(stmt, 18, meta->is_chain_ok);
	return step_done(db, stmt, "store record");
}

static int sq_record_max_seq(struct db *db, int64_t device_id, uint64_t *ret_seq)
{
	sqlite3_stmt *stmt;
	int rc, r;

	r = prepare(db, "SELECT coalesce(max(seq), 0) FROM records WHERE device_id = ?", &stmt);
	if (r < 0)
		return r;
	sqlite3_bind_int64(stmt, 1, device_id);
	rc = sqlite3_step(stmt);
	if (rc == SQLITE_ROW)
		*ret_seq = (uint64_t)sqlite3_column_int64(stmt, 0);
	else
		r = sql_error(db, "find the last seq");
	done(db, stmt);
	return r;
}

static int sq_boot_anchor_put(struct db *db, int64_t device_id, const char *boot_id,
			      int64_t offset_usec, int64_t rtt_usec)
{
	sqlite3_stmt *stmt;
	int r;

	/* The shortest round trip bounds the error best: keep that one. */
	r = prepare(db,
		    "INSERT INTO boot_anchors VALUES (?1, ?2, ?3, ?4)"
		    " ON CONFLICT(device_id, boot_id) DO UPDATE SET offset_usec = ?3,"
		    " rtt_usec = ?4 WHERE ?4 < rtt_usec",
		    &stmt);
	if (r < 0)
		return r;
	sqlite3_bind_int64(stmt, 1, device_id);
	sqlite3_bind_text(stmt, 2, boot_id, -1, SQLITE_STATIC);
	sqlite3_bind_int64(stmt, 3, offset_usec);
	sqlite3_bind_int64(stmt, 4, rtt_usec);
	return step_done(db, stmt, "store boot anchor");
}

static int sq_boot_offset(struct db *db, int64_t device_id, const char *boot_id,
			  int64_t *ret_offset_usec)
{
	sqlite3_stmt *stmt;
	int rc, r;

	/* An anchor on this collector's clock first, else a record the kiosk trusted. */
	r = prepare(db,
		    "SELECT offset_usec FROM boot_anchors WHERE device_id = ?1 AND boot_id = ?2"
		    " UNION ALL SELECT * FROM (SELECT wall_usec - boot_usec FROM records"
		    " WHERE device_id = ?1 AND boot_id = ?2 AND clock_trusted = 1"
		    " ORDER BY seq DESC LIMIT 1) LIMIT 1",
		    &stmt);
	if (r < 0)
		return r;
	sqlite3_bind_int64(stmt, 1, device_id);
	sqlite3_bind_text(stmt, 2, boot_id, -1, SQLITE_STATIC);
	rc = sqlite3_step(stmt);
	if (rc == SQLITE_ROW) {
		*ret_offset_usec = sqlite3_column_int64(stmt, 0);
		r = 0;
	} else {
		r = rc == SQLITE_DONE ? -ENOENT : sql_error(db, "find boot offset");
	}
	done(db, stmt);
	return r;
}

static int sq_boot_correct(struct db *db, int64_t device_id, const char *boot_id,
			   int64_t offset_usec)
{
	sqlite3_stmt *stmt;
	int r;

	r = prepare(db,
		    "UPDATE records SET corrected_usec = boot_usec + ? WHERE device_id = ?"
		    " AND boot_id = ? AND corrected_usec IS NULL",
		    &stmt);
	if (r < 0)
		return r;
	sqlite3_bind_int64(stmt, 1, offset_usec);
	sqlite3_bind_int64(stmt, 2, device_id);
	sqlite3_bind_text(stmt, 3, boot_id, -1, SQLITE_STATIC);
	r = step_done(db, stmt, "correct boot times");
	return r < 0 ? r : sqlite3_changes(conn_of(db));
}

static int sq_alert_add(struct db *db, int64_t device_id, uint64_t seq, const char *kind,
			const char *detail, int64_t now_usec)
{
	sqlite3_stmt *stmt;
	int r;

	r = prepare(db,
		    "INSERT OR IGNORE INTO alerts (device_id, seq, kind, detail, created_usec)"
		    " VALUES (?, ?, ?, ?, ?)",
		    &stmt);
	if (r < 0)
		return r;
	sqlite3_bind_int64(stmt, 1, device_id);
	sqlite3_bind_int64(stmt, 2, (int64_t)seq);
	sqlite3_bind_text(stmt, 3, kind, -1, SQLITE_STATIC);
	sqlite3_bind_text(stmt, 4, detail, -1, SQLITE_STATIC);
	sqlite3_bind_int64(stmt, 5, now_usec);
	r = step_done(db, stmt, "raise alert");
	return r < 0 ? r : sqlite3_changes(conn_of(db));
}

static int sq_taps(struct db *db, const struct db_tap_query *q, db_tap_fn *fn, void *user)
{
	struct db_tap tap;
	sqlite3_stmt *stmt;
	int rc, r;

	r = prepare(db,
		    "SELECT d.name, r.seq, r.kind, r.wall_usec, r.corrected_usec, r.received_usec,"
		    " r.clock_trusted, r.nip, r.credential, r.outcome, r.direction"
		    " FROM records r JOIN devices d ON d.id = r.device_id"
		    " WHERE r.kind = 'tap' AND (?1 IS NULL OR r.nip = ?1)"
		    " AND COALESCE(r.corrected_usec, r.wall_usec) >= ?2"
		    " AND COALESCE(r.corrected_usec, r.wall_usec) < ?3"
		    " ORDER BY COALESCE(r.corrected_usec, r.wall_usec), d.name, r.seq",
		    &stmt);
	if (r < 0)
		return r;
	if (q->nip)
		sqlite3_bind_text(stmt, 1, q->nip, -1, SQLITE_STATIC);
	sqlite3_bind_int64(stmt, 2, q->from_usec);
	sqlite3_bind_int64(stmt, 3, q->to_usec);
	while ((rc = sqlite3_step(stmt)) == SQLITE_ROW) {
		memset(&tap, 0, sizeof(tap));
		text_col(stmt, 0, tap.device, sizeof(tap.device));
		tap.seq = (uint64_t)sqlite3_column_int64(stmt, 1);
		text_col(stmt, 2, tap.kind, sizeof(tap.kind));
		tap.wall_usec = sqlite3_column_int64(stmt, 3);
		tap.has_corrected = sqlite3_column_type(stmt, 4) != SQLITE_NULL;
		tap.corrected_usec = sqlite3_column_int64(stmt, 4);
		tap.received_usec = sqlite3_column_int64(stmt, 5);
		tap.clock_trusted = sqlite3_column_int(stmt, 6) != 0;
		text_col(stmt, 7, tap.nip, sizeof(tap.nip));
		text_col(stmt, 8, tap.credential, sizeof(tap.credential));
		text_col(stmt, 9, tap.outcome, sizeof(tap.outcome));
		text_col(stmt, 10, tap.direction, sizeof(tap.direction));
		r = fn(&tap, user);
		if (r < 0)
			break;
	}
	if (r == 0 && rc != SQLITE_DONE)
		r = sql_error(db, "list taps");
	done(db, stmt);
	return r;
}

static int sq_alerts(struct db *db, db_alert_fn *fn, void *user)
{
	struct db_alert alert;
	sqlite3_stmt *stmt;
	int rc, r;

	r = prepare(db,
		    "SELECT d.name, a.seq, a.kind, a.detail, a.created_usec"
		    " FROM alerts a JOIN devices d ON d.id = a.device_id ORDER BY a.id",
		    &stmt);
	if (r < 0)
		return r;
	while ((rc = sqlite3_step(stmt)) == SQLITE_ROW) {
		memset(&alert, 0, sizeof(alert));
		text_col(stmt, 0, alert.device, sizeof(alert.device));
		alert.seq = (uint64_t)sqlite3_column_int64(stmt, 1);
		text_col(stmt, 2, alert.kind, sizeof(alert.kind));
		text_col(stmt, 3, alert.detail, sizeof(alert.detail));
		alert.created_usec = sqlite3_column_int64(stmt, 4);
		r = fn(&alert, user);
		if (r < 0)
			break;
	}
	if (r == 0 && rc != SQLITE_DONE)
		r = sql_error(db, "list alerts");
	done(db, stmt);
	return r;
}

static const struct db_ops sqlite_ops = {
    .name = "sqlite",
    .close = sq_close,
    .set_lock_wait = sq_set_lock_wait,
    .begin = sq_begin,
    .commit = sq_commit,
    .rollback = sq_rollback,
    .admin_token_add = sq_admin_token_add,
    .device_add = sq_device_add,
    .device_list = sq_device_list,
    .device_disable = sq_device_disable,
    .device_by_token = sq_device_by_token,
    .device_enroll = sq_device_enroll,
    .device_by_fingerprint = sq_device_by_fingerprint,
    .device_set_acked = sq_device_set_acked,
    .record_chain = sq_record_chain,
    .record_insert = sq_record_insert,
    .record_max_seq = sq_record_max_seq,
    .savepoint = sq_savepoint,
    .release = sq_release,
    .rollback_to = sq_rollback_to,
    .boot_anchor_put = sq_boot_anchor_put,
    .boot_offset = sq_boot_offset,
    .boot_correct = sq_boot_correct,
    .alert_add = sq_alert_add,
    .taps = sq_taps,
    .alerts = sq_alerts,
    .units_clear = db_sqlite_units_clear,
    .unit_put = db_sqlite_unit_put,
    .units = db_sqlite_units,
    .units_missing = db_sqlite_units_missing,
    .staff_clear = db_sqlite_staff_clear,
    .staff_put = db_sqlite_staff_put,
    .staff_get = db_sqlite_staff_get,
    .card_put = db_sqlite_card_put,
    .finger_put = db_sqlite_finger_put,
    .staff = db_sqlite_staff,
    .schedules_clear = db_sqlite_schedules_clear,
    .schedule_put = db_sqlite_schedule_put,
    .schedules = db_sqlite_schedules,
    .holidays_clear = db_sqlite_holidays_clear,
    .holiday_put = db_sqlite_holiday_put,
    .holidays = db_sqlite_holidays,
    .leave_clear = db_sqlite_leave_clear,
    .leave_put = db_sqlite_leave_put,
    .leave = db_sqlite_leave,
    .device_units_set = db_sqlite_device_units_set,
    .device_units = db_sqlite_device_units,
    .roster_state = db_sqlite_roster_state,
    .roster_bump = db_sqlite_roster_bump,
    .device_internal = db_sqlite_device_internal,
    .tap_import = db_sqlite_tap_import,
    .activity_insert = db_sqlite_activity_insert,
    .activity_get = db_sqlite_activity_get,
    .activity_superseders = db_sqlite_activity_superseders,
    .activity_set_superseded = db_sqlite_activity_set_superseded,
    .activity_set_status = db_sqlite_activity_set_status,
    .activities = db_sqlite_activities,
    .plans_clear = db_sqlite_plans_clear,
    .plan_put = db_sqlite_plan_put,
    .plans = db_sqlite_plans,
    .accepted_taps = db_sqlite_accepted_taps,
    .unit_first_taps = db_sqlite_unit_first_taps,
    .staff_brief = db_sqlite_staff_brief,
    .record_last = db_sqlite_record_last,
    .record_units = db_sqlite_record_units,
    .uncorrected_units = db_sqlite_uncorrected_units,
    .template_list = db_sqlite_template_list,
    .template_put = db_sqlite_template_put,
    .template_delete = db_sqlite_template_delete,
    .template_forget_absent = db_sqlite_template_forget_absent,
    .enroll_request_add = db_sqlite_enroll_request_add,
    .enroll_request_list = db_sqlite_enroll_request_list,
    .enroll_request_finish = db_sqlite_enroll_request_finish,
    .device_sync = db_sqlite_device_sync,
    .device_health = db_sqlite_device_health,
    .device_cert = db_sqlite_device_cert,
    .device_set_head = db_sqlite_device_set_head,
    .device_head = db_sqlite_device_head,
    .device_records = db_sqlite_device_records,
    .account = &db_sqlite_account_ops,
};

/* The helpers above, for the backend's other files (db_sqlite.h). */
sqlite3 *db_sqlite_conn(struct db *db)
{
	return conn_of(db);
}

int db_sqlite_prepare(struct db *db, const char *sql, sqlite3_stmt **ret_stmt)
{
	return prepare(db, sql, ret_stmt);
}

void db_sqlite_done(struct db *db, sqlite3_stmt *stmt)
{
	done(db, stmt);
}

int db_sqlite_step_done(struct db *db, sqlite3_stmt *stmt, const char *what)
{
	return step_done(db, stmt, what);
}

int db_sqlite_error(struct db *db, const char *what)
{
	return sql_error(db, what);
}

void db_sqlite_bind_text_or_null(sqlite3_stmt *stmt, int col, const char *text)
{
	if (text)
		sqlite3_bind_text(stmt, col, text, -1, SQLITE_STATIC);
	else
		sqlite3_bind_null(stmt, col);
}

void db_sqlite_text_col(sqlite3_stmt *stmt, int col, char *buf, size_t size)
{
	text_col(stmt, col, buf, size);
}

int db_sqlite_open(const char *path, struct db **ret_db)
{
	struct db_sqlite *s;
	int rc, r;

	s = calloc(1, sizeof(*s));
	if (!s)
		return -ENOMEM;
	s->base.ops = &sqlite_ops;
	snprintf(s->path, sizeof(s->path), "%s", path);
	rc = sqlite3_open_v2(
	    path, &s->conn, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX, NULL);
	if (rc != SQLITE_OK) {
		log_err("db: open '%s': %s", path,
			s->conn ? sqlite3_errmsg(s->conn) : sqlite3_errstr(rc));
		r = -EIO;
		goto out_close;
	}
	sqlite3_busy_timeout(s->conn, DB_LOCK_WAIT_MS);
	/*
	 * synchronous=FULL, not NORMAL: in WAL mode NORMAL skips the fsync at
	 * commit, and a power cut could then lose records already acknowledged
	 * (the kiosk deletes what was acknowledged). temp_store=MEMORY keeps each
	 * batch's savepoint journal (the old images of the index pages it
	 * touches, hundreds for records_nip) off the disk: it halved the bytes
	 * written per record in bench_collector.
	 */
	r = exec(&s->base, "PRAGMA journal_mode = WAL; PRAGMA synchronous = FULL;"
			   " PRAGMA temp_store = MEMORY; PRAGMA foreign_keys = ON");
	if (r < 0)
		goto out_close;
	r = migrate(&s->base);
	if (r < 0)
		goto out_close;
	*ret_db = &s->base;
	return 0;

out_close:
	cache_free(s);
	sqlite3_close_v2(s->conn); /* sqlite allocates a handle even on failure */
	free(s);
	return r;
}
