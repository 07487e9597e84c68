/* SPDX-License-Identifier: MIT */
/*
 * INI configuration, loaded against one table of keys.
 *
 * Each program describes its settings once, as an array of struct cfg_key:
 * section, name, type, where the value lands in the program's config struct,
 * the default and the allowed range. cfg_load() applies the defaults, reads
 * the file with libinih and checks every value; unknown keys, keys set twice,
 * missing required keys and values out of range are errors that name the
 * file, the line and the key. The filled struct is then treated as const.
 */
#ifndef HADIR_COMMON_CFG_H
#define HADIR_COMMON_CFG_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "common/err.h"

#define CFG_VALUE_MAX 192 /* libinih reads lines of at most 199 bytes */
#define CFG_DIAG_MAX  4096

enum cfg_type {
	CFG_STRING,   /* char[CFG_VALUE_MAX] */
	CFG_PATH,     /* char[CFG_VALUE_MAX]; relative to the config file's folder */
	CFG_INT,      /* int64_t, within [min, max] */
	CFG_BOOL,     /* bool: true/false, yes/no, on/off, 1/0 */
	CFG_ENUM,     /* int: index into choices */
	CFG_DURATION, /* int64_t milliseconds: "25ms", "2s", "5min", "1h", "7d" */
	CFG_CUSTOM,   /* the key's custom->parse converts it into a slot of its own type */
};

struct cfg_key;

/*
 * A value type the program defines (a GPIO line spec, a baud rate). parse
 * converts text into slot, writing it only on success; on failure it returns
 * -EINVAL and puts a one-line reason into why (why_size bytes), which the
 * loader reports with the file, line and key. It may use key->min and
 * key->max as its own bounds. print writes the value back (no newline) as
 * text that parse accepts.
 */
struct cfg_custom {
	int (*parse)(const struct cfg_key *key, const char *text, void *slot, char *why,
		     size_t why_size);
	void (*print)(FILE *out, const struct cfg_key *key, const void *slot);
};

struct cfg_key {
	const char *section;
	const char *name;
	enum cfg_type type;
	size_t offset;			 /* of the value in the caller's struct */
	const char *default_value;	 /* NULL: the key is required */
	int64_t min, max;		 /* CFG_INT, CFG_DURATION (ms); both 0: unbounded */
	const char *const *choices;	 /* CFG_ENUM: NULL-terminated */
	const char *help;		 /* one line, shown by --check-config */
	const struct cfg_custom *custom; /* CFG_CUSTOM only; NULL otherwise */
};

/* Messages collected while loading, one per line, for the operator. */
struct cfg_diag {
	char text[CFG_DIAG_MAX];
	size_t len;
	unsigned n_errors;
};

/*
 * Load path into obj. Defaults come first, then the file's values. Returns 0,
 * -EINVAL when the file has errors (all of them described in diag), or a
 * negative errno when the file cannot be read (also described in diag).
 */
int cfg_load(const char *path, const struct cfg_key *keys, size_t n_keys, void *obj,
	     struct cfg_diag *diag) MUST_CHECK;

/* As cfg_load, from an open stream; name is used in messages and dir for CFG_PATH. */
int cfg_load_stream(FILE *stream, const char *name, const char *dir, const struct cfg_key *keys,
		    size_t n_keys, void *obj, struct cfg_diag *diag) MUST_CHECK;

/* Add one error line to diag (for checks a program makes after cfg_load). */
void cfg_diag_add(struct cfg_diag *diag, const char *fmt, ...) PRINTF_LIKE(2, 3);

/* Print every key with its effective value, as a valid INI file. */
void cfg_print(FILE *out, const struct cfg_key *keys, size_t n_keys, const void *obj);

/* Parse a duration ("250ms", "2s", "5min", "1h", "7d") into milliseconds. */
int cfg_parse_duration(const char *text, int64_t *ret_ms) MUST_CHECK;

#endif
