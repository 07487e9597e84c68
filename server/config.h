/* SPDX-License-Identifier: MIT */
/*
 * The collector's settings: one table of keys for collector.conf (through
 * common/cfg), the struct they land in, and the parsing of a listen address.
 * The loaded struct is const after startup and passed down explicitly.
 */
#ifndef HADIR_SERVER_CONFIG_H
#define HADIR_SERVER_CONFIG_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#include "common/cfg.h"
#include "common/err.h"

#define CONFIG_DEFAULT_PATH "/etc/hadir/collector.conf"
#define CONFIG_HOST_MAX	    128

enum config_backend {
	CONFIG_BACKEND_SQLITE = 0,
};

struct config {
	/* [server] */
	char listen[CFG_VALUE_MAX];  /* HOST:PORT, [IPv6]:PORT */
	int64_t max_connections;     /* open client connections at once */
	int64_t max_header_bytes;    /* request line and headers of one request */
	int64_t max_body_bytes;	     /* body of one request */
	int64_t read_timeout_ms;     /* handshake, or one request from its first byte */
	int64_t idle_timeout_ms;     /* keep-alive connection with no request under way */
	int64_t shutdown_timeout_ms; /* SIGTERM: time given to requests in flight */
	/* [tls] */
	char certificate[CFG_VALUE_MAX]; /* server certificate (PEM) */
	char key[CFG_VALUE_MAX];	 /* its private key, mode 0600 */
	char ca[CFG_VALUE_MAX];		 /* device CA certificate, given to kiosks */
	char ca_key[CFG_VALUE_MAX];	 /* device CA private key, signs enrolments */
	/* [store] */
	int backend;		      /* enum config_backend */
	char database[CFG_VALUE_MAX]; /* SQLite file */
	/* [enroll] */
	int64_t token_lifetime_ms;	 /* a one-time enrolment token is valid this long */
	int64_t certificate_lifetime_ms; /* validity of an issued device certificate */
	/* [activities] */
	bool activities_require_tap; /* refuse an entry for a day without an accepted tap */
	/* [rules] */
	char profiles[CFG_VALUE_MAX]; /* folder of rule profiles NAME.conf (profile.h); unset:
					 beside the program (share/hadir/profiles, or a checkout's)
				       */
	/* [templates] */
	char templates_key[CFG_VALUE_MAX]; /* AES-256-GCM key of fingerprint templates, 0600 */
	/* [web] */
	char web_root[CFG_VALUE_MAX]; /* folder of the dashboard's static files */
	/* [accounts] */
	int64_t argon2_time;	     /* Argon2id passes (t) */
	int64_t argon2_memory_kib;   /* Argon2id memory (m), KiB */
	int64_t argon2_lanes;	     /* Argon2id parallelism (p) */
	int64_t max_failures;	     /* failed logins before the account locks */
	int64_t lockout_ms;	     /* first lockout; doubles with each failure after */
	int64_t lockout_max_ms;	     /* longest lockout */
	int64_t address_failures;    /* failed logins from one address before it is refused */
	int64_t address_window_ms;   /* ... within this long */
	int64_t session_idle_ms;     /* a session ends after this long without a request */
	int64_t session_lifetime_ms; /* and this long after login in any case */
	/* [dashboard] */
	int64_t stale_after_ms; /* a kiosk without a sync for this long is stale */
};

/* Load and validate path; every problem is described in diag. */
int config_load(const char *path, struct config *ret_cfg, struct cfg_diag *diag) MUST_CHECK;

/* Print the effective configuration as a valid collector.conf. */
void config_print(FILE *out, const struct config *cfg);

/*
 * Split "HOST:PORT" or "[V6ADDR]:PORT" into host (CONFIG_HOST_MAX bytes) and
 * a port 1..65535; -EINVAL otherwise.
 */
int config_parse_listen(const char *text, char *ret_host, uint16_t *ret_port) MUST_CHECK;

#endif
