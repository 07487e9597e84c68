// SPDX-License-Identifier: MIT
/*
 * Activity entries over the SQLite store, through ingest as the API runs it:
 * the projection of records, supersede chains (in one batch, out of order,
 * forks, withdrawals), invalid payloads kept with their reason, the
 * require_tap rule on the unit's local day, supervisor scope in review, web
 * entries on the collector's own device, and the recap's counts.
 */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>
#include <jansson.h>

#include "common/activity.h"
#include "common/record.h"
#include "server/activities.h"
#include "server/db.h"
#include "server/ingest.h"
#include "server/recap.h"
#include "tests/unit/tmpdb.h"

#define NIP_A	 "198501012010011001" /* staff of supervisor S1 */
#define NIP_B	 "199001012015011002" /* staff of supervisor S2 */
#define NIP_S1	 "197001012000011003"
#define NIP_S2	 "197101012000011004"
#define NIP_NONE "196001011990011005"

/* 2025-03-03 00:00 WIB (UTC+7) is 2025-03-02T17:00Z. */
#define MAR3_WIB_USEC INT64_C(1740934800000000)
#define HOUR_USEC     INT64_C(3600000000)

static const char boot[] = "0f1e2d3c-4b5a-6978-8796-a5b4c3d2e1f0";

struct fixture {
	struct tmpdb t;
	struct db *db;
	struct db_device dev;
	struct record recs[16]; /* the device's chain, seq 1.. */
	size_t n;
	struct activities_rules rules;
};

static void put_org(struct db *db)
{
	static const struct {
		const char *nip, *supervisor;
	} staff[] = {{NIP_A, NIP_S1}, {NIP_B, NIP_S2}, {NIP_S1, ""}, {NIP_S2, ""}};
	struct db_unit u = {
	    .unit_id = "U1", .name = "Dinas", .timezone = "Asia/Jakarta", .profile = "default"};

	assert_int_equal(db_begin(db), 0);
	assert_int_equal(db_unit_put(db, &u), 0);
	for (size_t i = 0; i < ARRAY_SIZE(staff); i++) {
		struct db_staff s = {.unit_id = "U1", .name = "Pegawai"};

		snprintf(s.nip, sizeof(s.nip), "%s", staff[i].nip);
		snprintf(s.supervisor_nip, sizeof(s.supervisor_nip), "%s", staff[i].supervisor);
		assert_int_equal(db_staff_put(db, &s), 0);
	}
	assert_int_equal(db_commit(db), 0);
}

static int setup(void **state)
{
	struct crypto_cert_info cert = {.serial = "01"};
	struct fixture *f = calloc(1, sizeof(*f));
	char hash[CRYPTO_SHA256_HEX], fp[CRYPTO_SHA256_HEX];

	assert_non_null(f);
	tmpdb_open(&f->t);
	f->db = f->t.db;
	crypto_token_hash("token", hash);
	assert_int_equal(db_device_add(f->db, "kiosk-1", hash, 1, 1000), 0);
	memset(cert.fingerprint, 7, sizeof(cert.fingerprint));
	assert_int_equal(db_device_enroll(f->db, hash, 2, &cert, NULL), 0);
	crypto_hex(cert.fingerprint, fp);
	assert_int_equal(db_device_by_fingerprint(f->db, fp, &f->dev), 0);
	put_org(f->db);
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

/* Append the device's next record (sealed onto the chain); returns its seq. */
static uint64_t add_record(struct fixture *f, const char *kind, const char *nip,
			   const char *payload, int64_t wall_usec)
{
	static const uint8_t zero[CRYPTO_SHA256_LEN];
	struct record *r = &f->recs[f->n];

	assert_true(f->n < ARRAY_SIZE(f->recs));
	memset(r, 0, sizeof(*r));
	r->seq = f->n + 1;
	snprintf(r->kind, sizeof(r->kind), "%s", kind);
	r->wall_usec = wall_usec;
	r->boot_usec = 1000000 + (int64_t)f->n;
	strcpy(r->boot_id, boot);
	r->clock_trusted = true;
	strcpy(r->credential, "card:42");
	snprintf(r->nip, sizeof(r->nip), "%s", nip);
	strcpy(r->outcome, "accepted");
	snprintf(r->payload, sizeof(r->payload), "%s", payload);
	record_seal(r, f->n ? f->recs[f->n - 1].link : zero);
	return ++f->n;
}

static uint64_t add_tap(struct fixture *f, const char *nip, int64_t wall_usec)
{
	return add_record(f, "tap", nip, "", wall_usec);
}

/* An activity record of nip on date, 08:00-10:30, recorded at 11:00 WIB on 2025-03-03. */
static uint64_t add_entry(struct fixture *f, const char *nip, const char *date, const char *desc,
			  uint64_t supersedes, bool withdrawn)
{
	struct activity a = {.quantity = 3, .supersedes = supersedes, .withdrawn = withdrawn};
	char payload[RECORD_PAYLOAD_MAX];
	enum activity_error err;

	snprintf(a.date, sizeof(a.date), "%s", date);
	snprintf(a.description, sizeof(a.description), "%s", desc);
	strcpy(a.unit, "dokumen");
	strcpy(a.start, "08:00");
	strcpy(a.end, "10:30");
	assert_true(activity_encode(&a, payload, sizeof(payload), &err) > 0);
	return add_record(f, "activity", nip, payload, MAR3_WIB_USEC + 11 * HOUR_USEC);
}

/* Ingest records seq lo..hi (1-based, inclusive) in one batch. */
static void ingest_range(struct fixture *f, uint64_t lo, uint64_t hi)
{
	struct record_batch batch = {.recs = &f->recs[lo - 1], .n = hi - lo + 1};
	char fp[CRYPTO_SHA256_HEX];
	struct ingest_result res;
	uint8_t raw[CRYPTO_SHA256_LEN];

	memset(raw, 7, sizeof(raw));
	crypto_hex(raw, fp);
	assert_int_equal(db_device_by_fingerprint(f->db, fp, &f->dev), 0);
	assert_int_equal(
	    ingest_batch(f->db, &f->dev, &batch, &f->rules, MAR3_WIB_USEC + 12 * HOUR_USEC, &res),
	    0);
}

struct listing {
	struct db_activity rows[16];
	size_t n;
};

static int collect(const struct db_activity *a, void *user)
{
	struct listing *l = user;

	if (l->n < ARRAY_SIZE(l->rows))
		l->rows[l->n] = *a;
	l->n++;
	return 0;
}

static struct listing *list(struct fixture *f, bool has_history)
{
	struct db_activity_query q = {.has_history = has_history};
	struct listing *l = calloc(1, sizeof(*l));

	assert_non_null(l);
	assert_int_equal(db_activities(f->db, &q, collect, l), 0);
	return l;
}

/* The entry of (device, seq); valid until the next call. */
static struct db_activity *entry_at(struct fixture *f, int64_t device_id, uint64_t seq)
{
	static struct db_activity a;

	assert_int_equal(db_activity_by_seq(f->db, device_id, seq, &a), 0);
	return &a;
}

static struct db_activity *entry_of(struct fixture *f, uint64_t seq)
{
	return entry_at(f, f->dev.id, seq);
}

static void test_activities_ingest_pending(void **state)
{
	struct fixture *f = *state;
	struct listing *l;

	add_tap(f, NIP_A, MAR3_WIB_USEC + 7 * HOUR_USEC);
	add_entry(f, NIP_A, "2025-03-03", "Menyusun laporan", 0, false);
	ingest_range(f, 1, 2);
	l = list(f, false);
	assert_int_equal(l->n, 1);
	assert_int_equal(l->rows[0].seq, 2);
	assert_string_equal(l->rows[0].status, "pending");
	assert_string_equal(l->rows[0].act.description, "Menyusun laporan");
	assert_int_equal(l->rows[0].minutes, 150);
	assert_string_equal(l->rows[0].supervisor_nip, NIP_S1);
	assert_string_equal(l->rows[0].device, "kiosk-1");
	/* Resending changes nothing: (device, seq) is the identity. */
	ingest_range(f, 1, 2);
	free(l);
	l = list(f, true);
	assert_int_equal(l->n, 1);
	free(l);
}

static void test_activities_supersede_chain_in_one_batch(void **state)
{
	struct fixture *f = *state;
	struct listing *l;
	int64_t id2, id3;

	add_entry(f, NIP_A, "2025-03-03", "v1", 0, false);
	add_entry(f, NIP_A, "2025-03-03", "v2", 1, false);
	add_entry(f, NIP_A, "2025-03-03", "v3", 2, false);
	ingest_range(f, 1, 3);
	id2 = entry_of(f, 2)->id;
	id3 = entry_of(f, 3)->id;
	assert_int_equal(entry_of(f, 1)->superseded_by, id2);
	assert_int_equal(entry_of(f, 2)->superseded_by, id3);
	assert_int_equal(entry_of(f, 3)->superseded_by, 0);
	l = list(f, false);
	assert_int_equal(l->n, 1);
	assert_string_equal(l->rows[0].act.description, "v3");
	free(l);
	l = list(f, true);
	assert_int_equal(l->n, 3);
	free(l);
}

static void test_activities_supersede_out_of_order(void **state)
{
	struct fixture *f = *state;
	struct listing *l;

	add_entry(f, NIP_A, "2025-03-03", "v1", 0, false);
	add_entry(f, NIP_A, "2025-03-03", "v2", 1, false);
	add_entry(f, NIP_A, "2025-03-03", "v3", 2, false);
	/* The correction of a correction first, then the rest. */
	ingest_range(f, 3, 3);
	assert_true(entry_of(f, 3)->is_supersedes_missing);
	assert_string_equal(entry_of(f, 3)->status, "pending");
	ingest_range(f, 2, 2);
	assert_false(entry_of(f, 3)->is_supersedes_missing);
	assert_true(entry_of(f, 2)->is_supersedes_missing);
	assert_int_equal(entry_of(f, 2)->superseded_by, entry_of(f, 3)->id);
	ingest_range(f, 1, 1);
	assert_int_equal(entry_of(f, 1)->superseded_by, entry_of(f, 2)->id);
	l = list(f, false);
	assert_int_equal(l->n, 1);
	assert_string_equal(l->rows[0].act.description, "v3");
	free(l);
}

static void test_activities_withdrawal_removes(void **state)
{
	struct fixture *f = *state;
	struct listing *l;

	add_entry(f, NIP_A, "2025-03-03", "keliru", 0, false);
	add_entry(f, NIP_A, "2025-03-03", "keliru", 1, true);
	ingest_range(f, 1, 2);
	l = list(f, false);
	assert_int_equal(l->n, 0);
	free(l);
	l = list(f, true);
	assert_int_equal(l->n, 2);
	assert_true(l->rows[1].act.withdrawn);
	assert_int_equal(l->rows[0].superseded_by, l->rows[1].id);
	free(l);
}

static void test_activities_fork_and_foreign_supersede_invalid(void **state)
{
	struct fixture *f = *state;

	add_entry(f, NIP_A, "2025-03-03", "v1", 0, false);
	add_entry(f, NIP_A, "2025-03-03", "v2", 1, false);
	add_entry(f, NIP_A, "2025-03-03", "v2 again", 1, false);  /* a fork */
	add_entry(f, NIP_B, "2025-03-03", "not mine", 2, false);  /* another person's */
	add_entry(f, NIP_A, "2025-03-04", "other day", 2, false); /* another date */
	ingest_range(f, 1, 5);
	assert_int_equal(entry_of(f, 1)->superseded_by, entry_of(f, 2)->id);
	assert_string_equal(entry_of(f, 3)->status, "invalid");
	assert_non_null(strstr(entry_of(f, 3)->reason, "already replaced"));
	assert_string_equal(entry_of(f, 4)->status, "invalid");
	assert_string_equal(entry_of(f, 5)->status, "invalid");
	assert_int_equal(entry_of(f, 2)->superseded_by, 0);
}

static void test_activities_fork_before_its_original(void **state)
{
	struct fixture *f = *state;

	add_entry(f, NIP_A, "2025-03-03", "v1", 0, false);
	add_entry(f, NIP_A, "2025-03-03", "v2", 1, false);
	add_entry(f, NIP_A, "2025-03-03", "v2 again", 1, false);
	ingest_range(f, 2, 3); /* both corrections first: each waits for the original */
	assert_string_equal(entry_of(f, 3)->status, "pending");
	ingest_range(f, 1, 1);
	assert_int_equal(entry_of(f, 1)->superseded_by, entry_of(f, 2)->id);
	assert_string_equal(entry_of(f, 2)->status, "pending");
	assert_string_equal(entry_of(f, 3)->status, "invalid");
	assert_non_null(strstr(entry_of(f, 3)->reason, "already replaced"));
}

static void test_activities_invalid_payload_kept_with_reason(void **state)
{
	struct fixture *f = *state;
	struct listing *l;

	add_record(f, "activity", NIP_A, "{\"v\":1,\"date\":\"2025-03-03\"}",
		   MAR3_WIB_USEC + 11 * HOUR_USEC);
	add_record(f, "activity", NIP_A,
		   "{\"v\":1,\"date\":\"2025-03-03\",\"plan\":\"\",\"description\":\"  \","
		   "\"quantity\":1,\"unit\":\"x\",\"start\":\"08:00\",\"end\":\"09:00\","
		   "\"supersedes\":0,\"withdrawn\":false}",
		   MAR3_WIB_USEC + 11 * HOUR_USEC);
	add_entry(f, NIP_NONE, "2025-03-03", "siapa", 0, false);
	ingest_range(f, 1, 3);
	l = list(f, false);
	assert_int_equal(l->n, 3);
	assert_string_equal(l->rows[0].status, "invalid");
	/* Listed under the local day of the record. */
	assert_string_equal(l->rows[0].act.date, "2025-03-03");
	assert_string_equal(entry_of(f, 1)->reason, "payload: not an activity payload");
	assert_non_null(strstr(entry_of(f, 2)->reason, "description is empty"));
	assert_string_equal(entry_of(f, 3)->status, "invalid");
	assert_string_equal(entry_of(f, 3)->reason, "unknown NIP " NIP_NONE);
	free(l);
}

static void test_activities_future_date_invalid(void **state)
{
	struct fixture *f = *state;

	add_entry(f, NIP_A, "2025-03-04", "besok", 0, false); /* the kiosk's day + 1 */
	add_entry(f, NIP_A, "2025-03-05", "lusa", 0, false);  /* + 2 */
	ingest_range(f, 1, 2);
	assert_string_equal(entry_of(f, 1)->status, "pending");
	assert_string_equal(entry_of(f, 2)->status, "invalid");
	assert_non_null(strstr(entry_of(f, 2)->reason, "after the entry's day"));
}

static void test_activities_untrusted_clock_judged_by_arrival(void **state)
{
	struct fixture *f = *state;
	struct db_activity_query q = {.nip = NIP_A};
	struct listing l = {.n = 0};

	add_entry(f, NIP_A, "2025-03-03", "jam belum benar", 0, false);
	/* A kiosk without RTC before its clock is trusted: 1970, and no anchor yet. */
	f->recs[0].wall_usec = 5000000;
	f->recs[0].clock_trusted = false;
	record_seal(&f->recs[0], (const uint8_t[CRYPTO_SHA256_LEN]){0});
	ingest_range(f, 1, 1);
	assert_int_equal(db_activities(f->db, &q, collect, &l), 0);
	assert_int_equal(l.n, 1);
	assert_string_equal(l.rows[0].status, "pending");
}

static void test_activities_require_tap_local_day(void **state)
{
	struct fixture *f = *state;

	f->rules.require_tap = true;
	/* 06:30 WIB on 3 March is 23:30 UTC on 2 March: it is B's tap of 3 March. */
	add_tap(f, NIP_B, MAR3_WIB_USEC - HOUR_USEC / 2 + 7 * HOUR_USEC);
	/* A's tap late on 2 March (local) does not count for 3 March. */
	add_tap(f, NIP_A, MAR3_WIB_USEC - HOUR_USEC);
	add_entry(f, NIP_A, "2025-03-03", "tanpa absen", 0, false);
	add_entry(f, NIP_B, "2025-03-03", "dengan absen", 0, false);
	ingest_range(f, 1, 4);
	assert_string_equal(entry_of(f, 3)->status, "refused");
	assert_string_equal(entry_of(f, 3)->reason, "no accepted tap on 2025-03-03");
	assert_string_equal(entry_of(f, 4)->status, "pending");
}

static void test_activities_review_scope_and_states(void **state)
{
	struct fixture *f = *state;
	struct db_admin super = {.role = "superadmin"}, s1 = {.role = "supervisor", .nip = NIP_S1},
			s2 = {.role = "supervisor", .nip = NIP_S2}, staff = {.role = "staff"};
	struct db_activity a;
	int64_t id1, id2, id3;

	add_entry(f, NIP_A, "2025-03-03", "v1", 0, false);
	add_entry(f, NIP_A, "2025-03-03", "v2", 1, false);
	add_entry(f, NIP_B, "2025-03-03", "b", 0, false);
	ingest_range(f, 1, 3);
	id1 = entry_of(f, 1)->id;
	id2 = entry_of(f, 2)->id;
	id3 = entry_of(f, 3)->id;
	assert_true(activities_in_scope(&s1, entry_of(f, 2)));
	assert_false(activities_in_scope(&s2, entry_of(f, 2)));
	/* S2 cannot tell A's entry from a missing one. */
	assert_int_equal(activities_review(f->db, &s2, id2, true, NULL, 9, &a), -ENOENT);
	assert_int_equal(activities_review(f->db, &s2, 9999, true, NULL, 9, &a), -ENOENT);
	assert_int_equal(activities_review(f->db, &staff, id2, true, NULL, 9, &a), -EACCES);
	assert_int_equal(activities_review(f->db, &s1, id2, false, "", 9, &a), -EINVAL);
	assert_int_equal(activities_review(f->db, &s1, id1, true, NULL, 9, &a), -EALREADY);
	assert_int_equal(activities_review(f->db, &s1, id2, false, "kurang rinci", 9, &a), 0);
	assert_string_equal(a.status, "returned");
	assert_string_equal(a.comment, "kurang rinci");
	assert_string_equal(a.reviewer_nip, NIP_S1);
	assert_int_equal(a.reviewed_usec, 9);
	assert_int_equal(activities_review(f->db, &s1, id2, true, "ok", 10, &a), 0);
	assert_string_equal(a.status, "approved");
	assert_int_equal(activities_review(f->db, &super, id3, true, NULL, 11, &a), 0);
	assert_string_equal(a.status, "approved");
	assert_string_equal(a.reviewer_nip, "");
}

/* Enter act (a copy) from the web as who, correcting or withdrawing entry supersedes_id. */
static int web_add(struct fixture *f, const struct db_admin *who, const char *nip,
		   const struct activity *act, int64_t supersedes_id, struct db_activity *ret,
		   char reason[DB_REVIEW_MAX])
{
	struct activity copy = *act;

	copy.supersedes = (uint64_t)supersedes_id;
	reason[0] = '\0';
	return activities_add(f->db, &f->rules, who, nip, &copy, MAR3_WIB_USEC + 12 * HOUR_USEC,
			      ret, reason, DB_REVIEW_MAX);
}

static void test_activities_add_web(void **state)
{
	struct fixture *f = *state;
	struct db_admin s1 = {.role = "supervisor", .nip = NIP_S1},
			s2 = {.role = "supervisor", .nip = NIP_S2}, super = {.role = "superadmin"};
	struct activity act = {.quantity = 2}, withdraw = {.withdrawn = true};
	struct db_activity a, b, w;
	char reason[DB_REVIEW_MAX];

	strcpy(act.date, "2025-03-03");
	strcpy(act.description, "Rapat koordinasi");
	strcpy(act.unit, "kegiatan");
	strcpy(act.start, "09:00");
	strcpy(act.end, "10:00");
	assert_int_equal(web_add(f, &s2, NIP_A, &act, 0, &a, reason), -EACCES);
	assert_int_equal(web_add(f, &super, NIP_NONE, &act, 0, &a, reason), -ENOENT);
	assert_int_equal(web_add(f, &s1, NIP_A, &act, 0, &a, reason), 0);
	assert_string_equal(a.device, ACTIVITIES_WEB_DEVICE);
	assert_int_equal(a.seq, 1);
	assert_string_equal(a.status, "pending");
	assert_int_equal(a.minutes, 60);
	/* A correction of it: the second record of the web device's chain. */
	strcpy(act.end, "11:00");
	assert_int_equal(web_add(f, &s1, NIP_A, &act, a.id, &b, reason), 0);
	assert_int_equal(b.seq, 2);
	assert_int_equal(b.act.supersedes, 1);
	assert_int_equal(entry_at(f, b.device_id, 1)->superseded_by, b.id);
	assert_int_equal(web_add(f, &s1, NIP_A, &act, a.id, &w, reason), -EALREADY);
	assert_int_equal(web_add(f, &s1, NIP_A, &act, 9999, &w, reason), -EINVAL);
	/* A withdrawal names the entry only; its fields come from that entry. */
	assert_int_equal(web_add(f, &s1, NIP_A, &withdraw, b.id, &w, reason), 0);
	assert_true(w.act.withdrawn);
	assert_string_equal(w.act.description, "Rapat koordinasi");
	assert_string_equal(w.act.end, "11:00");
	assert_int_equal(entry_at(f, b.device_id, 2)->superseded_by, w.id);
	/* Rules of the payload still hold for what the web sends. */
	act.quantity = 0;
	assert_int_equal(web_add(f, &s1, NIP_A, &act, 0, &w, reason), -EINVAL);
	assert_string_equal(reason, "quantity must be 1 to 9999");
	act.quantity = 2;
	strcpy(act.date, "2025-03-05");
	assert_int_equal(web_add(f, &s1, NIP_A, &act, 0, &w, reason), -ERANGE);
	f->rules.require_tap = true;
	strcpy(act.date, "2025-03-03");
	assert_int_equal(web_add(f, &s1, NIP_A, &act, 0, &w, reason), -EPERM);
	assert_string_equal(reason, "no accepted tap on 2025-03-03");
}

static void test_activities_recap_counts(void **state)
{
	struct fixture *f = *state;
	struct recap_query q = {.from_date = "2025-03-01", .to_date = "2025-03-31"};
	struct db_admin s1 = {.role = "supervisor", .nip = NIP_S1};
	struct db_plan plan = {.nip = NIP_A, .code = "RHK-1", .title = "Laporan bulanan"};
	struct db_activity a;
	struct recap *rc;
	json_t *json, *emp, *plans;
	char *csv;
	size_t len;

	assert_int_equal(db_begin(f->db), 0);
	assert_int_equal(db_plan_put(f->db, &plan), 0);
	assert_int_equal(db_commit(f->db), 0);
	add_entry(f, NIP_A, "2025-03-03", "v1", 0, false);
	add_entry(f, NIP_A, "2025-03-03", "v2", 1, false); /* replaces v1: counted once */
	add_entry(f, NIP_A, "2025-03-04", "lain", 0, false);
	add_entry(f, NIP_B, "2025-03-03", "b", 0, false);
	add_entry(f, NIP_B, "2025-04-01", "next month", 0, false);
	ingest_range(f, 1, 5);
	assert_int_equal(activities_review(f->db, &s1, entry_of(f, 2)->id, true, NULL, 9, &a), 0);
	assert_int_equal(recap_run(f->db, &q, &rc), 0);
	assert_int_equal(recap_json(rc, &json), 0);
	/* Everyone on the staff by NIP: S1 and S2 logged nothing. */
	assert_int_equal(json_array_size(json_object_get(json, "employees")), 4);
	emp = json_array_get(json_object_get(json, "employees"), 0);
	assert_string_equal(json_string_value(json_object_get(emp, "nip")), NIP_S1);
	assert_int_equal(json_integer_value(json_object_get(emp, "entries")), 0);
	assert_int_equal(json_array_size(json_object_get(emp, "plans")), 0);
	emp = json_array_get(json_object_get(json, "employees"), 2);
	assert_string_equal(json_string_value(json_object_get(emp, "nip")), NIP_A);
	assert_int_equal(json_integer_value(json_object_get(emp, "entries")), 2);
	assert_int_equal(json_integer_value(json_object_get(emp, "minutes")), 300);
	assert_int_equal(json_integer_value(json_object_get(emp, "approved")), 1);
	assert_int_equal(json_integer_value(json_object_get(emp, "pending")), 1);
	plans = json_object_get(emp, "plans");
	assert_int_equal(json_array_size(plans), 1);
	assert_int_equal(json_integer_value(json_object_get(json_array_get(plans, 0), "quantity")),
			 6);
	emp = json_array_get(json_object_get(json, "employees"), 3);
	assert_string_equal(json_string_value(json_object_get(emp, "nip")), NIP_B);
	assert_int_equal(json_integer_value(json_object_get(emp, "entries")), 1);
	json_decref(json);
	assert_int_equal(recap_table(rc, RECAP_CSV, &csv, &len), 0);
	assert_non_null(strstr(csv, "NIP,Nama,Unit,RHK,Uraian RHK,Entri,Menit,Kuantitas,Menunggu,"
				    "Disetujui,Dikembalikan,Ditolak,Tidak Sah\r\n"));
	assert_non_null(strstr(csv, NIP_A ",Pegawai,U1,(semua),,2,300,,1,1,0,0,0\r\n"));
	assert_non_null(strstr(csv, NIP_A ",Pegawai,U1,(tanpa RHK),,2,300,6,,,,,\r\n"));
	free(csv);
	/* A workbook: a zip archive (its cells are read back by the integration test). */
	assert_int_equal(recap_table(rc, RECAP_XLSX, &csv, &len), 0);
	assert_true(len > 4 && memcmp(csv, "PK\3\4", 4) == 0);
	free(csv);
	recap_free(rc);
	/* A supervisor's recap holds their staff only. */
	q.supervisor_nip = NIP_S2;
	assert_int_equal(recap_run(f->db, &q, &rc), 0);
	assert_int_equal(recap_json(rc, &json), 0);
	assert_int_equal(json_array_size(json_object_get(json, "employees")), 1);
	json_decref(json);
	recap_free(rc);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test_setup_teardown(test_activities_ingest_pending, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_activities_supersede_chain_in_one_batch, setup,
					    teardown),
	    cmocka_unit_test_setup_teardown(test_activities_supersede_out_of_order, setup,
					    teardown),
	    cmocka_unit_test_setup_teardown(test_activities_withdrawal_removes, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_activities_fork_and_foreign_supersede_invalid,
					    setup, teardown),
	    cmocka_unit_test_setup_teardown(test_activities_fork_before_its_original, setup,
					    teardown),
	    cmocka_unit_test_setup_teardown(test_activities_invalid_payload_kept_with_reason, setup,
					    teardown),
	    cmocka_unit_test_setup_teardown(test_activities_future_date_invalid, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_activities_untrusted_clock_judged_by_arrival,
					    setup, teardown),
	    cmocka_unit_test_setup_teardown(test_activities_require_tap_local_day, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_activities_review_scope_and_states, setup,
					    teardown),
	    cmocka_unit_test_setup_teardown(test_activities_add_web, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_activities_recap_counts, setup, teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
