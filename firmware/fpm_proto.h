/* SPDX-License-Identifier: MIT */
/*
 * The R30x / R503 / AS608 / ZFM fingerprint module's UART packets, as pure
 * functions: framing, instruction builders, an incremental parser and
 * decoders of acknowledgements. No I/O, no allocation, no logging; every
 * multi-byte field is read and written byte by byte, big-endian, so the same
 * code is right on x86-64, arm64 and armhf.
 *
 *   EF 01 | address (4) | PID (1) | LEN (2, = data bytes + 2) | data | SUM (2)
 *   SUM = low 16 bits of PID + both LEN bytes + every data byte.
 *
 * The transport and the state machines that use these live in fpm.c.
 */
#ifndef HADIR_FIRMWARE_FPM_PROTO_H
#define HADIR_FIRMWARE_FPM_PROTO_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "common/err.h"

#define FPM_ADDRESS_DEFAULT 0xFFFFFFFFu
#define FPM_HEADER_LEN	    9	/* EF 01, address, PID, LEN */
#define FPM_DATA_MAX	    256 /* data bytes in one packet: the largest packet size */
#define FPM_PACKET_MAX	    (FPM_HEADER_LEN + FPM_DATA_MAX + 2)
#define FPM_CHUNK	    128	 /* data packet size used for templates (module default) */
#define FPM_TEMPLATE_MAX    4096 /* bound on an uploaded template (R307: 512, R503: 1536) */
#define FPM_INDEX_BYTES	    32	 /* ReadIndexTable: one bit per page, 256 pages a table */
#define FPM_PARSER_BUF	    (2 * FPM_PACKET_MAX)

enum fpm_pid {
	FPM_PID_COMMAND = 0x01,
	FPM_PID_DATA = 0x02,
	FPM_PID_ACK = 0x07,
	FPM_PID_END = 0x08, /* last data packet */
};

enum fpm_instr {
	FPM_GEN_IMG = 0x01,
	FPM_IMG2TZ = 0x02,
	FPM_MATCH = 0x03,
	FPM_SEARCH = 0x04,
	FPM_REG_MODEL = 0x05,
	FPM_STORE = 0x06,
	FPM_LOAD_CHAR = 0x07,
	FPM_UP_CHAR = 0x08,
	FPM_DOWN_CHAR = 0x09,
	FPM_UP_IMAGE = 0x0A,
	FPM_DELETE_CHAR = 0x0C,
	FPM_EMPTY = 0x0D,
	FPM_SET_SYS_PARA = 0x0E,
	FPM_READ_SYS_PARA = 0x0F,
	FPM_SET_PWD = 0x12,
	FPM_VERIFY_PWD = 0x13,
	FPM_GET_RANDOM = 0x14,
	FPM_SET_ADDER = 0x15,
	FPM_TEMPLATE_NUM = 0x1D,
	FPM_READ_INDEX_TABLE = 0x1F,
};

/* Confirmation codes (first data byte of an acknowledgement). */
enum fpm_code {
	FPM_OK = 0x00,
	FPM_E_RECEIVE = 0x01,
	FPM_E_NO_FINGER = 0x02,
	FPM_E_CAPTURE = 0x03,
	FPM_E_DISORDERLY = 0x06,
	FPM_E_FEW_FEATURES = 0x07,
	FPM_E_NO_MATCH = 0x08,
	FPM_E_NOT_FOUND = 0x09,
	FPM_E_MERGE = 0x0A,
	FPM_E_PAGE_RANGE = 0x0B,
	FPM_E_TEMPLATE_READ = 0x0C,
	FPM_E_UPLOAD = 0x0D,
	FPM_E_RECEIVE_DATA = 0x0E,
	FPM_E_UPLOAD_IMAGE = 0x0F,
	FPM_E_DELETE = 0x10,
	FPM_E_CLEAR = 0x11,
	FPM_E_PASSWORD = 0x13,
	FPM_E_NO_IMAGE = 0x15,
	FPM_E_FLASH = 0x18,
	FPM_E_REGISTER = 0x1A,
};

/* One encoded packet, ready to write. */
struct fpm_frame {
	uint8_t bytes[FPM_PACKET_MAX];
	size_t len;
};

/* One decoded packet: checksum verified, LEN within bounds. */
struct fpm_packet {
	uint32_t address;
	uint8_t pid;
	uint16_t len; /* data bytes (LEN - 2) */
	uint8_t data[FPM_DATA_MAX];
};

/* An acknowledgement: its confirmation code and the parameters after it. */
struct fpm_ack {
	uint8_t code;
	uint16_t n_params;
	const uint8_t *params; /* points into the packet it was decoded from */
};

/* ReadSysPara's 16 bytes. */
struct fpm_sys_para {
	uint16_t status;
	uint16_t system_id;
	uint16_t library_size; /* pages */
	uint16_t security_level;
	uint32_t address;
	uint16_t packet_size; /* bytes: 32, 64, 128 or 256 */
	uint32_t baud;	      /* bits per second */
};

/*
 * Encode a packet of any PID with len data bytes (1..FPM_DATA_MAX) into out.
 * -EMSGSIZE when len is out of range; out is written only on success.
 */
int fpm_encode(uint32_t address, uint8_t pid, const uint8_t *data, size_t len,
	       struct fpm_frame *out) MUST_CHECK;

/* Instruction builders: a command packet (PID 01). They cannot fail. */
void fpm_cmd_gen_img(uint32_t address, struct fpm_frame *out);
void fpm_cmd_img2tz(uint32_t address, uint8_t buffer, struct fpm_frame *out);
void fpm_cmd_match(uint32_t address, struct fpm_frame *out);
void fpm_cmd_search(uint32_t address, uint8_t buffer, uint16_t start, uint16_t count,
		    struct fpm_frame *out);
void fpm_cmd_reg_model(uint32_t address, struct fpm_frame *out);
void fpm_cmd_store(uint32_t address, uint8_t buffer, uint16_t page, struct fpm_frame *out);
void fpm_cmd_load_char(uint32_t address, uint8_t buffer, uint16_t page, struct fpm_frame *out);
void fpm_cmd_up_char(uint32_t address, uint8_t buffer, struct fpm_frame *out);
void fpm_cmd_down_char(uint32_t address, uint8_t buffer, struct fpm_frame *out);
void fpm_cmd_delete_char(uint32_t address, uint16_t page, uint16_t count, struct fpm_frame *out);
void fpm_cmd_empty(uint32_t address, struct fpm_frame *out);
void fpm_cmd_template_num(uint32_t address, struct fpm_frame *out);
void fpm_cmd_verify_pwd(uint32_t address, uint32_t password, struct fpm_frame *out);
void fpm_cmd_read_sys_para(uint32_t address, struct fpm_frame *out);
void fpm_cmd_read_index_table(uint32_t address, uint8_t table, struct fpm_frame *out);

/* An acknowledgement packet (PID 07) with code and n parameter bytes (module side). */
int fpm_build_ack(uint32_t address, uint8_t code, const uint8_t *params, size_t n,
		  struct fpm_frame *out) MUST_CHECK;

/*
 * Incremental parser. Bytes go in with fpm_parser_feed() in any chunking;
 * fpm_parser_next() then takes packets out. Bytes before an EF 01 header are
 * skipped; a packet whose LEN is below 3 or above FPM_DATA_MAX + 2 or whose
 * checksum is wrong is dropped, and the parser resynchronises on the next
 * EF 01 after its first byte (so a real packet hidden behind a false header
 * is still found). Memory is the struct: FPM_PARSER_BUF bytes.
 */
struct fpm_parser {
	uint8_t buf[FPM_PARSER_BUF];
	size_t len;
	uint64_t skipped;  /* garbage bytes skipped before headers */
	uint64_t rejected; /* packets dropped: bad checksum or LEN */
};

void fpm_parser_init(struct fpm_parser *p);

/* Forget a partial packet (after a timeout or a reset); counters are kept. */
void fpm_parser_reset(struct fpm_parser *p);

/*
 * Take up to n bytes and return how many were taken (less than n only when
 * the buffer is full: call fpm_parser_next() until it returns 0, then feed
 * the rest).
 */
size_t fpm_parser_feed(struct fpm_parser *p, const uint8_t *data, size_t n);

/*
 * Take the next packet out: 1 and ret_pkt filled, 0 when more bytes are
 * needed, -EBADMSG (bad checksum) or -EMSGSIZE (LEN out of bounds) when a
 * packet was dropped — call again, more packets may follow.
 */
int fpm_parser_next(struct fpm_parser *p, struct fpm_packet *ret_pkt) MUST_CHECK;

/* An acknowledgement's code and parameters; -EPROTO if pkt is not an ack or is empty. */
int fpm_decode_ack(const struct fpm_packet *pkt, struct fpm_ack *ret_ack) MUST_CHECK;

/* Search's page and score (needs 4 parameter bytes); -EBADMSG if short. */
int fpm_ack_search(const struct fpm_ack *ack, uint16_t *ret_page, uint16_t *ret_score) MUST_CHECK;

/* TemplateNum's count (2 parameter bytes). */
int fpm_ack_template_num(const struct fpm_ack *ack, uint16_t *ret_count) MUST_CHECK;

/* ReadSysPara's 16 parameter bytes. */
int fpm_ack_sys_para(const struct fpm_ack *ack, struct fpm_sys_para *ret_para) MUST_CHECK;

/* ReadIndexTable's 32 bytes: bit j of byte i is page table * 256 + i * 8 + j. */
int fpm_ack_index_table(const struct fpm_ack *ack, uint8_t ret_bits[FPM_INDEX_BYTES]) MUST_CHECK;

/* A short token for a confirmation code ("no-finger"; "module-error" for unknown ones). */
const char *fpm_code_name(uint8_t code);

/* Big-endian helpers, exposed for the module emulator and tests. */
uint16_t fpm_be16(const uint8_t *p);
uint32_t fpm_be32(const uint8_t *p);
void fpm_put16(uint8_t *p, uint16_t v);
void fpm_put32(uint8_t *p, uint32_t v);

#endif
