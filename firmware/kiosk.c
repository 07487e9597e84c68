// SPDX-License-Identifier: MIT
/*
 * Wiring of the kiosk daemon. Input handlers turn hardware (or simulated)
 * events into credentials; kiosk_answer() is the single place an outcome
 * becomes light, sound, a log line and a sim reply — always after the
 * record is committed by the tap path.
 */
#include "firmware/kiosk.h"

#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/signalfd.h>
#include <systemd/sd-daemon.h>
#include <unistd.h>

#include "common/log.h"
#include "firmware/board.h"
#include "firmware/evdev.h"
#include "firmware/feedback.h"
#include "firmware/fingers.h"
#include "firmware/gpio.h"
#include "firmware/kconfig.h"
#include "firmware/loop.h"
#include "firmware/sim.h"
#include "firmware/store.h"
#include "firmware/sync.h"
#include "firmware/syncproc.h"
#include "firmware/tap.h"
#include "firmware/trust.h"
#include "firmware/ui.h"
#include "firmware/wiegand.h"

#define WIEGAND_EVENTS_BATCH 64
#define SIM_PULSE_NS	     50000   /* SIA typical: 50 us low pulses */
#define SIM_INTERVAL_NS	     2000000 /* every 2 ms */
#define SIM_KEY_INTERVAL_NS  5000000

struct kiosk {
	const struct kconfig *cfg;
	const struct board *board;
	struct loop *loop;
	struct store *store;
	struct tap tap;
	struct feedback *feedback;

	struct gpio_in *wiegand_in;
	struct loop_source *wiegand_source;
	struct loop_timer *wiegand_timer;
	struct wiegand wiegand;
	struct log_limit noise_log; /* dropped reads: a floating line must not fill the journal */

	struct evdev *evdev;
	struct loop_source *evdev_source;
	struct loop_timer *evdev_timer;
	int sim_keys_fd; /* write end of the simulated wedge reader, or -1 */

	struct fingers *fingers; /* NULL: the board has no fingerprint module */

	struct sim *sim;
	struct syncproc *sync; /* the sync process; NULL until the kiosk is enrolled */
	struct loop_timer *checkpoint_timer; /* runs once taps pause (store_defer_checkpoints) */
	struct ui *ui;			     /* NULL without [ui] listen */

	int signal_fd;
	struct loop_source *signal_source;
	struct loop_timer *watchdog_timer;
	uint64_t watchdog_usec;
};

/* --- after each record --- */

/* Quiet this long after a record: the WAL checkpoint runs then, never inside a tap's commit. */
#define CHECKPOINT_IDLE_NS 1000000000LL

static void on_checkpoint(void *user)
{
	struct kiosk *k = user;

	if (store_checkpoint_due(k->store) && store_checkpoint(k->store) < 0)
		log_warn("store: checkpoint failed; the next pause after a record tries again");
}

/* A record was committed: the sync process pushes it; a checkpoint waits for quiet. */
static void kiosk_recorded(struct kiosk *k)
{
	if (k->sync)
		syncproc_kick(k->sync);
	loop_timer_in(k->checkpoint_timer, CHECKPOINT_IDLE_NS);
}

/* --- answers --- */

static void reply_sim(struct kiosk *k, const char *reply)
{
	if (k->sim && sim_in_flight(k->sim))
		sim_finish(k->sim, reply);
}

static void kiosk_answer(struct kiosk *k, const struct tap_result *res)
{
	static const enum feedback_signal signals[] = {
	    [TAP_ACCEPTED] = FEEDBACK_ACCEPT, [TAP_REPEAT] = FEEDBACK_REPEAT,
	    [TAP_UNKNOWN] = FEEDBACK_UNKNOWN, [TAP_REJECTED] = FEEDBACK_REJECT,
	    [TAP_FAILED] = FEEDBACK_FAULT,
	};
	char reply[160];

	feedback_signal(k->feedback, signals[res->outcome]);
	if (res->outcome != TAP_FAILED && res->outcome != TAP_REPEAT)
		kiosk_recorded(k);
	switch (res->outcome) {
	case TAP_ACCEPTED:
	case TAP_REPEAT:
		log_info("tap: accepted %s (%s) seq %" PRIu64 "%s", res->nip, res->name, res->seq,
			 res->outcome == TAP_REPEAT ? ", repeat" : "");
		snprintf(reply, sizeof(reply), "accepted %s %" PRIu64, res->nip, res->seq);
		break;
	case TAP_UNKNOWN:
		log_info("tap: unknown credential %s seq %" PRIu64, res->credential, res->seq);
		snprintf(reply, sizeof(reply), "unknown %s", res->credential);
		break;
	case TAP_REJECTED:
		log_info("tap: rejected read %s (%s) seq %" PRIu64, res->credential, res->reason,
			 res->seq);
		snprintf(reply, sizeof(reply), "rejected %s", res->reason);
		break;
	case TAP_FAILED:
		snprintf(reply, sizeof(reply), "rejected %s", res->reason);
		break;
	}
	reply_sim(k, reply);
	if (k->ui)
		ui_tap(k->ui, res);
}

/* A read too broken to be worth a record (noise): signalled and logged only. */
static void kiosk_refuse_read(struct kiosk *k, const char *token, const char *why)
{
	char reply[160];

	feedback_signal(k->feedback, FEEDBACK_REJECT);
	if (log_limit_allow(&k->noise_log, loop_now_ns(), "input: read dropped"))
		log_warn("input: read dropped: %s, ignoring", why);
	snprintf(reply, sizeof(reply), "rejected %s", token);
	reply_sim(k, reply);
}

/* --- fingerprint module (fingers.c runs it; outcomes come back here) --- */

static void on_finger(void *user, const char *credential)
{
	struct kiosk *k = user;
	struct tap_result res;

	tap_credential(&k->tap, credential, "", &res);
	kiosk_answer(k, &res);
}

static void on_finger_refused(void *user, enum feedback_signal signal, const char *token,
			      const char *why)
{
	struct kiosk *k = user;
	char reply[160];

	feedback_signal(k->feedback, signal);
	log_warn("%s (%s), not recorded", why, token);
	snprintf(reply, sizeof(reply), "rejected %s", token);
	reply_sim(k, reply);
}

/* Template sharing (fingers.c, templates.c): the sync process and the loop nudge each other. */
static void on_templates_reported(void *user)
{
	kiosk_recorded(user);
}

static void on_templates_queued(void *user)
{
	struct kiosk *k = user;

	if (k->fingers)
		fingers_templates_wake(k->fingers);
}

static int fingers_setup(struct kiosk *k)
{
	const struct fingers_deps deps = {
	    .loop = k->loop,
	    .store = k->store,
	    .feedback = k->feedback,
	    .board = k->board,
	    .cfg = k->cfg,
	    .tap = on_finger,
	    .refuse = on_finger_refused,
	    .kick = on_templates_reported,
	    .user = k,
	};

	if (k->board->fp_uart[0] == '\0')
		return 0;
	return fingers_new(&deps, &k->fingers);
}

/* --- Wiegand --- */

static void on_wiegand_frame(struct kiosk *k, const struct wiegand_frame *f)
{
	struct tap_result res;
	char cred[RECORD_CREDENTIAL_MAX];

	if (f->result == WIEGAND_OK && strncmp(f->format, "keypad", 6) == 0) {
		log_info("wiegand: keypad key %" PRIu64 " ignored (no PIN entry on this kiosk)",
			 f->credential);
		reply_sim(k, "rejected keypad");
		return;
	}
	if (f->result == WIEGAND_OK) {
		snprintf(cred, sizeof(cred), "%" PRIu64, f->credential);
		tap_credential(&k->tap, cred, "", &res);
		kiosk_answer(k, &res);
		return;
	}
	if (f->result == WIEGAND_BAD_PARITY || f->result == WIEGAND_BIT_COUNT) {
		/* A card was read, badly: admins want to see failing cards and readers. */
		snprintf(cred, sizeof(cred), "wiegand%u:%" PRIx64, f->nbits, f->bits);
		log_warn("wiegand: %s frame, %s", f->format, f->reason);
		tap_rejected(&k->tap, cred, wiegand_result_name(f->result), &res);
		kiosk_answer(k, &res);
		return;
	}
	kiosk_refuse_read(k, wiegand_result_name(f->result), f->reason);
}

static void wiegand_settle(struct kiosk *k)
{
	struct wiegand_frame frame;
	int64_t deadline;

	while (wiegand_poll(&k->wiegand, loop_now_ns(), &frame) == 1)
		on_wiegand_frame(k, &frame);
	deadline = wiegand_deadline(&k->wiegand);
	if (deadline >= 0)
		loop_timer_at(k->wiegand_timer, deadline);
	else
		loop_timer_stop(k->wiegand_timer);
}

static void on_wiegand_timer(void *user)
{
	wiegand_settle(user);
}

static void on_wiegand_edges(void *user, int fd, uint32_t events)
{
	struct gpio_event ev[WIEGAND_EVENTS_BATCH];
	struct kiosk *k = user;
	int n;

	(void)fd;
	(void)events;
	while ((n = gpio_in_read(k->wiegand_in, ev, ARRAY_SIZE(ev))) > 0)
		for (int i = 0; i < n; i++)
			wiegand_edge(&k->wiegand, ev[i].index, ev[i].rising, ev[i].ts_ns);
	if (n < 0)
		log_err("wiegand: reading GPIO events failed: %s", strerror(-n));
	wiegand_settle(k);
}

static int wiegand_setup(struct kiosk *k)
{
	const struct board_line *lines[2] = {&k->board->d0, &k->board->d1};
	struct wiegand_config wc = {
	    .gap_ns = k->cfg->wiegand_gap_ms * 1000000,
	    .pulse_min_ns = k->cfg->pulse_min_us * 1000,
	    .pulse_max_ns = k->cfg->pulse_max_us * 1000,
	};
	int r;

	if (!k->board->d0.present || !k->board->d1.present) {
		log_err("wiegand: board '%s' has no D0/D1 lines", k->board->name);
		return -EINVAL;
	}
	wiegand_init(&k->wiegand, &wc);
	r = gpio_in_open(lines, 2, "hadir-wiegand", &k->wiegand_in);
	if (r < 0) {
		log_err("wiegand: cannot open D0/D1 on board '%s': %s", k->board->name,
			strerror(-r));
		return r;
	}
	r = loop_timer_new(k->loop, on_wiegand_timer, k, &k->wiegand_timer);
	if (r == 0)
		r = loop_add(k->loop, gpio_in_fd(k->wiegand_in), EPOLLIN, on_wiegand_edges, k,
			     &k->wiegand_source);
	return r;
}

/* --- keyboard-wedge reader (evdev) --- */

static void evdev_settle(struct kiosk *k)
{
	int64_t deadline = evdev_deadline(k->evdev);

	if (deadline >= 0)
		loop_timer_at(k->evdev_timer, deadline);
	else
		loop_timer_stop(k->evdev_timer);
}

static void on_evdev_timer(void *user)
{
	struct kiosk *k = user;

	evdev_poll(k->evdev, loop_now_ns());
	evdev_settle(k);
}

static void on_evdev_keys(void *user, int fd, uint32_t events)
{
	char digits[RECORD_CREDENTIAL_MAX], cred[RECORD_CREDENTIAL_MAX];
	struct kiosk *k = user;
	struct tap_result res;
	int r;

	(void)fd;
	(void)events;
	while ((r = evdev_read(k->evdev, digits, sizeof(digits))) != 0) {
		if (r == -E2BIG || r == -EBADMSG) {
			kiosk_refuse_read(k, "bad-read",
					  r == -E2BIG ? "card number too long" : "non-digit key");
			continue;
		}
		if (r < 0) {
			log_err("evdev: reader failed: %s; card reader input stopped",
				strerror(-r));
			loop_remove(k->loop, k->evdev_source);
			k->evdev_source = NULL;
			break;
		}
		if (store_card_credential(digits, cred) < 0) {
			kiosk_refuse_read(k, "bad-read", "not a card number");
			continue;
		}
		tap_credential(&k->tap, cred, "", &res);
		kiosk_answer(k, &res);
	}
	evdev_settle(k);
}

static int evdev_setup(struct kiosk *k)
{
	int64_t timeout_ns = k->cfg->wedge_timeout_ms * 1000000;
	int r;

	if (k->cfg->source == KCONFIG_SOURCE_SIM) {
		int fds[2];

		/* The simulated reader types into a pipe the evdev reader drains. */
		if (pipe2(fds, O_CLOEXEC | O_NONBLOCK) < 0)
			return -errno;
		k->sim_keys_fd = fds[1];
		r = evdev_from_fd(fds[0], timeout_ns, &k->evdev);
	} else {
		r = evdev_open(k->board->evdev_device, timeout_ns, &k->evdev);
	}
	if (r < 0) {
		log_err("evdev: cannot open the card reader '%s': %s", k->board->evdev_device,
			strerror(-r));
		return r;
	}
	r = loop_timer_new(k->loop, on_evdev_timer, k, &k->evdev_timer);
	if (r == 0)
		r = loop_add(k->loop, evdev_fd(k->evdev), EPOLLIN, on_evdev_keys, k,
			     &k->evdev_source);
	return r;
}

/* --- sim socket --- */

static int sim_start(void *user, const struct sim_cmd *cmd, const char **ret_why)
{
	struct kiosk *k = user;
	int64_t now = loop_now_ns();

	switch (cmd->kind) {
	case SIM_WIEGAND: {
		struct wiegand_edge edges[2 * 128];
		size_t n = wiegand_encode_edges(cmd->arg, now, SIM_PULSE_NS, SIM_INTERVAL_NS, edges,
						ARRAY_SIZE(edges));

		if (n == 0) {
			*ret_why = "cannot encode these bits";
			return -EINVAL;
		}
		for (size_t i = 0; i < n; i++) {
			int r = gpio_sim_inject(k->wiegand_in, edges[i].line, edges[i].rising,
						edges[i].ts_ns);

			if (r < 0) {
				*ret_why = "simulated GPIO queue full";
				return r;
			}
		}
		return 0;
	}
	case SIM_CARD: {
		struct input_event keys[4 * 24];
		size_t n =
		    evdev_encode_digits(cmd->arg, now, SIM_KEY_INTERVAL_NS, keys, ARRAY_SIZE(keys));
		ssize_t w;

		if (n == 0) {
			*ret_why = "cannot type these digits";
			return -EINVAL;
		}
		w = write(k->sim_keys_fd, keys, n * sizeof(keys[0]));
		if (w != (ssize_t)(n * sizeof(keys[0]))) {
			*ret_why = "simulated reader pipe full";
			return -EAGAIN;
		}
		return 0;
	}
	case SIM_FINGER: {
		char cred[RECORD_CREDENTIAL_MAX];
		struct tap_result res;

		/* The emulated module: the real protocol over a pty, answered via on_finger. */
		if (k->fingers && fingers_is_emulated(k->fingers))
			return fingers_sim_touch(k->fingers, (unsigned)atoi(cmd->arg), ret_why);
		/* No emulated module: SLOT stands for the module's Search reply. */
		snprintf(cred, sizeof(cred), "finger:%d", atoi(cmd->arg));
		tap_credential(&k->tap, cred, "", &res);
		kiosk_answer(k, &res);
		return 0;
	}
	case SIM_FPM: {
		int r;

		if (!k->fingers) {
			*ret_why = "this board has no fingerprint module";
			return -EINVAL;
		}
		r = fingers_sim_fault(k->fingers, cmd->arg, ret_why);
		if (r == 0)
			sim_finish(k->sim, "ok");
		return r;
	}
	case SIM_FINGERPRINT:
		*ret_why =
		    "fingerprint commands go to the control socket (hadir-kiosk fingerprint)";
		return -EINVAL;
	}
	*ret_why = "unknown command";
	return -EINVAL;
}

static void sync_setup(struct kiosk *k);

/* --- signals and watchdog --- */

static void on_signal(void *user, int fd, uint32_t events)
{
	struct signalfd_siginfo si;
	struct kiosk *k = user;
	struct store_status st;

	(void)events;
	if (read(fd, &si, sizeof(si)) != sizeof(si))
		return;
	if (si.ssi_signo == SIGCHLD) {
		syncproc_reap(k->sync);
		return;
	}
	if (si.ssi_signo == SIGHUP) {
		/* The roster is read from the database on every tap: nothing to reload. */
		if (store_get_status(k->store, 0, 0, &st) == 0)
			log_info("kiosk: roster has %u staff, %u credentials", st.roster_staff,
				 st.roster_credentials);
		/*
		 * Enrolled (again) since start-up: sync with what enrol stored now. The
		 * sync process read its certificate and URL when it started.
		 */
		syncproc_stop(k->sync);
		k->sync = NULL;
		sync_setup(k);
		return;
	}
	log_info("kiosk: signal %u, shutting down", si.ssi_signo);
	(void)sd_notify(0, "STOPPING=1");
	loop_quit(k->loop);
}

static void on_watchdog(void *user)
{
	struct kiosk *k = user;

	(void)sd_notify(0, "WATCHDOG=1");
	loop_timer_in(k->watchdog_timer, (int64_t)k->watchdog_usec * 1000 / 2);
}

static int signals_setup(struct kiosk *k)
{
	sigset_t mask;
	int r;

	sigemptyset(&mask);
	sigaddset(&mask, SIGTERM);
	sigaddset(&mask, SIGINT);
	sigaddset(&mask, SIGHUP);
	sigaddset(&mask, SIGCHLD);
	if (sigprocmask(SIG_BLOCK, &mask, NULL) < 0)
		return -errno;
	k->signal_fd = signalfd(-1, &mask, SFD_NONBLOCK | SFD_CLOEXEC);
	if (k->signal_fd < 0)
		return -errno;
	r = loop_add(k->loop, k->signal_fd, EPOLLIN, on_signal, k, &k->signal_source);
	if (r < 0)
		return r;
	if (sd_watchdog_enabled(0, &k->watchdog_usec) > 0) {
		r = loop_timer_new(k->loop, on_watchdog, k, &k->watchdog_timer);
		if (r < 0)
			return r;
		on_watchdog(k);
	}
	return 0;
}

/* --- sync --- */

static void sync_setup(struct kiosk *k)
{
	const struct syncproc_deps deps = {
	    .loop = k->loop,
	    .cfg = k->cfg,
	    .store = k->store,
	    .templates_queued = on_templates_queued,
	    .user = k,
	};
	char url[CFG_VALUE_MAX];

	snprintf(url, sizeof(url), "%s", k->cfg->sync_url);
	if (url[0] == '\0' && store_sync_get(k->store, SYNC_KEY_URL, url, sizeof(url)) <= 0)
		url[0] = '\0';
	if (url[0] == '\0') {
		log_info("sync: not enrolled (hadir-kiosk enroll), records stay in the outbox");
		return;
	}
	if (access(k->cfg->sync_cert, R_OK) < 0 || access(k->cfg->sync_key, R_OK) < 0) {
		log_err("sync: certificate '%s' or key '%s' missing: enrol this kiosk again",
			k->cfg->sync_cert, k->cfg->sync_key);
		return; /* the door keeps working; taps wait in the outbox */
	}
	if (syncproc_start(&deps, url, &k->sync) < 0)
		log_warn("sync: not running; the door keeps working and taps wait in the outbox");
}

/* --- kiosk screen --- */

static void on_ui_recorded(void *user)
{
	kiosk_recorded(user);
}

static int ui_setup(struct kiosk *k)
{
	const struct ui_deps deps = {
	    .loop = k->loop,
	    .store = k->store,
	    .cfg = k->cfg,
	    .clock = k->tap.clock,
	    .boot_id = k->tap.boot_id,
	    .recorded = on_ui_recorded,
	    .user = k,
	};

	if (k->cfg->ui_listen[0] == '\0')
		return 0;
	return ui_new(&deps, &k->ui);
}

/* --- lifecycle --- */

int kiosk_new(const struct kconfig *cfg, const struct board *board, struct kiosk **ret_kiosk)
{
	const struct feedback_timing timing = {
	    .accept_beep_ms = cfg->accept_beep_ms,
	    .reject_beep_ms = cfg->reject_beep_ms,
	    .led_ms = cfg->led_ms,
	    .relay_ms = cfg->relay_ms,
	};
	struct kiosk *k;
	int r;

	k = calloc(1, sizeof(*k));
	if (!k)
		return -ENOMEM;
	k->cfg = cfg;
	k->board = board;
	k->sim_keys_fd = -1;
	k->signal_fd = -1;
	k->noise_log = (struct log_limit){.burst = 10, .window_ns = 60 * (int64_t)1000000000};

	r = store_open(cfg->database, STORE_EXISTING, &k->store);
	if (r < 0) {
		if (r == -ENOENT)
			log_err(
			    "kiosk: database '%s' missing: run 'hadir-kiosk init' or restore it",
			    cfg->database);
		else
			log_err("kiosk: cannot open database '%s': %s%s", cfg->database,
				strerror(-r),
				r == -EBADMSG ? " (damaged? it was left untouched)" : "");
		goto out_free;
	}
	store_defer_checkpoints(k->store);
	r = store_reserve_wal(k->store);
	if (r < 0)
		log_warn(
		    "kiosk: cannot reserve the WAL (%s): taps are still recorded, a little slower",
		    strerror(-r));
	trust_use_ntp(cfg->trust_ntp);
	r = tap_init(&k->tap, k->store, &tap_system_clock, cfg->debounce_ms * 1000);
	if (r < 0) {
		log_err("kiosk: cannot read the boot id: %s", strerror(-r));
		goto out_free;
	}
	r = loop_new(&k->loop);
	if (r < 0)
		goto out_free;
	r = signals_setup(k);
	if (r == 0)
		r = loop_timer_new(k->loop, on_checkpoint, k, &k->checkpoint_timer);
	if (r < 0)
		goto out_free;
	r = feedback_new(k->loop, board, &timing, &k->feedback);
	if (r < 0)
		goto out_free;

	if (cfg->source == KCONFIG_SOURCE_WIEGAND || cfg->source == KCONFIG_SOURCE_SIM) {
		r = wiegand_setup(k);
		if (r < 0)
			goto out_free;
	}
	if (cfg->source == KCONFIG_SOURCE_EVDEV || cfg->source == KCONFIG_SOURCE_SIM) {
		r = evdev_setup(k);
		if (r < 0)
			goto out_free;
	}
	r = fingers_setup(k);
	if (r < 0)
		goto out_free;
	if (cfg->source == KCONFIG_SOURCE_SIM) {
		r = sim_new(k->loop, cfg->sim_socket, sim_start, k, &k->sim);
		if (r < 0) {
			log_err("sim: cannot listen on '%s': %s", cfg->sim_socket, strerror(-r));
			goto out_free;
		}
	}
	sync_setup(k);
	r = ui_setup(k);
	if (r < 0)
		goto out_free;
	*ret_kiosk = k;
	return 0;

out_free:
	kiosk_free(k);
	return r;
}

int kiosk_run(struct kiosk *k)
{
	struct store_status st;
	int r;

	if (store_get_status(k->store, 0, 0, &st) == 0)
		log_info("kiosk: '%s' ready: roster %u staff, last seq %" PRIu64
			 ", outbox %" PRIu64,
			 k->cfg->name, st.roster_staff, st.last_seq, st.last_seq - st.acked_seq);
	(void)sd_notify(0, "READY=1\nSTATUS=ready");
	r = loop_run(k->loop);
	if (r < 0)
		log_err("kiosk: event loop failed: %s", strerror(-r));
	return r;
}

void kiosk_free(struct kiosk *k)
{
	if (!k)
		return;
	ui_free(k->ui);
	syncproc_stop(k->sync);
	sim_free(k->sim);
	fingers_free(k->fingers);
	if (k->evdev_timer)
		loop_timer_free(k->loop, k->evdev_timer);
	evdev_free(k->evdev);
	if (k->sim_keys_fd >= 0)
		close(k->sim_keys_fd);
	if (k->wiegand_timer)
		loop_timer_free(k->loop, k->wiegand_timer);
	gpio_in_free(k->wiegand_in);
	feedback_free(k->feedback);
	if (k->watchdog_timer)
		loop_timer_free(k->loop, k->watchdog_timer);
	if (k->checkpoint_timer)
		loop_timer_free(k->loop, k->checkpoint_timer);
	if (k->signal_fd >= 0)
		close(k->signal_fd);
	loop_free(k->loop);
	store_close(k->store);
	free(k);
}
