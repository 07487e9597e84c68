// SPDX-License-Identifier: MIT
/*
 * Template sharing on the kiosk, sync half (linked into hadir-kiosk-sync):
 * pushes the template outbox to the collector and turns a roster's template
 * lists and enrolment requests into work items for the loop half
 * (templates.c), through the database.
 */
#include "firmware/templates.h"

#include <errno.h>
#include <inttypes.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common/crypto.h"
#include "common/log.h"
#include "firmware/http_client.h"
#include "firmware/store.h"

#define URL_MAX 320

int templates_push(struct store *st, struct hc *hc, const char *base_url, char *why, size_t why_len)
{
	char url[URL_MAX], sha[CRYPTO_SHA256_HEX] = "";
	struct hc_response resp;
	int64_t id;
	char *body;
	int r;

	snprintf(url, sizeof(url), "%s/api/v1/templates", base_url);
	while ((r = store_template_outbox_next(st, &id, &body)) > 0) {
		const char *sha_of;
		json_t *j;

		r = hc_request(hc, "POST", url, body, NULL, &resp);
		j = json_loads(body, 0, NULL);
		sha_of = json_string_value(json_object_get(j, "sha256"));
		snprintf(sha, sizeof(sha), "%s", sha_of ? sha_of : "");
		json_decref(j);
		explicit_bzero(body, strlen(body));
		free(body);
		if (r < 0) {
			snprintf(why, why_len, "%s", resp.error);
			return r;
		}
		if (resp.status >= 500 || resp.status == 0) {
			hc_error_text(&resp, why, why_len);
			hc_response_free(&resp);
			return -EPROTO;
		}
		if (resp.status != 200) {
			char text[HC_ERROR_MAX];

			/* Refused for good: resending cannot help; the finger stays here, unshared.
			 */
			hc_error_text(&resp, text, sizeof(text));
			log_warn("templates: the collector refused a report (%ld %s), dropped",
				 resp.status, text);
			if (sha[0] && store_finger_unshare(st, sha) < 0)
				log_warn("templates: cannot mark the finger unshared, ignoring");
		}
		hc_response_free(&resp);
		r = store_template_outbox_drop(st, id);
		if (r < 0)
			break;
	}
	if (r < 0)
		snprintf(why, why_len, "cannot read the template outbox from the kiosk database");
	return r;
}

/* Queue the enrolments the collector asks of this kiosk ("enroll":[{"nip","id"}]). */
static int take_requests(struct store *st, const json_t *root, unsigned *queued)
{
	const json_t *list = json_object_get(root, "enroll");
	json_t *item;
	size_t i;
	int r;

	json_array_foreach(list, i, item)
	{
		const char *nip = json_string_value(json_object_get(item, "nip"));
		json_t *id = json_object_get(item, "id");

		if (!nip || strlen(nip) >= RECORD_NIP_MAX || !json_is_integer(id) ||
		    json_integer_value(id) <= 0)
			continue;
		r = store_template_request_take(st, json_integer_value(id), nip);
		if (r < 0)
			return r;
		if (r > 0) {
			log_info("templates: the collector asks to enrol %s here (request "
				 "%" JSON_INTEGER_FORMAT ")",
				 nip, json_integer_value(id));
			(*queued)++;
		}
	}
	return 0;
}

struct listed {
	struct store_template *list;
	uint8_t *bytes; /* one STORE_TEMPLATE_MAX slot per entry */
	size_t n, max;
	bool is_shared; /* some staff entry had a "templates" member */
};

/* Add nip's template tmpl to the list, or with tmpl NULL the mark that nip's templates are listed.
 */
static int add_listed(struct listed *l, const char *nip, const json_t *tmpl)
{
	const char *b64 = json_string_value(json_object_get(tmpl, "data"));
	uint8_t digest[CRYPTO_SHA256_LEN], *slot;
	struct store_template *e;
	size_t len = 0;

	if (tmpl && !b64)
		return 0;
	if (l->n == l->max) {
		size_t max = l->max ? 2 * l->max : 64;
		struct store_template *list = realloc(l->list, max * sizeof(*list));
		uint8_t *bytes;

		if (!list)
			return -ENOMEM;
		l->list = list;
		bytes = realloc(l->bytes, max * STORE_TEMPLATE_MAX);
		if (!bytes)
			return -ENOMEM;
		l->bytes = bytes;
		l->max = max;
	}
	slot = l->bytes + l->n * STORE_TEMPLATE_MAX;
	if (tmpl && (crypto_base64_decode(b64, strlen(b64), slot, STORE_TEMPLATE_MAX, &len) < 0 ||
		     len == 0)) {
		log_warn("templates: a template of %s in the roster is not base64, ignoring", nip);
		return 0;
	}
	e = &l->list[l->n++];
	e->nip = nip;
	e->len = len;
	e->sha256[0] = '\0';
	if (tmpl) {
		crypto_sha256(slot, len, digest);
		crypto_hex(digest, e->sha256);
	}
	return 0;
}

int templates_from_roster(struct store *st, const json_t *root, unsigned *ret_queued)
{
	struct listed l = {.list = NULL};
	const json_t *person;
	unsigned queued = 0, reconciled = 0;
	size_t i;
	int r;

	r = take_requests(st, root, &queued);
	json_array_foreach(json_object_get(root, "staff"), i, person)
	{
		const char *nip = json_string_value(json_object_get(person, "nip"));
		const json_t *list = json_object_get(person, "templates"), *tmpl;
		size_t j;

		if (r < 0)
			break;
		if (!nip || !json_is_array(list))
			continue;
		l.is_shared = true;
		r = add_listed(&l, nip, NULL); /* nip's templates are listed, maybe none */
		json_array_foreach(list, j, tmpl)
		{
			if (r < 0)
				break;
			r = add_listed(&l, nip, tmpl);
		}
	}
	/* Slots may have moved while the list grew: point each entry at its own now. */
	for (size_t k = 0; k < l.n; k++)
		l.list[k].data = l.bytes + k * STORE_TEMPLATE_MAX;
	if (r == 0 && l.is_shared)
		r = store_templates_reconcile(st, l.list, l.n, &reconciled);
	if (l.bytes)
		explicit_bzero(l.bytes, l.max * STORE_TEMPLATE_MAX);
	free(l.bytes);
	free(l.list);
	if (r == 0)
		*ret_queued = queued + reconciled;
	return r;
}
