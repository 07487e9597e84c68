// SPDX-License-Identifier: MIT
/* The dashboard's static files. */
#include "server/api_web.h"

#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <string.h>

#include "common/log.h"
#include "server/config.h"
#include "server/site.h"

#define WEB_HEADERS                                                                                \
	"Content-Security-Policy: default-src 'self'; img-src 'self' data:; base-uri 'none';"      \
	" form-action 'self'; frame-ancestors 'none'\r\n"                                          \
	"X-Content-Type-Options: nosniff\r\n"                                                      \
	"X-Frame-Options: DENY\r\n"                                                                \
	"Referrer-Policy: no-referrer\r\n"

static const struct {
	const char *ext;
	const char *type;
} types[] = {
    {".html", "text/html; charset=utf-8"},
    {".js", "text/javascript; charset=utf-8"},
    {".css", "text/css; charset=utf-8"},
    {".svg", "image/svg+xml"},
};

/* The content type of a servable name: [a-z0-9-]+ and a known extension; NULL otherwise. */
static const char *type_of(const char *name)
{
	size_t stem = strspn(name, "abcdefghijklmnopqrstuvwxyz0123456789-");

	if (stem == 0)
		return NULL;
	for (size_t i = 0; i < ARRAY_SIZE(types); i++)
		if (strcmp(name + stem, types[i].ext) == 0)
			return types[i].type;
	return NULL;
}

static void serve(struct api *api, const struct api_call *call, const char *name,
		  struct api_reply *ret)
{
	const char *type = type_of(name);
	char path[PATH_MAX];
	char *data;
	size_t len;
	int r;

	if (!type ||
	    snprintf(path, sizeof(path), "%s/%s", api->cfg->web_root, name) >= (int)sizeof(path)) {
		api_error(404, "no such file", call->now, ret);
		return;
	}
	r = site_read_file(path, API_WEB_FILE_MAX, &data, &len);
	if (r == -ENOENT) {
		api_error(404, "no such file", call->now, ret);
		return;
	}
	if (r < 0) {
		log_err("web: read '%s': %s", path, strerror(-r));
		api_error(500, "cannot read the file", call->now, ret);
		return;
	}
	memset(ret, 0, sizeof(*ret));
	ret->status = 200;
	ret->content_type = type;
	ret->body = data;
	ret->body_len = len;
	ret->extra_headers = WEB_HEADERS;
}

void api_web_index(struct api *api, const struct api_call *call, struct api_reply *ret)
{
	serve(api, call, "index.html", ret);
}

void api_web_file(struct api *api, const struct api_call *call, struct api_reply *ret)
{
	serve(api, call, call->params[0], ret);
}
