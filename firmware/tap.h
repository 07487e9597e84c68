/* SPDX-License-Identifier: MIT */
/*
 * The tap path: a credential from any input becomes an identified,
 * debounced, durable record. Everything the door answers with is decided
 * here, after the record is committed, so every input (Wiegand, wedge,
 * fingerprint, sim) gets the same treatment.
 */
#ifndef HADIR_FIRMWARE_TAP_H
#define HADIR_FIRMWARE_TAP_H

#include <stdbool.h>
#include <stdint.h>

#include "common/clk.h"
#include "common/record.h"
#include "firmware/store.h"

/* Where a tap's times and clock trust come from; tests substitute their own. */
struct tap_clock {
	int64_t (*wall_usec)(void);
	int64_t (*boot_usec)(void);
	bool (*is_trusted)(void);
};

extern const struct tap_clock tap_system_clock;

struct tap {
	struct store *store; /* not owned */
	const struct tap_clock *clock;
	int64_t debounce_usec; /* 0: every tap is recorded */
	char boot_id[CLK_BOOT_ID_LEN + 1];
};

enum tap_outcome {
	TAP_ACCEPTED, /* recorded now */
	TAP_REPEAT,   /* the same person within the debounce window: answered, not recorded */
	TAP_UNKNOWN,  /* credential not in the roster: recorded as such */
	TAP_REJECTED, /* a read that failed (bad parity, wrong length): recorded */
	TAP_FAILED,   /* could not be recorded (disk full, I/O error): nothing stored */
};

struct tap_result {
	enum tap_outcome outcome;
	uint64_t seq; /* the durable record (for TAP_REPEAT: the earlier one) */
	char nip[RECORD_NIP_MAX];
	char name[STORE_NAME_MAX];
	char credential[RECORD_CREDENTIAL_MAX];
	char reason[RECORD_REASON_MAX]; /* TAP_REJECTED, TAP_FAILED */
	int error;			/* TAP_FAILED: negative errno */
};

int tap_init(struct tap *t, struct store *store, const struct tap_clock *clock,
	     int64_t debounce_usec) MUST_CHECK;

/* A credential read by an input; direction is "", "in" or "out". Always fills ret. */
void tap_credential(struct tap *t, const char *credential, const char *direction,
		    struct tap_result *ret);

/* A read that could not be decoded (credential describes the raw read). */
void tap_rejected(struct tap *t, const char *credential, const char *reason,
		  struct tap_result *ret);

/*
 * Whether a tap now repeats the last accepted record of the same person.
 * Within one boot monotonic time decides; across boots only trusted wall
 * times can say, otherwise it is a new tap.
 */
bool tap_is_repeat(const struct record *last, const char *boot_id, int64_t now_boot_usec,
		   int64_t now_wall_usec, bool now_trusted, int64_t window_usec);

const char *tap_outcome_name(enum tap_outcome outcome);

#endif
