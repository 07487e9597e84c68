// SPDX-License-Identifier: MIT
/*
 * The collector's template storage: sealed at rest (no plaintext in the
 * database file), idempotent uploads, delete by hash, ten per person, a row
 * moved to another person does not open, the key file's checks (missing,
 * too open, wrong key), and the enrolment requests' life cycle.
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
#include <unistd.h>

#include <cmocka.h>
#include <jansson.h>

#include "common/crypto.h"
#include "server/config.h"
#include "server/db.h"
#include "server/vault.h"

#define NIP "198501012010011001"

struct fixture {
	char dir[64];
	struct config cfg;
	struct db *db;
	int64_t device;
	struct vault *t;
};

static int setup(void **state)
{
	struct fixture *f = calloc(1, sizeof(*f));
	struct db_device dev;
	char hash[CRYPTO_SHA256_HEX];

	assert_non_null(f);
	strcpy(f->dir, "/tmp/hadir-tpl.XXXXXX");
	assert_non_null(mkdtemp(f->dir));
	snprintf(f->cfg.database, sizeof(f->cfg.database), "%s/c.db", f->dir);
	snprintf(f->cfg.templates_key, sizeof(f->cfg.templates_key), "%s/templates.key", f->dir);
	assert_int_equal(db_sqlite_open(f->cfg.database, &f->db), 0);
	crypto_token_hash("t", hash);
	assert_int_equal(db_device_add(f->db, "kiosk-a", hash, 1, INT64_MAX), 0);
	assert_int_equal(db_device_by_token(f->db, hash, 2, &dev), 0);
	f->device = dev.id;
	assert_int_equal(crypto_secret_create(f->cfg.templates_key), 0);
	assert_int_equal(vault_open(&f->cfg, f->db, &f->t), 0);
	assert_non_null(f->t);
	*state = f;
	return 0;
}

static int teardown(void **state)
{
	struct fixture *f = *state;
	char cmd[128];

	vault_free(f->t);
	db_close(f->db);
	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", f->dir);
	assert_int_equal(system(cmd), 0);
	free(f);
	return 0;
}

/* A 512-byte template standing for finger n. */
static void finger(unsigned n, uint8_t out[512])
{
	for (size_t i = 0; i < 512; i++)
		out[i] = (uint8_t)(n * 131u + i * 7u + (i >> 3));
}

static void put(struct fixture *f, const char *nip, unsigned n, int64_t want_idx)
{
	uint8_t t[512];
	int64_t idx = -1;

	finger(n, t);
	assert_int_equal(vault_put(f->t, f->db, nip, t, sizeof(t), f->device, 10, &idx), 0);
	assert_int_equal(idx, want_idx);
}

/*
 * nip's templates as the roster sends them: the decoded bytes' first byte
 * each, by page; their count, or the negative errno of vault_to_json.
 */
static int roster(struct fixture *f, const char *nip, int64_t pages[12], uint8_t first[12])
{
	json_t *arr = json_array(), *o;
	size_t i;
	int n;

	n = vault_to_json(f->t, f->db, nip, arr);
	if (n < 0) {
		json_decref(arr);
		return n;
	}
	n = (int)json_array_size(arr);
	json_array_foreach(arr, i, o)
	{
		const char *b64 = json_string_value(json_object_get(o, "data"));
		uint8_t bytes[600];
		size_t len;

		assert_int_equal(crypto_base64_decode(b64, strlen(b64), bytes, sizeof(bytes), &len),
				 0);
		assert_int_equal(len, 512);
		pages[i] = json_integer_value(json_object_get(o, "page"));
		first[i] = bytes[0];
	}
	json_decref(arr);
	return n;
}

static void test_vault_put_is_idempotent_and_roster_decrypts(void **state)
{
	struct fixture *f = *state;
	int64_t pages[12];
	uint8_t first[12], t[512];

	put(f, NIP, 1, 0);
	put(f, NIP, 1, 0); /* resent: the same index, nothing added */
	put(f, NIP, 2, 1);
	put(f, "199002022015022002", 1, 0);
	assert_int_equal(roster(f, NIP, pages, first), 2);
	finger(1, t);
	assert_int_equal(pages[0], 0);
	assert_int_equal(first[0], t[0]);
	finger(2, t);
	assert_int_equal(pages[1], 1);
	assert_int_equal(first[1], t[0]);
	assert_int_equal(vault_put(f->t, f->db, NIP, t, 0, f->device, 10, &pages[0]), -EINVAL);
	assert_int_equal(
	    vault_put(f->t, f->db, NIP, t, VAULT_BYTES_MAX + 1, f->device, 10, &pages[0]), -EINVAL);
}

static void test_vault_delete_by_hash_and_reuse_index(void **state)
{
	struct fixture *f = *state;
	uint8_t t[512], sha[CRYPTO_SHA256_LEN], first[12];
	int64_t pages[12];

	put(f, NIP, 1, 0);
	put(f, NIP, 2, 1);
	finger(1, t);
	crypto_sha256(t, sizeof(t), sha);
	assert_int_equal(vault_delete(f->t, f->db, NIP, sha), 1);
	assert_int_equal(vault_delete(f->t, f->db, NIP, sha), 0);
	assert_int_equal(vault_delete(f->t, f->db, "199002022015022002", sha), 0);
	assert_int_equal(roster(f, NIP, pages, first), 1);
	assert_int_equal(pages[0], 1);
	put(f, NIP, 3, 0); /* the freed index */
}

static void test_templates_ten_per_person(void **state)
{
	struct fixture *f = *state;
	uint8_t t[512];
	int64_t idx;

	for (unsigned i = 0; i < VAULT_PER_NIP; i++)
		put(f, NIP, 10 + i, i);
	finger(99, t);
	assert_int_equal(vault_put(f->t, f->db, NIP, t, sizeof(t), f->device, 10, &idx), -ENOSPC);
	put(f, NIP, 12, 2); /* one already stored is still fine */
}

/* Does the file at path contain needle? */
static bool file_has(const char *path, const uint8_t *needle, size_t len)
{
	FILE *fp = fopen(path, "rb");
	static uint8_t buf[1 << 22];
	size_t n;

	if (!fp)
		return false;
	n = fread(buf, 1, sizeof(buf), fp);
	fclose(fp);
	return n >= len && memmem(buf, n, needle, len) != NULL;
}

static void test_templates_no_plaintext_at_rest(void **state)
{
	struct fixture *f = *state;
	char wal[CFG_VALUE_MAX + 8];
	uint8_t t[512];
	FILE *fp;

	put(f, NIP, 5, 0);
	finger(5, t);
	snprintf(wal, sizeof(wal), "%s-wal", f->cfg.database);
	assert_false(file_has(f->cfg.database, t + 100, 32));
	assert_false(file_has(wal, t + 100, 32));
	db_close(f->db); /* checkpoint everything into the main file */
	assert_int_equal(db_sqlite_open(f->cfg.database, &f->db), 0);
	assert_false(file_has(f->cfg.database, t + 100, 32));
	/* The check can fail: the same slice written into a file is found. */
	snprintf(wal, sizeof(wal), "%s/plain", f->dir);
	fp = fopen(wal, "wb");
	assert_non_null(fp);
	assert_int_equal(fwrite(t, 1, sizeof(t), fp), sizeof(t));
	fclose(fp);
	assert_true(file_has(wal, t + 100, 32));
}

struct first_row {
	struct db_template row;
};

static int grab(const struct db_template *row, void *user)
{
	struct first_row *fr = user;

	fr->row = *row;
	return 0;
}

static void test_templates_row_moved_to_another_nip_does_not_open(void **state)
{
	struct fixture *f = *state;
	struct first_row *fr = calloc(1, sizeof(*fr));
	int64_t pages[12];
	uint8_t first[12];

	assert_non_null(fr);
	put(f, NIP, 1, 0);
	assert_int_equal(db_template_list(f->db, NIP, grab, fr), 0);
	snprintf(fr->row.nip, sizeof(fr->row.nip), "%s", "199002022015022002");
	assert_int_equal(db_template_put(f->db, &fr->row), 0);
	assert_int_equal(roster(f, "199002022015022002", pages, first), -EBADMSG);
	assert_int_equal(roster(f, NIP, pages, first), 1);
	fr->row.sealed[3] ^= 0x01; /* an altered byte */
	snprintf(fr->row.nip, sizeof(fr->row.nip), "%s", NIP);
	assert_int_equal(db_template_put(f->db, &fr->row), 0);
	assert_int_equal(roster(f, NIP, pages, first), -EBADMSG);
	free(fr);
}

static void test_templates_key_file_checks(void **state)
{
	struct fixture *f = *state;
	struct vault *t = NULL;
	char other[CFG_VALUE_MAX];

	put(f, NIP, 1, 0);
	assert_int_equal(chmod(f->cfg.templates_key, 0644), 0);
	assert_int_equal(vault_open(&f->cfg, f->db, &t), -EPERM);
	assert_int_equal(chmod(f->cfg.templates_key, 0600), 0);
	/* Another site's key: it cannot open what is stored. */
	snprintf(other, sizeof(other), "%s/other.key", f->dir);
	assert_int_equal(crypto_secret_create(other), 0);
	assert_int_equal(rename(other, f->cfg.templates_key), 0);
	assert_int_equal(vault_open(&f->cfg, f->db, &t), -EKEYREJECTED);
	/* No key at all while templates are stored: refused, not silently off. */
	assert_int_equal(unlink(f->cfg.templates_key), 0);
	assert_int_equal(vault_open(&f->cfg, f->db, &t), -ENOENT);
	assert_null(t);
}

static void test_templates_no_key_and_no_templates_is_off(void **state)
{
	struct fixture *f = *state;
	struct vault *t = f->t;

	assert_int_equal(unlink(f->cfg.templates_key), 0);
	assert_int_equal(vault_open(&f->cfg, f->db, &t), 0);
	assert_null(t);
}

struct requests {
	struct db_enroll_request seen[4];
	size_t n;
};

static int collect(const struct db_enroll_request *req, void *user)
{
	struct requests *rs = user;

	if (rs->n < 4)
		rs->seen[rs->n++] = *req;
	return 0;
}

static void test_templates_enroll_requests(void **state)
{
	struct fixture *f = *state;
	struct requests rs = {.n = 0};
	char hash[CRYPTO_SHA256_HEX];
	struct db_device other;
	int64_t id, id2;

	crypto_token_hash("u", hash);
	assert_int_equal(db_device_add(f->db, "kiosk-b", hash, 1, INT64_MAX), 0);
	assert_int_equal(db_device_by_token(f->db, hash, 2, &other), 0);
	assert_int_equal(db_enroll_request_add(f->db, f->device, NIP, 5, &id), 0);
	assert_int_equal(db_enroll_request_add(f->db, other.id, NIP, 6, &id2), 0);
	assert_int_equal(db_enroll_request_list(f->db, f->device, collect, &rs), 0);
	assert_int_equal(rs.n, 1);
	assert_int_equal(rs.seen[0].id, id);
	assert_string_equal(rs.seen[0].state, "pending");
	/* Another kiosk cannot settle it; the right one can, once. */
	assert_int_equal(db_enroll_request_finish(f->db, id, other.id, "done", "", 7), -ENOENT);
	assert_int_equal(db_enroll_request_finish(f->db, id, f->device, "failed", "no finger", 7),
			 0);
	assert_int_equal(db_enroll_request_finish(f->db, id, f->device, "done", "", 8), -ENOENT);
	rs.n = 0;
	assert_int_equal(db_enroll_request_list(f->db, f->device, collect, &rs), 0);
	assert_int_equal(rs.n, 0);
	assert_int_equal(db_enroll_request_list(f->db, 0, collect, &rs), 0);
	assert_int_equal(rs.n, 2);
	assert_string_equal(rs.seen[0].state, "failed");
	assert_string_equal(rs.seen[0].reason, "no finger");
	assert_string_equal(rs.seen[0].device, "kiosk-a");
	assert_int_equal(rs.seen[0].finished_usec, 7);
	assert_string_equal(rs.seen[1].state, "pending");
}

static void test_templates_of_former_staff_forgotten(void **state)
{
	struct fixture *f = *state;
	struct db_staff staff = {.name = "Ani", .unit_id = "U1"};
	int64_t pages[12];
	uint8_t first[12];

	snprintf(staff.nip, sizeof(staff.nip), "%s", NIP);
	assert_int_equal(db_staff_put(f->db, &staff), 0);
	put(f, NIP, 1, 0);
	put(f, "199002022015022002", 2, 0);
	put(f, "199002022015022002", 3, 1);
	assert_int_equal(db_template_forget_absent(f->db), 2);
	assert_int_equal(roster(f, "199002022015022002", pages, first), 0);
	assert_int_equal(roster(f, NIP, pages, first), 1);
	assert_int_equal(db_template_forget_absent(f->db), 0);
}

static void test_templates_rekey(void **state)
{
	struct fixture *f = *state;
	char fresh[CFG_VALUE_MAX + 8], old[CFG_VALUE_MAX + 8];
	struct vault *v = NULL;
	int64_t pages[12];
	uint8_t first[12], t[512];
	unsigned n = 0;

	for (unsigned i = 0; i < 3; i++)
		put(f, i < 2 ? NIP : "199002022015022002", i, i < 2 ? i : 0);
	snprintf(fresh, sizeof(fresh), "%s.new", f->cfg.templates_key);
	snprintf(old, sizeof(old), "%s.old", f->cfg.templates_key);
	assert_int_equal(crypto_secret_create(fresh), 0);
	assert_int_equal(vault_rekey(f->t, f->db, fresh, &n), 0);
	assert_int_equal(n, 3);
	/* The old key opens nothing now; the new one opens everything, unchanged. */
	assert_int_equal(vault_open(&f->cfg, f->db, &v), -EKEYREJECTED);
	assert_int_equal(rename(f->cfg.templates_key, old), 0);
	assert_int_equal(rename(fresh, f->cfg.templates_key), 0);
	assert_int_equal(vault_open(&f->cfg, f->db, &v), 0);
	assert_non_null(v);
	vault_free(f->t);
	f->t = v;
	assert_int_equal(roster(f, NIP, pages, first), 2);
	finger(1, t);
	assert_int_equal(first[1], t[0]);
	put(f, NIP, 1, 1); /* still recognised: idempotent under the new key */
	assert_int_equal(roster(f, "199002022015022002", pages, first), 1);
}

int main(void)
{
#define T(fn) cmocka_unit_test_setup_teardown(fn, setup, teardown)
	const struct CMUnitTest tests[] = {
	    T(test_vault_put_is_idempotent_and_roster_decrypts),
	    T(test_vault_delete_by_hash_and_reuse_index),
	    T(test_templates_ten_per_person),
	    T(test_templates_no_plaintext_at_rest),
	    T(test_templates_row_moved_to_another_nip_does_not_open),
	    T(test_templates_key_file_checks),
	    T(test_templates_no_key_and_no_templates_is_off),
	    T(test_templates_enroll_requests),
	    T(test_templates_of_former_staff_forgotten),
	    T(test_templates_rekey),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
