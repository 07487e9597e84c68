/* SPDX-License-Identifier: MIT */
/*
 * The collector's HTTP routes, over a parsed request; no I/O. Every reply
 * carries the server time (the X-Hadir-Time header from the writer, and
 * "server_time_usec" in JSON bodies); errors are {"error":"..."}.
 *
 *   GET  /healthz          liveness
 *   GET  /metrics          Prometheus text
 *   POST /api/v1/enroll    {"token","csr"} -> {"certificate","ca"}
 *   POST /api/v1/records   batch (common/record.h) -> {"acked_seq",...}; device certificate
 *   GET  /api/v1/taps      ?nip=&from=&to=; scoped (scope.h): a bearer token or a login
 *   GET  /api/v1/reports/discipline, /api/v1/employees/NIP/days: api_reports.h
 *   POST /api/v1/templates fingerprint templates from kiosks (api_templates.h)
 *   login, logout, me, audit: api_account.h; the dashboard's files: api_web.h
 *   /api/v1/activities…, /api/v1/reports/activities: api_activities.h
 *   GET  /api/v1/devices   kiosks' sync, health and tamper alerts: api_devices.h
 *   GET  /api/v1/overview  the dashboard's overview (api_overview.h)
 */
#ifndef HADIR_SERVER_API_H
#define HADIR_SERVER_API_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "common/crypto.h"
#include "common/record.h"
#include "server/discipline.h"

struct config;
struct db;
struct db_admin;
struct db_device;
struct json_t;
struct http_request;
struct metrics;
struct overview;
struct throttle;
struct vault;

struct api {
	const struct config *cfg;
	struct db *db;
	struct metrics *metrics;
	struct vault *vault;	   /* NULL: no template key, fingerprints are not shared */
	struct overview *overview; /* the overview's cache (overview.h), or NULL: none */
	struct throttle *throttle; /* failed logins per address (throttle.h), or NULL: none */
};

#define API_ADDR_MAX 64

/* Who is asking, as TLS established it. */
struct api_peer {
	bool has_cert; /* a client certificate verified against the device CA */
	uint8_t fingerprint[CRYPTO_SHA256_LEN];
	char addr[API_ADDR_MAX]; /* the client's IP address, for the audit log */
};

#define API_HEADERS_MAX 256
#define API_ETAG_MAX	80

struct api_reply {
	int status;
	const char *content_type;
	char *body; /* owned; freed by ::api_reply_done */
	size_t body_len;
	const char *extra_headers;     /* static text */
	char headers[API_HEADERS_MAX]; /* this reply's own "Name: value\r\n" lines, or "" */
	char etag[API_ETAG_MAX];       /* quoted entity tag for an ETag header, or "" */
};

#define API_PARAMS_MAX 2
#define API_PARAM_MAX  64

/* One request as a route handler sees it. */
struct api_call {
	const struct api_peer *peer;
	const struct http_request *req;
	int64_t now;				    /* CLOCK_REALTIME, usec */
	char params[API_PARAMS_MAX][API_PARAM_MAX]; /* the "*" segments of the route pattern */
	size_t n_params;
};

/*
 * A route handler: always fills ret. Routes live in api.c's table (one line
 * each); handlers of a feature live in that feature's api_*.c file.
 */
typedef void api_route_fn(struct api *api, const struct api_call *call, struct api_reply *ret);

/* Answer req. Always fills ret (a 500 when something inside failed). */
void api_handle(struct api *api, const struct api_peer *peer, const struct http_request *req,
		int64_t now_usec, struct api_reply *ret);

/*
 * POST /api/v1/records in two halves, so the server can decode off its loop
 * thread. A decoded batch, or why it could not be.
 */
enum api_head_check {
	API_HEAD_UNCHECKED, /* none came, or its record was not in the batch: the loop checks */
	API_HEAD_VERIFIED,  /* with the connection's client certificate */
	API_HEAD_REJECTED,
};

struct api_batch {
	struct record_batch batch; /* valid when r is 0 */
	int r;			   /* 0, or record_batch_decode's error */
	char why[160];		   /* the reason for the client, when r < 0 */
	enum api_head_check head;
};
/*
 * Decode and hash a batch body and, with the client certificate (DER; NULL:
 * leave it to api_records_store), verify its signed head when the record it
 * names is in the batch. Touches nothing but its arguments: any thread.
 */
void api_records_decode(const char *body, size_t len, const uint8_t *cert, size_t cert_len,
			struct api_batch *ret);
/* Authorize peer, store the batch (freed here) and fill ret; the loop thread. */
void api_records_store(struct api *api, const struct api_peer *peer, struct api_batch *b,
		       int64_t now, struct api_reply *ret);

/* A JSON error reply {"error":msg,"server_time_usec":now}. */
void api_error(int status, const char *msg, int64_t now_usec, struct api_reply *ret);

void api_reply_done(struct api_reply *reply);

/*
 * True when req's route may take seconds (a report): the server then answers
 * it with api_handle() on its worker thread, with a database of that thread.
 */
bool api_is_slow(const struct http_request *req);

/* The header lines to send with reply: its own when set, else its static ones, or NULL. */
const char *api_reply_headers(const struct api_reply *reply);

/*
 * Helpers for route handlers. Each that can fail fills ret with the error reply.
 * Who a person or script is, and what they may see: scope_of_call() (scope.h).
 */

/* Reply with obj (reference stolen), adding "server_time_usec"; a 500 if obj is NULL. */
void api_reply_json(int status, struct json_t *obj, int64_t now_usec, struct api_reply *ret);
/* The request body as a JSON object, or NULL after a 400 in ret. */
struct json_t *api_parse_object(const struct http_request *req, int64_t now, struct api_reply *ret);
/* The enrolled, enabled device behind the client certificate, or a 401/403 in ret. */
int api_device_of(struct api *api, const struct api_peer *peer, int64_t now,
		  struct db_device *ret_dev, struct api_reply *ret);
/*
 * Query parameter name as an instant: YYYY-MM-DD (UTC midnight; the next one
 * for is_end) or ISO 8601. Leaves *ret_usec alone when absent; < 0 if malformed.
 */
int api_query_when(const char *query, const char *name, bool is_end, int64_t *ret_usec);
/* Query parameter name into buf ("" when absent); false, after a 400 in ret, when malformed. */
bool api_query_text(const struct api_call *call, const char *name, char *buf, size_t size,
		    struct api_reply *ret);
/* from and to as a period (discipline_parse_period); false after a 400 in ret. */
bool api_query_period(const struct api_call *call, int32_t *ret_from, int32_t *ret_to,
		      struct api_reply *ret);
/* format=json|csv|xlsx (json when absent); false after a 400 in ret. */
bool api_query_format(const struct api_call *call, enum discipline_format *ret_format,
		      struct api_reply *ret);

#endif
