/* SPDX-License-Identifier: MIT */
/*
 * Activity entries (e-Kinerja daily log): the payload of a record of kind
 * "activity", and the only code that reads or writes it. The kiosk encodes
 * what the screen posts, the collector parses what it ingests; both apply the
 * same rules, so an entry refused at one end is refused at the other.
 *
 * Payload (compact JSON, at most RECORD_PAYLOAD_MAX - 1 bytes):
 *   {"v":1,"date":"YYYY-MM-DD","plan":"RHK-1" or "","description":"...",
 *    "quantity":3,"unit":"dokumen","start":"08:00","end":"10:30",
 *    "supersedes":0,"withdrawn":false}
 * Rules (activity_validate):
 * - date a real calendar date; start and end "HH:MM", start before end.
 * - description 1..500 characters of UTF-8 after trimming, no control
 *   characters; or "" when plan is set (the plan's title stands for it).
 * - plan "" or up to 32 characters, no control characters or spaces at its ends.
 * - quantity 1..9999; unit 1..32 characters after trimming, no control characters.
 * - supersedes 0 for a new entry, else the seq of the entry it replaces;
 *   withdrawn needs supersedes > 0. A withdrawal carries the withdrawn entry's
 *   fields, so it is valid on the same rules.
 * Which records an entry may supersede depends on the chain around it, which
 * this module does not see: activity_may_supersede() decides it from the two
 * entries the caller looked up.
 *
 * Pure: no I/O, no logging. Errors are codes, so each side words them for its
 * audience: activity_error_key() for the screen's translations and API
 * clients, activity_strerror() for English logs and 4xx bodies.
 */
#ifndef HADIR_COMMON_ACTIVITY_H
#define HADIR_COMMON_ACTIVITY_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "common/err.h"
#include "common/tz.h"

#define ACTIVITY_VERSION	   1
#define ACTIVITY_DESCRIPTION_CHARS 500
#define ACTIVITY_PLAN_CHARS	   32
#define ACTIVITY_UNIT_CHARS	   32
#define ACTIVITY_QUANTITY_MAX	   9999
/* Byte sizes: up to 4 bytes of UTF-8 per character, and the NUL. */
#define ACTIVITY_DESCRIPTION_MAX (4 * ACTIVITY_DESCRIPTION_CHARS + 1)
#define ACTIVITY_PLAN_MAX	 (4 * ACTIVITY_PLAN_CHARS + 1)
#define ACTIVITY_UNIT_MAX	 (4 * ACTIVITY_UNIT_CHARS + 1)
#define ACTIVITY_CLOCK_MAX	 6 /* "HH:MM" and NUL */

struct activity {
	char date[TZ_DATE_MAX];			    /* kiosk-local working day, "YYYY-MM-DD" */
	char plan[ACTIVITY_PLAN_MAX];		    /* plan item (RHK) code, or "" */
	char description[ACTIVITY_DESCRIPTION_MAX]; /* uraian kegiatan, or "" with a plan */
	int quantity;				    /* output, 1..9999 */
	char unit[ACTIVITY_UNIT_MAX];		    /* of the output: "dokumen", "jam" */
	char start[ACTIVITY_CLOCK_MAX];		    /* local "HH:MM" */
	char end[ACTIVITY_CLOCK_MAX];		    /* local "HH:MM", after start */
	uint64_t supersedes;			    /* seq of the replaced entry, or 0 */
	bool withdrawn;				    /* removes the superseded entry */
};

enum activity_error {
	ACTIVITY_OK = 0,
	ACTIVITY_ERR_MALFORMED,		/* not JSON, wrong types, missing or unknown keys */
	ACTIVITY_ERR_VERSION,		/* "v" is not ACTIVITY_VERSION */
	ACTIVITY_ERR_TOO_BIG,		/* payload larger than a record holds */
	ACTIVITY_ERR_DATE,		/* not a real "YYYY-MM-DD" */
	ACTIVITY_ERR_PLAN,		/* plan code too long or with bad characters */
	ACTIVITY_ERR_DESCRIPTION_EMPTY, /* empty description and no plan */
	ACTIVITY_ERR_DESCRIPTION_LONG,	/* more than 500 characters */
	ACTIVITY_ERR_DESCRIPTION_CHARS, /* control characters or invalid UTF-8 */
	ACTIVITY_ERR_QUANTITY,		/* not 1..9999 */
	ACTIVITY_ERR_UNIT,		/* empty, too long or bad characters */
	ACTIVITY_ERR_TIME,		/* start or end not "HH:MM" */
	ACTIVITY_ERR_ORDER,		/* start not before end */
	ACTIVITY_ERR_SUPERSEDES,	/* bad seq, or an entry it may not replace */
	ACTIVITY_ERR_WITHDRAWN,		/* withdrawn without supersedes */
};

/* Whether code is a valid plan code, and title a valid plan title (1..500 characters, as a
 * description). */
bool activity_plan_ok(const char *code);
bool activity_title_ok(const char *title);

/* A stable snake_case name of an error ("start_after_end"), for translations and API clients. */
const char *activity_error_key(enum activity_error err);

/* An English sentence for an error, for logs and 4xx replies. */
const char *activity_strerror(enum activity_error err);

/*
 * Trim leading and trailing white space of a->description and a->unit in
 * place, then check every rule above. Returns 0, or -EINVAL with the first
 * broken rule in *ret_err.
 */
int activity_validate(struct activity *a, enum activity_error *ret_err) MUST_CHECK;

/*
 * Validate a (trimming it, as activity_validate) and write its payload into
 * buf[cap]. Returns the payload's length, -EINVAL for a rule broken, -E2BIG
 * (ACTIVITY_ERR_TOO_BIG) when it does not fit in cap bytes with its NUL,
 * -ENOMEM; *ret_err says which.
 */
int activity_encode(struct activity *a, char *buf, size_t cap,
		    enum activity_error *ret_err) MUST_CHECK;

/*
 * Decode and validate a payload of len bytes (which may come from anywhere)
 * into ret_a. Returns 0, or -EBADMSG with the reason in *ret_err; ret_a is
 * written only on success.
 */
int activity_parse(const char *payload, size_t len, struct activity *ret_a,
		   enum activity_error *ret_err) MUST_CHECK;

/*
 * Decode an entry as a person or a client submits it (the kiosk screen's
 * POST, a collector API): the payload's keys without "v" and "date", each
 * optional (missing strings are "", a missing quantity 0), unknown keys,
 * wrong types and oversized strings refused. The rules are not applied yet:
 * the caller sets the date, completes a withdrawal from the entry it
 * withdraws, then validates (activity_encode does). Returns 0, or -EBADMSG
 * with the reason in *ret_err; ret_a is written only on success.
 */
int activity_parse_input(const char *body, size_t len, struct activity *ret_a,
			 enum activity_error *ret_err) MUST_CHECK;

/*
 * The supersede rule: whether next, to be record seq of nip, may replace old,
 * the record old_seq of old_nip on the same device, with next->supersedes ==
 * old_seq. Yes when old_seq is earlier, the person and date are the same and
 * old is not itself a withdrawal. Whether old was already superseded is the
 * caller's to check (it needs the chain). ACTIVITY_OK or ACTIVITY_ERR_SUPERSEDES.
 */
enum activity_error activity_may_supersede(const struct activity *next, const char *nip,
					   uint64_t seq, const struct activity *old,
					   const char *old_nip, uint64_t old_seq);

#endif
