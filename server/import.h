/* SPDX-License-Identifier: MIT */
/*
 * `hadir-collector import KIND FILE.csv`: the organisation's data from CSV
 * files (DESIGN.md, Admin interfaces) into the store. Columns are found by
 * their header names (any order; optional ones may be left out); every row
 * is checked completely and each problem reported as "FILE:LINE: column:
 * what is wrong". A file with any bad row stores nothing: the whole file is
 * one transaction (taps: see below). What a file replaces:
 *
 *   units      all units (a unit still used by staff, schedules or a kiosk
 *              cannot be left out)
 *   staff      all staff, with their cards and finger ids
 *   schedules  the schedules of each unit named in the file
 *   holidays   the holidays of each year named in the file
 *   leave      the leave records starting in each year named in the file
 *   plans      all plan items (RHK: nip,code,title) of every person
 *   taps       nothing: taps are added, and a tap already stored (same NIP,
 *              same instant) is skipped, so a file can be imported again.
 *              The file is checked whole first and then stored in
 *              transactions of IMPORT_CHUNK_ROWS rows, so a million taps do
 *              not hold the store's write lock (and kiosks' batches) for a
 *              minute; an interrupted import is finished by running it again.
 *
 * Units, staff, schedules, holidays and plans are roster data: importing them
 * bumps the roster version kiosks see in the ETag.
 */
#ifndef HADIR_SERVER_IMPORT_H
#define HADIR_SERVER_IMPORT_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "common/cfg.h"
#include "common/err.h"

struct db;

#define IMPORT_YEARS_MAX  16	     /* distinct years in one holidays or leave file */
#define IMPORT_DEVICE	  "(import)" /* the device imported taps are stored under */
#define IMPORT_CHUNK_ROWS 10000	     /* taps stored per transaction, once the file is checked */

enum import_kind {
	IMPORT_UNITS,
	IMPORT_STAFF,
	IMPORT_SCHEDULES,
	IMPORT_HOLIDAYS,
	IMPORT_LEAVE,
	IMPORT_TAPS,
	IMPORT_PLANS,
};

struct import_opts {
	const char *profiles_dir; /* where units' profiles are (NAME.conf) */
	int64_t now_usec;	  /* CLOCK_REALTIME */
};

struct import_result {
	size_t rows;		     /* rows stored (staff: people) */
	size_t skipped;		     /* taps already stored */
	size_t n_units;		     /* staff, schedules: units the file covers */
	int years[IMPORT_YEARS_MAX]; /* holidays, leave: years replaced, ascending */
	size_t n_years;
	struct cfg_diag diag; /* every problem, one a line (bounded text, all counted) */
};

/* "units" … "taps" to a kind; -EINVAL for another word. */
int import_kind_parse(const char *name, enum import_kind *ret_kind) MUST_CHECK;
const char *import_kind_name(enum import_kind kind);

/*
 * Import one file. Returns 0 when everything was stored, -EINVAL when the
 * file has bad rows (nothing stored; ret->diag says what and where), or
 * another negative errno (I/O, storage; also in ret->diag). ret is always
 * filled.
 */
int import_file(struct db *db, enum import_kind kind, const char *path,
		const struct import_opts *opts, struct import_result *ret) MUST_CHECK;
/* As import_file, from a stream; name stands for the file in messages. */
int import_stream(struct db *db, enum import_kind kind, FILE *in, const char *name,
		  const struct import_opts *opts, struct import_result *ret) MUST_CHECK;

/* One line for the admin: "imported 120 staff (3 units)". */
void import_summary(enum import_kind kind, const struct import_result *res, char *buf, size_t size);

#endif
