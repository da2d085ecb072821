/* date_strict.h: the RFC 5322 date-time as mail software writes it, read
 * without GMime. */
#ifndef SMTPSCOPE_DATE_STRICT_H
#define SMTPSCOPE_DATE_STRICT_H

#include <stdint.h>

/* "[Www, ]D Mmm YYYY HH:MM:SS +HHMM[ (comment)]" and nothing else: 1 and
 * *t (seconds since the epoch, UTC) if s is exactly that, a real date
 * and, with a weekday, the right one; 0 otherwise (the caller asks
 * GMime, which reads the obsolete and odd forms too). */
int	date_strict_parse(const char *s, int64_t *t);

#endif
