// SPDX-License-Identifier: MIT
/*
 * The unit page's filter, order and columns. Every rule here has its twin in
 * server/web/unit.js (toRow(), compare(), matches()); test_view and
 * tests/integration/test_exports.sh hold the two to the same rows.
 */
#include "server/view.h"

#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "server/xlsx.h"

#define SANCTION_TEXT_MAX 512

/* The page's data-key of each column, and its header as the page shows it in Bahasa Indonesia. */
static const struct {
	const char *key, *header;
} columns[VIEW_COLUMNS] = {
    [VIEW_NIP] = {"nip", "NIP"},
    [VIEW_NAME] = {"name", "Nama"},
    [VIEW_PRESENT] = {"present", "Hadir (hari)"},
    [VIEW_LATE] = {"late", "Terlambat (menit)"},
    [VIEW_EARLY] = {"early", "Pulang cepat (menit)"},
    [VIEW_TK] = {"tk", "TK (hari)"},
    [VIEW_PCT] = {"pct", "Potongan (%)"},
    [VIEW_AMOUNT] = {"amount", "Potongan (Rp)"},
    [VIEW_SANCTION] = {"sanction", "Sanksi tahun berjalan"},
};

static char fold(char c)
{
	return c >= 'A' && c <= 'Z' ? (char)(c - 'A' + 'a') : c;
}

int view_parse(const char *q, const char *sort, const char *order, struct view *ret_view, char *why)
{
	struct view v = {.key = VIEW_NIP};
	size_t len = q ? strlen(q) : 0;

	if (len >= sizeof(v.q)) {
		snprintf(why, VIEW_WHY_MAX, "q: at most %zu bytes (pencarian terlalu panjang)",
			 sizeof(v.q) - 1);
		return -EINVAL;
	}
	for (size_t i = 0; i < len; i++)
		v.q[i] = fold(q[i]);
	if (sort && sort[0]) {
		size_t k = 0;

		while (k < VIEW_COLUMNS && strcmp(sort, columns[k].key) != 0)
			k++;
		if (k == VIEW_COLUMNS) {
			snprintf(why, VIEW_WHY_MAX,
				 "sort: one of nip, name, present, late, early, tk, pct, amount, "
				 "sanction (kolom urutan tidak dikenal): '%.24s'",
				 sort);
			return -EINVAL;
		}
		v.key = (enum view_key)k;
	}
	if (order && order[0] && strcmp(order, "asc") != 0) {
		if (strcmp(order, "desc") != 0) {
			snprintf(why, VIEW_WHY_MAX,
				 "order: asc or desc (urutan tidak dikenal): '%.24s'", order);
			return -EINVAL;
		}
		v.is_desc = true;
	}
	*ret_view = v;
	return 0;
}

/* Whether needle (folded already) occurs in hay, folding hay's A–Z. */
static bool has_folded(const char *hay, const char *needle)
{
	size_t n = strlen(needle);

	if (!hay)
		return n == 0;
	for (; *hay; hay++) {
		size_t i = 0;

		while (i < n && hay[i] && fold(hay[i]) == needle[i])
			i++;
		if (i == n)
			return true;
	}
	return n == 0;
}

bool view_matches(const struct view *v, const char *nip, const char *name)
{
	return !v->q[0] || has_folded(nip, v->q) || has_folded(name, v->q);
}

/* Text in the page's order: A–Z folded, then bytes (code points in UTF-8). */
static int cmp_text(const char *a, const char *b)
{
	const unsigned char *x = (const unsigned char *)(a ? a : "");
	const unsigned char *y = (const unsigned char *)(b ? b : "");

	while (*x && fold((char)*x) == fold((char)*y)) {
		x++;
		y++;
	}
	return (unsigned char)fold((char)*x) - (unsigned char)fold((char)*y);
}

/* The sanction column's order: none, then by level, then by the year's TK and equivalent days. */
static int64_t sanction_rank(const struct rules_period *p)
{
	const struct profile_rung *s = p->year.sanction;

	return s ? (int64_t)(s->level + 1) * 1000000 + p->year.total_days : -1;
}

static int64_t number_of(enum view_key key, const struct rules_period *p)
{
	switch (key) {
	case VIEW_PRESENT:
		return p->present_days;
	case VIEW_LATE:
		return p->late_minutes;
	case VIEW_EARLY:
		return p->early_minutes;
	case VIEW_TK:
		return p->tk_days;
	case VIEW_PCT:
		return p->deduction_bp;
	case VIEW_AMOUNT:
		return p->deduction_amount;
	default:
		return sanction_rank(p);
	}
}

static int cmp_entry(const void *pa, const void *pb, void *arg)
{
	const struct report_entry *a = pa, *b = pb;
	const struct view *v = arg;
	int c;

	if (v->key == VIEW_NIP || v->key == VIEW_NAME) {
		c = v->key == VIEW_NIP ? cmp_text(a->emp->nip, b->emp->nip)
				       : cmp_text(a->emp->name, b->emp->name);
	} else {
		int64_t x = number_of(v->key, a->period), y = number_of(v->key, b->period);

		c = (x > y) - (x < y);
	}
	if (v->is_desc)
		c = -c;
	return c ? c : strcmp(a->emp->nip, b->emp->nip);
}

void view_sort(const struct view *v, struct report_entry *entries, size_t n)
{
	/* qsort_r's argument is not const; cmp_entry only reads it. */
	qsort_r(entries, n, sizeof(*entries), cmp_entry, (void *)(uintptr_t)v);
}

const char *view_describe(const struct view *v, char *buf, size_t size)
{
	buf[0] = '\0';
	if (v->q[0] || v->key != VIEW_NIP || v->is_desc)
		snprintf(buf, size, "%s%s sort=%s %s", v->q[0] ? " q=" : "", v->q,
			 columns[v->key].key, v->is_desc ? "desc" : "asc");
	return buf;
}

const char *view_column_name(size_t i)
{
	return i < VIEW_COLUMNS ? columns[i].header : NULL;
}

/* The rows and the one buffer the sanction cell is written into, row after row. */
struct view_rows {
	const struct report_entry *entries;
	char *sanction; /* SANCTION_TEXT_MAX bytes */
};

/* A row as the page shows it in Bahasa Indonesia; the sanction as "text (level)". */
static void row_cells(const void *user, size_t i, struct report_cell *cells)
{
	const struct view_rows *rows = user;
	const struct rules_employee *e = rows->entries[i].emp;
	const struct rules_period *p = rows->entries[i].period;
	const struct profile_rung *s = p->year.sanction;

	if (s)
		snprintf(rows->sanction, SANCTION_TEXT_MAX, "%s (%s)", s->text,
			 profile_level_name(s->level));
	cells[VIEW_NIP] = report_text_cell(e->nip);
	cells[VIEW_NAME] = report_text_cell(e->name);
	cells[VIEW_PRESENT] = report_int_cell(p->present_days);
	cells[VIEW_LATE] = report_int_cell(p->late_minutes);
	cells[VIEW_EARLY] = report_int_cell(p->early_minutes);
	cells[VIEW_TK] = report_int_cell(p->tk_days);
	cells[VIEW_PCT] = (struct report_cell){.kind = REPORT_CELL_BP, .value = p->deduction_bp};
	cells[VIEW_AMOUNT] =
	    (struct report_cell){.kind = REPORT_CELL_RUPIAH, .value = p->deduction_amount};
	cells[VIEW_SANCTION] = report_text_cell(s ? rows->sanction : "");
}

int view_table(const struct report_entry *entries, size_t n, bool is_xlsx, char **ret_data,
	       size_t *ret_len)
{
	const char *headers[VIEW_COLUMNS];
	char sanction[SANCTION_TEXT_MAX];
	struct view_rows rows = {entries, sanction};

	for (size_t c = 0; c < VIEW_COLUMNS; c++)
		headers[c] = columns[c].header;
	if (is_xlsx)
		return xlsx_table("Pegawai", headers, VIEW_COLUMNS, n, row_cells, &rows, ret_data,
				  ret_len);
	return report_csv_table(headers, VIEW_COLUMNS, n, row_cells, &rows, ret_data, ret_len);
}
