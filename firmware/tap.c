// SPDX-License-Identifier: MIT
/* Identify, debounce, record. The only writer of tap records. */
#include "firmware/tap.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "common/log.h"
#include "firmware/trust.h"

const struct tap_clock tap_system_clock = {
    .wall_usec = clk_wall_usec,
    .boot_usec = clk_boot_usec,
    .is_trusted = trust_is_trusted,
};

int tap_init(struct tap *t, struct store *store, const struct tap_clock *clock,
	     int64_t debounce_usec)
{
	memset(t, 0, sizeof(*t));
	t->store = store;
	t->clock = clock;
	t->debounce_usec = debounce_usec;
	return clk_boot_id(t->boot_id);
}

bool tap_is_repeat(const struct record *last, const char *boot_id, int64_t now_boot_usec,
		   int64_t now_wall_usec, bool now_trusted, int64_t window_usec)
{
	int64_t since;

	if (window_usec <= 0)
		return false;
	if (strcmp(last->boot_id, boot_id) == 0)
		since = now_boot_usec - last->boot_usec;
	else if (now_trusted && last->clock_trusted)
		since = now_wall_usec - last->wall_usec;
	else
		return false;
	return since >= 0 && since < window_usec;
}

const char *tap_outcome_name(enum tap_outcome outcome)
{
	switch (outcome) {
	case TAP_ACCEPTED:
	case TAP_REPEAT:
		return "accepted";
	case TAP_UNKNOWN:
		return "unknown";
	case TAP_REJECTED:
		return "rejected";
	case TAP_FAILED:
		break;
	}
	return "failed";
}

static void new_record(struct tap *t, struct record *rec, int64_t wall, int64_t boot)
{
	memset(rec, 0, sizeof(*rec));
	snprintf(rec->kind, sizeof(rec->kind), "tap");
	rec->wall_usec = wall;
	rec->boot_usec = boot;
	memcpy(rec->boot_id, t->boot_id, sizeof(rec->boot_id));
	rec->clock_trusted = t->clock->is_trusted();
}

/* Commit rec and turn the result into the answer; on failure nothing was stored. */
static void commit(struct tap *t, struct record *rec, enum tap_outcome outcome,
		   struct tap_result *ret)
{
	int r = store_append(t->store, rec);

	if (r < 0) {
		ret->outcome = TAP_FAILED;
		ret->error = r;
		snprintf(ret->reason, sizeof(ret->reason), "%s",
			 r == -ENOSPC ? "storage-full" : "storage-error");
		log_err("tap: cannot record %s: %s; the tap was refused", rec->credential,
			strerror(-r));
		return;
	}
	ret->outcome = outcome;
	ret->seq = rec->seq;
}

void tap_credential(struct tap *t, const char *credential, const char *direction,
		    struct tap_result *ret)
{
	int64_t wall = t->clock->wall_usec(), boot = t->clock->boot_usec();
	struct record rec, last;
	int r;

	memset(ret, 0, sizeof(*ret));
	snprintf(ret->credential, sizeof(ret->credential), "%s", credential);
	new_record(t, &rec, wall, boot);
	snprintf(rec.credential, sizeof(rec.credential), "%s", credential);
	snprintf(rec.direction, sizeof(rec.direction), "%s", direction);

	r = store_lookup(t->store, credential, ret->nip, ret->name);
	if (r < 0) {
		ret->outcome = TAP_FAILED;
		ret->error = r;
		snprintf(ret->reason, sizeof(ret->reason), "storage-error");
		log_err("tap: roster lookup failed: %s; the tap was refused", strerror(-r));
		return;
	}
	if (r == 0) {
		snprintf(rec.outcome, sizeof(rec.outcome), "unknown");
		snprintf(rec.reason, sizeof(rec.reason), "not in roster");
		commit(t, &rec, TAP_UNKNOWN, ret);
		return;
	}

	r = store_last_accepted(t->store, ret->nip, &last);
	if (r == 1 &&
	    tap_is_repeat(&last, t->boot_id, boot, wall, rec.clock_trusted, t->debounce_usec)) {
		ret->outcome = TAP_REPEAT;
		ret->seq = last.seq;
		log_info("tap: %s again within the debounce window, one tap (seq %llu)", ret->nip,
			 (unsigned long long)last.seq);
		return;
	}
	/* A failed debounce read only risks a second record, never a lost tap. */
	if (r < 0)
		log_warn("tap: cannot read the last tap of %s: %s, recording anyway", ret->nip,
			 strerror(-r));

	snprintf(rec.nip, sizeof(rec.nip), "%s", ret->nip);
	snprintf(rec.outcome, sizeof(rec.outcome), "accepted");
	commit(t, &rec, TAP_ACCEPTED, ret);
}

void tap_rejected(struct tap *t, const char *credential, const char *reason, struct tap_result *ret)
{
	struct record rec;

	memset(ret, 0, sizeof(*ret));
	snprintf(ret->credential, sizeof(ret->credential), "%s", credential);
	snprintf(ret->reason, sizeof(ret->reason), "%s", reason);
	new_record(t, &rec, t->clock->wall_usec(), t->clock->boot_usec());
	snprintf(rec.credential, sizeof(rec.credential), "%s", credential);
	snprintf(rec.outcome, sizeof(rec.outcome), "rejected");
	snprintf(rec.reason, sizeof(rec.reason), "%s", reason);
	commit(t, &rec, TAP_REJECTED, ret);
}
