/* output_text.c: the human transcript: "S: "/"C: " lines, session header
 * and end lines, the message summary (key headers, Received, MIME tree).
 * Must never write a wire byte unescaped nor hold a session in memory. */
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <json-c/json.h>

#include "dissector.h"
#include "escape.h"
#include "explain.h"
#include "flow.h"
#include "output_text.h"
#include "json_read.h"

#define SGR_RESET	"\033[0m"
#define SGR_BOLD	"\033[1m"
#define SGR_DIM		"\033[2m"
#define SGR_CLIENT	"\033[34m"	/* blue */
#define SGR_2XX		"\033[32m"	/* green */
#define SGR_3XX		"\033[36m"	/* cyan */
#define SGR_4XX		"\033[33m"	/* yellow */
#define SGR_5XX		"\033[31m"	/* red */
#define SGR_NOTE	"\033[35m"	/* magenta: --explain notes */

#define MSG_INDENT	"     "		/* message summary lines */
#define MIME_INDENT	"       "	/* the MIME tree under "MIME:" */
#define LINE_CAP	200		/* bytes of one summary value shown */
#define LIST_CAP	10		/* addresses shown per header */
#define MIME_DEPTH	24		/* tree levels drawn */
#define HASH_SHOWN	8		/* hex digits of a short hash */
#define NOTE_PREFIX	"     # "	/* an --explain note */
#define EX_BUCKETS	256		/* sessions' explain contexts */

/* One open session's explain context, found by flow id. */
struct text_explain {
	uint64_t		 id;
	struct explain_ctx	*ctx;
	struct text_explain	*next;
};

struct output_text {
	FILE		*f;
	int		 color;
	int		 error;
	uint64_t	 last_session;	/* of the last line printed; 0: none */
	struct timespec	 last_flush;	/* wall clock, CLOCK_MONOTONIC */
	int		 explain;	/* --explain */
	enum explain_lang lang;
	struct text_explain *ex[EX_BUCKETS];	/* NULL unless explain */
};

struct output_text *
output_text_open(FILE *f, int color)
{
	struct output_text *t;

	if ((t = calloc(1, sizeof(*t))) == NULL)
		return NULL;
	t->f = f;
	t->color = color;
	clock_gettime(CLOCK_MONOTONIC, &t->last_flush);
	return t;
}

void
output_text_flush(struct output_text *t)
{
	if (fflush(t->f) != 0)
		t->error = 1;
	clock_gettime(CLOCK_MONOTONIC, &t->last_flush);
}

int
output_text_error(const struct output_text *t)
{
	return t->error || ferror(t->f);
}

void
output_text_set_explain(struct output_text *t, int lang)
{
	t->explain = 1;
	t->lang = (enum explain_lang)lang;
}

/* The explain context of session f; made on first use (NULL: none). */
static struct explain_ctx *
text_explain_ctx(struct output_text *t, const struct flow *f)
{
	struct text_explain **pp, *e;

	if (!t->explain || f == NULL)
		return NULL;
	pp = &t->ex[f->id % EX_BUCKETS];
	for (e = *pp; e != NULL; e = e->next)
		if (e->id == f->id)
			return e->ctx;
	if ((e = calloc(1, sizeof(*e))) == NULL)
		return NULL;	/* no notes for this session, nothing worse */
	if ((e->ctx = explain_ctx_new(t->lang)) == NULL) {
		free(e);
		return NULL;
	}
	e->id = f->id;
	e->next = *pp;
	*pp = e;
	return e->ctx;
}

static void
text_explain_drop(struct output_text *t, uint64_t id)
{
	struct text_explain **pp, *e;

	for (pp = &t->ex[id % EX_BUCKETS]; (e = *pp) != NULL; pp = &e->next)
		if (e->id == id) {
			*pp = e->next;
			explain_ctx_free(e->ctx);
			free(e);
			return;
		}
}

int
output_text_close(struct output_text *t)
{
	size_t i;
	int err;

	if (t == NULL)
		return 0;
	output_text_flush(t);
	err = output_text_error(t);
	for (i = 0; i < EX_BUCKETS; i++)
		while (t->ex[i] != NULL)
			text_explain_drop(t, t->ex[i]->id);
	free(t);
	return err;
}

/* A live capture's transcript must reach a pipe within a second. */
static void
text_maybe_flush(struct output_text *t)
{
	struct timespec now;

	clock_gettime(CLOCK_MONOTONIC, &now);
	if (now.tv_sec - t->last_flush.tv_sec > 1 ||
	    (now.tv_sec - t->last_flush.tv_sec == 1 &&
	    now.tv_nsec >= t->last_flush.tv_nsec))
		output_text_flush(t);
}

static void
text_sgr(struct output_text *t, const char *sgr)
{
	if (t->color && sgr != NULL)
		fputs(sgr, t->f);
}

/* Ends a line started with text_sgr(t, sgr). */
static void
text_eol(struct output_text *t, const char *sgr)
{
	if (t->color && sgr != NULL)
		fputs(SGR_RESET, t->f);
	putc('\n', t->f);
	text_maybe_flush(t);
}

/* Sessions interleave: say whose line follows when the owner changes. */
static void
text_attribute(struct output_text *t, const struct flow *f)
{
	if (f == NULL || f->id == t->last_session)
		return;
	fprintf(t->f, "-- session %llu --\n", (unsigned long long)f->id);
	t->last_session = f->id;
}

static void
text_endpoint(struct output_text *t, const struct endpoint *ep)
{
	int len = (int)strnlen(ep->ip, sizeof(ep->ip));

	if (memchr(ep->ip, ':', (size_t)len) != NULL)
		fprintf(t->f, "[%.*s]:%u", len, ep->ip, ep->port);
	else
		fprintf(t->f, "%.*s:%u", len, ep->ip, ep->port);
}

void
output_text_session_open(struct output_text *t, const struct flow *f)
{
	char ts[OUTPUT_TIME_MAX];

	text_sgr(t, SGR_BOLD);
	fprintf(t->f, "== session %llu  %s  ", (unsigned long long)f->id,
	    output_iso_time(&f->first_ts, ts, sizeof(ts)));
	text_endpoint(t, &f->client);
	fputs(" -> ", t->f);
	text_endpoint(t, &f->server);
	if (f->dissector != NULL && f->dissector->name != NULL)
		fprintf(t->f, "  %s", f->dissector->name);
	text_eol(t, SGR_BOLD);
	t->last_session = f->id;
}

/* Client lines one colour, server lines by reply class ("4xx" yellow). */
static const char *
text_line_sgr(enum output_dir dir, const uint8_t *p, size_t n)
{
	if (dir == OUTPUT_CLIENT)
		return SGR_CLIENT;
	if (n == 0)
		return NULL;
	switch (p[0]) {
	case '2':	return SGR_2XX;
	case '3':	return SGR_3XX;
	case '4':	return SGR_4XX;
	case '5':	return SGR_5XX;
	default:	return NULL;
	}
}

/* Each '\n'-separated note of text on its own line, under the line it
 * explains. Ours, but a note quotes wire values: escaped all the same. */
static void
text_explain_notes(struct output_text *t, const char *text)
{
	const char *nl;
	size_t n;

	while (text != NULL && *text != '\0') {
		nl = strchr(text, '\n');
		n = nl != NULL ? (size_t)(nl - text) : strlen(text);
		text_sgr(t, SGR_NOTE);
		fputs(NOTE_PREFIX, t->f);
		escape_text_write(t->f, (const uint8_t *)text, n);
		text_eol(t, SGR_NOTE);
		text = nl != NULL ? nl + 1 : NULL;
	}
}

static void
text_transaction_note(void *arg, const char *note)
{
	text_explain_notes(arg, note);
}

void
output_text_transaction(struct output_text *t, const struct flow *f,
    const struct json_object *tx)
{
	if (!t->explain)
		return;
	text_attribute(t, f);
	explain_transaction(t->lang, tx, text_transaction_note, t);
}

void
output_text_line(struct output_text *t, const struct flow *f,
    enum output_dir dir, const uint8_t *p, size_t n, int cut)
{
	const char *sgr = text_line_sgr(dir, p, n);

	text_attribute(t, f);
	text_sgr(t, sgr);
	fputs(dir == OUTPUT_CLIENT ? "C: " : "S: ", t->f);
	escape_text_write(t->f, p, n);
	if (cut)
		fputs(" <cut: line longer than kept>", t->f);
	text_eol(t, sgr);
	if (t->explain)
		text_explain_notes(t, explain_line(text_explain_ctx(t, f), dir,
		    p, n));
}

void
output_text_note(struct output_text *t, const struct flow *f,
    enum output_dir dir, const char *text)
{
	const char *sgr = dir == OUTPUT_CLIENT ? SGR_CLIENT : NULL;

	text_attribute(t, f);
	text_sgr(t, sgr);
	fputs(dir == OUTPUT_CLIENT ? "C: " : "S: ", t->f);
	/* Ours, but a note may quote the wire (a name, a mechanism). */
	escape_text_write(t->f, (const uint8_t *)text, strlen(text));
	text_eol(t, sgr);
	if (t->explain)
		text_explain_notes(t, explain_note(text_explain_ctx(t, f), dir,
		    text));
}

void
output_text_session_close(struct output_text *t, const struct flow *f,
    const char *end)
{
	long long us;

	us = ((long long)f->now.tv_sec - f->first_ts.tv_sec) * 1000000LL +
	    (f->now.tv_usec - f->first_ts.tv_usec);
	if (us < 0)		/* capture timestamps can go backwards */
		us = 0;
	text_sgr(t, SGR_BOLD);
	fprintf(t->f, "== end of session %llu: %s  (%lld.%03lld s)",
	    (unsigned long long)f->id, end != NULL ? end : "unknown",
	    us / 1000000, us / 1000 % 1000);
	text_eol(t, SGR_BOLD);
	/* Nothing after this line belongs to the closed session. */
	t->last_session = 0;
	text_explain_drop(t, f->id);
}

/*
 * One summary line being built: bounded, whitespace runs (unfolding
 * leftovers, tabs) collapsed to one space, cut on a UTF-8 boundary.
 */
struct tline {
	char	b[LINE_CAP];
	size_t	n;
	int	cut;
};

static void
tline_cut(struct tline *l)
{
	size_t i, back;

	l->cut = 1;
	/* Drop a sequence the cap split: its lead is in the last 3 bytes. */
	for (back = 1; back <= 3 && back <= l->n; back++) {
		i = l->n - back;
		if (((uint8_t)l->b[i] & 0xc0) == 0x80)
			continue;
		if ((uint8_t)l->b[i] >= 0xc0 &&
		    escape_utf8_seq((uint8_t *)l->b + i, back) == 0)
			l->n = i;
		break;
	}
}

/* Appends s[0..n); collapse: a value from the message, not our text. */
static void
tline_put(struct tline *l, const char *s, size_t n, int collapse)
{
	size_t i;
	int ws;

	for (i = 0; i < n && !l->cut; i++) {
		ws = collapse && (s[i] == ' ' || s[i] == '\t' ||
		    s[i] == '\r' || s[i] == '\n');
		if (ws && (l->n == 0 || l->b[l->n - 1] == ' '))
			continue;
		if (l->n == sizeof(l->b)) {
			tline_cut(l);
			break;
		}
		l->b[l->n++] = ws ? ' ' : s[i];
	}
}

/* Our own text: kept as is. */
static void
tline_lit(struct tline *l, const char *s)
{
	tline_put(l, s, strlen(s), 0);
}

/* A string from the message object (NULL: nothing). */
static void
tline_str(struct tline *l, const char *s)
{
	if (s != NULL)
		tline_put(l, s, strlen(s), 1);
}

/* Writes a built line under the session, dimmed, escaped. */
static void
text_summary_line(struct output_text *t, const struct flow *f,
    const char *indent, struct tline *l)
{
	text_attribute(t, f);
	text_sgr(t, SGR_DIM);
	fputs(indent, t->f);
	escape_text_write(t->f, (uint8_t *)l->b, l->n);
	if (l->cut)
		fputs("\u2026", t->f);
	text_eol(t, SGR_DIM);
}

static void tline_value(struct tline *, const struct json_object *);

/* {"name", "address"} as Name <address>; a group as name: members; */
static void
tline_object(struct tline *l, const struct json_object *o)
{
	const char *name = json_read_str(o, "name");
	const char *addr = json_read_str(o, "address");
	static const char *const text_keys[] = { "decoded", "value", "text",
	    "raw" };
	struct json_object *members = json_read_get(o, "members");
	size_t i;

	if (members != NULL) {
		tline_str(l, name != NULL ? name : json_read_str(o, "group"));
		tline_lit(l, ": ");
		tline_value(l, members);
		tline_lit(l, ";");
	} else if (addr != NULL && name != NULL) {
		tline_str(l, name);
		tline_lit(l, " <");
		tline_str(l, addr);
		tline_lit(l, ">");
	} else if (addr != NULL || name != NULL) {
		tline_str(l, addr != NULL ? addr : name);
	} else {
		for (i = 0; i < sizeof(text_keys) / sizeof(text_keys[0]); i++)
			if (json_read_str(o, text_keys[i]) != NULL) {
				tline_str(l, json_read_str(o, text_keys[i]));
				break;
			}
	}
}

static void
tline_value(struct tline *l, const struct json_object *v)
{
	size_t i, n;
	char more[48];

	switch (json_object_get_type(v)) {
	case json_type_null:
		break;
	case json_type_object:
		tline_object(l, v);
		break;
	case json_type_array:
		n = json_object_array_length(v);
		for (i = 0; i < n && i < LIST_CAP; i++) {
			if (i > 0)
				tline_lit(l, ", ");
			tline_value(l, json_object_array_get_idx(v, i));
		}
		if (n > LIST_CAP) {
			snprintf(more, sizeof(more), ", \u2026 %zu more",
			    n - LIST_CAP);
			tline_lit(l, more);
		}
		break;
	default:	/* strings, numbers: as json-c prints them bare */
		tline_str(l, json_object_get_string((struct json_object *)v));
		break;
	}
}

static void
text_headers(struct output_text *t, const struct flow *f,
    const struct json_object *headers)
{
	static const struct { const char *key, *label; } shown[] = {
		{ "from", "From" }, { "sender", "Sender" },
		{ "reply_to", "Reply-To" }, { "to", "To" }, { "cc", "Cc" },
		{ "subject", "Subject" }, { "date", "Date" },
		{ "message_id", "Message-ID" },
	};
	struct json_object *v;
	struct tline l;
	size_t i;

	for (i = 0; i < sizeof(shown) / sizeof(shown[0]); i++) {
		if ((v = json_read_get(headers, shown[i].key)) == NULL ||
		    json_object_is_type(v, json_type_null))
			continue;
		memset(&l, 0, sizeof(l));
		tline_lit(&l, shown[i].label);
		tline_lit(&l, ": ");
		tline_value(&l, v);
		text_summary_line(t, f, MSG_INDENT, &l);
	}
}

/* "from" of a hop: a string, or {helo, rdns, ip} as written by MTAs. */
static void
tline_hop_from(struct tline *l, const struct json_object *from)
{
	const char *helo, *rdns, *ip;

	if (!json_object_is_type(from, json_type_object)) {
		tline_value(l, from);
		return;
	}
	helo = json_read_str(from, "helo");
	rdns = json_read_str(from, "rdns");
	ip = json_read_str(from, "ip");
	tline_str(l, helo != NULL ? helo : "?");
	if (rdns == NULL && ip == NULL)
		return;
	tline_lit(l, " (");
	tline_str(l, rdns);
	tline_lit(l, rdns != NULL && ip != NULL ? " [" : ip != NULL ? "[" : "");
	tline_str(l, ip);
	tline_lit(l, ip != NULL ? "])" : ")");
}

/* The raw text is what the MTA wrote: prefer it; else the parsed parts. */
static void
tline_hop(struct tline *l, const struct json_object *hop)
{
	static const char *const parts[] = { "by", "via", "with", "id",
	    "for" };
	struct json_object *v;
	size_t i;

	if (json_read_str(hop, "raw") != NULL ||
	    !json_object_is_type(hop, json_type_object)) {
		tline_value(l, hop);
		return;
	}
	if ((v = json_read_get(hop, "from")) != NULL) {
		tline_lit(l, "from ");
		tline_hop_from(l, v);
	}
	for (i = 0; i < sizeof(parts) / sizeof(parts[0]); i++) {
		if ((v = json_read_get(hop, parts[i])) == NULL)
			continue;
		tline_lit(l, " ");
		tline_lit(l, parts[i]);
		tline_lit(l, " ");
		tline_value(l, v);
	}
	if (json_read_str(hop, "date") != NULL) {
		tline_lit(l, "; ");
		tline_str(l, json_read_str(hop, "date"));
	}
}

static void
text_received(struct output_text *t, const struct flow *f,
    const struct json_object *received)
{
	struct tline l;
	size_t i, n;

	if (received == NULL || !json_object_is_type(received, json_type_array))
		return;
	n = json_object_array_length(received);
	for (i = 0; i < n; i++) {
		memset(&l, 0, sizeof(l));
		tline_lit(&l, "Received: ");
		tline_hop(&l, json_object_array_get_idx(received, i));
		if (l.n == strlen("Received: "))	/* never drop a hop */
			tline_lit(&l, "(empty)");
		text_summary_line(t, f, MSG_INDENT, &l);
	}
}

static void
tline_short_hash(struct tline *l, const char *name, const char *hex)
{
	if (hex == NULL)
		return;
	tline_lit(l, "  ");
	tline_lit(l, name);
	tline_lit(l, " ");
	tline_put(l, hex, strnlen(hex, HASH_SHOWN), 1);
	if (strlen(hex) > HASH_SHOWN)
		tline_lit(l, "\u2026");
}

/* text/plain; charset=utf-8 "name.txt"  120 B  md5 0123abcd... */
static void
tline_mime_label(struct tline *l, const struct json_object *part)
{
	const char *type = json_read_str(part, "content_type");
	const char *charset = json_read_str(part, "charset");
	const char *name = json_read_str(part, "filename");
	struct json_object *v;
	char num[32];

	tline_str(l, type != NULL ? type : "(no content type)");
	if (charset != NULL && (type == NULL || strchr(type, ';') == NULL)) {
		tline_lit(l, "; charset=");
		tline_str(l, charset);
	}
	if (name != NULL) {
		tline_lit(l, " \"");
		tline_str(l, name);
		tline_lit(l, "\"");
	}
	if ((v = json_read_get(part, "decoded_bytes")) != NULL &&
	    json_object_is_type(v, json_type_int) &&
	    json_read_get(part, "parts") == NULL) {
		tline_lit(l, "  ");
		tline_lit(l, output_group_digits(
		    (uint64_t)json_object_get_int64(v), num, sizeof(num)));
		tline_lit(l, " B");
	}
	tline_short_hash(l, "md5", json_read_str(part, "md5"));
	tline_short_hash(l, "sha256", json_read_str(part, "sha256"));
	if (json_read_str(part, "extracted") != NULL) {
		tline_lit(l, "  -> ");
		tline_str(l, json_read_str(part, "extracted"));
	}
}

/* prefix: the "│  " / "   " columns of the ancestors, bounded by depth. */
static void
text_mime_part(struct output_text *t, const struct flow *f,
    const struct json_object *part, char *prefix, size_t plen, int last,
    int depth)
{
	struct json_object *parts = json_read_get(part, "parts");
	struct tline l;
	size_t i, n, clen;

	memset(&l, 0, sizeof(l));
	tline_put(&l, prefix, plen, 0);
	if (depth > 0)
		tline_lit(&l, last ? "\u2514\u2500 " : "\u251c\u2500 ");
	if (depth > MIME_DEPTH)
		tline_lit(&l, "\u2026 (deeper parts not shown)");
	else
		tline_mime_label(&l, part);
	text_summary_line(t, f, MIME_INDENT, &l);
	if (depth > MIME_DEPTH || parts == NULL ||
	    !json_object_is_type(parts, json_type_array))
		return;
	clen = plen;
	if (depth > 0) {
		/* "│  " is 5 bytes, "   " 3: the buffer holds MIME_DEPTH. */
		memcpy(prefix + plen, last ? "   " : "\u2502  ", last ? 3 : 5);
		clen += last ? 3 : 5;
	}
	n = json_object_array_length(parts);
	for (i = 0; i < n; i++)
		text_mime_part(t, f, json_object_array_get_idx(parts, i),
		    prefix, clen, i + 1 == n, depth + 1);
}

static void
text_mime(struct output_text *t, const struct flow *f,
    const struct json_object *mime)
{
	char prefix[5 * (MIME_DEPTH + 1) + 1];
	struct tline l;
	size_t i, n;

	if (mime == NULL || json_object_is_type(mime, json_type_null))
		return;
	memset(&l, 0, sizeof(l));
	tline_lit(&l, "MIME:");
	text_summary_line(t, f, MSG_INDENT, &l);
	if (!json_object_is_type(mime, json_type_array)) {
		text_mime_part(t, f, mime, prefix, 0, 1, 0);
		return;
	}
	n = json_object_array_length(mime);	/* tolerate a list of roots */
	for (i = 0; i < n; i++)
		text_mime_part(t, f, json_object_array_get_idx(mime, i),
		    prefix, 0, 1, 0);
}

void
output_text_message(struct output_text *t, const struct flow *f,
    const struct json_object *message)
{
	if (message == NULL || !json_object_is_type(message, json_type_object))
		return;
	text_headers(t, f, json_read_get(message, "headers"));
	text_received(t, f, json_read_get(message, "received"));
	text_mime(t, f, json_read_get(message, "mime"));
}
