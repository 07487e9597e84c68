// SPDX-License-Identifier: MIT
/* Routes: health, metrics, enrolment, record ingest, tap listing. */
#include "server/api.h"

#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <jansson.h>

#include "common/clk.h"
#include "common/log.h"
#include "common/record.h"
#include "common/tz.h"
#include "server/activities.h"
#include "server/api_activities.h"
#include "server/api_devices.h"
#include "server/api_overview.h"
#include "server/api_roster.h"
#include "server/api_templates.h"
#include "server/config.h"
#include "server/api_account.h"
#include "server/api_web.h"
#include "server/chain_audit.h"
#include "server/db.h"
#include "server/discipline.h"
#include "common/http.h"
#include "server/api_reports.h"
#include "server/ingest.h"
#include "server/metrics.h"
#include "server/scope.h"
#include "server/site.h"

#define JSON_TYPE "application/json"
#define TAPS_MAX  100000 /* rows in one GET /api/v1/taps reply */

void api_reply_done(struct api_reply *reply)
{
	FREE_AND_NULL(reply->body);
}

const char *api_reply_headers(const struct api_reply *reply)
{
	return reply->headers[0] ? reply->headers : reply->extra_headers;
}

void api_reply_json(int status, json_t *obj, int64_t now_usec, struct api_reply *ret)
{
	char *text = NULL;

	memset(ret, 0, sizeof(*ret));
	if (obj && json_object_set_new(obj, "server_time_usec", json_integer(now_usec)) == 0)
		text = json_dumps(obj, JSON_COMPACT);
	json_decref(obj);
	if (!text) {
		static const char oom[] = "{\"error\":\"out of memory\"}";

		ret->status = 500;
		ret->content_type = JSON_TYPE;
		ret->body = strdup(oom);
		ret->body_len = ret->body ? strlen(oom) : 0;
		return;
	}
	ret->status = status;
	ret->content_type = JSON_TYPE;
	ret->body = text;
	ret->body_len = strlen(text);
}

void api_error(int status, const char *msg, int64_t now_usec, struct api_reply *ret)
{
	api_reply_json(status, json_pack("{s:s}", "error", msg), now_usec, ret);
}

static void route_healthz(struct api *api, const struct api_call *call, struct api_reply *ret)
{
	(void)api;
	api_reply_json(200, json_pack("{s:s}", "status", "ok"), call->now, ret);
}

static void route_metrics(struct api *api, const struct api_call *call, struct api_reply *ret)
{
	int64_t now = call->now;
	char *text;
	size_t len;

	if (metrics_format(api->metrics, &text, &len) < 0) {
		api_error(500, "out of memory", now, ret);
		return;
	}
	memset(ret, 0, sizeof(*ret));
	ret->status = 200;
	ret->content_type = "text/plain; version=0.0.4";
	ret->body = text;
	ret->body_len = len;
}

json_t *api_parse_object(const struct http_request *req, int64_t now, struct api_reply *ret)
{
	json_error_t err;
	json_t *root;

	root = json_loadb(req->body ? req->body : "", req->body_len, JSON_REJECT_DUPLICATES, &err);
	if (!root || !json_is_object(root)) {
		json_decref(root);
		api_error(400, "body is not a JSON object", now, ret);
		return NULL;
	}
	return root;
}

static void route_enroll(struct api *api, const struct api_call *call, struct api_reply *ret)
{
	const struct http_request *req = call->req;
	int64_t now = call->now;
	const char *token, *csr;
	char *cert, *ca;
	size_t csr_len;
	json_t *root;
	int r;

	root = api_parse_object(req, now, ret);
	if (!root)
		return;
	token = json_string_value(json_object_get(root, "token"));
	csr = json_string_value(json_object_get(root, "csr"));
	if (!token || !csr) {
		json_decref(root);
		api_error(400, "token and csr (strings) are required", now, ret);
		return;
	}
	csr_len = json_string_length(json_object_get(root, "csr"));
	r = site_enroll(api->cfg, api->db, token, csr, csr_len, &cert, &ca);
	json_decref(root);
	if (r == -EACCES) {
		api_error(403, "enrolment token unknown, used or expired", now, ret);
		return;
	}
	if (r == -EBADMSG) {
		api_error(400, "csr is not a valid, self-signed PKCS#10 request (EC P-256)", now,
			  ret);
		return;
	}
	if (r < 0) {
		api_error(500, "enrolment failed", now, ret);
		return;
	}
	api->metrics->enrolments++;
	api_reply_json(200, json_pack("{s:s,s:s}", "certificate", cert, "ca", ca), now, ret);
	free(cert);
	free(ca);
}

int api_device_of(struct api *api, const struct api_peer *peer, int64_t now,
		  struct db_device *ret_dev, struct api_reply *ret)
{
	char fp[CRYPTO_SHA256_HEX];
	int r;

	if (!peer->has_cert) {
		api_error(401, "a device client certificate is required", now, ret);
		return -EACCES;
	}
	crypto_hex(peer->fingerprint, fp);
	r = db_device_by_fingerprint(api->db, fp, ret_dev);
	if (r == -ENOENT || (r == 0 && ret_dev->is_disabled)) {
		api_error(403, "device unknown or disabled", now, ret);
		return -EACCES;
	}
	if (r < 0) {
		api_error(500, "storage error", now, ret);
		return r;
	}
	return 0;
}

/* The batch's record of seq, or NULL. */
static const struct record *batch_record(const struct record_batch *batch, uint64_t seq)
{
	for (size_t i = 0; i < batch->n; i++)
		if (batch->recs[i].seq == seq)
			return &batch->recs[i];
	return NULL;
}

void api_records_decode(const char *body, size_t len, const uint8_t *cert, size_t cert_len,
			struct api_batch *ret)
{
	const struct record *rec;

	ret->why[0] = '\0';
	ret->head = API_HEAD_UNCHECKED;
	ret->r =
	    record_batch_decode(body ? body : "", len, &ret->batch, ret->why, sizeof(ret->why));
	if (ret->r == 0) {
		ret->r = record_batch_check_links(&ret->batch);
		if (ret->r < 0)
			record_batch_free(&ret->batch);
	}
	/* ECDSA costs a millisecond: here, off the loop, whenever the head's record came along. */
	if (ret->r == 0 && ret->batch.has_head && cert &&
	    (rec = batch_record(&ret->batch, ret->batch.head.seq))) {
		int r = record_head_verify(&ret->batch.head, rec->link, cert, cert_len);

		if (r == 0 || r == -EBADMSG)
			ret->head = r == 0 ? API_HEAD_VERIFIED : API_HEAD_REJECTED;
	}
}

/*
 * The batch's signed chain head, if one came: checked already off the loop
 * with the connection's certificate when its record came along, else here
 * with the certificate the device enrolled with. *ret_verified says it may
 * be kept. -EKEYREJECTED: the signature does not verify; -EBADMSG: it names
 * a record neither in the batch nor stored. A device enrolled before
 * certificates were kept has such heads ignored.
 */
static int check_head(struct api *api, const struct db_device *dev, const struct api_batch *b,
		      bool *ret_verified)
{
	const struct record_batch *batch = &b->batch;
	const struct record_head *head = &batch->head;
	uint8_t prev[CRYPTO_SHA256_LEN], link[CRYPTO_SHA256_LEN];
	const struct record *in_batch;
	int r;

	*ret_verified = b->head == API_HEAD_VERIFIED;
	if (!batch->has_head || b->head == API_HEAD_VERIFIED)
		return 0;
	if (b->head == API_HEAD_REJECTED)
		return -EKEYREJECTED;
	in_batch = batch_record(batch, head->seq);
	if (in_batch) {
		memcpy(link, in_batch->link, sizeof(link));
	} else {
		r = db_record_chain(api->db, dev->id, head->seq, prev, link);
		if (r < 0)
			return r == -ENOENT ? -EBADMSG : r;
	}
	r = chain_head_verify(api->db, dev->id, head, link);
	if (r == -ENOENT) {
		log_debug("api: device '%s' enrolled before certificates were kept: head ignored",
			  dev->name);
		return 0;
	}
	if (r == -EBADMSG)
		return -EKEYREJECTED;
	*ret_verified = r == 0;
	return r;
}

/* A head that does not verify: a tamper alert, and the batch refused (the kiosk keeps it). */
static void refuse_head(struct api *api, const struct db_device *dev, uint64_t seq, int64_t now,
			struct api_reply *ret)
{
	int r = db_alert_add(api->db, dev->id, seq, "signature",
			     "the chain head's signature does not verify with the device's "
			     "certificate",
			     now);

	log_warn("api: device '%s': the signature of its chain head at seq %" PRIu64
		 " does not verify; batch refused",
		 dev->name, seq);
	if (r > 0)
		api->metrics->tamper_alerts++;
	api_error(400, "chain head signature does not verify (a tamper alert is raised)", now, ret);
}

void api_records_store(struct api *api, const struct api_peer *peer, struct api_batch *b,
		       int64_t now, struct api_reply *ret)
{
	struct ingest_result res;
	struct db_device dev;
	bool head_verified;
	int r;

	if (api_device_of(api, peer, now, &dev, ret) < 0)
		goto out_free;
	if (b->r == -E2BIG) {
		api_error(413, b->why[0] ? b->why : "batch too large", now, ret);
		return;
	}
	if (b->r < 0) {
		api_error(b->r == -ENOMEM ? 500 : 400, b->why[0] ? b->why : "malformed batch", now,
			  ret);
		return;
	}
	r = check_head(api, &dev, b, &head_verified);
	if (r < 0) {
		if (r == -EKEYREJECTED)
			refuse_head(api, &dev, b->batch.head.seq, now, ret);
		else if (r == -EBADMSG)
			api_error(400, "head: names a record neither in the batch nor stored", now,
				  ret);
		else
			api_error(r == -EBUSY ? 503 : 500, "storage error; resend later", now, ret);
		goto out_free;
	}
	r = ingest_batch(
	    api->db, &dev, &b->batch,
	    &(struct activities_rules){.require_tap = api->cfg->activities_require_tap}, now, &res);
	/* After the records it vouches for: a head kept alone would vouch for nothing stored. */
	if (r == 0 && head_verified && db_device_set_head(api->db, dev.id, &b->batch.head) < 0)
		log_warn("api: device '%s': cannot keep its signed head", dev.name);
	record_batch_free(&b->batch);
	if (r == -EBADMSG) {
		api_error(400, "records must be in strictly ascending seq order", now, ret);
		return;
	}
	if (r < 0) {
		log_err("api: ingest for device '%s': %s", dev.name, strerror(-r));
		api_error(r == -EBUSY ? 503 : 500, "storage error; resend later", now, ret);
		return;
	}
	api->metrics->records_ingested += res.stored;
	api->metrics->records_duplicate += res.duplicates;
	api->metrics->tamper_alerts += res.alerts;
	api_reply_json(200,
		       json_pack("{s:I,s:I,s:I,s:I}", "acked_seq", (json_int_t)res.acked_seq,
				 "stored", (json_int_t)res.stored, "duplicates",
				 (json_int_t)res.duplicates, "alerts", (json_int_t)res.alerts),
		       now, ret);
	return;

out_free:
	if (b->r == 0)
		record_batch_free(&b->batch);
}

static void route_records(struct api *api, const struct api_call *call, struct api_reply *ret)
{
	struct api_batch b;

	api_records_decode(call->req->body, call->req->body_len, NULL, 0, &b);
	api_records_store(api, call->peer, &b, call->now, ret);
}

struct taps_out {
	json_t *arr;
	const struct scope *sc;
	char last_nip[RECORD_NIP_MAX]; /* taps come by time: one person's often follow */
	bool is_last_seen;
};

static int tap_to_json(const struct db_tap *t, void *user)
{
	char rec[CLK_ISO_MAX], cor[CLK_ISO_MAX];
	struct taps_out *out = user;
	json_t *arr = out->arr, *o;

	if (!scope_is_all(out->sc)) {
		if (strcmp(t->nip, out->last_nip) != 0) {
			snprintf(out->last_nip, sizeof(out->last_nip), "%s", t->nip);
			out->is_last_seen = scope_may_see_nip(out->sc, t->nip);
		}
		if (!out->is_last_seen)
			return 0;
	}
	if (json_array_size(arr) >= TAPS_MAX)
		return -E2BIG;
	clk_format_utc(t->wall_usec, rec);
	if (t->has_corrected)
		clk_format_utc(t->corrected_usec, cor);
	o = json_pack("{s:s,s:I,s:s,s:I,s:s?,s:o,s:b,s:s,s:s,s:s,s:s}", "device", t->device, "seq",
		      (json_int_t)t->seq, "recorded", rec, "recorded_usec",
		      (json_int_t)t->wall_usec, "corrected", t->has_corrected ? cor : NULL,
		      "corrected_usec",
		      t->has_corrected ? json_integer(t->corrected_usec) : json_null(),
		      "clock_trusted", t->clock_trusted, "nip", t->nip, "outcome", t->outcome,
		      "credential", t->credential, "direction", t->direction);
	if (!o || json_array_append_new(arr, o) < 0)
		return -ENOMEM;
	return 0;
}

int api_query_when(const char *query, const char *name, bool is_end, int64_t *ret_usec)
{
	char text[64];
	int r;

	r = http_query_get(query, name, text, sizeof(text));
	if (r == -ENOENT)
		return 0;
	return r < 0 ? r : clk_parse_day_or_instant(text, is_end, ret_usec);
}

bool api_query_text(const struct api_call *call, const char *name, char *buf, size_t size,
		    struct api_reply *ret)
{
	int r = http_query_get(call->req->query, name, buf, size);

	if (r == -ENOENT) {
		buf[0] = '\0';
		return true;
	}
	if (r < 0) {
		char msg[96];

		snprintf(msg, sizeof(msg), "%s: malformed or too long", name);
		api_error(400, msg, call->now, ret);
		return false;
	}
	return true;
}

bool api_query_period(const struct api_call *call, int32_t *ret_from, int32_t *ret_to,
		      struct api_reply *ret)
{
	char from[32], to[32], why[DISCIPLINE_WHY_MAX];

	if (!api_query_text(call, "from", from, sizeof(from), ret) ||
	    !api_query_text(call, "to", to, sizeof(to), ret))
		return false;
	if (discipline_parse_period(from, to, ret_from, ret_to, why) < 0) {
		api_error(400, why, call->now, ret);
		return false;
	}
	return true;
}

bool api_query_format(const struct api_call *call, enum discipline_format *ret_format,
		      struct api_reply *ret)
{
	char text[16];

	if (!api_query_text(call, "format", text, sizeof(text), ret))
		return false;
	if (discipline_parse_format(text, ret_format) < 0) {
		api_error(400, "format: json, csv or xlsx", call->now, ret);
		return false;
	}
	return true;
}

static void route_taps(struct api *api, const struct api_call *call, struct api_reply *ret)
{
	const struct http_request *req = call->req;
	int64_t now = call->now;
	struct db_tap_query q = {.from_usec = INT64_MIN, .to_usec = INT64_MAX};
	char nip[RECORD_NIP_MAX];
	struct taps_out out = {.last_nip = ""};
	struct scope sc;
	int r;

	if (scope_of_call(api, call, &sc, ret) < 0)
		return;
	r = http_query_get(req->query, "nip", nip, sizeof(nip));
	if (r == 0 && nip[0])
		q.nip = nip;
	if ((r < 0 && r != -ENOENT) ||
	    api_query_when(req->query, "from", false, &q.from_usec) < 0 ||
	    api_query_when(req->query, "to", true, &q.to_usec) < 0) {
		api_error(400, "nip, from, to: an NIP, YYYY-MM-DD or ISO 8601", now, ret);
		return;
	}
	if (q.nip && !scope_may_see_nip(&sc, q.nip)) {
		scope_deny(now, ret);
		return;
	}
	out.sc = &sc;
	out.arr = json_array();
	if (!out.arr) {
		api_error(500, "out of memory", now, ret);
		return;
	}
	r = db_taps(api->db, &q, tap_to_json, &out);
	if (r < 0) {
		json_decref(out.arr);
		api_error(r == -E2BIG ? 413 : 500,
			  r == -E2BIG ? "too many taps; narrow from/to" : "storage error", now,
			  ret);
		return;
	}
	api_reply_json(200, json_pack("{s:o}", "taps", out.arr), now, ret);
}

struct route {
	const char *pattern; /* "*" matches one path segment, captured in call->params */
	enum http_verb verb;
	api_route_fn *fn;
};

/* Keep sorted by pattern; one line per route. */
static const struct route routes[] = {
    {"/", HTTP_VERB_GET, api_web_index},
    {"/api/v1/activities", HTTP_VERB_GET, api_activities_list},
    {"/api/v1/activities", HTTP_VERB_POST, api_activities_add},
    {"/api/v1/activities/*/approve", HTTP_VERB_POST, api_activities_approve},
    {"/api/v1/activities/*/return", HTTP_VERB_POST, api_activities_return},
    {"/api/v1/audit", HTTP_VERB_GET, api_audit},
    {"/api/v1/devices", HTTP_VERB_GET, api_devices_list},
    {"/api/v1/employees/*/days", HTTP_VERB_GET, api_reports_days},
    {"/api/v1/enroll", HTTP_VERB_POST, route_enroll},
    {"/api/v1/login", HTTP_VERB_POST, api_login},
    {"/api/v1/logout", HTTP_VERB_POST, api_logout},
    {"/api/v1/me", HTTP_VERB_GET, api_me},
    {"/api/v1/overview", HTTP_VERB_GET, api_overview},
    {"/api/v1/records", HTTP_VERB_POST, route_records},
    {"/api/v1/reports/activities", HTTP_VERB_GET, api_activities_report},
    {"/api/v1/reports/discipline", HTTP_VERB_GET, api_reports_discipline},
    {"/api/v1/reports/units", HTTP_VERB_GET, api_reports_units},
    {"/api/v1/roster", HTTP_VERB_GET, api_roster_get},
    {"/api/v1/templates", HTTP_VERB_POST, api_templates_post},
    {"/api/v1/taps", HTTP_VERB_GET, route_taps},
    {"/healthz", HTTP_VERB_GET, route_healthz},
    {"/metrics", HTTP_VERB_GET, route_metrics},
    {"/web/*", HTTP_VERB_GET, api_web_file},
};

/* Match path against pattern, capturing "*" segments (non-empty, no '/'). */
static bool route_match(const char *pattern, const char *path, struct api_call *call)
{
	call->n_params = 0;
	while (*pattern && *path) {
		if (*pattern == '*') {
			size_t len = strcspn(path, "/");

			if (len == 0 || len >= API_PARAM_MAX || call->n_params >= API_PARAMS_MAX)
				return false;
			memcpy(call->params[call->n_params], path, len);
			call->params[call->n_params++][len] = '\0';
			pattern++;
			path += len;
		} else if (*pattern++ != *path++) {
			return false;
		}
	}
	return *pattern == '\0' && *path == '\0';
}

/*
 * Handlers that take long: the server runs them on its worker thread. A login
 * is there for Argon2 (a tenth of a second or more of one core, by design); a
 * roster for a kiosk without units holds every person of the site (seconds
 * at 100,000 staff), so rosters go there too.
 */
/* clang-format off */
static api_route_fn *const slow_routes[] = {
    api_login,
    api_activities_report,
    api_overview,
    api_reports_days,
    api_reports_discipline,
    api_reports_units,
    api_roster_get,
};
/* clang-format on */

bool api_is_slow(const struct http_request *req)
{
	enum http_verb verb = req->method == HTTP_VERB_HEAD ? HTTP_VERB_GET : req->method;
	struct api_call call;

	for (size_t i = 0; i < ARRAY_SIZE(routes); i++) {
		if (routes[i].verb != verb || !route_match(routes[i].pattern, req->path, &call))
			continue;
		for (size_t k = 0; k < ARRAY_SIZE(slow_routes); k++)
			if (routes[i].fn == slow_routes[k])
				return true;
		return false;
	}
	return false;
}

void api_handle(struct api *api, const struct api_peer *peer, const struct http_request *req,
		int64_t now_usec, struct api_reply *ret)
{
	struct api_call call = {.peer = peer, .req = req, .now = now_usec};
	enum http_verb verb = req->method == HTTP_VERB_HEAD ? HTTP_VERB_GET : req->method;
	const struct route *other_verb = NULL;

	for (size_t i = 0; i < ARRAY_SIZE(routes); i++) {
		if (!route_match(routes[i].pattern, req->path, &call))
			continue;
		if (routes[i].verb == verb) {
			routes[i].fn(api, &call, ret);
			return;
		}
		other_verb = &routes[i];
	}
	if (!other_verb) {
		api_error(404, "no such route", now_usec, ret);
		return;
	}
	api_error(405, "method not allowed", now_usec, ret);
	ret->extra_headers =
	    other_verb->verb == HTTP_VERB_GET ? "Allow: GET, HEAD\r\n" : "Allow: POST\r\n";
}
