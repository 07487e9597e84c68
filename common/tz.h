/* SPDX-License-Identifier: MIT */
/*
 * Civil dates and IANA time zones, read from the system tz database.
 *
 * Attendance rules run on the office's local day (WIB, WITA, WIT), while
 * instants are stored in UTC. glibc's localtime_r() follows the process-wide
 * TZ, which cannot serve several zones from several threads at once, so zones
 * are read here from their TZif files into immutable objects: once loaded a
 * struct tz may be shared by any number of threads without locking.
 *
 * Dates are day numbers (days since 1970-01-01, proleptic Gregorian), which
 * makes ranges and weekdays plain integer arithmetic.
 */
#ifndef HADIR_COMMON_TZ_H
#define HADIR_COMMON_TZ_H

#include <stddef.h>
#include <stdint.h>

#include "common/err.h"

#define TZ_DATE_MAX 11 /* "2025-03-03" and NUL */
#define TZ_NAME_MAX 64

struct tz;

/* Days since 1970-01-01 for a proleptic Gregorian date; no validation. */
int32_t tz_days_from_civil(int year, int month, int day);
void tz_civil_from_days(int32_t days, int *ret_year, int *ret_month, int *ret_day);
/* ISO weekday of a day number: 1 = Monday … 7 = Sunday. */
int tz_weekday(int32_t days);
int tz_days_in_month(int year, int month);

/* Parse "YYYY-MM-DD" (a real calendar date, years 1900–2199) into a day number. */
int tz_parse_date(const char *text, int32_t *ret_days) MUST_CHECK;
void tz_format_date(int32_t days, char buf[TZ_DATE_MAX]);
/* Parse "HH:MM" or "HH:MM:SS" into seconds after midnight (0 … 86399). */
int tz_parse_clock(const char *text, int32_t *ret_sec) MUST_CHECK;

/*
 * Load zone name ("Asia/Jakarta") from $TZDIR or /usr/share/zoneinfo.
 * Names with "..", a leading '/', or other than [A-Za-z0-9/_+-] are refused.
 * Returns -ENOENT for an unknown zone, -EBADMSG for a damaged file. The
 * result must be freed with tz_free().
 */
int tz_load(const char *name, struct tz **ret_tz) MUST_CHECK;

/* Build a zone from TZif bytes (as read from a file); the parser is fuzzed. */
int tz_parse(const uint8_t *data, size_t len, const char *name, struct tz **ret_tz) MUST_CHECK;

void tz_free(struct tz *tz);
const char *tz_name(const struct tz *tz);

/* Offset east of UTC, in seconds, in force at the instant utc_sec. */
int tz_offset_at(const struct tz *tz, int64_t utc_sec);

/* The local day number and seconds after local midnight of an instant. */
void tz_local(const struct tz *tz, int64_t utc_sec, int32_t *ret_days, int32_t *ret_sec_of_day);

/*
 * The instant of a local date and time. In a DST gap or overlap the offset
 * in force just before the change is used (no Indonesian zone has either).
 */
int64_t tz_instant(const struct tz *tz, int32_t days, int32_t sec_of_day);

#endif
