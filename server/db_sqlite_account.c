// SPDX-License-Identifier: MIT
/*
 * The SQLite side of db_account.h: users, sessions, token scope and the
 * audit log (schema in db_sqlite.c, migration 7; triggers there make the
 * audit log refuse UPDATE and DELETE, so nothing here could alter it).
 */
#include "server/db_account.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "server/db_sqlite.h"

#define USER_COLUMNS                                                                               \
	"u.id, u.name, u.role, u.units, u.nip, u.disabled, u.password_hash, u.failures,"           \
	" u.locked_until_usec, u.created_usec, u.changed_usec"

static void user_row(sqlite3_stmt *stmt, int col, struct db_user *u)
{
	memset(u, 0, sizeof(*u));
	u->id = sqlite3_column_int64(stmt, col);
	db_sqlite_text_col(stmt, col + 1, u->name, sizeof(u->name));
	db_sqlite_text_col(stmt, col + 2, u->role, sizeof(u->role));
	db_sqlite_text_col(stmt, col + 3, u->units, sizeof(u->units));
	db_sqlite_text_col(stmt, col + 4, u->nip, sizeof(u->nip));
	u->is_disabled = sqlite3_column_int(stmt, col + 5) != 0;
	db_sqlite_text_col(stmt, col + 6, u->password_hash, sizeof(u->password_hash));
	u->failures = sqlite3_column_int64(stmt, col + 7);
	u->locked_until_usec = sqlite3_column_int64(stmt, col + 8);
	u->created_usec = sqlite3_column_int64(stmt, col + 9);
	u->changed_usec = sqlite3_column_int64(stmt, col + 10);
}

/* The one row sql selects by a text key, handed to on_row; -ENOENT when there is none. */
static int get_row(struct db *db, const char *sql, const char *key, const char *what,
		   void (*on_row)(sqlite3_stmt *stmt, void *arg), void *arg)
{
	sqlite3_stmt *stmt;
	int rc, r;

	r = db_sqlite_prepare(db, sql, &stmt);
	if (r < 0)
		return r;
	sqlite3_bind_text(stmt, 1, key, -1, SQLITE_STATIC);
	rc = sqlite3_step(stmt);
	if (rc == SQLITE_ROW) {
		on_row(stmt, arg);
		r = 0;
	} else {
		r = rc == SQLITE_DONE ? -ENOENT : db_sqlite_error(db, what);
	}
	db_sqlite_done(db, stmt);
	return r;
}

static int sq_user_add(struct db *db, const struct db_user *u)
{
	sqlite3_stmt *stmt;
	int r;

	r = db_sqlite_prepare(db,
			      "INSERT INTO users (name, role, units, nip, disabled, password_hash,"
			      " created_usec, changed_usec) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
			      &stmt);
	if (r < 0)
		return r;
	sqlite3_bind_text(stmt, 1, u->name, -1, SQLITE_STATIC);
	sqlite3_bind_text(stmt, 2, u->role, -1, SQLITE_STATIC);
	sqlite3_bind_text(stmt, 3, u->units, -1, SQLITE_STATIC);
	sqlite3_bind_text(stmt, 4, u->nip, -1, SQLITE_STATIC);
	sqlite3_bind_int(stmt, 5, u->is_disabled);
	sqlite3_bind_text(stmt, 6, u->password_hash, -1, SQLITE_STATIC);
	sqlite3_bind_int64(stmt, 7, u->created_usec);
	sqlite3_bind_int64(stmt, 8, u->created_usec);
	return db_sqlite_step_done(db, stmt, "add user");
}

static void user_of_row(sqlite3_stmt *stmt, void *arg)
{
	user_row(stmt, 0, arg);
}

static int sq_user_get(struct db *db, const char *name, struct db_user *ret_user)
{
	return get_row(db, "SELECT " USER_COLUMNS " FROM users u WHERE u.name = ?", name,
		       "find user", user_of_row, ret_user);
}

static int sq_users(struct db *db, db_user_fn *fn, void *arg)
{
	struct db_user u;
	sqlite3_stmt *stmt;
	int rc, r;

	r = db_sqlite_prepare(db, "SELECT " USER_COLUMNS " FROM users u ORDER BY u.name", &stmt);
	if (r < 0)
		return r;
	while ((rc = sqlite3_step(stmt)) == SQLITE_ROW) {
		user_row(stmt, 0, &u);
		r = fn(&u, arg);
		if (r < 0)
			break;
	}
	if (r == 0 && rc != SQLITE_DONE)
		r = db_sqlite_error(db, "list users");
	db_sqlite_done(db, stmt);
	return r;
}

/* Run an UPDATE/DELETE with the given bindings; -ENOENT when it touched no row. */
static int change(struct db *db, const char *sql, const char *what, const char *text,
		  const int64_t *nums, size_t n_nums)
{
	sqlite3_stmt *stmt;
	int col = 1, r;

	r = db_sqlite_prepare(db, sql, &stmt);
	if (r < 0)
		return r;
	if (text)
		sqlite3_bind_text(stmt, col++, text, -1, SQLITE_STATIC);
	for (size_t i = 0; i < n_nums; i++)
		sqlite3_bind_int64(stmt, col++, nums[i]);
	r = db_sqlite_step_done(db, stmt, what);
	if (r < 0)
		return r;
	return sqlite3_changes(sqlite3_db_handle(stmt));
}

static int sq_user_set_password(struct db *db, int64_t user_id, const char *hash, int64_t now_usec)
{
	int64_t nums[] = {now_usec, user_id};
	int r;

	r = change(db,
		   "UPDATE users SET password_hash = ?, failures = 0, locked_until_usec = 0,"
		   " changed_usec = ? WHERE id = ?",
		   "set password", hash, nums, ARRAY_SIZE(nums));
	return r == 0 ? -ENOENT : r < 0 ? r : 0;
}

static int sq_user_set_disabled(struct db *db, int64_t user_id, bool is_disabled, int64_t now_usec)
{
	int64_t nums[] = {is_disabled, now_usec, user_id};
	int r;

	r = change(db, "UPDATE users SET disabled = ?, changed_usec = ? WHERE id = ?",
		   "disable user", NULL, nums, ARRAY_SIZE(nums));
	return r == 0 ? -ENOENT : r < 0 ? r : 0;
}

static int sq_user_set_failures(struct db *db, int64_t user_id, int64_t failures,
				int64_t locked_until_usec)
{
	int64_t nums[] = {failures, locked_until_usec, user_id};
	int r;

	r = change(db, "UPDATE users SET failures = ?, locked_until_usec = ? WHERE id = ?",
		   "count login failures", NULL, nums, ARRAY_SIZE(nums));
	return r == 0 ? -ENOENT : r < 0 ? r : 0;
}

static int sq_session_add(struct db *db, const char *hash, const struct db_session *s)
{
	sqlite3_stmt *stmt;
	int r;

	r = db_sqlite_prepare(db,
			      "INSERT INTO sessions (hash, user_id, csrf, created_usec,"
			      " seen_usec) VALUES (?, ?, ?, ?, ?)",
			      &stmt);
	if (r < 0)
		return r;
	sqlite3_bind_text(stmt, 1, hash, -1, SQLITE_STATIC);
	sqlite3_bind_int64(stmt, 2, s->user_id);
	sqlite3_bind_text(stmt, 3, s->csrf, -1, SQLITE_STATIC);
	sqlite3_bind_int64(stmt, 4, s->created_usec);
	sqlite3_bind_int64(stmt, 5, s->seen_usec);
	return db_sqlite_step_done(db, stmt, "add session");
}

struct session_row {
	struct db_session *session;
	struct db_user *user;
};

static void session_of_row(sqlite3_stmt *stmt, void *arg)
{
	struct session_row *out = arg;

	memset(out->session, 0, sizeof(*out->session));
	out->session->user_id = sqlite3_column_int64(stmt, 0);
	db_sqlite_text_col(stmt, 1, out->session->csrf, sizeof(out->session->csrf));
	out->session->created_usec = sqlite3_column_int64(stmt, 2);
	out->session->seen_usec = sqlite3_column_int64(stmt, 3);
	user_row(stmt, 4, out->user);
}

static int sq_session_get(struct db *db, const char *hash, struct db_session *ret_session,
			  struct db_user *ret_user)
{
	struct session_row out = {.session = ret_session, .user = ret_user};

	return get_row(db,
		       "SELECT s.user_id, s.csrf, s.created_usec, s.seen_usec, " USER_COLUMNS
		       " FROM sessions s JOIN users u ON u.id = s.user_id WHERE s.hash = ?",
		       hash, "find session", session_of_row, &out);
}

static int sq_session_touch(struct db *db, const char *hash, int64_t now_usec)
{
	int r = change(db, "UPDATE sessions SET seen_usec = ?2 WHERE hash = ?1", "touch session",
		       hash, &now_usec, 1);

	return r < 0 ? r : 0;
}

static int sq_session_delete(struct db *db, const char *hash)
{
	return change(db, "DELETE FROM sessions WHERE hash = ?", "delete session", hash, NULL, 0);
}

static int sq_sessions_delete_user(struct db *db, int64_t user_id)
{
	return change(db, "DELETE FROM sessions WHERE user_id = ?", "delete sessions", NULL,
		      &user_id, 1);
}

static int sq_sessions_expire(struct db *db, int64_t seen_before_usec, int64_t created_before_usec)
{
	int64_t nums[] = {seen_before_usec, created_before_usec};

	return change(db, "DELETE FROM sessions WHERE seen_usec < ? OR created_usec < ?",
		      "expire sessions", NULL, nums, ARRAY_SIZE(nums));
}

static int sq_token_add(struct db *db, const char *hash, const struct db_token *t, int64_t now_usec,
			int64_t *ret_id)
{
	sqlite3_stmt *stmt;
	int r;

	r = db_sqlite_prepare(db,
			      "INSERT INTO admin_tokens (hash, role, units, nip, created_usec)"
			      " VALUES (?, ?, ?, ?, ?)",
			      &stmt);
	if (r < 0)
		return r;
	sqlite3_bind_text(stmt, 1, hash, -1, SQLITE_STATIC);
	sqlite3_bind_text(stmt, 2, t->role, -1, SQLITE_STATIC);
	sqlite3_bind_text(stmt, 3, t->units, -1, SQLITE_STATIC);
	sqlite3_bind_text(stmt, 4, t->nip[0] ? t->nip : NULL, -1, SQLITE_STATIC);
	sqlite3_bind_int64(stmt, 5, now_usec);
	r = db_sqlite_step_done(db, stmt, "add token");
	if (r == 0)
		*ret_id = sqlite3_last_insert_rowid(sqlite3_db_handle(stmt));
	return r;
}

static void token_of_row(sqlite3_stmt *stmt, void *arg)
{
	struct db_token *t = arg;

	memset(t, 0, sizeof(*t));
	t->id = sqlite3_column_int64(stmt, 0);
	db_sqlite_text_col(stmt, 1, t->role, sizeof(t->role));
	db_sqlite_text_col(stmt, 2, t->units, sizeof(t->units));
	db_sqlite_text_col(stmt, 3, t->nip, sizeof(t->nip));
}

static int sq_token_get(struct db *db, const char *hash, struct db_token *ret_token)
{
	return get_row(db, "SELECT rowid, role, units, nip FROM admin_tokens WHERE hash = ?", hash,
		       "find token", token_of_row, ret_token);
}

struct staff_row {
	char *unit_id, *supervisor_nip;
};

static void staff_of_row(sqlite3_stmt *stmt, void *arg)
{
	struct staff_row *out = arg;

	db_sqlite_text_col(stmt, 0, out->unit_id, DB_UNIT_ID_MAX);
	db_sqlite_text_col(stmt, 1, out->supervisor_nip, RECORD_NIP_MAX);
}

static int sq_staff_scope(struct db *db, const char *nip, char *ret_unit_id,
			  char *ret_supervisor_nip)
{
	struct staff_row out = {.unit_id = ret_unit_id, .supervisor_nip = ret_supervisor_nip};

	return get_row(db, "SELECT unit_id, supervisor_nip FROM staff WHERE nip = ?", nip,
		       "find staff unit", staff_of_row, &out);
}

static int sq_audit_add(struct db *db, const struct db_audit *e)
{
	sqlite3_stmt *stmt;
	int r;

	r = db_sqlite_prepare(db,
			      "INSERT INTO audit_log (time_usec, actor, action, target, detail,"
			      " source) VALUES (?, ?, ?, ?, ?, ?)",
			      &stmt);
	if (r < 0)
		return r;
	sqlite3_bind_int64(stmt, 1, e->time_usec);
	sqlite3_bind_text(stmt, 2, e->actor, -1, SQLITE_STATIC);
	sqlite3_bind_text(stmt, 3, e->action, -1, SQLITE_STATIC);
	sqlite3_bind_text(stmt, 4, e->target, -1, SQLITE_STATIC);
	sqlite3_bind_text(stmt, 5, e->detail, -1, SQLITE_STATIC);
	sqlite3_bind_text(stmt, 6, e->source, -1, SQLITE_STATIC);
	return db_sqlite_step_done(db, stmt, "append to the audit log");
}

static int sq_audit(struct db *db, const struct db_audit_query *q, db_audit_fn *fn, void *arg)
{
	struct db_audit e;
	sqlite3_stmt *stmt;
	int rc, r;

	r = db_sqlite_prepare(db,
			      "SELECT id, time_usec, actor, action, target, detail, source"
			      " FROM audit_log WHERE time_usec >= ? AND time_usec < ?"
			      " AND (?3 IS NULL OR actor = ?3) AND (?4 IS NULL OR action = ?4)"
			      " ORDER BY time_usec, id",
			      &stmt);
	if (r < 0)
		return r;
	sqlite3_bind_int64(stmt, 1, q->from_usec);
	sqlite3_bind_int64(stmt, 2, q->to_usec);
	sqlite3_bind_text(stmt, 3, q->actor, -1, SQLITE_STATIC);
	sqlite3_bind_text(stmt, 4, q->action, -1, SQLITE_STATIC);
	while ((rc = sqlite3_step(stmt)) == SQLITE_ROW) {
		memset(&e, 0, sizeof(e));
		e.id = sqlite3_column_int64(stmt, 0);
		e.time_usec = sqlite3_column_int64(stmt, 1);
		db_sqlite_text_col(stmt, 2, e.actor, sizeof(e.actor));
		db_sqlite_text_col(stmt, 3, e.action, sizeof(e.action));
		db_sqlite_text_col(stmt, 4, e.target, sizeof(e.target));
		db_sqlite_text_col(stmt, 5, e.detail, sizeof(e.detail));
		db_sqlite_text_col(stmt, 6, e.source, sizeof(e.source));
		r = fn(&e, arg);
		if (r < 0)
			break;
	}
	if (r == 0 && rc != SQLITE_DONE)
		r = db_sqlite_error(db, "read the audit log");
	db_sqlite_done(db, stmt);
	return r;
}

const struct db_account_ops db_sqlite_account_ops = {
    .user_add = sq_user_add,
    .user_get = sq_user_get,
    .users = sq_users,
    .user_set_password = sq_user_set_password,
    .user_set_disabled = sq_user_set_disabled,
    .user_set_failures = sq_user_set_failures,
    .session_add = sq_session_add,
    .session_get = sq_session_get,
    .session_touch = sq_session_touch,
    .session_delete = sq_session_delete,
    .sessions_delete_user = sq_sessions_delete_user,
    .sessions_expire = sq_sessions_expire,
    .token_add = sq_token_add,
    .token_get = sq_token_get,
    .staff_scope = sq_staff_scope,
    .audit_add = sq_audit_add,
    .audit = sq_audit,
};
