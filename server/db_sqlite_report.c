// SPDX-License-Identifier: MIT
/*
 * The SQLite backend's queries for discipline reports (db.h): the accepted
 * taps of a period as one stream ordered by NIP, and when each unit's
 * records began. Three statements instead of one with "?1 IS NULL OR …" terms,
 * which would keep SQLite from using records_nip for one person or one unit.
 */
#include "server/db.h"
#include "server/db_sqlite.h"

#include <errno.h>
#include <string.h>

#define TAP_COLUMNS                                                                                \
	"SELECT r.nip, COALESCE(r.corrected_usec, r.wall_usec) AS t, r.direction FROM records r"   \
	" WHERE r.kind = 'tap' AND r.outcome = 'accepted' AND r.nip <> ''"
/*
 * By NIP only: records_nip gives that order without a sort, and the rules take
 * a person's taps in any order (a sort by time within each person cost a third
 * more on 4.3 million taps).
 */
#define TAP_RANGE " AND t >= ?2 AND t < ?3 ORDER BY r.nip"

static const char taps_all[] = TAP_COLUMNS TAP_RANGE;
static const char taps_nip[] = TAP_COLUMNS " AND r.nip = ?1" TAP_RANGE;
static const char taps_unit[] =
    TAP_COLUMNS " AND r.nip IN (SELECT nip FROM staff WHERE unit_id = ?1)" TAP_RANGE;

int db_sqlite_accepted_taps(struct db *db, const struct db_tap_range *q, db_accepted_fn *fn,
			    void *user)
{
	const char *sql = q->nip ? taps_nip : q->unit_id ? taps_unit : taps_all;
	sqlite3_stmt *stmt;
	int rc, r;

	r = db_sqlite_prepare(db, sql, &stmt);
	if (r < 0)
		return r;
	if (q->nip || q->unit_id)
		sqlite3_bind_text(stmt, 1, q->nip ? q->nip : q->unit_id, -1, SQLITE_STATIC);
	sqlite3_bind_int64(stmt, 2, q->from_usec);
	sqlite3_bind_int64(stmt, 3, q->to_usec);
	while ((rc = sqlite3_step(stmt)) == SQLITE_ROW) {
		/* The row's own text, valid until the next step: no copy per tap. */
		const char *nip = (const char *)sqlite3_column_text(stmt, 0);
		const char *direction = (const char *)sqlite3_column_text(stmt, 2);

		r = fn(nip ? nip : "", sqlite3_column_int64(stmt, 1), direction ? direction : "",
		       user);
		if (r < 0)
			break;
	}
	if (r == 0 && rc != SQLITE_DONE)
		r = db_sqlite_error(db, "list accepted taps");
	db_sqlite_done(db, stmt);
	return r;
}

/*
 * One probe of records_nip per staff member, answered by the index alone: the
 * first record (a tap, or an activity) by them since ?2. Filtering on kind
 * and outcome would read a table row per person, four times the cost.
 */
#define FIRST_TAP                                                                                  \
	"MIN((SELECT MIN(r.wall_usec) FROM records r WHERE r.nip = s.nip AND r.wall_usec >= ?2))"

int db_sqlite_unit_first_taps(struct db *db, const char *unit_id, int64_t since_usec,
			      db_unit_since_fn *fn, void *user)
{
	char unit[DB_UNIT_ID_MAX];
	sqlite3_stmt *stmt;
	int rc, r;

	r = db_sqlite_prepare(db,
			      "SELECT s.unit_id, " FIRST_TAP " AS first FROM staff s"
			      " WHERE (?1 IS NULL OR s.unit_id = ?1) GROUP BY s.unit_id",
			      &stmt);
	if (r < 0)
		return r;
	if (unit_id)
		sqlite3_bind_text(stmt, 1, unit_id, -1, SQLITE_STATIC);
	sqlite3_bind_int64(stmt, 2, since_usec);
	while ((rc = sqlite3_step(stmt)) == SQLITE_ROW) {
		if (sqlite3_column_type(stmt, 1) == SQLITE_NULL)
			continue;
		db_sqlite_text_col(stmt, 0, unit, sizeof(unit));
		r = fn(unit, sqlite3_column_int64(stmt, 1), user);
		if (r < 0)
			break;
	}
	if (r == 0 && rc != SQLITE_DONE)
		r = db_sqlite_error(db, "find the units' first records");
	db_sqlite_done(db, stmt);
	return r;
}

/* As db_sqlite_staff without the two credential subqueries per person. */
int db_sqlite_staff_brief(struct db *db, const char *unit_id, db_staff_fn *fn, void *user)
{
	struct db_staff staff;
	sqlite3_stmt *stmt;
	int rc, r;

	r = db_sqlite_prepare(db,
			      "SELECT nip, name, unit_id, allowance, supervisor_nip FROM staff"
			      " WHERE ?1 IS NULL OR unit_id = ?1 ORDER BY nip",
			      &stmt);
	if (r < 0)
		return r;
	if (unit_id)
		sqlite3_bind_text(stmt, 1, unit_id, -1, SQLITE_STATIC);
	while ((rc = sqlite3_step(stmt)) == SQLITE_ROW) {
		memset(&staff, 0, sizeof(staff));
		db_sqlite_text_col(stmt, 0, staff.nip, sizeof(staff.nip));
		db_sqlite_text_col(stmt, 1, staff.name, sizeof(staff.name));
		db_sqlite_text_col(stmt, 2, staff.unit_id, sizeof(staff.unit_id));
		staff.allowance = sqlite3_column_int64(stmt, 3);
		db_sqlite_text_col(stmt, 4, staff.supervisor_nip, sizeof(staff.supervisor_nip));
		r = fn(&staff, user);
		if (r < 0)
			break;
	}
	if (r == 0 && rc != SQLITE_DONE)
		r = db_sqlite_error(db, "list staff");
	db_sqlite_done(db, stmt);
	return r;
}
