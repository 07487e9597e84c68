// SPDX-License-Identifier: MIT
/*
 * Canonical record bytes, hash-chain links and the JSON batch codec. Pure:
 * no I/O. Decoding treats the body as hostile: every field is type-checked,
 * bounded and validated before it lands in a struct record.
 */
#include "common/record.h"

#include <errno.h>
#include <jansson.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char record_magic[] = "HADIR-REC-1";

static void hash_u64(struct crypto_sha256 *ctx, uint64_t v)
{
	uint8_t be[8];

	for (int i = 0; i < 8; i++)
		be[i] = (uint8_t)(v >> (56 - 8 * i));
	crypto_sha256_update(ctx, be, sizeof(be));
}

static void hash_str(struct crypto_sha256 *ctx, const char *s)
{
	size_t len = strlen(s);
	uint8_t be[4] = {(uint8_t)(len >> 24), (uint8_t)(len >> 16), (uint8_t)(len >> 8),
			 (uint8_t)len};

	crypto_sha256_update(ctx, be, sizeof(be));
	crypto_sha256_update(ctx, s, len);
}

void record_compute_link(const struct record *rec, uint8_t ret_link[CRYPTO_SHA256_LEN])
{
	struct crypto_sha256 ctx;
	uint8_t trusted = rec->clock_trusted ? 1 : 0;

	crypto_sha256_init(&ctx);
	crypto_sha256_update(&ctx, rec->prev, sizeof(rec->prev));
	crypto_sha256_update(&ctx, record_magic, sizeof(record_magic) - 1);
	hash_u64(&ctx, rec->seq);
	hash_str(&ctx, rec->kind);
	hash_u64(&ctx, (uint64_t)rec->wall_usec);
	hash_u64(&ctx, (uint64_t)rec->boot_usec);
	hash_str(&ctx, rec->boot_id);
	crypto_sha256_update(&ctx, &trusted, 1);
	hash_str(&ctx, rec->credential);
	hash_str(&ctx, rec->nip);
	hash_str(&ctx, rec->outcome);
	hash_str(&ctx, rec->reason);
	hash_str(&ctx, rec->direction);
	hash_str(&ctx, rec->payload);
	crypto_sha256_final(&ctx, ret_link);
}

void record_seal(struct record *rec, const uint8_t prev[CRYPTO_SHA256_LEN])
{
	memcpy(rec->prev, prev, CRYPTO_SHA256_LEN);
	record_compute_link(rec, rec->link);
}

bool record_link_ok(const struct record *rec)
{
	uint8_t link[CRYPTO_SHA256_LEN];

	record_compute_link(rec, link);
	return memcmp(link, rec->link, sizeof(link)) == 0;
}

static bool one_of(const char *s, const char *const *set)
{
	for (; *set; set++)
		if (strcmp(s, *set) == 0)
			return true;
	return false;
}

static bool all_digits(const char *s)
{
	for (; *s; s++)
		if (*s < '0' || *s > '9')
			return false;
	return true;
}

static bool printable_ascii(const char *s)
{
	for (; *s; s++)
		if (*s < 0x21 || *s > 0x7e)
			return false;
	return true;
}

int record_validate(const struct record *rec, const char **ret_why)
{
	static const char *const kinds[] = {"tap", "activity", NULL};
	static const char *const outcomes[] = {"accepted", "rejected", "unknown", NULL};
	static const char *const directions[] = {"", "in", "out", NULL};

	if (rec->seq == 0 || rec->seq > INT64_MAX)
		*ret_why = "seq must be 1 or more";
	else if (!one_of(rec->kind, kinds))
		*ret_why = "unknown kind";
	else if (strcmp(rec->kind, "tap") == 0 && !one_of(rec->outcome, outcomes))
		*ret_why = "unknown outcome";
	else if (!one_of(rec->direction, directions))
		*ret_why = "direction must be in, out or empty";
	else if (!all_digits(rec->nip))
		*ret_why = "nip must be digits";
	else if (!printable_ascii(rec->credential))
		*ret_why = "credential must be printable ASCII";
	else if (strlen(rec->boot_id) != CLK_BOOT_ID_LEN || !printable_ascii(rec->boot_id))
		*ret_why = "boot_id must be a 36-character id";
	else if (rec->boot_usec < 0)
		*ret_why = "boot_usec must not be negative";
	else
		return 0;
	return -EINVAL;
}

static json_t *record_to_json(const struct record *r)
{
	char prev[CRYPTO_SHA256_HEX], link[CRYPTO_SHA256_HEX];

	crypto_hex(r->prev, prev);
	crypto_hex(r->link, link);
	return json_pack("{s:I,s:s,s:I,s:I,s:s,s:b,s:s,s:s,s:s,s:s,s:s,s:s,s:s,s:s}", "seq",
			 (json_int_t)r->seq, "kind", r->kind, "wall_usec", (json_int_t)r->wall_usec,
			 "boot_usec", (json_int_t)r->boot_usec, "boot_id", r->boot_id,
			 "clock_trusted", r->clock_trusted, "credential", r->credential, "nip",
			 r->nip, "outcome", r->outcome, "reason", r->reason, "direction",
			 r->direction, "payload", r->payload, "prev", prev, "link", link);
}

static json_t *health_to_json(const struct record_health *h)
{
	return json_pack("{s:I,s:I,s:I,s:b,s:s,s:I,s:s}", "outbox", (json_int_t)h->outbox,
			 "outbox_oldest_usec", (json_int_t)h->outbox_oldest_usec,
			 "clock_offset_usec", (json_int_t)h->clock_offset_usec, "clock_trusted",
			 h->clock_trusted, "boot_id", h->boot_id, "uptime_s",
			 (json_int_t)h->uptime_s, "version", h->version);
}

void record_head_digest(uint64_t seq, const uint8_t link[CRYPTO_SHA256_LEN],
			uint8_t ret_digest[CRYPTO_SHA256_LEN])
{
	static const char tag[] = "hadir-head-v1"; /* its NUL too: a separator */
	struct crypto_sha256 ctx;
	uint8_t be[8];

	for (int i = 0; i < 8; i++)
		be[i] = (uint8_t)(seq >> (56 - 8 * i));
	crypto_sha256_init(&ctx);
	crypto_sha256_update(&ctx, tag, sizeof(tag));
	crypto_sha256_update(&ctx, be, sizeof(be));
	crypto_sha256_update(&ctx, link, CRYPTO_SHA256_LEN);
	crypto_sha256_final(&ctx, ret_digest);
}

int record_head_verify(const struct record_head *head, const uint8_t link[CRYPTO_SHA256_LEN],
		       const void *cert, size_t len)
{
	uint8_t digest[CRYPTO_SHA256_LEN];

	record_head_digest(head->seq, link, digest);
	return crypto_verify_digest(cert, len, digest, head->sig, head->sig_len);
}

static json_t *head_to_json(const struct record_head *head)
{
	char *sig = NULL;
	json_t *obj;

	if (crypto_base64_encode(head->sig, head->sig_len, &sig) < 0)
		return NULL;
	obj = json_pack("{s:I,s:s}", "seq", (json_int_t)head->seq, "signature", sig);
	free(sig);
	return obj;
}

char *record_batch_encode(const struct record *recs, size_t n, const struct record_anchor *anchors,
			  size_t n_anchors, const struct record_head *head,
			  const struct record_health *health)
{
	json_t *root, *arr, *anchor_arr;
	char *text = NULL;

	arr = json_array();
	anchor_arr = json_array();
	root = json_pack("{s:i,s:o,s:o}", "version", RECORD_WIRE_VERSION, "records", arr, "anchors",
			 anchor_arr);
	if (!root)
		return NULL;
	for (size_t i = 0; i < n; i++) {
		if (json_array_append_new(arr, record_to_json(&recs[i])) < 0)
			goto out;
	}
	for (size_t i = 0; i < n_anchors; i++) {
		const struct record_anchor *a = &anchors[i];

		if (json_array_append_new(anchor_arr,
					  json_pack("{s:s,s:I,s:I,s:I}", "boot_id", a->boot_id,
						    "boot_usec", (json_int_t)a->boot_usec,
						    "true_usec", (json_int_t)a->true_usec,
						    "rtt_usec", (json_int_t)a->rtt_usec)) < 0)
			goto out;
	}
	if (head && json_object_set_new(root, "head", head_to_json(head)) < 0)
		goto out;
	if (health && json_object_set_new(root, "health", health_to_json(health)) < 0)
		goto out;
	text = json_dumps(root, JSON_COMPACT);
out:
	json_decref(root);
	return text;
}

PRINTF_LIKE(3, 4)
static int fail(char *why, size_t why_len, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(why, why_len, fmt, ap);
	va_end(ap);
	return -EBADMSG;
}

/* Copy a JSON string member into dst[cap]; -EBADMSG if missing, not a string, or too long. */
static int get_str(json_t *obj, const char *key, char *dst, size_t cap, const char **ret_why)
{
	json_t *v = json_object_get(obj, key);
	size_t len;

	if (!json_is_string(v)) {
		*ret_why = "missing or not a string";
		return -EBADMSG;
	}
	/* jansson refuses \u0000 unless asked, so the length is the C string's. */
	len = json_string_length(v);
	if (len >= cap) {
		*ret_why = "too long";
		return -EBADMSG;
	}
	memcpy(dst, json_string_value(v), len + 1);
	return 0;
}

static int get_int(json_t *obj, const char *key, int64_t *dst, const char **ret_why)
{
	json_t *v = json_object_get(obj, key);

	if (!json_is_integer(v)) {
		*ret_why = "missing or not an integer";
		return -EBADMSG;
	}
	*dst = json_integer_value(v);
	return 0;
}

static int get_hash(json_t *obj, const char *key, uint8_t *dst, const char **ret_why)
{
	char hex[CRYPTO_SHA256_HEX];

	if (get_str(obj, key, hex, sizeof(hex), ret_why) < 0)
		return -EBADMSG;
	if (crypto_unhex(hex, dst) < 0) {
		*ret_why = "not 64 hex digits";
		return -EBADMSG;
	}
	return 0;
}

static int record_from_json(json_t *obj, struct record *r, char *why, size_t why_len)
{
	static const struct {
		const char *key;
		size_t offset, cap;
	} strs[] = {
	    {"kind", offsetof(struct record, kind), RECORD_KIND_MAX},
	    {"boot_id", offsetof(struct record, boot_id), CLK_BOOT_ID_LEN + 1},
	    {"credential", offsetof(struct record, credential), RECORD_CREDENTIAL_MAX},
	    {"nip", offsetof(struct record, nip), RECORD_NIP_MAX},
	    {"outcome", offsetof(struct record, outcome), RECORD_OUTCOME_MAX},
	    {"reason", offsetof(struct record, reason), RECORD_REASON_MAX},
	    {"direction", offsetof(struct record, direction), RECORD_DIRECTION_MAX},
	    {"payload", offsetof(struct record, payload), RECORD_PAYLOAD_MAX},
	};
	const char *what = NULL;
	json_t *trusted;
	int64_t seq;

	if (!json_is_object(obj))
		return fail(why, why_len, "record is not an object");
	if (get_int(obj, "seq", &seq, &what) < 0)
		return fail(why, why_len, "seq: %s", what);
	if (seq < 1)
		return fail(why, why_len, "seq: must be 1 or more");
	r->seq = (uint64_t)seq;
	if (get_int(obj, "wall_usec", &r->wall_usec, &what) < 0)
		return fail(why, why_len, "seq %" JSON_INTEGER_FORMAT ": wall_usec: %s",
			    (json_int_t)seq, what);
	if (get_int(obj, "boot_usec", &r->boot_usec, &what) < 0)
		return fail(why, why_len, "seq %" JSON_INTEGER_FORMAT ": boot_usec: %s",
			    (json_int_t)seq, what);
	for (size_t i = 0; i < sizeof(strs) / sizeof(strs[0]); i++)
		if (get_str(obj, strs[i].key, (char *)r + strs[i].offset, strs[i].cap, &what) < 0)
			return fail(why, why_len, "seq %" JSON_INTEGER_FORMAT ": %s: %s",
				    (json_int_t)seq, strs[i].key, what);
	trusted = json_object_get(obj, "clock_trusted");
	if (!json_is_boolean(trusted))
		return fail(why, why_len,
			    "seq %" JSON_INTEGER_FORMAT ": clock_trusted: not a boolean",
			    (json_int_t)seq);
	r->clock_trusted = json_is_true(trusted);
	if (get_hash(obj, "prev", r->prev, &what) < 0 || get_hash(obj, "link", r->link, &what) < 0)
		return fail(why, why_len, "seq %" JSON_INTEGER_FORMAT ": prev/link: %s",
			    (json_int_t)seq, what);
	if (record_validate(r, &what) < 0)
		return fail(why, why_len, "seq %" JSON_INTEGER_FORMAT ": %s", (json_int_t)seq,
			    what);
	return 0;
}

static int anchor_from_json(json_t *obj, struct record_anchor *a, char *why, size_t why_len)
{
	const char *what = NULL;

	if (!json_is_object(obj))
		return fail(why, why_len, "anchor is not an object");
	if (get_str(obj, "boot_id", a->boot_id, sizeof(a->boot_id), &what) < 0)
		return fail(why, why_len, "anchor boot_id: %s", what);
	if (strlen(a->boot_id) != CLK_BOOT_ID_LEN)
		return fail(why, why_len, "anchor boot_id: must be a 36-character id");
	if (get_int(obj, "boot_usec", &a->boot_usec, &what) < 0 ||
	    get_int(obj, "true_usec", &a->true_usec, &what) < 0 ||
	    get_int(obj, "rtt_usec", &a->rtt_usec, &what) < 0)
		return fail(why, why_len, "anchor times: %s", what);
	if (a->boot_usec < 0 || a->rtt_usec < 0)
		return fail(why, why_len, "anchor times: must not be negative");
	return 0;
}

static int head_from_json(json_t *obj, struct record_head *head, char *why, size_t why_len)
{
	const char *what = NULL, *sig;
	int64_t seq;

	if (!json_is_object(obj))
		return fail(why, why_len, "head is not an object");
	if (get_int(obj, "seq", &seq, &what) < 0)
		return fail(why, why_len, "head seq: %s", what);
	if (seq < 1)
		return fail(why, why_len, "head seq: must be 1 or more");
	sig = json_string_value(json_object_get(obj, "signature"));
	if (!sig ||
	    crypto_base64_decode(sig, strlen(sig), head->sig, sizeof(head->sig), &head->sig_len) <
		0 ||
	    head->sig_len == 0)
		return fail(why, why_len, "head signature: not base64 of at most %d bytes",
			    CRYPTO_SIGNATURE_MAX);
	head->seq = (uint64_t)seq;
	return 0;
}

/*
 * Bounds of a kiosk's health: far beyond any real kiosk (an outbox of a
 * billion taps, a clock three centuries off), so a value past them is
 * garbage, not news.
 */
#define HEALTH_OUTBOX_MAX INT64_C(1000000000)
#define HEALTH_USEC_MAX	  INT64_C(10000000000000000) /* ~317 years */
#define HEALTH_UPTIME_MAX INT64_C(10000000000)	     /* seconds, ~317 years */

static int health_from_json(json_t *obj, struct record_health *h, char *why, size_t why_len)
{
	const char *what = NULL;
	json_t *trusted = json_object_get(obj, "clock_trusted");

	memset(h, 0, sizeof(*h));
	if (!json_is_object(obj))
		return fail(why, why_len, "health is not an object");
	if (get_int(obj, "outbox", &h->outbox, &what) < 0 ||
	    get_int(obj, "outbox_oldest_usec", &h->outbox_oldest_usec, &what) < 0 ||
	    get_int(obj, "clock_offset_usec", &h->clock_offset_usec, &what) < 0 ||
	    get_int(obj, "uptime_s", &h->uptime_s, &what) < 0)
		return fail(why, why_len, "health counts and times: %s", what);
	if (h->outbox < 0 || h->outbox > HEALTH_OUTBOX_MAX)
		return fail(why, why_len, "health outbox: out of range");
	if (h->outbox_oldest_usec < 0 || h->outbox_oldest_usec > HEALTH_USEC_MAX ||
	    h->clock_offset_usec < -HEALTH_USEC_MAX || h->clock_offset_usec > HEALTH_USEC_MAX)
		return fail(why, why_len, "health times: out of range");
	if (h->uptime_s < 0 || h->uptime_s > HEALTH_UPTIME_MAX)
		return fail(why, why_len, "health uptime_s: out of range");
	if (!json_is_boolean(trusted))
		return fail(why, why_len, "health clock_trusted: not a boolean");
	h->clock_trusted = json_is_true(trusted);
	if (get_str(obj, "boot_id", h->boot_id, sizeof(h->boot_id), &what) < 0)
		return fail(why, why_len, "health boot_id: %s", what);
	if (strlen(h->boot_id) != CLK_BOOT_ID_LEN || !printable_ascii(h->boot_id))
		return fail(why, why_len, "health boot_id: must be a 36-character id");
	if (get_str(obj, "version", h->version, sizeof(h->version), &what) < 0)
		return fail(why, why_len, "health version: %s", what);
	if (!printable_ascii(h->version))
		return fail(why, why_len, "health version: must be printable ASCII");
	return 0;
}

int record_batch_check_links(struct record_batch *batch)
{
	bool *ok = calloc(batch->n ? batch->n : 1, sizeof(*ok));

	if (!ok)
		return -ENOMEM;
	for (size_t i = 0; i < batch->n; i++)
		ok[i] = record_link_ok(&batch->recs[i]);
	free(batch->is_link_ok);
	batch->is_link_ok = ok;
	return 0;
}

void record_batch_free(struct record_batch *batch)
{
	free(batch->recs);
	free(batch->anchors);
	free(batch->is_link_ok);
	memset(batch, 0, sizeof(*batch));
}

int record_batch_decode(const char *body, size_t len, struct record_batch *ret_batch, char *why,
			size_t why_len)
{
	struct record_batch b = {.n = 0};
	json_t *root, *version, *arr, *anchors, *head, *health;
	json_error_t jerr;
	int r;

	if (len > RECORD_BODY_MAX) {
		snprintf(why, why_len, "batch larger than %d bytes", RECORD_BODY_MAX);
		return -E2BIG;
	}
	root = json_loadb(body, len, JSON_REJECT_DUPLICATES, &jerr);
	if (!root)
		return fail(why, why_len, "malformed JSON at line %d column %d: %s", jerr.line,
			    jerr.column, jerr.text);
	version = json_object_get(root, "version");
	arr = json_object_get(root, "records");
	anchors = json_object_get(root, "anchors");
	if (!json_is_object(root) || !json_is_integer(version) || !json_is_array(arr) ||
	    (anchors && !json_is_array(anchors))) {
		r = fail(why, why_len, "expected {\"version\":%d,\"records\":[...]}",
			 RECORD_WIRE_VERSION);
		goto out;
	}
	if (json_integer_value(version) != RECORD_WIRE_VERSION) {
		r = fail(why, why_len, "unsupported version %" JSON_INTEGER_FORMAT,
			 json_integer_value(version));
		goto out;
	}
	b.n = json_array_size(arr);
	b.n_anchors = json_array_size(anchors);
	if (b.n > RECORD_BATCH_MAX || b.n_anchors > RECORD_ANCHORS_MAX) {
		snprintf(why, why_len, "more than %d records or %d anchors in one batch",
			 RECORD_BATCH_MAX, RECORD_ANCHORS_MAX);
		r = -E2BIG;
		goto out;
	}
	b.recs = calloc(b.n ? b.n : 1, sizeof(*b.recs));
	b.anchors = calloc(b.n_anchors ? b.n_anchors : 1, sizeof(*b.anchors));
	if (!b.recs || !b.anchors) {
		r = -ENOMEM;
		goto out;
	}
	for (size_t i = 0; i < b.n; i++) {
		r = record_from_json(json_array_get(arr, i), &b.recs[i], why, why_len);
		if (r < 0)
			goto out;
	}
	for (size_t i = 0; i < b.n_anchors; i++) {
		r = anchor_from_json(json_array_get(anchors, i), &b.anchors[i], why, why_len);
		if (r < 0)
			goto out;
	}
	head = json_object_get(root, "head");
	if (head) {
		r = head_from_json(head, &b.head, why, why_len);
		if (r < 0)
			goto out;
		b.has_head = true;
	}
	/* Health only informs: when it is bad, the records still count. */
	health = json_object_get(root, "health");
	if (health && health_from_json(health, &b.health, b.health_why, sizeof(b.health_why)) == 0)
		b.has_health = true;
	else
		memset(&b.health, 0, sizeof(b.health));
	*ret_batch = b;
	b.recs = NULL;
	b.anchors = NULL;
	r = 0;
out:
	record_batch_free(&b);
	json_decref(root);
	return r;
}
