/* SPDX-License-Identifier: MIT */
/*
 * A worker thread for the event loop's CPU-heavy pure work (decoding and
 * hashing record batches), so the loop keeps to I/O and storage and a second
 * core does the rest. One thread, first in first out: jobs finish in the
 * order they were submitted and come back to the loop in that order, so a
 * device's batches are stored in the order they arrived. A job touches only
 * its own memory on the worker; the loop takes finished jobs back when
 * workq_fd() is readable. Not for I/O or anything that needs the database.
 */
#ifndef HADIR_SERVER_WORKQ_H
#define HADIR_SERVER_WORKQ_H

#include "common/err.h"

struct workq;
struct workq_job;

typedef void workq_fn(struct workq_job *job);

/* Embed in the job's own struct; the queue owns it from submit until workq_done returns it. */
struct workq_job {
	workq_fn *run; /* called on the worker thread */
	struct workq_job *next;
};

/* Start the worker; free with ::workq_free. */
int workq_new(struct workq **ret_q) MUST_CHECK;

/* Readable (level-triggered) while finished jobs wait for ::workq_done. */
int workq_fd(const struct workq *q);

/* Queue job to run on the worker. */
void workq_submit(struct workq *q, struct workq_job *job);

/* The oldest finished job, back in the caller's hands, or NULL when none is. */
struct workq_job *workq_done(struct workq *q);

/*
 * Stop the worker (after the job it is running) and hand every job not yet
 * taken back, run or not, to discard. NULL is a no-op.
 */
void workq_free(struct workq *q, workq_fn *discard);

#endif
