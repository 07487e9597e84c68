// SPDX-License-Identifier: MIT
/*
 * The keyboard-wedge path over arbitrary bytes: they arrive as struct
 * input_event records through a pipe, as from a reader, and go through
 * evdev_read into the wedge decoder. Any event type, key code, value or
 * timestamp may come, and records may be cut short. Numbers that come out must
 * be digits only and within bounds; nothing may crash or block.
 */
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "firmware/evdev.h"
#include "firmware/wedge.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* Which check failed, and with what: the compiler may merge every abort() into one call site. */
static void broken(const char *what, long value)
{
	fprintf(stderr, "fuzz_evdev: %s (%ld)\n", what, value);
	abort();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char out[WEDGE_DIGITS_MAX + 1];
	struct evdev *ev;
	int fds[2];
	int r;

	if (size > 32768)
		return 0; /* stays within one pipe buffer, so the write cannot block */
	if (pipe2(fds, O_CLOEXEC) < 0)
		broken("pipe2", -errno);
	r = evdev_from_fd(fds[0], 100000000, &ev);
	if (r < 0)
		broken("evdev_from_fd", r);
	if (size > 0 && write(fds[1], data, size) != (ssize_t)size)
		broken("write", -errno);
	close(fds[1]);

	for (unsigned guard = 0; guard <= size; guard++) {
		memset(out, 'x', sizeof(out));
		r = evdev_read(ev, out, sizeof(out));
		if (r == -ENODEV)
			break;
		if (r == 1) {
			size_t len = strnlen(out, sizeof(out));

			if (len == 0 || len > WEDGE_DIGITS_MAX || strspn(out, "0123456789") != len)
				broken("a number not of digits within bounds", (long)len);
		} else if (r == 0) {
			/*
			 * The pipe said "would block" with our write end closed: twice in
			 * hours of fuzzing, never on replay, so some process held a copy of
			 * it for a moment. EOF must come soon; a decoder waiting for
			 * nothing would not see it.
			 */
			struct pollfd p = {.fd = evdev_fd(ev), .events = POLLIN};

			if (poll(&p, 1, 1000) != 1)
				broken("no end of input after the writer closed", 0);
		} else if (r != -E2BIG && r != -EBADMSG) {
			broken("evdev_read", r);
		}
		if (evdev_deadline(ev) < -1)
			broken("deadline", (long)evdev_deadline(ev));
		evdev_poll(ev, INT64_MAX);
		if (evdev_deadline(ev) != -1)
			broken("deadline after the idle timeout", (long)evdev_deadline(ev));
	}
	evdev_free(ev);
	return 0;
}
