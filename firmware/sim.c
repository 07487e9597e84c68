// SPDX-License-Identifier: MIT
/*
 * Sim socket server. Bounded everywhere: a fixed number of clients, a line
 * buffer and an output buffer per client, and a queue of pending commands;
 * when the queue is full, clients are simply not read until it drains.
 */
#include "firmware/sim.h"

#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <unistd.h>

#include "common/log.h"
#include "common/record.h"
#include "firmware/loop.h"

#define SIM_CLIENTS_MAX 16
#define SIM_LINE_MAX	256
#define SIM_OUT_MAX	65536
#define SIM_QUEUE_MAX	256

struct sim_client {
	struct sim *sim;
	int fd;		     /* -1: slot free */
	unsigned generation; /* tells a reused slot from the client a reply was for */
	struct loop_source *source;
	char in[SIM_LINE_MAX];
	size_t in_len;
	bool discarding; /* inside an over-long line: drop until its newline */
	bool paused;	 /* not read while the queue is full */
	char out[SIM_OUT_MAX];
	size_t out_len;
};

struct sim_pending {
	unsigned client, generation;
	struct sim_cmd cmd;
};

struct sim {
	struct loop *loop;
	int listen_fd;
	struct loop_source *listen_source;
	char path[108];
	sim_start_fn *start;
	void *user;
	struct sim_client clients[SIM_CLIENTS_MAX];
	struct sim_pending queue[SIM_QUEUE_MAX];
	unsigned head, count; /* queue[head] is in flight when in_flight */
	bool in_flight;
	bool starting; /* inside start_next() */
};

static bool parse_digits(const char *s, size_t max_len)
{
	size_t len = strlen(s);

	if (len == 0 || len > max_len)
		return false;
	for (size_t i = 0; i < len; i++)
		if (s[i] < '0' || s[i] > '9')
			return false;
	return true;
}

int sim_parse(const char *line, struct sim_cmd *ret_cmd, const char **ret_why)
{
	static const struct {
		const char *word;
		enum sim_kind kind;
	} words[] = {{"wiegand", SIM_WIEGAND},
		     {"card", SIM_CARD},
		     {"finger", SIM_FINGER},
		     {"fpm", SIM_FPM},
		     {"fingerprint", SIM_FINGERPRINT}};
	const char *space = strchr(line, ' ');
	struct sim_cmd cmd = {.kind = SIM_CARD};
	size_t word_len = space ? (size_t)(space - line) : strlen(line);
	const char *arg = space ? space + 1 : "";
	bool known = false;

	for (size_t i = 0; i < ARRAY_SIZE(words); i++) {
		if (strlen(words[i].word) == word_len &&
		    strncmp(line, words[i].word, word_len) == 0) {
			cmd.kind = words[i].kind;
			known = true;
		}
	}
	if (!known) {
		*ret_why =
		    "unknown command (wiegand BITS, card DIGITS, finger SLOT, fpm FAULT, ping)";
		return -EINVAL;
	}
	if (strlen(arg) >= SIM_ARG_MAX) {
		*ret_why = "argument too long";
		return -EINVAL;
	}
	switch (cmd.kind) {
	case SIM_WIEGAND:
		if (arg[0] == '\0' || strspn(arg, "01") != strlen(arg) || strlen(arg) > 128) {
			*ret_why =
			    "wiegand takes 1 to 128 bits, e.g. wiegand 10111101100010001110101110";
			return -EINVAL;
		}
		break;
	case SIM_CARD:
		if (!parse_digits(arg, 20)) {
			*ret_why = "card takes 1 to 20 digits, e.g. card 8000987";
			return -EINVAL;
		}
		break;
	case SIM_FINGER:
		if (!parse_digits(arg, 5) || atoi(arg) > 65535) {
			*ret_why = "finger takes a slot 0 to 65535, e.g. finger 7";
			return -EINVAL;
		}
		break;
	case SIM_FPM:
		if (strcmp(arg, "garbage") != 0 && strcmp(arg, "badsum") != 0 &&
		    strcmp(arg, "hang") != 0 && strcmp(arg, "nofinger") != 0 &&
		    strcmp(arg, "recover") != 0) {
			*ret_why = "fpm takes garbage, badsum, hang, nofinger or recover";
			return -EINVAL;
		}
		break;
	case SIM_FINGERPRINT:
		if ((strncmp(arg, "enroll ", 7) != 0 && strncmp(arg, "delete ", 7) != 0) ||
		    !parse_digits(arg + 7, RECORD_NIP_MAX - 1)) {
			*ret_why = "fingerprint takes enroll NIP or delete NIP";
			return -EINVAL;
		}
		break;
	}
	snprintf(cmd.arg, sizeof(cmd.arg), "%s", arg);
	*ret_cmd = cmd;
	return 0;
}

static void client_close(struct sim_client *c)
{
	if (c->fd < 0)
		return;
	loop_remove(c->sim->loop, c->source);
	close(c->fd);
	c->fd = -1;
	c->generation++;
}

static void client_watch(struct sim_client *c)
{
	uint32_t events = (c->paused ? 0 : EPOLLIN) | (c->out_len ? EPOLLOUT : 0);

	if (loop_modify(c->sim->loop, c->source, events) < 0)
		client_close(c);
}

static void client_flush(struct sim_client *c)
{
	while (c->out_len) {
		ssize_t n = send(c->fd, c->out, c->out_len, MSG_NOSIGNAL | MSG_DONTWAIT);

		if (n < 0) {
			if (errno == EAGAIN || errno == EINTR)
				break;
			client_close(c);
			return;
		}
		memmove(c->out, c->out + n, c->out_len - (size_t)n);
		c->out_len -= (size_t)n;
	}
	client_watch(c);
}

static void client_reply(struct sim_client *c, const char *fmt_reply, const char *detail)
{
	int n;

	if (c->fd < 0)
		return;
	n = snprintf(c->out + c->out_len, sizeof(c->out) - c->out_len, "%s%s%s\n", fmt_reply,
		     detail ? " " : "", detail ? detail : "");
	if (n < 0 || (size_t)n >= sizeof(c->out) - c->out_len) {
		/* A client that never reads its answers is cut off rather than buffered without
		 * end. */
		log_warn("sim: client not reading its replies, closing it");
		client_close(c);
		return;
	}
	c->out_len += (size_t)n;
	client_flush(c);
}

static void start_next(struct sim *sim);
static void pump(struct sim_client *c);

static void resume_paused(struct sim *sim)
{
	for (unsigned i = 0; i < SIM_CLIENTS_MAX && sim->count < SIM_QUEUE_MAX; i++) {
		struct sim_client *c = &sim->clients[i];

		if (c->fd >= 0 && c->paused) {
			c->paused = false;
			pump(c);
			if (c->fd >= 0)
				client_watch(c);
		}
	}
}

/* Answer and drop the command in flight. */
static void finish_head(struct sim *sim, const char *reply)
{
	struct sim_pending *p = &sim->queue[sim->head];
	struct sim_client *c = &sim->clients[p->client];

	if (c->fd >= 0 && c->generation == p->generation)
		client_reply(c, reply, NULL);
	sim->head = (sim->head + 1) % SIM_QUEUE_MAX;
	sim->count--;
	sim->in_flight = false;
}

void sim_finish(struct sim *sim, const char *reply)
{
	if (!sim->in_flight)
		return;
	finish_head(sim, reply);
	resume_paused(sim);
	start_next(sim);
}

bool sim_in_flight(const struct sim *sim)
{
	return sim->in_flight;
}

/*
 * Start queued commands until one is in flight. Inputs may finish a command
 * from inside start (a card is decoded at once); the flag turns the nested
 * call into another turn of this loop instead of recursion.
 */
static void start_next(struct sim *sim)
{
	if (sim->starting)
		return;
	sim->starting = true;
	while (!sim->in_flight && sim->count) {
		struct sim_pending *p = &sim->queue[sim->head];
		const char *why = NULL;

		sim->in_flight = true;
		if (sim->start(sim->user, &p->cmd, &why) < 0) {
			char reply[SIM_LINE_MAX];

			snprintf(reply, sizeof(reply), "error %s", why ? why : "cannot start");
			finish_head(sim, reply);
			resume_paused(sim);
		}
	}
	sim->starting = false;
}

/* Take complete lines from the client's buffer while the queue has room. */
static void pump(struct sim_client *c)
{
	struct sim *sim = c->sim;
	char *nl;

	while (c->fd >= 0 && (nl = memchr(c->in, '\n', c->in_len))) {
		size_t line_len = (size_t)(nl - c->in);
		struct sim_cmd cmd;
		const char *why;
		char line[SIM_LINE_MAX];

		if (sim->count == SIM_QUEUE_MAX) {
			c->paused = true;
			return;
		}
		memcpy(line, c->in, line_len);
		line[line_len] = '\0';
		if (line_len && line[line_len - 1] == '\r')
			line[line_len - 1] = '\0';
		memmove(c->in, nl + 1, c->in_len - line_len - 1);
		c->in_len -= line_len + 1;

		if (line[0] == '\0')
			continue;
		if (strcmp(line, "ping") == 0) {
			client_reply(c, "pong", NULL);
			continue;
		}
		if (sim_parse(line, &cmd, &why) < 0) {
			client_reply(c, "error", why);
			continue;
		}
		sim->queue[(sim->head + sim->count) % SIM_QUEUE_MAX] = (struct sim_pending){
		    .client = (unsigned)(c - sim->clients),
		    .generation = c->generation,
		    .cmd = cmd,
		};
		sim->count++;
		start_next(sim);
	}
}

static void client_ready(void *user, int fd, uint32_t events)
{
	struct sim_client *c = user;
	ssize_t n;

	if (events & EPOLLOUT)
		client_flush(c);
	if (c->fd < 0 || !(events & (EPOLLIN | EPOLLHUP | EPOLLERR)) || c->paused)
		return;
	n = recv(fd, c->in + c->in_len, sizeof(c->in) - c->in_len, MSG_DONTWAIT);
	if (n == 0 || (n < 0 && errno != EAGAIN && errno != EINTR)) {
		client_close(c);
		return;
	}
	if (n < 0)
		return;
	c->in_len += (size_t)n;
	if (c->discarding) {
		char *nl = memchr(c->in, '\n', c->in_len);

		if (!nl) {
			c->in_len = 0;
			return;
		}
		c->discarding = false;
		memmove(c->in, nl + 1, c->in_len - (size_t)(nl + 1 - c->in));
		c->in_len -= (size_t)(nl + 1 - c->in);
	}
	pump(c);
	if (c->fd >= 0 && c->in_len == sizeof(c->in) && !memchr(c->in, '\n', c->in_len)) {
		client_reply(c, "error", "line too long");
		c->in_len = 0;
		c->discarding = true;
	}
	if (c->fd >= 0 && c->paused)
		client_watch(c);
}

static void accept_ready(void *user, int fd, uint32_t events)
{
	struct sim *sim = user;
	struct sim_client *c = NULL;
	int cfd;

	(void)events;
	cfd = accept4(fd, NULL, NULL, SOCK_NONBLOCK | SOCK_CLOEXEC);
	if (cfd < 0)
		return;
	for (unsigned i = 0; i < SIM_CLIENTS_MAX && !c; i++)
		if (sim->clients[i].fd < 0)
			c = &sim->clients[i];
	if (!c) {
		log_warn("sim: more than %d clients, refusing one", SIM_CLIENTS_MAX);
		close(cfd);
		return;
	}
	c->fd = cfd;
	c->in_len = 0;
	c->out_len = 0;
	c->paused = false;
	c->discarding = false;
	if (loop_add(sim->loop, cfd, EPOLLIN, client_ready, c, &c->source) < 0) {
		close(cfd);
		c->fd = -1;
	}
}

int sim_new(struct loop *loop, const char *path, sim_start_fn *start, void *user,
	    struct sim **ret_sim)
{
	struct sockaddr_un addr = {.sun_family = AF_UNIX};
	struct sim *sim;
	int r;

	if (strlen(path) >= sizeof(addr.sun_path))
		return -ENAMETOOLONG;
	sim = calloc(1, sizeof(*sim));
	if (!sim)
		return -ENOMEM;
	sim->loop = loop;
	sim->start = start;
	sim->user = user;
	snprintf(sim->path, sizeof(sim->path), "%s", path);
	for (unsigned i = 0; i < SIM_CLIENTS_MAX; i++) {
		sim->clients[i].fd = -1;
		sim->clients[i].sim = sim;
	}
	memcpy(addr.sun_path, path, strlen(path) + 1);

	sim->listen_fd = socket(AF_UNIX, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
	if (sim->listen_fd < 0) {
		r = -errno;
		goto out_free;
	}
	/* A socket file left by a crash would make bind fail; it is ours to replace. */
	(void)unlink(path);
	if (bind(sim->listen_fd, (struct sockaddr *)&addr, sizeof(addr)) < 0 ||
	    chmod(path, 0660) < 0 || listen(sim->listen_fd, 16) < 0) {
		r = -errno;
		goto out_close;
	}
	r = loop_add(loop, sim->listen_fd, EPOLLIN, accept_ready, sim, &sim->listen_source);
	if (r < 0)
		goto out_close;
	*ret_sim = sim;
	return 0;

out_close:
	close(sim->listen_fd);
out_free:
	free(sim);
	return r;
}

void sim_free(struct sim *sim)
{
	if (!sim)
		return;
	for (unsigned i = 0; i < SIM_CLIENTS_MAX; i++)
		client_close(&sim->clients[i]);
	loop_remove(sim->loop, sim->listen_source);
	close(sim->listen_fd);
	(void)unlink(sim->path);
	free(sim);
}
