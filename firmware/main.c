// SPDX-License-Identifier: MIT
/*
 * hadir-kiosk: the door daemon and its operator commands (contract in
 * DESIGN.md): init, --check-config, roster import, status, log, verify,
 * enroll, fingerprint enroll|delete.
 * Every command takes --config FILE (default /etc/hadir/kiosk.conf).
 */
#include <errno.h>
#include <getopt.h>
#include <inttypes.h>
#include <jansson.h>
#include <libgen.h>
#include <limits.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "common/clk.h"
#include "common/log.h"
#include "common/tz.h"
#include "firmware/agenda.h"
#include "firmware/board.h"
#include "firmware/fingers.h"
#include "firmware/fpm.h"
#include "firmware/http_client.h" /* HC_ERROR_MAX: the size of a stored sync fact */
#include "firmware/kconfig.h"
#include "firmware/kiosk.h"
#include "firmware/store.h"
#include "firmware/sync.h"
#include "firmware/syncproc.h"
#include "firmware/trust.h" /* the tap path's rule */

struct opts {
	const char *config;
	const char *board;
	char *url; /* from argv: handed on to the sync program as they are */
	char *token;
	char *ca;
	bool json;
	long limit;
};

static void usage(FILE *out)
{
	fprintf(
	    out,
	    "usage: hadir-kiosk [--config FILE]                 run the kiosk daemon\n"
	    "       hadir-kiosk init DIR [--board NAME]         a ready-to-run kiosk in DIR\n"
	    "       hadir-kiosk --check-config [--config FILE]  validate and print the config\n"
	    "       hadir-kiosk roster import FILE.csv          replace the roster\n"
	    "                   (columns nip,name,unit_id,card,fingerprint_id)\n"
	    "       hadir-kiosk plans import FILE.csv           replace the plan items (RHK) "
	    "shown\n"
	    "                   on the screen (columns nip,code,title)\n"
	    "       hadir-kiosk status [--json]                 roster, taps today, outbox, clock\n"
	    "       hadir-kiosk log [--json] [--limit N]        recent taps, newest first\n"
	    "       hadir-kiosk verify                          check the whole hash chain\n"
	    "       hadir-kiosk db create                       make the configured database\n"
	    "                   (once, at installation; never over an existing one)\n"
	    "       hadir-kiosk enroll --url URL --token TOKEN [--ca FILE]\n"
	    "                   get this kiosk's certificate from the collector\n"
	    "       hadir-kiosk fingerprint enroll NIP          with the daemon running: capture\n"
	    "                   a finger on the module and give NIP the credential finger:PAGE\n"
	    "       hadir-kiosk fingerprint delete NIP          remove NIP's fingers from the "
	    "module\n"
	    "       hadir-kiosk --version\n"
	    "Boards: rpi4, rpi5, orangepi-zero3, sim (files in the boards folder).\n");
}

/* Load config and board; on failure print every problem and return -EINVAL. */
static int load_all(const char *path, struct kconfig *cfg, struct board *board)
{
	struct cfg_diag diag = {.len = 0};
	int r;

	r = kconfig_load(path, cfg, &diag);
	if (r == 0)
		r = board_load(cfg->board, board, &diag);
	if (r == 0 && cfg->source == KCONFIG_SOURCE_SIM &&
	    (strcmp(board->d0.chip, "sim") != 0 || strcmp(board->d1.chip, "sim") != 0)) {
		cfg_diag_add(&diag,
			     "%s: [input] source: sim needs a board with sim lines "
			     "(boards/sim.conf), not '%s'",
			     path, board->name);
		r = -EINVAL;
	}
	if (r == 0 && cfg->source == KCONFIG_SOURCE_EVDEV && board->evdev_device[0] == '\0') {
		cfg_diag_add(&diag, "%s: [evdev] device: needed with source = evdev", cfg->board);
		r = -EINVAL;
	}
	if (r == 0) {
		struct tz *tz = NULL;

		r = tz_load(cfg->timezone, &tz);
		if (r < 0)
			cfg_diag_add(&diag, "%s: [kiosk] timezone: unknown zone '%s'", path,
				     cfg->timezone);
		tz_free(tz);
	}
	if (r < 0)
		fputs(diag.text, stderr);
	return r;
}

static int open_store(const struct kconfig *cfg, struct store **st)
{
	int r = store_open(cfg->database, STORE_EXISTING, st);

	if (r < 0)
		fprintf(stderr, "hadir-kiosk: cannot open database '%s': %s\n", cfg->database,
			r == -ENOENT ? "missing (run hadir-kiosk init)" : strerror(-r));
	return r;
}

/* The store and the office's zone, for commands that show local times. */
static int open_store_and_zone(const struct kconfig *cfg, struct store **st, struct tz **tz)
{
	if (open_store(cfg, st) < 0)
		return -1;
	if (tz_load(cfg->timezone, tz) < 0) {
		fprintf(stderr, "hadir-kiosk: unknown time zone '%s'\n", cfg->timezone);
		store_close(*st);
		return -1;
	}
	return 0;
}

/* --- init --- */

/* Board files live beside the binary in a checkout, or in share/ when installed. */
static int find_board(const char *name, char *path, size_t len)
{
	static const char *const beside_exe[] = {"/../boards", "/../../boards",
						 "/../share/hadir/boards"};
	const char *env = getenv("HADIR_BOARDS_DIR");
	char exe[PATH_MAX];
	const char *dir;
	ssize_t n;
	int written;

	if (env) {
		written = snprintf(path, len, "%s/%s.conf", env, name);
		if (written > 0 && (size_t)written < len && access(path, R_OK) == 0)
			return 0;
	}
	n = readlink("/proc/self/exe", exe, sizeof(exe) - 1);
	if (n <= 0)
		return -ENOENT;
	exe[n] = '\0';
	dir = dirname(exe);
	for (size_t i = 0; i < ARRAY_SIZE(beside_exe); i++) {
		written = snprintf(path, len, "%s%s/%s.conf", dir, beside_exe[i], name);
		if (written > 0 && (size_t)written < len && access(path, R_OK) == 0)
			return 0;
	}
	return -ENOENT;
}

static int copy_file(const char *from, const char *to)
{
	char buf[4096];
	FILE *in, *out;
	size_t n;
	int r = 0;

	in = fopen(from, "re");
	if (!in)
		return -errno;
	out = fopen(to, "wxe");
	if (!out) {
		r = -errno;
		fclose(in);
		return r;
	}
	while ((n = fread(buf, 1, sizeof(buf), in)) > 0)
		if (fwrite(buf, 1, n, out) != n)
			r = -EIO;
	if (ferror(in))
		r = -EIO;
	fclose(in);
	if (fclose(out) != 0)
		r = -EIO;
	return r;
}

static int cmd_init(const char *dir, const char *board_name)
{
	char path[PATH_MAX], board_src[PATH_MAX];
	struct store *st;
	FILE *f;
	int r;

	if (!board_name)
		board_name = "sim";
	if (strchr(board_name, '/') || find_board(board_name, board_src, sizeof(board_src)) < 0) {
		fprintf(stderr,
			"hadir-kiosk: no board file for '%s' (rpi4, rpi5, orangepi-zero3, "
			"sim; HADIR_BOARDS_DIR names another folder)\n",
			board_name);
		return 1;
	}
	if (mkdir(dir, 0750) < 0 && errno != EEXIST) {
		fprintf(stderr, "hadir-kiosk: cannot create '%s': %s\n", dir, strerror(errno));
		return 1;
	}
	snprintf(path, sizeof(path), "%s/kiosk.conf", dir);
	if (access(path, F_OK) == 0) {
		fprintf(stderr, "hadir-kiosk: '%s' exists; not overwriting a kiosk\n", path);
		return 1;
	}
	snprintf(path, sizeof(path), "%s/board.conf", dir);
	r = copy_file(board_src, path);
	if (r < 0) {
		fprintf(stderr, "hadir-kiosk: cannot write '%s': %s\n", path, strerror(-r));
		return 1;
	}
	snprintf(path, sizeof(path), "%s/hadir.db", dir);
	r = store_open(path, STORE_CREATE, &st);
	if (r < 0) {
		fprintf(stderr, "hadir-kiosk: cannot create database '%s': %s\n", path,
			strerror(-r));
		return 1;
	}
	store_close(st);

	snprintf(path, sizeof(path), "%s/kiosk.conf", dir);
	f = fopen(path, "wxe");
	if (!f) {
		fprintf(stderr, "hadir-kiosk: cannot write '%s': %s\n", path, strerror(errno));
		return 1;
	}
	fprintf(f,
		"# Hadir kiosk (made by hadir-kiosk init). Paths are relative to this file.\n"
		"# All keys and defaults: hadir-kiosk --check-config --config %s\n\n"
		"[kiosk]\n"
		"name = kiosk\n"
		"database = hadir.db\n"
		"board = board.conf\n"
		"timezone = Asia/Jakarta\n"
		"debounce = 60s\n\n"
		"[input]\n"
		"source = %s\n"
		"sim_socket = sim.sock\n",
		path, strcmp(board_name, "sim") == 0 ? "sim" : "wiegand");
	if (fclose(f) != 0) {
		fprintf(stderr, "hadir-kiosk: cannot write '%s'\n", path);
		return 1;
	}
	printf("kiosk ready in %s (board %s)\n"
	       "  roster: hadir-kiosk roster import staff.csv --config %s\n"
	       "  run:    hadir-kiosk --config %s\n",
	       dir, board_name, path, path);
	return 0;
}

/* --- roster, status, log, verify --- */

static int cmd_roster_import(const struct kconfig *cfg, const char *csv)
{
	char why[ROWS_WHY_MAX];
	unsigned staff, creds;
	struct store *st;
	int r;

	if (open_store(cfg, &st) < 0)
		return 1;
	r = store_roster_import(st, csv, &staff, &creds, why);
	store_close(st);
	if (r < 0) {
		fprintf(stderr, "hadir-kiosk: roster not imported: %s\n", why);
		return 1;
	}
	printf("roster: %u staff, %u credentials\n", staff, creds);
	return 0;
}

static int cmd_plans_import(const struct kconfig *cfg, const char *csv)
{
	char why[ROWS_WHY_MAX];
	struct store *st;
	unsigned n;
	int r;

	if (open_store(cfg, &st) < 0)
		return 1;
	r = agenda_plans_import(st, csv, &n, why);
	store_close(st);
	if (r < 0) {
		fprintf(stderr, "hadir-kiosk: plans not imported: %s\n", why);
		return 1;
	}
	printf("plans: %u items\n", n);
	return 0;
}

static void format_local(int64_t usec, const struct tz *tz, char buf[CLK_ISO_MAX])
{
	int64_t sec = usec / CLK_USEC_PER_SEC - (usec % CLK_USEC_PER_SEC < 0);

	clk_format_offset(sec * CLK_USEC_PER_SEC, tz_offset_at(tz, sec), buf);
}

/* The sync facts `status` shows, in the order of sync_keys. */
static const char *const sync_keys[] = {
    SYNC_KEY_URL,    SYNC_KEY_LAST_OK, SYNC_KEY_LAST_ERROR, SYNC_KEY_LAST_ERROR_AT,
    SYNC_KEY_OFFSET, SYNC_KEY_RTT,     FPM_STATUS_KEY};
struct sync_facts {
	char values[ARRAY_SIZE(sync_keys)][HC_ERROR_MAX];
};

static json_t *json_int_or_null(const char *text)
{
	return text[0] ? json_integer(strtoll(text, NULL, 10)) : json_null();
}

static void print_sync_facts(const struct sync_facts *sy, const struct tz *tz)
{
	char ok_at[CLK_ISO_MAX] = "never", err_at[CLK_ISO_MAX] = "";

	if (sy->values[1][0])
		format_local(strtoll(sy->values[1], NULL, 10), tz, ok_at);
	if (sy->values[3][0])
		format_local(strtoll(sy->values[3], NULL, 10), tz, err_at);
	printf("collector:    %s\n", sy->values[0][0] ? sy->values[0] : "not enrolled");
	printf("last sync:    %s\n", ok_at);
	if (sy->values[2][0])
		printf("last error:   %s (%s)\n", sy->values[2], err_at);
	if (sy->values[4][0])
		printf("clock offset: %+.3f s (collector minus kiosk, round trip %.3f s)\n",
		       (double)strtoll(sy->values[4], NULL, 10) / 1e6,
		       (double)strtoll(sy->values[5], NULL, 10) / 1e6);
	if (sy->values[6][0])
		printf("fingerprint:  %s\n", sy->values[6]);
}

/* How the tap path judges the clock now: NTP, or the collector's time measured in this boot. */
enum clock_verdict { CLOCK_NTP, CLOCK_COLLECTOR, CLOCK_UNMEASURED, CLOCK_DISAGREES };

static const char *const clock_verdict_names[] = {
    [CLOCK_NTP] = "ntp",
    [CLOCK_COLLECTOR] = "collector",
    [CLOCK_UNMEASURED] = "unmeasured",
    [CLOCK_DISAGREES] = "disagrees",
};

/* ret_error_usec: how far from the collector's time (with half the round trip), if measured. */
static enum clock_verdict judge_clock(const struct kconfig *cfg, struct store *st,
				      int64_t *ret_error_usec)
{
	char boot_id[CLK_BOOT_ID_LEN + 1];
	struct record_anchor a;
	int64_t offset;

	if (cfg->trust_ntp && clk_is_ntp_synced())
		return CLOCK_NTP;
	/* An anchor of an earlier boot says nothing of a clock that may have restarted since. */
	if (clk_boot_id(boot_id) < 0 || store_anchor_get(st, boot_id, &a) <= 0)
		return CLOCK_UNMEASURED;
	offset = a.true_usec + (clk_boot_usec() - a.boot_usec) - clk_wall_usec();
	*ret_error_usec = trust_error_usec(offset, a.rtt_usec);
	return *ret_error_usec < TRUST_BOUND_USEC ? CLOCK_COLLECTOR : CLOCK_DISAGREES;
}

static void print_clock(enum clock_verdict clock, int64_t error_usec)
{
	switch (clock) {
	case CLOCK_NTP:
		printf("clock:        trusted (NTP synchronised)\n");
		break;
	case CLOCK_COLLECTOR:
		printf("clock:        trusted (within %.3f s of the collector's time)\n",
		       (double)error_usec / 1e6);
		break;
	case CLOCK_UNMEASURED:
		printf(
		    "clock:        not trusted: not NTP-synchronised and not yet compared with the "
		    "collector's time (records are marked untrusted until then)\n");
		break;
	case CLOCK_DISAGREES:
		printf("clock:        not trusted: %.3f s from the collector's time (records are "
		       "marked untrusted; the collector corrects their times)\n",
		       (double)error_usec / 1e6);
		break;
	}
}

static int cmd_status(const struct kconfig *cfg, bool json)
{
	int64_t now = clk_wall_usec();
	struct sync_facts sy;
	struct store_status s;
	unsigned to_send = 0, to_write = 0;
	enum clock_verdict clock;
	int64_t clock_error = 0;
	int32_t today, sod;
	struct store *st;
	struct tz *tz;
	int r;

	if (open_store_and_zone(cfg, &st, &tz) < 0)
		return 1;
	tz_local(tz, now / CLK_USEC_PER_SEC, &today, &sod);
	r = store_get_status(st, tz_instant(tz, today, 0) * CLK_USEC_PER_SEC,
			     tz_instant(tz, today + 1, 0) * CLK_USEC_PER_SEC, &s);
	if (r >= 0)
		r = store_template_backlog(st, &to_send, &to_write);
	for (size_t i = 0; r >= 0 && i < ARRAY_SIZE(sy.values); i++)
		if (store_sync_get(st, sync_keys[i], sy.values[i], sizeof(sy.values[i])) <= 0)
			sy.values[i][0] = '\0';
	clock = judge_clock(cfg, st, &clock_error);
	store_close(st);
	if (r < 0) {
		fprintf(stderr, "hadir-kiosk: cannot read status: %s\n", strerror(-r));
		tz_free(tz);
		return 1;
	}
	if (json) {
		json_t *o = json_pack(
		    "{s:s,s:i,s:i,s:i,s:i,s:I,s:I,s:I,s:o,s:b,s:b,s:o,s:o,s:o,s:o,s:o,s:o}", "name",
		    cfg->name, "roster_staff", s.roster_staff, "roster_credentials",
		    s.roster_credentials, "taps_today", s.taps_in_range, "accepted_today",
		    s.accepted_in_range, "last_seq", (json_int_t)s.last_seq, "acked_seq",
		    (json_int_t)s.acked_seq, "outbox", (json_int_t)(s.last_seq - s.acked_seq),
		    "outbox_oldest_usec", json_null(), "clock_trusted",
		    clock == CLOCK_NTP || clock == CLOCK_COLLECTOR, "last_record_trusted",
		    s.last_trusted, "collector",
		    sy.values[0][0] ? json_string(sy.values[0]) : json_null(), "last_sync_usec",
		    json_int_or_null(sy.values[1]), "last_error",
		    sy.values[2][0] ? json_string(sy.values[2]) : json_null(), "last_error_usec",
		    json_int_or_null(sy.values[3]), "clock_offset_usec",
		    json_int_or_null(sy.values[4]), "clock_rtt_usec",
		    json_int_or_null(sy.values[5]));

		json_object_set_new(o, "fingerprint",
				    sy.values[6][0] ? json_string(sy.values[6]) : json_null());
		json_object_set_new(o, "clock_trust", json_string(clock_verdict_names[clock]));
		if (clock == CLOCK_COLLECTOR || clock == CLOCK_DISAGREES)
			json_object_set_new(o, "clock_error_usec", json_integer(clock_error));
		json_object_set_new(o, "templates_to_send", json_integer(to_send));
		json_object_set_new(o, "templates_to_write", json_integer(to_write));

		if (s.oldest_unacked_usec)
			json_object_set_new(o, "outbox_oldest_usec",
					    json_integer(s.oldest_unacked_usec));
		json_dumpf(o, stdout, JSON_INDENT(2));
		putchar('\n');
		json_decref(o);
	} else {
		char when[CLK_ISO_MAX] = "none";

		if (s.oldest_unacked_usec)
			format_local(s.oldest_unacked_usec, tz, when);
		printf("kiosk:        %s\n", cfg->name);
		printf("roster:       %u staff, %u credentials\n", s.roster_staff,
		       s.roster_credentials);
		printf("taps today:   %u (%u accepted)\n", s.taps_in_range, s.accepted_in_range);
		printf("records:      last seq %" PRIu64 "\n", s.last_seq);
		printf("outbox:       %" PRIu64 " not yet acknowledged, oldest %s\n",
		       s.last_seq - s.acked_seq, when);
		print_clock(clock, clock_error);
		print_sync_facts(&sy, tz);
		if (to_send || to_write)
			printf("templates:    %u to send to the collector, %u waiting for the "
			       "module\n",
			       to_send, to_write);
	}
	tz_free(tz);
	return 0;
}

struct log_ctx {
	const struct tz *tz;
	json_t *array; /* NULL: text output */
};

static int print_record(void *user, const struct record *rec)
{
	struct log_ctx *ctx = user;
	char when[CLK_ISO_MAX];

	format_local(rec->wall_usec, ctx->tz, when);
	if (ctx->array)
		return json_array_append_new(
			   ctx->array, json_pack("{s:I,s:s,s:I,s:b,s:s,s:s,s:o,s:s,s:s,s:s}", "seq",
						 (json_int_t)rec->seq, "time", when, "wall_usec",
						 (json_int_t)rec->wall_usec, "clock_trusted",
						 rec->clock_trusted, "kind", rec->kind,
						 "credential", rec->credential, "nip",
						 rec->nip[0] ? json_string(rec->nip) : json_null(),
						 "outcome", rec->outcome, "reason", rec->reason,
						 "direction", rec->direction)) < 0
			   ? -ENOMEM
			   : 0;
	printf("%6" PRIu64 "  %s%s %-18s %-18s %-9s %s\n", rec->seq, when,
	       rec->clock_trusted ? " " : "?", rec->credential, rec->nip[0] ? rec->nip : "-",
	       rec->outcome, rec->reason);
	return 0;
}

static int cmd_log(const struct kconfig *cfg, bool json, long limit)
{
	struct log_ctx ctx = {.array = json ? json_array() : NULL};
	struct store *st;
	struct tz *tz;
	int r;

	if (open_store_and_zone(cfg, &st, &tz) < 0)
		return 1;
	ctx.tz = tz;
	if (!json)
		printf("%6s  %-26s %-18s %-18s %-9s %s\n", "seq", "time (? = clock untrusted)",
		       "credential", "nip", "outcome", "reason");
	r = store_each_recent(st, (unsigned)limit, print_record, &ctx);
	store_close(st);
	tz_free(tz);
	if (r < 0) {
		fprintf(stderr, "hadir-kiosk: cannot read the log: %s\n", strerror(-r));
		json_decref(ctx.array);
		return 1;
	}
	if (json) {
		json_dumpf(ctx.array, stdout, JSON_INDENT(2));
		putchar('\n');
		json_decref(ctx.array);
	}
	return 0;
}

/* A database lost by accident must not be replaced silently: this is an explicit step. */
static int cmd_db_create(const struct kconfig *cfg)
{
	struct store *st;
	int r;

	if (access(cfg->database, F_OK) == 0) {
		fprintf(stderr, "hadir-kiosk: '%s' exists; not replacing it\n", cfg->database);
		return 1;
	}
	r = store_open(cfg->database, STORE_CREATE, &st);
	if (r < 0) {
		fprintf(stderr, "hadir-kiosk: cannot create '%s': %s\n", cfg->database,
			strerror(-r));
		return 1;
	}
	store_close(st);
	printf("database created: %s\n", cfg->database);
	return 0;
}

static int cmd_verify(const struct kconfig *cfg)
{
	uint64_t bad = 0;
	struct store *st;
	int r;

	if (open_store(cfg, &st) < 0)
		return 1;
	r = store_verify_chain(st, &bad);
	store_close(st);
	if (r == -EBADMSG) {
		fprintf(stderr, "hadir-kiosk: chain broken at seq %" PRIu64 "\n", bad);
		return 1;
	}
	if (r < 0) {
		fprintf(stderr, "hadir-kiosk: cannot verify: %s\n", strerror(-r));
		return 1;
	}
	printf("chain verifies\n");
	return 0;
}

/*
 * Enrolment speaks HTTPS, which only the sync program links: run it with this
 * command's arguments, so the daemon never maps libcurl.
 */
static int cmd_enroll(const struct kconfig *cfg, const struct opts *o)
{
	char program[PATH_MAX], config[PATH_MAX];
	char *argv[12];
	size_t n = 0;
	int r;

	if (!o->url || !o->token) {
		fprintf(stderr, "hadir-kiosk: enroll needs --url URL and --token TOKEN\n");
		return 2;
	}
	r = syncproc_program(cfg, program, sizeof(program));
	if (r < 0) {
		fprintf(stderr, "hadir-kiosk: no sync program '%s' ([sync] helper): %s\n", program,
			strerror(-r));
		return 1;
	}
	snprintf(config, sizeof(config), "%s", cfg->path);
	argv[n++] = program;
	argv[n++] = "enroll";
	argv[n++] = "--config";
	argv[n++] = config;
	argv[n++] = "--url";
	argv[n++] = o->url;
	argv[n++] = "--token";
	argv[n++] = o->token;
	if (o->ca) {
		argv[n++] = "--ca";
		argv[n++] = o->ca;
	}
	argv[n] = NULL;
	fflush(stdout);
	execv(program, argv);
	fprintf(stderr, "hadir-kiosk: cannot run '%s': %s\n", program, strerror(errno));
	return 1;
}

/* Ask the running daemon, over its control socket, to enrol or delete NIP's finger. */
static int cmd_fingerprint(const struct kconfig *cfg, const struct board *board, const char *what,
			   const char *nip)
{
	char line[96], reply[256];
	int r;

	if (board->fp_uart[0] == '\0') {
		fprintf(stderr,
			"hadir-kiosk: board '%s' has no fingerprint module ([fingerprint] uart)\n",
			board->name);
		return 1;
	}
	if (strlen(nip) >= 40) {
		fprintf(stderr, "hadir-kiosk: '%s' is not an NIP\n", nip);
		return 2;
	}
	snprintf(line, sizeof(line), "fingerprint %s %s", what, nip);
	if (strcmp(what, "enroll") == 0)
		printf("enrolling %s: follow the kiosk's beeps (place, lift, place again)\n", nip);
	r = fingers_request(cfg->control_socket, line, 3 * cfg->fp_enroll_wait_ms + 30000, reply,
			    sizeof(reply));
	if (r < 0) {
		fprintf(stderr, "hadir-kiosk: no answer from the daemon on '%s': %s%s\n",
			cfg->control_socket, strerror(-r),
			r == -ENOENT || r == -ECONNREFUSED ? " (is hadir-kiosk running?)" : "");
		return 1;
	}
	printf("%s\n", reply);
	return strncmp(reply, "enrolled ", 9) == 0 || strncmp(reply, "deleted ", 8) == 0 ? 0 : 1;
}

static int run_daemon(const struct kconfig *cfg, const struct board *board)
{
	struct kiosk *k;
	int r;

	r = kiosk_new(cfg, board, &k);
	if (r < 0)
		return 1;
	r = kiosk_run(k);
	kiosk_free(k);
	return r < 0 ? 1 : 0;
}

int main(int argc, char **argv)
{
	static const struct option long_opts[] = {
	    {"config", required_argument, NULL, 'c'},
	    {"board", required_argument, NULL, 'b'},
	    {"json", no_argument, NULL, 'j'},
	    {"limit", required_argument, NULL, 'n'},
	    {"url", required_argument, NULL, 'u'},
	    {"token", required_argument, NULL, 't'},
	    {"ca", required_argument, NULL, 'a'},
	    {"check-config", no_argument, NULL, 'C'},
	    {"version", no_argument, NULL, 'V'},
	    {"help", no_argument, NULL, 'h'},
	    {NULL, 0, NULL, 0},
	};
	struct opts o = {.config = KCONFIG_DEFAULT_PATH, .limit = 20};
	bool check_config = false;
	struct kconfig cfg;
	struct board board;
	const char *cmd;
	char *end;
	int c;

	log_init_from_env();
	while ((c = getopt_long(argc, argv, "c:h", long_opts, NULL)) != -1) {
		switch (c) {
		case 'c':
			o.config = optarg;
			break;
		case 'b':
			o.board = optarg;
			break;
		case 'j':
			o.json = true;
			break;
		case 'n':
			o.limit = strtol(optarg, &end, 10);
			if (*end || o.limit < 1 || o.limit > 1000000) {
				fprintf(stderr, "hadir-kiosk: --limit takes 1 to 1000000\n");
				return 2;
			}
			break;
		case 'u':
			o.url = optarg;
			break;
		case 't':
			o.token = optarg;
			break;
		case 'a':
			o.ca = optarg;
			break;
		case 'C':
			check_config = true;
			break;
		case 'V':
			printf("hadir-kiosk %s\n", HADIR_VERSION);
			return 0;
		case 'h':
			usage(stdout);
			return 0;
		default:
			usage(stderr);
			return 2;
		}
	}
	cmd = optind < argc ? argv[optind] : NULL;

	if (cmd && strcmp(cmd, "init") == 0) {
		if (argc - optind != 2) {
			usage(stderr);
			return 2;
		}
		return cmd_init(argv[optind + 1], o.board);
	}
	if (load_all(o.config, &cfg, &board) < 0)
		return 1;
	kconfig_apply_log_level(&cfg);
	if (check_config) {
		printf("# %s: valid; board %s (%s)\n", o.config, board.name, board.description);
		kconfig_print(stdout, &cfg);
		return 0;
	}
	if (!cmd)
		return run_daemon(&cfg, &board);
	if (strcmp(cmd, "roster") == 0 && argc - optind == 3 &&
	    strcmp(argv[optind + 1], "import") == 0)
		return cmd_roster_import(&cfg, argv[optind + 2]);
	if (strcmp(cmd, "plans") == 0 && argc - optind == 3 &&
	    strcmp(argv[optind + 1], "import") == 0)
		return cmd_plans_import(&cfg, argv[optind + 2]);
	if (strcmp(cmd, "status") == 0 && argc - optind == 1)
		return cmd_status(&cfg, o.json);
	if (strcmp(cmd, "log") == 0 && argc - optind == 1)
		return cmd_log(&cfg, o.json, o.limit);
	if (strcmp(cmd, "verify") == 0 && argc - optind == 1)
		return cmd_verify(&cfg);
	if (strcmp(cmd, "db") == 0 && argc - optind == 2 && strcmp(argv[optind + 1], "create") == 0)
		return cmd_db_create(&cfg);
	if (strcmp(cmd, "enroll") == 0 && argc - optind == 1)
		return cmd_enroll(&cfg, &o);
	if (strcmp(cmd, "fingerprint") == 0 && argc - optind == 3 &&
	    (strcmp(argv[optind + 1], "enroll") == 0 || strcmp(argv[optind + 1], "delete") == 0))
		return cmd_fingerprint(&cfg, &board, argv[optind + 1], argv[optind + 2]);
	usage(stderr);
	return 2;
}
