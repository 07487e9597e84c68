/* SPDX-License-Identifier: MIT */
/*
 * Fingerprint templates shared between the kiosks of a unit, through the
 * collector. Two halves that meet only in the kiosk database (store.h
 * "fingerprint templates"):
 *
 * The loop half (struct templates, run by fingers.c in the event loop, the
 * only thread that touches the module's UART):
 *   - after an enrolment, uploads the new template (UpChar), marks the page
 *     shared under the template's SHA-256 and queues it for the collector;
 *   - after a delete at this kiosk, queues the deletion of a shared one;
 *   - runs the module work the sync process queued: download a template to a
 *     free page of this module (pages differ between kiosks: the page is
 *     mapped to the person as enrolment maps it), delete one the collector
 *     no longer lists, run an enrolment the collector asked for. Work waits
 *     while the module is busy (a touch, an admin's enrolment); a module
 *     failure leaves it queued for later.
 *
 * The sync half (templates_push, templates_from_roster, called by sync.c on
 * its own thread and store connection, never on the tap path):
 *   - POSTs the queued bodies to /api/v1/templates (api_templates.h), oldest
 *     first, each until the collector takes or refuses it;
 *   - reads "templates" and "enroll" from a roster reply and queues the
 *     module work that makes this module agree with it.
 * Template bytes are never logged.
 */
#ifndef HADIR_FIRMWARE_TEMPLATES_H
#define HADIR_FIRMWARE_TEMPLATES_H

#include <stddef.h>
#include <stdint.h>

#include "common/err.h"

struct fpm;
struct hc;
struct json_t;
struct loop;
struct store;
struct templates;

/* Start the enrolment of nip the collector asked for (request id); < 0 when it cannot start. */
typedef int templates_enroll_fn(void *user, const char *nip, int64_t request, const char **ret_why);
/* The template outbox has something for the collector. */
typedef void templates_kick_fn(void *user);
/* templates_share finished (shared or not): the caller may answer its client. */
typedef void templates_shared_fn(void *user);

struct templates_deps {
	struct loop *loop;
	struct store *store;
	struct fpm *fpm;
	templates_enroll_fn *enroll;
	templates_kick_fn *kick;
	void *user;
};

int templates_new(const struct templates_deps *deps, struct templates **ret_t) MUST_CHECK;
void templates_free(struct templates *t);

/* The sync process queued work: look at it soon. Safe from any thread, never blocks. */
void templates_wake(struct templates *t);

/*
 * nip was just enrolled on page (request: the collector's request id, or 0):
 * upload and share the template, then call done(user) (even when sharing
 * failed: the finger works on this kiosk regardless). The module must be idle.
 */
void templates_share(struct templates *t, const char *nip, unsigned page, int64_t request,
		     templates_shared_fn *done, void *user);

/* The enrolment the collector asked for (request) failed: report why, and go on with the work. */
void templates_enroll_failed(struct templates *t, const char *nip, int64_t request,
			     const char *reason);

/*
 * Page was deleted from the module at this kiosk (before the store forgets
 * it): if it was shared, tell the collector, so the other kiosks delete it.
 */
void templates_finger_deleted(struct templates *t, const char *nip, unsigned page);

/* --- sync process (templates_sync.c) --- */

/*
 * Push the template outbox. 0 when it is empty, a negative errno when the
 * collector could not be reached or failed (why filled; resend later). A
 * template the collector refuses for good (4xx) is dropped from the outbox
 * and stays on this kiosk, unshared.
 */
int templates_push(struct store *st, struct hc *hc, const char *base_url, char *why,
		   size_t why_len) MUST_CHECK;

/*
 * After a roster from the collector was stored: queue the enrolments it asks
 * of this kiosk and the downloads and deletions that make the module hold
 * exactly the listed templates of shared fingers. A roster without any
 * "templates" member (a collector that does not share them) deletes
 * nothing. ret_queued: new work items (wake the loop when > 0).
 */
int templates_from_roster(struct store *st, const struct json_t *root,
			  unsigned *ret_queued) MUST_CHECK;

#endif
