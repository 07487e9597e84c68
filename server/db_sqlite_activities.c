// SPDX-License-Identifier: MIT
/*
 * The SQLite backend's activity entries and plan items (db.h): entries are
 * inserted once and then only gain a superseded_by link or a new status;
 * listings join the staff table for the person's unit and supervisor.
 */
#include "server/db.h"
#include "server/db_sqlite.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int db_sqlite_activity_insert(struct db *db, const struct db_activity *a, int64_t *ret_id)
{
	sqlite3_stmt *stmt;
	int r;

	r = db_sqlite_prepare(
	    db,
	    "INSERT INTO activities (device_id, seq, nip, date, plan, description,"
	    " quantity, unit, start_hm, end_hm, minutes, supersedes, withdrawn, status,"
	    " reason, received_usec)"
	    " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
	    &stmt);
	if (r < 0)
		return r;
	sqlite3_bind_int64(stmt, 1, a->device_id);
	sqlite3_bind_int64(stmt, 2, (int64_t)a->seq);
	sqlite3_bind_text(stmt, 3, a->nip, -1, SQLITE_STATIC);
	sqlite3_bind_text(stmt, 4, a->act.date, -1, SQLITE_STATIC);
	sqlite3_bind_text(stmt, 5, a->act.plan, -1, SQLITE_STATIC);
	sqlite3_bind_text(stmt, 6, a->act.description, -1, SQLITE_STATIC);
	sqlite3_bind_int(stmt, 7, a->act.quantity);
	sqlite3_bind_text(stmt, 8, a->act.unit, -1, SQLITE_STATIC);
	sqlite3_bind_text(stmt, 9, a->act.start, -1, SQLITE_STATIC);
	sqlite3_bind_text(stmt, 10, a->act.end, -1, SQLITE_STATIC);
	sqlite3_bind_int(stmt, 11, a->minutes);
	sqlite3_bind_int64(stmt, 12, (int64_t)a->act.supersedes);
	sqlite3_bind_int(stmt, 13, a->act.withdrawn);
	sqlite3_bind_text(stmt, 14, a->status, -1, SQLITE_STATIC);
	sqlite3_bind_text(stmt, 15, a->reason, -1, SQLITE_STATIC);
	sqlite3_bind_int64(stmt, 16, a->received_usec);
	r = db_sqlite_step_done(db, stmt, "store activity");
	if (r == 0)
		*ret_id = sqlite3_last_insert_rowid(db_sqlite_conn(db));
	return r;
}

#define ACTIVITY_SELECT                                                                            \
	"SELECT a.id, a.device_id, d.name, a.seq, a.nip, a.date, a.plan, a.description,"           \
	" a.quantity, a.unit, a.start_hm, a.end_hm, a.supersedes, a.withdrawn, a.minutes,"         \
	" a.status, a.reason, a.reviewer_nip, a.comment, a.reviewed_usec, a.superseded_by,"        \
	" a.received_usec, a.supersedes > 0 AND NOT EXISTS (SELECT 1 FROM activities o"            \
	" WHERE o.device_id = a.device_id AND o.seq = a.supersedes),"                              \
	" s.name, s.unit_id, s.supervisor_nip"                                                     \
	" FROM activities a JOIN devices d ON d.id = a.device_id"                                  \
	" LEFT JOIN staff s ON s.nip = a.nip"

static void activity_row(sqlite3_stmt *stmt, struct db_activity *a)
{
	memset(a, 0, sizeof(*a));
	a->id = sqlite3_column_int64(stmt, 0);
	a->device_id = sqlite3_column_int64(stmt, 1);
	db_sqlite_text_col(stmt, 2, a->device, sizeof(a->device));
	a->seq = (uint64_t)sqlite3_column_int64(stmt, 3);
	db_sqlite_text_col(stmt, 4, a->nip, sizeof(a->nip));
	db_sqlite_text_col(stmt, 5, a->act.date, sizeof(a->act.date));
	db_sqlite_text_col(stmt, 6, a->act.plan, sizeof(a->act.plan));
	db_sqlite_text_col(stmt, 7, a->act.description, sizeof(a->act.description));
	a->act.quantity = sqlite3_column_int(stmt, 8);
	db_sqlite_text_col(stmt, 9, a->act.unit, sizeof(a->act.unit));
	db_sqlite_text_col(stmt, 10, a->act.start, sizeof(a->act.start));
	db_sqlite_text_col(stmt, 11, a->act.end, sizeof(a->act.end));
	a->act.supersedes = (uint64_t)sqlite3_column_int64(stmt, 12);
	a->act.withdrawn = sqlite3_column_int(stmt, 13) != 0;
	a->minutes = sqlite3_column_int(stmt, 14);
	db_sqlite_text_col(stmt, 15, a->status, sizeof(a->status));
	db_sqlite_text_col(stmt, 16, a->reason, sizeof(a->reason));
	db_sqlite_text_col(stmt, 17, a->reviewer_nip, sizeof(a->reviewer_nip));
	db_sqlite_text_col(stmt, 18, a->comment, sizeof(a->comment));
	a->reviewed_usec = sqlite3_column_int64(stmt, 19);
	a->superseded_by = sqlite3_column_int64(stmt, 20);
	a->received_usec = sqlite3_column_int64(stmt, 21);
	a->is_supersedes_missing = sqlite3_column_int(stmt, 22) != 0;
	db_sqlite_text_col(stmt, 23, a->name, sizeof(a->name));
	db_sqlite_text_col(stmt, 24, a->unit_id, sizeof(a->unit_id));
	db_sqlite_text_col(stmt, 25, a->supervisor_nip, sizeof(a->supervisor_nip));
}

/* Step a bound activity query: each row to fn, or the first row to *one (-ENOENT when none). */
static int activity_rows(struct db *db, sqlite3_stmt *stmt, db_activity_fn *fn, void *user,
			 struct db_activity *one)
{
	struct db_activity *a = one;
	int rc, r = 0;

	if (!a) {
		a = malloc(sizeof(*a));
		if (!a) {
			db_sqlite_done(db, stmt);
			return -ENOMEM;
		}
	}
	while ((rc = sqlite3_step(stmt)) == SQLITE_ROW) {
		activity_row(stmt, a);
		if (one)
			break;
		r = fn(a, user);
		if (r < 0)
			break;
	}
	if (r == 0 && rc != SQLITE_DONE && rc != SQLITE_ROW)
		r = db_sqlite_error(db, "list activities");
	else if (r == 0 && one && rc == SQLITE_DONE)
		r = -ENOENT;
	db_sqlite_done(db, stmt);
	if (!one)
		free(a);
	return r;
}

int db_sqlite_activity_get(struct db *db, int64_t id, int64_t device_id, uint64_t seq,
			   struct db_activity *ret_act)
{
	sqlite3_stmt *stmt;
	int r;

	if (id > 0) {
		r = db_sqlite_prepare(db, ACTIVITY_SELECT " WHERE a.id = ?", &stmt);
		if (r < 0)
			return r;
		sqlite3_bind_int64(stmt, 1, id);
	} else {
		r = db_sqlite_prepare(db, ACTIVITY_SELECT " WHERE a.device_id = ? AND a.seq = ?",
				      &stmt);
		if (r < 0)
			return r;
		sqlite3_bind_int64(stmt, 1, device_id);
		sqlite3_bind_int64(stmt, 2, (int64_t)seq);
	}
	return activity_rows(db, stmt, NULL, NULL, ret_act);
}

int db_sqlite_activity_superseders(struct db *db, int64_t device_id, uint64_t seq,
				   db_activity_fn *fn, void *user)
{
	sqlite3_stmt *stmt;
	int r;

	r = db_sqlite_prepare(db,
			      ACTIVITY_SELECT
			      " WHERE a.device_id = ? AND a.supersedes = ? AND a.supersedes > 0"
			      " ORDER BY a.seq",
			      &stmt);
	if (r < 0)
		return r;
	sqlite3_bind_int64(stmt, 1, device_id);
	sqlite3_bind_int64(stmt, 2, (int64_t)seq);
	return activity_rows(db, stmt, fn, user, NULL);
}

int db_sqlite_activity_set_superseded(struct db *db, int64_t id, int64_t by_id)
{
	sqlite3_stmt *stmt;
	int r;

	r = db_sqlite_prepare(db, "UPDATE activities SET superseded_by = ? WHERE id = ?", &stmt);
	if (r < 0)
		return r;
	sqlite3_bind_int64(stmt, 1, by_id);
	sqlite3_bind_int64(stmt, 2, id);
	return db_sqlite_step_done(db, stmt, "mark activity superseded");
}

int db_sqlite_activity_set_status(struct db *db, int64_t id, const char *status, const char *reason,
				  const char *reviewer_nip, int64_t now_usec)
{
	sqlite3_stmt *stmt;
	int r;

	/* A review (reviewer given) writes the comment; anything else the reason. */
	r = db_sqlite_prepare(db,
			      "UPDATE activities SET status = ?2,"
			      " reason = CASE WHEN ?4 IS NULL THEN ?3 ELSE reason END,"
			      " comment = CASE WHEN ?4 IS NULL THEN comment ELSE ?3 END,"
			      " reviewer_nip = COALESCE(?4, reviewer_nip),"
			      " reviewed_usec = CASE WHEN ?4 IS NULL THEN reviewed_usec ELSE ?5 END"
			      " WHERE id = ?1",
			      &stmt);
	if (r < 0)
		return r;
	sqlite3_bind_int64(stmt, 1, id);
	sqlite3_bind_text(stmt, 2, status, -1, SQLITE_STATIC);
	sqlite3_bind_text(stmt, 3, reason ? reason : "", -1, SQLITE_STATIC);
	if (reviewer_nip)
		sqlite3_bind_text(stmt, 4, reviewer_nip, -1, SQLITE_STATIC);
	sqlite3_bind_int64(stmt, 5, now_usec);
	r = db_sqlite_step_done(db, stmt, "set activity status");
	if (r == 0 && sqlite3_changes(db_sqlite_conn(db)) == 0)
		r = -ENOENT;
	return r;
}

int db_sqlite_activities(struct db *db, const struct db_activity_query *q, db_activity_fn *fn,
			 void *user)
{
	sqlite3_stmt *stmt;
	int r;

	r = db_sqlite_prepare(db,
			      ACTIVITY_SELECT
			      " WHERE (?1 IS NULL OR a.nip = ?1) AND (?2 IS NULL OR a.date >= ?2)"
			      " AND (?3 IS NULL OR a.date <= ?3) AND (?4 IS NULL OR a.status = ?4)"
			      " AND (?5 IS NULL OR s.unit_id = ?5)"
			      " AND (?6 IS NULL OR s.supervisor_nip = ?6)"
			      " AND (?7 OR (a.superseded_by IS NULL AND a.withdrawn = 0))"
			      " ORDER BY a.date, a.nip, d.name, a.seq",
			      &stmt);
	if (r < 0)
		return r;
	db_sqlite_bind_text_or_null(stmt, 1, q->nip);
	db_sqlite_bind_text_or_null(stmt, 2, q->from_date);
	db_sqlite_bind_text_or_null(stmt, 3, q->to_date);
	db_sqlite_bind_text_or_null(stmt, 4, q->status);
	db_sqlite_bind_text_or_null(stmt, 5, q->unit_id);
	db_sqlite_bind_text_or_null(stmt, 6, q->supervisor_nip);
	sqlite3_bind_int(stmt, 7, q->has_history);
	return activity_rows(db, stmt, fn, user, NULL);
}

int db_sqlite_plans_clear(struct db *db)
{
	sqlite3_stmt *stmt;
	int r;

	r = db_sqlite_prepare(db, "DELETE FROM plans", &stmt);
	if (r < 0)
		return r;
	return db_sqlite_step_done(db, stmt, "clear plans");
}

int db_sqlite_plan_put(struct db *db, const struct db_plan *plan)
{
	sqlite3_stmt *stmt;
	int r;

	r = db_sqlite_prepare(db, "INSERT INTO plans (nip, code, title) VALUES (?, ?, ?)", &stmt);
	if (r < 0)
		return r;
	sqlite3_bind_text(stmt, 1, plan->nip, -1, SQLITE_STATIC);
	sqlite3_bind_text(stmt, 2, plan->code, -1, SQLITE_STATIC);
	sqlite3_bind_text(stmt, 3, plan->title, -1, SQLITE_STATIC);
	return db_sqlite_step_done(db, stmt, "store plan");
}

int db_sqlite_plans(struct db *db, const char *nip, db_plan_fn *fn, void *user)
{
	struct db_plan plan;
	sqlite3_stmt *stmt;
	int rc, r;

	r = db_sqlite_prepare(db,
			      "SELECT nip, code, title FROM plans WHERE ?1 IS NULL OR nip = ?1"
			      " ORDER BY nip, code",
			      &stmt);
	if (r < 0)
		return r;
	db_sqlite_bind_text_or_null(stmt, 1, nip);
	while ((rc = sqlite3_step(stmt)) == SQLITE_ROW) {
		db_sqlite_text_col(stmt, 0, plan.nip, sizeof(plan.nip));
		db_sqlite_text_col(stmt, 1, plan.code, sizeof(plan.code));
		db_sqlite_text_col(stmt, 2, plan.title, sizeof(plan.title));
		r = fn(&plan, user);
		if (r < 0)
			break;
	}
	if (r == 0 && rc != SQLITE_DONE)
		r = db_sqlite_error(db, "list plans");
	db_sqlite_done(db, stmt);
	return r;
}
