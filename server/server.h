/* SPDX-License-Identifier: MIT */
/*
 * The collector service: one epoll loop over the listening socket, a
 * signalfd and every client connection (TLS handshake, request reading,
 * response writing), with per-connection deadlines so a slow or idle client
 * holds nothing for long, a connection limit, and a graceful stop on SIGTERM
 * (no new connections; requests in flight are answered, then closed).
 */
#ifndef HADIR_SERVER_SERVER_H
#define HADIR_SERVER_SERVER_H

#include "common/err.h"

struct config;

/* Run until SIGTERM or SIGINT; 0 after a clean stop, a negative errno on a startup failure. */
int server_run(const struct config *cfg) MUST_CHECK;

#endif
