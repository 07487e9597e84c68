/* SPDX-License-Identifier: MIT */
/*
 * The one adapter to mbedTLS 2.28 for hashing, keys, certificates and
 * randomness. Nothing else includes mbedTLS headers for these jobs, so a move
 * to mbedTLS 3 changes this file only. mbedTLS error codes become negative
 * errno values here.
 */
#ifndef HADIR_COMMON_CRYPTO_H
#define HADIR_COMMON_CRYPTO_H

#include <stdbool.h>
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

/*
 * Randomness: one CTR_DRBG per process, seeded from the kernel on first use.
 * Not thread-safe (the collector and the kiosk each run one event loop).
 */
int crypto_random(void *buf, size_t len) MUST_CHECK;
/* The same generator with mbedTLS's f_rng signature, for the TLS adapter. */
int crypto_rng_mbedtls(void *unused, unsigned char *out, size_t len);

/*
 * Bearer and enrolment tokens: 32 random bytes as unpadded base64url
 * (CRYPTO_TOKEN_LEN characters). Only their SHA-256 (hex) is ever stored.
 */
#define CRYPTO_TOKEN_LEN 43
int crypto_token_new(char ret_token[CRYPTO_TOKEN_LEN + 1]) MUST_CHECK;
void crypto_token_hash(const char *token, char ret_hex[CRYPTO_SHA256_HEX]);
/* Compare in time independent of where a and b differ. */
bool crypto_equal(const void *a, const void *b, size_t len);

/*
 * Authenticated encryption at rest: AES-256-GCM, 96-bit nonce, 128-bit tag.
 * The caller chooses the nonce (crypto_random for every write: a nonce must
 * never repeat under one key) and the additional data binds the ciphertext
 * to what it belongs to (a row's key), so a sealed value moved to another
 * row fails to open. sealed is len + CRYPTO_AEAD_TAG_LEN bytes: the
 * ciphertext, then the tag.
 */
#define CRYPTO_AEAD_KEY_LEN   32
#define CRYPTO_AEAD_NONCE_LEN 12
#define CRYPTO_AEAD_TAG_LEN   16

int crypto_aead_seal(const uint8_t key[CRYPTO_AEAD_KEY_LEN],
		     const uint8_t nonce[CRYPTO_AEAD_NONCE_LEN], const void *aad, size_t aad_len,
		     const void *plain, size_t len, uint8_t *ret_sealed) MUST_CHECK;
/*
 * Check and decrypt sealed_len bytes (ciphertext and tag) into ret_plain
 * (sealed_len - CRYPTO_AEAD_TAG_LEN bytes). -EBADMSG when the tag does not
 * match (wrong key, wrong additional data, altered bytes); ret_plain is then
 * zeroed, never left holding unauthenticated bytes.
 */
int crypto_aead_open(const uint8_t key[CRYPTO_AEAD_KEY_LEN],
		     const uint8_t nonce[CRYPTO_AEAD_NONCE_LEN], const void *aad, size_t aad_len,
		     const uint8_t *sealed, size_t sealed_len, uint8_t *ret_plain) MUST_CHECK;

/*
 * A 32-byte secret in a file of its own: 64 hex digits and a newline, mode
 * 0600, written through a temporary file (-EEXIST if path exists). Loading
 * refuses a file others may read or write (-EPERM), a missing one (-ENOENT)
 * and anything but 64 hex digits (-EINVAL).
 */
int crypto_secret_create(const char *path) MUST_CHECK;
int crypto_secret_load(const char *path, uint8_t ret_secret[CRYPTO_AEAD_KEY_LEN]) MUST_CHECK;

/* Standard base64 (RFC 4648, padded). *ret_text must be freed by the caller with free(). */
int crypto_base64_encode(const void *data, size_t len, char **ret_text) MUST_CHECK;
/* Decode into out (room for max bytes); -EINVAL for bad base64, -E2BIG when longer than max. */
int crypto_base64_decode(const char *text, size_t text_len, uint8_t *out, size_t max,
			 size_t *ret_len) MUST_CHECK;

/* An ECDSA key pair (private key included). Opaque; mbedtls_pk_context inside. */
struct crypto_key;

/* A new ECDSA P-256 key; must be freed by the caller using ::crypto_key_free. */
int crypto_key_generate(struct crypto_key **ret_key) MUST_CHECK;
/* Read a PEM or DER private key; must be freed by the caller using ::crypto_key_free. */
int crypto_key_load(const char *path, struct crypto_key **ret_key) MUST_CHECK;
/* Write the private key as PEM to path, mode 0600, through a temporary file and rename. */
int crypto_key_save(const struct crypto_key *key, const char *path) MUST_CHECK;
void crypto_key_free(struct crypto_key *key);

/*
 * A PKCS#10 request for key with subject CN=cn, signed with key (SHA-256).
 * *ret_pem is NUL-terminated and must be freed by the caller with free().
 */
int crypto_csr_create(const struct crypto_key *key, const char *cn, char **ret_pem) MUST_CHECK;
/*
 * Parse a PEM CSR of at most len bytes (need not be NUL-terminated) and check
 * its self-signature (proof of possession) and key (EC P-256/P-384, or RSA of
 * at least 2048 bits). -EBADMSG for anything else.
 */
int crypto_csr_check(const char *pem, size_t len) MUST_CHECK;

enum crypto_cert_role {
	CRYPTO_CERT_CA,	    /* keyCertSign, cRLSign; basicConstraints CA */
	CRYPTO_CERT_SERVER, /* digitalSignature; extendedKeyUsage serverAuth */
	CRYPTO_CERT_CLIENT, /* digitalSignature; extendedKeyUsage clientAuth */
};

struct crypto_cert_req {
	enum crypto_cert_role role;
	const char *cn;		      /* subject CN; replaces whatever the CSR asked for */
	int64_t not_before_usec;      /* CLOCK_REALTIME */
	int64_t not_after_usec;	      /* CLOCK_REALTIME */
	const char *const *dns_names; /* subjectAltName dNSName entries, NULL-terminated, or NULL */
	const char *const *ip_addrs;  /* subjectAltName iPAddress entries (text), or NULL */
};

/*
 * A self-signed CA certificate for key (req->role must be CRYPTO_CERT_CA).
 * *ret_pem must be freed by the caller with free().
 */
int crypto_ca_create(const struct crypto_key *key, const struct crypto_cert_req *req,
		     char **ret_pem) MUST_CHECK;
/*
 * A certificate for the key in csr_pem (checked as by crypto_csr_check),
 * signed by the CA (ca_pem, ca_key), with a random 128-bit serial.
 * *ret_pem must be freed by the caller with free().
 */
int crypto_cert_issue(const char *ca_pem, const struct crypto_key *ca_key, const char *csr_pem,
		      const struct crypto_cert_req *req, char **ret_pem) MUST_CHECK;
/* 0 when cert_pem chains to ca_pem and is valid now, -EACCES when not, -EBADMSG if unparsable. */
int crypto_cert_verify(const char *cert_pem, const char *ca_pem) MUST_CHECK;

#define CRYPTO_CN_MAX	      65
#define CRYPTO_SERIAL_HEX_MAX 41 /* 20 bytes (RFC 5280 limit) as hex, and NUL */

struct crypto_cert_info {
	char cn[CRYPTO_CN_MAX];			/* subject CN, "" if none */
	char serial[CRYPTO_SERIAL_HEX_MAX];	/* lower-case hex */
	uint8_t fingerprint[CRYPTO_SHA256_LEN]; /* SHA-256 of the DER */
};

/* Facts about the first certificate in a PEM or DER buffer of len bytes. */
int crypto_cert_info(const void *cert, size_t len, struct crypto_cert_info *ret_info) MUST_CHECK;

#define CRYPTO_SIGNATURE_MAX 80 /* an ECDSA P-256 signature, DER: at most 72 bytes */

/* The key's ECDSA signature of a SHA-256 digest, DER-encoded into sig; its length in *ret_len. */
int crypto_sign_digest(const struct crypto_key *key, const uint8_t digest[CRYPTO_SHA256_LEN],
		       uint8_t sig[CRYPTO_SIGNATURE_MAX], size_t *ret_len) MUST_CHECK;
/*
 * Whether sig is the signature of digest by the key of the (first) certificate
 * in cert (PEM or DER, len bytes): 0 when it is, -EBADMSG when it is not or is
 * malformed, another error when the certificate cannot be read.
 */
int crypto_verify_digest(const void *cert, size_t len, const uint8_t digest[CRYPTO_SHA256_LEN],
			 const uint8_t *sig, size_t sig_len) MUST_CHECK;

#endif
