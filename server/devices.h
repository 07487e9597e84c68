/* SPDX-License-Identifier: MIT */
/*
 * The device overview: every kiosk with its units, last sync, the health it
 * last reported, its tamper alert count and whether it is stale, and the
 * latest tamper alerts, as GET /api/v1/devices and `hadir-collector devices
 * --json` show them (README, "Device health"). Read-only, over db.h.
 */
#ifndef HADIR_SERVER_DEVICES_H
#define HADIR_SERVER_DEVICES_H

#include <stdbool.h>
#include <stdint.h>

#include "common/err.h"

struct db;
struct json_t;
struct scope;

#define DEVICES_ALERTS_MAX 50 /* latest alerts in one overview */

/*
 * Build {"devices":[...],"alerts":[...]} in *ret_obj (json_decref it). With
 * sc, only the devices it may see: a superadmin all; otherwise devices with
 * a unit of sc's (a device serving no unit is a superadmin's alone), and
 * only their alerts. sc NULL: everything (the command line). A device is
 * stale when, enabled, it has not synced (or, never synced, was not enrolled)
 * within stale_after_usec of now_usec.
 */
int devices_overview(struct db *db, const struct scope *sc, int64_t stale_after_usec,
		     int64_t now_usec, struct json_t **ret_obj) MUST_CHECK;

struct db_device_health;

/* Whether a kiosk counts as stale (as devices_overview() says it), and whether it is a kiosk. */
bool devices_is_stale(const struct db_device_health *dh, int64_t stale_after_usec,
		      int64_t now_usec);
bool devices_is_kiosk(const struct db_device_health *dh);

#endif
