// SPDX-License-Identifier: MIT
/*
 * Fingerprint module packets: encode, parse, decode. Pure and bounded: the
 * parser holds at most two packets' worth of bytes and never trusts LEN
 * before checking it against FPM_DATA_MAX.
 */
#include "firmware/fpm_proto.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

uint16_t fpm_be16(const uint8_t *p)
{
	return (uint16_t)((unsigned)p[0] << 8 | p[1]);
}

uint32_t fpm_be32(const uint8_t *p)
{
	return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | p[3];
}

void fpm_put16(uint8_t *p, uint16_t v)
{
	p[0] = (uint8_t)(v >> 8);
	p[1] = (uint8_t)v;
}

void fpm_put32(uint8_t *p, uint32_t v)
{
	p[0] = (uint8_t)(v >> 24);
	p[1] = (uint8_t)(v >> 16);
	p[2] = (uint8_t)(v >> 8);
	p[3] = (uint8_t)v;
}

/* PID, both LEN bytes and the data: bytes 6 .. 9 + n of a frame. */
static uint16_t checksum(const uint8_t *from_pid, size_t n)
{
	unsigned sum = 0;

	for (size_t i = 0; i < n; i++)
		sum += from_pid[i];
	return (uint16_t)sum;
}

int fpm_encode(uint32_t address, uint8_t pid, const uint8_t *data, size_t len,
	       struct fpm_frame *out)
{
	uint8_t *b = out->bytes;

	if (len == 0 || len > FPM_DATA_MAX)
		return -EMSGSIZE;
	b[0] = 0xEF;
	b[1] = 0x01;
	fpm_put32(b + 2, address);
	b[6] = pid;
	fpm_put16(b + 7, (uint16_t)(len + 2));
	memcpy(b + FPM_HEADER_LEN, data, len);
	fpm_put16(b + FPM_HEADER_LEN + len, checksum(b + 6, 3 + len));
	out->len = FPM_HEADER_LEN + len + 2;
	return 0;
}

static void command(uint32_t address, const uint8_t *data, size_t len, struct fpm_frame *out)
{
	/* Instruction packets are at most 12 bytes of data: fpm_encode cannot fail here. */
	if (fpm_encode(address, FPM_PID_COMMAND, data, len, out) < 0)
		abort();
}

static void simple(uint32_t address, uint8_t instr, struct fpm_frame *out)
{
	command(address, &instr, 1, out);
}

void fpm_cmd_gen_img(uint32_t address, struct fpm_frame *out)
{
	simple(address, FPM_GEN_IMG, out);
}

void fpm_cmd_img2tz(uint32_t address, uint8_t buffer, struct fpm_frame *out)
{
	const uint8_t d[] = {FPM_IMG2TZ, buffer};

	command(address, d, sizeof(d), out);
}

void fpm_cmd_match(uint32_t address, struct fpm_frame *out)
{
	simple(address, FPM_MATCH, out);
}

void fpm_cmd_search(uint32_t address, uint8_t buffer, uint16_t start, uint16_t count,
		    struct fpm_frame *out)
{
	uint8_t d[6] = {FPM_SEARCH, buffer};

	fpm_put16(d + 2, start);
	fpm_put16(d + 4, count);
	command(address, d, sizeof(d), out);
}

void fpm_cmd_reg_model(uint32_t address, struct fpm_frame *out)
{
	simple(address, FPM_REG_MODEL, out);
}

static void buffer_page(uint32_t address, uint8_t instr, uint8_t buffer, uint16_t page,
			struct fpm_frame *out)
{
	uint8_t d[4] = {instr, buffer};

	fpm_put16(d + 2, page);
	command(address, d, sizeof(d), out);
}

void fpm_cmd_store(uint32_t address, uint8_t buffer, uint16_t page, struct fpm_frame *out)
{
	buffer_page(address, FPM_STORE, buffer, page, out);
}

void fpm_cmd_load_char(uint32_t address, uint8_t buffer, uint16_t page, struct fpm_frame *out)
{
	buffer_page(address, FPM_LOAD_CHAR, buffer, page, out);
}

void fpm_cmd_up_char(uint32_t address, uint8_t buffer, struct fpm_frame *out)
{
	const uint8_t d[] = {FPM_UP_CHAR, buffer};

	command(address, d, sizeof(d), out);
}

void fpm_cmd_down_char(uint32_t address, uint8_t buffer, struct fpm_frame *out)
{
	const uint8_t d[] = {FPM_DOWN_CHAR, buffer};

	command(address, d, sizeof(d), out);
}

void fpm_cmd_delete_char(uint32_t address, uint16_t page, uint16_t count, struct fpm_frame *out)
{
	uint8_t d[5] = {FPM_DELETE_CHAR};

	fpm_put16(d + 1, page);
	fpm_put16(d + 3, count);
	command(address, d, sizeof(d), out);
}

void fpm_cmd_empty(uint32_t address, struct fpm_frame *out)
{
	simple(address, FPM_EMPTY, out);
}

void fpm_cmd_template_num(uint32_t address, struct fpm_frame *out)
{
	simple(address, FPM_TEMPLATE_NUM, out);
}

void fpm_cmd_verify_pwd(uint32_t address, uint32_t password, struct fpm_frame *out)
{
	uint8_t d[5] = {FPM_VERIFY_PWD};

	fpm_put32(d + 1, password);
	command(address, d, sizeof(d), out);
}

void fpm_cmd_read_sys_para(uint32_t address, struct fpm_frame *out)
{
	simple(address, FPM_READ_SYS_PARA, out);
}

void fpm_cmd_read_index_table(uint32_t address, uint8_t table, struct fpm_frame *out)
{
	const uint8_t d[] = {FPM_READ_INDEX_TABLE, table};

	command(address, d, sizeof(d), out);
}

int fpm_build_ack(uint32_t address, uint8_t code, const uint8_t *params, size_t n,
		  struct fpm_frame *out)
{
	uint8_t d[FPM_DATA_MAX];

	if (n >= FPM_DATA_MAX)
		return -EMSGSIZE;
	d[0] = code;
	if (n)
		memcpy(d + 1, params, n);
	return fpm_encode(address, FPM_PID_ACK, d, n + 1, out);
}

/* --- parser --- */

void fpm_parser_init(struct fpm_parser *p)
{
	memset(p, 0, sizeof(*p));
}

void fpm_parser_reset(struct fpm_parser *p)
{
	p->len = 0;
}

size_t fpm_parser_feed(struct fpm_parser *p, const uint8_t *data, size_t n)
{
	size_t room = sizeof(p->buf) - p->len;

	if (n > room)
		n = room;
	memcpy(p->buf + p->len, data, n);
	p->len += n;
	return n;
}

static void drop(struct fpm_parser *p, size_t n)
{
	memmove(p->buf, p->buf + n, p->len - n);
	p->len -= n;
}

int fpm_parser_next(struct fpm_parser *p, struct fpm_packet *ret_pkt)
{
	size_t i = 0, total;
	uint16_t len;

	/* Skip to a header: EF 01, or a lone EF at the end that may become one. */
	while (i < p->len && !(p->buf[i] == 0xEF && (i + 1 == p->len || p->buf[i + 1] == 0x01)))
		i++;
	if (i) {
		p->skipped += i;
		drop(p, i);
	}
	if (p->len < FPM_HEADER_LEN)
		return 0;
	len = fpm_be16(p->buf + 7);
	if (len < 3 || len > FPM_DATA_MAX + 2) {
		p->rejected++;
		drop(p, 1);
		return -EMSGSIZE;
	}
	total = FPM_HEADER_LEN + len;
	if (p->len < total)
		return 0;
	if (checksum(p->buf + 6, total - 2 - 6) != fpm_be16(p->buf + total - 2)) {
		p->rejected++;
		drop(p, 1);
		return -EBADMSG;
	}
	ret_pkt->address = fpm_be32(p->buf + 2);
	ret_pkt->pid = p->buf[6];
	ret_pkt->len = (uint16_t)(len - 2);
	memcpy(ret_pkt->data, p->buf + FPM_HEADER_LEN, ret_pkt->len);
	drop(p, total);
	return 1;
}

/* --- decoders --- */

int fpm_decode_ack(const struct fpm_packet *pkt, struct fpm_ack *ret_ack)
{
	if (pkt->pid != FPM_PID_ACK || pkt->len < 1)
		return -EPROTO;
	ret_ack->code = pkt->data[0];
	ret_ack->n_params = (uint16_t)(pkt->len - 1);
	ret_ack->params = pkt->data + 1;
	return 0;
}

int fpm_ack_search(const struct fpm_ack *ack, uint16_t *ret_page, uint16_t *ret_score)
{
	if (ack->n_params < 4)
		return -EBADMSG;
	*ret_page = fpm_be16(ack->params);
	*ret_score = fpm_be16(ack->params + 2);
	return 0;
}

int fpm_ack_template_num(const struct fpm_ack *ack, uint16_t *ret_count)
{
	if (ack->n_params < 2)
		return -EBADMSG;
	*ret_count = fpm_be16(ack->params);
	return 0;
}

int fpm_ack_sys_para(const struct fpm_ack *ack, struct fpm_sys_para *ret_para)
{
	const uint8_t *q = ack->params;
	struct fpm_sys_para sp;
	uint16_t size_code;

	if (ack->n_params < 16)
		return -EBADMSG;
	sp.status = fpm_be16(q);
	sp.system_id = fpm_be16(q + 2);
	sp.library_size = fpm_be16(q + 4);
	sp.security_level = fpm_be16(q + 6);
	sp.address = fpm_be32(q + 8);
	size_code = fpm_be16(q + 12);
	if (size_code > 3)
		return -EBADMSG;
	sp.packet_size = (uint16_t)(32u << size_code);
	sp.baud = fpm_be16(q + 14) * 9600u;
	*ret_para = sp;
	return 0;
}

int fpm_ack_index_table(const struct fpm_ack *ack, uint8_t ret_bits[FPM_INDEX_BYTES])
{
	if (ack->n_params < FPM_INDEX_BYTES)
		return -EBADMSG;
	memcpy(ret_bits, ack->params, FPM_INDEX_BYTES);
	return 0;
}

const char *fpm_code_name(uint8_t code)
{
	switch (code) {
	case FPM_OK:
		return "ok";
	case FPM_E_RECEIVE:
		return "receive-error";
	case FPM_E_NO_FINGER:
		return "no-finger";
	case FPM_E_CAPTURE:
		return "capture-failed";
	case FPM_E_DISORDERLY:
		return "image-disorderly";
	case FPM_E_FEW_FEATURES:
		return "few-features";
	case FPM_E_NO_MATCH:
		return "no-match";
	case FPM_E_NOT_FOUND:
		return "not-found";
	case FPM_E_MERGE:
		return "merge-failed";
	case FPM_E_PAGE_RANGE:
		return "page-out-of-range";
	case FPM_E_TEMPLATE_READ:
		return "template-read-error";
	case FPM_E_UPLOAD:
	case FPM_E_RECEIVE_DATA:
	case FPM_E_UPLOAD_IMAGE:
		return "transfer-failed";
	case FPM_E_DELETE:
		return "delete-failed";
	case FPM_E_CLEAR:
		return "clear-failed";
	case FPM_E_PASSWORD:
		return "wrong-password";
	case FPM_E_NO_IMAGE:
		return "no-valid-image";
	case FPM_E_FLASH:
		return "flash-error";
	case FPM_E_REGISTER:
		return "bad-register";
	default:
		return "module-error";
	}
}
