// SPDX-License-Identifier: MIT
/* Activity routes: listing, web entry, review, and the monthly recap. */
#include "server/api_activities.h"

#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "common/activity.h"
#include "common/http.h"
#include "common/log.h"
#include "common/tz.h"
#include "server/activities.h"
#include "server/api_reports.h"
#include "server/audit.h"
#include "server/config.h"
#include "server/db.h"
#include "server/discipline.h"
#include "server/page_tables.h"
#include "server/recap.h"
#include "server/scope.h"

#define ACTIVITIES_MAX 100000 /* entries in one listing */

static const char *const statuses[] = {"pending", "approved", "returned", "refused", "invalid"};

/*
 * The caller (a bearer token or a login, scope.h), when their role may see
 * activities at all, as activities.c takes a reviewer; else an error in ret.
 */
static int reviewer_of(struct api *api, const struct api_call *call, struct scope *ret_sc,
		       struct db_admin *ret_who, struct api_reply *ret)
{
	int r;

	r = scope_of_call(api, call, ret_sc, ret);
	if (r < 0)
		return r;
	if (ret_sc->role == SCOPE_SUPERADMIN || ret_sc->role == SCOPE_SUPERVISOR) {
		snprintf(ret_who->role, sizeof(ret_who->role), "%s", scope_role_name(ret_sc->role));
		snprintf(ret_who->nip, sizeof(ret_who->nip), "%s", ret_sc->nip);
		return 0;
	}
	api_error(403, "activities are for superadmins and supervisors", call->now, ret);
	return -EACCES;
}

/* An optional query parameter into buf; false (after a 400 in ret) when malformed. */
static bool query_opt(const struct api_call *call, const char *name, char *buf, size_t size,
		      const char **ret_value, struct api_reply *ret)
{
	int r = http_query_get(call->req->query, name, buf, size);

	if (r == -ENOENT || (r == 0 && !buf[0]))
		return true;
	if (r == 0) {
		*ret_value = buf;
		return true;
	}
	api_error(400, "a query parameter is too long or malformed", call->now, ret);
	return false;
}

static bool is_date(const char *text)
{
	int32_t days;

	return !text || (strlen(text) == 10 && tz_parse_date(text, &days) == 0);
}

static bool is_status(const char *text)
{
	if (!text)
		return true;
	for (size_t i = 0; i < ARRAY_SIZE(statuses); i++)
		if (strcmp(text, statuses[i]) == 0)
			return true;
	return false;
}

/* Whether nip is staff of supervisor who; an unknown NIP is not (and looks the same). */
static bool is_own_staff(struct api *api, const struct db_admin *who, const char *nip)
{
	struct db_staff staff;

	return db_staff_get(api->db, nip, &staff) == 0 &&
	       strcmp(staff.supervisor_nip, who->nip) == 0;
}

static int append_entry(const struct db_activity *act, void *user)
{
	json_t *arr = user;

	if (json_array_size(arr) >= ACTIVITIES_MAX)
		return -E2BIG;
	return json_array_append_new(arr, activities_json(act)) < 0 ? -ENOMEM : 0;
}

/*
 * The listing arr (released here) as the employee page's activities table in
 * format (page_tables.h), audited as an export of the NIP (or unit) listed.
 */
static void reply_list_file(struct api *api, const struct api_call *call, const struct scope *sc,
			    const struct db_activity_query *q, json_t *arr,
			    enum discipline_format format, struct api_reply *ret)
{
	const char *target = q->nip ? q->nip : q->unit_id ? q->unit_id : "*";
	const char *from = q->from_date ? q->from_date : "", *to = q->to_date ? q->to_date : "";
	size_t len;
	char *data;
	int r;

	r = page_activities_table(arr, format, &data, &len);
	json_decref(arr);
	if (r == 0) {
		r = audit_call(api, call, sc, AUDIT_REPORT_EXPORT, target, "%s..%s activities %s",
			       from, to, discipline_extension(format));
		if (r < 0)
			free(data);
	}
	if (r < 0) {
		api_error(500, "cannot format the activities", call->now, ret);
		return;
	}
	api_reports_file(data, len, format, "kegiatan", from, to, q->nip ? q->nip : "", ret);
}

void api_activities_list(struct api *api, const struct api_call *call, struct api_reply *ret)
{
	char nip[RECORD_NIP_MAX], from[TZ_DATE_MAX], to[TZ_DATE_MAX], status[DB_STATUS_MAX],
	    unit[DB_UNIT_ID_MAX], history[4];
	struct db_activity_query q = {.nip = NULL};
	const char *hist = NULL;
	enum discipline_format format;
	struct db_admin who;
	struct scope sc;
	json_t *arr;
	int r;

	if (reviewer_of(api, call, &sc, &who, ret) < 0)
		return;
	if (!query_opt(call, "nip", nip, sizeof(nip), &q.nip, ret) ||
	    !query_opt(call, "from", from, sizeof(from), &q.from_date, ret) ||
	    !query_opt(call, "to", to, sizeof(to), &q.to_date, ret) ||
	    !query_opt(call, "status", status, sizeof(status), &q.status, ret) ||
	    !query_opt(call, "unit", unit, sizeof(unit), &q.unit_id, ret) ||
	    !query_opt(call, "history", history, sizeof(history), &hist, ret) ||
	    !api_query_format(call, &format, ret))
		return;
	if (!is_date(q.from_date) || !is_date(q.to_date)) {
		api_error(400, "from, to: YYYY-MM-DD", call->now, ret);
		return;
	}
	if (!is_status(q.status)) {
		api_error(400, "status: pending, approved, returned, refused or invalid", call->now,
			  ret);
		return;
	}
	q.has_history = hist && strcmp(hist, "1") == 0;
	if (strcmp(who.role, "supervisor") == 0) {
		q.supervisor_nip = who.nip;
		if (q.nip && !is_own_staff(api, &who, q.nip)) {
			api_error(403, "not one of your staff", call->now, ret);
			return;
		}
	}
	arr = json_array();
	r = arr ? db_activities(api->db, &q, append_entry, arr) : -ENOMEM;
	if (r < 0) {
		json_decref(arr);
		api_error(r == -E2BIG ? 413 : 500,
			  r == -E2BIG ? "too many entries; narrow from/to" : "storage error",
			  call->now, ret);
		return;
	}
	if (format == DISCIPLINE_JSON)
		api_reply_json(200, json_pack("{s:o}", "activities", arr), call->now, ret);
	else
		reply_list_file(api, call, &sc, &q, arr, format, ret);
}

/* An activity's error as a 400 (413 for size) naming the rule: {"error","code"}. */
static void activity_error(enum activity_error err, int64_t now, struct api_reply *ret)
{
	api_reply_json(err == ACTIVITY_ERR_TOO_BIG ? 413 : 400,
		       json_pack("{s:s,s:s}", "error", activity_strerror(err), "code",
				 activity_error_key(err)),
		       now, ret);
}

/*
 * The body of a web entry: "nip" and "date" beside what a kiosk screen posts
 * (activity_parse_input(), so both obey one decoder), with "supersedes"
 * naming an entry id (resolved by activities_add()). Checked by the payload
 * rules, except a withdrawal, which takes its fields from the entry it
 * withdraws.
 */
static int body_activity(json_t *body, struct activity *ret_act, const char **ret_nip,
			 enum activity_error *ret_err)
{
	const char *date = json_string_value(json_object_get(body, "date"));
	json_t *input;
	char *text;
	int r;

	*ret_nip = json_string_value(json_object_get(body, "nip"));
	if (!*ret_nip || !date) {
		*ret_err = ACTIVITY_ERR_MALFORMED;
		return -EBADMSG;
	}
	if (strlen(date) >= sizeof(ret_act->date)) {
		*ret_err = ACTIVITY_ERR_DATE;
		return -EBADMSG;
	}
	input = json_deep_copy(body);
	if (!input)
		return -ENOMEM;
	(void)json_object_del(input, "nip");
	(void)json_object_del(input, "date");
	text = json_dumps(input, JSON_COMPACT);
	json_decref(input);
	if (!text)
		return -ENOMEM;
	r = activity_parse_input(text, strlen(text), ret_act, ret_err);
	free(text);
	if (r < 0)
		return r;
	memcpy(ret_act->date, date, strlen(date) + 1);
	if (!ret_act->withdrawn && activity_validate(ret_act, ret_err) < 0)
		return -EBADMSG;
	return 0;
}

/* The HTTP status of an activities_add() or activities_review() error. */
static int status_of(int r, const struct db_admin *who)
{
	switch (r) {
	case -EACCES:
		return 403;
	case -ENOENT:
		/* A supervisor cannot tell someone else's entry from a missing one. */
		return strcmp(who->role, "supervisor") == 0 ? 403 : 404;
	case -ERANGE:
	case -EPERM:
	case -EINVAL:
		return 422;
	case -EALREADY:
		return 409;
	case -EBUSY:
		return 503;
	default:
		return 500;
	}
}

void api_activities_add(struct api *api, const struct api_call *call, struct api_reply *ret)
{
	struct activities_rules rules = {.require_tap = api->cfg->activities_require_tap};
	char reason[DB_REVIEW_MAX] = "";
	struct db_activity *entry = NULL;
	enum activity_error err;
	struct activity act;
	struct db_admin who;
	struct scope sc;
	const char *nip;
	json_t *body;
	int r;

	if (reviewer_of(api, call, &sc, &who, ret) < 0)
		return;
	body = api_parse_object(call->req, call->now, ret);
	if (!body)
		return;
	r = body_activity(body, &act, &nip, &err);
	if (r == -EBADMSG && err == ACTIVITY_ERR_MALFORMED) {
		api_error(
		    400,
		    "nip and date (strings) are required; plan, description, quantity, unit,"
		    " start, end, supersedes (an entry id) and withdrawn as a kiosk posts them",
		    call->now, ret);
		goto out_body;
	}
	if (r == -EBADMSG) {
		activity_error(err, call->now, ret);
		goto out_body;
	}
	entry = malloc(sizeof(*entry));
	r = r < 0 || !entry ? -ENOMEM
			    : activities_add(api->db, &rules, &who, nip, &act, call->now, entry,
					     reason, sizeof(reason));
	if (r < 0) {
		if (!reason[0] && r != -EBUSY)
			log_err("api: activity entry: %s", strerror(-r));
		/* Here -ENOENT is an unknown NIP in the body, not a missing entry. */
		api_error(r == -ENOENT ? 422 : status_of(r, &who),
			  reason[0] ? reason : "storage error", call->now, ret);
		goto out_body;
	}
	api_reply_json(201, activities_json(entry), call->now, ret);
out_body:
	free(entry);
	json_decref(body);
}

/* Approve or return the entry named by the route's "*". */
static void review(struct api *api, const struct api_call *call, bool is_approve,
		   struct api_reply *ret)
{
	struct db_activity *entry = NULL;
	const char *comment = NULL;
	json_t *body = NULL;
	struct db_admin who;
	struct scope sc;
	char *end;
	long long id;
	int r;

	if (reviewer_of(api, call, &sc, &who, ret) < 0)
		return;
	errno = 0;
	id = strtoll(call->params[0], &end, 10);
	if (*end || errno || id <= 0) {
		api_error(400, "an activity id is a positive integer", call->now, ret);
		return;
	}
	if (call->req->body_len > 0) {
		body = api_parse_object(call->req, call->now, ret);
		if (!body)
			return;
		comment = json_string_value(json_object_get(body, "comment"));
		if (json_object_get(body, "comment") && !comment) {
			api_error(400, "comment must be a string", call->now, ret);
			goto out_body;
		}
	}
	if (comment && strlen(comment) >= DB_REVIEW_MAX) {
		api_error(400, "comment is longer than 511 bytes", call->now, ret);
		goto out_body;
	}
	entry = malloc(sizeof(*entry));
	r = entry ? activities_review(api->db, &who, id, is_approve, comment, call->now, entry)
		  : -ENOMEM;
	if (r == -EINVAL)
		api_error(400, "returning an entry needs a comment", call->now, ret);
	else if (r == -ENOENT)
		api_error(status_of(r, &who), "no such activity in your scope", call->now, ret);
	else if (r == -EALREADY)
		api_error(409, "the entry is superseded, withdrawn, refused or invalid", call->now,
			  ret);
	else if (r < 0)
		api_error(status_of(r, &who),
			  r == -EACCES ? "your role may not review" : "storage error", call->now,
			  ret);
	else if (audit_call(api, call, &sc, is_approve ? AUDIT_APPROVE : AUDIT_RETURN,
			    call->params[0], "activity of %s on %s%s%s", entry->nip,
			    entry->act.date, comment ? ": " : "", comment ? comment : "") < 0)
		api_error(500, "storage error", call->now, ret);
	else
		api_reply_json(200, activities_json(entry), call->now, ret);
out_body:
	free(entry);
	json_decref(body);
}

void api_activities_approve(struct api *api, const struct api_call *call, struct api_reply *ret)
{
	review(api, call, true, ret);
}

void api_activities_return(struct api *api, const struct api_call *call, struct api_reply *ret)
{
	review(api, call, false, ret);
}

void api_activities_report(struct api *api, const struct api_call *call, struct api_reply *ret)
{
	char from[TZ_DATE_MAX], to[TZ_DATE_MAX], unit[DB_UNIT_ID_MAX], why[DISCIPLINE_WHY_MAX];
	struct recap_query q = {.unit_id = NULL};
	enum discipline_format format;
	int32_t day_from, day_to;
	struct db_admin who;
	struct scope sc;
	struct recap *rc;
	json_t *json;
	int r;

	if (reviewer_of(api, call, &sc, &who, ret) < 0)
		return;
	if (!query_opt(call, "from", from, sizeof(from), &q.from_date, ret) ||
	    !query_opt(call, "to", to, sizeof(to), &q.to_date, ret) ||
	    !query_opt(call, "unit", unit, sizeof(unit), &q.unit_id, ret))
		return;
	/* The discipline report's period and formats, so both reports take the same queries. */
	if (discipline_parse_period(q.from_date ? q.from_date : "", q.to_date ? q.to_date : "",
				    &day_from, &day_to, why) < 0) {
		api_error(400, why, call->now, ret);
		return;
	}
	if (!api_query_format(call, &format, ret))
		return;
	if (strcmp(who.role, "supervisor") == 0)
		q.supervisor_nip = who.nip;
	r = recap_run(api->db, &q, &rc);
	if (r < 0) {
		api_error(500, "storage error", call->now, ret);
		return;
	}
	if (format == DISCIPLINE_JSON) {
		r = recap_json(rc, &json);
		if (r == 0)
			api_reply_json(200, json, call->now, ret);
	} else {
		memset(ret, 0, sizeof(*ret));
		r = recap_table(rc, format == DISCIPLINE_CSV ? RECAP_CSV : RECAP_XLSX, &ret->body,
				&ret->body_len);
		ret->status = 200;
		ret->content_type = discipline_content_type(format);
		snprintf(ret->headers, sizeof(ret->headers),
			 "Content-Disposition: attachment; filename=\"kegiatan_%s_%s.%s\"\r\n",
			 q.from_date, q.to_date, discipline_extension(format));
	}
	recap_free(rc);
	if (r < 0)
		api_error(500, "out of memory", call->now, ret);
}
