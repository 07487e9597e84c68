// SPDX-License-Identifier: MIT
/* The event loop's worker threads; see workq.h. */
#include "server/workq.h"

#include <errno.h>
#include <pthread.h>
#include <stdint.h>
#include <stdlib.h>
#include <sys/eventfd.h>
#include <unistd.h>

struct workq {
	pthread_t threads[WORKQ_THREADS_MAX];
	size_t n_threads;
	pthread_mutex_t lock;		    /* guards everything below and the jobs' queue fields */
	pthread_cond_t wake;		    /* a job to start, or is_stopping */
	struct workq_job *todo, *todo_tail; /* not started, oldest first (next_todo) */
	struct workq_job *order, *order_tail; /* not taken back, oldest first (next_order) */
	bool is_stopping;
	int fd; /* eventfd: non-zero while the oldest job is done */
};

static void *worker(void *arg)
{
	struct workq *q = arg;
	struct workq_job *job;

	pthread_mutex_lock(&q->lock);
	for (;;) {
		while (!q->todo && !q->is_stopping)
			pthread_cond_wait(&q->wake, &q->lock);
		if (q->is_stopping)
			break;
		job = q->todo;
		q->todo = job->next_todo;
		if (!q->todo)
			q->todo_tail = NULL;
		pthread_mutex_unlock(&q->lock);
		job->run(job);
		pthread_mutex_lock(&q->lock);
		job->is_done = true;
		/* Under the lock, so workq_done's reset cannot overtake it. */
		if (job == q->order)
			(void)eventfd_write(q->fd, 1);
	}
	pthread_mutex_unlock(&q->lock);
	return NULL;
}

static void stop(struct workq *q)
{
	pthread_mutex_lock(&q->lock);
	q->is_stopping = true;
	pthread_cond_broadcast(&q->wake);
	pthread_mutex_unlock(&q->lock);
	for (size_t i = 0; i < q->n_threads; i++)
		pthread_join(q->threads[i], NULL);
}

int workq_new(size_t n_threads, struct workq **ret_q)
{
	struct workq *q;
	int r = 0;

	if (n_threads < 1 || n_threads > WORKQ_THREADS_MAX)
		return -EINVAL;
	q = calloc(1, sizeof(*q));
	if (!q)
		return -ENOMEM;
	q->fd = eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC);
	if (q->fd < 0) {
		r = -errno;
		goto out_free;
	}
	pthread_mutex_init(&q->lock, NULL);
	pthread_cond_init(&q->wake, NULL);
	for (; q->n_threads < n_threads; q->n_threads++) {
		r = -pthread_create(&q->threads[q->n_threads], NULL, worker, q);
		if (r < 0)
			goto out_stop;
	}
	*ret_q = q;
	return 0;

out_stop:
	stop(q);
	pthread_cond_destroy(&q->wake);
	pthread_mutex_destroy(&q->lock);
	close(q->fd);
out_free:
	free(q);
	return r;
}

int workq_fd(const struct workq *q)
{
	return q->fd;
}

void workq_submit(struct workq *q, struct workq_job *job)
{
	pthread_mutex_lock(&q->lock);
	job->next_todo = NULL;
	job->next_order = NULL;
	job->is_done = false;
	if (q->todo_tail)
		q->todo_tail->next_todo = job;
	else
		q->todo = job;
	q->todo_tail = job;
	if (q->order_tail)
		q->order_tail->next_order = job;
	else
		q->order = job;
	q->order_tail = job;
	pthread_cond_signal(&q->wake);
	pthread_mutex_unlock(&q->lock);
}

struct workq_job *workq_done(struct workq *q)
{
	struct workq_job *job = NULL;
	eventfd_t ignored;

	pthread_mutex_lock(&q->lock);
	if (q->order && q->order->is_done) {
		job = q->order;
		q->order = job->next_order;
		if (!q->order)
			q->order_tail = NULL;
	}
	if (!q->order || !q->order->is_done)
		(void)eventfd_read(q->fd, &ignored);
	pthread_mutex_unlock(&q->lock);
	return job;
}

void workq_free(struct workq *q, workq_fn *discard)
{
	struct workq_job *job, *next;

	if (!q)
		return;
	stop(q);
	/* Every job not taken back is on the order list, started or not. */
	for (job = q->order; job; job = next) {
		next = job->next_order;
		discard(job);
	}
	pthread_cond_destroy(&q->wake);
	pthread_mutex_destroy(&q->lock);
	close(q->fd);
	free(q);
}
