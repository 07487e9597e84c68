/* SPDX-License-Identifier: MIT */
/*
 * Storage for accounts: dashboard users, their login sessions, the role and
 * scope of admin bearer tokens, and the append-only audit log. One more part
 * of the storage interface (db.h), reached through db_ops.account so the
 * rest of the server never names SQLite. Stores what it is told: password
 * policy, lockout and session rules are in account.c, scope rules in scope.c.
 * Secrets are never stored: passwords as Argon2id PHC strings, session
 * tokens as SHA-256 hex. A session's CSRF token is kept as it is, so the
 * dashboard can ask for it again (GET /api/v1/me) after a page reload.
 */
#ifndef HADIR_SERVER_DB_ACCOUNT_H
#define HADIR_SERVER_DB_ACCOUNT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "common/crypto.h"
#include "common/err.h"
#include "common/record.h"
#include "server/db.h"

#define DB_PHC_MAX	  192  /* an Argon2id PHC string */
#define DB_UNITS_TEXT_MAX 1024 /* "U1,U2,...": the units of a unit_admin */
#define DB_ACTOR_MAX	  80   /* "user:NAME", "token:ID", "cli:LOGIN" */
#define DB_ACTION_MAX	  32
#define DB_TARGET_MAX	  160
#define DB_DETAIL_MAX	  512
#define DB_SOURCE_MAX	  64 /* client address, or "cli" */

struct db_user {
	int64_t id;
	char name[DB_NAME_MAX]; /* as db_name_ok() */
	char role[DB_ROLE_MAX];
	char units[DB_UNITS_TEXT_MAX]; /* unit_admin: "U1,U2"; else "" */
	char nip[RECORD_NIP_MAX];      /* supervisor, staff: their NIP; else "" */
	bool is_disabled;
	char password_hash[DB_PHC_MAX];
	int64_t failures;	   /* failed logins since the last good one */
	int64_t locked_until_usec; /* CLOCK_REALTIME; 0 when not locked */
	int64_t created_usec;
	int64_t changed_usec; /* role, password or state last changed */
};

struct db_session {
	int64_t user_id;
	char csrf[CRYPTO_TOKEN_LEN + 1]; /* useless without the session cookie: kept as is */
	int64_t created_usec;		 /* CLOCK_REALTIME */
	int64_t seen_usec;		 /* last request, within a minute */
};

/* An admin bearer token as scope.c needs it. */
struct db_token {
	int64_t id;
	char role[DB_ROLE_MAX];
	char units[DB_UNITS_TEXT_MAX];
	char nip[RECORD_NIP_MAX];
};

struct db_audit {
	int64_t id;
	int64_t time_usec; /* CLOCK_REALTIME */
	char actor[DB_ACTOR_MAX];
	char action[DB_ACTION_MAX];
	char target[DB_TARGET_MAX];
	char detail[DB_DETAIL_MAX];
	char source[DB_SOURCE_MAX];
};

struct db_audit_query {
	int64_t from_usec, to_usec; /* time in [from, to) */
	const char *actor;	    /* NULL: anyone */
	const char *action;	    /* NULL: every action */
};

typedef int db_user_fn(const struct db_user *user, void *arg);
typedef int db_audit_fn(const struct db_audit *entry, void *arg);

struct db_account_ops {
	int (*user_add)(struct db *db, const struct db_user *user);
	int (*user_get)(struct db *db, const char *name, struct db_user *ret_user);
	int (*users)(struct db *db, db_user_fn *fn, void *arg);
	int (*user_set_password)(struct db *db, int64_t user_id, const char *hash,
				 int64_t now_usec);
	int (*user_set_disabled)(struct db *db, int64_t user_id, bool is_disabled,
				 int64_t now_usec);
	int (*user_set_failures)(struct db *db, int64_t user_id, int64_t failures,
				 int64_t locked_until_usec);
	int (*session_add)(struct db *db, const char *hash, const struct db_session *session);
	int (*session_get)(struct db *db, const char *hash, struct db_session *ret_session,
			   struct db_user *ret_user);
	int (*session_touch)(struct db *db, const char *hash, int64_t now_usec);
	int (*session_delete)(struct db *db, const char *hash);
	int (*sessions_delete_user)(struct db *db, int64_t user_id);
	int (*sessions_expire)(struct db *db, int64_t seen_before_usec,
			       int64_t created_before_usec);
	int (*token_add)(struct db *db, const char *hash, const struct db_token *token,
			 int64_t now_usec, int64_t *ret_id);
	int (*token_get)(struct db *db, const char *hash, struct db_token *ret_token);
	int (*staff_scope)(struct db *db, const char *nip, char *ret_unit_id,
			   char *ret_supervisor_nip);
	int (*audit_add)(struct db *db, const struct db_audit *entry);
	int (*audit)(struct db *db, const struct db_audit_query *q, db_audit_fn *fn, void *arg);
};

extern const struct db_account_ops db_sqlite_account_ops;

/* A new user (user->id ignored); -EEXIST when the name is taken. */
int db_user_add(struct db *db, const struct db_user *user) MUST_CHECK;
/* -ENOENT when there is no such user. */
int db_user_get(struct db *db, const char *name, struct db_user *ret_user) MUST_CHECK;
/* Every user, by name. */
int db_users(struct db *db, db_user_fn *fn, void *arg) MUST_CHECK;
/* A new password hash; also clears failures and lockout. */
int db_user_set_password(struct db *db, int64_t user_id, const char *hash,
			 int64_t now_usec) MUST_CHECK;
int db_user_set_disabled(struct db *db, int64_t user_id, bool is_disabled,
			 int64_t now_usec) MUST_CHECK;
int db_user_set_failures(struct db *db, int64_t user_id, int64_t failures,
			 int64_t locked_until_usec) MUST_CHECK;

/* A session under the hash of its cookie token. */
int db_session_add(struct db *db, const char *hash, const struct db_session *session) MUST_CHECK;
/* The session and its user; -ENOENT when unknown. */
int db_session_get(struct db *db, const char *hash, struct db_session *ret_session,
		   struct db_user *ret_user) MUST_CHECK;
int db_session_touch(struct db *db, const char *hash, int64_t now_usec) MUST_CHECK;
/* Returns how many were deleted (0 or 1). */
int db_session_delete(struct db *db, const char *hash) MUST_CHECK;
int db_sessions_delete_user(struct db *db, int64_t user_id) MUST_CHECK;
/* Delete sessions idle since before seen_before or created before created_before. */
int db_sessions_expire(struct db *db, int64_t seen_before_usec,
		       int64_t created_before_usec) MUST_CHECK;

/* Store a bearer token's hash with its role and scope; its id in *ret_id. */
int db_token_add(struct db *db, const char *hash, const struct db_token *token, int64_t now_usec,
		 int64_t *ret_id) MUST_CHECK;
/* -ENOENT when the hash is unknown. */
int db_token_get(struct db *db, const char *hash, struct db_token *ret_token) MUST_CHECK;

/*
 * What scope decisions need of a staff member: the unit (DB_UNIT_ID_MAX)
 * and supervisor's NIP (RECORD_NIP_MAX, "" when none); -ENOENT if unknown.
 */
int db_staff_scope(struct db *db, const char *nip, char *ret_unit_id,
		   char *ret_supervisor_nip) MUST_CHECK;

/* Append an entry (entry->id ignored). There is no way to change or delete one. */
int db_audit_add(struct db *db, const struct db_audit *entry) MUST_CHECK;
/* Entries matching q, oldest first. */
int db_audit(struct db *db, const struct db_audit_query *q, db_audit_fn *fn, void *arg) MUST_CHECK;

#endif
