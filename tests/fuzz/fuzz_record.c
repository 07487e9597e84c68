// SPDX-License-Identifier: MIT
/* The collector's batch decoder over any body; a decoded batch (health too) re-encodes alike. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "common/record.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct record_batch batch, again;
	char why[256];
	char *text;

	if (record_batch_decode((const char *)data, size, &batch, why, sizeof(why)) < 0)
		return 0;
	for (size_t i = 0; i < batch.n; i++)
		(void)record_link_ok(&batch.recs[i]);
	text = record_batch_encode(batch.recs, batch.n, batch.anchors, batch.n_anchors,
				   batch.has_head ? &batch.head : NULL,
				   batch.has_health ? &batch.health : NULL);
	if (!text)
		abort();
	if (record_batch_decode(text, strlen(text), &again, why, sizeof(why)) < 0 ||
	    again.n != batch.n || again.n_anchors != batch.n_anchors ||
	    (batch.n && memcmp(batch.recs, again.recs, batch.n * sizeof(*batch.recs)) != 0) ||
	    (batch.n_anchors &&
	     memcmp(batch.anchors, again.anchors, batch.n_anchors * sizeof(*batch.anchors)) != 0) ||
	    again.has_head != batch.has_head ||
	    (batch.has_head &&
	     (again.head.seq != batch.head.seq || again.head.sig_len != batch.head.sig_len ||
	      memcmp(again.head.sig, batch.head.sig, batch.head.sig_len) != 0)) ||
	    again.has_health != batch.has_health ||
	    memcmp(&batch.health, &again.health, sizeof(batch.health)) != 0)
		abort();
	free(text);
	record_batch_free(&again);
	record_batch_free(&batch);
	return 0;
}
