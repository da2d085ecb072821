/* rfc2047.c: decodes RFC 2047 encoded words and RFC 2231 values with iconv.
 * An encoded word that cannot be decoded is kept as sent and counted; the
 * result is always valid UTF-8 (RFC 3629), never raw wire bytes. */
#include <ctype.h>
#include <errno.h>
#include <iconv.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "escape.h"
#include "rfc2047.h"

struct sbuf {
	char	*p;
	size_t	 n, cap;
};

static int
sb_add(struct sbuf *b, const char *p, size_t n)
{
	size_t ncap;
	char *np;

	if (b->n + n + 1 > b->cap) {
		ncap = b->cap ? b->cap : 64;
		while (ncap < b->n + n + 1)
			ncap *= 2;
		if ((np = realloc(b->p, ncap)) == NULL)
			return -1;
		b->p = np;
		b->cap = ncap;
	}
	memcpy(b->p + b->n, p, n);
	b->n += n;
	b->p[b->n] = '\0';
	return 0;
}

char *
rfc2047_utf8_clean(const char *s, size_t n, struct rfc2047_flags *f)
{
	const unsigned char *p = (const unsigned char *)s;
	struct sbuf b = { 0 };
	size_t i = 0;

	if (sb_add(&b, "", 0) < 0)
		return NULL;
	while (i < n) {
		/* a run of valid sequences: one copy */
		size_t run = i + escape_utf8_valid_prefix(p + i, n - i);

		sb_add(&b, s + i, run - i);
		if ((i = run) == n)
			break;
		if (f != NULL)
			f->bad_utf8++;
		sb_add(&b, "\xef\xbf\xbd", 3);
		i++;
	}
	return b.p;
}

char *
rfc2047_convert(const char *charset, const char *p, size_t n,
    struct rfc2047_flags *f)
{
	char cs[64], *in, *out, *res;
	size_t inleft, outleft, cap, clen;
	iconv_t cd;

	clen = strcspn(charset, "*");		/* RFC 2231 5: "utf-8*en" */
	if (clen == 0 || clen >= sizeof(cs) ||
	    (clen == 5 && strncasecmp(charset, "utf-8", 5) == 0) ||
	    (clen == 8 && strncasecmp(charset, "us-ascii", 8) == 0))
		return rfc2047_utf8_clean(p, n, f);
	memcpy(cs, charset, clen);
	cs[clen] = '\0';
	if ((cd = iconv_open("UTF-8", cs)) == (iconv_t)-1)
		return NULL;
	cap = n * 4 + 16;
	if ((res = malloc(cap)) == NULL) {
		iconv_close(cd);
		return NULL;
	}
	in = (char *)(uintptr_t)p;
	inleft = n;
	out = res;
	outleft = cap - 1;
	while (inleft > 0) {
		if (iconv(cd, &in, &inleft, &out, &outleft) != (size_t)-1)
			break;
		if (errno == E2BIG || outleft < 4)
			break;
		/* an invalid or cut sequence: U+FFFD and go on */
		memcpy(out, "\xef\xbf\xbd", 3);
		out += 3;
		outleft -= 3;
		in++;
		inleft--;
		if (f != NULL)
			f->bad_utf8++;
	}
	iconv_close(cd);
	*out = '\0';
	/* iconv output is UTF-8 but clean again: never trust a converter */
	out = rfc2047_utf8_clean(res, (size_t)(out - res), f);
	free(res);
	return out;
}

static int
hexv(int c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	c = toupper(c);
	return c >= 'A' && c <= 'F' ? c - 'A' + 10 : -1;
}

size_t
rfc2231_unpercent(const char *p, size_t n, char *out)
{
	size_t i, o = 0;

	for (i = 0; i < n; i++) {
		if (p[i] == '%' && i + 2 < n && hexv(p[i + 1]) >= 0 &&
		    hexv(p[i + 2]) >= 0) {
			out[o++] = (char)(hexv(p[i + 1]) << 4 | hexv(p[i + 2]));
			i += 2;
		} else
			out[o++] = p[i];
	}
	return o;
}

/* One encoded word at p: "=?charset?X?text?=". Returns its length and
 * fills the parts, or 0 if p does not start a well-formed word. */
struct eword {
	const char	*cs, *text;
	size_t		 cslen, textlen;
	char		 enc;
};

static size_t
eword_scan(const char *p, size_t n, struct eword *w)
{
	size_t i;

	if (n < 8 || p[0] != '=' || p[1] != '?')
		return 0;
	w->cs = p + 2;
	for (i = 2; i < n && p[i] != '?'; i++)
		if (p[i] == ' ' || p[i] == '\t' || (unsigned char)p[i] < 33)
			return 0;
	if (i + 3 >= n || p[i + 2] != '?')
		return 0;
	w->cslen = (size_t)(p + i - w->cs);
	w->enc = (char)toupper((unsigned char)p[i + 1]);
	w->text = p + i + 3;
	for (i += 3; i + 1 < n; i++) {
		if (p[i] == '?' && p[i + 1] == '=') {
			w->textlen = (size_t)(p + i - w->text);
			return i + 2;
		}
		if (p[i] == ' ' || p[i] == '\t')
			return 0;
	}
	return 0;
}

/* Decodes the word's text into raw bytes appended to b; -1 if invalid. */
static int
eword_bytes(const struct eword *w, struct sbuf *b)
{
	size_t i;
	unsigned acc = 0;
	int nacc = 0, v, pad = 0;
	char c;

	if (w->cslen == 0 || w->cslen >= 64)
		return -1;
	if (w->enc == 'Q') {
		for (i = 0; i < w->textlen; i++) {
			c = w->text[i];
			if (c == '_')
				c = ' ';
			else if (c == '=') {
				if (i + 2 >= w->textlen ||
				    hexv(w->text[i + 1]) < 0 ||
				    hexv(w->text[i + 2]) < 0)
					return -1;
				c = (char)(hexv(w->text[i + 1]) << 4 |
				    hexv(w->text[i + 2]));
				i += 2;
			}
			sb_add(b, &c, 1);
		}
		return 0;
	}
	if (w->enc != 'B')
		return -1;
	for (i = 0; i < w->textlen; i++) {
		c = w->text[i];
		if (c == '=') {
			pad++;
			continue;
		}
		if (c >= 'A' && c <= 'Z') v = c - 'A';
		else if (c >= 'a' && c <= 'z') v = c - 'a' + 26;
		else if (c >= '0' && c <= '9') v = c - '0' + 52;
		else if (c == '+') v = 62;
		else if (c == '/') v = 63;
		else return -1;
		if (pad)
			return -1;
		acc = acc << 6 | (unsigned)v;
		if (++nacc == 4) {
			char o[3] = { (char)(acc >> 16), (char)(acc >> 8),
			    (char)acc };
			sb_add(b, o, 3);
			acc = 0;
			nacc = 0;
		}
	}
	if (nacc == 1)
		return -1;
	if (nacc == 2) {
		c = (char)(acc >> 4);
		sb_add(b, &c, 1);
	} else if (nacc == 3) {
		char o[2] = { (char)(acc >> 10), (char)(acc >> 2) };
		sb_add(b, o, 2);
	}
	return 0;
}

/* Converts the pending raw bytes of adjacent same-charset words; joining
 * them before conversion keeps multi-byte characters split across words. */
static int
flush_words(struct sbuf *out, struct sbuf *raw, const char *cs,
    struct rfc2047_flags *f)
{
	char *u;

	if (raw->n == 0)
		return 0;
	if ((u = rfc2047_convert(cs, raw->p, raw->n, f)) == NULL) {
		raw->n = 0;
		return -1;
	}
	sb_add(out, u, strlen(u));
	free(u);
	raw->n = 0;
	return 0;
}

char *
rfc2047_decode(const char *s, size_t n, struct rfc2047_flags *f)
{
	struct sbuf out = { 0 }, raw = { 0 }, plain = { 0 };
	struct eword w;
	char cs[64] = "";
	size_t i = 0, k, j, start;
	int prev_word = 0;
	char *u;

	sb_add(&out, "", 0);
	while (i < n) {
		if ((k = eword_scan(s + i, n - i, &w)) > 0) {
			size_t mark = raw.n;
			int same = prev_word && w.cslen < sizeof(cs) &&
			    strlen(cs) == w.cslen &&
			    strncasecmp(cs, w.cs, w.cslen) == 0;

			if (!same && flush_words(&out, &raw, cs, f) < 0)
				goto bad_charset;
			mark = raw.n;
			if (eword_bytes(&w, &raw) < 0) {
				raw.n = mark;
				goto bad_word;
			}
			memcpy(cs, w.cs, w.cslen);
			cs[w.cslen] = '\0';
			/* unknown charset: test now so the word stays raw */
			if (!same) {
				iconv_t cd;
				char tmp[64];
				size_t tl = strcspn(cs, "*");

				memcpy(tmp, cs, tl);
				tmp[tl] = '\0';
				if ((cd = iconv_open("UTF-8", tmp)) ==
				    (iconv_t)-1) {
					raw.n = mark;
					goto bad_word;
				}
				iconv_close(cd);
			}
			i += k;
			/* RFC 2047 6.2: whitespace between adjacent encoded
			 * words is not shown */
			for (j = i; j < n && (s[j] == ' ' || s[j] == '\t' ||
			    s[j] == '\r' || s[j] == '\n'); j++)
				;
			if (j < n && eword_scan(s + j, n - j, &w) > 0)
				i = j;
			prev_word = 1;
			continue;
bad_word:
			if (f != NULL)
				f->bad_words++;
			flush_words(&out, &raw, cs, f);
			prev_word = 0;
			u = rfc2047_utf8_clean(s + i, k, f);
			if (u != NULL) {
				sb_add(&out, u, strlen(u));
				free(u);
			}
			i += k;
			continue;
		}
		if (flush_words(&out, &raw, cs, f) < 0)
			goto bad_charset;
		prev_word = 0;
		/* plain text up to the next "=?" */
		start = i++;
		while (i < n && !(s[i] == '=' && i + 1 < n && s[i + 1] == '?'))
			i++;
		u = rfc2047_utf8_clean(s + start, i - start, f);
		if (u != NULL) {
			sb_add(&out, u, strlen(u));
			free(u);
		}
		/* an "=?" that does not scan as a word is plain text */
		if (i < n && eword_scan(s + i, n - i, &w) == 0) {
			u = rfc2047_utf8_clean(s + i, 2, f);
			if (u != NULL) {
				sb_add(&out, u, strlen(u));
				free(u);
			}
			if (f != NULL)
				f->bad_words++;
			i += 2;
		}
	}
	flush_words(&out, &raw, cs, f);
	free(raw.p);
	free(plain.p);
	return out.p;
bad_charset:
	free(raw.p);
	free(plain.p);
	return out.p;
}
