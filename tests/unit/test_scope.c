// SPDX-License-Identifier: MIT
/*
 * Scope decisions for every role, over staff rows and over NIPs looked up
 * in the store; and scope_of_call: bearer tokens, session cookies, CSRF on
 * state-changing requests, and the one reply for anything out of scope.
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

#include "common/http.h"
#include "server/account.h"
#include "server/api.h"
#include "server/config.h"
#include "server/db.h"
#include "server/metrics.h"
#include "server/scope.h"
#include "tests/unit/tmpdb.h"

#define SEC  INT64_C(1000000)
#define T0   (INT64_C(1796000000) * SEC)
#define PASS "correct horse battery"

/* Staff: two units, one supervisor in each. */
#define HEAD_A	"100"
#define STAFF_A "101"
#define OTHER_A "102"
#define HEAD_B	"200"
#define STAFF_B "201"

struct fixture {
	struct tmpdb tmp;
	struct config cfg;
	struct metrics metrics;
	struct api api;
	struct db *db;
};

static void put_staff(struct db *db, const char *nip, const char *unit, const char *supervisor)
{
	struct db_staff st = {.allowance = 0};

	snprintf(st.nip, sizeof(st.nip), "%s", nip);
	snprintf(st.name, sizeof(st.name), "N%s", nip);
	snprintf(st.unit_id, sizeof(st.unit_id), "%s", unit);
	snprintf(st.supervisor_nip, sizeof(st.supervisor_nip), "%s", supervisor);
	assert_int_equal(db_staff_put(db, &st), 0);
}

static int setup(void **state)
{
	struct fixture *f = calloc(1, sizeof(*f));

	assert_non_null(f);
	tmpdb_open(&f->tmp);
	f->db = f->tmp.db;
	f->cfg.argon2_time = 1;
	f->cfg.argon2_memory_kib = 1024;
	f->cfg.argon2_lanes = 1;
	f->cfg.max_failures = 5;
	f->cfg.lockout_ms = 60000;
	f->cfg.lockout_max_ms = 3600000;
	f->cfg.session_idle_ms = 1800000;
	f->cfg.session_lifetime_ms = 43200000;
	f->api = (struct api){.cfg = &f->cfg, .db = f->db, .metrics = &f->metrics};
	put_staff(f->db, HEAD_A, "A", "");
	put_staff(f->db, STAFF_A, "A", HEAD_A);
	put_staff(f->db, OTHER_A, "A", "");
	put_staff(f->db, HEAD_B, "B", "");
	put_staff(f->db, STAFF_B, "B", HEAD_B);
	*state = f;
	return 0;
}

static int teardown(void **state)
{
	struct fixture *f = *state;

	tmpdb_close(&f->tmp);
	free(f);
	return 0;
}

static struct scope scope_as(struct fixture *f, const char *role, const char *units,
			     const char *nip)
{
	struct scope s;

	assert_int_equal(scope_init(&s, f->db, "test", role, units, nip), 0);
	return s;
}

static void test_scope_superadmin_sees_all(void **state)
{
	struct fixture *f = *state;
	struct scope s = scope_as(f, "superadmin", "", "");

	assert_true(scope_is_all(&s));
	assert_true(scope_may_see_unit(&s, "A"));
	assert_true(scope_may_see_unit(&s, "no such unit"));
	assert_true(scope_may_see_nip(&s, STAFF_B));
	assert_true(scope_may_see_nip(&s, "999")); /* may learn it does not exist */
	assert_true(scope_may_see_staff(&s, STAFF_A, "A", HEAD_A));
}

static void test_scope_unit_admin_sees_units(void **state)
{
	struct fixture *f = *state;
	struct scope s = scope_as(f, "unit_admin", "A,C", "");

	assert_false(scope_is_all(&s));
	assert_int_equal(s.n_units, 2);
	assert_string_equal(s.units[1], "C");
	assert_true(scope_may_see_unit(&s, "A"));
	assert_true(scope_may_see_unit(&s, "C"));
	assert_false(scope_may_see_unit(&s, "B"));
	assert_false(scope_may_see_unit(&s, ""));
	assert_true(scope_may_see_nip(&s, HEAD_A));
	assert_true(scope_may_see_nip(&s, STAFF_A));
	assert_false(scope_may_see_nip(&s, STAFF_B));
	assert_false(scope_may_see_nip(&s, "999"));
	assert_false(scope_may_see_nip(&s, ""));
	assert_true(scope_may_see_staff(&s, STAFF_A, "A", HEAD_A));
	assert_false(scope_may_see_staff(&s, STAFF_B, "B", HEAD_B));
}

static void test_scope_supervisor_sees_own_staff(void **state)
{
	struct fixture *f = *state;
	struct scope s = scope_as(f, "supervisor", "", HEAD_A);

	assert_false(scope_is_all(&s));
	assert_false(scope_may_see_unit(&s, "A"));
	assert_true(scope_may_see_nip(&s, HEAD_A));
	assert_true(scope_may_see_nip(&s, STAFF_A));
	assert_false(scope_may_see_nip(&s, OTHER_A)); /* same unit, another supervisor */
	assert_false(scope_may_see_nip(&s, STAFF_B));
	assert_false(scope_may_see_nip(&s, "999"));
	assert_true(scope_may_see_staff(&s, STAFF_A, "A", HEAD_A));
	assert_false(scope_may_see_staff(&s, OTHER_A, "A", ""));
	assert_false(scope_may_see_staff(&s, "", "A", HEAD_A));
}

static void test_scope_staff_sees_self(void **state)
{
	struct fixture *f = *state;
	struct scope s = scope_as(f, "staff", "", STAFF_A);

	assert_false(scope_may_see_unit(&s, "A"));
	assert_true(scope_may_see_nip(&s, STAFF_A));
	assert_false(scope_may_see_nip(&s, HEAD_A));
	assert_false(scope_may_see_nip(&s, OTHER_A));
	assert_true(scope_may_see_staff(&s, STAFF_A, "A", HEAD_A));
	assert_false(scope_may_see_staff(&s, OTHER_A, "A", ""));
}

static void test_scope_init_refuses_broken_accounts(void **state)
{
	struct fixture *f = *state;
	struct scope s;

	assert_int_equal(scope_init(&s, f->db, "t", "unit_admin", "", ""), -EINVAL);
	assert_int_equal(scope_init(&s, f->db, "t", "supervisor", "", ""), -EINVAL);
	assert_int_equal(scope_init(&s, f->db, "t", "root", "", ""), -EINVAL);
}

/* A request through scope_of_call; returns its result, the reply's status in *status. */
static int call_as(struct fixture *f, enum http_verb verb, const char *authorization,
		   const char *cookie, const char *csrf, struct scope *ret, int *status)
{
	static struct http_request req;
	struct api_peer peer = {.addr = "127.0.0.1"};
	struct api_call call = {.peer = &peer, .req = &req, .now = T0};
	struct api_reply reply = {.status = 0};
	int r;

	memset(&req, 0, sizeof(req));
	req.method = verb;
	snprintf(req.authorization, sizeof(req.authorization), "%s", authorization);
	snprintf(req.cookie, sizeof(req.cookie), "%s", cookie);
	snprintf(req.csrf_token, sizeof(req.csrf_token), "%s", csrf);
	r = scope_of_call(&f->api, &call, ret, &reply);
	*status = reply.status;
	api_reply_done(&reply);
	return r;
}

static void test_scope_of_call_token(void **state)
{
	struct fixture *f = *state;
	struct db_token tok = {.role = "unit_admin", .units = "B"};
	struct db_token sup = {.role = "supervisor", .nip = HEAD_A};
	char token[CRYPTO_TOKEN_LEN + 1], hash[CRYPTO_SHA256_HEX], auth[80], expected[32];
	struct scope s;
	int64_t id;
	int status;

	assert_int_equal(crypto_token_new(token), 0);
	crypto_token_hash(token, hash);
	assert_int_equal(db_token_add(f->db, hash, &tok, T0, &id), 0);
	snprintf(auth, sizeof(auth), "Bearer %s", token);
	/* Scripts need no CSRF token, POST or not. */
	assert_int_equal(call_as(f, HTTP_VERB_POST, auth, "", "", &s, &status), 0);
	assert_int_equal(s.role, SCOPE_UNIT_ADMIN);
	assert_false(s.is_session);
	assert_true(scope_may_see_nip(&s, STAFF_B));
	assert_false(scope_may_see_nip(&s, STAFF_A));
	snprintf(expected, sizeof(expected), "token:%lld", (long long)id);
	assert_string_equal(s.actor, expected);
	assert_int_equal(crypto_token_new(token), 0);
	crypto_token_hash(token, hash);
	assert_int_equal(db_token_add(f->db, hash, &sup, T0, &id), 0);
	snprintf(auth, sizeof(auth), "Bearer %s", token);
	assert_int_equal(call_as(f, HTTP_VERB_GET, auth, "", "", &s, &status), 0);
	assert_int_equal(s.role, SCOPE_SUPERVISOR);
	assert_string_equal(s.nip, HEAD_A); /* a supervisor's token keeps its NIP */
	assert_true(scope_may_see_nip(&s, STAFF_A));
	assert_false(scope_may_see_nip(&s, OTHER_A));
	assert_int_equal(call_as(f, HTTP_VERB_GET, "Bearer nonsense", "", "", &s, &status),
			 -EACCES);
	assert_int_equal(status, 401);
	assert_int_equal(call_as(f, HTTP_VERB_GET, "", "", "", &s, &status), -EACCES);
	assert_int_equal(status, 401);
}

static void test_scope_of_call_session_and_csrf(void **state)
{
	struct fixture *f = *state;
	struct account_spec spec = {.name = "sup", .role = "supervisor", .nip = HEAD_B};
	struct account_check check;
	struct account_login l;
	char why[160], cookie[128];
	const char *reason;
	struct scope s;
	int status;

	assert_int_equal(account_user_add(&f->cfg, f->db, &spec, PASS, T0, why, sizeof(why)), 0);
	assert_int_equal(account_check_password(&f->cfg, f->db, "sup", PASS, &check), 0);
	assert_int_equal(account_login(&f->cfg, f->db, "sup", &check, T0, &l, &reason), 0);
	snprintf(cookie, sizeof(cookie), "theme=dark; hadir_session=%s; lang=id", l.session);
	assert_int_equal(call_as(f, HTTP_VERB_GET, "", cookie, "", &s, &status), 0);
	assert_true(s.is_session);
	assert_string_equal(s.user, "sup");
	assert_string_equal(s.actor, "user:sup");
	assert_string_equal(s.csrf, l.csrf);
	assert_int_equal(s.role, SCOPE_SUPERVISOR);
	assert_true(scope_may_see_nip(&s, STAFF_B));
	assert_false(scope_may_see_nip(&s, STAFF_A));
	/* State-changing requests need the session's CSRF token. */
	assert_int_equal(call_as(f, HTTP_VERB_POST, "", cookie, "", &s, &status), -EACCES);
	assert_int_equal(status, 403);
	assert_int_equal(call_as(f, HTTP_VERB_POST, "", cookie, l.session, &s, &status), -EACCES);
	assert_int_equal(status, 403);
	assert_int_equal(call_as(f, HTTP_VERB_POST, "", cookie, l.csrf, &s, &status), 0);
	/* A session of a disabled user is gone. */
	assert_int_equal(account_disable(f->db, "sup", T0), 0);
	assert_int_equal(call_as(f, HTTP_VERB_GET, "", cookie, "", &s, &status), -EACCES);
	assert_int_equal(status, 401);
}

static void test_scope_of_superadmin(void **state)
{
	struct fixture *f = *state;
	struct db_token admin = {.role = "superadmin"}, unit = {.role = "unit_admin", .units = "A"};
	char token[CRYPTO_TOKEN_LEN + 1], hash[CRYPTO_SHA256_HEX];
	struct api_reply reply = {.status = 0};
	struct http_request req = {.method = HTTP_VERB_GET};
	struct api_peer peer = {.addr = "::1"};
	struct api_call call = {.peer = &peer, .req = &req, .now = T0};
	struct scope s;
	int64_t id;

	assert_int_equal(crypto_token_new(token), 0);
	crypto_token_hash(token, hash);
	assert_int_equal(db_token_add(f->db, hash, &unit, T0, &id), 0);
	snprintf(req.authorization, sizeof(req.authorization), "Bearer %s", token);
	assert_int_equal(scope_of_superadmin(&f->api, &call, &s, &reply), -EACCES);
	assert_int_equal(reply.status, 403);
	assert_non_null(strstr(reply.body, SCOPE_DENIED));
	api_reply_done(&reply);

	assert_int_equal(crypto_token_new(token), 0);
	crypto_token_hash(token, hash);
	assert_int_equal(db_token_add(f->db, hash, &admin, T0, &id), 0);
	snprintf(req.authorization, sizeof(req.authorization), "Bearer %s", token);
	assert_int_equal(scope_of_superadmin(&f->api, &call, &s, &reply), 0);
	assert_true(scope_is_all(&s));
}

static void test_scope_deny_is_one_reply(void **state)
{
	struct api_reply a, b;

	(void)state;
	scope_deny(T0, &a);
	scope_deny(T0, &b);
	assert_int_equal(a.status, 403);
	assert_int_equal(a.body_len, b.body_len);
	assert_memory_equal(a.body, b.body, a.body_len);
	api_reply_done(&a);
	api_reply_done(&b);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test_setup_teardown(test_scope_superadmin_sees_all, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_scope_unit_admin_sees_units, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_scope_supervisor_sees_own_staff, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_scope_staff_sees_self, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_scope_init_refuses_broken_accounts, setup,
					    teardown),
	    cmocka_unit_test_setup_teardown(test_scope_of_call_token, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_scope_of_call_session_and_csrf, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_scope_of_superadmin, setup, teardown),
	    cmocka_unit_test(test_scope_deny_is_one_reply),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
