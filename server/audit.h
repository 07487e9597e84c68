/* SPDX-License-Identifier: MIT */
/*
 * The audit log: who did what to which target, when and from where, kept
 * append-only (the database refuses UPDATE and DELETE on it). Routes and
 * commands append through ::audit_call and ::audit_cli; superadmins read it
 * through GET /api/v1/audit and `hadir-collector audit`, as JSON or CSV.
 *
 * Actions (AUDIT_*; keep the names, scripts filter on them) and targets:
 *   login, login_failed, login_locked, logout     target: the user name
 *   report_view, report_export    target: the unit ("*" for all); detail: period, format
 *   approve, return               target: what was reviewed (e.g. "activity:42")
 *   import                        target: the kind (staff, schedules, holidays, leave, ...)
 *   user_add, user_disable, user_passwd, token_add    target: the user or "token:ID"
 */
#ifndef HADIR_SERVER_AUDIT_H
#define HADIR_SERVER_AUDIT_H

#include <stdint.h>
#include <stdio.h>

#include "common/err.h"
#include "server/db_account.h"

struct api;
struct api_call;
struct scope;

#define AUDIT_LOGIN	    "login"
#define AUDIT_LOGIN_FAILED  "login_failed"
#define AUDIT_LOGIN_LOCKED  "login_locked"
#define AUDIT_LOGOUT	    "logout"
#define AUDIT_REPORT_VIEW   "report_view"
#define AUDIT_REPORT_EXPORT "report_export"
#define AUDIT_APPROVE	    "approve"
#define AUDIT_RETURN	    "return"
#define AUDIT_IMPORT	    "import"
#define AUDIT_USER_ADD	    "user_add"
#define AUDIT_USER_DISABLE  "user_disable"
#define AUDIT_USER_PASSWD   "user_passwd"
#define AUDIT_TOKEN_ADD	    "token_add"

/*
 * Append an entry for an API call: actor from the scope (NULL: "anonymous",
 * as before a login), source the client's address. Texts longer than their
 * column are cut. A caller refuses its request when this fails: nothing is
 * shown or changed that the log does not hold.
 */
int audit_call(struct api *api, const struct api_call *call, const struct scope *sc,
	       const char *action, const char *target, const char *detail_fmt, ...)
    PRINTF_LIKE(6, 7) MUST_CHECK;

/* Append an entry for a command run on this machine: actor "cli:LOGIN", source "cli". */
int audit_cli(struct db *db, const char *action, const char *target, const char *detail_fmt, ...)
    PRINTF_LIKE(4, 5) MUST_CHECK;

enum audit_format {
	AUDIT_JSON, /* {"entries":[{"id","time","time_usec","actor","action","target","detail","source"}]}
		     */
	AUDIT_CSV, /* header row, then one row per entry; RFC 4180, CRLF */
};

/*
 * Stream the entries q selects to out, oldest first; JSON gets
 * "server_time_usec" when server_time_usec is not 0. -E2BIG past
 * AUDIT_EXPORT_MAX entries (narrow the period), -EIO when out fails.
 */
#define AUDIT_EXPORT_MAX 1000000
int audit_export(struct db *db, const struct db_audit_query *q, enum audit_format format,
		 int64_t server_time_usec, FILE *out) MUST_CHECK;

#endif
