// SPDX-License-Identifier: MIT
/*
 * The SQLite backend's kiosk health entries (db.h): one device_health row
 * per kiosk, written with every accepted push, and the listing the device
 * overview reads, with each kiosk's tamper alert count.
 */
#include "server/db_sqlite.h"

#include <errno.h>
#include <string.h>

int db_sqlite_device_sync(struct db *db, int64_t device_id, int64_t now_usec,
			  const struct record_health *health)
{
	sqlite3_stmt *stmt;
	int r;

	/* Without health (NULLs bound) the last sync moves and the last health stays. */
	r = db_sqlite_prepare(
	    db,
	    "INSERT INTO device_health (device_id, last_sync_usec, health_usec, outbox,"
	    " outbox_oldest_usec, clock_offset_usec, clock_trusted, boot_id, uptime_s, version)"
	    " VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10) ON CONFLICT (device_id) DO UPDATE "
	    "SET"
	    " last_sync_usec = excluded.last_sync_usec,"
	    " health_usec = coalesce(excluded.health_usec, health_usec),"
	    " outbox = coalesce(excluded.outbox, outbox),"
	    " outbox_oldest_usec = coalesce(excluded.outbox_oldest_usec, outbox_oldest_usec),"
	    " clock_offset_usec = coalesce(excluded.clock_offset_usec, clock_offset_usec),"
	    " clock_trusted = coalesce(excluded.clock_trusted, clock_trusted),"
	    " boot_id = coalesce(excluded.boot_id, boot_id),"
	    " uptime_s = coalesce(excluded.uptime_s, uptime_s),"
	    " version = coalesce(excluded.version, version)",
	    &stmt);
	if (r < 0)
		return r;
	sqlite3_bind_int64(stmt, 1, device_id);
	sqlite3_bind_int64(stmt, 2, now_usec);
	if (health) {
		sqlite3_bind_int64(stmt, 3, now_usec);
		sqlite3_bind_int64(stmt, 4, health->outbox);
		sqlite3_bind_int64(stmt, 5, health->outbox_oldest_usec);
		sqlite3_bind_int64(stmt, 6, health->clock_offset_usec);
		sqlite3_bind_int(stmt, 7, health->clock_trusted);
		sqlite3_bind_text(stmt, 8, health->boot_id, -1, SQLITE_STATIC);
		sqlite3_bind_int64(stmt, 9, health->uptime_s);
		sqlite3_bind_text(stmt, 10, health->version, -1, SQLITE_STATIC);
	}
	return db_sqlite_step_done(db, stmt, "store a device's sync");
}

int db_sqlite_device_health(struct db *db, db_device_health_fn *fn, void *user)
{
	enum { C = DB_SQLITE_DEVICE_NCOLS };
	struct db_device_health dh;
	sqlite3_stmt *stmt;
	int rc, r;

	r = db_sqlite_prepare(db,
			      "SELECT " DB_SQLITE_DEVICE_COLUMNS
			      ", h.last_sync_usec, h.health_usec, h.outbox, h.outbox_oldest_usec,"
			      " h.clock_offset_usec, h.clock_trusted, h.boot_id, h.uptime_s,"
			      " h.version,"
			      " (SELECT count(*) FROM alerts a WHERE a.device_id = d.id)"
			      " FROM devices d LEFT JOIN device_health h ON h.device_id = d.id"
			      " ORDER BY d.name",
			      &stmt);
	if (r < 0)
		return r;
	while ((rc = sqlite3_step(stmt)) == SQLITE_ROW) {
		memset(&dh, 0, sizeof(dh));
		db_sqlite_device_row(stmt, &dh.dev);
		dh.has_sync = sqlite3_column_type(stmt, C) != SQLITE_NULL;
		dh.last_sync_usec = sqlite3_column_int64(stmt, C);
		dh.has_health = sqlite3_column_type(stmt, C + 1) != SQLITE_NULL;
		dh.health_usec = sqlite3_column_int64(stmt, C + 1);
		dh.health.outbox = sqlite3_column_int64(stmt, C + 2);
		dh.health.outbox_oldest_usec = sqlite3_column_int64(stmt, C + 3);
		dh.health.clock_offset_usec = sqlite3_column_int64(stmt, C + 4);
		dh.health.clock_trusted = sqlite3_column_int(stmt, C + 5) != 0;
		db_sqlite_text_col(stmt, C + 6, dh.health.boot_id, sizeof(dh.health.boot_id));
		dh.health.uptime_s = sqlite3_column_int64(stmt, C + 7);
		db_sqlite_text_col(stmt, C + 8, dh.health.version, sizeof(dh.health.version));
		dh.alerts = sqlite3_column_int64(stmt, C + 9);
		r = fn(&dh, user);
		if (r < 0)
			break;
	}
	if (r == 0 && rc != SQLITE_DONE)
		r = db_sqlite_error(db, "list device health");
	db_sqlite_done(db, stmt);
	return r;
}
