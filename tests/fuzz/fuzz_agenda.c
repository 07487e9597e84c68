// SPDX-License-Identifier: MIT
/*
 * The kiosk's reading of the roster's extras (units, schedules, holidays,
 * plans) from a collector's reply: any JSON is stored whole or refused with a
 * reason, inside a roster transaction that is then rolled back.
 */
#include <errno.h>
#include <jansson.h>
#include <stdint.h>
#include <stdlib.h>

#include "firmware/agenda.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct store *st;
	struct store_roster *ro;
	char why[ROWS_WHY_MAX] = "";
	json_t *root;
	int r;

	if (!st && store_open(":memory:", STORE_CREATE, &st) < 0)
		abort();
	root = json_loadb((const char *)data, size, 0, NULL);
	if (!root)
		return 0;
	if (store_roster_begin(st, &ro) < 0)
		abort();
	r = agenda_from_roster(st, root, why);
	if (r < 0 && r != -EINVAL)
		abort();
	if (r == -EINVAL && why[0] == '\0')
		abort();
	store_roster_abort(ro);
	json_decref(root);
	return 0;
}
