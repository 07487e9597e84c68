/* SPDX-License-Identifier: MIT */
/*
 * HTTP/1.1 for the collector and the kiosk screen: an incremental request reader on http-parser
 * with bounded headers and body, and the response writer. No I/O: the event
 * loop feeds bytes in and sends the bytes out. Treats every input as
 * hostile; fuzzed by tests/fuzz/fuzz_http.c.
 */
#ifndef HADIR_COMMON_HTTP_H
#define HADIR_COMMON_HTTP_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "common/err.h"

#define HTTP_PATH_MAX	1024
#define HTTP_QUERY_MAX	1024
#define HTTP_VALUE_MAX	512  /* kept header values (content type, authorization) */
#define HTTP_COOKIE_MAX 4096 /* the Cookie header: browsers send every cookie of the host */

enum http_verb {
	HTTP_VERB_OTHER,
	HTTP_VERB_GET,
	HTTP_VERB_HEAD,
	HTTP_VERB_POST,
};

struct http_request {
	enum http_verb method;
	char path[HTTP_PATH_MAX];	    /* decoded of nothing: as sent, without the query */
	char query[HTTP_QUERY_MAX];	    /* after '?', or "" */
	char content_type[HTTP_VALUE_MAX];  /* "" when absent */
	char authorization[HTTP_VALUE_MAX]; /* "" when absent */
	char cookie[HTTP_COOKIE_MAX];	    /* "" when absent */
	char csrf_token[HTTP_VALUE_MAX];    /* X-CSRF-Token, "" when absent */
	char if_none_match[HTTP_VALUE_MAX]; /* "" when absent */
	bool is_keep_alive;		    /* the client allows another request after this */
	char *body;			    /* NUL-terminated; owned by the reader */
	size_t body_len;
};

struct http_reader;

/* A reader with these limits; free with ::http_reader_free. NULL on allocation failure. */
struct http_reader *http_reader_new(size_t max_header_bytes, size_t max_body_bytes);
void http_reader_free(struct http_reader *rd);

/*
 * Feed len bytes. *ret_used says how many were taken: a complete request
 * stops the reader (*ret_done true), and the rest belongs to the next one.
 * Errors, after which the connection gets the matching reply and is closed:
 * -EMSGSIZE (431: headers too large), -E2BIG (413: body too large),
 * -EBADMSG (400: not HTTP), -ENOTSUP (501: upgrade, CONNECT).
 */
int http_reader_feed(struct http_reader *rd, const char *data, size_t len, size_t *ret_used,
		     bool *ret_done) MUST_CHECK;

/* The complete request; valid until ::http_reader_next or ::http_reader_free. */
const struct http_request *http_reader_request(const struct http_reader *rd);

/* Forget the request and get ready for the next on the same connection. */
void http_reader_next(struct http_reader *rd);

/*
 * True, once per request, when the client sent "Expect: 100-continue", its
 * headers are within the limits and the body has not arrived yet: the
 * caller then sends "HTTP/1.1 100 Continue" before reading on (RFC 9110
 * 10.1.1), instead of letting the client wait out its timeout.
 */
bool http_reader_take_continue(struct http_reader *rd);

/* True once any byte of the current request has arrived. */
bool http_reader_is_started(const struct http_reader *rd);

/* The value of name in a query string ("a=1&b=2"), percent-decoded, in buf; -ENOENT if absent. */
int http_query_get(const char *query, const char *name, char *buf, size_t size) MUST_CHECK;

/*
 * The value of cookie name in a Cookie header ("a=1; b=2", RFC 6265 5.4), in
 * buf (quotes around it kept); -ENOENT if absent, -E2BIG if it does not fit.
 */
int http_cookie_get(const char *header, const char *name, char *buf, size_t size) MUST_CHECK;

/*
 * True when an If-None-Match value ("*", or a list of entity tags) names etag
 * (a quoted entity tag), compared weakly as RFC 9110 13.1.2 asks: W/ ignored.
 */
bool http_etag_match(const char *if_none_match, const char *etag);

/* The standard reason phrase of a status code. */
const char *http_reason(int status);

struct http_response {
	int status;
	const char *content_type; /* NULL: no body */
	const char *body;
	size_t body_len;
	const char *extra_headers; /* "Name: value\r\n" lines, or NULL */
	const char *etag;	   /* quoted entity tag for an ETag header, or NULL */
	const char *server;	   /* the Server header's product ("hadir-kiosk"), or NULL */
	bool is_keep_alive;
	bool is_head;		  /* send the headers only */
	int64_t server_time_usec; /* X-Hadir-Time */
};

/*
 * The status line and headers of a response (Content-Length is the body's),
 * for a caller that sends the body from its own buffer: a report of tens of
 * megabytes is not copied. *ret_head must be freed with free(). *ret_body_len
 * is what to send after it (0 for HEAD, a 304 or no content type).
 */
int http_response_head(const struct http_response *resp, char **ret_head, size_t *ret_len,
		       size_t *ret_body_len) MUST_CHECK;
/* Format a response, head and body in one buffer; *ret_data must be freed with free(). */
int http_response_format(const struct http_response *resp, char **ret_data,
			 size_t *ret_len) MUST_CHECK;

#endif
