/* SPDX-License-Identifier: MIT */
/*
 * The kiosk's HTTPS client: the one adapter to libcurl. One handle keeps
 * its connection alive between requests (one TLS handshake for a whole
 * catch-up). Transport failures come back as plain words an operator can
 * act on ("server certificate not trusted", "connection refused"), never
 * as libcurl codes. Never used on the tap path: only sync and enrol call it.
 */
#ifndef HADIR_FIRMWARE_HTTP_CLIENT_H
#define HADIR_FIRMWARE_HTTP_CLIENT_H

#include <stdatomic.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "common/err.h"

#define HC_BODY_MAX  (8 << 20) /* largest reply accepted (a roster of many thousands) */
#define HC_ERROR_MAX 256

struct hc;

struct hc_tls {
	const char *ca;	  /* CA file the server must chain to; NULL: the system's */
	const char *cert; /* client certificate for mutual TLS; NULL: none */
	const char *key;
	/*
	 * Whether the local clock can judge certificate validity dates; on NULL
	 * or true it can. A board without RTC that booted at 1970 cannot: its
	 * connections then check the chain to the pinned CA but not the dates,
	 * or it could never reach the collector that would tell it the time.
	 */
	bool (*clock_trusted)(void);
};

struct hc_response {
	long status; /* HTTP status, 0 when no response came */
	char *body;  /* NUL-terminated; free with hc_response_free() */
	size_t len;
	int64_t server_time_usec; /* the collector's X-Hadir-Time, 0 if absent */
	char etag[128];
	char error[HC_ERROR_MAX]; /* transport failure in plain words */
};

/* curl_global_init, once, before any thread starts. */
int hc_global_init(void) MUST_CHECK;

/* stop, when set, aborts a transfer in progress (for shutdown); may be NULL. */
int hc_new(const struct hc_tls *tls, int64_t timeout_ms, atomic_bool *stop,
	   struct hc **ret_hc) MUST_CHECK;
void hc_free(struct hc *hc);

/*
 * One request; body may be NULL (GET). Returns 0 when a response arrived
 * (look at resp->status), or a negative errno with resp->error filled.
 */
int hc_request(struct hc *hc, const char *method, const char *url, const char *body,
	       const char *if_none_match, struct hc_response *resp) MUST_CHECK;
void hc_response_free(struct hc_response *resp);

/* The "error" member of a JSON error body, or the status line's words. */
void hc_error_text(const struct hc_response *resp, char *buf, size_t len);

#endif
