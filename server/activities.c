// SPDX-License-Identifier: MIT
/* Activity entries: projection at ingest, the supersede rule, checks and review. */
#include "server/activities.h"

#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "common/activity.h"
#include "common/clk.h"
#include "common/record.h"
#include "common/tz.h"
#include "server/db.h"
#include "server/ingest.h"

#define SEC_PER_DAY 86400

static bool is_superadmin(const struct db_admin *who)
{
	return strcmp(who->role, "superadmin") == 0;
}

bool activities_in_scope(const struct db_admin *who, const struct db_activity *act)
{
	if (is_superadmin(who))
		return true;
	return strcmp(who->role, "supervisor") == 0 && who->nip[0] &&
	       strcmp(act->supervisor_nip, who->nip) == 0;
}

static int zone_of_unit(const struct db_unit *unit, void *user)
{
	snprintf(user, TZ_NAME_MAX, "%s", unit->timezone);
	return 0;
}

/*
 * A person's unit time zone, loaded; -ENOENT for an unknown NIP (or a unit
 * not defined). The result must be freed with tz_free().
 */
static int person_zone(struct db *db, const char *nip, struct db_staff *ret_staff,
		       struct tz **ret_tz)
{
	struct db_org_query q = {.device_id = 0};
	char zone[TZ_NAME_MAX] = "";
	int r;

	r = db_staff_get(db, nip, ret_staff);
	if (r < 0)
		return r;
	q.unit_id = ret_staff->unit_id;
	r = db_units(db, &q, zone_of_unit, zone);
	if (r < 0)
		return r;
	if (!zone[0])
		return -ENOENT;
	return tz_load(zone, ret_tz);
}

/* The local day of an instant in a person's unit zone (UTC when unknown: -ENOENT then). */
static int local_day(struct db *db, const char *nip, int64_t when_usec, struct tz **ret_tz,
		     int32_t *ret_day)
{
	int64_t sec = when_usec / CLK_USEC_PER_SEC;
	struct db_staff staff;
	int32_t sec_of_day;
	int r;

	r = person_zone(db, nip, &staff, ret_tz);
	if (r == -ENOENT) {
		*ret_tz = NULL;
		*ret_day = (int32_t)(sec / SEC_PER_DAY - (sec % SEC_PER_DAY < 0));
		return -ENOENT;
	}
	if (r < 0)
		return r;
	tz_local(*ret_tz, sec, ret_day, &sec_of_day);
	return 0;
}

static int stop_at_accepted(const struct db_tap *tap, void *user)
{
	(void)user;
	return strcmp(tap->outcome, "accepted") == 0 ? -ECANCELED : 0;
}

/* Whether nip has an accepted tap on local day in tz. */
static int has_tap(struct db *db, const char *nip, const struct tz *tz, int32_t day, bool *ret_has)
{
	struct db_tap_query q = {
	    .nip = nip,
	    .from_usec = tz_instant(tz, day, 0) * CLK_USEC_PER_SEC,
	    .to_usec = tz_instant(tz, day + 1, 0) * CLK_USEC_PER_SEC,
	};
	int r;

	r = db_taps(db, &q, stop_at_accepted, NULL);
	if (r < 0 && r != -ECANCELED)
		return r;
	*ret_has = r == -ECANCELED;
	return 0;
}

int activities_check(struct db *db, const struct activities_rules *rules, const char *nip,
		     const struct activity *act, int64_t when_usec, char *reason, size_t reason_len)
{
	struct tz *tz;
	int32_t today, date;
	bool has = true;
	int r;

	r = local_day(db, nip, when_usec, &tz, &today);
	if (r == -ENOENT) {
		snprintf(reason, reason_len, "unknown NIP %s", nip);
		return -ENOENT;
	}
	if (r < 0)
		return r;
	if (tz_parse_date(act->date, &date) < 0 || date > today + 1) {
		snprintf(reason, reason_len, "date %s is after the entry's day + 1", act->date);
		r = -ERANGE;
		goto out_free;
	}
	if (rules->require_tap && !act->withdrawn) {
		r = has_tap(db, nip, tz, date, &has);
		if (r < 0)
			goto out_free;
		if (!has) {
			snprintf(reason, reason_len, "no accepted tap on %s", act->date);
			r = -EPERM;
		}
	}
out_free:
	tz_free(tz);
	return r;
}

static int clock_minutes(const char *hm)
{
	int32_t sec;

	return tz_parse_clock(hm, &sec) < 0 ? 0 : sec / 60;
}

struct relink {
	struct db *db;
	const struct db_activity *old;
	int64_t winner; /* id of the first valid superseder, 0 while none */
};

/*
 * For each entry that supersedes old (ascending seq): the first the rule
 * allows replaces old, unless one did already; any other pending one is
 * invalid, as a fork of the correction chain or a correction of someone
 * else's entry. A reviewed or refused loser keeps its status.
 */
static int relink_one(const struct db_activity *next, void *user)
{
	struct relink *l = user;
	char reason[DB_REVIEW_MAX];
	enum activity_error err;

	if (strcmp(next->status, "invalid") == 0)
		return 0;
	err = activity_may_supersede(&next->act, next->nip, next->seq, &l->old->act, l->old->nip,
				     l->old->seq);
	if (err == ACTIVITY_OK && !l->winner && !l->old->superseded_by) {
		l->winner = next->id;
		return db_activity_set_superseded(l->db, l->old->id, next->id);
	}
	if (l->old->superseded_by == next->id || strcmp(next->status, "pending") != 0)
		return 0;
	if (err != ACTIVITY_OK)
		snprintf(reason, sizeof(reason), "supersedes seq %" PRIu64 ": %s", l->old->seq,
			 activity_strerror(err));
	else
		snprintf(reason, sizeof(reason),
			 "supersedes seq %" PRIu64 ", which another entry already replaced",
			 l->old->seq);
	return db_activity_set_status(l->db, next->id, "invalid", reason, NULL, 0);
}

/* Link the entry of (device, seq) with the entries superseding it, whichever came first. */
static int relink(struct db *db, int64_t device_id, uint64_t seq)
{
	struct db_activity *old;
	struct relink l = {.db = db};
	int r;

	old = malloc(sizeof(*old));
	if (!old)
		return -ENOMEM;
	r = db_activity_by_seq(db, device_id, seq, old);
	if (r == 0) {
		l.old = old;
		r = db_activity_superseders(db, device_id, seq, relink_one, &l);
	} else if (r == -ENOENT) {
		r = 0; /* not arrived yet: its arrival links it */
	}
	free(old);
	return r;
}

int activities_ingest(struct db *db, const struct activities_rules *rules, int64_t device_id,
		      const struct record *rec, int64_t when_usec, int64_t now_usec)
{
	struct db_activity *a;
	enum activity_error err;
	struct tz *tz = NULL;
	int32_t day;
	int64_t id;
	int r;

	a = calloc(1, sizeof(*a));
	if (!a)
		return -ENOMEM;
	a->device_id = device_id;
	a->seq = rec->seq;
	a->received_usec = now_usec;
	snprintf(a->nip, sizeof(a->nip), "%s", rec->nip);
	snprintf(a->status, sizeof(a->status), "pending");
	if (activity_parse(rec->payload, strlen(rec->payload), &a->act, &err) < 0) {
		/* Listed under the record's own day, so it is seen where it belongs. */
		r = local_day(db, rec->nip, when_usec, &tz, &day);
		if (r < 0 && r != -ENOENT)
			goto out_free;
		tz_format_date(day, a->act.date);
		snprintf(a->status, sizeof(a->status), "invalid");
		snprintf(a->reason, sizeof(a->reason), "payload: %s", activity_strerror(err));
	} else {
		a->minutes = clock_minutes(a->act.end) - clock_minutes(a->act.start);
		r = activities_check(db, rules, rec->nip, &a->act, when_usec, a->reason,
				     sizeof(a->reason));
		if (r == -EPERM)
			snprintf(a->status, sizeof(a->status), "refused");
		else if (r == -ENOENT || r == -ERANGE)
			snprintf(a->status, sizeof(a->status), "invalid");
		else if (r < 0)
			goto out_free;
	}
	r = db_activity_insert(db, a, &id);
	if (r < 0)
		goto out_free;
	/* Both directions: this entry may replace an earlier one, or be replaced by a later one. */
	if (strcmp(a->status, "invalid") != 0 && a->act.supersedes > 0)
		r = relink(db, device_id, a->act.supersedes);
	if (r == 0)
		r = relink(db, device_id, rec->seq);
out_free:
	tz_free(tz);
	free(a);
	return r < 0 ? r : 0;
}

int activities_review(struct db *db, const struct db_admin *who, int64_t id, bool is_approve,
		      const char *comment, int64_t now_usec, struct db_activity *ret_act)
{
	struct db_activity *a;
	int r;

	if (!is_superadmin(who) && strcmp(who->role, "supervisor") != 0)
		return -EACCES;
	if (!is_approve && (!comment || !comment[0]))
		return -EINVAL;
	a = malloc(sizeof(*a));
	if (!a)
		return -ENOMEM;
	r = db_activity_by_id(db, id, a);
	if (r == 0 && !activities_in_scope(who, a))
		r = -ENOENT;
	if (r < 0)
		goto out_free;
	if (a->superseded_by || a->act.withdrawn || strcmp(a->status, "refused") == 0 ||
	    strcmp(a->status, "invalid") == 0) {
		r = -EALREADY;
		goto out_free;
	}
	r = db_activity_set_status(db, id, is_approve ? "approved" : "returned",
				   comment ? comment : "", who->nip, now_usec);
	if (r == 0 && ret_act)
		r = db_activity_by_id(db, id, ret_act);
out_free:
	free(a);
	return r;
}

/* May who enter an activity for the person staff? */
static int check_entrant(const struct db_admin *who, int r_staff, const struct db_staff *staff,
			 const char *nip, char *reason, size_t reason_len)
{
	bool is_super = is_superadmin(who);

	if (!is_super && (strcmp(who->role, "supervisor") != 0 || r_staff == -ENOENT ||
			  strcmp(staff->supervisor_nip, who->nip) != 0)) {
		snprintf(reason, reason_len, "%s is not one of your staff", nip);
		return -EACCES;
	}
	if (r_staff == -ENOENT) {
		snprintf(reason, reason_len, "unknown NIP %s", nip);
		return -ENOENT;
	}
	return r_staff;
}

/*
 * Resolve the web entry supersedes_id of nip into act->supersedes (a seq of
 * device_id); a withdrawal takes the withdrawn entry's fields.
 */
static int resolve_supersedes(struct db *db, int64_t device_id, const char *nip,
			      struct activity *act, int64_t supersedes_id, char *reason,
			      size_t reason_len)
{
	struct db_activity *old;
	int r;

	old = malloc(sizeof(*old));
	if (!old)
		return -ENOMEM;
	r = db_activity_by_id(db, supersedes_id, old);
	if (r == 0 && (old->device_id != device_id || strcmp(old->nip, nip) != 0))
		r = -ENOENT;
	if (r == -ENOENT) {
		snprintf(reason, reason_len, "supersedes: no web entry %" PRId64 " of %s",
			 supersedes_id, nip);
		r = -EINVAL;
	} else if (r == 0 && old->superseded_by) {
		snprintf(reason, reason_len, "entry %" PRId64 " was replaced by entry %" PRId64,
			 supersedes_id, old->superseded_by);
		r = -EALREADY;
	} else if (r == 0) {
		bool is_withdrawal = act->withdrawn;

		if (is_withdrawal)
			*act = old->act;
		act->supersedes = old->seq;
		act->withdrawn = is_withdrawal;
		if (activity_may_supersede(act, nip, old->seq + 1, &old->act, old->nip, old->seq) !=
		    ACTIVITY_OK) {
			snprintf(reason, reason_len, "supersedes: %s",
				 activity_strerror(ACTIVITY_ERR_SUPERSEDES));
			r = -EINVAL;
		}
	}
	free(old);
	return r;
}

/* Store act as the web device's next record and project it. */
static int append_web_record(struct db *db, const struct activities_rules *rules,
			     const struct db_admin *who, int64_t device_id, const char *nip,
			     struct activity *act, int64_t now_usec, uint64_t *ret_seq)
{
	static const uint8_t zero[CRYPTO_SHA256_LEN];
	uint8_t last_prev[CRYPTO_SHA256_LEN], last_link[CRYPTO_SHA256_LEN];
	struct db_device dev = {.id = device_id, .name = ACTIVITIES_WEB_DEVICE};
	struct record_batch batch = {.n = 1};
	struct ingest_result res;
	enum activity_error err;
	struct record *rec;
	uint64_t last;
	int r;

	rec = calloc(1, sizeof(*rec));
	if (!rec)
		return -ENOMEM;
	r = db_record_max_seq(db, device_id, &last);
	if (r == 0 && last > 0)
		r = db_record_chain(db, device_id, last, last_prev, last_link);
	if (r < 0)
		goto out_free;
	rec->seq = last + 1;
	snprintf(rec->kind, sizeof(rec->kind), "activity");
	rec->wall_usec = now_usec;
	snprintf(rec->boot_id, sizeof(rec->boot_id), "00000000-0000-0000-0000-000000000000");
	rec->clock_trusted = true;
	snprintf(rec->credential, sizeof(rec->credential), "web:%s",
		 who->nip[0] ? who->nip : who->role);
	snprintf(rec->nip, sizeof(rec->nip), "%s", nip);
	snprintf(rec->outcome, sizeof(rec->outcome), "accepted");
	r = activity_encode(act, rec->payload, sizeof(rec->payload), &err);
	if (r < 0)
		goto out_free;
	record_seal(rec, last > 0 ? last_link : zero);
	dev.acked_seq = last;
	batch.recs = rec;
	r = ingest_batch(db, &dev, &batch, rules, now_usec, &res);
	if (r == 0)
		*ret_seq = rec->seq;
out_free:
	free(rec);
	return r;
}

int activities_add(struct db *db, const struct activities_rules *rules, const struct db_admin *who,
		   const char *nip, struct activity *act, int64_t now_usec,
		   struct db_activity *ret_act, char *reason, size_t reason_len)
{
	int64_t supersedes_id = (int64_t)act->supersedes;
	enum activity_error err;
	struct db_staff staff;
	int64_t device_id;
	uint64_t seq = 0;
	int r;

	r = db_staff_get(db, nip, &staff);
	if (r < 0 && r != -ENOENT)
		return r;
	r = check_entrant(who, r, &staff, nip, reason, reason_len);
	if (r < 0)
		return r;
	r = db_begin(db);
	if (r < 0)
		return r;
	r = db_device_internal(db, ACTIVITIES_WEB_DEVICE, now_usec, &device_id);
	if (r == 0 && supersedes_id > 0)
		r = resolve_supersedes(db, device_id, nip, act, supersedes_id, reason, reason_len);
	if (r == 0 && activity_validate(act, &err) < 0) {
		snprintf(reason, reason_len, "%s", activity_strerror(err));
		r = -EINVAL;
	}
	if (r == 0)
		r = activities_check(db, rules, nip, act, now_usec, reason, reason_len);
	if (r == 0)
		r = append_web_record(db, rules, who, device_id, nip, act, now_usec, &seq);
	if (r == 0)
		r = db_commit(db);
	if (r < 0) {
		db_rollback(db);
		return r;
	}
	return db_activity_by_seq(db, device_id, seq, ret_act);
}

json_t *activities_json(const struct db_activity *a)
{
	char received[CLK_ISO_MAX], reviewed[CLK_ISO_MAX];

	clk_format_utc(a->received_usec, received);
	if (a->reviewed_usec)
		clk_format_utc(a->reviewed_usec, reviewed);
	return json_pack(
	    "{s:I,s:s,s:I,s:s,s:s,s:s,s:s,s:s,s:s,s:i,s:s,s:s,s:s,s:i,s:I,s:b,s:b,"
	    "s:s,s:s,s:s,s:s,s:s?,s:o,s:s}",
	    "id", (json_int_t)a->id, "device", a->device, "seq", (json_int_t)a->seq, "nip", a->nip,
	    "name", a->name, "unit_id", a->unit_id, "date", a->act.date, "plan", a->act.plan,
	    "description", a->act.description, "quantity", a->act.quantity, "unit", a->act.unit,
	    "start", a->act.start, "end", a->act.end, "minutes", a->minutes, "supersedes",
	    (json_int_t)a->act.supersedes, "supersedes_missing", a->is_supersedes_missing,
	    "withdrawn", a->act.withdrawn, "status", a->status, "reason", a->reason, "reviewer_nip",
	    a->reviewer_nip, "comment", a->comment, "reviewed", a->reviewed_usec ? reviewed : NULL,
	    "superseded_by", a->superseded_by ? json_integer(a->superseded_by) : json_null(),
	    "received", received);
}

static int add_roster_plan(const struct db_plan *plan, void *user)
{
	json_t *plans = json_object_get(user, plan->nip);

	if (!plans)
		return 0; /* not in this roster */
	return json_array_append_new(
		   plans, json_pack("{s:s,s:s}", "code", plan->code, "title", plan->title)) < 0
		   ? -ENOMEM
		   : 0;
}

int activities_roster_plans(struct db *db, json_t *staff)
{
	json_t *by_nip = json_object(), *person, *plans;
	size_t i;
	int r = by_nip ? 0 : -ENOMEM;

	json_array_foreach(staff, i, person)
	{
		plans = json_array();
		if (r == 0 &&
		    (!plans || json_object_set(person, "plans", plans) < 0 ||
		     json_object_set(by_nip, json_string_value(json_object_get(person, "nip")),
				     plans) < 0))
			r = -ENOMEM;
		json_decref(plans);
	}
	if (r == 0)
		r = db_plans(db, NULL, add_roster_plan, by_nip);
	json_decref(by_nip);
	return r;
}
