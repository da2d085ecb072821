/* span.h: the one way to read untrusted wire bytes: a pointer and a length,
 * consumed through checked take/peek/skip. Never NUL-terminated, never read
 * past n: every accessor returns -1 and leaves the span as it was if short. */
#ifndef SMTPSCOPE_SPAN_H
#define SMTPSCOPE_SPAN_H

#include <stddef.h>
#include <stdint.h>

struct span {
	const uint8_t	*p;
	size_t		 n;
};

static inline struct span
span_make(const void *p, size_t n)
{
	struct span s = { (const uint8_t *)p, n };

	return s;
}

/* Cuts the first len bytes off s into *out (which may be NULL). */
static inline int
span_take(struct span *s, size_t len, struct span *out)
{
	if (s->n < len)
		return -1;
	if (out != NULL)
		*out = span_make(s->p, len);
	s->p += len;
	s->n -= len;
	return 0;
}

static inline int
span_skip(struct span *s, size_t len)
{
	return span_take(s, len, NULL);
}

/* Keeps only the first len bytes (drops trailing padding). */
static inline int
span_trim(struct span *s, size_t len)
{
	if (s->n < len)
		return -1;
	s->n = len;
	return 0;
}

static inline int
span_peek_u8(const struct span *s, size_t off, uint8_t *v)
{
	if (s->n < off + 1 || off + 1 < off)
		return -1;
	*v = s->p[off];
	return 0;
}

static inline int
span_peek_be16(const struct span *s, size_t off, uint16_t *v)
{
	if (s->n < off + 2 || off + 2 < off)
		return -1;
	*v = (uint16_t)(s->p[off] << 8 | s->p[off + 1]);
	return 0;
}

static inline int
span_peek_be32(const struct span *s, size_t off, uint32_t *v)
{
	if (s->n < off + 4 || off + 4 < off)
		return -1;
	*v = (uint32_t)s->p[off] << 24 | (uint32_t)s->p[off + 1] << 16 |
	    (uint32_t)s->p[off + 2] << 8 | (uint32_t)s->p[off + 3];
	return 0;
}

static inline int
span_peek_le32(const struct span *s, size_t off, uint32_t *v)
{
	if (s->n < off + 4 || off + 4 < off)
		return -1;
	*v = (uint32_t)s->p[off + 3] << 24 | (uint32_t)s->p[off + 2] << 16 |
	    (uint32_t)s->p[off + 1] << 8 | (uint32_t)s->p[off];
	return 0;
}

static inline int
span_take_u8(struct span *s, uint8_t *v)
{
	if (span_peek_u8(s, 0, v) == -1)
		return -1;
	return span_skip(s, 1);
}

static inline int
span_take_be16(struct span *s, uint16_t *v)
{
	if (span_peek_be16(s, 0, v) == -1)
		return -1;
	return span_skip(s, 2);
}

static inline int
span_take_be32(struct span *s, uint32_t *v)
{
	if (span_peek_be32(s, 0, v) == -1)
		return -1;
	return span_skip(s, 4);
}

#endif
