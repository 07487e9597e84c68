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

void db_set_lock_wait(struct db *db, int64_t ms)
{
	db->ops->set_lock_wait(db, ms);
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

int db_admin_token_add(struct db *db, const char *token_hash, const char *role, const char *nip,
		       int64_t now_usec)
{
	return db->ops->admin_token_add(db, token_hash, role, nip, now_usec);
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
		     const struct crypto_cert_info *cert, const char *cert_pem)
{
	return db->ops->device_enroll(db, token_hash, now_usec, cert, cert_pem);
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

int db_units_clear(struct db *db)
{
	return db->ops->units_clear(db);
}

int db_unit_put(struct db *db, const struct db_unit *unit)
{
	return db->ops->unit_put(db, unit);
}

int db_units(struct db *db, const struct db_org_query *q, db_unit_fn *fn, void *user)
{
	return db->ops->units(db, q, fn, user);
}

int db_units_missing(struct db *db, db_missing_unit_fn *fn, void *user)
{
	return db->ops->units_missing(db, fn, user);
}

int db_staff_clear(struct db *db)
{
	return db->ops->staff_clear(db);
}

int db_staff_put(struct db *db, const struct db_staff *staff)
{
	return db->ops->staff_put(db, staff);
}

int db_staff_get(struct db *db, const char *nip, struct db_staff *ret_staff)
{
	return db->ops->staff_get(db, nip, ret_staff);
}

int db_card_put(struct db *db, const char *card, const char *nip, char *ret_owner)
{
	return db->ops->card_put(db, card, nip, ret_owner);
}

int db_finger_put(struct db *db, int32_t finger, const char *nip, char *ret_owner)
{
	return db->ops->finger_put(db, finger, nip, ret_owner);
}

int db_staff(struct db *db, const struct db_org_query *q, db_staff_fn *fn, void *user)
{
	return db->ops->staff(db, q, fn, user);
}

int db_schedules_clear(struct db *db, const char *unit_id)
{
	return db->ops->schedules_clear(db, unit_id);
}

int db_schedule_put(struct db *db, const struct db_schedule *sched)
{
	return db->ops->schedule_put(db, sched);
}

int db_schedules(struct db *db, const struct db_org_query *q, db_schedule_fn *fn, void *user)
{
	return db->ops->schedules(db, q, fn, user);
}

int db_holidays_clear(struct db *db, int year)
{
	return db->ops->holidays_clear(db, year);
}

int db_holiday_put(struct db *db, const struct db_holiday *holiday)
{
	return db->ops->holiday_put(db, holiday);
}

int db_holidays(struct db *db, const struct db_org_query *q, db_holiday_fn *fn, void *user)
{
	return db->ops->holidays(db, q, fn, user);
}

int db_leave_clear(struct db *db, int year)
{
	return db->ops->leave_clear(db, year);
}

int db_leave_put(struct db *db, const struct db_leave *leave)
{
	return db->ops->leave_put(db, leave);
}

int db_leave(struct db *db, const struct db_org_query *q, db_leave_fn *fn, void *user)
{
	return db->ops->leave(db, q, fn, user);
}

int db_device_units_set(struct db *db, int64_t device_id, const char *const *unit_ids, size_t n)
{
	return db->ops->device_units_set(db, device_id, unit_ids, n);
}

int db_device_units(struct db *db, int64_t device_id, db_unit_fn *fn, void *user)
{
	return db->ops->device_units(db, device_id, fn, user);
}

int db_roster_state(struct db *db, struct db_roster_state *ret_state)
{
	return db->ops->roster_state(db, ret_state);
}

int db_roster_bump(struct db *db, int64_t now_usec, bool has_staff)
{
	return db->ops->roster_bump(db, now_usec, has_staff);
}

int db_device_internal(struct db *db, const char *name, int64_t now_usec, int64_t *ret_device_id)
{
	return db->ops->device_internal(db, name, now_usec, ret_device_id);
}

int db_tap_import(struct db *db, int64_t device_id, uint64_t seq, const char *nip, int64_t usec,
		  int64_t now_usec)
{
	return db->ops->tap_import(db, device_id, seq, nip, usec, now_usec);
}

int db_activity_insert(struct db *db, const struct db_activity *act, int64_t *ret_id)
{
	return db->ops->activity_insert(db, act, ret_id);
}

int db_activity_by_id(struct db *db, int64_t id, struct db_activity *ret_act)
{
	return db->ops->activity_get(db, id, 0, 0, ret_act);
}

int db_activity_by_seq(struct db *db, int64_t device_id, uint64_t seq, struct db_activity *ret_act)
{
	return db->ops->activity_get(db, 0, device_id, seq, ret_act);
}

int db_activity_superseders(struct db *db, int64_t device_id, uint64_t seq, db_activity_fn *fn,
			    void *user)
{
	return db->ops->activity_superseders(db, device_id, seq, fn, user);
}

int db_activity_set_superseded(struct db *db, int64_t id, int64_t by_id)
{
	return db->ops->activity_set_superseded(db, id, by_id);
}

int db_activity_set_status(struct db *db, int64_t id, const char *status, const char *reason,
			   const char *reviewer_nip, int64_t now_usec)
{
	return db->ops->activity_set_status(db, id, status, reason, reviewer_nip, now_usec);
}

int db_activities(struct db *db, const struct db_activity_query *q, db_activity_fn *fn, void *user)
{
	return db->ops->activities(db, q, fn, user);
}

int db_plans_clear(struct db *db)
{
	return db->ops->plans_clear(db);
}

int db_plan_put(struct db *db, const struct db_plan *plan)
{
	return db->ops->plan_put(db, plan);
}

int db_plans(struct db *db, const char *nip, db_plan_fn *fn, void *user)
{
	return db->ops->plans(db, nip, fn, user);
}

int db_accepted_taps(struct db *db, const struct db_tap_range *q, db_accepted_fn *fn, void *user)
{
	return db->ops->accepted_taps(db, q, fn, user);
}

int db_unit_first_taps(struct db *db, const char *unit_id, int64_t since_usec, db_unit_since_fn *fn,
		       void *user)
{
	return db->ops->unit_first_taps(db, unit_id, since_usec, fn, user);
}

int db_staff_brief(struct db *db, const char *unit_id, db_staff_fn *fn, void *user)
{
	return db->ops->staff_brief(db, unit_id, fn, user);
}

int db_record_last(struct db *db, int64_t *ret_id)
{
	return db->ops->record_last(db, ret_id);
}

int db_record_units(struct db *db, int64_t after_id, int64_t upto_id, db_unit_count_fn *fn,
		    void *user)
{
	return db->ops->record_units(db, after_id, upto_id, fn, user);
}

int db_uncorrected_units(struct db *db, db_unit_count_fn *fn, void *user)
{
	return db->ops->uncorrected_units(db, fn, user);
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

int db_template_forget_absent(struct db *db)
{
	return db->ops->template_forget_absent(db);
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

int db_device_sync(struct db *db, int64_t device_id, int64_t now_usec,
		   const struct record_health *health)
{
	return db->ops->device_sync(db, device_id, now_usec, health);
}

int db_device_health(struct db *db, db_device_health_fn *fn, void *user)
{
	return db->ops->device_health(db, fn, user);
}

int db_device_cert(struct db *db, int64_t device_id, char **ret_pem)
{
	return db->ops->device_cert(db, device_id, ret_pem);
}

int db_device_set_head(struct db *db, int64_t device_id, const struct record_head *head)
{
	return db->ops->device_set_head(db, device_id, head);
}

int db_device_head(struct db *db, int64_t device_id, struct record_head *ret_head)
{
	return db->ops->device_head(db, device_id, ret_head);
}

int db_device_records(struct db *db, int64_t device_id, db_record_fn *fn, void *user)
{
	return db->ops->device_records(db, device_id, fn, user);
}
