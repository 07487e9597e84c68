// SPDX-License-Identifier: MIT
/*
 * The HTTP request reader against arbitrary bytes, fed in the chunk sizes
 * the first input byte picks, with requests read back to back as on a
 * keep-alive connection, and the If-None-Match matcher on what it reads.
 * Must never crash, read out of bounds or leak.
 */
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "common/http.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct http_reader *rd;
	size_t chunk, off = 1;

	if (size < 1)
		return 0;
	chunk = (size_t)data[0] % 64 + 1;
	rd = http_reader_new(4096, 8192);
	if (!rd)
		return 0;
	while (off < size) {
		size_t n = size - off < chunk ? size - off : chunk, used = 0;
		bool done = false;

		if (http_reader_feed(rd, (const char *)data + off, n, &used, &done) < 0)
			break;
		off += used;
		(void)http_reader_take_continue(rd);
		if (done) {
			const struct http_request *req = http_reader_request(rd);
			char v[64];

			if (http_query_get(req->query, "nip", v, sizeof(v)) == 0 &&
			    strlen(v) >= sizeof(v))
				__builtin_trap();
			if (strlen(req->path) >= HTTP_PATH_MAX || req->body_len > 8192)
				__builtin_trap();
			/* "*" matches any tag: a header of only that must say so. */
			if (!http_etag_match(req->if_none_match, "\"r1-2026-0123abcd\"") &&
			    strcmp(req->if_none_match, "*") == 0)
				__builtin_trap();
			http_reader_next(rd);
		} else if (used < n) {
			break;
		}
	}
	http_reader_free(rd);
	return 0;
}
