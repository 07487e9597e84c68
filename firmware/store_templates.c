// SPDX-License-Identifier: MIT
/*
 * The kiosk store's tables for fingerprint templates shared through the
 * collector (store.h "Fingerprint templates"; firmware/templates.c uses
 * them): which template each page holds, the outbox of reports, the module
 * work queue, and the collector's enrolment requests already taken.
 */
#include "firmware/store.h"

#include <errno.h>
#include <stdbool.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "firmware/store_private.h"

/* A change binding ?1 and ?2 to texts (NULL: unbound) and ?3 to an integer. */
static int change3(struct store *st, const char *sql, const char *a, const char *b, int64_t n)
{
	return store_change(st, sql, a, b, 3, n);
}

int store_finger_sha(struct store *st, unsigned page, char ret_sha[CRYPTO_SHA256_HEX])
{
	sqlite3_stmt *s;
	int rc, r = 0;

	rc = sqlite3_prepare_v2(store_sqlite(st), "SELECT sha256 FROM fingers WHERE page = ?1", -1,
				&s, NULL);
	if (rc != SQLITE_OK)
		return store_sqlite_fail(st, rc, "read a finger's template");
	sqlite3_bind_int64(s, 1, page);
	rc = sqlite3_step(s);
	if (rc == SQLITE_ROW && sqlite3_column_type(s, 0) != SQLITE_NULL) {
		store_copy_column(s, 0, ret_sha, CRYPTO_SHA256_HEX);
		r = 1;
	} else if (rc != SQLITE_ROW && rc != SQLITE_DONE) {
		r = store_sqlite_fail(st, rc, "read a finger's template");
	}
	sqlite3_finalize(s);
	return r;
}

int store_finger_share(struct store *st, unsigned page, const char *sha256, const char *body)
{
	int r = store_exec(st, "BEGIN IMMEDIATE");

	if (r < 0)
		return r;
	r = change3(st, "UPDATE fingers SET sha256 = ?1 WHERE page = ?3", sha256, NULL, page);
	if (r == 0 && body)
		r = change3(st, "INSERT INTO template_outbox (sha256, body) VALUES (?1, ?2)",
			    sha256, body, 0);
	return store_end_transaction(st, r);
}

int store_finger_unshare(struct store *st, const char *sha256)
{
	return change3(st, "UPDATE fingers SET sha256 = NULL WHERE sha256 = ?1", sha256, NULL, 0);
}

int store_template_outbox_add(struct store *st, const char *sha256, const char *body)
{
	return change3(st, "INSERT INTO template_outbox (sha256, body) VALUES (?1, ?2)", sha256,
		       body, 0);
}

int store_template_outbox_next(struct store *st, int64_t *ret_id, char **ret_body)
{
	sqlite3_stmt *s;
	int rc, r = 0;

	rc = sqlite3_prepare_v2(store_sqlite(st),
				"SELECT id, body FROM template_outbox ORDER BY id LIMIT 1", -1, &s,
				NULL);
	if (rc != SQLITE_OK)
		return store_sqlite_fail(st, rc, "read the template outbox");
	rc = sqlite3_step(s);
	if (rc == SQLITE_ROW) {
		*ret_id = sqlite3_column_int64(s, 0);
		*ret_body = strdup((const char *)sqlite3_column_text(s, 1));
		r = *ret_body ? 1 : -ENOMEM;
	} else if (rc != SQLITE_DONE) {
		r = store_sqlite_fail(st, rc, "read the template outbox");
	}
	sqlite3_finalize(s);
	return r;
}

int store_template_outbox_drop(struct store *st, int64_t id)
{
	return change3(st, "DELETE FROM template_outbox WHERE id = ?3", NULL, NULL, id);
}

int store_template_work_add(struct store *st, const struct store_template_work *w)
{
	sqlite3_stmt *s;
	int rc;

	rc = sqlite3_prepare_v2(store_sqlite(st),
				"INSERT INTO template_work (kind, nip, page, sha256, data, request)"
				" VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
				-1, &s, NULL);
	if (rc != SQLITE_OK)
		return store_sqlite_fail(st, rc, "queue template work");
	sqlite3_bind_text(s, 1, w->kind, -1, SQLITE_STATIC);
	sqlite3_bind_text(s, 2, w->nip, -1, SQLITE_STATIC);
	sqlite3_bind_int64(s, 3, w->page);
	sqlite3_bind_text(s, 4, w->sha256, -1, SQLITE_STATIC);
	if (w->len)
		sqlite3_bind_blob(s, 5, w->data, (int)w->len, SQLITE_STATIC);
	sqlite3_bind_int64(s, 6, w->request);
	rc = sqlite3_step(s);
	sqlite3_finalize(s);
	return rc == SQLITE_DONE ? 0 : store_sqlite_fail(st, rc, "queue template work");
}

int store_template_work_next(struct store *st, struct store_template_work *ret)
{
	sqlite3_stmt *s;
	int rc, r = 0;

	rc = sqlite3_prepare_v2(
	    store_sqlite(st),
	    "SELECT id, kind, nip, page, sha256, data, request FROM template_work"
	    " ORDER BY id LIMIT 1",
	    -1, &s, NULL);
	if (rc != SQLITE_OK)
		return store_sqlite_fail(st, rc, "read template work");
	rc = sqlite3_step(s);
	if (rc == SQLITE_ROW) {
		size_t len = (size_t)sqlite3_column_bytes(s, 5);

		memset(ret, 0, sizeof(*ret));
		ret->id = sqlite3_column_int64(s, 0);
		store_copy_column(s, 1, ret->kind, sizeof(ret->kind));
		store_copy_column(s, 2, ret->nip, sizeof(ret->nip));
		ret->page = sqlite3_column_int64(s, 3);
		store_copy_column(s, 4, ret->sha256, sizeof(ret->sha256));
		ret->request = sqlite3_column_int64(s, 6);
		if (len <= sizeof(ret->data)) {
			if (len)
				memcpy(ret->data, sqlite3_column_blob(s, 5), len);
			ret->len = len;
			r = 1;
		} else {
			r = -EBADMSG;
		}
	} else if (rc != SQLITE_DONE) {
		r = store_sqlite_fail(st, rc, "read template work");
	}
	sqlite3_finalize(s);
	return r;
}

int store_template_work_drop(struct store *st, int64_t id)
{
	return change3(st, "DELETE FROM template_work WHERE id = ?3", NULL, NULL, id);
}

int store_template_downloaded(struct store *st, const struct store_template_work *w, unsigned page)
{
	int r = store_exec(st, "BEGIN IMMEDIATE");

	if (r < 0)
		return r;
	r = change3(st, "INSERT OR REPLACE INTO fingers (nip, sha256, page) VALUES (?1, ?2, ?3)",
		    w->nip, w->sha256, page);
	if (r == 0)
		r = change3(st,
			    "INSERT OR REPLACE INTO credentials (nip, credential)"
			    " SELECT ?1, 'finger:' || ?3 WHERE ?1 IN (SELECT nip FROM staff)",
			    w->nip, NULL, page);
	if (r == 0)
		r = change3(st, "DELETE FROM template_work WHERE id = ?3", NULL, NULL, w->id);
	return store_end_transaction(st, r);
}

int store_template_request_take(struct store *st, int64_t id, const char *nip)
{
	struct store_template_work w = {.kind = "enroll", .page = -1, .request = id};
	bool is_new;
	int r;

	snprintf(w.nip, sizeof(w.nip), "%s", nip);
	r = store_exec(st, "BEGIN IMMEDIATE");
	if (r < 0)
		return r;
	r = change3(st, "INSERT OR IGNORE INTO template_requests (id) VALUES (?3)", NULL, NULL, id);
	is_new = r == 0 && sqlite3_changes(store_sqlite(st)) > 0; /* else taken before */
	if (is_new)
		r = store_template_work_add(st, &w);
	r = store_end_transaction(st, r);
	return r < 0 ? r : is_new;
}

int store_templates_reconcile(struct store *st, const struct store_template *list, size_t n,
			      unsigned *ret_queued)
{
	sqlite3_stmt *s = NULL;
	int64_t before = 0, after = 0;
	int rc, r;

	r = store_exec(st, "BEGIN IMMEDIATE");
	if (r < 0)
		return r;
	r = store_exec(st, "CREATE TEMP TABLE IF NOT EXISTS roster_templates ("
			   "  nip TEXT NOT NULL, sha256 TEXT NOT NULL, data BLOB NOT NULL);"
			   "DELETE FROM roster_templates");
	if (r == 0) {
		rc = sqlite3_prepare_v2(store_sqlite(st),
					"INSERT INTO roster_templates VALUES (?1, ?2, ?3)", -1, &s,
					NULL);
		r = rc == SQLITE_OK ? 0 : store_sqlite_fail(st, rc, "reconcile templates");
	}
	for (size_t i = 0; r == 0 && i < n; i++) {
		sqlite3_bind_text(s, 1, list[i].nip, -1, SQLITE_STATIC);
		sqlite3_bind_text(s, 2, list[i].sha256, -1, SQLITE_STATIC);
		if (list[i].len)
			sqlite3_bind_blob(s, 3, list[i].data, (int)list[i].len, SQLITE_STATIC);
		else
			sqlite3_bind_zeroblob(s, 3, 0); /* a mark: nip's templates are listed */
		rc = sqlite3_step(s);
		r = rc == SQLITE_DONE ? 0 : store_sqlite_fail(st, rc, "reconcile templates");
		sqlite3_reset(s);
	}
	sqlite3_finalize(s);
	if (r == 0)
		r = store_query_int64(st, "SELECT count(*) FROM template_work", 0, 0, &before);
	/*
	 * Nothing about a template the outbox still has to tell the collector
	 * (its roster does not know yet); downloads no longer wanted are dropped.
	 */
	if (r == 0)
		r = store_exec(
		    st,
		    "DELETE FROM template_work WHERE kind = 'download' AND NOT EXISTS ("
		    "  SELECT 1 FROM roster_templates r"
		    "  WHERE r.nip = template_work.nip AND r.sha256 = template_work.sha256);"
		    "INSERT INTO template_work (kind, nip, sha256, data)"
		    " SELECT 'download', r.nip, r.sha256, r.data FROM roster_templates r"
		    " WHERE r.sha256 != '' AND r.nip IN (SELECT nip FROM staff)"
		    " AND NOT EXISTS (SELECT 1 FROM fingers f"
		    "   WHERE f.nip = r.nip AND f.sha256 = r.sha256)"
		    " AND NOT EXISTS (SELECT 1 FROM template_work w"
		    "   WHERE w.nip = r.nip AND w.sha256 = r.sha256)"
		    " AND NOT EXISTS (SELECT 1 FROM template_outbox o WHERE o.sha256 = r.sha256);"
		    "INSERT INTO template_work (kind, nip, page, sha256)"
		    " SELECT 'delete', f.nip, f.page, f.sha256 FROM fingers f"
		    " WHERE f.sha256 IS NOT NULL"
		    " AND (f.nip NOT IN (SELECT nip FROM staff)"
		    "   OR f.nip IN (SELECT nip FROM roster_templates))"
		    " AND NOT EXISTS (SELECT 1 FROM roster_templates r"
		    "   WHERE r.nip = f.nip AND r.sha256 = f.sha256)"
		    " AND NOT EXISTS (SELECT 1 FROM template_work w"
		    "   WHERE w.kind = 'delete' AND w.page = f.page)"
		    " AND NOT EXISTS (SELECT 1 FROM template_outbox o WHERE o.sha256 = f.sha256);"
		    "DELETE FROM roster_templates");
	if (r == 0)
		r = store_query_int64(st, "SELECT count(*) FROM template_work", 0, 0, &after);
	r = store_end_transaction(st, r);
	if (r == 0)
		*ret_queued = after > before ? (unsigned)(after - before) : 0;
	return r;
}

int store_template_backlog(struct store *st, unsigned *ret_to_send, unsigned *ret_to_write)
{
	int64_t send = 0, write = 0;
	int r;

	r = store_query_int64(st, "SELECT count(*) FROM template_outbox", 0, 0, &send);
	if (r == 0)
		r = store_query_int64(st, "SELECT count(*) FROM template_work", 0, 0, &write);
	if (r < 0)
		return r;
	*ret_to_send = (unsigned)send;
	*ret_to_write = (unsigned)write;
	return 0;
}
