// SPDX-License-Identifier: MIT
/*
 * Fingerprint wiring of the kiosk: module driver and emulator set-up,
 * identification outcomes, module state into the store, and the enrol and
 * delete requests of the control socket. The tap path itself stays in
 * kiosk.c; this file only hands it credentials.
 */
#include "firmware/fingers.h"

#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <poll.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#include "common/log.h"
#include "common/record.h"
#include "firmware/board.h"
#include "firmware/fpm.h"
#include "firmware/fpm_emu.h"
#include "firmware/fpm_proto.h"
#include "firmware/gpio.h"
#include "firmware/kconfig.h"
#include "firmware/loop.h"
#include "firmware/sim.h"
#include "firmware/store.h"
#include "firmware/templates.h"

#define FINGERS_PER_NIP_MAX 10
#define SIM_TOUCH_NS	    300000000 /* a simulated finger rests 300 ms on the sensor */

struct fingers {
	struct fingers_deps deps;
	struct fpm_emu *emu; /* sim board only */
	struct fpm *fpm;
	struct sim *control;
	struct templates *templates;

	/* The enrolment or control request in flight (one at a time). */
	char nip[RECORD_NIP_MAX];
	int64_t request; /* the enrolment the collector asked for, 0: the control socket's */
	char reply[160]; /* the control socket's answer, sent once the template is shared */
	uint16_t pages[FINGERS_PER_NIP_MAX];
	size_t n_pages, next_page;
};

bool fingers_is_emulated(const struct fingers *fs)
{
	return fs->emu != NULL;
}

static void on_status(void *user, const char *status)
{
	struct fingers *fs = user;
	int r = store_sync_set(fs->deps.store, FPM_STATUS_KEY, status);

	if (r < 0)
		log_warn("fingerprint: cannot store the module state '%s': %s, ignoring", status,
			 strerror(-r));
}

/* --- identification --- */

static void on_identified(void *user, const struct fpm_result *res)
{
	struct fingers *fs = user;
	char cred[RECORD_CREDENTIAL_MAX], token[64];

	switch (res->outcome) {
	case FPM_DONE:
		snprintf(cred, sizeof(cred), "finger:%u", res->page);
		log_debug("fingerprint: page %u, score %u", res->page, res->score);
		fs->deps.tap(fs->deps.user, cred);
		return;
	case FPM_NO_MATCH:
		fs->deps.tap(fs->deps.user, "finger:none");
		return;
	case FPM_NO_FINGER:
		fs->deps.refuse(fs->deps.user, FEEDBACK_REJECT, res->reason,
				"fingerprint: no usable finger image");
		return;
	case FPM_REFUSED:
	case FPM_FAILED:
	case FPM_BUSY:
	case FPM_FULL:
		break;
	}
	snprintf(token, sizeof(token), "fingerprint-%s", res->reason);
	fs->deps.refuse(fs->deps.user, FEEDBACK_FAULT, token, "fingerprint: module failed");
}

int fingers_sim_touch(struct fingers *fs, unsigned slot, const char **ret_why)
{
	struct gpio_in *touch = fpm_touch_in(fs->fpm);
	int64_t now = loop_now_ns();

	if (!fs->emu || !touch) {
		*ret_why = "no emulated fingerprint module with a sim touch line";
		return -EINVAL;
	}
	if (!fpm_is_idle(fs->fpm)) {
		/* A touch now would be ignored (busy) or refused (not ready): answer at once. */
		fs->deps.refuse(fs->deps.user, FEEDBACK_FAULT,
				strncmp(fpm_status(fs->fpm), "ok", 2) == 0
				    ? "fingerprint-busy"
				    : "fingerprint-not-ready",
				"fingerprint: module busy or not ready");
		return 0;
	}
	fpm_emu_place(fs->emu, (int)slot, 1);
	if (gpio_sim_inject(touch, 0, true, now) < 0 ||
	    gpio_sim_inject(touch, 0, false, now + SIM_TOUCH_NS) < 0) {
		*ret_why = "simulated GPIO queue full";
		return -ENOBUFS;
	}
	return 0;
}

int fingers_sim_fault(struct fingers *fs, const char *word, const char **ret_why)
{
	enum fpm_emu_fault fault;

	if (!fs->emu) {
		*ret_why = "no emulated fingerprint module";
		return -EINVAL;
	}
	if (fpm_emu_fault_parse(word, &fault) < 0) {
		*ret_why = "unknown fault";
		return -EINVAL;
	}
	if (strcmp(word, "recover") == 0)
		fpm_emu_recover(fs->emu);
	else
		fpm_emu_fault(fs->emu, fault);
	log_info("fingerprint: emulated module: %s", word);
	return 0;
}

/* --- enrolment and deletion (control socket) --- */

static void on_prompt(void *user, enum fpm_prompt prompt)
{
	static const char *const says[] = {
	    [FPM_PROMPT_PLACE] = "place the finger on the sensor",
	    [FPM_PROMPT_LIFT] = "lift the finger",
	    [FPM_PROMPT_PLACE_AGAIN] = "place the same finger again",
	};
	struct fingers *fs = user;

	log_info("fingerprint: enrolling %s: %s", fs->nip, says[prompt]);
	feedback_signal(fs->deps.feedback, FEEDBACK_PROMPT);
}

/* The enrolment is over: answer the control socket, or the collector's request. */
static void enrol_failed(struct fingers *fs)
{
	if (fs->request)
		templates_enroll_failed(fs->templates, fs->nip, fs->request, fs->reply + 6);
	else
		sim_finish(fs->control, fs->reply);
}

static void on_shared(void *user)
{
	struct fingers *fs = user;

	if (!fs->request)
		sim_finish(fs->control, fs->reply);
}

static void on_enrolled(void *user, const struct fpm_result *res)
{
	struct fingers *fs = user;
	int r;

	if (res->outcome != FPM_DONE) {
		log_warn("fingerprint: enrolling %s failed: %s (%s)", fs->nip,
			 fpm_outcome_name(res->outcome), res->reason);
		feedback_signal(fs->deps.feedback, FEEDBACK_REJECT);
		snprintf(fs->reply, sizeof(fs->reply), "error enrolment failed: %s (%s)",
			 fpm_outcome_name(res->outcome), res->reason);
		enrol_failed(fs);
		return;
	}
	r = store_finger_add(fs->deps.store, fs->nip, res->page);
	if (r < 0) {
		log_err("fingerprint: %s stored on page %u but not recorded: %s", fs->nip,
			res->page, strerror(-r));
		feedback_signal(fs->deps.feedback, FEEDBACK_FAULT);
		snprintf(fs->reply, sizeof(fs->reply),
			 "error stored on page %u but not recorded: %s", res->page, strerror(-r));
		enrol_failed(fs);
		return;
	}
	log_info("fingerprint: enrolled %s on page %u", fs->nip, res->page);
	feedback_signal(fs->deps.feedback, FEEDBACK_PROMPT);
	snprintf(fs->reply, sizeof(fs->reply), "enrolled %s %u", fs->nip, res->page);
	templates_share(fs->templates, fs->nip, res->page, fs->request, on_shared, fs);
}

/* The template outbox has a report: the kiosk kicks its sync process. */
static void on_kick(void *user)
{
	struct fingers *fs = user;

	fs->deps.kick(fs->deps.user);
}

/* Start enrolling fs->nip (named in the roster, module idle). */
static int enrol_start(struct fingers *fs, int64_t request)
{
	fs->request = request;
	if (fs->emu)
		fpm_emu_place(fs->emu, FPM_EMU_FRESH, 2); /* a new finger, pressed twice */
	return fpm_enroll(fs->fpm, on_prompt, on_enrolled, fs);
}

/* The collector asked for an enrolment here (templates.c runs the request). */
static int enrol_requested(void *user, const char *nip, int64_t request, const char **ret_why)
{
	struct fingers *fs = user;
	char name[STORE_NAME_MAX];
	int r;

	snprintf(fs->nip, sizeof(fs->nip), "%s", nip);
	r = store_staff_name(fs->deps.store, fs->nip, name);
	if (r <= 0) {
		*ret_why = r < 0 ? "cannot read the roster" : "NIP not in this kiosk's roster";
		return r < 0 ? r : -ENOENT;
	}
	log_info("fingerprint: enrolling %s (%s), as the collector asked (request %" PRId64 ")",
		 fs->nip, name, request);
	r = enrol_start(fs, request);
	if (r < 0)
		*ret_why = "fingerprint module busy";
	return r;
}

static void delete_next(struct fingers *fs);

static void on_deleted(void *user, const struct fpm_result *res)
{
	struct fingers *fs = user;
	uint16_t page = fs->pages[fs->next_page];
	char reply[160];
	int r;

	/* An empty page is as good as deleted; anything else stops here. */
	if (res->outcome != FPM_DONE) {
		log_warn("fingerprint: deleting page %u of %s failed: %s (%s)", page, fs->nip,
			 fpm_outcome_name(res->outcome), res->reason);
		snprintf(reply, sizeof(reply), "error deleting page %u failed: %s (%s)", page,
			 fpm_outcome_name(res->outcome), res->reason);
		sim_finish(fs->control, reply);
		return;
	}
	templates_finger_deleted(fs->templates, fs->nip, page);
	r = store_finger_remove(fs->deps.store, page);
	if (r < 0) {
		snprintf(reply, sizeof(reply), "error page %u deleted but not forgotten: %s", page,
			 strerror(-r));
		sim_finish(fs->control, reply);
		return;
	}
	log_info("fingerprint: deleted page %u of %s", page, fs->nip);
	fs->next_page++;
	delete_next(fs);
}

static void delete_next(struct fingers *fs)
{
	char reply[160];
	size_t len;
	int r;

	if (fs->next_page < fs->n_pages) {
		r = fpm_delete(fs->fpm, fs->pages[fs->next_page], on_deleted, fs);
		if (r < 0) {
			snprintf(reply, sizeof(reply), "error module busy or not ready (%s)",
				 fpm_status(fs->fpm));
			sim_finish(fs->control, reply);
		}
		return;
	}
	len = (size_t)snprintf(reply, sizeof(reply), "deleted %s", fs->nip);
	for (size_t i = 0; i < fs->n_pages && len < sizeof(reply); i++)
		len += (size_t)snprintf(reply + len, sizeof(reply) - len, " %u", fs->pages[i]);
	sim_finish(fs->control, reply);
}

static int control_start(void *user, const struct sim_cmd *cmd, const char **ret_why)
{
	static char why[160];
	struct fingers *fs = user;
	char name[STORE_NAME_MAX];
	bool is_enroll;
	int r;

	if (cmd->kind != SIM_FINGERPRINT) {
		*ret_why =
		    "the control socket takes fingerprint enroll NIP or fingerprint delete NIP";
		return -EINVAL;
	}
	is_enroll = strncmp(cmd->arg, "enroll ", 7) == 0;
	snprintf(fs->nip, sizeof(fs->nip), "%s", cmd->arg + 7);
	r = store_staff_name(fs->deps.store, fs->nip, name);
	if (r <= 0) {
		snprintf(why, sizeof(why), "NIP %s is not in the roster", fs->nip);
		*ret_why = r < 0 ? "cannot read the roster" : why;
		return r < 0 ? r : -ENOENT;
	}
	if (!fpm_is_idle(fs->fpm)) {
		snprintf(why, sizeof(why), "fingerprint module busy or not ready (%s)",
			 fpm_status(fs->fpm));
		*ret_why = why;
		return -EBUSY;
	}
	if (is_enroll) {
		log_info("fingerprint: enrolling %s (%s)", fs->nip, name);
		r = enrol_start(fs, 0);
		if (r < 0)
			*ret_why = "fingerprint module busy";
		return r;
	}
	r = store_finger_pages(fs->deps.store, fs->nip, fs->pages, ARRAY_SIZE(fs->pages),
			       &fs->n_pages);
	if (r < 0) {
		*ret_why = "cannot read the roster";
		return r;
	}
	if (fs->n_pages == 0) {
		snprintf(why, sizeof(why), "NIP %s has no fingerprint", fs->nip);
		*ret_why = why;
		return -ENOENT;
	}
	fs->next_page = 0;
	delete_next(fs);
	return 0;
}

/* --- lifecycle --- */

int fingers_new(const struct fingers_deps *deps, struct fingers **ret_fingers)
{
	const struct kconfig *cfg = deps->cfg;
	struct fpm_config fc = {
	    .device = deps->board->fp_uart,
	    .baud = deps->board->fp_baud ? deps->board->fp_baud : 57600,
	    .address = FPM_ADDRESS_DEFAULT,
	    .password = (uint32_t)cfg->fp_password,
	    .timeout_ms = cfg->fp_timeout_ms,
	    .enroll_wait_ms = cfg->fp_enroll_wait_ms,
	    .poll_ms = 100,
	    .reset_min_ms = 500,
	    .reset_max_ms = 30000,
	};
	struct templates_deps td = {
	    .loop = deps->loop,
	    .store = deps->store,
	    .enroll = enrol_requested,
	    .kick = on_kick,
	    .user = NULL,
	};
	struct fingers *fs;
	int r;

	fs = calloc(1, sizeof(*fs));
	if (!fs)
		return -ENOMEM;
	fs->deps = *deps;
	td.user = fs;
	if (strcmp(deps->board->fp_uart, "sim") == 0) {
		r = fpm_emu_new(deps->loop, &fs->emu);
		if (r < 0) {
			log_err("fingerprint: cannot start the emulated module: %s", strerror(-r));
			goto out_free;
		}
		fc.device = fpm_emu_path(fs->emu);
		fc.poll_ms = 5;
		fc.reset_min_ms = 50;
		fc.reset_max_ms = 1000;
	}
	r = fpm_new(deps->loop, &fc, on_status, fs, &fs->fpm);
	if (r < 0) {
		log_err("fingerprint: cannot drive '%s' at %u baud: %s", fc.device, fc.baud,
			strerror(-r));
		goto out_free;
	}
	if (deps->board->fp_touch.present) {
		r = fpm_watch_touch(fs->fpm, &deps->board->fp_touch, on_identified, fs);
		if (r < 0) {
			log_err("fingerprint: cannot open the touch line: %s", strerror(-r));
			goto out_free;
		}
	} else {
		log_warn("fingerprint: board '%s' has no [fingerprint] touch line: nothing starts "
			 "identification (enrolment still works)",
			 deps->board->name);
	}
	td.fpm = fs->fpm;
	r = templates_new(&td, &fs->templates);
	if (r < 0) {
		log_err("fingerprint: cannot start template sharing: %s", strerror(-r));
		goto out_free;
	}
	r = sim_new(deps->loop, cfg->control_socket, control_start, fs, &fs->control);
	if (r < 0) {
		log_err("fingerprint: cannot listen on '%s': %s", cfg->control_socket,
			strerror(-r));
		goto out_free;
	}
	*ret_fingers = fs;
	return 0;

out_free:
	fingers_free(fs);
	return r;
}

void fingers_free(struct fingers *fs)
{
	if (!fs)
		return;
	sim_free(fs->control);
	templates_free(fs->templates);
	fpm_free(fs->fpm);
	fpm_emu_free(fs->emu);
	free(fs);
}

void fingers_templates_wake(struct fingers *fs)
{
	templates_wake(fs->templates);
}

/* --- client --- */

int fingers_request(const char *path, const char *line, int64_t timeout_ms, char *reply, size_t len)
{
	struct sockaddr_un addr = {.sun_family = AF_UNIX};
	int64_t deadline = loop_now_ns() + timeout_ms * 1000000;
	size_t got = 0;
	char *nl;
	int fd, r;

	if (strlen(path) >= sizeof(addr.sun_path) || len < 2)
		return -ENAMETOOLONG;
	memcpy(addr.sun_path, path, strlen(path) + 1);
	fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
	if (fd < 0)
		return -errno;
	if (connect(fd, (struct sockaddr *)&addr, sizeof(addr)) < 0 ||
	    dprintf(fd, "%s\n", line) < 0) {
		r = -errno;
		goto out_close;
	}
	for (;;) {
		struct pollfd p = {.fd = fd, .events = POLLIN};
		int64_t left_ms = (deadline - loop_now_ns()) / 1000000;
		ssize_t n;

		if (left_ms <= 0) {
			r = -ETIMEDOUT;
			goto out_close;
		}
		r = poll(&p, 1, left_ms > 60000 ? 60000 : (int)left_ms);
		if (r < 0 && errno != EINTR) {
			r = -errno;
			goto out_close;
		}
		if (r <= 0)
			continue;
		n = read(fd, reply + got, len - 1 - got);
		if (n <= 0) {
			r = n == 0 ? -EPROTO : -errno;
			goto out_close;
		}
		got += (size_t)n;
		reply[got] = '\0';
		nl = strchr(reply, '\n');
		if (nl) {
			*nl = '\0';
			r = 0;
			goto out_close;
		}
		if (got == len - 1) {
			r = -EPROTO;
			goto out_close;
		}
	}

out_close:
	close(fd);
	return r;
}
