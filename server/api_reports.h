/* SPDX-License-Identifier: MIT */
/*
 * Report routes (admin bearer token), answered on the server's worker thread
 * (api_is_slow()):
 *
 *   GET /api/v1/reports/discipline?from=&to=&unit=&format=json|csv|xlsx
 *   GET /api/v1/reports/units?from=&to=&unit=&format=json|csv|xlsx
 *   GET /api/v1/employees/NIP/days?from=&to=
 *
 * from/to are YYYY-MM-DD, inclusive, at most 366 days; a bad period or
 * format is a 400, an unknown unit or NIP a 404. CSV and XLSX come with a
 * Content-Disposition file name.
 */
#ifndef HADIR_SERVER_API_REPORTS_H
#define HADIR_SERVER_API_REPORTS_H

#include "server/api.h"

void api_reports_discipline(struct api *api, const struct api_call *call, struct api_reply *ret);
void api_reports_units(struct api *api, const struct api_call *call, struct api_reply *ret);
void api_reports_days(struct api *api, const struct api_call *call, struct api_reply *ret);

#endif
