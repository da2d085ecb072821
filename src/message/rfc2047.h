/* rfc2047.h: header text -> valid UTF-8: RFC 2047 encoded words (B and Q,
 * any charset iconv knows, adjacent words joined), RFC 2231 extended
 * parameter values, and a UTF-8 cleaner. Never returns invalid UTF-8. */
#ifndef SMTPSCOPE_RFC2047_H
#define SMTPSCOPE_RFC2047_H

#include <stddef.h>

struct rfc2047_flags {
	unsigned	bad_words;	/* encoded words kept raw */
	unsigned	bad_utf8;	/* bytes replaced by U+FFFD */
};

/* All return malloc'd NUL-terminated UTF-8 (NULL only on out-of-memory)
 * and add to *f (which may be NULL). */

/* Text with encoded words (unstructured text, phrases, filenames). */
char	*rfc2047_decode(const char *, size_t, struct rfc2047_flags *);
/* Bytes in charset -> UTF-8; unknown charset or bad bytes: cleaned raw. */
char	*rfc2047_convert(const char *charset, const char *, size_t,
	    struct rfc2047_flags *);
/* An RFC 2231 extended value "charset'lang'%XX..." (first segment) or a
 * later %-encoded segment (charset NULL): percent-decodes into raw bytes. */
size_t	 rfc2231_unpercent(const char *, size_t, char *out);
/* Invalid sequences and NUL -> U+FFFD. */
char	*rfc2047_utf8_clean(const char *, size_t, struct rfc2047_flags *);

#endif
