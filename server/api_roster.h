/* SPDX-License-Identifier: MIT */
/*
 * GET /api/v1/roster for kiosks (device certificate): the roster of the
 * device's units (roster.h) with a strong ETag; If-None-Match naming it gets
 * 304 without a body. Before any staff import: 404, so a kiosk keeps the
 * roster it has.
 */
#ifndef HADIR_SERVER_API_ROSTER_H
#define HADIR_SERVER_API_ROSTER_H

#include "server/api.h"

void api_roster_get(struct api *api, const struct api_call *call, struct api_reply *ret);

#endif
