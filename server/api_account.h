/* SPDX-License-Identifier: MIT */
/*
 * The account routes (api.c's table points here):
 *
 *   POST /api/v1/login   {"username","password"} -> the hadir_session cookie (HttpOnly,
 *                        Secure, SameSite=Strict, Path=/) and {"user","role","units","nip",
 *                        "csrf_token"}; 401 with one message for every refusal
 *   POST /api/v1/logout  ends the cookie's session (X-CSRF-Token required)
 *   GET  /api/v1/me      who the caller is: {"user","role","units","nip","actor","via",
 *                        "csrf_token" (a session's, so a reloaded page can send it)}
 *   GET  /api/v1/audit   ?from=&to=&actor=&action=&format=json|csv; superadmin only
 */
#ifndef HADIR_SERVER_API_ACCOUNT_H
#define HADIR_SERVER_API_ACCOUNT_H

#include "server/api.h"

api_route_fn api_login;
api_route_fn api_logout;
api_route_fn api_me;
api_route_fn api_audit;

#endif
