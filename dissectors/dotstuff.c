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

/* One byte inside a line (not at its beginning). */
static void
dotstuff_mid(struct dotstuff *ds, uint8_t c, uint8_t *out, size_t *o)
{
	out[(*o)++] = c;
	if (c == '\n') {
		dotstuff_eol(ds, ds->state != DS_CR);
		return;
	}
	ds->line_len++;
	ds->state = c == '\r' ? DS_CR : DS_MID;
}

size_t
dotstuff_take(struct dotstuff *ds, const uint8_t *p, size_t n, uint8_t *out,
    size_t *outn)
{
	size_t i, o = 0;

	for (i = 0; i < n && !ds->done; i++) {
		uint8_t c = p[i];

		switch (ds->state) {
		case DS_BOL:
			if (c == '.')
				ds->state = DS_DOT;
			else
				dotstuff_mid(ds, c, out, &o);
			break;
		case DS_DOT:
			if (c == '\r')
				ds->state = DS_DOT_CR;
			else if (c == '\n') {
				ds->bare_lf++;
				ds->done = 1;
			} else {
				/* The dot was stuffing: drop it. */
				ds->state = DS_MID;
				dotstuff_mid(ds, c, out, &o);
			}
			break;
		case DS_DOT_CR:
			if (c == '\n')
				ds->done = 1;
			else {
				/* ".\rX": a stuffed line starting with CR. */
				ds->state = DS_MID;
				dotstuff_mid(ds, '\r', out, &o);
				dotstuff_mid(ds, c, out, &o);
			}
			break;
		default:
			dotstuff_mid(ds, c, out, &o);
			break;
		}
	}
	ds->bytes += o;
	*outn = o;
	return i;
}
