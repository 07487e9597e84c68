// SPDX-License-Identifier: MIT
/*
 * hadir-collector: argument parsing and the subcommands. Every subcommand
 * takes --config FILE (default /etc/hadir/collector.conf) and works on the
 * configured database directly, also while the service runs.
 *
 *   hadir-collector [--config FILE]                 run the service
 *   hadir-collector [--config FILE] --check-config  validate and print settings
 *   hadir-collector init DIR [--listen HOST:PORT] [--host NAME]
 *   hadir-collector device add NAME [--unit U1[,U2]] | units NAME [--unit U1[,U2]] |
 *                          list [--json] | disable NAME
 *   hadir-collector import KIND FILE.csv
 *   hadir-collector taps [--nip N] [--from DATE] [--to DATE] [--json]
 *   hadir-collector alerts [--json]
 *   hadir-collector devices [--json]
 *   hadir-collector report discipline|units --from DATE --to DATE [--unit ID]
 *                   [--format json|csv|xlsx] [--output FILE]
 *                   [--search Q] [--sort KEY] [--order asc|desc] [--columns all|page]
 *   hadir-collector report days --nip NIP --from DATE --to DATE [--format …] [--output FILE]
 *   hadir-collector fingerprint enroll --device NAME --nip NIP | list [--json] | rekey
 *   hadir-collector user add NAME --role R [--unit U1,U2] [--nip N] [--generate]
 *   hadir-collector user list [--json] | disable NAME | passwd NAME [--generate]
 *   hadir-collector token add --role R [--unit U1,U2] [--nip N]
 *   hadir-collector audit [--from D] [--to D] [--actor A] [--action X] [--format json|csv]
 *   hadir-collector report activities --from DATE --to DATE [--unit ID]
 *                   [--format json|csv|xlsx] [--output FILE]
 */
#include <errno.h>
#include <inttypes.h>
#include <limits.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <termios.h>
#include <unistd.h>

#include <jansson.h>

#include "common/clk.h"
#include "common/crypto.h"
#include "common/log.h"
#include "common/tz.h"
#include "server/account.h"
#include "server/audit.h"
#include "server/chain_audit.h"
#include "server/activities.h"
#include "server/api_templates.h"
#include "server/vault.h"
#include "server/config.h"
#include "server/db.h"
#include "server/devices.h"
#include "server/discipline.h"
#include "server/import.h"
#include "server/page_tables.h"
#include "server/recap.h"
#include "server/server.h"
#include "server/site.h"

#define MAX_ARGS 16

struct args {
	const char *config;
	const char *pos[MAX_ARGS]; /* positional words, options removed */
	size_t n_pos;
	const char *listen, *host, *nip, *from, *to, *role, *unit, *device;
	const char *format, *output; /* report, audit */
	const char *actor, *action;
	const char *search, *sort, *order, *columns; /* report discipline: the unit page's view */
	bool is_json, is_check_config, is_version, is_help, is_generate;
};

static void usage(FILE *out)
{
	fprintf(
	    out,
	    "usage: hadir-collector [--config FILE] [--check-config]\n"
	    "       hadir-collector init DIR [--listen HOST:PORT] [--host NAME]\n"
	    "       hadir-collector [--config FILE] device add NAME [--unit U1[,U2]] |"
	    " units NAME [--unit U1[,U2]] | list [--json] | disable NAME\n"
	    "       hadir-collector [--config FILE] import"
	    " units|staff|schedules|holidays|leave|taps|plans FILE.csv\n"
	    "       hadir-collector [--config FILE] taps [--nip N] [--from DATE] [--to DATE]"
	    " [--json]\n"
	    "       hadir-collector [--config FILE] alerts [--json]\n"
	    "       hadir-collector [--config FILE] verify [--device NAME] [--json]\n"
	    "       hadir-collector [--config FILE] devices [--json]\n"
	    "       hadir-collector [--config FILE] user add NAME --role ROLE [--unit U1,U2]"
	    " [--nip N] [--generate]\n"
	    "       hadir-collector [--config FILE] user list [--json] | disable NAME |"
	    " passwd NAME [--generate]\n"
	    "       hadir-collector [--config FILE] token add --role ROLE [--unit U1,U2]"
	    " [--nip N]\n"
	    "       hadir-collector [--config FILE] audit [--from DATE] [--to DATE] [--actor A]"
	    " [--action X] [--format json|csv]\n"
	    "       hadir-collector [--config FILE] report discipline|units|activities --from DATE"
	    " --to DATE [--unit ID] [--format json|csv|xlsx] [--output FILE]\n"
	    "                       (discipline: [--search Q] [--sort KEY] [--order asc|desc]"
	    " [--columns all|page])\n"
	    "       hadir-collector [--config FILE] report days --nip NIP --from DATE --to DATE"
	    " [--format json|csv|xlsx] [--output FILE]\n"
	    "       hadir-collector [--config FILE] fingerprint enroll --device NAME --nip NIP |"
	    " list [--json] | rekey\n"
	    "       hadir-collector --version\n"
	    "FILE defaults to %s. DATE is YYYY-MM-DD (UTC, --to inclusive) or an ISO 8601"
	    " instant.\nROLE is superadmin, unit_admin (with --unit), supervisor or staff"
	    " (with --nip). A password is\nread from standard input (asked twice, unechoed,"
	    " on a terminal), or made up with --generate.\n",
	    CONFIG_DEFAULT_PATH);
}

static int parse_args(int argc, char **argv, struct args *a)
{
	static const struct {
		const char *name;
		size_t offset;
	} valued[] = {
	    {"--config", offsetof(struct args, config)},
	    {"--listen", offsetof(struct args, listen)},
	    {"--host", offsetof(struct args, host)},
	    {"--nip", offsetof(struct args, nip)},
	    {"--from", offsetof(struct args, from)},
	    {"--to", offsetof(struct args, to)},
	    {"--role", offsetof(struct args, role)},
	    {"--unit", offsetof(struct args, unit)},
	    {"--format", offsetof(struct args, format)},
	    {"--output", offsetof(struct args, output)},
	    {"--actor", offsetof(struct args, actor)},
	    {"--action", offsetof(struct args, action)},
	    {"--device", offsetof(struct args, device)},
	    {"--search", offsetof(struct args, search)},
	    {"--sort", offsetof(struct args, sort)},
	    {"--order", offsetof(struct args, order)},
	    {"--columns", offsetof(struct args, columns)},
	};

	for (int i = 1; i < argc; i++) {
		const char *arg = argv[i];
		bool done = false;

		for (size_t k = 0; k < ARRAY_SIZE(valued) && !done; k++) {
			if (strcmp(arg, valued[k].name) != 0)
				continue;
			if (i + 1 >= argc) {
				fprintf(stderr, "hadir-collector: %s needs a value\n", arg);
				return -EINVAL;
			}
			*(const char **)(void *)((char *)a + valued[k].offset) = argv[++i];
			done = true;
		}
		if (done)
			continue;
		if (strcmp(arg, "--json") == 0)
			a->is_json = true;
		else if (strcmp(arg, "--check-config") == 0)
			a->is_check_config = true;
		else if (strcmp(arg, "--generate") == 0)
			a->is_generate = true;
		else if (strcmp(arg, "--version") == 0)
			a->is_version = true;
		else if (strcmp(arg, "--help") == 0 || strcmp(arg, "-h") == 0)
			a->is_help = true;
		else if (arg[0] == '-' && arg[1] != '\0') {
			fprintf(stderr, "hadir-collector: unknown option '%s'\n", arg);
			return -EINVAL;
		} else if (a->n_pos < MAX_ARGS)
			a->pos[a->n_pos++] = arg;
		else
			return -E2BIG;
	}
	if (!a->config)
		a->config = CONFIG_DEFAULT_PATH;
	return 0;
}

static int load_config(const char *path, struct config *cfg)
{
	struct cfg_diag diag = {.len = 0};
	int r;

	r = config_load(path, cfg, &diag);
	if (r < 0)
		fprintf(stderr, "%s", diag.text);
	return r;
}

static int open_db(const struct args *a, struct config *cfg, struct db **ret_db)
{
	int r;

	r = load_config(a->config, cfg);
	if (r < 0)
		return r;
	r = db_open(cfg, ret_db);
	if (r < 0)
		fprintf(stderr, "hadir-collector: cannot open the database '%s': %s\n",
			cfg->database, strerror(-r));
	return r;
}

static int cmd_init(const struct args *a)
{
	struct site_init_opts opts = {.listen = a->listen, .host_name = a->host};
	char token[CRYPTO_TOKEN_LEN + 1];
	int r;

	if (a->n_pos != 2) {
		usage(stderr);
		return 2;
	}
	opts.dir = a->pos[1];
	r = site_init(&opts, token);
	if (r < 0)
		return 1;
	printf("site created in %s\n", opts.dir);
	printf("run: hadir-collector --config %s/collector.conf\n", opts.dir);
	printf("admin token: %s\n", token);
	return 0;
}

struct devices_out {
	struct db *db;
	json_t *arr;	/* --json */
	json_t *units;	/* of the device being printed, --json */
	char text[256]; /* of the device being printed: "U1,U2" */
};

static int add_unit(const struct db_unit *unit, void *user)
{
	struct devices_out *out = user;
	size_t len = strlen(out->text);

	if (out->units && json_array_append_new(out->units, json_string(unit->unit_id)) < 0)
		return -ENOMEM;
	snprintf(out->text + len, sizeof(out->text) - len, "%s%s", len ? "," : "", unit->unit_id);
	return 0;
}

static int print_device(const struct db_device *dev, void *user)
{
	struct devices_out *out = user;
	json_t *arr = out->arr;
	char when[CLK_ISO_MAX] = "";
	int r;

	if (dev->is_enrolled)
		clk_format_utc(dev->enrolled_usec, when);
	out->text[0] = '\0';
	out->units = arr ? json_array() : NULL;
	r = arr && !out->units ? -ENOMEM : db_device_units(out->db, dev->id, add_unit, out);
	if (r < 0) {
		json_decref(out->units);
		return r;
	}
	if (arr) {
		json_t *o =
		    json_pack("{s:s,s:s,s:s?,s:s?,s:s?,s:I,s:I,s:o}", "name", dev->name, "state",
			      dev->is_disabled	 ? "disabled"
			      : dev->is_enrolled ? "enrolled"
						 : "pending",
			      "enrolled", dev->is_enrolled ? when : NULL, "cert_serial",
			      dev->is_enrolled ? dev->cert_serial : NULL, "cert_sha256",
			      dev->is_enrolled ? dev->cert_fingerprint : NULL, "acked_seq",
			      (json_int_t)dev->acked_seq, "signed_seq", (json_int_t)dev->signed_seq,
			      "units", out->units);

		if (!o || json_array_append_new(arr, o) < 0)
			return -ENOMEM;
		return 0;
	}
	printf("%-24s %-9s %-22s %-10" PRIu64 " %s\n", dev->name,
	       dev->is_disabled	  ? "disabled"
	       : dev->is_enrolled ? "enrolled"
				  : "pending",
	       dev->is_enrolled ? when : "-", dev->acked_seq,
	       out->text[0] ? out->text : "(all units)");
	return 0;
}

static int dump_json(json_t *j)
{
	int r = json_dumpf(j, stdout, JSON_INDENT(2)) < 0 ? -EIO : 0;

	json_decref(j);
	putchar('\n');
	return r;
}

#define DEVICE_UNITS_MAX 32

static int count_unit(const struct db_unit *unit, void *user)
{
	(void)unit;
	(*(size_t *)user)++;
	return 0;
}

/* Split --unit "U1,U2" (edited in place) into ids of stored units; says what is wrong. */
static int parse_units(struct db *db, char *list, const char **ids, size_t *ret_n)
{
	char *save = NULL;
	size_t n = 0;

	for (char *id = strtok_r(list, ",", &save); id; id = strtok_r(NULL, ",", &save)) {
		struct db_org_query q = {.unit_id = id};
		size_t found = 0;
		int r;

		if (n == DEVICE_UNITS_MAX) {
			fprintf(stderr, "hadir-collector: --unit: at most %d units\n",
				DEVICE_UNITS_MAX);
			return -E2BIG;
		}
		r = db_units(db, &q, count_unit, &found);
		if (r < 0)
			return r;
		if (!found) {
			fprintf(stderr,
				"hadir-collector: --unit: no unit '%s' (import units first)\n", id);
			return -ENOENT;
		}
		ids[n++] = id;
	}
	*ret_n = n;
	return 0;
}

static int find_device(const struct db_device *dev, void *user)
{
	struct db_device *want = user;

	if (strcmp(dev->name, want->name) == 0)
		*want = *dev;
	return 0;
}

/* device units NAME [--unit U1,U2]: serve these units from now on (none: every unit). */
static int device_units(const struct args *a, struct db *db)
{
	char list[512] = "";
	const char *ids[DEVICE_UNITS_MAX];
	struct db_device dev = {.id = 0};
	size_t n = 0;
	int r;

	snprintf(list, sizeof(list), "%s", a->unit ? a->unit : "");
	snprintf(dev.name, sizeof(dev.name), "%s", a->pos[2]);
	r = parse_units(db, list, ids, &n);
	if (r == 0)
		r = db_device_list(db, find_device, &dev);
	if (r == 0 && dev.id == 0) {
		fprintf(stderr, "hadir-collector: no device '%s'\n", a->pos[2]);
		return -ENOENT;
	}
	if (r >= 0)
		r = db_device_units_set(db, dev.id, ids, n);
	if (r == 0)
		printf("device %s serves %s%s\n", a->pos[2], n ? "units " : "every unit",
		       a->unit ? a->unit : "");
	return r;
}

/* device add NAME [--unit U1,U2]: the token alone on the last line. */
static int device_add(const struct args *a, const struct config *cfg, struct db *db)
{
	char token[CRYPTO_TOKEN_LEN + 1], hash[CRYPTO_SHA256_HEX], when[CLK_ISO_MAX];
	char list[512] = "";
	const char *ids[DEVICE_UNITS_MAX];
	struct db_device dev;
	int64_t expires;
	size_t n = 0;
	int r;

	snprintf(list, sizeof(list), "%s", a->unit ? a->unit : "");
	r = parse_units(db, list, ids, &n);
	if (r < 0)
		return r;
	r = site_device_add(cfg, db, a->pos[2], token, &expires);
	if (r == -EEXIST)
		fprintf(stderr, "hadir-collector: device '%s' exists\n", a->pos[2]);
	else if (r == -EINVAL)
		fprintf(stderr,
			"hadir-collector: '%s': a device name is 1 to 64 of A-Z a-z 0-9 . _ -\n",
			a->pos[2]);
	if (r < 0)
		return r;
	crypto_token_hash(token, hash);
	r = db_device_by_token(db, hash, clk_wall_usec(), &dev);
	if (r == 0)
		r = db_device_units_set(db, dev.id, ids, n);
	if (r < 0) {
		fprintf(stderr, "hadir-collector: device '%s' added, but not its units: %s\n",
			a->pos[2], strerror(-r));
		return r;
	}
	clk_format_utc(expires, when);
	printf("device %s added for %s%s; enrolment token valid until %s (use it once):\n",
	       a->pos[2], n ? "units " : "all units", a->unit ? a->unit : "", when);
	printf("%s\n", token);
	return 0;
}

static int cmd_device(const struct args *a)
{
	const char *verb = a->n_pos >= 2 ? a->pos[1] : "";
	struct config cfg;
	struct db *db;
	int r;

	if (!((strcmp(verb, "add") == 0 && a->n_pos == 3) ||
	      (strcmp(verb, "disable") == 0 && a->n_pos == 3) ||
	      (strcmp(verb, "units") == 0 && a->n_pos == 3) ||
	      (strcmp(verb, "list") == 0 && a->n_pos == 2))) {
		usage(stderr);
		return 2;
	}
	if (open_db(a, &cfg, &db) < 0)
		return 1;
	if (strcmp(verb, "add") == 0) {
		r = device_add(a, &cfg, db);
	} else if (strcmp(verb, "units") == 0) {
		r = device_units(a, db);
	} else if (strcmp(verb, "disable") == 0) {
		r = db_device_disable(db, a->pos[2]);
		if (r == 0)
			printf("device %s disabled\n", a->pos[2]);
		else if (r == -ENOENT)
			fprintf(stderr, "hadir-collector: no device '%s'\n", a->pos[2]);
	} else if (a->is_json) {
		struct devices_out out = {.db = db, .arr = json_array()};

		r = out.arr ? db_device_list(db, print_device, &out) : -ENOMEM;
		if (r == 0)
			r = dump_json(out.arr);
		else
			json_decref(out.arr);
	} else {
		struct devices_out out = {.db = db};

		r = db_device_list(db, print_device, &out);
	}
	db_close(db);
	return r < 0 ? 1 : 0;
}

/* A date (midnight UTC; with is_end the next midnight) or an ISO 8601 instant. */
/* --from and --to, when given, as instants; an error message when malformed. */
static int parse_period(const struct args *a, int64_t *from_usec, int64_t *to_usec)
{
	if ((a->from && clk_parse_day_or_instant(a->from, false, from_usec) < 0) ||
	    (a->to && clk_parse_day_or_instant(a->to, true, to_usec) < 0)) {
		fprintf(stderr,
			"hadir-collector: --from/--to: YYYY-MM-DD or an ISO 8601 instant\n");
		return -EINVAL;
	}
	return 0;
}

struct taps_out {
	json_t *arr;
	unsigned n;
};

static int print_tap(const struct db_tap *t, void *user)
{
	struct taps_out *out = user;
	char rec[CLK_ISO_MAX], cor[CLK_ISO_MAX] = "";

	clk_format_utc(t->wall_usec, rec);
	if (t->has_corrected)
		clk_format_utc(t->corrected_usec, cor);
	out->n++;
	if (out->arr) {
		json_t *o =
		    json_pack("{s:s,s:I,s:s,s:I,s:s?,s:o,s:b,s:s,s:s,s:s,s:s,s:I}", "device",
			      t->device, "seq", (json_int_t)t->seq, "recorded", rec,
			      "recorded_usec", (json_int_t)t->wall_usec, "corrected",
			      t->has_corrected ? cor : NULL, "corrected_usec",
			      t->has_corrected ? json_integer(t->corrected_usec) : json_null(),
			      "clock_trusted", t->clock_trusted, "nip", t->nip, "outcome",
			      t->outcome, "credential", t->credential, "direction", t->direction,
			      "received_usec", (json_int_t)t->received_usec);

		if (!o || json_array_append_new(out->arr, o) < 0)
			return -ENOMEM;
		return 0;
	}
	printf("%-22s %-22s %-20s %-9s %s #%" PRIu64 "\n", rec, t->has_corrected ? cor : "-",
	       t->nip[0] ? t->nip : "-", t->outcome, t->device, t->seq);
	return 0;
}

static int cmd_taps(const struct args *a)
{
	struct db_tap_query q = {.nip = a->nip, .from_usec = INT64_MIN, .to_usec = INT64_MAX};
	struct taps_out out = {.arr = NULL};
	struct config cfg;
	struct db *db;
	int r;

	if (a->n_pos != 1) {
		usage(stderr);
		return 2;
	}
	if (parse_period(a, &q.from_usec, &q.to_usec) < 0)
		return 2;
	if (open_db(a, &cfg, &db) < 0)
		return 1;
	if (a->is_json) {
		out.arr = json_array();
		if (!out.arr) {
			db_close(db);
			return 1;
		}
	}
	r = db_taps(db, &q, print_tap, &out);
	db_close(db);
	if (out.arr) {
		if (r == 0)
			r = dump_json(out.arr);
		else
			json_decref(out.arr);
	}
	return r < 0 ? 1 : 0;
}

static int print_alert(const struct db_alert *al, void *user)
{
	char when[CLK_ISO_MAX];
	json_t *arr = user;

	clk_format_utc(al->created_usec, when);
	if (arr) {
		json_t *o = json_pack("{s:s,s:I,s:s,s:s,s:s}", "device", al->device, "seq",
				      (json_int_t)al->seq, "kind", al->kind, "detail", al->detail,
				      "raised", when);

		if (!o || json_array_append_new(arr, o) < 0)
			return -ENOMEM;
		return 0;
	}
	printf("%-22s %-24s %8" PRIu64 " %-8s %s\n", when, al->device, al->seq, al->kind,
	       al->detail);
	return 0;
}

static int cmd_alerts(const struct args *a)
{
	struct config cfg;
	json_t *arr = NULL;
	struct db *db;
	int r;

	if (a->n_pos != 1) {
		usage(stderr);
		return 2;
	}
	if (open_db(a, &cfg, &db) < 0)
		return 1;
	if (a->is_json)
		arr = json_array();
	r = a->is_json && !arr ? -ENOMEM : db_alerts(db, print_alert, arr);
	db_close(db);
	if (arr) {
		if (r == 0)
			r = dump_json(arr);
		else
			json_decref(arr);
	}
	return r < 0 ? 1 : 0;
}

struct verify_out {
	struct db *db;
	const char *only; /* --device NAME, or NULL for every enrolled kiosk */
	json_t *arr;	  /* --json */
	unsigned n, failed;
};

static int verify_device(const struct db_device *dev, void *user)
{
	struct verify_out *out = user;
	struct chain_audit a;
	char missing[48] = "", head[64] = "none kept";
	int r;

	if (!dev->is_enrolled || (out->only && strcmp(out->only, dev->name) != 0))
		return 0;
	r = chain_audit_device(out->db, dev, &a);
	if (r < 0)
		return r;
	out->n++;
	out->failed += chain_audit_failed(&a);
	if (out->arr)
		return json_array_append_new(
		    out->arr,
		    json_pack(
			"{s:s,s:I,s:I,s:I,s:b,s:s?,s:o,s:o,s:s,s:b}", "device", dev->name,
			"records", (json_int_t)a.records, "last_seq", (json_int_t)a.last_seq,
			"missing", (json_int_t)a.missing, "intact", a.first_bad_seq == 0, "problem",
			a.problem[0] ? a.problem : NULL, "first_bad_seq",
			a.first_bad_seq ? json_integer((json_int_t)a.first_bad_seq) : json_null(),
			"signed_seq",
			a.head_seq ? json_integer((json_int_t)a.head_seq) : json_null(),
			"signature", chain_head_state_name(a.head), "ok", !chain_audit_failed(&a)));
	if (a.missing)
		snprintf(missing, sizeof(missing), ", %" PRIu64 " not (yet) received", a.missing);
	if (a.head_seq)
		snprintf(head, sizeof(head), "seq %" PRIu64 ", %s", a.head_seq,
			 a.head == CHAIN_HEAD_DOES_NOT ? "DOES NOT VERIFY"
						       : chain_head_state_name(a.head));
	printf("%s: %" PRIu64 " records, last seq %" PRIu64 "%s; chain %s; signed head: %s\n",
	       dev->name, a.records, a.last_seq, missing, a.problem[0] ? a.problem : "intact",
	       head);
	return 0;
}

/* Walk each enrolled kiosk's stored chain and check its signed head; 1 when anything is wrong. */
static int cmd_verify(const struct args *a)
{
	struct verify_out out = {.only = a->device};
	struct config cfg;
	int r;

	if (a->n_pos != 1) {
		usage(stderr);
		return 2;
	}
	if (open_db(a, &cfg, &out.db) < 0)
		return 1;
	if (a->is_json)
		out.arr = json_array();
	r = a->is_json && !out.arr ? -ENOMEM : db_device_list(out.db, verify_device, &out);
	db_close(out.db);
	if (r < 0) {
		fprintf(stderr, "hadir-collector: verify: %s\n", strerror(-r));
		json_decref(out.arr);
		return 1;
	}
	if (a->device && out.n == 0) {
		fprintf(stderr, "hadir-collector: verify: no enrolled device '%s'\n", a->device);
		json_decref(out.arr);
		return 1;
	}
	if (out.arr && dump_json(out.arr) < 0)
		return 1;
	return out.failed ? 1 : 0;
}

/* A time the overview gives (an integer, or null) as "2025-03-03T00:41:00Z" or "-". */
static const char *when_of(const json_t *usec, char buf[CLK_ISO_MAX])
{
	if (!json_is_integer(usec))
		return "-";
	clk_format_utc(json_integer_value(usec), buf);
	return buf;
}

/* One line per kiosk: the overview's fields the dashboard shows. */
static void print_devices(const json_t *devices)
{
	const json_t *d, *u;
	size_t i, j;

	printf("%-20s %-16s %-22s %8s %12s %6s %s\n", "NAME", "UNITS", "LAST SYNC", "OUTBOX",
	       "OFFSET (s)", "ALERTS", "STATE");
	json_array_foreach(devices, i, d)
	{
		const json_t *offset = json_object_get(d, "clock_offset_usec");
		const json_t *outbox = json_object_get(d, "outbox");
		char units[128] = "", when[CLK_ISO_MAX], off[24] = "-", box[24] = "-";

		json_array_foreach(json_object_get(d, "units"), j, u)
		{
			size_t len = strlen(units);

			snprintf(units + len, sizeof(units) - len, "%s%s", len ? "," : "",
				 json_string_value(u));
		}
		if (json_is_integer(offset))
			snprintf(off, sizeof(off), "%+.3f",
				 (double)json_integer_value(offset) / CLK_USEC_PER_SEC);
		if (json_is_integer(outbox))
			snprintf(box, sizeof(box), "%" JSON_INTEGER_FORMAT,
				 json_integer_value(outbox));
		printf("%-20s %-16s %-22s %8s %12s %6" JSON_INTEGER_FORMAT " %s\n",
		       json_string_value(json_object_get(d, "name")), units[0] ? units : "-",
		       when_of(json_object_get(d, "last_sync_usec"), when), box, off,
		       json_integer_value(json_object_get(d, "alerts")),
		       json_is_true(json_object_get(d, "disabled")) ? "disabled"
		       : json_is_true(json_object_get(d, "stale"))  ? "stale"
								    : "ok");
	}
}

/* devices [--json]: every kiosk's last sync, health and alerts, as GET /api/v1/devices. */
static int cmd_devices(const struct args *a)
{
	struct config cfg;
	struct db *db;
	json_t *obj;
	int r;

	if (a->n_pos != 1) {
		usage(stderr);
		return 2;
	}
	if (open_db(a, &cfg, &db) < 0)
		return 1;
	r = devices_overview(db, NULL, cfg.stale_after_ms * 1000, clk_wall_usec(), &obj);
	db_close(db);
	if (r < 0) {
		fprintf(stderr, "hadir-collector: devices: %s\n", strerror(-r));
		return 1;
	}
	if (a->is_json)
		return dump_json(obj) < 0 ? 1 : 0;
	print_devices(json_object_get(obj, "devices"));
	json_decref(obj);
	return 0;
}

/* --- report --- */

/* Write len bytes to --output (replaced whole: a temporary file, then rename) or stdout. */
static int write_output(const char *path, const char *data, size_t len)
{
	char tmp[PATH_MAX];
	FILE *out = stdout;
	int r = 0;

	if (path) {
		if (snprintf(tmp, sizeof(tmp), "%s.tmp", path) >= (int)sizeof(tmp))
			return -ENAMETOOLONG;
		out = fopen(tmp, "we");
		if (!out) {
			r = -errno;
			fprintf(stderr, "hadir-collector: cannot write '%s': %s\n", tmp,
				strerror(-r));
			return r;
		}
	}
	if (fwrite(data, 1, len, out) != len)
		r = -EIO;
	if (path) {
		if (fclose(out) != 0 && r == 0)
			r = -EIO;
		if (r == 0 && rename(tmp, path) < 0)
			r = -errno;
		if (r < 0) {
			(void)unlink(tmp);
			fprintf(stderr, "hadir-collector: cannot write '%s': %s\n", path,
				strerror(-r));
		}
	} else if (fflush(stdout) != 0) {
		r = -EIO;
	}
	return r;
}

/* Write a report's bytes made with result r (JSON ends its line on a terminal); frees data. */
static int emit_report(const struct args *a, enum discipline_format format, char *data, size_t len,
		       int r)
{
	if (r == 0)
		r = write_output(a->output, data, len);
	if (r == 0 && format == DISCIPLINE_JSON && !a->output)
		putchar('\n');
	free(data);
	return r;
}

static int report_run(const struct args *a, struct db *db, const char *dir,
		      const struct discipline_query *q, enum discipline_report report,
		      enum discipline_format format)
{
	char why[DISCIPLINE_WHY_MAX] = "";
	struct discipline *d = NULL;
	json_t *root = NULL;
	char *data = NULL;
	size_t len = 0;
	int r;

	if (q->nip)
		r = discipline_explain(db, dir, q, &root, why);
	else
		r = discipline_run(db, dir, q, &d, why);
	if (r < 0) {
		fprintf(stderr, "hadir-collector: report: %s\n", why[0] ? why : strerror(-r));
		return r;
	}
	if (root && format == DISCIPLINE_JSON) {
		r = report_dumps(root, &data);
		len = data ? strlen(data) : 0;
	} else if (root) {
		r = page_days_table(root, format, &data, &len);
	} else {
		r = discipline_format(d, report, format, NULL, &data, &len);
	}
	json_decref(root);
	discipline_free(d);
	return emit_report(a, format, data, len, r);
}

/* The activity recap (recap.h) over a checked period, in a checked format. */
static int report_activities(const struct args *a, struct db *db, enum discipline_format format)
{
	struct recap_query q = {.from_date = a->from, .to_date = a->to, .unit_id = a->unit};
	struct recap *rc;
	json_t *json;
	char *data = NULL;
	size_t len = 0;
	int r;

	r = recap_run(db, &q, &rc);
	if (r < 0) {
		fprintf(stderr, "hadir-collector: report: %s\n", strerror(-r));
		return r;
	}
	if (format == DISCIPLINE_JSON) {
		r = recap_json(rc, &json);
		if (r == 0) {
			data = json_dumps(json, JSON_INDENT(2));
			json_decref(json);
			r = data ? 0 : -ENOMEM;
			len = data ? strlen(data) : 0;
		}
	} else {
		r = recap_table(rc, format == DISCIPLINE_CSV ? RECAP_CSV : RECAP_XLSX, &data, &len);
	}
	recap_free(rc);
	return emit_report(a, format, data, len, r);
}

static int cmd_report(const struct args *a)
{
	const char *what = a->n_pos == 2 ? a->pos[1] : "";
	/* The audit log's word for the report: "" for the discipline report and days. */
	const char *prefix =
	    strcmp(what, "units") == 0 || strcmp(what, "activities") == 0 ? what : "";
	char why[DISCIPLINE_WHY_MAX], view_text[VIEW_WHY_MAX] = "";
	struct discipline_query q = {.unit_id = a->unit};
	struct view view;
	enum discipline_report report =
	    strcmp(what, "units") == 0 ? DISCIPLINE_UNITS : DISCIPLINE_EMPLOYEES;
	enum discipline_format format = DISCIPLINE_JSON;
	struct config cfg;
	struct db *db;
	int r;

	if (strcmp(what, "discipline") != 0 && strcmp(what, "units") != 0 &&
	    strcmp(what, "activities") != 0 && !(strcmp(what, "days") == 0 && a->nip)) {
		usage(stderr);
		return 2;
	}
	if (strcmp(what, "days") == 0)
		q.nip = a->nip;
	if (discipline_parse_period(a->from, a->to, &q.from, &q.to, why) < 0) {
		fprintf(stderr, "hadir-collector: --from/--to: %s\n", why);
		return 2;
	}
	if (discipline_parse_format(a->format, &format) < 0) {
		fprintf(stderr, "hadir-collector: --format: json, csv or xlsx\n");
		return 2;
	}
	if (strcmp(what, "discipline") == 0) {
		if (view_parse(a->search, a->sort, a->order, &view, why) < 0) {
			fprintf(stderr, "hadir-collector: %s\n", why);
			return 2;
		}
		if (a->columns && strcmp(a->columns, "all") != 0 &&
		    strcmp(a->columns, "page") != 0) {
			fprintf(stderr, "hadir-collector: --columns: all or page\n");
			return 2;
		}
		if (a->columns && strcmp(a->columns, "page") == 0)
			report = DISCIPLINE_PAGE;
		q.view = &view;
		view_describe(&view, view_text, sizeof(view_text));
	}
	if (format == DISCIPLINE_XLSX && !a->output && isatty(STDOUT_FILENO)) {
		fprintf(stderr, "hadir-collector: xlsx is binary: give --output FILE.xlsx\n");
		return 2;
	}
	if (open_db(a, &cfg, &db) < 0)
		return 1;
	if (strcmp(what, "activities") == 0)
		r = report_activities(a, db, format);
	else
		r = report_run(a, db, cfg.profiles, &q, report, format);
	if (r == 0)
		r = audit_cli(
		    db, format == DISCIPLINE_JSON ? AUDIT_REPORT_VIEW : AUDIT_REPORT_EXPORT,
		    q.nip     ? q.nip
		    : a->unit ? a->unit
			      : "*",
		    "%s..%s %s%s%s%s%s%s%s", a->from, a->to, prefix, prefix[0] ? " " : "",
		    q.nip ? "days" : discipline_extension(format),
		    q.nip && format != DISCIPLINE_JSON ? " " : "",
		    q.nip && format != DISCIPLINE_JSON ? discipline_extension(format) : "",
		    report == DISCIPLINE_PAGE ? " columns=page" : "", view_text);
	db_close(db);
	return r < 0 ? 1 : 0;
}

static int cmd_import(const struct args *a)
{
	struct import_result res;
	struct import_opts opts;
	enum import_kind kind;
	struct config cfg;
	char line[256];
	unsigned shown = 0;
	struct db *db;
	int r;

	if (a->n_pos != 3 || import_kind_parse(a->pos[1], &kind) < 0) {
		usage(stderr);
		return 2;
	}
	if (open_db(a, &cfg, &db) < 0)
		return 1;
	opts.profiles_dir = cfg.profiles;
	opts.now_usec = clk_wall_usec();
	r = import_file(db, kind, a->pos[2], &opts, &res);
	if (r == 0) {
		import_summary(kind, &res, line, sizeof(line));
		r = audit_cli(db, AUDIT_IMPORT, a->pos[1], "%s: %s", a->pos[2], line);
		db_close(db);
		printf("%s\n", line);
		return r < 0 ? 1 : 0;
	}
	db_close(db);
	fputs(res.diag.text, stderr);
	for (const char *p = res.diag.text; *p; p++)
		shown += *p == '\n';
	if (res.diag.n_errors > shown)
		fprintf(stderr, "… and %u more\n", res.diag.n_errors - shown);
	fprintf(stderr, "hadir-collector: %s not imported (%u problem%s); nothing was stored\n",
		a->pos[2], res.diag.n_errors, res.diag.n_errors == 1 ? "" : "s");
	return 1;
}

/* Ask a kiosk to enrol nip; it learns of it on its next roster pull. */
static int request_enrolment(struct db *db, const char *device, const char *nip)
{
	struct db_device dev = {.id = 0};
	int64_t id = 0, now = clk_wall_usec();
	int r;

	snprintf(dev.name, sizeof(dev.name), "%s", device);
	r = db_device_list(db, find_device, &dev);
	if (r < 0)
		return r;
	if (dev.id == 0 || dev.is_disabled) {
		fprintf(stderr, "hadir-collector: no enabled device '%s'\n", device);
		return -ENOENT;
	}
	r = api_templates_device_sees(db, dev.id, nip);
	if (r == 0)
		fprintf(stderr, "hadir-collector: NIP %s is not in the roster of device %s\n", nip,
			device);
	if (r <= 0)
		return r < 0 ? r : -EPERM;
	r = db_begin(db);
	if (r < 0)
		return r;
	r = db_enroll_request_add(db, dev.id, nip, now, &id);
	if (r == 0)
		r = db_roster_bump(db, now, false); /* the kiosk's next pull is no 304 */
	if (r == 0)
		r = db_commit(db);
	else
		db_rollback(db);
	if (r == 0)
		printf("enrolment of %s requested at %s (request %" PRId64 "); it starts when the"
		       " kiosk next pulls its roster\n",
		       nip, device, id);
	return r;
}

static int print_request(const struct db_enroll_request *q, void *user)
{
	char asked[CLK_ISO_MAX], ended[CLK_ISO_MAX] = "";
	json_t *arr = user, *o;

	clk_format_utc(q->created_usec, asked);
	if (q->finished_usec)
		clk_format_utc(q->finished_usec, ended);
	if (!arr) {
		printf("%-6" PRId64 " %-24s %-20s %-8s %-22s %s\n", q->id, q->device, q->nip,
		       q->state, ended[0] ? ended : asked, q->reason);
		return 0;
	}
	o = json_pack("{s:I,s:s,s:s,s:s,s:s,s:s,s:s?}", "id", (json_int_t)q->id, "device",
		      q->device, "nip", q->nip, "state", q->state, "reason", q->reason, "requested",
		      asked, "finished", ended[0] ? ended : NULL);
	if (!o || json_array_append_new(arr, o) < 0)
		return -ENOMEM;
	return 0;
}

/* Templates are listed by owner and index only: their bytes never leave the vault. */
static int print_template(const struct db_template *t, void *user)
{
	char when[CLK_ISO_MAX];
	json_t *arr = user, *o;

	clk_format_utc(t->created_usec, when);
	if (!arr) {
		printf("%-20s %-5" PRId64 " %s\n", t->nip, t->idx, when);
		return 0;
	}
	o = json_pack("{s:s,s:I,s:s}", "nip", t->nip, "index", (json_int_t)t->idx, "created", when);
	if (!o || json_array_append_new(arr, o) < 0)
		return -ENOMEM;
	return 0;
}

static int list_fingerprints(struct db *db, bool is_json)
{
	json_t *requests = NULL, *templates = NULL;
	int r;

	if (is_json) {
		requests = json_array();
		templates = json_array();
		if (!requests || !templates) {
			json_decref(requests);
			json_decref(templates);
			return -ENOMEM;
		}
	} else {
		printf("# enrolment requests: id, device, nip, state, when, why it failed\n");
	}
	r = db_enroll_request_list(db, 0, print_request, requests);
	if (r == 0 && !is_json)
		printf("# templates: nip, index, stored\n");
	if (r == 0)
		r = db_template_list(db, NULL, print_template, templates);
	if (is_json && r == 0)
		return dump_json(
		    json_pack("{s:o,s:o}", "requests", requests, "templates", templates));
	json_decref(requests);
	json_decref(templates);
	return r;
}

/*
 * A new template key: every template resealed under it in one transaction,
 * then the key files swapped (the old one kept as KEY.old, for the operator
 * to destroy once the new one is backed up). The service must be stopped.
 */
static int rekey(const struct config *cfg, struct db *db)
{
	char fresh[CFG_VALUE_MAX + 8], old[CFG_VALUE_MAX + 8];
	struct vault *v = NULL;
	unsigned n = 0;
	int r;

	snprintf(fresh, sizeof(fresh), "%s.new", cfg->templates_key);
	snprintf(old, sizeof(old), "%s.old", cfg->templates_key);
	r = vault_open(cfg, db, &v);
	if (r == 0 && !v) {
		fprintf(stderr, "hadir-collector: no key file '%s' to replace\n",
			cfg->templates_key);
		return -ENOENT;
	}
	if (r < 0)
		return r;
	r = crypto_secret_create(fresh);
	if (r < 0) {
		fprintf(stderr, "hadir-collector: cannot create '%s': %s%s\n", fresh, strerror(-r),
			r == -EEXIST ? " (left from an earlier rekey? remove it)" : "");
		goto out_free;
	}
	r = vault_rekey(v, db, fresh, &n);
	if (r < 0) {
		fprintf(stderr, "hadir-collector: rekey failed: %s; the old key still holds\n",
			strerror(-r));
		(void)unlink(fresh);
		goto out_free;
	}
	/* Committed: from here on only the new key opens the templates. */
	if (rename(cfg->templates_key, old) < 0 || rename(fresh, cfg->templates_key) < 0) {
		r = -errno;
		fprintf(stderr,
			"hadir-collector: templates resealed under '%s', but it could not replace"
			" '%s' (%s): move it there by hand before starting the service\n",
			fresh, cfg->templates_key, strerror(-r));
		goto out_free;
	}
	printf(
	    "%u template%s resealed under a new key in %s; the old key is %s: back the new one up,"
	    " then destroy the old one\n",
	    n, n == 1 ? "" : "s", cfg->templates_key, old);
out_free:
	vault_free(v);
	return r;
}

static int cmd_fingerprint(const struct args *a)
{
	const char *verb = a->n_pos == 2 ? a->pos[1] : "";
	bool is_enroll = strcmp(verb, "enroll") == 0;
	struct config cfg;
	struct db *db;
	int r;

	if (!(is_enroll && a->device && a->nip) && strcmp(verb, "list") != 0 &&
	    strcmp(verb, "rekey") != 0) {
		usage(stderr);
		return 2;
	}
	if (open_db(a, &cfg, &db) < 0)
		return 1;
	if (is_enroll)
		r = request_enrolment(db, a->device, a->nip);
	else if (strcmp(verb, "rekey") == 0)
		r = rekey(&cfg, db);
	else
		r = list_fingerprints(db, a->is_json);
	db_close(db);
	return r < 0 ? 1 : 0;
}

/* Read one line of at most ACCOUNT_PASSWORD_MAX bytes from stdin, unechoed on a terminal. */
static int read_line(const char *prompt, char *buf, size_t size)
{
	bool is_tty = isatty(STDIN_FILENO);
	struct termios old, quiet;
	bool is_quiet = false;
	size_t len;
	int r = 0;

	if (is_tty) {
		fprintf(stderr, "%s", prompt);
		if (tcgetattr(STDIN_FILENO, &old) == 0) {
			quiet = old;
			quiet.c_lflag &= ~(tcflag_t)ECHO;
			is_quiet = tcsetattr(STDIN_FILENO, TCSAFLUSH, &quiet) == 0;
		}
	}
	if (!fgets(buf, (int)size, stdin))
		r = -EIO;
	if (is_quiet) {
		(void)tcsetattr(STDIN_FILENO, TCSAFLUSH, &old);
		fputc('\n', stderr);
	}
	if (r < 0)
		return r;
	len = strlen(buf);
	if (len > 0 && buf[len - 1] == '\n')
		buf[--len] = '\0';
	else if (len + 1 >= size)
		return -E2BIG;
	return 0;
}

/* A password from stdin (twice on a terminal) or, with --generate, a new one shown once. */
static int get_password(const struct args *a, char *buf, size_t size)
{
	char again[ACCOUNT_PASSWORD_MAX + 2];
	int r;

	if (a->is_generate) {
		char made[CRYPTO_TOKEN_LEN + 1];

		r = account_password_new(made);
		if (r == 0) {
			snprintf(buf, size, "%s", made);
			printf("password (shown once): %s\n", made);
		}
		return r;
	}
	r = read_line("kata sandi / password: ", buf, size);
	if (r == 0 && isatty(STDIN_FILENO)) {
		r = read_line("ulangi / again: ", again, sizeof(again));
		if (r == 0 && strcmp(buf, again) != 0) {
			fprintf(stderr, "hadir-collector: the passwords differ\n");
			r = -EINVAL;
		}
		explicit_bzero(again, sizeof(again));
	}
	if (r == -E2BIG)
		fprintf(stderr, "hadir-collector: a password is at most %d bytes\n",
			ACCOUNT_PASSWORD_MAX);
	else if (r == -EIO)
		fprintf(stderr, "hadir-collector: no password on standard input\n");
	return r;
}

static int print_user(const struct db_user *u, void *arg)
{
	char when[CLK_ISO_MAX];
	json_t *arr = arg;

	clk_format_utc(u->changed_usec, when);
	if (arr) {
		json_t *o =
		    json_pack("{s:s,s:s,s:s,s:s,s:b,s:b,s:s}", "name", u->name, "role", u->role,
			      "units", u->units, "nip", u->nip, "disabled", u->is_disabled,
			      "locked", u->locked_until_usec > clk_wall_usec(), "changed", when);

		if (!o || json_array_append_new(arr, o) < 0)
			return -ENOMEM;
		return 0;
	}
	printf("%-24s %-10s %-9s %-20s %s\n", u->name, u->role,
	       u->is_disabled ? "disabled" : "active",
	       u->units[0] ? u->units
	       : u->nip[0] ? u->nip
			   : "-",
	       when);
	return 0;
}

static int user_change(const struct args *a, struct config *cfg, struct db *db, const char *verb)
{
	const char *name = a->pos[2];
	char password[ACCOUNT_PASSWORD_MAX + 2], why[160] = "";
	struct account_spec spec = {
	    .name = name, .role = a->role ? a->role : "", .units = a->unit, .nip = a->nip};
	const char *action;
	int r;

	if (strcmp(verb, "disable") == 0) {
		action = AUDIT_USER_DISABLE;
		r = account_disable(db, name, clk_wall_usec());
	} else if (strcmp(verb, "add") == 0) {
		action = AUDIT_USER_ADD;
		r = account_spec_check(&spec, true, why, sizeof(why));
		if (r == 0)
			r = get_password(a, password, sizeof(password));
		if (r == 0)
			r = account_user_add(cfg, db, &spec, password, clk_wall_usec(), why,
					     sizeof(why));
	} else {
		action = AUDIT_USER_PASSWD;
		r = get_password(a, password, sizeof(password));
		if (r == 0)
			r = account_passwd(cfg, db, name, password, clk_wall_usec());
		if (r == -EINVAL)
			snprintf(why, sizeof(why), "a password is %d to %d characters",
				 ACCOUNT_PASSWORD_MIN, ACCOUNT_PASSWORD_MAX);
	}
	explicit_bzero(password, sizeof(password));
	if (r == -ENOENT)
		snprintf(why, sizeof(why), "no user '%s'", name);
	if (r < 0) {
		fprintf(stderr, "hadir-collector: user %s: %s\n", verb,
			why[0] ? why : strerror(-r));
		return r;
	}
	r = audit_cli(db, action, name, "%s%s%s%s%s", spec.role, a->unit ? " units " : "",
		      a->unit ? a->unit : "", a->nip ? " nip " : "", a->nip ? a->nip : "");
	if (r == 0)
		printf("user %s: %s done\n", name, verb);
	return r;
}

static int cmd_user(const struct args *a)
{
	const char *verb = a->n_pos >= 2 ? a->pos[1] : "";
	struct config cfg;
	struct db *db;
	int r;

	if (!((strcmp(verb, "list") == 0 && a->n_pos == 2) ||
	      ((strcmp(verb, "add") == 0 || strcmp(verb, "disable") == 0 ||
		strcmp(verb, "passwd") == 0) &&
	       a->n_pos == 3))) {
		usage(stderr);
		return 2;
	}
	if (open_db(a, &cfg, &db) < 0)
		return 1;
	if (strcmp(verb, "list") != 0) {
		r = user_change(a, &cfg, db, verb);
	} else if (a->is_json) {
		json_t *arr = json_array();

		r = arr ? db_users(db, print_user, arr) : -ENOMEM;
		if (r == 0)
			r = dump_json(arr);
		else
			json_decref(arr);
	} else {
		r = db_users(db, print_user, NULL);
	}
	db_close(db);
	return r < 0 ? 1 : 0;
}

static int cmd_token(const struct args *a)
{
	struct account_spec spec = {
	    .role = a->role ? a->role : "", .units = a->unit, .nip = a->nip};
	char token[CRYPTO_TOKEN_LEN + 1], hash[CRYPTO_SHA256_HEX], why[160], target[32];
	struct db_staff staff;
	struct db_token tok;
	struct config cfg;
	struct db *db;
	int64_t id;
	int r;

	if (a->n_pos != 2 || strcmp(a->pos[1], "add") != 0) {
		usage(stderr);
		return 2;
	}
	if (account_spec_check(&spec, false, why, sizeof(why)) < 0) {
		fprintf(stderr, "hadir-collector: token add: %s\n", why);
		return 2;
	}
	memset(&tok, 0, sizeof(tok));
	snprintf(tok.role, sizeof(tok.role), "%s", spec.role);
	snprintf(tok.units, sizeof(tok.units), "%s", a->unit ? a->unit : "");
	snprintf(tok.nip, sizeof(tok.nip), "%s", a->nip ? a->nip : "");
	if (open_db(a, &cfg, &db) < 0)
		return 1;
	r = tok.nip[0] ? db_staff_get(db, tok.nip, &staff) : 0;
	if (r == -ENOENT)
		fprintf(stderr,
			"hadir-collector: no staff member with NIP %s (import staff first)\n",
			tok.nip);
	if (r == 0)
		r = crypto_token_new(token);
	if (r == 0) {
		crypto_token_hash(token, hash);
		r = db_token_add(db, hash, &tok, clk_wall_usec(), &id);
	}
	if (r == 0) {
		snprintf(target, sizeof(target), "token:%lld", (long long)id);
		r = audit_cli(db, AUDIT_TOKEN_ADD, target, "%s%s%s%s%s", tok.role,
			      tok.units[0] ? " units " : "", tok.units, tok.nip[0] ? " nip " : "",
			      tok.nip);
	}
	db_close(db);
	if (r < 0) {
		if (r != -ENOENT)
			fprintf(stderr, "hadir-collector: token add: %s\n", strerror(-r));
		return 1;
	}
	printf("%s token %s added (shown once; stored only as a hash):\n%s\n", tok.role, target,
	       token);
	return 0;
}

static int cmd_audit(const struct args *a)
{
	struct db_audit_query q = {
	    .from_usec = INT64_MIN, .to_usec = INT64_MAX, .actor = a->actor, .action = a->action};
	const char *format = a->format ? a->format : "json";
	struct config cfg;
	struct db *db;
	int r;

	if (a->n_pos != 1 || (strcmp(format, "json") != 0 && strcmp(format, "csv") != 0)) {
		usage(stderr);
		return 2;
	}
	if (parse_period(a, &q.from_usec, &q.to_usec) < 0)
		return 2;
	if (open_db(a, &cfg, &db) < 0)
		return 1;
	r = audit_export(db, &q, strcmp(format, "csv") == 0 ? AUDIT_CSV : AUDIT_JSON, 0, stdout);
	db_close(db);
	if (r < 0)
		fprintf(stderr, "hadir-collector: audit: %s\n",
			r == -E2BIG ? "too many entries; narrow --from/--to" : strerror(-r));
	return r < 0 ? 1 : 0;
}

static int cmd_run(const struct args *a)
{
	struct config cfg;
	int r;

	if (load_config(a->config, &cfg) < 0)
		return 1;
	if (a->is_check_config) {
		if (site_check(&cfg) < 0)
			return 1;
		printf("# %s: valid\n", a->config);
		config_print(stdout, &cfg);
		return 0;
	}
	r = server_run(&cfg);
	return r < 0 ? 1 : 0;
}

int main(int argc, char **argv)
{
	struct args a;

	memset(&a, 0, sizeof(a));
	log_init_from_env();
	if (parse_args(argc, argv, &a) < 0) {
		usage(stderr);
		return 2;
	}
	if (a.is_version) {
		printf("hadir-collector %s\n", HADIR_VERSION);
		return 0;
	}
	if (a.is_help) {
		usage(stdout);
		return 0;
	}
	if (a.n_pos == 0)
		return cmd_run(&a);
	if (strcmp(a.pos[0], "init") == 0)
		return cmd_init(&a);
	if (strcmp(a.pos[0], "device") == 0)
		return cmd_device(&a);
	if (strcmp(a.pos[0], "taps") == 0)
		return cmd_taps(&a);
	if (strcmp(a.pos[0], "alerts") == 0)
		return cmd_alerts(&a);
	if (strcmp(a.pos[0], "verify") == 0)
		return cmd_verify(&a);
	if (strcmp(a.pos[0], "devices") == 0)
		return cmd_devices(&a);
	if (strcmp(a.pos[0], "token") == 0)
		return cmd_token(&a);
	if (strcmp(a.pos[0], "user") == 0)
		return cmd_user(&a);
	if (strcmp(a.pos[0], "audit") == 0)
		return cmd_audit(&a);
	if (strcmp(a.pos[0], "report") == 0)
		return cmd_report(&a);
	if (strcmp(a.pos[0], "import") == 0)
		return cmd_import(&a);
	if (strcmp(a.pos[0], "report") == 0)
		return cmd_report(&a);
	if (strcmp(a.pos[0], "fingerprint") == 0)
		return cmd_fingerprint(&a);
	fprintf(stderr, "hadir-collector: unknown command '%s'\n", a.pos[0]);
	usage(stderr);
	return 2;
}
