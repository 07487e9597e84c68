// SPDX-License-Identifier: MIT
/* The profile loader over arbitrary bytes: refusals are fine, crashes and overflows are not. */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>

#include "server/profile.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct cfg_diag diag = {.len = 0};
	struct profile *p = NULL;
	int r;

	r = profile_parse((const char *)data, size, "fuzz.conf", &p, &diag);
	/* A refusal must always say why; a loaded profile must be usable. */
	if (r < 0 && diag.n_errors == 0)
		abort();
	if (r == 0) {
		if (p->n_rungs > PROFILE_RUNGS_MAX || p->window_close_sec <= p->window_open_sec)
			abort();
		(void)profile_rung_for(p, 400);
		profile_free(p);
	}
	return 0;
}
