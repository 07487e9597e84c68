/* SPDX-License-Identifier: MIT */
/*
 * The collector's TLS, over non-blocking sockets: the one adapter to
 * mbedTLS's record layer. TLS 1.2 only, ECDHE-ECDSA with AEAD suites
 * (AES-GCM, ChaCha20-Poly1305), session tickets. A client certificate is
 * optional at the TLS level (enrolment has none), but one that is presented
 * must chain to the device CA and pass the peer check (an enrolled, enabled
 * device), or the handshake fails. Routes decide whether they need one.
 */
#ifndef HADIR_SERVER_TLS_H
#define HADIR_SERVER_TLS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#include "common/crypto.h"
#include "common/err.h"

struct config;
struct tls_server;
struct tls_conn;

/* 0 when a CA-verified client certificate (by SHA-256 of its DER) may connect. */
typedef int tls_peer_check_fn(const uint8_t fingerprint[CRYPTO_SHA256_LEN], void *user);

/* Load the server certificate, key and device CA; free with ::tls_server_free. */
int tls_server_new(const struct config *cfg, tls_peer_check_fn *check, void *user,
		   struct tls_server **ret_srv) MUST_CHECK;
void tls_server_free(struct tls_server *srv);

/* A server-side TLS session on a connected non-blocking socket (not owned). */
int tls_conn_new(struct tls_server *srv, int fd, struct tls_conn **ret_conn) MUST_CHECK;
void tls_conn_free(struct tls_conn *conn);

/*
 * Each returns -EAGAIN when the socket must become readable or writable
 * first (::tls_conn_wants_write tells which), -ECONNRESET when the peer went
 * away, -EACCES for a refused client certificate, -EPROTO for other TLS
 * failures.
 */
int tls_handshake(struct tls_conn *conn) MUST_CHECK;
/* Bytes read (> 0), 0 on a clean close by the peer, or a negative errno. */
ssize_t tls_read(struct tls_conn *conn, void *buf, size_t len) MUST_CHECK;
/* Bytes written (> 0) or a negative errno. */
ssize_t tls_write(struct tls_conn *conn, const void *buf, size_t len) MUST_CHECK;
/* Send close_notify, best effort. */
void tls_close_notify(struct tls_conn *conn);
bool tls_conn_wants_write(const struct tls_conn *conn);
/* Decrypted bytes waiting inside the TLS layer, which epoll cannot see. */
bool tls_conn_has_pending(const struct tls_conn *conn);

/* The verified client certificate's fingerprint; false when the client sent none. */
bool tls_conn_peer(const struct tls_conn *conn, uint8_t ret_fingerprint[CRYPTO_SHA256_LEN]);
/* The verified client certificate (DER, valid while conn is); false when the client sent none. */
bool tls_conn_peer_cert(const struct tls_conn *conn, const uint8_t **ret_der, size_t *ret_len);

#endif
