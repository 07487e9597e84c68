/* SPDX-License-Identifier: MIT */
/*
 * The unit page's view of the discipline report, on the server: which
 * employees (q, a case-insensitive substring of the NIP or of the name), in
 * which order (sort, one of the page table's column keys; order asc|desc;
 * ties by NIP, ascending), and the table's nine columns as cells. The page
 * (server/web/unit.js) filters and sorts its rows by the same rules, so an
 * export of the view holds exactly the rows, order and columns it shows.
 *
 * Case folding is ASCII only (A–Z), on both sides: JavaScript's
 * toLowerCase() and a C locale disagree beyond it. Text compares by bytes,
 * which for UTF-8 is code point order; the page compares code points too.
 * Not for the unit summary (report_units_*), which has no view.
 */
#ifndef HADIR_SERVER_VIEW_H
#define HADIR_SERVER_VIEW_H

#include <stdbool.h>
#include <stddef.h>

#include "common/err.h"
#include "server/report.h"

#define VIEW_Q_MAX   128 /* bytes of q */
#define VIEW_COLUMNS 9
#define VIEW_WHY_MAX 160

/* The page table's columns, in its order; the keys are the page's data-key values. */
enum view_key {
	VIEW_NIP,
	VIEW_NAME,
	VIEW_PRESENT,
	VIEW_LATE,
	VIEW_EARLY,
	VIEW_TK,
	VIEW_PCT,
	VIEW_AMOUNT,
	VIEW_SANCTION,
};

struct view {
	char q[VIEW_Q_MAX]; /* folded; "": every employee */
	enum view_key key;
	bool is_desc;
};

/*
 * The view of the query parameters q, sort and order (each NULL or "" when
 * absent: everyone, by NIP, ascending). Returns 0, or -EINVAL with a message
 * for the user in why (VIEW_WHY_MAX bytes): an unknown sort key or order, a
 * q longer than VIEW_Q_MAX - 1 bytes.
 */
int view_parse(const char *q, const char *sort, const char *order, struct view *ret_view,
	       char *why) MUST_CHECK;

/* Whether an employee is in the view (name may be NULL). */
bool view_matches(const struct view *v, const char *nip, const char *name);

/* Sort entries[0..n) into the view's order. */
void view_sort(const struct view *v, struct report_entry *entries, size_t n);

/*
 * The view as the audit log records it: "" for the default (everyone, by
 * NIP, ascending), else " q=… sort=KEY ORDER". Written into buf (size bytes).
 */
const char *view_describe(const struct view *v, char *buf, size_t size);

/* The header of column i (Bahasa Indonesia, as the page shows it), or NULL past the last. */
const char *view_column_name(size_t i);

/*
 * The table of entries[0..n) as CSV or XLSX (sheet "Pegawai"), as
 * report_csv_table() and xlsx_table() make them; is_xlsx chooses. Returns 0
 * or a negative errno; *ret_data (*ret_len bytes) must be freed with free().
 */
int view_table(const struct report_entry *entries, size_t n, bool is_xlsx, char **ret_data,
	       size_t *ret_len) MUST_CHECK;

#endif
