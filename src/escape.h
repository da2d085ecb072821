/* escape.h: wire bytes -> text that is safe to show, to put in HTML or JSON.
 * Never lets a control byte, an escape sequence or invalid UTF-8 through. */
#ifndef SMTPSCOPE_ESCAPE_H
#define SMTPSCOPE_ESCAPE_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

/* Writes p[0..n) to f for a terminal: valid UTF-8 printable text as is,
 * control bytes and invalid sequences as \xNN, backslash as \\.
 * Returns the number of bytes that were escaped. */
size_t	escape_text_write(FILE *f, const uint8_t *p, size_t n);

/* The same, for HTML text or attribute values: as escape_text_write, and
 * & < > " ' written as entities, so no wire byte can open a tag or leave
 * an attribute. Returns the number of bytes escaped the \xNN way. */
size_t	escape_html_write(FILE *f, const uint8_t *p, size_t n);

/* Returns a malloc'd NUL-terminated valid UTF-8 string for JSON: invalid
 * sequences and NUL replaced by U+FFFD; *bad (if non-NULL) set to the number
 * replaced. Never NULL (aborts on out-of-memory, like every allocator
 * wrapper here). */
char	*escape_utf8_dup(const uint8_t *p, size_t n, size_t *bad);

/* Length of the valid UTF-8 sequence at p (1-4), or 0 if invalid. */
size_t	escape_utf8_seq(const uint8_t *p, size_t n);

/* Length of the longest prefix of p[0..n) that is valid UTF-8 without a
 * NUL: n when all of it is. ASCII goes eight bytes at a time. */
size_t	escape_utf8_valid_prefix(const void *p, size_t n);

#endif
