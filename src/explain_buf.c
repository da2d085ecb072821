/* explain_buf.c: bounded note building for the explain module: table
 * lookup with an English fallback, {n} templates, quoting of wire values.
 * Never writes past a buffer; a cut note stays valid UTF-8. */
#include <string.h>

#include "escape.h"
#include "explain_buf.h"

static const char *const *const explain_tables[] = {
	[EXPLAIN_LANG_EN] = explain_text_en,
	[EXPLAIN_LANG_FR] = explain_text_fr,
};

const char *
explain_text(enum explain_lang lang, enum explain_id id)
{
	const char *s = NULL;

	if ((unsigned)id >= EXPLAIN_N)
		return "";
	if ((unsigned)lang < sizeof(explain_tables) / sizeof(*explain_tables))
		s = explain_tables[lang][id];
	if (s == NULL)
		s = explain_text_en[id];
	return s != NULL ? s : "";
}

/* Drops a UTF-8 sequence the cut split, so the note stays valid. */
static void
buf_cut(struct explain_buf *b)
{
	size_t back;

	b->cut = 1;
	for (back = 1; back <= 3 && back <= b->n; back++) {
		uint8_t c = (uint8_t)b->b[b->n - back];

		if ((c & 0xc0) == 0x80)
			continue;
		if (c >= 0xc0 && escape_utf8_seq((uint8_t *)b->b + b->n -
		    back, back) == 0)
			b->n -= back;
		break;
	}
}

static void
buf_put(struct explain_buf *b, const char *s, size_t n)
{
	size_t room = sizeof(b->b) - 1 - b->n;	/* keep the NUL's place */

	if (b->cut)
		return;
	if (n > room) {
		memcpy(b->b + b->n, s, room);
		b->n += room;
		buf_cut(b);
	} else {
		memcpy(b->b + b->n, s, n);
		b->n += n;
	}
	b->b[b->n] = '\0';
}

void
explain_buf_next(struct explain_buf *b)
{
	if (b->n > 0)
		buf_put(b, "\n", 1);
}

void
explain_buf_fill(struct explain_buf *b, enum explain_lang lang,
    enum explain_id id, const char *const *args, int nargs)
{
	const char *t = explain_text(lang, id), *s;

	while ((s = strchr(t, '{')) != NULL) {
		buf_put(b, t, (size_t)(s - t));
		if (s[1] >= '1' && s[1] <= '9' && s[2] == '}' &&
		    s[1] - '1' < nargs && args[s[1] - '1'] != NULL) {
			buf_put(b, args[s[1] - '1'],
			    strlen(args[s[1] - '1']));
			t = s + 3;
		} else {
			buf_put(b, s, 1);	/* a literal brace */
			t = s + 1;
		}
	}
	buf_put(b, t, strlen(t));
}

/* Length of a UTF-8 sequence we may show: valid, not a C1 control. */
static size_t
quote_seq(const uint8_t *p, size_t n)
{
	size_t k;

	if (p[0] >= 0x20 && p[0] < 0x7f)
		return 1;
	if (p[0] < 0x80 || (k = escape_utf8_seq(p, n)) == 0)
		return 0;
	if (k == 2 && p[0] == 0xc2 && p[1] < 0xa0)
		return 0;
	return k;
}

const char *
explain_quote(char *dst, size_t size, const uint8_t *p, size_t n)
{
	size_t i = 0, o = 0, k, cap = size - 4;	/* room for "..." */

	if (cap > EXPLAIN_QUOTE_MAX)
		cap = EXPLAIN_QUOTE_MAX;
	while (i < n) {
		k = quote_seq(p + i, n - i);
		if (o + (k > 0 ? k : 1) > cap) {
			memcpy(dst + o, "...", 3);
			o += 3;
			break;
		}
		if (k == 0) {
			dst[o++] = '?';
			i++;
		} else {
			memcpy(dst + o, p + i, k);
			o += k;
			i += k;
		}
	}
	dst[o] = '\0';
	return dst;
}

const char *
explain_id_name(enum explain_id id)
{
	static const char *const names[EXPLAIN_N] = {
#define EXPLAIN_NAME(name) #name,
		EXPLAIN_IDS(EXPLAIN_NAME)
#undef EXPLAIN_NAME
	};

	return (unsigned)id < EXPLAIN_N ? names[id] : "?";
}
