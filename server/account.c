// SPDX-License-Identifier: MIT
/* Accounts: Argon2id hashes, lockout, sessions and their CSRF tokens. */
#include "server/account.h"

#include <errno.h>
#include <pthread.h>
#include <stdio.h>
#include <string.h>

#include <argon2.h>

#include "common/log.h"
#include "server/config.h"

#define SALT_LEN      16
#define HASH_LEN      32
#define TOUCH_USEC    (60 * INT64_C(1000000)) /* a session's idle clock moves in minutes */
#define USEC_PER_MSEC 1000

static const char *const roles[] = {ACCOUNT_SUPERADMIN, ACCOUNT_UNIT_ADMIN, ACCOUNT_SUPERVISOR,
				    ACCOUNT_STAFF};

static bool role_ok(const char *role)
{
	for (size_t i = 0; i < ARRAY_SIZE(roles); i++)
		if (strcmp(role, roles[i]) == 0)
			return true;
	return false;
}

/* "U1,U2": each unit 1..DB_UNIT_ID_MAX-1 of [A-Za-z0-9._-], as unit imports take them. */
static int units_check(const char *units, char *why, size_t why_size)
{
	static const char id_chars[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"
				       "0123456789._-";
	size_t n = 0;

	for (const char *p = units;; n++) {
		size_t len = strcspn(p, ",");

		if (len == 0 || len >= DB_UNIT_ID_MAX || strspn(p, id_chars) != len) {
			snprintf(
			    why, why_size,
			    "units: comma-separated unit ids, each 1 to %d of A-Z a-z 0-9 . _ -",
			    DB_UNIT_ID_MAX - 1);
			return -EINVAL;
		}
		if (p[len] == '\0')
			break;
		p += len + 1;
	}
	if (n + 1 > ACCOUNT_UNITS_MAX) {
		snprintf(why, why_size, "units: at most %d", ACCOUNT_UNITS_MAX);
		return -EINVAL;
	}
	return 0;
}

static bool nip_ok(const char *nip)
{
	size_t len = strlen(nip);

	if (len == 0 || len >= RECORD_NIP_MAX)
		return false;
	for (size_t i = 0; i < len; i++)
		if (nip[i] < '0' || nip[i] > '9')
			return false;
	return true;
}

int account_spec_check(const struct account_spec *spec, bool is_user, char *why, size_t why_size)
{
	const char *units = spec->units ? spec->units : "";
	const char *nip = spec->nip ? spec->nip : "";
	bool wants_units, wants_nip;

	if (is_user && !db_name_ok(spec->name)) {
		snprintf(why, why_size, "a user name is 1 to %d of A-Z a-z 0-9 . _ -",
			 DB_NAME_MAX - 1);
		return -EINVAL;
	}
	if (!role_ok(spec->role)) {
		snprintf(why, why_size, "role: one of superadmin, unit_admin, supervisor, staff");
		return -EINVAL;
	}
	wants_units = strcmp(spec->role, ACCOUNT_UNIT_ADMIN) == 0;
	wants_nip =
	    strcmp(spec->role, ACCOUNT_SUPERVISOR) == 0 || strcmp(spec->role, ACCOUNT_STAFF) == 0;
	if (wants_units != (units[0] != '\0')) {
		snprintf(why, why_size,
			 wants_units ? "a unit_admin needs --unit U1[,U2...]"
				     : "--unit is for a unit_admin only");
		return -EINVAL;
	}
	if (wants_units && units_check(units, why, why_size) < 0)
		return -EINVAL;
	if (wants_nip != (nip[0] != '\0')) {
		snprintf(why, why_size,
			 wants_nip ? "a %s needs --nip NIP"
				   : "--nip is for a supervisor or staff only",
			 spec->role);
		return -EINVAL;
	}
	if (wants_nip && !nip_ok(nip)) {
		snprintf(why, why_size, "nip: 1 to %d digits", RECORD_NIP_MAX - 1);
		return -EINVAL;
	}
	return 0;
}

int account_hash(const struct config *cfg, const char *password, char ret_hash[DB_PHC_MAX])
{
	uint8_t salt[SALT_LEN];
	int r;

	r = crypto_random(salt, sizeof(salt));
	if (r < 0)
		return r;
	r = argon2id_hash_encoded((uint32_t)cfg->argon2_time, (uint32_t)cfg->argon2_memory_kib,
				  (uint32_t)cfg->argon2_lanes, password, strlen(password), salt,
				  sizeof(salt), HASH_LEN, ret_hash, DB_PHC_MAX);
	if (r != ARGON2_OK) {
		log_err("account: argon2id: %s", argon2_error_message(r));
		return r == ARGON2_MEMORY_ALLOCATION_ERROR ? -ENOMEM : -EIO;
	}
	return 0;
}

int account_verify(const char *hash, const char *password)
{
	int r;

	if (strncmp(hash, "$argon2id$", 10) != 0)
		return -EINVAL;
	r = argon2id_verify(hash, password, strlen(password));
	if (r == ARGON2_OK)
		return 0;
	if (r == ARGON2_VERIFY_MISMATCH)
		return -EACCES;
	return r == ARGON2_MEMORY_ALLOCATION_ERROR ? -ENOMEM : -EINVAL;
}

bool account_needs_rehash(const struct config *cfg, const char *hash)
{
	char prefix[96];

	snprintf(prefix, sizeof(prefix), "$argon2id$v=%d$m=%lld,t=%lld,p=%lld$", ARGON2_VERSION_13,
		 (long long)cfg->argon2_memory_kib, (long long)cfg->argon2_time,
		 (long long)cfg->argon2_lanes);
	return strncmp(hash, prefix, strlen(prefix)) != 0;
}

int64_t account_lockout_usec(const struct config *cfg, int64_t failures)
{
	int64_t lock = cfg->lockout_ms, cap = cfg->lockout_max_ms;

	if (failures < cfg->max_failures)
		return 0;
	for (int64_t i = cfg->max_failures; i < failures && lock < cap; i++)
		lock *= 2;
	return (lock < cap ? lock : cap) * USEC_PER_MSEC;
}

static int password_check(const char *password)
{
	size_t len = strlen(password);

	return len < ACCOUNT_PASSWORD_MIN || len > ACCOUNT_PASSWORD_MAX ? -EINVAL : 0;
}

int account_user_add(const struct config *cfg, struct db *db, const struct account_spec *spec,
		     const char *password, int64_t now_usec, char *why, size_t why_size)
{
	struct db_user u;
	int r;

	r = account_spec_check(spec, true, why, why_size);
	if (r < 0)
		return r;
	if (password_check(password) < 0) {
		snprintf(why, why_size, "a password is %d to %d characters", ACCOUNT_PASSWORD_MIN,
			 ACCOUNT_PASSWORD_MAX);
		return -EINVAL;
	}
	memset(&u, 0, sizeof(u));
	snprintf(u.name, sizeof(u.name), "%s", spec->name);
	snprintf(u.role, sizeof(u.role), "%s", spec->role);
	snprintf(u.units, sizeof(u.units), "%s", spec->units ? spec->units : "");
	snprintf(u.nip, sizeof(u.nip), "%s", spec->nip ? spec->nip : "");
	u.created_usec = now_usec;
	r = account_hash(cfg, password, u.password_hash);
	if (r < 0)
		return r;
	r = db_user_add(db, &u);
	if (r == -EEXIST)
		snprintf(why, why_size, "user '%s' exists", spec->name);
	return r;
}

int account_passwd(const struct config *cfg, struct db *db, const char *name, const char *password,
		   int64_t now_usec)
{
	char hash[DB_PHC_MAX];
	struct db_user u;
	int r;

	if (password_check(password) < 0)
		return -EINVAL;
	r = db_user_get(db, name, &u);
	if (r < 0)
		return r;
	r = account_hash(cfg, password, hash);
	if (r < 0)
		return r;
	r = db_user_set_password(db, u.id, hash, now_usec);
	if (r < 0)
		return r;
	return db_sessions_delete_user(db, u.id) < 0 ? -EIO : 0;
}

int account_disable(struct db *db, const char *name, int64_t now_usec)
{
	struct db_user u;
	int r;

	r = db_user_get(db, name, &u);
	if (r < 0)
		return r;
	r = db_user_set_disabled(db, u.id, true, now_usec);
	if (r < 0)
		return r;
	return db_sessions_delete_user(db, u.id) < 0 ? -EIO : 0;
}

int account_password_new(char ret_password[CRYPTO_TOKEN_LEN + 1])
{
	return crypto_token_new(ret_password);
}

/*
 * Spend what checking a real password costs, for a user who does not exist:
 * against a hash of a random password made once with the current parameters.
 */
static void verify_dummy(const struct config *cfg, const char *password)
{
	static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;
	static char dummy[DB_PHC_MAX];
	char random[CRYPTO_TOKEN_LEN + 1], hash[DB_PHC_MAX];

	/* Logins run on the worker thread, or on the loop when it had no memory for the job. */
	pthread_mutex_lock(&lock);
	if (!dummy[0] || account_needs_rehash(cfg, dummy)) {
		if (crypto_token_new(random) < 0 || account_hash(cfg, random, dummy) < 0)
			dummy[0] = '\0';
	}
	memcpy(hash, dummy, sizeof(hash));
	pthread_mutex_unlock(&lock);
	if (hash[0] && account_verify(hash, password) == 0)
		log_debug("account: a login matched the dummy hash"); /* 2^-256: never */
}

/* Count a failure; the reason for the audit log. */
static const char *count_failure(const struct config *cfg, struct db *db, struct db_user *u,
				 int64_t now_usec)
{
	int64_t failures = u->failures + 1;
	int64_t lock = account_lockout_usec(cfg, failures);

	if (db_user_set_failures(db, u->id, failures, lock ? now_usec + lock : 0) < 0)
		log_warn("account: cannot count a failed login of '%s', ignoring", u->name);
	return lock ? "wrong password, now locked" : "wrong password";
}

static int session_new(const struct config *cfg, struct db *db, int64_t now_usec,
		       struct account_login *ret)
{
	struct db_session s = {
	    .user_id = ret->user.id, .created_usec = now_usec, .seen_usec = now_usec};
	char hash[CRYPTO_SHA256_HEX];
	int r;

	r = crypto_token_new(ret->session);
	if (r == 0)
		r = crypto_token_new(ret->csrf);
	if (r < 0)
		return r;
	memcpy(s.csrf, ret->csrf, sizeof(s.csrf));
	crypto_token_hash(ret->session, hash);
	/* Logins are rare next to requests: a good moment to drop dead sessions. */
	if (db_sessions_expire(db, now_usec - cfg->session_idle_ms * USEC_PER_MSEC,
			       now_usec - cfg->session_lifetime_ms * USEC_PER_MSEC) < 0)
		log_warn("account: cannot delete expired sessions, ignoring");
	return db_session_add(db, hash, &s);
}

int account_check_password(const struct config *cfg, struct db *db, const char *name,
			   const char *password, struct account_check *ret)
{
	struct db_user u;
	int r;

	memset(ret, 0, sizeof(*ret));
	r = strlen(password) > ACCOUNT_PASSWORD_MAX ? -ENOENT : db_user_get(db, name, &u);
	if (r == -ENOENT) {
		verify_dummy(cfg, password);
		return 0;
	}
	if (r < 0)
		return r;
	snprintf(ret->hash, sizeof(ret->hash), "%s", u.password_hash);
	/* Checked even when the answer will be no (disabled, locked): the time must not tell. */
	r = account_verify(u.password_hash, password);
	if (r == -ENOMEM)
		goto out;
	ret->is_verified = r == 0;
	r = 0;
	if (ret->is_verified && account_needs_rehash(cfg, u.password_hash) &&
	    account_hash(cfg, password, ret->rehash) < 0)
		ret->rehash[0] = '\0';
out:
	explicit_bzero(&u, sizeof(u));
	return r;
}

int account_login(const struct config *cfg, struct db *db, const char *name,
		  const struct account_check *check, int64_t now_usec, struct account_login *ret,
		  const char **ret_why)
{
	struct db_user *u = &ret->user;
	int r;

	*ret_why = "unknown user";
	if (!check->hash[0])
		return -EACCES;
	r = db_user_get(db, name, u);
	if (r == -ENOENT)
		return -EACCES;
	if (r < 0)
		return r;
	if (u->is_disabled) {
		*ret_why = "disabled";
		return -EACCES;
	}
	if (now_usec < u->locked_until_usec) {
		*ret_why = "locked";
		return -EACCES;
	}
	if (!check->is_verified || strcmp(check->hash, u->password_hash) != 0) {
		*ret_why = count_failure(cfg, db, u, now_usec);
		return -EACCES;
	}
	if (u->failures || u->locked_until_usec) {
		r = db_user_set_failures(db, u->id, 0, 0);
		if (r < 0)
			return r;
	}
	if (check->rehash[0] && db_user_set_password(db, u->id, check->rehash, now_usec) == 0)
		log_info("account: password hash of '%s' redone with the current parameters",
			 u->name);
	*ret_why = "";
	return session_new(cfg, db, now_usec, ret);
}

static bool token_shape_ok(const char *token)
{
	return strlen(token) == CRYPTO_TOKEN_LEN;
}

int account_session(const struct config *cfg, struct db *db, const char *token, int64_t now_usec,
		    struct db_session *ret_session, struct db_user *ret_user)
{
	char hash[CRYPTO_SHA256_HEX];
	bool is_expired;
	int r;

	if (!token_shape_ok(token))
		return -EACCES;
	crypto_token_hash(token, hash);
	r = db_session_get(db, hash, ret_session, ret_user);
	if (r == -ENOENT)
		return -EACCES;
	if (r < 0)
		return r;
	is_expired =
	    now_usec - ret_session->seen_usec >= cfg->session_idle_ms * USEC_PER_MSEC ||
	    now_usec - ret_session->created_usec >= cfg->session_lifetime_ms * USEC_PER_MSEC;
	if (is_expired || ret_user->is_disabled) {
		if (db_session_delete(db, hash) < 0)
			log_warn("account: cannot delete an expired session, ignoring");
		return -EACCES;
	}
	if (now_usec - ret_session->seen_usec >= TOUCH_USEC &&
	    db_session_touch(db, hash, now_usec) == 0)
		ret_session->seen_usec = now_usec;
	return 0;
}

int account_logout(struct db *db, const char *token)
{
	char hash[CRYPTO_SHA256_HEX];
	int r;

	if (!token_shape_ok(token))
		return -ENOENT;
	crypto_token_hash(token, hash);
	r = db_session_delete(db, hash);
	if (r < 0)
		return r;
	return r == 0 ? -ENOENT : 0;
}

bool account_csrf_ok(const struct db_session *session, const char *header)
{
	return token_shape_ok(header) && token_shape_ok(session->csrf) &&
	       crypto_equal(header, session->csrf, CRYPTO_TOKEN_LEN);
}
