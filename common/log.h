/* SPDX-License-Identifier: MIT */
/*
 * Leveled logging to stderr, in a form journald understands.
 *
 * Under systemd (JOURNAL_STREAM set) every line starts with the syslog
 * priority prefix "<N>" so the journal records the level; on a terminal the
 * level is spelled out instead. journald adds timestamps, so we do not.
 * common/ never logs above debug: it returns errors and the daemon decides.
 */
#ifndef HADIR_COMMON_LOG_H
#define HADIR_COMMON_LOG_H

#include <stdbool.h>
#include <stdint.h>

#include "common/err.h"

enum log_level {
	LOG_LEVEL_ERR = 3, /* syslog priorities, so the prefix is the level */
	LOG_LEVEL_WARN = 4,
	LOG_LEVEL_INFO = 6,
	LOG_LEVEL_DEBUG = 7,
};

/* Messages above this level are dropped; default info, HADIR_LOG_LEVEL overrides at start. */
void log_set_level(enum log_level level);
enum log_level log_get_level(void);

/* Parse "err", "warn", "info" or "debug"; returns -EINVAL for anything else. */
int log_parse_level(const char *name, enum log_level *ret_level) MUST_CHECK;

/* Take the level from HADIR_LOG_LEVEL and the output form from JOURNAL_STREAM. */
void log_init_from_env(void);

void log_msg(enum log_level level, const char *fmt, ...) PRINTF_LIKE(2, 3);

/*
 * A budget for a message that outside events can repeat without bound (a
 * floating Wiegand line produces noise frames forever): at most `burst`
 * messages per `window_ns`; the first allowed message of a new window is
 * preceded by a count of what the last one dropped. Zero-initialise the
 * state and set burst and window_ns.
 */
struct log_limit {
	unsigned burst;
	int64_t window_ns;
	int64_t window_start_ns;
	unsigned used;
	unsigned dropped;
	bool started;
};

/* True when a message may be logged at now_ns (a monotonic clock). */
bool log_limit_allow(struct log_limit *limit, int64_t now_ns, const char *what);

#define log_err(...)   log_msg(LOG_LEVEL_ERR, __VA_ARGS__)
#define log_warn(...)  log_msg(LOG_LEVEL_WARN, __VA_ARGS__)
#define log_info(...)  log_msg(LOG_LEVEL_INFO, __VA_ARGS__)
#define log_debug(...) log_msg(LOG_LEVEL_DEBUG, __VA_ARGS__)

#endif
