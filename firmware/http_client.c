// SPDX-License-Identifier: MIT
/* libcurl adapter: bounded reply buffer, header capture, errors in words. */
#include "firmware/http_client.h"

#include <ctype.h>
#include <curl/curl.h>
#include <errno.h>
#include <inttypes.h>
#include <jansson.h>
#include <openssl/ssl.h>
#include <openssl/x509_vfy.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

struct hc {
	CURL *curl;
	struct hc_tls tls;
	int64_t timeout_ms;
	atomic_bool *stop;
	struct curl_slist *json_headers;
};

int hc_global_init(void)
{
	return curl_global_init(CURL_GLOBAL_DEFAULT) == CURLE_OK ? 0 : -EIO;
}

static size_t on_body(char *data, size_t size, size_t nmemb, void *user)
{
	struct hc_response *resp = user;
	size_t n = size * nmemb;
	char *grown;

	if (resp->len + n > HC_BODY_MAX)
		return 0; /* makes libcurl fail the transfer with CURLE_WRITE_ERROR */
	grown = realloc(resp->body, resp->len + n + 1);
	if (!grown)
		return 0;
	resp->body = grown;
	memcpy(resp->body + resp->len, data, n);
	resp->len += n;
	resp->body[resp->len] = '\0';
	return n;
}

/* Copy a header's value (after "Name:") without surrounding space into buf. */
static bool header_value(const char *line, size_t n, const char *name, char *buf, size_t len)
{
	size_t name_len = strlen(name), start, end;

	if (n <= name_len || strncasecmp(line, name, name_len) != 0 || line[name_len] != ':')
		return false;
	start = name_len + 1;
	end = n;
	while (start < end && isspace((unsigned char)line[start]))
		start++;
	while (end > start && isspace((unsigned char)line[end - 1]))
		end--;
	snprintf(buf, len, "%.*s", (int)(end - start), line + start);
	return true;
}

static size_t on_header(char *data, size_t size, size_t nmemb, void *user)
{
	struct hc_response *resp = user;
	size_t n = size * nmemb;
	char value[32];

	if (header_value(data, n, "X-Hadir-Time", value, sizeof(value)))
		resp->server_time_usec = strtoll(value, NULL, 10);
	else
		(void)header_value(data, n, "ETag", resp->etag, sizeof(resp->etag));
	return n;
}

/* libcurl is built on OpenSSL (libcurl4-openssl-dev): this is its context. */
static CURLcode on_ssl_ctx(CURL *curl, void *ssl_ctx, void *user)
{
	struct hc *hc = user;

	(void)curl;
	if (hc->tls.clock_trusted && !hc->tls.clock_trusted())
		X509_VERIFY_PARAM_set_flags(SSL_CTX_get0_param(ssl_ctx), X509_V_FLAG_NO_CHECK_TIME);
	return CURLE_OK;
}

static int on_progress(void *user, curl_off_t dltotal, curl_off_t dlnow, curl_off_t ultotal,
		       curl_off_t ulnow)
{
	struct hc *hc = user;

	(void)dltotal;
	(void)dlnow;
	(void)ultotal;
	(void)ulnow;
	return hc->stop && atomic_load(hc->stop) ? 1 : 0;
}

int hc_new(const struct hc_tls *tls, int64_t timeout_ms, atomic_bool *stop, struct hc **ret_hc)
{
	struct hc *hc = calloc(1, sizeof(*hc));

	if (!hc)
		return -ENOMEM;
	hc->curl = curl_easy_init();
	hc->json_headers = curl_slist_append(NULL, "Content-Type: application/json");
	if (!hc->curl || !hc->json_headers) {
		hc_free(hc);
		return -ENOMEM;
	}
	hc->tls = *tls;
	hc->timeout_ms = timeout_ms;
	hc->stop = stop;
	*ret_hc = hc;
	return 0;
}

void hc_free(struct hc *hc)
{
	if (!hc)
		return;
	curl_easy_cleanup(hc->curl);
	curl_slist_free_all(hc->json_headers);
	free(hc);
}

void hc_response_free(struct hc_response *resp)
{
	free(resp->body);
	memset(resp, 0, sizeof(*resp));
}

/* What a libcurl failure means for whoever reads `hadir-kiosk status`. */
static const char *plain_words(CURLcode code)
{
	switch (code) {
	case CURLE_COULDNT_RESOLVE_HOST:
		return "cannot resolve the collector's host name (DNS)";
	case CURLE_COULDNT_CONNECT:
		return "collector unreachable (connection refused or no route)";
	case CURLE_OPERATION_TIMEDOUT:
		return "collector did not answer in time";
	case CURLE_PEER_FAILED_VERIFICATION:
		return "server certificate not trusted: it is not from the enrolled collector's CA "
		       "or does not match the host name";
	case CURLE_SSL_CERTPROBLEM:
		return "this kiosk's certificate or key cannot be used (enrol again?)";
	case CURLE_SSL_CACERT_BADFILE:
		return "the collector CA file cannot be read (enrol again?)";
	case CURLE_SSL_CONNECT_ERROR:
		return "TLS handshake failed (certificate refused: device disabled or not "
		       "enrolled?)";
	case CURLE_SEND_ERROR:
	case CURLE_RECV_ERROR:
	case CURLE_GOT_NOTHING:
	case CURLE_PARTIAL_FILE:
		return "connection dropped by the collector or the network";
	case CURLE_WRITE_ERROR:
		return "reply too large";
	case CURLE_ABORTED_BY_CALLBACK:
		return "stopped (shutting down)";
	default:
		return curl_easy_strerror(code);
	}
}

int hc_request(struct hc *hc, const char *method, const char *url, const char *body,
	       const char *if_none_match, struct hc_response *resp)
{
	struct curl_slist *headers = NULL;
	char inm[160];
	CURLcode code;
	CURL *c = hc->curl;

	memset(resp, 0, sizeof(*resp));
	curl_easy_reset(c); /* keeps the connection cache: reuse stays */
	curl_easy_setopt(c, CURLOPT_URL, url);
	curl_easy_setopt(c, CURLOPT_CUSTOMREQUEST, method);
	curl_easy_setopt(c, CURLOPT_NOSIGNAL, 1L);
	curl_easy_setopt(c, CURLOPT_TIMEOUT_MS, (long)hc->timeout_ms);
	curl_easy_setopt(c, CURLOPT_CONNECTTIMEOUT_MS, (long)(hc->timeout_ms / 3));
	curl_easy_setopt(c, CURLOPT_SSL_VERIFYPEER, 1L);
	curl_easy_setopt(c, CURLOPT_SSL_VERIFYHOST, 2L);
	curl_easy_setopt(c, CURLOPT_SSLVERSION, (long)CURL_SSLVERSION_TLSv1_2);
	curl_easy_setopt(c, CURLOPT_PROTOCOLS_STR, "https");
	if (hc->tls.ca)
		curl_easy_setopt(c, CURLOPT_CAINFO, hc->tls.ca);
	if (hc->tls.cert) {
		curl_easy_setopt(c, CURLOPT_SSLCERT, hc->tls.cert);
		curl_easy_setopt(c, CURLOPT_SSLKEY, hc->tls.key);
	}
	curl_easy_setopt(c, CURLOPT_SSL_CTX_FUNCTION, on_ssl_ctx);
	curl_easy_setopt(c, CURLOPT_SSL_CTX_DATA, hc);
	curl_easy_setopt(c, CURLOPT_WRITEFUNCTION, on_body);
	curl_easy_setopt(c, CURLOPT_WRITEDATA, resp);
	curl_easy_setopt(c, CURLOPT_HEADERFUNCTION, on_header);
	curl_easy_setopt(c, CURLOPT_HEADERDATA, resp);
	curl_easy_setopt(c, CURLOPT_XFERINFOFUNCTION, on_progress);
	curl_easy_setopt(c, CURLOPT_XFERINFODATA, hc);
	curl_easy_setopt(c, CURLOPT_NOPROGRESS, 0L);
	if (body) {
		curl_easy_setopt(c, CURLOPT_POSTFIELDS, body);
		curl_easy_setopt(c, CURLOPT_POSTFIELDSIZE_LARGE, (curl_off_t)strlen(body));
		headers = hc->json_headers;
	}
	if (if_none_match && *if_none_match) {
		snprintf(inm, sizeof(inm), "If-None-Match: %s", if_none_match);
		headers = curl_slist_append(NULL, inm);
		if (body)
			headers = curl_slist_append(headers, "Content-Type: application/json");
	}
	curl_easy_setopt(c, CURLOPT_HTTPHEADER, headers);

	code = curl_easy_perform(c);
	if (headers && headers != hc->json_headers)
		curl_slist_free_all(headers);
	if (code != CURLE_OK) {
		snprintf(resp->error, sizeof(resp->error), "%s", plain_words(code));
		free(resp->body);
		resp->body = NULL;
		resp->len = 0;
		return code == CURLE_OPERATION_TIMEDOUT ? -ETIMEDOUT : -ECOMM;
	}
	curl_easy_getinfo(c, CURLINFO_RESPONSE_CODE, &resp->status);
	return 0;
}

void hc_error_text(const struct hc_response *resp, char *buf, size_t len)
{
	json_t *root = resp->body ? json_loads(resp->body, 0, NULL) : NULL;
	const char *msg = json_string_value(json_object_get(root, "error"));

	if (msg)
		snprintf(buf, len, "collector refused (HTTP %ld): %s", resp->status, msg);
	else
		snprintf(buf, len, "collector answered HTTP %ld", resp->status);
	json_decref(root);
}
