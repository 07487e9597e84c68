// SPDX-License-Identifier: MIT
/* SHA-256 through the mbedTLS adapter, against FIPS 180-2 vectors. */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "common/crypto.h"

static void assert_sha256(const char *text, const char *want_hex)
{
	uint8_t digest[CRYPTO_SHA256_LEN];
	char hex[CRYPTO_SHA256_HEX];

	crypto_sha256(text, strlen(text), digest);
	crypto_hex(digest, hex);
	assert_string_equal(hex, want_hex);
}

static void test_crypto_sha256_vectors(void **state)
{
	(void)state;
	assert_sha256("", "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
	assert_sha256("abc", "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
}

static void test_crypto_sha256_incremental_matches(void **state)
{
	uint8_t one[CRYPTO_SHA256_LEN], parts[CRYPTO_SHA256_LEN];
	struct crypto_sha256 ctx;

	(void)state;
	crypto_sha256("hadir-record", 12, one);
	crypto_sha256_init(&ctx);
	crypto_sha256_update(&ctx, "hadir", 5);
	crypto_sha256_update(&ctx, "-record", 7);
	crypto_sha256_final(&ctx, parts);
	assert_memory_equal(one, parts, sizeof(one));
}

static void test_crypto_unhex_roundtrip_and_rejects(void **state)
{
	uint8_t d[CRYPTO_SHA256_LEN], back[CRYPTO_SHA256_LEN];
	char hex[CRYPTO_SHA256_HEX];

	(void)state;
	crypto_sha256("x", 1, d);
	crypto_hex(d, hex);
	assert_int_equal(crypto_unhex(hex, back), 0);
	assert_memory_equal(d, back, sizeof(d));
	hex[5] = 'g';
	assert_int_equal(crypto_unhex(hex, back), -EINVAL);
	assert_int_equal(crypto_unhex("abcd", back), -EINVAL);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_crypto_sha256_vectors),
		cmocka_unit_test(test_crypto_sha256_incremental_matches),
		cmocka_unit_test(test_crypto_unhex_roundtrip_and_rejects),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
