/* json_print.h: prints a json-c tree as compact JSON into a growing
 * buffer, the same bytes as json-c's json_object_to_json_string_ext()
 * with JSON_C_TO_STRING_PLAIN | JSON_C_TO_STRING_NOSLASHESCAPE, at a
 * fraction of its cost: strings are copied in runs between the bytes
 * that need escaping, not byte by byte through a printbuf, and the line
 * is built where it is written from. */
#ifndef SMTPSCOPE_JSON_PRINT_H
#define SMTPSCOPE_JSON_PRINT_H

#include <stddef.h>
#include <stdint.h>

struct json_object;

struct json_buf {
	char	*p;
	size_t	 len;
	size_t	 size;
	/* A string with a byte of 0x80 or more went in: only then can the
	 * buffer hold invalid UTF-8 (the writer's last check). */
	int	 high;
};

/* Empties b for a new line, keeping its memory. */
static inline void
json_buf_empty(struct json_buf *b)
{
	b->len = 0;
	b->high = 0;
}

/* Appends o to b (b->p may move). -1 when out of memory (b holds a
 * prefix then). */
int	json_print(struct json_buf *b, struct json_object *o);
int	json_print_newline(struct json_buf *b);
/* Pieces, for a writer that prints part of an object itself: bytes as
 * they are, a string quoted and escaped, an integer. */
int	json_print_raw(struct json_buf *b, const char *s, size_t n);
int	json_print_string(struct json_buf *b, const char *s, size_t n);
int	json_print_int(struct json_buf *b, int64_t v);
/* o's members as "key":value pairs, comma-separated, without the braces;
 * first 0: a comma before the first printed (members came before). A
 * member whose key skip() accepts is left out (skip may be NULL). */
int	json_print_members(struct json_buf *b, struct json_object *o,
	    int first, int (*skip)(const char *key, const void *arg),
	    const void *arg);

#endif
