/* SPDX-License-Identifier: MIT */
/*
 * Worker threads for the event loop's CPU-heavy pure work (decoding and
 * hashing record batches), so the loop keeps to I/O and storage and the other
 * cores do the rest. Jobs may run side by side, but they come back to the
 * loop in the order they were submitted, so a device's batches are stored in
 * the order they arrived. A job touches only its own memory on a worker; the
 * loop takes finished jobs back when workq_fd() is readable. Not for I/O or
 * anything that needs the database.
 */
#ifndef HADIR_SERVER_WORKQ_H
#define HADIR_SERVER_WORKQ_H

#include <stdbool.h>
#include <stddef.h>

#include "common/err.h"

#define WORKQ_THREADS_MAX 8

struct workq;
struct workq_job;

typedef void workq_fn(struct workq_job *job);

/* Embed in the job's own struct; the queue owns it from submit until workq_done returns it. */
struct workq_job {
	workq_fn *run; /* called on a worker thread */
	/* The queue's own: */
	struct workq_job *next_todo, *next_order;
	bool is_done;
};

/* Start n_threads workers (1..WORKQ_THREADS_MAX); free with ::workq_free. */
int workq_new(size_t n_threads, struct workq **ret_q) MUST_CHECK;

/* Readable (level-triggered) while the oldest job submitted is finished. */
int workq_fd(const struct workq *q);

/* Queue job to run on a worker. */
void workq_submit(struct workq *q, struct workq_job *job);

/* The oldest job submitted, back in the caller's hands, once it is finished; else NULL. */
struct workq_job *workq_done(struct workq *q);

/*
 * Stop the workers (after the jobs they are running) and hand every job not
 * yet taken back, run or not, to discard. NULL is a no-op.
 */
void workq_free(struct workq *q, workq_fn *discard);

#endif
