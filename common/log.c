// SPDX-License-Identifier: MIT
/*
 * Leveled logging. One formatted line per call, written with a single
 * write() so lines from several threads or processes sharing stderr do not
 * interleave. Not for payloads or secrets: callers log what failed and why.
 */
#include "common/log.h"

#include <errno.h>
#include <stdarg.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#define LOG_LINE_MAX 2048

static atomic_int log_level = LOG_LEVEL_INFO;
static atomic_bool log_to_journal;

static const struct {
	const char *name;
	enum log_level level;
} log_names[] = {
    {"err", LOG_LEVEL_ERR},
    {"warn", LOG_LEVEL_WARN},
    {"info", LOG_LEVEL_INFO},
    {"debug", LOG_LEVEL_DEBUG},
};

void log_set_level(enum log_level level)
{
	atomic_store(&log_level, (int)level);
}

enum log_level log_get_level(void)
{
	return (enum log_level)atomic_load(&log_level);
}

int log_parse_level(const char *name, enum log_level *ret_level)
{
	for (size_t i = 0; i < ARRAY_SIZE(log_names); i++) {
		if (strcmp(name, log_names[i].name) == 0) {
			*ret_level = log_names[i].level;
			return 0;
		}
	}
	return -EINVAL;
}

void log_init_from_env(void)
{
	const char *level = getenv("HADIR_LOG_LEVEL");
	enum log_level parsed;

	if (level && log_parse_level(level, &parsed) == 0)
		log_set_level(parsed);
	atomic_store(&log_to_journal, getenv("JOURNAL_STREAM") != NULL);
}

static const char *log_level_name(enum log_level level)
{
	for (size_t i = 0; i < ARRAY_SIZE(log_names); i++)
		if (log_names[i].level == level)
			return log_names[i].name;
	return "?";
}

void log_msg(enum log_level level, const char *fmt, ...)
{
	char line[LOG_LINE_MAX];
	int saved_errno = errno;
	va_list ap;
	int n;

	if ((int)level > atomic_load(&log_level))
		return;

	if (atomic_load(&log_to_journal))
		n = snprintf(line, sizeof(line), "<%d>", (int)level);
	else
		n = snprintf(line, sizeof(line), "%s: ", log_level_name(level));
	va_start(ap, fmt);
	n += vsnprintf(line + n, sizeof(line) - (size_t)n, fmt, ap);
	va_end(ap);
	if (n >= (int)sizeof(line) - 1)
		n = (int)sizeof(line) - 2; /* truncated: keep the newline */
	line[n++] = '\n';

	/* A failed log write has nowhere to be reported. */
	(void)!write(STDERR_FILENO, line, (size_t)n);
	errno = saved_errno;
}

bool log_limit_allow(struct log_limit *limit, int64_t now_ns, const char *what)
{
	if (!limit->started || now_ns - limit->window_start_ns >= limit->window_ns) {
		if (limit->dropped)
			log_warn("%s: %u more like this not logged", what, limit->dropped);
		limit->started = true;
		limit->window_start_ns = now_ns;
		limit->used = 0;
		limit->dropped = 0;
	}
	if (limit->used < limit->burst) {
		limit->used++;
		return true;
	}
	limit->dropped++;
	return false;
}
