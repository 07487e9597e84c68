/* SPDX-License-Identifier: MIT */
/*
 * The discipline report as an XLSX workbook (libxlsxwriter), for admins who
 * work in Excel: sheet "Disiplin" has the columns of the CSV report
 * (report_discipline_cells(): the same headers in Bahasa Indonesia, numbers as
 * numbers, the deduction as a percentage), a frozen header row, an
 * autofilter and column widths; sheet "Keterangan" names the period, the
 * year-to-date range and the rule profile of each unit. Formatting only.
 */
#ifndef HADIR_SERVER_XLSX_H
#define HADIR_SERVER_XLSX_H

#include <stddef.h>
#include <stdint.h>

#include "common/err.h"
#include "server/report.h"

#define XLSX_FILE_MAX ((size_t)1 << 30) /* largest workbook read back into memory */

/* Which profile a unit's numbers were computed with. */
struct xlsx_unit {
	const char *unit_id;
	const char *name;
	const char *timezone;
	const char *profile;
};

/*
 * Build the workbook for entries[0..n) over [from, to] (local day numbers)
 * and return its bytes in *ret_data (*ret_len bytes), to be freed with
 * free(). libxlsxwriter writes through a temporary file in $TMPDIR (or
 * /tmp), removed before returning. Returns 0, -ENOMEM, or -EIO (logged).
 */
int xlsx_discipline(int32_t from, int32_t to, const struct report_entry *entries, size_t n,
		    const struct xlsx_unit *units, size_t n_units, char **ret_data,
		    size_t *ret_len) MUST_CHECK;

/* Fill cells[0..n_cols) of data row i of a table (text cells point into user). */
typedef void xlsx_row_fn(const void *user, size_t i, struct report_cell *cells);

/*
 * A workbook of one sheet named sheet: a header row (frozen, with an
 * autofilter) of headers[0..n_cols), then n_rows rows from row(), numbers as
 * numbers. Bytes and errors as ::xlsx_discipline.
 */
int xlsx_table(const char *sheet, const char *const *headers, size_t n_cols, size_t n_rows,
	       xlsx_row_fn *row, const void *user, char **ret_data, size_t *ret_len) MUST_CHECK;

#endif
