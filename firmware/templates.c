// SPDX-License-Identifier: MIT
/*
 * Template sharing on the kiosk, loop half: drives the module through fpm.c
 * one operation at a time. The sync half (templates_sync.c, in the sync
 * process) speaks HTTP and JSON; the two share nothing but the database and
 * the wake-ups the sync process sends through the daemon.
 */
#include "firmware/templates.h"

#include <errno.h>
#include <inttypes.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/eventfd.h>
#include <unistd.h>

#include "common/crypto.h"
#include "common/log.h"
#include "firmware/fpm.h"
#include "firmware/loop.h"
#include "firmware/store.h"

#define RETRY_MIN_NS 100000000LL  /* module busy: look again after 100 ms */
#define RETRY_MAX_NS 5000000000LL /* ... doubling up to 5 s */

struct templates {
	struct templates_deps deps;
	int wake_fd;
	struct loop_source *wake_source;
	struct loop_timer *timer;
	int64_t retry_ns;
	bool is_working; /* a work item or a share runs on the module */

	struct store_template_work work; /* the item in flight */

	/* templates_share in flight */
	char nip[RECORD_NIP_MAX];
	int64_t request;
	templates_shared_fn *shared;
	void *shared_user;
};

/* --- loop half: outbox bodies --- */

/* Queue body (reference stolen) for the collector and kick the sync process. */
static void queue(struct templates *t, const char *sha_hex, json_t *body)
{
	char *text = body ? json_dumps(body, JSON_COMPACT) : NULL;
	int r = text ? store_template_outbox_add(t->deps.store, sha_hex, text) : -ENOMEM;

	if (r < 0)
		log_err("templates: cannot queue a report for the collector: %s", strerror(-r));
	else
		t->deps.kick(t->deps.user);
	free(text);
	json_decref(body);
}

static void report_failed(struct templates *t, const char *nip, int64_t request, const char *reason)
{
	log_warn("templates: enrolment of %s asked by the collector (request %" PRId64
		 ") failed: %s",
		 nip, request, reason);
	queue(t, "",
	      json_pack("{s:s,s:I,s:s}", "nip", nip, "request", (json_int_t)request, "failed",
			reason));
}

void templates_finger_deleted(struct templates *t, const char *nip, unsigned page)
{
	char sha[CRYPTO_SHA256_HEX];
	int r = store_finger_sha(t->deps.store, page, sha);

	if (r < 0)
		log_err("templates: page %u of %s: cannot read whether it is shared: %s", page, nip,
			strerror(-r));
	if (r <= 0)
		return;
	queue(t, sha, json_pack("{s:s,s:s,s:b}", "nip", nip, "sha256", sha, "deleted", 1));
}

/* --- loop half: module work --- */

static void run_next(struct templates *t);

static void retry_later(struct templates *t)
{
	loop_timer_in(t->timer, t->retry_ns);
	t->retry_ns = t->retry_ns * 2 > RETRY_MAX_NS ? RETRY_MAX_NS : t->retry_ns * 2;
}

/* An item is finished (done or given up): forget it and go on. */
static void work_done(struct templates *t, bool drop)
{
	int r = drop ? store_template_work_drop(t->deps.store, t->work.id) : 0;

	if (r < 0)
		log_err("templates: cannot drop finished work: %s", strerror(-r));
	t->is_working = false;
	t->retry_ns = RETRY_MIN_NS;
	run_next(t);
}

static void on_uploaded(void *user, const struct fpm_result *res)
{
	struct templates *t = user;
	uint8_t digest[CRYPTO_SHA256_LEN];
	char sha[CRYPTO_SHA256_HEX], *b64 = NULL, *text = NULL;
	json_t *body;
	int r = -EIO;

	if (res->outcome == FPM_DONE && res->template_len > 0) {
		crypto_sha256(res->template_data, res->template_len, digest);
		crypto_hex(digest, sha);
		r = crypto_base64_encode(res->template_data, res->template_len, &b64);
	}
	if (r == 0) {
		body = json_pack("{s:s,s:i,s:s,s:s}", "nip", t->nip, "page", (int)res->page,
				 "template", b64, "sha256", sha);
		if (body && t->request)
			json_object_set_new(body, "request", json_integer(t->request));
		text = body ? json_dumps(body, JSON_COMPACT) : NULL;
		json_decref(body);
		r = text ? store_finger_share(t->deps.store, res->page, sha, text) : -ENOMEM;
		free(text);
	}
	free(b64);
	if (r == 0) {
		log_info("templates: %s on page %u shared with the unit's kiosks", t->nip,
			 res->page);
		t->deps.kick(t->deps.user);
	} else {
		log_warn("templates: %s on page %u works here but is not shared: %s (%s)", t->nip,
			 res->page, fpm_outcome_name(res->outcome),
			 res->outcome == FPM_DONE ? strerror(-r) : res->reason);
		if (t->request)
			report_failed(t, t->nip, t->request, "template upload failed");
	}
	t->is_working = false;
	if (t->shared)
		t->shared(t->shared_user);
	run_next(t);
}

void templates_share(struct templates *t, const char *nip, unsigned page, int64_t request,
		     templates_shared_fn *done, void *user)
{
	int r;

	snprintf(t->nip, sizeof(t->nip), "%s", nip);
	t->request = request;
	t->shared = done;
	t->shared_user = user;
	r = fpm_upload(t->deps.fpm, (uint16_t)page, on_uploaded, t);
	if (r < 0) {
		struct fpm_result res = {
		    .outcome = FPM_BUSY, .reason = "busy", .page = (uint16_t)page};

		on_uploaded(t, &res);
		return;
	}
	t->is_working = true;
}

static void on_downloaded(void *user, const struct fpm_result *res)
{
	struct templates *t = user;
	int r;

	if (res->outcome == FPM_FAILED) {
		t->is_working = false;
		retry_later(t); /* the module is being reset: the download waits */
		return;
	}
	if (res->outcome != FPM_DONE) {
		log_warn("templates: template of %s not written to the module: %s (%s), dropped",
			 t->work.nip, fpm_outcome_name(res->outcome), res->reason);
		work_done(t, true);
		return;
	}
	r = store_template_downloaded(t->deps.store, &t->work, res->page);
	if (r < 0) {
		log_err("templates: template of %s on page %u but not recorded: %s", t->work.nip,
			res->page, strerror(-r));
		work_done(t, true);
		return;
	}
	log_info("templates: %s's template from the collector stored on page %u", t->work.nip,
		 res->page);
	work_done(t, false);
}

static void on_work_deleted(void *user, const struct fpm_result *res)
{
	struct templates *t = user;
	int r;

	if (res->outcome == FPM_FAILED) {
		t->is_working = false;
		retry_later(t);
		return;
	}
	/* A refused delete (an empty page) leaves nothing to keep either. */
	r = store_finger_remove(t->deps.store, (unsigned)t->work.page);
	if (r < 0)
		log_err("templates: page %" PRId64 " deleted but not forgotten: %s", t->work.page,
			strerror(-r));
	else
		log_info("templates: %s's template deleted from page %" PRId64
			 " (deleted at the collector)",
			 t->work.nip, t->work.page);
	work_done(t, true);
}

static void start_work(struct templates *t)
{
	struct store_template_work *w = &t->work;
	const char *why = "";
	int r;

	if (strcmp(w->kind, "download") == 0) {
		r = fpm_download(t->deps.fpm, FPM_PAGE_FREE, w->data, w->len, on_downloaded, t);
	} else if (strcmp(w->kind, "delete") == 0 && w->page >= 0 && w->page < FPM_PAGE_FREE) {
		r = fpm_delete(t->deps.fpm, (uint16_t)w->page, on_work_deleted, t);
	} else if (strcmp(w->kind, "enroll") == 0) {
		/* Taken once: whatever happens now is reported, never rerun. */
		r = store_template_work_drop(t->deps.store, w->id);
		if (r == 0)
			r = t->deps.enroll(t->deps.user, w->nip, w->request, &why);
		if (r < 0) {
			report_failed(t, w->nip, w->request, why[0] ? why : strerror(-r));
			work_done(t, false);
		}
		return; /* fingers.c runs it and calls templates_share or _enroll_failed */
	} else {
		log_warn("templates: unknown work '%s', dropped", w->kind);
		work_done(t, true);
		return;
	}
	if (r < 0) {
		t->is_working = false;
		retry_later(t);
		return;
	}
	t->is_working = true;
}

static void run_next(struct templates *t)
{
	int r;

	if (t->is_working)
		return;
	if (!fpm_is_idle(t->deps.fpm)) {
		retry_later(t);
		return;
	}
	r = store_template_work_next(t->deps.store, &t->work);
	if (r < 0)
		log_err("templates: cannot read queued module work: %s", strerror(-r));
	if (r <= 0)
		return;
	t->is_working = true; /* an enrolment started from here holds the module too */
	start_work(t);
}

void templates_enroll_failed(struct templates *t, const char *nip, int64_t request,
			     const char *reason)
{
	report_failed(t, nip, request, reason);
	t->is_working = false;
	t->retry_ns = RETRY_MIN_NS;
	run_next(t);
}

static void on_timer(void *user)
{
	run_next(user);
}

static void on_wake(void *user, int fd, uint32_t events)
{
	struct templates *t = user;
	uint64_t n;

	(void)events;
	(void)!read(fd, &n, sizeof(n));
	t->retry_ns = RETRY_MIN_NS;
	run_next(t);
}

void templates_wake(struct templates *t)
{
	uint64_t one = 1;

	(void)!write(t->wake_fd, &one, sizeof(one));
}

int templates_new(const struct templates_deps *deps, struct templates **ret_t)
{
	struct templates *t;
	int r;

	t = calloc(1, sizeof(*t));
	if (!t)
		return -ENOMEM;
	t->deps = *deps;
	t->retry_ns = RETRY_MIN_NS;
	t->wake_fd = eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK);
	if (t->wake_fd < 0) {
		r = -errno;
		goto out_free;
	}
	r = loop_add(deps->loop, t->wake_fd, EPOLLIN, on_wake, t, &t->wake_source);
	if (r < 0)
		goto out_free;
	r = loop_timer_new(deps->loop, on_timer, t, &t->timer);
	if (r < 0)
		goto out_free;
	/* Work left from before a restart runs once the module is ready. */
	loop_timer_in(t->timer, RETRY_MIN_NS);
	*ret_t = t;
	return 0;

out_free:
	templates_free(t);
	return r;
}

void templates_free(struct templates *t)
{
	if (!t)
		return;
	if (t->timer)
		loop_timer_free(t->deps.loop, t->timer);
	if (t->wake_source)
		loop_remove(t->deps.loop, t->wake_source);
	if (t->wake_fd >= 0)
		close(t->wake_fd);
	explicit_bzero(&t->work, sizeof(t->work));
	free(t);
}
