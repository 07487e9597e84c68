// SPDX-License-Identifier: MIT
/*
 * Civil-date arithmetic and a reader for TZif zone files (RFC 8536),
 * including the POSIX TZ footer that governs instants after the last listed
 * transition. Leap-second records are skipped: the system clock is POSIX.
 * Input files are untrusted in principle (TZDIR may point anywhere), so every
 * count is bounded and checked against the bytes actually present.
 */
#include "common/tz.h"

#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#define TZ_FILE_MAX	   (1 << 20)
#define TZ_TRANSITIONS_MAX 4096
#define TZ_TYPES_MAX	   256

/* A POSIX TZ rule date: Jn (1–365, no Feb 29), n (0–365), or Mm.w.d. */
struct tz_rule_date {
	char kind; /* 'J', 'N' or 'M' */
	int n, month, week, wday;
	int32_t time; /* seconds after local midnight; may be negative or > 24 h */
};

struct tz_rule {
	bool has_rule;
	bool has_dst;
	int32_t std_off, dst_off; /* east of UTC */
	struct tz_rule_date start, end;
};

struct tz {
	char name[TZ_NAME_MAX];
	size_t n_trans;
	int64_t *trans;	 /* UTC seconds, ascending */
	int32_t *offset; /* offset in force from trans[i] on */
	int32_t first_off;
	struct tz_rule rule;
};

int32_t tz_days_from_civil(int year, int month, int day)
{
	int y = month <= 2 ? year - 1 : year;
	int era = (y >= 0 ? y : y - 399) / 400;
	int yoe = y - era * 400;
	int doy = (153 * (month + (month > 2 ? -3 : 9)) + 2) / 5 + day - 1;
	int doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;

	return era * 146097 + doe - 719468;
}

void tz_civil_from_days(int32_t days, int *ret_year, int *ret_month, int *ret_day)
{
	int32_t z = days + 719468;
	int32_t era = (z >= 0 ? z : z - 146096) / 146097;
	int32_t doe = z - era * 146097;
	int32_t yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
	int32_t doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
	int32_t mp = (5 * doy + 2) / 153;
	int32_t month = mp < 10 ? mp + 3 : mp - 9;

	*ret_year = (int)(yoe + era * 400 + (month <= 2));
	*ret_month = (int)month;
	*ret_day = (int)(doy - (153 * mp + 2) / 5 + 1);
}

int tz_weekday(int32_t days)
{
	/* 1970-01-01 was a Thursday (4). */
	int32_t w = (days + 3) % 7;

	return (int)(w < 0 ? w + 7 : w) + 1;
}

static bool is_leap(int year)
{
	return (year % 4 == 0 && year % 100 != 0) || year % 400 == 0;
}

int tz_days_in_month(int year, int month)
{
	static const int len[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};

	if (month == 2 && is_leap(year))
		return 29;
	return len[month - 1];
}

static int parse_fixed(const char *p, int n)
{
	int v = 0;

	for (int i = 0; i < n; i++) {
		if (!isdigit((unsigned char)p[i]))
			return -1;
		v = v * 10 + (p[i] - '0');
	}
	return v;
}

int tz_parse_date(const char *text, int32_t *ret_days)
{
	int y, m, d;

	if (strlen(text) != 10 || text[4] != '-' || text[7] != '-')
		return -EINVAL;
	y = parse_fixed(text, 4);
	m = parse_fixed(text + 5, 2);
	d = parse_fixed(text + 8, 2);
	if (y < 1900 || y > 2199 || m < 1 || m > 12 || d < 1 || d > tz_days_in_month(y, m))
		return -EINVAL;
	*ret_days = tz_days_from_civil(y, m, d);
	return 0;
}

void tz_format_date(int32_t days, char buf[TZ_DATE_MAX])
{
	int y, m, d;

	tz_civil_from_days(days, &y, &m, &d);
	snprintf(buf, TZ_DATE_MAX, "%04u-%02u-%02u", (unsigned)y % 10000u, (unsigned)m % 100u,
		 (unsigned)d % 100u);
}

int tz_parse_clock(const char *text, int32_t *ret_sec)
{
	size_t len = strlen(text);
	int h, m, s = 0;

	if ((len != 5 && len != 8) || text[2] != ':' || (len == 8 && text[5] != ':'))
		return -EINVAL;
	h = parse_fixed(text, 2);
	m = parse_fixed(text + 3, 2);
	if (len == 8)
		s = parse_fixed(text + 6, 2);
	if (h < 0 || h > 23 || m < 0 || m > 59 || s < 0 || s > 59)
		return -EINVAL;
	*ret_sec = h * 3600 + m * 60 + s;
	return 0;
}

/* --- POSIX TZ strings ("WIB-7", "<+0545>-5:45", "EST5EDT,M3.2.0,M11.1.0") --- */

static const char *rule_name(const char *p)
{
	const char *start = p;

	if (*p == '<') {
		while (*p && *p != '>')
			p++;
		return *p == '>' && p - start >= 4 ? p + 1 : NULL;
	}
	while (isalpha((unsigned char)*p))
		p++;
	return p - start >= 3 ? p : NULL;
}

/* [+-]hh[:mm[:ss]], hours up to max_h; the sign is returned as written. */
static const char *rule_hms(const char *p, int max_h, int32_t *ret)
{
	int sign = 1, part[3] = {0, 0, 0};

	if (*p == '+' || *p == '-')
		sign = *p++ == '-' ? -1 : 1;
	for (int i = 0; i < 3; i++) {
		int v = 0, n = 0;

		if (i > 0) {
			if (*p != ':')
				break;
			p++;
		}
		while (isdigit((unsigned char)*p) && n < 3) {
			v = v * 10 + (*p++ - '0');
			n++;
		}
		if (n == 0 || (i > 0 && v > 59) || (i == 0 && v > max_h))
			return NULL;
		part[i] = v;
	}
	*ret = sign * (part[0] * 3600 + part[1] * 60 + part[2]);
	return p;
}

static const char *rule_number(const char *p, int lo, int hi, int *ret)
{
	int v = 0, n = 0;

	while (isdigit((unsigned char)*p) && n < 4) {
		v = v * 10 + (*p++ - '0');
		n++;
	}
	if (n == 0 || v < lo || v > hi)
		return NULL;
	*ret = v;
	return p;
}

static const char *rule_date(const char *p, struct tz_rule_date *ret)
{
	struct tz_rule_date d = {.time = 7200};

	if (*p == 'M') {
		d.kind = 'M';
		p = rule_number(p + 1, 1, 12, &d.month);
		if (!p || *p++ != '.')
			return NULL;
		p = rule_number(p, 1, 5, &d.week);
		if (!p || *p++ != '.')
			return NULL;
		p = rule_number(p, 0, 6, &d.wday);
	} else if (*p == 'J') {
		d.kind = 'J';
		p = rule_number(p + 1, 1, 365, &d.n);
	} else {
		d.kind = 'N';
		p = rule_number(p, 0, 365, &d.n);
	}
	if (!p)
		return NULL;
	if (*p == '/') {
		p = rule_hms(p + 1, 167, &d.time);
		if (!p)
			return NULL;
	}
	*ret = d;
	return p;
}

static int parse_rule(const char *s, struct tz_rule *ret)
{
	struct tz_rule r = {.has_rule = true};
	int32_t v;
	const char *p;

	p = rule_name(s);
	if (!p)
		return -EBADMSG;
	p = rule_hms(p, 24, &v);
	if (!p)
		return -EBADMSG;
	r.std_off = -v; /* POSIX counts west of UTC */
	if (*p) {
		p = rule_name(p);
		if (!p)
			return -EBADMSG;
		r.has_dst = true;
		r.dst_off = r.std_off + 3600;
		if (*p && *p != ',') {
			p = rule_hms(p, 24, &v);
			if (!p)
				return -EBADMSG;
			r.dst_off = -v;
		}
		if (*p != ',')
			return -EBADMSG; /* no rule given: an old default we do not guess */
		p = rule_date(p + 1, &r.start);
		if (!p || *p != ',')
			return -EBADMSG;
		p = rule_date(p + 1, &r.end);
		if (!p)
			return -EBADMSG;
	}
	if (*p)
		return -EBADMSG;
	*ret = r;
	return 0;
}

/* The local day number in year on which a rule date falls. */
static int32_t rule_day(const struct tz_rule_date *d, int year)
{
	int32_t jan1 = tz_days_from_civil(year, 1, 1);

	switch (d->kind) {
	case 'J':
		return jan1 + d->n - 1 + (is_leap(year) && d->n >= 60);
	case 'N':
		return jan1 + d->n;
	default: {
		int32_t first = tz_days_from_civil(year, d->month, 1);
		/* tz_weekday is 1 = Mon … 7 = Sun; POSIX d is 0 = Sun … 6 = Sat. */
		int first_wday = tz_weekday(first) % 7;
		int32_t day = first + (d->wday - first_wday + 7) % 7 + (d->week - 1) * 7;

		if (d->week == 5 && day >= first + tz_days_in_month(year, d->month))
			day -= 7;
		return day;
	}
	}
}

static int32_t rule_offset_at(const struct tz_rule *r, int64_t utc)
{
	int64_t local = utc + r->std_off;
	int64_t day = local / 86400 - (local % 86400 < 0);
	int y, m, d;
	int64_t start, end;

	if (!r->has_dst)
		return r->std_off;
	tz_civil_from_days((int32_t)day, &y, &m, &d);
	start = (int64_t)rule_day(&r->start, y) * 86400 + r->start.time - r->std_off;
	end = (int64_t)rule_day(&r->end, y) * 86400 + r->end.time - r->dst_off;
	if (start < end)
		return utc >= start && utc < end ? r->dst_off : r->std_off;
	return utc >= end && utc < start ? r->std_off : r->dst_off;
}

/* --- TZif --- */

static uint32_t be32(const uint8_t *p)
{
	return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | p[3];
}

static int64_t be64(const uint8_t *p)
{
	return (int64_t)((uint64_t)be32(p) << 32 | be32(p + 4));
}

struct tzif_counts {
	uint32_t isut, isstd, leap, time, type, chars;
};

static int tzif_header(const uint8_t *p, size_t len, struct tzif_counts *c, char *ret_version)
{
	if (len < 44 || memcmp(p, "TZif", 4) != 0)
		return -EBADMSG;
	*ret_version = (char)p[4];
	c->isut = be32(p + 20);
	c->isstd = be32(p + 24);
	c->leap = be32(p + 28);
	c->time = be32(p + 32);
	c->type = be32(p + 36);
	c->chars = be32(p + 40);
	if (c->time > TZ_TRANSITIONS_MAX || c->type == 0 || c->type > TZ_TYPES_MAX ||
	    c->chars > 4096 || c->leap > 1024 || (c->isut && c->isut != c->type) ||
	    (c->isstd && c->isstd != c->type))
		return -EBADMSG;
	return 0;
}

static size_t tzif_block_len(const struct tzif_counts *c, size_t time_size)
{
	return c->time * time_size + c->time + c->type * 6 + c->chars + c->leap * (time_size + 4) +
	       c->isstd + c->isut;
}

int tz_parse(const uint8_t *data, size_t len, const char *name, struct tz **ret_tz)
{
	struct tzif_counts c;
	size_t time_size = 4, block;
	const uint8_t *p = data;
	struct tz *tz;
	char version;
	int r;

	r = tzif_header(p, len, &c, &version);
	if (r < 0)
		return r;
	block = tzif_block_len(&c, 4);
	if (len - 44 < block)
		return -EBADMSG;
	if (version >= '2') {
		/* Skip the 32-bit block: the 64-bit one follows with its own header. */
		p += 44 + block;
		len -= 44 + block;
		r = tzif_header(p, len, &c, &version);
		if (r < 0)
			return r;
		time_size = 8;
		block = tzif_block_len(&c, 8);
		if (len - 44 < block)
			return -EBADMSG;
	}

	tz = calloc(1, sizeof(*tz));
	if (!tz)
		return -ENOMEM;
	snprintf(tz->name, sizeof(tz->name), "%s", name);
	tz->n_trans = c.time;
	tz->trans = calloc(c.time + 1, sizeof(*tz->trans));
	tz->offset = calloc(c.time + 1, sizeof(*tz->offset));
	if (!tz->trans || !tz->offset) {
		r = -ENOMEM;
		goto out_free;
	}

	{
		const uint8_t *times = p + 44;
		const uint8_t *idx = times + c.time * time_size;
		const uint8_t *types = idx + c.time;

		for (uint32_t i = 0; i < c.time; i++) {
			tz->trans[i] =
			    time_size == 8 ? be64(times + i * 8) : (int32_t)be32(times + i * 4);
			if (idx[i] >= c.type || (i > 0 && tz->trans[i] <= tz->trans[i - 1])) {
				r = -EBADMSG;
				goto out_free;
			}
			tz->offset[i] = (int32_t)be32(types + idx[i] * 6);
		}
		tz->first_off = (int32_t)be32(types);
		for (uint32_t i = 0; i < c.type; i++) {
			int32_t off = (int32_t)be32(types + i * 6);

			if (off < -25 * 3600 || off > 26 * 3600) {
				r = -EBADMSG;
				goto out_free;
			}
		}
	}

	if (time_size == 8) {
		const uint8_t *footer = p + 44 + block;
		size_t left = len - 44 - block;
		char rule[128];
		const uint8_t *nl;

		if (left < 2 || footer[0] != '\n')
			goto out_done; /* footer is optional in practice */
		nl = memchr(footer + 1, '\n', left - 1);
		if (!nl || (size_t)(nl - footer - 1) >= sizeof(rule)) {
			r = -EBADMSG;
			goto out_free;
		}
		memcpy(rule, footer + 1, (size_t)(nl - footer - 1));
		rule[nl - footer - 1] = '\0';
		if (rule[0]) {
			r = parse_rule(rule, &tz->rule);
			if (r < 0)
				goto out_free;
		}
	}

out_done:
	*ret_tz = tz;
	return 0;

out_free:
	tz_free(tz);
	return r;
}

static bool valid_zone_name(const char *name)
{
	size_t len = strlen(name);

	if (len == 0 || len >= TZ_NAME_MAX || name[0] == '/' || strstr(name, ".."))
		return false;
	for (size_t i = 0; i < len; i++) {
		char ch = name[i];

		if (!isalnum((unsigned char)ch) && ch != '/' && ch != '_' && ch != '+' && ch != '-')
			return false;
	}
	return true;
}

int tz_load(const char *name, struct tz **ret_tz)
{
	const char *dir = getenv("TZDIR");
	char path[512];
	uint8_t *data;
	struct stat st;
	ssize_t n;
	int fd, r;

	if (!valid_zone_name(name))
		return -EINVAL;
	if (!dir || !*dir)
		dir = "/usr/share/zoneinfo";
	snprintf(path, sizeof(path), "%s/%s", dir, name);

	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return errno == ENOTDIR ? -ENOENT : -errno;
	if (fstat(fd, &st) < 0) {
		r = -errno;
		goto out_close;
	}
	if (!S_ISREG(st.st_mode)) {
		r = -ENOENT;
		goto out_close;
	}
	if (st.st_size > TZ_FILE_MAX) {
		r = -EBADMSG;
		goto out_close;
	}
	data = malloc((size_t)st.st_size + 1);
	if (!data) {
		r = -ENOMEM;
		goto out_close;
	}
	n = read(fd, data, (size_t)st.st_size);
	if (n != st.st_size) {
		r = n < 0 ? -errno : -EIO;
		goto out_free_data;
	}
	r = tz_parse(data, (size_t)n, name, ret_tz);

out_free_data:
	free(data);
out_close:
	close(fd);
	return r;
}

void tz_free(struct tz *tz)
{
	if (!tz)
		return;
	free(tz->trans);
	free(tz->offset);
	free(tz);
}

const char *tz_name(const struct tz *tz)
{
	return tz->name;
}

int tz_offset_at(const struct tz *tz, int64_t utc_sec)
{
	size_t lo = 0, hi = tz->n_trans;

	if (tz->n_trans == 0 || utc_sec < tz->trans[0])
		return tz->n_trans == 0 && tz->rule.has_rule ? rule_offset_at(&tz->rule, utc_sec)
							     : tz->first_off;
	if (utc_sec >= tz->trans[tz->n_trans - 1] && tz->rule.has_rule)
		return rule_offset_at(&tz->rule, utc_sec);
	/* The last transition at or before utc_sec. */
	while (hi - lo > 1) {
		size_t mid = lo + (hi - lo) / 2;

		if (tz->trans[mid] <= utc_sec)
			lo = mid;
		else
			hi = mid;
	}
	return tz->offset[lo];
}

void tz_local(const struct tz *tz, int64_t utc_sec, int32_t *ret_days, int32_t *ret_sec_of_day)
{
	int64_t local = utc_sec + tz_offset_at(tz, utc_sec);
	int64_t days = local / 86400 - (local % 86400 < 0);

	*ret_days = (int32_t)days;
	*ret_sec_of_day = (int32_t)(local - days * 86400);
}

int64_t tz_instant(const struct tz *tz, int32_t days, int32_t sec_of_day)
{
	int64_t local = (int64_t)days * 86400 + sec_of_day;
	/* Two steps settle any single offset change near the instant. */
	int64_t guess = local - tz_offset_at(tz, local);
	int64_t refined = local - tz_offset_at(tz, guess);

	if (refined + tz_offset_at(tz, refined) == local)
		return refined;
	return guess;
}
