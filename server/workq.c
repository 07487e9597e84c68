// SPDX-License-Identifier: MIT
/* The event loop's worker thread; see workq.h. */
#include "server/workq.h"

#include <errno.h>
#include <pthread.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <sys/eventfd.h>
#include <unistd.h>

struct list {
	struct workq_job *head, *tail;
};

struct workq {
	pthread_t thread;
	pthread_mutex_t lock; /* guards the lists and is_stopping */
	pthread_cond_t wake;  /* todo gained a job, or is_stopping */
	struct list todo, done;
	bool is_stopping;
	int fd; /* eventfd: non-zero while done is not empty */
};

static void list_push(struct list *l, struct workq_job *job)
{
	job->next = NULL;
	if (l->tail)
		l->tail->next = job;
	else
		l->head = job;
	l->tail = job;
}

static struct workq_job *list_pop(struct list *l)
{
	struct workq_job *job = l->head;

	if (job) {
		l->head = job->next;
		if (!l->head)
			l->tail = NULL;
		job->next = NULL;
	}
	return job;
}

static void *worker(void *arg)
{
	struct workq *q = arg;
	struct workq_job *job;

	pthread_mutex_lock(&q->lock);
	for (;;) {
		while (!q->todo.head && !q->is_stopping)
			pthread_cond_wait(&q->wake, &q->lock);
		if (q->is_stopping)
			break;
		job = list_pop(&q->todo);
		pthread_mutex_unlock(&q->lock);
		job->run(job);
		pthread_mutex_lock(&q->lock);
		list_push(&q->done, job);
		/* Under the lock, so workq_done's reset cannot overtake it. */
		(void)eventfd_write(q->fd, 1);
	}
	pthread_mutex_unlock(&q->lock);
	return NULL;
}

int workq_new(struct workq **ret_q)
{
	struct workq *q;
	int r;

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
	r = -pthread_create(&q->thread, NULL, worker, q);
	if (r < 0)
		goto out_close;
	*ret_q = q;
	return 0;

out_close:
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
	list_push(&q->todo, job);
	pthread_cond_signal(&q->wake);
	pthread_mutex_unlock(&q->lock);
}

struct workq_job *workq_done(struct workq *q)
{
	struct workq_job *job;
	eventfd_t ignored;

	pthread_mutex_lock(&q->lock);
	job = list_pop(&q->done);
	if (!q->done.head)
		(void)eventfd_read(q->fd, &ignored);
	pthread_mutex_unlock(&q->lock);
	return job;
}

void workq_free(struct workq *q, workq_fn *discard)
{
	struct workq_job *job;

	if (!q)
		return;
	pthread_mutex_lock(&q->lock);
	q->is_stopping = true;
	pthread_cond_signal(&q->wake);
	pthread_mutex_unlock(&q->lock);
	pthread_join(q->thread, NULL);
	for (job = list_pop(&q->done); job; job = list_pop(&q->done))
		discard(job);
	for (job = list_pop(&q->todo); job; job = list_pop(&q->todo))
		discard(job);
	pthread_cond_destroy(&q->wake);
	pthread_mutex_destroy(&q->lock);
	close(q->fd);
	free(q);
}
