/* SPDX-License-Identifier: MIT */
/*
 * Is this machine's wall clock right? Yes when the kernel says NTP has
 * synchronised it, or when the collector's time, measured by sync with its
 * round trip, agrees with it to within the trust bound. Process-wide state:
 * sync writes it from its thread, the tap path reads it; atomics, no locks.
 */
#ifndef HADIR_FIRMWARE_TRUST_H
#define HADIR_FIRMWARE_TRUST_H

#include <stdbool.h>
#include <stdint.h>

#define TRUST_BOUND_USEC INT64_C(1000000) /* |offset| + rtt/2 below this: trusted */

/* Whether the kernel's NTP status counts (setting [kiosk] trust_ntp; default yes). */
void trust_use_ntp(bool use);

/* How far the clock may be off by a measurement: |offset| plus half its round trip. */
int64_t trust_error_usec(int64_t offset_usec, int64_t rtt_usec);

/* Record a measurement: true time minus our wall clock, and its round trip. */
void trust_note_offset(int64_t offset_usec, int64_t rtt_usec);

/* The last measured offset (0 if none) and whether one was measured. */
bool trust_offset(int64_t *ret_offset_usec);

/* NTP-synchronised, or the last measurement agrees within TRUST_BOUND_USEC. */
bool trust_is_trusted(void);

#endif
