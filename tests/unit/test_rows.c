// SPDX-License-Identifier: MIT
/* CSV rows: quoting, line numbers in errors, bounds, headers. */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "common/rows.h"

struct seen {
	char text[2048];
	unsigned rows;
	unsigned fail_at_line;
};

static int collect(void *user, unsigned line, char **fields, size_t n, char *why)
{
	struct seen *s = user;
	size_t len = strlen(s->text);

	if (line == s->fail_at_line) {
		snprintf(why, ROWS_WHY_MAX, "nip: not 18 digits");
		return -EINVAL;
	}
	s->rows++;
	len += (size_t)snprintf(s->text + len, sizeof(s->text) - len, "%u:", line);
	for (size_t i = 0; i < n; i++)
		len += (size_t)snprintf(s->text + len, sizeof(s->text) - len, "[%s]", fields[i]);
	snprintf(s->text + len, sizeof(s->text) - len, "\n");
	return 0;
}

static int read_text(const char *text, struct seen *s, char *why)
{
	FILE *f = fmemopen((void *)(uintptr_t)text, strlen(text), "r");
	int r;

	assert_non_null(f);
	r = rows_read(f, "staff.csv", collect, s, why);
	fclose(f);
	return r;
}

static void test_rows_read_quoting_and_lines(void **state)
{
	struct seen s = {.rows = 0};
	char why[ROWS_WHY_MAX];

	(void)state;
	assert_int_equal(read_text("\xef\xbb\xbfnip,name\r\n1, \"Budi, S.Kom\" \r\n\n"
				   "2,\"multi\nline\"\n3,\"say \"\"hi\"\"\",\n",
				   &s, why),
			 0);
	assert_string_equal(s.text, "1:[nip][name]\n2:[1][Budi, S.Kom]\n4:[2][multi\nline]\n"
				    "6:[3][say \"hi\"][]\n");
}

static void test_rows_read_callback_error_names_line(void **state)
{
	struct seen s = {.fail_at_line = 3};
	char why[ROWS_WHY_MAX];

	(void)state;
	assert_int_equal(read_text("nip,name\n1,a\n2,b\n3,c\n", &s, why), -EINVAL);
	assert_string_equal(why, "staff.csv:3: nip: not 18 digits");
	assert_int_equal(s.rows, 2);
}

static void test_rows_read_malformed_quote(void **state)
{
	struct seen s = {.rows = 0};
	char why[ROWS_WHY_MAX];

	(void)state;
	assert_int_equal(read_text("nip,name\n1,\"open\n", &s, why), -EBADMSG);
	assert_non_null(strstr(why, "staff.csv:2:"));
	assert_int_equal(read_text("nip,name\n1,a\"b\"c\n", &s, why), -EBADMSG);
	assert_non_null(strstr(why, "staff.csv:2:"));
}

static void test_rows_read_bounds(void **state)
{
	struct seen s = {.rows = 0};
	char why[ROWS_WHY_MAX];
	char *text = malloc(8192);

	(void)state;
	strcpy(text, "a");
	for (int i = 0; i < ROWS_FIELDS_MAX; i++)
		strcat(text, ",x");
	strcat(text, "\n");
	assert_int_equal(read_text(text, &s, why), -EBADMSG);
	assert_non_null(strstr(why, "staff.csv:1: more than"));
	memset(text, 'y', ROWS_FIELD_MAX + 1);
	strcpy(text + ROWS_FIELD_MAX + 1, "\n");
	assert_int_equal(read_text(text, &s, why), -EBADMSG);
	assert_non_null(strstr(why, "longer than"));
	free(text);
}

static void test_rows_expect_header(void **state)
{
	static const char *const cols[] = {"nip", "name", "unit_id", NULL};
	char *good[] = {"nip", "name", "unit_id"}, *swapped[] = {"name", "nip", "unit_id"};
	char *extra[] = {"nip", "name", "unit_id", "x"}, *short_[] = {"nip", "name"};
	char why[ROWS_WHY_MAX];

	(void)state;
	assert_int_equal(rows_expect_header(good, 3, cols, why), 0);
	assert_int_equal(rows_expect_header(swapped, 3, cols, why), -EBADMSG);
	assert_string_equal(why, "header: column 1 is 'name', expected 'nip'");
	assert_int_equal(rows_expect_header(extra, 4, cols, why), -EBADMSG);
	assert_string_equal(why, "header: unexpected column 4 'x'");
	assert_int_equal(rows_expect_header(short_, 2, cols, why), -EBADMSG);
	assert_string_equal(why, "header: column 3 'unit_id' missing");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_rows_read_quoting_and_lines),
	    cmocka_unit_test(test_rows_read_callback_error_names_line),
	    cmocka_unit_test(test_rows_read_malformed_quote),
	    cmocka_unit_test(test_rows_read_bounds),
	    cmocka_unit_test(test_rows_expect_header),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
