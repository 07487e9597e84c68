// SPDX-License-Identifier: MIT
/*
 * A site end to end without the network: init writes a loadable config and
 * keys, device add hands out a one-time token, enrolment spends it once and
 * issues a certificate that verifies against the site CA.
 */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include <cmocka.h>

#include "common/crypto.h"
#include "server/config.h"
#include "server/db.h"
#include "server/db_account.h"
#include "server/site.h"

struct fixture {
	char dir[64];
	struct config cfg;
	struct db *db;
	char admin[CRYPTO_TOKEN_LEN + 1];
};

static int setup(void **state)
{
	struct fixture *f = calloc(1, sizeof(*f));
	struct site_init_opts opts = {.listen = "127.0.0.1:9443", .host_name = "hadir.example"};
	struct cfg_diag diag = {.len = 0};
	char path[128];

	assert_non_null(f);
	strcpy(f->dir, "/tmp/hadir-site.XXXXXX");
	assert_non_null(mkdtemp(f->dir));
	snprintf(path, sizeof(path), "%s/site", f->dir);
	opts.dir = path;
	assert_int_equal(site_init(&opts, f->admin), 0);
	snprintf(path, sizeof(path), "%s/site/collector.conf", f->dir);
	assert_int_equal(config_load(path, &f->cfg, &diag), 0);
	assert_int_equal(db_open(&f->cfg, &f->db), 0);
	*state = f;
	return 0;
}

static int teardown(void **state)
{
	struct fixture *f = *state;
	char cmd[128];

	db_close(f->db);
	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", f->dir);
	assert_int_equal(system(cmd), 0);
	free(f);
	return 0;
}

static void test_site_init_files_and_admin_token(void **state)
{
	struct fixture *f = *state;
	struct site_init_opts again = {.dir = NULL};
	char hash[CRYPTO_SHA256_HEX], path[128], token[CRYPTO_TOKEN_LEN + 1];
	struct db_token tok;
	struct stat st;

	assert_string_equal(f->cfg.listen, "127.0.0.1:9443");
	assert_int_equal(stat(f->cfg.key, &st), 0);
	assert_int_equal(st.st_mode & 0777, 0600);
	assert_int_equal(stat(f->cfg.ca_key, &st), 0);
	assert_int_equal(st.st_mode & 0777, 0600);
	crypto_token_hash(f->admin, hash);
	assert_int_equal(db_token_get(f->db, hash, &tok), 0);
	assert_string_equal(tok.role, "superadmin");
	crypto_token_hash("guess", hash);
	assert_int_equal(db_token_get(f->db, hash, &tok), -ENOENT);
	snprintf(path, sizeof(path), "%s/site", f->dir);
	again.dir = path;
	assert_int_equal(site_init(&again, token), -EEXIST); /* never overwrites a site */
}

/* A CSR for a fresh key, as a kiosk would send it. */
static char *kiosk_csr(void)
{
	struct crypto_key *key;
	char *csr;

	assert_int_equal(crypto_key_generate(&key), 0);
	assert_int_equal(crypto_csr_create(key, "kiosk", &csr), 0);
	crypto_key_free(key);
	return csr;
}

static void test_site_enroll_once(void **state)
{
	struct fixture *f = *state;
	char token[CRYPTO_TOKEN_LEN + 1], fp[CRYPTO_SHA256_HEX], *csr, *cert, *ca, *cert2, *ca2;
	struct crypto_cert_info info;
	struct db_device dev;
	int64_t expires;

	assert_int_equal(site_device_add(&f->cfg, f->db, "pintu-1", token, &expires), 0);
	csr = kiosk_csr();
	assert_int_equal(site_enroll(&f->cfg, f->db, token, csr, strlen(csr), &cert, &ca), 0);
	assert_int_equal(crypto_cert_verify(cert, ca), 0);
	assert_int_equal(crypto_cert_info(cert, strlen(cert), &info), 0);
	assert_string_equal(info.cn, "pintu-1");
	crypto_hex(info.fingerprint, fp);
	assert_int_equal(db_device_by_fingerprint(f->db, fp, &dev), 0);
	assert_true(dev.is_enrolled);
	assert_string_equal(dev.cert_serial, info.serial);
	/* The token is spent. */
	assert_int_equal(site_enroll(&f->cfg, f->db, token, csr, strlen(csr), &cert2, &ca2),
			 -EACCES);
	free(cert);
	free(ca);
	free(csr);
}

static void test_site_enroll_refusals(void **state)
{
	struct fixture *f = *state;
	char token[CRYPTO_TOKEN_LEN + 1], *csr, *cert, *ca;
	int64_t expires;

	csr = kiosk_csr();
	assert_int_equal(site_enroll(&f->cfg, f->db, "short", csr, strlen(csr), &cert, &ca),
			 -EACCES);
	assert_int_equal(site_device_add(&f->cfg, f->db, "pintu-2", token, &expires), 0);
	assert_int_equal(site_enroll(&f->cfg, f->db, token, "garbage", 7, &cert, &ca), -EBADMSG);
	assert_int_equal(db_device_disable(f->db, "pintu-2"), 0);
	assert_int_equal(site_enroll(&f->cfg, f->db, token, csr, strlen(csr), &cert, &ca), -EACCES);
	assert_int_equal(site_device_add(&f->cfg, f->db, "pintu-2", token, &expires), -EEXIST);
	free(csr);
}

static void test_config_parse_listen_forms(void **state)
{
	char host[CONFIG_HOST_MAX];
	uint16_t port;

	(void)state;
	assert_int_equal(config_parse_listen("127.0.0.1:8443", host, &port), 0);
	assert_string_equal(host, "127.0.0.1");
	assert_int_equal(port, 8443);
	assert_int_equal(config_parse_listen("[::1]:443", host, &port), 0);
	assert_string_equal(host, "::1");
	assert_int_equal(config_parse_listen("collector.example:1", host, &port), 0);
	assert_int_equal(config_parse_listen("::1:443", host, &port), -EINVAL);
	assert_int_equal(config_parse_listen("host:0", host, &port), -EINVAL);
	assert_int_equal(config_parse_listen("host:65536", host, &port), -EINVAL);
	assert_int_equal(config_parse_listen(":80", host, &port), -EINVAL);
	assert_int_equal(config_parse_listen("host", host, &port), -EINVAL);
}

static void test_config_load_rejects_bad_listen_and_keys(void **state)
{
	struct fixture *f = *state;
	struct cfg_diag diag = {.len = 0};
	struct config cfg;
	char path[128];
	FILE *out;

	snprintf(path, sizeof(path), "%s/bad.conf", f->dir);
	out = fopen(path, "w");
	assert_non_null(out);
	fputs("[server]\nlisten = 127.0.0.1\n", out);
	fclose(out);
	assert_int_equal(config_load(path, &cfg, &diag), -EINVAL);
	assert_non_null(strstr(diag.text, "[server] listen: not HOST:PORT: '127.0.0.1'"));

	memset(&diag, 0, sizeof(diag));
	out = fopen(path, "w");
	assert_non_null(out);
	fputs("[server]\nmax_connections = 0\n[store]\nbackend = postgres\nfoo = 1\n", out);
	fclose(out);
	assert_int_equal(config_load(path, &cfg, &diag), -EINVAL);
	assert_non_null(strstr(diag.text, "max_connections: out of range"));
	assert_non_null(strstr(diag.text, "backend: not one of the allowed values"));
	assert_non_null(strstr(diag.text, "[store] foo: unknown key"));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test_setup_teardown(test_site_init_files_and_admin_token, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_site_enroll_once, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_site_enroll_refusals, setup, teardown),
	    cmocka_unit_test(test_config_parse_listen_forms),
	    cmocka_unit_test_setup_teardown(test_config_load_rejects_bad_listen_and_keys, setup,
					    teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
