// SPDX-License-Identifier: MIT
/*
 * The event loop and connection state machine. Requests are answered in the
 * loop (SQLite commits are short), except for two kinds of work that go to
 * threads while the loop goes on: record batches are decoded and hashed on
 * worker threads (workq.h), which see only a copy of the body; the slow
 * routes (reports, api_is_slow()) go to the report worker (worker.h) while
 * their connection waits in CONN_HELD. Answers come back by eventfd, so
 * connections and the loop's database connection need no locks.
 * A connection moves HANDSHAKE -> READING -> WRITING -> READING ... and ends
 * in LINGER (drain what the client still sends after an error reply, so the
 * reply is not lost to a reset) or is closed. Closed connections are freed
 * after the current batch of events, never while an event may point at them.
 */
#include "server/server.h"

#include <errno.h>
#include <malloc.h>
#include <netdb.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <signal.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/resource.h>
#include <sys/signalfd.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include <systemd/sd-daemon.h>

#include "common/clk.h"
#include "common/log.h"
#include "server/api.h"
#include "server/config.h"
#include "server/db.h"
#include "common/http.h"
#include "server/metrics.h"
#include "server/site.h"
#include "server/vault.h"
#include "server/tls.h"
#include "server/workq.h"
#include "server/worker.h"

#define IN_BUF	     16384
#define MAX_EVENTS   256
#define SWEEP_USEC   (250 * 1000)
#define LINGER_USEC  (2 * CLK_USEC_PER_SEC)
#define LINGER_BYTES (1 << 20)
#define GROUP_USEC   (50 * 1000)	      /* the longest a group commit waits for the worker */
#define SLOW_USEC    (120 * CLK_USEC_PER_SEC) /* a report on the worker must finish in this */
#define WRITE_TURN   (256 * 1024)	      /* reply bytes sent per connection and turn */

enum conn_state {
	CONN_HANDSHAKE,
	CONN_READING,
	CONN_WRITING,
	CONN_DECODING, /* a record batch is on a decoding worker */
	CONN_HELD,     /* the answer waits for the group commit, or for the report worker */
	CONN_LINGER,
	CONN_CLOSED,
};

/* How long the loop's writes wait for another connection's lock: the worker's are short. */
#define LOOP_LOCK_WAIT_MS 100

struct server;
struct conn;

/* A record batch on its way through the worker thread. */
struct batch_job {
	struct workq_job base; /* first: a struct workq_job * is a struct batch_job * */
	struct conn *conn;     /* NULL once the connection closed: the result is dropped */
	char *body;	       /* a copy of the request body */
	size_t body_len;
	uint8_t *cert; /* a copy of the client certificate (DER), which verifies a signed head */
	size_t cert_len;
	struct api_batch out;
};

struct conn {
	struct server *srv;
	int fd;
	enum conn_state state;
	struct tls_conn *tls;
	/*
	 * The reader and the input buffer exist only while a request is coming
	 * in: an idle connection holds its TLS session and little else.
	 */
	struct http_reader *rd;
	struct api_peer peer;
	char *in; /* IN_BUF bytes: received, decrypted, not yet parsed */
	size_t in_len;
	char *out; /* the response being sent */
	size_t out_len, out_off;
	char *out_body; /* sent after out, from the reply's own buffer (not copied) */
	size_t out_body_len;
	bool is_closing_after; /* close once the response is out */
	bool is_request_open;  /* a request's first byte arrived: the read timeout runs */
	bool is_receiving;     /* the request is still coming in: counted in n_receiving */
	bool is_interim;       /* the output is "100 Continue": the request goes on after it */
	size_t lingered;       /* bytes drained in CONN_LINGER */
	int64_t request_start; /* CLOCK_MONOTONIC usec */
	int64_t deadline;      /* CLOCK_MONOTONIC usec */
	uint32_t events;       /* registered with epoll */
	struct conn *prev, *next;
	struct batch_job *batch; /* CONN_DECODING */
	struct api_reply held;	 /* CONN_HELD: the reply to send after the commit */
	struct conn *next_held;
	struct worker_job *job; /* CONN_HELD: the worker is answering this */
};

struct server {
	const struct config *cfg;
	int epfd, listen_fd, signal_fd;
	struct tls_server *tls;
	struct db *db;
	struct workq *workq;
	struct vault *vault; /* NULL: templates are not shared */
	struct api api;
	struct metrics metrics;
	struct conn *conns; /* open */
	struct conn *dead;  /* closed, freed after the event batch */
	size_t n_conns, max_conns;
	bool is_stopping;
	int64_t stop_deadline;
	/*
	 * Group commit: record batches share one transaction (one fsync, and one
	 * write of each index page they touch); their answers are held until it
	 * commits. The group commits at the end of a loop turn once no batch is
	 * left on the worker and no request is half received (it may be one
	 * more batch), or after GROUP_USEC, whichever comes first. Bigger groups
	 * matter: each commit writes every index page it touched, and a batch
	 * touches hundreds (records_nip).
	 */
	bool is_group_open;
	int64_t group_start;   /* CLOCK_MONOTONIC usec */
	size_t n_decoding;     /* batches on the worker, their connections open or not */
	size_t n_receiving;    /* connections with a request half received */
	bool is_heap_dirty;    /* handshakes or batches freed memory since the last trim */
	struct conn *held;     /* connections in CONN_HELD, newest first */
	struct worker *worker; /* answers slow routes (reports) off the loop */
};

/* epoll tags for the non-connection fds. */
static char listen_tag, signal_tag, workq_tag, worker_tag;

static int64_t mono_usec(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * CLK_USEC_PER_SEC + ts.tv_nsec / 1000;
}

static void conn_receiving(struct conn *c, bool is_receiving)
{
	if (c->is_receiving == is_receiving)
		return;
	c->is_receiving = is_receiving;
	if (is_receiving)
		c->srv->n_receiving++;
	else
		c->srv->n_receiving--;
}

static void conn_close(struct conn *c)
{
	struct server *srv = c->srv;

	if (c->state == CONN_CLOSED)
		return;
	c->state = CONN_CLOSED;
	conn_receiving(c, false);
	if (c->batch) {
		c->batch->conn = NULL; /* the decoded batch is dropped when it comes */
		c->batch = NULL;
	}
	if (c->job)
		c->job->owner = NULL; /* the worker's answer is dropped when it comes */
	(void)epoll_ctl(srv->epfd, EPOLL_CTL_DEL, c->fd, NULL);
	close(c->fd);
	c->fd = -1;
	if (c->prev)
		c->prev->next = c->next;
	else
		srv->conns = c->next;
	if (c->next)
		c->next->prev = c->prev;
	c->prev = NULL;
	c->next = srv->dead;
	srv->dead = c;
	srv->n_conns--;
	srv->metrics.connections_open--;
}

static void conn_free(struct conn *c)
{
	tls_conn_free(c->tls);
	http_reader_free(c->rd);
	free(c->in);
	free(c->out);
	free(c->out_body);
	free(c);
}

static void free_dead(struct server *srv)
{
	while (srv->dead) {
		struct conn *c = srv->dead;

		srv->dead = c->next;
		conn_free(c);
	}
}

static void conn_want(struct conn *c, uint32_t events)
{
	struct epoll_event ev = {.events = events, .data.ptr = c};

	if (c->events == events)
		return;
	if (epoll_ctl(c->srv->epfd, EPOLL_CTL_MOD, c->fd, &ev) < 0) {
		log_warn("server: epoll: %s, closing connection", strerror(errno));
		conn_close(c);
		return;
	}
	c->events = events;
}

static void conn_want_tls(struct conn *c)
{
	conn_want(c, tls_conn_wants_write(c->tls) ? EPOLLOUT : EPOLLIN);
}

/*
 * How long a connection may wait for its next request. Only devices (a
 * verified client certificate) are held for idle_timeout; anyone else gets
 * read_timeout, so anonymous clients cannot fill the connection limit.
 */
static int64_t idle_usec(const struct conn *c)
{
	const struct config *cfg = c->srv->cfg;

	return (c->peer.has_cert ? cfg->idle_timeout_ms : cfg->read_timeout_ms) * 1000;
}

/* Queue a formatted response; the connection moves to CONN_WRITING. */
static void conn_respond(struct conn *c, struct api_reply *reply, bool is_head)
{
	struct server *srv = c->srv;
	struct http_response resp = {
	    .status = reply->status,
	    .content_type = reply->content_type,
	    .body = reply->body,
	    .body_len = reply->body_len,
	    .extra_headers = api_reply_headers(reply),
	    .etag = reply->etag[0] ? reply->etag : NULL,
	    .server = "hadir-collector",
	    .is_keep_alive = !c->is_closing_after && !srv->is_stopping,
	    .is_head = is_head,
	    .server_time_usec = clk_wall_usec(),
	};
	int64_t now = mono_usec();
	int r;

	metrics_request(&srv->metrics, reply->status,
			now - (c->request_start ? c->request_start : now));
	/* A small reply goes out in one TLS record; a big one is not copied on the loop. */
	if (reply->body_len <= WRITE_TURN) {
		r = http_response_format(&resp, &c->out, &c->out_len);
	} else {
		r = http_response_head(&resp, &c->out, &c->out_len, &c->out_body_len);
		if (r == 0 && c->out_body_len) {
			c->out_body = reply->body; /* the connection's now */
			reply->body = NULL;
		}
	}
	api_reply_done(reply);
	if (r < 0) {
		conn_close(c);
		return;
	}
	if (!resp.is_keep_alive)
		c->is_closing_after = true;
	c->out_off = 0;
	c->state = CONN_WRITING;
	c->deadline = now + srv->cfg->read_timeout_ms * 1000;
}

static void conn_reject_request(struct conn *c, int err)
{
	struct api_reply reply;
	int status;
	const char *msg;

	switch (err) {
	case -EMSGSIZE:
		status = 431;
		msg = "request headers too large";
		break;
	case -E2BIG:
		status = 413;
		msg = "request body too large";
		break;
	case -ENOTSUP:
		status = 501;
		msg = "not supported";
		break;
	case -ENOMEM:
		status = 500;
		msg = "out of memory";
		break;
	default:
		status = 400;
		msg = "malformed HTTP request";
		break;
	}
	log_debug("server: rejecting request: %d %s", status, msg);
	conn_receiving(c, false);
	c->is_closing_after = true;
	api_error(status, msg, clk_wall_usec(), &reply);
	conn_respond(c, &reply, false);
}

static void conn_step(struct conn *c);

/* Commit the group and send the answers it held (a 503 each if the commit failed). */
static void group_flush(struct server *srv)
{
	struct conn *c, *next;
	int r;

	if (!srv->is_group_open)
		return;
	srv->is_group_open = false;
	srv->is_heap_dirty = true;
	r = db_commit(srv->db);
	if (r < 0) {
		log_err("server: group commit failed: %s; batches must be resent", strerror(-r));
		db_rollback(srv->db);
	}
	for (c = srv->held, srv->held = NULL; c; c = next) {
		next = c->next_held;
		c->next_held = NULL;
		if (c->state != CONN_HELD)
			continue;
		if (r < 0) {
			api_reply_done(&c->held);
			api_error(503, "storage error; resend later", clk_wall_usec(), &c->held);
		}
		conn_respond(c, &c->held, false);
		conn_step(c);
	}
}

static bool is_group_request(const struct http_request *req)
{
	return req->method == HTTP_VERB_POST && strcmp(req->path, "/api/v1/records") == 0;
}

/* Join the group commit if one is open or can be; false when it cannot. */
static bool group_join(struct server *srv)
{
	if (!srv->is_group_open && db_begin(srv->db) == 0) {
		srv->is_group_open = true;
		srv->group_start = mono_usec();
	}
	return srv->is_group_open;
}

/* Hold reply for the group commit, or send it now when not grouped. */
static void conn_answer(struct conn *c, struct api_reply *reply, bool is_grouped, bool is_head)
{
	struct server *srv = c->srv;

	if (!is_grouped) {
		conn_respond(c, reply, is_head);
		return;
	}
	c->held = *reply;
	c->state = CONN_HELD;
	c->next_held = srv->held;
	srv->held = c;
}

static void batch_job_run(struct workq_job *job)
{
	struct batch_job *bj = (struct batch_job *)job;

	api_records_decode(bj->body, bj->body_len, bj->cert, bj->cert_len, &bj->out);
	FREE_AND_NULL(bj->body);
}

static void batch_job_free(struct workq_job *job)
{
	struct batch_job *bj = (struct batch_job *)job;

	if (bj->body)
		free(bj->body); /* never ran */
	else if (bj->out.r == 0)
		record_batch_free(&bj->out.batch);
	free(bj->cert);
	free(bj);
}

/* Hand req's batch to the worker; false when it cannot take it (then decode here). */
static bool batch_submit(struct conn *c, const struct http_request *req)
{
	struct batch_job *bj = calloc(1, sizeof(*bj));
	const uint8_t *der;

	if (!bj)
		return false;
	bj->body = malloc(req->body_len + 1);
	if (bj->body && tls_conn_peer_cert(c->tls, &der, &bj->cert_len)) {
		bj->cert = malloc(bj->cert_len);
		if (bj->cert)
			memcpy(bj->cert, der, bj->cert_len);
	}
	if (!bj->body || (bj->cert_len && !bj->cert)) {
		free(bj->body);
		free(bj);
		return false;
	}
	if (req->body_len)
		memcpy(bj->body, req->body, req->body_len);
	bj->body[req->body_len] = '\0';
	bj->body_len = req->body_len;
	bj->base.run = batch_job_run;
	bj->conn = c;
	c->batch = bj;
	c->state = CONN_DECODING;
	conn_want(c, 0); /* nothing to read or write until the batch is back */
	workq_submit(c->srv->workq, &bj->base);
	c->srv->n_decoding++;
	return true;
}

/* Store the batches the worker finished, in the order they were submitted. */
static void batches_done(struct server *srv)
{
	struct workq_job *job;

	for (job = workq_done(srv->workq); job; job = workq_done(srv->workq)) {
		struct batch_job *bj = (struct batch_job *)job;
		struct conn *c = bj->conn;
		struct api_reply reply;

		srv->n_decoding--;
		if (c) {
			bool is_grouped = group_join(srv);

			c->batch = NULL;
			api_records_store(&srv->api, &c->peer, &bj->out, clk_wall_usec(), &reply);
			log_debug("server: POST /api/v1/records -> %d", reply.status);
			conn_answer(c, &reply, is_grouped, false);
			if (c->state != CONN_HELD)
				conn_step(c);
		}
		batch_job_free(job);
	}
}

/*
 * Hand a slow request to the worker; the connection waits in CONN_HELD and
 * reads nothing meanwhile. False when there is no memory for the job.
 */
static bool conn_offload(struct conn *c, const struct http_request *req)
{
	struct worker_job *job = calloc(1, sizeof(*job));

	if (!job)
		return false;
	job->req = *req;
	if (req->body_len) {
		job->body_copy = malloc(req->body_len + 1); /* NUL-terminated, as the reader's */
		if (!job->body_copy) {
			free(job);
			return false;
		}
		memcpy(job->body_copy, req->body, req->body_len);
		job->body_copy[req->body_len] = '\0';
		job->req.body = job->body_copy;
	}
	job->peer = c->peer;
	job->now = clk_wall_usec();
	job->owner = c;
	c->job = job;
	c->state = CONN_HELD;
	c->deadline = mono_usec() + SLOW_USEC;
	conn_want(c, 0);
	worker_submit(c->srv->worker, job);
	return true;
}

/* Send the answers the worker finished. */
static void worker_collect(struct server *srv)
{
	struct worker_job *job = worker_take_done(srv->worker), *next;

	for (; job; job = next) {
		struct conn *c = job->owner;

		next = job->next;
		if (c && c->state == CONN_HELD) {
			c->job = NULL;
			c->held = job->reply;
			conn_respond(c, &c->held, job->req.method == HTTP_VERB_HEAD);
			conn_step(c);
		} else {
			api_reply_done(&job->reply);
		}
		worker_job_free(job);
	}
}

static void conn_handle(struct conn *c)
{
	const struct http_request *req = http_reader_request(c->rd);
	struct server *srv = c->srv;
	struct api_reply reply;
	bool is_grouped = false;

	if (!req->is_keep_alive)
		c->is_closing_after = true;
	if (api_is_slow(req) && conn_offload(c, req))
		return;
	if (is_group_request(req)) {
		if (batch_submit(c, req))
			return;
		is_grouped = group_join(srv);
	} else {
		/* Anything else may open its own transaction: close the group first. */
		group_flush(srv);
	}
	api_handle(&srv->api, &c->peer, req, clk_wall_usec(), &reply);
	log_debug("server: %s %s -> %d", req->method == HTTP_VERB_POST ? "POST" : "GET", req->path,
		  reply.status);
	conn_answer(c, &reply, is_grouped, req->method == HTTP_VERB_HEAD);
}

/* Make sure the reader and the input buffer exist; false when out of memory. */
static bool conn_buffers(struct conn *c)
{
	const struct config *cfg = c->srv->cfg;

	if (!c->rd)
		c->rd = http_reader_new((size_t)cfg->max_header_bytes, (size_t)cfg->max_body_bytes);
	if (!c->in)
		c->in = malloc(IN_BUF);
	return c->rd && c->in;
}

/* Between requests, with nothing buffered: give the reader and the input buffer back. */
static void conn_idle(struct conn *c)
{
	if (c->in_len > 0 || c->is_request_open)
		return;
	http_reader_free(c->rd);
	c->rd = NULL;
	FREE_AND_NULL(c->in);
}

/* Parse what is buffered; true when the connection changed state. */
static bool conn_parse(struct conn *c)
{
	size_t used = 0;
	bool done = false;
	int r;

	r = http_reader_feed(c->rd, c->in, c->in_len, &used, &done);
	if (r == 0 && !done && used < c->in_len)
		r = -EBADMSG; /* the parser stopped without saying why */
	if (r < 0) {
		c->in_len = 0;
		conn_reject_request(c, r);
		return true;
	}
	memmove(c->in, c->in + used, c->in_len - used);
	c->in_len -= used;
	if (!c->is_request_open && http_reader_is_started(c->rd)) {
		c->is_request_open = true;
		conn_receiving(c, true);
		c->request_start = mono_usec();
		c->deadline = c->request_start + c->srv->cfg->read_timeout_ms * 1000;
	}
	if (done) {
		conn_receiving(c, false);
		conn_handle(c);
		return true;
	}
	if (http_reader_take_continue(c->rd)) {
		static const char interim[] = "HTTP/1.1 100 Continue\r\n\r\n";

		c->out = strdup(interim);
		if (!c->out) {
			conn_close(c);
			return true;
		}
		c->out_len = sizeof(interim) - 1;
		c->out_off = 0;
		c->is_interim = true;
		c->state = CONN_WRITING; /* the request's read deadline keeps running */
		return true;
	}
	return false;
}

static void conn_step(struct conn *c)
{
	struct server *srv = c->srv;
	ssize_t n;
	int r;

	for (;;) {
		switch (c->state) {
		case CONN_HANDSHAKE:
			r = tls_handshake(c->tls);
			if (r == -EAGAIN) {
				conn_want_tls(c);
				return;
			}
			if (r < 0) {
				srv->metrics.handshake_failures++;
				log_debug("server: handshake failed: %s", strerror(-r));
				conn_close(c);
				return;
			}
			c->peer.has_cert = tls_conn_peer(c->tls, c->peer.fingerprint);
			srv->is_heap_dirty = true; /* the handshake's own state is freed */
			c->state = CONN_READING;
			c->deadline = mono_usec() + idle_usec(c);
			break;
		case CONN_READING:
			if (c->in_len > 0 && conn_parse(c))
				break;
			if (c->state != CONN_READING)
				break;
			if (srv->is_stopping && !c->is_request_open) {
				conn_close(c);
				return;
			}
			/* The parser always empties the buffer; be sure of it. */
			if (c->in_len == IN_BUF) {
				conn_reject_request(c, -EBADMSG);
				break;
			}
			if (!conn_buffers(c)) {
				conn_close(c);
				return;
			}
			n = tls_read(c->tls, c->in + c->in_len, IN_BUF - c->in_len);
			if (n == -EAGAIN) {
				conn_idle(c);
				conn_want_tls(c);
				return;
			}
			if (n <= 0) {
				conn_close(c);
				return;
			}
			c->in_len += (size_t)n;
			break;
		case CONN_WRITING:
			/*
			 * At most WRITE_TURN bytes a turn: encrypting a 60 MB report for
			 * a fast reader would otherwise hold the loop for most of a
			 * second. The deadline counts from the last progress.
			 */
			for (size_t sent = 0; c->out_off < c->out_len; sent += (size_t)n) {
				if (sent >= WRITE_TURN) {
					conn_want(c, EPOLLOUT);
					return;
				}
				n = tls_write(c->tls, c->out + c->out_off, c->out_len - c->out_off);
				if (n == -EAGAIN) {
					conn_want_tls(c);
					return;
				}
				if (n < 0) {
					conn_close(c);
					return;
				}
				c->out_off += (size_t)n;
				c->deadline = mono_usec() + srv->cfg->read_timeout_ms * 1000;
			}
			FREE_AND_NULL(c->out);
			if (c->out_body) {
				c->out = c->out_body;
				c->out_len = c->out_body_len;
				c->out_off = 0;
				c->out_body = NULL;
				break; /* a new turn for the body */
			}
			if (c->is_interim) {
				c->is_interim = false;
				c->state = CONN_READING;
				break;
			}
			if (c->is_closing_after) {
				tls_close_notify(c->tls);
				(void)shutdown(c->fd, SHUT_WR);
				c->state = CONN_LINGER;
				c->deadline = mono_usec() + LINGER_USEC;
				conn_want(c, EPOLLIN);
				return;
			}
			if (c->rd)
				http_reader_next(c->rd);
			c->is_request_open = false;
			c->request_start = 0;
			c->state = CONN_READING;
			c->deadline = mono_usec() + idle_usec(c);
			break;
		case CONN_DECODING:
		case CONN_HELD:
			return;
		case CONN_LINGER: {
			char scratch[4096];

			n = recv(c->fd, scratch, sizeof(scratch), 0);
			if (n < 0 && (errno == EAGAIN || errno == EINTR))
				return;
			c->lingered += n > 0 ? (size_t)n : 0;
			if (n <= 0 || c->lingered > LINGER_BYTES) {
				conn_close(c);
				return;
			}
			break;
		}
		case CONN_CLOSED:
			return;
		}
	}
}

static void accept_all(struct server *srv)
{
	for (;;) {
		struct epoll_event ev = {.events = EPOLLIN};
		struct sockaddr_storage addr;
		socklen_t addr_len = sizeof(addr);
		struct conn *c;
		int fd, r, one = 1;

		fd = accept4(srv->listen_fd, (struct sockaddr *)&addr, &addr_len,
			     SOCK_NONBLOCK | SOCK_CLOEXEC);
		if (fd < 0) {
			if (errno == EINTR || errno == ECONNABORTED)
				continue;
			if (errno != EAGAIN && errno != EWOULDBLOCK)
				log_warn("server: accept: %s", strerror(errno));
			return;
		}
		if (srv->n_conns >= srv->max_conns || srv->is_stopping) {
			srv->metrics.connections_rejected++;
			close(fd);
			continue;
		}
		/* mbedTLS sends each handshake message on its own: without this, Nagle and
		 * the client's delayed ACK add ~40 ms to every handshake. */
		(void)setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof(one));
		c = calloc(1, sizeof(*c));
		if (!c) {
			close(fd);
			continue;
		}
		c->srv = srv;
		c->fd = fd;
		if (getnameinfo((struct sockaddr *)&addr, addr_len, c->peer.addr,
				sizeof(c->peer.addr), NULL, 0, NI_NUMERICHOST) != 0)
			snprintf(c->peer.addr, sizeof(c->peer.addr), "?");
		r = tls_conn_new(srv->tls, fd, &c->tls);
		ev.data.ptr = c;
		if (r == 0 && epoll_ctl(srv->epfd, EPOLL_CTL_ADD, fd, &ev) < 0)
			r = -errno;
		if (r < 0) {
			log_warn("server: new connection: %s", strerror(-r));
			close(fd);
			conn_free(c);
			continue;
		}
		c->events = EPOLLIN;
		c->state = CONN_HANDSHAKE;
		c->deadline = mono_usec() + srv->cfg->read_timeout_ms * 1000;
		c->next = srv->conns;
		if (srv->conns)
			srv->conns->prev = c;
		srv->conns = c;
		srv->n_conns++;
		srv->metrics.connections_open++;
		srv->metrics.connections_total++;
	}
}

/*
 * Give freed heap back to the system once a burst is over: handshakes and
 * batch decoding leave free memory between the long-lived TLS sessions that
 * malloc would otherwise keep, and an idle collector should be small.
 */
static void trim_heap(struct server *srv)
{
	if (!srv->is_heap_dirty || srv->is_group_open || srv->n_decoding > 0)
		return;
	srv->is_heap_dirty = false;
	(void)malloc_trim(0);
}

static void sweep(struct server *srv, int64_t now)
{
	struct conn *c = srv->conns, *next;

	for (; c; c = next) {
		next = c->next;
		if (c->deadline <= now) {
			if (c->state != CONN_LINGER)
				srv->metrics.connections_timed_out++;
			conn_close(c);
		}
	}
}

static void begin_stop(struct server *srv)
{
	struct conn *c, *next;

	log_info("server: stopping; answering requests in flight");
	(void)sd_notify(0, "STOPPING=1");
	srv->is_stopping = true;
	srv->stop_deadline = mono_usec() + srv->cfg->shutdown_timeout_ms * 1000;
	(void)epoll_ctl(srv->epfd, EPOLL_CTL_DEL, srv->listen_fd, NULL);
	close(srv->listen_fd);
	srv->listen_fd = -1;
	for (c = srv->conns; c; c = next) {
		next = c->next;
		if (c->state == CONN_HANDSHAKE || c->state == CONN_LINGER ||
		    (c->state == CONN_READING && !c->is_request_open && c->in_len == 0))
			conn_close(c);
		else
			c->is_closing_after = true;
	}
}

static int open_listener(const char *listen_text)
{
	struct addrinfo hints = {.ai_family = AF_UNSPEC,
				 .ai_socktype = SOCK_STREAM,
				 .ai_flags = AI_PASSIVE | AI_NUMERICSERV};
	char host[CONFIG_HOST_MAX], port_text[8];
	struct addrinfo *res, *ai;
	uint16_t port;
	int fd = -1, r;

	if (config_parse_listen(listen_text, host, &port) < 0)
		return -EINVAL;
	snprintf(port_text, sizeof(port_text), "%u", port);
	r = getaddrinfo(host, port_text, &hints, &res);
	if (r != 0) {
		log_err("server: listen address '%s': %s", listen_text, gai_strerror(r));
		return -EADDRNOTAVAIL;
	}
	r = -EADDRNOTAVAIL;
	for (ai = res; ai; ai = ai->ai_next) {
		int one = 1;

		fd = socket(ai->ai_family, ai->ai_socktype | SOCK_NONBLOCK | SOCK_CLOEXEC,
			    ai->ai_protocol);
		if (fd < 0) {
			r = -errno;
			continue;
		}
		(void)setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
		if (bind(fd, ai->ai_addr, ai->ai_addrlen) == 0 && listen(fd, 1024) == 0) {
			r = 0;
			break;
		}
		r = -errno;
		close(fd);
		fd = -1;
	}
	freeaddrinfo(res);
	if (r < 0) {
		log_err("server: listen on '%s': %s", listen_text, strerror(-r));
		return r;
	}
	return fd;
}

/* Raise the open-file limit as far as allowed; returns how many connections fit. */
static size_t fit_connections(int64_t wanted)
{
	struct rlimit rl;
	size_t room;

	if (getrlimit(RLIMIT_NOFILE, &rl) == 0 && rl.rlim_cur < rl.rlim_max) {
		rl.rlim_cur = rl.rlim_max;
		(void)setrlimit(RLIMIT_NOFILE, &rl);
	}
	if (getrlimit(RLIMIT_NOFILE, &rl) < 0 || rl.rlim_cur == RLIM_INFINITY)
		return (size_t)wanted;
	room = rl.rlim_cur > 64 ? (size_t)rl.rlim_cur - 64 : 1;
	if ((size_t)wanted > room) {
		log_warn("server: max_connections %lld exceeds the open-file limit; using %zu",
			 (long long)wanted, room);
		return room;
	}
	return (size_t)wanted;
}

static int peer_check(const uint8_t fingerprint[CRYPTO_SHA256_LEN], void *user)
{
	struct server *srv = user;
	char hex[CRYPTO_SHA256_HEX];
	struct db_device dev;

	crypto_hex(fingerprint, hex);
	if (db_device_by_fingerprint(srv->db, hex, &dev) < 0 || dev.is_disabled)
		return -EACCES;
	return 0;
}

/* One decoding worker per core: the loop mostly waits on the disk and the network. */
static size_t worker_count(void)
{
	long n = sysconf(_SC_NPROCESSORS_ONLN);

	if (n < 1)
		return 1;
	return n > WORKQ_THREADS_MAX ? WORKQ_THREADS_MAX : (size_t)n;
}

static int setup(struct server *srv)
{
	struct epoll_event ev = {.events = EPOLLIN};
	sigset_t mask;
	int r;

	r = site_check(srv->cfg);
	if (r < 0)
		return r;
	r = db_open(srv->cfg, &srv->db);
	if (r < 0)
		return r;
	r = vault_open(srv->cfg, srv->db, &srv->vault);
	if (r < 0)
		return r;
	/* Never stop the loop for another process's long write (db.h). */
	db_set_lock_wait(srv->db, LOOP_LOCK_WAIT_MS);
	srv->api = (struct api){
	    .cfg = srv->cfg, .db = srv->db, .metrics = &srv->metrics, .vault = srv->vault};
	r = tls_server_new(srv->cfg, peer_check, srv, &srv->tls);
	if (r < 0)
		return r;
	srv->max_conns = fit_connections(srv->cfg->max_connections);

	sigemptyset(&mask);
	sigaddset(&mask, SIGTERM);
	sigaddset(&mask, SIGINT);
	if (sigprocmask(SIG_BLOCK, &mask, NULL) < 0)
		return -errno;
	(void)signal(SIGPIPE, SIG_IGN);
	srv->signal_fd = signalfd(-1, &mask, SFD_NONBLOCK | SFD_CLOEXEC);
	if (srv->signal_fd < 0)
		return -errno;
	/* After the mask: the workers inherit it, so the signals reach only the signalfd. */
	r = workq_new(worker_count(), &srv->workq);
	if (r < 0)
		return r;
	srv->epfd = epoll_create1(EPOLL_CLOEXEC);
	if (srv->epfd < 0)
		return -errno;
	srv->listen_fd = open_listener(srv->cfg->listen);
	if (srv->listen_fd < 0)
		return srv->listen_fd;
	ev.data.ptr = &listen_tag;
	if (epoll_ctl(srv->epfd, EPOLL_CTL_ADD, srv->listen_fd, &ev) < 0)
		return -errno;
	ev.data.ptr = &signal_tag;
	if (epoll_ctl(srv->epfd, EPOLL_CTL_ADD, srv->signal_fd, &ev) < 0)
		return -errno;
	r = worker_start(srv->cfg, srv->vault, &srv->worker);
	if (r < 0)
		return r;
	ev.data.ptr = &worker_tag;
	if (epoll_ctl(srv->epfd, EPOLL_CTL_ADD, worker_fd(srv->worker), &ev) < 0)
		return -errno;
	ev.data.ptr = &workq_tag;
	if (epoll_ctl(srv->epfd, EPOLL_CTL_ADD, workq_fd(srv->workq), &ev) < 0)
		return -errno;
	return 0;
}

static void teardown(struct server *srv)
{
	while (srv->conns)
		conn_close(srv->conns);
	free_dead(srv);
	worker_stop(srv->worker); /* after the connections: they no longer own jobs */
	workq_free(srv->workq, batch_job_free);
	if (srv->listen_fd >= 0)
		close(srv->listen_fd);
	if (srv->signal_fd >= 0)
		close(srv->signal_fd);
	if (srv->epfd >= 0)
		close(srv->epfd);
	tls_server_free(srv->tls);
	vault_free(srv->vault);
	db_close(srv->db);
}

static void on_signal(struct server *srv)
{
	struct signalfd_siginfo si;

	while (read(srv->signal_fd, &si, sizeof(si)) == (ssize_t)sizeof(si))
		if (!srv->is_stopping)
			begin_stop(srv);
}

int server_run(const struct config *cfg)
{
	struct server srv = {.cfg = cfg, .epfd = -1, .listen_fd = -1, .signal_fd = -1};
	struct epoll_event events[MAX_EVENTS];
	int64_t next_sweep = 0, next_watchdog = 0;
	uint64_t watchdog_usec = 0;
	int r;

	r = setup(&srv);
	if (r < 0) {
		log_err("server: cannot start: %s", strerror(-r));
		teardown(&srv);
		return r;
	}
	log_info("server: listening on %s (at most %zu connections)", cfg->listen, srv.max_conns);
	(void)sd_notify(0, "READY=1");
	/* WatchdogSec= in the unit: prove the loop turns, twice per period. */
	if (sd_watchdog_enabled(0, &watchdog_usec) <= 0)
		watchdog_usec = 0;

	while (!srv.is_stopping || (srv.n_conns > 0 && mono_usec() < srv.stop_deadline)) {
		int64_t wait_usec = srv.is_group_open ? GROUP_USEC : SWEEP_USEC;
		int n = epoll_wait(srv.epfd, events, MAX_EVENTS, (int)(wait_usec / 1000));
		int64_t now;

		if (n < 0 && errno != EINTR) {
			r = -errno;
			log_err("server: epoll_wait: %s", strerror(-r));
			break;
		}
		for (int i = 0; i < n; i++) {
			void *tag = events[i].data.ptr;

			if (tag == &listen_tag) {
				if (!srv.is_stopping)
					accept_all(&srv);
			} else if (tag == &signal_tag) {
				on_signal(&srv);
			} else if (tag == &workq_tag) {
				batches_done(&srv);
			} else if (tag == &worker_tag) {
				worker_collect(&srv);
			} else {
				struct conn *c = tag;

				/* A held or decoding connection listens for nothing but a hang-up.
				 */
				if ((c->state == CONN_HELD || c->state == CONN_DECODING) &&
				    (events[i].events & (EPOLLHUP | EPOLLERR)))
					conn_close(c);
				else if (c->state != CONN_CLOSED)
					conn_step(c);
			}
		}
		now = mono_usec();
		if ((srv.n_decoding == 0 && srv.n_receiving == 0) ||
		    now - srv.group_start >= GROUP_USEC)
			group_flush(&srv);
		free_dead(&srv);
		if (now >= next_sweep) {
			sweep(&srv, now);
			free_dead(&srv);
			trim_heap(&srv);
			next_sweep = now + SWEEP_USEC;
		}
		if (watchdog_usec && now >= next_watchdog) {
			(void)sd_notify(0, "WATCHDOG=1");
			next_watchdog = now + (int64_t)(watchdog_usec / 2);
		}
	}
	if (srv.n_conns > 0)
		log_warn("server: %zu connections still open at the shutdown timeout, closing",
			 srv.n_conns);
	teardown(&srv);
	log_info("server: stopped");
	return r < 0 ? r : 0;
}
