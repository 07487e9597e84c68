// SPDX-License-Identifier: MIT
/* The employee page's tables as CSV: the page's texts for each kind of day and entry. */
#include <errno.h>
#include <jansson.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "server/page_tables.h"

/* The CSV of the days of explain (JSON text), NUL-terminated; free() it. */
static char *days_csv(const char *explain)
{
	json_t *root = json_loads(explain, 0, NULL);
	char *data = NULL;
	size_t len = 0;

	assert_non_null(root);
	assert_int_equal(page_days_table(root, DISCIPLINE_CSV, &data, &len), 0);
	json_decref(root);
	data = realloc(data, len + 1);
	assert_non_null(data);
	data[len] = '\0';
	return data;
}

static void test_page_days_table_texts(void **state)
{
	char *csv;

	(void)state;
	csv = days_csv(
	    "{\"days\":["
	    "{\"date\":\"2025-10-06\",\"weekday\":1,\"working\":true,\"off\":null,\"holiday\":null,"
	    "\"schedule\":{\"start\":\"07:30\",\"end\":\"16:00\"},\"leave\":{\"code\":\"CT\","
	    "\"whole_day\":false,\"from\":\"07:30\",\"until\":\"10:00\"},\"taps\":[{\"time\":"
	    "\"2025-10-06T10:05:00+07:00\",\"use\":\"check_in\"},{\"time\":\"2025-10-06T16:00:00+"
	    "07:"
	    "00\",\"use\":\"check_out\"},{\"time\":\"2025-10-06T16:01:00+07:00\",\"use\":"
	    "\"unused\"}],\"check_in\":\"10:05:00\",\"check_out\":\"16:00:00\",\"late_minutes\":5,"
	    "\"early_minutes\":0,\"tl\":\"TL1\",\"psw\":null,\"tk\":false,\"deduction_bp\":50,"
	    "\"reasons\":[\"a\",\"b, c\"]},"
	    "{\"date\":\"2025-10-11\",\"weekday\":6,\"working\":false,\"off\":\"weekend\","
	    "\"holiday\":null,\"schedule\":null,\"leave\":null,\"taps\":[],\"check_in\":null,"
	    "\"check_out\":null,\"late_minutes\":0,\"early_minutes\":0,\"tl\":null,\"psw\":null,"
	    "\"tk\":false,\"deduction_bp\":0,\"reasons\":[]},"
	    "{\"date\":\"2025-10-16\",\"weekday\":4,\"working\":false,\"off\":\"holiday\","
	    "\"holiday\":\"Hari Uji\",\"schedule\":null,\"leave\":{\"code\":\"S\",\"whole_day\":"
	    "true},\"taps\":[],\"check_in\":null,\"check_out\":null,\"late_minutes\":0,"
	    "\"early_minutes\":0,\"tl\":\"TL4\",\"psw\":\"PSW4\",\"tk\":true,\"deduction_bp\":300,"
	    "\"reasons\":[\"TK\"]}]}");
	assert_string_equal(
	    csv, "Tanggal,Jadwal,Tap,Masuk,Pulang,Terlambat (menit),"
		 "Pulang cepat (menit),TL/PSW,Cuti,TK,Potongan (%),Keterangan\r\n"
		 "\"Senin, 2025-10-06\",07:30–16:00,\"10:05:00 masuk\n16:00:00 "
		 "pulang\n16:01:00 tidak dipakai\",10:05:00,16:00:00,5,0,TL1,"
		 "CT 07:30–10:00,,0.50,\"a\nb, c\"\r\n"
		 "\"Sabtu, 2025-10-11\",akhir pekan,,,,0,0,,,,0.00,\r\n"
		 "\"Kamis, 2025-10-16\",libur: Hari Uji,,,,0,0,TL4 PSW4,S,TK,3.00,TK\r\n");
	free(csv);
}

static void test_page_activities_table_texts(void **state)
{
	json_t *list = json_loads(
	    "[{\"date\":\"2025-10-07\",\"start\":\"09:00\",\"end\":\"10:30\",\"plan\":\"RHK-1\","
	    "\"description\":\"=SUM(A1)\",\"quantity\":2,\"unit\":\"laporan\",\"status\":"
	    "\"returned\",\"comment\":\"Lampirkan\",\"reason\":\"\"},"
	    "{\"date\":\"2025-10-08\",\"start\":\"13:00\",\"end\":\"14:00\",\"plan\":\"\","
	    "\"description\":\"x\",\"quantity\":1,\"unit\":\"dokumen\",\"status\":\"invalid\","
	    "\"comment\":\"\",\"reason\":\"description_empty\"}]",
	    0, NULL);
	char *data = NULL;
	size_t len = 0;

	(void)state;
	assert_non_null(list);
	assert_int_equal(page_activities_table(list, DISCIPLINE_CSV, &data, &len), 0);
	assert_int_equal(
	    len, strlen("Tanggal,Waktu,RHK,Uraian,Hasil,Status,Catatan\r\n"
			"2025-10-07,09:00–10:30,RHK-1,'=SUM(A1),2 laporan,dikembalikan,"
			"Lampirkan\r\n"
			"2025-10-08,13:00–14:00,,x,1 dokumen,tidak sah,description_empty\r\n"));
	assert_memory_equal(data, "Tanggal,Waktu,RHK,Uraian,Hasil,Status,Catatan\r\n", 47);
	assert_non_null(memmem(data, len, "'=SUM(A1),2 laporan,dikembalikan,Lampirkan\r\n", 44));
	assert_non_null(memmem(data, len, ",tidak sah,description_empty\r\n", 30));
	free(data);
	assert_int_equal(page_activities_table(NULL, DISCIPLINE_CSV, &data, &len), -EINVAL);
	json_decref(list);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_page_days_table_texts),
	    cmocka_unit_test(test_page_activities_table_texts),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
