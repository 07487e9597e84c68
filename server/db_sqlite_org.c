// SPDX-License-Identifier: MIT
/*
 * The SQLite backend's organisation data (db.h): units, staff with cards and
 * finger ids, schedules, holidays, leave, device-to-unit assignments, the
 * roster version, and imported taps. Puts and clears run inside the caller's
 * transaction; checks beyond the schema's keys are import.c's.
 */
#include "server/db.h"
#include "server/db_sqlite.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Restrict to a device's units (?1, 0: any) and to one unit (?2, NULL: any). */
#define UNIT_FILTER(col)                                                                           \
	" (?1 = 0 OR " col " IN (SELECT unit_id FROM device_units WHERE device_id = ?1))"          \
	" AND (?2 IS NULL OR " col " = ?2)"

static void bind_query(sqlite3_stmt *stmt, const struct db_org_query *q)
{
	sqlite3_bind_int64(stmt, 1, q ? q->device_id : 0);
	db_sqlite_bind_text_or_null(stmt, 2, q ? q->unit_id : NULL);
}

/* Run a statement with no parameters and no rows. */
static int run(struct db *db, const char *sql, const char *what)
{
	sqlite3_stmt *stmt;
	int r;

	r = db_sqlite_prepare(db, sql, &stmt);
	if (r < 0)
		return r;
	return db_sqlite_step_done(db, stmt, what);
}

/*
 * A listing's callback, carried as the one function pointer type C lets any
 * other convert to and back; each row reader casts it to its real type.
 */
typedef void any_fn(void);
typedef int row_fn(sqlite3_stmt *stmt, any_fn *fn, void *user);

/* Step every row of stmt through row(); the walk stops at a negative return. */
static int walk(struct db *db, sqlite3_stmt *stmt, row_fn *row, any_fn *fn, void *user,
		const char *what)
{
	int rc, r = 0;

	while ((rc = sqlite3_step(stmt)) == SQLITE_ROW) {
		r = row(stmt, fn, user);
		if (r < 0)
			break;
	}
	if (r == 0 && rc != SQLITE_DONE)
		r = db_sqlite_error(db, what);
	db_sqlite_done(db, stmt);
	return r;
}

/* --- units --- */

int db_sqlite_units_clear(struct db *db)
{
	return run(db, "DELETE FROM units", "clear units");
}

int db_sqlite_unit_put(struct db *db, const struct db_unit *unit)
{
	sqlite3_stmt *stmt;
	int r;

	r = db_sqlite_prepare(
	    db, "INSERT INTO units (unit_id, name, timezone, profile) VALUES (?, ?, ?, ?)", &stmt);
	if (r < 0)
		return r;
	sqlite3_bind_text(stmt, 1, unit->unit_id, -1, SQLITE_STATIC);
	sqlite3_bind_text(stmt, 2, unit->name, -1, SQLITE_STATIC);
	sqlite3_bind_text(stmt, 3, unit->timezone, -1, SQLITE_STATIC);
	sqlite3_bind_text(stmt, 4, unit->profile, -1, SQLITE_STATIC);
	return db_sqlite_step_done(db, stmt, "store unit");
}

static int unit_row(sqlite3_stmt *stmt, any_fn *fn, void *user)
{
	struct db_unit u;

	memset(&u, 0, sizeof(u));
	db_sqlite_text_col(stmt, 0, u.unit_id, sizeof(u.unit_id));
	db_sqlite_text_col(stmt, 1, u.name, sizeof(u.name));
	db_sqlite_text_col(stmt, 2, u.timezone, sizeof(u.timezone));
	db_sqlite_text_col(stmt, 3, u.profile, sizeof(u.profile));
	return ((db_unit_fn *)fn)(&u, user);
}

int db_sqlite_units(struct db *db, const struct db_org_query *q, db_unit_fn *fn, void *user)
{
	sqlite3_stmt *stmt;
	int r;

	r = db_sqlite_prepare(
	    db,
	    "SELECT unit_id, name, timezone, profile FROM units WHERE" UNIT_FILTER(
		"unit_id") " ORDER BY unit_id",
	    &stmt);
	if (r < 0)
		return r;
	bind_query(stmt, q);
	return walk(db, stmt, unit_row, (any_fn *)fn, user, "list units");
}

static int missing_row(sqlite3_stmt *stmt, any_fn *fn, void *user)
{
	return ((db_missing_unit_fn *)fn)((const char *)sqlite3_column_text(stmt, 0),
					  (const char *)sqlite3_column_text(stmt, 1),
					  sqlite3_column_int64(stmt, 2), user);
}

int db_sqlite_units_missing(struct db *db, db_missing_unit_fn *fn, void *user)
{
	sqlite3_stmt *stmt;
	int r;

	r = db_sqlite_prepare(db,
			      "SELECT 'staff', unit_id, count(*) FROM staff"
			      " WHERE unit_id NOT IN (SELECT unit_id FROM units) GROUP BY unit_id"
			      " UNION ALL SELECT 'schedules', unit_id, count(*) FROM schedules"
			      " WHERE unit_id NOT IN (SELECT unit_id FROM units) GROUP BY unit_id"
			      " UNION ALL SELECT 'devices', unit_id, count(*) FROM device_units"
			      " WHERE unit_id NOT IN (SELECT unit_id FROM units) GROUP BY unit_id"
			      " ORDER BY 1, 2",
			      &stmt);
	if (r < 0)
		return r;
	return walk(db, stmt, missing_row, (any_fn *)fn, user, "find missing units");
}

/* --- staff --- */

int db_sqlite_staff_clear(struct db *db)
{
	int r = run(db, "DELETE FROM staff_cards", "clear cards");

	if (r == 0)
		r = run(db, "DELETE FROM staff_fingers", "clear finger ids");
	if (r == 0)
		r = run(db, "DELETE FROM staff", "clear staff");
	return r;
}

int db_sqlite_staff_put(struct db *db, const struct db_staff *staff)
{
	sqlite3_stmt *stmt;
	int r;

	r = db_sqlite_prepare(db,
			      "INSERT INTO staff (nip, name, unit_id, allowance, supervisor_nip)"
			      " VALUES (?, ?, ?, ?, ?)",
			      &stmt);
	if (r < 0)
		return r;
	sqlite3_bind_text(stmt, 1, staff->nip, -1, SQLITE_STATIC);
	sqlite3_bind_text(stmt, 2, staff->name, -1, SQLITE_STATIC);
	sqlite3_bind_text(stmt, 3, staff->unit_id, -1, SQLITE_STATIC);
	sqlite3_bind_int64(stmt, 4, staff->allowance);
	sqlite3_bind_text(stmt, 5, staff->supervisor_nip, -1, SQLITE_STATIC);
	return db_sqlite_step_done(db, stmt, "store staff");
}

#define STAFF_COLUMNS                                                                              \
	"s.nip, s.name, s.unit_id, s.allowance, s.supervisor_nip,"                                 \
	" (SELECT group_concat(card, ',') FROM (SELECT card FROM staff_cards"                      \
	"  WHERE nip = s.nip ORDER BY length(card), card)),"                                       \
	" (SELECT group_concat(finger, ',') FROM (SELECT finger FROM staff_fingers"                \
	"  WHERE nip = s.nip ORDER BY finger))"

static void staff_from_row(sqlite3_stmt *stmt, struct db_staff *s)
{
	const char *cards, *fingers;

	memset(s, 0, sizeof(*s));
	db_sqlite_text_col(stmt, 0, s->nip, sizeof(s->nip));
	db_sqlite_text_col(stmt, 1, s->name, sizeof(s->name));
	db_sqlite_text_col(stmt, 2, s->unit_id, sizeof(s->unit_id));
	s->allowance = sqlite3_column_int64(stmt, 3);
	db_sqlite_text_col(stmt, 4, s->supervisor_nip, sizeof(s->supervisor_nip));
	/* Lists of digits only (import.c checks), so splitting at ',' is exact. */
	cards = (const char *)sqlite3_column_text(stmt, 5);
	while (cards && *cards && s->n_cards < DB_CARDS_MAX) {
		size_t len = strcspn(cards, ",");

		snprintf(s->cards[s->n_cards++], DB_CARD_MAX, "%.*s", (int)len, cards);
		cards += len + (cards[len] == ',');
	}
	fingers = (const char *)sqlite3_column_text(stmt, 6);
	while (fingers && *fingers && s->n_fingers < DB_FINGERS_MAX) {
		char *end;

		s->fingers[s->n_fingers++] = (int32_t)strtol(fingers, &end, 10);
		fingers = *end == ',' ? end + 1 : end;
	}
}

static int staff_row(sqlite3_stmt *stmt, any_fn *fn, void *user)
{
	struct db_staff s;

	staff_from_row(stmt, &s);
	return ((db_staff_fn *)fn)(&s, user);
}

int db_sqlite_staff_get(struct db *db, const char *nip, struct db_staff *ret_staff)
{
	sqlite3_stmt *stmt;
	int rc, r;

	r = db_sqlite_prepare(db, "SELECT " STAFF_COLUMNS " FROM staff s WHERE s.nip = ?", &stmt);
	if (r < 0)
		return r;
	sqlite3_bind_text(stmt, 1, nip, -1, SQLITE_STATIC);
	rc = sqlite3_step(stmt);
	if (rc == SQLITE_ROW)
		staff_from_row(stmt, ret_staff);
	else
		r = rc == SQLITE_DONE ? -ENOENT : db_sqlite_error(db, "find staff");
	db_sqlite_done(db, stmt);
	return r;
}

int db_sqlite_staff(struct db *db, const struct db_org_query *q, db_staff_fn *fn, void *user)
{
	sqlite3_stmt *stmt;
	int r;

	r = db_sqlite_prepare(db,
			      "SELECT " STAFF_COLUMNS
			      " FROM staff s WHERE" UNIT_FILTER("s.unit_id") " ORDER BY s.nip",
			      &stmt);
	if (r < 0)
		return r;
	bind_query(stmt, q);
	return walk(db, stmt, staff_row, (any_fn *)fn, user, "list staff");
}

/*
 * Insert (?1 credential, ?2 nip) with insert_sql unless the credential is
 * there; then owner_sql (?1) names its holder.
 */
static int credential_put(struct db *db, const char *insert_sql, const char *owner_sql,
			  const char *card, int64_t finger, const char *nip, char *ret_owner)
{
	sqlite3_stmt *stmt;
	int rc, r;

	r = db_sqlite_prepare(db, insert_sql, &stmt);
	if (r < 0)
		return r;
	if (card)
		sqlite3_bind_text(stmt, 1, card, -1, SQLITE_STATIC);
	else
		sqlite3_bind_int64(stmt, 1, finger);
	sqlite3_bind_text(stmt, 2, nip, -1, SQLITE_STATIC);
	r = db_sqlite_step_done(db, stmt, "store credential");
	if (r < 0 || sqlite3_changes(db_sqlite_conn(db)) == 1)
		return r;
	r = db_sqlite_prepare(db, owner_sql, &stmt);
	if (r < 0)
		return r;
	if (card)
		sqlite3_bind_text(stmt, 1, card, -1, SQLITE_STATIC);
	else
		sqlite3_bind_int64(stmt, 1, finger);
	rc = sqlite3_step(stmt);
	if (rc == SQLITE_ROW) {
		db_sqlite_text_col(stmt, 0, ret_owner, RECORD_NIP_MAX);
		r = strcmp(ret_owner, nip) == 0 ? 0 : -EEXIST;
	} else {
		r = db_sqlite_error(db, "find credential");
	}
	db_sqlite_done(db, stmt);
	return r;
}

int db_sqlite_card_put(struct db *db, const char *card, const char *nip, char *ret_owner)
{
	return credential_put(db, "INSERT OR IGNORE INTO staff_cards (card, nip) VALUES (?1, ?2)",
			      "SELECT nip FROM staff_cards WHERE card = ?1", card, 0, nip,
			      ret_owner);
}

int db_sqlite_finger_put(struct db *db, int32_t finger, const char *nip, char *ret_owner)
{
	return credential_put(
	    db, "INSERT OR IGNORE INTO staff_fingers (finger, nip) VALUES (?1, ?2)",
	    "SELECT nip FROM staff_fingers WHERE finger = ?1", NULL, finger, nip, ret_owner);
}

/* --- schedules --- */

int db_sqlite_schedules_clear(struct db *db, const char *unit_id)
{
	sqlite3_stmt *stmt;
	int r;

	r = db_sqlite_prepare(db, "DELETE FROM schedules WHERE ?1 IS NULL OR unit_id = ?1", &stmt);
	if (r < 0)
		return r;
	db_sqlite_bind_text_or_null(stmt, 1, unit_id);
	return db_sqlite_step_done(db, stmt, "clear schedules");
}

int db_sqlite_schedule_put(struct db *db, const struct db_schedule *s)
{
	sqlite3_stmt *stmt;
	int r;

	r = db_sqlite_prepare(
	    db,
	    "INSERT INTO schedules (unit_id, valid_from, valid_to, weekday, start,"
	    " \"end\", label) VALUES (?, ?, ?, ?, ?, ?, ?)",
	    &stmt);
	if (r < 0)
		return r;
	sqlite3_bind_text(stmt, 1, s->unit_id, -1, SQLITE_STATIC);
	sqlite3_bind_text(stmt, 2, s->valid_from, -1, SQLITE_STATIC);
	sqlite3_bind_text(stmt, 3, s->valid_to, -1, SQLITE_STATIC);
	sqlite3_bind_int(stmt, 4, s->weekday);
	sqlite3_bind_text(stmt, 5, s->start, -1, SQLITE_STATIC);
	sqlite3_bind_text(stmt, 6, s->end, -1, SQLITE_STATIC);
	sqlite3_bind_text(stmt, 7, s->label, -1, SQLITE_STATIC);
	return db_sqlite_step_done(db, stmt, "store schedule");
}

static int schedule_row(sqlite3_stmt *stmt, any_fn *fn, void *user)
{
	struct db_schedule s;

	memset(&s, 0, sizeof(s));
	db_sqlite_text_col(stmt, 0, s.unit_id, sizeof(s.unit_id));
	db_sqlite_text_col(stmt, 1, s.valid_from, sizeof(s.valid_from));
	db_sqlite_text_col(stmt, 2, s.valid_to, sizeof(s.valid_to));
	s.weekday = sqlite3_column_int(stmt, 3);
	db_sqlite_text_col(stmt, 4, s.start, sizeof(s.start));
	db_sqlite_text_col(stmt, 5, s.end, sizeof(s.end));
	db_sqlite_text_col(stmt, 6, s.label, sizeof(s.label));
	return ((db_schedule_fn *)fn)(&s, user);
}

int db_sqlite_schedules(struct db *db, const struct db_org_query *q, db_schedule_fn *fn, void *user)
{
	sqlite3_stmt *stmt;
	int r;

	r = db_sqlite_prepare(db,
			      "SELECT unit_id, valid_from, valid_to, weekday, start, \"end\", label"
			      " FROM schedules WHERE" UNIT_FILTER("unit_id") " ORDER BY id",
			      &stmt);
	if (r < 0)
		return r;
	bind_query(stmt, q);
	return walk(db, stmt, schedule_row, (any_fn *)fn, user, "list schedules");
}

/* --- holidays --- */

int db_sqlite_holidays_clear(struct db *db, int year)
{
	sqlite3_stmt *stmt;
	int r;

	r = db_sqlite_prepare(
	    db, "DELETE FROM holidays WHERE ?1 = 0 OR CAST(substr(date, 1, 4) AS INTEGER) = ?1",
	    &stmt);
	if (r < 0)
		return r;
	sqlite3_bind_int(stmt, 1, year);
	return db_sqlite_step_done(db, stmt, "clear holidays");
}

int db_sqlite_holiday_put(struct db *db, const struct db_holiday *h)
{
	sqlite3_stmt *stmt;
	int r;

	r = db_sqlite_prepare(db, "INSERT INTO holidays (date, name) VALUES (?, ?)", &stmt);
	if (r < 0)
		return r;
	sqlite3_bind_text(stmt, 1, h->date, -1, SQLITE_STATIC);
	sqlite3_bind_text(stmt, 2, h->name, -1, SQLITE_STATIC);
	return db_sqlite_step_done(db, stmt, "store holiday");
}

static int holiday_row(sqlite3_stmt *stmt, any_fn *fn, void *user)
{
	struct db_holiday h;

	memset(&h, 0, sizeof(h));
	db_sqlite_text_col(stmt, 0, h.date, sizeof(h.date));
	db_sqlite_text_col(stmt, 1, h.name, sizeof(h.name));
	return ((db_holiday_fn *)fn)(&h, user);
}

int db_sqlite_holidays(struct db *db, const struct db_org_query *q, db_holiday_fn *fn, void *user)
{
	sqlite3_stmt *stmt;
	int r;

	r = db_sqlite_prepare(db,
			      "SELECT date, name FROM holidays WHERE (?1 IS NULL OR date >= ?1)"
			      " AND (?2 IS NULL OR date <= ?2) ORDER BY date",
			      &stmt);
	if (r < 0)
		return r;
	db_sqlite_bind_text_or_null(stmt, 1, q ? q->from : NULL);
	db_sqlite_bind_text_or_null(stmt, 2, q ? q->to : NULL);
	return walk(db, stmt, holiday_row, (any_fn *)fn, user, "list holidays");
}

/* --- leave --- */

#define STAFF_UNITS UNIT_FILTER("s.unit_id")

int db_sqlite_leave_clear(struct db *db, int year)
{
	sqlite3_stmt *stmt;
	int r;

	r = db_sqlite_prepare(
	    db, "DELETE FROM leave WHERE ?1 = 0 OR CAST(substr(from_date, 1, 4) AS INTEGER) = ?1",
	    &stmt);
	if (r < 0)
		return r;
	sqlite3_bind_int(stmt, 1, year);
	return db_sqlite_step_done(db, stmt, "clear leave");
}

int db_sqlite_leave_put(struct db *db, const struct db_leave *l)
{
	sqlite3_stmt *stmt;
	int r;

	r = db_sqlite_prepare(
	    db,
	    "INSERT INTO leave (nip, from_date, to_date, code, time_from, time_to)"
	    " VALUES (?, ?, ?, ?, ?, ?)",
	    &stmt);
	if (r < 0)
		return r;
	sqlite3_bind_text(stmt, 1, l->nip, -1, SQLITE_STATIC);
	sqlite3_bind_text(stmt, 2, l->from, -1, SQLITE_STATIC);
	sqlite3_bind_text(stmt, 3, l->to, -1, SQLITE_STATIC);
	sqlite3_bind_text(stmt, 4, l->code, -1, SQLITE_STATIC);
	sqlite3_bind_text(stmt, 5, l->time_from, -1, SQLITE_STATIC);
	sqlite3_bind_text(stmt, 6, l->time_to, -1, SQLITE_STATIC);
	return db_sqlite_step_done(db, stmt, "store leave");
}

static int leave_row(sqlite3_stmt *stmt, any_fn *fn, void *user)
{
	struct db_leave l;

	memset(&l, 0, sizeof(l));
	db_sqlite_text_col(stmt, 0, l.nip, sizeof(l.nip));
	db_sqlite_text_col(stmt, 1, l.from, sizeof(l.from));
	db_sqlite_text_col(stmt, 2, l.to, sizeof(l.to));
	db_sqlite_text_col(stmt, 3, l.code, sizeof(l.code));
	db_sqlite_text_col(stmt, 4, l.time_from, sizeof(l.time_from));
	db_sqlite_text_col(stmt, 5, l.time_to, sizeof(l.time_to));
	return ((db_leave_fn *)fn)(&l, user);
}

int db_sqlite_leave(struct db *db, const struct db_org_query *q, db_leave_fn *fn, void *user)
{
	sqlite3_stmt *stmt;
	int r;

	r = db_sqlite_prepare(
	    db,
	    "SELECT l.nip, l.from_date, l.to_date, l.code, l.time_from, l.time_to FROM leave l"
	    " WHERE ((?1 = 0 AND ?2 IS NULL) OR l.nip IN (SELECT s.nip FROM staff s "
	    "WHERE" STAFF_UNITS
	    ")) AND (?3 IS NULL OR l.to_date >= ?3) AND (?4 IS NULL OR l.from_date <= ?4)"
	    " AND (?5 IS NULL OR l.nip = ?5) ORDER BY l.nip, l.from_date, l.id",
	    &stmt);
	if (r < 0)
		return r;
	bind_query(stmt, q);
	db_sqlite_bind_text_or_null(stmt, 3, q ? q->from : NULL);
	db_sqlite_bind_text_or_null(stmt, 4, q ? q->to : NULL);
	db_sqlite_bind_text_or_null(stmt, 5, q ? q->nip : NULL);
	return walk(db, stmt, leave_row, (any_fn *)fn, user, "list leave");
}

/* --- devices' units, roster version --- */

int db_sqlite_device_units_set(struct db *db, int64_t device_id, const char *const *unit_ids,
			       size_t n)
{
	sqlite3_stmt *stmt;
	int r;

	r = db_savepoint(db);
	if (r < 0)
		return r;
	r = db_sqlite_prepare(db, "DELETE FROM device_units WHERE device_id = ?", &stmt);
	if (r < 0)
		goto out_rollback;
	sqlite3_bind_int64(stmt, 1, device_id);
	r = db_sqlite_step_done(db, stmt, "clear device units");
	for (size_t i = 0; r == 0 && i < n; i++) {
		r = db_sqlite_prepare(db,
				      "INSERT OR IGNORE INTO device_units (device_id, unit_id)"
				      " VALUES (?, ?)",
				      &stmt);
		if (r < 0)
			break;
		sqlite3_bind_int64(stmt, 1, device_id);
		sqlite3_bind_text(stmt, 2, unit_ids[i], -1, SQLITE_STATIC);
		r = db_sqlite_step_done(db, stmt, "assign device unit");
	}
	if (r < 0)
		goto out_rollback;
	return db_release(db);

out_rollback:
	db_rollback_to(db);
	return r;
}

int db_sqlite_device_units(struct db *db, int64_t device_id, db_unit_fn *fn, void *user)
{
	sqlite3_stmt *stmt;
	int r;

	r = db_sqlite_prepare(db,
			      "SELECT d.unit_id, u.name, u.timezone, u.profile FROM device_units d"
			      " LEFT JOIN units u ON u.unit_id = d.unit_id"
			      " WHERE d.device_id = ? ORDER BY d.unit_id",
			      &stmt);
	if (r < 0)
		return r;
	sqlite3_bind_int64(stmt, 1, device_id);
	return walk(db, stmt, unit_row, (any_fn *)fn, user, "list device units");
}

int db_sqlite_roster_state(struct db *db, struct db_roster_state *ret_state)
{
	sqlite3_stmt *stmt;
	int rc, r;

	r = db_sqlite_prepare(db, "SELECT version, changed_usec, has_staff FROM roster_state",
			      &stmt);
	if (r < 0)
		return r;
	rc = sqlite3_step(stmt);
	if (rc == SQLITE_ROW) {
		ret_state->version = sqlite3_column_int64(stmt, 0);
		ret_state->changed_usec = sqlite3_column_int64(stmt, 1);
		ret_state->has_staff = sqlite3_column_int(stmt, 2) != 0;
	} else {
		r = db_sqlite_error(db, "read roster version");
	}
	db_sqlite_done(db, stmt);
	return r;
}

int db_sqlite_roster_bump(struct db *db, int64_t now_usec, bool has_staff)
{
	sqlite3_stmt *stmt;
	int r;

	r = db_sqlite_prepare(db,
			      "UPDATE roster_state SET version = version + 1, changed_usec = ?,"
			      " has_staff = has_staff OR ?",
			      &stmt);
	if (r < 0)
		return r;
	sqlite3_bind_int64(stmt, 1, now_usec);
	sqlite3_bind_int(stmt, 2, has_staff);
	return db_sqlite_step_done(db, stmt, "bump roster version");
}

/* --- imported taps --- */

int db_sqlite_device_internal(struct db *db, const char *name, int64_t now_usec,
			      int64_t *ret_device_id)
{
	sqlite3_stmt *stmt;
	int rc, r;

	r = db_sqlite_prepare(db,
			      "INSERT OR IGNORE INTO devices (name, created_usec, disabled)"
			      " VALUES (?, ?, 1)",
			      &stmt);
	if (r < 0)
		return r;
	sqlite3_bind_text(stmt, 1, name, -1, SQLITE_STATIC);
	sqlite3_bind_int64(stmt, 2, now_usec);
	r = db_sqlite_step_done(db, stmt, "add internal device");
	if (r < 0)
		return r;
	r = db_sqlite_prepare(db, "SELECT id FROM devices WHERE name = ?", &stmt);
	if (r < 0)
		return r;
	sqlite3_bind_text(stmt, 1, name, -1, SQLITE_STATIC);
	rc = sqlite3_step(stmt);
	if (rc == SQLITE_ROW)
		*ret_device_id = sqlite3_column_int64(stmt, 0);
	else
		r = db_sqlite_error(db, "find internal device");
	db_sqlite_done(db, stmt);
	return r;
}

int db_sqlite_tap_import(struct db *db, int64_t device_id, uint64_t seq, const char *nip,
			 int64_t usec, int64_t now_usec)
{
	sqlite3_stmt *stmt;
	int r;

	/*
	 * No hash chain: these taps come from a file, not from a kiosk that signs them.
	 * Their time is true as given, so it is also the corrected one (and they stay
	 * out of the index of records waiting for a correction).
	 */
	r = db_sqlite_prepare(
	    db,
	    "INSERT INTO records (device_id, seq, kind, wall_usec, boot_usec, boot_id,"
	    " clock_trusted, credential, nip, outcome, reason, direction, payload, prev, link,"
	    " corrected_usec, received_usec, chain_ok)"
	    " SELECT ?1, ?2, 'tap', ?4, 0, 'import', 1, 'import', ?3, 'accepted', '', '', '',"
	    " zeroblob(32), zeroblob(32), ?4, ?5, 1"
	    " WHERE NOT EXISTS (SELECT 1 FROM records WHERE nip = ?3 AND wall_usec = ?4"
	    " AND device_id = ?1)",
	    &stmt);
	if (r < 0)
		return r;
	sqlite3_bind_int64(stmt, 1, device_id);
	sqlite3_bind_int64(stmt, 2, (int64_t)seq);
	sqlite3_bind_text(stmt, 3, nip, -1, SQLITE_STATIC);
	sqlite3_bind_int64(stmt, 4, usec);
	sqlite3_bind_int64(stmt, 5, now_usec);
	r = db_sqlite_step_done(db, stmt, "store imported tap");
	return r < 0 ? r : sqlite3_changes(db_sqlite_conn(db));
}
