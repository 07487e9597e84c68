// SPDX-License-Identifier: MIT
/* The roster route: device check, ETag, 304 or the roster JSON. */
#include "server/api_roster.h"

#include <stdio.h>
#include <string.h>

#include <jansson.h>

#include "common/clk.h"
#include "common/http.h"
#include "common/log.h"
#include "common/tz.h"
#include "server/config.h"
#include "server/api_templates.h"
#include "server/db.h"
#include "server/roster.h"

_Static_assert(ROSTER_ETAG_MAX <= API_ETAG_MAX, "an ETag must fit a reply");

void api_roster_get(struct api *api, const struct api_call *call, struct api_reply *ret)
{
	int32_t today = (int32_t)(call->now / CLK_USEC_PER_SEC / 86400);
	struct roster_scope scope;
	struct db_device dev;
	int year, month, day;
	json_t *roster;
	int r;

	if (api_device_of(api, call->peer, call->now, &dev, ret) < 0)
		return;
	tz_civil_from_days(today, &year, &month, &day);
	r = roster_scope(api->db, dev.id, year, &scope);
	if (r < 0) {
		api_error(500, "storage error", call->now, ret);
		return;
	}
	if (!scope.has_staff) {
		api_error(404, "no roster imported yet", call->now, ret);
		return;
	}
	if (call->req->if_none_match[0] && http_etag_match(call->req->if_none_match, scope.etag)) {
		memset(ret, 0, sizeof(*ret));
		ret->status = 304;
		snprintf(ret->etag, sizeof(ret->etag), "%s", scope.etag);
		return;
	}
	r = roster_json(api->db, &scope, api->cfg->profiles, &roster);
	if (r == 0) {
		r = api_templates_roster(api, dev.id, roster);
		if (r < 0)
			json_decref(roster);
	}
	if (r < 0) {
		log_err("api: roster for device '%s': %s", dev.name, strerror(-r));
		api_error(500, "storage error", call->now, ret);
		return;
	}
	api_reply_json(200, roster, call->now, ret);
	if (ret->status == 200)
		snprintf(ret->etag, sizeof(ret->etag), "%s", scope.etag);
}
