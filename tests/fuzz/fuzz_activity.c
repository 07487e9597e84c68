// SPDX-License-Identifier: MIT
/*
 * Activity payloads and client input from anywhere: a parsed entry encodes
 * and parses back to the same fields.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "common/activity.h"
#include "common/record.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct activity a, b;
	enum activity_error err;
	char buf[RECORD_PAYLOAD_MAX];
	int len;

	/* The same bytes as a client's input: decoded or refused, and encodable once dated. */
	if (activity_parse_input((const char *)data, size, &a, &err) == 0) {
		memcpy(a.date, "2026-03-02", sizeof("2026-03-02"));
		(void)!activity_encode(&a, buf, sizeof(buf), &err);
	}
	err = ACTIVITY_OK;
	if (activity_parse((const char *)data, size, &a, &err) < 0) {
		if (err == ACTIVITY_OK)
			abort();
		return 0;
	}
	len = activity_encode(&a, buf, sizeof(buf), &err);
	/* Trimming only shortens, so what was parsed fits again. */
	if (len < 0 || activity_parse(buf, (size_t)len, &b, &err) < 0)
		abort();
	if (strcmp(a.date, b.date) != 0 || strcmp(a.plan, b.plan) != 0 ||
	    strcmp(a.description, b.description) != 0 || a.quantity != b.quantity ||
	    strcmp(a.unit, b.unit) != 0 || strcmp(a.start, b.start) != 0 ||
	    strcmp(a.end, b.end) != 0 || a.supersedes != b.supersedes || a.withdrawn != b.withdrawn)
		abort();
	return 0;
}
