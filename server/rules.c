// SPDX-License-Identifier: MIT
/*
 * Day and period evaluation. One decision function, decide(), serves both
 * the single-day call (explanations, tests) and the period walk, so the
 * day-by-day explanation and the totals cannot disagree. The period walk
 * buckets taps into per-day extremes (earliest and latest of each direction)
 * in one pass — order does not matter and nothing is allocated per tap — then
 * decides each day once and adds up. Money is integer basis points.
 */
#include "server/rules.h"

#include <assert.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common/tz.h"

enum {
	WHY_OFF = 1u << 0,
	WHY_TAPS_OFF_DAY = 1u << 1,
	WHY_LEAVE = 1u << 2,
	WHY_TK = 1u << 3,
	WHY_IN_ON_TIME = 1u << 4,
	WHY_IN_LATE = 1u << 5,
	WHY_IN_MISSING = 1u << 6,
	WHY_IN_EXCUSED = 1u << 7,
	WHY_COMPENSATED = 1u << 8,
	WHY_FORGIVEN = 1u << 9,
	WHY_OUT_ON_TIME = 1u << 10,
	WHY_OUT_EARLY = 1u << 11,
	WHY_OUT_MISSING = 1u << 12,
	WHY_OUT_EXCUSED = 1u << 13,
	WHY_OUTSIDE = 1u << 14,
};

/* The extremes of one day's accepted taps; all a day's decision needs. */
struct day_acc {
	uint8_t has; /* ACC_* bits */
	uint32_t n_taps, n_outside;
	int64_t min_in, min_any, max_out, max_any; /* usec */
	int32_t min_in_sec, min_any_sec, max_out_sec, max_any_sec;
};

enum { ACC_IN = 1, ACC_ANY = 2, ACC_OUT = 4 };

struct rules_plan {
	const struct profile *profile;
	const struct tz *tz;
	const struct cal_unit *unit;
	int32_t from, to;
	int32_t first; /* first day evaluated */
	int32_t jan1;  /* 1 January of the `to` year */
	size_t n_days;
	struct cal_day *days;  /* first .. to, leave NULL */
	int32_t *month;	       /* per day: year * 12 + month - 1 */
	bool has_fixed_offset; /* one UTC offset over the whole range (every Indonesian zone) */
	int32_t fixed_offset;  /* seconds east of UTC, when has_fixed_offset */
};

static int64_t floor_div(int64_t a, int64_t b)
{
	return a / b - (a % b != 0 && (a < 0) != (b < 0));
}

static bool in_window(const struct profile *p, int32_t sec)
{
	return sec >= p->window_open_sec && sec <= p->window_close_sec;
}

/* Fold one tap (already known to be of this day) into the day's extremes. */
static void acc_add(struct day_acc *a, const struct profile *p, const struct rules_tap *t,
		    int32_t sec)
{
	if (!in_window(p, sec)) {
		a->n_outside++;
		return;
	}
	a->n_taps++;
	switch (t->dir) {
	case RULES_DIR_IN:
		if (!(a->has & ACC_IN) || t->usec < a->min_in) {
			a->min_in = t->usec;
			a->min_in_sec = sec;
		}
		a->has |= ACC_IN;
		break;
	case RULES_DIR_OUT:
		if (!(a->has & ACC_OUT) || t->usec > a->max_out) {
			a->max_out = t->usec;
			a->max_out_sec = sec;
		}
		a->has |= ACC_OUT;
		break;
	case RULES_DIR_ANY:
	default:
		if (!(a->has & ACC_ANY) || t->usec < a->min_any) {
			a->min_any = t->usec;
			a->min_any_sec = sec;
		}
		if (!(a->has & ACC_ANY) || t->usec > a->max_any) {
			a->max_any = t->usec;
			a->max_any_sec = sec;
		}
		a->has |= ACC_ANY;
		break;
	}
}

/* Whole minutes past a limit, or 0 within the grace (07:30:59 is on time for 07:30). */
static int32_t minutes_over(int32_t seconds, int64_t grace)
{
	if (seconds <= grace)
		return 0;
	return seconds / 60 > 0 ? seconds / 60 : 1;
}

/*
 * Choose check-in and check-out: an explicit direction wins; otherwise the
 * first tap is the check-in and the last one, if later, the check-out.
 */
static void choose_taps(const struct day_acc *a, struct rules_day *d)
{
	if (a->has & ACC_IN) {
		d->has_in = true;
		d->in_dir = RULES_DIR_IN;
		d->in_usec = a->min_in;
		d->in_sec = a->min_in_sec;
	} else if (a->has & ACC_ANY) {
		d->has_in = true;
		d->in_dir = RULES_DIR_ANY;
		d->in_usec = a->min_any;
		d->in_sec = a->min_any_sec;
	}
	if (a->has & ACC_OUT) {
		d->has_out = true;
		d->out_dir = RULES_DIR_OUT;
		d->out_usec = a->max_out;
		d->out_sec = a->max_out_sec;
	} else if ((a->has & ACC_ANY) && (!d->has_in || a->max_any > d->in_usec)) {
		d->has_out = true;
		d->out_dir = RULES_DIR_ANY;
		d->out_usec = a->max_any;
		d->out_sec = a->max_any_sec;
	}
}

static void decide_in(const struct profile *p, struct rules_day *d)
{
	if (d->is_in_excused) {
		d->why |= WHY_IN_EXCUSED;
	} else if (!d->has_in) {
		d->is_in_missing = true;
		d->tl = p->late.is_missing_tier4 ? PROFILE_TIERS : 0;
		d->why |= WHY_IN_MISSING;
	} else {
		d->late_minutes = minutes_over(d->in_sec - d->cal.start_sec, p->grace_seconds);
		d->tl = profile_tier_of(&p->late, d->late_minutes);
		d->why |= d->late_minutes ? WHY_IN_LATE : WHY_IN_ON_TIME;
	}
}

static void decide_out(const struct profile *p, struct rules_day *d)
{
	if (d->is_out_excused) {
		d->why |= WHY_OUT_EXCUSED;
	} else if (!d->has_out) {
		d->is_out_missing = true;
		d->psw = p->early.is_missing_tier4 ? PROFILE_TIERS : 0;
		d->why |= WHY_OUT_MISSING;
	} else {
		d->early_minutes = minutes_over(d->cal.end_sec - d->out_sec, p->grace_seconds);
		d->psw = profile_tier_of(&p->early, d->early_minutes);
		d->why |= d->early_minutes ? WHY_OUT_EARLY : WHY_OUT_ON_TIME;
	}
}

/* The day's decision from the calendar and the tap extremes. */
static void decide(const struct profile *p, const struct cal_day *cal, const struct day_acc *a,
		   struct rules_day *d)
{
	const struct cal_leave *leave = cal->leave;

	*d = (struct rules_day){.cal = *cal, .n_taps = a->n_taps, .n_outside = a->n_outside};
	if (a->n_outside)
		d->why |= WHY_OUTSIDE;
	choose_taps(a, d);
	if (!cal->is_working) {
		d->why |= WHY_OFF | (a->n_taps ? WHY_TAPS_OFF_DAY : 0);
		return;
	}
	if (leave) {
		d->is_in_excused = leave->from_sec <= cal->start_sec;
		d->is_out_excused = leave->to_sec >= cal->end_sec;
		if (d->is_in_excused && d->is_out_excused) {
			d->is_leave = true;
			d->why |= WHY_LEAVE;
			return;
		}
	}
	/* A part-day leave is a valid absence record too: never TK (spec §4). */
	if (a->n_taps == 0 && !leave) {
		d->is_tk = true;
		d->deduction_bp = (int32_t)p->tk_bp;
		d->why |= WHY_TK;
		return;
	}
	decide_in(p, d);
	decide_out(p, d);
	if (d->late_minutes > 0 && d->late_minutes <= p->compensation_minutes && d->has_out &&
	    !d->is_out_excused &&
	    (int64_t)d->out_sec - d->cal.end_sec >= (int64_t)d->late_minutes * 60) {
		d->is_compensated = true;
		d->tl = 0;
		d->why |= WHY_COMPENSATED;
	}
	d->deduction_bp =
	    (int32_t)(profile_tier_bp(&p->late, d->tl) + profile_tier_bp(&p->early, d->psw));
}

void rules_eval_day(const struct profile *profile, const struct tz *tz, const struct cal_day *cal,
		    const struct rules_tap *taps, size_t n_taps, struct rules_day *ret_day,
		    enum rules_tap_use *ret_uses)
{
	struct day_acc a = {0};

	for (size_t i = 0; i < n_taps; i++) {
		int32_t day, sec;

		tz_local(tz, floor_div(taps[i].usec, 1000000), &day, &sec);
		if (day == cal->day)
			acc_add(&a, profile, &taps[i], sec);
	}
	decide(profile, cal, &a, ret_day);
	if (ret_uses)
		for (size_t i = 0; i < n_taps; i++)
			ret_uses[i] = rules_tap_use(profile, tz, ret_day, &taps[i]);
}

enum rules_tap_use rules_tap_use(const struct profile *profile, const struct tz *tz,
				 const struct rules_day *day, const struct rules_tap *tap)
{
	int32_t d, sec;

	tz_local(tz, floor_div(tap->usec, 1000000), &d, &sec);
	if (d != day->cal.day)
		return RULES_TAP_OTHER_DAY;
	if (!in_window(profile, sec))
		return RULES_TAP_OUTSIDE_WINDOW;
	if (day->has_in && tap->usec == day->in_usec && tap->dir == day->in_dir)
		return RULES_TAP_CHECK_IN;
	if (day->has_out && tap->usec == day->out_usec && tap->dir == day->out_dir)
		return RULES_TAP_CHECK_OUT;
	return RULES_TAP_UNUSED;
}

int rules_plan_new(const struct calendar *cal, const struct cal_unit *unit,
		   const struct profile *profile, int32_t from, int32_t to,
		   struct rules_plan **ret_plan)
{
	struct rules_plan *plan;
	int y, m, d;
	int r;

	if (to < from)
		return -EINVAL;
	plan = calloc(1, sizeof(*plan));
	if (!plan)
		return -ENOMEM;
	plan->profile = profile;
	plan->tz = cal_unit_tz(unit);
	plan->unit = unit;
	plan->from = from;
	plan->to = to;
	tz_civil_from_days(to, &y, &m, &d);
	plan->jan1 = tz_days_from_civil(y, 1, 1);
	/* From the first of from's month: the late-days threshold counts whole months. */
	tz_civil_from_days(from, &y, &m, &d);
	plan->first = tz_days_from_civil(y, m, 1);
	if (plan->jan1 < plan->first)
		plan->first = plan->jan1;
	if ((int64_t)to - plan->first + 1 > RULES_RANGE_MAX) {
		r = -E2BIG;
		goto out_free;
	}
	plan->n_days = (size_t)(to - plan->first + 1);
	plan->days = calloc(plan->n_days, sizeof(*plan->days));
	plan->month = calloc(plan->n_days, sizeof(*plan->month));
	if (!plan->days || !plan->month) {
		r = -ENOMEM;
		goto out_free;
	}
	plan->has_fixed_offset = true;
	plan->fixed_offset = tz_offset_at(plan->tz, tz_instant(plan->tz, plan->first, 0));
	for (size_t i = 0; i <= plan->n_days; i++) {
		int32_t day = plan->first + (int32_t)i;

		/* An offset change shows at some midnight: none lasts less than a day. */
		if (tz_offset_at(plan->tz, tz_instant(plan->tz, day, 0)) != plan->fixed_offset)
			plan->has_fixed_offset = false;
		if (i == plan->n_days)
			break;
		calendar_day(cal, unit, NULL, 0, day, &plan->days[i]);
		tz_civil_from_days(day, &y, &m, &d);
		plan->month[i] = y * 12 + m - 1;
	}
	*ret_plan = plan;
	return 0;

out_free:
	rules_plan_free(plan);
	return r;
}

void rules_plan_free(struct rules_plan *plan)
{
	if (!plan)
		return;
	free(plan->days);
	free(plan->month);
	free(plan);
}

const struct profile *rules_plan_profile(const struct rules_plan *plan)
{
	return plan->profile;
}

const struct tz *rules_plan_tz(const struct rules_plan *plan)
{
	return plan->tz;
}

const struct cal_unit *rules_plan_unit(const struct rules_plan *plan)
{
	return plan->unit;
}

static bool leaves_ok(const struct rules_employee *emp)
{
	for (size_t i = 0; i < emp->n_leaves; i++) {
		if (emp->leaves[i].to_day < emp->leaves[i].from_day)
			return false;
		if (i > 0 && emp->leaves[i].from_day <= emp->leaves[i - 1].to_day)
			return false;
	}
	return true;
}

static int32_t equivalent_days(const struct profile *p, int64_t minutes)
{
	switch (p->rounding) {
	case PROFILE_ROUND_NEAREST:
		return (int32_t)((2 * minutes + p->minutes_per_day) / (2 * p->minutes_per_day));
	case PROFILE_ROUND_UP:
		return (int32_t)((minutes + p->minutes_per_day - 1) / p->minutes_per_day);
	default:
		return (int32_t)(minutes / p->minutes_per_day);
	}
}

/* Running state of the period walk. */
struct walk {
	const struct rules_plan *plan;
	const struct rules_employee *emp;
	struct rules_period out;
	int32_t month;		 /* of the last day seen */
	int32_t month_late_days; /* late days so far in that month */
	int64_t month_bp;	 /* period days of that month, uncapped */
	int32_t run;		 /* current run of TK working days in the year */
};

static void flush_month(struct walk *w)
{
	int64_t bp =
	    w->month_bp < w->plan->profile->cap_bp ? w->month_bp : w->plan->profile->cap_bp;

	w->out.deduction_bp += bp;
	w->out.deduction_amount += w->emp->allowance * bp / PROFILE_BP_FULL;
	w->month_bp = 0;
}

/* The monthly late-days threshold: the first K late days of a month are not cut. */
static void apply_threshold(struct walk *w, struct rules_day *d)
{
	const struct profile *p = w->plan->profile;

	if (d->late_minutes == 0 || d->is_compensated || d->tl == 0)
		return;
	d->month_late_day = ++w->month_late_days;
	if (d->month_late_day > p->free_late_days)
		return;
	d->is_late_forgiven = true;
	d->deduction_bp -= (int32_t)profile_tier_bp(&p->late, d->tl);
	d->why |= WHY_FORGIVEN;
}

bool rules_day_is_required(const struct rules_day *d)
{
	return d->cal.is_working && !d->is_leave;
}

bool rules_day_is_compliant(const struct rules_day *d)
{
	return rules_day_is_required(d) && !d->is_tk && !d->tl && !d->psw;
}

static void add_period(struct walk *w, const struct rules_day *d)
{
	struct rules_period *o = &w->out;

	if (!d->cal.is_working)
		return;
	o->working_days++;
	if (d->n_taps)
		o->present_days++;
	if (d->is_leave) {
		o->leave_days[d->cal.leave->code]++;
		return;
	}
	o->required_days++;
	if (d->is_tk) {
		o->tk_days++;
	} else {
		if (d->tl)
			o->tl[d->tl - 1]++;
		if (d->psw)
			o->psw[d->psw - 1]++;
	}
	o->compliant_days += rules_day_is_compliant(d);
	if (!d->is_compensated)
		o->late_minutes += d->late_minutes;
	o->early_minutes += d->early_minutes;
	o->compensated_days += d->is_compensated;
	o->forgiven_late_days += d->is_late_forgiven;
	w->month_bp += d->deduction_bp;
}

static void add_year(struct walk *w, const struct rules_day *d)
{
	struct rules_year *y = &w->out.year;

	if (!d->cal.is_working)
		return;
	if (!d->is_compensated)
		y->minutes += d->late_minutes;
	y->minutes += d->early_minutes;
	if (!d->is_tk) {
		w->run = 0;
		return;
	}
	y->tk_days++;
	w->run++;
	if (w->run > y->max_consecutive_tk)
		y->max_consecutive_tk = w->run;
}

static void finish_year(const struct profile *p, struct rules_year *y)
{
	y->equivalent_days = equivalent_days(p, y->minutes);
	y->total_days = y->tk_days + y->equivalent_days;
	y->sanction = profile_rung_for(p, y->total_days);
	if (p->consecutive_tk > 0 && y->max_consecutive_tk >= p->consecutive_tk) {
		const struct profile_rung *run = &p->ladder[p->consecutive_rung];

		if (!y->sanction || run > y->sanction) {
			y->sanction = run;
			y->is_run_sanction = true;
		}
	}
}

int rules_eval_period(const struct rules_plan *plan, const struct rules_employee *emp,
		      const struct rules_tap *taps, size_t n_taps, rules_day_fn *on_day, void *user,
		      struct rules_period *ret_period)
{
	const struct profile *p = plan->profile;
	struct walk w = {.plan = plan, .emp = emp};
	struct day_acc *acc;
	size_t leave_i = 0;

	if (!leaves_ok(emp) || emp->allowance < 0 || emp->allowance > RULES_ALLOWANCE_MAX ||
	    (emp->unit_id && strcmp(emp->unit_id, cal_unit_id(plan->unit)) != 0))
		return -EINVAL;
	acc = calloc(plan->n_days, sizeof(*acc));
	if (!acc)
		return -ENOMEM;

	for (size_t i = 0; i < n_taps; i++) {
		int64_t utc = floor_div(taps[i].usec, 1000000);
		int32_t day, sec;

		if (plan->has_fixed_offset) {
			/* The zone lookup, without the lookup: the hot path of a big report. */
			int64_t local = utc + plan->fixed_offset;

			day = (int32_t)floor_div(local, 86400);
			sec = (int32_t)(local - (int64_t)day * 86400);
		} else {
			tz_local(plan->tz, utc, &day, &sec);
		}
		if (day < plan->first || day > plan->to)
			continue;
		acc_add(&acc[day - plan->first], p, &taps[i], sec);
	}

	w.out.from = plan->from;
	w.out.to = plan->to;
	w.month = plan->month[0];
	for (size_t i = 0; i < plan->n_days; i++) {
		int32_t day = plan->first + (int32_t)i;
		struct cal_day cal = plan->days[i];
		struct rules_day d;

		/* Leave records are sorted and disjoint: one cursor walks them. */
		while (leave_i < emp->n_leaves && emp->leaves[leave_i].to_day < day)
			leave_i++;
		if (leave_i < emp->n_leaves && emp->leaves[leave_i].from_day <= day)
			cal.leave = &emp->leaves[leave_i];
		if ((emp->first_day && day < emp->first_day) ||
		    (emp->last_day && day > emp->last_day)) {
			cal.is_working = false;
			cal.off = CAL_OFF_UNTRACKED;
		}

		if (plan->month[i] != w.month) {
			if (w.month_bp)
				flush_month(&w);
			w.month = plan->month[i];
			w.month_late_days = 0;
		}
		/* A non-working day adds nothing; only an explanation needs to see it. */
		if (!cal.is_working && (!on_day || day < plan->from))
			continue;
		decide(p, &cal, &acc[i], &d);
		if (cal.is_working)
			apply_threshold(&w, &d);
		if (day >= plan->jan1)
			add_year(&w, &d);
		if (day < plan->from)
			continue;
		add_period(&w, &d);
		if (on_day)
			on_day(&d, user);
	}
	flush_month(&w);
	finish_year(p, &w.out.year);
	free(acc);
	*ret_period = w.out;
	return 0;
}

void rules_summary_add(struct rules_summary *s, const struct rules_period *p)
{
	s->head_count++;
	s->working_days += p->working_days;
	s->required_days += p->required_days;
	s->compliant_days += p->compliant_days;
	s->present_days += p->present_days;
	s->late_minutes += p->late_minutes;
	s->early_minutes += p->early_minutes;
	s->tk_days += p->tk_days;
	s->deduction_bp += p->deduction_bp;
	s->deduction_amount += p->deduction_amount;
	if (p->year.sanction) {
		s->n_sanctioned++;
		if (p->year.sanction->level >= 0 && p->year.sanction->level < 3)
			s->n_by_level[p->year.sanction->level]++;
	}
}

void rules_summary_finish(struct rules_summary *s)
{
	int64_t n = (int64_t)s->head_count;

	if (s->required_days)
		s->compliance_bp = s->compliant_days * PROFILE_BP_FULL / s->required_days;
	if (n) {
		s->avg_late_minutes_x100 = s->late_minutes * 100 / n;
		s->avg_early_minutes_x100 = s->early_minutes * 100 / n;
		s->avg_tk_days_x100 = s->tk_days * 100 / n;
		s->avg_deduction_bp = s->deduction_bp / n;
	}
}

void rules_summarize(const struct rules_period *periods, size_t n, struct rules_summary *ret)
{
	struct rules_summary s = {.head_count = 0};

	for (size_t i = 0; i < n; i++)
		rules_summary_add(&s, &periods[i]);
	rules_summary_finish(&s);
	*ret = s;
}

const char *rules_tier_name(char kind, int tier)
{
	static const char *const tl[] = {"TL1", "TL2", "TL3", "TL4"};
	static const char *const psw[] = {"PSW1", "PSW2", "PSW3", "PSW4"};

	if (tier < 1 || tier > PROFILE_TIERS)
		return NULL;
	return kind == 'L' ? tl[tier - 1] : psw[tier - 1];
}

static void clock_text(int32_t sec, char buf[16])
{
	snprintf(buf, 16, "%02d:%02d:%02d", sec / 3600 % 100, sec / 60 % 60, sec % 60);
}

static void hm_text(int32_t sec, char buf[16])
{
	snprintf(buf, 16, "%02d:%02d", sec / 3600 % 100, sec / 60 % 60);
}

static const char *tier_outcome(const struct profile_tiers *tiers, char kind, int tier,
				char buf[64])
{
	int64_t bp = profile_tier_bp(tiers, tier);

	if (!tier)
		return "not counted by this profile";
	snprintf(buf, 64, "%s (%d.%02d%%)", rules_tier_name(kind, tier), (int)(bp / 100),
		 (int)(bp % 100));
	return buf;
}

unsigned rules_day_reasons(const struct profile *p, const struct rules_day *d,
			   char lines[][RULES_REASON_MAX], unsigned max)
{
	const struct cal_leave *leave = d->cal.leave;
	const char *code = leave ? cal_leave_code_name(leave->code) : "";
	char in[16], out[16], start[16], end[16], lim[16], tier[64];
	unsigned n = 0;

#define LINE(...)                                                                                  \
	do {                                                                                       \
		if (n < max)                                                                       \
			snprintf(lines[n++], RULES_REASON_MAX, __VA_ARGS__);                       \
	} while (0)

	clock_text(d->in_sec, in);
	clock_text(d->out_sec, out);
	hm_text(d->cal.start_sec, start);
	hm_text(d->cal.end_sec, end);
	if (d->why & WHY_OFF) {
		if (d->cal.off == CAL_OFF_HOLIDAY)
			LINE("not a working day: holiday '%s'", d->cal.holiday);
		else if (d->cal.off == CAL_OFF_WEEKEND)
			LINE("not a working day: weekend");
		else if (d->cal.off == CAL_OFF_UNTRACKED)
			LINE("not evaluated: before the employee's first or after their last "
			     "tracked day");
		else
			LINE("not a working day: no working hours for the unit on this weekday");
	}
	if (d->why & WHY_TAPS_OFF_DAY)
		LINE("%u tap(s) on a non-working day: recorded, not evaluated", d->n_taps);
	if (d->why & WHY_LEAVE)
		LINE("working hours covered by leave %s: valid absence", code);
	if (d->why & WHY_TK) {
		int64_t bp = p->tk_bp;

		LINE("TK: working day without an accepted tap or a valid absence (%d.%02d%%)",
		     (int)(bp / 100), (int)(bp % 100));
	}
	if (d->why & WHY_IN_ON_TIME)
		LINE("check-in %s on time for %s", in, start);
	if (d->why & WHY_IN_LATE)
		LINE("check-in %s is %d min after %s: %s", in, d->late_minutes, start,
		     tier_outcome(&p->late, 'L', d->is_compensated ? 0 : d->tl, tier));
	if (d->why & WHY_IN_MISSING)
		LINE("no check-in: %s", tier_outcome(&p->late, 'L', d->tl, tier));
	if (d->why & WHY_IN_EXCUSED) {
		hm_text(leave->to_sec, lim);
		LINE("check-in excused by leave %s until %s", code, lim);
	}
	if (d->why & WHY_COMPENSATED)
		LINE("%d min late made up: check-out %s is at least as long after %s, not cut",
		     d->late_minutes, out, end);
	if (d->why & WHY_FORGIVEN)
		LINE("late day %d of the month, within the %d free late days: TL not cut",
		     d->month_late_day, (int)p->free_late_days);
	if (d->why & WHY_OUT_ON_TIME)
		LINE("check-out %s at or after %s", out, end);
	if (d->why & WHY_OUT_EARLY)
		LINE("check-out %s is %d min before %s: %s", out, d->early_minutes, end,
		     tier_outcome(&p->early, 'E', d->psw, tier));
	if (d->why & WHY_OUT_MISSING)
		LINE("no check-out: %s", tier_outcome(&p->early, 'E', d->psw, tier));
	if (d->why & WHY_OUT_EXCUSED) {
		hm_text(leave->from_sec, lim);
		LINE("check-out excused by leave %s from %s", code, lim);
	}
	if (d->why & WHY_OUTSIDE) {
		hm_text(p->window_open_sec, in);
		hm_text(p->window_close_sec, out);
		LINE("%u tap(s) outside the window %s-%s: kept, ignored", d->n_outside, in, out);
	}
#undef LINE
	return n;
}
