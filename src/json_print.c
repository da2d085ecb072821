/* json_print.c: see json_print.h. Walks the tree recursively: our trees
 * are shallow (MIME nesting is bounded upstream). */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <json-c/json.h>

#include "json_print.h"

/* The slow half of reserve(): grows the buffer. */
static int
grow(struct json_buf *b, size_t more)
{
	size_t size;
	char *np;

	size = b->size > 0 ? b->size : 4096;
	while (size - b->len < more)
		size *= 2;
	if ((np = realloc(b->p, size)) == NULL)
		return -1;
	b->p = np;
	b->size = size;
	return 0;
}

static inline int
reserve(struct json_buf *b, size_t more)
{
	return b->size - b->len >= more ? 0 : grow(b, more);
}

static inline int
put(struct json_buf *b, const char *s, size_t n)
{
	if (reserve(b, n) == -1)
		return -1;
	memcpy(b->p + b->len, s, n);
	b->len += n;
	return 0;
}

/* One byte of punctuation: the most frequent put of all. */
static inline int
put_char(struct json_buf *b, char c)
{
	if (reserve(b, 1) == -1)
		return -1;
	b->p[b->len++] = c;
	return 0;
}

/* 1 for the bytes json-c escapes: controls, '"' and '\\' ('/' is not,
 * with NOSLASHESCAPE). */
static const unsigned char needs_escape[256] = {
	1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1,
	1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1,
	0, 0, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
	0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
	0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
	0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1, 0, 0, 0,
};

/* How many bytes from s on need no escape: eight at a time while none of
 * them is below 0x20, '"' or '\\' (word tests with no false negative,
 * Hacker's Delight 6-1), then the table from the word that may hold one. */
static size_t
plain_run(const char *s, size_t n, uint64_t *seen)
{
	const uint64_t ones = 0x0101010101010101ULL;
	const uint64_t highs = 0x8080808080808080ULL;
	uint64_t w, q, bs, all = 0;
	size_t i = 0;

	for (; n - i >= 8; i += 8) {
		memcpy(&w, s + i, 8);
		q = w ^ (ones * '"');
		bs = w ^ (ones * '\\');
		if ((((w - ones * 0x20) & ~w) | ((q - ones) & ~q) |
		    ((bs - ones) & ~bs)) & highs)
			break;
		all |= w;
	}
	while (i < n && !needs_escape[(unsigned char)s[i]])
		all |= (unsigned char)s[i++];
	*seen |= all;	/* the bytes passed, for their high bits */
	return i;
}

static int
put_escaped(struct json_buf *b, const char *s, size_t n)
{
	static const char hex[] = "0123456789abcdef";
	size_t i = 0, run;
	uint64_t seen = 0;
	char *o;

	/* at worst 6 bytes out per byte in, and the quotes */
	if (reserve(b, 6 * n + 2) == -1)
		return -1;
	o = b->p + b->len;
	*o++ = '"';
	while (i < n) {
		unsigned char c;

		run = i + plain_run(s + i, n - i, &seen);
		memcpy(o, s + i, run - i);
		o += run - i;
		if ((i = run) == n)
			break;
		c = (unsigned char)s[i++];
		*o++ = '\\';
		switch (c) {
		case '\b': *o++ = 'b'; break;
		case '\n': *o++ = 'n'; break;
		case '\r': *o++ = 'r'; break;
		case '\t': *o++ = 't'; break;
		case '\f': *o++ = 'f'; break;
		case '"': *o++ = '"'; break;
		case '\\': *o++ = '\\'; break;
		default:
			*o++ = 'u';
			*o++ = '0';
			*o++ = '0';
			*o++ = hex[c >> 4];
			*o++ = hex[c & 15];
		}
	}
	*o++ = '"';
	b->len = (size_t)(o - b->p);
	b->high |= (seen & 0x8080808080808080ULL) != 0;
	return 0;
}

/* Decimal, as "%" PRId64 prints it, without printf's format parsing. */
static int
put_int(struct json_buf *b, int64_t v)
{
	char s[24], *e = s + sizeof(s), *d = e;
	uint64_t u = v < 0 ? 0 - (uint64_t)v : (uint64_t)v;

	do {
		*--d = (char)('0' + u % 10);
		u /= 10;
	} while (u > 0);
	if (v < 0)
		*--d = '-';
	return put(b, d, (size_t)(e - d));
}

int
json_print_members(struct json_buf *b, struct json_object *o, int first,
    int (*skip)(const char *key, const void *arg), const void *arg)
{
	json_object_object_foreach(o, key, val) {
		if (skip != NULL && skip(key, arg))
			continue;
		if ((!first && put_char(b, ',') == -1) ||
		    put_escaped(b, key, strlen(key)) == -1 ||
		    put_char(b, ':') == -1 || json_print(b, val) == -1)
			return -1;
		first = 0;
	}
	return 0;
}

static int
put_object(struct json_buf *b, struct json_object *o)
{
	if (put_char(b, '{') == -1 ||
	    json_print_members(b, o, 1, NULL, NULL) == -1)
		return -1;
	return put_char(b, '}');
}

static int
put_array(struct json_buf *b, struct json_object *o)
{
	size_t i, n = json_object_array_length(o);

	if (put_char(b, '[') == -1)
		return -1;
	for (i = 0; i < n; i++)
		if ((i > 0 && put_char(b, ',') == -1) ||
		    json_print(b, json_object_array_get_idx(o, i)) == -1)
			return -1;
	return put_char(b, ']');
}

int
json_print(struct json_buf *b, struct json_object *o)
{
	switch (json_object_get_type(o)) {
	case json_type_null:
		return put(b, "null", 4);
	case json_type_boolean:
		return json_object_get_boolean(o) ? put(b, "true", 4) :
		    put(b, "false", 5);
	case json_type_int:
		return put_int(b, json_object_get_int64(o));
	case json_type_string:
		return put_escaped(b, json_object_get_string(o),
		    (size_t)json_object_get_string_len(o));
	case json_type_object:
		return put_object(b, o);
	case json_type_array:
		return put_array(b, o);
	default: {
		/* doubles: none in our events; json-c's own form */
		const char *s = json_object_to_json_string_ext(o,
		    JSON_C_TO_STRING_PLAIN);

		return put(b, s, strlen(s));
	}
	}
}

int
json_print_raw(struct json_buf *b, const char *s, size_t n)
{
	return put(b, s, n);
}

int
json_print_string(struct json_buf *b, const char *s, size_t n)
{
	return put_escaped(b, s, n);
}

int
json_print_int(struct json_buf *b, int64_t v)
{
	return put_int(b, v);
}

int
json_print_newline(struct json_buf *b)
{
	return put_char(b, '\n');
}
