/* SPDX-License-Identifier: MIT */
/*
 * Rule profiles: every number of the discipline rules that differs between
 * regulations (tier bounds and percentages, the TK percentage, the monthly
 * cap, the tap window, compensation, the late-days threshold, the year's
 * equivalent-day arithmetic and the sanction ladder) as one INI file, loaded
 * with common/cfg against one key table. A unit names its profile; the shipped
 * ones are profiles/default.conf (the common scheme) and profiles/permentan.conf
 * (Permentan 68/2012). Percentages are basis points (50 = 0.5 %), so money is
 * computed in integers. This module only loads and validates; rules.c applies.
 */
#ifndef HADIR_SERVER_PROFILE_H
#define HADIR_SERVER_PROFILE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "common/cfg.h"
#include "common/err.h"

#define PROFILE_TIERS	  4  /* TL1–TL4, PSW1–PSW4 */
#define PROFILE_RUNGS_MAX 12 /* [sanction1] … [sanction12] */
#define PROFILE_FILE_MAX  (64 * 1024)
#define PROFILE_BP_FULL	  10000 /* basis points in 100 % */

enum profile_level {
	PROFILE_LEVEL_RINGAN,
	PROFILE_LEVEL_SEDANG,
	PROFILE_LEVEL_BERAT,
};

enum profile_rounding {
	PROFILE_ROUND_DOWN,
	PROFILE_ROUND_NEAREST, /* half up */
	PROFILE_ROUND_UP,
};

/* Late arrival (TL) or early departure (PSW) tiers. */
struct profile_tiers {
	int64_t max_minutes[PROFILE_TIERS - 1]; /* tier n covers (max[n-2], max[n-1]]; 4: above */
	int64_t bp[PROFILE_TIERS];		/* deduction per occurrence, basis points */
	bool is_missing_tier4;			/* no check-in (out) counts as TL4 (PSW4) */
};

/* One rung of the sanction ladder (PP 94/2021), by yearly TK(+equivalent) days. */
struct profile_rung {
	int64_t min_days;	  /* 0: slot unused */
	int64_t max_days;	  /* inclusive; 0: no upper bound (last rung only) */
	int level;		  /* enum profile_level */
	char code[CFG_VALUE_MAX]; /* stable identifier, e.g. "teguran_lisan" */
	char text[CFG_VALUE_MAX]; /* Indonesian, for the report */
};

struct profile {
	char name[CFG_VALUE_MAX];
	char description[CFG_VALUE_MAX];
	char window_open_text[CFG_VALUE_MAX];  /* "06:00" as written */
	char window_close_text[CFG_VALUE_MAX]; /* "18:00" */
	int32_t window_open_sec;	       /* local seconds after midnight, inclusive */
	int32_t window_close_sec;	       /* inclusive */
	int64_t grace_seconds;		       /* 59: 07:30:59 is on time for 07:30 */
	struct profile_tiers late;	       /* TL */
	struct profile_tiers early;	       /* PSW */
	int64_t tk_bp;			       /* per TK day; 300 commonly quoted, unconfirmed */
	int64_t cap_bp;			       /* per calendar month */
	int64_t compensation_minutes;	       /* 0: off; late ≤ N min made up the same day */
	int64_t free_late_days;		       /* K, 0: off; cut from the (K+1)th late day */
	int64_t minutes_per_day;	       /* 450: one TK-equivalent day */
	int rounding;			       /* enum profile_rounding, of equivalent days */
	int64_t consecutive_tk;		       /* run of TK working days → run sanction; 0: off */
	char consecutive_code[CFG_VALUE_MAX];  /* the rung a run earns (a ladder code) */
	struct profile_rung ladder[PROFILE_RUNGS_MAX];
	size_t n_rungs;		 /* used rungs, ascending, first n slots */
	size_t consecutive_rung; /* index of consecutive_code in ladder */
};

/*
 * Load a profile file. Errors (cfg's, and cross-field ones: tiers ascending,
 * window, ladder ordered and non-overlapping) name the file, the line and the
 * key in diag. Returns 0, -EINVAL (see diag), -E2BIG for a file over
 * PROFILE_FILE_MAX, or another negative errno when it cannot be read. The
 * result must be freed with profile_free().
 */
int profile_load(const char *path, struct profile **ret_profile, struct cfg_diag *diag) MUST_CHECK;

/* As profile_load, from bytes in memory; name is used in messages. */
int profile_parse(const char *text, size_t len, const char *name, struct profile **ret_profile,
		  struct cfg_diag *diag) MUST_CHECK;

/*
 * Load the profile a unit names: dir/NAME.conf, whose [profile] name must be
 * NAME. Names are [A-Za-z0-9_-], 1–64 characters (-EINVAL otherwise, so a
 * units.csv cell cannot reach outside dir). Otherwise as profile_load().
 */
int profile_load_named(const char *dir, const char *name, struct profile **ret_profile,
		       struct cfg_diag *diag) MUST_CHECK;

void profile_free(struct profile *profile);

/* Print the effective profile as a valid profile file (for --check-config). */
void profile_print(FILE *out, const struct profile *profile);

/* Basis points of tier (1–4) of tiers; 0 for tier 0. */
int64_t profile_tier_bp(const struct profile_tiers *tiers, int tier);

/* The tier (0–4) of a number of whole minutes. */
int profile_tier_of(const struct profile_tiers *tiers, int64_t minutes);

/* The rung for a yearly day total, or NULL below the first rung. */
const struct profile_rung *profile_rung_for(const struct profile *profile, int64_t days);

const char *profile_level_name(int level);

#endif
