/* SPDX-License-Identifier: MIT */
/*
 * Report routes (admin bearer token), answered on the server's worker thread
 * (api_is_slow()):
 *
 *   GET /api/v1/reports/discipline?from=&to=&unit=&q=&sort=&order=&columns=
 *       &format=json|csv|xlsx
 *   GET /api/v1/reports/units?from=&to=&unit=&format=json|csv|xlsx
 *   GET /api/v1/employees/NIP/days?from=&to=&format=json|csv|xlsx
 *
 * from/to are YYYY-MM-DD, inclusive, at most 366 days; a bad period or
 * format is a 400, an unknown unit or NIP a 404. CSV and XLSX come with a
 * Content-Disposition file name. The discipline report takes the unit page's
 * view (view.h: q, sort, order; a bad one is a 400), and with columns=page
 * its CSV and XLSX have the page's columns; a one-unit JSON names the unit
 * ("unit_name"). The days as CSV or XLSX are the employee page's day table
 * (page_tables.h). Viewing and exporting are audited.
 */
#ifndef HADIR_SERVER_API_REPORTS_H
#define HADIR_SERVER_API_REPORTS_H

#include "server/api.h"
#include "server/discipline.h"

void api_reports_discipline(struct api *api, const struct api_call *call, struct api_reply *ret);
void api_reports_units(struct api *api, const struct api_call *call, struct api_reply *ret);
void api_reports_days(struct api *api, const struct api_call *call, struct api_reply *ret);

/*
 * A 200 with data (taken over: freed with the reply) in format; CSV and XLSX
 * are attachments named BASE_FROM_TO[_NAME].EXT (characters outside
 * [A-Za-z0-9._-] become "_").
 */
void api_reports_file(char *data, size_t len, enum discipline_format format, const char *base,
		      const char *from, const char *to, const char *name, struct api_reply *ret);

#endif
