// SPDX-License-Identifier: MIT
/*
 * CSV reading on libcsv. libcsv does the quoting rules; this file feeds it
 * one physical line at a time (so we know the line a row started on),
 * collects the fields of a row within fixed bounds and hands rows out.
 */
#include "common/rows.h"

#include <csv.h>
#include <errno.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#define ROWS_LINE_MAX (ROWS_FIELDS_MAX * (ROWS_FIELD_MAX + 3))

struct rows_state {
	const char *name;
	rows_row_fn *on_row;
	void *user;
	char *why;
	unsigned line;	   /* physical line being fed */
	unsigned row_line; /* line the current row started on */
	char *fields[ROWS_FIELDS_MAX];
	size_t n_fields;
	int error; /* first error; stops row delivery */
};

static void on_field(void *data, size_t len, void *st_ptr)
{
	struct rows_state *st = st_ptr;
	char *copy;

	if (st->error)
		return;
	if (st->n_fields == 0)
		st->row_line = st->line;
	if (st->n_fields == ROWS_FIELDS_MAX) {
		snprintf(st->why, ROWS_WHY_MAX, "%s:%u: more than %d fields", st->name,
			 st->row_line, ROWS_FIELDS_MAX);
		st->error = -EBADMSG;
		return;
	}
	if (len > ROWS_FIELD_MAX) {
		snprintf(st->why, ROWS_WHY_MAX, "%s:%u: field %zu longer than %d bytes", st->name,
			 st->row_line, st->n_fields + 1, ROWS_FIELD_MAX);
		st->error = -EBADMSG;
		return;
	}
	copy = malloc(len + 1);
	if (!copy) {
		st->error = -ENOMEM;
		return;
	}
	memcpy(copy, data ? data : "", len);
	copy[len] = '\0';
	st->fields[st->n_fields++] = copy;
}

static void free_fields(struct rows_state *st)
{
	for (size_t i = 0; i < st->n_fields; i++)
		free(st->fields[i]);
	st->n_fields = 0;
}

static void on_row_end(int terminator, void *st_ptr)
{
	struct rows_state *st = st_ptr;
	char why[ROWS_WHY_MAX] = "";
	int r;

	(void)terminator;
	if (!st->error && st->n_fields > 0) {
		r = st->on_row(st->user, st->row_line, st->fields, st->n_fields, why);
		if (r < 0) {
			snprintf(st->why, ROWS_WHY_MAX, "%s:%u: %s", st->name, st->row_line,
				 why[0] ? why : strerror(-r));
			st->error = r;
		}
	}
	free_fields(st);
}

int rows_read(FILE *stream, const char *name, rows_row_fn *on_row, void *user,
	      char why[ROWS_WHY_MAX])
{
	struct rows_state st = {.name = name, .on_row = on_row, .user = user, .why = why};
	struct csv_parser parser;
	char *line = NULL;
	size_t cap = 0;
	ssize_t len;
	int r = 0;

	why[0] = '\0';
	if (csv_init(&parser, CSV_STRICT | CSV_STRICT_FINI | CSV_APPEND_NULL) != 0)
		return -ENOMEM;

	while (!st.error && (len = getline(&line, &cap, stream)) >= 0) {
		char *text = line;

		st.line++;
		if (len > ROWS_LINE_MAX) {
			snprintf(why, ROWS_WHY_MAX, "%s:%u: line longer than %d bytes", name,
				 st.line, ROWS_LINE_MAX);
			st.error = -EBADMSG;
			break;
		}
		/* A UTF-8 byte-order mark (Excel writes one) is not part of the first column. */
		if (st.line == 1 && len >= 3 && memcmp(text, "\xef\xbb\xbf", 3) == 0) {
			text += 3;
			len -= 3;
		}
		if (csv_parse(&parser, text, (size_t)len, on_field, on_row_end, &st) !=
			(size_t)len &&
		    !st.error) {
			snprintf(why, ROWS_WHY_MAX, "%s:%u: %s", name, st.line,
				 csv_strerror(csv_error(&parser)));
			st.error = -EBADMSG;
		}
	}
	if (!st.error && csv_fini(&parser, on_field, on_row_end, &st) != 0 && !st.error) {
		snprintf(why, ROWS_WHY_MAX, "%s:%u: %s (unterminated quoted field?)", name,
			 st.row_line ? st.row_line : st.line, csv_strerror(csv_error(&parser)));
		st.error = -EBADMSG;
	}
	if (!st.error && ferror(stream)) {
		snprintf(why, ROWS_WHY_MAX, "%s: read error", name);
		st.error = -EIO;
	}
	r = st.error;
	free_fields(&st);
	csv_free(&parser);
	free(line);
	return r;
}

int rows_read_file(const char *path, rows_row_fn *on_row, void *user, char why[ROWS_WHY_MAX])
{
	FILE *f = fopen(path, "re");
	int r;

	if (!f) {
		r = -errno;
		snprintf(why, ROWS_WHY_MAX, "%s: cannot open: %s", path, strerror(errno));
		return r;
	}
	r = rows_read(f, path, on_row, user, why);
	fclose(f);
	return r;
}

int rows_expect_header(char **fields, size_t n_fields, const char *const *columns,
		       char why[ROWS_WHY_MAX])
{
	size_t n = 0;

	while (columns[n])
		n++;
	for (size_t i = 0; i < n || i < n_fields; i++) {
		if (i < n && i < n_fields && strcmp(fields[i], columns[i]) == 0)
			continue;
		if (i >= n_fields)
			snprintf(why, ROWS_WHY_MAX, "header: column %zu '%s' missing", i + 1,
				 columns[i]);
		else if (i >= n)
			snprintf(why, ROWS_WHY_MAX, "header: unexpected column %zu '%s'", i + 1,
				 fields[i]);
		else
			snprintf(why, ROWS_WHY_MAX, "header: column %zu is '%s', expected '%s'",
				 i + 1, fields[i], columns[i]);
		return -EBADMSG;
	}
	return 0;
}
