// SPDX-License-Identifier: MIT
/* The kiosk's key table: every setting, its default and its range, in one place. */
#include "firmware/kconfig.h"

#include <errno.h>
#include <limits.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>

#include "common/log.h"
#include "common/record.h"
#include "firmware/ui.h"

#define K(section, name, type, field, def, min, max, choices, help)                                \
	{                                                                                          \
		section, name, type, offsetof(struct kconfig, field), def, min, max, choices,      \
		    help, NULL                                                                     \
	}

static const char *const sources[] = {"sim", "wiegand", "evdev", NULL};
static const char *const langs[] = {"id", "en", NULL};
static const char *const levels[] = {"err", "warn", "info", "debug", NULL};

static const struct cfg_key kconfig_keys[] = {
    K("kiosk", "name", CFG_STRING, name, "kiosk", 0, 0, NULL, "device name of this kiosk"),
    K("kiosk", "office", CFG_STRING, office, "", 0, 0, NULL, "office name shown on screen"),
    K("kiosk", "database", CFG_PATH, database, "hadir.db", 0, 0, NULL,
      "SQLite database: roster, taps, outbox"),
    K("kiosk", "board", CFG_PATH, board, "board.conf", 0, 0, NULL,
      "board file: GPIO pin map and device paths"),
    K("kiosk", "timezone", CFG_STRING, timezone, "Asia/Jakarta", 0, 0, NULL,
      "IANA zone of the office (Asia/Jakarta, Asia/Makassar, Asia/Jayapura)"),
    K("kiosk", "debounce", CFG_DURATION, debounce_ms, "60s", 0, 3600000, NULL,
      "the same person again within this is answered but recorded once"),
    K("kiosk", "log_level", CFG_ENUM, log_level, "info", 0, 0, levels, NULL),
    K("kiosk", "trust_ntp", CFG_BOOL, trust_ntp, "yes", 0, 0, NULL,
      "trust the clock when the kernel says NTP synchronised it (no: only the collector's time)"),
    K("input", "source", CFG_ENUM, source, "sim", 0, 0, sources,
      "sim (UNIX socket), wiegand (GPIO D0/D1) or evdev (USB keyboard-wedge reader)"),
    K("input", "wiegand_gap", CFG_DURATION, wiegand_gap_ms, "25ms", 5, 1000, NULL,
      "silence that ends a Wiegand frame"),
    K("input", "pulse_min_us", CFG_INT, pulse_min_us, "10", 1, 1000, NULL,
      "Wiegand low pulses shorter than this (microseconds) are noise"),
    K("input", "pulse_max_us", CFG_INT, pulse_max_us, "300", 10, 5000, NULL,
      "Wiegand low pulses longer than this (microseconds) are noise"),
    K("input", "wedge_timeout", CFG_DURATION, wedge_timeout_ms, "100ms", 10, 10000, NULL,
      "a half-typed card number from a keyboard-wedge reader is dropped after this"),
    K("input", "sim_socket", CFG_PATH, sim_socket, "sim.sock", 0, 0, NULL,
      "UNIX socket of the sim input (source = sim)"),
    K("input", "control_socket", CFG_PATH, control_socket, "control.sock", 0, 0, NULL,
      "UNIX socket for hadir-kiosk fingerprint enroll/delete (boards with a fingerprint module)"),
    K("fingerprint", "timeout", CFG_DURATION, fp_timeout_ms, "2s", 50, 60000, NULL,
      "a module command not answered within this fails, and the module is reset"),
    K("fingerprint", "enroll_wait", CFG_DURATION, fp_enroll_wait_ms, "15s", 100, 600000, NULL,
      "enrolment waits this long for the finger each time it asks for it"),
    K("fingerprint", "password", CFG_INT, fp_password, "0", 0, 4294967295, NULL,
      "the module's password (VerifyPwd); 0 unless it was changed with SetPwd"),
    K("feedback", "accept_beep", CFG_DURATION, accept_beep_ms, "100ms", 0, 5000, NULL, NULL),
    K("feedback", "reject_beep", CFG_DURATION, reject_beep_ms, "600ms", 0, 5000, NULL, NULL),
    K("feedback", "led", CFG_DURATION, led_ms, "1500ms", 100, 60000, NULL,
      "how long the green or red LED stays lit"),
    K("feedback", "relay", CFG_DURATION, relay_ms, "0s", 0, 60000, NULL,
      "door relay pulse on accept (0: no relay)"),
    K("sync", "url", CFG_STRING, sync_url, "", 0, 0, NULL,
      "collector URL, e.g. https://hadir.example.go.id:8443 (empty: the one enrol stored)"),
    K("sync", "ca", CFG_PATH, sync_ca, "collector-ca.pem", 0, 0, NULL,
      "CA certificate the collector must present a certificate from"),
    K("sync", "cert", CFG_PATH, sync_cert, "device.pem", 0, 0, NULL,
      "this kiosk's certificate, written by hadir-kiosk enroll"),
    K("sync", "key", CFG_PATH, sync_key, "device.key", 0, 0, NULL,
      "this kiosk's private key (0600), written by hadir-kiosk enroll"),
    K("sync", "helper", CFG_PATH, sync_helper, "", 0, 0, NULL,
      "the sync program (empty: hadir-kiosk-sync beside hadir-kiosk, else in "
      "../libexec/hadir/ from it)"),
    K("sync", "batch", CFG_INT, sync_batch, "500", 1, RECORD_BATCH_MAX, NULL, "records per push"),
    K("sync", "timeout", CFG_DURATION, sync_timeout_ms, "30s", 1000, 600000, NULL,
      "limit for one exchange with the collector"),
    K("sync", "backoff_min", CFG_DURATION, backoff_min_ms, "1s", 100, 3600000, NULL,
      "first retry delay after a failed exchange (doubles, with jitter)"),
    K("sync", "backoff_max", CFG_DURATION, backoff_max_ms, "5min", 1000, 86400000, NULL,
      "longest retry delay"),
    K("sync", "roster_interval", CFG_DURATION, roster_interval_ms, "5min", 1000, 86400000, NULL,
      "how often to ask the collector for a newer roster"),
    K("sync", "health_interval", CFG_DURATION, health_interval_ms, "300s", 1000, 86400000, NULL,
      "an idle kiosk reports its health (outbox, clock) to the collector this often"),
    K("sync", "outbox_warn", CFG_INT, outbox_warn, "1000", 1, 100000000, NULL,
      "warn in the log when this many records wait to be sent"),
    K("sync", "outbox_warn_age", CFG_DURATION, outbox_warn_age_ms, "1h", 1000, 31536000000, NULL,
      "warn in the log when the oldest unsent record is this old"),
    K("ui", "listen", CFG_STRING, ui_listen, "", 0, 0, NULL,
      "kiosk screen address, loopback only, e.g. 127.0.0.1:8080 (empty: no screen)"),
    K("ui", "root", CFG_PATH, ui_root, "ui", 0, 0, NULL,
      "folder of the screen's files (index.html, app.js, style.css)"),
    K("ui", "session_idle", CFG_DURATION, ui_session_idle_ms, "60s", 5000, 3600000, NULL,
      "a person's session on the screen ends after this long without a touch"),
    K("ui", "lang", CFG_ENUM, ui_lang, "id", 0, 0, langs,
      "the screen's language until switched: id (Bahasa Indonesia) or en"),
};

int kconfig_load(const char *path, struct kconfig *ret_cfg, struct cfg_diag *diag)
{
	struct kconfig cfg = {.debounce_ms = 0};
	struct sockaddr_in ui_addr;
	char full[PATH_MAX];
	int r;

	r = cfg_load(path, kconfig_keys, ARRAY_SIZE(kconfig_keys), &cfg, diag);
	if (r < 0)
		return r;
	if (cfg.backoff_min_ms > cfg.backoff_max_ms) {
		cfg_diag_add(diag, "%s: [sync] backoff_min: must not exceed backoff_max", path);
		return -EINVAL;
	}
	if (cfg.pulse_min_us >= cfg.pulse_max_us) {
		cfg_diag_add(diag, "%s: [input] pulse_min_us: must be below pulse_max_us", path);
		return -EINVAL;
	}
	if (!realpath(path, full) || strlen(full) >= sizeof(cfg.path)) {
		cfg_diag_add(diag, "%s: cannot resolve the file's full path", path);
		return -EINVAL;
	}
	memcpy(cfg.path, full, strlen(full) + 1);
	if (cfg.ui_listen[0] != '\0' && ui_listen_addr(cfg.ui_listen, &ui_addr) < 0) {
		cfg_diag_add(diag, "%s: [ui] listen: '%s' is not 127.x.x.x:PORT (loopback only)",
			     path, cfg.ui_listen);
		return -EINVAL;
	}
	*ret_cfg = cfg;
	return 0;
}

void kconfig_apply_log_level(const struct kconfig *cfg)
{
	static const enum log_level log_levels[] = {LOG_LEVEL_ERR, LOG_LEVEL_WARN, LOG_LEVEL_INFO,
						    LOG_LEVEL_DEBUG};

	if (!getenv("HADIR_LOG_LEVEL"))
		log_set_level(log_levels[cfg->log_level]);
}

void kconfig_print(FILE *out, const struct kconfig *cfg)
{
	cfg_print(out, kconfig_keys, ARRAY_SIZE(kconfig_keys), cfg);
}
