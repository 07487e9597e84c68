// SPDX-License-Identifier: MIT
/*
 * The discipline report's JSON writer over arbitrary names: the output always
 * parses, and a name jansson accepts (valid UTF-8) comes back unchanged.
 */
#include <jansson.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "server/report.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct rules_employee emp = {"198001012005011001", NULL, "U1", 0, NULL, 0, 0, 0};
	struct rules_period period;
	struct report_entry e = {&emp, &period};
	char *name, *text = NULL;
	size_t len = 0;
	json_t *root, *as_is;
	FILE *out;

	if (size > 4096)
		return 0;
	name = calloc(1, size + 1);
	if (!name)
		return 0;
	memcpy(name, data, size);
	emp.name = name;
	memset(&period, 0, sizeof(period));
	out = open_memstream(&text, &len);
	if (!out || report_discipline_json_write(out, 0, 0, &e, 1, NULL) < 0)
		abort();
	fclose(out);
	root = json_loadb(text, len, 0, NULL);
	if (!root)
		abort(); /* the writer produced something that is not JSON */
	as_is = json_string(name);
	if (as_is &&
	    !json_equal(as_is, json_object_get(
				   json_array_get(json_object_get(root, "employees"), 0), "name")))
		abort();
	json_decref(as_is);
	json_decref(root);
	free(text);
	free(name);
	return 0;
}
