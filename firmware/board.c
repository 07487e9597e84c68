// SPDX-License-Identifier: MIT
/*
 * Board files: the key table, the value types (line specs, device paths,
 * baud rates, bounded strings) as CFG_CUSTOM parsers, and the checks that
 * span keys. Board files are data an installer edits by hand, so every
 * refusal says what was expected. Nothing here touches hardware.
 */
#include "firmware/board.h"

#include <errno.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#define FLAGS_HELP "active-low, active-high, pull-up, pull-down, bias-disable, bias-as-is"

PRINTF_LIKE(3, 4)
static int refuse(char *why, size_t why_size, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	(void)vsnprintf(why, why_size, fmt, ap);
	va_end(ap);
	return -EINVAL;
}

static bool is_digits(const char *s)
{
	return s[0] != '\0' && strspn(s, "0123456789") == strlen(s);
}

/* Printable ASCII without spaces: what a chip or line name may hold here. */
static bool is_token(const char *s)
{
	for (; *s; s++)
		if (*s <= ' ' || *s > '~')
			return false;
	return true;
}

static int parse_target(char *target, struct board_line *line, char *why, size_t why_size)
{
	char *colon = strchr(target, ':');
	char *what = target;

	if (colon) {
		*colon = '\0';
		what = colon + 1;
		if (target[0] == '\0')
			return refuse(why, why_size, "no chip before ':'");
		if (strlen(target) >= sizeof(line->chip))
			return refuse(why, why_size, "chip name longer than %zu characters",
				      sizeof(line->chip) - 1);
		if (strspn(target, "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"
				   "0123456789_./-") != strlen(target))
			return refuse(why, why_size, "bad character in chip name '%s'", target);
		strcpy(line->chip, target);
		if (what[0] == '\0')
			return refuse(why, why_size, "no line offset or name after '%s:'", target);
	} else if (is_digits(what)) {
		return refuse(why, why_size,
			      "a bare number is ambiguous: write CHIP:%s (e.g. gpiochip0:%s) or a "
			      "line name",
			      what, what);
	}

	if (is_digits(what)) {
		if (strlen(what) > 4 || atoi(what) > BOARD_OFFSET_MAX)
			return refuse(why, why_size, "line offset %s above %d", what,
				      BOARD_OFFSET_MAX);
		line->offset = atoi(what);
		return 0;
	}
	if (strlen(what) >= sizeof(line->name))
		return refuse(why, why_size, "line name longer than %zu characters",
			      sizeof(line->name) - 1);
	/* ';' could start a comment when the board is printed and read back. */
	if (!is_token(what) || strpbrk(what, ":;"))
		return refuse(why, why_size, "bad character in line name");
	if (strcmp(line->chip, BOARD_CHIP_SIM) == 0)
		return refuse(why, why_size, "simulated lines are numbered: sim:N");
	strcpy(line->name, what);
	return 0;
}

static int parse_flag(const char *flag, struct board_line *line, bool *has_polarity, bool *has_bias,
		      char *why, size_t why_size)
{
	static const struct {
		const char *name;
		int bias;
	} biases[] = {
	    {"bias-as-is", BOARD_BIAS_AS_IS},
	    {"bias-disable", BOARD_BIAS_DISABLE},
	    {"pull-up", BOARD_BIAS_PULL_UP},
	    {"pull-down", BOARD_BIAS_PULL_DOWN},
	};

	if (strcmp(flag, "active-low") == 0 || strcmp(flag, "active-high") == 0) {
		if (*has_polarity)
			return refuse(why, why_size, "more than one of active-low, active-high");
		*has_polarity = true;
		line->active_low = flag[7] == 'l';
		return 0;
	}
	for (size_t i = 0; i < ARRAY_SIZE(biases); i++) {
		if (strcmp(flag, biases[i].name) != 0)
			continue;
		if (*has_bias)
			return refuse(why, why_size,
				      "more than one of pull-up, pull-down, bias-disable, "
				      "bias-as-is");
		*has_bias = true;
		line->bias = biases[i].bias;
		return 0;
	}
	return refuse(why, why_size, "unknown flag '%.32s' (expected " FLAGS_HELP ")", flag);
}

int board_parse_line(const char *text, struct board_line *ret_line, char *why, size_t why_size)
{
	struct board_line line;
	bool has_polarity = false, has_bias = false;
	char buf[CFG_VALUE_MAX];
	char *save = NULL;
	char *tok;
	int r;

	if (strlen(text) >= sizeof(buf))
		return refuse(why, why_size, "line spec too long");
	/* memset and memcpy keep padding zero, so equal lines compare equal bytewise. */
	memset(&line, 0, sizeof(line));
	line.offset = -1;
	strcpy(buf, text);
	tok = strtok_r(buf, " \t", &save);
	if (!tok) {
		memcpy(ret_line, &line, sizeof(line)); /* empty: the board has no such line */
		return 0;
	}
	line.present = true;
	r = parse_target(tok, &line, why, why_size);
	if (r < 0)
		return r;
	while ((tok = strtok_r(NULL, " \t", &save))) {
		r = parse_flag(tok, &line, &has_polarity, &has_bias, why, why_size);
		if (r < 0)
			return r;
	}
	memcpy(ret_line, &line, sizeof(line));
	return 0;
}

void board_format_line(const struct board_line *line, char *buf, size_t size)
{
	static const char *const bias_names[] = {"", " bias-disable", " pull-up", " pull-down"};
	const char *bias = "";

	if (size == 0)
		return;
	if (!line->present) {
		buf[0] = '\0';
		return;
	}
	if (line->bias > 0 && (size_t)line->bias < ARRAY_SIZE(bias_names))
		bias = bias_names[line->bias];
	if (line->offset >= 0)
		(void)snprintf(buf, size, "%s:%d%s%s", line->chip, line->offset,
			       line->active_low ? " active-low" : "", bias);
	else
		(void)snprintf(buf, size, "%s%s%s%s%s", line->chip, line->chip[0] ? ":" : "",
			       line->name, line->active_low ? " active-low" : "", bias);
}

bool board_line_is_sim(const struct board_line *line)
{
	return line->present && strcmp(line->chip, BOARD_CHIP_SIM) == 0;
}

/* The cfg value types. key->max is the size of the destination buffer for strings. */

static int parse_line_value(const struct cfg_key *key, const char *text, void *slot, char *why,
			    size_t why_size)
{
	(void)key;
	return board_parse_line(text, slot, why, why_size);
}

static void print_line_value(FILE *out, const struct cfg_key *key, const void *slot)
{
	char buf[BOARD_LINE_SPEC_MAX];

	(void)key;
	board_format_line(slot, buf, sizeof(buf));
	fputs(buf, out);
}

static int parse_text(const struct cfg_key *key, const char *text, void *slot, char *why,
		      size_t why_size)
{
	if (strlen(text) >= (size_t)key->max)
		return refuse(why, why_size, "longer than %d characters", (int)key->max - 1);
	for (const char *c = text; *c; c++) {
		if ((unsigned char)*c < ' ' || *c == 0x7f)
			return refuse(why, why_size, "control character in text");
		if (*c == ';')
			return refuse(why, why_size, "';' is not allowed (it can start a comment)");
	}
	strcpy(slot, text);
	return 0;
}

static int parse_board_name(const struct cfg_key *key, const char *text, void *slot, char *why,
			    size_t why_size)
{
	if (text[0] == '\0' ||
	    strspn(text, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789._-") !=
		strlen(text))
		return refuse(why, why_size, "not a board name (letters, digits, '.', '_', '-')");
	return parse_text(key, text, slot, why, why_size);
}

static int parse_device(const struct cfg_key *key, const char *text, void *slot, char *why,
			size_t why_size)
{
	if (text[0] != '\0' && strcmp(text, BOARD_CHIP_SIM) != 0 &&
	    (text[0] != '/' || !is_token(text)))
		return refuse(why, why_size, "not an absolute device path (or 'sim')");
	return parse_text(key, text, slot, why, why_size);
}

static void print_text(FILE *out, const struct cfg_key *key, const void *slot)
{
	(void)key;
	fputs(slot, out);
}

static int parse_baud(const struct cfg_key *key, const char *text, void *slot, char *why,
		      size_t why_size)
{
	unsigned baud;

	(void)key;
	/* R30x/AS608 modules take N x 9600 (SetSysPara), N = 1..12. */
	if (!is_digits(text) || strlen(text) > 6 || (baud = (unsigned)atoi(text)) % 9600 != 0 ||
	    baud == 0 || baud > 12 * 9600)
		return refuse(why, why_size, "not a fingerprint module baud rate (9600 x 1..12)");
	memcpy(slot, &baud, sizeof(baud));
	return 0;
}

static void print_baud(FILE *out, const struct cfg_key *key, const void *slot)
{
	unsigned baud;

	(void)key;
	memcpy(&baud, slot, sizeof(baud));
	fprintf(out, "%u", baud);
}

static const struct cfg_custom line_type = {parse_line_value, print_line_value};
static const struct cfg_custom text_type = {parse_text, print_text};
static const struct cfg_custom board_name_type = {parse_board_name, print_text};
static const struct cfg_custom device_type = {parse_device, print_text};
static const struct cfg_custom baud_type = {parse_baud, print_baud};

#define TEXT_KEY(sec, key, field, vtype, def, text)                                                \
	{                                                                                          \
		.section = sec, .name = key, .type = CFG_CUSTOM,                                   \
		.offset = offsetof(struct board, field), .default_value = def,                     \
		.max = sizeof(((struct board *)0)->field), .custom = &vtype, .help = text          \
	}
#define LINE_KEY(sec, key, field, text)                                                            \
	{                                                                                          \
		.section = sec, .name = key, .type = CFG_CUSTOM,                                   \
		.offset = offsetof(struct board, field), .default_value = "",                      \
		.custom = &line_type, .help = text                                                 \
	}

static const struct cfg_key board_keys[] = {
    TEXT_KEY("board", "name", name, board_name_type, NULL, "short name, e.g. rpi4"),
    TEXT_KEY("board", "description", description, text_type, "", NULL),
    LINE_KEY("wiegand", "d0", d0, "Wiegand DATA0 (idle high); CHIP:OFFSET or NAME, flags"),
    LINE_KEY("wiegand", "d1", d1, "Wiegand DATA1 (idle high)"),
    LINE_KEY("outputs", "led_green", led_green, NULL),
    LINE_KEY("outputs", "led_red", led_red, NULL),
    LINE_KEY("outputs", "buzzer", buzzer, NULL),
    LINE_KEY("outputs", "relay", relay, "door strike relay; optional"),
    TEXT_KEY("fingerprint", "uart", fp_uart, device_type, "", "serial device, or sim"),
    {.section = "fingerprint",
     .name = "baud",
     .type = CFG_CUSTOM,
     .offset = offsetof(struct board, fp_baud),
     .default_value = "57600",
     .custom = &baud_type,
     .help = "9600 x N, N = 1..12"},
    LINE_KEY("fingerprint", "touch", fp_touch, "finger-present output of the module"),
    TEXT_KEY("evdev", "device", evdev_device, device_type, "",
	     "keyboard-wedge reader, /dev/input/by-id/...-event-kbd, or sim"),
};

struct named_line {
	const char *key; /* "[wiegand] d0" */
	const char *role;
	size_t offset;
};

static const struct named_line named_lines[] = {
    {"[wiegand] d0", "d0", offsetof(struct board, d0)},
    {"[wiegand] d1", "d1", offsetof(struct board, d1)},
    {"[outputs] led_green", "led_green", offsetof(struct board, led_green)},
    {"[outputs] led_red", "led_red", offsetof(struct board, led_red)},
    {"[outputs] buzzer", "buzzer", offsetof(struct board, buzzer)},
    {"[outputs] relay", "relay", offsetof(struct board, relay)},
    {"[fingerprint] touch", "fp_touch", offsetof(struct board, fp_touch)},
};

static struct board_line *line_at(struct board *b, size_t i)
{
	return (struct board_line *)((char *)b + named_lines[i].offset);
}

/* "/dev/gpiochip0" and "gpiochip0" are the same chip. */
static const char *chip_id(const struct board_line *l)
{
	return strncmp(l->chip, "/dev/", 5) == 0 ? l->chip + 5 : l->chip;
}

static bool same_line(const struct board_line *a, const struct board_line *b)
{
	if (!a->present || !b->present || strcmp(chip_id(a), chip_id(b)) != 0)
		return false;
	if (a->offset >= 0 && b->offset >= 0)
		return a->offset == b->offset;
	return a->offset < 0 && b->offset < 0 && strcmp(a->name, b->name) == 0;
}

/* Checks that span keys; each problem is one line in diag. */
static void board_check(struct board *b, const char *name, struct cfg_diag *diag)
{
	if (b->d0.present != b->d1.present)
		cfg_diag_add(diag, "%s: %s: required when %s is set", name,
			     b->d0.present ? "[wiegand] d1" : "[wiegand] d0",
			     b->d0.present ? "d0" : "d1");
	if (b->d0.present && b->d1.present &&
	    board_line_is_sim(&b->d0) != board_line_is_sim(&b->d1))
		cfg_diag_add(
		    diag, "%s: [wiegand] d1: d0 and d1 must both be sim or both be hardware", name);
	if (b->fp_touch.present && b->fp_uart[0] == '\0')
		cfg_diag_add(diag, "%s: [fingerprint] touch: set but [fingerprint] uart is not",
			     name);

	for (size_t i = 0; i < ARRAY_SIZE(named_lines); i++) {
		for (size_t j = 0; j < i; j++) {
			char spec[BOARD_LINE_SPEC_MAX];

			if (!same_line(line_at(b, i), line_at(b, j)))
				continue;
			board_format_line(line_at(b, i), spec, sizeof(spec));
			cfg_diag_add(diag, "%s: %s: same line as %s ('%s')", name,
				     named_lines[i].key, named_lines[j].key, spec);
			break;
		}
	}
}

int board_load_stream(FILE *stream, const char *name, struct board *ret_board,
		      struct cfg_diag *diag)
{
	struct board b;
	int r;

	memset(&b, 0, sizeof(b));
	r = cfg_load_stream(stream, name, NULL, board_keys, ARRAY_SIZE(board_keys), &b, diag);
	if (r < 0 && r != -EINVAL)
		return r;
	board_check(&b, name, diag);
	if (diag->n_errors)
		return -EINVAL;
	for (size_t i = 0; i < ARRAY_SIZE(named_lines); i++)
		(void)snprintf(line_at(&b, i)->role, sizeof(line_at(&b, i)->role), "%s",
			       named_lines[i].role);
	memcpy(ret_board, &b, sizeof(b));
	return 0;
}

int board_load(const char *path, struct board *ret_board, struct cfg_diag *diag)
{
	FILE *f;
	int r;

	f = fopen(path, "re");
	if (!f) {
		r = -errno;
		cfg_diag_add(diag, "%s: cannot open: %s", path, strerror(-r));
		return r;
	}
	r = board_load_stream(f, path, ret_board, diag);
	fclose(f);
	return r;
}

void board_print(FILE *out, const struct board *board)
{
	cfg_print(out, board_keys, ARRAY_SIZE(board_keys), board);
}
