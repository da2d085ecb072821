/* output_html.c: the --html page: per session a ladder (sequence) diagram,
 * client on the left, server on the right, one arrow per command line and
 * per reply (a multi-line reply is one arrow), then its transactions
 * (output_html_tx.c). Sessions are held in memory streams within fixed
 * bounds and the page is written, in session order, at close. Every wire
 * byte goes through escape_html_write(); the page loads nothing. */
#include <stdlib.h>
#include <string.h>
#include <sys/time.h>

#include <json-c/json.h>

#include "dissector.h"
#include "escape.h"
#include "explain.h"
#include "flow.h"
#include "output_html.h"
#include "output_html_css.h"
#include "output_html_tx.h"
#include "output_html_words.h"

#define END_MAX		16	/* "capture_end" and friends */
#define PROTO_MAX	16

/* A memory stream: the HTML of one part of a session, grown as we go. */
struct membuf {
	FILE	*f;
	char	*buf;
	size_t	 len;
};

/* The arrow being drawn: a reply's next line may still join it. */
struct arrow {
	int		 open;
	enum output_dir	 dir;
	int		 more;		/* last line "ddd-": the reply goes on */
	unsigned	 lines;		/* lines drawn in it */
	unsigned	 hidden;	/* lines past OUTPUT_HTML_REPLY_LINES */
};

struct html_session {
	uint64_t	 id;
	struct endpoint	 client, server;
	char		 proto[PROTO_MAX];
	struct timeval	 first;		/* the SYN */
	struct timeval	 prev;		/* the previous arrow */
	char		 end[END_MAX];	/* "" while open */
	long long	 dur_us;
	struct membuf	 ladder;	/* the arrows */
	struct membuf	 below;		/* the transactions */
	struct membuf	 info;		/* from the smtp.session event */
	struct membuf	 notes;		/* --explain notes of the open arrow */
	struct explain_ctx *ex;		/* what the notes depend on */
	struct arrow	 a;
	uint64_t	 arrows;	/* drawn */
	uint64_t	 not_drawn;	/* lines left out by a bound */
	uint64_t	 tx_not_drawn;
};

struct output_html {
	FILE			 *f;
	char			 *title;
	int			  error;
	int			  discard;	/* write no page */
	enum explain_lang	  lang;
	struct html_session	**s;	/* by id */
	size_t			  ns, cap;
	size_t			  held;	/* bytes in all membufs */
	uint64_t		  sessions_not_drawn;
	uint64_t		  lines_not_drawn;
};

struct output_html *
output_html_open(FILE *f, const char *title, int lang)
{
	struct output_html *h;

	if ((h = calloc(1, sizeof(*h))) == NULL)
		return NULL;
	h->f = f;
	h->lang = (enum explain_lang)lang;
	if ((h->title = strdup(title != NULL ? title : "")) == NULL) {
		free(h);
		return NULL;
	}
	return h;
}

void
output_html_discard(struct output_html *h)
{
	if (h != NULL)
		h->discard = 1;
}

int
output_html_error(const struct output_html *h)
{
	return h->error || ferror(h->f);
}

/* The stream of a membuf, opened on first use; NULL on out-of-memory. */
static FILE *
membuf_file(struct membuf *m)
{
	if (m->f == NULL)
		m->f = open_memstream(&m->buf, &m->len);
	return m->f;
}

static long
membuf_size(struct membuf *m)
{
	return m->f != NULL ? ftell(m->f) : 0;
}

/* Closes the stream so that buf/len are final. */
static void
membuf_done(struct membuf *m)
{
	if (m->f != NULL)
		fclose(m->f);
	m->f = NULL;
}

static void
membuf_free(struct membuf *m)
{
	membuf_done(m);
	free(m->buf);
	m->buf = NULL;
}

/* Adds what a write grew a membuf by to the page's total. */
static void
held_add(struct output_html *h, long before, struct membuf *m)
{
	long after = membuf_size(m);

	if (after > before)
		h->held += (size_t)(after - before);
}

static int
over_budget(const struct output_html *h)
{
	return h->held >= OUTPUT_HTML_BUDGET;
}

/* Sessions are kept sorted by id (ids grow as sessions open). */
static struct html_session *
session_find(struct output_html *h, const struct flow *f)
{
	size_t lo = 0, hi = h->ns, mid;

	if (f == NULL)
		return NULL;
	while (lo < hi) {
		mid = lo + (hi - lo) / 2;
		if (h->s[mid]->id == f->id)
			return h->s[mid];
		if (h->s[mid]->id < f->id)
			lo = mid + 1;
		else
			hi = mid;
	}
	return NULL;
}

static int
session_insert(struct output_html *h, struct html_session *s)
{
	struct html_session **ns;
	size_t i;

	if (h->ns == h->cap) {
		h->cap = h->cap ? h->cap * 2 : 16;
		if ((ns = realloc(h->s, h->cap * sizeof(*ns))) == NULL)
			return -1;
		h->s = ns;
	}
	for (i = h->ns; i > 0 && h->s[i - 1]->id > s->id; i--)
		h->s[i] = h->s[i - 1];
	h->s[i] = s;
	h->ns++;
	return 0;
}

void
output_html_session_open(struct output_html *h, const struct flow *f)
{
	struct html_session *s;

	if (h->ns >= OUTPUT_HTML_SESSIONS_MAX || over_budget(h)) {
		h->sessions_not_drawn++;
		return;
	}
	if ((s = calloc(1, sizeof(*s))) == NULL) {
		h->error = 1;
		return;
	}
	s->id = f->id;		/* the insertion sorts by it */
	if (session_insert(h, s) != 0) {
		free(s);
		h->error = 1;
		return;
	}
	s->client = f->client;
	s->server = f->server;
	if (f->dissector != NULL && f->dissector->name != NULL)
		snprintf(s->proto, sizeof(s->proto), "%s", f->dissector->name);
	s->first = f->first_ts;
	s->prev = f->first_ts;
	s->ex = explain_ctx_new(h->lang);	/* NULL: no notes, no harm */
}

/* Microseconds from a to b, never negative (capture times can go back). */
static long long
elapsed_us(const struct timeval *a, const struct timeval *b)
{
	long long us = ((long long)b->tv_sec - a->tv_sec) * 1000000LL +
	    (b->tv_usec - a->tv_usec);

	return us < 0 ? 0 : us;
}

/* "+12 ms": the time since the previous arrow, in a readable unit. */
static void
put_delta(FILE *f, long long us)
{
	if (us < 1000)
		fprintf(f, "+%lld \u00b5s", us);
	else if (us < 10000000)
		fprintf(f, "+%lld ms", us / 1000);
	else
		fprintf(f, "+%lld.%lld s", us / 1000000, us / 100000 % 10);
}

/* A note of ours (it may quote the wire): escaped, its '\n's kept as line
 * breaks (the .x style keeps them), at most cap bytes. */
static void
put_note_lines(FILE *f, const char *note, size_t cap)
{
	const char *nl;
	size_t n;

	while (note != NULL && *note != '\0' && cap > 0) {
		nl = strchr(note, '\n');
		n = nl != NULL ? (size_t)(nl - note) : strlen(note);
		n = n < cap ? n : cap;
		escape_html_write(f, (const uint8_t *)note, n);
		cap -= n;
		note = nl != NULL ? nl + 1 : NULL;
		if (note != NULL && *note != '\0')
			fputc('\n', f);
	}
}

/* The --explain note of a line, kept until its arrow is finished (a
 * reply's notes come line by line). Each '\n' starts a new note. */
static void
arrow_note(struct output_html *h, struct html_session *s, const char *note)
{
	long before = membuf_size(&s->notes);

	if (note == NULL || *note == '\0' || !s->a.open ||
	    before >= OUTPUT_HTML_NOTES_CAP || membuf_file(&s->notes) == NULL)
		return;
	if (before > 0)
		fputc('\n', s->notes.f);
	put_note_lines(s->notes.f, note, OUTPUT_HTML_NOTES_CAP);
	held_add(h, before, &s->notes);
}

static void
arrow_finish(struct output_html *h, struct html_session *s)
{
	long before = membuf_size(&s->ladder);

	if (!s->a.open)
		return;
	if (s->a.hidden > 0)
		fprintf(s->ladder.f, "\n\u2026 %u more lines not drawn",
		    s->a.hidden);
	fputs("</div>", s->ladder.f);
	if (membuf_size(&s->notes) > 0) {
		membuf_done(&s->notes);
		fputs("<div class=\"x\">", s->ladder.f);
		fwrite(s->notes.buf, 1, s->notes.len, s->ladder.f);
		fputs("</div>", s->ladder.f);
		h->held -= h->held >= s->notes.len ? s->notes.len : h->held;
	}
	membuf_free(&s->notes);
	fputs("</div>\n", s->ladder.f);
	held_add(h, before, &s->ladder);
	memset(&s->a, 0, sizeof(s->a));
}

/* The reply class of a line that starts with a code: 2..5, else 0. */
static int
reply_class(const uint8_t *p, size_t n)
{
	if (n < 3 || p[0] < '2' || p[0] > '5' || p[1] < '0' || p[1] > '9' ||
	    p[2] < '0' || p[2] > '9')
		return 0;
	return p[0] - '0';
}

static int
starts_with_code(const uint8_t *p, size_t n)
{
	return n >= 3 && p[0] >= '0' && p[0] <= '9' && p[1] >= '0' &&
	    p[1] <= '9' && p[2] >= '0' && p[2] <= '9';
}

/* Starts an arrow; 0 when a bound says it is not drawn (counted). */
static int
arrow_start(struct output_html *h, struct html_session *s,
    const struct flow *f, enum output_dir dir, const char *kind, int klass)
{
	long before;

	arrow_finish(h, s);
	if (s->arrows >= OUTPUT_HTML_ARROWS_MAX || over_budget(h) ||
	    membuf_file(&s->ladder) == NULL) {
		s->not_drawn++;
		h->lines_not_drawn++;
		return 0;
	}
	before = membuf_size(&s->ladder);
	fprintf(s->ladder.f, "<div class=\"a %s%s k%d\"><span class=\"t\">",
	    dir == OUTPUT_CLIENT ? "c" : "s", kind, klass);
	put_delta(s->ladder.f, elapsed_us(&s->prev, &f->now));
	fputs("</span><div class=\"l\">", s->ladder.f);
	held_add(h, before, &s->ladder);
	s->prev = f->now;
	s->arrows++;
	s->a.open = 1;
	s->a.dir = dir;
	return 1;
}

/* One wire line into the open arrow: its code coloured, the rest escaped
 * and cut at OUTPUT_HTML_LINE_CAP on a character boundary. */
static void
arrow_line(struct output_html *h, struct html_session *s, enum output_dir dir,
    const uint8_t *p, size_t n, int cut)
{
	FILE *lf = s->ladder.f;
	long before = membuf_size(&s->ladder);
	size_t k = n, skip = 0;

	if (s->a.lines > 0)
		fputc('\n', lf);
	if (dir == OUTPUT_SERVER && starts_with_code(p, n)) {
		fprintf(lf, "<b class=\"k%d\">%.3s</b>", reply_class(p, n),
		    (const char *)p);
		skip = 3;
	}
	if (k > OUTPUT_HTML_LINE_CAP) {
		k = OUTPUT_HTML_LINE_CAP;
		while (k > OUTPUT_HTML_LINE_CAP - 3 && (p[k] & 0xc0) == 0x80)
			k--;
	}
	escape_html_write(lf, p + skip, k - skip);
	if (k < n)
		fputs("\u2026", lf);
	if (cut || k < n)
		fputs(" <i>&lt;cut: line longer than kept&gt;</i>", lf);
	held_add(h, before, &s->ladder);
	s->a.lines++;
}

/* A server line continues the open reply when that reply's last line was
 * "ddd-" and this one starts with a code (RFC 5321 4.2.1). */
static int
continues_reply(const struct html_session *s, enum output_dir dir,
    const uint8_t *p, size_t n)
{
	return s->a.open && s->a.more && dir == OUTPUT_SERVER &&
	    s->a.dir == OUTPUT_SERVER && starts_with_code(p, n);
}

void
output_html_line(struct output_html *h, const struct flow *f,
    enum output_dir dir, const uint8_t *p, size_t n, int cut)
{
	struct html_session *s = session_find(h, f);
	int more = n >= 4 && starts_with_code(p, n) && p[3] == '-';

	if (s == NULL) {
		h->lines_not_drawn++;
		return;
	}
	if (continues_reply(s, dir, p, n)) {
		s->a.more = more;
		if (s->a.lines >= OUTPUT_HTML_REPLY_LINES || over_budget(h))
			s->a.hidden++;
		else
			arrow_line(h, s, dir, p, n, cut);
	} else if (arrow_start(h, s, f, dir, "", dir == OUTPUT_SERVER ?
	    reply_class(p, n) : 0)) {
		arrow_line(h, s, dir, p, n, cut);
		s->a.more = dir == OUTPUT_SERVER && more;
	}
	/* Every line, drawn or not: the notes depend on what came before. */
	arrow_note(h, s, explain_line(s->ex, dir, p, n));
}

void
output_html_note(struct output_html *h, const struct flow *f,
    enum output_dir dir, const char *text)
{
	struct html_session *s = session_find(h, f);
	long before;

	if (s == NULL) {
		h->lines_not_drawn++;
		return;
	}
	if (arrow_start(h, s, f, dir, " n", 0)) {
		before = membuf_size(&s->ladder);
		/* Ours, but a note may quote the wire (a user name). */
		escape_html_write(s->ladder.f, (const uint8_t *)text,
		    strlen(text));
		held_add(h, before, &s->ladder);
		s->a.lines++;
	}
	arrow_note(h, s, explain_note(s->ex, dir, text));
}

/* The message arrow (the "<message: ...>" note just drawn) gets the
 * subject and sender under it; the details go below the ladder. */
void
output_html_message(struct output_html *h, const struct flow *f,
    const struct json_object *message)
{
	struct html_session *s = session_find(h, f);
	long before;

	if (s == NULL || !s->a.open || s->a.dir != OUTPUT_CLIENT)
		return;
	before = membuf_size(&s->ladder);
	output_html_tx_message_summary(s->ladder.f, message);
	held_add(h, before, &s->ladder);
}

static const char *
event_name(const struct json_object *e)
{
	struct json_object *v;

	if (!json_object_object_get_ex(e, "event", &v))
		return "";
	return json_object_get_string(v);
}

/* The session event: what the header line cannot say (AUTH, anomalies). */
static void
session_info(struct output_html *h, struct html_session *s,
    const struct json_object *e)
{
	struct json_object *an, *auth, *v;
	size_t i, n;
	FILE *f;

	if ((f = membuf_file(&s->info)) == NULL)
		return;
	if (json_object_object_get_ex(e, "auth", &auth) &&
	    json_object_is_type(auth, json_type_object)) {
		fputs("<p class=\"meta\">AUTH ", f);
		if (json_object_object_get_ex(auth, "mechanism", &v))
			output_html_put(f, json_object_get_string(v));
		fputs(": ", f);
		if (json_object_object_get_ex(auth, "result", &v))
			output_html_put(f, json_object_get_string(v));
		fputs("</p>\n", f);
	}
	if (json_object_object_get_ex(e, "anomalies", &an) &&
	    json_object_is_type(an, json_type_array) &&
	    (n = json_object_array_length(an)) > 0) {
		fputs("<p class=\"meta anom\">anomalies:", f);
		for (i = 0; i < n && i < 64; i++) {
			fputc(' ', f);
			output_html_put(f, json_object_get_string(
			    json_object_array_get_idx(an, i)));
		}
		fputs("</p>\n", f);
	}
	h->held += (size_t)membuf_size(&s->info);
}

/* A transaction note of --explain, one line each. */
static void
tx_note(void *arg, const char *note)
{
	FILE *f = arg;

	put_note_lines(f, note, OUTPUT_HTML_NOTES_CAP);
	fputc('\n', f);
}

void
output_html_event(struct output_html *h, const struct flow *f,
    const struct json_object *e)
{
	struct html_session *s = session_find(h, f);
	const char *name = event_name(e);
	long before;

	if (s == NULL)
		return;
	if (strcmp(name, "smtp.session") == 0) {
		session_info(h, s, e);
		return;
	}
	if (strcmp(name, "smtp.transaction") != 0)
		return;
	if (over_budget(h) || membuf_file(&s->below) == NULL) {
		s->tx_not_drawn++;
		return;
	}
	before = membuf_size(&s->below);
	output_html_tx_write(s->below.f, e, (int)h->lang);
	fputs("<div class=\"x txn\">", s->below.f);
	explain_transaction(h->lang, e, tx_note, s->below.f);
	fputs("</div>\n", s->below.f);
	held_add(h, before, &s->below);
}

void
output_html_session_close(struct output_html *h, const struct flow *f,
    const char *end)
{
	struct html_session *s = session_find(h, f);

	if (s == NULL)
		return;
	arrow_finish(h, s);
	snprintf(s->end, sizeof(s->end), "%s", end != NULL ? end : "unknown");
	s->dur_us = elapsed_us(&s->first, &f->now);
	explain_ctx_free(s->ex);
	s->ex = NULL;
}

/* ---- the page ---- */

static void
put_endpoint(FILE *f, const struct endpoint *ep)
{
	int len = (int)strnlen(ep->ip, sizeof(ep->ip));
	int v6 = memchr(ep->ip, ':', (size_t)len) != NULL;

	fprintf(f, "%s%.*s%s:%u", v6 ? "[" : "", len, ep->ip, v6 ? "]" : "",
	    ep->port);
}

static void
page_session_head(FILE *f, const struct html_session *s, int lang)
{
	char ts[OUTPUT_TIME_MAX];

	fprintf(f, "<section class=\"session\" id=\"session-%llu\">\n"
	    "<h2>%s %llu</h2>\n<p class=\"meta\">%s &middot; ",
	    (unsigned long long)s->id, output_html_word(lang, HW_SESSION),
	    (unsigned long long)s->id,
	    output_iso_time(&s->first, ts, sizeof(ts)));
	put_endpoint(f, &s->client);
	fputs(" &rarr; ", f);
	put_endpoint(f, &s->server);
	fprintf(f, " &middot; %s &middot; ", s->proto[0] ? s->proto : "?");
	if (s->end[0] != '\0')
		fprintf(f, "%s: <b>%s</b> (%lld.%03lld s)",
		    output_html_word(lang, HW_ENDED), s->end,
		    s->dur_us / 1000000, s->dur_us / 1000 % 1000);
	else
		fputs(output_html_word(lang, HW_STILL_OPEN), f);
	fputs("</p>\n", f);
}

static void
put_buf(FILE *f, struct membuf *m)
{
	membuf_done(m);
	if (m->buf != NULL)
		fwrite(m->buf, 1, m->len, f);
}

static void
page_session(FILE *f, struct html_session *s, int lang)
{
	page_session_head(f, s, lang);
	put_buf(f, &s->info);
	fprintf(f, "<div class=\"lanes\"><span>%s ",
	    output_html_word(lang, HW_CLIENT));
	put_endpoint(f, &s->client);
	fprintf(f, "</span><span>%s ", output_html_word(lang, HW_SERVER));
	put_endpoint(f, &s->server);
	fputs("</span></div>\n<div class=\"ladder\">\n", f);
	put_buf(f, &s->ladder);
	fputs("</div>\n", f);
	if (s->not_drawn > 0)
		fprintf(f, "<p class=\"cut\">\u2026 %llu more lines not drawn "
		    "(the page holds at most %u arrows per session and %u MiB "
		    "in all)</p>\n", (unsigned long long)s->not_drawn,
		    OUTPUT_HTML_ARROWS_MAX, OUTPUT_HTML_BUDGET >> 20);
	put_buf(f, &s->below);
	if (s->tx_not_drawn > 0)
		fprintf(f, "<p class=\"cut\">\u2026 %llu more transactions not "
		    "drawn</p>\n", (unsigned long long)s->tx_not_drawn);
	fputs("</section>\n", f);
}

static void
page_head(struct output_html *h)
{
	fprintf(h->f, "<!DOCTYPE html>\n<html lang=\"%s\">\n<head>\n"
	    "<meta charset=\"utf-8\">\n<title>smtpscope: ",
	    output_html_word((int)h->lang, HW_LANG));
	output_html_put(h->f, h->title);
	fprintf(h->f, "</title>\n<style>\n%s</style>\n</head>\n<body>\n"
	    "<header><h1>smtpscope: ", OUTPUT_HTML_CSS);
	output_html_put(h->f, h->title);
	fprintf(h->f, "</h1>\n<p class=\"legend\">%s</p>\n</header>\n"
	    "<input type=\"checkbox\" id=\"ex\" checked><label for=\"ex\"> "
	    "%s</label>\n", output_html_word((int)h->lang, HW_LEGEND),
	    output_html_word((int)h->lang, HW_SHOW_NOTES));
}

static void
page_foot(struct output_html *h)
{
	if (h->ns == 0)
		fprintf(h->f, "<p>%s</p>\n",
		    output_html_word((int)h->lang, HW_NO_SESSION));
	if (h->sessions_not_drawn > 0)
		fprintf(h->f, "<p class=\"cut\">\u2026 %llu more sessions not "
		    "drawn (the page holds at most %u)</p>\n",
		    (unsigned long long)h->sessions_not_drawn,
		    OUTPUT_HTML_SESSIONS_MAX);
	fputs("</body>\n</html>\n", h->f);
}

int
output_html_close(struct output_html *h)
{
	size_t i;
	int err;

	if (h == NULL)
		return 0;
	if (!h->discard)
		page_head(h);
	for (i = 0; i < h->ns; i++) {
		arrow_finish(h, h->s[i]);
		if (!h->discard)
			page_session(h->f, h->s[i], (int)h->lang);
		membuf_free(&h->s[i]->ladder);
		membuf_free(&h->s[i]->below);
		membuf_free(&h->s[i]->info);
		explain_ctx_free(h->s[i]->ex);
		free(h->s[i]);
	}
	if (!h->discard)
		page_foot(h);
	if (fflush(h->f) != 0)
		h->error = 1;
	err = output_html_error(h);
	free(h->s);
	free(h->title);
	free(h);
	return err;
}
