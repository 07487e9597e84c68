/* SPDX-License-Identifier: MIT */
/*
 * The dashboard's static files, from [web] root (server/web/ in the source,
 * installed to share/hadir/web): GET / is index.html (the login page), GET
 * /web/NAME any other file. Only flat names of [a-z0-9-] with a known
 * extension are served, so no request reaches outside the folder. Every
 * page goes out with a Content-Security-Policy that allows this origin only:
 * the dashboard fetches nothing from anywhere else at run time.
 */
#ifndef HADIR_SERVER_API_WEB_H
#define HADIR_SERVER_API_WEB_H

#include "server/api.h"

#define API_WEB_FILE_MAX (4 << 20) /* largest file served */

api_route_fn api_web_index;
api_route_fn api_web_file;

#endif
