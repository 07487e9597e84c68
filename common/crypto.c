// SPDX-License-Identifier: MIT
/*
 * mbedTLS adapter: hashing, randomness, ECDSA keys, CSRs and a small CA.
 * Everything that needs an mbedTLS type for these jobs lives here; callers
 * see opaque structs, PEM strings and negative errno values. The TLS record
 * layer is not here (server/tls.c), only the generator it shares.
 */
#include "common/crypto.h"

#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include <mbedtls/asn1write.h>
#include <mbedtls/base64.h>
#include <mbedtls/ctr_drbg.h>
#include <mbedtls/ecp.h>
#include <mbedtls/entropy.h>
#include <mbedtls/error.h>
#include <mbedtls/gcm.h>
#include <mbedtls/oid.h>
#include <mbedtls/pk.h>
#include <mbedtls/sha256.h>
#include <mbedtls/x509_crt.h>
#include <mbedtls/x509_csr.h>

#include "common/log.h"

#define PEM_MAX 4096 /* one EC key, CSR or certificate as PEM */

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

/* Translate an mbedTLS error once, logging the library's words at debug level. */
static int from_mbedtls(int r, const char *what)
{
	char msg[128];

	if (r == 0)
		return 0;
	mbedtls_strerror(r, msg, sizeof(msg));
	log_debug("crypto: %s: %s (-0x%04x)", what, msg, (unsigned)-r);
	switch (r) {
	case MBEDTLS_ERR_PK_ALLOC_FAILED:
	case MBEDTLS_ERR_X509_ALLOC_FAILED:
	case MBEDTLS_ERR_ASN1_ALLOC_FAILED:
		return -ENOMEM;
	case MBEDTLS_ERR_PK_FILE_IO_ERROR:
	case MBEDTLS_ERR_X509_FILE_IO_ERROR:
		return -EIO;
	case MBEDTLS_ERR_X509_BUFFER_TOO_SMALL:
	case MBEDTLS_ERR_ASN1_BUF_TOO_SMALL:
		return -E2BIG;
	case MBEDTLS_ERR_CTR_DRBG_ENTROPY_SOURCE_FAILED:
		return -EAGAIN;
	default:
		return -EBADMSG;
	}
}

/* --- randomness --------------------------------------------------------- */

static mbedtls_entropy_context rng_entropy;
static mbedtls_ctr_drbg_context rng_drbg;
static bool rng_ready;

static int rng_seed(void)
{
	static const char personal[] = "hadir";
	int r;

	if (rng_ready)
		return 0;
	mbedtls_entropy_init(&rng_entropy);
	mbedtls_ctr_drbg_init(&rng_drbg);
	r = mbedtls_ctr_drbg_seed(&rng_drbg, mbedtls_entropy_func, &rng_entropy,
				  (const unsigned char *)personal, sizeof(personal) - 1);
	if (r != 0) {
		mbedtls_ctr_drbg_free(&rng_drbg);
		mbedtls_entropy_free(&rng_entropy);
		return from_mbedtls(r, "seed generator");
	}
	rng_ready = true;
	return 0;
}

int crypto_rng_mbedtls(void *unused, unsigned char *out, size_t len)
{
	(void)unused;
	if (rng_seed() < 0)
		return MBEDTLS_ERR_CTR_DRBG_ENTROPY_SOURCE_FAILED;
	/* CTR_DRBG hands out at most MBEDTLS_CTR_DRBG_MAX_REQUEST bytes per call. */
	while (len > 0) {
		size_t n = len < MBEDTLS_CTR_DRBG_MAX_REQUEST ? len : MBEDTLS_CTR_DRBG_MAX_REQUEST;
		int r = mbedtls_ctr_drbg_random(&rng_drbg, out, n);

		if (r != 0)
			return r;
		out += n;
		len -= n;
	}
	return 0;
}

int crypto_random(void *buf, size_t len)
{
	return from_mbedtls(crypto_rng_mbedtls(NULL, buf, len), "random");
}

/* --- tokens --------------------------------------------------------------- */

int crypto_token_new(char ret_token[CRYPTO_TOKEN_LEN + 1])
{
	static const char b64url[] =
	    "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
	uint8_t raw[33]; /* 32 random bytes and one zero byte to finish the last group */
	size_t o = 0;
	int r;

	r = crypto_random(raw, 32);
	if (r < 0)
		return r;
	raw[32] = 0;
	for (size_t i = 0; i < 33; i += 3) {
		uint32_t v = (uint32_t)raw[i] << 16 | (uint32_t)raw[i + 1] << 8 | raw[i + 2];

		for (int k = 3; k >= 0 && o < CRYPTO_TOKEN_LEN; k--)
			ret_token[o++] = b64url[(v >> (6 * k)) & 63];
	}
	ret_token[CRYPTO_TOKEN_LEN] = '\0';
	mbedtls_platform_zeroize(raw, sizeof(raw));
	return 0;
}

void crypto_token_hash(const char *token, char ret_hex[CRYPTO_SHA256_HEX])
{
	uint8_t digest[CRYPTO_SHA256_LEN];

	crypto_sha256(token, strlen(token), digest);
	crypto_hex(digest, ret_hex);
}

bool crypto_equal(const void *a, const void *b, size_t len)
{
	const volatile uint8_t *x = a, *y = b;
	uint8_t diff = 0;

	for (size_t i = 0; i < len; i++)
		diff |= (uint8_t)(x[i] ^ y[i]);
	return diff == 0;
}

/* --- authenticated encryption at rest ------------------------------------ */

int crypto_aead_seal(const uint8_t key[CRYPTO_AEAD_KEY_LEN],
		     const uint8_t nonce[CRYPTO_AEAD_NONCE_LEN], const void *aad, size_t aad_len,
		     const void *plain, size_t len, uint8_t *ret_sealed)
{
	mbedtls_gcm_context gcm;
	int r;

	mbedtls_gcm_init(&gcm);
	r = mbedtls_gcm_setkey(&gcm, MBEDTLS_CIPHER_ID_AES, key, 8 * CRYPTO_AEAD_KEY_LEN);
	if (r == 0)
		r = mbedtls_gcm_crypt_and_tag(&gcm, MBEDTLS_GCM_ENCRYPT, len, nonce,
					      CRYPTO_AEAD_NONCE_LEN, aad, aad_len, plain,
					      ret_sealed, CRYPTO_AEAD_TAG_LEN, ret_sealed + len);
	mbedtls_gcm_free(&gcm);
	return from_mbedtls(r, "gcm seal");
}

int crypto_aead_open(const uint8_t key[CRYPTO_AEAD_KEY_LEN],
		     const uint8_t nonce[CRYPTO_AEAD_NONCE_LEN], const void *aad, size_t aad_len,
		     const uint8_t *sealed, size_t sealed_len, uint8_t *ret_plain)
{
	mbedtls_gcm_context gcm;
	size_t len;
	int r;

	if (sealed_len < CRYPTO_AEAD_TAG_LEN)
		return -EBADMSG;
	len = sealed_len - CRYPTO_AEAD_TAG_LEN;
	mbedtls_gcm_init(&gcm);
	r = mbedtls_gcm_setkey(&gcm, MBEDTLS_CIPHER_ID_AES, key, 8 * CRYPTO_AEAD_KEY_LEN);
	if (r == 0)
		r = mbedtls_gcm_auth_decrypt(&gcm, len, nonce, CRYPTO_AEAD_NONCE_LEN, aad, aad_len,
					     sealed + len, CRYPTO_AEAD_TAG_LEN, sealed, ret_plain);
	mbedtls_gcm_free(&gcm);
	/* mbedTLS zeroes the output on a failed tag; MBEDTLS_ERR_GCM_AUTH_FAILED -> -EBADMSG */
	return from_mbedtls(r, "gcm open");
}

/* --- base64 --------------------------------------------------------------- */

int crypto_base64_encode(const void *data, size_t len, char **ret_text)
{
	size_t size = 4 * ((len + 2) / 3) + 1, olen;
	char *text = malloc(size);

	if (!text)
		return -ENOMEM;
	if (mbedtls_base64_encode((unsigned char *)text, size, &olen, data, len) != 0) {
		free(text);
		return -EINVAL;
	}
	*ret_text = text;
	return 0;
}

int crypto_base64_decode(const char *text, size_t text_len, uint8_t *out, size_t max,
			 size_t *ret_len)
{
	size_t need = 0;
	int r;

	r = mbedtls_base64_decode(NULL, 0, &need, (const unsigned char *)text, text_len);
	if (r == MBEDTLS_ERR_BASE64_INVALID_CHARACTER)
		return -EINVAL;
	if (need > max)
		return -E2BIG;
	r = mbedtls_base64_decode(out, max, ret_len, (const unsigned char *)text, text_len);
	return r == 0 ? 0 : -EINVAL;
}

/* --- keys ----------------------------------------------------------------- */

struct crypto_key {
	mbedtls_pk_context pk;
};

/* mbedTLS takes non-const keys even where it only reads them. */
static mbedtls_pk_context *key_pk(const struct crypto_key *key)
{
	return (mbedtls_pk_context *)(uintptr_t)&key->pk;
}

int crypto_key_generate(struct crypto_key **ret_key)
{
	struct crypto_key *key;
	int r;

	r = rng_seed();
	if (r < 0)
		return r;
	key = calloc(1, sizeof(*key));
	if (!key)
		return -ENOMEM;
	mbedtls_pk_init(&key->pk);
	r = mbedtls_pk_setup(&key->pk, mbedtls_pk_info_from_type(MBEDTLS_PK_ECKEY));
	if (r == 0)
		r = mbedtls_ecp_gen_key(MBEDTLS_ECP_DP_SECP256R1, mbedtls_pk_ec(key->pk),
					crypto_rng_mbedtls, NULL);
	if (r != 0) {
		r = from_mbedtls(r, "generate key");
		goto out_free_key;
	}
	*ret_key = key;
	return 0;

out_free_key:
	crypto_key_free(key);
	return r;
}

int crypto_key_load(const char *path, struct crypto_key **ret_key)
{
	struct crypto_key *key;
	int r;

	key = calloc(1, sizeof(*key));
	if (!key)
		return -ENOMEM;
	mbedtls_pk_init(&key->pk);
	r = mbedtls_pk_parse_keyfile(&key->pk, path, NULL);
	if (r != 0) {
		r = from_mbedtls(r, "load key");
		goto out_free_key;
	}
	*ret_key = key;
	return 0;

out_free_key:
	crypto_key_free(key);
	return r;
}

void crypto_key_free(struct crypto_key *key)
{
	if (!key)
		return;
	mbedtls_pk_free(&key->pk);
	free(key);
}

/* Write data to path with mode through a temporary file, fsync and rename. */
static int write_file(const char *path, const void *data, size_t len, mode_t mode)
{
	char tmp[PATH_MAX];
	const char *p = data;
	int fd, r;

	if (snprintf(tmp, sizeof(tmp), "%s.tmp", path) >= (int)sizeof(tmp))
		return -ENAMETOOLONG;
	fd = open(tmp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC | O_NOFOLLOW, mode);
	if (fd < 0)
		return -errno;
	if (fchmod(fd, mode) < 0) /* an existing temporary file keeps its old mode */
		goto out_errno;
	while (len > 0) {
		ssize_t n = write(fd, p, len);

		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			goto out_errno;
		p += n;
		len -= (size_t)n;
	}
	if (fsync(fd) < 0)
		goto out_errno;
	if (close(fd) < 0) {
		r = -errno;
		goto out_unlink;
	}
	if (rename(tmp, path) < 0) {
		r = -errno;
		goto out_unlink;
	}
	return 0;

out_errno:
	r = -errno;
	(void)close(fd);
out_unlink:
	(void)unlink(tmp);
	return r;
}

int crypto_key_save(const struct crypto_key *key, const char *path)
{
	unsigned char pem[PEM_MAX];
	int r;

	r = mbedtls_pk_write_key_pem(key_pk(key), pem, sizeof(pem));
	if (r != 0)
		return from_mbedtls(r, "write key");
	r = write_file(path, pem, strlen((char *)pem), 0600);
	mbedtls_platform_zeroize(pem, sizeof(pem));
	return r;
}

int crypto_secret_create(const char *path)
{
	uint8_t secret[CRYPTO_AEAD_KEY_LEN];
	char hex[CRYPTO_SHA256_HEX + 1];
	int r;

	_Static_assert(CRYPTO_AEAD_KEY_LEN == CRYPTO_SHA256_LEN, "a secret is written as 64 hex");
	if (access(path, F_OK) == 0)
		return -EEXIST;
	r = crypto_random(secret, sizeof(secret));
	if (r < 0)
		return r;
	crypto_hex(secret, hex);
	explicit_bzero(secret, sizeof(secret));
	strcat(hex, "\n");
	r = write_file(path, hex, strlen(hex), 0600);
	explicit_bzero(hex, sizeof(hex));
	return r;
}

int crypto_secret_load(const char *path, uint8_t ret_secret[CRYPTO_AEAD_KEY_LEN])
{
	char text[CRYPTO_SHA256_HEX + 8] = "";
	struct stat st;
	ssize_t n;
	int fd, r;

	fd = open(path, O_RDONLY | O_CLOEXEC | O_NOFOLLOW);
	if (fd < 0)
		return -errno;
	if (fstat(fd, &st) < 0) {
		r = -errno;
		goto out_close;
	}
	if (st.st_mode & 077) {
		r = -EPERM;
		goto out_close;
	}
	n = read(fd, text, sizeof(text) - 1);
	if (n < 0) {
		r = -errno;
		goto out_close;
	}
	text[n] = '\0';
	text[strcspn(text, "\r\n")] = '\0';
	r = crypto_unhex(text, ret_secret);
	explicit_bzero(text, sizeof(text));
out_close:
	close(fd);
	return r;
}

/* --- CSRs ----------------------------------------------------------------- */

static int dup_pem(const unsigned char *pem, char **ret_pem)
{
	char *copy = strdup((const char *)pem);

	if (!copy)
		return -ENOMEM;
	*ret_pem = copy;
	return 0;
}

/* "CN=" + a name we allow in a DN without escaping: letters, digits, ". _ -" and space. */
static int subject_from_cn(const char *cn, char *buf, size_t size)
{
	size_t len = strlen(cn);

	if (len == 0 || len >= CRYPTO_CN_MAX)
		return -EINVAL;
	for (size_t i = 0; i < len; i++) {
		char ch = cn[i];

		if (!((ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z') ||
		      (ch >= '0' && ch <= '9') || ch == '.' || ch == '_' || ch == '-' || ch == ' '))
			return -EINVAL;
	}
	if ((size_t)snprintf(buf, size, "CN=%s", cn) >= size)
		return -EINVAL;
	return 0;
}

int crypto_csr_create(const struct crypto_key *key, const char *cn, char **ret_pem)
{
	unsigned char pem[PEM_MAX];
	mbedtls_x509write_csr csr;
	char subject[CRYPTO_CN_MAX + 4];
	int r;

	r = subject_from_cn(cn, subject, sizeof(subject));
	if (r < 0)
		return r;
	mbedtls_x509write_csr_init(&csr);
	mbedtls_x509write_csr_set_md_alg(&csr, MBEDTLS_MD_SHA256);
	mbedtls_x509write_csr_set_key(&csr, key_pk(key));
	r = mbedtls_x509write_csr_set_subject_name(&csr, subject);
	if (r == 0)
		r = mbedtls_x509write_csr_pem(&csr, pem, sizeof(pem), crypto_rng_mbedtls, NULL);
	mbedtls_x509write_csr_free(&csr);
	if (r != 0)
		return from_mbedtls(r, "write CSR");
	return dup_pem(pem, ret_pem);
}

static int key_is_acceptable(mbedtls_pk_context *pk)
{
	if (mbedtls_pk_get_type(pk) == MBEDTLS_PK_ECKEY) {
		const mbedtls_ecp_keypair *ec = mbedtls_pk_ec(*pk);

		return ec && (ec->grp.id == MBEDTLS_ECP_DP_SECP256R1 ||
			      ec->grp.id == MBEDTLS_ECP_DP_SECP384R1);
	}
	if (mbedtls_pk_get_type(pk) == MBEDTLS_PK_RSA)
		return mbedtls_pk_get_bitlen(pk) >= 2048;
	return 0;
}

/* Parse a PEM CSR (copied to add the NUL mbedTLS wants) and check its signature and key. */
static int csr_parse(const char *pem, size_t len, mbedtls_x509_csr *csr)
{
	unsigned char hash[MBEDTLS_MD_MAX_SIZE];
	const mbedtls_md_info_t *md;
	unsigned char *copy;
	int r;

	if (len == 0 || len > PEM_MAX * 4)
		return -EBADMSG;
	copy = malloc(len + 1);
	if (!copy)
		return -ENOMEM;
	memcpy(copy, pem, len);
	copy[len] = '\0';
	mbedtls_x509_csr_init(csr);
	r = mbedtls_x509_csr_parse(csr, copy, strlen((char *)copy) + 1);
	free(copy);
	if (r != 0) {
		r = from_mbedtls(r, "parse CSR");
		goto out_free_csr;
	}
	md = mbedtls_md_info_from_type(csr->sig_md);
	if (!md) {
		r = -EBADMSG;
		goto out_free_csr;
	}
	r = mbedtls_md(md, csr->cri.p, csr->cri.len, hash);
	if (r == 0)
		r = mbedtls_pk_verify_ext(csr->sig_pk, csr->sig_opts, &csr->pk, csr->sig_md, hash,
					  mbedtls_md_get_size(md), csr->sig.p, csr->sig.len);
	if (r != 0) {
		r = from_mbedtls(r, "CSR signature");
		goto out_free_csr;
	}
	if (!key_is_acceptable(&csr->pk)) {
		log_debug("crypto: CSR key type or size not accepted");
		r = -EBADMSG;
		goto out_free_csr;
	}
	return 0;

out_free_csr:
	mbedtls_x509_csr_free(csr);
	return r;
}

int crypto_csr_check(const char *pem, size_t len)
{
	mbedtls_x509_csr csr;
	int r;

	r = csr_parse(pem, len, &csr);
	if (r < 0)
		return r;
	mbedtls_x509_csr_free(&csr);
	return 0;
}

/* --- certificates --------------------------------------------------------- */

/* "YYYYMMDDhhmmss" in UTC, as mbedtls_x509write_crt_set_validity wants. */
static int x509_time(int64_t usec, char buf[32])
{
	time_t t = (time_t)(usec / 1000000);
	struct tm tm;

	if (!gmtime_r(&t, &tm) || tm.tm_year + 1900 > 9999 || tm.tm_year + 1900 < 1950)
		return -ERANGE;
	snprintf(buf, 32, "%04d%02d%02d%02d%02d%02d", tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday,
		 tm.tm_hour, tm.tm_min, tm.tm_sec);
	return 0;
}

/*
 * DER for SEQUENCE OF GeneralName (dNSName [2], iPAddress [7]), written
 * backwards into buf as mbedtls_asn1_write_* do. Returns the length, which
 * ends at buf + size.
 */
static int san_der(const struct crypto_cert_req *req, unsigned char *buf, size_t size)
{
	unsigned char *p = buf + size;
	size_t len = 0, n_dns = 0, n_ip = 0;
	int r;

	while (req->dns_names && req->dns_names[n_dns])
		n_dns++;
	while (req->ip_addrs && req->ip_addrs[n_ip])
		n_ip++;
	for (size_t i = n_ip; i-- > 0;) {
		unsigned char addr[16];
		size_t alen = 4;

		if (inet_pton(AF_INET, req->ip_addrs[i], addr) != 1) {
			if (inet_pton(AF_INET6, req->ip_addrs[i], addr) != 1)
				return -EINVAL;
			alen = 16;
		}
		r = mbedtls_asn1_write_raw_buffer(&p, buf, addr, alen);
		if (r < 0)
			return from_mbedtls(r, "SAN");
		len += (size_t)r;
		r = mbedtls_asn1_write_len(&p, buf, alen);
		if (r < 0)
			return from_mbedtls(r, "SAN");
		len += (size_t)r;
		r = mbedtls_asn1_write_tag(&p, buf, MBEDTLS_ASN1_CONTEXT_SPECIFIC | 7);
		if (r < 0)
			return from_mbedtls(r, "SAN");
		len += (size_t)r;
	}
	for (size_t i = n_dns; i-- > 0;) {
		const char *name = req->dns_names[i];
		size_t nlen = strlen(name);

		r = mbedtls_asn1_write_raw_buffer(&p, buf, (const unsigned char *)name, nlen);
		if (r < 0)
			return from_mbedtls(r, "SAN");
		len += (size_t)r;
		r = mbedtls_asn1_write_len(&p, buf, nlen);
		if (r < 0)
			return from_mbedtls(r, "SAN");
		len += (size_t)r;
		r = mbedtls_asn1_write_tag(&p, buf, MBEDTLS_ASN1_CONTEXT_SPECIFIC | 2);
		if (r < 0)
			return from_mbedtls(r, "SAN");
		len += (size_t)r;
	}
	r = mbedtls_asn1_write_len(&p, buf, len);
	if (r < 0)
		return from_mbedtls(r, "SAN");
	len += (size_t)r;
	r = mbedtls_asn1_write_tag(&p, buf, MBEDTLS_ASN1_CONSTRUCTED | MBEDTLS_ASN1_SEQUENCE);
	if (r < 0)
		return from_mbedtls(r, "SAN");
	len += (size_t)r;
	return (int)len;
}

/* DER for ExtKeyUsageSyntax ::= SEQUENCE SIZE (1..MAX) OF KeyPurposeId, one purpose. */
static int eku_der(const char *oid, size_t oid_len, unsigned char *buf, size_t size)
{
	unsigned char *p = buf + size;
	size_t len = 0;
	int r;

	r = mbedtls_asn1_write_oid(&p, buf, oid, oid_len);
	if (r < 0)
		return from_mbedtls(r, "EKU");
	len += (size_t)r;
	r = mbedtls_asn1_write_len(&p, buf, len);
	if (r < 0)
		return from_mbedtls(r, "EKU");
	len += (size_t)r;
	r = mbedtls_asn1_write_tag(&p, buf, MBEDTLS_ASN1_CONSTRUCTED | MBEDTLS_ASN1_SEQUENCE);
	if (r < 0)
		return from_mbedtls(r, "EKU");
	len += (size_t)r;
	return (int)len;
}

static int random_serial(mbedtls_mpi *serial)
{
	uint8_t raw[16];
	int r;

	r = crypto_random(raw, sizeof(raw));
	if (r < 0)
		return r;
	raw[0] = (uint8_t)((raw[0] & 0x7f) | 0x40); /* positive, and always 16 bytes long */
	return from_mbedtls(mbedtls_mpi_read_binary(serial, raw, sizeof(raw)), "serial");
}

/* Extensions for the role: basic constraints, key usage, extended key usage, SANs. */
static int set_role_extensions(mbedtls_x509write_cert *crt, const struct crypto_cert_req *req)
{
	unsigned char der[1024];
	int r, len;

	if (req->role == CRYPTO_CERT_CA) {
		r = mbedtls_x509write_crt_set_basic_constraints(crt, 1, 0);
		if (r == 0)
			r = mbedtls_x509write_crt_set_key_usage(crt, MBEDTLS_X509_KU_KEY_CERT_SIGN |
									 MBEDTLS_X509_KU_CRL_SIGN);
		return from_mbedtls(r, "CA extensions");
	}
	r = mbedtls_x509write_crt_set_basic_constraints(crt, 0, -1);
	if (r == 0)
		r = mbedtls_x509write_crt_set_key_usage(crt, MBEDTLS_X509_KU_DIGITAL_SIGNATURE |
								 MBEDTLS_X509_KU_KEY_AGREEMENT);
	if (r != 0)
		return from_mbedtls(r, "key usage");
	if (req->role == CRYPTO_CERT_SERVER)
		len = eku_der(MBEDTLS_OID_SERVER_AUTH, MBEDTLS_OID_SIZE(MBEDTLS_OID_SERVER_AUTH),
			      der, sizeof(der));
	else
		len = eku_der(MBEDTLS_OID_CLIENT_AUTH, MBEDTLS_OID_SIZE(MBEDTLS_OID_CLIENT_AUTH),
			      der, sizeof(der));
	if (len < 0)
		return len;
	r = mbedtls_x509write_crt_set_extension(crt, MBEDTLS_OID_EXTENDED_KEY_USAGE,
						MBEDTLS_OID_SIZE(MBEDTLS_OID_EXTENDED_KEY_USAGE), 0,
						der + sizeof(der) - len, (size_t)len);
	if (r != 0)
		return from_mbedtls(r, "extended key usage");
	if ((!req->dns_names || !req->dns_names[0]) && (!req->ip_addrs || !req->ip_addrs[0]))
		return 0;
	len = san_der(req, der, sizeof(der));
	if (len < 0)
		return len;
	r = mbedtls_x509write_crt_set_extension(crt, MBEDTLS_OID_SUBJECT_ALT_NAME,
						MBEDTLS_OID_SIZE(MBEDTLS_OID_SUBJECT_ALT_NAME), 0,
						der + sizeof(der) - len, (size_t)len);
	return from_mbedtls(r, "subject alternative name");
}

/*
 * Sign a certificate for subject_pk named by req, issued by issuer_name with
 * issuer_pk. The common part of crypto_ca_create and crypto_cert_issue.
 */
static int cert_write(const struct crypto_cert_req *req, mbedtls_pk_context *subject_pk,
		      const char *issuer_name, mbedtls_pk_context *issuer_pk, char **ret_pem)
{
	char subject[CRYPTO_CN_MAX + 4], from[32], to[32];
	unsigned char pem[PEM_MAX];
	mbedtls_x509write_cert crt;
	mbedtls_mpi serial;
	int r;

	r = subject_from_cn(req->cn, subject, sizeof(subject));
	if (r < 0)
		return r;
	r = x509_time(req->not_before_usec, from);
	if (r == 0)
		r = x509_time(req->not_after_usec, to);
	if (r < 0)
		return r;

	mbedtls_x509write_crt_init(&crt);
	mbedtls_mpi_init(&serial);
	r = random_serial(&serial);
	if (r < 0)
		goto out_free;
	mbedtls_x509write_crt_set_version(&crt, MBEDTLS_X509_CRT_VERSION_3);
	mbedtls_x509write_crt_set_md_alg(&crt, MBEDTLS_MD_SHA256);
	mbedtls_x509write_crt_set_subject_key(&crt, subject_pk);
	mbedtls_x509write_crt_set_issuer_key(&crt, issuer_pk);
	r = mbedtls_x509write_crt_set_serial(&crt, &serial);
	if (r == 0)
		r = mbedtls_x509write_crt_set_validity(&crt, from, to);
	if (r == 0)
		r = mbedtls_x509write_crt_set_subject_name(&crt, subject);
	if (r == 0)
		r = mbedtls_x509write_crt_set_issuer_name(&crt,
							  issuer_name ? issuer_name : subject);
	if (r == 0)
		r = mbedtls_x509write_crt_set_subject_key_identifier(&crt);
	if (r == 0)
		r = mbedtls_x509write_crt_set_authority_key_identifier(&crt);
	if (r != 0) {
		r = from_mbedtls(r, "certificate fields");
		goto out_free;
	}
	r = set_role_extensions(&crt, req);
	if (r < 0)
		goto out_free;
	r = mbedtls_x509write_crt_pem(&crt, pem, sizeof(pem), crypto_rng_mbedtls, NULL);
	if (r != 0) {
		r = from_mbedtls(r, "sign certificate");
		goto out_free;
	}
	r = dup_pem(pem, ret_pem);

out_free:
	mbedtls_mpi_free(&serial);
	mbedtls_x509write_crt_free(&crt);
	return r;
}

int crypto_ca_create(const struct crypto_key *key, const struct crypto_cert_req *req,
		     char **ret_pem)
{
	if (req->role != CRYPTO_CERT_CA)
		return -EINVAL;
	return cert_write(req, key_pk(key), NULL, key_pk(key), ret_pem);
}

static int crt_parse(const void *data, size_t len, mbedtls_x509_crt *crt)
{
	int r;

	mbedtls_x509_crt_init(crt);
	if (len > 0 && ((const char *)data)[len - 1] != '\0' &&
	    memmem(data, len, "-----BEGIN", 10)) {
		/* PEM without its NUL: mbedTLS wants one counted in len. */
		unsigned char *copy = malloc(len + 1);

		if (!copy)
			return -ENOMEM;
		memcpy(copy, data, len);
		copy[len] = '\0';
		r = mbedtls_x509_crt_parse(crt, copy, len + 1);
		free(copy);
	} else {
		r = mbedtls_x509_crt_parse(crt, data, len);
	}
	if (r != 0) {
		mbedtls_x509_crt_free(crt);
		return from_mbedtls(r, "parse certificate");
	}
	return 0;
}

static int crt_parse_str(const char *pem, mbedtls_x509_crt *crt)
{
	return crt_parse(pem, strlen(pem) + 1, crt);
}

int crypto_cert_issue(const char *ca_pem, const struct crypto_key *ca_key, const char *csr_pem,
		      const struct crypto_cert_req *req, char **ret_pem)
{
	char issuer[256];
	mbedtls_x509_csr csr;
	mbedtls_x509_crt ca;
	int r;

	if (req->role == CRYPTO_CERT_CA)
		return -EINVAL;
	r = crt_parse_str(ca_pem, &ca);
	if (r < 0)
		return r;
	r = mbedtls_x509_dn_gets(issuer, sizeof(issuer), &ca.subject);
	if (r < 0) {
		r = from_mbedtls(r, "CA subject");
		goto out_free_ca;
	}
	r = csr_parse(csr_pem, strlen(csr_pem), &csr);
	if (r < 0)
		goto out_free_ca;
	r = cert_write(req, &csr.pk, issuer, key_pk(ca_key), ret_pem);
	mbedtls_x509_csr_free(&csr);
out_free_ca:
	mbedtls_x509_crt_free(&ca);
	return r;
}

int crypto_cert_verify(const char *cert_pem, const char *ca_pem)
{
	mbedtls_x509_crt crt, ca;
	uint32_t flags = 0;
	int r;

	r = crt_parse_str(cert_pem, &crt);
	if (r < 0)
		return r;
	r = crt_parse_str(ca_pem, &ca);
	if (r < 0)
		goto out_free_crt;
	r = mbedtls_x509_crt_verify(&crt, &ca, NULL, NULL, &flags, NULL, NULL);
	r = r == 0 ? 0 : -EACCES;
	mbedtls_x509_crt_free(&ca);
out_free_crt:
	mbedtls_x509_crt_free(&crt);
	return r;
}

int crypto_cert_info(const void *cert, size_t len, struct crypto_cert_info *ret_info)
{
	struct crypto_cert_info info = {.cn = ""};
	const mbedtls_x509_name *name;
	mbedtls_x509_crt crt;
	size_t o = 0;
	int r;

	r = crt_parse(cert, len, &crt);
	if (r < 0)
		return r;
	for (name = &crt.subject; name; name = name->next) {
		if (name->oid.p && MBEDTLS_OID_CMP(MBEDTLS_OID_AT_CN, &name->oid) == 0 &&
		    name->val.len < sizeof(info.cn)) {
			memcpy(info.cn, name->val.p, name->val.len);
			info.cn[name->val.len] = '\0';
			break;
		}
	}
	for (size_t i = 0; i < crt.serial.len && o + 2 < sizeof(info.serial); i++)
		o += (size_t)snprintf(info.serial + o, sizeof(info.serial) - o, "%02x",
				      crt.serial.p[i]);
	crypto_sha256(crt.raw.p, crt.raw.len, info.fingerprint);
	mbedtls_x509_crt_free(&crt);
	*ret_info = info;
	return 0;
}

int crypto_sign_digest(const struct crypto_key *key, const uint8_t digest[CRYPTO_SHA256_LEN],
		       uint8_t sig[CRYPTO_SIGNATURE_MAX], size_t *ret_len)
{
	int r = rng_seed();

	if (r < 0)
		return r;
	/* mbedTLS 2.28's pk_sign has no output size: CRYPTO_SIGNATURE_MAX covers P-256 keys. */
	if (!mbedtls_pk_can_do(key_pk(key), MBEDTLS_PK_ECKEY) ||
	    mbedtls_pk_get_bitlen(key_pk(key)) > 256)
		return -EINVAL;
	r = mbedtls_pk_sign(key_pk(key), MBEDTLS_MD_SHA256, digest, CRYPTO_SHA256_LEN, sig, ret_len,
			    crypto_rng_mbedtls, NULL);
	return from_mbedtls(r, "sign");
}

int crypto_verify_digest(const void *cert, size_t len, const uint8_t digest[CRYPTO_SHA256_LEN],
			 const uint8_t *sig, size_t sig_len)
{
	mbedtls_x509_crt crt;
	int r;

	r = crt_parse(cert, len, &crt);
	if (r < 0)
		return r;
	r = mbedtls_pk_verify(&crt.pk, MBEDTLS_MD_SHA256, digest, CRYPTO_SHA256_LEN, sig, sig_len);
	mbedtls_x509_crt_free(&crt);
	return r == 0 ? 0 : -EBADMSG;
}
