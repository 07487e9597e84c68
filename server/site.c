// SPDX-License-Identifier: MIT
/* `init`, device registration and certificate issuing for enrolment. */
#include "server/site.h"

#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "common/clk.h"
#include "common/log.h"
#include "server/config.h"
#include "server/db.h"

#define CA_LIFETIME_USEC     (INT64_C(20) * 365 * 86400 * CLK_USEC_PER_SEC)
#define SERVER_LIFETIME_USEC (INT64_C(825) * 86400 * CLK_USEC_PER_SEC)
#define BACKDATE_USEC                                                                              \
	(INT64_C(3600) * CLK_USEC_PER_SEC) /* tolerate a kiosk's clock a bit behind                \
					    */

int site_read_file(const char *path, size_t max, char **ret_data, size_t *ret_len)
{
	struct stat st;
	char *data;
	size_t len = 0;
	int fd, r;

	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return -errno;
	if (fstat(fd, &st) < 0) {
		r = -errno;
		goto out_close;
	}
	if (st.st_size < 0 || (size_t)st.st_size > max) {
		r = -E2BIG;
		goto out_close;
	}
	data = malloc((size_t)st.st_size + 1);
	if (!data) {
		r = -ENOMEM;
		goto out_close;
	}
	while (len < (size_t)st.st_size) {
		ssize_t n = read(fd, data + len, (size_t)st.st_size - len);

		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0) {
			r = n < 0 ? -errno : -EIO;
			free(data);
			goto out_close;
		}
		len += (size_t)n;
	}
	data[len] = '\0';
	close(fd);
	*ret_data = data;
	if (ret_len)
		*ret_len = len;
	return 0;

out_close:
	close(fd);
	return r;
}

/* Write a whole file, failing when it exists (init never overwrites). */
static int write_new_file(const char *path, const char *text, mode_t mode)
{
	size_t len = strlen(text);
	int fd, r = 0;

	fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, mode);
	if (fd < 0)
		return -errno;
	while (len > 0) {
		ssize_t n = write(fd, text, len);

		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0) {
			r = -errno;
			break;
		}
		text += n;
		len -= (size_t)n;
	}
	if (r == 0 && fsync(fd) < 0)
		r = -errno;
	if (close(fd) < 0 && r == 0)
		r = -errno;
	return r;
}

static int join(char *buf, size_t size, const char *dir, const char *name)
{
	if ((size_t)snprintf(buf, size, "%s/%s", dir, name) >= size)
		return -ENAMETOOLONG;
	return 0;
}

static bool is_ip(const char *host)
{
	unsigned char addr[16];

	return inet_pton(AF_INET, host, addr) == 1 || inet_pton(AF_INET6, host, addr) == 1;
}

/* The server's key and certificate: SANs localhost, 127.0.0.1, ::1 and the site's names. */
static int make_server_cert(const char *dir, const char *ca_pem, const struct crypto_key *ca_key,
			    const char *listen_host, const char *host_name, int64_t now)
{
	const char *dns[4] = {"localhost"}, *ips[4] = {"127.0.0.1", "::1"};
	size_t n_dns = 1, n_ips = 2;
	struct crypto_cert_req req = {
	    .role = CRYPTO_CERT_SERVER,
	    .cn = host_name ? host_name : "localhost",
	    .not_before_usec = now - BACKDATE_USEC,
	    .not_after_usec = now + SERVER_LIFETIME_USEC,
	    .dns_names = dns,
	    .ip_addrs = ips,
	};
	struct crypto_key *key;
	char path[PATH_MAX], *csr, *cert;
	int r;

	if (host_name && strcmp(host_name, "localhost") != 0)
		dns[n_dns++] = host_name;
	if (is_ip(listen_host)) {
		if (strcmp(listen_host, "127.0.0.1") != 0 && strcmp(listen_host, "::1") != 0 &&
		    strcmp(listen_host, "0.0.0.0") != 0 && strcmp(listen_host, "::") != 0)
			ips[n_ips++] = listen_host;
	} else if (strcmp(listen_host, "localhost") != 0 &&
		   (!host_name || strcmp(listen_host, host_name) != 0)) {
		dns[n_dns++] = listen_host;
	}
	dns[n_dns] = NULL;
	ips[n_ips] = NULL;

	r = crypto_key_generate(&key);
	if (r < 0)
		return r;
	r = join(path, sizeof(path), dir, "server.key");
	if (r == 0)
		r = crypto_key_save(key, path);
	if (r == 0)
		r = crypto_csr_create(key, req.cn, &csr);
	crypto_key_free(key);
	if (r < 0)
		return r;
	r = crypto_cert_issue(ca_pem, ca_key, csr, &req, &cert);
	free(csr);
	if (r < 0)
		return r;
	r = join(path, sizeof(path), dir, "server.pem");
	if (r == 0)
		r = write_new_file(path, cert, 0644);
	free(cert);
	return r;
}

static int write_config(const char *dir, const char *listen)
{
	char path[PATH_MAX], text[1024];

	snprintf(text, sizeof(text),
		 "# hadir-collector settings; paths are relative to this file's folder.\n"
		 "# `hadir-collector --check-config --config FILE` shows every key.\n"
		 "[server]\nlisten = %s\n\n"
		 "[tls]\ncertificate = server.pem\nkey = server.key\nca = ca.pem\n"
		 "ca_key = ca.key\n\n"
		 "[store]\nbackend = sqlite\ndatabase = collector.db\n\n"
		 "[templates]\nkey_file = templates.key\n",
		 listen);
	if (join(path, sizeof(path), dir, "collector.conf") < 0)
		return -ENAMETOOLONG;
	return write_new_file(path, text, 0640);
}

int site_init(const struct site_init_opts *opts, char ret_token[CRYPTO_TOKEN_LEN + 1])
{
	const char *listen = opts->listen ? opts->listen : "127.0.0.1:8443";
	struct crypto_cert_req ca_req = {.role = CRYPTO_CERT_CA, .cn = "Hadir Device CA"};
	char path[PATH_MAX], host[CONFIG_HOST_MAX], token[CRYPTO_TOKEN_LEN + 1];
	char hash[CRYPTO_SHA256_HEX], *ca_pem = NULL;
	int64_t now = clk_wall_usec();
	struct crypto_key *ca_key;
	struct db *db;
	uint16_t port;
	int r;

	if (config_parse_listen(listen, host, &port) < 0) {
		log_err("init: --listen '%s': not HOST:PORT", listen);
		return -EINVAL;
	}
	if (opts->host_name && !db_name_ok(opts->host_name)) {
		log_err("init: --host '%s': not a host name", opts->host_name);
		return -EINVAL;
	}
	if (mkdir(opts->dir, 0750) < 0 && errno != EEXIST) {
		r = -errno;
		log_err("init: create '%s': %s", opts->dir, strerror(-r));
		return r;
	}
	r = join(path, sizeof(path), opts->dir, "collector.conf");
	if (r < 0)
		return r;
	if (access(path, F_OK) == 0) {
		log_err("init: '%s' exists; not overwriting a site", path);
		return -EEXIST;
	}

	ca_req.not_before_usec = now - BACKDATE_USEC;
	ca_req.not_after_usec = now + CA_LIFETIME_USEC;
	r = crypto_key_generate(&ca_key);
	if (r < 0)
		goto out_log;
	r = join(path, sizeof(path), opts->dir, "ca.key");
	if (r == 0)
		r = crypto_key_save(ca_key, path);
	if (r == 0)
		r = crypto_ca_create(ca_key, &ca_req, &ca_pem);
	if (r == 0)
		r = join(path, sizeof(path), opts->dir, "ca.pem");
	if (r == 0)
		r = write_new_file(path, ca_pem, 0644);
	if (r == 0)
		r = make_server_cert(opts->dir, ca_pem, ca_key, host, opts->host_name, now);
	if (r == 0)
		r = join(path, sizeof(path), opts->dir, "templates.key");
	if (r == 0)
		r = crypto_secret_create(path);
	crypto_key_free(ca_key);
	free(ca_pem);
	if (r < 0)
		goto out_log;

	r = join(path, sizeof(path), opts->dir, "collector.db");
	if (r == 0)
		r = db_sqlite_open(path, &db);
	if (r < 0)
		goto out_log;
	r = crypto_token_new(token);
	if (r == 0) {
		crypto_token_hash(token, hash);
		r = db_admin_token_add(db, hash, "superadmin", NULL, now);
	}
	db_close(db);
	if (r < 0)
		goto out_log;
	r = write_config(opts->dir, listen);
	if (r < 0)
		goto out_log;
	memcpy(ret_token, token, sizeof(token));
	return 0;

out_log:
	log_err("init: '%s': %s", opts->dir, strerror(-r));
	return r;
}

int site_device_add(const struct config *cfg, struct db *db, const char *name,
		    char ret_token[CRYPTO_TOKEN_LEN + 1], int64_t *ret_expires_usec)
{
	char token[CRYPTO_TOKEN_LEN + 1], hash[CRYPTO_SHA256_HEX];
	int64_t now = clk_wall_usec();
	int64_t expires = now + cfg->token_lifetime_ms * 1000;
	int r;

	if (!db_name_ok(name))
		return -EINVAL;
	r = crypto_token_new(token);
	if (r < 0)
		return r;
	crypto_token_hash(token, hash);
	r = db_device_add(db, name, hash, now, expires);
	if (r < 0)
		return r;
	memcpy(ret_token, token, sizeof(token));
	*ret_expires_usec = expires;
	return 0;
}

int site_enroll(const struct config *cfg, struct db *db, const char *token, const char *csr,
		size_t csr_len, char **ret_cert, char **ret_ca)
{
	int64_t now = clk_wall_usec();
	struct crypto_cert_req req = {
	    .role = CRYPTO_CERT_CLIENT,
	    .not_before_usec = now - BACKDATE_USEC,
	    .not_after_usec = now + cfg->certificate_lifetime_ms * 1000,
	};
	char hash[CRYPTO_SHA256_HEX], *ca_pem, *cert, *csr_copy;
	struct crypto_cert_info info;
	struct crypto_key *ca_key;
	struct db_device dev;
	int r;

	if (strlen(token) != CRYPTO_TOKEN_LEN)
		return -EACCES;
	crypto_token_hash(token, hash);
	r = db_device_by_token(db, hash, now, &dev);
	if (r == -ENOENT)
		return -EACCES;
	if (r < 0)
		return r;
	r = crypto_csr_check(csr, csr_len);
	if (r < 0)
		return r == -ENOMEM ? r : -EBADMSG;
	csr_copy = strndup(csr, csr_len);
	if (!csr_copy)
		return -ENOMEM;
	r = site_read_file(cfg->ca, SITE_FILE_MAX, &ca_pem, NULL);
	if (r < 0) {
		log_err("enroll: read CA '%s': %s", cfg->ca, strerror(-r));
		goto out_free_csr;
	}
	r = crypto_key_load(cfg->ca_key, &ca_key);
	if (r < 0) {
		log_err("enroll: load CA key '%s': %s", cfg->ca_key, strerror(-r));
		goto out_free_ca;
	}
	req.cn = dev.name;
	r = crypto_cert_issue(ca_pem, ca_key, csr_copy, &req, &cert);
	crypto_key_free(ca_key);
	if (r < 0)
		goto out_free_ca;
	r = crypto_cert_info(cert, strlen(cert), &info);
	if (r == 0)
		r = db_device_enroll(db, hash, now, &info, cert);
	if (r < 0) {
		free(cert);
		if (r == -ENOENT)
			r = -EACCES; /* spent by a concurrent request */
		goto out_free_ca;
	}
	log_info("enroll: device '%s' enrolled, certificate serial %s", dev.name, info.serial);
	free(csr_copy);
	*ret_cert = cert;
	*ret_ca = ca_pem;
	return 0;

out_free_ca:
	free(ca_pem);
out_free_csr:
	free(csr_copy);
	return r;
}

static int check_key(const char *what, const char *path)
{
	struct crypto_key *key;
	struct stat st;
	int r;

	r = crypto_key_load(path, &key);
	if (r < 0) {
		log_err("check: %s '%s': cannot load: %s", what, path, strerror(-r));
		return r;
	}
	crypto_key_free(key);
	if (stat(path, &st) == 0 && (st.st_mode & 0007)) {
		log_err("check: %s '%s' is readable by others (mode %03o); chmod 0600 it", what,
			path, (unsigned)(st.st_mode & 0777));
		return -EPERM;
	}
	if (stat(path, &st) == 0 && (st.st_mode & 0070))
		log_warn("check: %s '%s' is readable by its group (mode %03o)", what, path,
			 (unsigned)(st.st_mode & 0777));
	return 0;
}

int site_check(const struct config *cfg)
{
	char *cert = NULL, *ca = NULL;
	int r, failed = 0;

	r = site_read_file(cfg->certificate, SITE_FILE_MAX, &cert, NULL);
	if (r < 0) {
		log_err("check: certificate '%s': %s", cfg->certificate, strerror(-r));
		failed = 1;
	}
	r = site_read_file(cfg->ca, SITE_FILE_MAX, &ca, NULL);
	if (r < 0) {
		log_err("check: CA '%s': %s", cfg->ca, strerror(-r));
		failed = 1;
	}
	if (cert && ca && crypto_cert_verify(cert, ca) < 0) {
		log_err("check: certificate '%s' is not valid now or not issued by CA '%s'",
			cfg->certificate, cfg->ca);
		failed = 1;
	}
	free(cert);
	free(ca);
	if (check_key("key", cfg->key) < 0)
		failed = 1;
	if (check_key("CA key", cfg->ca_key) < 0)
		failed = 1;
	return failed ? -EINVAL : 0;
}
