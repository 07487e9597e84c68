/* SPDX-License-Identifier: MIT */
/*
 * One thread that answers the slow API requests (discipline reports over
 * 100,000 staff take seconds) with its own database connection, so the event
 * loop goes on serving kiosks meanwhile. The loop hands a job over with
 * worker_submit(), keeps the connection in CONN_HELD, and collects finished
 * jobs with worker_take_done() when worker_fd() becomes readable (an
 * eventfd). Jobs run one at a time, in order: reports are rare and each
 * already uses a whole core.
 *
 * Built on server/workq (one thread): a job's request and reply belong to
 * whoever holds the job; `owner` is the loop's alone.
 */
#ifndef HADIR_SERVER_WORKER_H
#define HADIR_SERVER_WORKER_H

#include <stdint.h>

#include "common/err.h"
#include "common/http.h"
#include "server/api.h"
#include "server/workq.h"

struct config;
struct vault;
struct worker;

struct worker_job {
	struct workq_job base;	 /* first; the queue's own */
	struct worker *worker;	 /* set by worker_submit() */
	struct http_request req; /* a copy; its body points into body_copy */
	char *body_copy;	 /* the job's own; freed with the job */
	struct api_peer peer;
	int64_t now;		 /* CLOCK_REALTIME usec when the request arrived */
	struct api_reply reply;	 /* filled by the worker thread */
	void *owner;		 /* the loop's connection, NULL once it closed; loop only */
	struct worker_job *next; /* link of worker_take_done()'s list */
};

/*
 * Start the thread. It opens its database connection from cfg on its first
 * job (cfg must outlive the worker). vault (a key, read only; NULL: templates
 * are not shared) is for the rosters it builds. Free with ::worker_stop.
 */
int worker_start(const struct config *cfg, struct vault *vault,
		 struct worker **ret_worker) MUST_CHECK;

/* Readable when finished jobs wait in worker_take_done(). */
int worker_fd(const struct worker *w);

/* Queue a job; the worker owns it until worker_take_done() returns it. */
void worker_submit(struct worker *w, struct worker_job *job);

/* Free a job the caller owns (its reply already sent or done). */
void worker_job_free(struct worker_job *job);

/*
 * The finished jobs (a list through ->next, oldest first), or NULL; the
 * caller owns them: send or api_reply_done() each reply, then worker_job_free().
 */
struct worker_job *worker_take_done(struct worker *w);

/*
 * Finish the job under way, drop the queued ones, join the thread and free
 * everything still held. No-op for NULL.
 */
void worker_stop(struct worker *w);

#endif
