// SPDX-License-Identifier: MIT
/*
 * The sync thread. It owns its store connection and HTTPS handle; the only
 * shared state is the eventfd it is kicked through, the stop flag, and the
 * clock trust it reports (firmware/trust.h).
 */
#include "firmware/sync.h"

#include <errno.h>
#include <inttypes.h>
#include <jansson.h>
#include <poll.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/eventfd.h>
#include <sys/random.h>
#include <unistd.h>

#include "common/clk.h"
#include "common/log.h"
#include "firmware/agenda.h"
#include "firmware/http_client.h"
#include "firmware/kconfig.h"
#include "firmware/store.h"
#include "firmware/templates.h"
#include "firmware/trust.h"

#define SYNC_COALESCE_MS 50 /* taps arriving this close together ride in one batch */
/*
 * Rounds start at least this far apart: a stream of taps is pushed four
 * times a second rather than without pause, leaving the board's CPU to the
 * door (a push is TLS and JSON work; a tap's answer waits for any CPU it
 * takes). A backlog still goes out in back-to-back full batches.
 */
#define SYNC_ROUND_GAP_MS 250
#define SYNC_URL_MAX	  256

struct sync {
	const struct kconfig *cfg;
	char url[SYNC_URL_MAX];
	char boot_id[CLK_BOOT_ID_LEN + 1];
	pthread_t thread;
	int kick_fd;
	atomic_bool stop;
	struct sync_hooks hooks;

	/* Owned by the thread from here on. */
	struct store *store;
	struct hc *hc;
	struct crypto_key *key; /* the device key: signs each batch's chain head */
	struct record *batch;
	int64_t backoff_ms;	      /* 0 while healthy */
	int64_t retry_at_ms;	      /* CLOCK_BOOTTIME ms of the next attempt after a failure */
	int64_t roster_due_ms;	      /* next roster pull */
	int64_t health_due_ms;	      /* next health-only push, unless another push comes first */
	unsigned warned_outbox_level; /* outbox size already warned about, as a power of 10 */
	bool warned_outbox_age;
	char last_error[HC_ERROR_MAX];
	int64_t sent_anchor_rtt; /* rtt of this boot's anchor the collector has; -1: none */
	int64_t round_ms;	 /* when the last round started */
};

static int64_t now_ms(void)
{
	return clk_boot_usec() / 1000;
}

void sync_kick(struct sync *sync)
{
	uint64_t one = 1;

	/* A full counter still wakes the thread, so a failed write loses nothing. */
	(void)!write(sync->kick_fd, &one, sizeof(one));
}

static void set_state_int(struct sync *s, const char *key, int64_t v)
{
	char text[32];

	snprintf(text, sizeof(text), "%" PRId64, v);
	if (store_sync_set(s->store, key, text) < 0)
		log_debug("sync: cannot keep %s", key);
}

static void note_error(struct sync *s, const char *what)
{
	if (strcmp(what, s->last_error) != 0)
		log_warn("sync: %s", what);
	snprintf(s->last_error, sizeof(s->last_error), "%s", what);
	if (store_sync_set(s->store, SYNC_KEY_LAST_ERROR, what) < 0)
		log_debug("sync: cannot keep the last error");
	set_state_int(s, SYNC_KEY_LAST_ERROR_AT, clk_wall_usec());
}

static void note_success(struct sync *s)
{
	if (s->last_error[0])
		log_info("sync: collector reachable again");
	s->last_error[0] = '\0';
	if (store_sync_set(s->store, SYNC_KEY_LAST_ERROR, "") < 0)
		log_debug("sync: cannot clear the last error");
	set_state_int(s, SYNC_KEY_LAST_OK, clk_wall_usec());
}

/*
 * Learn the collector's time from a reply: it stamped the reply between our
 * send and receive, so at the midpoint of our boot-time measurements the
 * true time was server_time, give or take half the round trip.
 */
static void learn_clock(struct sync *s, int64_t sent_boot, int64_t sent_wall, int64_t server_usec)
{
	int64_t now_boot = clk_boot_usec(), now_wall = clk_wall_usec();
	struct record_anchor a = {.rtt_usec = now_boot - sent_boot};
	int64_t offset;

	if (server_usec <= 0)
		return;
	memcpy(a.boot_id, s->boot_id, sizeof(a.boot_id));
	a.boot_usec = sent_boot + a.rtt_usec / 2;
	a.true_usec = server_usec;
	offset = server_usec - (sent_wall + (now_wall - sent_wall) / 2);
	trust_note_offset(offset, a.rtt_usec);
	if (s->hooks.clock_measured)
		s->hooks.clock_measured(s->hooks.user, offset, a.rtt_usec);
	set_state_int(s, SYNC_KEY_OFFSET, offset);
	set_state_int(s, SYNC_KEY_RTT, a.rtt_usec);
	if (store_anchor_put(s->store, &a) < 0)
		log_warn("sync: cannot store the clock anchor, ignoring");
}

/* Anchors for every boot that records in the batch come from. */
static size_t batch_anchors(struct sync *s, size_t n, struct record_anchor *out, size_t max)
{
	size_t count = 0;

	for (size_t i = 0; i < n && count < max; i++) {
		bool seen = false;

		for (size_t j = 0; j < count && !seen; j++)
			seen = strcmp(out[j].boot_id, s->batch[i].boot_id) == 0;
		if (!seen && store_anchor_get(s->store, s->batch[i].boot_id, &out[count]) == 1)
			count++;
	}
	return count;
}

static void warn_outbox(struct sync *s)
{
	struct store_status st;
	uint64_t backlog;
	unsigned level = 0;

	if (store_get_status(s->store, 0, 0, &st) < 0)
		return;
	backlog = st.last_seq - st.acked_seq;
	for (uint64_t step = (uint64_t)s->cfg->outbox_warn; backlog >= step && level < 12;
	     step *= 10)
		level++;
	if (level > s->warned_outbox_level)
		log_warn("sync: %" PRIu64 " records waiting to be sent", backlog);
	else if (level < s->warned_outbox_level && level == 0)
		log_info("sync: outbox back to %" PRIu64 " records", backlog);
	s->warned_outbox_level = level;

	if (st.oldest_unacked_usec &&
	    clk_wall_usec() - st.oldest_unacked_usec > s->cfg->outbox_warn_age_ms * 1000) {
		if (!s->warned_outbox_age)
			log_warn("sync: oldest unsent record is older than %" PRId64 " s",
				 s->cfg->outbox_warn_age_ms / 1000);
		s->warned_outbox_age = true;
	} else {
		s->warned_outbox_age = false;
	}
}

/* How this kiosk is doing as it sends, for the collector's device overview (record.h). */
static void health_of(const struct sync *s, const struct store_status *st,
		      struct record_health *ret_health)
{
	struct record_health h = {
	    .outbox = st->last_seq > st->acked_seq ? (int64_t)(st->last_seq - st->acked_seq) : 0,
	    .outbox_oldest_usec = st->oldest_unacked_usec,
	    .clock_trusted = trust_is_trusted(),
	    .uptime_s = clk_boot_usec() / CLK_USEC_PER_SEC,
	};

	(void)trust_offset(&h.clock_offset_usec);
	memcpy(h.boot_id, s->boot_id, sizeof(h.boot_id));
	snprintf(h.version, sizeof(h.version), "%s", HADIR_VERSION);
	*ret_health = h;
}

static int read_health(struct sync *s, struct record_health *ret_health)
{
	struct store_status st;
	int r;

	r = store_get_status(s->store, 0, 0, &st);
	if (r < 0) {
		note_error(s, "cannot read the outbox from the kiosk database");
		return r;
	}
	health_of(s, &st, ret_health);
	return 0;
}

/*
 * POST a batch with the kiosk's health; on a 200 reply returns 0 with the
 * parsed reply in *ret_reply (json_decref it), else a negative errno with
 * the reason noted.
 */
static int post_batch(struct sync *s, const struct record *recs, size_t n,
		      const struct record_anchor *anchors, size_t n_anchors,
		      const struct record_health *health, json_t **ret_reply)
{
	char url[SYNC_URL_MAX + 32], why[HC_ERROR_MAX];
	struct hc_response resp;
	int64_t sent_boot, sent_wall;
	struct record_head head;
	uint8_t digest[CRYPTO_SHA256_LEN];
	char *body;
	int r;

	if (n) {
		head.seq = recs[n - 1].seq;
		record_head_digest(head.seq, recs[n - 1].link, digest);
		r = crypto_sign_digest(s->key, digest, head.sig, &head.sig_len);
		if (r < 0) {
			note_error(s, "cannot sign the batch with the device key");
			return r;
		}
	}
	body = record_batch_encode(recs, n, anchors, n_anchors, n ? &head : NULL, health);
	if (!body)
		return -ENOMEM;
	snprintf(url, sizeof(url), "%s/api/v1/records", s->url);
	sent_boot = clk_boot_usec();
	sent_wall = clk_wall_usec();
	r = hc_request(s->hc, "POST", url, body, NULL, &resp);
	free(body);
	if (r < 0) {
		note_error(s, resp.error);
		return r;
	}
	learn_clock(s, sent_boot, sent_wall, resp.server_time_usec);
	if (resp.status != 200) {
		hc_error_text(&resp, why, sizeof(why));
		note_error(s, why);
		hc_response_free(&resp);
		return -EPROTO;
	}
	*ret_reply = json_loads(resp.body ? resp.body : "", 0, NULL);
	hc_response_free(&resp);
	s->health_due_ms = now_ms() + s->cfg->health_interval_ms;
	for (size_t i = 0; i < n_anchors; i++)
		if (strcmp(anchors[i].boot_id, s->boot_id) == 0)
			s->sent_anchor_rtt = anchors[i].rtt_usec;
	return 0;
}

/*
 * Hand the collector this boot's clock anchor when it has none or a worse
 * one, so records already sent without it get their corrected times.
 */
static int push_anchor(struct sync *s)
{
	struct record_anchor a;
	struct record_health h;
	json_t *reply = NULL;
	int r;

	r = store_anchor_get(s->store, s->boot_id, &a);
	if (r <= 0 || (s->sent_anchor_rtt >= 0 && a.rtt_usec >= s->sent_anchor_rtt))
		return r;
	r = read_health(s, &h);
	if (r == 0)
		r = post_batch(s, NULL, 0, &a, 1, &h, &reply);
	json_decref(reply);
	return r;
}

/*
 * An idle kiosk still tells the collector how it is doing, every
 * health_interval: a push with no records, so the overview knows it is alive.
 */
static int push_health(struct sync *s)
{
	struct record_health h;
	json_t *reply = NULL;
	int r;

	if (now_ms() < s->health_due_ms)
		return 0;
	r = read_health(s, &h);
	if (r == 0)
		r = post_batch(s, NULL, 0, NULL, 0, &h, &reply);
	json_decref(reply);
	if (r == 0)
		note_success(s);
	return r;
}

/* Push one batch. 1: more may wait (a full batch), 0: the outbox is empty, <0: failed (noted). */
static int push_batch(struct sync *s)
{
	struct record_anchor anchors[RECORD_ANCHORS_MAX];
	struct record_health health;
	struct store_status st;
	json_t *reply = NULL, *acked;
	size_t n;
	int r;

	r = store_get_status(s->store, 0, 0, &st);
	if (r == 0)
		r = store_outbox(s->store, st.acked_seq, (size_t)s->cfg->sync_batch, s->batch, &n);
	if (r < 0) {
		note_error(s, "cannot read the outbox from the kiosk database");
		return r;
	}
	if (n == 0)
		return 0;
	health_of(s, &st, &health);
	/* The health is stored with this batch: it reports what waits once the batch is in. */
	health.outbox = health.outbox > (int64_t)n ? health.outbox - (int64_t)n : 0;
	if (health.outbox == 0)
		health.outbox_oldest_usec = 0;
	r = post_batch(s, s->batch, n, anchors, batch_anchors(s, n, anchors, RECORD_ANCHORS_MAX),
		       &health, &reply);
	if (r < 0)
		return r;
	acked = json_object_get(reply, "acked_seq");
	if (!json_is_integer(acked) || json_integer_value(acked) < 0) {
		note_error(s, "collector reply without acked_seq");
		r = -EPROTO;
	} else if ((uint64_t)json_integer_value(acked) < st.acked_seq + 1) {
		/* Stored nothing new: a gap or a broken link it will not take. Do not spin. */
		note_error(s, "collector did not take the next record (chain mismatch?); "
			      "it keeps a tamper alert");
		r = -EPROTO;
	} else {
		r = store_set_acked(s->store, (uint64_t)json_integer_value(acked));
		if (r == 0) {
			note_success(s);
			log_debug("sync: acknowledged up to %" JSON_INTEGER_FORMAT,
				  json_integer_value(acked));
			/* More may wait: a full batch, or one the collector took only part of. */
			r = n == (size_t)s->cfg->sync_batch ||
				    (uint64_t)json_integer_value(acked) < s->batch[n - 1].seq
				? 1
				: 0;
		}
	}
	json_decref(reply);
	return r;
}

/* Queue the fingerprint work a new roster asks for, and wake the loop to do it. */
static void pull_templates(struct sync *s, const json_t *root)
{
	unsigned queued = 0;
	int r = templates_from_roster(s->store, root, &queued);

	if (r < 0)
		log_warn("sync: fingerprint templates of the roster not applied: %s, retrying with "
			 "the next roster",
			 strerror(-r));
	if (queued && s->hooks.templates_queued)
		s->hooks.templates_queued(s->hooks.user);
}

/* Replace the roster with the collector's, if it changed (ETag). */
static int pull_roster(struct sync *s)
{
	char url[SYNC_URL_MAX + 32], etag[128] = "", why[ROWS_WHY_MAX] = "";
	struct store_roster *ro = NULL;
	struct hc_response resp;
	unsigned staff, creds;
	json_t *root, *list, *person;
	size_t i;
	int r;

	if (store_sync_get(s->store, SYNC_KEY_ROSTER_ETAG, etag, sizeof(etag)) < 0)
		etag[0] = '\0';
	snprintf(url, sizeof(url), "%s/api/v1/roster", s->url);
	r = hc_request(s->hc, "GET", url, NULL, etag, &resp);
	if (r < 0) {
		note_error(s, resp.error);
		return r;
	}
	/* 404: the collector has no roster yet; the one imported here stays, and that is no error.
	 */
	if (resp.status == 304 || resp.status == 404) {
		if (resp.status == 404)
			log_debug("sync: the collector has no roster yet; keeping the local one");
		hc_response_free(&resp);
		return 0;
	}
	if (resp.status != 200) {
		hc_error_text(&resp, why, sizeof(why));
		note_error(s, why);
		hc_response_free(&resp);
		return -EPROTO;
	}
	root = json_loads(resp.body, 0, NULL);
	list = json_object_get(root, "staff");
	r = json_is_array(list) ? store_roster_begin(s->store, &ro) : -EBADMSG;
	json_array_foreach(list, i, person)
	{
		json_t *cards = json_object_get(person, "cards");
		json_t *fingers = json_object_get(person, "fingers");
		const char *nip = json_string_value(json_object_get(person, "nip"));
		const char *name = json_string_value(json_object_get(person, "name"));
		const char *unit = json_string_value(json_object_get(person, "unit_id"));
		size_t j, n_creds;

		if (r < 0)
			break;
		if (!nip || !name || !unit) {
			r = -EBADMSG;
			snprintf(why, sizeof(why), "staff %zu: nip, name or unit_id missing", i);
			break;
		}
		n_creds = json_array_size(cards) > json_array_size(fingers)
			      ? json_array_size(cards)
			      : json_array_size(fingers);
		for (j = 0; j == 0 || j < n_creds; j++) {
			char slot[16] = "";
			json_t *finger = json_array_get(fingers, j);

			if (json_is_integer(finger))
				snprintf(slot, sizeof(slot), "%" JSON_INTEGER_FORMAT,
					 json_integer_value(finger));
			r = store_roster_add(ro, nip, name, unit,
					     json_string_value(json_array_get(cards, j)), slot,
					     why);
			if (r < 0)
				break;
		}
	}
	/* Plans, units and holidays change in the roster's transaction, never apart from it. */
	if (r == 0)
		r = agenda_from_roster(s->store, root, why);
	if (r == 0)
		r = store_roster_commit(ro, &staff, &creds);
	else if (ro)
		store_roster_abort(ro);
	if (r < 0) {
		char msg[HC_ERROR_MAX + ROWS_WHY_MAX];

		snprintf(msg, sizeof(msg), "roster from the collector refused: %s",
			 r == -EBADMSG ? "malformed"
			 : why[0]      ? why
				       : strerror(-r));
		note_error(s, msg);
	} else {
		log_info("sync: roster updated: %u staff, %u credentials", staff, creds);
		/* A roster can be megabytes of WAL, and no tap may come to checkpoint it. */
		if (store_checkpoint(s->store) < 0)
			log_debug("sync: no checkpoint after the roster");
		pull_templates(s, root);
		if (store_sync_set(s->store, SYNC_KEY_ROSTER_ETAG, resp.etag) < 0)
			log_debug("sync: cannot keep the roster ETag");
	}
	json_decref(root);
	hc_response_free(&resp);
	return r;
}

/* One round: push until the outbox is empty, then the roster if due. */
static int sync_round(struct sync *s)
{
	char why[HC_ERROR_MAX];
	int r;

	s->round_ms = now_ms();
	/* Full batches: a backlog, sent back to back; a partial one empties the outbox. */
	while ((r = push_batch(s)) > 0)
		if (atomic_load(&s->stop))
			return 0;
	if (r == 0)
		r = push_anchor(s);
	if (r == 0)
		r = push_health(s);
	if (r < 0)
		return r;
	/*
	 * Fingerprint reports that cannot go now wait for the next round; they
	 * never hold back records or the roster, nor make the round back off.
	 */
	if (templates_push(s->store, s->hc, s->url, why, sizeof(why)) < 0)
		note_error(s, why);
	warn_outbox(s);
	if (now_ms() >= s->roster_due_ms) {
		/* A failed pull is retried on its own schedule: it must not hold back pushes. */
		r = pull_roster(s);
		s->roster_due_ms = now_ms() + (r < 0 && s->cfg->roster_interval_ms > 60000
						   ? 60000
						   : s->cfg->roster_interval_ms);
	}
	return 0;
}

static int64_t jittered(int64_t ms)
{
	uint32_t rnd = 0;

	/* Spread retries of many kiosks after a collector outage: 50–100% of the delay. */
	if (getrandom(&rnd, sizeof(rnd), GRND_NONBLOCK) != sizeof(rnd))
		rnd = (uint32_t)clk_boot_usec();
	return ms / 2 + (int64_t)(rnd % (uint32_t)(ms / 2 + 1));
}

/* How long kicks gather before a round: SYNC_COALESCE_MS, and rounds SYNC_ROUND_GAP_MS apart. */
static int coalesce_ms(const struct sync *s)
{
	int64_t until = s->round_ms + SYNC_ROUND_GAP_MS, now = now_ms();

	return until - now > SYNC_COALESCE_MS ? (int)(until - now) : SYNC_COALESCE_MS;
}

static void *sync_main(void *arg)
{
	struct sync *s = arg;
	bool pending = true; /* start with a round: there may be a backlog */

	while (!atomic_load(&s->stop)) {
		int64_t wait_ms = -1, now = now_ms();
		int64_t due_ms =
		    s->roster_due_ms < s->health_due_ms ? s->roster_due_ms : s->health_due_ms;
		struct pollfd pfd = {.fd = s->kick_fd, .events = POLLIN};
		uint64_t kicks;

		if (s->backoff_ms && now < s->retry_at_ms)
			wait_ms = s->retry_at_ms - now;
		else if (pending)
			wait_ms = 0;
		else
			wait_ms = due_ms > now ? due_ms - now : 0;
		if (poll(&pfd, 1, (int)(wait_ms > 3600000 ? 3600000 : wait_ms)) > 0 &&
		    read(s->kick_fd, &kicks, sizeof(kicks)) == sizeof(kicks)) {
			pending = true;
			/*
			 * Let a quick run of taps gather into one batch; the kicks they
			 * make meanwhile are drained with the round, never delay it.
			 */
			(void)poll(NULL, 0, coalesce_ms(s));
			(void)!read(s->kick_fd, &kicks, sizeof(kicks));
		}
		if (atomic_load(&s->stop))
			break;
		if (s->backoff_ms && now_ms() < s->retry_at_ms)
			continue;
		if (!pending && now_ms() < due_ms)
			continue;
		if (sync_round(s) < 0) {
			s->backoff_ms = s->backoff_ms ? s->backoff_ms * 2 : s->cfg->backoff_min_ms;
			if (s->backoff_ms > s->cfg->backoff_max_ms)
				s->backoff_ms = s->cfg->backoff_max_ms;
			s->retry_at_ms = now_ms() + jittered(s->backoff_ms);
			log_debug("sync: retrying in %" PRId64 " ms", s->retry_at_ms - now_ms());
			warn_outbox(s);
		} else {
			s->backoff_ms = 0;
			pending = false;
		}
	}
	return NULL;
}

int sync_start(const struct kconfig *cfg, const char *url, const struct sync_hooks *hooks,
	       struct sync **ret_sync)
{
	const struct hc_tls tls = {.ca = cfg->sync_ca,
				   .cert = cfg->sync_cert,
				   .key = cfg->sync_key,
				   .clock_trusted = trust_is_trusted};
	struct sync *s;
	size_t len;
	int r;

	s = calloc(1, sizeof(*s));
	if (!s)
		return -ENOMEM;
	s->cfg = cfg;
	s->hooks = *hooks;
	s->kick_fd = -1;
	s->sent_anchor_rtt = -1;
	snprintf(s->url, sizeof(s->url), "%s", url);
	len = strlen(s->url);
	while (len && s->url[len - 1] == '/')
		s->url[--len] = '\0';
	s->batch = calloc((size_t)cfg->sync_batch, sizeof(*s->batch));
	if (!s->batch) {
		r = -ENOMEM;
		goto out_free;
	}
	r = clk_boot_id(s->boot_id);
	if (r < 0)
		goto out_free;
	r = store_open(cfg->database, STORE_EXISTING, &s->store);
	if (r == 0)
		r = store_set_background(s->store);
	if (r < 0)
		goto out_free;
	r = hc_new(&tls, cfg->sync_timeout_ms, &s->stop, &s->hc);
	if (r == 0)
		r = crypto_key_load(cfg->sync_key, &s->key);
	if (r < 0)
		goto out_free;
	s->kick_fd = eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK);
	if (s->kick_fd < 0) {
		r = -errno;
		goto out_free;
	}
	r = -pthread_create(&s->thread, NULL, sync_main, s);
	if (r < 0)
		goto out_free;
	log_info("sync: pushing to %s", s->url);
	*ret_sync = s;
	return 0;

out_free:
	if (s->kick_fd >= 0)
		close(s->kick_fd);
	hc_free(s->hc);
	crypto_key_free(s->key);
	store_close(s->store);
	free(s->batch);
	free(s);
	return r;
}

void sync_stop(struct sync *s)
{
	if (!s)
		return;
	atomic_store(&s->stop, true);
	sync_kick(s);
	pthread_join(s->thread, NULL);
	close(s->kick_fd);
	hc_free(s->hc);
	crypto_key_free(s->key);
	store_close(s->store);
	free(s->batch);
	free(s);
}
