/* SPDX-License-Identifier: MIT */
/*
 * The discipline report as an XLSX workbook (libxlsxwriter), for admins who
 * work in Excel. Sheets, in order: "Ringkasan", one row per unit
 * (report_summary_cells(): head count, compliance, late/early/TK totals,
 * deductions, employees at a sanction) and a total row; then one sheet per
 * unit, named by its id, with the columns of the CSV report
 * (report_discipline_cells()) for its employees; then "Keterangan" naming the
 * period, the year-to-date range and the rule profile of each unit. Numbers
 * are numbers, percentages in a percent format, Rupiah in a Rupiah format;
 * every table has a frozen header row and an autofilter. Formatting only.
 */
#ifndef HADIR_SERVER_XLSX_H
#define HADIR_SERVER_XLSX_H

#include <stddef.h>
#include <stdint.h>

#include "common/err.h"
#include "server/report.h"

#define XLSX_FILE_MAX ((size_t)1 << 30) /* largest workbook read back into memory */

/*
 * Build the workbook for units[0..n_units) over [from, to] (local day
 * numbers), total being the summary over all of them, and return its bytes
 * in *ret_data (*ret_len bytes), to be freed with free(). libxlsxwriter
 * writes through temporary files in $TMPDIR (or /tmp), removed before
 * returning. Returns 0, -ENOMEM, -E2BIG (a sheet past Excel's rows), or
 * -EIO (logged).
 */
int xlsx_discipline(int32_t from, int32_t to, const struct report_unit *units, size_t n_units,
		    const struct rules_summary *total, char **ret_data, size_t *ret_len) MUST_CHECK;

/*
 * A workbook of one sheet named sheet: a header row (frozen, with an
 * autofilter) of headers[0..n_cols), then n_rows rows from row(), numbers as
 * numbers. Bytes and errors as ::xlsx_discipline.
 */
int xlsx_table(const char *sheet, const char *const *headers, size_t n_cols, size_t n_rows,
	       report_row_fn *row, const void *user, char **ret_data, size_t *ret_len) MUST_CHECK;

#endif
