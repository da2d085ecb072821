/* decode.c: streaming base64 and quoted-printable (RFC 2045 6.7, 6.8).
 * Tolerant like mail clients (line breaks, stray bytes skipped and counted);
 * never buffers more than one output block. */
#include <ctype.h>
#include <string.h>
#include <strings.h>

#include "decode.h"
#include "simd_level.h"

#if defined(__x86_64__) || defined(__i386__)
#include <immintrin.h>
#define HAVE_B64_VECTOR	1
#endif

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

/* Byte classes for base64: 0..63 the alphabet's values; the others all
 * have bit 0x40 set, so four alphabet bytes are recognised with one test. */
#define B64_WS		0x40	/* CR, LF, space, tab: legal, skipped */
#define B64_PAD		0x41	/* '=' */
#define B64_BAD		0x42	/* anything else: skipped and counted */

static const uint8_t b64_class[256] = {
#define WS	B64_WS
#define PD	B64_PAD
#define XX	B64_BAD
	XX, XX, XX, XX, XX, XX, XX, XX,
	    XX, WS, WS, XX, XX, WS, XX, XX,	/* 0x00 */
	XX, XX, XX, XX, XX, XX, XX, XX,
	    XX, XX, XX, XX, XX, XX, XX, XX,	/* 0x10 */
	WS, XX, XX, XX, XX, XX, XX, XX,
	    XX, XX, XX, 62, XX, XX, XX, 63,	/* 0x20 */
	52, 53, 54, 55, 56, 57, 58, 59,
	    60, 61, XX, XX, XX, PD, XX, XX,	/* 0x30 */
	XX,  0,  1,  2,  3,  4,  5,  6,
	     7,  8,  9, 10, 11, 12, 13, 14,	/* 0x40 */
	15, 16, 17, 18, 19, 20, 21, 22,
	    23, 24, 25, XX, XX, XX, XX, XX,	/* 0x50 */
	XX, 26, 27, 28, 29, 30, 31, 32,
	    33, 34, 35, 36, 37, 38, 39, 40,	/* 0x60 */
	41, 42, 43, 44, 45, 46, 47, 48,
	    49, 50, 51, XX, XX, XX, XX, XX,	/* 0x70 */
	XX, XX, XX, XX, XX, XX, XX, XX,
	    XX, XX, XX, XX, XX, XX, XX, XX,	/* 0x80 */
	XX, XX, XX, XX, XX, XX, XX, XX,
	    XX, XX, XX, XX, XX, XX, XX, XX,	/* 0x90 */
	XX, XX, XX, XX, XX, XX, XX, XX,
	    XX, XX, XX, XX, XX, XX, XX, XX,	/* 0xa0 */
	XX, XX, XX, XX, XX, XX, XX, XX,
	    XX, XX, XX, XX, XX, XX, XX, XX,	/* 0xb0 */
	XX, XX, XX, XX, XX, XX, XX, XX,
	    XX, XX, XX, XX, XX, XX, XX, XX,	/* 0xc0 */
	XX, XX, XX, XX, XX, XX, XX, XX,
	    XX, XX, XX, XX, XX, XX, XX, XX,	/* 0xd0 */
	XX, XX, XX, XX, XX, XX, XX, XX,
	    XX, XX, XX, XX, XX, XX, XX, XX,	/* 0xe0 */
	XX, XX, XX, XX, XX, XX, XX, XX,
	    XX, XX, XX, XX, XX, XX, XX, XX,	/* 0xf0 */
#undef WS
#undef PD
#undef XX
};

#ifdef HAVE_B64_VECTOR
static int b64_vector = -1;	/* -1: not asked the CPU yet */

/* The length of the line end at p[i] (LF or CRLF), or 0: the vector
 * paths step over one between whole quanta. */
static inline size_t
line_end(const uint8_t *p, size_t i, size_t n)
{
	if (p[i] == '\n')
		return 1;
	return p[i] == '\r' && i + 1 < n && p[i + 1] == '\n' ? 2 : 0;
}

/*
 * Sixteen base64 characters at a time (W. Mula's and D. Lemire's method:
 * two nibble lookups validate, a third maps to sextets, two multiply-adds
 * pack them). A block that holds something else after whole quanta (a
 * line of 76 ends 12 characters into its fifth block) gives those quanta,
 * and a line end there (CRLF or LF) is stepped over: where a quantum is
 * complete, a line end changes nothing the byte-wise path would keep.
 * Anything else (a line end inside a quantum, '=', a stray byte) stops
 * the run, and the byte-wise path takes it. Writes 16 bytes per 12
 * decoded: needs out room. Returns the input bytes taken.
 */
__attribute__((target("ssse3")))
static size_t
b64_vector_run(const uint8_t *p, size_t n, uint8_t *out, size_t room,
    size_t *made)
{
	const __m128i lut_lo = _mm_setr_epi8(0x15, 0x11, 0x11, 0x11, 0x11,
	    0x11, 0x11, 0x11, 0x11, 0x11, 0x13, 0x1a, 0x1b, 0x1b, 0x1b, 0x1a);
	const __m128i lut_hi = _mm_setr_epi8(0x10, 0x10, 0x01, 0x02, 0x04,
	    0x08, 0x04, 0x08, 0x10, 0x10, 0x10, 0x10, 0x10, 0x10, 0x10, 0x10);
	const __m128i lut_roll = _mm_setr_epi8(0, 16, 19, 4, -65, -65, -71,
	    -71, 0, 0, 0, 0, 0, 0, 0, 0);
	const __m128i mask_2f = _mm_set1_epi8(0x2f);
	const __m128i pack = _mm_setr_epi8(2, 1, 0, 6, 5, 4, 10, 9, 8, 14,
	    13, 12, -1, -1, -1, -1);
	size_t i = 0, o = 0, valid, k;

	while (n - i >= 16 && room - o >= 16) {
		__m128i s = _mm_loadu_si128((const __m128i *)(const void *)
		    (p + i));
		__m128i hi_nib = _mm_and_si128(_mm_srli_epi32(s, 4), mask_2f);
		__m128i lo = _mm_shuffle_epi8(lut_lo, _mm_and_si128(s,
		    mask_2f));
		__m128i hi = _mm_shuffle_epi8(lut_hi, hi_nib);
		__m128i roll;
		unsigned ok = (unsigned)_mm_movemask_epi8(_mm_cmpeq_epi8(
		    _mm_and_si128(lo, hi), _mm_setzero_si128()));

		/* the alphabet characters before the first other byte */
		valid = ok == 0xffff ? 16 : (size_t)__builtin_ctz(~ok);
		if (valid % 4 != 0)
			break;
		if (valid > 0) {
			/* an other byte spoils only its own quantum's lane */
			roll = _mm_shuffle_epi8(lut_roll, _mm_add_epi8(
			    _mm_cmpeq_epi8(s, mask_2f), hi_nib));
			s = _mm_add_epi8(s, roll);
			s = _mm_maddubs_epi16(s, _mm_set1_epi32(0x01400140));
			s = _mm_madd_epi16(s, _mm_set1_epi32(0x00011000));
			_mm_storeu_si128((__m128i *)(void *)(out + o),
			    _mm_shuffle_epi8(s, pack));
			i += valid;
			o += valid / 4 * 3;
		}
		if (valid == 16)
			continue;
		if ((k = line_end(p, i, n)) == 0)
			break;
		i += k;
	}
	*made = o;
	return i;
}

/* AVX-512 VBMI (Zen 4 and 5, Ice Lake on): sixty-four characters a step.
 * One two-table byte permute maps ASCII to sextets (0x80: not in the
 * alphabet; a byte of 0x80 and up is caught by its own top bit), the same
 * two multiply-adds pack them, a byte permute gathers the 48 bytes. */
static const uint8_t b64_vbmi_ascii[128] = {
	0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80,
	0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80,
	0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80,
	0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80,
	0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80,
	0x80, 0x80, 0x80, 0x3e, 0x80, 0x80, 0x80, 0x3f,
	0x34, 0x35, 0x36, 0x37, 0x38, 0x39, 0x3a, 0x3b,
	0x3c, 0x3d, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80,
	0x80, 0x00, 0x01, 0x02, 0x03, 0x04, 0x05, 0x06,
	0x07, 0x08, 0x09, 0x0a, 0x0b, 0x0c, 0x0d, 0x0e,
	0x0f, 0x10, 0x11, 0x12, 0x13, 0x14, 0x15, 0x16,
	0x17, 0x18, 0x19, 0x80, 0x80, 0x80, 0x80, 0x80,
	0x80, 0x1a, 0x1b, 0x1c, 0x1d, 0x1e, 0x1f, 0x20,
	0x21, 0x22, 0x23, 0x24, 0x25, 0x26, 0x27, 0x28,
	0x29, 0x2a, 0x2b, 0x2c, 0x2d, 0x2e, 0x2f, 0x30,
	0x31, 0x32, 0x33, 0x80, 0x80, 0x80, 0x80, 0x80,
};
static const uint8_t b64_vbmi_pack[64] = {
	0x02, 0x01, 0x00, 0x06, 0x05, 0x04, 0x0a, 0x09,
	0x08, 0x0e, 0x0d, 0x0c, 0x12, 0x11, 0x10, 0x16,
	0x15, 0x14, 0x1a, 0x19, 0x18, 0x1e, 0x1d, 0x1c,
	0x22, 0x21, 0x20, 0x26, 0x25, 0x24, 0x2a, 0x29,
	0x28, 0x2e, 0x2d, 0x2c, 0x32, 0x31, 0x30, 0x36,
	0x35, 0x34, 0x3a, 0x39, 0x38, 0x3e, 0x3d, 0x3c,
	0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
	0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
};

__attribute__((target("avx512f,avx512bw,avx512vbmi")))
static size_t
b64_vbmi_run(const uint8_t *p, size_t n, uint8_t *out, size_t room,
    size_t *made)
{
	const __m512i lo = _mm512_loadu_si512(b64_vbmi_ascii);
	const __m512i hi = _mm512_loadu_si512(b64_vbmi_ascii + 64);
	const __m512i pack = _mm512_loadu_si512(b64_vbmi_pack);
	size_t i = 0, o = 0, valid, k;

	while (n - i >= 64 && room - o >= 64) {
		__m512i s = _mm512_loadu_si512(p + i);
		__m512i t = _mm512_permutex2var_epi8(lo, s, hi);
		uint64_t bad = _mm512_movepi8_mask(_mm512_or_si512(s, t));

		/* the alphabet characters before the first other byte */
		valid = bad == 0 ? 64 : (size_t)__builtin_ctzll(bad);
		if (valid % 4 != 0)
			break;
		if (valid > 0) {
			t = _mm512_maddubs_epi16(t, _mm512_set1_epi32(0x01400140));
			t = _mm512_madd_epi16(t, _mm512_set1_epi32(0x00011000));
			_mm512_storeu_si512(out + o, _mm512_permutexvar_epi8(pack,
			    t));
			i += valid;
			o += valid / 4 * 3;
		}
		if (valid == 64)
			continue;
		if ((k = line_end(p, i, n)) == 0)
			break;
		i += k;
	}
	*made = o;
	return i;
}

/* The widest path the CPU has, then SSSE3 for what is left. */
static size_t
b64_vector_any(const uint8_t *p, size_t n, uint8_t *out, size_t room,
    size_t *made)
{
	size_t i = 0, wide = 0;

	if (b64_vector == 2)
		i = b64_vbmi_run(p, n, out, room, &wide);
	i += b64_vector_run(p + i, n - i, out + wide, room - wide, made);
	*made += wide;
	return i;
}
#endif

int
decode_vector(int on)
{
#ifdef HAVE_B64_VECTOR
	b64_vector = simd_level(on, __builtin_cpu_supports("ssse3"),
	    __builtin_cpu_supports("avx512bw") &&
	    __builtin_cpu_supports("avx512vbmi"));
	return b64_vector;
#else
	(void)on;
	return 0;
#endif
}

/* Whitespace and line breaks are legal in base64 bodies; anything else
 * that is not in the alphabet is skipped (RFC 2045 6.8) but counted. '='
 * ends the quantum (its whole bytes are kept); data after padding starts a
 * new one, as concatenated base64 blocks and mail clients do.
 * The state lives in locals for the loop (the output stores could alias
 * it otherwise); whole quanta of four alphabet bytes take a fast path. */
static void
b64_feed(struct decode *d, const uint8_t *p, size_t n, struct outbuf *o)
{
	const uint8_t *end = p + n;
	unsigned acc = d->acc, bad = d->bad, v;
	int nacc = d->nacc, pad = d->pad;
	uint8_t *ob = o->b;
	size_t on = o->n;

#ifdef HAVE_B64_VECTOR
	if (b64_vector < 0)
		decode_vector(2);
#endif
	while (p < end) {
		if (nacc == 0 && pad == 0) {
#ifdef HAVE_B64_VECTOR
			if (b64_vector && end - p >= 16) {
				size_t made;

				if (on > DECODE_OUT - 64) {
					o->sink(o->arg, ob, on);
					on = 0;
				}
				p += b64_vector_any(p, (size_t)(end - p),
				    ob + on, DECODE_OUT - on, &made);
				on += made;
			}
#endif
			while (end - p >= 4) {
				unsigned a = b64_class[p[0]],
				    b = b64_class[p[1]],
				    c = b64_class[p[2]],
				    e = b64_class[p[3]];

				if ((a | b | c | e) & 0x40)
					break;
				if (on > DECODE_OUT - 3) {
					o->sink(o->arg, ob, on);
					on = 0;
				}
				v = a << 18 | b << 12 | c << 6 | e;
				ob[on] = (uint8_t)(v >> 16);
				ob[on + 1] = (uint8_t)(v >> 8);
				ob[on + 2] = (uint8_t)v;
				on += 3;
				p += 4;
			}
			if (p == end)
				break;
		}
		v = b64_class[*p++];
		if (v == B64_WS)
			continue;
		if (v == B64_PAD) {
			/* padding ends the quantum: its whole bytes are
			 * emitted now, as a mail client decodes quantum by
			 * quantum ("NA=" then "=Mg==" is "42"); more '='
			 * are the rest of the padding */
			if (nacc >= 2) {
				if (on > DECODE_OUT - 2) {
					o->sink(o->arg, ob, on);
					on = 0;
				}
				if (nacc == 2)
					ob[on++] = (uint8_t)(acc >> 4);
				else {
					ob[on++] = (uint8_t)(acc >> 10);
					ob[on++] = (uint8_t)(acc >> 2);
				}
			} else if (nacc == 1)
				bad++;	/* one sextet makes no byte */
			nacc = 0;
			acc = 0;
			pad = 1;
			continue;
		}
		if (v == B64_BAD) {
			bad++;
			continue;
		}
		pad = 0;	/* data after padding: a new quantum */
		acc = (acc << 6) | v;
		if (++nacc == 4) {
			if (on > DECODE_OUT - 3) {
				o->sink(o->arg, ob, on);
				on = 0;
			}
			ob[on] = (uint8_t)(acc >> 16);
			ob[on + 1] = (uint8_t)(acc >> 8);
			ob[on + 2] = (uint8_t)acc;
			on += 3;
			nacc = 0;
			acc = 0;
		}
	}
	o->n = on;
	d->acc = acc;
	d->bad = bad;
	d->nacc = nacc;
	d->pad = pad;
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
	if (d->nacc != 0)
		d->bad++;	/* a quantum cut without padding */
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

static void
qp_ws_flush(struct decode *d, struct outbuf *o)
{
	unsigned i;

	for (i = 0; i < d->nws; i++)
		out_put(o, d->ws[i]);
	d->nws = 0;
}

/* '=' CRLF is a soft break; '=' XX a byte; anything else after '=' is a bad
 * escape, kept literally (what most clients show). Spaces and tabs at the
 * end of a line, and after a soft break's '=', were added in transport and
 * are deleted (RFC 2045 6.7 rule 3): they are held until what follows
 * them is known (a run longer than the hold is passed on). */
static void
qp_feed(struct decode *d, const uint8_t *p, size_t n, struct outbuf *o)
{
	size_t i;
	uint8_t c;

	for (i = 0; i < n; i++) {
		c = p[i];
		if (d->nacc == 0) {
			if (c == ' ' || c == '\t') {
				if (d->nws == sizeof(d->ws))
					qp_ws_flush(d, o);
				d->ws[d->nws++] = c;
				continue;
			}
			if (c == '\r' || c == '\n')
				d->nws = 0;	/* trailing: deleted */
			else
				qp_ws_flush(d, o);
			if (c == '=')
				d->nacc = 1;
			else
				out_put(o, c);
			continue;
		}
		if (d->nacc == 3) {
			/* '=' then spaces: a soft break if the line ends */
			if (c == ' ' || c == '\t') {
				if (d->nws < sizeof(d->ws)) {
					d->ws[d->nws++] = c;
					continue;
				}
			} else if (c == '\r' || c == '\n') {
				d->nws = 0;
				d->nacc = 1;
				i--;		/* reread as after '=' */
				continue;
			}
			d->bad++;
			out_put(o, '=');
			qp_ws_flush(d, o);
			d->nacc = 0;
			i--;
			continue;
		}
		if (d->nacc == 1) {
			if (c == '\n') {		/* =LF, bare */
				d->nacc = 0;
			} else if (c == '\r') {
				d->qp[0] = c;
				d->nacc = 2;
			} else if (c == ' ' || c == '\t') {
				d->ws[0] = c;
				d->nws = 1;
				d->nacc = 3;
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
	 * boundary ('=' and spaces too); '=X' at the end is a bad escape;
	 * spaces at the very end end the last line: deleted */
	if (d->nacc == 2 && d->qp[0] != '\r') {
		d->bad++;
		out_put(o, '=');
		out_put(o, d->qp[0]);
	}
	d->nacc = 0;
	d->nws = 0;
}

/* One or two bytes that base64 skips without a trace (B64_WS in
 * b64_feed). mime.c holds back each run's last line end and hands it
 * over on its own, so this is half of the calls on a mail with
 * attachments, each setting up an output block for nothing. */
static int
b64_blank(const uint8_t *p, size_t n)
{
	return n <= 2 && b64_class[p[0]] == B64_WS &&
	    b64_class[p[n - 1]] == B64_WS;
}

void
decode_feed(struct decode *d, const uint8_t *p, size_t n, decode_sink *sink,
    void *arg)
{
	struct outbuf o;

	if (n == 0 || (d->enc == DECODE_BASE64 && b64_blank(p, n)))
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
