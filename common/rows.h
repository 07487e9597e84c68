/* SPDX-License-Identifier: MIT */
/*
 * CSV files (RFC 4180, UTF-8, comma-separated, header row first) read as rows
 * of fields, through libcsv. Used by every import: the kiosk roster and the
 * collector's units, staff, schedules, holidays, leave and taps. Each row is
 * handed to the caller with the line it started on, so errors name the line.
 * Bounded: a row of more than ROWS_FIELDS_MAX fields or a field longer than
 * ROWS_FIELD_MAX bytes is an error, never an allocation without limit.
 */
#ifndef HADIR_COMMON_ROWS_H
#define HADIR_COMMON_ROWS_H

#include <stddef.h>
#include <stdio.h>

#include "common/err.h"

#define ROWS_FIELDS_MAX 32
#define ROWS_FIELD_MAX	1024
#define ROWS_WHY_MAX	256

/*
 * Called for each row, the header included (line 1 unless blank lines come
 * first). fields[i] are NUL-terminated, trimmed of surrounding spaces, and
 * valid only during the call. Return 0 to go on, or a negative errno to stop,
 * with a message in why (ROWS_WHY_MAX bytes) that rows_read() passes back
 * prefixed with the file name and line.
 */
typedef int rows_row_fn(void *user, unsigned line, char **fields, size_t n_fields, char *why);

/*
 * Read every row of stream. Returns 0, the callback's error, or -EBADMSG for
 * malformed CSV; why then reads "NAME:LINE: message".
 */
int rows_read(FILE *stream, const char *name, rows_row_fn *on_row, void *user,
	      char why[ROWS_WHY_MAX]) MUST_CHECK;

/* As rows_read, opening path; -errno with why set when it cannot be opened. */
int rows_read_file(const char *path, rows_row_fn *on_row, void *user,
		   char why[ROWS_WHY_MAX]) MUST_CHECK;

/*
 * Check that the header row names exactly the expected columns, in order
 * (extra trailing columns are refused too, so a misaligned file is caught).
 */
int rows_expect_header(char **fields, size_t n_fields, const char *const *columns,
		       char why[ROWS_WHY_MAX]) MUST_CHECK;

#endif
