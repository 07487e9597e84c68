/* SPDX-License-Identifier: MIT */
/*
 * The dashboard's overview route, answered on the server's worker thread
 * (api_is_slow()) from the overview cache (overview.h):
 *
 *   GET /api/v1/overview?from=YYYY-MM-DD&to=YYYY-MM-DD[&unit=ID][&format=json|csv|xlsx]
 *
 * JSON: {"from","to","computed_usec","units":[{unit_id, name, staff,
 * working_days, on_time_days, compliance (on_time / working, null without
 * working days), late, early, tk_days, deduction, at_threshold}],
 * "daily":[{date, working, on_time, rate}]}. CSV and XLSX hold the table the
 * overview page shows, one row per unit. Superadmins see every unit, unit
 * admins theirs; supervisors and staff the units of the people they see,
 * counting only those people. unit= narrows the answer to one unit the
 * caller sees whole (else the one 403 of scope.h; 404 for a superadmin's
 * unknown unit). Audited as a report view or export.
 */
#ifndef HADIR_SERVER_API_OVERVIEW_H
#define HADIR_SERVER_API_OVERVIEW_H

#include "server/api.h"

void api_overview(struct api *api, const struct api_call *call, struct api_reply *ret);

#endif
