// SPDX-License-Identifier: MIT
/* mbedTLS adapter: hashing. Keys, CSRs and certificates join here as they are needed. */
#include "common/crypto.h"

#include <errno.h>
#include <mbedtls/sha256.h>
#include <stdlib.h>
#include <string.h>

_Static_assert(sizeof(mbedtls_sha256_context) <= sizeof(((struct crypto_sha256 *)0)->state),
	       "crypto_sha256 too small for mbedtls_sha256_context");

static mbedtls_sha256_context *sha_ctx(struct crypto_sha256 *ctx)
{
	return (mbedtls_sha256_context *)(void *)ctx->state;
}

/* With mbedTLS's software SHA-256 these calls cannot fail; a failure is a broken library. */
static void must(int r)
{
	if (r != 0)
		abort();
}

void crypto_sha256_init(struct crypto_sha256 *ctx)
{
	mbedtls_sha256_init(sha_ctx(ctx));
	must(mbedtls_sha256_starts_ret(sha_ctx(ctx), 0));
}

void crypto_sha256_update(struct crypto_sha256 *ctx, const void *data, size_t len)
{
	must(mbedtls_sha256_update_ret(sha_ctx(ctx), data, len));
}

void crypto_sha256_final(struct crypto_sha256 *ctx, uint8_t out[CRYPTO_SHA256_LEN])
{
	must(mbedtls_sha256_finish_ret(sha_ctx(ctx), out));
	mbedtls_sha256_free(sha_ctx(ctx));
}

void crypto_sha256(const void *data, size_t len, uint8_t out[CRYPTO_SHA256_LEN])
{
	struct crypto_sha256 ctx;

	crypto_sha256_init(&ctx);
	crypto_sha256_update(&ctx, data, len);
	crypto_sha256_final(&ctx, out);
}

void crypto_hex(const uint8_t digest[CRYPTO_SHA256_LEN], char hex[CRYPTO_SHA256_HEX])
{
	static const char digits[] = "0123456789abcdef";

	for (size_t i = 0; i < CRYPTO_SHA256_LEN; i++) {
		hex[2 * i] = digits[digest[i] >> 4];
		hex[2 * i + 1] = digits[digest[i] & 0xf];
	}
	hex[2 * CRYPTO_SHA256_LEN] = '\0';
}

static int hex_value(char ch)
{
	if (ch >= '0' && ch <= '9')
		return ch - '0';
	if (ch >= 'a' && ch <= 'f')
		return ch - 'a' + 10;
	if (ch >= 'A' && ch <= 'F')
		return ch - 'A' + 10;
	return -1;
}

int crypto_unhex(const char *hex, uint8_t digest[CRYPTO_SHA256_LEN])
{
	uint8_t out[CRYPTO_SHA256_LEN];

	if (strlen(hex) != 2 * CRYPTO_SHA256_LEN)
		return -EINVAL;
	for (size_t i = 0; i < CRYPTO_SHA256_LEN; i++) {
		int hi = hex_value(hex[2 * i]), lo = hex_value(hex[2 * i + 1]);

		if (hi < 0 || lo < 0)
			return -EINVAL;
		out[i] = (uint8_t)(hi << 4 | lo);
	}
	memcpy(digest, out, sizeof(out));
	return 0;
}
