// SPDX-License-Identifier: MIT
/*
 * hadir-kiosk-sync: everything of the kiosk that speaks to the collector,
 * in a process of its own (why: firmware/syncproc.h).
 *   run --config FILE --url URL --fd N   started by the daemon, never by hand
 *   enroll --config FILE --url URL --token TOKEN [--ca FILE]
 *                                        what `hadir-kiosk enroll` runs
 */
#include <errno.h>
#include <getopt.h>
#include <jansson.h>
#include <limits.h>
#include <poll.h>
#include <signal.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/signalfd.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <unistd.h>

#include "common/crypto.h"
#include "common/log.h"
#include "firmware/http_client.h"
#include "firmware/kconfig.h"
#include "firmware/store.h"
#include "firmware/sync.h"
#include "firmware/syncproc.h"
#include "firmware/trust.h"

#define SYNC_NICE 10

struct opts {
	const char *config;
	const char *url;
	const char *token;
	const char *ca;
	int fd;
};

static void usage(FILE *out)
{
	fprintf(out,
		"usage: hadir-kiosk-sync run --config FILE --url URL --fd N\n"
		"           (started by the hadir-kiosk daemon; not meant to be run by hand)\n"
		"       hadir-kiosk-sync enroll --config FILE --url URL --token TOKEN [--ca FILE]\n"
		"           (what hadir-kiosk enroll runs)\n");
}

/* --- run: the sync thread, and the socket to the daemon --- */

static void send_to_daemon(int fd, const struct syncproc_msg *msg)
{
	/* A daemon that went away is noticed on the socket by the main thread. */
	(void)send(fd, msg, sizeof(*msg), MSG_NOSIGNAL);
}

static void on_templates_queued(void *user)
{
	const struct syncproc_msg msg = {.type = SYNCPROC_TEMPLATES};

	send_to_daemon(*(int *)user, &msg);
}

static void on_clock_measured(void *user, int64_t offset_usec, int64_t rtt_usec)
{
	const struct syncproc_msg msg = {
	    .type = SYNCPROC_CLOCK, .offset_usec = offset_usec, .rtt_usec = rtt_usec};

	send_to_daemon(*(int *)user, &msg);
}

/* Kicks from the daemon until it closes the socket or a signal of mask (blocked) comes. */
static int serve(int fd, const sigset_t *mask, struct sync *s)
{
	struct syncproc_msg msg;
	struct pollfd pfd[2];
	ssize_t n;

	pfd[0] = (struct pollfd){.fd = fd, .events = POLLIN};
	pfd[1] = (struct pollfd){.fd = signalfd(-1, mask, SFD_CLOEXEC), .events = POLLIN};
	if (pfd[1].fd < 0)
		return -errno;
	for (;;) {
		if (poll(pfd, 2, -1) < 0) {
			if (errno == EINTR)
				continue;
			break;
		}
		if (pfd[1].revents)
			break;
		n = recv(fd, &msg, sizeof(msg), 0);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			break; /* the daemon is gone */
		if (n == sizeof(msg) && msg.type == SYNCPROC_KICK)
			sync_kick(s);
	}
	close(pfd[1].fd);
	return 0;
}

static int cmd_run(const struct kconfig *cfg, const struct opts *o)
{
	int fd = o->fd;
	const struct sync_hooks hooks = {
	    .templates_queued = on_templates_queued,
	    .clock_measured = on_clock_measured,
	    .user = &fd,
	};
	struct sync *s = NULL;
	sigset_t mask;
	int r;

	if (!o->url || fd < 0) {
		usage(stderr);
		return 2;
	}
	/* Not left behind if the daemon dies without closing the socket (it always does). */
	(void)prctl(PR_SET_PDEATHSIG, SIGTERM);
	/* The door comes first: on a busy board the tap path gets the CPU before sync does. */
	if (setpriority(PRIO_PROCESS, 0, SYNC_NICE) < 0)
		log_debug("sync: cannot lower my priority: %s", strerror(errno));
	sigemptyset(&mask);
	sigaddset(&mask, SIGTERM);
	sigaddset(&mask, SIGINT);
	if (sigprocmask(SIG_BLOCK, &mask, NULL) < 0)
		return 1;
	trust_use_ntp(cfg->trust_ntp);
	r = sync_start(cfg, o->url, &hooks, &s);
	if (r < 0) {
		log_err("sync: cannot start: %s", strerror(-r));
		return 1;
	}
	r = serve(fd, &mask, s);
	sync_stop(s);
	close(fd);
	return r < 0 ? 1 : 0;
}

/* --- enroll --- */

/* Write text to path through a temporary file, so a crash never leaves half a file. */
static int write_file_atomic(const char *path, const char *text, mode_t mode)
{
	char tmp[PATH_MAX];
	size_t len = strlen(text);
	FILE *f;
	int r = 0;

	snprintf(tmp, sizeof(tmp), "%s.tmp", path);
	f = fopen(tmp, "we");
	if (!f)
		return -errno;
	if (fchmod(fileno(f), mode) < 0 || fwrite(text, 1, len, f) != len || fflush(f) != 0 ||
	    fsync(fileno(f)) < 0)
		r = -EIO;
	if (fclose(f) != 0)
		r = -EIO;
	if (r == 0 && rename(tmp, path) < 0)
		r = -errno;
	if (r < 0)
		(void)unlink(tmp);
	return r;
}

static int cmd_enroll(const struct kconfig *cfg, const struct opts *o)
{
	const struct hc_tls tls = {.ca = o->ca, .clock_trusted = trust_is_trusted};
	const char *cert, *ca;
	struct crypto_key *key = NULL;
	struct hc_response resp = {.status = 0};
	char url[512], why[HC_ERROR_MAX];
	json_t *req = NULL, *reply = NULL;
	char *csr = NULL, *body = NULL;
	struct store *st = NULL;
	struct hc *hc = NULL;
	int r, rc = 1;

	if (!o->url || !o->token) {
		fprintf(stderr, "hadir-kiosk: enroll needs --url URL and --token TOKEN\n");
		return 2;
	}
	if (strncmp(o->url, "https://", 8) != 0) {
		fprintf(stderr, "hadir-kiosk: --url must be https://HOST:PORT\n");
		return 2;
	}
	r = store_open(cfg->database, STORE_EXISTING, &st);
	if (r < 0) {
		fprintf(stderr, "hadir-kiosk: cannot open database '%s': %s\n", cfg->database,
			r == -ENOENT ? "missing (run hadir-kiosk init)" : strerror(-r));
		return 1;
	}
	r = crypto_key_generate(&key);
	if (r == 0)
		r = crypto_csr_create(key, cfg->name, &csr);
	if (r < 0) {
		fprintf(stderr, "hadir-kiosk: cannot make a key and CSR: %s\n", strerror(-r));
		goto out;
	}
	req = json_pack("{s:s,s:s}", "token", o->token, "csr", csr);
	body = req ? json_dumps(req, JSON_COMPACT) : NULL;
	r = body ? hc_new(&tls, cfg->sync_timeout_ms, NULL, &hc) : -ENOMEM;
	if (r < 0)
		goto out;
	snprintf(url, sizeof(url), "%s/api/v1/enroll", o->url);
	r = hc_request(hc, "POST", url, body, NULL, &resp);
	if (r < 0) {
		fprintf(stderr, "hadir-kiosk: enrolment failed: %s\n", resp.error);
		goto out;
	}
	if (resp.status != 200) {
		hc_error_text(&resp, why, sizeof(why));
		fprintf(stderr, "hadir-kiosk: enrolment failed: %s\n", why);
		goto out;
	}
	reply = json_loads(resp.body, 0, NULL);
	cert = json_string_value(json_object_get(reply, "certificate"));
	ca = json_string_value(json_object_get(reply, "ca"));
	if (!cert || !ca || crypto_cert_verify(cert, ca) < 0) {
		fprintf(stderr, "hadir-kiosk: enrolment reply without a certificate from its CA\n");
		goto out;
	}
	/* Key first: a certificate without its key would be useless. */
	r = crypto_key_save(key, cfg->sync_key);
	if (r == 0)
		r = write_file_atomic(cfg->sync_cert, cert, 0644);
	if (r == 0)
		r = write_file_atomic(cfg->sync_ca, ca, 0644);
	if (r == 0)
		r = store_sync_set(st, SYNC_KEY_URL, o->url);
	if (r < 0) {
		fprintf(stderr, "hadir-kiosk: cannot store the credentials: %s\n", strerror(-r));
		goto out;
	}
	printf("enrolled as '%s' with %s\n  key %s, certificate %s, collector CA %s\n"
	       "  a running kiosk daemon starts syncing on SIGHUP (systemctl reload hadir-kiosk)\n",
	       cfg->name, o->url, cfg->sync_key, cfg->sync_cert, cfg->sync_ca);
	rc = 0;
out:
	json_decref(reply);
	json_decref(req);
	hc_response_free(&resp);
	hc_free(hc);
	free(body);
	free(csr);
	crypto_key_free(key);
	store_close(st);
	return rc;
}

int main(int argc, char **argv)
{
	static const struct option long_opts[] = {
	    {"config", required_argument, NULL, 'c'},
	    {"url", required_argument, NULL, 'u'},
	    {"token", required_argument, NULL, 't'},
	    {"ca", required_argument, NULL, 'a'},
	    {"fd", required_argument, NULL, 'f'},
	    {"help", no_argument, NULL, 'h'},
	    {NULL, 0, NULL, 0},
	};
	struct opts o = {.config = KCONFIG_DEFAULT_PATH, .fd = -1};
	struct cfg_diag diag = {.len = 0};
	struct kconfig cfg;
	const char *cmd;
	char *end;
	int c;

	log_init_from_env();
	while ((c = getopt_long(argc, argv, "c:h", long_opts, NULL)) != -1) {
		switch (c) {
		case 'c':
			o.config = optarg;
			break;
		case 'u':
			o.url = optarg;
			break;
		case 't':
			o.token = optarg;
			break;
		case 'a':
			o.ca = optarg;
			break;
		case 'f':
			o.fd = (int)strtol(optarg, &end, 10);
			if (*end || o.fd < 0)
				o.fd = -1;
			break;
		case 'h':
			usage(stdout);
			return 0;
		default:
			usage(stderr);
			return 2;
		}
	}
	cmd = optind < argc ? argv[optind] : NULL;
	if (!cmd || argc - optind != 1) {
		usage(stderr);
		return 2;
	}
	if (kconfig_load(o.config, &cfg, &diag) < 0) {
		fputs(diag.text, stderr);
		return 1;
	}
	kconfig_apply_log_level(&cfg);
	if (hc_global_init() < 0) {
		fprintf(stderr, "hadir-kiosk-sync: cannot initialise libcurl\n");
		return 1;
	}
	if (strcmp(cmd, "run") == 0)
		return cmd_run(&cfg, &o);
	if (strcmp(cmd, "enroll") == 0)
		return cmd_enroll(&cfg, &o);
	usage(stderr);
	return 2;
}
