// SPDX-License-Identifier: MIT
/* The unit page's view on the server: parameters, the search, the order, the columns. */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "server/profile.h"
#include "server/view.h"

#define N 5

static struct profile_rung ringan = {.level = PROFILE_LEVEL_RINGAN, .text = "Teguran lisan"};
static struct profile_rung sedang = {.level = PROFILE_LEVEL_SEDANG, .text = "Teguran tertulis"};

/* Five employees: names differing in case and beyond ASCII, ties on late minutes. */
static struct rules_employee emps[N] = {
    {.nip = "105", .name = "budi"},	  {.nip = "101", .name = "Ani, S.E."},
    {.nip = "104", .name = "\xc3\x89va"}, /* Éva */
    {.nip = "102", .name = "BUDIMAN"},	  {.nip = "103", .name = NULL},
};
static struct rules_period periods[N];
static struct report_entry entries[N];

static void fill(void)
{
	static const int late[N] = {15, 15, 0, 30, 15};
	static const int total[N] = {0, 0, 2, 5, 0};

	for (int i = 0; i < N; i++) {
		memset(&periods[i], 0, sizeof(periods[i]));
		periods[i].late_minutes = late[i];
		periods[i].deduction_bp = 50 * (i + 1);
		periods[i].year.total_days = total[i];
		entries[i] = (struct report_entry){&emps[i], &periods[i]};
	}
	periods[2].year.sanction = &sedang;
	periods[3].year.sanction = &ringan;
}

/* The NIPs of entries sorted by sort/order, joined by spaces. */
static const char *sorted(const char *sort, const char *order)
{
	static char out[64];
	char why[VIEW_WHY_MAX];
	struct view v;
	size_t len = 0;

	fill();
	assert_int_equal(view_parse(NULL, sort, order, &v, why), 0);
	view_sort(&v, entries, N);
	out[0] = '\0';
	for (int i = 0; i < N; i++)
		len += (size_t)snprintf(out + len, sizeof(out) - len, "%s%s", i ? " " : "",
					entries[i].emp->nip);
	return out;
}

static bool found(const char *q, const char *nip, const char *name)
{
	char why[VIEW_WHY_MAX];
	struct view v;

	assert_int_equal(view_parse(q, NULL, NULL, &v, why), 0);
	return view_matches(&v, nip, name);
}

static void test_view_parse_defaults_and_errors(void **state)
{
	char why[VIEW_WHY_MAX], long_q[VIEW_Q_MAX + 8];
	struct view v;

	(void)state;
	assert_int_equal(view_parse("", "", "", &v, why), 0);
	assert_int_equal(v.key, VIEW_NIP);
	assert_false(v.is_desc);
	assert_string_equal(view_describe(&v, why, sizeof(why)), "");
	assert_int_equal(view_parse("Bu", "late", "desc", &v, why), 0);
	assert_int_equal(v.key, VIEW_LATE);
	assert_true(v.is_desc);
	assert_string_equal(view_describe(&v, why, sizeof(why)), " q=bu sort=late desc");
	assert_int_equal(view_parse(NULL, "salary", NULL, &v, why), -EINVAL);
	assert_non_null(strstr(why, "sort: one of nip, name, present"));
	assert_non_null(strstr(why, "'salary'"));
	assert_int_equal(view_parse(NULL, "Name", NULL, &v, why), -EINVAL); /* keys are exact */
	assert_int_equal(view_parse(NULL, "name", "up", &v, why), -EINVAL);
	assert_non_null(strstr(why, "order: asc or desc"));
	memset(long_q, 'a', sizeof(long_q) - 1);
	long_q[sizeof(long_q) - 1] = '\0';
	assert_int_equal(view_parse(long_q, NULL, NULL, &v, why), -EINVAL);
	long_q[VIEW_Q_MAX - 1] = '\0';
	assert_int_equal(view_parse(long_q, NULL, NULL, &v, why), 0);
}

static void test_view_matches_name_or_nip_ascii_folded(void **state)
{
	(void)state;
	assert_true(found("", "1", NULL));
	assert_true(found("bud", "1", "BUDIMAN"));
	assert_true(found("BUD", "1", "budi"));
	assert_true(found("s.e", "1", "Ani, S.E."));
	assert_true(found("0101", "198001012005", "X"));
	assert_false(found("ani budi", "1", "Ani"));
	assert_false(found("x", "1", NULL));
	assert_true(found("\xc3\x89v", "1", "\xc3\x89va"));
	assert_false(found("\xc3\xa9v", "1", "\xc3\x89va")); /* é is not folded to É */
	assert_false(found("1 ani", "1", "Ani"));	     /* not across NIP and name */
}

static void test_view_sort_orders(void **state)
{
	(void)state;
	assert_string_equal(sorted(NULL, NULL), "101 102 103 104 105");
	assert_string_equal(sorted("nip", "desc"), "105 104 103 102 101");
	/* "" (NULL) first, then A–Z folded, Éva (0xC3…) after every ASCII name. */
	assert_string_equal(sorted("name", "asc"), "103 101 105 102 104");
	assert_string_equal(sorted("name", "desc"), "104 102 105 101 103");
	/* Ties stay in NIP order, ascending, in both directions. */
	assert_string_equal(sorted("late", "asc"), "104 101 103 105 102");
	assert_string_equal(sorted("late", "desc"), "102 101 103 105 104");
	assert_string_equal(sorted("pct", "desc"), "103 102 104 101 105");
	/* None, then by level: sedang above ringan whatever the days. */
	assert_string_equal(sorted("sanction", "desc"), "104 102 101 103 105");
}

static void test_view_table_csv_columns(void **state)
{
	char *data = NULL;
	size_t len = 0;

	(void)state;
	fill();
	assert_int_equal(view_table(entries + 2, 2, false, &data, &len), 0);
	assert_string_equal(data, "NIP,Nama,Hadir (hari),Terlambat (menit),Pulang cepat (menit),"
				  "TK (hari),Potongan (%),Potongan (Rp),Sanksi tahun berjalan\r\n"
				  "104,\xc3\x89va,0,0,0,0,1.50,0,Teguran tertulis (sedang)\r\n"
				  "102,BUDIMAN,0,30,0,0,2.00,0,Teguran lisan (ringan)\r\n");
	assert_int_equal(len, strlen(data));
	assert_null(view_column_name(VIEW_COLUMNS));
	assert_string_equal(view_column_name(VIEW_SANCTION), "Sanksi tahun berjalan");
	free(data);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_view_parse_defaults_and_errors),
	    cmocka_unit_test(test_view_matches_name_or_nip_ascii_folded),
	    cmocka_unit_test(test_view_sort_orders),
	    cmocka_unit_test(test_view_table_csv_columns),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
