/* SPDX-License-Identifier: MIT */
/* The collector's counters and their Prometheus text exposition (GET /metrics). */
#ifndef HADIR_SERVER_METRICS_H
#define HADIR_SERVER_METRICS_H

#include <stddef.h>
#include <stdint.h>

#include "common/err.h"

#define METRICS_BUCKETS 10

struct metrics {
	uint64_t requests_by_class[6];	/* [status / 100]: 1xx..5xx */
	uint64_t connections_total;	/* accepted */
	uint64_t connections_rejected;	/* closed at once: over max_connections or shutting down */
	uint64_t connections_timed_out; /* closed by read or idle timeout */
	uint64_t handshake_failures;	/* includes refused client certificates */
	int64_t connections_open;
	uint64_t enrolments;
	uint64_t records_ingested;
	uint64_t records_duplicate;
	uint64_t tamper_alerts;
	uint64_t latency_buckets[METRICS_BUCKETS]; /* cumulative counts per upper bound */
	uint64_t latency_count;
	int64_t latency_sum_usec;
};

/* Count one answered request and how long it took from its first byte. */
void metrics_request(struct metrics *m, int status, int64_t duration_usec);

/* Prometheus text format 0.0.4; *ret_text must be freed by the caller with free(). */
int metrics_format(const struct metrics *m, char **ret_text, size_t *ret_len) MUST_CHECK;

#endif
