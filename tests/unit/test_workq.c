// SPDX-License-Identifier: MIT
/* Worker threads: jobs run side by side but come back in the order they were submitted. */
#include <errno.h>
#include <poll.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <time.h>

#include <cmocka.h>

#include "server/workq.h"

#define JOBS 200

struct job {
	struct workq_job base; /* first */
	int index;
	int result;
};

/* Later jobs are quicker, so with several threads they finish before earlier ones. */
static void job_run(struct workq_job *wj)
{
	struct job *j = (struct job *)wj;
	struct timespec ts = {.tv_nsec = (JOBS - j->index) * 2000L};

	nanosleep(&ts, NULL);
	j->result = j->index * 3;
}

static int discarded;

static void job_discard(struct workq_job *wj)
{
	discarded++;
	free(wj);
}

/* Take every job back, waiting on the fd as the loop would; returns how many came. */
static int take_all(struct workq *q, struct job **got, int n)
{
	struct pollfd pfd = {.fd = workq_fd(q), .events = POLLIN};
	int taken = 0;

	while (taken < n && poll(&pfd, 1, 5000) == 1) {
		struct workq_job *wj = workq_done(q);

		for (; wj && taken < n; wj = workq_done(q))
			got[taken++] = (struct job *)wj;
	}
	return taken;
}

static void check_order(size_t n_threads)
{
	struct job *jobs[JOBS], *got[JOBS];
	struct workq *q;

	assert_int_equal(workq_new(n_threads, &q), 0);
	for (int i = 0; i < JOBS; i++) {
		jobs[i] = calloc(1, sizeof(*jobs[i]));
		assert_non_null(jobs[i]);
		jobs[i]->base.run = job_run;
		jobs[i]->index = i;
		workq_submit(q, &jobs[i]->base);
	}
	assert_int_equal(take_all(q, got, JOBS), JOBS);
	for (int i = 0; i < JOBS; i++) {
		assert_ptr_equal(got[i], jobs[i]);
		assert_int_equal(got[i]->result, i * 3);
		free(got[i]);
	}
	assert_null(workq_done(q));
	workq_free(q, job_discard);
}

static void test_workq_one_thread_keeps_order(void **state)
{
	(void)state;
	check_order(1);
}

static void test_workq_threads_keep_submission_order(void **state)
{
	(void)state;
	check_order(4);
}

static void test_workq_free_discards_what_was_not_taken(void **state)
{
	struct workq *q;

	(void)state;
	assert_int_equal(workq_new(2, &q), 0);
	for (int i = 0; i < 10; i++) {
		struct job *j = calloc(1, sizeof(*j));

		assert_non_null(j);
		j->base.run = job_run;
		j->index = i;
		workq_submit(q, &j->base);
	}
	discarded = 0;
	workq_free(q, job_discard);
	assert_int_equal(discarded, 10);
}

static void test_workq_new_rejects_thread_counts(void **state)
{
	struct workq *q = NULL;

	(void)state;
	assert_int_equal(workq_new(0, &q), -EINVAL);
	assert_int_equal(workq_new(WORKQ_THREADS_MAX + 1, &q), -EINVAL);
	assert_null(q);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_workq_one_thread_keeps_order),
	    cmocka_unit_test(test_workq_threads_keep_submission_order),
	    cmocka_unit_test(test_workq_free_discards_what_was_not_taken),
	    cmocka_unit_test(test_workq_new_rejects_thread_counts),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
