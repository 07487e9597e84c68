// SPDX-License-Identifier: MIT
/* Login, logout, who am I, and the audit log over HTTP. */
#include "server/api_account.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "common/clk.h"
#include "common/http.h"
#include "common/log.h"
#include "server/account.h"
#include "server/audit.h"
#include "server/config.h"
#include "server/scope.h"
#include "server/throttle.h"

#define COOKIE_ATTRS "Path=/; HttpOnly; Secure; SameSite=Strict"
/* One answer for every refused login: it must not tell which part was wrong. */
#define LOGIN_REFUSED "wrong user name or password, or the account is locked"

static json_t *units_json(const struct scope *sc)
{
	json_t *arr = json_array();

	for (size_t i = 0; arr && i < sc->n_units; i++) {
		if (json_array_append_new(arr, json_string(sc->units[i])) < 0) {
			json_decref(arr);
			return NULL; /* json_pack() fails on it: a 500 */
		}
	}
	return arr;
}

/*
 * The login proper, in the caller's transaction: a refusal's failure count
 * and audit entry, or a session and its audit entry, commit together, so
 * every answer costs one commit and the timing tells nothing. Fills ret;
 * < 0 when nothing of it may stay.
 */
static int login_in(struct api *api, const struct api_call *call, const char *name,
		    const struct account_check *check, struct api_reply *ret)
{
	struct account_login login;
	const char *why;
	struct scope sc;
	json_t *body;
	int r;

	r = account_login(api->cfg, api->db, name, check, call->now, &login, &why);
	if (r == -EACCES) {
		r = audit_call(api, call, NULL,
			       strstr(why, "locked") ? AUDIT_LOGIN_LOCKED : AUDIT_LOGIN_FAILED,
			       name, "%s", why);
		if (r == 0)
			api_error(401, LOGIN_REFUSED, call->now, ret);
		goto out;
	}
	if (r == 0)
		r = scope_init(&sc, api->db, "", login.user.role, login.user.units, login.user.nip);
	if (r < 0)
		goto out;
	snprintf(sc.actor, sizeof(sc.actor), "user:%s", name);
	r = audit_call(api, call, &sc, AUDIT_LOGIN, name, "session started");
	if (r < 0)
		goto out;
	body = json_pack("{s:s,s:s,s:o,s:s,s:s}", "user", name, "role", login.user.role, "units",
			 units_json(&sc), "nip", login.user.nip, "csrf_token", login.csrf);
	api_reply_json(200, body, call->now, ret);
	if (ret->status != 200) {
		r = -ENOMEM;
		goto out;
	}
	snprintf(ret->headers, sizeof(ret->headers),
		 "Set-Cookie: hadir_session=%s; Max-Age=%lld; " COOKIE_ATTRS "\r\n", login.session,
		 (long long)(api->cfg->session_lifetime_ms / 1000));
out:
	explicit_bzero(&login, sizeof(login));
	return r;
}

/* Throttled logins are logged at most 10 a minute (logins run on the worker thread alone). */
static struct log_limit throttled_log = {.burst = 10, .window_ns = 60 * INT64_C(1000000000)};

void api_login(struct api *api, const struct api_call *call, struct api_reply *ret)
{
	struct account_check check;
	const char *name, *password;
	int64_t retry = 0;
	json_t *root;
	int r;

	root = api_parse_object(call->req, call->now, ret);
	if (!root)
		return;
	name = json_string_value(json_object_get(root, "username"));
	password = json_string_value(json_object_get(root, "password"));
	if (!name || !password || !db_name_ok(name)) {
		json_decref(root);
		api_error(400, "username and password (strings) are required", call->now, ret);
		return;
	}
	/* An address that failed too often is refused before any password work. */
	if (api->throttle && !throttle_allows(api->throttle, call->peer->addr, call->now, &retry)) {
		if (log_limit_allow(&throttled_log, clk_boot_usec() * 1000,
				    "account: throttled logins"))
			log_warn("account: login of '%s' from %s refused: too many failed logins "
				 "from it",
				 name, call->peer->addr);
		json_decref(root);
		api_error(429, "too many failed logins from this address; try again later",
			  call->now, ret);
		snprintf(ret->headers, sizeof(ret->headers), "Retry-After: %lld\r\n",
			 (long long)(retry / 1000000 + 1));
		return;
	}
	memset(ret, 0, sizeof(*ret));
	/* Argon2 first, outside the transaction (account.h). */
	r = account_check_password(api->cfg, api->db, name, password, &check);
	if (r == 0)
		r = db_begin(api->db);
	if (r == 0) {
		r = login_in(api, call, name, &check, ret);
		if (r == 0)
			r = db_commit(api->db);
		if (r < 0)
			db_rollback(api->db);
	}
	explicit_bzero(&check, sizeof(check));
	json_decref(root);
	if (r == 0 && ret->status == 401 && api->throttle)
		throttle_failed(api->throttle, call->peer->addr, call->now);
	if (r < 0) {
		api_reply_done(ret);
		api_error(r == -EBUSY ? 503 : 500, "storage error", call->now, ret);
	}
}

void api_logout(struct api *api, const struct api_call *call, struct api_reply *ret)
{
	char token[CRYPTO_TOKEN_LEN + 1];
	struct scope sc;

	if (scope_of_call(api, call, &sc, ret) < 0)
		return;
	if (!sc.is_session ||
	    http_cookie_get(call->req->cookie, "hadir_session", token, sizeof(token)) < 0) {
		api_error(400, "no login session to end", call->now, ret);
		return;
	}
	if (account_logout(api->db, token) < 0 ||
	    audit_call(api, call, &sc, AUDIT_LOGOUT, sc.user, "session ended") < 0) {
		api_error(500, "storage error", call->now, ret);
		return;
	}
	api_reply_json(200, json_pack("{s:s}", "status", "logged out"), call->now, ret);
	ret->extra_headers = "Set-Cookie: hadir_session=; Max-Age=0; " COOKIE_ATTRS "\r\n";
}

void api_me(struct api *api, const struct api_call *call, struct api_reply *ret)
{
	struct scope sc;

	if (scope_of_call(api, call, &sc, ret) < 0)
		return;
	api_reply_json(200,
		       json_pack("{s:s?,s:s,s:o,s:s?,s:s,s:s,s:s?}", "user",
				 sc.user[0] ? sc.user : NULL, "role", scope_role_name(sc.role),
				 "units", units_json(&sc), "nip", sc.nip[0] ? sc.nip : NULL,
				 "actor", sc.actor, "via", sc.is_session ? "session" : "token",
				 "csrf_token", sc.is_session ? sc.csrf : NULL),
		       call->now, ret);
}

void api_audit(struct api *api, const struct api_call *call, struct api_reply *ret)
{
	struct db_audit_query q = {.from_usec = INT64_MIN, .to_usec = INT64_MAX};
	const char *query = call->req->query;
	char actor[DB_ACTOR_MAX], action[DB_ACTION_MAX], format[8] = "json";
	enum audit_format fmt;
	struct scope sc;
	char *text = NULL;
	size_t len = 0;
	FILE *out;
	int r;

	if (scope_of_superadmin(api, call, &sc, ret) < 0)
		return;
	r = http_query_get(query, "actor", actor, sizeof(actor));
	if (r == 0)
		q.actor = actor;
	if (r == 0 || r == -ENOENT) {
		r = http_query_get(query, "action", action, sizeof(action));
		if (r == 0)
			q.action = action;
	}
	if (r == 0 || r == -ENOENT) {
		r = http_query_get(query, "format", format, sizeof(format));
		r = r == -ENOENT ? 0 : r;
	}
	if (r < 0 || (strcmp(format, "json") != 0 && strcmp(format, "csv") != 0) ||
	    api_query_when(query, "from", false, &q.from_usec) < 0 ||
	    api_query_when(query, "to", true, &q.to_usec) < 0) {
		api_error(400, "from, to: YYYY-MM-DD or ISO 8601; format: json or csv", call->now,
			  ret);
		return;
	}
	fmt = strcmp(format, "csv") == 0 ? AUDIT_CSV : AUDIT_JSON;
	out = open_memstream(&text, &len);
	if (!out) {
		api_error(500, "out of memory", call->now, ret);
		return;
	}
	r = audit_export(api->db, &q, fmt, call->now, out);
	if (fclose(out) != 0 && r == 0)
		r = -ENOMEM;
	if (r < 0) {
		free(text);
		api_error(r == -E2BIG ? 413 : 500,
			  r == -E2BIG ? "too many entries; narrow from/to" : "storage error",
			  call->now, ret);
		return;
	}
	memset(ret, 0, sizeof(*ret));
	ret->status = 200;
	ret->content_type = fmt == AUDIT_CSV ? "text/csv; charset=utf-8" : "application/json";
	ret->body = text;
	ret->body_len = len;
}
