/* SPDX-License-Identifier: MIT */
/*
 * Discipline reports from evaluated periods: the JSON of DESIGN.md (Admin
 * interfaces, contract), the same as CSV with a header row in Bahasa
 * Indonesia (RFC 4180), a day-by-day explanation of one employee, and a unit
 * summary. Formatting only: the numbers come from rules.c unchanged.
 *
 * Percentages are exact basis points inside; JSON shows deduction_pct as a
 * number (475 bp → 4.75), so dump with report_dumps()/report_dumpf(), which
 * print reals with 15 significant digits (jansson's default of 17 would show
 * 1.15 as 1.1499999999999999). Each object also carries the exact
 * deduction_bp integer.
 */
#ifndef HADIR_SERVER_REPORT_H
#define HADIR_SERVER_REPORT_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "common/err.h"
#include "server/rules.h"

struct json_t;

/* One employee's line: who, and their evaluated period. */
struct report_entry {
	const struct rules_employee *emp;
	const struct rules_period *period;
};

/*
 * {"from":..,"to":..,"employees":[{nip, name, unit_id, working_days, …,
 * year:{…, sanction}}]} for entries[0..n). Returns 0 or -ENOMEM; the result
 * must be released with json_decref().
 */
int report_discipline_json(int32_t from, int32_t to, const struct report_entry *entries, size_t n,
			   struct json_t **ret_json) MUST_CHECK;

/*
 * The same JSON written employee by employee, so a report of 100,000
 * employees never exists as one tree (hundreds of MB in jansson). extra, if
 * not NULL, is an object whose members follow "employees" at the top level
 * (e.g. the server time of an HTTP reply). Returns 0, -ENOMEM or -EIO.
 */
int report_discipline_json_write(FILE *out, int32_t from, int32_t to,
				 const struct report_entry *entries, size_t n,
				 const struct json_t *extra) MUST_CHECK;

/* Columns of the CSV and XLSX reports: the identity, the period, the leave codes, the year. */
#define REPORT_COLUMNS (16 + (CAL_LEAVE_COUNT - 1) + 9)

enum report_cell_kind {
	REPORT_CELL_TEXT,
	REPORT_CELL_INT,
	REPORT_CELL_BP,	    /* basis points, shown as a percentage with two decimals */
	REPORT_CELL_RUPIAH, /* whole Rupiah */
	REPORT_CELL_X100,   /* hundredths, shown with two decimals (an average) */
};

/* One cell of an employee's row; text points into the entry or its profile. */
struct report_cell {
	enum report_cell_kind kind;
	const char *text; /* REPORT_CELL_TEXT */
	int64_t value;	  /* otherwise */
};

/* The header of column i (Bahasa Indonesia), or NULL past the last; static text. */
const char *report_column_name(size_t i);

/* An employee's row as cells, the same for every tabular format. */
void report_discipline_cells(const struct rules_employee *emp, const struct rules_period *period,
			     struct report_cell cells[REPORT_COLUMNS]);

/* One CSV row of cells (RFC 4180, CRLF; text defused against formulas), for any table. */
void report_csv_cells(FILE *out, const struct report_cell *cells, size_t n);

/* Fill cells[0..n_cols) of data row i of a table (text cells point into user). */
typedef void report_row_fn(const void *user, size_t i, struct report_cell *cells);

/*
 * Any table as CSV: a header row of headers[0..n_cols), then n_rows rows from
 * row(), as report_csv_cells() writes them. The bytes in *ret_data (free()),
 * *ret_len of them; 0 or -ENOMEM.
 */
int report_csv_table(const char *const *headers, size_t n_cols, size_t n_rows, report_row_fn *row,
		     const void *user, char **ret_data, size_t *ret_len) MUST_CHECK;

/* The same as CSV: a header row, then one row per employee, CRLF line ends. */
int report_discipline_csv(FILE *out, const struct report_entry *entries, size_t n) MUST_CHECK;

/*
 * One employee's period day by day: {"nip",..,"profile","timezone","from","to",
 * "days":[{date, schedule, leave, taps:[{time, direction, use}], check_in,
 * check_out, late_minutes, early_minutes, tl, psw, tk, deduction_pct (the
 * day's own, before the monthly cap), reasons:[…]}], "totals":{… as in the
 * discipline report}}. taps as for
 * rules_eval_period(). Returns 0, -ENOMEM or rules_eval_period()'s error;
 * release the result with json_decref().
 */
int report_explain_json(const struct rules_plan *plan, const struct rules_employee *emp,
			const struct rules_tap *taps, size_t n_taps,
			struct json_t **ret_json) MUST_CHECK;

/* A unit's summary: head count, compliance rate, averages, employees at a sanction. */
int report_summary_json(const char *unit_id, const struct rules_summary *summary,
			struct json_t **ret_json) MUST_CHECK;

/* A unit's part of a report: who it is, its totals, its employees. */
struct report_unit {
	const char *unit_id, *name, *timezone;
	const char *profile; /* the rule profile its numbers were computed with */
	struct rules_summary summary;
	const struct report_entry *entries; /* the unit's employees, NIP order */
	size_t n_entries;
};

/*
 * The unit summary report: {"from":..,"to":..,"units":[{unit_id, name,
 * timezone, profile, …report_summary_json()'s members…,
 * "sanctioned_employees":[{nip, name, year:{… as in the discipline report}}]}],
 * "total":{…the summary over all units, unit_id null…}} and the members of
 * extra (an object, or NULL) after those. Returns 0, -ENOMEM or -EIO.
 */
int report_units_json_write(FILE *out, int32_t from, int32_t to, const struct report_unit *units,
			    size_t n, const struct rules_summary *total,
			    const struct json_t *extra) MUST_CHECK;

/* Columns of the unit summary (CSV, and the XLSX sheet "Ringkasan"). */
#define REPORT_SUMMARY_COLUMNS 20

/* The header of summary column i (Bahasa Indonesia), or NULL past the last. */
const char *report_summary_column_name(size_t i);

/* A unit's summary row; unit_id and name may be NULL (the total row). */
void report_summary_cells(const char *unit_id, const char *name, const struct rules_summary *s,
			  struct report_cell cells[REPORT_SUMMARY_COLUMNS]);

/* The summary as CSV: a header row, one row per unit, CRLF line ends. */
int report_units_csv(FILE *out, const struct report_unit *units, size_t n) MUST_CHECK;

/* Serialize with the precision above; *ret_text must be freed with free(). */
int report_dumps(const struct json_t *json, char **ret_text) MUST_CHECK;
int report_dumpf(const struct json_t *json, FILE *out) MUST_CHECK;

#endif
