// SPDX-License-Identifier: MIT
/* POST /api/v1/templates: kiosks share enrolled and deleted fingerprint templates. */
#include "server/api_templates.h"

#include <errno.h>
#include <inttypes.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "common/crypto.h"
#include "common/log.h"
#include "server/db.h"
#include "server/vault.h"

#define REASON_MAX 120 /* a failed enrolment's reason as stored */

struct unit_match {
	const char *unit_id;
	unsigned units;
	bool is_found;
};

static int match_unit(const struct db_unit *unit, void *user)
{
	struct unit_match *m = user;

	m->units++;
	if (strcmp(unit->unit_id, m->unit_id) == 0)
		m->is_found = true;
	return 0;
}

int api_templates_device_sees(struct db *db, int64_t device_id, const char *nip)
{
	struct unit_match m = {.unit_id = NULL};
	struct db_staff *staff;
	int r;

	staff = malloc(sizeof(*staff));
	if (!staff)
		return -ENOMEM;
	r = db_staff_get(db, nip, staff);
	if (r == 0) {
		m.unit_id = staff->unit_id;
		r = db_device_units(db, device_id, match_unit, &m);
	}
	free(staff);
	if (r == -ENOENT)
		return 0;
	if (r < 0)
		return r;
	return m.units == 0 || m.is_found;
}

/* Body fields; every pointer borrowed from the parsed JSON. */
struct upload {
	const char *nip, *template_b64, *sha256_hex, *failed;
	bool is_deleted;
	int64_t request; /* 0: none */
	int64_t page;	 /* the kiosk's page, -1: not given */
};

static int parse(json_t *root, struct upload *up, const char **ret_why)
{
	json_t *request = json_object_get(root, "request");
	json_t *page = json_object_get(root, "page");
	json_t *deleted = json_object_get(root, "deleted");

	up->nip = json_string_value(json_object_get(root, "nip"));
	up->template_b64 = json_string_value(json_object_get(root, "template"));
	up->sha256_hex = json_string_value(json_object_get(root, "sha256"));
	up->failed = json_string_value(json_object_get(root, "failed"));
	up->is_deleted = json_is_true(deleted);
	up->request = json_is_integer(request) ? json_integer_value(request) : 0;
	up->page = json_is_integer(page) ? json_integer_value(page) : -1;
	if (!up->nip || up->nip[0] == '\0' || strlen(up->nip) >= RECORD_NIP_MAX) {
		*ret_why = "nip (a string of 1 to 31 bytes) is required";
		return -EINVAL;
	}
	if ((request && (!json_is_integer(request) || up->request <= 0)) ||
	    (deleted && !json_is_boolean(deleted))) {
		*ret_why = "request is a positive integer, deleted a boolean";
		return -EINVAL;
	}
	if ((up->template_b64 != NULL) + up->is_deleted + (up->failed != NULL) != 1) {
		*ret_why = "exactly one of template, deleted:true or failed is required";
		return -EINVAL;
	}
	if (!up->failed && !up->sha256_hex) {
		*ret_why = "sha256 (64 hex digits) is required with template or deleted";
		return -EINVAL;
	}
	if (up->failed && up->request == 0) {
		*ret_why = "failed is the outcome of a request: request is required";
		return -EINVAL;
	}
	return 0;
}

/* Settle a collector-asked enrolment; a resent or foreign report changes nothing. */
static int finish_request(struct db *db, const struct upload *up, int64_t device_id,
			  const char *state, const char *reason, int64_t now)
{
	int r = db_enroll_request_finish(db, up->request, device_id, state, reason, now);

	if (r == -ENOENT) {
		log_info("templates: request %" PRId64 " is not pending for this device, ignoring",
			 up->request);
		return 0;
	}
	return r;
}

/*
 * End the transaction of a change: after r == 0, bump the roster version
 * when the change shows in rosters (is_visible) and commit; else roll back.
 */
static int settle(struct db *db, int r, bool is_visible, int64_t now)
{
	if (r == 0 && is_visible)
		r = db_roster_bump(db, now, false);
	if (r == 0)
		r = db_commit(db);
	else
		db_rollback(db);
	return r;
}

static int store_template(struct api *api, const struct upload *up,
			  const uint8_t sha[CRYPTO_SHA256_LEN], int64_t device_id, int64_t now,
			  int64_t *ret_idx, const char **ret_why)
{
	uint8_t *data, digest[CRYPTO_SHA256_LEN];
	size_t len = 0;
	int r;

	data = malloc(VAULT_BYTES_MAX);
	if (!data)
		return -ENOMEM;
	r = crypto_base64_decode(up->template_b64, strlen(up->template_b64), data, VAULT_BYTES_MAX,
				 &len);
	if (r < 0 || len == 0) {
		*ret_why = "template: 1 to 4096 bytes of base64";
		r = -EINVAL;
		goto out_free;
	}
	crypto_sha256(data, len, digest);
	if (!crypto_equal(digest, sha, sizeof(digest))) {
		*ret_why = "sha256 does not match the template (damaged in transit?)";
		r = -EINVAL;
		goto out_free;
	}
	r = db_begin(api->db);
	if (r < 0)
		goto out_free;
	r = vault_put(api->vault, api->db, up->nip, data, len, device_id, now, ret_idx);
	if (r == 0 && up->request)
		r = finish_request(api->db, up, device_id, "done", "", now);
	r = settle(api->db, r, true, now);
	if (r == -ENOSPC)
		*ret_why = "this person has 10 templates already: delete one first";
out_free:
	explicit_bzero(data, VAULT_BYTES_MAX);
	free(data);
	return r;
}

static int delete_template(struct api *api, const struct upload *up,
			   const uint8_t sha[CRYPTO_SHA256_LEN], int64_t now, int *ret_deleted)
{
	int r = db_begin(api->db);

	if (r < 0)
		return r;
	r = vault_delete(api->vault, api->db, up->nip, sha);
	if (r >= 0)
		*ret_deleted = r;
	return settle(api->db, r < 0 ? r : 0, r > 0, now);
}

static int fail_request(struct api *api, const struct upload *up, int64_t device_id, int64_t now)
{
	char reason[REASON_MAX];
	int r = db_begin(api->db);

	if (r < 0)
		return r;
	snprintf(reason, sizeof(reason), "%s", up->failed);
	r = finish_request(api->db, up, device_id, "failed", reason, now);
	return settle(api->db, r, true, now);
}

void api_templates_post(struct api *api, const struct api_call *call, struct api_reply *ret)
{
	int64_t now = call->now, idx = -1;
	uint8_t sha[CRYPTO_SHA256_LEN];
	const char *why = "";
	struct upload up;
	struct db_device dev;
	int deleted = 0, r;
	json_t *root;

	if (api_device_of(api, call->peer, now, &dev, ret) < 0)
		return;
	root = api_parse_object(call->req, now, ret);
	if (!root)
		return;
	r = parse(root, &up, &why);
	if (r == 0 && up.sha256_hex && crypto_unhex(up.sha256_hex, sha) < 0) {
		why = "sha256: 64 hex digits";
		r = -EINVAL;
	}
	if (r < 0) {
		api_error(400, why, now, ret);
		goto out_root;
	}
	if (!up.failed && !api->vault) {
		api_error(503,
			  "fingerprint templates are not shared: the collector has no key file",
			  now, ret);
		goto out_root;
	}
	r = api_templates_device_sees(api->db, dev.id, up.nip);
	if (r == 0) {
		log_warn("templates: device '%s' may not share templates of %s (not its unit)",
			 dev.name, up.nip);
		api_error(403, "this NIP is not in this device's roster", now, ret);
		goto out_root;
	}
	if (r > 0 && up.template_b64)
		r = store_template(api, &up, sha, dev.id, now, &idx, &why);
	else if (r > 0 && up.is_deleted)
		r = delete_template(api, &up, sha, now, &deleted);
	else if (r > 0)
		r = fail_request(api, &up, dev.id, now);
	if (r == -EINVAL || r == -ENOSPC) {
		api_error(r == -EINVAL ? 400 : 409, why, now, ret);
		goto out_root;
	}
	if (r < 0) {
		log_err("templates: from device '%s': %s", dev.name, strerror(-r));
		api_error(r == -EBUSY ? 503 : 500, "storage error; resend later", now, ret);
		goto out_root;
	}
	if (up.template_b64) {
		log_info("templates: %s template %" PRId64 " from device '%s' (its page %" PRId64
			 ")%s",
			 up.nip, idx, dev.name, up.page, up.request ? ", as requested" : "");
		api_reply_json(200, json_pack("{s:I}", "index", (json_int_t)idx), now, ret);
	} else if (up.is_deleted) {
		log_info("templates: %s template deleted at device '%s'%s", up.nip, dev.name,
			 deleted ? "" : " (none stored)");
		api_reply_json(200, json_pack("{s:i}", "deleted", deleted), now, ret);
	} else {
		log_info("templates: enrolment request %" PRId64 " of %s failed at device '%s'",
			 up.request, up.nip, dev.name);
		api_reply_json(200, json_object(), now, ret);
	}
out_root:
	json_decref(root);
}

static int add_request(const struct db_enroll_request *req, void *user)
{
	json_t *o = json_pack("{s:s,s:I}", "nip", req->nip, "id", (json_int_t)req->id);

	if (!o || json_array_append_new(user, o) < 0)
		return -ENOMEM;
	return 0;
}

int api_templates_roster(struct api *api, int64_t device_id, json_t *roster)
{
	json_t *staff = json_object_get(roster, "staff"), *person, *enroll = json_array();
	size_t i;
	int r = enroll ? 0 : -ENOMEM;

	if (r == 0)
		r = json_object_set_new(roster, "enroll", enroll) < 0 ? -ENOMEM : 0;
	if (r == 0)
		r = db_enroll_request_list(api->db, device_id, add_request, enroll);
	json_array_foreach(staff, i, person)
	{
		const char *nip = json_string_value(json_object_get(person, "nip"));
		json_t *list;

		if (r < 0 || !api->vault)
			break;
		list = json_array();
		if (!list || json_object_set_new(person, "templates", list) < 0)
			return -ENOMEM;
		if (nip)
			r = vault_to_json(api->vault, api->db, nip, list);
		if (r == -EBADMSG) {
			/* Left out, not empty: kiosks keep the fingers they have of nip. */
			json_object_del(person, "templates");
			r = 0;
		}
	}
	return r;
}
