/* SPDX-License-Identifier: MIT */
/*
 * The kiosk screen's HTTP server, inside hadir-kiosk's event loop: static
 * files of the screen ([ui] root) and the JSON API of firmware/screen.h, plus
 * GET /api/events, a Server-Sent Events stream that pushes the state to the
 * screen as soon as a tap is answered or a session ends.
 *
 * Loopback only ([ui] listen must be 127.x.x.x:PORT). Non-blocking sockets,
 * a few connections, bounded requests and output; the tap path hands a tap
 * over with ui_tap(), which copies it into a queue and returns: the screen's
 * work runs afterwards, so the door never waits for the screen.
 */
#ifndef HADIR_FIRMWARE_UI_H
#define HADIR_FIRMWARE_UI_H

#include <netinet/in.h>

#include "common/err.h"
#include "firmware/tap.h"

struct kconfig;
struct loop;
struct store;
struct ui;

struct ui_deps {
	struct loop *loop;
	struct store *store; /* the daemon's connection: entries join the taps' chain */
	const struct kconfig *cfg;
	const struct tap_clock *clock;
	const char *boot_id;
	void (*recorded)(void *user); /* an activity record was committed */
	void *user;
};

/* Parse "127.0.0.1:8080": -EINVAL unless a loopback IPv4 address and a port 1-65535. */
int ui_listen_addr(const char *text, struct sockaddr_in *ret_addr) MUST_CHECK;

/* Listen on cfg's [ui] listen; deps' pointers must outlive the ui. Free with ui_free(). */
int ui_new(const struct ui_deps *deps, struct ui **ret_ui) MUST_CHECK;
void ui_free(struct ui *ui);

/* A tap was answered: queue it for the screen. Never blocks, never fails the tap. */
void ui_tap(struct ui *ui, const struct tap_result *res);

#endif
