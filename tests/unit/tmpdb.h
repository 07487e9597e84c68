/* SPDX-License-Identifier: MIT */
/*
 * A fresh collector store (SQLite) in its own temporary folder, for unit
 * tests that need the database: open in a setup, close (and remove the
 * folder) in the teardown. Header-only: each test is one program.
 */
#ifndef HADIR_TESTS_UNIT_TMPDB_H
#define HADIR_TESTS_UNIT_TMPDB_H

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "server/db.h"

struct tmpdb {
	char dir[64];
	char path[96];
	struct db *db;
};

static inline void tmpdb_open(struct tmpdb *t)
{
	strcpy(t->dir, "/tmp/hadir-unit.XXXXXX");
	assert_non_null(mkdtemp(t->dir));
	snprintf(t->path, sizeof(t->path), "%s/c.db", t->dir);
	assert_int_equal(db_sqlite_open(t->path, &t->db), 0);
}

static inline void tmpdb_close(struct tmpdb *t)
{
	char cmd[128];

	db_close(t->db);
	snprintf(cmd, sizeof(cmd), "rm -rf %s", t->dir);
	assert_int_equal(system(cmd), 0);
}

#endif
