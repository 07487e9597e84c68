/* SPDX-License-Identifier: MIT */
/*
 * The one adapter to mbedTLS 2.28 for hashing, keys, certificates and
 * randomness. Nothing else includes mbedTLS headers for these jobs, so a move
 * to mbedTLS 3 changes this file only. mbedTLS error codes become negative
 * errno values here.
 */
#ifndef HADIR_COMMON_CRYPTO_H
#define HADIR_COMMON_CRYPTO_H

#include <stddef.h>
#include <stdint.h>

#include "common/err.h"

#define CRYPTO_SHA256_LEN 32
#define CRYPTO_SHA256_HEX (2 * CRYPTO_SHA256_LEN + 1)

/* Incremental SHA-256, for hashing a record's parts without copying them together. */
struct crypto_sha256 {
	unsigned char state[256]; /* holds an mbedtls_sha256_context, kept opaque */
};

void crypto_sha256_init(struct crypto_sha256 *ctx);
void crypto_sha256_update(struct crypto_sha256 *ctx, const void *data, size_t len);
void crypto_sha256_final(struct crypto_sha256 *ctx, uint8_t out[CRYPTO_SHA256_LEN]);

void crypto_sha256(const void *data, size_t len, uint8_t out[CRYPTO_SHA256_LEN]);

/* Lower-case hex of a digest; hex holds CRYPTO_SHA256_HEX bytes. */
void crypto_hex(const uint8_t digest[CRYPTO_SHA256_LEN], char hex[CRYPTO_SHA256_HEX]);
/* Parse 64 hex digits; -EINVAL for anything else. */
int crypto_unhex(const char *hex, uint8_t digest[CRYPTO_SHA256_LEN]) MUST_CHECK;

#endif
