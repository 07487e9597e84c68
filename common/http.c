// SPDX-License-Identifier: MIT
/*
 * Request reading on http-parser 2.9 (callbacks append into bounded fields)
 * and response formatting. Limits: the request line and headers together at
 * most max_header_bytes (http-parser's own 80 KiB cap also holds), the body
 * at most max_body_bytes whether sent with Content-Length or chunked.
 */
#include "common/http.h"

#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <http_parser.h>

enum header_kind {
	HEADER_OTHER,
	HEADER_CONTENT_TYPE,
	HEADER_AUTHORIZATION,
	HEADER_EXPECT,
	HEADER_COOKIE,
	HEADER_CSRF,
	HEADER_IF_NONE_MATCH,
};

struct http_reader {
	http_parser parser;
	http_parser_settings settings;
	size_t max_header, max_body;
	size_t header_bytes; /* of the current request so far */
	size_t body_cap;
	char url[HTTP_PATH_MAX + HTTP_QUERY_MAX];
	size_t url_len;
	char field[64]; /* current header name, truncated (names we keep are short) */
	size_t field_len;
	bool in_value;	       /* last callback was a value: a new field starts a new header */
	enum header_kind kind; /* of the header whose value is arriving */
	size_t value_len;
	int err; /* set by a callback that stopped the parser */
	bool is_started, is_done;
	char expect[32];      /* Expect header, truncated */
	bool is_headers_done; /* of the current request */
	bool is_continue_due; /* "100 Continue" owed to the client */
	struct http_request req;
};

static struct http_reader *reader_of(http_parser *p)
{
	return p->data;
}

static int count_header(struct http_reader *rd, size_t len)
{
	rd->header_bytes += len;
	if (rd->header_bytes > rd->max_header) {
		rd->err = -EMSGSIZE;
		return -1;
	}
	return 0;
}

static int on_message_begin(http_parser *p)
{
	reader_of(p)->is_started = true;
	return 0;
}

static int on_url(http_parser *p, const char *at, size_t len)
{
	struct http_reader *rd = reader_of(p);

	if (count_header(rd, len) < 0)
		return -1;
	if (rd->url_len + len >= sizeof(rd->url)) {
		rd->err = -EMSGSIZE;
		return -1;
	}
	memcpy(rd->url + rd->url_len, at, len);
	rd->url_len += len;
	rd->url[rd->url_len] = '\0';
	return 0;
}

static int on_header_field(http_parser *p, const char *at, size_t len)
{
	struct http_reader *rd = reader_of(p);
	size_t room;

	if (count_header(rd, len) < 0)
		return -1;
	if (rd->in_value) {
		rd->in_value = false;
		rd->field_len = 0;
	}
	room = sizeof(rd->field) - 1 - rd->field_len;
	if (len > room)
		len = room;
	memcpy(rd->field + rd->field_len, at, len);
	rd->field_len += len;
	rd->field[rd->field_len] = '\0';
	return 0;
}

static int on_header_value(http_parser *p, const char *at, size_t len)
{
	struct http_reader *rd = reader_of(p);
	char *slot = NULL;
	size_t cap = HTTP_VALUE_MAX;

	if (count_header(rd, len) < 0)
		return -1;
	if (!rd->in_value) {
		rd->in_value = true;
		rd->value_len = 0;
		if (strcasecmp(rd->field, "Content-Type") == 0)
			rd->kind = HEADER_CONTENT_TYPE;
		else if (strcasecmp(rd->field, "Authorization") == 0)
			rd->kind = HEADER_AUTHORIZATION;
		else if (strcasecmp(rd->field, "Expect") == 0)
			rd->kind = HEADER_EXPECT;
		else if (strcasecmp(rd->field, "Cookie") == 0)
			rd->kind = HEADER_COOKIE;
		else if (strcasecmp(rd->field, "X-CSRF-Token") == 0)
			rd->kind = HEADER_CSRF;
		else if (strcasecmp(rd->field, "If-None-Match") == 0)
			rd->kind = HEADER_IF_NONE_MATCH;
		else
			rd->kind = HEADER_OTHER;
	}
	if (rd->kind == HEADER_CONTENT_TYPE)
		slot = rd->req.content_type;
	else if (rd->kind == HEADER_AUTHORIZATION)
		slot = rd->req.authorization;
	else if (rd->kind == HEADER_CSRF)
		slot = rd->req.csrf_token;
	else if (rd->kind == HEADER_COOKIE) {
		slot = rd->req.cookie;
		cap = sizeof(rd->req.cookie);
	} else if (rd->kind == HEADER_IF_NONE_MATCH)
		slot = rd->req.if_none_match;
	if (rd->kind == HEADER_EXPECT) {
		slot = rd->expect;
		cap = sizeof(rd->expect);
		if (rd->value_len + len >= cap)
			return 0; /* not "100-continue" then */
	}
	if (!slot)
		return 0;
	if (rd->value_len + len >= cap) {
		rd->err = -EMSGSIZE;
		return -1;
	}
	memcpy(slot + rd->value_len, at, len);
	rd->value_len += len;
	slot[rd->value_len] = '\0';
	return 0;
}

static int split_url(struct http_reader *rd)
{
	const char *q = strchr(rd->url, '?');
	size_t path_len = q ? (size_t)(q - rd->url) : rd->url_len;

	if (rd->url[0] != '/' || path_len >= HTTP_PATH_MAX)
		return -EBADMSG;
	memcpy(rd->req.path, rd->url, path_len);
	rd->req.path[path_len] = '\0';
	if (q) {
		if (strlen(q + 1) >= HTTP_QUERY_MAX)
			return -EMSGSIZE;
		strcpy(rd->req.query, q + 1);
	}
	return 0;
}

static int on_headers_complete(http_parser *p)
{
	struct http_reader *rd = reader_of(p);
	int r;

	if (p->upgrade || p->method == HTTP_CONNECT) {
		rd->err = -ENOTSUP;
		return -1;
	}
	r = split_url(rd);
	if (r < 0) {
		rd->err = r;
		return -1;
	}
	switch (p->method) {
	case HTTP_GET:
		rd->req.method = HTTP_VERB_GET;
		break;
	case HTTP_HEAD:
		rd->req.method = HTTP_VERB_HEAD;
		break;
	case HTTP_POST:
		rd->req.method = HTTP_VERB_POST;
		break;
	default:
		rd->req.method = HTTP_VERB_OTHER;
		break;
	}
	/* content_length is ULLONG_MAX when the header is absent. */
	if (!(p->flags & F_CHUNKED) && p->content_length != UINT64_MAX &&
	    p->content_length > rd->max_body) {
		rd->err = -E2BIG;
		return -1;
	}
	rd->is_headers_done = true;
	rd->is_continue_due =
	    strcasecmp(rd->expect, "100-continue") == 0 && p->http_major == 1 && p->http_minor >= 1;
	return 0;
}

static int on_body(http_parser *p, const char *at, size_t len)
{
	struct http_reader *rd = reader_of(p);

	if (len > rd->max_body - rd->req.body_len) {
		rd->err = -E2BIG;
		return -1;
	}
	if (rd->req.body_len + len + 1 > rd->body_cap) {
		size_t cap = rd->body_cap ? rd->body_cap : 4096;
		char *body;

		while (cap < rd->req.body_len + len + 1)
			cap *= 2;
		if (cap > rd->max_body + 1)
			cap = rd->max_body + 1;
		body = realloc(rd->req.body, cap);
		if (!body) {
			rd->err = -ENOMEM;
			return -1;
		}
		rd->req.body = body;
		rd->body_cap = cap;
	}
	memcpy(rd->req.body + rd->req.body_len, at, len);
	rd->req.body_len += len;
	rd->req.body[rd->req.body_len] = '\0';
	return 0;
}

static int on_message_complete(http_parser *p)
{
	struct http_reader *rd = reader_of(p);

	rd->is_done = true;
	rd->req.is_keep_alive = http_should_keep_alive(p) != 0;
	http_parser_pause(p, 1); /* the next request waits until this one is answered */
	return 0;
}

struct http_reader *http_reader_new(size_t max_header_bytes, size_t max_body_bytes)
{
	struct http_reader *rd = calloc(1, sizeof(*rd));

	if (!rd)
		return NULL;
	rd->max_header = max_header_bytes;
	rd->max_body = max_body_bytes;
	http_parser_settings_init(&rd->settings);
	rd->settings.on_message_begin = on_message_begin;
	rd->settings.on_url = on_url;
	rd->settings.on_header_field = on_header_field;
	rd->settings.on_header_value = on_header_value;
	rd->settings.on_headers_complete = on_headers_complete;
	rd->settings.on_body = on_body;
	rd->settings.on_message_complete = on_message_complete;
	http_parser_init(&rd->parser, HTTP_REQUEST);
	rd->parser.data = rd;
	return rd;
}

void http_reader_free(struct http_reader *rd)
{
	if (!rd)
		return;
	free(rd->req.body);
	free(rd);
}

void http_reader_next(struct http_reader *rd)
{
	char *body = rd->req.body;
	size_t cap = rd->body_cap;

	/* Keep a small body buffer for the next request; drop a large one. */
	if (cap > 65536) {
		free(body);
		body = NULL;
		cap = 0;
	}
	memset(&rd->req, 0, sizeof(rd->req));
	rd->req.body = body;
	rd->body_cap = cap;
	if (body)
		body[0] = '\0';
	rd->header_bytes = 0;
	rd->url_len = 0;
	rd->url[0] = '\0';
	rd->field_len = 0;
	rd->in_value = false;
	rd->err = 0;
	rd->is_started = false;
	rd->is_done = false;
	rd->expect[0] = '\0';
	rd->is_headers_done = false;
	rd->is_continue_due = false;
	http_parser_pause(&rd->parser, 0);
}

int http_reader_feed(struct http_reader *rd, const char *data, size_t len, size_t *ret_used,
		     bool *ret_done)
{
	enum http_errno e;
	size_t used;

	if (rd->is_done) {
		*ret_used = 0;
		*ret_done = true;
		return 0;
	}
	if (len == 0) {
		*ret_used = 0;
		*ret_done = false;
		return 0;
	}
	used = http_parser_execute(&rd->parser, &rd->settings, data, len);
	e = HTTP_PARSER_ERRNO(&rd->parser);
	if (rd->err)
		return rd->err;
	if (e != HPE_OK && !(e == HPE_PAUSED && rd->is_done)) {
		if (e == HPE_HEADER_OVERFLOW)
			return -EMSGSIZE;
		return -EBADMSG;
	}
	if (!rd->is_done && rd->parser.upgrade)
		return -ENOTSUP;
	*ret_used = used;
	*ret_done = rd->is_done;
	return 0;
}

const struct http_request *http_reader_request(const struct http_reader *rd)
{
	return &rd->req;
}

bool http_reader_take_continue(struct http_reader *rd)
{
	bool is_due = rd->is_continue_due && rd->is_headers_done && !rd->is_done;

	rd->is_continue_due = false;
	return is_due;
}

bool http_reader_is_started(const struct http_reader *rd)
{
	return rd->is_started || rd->header_bytes > 0;
}

static int hex_digit(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

int http_query_get(const char *query, const char *name, char *buf, size_t size)
{
	size_t name_len = strlen(name);
	const char *p = query;

	while (p && *p) {
		const char *end = strchr(p, '&');
		size_t part = end ? (size_t)(end - p) : strlen(p);

		if (part > name_len && strncmp(p, name, name_len) == 0 && p[name_len] == '=') {
			const char *v = p + name_len + 1, *v_end = p + part;
			size_t o = 0;

			while (v < v_end) {
				int c = (unsigned char)*v;

				if (c == '%' && v_end - v >= 3 && hex_digit(v[1]) >= 0 &&
				    hex_digit(v[2]) >= 0) {
					c = hex_digit(v[1]) << 4 | hex_digit(v[2]);
					v += 3;
				} else {
					if (c == '+')
						c = ' ';
					v++;
				}
				if (o + 1 >= size)
					return -E2BIG;
				buf[o++] = (char)c;
			}
			buf[o] = '\0';
			return 0;
		}
		p = end ? end + 1 : NULL;
	}
	return -ENOENT;
}

int http_cookie_get(const char *header, const char *name, char *buf, size_t size)
{
	size_t name_len = strlen(name);
	const char *p = header;

	while (*p) {
		const char *end = strchr(p, ';');
		size_t part;

		while (*p == ' ' || *p == '\t')
			p++;
		part = end ? (size_t)(end - p) : strlen(p);
		if (part > name_len && strncmp(p, name, name_len) == 0 && p[name_len] == '=') {
			size_t len = part - name_len - 1;

			while (len > 0 && (p[name_len + 1 + len - 1] == ' ' ||
					   p[name_len + 1 + len - 1] == '\t'))
				len--;
			if (len + 1 > size)
				return -E2BIG;
			memcpy(buf, p + name_len + 1, len);
			buf[len] = '\0';
			return 0;
		}
		if (!end)
			break;
		p = end + 1;
	}
	return -ENOENT;
}

/* An entity tag without its weakness prefix. */
static const char *opaque_tag(const char *tag, size_t *len)
{
	if (*len >= 2 && tag[0] == 'W' && tag[1] == '/') {
		*len -= 2;
		return tag + 2;
	}
	return tag;
}

bool http_etag_match(const char *if_none_match, const char *etag)
{
	size_t etag_len = strlen(etag);
	const char *want = opaque_tag(etag, &etag_len);
	const char *p = if_none_match;

	while (*p) {
		const char *tag;
		size_t len;

		p += strspn(p, " \t,");
		len = strcspn(p, ",");
		tag = p;
		p += len;
		while (len && (tag[len - 1] == ' ' || tag[len - 1] == '\t'))
			len--;
		if (len == 1 && tag[0] == '*')
			return true;
		tag = opaque_tag(tag, &len);
		if (len && len == etag_len && memcmp(tag, want, len) == 0)
			return true;
	}
	return false;
}

const char *http_reason(int status)
{
	switch (status) {
	case 200:
		return "OK";
	case 201:
		return "Created";
	case 204:
		return "No Content";
	case 304:
		return "Not Modified";
	case 400:
		return "Bad Request";
	case 401:
		return "Unauthorized";
	case 403:
		return "Forbidden";
	case 404:
		return "Not Found";
	case 405:
		return "Method Not Allowed";
	case 408:
		return "Request Timeout";
	case 409:
		return "Conflict";
	case 411:
		return "Length Required";
	case 413:
		return "Content Too Large";
	case 415:
		return "Unsupported Media Type";
	case 431:
		return "Request Header Fields Too Large";
	case 500:
		return "Internal Server Error";
	case 501:
		return "Not Implemented";
	case 503:
		return "Service Unavailable";
	default:
		return "Unknown";
	}
}

int http_response_head(const struct http_response *resp, char **ret_head, size_t *ret_len,
		       size_t *ret_body_len)
{
	size_t body_len = resp->content_type ? resp->body_len : 0;
	char head[1024], length[48] = "";
	char *data;
	int n;

	/* A 304 has no body, and no length of the one it stands for (RFC 9110 8.6). */
	if (resp->status != 304)
		snprintf(length, sizeof(length), "Content-Length: %zu\r\n", body_len);
	n = snprintf(head, sizeof(head),
		     "HTTP/1.1 %d %s\r\n"
		     "%s%s%s"
		     "X-Hadir-Time: %" PRId64 "\r\n"
		     "Cache-Control: no-store\r\n"
		     "%s"
		     "%s%s%s"
		     "%s%s%s"
		     "%s"
		     "Connection: %s\r\n\r\n",
		     resp->status, http_reason(resp->status), resp->server ? "Server: " : "",
		     resp->server ? resp->server : "", resp->server ? "\r\n" : "",
		     resp->server_time_usec, length, resp->etag ? "ETag: " : "",
		     resp->etag ? resp->etag : "", resp->etag ? "\r\n" : "",
		     resp->content_type ? "Content-Type: " : "",
		     resp->content_type ? resp->content_type : "", resp->content_type ? "\r\n" : "",
		     resp->extra_headers ? resp->extra_headers : "",
		     resp->is_keep_alive ? "keep-alive" : "close");
	if (n < 0 || (size_t)n >= sizeof(head))
		return -E2BIG;
	data = malloc((size_t)n);
	if (!data)
		return -ENOMEM;
	memcpy(data, head, (size_t)n);
	*ret_head = data;
	*ret_len = (size_t)n;
	*ret_body_len = resp->is_head ? 0 : body_len;
	return 0;
}

int http_response_format(const struct http_response *resp, char **ret_data, size_t *ret_len)
{
	size_t head_len, body_len;
	char *data, *grown;
	int r;

	r = http_response_head(resp, &data, &head_len, &body_len);
	if (r < 0)
		return r;
	grown = body_len ? realloc(data, head_len + body_len) : data;
	if (!grown) {
		free(data);
		return -ENOMEM;
	}
	if (body_len)
		memcpy(grown + head_len, resp->body, body_len);
	*ret_data = grown;
	*ret_len = head_len + body_len;
	return 0;
}
