/* SPDX-License-Identifier: MIT */
/*
 * The roster a kiosk pulls (GET /api/v1/roster): the units it serves with
 * their schedules, the holidays of this year and the next, and the staff of
 * those units with their cards and finger ids, as the JSON of the contract
 * (version 1). A kiosk assigned to units (device add --unit) sees those; one
 * without assignments sees every unit. The strong ETag names everything the
 * reply depends on: the roster version (bumped by each import of roster
 * data), the year (holidays follow it) and the device's unit set.
 * Building only: no HTTP here (api_roster.c).
 */
#ifndef HADIR_SERVER_ROSTER_H
#define HADIR_SERVER_ROSTER_H

#include <stdbool.h>
#include <stdint.h>

#include "common/err.h"

struct db;
struct json_t;

#define ROSTER_VERSION	1
#define ROSTER_ETAG_MAX 64 /* "\"r<version>-<year>-<16 hex>\"" and NUL */

/* What one device's roster covers at the moment. */
struct roster_scope {
	int64_t device_id;	    /* listings' device filter: 0 when the device has no units */
	int year;		    /* holidays of this year and the next */
	bool has_staff;		    /* a staff import ever happened */
	char etag[ROSTER_ETAG_MAX]; /* quoted */
};

/* The scope of device_id's roster in year (UTC); cheap, for If-None-Match. */
int roster_scope(struct db *db, int64_t device_id, int year,
		 struct roster_scope *ret_scope) MUST_CHECK;

/*
 * The roster of a scope. grace_seconds of each unit comes from its profile in
 * profiles_dir (left out, with a warning, when the profile cannot be read).
 * Returns 0 or a negative errno; release the result with json_decref().
 */
int roster_json(struct db *db, const struct roster_scope *scope, const char *profiles_dir,
		struct json_t **ret_json) MUST_CHECK;

#endif
