/* address_simple.c: GMime builds a GObject for the list and one for each
 * address, which made address lists the largest single cost of a message's
 * headers (21,000 instructions a list). Most lists are plain ASCII:
 * "a@b.c", "<a@b.c>", "Name Words <a@b.c>" or "\"Name, Words\" <a@b.c>".
 * Those are read here; anything with comments, groups, encoded words,
 * escapes, specials in an unquoted name, several blanks in a row or at
 * the ends of a quoted name, non-ASCII bytes or an IDN (xn--) domain goes
 * to GMime, so that the result is always GMime's (test_address and
 * fuzz_address compare the two). */
#include <string.h>
#include <strings.h>

#include "address_simple.h"

static int
is_alnum(char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
	    (c >= '0' && c <= '9');
}

/* RFC 5322 atext, without '=' and '?' (an encoded word's marks). */
static int
is_atext(char c)
{
	return is_alnum(c) || (c != '\0' && strchr("!#$%&'*+-/^_`{|}~", c));
}

static int
is_label(char c)
{
	return is_alnum(c) || c == '-';
}

static int
is_word(char c)
{
	return is_alnum(c) || c == '-' || c == '_';
}

static void
blanks(const char **p)
{
	while (**p == ' ' || **p == '\t')
		(*p)++;
}

/* Words of `ok` characters, one `sep` between, moved past; 0 if none.
 * A `sep` not followed by a word (a second blank, a final dot) ends them. */
static int
words(const char **p, int (*ok)(char), char sep)
{
	for (;;) {
		if (!ok(**p))
			return 0;
		while (ok(**p))
			(*p)++;
		if (**p != sep || !ok((*p)[1]))
			return 1;
		(*p)++;
	}
}

/* local@domain at *p; no IDN domain (GMime would show it decoded). */
static int
addr_spec(const char **p, struct address_span *m)
{
	const char *s = *p, *d;

	if (!words(p, is_atext, '.') || **p != '@')
		return 0;
	(*p)++;
	d = *p;
	if (!words(p, is_label, '.'))
		return 0;
	for (; d + 4 <= *p; d++)
		if (strncasecmp(d, "xn--", 4) == 0)
			return 0;
	m->addr = s;
	m->naddr = (size_t)(*p - s);
	return 1;
}

/* Printable ASCII but a blank, '"', '\\' (an escape), '=' and '?' (an
 * encoded word's marks). */
static int
is_qword(char c)
{
	return (unsigned char)c > ' ' && (unsigned char)c <= '~' &&
	    strchr("\"\\=?", c) == NULL;
}

/* A name of letters, digits, '-' and '_', then " <" (*p left at '<'). */
static int
phrase(const char **p, struct address_span *m)
{
	const char *s = *p;

	if (!words(p, is_word, ' ') || **p != ' ' || (*p)[1] != '<')
		return 0;
	m->name = s;
	m->nname = (size_t)(*p - s);
	(*p)++;
	return 1;
}

/* A quoted name of is_qword words (GMime trims blanks at its ends: none
 * allowed there), then " <" (*p left at '<'). */
static int
quoted_phrase(const char **p, struct address_span *m)
{
	const char *s = ++*p;			/* past '"' */

	if (!words(p, is_qword, ' ') || **p != '"' || (*p)[1] != ' ' ||
	    (*p)[2] != '<')
		return 0;
	m->name = s;
	m->nname = (size_t)(*p - s);
	*p += 2;
	return 1;
}

static int
mailbox(const char **p, struct address_span *m)
{
	const char *s = *p;

	m->name = "";
	m->nname = 0;
	if (**p == '"') {
		if (!quoted_phrase(p, m))
			return 0;
	} else if (**p != '<') {
		if (addr_spec(p, m))
			return 1;
		*p = s;
		if (!phrase(p, m))
			return 0;
	}
	(*p)++;				/* '<' */
	if (!addr_spec(p, m) || **p != '>')
		return 0;
	(*p)++;
	return 1;
}

size_t
address_simple_scan(const char *s, struct address_span *m, size_t max)
{
	const char *p = s;
	size_t n = 0;

	blanks(&p);
	for (;;) {
		if (n == max || !mailbox(&p, &m[n]))
			return 0;
		n++;
		blanks(&p);
		if (*p == '\0')
			return n;
		if (*p++ != ',')
			return 0;
		blanks(&p);
	}
}
