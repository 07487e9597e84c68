/* SPDX-License-Identifier: MIT */
/*
 * Who may see what: the one place the collector's API decides it. Every
 * route that shows or changes people's data starts with ::scope_of_call and
 * asks the scope before it answers:
 *
 *	struct scope sc;
 *
 *	if (scope_of_call(api, call, &sc, ret) < 0)
 *		return;                          // 401/403 already in ret
 *	if (!scope_may_see_nip(&sc, nip)) {
 *		scope_deny(call->now, ret);      // the same 403 for "not yours" and "no such NIP"
 *		return;
 *	}
 *	... and for lists, keep only rows with scope_may_see_staff(&sc, nip, unit, supervisor)
 *	(scope_keeps() is the same as a callback; or, in SQL, the units in sc.units when
 *	sc.role == SCOPE_UNIT_ADMIN), and audit_call() (audit.h) what was shown or changed.
 *
 * Roles: superadmin (and the token `init` prints) sees everything; a
 * unit_admin the staff of their units; a supervisor the staff whose
 * supervisor_nip is theirs, and themselves; staff only themselves. Only
 * superadmins and unit admins see whole units (scope_may_see_unit).
 *
 * A forbidden unit or NIP and one that does not exist get the identical
 * ::scope_deny reply, so a reply never tells whether something exists
 * outside one's scope. A superadmin may learn that something does not exist.
 */
#ifndef HADIR_SERVER_SCOPE_H
#define HADIR_SERVER_SCOPE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "common/err.h"
#include "common/record.h"
#include "server/account.h"
#include "server/db_account.h"

struct api;
struct api_call;
struct api_reply;
struct db;

enum scope_role {
	SCOPE_SUPERADMIN,
	SCOPE_UNIT_ADMIN,
	SCOPE_SUPERVISOR,
	SCOPE_STAFF,
};

/* The message of the one 403 reply for anything outside a scope. */
#define SCOPE_DENIED "forbidden: outside your scope"

struct scope {
	enum scope_role role;
	struct db *db;		  /* looks NIPs up; the request's database */
	char actor[DB_ACTOR_MAX]; /* "user:NAME" or "token:ID": who, for the audit log */
	char user[DB_NAME_MAX];	  /* the user's name for a session; "" for a token */
	char nip[RECORD_NIP_MAX]; /* supervisor, staff: their own NIP; else "" */
	char units[ACCOUNT_UNITS_MAX][DB_UNIT_ID_MAX]; /* unit_admin: their units */
	size_t n_units;
	bool is_session;		 /* from a login session (cookie), not a bearer token */
	char csrf[CRYPTO_TOKEN_LEN + 1]; /* the session's CSRF token; "" for a bearer token */
};

/*
 * Build a scope from a role name, "U1,U2" units and an NIP, as a user or a
 * token holds them. -EINVAL when they do not make a valid account (a stored
 * row edited by hand, say): such a caller is refused, never given more.
 */
int scope_init(struct scope *ret_scope, struct db *db, const char *actor, const char *role,
	       const char *units, const char *nip) MUST_CHECK;

/*
 * Who is calling: an "Authorization: Bearer TOKEN" (scripts) or the
 * hadir_session cookie of a login. A POST with a cookie must carry the
 * session's X-CSRF-Token (bearer requests need none: a browser never adds
 * that header by itself). On failure ret holds the reply: 401 for no or
 * unknown credentials or an expired session, 403 for a missing or wrong
 * CSRF token, 500 for a storage error.
 */
int scope_of_call(struct api *api, const struct api_call *call, struct scope *ret_scope,
		  struct api_reply *ret) MUST_CHECK;
/* As scope_of_call, and only a superadmin passes: ::scope_deny otherwise. */
int scope_of_superadmin(struct api *api, const struct api_call *call, struct scope *ret_scope,
			struct api_reply *ret) MUST_CHECK;

/* Everything: a superadmin. List queries need no filter then. */
bool scope_is_all(const struct scope *s);
/* A whole unit: a superadmin, or a unit_admin of that unit. */
bool scope_may_see_unit(const struct scope *s, const char *unit_id);
/* One staff member whose row is at hand (supervisor_nip "" when none); no lookup. */
bool scope_may_see_staff(const struct scope *s, const char *nip, const char *unit_id,
			 const char *supervisor_nip);
/* scope_may_see_staff as a list query's filter callback takes it (scope: the struct scope). */
bool scope_keeps(const char *nip, const char *unit_id, const char *supervisor_nip, void *scope);
/*
 * One staff member by NIP, looked up in the staff table. False for an
 * unknown NIP (except for a superadmin) and when the lookup fails (logged).
 */
bool scope_may_see_nip(const struct scope *s, const char *nip);

/* The one reply for anything outside the scope: 403 SCOPE_DENIED. */
void scope_deny(int64_t now_usec, struct api_reply *ret);

/* The role's name, as stored ("superadmin", "unit_admin", ...). */
const char *scope_role_name(enum scope_role role);

#endif
