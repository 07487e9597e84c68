// SPDX-License-Identifier: MIT
/* The device overview route. */
#include "server/api_devices.h"

#include <jansson.h>

#include "server/config.h"
#include "server/devices.h"
#include "server/scope.h"

void api_devices_list(struct api *api, const struct api_call *call, struct api_reply *ret)
{
	struct scope sc;
	json_t *obj;

	if (scope_of_call(api, call, &sc, ret) < 0)
		return;
	if (sc.role != SCOPE_SUPERADMIN && sc.role != SCOPE_UNIT_ADMIN) {
		scope_deny(call->now, ret);
		return;
	}
	if (devices_overview(api->db, &sc, api->cfg->stale_after_ms * 1000, call->now, &obj) < 0) {
		api_error(500, "storage error", call->now, ret);
		return;
	}
	api_reply_json(200, obj, call->now, ret);
}
