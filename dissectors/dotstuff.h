/* dotstuff.h: decoder for dot-stuffed message bodies (SMTP DATA, later POP3
 * RETR): removes the stuffing dots and finds the CRLF.CRLF end across any
 * split. It never copies: the message comes out as runs of the input. */
#ifndef SMTPSCOPE_DOTSTUFF_H
#define SMTPSCOPE_DOTSTUFF_H

#include <stddef.h>
#include <stdint.h>

struct dotstuff {
	int		 state;		/* private: position in a line */
	int		 done;		/* the end line "." was seen */
	uint64_t	 bytes;		/* message bytes (unstuffed) */
	uint64_t	 lines;		/* message lines */
	uint64_t	 bare_lf;	/* lines ended by LF alone */
	uint64_t	 long_lines;	/* lines longer than max_line */
	size_t		 max_line;	/* RFC 5321 4.5.3.1.6: 1000 with CRLF */
	size_t		 line_len;	/* of the current line */
};

/* Receives the message, in order, in runs (p points into the input, or
 * at a static "\r" held back from the previous call). */
typedef void	dotstuff_sink(void *arg, const uint8_t *p, size_t n);

void	dotstuff_init(struct dotstuff *, size_t max_line);
/* The line scan: 2 sixty-four bytes a step where the CPU has AVX-512BW
 * (the default), 1 sixteen (SSE2), 0 memchr per line (tests compare
 * them). Returns the scan now in use. */
int	dotstuff_vector(int level);
/* Decodes p[0..n), handing the message bytes to sink. Returns the bytes
 * consumed: fewer than n only when the end marker was reached (done is
 * then set; the rest belongs to the next command). */
size_t	dotstuff_take(struct dotstuff *, const uint8_t *p, size_t n,
	    dotstuff_sink *sink, void *arg);

#endif
