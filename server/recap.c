// SPDX-License-Identifier: MIT
/* The activity recap: one pass over the period's current entries, counted per employee. */
#include "server/recap.h"

#include <assert.h>
#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "server/db.h"
#include "server/report.h"
#include "server/xlsx.h"

enum recap_status { RS_PENDING, RS_APPROVED, RS_RETURNED, RS_REFUSED, RS_INVALID, RS_COUNT };

static const char *const status_names[RS_COUNT] = {"pending", "approved", "returned", "refused",
						   "invalid"};

struct recap_plan {
	char code[ACTIVITY_PLAN_MAX];
	char title[DB_REVIEW_MAX];
	int64_t entries, minutes, quantity;
};

struct recap_employee {
	char nip[RECORD_NIP_MAX];
	char name[DB_TEXT_MAX];
	char unit_id[DB_UNIT_ID_MAX];
	int64_t entries, minutes;
	int64_t counts[RS_COUNT];
	struct recap_plan *plans;
	size_t n_plans;
};

struct recap {
	char from[TZ_DATE_MAX], to[TZ_DATE_MAX];
	char unit_id[DB_UNIT_ID_MAX]; /* "" for every unit */
	struct recap_employee *emps;  /* by NIP once recap_run returns */
	size_t n_emps, cap_emps;
	json_t *index;		    /* NIP -> position in emps, while counting */
	const char *supervisor_nip; /* the query's, while counting */
};

void recap_free(struct recap *rc)
{
	if (!rc)
		return;
	for (size_t i = 0; i < rc->n_emps; i++)
		free(rc->emps[i].plans);
	free(rc->emps);
	json_decref(rc->index);
	free(rc);
}

/* The line of nip, added (with its name and unit) on first sight; NULL when out of memory. */
static struct recap_employee *employee_of(struct recap *rc, const char *nip, const char *name,
					  const char *unit_id)
{
	json_t *pos = json_object_get(rc->index, nip);
	struct recap_employee *e;

	if (pos)
		return &rc->emps[json_integer_value(pos)];
	if (rc->n_emps == rc->cap_emps) {
		size_t cap = rc->cap_emps ? 2 * rc->cap_emps : 64;
		void *p = realloc(rc->emps, cap * sizeof(*rc->emps));

		if (!p)
			return NULL;
		rc->emps = p;
		rc->cap_emps = cap;
	}
	if (json_object_set_new(rc->index, nip, json_integer((json_int_t)rc->n_emps)) < 0)
		return NULL;
	e = &rc->emps[rc->n_emps++];
	memset(e, 0, sizeof(*e));
	snprintf(e->nip, sizeof(e->nip), "%s", nip);
	snprintf(e->name, sizeof(e->name), "%s", name);
	snprintf(e->unit_id, sizeof(e->unit_id), "%s", unit_id);
	return e;
}

static struct recap_plan *plan_of(struct recap_employee *e, const char *code)
{
	struct recap_plan *p;

	for (size_t i = 0; i < e->n_plans; i++)
		if (strcmp(e->plans[i].code, code) == 0)
			return &e->plans[i];
	p = realloc(e->plans, (e->n_plans + 1) * sizeof(*e->plans));
	if (!p)
		return NULL;
	e->plans = p;
	p = &e->plans[e->n_plans++];
	memset(p, 0, sizeof(*p));
	snprintf(p->code, sizeof(p->code), "%s", code);
	return p;
}

static int count_entry(const struct db_activity *a, void *user)
{
	struct recap_employee *e = employee_of(user, a->nip, a->name, a->unit_id);
	struct recap_plan *p;
	size_t s = 0;

	if (!e)
		return -ENOMEM;
	while (s < RS_COUNT && strcmp(a->status, status_names[s]) != 0)
		s++;
	if (s == RS_COUNT)
		return 0;
	e->counts[s]++;
	if (s == RS_REFUSED || s == RS_INVALID)
		return 0;
	p = plan_of(e, a->act.plan);
	if (!p)
		return -ENOMEM;
	e->entries++;
	e->minutes += a->minutes;
	p->entries++;
	p->minutes += a->minutes;
	p->quantity += a->act.quantity;
	return 0;
}

static int by_nip(const void *a, const void *b)
{
	return strcmp(((const struct recap_employee *)a)->nip,
		      ((const struct recap_employee *)b)->nip);
}

static int by_code(const void *a, const void *b)
{
	return strcmp(((const struct recap_plan *)a)->code, ((const struct recap_plan *)b)->code);
}

/* Plan titles from the plan items (a code no longer planned keeps an empty title). */
static int title_plan(const struct db_plan *plan, void *user)
{
	struct recap *rc = user;
	json_t *pos = json_object_get(rc->index, plan->nip);
	struct recap_employee *e;

	if (!pos)
		return 0;
	e = &rc->emps[json_integer_value(pos)];
	for (size_t i = 0; i < e->n_plans; i++)
		if (strcmp(e->plans[i].code, plan->code) == 0)
			snprintf(e->plans[i].title, sizeof(e->plans[i].title), "%s", plan->title);
	return 0;
}

/* Everyone in scope has a line, also those who logged nothing. */
static int add_staff(const struct db_staff *s, void *user)
{
	struct recap *rc = user;

	if (rc->supervisor_nip && strcmp(s->supervisor_nip, rc->supervisor_nip) != 0)
		return 0;
	return employee_of(rc, s->nip, s->name, s->unit_id) ? 0 : -ENOMEM;
}

int recap_run(struct db *db, const struct recap_query *q, struct recap **ret_recap)
{
	struct db_activity_query aq = {
	    .from_date = q->from_date,
	    .to_date = q->to_date,
	    .unit_id = q->unit_id,
	    .supervisor_nip = q->supervisor_nip,
	};
	struct db_org_query sq = {.unit_id = q->unit_id};
	struct recap *rc;
	int r;

	rc = calloc(1, sizeof(*rc));
	if (!rc)
		return -ENOMEM;
	snprintf(rc->from, sizeof(rc->from), "%s", q->from_date);
	snprintf(rc->to, sizeof(rc->to), "%s", q->to_date);
	snprintf(rc->unit_id, sizeof(rc->unit_id), "%s", q->unit_id ? q->unit_id : "");
	rc->index = json_object();
	rc->supervisor_nip = q->supervisor_nip;
	r = rc->index ? db_activities(db, &aq, count_entry, rc) : -ENOMEM;
	if (r == 0)
		r = db_staff(db, &sq, add_staff, rc);
	if (r == 0)
		r = db_plans(db, NULL, title_plan, rc);
	if (r < 0) {
		recap_free(rc);
		return r;
	}
	/* The index points into emps by position: sorting ends its use. */
	json_decref(rc->index);
	rc->index = NULL;
	for (size_t i = 0; i < rc->n_emps; i++)
		if (rc->emps[i].n_plans > 1)
			qsort(rc->emps[i].plans, rc->emps[i].n_plans, sizeof(struct recap_plan),
			      by_code);
	if (rc->n_emps > 1)
		qsort(rc->emps, rc->n_emps, sizeof(*rc->emps), by_nip);
	*ret_recap = rc;
	return 0;
}

static json_t *employee_json(const struct recap_employee *e)
{
	json_t *o, *plans = json_array();

	for (size_t i = 0; plans && i < e->n_plans; i++) {
		const struct recap_plan *p = &e->plans[i];

		if (json_array_append_new(plans, json_pack("{s:s,s:s,s:I,s:I,s:I}", "code", p->code,
							   "title", p->title, "entries",
							   (json_int_t)p->entries, "minutes",
							   (json_int_t)p->minutes, "quantity",
							   (json_int_t)p->quantity)) < 0) {
			json_decref(plans);
			return NULL;
		}
	}
	o = json_pack("{s:s,s:s,s:s,s:I,s:I,s:o}", "nip", e->nip, "name", e->name, "unit_id",
		      e->unit_id, "entries", (json_int_t)e->entries, "minutes",
		      (json_int_t)e->minutes, "plans", plans);
	for (size_t s = 0; o && s < RS_COUNT; s++) {
		if (json_object_set_new(o, status_names[s], json_integer(e->counts[s])) < 0) {
			json_decref(o);
			return NULL;
		}
	}
	return o;
}

int recap_json(const struct recap *rc, json_t **ret_json)
{
	json_t *root, *emps = json_array();

	for (size_t i = 0; emps && i < rc->n_emps; i++) {
		if (json_array_append_new(emps, employee_json(&rc->emps[i])) < 0) {
			json_decref(emps);
			return -ENOMEM;
		}
	}
	root = json_pack("{s:s,s:s,s:s?,s:o}", "from", rc->from, "to", rc->to, "unit_id",
			 rc->unit_id[0] ? rc->unit_id : NULL, "employees", emps);
	if (!root)
		return -ENOMEM;
	*ret_json = root;
	return 0;
}

static const char *const table_header[] = {
    "NIP",	 "Nama",     "Unit",	  "RHK",	  "Uraian RHK", "Entri",     "Menit",
    "Kuantitas", "Menunggu", "Disetujui", "Dikembalikan", "Ditolak",	"Tidak Sah",
};

#define TABLE_COLUMNS ARRAY_SIZE(table_header)

/* A row of the table: an employee's totals (plan NULL), or one plan item of theirs. */
struct table_row {
	const struct recap_employee *emp;
	const struct recap_plan *plan;
};

static struct report_cell text_cell(const char *s)
{
	return (struct report_cell){.kind = REPORT_CELL_TEXT, .text = s};
}

static struct report_cell int_cell(int64_t v)
{
	return (struct report_cell){.kind = REPORT_CELL_INT, .value = v};
}

/* Numbers that do not apply (quantities of several units, status counts of a plan) stay empty. */
static void row_cells(const void *user, size_t i, struct report_cell *cells)
{
	const struct table_row *row = &((const struct table_row *)user)[i];
	const struct recap_employee *e = row->emp;
	const struct recap_plan *p = row->plan;
	size_t n = 0;

	cells[n++] = text_cell(e->nip);
	cells[n++] = text_cell(e->name);
	cells[n++] = text_cell(e->unit_id);
	cells[n++] = text_cell(!p ? "(semua)" : p->code[0] ? p->code : "(tanpa RHK)");
	cells[n++] = text_cell(p ? p->title : "");
	cells[n++] = int_cell(p ? p->entries : e->entries);
	cells[n++] = int_cell(p ? p->minutes : e->minutes);
	cells[n++] = p ? int_cell(p->quantity) : text_cell("");
	for (size_t s = 0; s < RS_COUNT; s++)
		cells[n++] = p ? text_cell("") : int_cell(e->counts[s]);
	assert(n == TABLE_COLUMNS);
}

/* The table's rows in order: each employee, then their plan items. */
static struct table_row *table_rows(const struct recap *rc, size_t *ret_n)
{
	struct table_row *rows;
	size_t n = rc->n_emps;

	for (size_t i = 0; i < rc->n_emps; i++)
		n += rc->emps[i].n_plans;
	rows = calloc(n ? n : 1, sizeof(*rows));
	if (!rows)
		return NULL;
	n = 0;
	for (size_t i = 0; i < rc->n_emps; i++) {
		rows[n++].emp = &rc->emps[i];
		for (size_t k = 0; k < rc->emps[i].n_plans; k++) {
			rows[n].emp = &rc->emps[i];
			rows[n++].plan = &rc->emps[i].plans[k];
		}
	}
	*ret_n = n;
	return rows;
}

int recap_table(const struct recap *rc, enum recap_format format, char **ret_data, size_t *ret_len)
{
	struct table_row *rows;
	size_t n = 0;
	int r;

	rows = table_rows(rc, &n);
	if (!rows)
		return -ENOMEM;
	if (format == RECAP_CSV)
		r = report_csv_table(table_header, TABLE_COLUMNS, n, row_cells, rows, ret_data,
				     ret_len);
	else
		r = xlsx_table("Kegiatan", table_header, TABLE_COLUMNS, n, row_cells, rows,
			       ret_data, ret_len);
	free(rows);
	return r;
}
