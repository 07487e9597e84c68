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
};

/*
 * The rule profiles that came with this program: ../share/hadir/profiles from
 * its bin/ (make install, the .deb), or profiles/ of the checkout it was
 * built in; /usr/share/hadir/profiles when neither is there, so messages
 * name a place.
 */
static void default_profiles(char out[CFG_VALUE_MAX])
{
	static const char *const beside_exe[] = {"/../share/hadir/profiles", "/../profiles",
						 "/../../profiles"};
	char exe[PATH_MAX], dir[PATH_MAX + 32], file[PATH_MAX + 64], real[PATH_MAX];
	const char *bin;
	ssize_t n;

	snprintf(out, CFG_VALUE_MAX, "/usr/share/hadir/profiles");
	n = readlink("/proc/self/exe", exe, sizeof(exe) - 1);
	if (n <= 0)
		return;
	exe[n] = '\0';
	bin = dirname(exe);
	for (size_t i = 0; i < ARRAY_SIZE(beside_exe); i++) {
		snprintf(dir, sizeof(dir), "%s%s", bin, beside_exe[i]);
		snprintf(file, sizeof(file), "%s/default.conf", dir);
		if (access(file, R_OK) == 0 && realpath(dir, real) && strlen(real) < CFG_VALUE_MAX) {
			memcpy(out, real, strlen(real) + 1);
			return;
		}
	}
}

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
		default_profiles(cfg.profiles);
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
