/* linebuf.h: bounded line splitter shared by the line protocols (SMTP now,
 * POP3/IMAP later). Never grows past its bound: overlong lines are kept cut,
 * flagged and the excess counted. */
#ifndef SMTPSCOPE_LINEBUF_H
#define SMTPSCOPE_LINEBUF_H

#include <stddef.h>
#include <stdint.h>

enum linebuf_flag {
	LINEBUF_CUT = 1,	/* longer than the bound: the rest was dropped */
	LINEBUF_BARE_LF = 2,	/* ended by LF alone, not CRLF */
	LINEBUF_UNTERMINATED = 4, /* flushed at the end with no LF */
	LINEBUF_NUL = 8,	/* contains a NUL byte */
};

struct linebuf_line {
	const uint8_t	*p;	/* without its line end; valid until next take */
	size_t		 n;
	size_t		 wire;	/* bytes on the wire, line end included */
	unsigned	 flags;
};

struct linebuf {
	uint8_t		*buf;
	size_t		 max;		/* bound on a kept line */
	size_t		 len;		/* bytes kept of the current line */
	size_t		 wire;		/* wire bytes of the current line */
	unsigned	 flags;
	int		 last_cr;	/* last byte seen (kept or not) was CR */
	size_t		 line_dropped;	/* bytes not kept of this line */
	uint64_t	 dropped;	/* bytes not kept, in all */
};

/* max: longest line kept (without the line end); returns -1 on no memory. */
int	linebuf_init(struct linebuf *, size_t max);
void	linebuf_free(struct linebuf *);
/* Takes bytes from p[0..n) up to and including the first LF. Returns the
 * number consumed; when a line is complete, fills *line and returns with
 * *ready = 1. Call again with the rest. */
size_t	linebuf_take(struct linebuf *, const uint8_t *p, size_t n,
	    struct linebuf_line *line, int *ready);
/* The partial line at the end of a stream, if any (flag UNTERMINATED). */
int	linebuf_flush(struct linebuf *, struct linebuf_line *);
/* Drops a partial line (after a gap: never join bytes across a hole). */
void	linebuf_reset(struct linebuf *);
/* Bytes of the current partial line. */
size_t	linebuf_pending(const struct linebuf *);

#endif
