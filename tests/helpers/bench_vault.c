// SPDX-License-Identifier: MIT
/*
 * Template vault speed: N people (default 1,000) with two 512-byte templates
 * each are stored as kiosks upload them (one transaction per upload, with
 * the idempotence check that opens the person's earlier templates), then
 * every person's templates are opened for a roster, as GET /api/v1/roster
 * does for a device that sees them all. Prints the time per upload and per
 * whole roster. Usage: bench_vault [N] (works in a temporary folder).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <jansson.h>

#include "common/crypto.h"
#include "server/config.h"
#include "server/db.h"
#include "server/vault.h"

static double now_sec(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

int main(int argc, char **argv)
{
	long n = argc > 1 ? strtol(argv[1], NULL, 10) : 1000;
	char dir[] = "/tmp/hadir-bench-vault.XXXXXX", nip[RECORD_NIP_MAX], cmd[64], hash[65];
	struct config cfg;
	struct vault *v = NULL;
	struct db *db = NULL;
	struct db_device dev;
	uint8_t t[512];
	double t0, t1, t2;
	json_t *arr = NULL;
	size_t sent = 0;
	int64_t idx;
	int r = 1;

	if (n <= 0 || !mkdtemp(dir))
		return 2;
	memset(&cfg, 0, sizeof(cfg));
	snprintf(cfg.database, sizeof(cfg.database), "%s/c.db", dir);
	snprintf(cfg.templates_key, sizeof(cfg.templates_key), "%s/templates.key", dir);
	crypto_token_hash("bench", hash);
	if (db_sqlite_open(cfg.database, &db) < 0 || crypto_secret_create(cfg.templates_key) < 0 ||
	    vault_open(&cfg, db, &v) < 0 || !v || db_device_add(db, "k", hash, 1, INT64_MAX) < 0 ||
	    db_device_by_token(db, hash, 2, &dev) < 0)
		goto out;
	t0 = now_sec();
	for (long i = 0; i < n; i++) {
		for (unsigned f = 0; f < 2; f++) {
			for (size_t b = 0; b < sizeof(t); b++)
				t[b] = (uint8_t)(i * 31 + f * 7 + (long)b);
			snprintf(nip, sizeof(nip), "19850101201001%04ld", i % 10000);
			if (db_begin(db) < 0 ||
			    vault_put(v, db, nip, t, sizeof(t), dev.id, 1, &idx) < 0 ||
			    db_commit(db) < 0)
				goto out;
		}
	}
	t1 = now_sec();
	for (long i = 0; i < n; i++) {
		arr = json_array();
		snprintf(nip, sizeof(nip), "19850101201001%04ld", i % 10000);
		if (!arr || vault_to_json(v, db, nip, arr) < 0)
			goto out;
		sent += json_array_size(arr);
		json_decref(arr);
		arr = NULL;
	}
	t2 = now_sec();
	printf("vault: %ld uploads of 512-byte templates: %.0f us each (seal, idempotence check,"
	       " commit)\n",
	       2 * n, (t1 - t0) / (double)(2 * n) * 1e6);
	printf("vault: roster templates of %ld people (%zu opened): %.1f ms in all\n", n, sent,
	       (t2 - t1) * 1e3);
	r = 0;
out:
	json_decref(arr);
	vault_free(v);
	db_close(db);
	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", dir);
	if (system(cmd) != 0)
		r = 1;
	if (r)
		fprintf(stderr, "bench_vault: failed\n");
	return r;
}
