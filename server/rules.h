/* SPDX-License-Identifier: MIT */
/*
 * The discipline rules (specs/discipline-rules.md), as pure functions: a day's
 * check-in and check-out from accepted taps, late and early minutes, TL/PSW
 * tiers, TK; then a period's totals, the deduction in basis points and Rupiah,
 * and the year part with the recommended sanction. Every number comes from a
 * struct profile; days come from the calendar; no database, no network.
 *
 * For speed the collector builds one struct rules_plan per unit and period
 * (the calendar and zone work, done once) and evaluates each employee of the
 * unit against it: no allocation per tap or per day, no zone reloads. A plan
 * is immutable and may be shared by threads.
 */
#ifndef HADIR_SERVER_RULES_H
#define HADIR_SERVER_RULES_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "common/err.h"
#include "server/calendar.h"
#include "server/profile.h"

struct tz;
struct rules_plan;

#define RULES_RANGE_MAX	    3700 /* days one evaluation may span (about ten years) */
#define RULES_REASONS_MAX   8	 /* reason lines a day can carry */
#define RULES_REASON_MAX    160	 /* bytes of one reason line */
#define RULES_ALLOWANCE_MAX INT64_C(1000000000000) /* Rupiah; keeps bp arithmetic in int64 */

enum rules_dir {
	RULES_DIR_ANY, /* the kiosk does not know: first tap in, last tap out */
	RULES_DIR_IN,  /* an explicit in button: wins over ANY */
	RULES_DIR_OUT,
};

/* One accepted tap (the store has already dropped rejected and unknown credentials). */
struct rules_tap {
	int64_t usec; /* UTC instant, microseconds since the epoch (clk.h) */
	enum rules_dir dir;
};

/* What a tap was used for on its day (for the explanation). */
enum rules_tap_use {
	RULES_TAP_CHECK_IN,
	RULES_TAP_CHECK_OUT,
	RULES_TAP_UNUSED,	  /* accepted, between check-in and check-out */
	RULES_TAP_OUTSIDE_WINDOW, /* kept but ignored: before open or after close */
	RULES_TAP_OTHER_DAY,	  /* belongs to another local day */
};

/* One evaluated day. Pointers in cal are valid as long as the calendar. */
struct rules_day {
	struct cal_day cal; /* working or not, hours, covering leave */
	unsigned n_taps;    /* accepted taps inside the window */
	unsigned n_outside; /* taps of the day outside the window, ignored */
	bool has_in, has_out;
	enum rules_dir in_dir, out_dir; /* which kind of tap was chosen */
	int64_t in_usec, out_usec;	/* UTC */
	int32_t in_sec, out_sec;	/* local seconds after midnight */
	int32_t late_minutes;		/* whole minutes after start as measured; 0 on time */
	int32_t early_minutes;		/* whole minutes before end as measured; 0 on time */
	int tl, psw;			/* tier 0–4 after compensation and excuses */
	bool is_in_missing, is_out_missing;
	bool is_in_excused, is_out_excused; /* by a part-day leave */
	bool is_leave;			    /* whole working day covered by leave */
	bool is_tk;
	bool is_compensated;	/* late made up by staying as long after the end */
	bool is_late_forgiven;	/* within the month's free late days (period only) */
	int32_t month_late_day; /* nth late day of its month (period only), else 0 */
	int32_t deduction_bp;	/* this day's TL + PSW, or TK; before the monthly cap */
	uint32_t why;		/* reason bits, rendered by rules_day_reasons() */
};

/* An employee as the collector knows them. */
struct rules_employee {
	const char *nip, *name, *unit_id;
	int64_t allowance;		/* monthly tunjangan, whole Rupiah */
	const struct cal_leave *leaves; /* sorted by from_day, non-overlapping (calendar_leaves) */
	size_t n_leaves;
	/*
	 * The days the rules apply to (local day numbers, inclusive; 0: unbounded):
	 * from joining, or from when the collector first had this unit's taps,
	 * whichever is later. Days outside are not working days for the employee
	 * — without this, the months before someone joined would all be TK.
	 */
	int32_t first_day, last_day;
};

/* The year part: 1 January of the `to` year up to `to`. */
struct rules_year {
	int32_t tk_days;
	int64_t minutes;	    /* late (not compensated) + early minutes */
	int32_t equivalent_days;    /* minutes / minutes_per_day, rounded per profile */
	int32_t total_days;	    /* tk_days + equivalent_days */
	int32_t max_consecutive_tk; /* working days; non-working days neither count nor break */
	const struct profile_rung *sanction; /* recommendation, or NULL; in the plan's profile */
	bool is_run_sanction;		     /* the run rule, not the total, set the sanction */
};

struct rules_period {
	int32_t from, to; /* local day numbers, inclusive */
	int32_t working_days, present_days;
	int64_t late_minutes;			       /* not compensated, not excused */
	int64_t early_minutes;			       /* not excused */
	int32_t tl[PROFILE_TIERS], psw[PROFILE_TIERS]; /* tl[0] is TL1 */
	int32_t tk_days;
	int32_t leave_days[CAL_LEAVE_COUNT]; /* whole working days, by code */
	int32_t required_days;		     /* working days not on whole-day leave */
	int32_t compliant_days;		     /* of those: no TL, no PSW, not TK */
	int32_t compensated_days, forgiven_late_days;
	int64_t deduction_bp;	  /* sum of days, capped per calendar month, summed */
	int64_t deduction_amount; /* Rupiah, per month allowance * bp / 10000, rounded down */
	struct rules_year year;
};

/* Totals over the employees of a unit (or any group). */
struct rules_summary {
	size_t head_count;
	int64_t working_days, required_days, compliant_days, present_days;
	int64_t late_minutes, early_minutes, tk_days, deduction_bp, deduction_amount;
	int64_t compliance_bp;	       /* compliant / required days, basis points, down */
	int64_t avg_late_minutes_x100; /* per employee, hundredths, down */
	int64_t avg_early_minutes_x100;
	int64_t avg_tk_days_x100;
	int64_t avg_deduction_bp; /* per employee, down */
	size_t n_sanctioned;	  /* employees at or past a sanction threshold */
	size_t n_by_level[3];	  /* of those, by enum profile_level */
};

/*
 * Evaluate one local day from taps (any order, any days: taps of other local
 * days are ignored). cal comes from calendar_day(); tz is the unit's zone.
 * ret_uses, if not NULL, has n_taps slots and receives each tap's use. The
 * result does not depend on the order of taps. Period-only settings (the
 * monthly late-days threshold, the cap) are not applied here.
 */
void rules_eval_day(const struct profile *profile, const struct tz *tz, const struct cal_day *cal,
		    const struct rules_tap *taps, size_t n_taps, struct rules_day *ret_day,
		    enum rules_tap_use *ret_uses);

/* The use of one tap on an evaluated day. */
enum rules_tap_use rules_tap_use(const struct profile *profile, const struct tz *tz,
				 const struct rules_day *day, const struct rules_tap *tap);

/*
 * Prepare a period [from, to] (local day numbers) for a unit: the calendar of
 * every day from 1 January of the `to` year (or the first of the `from`
 * month, if earlier) up to `to`. Returns -EINVAL when to < from, -E2BIG past
 * RULES_RANGE_MAX days, -ENOMEM. The plan borrows cal, unit and profile, which
 * must outlive it, and must be freed with rules_plan_free().
 */
int rules_plan_new(const struct calendar *cal, const struct cal_unit *unit,
		   const struct profile *profile, int32_t from, int32_t to,
		   struct rules_plan **ret_plan) MUST_CHECK;
void rules_plan_free(struct rules_plan *plan);
const struct profile *rules_plan_profile(const struct rules_plan *plan);
const struct tz *rules_plan_tz(const struct rules_plan *plan);
const struct cal_unit *rules_plan_unit(const struct rules_plan *plan);

/* Called for each day of [from, to], in order, with its final decision. */
typedef void rules_day_fn(const struct rules_day *day, void *user);

/*
 * Evaluate an employee of the plan's unit over the plan's period. taps: the
 * employee's accepted taps in any order, at least from the plan's first day
 * (earlier and later ones are ignored). on_day may be NULL. Returns 0,
 * -EINVAL (unsorted or overlapping leave, allowance out of range, another
 * unit), or -ENOMEM; ret_period is written only on success.
 */
int rules_eval_period(const struct rules_plan *plan, const struct rules_employee *emp,
		      const struct rules_tap *taps, size_t n_taps, rules_day_fn *on_day, void *user,
		      struct rules_period *ret_period) MUST_CHECK;

/*
 * How an evaluated day counts in its period: required (a working day not
 * covered by whole-day leave: rules_period.required_days) and, of those,
 * compliant (no TL, no PSW, not TK: compliant_days). For totals by day.
 */
bool rules_day_is_required(const struct rules_day *day);
bool rules_day_is_compliant(const struct rules_day *day);

/* Add up periods (of one unit, typically). */
void rules_summarize(const struct rules_period *periods, size_t n, struct rules_summary *ret);

/*
 * The same one period at a time, for periods that are not in one array:
 * start from a zeroed summary, add each, then finish (the rates and averages).
 */
void rules_summary_add(struct rules_summary *s, const struct rules_period *p);
void rules_summary_finish(struct rules_summary *s);

/*
 * The day's reasons as short English lines, in a fixed order; returns how
 * many were written (at most RULES_REASONS_MAX).
 */
unsigned rules_day_reasons(const struct profile *profile, const struct rules_day *day,
			   char lines[][RULES_REASON_MAX], unsigned max);

/* "TL1" … "TL4" (kind 'L') or "PSW1" … (kind 'E') for tier 1–4; NULL for 0. */
const char *rules_tier_name(char kind, int tier);

#endif
