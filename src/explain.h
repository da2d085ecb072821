/* explain.h: teaching notes (--explain) for the transcript and the HTML
 * page: what a command asks, what a reply code means, what a transaction's
 * envelope and headers say. Texts come from one table per language
 * (explain_en.c, explain_fr.c); never copies wire bytes unescaped. */
#ifndef SMTPSCOPE_EXPLAIN_H
#define SMTPSCOPE_EXPLAIN_H

#include <stddef.h>
#include <stdint.h>

#include "output.h"

struct json_object;

enum explain_lang { EXPLAIN_LANG_EN, EXPLAIN_LANG_FR };

/* "en" or "fr" -> 0 and *out; anything else -> -1 */
int explain_lang_parse(const char *name, enum explain_lang *out);

/* Per-session context: a reply's meaning depends on the command it
 * answers (250 to MAIL vs 250 to DATA's end), on AUTH/DATA state. */
struct explain_ctx;
struct explain_ctx *explain_ctx_new(enum explain_lang);
void explain_ctx_free(struct explain_ctx *);

/* The note for one protocol line, fed in exchange order exactly as
 * output_line() sees it (dir, raw bytes without CRLF); NULL when there
 * is nothing to say. Plain UTF-8 text, made by us (never wire bytes
 * unescaped); valid until the next call on this ctx.
 * A line may get several notes: they are separated by '\n' (no
 * trailing one); a wire value quoted in a note is cleaned (printable,
 * at most EXPLAIN_QUOTE_MAX bytes) but not HTML-escaped. */
const char *explain_line(struct explain_ctx *, enum output_dir,
                         const uint8_t *p, size_t n);

/* The same for a line smtpscope writes in place of wire bytes, fed as
 * output_note() sees it ("<message: 17 lines, 451 bytes>", "<AUTH LOGIN
 * response: ...>", "<TLS: ...>"), in the same order as the lines: it
 * also tells the ctx that the message data ended or an AUTH response
 * went by. NULL when there is nothing to say. */
const char *explain_note(struct explain_ctx *, enum output_dir,
                         const char *text);

/* Notes on one finished transaction (the smtp.transaction event object,
 * with its `message`): envelope vs headers disagreements said plainly
 * (Bcc, list, forged From:), each Received hop read out. emit() once
 * per note. */
void explain_transaction(enum explain_lang, const struct json_object *tx,
                         void (*emit)(void *arg, const char *note),
                         void *arg);

#endif
