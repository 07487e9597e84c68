// SPDX-License-Identifier: MIT
/*
 * Discipline evaluation speed: N employees (default 100,000) of one WIB unit
 * on the default profile, each with two taps a working day and a late or
 * missing tap now and then, for the month given and the year part before it.
 * Single thread; prints the time per run. Usage: bench_rules [N] [YYYY-MM]
 * (run from the source tree, which holds profiles/default.conf).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "common/clk.h"
#include "common/tz.h"
#include "server/calendar.h"
#include "server/profile.h"
#include "server/rules.h"

#define VARIANTS 64

static double now_sec(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

int main(int argc, char **argv)
{
	struct cal_unit_row u = {"bench", 1, "U", "Asia/Jakarta", true};
	long n_emp = argc > 1 ? strtol(argv[1], NULL, 10) : 100000;
	const char *month = argc > 2 ? argv[2] : "2025-10";
	struct cfg_diag diag = {.len = 0};
	struct rules_tap *taps[VARIANTS];
	size_t n_taps[VARIANTS];
	struct rules_plan *plan = NULL;
	struct profile *profile = NULL;
	struct calendar *cal = NULL;
	const struct cal_unit *unit;
	int32_t from, to, jan1;
	int64_t checksum = 0;
	long n_days = 0;
	char text[16];
	double t0, t1;
	int y, m, d;

	snprintf(text, sizeof(text), "%.7s-01", month);
	if (n_emp <= 0 || tz_parse_date(text, &from) < 0 ||
	    profile_load("profiles/default.conf", &profile, &diag) < 0 || calendar_new(&cal) < 0 ||
	    calendar_add_unit(cal, &u, &diag) < 0 || calendar_seal(cal, &diag) < 0) {
		fprintf(stderr, "bench_rules: setup failed\n%s", diag.text);
		return 1;
	}
	unit = calendar_unit(cal, "U");
	tz_civil_from_days(from, &y, &m, &d);
	to = from + tz_days_in_month(y, m) - 1;
	jan1 = tz_days_from_civil(y, 1, 1);

	srand(1);
	for (int v = 0; v < VARIANTS; v++) {
		taps[v] = calloc((size_t)(to - jan1 + 1) * 2, sizeof(**taps));
		n_taps[v] = 0;
		for (int32_t day = jan1; day <= to; day++) {
			struct cal_day c;
			int32_t in = 7 * 3600 + 15 * 60 + rand() % 1800; /* late now and then */

			int32_t out = 16 * 3600 + rand() % 3600;

			calendar_day(cal, unit, NULL, 0, day, &c);
			if (!c.is_working || rand() % 50 == 0)
				continue;
			taps[v][n_taps[v]++] = (struct rules_tap){
			    tz_instant(cal_unit_tz(unit), day, in) * CLK_USEC_PER_SEC,
			    RULES_DIR_ANY};
			if (rand() % 40)
				taps[v][n_taps[v]++] = (struct rules_tap){
				    tz_instant(cal_unit_tz(unit), day, out) * CLK_USEC_PER_SEC,
				    RULES_DIR_ANY};
		}
	}

	t0 = now_sec();
	if (rules_plan_new(cal, unit, profile, from, to, &plan) < 0)
		return 1;
	for (long i = 0; i < n_emp; i++) {
		struct rules_employee emp = {"nip", "name", "U", 5000000, NULL, 0, 0, 0};
		struct rules_period p;
		int v = (int)(i % VARIANTS);

		if (rules_eval_period(plan, &emp, taps[v], n_taps[v], NULL, NULL, &p) < 0)
			return 1;
		checksum += p.deduction_amount + p.year.total_days;
		n_days += p.working_days;
	}
	t1 = now_sec();
	printf("bench_rules: %ld employees, %s (%ld working days each, year part from 1 January, "
	       "%zu taps each): %.3f s (checksum %lld)\n",
	       n_emp, month, n_days / n_emp, n_taps[0], t1 - t0, (long long)checksum);
	rules_plan_free(plan);
	for (int v = 0; v < VARIANTS; v++)
		free(taps[v]);
	calendar_free(cal);
	profile_free(profile);
	return 0;
}
