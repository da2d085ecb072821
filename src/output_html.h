/* output_html.h: the --html writer behind output.h: one self-contained page
 * with a ladder (sequence) diagram per session and its transactions below.
 * Keeps what it draws, within fixed bounds, and writes the page at close. */
#ifndef SMTPSCOPE_OUTPUT_HTML_H
#define SMTPSCOPE_OUTPUT_HTML_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "output.h"

struct flow;
struct json_object;
struct output_html;

/* Bounds of what the page holds; what goes past them is counted and the
 * page says how much was left out. */
#define OUTPUT_HTML_SESSIONS_MAX	500	/* sessions drawn */
#define OUTPUT_HTML_ARROWS_MAX		2000	/* arrows per session */
#define OUTPUT_HTML_BUDGET		(32u << 20) /* bytes held in all */
#define OUTPUT_HTML_REPLY_LINES		50	/* lines drawn of one reply */
#define OUTPUT_HTML_LINE_CAP		1000	/* bytes drawn of one line */

#define OUTPUT_HTML_NOTES_CAP		16384	/* bytes of notes per arrow */

/* NULL on out-of-memory. title: what the page is about (the inputs), shown
 * escaped; lang (enum explain_lang): the language of the --explain notes
 * drawn beside each arrow and under each transaction. The FILE stays the
 * caller's; the page is written by close. */
struct output_html	*output_html_open(FILE *, const char *title,
			    int lang);
void	output_html_session_open(struct output_html *, const struct flow *);
void	output_html_line(struct output_html *, const struct flow *,
	    enum output_dir, const uint8_t *p, size_t n, int cut);
void	output_html_note(struct output_html *, const struct flow *,
	    enum output_dir, const char *text);
void	output_html_message(struct output_html *, const struct flow *,
	    const struct json_object *message);
/* A whole event (common fields included), borrowed. */
void	output_html_event(struct output_html *, const struct flow *,
	    const struct json_object *event);
void	output_html_session_close(struct output_html *, const struct flow *,
	    const char *end);
int	output_html_error(const struct output_html *);
/* close will write nothing (the run showed nothing). NULL: no-op. */
void	output_html_discard(struct output_html *);
/* Writes the page, frees everything. */
/* Frees; non-zero if a write failed at any time (this one included). */
int	output_html_close(struct output_html *);

#endif
