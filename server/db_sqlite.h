/* SPDX-License-Identifier: MIT */
/*
 * Inside the SQLite backend: the statement cache and error translation of
 * db_sqlite.c, shared with the backend's other files (db_sqlite_org.c,
 * db_sqlite_account.c), and those files' entries of the function table. Not
 * for use outside db_sqlite*.c.
 */
#ifndef HADIR_SERVER_DB_SQLITE_H
#define HADIR_SERVER_DB_SQLITE_H

#include <stddef.h>
#include <stdint.h>

#include <sqlite3.h>

#include "server/db.h"

sqlite3 *db_sqlite_conn(struct db *db);
/* A cached statement for sql (a string literal); hand it back with db_sqlite_done(). */
int db_sqlite_prepare(struct db *db, const char *sql, sqlite3_stmt **ret_stmt) MUST_CHECK;
void db_sqlite_done(struct db *db, sqlite3_stmt *stmt);
/* Step a statement that returns no rows, then hand it back; -EEXIST on a constraint. */
int db_sqlite_step_done(struct db *db, sqlite3_stmt *stmt, const char *what) MUST_CHECK;
/* Log the connection's error and translate it into a negative errno. */
int db_sqlite_error(struct db *db, const char *what);
/* Bind text (static for the statement's use), or NULL when text is NULL. */
void db_sqlite_bind_text_or_null(sqlite3_stmt *stmt, int col, const char *text);
/* Copy a text column ("" for NULL) into buf. */
void db_sqlite_text_col(sqlite3_stmt *stmt, int col, char *buf, size_t size);

/* A device row: DB_SQLITE_DEVICE_COLUMNS of devices d, first in a SELECT. */
#define DB_SQLITE_DEVICE_COLUMNS                                                                   \
	"d.id, d.name, d.disabled, d.created_usec, d.enrolled_usec, d.cert_serial,"                \
	" d.cert_fingerprint, d.acked_seq, d.head_seq"
#define DB_SQLITE_DEVICE_NCOLS 9
void db_sqlite_device_row(sqlite3_stmt *stmt, struct db_device *dev);

/* db_sqlite_org.c: the organisation entries of the function table (db.h says what each does). */
int db_sqlite_units_clear(struct db *db);
int db_sqlite_unit_put(struct db *db, const struct db_unit *unit);
int db_sqlite_units(struct db *db, const struct db_org_query *q, db_unit_fn *fn, void *user);
int db_sqlite_units_missing(struct db *db, db_missing_unit_fn *fn, void *user);
int db_sqlite_staff_clear(struct db *db);
int db_sqlite_staff_put(struct db *db, const struct db_staff *staff);
int db_sqlite_staff_get(struct db *db, const char *nip, struct db_staff *ret_staff);
int db_sqlite_card_put(struct db *db, const char *card, const char *nip, char *ret_owner);
int db_sqlite_finger_put(struct db *db, int32_t finger, const char *nip, char *ret_owner);
int db_sqlite_staff(struct db *db, const struct db_org_query *q, db_staff_fn *fn, void *user);
int db_sqlite_schedules_clear(struct db *db, const char *unit_id);
int db_sqlite_schedule_put(struct db *db, const struct db_schedule *sched);
int db_sqlite_schedules(struct db *db, const struct db_org_query *q, db_schedule_fn *fn,
			void *user);
int db_sqlite_holidays_clear(struct db *db, int year);
int db_sqlite_holiday_put(struct db *db, const struct db_holiday *holiday);
int db_sqlite_holidays(struct db *db, const struct db_org_query *q, db_holiday_fn *fn, void *user);
int db_sqlite_leave_clear(struct db *db, int year);
int db_sqlite_leave_put(struct db *db, const struct db_leave *leave);
int db_sqlite_leave(struct db *db, const struct db_org_query *q, db_leave_fn *fn, void *user);
int db_sqlite_device_units_set(struct db *db, int64_t device_id, const char *const *unit_ids,
			       size_t n);
int db_sqlite_device_units(struct db *db, int64_t device_id, db_unit_fn *fn, void *user);
int db_sqlite_roster_state(struct db *db, struct db_roster_state *ret_state);
int db_sqlite_roster_bump(struct db *db, int64_t now_usec, bool has_staff);
int db_sqlite_device_internal(struct db *db, const char *name, int64_t now_usec,
			      int64_t *ret_device_id);
int db_sqlite_tap_import(struct db *db, int64_t device_id, uint64_t seq, const char *nip,
			 int64_t usec, int64_t now_usec);

/* db_sqlite_activities.c: activity entries and plan items (db.h says what each does). */
int db_sqlite_activity_insert(struct db *db, const struct db_activity *act, int64_t *ret_id);
int db_sqlite_activity_get(struct db *db, int64_t id, int64_t device_id, uint64_t seq,
			   struct db_activity *ret_act);
int db_sqlite_activity_superseders(struct db *db, int64_t device_id, uint64_t seq,
				   db_activity_fn *fn, void *user);
int db_sqlite_activity_set_superseded(struct db *db, int64_t id, int64_t by_id);
int db_sqlite_activity_set_status(struct db *db, int64_t id, const char *status, const char *reason,
				  const char *reviewer_nip, int64_t now_usec);
int db_sqlite_activities(struct db *db, const struct db_activity_query *q, db_activity_fn *fn,
			 void *user);
int db_sqlite_plans_clear(struct db *db);
int db_sqlite_plan_put(struct db *db, const struct db_plan *plan);
int db_sqlite_plans(struct db *db, const char *nip, db_plan_fn *fn, void *user);

/* db_sqlite_report.c: queries for discipline reports. */
int db_sqlite_accepted_taps(struct db *db, const struct db_tap_range *q, db_accepted_fn *fn,
			    void *user);
int db_sqlite_unit_first_taps(struct db *db, const char *unit_id, int64_t since_usec,
			      db_unit_since_fn *fn, void *user);
int db_sqlite_staff_brief(struct db *db, const char *unit_id, db_staff_fn *fn, void *user);
/* db_sqlite_changes.c: what changed in the records since an earlier look. */
int db_sqlite_record_last(struct db *db, int64_t *ret_id);
int db_sqlite_record_units(struct db *db, int64_t after_id, int64_t upto_id, db_unit_count_fn *fn,
			   void *user);
int db_sqlite_uncorrected_units(struct db *db, db_unit_count_fn *fn, void *user);
/* db_sqlite_templates.c: the fingerprint entries. */
int db_sqlite_template_list(struct db *db, const char *nip, db_template_fn *fn, void *user);
int db_sqlite_template_put(struct db *db, const struct db_template *t);
int db_sqlite_template_delete(struct db *db, const char *nip, int64_t idx);
int db_sqlite_template_forget_absent(struct db *db);
int db_sqlite_enroll_request_add(struct db *db, int64_t device_id, const char *nip,
				 int64_t now_usec, int64_t *ret_id);
int db_sqlite_enroll_request_list(struct db *db, int64_t device_id, db_enroll_request_fn *fn,
				  void *user);
int db_sqlite_enroll_request_finish(struct db *db, int64_t id, int64_t device_id, const char *state,
				    const char *reason, int64_t now_usec);
/* db_sqlite_health.c: kiosks' last sync and health. */
int db_sqlite_device_sync(struct db *db, int64_t device_id, int64_t now_usec,
			  const struct record_health *health);
int db_sqlite_device_health(struct db *db, db_device_health_fn *fn, void *user);
int db_sqlite_device_cert(struct db *db, int64_t device_id, char **ret_pem);
int db_sqlite_device_set_head(struct db *db, int64_t device_id, const struct record_head *head);
int db_sqlite_device_head(struct db *db, int64_t device_id, struct record_head *ret_head);
int db_sqlite_device_records(struct db *db, int64_t device_id, db_record_fn *fn, void *user);

#endif
