// SPDX-License-Identifier: MIT
/* The mbedTLS adapter: SHA-256 vectors, tokens, keys, CSRs and the small CA. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <unistd.h>
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

static void test_crypto_token_new_shape_and_hash(void **state)
{
	char a[CRYPTO_TOKEN_LEN + 1], b[CRYPTO_TOKEN_LEN + 1];
	char ha[CRYPTO_SHA256_HEX], hb[CRYPTO_SHA256_HEX];

	(void)state;
	assert_int_equal(crypto_token_new(a), 0);
	assert_int_equal(crypto_token_new(b), 0);
	assert_int_equal(strlen(a), CRYPTO_TOKEN_LEN);
	assert_int_equal(
	    strspn(a, "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_"),
	    CRYPTO_TOKEN_LEN);
	assert_string_not_equal(a, b);
	crypto_token_hash(a, ha);
	crypto_token_hash(b, hb);
	assert_string_not_equal(ha, hb);
	crypto_token_hash(a, hb);
	assert_string_equal(ha, hb);
}

static void test_crypto_equal_cases(void **state)
{
	(void)state;
	assert_true(crypto_equal("abcd", "abcd", 4));
	assert_false(crypto_equal("abcd", "abce", 4));
	assert_false(crypto_equal("xbcd", "abcd", 4));
	assert_true(crypto_equal("a", "b", 0));
}

static const struct crypto_cert_req ca_req = {
    .role = CRYPTO_CERT_CA,
    .cn = "Test CA",
    .not_before_usec = INT64_C(1700000000) * 1000000,
    .not_after_usec = INT64_C(4000000000) * 1000000,
};

/* A fresh CA: its key and self-signed certificate. */
static void make_ca(struct crypto_key **ret_key, char **ret_pem)
{
	assert_int_equal(crypto_key_generate(ret_key), 0);
	assert_int_equal(crypto_ca_create(*ret_key, &ca_req, ret_pem), 0);
}

/* A client certificate for a fresh key, issued by the CA. */
static char *issue_client(const char *ca_pem, const struct crypto_key *ca_key, const char *cn)
{
	struct crypto_cert_req req = ca_req;
	struct crypto_key *key;
	char *csr, *cert;

	req.role = CRYPTO_CERT_CLIENT;
	req.cn = cn;
	assert_int_equal(crypto_key_generate(&key), 0);
	assert_int_equal(crypto_csr_create(key, "ignored-by-ca", &csr), 0);
	assert_int_equal(crypto_cert_issue(ca_pem, ca_key, csr, &req, &cert), 0);
	free(csr);
	crypto_key_free(key);
	return cert;
}

static void test_crypto_cert_issue_verifies_against_its_ca_only(void **state)
{
	struct crypto_key *ca_key, *other_key;
	char *ca_pem, *other_pem, *cert;

	(void)state;
	make_ca(&ca_key, &ca_pem);
	make_ca(&other_key, &other_pem); /* same name, different key */
	cert = issue_client(ca_pem, ca_key, "kiosk-1");
	assert_int_equal(crypto_cert_verify(cert, ca_pem), 0);
	assert_int_equal(crypto_cert_verify(cert, other_pem), -EACCES);
	assert_int_equal(crypto_cert_verify(ca_pem, ca_pem), 0);
	assert_int_equal(crypto_cert_verify("junk", ca_pem), -EBADMSG);
	free(cert);
	free(ca_pem);
	free(other_pem);
	crypto_key_free(ca_key);
	crypto_key_free(other_key);
}

/* A signature by a key verifies with its certificate only, and only for the digest signed. */
static void test_crypto_sign_verify_digest(void **state)
{
	uint8_t digest[CRYPTO_SHA256_LEN], sig[CRYPTO_SIGNATURE_MAX];
	struct crypto_key *key, *other_key;
	char *pem, *other_pem;
	size_t len = 0;

	(void)state;
	make_ca(&key, &pem);
	make_ca(&other_key, &other_pem);
	crypto_sha256("head", 4, digest);
	assert_int_equal(crypto_sign_digest(key, digest, sig, &len), 0);
	assert_true(len > 8 && len <= 72);
	assert_int_equal(crypto_verify_digest(pem, strlen(pem), digest, sig, len), 0);
	assert_int_equal(crypto_verify_digest(other_pem, strlen(other_pem), digest, sig, len),
			 -EBADMSG);
	digest[0] ^= 1;
	assert_int_equal(crypto_verify_digest(pem, strlen(pem), digest, sig, len), -EBADMSG);
	digest[0] ^= 1;
	sig[len - 1] ^= 1;
	assert_int_equal(crypto_verify_digest(pem, strlen(pem), digest, sig, len), -EBADMSG);
	assert_int_equal(crypto_verify_digest(pem, strlen(pem), digest, sig, 0), -EBADMSG);
	assert_int_equal(crypto_verify_digest("junk", 4, digest, sig, len), -EBADMSG);
	free(pem);
	free(other_pem);
	crypto_key_free(key);
	crypto_key_free(other_key);
}

static void test_crypto_cert_info_names_subject_and_serial(void **state)
{
	struct crypto_cert_info a, b;
	struct crypto_key *ca_key;
	char *ca_pem, *c1, *c2;

	(void)state;
	make_ca(&ca_key, &ca_pem);
	c1 = issue_client(ca_pem, ca_key, "pintu-utama");
	c2 = issue_client(ca_pem, ca_key, "pintu-utama");
	assert_int_equal(crypto_cert_info(c1, strlen(c1), &a), 0);
	assert_int_equal(crypto_cert_info(c2, strlen(c2) + 1, &b), 0);
	assert_string_equal(a.cn, "pintu-utama"); /* the CA's choice, not the CSR's */
	assert_int_equal(strlen(a.serial), 32);
	assert_string_not_equal(a.serial, b.serial);
	assert_memory_not_equal(a.fingerprint, b.fingerprint, CRYPTO_SHA256_LEN);
	assert_int_equal(crypto_cert_info("x", 1, &a), -EBADMSG);
	free(c1);
	free(c2);
	free(ca_pem);
	crypto_key_free(ca_key);
}

static void test_crypto_server_cert_with_sans(void **state)
{
	static const char *const dns[] = {"localhost", "collector.example", NULL};
	static const char *const ips[] = {"127.0.0.1", "::1", NULL};
	struct crypto_cert_req req = ca_req;
	struct crypto_key *ca_key, *key;
	char *ca_pem, *csr, *cert;

	(void)state;
	make_ca(&ca_key, &ca_pem);
	assert_int_equal(crypto_key_generate(&key), 0);
	assert_int_equal(crypto_csr_create(key, "collector", &csr), 0);
	req.role = CRYPTO_CERT_SERVER;
	req.cn = "collector";
	req.dns_names = dns;
	req.ip_addrs = ips;
	assert_int_equal(crypto_cert_issue(ca_pem, ca_key, csr, &req, &cert), 0);
	assert_int_equal(crypto_cert_verify(cert, ca_pem), 0);
	free(cert);
	req.ip_addrs = (const char *const[]){"not-an-ip", NULL};
	assert_int_equal(crypto_cert_issue(ca_pem, ca_key, csr, &req, &cert), -EINVAL);
	req.role = CRYPTO_CERT_CA; /* a CA is never issued from a CSR */
	assert_int_equal(crypto_cert_issue(ca_pem, ca_key, csr, &req, &cert), -EINVAL);
	free(csr);
	free(ca_pem);
	crypto_key_free(key);
	crypto_key_free(ca_key);
}

static void test_crypto_csr_check_rejects_tampering(void **state)
{
	struct crypto_key *key;
	char *csr, *p;

	(void)state;
	assert_int_equal(crypto_key_generate(&key), 0);
	assert_int_equal(crypto_csr_create(key, "kiosk-2", &csr), 0);
	assert_int_equal(crypto_csr_check(csr, strlen(csr)), 0);
	assert_int_equal(crypto_csr_check(csr, 20), -EBADMSG);
	assert_int_equal(crypto_csr_check("", 0), -EBADMSG);
	/* Flip a base64 character in the middle: the signature no longer matches. */
	p = csr + strlen(csr) / 2;
	*p = *p == 'A' ? 'B' : 'A';
	assert_int_not_equal(crypto_csr_check(csr, strlen(csr)), 0);
	assert_int_equal(crypto_csr_create(key, "bad,name", &p), -EINVAL);
	free(csr);
	crypto_key_free(key);
}

static void test_crypto_key_save_is_private_and_loads(void **state)
{
	char dir[] = "/tmp/hadir-crypto.XXXXXX", path[64];
	struct crypto_key *key, *back;
	char *csr;
	struct stat st;

	(void)state;
	assert_non_null(mkdtemp(dir));
	snprintf(path, sizeof(path), "%s/k.pem", dir);
	assert_int_equal(crypto_key_generate(&key), 0);
	assert_int_equal(crypto_key_save(key, path), 0);
	assert_int_equal(stat(path, &st), 0);
	assert_int_equal(st.st_mode & 0777, 0600);
	assert_int_equal(crypto_key_load(path, &back), 0);
	assert_int_equal(crypto_csr_create(back, "k", &csr), 0);
	free(csr);
	crypto_key_free(back);
	crypto_key_free(key);
	assert_int_equal(unlink(path), 0);
	assert_int_equal(crypto_key_load(path, &back), -EIO);
	assert_int_equal(rmdir(dir), 0);
}

/* Bytes from hex (test helper); returns the length. */
static size_t unhex(const char *hex, uint8_t *out)
{
	size_t n = strlen(hex) / 2;

	for (size_t i = 0; i < n; i++) {
		unsigned v;

		assert_int_equal(sscanf(hex + 2 * i, "%2x", &v), 1);
		out[i] = (uint8_t)v;
	}
	return n;
}

/* The GCM specification's (McGrew and Viega) test case 16: AES-256, 96-bit IV, with AAD. */
static const char gcm_key[] = "feffe9928665731c6d6a8f9467308308feffe9928665731c6d6a8f9467308308";
static const char gcm_iv[] = "cafebabefacedbaddecaf888";
static const char gcm_aad[] = "feedfacedeadbeeffeedfacedeadbeefabaddad2";
static const char gcm_plain[] = "d9313225f88406e5a55909c5aff5269a86a7a9531534f7da2e4c303d8a318a72"
				"1c3c0c95956809532fcf0e2449a6b525b16aedf5aa0de657ba637b39";
static const char gcm_cipher[] = "522dc1f099567d07f47f37a32a84427d643a8cdcbfe5c0c97598a2bd2555d1aa"
				 "8cb08e48590dbb3da7b08b1056828838c5f61e6393ba7a0abcc9f662";
static const char gcm_tag[] = "76fc6ece0f4e1768cddf8853bb2d551b";

struct gcm_case {
	uint8_t key[32], iv[12], aad[20], plain[60], want[60 + 16], sealed[60 + 16], back[60];
	size_t aad_len, len;
};

static void gcm_case_load(struct gcm_case *c)
{
	assert_int_equal(unhex(gcm_key, c->key), 32);
	assert_int_equal(unhex(gcm_iv, c->iv), 12);
	c->aad_len = unhex(gcm_aad, c->aad);
	c->len = unhex(gcm_plain, c->plain);
	assert_int_equal(unhex(gcm_cipher, c->want), c->len);
	assert_int_equal(unhex(gcm_tag, c->want + c->len), 16);
}

static void test_crypto_aead_nist_vector(void **state)
{
	struct gcm_case c;

	(void)state;
	gcm_case_load(&c);
	assert_int_equal(crypto_aead_seal(c.key, c.iv, c.aad, c.aad_len, c.plain, c.len, c.sealed),
			 0);
	assert_memory_equal(c.sealed, c.want, c.len + CRYPTO_AEAD_TAG_LEN);
	assert_int_equal(crypto_aead_open(c.key, c.iv, c.aad, c.aad_len, c.want,
					  c.len + CRYPTO_AEAD_TAG_LEN, c.back),
			 0);
	assert_memory_equal(c.back, c.plain, c.len);
}

/* Open c.sealed after mutate changed something: refused, nothing readable left. */
static void assert_open_refused(struct gcm_case *c, const uint8_t *key, const uint8_t *aad,
				size_t sealed_len)
{
	static const uint8_t zero[60];

	memset(c->back, 0xAA, sizeof(c->back));
	assert_int_equal(
	    crypto_aead_open(key, c->iv, aad, c->aad_len, c->sealed, sealed_len, c->back),
	    -EBADMSG);
	if (sealed_len == c->len + CRYPTO_AEAD_TAG_LEN)
		assert_memory_equal(c->back, zero, c->len);
}

static void test_crypto_aead_tamper_refused(void **state)
{
	uint8_t other_key[32], other_aad[20];
	struct gcm_case c;

	(void)state;
	gcm_case_load(&c);
	memcpy(c.sealed, c.want, sizeof(c.sealed));
	c.sealed[7] ^= 0x01; /* a ciphertext bit */
	assert_open_refused(&c, c.key, c.aad, c.len + CRYPTO_AEAD_TAG_LEN);
	memcpy(c.sealed, c.want, sizeof(c.sealed));
	c.sealed[c.len + 3] ^= 0x80; /* a tag bit */
	assert_open_refused(&c, c.key, c.aad, c.len + CRYPTO_AEAD_TAG_LEN);
	memcpy(c.sealed, c.want, sizeof(c.sealed));
	memcpy(other_aad, c.aad, sizeof(other_aad));
	other_aad[19] ^= 0x01; /* the same bytes claimed for another row */
	assert_open_refused(&c, c.key, other_aad, c.len + CRYPTO_AEAD_TAG_LEN);
	memcpy(other_key, c.key, sizeof(other_key));
	other_key[0] ^= 0x01; /* another key */
	assert_open_refused(&c, other_key, c.aad, c.len + CRYPTO_AEAD_TAG_LEN);
	assert_open_refused(&c, c.key, c.aad, c.len + CRYPTO_AEAD_TAG_LEN - 1); /* truncated */
	assert_open_refused(&c, c.key, c.aad, CRYPTO_AEAD_TAG_LEN - 1); /* shorter than a tag */
}

static void test_crypto_base64_roundtrip_and_rejects(void **state)
{
	uint8_t data[300], back[300];
	size_t len;
	char *text;

	(void)state;
	for (size_t i = 0; i < sizeof(data); i++)
		data[i] = (uint8_t)(i * 7);
	assert_int_equal(crypto_base64_encode("foob", 4, &text), 0);
	assert_string_equal(text, "Zm9vYg==");
	free(text);
	assert_int_equal(crypto_base64_encode(data, sizeof(data), &text), 0);
	assert_int_equal(crypto_base64_decode(text, strlen(text), back, sizeof(back), &len), 0);
	assert_int_equal(len, sizeof(data));
	assert_memory_equal(back, data, sizeof(data));
	assert_int_equal(crypto_base64_decode(text, strlen(text), back, 299, &len), -E2BIG);
	free(text);
	assert_int_equal(crypto_base64_decode("Zm9v*g==", 8, back, sizeof(back), &len), -EINVAL);
}

static void test_crypto_secret_private_and_checked(void **state)
{
	char dir[] = "/tmp/hadir-secret-XXXXXX", path[64];
	uint8_t a[CRYPTO_AEAD_KEY_LEN], b[CRYPTO_AEAD_KEY_LEN];
	struct stat st;
	FILE *f;

	(void)state;
	assert_non_null(mkdtemp(dir));
	snprintf(path, sizeof(path), "%s/t.key", dir);
	assert_int_equal(crypto_secret_load(path, a), -ENOENT);
	assert_int_equal(crypto_secret_create(path), 0);
	assert_int_equal(crypto_secret_create(path), -EEXIST);
	assert_int_equal(stat(path, &st), 0);
	assert_int_equal(st.st_mode & 0777, 0600);
	assert_int_equal(st.st_size, 65);
	assert_int_equal(crypto_secret_load(path, a), 0);
	assert_int_equal(crypto_secret_load(path, b), 0);
	assert_memory_equal(a, b, sizeof(a));
	assert_int_equal(chmod(path, 0640), 0);
	assert_int_equal(crypto_secret_load(path, a), -EPERM);
	assert_int_equal(chmod(path, 0600), 0);
	f = fopen(path, "w");
	assert_non_null(f);
	fputs("not hex\n", f);
	fclose(f);
	assert_int_equal(crypto_secret_load(path, a), -EINVAL);
	assert_int_equal(unlink(path), 0);
	assert_int_equal(rmdir(dir), 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_crypto_sha256_vectors),
	    cmocka_unit_test(test_crypto_sha256_incremental_matches),
	    cmocka_unit_test(test_crypto_unhex_roundtrip_and_rejects),
	    cmocka_unit_test(test_crypto_token_new_shape_and_hash),
	    cmocka_unit_test(test_crypto_equal_cases),
	    cmocka_unit_test(test_crypto_cert_issue_verifies_against_its_ca_only),
	    cmocka_unit_test(test_crypto_sign_verify_digest),
	    cmocka_unit_test(test_crypto_cert_info_names_subject_and_serial),
	    cmocka_unit_test(test_crypto_server_cert_with_sans),
	    cmocka_unit_test(test_crypto_csr_check_rejects_tampering),
	    cmocka_unit_test(test_crypto_key_save_is_private_and_loads),
	    cmocka_unit_test(test_crypto_aead_nist_vector),
	    cmocka_unit_test(test_crypto_aead_tamper_refused),
	    cmocka_unit_test(test_crypto_base64_roundtrip_and_rejects),
	    cmocka_unit_test(test_crypto_secret_private_and_checked),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
