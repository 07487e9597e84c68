/* SPDX-License-Identifier: MIT */
/*
 * The dashboard's overview of a period: per unit, head count, person-days
 * expected at work and of those on time, late/early/TK days, deductions and
 * the employees at or past a sanction threshold, and the same person-days
 * date by date over all the units shown. Every figure comes from one
 * discipline evaluation (discipline.h): this module adds up what the rules
 * decided and repeats none of them.
 *
 * A cache keeps each unit's figures per period, so that the overview of
 * 100,000 staff in 500 units answers without evaluating them again. Before
 * each answer it looks at the store for what changed, rather than being told
 * by the writers: some writers are other processes (`hadir-collector import`
 * runs beside the service), and the service's own ingest commits in groups
 * after it returns. What it looks at, each a few index probes when nothing
 * changed:
 *  - records by id (db_record_units): a unit whose staff have new records
 *    (taps or activities, from kiosks or an import of taps) is recomputed;
 *  - records still waiting for a corrected time (db_uncorrected_units): a
 *    unit whose count of those changed had its kiosk's times corrected;
 *  - the audit log: an import of units, staff, schedules, holidays or leave
 *    (every such change is audited: audit.h) drops the whole cache;
 *  - the rule profiles' files: an edited profile drops the whole cache.
 * A change made after the look is seen by the next one, so an answer is
 * never older than the request before it. Memory is bounded: a cache holds
 * a fixed number of (unit, period) entries, the least recently used go first.
 *
 * Only callers who see whole units (superadmins, unit admins) are answered
 * from the cache; for anyone else the overview covers the staff a filter
 * keeps and is evaluated afresh.
 */
#ifndef HADIR_SERVER_OVERVIEW_H
#define HADIR_SERVER_OVERVIEW_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "common/err.h"
#include "server/db.h"
#include "server/discipline.h"

struct overview;

#define OVERVIEW_ENTRIES_MAX 4096 /* the service's cache: 8 periods of 500 units */

/* One unit's figures over a period. */
struct overview_unit {
	char unit_id[DB_UNIT_ID_MAX];
	char name[DB_TEXT_MAX];
	int64_t staff;	      /* head count */
	int64_t working_days; /* person-days expected at work (rules_day_is_required) */
	int64_t on_time_days; /* of those, without TL, PSW or TK (rules_day_is_compliant) */
	int64_t late_days;    /* days with a TL tier */
	int64_t early_days;   /* days with a PSW tier */
	int64_t tk_days;
	int64_t deduction;    /* Rupiah */
	int64_t at_threshold; /* employees whose year to date recommends a sanction */
};

/* One date's person-days, over the units of an answer. */
struct overview_day {
	int64_t working, on_time;
};

struct overview_result {
	int32_t from, to;	     /* local day numbers */
	int64_t computed_usec;	     /* CLOCK_REALTIME: when the oldest figure was computed */
	struct overview_unit *units; /* by unit id */
	size_t n_units;
	struct overview_day *days; /* [0 .. to - from] */
	size_t n_computed;	   /* units evaluated for this answer rather than cached */
};

/* Whether a whole unit belongs in the answer. */
typedef bool overview_unit_fn(const char *unit_id, void *arg);

struct overview_query {
	int32_t from, to;	   /* local day numbers, inclusive (discipline_parse_period) */
	overview_unit_fn *unit_ok; /* whole units: those it accepts; NULL: every unit */
	discipline_keep_fn *keep;  /* instead, if set: the staff it keeps, never from the cache */
	void *arg;		   /* of either */
};

/* An empty cache of at most max_entries (unit, period) pairs; free with ::overview_free. */
int overview_new(size_t max_entries, struct overview **ret_overview) MUST_CHECK;
void overview_free(struct overview *ov);

/*
 * The overview q asks for, from the cache ov (NULL: no cache, everything
 * evaluated), on db (the calling thread's connection). Safe from any thread.
 * Returns 0, or discipline_run()'s errors (why, DISCIPLINE_WHY_MAX bytes,
 * says what); release the result with ::overview_result_done.
 */
int overview_get(struct overview *ov, struct db *db, const char *profiles_dir,
		 const struct overview_query *q, int64_t now_usec, struct overview_result *ret,
		 char *why) MUST_CHECK;
void overview_result_done(struct overview_result *r);

/* on_time / working as a fraction, or < 0 when working is 0 (no rate). */
double overview_rate(int64_t on_time, int64_t working);

#endif
