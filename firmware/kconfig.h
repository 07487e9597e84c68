/* SPDX-License-Identifier: MIT */
/*
 * The kiosk's configuration (kiosk.conf): one table of keys with defaults
 * and ranges, loaded through common/cfg. The filled struct is const after
 * start-up and passed down explicitly.
 */
#ifndef HADIR_FIRMWARE_KCONFIG_H
#define HADIR_FIRMWARE_KCONFIG_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#include "common/cfg.h"

#define KCONFIG_DEFAULT_PATH "/etc/hadir/kiosk.conf"

enum kconfig_source {
	KCONFIG_SOURCE_SIM,
	KCONFIG_SOURCE_WIEGAND,
	KCONFIG_SOURCE_EVDEV,
};

enum kconfig_lang {
	KCONFIG_LANG_ID,
	KCONFIG_LANG_EN,
};

struct kconfig {
	char path[CFG_VALUE_MAX];     /* this file, absolute: the sync process loads it too */
	char name[CFG_VALUE_MAX];     /* this kiosk's device name */
	char office[CFG_VALUE_MAX];   /* shown on the kiosk screen */
	char database[CFG_VALUE_MAX]; /* SQLite file */
	char board[CFG_VALUE_MAX];    /* board file: pin map and device paths */
	char timezone[CFG_VALUE_MAX]; /* IANA zone of the office */
	int64_t debounce_ms;	      /* same person again within this is one tap */
	int log_level;		      /* index into log levels */
	bool trust_ntp; /* the kernel's NTP-synchronised flag makes the clock trusted */

	int source;			    /* enum kconfig_source */
	int64_t wiegand_gap_ms;		    /* silence that ends a Wiegand frame */
	int64_t pulse_min_us;		    /* shorter low pulses are noise */
	int64_t pulse_max_us;		    /* longer low pulses are noise */
	int64_t wedge_timeout_ms;	    /* a half-typed card number is dropped after this */
	char sim_socket[CFG_VALUE_MAX];	    /* UNIX socket of the sim input */
	char control_socket[CFG_VALUE_MAX]; /* UNIX socket for `hadir-kiosk fingerprint` */

	int64_t fp_timeout_ms;	   /* one fingerprint module command's reply */
	int64_t fp_enroll_wait_ms; /* enrolment: wait this long for each placing of the finger */
	int64_t fp_password;	   /* the module's VerifyPwd password */

	int64_t accept_beep_ms;
	int64_t reject_beep_ms;
	int64_t led_ms;
	int64_t relay_ms; /* door relay pulse on accept; 0: no relay */

	char sync_url[CFG_VALUE_MAX];	 /* collector base URL; "" = the one enrol stored */
	char sync_ca[CFG_VALUE_MAX];	 /* CA the collector's certificate must chain to */
	char sync_cert[CFG_VALUE_MAX];	 /* this kiosk's certificate (from enrol) */
	char sync_key[CFG_VALUE_MAX];	 /* its private key, 0600 */
	char sync_helper[CFG_VALUE_MAX]; /* the sync program; "" = hadir-kiosk-sync, found */
	int64_t sync_batch;		 /* records per push */
	int64_t sync_timeout_ms;	 /* one HTTPS exchange */
	int64_t backoff_min_ms;		 /* first retry delay after a failure */
	int64_t backoff_max_ms;		 /* retry delay cap */
	int64_t roster_interval_ms;	 /* how often to ask for a new roster */
	int64_t health_interval_ms;	 /* an idle kiosk's health push, this often */
	int64_t outbox_warn;		 /* log when the outbox passes this many records */
	int64_t outbox_warn_age_ms;	 /* ... or its oldest record this age */

	char ui_listen[CFG_VALUE_MAX]; /* kiosk screen, "127.0.0.1:PORT"; "" = no screen */
	char ui_root[CFG_VALUE_MAX];   /* the screen's files (index.html, app.js, style.css) */
	int64_t ui_session_idle_ms;    /* a session without interaction ends after this */
	int ui_lang;		       /* enum kconfig_lang: the screen's first language */
};

/* Load and validate path; problems are described in diag (file, line, key). */
int kconfig_load(const char *path, struct kconfig *ret_cfg, struct cfg_diag *diag) MUST_CHECK;

/* Print the effective configuration as a valid kiosk.conf. */
/* Use cfg's [kiosk] log_level, unless HADIR_LOG_LEVEL chose one. */
void kconfig_apply_log_level(const struct kconfig *cfg);

void kconfig_print(FILE *out, const struct kconfig *cfg);

#endif
