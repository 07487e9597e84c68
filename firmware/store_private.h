/* SPDX-License-Identifier: MIT */
/*
 * Inside the kiosk store: helpers of store.c shared with the store's other
 * files (store_templates.c). Not for use outside store*.c.
 */
#ifndef HADIR_FIRMWARE_STORE_PRIVATE_H
#define HADIR_FIRMWARE_STORE_PRIVATE_H

#include <stddef.h>
#include <stdint.h>

#include <sqlite3.h>

#include "common/err.h"

struct store;

/* Run SQL without results; SQLite errors as negative errno. */
int store_exec(struct store *st, const char *sql) MUST_CHECK;
/* One-statement change binding ?1, ?2 to texts a, b (NULL: unbound) and ?at to number. */
int store_change(struct store *st, const char *sql, const char *a, const char *b, int at,
		 int64_t number) MUST_CHECK;
/* End a transaction the caller began: commit when r is 0, else roll back; returns the result. */
int store_end_transaction(struct store *st, int r) MUST_CHECK;
/* The first column of the first row of sql with ?1 = a and ?2 = b. */
int store_query_int64(struct store *st, const char *sql, int64_t a, int64_t b,
		      int64_t *ret) MUST_CHECK;
/* Copy a text column ("" for NULL) into dst of cap bytes. */
void store_copy_column(sqlite3_stmt *stmt, int col, char *dst, size_t cap);

#endif
