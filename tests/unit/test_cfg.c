// SPDX-License-Identifier: MIT
/* The INI loader: values, defaults, and errors that name file, line and key. */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "common/cfg.h"

struct sample {
	char name[CFG_VALUE_MAX];
	char db[CFG_VALUE_MAX];
	int64_t retries;
	int64_t gap_ms;
	bool verbose;
	int mode;
};

static const char *const modes[] = {"sim", "wiegand", "evdev", NULL};

static const struct cfg_key keys[] = {
    {"kiosk", "name", CFG_STRING, offsetof(struct sample, name), NULL, 0, 0, NULL, NULL, NULL},
    {"kiosk", "database", CFG_PATH, offsetof(struct sample, db), "hadir.db", 0, 0, NULL, NULL,
     NULL},
    {"kiosk", "retries", CFG_INT, offsetof(struct sample, retries), "3", 0, 10, NULL, NULL, NULL},
    {"input", "gap", CFG_DURATION, offsetof(struct sample, gap_ms), "25ms", 5, 500, NULL, NULL,
     NULL},
    {"input", "verbose", CFG_BOOL, offsetof(struct sample, verbose), "no", 0, 0, NULL, NULL, NULL},
    {"input", "mode", CFG_ENUM, offsetof(struct sample, mode), "sim", 0, 0, modes, NULL, NULL},
};

struct loaded {
	struct sample s;
	struct cfg_diag diag;
	int r;
};

static struct loaded load(const char *text)
{
	struct loaded l;
	FILE *f;

	memset(&l, 0, sizeof(l));
	f = fmemopen((void *)(uintptr_t)text, strlen(text), "r");
	assert_non_null(f);
	l.r = cfg_load_stream(f, "kiosk.conf", "/etc/hadir", keys, sizeof(keys) / sizeof(keys[0]),
			      &l.s, &l.diag);
	fclose(f);
	return l;
}

static void assert_diag_has(const struct loaded *l, const char *needle)
{
	if (!strstr(l->diag.text, needle))
		fail_msg("diagnostics lack '%s':\n%s", needle, l->diag.text);
}

static void test_cfg_load_values_and_defaults(void **state)
{
	struct loaded l = load("# a comment\n[kiosk]\nname = Pintu Utama\n\n[input]\n"
			       "gap = 30ms\nverbose = yes\nmode = wiegand\n");

	(void)state;
	assert_int_equal(l.r, 0);
	assert_int_equal(l.diag.n_errors, 0);
	assert_string_equal(l.s.name, "Pintu Utama");
	assert_string_equal(l.s.db, "/etc/hadir/hadir.db"); /* default, relative to the file */
	assert_int_equal(l.s.retries, 3);
	assert_int_equal(l.s.gap_ms, 30);
	assert_true(l.s.verbose);
	assert_int_equal(l.s.mode, 1);
}

static void test_cfg_load_absolute_path_kept(void **state)
{
	struct loaded l = load("[kiosk]\nname = x\ndatabase = /var/lib/hadir/k.db\n");

	(void)state;
	assert_int_equal(l.r, 0);
	assert_string_equal(l.s.db, "/var/lib/hadir/k.db");
}

static void test_cfg_load_unknown_key_names_line(void **state)
{
	struct loaded l = load("[kiosk]\nname = x\n\n[input]\ngapp = 30ms\n");

	(void)state;
	assert_int_equal(l.r, -EINVAL);
	assert_diag_has(&l, "kiosk.conf:5: [input] gapp: unknown key");
}

static void test_cfg_load_out_of_range_names_line(void **state)
{
	struct loaded l = load("[kiosk]\nname = x\nretries = 11\n");

	(void)state;
	assert_int_equal(l.r, -EINVAL);
	assert_diag_has(&l, "kiosk.conf:3: [kiosk] retries: out of range: '11'");
	assert_diag_has(&l, "allowed: 0 to 10");
	assert_int_equal(l.diag.n_errors, 1);
}

static void test_cfg_load_bad_types(void **state)
{
	struct loaded l = load("[kiosk]\nname = x\nretries = three\n[input]\ngap = 30\n"
			       "verbose = maybe\nmode = nfc\n");

	(void)state;
	assert_int_equal(l.r, -EINVAL);
	assert_int_equal(l.diag.n_errors, 4);
	assert_diag_has(&l, "kiosk.conf:3: [kiosk] retries: not a whole number");
	assert_diag_has(&l, "kiosk.conf:5: [input] gap: not a duration");
	assert_diag_has(&l, "kiosk.conf:6: [input] verbose: not a boolean");
	assert_diag_has(&l, "kiosk.conf:7: [input] mode: not one of the allowed values: 'nfc'");
	assert_diag_has(&l, "allowed: sim, wiegand, evdev");
}

static void test_cfg_load_missing_required(void **state)
{
	struct loaded l = load("[input]\nmode = sim\n");

	(void)state;
	assert_int_equal(l.r, -EINVAL);
	assert_diag_has(&l, "kiosk.conf: [kiosk] name: required key missing");
}

static void test_cfg_load_set_twice(void **state)
{
	struct loaded l = load("[kiosk]\nname = a\nname = b\n");

	(void)state;
	assert_int_equal(l.r, -EINVAL);
	assert_diag_has(&l, "kiosk.conf:3: [kiosk] name: set twice (first on line 2)");
}

static void test_cfg_load_syntax_error_line(void **state)
{
	struct loaded l = load("[kiosk]\nname = a\n[input\n");

	(void)state;
	assert_int_equal(l.r, -EINVAL);
	assert_diag_has(&l, "kiosk.conf:3: syntax error");
}

static void test_cfg_load_long_line(void **state)
{
	char text[600];
	struct loaded l;

	(void)state;
	snprintf(text, sizeof(text), "[kiosk]\nname = %0400d\nretries = 2\n", 7);
	l = load(text);
	assert_int_equal(l.r, -EINVAL);
	assert_diag_has(&l, "kiosk.conf:2: line longer than");
	assert_int_equal(l.s.retries, 2); /* the line after is still read, and counted right */
}

static void test_cfg_load_missing_file(void **state)
{
	struct sample s;
	struct cfg_diag diag = {.len = 0};

	(void)state;
	assert_int_equal(cfg_load("/nonexistent/kiosk.conf", keys, 6, &s, &diag), -ENOENT);
	assert_non_null(strstr(diag.text, "/nonexistent/kiosk.conf: cannot open"));
}

static void test_cfg_parse_duration_units(void **state)
{
	int64_t ms;

	(void)state;
	assert_int_equal(cfg_parse_duration("25ms", &ms), 0);
	assert_int_equal(ms, 25);
	assert_int_equal(cfg_parse_duration("2s", &ms), 0);
	assert_int_equal(ms, 2000);
	assert_int_equal(cfg_parse_duration("5min", &ms), 0);
	assert_int_equal(ms, 300000);
	assert_int_equal(cfg_parse_duration("7d", &ms), 0);
	assert_int_equal(ms, 604800000);
	assert_int_equal(cfg_parse_duration("5", &ms), -EINVAL);
	assert_int_equal(cfg_parse_duration("-5s", &ms), -EINVAL);
	assert_int_equal(cfg_parse_duration("5 weeks", &ms), -EINVAL);
}

static void test_cfg_print_reloads_identically(void **state)
{
	struct loaded a = load("[kiosk]\nname = x\n[input]\ngap = 150ms\nmode = evdev\n");
	char out[2048] = "";
	struct loaded b;
	FILE *f;

	(void)state;
	assert_int_equal(a.r, 0);
	f = fmemopen(out, sizeof(out), "w");
	cfg_print(f, keys, 6, &a.s);
	fclose(f);
	b = load(out);
	assert_int_equal(b.r, 0);
	assert_memory_equal(&a.s, &b.s, sizeof(a.s));
}

/* A custom type: an even number within [key->min, key->max], with its own reasons. */
static int parse_even(const struct cfg_key *key, const char *text, void *slot, char *why,
		      size_t why_size)
{
	char *end;
	long long v;

	errno = 0;
	v = strtoll(text, &end, 10);
	if (end == text || *end || errno) {
		snprintf(why, why_size, "'%s' is not a number", text);
		return -EINVAL;
	}
	if (v % 2 != 0 || v < key->min || v > key->max) {
		snprintf(why, why_size, "%lld is not even or not within %lld..%lld", v,
			 (long long)key->min, (long long)key->max);
		return -EINVAL;
	}
	memcpy(slot, &(int64_t){v}, sizeof(int64_t));
	return 0;
}

static void print_even(FILE *out, const struct cfg_key *key, const void *slot)
{
	int64_t v;

	(void)key;
	memcpy(&v, slot, sizeof(v));
	fprintf(out, "%lld", (long long)v);
}

static int parse_refuse_silently(const struct cfg_key *key, const char *text, void *slot, char *why,
				 size_t why_size)
{
	(void)key, (void)text, (void)slot, (void)why, (void)why_size;
	return -EINVAL;
}

static const struct cfg_custom even_type = {parse_even, print_even};
static const struct cfg_custom refuse_type = {parse_refuse_silently, print_even};

struct custom_sample {
	int64_t even;
	int64_t other;
};

static const struct cfg_key custom_keys[] = {
    {.section = "c",
     .name = "even",
     .type = CFG_CUSTOM,
     .offset = offsetof(struct custom_sample, even),
     .default_value = "4",
     .min = 0,
     .max = 100,
     .custom = &even_type},
    {.section = "c",
     .name = "other",
     .type = CFG_CUSTOM,
     .offset = offsetof(struct custom_sample, other),
     .default_value = NULL,
     .custom = &refuse_type},
};

static int load_custom(const char *text, struct custom_sample *s, struct cfg_diag *diag)
{
	FILE *f;
	int r;

	f = fmemopen((void *)(uintptr_t)text, strlen(text), "r");
	assert_non_null(f);
	r = cfg_load_stream(f, "c.conf", "/", custom_keys, 1, s, diag);
	fclose(f);
	return r;
}

static void test_cfg_custom_default_and_value(void **state)
{
	struct custom_sample s = {0, 0};
	struct cfg_diag diag = {.len = 0};

	(void)state;
	assert_int_equal(load_custom("[c]\n", &s, &diag), 0);
	assert_int_equal(s.even, 4);
	assert_int_equal(load_custom("[c]\neven = 42\n", &s, &diag), 0);
	assert_int_equal(s.even, 42);
}

static void test_cfg_custom_reason_names_line_and_key(void **state)
{
	struct custom_sample s = {0, 0};
	struct cfg_diag diag = {.len = 0};

	(void)state;
	assert_int_equal(load_custom("[c]\n\neven = 7\n", &s, &diag), -EINVAL);
	assert_non_null(
	    strstr(diag.text, "c.conf:3: [c] even: 7 is not even or not within 0..100: '7'"));
	assert_int_equal(s.even, 4); /* the default stays */
	assert_int_equal(diag.n_errors, 1);
}

static void test_cfg_custom_without_reason(void **state)
{
	struct custom_sample s = {0, 0};
	struct cfg_diag diag = {.len = 0};
	FILE *f;

	(void)state;
	f = fmemopen((void *)(uintptr_t) "[c]\nother = x\n", 14, "r");
	assert_non_null(f);
	assert_int_equal(cfg_load_stream(f, "c.conf", "/", custom_keys, 2, &s, &diag), -EINVAL);
	fclose(f);
	assert_non_null(strstr(diag.text, "c.conf:2: [c] other: invalid value: 'x'"));
}

static void test_cfg_custom_print(void **state)
{
	struct custom_sample s = {0, 0};
	struct cfg_diag diag = {.len = 0};
	char out[256] = "";
	FILE *f;

	(void)state;
	assert_int_equal(load_custom("[c]\neven = 18\n", &s, &diag), 0);
	f = fmemopen(out, sizeof(out), "w");
	cfg_print(f, custom_keys, 1, &s);
	fclose(f);
	assert_string_equal(out, "[c]\neven = 18\n");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_cfg_load_values_and_defaults),
	    cmocka_unit_test(test_cfg_load_absolute_path_kept),
	    cmocka_unit_test(test_cfg_load_unknown_key_names_line),
	    cmocka_unit_test(test_cfg_load_out_of_range_names_line),
	    cmocka_unit_test(test_cfg_load_bad_types),
	    cmocka_unit_test(test_cfg_load_missing_required),
	    cmocka_unit_test(test_cfg_load_set_twice),
	    cmocka_unit_test(test_cfg_load_syntax_error_line),
	    cmocka_unit_test(test_cfg_load_long_line),
	    cmocka_unit_test(test_cfg_load_missing_file),
	    cmocka_unit_test(test_cfg_parse_duration_units),
	    cmocka_unit_test(test_cfg_print_reloads_identically),
	    cmocka_unit_test(test_cfg_custom_default_and_value),
	    cmocka_unit_test(test_cfg_custom_reason_names_line_and_key),
	    cmocka_unit_test(test_cfg_custom_without_reason),
	    cmocka_unit_test(test_cfg_custom_print),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
