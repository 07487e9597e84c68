// SPDX-License-Identifier: MIT
/* Counters and the Prometheus text format. */
#include "server/metrics.h"

#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>

static const int64_t bucket_usec[METRICS_BUCKETS] = {
    1000, 2500, 5000, 10000, 25000, 50000, 100000, 250000, 1000000, 5000000,
};

void metrics_request(struct metrics *m, int status, int64_t duration_usec)
{
	if (status >= 100 && status < 600)
		m->requests_by_class[status / 100]++;
	for (size_t i = 0; i < METRICS_BUCKETS; i++)
		if (duration_usec <= bucket_usec[i])
			m->latency_buckets[i]++;
	m->latency_count++;
	m->latency_sum_usec += duration_usec;
}

int metrics_format(const struct metrics *m, char **ret_text, size_t *ret_len)
{
	char *text = NULL;
	size_t len = 0;
	FILE *f;

	f = open_memstream(&text, &len);
	if (!f)
		return -ENOMEM;
	fprintf(f, "# HELP hadir_http_requests_total Requests answered, by status class.\n"
		   "# TYPE hadir_http_requests_total counter\n");
	for (int c = 1; c <= 5; c++)
		fprintf(f, "hadir_http_requests_total{code=\"%dxx\"} %" PRIu64 "\n", c,
			m->requests_by_class[c]);
	fprintf(
	    f,
	    "# HELP hadir_connections_open Client connections open now.\n"
	    "# TYPE hadir_connections_open gauge\n"
	    "hadir_connections_open %" PRId64 "\n"
	    "# HELP hadir_connections_total Client connections accepted.\n"
	    "# TYPE hadir_connections_total counter\n"
	    "hadir_connections_total %" PRIu64 "\n"
	    "# HELP hadir_connections_rejected_total Connections closed at once (limit, "
	    "shutdown).\n"
	    "# TYPE hadir_connections_rejected_total counter\n"
	    "hadir_connections_rejected_total %" PRIu64 "\n"
	    "# HELP hadir_connections_timed_out_total Connections closed by a timeout.\n"
	    "# TYPE hadir_connections_timed_out_total counter\n"
	    "hadir_connections_timed_out_total %" PRIu64 "\n"
	    "# HELP hadir_tls_handshake_failures_total Failed handshakes, refused certificates "
	    "included.\n"
	    "# TYPE hadir_tls_handshake_failures_total counter\n"
	    "hadir_tls_handshake_failures_total %" PRIu64 "\n"
	    "# HELP hadir_enrolments_total Devices enrolled.\n"
	    "# TYPE hadir_enrolments_total counter\n"
	    "hadir_enrolments_total %" PRIu64 "\n"
	    "# HELP hadir_records_ingested_total New records stored.\n"
	    "# TYPE hadir_records_ingested_total counter\n"
	    "hadir_records_ingested_total %" PRIu64 "\n"
	    "# HELP hadir_records_duplicate_total Records resent and already stored.\n"
	    "# TYPE hadir_records_duplicate_total counter\n"
	    "hadir_records_duplicate_total %" PRIu64 "\n"
	    "# HELP hadir_tamper_alerts_total Tamper alerts raised (gap, chain, link, conflict).\n"
	    "# TYPE hadir_tamper_alerts_total counter\n"
	    "hadir_tamper_alerts_total %" PRIu64 "\n"
	    "# HELP hadir_http_request_duration_seconds Time from a request's first byte to its "
	    "reply.\n"
	    "# TYPE hadir_http_request_duration_seconds histogram\n",
	    m->connections_open, m->connections_total, m->connections_rejected,
	    m->connections_timed_out, m->handshake_failures, m->enrolments, m->records_ingested,
	    m->records_duplicate, m->tamper_alerts);
	for (size_t i = 0; i < METRICS_BUCKETS; i++)
		fprintf(f, "hadir_http_request_duration_seconds_bucket{le=\"%g\"} %" PRIu64 "\n",
			(double)bucket_usec[i] / 1e6, m->latency_buckets[i]);
	fprintf(f,
		"hadir_http_request_duration_seconds_bucket{le=\"+Inf\"} %" PRIu64 "\n"
		"hadir_http_request_duration_seconds_sum %.6f\n"
		"hadir_http_request_duration_seconds_count %" PRIu64 "\n",
		m->latency_count, (double)m->latency_sum_usec / 1e6, m->latency_count);
	if (fclose(f) != 0) {
		free(text);
		return -ENOMEM;
	}
	*ret_text = text;
	*ret_len = len;
	return 0;
}
