// SPDX-License-Identifier: MIT
/*
 * The worker: a one-thread workq whose jobs run through api_handle() like
 * the loop's requests, with an api of its own whose db is the thread's
 * connection (SQLite connections are opened NOMUTEX: one thread each), and
 * the overview's cache, which lives as long as the worker. No metrics: slow
 * routes count nothing.
 */
#include "server/worker.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "common/log.h"
#include "server/config.h"
#include "server/db.h"
#include "server/overview.h"
#include "server/throttle.h"

struct worker {
	const struct config *cfg;
	struct workq *q;
	struct db *db; /* opened on the first job; the queue's thread's alone until it stops */
	struct overview *overview; /* the overview's cache, for the jobs */
	struct throttle *throttle; /* failed logins per address; logins run here */
	struct vault
	    *vault; /* for rosters (its key is only read); NULL: templates are not shared */
};

static void run_job(struct workq_job *base)
{
	struct worker_job *job = (struct worker_job *)base;
	struct worker *w = job->worker;
	struct api api = {
	    .cfg = w->cfg, .overview = w->overview, .throttle = w->throttle, .vault = w->vault};
	int r;

	if (!w->db) {
		r = db_open(w->cfg, &w->db);
		if (r < 0) {
			log_err("worker: cannot open the database: %s", strerror(-r));
			api_error(503, "storage unavailable; try again", job->now, &job->reply);
			return;
		}
	}
	api.db = w->db;
	api_handle(&api, &job->peer, &job->req, job->now, &job->reply);
}

void worker_job_free(struct worker_job *job)
{
	free(job->body_copy);
	free(job);
}

static void discard_job(struct workq_job *base)
{
	struct worker_job *job = (struct worker_job *)base;

	api_reply_done(&job->reply);
	worker_job_free(job);
}

int worker_start(const struct config *cfg, struct vault *vault, struct worker **ret_worker)
{
	struct worker *w;
	int r;

	w = calloc(1, sizeof(*w));
	if (!w)
		return -ENOMEM;
	w->cfg = cfg;
	w->vault = vault;
	r = overview_new(OVERVIEW_ENTRIES_MAX, &w->overview);
	if (r == 0)
		r = throttle_new((unsigned)cfg->address_failures, cfg->address_window_ms * 1000,
				 &w->throttle);
	if (r == 0)
		r = workq_new(1, &w->q);
	if (r < 0) {
		throttle_free(w->throttle);
		overview_free(w->overview);
		free(w);
		return r;
	}
	*ret_worker = w;
	return 0;
}

int worker_fd(const struct worker *w)
{
	return workq_fd(w->q);
}

void worker_submit(struct worker *w, struct worker_job *job)
{
	job->base.run = run_job;
	job->worker = w;
	workq_submit(w->q, &job->base);
}

struct worker_job *worker_take_done(struct worker *w)
{
	struct worker_job *head = NULL, **tail = &head;
	struct workq_job *base;

	while ((base = workq_done(w->q))) {
		struct worker_job *job = (struct worker_job *)base;

		job->next = NULL;
		*tail = job;
		tail = &job->next;
	}
	return head;
}

void worker_stop(struct worker *w)
{
	if (!w)
		return;
	workq_free(w->q, discard_job); /* joins the thread: the connection is ours now */
	db_close(w->db);
	overview_free(w->overview);
	throttle_free(w->throttle);
	free(w);
}
