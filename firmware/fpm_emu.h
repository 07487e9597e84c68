/* SPDX-License-Identifier: MIT */
/*
 * A fingerprint module emulator for the sim board and tests: it opens a
 * pseudo-terminal, and on its master side speaks the real R30x protocol
 * (fpm_proto) to whatever opened the slave — the kiosk's own driver,
 * unchanged. It runs in the caller's event loop and never blocks.
 *
 * Model. A finger has an identity, a number; "finger N" is the finger whose
 * template the module holds (or would hold) on page N. The emulated module
 * has FPM_EMU_PAGES pages and starts with pages 0 .. FPM_EMU_SEEDED - 1
 * holding fingers 0 .. FPM_EMU_SEEDED - 1 (a module provisioned with a
 * hundred templates, so "finger 7" matches page 7 without set-up). A finger
 * that was never stored (FPM_EMU_FRESH, for enrolment) becomes finger P when
 * Store puts it on page P. Templates are 512 bytes derived from the identity
 * (its first 4 bytes are the identity, big-endian), so UpChar/DownChar move
 * fingers between pages and modules; DownChar takes only the exact 512
 * bytes of a finger (a damaged template leaves the buffer empty, and the
 * Store after it fails).
 *
 * The sensor: fpm_emu_place() puts a finger on it for a number of presses;
 * each successful GenImg uses one, and the GenImg after a successful one
 * answers "no finger" once (the finger was lifted), as a person does when
 * enrolment asks for the same finger twice.
 *
 * Faults (fpm_emu_fault) apply to the next reply only, except a hang, which
 * lasts until fpm_emu_recover(): garbage bytes before the reply (the parser
 * must resynchronise), a wrong checksum (the reply is lost), half a reply and
 * then silence (a hung module), "no finger" for the next GenImg.
 */
#ifndef HADIR_FIRMWARE_FPM_EMU_H
#define HADIR_FIRMWARE_FPM_EMU_H

#include <stdbool.h>
#include <stdint.h>

#include "common/err.h"

#define FPM_EMU_PAGES	     1000
#define FPM_EMU_SEEDED	     100
#define FPM_EMU_FRESH	     (-2) /* a finger the module has never stored */
#define FPM_EMU_TEMPLATE_LEN 512

struct loop;
struct fpm_emu;

enum fpm_emu_fault {
	FPM_EMU_OK,
	FPM_EMU_GARBAGE,  /* junk bytes, then the right reply */
	FPM_EMU_BADSUM,	  /* the reply with a wrong checksum */
	FPM_EMU_HANG,	  /* half the reply, then nothing until fpm_emu_recover() */
	FPM_EMU_NOFINGER, /* the next GenImg answers no finger */
};

/*
 * Open a pseudo-terminal and serve it from loop. The slave's path
 * (fpm_emu_path) is what the driver opens as its serial device. Free with
 * fpm_emu_free().
 */
int fpm_emu_new(struct loop *loop, struct fpm_emu **ret_emu) MUST_CHECK;
void fpm_emu_free(struct fpm_emu *emu);

/* "/dev/pts/N": valid for the emulator's lifetime. */
const char *fpm_emu_path(const struct fpm_emu *emu);

/* Put finger (an identity >= 0, or FPM_EMU_FRESH) on the sensor for presses images. */
void fpm_emu_place(struct fpm_emu *emu, int finger, unsigned presses);

void fpm_emu_fault(struct fpm_emu *emu, enum fpm_emu_fault fault);
void fpm_emu_recover(struct fpm_emu *emu);

/* The identity stored on page, or -1 when the page is empty or out of range. */
int fpm_emu_page(const struct fpm_emu *emu, unsigned page);

/* Parse "garbage", "badsum", "hang", "nofinger", "recover" ("recover" is FPM_EMU_OK). */
int fpm_emu_fault_parse(const char *word, enum fpm_emu_fault *ret_fault) MUST_CHECK;

#endif
