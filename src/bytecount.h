/* bytecount.h: how many times one byte value occurs in a buffer, sixty-
 * four bytes at a time with AVX-512BW, sixteen with SSE2, where the CPU
 * has them. For counting a message's lines: a memchr() per line costs a
 * call per 80 bytes of base64. */
#ifndef SMTPSCOPE_BYTECOUNT_H
#define SMTPSCOPE_BYTECOUNT_H

#include <stddef.h>
#include <stdint.h>

size_t	bytecount(const void *p, size_t n, uint8_t c);
/* 2 the widest the CPU has (the default), 1 SSE2 at most, 0 a byte at a
 * time (tests compare them). Returns the one now in use. */
int	bytecount_vector(int level);

#endif
