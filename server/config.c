// SPDX-License-Identifier: MIT
/* collector.conf: the key table and the listen address parser. */
#include "server/config.h"

#include <errno.h>
#include <libgen.h>
#include <limits.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static const char *const backends[] = {"sqlite", NULL};

#define K(sec, key, kind, field, def, lo, hi, opts, text)                                          \
	{                                                                                          \
		.section = sec, .name = key, .type = kind,                                         \
		.offset = offsetof(struct config, field), .default_value = def, .min = lo,         \
		.max = hi, .choices = opts, .help = text,                                          \
	}

static const struct cfg_key config_keys[] = {
    K("server", "listen", CFG_STRING, listen, "127.0.0.1:8443", 0, 0, NULL,
      "address and port to listen on (HOST:PORT or [V6]:PORT)"),
    K("server", "max_connections", CFG_INT, max_connections, "4096", 1, 1000000, NULL,
      "client connections held at once; more are closed on accept"),
    K("server", "max_header_size", CFG_INT, max_header_bytes, "16384", 1024, 1048576, NULL,
      "bytes of request line and headers (431 beyond)"),
    K("server", "max_body_size", CFG_INT, max_body_bytes, "4194304", 1024, 67108864, NULL,
      "bytes of a request body (413 beyond)"),
    K("server", "read_timeout", CFG_DURATION, read_timeout_ms, "10s", 100, 600000, NULL,
      "time for a TLS handshake, or for one whole request from its first byte"),
    K("server", "idle_timeout", CFG_DURATION, idle_timeout_ms, "5min", 1000, 86400000, NULL,
      "keep-alive connection closed after this long without a request"),
    K("server", "shutdown_timeout", CFG_DURATION, shutdown_timeout_ms, "10s", 0, 600000, NULL,
      "on SIGTERM, time given to requests in flight"),
    K("tls", "certificate", CFG_PATH, certificate, "server.pem", 0, 0, NULL,
      "server certificate (PEM), relative to this file's folder"),
    K("tls", "key", CFG_PATH, key, "server.key", 0, 0, NULL, "server private key (PEM, 0600)"),
    K("tls", "ca", CFG_PATH, ca, "ca.pem", 0, 0, NULL,
      "device CA certificate: verifies kiosks, and kiosks verify the server with it"),
    K("tls", "ca_key", CFG_PATH, ca_key, "ca.key", 0, 0, NULL,
      "device CA private key (PEM, 0600): signs enrolled kiosks' certificates"),
    K("store", "backend", CFG_ENUM, backend, "sqlite", 0, 0, backends, "storage backend"),
    K("store", "database", CFG_PATH, database, "collector.db", 0, 0, NULL, "SQLite database"),
    K("enroll", "token_lifetime", CFG_DURATION, token_lifetime_ms, "7d", 60000,
      INT64_C(31536000000), NULL, "a one-time enrolment token expires after this long"),
    K("enroll", "certificate_lifetime", CFG_DURATION, certificate_lifetime_ms, "825d", 86400000,
      INT64_C(315360000000), NULL, "validity of an enrolled kiosk's certificate"),
    K("activities", "require_tap", CFG_BOOL, activities_require_tap, "false", 0, 0, NULL,
      "an activity entry for a day without an accepted tap of its person is refused"),
    K("rules", "profiles", CFG_PATH, profiles, "", 0, 0, NULL,
      "folder of the rule profiles (NAME.conf) that units name; unset: the installed ones"),
    K("templates", "key_file", CFG_PATH, templates_key, "templates.key", 0, 0, NULL,
      "key sealing fingerprint templates at rest (64 hex digits, 0600); losing it loses them"),
    K("web", "root", CFG_PATH, web_root, "", 0, 0, NULL,
      "folder of the dashboard's static files (served at / and /web/); unset: the installed ones"),
    K("accounts", "argon2_time", CFG_INT, argon2_time, "3", 1, 100, NULL,
      "Argon2id passes over memory per password hash (a login costs ~0.14 s at 3 and 64 MiB)"),
    K("accounts", "argon2_memory", CFG_INT, argon2_memory_kib, "65536", 1024, 4194304, NULL,
      "Argon2id memory per password hash, KiB; stored hashes are redone at the next login"),
    K("accounts", "argon2_lanes", CFG_INT, argon2_lanes, "1", 1, 16, NULL,
      "Argon2id parallelism (lanes)"),
    K("accounts", "max_failures", CFG_INT, max_failures, "5", 1, 1000, NULL,
      "failed logins in a row before an account locks"),
    K("accounts", "lockout", CFG_DURATION, lockout_ms, "1min", 1000, 86400000, NULL,
      "first lockout; each further failure doubles it"),
    K("accounts", "lockout_max", CFG_DURATION, lockout_max_ms, "1h", 1000, 604800000, NULL,
      "longest lockout"),
    K("accounts", "address_failures", CFG_INT, address_failures, "20", 0, 100000, NULL,
      "failed logins from one address within address_window before it is refused (0: never)"),
    K("accounts", "address_window", CFG_DURATION, address_window_ms, "15min", 1000, 86400000, NULL,
      "an address refused for failed logins may try again this long after the first"),
    K("accounts", "session_idle", CFG_DURATION, session_idle_ms, "30min", 60000, 86400000, NULL,
      "a dashboard session ends after this long without a request"),
    K("accounts", "session_lifetime", CFG_DURATION, session_lifetime_ms, "12h", 60000,
      INT64_C(2592000000), NULL, "a dashboard session ends this long after login"),
    K("dashboard", "stale_after", CFG_DURATION, stale_after_ms, "1h", 1000, INT64_C(31536000000),
      NULL, "a kiosk without a sync for this long is marked stale on the overview"),
};

/*
 * A folder that came with this program: the first of candidates (relative to
 * its bin/: share/hadir/... for make install and the .deb, then a checkout's)
 * that holds probe; fallback when none does, so messages name a place.
 */
static void beside_program(const char *const candidates[3], const char *probe, const char *fallback,
			   char out[CFG_VALUE_MAX])
{
	char exe[PATH_MAX], dir[PATH_MAX + 32], file[PATH_MAX + 64], real[PATH_MAX];
	const char *bin;
	ssize_t n;

	snprintf(out, CFG_VALUE_MAX, "%s", fallback);
	n = readlink("/proc/self/exe", exe, sizeof(exe) - 1);
	if (n <= 0)
		return;
	exe[n] = '\0';
	bin = dirname(exe);
	for (size_t i = 0; i < 3; i++) {
		snprintf(dir, sizeof(dir), "%s%s", bin, candidates[i]);
		snprintf(file, sizeof(file), "%s/%s", dir, probe);
		if (access(file, R_OK) == 0 && realpath(dir, real) &&
		    strlen(real) < CFG_VALUE_MAX) {
			memcpy(out, real, strlen(real) + 1);
			return;
		}
	}
}

/* Where the rule profiles and the dashboard's files are found beside bin/. */
static const char *const profile_dirs[3] = {"/../share/hadir/profiles", "/../profiles",
					    "/../../profiles"};
static const char *const web_dirs[3] = {"/../share/hadir/web", "/../server/web",
					"/../../server/web"};

int config_load(const char *path, struct config *ret_cfg, struct cfg_diag *diag)
{
	struct config cfg;
	char host[CONFIG_HOST_MAX];
	uint16_t port;
	int r;

	memset(&cfg, 0, sizeof(cfg));
	r = cfg_load(path, config_keys, ARRAY_SIZE(config_keys), &cfg, diag);
	if (r < 0)
		return r;
	if (config_parse_listen(cfg.listen, host, &port) < 0) {
		cfg_diag_add(diag, "%s: [server] listen: not HOST:PORT: '%s'", path, cfg.listen);
		return -EINVAL;
	}
	if (!cfg.profiles[0])
		beside_program(profile_dirs, "default.conf", "/usr/share/hadir/profiles",
			       cfg.profiles);
	if (!cfg.web_root[0])
		beside_program(web_dirs, "index.html", "/usr/share/hadir/web", cfg.web_root);
	*ret_cfg = cfg;
	return 0;
}

void config_print(FILE *out, const struct config *cfg)
{
	cfg_print(out, config_keys, ARRAY_SIZE(config_keys), cfg);
}

int config_parse_listen(const char *text, char *ret_host, uint16_t *ret_port)
{
	const char *colon, *host = text;
	size_t host_len;
	char *end;
	long port;

	colon = strrchr(text, ':');
	if (!colon)
		return -EINVAL;
	host_len = (size_t)(colon - text);
	if (text[0] == '[') {
		if (host_len < 3 || text[host_len - 1] != ']')
			return -EINVAL;
		host = text + 1;
		host_len -= 2;
	} else if (memchr(text, ':', host_len)) {
		return -EINVAL; /* a bare IPv6 address needs brackets */
	}
	if (host_len == 0 || host_len >= CONFIG_HOST_MAX)
		return -EINVAL;
	errno = 0;
	port = strtol(colon + 1, &end, 10);
	if (end == colon + 1 || *end || errno || port < 1 || port > 65535)
		return -EINVAL;
	memcpy(ret_host, host, host_len);
	ret_host[host_len] = '\0';
	*ret_port = (uint16_t)port;
	return 0;
}
