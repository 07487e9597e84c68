/* SPDX-License-Identifier: MIT */
/*
 * A collector site: the folder `init` creates (config, device CA, server key
 * and certificate, database, first admin token) and the CA's later work,
 * issuing kiosks their certificates at enrolment. Not the HTTP side of
 * enrolment (api.c) nor the storage (db.h).
 */
#ifndef HADIR_SERVER_SITE_H
#define HADIR_SERVER_SITE_H

#include <stddef.h>
#include <stdint.h>

#include "common/crypto.h"
#include "common/err.h"

struct config;
struct db;

#define SITE_FILE_MAX (1 << 20) /* largest PEM file read */

struct site_init_opts {
	const char *dir;       /* created when missing; must not hold a collector.conf */
	const char *listen;    /* HOST:PORT; NULL for 127.0.0.1:8443 */
	const char *host_name; /* extra DNS name in the server certificate, or NULL */
};

/*
 * Create a ready-to-run site. On success ret_token holds the first admin
 * token (role superadmin), which is stored only as a hash: the caller shows
 * it once. -EEXIST when DIR already has a collector.conf.
 */
int site_init(const struct site_init_opts *opts, char ret_token[CRYPTO_TOKEN_LEN + 1]) MUST_CHECK;

/*
 * Register device name with a new one-time enrolment token (valid for the
 * configured lifetime), returned in ret_token and stored only as a hash.
 */
int site_device_add(const struct config *cfg, struct db *db, const char *name,
		    char ret_token[CRYPTO_TOKEN_LEN + 1], int64_t *ret_expires_usec) MUST_CHECK;

/*
 * Enrol: spend token, check the CSR (csr_len bytes of PEM) and issue a client
 * certificate named after the device. *ret_cert and *ret_ca are PEM and must
 * be freed by the caller with free(). -EACCES for an unknown, used or expired
 * token (or a disabled device), -EBADMSG for a bad CSR.
 */
int site_enroll(const struct config *cfg, struct db *db, const char *token, const char *csr,
		size_t csr_len, char **ret_cert, char **ret_ca) MUST_CHECK;

/*
 * Check the files the configuration names: the server certificate chains to
 * the device CA, both private keys load and are not readable by others.
 * Every problem is logged; -EINVAL when there was any.
 */
int site_check(const struct config *cfg) MUST_CHECK;

/* Read a whole file of at most max bytes, NUL-terminated; free with free(). */
int site_read_file(const char *path, size_t max, char **ret_data, size_t *ret_len) MUST_CHECK;

#endif
