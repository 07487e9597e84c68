// SPDX-License-Identifier: MIT
/*
 * The organisation tables of the SQLite store: puts and listings round-trip,
 * credentials belong to one person, scoped clears, device unit filters,
 * dangling unit references, the roster version, idempotent imported taps.
 */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "server/db.h"
#include "tests/unit/tmpdb.h"

static int setup(void **state)
{
	struct tmpdb *t = calloc(1, sizeof(*t));

	assert_non_null(t);
	tmpdb_open(t);
	*state = t;
	return 0;
}

static int teardown(void **state)
{
	tmpdb_close(*state);
	free(*state);
	return 0;
}

/* Collected rows of a listing, joined as "a|b|c;" for one comparison. */
struct text {
	char buf[2048];
};

static void add(struct text *t, const char *s)
{
	size_t len = strlen(t->buf);

	snprintf(t->buf + len, sizeof(t->buf) - len, "%s;", s);
}

static int unit_text(const struct db_unit *u, void *user)
{
	char line[512];

	snprintf(line, sizeof(line), "%s|%s|%s|%s", u->unit_id, u->name, u->timezone, u->profile);
	add(user, line);
	return 0;
}

static int staff_text(const struct db_staff *s, void *user)
{
	char line[512];
	int n;

	n = snprintf(line, sizeof(line), "%s|%s|%s|%lld|%s|", s->nip, s->name, s->unit_id,
		     (long long)s->allowance, s->supervisor_nip);
	for (size_t i = 0; i < s->n_cards; i++)
		n += snprintf(line + n, sizeof(line) - (size_t)n, "c%s", s->cards[i]);
	for (size_t i = 0; i < s->n_fingers; i++)
		n += snprintf(line + n, sizeof(line) - (size_t)n, "f%d", s->fingers[i]);
	add(user, line);
	return 0;
}

static int holiday_text(const struct db_holiday *h, void *user)
{
	char line[512];

	snprintf(line, sizeof(line), "%s|%s", h->date, h->name);
	add(user, line);
	return 0;
}

static int leave_text(const struct db_leave *l, void *user)
{
	char line[512];

	snprintf(line, sizeof(line), "%s|%s|%s|%s|%s|%s", l->nip, l->from, l->to, l->code,
		 l->time_from, l->time_to);
	add(user, line);
	return 0;
}

static int schedule_text(const struct db_schedule *s, void *user)
{
	char line[512];

	snprintf(line, sizeof(line), "%s|%s|%s|%d|%s|%s|%s", s->unit_id, s->valid_from, s->valid_to,
		 s->weekday, s->start, s->end, s->label);
	add(user, line);
	return 0;
}

static int missing_text(const char *table, const char *unit_id, int64_t rows, void *user)
{
	char line[128];

	snprintf(line, sizeof(line), "%s|%s|%lld", table, unit_id, (long long)rows);
	add(user, line);
	return 0;
}

static void put_unit(struct db *db, const char *id, const char *name)
{
	struct db_unit u = {.timezone = "Asia/Jakarta", .profile = "default"};

	snprintf(u.unit_id, sizeof(u.unit_id), "%s", id);
	snprintf(u.name, sizeof(u.name), "%s", name);
	assert_int_equal(db_unit_put(db, &u), 0);
}

static void put_staff(struct db *db, const char *nip, const char *unit, int64_t allowance)
{
	struct db_staff s = {.allowance = allowance};

	snprintf(s.nip, sizeof(s.nip), "%s", nip);
	snprintf(s.name, sizeof(s.name), "Staf %s", nip + 15);
	snprintf(s.unit_id, sizeof(s.unit_id), "%s", unit);
	assert_int_equal(db_staff_put(db, &s), 0);
}

#define NIP_A "198501012010011001"
#define NIP_B "199002022015022002"

static void test_db_units_round_trip(void **state)
{
	struct tmpdb *f = *state;
	struct db_org_query one = {.unit_id = "U2"};
	struct text t = {""};

	assert_int_equal(db_begin(f->db), 0);
	put_unit(f->db, "U2", "Dinas B");
	put_unit(f->db, "U1", "Dinas A");
	assert_int_equal(db_commit(f->db), 0);
	assert_int_equal(db_units(f->db, NULL, unit_text, &t), 0);
	assert_string_equal(t.buf,
			    "U1|Dinas A|Asia/Jakarta|default;U2|Dinas B|Asia/Jakarta|default;");
	t.buf[0] = '\0';
	assert_int_equal(db_units(f->db, &one, unit_text, &t), 0);
	assert_string_equal(t.buf, "U2|Dinas B|Asia/Jakarta|default;");

	assert_int_equal(db_begin(f->db), 0);
	put_unit(f->db, "U3", "Dinas C");
	{
		struct db_unit dup = {
		    .unit_id = "U3", .name = "x", .timezone = "UTC", .profile = "d"};

		assert_int_equal(db_unit_put(f->db, &dup), -EEXIST);
	}
	db_rollback(f->db);
	t.buf[0] = '\0';
	assert_int_equal(db_units(f->db, NULL, unit_text, &t), 0);
	assert_null(strstr(t.buf, "U3"));
}

static void test_db_staff_credentials(void **state)
{
	struct tmpdb *f = *state;
	char owner[RECORD_NIP_MAX] = "";
	struct db_staff s;
	struct text t = {""};

	assert_int_equal(db_begin(f->db), 0);
	put_unit(f->db, "U1", "Dinas A");
	put_staff(f->db, NIP_A, "U1", 4500000);
	put_staff(f->db, NIP_B, "U1", 0);
	assert_int_equal(
	    db_staff_put(f->db, &(struct db_staff){.nip = NIP_A, .name = "x", .unit_id = "U1"}),
	    -EEXIST);
	assert_int_equal(db_card_put(f->db, "123", NIP_A, owner), 0);
	assert_int_equal(db_card_put(f->db, "99", NIP_A, owner), 0);
	assert_int_equal(db_card_put(f->db, "123", NIP_A, owner), 0); /* again: fine */
	assert_int_equal(db_card_put(f->db, "123", NIP_B, owner), -EEXIST);
	assert_string_equal(owner, NIP_A);
	assert_int_equal(db_finger_put(f->db, 7, NIP_B, owner), 0);
	assert_int_equal(db_finger_put(f->db, 7, NIP_A, owner), -EEXIST);
	assert_string_equal(owner, NIP_B);
	assert_int_equal(db_commit(f->db), 0);

	assert_int_equal(db_staff_get(f->db, NIP_A, &s), 0);
	assert_int_equal(s.allowance, 4500000);
	assert_int_equal(s.n_cards, 2);
	assert_string_equal(s.cards[0], "99"); /* numeric order */
	assert_string_equal(s.cards[1], "123");
	assert_int_equal(db_staff_get(f->db, "000000000000000000", &s), -ENOENT);
	assert_int_equal(db_staff(f->db, NULL, staff_text, &t), 0);
	assert_string_equal(t.buf,
			    NIP_A "|Staf 001|U1|4500000||c99c123;" NIP_B "|Staf 002|U1|0||f7;");

	assert_int_equal(db_begin(f->db), 0);
	assert_int_equal(db_staff_clear(f->db), 0);
	put_staff(f->db, NIP_B, "U1", 1);
	assert_int_equal(db_card_put(f->db, "123", NIP_B, owner), 0); /* free again */
	assert_int_equal(db_commit(f->db), 0);
	t.buf[0] = '\0';
	assert_int_equal(db_staff(f->db, NULL, staff_text, &t), 0);
	assert_string_equal(t.buf, NIP_B "|Staf 002|U1|1||c123;");
}

static void test_db_device_units_filter(void **state)
{
	struct tmpdb *f = *state;
	const char *units[] = {"U2", "U9"};
	struct db_org_query q = {0};
	struct db_device dev;
	struct text t = {""};

	assert_int_equal(db_device_add(f->db, "kiosk-1", "hash", 1, 2), 0);
	assert_int_equal(db_device_by_token(f->db, "hash", 1, &dev), 0);
	assert_int_equal(db_begin(f->db), 0);
	put_unit(f->db, "U1", "Dinas A");
	put_unit(f->db, "U2", "Dinas B");
	put_staff(f->db, NIP_A, "U1", 0);
	put_staff(f->db, NIP_B, "U2", 0);
	assert_int_equal(db_commit(f->db), 0);
	assert_int_equal(db_device_units_set(f->db, dev.id, units, 2), 0);

	assert_int_equal(db_device_units(f->db, dev.id, unit_text, &t), 0);
	assert_string_equal(t.buf, "U2|Dinas B|Asia/Jakarta|default;U9|||;");
	q.device_id = dev.id;
	t.buf[0] = '\0';
	assert_int_equal(db_staff(f->db, &q, staff_text, &t), 0);
	assert_string_equal(t.buf, NIP_B "|Staf 002|U2|0||;");
	t.buf[0] = '\0';
	assert_int_equal(db_units_missing(f->db, missing_text, &t), 0);
	assert_string_equal(t.buf, "devices|U9|1;");

	assert_int_equal(db_device_units_set(f->db, dev.id, NULL, 0), 0);
	t.buf[0] = '\0';
	assert_int_equal(db_device_units(f->db, dev.id, unit_text, &t), 0);
	assert_string_equal(t.buf, "");
}

static void test_db_calendar_tables(void **state)
{
	struct tmpdb *f = *state;
	struct db_schedule s1 = {"U1", "2026-01-01", "2026-12-31", 1, "07:30", "16:00", ""};
	struct db_schedule s2 = {"U1", "2026-02-18", "2026-03-19", 1, "08:00", "15:00", "Ramadan"};
	struct db_schedule s3 = {"U2", "2026-01-01", "2026-12-31", 5, "07:30", "16:30", ""};
	struct db_org_query range = {.from = "2026-03-01", .to = "2026-03-31"};
	struct db_org_query u2 = {.unit_id = "U2"};
	struct text t = {""};

	assert_int_equal(db_begin(f->db), 0);
	put_unit(f->db, "U1", "A");
	put_staff(f->db, NIP_A, "U1", 0);
	put_staff(f->db, NIP_B, "U2", 0);
	assert_int_equal(db_schedule_put(f->db, &s1), 0);
	assert_int_equal(db_schedule_put(f->db, &s2), 0);
	assert_int_equal(db_schedule_put(f->db, &s3), 0);
	assert_int_equal(db_schedule_put(f->db, &s1), -EEXIST);
	assert_int_equal(db_holiday_put(f->db, &(struct db_holiday){"2025-12-25", "Natal"}), 0);
	assert_int_equal(db_holiday_put(f->db, &(struct db_holiday){"2026-03-20", "Idul Fitri"}),
			 0);
	assert_int_equal(db_holiday_put(f->db, &(struct db_holiday){"2026-03-20", "x"}), -EEXIST);
	assert_int_equal(db_leave_put(f->db, &(struct db_leave){NIP_A, "2026-03-02", "2026-03-04",
								"CT", "", ""}),
			 0);
	assert_int_equal(db_leave_put(f->db, &(struct db_leave){NIP_B, "2026-04-01", "2026-04-01",
								"I", "08:00", "10:00"}),
			 0);
	assert_int_equal(db_leave_put(f->db, &(struct db_leave){NIP_A, "2025-12-30", "2026-01-02",
								"CS", "", ""}),
			 0);
	assert_int_equal(db_commit(f->db), 0);

	assert_int_equal(db_schedules(f->db, NULL, schedule_text, &t), 0);
	assert_string_equal(t.buf, "U1|2026-01-01|2026-12-31|1|07:30|16:00|;"
				   "U1|2026-02-18|2026-03-19|1|08:00|15:00|Ramadan;"
				   "U2|2026-01-01|2026-12-31|5|07:30|16:30|;");
	t.buf[0] = '\0';
	assert_int_equal(db_holidays(f->db, &range, holiday_text, &t), 0);
	assert_string_equal(t.buf, "2026-03-20|Idul Fitri;");
	t.buf[0] = '\0';
	assert_int_equal(db_leave(f->db, &range, leave_text, &t), 0);
	assert_string_equal(t.buf, NIP_A "|2026-03-02|2026-03-04|CT||;");
	t.buf[0] = '\0';
	assert_int_equal(db_leave(f->db, &u2, leave_text, &t), 0);
	assert_string_equal(t.buf, NIP_B "|2026-04-01|2026-04-01|I|08:00|10:00;");
	t.buf[0] = '\0';
	assert_int_equal(db_units_missing(f->db, missing_text, &t), 0);
	assert_string_equal(t.buf, "schedules|U2|1;staff|U2|1;");

	/* Clears are scoped: one unit's schedules, one year's holidays and leave. */
	assert_int_equal(db_begin(f->db), 0);
	assert_int_equal(db_schedules_clear(f->db, "U1"), 0);
	assert_int_equal(db_holidays_clear(f->db, 2026), 0);
	assert_int_equal(db_leave_clear(f->db, 2025), 0);
	assert_int_equal(db_commit(f->db), 0);
	t.buf[0] = '\0';
	assert_int_equal(db_schedules(f->db, NULL, schedule_text, &t), 0);
	assert_string_equal(t.buf, "U2|2026-01-01|2026-12-31|5|07:30|16:30|;");
	t.buf[0] = '\0';
	assert_int_equal(db_holidays(f->db, NULL, holiday_text, &t), 0);
	assert_string_equal(t.buf, "2025-12-25|Natal;");
	t.buf[0] = '\0';
	assert_int_equal(db_leave(f->db, NULL, leave_text, &t), 0);
	assert_string_equal(t.buf, NIP_A "|2026-03-02|2026-03-04|CT||;" NIP_B
					 "|2026-04-01|2026-04-01|I|08:00|10:00;");
}

static void test_db_roster_version(void **state)
{
	struct tmpdb *f = *state;
	struct db_roster_state st;

	assert_int_equal(db_roster_state(f->db, &st), 0);
	assert_int_equal(st.version, 0);
	assert_false(st.has_staff);
	assert_int_equal(db_roster_bump(f->db, 1000, false), 0);
	assert_int_equal(db_roster_state(f->db, &st), 0);
	assert_int_equal(st.version, 1);
	assert_int_equal(st.changed_usec, 1000);
	assert_false(st.has_staff);
	assert_int_equal(db_roster_bump(f->db, 2000, true), 0);
	assert_int_equal(db_roster_bump(f->db, 3000, false), 0);
	assert_int_equal(db_roster_state(f->db, &st), 0);
	assert_int_equal(st.version, 3);
	assert_true(st.has_staff); /* stays once set */
}

static int count_tap(const struct db_tap *tap, void *user)
{
	assert_string_equal(tap->device, "(import)");
	assert_string_equal(tap->outcome, "accepted");
	(*(unsigned *)user)++;
	return 0;
}

static void test_db_tap_import_idempotent(void **state)
{
	struct tmpdb *f = *state;
	struct db_tap_query q = {.from_usec = INT64_MIN, .to_usec = INT64_MAX};
	int64_t id, again;
	unsigned n = 0;

	assert_int_equal(db_device_internal(f->db, "(import)", 1, &id), 0);
	assert_int_equal(db_device_internal(f->db, "(import)", 2, &again), 0);
	assert_int_equal(id, again);
	assert_int_equal(db_tap_import(f->db, id, 1, NIP_A, 1740962460000000, 5), 1);
	assert_int_equal(db_tap_import(f->db, id, 2, NIP_A, 1740962460000000, 5), 0);
	assert_int_equal(db_tap_import(f->db, id, 2, NIP_B, 1740962460000000, 5), 1);
	assert_int_equal(db_taps(f->db, &q, count_tap, &n), 0);
	assert_int_equal(n, 2);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test_setup_teardown(test_db_units_round_trip, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_db_staff_credentials, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_db_device_units_filter, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_db_calendar_tables, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_db_roster_version, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_db_tap_import_idempotent, setup, teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
