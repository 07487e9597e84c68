/* SPDX-License-Identifier: MIT */
/*
 * Dashboard accounts: password hashing (Argon2id through libargon2, PHC
 * strings, parameters from [accounts] and redone at login when they change),
 * login with lockout, sessions with idle and absolute expiry, and the CSRF
 * token each session carries. Policy only; the rows are in db_account.h, the
 * HTTP side in api_account.c, who may see what in scope.c.
 *
 * Login never tells why it failed: a wrong password, an unknown or disabled
 * user and a locked account all return -EACCES after the same work (an
 * unknown user's password is checked against a dummy hash), so neither the
 * answer nor its timing says whether a user exists. ret_why says it for the
 * audit log only.
 */
#ifndef HADIR_SERVER_ACCOUNT_H
#define HADIR_SERVER_ACCOUNT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "common/crypto.h"
#include "common/err.h"
#include "server/db_account.h"

struct config;
struct db;

#define ACCOUNT_PASSWORD_MIN 10	 /* characters (bytes) a new password needs at least */
#define ACCOUNT_PASSWORD_MAX 256 /* bytes; longer input is refused, not truncated */
#define ACCOUNT_UNITS_MAX    64	 /* units of one unit_admin */

/* The roles, as stored and as given on the command line. */
#define ACCOUNT_SUPERADMIN "superadmin"
#define ACCOUNT_UNIT_ADMIN "unit_admin"
#define ACCOUNT_SUPERVISOR "supervisor"
#define ACCOUNT_STAFF	   "staff"

/* What a new account or token holds; units is "U1,U2" (unit_admin only). */
struct account_spec {
	const char *name; /* users only: as db_name_ok() */
	const char *role;
	const char *units; /* NULL or "" when none */
	const char *nip;   /* NULL or "" when none */
};

/*
 * Check a spec: a known role; a unit_admin has 1..ACCOUNT_UNITS_MAX units
 * (each 1..DB_UNIT_ID_MAX-1 of [A-Za-z0-9._-]); a supervisor and a
 * staff member have an NIP (digits); others have neither. -EINVAL with a
 * message (why_size bytes) otherwise.
 */
int account_spec_check(const struct account_spec *spec, bool is_user, char *why,
		       size_t why_size) MUST_CHECK;

/* An Argon2id PHC string (DB_PHC_MAX bytes) for password with the configured parameters. */
int account_hash(const struct config *cfg, const char *password,
		 char ret_hash[DB_PHC_MAX]) MUST_CHECK;
/* 0 when password matches hash; -EACCES when not, -EINVAL for a malformed hash. */
int account_verify(const char *hash, const char *password) MUST_CHECK;
/* True when hash was made with other parameters than the configured ones. */
bool account_needs_rehash(const struct config *cfg, const char *hash);
/* The lockout after the failures-th failure in a row: 0 below max_failures. */
int64_t account_lockout_usec(const struct config *cfg, int64_t failures);

/* A new user with password (ACCOUNT_PASSWORD_MIN..MAX bytes); -EEXIST, -EINVAL (why). */
int account_user_add(const struct config *cfg, struct db *db, const struct account_spec *spec,
		     const char *password, int64_t now_usec, char *why, size_t why_size) MUST_CHECK;
/* A new password; ends the user's sessions. -ENOENT, -EINVAL (too short or long). */
int account_passwd(const struct config *cfg, struct db *db, const char *name, const char *password,
		   int64_t now_usec) MUST_CHECK;
/* Disable a user and end their sessions; -ENOENT when there is none. */
int account_disable(struct db *db, const char *name, int64_t now_usec) MUST_CHECK;
/* A new random password (base64url, CRYPTO_TOKEN_LEN characters). */
int account_password_new(char ret_password[CRYPTO_TOKEN_LEN + 1]) MUST_CHECK;

/* A new session's secrets, shown to the client once and stored only hashed. */
struct account_login {
	char session[CRYPTO_TOKEN_LEN + 1]; /* the hadir_session cookie */
	char csrf[CRYPTO_TOKEN_LEN + 1];    /* to send back in X-CSRF-Token */
	struct db_user user;
};

/*
 * A login has two halves, so that no transaction is open during Argon2 (a
 * tenth of a second or more, which would hold every kiosk's ingest behind
 * the write lock). First account_check_password(), outside any transaction:
 * the password against the stored hash (against a dummy hash for an unknown
 * name, so the time taken tells nothing), and a fresh hash when the stored
 * one has old parameters.
 */
struct account_check {
	bool is_verified;
	char hash[DB_PHC_MAX];	 /* the stored hash it was checked against; "" for no user */
	char rehash[DB_PHC_MAX]; /* the password hashed with today's parameters, or "" */
};
int account_check_password(const struct config *cfg, struct db *db, const char *name,
			   const char *password, struct account_check *ret) MUST_CHECK;

/*
 * Then, in the caller's transaction, account_login(): on success a new
 * session in ret; -EACCES when refused, with the reason for the audit log in
 * ret_why ("wrong password", "unknown user", "disabled", "locked"; a static
 * string). A failure counts towards lockout. A password changed since the
 * check counts as wrong.
 */
int account_login(const struct config *cfg, struct db *db, const char *name,
		  const struct account_check *check, int64_t now_usec, struct account_login *ret,
		  const char **ret_why) MUST_CHECK;

/*
 * The session behind a cookie token, with its user: -EACCES when unknown,
 * expired (then deleted) or its user disabled. Refreshes the idle clock.
 */
int account_session(const struct config *cfg, struct db *db, const char *token, int64_t now_usec,
		    struct db_session *ret_session, struct db_user *ret_user) MUST_CHECK;
/* End the session behind a cookie token; -ENOENT when there was none. */
int account_logout(struct db *db, const char *token) MUST_CHECK;
/* True when header (the X-CSRF-Token a client sent) is the session's CSRF token. */
bool account_csrf_ok(const struct db_session *session, const char *header);

#endif
