// SPDX-License-Identifier: MIT
/*
 * Accounts over the SQLite store: Argon2id hashing and verification, the
 * rehash when the parameters change, lockout and its growth, login refusals
 * that all look alike, session idle and absolute expiry, CSRF tokens, and
 * the audit log refusing UPDATE and DELETE.
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
#include <sqlite3.h>

#include "server/account.h"
#include "server/audit.h"
#include "server/config.h"
#include "server/db.h"
#include "tests/unit/tmpdb.h"

#define SEC  INT64_C(1000000)
#define T0   (INT64_C(1796000000) * SEC)
#define PASS "correct horse battery"

struct fixture {
	struct tmpdb tmp;
	struct config cfg;
	struct db *db;
};

/* Cheap Argon2id parameters: the tests check behaviour, not cost. */
static void test_config(struct config *cfg)
{
	memset(cfg, 0, sizeof(*cfg));
	cfg->argon2_time = 1;
	cfg->argon2_memory_kib = 1024;
	cfg->argon2_lanes = 1;
	cfg->max_failures = 5;
	cfg->lockout_ms = 60 * 1000;
	cfg->lockout_max_ms = 3600 * 1000;
	cfg->session_idle_ms = 30 * 60 * 1000;
	cfg->session_lifetime_ms = 12 * 3600 * 1000;
}

static int setup(void **state)
{
	struct fixture *f = calloc(1, sizeof(*f));

	assert_non_null(f);
	tmpdb_open(&f->tmp);
	f->db = f->tmp.db;
	test_config(&f->cfg);
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

static void add_user(struct fixture *f, const char *name, const char *role, const char *units,
		     const char *nip)
{
	struct account_spec spec = {.name = name, .role = role, .units = units, .nip = nip};
	char why[160] = "";

	assert_int_equal(account_user_add(&f->cfg, f->db, &spec, PASS, T0, why, sizeof(why)), 0);
}

static int login(struct fixture *f, const char *name, const char *password, int64_t now,
		 struct account_login *ret, const char **ret_why)
{
	struct account_check check;
	int r = account_check_password(&f->cfg, f->db, name, password, &check);

	return r < 0 ? r : account_login(&f->cfg, f->db, name, &check, now, ret, ret_why);
}

static void test_account_hash_verifies(void **state)
{
	struct fixture *f = *state;
	char a[DB_PHC_MAX], b[DB_PHC_MAX];

	assert_int_equal(account_hash(&f->cfg, PASS, a), 0);
	assert_int_equal(account_hash(&f->cfg, PASS, b), 0);
	assert_memory_equal(a, "$argon2id$v=19$m=1024,t=1,p=1$", 30);
	assert_string_not_equal(a, b); /* salted */
	assert_int_equal(account_verify(a, PASS), 0);
	assert_int_equal(account_verify(a, PASS "x"), -EACCES);
	assert_int_equal(account_verify(a, ""), -EACCES);
	assert_int_equal(account_verify("$argon2i$v=19$m=1024,t=1,p=1$AAAA$AAAA", PASS), -EINVAL);
	assert_int_equal(account_verify("plain text", PASS), -EINVAL);
}

static void test_account_needs_rehash_on_new_parameters(void **state)
{
	struct fixture *f = *state;
	char h[DB_PHC_MAX];

	assert_int_equal(account_hash(&f->cfg, PASS, h), 0);
	assert_false(account_needs_rehash(&f->cfg, h));
	f->cfg.argon2_time = 2;
	assert_true(account_needs_rehash(&f->cfg, h));
	f->cfg.argon2_time = 1;
	f->cfg.argon2_memory_kib = 2048;
	assert_true(account_needs_rehash(&f->cfg, h));
}

static void test_account_login_rehashes(void **state)
{
	struct fixture *f = *state;
	struct account_login l;
	struct db_user u;
	const char *why;

	add_user(f, "alice", "superadmin", NULL, NULL);
	f->cfg.argon2_time = 2;
	assert_int_equal(login(f, "alice", PASS, T0, &l, &why), 0);
	assert_int_equal(db_user_get(f->db, "alice", &u), 0);
	assert_memory_equal(u.password_hash, "$argon2id$v=19$m=1024,t=2,p=1$", 30);
	assert_int_equal(login(f, "alice", PASS, T0, &l, &why), 0);
}

static void test_account_lockout_grows_to_cap(void **state)
{
	struct fixture *f = *state;

	assert_int_equal(account_lockout_usec(&f->cfg, 0), 0);
	assert_int_equal(account_lockout_usec(&f->cfg, 4), 0);
	assert_int_equal(account_lockout_usec(&f->cfg, 5), 60 * SEC);
	assert_int_equal(account_lockout_usec(&f->cfg, 6), 120 * SEC);
	assert_int_equal(account_lockout_usec(&f->cfg, 7), 240 * SEC);
	assert_int_equal(account_lockout_usec(&f->cfg, 10), 1920 * SEC);
	assert_int_equal(account_lockout_usec(&f->cfg, 11), 3600 * SEC);
	assert_int_equal(account_lockout_usec(&f->cfg, 1000000), 3600 * SEC);
}

static void test_account_login_locks_after_failures(void **state)
{
	struct fixture *f = *state;
	struct account_login l;
	struct db_user u;
	const char *why;

	add_user(f, "bob", "unit_admin", "U1", NULL);
	for (int i = 1; i <= 4; i++) {
		assert_int_equal(login(f, "bob", "wrong password", T0 + i, &l, &why), -EACCES);
		assert_string_equal(why, "wrong password");
	}
	assert_int_equal(login(f, "bob", "wrong password", T0 + 5, &l, &why), -EACCES);
	assert_string_equal(why, "wrong password, now locked");
	assert_int_equal(db_user_get(f->db, "bob", &u), 0);
	assert_int_equal(u.failures, 5);
	assert_int_equal(u.locked_until_usec, T0 + 5 + 60 * SEC);

	/* Locked: even the right password is refused, and the count stands still. */
	assert_int_equal(login(f, "bob", PASS, T0 + 30 * SEC, &l, &why), -EACCES);
	assert_string_equal(why, "locked");
	assert_int_equal(db_user_get(f->db, "bob", &u), 0);
	assert_int_equal(u.failures, 5);

	/* After the lock, another failure locks for twice as long. */
	assert_int_equal(login(f, "bob", "wrong again!", T0 + 61 * SEC, &l, &why), -EACCES);
	assert_int_equal(db_user_get(f->db, "bob", &u), 0);
	assert_int_equal(u.locked_until_usec, T0 + 61 * SEC + 120 * SEC);

	/* A good login once the lock ends clears the count. */
	assert_int_equal(login(f, "bob", PASS, T0 + 200 * SEC, &l, &why), 0);
	assert_int_equal(db_user_get(f->db, "bob", &u), 0);
	assert_int_equal(u.failures, 0);
	assert_int_equal(u.locked_until_usec, 0);
}

static void test_account_login_refusals_alike(void **state)
{
	struct fixture *f = *state;
	struct account_login l;
	const char *why;

	add_user(f, "carol", "staff", NULL, "198501012010011001");
	assert_int_equal(login(f, "nobody", PASS, T0, &l, &why), -EACCES);
	assert_string_equal(why, "unknown user");
	assert_int_equal(account_disable(f->db, "carol", T0), 0);
	assert_int_equal(login(f, "carol", PASS, T0, &l, &why), -EACCES);
	assert_string_equal(why, "disabled");
	assert_int_equal(account_disable(f->db, "nobody", T0), -ENOENT);
}

/* The password is checked outside the transaction: a change in between makes the check void. */
static void test_account_login_after_passwd_change_refused(void **state)
{
	struct fixture *f = *state;
	struct account_check check;
	struct account_login l;
	const char *why;

	add_user(f, "dina", "staff", NULL, "198501012010011002");
	assert_int_equal(account_check_password(&f->cfg, f->db, "dina", PASS, &check), 0);
	assert_true(check.is_verified);
	assert_int_equal(account_passwd(&f->cfg, f->db, "dina", "another-Passw0rd!", T0), 0);
	assert_int_equal(account_login(&f->cfg, f->db, "dina", &check, T0, &l, &why), -EACCES);
	assert_string_equal(why, "wrong password");
	assert_int_equal(login(f, "dina", "another-Passw0rd!", T0, &l, &why), 0);
}

static void test_account_session_idle_expiry(void **state)
{
	struct fixture *f = *state;
	struct account_login l;
	struct db_session s;
	struct db_user u;
	const char *why;

	add_user(f, "dina", "superadmin", NULL, NULL);
	assert_int_equal(login(f, "dina", PASS, T0, &l, &why), 0);
	assert_string_equal(l.user.name, "dina");
	assert_int_equal(account_session(&f->cfg, f->db, l.session, T0 + 29 * 60 * SEC, &s, &u), 0);
	assert_string_equal(u.name, "dina");
	/* The request above moved the idle clock. */
	assert_int_equal(account_session(&f->cfg, f->db, l.session, T0 + 58 * 60 * SEC, &s, &u), 0);
	assert_int_equal(account_session(&f->cfg, f->db, l.session, T0 + 89 * 60 * SEC, &s, &u),
			 -EACCES);
	/* Expired sessions are deleted: even an earlier time finds nothing now. */
	assert_int_equal(account_session(&f->cfg, f->db, l.session, T0 + 60 * SEC, &s, &u),
			 -EACCES);
	assert_int_equal(account_session(&f->cfg, f->db, "not a token", T0, &s, &u), -EACCES);
}

static void test_account_session_lifetime_expiry(void **state)
{
	struct fixture *f = *state;
	struct account_login l;
	struct db_session s;
	struct db_user u;
	const char *why;
	int64_t t;

	add_user(f, "eka", "superadmin", NULL, NULL);
	assert_int_equal(login(f, "eka", PASS, T0, &l, &why), 0);
	for (t = T0; t < T0 + 12 * 3600 * SEC; t += 20 * 60 * SEC)
		assert_int_equal(account_session(&f->cfg, f->db, l.session, t, &s, &u), 0);
	assert_int_equal(account_session(&f->cfg, f->db, l.session, T0 + 12 * 3600 * SEC, &s, &u),
			 -EACCES);
}

static void test_account_logout_and_passwd_end_sessions(void **state)
{
	struct fixture *f = *state;
	struct account_login a, b;
	struct db_session s;
	struct db_user u;
	const char *why;

	add_user(f, "fajar", "superadmin", NULL, NULL);
	assert_int_equal(login(f, "fajar", PASS, T0, &a, &why), 0);
	assert_int_equal(login(f, "fajar", PASS, T0, &b, &why), 0);
	assert_string_not_equal(a.session, b.session);
	assert_int_equal(account_logout(f->db, a.session), 0);
	assert_int_equal(account_logout(f->db, a.session), -ENOENT);
	assert_int_equal(account_session(&f->cfg, f->db, a.session, T0, &s, &u), -EACCES);
	assert_int_equal(account_session(&f->cfg, f->db, b.session, T0, &s, &u), 0);
	assert_int_equal(account_passwd(&f->cfg, f->db, "fajar", "short", T0), -EINVAL);
	assert_int_equal(account_passwd(&f->cfg, f->db, "fajar", "a new long password", T0), 0);
	assert_int_equal(account_session(&f->cfg, f->db, b.session, T0, &s, &u), -EACCES);
	assert_int_equal(login(f, "fajar", PASS, T0, &a, &why), -EACCES);
	assert_int_equal(login(f, "fajar", "a new long password", T0, &a, &why), 0);
	assert_int_equal(account_passwd(&f->cfg, f->db, "nobody", "a new long password", T0),
			 -ENOENT);
}

static void test_account_csrf(void **state)
{
	struct fixture *f = *state;
	struct account_login a, b;
	struct db_session s;
	struct db_user u;
	const char *why;

	add_user(f, "gita", "superadmin", NULL, NULL);
	assert_int_equal(login(f, "gita", PASS, T0, &a, &why), 0);
	assert_int_equal(login(f, "gita", PASS, T0, &b, &why), 0);
	assert_int_equal(account_session(&f->cfg, f->db, a.session, T0, &s, &u), 0);
	assert_true(account_csrf_ok(&s, a.csrf));
	assert_false(account_csrf_ok(&s, b.csrf)); /* another session's token */
	assert_false(account_csrf_ok(&s, ""));
	assert_false(account_csrf_ok(&s, a.session));
}

static void spec_refused(const char *name, const char *role, const char *units, const char *nip)
{
	struct account_spec spec = {.name = name, .role = role, .units = units, .nip = nip};
	char why[160] = "";

	assert_int_equal(account_spec_check(&spec, true, why, sizeof(why)), -EINVAL);
	assert_true(why[0] != '\0');
}

static void spec_taken(const char *name, const char *role, const char *units, const char *nip)
{
	struct account_spec spec = {.name = name, .role = role, .units = units, .nip = nip};
	char why[160] = "";

	assert_int_equal(account_spec_check(&spec, true, why, sizeof(why)), 0);
}

static void test_account_spec_check(void **state)
{
	(void)state;
	spec_taken("root", "superadmin", NULL, "");
	spec_taken("adm.dumai", "unit_admin", "DUMAI,DUMAI-2", NULL);
	spec_taken("head", "supervisor", NULL, "198501012010011001");
	spec_taken("pegawai", "staff", "", "198501012010011001");
	spec_refused("", "superadmin", NULL, NULL);
	spec_refused("a b", "superadmin", NULL, NULL);
	spec_refused("x", "admin", NULL, NULL);
	spec_refused("x", "unitadmin", "U1", NULL);
	spec_refused("x", "unit_admin", NULL, NULL);
	spec_refused("x", "unit_admin", "U1,,U2", NULL);
	spec_refused("x", "unit_admin", "U1, U2", NULL);
	spec_refused("x", "unit_admin", "U1,", NULL);
	spec_refused("x", "unit_admin", "U1;U2", NULL);
	spec_refused("x", "unit_admin", "0123456789012345678901234567890123", NULL);
	spec_refused("x", "unit_admin", "U1", "1985");
	spec_refused("x", "supervisor", NULL, NULL);
	spec_refused("x", "staff", NULL, "19850101x");
	spec_refused("x", "staff", "U1", "1985");
	spec_refused("x", "superadmin", "U1", NULL);
}

static void test_account_spec_units_max(void **state)
{
	char units[ACCOUNT_UNITS_MAX * 4 + 8] = "";
	size_t len = 0;

	(void)state;
	for (int i = 0; i < ACCOUNT_UNITS_MAX; i++)
		len += (size_t)snprintf(units + len, sizeof(units) - len, "%sU%d", i ? "," : "", i);
	spec_taken("many", "unit_admin", units, NULL);
	snprintf(units + len, sizeof(units) - len, ",X");
	spec_refused("many", "unit_admin", units, NULL);
}

static void test_account_user_add_refuses(void **state)
{
	struct fixture *f = *state;
	struct account_spec spec = {.name = "hana", .role = "superadmin"};
	char why[160] = "";

	assert_int_equal(account_user_add(&f->cfg, f->db, &spec, "short", T0, why, sizeof(why)),
			 -EINVAL);
	assert_int_equal(account_user_add(&f->cfg, f->db, &spec, PASS, T0, why, sizeof(why)), 0);
	assert_int_equal(account_user_add(&f->cfg, f->db, &spec, PASS, T0, why, sizeof(why)),
			 -EEXIST);
	assert_string_equal(why, "user 'hana' exists");
}

static int count_fn(const struct db_audit *e, void *arg)
{
	(void)e;
	(*(int *)arg)++;
	return 0;
}

static void test_audit_append_only(void **state)
{
	struct fixture *f = *state;
	struct db_audit e = {.time_usec = T0,
			     .actor = "user:x",
			     .action = "login",
			     .target = "x",
			     .detail = "",
			     .source = "127.0.0.1"};
	struct db_audit_query q = {.from_usec = INT64_MIN, .to_usec = INT64_MAX};
	sqlite3 *raw;
	int n = 0;

	assert_int_equal(db_audit_add(f->db, &e), 0);
	assert_int_equal(audit_cli(f->db, AUDIT_USER_ADD, "y", "role %s", "staff"), 0);
	assert_int_equal(sqlite3_open(f->tmp.path, &raw), SQLITE_OK);
	assert_int_equal(sqlite3_exec(raw, "UPDATE audit_log SET actor = 'me'", NULL, NULL, NULL),
			 SQLITE_CONSTRAINT);
	assert_int_equal(sqlite3_exec(raw, "DELETE FROM audit_log", NULL, NULL, NULL),
			 SQLITE_CONSTRAINT);
	sqlite3_close(raw);
	assert_int_equal(db_audit(f->db, &q, count_fn, &n), 0);
	assert_int_equal(n, 2);
	q.action = AUDIT_USER_ADD;
	n = 0;
	assert_int_equal(db_audit(f->db, &q, count_fn, &n), 0);
	assert_int_equal(n, 1);
	q.action = NULL;
	q.from_usec = T0 + 1;
	q.to_usec = INT64_MAX;
	n = 0;
	assert_int_equal(db_audit(f->db, &q, count_fn, &n), 0);
	assert_int_equal(n, 1); /* the cli entry has the current time */
}

static void test_audit_export_csv(void **state)
{
	struct fixture *f = *state;
	struct db_audit e = {.time_usec = T0,
			     .actor = "user:x",
			     .action = "report_view",
			     .target = "U1",
			     .detail = "2026-01-01..2026-01-31, \"xlsx\"",
			     .source = "::1"};
	struct db_audit_query q = {.from_usec = INT64_MIN, .to_usec = INT64_MAX};
	char *text = NULL;
	size_t len = 0;
	FILE *out;

	assert_int_equal(db_audit_add(f->db, &e), 0);
	out = open_memstream(&text, &len);
	assert_non_null(out);
	assert_int_equal(audit_export(f->db, &q, AUDIT_CSV, 0, out), 0);
	fclose(out);
	assert_string_equal(text, "id,time,actor,action,target,detail,source\r\n"
				  "\"1\",\"2026-11-30T00:53:20Z\",\"user:x\",\"report_view\","
				  "\"U1\",\"2026-01-01..2026-01-31, \"\"xlsx\"\"\",\"::1\"\r\n");
	free(text);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test_setup_teardown(test_account_hash_verifies, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_account_needs_rehash_on_new_parameters, setup,
					    teardown),
	    cmocka_unit_test_setup_teardown(test_account_login_rehashes, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_account_lockout_grows_to_cap, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_account_login_locks_after_failures, setup,
					    teardown),
	    cmocka_unit_test_setup_teardown(test_account_login_refusals_alike, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_account_login_after_passwd_change_refused, setup,
					    teardown),
	    cmocka_unit_test_setup_teardown(test_account_session_idle_expiry, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_account_session_lifetime_expiry, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_account_logout_and_passwd_end_sessions, setup,
					    teardown),
	    cmocka_unit_test_setup_teardown(test_account_csrf, setup, teardown),
	    cmocka_unit_test(test_account_spec_check),
	    cmocka_unit_test(test_account_spec_units_max),
	    cmocka_unit_test_setup_teardown(test_account_user_add_refuses, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_audit_append_only, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_audit_export_csv, setup, teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
