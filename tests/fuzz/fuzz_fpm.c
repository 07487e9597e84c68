// SPDX-License-Identifier: MIT
/*
 * The fingerprint packet parser over arbitrary bytes in arbitrary chunks
 * (the first byte picks the chunk size). Every packet it returns must encode
 * back to a valid frame that parses to the same packet; every decoder must
 * accept or refuse it without reading past its data; the parser's buffer
 * must stay within its bound and never hold a packet it could return.
 */
#include <errno.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "firmware/fpm_proto.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void check_packet(const struct fpm_packet *pkt)
{
	struct fpm_parser again;
	struct fpm_packet back;
	struct fpm_frame f;
	struct fpm_ack ack;
	struct fpm_sys_para sp;
	uint8_t bits[FPM_INDEX_BYTES];
	uint16_t a, b;

	if (pkt->len == 0 || pkt->len > FPM_DATA_MAX)
		abort();
	if (fpm_encode(pkt->address, pkt->pid, pkt->data, pkt->len, &f) != 0)
		abort();
	fpm_parser_init(&again);
	if (fpm_parser_feed(&again, f.bytes, f.len) != f.len || fpm_parser_next(&again, &back) != 1)
		abort();
	if (back.address != pkt->address || back.pid != pkt->pid || back.len != pkt->len ||
	    memcmp(back.data, pkt->data, pkt->len) != 0 || again.len != 0)
		abort();
	if (fpm_decode_ack(pkt, &ack) == 0) {
		if (ack.n_params + 1u != pkt->len)
			abort();
		(void)!fpm_ack_search(&ack, &a, &b);
		(void)!fpm_ack_template_num(&ack, &a);
		(void)!fpm_ack_sys_para(&ack, &sp);
		(void)!fpm_ack_index_table(&ack, bits);
		if (fpm_code_name(ack.code)[0] == '\0')
			abort();
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct fpm_parser p;
	struct fpm_packet pkt;
	size_t chunk, i = 1;
	int r;

	if (size == 0)
		return 0;
	chunk = (size_t)data[0] % 64 + 1;
	fpm_parser_init(&p);
	while (i < size) {
		size_t n = size - i < chunk ? size - i : chunk;
		size_t used = fpm_parser_feed(&p, data + i, n);

		i += used;
		while ((r = fpm_parser_next(&p, &pkt)) != 0) {
			if (r == 1)
				check_packet(&pkt);
			else if (r != -EBADMSG && r != -EMSGSIZE)
				abort();
		}
		if (p.len >= FPM_PACKET_MAX)
			abort(); /* a full packet's worth would have been returned or dropped */
	}
	return 0;
}
