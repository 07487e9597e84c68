/* SPDX-License-Identifier: MIT */
/*
 * Error conventions shared by every module.
 *
 * A function that can fail returns int: 0 (or a count) on success and a
 * negative errno on failure (-ENOMEM, -EIO, -EINVAL, -EBADMSG for a bad frame,
 * -E2BIG when an outside input exceeds its bound). Library codes (SQLITE_*,
 * CURLcode, mbedTLS) are translated once, in the adapter that calls the library.
 * Cleanup jumps forward to labels named for what they undo.
 */
#ifndef HADIR_COMMON_ERR_H
#define HADIR_COMMON_ERR_H

#include <stdlib.h>

#define MUST_CHECK	       __attribute__((warn_unused_result))
#define PRINTF_LIKE(fmt, args) __attribute__((format(printf, fmt, args)))

#define ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))

/* Free a pointer that outlives the free, so a second free or use is harmless. */
#define FREE_AND_NULL(p)                                                                           \
	do {                                                                                       \
		free(p);                                                                           \
		(p) = NULL;                                                                        \
	} while (0)

#endif
