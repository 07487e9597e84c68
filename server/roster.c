// SPDX-License-Identifier: MIT
/*
 * Roster building: the scope (ETag) from the roster version and the device's
 * units, then the JSON from the store's listings, filtered by the device.
 */
#include "server/roster.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>

#include <jansson.h>

#include "common/crypto.h"
#include "common/log.h"
#include "server/activities.h"
#include "server/db.h"
#include "server/profile.h"

#define PROFILES_MAX 16 /* distinct profiles remembered while building one roster */

struct unit_set {
	struct crypto_sha256 sha;
	size_t n;
};

static int hash_unit(const struct db_unit *unit, void *user)
{
	struct unit_set *set = user;

	/* Ids cannot hold a newline (import.c), so the joined list is unambiguous. */
	crypto_sha256_update(&set->sha, unit->unit_id, strlen(unit->unit_id));
	crypto_sha256_update(&set->sha, "\n", 1);
	set->n++;
	return 0;
}

int roster_scope(struct db *db, int64_t device_id, int year, struct roster_scope *ret_scope)
{
	uint8_t digest[CRYPTO_SHA256_LEN];
	char hex[CRYPTO_SHA256_HEX];
	struct db_roster_state st;
	struct unit_set set = {.n = 0};
	int r;

	r = db_roster_state(db, &st);
	if (r < 0)
		return r;
	crypto_sha256_init(&set.sha);
	r = db_device_units(db, device_id, hash_unit, &set);
	if (r < 0)
		return r;
	if (set.n == 0)
		crypto_sha256_update(&set.sha, "*", 1); /* every unit */
	crypto_sha256_final(&set.sha, digest);
	crypto_hex(digest, hex);
	memset(ret_scope, 0, sizeof(*ret_scope));
	ret_scope->device_id = set.n ? device_id : 0;
	ret_scope->year = year;
	ret_scope->has_staff = st.has_staff;
	snprintf(ret_scope->etag, sizeof(ret_scope->etag), "\"r%lld-%d-%.16s\"",
		 (long long)st.version, year, hex);
	return 0;
}

struct grace {
	char profile[DB_PROFILE_MAX];
	bool is_ok;
	int64_t seconds;
};

struct build {
	const char *profiles_dir;
	json_t *units;	  /* array, as the reply has it */
	json_t *by_id;	  /* unit_id -> the same objects, for schedules */
	json_t *holidays; /* array */
	json_t *staff;	  /* array */
	struct grace graces[PROFILES_MAX];
	size_t n_graces;
};

/* grace_seconds of a profile, read once per roster; false when it cannot be read. */
static bool grace_of(struct build *b, const char *profile, int64_t *ret_seconds)
{
	struct cfg_diag diag = {.len = 0};
	struct profile *p = NULL;
	struct grace *g;

	for (size_t i = 0; i < b->n_graces; i++) {
		if (strcmp(b->graces[i].profile, profile) == 0) {
			*ret_seconds = b->graces[i].seconds;
			return b->graces[i].is_ok;
		}
	}
	if (b->n_graces == PROFILES_MAX)
		return false;
	g = &b->graces[b->n_graces++];
	snprintf(g->profile, sizeof(g->profile), "%s", profile);
	g->is_ok = profile_load_named(b->profiles_dir, profile, &p, &diag) == 0;
	g->seconds = g->is_ok ? p->grace_seconds : 0;
	profile_free(p);
	*ret_seconds = g->seconds;
	return g->is_ok;
}

static int add_unit(const struct db_unit *unit, void *user)
{
	struct build *b = user;
	int64_t grace;
	json_t *o;

	o = json_pack("{s:s,s:s,s:s,s:[]}", "unit_id", unit->unit_id, "name", unit->name,
		      "timezone", unit->timezone, "schedule");
	if (!o)
		return -ENOMEM;
	if (grace_of(b, unit->profile, &grace)) {
		if (json_object_set_new(o, "grace_seconds", json_integer(grace)) < 0)
			goto out_nomem;
	} else {
		log_warn("roster: unit '%s': profile '%s' cannot be read from %s, sent without "
			 "grace_seconds",
			 unit->unit_id, unit->profile, b->profiles_dir);
	}
	if (json_object_set(b->by_id, unit->unit_id, o) < 0)
		goto out_nomem;
	if (json_array_append_new(b->units, o) < 0)
		return -ENOMEM;
	return 0;

out_nomem:
	json_decref(o);
	return -ENOMEM;
}

static int add_schedule(const struct db_schedule *s, void *user)
{
	struct build *b = user;
	json_t *unit = json_object_get(b->by_id, s->unit_id);
	json_t *o;

	if (!unit)
		return 0; /* a listing race with an import: the next pull has it */
	o = json_pack("{s:s,s:s,s:i,s:s,s:s}", "valid_from", s->valid_from, "valid_to", s->valid_to,
		      "weekday", s->weekday, "start", s->start, "end", s->end);
	if (o && s->label[0] && json_object_set_new(o, "label", json_string(s->label)) < 0) {
		json_decref(o);
		o = NULL;
	}
	if (!o || json_array_append_new(json_object_get(unit, "schedule"), o) < 0)
		return -ENOMEM;
	return 0;
}

static int add_holiday(const struct db_holiday *h, void *user)
{
	struct build *b = user;

	if (json_array_append_new(b->holidays,
				  json_pack("{s:s,s:s}", "date", h->date, "name", h->name)) < 0)
		return -ENOMEM;
	return 0;
}

static int add_staff(const struct db_staff *s, void *user)
{
	struct build *b = user;
	json_t *cards = json_array(), *fingers = json_array();

	for (size_t i = 0; cards && i < s->n_cards; i++)
		if (json_array_append_new(cards, json_string(s->cards[i])) < 0)
			break;
	for (size_t i = 0; fingers && i < s->n_fingers; i++)
		if (json_array_append_new(fingers, json_integer(s->fingers[i])) < 0)
			break;
	if (!cards || !fingers || json_array_size(cards) != s->n_cards ||
	    json_array_size(fingers) != s->n_fingers) {
		json_decref(cards);
		json_decref(fingers);
		return -ENOMEM;
	}
	/* "o" steals cards and fingers, also when packing fails. */
	if (json_array_append_new(b->staff, json_pack("{s:s,s:s,s:s,s:o,s:o,s:s}", "nip", s->nip,
						      "name", s->name, "unit_id", s->unit_id,
						      "cards", cards, "fingers", fingers,
						      "supervisor_nip", s->supervisor_nip)) < 0)
		return -ENOMEM;
	return 0;
}

int roster_json(struct db *db, const struct roster_scope *scope, const char *profiles_dir,
		json_t **ret_json)
{
	char from[24], to[24];
	struct db_org_query q = {.device_id = scope->device_id};
	struct db_org_query days = {.from = from, .to = to};
	struct build b = {.profiles_dir = profiles_dir};
	json_t *root;
	int r;

	snprintf(from, sizeof(from), "%04d-01-01", scope->year);
	snprintf(to, sizeof(to), "%04d-12-31", scope->year + 1);
	b.units = json_array();
	b.by_id = json_object();
	b.holidays = json_array();
	b.staff = json_array();
	root = json_pack("{s:i,s:o,s:o,s:o}", "version", ROSTER_VERSION, "units", b.units,
			 "holidays", b.holidays, "staff", b.staff);
	if (!root || !b.by_id) {
		r = -ENOMEM;
		goto out;
	}
	r = db_units(db, &q, add_unit, &b);
	if (r == 0)
		r = db_schedules(db, &q, add_schedule, &b);
	if (r == 0)
		r = db_holidays(db, &days, add_holiday, &b);
	if (r == 0)
		r = db_staff(db, &q, add_staff, &b);
	if (r == 0)
		r = activities_roster_plans(db, b.staff);
	if (r == 0) {
		*ret_json = root;
		root = NULL;
	}
out:
	json_decref(root);
	json_decref(b.by_id);
	return r;
}
