/* decode.c: streaming base64 and quoted-printable (RFC 2045 6.7, 6.8).
 * Tolerant like mail clients (line breaks, stray bytes skipped and counted);
 * never buffers more than one output block. */
#include <ctype.h>
#include <string.h>
#include <strings.h>

#include "decode.h"

#define DECODE_OUT	4096

struct outbuf {
	uint8_t		 b[DECODE_OUT];
	size_t		 n;
	decode_sink	*sink;
	void		*arg;
};

static void
out_put(struct outbuf *o, uint8_t c)
{
	o->b[o->n++] = c;
	if (o->n == sizeof(o->b)) {
		o->sink(o->arg, o->b, o->n);
		o->n = 0;
	}
}

static void
out_flush(struct outbuf *o)
{
	if (o->n > 0)
		o->sink(o->arg, o->b, o->n);
	o->n = 0;
}

enum decode_enc
decode_enc_parse(const char *s)
{
	size_t n;

	if (s == NULL)
		return DECODE_IDENTITY;
	while (*s == ' ' || *s == '\t')
		s++;
	n = strcspn(s, " \t;(");
	if (n == 6 && strncasecmp(s, "base64", 6) == 0)
		return DECODE_BASE64;
	if (n == 16 && strncasecmp(s, "quoted-printable", 16) == 0)
		return DECODE_QP;
	return DECODE_IDENTITY;
}

void
decode_init(struct decode *d, enum decode_enc enc)
{
	memset(d, 0, sizeof(*d));
	d->enc = enc;
}

static int
b64_value(uint8_t c)
{
	if (c >= 'A' && c <= 'Z')
		return c - 'A';
	if (c >= 'a' && c <= 'z')
		return c - 'a' + 26;
	if (c >= '0' && c <= '9')
		return c - '0' + 52;
	if (c == '+')
		return 62;
	if (c == '/')
		return 63;
	return -1;
}

/* Whitespace and line breaks are legal in base64 bodies; anything else
 * that is not in the alphabet is skipped (RFC 2045 6.8) but counted. Data
 * after padding restarts decoding, as concatenated base64 blocks do. */
static void
b64_feed(struct decode *d, const uint8_t *p, size_t n, struct outbuf *o)
{
	size_t i;
	int v;

	for (i = 0; i < n; i++) {
		if (p[i] == '\r' || p[i] == '\n' || p[i] == ' ' ||
		    p[i] == '\t')
			continue;
		if (p[i] == '=') {
			d->pad++;
			continue;
		}
		if ((v = b64_value(p[i])) < 0) {
			d->bad++;
			continue;
		}
		if (d->pad) {
			/* the previous block ended; drop its partial state */
			if (d->nacc != 0)
				d->bad++;
			d->pad = 0;
			d->nacc = 0;
			d->acc = 0;
		}
		d->acc = (d->acc << 6) | (unsigned)v;
		if (++d->nacc == 4) {
			out_put(o, (uint8_t)(d->acc >> 16));
			out_put(o, (uint8_t)(d->acc >> 8));
			out_put(o, (uint8_t)d->acc);
			d->nacc = 0;
			d->acc = 0;
		}
	}
}

static void
b64_finish(struct decode *d, struct outbuf *o)
{
	/* a partial quantum: emit the whole bytes it holds, like clients */
	if (d->nacc == 2)
		out_put(o, (uint8_t)(d->acc >> 4));
	else if (d->nacc == 3) {
		out_put(o, (uint8_t)(d->acc >> 10));
		out_put(o, (uint8_t)(d->acc >> 2));
	}
	if (d->nacc == 1 || (d->nacc != 0 && d->pad == 0))
		d->bad++;
	d->nacc = 0;
}

static int
hexval(uint8_t c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	c = (uint8_t)toupper(c);
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

/* '=' CRLF is a soft break; '=' XX a byte; anything else after '=' is a bad
 * escape, kept literally (what most clients show). */
static void
qp_feed(struct decode *d, const uint8_t *p, size_t n, struct outbuf *o)
{
	size_t i;
	uint8_t c;

	for (i = 0; i < n; i++) {
		c = p[i];
		if (d->nacc == 0) {
			if (c == '=')
				d->nacc = 1;
			else
				out_put(o, c);
			continue;
		}
		if (d->nacc == 1) {
			if (c == '\n') {		/* =LF, bare */
				d->nacc = 0;
			} else if (c == '\r') {
				d->qp[0] = c;
				d->nacc = 2;
			} else if (hexval(c) >= 0) {
				d->qp[0] = c;
				d->nacc = 2;
			} else {
				d->bad++;
				out_put(o, '=');
				d->nacc = 0;
				i--;		/* reread c as plain text */
			}
			continue;
		}
		/* nacc == 2: qp[0] is CR or a hex digit */
		d->nacc = 0;
		if (d->qp[0] == '\r') {
			if (c != '\n')
				i--;		/* =CR alone: soft break too */
			continue;
		}
		if (hexval(c) >= 0) {
			out_put(o, (uint8_t)(hexval(d->qp[0]) << 4 |
			    hexval(c)));
		} else {
			d->bad++;
			out_put(o, '=');
			out_put(o, d->qp[0]);
			i--;
		}
	}
}

static void
qp_finish(struct decode *d, struct outbuf *o)
{
	/* '=' at the very end is a soft break whose CRLF went to the
	 * boundary; '=X' at the end is a bad escape */
	if (d->nacc == 2 && d->qp[0] != '\r') {
		d->bad++;
		out_put(o, '=');
		out_put(o, d->qp[0]);
	}
	d->nacc = 0;
}

void
decode_feed(struct decode *d, const uint8_t *p, size_t n, decode_sink *sink,
    void *arg)
{
	struct outbuf o;

	if (n == 0)
		return;
	if (d->enc == DECODE_IDENTITY) {
		sink(arg, p, n);
		return;
	}
	o.n = 0;
	o.sink = sink;
	o.arg = arg;
	if (d->enc == DECODE_BASE64)
		b64_feed(d, p, n, &o);
	else
		qp_feed(d, p, n, &o);
	out_flush(&o);
}

void
decode_finish(struct decode *d, decode_sink *sink, void *arg)
{
	struct outbuf o;

	o.n = 0;
	o.sink = sink;
	o.arg = arg;
	if (d->enc == DECODE_BASE64)
		b64_finish(d, &o);
	else if (d->enc == DECODE_QP)
		qp_finish(d, &o);
	out_flush(&o);
}
