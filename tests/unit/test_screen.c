// SPDX-License-Identifier: MIT
/*
 * The kiosk screen's application without sockets: roster extras and plans
 * (firmware/agenda), greetings from the unit's schedule, sessions and their
 * tokens, and the activities API with its corrections and withdrawals, on a
 * real kiosk database and the real tap path with a fake clock.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <jansson.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "common/log.h"
#include "common/tz.h"
#include "firmware/agenda.h"
#include "firmware/screen.h"
#include "firmware/tap.h"
#include "firmware/ui.h"

#define SEC	    INT64_C(1000000)
#define MON_0730_59 (INT64_C(1772411459) * SEC) /* Monday 2026-03-02 07:30:59 WIB */
#define MON_0745    (INT64_C(1772412300) * SEC)
#define TUE_0731    (INT64_C(1772497860) * SEC)

static int64_t fake_wall = MON_0730_59;
static int64_t fake_boot = 100 * SEC;

static int64_t wall(void)
{
	return fake_wall;
}

static int64_t boot(void)
{
	return fake_boot;
}

static bool trusted(void)
{
	return true;
}

static const struct tap_clock fake_clock = {wall, boot, trusted};

static const char roster_json[] =
    "{\"version\":1,"
    "\"units\":[{\"unit_id\":\"U1\",\"name\":\"Dinas X\",\"timezone\":\"Asia/Jakarta\","
    "\"grace_seconds\":59,\"schedule\":[{\"valid_from\":\"2026-01-01\",\"valid_to\":"
    "\"2026-12-31\",\"weekday\":1,\"start\":\"07:30\",\"end\":\"16:00\"},{\"valid_from\":"
    "\"2026-01-01\",\"valid_to\":\"2026-12-31\",\"weekday\":2,\"start\":\"07:30\",\"end\":"
    "\"16:00\"}]}],"
    "\"holidays\":[{\"date\":\"2026-12-25\",\"name\":\"Natal\"}],"
    "\"staff\":[{\"nip\":\"1001\",\"name\":\"Ani\",\"unit_id\":\"U1\",\"cards\":[\"42\"],"
    "\"fingers\":[],\"plans\":[{\"code\":\"RHK-1\",\"title\":\"Menyusun laporan\"},"
    "{\"code\":\"RHK-2\",\"title\":\"Rapat\"}],\"future\":1},"
    "{\"nip\":\"1002\",\"name\":\"Budi\",\"unit_id\":\"U2\",\"cards\":[\"43\"],\"fingers\":[]}]}";

struct fixture {
	char dir[64];
	struct store *st;
	struct tap tap;
	struct tz *tz;
	struct screen *sc;
};

/* Replace the roster from JSON as sync.c does: staff, then the extras, in one transaction. */
static int load_roster(struct store *st, const char *text, char why[ROWS_WHY_MAX])
{
	json_t *root = json_loads(text, 0, NULL), *person;
	struct store_roster *ro;
	unsigned staff, creds;
	size_t i;
	int r;

	r = store_roster_begin(st, &ro);
	if (r < 0)
		return r;
	json_array_foreach(json_object_get(root, "staff"), i, person)
	{
		r = store_roster_add(
		    ro, json_string_value(json_object_get(person, "nip")),
		    json_string_value(json_object_get(person, "name")),
		    json_string_value(json_object_get(person, "unit_id")),
		    json_string_value(json_array_get(json_object_get(person, "cards"), 0)), "",
		    why);
		if (r < 0)
			break;
	}
	if (r == 0)
		r = agenda_from_roster(st, root, why);
	if (r == 0)
		r = store_roster_commit(ro, &staff, &creds);
	else
		store_roster_abort(ro);
	json_decref(root);
	return r;
}

static int setup(void **state)
{
	struct fixture *f = calloc(1, sizeof(*f));
	char path[128], why[ROWS_WHY_MAX];
	struct screen_config cfg = {
	    .office = "Dinas X",
	    .lang = "id",
	    .session_idle_usec = 60 * SEC,
	    .clock = &fake_clock,
	    .boot_id = "0f1e2d3c-4b5a-6978-8796-a5b4c3d2e1f0",
	};

	snprintf(f->dir, sizeof(f->dir), "/tmp/hadir-screen.XXXXXX");
	if (!mkdtemp(f->dir))
		return -1;
	snprintf(path, sizeof(path), "%s/k.db", f->dir);
	if (store_open(path, STORE_CREATE, &f->st) < 0 || load_roster(f->st, roster_json, why) < 0)
		return -1;
	if (tap_init(&f->tap, f->st, &fake_clock, 0) < 0 || tz_load("Asia/Jakarta", &f->tz) < 0)
		return -1;
	cfg.tz = f->tz;
	if (screen_new(f->st, &cfg, &f->sc) < 0)
		return -1;
	fake_wall = MON_0730_59;
	fake_boot = 100 * SEC;
	*state = f;
	return 0;
}

static int teardown(void **state)
{
	struct fixture *f = *state;
	char cmd[128];

	screen_free(f->sc);
	tz_free(f->tz);
	store_close(f->st);
	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", f->dir);
	if (system(cmd) != 0)
		return -1;
	free(f);
	return 0;
}

static void tap(struct fixture *f, const char *card)
{
	struct tap_result res;

	tap_credential(&f->tap, card, "", &res);
	screen_tap(f->sc, &res, fake_wall);
}

static json_t *state_json(struct fixture *f)
{
	char *text = screen_state(f->sc);
	json_t *j = json_loads(text, 0, NULL);

	free(text);
	assert_non_null(j);
	return j;
}

/* The session token in the state, or "" without a session. */
static void token_of(struct fixture *f, char *buf, size_t cap)
{
	json_t *s = state_json(f);
	const char *t = json_string_value(json_object_get(json_object_get(s, "session"), "token"));

	snprintf(buf, cap, "%s", t ? t : "");
	json_decref(s);
}

/* Send a request; returns the status and the parsed reply in *ret (caller decrefs). */
static int request(struct fixture *f, enum http_verb method, const char *path, const char *token,
		   const char *body, json_t **ret)
{
	struct http_request req;
	struct screen_reply reply;

	memset(&req, 0, sizeof(req));
	req.method = method;
	snprintf(req.path, sizeof(req.path), "%s", path);
	if (token)
		snprintf(req.authorization, sizeof(req.authorization), "Bearer %s", token);
	req.body = body ? strdup(body) : NULL;
	req.body_len = body ? strlen(body) : 0;
	screen_request(f->sc, &req, &reply);
	free(req.body);
	assert_non_null(reply.body);
	*ret = json_loads(reply.body, 0, NULL);
	assert_non_null(*ret);
	free(reply.body);
	return reply.status;
}

static const char *error_key(json_t *j)
{
	return json_string_value(json_object_get(j, "error"));
}

static int64_t count_activities(struct fixture *f)
{
	struct agenda_entry *all = calloc(AGENDA_DAY_MAX, sizeof(*all));
	size_t n = 0;

	assert_int_equal(agenda_entries(f->st, "1001", "2026-03-02", false, all, &n), 0);
	free(all);
	return (int64_t)n;
}

/* --- roster extras and plans --- */

static void test_agenda_roster_extras(void **state)
{
	struct fixture *f = *state;
	struct agenda_plan plans[AGENDA_PLANS_MAX];
	struct agenda_unit unit;
	int32_t start;
	size_t n;

	assert_int_equal(agenda_plans(f->st, "1001", plans, AGENDA_PLANS_MAX, &n), 0);
	assert_int_equal(n, 2);
	assert_string_equal(plans[0].code, "RHK-1");
	assert_string_equal(plans[1].title, "Rapat");
	assert_int_equal(agenda_unit_of(f->st, "1001", &unit), 1);
	assert_string_equal(unit.timezone, "Asia/Jakarta");
	assert_int_equal(unit.grace_seconds, 59);
	assert_int_equal(agenda_unit_of(f->st, "1002", &unit), 0); /* U2 not described */
	assert_int_equal(agenda_work_start(f->st, "U1", "2026-03-02", 1, &start), 1);
	assert_int_equal(start, 7 * 3600 + 30 * 60);
	assert_int_equal(agenda_work_start(f->st, "U1", "2026-03-07", 6, &start), 0);
	assert_int_equal(agenda_work_start(f->st, "U1", "2026-12-25", 5, &start), 0);
	assert_int_equal(agenda_work_start(f->st, "U1", "2027-01-04", 1, &start), 0);
}

static void test_agenda_roster_bad_extras_keep_everything(void **state)
{
	static const char *const bad[] = {
	    "{\"units\":[{\"unit_id\":\"U1\",\"name\":\"X\",\"timezone\":\"Asia/Jakarta\","
	    "\"grace_seconds\":99999}],\"staff\":[]}",
	    "{\"units\":[{\"unit_id\":\"U1\",\"name\":\"X\",\"timezone\":\"Asia/Jakarta\","
	    "\"grace_seconds\":0,\"schedule\":[{\"valid_from\":\"2026-02-30\",\"valid_to\":"
	    "\"2026-12-31\",\"weekday\":1,\"start\":\"07:30\",\"end\":\"16:00\"}]}],\"staff\":[]}",
	    "{\"holidays\":[{\"date\":\"25-12-2026\",\"name\":\"Natal\"}],\"staff\":[]}",
	    "{\"staff\":[{\"nip\":\"1001\",\"name\":\"Ani\",\"unit_id\":\"U1\",\"cards\":[\"42\"],"
	    "\"plans\":[{\"code\":\"A\",\"title\":\"x\"},{\"code\":\"A\",\"title\":\"y\"}]}]}",
	    "{\"staff\":[{\"nip\":\"1001\",\"name\":\"Ani\",\"unit_id\":\"U1\",\"cards\":[\"42\"],"
	    "\"plans\":[{\"code\":\"B\",\"title\":\"\"}]}]}",
	};
	struct fixture *f = *state;
	struct agenda_plan plans[AGENDA_PLANS_MAX];
	char why[ROWS_WHY_MAX];
	int32_t start;
	size_t n;

	for (size_t i = 0; i < ARRAY_SIZE(bad); i++) {
		why[0] = '\0';
		assert_int_equal(load_roster(f->st, bad[i], why), -EINVAL);
		assert_true(why[0] != '\0');
	}
	assert_int_equal(agenda_plans(f->st, "1001", plans, AGENDA_PLANS_MAX, &n), 0);
	assert_int_equal(n, 2);
	assert_int_equal(agenda_work_start(f->st, "U1", "2026-03-02", 1, &start), 1);
	/* A roster without the parts keeps them; with them, replaces them. */
	assert_int_equal(load_roster(f->st,
				     "{\"staff\":[{\"nip\":\"1001\",\"name\":\"Ani\","
				     "\"unit_id\":\"U1\",\"cards\":[\"42\"]}]}",
				     why),
			 0);
	assert_int_equal(agenda_plans(f->st, "1001", plans, AGENDA_PLANS_MAX, &n), 0);
	assert_int_equal(n, 2);
	assert_int_equal(load_roster(f->st,
				     "{\"units\":[],\"holidays\":[],\"staff\":[{\"nip\":"
				     "\"1001\",\"name\":\"Ani\",\"unit_id\":\"U1\",\"cards\":"
				     "[\"42\"],\"plans\":[]}]}",
				     why),
			 0);
	assert_int_equal(agenda_plans(f->st, "1001", plans, AGENDA_PLANS_MAX, &n), 0);
	assert_int_equal(n, 0);
	assert_int_equal(agenda_work_start(f->st, "U1", "2026-03-02", 1, &start), 0);
	/* A unit sent without grace (its profile unreadable at the collector): no grace. */
	assert_int_equal(
	    load_roster(f->st,
			"{\"units\":[{\"unit_id\":\"U1\",\"name\":\"X\",\"timezone\":"
			"\"Asia/Makassar\",\"schedule\":[]}],\"staff\":[{\"nip\":\"1001\","
			"\"name\":\"Ani\",\"unit_id\":\"U1\",\"cards\":[\"42\"]}]}",
			why),
	    0);
	{
		struct agenda_unit unit;

		assert_int_equal(agenda_unit_of(f->st, "1001", &unit), 1);
		assert_string_equal(unit.timezone, "Asia/Makassar");
		assert_int_equal(unit.grace_seconds, 0);
	}
}

static void test_agenda_plans_import(void **state)
{
	struct fixture *f = *state;
	struct agenda_plan plans[AGENDA_PLANS_MAX];
	char path[128], why[ROWS_WHY_MAX];
	unsigned n_items;
	size_t n;
	FILE *csv;

	snprintf(path, sizeof(path), "%s/p.csv", f->dir);
	csv = fopen(path, "w");
	fputs("nip,code,title\n1002,K-1,Pelayanan\n1002,K-2,\"Rapat, koordinasi\"\n", csv);
	fclose(csv);
	assert_int_equal(agenda_plans_import(f->st, path, &n_items, why), 0);
	assert_int_equal(n_items, 2);
	assert_int_equal(agenda_plans(f->st, "1002", plans, AGENDA_PLANS_MAX, &n), 0);
	assert_int_equal(n, 2);
	assert_string_equal(plans[1].title, "Rapat, koordinasi");
	/* The roster's plans were replaced: plans are one list. */
	assert_int_equal(agenda_plans(f->st, "1001", plans, AGENDA_PLANS_MAX, &n), 0);
	assert_int_equal(n, 0);

	csv = fopen(path, "w");
	fputs("nip,code,title\n1001,A,x\n1001,A,y\n", csv);
	fclose(csv);
	assert_int_equal(agenda_plans_import(f->st, path, &n_items, why), -EINVAL);
	assert_non_null(strstr(why, "p.csv:3: plan A of 1001 listed twice"));
	csv = fopen(path, "w");
	fputs("nip,title,code\n", csv);
	fclose(csv);
	assert_true(agenda_plans_import(f->st, path, &n_items, why) < 0);
	assert_non_null(strstr(why, "p.csv:1:"));
	assert_int_equal(agenda_plans(f->st, "1002", plans, AGENDA_PLANS_MAX, &n), 0);
	assert_int_equal(n, 2);
}

/* --- greetings --- */

static const char *status_of(struct fixture *f, int *ret_late)
{
	static char status[16];
	json_t *s = state_json(f), *ev = json_object_get(s, "event");

	snprintf(status, sizeof(status), "%s", json_string_value(json_object_get(ev, "status")));
	*ret_late = (int)json_integer_value(json_object_get(ev, "late_minutes"));
	json_decref(s);
	return status;
}

static void test_screen_greeting_status(void **state)
{
	struct fixture *f = *state;
	int late;

	tap(f, "42"); /* 07:30:59, grace 59 s */
	assert_string_equal(status_of(f, &late), "on_time");
	fake_wall = MON_0745;
	tap(f, "42"); /* a second tap of the day: no status, only the time */
	assert_string_equal(status_of(f, &late), "");
	fake_wall = TUE_0731;
	tap(f, "42");
	assert_string_equal(status_of(f, &late), "late");
	assert_int_equal(late, 1);
	tap(f, "43"); /* Budi's unit has no schedule here */
	assert_string_equal(status_of(f, &late), "");
	tap(f, "999");
	{
		json_t *s = state_json(f), *ev = json_object_get(s, "event");

		assert_string_equal(json_string_value(json_object_get(ev, "outcome")), "unknown");
		assert_true(json_is_null(json_object_get(s, "session")));
		assert_int_equal(json_array_size(json_object_get(s, "last_taps")), 5);
		json_decref(s);
	}
}

/* --- sessions --- */

static void test_screen_session_token_and_idle(void **state)
{
	struct fixture *f = *state;
	char token[64], other[64];
	json_t *j;

	assert_int_equal(screen_idle_left(f->sc), -1);
	assert_int_equal(request(f, HTTP_VERB_GET, "/api/plans", NULL, NULL, &j), 401);
	json_decref(j);
	tap(f, "42");
	token_of(f, token, sizeof(token));
	assert_int_equal(strlen(token), 43);
	assert_int_equal(request(f, HTTP_VERB_GET, "/api/plans", "not-the-token", NULL, &j), 401);
	assert_string_equal(error_key(j), "session");
	json_decref(j);
	assert_int_equal(request(f, HTTP_VERB_GET, "/api/plans", token, NULL, &j), 200);
	assert_int_equal(json_array_size(json_object_get(j, "plans")), 2);
	json_decref(j);

	/* Requests keep it alive; silence ends it. */
	fake_boot += 50 * SEC;
	assert_int_equal(request(f, HTTP_VERB_POST, "/api/session/touch", token, "", &j), 200);
	json_decref(j);
	fake_boot += 50 * SEC;
	assert_false(screen_expire(f->sc));
	assert_int_equal(screen_idle_left(f->sc), 10 * SEC);
	fake_boot += 10 * SEC;
	assert_true(screen_expire(f->sc));
	assert_int_equal(request(f, HTTP_VERB_GET, "/api/plans", token, NULL, &j), 401);
	json_decref(j);

	/* The same person again keeps the session; the next person gets a new one. */
	tap(f, "42");
	token_of(f, token, sizeof(token));
	tap(f, "42");
	token_of(f, other, sizeof(other));
	assert_string_equal(token, other);
	tap(f, "43");
	token_of(f, other, sizeof(other));
	assert_string_not_equal(token, other);
	assert_int_equal(request(f, HTTP_VERB_GET, "/api/activities", token, NULL, &j), 401);
	json_decref(j);
	assert_int_equal(request(f, HTTP_VERB_POST, "/api/session/end", other, "", &j), 200);
	json_decref(j);
	token_of(f, token, sizeof(token));
	assert_string_equal(token, "");
}

static void test_screen_routes(void **state)
{
	struct fixture *f = *state;
	json_t *j;

	assert_int_equal(request(f, HTTP_VERB_POST, "/api/state", NULL, "", &j), 405);
	json_decref(j);
	assert_int_equal(request(f, HTTP_VERB_GET, "/api/nothing", NULL, NULL, &j), 404);
	json_decref(j);
	assert_int_equal(request(f, HTTP_VERB_GET, "/api/state", NULL, NULL, &j), 200);
	assert_string_equal(json_string_value(json_object_get(j, "office")), "Dinas X");
	assert_string_equal(json_string_value(json_object_get(j, "date")), "2026-03-02");
	assert_int_equal(json_integer_value(json_object_get(j, "tz_offset_sec")), 7 * 3600);
	json_decref(j);
}

/* --- activities --- */

#define ENTRY(plan, desc, start, end, extra)                                                       \
	"{\"plan\":\"" plan "\",\"description\":\"" desc "\",\"quantity\":2,\"unit\":\"dokumen\"," \
	"\"start\":\"" start "\",\"end\":\"" end "\"" extra "}"

/* POST an entry; returns the status; *ret_seq the new record's seq on success. */
static int post(struct fixture *f, const char *token, const char *body, int64_t *ret_seq,
		char *ret_error, size_t cap)
{
	json_t *j;
	int status = request(f, HTTP_VERB_POST, "/api/activities", token, body, &j);

	if (ret_seq)
		*ret_seq = json_integer_value(json_object_get(j, "seq"));
	if (ret_error)
		snprintf(ret_error, cap, "%s", error_key(j) ? error_key(j) : "");
	json_decref(j);
	return status;
}

static void test_screen_activities_validation(void **state)
{
	static const struct {
		const char *body, *key;
	} bad[] = {
	    {ENTRY("", "", "08:00", "09:00", ""), "description_empty"},
	    {ENTRY("", "x", "10:00", "09:00", ""), "start_after_end"},
	    {ENTRY("", "x", "10:00", "10:00", ""), "start_after_end"},
	    {ENTRY("", "x", "8:00", "09:00", ""), "time"},
	    {ENTRY("", "x", "08:00", "09:00:00", ""), "time"},
	    {ENTRY("RHK-9", "", "08:00", "09:00", ""), "plan"},
	    {ENTRY("", "a\\u0007b", "08:00", "09:00", ""), "description_chars"},
	    {ENTRY("", "x", "08:00", "09:00", ",\"supersedes\":77"), "supersedes"},
	    {ENTRY("", "x", "08:00", "09:00", ",\"supersedes\":-1"), "supersedes"},
	    {ENTRY("", "x", "08:00", "09:00", ",\"withdrawn\":true"), "withdrawn"},
	    {"{\"description\":\"x\",\"quantity\":0,\"unit\":\"j\",\"start\":\"08:00\","
	     "\"end\":\"09:00\"}",
	     "quantity"},
	    {"{\"description\":\"x\",\"quantity\":\"3\",\"unit\":\"j\",\"start\":\"08:00\","
	     "\"end\":\"09:00\"}",
	     "malformed"},
	    {"{\"description\":\"x\",\"quantity\":3,\"start\":\"08:00\",\"end\":\"09:00\"}",
	     "unit"},
	    {"{\"description\":5}", "malformed"},
	    {"[1,2]", "malformed"},
	    {ENTRY("", "x", "08:00", "09:00", ",\"date\":\"2026-03-01\""), "malformed"},
	    {"{\"a\":", "malformed"},
	};
	struct fixture *f = *state;
	char token[64], err[32];

	tap(f, "42");
	token_of(f, token, sizeof(token));
	for (size_t i = 0; i < ARRAY_SIZE(bad); i++) {
		assert_int_equal(post(f, token, bad[i].body, NULL, err, sizeof(err)), 422);
		if (strcmp(err, bad[i].key) != 0)
			fail_msg("body %zu: %s, expected %s", i, err, bad[i].key);
	}
	assert_int_equal(count_activities(f), 0);
}

static void test_screen_activities_correct_and_withdraw(void **state)
{
	struct fixture *f = *state;
	char token[64], err[32];
	int64_t a, b, c, d;
	json_t *j, *list;

	tap(f, "42");
	token_of(f, token, sizeof(token));
	assert_int_equal(post(f, token, ENTRY("RHK-1", "", "08:00", "09:00", ""), &a, NULL, 0),
			 201);
	assert_int_equal(post(f, token, ENTRY("", "Rapat", "09:00", "10:00", ""), &b, NULL, 0),
			 201);
	assert_true(b > a);

	/* A correction is a new record; the list shows it instead of the old one. */
	{
		char body[256];

		snprintf(body, sizeof(body),
			 ENTRY("", "Rapat anggaran", "09:00", "10:30", ",\"supersedes\":%lld"),
			 (long long)b);
		assert_int_equal(post(f, token, body, &c, NULL, 0), 201);
		/* The old entry is no longer standing: it cannot be corrected again. */
		assert_int_equal(post(f, token, body, NULL, err, sizeof(err)), 422);
		assert_string_equal(err, "supersedes");
		snprintf(body, sizeof(body), "{\"supersedes\":%lld,\"withdrawn\":true}",
			 (long long)a);
		assert_int_equal(post(f, token, body, &d, NULL, 0), 201);
	}
	assert_int_equal(request(f, HTTP_VERB_GET, "/api/activities", token, NULL, &j), 200);
	list = json_object_get(j, "entries");
	assert_int_equal(json_array_size(list), 1);
	assert_int_equal(json_integer_value(json_object_get(json_array_get(list, 0), "seq")), c);
	assert_string_equal(
	    json_string_value(json_object_get(json_array_get(list, 0), "description")),
	    "Rapat anggaran");
	assert_int_equal(json_integer_value(json_object_get(json_array_get(list, 0), "supersedes")),
			 b);
	json_decref(j);
	assert_int_equal(count_activities(f), 4); /* nothing overwritten */

	/* The withdrawal carries the withdrawn entry's fields. */
	{
		struct agenda_entry *all = calloc(AGENDA_DAY_MAX, sizeof(*all));
		size_t n;

		assert_int_equal(agenda_entries(f->st, "1001", "2026-03-02", false, all, &n), 0);
		assert_int_equal(all[3].seq, d);
		assert_true(all[3].activity.withdrawn);
		assert_string_equal(all[3].activity.plan, "RHK-1");
		assert_string_equal(all[3].activity.start, "08:00");
		free(all);
	}

	/* Someone else cannot correct Ani's entries. */
	tap(f, "43");
	token_of(f, token, sizeof(token));
	{
		char body[256];

		snprintf(body, sizeof(body),
			 ENTRY("", "x", "09:00", "10:30", ",\"supersedes\":%lld"), (long long)c);
		assert_int_equal(post(f, token, body, NULL, err, sizeof(err)), 422);
		assert_string_equal(err, "supersedes");
	}
	/* A new day starts an empty list. */
	fake_wall = TUE_0731;
	tap(f, "42");
	token_of(f, token, sizeof(token));
	assert_int_equal(request(f, HTTP_VERB_GET, "/api/activities", token, NULL, &j), 200);
	assert_string_equal(json_string_value(json_object_get(j, "date")), "2026-03-03");
	assert_int_equal(json_array_size(json_object_get(j, "entries")), 0);
	json_decref(j);
}

static void test_screen_activities_day_limit(void **state)
{
	struct fixture *f = *state;
	char token[64], err[32];

	tap(f, "42");
	token_of(f, token, sizeof(token));
	for (int i = 0; i < AGENDA_DAY_MAX; i++)
		assert_int_equal(
		    post(f, token, ENTRY("", "x", "08:00", "09:00", ""), NULL, NULL, 0), 201);
	assert_int_equal(
	    post(f, token, ENTRY("", "x", "08:00", "09:00", ""), NULL, err, sizeof(err)), 422);
	assert_string_equal(err, "too_many");
}

static void test_screen_activity_is_not_a_tap(void **state)
{
	struct fixture *f = *state;
	struct tap_result res;
	char token[64];

	/* An entry right after a tap must not make the next tap a "repeat" of it. */
	if (tap_init(&f->tap, f->st, &fake_clock, 60 * SEC) < 0)
		fail();
	tap(f, "42");
	token_of(f, token, sizeof(token));
	fake_boot += 30 * SEC;
	fake_wall += 30 * SEC;
	assert_int_equal(post(f, token, ENTRY("", "x", "08:00", "09:00", ""), NULL, NULL, 0), 201);
	fake_boot += 31 * SEC;
	fake_wall += 31 * SEC;
	tap_credential(&f->tap, "42", "", &res);
	assert_int_equal(res.outcome, TAP_ACCEPTED);
}

static void test_ui_listen_addr_loopback_only(void **state)
{
	static const char *const bad[] = {
	    "0.0.0.0:8080",    "192.168.1.2:80", "127.0.0.1",	  "127.0.0.1:0",
	    "127.0.0.1:65536", "localhost:80",	 "127.0.0.1:80x", ":80",
	    "[::1]:80",	       "127.0.0.1:",	 "128.0.0.1:80",  ""};
	struct sockaddr_in a;

	(void)state;
	assert_int_equal(ui_listen_addr("127.0.0.1:8080", &a), 0);
	assert_int_equal(ntohs(a.sin_port), 8080);
	assert_int_equal(ntohl(a.sin_addr.s_addr), 0x7f000001);
	assert_int_equal(ui_listen_addr("127.1.2.3:1", &a), 0);
	for (size_t i = 0; i < ARRAY_SIZE(bad); i++)
		if (ui_listen_addr(bad[i], &a) != -EINVAL)
			fail_msg("'%s' accepted", bad[i]);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test_setup_teardown(test_agenda_roster_extras, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_agenda_roster_bad_extras_keep_everything, setup,
					    teardown),
	    cmocka_unit_test_setup_teardown(test_agenda_plans_import, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_screen_greeting_status, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_screen_session_token_and_idle, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_screen_routes, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_screen_activities_validation, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_screen_activities_correct_and_withdraw, setup,
					    teardown),
	    cmocka_unit_test_setup_teardown(test_screen_activities_day_limit, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_screen_activity_is_not_a_tap, setup, teardown),
	    cmocka_unit_test(test_ui_listen_addr_loopback_only),
	};

	log_set_level(LOG_LEVEL_WARN);
	return cmocka_run_group_tests(tests, NULL, NULL);
}
