/* SPDX-License-Identifier: MIT */
/*
 * Activity entries (e-Kinerja daily log) at the collector: the projection of
 * records of kind "activity" into reviewable entries, the checks an entry
 * must pass, and supervisors' review. Policy only; storage through db.h, the
 * payload through common/activity (the only code that reads it).
 *
 * Records are immutable evidence, so an entry is never dropped nor rewritten:
 * - a payload that does not parse or breaks a rule is kept as status
 *   "invalid" with the reason;
 * - with the require_tap rule, an entry for a day (the person's unit time
 *   zone) without an accepted tap of that person is kept as "refused";
 * - a correction is a new entry that supersedes an earlier one of the same
 *   device, person and date; the earlier one is marked superseded_by, also
 *   when the correction arrived first (out of order) or in the same batch.
 *   A withdrawal supersedes the entry and is itself no current entry.
 * Everything else starts "pending"; a reviewer approves or returns it.
 */
#ifndef HADIR_SERVER_ACTIVITIES_H
#define HADIR_SERVER_ACTIVITIES_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "common/err.h"

struct activity;
struct json_t;
struct db;
struct db_activity;
struct db_admin;
struct record;

/* The collector's internal device for entries made from the web (not a valid kiosk name). */
#define ACTIVITIES_WEB_DEVICE "(web)"

struct activities_rules {
	bool require_tap; /* [activities] require_tap */
};

/*
 * Project a record of kind "activity", just stored for device_id, into an
 * entry. when_usec is the record's time (corrected when known, else the time it
 * arrived): its local day bounds the entry's date (at most one day ahead). Runs inside the caller's
 * transaction; storage errors are returned.
 */
int activities_ingest(struct db *db, const struct activities_rules *rules, int64_t device_id,
		      const struct record *rec, int64_t when_usec, int64_t now_usec) MUST_CHECK;

/*
 * Whether act (validated) of nip may be stored with the record time
 * when_usec: 0, or -ENOENT (unknown NIP), -ERANGE (date after the local day +
 * 1), -EPERM (require_tap and no accepted tap that day), with a sentence in
 * reason[reason_len]; storage errors as negative errno and no reason.
 */
int activities_check(struct db *db, const struct activities_rules *rules, const char *nip,
		     const struct activity *act, int64_t when_usec, char *reason,
		     size_t reason_len) MUST_CHECK;

/* True when who may see and review act: a superadmin, or the supervisor of its person. */
bool activities_in_scope(const struct db_admin *who, const struct db_activity *act);

/*
 * Approve (is_approve) or return entry id as who, with comment (required to
 * return). -ENOENT for no such entry or one outside who's scope (they cannot
 * tell the two apart), -EACCES when who's role may not review, -EINVAL for a
 * missing comment, -EALREADY for an entry that is superseded, withdrawn,
 * refused or invalid. On success *ret_act (may be NULL) holds the updated entry.
 */
int activities_review(struct db *db, const struct db_admin *who, int64_t id, bool is_approve,
		      const char *comment, int64_t now_usec,
		      struct db_activity *ret_act) MUST_CHECK;

/*
 * An entry made from the web by who for nip: stored as a record of the
 * collector's own device ACTIVITIES_WEB_DEVICE (hash-chained like a kiosk's)
 * and projected like one, in one transaction. act->supersedes (0: none) is
 * the id of the web entry it corrects or withdraws; a withdrawal takes that
 * entry's fields. Returns 0 with the stored entry in *ret_act, or (with a
 * sentence in reason[reason_len]) -EACCES when who may not enter for nip,
 * -ENOENT for an unknown NIP, -ERANGE for a date after today + 1, -EPERM for
 * the require_tap rule, -EINVAL for a supersedes that is no such entry or a
 * payload rule broken, -EALREADY when that entry was replaced already;
 * storage errors otherwise.
 */
int activities_add(struct db *db, const struct activities_rules *rules, const struct db_admin *who,
		   const char *nip, struct activity *act, int64_t now_usec,
		   struct db_activity *ret_act, char *reason, size_t reason_len) MUST_CHECK;

/*
 * Give each staff object of a roster (a JSON array of {"nip",..}) its
 * "plans":[{"code","title"}] from the plan items (RHK), as the kiosk offers
 * them. Returns 0 or a negative errno.
 */
int activities_roster_plans(struct db *db, struct json_t *staff) MUST_CHECK;

/* An entry as the API and the CLI show it; NULL when out of memory. */
struct json_t *activities_json(const struct db_activity *act);

#endif
