// SPDX-License-Identifier: MIT
/*
 * Activity payload rules and codec. Parsing treats the payload as hostile
 * (it arrives from kiosks over the network, and from screens at the kiosk):
 * exact keys and types, bounded strings, then the same rules as entries
 * built locally.
 */
#include "common/activity.h"

#include <errno.h>
#include <jansson.h>
#include <string.h>

#include "common/record.h"

static const struct {
	const char *key, *text;
} activity_errors[] = {
    [ACTIVITY_OK] = {"ok", "no error"},
    [ACTIVITY_ERR_MALFORMED] = {"malformed", "not an activity payload"},
    [ACTIVITY_ERR_VERSION] = {"version", "unsupported payload version"},
    [ACTIVITY_ERR_TOO_BIG] = {"too_big", "entry too large"},
    [ACTIVITY_ERR_DATE] = {"date", "date must be a real YYYY-MM-DD"},
    [ACTIVITY_ERR_PLAN] = {"plan", "plan code must be up to 32 characters"},
    [ACTIVITY_ERR_DESCRIPTION_EMPTY] = {"description_empty",
					"description is empty and no plan is chosen"},
    [ACTIVITY_ERR_DESCRIPTION_LONG] = {"description_long",
				       "description is longer than 500 characters"},
    [ACTIVITY_ERR_DESCRIPTION_CHARS] = {"description_chars",
					"description has control characters or bad UTF-8"},
    [ACTIVITY_ERR_QUANTITY] = {"quantity", "quantity must be 1 to 9999"},
    [ACTIVITY_ERR_UNIT] = {"unit", "unit must be 1 to 32 characters"},
    [ACTIVITY_ERR_TIME] = {"time", "start and end must be HH:MM"},
    [ACTIVITY_ERR_ORDER] = {"start_after_end", "start must be before end"},
    [ACTIVITY_ERR_SUPERSEDES] = {"supersedes",
				 "supersedes must name an earlier entry of the same day"},
    [ACTIVITY_ERR_WITHDRAWN] = {"withdrawn", "only a correction can withdraw an entry"},
};

const char *activity_error_key(enum activity_error err)
{
	if ((size_t)err >= ARRAY_SIZE(activity_errors))
		return "unknown";
	return activity_errors[err].key;
}

const char *activity_strerror(enum activity_error err)
{
	if ((size_t)err >= ARRAY_SIZE(activity_errors))
		return "unknown error";
	return activity_errors[err].text;
}

/*
 * Characters in s, or -1 for invalid UTF-8 (overlong forms, surrogates, past
 * U+10FFFF) or a control character (C0, DEL, C1).
 */
static long utf8_chars(const char *s)
{
	const unsigned char *p = (const unsigned char *)s;
	long n = 0;

	while (*p) {
		uint32_t cp;
		int more;

		if (*p < 0x80) {
			cp = *p;
			more = 0;
		} else if (*p >= 0xc2 && *p <= 0xdf) {
			cp = *p & 0x1fu;
			more = 1;
		} else if (*p >= 0xe0 && *p <= 0xef) {
			cp = *p & 0x0fu;
			more = 2;
		} else if (*p >= 0xf0 && *p <= 0xf4) {
			cp = *p & 0x07u;
			more = 3;
		} else {
			return -1;
		}
		p++;
		for (int i = 0; i < more; i++, p++) {
			if ((*p & 0xc0) != 0x80)
				return -1;
			cp = cp << 6 | (*p & 0x3fu);
		}
		if ((more == 2 && (cp < 0x800 || (cp >= 0xd800 && cp <= 0xdfff))) ||
		    (more == 3 && (cp < 0x10000 || cp > 0x10ffff)))
			return -1;
		if (cp < 0x20 || (cp >= 0x7f && cp <= 0x9f))
			return -1;
		n++;
	}
	return n;
}

static bool is_space(char c)
{
	return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\v' || c == '\f';
}

static void trim(char *s)
{
	size_t len = strlen(s), start = 0;

	while (len > 0 && is_space(s[len - 1]))
		len--;
	while (start < len && is_space(s[start]))
		start++;
	memmove(s, s + start, len - start);
	s[len - start] = '\0';
}

/* Within n characters, valid and free of control characters. */
static bool text_ok(const char *s, long max_chars)
{
	long n = utf8_chars(s);

	return n >= 0 && n <= max_chars;
}

static bool clock_ok(const char *s, int32_t *ret_sec)
{
	return strlen(s) == 5 && tz_parse_clock(s, ret_sec) == 0;
}

bool activity_plan_ok(const char *code)
{
	size_t len = strlen(code);

	return text_ok(code, ACTIVITY_PLAN_CHARS) &&
	       (len == 0 || (!is_space(code[0]) && !is_space(code[len - 1])));
}

bool activity_title_ok(const char *title)
{
	long n = utf8_chars(title);

	return n > 0 && n <= ACTIVITY_DESCRIPTION_CHARS;
}

static enum activity_error check(struct activity *a)
{
	int32_t day, start, end;
	long n;

	trim(a->description);
	trim(a->unit);
	if (tz_parse_date(a->date, &day) < 0)
		return ACTIVITY_ERR_DATE;
	if (!activity_plan_ok(a->plan))
		return ACTIVITY_ERR_PLAN;
	n = utf8_chars(a->description);
	if (n < 0)
		return ACTIVITY_ERR_DESCRIPTION_CHARS;
	if (n == 0 && !a->plan[0])
		return ACTIVITY_ERR_DESCRIPTION_EMPTY;
	if (n > ACTIVITY_DESCRIPTION_CHARS)
		return ACTIVITY_ERR_DESCRIPTION_LONG;
	if (a->quantity < 1 || a->quantity > ACTIVITY_QUANTITY_MAX)
		return ACTIVITY_ERR_QUANTITY;
	if (!a->unit[0] || !text_ok(a->unit, ACTIVITY_UNIT_CHARS))
		return ACTIVITY_ERR_UNIT;
	if (!clock_ok(a->start, &start) || !clock_ok(a->end, &end))
		return ACTIVITY_ERR_TIME;
	if (start >= end)
		return ACTIVITY_ERR_ORDER;
	if (a->supersedes > INT64_MAX)
		return ACTIVITY_ERR_SUPERSEDES;
	if (a->withdrawn && a->supersedes == 0)
		return ACTIVITY_ERR_WITHDRAWN;
	return ACTIVITY_OK;
}

int activity_validate(struct activity *a, enum activity_error *ret_err)
{
	*ret_err = check(a);
	return *ret_err == ACTIVITY_OK ? 0 : -EINVAL;
}

int activity_encode(struct activity *a, char *buf, size_t cap, enum activity_error *ret_err)
{
	json_t *obj;
	char *text;
	size_t len;
	int r;

	if (activity_validate(a, ret_err) < 0)
		return -EINVAL;
	obj = json_pack("{s:i,s:s,s:s,s:s,s:i,s:s,s:s,s:s,s:I,s:b}", "v", ACTIVITY_VERSION, "date",
			a->date, "plan", a->plan, "description", a->description, "quantity",
			a->quantity, "unit", a->unit, "start", a->start, "end", a->end,
			"supersedes", (json_int_t)a->supersedes, "withdrawn", a->withdrawn);
	if (!obj)
		return -ENOMEM;
	text = json_dumps(obj, JSON_COMPACT | JSON_PRESERVE_ORDER);
	json_decref(obj);
	if (!text)
		return -ENOMEM;
	len = strlen(text);
	if (len >= cap || len >= RECORD_PAYLOAD_MAX) {
		*ret_err = ACTIVITY_ERR_TOO_BIG;
		r = -E2BIG;
	} else {
		memcpy(buf, text, len + 1);
		r = (int)len;
	}
	free(text);
	return r;
}

/*
 * Copy string member key into dst[cap]: err when it does not fit, MALFORMED
 * when not a string or, unless is_optional, missing ("" then).
 */
static enum activity_error get_str(json_t *obj, const char *key, char *dst, size_t cap,
				   enum activity_error err, bool is_optional)
{
	json_t *v = json_object_get(obj, key);

	dst[0] = '\0';
	if (!v && is_optional)
		return ACTIVITY_OK;
	if (!json_is_string(v))
		return ACTIVITY_ERR_MALFORMED;
	if (json_string_length(v) >= cap)
		return err;
	memcpy(dst, json_string_value(v), json_string_length(v) + 1);
	return ACTIVITY_OK;
}

/* An integer member within [min, max] (else err), or MALFORMED; missing is def if is_optional. */
static enum activity_error get_int(json_t *obj, const char *key, int64_t min, int64_t max,
				   enum activity_error err, bool is_optional, int64_t def,
				   int64_t *ret)
{
	json_t *v = json_object_get(obj, key);

	if (!v && is_optional) {
		*ret = def;
		return ACTIVITY_OK;
	}
	if (!json_is_integer(v))
		return ACTIVITY_ERR_MALFORMED;
	if (json_integer_value(v) < min || json_integer_value(v) > max)
		return err;
	*ret = json_integer_value(v);
	return ACTIVITY_OK;
}

/*
 * The payload (every key, "v" and "date" included, then the rules), or with
 * is_input what a person submits: the same keys but "v" and "date", each
 * optional, types and sizes checked, the rules left for later.
 */
static enum activity_error from_json(json_t *obj, struct activity *a, bool is_input)
{
	static const char *const keys[] = {"v",	   "date",  "plan", "description", "quantity",
					   "unit", "start", "end",  "supersedes",  "withdrawn"};
	static const struct {
		const char *key;
		size_t offset, cap;
		enum activity_error err;
	} strs[] = {
	    {"date", offsetof(struct activity, date), TZ_DATE_MAX, ACTIVITY_ERR_DATE},
	    {"plan", offsetof(struct activity, plan), ACTIVITY_PLAN_MAX, ACTIVITY_ERR_PLAN},
	    {"description", offsetof(struct activity, description), ACTIVITY_DESCRIPTION_MAX,
	     ACTIVITY_ERR_DESCRIPTION_LONG},
	    {"unit", offsetof(struct activity, unit), ACTIVITY_UNIT_MAX, ACTIVITY_ERR_UNIT},
	    {"start", offsetof(struct activity, start), ACTIVITY_CLOCK_MAX, ACTIVITY_ERR_TIME},
	    {"end", offsetof(struct activity, end), ACTIVITY_CLOCK_MAX, ACTIVITY_ERR_TIME},
	};
	size_t first = is_input ? 2 : 0; /* input has no "v" and "date" */
	json_t *withdrawn = json_object_get(obj, "withdrawn");
	int64_t v = ACTIVITY_VERSION, quantity, supersedes;
	enum activity_error err;
	const char *key;
	json_t *value;

	if (!json_is_object(obj) || (!is_input && json_object_size(obj) != ARRAY_SIZE(keys)))
		return ACTIVITY_ERR_MALFORMED;
	json_object_foreach(obj, key, value)
	{
		size_t i = first;

		while (i < ARRAY_SIZE(keys) && strcmp(key, keys[i]) != 0)
			i++;
		if (i == ARRAY_SIZE(keys))
			return ACTIVITY_ERR_MALFORMED;
	}
	if (withdrawn && !json_is_boolean(withdrawn))
		return ACTIVITY_ERR_MALFORMED;
	if (!is_input && (!withdrawn || !json_is_integer(json_object_get(obj, "v"))))
		return ACTIVITY_ERR_MALFORMED;
	if (!is_input)
		v = json_integer_value(json_object_get(obj, "v"));
	if (v != ACTIVITY_VERSION)
		return ACTIVITY_ERR_VERSION;
	for (size_t i = first ? 1 : 0; i < ARRAY_SIZE(strs); i++) {
		err = get_str(obj, strs[i].key, (char *)a + strs[i].offset, strs[i].cap,
			      strs[i].err, is_input);
		if (err != ACTIVITY_OK)
			return err;
	}
	err = get_int(obj, "quantity", 1, ACTIVITY_QUANTITY_MAX, ACTIVITY_ERR_QUANTITY, is_input, 0,
		      &quantity);
	if (err == ACTIVITY_OK)
		err = get_int(obj, "supersedes", 0, INT64_MAX, ACTIVITY_ERR_SUPERSEDES, is_input, 0,
			      &supersedes);
	if (err != ACTIVITY_OK)
		return err;
	a->quantity = (int)quantity;
	a->supersedes = (uint64_t)supersedes;
	a->withdrawn = json_is_true(withdrawn);
	return is_input ? ACTIVITY_OK : check(a);
}

/* Decode len bytes of JSON text into ret_a as from_json() says. */
static int decode(const char *text, size_t len, bool is_input, struct activity *ret_a,
		  enum activity_error *ret_err)
{
	struct activity a;
	json_t *root;

	if (len >= RECORD_PAYLOAD_MAX) {
		*ret_err = ACTIVITY_ERR_TOO_BIG;
		return -EBADMSG;
	}
	root = json_loadb(text, len, JSON_REJECT_DUPLICATES, NULL);
	if (!root) {
		*ret_err = ACTIVITY_ERR_MALFORMED;
		return -EBADMSG;
	}
	memset(&a, 0, sizeof(a));
	*ret_err = from_json(root, &a, is_input);
	json_decref(root);
	if (*ret_err != ACTIVITY_OK)
		return -EBADMSG;
	*ret_a = a;
	return 0;
}

int activity_parse(const char *payload, size_t len, struct activity *ret_a,
		   enum activity_error *ret_err)
{
	return decode(payload, len, false, ret_a, ret_err);
}

int activity_parse_input(const char *body, size_t len, struct activity *ret_a,
			 enum activity_error *ret_err)
{
	return decode(body, len, true, ret_a, ret_err);
}

enum activity_error activity_may_supersede(const struct activity *next, const char *nip,
					   uint64_t seq, const struct activity *old,
					   const char *old_nip, uint64_t old_seq)
{
	if (next->supersedes != old_seq || old_seq == 0 || old_seq >= seq ||
	    strcmp(nip, old_nip) != 0 || strcmp(next->date, old->date) != 0 || old->withdrawn)
		return ACTIVITY_ERR_SUPERSEDES;
	return ACTIVITY_OK;
}
