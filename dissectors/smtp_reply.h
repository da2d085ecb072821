/* smtp_reply.h: SMTP reply lines -> one reply (RFC 5321 4.2): the 3-digit
 * code, multi-line replies joined, the RFC 3463 enhanced status code split
 * out. Bounded: at most max_lines lines and max_text bytes of text kept. */
#ifndef SMTPSCOPE_SMTP_REPLY_H
#define SMTPSCOPE_SMTP_REPLY_H

#include <stddef.h>
#include <stdint.h>

#define SMTP_REPLY_ENHANCED_MAX 16	/* "5.7.123" fits easily */

enum smtp_reply_flag {
	SMTP_REPLY_INVALID = 1,		/* a line is not "DDD", "DDD " or "DDD-" */
	SMTP_REPLY_MISMATCH = 2,	/* lines of one reply with other codes */
	SMTP_REPLY_TOO_MANY = 4,	/* more lines than kept */
	SMTP_REPLY_ENH_MISMATCH = 8,	/* enhanced class differs from code */
};

struct smtp_reply {
	int		 code;		/* 200..599, or 0 if invalid */
	char		 enhanced[SMTP_REPLY_ENHANCED_MAX]; /* "" if none */
	char		*text;		/* lines' text joined by "\n"; UTF-8 */
	size_t		 nlines;
	unsigned	 flags;
};

/* Collects one reply line by line. */
struct smtp_reply_parser {
	struct smtp_reply	 r;
	size_t			 max_lines;
	size_t			 text_len;
	int			 in_progress;	/* a "DDD-" line was seen */
};

enum smtp_reply_status {
	SMTP_REPLY_MORE,	/* a continuation line: wait for the last */
	SMTP_REPLY_DONE,	/* the reply is complete: take it */
	SMTP_REPLY_JUNK,	/* an invalid line outside any reply */
};

void	smtp_reply_parser_init(struct smtp_reply_parser *, size_t max_lines);
void	smtp_reply_parser_free(struct smtp_reply_parser *);
/* One line, without its line end. On DONE, move the reply out with
 * smtp_reply_take(). */
enum smtp_reply_status smtp_reply_push(struct smtp_reply_parser *,
	    const uint8_t *line, size_t n);
/* Moves the finished reply into *dst (which the caller frees with
 * smtp_reply_free) and resets the parser. */
void	smtp_reply_take(struct smtp_reply_parser *, struct smtp_reply *dst);
void	smtp_reply_free(struct smtp_reply *);
/* Copies a reply (deep). */
void	smtp_reply_copy(struct smtp_reply *dst, const struct smtp_reply *src);
/* Splits "D.DDD.DDD " at the start of text: returns its length (without the
 * space) or 0. */
size_t	smtp_reply_enhanced_len(const uint8_t *p, size_t n);
/* Parses a reply line's code: 3 digits [2-5][0-9][0-9]; -1 if not. */
int	smtp_reply_line_code(const uint8_t *p, size_t n, int *more);

#endif
