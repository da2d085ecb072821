/* linebuf.c: split a byte stream into lines in bounded memory. CRLF ends a
 * line (RFC 5321 2.3.8); a bare LF is accepted and flagged. It must never
 * keep more than `max` bytes of one line, whatever the input. */
#include <stdlib.h>
#include <string.h>

#include "linebuf.h"

int
linebuf_init(struct linebuf *lb, size_t max)
{
	memset(lb, 0, sizeof(*lb));
	if (max == 0)
		max = 1;
	lb->buf = malloc(max);
	if (lb->buf == NULL)
		return -1;
	lb->max = max;
	return 0;
}

void
linebuf_free(struct linebuf *lb)
{
	free(lb->buf);
	lb->buf = NULL;
	lb->len = lb->wire = 0;
}

static void
linebuf_keep(struct linebuf *lb, const uint8_t *p, size_t n)
{
	size_t room = lb->max - lb->len;

	if (memchr(p, '\0', n) != NULL)
		lb->flags |= LINEBUF_NUL;
	if (n > room) {
		lb->flags |= LINEBUF_CUT;
		lb->dropped += n - room;
		lb->line_dropped += n - room;
		n = room;
	}
	memcpy(lb->buf + lb->len, p, n);
	lb->len += n;
}

static void
linebuf_finish(struct linebuf *lb, struct linebuf_line *line)
{
	line->p = lb->buf;
	line->n = lb->len;
	line->wire = lb->wire;
	line->flags = lb->flags;
	lb->len = lb->wire = 0;
	lb->flags = 0;
	lb->last_cr = 0;
	lb->line_dropped = 0;
}

size_t
linebuf_take(struct linebuf *lb, const uint8_t *p, size_t n,
    struct linebuf_line *line, int *ready)
{
	const uint8_t *lf = memchr(p, '\n', n);
	size_t body = lf != NULL ? (size_t)(lf - p) : n;

	*ready = 0;
	if (body > 0) {
		linebuf_keep(lb, p, body);
		lb->last_cr = p[body - 1] == '\r';
	}
	lb->wire += body;
	if (lf == NULL)
		return n;
	lb->wire++;
	if (lb->last_cr) {
		/* The CR is part of the line end; it may have been cut. */
		if (lb->line_dropped == 0)
			lb->len--;
		else {
			lb->dropped--;
			if (--lb->line_dropped == 0)
				lb->flags &= ~LINEBUF_CUT;
		}
	} else
		lb->flags |= LINEBUF_BARE_LF;
	linebuf_finish(lb, line);
	*ready = 1;
	return body + 1;
}

int
linebuf_flush(struct linebuf *lb, struct linebuf_line *line)
{
	if (lb->wire == 0)
		return 0;
	lb->flags |= LINEBUF_UNTERMINATED;
	linebuf_finish(lb, line);
	return 1;
}

void
linebuf_reset(struct linebuf *lb)
{
	lb->len = lb->wire = 0;
	lb->flags = 0;
	lb->last_cr = 0;
	lb->line_dropped = 0;
}

size_t
linebuf_pending(const struct linebuf *lb)
{
	return lb->wire;
}
