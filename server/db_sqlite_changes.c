// SPDX-License-Identifier: MIT
/*
 * The SQLite backend's answers to "what changed in the records since I last
 * looked" (db.h): records are never deleted, so their rowids only grow, and
 * (SQLite having one writer at a time) in the order their transactions
 * committed. Both unit queries start from the records they are about — a
 * range of rowids, or the partial index records_uncorrected — and look each
 * NIP up in staff by its key; CROSS JOIN keeps SQLite from turning that
 * round and walking all staff through records_nip instead.
 */
#include "server/db.h"
#include "server/db_sqlite.h"

#include <errno.h>

int db_sqlite_record_last(struct db *db, int64_t *ret_id)
{
	sqlite3_stmt *stmt;
	int rc, r;

	r = db_sqlite_prepare(db, "SELECT COALESCE(MAX(rowid), 0) FROM records", &stmt);
	if (r < 0)
		return r;
	rc = sqlite3_step(stmt);
	if (rc == SQLITE_ROW)
		*ret_id = sqlite3_column_int64(stmt, 0);
	else
		r = db_sqlite_error(db, "find the newest record");
	db_sqlite_done(db, stmt);
	return r;
}

/* The rows of sql, (unit_id, count), to fn; ?1 and ?2 (if sql has them) are after, upto. */
static int unit_counts(struct db *db, const char *sql, int64_t after, int64_t upto,
		       db_unit_count_fn *fn, void *user, const char *what)
{
	char unit[DB_UNIT_ID_MAX];
	sqlite3_stmt *stmt;
	int rc, r;

	r = db_sqlite_prepare(db, sql, &stmt);
	if (r < 0)
		return r;
	if (sqlite3_bind_parameter_count(stmt) == 2) {
		sqlite3_bind_int64(stmt, 1, after);
		sqlite3_bind_int64(stmt, 2, upto);
	}
	while ((rc = sqlite3_step(stmt)) == SQLITE_ROW) {
		db_sqlite_text_col(stmt, 0, unit, sizeof(unit));
		r = fn(unit, sqlite3_column_int64(stmt, 1), user);
		if (r < 0)
			break;
	}
	if (r == 0 && rc != SQLITE_DONE)
		r = db_sqlite_error(db, what);
	db_sqlite_done(db, stmt);
	return r;
}

int db_sqlite_record_units(struct db *db, int64_t after_id, int64_t upto_id, db_unit_count_fn *fn,
			   void *user)
{
	return unit_counts(db,
			   "SELECT s.unit_id, COUNT(*) FROM records r CROSS JOIN staff s"
			   " WHERE r.rowid > ?1 AND r.rowid <= ?2 AND s.nip = r.nip"
			   " GROUP BY s.unit_id",
			   after_id, upto_id, fn, user, "find the units of new records");
}

int db_sqlite_uncorrected_units(struct db *db, db_unit_count_fn *fn, void *user)
{
	return unit_counts(db,
			   "SELECT s.unit_id, COUNT(*) FROM records r CROSS JOIN staff s"
			   " WHERE r.corrected_usec IS NULL AND s.nip = r.nip GROUP BY s.unit_id",
			   0, 0, fn, user, "count uncorrected records");
}
