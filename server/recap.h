/* SPDX-License-Identifier: MIT */
/*
 * The monthly activity recap (e-Kinerja), per employee over a period: the
 * current entries (corrections replace, withdrawals remove) counted by
 * status, and for the entries that count as work (pending, approved,
 * returned) their number, minutes and, per plan item (RHK), entries, minutes
 * and output quantity. Refused and invalid entries are only counted.
 * Shared by `hadir-collector report activities` and
 * GET /api/v1/reports/activities, so both give the same numbers.
 *
 * Every staff member in scope has a line, with zeros when they logged nothing.
 *
 * JSON: {"from","to","unit_id"(or null),"employees":[{"nip","name","unit_id",
 *  "entries","minutes","pending","approved","returned","refused","invalid",
 *  "plans":[{"code" ("" = no plan item),"title","entries","minutes","quantity"}]}]}
 * CSV and XLSX (sheet "Kegiatan"): a header row in Bahasa Indonesia, then per
 * employee a row of totals (RHK "(semua)") and one per plan item.
 */
#ifndef HADIR_SERVER_RECAP_H
#define HADIR_SERVER_RECAP_H

#include <stddef.h>

#include "common/err.h"

struct db;
struct json_t;
struct recap;

struct recap_query {
	const char *from_date, *to_date; /* YYYY-MM-DD, inclusive, required */
	const char *unit_id;		 /* NULL: every unit */
	const char *supervisor_nip;	 /* non-NULL: only that supervisor's staff */
};

/* Count the entries of q. Returns 0 or a negative errno; free with ::recap_free. */
int recap_run(struct db *db, const struct recap_query *q, struct recap **ret_recap) MUST_CHECK;
void recap_free(struct recap *rc);

/* The recap as JSON (above); release with json_decref(). */
int recap_json(const struct recap *rc, struct json_t **ret_json) MUST_CHECK;

enum recap_format {
	RECAP_CSV,
	RECAP_XLSX,
};

/* The recap as a table file; *ret_data (*ret_len bytes) must be freed with free(). */
int recap_table(const struct recap *rc, enum recap_format format, char **ret_data,
		size_t *ret_len) MUST_CHECK;

#endif
