/* SPDX-License-Identifier: MIT */
/*
 * The kiosk screen's application: sessions and the JSON API, without any
 * sockets (firmware/ui.c carries the HTTP). A session opens when a person's
 * tap is accepted and ends after an idle time, at the next tap, or when the
 * screen says so; its token, a random value handed to the screen with the
 * state, must accompany every request that reads or writes the person's
 * entries, so a page left open cannot write for whoever taps next.
 *
 * Routes (JSON; errors are {"error": key, "message": English text}):
 *   GET  /api/state                 office, time, last taps, last tap event, session
 *   GET  /api/plans                 the session person's plan items        (token)
 *   GET  /api/activities            their standing entries of today        (token)
 *   POST /api/activities            a new entry, a correction (supersedes) or a
 *                                   withdrawal (supersedes + withdrawn)    (token)
 *   POST /api/session/touch         the person is still there              (token)
 *   POST /api/session/end           the person is done                     (token)
 * The token travels as "Authorization: Bearer TOKEN".
 */
#ifndef HADIR_FIRMWARE_SCREEN_H
#define HADIR_FIRMWARE_SCREEN_H

#include <stdbool.h>
#include <stdint.h>

#include "common/err.h"
#include "common/http.h"
#include "firmware/tap.h"

struct store;
struct tz;
struct screen;

struct screen_config {
	const char *office;	       /* shown on the idle screen */
	const char *lang;	       /* "id" or "en": the screen's first language */
	int64_t session_idle_usec;     /* a session without requests ends after this */
	const struct tz *tz;	       /* the office's zone: dates and times, entry dates */
	const struct tap_clock *clock; /* times of entries and of sessions (boot time) */
	const char *boot_id;
};

struct screen_reply {
	int status;
	char *body;	  /* JSON; free() it */
	bool is_changed;  /* the state screens show changed: push it to them */
	bool is_recorded; /* a record was appended: push it to the collector */
};

/* st and everything cfg points to must outlive the screen. Free with screen_free(). */
int screen_new(struct store *st, const struct screen_config *cfg,
	       struct screen **ret_screen) MUST_CHECK;
void screen_free(struct screen *sc);

/*
 * A tap the tap path answered (and recorded) at wall_usec (CLOCK_REALTIME):
 * a greeting, and a session opened or ended.
 */
void screen_tap(struct screen *sc, const struct tap_result *res, int64_t wall_usec);

/* Microseconds until the session ends for idleness, or -1 without a session. */
int64_t screen_idle_left(const struct screen *sc);

/* End the session if it has been idle for too long; true when it ended. */
bool screen_expire(struct screen *sc);

/* The state as GET /api/state answers it; free() it. NULL when out of memory. */
char *screen_state(struct screen *sc);

/* Answer an API request (a path under /api/). Always fills ret. */
void screen_request(struct screen *sc, const struct http_request *req, struct screen_reply *ret);

#endif
