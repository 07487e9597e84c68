// SPDX-License-Identifier: MIT
/*
 * The collector's CSV import against arbitrary files: the first byte picks
 * the kind (units, staff, schedules, holidays, leave, taps), the rest is the
 * file, imported into a fresh in-memory store that already holds two units
 * and two people (so rows can name them). Must never crash, leak, or report
 * success and problems at once. Run from the checkout (profiles/).
 */
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "server/db.h"
#include "server/import.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static const char units[] = "unit_id,name,timezone,profile\nU1,Satu,Asia/Jakarta,default\n"
			    "U2,Dua,Asia/Jayapura,permentan\n";
static const char staff[] = "nip,name,unit_id,card,fingerprint_id,allowance\n"
			    "198501012010011001,Ani,U1,42,2,4500000\n"
			    "199002022015022002,Budi,U2,43,,0\n";

static int import_text(struct db *db, enum import_kind kind, const void *text, size_t len,
		       struct import_result *res)
{
	static const struct import_opts opts = {.profiles_dir = "profiles", .now_usec = 1};
	FILE *in = fmemopen((void *)(uintptr_t)text, len, "r");
	int r;

	if (!in)
		return -1;
	r = import_stream(db, kind, in, "fuzz.csv", &opts, res);
	fclose(in);
	return r;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct import_result res;
	struct db *db;
	int r;

	if (size < 2 || db_sqlite_open(":memory:", &db) < 0)
		return 0;
	if (import_text(db, IMPORT_UNITS, units, strlen(units), &res) != 0 ||
	    import_text(db, IMPORT_STAFF, staff, strlen(staff), &res) != 0)
		__builtin_trap();
	r = import_text(db, (enum import_kind)(data[0] % 6), data + 1, size - 1, &res);
	if ((r == 0) != (res.diag.n_errors == 0) || strlen(res.diag.text) >= CFG_DIAG_MAX)
		__builtin_trap();
	db_close(db);
	return 0;
}
