// SPDX-License-Identifier: MIT
/*
 * The SQLite backend's fingerprint entries (db.h): sealed templates, which
 * it stores as the blobs it is given (it never sees plaintext), and the
 * enrolments the collector asks kiosks to run.
 */
#include "server/db_sqlite.h"

#include <errno.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include "common/log.h"

int db_sqlite_template_list(struct db *db, const char *nip, db_template_fn *fn, void *user)
{
	struct db_template *t;
	sqlite3_stmt *stmt;
	int rc, r;

	t = malloc(sizeof(*t));
	if (!t)
		return -ENOMEM;
	r = db_sqlite_prepare(
	    db,
	    "SELECT nip, idx, nonce, sealed, device_id, created_usec FROM templates"
	    " WHERE ?1 IS NULL OR nip = ?1 ORDER BY nip, idx",
	    &stmt);
	if (r < 0)
		goto out_free;
	if (nip)
		sqlite3_bind_text(stmt, 1, nip, -1, SQLITE_STATIC);
	while ((rc = sqlite3_step(stmt)) == SQLITE_ROW) {
		size_t nonce_len = (size_t)sqlite3_column_bytes(stmt, 2);

		memset(t, 0, sizeof(*t));
		db_sqlite_text_col(stmt, 0, t->nip, sizeof(t->nip));
		t->idx = sqlite3_column_int64(stmt, 1);
		t->sealed_len = (size_t)sqlite3_column_bytes(stmt, 3);
		if (nonce_len != sizeof(t->nonce) || t->sealed_len > sizeof(t->sealed)) {
			log_err("db: template %s/%" PRId64 " has a malformed row", t->nip, t->idx);
			r = -EBADMSG;
			break;
		}
		memcpy(t->nonce, sqlite3_column_blob(stmt, 2), nonce_len);
		if (t->sealed_len)
			memcpy(t->sealed, sqlite3_column_blob(stmt, 3), t->sealed_len);
		t->device_id = sqlite3_column_int64(stmt, 4);
		t->created_usec = sqlite3_column_int64(stmt, 5);
		r = fn(t, user);
		if (r < 0)
			break;
	}
	if (r == 0 && rc != SQLITE_DONE)
		r = db_sqlite_error(db, "list templates");
	db_sqlite_done(db, stmt);
out_free:
	explicit_bzero(t, sizeof(*t));
	free(t);
	return r;
}

int db_sqlite_template_put(struct db *db, const struct db_template *t)
{
	sqlite3_stmt *stmt;
	int r;

	r = db_sqlite_prepare(
	    db,
	    "INSERT OR REPLACE INTO templates"
	    " (nip, idx, nonce, sealed, device_id, created_usec) VALUES (?, ?, ?, ?, ?, ?)",
	    &stmt);
	if (r < 0)
		return r;
	sqlite3_bind_text(stmt, 1, t->nip, -1, SQLITE_STATIC);
	sqlite3_bind_int64(stmt, 2, t->idx);
	sqlite3_bind_blob(stmt, 3, t->nonce, sizeof(t->nonce), SQLITE_STATIC);
	sqlite3_bind_blob(stmt, 4, t->sealed, (int)t->sealed_len, SQLITE_STATIC);
	sqlite3_bind_int64(stmt, 5, t->device_id);
	sqlite3_bind_int64(stmt, 6, t->created_usec);
	return db_sqlite_step_done(db, stmt, "store template");
}

int db_sqlite_template_delete(struct db *db, const char *nip, int64_t idx)
{
	sqlite3_stmt *stmt;
	int r;

	r = db_sqlite_prepare(db, "DELETE FROM templates WHERE nip = ? AND idx = ?", &stmt);
	if (r < 0)
		return r;
	sqlite3_bind_text(stmt, 1, nip, -1, SQLITE_STATIC);
	sqlite3_bind_int64(stmt, 2, idx);
	r = db_sqlite_step_done(db, stmt, "delete template");
	if (r == 0 && sqlite3_changes(db_sqlite_conn(db)) == 0)
		r = -ENOENT;
	return r;
}

int db_sqlite_template_forget_absent(struct db *db)
{
	sqlite3_stmt *stmt;
	int r;

	r = db_sqlite_prepare(db, "DELETE FROM templates WHERE nip NOT IN (SELECT nip FROM staff)",
			      &stmt);
	if (r < 0)
		return r;
	r = db_sqlite_step_done(db, stmt, "forget templates of former staff");
	return r < 0 ? r : sqlite3_changes(db_sqlite_conn(db));
}

int db_sqlite_enroll_request_add(struct db *db, int64_t device_id, const char *nip,
				 int64_t now_usec, int64_t *ret_id)
{
	sqlite3_stmt *stmt;
	int r;

	r = db_sqlite_prepare(
	    db, "INSERT INTO enroll_requests (device_id, nip, created_usec) VALUES (?, ?, ?)",
	    &stmt);
	if (r < 0)
		return r;
	sqlite3_bind_int64(stmt, 1, device_id);
	sqlite3_bind_text(stmt, 2, nip, -1, SQLITE_STATIC);
	sqlite3_bind_int64(stmt, 3, now_usec);
	r = db_sqlite_step_done(db, stmt, "add enrolment request");
	if (r == 0)
		*ret_id = sqlite3_last_insert_rowid(db_sqlite_conn(db));
	return r;
}

int db_sqlite_enroll_request_list(struct db *db, int64_t device_id, db_enroll_request_fn *fn,
				  void *user)
{
	struct db_enroll_request req;
	sqlite3_stmt *stmt;
	int rc, r;

	r = db_sqlite_prepare(
	    db,
	    "SELECT q.id, d.name, q.nip, q.state, q.reason, q.created_usec,"
	    " COALESCE(q.finished_usec, 0)"
	    " FROM enroll_requests q JOIN devices d ON d.id = q.device_id"
	    " WHERE ?1 = 0 OR (q.device_id = ?1 AND q.state = 'pending') ORDER BY q.id",
	    &stmt);
	if (r < 0)
		return r;
	sqlite3_bind_int64(stmt, 1, device_id);
	while ((rc = sqlite3_step(stmt)) == SQLITE_ROW) {
		memset(&req, 0, sizeof(req));
		req.id = sqlite3_column_int64(stmt, 0);
		db_sqlite_text_col(stmt, 1, req.device, sizeof(req.device));
		db_sqlite_text_col(stmt, 2, req.nip, sizeof(req.nip));
		db_sqlite_text_col(stmt, 3, req.state, sizeof(req.state));
		db_sqlite_text_col(stmt, 4, req.reason, sizeof(req.reason));
		req.created_usec = sqlite3_column_int64(stmt, 5);
		req.finished_usec = sqlite3_column_int64(stmt, 6);
		r = fn(&req, user);
		if (r < 0)
			break;
	}
	if (r == 0 && rc != SQLITE_DONE)
		r = db_sqlite_error(db, "list enrolment requests");
	db_sqlite_done(db, stmt);
	return r;
}

int db_sqlite_enroll_request_finish(struct db *db, int64_t id, int64_t device_id, const char *state,
				    const char *reason, int64_t now_usec)
{
	sqlite3_stmt *stmt;
	int r;

	r = db_sqlite_prepare(db,
			      "UPDATE enroll_requests SET state = ?, reason = ?, finished_usec = ?"
			      " WHERE id = ? AND device_id = ? AND state = 'pending'",
			      &stmt);
	if (r < 0)
		return r;
	sqlite3_bind_text(stmt, 1, state, -1, SQLITE_STATIC);
	sqlite3_bind_text(stmt, 2, reason, -1, SQLITE_STATIC);
	sqlite3_bind_int64(stmt, 3, now_usec);
	sqlite3_bind_int64(stmt, 4, id);
	sqlite3_bind_int64(stmt, 5, device_id);
	r = db_sqlite_step_done(db, stmt, "finish enrolment request");
	if (r == 0 && sqlite3_changes(db_sqlite_conn(db)) == 0)
		r = -ENOENT;
	return r;
}
