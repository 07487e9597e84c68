// SPDX-License-Identifier: MIT
/* TZif zone files: any bytes must parse or be refused, and lookups stay in range. */
#include <stdint.h>
#include <stdlib.h>

#include "common/tz.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const int64_t probes[] = {
	    INT64_C(-5000000000), -1, 0, INT64_C(1740962460), INT64_C(2500000000),
	    INT64_C(90000000000)};
	struct tz *tz = NULL;

	if (tz_parse(data, size, "fuzz", &tz) < 0)
		return 0;
	for (size_t i = 0; i < sizeof(probes) / sizeof(probes[0]); i++) {
		int32_t days, sod;

		tz_local(tz, probes[i], &days, &sod);
		if (sod < 0 || sod >= 86400)
			abort();
		(void)tz_instant(tz, days, sod);
	}
	tz_free(tz);
	return 0;
}
