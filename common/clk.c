// SPDX-License-Identifier: MIT
/*
 * Clocks, boot id and ISO 8601 instants. Calendar arithmetic comes from
 * tz.c so there is one implementation of it.
 */
#include "common/clk.h"

#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <stdio.h>
#include <string.h>
#include <sys/timex.h>
#include <time.h>
#include <unistd.h>

#include "common/tz.h"

static int64_t clock_usec(clockid_t id)
{
	struct timespec ts;

	/* Only fails for an invalid clock id, which would be a bug here. */
	if (clock_gettime(id, &ts) < 0)
		abort();
	return (int64_t)ts.tv_sec * CLK_USEC_PER_SEC + ts.tv_nsec / 1000;
}

int64_t clk_wall_usec(void)
{
	return clock_usec(CLOCK_REALTIME);
}

int64_t clk_boot_usec(void)
{
	return clock_usec(CLOCK_BOOTTIME);
}

int clk_boot_id(char *ret_id)
{
	char buf[CLK_BOOT_ID_LEN + 2];
	ssize_t n;
	int fd, r;

	fd = open("/proc/sys/kernel/random/boot_id", O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return -errno;
	n = read(fd, buf, sizeof(buf));
	r = n < 0 ? -errno : 0;
	close(fd);
	if (r < 0)
		return r;
	if (n < CLK_BOOT_ID_LEN)
		return -EBADMSG;
	memcpy(ret_id, buf, CLK_BOOT_ID_LEN);
	ret_id[CLK_BOOT_ID_LEN] = '\0';
	return 0;
}

bool clk_is_ntp_synced(void)
{
	struct timex tx = {0};
	int state = adjtimex(&tx);

	return state >= 0 && state != TIME_ERROR && !(tx.status & STA_UNSYNC);
}

/* Read exactly n digits into ret; returns the text after them or NULL. */
static const char *digits(const char *p, int n, int *ret)
{
	int v = 0;

	for (int i = 0; i < n; i++) {
		if (!isdigit((unsigned char)p[i]))
			return NULL;
		v = v * 10 + (p[i] - '0');
	}
	*ret = v;
	return p + n;
}

int clk_parse_iso8601(const char *text, int64_t *ret_usec)
{
	int32_t days, sec;
	int hh, mm, ss = 0, off_h = 0, off_m = 0, sign = 0;
	int64_t frac = 0, scale = 100000;
	char date[TZ_DATE_MAX];
	const char *p;

	if (strlen(text) < 16 || (text[10] != 'T' && text[10] != ' '))
		return -EINVAL;
	memcpy(date, text, 10);
	date[10] = '\0';
	if (tz_parse_date(date, &days) < 0)
		return -EINVAL;

	p = digits(text + 11, 2, &hh);
	if (!p || *p++ != ':')
		return -EINVAL;
	p = digits(p, 2, &mm);
	if (!p)
		return -EINVAL;
	if (*p == ':') {
		p = digits(p + 1, 2, &ss);
		if (!p)
			return -EINVAL;
		if (*p == '.' || *p == ',') {
			p++;
			if (!isdigit((unsigned char)*p))
				return -EINVAL;
			for (; isdigit((unsigned char)*p); p++) {
				frac += (*p - '0') * scale;
				scale /= 10;
			}
		}
	}
	if (hh > 23 || mm > 59 || ss > 59)
		return -EINVAL;

	if (*p == 'Z' || *p == 'z') {
		p++;
	} else if (*p == '+' || *p == '-') {
		sign = *p++ == '-' ? -1 : 1;
		p = digits(p, 2, &off_h);
		if (!p)
			return -EINVAL;
		if (*p == ':')
			p++;
		p = digits(p, 2, &off_m);
		if (!p || off_h > 14 || off_m > 59)
			return -EINVAL;
	} else {
		return -EINVAL;
	}
	if (*p)
		return -EINVAL;

	sec = hh * 3600 + mm * 60 + ss;
	*ret_usec =
	    ((int64_t)days * 86400 + sec - sign * (off_h * 3600 + off_m * 60)) * CLK_USEC_PER_SEC +
	    frac;
	return 0;
}

static int64_t floor_div(int64_t a, int64_t b)
{
	return a / b - (a % b != 0 && (a < 0) != (b < 0));
}

/* A zero offset is written as the conventional Z. */
static void format_at(int64_t usec, int offset_sec, char buf[CLK_ISO_MAX])
{
	int64_t local = usec + (int64_t)offset_sec * CLK_USEC_PER_SEC;
	int64_t sec = floor_div(local, CLK_USEC_PER_SEC);
	int64_t frac = local - sec * CLK_USEC_PER_SEC;
	int32_t days = (int32_t)floor_div(sec, 86400);
	int32_t sod = (int32_t)(sec - (int64_t)days * 86400);
	char date[TZ_DATE_MAX];
	int n;

	tz_format_date(days, date);
	n = snprintf(buf, CLK_ISO_MAX, "%sT%02d:%02d:%02d", date, sod / 3600, sod / 60 % 60,
		     sod % 60);
	if (frac)
		n += snprintf(buf + n, (size_t)(CLK_ISO_MAX - n), ".%06" PRId64, frac);
	if (offset_sec == 0) {
		snprintf(buf + n, (size_t)(CLK_ISO_MAX - n), "Z");
	} else {
		int a = offset_sec < 0 ? -offset_sec : offset_sec;

		snprintf(buf + n, (size_t)(CLK_ISO_MAX - n), "%c%02d:%02d",
			 offset_sec < 0 ? '-' : '+', a / 3600, a / 60 % 60);
	}
}

void clk_format_utc(int64_t usec, char buf[CLK_ISO_MAX])
{
	format_at(usec, 0, buf);
}

void clk_format_offset(int64_t usec, int offset_sec, char buf[CLK_ISO_MAX])
{
	format_at(usec, offset_sec, buf);
}

int clk_parse_day_or_instant(const char *text, bool is_end, int64_t *ret_usec)
{
	int32_t days;

	if (strlen(text) == 10 && tz_parse_date(text, &days) == 0) {
		*ret_usec = ((int64_t)days + (is_end ? 1 : 0)) * 86400 * CLK_USEC_PER_SEC;
		return 0;
	}
	return clk_parse_iso8601(text, ret_usec);
}
