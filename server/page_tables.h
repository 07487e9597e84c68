/* SPDX-License-Identifier: MIT */
/*
 * The employee page's two tables as CSV or XLSX: the day-by-day explanation
 * (report_explain_json()'s "days") and the activities list (the
 * activities_json() objects GET /api/v1/activities answers). Made from the
 * same JSON the page renders, with the page's columns and texts in Bahasa
 * Indonesia (server/web/employee.js dayRow() and activityRow()), so a file
 * holds what the page shows; the page's "–" for nothing is an empty cell,
 * and a cell of several lines (taps, reasons) keeps them as lines.
 * Formatting only; the numbers are the JSON's.
 */
#ifndef HADIR_SERVER_PAGE_TABLES_H
#define HADIR_SERVER_PAGE_TABLES_H

#include <stddef.h>

#include "common/err.h"
#include "server/discipline.h"

struct json_t;

/*
 * The days of an explanation (sheet "Harian") in format (CSV or XLSX).
 * Returns 0, -ENOMEM, -EINVAL (explain has no "days" array) or the format's
 * error; *ret_data (*ret_len bytes) must be freed with free().
 */
int page_days_table(const struct json_t *explain, enum discipline_format format, char **ret_data,
		    size_t *ret_len) MUST_CHECK;

/* The activities (a JSON array; sheet "Kegiatan") in format. As ::page_days_table. */
int page_activities_table(const struct json_t *activities, enum discipline_format format,
			  char **ret_data, size_t *ret_len) MUST_CHECK;

#endif
