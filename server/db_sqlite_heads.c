// SPDX-License-Identifier: MIT
/*
 * The SQLite backend's signed chain heads (db.h): the certificate each kiosk
 * enrolled with, its latest verified head, and its stored records in
 * sequence for `hadir-collector verify` to walk.
 */
#include "server/db_sqlite.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

int db_sqlite_device_cert(struct db *db, int64_t device_id, char **ret_pem)
{
	sqlite3_stmt *stmt;
	int rc, r;

	r = db_sqlite_prepare(db, "SELECT cert_pem FROM devices WHERE id = ?", &stmt);
	if (r < 0)
		return r;
	sqlite3_bind_int64(stmt, 1, device_id);
	rc = sqlite3_step(stmt);
	if (rc == SQLITE_ROW && sqlite3_column_type(stmt, 0) != SQLITE_NULL) {
		*ret_pem = strdup((const char *)sqlite3_column_text(stmt, 0));
		r = *ret_pem ? 0 : -ENOMEM;
	} else {
		r = rc == SQLITE_ROW || rc == SQLITE_DONE
			? -ENOENT
			: db_sqlite_error(db, "read a certificate");
	}
	db_sqlite_done(db, stmt);
	return r;
}

int db_sqlite_device_set_head(struct db *db, int64_t device_id, const struct record_head *head)
{
	sqlite3_stmt *stmt;
	int r;

	r = db_sqlite_prepare(db,
			      "UPDATE devices SET head_seq = ?2, head_sig = ?3"
			      " WHERE id = ?1 AND head_seq <= ?2",
			      &stmt);
	if (r < 0)
		return r;
	sqlite3_bind_int64(stmt, 1, device_id);
	sqlite3_bind_int64(stmt, 2, (sqlite3_int64)head->seq);
	sqlite3_bind_blob(stmt, 3, head->sig, (int)head->sig_len, SQLITE_STATIC);
	return db_sqlite_step_done(db, stmt, "keep a signed head");
}

int db_sqlite_device_head(struct db *db, int64_t device_id, struct record_head *ret_head)
{
	sqlite3_stmt *stmt;
	int rc, r;

	r = db_sqlite_prepare(db,
			      "SELECT head_seq, head_sig FROM devices"
			      " WHERE id = ? AND head_seq > 0 AND head_sig IS NOT NULL",
			      &stmt);
	if (r < 0)
		return r;
	sqlite3_bind_int64(stmt, 1, device_id);
	rc = sqlite3_step(stmt);
	if (rc == SQLITE_ROW) {
		size_t len = (size_t)sqlite3_column_bytes(stmt, 1);

		ret_head->seq = (uint64_t)sqlite3_column_int64(stmt, 0);
		ret_head->sig_len = len < sizeof(ret_head->sig) ? len : sizeof(ret_head->sig);
		memcpy(ret_head->sig, sqlite3_column_blob(stmt, 1), ret_head->sig_len);
		r = 0;
	} else {
		r = rc == SQLITE_DONE ? -ENOENT : db_sqlite_error(db, "read a signed head");
	}
	db_sqlite_done(db, stmt);
	return r;
}

static void blob_col(sqlite3_stmt *stmt, int col, uint8_t out[CRYPTO_SHA256_LEN])
{
	memset(out, 0, CRYPTO_SHA256_LEN);
	if (sqlite3_column_bytes(stmt, col) == CRYPTO_SHA256_LEN)
		memcpy(out, sqlite3_column_blob(stmt, col), CRYPTO_SHA256_LEN);
}

int db_sqlite_device_records(struct db *db, int64_t device_id, db_record_fn *fn, void *user)
{
	struct record rec;
	sqlite3_stmt *stmt;
	int rc, r;

	r = db_sqlite_prepare(db,
			      "SELECT seq, kind, wall_usec, boot_usec, boot_id, clock_trusted,"
			      " credential, nip, outcome, reason, direction, payload, prev, link"
			      " FROM records WHERE device_id = ? ORDER BY seq",
			      &stmt);
	if (r < 0)
		return r;
	sqlite3_bind_int64(stmt, 1, device_id);
	while ((rc = sqlite3_step(stmt)) == SQLITE_ROW) {
		memset(&rec, 0, sizeof(rec));
		rec.seq = (uint64_t)sqlite3_column_int64(stmt, 0);
		db_sqlite_text_col(stmt, 1, rec.kind, sizeof(rec.kind));
		rec.wall_usec = sqlite3_column_int64(stmt, 2);
		rec.boot_usec = sqlite3_column_int64(stmt, 3);
		db_sqlite_text_col(stmt, 4, rec.boot_id, sizeof(rec.boot_id));
		rec.clock_trusted = sqlite3_column_int(stmt, 5) != 0;
		db_sqlite_text_col(stmt, 6, rec.credential, sizeof(rec.credential));
		db_sqlite_text_col(stmt, 7, rec.nip, sizeof(rec.nip));
		db_sqlite_text_col(stmt, 8, rec.outcome, sizeof(rec.outcome));
		db_sqlite_text_col(stmt, 9, rec.reason, sizeof(rec.reason));
		db_sqlite_text_col(stmt, 10, rec.direction, sizeof(rec.direction));
		db_sqlite_text_col(stmt, 11, rec.payload, sizeof(rec.payload));
		blob_col(stmt, 12, rec.prev);
		blob_col(stmt, 13, rec.link);
		r = fn(&rec, user);
		if (r != 0)
			break;
	}
	if (rc != SQLITE_ROW && rc != SQLITE_DONE)
		r = db_sqlite_error(db, "read a device's records");
	db_sqlite_done(db, stmt);
	return r < 0 ? r : 0;
}
