// SPDX-License-Identifier: MIT
/* The audit log: appending from API calls and commands, and exporting. */
#include "server/audit.h"

#include <errno.h>
#include <pwd.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include <csv.h>
#include <jansson.h>

#include "common/clk.h"
#include "common/log.h"
#include "server/api.h"
#include "server/scope.h"

static int append(struct db *db, int64_t now, const char *actor, const char *action,
		  const char *target, const char *source, const char *detail_fmt, va_list ap)
{
	struct db_audit e = {.time_usec = now};
	int r;

	snprintf(e.actor, sizeof(e.actor), "%s", actor);
	snprintf(e.action, sizeof(e.action), "%s", action);
	snprintf(e.target, sizeof(e.target), "%s", target);
	snprintf(e.source, sizeof(e.source), "%s", source);
	(void)vsnprintf(e.detail, sizeof(e.detail), detail_fmt, ap);
	r = db_audit_add(db, &e);
	if (r < 0)
		log_err("audit: cannot log %s by %s on '%s': %s", action, actor, target,
			strerror(-r));
	return r;
}

int audit_call(struct api *api, const struct api_call *call, const struct scope *sc,
	       const char *action, const char *target, const char *detail_fmt, ...)
{
	va_list ap;
	int r;

	va_start(ap, detail_fmt);
	r = append(api->db, call->now, sc ? sc->actor : "anonymous", action, target,
		   call->peer->addr, detail_fmt, ap);
	va_end(ap);
	return r;
}

int audit_cli(struct db *db, const char *action, const char *target, const char *detail_fmt, ...)
{
	const char *login = getenv("SUDO_USER");
	const struct passwd *pw;
	char actor[DB_ACTOR_MAX];
	va_list ap;
	int r;

	/* Whoever ran it: through sudo, the person behind it. */
	if (!login || !login[0]) {
		pw = getpwuid(geteuid());
		login = pw ? pw->pw_name : "?";
	}
	snprintf(actor, sizeof(actor), "cli:%s", login);
	va_start(ap, detail_fmt);
	r = append(db, clk_wall_usec(), actor, action, target, "cli", detail_fmt, ap);
	va_end(ap);
	return r;
}

struct export
{
	enum audit_format format;
	FILE *out;
	size_t n;
};

static int export_csv(FILE *out, const struct db_audit *e, const char *when)
{
	char id[24];
	const char *fields[] = {id, when, e->actor, e->action, e->target, e->detail, e->source};

	snprintf(id, sizeof(id), "%lld", (long long)e->id);
	for (size_t i = 0; i < ARRAY_SIZE(fields); i++) {
		if (i > 0 && fputc(',', out) == EOF)
			return -EIO;
		if (csv_fwrite(out, fields[i], strlen(fields[i])) != 0)
			return -EIO;
	}
	return fputs("\r\n", out) == EOF ? -EIO : 0;
}

static int export_one(const struct db_audit *e, void *arg)
{
	struct export *x = arg;
	char when[CLK_ISO_MAX];
	json_t *o;
	int r;

	if (x->n >= AUDIT_EXPORT_MAX)
		return -E2BIG;
	clk_format_utc(e->time_usec, when);
	if (x->format == AUDIT_CSV) {
		r = export_csv(x->out, e, when);
	} else {
		o = json_pack("{s:I,s:s,s:I,s:s,s:s,s:s,s:s,s:s}", "id", (json_int_t)e->id, "time",
			      when, "time_usec", (json_int_t)e->time_usec, "actor", e->actor,
			      "action", e->action, "target", e->target, "detail", e->detail,
			      "source", e->source);
		if (!o)
			return -ENOMEM;
		r = (x->n > 0 && fputc(',', x->out) == EOF) ||
			    json_dumpf(o, x->out, JSON_COMPACT | JSON_ENSURE_ASCII) < 0
			? -EIO
			: 0;
		json_decref(o);
	}
	x->n++;
	return r;
}

int audit_export(struct db *db, const struct db_audit_query *q, enum audit_format format,
		 int64_t server_time_usec, FILE *out)
{
	struct export x = {.format = format, .out = out};
	int r;

	if (format == AUDIT_CSV)
		r = fputs("id,time,actor,action,target,detail,source\r\n", out) == EOF ? -EIO : 0;
	else
		r = fputs("{\"entries\":[", out) == EOF ? -EIO : 0;
	if (r == 0)
		r = db_audit(db, q, export_one, &x);
	if (r == 0 && format == AUDIT_JSON) {
		if (server_time_usec)
			r = fprintf(out, "],\"server_time_usec\":%lld}\n",
				    (long long)server_time_usec) < 0;
		else
			r = fputs("]}\n", out) == EOF;
		r = r ? -EIO : 0;
	}
	if (r == 0 && fflush(out) != 0)
		r = -EIO;
	return r;
}
