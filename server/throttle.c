// SPDX-License-Identifier: MIT
/* Failed logins per client address, in a fixed table. */
#include "server/throttle.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "server/api.h"

struct slot {
	char addr[API_ADDR_MAX]; /* "" : free */
	int64_t first_usec;	 /* the first failure of this count */
	unsigned failures;
};

struct throttle {
	unsigned max_failures;
	int64_t window_usec;
	struct slot slots[THROTTLE_SLOTS];
};

int throttle_new(unsigned max_failures, int64_t window_usec, struct throttle **ret)
{
	struct throttle *t = calloc(1, sizeof(*t));

	if (!t)
		return -ENOMEM;
	t->max_failures = max_failures;
	t->window_usec = window_usec;
	*ret = t;
	return 0;
}

void throttle_free(struct throttle *t)
{
	free(t);
}

static bool is_live(const struct throttle *t, const struct slot *s, int64_t now_usec)
{
	return s->addr[0] != '\0' && now_usec - s->first_usec < t->window_usec;
}

/* The slot of addr, or -1. */
static long find(const struct throttle *t, const char *addr)
{
	for (size_t i = 0; i < THROTTLE_SLOTS; i++)
		if (strcmp(t->slots[i].addr, addr) == 0)
			return (long)i;
	return -1;
}

bool throttle_allows(const struct throttle *t, const char *addr, int64_t now_usec,
		     int64_t *ret_retry_usec)
{
	long i = addr[0] ? find(t, addr) : -1;
	const struct slot *s = i >= 0 ? &t->slots[i] : NULL;

	if (t->max_failures == 0 || !s || !is_live(t, s, now_usec) || s->failures < t->max_failures)
		return true;
	*ret_retry_usec = s->first_usec + t->window_usec - now_usec;
	return false;
}

/* For a new address: a free or expired slot, else the one whose count began longest ago. */
static struct slot *take_slot(struct throttle *t, const char *addr, int64_t now_usec)
{
	size_t pick = 0;

	for (size_t k = 0; k < THROTTLE_SLOTS; k++) {
		if (!is_live(t, &t->slots[k], now_usec)) {
			pick = k;
			break;
		}
		if (t->slots[k].first_usec < t->slots[pick].first_usec)
			pick = k;
	}
	snprintf(t->slots[pick].addr, sizeof(t->slots[pick].addr), "%s", addr);
	t->slots[pick].failures = 0;
	return &t->slots[pick];
}

void throttle_failed(struct throttle *t, const char *addr, int64_t now_usec)
{
	long i;
	struct slot *s;

	if (t->max_failures == 0 || !addr[0])
		return;
	i = find(t, addr);
	s = i >= 0 ? &t->slots[i] : take_slot(t, addr, now_usec);
	if (s->failures == 0 || !is_live(t, s, now_usec)) {
		s->first_usec = now_usec;
		s->failures = 0;
	}
	s->failures++;
}
