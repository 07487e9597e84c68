// SPDX-License-Identifier: MIT
/* The stored copy of a kiosk's hash chain, walked and checked against its signed head. */
#include "server/chain_audit.h"

#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common/record.h"
#include "server/db.h"

struct walk {
	struct chain_audit *a;
	uint64_t head_seq; /* 0: no head to look for */
	bool has_head_link;
	uint8_t head_link[CRYPTO_SHA256_LEN];
	uint64_t prev_seq;
	uint8_t prev_link[CRYPTO_SHA256_LEN];
};

static void found(struct walk *w, uint64_t seq, const char *what)
{
	if (w->a->first_bad_seq)
		return;
	w->a->first_bad_seq = seq;
	snprintf(w->a->problem, sizeof(w->a->problem), "record %" PRIu64 ": %s", seq, what);
}

static int on_record(const struct record *rec, void *user)
{
	static const uint8_t zeros[CRYPTO_SHA256_LEN];
	struct walk *w = user;

	w->a->records++;
	if (rec->seq > w->prev_seq + 1)
		w->a->missing += rec->seq - w->prev_seq - 1;
	if (!record_link_ok(rec))
		found(w, rec->seq,
		      "its fields do not hash to its link (changed after it was sent)");
	else if (rec->seq == 1 && memcmp(rec->prev, zeros, sizeof(zeros)) != 0)
		found(w, rec->seq, "the first record has a prev");
	else if (rec->seq == w->prev_seq + 1 && w->prev_seq > 0 &&
		 memcmp(rec->prev, w->prev_link, CRYPTO_SHA256_LEN) != 0)
		found(w, rec->seq, "its prev is not the link of the record before it");
	if (rec->seq == w->head_seq) {
		memcpy(w->head_link, rec->link, CRYPTO_SHA256_LEN);
		w->has_head_link = true;
	}
	w->prev_seq = rec->seq;
	memcpy(w->prev_link, rec->link, CRYPTO_SHA256_LEN);
	w->a->last_seq = rec->seq;
	return 0;
}

int chain_head_verify(struct db *db, int64_t device_id, const struct record_head *head,
		      const uint8_t *link)
{
	char *cert = NULL;
	int r = db_device_cert(db, device_id, &cert);

	if (r < 0)
		return r;
	r = record_head_verify(head, link, cert, strlen(cert));
	free(cert);
	return r;
}

static int check_head(struct db *db, const struct db_device *dev, const struct record_head *head,
		      const struct walk *w, struct chain_audit *a)
{
	int r;

	if (!w->has_head_link) {
		a->head = CHAIN_HEAD_NO_RECORD;
		return 0;
	}
	r = chain_head_verify(db, dev->id, head, w->head_link);
	switch (r) {
	case 0:
		a->head = CHAIN_HEAD_VERIFIES;
		return 0;
	case -EBADMSG:
		a->head = CHAIN_HEAD_DOES_NOT;
		return 0;
	case -ENOENT:
		a->head = CHAIN_HEAD_NO_CERTIFICATE;
		return 0;
	default:
		return r;
	}
}

int chain_audit_device(struct db *db, const struct db_device *dev, struct chain_audit *ret)
{
	struct chain_audit a = {.head = CHAIN_HEAD_NONE};
	struct walk w = {.a = &a};
	struct record_head head;
	int r;

	r = db_device_head(db, dev->id, &head);
	if (r < 0 && r != -ENOENT)
		return r;
	if (r == 0) {
		w.head_seq = head.seq;
		a.head_seq = head.seq;
	}
	r = db_device_records(db, dev->id, on_record, &w);
	if (r == 0 && w.head_seq)
		r = check_head(db, dev, &head, &w, &a);
	if (r < 0)
		return r;
	*ret = a;
	return 0;
}

bool chain_audit_failed(const struct chain_audit *a)
{
	return a->first_bad_seq || a->head == CHAIN_HEAD_DOES_NOT ||
	       a->head == CHAIN_HEAD_NO_RECORD;
}

const char *chain_head_state_name(enum chain_head_state state)
{
	switch (state) {
	case CHAIN_HEAD_VERIFIES:
		return "verifies";
	case CHAIN_HEAD_DOES_NOT:
		return "does-not-verify";
	case CHAIN_HEAD_NO_RECORD:
		return "no-record";
	case CHAIN_HEAD_NO_CERTIFICATE:
		return "no-certificate";
	case CHAIN_HEAD_NONE:
		break;
	}
	return "none";
}
