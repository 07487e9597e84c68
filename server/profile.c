// SPDX-License-Identifier: MIT
/*
 * Rule profiles: the key table, the loader and the cross-field checks.
 * common/cfg checks each value on its own (type, range, unknown and repeated
 * keys, with file and line); what cfg cannot see — tiers that must ascend, a
 * window that must open before it closes, a ladder that must be ordered and
 * must not overlap — is checked here, and the message still names the line,
 * found by looking the key up in the text that was loaded.
 */
#include "server/profile.h"

#include <ctype.h>
#include <errno.h>
#include <inttypes.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "common/tz.h"

static const char *const levels[] = {"ringan", "sedang", "berat", NULL};
static const char *const roundings[] = {"down", "nearest", "up", NULL};

#define KEY(sec, nam, type, field, def, lo, hi, choices, help)                                     \
	{                                                                                          \
		sec, nam, type, offsetof(struct profile, field), def, lo, hi, choices, help, NULL  \
	}

#define TIER_KEYS(sec, field, m1, m2, m3, b1, b2, b3, b4, what)                                    \
	KEY(sec, "tier1_max", CFG_INT, field.max_minutes[0], m1, 1, 1440, NULL,                    \
	    what " tier 1 covers 1 to this many minutes"),                                         \
	    KEY(sec, "tier2_max", CFG_INT, field.max_minutes[1], m2, 1, 1440, NULL,                \
		what " tier 2 ends here (minutes)"),                                               \
	    KEY(sec, "tier3_max", CFG_INT, field.max_minutes[2], m3, 1, 1440, NULL,                \
		what " tier 3 ends here; tier 4 is above"),                                        \
	    KEY(sec, "tier1_bp", CFG_INT, field.bp[0], b1, 0, PROFILE_BP_FULL, NULL,               \
		"basis points per occurrence (50 = 0.5 %)"),                                       \
	    KEY(sec, "tier2_bp", CFG_INT, field.bp[1], b2, 0, PROFILE_BP_FULL, NULL, NULL),        \
	    KEY(sec, "tier3_bp", CFG_INT, field.bp[2], b3, 0, PROFILE_BP_FULL, NULL, NULL),        \
	    KEY(sec, "tier4_bp", CFG_INT, field.bp[3], b4, 0, PROFILE_BP_FULL, NULL, NULL),        \
	    KEY(sec, "missing_is_tier4", CFG_BOOL, field.is_missing_tier4, "yes", 0, 0, NULL,      \
		"a missing tap counts as tier 4 (Permenko Infra 10/2025 Pasal 22)")

#define RUNG_KEYS(n, lo, hi, lvl, cod, txt)                                                        \
	KEY("sanction" #n, "min_days", CFG_INT, ladder[n - 1].min_days, lo, 0, 366, NULL,          \
	    "yearly TK + equivalent days from; 0: rung unused"),                                   \
	    KEY("sanction" #n, "max_days", CFG_INT, ladder[n - 1].max_days, hi, 0, 366, NULL,      \
		"up to (inclusive); 0: no upper bound"),                                           \
	    KEY("sanction" #n, "level", CFG_ENUM, ladder[n - 1].level, lvl, 0, 0, levels, NULL),   \
	    KEY("sanction" #n, "code", CFG_STRING, ladder[n - 1].code, cod, 0, 0, NULL, NULL),     \
	    KEY("sanction" #n, "text", CFG_STRING, ladder[n - 1].text, txt, 0, 0, NULL, NULL)

/* Defaults are the common scheme and PP 94/2021, so a profile states only what differs. */
static const struct cfg_key profile_keys[] = {
    KEY("profile", "name", CFG_STRING, name, NULL, 0, 0, NULL, "the name units refer to"),
    KEY("profile", "description", CFG_STRING, description, "", 0, 0, NULL, NULL),
    KEY("window", "open", CFG_STRING, window_open_text, "06:00", 0, 0, NULL,
	"taps before this local time are kept but ignored (HH:MM)"),
    KEY("window", "close", CFG_STRING, window_close_text, "18:00", 0, 0, NULL,
	"taps after this local time are kept but ignored (HH:MM)"),
    KEY("window", "grace_seconds", CFG_INT, grace_seconds, "59", 0, 3599, NULL,
	"59: 07:30:59 is on time for 07:30 (ANRI 18/2016)"),
    TIER_KEYS("late", late, "30", "60", "90", "50", "100", "125", "150", "TL"),
    TIER_KEYS("early", early, "30", "60", "90", "50", "100", "125", "150", "PSW"),
    KEY("absence", "tk_bp", CFG_INT, tk_bp, "300", 0, PROFILE_BP_FULL, NULL,
	"per TK day; 3 % is commonly quoted but unconfirmed"),
    KEY("absence", "cap_bp", CFG_INT, cap_bp, "10000", 1, PROFILE_BP_FULL, NULL,
	"monthly cap of the deduction"),
    KEY("compensation", "max_minutes", CFG_INT, compensation_minutes, "0", 0, 1440, NULL,
	"late up to N min is forgiven when the day is extended as long; 0: off"),
    KEY("threshold", "free_late_days", CFG_INT, free_late_days, "0", 0, 31, NULL,
	"the first K late days of a month are not cut; 0: off"),
    KEY("year", "minutes_per_day", CFG_INT, minutes_per_day, "450", 1, 1440, NULL,
	"late + early minutes per TK-equivalent day (PP 53/2010; unconfirmed since)"),
    KEY("year", "rounding", CFG_ENUM, rounding, "down", 0, 0, roundings, NULL),
    KEY("year", "consecutive_tk", CFG_INT, consecutive_tk, "10", 0, 366, NULL,
	"TK working days in a row that earn consecutive_code whatever the total; 0: off"),
    KEY("year", "consecutive_code", CFG_STRING, consecutive_code, "pemberhentian", 0, 0, NULL,
	NULL),
    RUNG_KEYS(1, "3", "3", "ringan", "teguran_lisan", "Teguran lisan"),
    RUNG_KEYS(2, "4", "6", "ringan", "teguran_tertulis", "Teguran tertulis"),
    RUNG_KEYS(3, "7", "10", "ringan", "pernyataan_tidak_puas",
	      "Pernyataan tidak puas secara tertulis"),
    RUNG_KEYS(4, "11", "13", "sedang", "potong_tukin_25_6",
	      "Pemotongan tunjangan kinerja 25% selama 6 bulan"),
    RUNG_KEYS(5, "14", "16", "sedang", "potong_tukin_25_9",
	      "Pemotongan tunjangan kinerja 25% selama 9 bulan"),
    RUNG_KEYS(6, "17", "20", "sedang", "potong_tukin_25_12",
	      "Pemotongan tunjangan kinerja 25% selama 12 bulan"),
    RUNG_KEYS(7, "21", "24", "berat", "penurunan_jabatan",
	      "Penurunan jabatan setingkat lebih rendah selama 12 bulan"),
    RUNG_KEYS(8, "25", "27", "berat", "pembebasan_jabatan",
	      "Pembebasan dari jabatan menjadi jabatan pelaksana selama 12 bulan"),
    RUNG_KEYS(9, "28", "0", "berat", "pemberhentian",
	      "Pemberhentian dengan hormat tidak atas permintaan sendiri sebagai PNS"),
    RUNG_KEYS(10, "0", "0", "ringan", "", ""),
    RUNG_KEYS(11, "0", "0", "ringan", "", ""),
    RUNG_KEYS(12, "0", "0", "ringan", "", ""),
};

/* What the cross-field checks need to name a place in the file. */
struct check {
	const char *text;
	size_t len;
	const char *name;
	struct cfg_diag *diag;
};

/* The line that sets [section] key in text, or 0 when the value is a default. */
static unsigned find_line(const struct check *c, const char *section, const char *key)
{
	const char *p = c->text, *end = c->text + c->len;
	size_t sec_len = strlen(section), key_len = strlen(key);
	bool in_section = false;
	unsigned line = 0;

	while (p < end) {
		const char *eol = memchr(p, '\n', (size_t)(end - p));
		const char *q = p;

		if (!eol)
			eol = end;
		line++;
		while (q < eol && isspace((unsigned char)*q))
			q++;
		if (q < eol && *q == '[') {
			in_section = (size_t)(eol - q) > sec_len + 1 &&
				     memcmp(q + 1, section, sec_len) == 0 && q[sec_len + 1] == ']';
		} else if (in_section && (size_t)(eol - q) > key_len &&
			   memcmp(q, key, key_len) == 0) {
			const char *r = q + key_len;

			while (r < eol && (*r == ' ' || *r == '\t'))
				r++;
			if (r < eol && (*r == '=' || *r == ':'))
				return line;
		}
		p = eol + 1;
	}
	return 0;
}

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
	if (diag->len >= sizeof(diag->text))
		diag->len = sizeof(diag->text) - 1;
}

PRINTF_LIKE(4, 5)
static void check_fail(const struct check *c, const char *section, const char *key, const char *fmt,
		       ...)
{
	unsigned line = find_line(c, section, key);
	char why[256];
	va_list ap;

	va_start(ap, fmt);
	(void)vsnprintf(why, sizeof(why), fmt, ap);
	va_end(ap);
	if (line)
		diag_add(c->diag, "%s:%u: [%s] %s: %s\n", c->name, line, section, key, why);
	else
		diag_add(c->diag, "%s: [%s] %s: %s\n", c->name, section, key, why);
}

static void check_tiers(const struct check *c, const char *section,
			const struct profile_tiers *tiers)
{
	static const char *const names[] = {"tier1_max", "tier2_max", "tier3_max"};

	for (size_t i = 1; i < ARRAY_SIZE(names); i++)
		if (tiers->max_minutes[i] <= tiers->max_minutes[i - 1])
			check_fail(c, section, names[i], "must be above %s (%" PRId64 ")",
				   names[i - 1], tiers->max_minutes[i - 1]);
}

static void check_window(const struct check *c, struct profile *p)
{
	bool is_ok = true;

	if (tz_parse_clock(p->window_open_text, &p->window_open_sec) < 0) {
		check_fail(c, "window", "open", "not a time (HH:MM): '%s'", p->window_open_text);
		is_ok = false;
	}
	if (tz_parse_clock(p->window_close_text, &p->window_close_sec) < 0) {
		check_fail(c, "window", "close", "not a time (HH:MM): '%s'", p->window_close_text);
		is_ok = false;
	}
	if (is_ok && p->window_close_sec <= p->window_open_sec)
		check_fail(c, "window", "close", "must be after open (%s)", p->window_open_text);
}

static void check_ladder(const struct check *c, struct profile *p)
{
	char sec[32];
	size_t n = 0;

	for (size_t i = 0; i < PROFILE_RUNGS_MAX; i++) {
		const struct profile_rung *r = &p->ladder[i];

		snprintf(sec, sizeof(sec), "sanction%zu", i + 1);
		if (r->min_days == 0)
			continue;
		if (n != i) {
			check_fail(c, sec, "min_days",
				   "[sanction%zu] is unused: rungs must fill "
				   "the first slots",
				   n + 1);
			return;
		}
		n++;
		if (r->code[0] == '\0')
			check_fail(c, sec, "code", "required for a used rung");
		if (r->text[0] == '\0')
			check_fail(c, sec, "text", "required for a used rung");
		if (r->max_days != 0 && r->max_days < r->min_days)
			check_fail(c, sec, "max_days", "below min_days (%" PRId64 ")", r->min_days);
		if (i == 0)
			continue;
		if (p->ladder[i - 1].max_days == 0) {
			char prev[32];

			snprintf(prev, sizeof(prev), "sanction%zu", i);
			check_fail(c, prev, "max_days", "only the last rung may be open-ended");
		} else if (r->min_days <= p->ladder[i - 1].max_days) {
			check_fail(c, sec, "min_days",
				   "must be above [sanction%zu] max_days "
				   "(%" PRId64 "): rungs ascend and do not overlap",
				   i, p->ladder[i - 1].max_days);
		}
		for (size_t j = 0; j < i; j++)
			if (strcmp(p->ladder[j].code, r->code) == 0)
				check_fail(c, sec, "code", "'%s' already used by [sanction%zu]",
					   r->code, j + 1);
	}
	p->n_rungs = n;

	if (p->consecutive_tk == 0)
		return;
	for (size_t i = 0; i < p->n_rungs; i++) {
		if (strcmp(p->ladder[i].code, p->consecutive_code) == 0) {
			p->consecutive_rung = i;
			return;
		}
	}
	check_fail(c, "year", "consecutive_code", "'%s' is not the code of a used rung",
		   p->consecutive_code);
}

int profile_parse(const char *text, size_t len, const char *name, struct profile **ret_profile,
		  struct cfg_diag *diag)
{
	struct check c = {.text = text, .len = len, .name = name, .diag = diag};
	struct profile *p;
	FILE *f;
	int r;

	if (len > PROFILE_FILE_MAX) {
		diag_add(diag, "%s: larger than %d bytes\n", name, PROFILE_FILE_MAX);
		return -E2BIG;
	}
	p = calloc(1, sizeof(*p));
	if (!p)
		return -ENOMEM;
	if (len == 0) {
		/* fmemopen() refuses a zero-length buffer; an empty file is still a file. */
		text = "\n";
		len = 1;
	}
	f = fmemopen((void *)(uintptr_t)text, len, "r");
	if (!f) {
		r = -errno;
		goto out_free;
	}
	r = cfg_load_stream(f, name, NULL, profile_keys, ARRAY_SIZE(profile_keys), p, diag);
	fclose(f);
	if (r < 0)
		goto out_free;

	check_window(&c, p);
	check_tiers(&c, "late", &p->late);
	check_tiers(&c, "early", &p->early);
	check_ladder(&c, p);
	if (diag->n_errors) {
		r = -EINVAL;
		goto out_free;
	}
	*ret_profile = p;
	return 0;

out_free:
	free(p);
	return r;
}

int profile_load(const char *path, struct profile **ret_profile, struct cfg_diag *diag)
{
	char *text;
	size_t len;
	FILE *f;
	int r;

	f = fopen(path, "re");
	if (!f) {
		r = -errno;
		diag_add(diag, "%s: cannot open: %s\n", path, strerror(-r));
		return r;
	}
	/* One byte more than allowed tells a file at the limit from one over it. */
	text = malloc(PROFILE_FILE_MAX + 1);
	if (!text) {
		r = -ENOMEM;
		goto out_close;
	}
	len = fread(text, 1, PROFILE_FILE_MAX + 1, f);
	if (ferror(f)) {
		r = -EIO;
		goto out_free_text;
	}
	r = profile_parse(text, len, path, ret_profile, diag);

out_free_text:
	free(text);
out_close:
	fclose(f);
	return r;
}

int profile_load_named(const char *dir, const char *name, struct profile **ret_profile,
		       struct cfg_diag *diag)
{
	size_t len = strlen(name);
	struct profile *p;
	char path[4096];
	int r;
	static const char allowed[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"
				      "0123456789_-";

	if (len == 0 || len > 64 || strspn(name, allowed) != len) {
		diag_add(diag, "profile name '%.64s': only letters, digits, _ and - (1-64)\n",
			 name);
		return -EINVAL;
	}
	if (snprintf(path, sizeof(path), "%s/%s.conf", dir, name) >= (int)sizeof(path)) {
		diag_add(diag, "%s: path too long\n", dir);
		return -ENAMETOOLONG;
	}
	r = profile_load(path, &p, diag);
	if (r < 0)
		return r;
	if (strcmp(p->name, name) != 0) {
		diag_add(diag, "%s: [profile] name: '%s' but the file is named for '%s'\n", path,
			 p->name, name);
		profile_free(p);
		return -EINVAL;
	}
	*ret_profile = p;
	return 0;
}

void profile_free(struct profile *profile)
{
	free(profile);
}

void profile_print(FILE *out, const struct profile *profile)
{
	cfg_print(out, profile_keys, ARRAY_SIZE(profile_keys), profile);
}

int64_t profile_tier_bp(const struct profile_tiers *tiers, int tier)
{
	if (tier < 1 || tier > PROFILE_TIERS)
		return 0;
	return tiers->bp[tier - 1];
}

int profile_tier_of(const struct profile_tiers *tiers, int64_t minutes)
{
	if (minutes <= 0)
		return 0;
	for (int i = 0; i < PROFILE_TIERS - 1; i++)
		if (minutes <= tiers->max_minutes[i])
			return i + 1;
	return PROFILE_TIERS;
}

const struct profile_rung *profile_rung_for(const struct profile *profile, int64_t days)
{
	for (size_t i = 0; i < profile->n_rungs; i++) {
		const struct profile_rung *r = &profile->ladder[i];

		if (days >= r->min_days && (r->max_days == 0 || days <= r->max_days))
			return r;
	}
	return NULL;
}

const char *profile_level_name(int level)
{
	if (level < 0 || level >= (int)ARRAY_SIZE(levels) - 1)
		return "?";
	return levels[level];
}
