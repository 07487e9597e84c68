/* SPDX-License-Identifier: MIT */
/*
 * GET /api/v1/devices: the device overview (server/devices.h) for the
 * dashboard. A superadmin sees every kiosk, a unit admin the kiosks serving
 * one of their units; supervisors and staff get the scope's 403.
 */
#ifndef HADIR_SERVER_API_DEVICES_H
#define HADIR_SERVER_API_DEVICES_H

#include "server/api.h"

void api_devices_list(struct api *api, const struct api_call *call, struct api_reply *ret);

#endif
