/* SPDX-License-Identifier: MIT */
/*
 * The collector's storage interface: a struct of function pointers that a
 * backend fills (db_sqlite.c now; a libpq backend later), so the rest of the
 * server never names SQLite. Each backend translates its own errors into
 * negative errno values and logs the library's message once.
 *
 * What is stored: devices (kiosks) with their enrolment state and certificate
 * fingerprint; one-time enrolment tokens and admin tokens, as SHA-256 hashes
 * only; records, unique on (device, seq); and tamper alerts. Ingest policy
 * (chain checks, what counts as an alert) is not here but in ingest.c, on top
 * of the primitives below, so every backend behaves alike.
 */
#ifndef HADIR_SERVER_DB_H
#define HADIR_SERVER_DB_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "common/activity.h"
#include "common/crypto.h"
#include "common/err.h"
#include "common/record.h"
#include "common/tz.h"

struct config;

#define DB_NAME_MAX  65	 /* device name: [A-Za-z0-9._-], 1..64 */
#define DB_ROLE_MAX  16	 /* "superadmin", "unit_admin", "supervisor", "staff" */
#define DB_ALERT_MAX 160 /* detail text of one alert */

/* Organisation data (units, staff, calendar); sizes a kiosk's roster can hold too. */
#define DB_UNIT_ID_MAX	  32  /* unit_id: 1..31 bytes */
#define DB_TEXT_MAX	  128 /* a person's, unit's or holiday's name: 1..127 bytes */
#define DB_PROFILE_MAX	  65  /* rule profile name, [A-Za-z0-9_-] (profile.h) */
#define DB_CARD_MAX	  21  /* card number: up to 20 decimal digits, no leading zeros */
#define DB_CARDS_MAX	  8   /* cards of one person */
#define DB_FINGERS_MAX	  10  /* fingerprint ids of one person */
#define DB_CLOCK_MAX	  9   /* "HH:MM" or "HH:MM:SS" */
#define DB_LEAVE_CODE_MAX 8   /* "CT", "CLTN", … (calendar.h) */

struct db_device {
	int64_t id;
	char name[DB_NAME_MAX];
	bool is_disabled;
	bool is_enrolled;
	char cert_serial[CRYPTO_SERIAL_HEX_MAX];  /* "" until enrolled */
	char cert_fingerprint[CRYPTO_SHA256_HEX]; /* SHA-256 of the DER, hex; "" until enrolled */
	int64_t created_usec;			  /* CLOCK_REALTIME */
	int64_t enrolled_usec;			  /* 0 until enrolled */
	uint64_t acked_seq;			  /* highest seq with 1..seq all stored */
	uint64_t signed_seq; /* seq of the latest verified signed chain head; 0: none */
};

/* Extra facts stored with an ingested record. */
struct db_record_meta {
	bool has_corrected;	/* corrected_usec is known */
	int64_t corrected_usec; /* the wall time the record should have had */
	int64_t received_usec;	/* collector's CLOCK_REALTIME at ingest */
	bool is_chain_ok;	/* its link matched its fields and its predecessor */
};

/* A stored tap as `taps` and GET /api/v1/taps show it. */
struct db_tap {
	char device[DB_NAME_MAX];
	uint64_t seq;
	char kind[RECORD_KIND_MAX];
	int64_t wall_usec;
	bool has_corrected;
	int64_t corrected_usec;
	int64_t received_usec;
	bool clock_trusted;
	char nip[RECORD_NIP_MAX];
	char credential[RECORD_CREDENTIAL_MAX];
	char outcome[RECORD_OUTCOME_MAX];
	char direction[RECORD_DIRECTION_MAX];
};

/* A tamper alert as `alerts` shows it. */
struct db_alert {
	char device[DB_NAME_MAX];
	uint64_t seq;
	char kind[16]; /* "gap", "chain", "link", "conflict" */
	char detail[DB_ALERT_MAX];
	int64_t created_usec; /* CLOCK_REALTIME */
};

struct db_tap_query {
	const char *nip;   /* NULL: everyone */
	int64_t from_usec; /* recorded (corrected, else wall) time >= from */
	int64_t to_usec;   /* and < to */
};

struct db_unit {
	char unit_id[DB_UNIT_ID_MAX];
	char name[DB_TEXT_MAX];
	char timezone[TZ_NAME_MAX]; /* IANA name */
	char profile[DB_PROFILE_MAX];
};

/* A staff member with their credentials (a card or a finger id belongs to one person). */
struct db_staff {
	char nip[RECORD_NIP_MAX];
	char name[DB_TEXT_MAX];
	char unit_id[DB_UNIT_ID_MAX];
	int64_t allowance;		       /* monthly tunjangan, whole Rupiah, >= 0 */
	char supervisor_nip[RECORD_NIP_MAX];   /* "" when none */
	char cards[DB_CARDS_MAX][DB_CARD_MAX]; /* listings only; ascending */
	size_t n_cards;
	int32_t fingers[DB_FINGERS_MAX]; /* listings only; ascending */
	size_t n_fingers;
};

/* Working hours of a unit on a weekday within a date range (calendar.h reads these). */
struct db_schedule {
	char unit_id[DB_UNIT_ID_MAX];
	char valid_from[TZ_DATE_MAX], valid_to[TZ_DATE_MAX]; /* YYYY-MM-DD, inclusive */
	int weekday;					     /* 1 = Monday … 7 = Sunday */
	char start[DB_CLOCK_MAX], end[DB_CLOCK_MAX];	     /* local HH:MM */
	char label[DB_TEXT_MAX];			     /* optional, e.g. "Ramadan" */
};

struct db_holiday {
	char date[TZ_DATE_MAX];
	char name[DB_TEXT_MAX];
};

struct db_leave {
	char nip[RECORD_NIP_MAX];
	char from[TZ_DATE_MAX], to[TZ_DATE_MAX]; /* inclusive */
	char code[DB_LEAVE_CODE_MAX];
	char time_from[DB_CLOCK_MAX], time_to[DB_CLOCK_MAX]; /* part of a one-day record, or "" */
};

/*
 * Which organisation rows a listing returns. Every field is optional (0 or
 * NULL: no restriction). device_id restricts to the units assigned to that
 * device, or to nothing when it has none (the roster decides what "none"
 * means). Dates are YYYY-MM-DD: holidays on, and leave overlapping, [from, to].
 */
struct db_org_query {
	int64_t device_id;
	const char *unit_id;
	const char *from, *to;
	const char *nip; /* leave of one person */
};

/* The roster's version: bumped by every change to data a kiosk's roster carries. */
struct db_roster_state {
	int64_t version;      /* 0 until the first import */
	int64_t changed_usec; /* CLOCK_REALTIME of the last bump */
	bool has_staff;	      /* a staff import happened at some time */
};

#define DB_STATUS_MAX 12  /* "pending", "approved", "returned", "refused", "invalid" */
#define DB_REVIEW_MAX 512 /* reason or reviewer's comment, bytes */

/* A reviewer of activities (activities.c): the role, and for a supervisor the NIP (scope.h). */
struct db_admin {
	char role[DB_ROLE_MAX];
	char nip[RECORD_NIP_MAX]; /* "" when the token has none */
};

/*
 * A kiosk's activity entry (a record of kind "activity") as the collector
 * keeps it beside the record: the payload's fields, and its review state.
 */
struct db_activity {
	int64_t id; /* the collector's name of the entry */
	int64_t device_id;
	char device[DB_NAME_MAX];
	uint64_t seq; /* of the record it came in */
	char nip[RECORD_NIP_MAX];
	struct activity act;	    /* all "" / 0 when the payload did not parse */
	int minutes;		    /* end - start */
	char status[DB_STATUS_MAX]; /* see above */
	char reason[DB_REVIEW_MAX]; /* why refused or invalid; "" otherwise */
	char reviewer_nip[RECORD_NIP_MAX];
	char comment[DB_REVIEW_MAX]; /* reviewer's, "" when none */
	int64_t reviewed_usec;	     /* 0 until reviewed */
	int64_t superseded_by;	     /* id of the entry replacing it, 0 when current */
	bool is_supersedes_missing;  /* act.supersedes > 0 names a record not stored (yet) */
	int64_t received_usec;	     /* CLOCK_REALTIME at ingest */
	/* The person, from the staff table ("" when the NIP is unknown). */
	char name[DB_TEXT_MAX];
	char unit_id[DB_UNIT_ID_MAX];
	char supervisor_nip[RECORD_NIP_MAX];
};

struct db_activity_query {
	const char *nip;	    /* NULL: everyone */
	const char *from_date;	    /* "YYYY-MM-DD", inclusive; NULL: open */
	const char *to_date;	    /* inclusive; NULL: open */
	const char *status;	    /* NULL: any */
	const char *unit_id;	    /* NULL: any */
	const char *supervisor_nip; /* non-NULL: only staff with this supervisor */
	bool has_history;	    /* also superseded entries and withdrawals */
};

/* A plan item (RHK) of one person. */
struct db_plan {
	char nip[RECORD_NIP_MAX];
	char code[ACTIVITY_PLAN_MAX];
	char title[DB_REVIEW_MAX];
};

/*
 * A fingerprint template at rest: sealed (AES-256-GCM, server/vault.c),
 * never plaintext here. idx is the person's template number, 0..9.
 */
#define DB_TEMPLATE_SEALED_MAX (4096 + CRYPTO_AEAD_TAG_LEN)
struct db_template {
	char nip[RECORD_NIP_MAX];
	int64_t idx;
	uint8_t nonce[CRYPTO_AEAD_NONCE_LEN];
	uint8_t sealed[DB_TEMPLATE_SEALED_MAX]; /* ciphertext and tag */
	size_t sealed_len;
	int64_t device_id;    /* the kiosk it was enrolled at */
	int64_t created_usec; /* CLOCK_REALTIME */
};

/* An enrolment the collector asked a kiosk to run (`fingerprint enroll --device`). */
#define DB_REQUEST_STATE_MAX 16
struct db_enroll_request {
	int64_t id;
	char device[DB_NAME_MAX];
	char nip[RECORD_NIP_MAX];
	char state[DB_REQUEST_STATE_MAX]; /* "pending", "done", "failed" */
	char reason[DB_ALERT_MAX];	  /* why it failed, "" otherwise */
	int64_t created_usec;
	int64_t finished_usec; /* 0 while pending */
};

/* A kiosk's last sync and the health it last reported, for the device overview. */
struct db_device_health {
	struct db_device dev;
	bool has_sync;		/* it ever had a push accepted */
	int64_t last_sync_usec; /* CLOCK_REALTIME of its last accepted push */
	bool has_health;	/* it ever reported health (kiosks before it do not) */
	int64_t health_usec;	/* CLOCK_REALTIME when that health came */
	struct record_health health;
	int64_t alerts; /* its tamper alerts */
};

/* Callbacks for listings; a negative return stops the walk and is returned. */
typedef int db_activity_fn(const struct db_activity *act, void *user);
typedef int db_plan_fn(const struct db_plan *plan, void *user);
typedef int db_device_fn(const struct db_device *dev, void *user);
typedef int db_record_fn(const struct record *rec, void *user);
typedef int db_tap_fn(const struct db_tap *tap, void *user);
typedef int db_alert_fn(const struct db_alert *alert, void *user);
typedef int db_unit_fn(const struct db_unit *unit, void *user);
typedef int db_staff_fn(const struct db_staff *staff, void *user);
typedef int db_schedule_fn(const struct db_schedule *sched, void *user);
typedef int db_holiday_fn(const struct db_holiday *holiday, void *user);
typedef int db_leave_fn(const struct db_leave *leave, void *user);
/* A unit a table still refers to although it is not (or no longer) defined. */
typedef int db_missing_unit_fn(const char *table, const char *unit_id, int64_t rows, void *user);
typedef int db_template_fn(const struct db_template *t, void *user);
typedef int db_enroll_request_fn(const struct db_enroll_request *req, void *user);
typedef int db_device_health_fn(const struct db_device_health *dh, void *user);

/* Discipline reports (db_sqlite_report.c). */
struct db_tap_range {
	const char *unit_id; /* NULL: staff of every unit */
	const char *nip;     /* NULL: everyone; else this person only */
	int64_t from_usec;   /* corrected (else recorded) time >= from */
	int64_t to_usec;     /* and < to */
};
typedef int db_accepted_fn(const char *nip, int64_t usec, const char *direction, void *user);
typedef int db_unit_since_fn(const char *unit_id, int64_t usec, void *user);
typedef int db_unit_count_fn(const char *unit_id, int64_t n, void *user);

struct db;
struct db_account_ops;

struct db_ops {
	const char *name;
	void (*close)(struct db *db);
	void (*set_lock_wait)(struct db *db, int64_t ms);

	int (*begin)(struct db *db);
	int (*commit)(struct db *db);
	void (*rollback)(struct db *db);
	int (*savepoint)(struct db *db);
	int (*release)(struct db *db);
	void (*rollback_to)(struct db *db);

	int (*admin_token_add)(struct db *db, const char *token_hash, const char *role,
			       const char *nip, int64_t now_usec);

	int (*device_add)(struct db *db, const char *name, const char *token_hash, int64_t now_usec,
			  int64_t expires_usec);
	int (*device_list)(struct db *db, db_device_fn *fn, void *user);
	int (*device_disable)(struct db *db, const char *name);
	int (*device_by_token)(struct db *db, const char *token_hash, int64_t now_usec,
			       struct db_device *ret_dev);
	int (*device_enroll)(struct db *db, const char *token_hash, int64_t now_usec,
			     const struct crypto_cert_info *cert, const char *cert_pem);
	int (*device_by_fingerprint)(struct db *db, const char *fingerprint_hex,
				     struct db_device *ret_dev);
	int (*device_set_acked)(struct db *db, int64_t device_id, uint64_t seq);

	int (*record_chain)(struct db *db, int64_t device_id, uint64_t seq,
			    uint8_t ret_prev[CRYPTO_SHA256_LEN],
			    uint8_t ret_link[CRYPTO_SHA256_LEN]);
	int (*record_max_seq)(struct db *db, int64_t device_id, uint64_t *ret_seq);
	int (*record_insert)(struct db *db, int64_t device_id, const struct record *rec,
			     const struct db_record_meta *meta);
	int (*boot_anchor_put)(struct db *db, int64_t device_id, const char *boot_id,
			       int64_t offset_usec, int64_t rtt_usec);
	int (*boot_offset)(struct db *db, int64_t device_id, const char *boot_id,
			   int64_t *ret_offset_usec);
	int (*boot_correct)(struct db *db, int64_t device_id, const char *boot_id,
			    int64_t offset_usec);
	int (*alert_add)(struct db *db, int64_t device_id, uint64_t seq, const char *kind,
			 const char *detail, int64_t now_usec);
	int (*taps)(struct db *db, const struct db_tap_query *q, db_tap_fn *fn, void *user);
	int (*alerts)(struct db *db, db_alert_fn *fn, void *user);

	int (*units_clear)(struct db *db);
	int (*unit_put)(struct db *db, const struct db_unit *unit);
	int (*units)(struct db *db, const struct db_org_query *q, db_unit_fn *fn, void *user);
	int (*units_missing)(struct db *db, db_missing_unit_fn *fn, void *user);
	int (*staff_clear)(struct db *db);
	int (*staff_put)(struct db *db, const struct db_staff *staff);
	int (*staff_get)(struct db *db, const char *nip, struct db_staff *ret_staff);
	int (*card_put)(struct db *db, const char *card, const char *nip, char *ret_owner);
	int (*finger_put)(struct db *db, int32_t finger, const char *nip, char *ret_owner);
	int (*staff)(struct db *db, const struct db_org_query *q, db_staff_fn *fn, void *user);
	int (*schedules_clear)(struct db *db, const char *unit_id);
	int (*schedule_put)(struct db *db, const struct db_schedule *sched);
	int (*schedules)(struct db *db, const struct db_org_query *q, db_schedule_fn *fn,
			 void *user);
	int (*holidays_clear)(struct db *db, int year);
	int (*holiday_put)(struct db *db, const struct db_holiday *holiday);
	int (*holidays)(struct db *db, const struct db_org_query *q, db_holiday_fn *fn, void *user);
	int (*leave_clear)(struct db *db, int year);
	int (*leave_put)(struct db *db, const struct db_leave *leave);
	int (*leave)(struct db *db, const struct db_org_query *q, db_leave_fn *fn, void *user);
	int (*device_units_set)(struct db *db, int64_t device_id, const char *const *unit_ids,
				size_t n);
	int (*device_units)(struct db *db, int64_t device_id, db_unit_fn *fn, void *user);
	int (*roster_state)(struct db *db, struct db_roster_state *ret_state);
	int (*roster_bump)(struct db *db, int64_t now_usec, bool has_staff);
	int (*device_internal)(struct db *db, const char *name, int64_t now_usec,
			       int64_t *ret_device_id);
	int (*tap_import)(struct db *db, int64_t device_id, uint64_t seq, const char *nip,
			  int64_t usec, int64_t now_usec);
	int (*activity_insert)(struct db *db, const struct db_activity *act, int64_t *ret_id);
	int (*activity_get)(struct db *db, int64_t id, int64_t device_id, uint64_t seq,
			    struct db_activity *ret_act);
	int (*activity_superseders)(struct db *db, int64_t device_id, uint64_t seq,
				    db_activity_fn *fn, void *user);
	int (*activity_set_superseded)(struct db *db, int64_t id, int64_t by_id);
	int (*activity_set_status)(struct db *db, int64_t id, const char *status,
				   const char *reason, const char *reviewer_nip, int64_t now_usec);
	int (*activities)(struct db *db, const struct db_activity_query *q, db_activity_fn *fn,
			  void *user);
	int (*plans_clear)(struct db *db);
	int (*plan_put)(struct db *db, const struct db_plan *plan);
	int (*plans)(struct db *db, const char *nip, db_plan_fn *fn, void *user);
	int (*accepted_taps)(struct db *db, const struct db_tap_range *q, db_accepted_fn *fn,
			     void *user);
	int (*unit_first_taps)(struct db *db, const char *unit_id, int64_t since_usec,
			       db_unit_since_fn *fn, void *user);
	int (*staff_brief)(struct db *db, const char *unit_id, db_staff_fn *fn, void *user);
	int (*record_last)(struct db *db, int64_t *ret_id);
	int (*record_units)(struct db *db, int64_t after_id, int64_t upto_id, db_unit_count_fn *fn,
			    void *user);
	int (*uncorrected_units)(struct db *db, db_unit_count_fn *fn, void *user);

	int (*template_list)(struct db *db, const char *nip, db_template_fn *fn, void *user);
	int (*template_put)(struct db *db, const struct db_template *t);
	int (*template_delete)(struct db *db, const char *nip, int64_t idx);
	int (*template_forget_absent)(struct db *db);
	int (*enroll_request_add)(struct db *db, int64_t device_id, const char *nip,
				  int64_t now_usec, int64_t *ret_id);
	int (*enroll_request_list)(struct db *db, int64_t device_id, db_enroll_request_fn *fn,
				   void *user);
	int (*enroll_request_finish)(struct db *db, int64_t id, int64_t device_id,
				     const char *state, const char *reason, int64_t now_usec);
	int (*device_sync)(struct db *db, int64_t device_id, int64_t now_usec,
			   const struct record_health *health);
	int (*device_health)(struct db *db, db_device_health_fn *fn, void *user);
	int (*device_cert)(struct db *db, int64_t device_id, char **ret_pem);
	int (*device_set_head)(struct db *db, int64_t device_id, const struct record_head *head);
	int (*device_head)(struct db *db, int64_t device_id, struct record_head *ret_head);
	int (*device_records)(struct db *db, int64_t device_id, db_record_fn *fn, void *user);

	const struct db_account_ops *account; /* users, sessions, audit log: db_account.h */
};

/* Every backend's handle starts with this. */
struct db {
	const struct db_ops *ops;
};

/* Open the configured backend, creating and migrating its schema. Free with ::db_close. */
int db_open(const struct config *cfg, struct db **ret_db) MUST_CHECK;
int db_sqlite_open(const char *path, struct db **ret_db) MUST_CHECK;
void db_close(struct db *db);
/*
 * How long a write waits for another connection's (another process's) write
 * lock before it fails with -EBUSY; 5 s unless set. The event loop's
 * connection sets it short: a long import elsewhere must make its pushes fail
 * fast (503, resent by the kiosk) rather than stop the whole loop.
 */
#define DB_LOCK_WAIT_MS 5000
void db_set_lock_wait(struct db *db, int64_t ms);

/* True for a valid device name: 1..64 of [A-Za-z0-9._-]. */
bool db_name_ok(const char *name);

int db_begin(struct db *db) MUST_CHECK;
int db_commit(struct db *db) MUST_CHECK;
void db_rollback(struct db *db);
/*
 * A nested unit of work: inside a transaction it can be undone alone
 * (db_rollback_to); outside one, db_release commits it.
 */
int db_savepoint(struct db *db) MUST_CHECK;
int db_release(struct db *db) MUST_CHECK;
void db_rollback_to(struct db *db);

/* Store an admin token's hash with a role, and the holder's NIP (or NULL). */
int db_admin_token_add(struct db *db, const char *token_hash, const char *role, const char *nip,
		       int64_t now_usec) MUST_CHECK;
/* (A token's role and scope, as requests are judged by it: db_token_get(), db_account.h.) */

/*
 * A new device waiting for enrolment with a one-time token (its hash) valid
 * until expires_usec; -EEXIST when the name is taken, -EINVAL for a bad name.
 */
int db_device_add(struct db *db, const char *name, const char *token_hash, int64_t now_usec,
		  int64_t expires_usec) MUST_CHECK;
int db_device_list(struct db *db, db_device_fn *fn, void *user) MUST_CHECK;
/* -ENOENT when there is no such device. */
int db_device_disable(struct db *db, const char *name) MUST_CHECK;
/* The device an unused, unexpired enrolment token belongs to; -ENOENT otherwise. */
int db_device_by_token(struct db *db, const char *token_hash, int64_t now_usec,
		       struct db_device *ret_dev) MUST_CHECK;
/*
 * Spend the token and bind the certificate (its facts and its PEM, which
 * verifies the device's signed chain heads; NULL keeps none) to its device, atomically;
 * -ENOENT when the token was used, expired or unknown meanwhile.
 */
int db_device_enroll(struct db *db, const char *token_hash, int64_t now_usec,
		     const struct crypto_cert_info *cert, const char *cert_pem) MUST_CHECK;
/* The device holding a certificate (by SHA-256 fingerprint, hex); -ENOENT when none. */
int db_device_by_fingerprint(struct db *db, const char *fingerprint_hex,
			     struct db_device *ret_dev) MUST_CHECK;
int db_device_set_acked(struct db *db, int64_t device_id, uint64_t seq) MUST_CHECK;

/* The stored prev and link of (device, seq); -ENOENT when not stored. */
int db_record_chain(struct db *db, int64_t device_id, uint64_t seq,
		    uint8_t ret_prev[CRYPTO_SHA256_LEN],
		    uint8_t ret_link[CRYPTO_SHA256_LEN]) MUST_CHECK;
/* The highest seq stored for the device (0 when none). */
int db_record_max_seq(struct db *db, int64_t device_id, uint64_t *ret_seq) MUST_CHECK;
/* Store a record; -EEXIST when (device, seq) is already there. */
int db_record_insert(struct db *db, int64_t device_id, const struct record *rec,
		     const struct db_record_meta *meta) MUST_CHECK;
/* A kiosk measured this collector's time at a boot time: true = boot_usec + offset. */
int db_boot_anchor_put(struct db *db, int64_t device_id, const char *boot_id, int64_t offset_usec,
		       int64_t rtt_usec) MUST_CHECK;
/*
 * true - boot time for a boot: from its anchor, else a clock-trusted record
 * of that boot; -ENOENT when neither exists yet.
 */
int db_boot_offset(struct db *db, int64_t device_id, const char *boot_id,
		   int64_t *ret_offset_usec) MUST_CHECK;
/* Give the boot's records that lack a corrected time boot_usec + offset. Returns the count. */
int db_boot_correct(struct db *db, int64_t device_id, const char *boot_id,
		    int64_t offset_usec) MUST_CHECK;
/* Raise a tamper alert; returns 1 when new, 0 when the same (device, seq, kind) exists. */
int db_alert_add(struct db *db, int64_t device_id, uint64_t seq, const char *kind,
		 const char *detail, int64_t now_usec) MUST_CHECK;
/* Taps (kind "tap") matching q, ordered by time then device and seq. */
int db_taps(struct db *db, const struct db_tap_query *q, db_tap_fn *fn, void *user) MUST_CHECK;
/* Every tamper alert, oldest first. */
int db_alerts(struct db *db, db_alert_fn *fn, void *user) MUST_CHECK;

/*
 * Organisation data: units, staff with cards and finger ids, schedules,
 * holidays, leave, and which units a kiosk serves. The *_clear and *_put
 * calls work inside the caller's transaction (db_begin … db_commit), so an
 * import replaces a set in one step or not at all; validation is import.c's.
 * Listings order rows by their key (units by unit_id, staff by nip, holidays
 * by date, leave by nip then from) and schedules as they were put.
 */

/* Remove every unit (not what refers to them: see db_units_missing). */
int db_units_clear(struct db *db) MUST_CHECK;
/* -EEXIST when unit_id is there already. */
int db_unit_put(struct db *db, const struct db_unit *unit) MUST_CHECK;
int db_units(struct db *db, const struct db_org_query *q, db_unit_fn *fn, void *user) MUST_CHECK;
/* Each unit_id that staff, schedules or device assignments use but no unit defines. */
int db_units_missing(struct db *db, db_missing_unit_fn *fn, void *user) MUST_CHECK;

/* Remove every staff member with their cards and finger ids. */
int db_staff_clear(struct db *db) MUST_CHECK;
/* A staff member without credentials (cards, fingers ignored); -EEXIST for a known nip. */
int db_staff_put(struct db *db, const struct db_staff *staff) MUST_CHECK;
/* One staff member with credentials; -ENOENT when unknown. */
int db_staff_get(struct db *db, const char *nip, struct db_staff *ret_staff) MUST_CHECK;
/*
 * Give a card (normalised decimal) or a finger id to nip. Returns 0 (also
 * when nip has it already), or -EEXIST with the other holder's NIP in
 * ret_owner (RECORD_NIP_MAX bytes).
 */
int db_card_put(struct db *db, const char *card, const char *nip, char *ret_owner) MUST_CHECK;
int db_finger_put(struct db *db, int32_t finger, const char *nip, char *ret_owner) MUST_CHECK;
/* Staff with their credentials; q: device_id, unit_id. */
int db_staff(struct db *db, const struct db_org_query *q, db_staff_fn *fn, void *user) MUST_CHECK;

/* Remove the schedules of one unit, or of every unit when unit_id is NULL. */
int db_schedules_clear(struct db *db, const char *unit_id) MUST_CHECK;
/* -EEXIST when the unit has hours for that weekday and exact range already. */
int db_schedule_put(struct db *db, const struct db_schedule *sched) MUST_CHECK;
/* Schedules in the order they were put (a later row wins a tie, calendar.h); q: unit. */
int db_schedules(struct db *db, const struct db_org_query *q, db_schedule_fn *fn,
		 void *user) MUST_CHECK;

/* Remove the holidays of one year, or all when year is 0. */
int db_holidays_clear(struct db *db, int year) MUST_CHECK;
/* -EEXIST when the date is a holiday already. */
int db_holiday_put(struct db *db, const struct db_holiday *holiday) MUST_CHECK;
/* Holidays by date; q: from, to. */
int db_holidays(struct db *db, const struct db_org_query *q, db_holiday_fn *fn,
		void *user) MUST_CHECK;

/* Remove the leave records starting in one year, or all when year is 0. */
int db_leave_clear(struct db *db, int year) MUST_CHECK;
int db_leave_put(struct db *db, const struct db_leave *leave) MUST_CHECK;
/* Leave records; q: unit_id and device_id (of the person's unit), nip, from, to (overlap). */
int db_leave(struct db *db, const struct db_org_query *q, db_leave_fn *fn, void *user) MUST_CHECK;

/* Assign a device to exactly these units (none: unassigned), in one transaction. */
int db_device_units_set(struct db *db, int64_t device_id, const char *const *unit_ids,
			size_t n) MUST_CHECK;
/* The units assigned to a device, by unit_id (only unit_id is filled if undefined). */
int db_device_units(struct db *db, int64_t device_id, db_unit_fn *fn, void *user) MUST_CHECK;

int db_roster_state(struct db *db, struct db_roster_state *ret_state) MUST_CHECK;
/*
 * A change to roster data (inside the change's transaction): the version goes
 * up by one; has_staff marks that staff were imported.
 */
int db_roster_bump(struct db *db, int64_t now_usec, bool has_staff) MUST_CHECK;

/*
 * The id of a device that is no kiosk (e.g. "(import)" for imported taps),
 * created disabled on first use so no certificate can ever act as it.
 */
int db_device_internal(struct db *db, const char *name, int64_t now_usec,
		       int64_t *ret_device_id) MUST_CHECK;
/*
 * Store an imported accepted tap of nip at usec as record seq of device_id,
 * unless that device holds a tap of nip at usec already. Returns 1 when
 * stored, 0 when it was there.
 */
int db_tap_import(struct db *db, int64_t device_id, uint64_t seq, const char *nip, int64_t usec,
		  int64_t now_usec) MUST_CHECK;
/* Store an activity entry (id, device name, staff fields ignored); -EEXIST for (device, seq). */
int db_activity_insert(struct db *db, const struct db_activity *act, int64_t *ret_id) MUST_CHECK;
/* One entry by id; -ENOENT when there is none. */
int db_activity_by_id(struct db *db, int64_t id, struct db_activity *ret_act) MUST_CHECK;
/* The entry of a device's record seq; -ENOENT when there is none. */
int db_activity_by_seq(struct db *db, int64_t device_id, uint64_t seq,
		       struct db_activity *ret_act) MUST_CHECK;
/* Entries of device whose payload supersedes seq, by ascending seq. */
int db_activity_superseders(struct db *db, int64_t device_id, uint64_t seq, db_activity_fn *fn,
			    void *user) MUST_CHECK;
/* Mark entry id replaced by entry by_id. */
int db_activity_set_superseded(struct db *db, int64_t id, int64_t by_id) MUST_CHECK;
/*
 * Set an entry's status with a reason (refused, invalid) or a reviewer's
 * comment (approved, returned: reviewer_nip and now_usec recorded).
 */
int db_activity_set_status(struct db *db, int64_t id, const char *status, const char *reason,
			   const char *reviewer_nip, int64_t now_usec) MUST_CHECK;
/* Entries matching q, by date, NIP, device and seq. */
int db_activities(struct db *db, const struct db_activity_query *q, db_activity_fn *fn,
		  void *user) MUST_CHECK;
/* Remove every plan item (in the caller's transaction, as an import does). */
int db_plans_clear(struct db *db) MUST_CHECK;
/* -EEXIST when nip has that code already. */
int db_plan_put(struct db *db, const struct db_plan *plan) MUST_CHECK;
/* The plan items of nip (every person's when NULL), by NIP and code. */
int db_plans(struct db *db, const char *nip, db_plan_fn *fn, void *user) MUST_CHECK;

/*
 * Accepted taps (kind "tap", outcome "accepted") of q's range by their
 * corrected time, else their recorded time, as one stream ordered by nip (one
 * person's taps in no particular order); direction is "", "in" or "out". With q->unit_id, taps of
 * that unit's staff only; with q->nip, of that person only.
 */
int db_accepted_taps(struct db *db, const struct db_tap_range *q, db_accepted_fn *fn,
		     void *user) MUST_CHECK;
/*
 * For each unit (or unit_id only), the recorded time of the first record (a
 * tap or an activity) by any of its staff at or after since_usec; units
 * without one are skipped.
 */
int db_unit_first_taps(struct db *db, const char *unit_id, int64_t since_usec, db_unit_since_fn *fn,
		       void *user) MUST_CHECK;
/*
 * Staff of one unit (NULL: all) by nip, without cards and fingers (n_cards,
 * n_fingers 0): what a report over 100,000 people needs, at a fraction of
 * db_staff()'s cost.
 */
int db_staff_brief(struct db *db, const char *unit_id, db_staff_fn *fn, void *user) MUST_CHECK;

/*
 * What changed in the records since an earlier look (server/overview.c's
 * cache): records only ever get larger ids, so a reader that remembers the
 * newest id it saw finds the later ones by id, whichever process stored them.
 */

/* The newest record's id; 0 when there is none. */
int db_record_last(struct db *db, int64_t *ret_id) MUST_CHECK;
/* The units of the staff behind records with ids in (after_id, upto_id], with how many each. */
int db_record_units(struct db *db, int64_t after_id, int64_t upto_id, db_unit_count_fn *fn,
		    void *user) MUST_CHECK;
/*
 * Per unit, how many of its staff's records still wait for a corrected time
 * (a kiosk's clock not yet trusted): when that count drops, earlier records
 * got their time corrected. Units without such records are not listed.
 */
int db_uncorrected_units(struct db *db, db_unit_count_fn *fn, void *user) MUST_CHECK;

/* Fingerprint templates, sealed (server/vault.h), and enrolments asked of kiosks. */

/* Templates of nip (every template when nip is NULL), by nip then idx. */
int db_template_list(struct db *db, const char *nip, db_template_fn *fn, void *user) MUST_CHECK;
/* Store t, replacing what (t->nip, t->idx) held. */
int db_template_put(struct db *db, const struct db_template *t) MUST_CHECK;
/* -ENOENT when (nip, idx) holds nothing. */
int db_template_delete(struct db *db, const char *nip, int64_t idx) MUST_CHECK;
/*
 * Delete the templates of everyone no longer in the staff table (inside the
 * staff import's transaction: biometrics of people who left are not kept).
 * Returns how many were deleted.
 */
int db_template_forget_absent(struct db *db) MUST_CHECK;

/* A pending enrolment of nip at the device; its id in ret_id. */
int db_enroll_request_add(struct db *db, int64_t device_id, const char *nip, int64_t now_usec,
			  int64_t *ret_id) MUST_CHECK;
/* The requests of device_id still pending, oldest first; device_id 0: all requests, any state. */
int db_enroll_request_list(struct db *db, int64_t device_id, db_enroll_request_fn *fn,
			   void *user) MUST_CHECK;
/*
 * The device reports request id "done" or "failed" (reason). -ENOENT when it
 * is not that device's pending request (unknown, another kiosk's, or already
 * finished: a resent report changes nothing).
 */
int db_enroll_request_finish(struct db *db, int64_t id, int64_t device_id, const char *state,
			     const char *reason, int64_t now_usec) MUST_CHECK;

/* Kiosk health (the device overview). */

/*
 * A push of device_id was accepted at now_usec: its last sync, and the
 * health it reported (NULL: none, the last one stays). In the caller's
 * transaction, so it is stored with the batch or not at all.
 */
int db_device_sync(struct db *db, int64_t device_id, int64_t now_usec,
		   const struct record_health *health) MUST_CHECK;
/* Every device with its last sync, health and tamper alert count, by name. */
int db_device_health(struct db *db, db_device_health_fn *fn, void *user) MUST_CHECK;

/*
 * Signed chain heads (record.h's record_head): the certificate bound at
 * enrolment, which verifies them, and the latest head verified.
 */
/* The device's certificate, PEM, into *ret_pem (free it); -ENOENT when none was kept. */
int db_device_cert(struct db *db, int64_t device_id, char **ret_pem) MUST_CHECK;
/* Keep head as the device's latest verified head, unless one of a later seq is kept. */
int db_device_set_head(struct db *db, int64_t device_id, const struct record_head *head) MUST_CHECK;
/* The latest verified head; -ENOENT when none. */
int db_device_head(struct db *db, int64_t device_id, struct record_head *ret_head) MUST_CHECK;
/* The device's stored records by seq, their fields as the kiosk sent them. */
int db_device_records(struct db *db, int64_t device_id, db_record_fn *fn, void *user) MUST_CHECK;

#endif
