// SPDX-License-Identifier: MIT
/* The HTTP request reader and response writer: limits, keep-alive, pipelining. */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "common/http.h"

/* Feed text in one go; returns the feed result, with used and done. */
static int feed(struct http_reader *rd, const char *text, size_t *used, bool *done)
{
	return http_reader_feed(rd, text, strlen(text), used, done);
}

static void test_http_reader_post_with_body(void **state)
{
	static const char req[] = "POST /api/v1/enroll?x=1 HTTP/1.1\r\nHost: a\r\n"
				  "Content-Type: application/json\r\nContent-Length: 7\r\n\r\n"
				  "{\"a\":1}";
	struct http_reader *rd = http_reader_new(1024, 1024);
	const struct http_request *r;
	size_t used;
	bool done;

	(void)state;
	assert_int_equal(feed(rd, req, &used, &done), 0);
	assert_true(done);
	assert_int_equal(used, strlen(req));
	r = http_reader_request(rd);
	assert_int_equal(r->method, HTTP_VERB_POST);
	assert_string_equal(r->path, "/api/v1/enroll");
	assert_string_equal(r->query, "x=1");
	assert_string_equal(r->content_type, "application/json");
	assert_int_equal(r->body_len, 7);
	assert_string_equal(r->body, "{\"a\":1}");
	assert_true(r->is_keep_alive);
	http_reader_free(rd);
}

static void test_http_reader_byte_by_byte_and_pipelined(void **state)
{
	static const char two[] = "GET /healthz HTTP/1.1\r\nHost: a\r\n\r\n"
				  "GET /metrics HTTP/1.1\r\nHost: a\r\nConnection: close\r\n\r\n";
	struct http_reader *rd = http_reader_new(1024, 1024);
	size_t off = 0, used;
	bool done = false;

	(void)state;
	while (!done) {
		assert_int_equal(http_reader_feed(rd, two + off, 1, &used, &done), 0);
		off += used;
	}
	assert_string_equal(http_reader_request(rd)->path, "/healthz");
	http_reader_next(rd);
	assert_false(http_reader_is_started(rd));
	assert_int_equal(feed(rd, two + off, &used, &done), 0);
	assert_true(done);
	assert_string_equal(http_reader_request(rd)->path, "/metrics");
	assert_false(http_reader_request(rd)->is_keep_alive);
	http_reader_free(rd);
}

static void test_http_reader_limits(void **state)
{
	struct http_reader *rd;
	char big[2048];
	size_t used;
	bool done;

	(void)state;
	rd = http_reader_new(1024, 10);
	assert_int_equal(feed(rd, "POST / HTTP/1.1\r\nContent-Length: 11\r\n\r\n", &used, &done),
			 -E2BIG);
	http_reader_free(rd);

	rd = http_reader_new(1024, 10);
	assert_int_equal(feed(rd,
			      "POST / HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n"
			      "6\r\nabcdef\r\n6\r\nghijkl\r\n0\r\n\r\n",
			      &used, &done),
			 -E2BIG);
	http_reader_free(rd);

	rd = http_reader_new(1024, 10);
	snprintf(big, sizeof(big), "GET / HTTP/1.1\r\nX-Pad: %01500d\r\n\r\n", 0);
	assert_int_equal(feed(rd, big, &used, &done), -EMSGSIZE);
	http_reader_free(rd);
}

static void test_http_reader_garbage(void **state)
{
	struct http_reader *rd = http_reader_new(1024, 1024);
	size_t used;
	bool done;

	(void)state;
	assert_int_equal(feed(rd, "\x16\x03\x01\x02\x00\x01\x00", &used, &done), -EBADMSG);
	http_reader_free(rd);
	rd = http_reader_new(1024, 1024);
	assert_int_equal(feed(rd, "GET http://x/ HTTP/1.1\r\n\r\n", &used, &done), -EBADMSG);
	http_reader_free(rd);
	rd = http_reader_new(1024, 1024);
	assert_int_equal(
	    feed(rd, "GET / HTTP/1.1\r\nUpgrade: h2c\r\nConnection: Upgrade\r\n\r\n", &used, &done),
	    -ENOTSUP);
	http_reader_free(rd);
}

static void test_http_reader_take_continue_once(void **state)
{
	static const char head[] = "POST /x HTTP/1.1\r\nExpect: 100-continue\r\n"
				   "Content-Length: 3\r\n\r\n";
	struct http_reader *rd = http_reader_new(1024, 1024);
	size_t used;
	bool done;

	(void)state;
	assert_int_equal(feed(rd, head, &used, &done), 0);
	assert_false(done);
	assert_true(http_reader_take_continue(rd));
	assert_false(http_reader_take_continue(rd));
	assert_int_equal(feed(rd, "abc", &used, &done), 0);
	assert_true(done);
	assert_string_equal(http_reader_request(rd)->body, "abc");
	http_reader_next(rd);
	/* Body already there with the headers: nothing to announce. */
	assert_int_equal(feed(rd,
			      "POST /x HTTP/1.1\r\nExpect: 100-continue\r\n"
			      "Content-Length: 1\r\n\r\nz",
			      &used, &done),
			 0);
	assert_true(done);
	assert_false(http_reader_take_continue(rd));
	http_reader_free(rd);
}

static void test_http_reader_if_none_match(void **state)
{
	static const char req[] = "GET /api/v1/roster HTTP/1.1\r\nHost: a\r\n"
				  "If-None-Match: \"r7-2026-ab\"\r\n\r\n";
	struct http_reader *rd = http_reader_new(1024, 1024);
	size_t used;
	bool done;

	(void)state;
	assert_int_equal(feed(rd, req, &used, &done), 0);
	assert_true(done);
	assert_string_equal(http_reader_request(rd)->if_none_match, "\"r7-2026-ab\"");
	http_reader_next(rd);
	assert_int_equal(feed(rd, "GET / HTTP/1.1\r\nHost: a\r\n\r\n", &used, &done), 0);
	assert_string_equal(http_reader_request(rd)->if_none_match, "");
	http_reader_free(rd);
}

static void test_http_etag_match_cases(void **state)
{
	(void)state;
	assert_true(http_etag_match("\"a\"", "\"a\""));
	assert_true(http_etag_match("\"x\", \"a\"", "\"a\""));
	assert_true(http_etag_match(" W/\"a\" ", "\"a\""));
	assert_true(http_etag_match("\"a\"", "W/\"a\""));
	assert_true(http_etag_match("*", "\"a\""));
	assert_false(http_etag_match("", "\"a\""));
	assert_false(http_etag_match("\"ab\"", "\"a\""));
	assert_false(http_etag_match("a", "\"a\""));
	assert_false(http_etag_match(",,, ,", "\"a\""));
}

static void test_http_query_get_cases(void **state)
{
	char v[16];

	(void)state;
	assert_int_equal(http_query_get("nip=19&from=2025-01-01", "from", v, sizeof(v)), 0);
	assert_string_equal(v, "2025-01-01");
	assert_int_equal(http_query_get("a=x%2By+z", "a", v, sizeof(v)), 0);
	assert_string_equal(v, "x+y z");
	assert_int_equal(http_query_get("a=%zz%4", "a", v, sizeof(v)), 0);
	assert_string_equal(v, "%zz%4");
	assert_int_equal(http_query_get("ab=1", "a", v, sizeof(v)), -ENOENT);
	assert_int_equal(http_query_get("a=0123456789abcdefgh", "a", v, sizeof(v)), -E2BIG);
}

static void test_http_cookie_get_cases(void **state)
{
	char v[16];

	(void)state;
	assert_int_equal(
	    http_cookie_get("a=1; hadir_session=xyz; b=2", "hadir_session", v, sizeof(v)), 0);
	assert_string_equal(v, "xyz");
	assert_int_equal(http_cookie_get("hadir_session=q ;x=1", "hadir_session", v, sizeof(v)), 0);
	assert_string_equal(v, "q");
	assert_int_equal(http_cookie_get("a=1;b=", "b", v, sizeof(v)), 0);
	assert_string_equal(v, "");
	assert_int_equal(
	    http_cookie_get("xhadir_session=1; hadir_sessionx=2", "hadir_session", v, sizeof(v)),
	    -ENOENT);
	assert_int_equal(http_cookie_get("", "a", v, sizeof(v)), -ENOENT);
	assert_int_equal(http_cookie_get(";;  ;", "a", v, sizeof(v)), -ENOENT);
	assert_int_equal(http_cookie_get("a=0123456789abcdef", "a", v, sizeof(v)), -E2BIG);
}

static void test_http_response_format_headers(void **state)
{
	struct http_response resp = {
	    .status = 413,
	    .content_type = "application/json",
	    .body = "{}",
	    .body_len = 2,
	    .server_time_usec = 1234,
	};
	char *out;
	size_t len;

	(void)state;
	assert_int_equal(http_response_format(&resp, &out, &len), 0);
	assert_true(len > 2);
	assert_memory_equal(out, "HTTP/1.1 413 Content Too Large\r\n", 32);
	assert_non_null(memmem(out, len, "X-Hadir-Time: 1234\r\n", 20));
	assert_non_null(memmem(out, len, "Content-Length: 2\r\n", 19));
	assert_non_null(memmem(out, len, "Connection: close\r\n\r\n{}", 23));
	assert_null(memmem(out, len, "ETag", 4));
	assert_null(memmem(out, len, "Server:", 7));
	free(out);

	resp.status = 304;
	resp.content_type = NULL;
	resp.etag = "\"r1\"";
	resp.server = "hadir-kiosk";
	assert_int_equal(http_response_format(&resp, &out, &len), 0);
	assert_non_null(memmem(out, len, "ETag: \"r1\"\r\n", 12));
	assert_null(memmem(out, len, "Content-Length", 14));
	assert_non_null(memmem(out, len, "Server: hadir-kiosk\r\n", 21));
	assert_memory_equal(out + len - 4, "\r\n\r\n", 4); /* no body */
	free(out);
}

/* The head alone says the body's length and leaves the body to the caller; HEAD sends none. */
static void test_http_response_head_alone(void **state)
{
	static const char body[] = "[1,2,3]";
	struct http_response resp = {
	    .status = 200,
	    .content_type = "application/json",
	    .body = body,
	    .body_len = sizeof(body) - 1,
	    .is_keep_alive = true,
	};
	size_t len, body_len;
	char *head;

	(void)state;
	assert_int_equal(http_response_head(&resp, &head, &len, &body_len), 0);
	assert_int_equal(body_len, 7);
	assert_non_null(memmem(head, len, "Content-Length: 7\r\n", 19));
	assert_memory_equal(head + len - 4, "\r\n\r\n", 4);
	assert_null(memmem(head, len, "[1,2,3]", 7));
	free(head);

	resp.is_head = true;
	assert_int_equal(http_response_head(&resp, &head, &len, &body_len), 0);
	assert_int_equal(body_len, 0);
	assert_non_null(memmem(head, len, "Content-Length: 7\r\n", 19));
	free(head);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_http_reader_post_with_body),
	    cmocka_unit_test(test_http_reader_byte_by_byte_and_pipelined),
	    cmocka_unit_test(test_http_reader_limits),
	    cmocka_unit_test(test_http_reader_garbage),
	    cmocka_unit_test(test_http_reader_take_continue_once),
	    cmocka_unit_test(test_http_reader_if_none_match),
	    cmocka_unit_test(test_http_etag_match_cases),
	    cmocka_unit_test(test_http_query_get_cases),
	    cmocka_unit_test(test_http_cookie_get_cases),
	    cmocka_unit_test(test_http_response_format_headers),
	    cmocka_unit_test(test_http_response_head_alone),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
