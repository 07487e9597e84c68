// SPDX-License-Identifier: MIT
/*
 * XLSX with libxlsxwriter in constant-memory mode: each row is flushed to a
 * temporary file as it is written, so 100,000 employees take a few MB of
 * heap, not one cell object each. That mode needs every sheet written top to
 * bottom, which is why the layout (widths, panes, filter) is set before the
 * first row. Each sheet holds one temporary file open until the workbook is
 * closed: 500 units are about 500 descriptors for the length of the call.
 * The workbook goes to a temporary file (libxlsxwriter writes only to
 * files), which is read back and removed.
 */
#include "server/xlsx.h"

#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

#include <xlsxwriter.h>

#include "common/log.h"
#include "common/tz.h"
#include "server/site.h"

#define SHEET_SUMMARY  "Ringkasan"
#define SHEET_INFO     "Keterangan"
#define SHEET_NAME_MAX 31 /* Excel's limit, in characters */

struct formats {
	lxw_format *header, *pct, *rupiah, *x100, *bold, *bold_pct, *bold_rupiah, *bold_x100;
};

static int lxw_err(const char *what, lxw_error e)
{
	if (e == LXW_NO_ERROR)
		return 0;
	log_err("xlsx: %s: %s", what, lxw_strerror(e));
	return e == LXW_ERROR_MEMORY_MALLOC_FAILED ? -ENOMEM : -EIO;
}

/* The number format of a cell kind (bold for the total row). */
static lxw_format *cell_format(const struct formats *f, enum report_cell_kind kind, bool is_bold)
{
	switch (kind) {
	case REPORT_CELL_BP:
		return is_bold ? f->bold_pct : f->pct;
	case REPORT_CELL_RUPIAH:
		return is_bold ? f->bold_rupiah : f->rupiah;
	case REPORT_CELL_X100:
		return is_bold ? f->bold_x100 : f->x100;
	default:
		return is_bold ? f->bold : NULL;
	}
}

/* One row of cells: text as text, numbers as numbers, percentages as fractions of 1. */
static lxw_error write_cells(lxw_worksheet *ws, const struct formats *f, lxw_row_t row,
			     const struct report_cell *cells, size_t n, bool is_bold)
{
	lxw_error e = LXW_NO_ERROR;

	for (size_t c = 0; c < n && !e; c++) {
		const struct report_cell *cell = &cells[c];
		lxw_format *fmt = cell_format(f, cell->kind, is_bold);
		lxw_col_t col = (lxw_col_t)c;
		double v = (double)cell->value;

		if (cell->kind == REPORT_CELL_TEXT)
			e = cell->text[0] ? worksheet_write_string(ws, row, col, cell->text, fmt)
					  : LXW_NO_ERROR;
		else
			e = worksheet_write_number(ws, row, col,
						   cell->kind == REPORT_CELL_BP	    ? v / 10000.0
						   : cell->kind == REPORT_CELL_X100 ? v / 100.0
										    : v,
						   fmt);
	}
	return e;
}

/* Widths in characters from the header: names get room, counts their header's. */
static double column_width(const char *name, size_t col, size_t n_cols, size_t n_wide)
{
	size_t len = strlen(name);

	if (col < n_wide)
		return col == 1 ? 32 : 21; /* NIP or unit, then a name */
	if (n_cols == REPORT_COLUMNS && col + 1 == REPORT_COLUMNS)
		return 48; /* the recommended sanction, as text */
	return len < 10 ? 10 : len > 18 ? 18 : (double)len;
}

/*
 * A sheet's frame: widths, a frozen, filtered header row (rows 1..n_rows
 * below it), before any row is written, as constant-memory mode needs.
 */
static lxw_error write_header(lxw_worksheet *ws, const struct formats *f,
			      const char *(*name_of)(size_t), size_t n_cols, size_t n_wide,
			      size_t n_rows)
{
	lxw_error e;

	worksheet_freeze_panes(ws, 1, 0);

	e = LXW_NO_ERROR;
	for (size_t c = 0; c < n_cols && !e; c++)
		e = worksheet_set_column(ws, (lxw_col_t)c, (lxw_col_t)c,
					 column_width(name_of(c), c, n_cols, n_wide), NULL);
	if (!e)
		e = worksheet_set_row(ws, 0, 45, NULL);
	for (size_t c = 0; c < n_cols && !e; c++)
		e = worksheet_write_string(ws, 0, (lxw_col_t)c, name_of(c), f->header);
	if (!e)
		e = worksheet_autofilter(ws, 0, 0, (lxw_row_t)n_rows, (lxw_col_t)(n_cols - 1));
	return e;
}

static int write_summary(lxw_workbook *wb, const struct formats *f, const struct report_unit *units,
			 size_t n_units, const struct rules_summary *total)
{
	lxw_worksheet *ws = workbook_add_worksheet(wb, SHEET_SUMMARY);
	struct report_cell cells[REPORT_SUMMARY_COLUMNS];
	lxw_error e;

	if (!ws)
		return -ENOMEM;
	e = write_header(ws, f, report_summary_column_name, REPORT_SUMMARY_COLUMNS, 2, n_units);
	for (size_t i = 0; i < n_units && !e; i++) {
		report_summary_cells(units[i].unit_id, units[i].name, &units[i].summary, cells);
		e = write_cells(ws, f, (lxw_row_t)(i + 1), cells, REPORT_SUMMARY_COLUMNS, false);
	}
	/* A blank row apart, so sorting the filtered rows leaves the total in place. */
	if (!e) {
		report_summary_cells("Jumlah", NULL, total, cells);
		e = write_cells(ws, f, (lxw_row_t)(n_units + 2), cells, REPORT_SUMMARY_COLUMNS,
				true);
	}
	return lxw_err("write " SHEET_SUMMARY, e);
}

/* Any name given to a sheet already, case-insensitively, as Excel compares them. */
static bool name_taken(char (*names)[SHEET_NAME_MAX + 1], size_t n, const char *name)
{
	if (strcasecmp(name, SHEET_SUMMARY) == 0 || strcasecmp(name, SHEET_INFO) == 0 ||
	    strcasecmp(name, "History") == 0) /* reserved by Excel */
		return true;
	for (size_t i = 0; i < n; i++)
		if (strcasecmp(names[i], name) == 0)
			return true;
	return false;
}

/*
 * Unit i's sheet name: its id, which is already made of characters a sheet
 * name may hold ([A-Za-z0-9._-], at most 31), or when another sheet has that
 * name (ids differing only in case), the id cut short with "~N" after it.
 */
static void sheet_name(char (*names)[SHEET_NAME_MAX + 1], size_t i, const char *unit_id)
{
	char *name = names[i];

	snprintf(name, SHEET_NAME_MAX + 1, "%s", unit_id[0] ? unit_id : "-");
	for (unsigned k = 2; name_taken(names, i, name); k++) {
		char suffix[16];
		int len = snprintf(suffix, sizeof(suffix), "~%u", k);

		snprintf(name, SHEET_NAME_MAX + 1, "%.*s%s", SHEET_NAME_MAX - len, unit_id, suffix);
	}
}

static int write_unit(lxw_workbook *wb, const struct formats *f, const struct report_unit *u,
		      const char *name)
{
	lxw_worksheet *ws = workbook_add_worksheet(wb, name);
	struct report_cell cells[REPORT_COLUMNS];
	lxw_error e;

	if (!ws) {
		log_err("xlsx: sheet '%s' of unit '%s' refused", name, u->unit_id);
		return -EIO;
	}
	e = write_header(ws, f, report_column_name, REPORT_COLUMNS, 2, u->n_entries);
	for (size_t i = 0; i < u->n_entries && !e; i++) {
		report_discipline_cells(u->entries[i].emp, u->entries[i].period, cells);
		e = write_cells(ws, f, (lxw_row_t)(i + 1), cells, REPORT_COLUMNS, false);
	}
	if (e)
		log_err("xlsx: sheet of unit '%s'", u->unit_id);
	return lxw_err("write unit sheet", e);
}

static int write_units(lxw_workbook *wb, const struct formats *f, const struct report_unit *units,
		       size_t n_units)
{
	char(*names)[SHEET_NAME_MAX + 1] = calloc(n_units ? n_units : 1, sizeof(*names));
	int r = 0;

	if (!names)
		return -ENOMEM;
	for (size_t i = 0; i < n_units && r == 0; i++) {
		sheet_name(names, i, units[i].unit_id);
		r = write_unit(wb, f, &units[i], names[i]);
	}
	free(names);
	return r;
}

static int write_info(lxw_workbook *wb, const struct formats *f, int32_t from, int32_t to,
		      const struct report_unit *units, size_t n_units)
{
	lxw_worksheet *ws = workbook_add_worksheet(wb, SHEET_INFO);
	char from_text[TZ_DATE_MAX], to_text[TZ_DATE_MAX], jan1_text[TZ_DATE_MAX];
	static const char *const heads[] = {"Unit", "Nama Unit", "Zona Waktu", "Profil"};
	lxw_error e;
	int y, m, d;

	if (!ws)
		return -ENOMEM;
	tz_format_date(from, from_text);
	tz_format_date(to, to_text);
	tz_civil_from_days(to, &y, &m, &d);
	tz_format_date(tz_days_from_civil(y, 1, 1), jan1_text);
	e = worksheet_set_column(ws, 0, 0, 24, NULL);
	if (!e)
		e = worksheet_set_column(ws, 1, 3, 28, NULL);
	if (!e)
		e = worksheet_write_string(ws, 0, 0, "Periode dari", f->bold);
	if (!e)
		e = worksheet_write_string(ws, 0, 1, from_text, NULL);
	if (!e)
		e = worksheet_write_string(ws, 1, 0, "Periode sampai", f->bold);
	if (!e)
		e = worksheet_write_string(ws, 1, 1, to_text, NULL);
	if (!e)
		e = worksheet_write_string(ws, 2, 0, "Tahun berjalan dari", f->bold);
	if (!e)
		e = worksheet_write_string(ws, 2, 1, jan1_text, NULL);
	for (size_t c = 0; c < ARRAY_SIZE(heads) && !e; c++)
		e = worksheet_write_string(ws, 4, (lxw_col_t)c, heads[c], f->header);
	for (size_t i = 0; i < n_units && !e; i++) {
		const char *cols[] = {units[i].unit_id, units[i].name, units[i].timezone,
				      units[i].profile};
		lxw_row_t row = (lxw_row_t)(5 + i);

		for (size_t c = 0; c < ARRAY_SIZE(cols) && !e; c++)
			if (cols[c] && cols[c][0])
				e = worksheet_write_string(ws, row, (lxw_col_t)c, cols[c], NULL);
	}
	return lxw_err("write " SHEET_INFO, e);
}

static lxw_format *number_format(lxw_workbook *wb, const char *code, bool is_bold)
{
	lxw_format *fmt = workbook_add_format(wb);

	if (fmt) {
		format_set_num_format(fmt, code);
		if (is_bold)
			format_set_bold(fmt);
	}
	return fmt;
}

static int make_formats(lxw_workbook *wb, struct formats *f)
{
	static const char pct[] = "0.00%", rupiah[] = "\"Rp\" #,##0", x100[] = "0.00";

	f->header = workbook_add_format(wb);
	f->bold = workbook_add_format(wb);
	f->pct = number_format(wb, pct, false);
	f->rupiah = number_format(wb, rupiah, false);
	f->x100 = number_format(wb, x100, false);
	f->bold_pct = number_format(wb, pct, true);
	f->bold_rupiah = number_format(wb, rupiah, true);
	f->bold_x100 = number_format(wb, x100, true);
	if (!f->header || !f->bold || !f->pct || !f->rupiah || !f->x100 || !f->bold_pct ||
	    !f->bold_rupiah || !f->bold_x100)
		return -ENOMEM;
	format_set_bold(f->header);
	format_set_text_wrap(f->header);
	format_set_align(f->header, LXW_ALIGN_VERTICAL_TOP);
	format_set_bottom(f->header, LXW_BORDER_THIN);
	format_set_bg_color(f->header, 0xDDEBF7);
	format_set_bold(f->bold);
	return 0;
}

/* Fill a new workbook (formats made) with sheets; 0 or a negative errno. */
typedef int fill_fn(lxw_workbook *wb, const struct formats *f, const void *user);

/*
 * A workbook filled by fill, as bytes: libxlsxwriter writes only to files, so
 * through a private temporary file, read back and removed.
 */
static int build(fill_fn *fill, const void *user, char **ret_data, size_t *ret_len)
{
	const char *tmpdir = getenv("TMPDIR");
	lxw_workbook_options opts = {.constant_memory = LXW_TRUE, .use_zip64 = LXW_TRUE};
	char path[4096], dir[2048];
	struct formats f;
	lxw_workbook *wb;
	lxw_error e;
	int fd, r;

	if (!tmpdir || !tmpdir[0])
		tmpdir = "/tmp";
	snprintf(dir, sizeof(dir), "%s", tmpdir);
	opts.tmpdir = dir;
	r = snprintf(path, sizeof(path), "%s/hadir-report-XXXXXX", dir);
	if (r < 0 || (size_t)r >= sizeof(path))
		return -ENAMETOOLONG;
	fd = mkstemp(path); /* a private name; libxlsxwriter reopens it by path */
	if (fd < 0) {
		r = -errno;
		log_err("xlsx: temporary file in '%s': %s", tmpdir, strerror(-r));
		return r;
	}
	close(fd);
	wb = workbook_new_opt(path, &opts);
	if (!wb) {
		r = -ENOMEM;
		goto out_unlink;
	}
	r = make_formats(wb, &f);
	if (r == 0)
		r = fill(wb, &f, user);
	e = workbook_close(wb); /* writes the file, and frees wb in any case */
	if (r == 0)
		r = lxw_err("close workbook", e);
	if (r == 0)
		r = site_read_file(path, XLSX_FILE_MAX, ret_data, ret_len);
out_unlink:
	(void)unlink(path);
	return r;
}

struct discipline_book {
	int32_t from, to;
	const struct report_unit *units;
	size_t n_units;
	const struct rules_summary *total;
};

static int fill_discipline(lxw_workbook *wb, const struct formats *f, const void *user)
{
	const struct discipline_book *b = user;
	int r;

	r = write_summary(wb, f, b->units, b->n_units, b->total);
	if (r == 0)
		r = write_units(wb, f, b->units, b->n_units);
	if (r == 0)
		r = write_info(wb, f, b->from, b->to, b->units, b->n_units);
	return r;
}

int xlsx_discipline(int32_t from, int32_t to, const struct report_unit *units, size_t n_units,
		    const struct rules_summary *total, char **ret_data, size_t *ret_len)
{
	struct discipline_book b = {from, to, units, n_units, total};

	if (n_units + 1 >= LXW_ROW_MAX)
		return -E2BIG;
	for (size_t i = 0; i < n_units; i++)
		if (units[i].n_entries >= LXW_ROW_MAX)
			return -E2BIG;
	return build(fill_discipline, &b, ret_data, ret_len);
}

struct table {
	const char *sheet;
	const char *const *headers;
	size_t n_cols, n_rows;
	report_row_fn *row;
	const void *user;
};

/* Column widths follow the headers' lengths, within 10..40 characters. */
static int fill_table(lxw_workbook *wb, const struct formats *f, const void *user)
{
	const struct table *t = user;
	lxw_worksheet *ws = workbook_add_worksheet(wb, t->sheet);
	lxw_error e = LXW_NO_ERROR;
	struct report_cell *cells;

	if (!ws)
		return -ENOMEM;
	cells = calloc(t->n_cols, sizeof(*cells));
	if (!cells)
		return -ENOMEM;
	/* Constant-memory mode: layout before the first row is written. */
	worksheet_freeze_panes(ws, 1, 0);
	for (size_t c = 0; c < t->n_cols && !e; c++) {
		size_t len = strlen(t->headers[c]) + 2;

		e = worksheet_set_column(ws, (lxw_col_t)c, (lxw_col_t)c,
					 len < 10   ? 10
					 : len > 40 ? 40
						    : (double)len,
					 NULL);
	}
	for (size_t c = 0; c < t->n_cols && !e; c++)
		e = worksheet_write_string(ws, 0, (lxw_col_t)c, t->headers[c], f->header);
	if (!e)
		e = worksheet_autofilter(ws, 0, 0, (lxw_row_t)t->n_rows,
					 (lxw_col_t)(t->n_cols - 1));
	for (size_t i = 0; i < t->n_rows && !e; i++) {
		t->row(t->user, i, cells);
		e = write_cells(ws, f, (lxw_row_t)(i + 1), cells, t->n_cols, false);
	}
	free(cells);
	return lxw_err("write table", e);
}

int xlsx_table(const char *sheet, const char *const *headers, size_t n_cols, size_t n_rows,
	       report_row_fn *row, const void *user, char **ret_data, size_t *ret_len)
{
	struct table t = {sheet, headers, n_cols, n_rows, row, user};

	if (n_rows >= LXW_ROW_MAX || n_cols == 0 || n_cols > LXW_COL_MAX)
		return -E2BIG;
	return build(fill_table, &t, ret_data, ret_len);
}
