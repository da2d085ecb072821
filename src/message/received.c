/* received.c: parses the clauses of a Received trace field: "from" with the
 * comment holding rDNS name and [IP], "by", "via", "with", "id", "for", and
 * the date after the last ';'. Keeps raw text; never invents a value. */
#include <ctype.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <strings.h>

#include <gmime/gmime.h>
#include <json-c/json.h>

#include "address.h"
#include "date_strict.h"
#include "json_add.h"
#include "received.h"

#define RECV_LAST_SECOND	INT64_C(253402300799)

int
received_date_iso(const char *s, char out[32])
{
	GDateTime *dt;
	int64_t t;
	time_t tt;
	struct tm tm;

	out[0] = '\0';
	if (!date_strict_parse(s, &t)) {
		address_gmime_init();
		if ((dt = g_mime_utils_header_decode_date(s)) == NULL)
			return -1;
		t = g_date_time_to_unix(dt);
		g_date_time_unref(dt);
	}
	/* GMime returns the epoch for dates it cannot read; GDateTime ends
	 * at 9999-12-31T23:59:59Z. Formatted with gmtime_r: GDateTime's own
	 * to_utc and format allocate and cost more than the parse. */
	tt = (time_t)t;
	if (t == 0 || t > RECV_LAST_SECOND || gmtime_r(&tt, &tm) == NULL ||
	    strftime(out, 32, "%Y-%m-%dT%H:%M:%SZ", &tm) == 0) {
		out[0] = '\0';
		return -1;
	}
	return 0;
}

/* A token: a word, or a whole (possibly nested) comment with parens. */
struct tok {
	const char	*p;
	size_t		 n;
	int		 comment;
};

#define RECV_MAXTOK	128

static size_t
tokenize(const char *s, size_t n, struct tok *t, size_t max)
{
	size_t i = 0, nt = 0, start;
	int depth;

	while (i < n && nt < max) {
		while (i < n && isspace((unsigned char)s[i]))
			i++;
		if (i >= n)
			break;
		start = i;
		if (s[i] == '(') {
			depth = 0;
			for (; i < n; i++) {
				if (s[i] == '\\' && i + 1 < n)
					i++;
				else if (s[i] == '(')
					depth++;
				else if (s[i] == ')' && --depth == 0) {
					i++;
					break;
				}
			}
			t[nt].comment = 1;
		} else {
			while (i < n && !isspace((unsigned char)s[i]) &&
			    s[i] != '(')
				i++;
			t[nt].comment = 0;
		}
		t[nt].p = s + start;
		t[nt].n = i - start;
		nt++;
	}
	return nt;
}

static const char *const recv_keys[] = { "from", "by", "via", "with", "id",
    "for", NULL };

static int
tok_key(const struct tok *t)
{
	int k;

	if (t->comment)
		return -1;
	for (k = 0; recv_keys[k] != NULL; k++)
		if (strlen(recv_keys[k]) == t->n &&
		    strncasecmp(t->p, recv_keys[k], t->n) == 0)
			return k;
	return -1;
}

static void
add_str(json_object *o, const char *key, const char *p, size_t n)
{
	JSON_SET(o, key, json_object_new_string_len(p, (int)n));
}

static int
looks_ip(const char *p, size_t n)
{
	size_t i, dots = 0, colons = 0;

	if (n == 0 || n > 45)
		return 0;
	for (i = 0; i < n; i++) {
		if (p[i] == '.')
			dots++;
		else if (p[i] == ':')
			colons++;
		else if (!isxdigit((unsigned char)p[i]))
			return 0;
	}
	return dots == 3 || colons >= 2;
}

/* "[1.2.3.4]", "[IPv6:2001:db8::1]" (RFC 5321 4.1.3) -> the address. */
static int
bracket_ip(const char *p, size_t n, const char **ip, size_t *ipn)
{
	const char *o, *c;

	if ((o = memchr(p, '[', n)) == NULL)
		return 0;
	if ((c = memchr(o, ']', (size_t)(p + n - o))) == NULL)
		return 0;
	o++;
	if ((size_t)(c - o) > 5 && strncasecmp(o, "IPv6:", 5) == 0)
		o += 5;
	if (!looks_ip(o, (size_t)(c - o)))
		return 0;
	*ip = o;
	*ipn = (size_t)(c - o);
	return 1;
}

/* The comment after "from": "(rdns [ip])", "([ip] helo=name)", "(ip)"
 * (Exchange), "(helo=name)" (exim), "(may be forged)" ... */
static void
from_comment(json_object *from, const char *p, size_t n)
{
	struct tok t[16];
	size_t nt, i;
	const char *ip;
	size_t ipn;

	/* strip the outer parens; an unclosed comment (the header ended
	 * inside it) keeps its last byte, which may end a UTF-8 character */
	if (n >= 1 && p[0] == '(') {
		p++;
		n--;
	}
	if (n >= 1 && p[n - 1] == ')')
		n--;
	if (!json_object_object_get_ex(from, "ip", NULL) &&
	    bracket_ip(p, n, &ip, &ipn))
		add_str(from, "ip", ip, ipn);
	nt = tokenize(p, n, t, 16);
	for (i = 0; i < nt; i++) {
		if (t[i].comment)
			continue;
		if (t[i].n > 5 && strncasecmp(t[i].p, "helo=", 5) == 0) {
			if (!json_object_object_get_ex(from, "helo", NULL))
				add_str(from, "helo", t[i].p + 5, t[i].n - 5);
			continue;
		}
		if (t[i].p[0] == '[')
			continue;
		if (looks_ip(t[i].p, t[i].n)) {
			if (!json_object_object_get_ex(from, "ip", NULL))
				add_str(from, "ip", t[i].p, t[i].n);
			continue;
		}
		/* the first name-like word is the reverse-DNS name; Gmail
		 * writes it with a trailing dot */
		if (i == 0 && memchr(t[i].p, '=', t[i].n) == NULL &&
		    !json_object_object_get_ex(from, "rdns", NULL)) {
			size_t k = t[i].n;

			if (k > 1 && t[i].p[k - 1] == '.')
				k--;
			add_str(from, "rdns", t[i].p, k);
		}
	}
}

static void
parse_from(json_object *hop, const struct tok *t, size_t a, size_t b)
{
	json_object *from = json_object_new_object();
	const char *ip;
	size_t ipn, i;

	if (a < b && !t[a].comment) {
		if (bracket_ip(t[a].p, t[a].n, &ip, &ipn) && t[a].p[0] == '[')
			add_str(from, "ip", ip, ipn);
		else
			add_str(from, "helo", t[a].p, t[a].n);
		a++;
	}
	for (i = a; i < b; i++)
		if (t[i].comment)
			from_comment(from, t[i].p, t[i].n);
	JSON_ADD(hop, "from", from);
}

/* Words of a clause joined by one space; comments left out. */
static void
clause_words(json_object *hop, const char *key, const struct tok *t,
    size_t a, size_t b)
{
	char buf[1024];
	size_t i, n = 0;

	for (i = a; i < b; i++) {
		if (t[i].comment)
			continue;
		if (n > 0 && n < sizeof(buf) - 1)
			buf[n++] = ' ';
		if (t[i].n < sizeof(buf) - 1 - n) {
			memcpy(buf + n, t[i].p, t[i].n);
			n += t[i].n;
		}
	}
	if (n == 0)
		return;
	/* "for <a@b>": the path without brackets */
	if (strcmp(key, "for") == 0 && n >= 2 && buf[0] == '<') {
		char *e = memchr(buf, '>', n);
		if (e != NULL) {
			add_str(hop, key, buf + 1, (size_t)(e - buf - 1));
			return;
		}
	}
	if (strcmp(key, "id") == 0 && n > 1 && buf[n - 1] == ';')
		n--;
	add_str(hop, key, buf, n);
}

json_object *
received_parse(const char *v)
{
	json_object *hop = json_object_new_object();
	struct tok t[RECV_MAXTOK];
	const char *semi;
	size_t n, nt, i, j;
	char iso[32];
	int k;

	add_str(hop, "raw", v, strlen(v));
	/* RFC 5321 4.4: the date follows the last ';' */
	semi = strrchr(v, ';');
	n = semi != NULL ? (size_t)(semi - v) : strlen(v);
	if (semi != NULL) {
		const char *d = semi + 1;
		size_t dl;

		while (isspace((unsigned char)*d))
			d++;
		dl = strlen(d);
		while (dl > 0 && isspace((unsigned char)d[dl - 1]))
			dl--;
		if (dl > 0) {
			add_str(hop, "date", d, dl);
			if (received_date_iso(json_object_get_string(
			    json_object_object_get(hop, "date")), iso) == 0)
				JSON_ADD(hop, "ts",
				    json_object_new_string(iso));
		}
	}
	nt = tokenize(v, n, t, RECV_MAXTOK);
	for (i = 0; i < nt; i = j) {
		k = tok_key(&t[i]);
		for (j = i + 1; j < nt && tok_key(&t[j]) < 0; j++)
			;
		if (k < 0)
			continue;
		if (json_object_object_get_ex(hop, recv_keys[k], NULL))
			continue;	/* the first clause of a kind wins */
		if (k == 0)
			parse_from(hop, t, i + 1, j);
		else
			clause_words(hop, recv_keys[k], t, i + 1, j);
	}
	return hop;
}
