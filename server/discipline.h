/* SPDX-License-Identifier: MIT */
/*
 * Discipline reports from the collector's database: loads the calendar
 * (units, schedules, holidays, leave), the staff and their accepted taps of
 * the period and of the year to date, evaluates every employee with the
 * rules engine (rules.h) under the profile their unit names, and hands the
 * entries to the formats (report.h, xlsx.h). Shared by the CLI
 * (`hadir-collector report …`) and the HTTP routes (api_reports.c), so both
 * give the same numbers and the same errors.
 *
 * Speed: one query streams the taps ordered by NIP; each employee is
 * evaluated as soon as their taps are complete, so memory holds one
 * employee's taps, not the site's, and no query runs per employee.
 */
#ifndef HADIR_SERVER_DISCIPLINE_H
#define HADIR_SERVER_DISCIPLINE_H

#include <stddef.h>
#include <stdint.h>

#include "common/cfg.h"
#include "common/err.h"
#include "server/report.h"
#include "server/view.h"
#include "server/xlsx.h"

struct db;
struct json_t;
struct discipline;

#define DISCIPLINE_DAYS_MAX 366 /* longest period one report covers */
#define DISCIPLINE_WHY_MAX  256

enum discipline_format {
	DISCIPLINE_JSON,
	DISCIPLINE_CSV,
	DISCIPLINE_XLSX,
};

/* Whether a staff member belongs in a report: the caller's scope (scope.h's scope_keeps). */
typedef bool discipline_keep_fn(const char *nip, const char *unit_id, const char *supervisor_nip,
				void *arg);

/* Which report of an evaluation to format. */
enum discipline_report {
	DISCIPLINE_EMPLOYEES, /* one line per employee (the contract's report) */
	DISCIPLINE_UNITS,     /* one line per unit: report_units_json_write() */
	DISCIPLINE_PAGE,      /* CSV, XLSX: the unit page's columns (view.h); JSON as EMPLOYEES */
};

/* Each day of [from, to] of each employee, as the rules decided it (totals by day). */
typedef void discipline_day_fn(const struct rules_employee *emp, const struct rules_day *day,
			       void *arg);

/* What to report on. */
struct discipline_query {
	int32_t from, to;	  /* local day numbers, inclusive */
	const char *unit_id;	  /* NULL or "": every unit */
	const char *nip;	  /* NULL or "": every employee (of the unit) */
	discipline_keep_fn *keep; /* NULL: everyone unit_id and nip select; else those it keeps */
	void *keep_arg;
	const struct view *view;   /* NULL: every employee, NIP order; else its rows, its order */
	discipline_day_fn *on_day; /* NULL, or told every day of discipline_run()'s employees */
	void *on_day_arg;
};

/*
 * Check a period given as text: both dates YYYY-MM-DD, from <= to, at most
 * DISCIPLINE_DAYS_MAX days. Returns 0, or -EINVAL with a message for the
 * user in why (DISCIPLINE_WHY_MAX bytes).
 */
int discipline_parse_period(const char *from, const char *to, int32_t *ret_from, int32_t *ret_to,
			    char *why) MUST_CHECK;

/* "json", "csv", "xlsx" (NULL or "": json); -EINVAL otherwise. */
int discipline_parse_format(const char *text, enum discipline_format *ret_format) MUST_CHECK;
const char *discipline_content_type(enum discipline_format format);
const char *discipline_extension(enum discipline_format format);

/*
 * Evaluate q against the database. Returns 0; -ENOENT for an unknown unit or
 * NIP; -EINVAL when stored data or a profile is refused (both described in
 * why, DISCIPLINE_WHY_MAX bytes); -ENOMEM, -EIO. The result must be freed
 * with ::discipline_free.
 */
int discipline_run(struct db *db, const char *profiles_dir, const struct discipline_query *q,
		   struct discipline **ret, char *why) MUST_CHECK;
void discipline_free(struct discipline *d);

/* The employees in NIP order (or the query's view's); valid for the lifetime of d. */
const struct report_entry *discipline_entries(const struct discipline *d, size_t *ret_n);
/*
 * The units reported on (unit id order), each with its profile, its summary
 * and its employees (in the order of the entries); valid for the lifetime of
 * d. Computed from the same evaluation as the entries: with a view, of its
 * employees only.
 */
const struct report_unit *discipline_units(const struct discipline *d, size_t *ret_n);
/* The summary over every employee reported on. */
const struct rules_summary *discipline_total(const struct discipline *d);

/*
 * A report in a format: its bytes in *ret_data (free()), *ret_len of them.
 * JSON only: the members of extra (an object, or NULL) are added at the top
 * level. XLSX is the same workbook for both reports (xlsx.h), except for
 * DISCIPLINE_PAGE, whose CSV and XLSX are view_table()'s.
 */
int discipline_format(const struct discipline *d, enum discipline_report report,
		      enum discipline_format format, const struct json_t *extra, char **ret_data,
		      size_t *ret_len) MUST_CHECK;

/*
 * A table in a tabular format: report_csv_table() for CSV, xlsx_table() with
 * sheet for XLSX. format must not be DISCIPLINE_JSON.
 */
int discipline_table(enum discipline_format format, const char *sheet, const char *const *headers,
		     size_t n_cols, size_t n_rows, report_row_fn *row, const void *user,
		     char **ret_data, size_t *ret_len) MUST_CHECK;

/*
 * One employee's days (report_explain_json()) over [q->from, q->to]; q->nip
 * is required. Errors as ::discipline_run.
 */
int discipline_explain(struct db *db, const char *profiles_dir, const struct discipline_query *q,
		       struct json_t **ret_json, char *why) MUST_CHECK;

#endif
