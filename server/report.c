// SPDX-License-Identifier: MIT
/*
 * Report formatting with jansson (JSON) and plain stdio (CSV). Every object
 * is built with json_pack(), which fails as a whole and releases what it was
 * given, so one NULL check covers a record. The explanation walks the period
 * through rules_eval_period()'s per-day callback: the days shown are the
 * days counted.
 */
#include "server/report.h"

#include <assert.h>
#include <errno.h>
#include <jansson.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "common/clk.h"
#include "common/tz.h"

#define DUMP_FLAGS (JSON_COMPACT | JSON_REAL_PRECISION(15))

static double pct_of(int64_t bp)
{
	return (double)bp / 100.0;
}

static json_t *date_json(int32_t day)
{
	char buf[TZ_DATE_MAX];

	tz_format_date(day, buf);
	return json_string(buf);
}

static json_t *tiers_json(const int32_t *counts, char kind)
{
	return json_pack("{s:i,s:i,s:i,s:i}", rules_tier_name(kind, 1), counts[0],
			 rules_tier_name(kind, 2), counts[1], rules_tier_name(kind, 3), counts[2],
			 rules_tier_name(kind, 4), counts[3]);
}

static json_t *leave_days_json(const int32_t *days)
{
	json_t *o = json_object();

	if (!o)
		return NULL;
	for (int c = CAL_LEAVE_NONE + 1; c < CAL_LEAVE_COUNT; c++) {
		if (json_object_set_new(o, cal_leave_code_name((enum cal_leave_code)c),
					json_integer(days[c])) < 0) {
			json_decref(o);
			return NULL;
		}
	}
	return o;
}

static json_t *sanction_json(const struct rules_year *y)
{
	if (!y->sanction)
		return json_null();
	return json_pack("{s:s,s:s,s:s,s:b}", "level", profile_level_name(y->sanction->level),
			 "code", y->sanction->code, "text", y->sanction->text, "by_consecutive_tk",
			 y->is_run_sanction);
}

static json_t *year_json(const struct rules_year *y)
{
	return json_pack("{s:i,s:I,s:i,s:i,s:i,s:o}", "tk_days", y->tk_days, "minutes",
			 (json_int_t)y->minutes, "equivalent_days", y->equivalent_days,
			 "total_days", y->total_days, "max_consecutive_tk", y->max_consecutive_tk,
			 "sanction", sanction_json(y));
}

/* One employee object of the contract, plus a few exact extras (deduction_bp, …). */
static json_t *employee_json(const struct rules_employee *e, const struct rules_period *p)
{
	return json_pack("{s:s?,s:s?,s:s?,s:i,s:i,s:I,s:I,s:o,s:o,s:i,s:o,s:f,s:I,s:I,"
			 "s:i,s:i,s:i,s:i,s:o}",
			 "nip", e->nip, "name", e->name, "unit_id", e->unit_id, "working_days",
			 p->working_days, "present_days", p->present_days, "late_minutes",
			 (json_int_t)p->late_minutes, "early_minutes", (json_int_t)p->early_minutes,
			 "tl", tiers_json(p->tl, 'L'), "psw", tiers_json(p->psw, 'E'), "tk_days",
			 p->tk_days, "leave_days", leave_days_json(p->leave_days), "deduction_pct",
			 pct_of(p->deduction_bp), "deduction_bp", (json_int_t)p->deduction_bp,
			 "deduction_amount", (json_int_t)p->deduction_amount, "required_days",
			 p->required_days, "compliant_days", p->compliant_days, "compensated_days",
			 p->compensated_days, "forgiven_late_days", p->forgiven_late_days, "year",
			 year_json(&p->year));
}

int report_discipline_json(int32_t from, int32_t to, const struct report_entry *entries, size_t n,
			   json_t **ret_json)
{
	json_t *root, *list;

	list = json_array();
	if (!list)
		return -ENOMEM;
	for (size_t i = 0; i < n; i++) {
		if (json_array_append_new(list, employee_json(entries[i].emp, entries[i].period)) <
		    0) {
			json_decref(list);
			return -ENOMEM;
		}
	}
	root = json_pack("{s:o,s:o,s:o}", "from", date_json(from), "to", date_json(to), "employees",
			 list);
	if (!root)
		return -ENOMEM;
	*ret_json = root;
	return 0;
}

/* --- the same JSON, written directly --- */

/* Bytes of the UTF-8 sequence at s (1–4), or 0 when it is not valid UTF-8. */
static size_t utf8_len(const unsigned char *s)
{
	unsigned c = s[0];
	size_t n = c < 0x80		    ? 1
		   : c >= 0xC2 && c <= 0xDF ? 2
		   : c >= 0xE0 && c <= 0xEF ? 3
		   : c >= 0xF0 && c <= 0xF4 ? 4
					    : 0;

	for (size_t i = 1; i < n; i++)
		if ((s[i] & 0xC0) != 0x80)
			return 0;
	/* Overlong forms, surrogates and code points past U+10FFFF. */
	if ((c == 0xE0 && s[1] < 0xA0) || (c == 0xED && s[1] > 0x9F) ||
	    (c == 0xF0 && s[1] < 0x90) || (c == 0xF4 && s[1] > 0x8F))
		return 0;
	return n;
}

/*
 * A JSON string as jansson writes it (short escapes, other controls as
 * \u00XX, nothing else escaped), NULL as null. A byte that is not UTF-8
 * becomes U+FFFD, where jansson would refuse the whole string.
 */
static void put_string(FILE *out, const char *text)
{
	const unsigned char *p = (const unsigned char *)text;

	if (!text) {
		fputs("null", out);
		return;
	}
	fputc('"', out);
	while (*p) {
		size_t n = utf8_len(p);
		const char *esc = NULL;

		if (n == 0) {
			fputs("\\uFFFD", out);
			p++;
			continue;
		}
		switch (*p) {
		case '"':
			esc = "\\\"";
			break;
		case '\\':
			esc = "\\\\";
			break;
		case '\b':
			esc = "\\b";
			break;
		case '\f':
			esc = "\\f";
			break;
		case '\n':
			esc = "\\n";
			break;
		case '\r':
			esc = "\\r";
			break;
		case '\t':
			esc = "\\t";
			break;
		default:
			break;
		}
		if (esc)
			fputs(esc, out);
		else if (*p < 0x20)
			fprintf(out, "\\u%04X", *p);
		else
			fwrite(p, 1, n, out);
		p += n;
	}
	fputc('"', out);
}

/* A percentage from basis points as jansson prints the real bp / 100 (%.15g, ".0" kept). */
static void put_pct(FILE *out, int64_t bp)
{
	int64_t whole = bp / 100, cents = bp % 100;

	if (bp < 0) {
		fputc('-', out);
		whole = -whole;
		cents = -cents;
	}
	if (cents == 0)
		fprintf(out, "%lld.0", (long long)whole);
	else if (cents % 10 == 0)
		fprintf(out, "%lld.%lld", (long long)whole, (long long)(cents / 10));
	else
		fprintf(out, "%lld.%02lld", (long long)whole, (long long)cents);
}

static void put_tiers(FILE *out, const char *key, const int32_t *counts, char kind)
{
	fprintf(out, ",\"%s\":{", key);
	for (int t = 1; t <= PROFILE_TIERS; t++)
		fprintf(out, "%s\"%s\":%d", t > 1 ? "," : "", rules_tier_name(kind, t),
			counts[t - 1]);
	fputc('}', out);
}

/*
 * employee_json()'s object, written without building it: jansson spent more
 * time on 100,000 of those than the rules did. test_discipline checks that
 * the bytes are the same as the tree's.
 */
static void put_employee(FILE *out, const struct rules_employee *e, const struct rules_period *p)
{
	const struct rules_year *y = &p->year;

	fputs("{\"nip\":", out);
	put_string(out, e->nip);
	fputs(",\"name\":", out);
	put_string(out, e->name);
	fputs(",\"unit_id\":", out);
	put_string(out, e->unit_id);
	fprintf(out,
		",\"working_days\":%d,\"present_days\":%d,\"late_minutes\":%lld,"
		"\"early_minutes\":%lld",
		p->working_days, p->present_days, (long long)p->late_minutes,
		(long long)p->early_minutes);
	put_tiers(out, "tl", p->tl, 'L');
	put_tiers(out, "psw", p->psw, 'E');
	fprintf(out, ",\"tk_days\":%d,\"leave_days\":{", p->tk_days);
	for (int c = CAL_LEAVE_NONE + 1; c < CAL_LEAVE_COUNT; c++)
		fprintf(out, "%s\"%s\":%d", c > CAL_LEAVE_NONE + 1 ? "," : "",
			cal_leave_code_name((enum cal_leave_code)c), p->leave_days[c]);
	fputs("},\"deduction_pct\":", out);
	put_pct(out, p->deduction_bp);
	fprintf(out,
		",\"deduction_bp\":%lld,\"deduction_amount\":%lld,\"required_days\":%d,"
		"\"compliant_days\":%d,\"compensated_days\":%d,\"forgiven_late_days\":%d,"
		"\"year\":{\"tk_days\":%d,\"minutes\":%lld,\"equivalent_days\":%d,"
		"\"total_days\":%d,\"max_consecutive_tk\":%d,\"sanction\":",
		(long long)p->deduction_bp, (long long)p->deduction_amount, p->required_days,
		p->compliant_days, p->compensated_days, p->forgiven_late_days, y->tk_days,
		(long long)y->minutes, y->equivalent_days, y->total_days, y->max_consecutive_tk);
	if (y->sanction) {
		fputs("{\"level\":", out);
		put_string(out, profile_level_name(y->sanction->level));
		fputs(",\"code\":", out);
		put_string(out, y->sanction->code);
		fputs(",\"text\":", out);
		put_string(out, y->sanction->text);
		fprintf(out, ",\"by_consecutive_tk\":%s}", y->is_run_sanction ? "true" : "false");
	} else {
		fputs("null", out);
	}
	fputs("}}", out);
}

/* The members of extra (an object, or NULL), then the closing brace of the top-level object. */
static int put_extra_end(FILE *out, const json_t *extra)
{
	const char *key;
	json_t *value;

	/* json_object_foreach takes a non-const object; it only reads. */
	json_object_foreach((json_t *)(uintptr_t)extra, key, value)
	{
		json_t *name = json_string(key);
		int r;

		if (!name)
			return -ENOMEM;
		fputc(',', out);
		r = json_dumpf(name, out, JSON_ENCODE_ANY);
		json_decref(name);
		fputc(':', out);
		if (r < 0 || json_dumpf(value, out, DUMP_FLAGS | JSON_ENCODE_ANY) < 0)
			return -EIO;
	}
	fputc('}', out);
	return ferror(out) ? -EIO : 0;
}

int report_discipline_json_write(FILE *out, int32_t from, int32_t to,
				 const struct report_entry *entries, size_t n, const json_t *extra)
{
	char from_text[TZ_DATE_MAX], to_text[TZ_DATE_MAX];

	tz_format_date(from, from_text);
	tz_format_date(to, to_text);
	fprintf(out, "{\"from\":\"%s\",\"to\":\"%s\",\"employees\":[", from_text, to_text);
	for (size_t i = 0; i < n; i++) {
		if (i)
			fputc(',', out);
		put_employee(out, entries[i].emp, entries[i].period);
	}
	fputc(']', out);
	return put_extra_end(out, extra);
}

/* --- CSV (RFC 4180) --- */

/*
 * A text field: quoted when it holds a comma, quote or line break, quotes
 * doubled. A leading = + - @ gets a ' so a spreadsheet shows a name instead
 * of running it as a formula.
 */
static void csv_text(FILE *out, const char *s)
{
	bool needs_quotes = strpbrk(s, ",\"\r\n") != NULL;

	if (needs_quotes)
		fputc('"', out);
	if (s[0] && strchr("=+-@", s[0]))
		fputc('\'', out);
	for (const char *p = s; *p; p++) {
		if (*p == '"')
			fputc('"', out);
		fputc(*p, out);
	}
	if (needs_quotes)
		fputc('"', out);
}

static const char *const column_names[REPORT_COLUMNS] = {
    "NIP",
    "Nama",
    "Unit",
    "Hari Kerja",
    "Hari Hadir",
    "Menit Terlambat",
    "Menit Pulang Cepat",
    "TL1",
    "TL2",
    "TL3",
    "TL4",
    "PSW1",
    "PSW2",
    "PSW3",
    "PSW4",
    "Hari TK",
    /* one column per leave code, in enum cal_leave_code order */
    "Cuti/Izin CT",
    "Cuti/Izin CB",
    "Cuti/Izin CS",
    "Cuti/Izin CM",
    "Cuti/Izin CAP",
    "Cuti/Izin CLTN",
    "Cuti/Izin DL",
    "Cuti/Izin TB",
    "Cuti/Izin I",
    "Cuti/Izin S",
    "Cuti/Izin FWA",
    "Cuti/Izin WFH",
    "Potongan (%)",
    "Potongan (Rp)",
    "TK Tahun Berjalan",
    "Hari Setara (Terlambat/Pulang Cepat)",
    "Jumlah Hari",
    "TK Berturut-turut Terpanjang",
    "Tingkat Hukuman",
    "Kode Hukuman",
    "Rekomendasi Hukuman Disiplin",
};

const char *report_column_name(size_t i)
{
	return i < REPORT_COLUMNS ? column_names[i] : NULL;
}

static struct report_cell text_cell(const char *s)
{
	return (struct report_cell){.kind = REPORT_CELL_TEXT, .text = s ? s : ""};
}

static struct report_cell int_cell(int64_t v)
{
	return (struct report_cell){.kind = REPORT_CELL_INT, .value = v};
}

void report_discipline_cells(const struct rules_employee *e, const struct rules_period *p,
			     struct report_cell cells[REPORT_COLUMNS])
{
	const struct rules_year *y = &p->year;
	const struct profile_rung *s = y->sanction;
	size_t n = 0;

	cells[n++] = text_cell(e->nip);
	cells[n++] = text_cell(e->name);
	cells[n++] = text_cell(e->unit_id);
	cells[n++] = int_cell(p->working_days);
	cells[n++] = int_cell(p->present_days);
	cells[n++] = int_cell(p->late_minutes);
	cells[n++] = int_cell(p->early_minutes);
	for (int i = 0; i < PROFILE_TIERS; i++)
		cells[n++] = int_cell(p->tl[i]);
	for (int i = 0; i < PROFILE_TIERS; i++)
		cells[n++] = int_cell(p->psw[i]);
	cells[n++] = int_cell(p->tk_days);
	for (int c = CAL_LEAVE_NONE + 1; c < CAL_LEAVE_COUNT; c++)
		cells[n++] = int_cell(p->leave_days[c]);
	cells[n++] = (struct report_cell){.kind = REPORT_CELL_BP, .value = p->deduction_bp};
	cells[n++] = (struct report_cell){.kind = REPORT_CELL_RUPIAH, .value = p->deduction_amount};
	cells[n++] = int_cell(y->tk_days);
	cells[n++] = int_cell(y->equivalent_days);
	cells[n++] = int_cell(y->total_days);
	cells[n++] = int_cell(y->max_consecutive_tk);
	cells[n++] = text_cell(s ? profile_level_name(s->level) : "");
	cells[n++] = text_cell(s ? s->code : "");
	cells[n++] = text_cell(s ? s->text : "");
	assert(n == REPORT_COLUMNS);
}

/* Hundredths (basis points, averages) as a fixed-point number with two decimals. */
static void csv_x100(FILE *out, int64_t v)
{
	if (v < 0) {
		fputc('-', out);
		v = -v;
	}
	fprintf(out, "%lld.%02lld", (long long)(v / 100), (long long)(v % 100));
}

void report_csv_cells(FILE *out, const struct report_cell *cells, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		const struct report_cell *c = &cells[i];

		if (i)
			fputc(',', out);
		if (c->kind == REPORT_CELL_TEXT)
			csv_text(out, c->text);
		else if (c->kind == REPORT_CELL_BP || c->kind == REPORT_CELL_X100)
			csv_x100(out, c->value);
		else
			fprintf(out, "%lld", (long long)c->value);
	}
	fputs("\r\n", out);
}

static void csv_header(FILE *out, const char *const *names, size_t n)
{
	for (size_t i = 0; i < n; i++)
		fprintf(out, "%s%s", i ? "," : "", names[i]);
	fputs("\r\n", out);
}

int report_csv_table(const char *const *headers, size_t n_cols, size_t n_rows, report_row_fn *row,
		     const void *user, char **ret_data, size_t *ret_len)
{
	struct report_cell *cells = calloc(n_cols ? n_cols : 1, sizeof(*cells));
	char *data = NULL;
	size_t len = 0;
	FILE *out;

	if (!cells)
		return -ENOMEM;
	out = open_memstream(&data, &len);
	if (!out) {
		free(cells);
		return -ENOMEM;
	}
	csv_header(out, headers, n_cols);
	for (size_t i = 0; i < n_rows; i++) {
		row(user, i, cells);
		report_csv_cells(out, cells, n_cols);
	}
	free(cells);
	if (fclose(out) != 0) {
		free(data);
		return -ENOMEM;
	}
	*ret_data = data;
	*ret_len = len;
	return 0;
}

int report_discipline_csv(FILE *out, const struct report_entry *entries, size_t n)
{
	struct report_cell cells[REPORT_COLUMNS];

	csv_header(out, column_names, REPORT_COLUMNS);
	for (size_t i = 0; i < n; i++) {
		report_discipline_cells(entries[i].emp, entries[i].period, cells);
		report_csv_cells(out, cells, REPORT_COLUMNS);
	}
	return ferror(out) ? -EIO : 0;
}

/* --- the unit summary --- */

static const char *const summary_column_names[REPORT_SUMMARY_COLUMNS] = {
    "Unit",
    "Nama Unit",
    "Jumlah Pegawai",
    "Hari Kerja",
    "Hari Wajib Hadir",
    "Hari Tepat Waktu",
    "Kepatuhan (%)",
    "Hari Hadir",
    "Menit Terlambat",
    "Menit Pulang Cepat",
    "Hari TK",
    "Potongan (Rp)",
    "Rata-rata Menit Terlambat",
    "Rata-rata Menit Pulang Cepat",
    "Rata-rata Hari TK",
    "Rata-rata Potongan (%)",
    "Pegawai Kena Hukuman",
    "Hukuman Ringan",
    "Hukuman Sedang",
    "Hukuman Berat",
};

const char *report_summary_column_name(size_t i)
{
	return i < REPORT_SUMMARY_COLUMNS ? summary_column_names[i] : NULL;
}

void report_summary_cells(const char *unit_id, const char *name, const struct rules_summary *s,
			  struct report_cell cells[REPORT_SUMMARY_COLUMNS])
{
	size_t n = 0;

	cells[n++] = text_cell(unit_id);
	cells[n++] = text_cell(name);
	cells[n++] = int_cell((int64_t)s->head_count);
	cells[n++] = int_cell(s->working_days);
	cells[n++] = int_cell(s->required_days);
	cells[n++] = int_cell(s->compliant_days);
	cells[n++] = (struct report_cell){.kind = REPORT_CELL_BP, .value = s->compliance_bp};
	cells[n++] = int_cell(s->present_days);
	cells[n++] = int_cell(s->late_minutes);
	cells[n++] = int_cell(s->early_minutes);
	cells[n++] = int_cell(s->tk_days);
	cells[n++] = (struct report_cell){.kind = REPORT_CELL_RUPIAH, .value = s->deduction_amount};
	cells[n++] =
	    (struct report_cell){.kind = REPORT_CELL_X100, .value = s->avg_late_minutes_x100};
	cells[n++] =
	    (struct report_cell){.kind = REPORT_CELL_X100, .value = s->avg_early_minutes_x100};
	cells[n++] = (struct report_cell){.kind = REPORT_CELL_X100, .value = s->avg_tk_days_x100};
	cells[n++] = (struct report_cell){.kind = REPORT_CELL_BP, .value = s->avg_deduction_bp};
	cells[n++] = int_cell((int64_t)s->n_sanctioned);
	for (int level = 0; level < 3; level++)
		cells[n++] = int_cell((int64_t)s->n_by_level[level]);
	assert(n == REPORT_SUMMARY_COLUMNS);
}

int report_units_csv(FILE *out, const struct report_unit *units, size_t n)
{
	struct report_cell cells[REPORT_SUMMARY_COLUMNS];

	csv_header(out, summary_column_names, REPORT_SUMMARY_COLUMNS);
	for (size_t i = 0; i < n; i++) {
		report_summary_cells(units[i].unit_id, units[i].name, &units[i].summary, cells);
		report_csv_cells(out, cells, REPORT_SUMMARY_COLUMNS);
	}
	return ferror(out) ? -EIO : 0;
}

/* --- the day-by-day explanation --- */

struct explain {
	const struct rules_plan *plan;
	const struct rules_tap *taps;
	size_t n_taps;
	json_t *days;
	int error;
};

static json_t *clock_json(int32_t sec, bool has_seconds)
{
	char buf[16];

	if (has_seconds)
		snprintf(buf, sizeof(buf), "%02d:%02d:%02d", sec / 3600 % 100, sec / 60 % 60,
			 sec % 60);
	else
		snprintf(buf, sizeof(buf), "%02d:%02d", sec / 3600 % 100, sec / 60 % 60);
	return json_string(buf);
}

static const char *dir_name(enum rules_dir dir)
{
	return dir == RULES_DIR_IN ? "in" : dir == RULES_DIR_OUT ? "out" : NULL;
}

static const char *use_name(enum rules_tap_use use)
{
	static const char *const names[] = {"check_in", "check_out", "unused", "outside_window",
					    "other_day"};

	return (unsigned)use < ARRAY_SIZE(names) ? names[use] : "?";
}

/* The day's taps in time order (an insertion into a sorted array: days hold few taps). */
static json_t *taps_json(const struct explain *x, const struct rules_day *d)
{
	const struct profile *p = rules_plan_profile(x->plan);
	const struct tz *tz = rules_plan_tz(x->plan);
	json_t *list = json_array();

	if (!list)
		return NULL;
	for (size_t i = 0; i < x->n_taps; i++) {
		const struct rules_tap *t = &x->taps[i];
		enum rules_tap_use use = rules_tap_use(p, tz, d, t);
		char when[CLK_ISO_MAX];
		size_t at = json_array_size(list);
		json_t *o;

		if (use == RULES_TAP_OTHER_DAY)
			continue;
		clk_format_offset(t->usec, tz_offset_at(tz, t->usec / CLK_USEC_PER_SEC), when);
		o = json_pack("{s:s,s:s?,s:s,s:I}", "time", when, "direction", dir_name(t->dir),
			      "use", use_name(use), "usec", (json_int_t)t->usec);
		while (at > 0 && json_integer_value(json_object_get(json_array_get(list, at - 1),
								    "usec")) > t->usec)
			at--;
		if (!o || json_array_insert_new(list, at, o) < 0) {
			json_decref(list);
			return NULL;
		}
	}
	/* usec only served the ordering. */
	for (size_t i = 0; i < json_array_size(list); i++)
		(void)json_object_del(json_array_get(list, i), "usec");
	return list;
}

static json_t *leave_json(const struct rules_day *d)
{
	const struct cal_leave *l = d->cal.leave;

	if (!l)
		return json_null();
	if (l->from_sec == 0 && l->to_sec == CAL_DAY_SECONDS)
		return json_pack("{s:s,s:b}", "code", cal_leave_code_name(l->code), "whole_day",
				 true);
	return json_pack("{s:s,s:b,s:o,s:o}", "code", cal_leave_code_name(l->code), "whole_day",
			 false, "from", clock_json(l->from_sec, false), "until",
			 l->to_sec >= CAL_DAY_SECONDS ? json_string("24:00")
						      : clock_json(l->to_sec, false));
}

static json_t *reasons_json(const struct profile *p, const struct rules_day *d)
{
	char lines[RULES_REASONS_MAX][RULES_REASON_MAX];
	unsigned n = rules_day_reasons(p, d, lines, RULES_REASONS_MAX);
	json_t *list = json_array();

	if (!list)
		return NULL;
	for (unsigned i = 0; i < n; i++) {
		if (json_array_append_new(list, json_string(lines[i])) < 0) {
			json_decref(list);
			return NULL;
		}
	}
	return list;
}

static json_t *day_json(const struct explain *x, const struct rules_day *d)
{
	const struct profile *p = rules_plan_profile(x->plan);
	json_t *schedule = json_null();

	if (d->cal.is_working)
		schedule =
		    json_pack("{s:o,s:o,s:s}", "start", clock_json(d->cal.start_sec, false), "end",
			      clock_json(d->cal.end_sec, false), "label", d->cal.schedule);
	const char *off = d->cal.is_working ? NULL : cal_off_name(d->cal.off);

	return json_pack("{s:o,s:i,s:b,s:s?,s:s?,s:o,s:o,s:o,s:o,s:o,s:i,s:i,s:s?,s:s?,s:b,s:b,"
			 "s:b,s:b,s:f,s:i,s:o}",
			 "date", date_json(d->cal.day), "weekday", d->cal.weekday, "working",
			 d->cal.is_working, "off", off, "holiday", d->cal.holiday, "schedule",
			 schedule, "leave", leave_json(d), "taps", taps_json(x, d), "check_in",
			 d->has_in ? clock_json(d->in_sec, true) : json_null(), "check_out",
			 d->has_out ? clock_json(d->out_sec, true) : json_null(), "late_minutes",
			 d->late_minutes, "early_minutes", d->early_minutes, "tl",
			 rules_tier_name('L', d->tl), "psw", rules_tier_name('E', d->psw),
			 "compensated", d->is_compensated, "late_forgiven", d->is_late_forgiven,
			 "leave_day", d->is_leave, "tk", d->is_tk, "deduction_pct",
			 pct_of(d->deduction_bp), "deduction_bp", d->deduction_bp, "reasons",
			 reasons_json(p, d));
}

static void explain_day(const struct rules_day *d, void *user)
{
	struct explain *x = user;

	if (x->error)
		return;
	if (json_array_append_new(x->days, day_json(x, d)) < 0)
		x->error = -ENOMEM;
}

int report_explain_json(const struct rules_plan *plan, const struct rules_employee *emp,
			const struct rules_tap *taps, size_t n_taps, json_t **ret_json)
{
	struct explain x = {.plan = plan, .taps = taps, .n_taps = n_taps};
	struct rules_period period;
	json_t *root;
	int r;

	x.days = json_array();
	if (!x.days)
		return -ENOMEM;
	r = rules_eval_period(plan, emp, taps, n_taps, explain_day, &x, &period);
	if (r == 0)
		r = x.error;
	if (r < 0) {
		json_decref(x.days);
		return r;
	}
	root = json_pack("{s:s?,s:s?,s:s?,s:s,s:s,s:o,s:o,s:o,s:o}", "nip", emp->nip, "name",
			 emp->name, "unit_id", emp->unit_id, "profile",
			 rules_plan_profile(plan)->name, "timezone", tz_name(rules_plan_tz(plan)),
			 "from", date_json(period.from), "to", date_json(period.to), "days", x.days,
			 "totals", employee_json(emp, &period));
	if (!root)
		return -ENOMEM;
	*ret_json = root;
	return 0;
}

int report_summary_json(const char *unit_id, const struct rules_summary *s, json_t **ret_json)
{
	json_t *root;

	root = json_pack(
	    "{s:s?,s:I,s:I,s:I,s:I,s:I,s:f,s:I,s:I,s:I,s:I,s:I,s:f,s:f,s:f,s:f,s:I,"
	    "s:{s:I,s:I,s:I}}",
	    "unit_id", unit_id, "head_count", (json_int_t)s->head_count, "working_days",
	    (json_int_t)s->working_days, "required_days", (json_int_t)s->required_days,
	    "compliant_days", (json_int_t)s->compliant_days, "compliance_bp",
	    (json_int_t)s->compliance_bp, "compliance_pct", pct_of(s->compliance_bp),
	    "present_days", (json_int_t)s->present_days, "late_minutes",
	    (json_int_t)s->late_minutes, "early_minutes", (json_int_t)s->early_minutes, "tk_days",
	    (json_int_t)s->tk_days, "deduction_amount", (json_int_t)s->deduction_amount,
	    "avg_late_minutes", (double)s->avg_late_minutes_x100 / 100.0, "avg_early_minutes",
	    (double)s->avg_early_minutes_x100 / 100.0, "avg_tk_days",
	    (double)s->avg_tk_days_x100 / 100.0, "avg_deduction_pct", pct_of(s->avg_deduction_bp),
	    "sanctioned", (json_int_t)s->n_sanctioned, "sanctioned_by_level", "ringan",
	    (json_int_t)s->n_by_level[0], "sedang", (json_int_t)s->n_by_level[1], "berat",
	    (json_int_t)s->n_by_level[2]);
	if (!root)
		return -ENOMEM;
	*ret_json = root;
	return 0;
}

/* A string as JSON; bytes that are not UTF-8 become U+FFFD, as put_string() writes them. */
static json_t *text_json(const char *text)
{
	const unsigned char *p = (const unsigned char *)text;
	json_t *json;
	char *copy, *q;

	if (!text)
		return json_null();
	json = json_string(text);
	if (json)
		return json;
	copy = malloc(strlen(text) * 3 + 1); /* one byte can become three */
	if (!copy)
		return NULL;
	for (q = copy; *p;) {
		size_t n = utf8_len(p);

		if (n == 0) {
			memcpy(q, "\xEF\xBF\xBD", 3);
			q += 3;
			p++;
		} else {
			memcpy(q, p, n);
			q += n;
			p += n;
		}
	}
	*q = '\0';
	json = json_string(copy);
	free(copy);
	return json;
}

/* The unit's identity, its summary, and who is at or past a sanction threshold. */
static json_t *unit_json(const struct report_unit *u)
{
	json_t *o, *summary, *list;

	if (report_summary_json(u->unit_id, &u->summary, &summary) < 0)
		return NULL;
	o = json_pack("{s:o,s:o,s:o,s:o}", "unit_id", text_json(u->unit_id), "name",
		      text_json(u->name), "timezone", text_json(u->timezone), "profile",
		      text_json(u->profile));
	list = json_array();
	if (!o || !list || json_object_update(o, summary) < 0)
		goto out_fail;
	for (size_t i = 0; i < u->n_entries; i++) {
		const struct report_entry *e = &u->entries[i];

		if (!e->period->year.sanction)
			continue;
		if (json_array_append_new(list,
					  json_pack("{s:o,s:o,s:o}", "nip", text_json(e->emp->nip),
						    "name", text_json(e->emp->name), "year",
						    year_json(&e->period->year))) < 0)
			goto out_fail;
	}
	json_decref(summary);
	if (json_object_set_new(o, "sanctioned_employees", list) < 0) {
		json_decref(o);
		return NULL;
	}
	return o;

out_fail:
	json_decref(list);
	json_decref(o);
	json_decref(summary);
	return NULL;
}

int report_units_json_write(FILE *out, int32_t from, int32_t to, const struct report_unit *units,
			    size_t n, const struct rules_summary *total, const json_t *extra)
{
	char from_text[TZ_DATE_MAX], to_text[TZ_DATE_MAX];
	json_t *o;
	int r;

	tz_format_date(from, from_text);
	tz_format_date(to, to_text);
	fprintf(out, "{\"from\":\"%s\",\"to\":\"%s\",\"units\":[", from_text, to_text);
	for (size_t i = 0; i < n; i++) {
		o = unit_json(&units[i]);
		if (!o)
			return -ENOMEM;
		if (i)
			fputc(',', out);
		r = json_dumpf(o, out, DUMP_FLAGS);
		json_decref(o);
		if (r < 0)
			return -EIO;
	}
	fputs("],\"total\":", out);
	if (report_summary_json(NULL, total, &o) < 0)
		return -ENOMEM;
	r = json_dumpf(o, out, DUMP_FLAGS);
	json_decref(o);
	if (r < 0)
		return -EIO;
	return put_extra_end(out, extra);
}

int report_dumps(const json_t *json, char **ret_text)
{
	char *text = json_dumps(json, DUMP_FLAGS);

	if (!text)
		return -ENOMEM;
	*ret_text = text;
	return 0;
}

int report_dumpf(const json_t *json, FILE *out)
{
	return json_dumpf(json, out, DUMP_FLAGS) < 0 ? -EIO : 0;
}
