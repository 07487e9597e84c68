// SPDX-License-Identifier: MIT
/*
 * The worker thread: a queue in, a queue out, an eventfd to wake the loop.
 * The thread runs jobs through api_handle() like the loop does, with an
 * api of its own whose db is the thread's connection (SQLite connections are
 * opened NOMUTEX: one thread each). No metrics: slow routes count nothing.
 */
#include "server/worker.h"

#include <errno.h>
#include <pthread.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <sys/eventfd.h>
#include <unistd.h>

#include "common/log.h"
#include "server/db.h"

struct worker {
	const struct config *cfg;
	pthread_t thread;
	int event_fd;
	pthread_mutex_t lock;
	pthread_cond_t wake;
	struct worker_job *queue, *queue_tail; /* under lock */
	struct worker_job *done, *done_tail;   /* under lock */
	bool is_stopping;		       /* under lock */
};

static void list_push(struct worker_job **head, struct worker_job **tail, struct worker_job *job)
{
	job->next = NULL;
	if (*tail)
		(*tail)->next = job;
	else
		*head = job;
	*tail = job;
}

static void free_jobs(struct worker_job *job)
{
	while (job) {
		struct worker_job *next = job->next;

		api_reply_done(&job->reply);
		free(job);
		job = next;
	}
}

static void run_job(struct worker *w, struct db **db, struct worker_job *job)
{
	struct api api = {.cfg = w->cfg};
	int r;

	if (!*db) {
		r = db_open(w->cfg, db);
		if (r < 0) {
			log_err("worker: cannot open the database: %s", strerror(-r));
			api_error(503, "storage unavailable; try again", job->now, &job->reply);
			return;
		}
	}
	api.db = *db;
	api_handle(&api, &job->peer, &job->req, job->now, &job->reply);
}

static void *worker_main(void *arg)
{
	struct worker *w = arg;
	struct db *db = NULL;
	const uint64_t one = 1;

	pthread_mutex_lock(&w->lock);
	for (;;) {
		struct worker_job *job;

		while (!w->queue && !w->is_stopping)
			pthread_cond_wait(&w->wake, &w->lock);
		if (w->is_stopping)
			break;
		job = w->queue;
		w->queue = job->next;
		if (!w->queue)
			w->queue_tail = NULL;
		pthread_mutex_unlock(&w->lock);

		run_job(w, &db, job);

		pthread_mutex_lock(&w->lock);
		list_push(&w->done, &w->done_tail, job);
		if (write(w->event_fd, &one, sizeof(one)) < 0 && errno != EAGAIN)
			log_warn("worker: wake the loop: %s", strerror(errno));
	}
	pthread_mutex_unlock(&w->lock);
	db_close(db);
	return NULL;
}

int worker_start(const struct config *cfg, struct worker **ret_worker)
{
	struct worker *w;
	int r;

	w = calloc(1, sizeof(*w));
	if (!w)
		return -ENOMEM;
	w->cfg = cfg;
	w->event_fd = eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC);
	if (w->event_fd < 0) {
		r = -errno;
		goto out_free;
	}
	pthread_mutex_init(&w->lock, NULL);
	pthread_cond_init(&w->wake, NULL);
	r = -pthread_create(&w->thread, NULL, worker_main, w);
	if (r < 0)
		goto out_close;
	*ret_worker = w;
	return 0;

out_close:
	pthread_cond_destroy(&w->wake);
	pthread_mutex_destroy(&w->lock);
	close(w->event_fd);
out_free:
	free(w);
	return r;
}

int worker_fd(const struct worker *w)
{
	return w->event_fd;
}

void worker_submit(struct worker *w, struct worker_job *job)
{
	pthread_mutex_lock(&w->lock);
	list_push(&w->queue, &w->queue_tail, job);
	pthread_cond_signal(&w->wake);
	pthread_mutex_unlock(&w->lock);
}

struct worker_job *worker_take_done(struct worker *w)
{
	struct worker_job *list;
	uint64_t count;

	if (read(w->event_fd, &count, sizeof(count)) < 0 && errno != EAGAIN)
		log_warn("worker: eventfd: %s", strerror(errno));
	pthread_mutex_lock(&w->lock);
	list = w->done;
	w->done = w->done_tail = NULL;
	pthread_mutex_unlock(&w->lock);
	return list;
}

void worker_stop(struct worker *w)
{
	if (!w)
		return;
	pthread_mutex_lock(&w->lock);
	w->is_stopping = true;
	pthread_cond_signal(&w->wake);
	pthread_mutex_unlock(&w->lock);
	pthread_join(w->thread, NULL);
	free_jobs(w->queue);
	free_jobs(w->done);
	pthread_cond_destroy(&w->wake);
	pthread_mutex_destroy(&w->lock);
	close(w->event_fd);
	free(w);
}
