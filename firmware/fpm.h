/* SPDX-License-Identifier: MIT */
/*
 * The fingerprint module driver: a serial device (termios, non-blocking)
 * in the kiosk's event loop, and small state machines over fpm_proto for
 * what the kiosk asks of the module. Nothing here blocks: each command waits
 * for its acknowledgement with a loop timer, and a module that does not
 * answer in time fails the operation, is reset (device re-opened and
 * flushed, VerifyPwd, ReadSysPara, TemplateNum) and retried with backoff
 * until it answers again. Meanwhile the rest of the kiosk (cards) carries on.
 *
 * One operation at a time:
 *   identify  GenImg -> Img2Tz(1) -> Search(1, 0, library size); started by
 *             the touch line's rising (finger-present) edge or fpm_identify()
 *   enroll    ReadIndexTable (a free page) -> GenImg until a finger ->
 *             Img2Tz(1) -> GenImg until lifted -> GenImg until a finger ->
 *             Img2Tz(2) -> RegModel -> Store(1, page)
 *   delete    DeleteChar(page, 1)
 *   upload    LoadChar(1, page) -> UpChar(1) -> data packets -> the bytes
 *   download  [ReadIndexTable (a free page)] -> DownChar(1) -> data packets of
 *             FPM_CHUNK bytes -> Store(1, page)
 *
 * The module's state is a short string (fpm_status): "ok, 12 of 1000
 * pages used", "resetting", "not answering, retrying", "absent: REASON",
 * "wrong password"; the kiosk stores it under FPM_STATUS_KEY for `status`.
 * Template bytes are never logged.
 */
#ifndef HADIR_FIRMWARE_FPM_H
#define HADIR_FIRMWARE_FPM_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "common/err.h"

#define FPM_STATUS_KEY "fingerprint" /* store_sync_set key of the module's state */
#define FPM_STATUS_MAX 96

struct board_line;
struct gpio_in;
struct loop;
struct fpm;

struct fpm_config {
	const char *device;	/* serial device path (copied) */
	unsigned baud;		/* 9600, 19200, 38400, 57600 or 115200 */
	uint32_t address;	/* module address, normally FPM_ADDRESS_DEFAULT */
	uint32_t password;	/* VerifyPwd password, normally 0 */
	int64_t timeout_ms;	/* one command's acknowledgement */
	int64_t enroll_wait_ms; /* enrolment: how long to wait for the finger each time */
	int64_t poll_ms;	/* enrolment: GenImg polling interval */
	int64_t reset_min_ms;	/* first retry of a failed reset (doubles) */
	int64_t reset_max_ms;	/* retry cap */
};

enum fpm_op {
	FPM_OP_NONE,
	FPM_OP_RESET,
	FPM_OP_IDENTIFY,
	FPM_OP_ENROLL,
	FPM_OP_DELETE,
	FPM_OP_UPLOAD,
	FPM_OP_DOWNLOAD,
};

enum fpm_outcome {
	FPM_DONE,      /* identify: a match; enroll, delete, upload, download: done */
	FPM_NO_MATCH,  /* identify: a finger, matching no template */
	FPM_NO_FINGER, /* no finger, or an image too poor to use (reason says) */
	FPM_REFUSED,   /* the module answered with an error code (reason names it) */
	FPM_FAILED,    /* no valid answer in time, or the device failed: being reset */
	FPM_BUSY,      /* another operation runs, or the module is not ready */
	FPM_FULL,      /* enroll: no free page */
};

struct fpm_result {
	enum fpm_op op;
	enum fpm_outcome outcome;
	const char *reason;	      /* static token: "no-finger", "timeout", "not-ready"... */
	uint16_t page;		      /* identify: matched page; enroll: stored page */
	uint16_t score;		      /* identify: match score */
	const uint8_t *template_data; /* upload: the template, valid during the callback */
	size_t template_len;
};

enum fpm_prompt {
	FPM_PROMPT_PLACE,	/* enrolment: put the finger on the sensor */
	FPM_PROMPT_LIFT,	/* first image taken: lift the finger */
	FPM_PROMPT_PLACE_AGAIN, /* the same finger again */
};

/* Called once per operation with its outcome; the driver is idle again when it runs. */
typedef void fpm_done_fn(void *user, const struct fpm_result *res);
typedef void fpm_prompt_fn(void *user, enum fpm_prompt prompt);
/* Called when the module's state string changes. */
typedef void fpm_status_fn(void *user, const char *status);

/*
 * Open the device and start the reset sequence; a device that is missing or
 * silent is not an error here (the driver keeps retrying and says so in its
 * status). status_fn may be NULL. Free with fpm_free().
 */
int fpm_new(struct loop *loop, const struct fpm_config *cfg, fpm_status_fn *status_fn, void *user,
	    struct fpm **ret_fpm) MUST_CHECK;
void fpm_free(struct fpm *fpm);

/*
 * Watch the module's touch (finger-present) line through the GPIO interface:
 * each rising edge while the driver is idle starts an identification whose
 * outcome goes to done; an edge while the module is not ready is answered
 * FPM_BUSY "not-ready" at once; edges during another operation are ignored.
 */
int fpm_watch_touch(struct fpm *fpm, const struct board_line *touch, fpm_done_fn *done,
		    void *user) MUST_CHECK;

/* The touch line's gpio_in (for gpio_sim_inject on the sim board), or NULL. */
struct gpio_in *fpm_touch_in(struct fpm *fpm);

/* True when the module is ready and no operation runs. */
bool fpm_is_idle(const struct fpm *fpm);

/*
 * Start an operation; done is called later (never from inside the call).
 * -EBUSY when another operation runs or the module is not ready, -EINVAL for
 * bad arguments.
 */
int fpm_identify(struct fpm *fpm, fpm_done_fn *done, void *user) MUST_CHECK;
int fpm_enroll(struct fpm *fpm, fpm_prompt_fn *prompt, fpm_done_fn *done, void *user) MUST_CHECK;
int fpm_delete(struct fpm *fpm, uint16_t page, fpm_done_fn *done, void *user) MUST_CHECK;
int fpm_upload(struct fpm *fpm, uint16_t page, fpm_done_fn *done, void *user) MUST_CHECK;
/*
 * data (len 1..FPM_TEMPLATE_MAX) is copied. page FPM_PAGE_FREE stores it on
 * the first free page (FPM_FULL when there is none); the result names the page.
 */
#define FPM_PAGE_FREE 0xFFFF
int fpm_download(struct fpm *fpm, uint16_t page, const uint8_t *data, size_t len, fpm_done_fn *done,
		 void *user) MUST_CHECK;

/* The module's state; valid until the next call into the driver. */
const char *fpm_status(const struct fpm *fpm);

const char *fpm_outcome_name(enum fpm_outcome outcome);

#endif
