// SPDX-License-Identifier: MIT
/*
 * Sessions, greetings and the JSON API of the kiosk screen. Runs in the
 * event loop's thread on the daemon's store connection, so activity entries
 * join the same hash chain as taps; the tap path only hands finished tap
 * results in (firmware/ui.c queues them), it never waits for this code.
 */
#include "firmware/screen.h"

#include <errno.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common/activity.h"
#include "common/crypto.h"
#include "common/log.h"
#include "common/tz.h"
#include "firmware/agenda.h"
#include "firmware/store.h"

#define SCREEN_LAST_TAPS 5

struct screen_session {
	bool is_open;
	char token[CRYPTO_TOKEN_LEN + 1];
	char nip[RECORD_NIP_MAX];
	char name[STORE_NAME_MAX];
	char credential[RECORD_CREDENTIAL_MAX]; /* of the tap that opened it */
	int64_t last_usec;			/* boot time of the last request */
};

/* The last tap, for the greeting. */
struct screen_event {
	uint64_t id; /* 1, 2, … per tap seen since start; 0: none yet */
	const char *outcome;
	char nip[RECORD_NIP_MAX];
	char name[STORE_NAME_MAX];
	char reason[RECORD_REASON_MAX];
	char time[8];	    /* HH:MM in the office's zone */
	const char *status; /* "on_time", "late", or "" when unknown */
	int late_minutes;
};

struct screen {
	struct store *st;
	struct screen_config cfg;
	struct screen_session session;
	struct screen_event event;
	struct tz *unit_tz; /* the zone last used for a greeting, kept for the next */
	struct agenda_entry *day;
	struct agenda_plan *plans;
};

int screen_new(struct store *st, const struct screen_config *cfg, struct screen **ret_screen)
{
	struct screen *sc = calloc(1, sizeof(*sc));

	if (!sc)
		return -ENOMEM;
	sc->st = st;
	sc->cfg = *cfg;
	sc->day = calloc(AGENDA_DAY_MAX, sizeof(*sc->day));
	sc->plans = calloc(AGENDA_PLANS_MAX, sizeof(*sc->plans));
	if (!sc->day || !sc->plans) {
		screen_free(sc);
		return -ENOMEM;
	}
	*ret_screen = sc;
	return 0;
}

void screen_free(struct screen *sc)
{
	if (!sc)
		return;
	tz_free(sc->unit_tz);
	free(sc->day);
	free(sc->plans);
	free(sc);
}

/* --- time --- */

/* The local date and HH:MM of an instant (either may be NULL). */
static void local_parts(const struct tz *tz, int64_t wall_usec, char date[TZ_DATE_MAX],
			char hhmm[8])
{
	int32_t days, sec;

	tz_local(tz, wall_usec / 1000000, &days, &sec);
	if (date)
		tz_format_date(days, date);
	if (hhmm)
		snprintf(hhmm, 8, "%02d:%02d", (int)(sec / 3600 % 24), (int)(sec / 60 % 60));
}

static void today(struct screen *sc, char date[TZ_DATE_MAX])
{
	local_parts(sc->cfg.tz, sc->cfg.clock->wall_usec(), date, NULL);
}

/* --- greetings and sessions --- */

static const struct tz *unit_zone(struct screen *sc, const char *name)
{
	struct tz *tz;

	if (sc->unit_tz && strcmp(tz_name(sc->unit_tz), name) == 0)
		return sc->unit_tz;
	if (tz_load(name, &tz) < 0) {
		log_warn("screen: unknown time zone '%s' in the roster, greeting without status",
			 name);
		return NULL;
	}
	tz_free(sc->unit_tz);
	sc->unit_tz = tz;
	return tz;
}

/*
 * On time or late, from the unit's schedule: only for the first tap of the
 * person's local day (a later one is a check-out or a return), and only when
 * the roster gave the unit's schedule; otherwise the greeting shows the time.
 */
static void greet_status(struct screen *sc, int64_t wall_usec, struct screen_event *ev)
{
	struct agenda_unit unit;
	char date[TZ_DATE_MAX];
	int32_t days, sec, start;
	const struct tz *tz;
	unsigned taps;

	if (agenda_unit_of(sc->st, ev->nip, &unit) != 1)
		return;
	tz = unit_zone(sc, unit.timezone);
	if (!tz)
		return;
	tz_local(tz, wall_usec / 1000000, &days, &sec);
	if (agenda_taps_between(sc->st, ev->nip, (wall_usec / 1000000 - sec) * 1000000,
				wall_usec + 1, &taps) < 0 ||
	    taps > 1)
		return;
	tz_format_date(days, date);
	if (agenda_work_start(sc->st, unit.unit_id, date, tz_weekday(days), &start) != 1)
		return;
	if (sec - start <= unit.grace_seconds) {
		ev->status = "on_time";
	} else {
		ev->status = "late";
		ev->late_minutes = (sec - start) / 60 > 0 ? (sec - start) / 60 : 1;
	}
}

static void session_end(struct screen *sc)
{
	memset(&sc->session, 0, sizeof(sc->session));
}

static void session_open(struct screen *sc, const struct tap_result *res)
{
	struct screen_session *s = &sc->session;

	if (s->is_open && strcmp(s->nip, res->nip) == 0) {
		s->last_usec = sc->cfg.clock->boot_usec();
		return;
	}
	session_end(sc);
	if (crypto_token_new(s->token) < 0) {
		log_err("screen: no randomness for a session token, no session for %s", res->nip);
		return;
	}
	snprintf(s->nip, sizeof(s->nip), "%s", res->nip);
	snprintf(s->name, sizeof(s->name), "%s", res->name);
	snprintf(s->credential, sizeof(s->credential), "%s", res->credential);
	s->last_usec = sc->cfg.clock->boot_usec();
	s->is_open = true;
}

void screen_tap(struct screen *sc, const struct tap_result *res, int64_t wall_usec)
{
	static const char *const outcomes[] = {
	    [TAP_ACCEPTED] = "accepted", [TAP_REPEAT] = "accepted", [TAP_UNKNOWN] = "unknown",
	    [TAP_REJECTED] = "rejected", [TAP_FAILED] = "failed",
	};
	struct screen_event *ev = &sc->event;
	uint64_t id = ev->id + 1;

	memset(ev, 0, sizeof(*ev));
	ev->id = id;
	ev->outcome = outcomes[res->outcome];
	ev->status = "";
	snprintf(ev->nip, sizeof(ev->nip), "%s", res->nip);
	snprintf(ev->name, sizeof(ev->name), "%s", res->name);
	snprintf(ev->reason, sizeof(ev->reason), "%s", res->reason);
	local_parts(sc->cfg.tz, wall_usec, NULL, ev->time);
	if (res->outcome == TAP_ACCEPTED || res->outcome == TAP_REPEAT) {
		greet_status(sc, wall_usec, ev);
		session_open(sc, res);
	} else {
		/* Someone else is at the kiosk: the previous person's entries are closed. */
		session_end(sc);
	}
}

int64_t screen_idle_left(const struct screen *sc)
{
	int64_t left;

	if (!sc->session.is_open)
		return -1;
	left = sc->session.last_usec + sc->cfg.session_idle_usec - sc->cfg.clock->boot_usec();
	return left > 0 ? left : 0;
}

bool screen_expire(struct screen *sc)
{
	if (!sc->session.is_open || screen_idle_left(sc) > 0)
		return false;
	session_end(sc);
	return true;
}

/* --- state --- */

static json_t *last_taps_json(struct screen *sc)
{
	struct agenda_tap taps[SCREEN_LAST_TAPS];
	json_t *list = json_array();
	size_t n = 0;

	if (agenda_last_taps(sc->st, taps, ARRAY_SIZE(taps), &n) < 0)
		log_warn("screen: cannot read the last taps");
	for (size_t i = 0; i < n; i++) {
		char hhmm[8], date[TZ_DATE_MAX];

		local_parts(sc->cfg.tz, taps[i].wall_usec, date, hhmm);
		json_array_append_new(list,
				      json_pack("{s:s,s:s,s:s,s:s}", "date", date, "time", hhmm,
						"name", taps[i].name, "outcome", taps[i].outcome));
	}
	return list;
}

static json_t *event_json(const struct screen_event *ev)
{
	if (ev->id == 0)
		return json_null();
	return json_pack("{s:I,s:s,s:s,s:s,s:s,s:s,s:s,s:i}", "id", (json_int_t)ev->id, "outcome",
			 ev->outcome, "nip", ev->nip, "name", ev->name, "reason", ev->reason,
			 "time", ev->time, "status", ev->status, "late_minutes", ev->late_minutes);
}

static json_t *session_json(const struct screen *sc)
{
	const struct screen_session *s = &sc->session;

	if (!s->is_open)
		return json_null();
	return json_pack("{s:s,s:s,s:s,s:I}", "token", s->token, "nip", s->nip, "name", s->name,
			 "idle_seconds", (json_int_t)(sc->cfg.session_idle_usec / 1000000));
}

static char *dump(json_t *obj)
{
	char *text = obj ? json_dumps(obj, JSON_COMPACT) : NULL;

	json_decref(obj);
	return text;
}

char *screen_state(struct screen *sc)
{
	int64_t wall = sc->cfg.clock->wall_usec();
	char date[TZ_DATE_MAX], hhmm[8];

	local_parts(sc->cfg.tz, wall, date, hhmm);
	return dump(json_pack("{s:s,s:s,s:I,s:i,s:s,s:s,s:o,s:o,s:o}", "office", sc->cfg.office,
			      "lang", sc->cfg.lang, "now_usec", (json_int_t)wall, "tz_offset_sec",
			      tz_offset_at(sc->cfg.tz, wall / 1000000), "date", date, "time", hhmm,
			      "last_taps", last_taps_json(sc), "event", event_json(&sc->event),
			      "session", session_json(sc)));
}

/* --- requests --- */

static void reply(struct screen_reply *ret, int status, json_t *body)
{
	ret->status = status;
	ret->body = dump(body);
	if (!ret->body) {
		ret->status = 500;
		ret->body = strdup("{\"error\":\"memory\",\"message\":\"out of memory\"}");
	}
}

static void reply_error(struct screen_reply *ret, int status, const char *key, const char *message)
{
	reply(ret, status, json_pack("{s:s,s:s}", "error", key, "message", message));
}

static void reply_invalid(struct screen_reply *ret, enum activity_error err)
{
	reply_error(ret, 422, activity_error_key(err), activity_strerror(err));
}

/* The request carries the open session's token; a request also keeps the session alive. */
static bool authorized(struct screen *sc, const struct http_request *req)
{
	const char *token = req->authorization;

	if (!sc->session.is_open || strncmp(token, "Bearer ", 7) != 0)
		return false;
	token += 7;
	if (strlen(token) != CRYPTO_TOKEN_LEN ||
	    !crypto_equal(token, sc->session.token, CRYPTO_TOKEN_LEN))
		return false;
	if (screen_idle_left(sc) == 0) {
		session_end(sc);
		return false;
	}
	sc->session.last_usec = sc->cfg.clock->boot_usec();
	return true;
}

/* The session person's plan items into sc->plans; their number (none when unreadable). */
static size_t load_plans(struct screen *sc)
{
	size_t n = 0;

	if (agenda_plans(sc->st, sc->session.nip, sc->plans, AGENDA_PLANS_MAX, &n) < 0) {
		log_warn("screen: cannot read the plans of %s", sc->session.nip);
		n = 0;
	}
	return n;
}

static json_t *plans_json(struct screen *sc)
{
	size_t n = load_plans(sc);
	json_t *list = json_array();

	for (size_t i = 0; i < n; i++)
		json_array_append_new(list, json_pack("{s:s,s:s}", "code", sc->plans[i].code,
						      "title", sc->plans[i].title));
	return list;
}

static const char *plan_title(struct screen *sc, size_t n_plans, const char *code)
{
	for (size_t i = 0; i < n_plans; i++)
		if (strcmp(sc->plans[i].code, code) == 0)
			return sc->plans[i].title;
	return "";
}

/* The session person's standing entries of date, with plan titles. */
static int entries_json(struct screen *sc, const char *date, json_t **ret_list)
{
	size_t n_plans = load_plans(sc), n;
	json_t *list;
	int r;

	r = agenda_entries(sc->st, sc->session.nip, date, true, sc->day, &n);
	if (r < 0)
		return r;
	list = json_array();
	for (size_t i = 0; i < n; i++) {
		const struct activity *a = &sc->day[i].activity;

		json_array_append_new(
		    list, json_pack("{s:I,s:s,s:s,s:s,s:i,s:s,s:s,s:s,s:I}", "seq",
				    (json_int_t)sc->day[i].seq, "plan", a->plan, "plan_title",
				    plan_title(sc, n_plans, a->plan), "description", a->description,
				    "quantity", a->quantity, "unit", a->unit, "start", a->start,
				    "end", a->end, "supersedes", (json_int_t)a->supersedes));
	}
	*ret_list = list;
	return 0;
}

static void get_activities(struct screen *sc, struct screen_reply *ret, int status, int64_t seq)
{
	char date[TZ_DATE_MAX];
	json_t *list;

	today(sc, date);
	if (entries_json(sc, date, &list) < 0) {
		reply_error(ret, 503, "store", "cannot read the entries");
		return;
	}
	reply(
	    ret, status,
	    seq ? json_pack("{s:s,s:I,s:o}", "date", date, "seq", (json_int_t)seq, "entries", list)
		: json_pack("{s:s,s:o}", "date", date, "entries", list));
}

/*
 * Check a against today's records of the person: a correction or withdrawal
 * names a standing entry (activity_may_supersede), a plan is one of theirs.
 * Returns 0 with the verdict in *ret_err, or a negative errno when the store
 * cannot be read.
 */
static int check_against_day(struct screen *sc, struct activity *a, enum activity_error *ret_err)
{
	const struct agenda_entry *old = NULL;
	size_t n;
	int r;

	*ret_err = ACTIVITY_OK;
	r = agenda_entries(sc->st, sc->session.nip, a->date, true, sc->day, &n);
	if (r < 0)
		return r;
	for (size_t i = 0; a->supersedes && i < n && !old; i++)
		if (sc->day[i].seq == a->supersedes)
			old = &sc->day[i];
	if ((a->supersedes && !old) ||
	    (old && activity_may_supersede(a, sc->session.nip, (uint64_t)INT64_MAX, &old->activity,
					   sc->session.nip, old->seq) != ACTIVITY_OK)) {
		*ret_err = ACTIVITY_ERR_SUPERSEDES;
		return 0;
	}
	if (old && a->withdrawn) {
		uint64_t supersedes = a->supersedes;

		*a = old->activity;
		a->supersedes = supersedes;
		a->withdrawn = true;
	}
	if (a->plan[0] && !plan_title(sc, load_plans(sc), a->plan)[0])
		*ret_err = ACTIVITY_ERR_PLAN;
	return 0;
}

/* Fill the record of an entry of the session's person and append it to the chain. */
static int record_entry(struct screen *sc, const char *payload, struct record *rec)
{
	memset(rec, 0, sizeof(*rec));
	snprintf(rec->kind, sizeof(rec->kind), "activity");
	rec->wall_usec = sc->cfg.clock->wall_usec();
	rec->boot_usec = sc->cfg.clock->boot_usec();
	snprintf(rec->boot_id, sizeof(rec->boot_id), "%s", sc->cfg.boot_id);
	rec->clock_trusted = sc->cfg.clock->is_trusted();
	snprintf(rec->credential, sizeof(rec->credential), "%s", sc->session.credential);
	snprintf(rec->nip, sizeof(rec->nip), "%s", sc->session.nip);
	snprintf(rec->outcome, sizeof(rec->outcome), "accepted");
	snprintf(rec->payload, sizeof(rec->payload), "%s", payload);
	return store_append(sc->st, rec);
}

static void post_activity(struct screen *sc, const struct http_request *req,
			  struct screen_reply *ret)
{
	char payload[RECORD_PAYLOAD_MAX];
	enum activity_error err;
	struct activity a;
	struct record rec;
	size_t n;
	int r;

	if (activity_parse_input(req->body ? req->body : "", req->body_len, &a, &err) < 0)
		memset(&a, 0, sizeof(a));
	today(sc, a.date);
	r = agenda_entries(sc->st, sc->session.nip, a.date, false, sc->day, &n);
	if (r == -E2BIG || (r == 0 && n >= AGENDA_DAY_MAX)) {
		reply_error(ret, 422, "too_many", "too many entries for one day");
		return;
	}
	if (r == 0 && err == ACTIVITY_OK)
		r = check_against_day(sc, &a, &err);
	if (r < 0) {
		reply_error(ret, 503, "store", "cannot read today's entries");
		return;
	}
	/* -ENOMEM leaves err unset: nothing can be stored either way. */
	if (err == ACTIVITY_OK && activity_encode(&a, payload, sizeof(payload), &err) < 0 &&
	    err == ACTIVITY_OK)
		err = ACTIVITY_ERR_TOO_BIG;
	if (err != ACTIVITY_OK) {
		reply_invalid(ret, err);
		return;
	}
	r = record_entry(sc, payload, &rec);
	if (r < 0) {
		log_err("screen: cannot record an activity of %s: %s", rec.nip, strerror(-r));
		reply_error(ret, 503, "store", "the entry could not be stored");
		return;
	}
	log_info("screen: activity of %s recorded, seq %llu%s", rec.nip,
		 (unsigned long long)rec.seq,
		 a.withdrawn	? " (withdrawal)"
		 : a.supersedes ? " (correction)"
				: "");
	ret->is_recorded = true;
	get_activities(sc, ret, 201, (int64_t)rec.seq);
}

void screen_request(struct screen *sc, const struct http_request *req, struct screen_reply *ret)
{
	bool is_get = req->method == HTTP_VERB_GET || req->method == HTTP_VERB_HEAD;
	bool is_post = req->method == HTTP_VERB_POST;

	memset(ret, 0, sizeof(*ret));
	if (strcmp(req->path, "/api/state") == 0) {
		if (!is_get) {
			reply_error(ret, 405, "method", "GET only");
			return;
		}
		ret->status = 200;
		ret->body = screen_state(sc);
		if (!ret->body)
			reply_error(ret, 500, "memory", "out of memory");
		return;
	}
	if (strcmp(req->path, "/api/plans") != 0 && strcmp(req->path, "/api/activities") != 0 &&
	    strcmp(req->path, "/api/session/touch") != 0 &&
	    strcmp(req->path, "/api/session/end") != 0) {
		reply_error(ret, 404, "not_found", "no such API");
		return;
	}
	if (!authorized(sc, req)) {
		reply_error(ret, 401, "session", "no open session with this token");
		ret->is_changed = !sc->session.is_open;
		return;
	}
	if (strcmp(req->path, "/api/plans") == 0 && is_get) {
		reply(ret, 200, json_pack("{s:o}", "plans", plans_json(sc)));
	} else if (strcmp(req->path, "/api/activities") == 0 && is_get) {
		get_activities(sc, ret, 200, 0);
	} else if (strcmp(req->path, "/api/activities") == 0 && is_post) {
		post_activity(sc, req, ret);
	} else if (strcmp(req->path, "/api/session/touch") == 0 && is_post) {
		reply(ret, 200, json_pack("{s:b}", "ok", 1));
	} else if (strcmp(req->path, "/api/session/end") == 0 && is_post) {
		session_end(sc);
		ret->is_changed = true;
		reply(ret, 200, json_pack("{s:b}", "ok", 1));
	} else {
		reply_error(ret, 405, "method", "method not allowed here");
	}
}
