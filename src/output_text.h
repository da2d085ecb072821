/* output_text.h: the transcript writer behind output.h. Streams lines as
 * they come (never buffers a session); every wire byte goes through
 * escape_text_write(). */
#ifndef SMTPSCOPE_OUTPUT_TEXT_H
#define SMTPSCOPE_OUTPUT_TEXT_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "output.h"

struct flow;
struct json_object;
struct output_text;

/* NULL on out-of-memory. The FILE stays the caller's. */
struct output_text	*output_text_open(FILE *, int color);
/* --explain: a note under each line and after each transaction, in lang
 * (enum explain_lang). */
void	output_text_set_explain(struct output_text *, int lang);
void	output_text_session_open(struct output_text *, const struct flow *);
void	output_text_line(struct output_text *, const struct flow *,
	    enum output_dir, const uint8_t *p, size_t n, int cut);
/* text: made by us (plain ASCII), shown as "C: <...>" without escaping. */
void	output_text_note(struct output_text *, const struct flow *,
	    enum output_dir, const char *text);
void	output_text_message(struct output_text *, const struct flow *,
	    const struct json_object *message);
/* The smtp.transaction event object (borrowed): with --explain, its notes
 * (envelope against headers, Received hops). */
void	output_text_transaction(struct output_text *, const struct flow *,
	    const struct json_object *tx);
void	output_text_session_close(struct output_text *, const struct flow *,
	    const char *end);
void	output_text_flush(struct output_text *);
int	output_text_error(const struct output_text *);
/* Frees; non-zero if a write failed at any time (this one included). */
int	output_text_close(struct output_text *);

#endif
