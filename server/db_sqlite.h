/* SPDX-License-Identifier: MIT */
/*
 * Inside the SQLite backend: what db_sqlite.c lends the files that implement
 * parts of the storage interface next to it (db_sqlite_account.c), so each
 * part keeps its SQL in its own file and all share one connection and one
 * statement cache. Nothing outside server/db_sqlite*.c includes this.
 */
#ifndef HADIR_SERVER_DB_SQLITE_H
#define HADIR_SERVER_DB_SQLITE_H

#include <sqlite3.h>

#include "common/err.h"

struct db;

/*
 * A statement for sql (a string literal: cached by its address); give it
 * back with ::db_sqlite_done. Logs and translates errors.
 */
int db_sqlite_prepare(struct db *db, const char *sql, sqlite3_stmt **ret_stmt) MUST_CHECK;
void db_sqlite_done(struct db *db, sqlite3_stmt *stmt);
/* Step a statement that returns no rows, then hand it back; -EEXIST on a constraint. */
int db_sqlite_step_done(struct db *db, sqlite3_stmt *stmt, const char *what) MUST_CHECK;
/* Log the connection's last error with what, and translate it into a negative errno. */
int db_sqlite_error(struct db *db, const char *what);
/* Copy a text column (NULL reads as "") into buf of size bytes, truncating. */
void db_sqlite_text(sqlite3_stmt *stmt, int col, char *buf, size_t size);

#endif
