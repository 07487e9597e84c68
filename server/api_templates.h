/* SPDX-License-Identifier: MIT */
/*
 * POST /api/v1/templates (device certificate): a kiosk shares what happened
 * to a fingerprint on its module. One JSON object per request:
 *   {"nip":N,"page":P,"template":BASE64,"sha256":HEX[,"request":ID]}
 *       enrolled: keep the template (sealed, server/templates.h); the same
 *       template again is a no-op (resending is safe) -> {"index":IDX}
 *   {"nip":N,"sha256":HEX,"deleted":true}
 *       deleted at the kiosk: forget it, so the other kiosks delete it too
 *       -> {"deleted":0|1}
 *   {"nip":N,"request":ID,"failed":REASON}
 *       an enrolment the collector asked for failed -> {}
 * "page" is the kiosk's own module page, for its log only. Only a device
 * whose roster holds nip (its unit; every unit when it has none assigned)
 * may share nip's templates: 403 otherwise. Templates are never logged.
 */
#ifndef HADIR_SERVER_API_TEMPLATES_H
#define HADIR_SERVER_API_TEMPLATES_H

#include <stdint.h>

#include "common/err.h"
#include "server/api.h"

void api_templates_post(struct api *api, const struct api_call *call, struct api_reply *ret);

/*
 * Add to a device's roster reply (built by roster.c for its units) each
 * listed person's templates, "templates":[{"page":IDX,"data":BASE64}]
 * (decrypted for this reply only; none when the collector has no key, and
 * no member for a person with a template that does not open, so kiosks keep
 * theirs), and the enrolments asked of this device, "enroll":[{"nip":N,"id":ID}].
 */
int api_templates_roster(struct api *api, int64_t device_id, struct json_t *roster) MUST_CHECK;

/*
 * 1 when the device's roster holds nip (nip's unit is one of the device's, or
 * it has none assigned and sees every unit), 0 when not (or nip is unknown).
 */
int api_templates_device_sees(struct db *db, int64_t device_id, const char *nip) MUST_CHECK;

#endif
