// SPDX-License-Identifier: MIT
/*
 * HTTP transport of the kiosk screen: accept, read, parse (common/http),
 * answer, write, all non-blocking in the kiosk's event loop. Requests go to
 * firmware/screen.c (the API) or to a file under [ui] root; event streams
 * get the state pushed whenever it changes.
 */
#include "firmware/ui.h"

#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <unistd.h>

#include "common/http.h"
#include "common/log.h"
#include "common/tz.h"
#include "firmware/kconfig.h"
#include "firmware/loop.h"
#include "firmware/screen.h"

#define UI_CONNS_MAX	16 /* a browser opens up to 6 per host; the rest is slack */
#define UI_HEADER_MAX	8192
#define UI_BODY_MAX	16384	      /* an activity entry is under 3 KB */
#define UI_IN_MAX	4096	      /* read buffer per connection */
#define UI_OUT_MAX	(256 * 1024)  /* queued event-stream output before the client is dropped */
#define UI_FILE_MAX	(1024 * 1024) /* a static file */
#define UI_IDLE_NS	(30 * INT64_C(1000000000)) /* a request connection with nothing to do */
#define UI_TAPS_QUEUED	16
#define UI_TAP_DELAY_NS (10 * INT64_C(1000000)) /* taps of a burst are greeted together */

static const char ui_headers[] = "X-Content-Type-Options: nosniff\r\n"
				 "Referrer-Policy: no-referrer\r\n"
				 "Content-Security-Policy: default-src 'self'\r\n";

struct ui_conn {
	struct ui *ui;
	int fd; /* -1: the slot is free */
	struct loop_source *source;
	struct http_reader *rd;
	char in[UI_IN_MAX];
	size_t in_len;
	char *out;
	size_t out_len, out_off;
	bool is_events;	       /* an event stream: state pushes follow */
	bool is_closing_after; /* close once out is written */
	int64_t active_ns;     /* CLOCK_MONOTONIC of the last progress */
};

struct ui {
	struct ui_deps deps;
	struct screen *screen;
	struct tz *tz;
	int listen_fd;
	struct loop_source *listen_source;
	struct loop_timer *timer;     /* session idle end, idle connections */
	struct loop_timer *tap_timer; /* queued taps, right after the tap path returns */
	struct {
		struct tap_result res;
		int64_t wall_usec; /* when it was answered */
	} taps[UI_TAPS_QUEUED];
	size_t n_taps;
	struct ui_conn conns[UI_CONNS_MAX];
};

int ui_listen_addr(const char *text, struct sockaddr_in *ret_addr)
{
	char host[INET_ADDRSTRLEN];
	const char *colon = strrchr(text, ':');
	struct sockaddr_in a = {.sin_family = AF_INET};
	char *end;
	long port;

	if (!colon || (size_t)(colon - text) >= sizeof(host))
		return -EINVAL;
	memcpy(host, text, (size_t)(colon - text));
	host[colon - text] = '\0';
	errno = 0;
	port = strtol(colon + 1, &end, 10);
	if (colon[1] == '\0' || *end != '\0' || errno != 0 || port < 1 || port > 65535)
		return -EINVAL;
	if (inet_pton(AF_INET, host, &a.sin_addr) != 1 || (ntohl(a.sin_addr.s_addr) >> 24) != 127)
		return -EINVAL;
	a.sin_port = htons((uint16_t)port);
	*ret_addr = a;
	return 0;
}

/* --- connections --- */

static void conn_close(struct ui_conn *c)
{
	if (c->fd < 0)
		return;
	loop_remove(c->ui->deps.loop, c->source);
	close(c->fd);
	http_reader_free(c->rd);
	free(c->out);
	memset(c, 0, sizeof(*c));
	c->fd = -1;
}

static void conn_want(struct ui_conn *c)
{
	uint32_t ev = c->out_off < c->out_len ? EPOLLOUT : EPOLLIN;

	if (loop_modify(c->ui->deps.loop, c->source, ev) < 0)
		conn_close(c);
}

/* Append bytes to the output; an event stream that falls too far behind is dropped. */
static int conn_queue(struct ui_conn *c, const char *data, size_t len)
{
	size_t pending = c->out_len - c->out_off;
	char *out;

	if (pending + len > UI_OUT_MAX)
		return -E2BIG;
	out = malloc(pending + len);
	if (!out)
		return -ENOMEM;
	if (pending)
		memcpy(out, c->out + c->out_off, pending);
	memcpy(out + pending, data, len);
	free(c->out);
	c->out = out;
	c->out_len = pending + len;
	c->out_off = 0;
	return 0;
}

static void conn_respond(struct ui_conn *c, int status, const char *type, const char *body,
			 size_t len, bool is_head)
{
	const struct http_request *req = http_reader_request(c->rd);
	struct http_response resp = {
	    .status = status,
	    .content_type = type,
	    .body = body,
	    .body_len = len,
	    .extra_headers = ui_headers,
	    .server = "hadir-kiosk",
	    .is_keep_alive = !c->is_closing_after && req && req->is_keep_alive,
	    .is_head = is_head,
	    .server_time_usec = c->ui->deps.clock->wall_usec(),
	};
	char *data;
	size_t data_len;

	if (!resp.is_keep_alive)
		c->is_closing_after = true;
	if (http_response_format(&resp, &data, &data_len) < 0) {
		conn_close(c);
		return;
	}
	if (conn_queue(c, data, data_len) < 0)
		conn_close(c);
	free(data);
}

static void conn_error(struct ui_conn *c, int status, const char *key)
{
	char body[96];
	int n = snprintf(body, sizeof(body), "{\"error\":\"%s\"}", key);

	conn_respond(c, status, "application/json", body, (size_t)n, false);
}

/* --- event streams --- */

static void push_state(struct ui *ui)
{
	char *state = screen_state(ui->screen);
	char *msg;
	int n;

	if (!state)
		return;
	n = asprintf(&msg, "event: state\ndata: %s\n\n", state);
	free(state);
	if (n < 0)
		return;
	for (size_t i = 0; i < UI_CONNS_MAX; i++) {
		struct ui_conn *c = &ui->conns[i];

		if (c->fd < 0 || !c->is_events)
			continue;
		if (conn_queue(c, msg, (size_t)n) < 0) {
			log_warn("ui: a screen does not read its events, dropping it");
			conn_close(c);
			continue;
		}
		conn_want(c);
	}
	free(msg);
}

static void start_events(struct ui_conn *c)
{
	static const char head[] = "HTTP/1.1 200 OK\r\n"
				   "Content-Type: text/event-stream\r\n"
				   "Cache-Control: no-store\r\n"
				   "X-Content-Type-Options: nosniff\r\n"
				   "Connection: keep-alive\r\n\r\n"
				   "retry: 1000\n\n";

	if (conn_queue(c, head, sizeof(head) - 1) < 0) {
		conn_close(c);
		return;
	}
	c->is_events = true;
	push_state(c->ui);
}

/* --- timers --- */

static void rearm(struct ui *ui)
{
	int64_t now = loop_now_ns(), next = -1, left = screen_idle_left(ui->screen);

	if (left >= 0)
		next = now + left * 1000;
	for (size_t i = 0; i < UI_CONNS_MAX; i++) {
		const struct ui_conn *c = &ui->conns[i];
		int64_t at = c->active_ns + UI_IDLE_NS;

		if (c->fd >= 0 && !c->is_events && (next < 0 || at < next))
			next = at;
	}
	if (next >= 0)
		loop_timer_at(ui->timer, next);
	else
		loop_timer_stop(ui->timer);
}

static void on_timer(void *user)
{
	struct ui *ui = user;
	int64_t now = loop_now_ns();

	if (screen_expire(ui->screen)) {
		log_info("ui: session ended (idle)");
		push_state(ui);
	}
	for (size_t i = 0; i < UI_CONNS_MAX; i++) {
		struct ui_conn *c = &ui->conns[i];

		if (c->fd >= 0 && !c->is_events && now - c->active_ns >= UI_IDLE_NS)
			conn_close(c);
	}
	rearm(ui);
}

static void on_taps(void *user)
{
	struct ui *ui = user;

	for (size_t i = 0; i < ui->n_taps; i++)
		screen_tap(ui->screen, &ui->taps[i].res, ui->taps[i].wall_usec);
	ui->n_taps = 0;
	push_state(ui);
	rearm(ui);
}

void ui_tap(struct ui *ui, const struct tap_result *res)
{
	if (ui->n_taps == UI_TAPS_QUEUED) {
		/* Only the latest taps matter to a screen: forget the oldest. */
		memmove(ui->taps, ui->taps + 1, sizeof(ui->taps[0]) * (UI_TAPS_QUEUED - 1));
		ui->n_taps--;
	}
	/*
	 * The screen's work waits a moment: taps in a burst are all recorded and
	 * answered first, then greeted together.
	 */
	if (ui->n_taps == 0)
		loop_timer_in(ui->tap_timer, UI_TAP_DELAY_NS);
	ui->taps[ui->n_taps].res = *res;
	ui->taps[ui->n_taps].wall_usec = ui->deps.clock->wall_usec();
	ui->n_taps++;
}

/* --- static files --- */

static const char *content_type(const char *name)
{
	static const struct {
		const char *ext, *type;
	} types[] = {
	    {".html", "text/html; charset=utf-8"},
	    {".js", "text/javascript; charset=utf-8"},
	    {".css", "text/css; charset=utf-8"},
	    {".svg", "image/svg+xml"},
	    {".png", "image/png"},
	    {".ico", "image/x-icon"},
	    {".woff2", "font/woff2"},
	};
	const char *dot = strrchr(name, '.');

	for (size_t i = 0; dot && i < ARRAY_SIZE(types); i++)
		if (strcmp(dot, types[i].ext) == 0)
			return types[i].type;
	return NULL;
}

/* A plain file name: no folders, no hidden files, nothing to escape the root with. */
static bool plain_name(const char *name)
{
	size_t len = strlen(name);

	if (len == 0 || len > 64 || name[0] == '.')
		return false;
	for (size_t i = 0; i < len; i++)
		if (!(name[i] >= 'a' && name[i] <= 'z') && !(name[i] >= 'A' && name[i] <= 'Z') &&
		    !(name[i] >= '0' && name[i] <= '9') && name[i] != '.' && name[i] != '-' &&
		    name[i] != '_')
			return false;
	return true;
}

static void serve_file(struct ui_conn *c, const char *path, bool is_head)
{
	const char *name = strcmp(path, "/") == 0 ? "index.html" : path + 1;
	char full[CFG_VALUE_MAX + 80];
	const char *type;
	struct stat stbuf;
	char *data;
	int fd;

	type = content_type(name);
	if (path[0] != '/' || !plain_name(name) || !type) {
		conn_error(c, 404, "not_found");
		return;
	}
	snprintf(full, sizeof(full), "%s/%s", c->ui->deps.cfg->ui_root, name);
	fd = open(full, O_RDONLY | O_CLOEXEC | O_NOFOLLOW);
	if (fd < 0 || fstat(fd, &stbuf) < 0 || !S_ISREG(stbuf.st_mode) ||
	    stbuf.st_size > UI_FILE_MAX) {
		if (fd >= 0)
			close(fd);
		conn_error(c, 404, "not_found");
		return;
	}
	data = malloc((size_t)stbuf.st_size + 1);
	if (!data || read(fd, data, (size_t)stbuf.st_size) != stbuf.st_size) {
		log_warn("ui: cannot read '%s'", full);
		conn_error(c, 500, "read");
	} else {
		conn_respond(c, 200, type, data, (size_t)stbuf.st_size, is_head);
	}
	free(data);
	close(fd);
}

/* --- requests --- */

static void conn_handle(struct ui_conn *c)
{
	const struct http_request *req = http_reader_request(c->rd);
	bool is_head = req->method == HTTP_VERB_HEAD;
	struct ui *ui = c->ui;
	struct screen_reply reply;

	if (strcmp(req->path, "/api/events") == 0 && req->method == HTTP_VERB_GET) {
		start_events(c);
		return;
	}
	if (strncmp(req->path, "/api/", 5) == 0) {
		screen_request(ui->screen, req, &reply);
		conn_respond(c, reply.status, "application/json", reply.body, strlen(reply.body),
			     is_head);
		free(reply.body);
		if (reply.is_recorded && ui->deps.recorded)
			ui->deps.recorded(ui->deps.user);
		if (reply.is_changed)
			push_state(ui);
		rearm(ui);
		return;
	}
	if (req->method != HTTP_VERB_GET && !is_head) {
		conn_error(c, 405, "method");
		return;
	}
	serve_file(c, req->path, is_head);
}

/* Parse what is buffered and answer a complete request. */
static void conn_parse(struct ui_conn *c)
{
	static const int statuses[] = {
	    [EMSGSIZE] = 431, [E2BIG] = 413, [EBADMSG] = 400, [ENOTSUP] = 501};
	size_t used = 0;
	bool done = false;
	int r;

	r = http_reader_feed(c->rd, c->in, c->in_len, &used, &done);
	if (r == 0 && !done && used < c->in_len)
		r = -EBADMSG;
	if (r < 0) {
		int e = -r;

		c->in_len = 0;
		c->is_closing_after = true;
		conn_error(c, e < (int)ARRAY_SIZE(statuses) && statuses[e] ? statuses[e] : 400,
			   "bad_request");
		return;
	}
	memmove(c->in, c->in + used, c->in_len - used);
	c->in_len -= used;
	if (done) {
		conn_handle(c);
		if (c->fd >= 0 && !c->is_events)
			http_reader_next(c->rd);
	} else if (http_reader_take_continue(c->rd)) {
		static const char interim[] = "HTTP/1.1 100 Continue\r\n\r\n";

		if (conn_queue(c, interim, sizeof(interim) - 1) < 0)
			conn_close(c);
	}
}

static void conn_write(struct ui_conn *c)
{
	while (c->out_off < c->out_len) {
		ssize_t n = send(c->fd, c->out + c->out_off, c->out_len - c->out_off, MSG_NOSIGNAL);

		if (n < 0 && (errno == EAGAIN || errno == EINTR))
			return;
		if (n <= 0) {
			conn_close(c);
			return;
		}
		c->out_off += (size_t)n;
	}
	FREE_AND_NULL(c->out);
	c->out_len = c->out_off = 0;
	if (c->is_closing_after)
		conn_close(c);
}

static void on_conn(void *user, int fd, uint32_t events)
{
	struct ui_conn *c = user;

	c->active_ns = loop_now_ns();
	if (events & EPOLLOUT)
		conn_write(c);
	while (c->fd >= 0 && c->out_off >= c->out_len && !c->is_closing_after) {
		ssize_t n;

		/* A pipelined request already read is answered before reading on. */
		if (c->in_len > 0 && !c->is_events) {
			size_t before = c->in_len;

			conn_parse(c);
			if (c->fd < 0 || c->out_off < c->out_len || c->in_len == before)
				break;
			continue;
		}
		n = read(fd, c->in + c->in_len, sizeof(c->in) - c->in_len);
		if (n < 0 && (errno == EAGAIN || errno == EINTR))
			break;
		if (n <= 0 || c->is_events) {
			/* Closed, failed, or talking on an event stream: done with it. */
			conn_close(c);
			return;
		}
		c->in_len += (size_t)n;
		conn_parse(c);
	}
	if (c->fd >= 0)
		conn_want(c);
}

/*
 * A free connection slot; when all are taken, the one idle longest is closed
 * for it (an event stream only if every slot is one), so clients that
 * connect and stall cannot lock the screen out.
 */
static struct ui_conn *free_slot(struct ui *ui)
{
	struct ui_conn *oldest = &ui->conns[0];

	for (size_t i = 0; i < UI_CONNS_MAX; i++) {
		struct ui_conn *c = &ui->conns[i];

		if (c->fd < 0)
			return c;
		if ((oldest->is_events && !c->is_events) ||
		    (oldest->is_events == c->is_events && c->active_ns < oldest->active_ns))
			oldest = c;
	}
	conn_close(oldest);
	return oldest;
}

static void on_accept(void *user, int fd, uint32_t events)
{
	struct ui *ui = user;

	(void)events;
	for (;;) {
		int cfd = accept4(fd, NULL, NULL, SOCK_NONBLOCK | SOCK_CLOEXEC);
		struct ui_conn *c;

		if (cfd < 0)
			break;
		c = free_slot(ui);
		c->ui = ui;
		c->fd = cfd;
		c->active_ns = loop_now_ns();
		c->rd = http_reader_new(UI_HEADER_MAX, UI_BODY_MAX);
		if (!c->rd || loop_add(ui->deps.loop, cfd, EPOLLIN, on_conn, c, &c->source) < 0) {
			http_reader_free(c->rd);
			close(cfd);
			memset(c, 0, sizeof(*c));
			c->fd = -1;
		}
	}
	rearm(ui);
}

/* --- lifecycle --- */

static int ui_listen(struct ui *ui)
{
	struct sockaddr_in addr;
	int one = 1;

	if (ui_listen_addr(ui->deps.cfg->ui_listen, &addr) < 0)
		return -EINVAL;
	ui->listen_fd = socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
	if (ui->listen_fd < 0)
		return -errno;
	if (setsockopt(ui->listen_fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one)) < 0 ||
	    bind(ui->listen_fd, (struct sockaddr *)&addr, sizeof(addr)) < 0 ||
	    listen(ui->listen_fd, 16) < 0)
		return -errno;
	return loop_add(ui->deps.loop, ui->listen_fd, EPOLLIN, on_accept, ui, &ui->listen_source);
}

int ui_new(const struct ui_deps *deps, struct ui **ret_ui)
{
	const struct kconfig *cfg = deps->cfg;
	char index[CFG_VALUE_MAX + 16];
	struct screen_config sc;
	struct ui *ui;
	int r;

	ui = calloc(1, sizeof(*ui));
	if (!ui)
		return -ENOMEM;
	ui->deps = *deps;
	ui->listen_fd = -1;
	for (size_t i = 0; i < UI_CONNS_MAX; i++)
		ui->conns[i].fd = -1;
	r = tz_load(cfg->timezone, &ui->tz);
	if (r < 0) {
		log_err("ui: cannot load the time zone '%s': %s", cfg->timezone, strerror(-r));
		goto out_free;
	}
	sc = (struct screen_config){
	    .office = cfg->office,
	    .lang = cfg->ui_lang == KCONFIG_LANG_EN ? "en" : "id",
	    .session_idle_usec = cfg->ui_session_idle_ms * 1000,
	    .tz = ui->tz,
	    .clock = deps->clock,
	    .boot_id = deps->boot_id,
	};
	r = screen_new(deps->store, &sc, &ui->screen);
	if (r == 0)
		r = loop_timer_new(deps->loop, on_timer, ui, &ui->timer);
	if (r == 0)
		r = loop_timer_new(deps->loop, on_taps, ui, &ui->tap_timer);
	if (r < 0)
		goto out_free;
	r = ui_listen(ui);
	if (r < 0) {
		log_err("ui: cannot listen on '%s': %s", cfg->ui_listen, strerror(-r));
		goto out_free;
	}
	snprintf(index, sizeof(index), "%s/index.html", cfg->ui_root);
	if (access(index, R_OK) < 0)
		log_warn("ui: no '%s': the screen's page will not load ([ui] root)", index);
	log_info("ui: kiosk screen on http://%s/ (files from %s)", cfg->ui_listen, cfg->ui_root);
	*ret_ui = ui;
	return 0;

out_free:
	ui_free(ui);
	return r;
}

void ui_free(struct ui *ui)
{
	if (!ui)
		return;
	for (size_t i = 0; i < UI_CONNS_MAX; i++)
		conn_close(&ui->conns[i]);
	if (ui->listen_source)
		loop_remove(ui->deps.loop, ui->listen_source);
	if (ui->listen_fd >= 0)
		close(ui->listen_fd);
	if (ui->timer)
		loop_timer_free(ui->deps.loop, ui->timer);
	if (ui->tap_timer)
		loop_timer_free(ui->deps.loop, ui->tap_timer);
	screen_free(ui->screen);
	tz_free(ui->tz);
	free(ui);
}
