/* output_html_tx.h: one transaction of the --html page, drawn from its
 * smtp.transaction event: envelope, headers, Received chain, MIME tree.
 * Never writes a string of the event without escape_html_write(). */
#ifndef SMTPSCOPE_OUTPUT_HTML_TX_H
#define SMTPSCOPE_OUTPUT_HTML_TX_H

#include <stdio.h>

struct json_object;

#define OUTPUT_HTML_TX_LIST_CAP		50	/* RCPTs, addresses, hops shown */
#define OUTPUT_HTML_TX_MIME_DEPTH	24	/* MIME levels drawn */
#define OUTPUT_HTML_TX_MIME_PARTS	200	/* MIME entities drawn */

/* Writes the <div class="tx"> block of one smtp.transaction event, its
 * headings in lang (enum explain_lang). */
void	output_html_tx_write(FILE *, const struct json_object *tx, int lang);

/* A short summary of a message object for the ladder's message arrow:
 * "Subject: ...", "From: ..." as <span class="ms"> blocks (escaped). */
void	output_html_tx_message_summary(FILE *, const struct json_object *msg);

/* s (UTF-8 from an event, may be NULL) escaped for HTML. */
void	output_html_put(FILE *, const char *s);

#endif
