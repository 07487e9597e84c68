// SPDX-License-Identifier: MIT
/*
 * XLSX with libxlsxwriter in constant-memory mode: each row is flushed to a
 * temporary file as it is written, so 100,000 employees take a few MB of
 * heap, not one cell object each. The workbook goes to a temporary file
 * (libxlsxwriter writes only to files), which is read back and removed.
 */
#include "server/xlsx.h"

#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <xlsxwriter.h>

#include "common/log.h"
#include "common/tz.h"
#include "server/site.h"

#define SHEET_MAIN "Disiplin"
#define SHEET_INFO "Keterangan"

struct formats {
	lxw_format *header, *pct, *rupiah, *bold;
};

static int lxw_err(const char *what, lxw_error e)
{
	if (e == LXW_NO_ERROR)
		return 0;
	log_err("xlsx: %s: %s", what, lxw_strerror(e));
	return e == LXW_ERROR_MEMORY_MALLOC_FAILED ? -ENOMEM : -EIO;
}

/* Widths in characters: names and codes get room, counts their header's. */
static double column_width(size_t col)
{
	static const double fixed[] = {21, 32, 12}; /* NIP, Nama, Unit */
	const char *name = report_column_name(col);
	size_t len = strlen(name);

	if (col < ARRAY_SIZE(fixed))
		return fixed[col];
	if (col + 1 == REPORT_COLUMNS)
		return 48; /* the recommended sanction, as text */
	return len < 10 ? 10 : len > 18 ? 18 : (double)len;
}

/* One cell: text as text (nothing when empty), a percentage in BP, a number otherwise. */
static lxw_error write_cell(lxw_worksheet *ws, lxw_row_t row, lxw_col_t col,
			    const struct report_cell *cell, const struct formats *f,
			    lxw_format *number)
{
	if (cell->kind == REPORT_CELL_TEXT)
		return cell->text[0] ? worksheet_write_string(ws, row, col, cell->text, NULL)
				     : LXW_NO_ERROR;
	if (cell->kind == REPORT_CELL_BP)
		return worksheet_write_number(ws, row, col, (double)cell->value / 100.0, f->pct);
	return worksheet_write_number(ws, row, col, (double)cell->value, number);
}

static int write_main(lxw_workbook *wb, const struct formats *f, const struct report_entry *entries,
		      size_t n)
{
	lxw_worksheet *ws = workbook_add_worksheet(wb, SHEET_MAIN);
	struct report_cell cells[REPORT_COLUMNS];
	lxw_error e = LXW_NO_ERROR;

	if (!ws)
		return -ENOMEM;
	/* Constant-memory mode: layout before the first row is written. */
	worksheet_freeze_panes(ws, 1, 0);
	for (size_t c = 0; c < REPORT_COLUMNS && !e; c++) {
		lxw_format *fmt = NULL;

		if (c == REPORT_COLUMNS - 9)
			fmt = f->pct; /* Potongan (%) */
		else if (c == REPORT_COLUMNS - 8)
			fmt = f->rupiah;
		e = worksheet_set_column(ws, (lxw_col_t)c, (lxw_col_t)c, column_width(c), fmt);
	}
	if (!e)
		e = worksheet_set_row(ws, 0, 45, NULL);
	for (size_t c = 0; c < REPORT_COLUMNS && !e; c++)
		e = worksheet_write_string(ws, 0, (lxw_col_t)c, report_column_name(c), f->header);
	if (!e)
		e = worksheet_autofilter(ws, 0, 0, (lxw_row_t)n, REPORT_COLUMNS - 1);
	for (size_t i = 0; i < n && !e; i++) {
		lxw_row_t row = (lxw_row_t)(i + 1);

		report_discipline_cells(entries[i].emp, entries[i].period, cells);
		for (size_t c = 0; c < REPORT_COLUMNS && !e; c++)
			e = write_cell(ws, row, (lxw_col_t)c, &cells[c], f,
				       c == REPORT_COLUMNS - 8 ? f->rupiah : NULL);
	}
	return lxw_err("write " SHEET_MAIN, e);
}

static int write_info(lxw_workbook *wb, const struct formats *f, int32_t from, int32_t to,
		      const struct xlsx_unit *units, size_t n_units)
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

static int make_formats(lxw_workbook *wb, struct formats *f)
{
	f->header = workbook_add_format(wb);
	f->pct = workbook_add_format(wb);
	f->rupiah = workbook_add_format(wb);
	f->bold = workbook_add_format(wb);
	if (!f->header || !f->pct || !f->rupiah || !f->bold)
		return -ENOMEM;
	format_set_bold(f->header);
	format_set_text_wrap(f->header);
	format_set_align(f->header, LXW_ALIGN_VERTICAL_TOP);
	format_set_bottom(f->header, LXW_BORDER_THIN);
	format_set_bg_color(f->header, 0xDDEBF7);
	format_set_num_format(f->pct, "0.00");
	format_set_num_format(f->rupiah, "#,##0");
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
	const struct report_entry *entries;
	size_t n;
	const struct xlsx_unit *units;
	size_t n_units;
};

static int fill_discipline(lxw_workbook *wb, const struct formats *f, const void *user)
{
	const struct discipline_book *b = user;
	int r;

	r = write_main(wb, f, b->entries, b->n);
	if (r == 0)
		r = write_info(wb, f, b->from, b->to, b->units, b->n_units);
	return r;
}

int xlsx_discipline(int32_t from, int32_t to, const struct report_entry *entries, size_t n,
		    const struct xlsx_unit *units, size_t n_units, char **ret_data, size_t *ret_len)
{
	struct discipline_book b = {from, to, entries, n, units, n_units};

	if (n >= LXW_ROW_MAX)
		return -E2BIG;
	return build(fill_discipline, &b, ret_data, ret_len);
}

struct table {
	const char *sheet;
	const char *const *headers;
	size_t n_cols, n_rows;
	xlsx_row_fn *row;
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
		for (size_t c = 0; c < t->n_cols && !e; c++)
			e = write_cell(ws, (lxw_row_t)(i + 1), (lxw_col_t)c, &cells[c], f, NULL);
	}
	free(cells);
	return lxw_err("write table", e);
}

int xlsx_table(const char *sheet, const char *const *headers, size_t n_cols, size_t n_rows,
	       xlsx_row_fn *row, const void *user, char **ret_data, size_t *ret_len)
{
	struct table t = {sheet, headers, n_cols, n_rows, row, user};

	if (n_rows >= LXW_ROW_MAX || n_cols == 0 || n_cols > LXW_COL_MAX)
		return -E2BIG;
	return build(fill_table, &t, ret_data, ret_len);
}
