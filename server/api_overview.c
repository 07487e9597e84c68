// SPDX-License-Identifier: MIT
/* The overview route: scope and period, overview_get(), then JSON or the page's table. */
#include "server/api_overview.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "common/tz.h"
#include "server/audit.h"
#include "server/config.h"
#include "server/devices.h"
#include "server/discipline.h"
#include "server/overview.h"
#include "server/report.h"
#include "server/scope.h"
#include "server/xlsx.h"

/* The overview page's table (server/web/overview.js), column for column. */
static const char *const table_header[] = {
    "Unit",	     "Nama Unit",	 "Pegawai",
    "Kepatuhan (%)", "Terlambat (hari)", "Pulang Cepat (hari)",
    "TK (hari)",     "Potongan (Rp)",	 "Pada/Lewat Ambang Sanksi",
    "Kios",	     "Kios Tak Sinkron", "Peringatan Manipulasi",
};

/*
 * A unit's kiosks as they are now (not over the period): how many are
 * assigned to it, how many have not synced within [dashboard] stale_after,
 * and their tamper alerts. A kiosk without units serves every unit and is
 * counted in none (the overview's kiosk section lists it).
 */
struct unit_kiosks {
	int64_t kiosks, stale, alerts;
};

/* What the table's rows are made of. */
struct table {
	const struct overview_unit *units;
	const struct unit_kiosks *kiosks;
};

static struct report_cell int_cell(int64_t v)
{
	return (struct report_cell){.kind = REPORT_CELL_INT, .value = v};
}

static void row_cells(const void *user, size_t i, struct report_cell *cells)
{
	const struct table *t = user;
	const struct overview_unit *u = &t->units[i];
	size_t n = 0;

	cells[n++] = (struct report_cell){.kind = REPORT_CELL_TEXT, .text = u->unit_id};
	cells[n++] = (struct report_cell){.kind = REPORT_CELL_TEXT, .text = u->name};
	cells[n++] = int_cell(u->staff);
	cells[n++] = u->working_days > 0
			 ? (struct report_cell){.kind = REPORT_CELL_BP,
						.value = u->on_time_days * 10000 / u->working_days}
			 : (struct report_cell){.kind = REPORT_CELL_TEXT, .text = ""};
	cells[n++] = int_cell(u->late_days);
	cells[n++] = int_cell(u->early_days);
	cells[n++] = int_cell(u->tk_days);
	cells[n++] = (struct report_cell){.kind = REPORT_CELL_RUPIAH, .value = u->deduction};
	cells[n++] = int_cell(u->at_threshold);
	cells[n++] = int_cell(t->kiosks[i].kiosks);
	cells[n++] = int_cell(t->kiosks[i].stale);
	cells[n++] = int_cell(t->kiosks[i].alerts);
}

static int cmp_unit_id(const void *key, const void *unit)
{
	return strcmp(key, ((const struct overview_unit *)unit)->unit_id);
}

/* Counting one kiosk into the units of an answer it is assigned to. */
struct kiosk_count {
	struct db *db;
	const struct overview_result *res;
	struct unit_kiosks *counts;
	int64_t stale_after_usec, now_usec;
	const struct db_device_health *dh; /* the kiosk at hand */
	bool is_stale;
};

static int count_unit(const struct db_unit *unit, void *user)
{
	struct kiosk_count *kc = user;
	const struct overview_unit *u = bsearch(unit->unit_id, kc->res->units, kc->res->n_units,
						sizeof(*kc->res->units), cmp_unit_id);
	struct unit_kiosks *c;

	/* Only units of the answer: the caller's scope already chose them. */
	if (!u)
		return 0;
	c = &kc->counts[u - kc->res->units];
	c->kiosks++;
	c->stale += kc->is_stale;
	c->alerts += kc->dh->alerts;
	return 0;
}

static int count_kiosk(const struct db_device_health *dh, void *user)
{
	struct kiosk_count *kc = user;

	if (!devices_is_kiosk(dh))
		return 0;
	kc->dh = dh;
	kc->is_stale = devices_is_stale(dh, kc->stale_after_usec, kc->now_usec);
	return db_device_units(kc->db, dh->dev.id, count_unit, kc);
}

static json_t *rate_json(int64_t on_time, int64_t working)
{
	double rate = overview_rate(on_time, working);

	return rate < 0 ? json_null() : json_real(rate);
}

static json_t *date_json(int32_t day)
{
	char text[TZ_DATE_MAX];

	tz_format_date(day, text);
	return json_string(text);
}

static json_t *result_json(const struct overview_result *res, const struct unit_kiosks *kiosks,
			   int64_t now)
{
	json_t *units = json_array(), *daily = json_array();

	for (size_t i = 0; units && i < res->n_units; i++) {
		const struct overview_unit *u = &res->units[i];

		if (json_array_append_new(
			units,
			json_pack("{s:s,s:s,s:I,s:I,s:I,s:o,s:I,s:I,s:I,s:I,s:I,s:I,s:I,s:I}",
				  "unit_id", u->unit_id, "name", u->name, "staff",
				  (json_int_t)u->staff, "working_days", (json_int_t)u->working_days,
				  "on_time_days", (json_int_t)u->on_time_days, "compliance",
				  rate_json(u->on_time_days, u->working_days), "late",
				  (json_int_t)u->late_days, "early", (json_int_t)u->early_days,
				  "tk_days", (json_int_t)u->tk_days, "deduction",
				  (json_int_t)u->deduction, "at_threshold",
				  (json_int_t)u->at_threshold, "kiosks",
				  (json_int_t)kiosks[i].kiosks, "kiosks_stale",
				  (json_int_t)kiosks[i].stale, "alerts",
				  (json_int_t)kiosks[i].alerts)) < 0)
			goto out_fail;
	}
	for (int32_t day = res->from; daily && day <= res->to; day++) {
		const struct overview_day *d = &res->days[day - res->from];

		if (json_array_append_new(
			daily, json_pack("{s:o,s:I,s:I,s:o}", "date", date_json(day), "working",
					 (json_int_t)d->working, "on_time", (json_int_t)d->on_time,
					 "rate", rate_json(d->on_time, d->working))) < 0)
			goto out_fail;
	}
	if (!units || !daily)
		goto out_fail;
	return json_pack("{s:o,s:o,s:I,s:o,s:o,s:I}", "from", date_json(res->from), "to",
			 date_json(res->to), "computed_usec", (json_int_t)res->computed_usec,
			 "units", units, "daily", daily, "server_time_usec", (json_int_t)now);

out_fail:
	json_decref(units);
	json_decref(daily);
	return NULL;
}

/* The answer's bytes in a format; 0 or a negative errno. */
static int format_result(const struct overview_result *res, const struct unit_kiosks *kiosks,
			 enum discipline_format format, int64_t now, char **ret_data,
			 size_t *ret_len)
{
	const struct table table = {.units = res->units, .kiosks = kiosks};
	json_t *root;
	int r;

	if (format == DISCIPLINE_CSV)
		return report_csv_table(table_header, ARRAY_SIZE(table_header), res->n_units,
					row_cells, &table, ret_data, ret_len);
	if (format == DISCIPLINE_XLSX)
		return xlsx_table("Ringkasan", table_header, ARRAY_SIZE(table_header), res->n_units,
				  row_cells, &table, ret_data, ret_len);
	root = result_json(res, kiosks, now);
	if (!root)
		return -ENOMEM;
	/* report_dumps(): rates print as 0.95, not 0.94999999999999996. */
	r = report_dumps(root, ret_data);
	json_decref(root);
	if (r == 0)
		*ret_len = strlen(*ret_data);
	return r;
}

/* The caller's scope, and the one unit asked for ("": any). */
struct filter {
	struct scope sc;
	char unit[DB_UNIT_ID_MAX];
};

static bool sees_unit(const char *unit_id, void *arg)
{
	const struct filter *f = arg;

	return (!f->unit[0] || strcmp(f->unit, unit_id) == 0) &&
	       scope_may_see_unit(&f->sc, unit_id);
}

static bool keeps_staff(const char *nip, const char *unit_id, const char *supervisor_nip, void *arg)
{
	struct filter *f = arg;

	return scope_keeps(nip, unit_id, supervisor_nip, &f->sc);
}

/* The unit an answer is about, as reports name it in the audit log: "*" for several. */
static const char *audit_target(const struct filter *f)
{
	if (f->unit[0])
		return f->unit;
	return f->sc.role == SCOPE_UNIT_ADMIN && f->sc.n_units == 1 ? f->sc.units[0] : "*";
}

void api_overview(struct api *api, const struct api_call *call, struct api_reply *ret)
{
	char from[TZ_DATE_MAX], to[TZ_DATE_MAX], why[DISCIPLINE_WHY_MAX];
	struct overview_query q = {.unit_ok = sees_unit};
	struct overview_result res;
	struct unit_kiosks *kiosks;
	struct kiosk_count kc;
	enum discipline_format format;
	int64_t now = call->now;
	struct filter f;
	size_t len = 0;
	char *data = NULL;
	int r;

	if (scope_of_call(api, call, &f.sc, ret) < 0)
		return;
	if (!api_query_period(call, &q.from, &q.to, ret) ||
	    !api_query_text(call, "unit", f.unit, sizeof(f.unit), ret) ||
	    !api_query_format(call, &format, ret))
		return;
	if (f.unit[0] && !scope_may_see_unit(&f.sc, f.unit)) {
		scope_deny(now, ret);
		return;
	}
	q.arg = &f;
	/* Whole units for those who see them; the others' people only, evaluated afresh. */
	if (f.sc.role != SCOPE_SUPERADMIN && f.sc.role != SCOPE_UNIT_ADMIN)
		q.keep = keeps_staff;
	r = overview_get(api->overview, api->db, api->cfg->profiles, &q, now, &res, why);
	if (r < 0) {
		api_error(500, r == -EINVAL && why[0] ? why : "cannot compute the overview", now,
			  ret);
		return;
	}
	if (f.unit[0] && res.n_units == 0) {
		overview_result_done(&res);
		api_error(404, "unit unknown (unit tidak dikenal)", now, ret);
		return;
	}
	kiosks = calloc(res.n_units ? res.n_units : 1, sizeof(*kiosks));
	kc = (struct kiosk_count){.db = api->db,
				  .res = &res,
				  .counts = kiosks,
				  .stale_after_usec = api->cfg->stale_after_ms * 1000,
				  .now_usec = now};
	r = kiosks ? db_device_health(api->db, count_kiosk, &kc) : -ENOMEM;
	if (r == 0)
		r = format_result(&res, kiosks, format, now, &data, &len);
	free(kiosks);
	overview_result_done(&res);
	tz_format_date(q.from, from);
	tz_format_date(q.to, to);
	/* Shown only once the audit log holds it. */
	if (r == 0)
		r = audit_call(api, call, &f.sc,
			       format == DISCIPLINE_JSON ? AUDIT_REPORT_VIEW : AUDIT_REPORT_EXPORT,
			       audit_target(&f), "%s..%s overview %s", from, to,
			       discipline_extension(format));
	if (r < 0) {
		free(data);
		api_error(500, "cannot answer with the overview", now, ret);
		return;
	}
	*ret = (struct api_reply){.status = 200,
				  .content_type = discipline_content_type(format),
				  .body = data,
				  .body_len = len};
	/* The dates are checked YYYY-MM-DD: safe in a file name as they are. */
	if (format != DISCIPLINE_JSON)
		snprintf(
		    ret->headers, sizeof(ret->headers),
		    "Content-Disposition: attachment; filename=\"ringkasan_unit_%s_%s.%s\"\r\n",
		    from, to, discipline_extension(format));
}
