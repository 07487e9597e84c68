/* SPDX-License-Identifier: MIT */
/*
 * The fingerprint template vault of the collector: templates sealed at rest with AES-256-GCM
 * (common/crypto.h) under a 32-byte key read from the file collector.conf
 * names ([templates] key_file, mode 0600), a fresh random 96-bit nonce per
 * write, and "hadir-template-v1|NIP|IDX" as additional data, so a sealed
 * template copied to another person's or another index's row fails to open.
 * A person has up to VAULT_PER_NIP templates, numbered 0..9 (idx); the
 * roster names them "page" for the kiosks, which keep them on pages of their
 * own modules.
 *
 * Plaintext exists only in memory, while a device's upload is checked and
 * sealed or while a roster reply for an authorised device is built; it is
 * never logged. Who may upload or receive a template (devices of the
 * person's unit) is decided by the caller (api_templates.c, roster.c).
 */
#ifndef HADIR_SERVER_VAULT_H
#define HADIR_SERVER_VAULT_H

#include <stddef.h>
#include <stdint.h>

#include "common/crypto.h"
#include "common/err.h"

#define VAULT_PER_NIP	10
#define VAULT_BYTES_MAX 4096 /* the largest module template (R307: 512, R503: 1536) */

struct config;
struct db;
struct json_t;
struct vault;

/*
 * Load the key named in cfg and check it against the stored templates:
 * -ENOENT when the file is missing and templates exist (without them,
 * *ret_vault is NULL and sharing is off), -EPERM when others may read
 * the file, -EINVAL when it is not 64 hex digits, -EKEYREJECTED when it does
 * not open the stored templates (the wrong key file). Each is logged with
 * what to do. Free with vault_free().
 */
int vault_open(const struct config *cfg, struct db *db, struct vault **ret_vault) MUST_CHECK;
void vault_free(struct vault *t);

/*
 * Keep len bytes as one of nip's templates, enrolled at device_id. When an
 * identical template is stored already its index is returned and nothing
 * changes (a resent upload); else the lowest free index is used. -ENOSPC
 * when nip has VAULT_PER_NIP templates, -EINVAL for a bad length.
 */
int vault_put(struct vault *t, struct db *db, const char *nip, const uint8_t *data, size_t len,
	      int64_t device_id, int64_t now_usec, int64_t *ret_idx) MUST_CHECK;

/* Delete nip's template whose bytes hash to sha256. 1 when deleted, 0 when none matched. */
int vault_delete(struct vault *t, struct db *db, const char *nip,
		 const uint8_t sha256[CRYPTO_SHA256_LEN]) MUST_CHECK;

/*
 * Reseal every stored template under the key in new_key_path (a fresh nonce
 * each), in one transaction: afterwards only that key opens them. ret_n:
 * how many. Stop the service first: it holds the old key.
 */
int vault_rekey(struct vault *t, struct db *db, const char *new_key_path,
		unsigned *ret_n) MUST_CHECK;

/*
 * Append nip's templates to the JSON array arr as {"page":IDX,"data":BASE64}.
 * -EBADMSG when one of them does not open (altered, or sealed under another
 * key): the caller must not present arr as nip's complete list.
 */
int vault_to_json(struct vault *t, struct db *db, const char *nip, struct json_t *arr) MUST_CHECK;

#endif
