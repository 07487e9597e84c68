// SPDX-License-Identifier: MIT
/*
 * INI configuration loader and validator. libinih does the lexing; this file
 * counts lines (inih's handler is not told them), maps each key to its table
 * entry and converts and range-checks the value. It does not know any
 * program's keys: those live in the program's own table.
 */
#include "common/cfg.h"

#include <errno.h>
#include <ini.h>
#include <inttypes.h>
#include <limits.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#define CFG_WHY_MAX	  160 /* room for a custom type's reason to refuse a value */
#define CFG_DIAG_LINE_MAX 512 /* one cfg_diag_add() message */

struct cfg_parse {
	FILE *stream;
	const char *name;
	const char *dir;
	const struct cfg_key *keys;
	size_t n_keys;
	void *obj;
	struct cfg_diag *diag;
	unsigned line;	  /* of the line libinih is looking at */
	unsigned *set_on; /* per key: the line that set it, 0 if unset */
};

PRINTF_LIKE(2, 3)
static void diag_add(struct cfg_diag *diag, const char *fmt, ...)
{
	va_list ap;
	int n;

	diag->n_errors++;
	if (diag->len >= sizeof(diag->text) - 1)
		return;
	va_start(ap, fmt);
	n = vsnprintf(diag->text + diag->len, sizeof(diag->text) - diag->len, fmt, ap);
	va_end(ap);
	if (n < 0)
		return;
	diag->len += (size_t)n;
	if (diag->len >= sizeof(diag->text) - 1) {
		diag->len = sizeof(diag->text) - 1;
		return;
	}
	diag->text[diag->len++] = '\n';
	diag->text[diag->len] = '\0';
}

void cfg_diag_add(struct cfg_diag *diag, const char *fmt, ...)
{
	char line[CFG_DIAG_LINE_MAX];
	va_list ap;

	va_start(ap, fmt);
	(void)vsnprintf(line, sizeof(line), fmt, ap);
	va_end(ap);
	diag_add(diag, "%s", line);
}

int cfg_parse_duration(const char *text, int64_t *ret_ms)
{
	static const struct {
		const char *suffix;
		int64_t ms;
	} units[] = {
	    {"ms", 1}, {"s", 1000}, {"min", 60000}, {"h", 3600000}, {"d", 86400000},
	};
	char *end;
	long long n;

	errno = 0;
	n = strtoll(text, &end, 10);
	if (end == text || errno || n < 0)
		return -EINVAL;
	while (*end == ' ')
		end++;
	for (size_t i = 0; i < ARRAY_SIZE(units); i++) {
		if (strcmp(end, units[i].suffix) != 0)
			continue;
		if (n > INT64_MAX / units[i].ms)
			return -ERANGE;
		*ret_ms = n * units[i].ms;
		return 0;
	}
	return -EINVAL;
}

static int parse_bool(const char *text, bool *ret)
{
	static const char *const yes[] = {"true", "yes", "on", "1"};
	static const char *const no[] = {"false", "no", "off", "0"};

	for (size_t i = 0; i < ARRAY_SIZE(yes); i++) {
		if (strcasecmp(text, yes[i]) == 0) {
			*ret = true;
			return 0;
		}
		if (strcasecmp(text, no[i]) == 0) {
			*ret = false;
			return 0;
		}
	}
	return -EINVAL;
}

static bool out_of_range(const struct cfg_key *key, int64_t v)
{
	if (key->min == 0 && key->max == 0)
		return false;
	return v < key->min || v > key->max;
}

/*
 * Convert text into key's slot in obj. On failure returns -EINVAL with a
 * reason in ret_why (static text, or why_buf for a custom type), leaving the
 * slot unchanged.
 */
static int cfg_store(const struct cfg_key *key, const char *text, const char *dir, void *obj,
		     char *why_buf, size_t why_size, const char **ret_why)
{
	char *slot = (char *)obj + key->offset;
	int64_t i64;
	char *end;
	bool b;

	switch (key->type) {
	case CFG_STRING:
	case CFG_PATH: {
		int n;

		if (key->type == CFG_PATH && text[0] != '/' && text[0] != '\0' && dir)
			n = snprintf(slot, CFG_VALUE_MAX, "%s/%s", dir, text);
		else
			n = snprintf(slot, CFG_VALUE_MAX, "%s", text);
		if (n >= CFG_VALUE_MAX) {
			*ret_why = "value too long";
			return -EINVAL;
		}
		return 0;
	}
	case CFG_INT:
		errno = 0;
		i64 = strtoll(text, &end, 10);
		if (end == text || *end || errno) {
			*ret_why = "not a whole number";
			return -EINVAL;
		}
		if (out_of_range(key, i64)) {
			*ret_why = "out of range";
			return -EINVAL;
		}
		memcpy(slot, &i64, sizeof(i64));
		return 0;
	case CFG_DURATION:
		if (cfg_parse_duration(text, &i64) < 0) {
			*ret_why = "not a duration (e.g. 25ms, 2s, 5min, 1h, 7d)";
			return -EINVAL;
		}
		if (out_of_range(key, i64)) {
			*ret_why = "out of range";
			return -EINVAL;
		}
		memcpy(slot, &i64, sizeof(i64));
		return 0;
	case CFG_BOOL:
		if (parse_bool(text, &b) < 0) {
			*ret_why = "not a boolean (true/false, yes/no, on/off)";
			return -EINVAL;
		}
		memcpy(slot, &b, sizeof(b));
		return 0;
	case CFG_ENUM:
		for (int idx = 0; key->choices[idx]; idx++) {
			if (strcmp(text, key->choices[idx]) == 0) {
				memcpy(slot, &idx, sizeof(idx));
				return 0;
			}
		}
		*ret_why = "not one of the allowed values";
		return -EINVAL;
	case CFG_CUSTOM:
		why_buf[0] = '\0';
		if (key->custom->parse(key, text, slot, why_buf, why_size) == 0)
			return 0;
		if (why_buf[0] == '\0')
			(void)snprintf(why_buf, why_size, "invalid value");
		*ret_why = why_buf;
		return -EINVAL;
	}
	*ret_why = "unknown key type";
	return -EINVAL;
}

static void diag_range(struct cfg_diag *diag, const struct cfg_key *key)
{
	if (key->type == CFG_ENUM) {
		char list[256] = "";
		size_t len = 0;

		for (int i = 0; key->choices[i] && len < sizeof(list); i++)
			len += (size_t)snprintf(list + len, sizeof(list) - len, "%s%s",
						i ? ", " : "", key->choices[i]);
		diag_add(diag, "  allowed: %s", list);
		diag->n_errors--; /* a hint, not another error */
	} else if ((key->type == CFG_INT || key->type == CFG_DURATION) &&
		   !(key->min == 0 && key->max == 0)) {
		diag_add(diag, "  allowed: %" PRId64 " to %" PRId64 "%s", key->min, key->max,
			 key->type == CFG_DURATION ? " ms" : "");
		diag->n_errors--;
	}
}

static const struct cfg_key *find_key(const struct cfg_parse *p, const char *section,
				      const char *name, size_t *ret_index)
{
	for (size_t i = 0; i < p->n_keys; i++) {
		if (strcmp(p->keys[i].section, section) == 0 &&
		    strcmp(p->keys[i].name, name) == 0) {
			*ret_index = i;
			return &p->keys[i];
		}
	}
	return NULL;
}

static int on_value(void *user, const char *section, const char *name, const char *value)
{
	struct cfg_parse *p = user;
	const struct cfg_key *key;
	char why_buf[CFG_WHY_MAX];
	const char *why = NULL;
	size_t idx;

	key = find_key(p, section, name, &idx);
	if (!key) {
		diag_add(p->diag, "%s:%u: [%s] %s: unknown key", p->name, p->line, section, name);
		return 1; /* keep going: report every problem at once */
	}
	if (p->set_on[idx]) {
		diag_add(p->diag, "%s:%u: [%s] %s: set twice (first on line %u)", p->name, p->line,
			 section, name, p->set_on[idx]);
		return 1;
	}
	p->set_on[idx] = p->line;
	if (cfg_store(key, value, p->dir, p->obj, why_buf, sizeof(why_buf), &why) < 0) {
		diag_add(p->diag, "%s:%u: [%s] %s: %s: '%s'", p->name, p->line, section, name, why,
			 value);
		diag_range(p->diag, key);
	}
	return 1;
}

/* fgets, counting lines; an over-long line is reported and skipped whole. */
static char *read_line(char *buf, int size, void *user)
{
	struct cfg_parse *p = user;
	size_t len;

	if (!fgets(buf, size, p->stream))
		return NULL;
	p->line++;
	len = strlen(buf);
	if (len == (size_t)size - 1 && buf[len - 1] != '\n' && !feof(p->stream)) {
		int c;

		diag_add(p->diag, "%s:%u: line longer than %d bytes", p->name, p->line, size - 2);
		do
			c = fgetc(p->stream);
		while (c != '\n' && c != EOF);
		strcpy(buf, "#\n");
	}
	return buf;
}

int cfg_load_stream(FILE *stream, const char *name, const char *dir, const struct cfg_key *keys,
		    size_t n_keys, void *obj, struct cfg_diag *diag)
{
	struct cfg_parse p = {
	    .stream = stream,
	    .name = name,
	    .dir = dir,
	    .keys = keys,
	    .n_keys = n_keys,
	    .obj = obj,
	    .diag = diag,
	};
	int r;

	p.set_on = calloc(n_keys ? n_keys : 1, sizeof(*p.set_on));
	if (!p.set_on)
		return -ENOMEM;

	for (size_t i = 0; i < n_keys; i++) {
		char why_buf[CFG_WHY_MAX];
		const char *why = NULL;

		if (!keys[i].default_value)
			continue;
		/* A default that fails its own check is a bug in the table. */
		if (cfg_store(&keys[i], keys[i].default_value, dir, obj, why_buf, sizeof(why_buf),
			      &why) < 0)
			diag_add(diag, "%s: [%s] %s: bad built-in default: %s", name,
				 keys[i].section, keys[i].name, why);
	}

	r = ini_parse_stream(read_line, &p, on_value, &p);
	if (r > 0)
		diag_add(diag, "%s:%d: syntax error (expected [section] or key = value)", name, r);
	else if (r < 0)
		diag_add(diag, "%s: out of memory while parsing", name);

	for (size_t i = 0; i < n_keys; i++)
		if (!keys[i].default_value && !p.set_on[i])
			diag_add(diag, "%s: [%s] %s: required key missing", name, keys[i].section,
				 keys[i].name);

	free(p.set_on);
	return diag->n_errors ? -EINVAL : 0;
}

int cfg_load(const char *path, const struct cfg_key *keys, size_t n_keys, void *obj,
	     struct cfg_diag *diag)
{
	char dir[PATH_MAX];
	const char *slash;
	FILE *f;
	int r;

	f = fopen(path, "re");
	if (!f) {
		r = -errno;
		diag_add(diag, "%s: cannot open: %s", path, strerror(-r));
		return r;
	}
	slash = strrchr(path, '/');
	if (slash)
		snprintf(dir, sizeof(dir), "%.*s", (int)(slash - path), path);
	else
		snprintf(dir, sizeof(dir), ".");
	if (dir[0] == '\0')
		snprintf(dir, sizeof(dir), "/");

	r = cfg_load_stream(f, path, dir, keys, n_keys, obj, diag);
	fclose(f);
	return r;
}

void cfg_print(FILE *out, const struct cfg_key *keys, size_t n_keys, const void *obj)
{
	const char *section = NULL;

	for (size_t i = 0; i < n_keys; i++) {
		const char *slot = (const char *)obj + keys[i].offset;
		int64_t i64;
		bool b;
		int idx;

		if (!section || strcmp(section, keys[i].section) != 0) {
			section = keys[i].section;
			fprintf(out, "%s[%s]\n", i ? "\n" : "", section);
		}
		if (keys[i].help)
			fprintf(out, "# %s\n", keys[i].help);
		fprintf(out, "%s = ", keys[i].name);
		switch (keys[i].type) {
		case CFG_STRING:
		case CFG_PATH:
			fprintf(out, "%s\n", slot);
			break;
		case CFG_INT:
			memcpy(&i64, slot, sizeof(i64));
			fprintf(out, "%" PRId64 "\n", i64);
			break;
		case CFG_DURATION:
			memcpy(&i64, slot, sizeof(i64));
			if (i64 % 1000 == 0)
				fprintf(out, "%" PRId64 "s\n", i64 / 1000);
			else
				fprintf(out, "%" PRId64 "ms\n", i64);
			break;
		case CFG_BOOL:
			memcpy(&b, slot, sizeof(b));
			fprintf(out, "%s\n", b ? "true" : "false");
			break;
		case CFG_ENUM:
			memcpy(&idx, slot, sizeof(idx));
			fprintf(out, "%s\n", keys[i].choices[idx]);
			break;
		case CFG_CUSTOM:
			keys[i].custom->print(out, &keys[i], slot);
			fputc('\n', out);
			break;
		}
	}
}
