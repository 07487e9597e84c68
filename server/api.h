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
 *   GET  /api/v1/taps      ?nip=&from=&to=; Authorization: Bearer ADMIN-TOKEN
 */
#ifndef HADIR_SERVER_API_H
#define HADIR_SERVER_API_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "common/crypto.h"

struct config;
struct db;
struct http_request;
struct metrics;

struct api {
	const struct config *cfg;
	struct db *db;
	struct metrics *metrics;
};

/* Who is asking, as TLS established it. */
struct api_peer {
	bool has_cert; /* a client certificate verified against the device CA */
	uint8_t fingerprint[CRYPTO_SHA256_LEN];
};

struct api_reply {
	int status;
	const char *content_type;
	char *body; /* owned; freed by ::api_reply_done */
	size_t body_len;
	const char *extra_headers; /* static text */
};

/* Answer req. Always fills ret (a 500 when something inside failed). */
void api_handle(struct api *api, const struct api_peer *peer, const struct http_request *req,
		int64_t now_usec, struct api_reply *ret);

/* A JSON error reply {"error":msg,"server_time_usec":now}. */
void api_error(int status, const char *msg, int64_t now_usec, struct api_reply *ret);

void api_reply_done(struct api_reply *reply);

#endif
