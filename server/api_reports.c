// SPDX-License-Identifier: MIT
/* Report routes: argument checks, then discipline.c, then the reply in the asked format. */
#include "server/api_reports.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "common/http.h"
#include "common/log.h"
#include "common/record.h"
#include "common/tz.h"
#include "server/audit.h"
#include "server/config.h"
#include "server/db.h"
#include "server/discipline.h"
#include "server/page_tables.h"
#include "server/report.h"
#include "server/scope.h"

#define ID_MAX 64

static void discipline_error(int r, const char *why, int64_t now, struct api_reply *ret)
{
	if (r == -ENOENT)
		api_error(404, why[0] ? why : "not found", now, ret);
	else if (r == -EINVAL)
		api_error(500, why[0] ? why : "stored data refused", now, ret);
	else
		api_error(500, r == -ENOMEM ? "out of memory" : "storage error", now, ret);
}

/* JSON through report_dumps(): percentages print as 4.75, not 4.7499999999999991. */
static void reply_report_json(json_t *root, int64_t now, struct api_reply *ret)
{
	char *text = NULL;

	if (json_object_set_new(root, "server_time_usec", json_integer(now)) < 0 ||
	    report_dumps(root, &text) < 0) {
		json_decref(root);
		api_error(500, "out of memory", now, ret);
		return;
	}
	json_decref(root);
	memset(ret, 0, sizeof(*ret));
	ret->status = 200;
	ret->content_type = "application/json";
	ret->body = text;
	ret->body_len = strlen(text);
}

/* A file name of safe characters: BASE_FROM_TO[_UNIT].EXT */
static void set_disposition(struct api_reply *ret, const char *base, const char *from,
			    const char *to, const char *unit, const char *ext)
{
	char name[160];
	int n;

	n = snprintf(name, sizeof(name), "%s_%s_%s%s%s.%s", base, from, to, unit[0] ? "_" : "",
		     unit, ext);
	for (int i = 0; i < n && i < (int)sizeof(name) - 1; i++) {
		char ch = name[i];

		if (!((ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z') ||
		      (ch >= '0' && ch <= '9') || ch == '.' || ch == '_' || ch == '-'))
			name[i] = '_';
	}
	snprintf(ret->headers, sizeof(ret->headers),
		 "Content-Disposition: attachment; filename=\"%s\"\r\n", name);
}

/*
 * The discipline report's view (view.h: q, sort, order) and its columns
 * ("all", the default, or "page": the unit page's); false after a 400.
 */
static bool query_view(const struct api_call *call, struct view *ret_view,
		       enum discipline_report *ret_report, struct api_reply *ret)
{
	char q[VIEW_Q_MAX + 1], sort[16], order[8], columns[8], why[VIEW_WHY_MAX];

	if (!api_query_text(call, "q", q, sizeof(q), ret) ||
	    !api_query_text(call, "sort", sort, sizeof(sort), ret) ||
	    !api_query_text(call, "order", order, sizeof(order), ret) ||
	    !api_query_text(call, "columns", columns, sizeof(columns), ret))
		return false;
	if (view_parse(q, sort, order, ret_view, why) < 0) {
		api_error(400, why, call->now, ret);
		return false;
	}
	if (columns[0] && strcmp(columns, "all") != 0 && strcmp(columns, "page") != 0) {
		api_error(400, "columns: all or page", call->now, ret);
		return false;
	}
	*ret_report = strcmp(columns, "page") == 0 ? DISCIPLINE_PAGE : DISCIPLINE_EMPLOYEES;
	return true;
}

/*
 * The members an HTTP reply adds to the report's JSON: the server time, and
 * for one unit its name (the unit page's heading).
 */
static json_t *reply_extra(const struct discipline *d, const char *unit, int64_t now)
{
	const struct report_unit *units;
	size_t n;

	units = discipline_units(d, &n);
	if (unit[0] && n == 1)
		return json_pack("{s:I,s:s?}", "server_time_usec", (json_int_t)now, "unit_name",
				 units[0].name);
	return json_pack("{s:I}", "server_time_usec", (json_int_t)now);
}

void api_reports_file(char *data, size_t len, enum discipline_format format, const char *base,
		      const char *from, const char *to, const char *name, struct api_reply *ret)
{
	memset(ret, 0, sizeof(*ret));
	ret->status = 200;
	ret->content_type = discipline_content_type(format);
	ret->body = data;
	ret->body_len = len;
	if (format != DISCIPLINE_JSON)
		set_disposition(ret, base, from, to, name, discipline_extension(format));
}

/* Both reports: one evaluation (discipline_run()), then the report asked for in its format. */
static void reply_report(struct api *api, const struct api_call *call,
			 enum discipline_report report, struct api_reply *ret)
{
	char unit[ID_MAX], from[TZ_DATE_MAX], to[TZ_DATE_MAX];
	char why[DISCIPLINE_WHY_MAX] = "";
	struct discipline_query q = {.unit_id = NULL};
	struct view view;
	struct scope sc;
	enum discipline_format format;
	struct discipline *d = NULL;
	int64_t now = call->now;
	json_t *extra;
	size_t len;
	char *data;
	int r;

	if (scope_of_call(api, call, &sc, ret) < 0)
		return;
	if (!api_query_period(call, &q.from, &q.to, ret) ||
	    !api_query_text(call, "unit", unit, sizeof(unit), ret) ||
	    !api_query_format(call, &format, ret))
		return;
	if (report == DISCIPLINE_EMPLOYEES) {
		if (!query_view(call, &view, &report, ret))
			return;
		q.view = &view;
	}
	/*
	 * Reports name the units evaluated (summaries, the XLSX notes sheet): a
	 * unit admin's is their unit; unit summaries are of one whole unit only.
	 */
	if (!unit[0] && sc.role == SCOPE_UNIT_ADMIN && sc.n_units == 1)
		snprintf(unit, sizeof(unit), "%s", sc.units[0]);
	if (report == DISCIPLINE_UNITS && !unit[0] && sc.role == SCOPE_UNIT_ADMIN) {
		api_error(400, "unit: one of your units", now, ret);
		return;
	}
	if ((unit[0] || report == DISCIPLINE_UNITS) && !scope_may_see_unit(&sc, unit)) {
		scope_deny(now, ret);
		return;
	}
	q.unit_id = unit;
	if (!unit[0] && !scope_is_all(&sc)) {
		q.keep = scope_keeps;
		q.keep_arg = &sc;
	}
	r = discipline_run(api->db, api->cfg->profiles, &q, &d, why);
	if (r < 0) {
		discipline_error(r, why, now, ret);
		return;
	}
	extra = reply_extra(d, unit, now);
	r = extra ? discipline_format(d, report, format, extra, &data, &len) : -ENOMEM;
	json_decref(extra);
	discipline_free(d);
	tz_format_date(q.from, from);
	tz_format_date(q.to, to);
	if (r == 0) {
		r = audit_call(api, call, &sc,
			       format == DISCIPLINE_JSON ? AUDIT_REPORT_VIEW : AUDIT_REPORT_EXPORT,
			       unit[0] ? unit : "*", "%s..%s %s%s%s%s", from, to,
			       report == DISCIPLINE_UNITS ? "units " : "",
			       discipline_extension(format),
			       report == DISCIPLINE_PAGE ? " columns=page" : "",
			       q.view ? view_describe(&view, why, sizeof(why)) : "");
		if (r < 0)
			free(data);
	}
	if (r < 0) {
		api_error(500, "cannot format the report", now, ret);
		return;
	}
	api_reports_file(data, len, format, report == DISCIPLINE_UNITS ? "ringkasan" : "disiplin",
			 from, to, unit, ret);
}

void api_reports_discipline(struct api *api, const struct api_call *call, struct api_reply *ret)
{
	reply_report(api, call, DISCIPLINE_EMPLOYEES, ret);
}

void api_reports_units(struct api *api, const struct api_call *call, struct api_reply *ret)
{
	reply_report(api, call, DISCIPLINE_UNITS, ret);
}

void api_reports_days(struct api *api, const struct api_call *call, struct api_reply *ret)
{
	char why[DISCIPLINE_WHY_MAX] = "", from[TZ_DATE_MAX], to[TZ_DATE_MAX];
	struct discipline_query q = {.nip = call->params[0]};
	enum discipline_format format;
	int64_t now = call->now;
	json_t *root = NULL;
	struct scope sc;
	size_t len;
	char *data;
	int r;

	if (scope_of_call(api, call, &sc, ret) < 0)
		return;
	if (!api_query_period(call, &q.from, &q.to, ret) || !api_query_format(call, &format, ret))
		return;
	if (!scope_may_see_nip(&sc, q.nip)) {
		scope_deny(now, ret);
		return;
	}
	r = discipline_explain(api->db, api->cfg->profiles, &q, &root, why);
	if (r < 0) {
		discipline_error(r, why, now, ret);
		return;
	}
	tz_format_date(q.from, from);
	tz_format_date(q.to, to);
	if (format == DISCIPLINE_JSON) {
		if (audit_call(api, call, &sc, AUDIT_REPORT_VIEW, q.nip, "%s..%s days", from, to) <
		    0) {
			json_decref(root);
			api_error(500, "storage error", now, ret);
			return;
		}
		reply_report_json(root, now, ret);
		return;
	}
	r = page_days_table(root, format, &data, &len);
	json_decref(root);
	if (r == 0) {
		r = audit_call(api, call, &sc, AUDIT_REPORT_EXPORT, q.nip, "%s..%s days %s", from,
			       to, discipline_extension(format));
		if (r < 0)
			free(data);
	}
	if (r < 0) {
		api_error(500, "cannot format the days", now, ret);
		return;
	}
	api_reports_file(data, len, format, "harian", from, to, q.nip, ret);
}
