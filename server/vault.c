// SPDX-License-Identifier: MIT
/*
 * Sealing and opening fingerprint templates with the site's template key.
 * Every plaintext buffer is wiped before it is freed or goes out of scope.
 */
#include "server/vault.h"

#include <errno.h>
#include <inttypes.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "common/log.h"
#include "server/config.h"
#include "server/db.h"

#define AAD_MAX (32 + RECORD_NIP_MAX)

struct vault {
	uint8_t key[CRYPTO_AEAD_KEY_LEN];
};

/* The additional data binding a sealed template to its row. Returns its length. */
static size_t aad_of(const char *nip, int64_t idx, char out[AAD_MAX])
{
	return (size_t)snprintf(out, AAD_MAX, "hadir-template-v1|%s|%" PRId64, nip, idx);
}

/* Open a stored template into plain (room for VAULT_BYTES_MAX); its length in ret_len. */
static int open_row(const struct vault *t, const struct db_template *row, uint8_t *plain,
		    size_t *ret_len)
{
	char aad[AAD_MAX];
	size_t aad_len = aad_of(row->nip, row->idx, aad);
	int r;

	if (row->sealed_len < CRYPTO_AEAD_TAG_LEN ||
	    row->sealed_len - CRYPTO_AEAD_TAG_LEN > VAULT_BYTES_MAX)
		return -EBADMSG;
	r = crypto_aead_open(t->key, row->nonce, aad, aad_len, row->sealed, row->sealed_len, plain);
	if (r == 0)
		*ret_len = row->sealed_len - CRYPTO_AEAD_TAG_LEN;
	return r;
}

/* --- key --- */

struct first_row {
	const struct vault *t; /* NULL: only count */
	unsigned rows;
	int open_result;
};

static int check_first(const struct db_template *row, void *user)
{
	uint8_t plain[VAULT_BYTES_MAX];
	struct first_row *f = user;
	size_t len;

	f->rows++;
	if (f->t) {
		f->open_result = open_row(f->t, row, plain, &len);
		explicit_bzero(plain, sizeof(plain));
	}
	return -ECANCELED; /* one row tells */
}

int vault_open(const struct config *cfg, struct db *db, struct vault **ret_vault)
{
	struct first_row first = {.t = NULL};
	struct vault *t;
	int r;

	t = calloc(1, sizeof(*t));
	if (!t)
		return -ENOMEM;
	r = crypto_secret_load(cfg->templates_key, t->key);
	if (r == -ENOENT) {
		r = db_template_list(db, NULL, check_first, &first);
		if (r < 0 && r != -ECANCELED)
			goto out_free;
		if (first.rows > 0) {
			log_err(
			    "templates: key file '%s' is missing but the database holds "
			    "fingerprint templates: restore the key from its backup (without it "
			    "they are lost and must be enrolled again)",
			    cfg->templates_key);
			r = -ENOENT;
			goto out_free;
		}
		log_warn("templates: no key file '%s': fingerprint templates are not shared "
			 "(`hadir-collector init` creates one; see README)",
			 cfg->templates_key);
		*ret_vault = NULL;
		r = 0;
		goto out_free;
	}
	if (r == -EPERM) {
		log_err("templates: key file '%s' is readable or writable by others: "
			"chmod 0600 it (and consider the key exposed)",
			cfg->templates_key);
		goto out_free;
	}
	if (r < 0) {
		log_err("templates: key file '%s': %s", cfg->templates_key,
			r == -EINVAL ? "not 64 hex digits" : strerror(-r));
		goto out_free;
	}
	first.t = t;
	r = db_template_list(db, NULL, check_first, &first);
	if (r < 0 && r != -ECANCELED)
		goto out_free;
	if (first.rows > 0 && first.open_result < 0) {
		log_err("templates: key file '%s' does not open the stored fingerprint templates: "
			"wrong key file? Restore the right one from its backup",
			cfg->templates_key);
		r = -EKEYREJECTED;
		goto out_free;
	}
	*ret_vault = t;
	return 0;

out_free:
	vault_free(t);
	return r;
}

void vault_free(struct vault *t)
{
	if (!t)
		return;
	explicit_bzero(t, sizeof(*t));
	free(t);
}

/* --- put, delete --- */

struct scan {
	const struct vault *t;
	const uint8_t *data; /* put: the new template */
	size_t len;
	const uint8_t *sha256; /* delete: the template to find */
	bool used[VAULT_PER_NIP];
	int64_t match; /* idx of the matching template, -1: none */
};

static int scan_row(const struct db_template *row, void *user)
{
	uint8_t plain[VAULT_BYTES_MAX], digest[CRYPTO_SHA256_LEN];
	struct scan *sc = user;
	size_t len;
	int r;

	if (row->idx >= 0 && row->idx < VAULT_PER_NIP)
		sc->used[row->idx] = true;
	r = open_row(sc->t, row, plain, &len);
	if (r < 0) {
		log_err("templates: %s/%" PRId64 " does not open (altered?), skipping it", row->nip,
			row->idx);
		return 0;
	}
	if (sc->data) {
		if (len == sc->len && crypto_equal(plain, sc->data, len))
			sc->match = row->idx;
	} else {
		crypto_sha256(plain, len, digest);
		if (crypto_equal(digest, sc->sha256, sizeof(digest)))
			sc->match = row->idx;
	}
	explicit_bzero(plain, sizeof(plain));
	return 0;
}

int vault_put(struct vault *t, struct db *db, const char *nip, const uint8_t *data, size_t len,
	      int64_t device_id, int64_t now_usec, int64_t *ret_idx)
{
	struct scan sc = {.t = t, .data = data, .len = len, .match = -1};
	struct db_template *row;
	char aad[AAD_MAX];
	int64_t idx = -1;
	int r;

	if (len == 0 || len > VAULT_BYTES_MAX || strlen(nip) >= RECORD_NIP_MAX)
		return -EINVAL;
	r = db_template_list(db, nip, scan_row, &sc);
	if (r < 0)
		return r;
	if (sc.match >= 0) {
		*ret_idx = sc.match;
		return 0;
	}
	for (int64_t i = 0; i < VAULT_PER_NIP && idx < 0; i++)
		if (!sc.used[i])
			idx = i;
	if (idx < 0)
		return -ENOSPC;
	row = calloc(1, sizeof(*row));
	if (!row)
		return -ENOMEM;
	snprintf(row->nip, sizeof(row->nip), "%s", nip);
	row->idx = idx;
	row->device_id = device_id;
	row->created_usec = now_usec;
	r = crypto_random(row->nonce, sizeof(row->nonce));
	if (r == 0)
		r = crypto_aead_seal(t->key, row->nonce, aad, aad_of(nip, idx, aad), data, len,
				     row->sealed);
	if (r == 0) {
		row->sealed_len = len + CRYPTO_AEAD_TAG_LEN;
		r = db_template_put(db, row);
	}
	free(row);
	if (r == 0)
		*ret_idx = idx;
	return r;
}

int vault_delete(struct vault *t, struct db *db, const char *nip,
		 const uint8_t sha256[CRYPTO_SHA256_LEN])
{
	struct scan sc = {.t = t, .sha256 = sha256, .match = -1};
	int r;

	r = db_template_list(db, nip, scan_row, &sc);
	if (r < 0 || sc.match < 0)
		return r;
	r = db_template_delete(db, nip, sc.match);
	if (r == -ENOENT)
		return 0;
	return r < 0 ? r : 1;
}

/* --- roster --- */

struct to_json {
	const struct vault *t;
	json_t *arr;
};

static int row_to_json(const struct db_template *row, void *user)
{
	uint8_t plain[VAULT_BYTES_MAX];
	struct to_json *tj = user;
	char *text = NULL;
	json_t *o;
	size_t len;
	int r;

	r = open_row(tj->t, row, plain, &len);
	if (r < 0) {
		log_err("templates: %s/%" PRId64 " does not open (altered, or another key?)",
			row->nip, row->idx);
		return -EBADMSG;
	}
	r = crypto_base64_encode(plain, len, &text);
	explicit_bzero(plain, sizeof(plain));
	if (r < 0)
		return r;
	o = json_pack("{s:I,s:s}", "page", (json_int_t)row->idx, "data", text);
	explicit_bzero(text, strlen(text));
	free(text);
	if (!o || json_array_append_new(tj->arr, o) < 0)
		return -ENOMEM;
	return 0;
}

int vault_to_json(struct vault *t, struct db *db, const char *nip, json_t *arr)
{
	struct to_json tj = {.t = t, .arr = arr};

	return db_template_list(db, nip, row_to_json, &tj);
}

/* --- rekey --- */

struct nips {
	char (*nip)[RECORD_NIP_MAX];
	size_t n, max;
};

static int collect_nip(const struct db_template *row, void *user)
{
	struct nips *ns = user;

	if (ns->n && strcmp(ns->nip[ns->n - 1], row->nip) == 0)
		return 0; /* rows come ordered by nip */
	if (ns->n == ns->max) {
		size_t max = ns->max ? 2 * ns->max : 256;
		char(*nip)[RECORD_NIP_MAX] = realloc(ns->nip, max * sizeof(*nip));

		if (!nip)
			return -ENOMEM;
		ns->nip = nip;
		ns->max = max;
	}
	snprintf(ns->nip[ns->n++], RECORD_NIP_MAX, "%s", row->nip);
	return 0;
}

struct person {
	struct db_template rows[VAULT_PER_NIP];
	size_t n;
};

static int collect_row(const struct db_template *row, void *user)
{
	struct person *p = user;

	if (p->n == VAULT_PER_NIP)
		return -E2BIG;
	p->rows[p->n++] = *row;
	return 0;
}

/* Reseal one person's rows from key old to key new. */
static int reseal(const struct vault *old, const struct vault *new, struct db *db, struct person *p)
{
	uint8_t plain[VAULT_BYTES_MAX];
	char aad[AAD_MAX];
	size_t len;
	int r = 0;

	for (size_t i = 0; r == 0 && i < p->n; i++) {
		struct db_template *row = &p->rows[i];

		r = open_row(old, row, plain, &len);
		if (r == 0)
			r = crypto_random(row->nonce, sizeof(row->nonce));
		if (r == 0)
			r = crypto_aead_seal(new->key, row->nonce, aad,
					     aad_of(row->nip, row->idx, aad), plain, len,
					     row->sealed);
		if (r == 0)
			r = db_template_put(db, row);
		if (r == -EBADMSG)
			log_err("templates: %s/%" PRId64 " does not open: nothing resealed",
				row->nip, row->idx);
	}
	explicit_bzero(plain, sizeof(plain));
	explicit_bzero(p, sizeof(*p));
	return r;
}

int vault_rekey(struct vault *t, struct db *db, const char *new_key_path, unsigned *ret_n)
{
	struct vault new = {.key = {0}};
	struct nips ns = {.nip = NULL};
	struct person *p;
	unsigned count = 0;
	int r;

	p = calloc(1, sizeof(*p));
	if (!p)
		return -ENOMEM;
	r = crypto_secret_load(new_key_path, new.key);
	if (r == 0)
		r = db_begin(db);
	if (r < 0)
		goto out_free;
	r = db_template_list(db, NULL, collect_nip, &ns);
	for (size_t i = 0; r == 0 && i < ns.n; i++) {
		p->n = 0;
		r = db_template_list(db, ns.nip[i], collect_row, p);
		count += (unsigned)p->n;
		if (r == 0)
			r = reseal(t, &new, db, p);
	}
	if (r == 0)
		r = db_commit(db);
	else
		db_rollback(db);
	if (r == 0)
		*ret_n = count;
out_free:
	explicit_bzero(&new, sizeof(new));
	free(ns.nip);
	free(p);
	return r;
}
