/* SPDX-License-Identifier: MIT */
/*
 * The working calendar: which local days are working days for a unit, with
 * which hours, and which leave covers an employee on a day. Units carry an
 * IANA zone (loaded once per zone name and shared), schedules by weekday and
 * date range (a narrower range wins, so a Ramadan range overrides the normal
 * timetable; between equally narrow ranges the later one wins), national
 * holidays and cuti bersama (non-working days), and leave records by code
 * (spec §5) for whole days or part of a day.
 *
 * Input arrives as text rows (as the CSV importer reads them); a bad row is
 * described in a cfg_diag as "source:line: field: reason" and not stored.
 * calendar_seal() sorts and cross-checks everything (duplicate holidays,
 * overlapping leave); after it the calendar is immutable and may be shared by
 * threads. No database, no I/O other than reading zone files.
 */
#ifndef HADIR_SERVER_CALENDAR_H
#define HADIR_SERVER_CALENDAR_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "common/cfg.h"
#include "common/err.h"

struct tz;
struct calendar;
struct cal_unit;

#define CAL_ID_MAX	64   /* unit_id, nip (NIP is 18 digits) */
#define CAL_NAME_MAX	96   /* holiday name, schedule label */
#define CAL_YEAR_MIN	2000 /* dates outside these years are refused as typos */
#define CAL_YEAR_MAX	2099
#define CAL_DAY_SECONDS 86400

/* Valid absence codes (PP 11/2017, Peraturan BKN 24/2017, common local codes). */
enum cal_leave_code {
	CAL_LEAVE_NONE,
	CAL_LEAVE_CT,	/* cuti tahunan */
	CAL_LEAVE_CB,	/* cuti besar */
	CAL_LEAVE_CS,	/* cuti sakit */
	CAL_LEAVE_CM,	/* cuti melahirkan */
	CAL_LEAVE_CAP,	/* cuti karena alasan penting */
	CAL_LEAVE_CLTN, /* cuti di luar tanggungan negara */
	CAL_LEAVE_DL,	/* dinas luar */
	CAL_LEAVE_TB,	/* tugas belajar */
	CAL_LEAVE_I,	/* izin */
	CAL_LEAVE_S,	/* sakit */
	CAL_LEAVE_FWA,	/* flexible working arrangement (PermenPANRB 4/2025) */
	CAL_LEAVE_WFH,	/* work from home */
	CAL_LEAVE_COUNT,
};

enum cal_off {
	CAL_OFF_NONE,	     /* a working day */
	CAL_OFF_WEEKEND,     /* Saturday or Sunday without working hours */
	CAL_OFF_HOLIDAY,     /* national holiday or cuti bersama */
	CAL_OFF_NO_SCHEDULE, /* Monday–Friday without working hours for the unit */
	CAL_OFF_UNTRACKED,   /* outside the employee's tracked days (set by rules.c) */
};

/* One leave record of one employee. */
struct cal_leave {
	int32_t from_day, to_day; /* local day numbers, inclusive */
	int32_t from_sec, to_sec; /* part of each day, local [from, to); whole: 0, 86400 */
	enum cal_leave_code code;
};

/* What a local day is for an employee. */
struct cal_day {
	int32_t day; /* local day number */
	int weekday; /* 1 = Monday … 7 = Sunday */
	bool is_working;
	enum cal_off off;	       /* why not, when !is_working */
	const char *holiday;	       /* name when off == CAL_OFF_HOLIDAY, else NULL */
	int32_t start_sec, end_sec;    /* working hours, local seconds after midnight */
	const char *schedule;	       /* label of the schedule row that won ("" if none) */
	const struct cal_leave *leave; /* the record covering the day, or NULL */
};

/* Text rows, as read from the import files (DESIGN.md, Admin interfaces). */
struct cal_unit_row {
	const char *source; /* file name for messages */
	unsigned line;
	const char *unit_id, *timezone;
	bool has_national_default; /* Mon–Thu 07:30–16:00, Fri 07:30–16:30 under any rows */
};

struct cal_schedule_row {
	const char *source;
	unsigned line;
	const char *unit_id, *valid_from, *valid_to, *weekday, *start, *end;
	const char *label; /* optional, e.g. "Ramadan 1446" */
};

struct cal_holiday_row {
	const char *source;
	unsigned line;
	const char *date, *name;
};

struct cal_leave_row {
	const char *source;
	unsigned line;
	const char *nip, *from, *to, *code;
	const char *time_from, *time_to; /* optional (NULL or ""): part of a one-day record */
};

/* An empty calendar; must be freed with calendar_free(). */
int calendar_new(struct calendar **ret_cal) MUST_CHECK;
void calendar_free(struct calendar *cal);

/*
 * Add a row. Returns 0, -EINVAL with the row's problems in diag (nothing is
 * stored), or -ENOMEM. Not after calendar_seal().
 */
int calendar_add_unit(struct calendar *cal, const struct cal_unit_row *row,
		      struct cfg_diag *diag) MUST_CHECK;
int calendar_add_schedule(struct calendar *cal, const struct cal_schedule_row *row,
			  struct cfg_diag *diag) MUST_CHECK;
int calendar_add_holiday(struct calendar *cal, const struct cal_holiday_row *row,
			 struct cfg_diag *diag) MUST_CHECK;
int calendar_add_leave(struct calendar *cal, const struct cal_leave_row *row,
		       struct cfg_diag *diag) MUST_CHECK;

/*
 * Sort and cross-check: a date that is a holiday twice, leave records of one
 * employee that share a day (one record per employee and day, part-day ones
 * included, so a day's explanation names one leave).
 * Returns 0 or -EINVAL (every problem in diag). Required before lookups.
 */
int calendar_seal(struct calendar *cal, struct cfg_diag *diag) MUST_CHECK;

/* A unit by id, or NULL; valid for the calendar's lifetime. */
const struct cal_unit *calendar_unit(const struct calendar *cal, const char *unit_id);
const char *cal_unit_id(const struct cal_unit *unit);
/* The unit's zone; shared with other units, valid for the calendar's lifetime. */
const struct tz *cal_unit_tz(const struct cal_unit *unit);

/*
 * An employee's leave records (sorted by from_day, non-overlapping), valid for
 * the calendar's lifetime; *ret_n is 0 for an employee without any.
 */
const struct cal_leave *calendar_leaves(const struct calendar *cal, const char *nip, size_t *ret_n);

/*
 * What local day `day` is for an employee of unit whose leave records are
 * leaves[0..n_leaves) (any order; NULL when n_leaves is 0). Never fails for a
 * sealed calendar; days outside CAL_YEAR_MIN..MAX are simply not working days
 * unless a schedule says so.
 */
void calendar_day(const struct calendar *cal, const struct cal_unit *unit,
		  const struct cal_leave *leaves, size_t n_leaves, int32_t day,
		  struct cal_day *ret_day);

/* The leave record covering day, or NULL; leaves in any order. */
const struct cal_leave *cal_leave_on(const struct cal_leave *leaves, size_t n_leaves, int32_t day);

const char *cal_leave_code_name(enum cal_leave_code code); /* "CT", …; "" for NONE */
int cal_leave_code_parse(const char *text, enum cal_leave_code *ret_code) MUST_CHECK;
/* "weekend", "holiday", "no_schedule", "untracked"; "" for a working day */
const char *cal_off_name(enum cal_off off);

#endif
