// SPDX-License-Identifier: MIT
/* The account part of the storage interface: calls through db_ops.account. */
#include "server/db_account.h"

int db_user_add(struct db *db, const struct db_user *user)
{
	return db->ops->account->user_add(db, user);
}

int db_user_get(struct db *db, const char *name, struct db_user *ret_user)
{
	return db->ops->account->user_get(db, name, ret_user);
}

int db_users(struct db *db, db_user_fn *fn, void *arg)
{
	return db->ops->account->users(db, fn, arg);
}

int db_user_set_password(struct db *db, int64_t user_id, const char *hash, int64_t now_usec)
{
	return db->ops->account->user_set_password(db, user_id, hash, now_usec);
}

int db_user_set_disabled(struct db *db, int64_t user_id, bool is_disabled, int64_t now_usec)
{
	return db->ops->account->user_set_disabled(db, user_id, is_disabled, now_usec);
}

int db_user_set_failures(struct db *db, int64_t user_id, int64_t failures,
			 int64_t locked_until_usec)
{
	return db->ops->account->user_set_failures(db, user_id, failures, locked_until_usec);
}

int db_session_add(struct db *db, const char *hash, const struct db_session *session)
{
	return db->ops->account->session_add(db, hash, session);
}

int db_session_get(struct db *db, const char *hash, struct db_session *ret_session,
		   struct db_user *ret_user)
{
	return db->ops->account->session_get(db, hash, ret_session, ret_user);
}

int db_session_touch(struct db *db, const char *hash, int64_t now_usec)
{
	return db->ops->account->session_touch(db, hash, now_usec);
}

int db_session_delete(struct db *db, const char *hash)
{
	return db->ops->account->session_delete(db, hash);
}

int db_sessions_delete_user(struct db *db, int64_t user_id)
{
	return db->ops->account->sessions_delete_user(db, user_id);
}

int db_sessions_expire(struct db *db, int64_t seen_before_usec, int64_t created_before_usec)
{
	return db->ops->account->sessions_expire(db, seen_before_usec, created_before_usec);
}

int db_token_add(struct db *db, const char *hash, const struct db_token *token, int64_t now_usec,
		 int64_t *ret_id)
{
	return db->ops->account->token_add(db, hash, token, now_usec, ret_id);
}

int db_token_get(struct db *db, const char *hash, struct db_token *ret_token)
{
	return db->ops->account->token_get(db, hash, ret_token);
}

int db_staff_scope(struct db *db, const char *nip, char *ret_unit_id, char *ret_supervisor_nip)
{
	return db->ops->account->staff_scope(db, nip, ret_unit_id, ret_supervisor_nip);
}

int db_audit_add(struct db *db, const struct db_audit *entry)
{
	return db->ops->account->audit_add(db, entry);
}

int db_audit(struct db *db, const struct db_audit_query *q, db_audit_fn *fn, void *arg)
{
	return db->ops->account->audit(db, q, fn, arg);
}
