/* SPDX-License-Identifier: MIT */
/*
 * Activity routes (admin bearer token; activities.h has the rules):
 *
 *   GET  /api/v1/activities?nip=&from=&to=&status=&unit=&history=1
 *        entries by date; current versions only unless history=1
 *   POST /api/v1/activities   {"nip","date","plan","description","quantity","unit",
 *        "start","end"[,"supersedes":ID,"withdrawn":true]} -> 201 the entry
 *   POST /api/v1/activities/ID/approve   {"comment":".."} (optional)
 *   POST /api/v1/activities/ID/return    {"comment":".."} (required)
 *   GET  /api/v1/reports/activities?from=&to=&unit=&format=json|csv|xlsx
 *        (on the server's worker thread, as the discipline report)
 *
 * A superadmin sees everything; a supervisor token (with an NIP) only the
 * entries of staff whose supervisor_nip is theirs: any other entry (or
 * nip= of someone else) answers 403 exactly as a missing one (or an unknown
 * NIP) does, so its existence is not revealed.
 */
#ifndef HADIR_SERVER_API_ACTIVITIES_H
#define HADIR_SERVER_API_ACTIVITIES_H

#include "server/api.h"

void api_activities_list(struct api *api, const struct api_call *call, struct api_reply *ret);
void api_activities_add(struct api *api, const struct api_call *call, struct api_reply *ret);
void api_activities_approve(struct api *api, const struct api_call *call, struct api_reply *ret);
void api_activities_return(struct api *api, const struct api_call *call, struct api_reply *ret);
void api_activities_report(struct api *api, const struct api_call *call, struct api_reply *ret);

#endif
