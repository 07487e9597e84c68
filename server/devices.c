// SPDX-License-Identifier: MIT
/* The device overview's JSON, filtered by scope. */
#include "server/devices.h"

#include <errno.h>
#include <string.h>

#include <jansson.h>

#include "server/db.h"
#include "server/scope.h"

struct overview {
	struct db *db;
	const struct scope *sc;
	int64_t stale_after_usec, now_usec;
	json_t *devices;
	json_t *visible; /* names of the devices shown: their alerts are shown too */
	json_t *units;	 /* of the device at hand */
	bool is_unit_seen;
	/* The latest alerts of visible devices: a ring, oldest overwritten. */
	json_t *alerts[DEVICES_ALERTS_MAX];
	size_t n_alerts;
};

static int add_unit(const struct db_unit *unit, void *user)
{
	struct overview *ov = user;

	if (!ov->sc || scope_may_see_unit(ov->sc, unit->unit_id))
		ov->is_unit_seen = true;
	return json_array_append_new(ov->units, json_string(unit->unit_id)) < 0 ? -ENOMEM : 0;
}

/* A value the kiosk reported, or null before it ever did. */
static json_t *reported(bool has, int64_t v)
{
	return has ? json_integer(v) : json_null();
}

bool devices_is_stale(const struct db_device_health *dh, int64_t stale_after_usec, int64_t now_usec)
{
	int64_t since = dh->has_sync	      ? dh->last_sync_usec
			: dh->dev.is_enrolled ? dh->dev.enrolled_usec
					      : dh->dev.created_usec;

	return !dh->dev.is_disabled && now_usec - since > stale_after_usec;
}

/* Internal devices ("(import)") hold imported taps; they are no kiosks. */
bool devices_is_kiosk(const struct db_device_health *dh)
{
	return db_name_ok(dh->dev.name);
}

static int add_device(const struct db_device_health *dh, void *user)
{
	struct overview *ov = user;
	const struct record_health *h = &dh->health;
	bool has = dh->has_health;
	json_t *o;
	int r;

	if (!devices_is_kiosk(dh))
		return 0;
	ov->units = json_array();
	ov->is_unit_seen = false;
	r = ov->units ? db_device_units(ov->db, dh->dev.id, add_unit, ov) : -ENOMEM;
	if (r < 0 || (ov->sc && !scope_is_all(ov->sc) && !ov->is_unit_seen)) {
		json_decref(ov->units);
		return r < 0 ? r : 0;
	}
	o = json_pack(
	    "{s:s,s:o,s:o,s:o,s:o,s:o,s:o,s:I,s:b,s:b,s:b,s:o,s:s?,s:o,s:s?,s:o}", "name",
	    dh->dev.name, "units", ov->units, "last_sync_usec",
	    reported(dh->has_sync, dh->last_sync_usec), "outbox", reported(has, h->outbox),
	    "outbox_oldest_usec", reported(has && h->outbox_oldest_usec, h->outbox_oldest_usec),
	    "clock_offset_usec", reported(has, h->clock_offset_usec), "clock_trusted",
	    has ? json_boolean(h->clock_trusted) : json_null(), "alerts", (json_int_t)dh->alerts,
	    "stale", devices_is_stale(dh, ov->stale_after_usec, ov->now_usec), "disabled",
	    dh->dev.is_disabled, "enrolled", dh->dev.is_enrolled, "health_usec",
	    reported(has, dh->health_usec), "boot_id", has ? h->boot_id : NULL, "uptime_s",
	    reported(has, h->uptime_s), "version", has ? h->version : NULL, "signed_seq",
	    reported(dh->dev.signed_seq > 0, (int64_t)dh->dev.signed_seq));
	if (!o || json_array_append_new(ov->devices, o) < 0 ||
	    json_object_set_new(ov->visible, dh->dev.name, json_true()) < 0)
		return -ENOMEM;
	return 0;
}

static int add_alert(const struct db_alert *al, void *user)
{
	struct overview *ov = user;
	json_t **slot;

	if (!json_object_get(ov->visible, al->device))
		return 0;
	slot = &ov->alerts[ov->n_alerts++ % DEVICES_ALERTS_MAX];
	json_decref(*slot);
	*slot = json_pack("{s:s,s:I,s:s,s:s,s:I}", "device", al->device, "seq", (json_int_t)al->seq,
			  "kind", al->kind, "detail", al->detail, "created_usec",
			  (json_int_t)al->created_usec);
	return *slot ? 0 : -ENOMEM;
}

int devices_overview(struct db *db, const struct scope *sc, int64_t stale_after_usec,
		     int64_t now_usec, json_t **ret_obj)
{
	struct overview ov = {.db = db,
			      .sc = sc,
			      .stale_after_usec = stale_after_usec,
			      .now_usec = now_usec,
			      .devices = json_array(),
			      .visible = json_object()};
	json_t *alerts = json_array();
	size_t kept;
	int r;

	r = ov.devices && ov.visible && alerts ? db_device_health(db, add_device, &ov) : -ENOMEM;
	if (r == 0)
		r = db_alerts(db, add_alert, &ov);
	/* Newest first: walk the ring backwards from the last one added. */
	kept = ov.n_alerts < DEVICES_ALERTS_MAX ? ov.n_alerts : DEVICES_ALERTS_MAX;
	for (size_t i = 0; r == 0 && i < kept; i++) {
		size_t at = (ov.n_alerts - 1 - i) % DEVICES_ALERTS_MAX;

		r = json_array_append(alerts, ov.alerts[at]) < 0 ? -ENOMEM : 0;
	}
	for (size_t i = 0; i < DEVICES_ALERTS_MAX; i++)
		json_decref(ov.alerts[i]);
	json_decref(ov.visible);
	if (r < 0) {
		json_decref(ov.devices);
		json_decref(alerts);
		return r;
	}
	*ret_obj = json_pack("{s:o,s:o}", "devices", ov.devices, "alerts", alerts);
	return *ret_obj ? 0 : -ENOMEM;
}
