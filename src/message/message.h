/* message.h: the streaming message analyser. Fed the message bytes of one
 * DATA or BDAT transaction chunk by chunk (already dot-unstuffed), it parses
 * headers, the Received chain and the MIME tree in bounded memory and
 * returns the `message` JSON object. It never holds a whole message. */
#ifndef SMTPSCOPE_MESSAGE_H
#define SMTPSCOPE_MESSAGE_H

#include <stddef.h>
#include <stdint.h>

struct config;
struct anomalies;
struct json_object;

struct message;

/* anomalies: the session's set, where message and mime_* anomalies go.
 * tag: a short unique name for extraction files (e.g. "s3-t1"). */
struct message	*message_open(const struct config *, struct anomalies *,
		    const char *tag);
/* Message bytes as the recipient would store them: CRLF line ends,
 * dot-stuffing removed. Any split, any size. */
void		 message_feed(struct message *, const uint8_t *p, size_t n);
/* Ends the message (complete: 1 if the end marker was seen) and returns the
 * `message` object (caller owns it); frees the analyser. */
struct json_object *message_close(struct message *, int complete);
/* The one choke point for text leaving the analyser: every string value in
 * o (recursively) that is not valid UTF-8 is replaced by its cleaned form
 * (invalid sequences and NUL -> U+FFFD). Returns how many were replaced;
 * message_close() runs it on the `message` object (invalid_utf8). */
size_t		 message_utf8_fix(struct json_object *o);
/* Frees without a result (session torn down). NULL is fine. */
void		 message_abort(struct message *);

#endif
