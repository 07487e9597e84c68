// SPDX-License-Identifier: MIT
/*
 * The employee page's tables as a grid of cells (all rows made first, their
 * texts owned by the grid), then discipline_table() writes the grid as CSV
 * or XLSX. Days are at most 366 and activities at most a listing's, so the
 * grid is small.
 */
#include "server/page_tables.h"

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "common/log.h"

struct grid {
	size_t n_cols, n_rows;
	struct report_cell *cells; /* n_rows × n_cols */
	char **texts;		   /* what the text cells point to */
	size_t n_texts;
	int error;
};

static int grid_init(struct grid *g, size_t n_cols, size_t n_rows)
{
	*g = (struct grid){.n_cols = n_cols, .n_rows = n_rows};
	g->cells = calloc(n_cols * (n_rows ? n_rows : 1), sizeof(*g->cells));
	/* at most one owned text per cell */
	g->texts = calloc(n_cols * (n_rows ? n_rows : 1), sizeof(*g->texts));
	return g->cells && g->texts ? 0 : -ENOMEM;
}

static void grid_done(struct grid *g)
{
	for (size_t i = 0; i < g->n_texts; i++)
		free(g->texts[i]);
	free(g->texts);
	free(g->cells);
}

static void grid_row(const void *user, size_t i, struct report_cell *cells)
{
	const struct grid *g = user;

	memcpy(cells, &g->cells[i * g->n_cols], g->n_cols * sizeof(*cells));
}

static struct report_cell *cell_at(struct grid *g, size_t row, size_t col)
{
	return &g->cells[row * g->n_cols + col];
}

/* A text cell from a string of the JSON (NULL or not a string: empty); valid while it lives. */
static void put_json_text(struct grid *g, size_t row, size_t col, const json_t *text)
{
	*cell_at(g, row, col) = report_text_cell(json_string_value(text));
}

static void put_int(struct grid *g, size_t row, size_t col, const json_t *number)
{
	*cell_at(g, row, col) = report_int_cell(json_integer_value(number));
}

/* A text cell of its own, printf-style; on failure the cell stays empty and g->error is set. */
static void put_text(struct grid *g, size_t row, size_t col, const char *fmt, ...)
    PRINTF_LIKE(4, 5);

static void put_text(struct grid *g, size_t row, size_t col, const char *fmt, ...)
{
	char *text = NULL;
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vasprintf(&text, fmt, ap);
	va_end(ap);
	if (n < 0) {
		g->error = -ENOMEM;
		*cell_at(g, row, col) = report_text_cell("");
		return;
	}
	g->texts[g->n_texts++] = text;
	*cell_at(g, row, col) = report_text_cell(text);
}

/* The strings of a JSON array on lines of one cell, each through a formatter. */
static void put_lines(struct grid *g, size_t row, size_t col, const json_t *list,
		      void (*line)(FILE *out, const json_t *item))
{
	char *text = NULL;
	size_t len = 0, i;
	json_t *item;
	FILE *out;

	out = open_memstream(&text, &len);
	if (!out) {
		g->error = -ENOMEM;
		*cell_at(g, row, col) = report_text_cell("");
		return;
	}
	json_array_foreach(list, i, item)
	{
		if (i)
			fputc('\n', out);
		line(out, item);
	}
	if (fclose(out) != 0) {
		free(text);
		g->error = -ENOMEM;
		*cell_at(g, row, col) = report_text_cell("");
		return;
	}
	g->texts[g->n_texts++] = text;
	*cell_at(g, row, col) = report_text_cell(text);
}

/* Text of a member, "" when absent or not a string. */
static const char *member(const json_t *o, const char *key)
{
	const char *s = json_string_value(json_object_get(o, key));

	return s ? s : "";
}

/* A word of the page in Bahasa Indonesia (app.js TEXTS.id), or the key itself as the page does. */
static const char *word(const char *const (*table)[2], size_t n, const char *key)
{
	for (size_t i = 0; i < n; i++)
		if (strcmp(table[i][0], key) == 0)
			return table[i][1];
	return key;
}

/* --- days --- */

static const char *const day_headers[] = {
    "Tanggal",
    "Jadwal",
    "Tap",
    "Masuk",
    "Pulang",
    "Terlambat (menit)",
    "Pulang cepat (menit)",
    "TL/PSW",
    "Cuti",
    "TK",
    "Potongan (%)",
    "Keterangan",
};

#define DAY_COLUMNS ARRAY_SIZE(day_headers)

static const char *const weekdays[] = {"Senin", "Selasa", "Rabu",  "Kamis",
				       "Jumat", "Sabtu",  "Minggu"};
static const char *const offs[][2] = {{"weekend", "akhir pekan"},
				      {"holiday", "libur"},
				      {"no_schedule", "tanpa jadwal"},
				      {"untracked", "belum dipantau"}};
static const char *const uses[][2] = {{"check_in", "masuk"},
				      {"check_out", "pulang"},
				      {"unused", "tidak dipakai"},
				      {"outside_window", "di luar jendela"},
				      {"other_day", "hari lain"}};

/* "07:41:00 masuk": the time of day of the tap's local ISO time, and what it was used for. */
static void tap_line(FILE *out, const json_t *tap)
{
	const char *time = member(tap, "time");

	fprintf(out, "%.8s %s", strlen(time) >= 19 ? time + 11 : time,
		word(uses, ARRAY_SIZE(uses), member(tap, "use")));
}

static void reason_line(FILE *out, const json_t *reason)
{
	fputs(json_string_value(reason) ? json_string_value(reason) : "", out);
}

static void day_cells(struct grid *g, size_t i, const json_t *d)
{
	json_int_t weekday = json_integer_value(json_object_get(d, "weekday"));
	const json_t *schedule = json_object_get(d, "schedule");
	const json_t *leave = json_object_get(d, "leave");
	const char *off = word(offs, ARRAY_SIZE(offs), member(d, "off"));
	const char *tl = member(d, "tl"), *psw = member(d, "psw");
	size_t c = 0;

	put_text(g, i, c++, "%s, %s", weekday >= 1 && weekday <= 7 ? weekdays[weekday - 1] : "?",
		 member(d, "date"));
	if (json_is_true(json_object_get(d, "working")) && json_is_object(schedule))
		put_text(g, i, c++, "%s–%s", member(schedule, "start"), member(schedule, "end"));
	else if (member(d, "holiday")[0])
		put_text(g, i, c++, "%s: %s", off, member(d, "holiday"));
	else
		*cell_at(g, i, c++) = report_text_cell(off);
	put_lines(g, i, c++, json_object_get(d, "taps"), tap_line);
	put_json_text(g, i, c++, json_object_get(d, "check_in"));
	put_json_text(g, i, c++, json_object_get(d, "check_out"));
	put_int(g, i, c++, json_object_get(d, "late_minutes"));
	put_int(g, i, c++, json_object_get(d, "early_minutes"));
	put_text(g, i, c++, "%s%s%s", tl, tl[0] && psw[0] ? " " : "", psw);
	if (!json_is_object(leave))
		*cell_at(g, i, c++) = report_text_cell("");
	else if (json_is_true(json_object_get(leave, "whole_day")))
		put_json_text(g, i, c++, json_object_get(leave, "code"));
	else
		put_text(g, i, c++, "%s %s–%s", member(leave, "code"), member(leave, "from"),
			 member(leave, "until"));
	*cell_at(g, i, c++) = report_text_cell(json_is_true(json_object_get(d, "tk")) ? "TK" : "");
	*cell_at(g, i, c++) = (struct report_cell){
	    .kind = REPORT_CELL_BP,
	    .value = json_integer_value(json_object_get(d, "deduction_bp")),
	};
	put_lines(g, i, c++, json_object_get(d, "reasons"), reason_line);
}

/* Fill row i of g from one item of the JSON list. */
typedef void cells_fn(struct grid *g, size_t i, const json_t *item);

/* One row per item of list, filled by cells, written in format (sheet, headers). */
static int list_table(const json_t *list, size_t n_cols, cells_fn *cells, const char *sheet,
		      const char *const *headers, enum discipline_format format, char **ret_data,
		      size_t *ret_len)
{
	struct grid g;
	size_t i;
	json_t *item;
	int r;

	if (!json_is_array(list))
		return -EINVAL;
	r = grid_init(&g, n_cols, json_array_size(list));
	if (r == 0) {
		json_array_foreach(list, i, item)
		{
			cells(&g, i, item);
		}
		r = g.error;
	}
	if (r == 0)
		r = discipline_table(format, sheet, headers, g.n_cols, g.n_rows, grid_row, &g,
				     ret_data, ret_len);
	grid_done(&g);
	return r;
}

int page_days_table(const json_t *explain, enum discipline_format format, char **ret_data,
		    size_t *ret_len)
{
	return list_table(json_object_get(explain, "days"), DAY_COLUMNS, day_cells, "Harian",
			  day_headers, format, ret_data, ret_len);
}

/* --- activities --- */

static const char *const activity_headers[] = {
    "Tanggal", "Waktu", "RHK", "Uraian", "Hasil", "Status", "Catatan",
};

#define ACTIVITY_COLUMNS ARRAY_SIZE(activity_headers)

static const char *const statuses[][2] = {{"pending", "menunggu"},
					  {"approved", "disetujui"},
					  {"returned", "dikembalikan"},
					  {"refused", "ditolak"},
					  {"invalid", "tidak sah"}};

static void activity_cells(struct grid *g, size_t i, const json_t *a)
{
	const char *note = member(a, "comment")[0] ? member(a, "comment") : member(a, "reason");
	size_t c = 0;

	put_json_text(g, i, c++, json_object_get(a, "date"));
	put_text(g, i, c++, "%s–%s", member(a, "start"), member(a, "end"));
	put_json_text(g, i, c++, json_object_get(a, "plan"));
	put_json_text(g, i, c++, json_object_get(a, "description"));
	put_text(g, i, c++, "%lld %s",
		 (long long)json_integer_value(json_object_get(a, "quantity")), member(a, "unit"));
	*cell_at(g, i, c++) =
	    report_text_cell(word(statuses, ARRAY_SIZE(statuses), member(a, "status")));
	*cell_at(g, i, c++) = report_text_cell(note);
}

int page_activities_table(const json_t *activities, enum discipline_format format, char **ret_data,
			  size_t *ret_len)
{
	return list_table(activities, ACTIVITY_COLUMNS, activity_cells, "Kegiatan",
			  activity_headers, format, ret_data, ret_len);
}
