// SPDX-License-Identifier: MIT
/* The sync process's parent side: spawn, talk, reap, restart. */
#include "firmware/syncproc.h"

#include <errno.h>
#include <fcntl.h>
#include <libgen.h>
#include <limits.h>
#include <signal.h>
#include <spawn.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "common/clk.h"
#include "common/log.h"
#include "firmware/kconfig.h"
#include "firmware/loop.h"
#include "firmware/store.h"
#include "firmware/sync.h"
#include "firmware/trust.h"

#define NS_PER_SEC     1000000000LL
#define RESTART_MIN_NS (1 * NS_PER_SEC)
#define RESTART_MAX_NS (60 * NS_PER_SEC)
#define HEALTHY_RUN_NS (60 * NS_PER_SEC) /* a child that ran this long restarts at once */
#define STOP_WAIT_NS   (10 * NS_PER_SEC) /* then SIGKILL */
#define STOP_POLL_NS   (10 * 1000000LL)
#define URL_MAX	       512
/*
 * Kicks at most this often; one in between is sent when the gap ends. The
 * sync process gathers kicks this long anyway (SYNC_COALESCE_MS) and starts
 * rounds 250 ms apart, so no record waits longer for it, and a stream of taps
 * no longer wakes the sync process once per tap.
 */
#define KICK_GAP_NS (50 * 1000000LL)

extern char **environ;

struct syncproc {
	struct syncproc_deps deps;
	char url[URL_MAX];
	char config[PATH_MAX];
	char program[PATH_MAX];
	pid_t pid; /* 0: no child */
	int fd;	   /* our end of the socket pair; -1 when closed */
	struct loop_source *source;
	struct loop_timer *restart;
	int64_t restart_ns;
	int64_t started_ns;
	struct loop_timer *kick_later; /* armed while a kick waits for KICK_GAP_NS */
	int64_t kicked_ns;
	bool kick_waiting;
};

int syncproc_program(const struct kconfig *cfg, char *buf, size_t len)
{
	char self[PATH_MAX];
	const char *dir;
	ssize_t n;

	if (cfg->sync_helper[0] != '\0') {
		snprintf(buf, len, "%s", cfg->sync_helper);
		return access(buf, X_OK) == 0 ? 0 : -errno;
	}
	/* Relative to this executable, so any PREFIX (and the build tree) works. */
	n = readlink("/proc/self/exe", self, sizeof(self) - 1);
	if (n <= 0)
		return -errno;
	self[n] = '\0';
	dir = dirname(self);
	snprintf(buf, len, "%s/%s", dir, SYNCPROC_PROGRAM);
	if (access(buf, X_OK) == 0)
		return 0;
	snprintf(buf, len, "%s/../libexec/hadir/%s", dir, SYNCPROC_PROGRAM);
	return access(buf, X_OK) == 0 ? 0 : -errno;
}

/* Why sync is not running, for `hadir-kiosk status` (a running sync process clears it). */
static void note_error(const struct syncproc *sp, const char *what)
{
	char at[24];

	snprintf(at, sizeof(at), "%lld", (long long)clk_wall_usec());
	if (store_sync_set(sp->deps.store, SYNC_KEY_LAST_ERROR, what) < 0 ||
	    store_sync_set(sp->deps.store, SYNC_KEY_LAST_ERROR_AT, at) < 0)
		log_debug("sync: cannot keep the last error");
}

static void close_socket(struct syncproc *sp)
{
	if (sp->source)
		loop_remove(sp->deps.loop, sp->source);
	sp->source = NULL;
	if (sp->fd >= 0)
		close(sp->fd);
	sp->fd = -1;
}

static void on_message(void *user, int fd, uint32_t events)
{
	struct syncproc *sp = user;
	struct syncproc_msg msg;
	ssize_t n;

	(void)events;
	for (;;) {
		n = recv(fd, &msg, sizeof(msg), MSG_DONTWAIT);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0 && errno == EAGAIN)
			return;
		if (n <= 0) {
			/* The child is going away; SIGCHLD brings the reap and the restart. */
			close_socket(sp);
			return;
		}
		if (n != sizeof(msg)) {
			log_warn("sync: message of %zd bytes from the sync process ignored", n);
			continue;
		}
		if (msg.type == SYNCPROC_CLOCK)
			trust_note_offset(msg.offset_usec, msg.rtt_usec);
		else if (msg.type == SYNCPROC_TEMPLATES && sp->deps.templates_queued)
			sp->deps.templates_queued(sp->deps.user);
	}
}

/* Run the sync program with its end of a fresh socket pair. */
static int spawn(struct syncproc *sp)
{
	static const int reset_signals[] = {SIGTERM, SIGINT, SIGHUP, SIGCHLD, SIGPIPE};
	char fd_text[16];
	char *argv[] = {sp->program, "run",  "--config", sp->config, "--url",
			sp->url,     "--fd", fd_text,	 NULL};
	posix_spawnattr_t attr;
	sigset_t none, defaults;
	int sv[2], r;

	if (socketpair(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0, sv) < 0)
		return -errno;
	/* The child's end alone survives its exec. */
	if (fcntl(sv[1], F_SETFD, 0) < 0 || fcntl(sv[0], F_SETFL, O_NONBLOCK) < 0) {
		r = -errno;
		goto out_close;
	}
	snprintf(fd_text, sizeof(fd_text), "%d", sv[1]);
	sigemptyset(&none);
	sigemptyset(&defaults);
	for (size_t i = 0; i < sizeof(reset_signals) / sizeof(reset_signals[0]); i++)
		sigaddset(&defaults, reset_signals[i]);
	r = -posix_spawnattr_init(&attr);
	if (r < 0)
		goto out_close;
	/* The daemon blocks its signals for signalfd; the child must not inherit that. */
	r = -posix_spawnattr_setflags(&attr, POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF);
	if (r == 0)
		r = -posix_spawnattr_setsigmask(&attr, &none);
	if (r == 0)
		r = -posix_spawnattr_setsigdefault(&attr, &defaults);
	if (r == 0)
		r = -posix_spawn(&sp->pid, sp->program, NULL, &attr, argv, environ);
	posix_spawnattr_destroy(&attr);
	if (r < 0) {
		sp->pid = 0;
		goto out_close;
	}
	close(sv[1]);
	sp->fd = sv[0];
	r = loop_add(sp->deps.loop, sp->fd, EPOLLIN, on_message, sp, &sp->source);
	if (r < 0) {
		/* Without the socket the child sees EOF at once and exits; SIGCHLD restarts it. */
		close(sp->fd);
		sp->fd = -1;
		return r;
	}
	sp->started_ns = loop_now_ns();
	log_info("sync: %s started (pid %d)", sp->program, (int)sp->pid);
	return 0;

out_close:
	close(sv[0]);
	close(sv[1]);
	return r;
}

static void schedule_restart(struct syncproc *sp)
{
	if (loop_now_ns() - sp->started_ns >= HEALTHY_RUN_NS)
		sp->restart_ns = RESTART_MIN_NS;
	log_warn("sync: starting the sync process again in %lld s", sp->restart_ns / NS_PER_SEC);
	loop_timer_in(sp->restart, sp->restart_ns);
	sp->restart_ns = sp->restart_ns * 2 > RESTART_MAX_NS ? RESTART_MAX_NS : sp->restart_ns * 2;
}

static void on_restart(void *user)
{
	struct syncproc *sp = user;
	int r = spawn(sp);

	if (r < 0) {
		log_err("sync: cannot start %s: %s", sp->program, strerror(-r));
		if (sp->pid == 0)
			schedule_restart(sp);
	}
}

static void send_kick(struct syncproc *sp)
{
	const struct syncproc_msg msg = {.type = SYNCPROC_KICK};

	sp->kicked_ns = loop_now_ns();
	/* EAGAIN: kicks the child has not read yet stand for this one too. */
	if (sp->fd >= 0)
		(void)send(sp->fd, &msg, sizeof(msg), MSG_DONTWAIT | MSG_NOSIGNAL);
}

static void on_kick_later(void *user)
{
	struct syncproc *sp = user;

	sp->kick_waiting = false;
	send_kick(sp);
}

int syncproc_start(const struct syncproc_deps *deps, const char *url, struct syncproc **ret_sp)
{
	char why[PATH_MAX + 128];
	struct syncproc *sp;
	int r;

	sp = calloc(1, sizeof(*sp));
	if (!sp)
		return -ENOMEM;
	sp->deps = *deps;
	sp->fd = -1;
	sp->restart_ns = RESTART_MIN_NS;
	snprintf(sp->url, sizeof(sp->url), "%s", url);
	snprintf(sp->config, sizeof(sp->config), "%s", deps->cfg->path);
	r = syncproc_program(deps->cfg, sp->program, sizeof(sp->program));
	if (r < 0) {
		snprintf(why, sizeof(why),
			 "no sync program '%s' ([sync] helper, or install %s): %s", sp->program,
			 SYNCPROC_PROGRAM, strerror(-r));
		goto out_fail;
	}
	r = loop_timer_new(deps->loop, on_restart, sp, &sp->restart);
	if (r == 0)
		r = loop_timer_new(deps->loop, on_kick_later, sp, &sp->kick_later);
	if (r < 0)
		goto out_free;
	r = spawn(sp);
	if (r < 0) {
		snprintf(why, sizeof(why), "cannot start %s: %s", sp->program, strerror(-r));
		goto out_fail;
	}
	*ret_sp = sp;
	return 0;

out_fail:
	log_err("sync: %s", why);
	note_error(sp, why);
out_free:
	syncproc_stop(sp);
	return r;
}

void syncproc_kick(struct syncproc *sp)
{
	int64_t since = loop_now_ns() - sp->kicked_ns;

	if (sp->kick_waiting)
		return;
	if (since >= KICK_GAP_NS) {
		send_kick(sp);
		return;
	}
	sp->kick_waiting = true;
	loop_timer_in(sp->kick_later, KICK_GAP_NS - since);
}

static void note_exit(const struct syncproc *sp, int status)
{
	char why[96];

	if (WIFEXITED(status))
		snprintf(why, sizeof(why), "the sync process (pid %d) exited with status %d",
			 (int)sp->pid, WEXITSTATUS(status));
	else if (WIFSIGNALED(status))
		snprintf(why, sizeof(why), "the sync process (pid %d) was killed by signal %d",
			 (int)sp->pid, WTERMSIG(status));
	else
		return;
	log_warn("sync: %s", why);
	note_error(sp, why);
}

void syncproc_reap(struct syncproc *sp)
{
	int status;

	if (!sp || sp->pid == 0 || waitpid(sp->pid, &status, WNOHANG) != sp->pid)
		return;
	note_exit(sp, status);
	sp->pid = 0;
	close_socket(sp);
	schedule_restart(sp);
}

void syncproc_stop(struct syncproc *sp)
{
	const struct timespec poll_interval = {.tv_nsec = STOP_POLL_NS};
	int status;

	if (!sp)
		return;
	close_socket(sp);
	if (sp->pid > 0) {
		(void)kill(sp->pid, SIGTERM);
		for (int64_t waited = 0; waitpid(sp->pid, &status, WNOHANG) == 0;
		     waited += STOP_POLL_NS) {
			if (waited >= STOP_WAIT_NS) {
				log_warn("sync: the sync process did not stop, killing it");
				(void)kill(sp->pid, SIGKILL);
				(void)waitpid(sp->pid, &status, 0);
				break;
			}
			nanosleep(&poll_interval, NULL);
		}
	}
	if (sp->restart)
		loop_timer_free(sp->deps.loop, sp->restart);
	if (sp->kick_later)
		loop_timer_free(sp->deps.loop, sp->kick_later);
	free(sp);
}
