/* escape.c: wire bytes -> text safe for a terminal or for JSON strings.
 * Must never pass a control byte, an escape sequence, a bidi override or
 * invalid UTF-8 (overlong, surrogate, > U+10FFFF, truncated) through. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "escape.h"

#define REPLACEMENT	"\xef\xbf\xbd"	/* U+FFFD in UTF-8 */
#define REPLACEMENT_LEN	3

/*
 * Scans the sequence at p (n > 0) per Unicode table 3-7 (well-formed UTF-8).
 * Returns how many bytes form a well-formed prefix (at least 1, so that an
 * invalid lead byte is one "maximal subpart") and sets *need to the length
 * the lead byte announces (0 for a byte that can never start a sequence).
 */
static size_t
utf8_scan(const uint8_t *p, size_t n, size_t *need)
{
	uint8_t lo = 0x80, hi = 0xbf;	/* range of the second byte */
	size_t i;

	if (p[0] < 0x80) {
		*need = 1;
		return 1;
	}
	if (p[0] < 0xc2 || p[0] > 0xf4) {	/* continuation, overlong, > U+10FFFF */
		*need = 0;
		return 1;
	}
	if (p[0] < 0xe0)
		*need = 2;
	else if (p[0] < 0xf0)
		*need = 3;
	else
		*need = 4;
	if (p[0] == 0xe0)
		lo = 0xa0;		/* overlong 3-byte */
	else if (p[0] == 0xed)
		hi = 0x9f;		/* surrogates U+D800..U+DFFF */
	else if (p[0] == 0xf0)
		lo = 0x90;		/* overlong 4-byte */
	else if (p[0] == 0xf4)
		hi = 0x8f;		/* beyond U+10FFFF */
	for (i = 1; i < *need && i < n; i++) {
		if (p[i] < lo || p[i] > hi)
			break;
		lo = 0x80;
		hi = 0xbf;
	}
	return i;
}

size_t
escape_utf8_seq(const uint8_t *p, size_t n)
{
	size_t need, got;

	if (n == 0)
		return 0;
	got = utf8_scan(p, n, &need);
	return got == need ? need : 0;
}

size_t
escape_utf8_valid_prefix(const void *v, size_t n)
{
	const uint64_t ones = 0x0101010101010101ULL;
	const uint64_t highs = 0x8080808080808080ULL;
	const uint8_t *p = v;
	size_t i = 0, k;
	uint64_t w;

	while (i < n) {
		if (n - i >= 8) {
			memcpy(&w, p + i, 8);
			/* no byte with its high bit set, none zero */
			if (((w | ((w - ones) & ~w)) & highs) == 0) {
				i += 8;
				continue;
			}
		}
		if (p[i] != 0 && p[i] < 0x80)
			k = 1;
		else if (p[i] == 0 || (k = escape_utf8_seq(p + i, n - i)) == 0)
			break;
		i += k;
	}
	return i;
}

/* The code point of a sequence that escape_utf8_seq() accepted. */
static uint32_t
utf8_decode(const uint8_t *p, size_t len)
{
	static const uint8_t lead_mask[5] = { 0, 0x7f, 0x1f, 0x0f, 0x07 };
	uint32_t cp = p[0] & lead_mask[len];
	size_t i;

	for (i = 1; i < len; i++)
		cp = (cp << 6) | (p[i] & 0x3f);
	return cp;
}

/*
 * Characters that are valid but must not reach a terminal as they are:
 * C1 controls (some terminals obey 8-bit CSI) and the Unicode Bidi_Control
 * set, which can make a line read differently from its bytes.
 */
static int
codepoint_is_hidden(uint32_t cp)
{
	return (cp >= 0x80 && cp <= 0x9f) || cp == 0x061c ||
	    cp == 0x200e || cp == 0x200f ||
	    (cp >= 0x202a && cp <= 0x202e) ||
	    (cp >= 0x2066 && cp <= 0x2069);
}

/* A small write buffer so that escaping costs one fwrite per ~1 KiB. */
struct obuf {
	FILE	*f;
	size_t	 n;
	char	 b[1024];
};

static void
obuf_flush(struct obuf *o)
{
	if (o->n > 0)
		fwrite(o->b, 1, o->n, o->f);
	o->n = 0;
}

static void
obuf_put(struct obuf *o, const void *p, size_t n)
{
	if (o->n + n > sizeof(o->b))
		obuf_flush(o);
	memcpy(o->b + o->n, p, n);	/* n is at most 16 here */
	o->n += n;
}

static void
obuf_hex(struct obuf *o, uint8_t c)
{
	char e[4] = { '\\', 'x', "0123456789abcdef"[c >> 4],
	    "0123456789abcdef"[c & 15] };

	obuf_put(o, e, sizeof(e));
}

/* HTML's five special characters as entities; NULL for any other byte. */
static const char *
html_entity(uint8_t c)
{
	switch (c) {
	case '&':	return "&amp;";
	case '<':	return "&lt;";
	case '>':	return "&gt;";
	case '"':	return "&quot;";
	case '\'':	return "&#39;";
	default:	return NULL;
	}
}

/* Printable ASCII: backslash doubled (our escape character), and in HTML
 * the five specials as entities. */
static void
escape_ascii(struct obuf *o, uint8_t c, int html)
{
	const char *ent = html ? html_entity(c) : NULL;

	if (c == '\\')
		obuf_put(o, "\\\\", 2);
	else if (ent != NULL)
		obuf_put(o, ent, strlen(ent));
	else
		obuf_put(o, &c, 1);
}

/* The one escaping engine behind escape_text_write and escape_html_write. */
static size_t
escape_write(FILE *f, const uint8_t *p, size_t n, int html)
{
	struct obuf o;
	size_t i = 0, len, escaped = 0;
	uint32_t cp;
	char u[16];
	int ulen;

	o.f = f;
	o.n = 0;
	while (i < n) {
		if (p[i] >= 0x20 && p[i] < 0x7f) {
			escape_ascii(&o, p[i], html);
			i++;
			continue;
		}
		len = escape_utf8_seq(p + i, n - i);
		if (len < 2) {		/* C0 control, DEL, invalid byte */
			obuf_hex(&o, p[i]);
			escaped++;
			i++;
			continue;
		}
		cp = utf8_decode(p + i, len);
		if (codepoint_is_hidden(cp)) {
			ulen = snprintf(u, sizeof(u), "\\u{%x}", (unsigned)cp);
			obuf_put(&o, u, (size_t)ulen);
			escaped += len;
		} else
			obuf_put(&o, p + i, len);
		i += len;
	}
	obuf_flush(&o);
	return escaped;
}

size_t
escape_text_write(FILE *f, const uint8_t *p, size_t n)
{
	return escape_write(f, p, n, 0);
}

size_t
escape_html_write(FILE *f, const uint8_t *p, size_t n)
{
	return escape_write(f, p, n, 1);
}

/* Bytes the sanitised copy needs (without the NUL) and how many it fixes. */
static size_t
utf8_dup_size(const uint8_t *p, size_t n, size_t *bad)
{
	size_t i = 0, out = 0, need, got;

	*bad = 0;
	while (i < n) {
		got = utf8_scan(p + i, n - i, &need);
		if (got == need && p[i] != '\0') {
			out += got;
		} else {
			out += REPLACEMENT_LEN;
			(*bad)++;
		}
		i += got;
	}
	return out;
}

char *
escape_utf8_dup(const uint8_t *p, size_t n, size_t *bad)
{
	size_t i, o, need, got, nbad, size;
	char *s;

	if (n > (SIZE_MAX - 1) / REPLACEMENT_LEN)
		abort();
	i = escape_utf8_valid_prefix(p, n);	/* most often all of it */
	size = i + utf8_dup_size(p + i, n - i, &nbad);
	if (bad != NULL)
		*bad = nbad;
	if ((s = malloc(size + 1)) == NULL)
		abort();
	if (i > 0)
		memcpy(s, p, i);
	o = i;
	while (i < n) {
		got = utf8_scan(p + i, n - i, &need);
		if (got == need && p[i] != '\0') {
			memcpy(s + o, p + i, got);
			o += got;
		} else {
			/* One U+FFFD per maximal subpart, as Unicode advises. */
			memcpy(s + o, REPLACEMENT, REPLACEMENT_LEN);
			o += REPLACEMENT_LEN;
		}
		i += got;
	}
	s[o] = '\0';
	return s;
}
