// SPDX-License-Identifier: MIT
/*
 * The kiosk's reading of a roster's fingerprint parts (templates.c, sync
 * half): downloads for listed templates of roster NIPs with the right bytes
 * and hash, damaged entries skipped, a roster without templates deleting
 * nothing, enrolment requests taken once.
 */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>
#include <jansson.h>

#include "common/crypto.h"
#include "firmware/store.h"
#include "firmware/templates.h"

struct fixture {
	char dir[64];
	struct store *st;
};

static int setup(void **state)
{
	struct fixture *f = calloc(1, sizeof(*f));
	char path[96], why[ROWS_WHY_MAX];
	unsigned staff, creds;
	FILE *csv;

	assert_non_null(f);
	strcpy(f->dir, "/tmp/hadir-ktpl.XXXXXX");
	assert_non_null(mkdtemp(f->dir));
	snprintf(path, sizeof(path), "%s/k.db", f->dir);
	assert_int_equal(store_open(path, STORE_CREATE, &f->st), 0);
	snprintf(path, sizeof(path), "%s/r.csv", f->dir);
	csv = fopen(path, "w");
	assert_non_null(csv);
	fputs("nip,name,unit_id,card,fingerprint_id\n1001,Ani,U1,42,\n1002,Budi,U1,43,\n", csv);
	fclose(csv);
	assert_int_equal(store_roster_import(f->st, path, &staff, &creds, why), 0);
	*state = f;
	return 0;
}

static int teardown(void **state)
{
	struct fixture *f = *state;
	char cmd[128];

	store_close(f->st);
	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", f->dir);
	assert_int_equal(system(cmd), 0);
	free(f);
	return 0;
}

static unsigned apply(struct fixture *f, const char *roster)
{
	json_t *root = json_loads(roster, 0, NULL);
	unsigned queued = 99;

	assert_non_null(root);
	assert_int_equal(templates_from_roster(f->st, root, &queued), 0);
	json_decref(root);
	return queued;
}

static void test_templates_roster_queues_downloads(void **state)
{
	struct fixture *f = *state;
	static const uint8_t want[] = "hadir!"; /* "aGFkaXIh" */
	uint8_t digest[CRYPTO_SHA256_LEN];
	char hex[CRYPTO_SHA256_HEX];
	struct store_template_work w;

	/* 1001's template, one of a NIP not in this kiosk's roster, and a damaged one. */
	assert_int_equal(
	    apply(f, "{\"staff\":["
		     "{\"nip\":\"1001\",\"templates\":[{\"page\":0,\"data\":\"aGFkaXIh\"},"
		     "{\"page\":1,\"data\":\"***\"}]},"
		     "{\"nip\":\"9999\",\"templates\":[{\"page\":0,\"data\":\"AAAA\"}]},"
		     "{\"nip\":\"1002\"}]}"),
	    1);
	assert_int_equal(store_template_work_next(f->st, &w), 1);
	assert_string_equal(w.kind, "download");
	assert_string_equal(w.nip, "1001");
	assert_int_equal(w.len, 6);
	assert_memory_equal(w.data, want, 6);
	crypto_sha256(want, 6, digest);
	crypto_hex(digest, hex);
	assert_string_equal(w.sha256, hex);
	/* The same roster again: nothing new. */
	assert_int_equal(apply(f, "{\"staff\":[{\"nip\":\"1001\",\"templates\":[{\"page\":0,"
				  "\"data\":\"aGFkaXIh\"}]}]}"),
			 0);
	/* Written to a page: a roster that no longer lists it asks for its deletion. */
	assert_int_equal(store_template_downloaded(f->st, &w, 120), 0);
	assert_int_equal(apply(f, "{\"staff\":[{\"nip\":\"1001\",\"templates\":[]}]}"), 1);
	assert_int_equal(store_template_work_next(f->st, &w), 1);
	assert_string_equal(w.kind, "delete");
	assert_int_equal(w.page, 120);
}

static void test_templates_roster_without_templates_deletes_nothing(void **state)
{
	struct fixture *f = *state;
	struct store_template_work w = {.kind = "download", .nip = "1001", .sha256 = "ab"};

	assert_int_equal(store_template_downloaded(f->st, &w, 120), 0);
	/* A collector that does not share templates (no key): its rosters have none. */
	assert_int_equal(apply(f, "{\"staff\":[{\"nip\":\"1001\",\"cards\":[\"42\"]}]}"), 0);
	assert_int_equal(store_template_work_next(f->st, &w), 0);
}

static void test_templates_roster_enroll_requests_once(void **state)
{
	struct fixture *f = *state;
	struct store_template_work w;
	const char *roster = "{\"staff\":[],\"enroll\":[{\"nip\":\"1002\",\"id\":4},"
			     "{\"nip\":\"1001\",\"id\":-1},{\"id\":5},{\"nip\":\"1001\"}]}";

	assert_int_equal(apply(f, roster), 1);
	assert_int_equal(apply(f, roster), 0);
	assert_int_equal(store_template_work_next(f->st, &w), 1);
	assert_string_equal(w.kind, "enroll");
	assert_string_equal(w.nip, "1002");
	assert_int_equal(w.request, 4);
}

int main(void)
{
#define T(fn) cmocka_unit_test_setup_teardown(fn, setup, teardown)
	const struct CMUnitTest tests[] = {
	    T(test_templates_roster_queues_downloads),
	    T(test_templates_roster_without_templates_deletes_nothing),
	    T(test_templates_roster_enroll_requests_once),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
