// SPDX-License-Identifier: MIT
/*
 * The worker thread: jobs come back through worker_take_done() in order, each
 * answered by api_handle() with the thread's own database connection, the
 * eventfd wakes the caller, and stopping with jobs still queued frees them.
 */
#include <errno.h>
#include <poll.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "common/http.h"
#include "server/config.h"
#include "server/worker.h"

static struct config cfg;

static int setup(void **state)
{
	(void)state;
	memset(&cfg, 0, sizeof(cfg));
	cfg.backend = CONFIG_BACKEND_SQLITE;
	snprintf(cfg.database, sizeof(cfg.database), "/tmp/test_worker.%d.db", (int)getpid());
	return 0;
}

static int teardown(void **state)
{
	char path[CFG_VALUE_MAX + 8];

	(void)state;
	(void)unlink(cfg.database);
	snprintf(path, sizeof(path), "%s-wal", cfg.database);
	(void)unlink(path);
	snprintf(path, sizeof(path), "%s-shm", cfg.database);
	(void)unlink(path);
	return 0;
}

static struct worker_job *job_for(const char *path, const char *authorization)
{
	struct worker_job *job = calloc(1, sizeof(*job));

	assert_non_null(job);
	job->req.method = HTTP_VERB_GET;
	snprintf(job->req.path, sizeof(job->req.path), "%s", path);
	snprintf(job->req.authorization, sizeof(job->req.authorization), "%s", authorization);
	job->now = 1;
	return job;
}

/* Wait for the eventfd, then take what is done; up to want jobs, in order. */
static size_t collect(struct worker *w, struct worker_job **got, size_t want)
{
	size_t n = 0;

	while (n < want) {
		struct pollfd p = {.fd = worker_fd(w), .events = POLLIN};
		struct worker_job *job;

		assert_int_equal(poll(&p, 1, 10000), 1);
		for (job = worker_take_done(w); job; job = job->next)
			got[n++] = job;
	}
	return n;
}

static void test_worker_answers_in_order(void **state)
{
	struct worker_job *got[3];
	struct worker *w = NULL;

	(void)state;
	assert_int_equal(worker_start(&cfg, NULL, &w), 0);
	worker_submit(w, job_for("/healthz", ""));
	worker_submit(w, job_for("/api/v1/reports/discipline", ""));
	worker_submit(w, job_for("/api/v1/employees/1/days", "Bearer nope"));
	assert_int_equal(collect(w, got, 3), 3);
	assert_string_equal(got[0]->req.path, "/healthz");
	assert_int_equal(got[0]->reply.status, 200);
	assert_non_null(strstr(got[0]->reply.body, "\"ok\""));
	assert_int_equal(got[1]->reply.status, 401); /* no token */
	assert_non_null(strstr(got[1]->reply.body, "bearer token"));
	assert_int_equal(got[2]->reply.status, 401); /* checked against the worker's database */
	assert_non_null(strstr(got[2]->reply.body, "not recognised"));
	for (size_t i = 0; i < 3; i++) {
		api_reply_done(&got[i]->reply);
		free(got[i]);
	}
	worker_stop(w);
}

static void test_worker_stop_frees_queued_jobs(void **state)
{
	struct worker *w = NULL;

	(void)state;
	assert_int_equal(worker_start(&cfg, NULL, &w), 0);
	for (int i = 0; i < 50; i++)
		worker_submit(w, job_for("/healthz", ""));
	worker_stop(w); /* done or not, every job is freed (ASan checks) */
	worker_stop(NULL);
}

static void test_worker_slow_routes(void **state)
{
	struct http_request req = {.method = HTTP_VERB_GET};

	(void)state;
	snprintf(req.path, sizeof(req.path), "/api/v1/reports/discipline");
	assert_true(api_is_slow(&req));
	snprintf(req.path, sizeof(req.path), "/api/v1/employees/198001012005011001/days");
	assert_true(api_is_slow(&req));
	req.method = HTTP_VERB_HEAD;
	assert_true(api_is_slow(&req));
	snprintf(req.path, sizeof(req.path), "/api/v1/taps");
	assert_false(api_is_slow(&req));
	snprintf(req.path, sizeof(req.path), "/api/v1/reports/discipline");
	req.method = HTTP_VERB_POST;
	assert_false(api_is_slow(&req));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_worker_answers_in_order),
	    cmocka_unit_test(test_worker_stop_frees_queued_jobs),
	    cmocka_unit_test(test_worker_slow_routes),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
