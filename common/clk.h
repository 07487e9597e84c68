/* SPDX-License-Identifier: MIT */
/*
 * Instants and clocks. One time type everywhere: int64_t microseconds.
 * Wall instants are microseconds since the Unix epoch, in UTC; boot time
 * (CLOCK_BOOTTIME, which also counts suspend) orders events within one boot
 * and lets a record made before the wall clock was trusted be corrected later.
 * Local dates and zones live in tz.h.
 */
#ifndef HADIR_COMMON_CLK_H
#define HADIR_COMMON_CLK_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "common/err.h"

#define CLK_USEC_PER_SEC INT64_C(1000000)
#define CLK_BOOT_ID_LEN	 36 /* "xxxxxxxx-xxxx-xxxx-xxxx-xxxxxxxxxxxx" */
#define CLK_ISO_MAX	 40 /* "2025-03-03T07:41:00.123456+07:00" and NUL */

int64_t clk_wall_usec(void); /* CLOCK_REALTIME */
int64_t clk_boot_usec(void); /* CLOCK_BOOTTIME */

/* The kernel's id of this boot, from /proc; ret_id holds CLK_BOOT_ID_LEN + 1 bytes. */
int clk_boot_id(char *ret_id) MUST_CHECK;

/* True when the kernel reports the wall clock synchronised (NTP, adjtimex). */
bool clk_is_ntp_synced(void);

/*
 * Parse ISO 8601 with a zone: "2025-03-03T07:41:00+07:00", "…Z", "…+0700",
 * optional seconds and fraction. A bare local time is refused (-EINVAL):
 * an instant must say its offset.
 */
int clk_parse_iso8601(const char *text, int64_t *ret_usec) MUST_CHECK;

/*
 * A bound of a listing's period: YYYY-MM-DD is a UTC day (its first instant,
 * or for is_end the next day's), anything else an ISO 8601 instant as above.
 */
int clk_parse_day_or_instant(const char *text, bool is_end, int64_t *ret_usec) MUST_CHECK;

/* Format an instant as UTC ("2025-03-03T00:41:00Z", fraction only when non-zero). */
void clk_format_utc(int64_t usec, char buf[CLK_ISO_MAX]);

/* Format an instant at a fixed offset east of UTC ("2025-03-03T07:41:00+07:00"). */
void clk_format_offset(int64_t usec, int offset_sec, char buf[CLK_ISO_MAX]);

#endif
