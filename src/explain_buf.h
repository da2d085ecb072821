/* explain_buf.h: the bounded note buffer shared by explain.c and
 * explain_tx.c: texts by id, {n} templates filled, wire values quoted.
 * Internal to the explain module; a full buffer cuts, never overflows. */
#ifndef SMTPSCOPE_EXPLAIN_BUF_H
#define SMTPSCOPE_EXPLAIN_BUF_H

#include <stddef.h>
#include <stdint.h>

#include "explain.h"
#include "explain_text.h"

#define EXPLAIN_NOTE_MAX	2048	/* all the notes of one line */
#define EXPLAIN_QUOTE_MAX	80	/* bytes of one quoted wire value */

struct explain_buf {
	char	 b[EXPLAIN_NOTE_MAX];
	size_t	 n;
	int	 cut;			/* something did not fit */
};

/* The text of id in lang; English when the language lacks it. */
const char	*explain_text(enum explain_lang, enum explain_id);
/* A new note: "\n" between notes; the first one starts the buffer. */
void		 explain_buf_next(struct explain_buf *);
/* Appends the template of id with {1}..{9} replaced by args[0..nargs). */
void		 explain_buf_fill(struct explain_buf *, enum explain_lang,
		    enum explain_id, const char *const *args, int nargs);
/* Copies wire bytes as a quotable value into dst (size >= 8): printable
 * ASCII and valid non-control UTF-8 kept, anything else '?', cut at
 * EXPLAIN_QUOTE_MAX bytes with "...". Returns dst. */
const char	*explain_quote(char *dst, size_t size, const uint8_t *p,
		    size_t n);

#endif
