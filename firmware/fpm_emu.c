// SPDX-License-Identifier: MIT
/*
 * The emulated fingerprint module: a pty master, a packet parser and a
 * table of pages. Replies are written at once (no baud-rate pacing); a reply
 * the pty cannot take is dropped, as a module's bytes are lost on a
 * disconnected line. A second descriptor on the slave stays open so the
 * master never sees a hang-up while the driver re-opens the device.
 */
#include "firmware/fpm_emu.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <termios.h>
#include <unistd.h>

#include "common/log.h"
#include "firmware/fpm_proto.h"
#include "firmware/loop.h"

#define EMU_FRESH_BASE 0x40000000 /* identities given to fresh fingers in the char buffers */

struct fpm_emu {
	struct loop *loop;
	int master;
	int keeper; /* the slave, held open */
	struct loop_source *source;
	char path[64];
	struct fpm_parser parser;
	uint32_t address;

	int pages[FPM_EMU_PAGES]; /* identity per page, -1: empty */
	int image;		  /* identity of the last image, -1: none */
	int buffers[2];		  /* CharBuffer1/2, -1: empty */
	int fresh_next;

	int finger;	  /* on the sensor, -1: none */
	unsigned presses; /* images it still gives */
	bool lifted_once; /* the GenImg after a good one answers no finger */

	enum fpm_emu_fault fault;
	bool is_hung;

	bool receiving; /* DownChar: data packets expected */
	uint8_t rx_buffer;
	uint8_t rx[FPM_TEMPLATE_MAX];
	size_t rx_len;
};

static void send_frame(struct fpm_emu *e, const struct fpm_frame *f)
{
	struct fpm_frame bad = *f;
	const struct fpm_frame *out = f;
	size_t len = f->len;

	if (e->is_hung)
		return;
	switch (e->fault) {
	case FPM_EMU_GARBAGE: {
		static const uint8_t junk[] = {0x00, 0xEF, 0x13, 0xEF, 0xEF, 0x02, 0xFF, 0x55};

		(void)!write(e->master, junk, sizeof(junk));
		e->fault = FPM_EMU_OK;
		break;
	}
	case FPM_EMU_BADSUM:
		bad.bytes[bad.len - 1] ^= 0x5A;
		out = &bad;
		e->fault = FPM_EMU_OK;
		break;
	case FPM_EMU_HANG:
		len = f->len / 2;
		e->is_hung = true;
		e->fault = FPM_EMU_OK;
		break;
	default:
		break;
	}
	if (write(e->master, out->bytes, len) != (ssize_t)len)
		log_warn("fpm-emu: reply lost: %s", strerror(errno));
}

static void ack(struct fpm_emu *e, uint8_t code, const uint8_t *params, size_t n)
{
	struct fpm_frame f;

	if (fpm_build_ack(e->address, code, params, n, &f) == 0)
		send_frame(e, &f);
}

static void template_of(int identity, uint8_t out[FPM_EMU_TEMPLATE_LEN])
{
	fpm_put32(out, (uint32_t)identity);
	for (size_t i = 4; i < FPM_EMU_TEMPLATE_LEN; i++)
		out[i] = (uint8_t)((unsigned)identity * 31u + i * 7u);
}

static void upload(struct fpm_emu *e, int identity)
{
	uint8_t t[FPM_EMU_TEMPLATE_LEN];
	struct fpm_frame f;

	template_of(identity, t);
	ack(e, FPM_OK, NULL, 0);
	for (size_t off = 0; off < sizeof(t); off += FPM_CHUNK) {
		bool last = off + FPM_CHUNK >= sizeof(t);

		if (fpm_encode(e->address, last ? FPM_PID_END : FPM_PID_DATA, t + off, FPM_CHUNK,
			       &f) == 0)
			send_frame(e, &f);
	}
}

static bool page_ok(uint16_t page)
{
	return page < FPM_EMU_PAGES;
}

static void gen_img(struct fpm_emu *e)
{
	if (e->fault == FPM_EMU_NOFINGER) {
		e->fault = FPM_EMU_OK;
		ack(e, FPM_E_NO_FINGER, NULL, 0);
		return;
	}
	if (e->lifted_once) {
		e->lifted_once = false;
		ack(e, FPM_E_NO_FINGER, NULL, 0);
		return;
	}
	if (e->finger == -1 || e->presses == 0) {
		ack(e, FPM_E_NO_FINGER, NULL, 0);
		return;
	}
	e->image = e->finger == FPM_EMU_FRESH ? EMU_FRESH_BASE + e->fresh_next : e->finger;
	if (--e->presses == 0) {
		if (e->finger == FPM_EMU_FRESH)
			e->fresh_next++;
		e->finger = -1;
	}
	e->lifted_once = true;
	ack(e, FPM_OK, NULL, 0);
}

static void search(struct fpm_emu *e, int id, uint16_t start, uint16_t count)
{
	uint8_t params[4];

	for (unsigned p = start; id >= 0 && p < (unsigned)start + count && p < FPM_EMU_PAGES; p++) {
		if (e->pages[p] == id) {
			fpm_put16(params, (uint16_t)p);
			fpm_put16(params + 2, (uint16_t)(60 + p % 100));
			ack(e, FPM_OK, params, sizeof(params));
			return;
		}
	}
	ack(e, FPM_E_NOT_FOUND, NULL, 0);
}

static void sys_para(struct fpm_emu *e)
{
	uint8_t q[16] = {0};

	fpm_put16(q + 2, 9);
	fpm_put16(q + 4, FPM_EMU_PAGES);
	fpm_put16(q + 6, 3);
	fpm_put32(q + 8, e->address);
	fpm_put16(q + 12, 2); /* 128-byte packets */
	fpm_put16(q + 14, 6); /* 57600 baud */
	ack(e, FPM_OK, q, sizeof(q));
}

static void index_table(struct fpm_emu *e, uint8_t table)
{
	uint8_t bits[FPM_INDEX_BYTES] = {0};

	for (unsigned i = 0; i < 256; i++) {
		unsigned p = table * 256u + i;

		if (p < FPM_EMU_PAGES && e->pages[p] >= 0)
			bits[i / 8] |= (uint8_t)(1u << (i % 8));
	}
	ack(e, FPM_OK, bits, sizeof(bits));
}

/* The char buffer a command names (1 or 2), or NULL. */
static int *buffer(struct fpm_emu *e, uint8_t b)
{
	return b == 1 || b == 2 ? &e->buffers[b - 1] : NULL;
}

static void command(struct fpm_emu *e, const uint8_t *d, size_t n)
{
	uint16_t page = n >= 4 ? fpm_be16(d + 2) : 0;
	int *buf = n >= 2 ? buffer(e, d[1]) : NULL;
	uint8_t params[2];
	unsigned count = 0;

	switch (d[0]) {
	case FPM_GEN_IMG:
		gen_img(e);
		return;
	case FPM_IMG2TZ:
		if (!buf) {
			ack(e, FPM_E_REGISTER, NULL, 0);
		} else if (e->image < 0) {
			ack(e, FPM_E_NO_IMAGE, NULL, 0);
		} else {
			*buf = e->image;
			ack(e, FPM_OK, NULL, 0);
		}
		return;
	case FPM_SEARCH:
		if (!buf || n < 6)
			ack(e, FPM_E_RECEIVE, NULL, 0);
		else
			search(e, *buf, fpm_be16(d + 2), fpm_be16(d + 4));
		return;
	case FPM_REG_MODEL:
		if (e->buffers[0] >= 0 && e->buffers[0] == e->buffers[1])
			ack(e, FPM_OK, NULL, 0);
		else
			ack(e, FPM_E_MERGE, NULL, 0);
		return;
	case FPM_STORE:
	case FPM_LOAD_CHAR:
		if (!buf || n < 4 || !page_ok(page)) {
			ack(e, FPM_E_PAGE_RANGE, NULL, 0);
		} else if (d[0] == FPM_STORE) {
			if (*buf < 0) {
				ack(e, FPM_E_RECEIVE, NULL, 0);
				return;
			}
			e->pages[page] = *buf >= EMU_FRESH_BASE ? page : *buf;
			ack(e, FPM_OK, NULL, 0);
		} else if (e->pages[page] < 0) {
			ack(e, FPM_E_TEMPLATE_READ, NULL, 0);
		} else {
			*buf = e->pages[page];
			ack(e, FPM_OK, NULL, 0);
		}
		return;
	case FPM_UP_CHAR:
		if (!buf || *buf < 0)
			ack(e, FPM_E_UPLOAD, NULL, 0);
		else
			upload(e, *buf);
		return;
	case FPM_DOWN_CHAR:
		if (!buf) {
			ack(e, FPM_E_RECEIVE_DATA, NULL, 0);
			return;
		}
		e->receiving = true;
		e->rx_buffer = d[1];
		e->rx_len = 0;
		ack(e, FPM_OK, NULL, 0);
		return;
	case FPM_DELETE_CHAR:
		if (n < 5 || !page_ok(fpm_be16(d + 1)) ||
		    fpm_be16(d + 1) + fpm_be16(d + 3) > FPM_EMU_PAGES) {
			ack(e, FPM_E_DELETE, NULL, 0);
			return;
		}
		for (unsigned p = fpm_be16(d + 1); p < fpm_be16(d + 1) + fpm_be16(d + 3); p++)
			e->pages[p] = -1;
		ack(e, FPM_OK, NULL, 0);
		return;
	case FPM_EMPTY:
		for (unsigned p = 0; p < FPM_EMU_PAGES; p++)
			e->pages[p] = -1;
		ack(e, FPM_OK, NULL, 0);
		return;
	case FPM_TEMPLATE_NUM:
		for (unsigned p = 0; p < FPM_EMU_PAGES; p++)
			count += e->pages[p] >= 0;
		fpm_put16(params, (uint16_t)count);
		ack(e, FPM_OK, params, 2);
		return;
	case FPM_VERIFY_PWD:
		ack(e, n >= 5 && fpm_be32(d + 1) == 0 ? FPM_OK : FPM_E_PASSWORD, NULL, 0);
		return;
	case FPM_READ_SYS_PARA:
		sys_para(e);
		return;
	case FPM_READ_INDEX_TABLE:
		index_table(e, n >= 2 ? d[1] : 0);
		return;
	default:
		ack(e, FPM_E_RECEIVE, NULL, 0);
		return;
	}
}

static void data_packet(struct fpm_emu *e, const struct fpm_packet *pkt)
{
	int *buf = buffer(e, e->rx_buffer);

	if (e->rx_len + pkt->len > sizeof(e->rx)) {
		e->receiving = false; /* too long: the module gives up; the driver times out */
		return;
	}
	memcpy(e->rx + e->rx_len, pkt->data, pkt->len);
	e->rx_len += pkt->len;
	if (pkt->pid == FPM_PID_END) {
		uint8_t want[FPM_EMU_TEMPLATE_LEN];
		int identity = e->rx_len >= 4 ? (int)(fpm_be32(e->rx) & 0x3FFFFFFF) : -1;

		/* Only a whole, unaltered template is a finger; anything else leaves the buffer
		 * empty. */
		if (identity >= 0)
			template_of(identity, want);
		e->receiving = false;
		if (buf)
			*buf = identity >= 0 && e->rx_len == sizeof(want) &&
				       memcmp(e->rx, want, sizeof(want)) == 0
				   ? identity
				   : -1;
	}
}

static void on_master(void *user, int fd, uint32_t events)
{
	struct fpm_emu *e = user;
	uint8_t chunk[512];
	struct fpm_packet pkt;
	ssize_t n;

	(void)events;
	while ((n = read(fd, chunk, sizeof(chunk))) > 0) {
		size_t off = 0;

		while (off < (size_t)n) {
			int r;

			off += fpm_parser_feed(&e->parser, chunk + off, (size_t)n - off);
			while ((r = fpm_parser_next(&e->parser, &pkt)) != 0) {
				if (r < 0) {
					if (!e->is_hung)
						ack(e, FPM_E_RECEIVE, NULL, 0);
					continue;
				}
				if (e->is_hung)
					continue;
				if (e->receiving &&
				    (pkt.pid == FPM_PID_DATA || pkt.pid == FPM_PID_END))
					data_packet(e, &pkt);
				else if (pkt.pid == FPM_PID_COMMAND)
					command(e, pkt.data, pkt.len);
			}
		}
	}
}

void fpm_emu_place(struct fpm_emu *e, int finger, unsigned presses)
{
	e->finger = finger;
	e->presses = presses;
	e->lifted_once = false;
}

void fpm_emu_fault(struct fpm_emu *e, enum fpm_emu_fault fault)
{
	e->fault = fault;
}

void fpm_emu_recover(struct fpm_emu *e)
{
	e->is_hung = false;
	e->fault = FPM_EMU_OK;
	e->receiving = false;
	fpm_parser_reset(&e->parser);
}

int fpm_emu_page(const struct fpm_emu *e, unsigned page)
{
	return page < FPM_EMU_PAGES ? e->pages[page] : -1;
}

const char *fpm_emu_path(const struct fpm_emu *e)
{
	return e->path;
}

int fpm_emu_fault_parse(const char *word, enum fpm_emu_fault *ret_fault)
{
	static const struct {
		const char *word;
		enum fpm_emu_fault fault;
	} words[] = {{"garbage", FPM_EMU_GARBAGE},
		     {"badsum", FPM_EMU_BADSUM},
		     {"hang", FPM_EMU_HANG},
		     {"nofinger", FPM_EMU_NOFINGER},
		     {"recover", FPM_EMU_OK}};

	for (size_t i = 0; i < ARRAY_SIZE(words); i++) {
		if (strcmp(word, words[i].word) == 0) {
			*ret_fault = words[i].fault;
			return 0;
		}
	}
	return -EINVAL;
}

int fpm_emu_new(struct loop *loop, struct fpm_emu **ret_emu)
{
	struct termios tio;
	struct fpm_emu *e;
	int r;

	e = calloc(1, sizeof(*e));
	if (!e)
		return -ENOMEM;
	e->loop = loop;
	e->keeper = -1;
	e->address = FPM_ADDRESS_DEFAULT;
	e->image = -1;
	e->buffers[0] = e->buffers[1] = -1;
	e->finger = -1;
	for (unsigned p = 0; p < FPM_EMU_PAGES; p++)
		e->pages[p] = p < FPM_EMU_SEEDED ? (int)p : -1;
	fpm_parser_init(&e->parser);

	e->master = posix_openpt(O_RDWR | O_NOCTTY | O_NONBLOCK | O_CLOEXEC);
	if (e->master < 0) {
		r = -errno;
		goto out_free;
	}
	if (grantpt(e->master) < 0 || unlockpt(e->master) < 0 ||
	    ptsname_r(e->master, e->path, sizeof(e->path)) != 0) {
		r = -errno;
		goto out_close;
	}
	e->keeper = open(e->path, O_RDWR | O_NOCTTY | O_NONBLOCK | O_CLOEXEC);
	if (e->keeper < 0) {
		r = -errno;
		goto out_close;
	}
	/* Raw from the start: no echo, no CR/NL translation of packet bytes. */
	if (tcgetattr(e->keeper, &tio) == 0) {
		cfmakeraw(&tio);
		(void)tcsetattr(e->keeper, TCSANOW, &tio);
	}
	r = loop_add(loop, e->master, EPOLLIN, on_master, e, &e->source);
	if (r < 0)
		goto out_close;
	*ret_emu = e;
	return 0;

out_close:
	if (e->keeper >= 0)
		close(e->keeper);
	close(e->master);
out_free:
	free(e);
	return r;
}

void fpm_emu_free(struct fpm_emu *e)
{
	if (!e)
		return;
	loop_remove(e->loop, e->source);
	close(e->keeper);
	close(e->master);
	free(e);
}
