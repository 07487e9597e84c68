// SPDX-License-Identifier: MIT
/*
 * The roster: JSON of the contract (units with schedules and grace_seconds,
 * holidays of this year and the next, staff with credentials), a device's
 * units only, the ETag following version, year and unit set; and the route
 * through api_handle: 404 before staff, 200 with ETag, 304 on If-None-Match.
 */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>
#include <jansson.h>

#include "common/http.h"
#include "server/api.h"
#include "server/config.h"
#include "server/db.h"
#include "server/import.h"
#include "server/metrics.h"
#include "server/roster.h"
#include "tests/unit/tmpdb.h"

#define NIP_A "198501012010011001"
#define NIP_B "199002022015022002"
#define NOW   INT64_C(1780000000000000) /* 2026-05-28 */

struct fixture {
	struct tmpdb t;
	struct db *db;
	struct db_device k1, k2; /* k1 serves U2; k2 every unit */
	struct config cfg;
	struct metrics metrics;
	struct api api;
};

static void import(struct fixture *f, enum import_kind kind, const char *text)
{
	static const struct import_opts opts = {.profiles_dir = "profiles", .now_usec = NOW};
	FILE *in = fmemopen((void *)(uintptr_t)text, strlen(text), "r");
	struct import_result res;

	assert_non_null(in);
	if (import_stream(f->db, kind, in, "t.csv", &opts, &res) != 0)
		fail_msg("%s", res.diag.text);
	fclose(in);
}

/* A device enrolled with a certificate whose fingerprint is all fp_byte. */
static void enrolled(struct fixture *f, const char *name, uint8_t fp_byte, struct db_device *dev)
{
	struct crypto_cert_info cert = {.serial = "01"};
	char hash[CRYPTO_SHA256_HEX], fp[CRYPTO_SHA256_HEX];

	crypto_token_hash(name, hash);
	assert_int_equal(db_device_add(f->db, name, hash, 1, NOW * 2), 0);
	memset(cert.fingerprint, fp_byte, sizeof(cert.fingerprint));
	assert_int_equal(db_device_enroll(f->db, hash, 2, &cert, NULL), 0);
	crypto_hex(cert.fingerprint, fp);
	assert_int_equal(db_device_by_fingerprint(f->db, fp, dev), 0);
}

static int setup(void **state)
{
	struct fixture *f = calloc(1, sizeof(*f));
	const char *u2[] = {"U2"};

	assert_non_null(f);
	tmpdb_open(&f->t);
	f->db = f->t.db;
	snprintf(f->cfg.profiles, sizeof(f->cfg.profiles), "profiles");
	f->api = (struct api){.cfg = &f->cfg, .db = f->db, .metrics = &f->metrics};
	import(f, IMPORT_UNITS,
	       "unit_id,name,timezone,profile\nU1,Dinas Satu,Asia/Jakarta,default\n"
	       "U2,Dinas Dua,Asia/Jayapura,permentan\n");
	enrolled(f, "k1", 1, &f->k1);
	enrolled(f, "k2", 2, &f->k2);
	assert_int_equal(db_device_units_set(f->db, f->k1.id, u2, 1), 0);
	*state = f;
	return 0;
}

static int teardown(void **state)
{
	struct fixture *f = *state;

	tmpdb_close(&f->t);
	free(f);
	return 0;
}

static void import_staff(struct fixture *f)
{
	import(f, IMPORT_STAFF,
	       "nip,name,unit_id,card,fingerprint_id,allowance,supervisor_nip\n" NIP_A
	       ",Ani,U1,42,2,4500000,\n" NIP_B ",Budi,U2,43,7,3900000," NIP_A "\n" NIP_B
	       ",Budi,U2,0044,,3900000," NIP_A "\n");
}

static json_t *roster_of(struct fixture *f, const struct db_device *dev, int year,
			 struct roster_scope *scope)
{
	json_t *j = NULL;

	assert_int_equal(roster_scope(f->db, dev->id, year, scope), 0);
	assert_int_equal(roster_json(f->db, scope, "profiles", &j), 0);
	return j;
}

static char *dump(const json_t *j)
{
	char *text = json_dumps(j, JSON_COMPACT | JSON_SORT_KEYS);

	assert_non_null(text);
	return text;
}

static void test_roster_json_device_units(void **state)
{
	struct fixture *f = *state;
	struct roster_scope scope;
	json_t *j;
	char *text;

	import_staff(f);
	import(f, IMPORT_SCHEDULES,
	       "unit_id,valid_from,valid_to,weekday,start,end,label\n"
	       "U1,2026-01-01,2026-12-31,1,07:30,16:00,\n"
	       "U2,2026-01-01,2026-12-31,1,07:30,16:00,\n"
	       "U2,2026-02-18,2026-03-19,1,08:00,15:00,Ramadan\n");
	import(f, IMPORT_HOLIDAYS,
	       "date,name\n2025-12-25,Natal\n2026-08-17,Kemerdekaan\n2027-01-01,Tahun Baru\n"
	       "2028-01-01,Terlalu jauh\n");
	import(f, IMPORT_PLANS,
	       "nip,code,title\n" NIP_A ",RHK-1,Laporan\n" NIP_B ",RHK-2,Server\n" NIP_B
	       ",RHK-1,Jaringan\n");

	j = roster_of(f, &f->k1, 2026, &scope);
	text = dump(j);
	assert_string_equal(
	    text, "{\"holidays\":[{\"date\":\"2026-08-17\",\"name\":\"Kemerdekaan\"},"
		  "{\"date\":\"2027-01-01\",\"name\":\"Tahun Baru\"}],"
		  "\"staff\":[{\"cards\":[\"43\",\"44\"],\"fingers\":[7],\"name\":\"Budi\","
		  "\"nip\":\"" NIP_B "\",\"plans\":[{\"code\":\"RHK-1\",\"title\":\"Jaringan\"},"
		  "{\"code\":\"RHK-2\",\"title\":\"Server\"}],"
		  "\"supervisor_nip\":\"" NIP_A "\",\"unit_id\":\"U2\"}],"
		  "\"units\":[{\"grace_seconds\":59,\"name\":\"Dinas Dua\",\"schedule\":["
		  "{\"end\":\"16:00\",\"start\":\"07:30\",\"valid_from\":\"2026-01-01\","
		  "\"valid_to\":\"2026-12-31\",\"weekday\":1},"
		  "{\"end\":\"15:00\",\"label\":\"Ramadan\",\"start\":\"08:00\","
		  "\"valid_from\":\"2026-02-18\",\"valid_to\":\"2026-03-19\",\"weekday\":1}],"
		  "\"timezone\":\"Asia/Jayapura\",\"unit_id\":\"U2\"}],\"version\":1}");
	free(text);
	json_decref(j);

	/* A kiosk without assignments sees every unit and everyone. */
	j = roster_of(f, &f->k2, 2026, &scope);
	assert_int_equal(json_array_size(json_object_get(j, "units")), 2);
	assert_int_equal(json_array_size(json_object_get(j, "staff")), 2);
	assert_string_equal(json_string_value(json_object_get(
				json_array_get(json_object_get(j, "staff"), 0), "supervisor_nip")),
			    "");
	json_decref(j);
}

static void test_roster_etag_follows_changes(void **state)
{
	struct fixture *f = *state;
	const char *both[] = {"U1", "U2"};
	struct roster_scope a, b;

	assert_int_equal(roster_scope(f->db, f->k1.id, 2026, &a), 0);
	assert_false(a.has_staff);
	assert_int_equal(a.device_id, f->k1.id);
	assert_int_equal(a.etag[0], '"');
	assert_int_equal(a.etag[strlen(a.etag) - 1], '"');
	assert_int_equal(roster_scope(f->db, f->k1.id, 2026, &b), 0);
	assert_string_equal(a.etag, b.etag); /* stable */

	import_staff(f);
	assert_int_equal(roster_scope(f->db, f->k1.id, 2026, &b), 0);
	assert_true(b.has_staff);
	assert_string_not_equal(a.etag, b.etag); /* new version */
	a = b;
	assert_int_equal(roster_scope(f->db, f->k1.id, 2027, &b), 0);
	assert_string_not_equal(a.etag, b.etag); /* holidays follow the year */
	assert_int_equal(db_device_units_set(f->db, f->k1.id, both, 2), 0);
	assert_int_equal(roster_scope(f->db, f->k1.id, 2026, &b), 0);
	assert_string_not_equal(a.etag, b.etag); /* another unit set */
	assert_int_equal(roster_scope(f->db, f->k2.id, 2026, &b), 0);
	assert_int_equal(b.device_id, 0); /* no units: every unit */
	assert_string_not_equal(a.etag, b.etag);
}

/* GET /api/v1/roster as device k1, with If-None-Match inm ("" for none). */
static void get(struct fixture *f, const char *inm, struct api_reply *reply)
{
	struct api_peer peer = {.has_cert = true};
	struct http_request req = {.method = HTTP_VERB_GET, .path = "/api/v1/roster"};

	memset(peer.fingerprint, 1, sizeof(peer.fingerprint));
	snprintf(req.if_none_match, sizeof(req.if_none_match), "%s", inm);
	api_handle(&f->api, &peer, &req, NOW, reply);
}

static void test_roster_route(void **state)
{
	struct fixture *f = *state;
	struct api_reply reply;
	char etag[API_ETAG_MAX];

	get(f, "", &reply);
	assert_int_equal(reply.status, 404);
	assert_non_null(strstr(reply.body, "\"error\":\"no roster imported yet\""));
	assert_string_equal(reply.etag, "");
	api_reply_done(&reply);

	import_staff(f);
	get(f, "", &reply);
	assert_int_equal(reply.status, 200);
	assert_non_null(strstr(reply.body, "\"nip\":\"" NIP_B "\""));
	assert_null(strstr(reply.body, NIP_A "\",\"name\"")); /* U1's Ani is not k1's */
	assert_true(strlen(reply.etag) > 2);
	snprintf(etag, sizeof(etag), "%s", reply.etag);
	api_reply_done(&reply);

	get(f, etag, &reply);
	assert_int_equal(reply.status, 304);
	assert_null(reply.body);
	assert_string_equal(reply.etag, etag);
	api_reply_done(&reply);

	get(f, "\"r0-1999-0000\"", &reply);
	assert_int_equal(reply.status, 200);
	api_reply_done(&reply);

	import(f, IMPORT_HOLIDAYS, "date,name\n2026-08-17,Kemerdekaan\n");
	get(f, etag, &reply);
	assert_int_equal(reply.status, 200); /* a new import, a new ETag */
	assert_string_not_equal(reply.etag, etag);
	api_reply_done(&reply);

	assert_int_equal(db_device_disable(f->db, "k1"), 0);
	get(f, "", &reply);
	assert_int_equal(reply.status, 403);
	api_reply_done(&reply);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test_setup_teardown(test_roster_json_device_units, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_roster_etag_follows_changes, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_roster_route, setup, teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
