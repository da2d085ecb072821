/* smtp_reply.c: one reply from its lines. RFC 5321 4.2.1: "DDD-text" lines
 * continue, "DDD text" (or "DDD") ends; RFC 3463 enhanced codes open the text.
 * It must never trust a line: invalid ones are kept as text and flagged. */
#include <stdlib.h>
#include <string.h>

#include "escape.h"
#include "smtp_reply.h"

void
smtp_reply_parser_init(struct smtp_reply_parser *rp, size_t max_lines)
{
	memset(rp, 0, sizeof(*rp));
	rp->max_lines = max_lines > 0 ? max_lines : 1;
}

void
smtp_reply_free(struct smtp_reply *r)
{
	free(r->text);
	memset(r, 0, sizeof(*r));
}

void
smtp_reply_parser_free(struct smtp_reply_parser *rp)
{
	smtp_reply_free(&rp->r);
	rp->text_len = 0;
	rp->in_progress = 0;
}

int
smtp_reply_line_code(const uint8_t *p, size_t n, int *more)
{
	*more = 0;
	/* RFC 5321 4.2 says [2-5][0-5][0-9], but servers send 472 and the
	 * like: take any second digit; the caller flags unexpected codes. */
	if (n < 3 || p[0] < '2' || p[0] > '5' || p[1] < '0' || p[1] > '9' ||
	    p[2] < '0' || p[2] > '9')
		return -1;
	if (n > 3 && p[3] != ' ' && p[3] != '-')
		return -1;
	*more = n > 3 && p[3] == '-';
	return (p[0] - '0') * 100 + (p[1] - '0') * 10 + (p[2] - '0');
}

/* RFC 3463 2: class "." subject "." detail; class 2, 4 or 5, subject and
 * detail 1 to 3 digits, then a space or the end. */
static size_t
smtp_reply_digits(const uint8_t *p, size_t n, size_t i, size_t *end)
{
	size_t start = i;

	while (i < n && i - start < 4 && p[i] >= '0' && p[i] <= '9')
		i++;
	*end = i;
	return i - start;
}

size_t
smtp_reply_enhanced_len(const uint8_t *p, size_t n)
{
	size_t i, d;

	if (n < 5 || (p[0] != '2' && p[0] != '4' && p[0] != '5') ||
	    p[1] != '.')
		return 0;
	d = smtp_reply_digits(p, n, 2, &i);
	if (d < 1 || d > 3 || i >= n || p[i] != '.')
		return 0;
	d = smtp_reply_digits(p, n, i + 1, &i);
	if (d < 1 || d > 3)
		return 0;
	if (i < n && p[i] != ' ')
		return 0;
	return i;
}

static void
smtp_reply_append(struct smtp_reply_parser *rp, const uint8_t *p, size_t n)
{
	char *s = escape_utf8_dup(p, n, NULL);
	size_t sl = strlen(s);
	char *t = realloc(rp->r.text, rp->text_len + sl + 2);

	if (t == NULL) {
		free(s);
		return;
	}
	if (rp->text_len > 0)
		t[rp->text_len++] = '\n';
	memcpy(t + rp->text_len, s, sl + 1);
	rp->text_len += sl;
	rp->r.text = t;
	free(s);
}

static void
smtp_reply_add_line(struct smtp_reply_parser *rp, int code, const uint8_t *p,
    size_t n)
{
	size_t off = n > 3 ? 4 : n, el;
	struct smtp_reply *r = &rp->r;

	if (code < 0) {
		r->flags |= SMTP_REPLY_INVALID;
		off = 0;
	} else if (r->nlines > 0 && code != r->code)
		r->flags |= SMTP_REPLY_MISMATCH;
	if (r->nlines >= rp->max_lines) {
		r->flags |= SMTP_REPLY_TOO_MANY;
		r->nlines++;
		return;
	}
	r->nlines++;
	if (code >= 0 && (el = smtp_reply_enhanced_len(p + off, n - off)) > 0) {
		if (r->enhanced[0] == '\0' && el < sizeof(r->enhanced)) {
			memcpy(r->enhanced, p + off, el);
			r->enhanced[el] = '\0';
			if (r->enhanced[0] != '0' + code / 100)
				r->flags |= SMTP_REPLY_ENH_MISMATCH;
		}
		/* Strip it from every line that repeats it (RFC 3463 4). */
		if (el == strlen(r->enhanced) &&
		    memcmp(p + off, r->enhanced, el) == 0) {
			off += el;
			if (off < n && p[off] == ' ')
				off++;
		}
	}
	smtp_reply_append(rp, p + off, n - off);
}

enum smtp_reply_status
smtp_reply_push(struct smtp_reply_parser *rp, const uint8_t *line, size_t n)
{
	int more, code = smtp_reply_line_code(line, n, &more);

	if (code < 0 && !rp->in_progress) {
		/* Junk outside a reply: make it a reply of its own (code 0)
		 * so the caller can show and flag it, but not match it. */
		smtp_reply_add_line(rp, code, line, n);
		return SMTP_REPLY_JUNK;
	}
	if (!rp->in_progress)
		rp->r.code = code;
	smtp_reply_add_line(rp, code, line, n);
	if (code >= 0 && !more) {
		rp->in_progress = 0;
		return SMTP_REPLY_DONE;
	}
	rp->in_progress = 1;
	return SMTP_REPLY_MORE;
}

void
smtp_reply_take(struct smtp_reply_parser *rp, struct smtp_reply *dst)
{
	*dst = rp->r;
	if (dst->text == NULL) {
		dst->text = malloc(1);
		if (dst->text != NULL)
			dst->text[0] = '\0';
	}
	memset(&rp->r, 0, sizeof(rp->r));
	rp->text_len = 0;
	rp->in_progress = 0;
}

void
smtp_reply_copy(struct smtp_reply *dst, const struct smtp_reply *src)
{
	*dst = *src;
	dst->text = src->text != NULL ? strdup(src->text) : NULL;
}
