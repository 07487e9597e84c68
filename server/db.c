// SPDX-License-Identifier: MIT
/* The storage interface: backend choice and the calls through the function table. */
#include "server/db.h"

#include <errno.h>
#include <string.h>

#include "server/config.h"

int db_open(const struct config *cfg, struct db **ret_db)
{
	switch (cfg->backend) {
	case CONFIG_BACKEND_SQLITE:
		return db_sqlite_open(cfg->database, ret_db);
	default:
		return -EOPNOTSUPP;
	}
}

void db_close(struct db *db)
{
	if (db)
		db->ops->close(db);
}

bool db_name_ok(const char *name)
{
	size_t len = strlen(name);

	if (len == 0 || len >= DB_NAME_MAX)
		return false;
	for (size_t i = 0; i < len; i++) {
		char ch = name[i];

		if (!((ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z') ||
		      (ch >= '0' && ch <= '9') || ch == '.' || ch == '_' || ch == '-'))
			return false;
	}
	return true;
}

int db_begin(struct db *db)
{
	return db->ops->begin(db);
}

int db_savepoint(struct db *db)
{
	return db->ops->savepoint(db);
}

int db_release(struct db *db)
{
	return db->ops->release(db);
}

void db_rollback_to(struct db *db)
{
	db->ops->rollback_to(db);
}

int db_commit(struct db *db)
{
	return db->ops->commit(db);
}

void db_rollback(struct db *db)
{
	db->ops->rollback(db);
}

int db_admin_token_add(struct db *db, const char *token_hash, const char *role, int64_t now_usec)
{
	return db->ops->admin_token_add(db, token_hash, role, now_usec);
}

int db_admin_token_role(struct db *db, const char *token_hash, char *ret_role)
{
	return db->ops->admin_token_role(db, token_hash, ret_role);
}

int db_device_add(struct db *db, const char *name, const char *token_hash, int64_t now_usec,
		  int64_t expires_usec)
{
	if (!db_name_ok(name))
		return -EINVAL;
	return db->ops->device_add(db, name, token_hash, now_usec, expires_usec);
}

int db_device_list(struct db *db, db_device_fn *fn, void *user)
{
	return db->ops->device_list(db, fn, user);
}

int db_device_disable(struct db *db, const char *name)
{
	return db->ops->device_disable(db, name);
}

int db_device_by_token(struct db *db, const char *token_hash, int64_t now_usec,
		       struct db_device *ret_dev)
{
	return db->ops->device_by_token(db, token_hash, now_usec, ret_dev);
}

int db_device_enroll(struct db *db, const char *token_hash, int64_t now_usec,
		     const struct crypto_cert_info *cert)
{
	return db->ops->device_enroll(db, token_hash, now_usec, cert);
}

int db_device_by_fingerprint(struct db *db, const char *fingerprint_hex, struct db_device *ret_dev)
{
	return db->ops->device_by_fingerprint(db, fingerprint_hex, ret_dev);
}

int db_device_set_acked(struct db *db, int64_t device_id, uint64_t seq)
{
	return db->ops->device_set_acked(db, device_id, seq);
}

int db_record_chain(struct db *db, int64_t device_id, uint64_t seq,
		    uint8_t ret_prev[CRYPTO_SHA256_LEN], uint8_t ret_link[CRYPTO_SHA256_LEN])
{
	return db->ops->record_chain(db, device_id, seq, ret_prev, ret_link);
}

int db_record_insert(struct db *db, int64_t device_id, const struct record *rec,
		     const struct db_record_meta *meta)
{
	return db->ops->record_insert(db, device_id, rec, meta);
}

int db_record_max_seq(struct db *db, int64_t device_id, uint64_t *ret_seq)
{
	return db->ops->record_max_seq(db, device_id, ret_seq);
}

int db_boot_anchor_put(struct db *db, int64_t device_id, const char *boot_id, int64_t offset_usec,
		       int64_t rtt_usec)
{
	return db->ops->boot_anchor_put(db, device_id, boot_id, offset_usec, rtt_usec);
}

int db_boot_offset(struct db *db, int64_t device_id, const char *boot_id, int64_t *ret_offset_usec)
{
	return db->ops->boot_offset(db, device_id, boot_id, ret_offset_usec);
}

int db_boot_correct(struct db *db, int64_t device_id, const char *boot_id, int64_t offset_usec)
{
	return db->ops->boot_correct(db, device_id, boot_id, offset_usec);
}

int db_alert_add(struct db *db, int64_t device_id, uint64_t seq, const char *kind,
		 const char *detail, int64_t now_usec)
{
	return db->ops->alert_add(db, device_id, seq, kind, detail, now_usec);
}

int db_taps(struct db *db, const struct db_tap_query *q, db_tap_fn *fn, void *user)
{
	return db->ops->taps(db, q, fn, user);
}

int db_alerts(struct db *db, db_alert_fn *fn, void *user)
{
	return db->ops->alerts(db, fn, user);
}

int db_template_list(struct db *db, const char *nip, db_template_fn *fn, void *user)
{
	return db->ops->template_list(db, nip, fn, user);
}

int db_template_put(struct db *db, const struct db_template *t)
{
	return db->ops->template_put(db, t);
}

int db_template_delete(struct db *db, const char *nip, int64_t idx)
{
	return db->ops->template_delete(db, nip, idx);
}

int db_enroll_request_add(struct db *db, int64_t device_id, const char *nip, int64_t now_usec,
			  int64_t *ret_id)
{
	return db->ops->enroll_request_add(db, device_id, nip, now_usec, ret_id);
}

int db_enroll_request_list(struct db *db, int64_t device_id, db_enroll_request_fn *fn, void *user)
{
	return db->ops->enroll_request_list(db, device_id, fn, user);
}

int db_enroll_request_finish(struct db *db, int64_t id, int64_t device_id, const char *state,
			     const char *reason, int64_t now_usec)
{
	return db->ops->enroll_request_finish(db, id, device_id, state, reason, now_usec);
}
