/* SPDX-License-Identifier: MIT */
/*
 * What the kiosk screen knows about a person's working day, kept in the
 * kiosk database beside the roster: plan items (RHK) per person, each unit's
 * time zone, grace and weekly schedule, the holidays, and the activity
 * entries already recorded (records of kind "activity" in the chain, read
 * back through common/activity).
 *
 * Plans, units and holidays come with the collector's roster (replaced in the
 * roster's own transaction, so a kiosk never sees a roster of one version
 * with plans of another), or, for offices without a collector, from a CSV
 * file (`hadir-kiosk plans import`). Not for attendance rules: the collector
 * decides those; the kiosk only greets.
 */
#ifndef HADIR_FIRMWARE_AGENDA_H
#define HADIR_FIRMWARE_AGENDA_H

#include <jansson.h>
#include <stddef.h>
#include <stdint.h>

#include "common/activity.h"
#include "common/err.h"
#include "common/rows.h"
#include "common/tz.h"
#include "firmware/store.h"

#define AGENDA_PLANS_MAX 64  /* plan items of one person shown on screen */
#define AGENDA_DAY_MAX	 128 /* activity records of one person and day, corrections included */
#define AGENDA_GRACE_MAX 3600

struct agenda_plan {
	char code[ACTIVITY_PLAN_MAX];
	char title[ACTIVITY_DESCRIPTION_MAX];
};

struct agenda_unit {
	char unit_id[STORE_UNIT_MAX];
	char name[STORE_NAME_MAX];
	char timezone[TZ_NAME_MAX];
	int grace_seconds;
};

/* An activity entry as recorded: its record's sequence and time, and the entry. */
struct agenda_entry {
	uint64_t seq;
	int64_t wall_usec;
	struct activity activity;
};

/*
 * Store the optional "units" (with "schedule"), "holidays" and per-staff
 * "plans" of a roster reply (contracts.md "Roster JSON"). Each part that is
 * present replaces what was stored; an absent part keeps it (a collector
 * without plans leaves plans imported by CSV alone). Call between
 * store_roster_begin() and store_roster_commit(): the statements join that
 * transaction. -EINVAL with why filled for a bad value.
 */
int agenda_from_roster(struct store *st, json_t *root, char why[ROWS_WHY_MAX]) MUST_CHECK;

/*
 * Replace every plan item with a CSV file (nip,code,title); each nip must be
 * in the roster. All or nothing: any bad row keeps the old plans and is
 * described in why with its line.
 */
int agenda_plans_import(struct store *st, const char *csv_path, unsigned *ret_n,
			char why[ROWS_WHY_MAX]) MUST_CHECK;

/* Up to max plan items of nip, by code. */
int agenda_plans(struct store *st, const char *nip, struct agenda_plan *plans, size_t max,
		 size_t *ret_n) MUST_CHECK;

/* The unit of nip when the roster described it: 1 and the unit, or 0. */
int agenda_unit_of(struct store *st, const char *nip, struct agenda_unit *ret_unit) MUST_CHECK;

/*
 * When work starts for unit_id on date ("YYYY-MM-DD", ISO weekday 1..7): 1
 * and seconds after local midnight, or 0 on a holiday or with no schedule.
 */
int agenda_work_start(struct store *st, const char *unit_id, const char *date, int weekday,
		      int32_t *ret_start_sec) MUST_CHECK;

/* A tap as the idle screen lists it. */
struct agenda_tap {
	int64_t wall_usec;
	char name[STORE_NAME_MAX]; /* "" for an unknown credential */
	char outcome[RECORD_OUTCOME_MAX];
};

/* The last up to max taps (not other records), newest first. */
int agenda_last_taps(struct store *st, struct agenda_tap *taps, size_t max,
		     size_t *ret_n) MUST_CHECK;

/* How many accepted taps of nip have wall times in [from_usec, to_usec). */
int agenda_taps_between(struct store *st, const char *nip, int64_t from_usec, int64_t to_usec,
			unsigned *ret_n) MUST_CHECK;

/*
 * nip's activity entries of date, oldest first, into entries[AGENDA_DAY_MAX].
 * With is_standing, only those still standing (neither superseded nor
 * withdrawals); otherwise every record of the day. -E2BIG past AGENDA_DAY_MAX
 * records.
 */
int agenda_entries(struct store *st, const char *nip, const char *date, bool is_standing,
		   struct agenda_entry *entries, size_t *ret_n) MUST_CHECK;

#endif
