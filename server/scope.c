// SPDX-License-Identifier: MIT
/* Scope: from a bearer token or a session to what the caller may see. */
#include "server/scope.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "common/http.h"
#include "common/log.h"
#include "server/api.h"
#include "server/config.h"

#define SESSION_COOKIE "hadir_session"

static const char *const role_names[] = {
    [SCOPE_SUPERADMIN] = ACCOUNT_SUPERADMIN,
    [SCOPE_UNIT_ADMIN] = ACCOUNT_UNIT_ADMIN,
    [SCOPE_SUPERVISOR] = ACCOUNT_SUPERVISOR,
    [SCOPE_STAFF] = ACCOUNT_STAFF,
};

const char *scope_role_name(enum scope_role role)
{
	return role_names[role];
}

int scope_init(struct scope *ret_scope, struct db *db, const char *actor, const char *role,
	       const char *units, const char *nip)
{
	struct account_spec spec = {.role = role, .units = units, .nip = nip};
	struct scope *s = ret_scope;
	char why[128];
	const char *p;

	if (account_spec_check(&spec, false, why, sizeof(why)) < 0) {
		log_warn("scope: %s holds no valid account (%s), refusing it", actor, why);
		return -EINVAL;
	}
	memset(s, 0, sizeof(*s));
	for (size_t i = 0; i < ARRAY_SIZE(role_names); i++)
		if (strcmp(role, role_names[i]) == 0)
			s->role = (enum scope_role)i;
	s->db = db;
	snprintf(s->actor, sizeof(s->actor), "%s", actor);
	snprintf(s->nip, sizeof(s->nip), "%s", nip);
	/* account_spec_check() bounded the count and the length of each unit. */
	for (p = units; *p; s->n_units++) {
		size_t len = strcspn(p, ",");

		memcpy(s->units[s->n_units], p, len);
		s->units[s->n_units][len] = '\0';
		p += len + (p[len] == ',');
	}
	return 0;
}

static int scope_of_token(struct api *api, const struct api_call *call, struct scope *ret_scope,
			  struct api_reply *ret)
{
	char hash[CRYPTO_SHA256_HEX], actor[DB_ACTOR_MAX];
	struct db_token tok;
	int r;

	crypto_token_hash(call->req->authorization + 7, hash);
	r = db_token_get(api->db, hash, &tok);
	if (r == -ENOENT) {
		api_error(401, "admin token not recognised", call->now, ret);
		return -EACCES;
	}
	if (r < 0) {
		api_error(500, "storage error", call->now, ret);
		return r;
	}
	snprintf(actor, sizeof(actor), "token:%lld", (long long)tok.id);
	if (scope_init(ret_scope, api->db, actor, tok.role, tok.units, tok.nip) < 0) {
		scope_deny(call->now, ret);
		return -EACCES;
	}
	return 0;
}

static int scope_of_session(struct api *api, const struct api_call *call, struct scope *ret_scope,
			    struct api_reply *ret)
{
	const struct http_request *req = call->req;
	char token[CRYPTO_TOKEN_LEN + 2], actor[DB_ACTOR_MAX];
	struct db_session session;
	struct db_user user;
	int r;

	if (http_cookie_get(req->cookie, SESSION_COOKIE, token, sizeof(token)) < 0) {
		api_error(401, "log in, or send an admin bearer token", call->now, ret);
		return -EACCES;
	}
	r = account_session(api->cfg, api->db, token, call->now, &session, &user);
	if (r == -EACCES) {
		api_error(401, "session expired or unknown; log in again", call->now, ret);
		return r;
	}
	if (r < 0) {
		api_error(500, "storage error", call->now, ret);
		return r;
	}
	/* Anything but GET/HEAD changes state; a page of ours sends the header. */
	if (req->method != HTTP_VERB_GET && req->method != HTTP_VERB_HEAD &&
	    !account_csrf_ok(&session, req->csrf_token)) {
		api_error(403, "X-CSRF-Token missing or wrong", call->now, ret);
		return -EACCES;
	}
	snprintf(actor, sizeof(actor), "user:%s", user.name);
	if (scope_init(ret_scope, api->db, actor, user.role, user.units, user.nip) < 0) {
		scope_deny(call->now, ret);
		return -EACCES;
	}
	snprintf(ret_scope->user, sizeof(ret_scope->user), "%s", user.name);
	ret_scope->is_session = true;
	memcpy(ret_scope->csrf, session.csrf, sizeof(ret_scope->csrf));
	return 0;
}

int scope_of_call(struct api *api, const struct api_call *call, struct scope *ret_scope,
		  struct api_reply *ret)
{
	if (strncasecmp(call->req->authorization, "Bearer ", 7) == 0)
		return scope_of_token(api, call, ret_scope, ret);
	return scope_of_session(api, call, ret_scope, ret);
}

int scope_of_superadmin(struct api *api, const struct api_call *call, struct scope *ret_scope,
			struct api_reply *ret)
{
	int r;

	r = scope_of_call(api, call, ret_scope, ret);
	if (r < 0)
		return r;
	if (!scope_is_all(ret_scope)) {
		scope_deny(call->now, ret);
		return -EACCES;
	}
	return 0;
}

bool scope_is_all(const struct scope *s)
{
	return s->role == SCOPE_SUPERADMIN;
}

bool scope_may_see_unit(const struct scope *s, const char *unit_id)
{
	if (s->role == SCOPE_SUPERADMIN)
		return true;
	if (s->role != SCOPE_UNIT_ADMIN || !unit_id[0])
		return false;
	for (size_t i = 0; i < s->n_units; i++)
		if (strcmp(s->units[i], unit_id) == 0)
			return true;
	return false;
}

bool scope_may_see_staff(const struct scope *s, const char *nip, const char *unit_id,
			 const char *supervisor_nip)
{
	switch (s->role) {
	case SCOPE_SUPERADMIN:
		return true;
	case SCOPE_UNIT_ADMIN:
		return scope_may_see_unit(s, unit_id);
	case SCOPE_SUPERVISOR:
		return nip[0] && (strcmp(nip, s->nip) == 0 || strcmp(supervisor_nip, s->nip) == 0);
	case SCOPE_STAFF:
		return nip[0] && strcmp(nip, s->nip) == 0;
	}
	return false;
}

bool scope_keeps(const char *nip, const char *unit_id, const char *supervisor_nip, void *scope)
{
	return scope_may_see_staff(scope, nip, unit_id, supervisor_nip);
}

bool scope_may_see_nip(const struct scope *s, const char *nip)
{
	char unit[DB_UNIT_ID_MAX], supervisor[RECORD_NIP_MAX];
	int r;

	if (s->role == SCOPE_SUPERADMIN)
		return true;
	if (!nip[0])
		return false;
	if (strcmp(nip, s->nip) == 0)
		return true;
	r = db_staff_scope(s->db, nip, unit, supervisor);
	if (r < 0) {
		if (r != -ENOENT)
			log_warn("scope: cannot look NIP %s up (%s), refusing", nip, strerror(-r));
		return false;
	}
	return scope_may_see_staff(s, nip, unit, supervisor);
}

void scope_deny(int64_t now_usec, struct api_reply *ret)
{
	api_error(403, SCOPE_DENIED, now_usec, ret);
}
