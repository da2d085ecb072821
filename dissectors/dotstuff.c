/* dotstuff.c: RFC 5321 4.5.2 transparency: a line starting with "." has had
 * one dot added; the line "." alone ends the data. The end marker may be split
 * at any byte. A bare LF ends a line too (accepted and counted, as most MTAs
 * do); it must never drop or invent a message byte otherwise. */
#include <string.h>

#include "dotstuff.h"

enum {
	DS_BOL,		/* at the beginning of a line */
	DS_DOT,		/* "." seen at the beginning of a line */
	DS_DOT_CR,	/* ".\r" seen at the beginning of a line */
	DS_MID,		/* inside a line */
	DS_CR,		/* "\r" seen inside a line */
};

void
dotstuff_init(struct dotstuff *ds, size_t max_line)
{
	memset(ds, 0, sizeof(*ds));
	ds->state = DS_BOL;
	ds->max_line = max_line;
}

static void
dotstuff_eol(struct dotstuff *ds, int bare)
{
	ds->lines++;
	if (bare)
		ds->bare_lf++;
	if (ds->max_line > 0 && ds->line_len > ds->max_line)
		ds->long_lines++;
	ds->line_len = 0;
	ds->state = DS_BOL;
}

size_t
dotstuff_take(struct dotstuff *ds, const uint8_t *p, size_t n, uint8_t *out,
    size_t *outn)
{
	size_t i = 0, o = 0, k;
	const uint8_t *lf;

	while (i < n && !ds->done) {
		uint8_t c = p[i];

		switch (ds->state) {
		case DS_BOL:
			if (c == '.') {
				ds->state = DS_DOT;
				i++;
				continue;
			}
			break;		/* the line's first byte: a run */
		case DS_DOT:
			i++;
			if (c == '\r')
				ds->state = DS_DOT_CR;
			else if (c == '\n') {
				ds->bare_lf++;
				ds->done = 1;
			} else {
				/* The dot was stuffing: drop it; c starts
				 * the run below. */
				i--;
				ds->state = DS_MID;
			}
			continue;
		case DS_DOT_CR:
			if (c == '\n') {
				ds->done = 1;
				i++;
				continue;
			}
			/* ".\rX": a stuffed line starting with CR; X is
			 * read by the run below, after that CR. */
			out[o++] = '\r';
			ds->line_len++;
			ds->state = DS_CR;
			break;
		default:
			break;
		}
		/* Inside a line (or at its first byte, not a dot): pass the
		 * bytes up to and including the next LF through at once. */
		lf = memchr(p + i, '\n', n - i);
		if (lf == NULL) {
			k = n - i;
			memcpy(out + o, p + i, k);
			o += k;
			ds->line_len += k;
			ds->state = p[n - 1] == '\r' ? DS_CR : DS_MID;
			i = n;
			continue;
		}
		k = (size_t)(lf - (p + i));
		memcpy(out + o, p + i, k + 1);
		o += k + 1;
		ds->line_len += k;
		dotstuff_eol(ds, k > 0 ? lf[-1] != '\r' : ds->state != DS_CR);
		i += k + 1;
	}
	ds->bytes += o;
	*outn = o;
	return i;
}
