// SPDX-License-Identifier: MIT
/*
 * The libgpiod 1.6 backend against a fake libgpiod. Build machines have no
 * GPIO chip and the kernel's gpio-sim cannot be loaded, so this file defines
 * the libgpiod functions gpio_gpiod1.c calls; the executable's definitions
 * take precedence over the shared library's. The fake keeps the v1
 * behaviour that matters: one event fd per requested line carrying the
 * kernel's struct gpioevent_data records, a queue of 16 events per line, busy
 * lines, closing a chip releasing its lines.
 */
#include <errno.h>
#include <fcntl.h>
#include <gpiod.h>
#include <linux/gpio.h>
#include <poll.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <time.h>
#include <unistd.h>

#include <cmocka.h>

#include "common/log.h"
#include "firmware/board.h"
#include "firmware/gpio.h"
#include "firmware/wiegand.h"

#define US	   1000LL
#define MS	   1000000LL
#define FAKE_LINES 32
#define FAKE_QUEUE 16 /* the v1 kernel queue */

struct gpiod_chip {
	int unused;
};

struct gpiod_line {
	unsigned offset;
	char name[16];
	struct gpiod_chip *owner; /* the handle it was looked up through */
	struct gpiod_chip *requested_by;
	bool is_busy; /* held by another program */
	int request_type;
	int flags;
	int value;
	char consumer[32];
	int pipe[2]; /* the line's event fd: kernel records */
	unsigned dropped;
};

static struct gpiod_line fake[FAKE_LINES];
static unsigned open_handles;

static void fake_reset(void)
{
	memset(fake, 0, sizeof(fake));
	for (unsigned i = 0; i < FAKE_LINES; i++) {
		fake[i].offset = i;
		snprintf(fake[i].name, sizeof(fake[i].name), "GPIO%u", i);
		fake[i].pipe[0] = fake[i].pipe[1] = -1;
	}
}

static struct gpiod_chip *new_handle(void)
{
	open_handles++;
	return calloc(1, sizeof(struct gpiod_chip));
}

struct gpiod_chip *gpiod_chip_open_lookup(const char *descr)
{
	if (strcmp(descr, "gpiochip0") == 0 || strcmp(descr, "/dev/gpiochip0") == 0 ||
	    strcmp(descr, "0") == 0)
		return new_handle();
	errno = ENOENT;
	return NULL;
}

void gpiod_chip_close(struct gpiod_chip *chip)
{
	for (unsigned i = 0; i < FAKE_LINES; i++) {
		if (fake[i].requested_by != chip)
			continue;
		fake[i].requested_by = NULL;
		if (fake[i].pipe[0] >= 0) {
			close(fake[i].pipe[0]);
			close(fake[i].pipe[1]);
		}
		fake[i].pipe[0] = fake[i].pipe[1] = -1;
	}
	open_handles--;
	free(chip);
}

unsigned int gpiod_chip_num_lines(struct gpiod_chip *chip)
{
	(void)chip;
	return FAKE_LINES;
}

struct gpiod_line *gpiod_chip_get_line(struct gpiod_chip *chip, unsigned int offset)
{
	if (offset >= FAKE_LINES) {
		errno = EINVAL;
		return NULL;
	}
	fake[offset].owner = chip;
	return &fake[offset];
}

struct gpiod_line *gpiod_chip_find_line(struct gpiod_chip *chip, const char *name)
{
	for (unsigned i = 0; i < FAKE_LINES; i++)
		if (strcmp(fake[i].name, name) == 0)
			return gpiod_chip_get_line(chip, i);
	errno = ENOENT;
	return NULL;
}

struct gpiod_line *gpiod_line_find(const char *name)
{
	struct gpiod_chip *chip;
	struct gpiod_line *line;

	chip = new_handle();
	line = gpiod_chip_find_line(chip, name);
	if (!line) {
		gpiod_chip_close(chip);
		errno = ENOENT;
	}
	return line;
}

struct gpiod_chip *gpiod_line_get_chip(struct gpiod_line *line)
{
	return line->owner;
}

int gpiod_line_update(struct gpiod_line *line)
{
	(void)line;
	return 0;
}

const char *gpiod_line_consumer(struct gpiod_line *line)
{
	return line->is_busy ? "other-daemon" : line->consumer;
}

static int fake_request(struct gpiod_line *line, const char *consumer, int type, int flags)
{
	if (line->is_busy || line->requested_by) {
		errno = EBUSY;
		return -1;
	}
	line->requested_by = line->owner;
	line->request_type = type;
	line->flags = flags;
	snprintf(line->consumer, sizeof(line->consumer), "%s", consumer);
	return 0;
}

int gpiod_line_request(struct gpiod_line *line, const struct gpiod_line_request_config *config,
		       int default_val)
{
	(void)default_val;
	if (fake_request(line, config->consumer, config->request_type, config->flags) < 0)
		return -1;
	if (pipe2(line->pipe, O_CLOEXEC) < 0)
		return -1;
	return 0;
}

int gpiod_line_request_output_flags(struct gpiod_line *line, const char *consumer, int flags,
				    int default_val)
{
	if (fake_request(line, consumer, GPIOD_LINE_REQUEST_DIRECTION_OUTPUT, flags) < 0)
		return -1;
	line->value = default_val;
	return 0;
}

int gpiod_line_set_value(struct gpiod_line *line, int value)
{
	if (!line->requested_by) {
		errno = EPERM;
		return -1;
	}
	line->value = value;
	return 0;
}

int gpiod_line_event_get_fd(struct gpiod_line *line)
{
	if (line->pipe[0] < 0) {
		errno = EPERM;
		return -1;
	}
	return line->pipe[0];
}

/* The kernel saw an edge: queue its record (or drop it, as v1 does when the queue is full). */
static void fake_record(unsigned offset, uint32_t id, uint64_t ts_ns)
{
	struct gpiod_line *line = &fake[offset];
	struct gpioevent_data ev = {.timestamp = ts_ns, .id = id};
	int queued;

	assert_true(line->pipe[1] >= 0);
	assert_int_equal(ioctl(line->pipe[0], FIONREAD, &queued), 0);
	if (queued / (int)sizeof(ev) == FAKE_QUEUE) {
		line->dropped++;
		return;
	}
	assert_int_equal(write(line->pipe[1], &ev, sizeof(ev)), sizeof(ev));
}

static void fake_edge(unsigned offset, bool rising, int64_t ts_ns)
{
	fake_record(offset, rising ? GPIOEVENT_EVENT_RISING_EDGE : GPIOEVENT_EVENT_FALLING_EDGE,
		    (uint64_t)ts_ns);
}

static bool is_readable(int fd)
{
	struct pollfd p = {.fd = fd, .events = POLLIN};

	assert_true(poll(&p, 1, 0) >= 0);
	return p.revents & POLLIN;
}

static int setup(void **state)
{
	(void)state;
	fake_reset();
	open_handles = 0;
	log_set_level(LOG_LEVEL_ERR);
	return 0;
}

static int teardown(void **state)
{
	(void)state;
	assert_int_equal(open_handles, 0); /* every chip handle closed */
	for (unsigned i = 0; i < FAKE_LINES; i++)
		assert_null(fake[i].requested_by);
	return 0;
}

static struct board_line parse(const char *spec, const char *role)
{
	struct board_line l;
	char why[128];

	assert_int_equal(board_parse_line(spec, &l, why, sizeof(why)), 0);
	snprintf(l.role, sizeof(l.role), "%s", role);
	return l;
}

static struct gpio_in *open_pair(struct board_line *d0, struct board_line *d1)
{
	const struct board_line *lines[] = {d0, d1};
	struct gpio_in *in = NULL;

	assert_int_equal(gpio_in_open(lines, 2, "hadir-test", &in), 0);
	return in;
}

static void test_gpiod1_request_flags(void **state)
{
	struct board_line d0 = parse("gpiochip0:17 pull-up", "d0");
	struct board_line d1 = parse("GPIO27 active-low bias-disable", "d1");
	struct gpio_in *in = open_pair(&d0, &d1);

	(void)state;
	assert_int_equal(fake[17].request_type, GPIOD_LINE_REQUEST_EVENT_BOTH_EDGES);
	assert_int_equal(fake[17].flags, GPIOD_LINE_REQUEST_FLAG_BIAS_PULL_UP);
	assert_string_equal(fake[17].consumer, "hadir-test");
	assert_int_equal(fake[27].request_type, GPIOD_LINE_REQUEST_EVENT_BOTH_EDGES);
	assert_int_equal(fake[27].flags,
			 GPIOD_LINE_REQUEST_FLAG_ACTIVE_LOW | GPIOD_LINE_REQUEST_FLAG_BIAS_DISABLE);
	assert_true(fcntl(fake[17].pipe[0], F_GETFL) & O_NONBLOCK);
	gpio_in_free(in);
	assert_null(fake[17].requested_by);
}

static void test_gpiod1_reads_both_lines_in_time_order(void **state)
{
	struct board_line d0 = parse("gpiochip0:17", "d0");
	struct board_line d1 = parse("gpiochip0:27", "d1");
	struct gpio_in *in = open_pair(&d0, &d1);
	struct gpio_event ev[8];
	int fd = gpio_in_fd(in);

	(void)state;
	assert_false(is_readable(fd));
	assert_int_equal(gpio_in_read(in, ev, 8), 0);
	/* D1's pulse came between D0's two pulses; the kernel queues them per line. */
	fake_edge(17, false, 1000 * MS);
	fake_edge(17, true, 1000 * MS + 50 * US);
	fake_edge(17, false, 1004 * MS);
	fake_edge(17, true, 1004 * MS + 50 * US);
	fake_edge(27, false, 1002 * MS);
	fake_edge(27, true, 1002 * MS + 50 * US);
	assert_true(is_readable(fd));
	assert_int_equal(gpio_in_read(in, ev, 8), 6);
	for (int i = 0; i < 6; i++)
		assert_int_equal(ev[i].index, i == 2 || i == 3 ? 1 : 0);
	for (int i = 1; i < 6; i++)
		assert_true(ev[i - 1].ts_ns < ev[i].ts_ns);
	assert_false(ev[0].rising);
	assert_true(ev[1].rising);
	assert_int_equal(ev[0].ts_ns, 1000 * MS);
	assert_false(is_readable(fd));
	assert_int_equal(gpio_in_read(in, ev, 8), 0);
	gpio_in_free(in);
}

static void test_gpiod1_small_batches_and_full_queues(void **state)
{
	struct board_line d0 = parse("gpiochip0:3", "d0");
	struct board_line d1 = parse("gpiochip0:4", "d1");
	struct gpio_in *in = open_pair(&d0, &d1);
	struct gpio_event ev[5];
	int64_t last = -1;
	int total = 0, n;

	(void)state;
	for (int i = 0; i < FAKE_QUEUE / 2; i++) {
		fake_edge(3, false, (4 * i) * MS);
		fake_edge(3, true, (4 * i) * MS + 50 * US);
		fake_edge(4, false, (4 * i + 2) * MS);
		fake_edge(4, true, (4 * i + 2) * MS + 50 * US);
	}
	/* 32 events wait, 16 per line; hand them out 5 at a time, in order. */
	while ((n = gpio_in_read(in, ev, 5)) > 0) {
		for (int k = 0; k < n; k++) {
			assert_true(ev[k].ts_ns > last);
			last = ev[k].ts_ns;
		}
		total += n;
		if (n < 5)
			break;
	}
	assert_int_equal(total, 2 * FAKE_QUEUE);
	assert_false(is_readable(gpio_in_fd(in)));
	gpio_in_free(in);
}

static void test_gpiod1_card_through_backend_and_decoder(void **state)
{
	struct board_line d0 = parse("gpiochip0:17", "d0");
	struct board_line d1 = parse("gpiochip0:27", "d1");
	struct gpio_in *in = open_pair(&d0, &d1);
	struct wiegand_edge edges[52];
	struct wiegand_frame f;
	struct gpio_event ev[64];
	struct wiegand w;
	size_t n;
	int got;

	(void)state;
	n = wiegand_encode_edges("10111101100010001110101110", 5000 * MS, 50 * US, 2 * MS, edges,
				 52);
	wiegand_init(&w, NULL);
	/* The loop reads when the fd is readable, here after every 8 edges: queues never fill. */
	for (size_t i = 0; i < n; i++) {
		fake_edge(edges[i].line ? 27 : 17, edges[i].rising, edges[i].ts_ns);
		if (i % 8 != 7 && i != n - 1)
			continue;
		while (is_readable(gpio_in_fd(in))) {
			got = gpio_in_read(in, ev, ARRAY_SIZE(ev));
			assert_true(got > 0);
			for (int k = 0; k < got; k++)
				wiegand_edge(&w, ev[k].index, ev[k].rising, ev[k].ts_ns);
		}
	}
	assert_int_equal(fake[17].dropped + fake[27].dropped, 0);
	assert_int_equal(wiegand_poll(&w, wiegand_deadline(&w), &f), 1);
	assert_int_equal(f.result, 0);
	assert_int_equal(f.facility, 123);
	assert_int_equal(f.card, 4567);
	gpio_in_free(in);
}

static int64_t now_ns(clockid_t id)
{
	struct timespec ts;

	assert_int_equal(clock_gettime(id, &ts), 0);
	return (int64_t)ts.tv_sec * 1000000000 + ts.tv_nsec;
}

/* Linux < 5.7 stamps v1 events with CLOCK_REALTIME; the backend hands out monotonic time. */
static void test_gpiod1_realtime_stamps_become_monotonic(void **state)
{
	struct board_line d0 = parse("gpiochip0:17", "d0");
	struct board_line d1 = parse("gpiochip0:27", "d1");
	struct gpio_in *in = open_pair(&d0, &d1);
	struct gpio_event ev[4];
	int64_t mono, real;

	(void)state;
	mono = now_ns(CLOCK_MONOTONIC);
	real = now_ns(CLOCK_REALTIME);
	fake_edge(17, false, real - 3 * MS); /* an old kernel */
	fake_edge(27, false, mono - 1 * MS); /* a current kernel */
	assert_int_equal(gpio_in_read(in, ev, 4), 2);
	assert_int_equal(ev[0].index, 0);
	assert_true(ev[0].ts_ns > mono - 1000 * MS && ev[0].ts_ns < mono);
	assert_int_equal(ev[1].index, 1);
	assert_int_equal(ev[1].ts_ns, mono - 1 * MS);
	gpio_in_free(in);
}

/*
 * The backend decodes the kernel's records itself (libgpiod's struct would
 * not match on armhf with 64-bit time_t): the id names the edge, the 64-bit
 * stamp is kept to the nanosecond, and a torn record is an error.
 */
static void test_gpiod1_kernel_records(void **state)
{
	struct board_line d0 = parse("gpiochip0:17", "d0");
	struct board_line d1 = parse("gpiochip0:27", "d1");
	struct gpio_in *in = open_pair(&d0, &d1);
	struct gpio_event ev[4];
	uint64_t t = (uint64_t)now_ns(CLOCK_MONOTONIC) - 999999999;

	(void)state;
	fake_record(17, GPIOEVENT_EVENT_FALLING_EDGE, t);
	fake_record(17, GPIOEVENT_EVENT_RISING_EDGE, t + 50001);
	assert_int_equal(gpio_in_read(in, ev, 4), 2);
	assert_false(ev[0].rising);
	assert_int_equal(ev[0].ts_ns, (int64_t)t);
	assert_true(ev[1].rising);
	assert_int_equal(ev[1].ts_ns, (int64_t)t + 50001);
	assert_int_equal(write(fake[27].pipe[1], &t, sizeof(t)), sizeof(t)); /* half a record */
	assert_int_equal(gpio_in_read(in, ev, 4), -EIO);
	gpio_in_free(in);
}

static void test_gpiod1_busy_line(void **state)
{
	struct board_line d0 = parse("gpiochip0:17", "d0");
	struct board_line d1 = parse("gpiochip0:27", "d1");
	const struct board_line *lines[] = {&d0, &d1};
	struct gpio_in *in = NULL;

	(void)state;
	fake[27].is_busy = true;
	assert_int_equal(gpio_in_open(lines, 2, "hadir-test", &in), -EBUSY);
	assert_null(in);
	assert_null(fake[17].requested_by); /* the first line was released again */
}

static void test_gpiod1_missing_lines(void **state)
{
	struct board_line off = parse("gpiochip0:40", "d0");
	struct board_line name = parse("GPIO99", "d1");
	struct board_line chip = parse("gpiochip3:1", "buzzer");
	struct gpio_out *out = NULL;

	(void)state;
	assert_int_equal(gpio_out_open(&off, "hadir-test", &out), -ENOENT);
	assert_int_equal(gpio_out_open(&name, "hadir-test", &out), -ENOENT);
	assert_int_equal(gpio_out_open(&chip, "hadir-test", &out), -ENOENT);
	assert_null(out);
}

static void test_gpiod1_output_active_low(void **state)
{
	struct board_line relay = parse("/dev/gpiochip0:25 active-low", "relay");
	struct gpio_out *out = NULL;

	(void)state;
	assert_int_equal(gpio_out_open(&relay, "hadir-test", &out), 0);
	assert_int_equal(fake[25].request_type, GPIOD_LINE_REQUEST_DIRECTION_OUTPUT);
	assert_int_equal(fake[25].flags, GPIOD_LINE_REQUEST_FLAG_ACTIVE_LOW);
	assert_int_equal(fake[25].value, 0); /* starts inactive */
	assert_int_equal(gpio_out_set(out, true), 0);
	assert_int_equal(fake[25].value, 1); /* logical: the kernel drives the pin low */
	assert_int_equal(gpio_out_set(out, false), 0);
	assert_int_equal(fake[25].value, 0);
	gpio_out_free(out);
	assert_null(fake[25].requested_by);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test_setup_teardown(test_gpiod1_request_flags, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_gpiod1_reads_both_lines_in_time_order, setup,
					    teardown),
	    cmocka_unit_test_setup_teardown(test_gpiod1_small_batches_and_full_queues, setup,
					    teardown),
	    cmocka_unit_test_setup_teardown(test_gpiod1_card_through_backend_and_decoder, setup,
					    teardown),
	    cmocka_unit_test_setup_teardown(test_gpiod1_realtime_stamps_become_monotonic, setup,
					    teardown),
	    cmocka_unit_test_setup_teardown(test_gpiod1_kernel_records, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_gpiod1_busy_line, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_gpiod1_missing_lines, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_gpiod1_output_active_low, setup, teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
