// SPDX-License-Identifier: MIT
/* Clock trust from NTP state and the collector's measured offset. */
#include "firmware/trust.h"

#include <stdatomic.h>

#include "common/clk.h"

static atomic_llong trust_offset_usec;
static atomic_bool trust_measured;
static atomic_bool trust_agrees;
static atomic_bool trust_ntp = true;

void trust_use_ntp(bool use)
{
	atomic_store(&trust_ntp, use);
}

int64_t trust_error_usec(int64_t offset_usec, int64_t rtt_usec)
{
	return (offset_usec < 0 ? -offset_usec : offset_usec) + rtt_usec / 2;
}

void trust_note_offset(int64_t offset_usec, int64_t rtt_usec)
{
	int64_t error = trust_error_usec(offset_usec, rtt_usec);

	atomic_store(&trust_offset_usec, offset_usec);
	atomic_store(&trust_agrees, error < TRUST_BOUND_USEC);
	atomic_store(&trust_measured, true);
}

bool trust_offset(int64_t *ret_offset_usec)
{
	*ret_offset_usec = atomic_load(&trust_offset_usec);
	return atomic_load(&trust_measured);
}

bool trust_is_trusted(void)
{
	return (atomic_load(&trust_ntp) && clk_is_ntp_synced()) || atomic_load(&trust_agrees);
}
