/* bytecount.h: how many times one byte value occurs in a buffer, sixteen
 * bytes at a time where the CPU has SSE2. For counting a message's lines:
 * a memchr() per line costs a call per 80 bytes of base64. */
#ifndef SMTPSCOPE_BYTECOUNT_H
#define SMTPSCOPE_BYTECOUNT_H

#include <stddef.h>
#include <stdint.h>

size_t	bytecount(const void *p, size_t n, uint8_t c);

#endif
