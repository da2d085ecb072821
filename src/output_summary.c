/* output_summary.c: --summary: counts over the smtp.transaction and
 * smtp.session events of the run (the same objects --json writes), printed
 * at the end as a table (names escaped like the transcript) or as JSON.
 * Bounded: at most OUTPUT_SUMMARY_KEYS_MAX names per table. */
#include <ctype.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <json-c/json.h>

#include "escape.h"
#include "json_add.h"
#include "json_read.h"
#include "output_summary.h"

#define BUCKETS		1024
#define OTHERS		"(others)"
#define NAME_COL	30	/* columns of the name in the table */

struct counter {
	char		*key;
	uint64_t	 n;
	struct counter	*next;
};

/* A bag of named counts: a small chained hash table. */
struct ctable {
	struct counter	*b[BUCKETS];
	size_t		 keys;
};

/* The tables, in the order they are printed. */
enum table {
	T_END, T_STATUS, T_CLASS, T_CODE, T_EXT, T_AUTH, T_ANOMALY,
	T_SENDER, T_RCPT, T_COUNT
};

static const struct {
	const char	*json;		/* key in the JSON form */
	const char	*title;		/* heading of the table form */
	const char	*unit;		/* what the numbers count */
	int		 top;		/* only the OUTPUT_SUMMARY_TOP first */
	int		 by_name;	/* in name order, not most first */
} tables[T_COUNT] = {
	[T_END]     = { "sessions_by_end", "  by how they ended", "", 0, 0 },
	[T_STATUS]  = { "transactions_by_status", "  by status", "", 0, 0 },
	[T_CLASS]   = { "replies_by_class", "  by class", "", 0, 1 },
	[T_CODE]    = { "reply_codes", "  by code", "", 0, 1 },
	[T_EXT]     = { "extensions", "extensions offered", "sessions", 0, 0 },
	[T_AUTH]    = { "auth", "AUTH mechanism and result", "sessions", 0,
			0 },
	[T_ANOMALY] = { "anomalies", "anomalies", "occurrences", 0, 0 },
	[T_SENDER]  = { "sender_domains", "top sender domains (MAIL FROM)",
			"transactions", 1, 0 },
	[T_RCPT]    = { "recipient_domains",
			"top recipient domains (RCPT TO)", "recipients", 1, 0 },
};

struct output_summary {
	FILE		*f;
	int		 as_json;
	int		 error;
	int		 discard;	/* write nothing */
	char		*title;
	uint64_t	 sessions, transactions, messages, replies;
	struct ctable	 t[T_COUNT];
};

struct output_summary *
output_summary_open(FILE *f, int as_json, const char *title)
{
	struct output_summary *s;

	if ((s = calloc(1, sizeof(*s))) == NULL)
		return NULL;
	s->f = f;
	s->as_json = as_json;
	if (title != NULL && (s->title = strdup(title)) == NULL) {
		free(s);
		return NULL;
	}
	return s;
}

void
output_summary_discard(struct output_summary *s)
{
	if (s != NULL)
		s->discard = 1;
}

int
output_summary_error(const struct output_summary *s)
{
	return s->error || ferror(s->f);
}

static unsigned
hash(const char *k)
{
	uint32_t h = 2166136261u;	/* FNV-1a */

	for (; *k != '\0'; k++)
		h = (h ^ (uint8_t)*k) * 16777619u;
	return h % BUCKETS;
}

static void
ctable_add(struct output_summary *s, enum table t, const char *key,
    uint64_t n)
{
	struct ctable *ct = &s->t[t];
	struct counter *c;
	unsigned h;

	for (;;) {
		h = hash(key);
		for (c = ct->b[h]; c != NULL; c = c->next)
			if (strcmp(c->key, key) == 0) {
				c->n += n;
				return;
			}
		if (ct->keys < OUTPUT_SUMMARY_KEYS_MAX ||
		    strcmp(key, OTHERS) == 0)
			break;
		key = OTHERS;	/* full: the count still adds up */
	}
	if ((c = calloc(1, sizeof(*c))) == NULL ||
	    (c->key = strdup(key)) == NULL) {
		free(c);
		s->error = 1;
		return;
	}
	c->n = n;
	c->next = ct->b[h];
	ct->b[h] = c;
	ct->keys++;
}

static const char *
jstr(const struct json_object *o, const char *key)
{
	struct json_object *v = json_read_get(o, key);

	return v != NULL && json_object_is_type(v, json_type_string) ?
	    json_object_get_string(v) : NULL;
}

/* n replies with code c: by class ("2xx") and by code ("250"); c 0 is a
 * reply whose code was not kept (the session's replies_uncounted). */
static void
count_code(struct output_summary *s, int c, uint64_t n)
{
	char key[16];

	s->replies += n;
	if (c >= 200 && c < 600)
		snprintf(key, sizeof(key), "%dxx", c / 100);
	else
		snprintf(key, sizeof(key), "other");
	ctable_add(s, T_CLASS, key, n);
	if (c != 0)
		snprintf(key, sizeof(key), "%d", c);
	ctable_add(s, T_CODE, key, n);
}

/* The session's "replies": every reply the server sent, by code. */
static void
count_replies(struct output_summary *s, const struct json_object *e)
{
	struct json_object *rc = json_read_get(e, "replies"), *u;

	if (rc != NULL && json_object_is_type(rc, json_type_object)) {
		json_object_object_foreach(rc, code, n)
			count_code(s, atoi(code),
			    (uint64_t)json_object_get_int64(n));
	}
	if ((u = json_read_get(e, "replies_uncounted")) != NULL)
		count_code(s, 0, (uint64_t)json_object_get_int64(u));
}

/* The domain of an envelope address, lower-cased: after the last '@'. */
static void
count_domain(struct output_summary *s, enum table t,
    const struct json_object *path)
{
	const char *at, *addr = jstr(path, "address");
	char *d, *p;

	if (addr == NULL || *addr == '\0') {
		/* The null path of a bounce vs. no address at all. */
		ctable_add(s, t, json_read_get(path, "null_path") != NULL ? "<>" :
		    "(no address)", 1);
		return;
	}
	if ((at = strrchr(addr, '@')) == NULL || at[1] == '\0') {
		ctable_add(s, t, "(no domain)", 1);
		return;
	}
	if ((d = strdup(at + 1)) == NULL) {
		s->error = 1;
		return;
	}
	for (p = d; *p != '\0'; p++)
		*p = (char)tolower((unsigned char)*p);
	ctable_add(s, t, d, 1);
	free(d);
}

static void
count_transaction(struct output_summary *s, const struct json_object *e)
{
	struct json_object *mail = json_read_get(e, "mail_from"), *v, *r;
	size_t i, n;

	s->transactions++;
	ctable_add(s, T_STATUS, jstr(e, "status") != NULL ?
	    jstr(e, "status") : "?", 1);
	if ((v = json_read_get(e, "message")) != NULL &&
	    json_object_is_type(v, json_type_object))
		s->messages++;
	if (mail != NULL && json_object_is_type(mail, json_type_object))
		count_domain(s, T_SENDER, mail);
	v = json_read_get(e, "rcpt_to");
	for (i = 0, n = json_read_len(v); i < n; i++) {
		r = json_object_array_get_idx(v, i);
		count_domain(s, T_RCPT, r);
	}
}

/* Each extension once per session, even if the server listed it twice. */
static void
count_extensions(struct output_summary *s, const struct json_object *ext)
{
	size_t i, j, n = json_read_len(ext);
	const char *name, *prev;

	for (i = 0; i < n; i++) {
		name = jstr(json_object_array_get_idx(ext, i), "name");
		if (name == NULL)
			continue;
		for (j = 0; j < i; j++) {
			prev = jstr(json_object_array_get_idx(ext, j), "name");
			if (prev != NULL && strcmp(prev, name) == 0)
				break;
		}
		if (j == i)
			ctable_add(s, T_EXT, name, 1);
	}
}

static void
count_auth(struct output_summary *s, const struct json_object *auth)
{
	char key[128];

	if (auth == NULL || !json_object_is_type(auth, json_type_object))
		return;
	snprintf(key, sizeof(key), "%s %s", jstr(auth, "mechanism") != NULL ?
	    jstr(auth, "mechanism") : "?", jstr(auth, "result") != NULL ?
	    jstr(auth, "result") : "?");
	ctable_add(s, T_AUTH, key, 1);
}

static void
count_session(struct output_summary *s, const struct json_object *e)
{
	struct json_object *counts = json_read_get(e, "anomaly_counts");

	s->sessions++;
	ctable_add(s, T_END, jstr(e, "end") != NULL ? jstr(e, "end") : "?", 1);
	count_replies(s, e);
	count_extensions(s, json_read_get(e, "extensions"));
	count_auth(s, json_read_get(e, "auth"));
	if (counts == NULL || !json_object_is_type(counts, json_type_object))
		return;
	json_object_object_foreach(counts, name, n)
		ctable_add(s, T_ANOMALY, name,
		    (uint64_t)json_object_get_int64(n));
}

void
output_summary_event(struct output_summary *s, const struct json_object *e)
{
	const char *name = jstr(e, "event");

	if (name == NULL)
		return;
	if (strcmp(name, "smtp.transaction") == 0)
		count_transaction(s, e);
	else if (strcmp(name, "smtp.session") == 0)
		count_session(s, e);
}

/* ---- writing ---- */

/* Most first, then by name (bytes), so the output is stable. */
static int
counter_cmp(const void *a, const void *b)
{
	const struct counter *x = *(const struct counter *const *)a;
	const struct counter *y = *(const struct counter *const *)b;

	if (x->n != y->n)
		return x->n > y->n ? -1 : 1;
	return strcmp(x->key, y->key);
}

static int
counter_name_cmp(const void *a, const void *b)
{
	return strcmp((*(const struct counter *const *)a)->key,
	    (*(const struct counter *const *)b)->key);
}

/* The table's entries sorted; *n set. NULL when empty or out of memory. */
static struct counter **
ctable_sorted(struct ctable *ct, int by_name, size_t *n)
{
	struct counter **v, *c;
	size_t i, k = 0;

	*n = 0;
	if (ct->keys == 0 || (v = calloc(ct->keys, sizeof(*v))) == NULL)
		return NULL;
	for (i = 0; i < BUCKETS; i++)
		for (c = ct->b[i]; c != NULL; c = c->next)
			v[k++] = c;
	qsort(v, k, sizeof(*v), by_name ? counter_name_cmp : counter_cmp);
	*n = k;
	return v;
}

/* Columns the escaped text takes: bytes that start a character. */
static size_t
text_columns(const char *s, size_t n)
{
	size_t i, cols = 0;

	for (i = 0; i < n; i++)
		cols += ((uint8_t)s[i] & 0xc0) != 0x80;
	return cols;
}

/* "  name ...... 12": the name escaped as the transcript does. */
static void
row(FILE *f, const char *indent, const char *name, uint64_t n)
{
	char *buf = NULL;
	size_t len = 0, cols;
	FILE *m = open_memstream(&buf, &len);

	if (m != NULL) {
		escape_text_write(m, (const uint8_t *)name, strlen(name));
		fclose(m);
	}
	fputs(indent, f);
	if (buf != NULL)
		fwrite(buf, 1, len, f);
	cols = strlen(indent) + (buf != NULL ? text_columns(buf, len) : 0);
	fprintf(f, "%*s %8llu\n", cols < NAME_COL ? (int)(NAME_COL - cols) : 0,
	    "", (unsigned long long)n);
	free(buf);
}

static void
table_text(struct output_summary *s, enum table t)
{
	struct counter **v;
	size_t i, n;

	/* A sub-table (its title indented) belongs to the count above. */
	int sub = tables[t].title[0] == ' ';

	v = ctable_sorted(&s->t[t], tables[t].by_name, &n);
	if (sub && n == 0)
		return;
	if (sub)
		fprintf(s->f, "%s\n", tables[t].title);
	else
		fprintf(s->f, "%-*s %8s\n", NAME_COL, tables[t].title,
		    tables[t].unit);
	for (i = 0; i < n && (!tables[t].top || i < OUTPUT_SUMMARY_TOP); i++)
		row(s->f, sub ? "    " : "  ", v[i]->key, v[i]->n);
	if (n == 0)
		fprintf(s->f, "  (none)\n");
	free(v);
}

static void
summary_text(struct output_summary *s)
{
	fputs("smtpscope summary", s->f);
	if (s->title != NULL) {
		fputs(" of ", s->f);
		escape_text_write(s->f, (const uint8_t *)s->title,
		    strlen(s->title));
	}
	fputc('\n', s->f);
	row(s->f, "", "sessions", s->sessions);
	table_text(s, T_END);
	row(s->f, "", "transactions", s->transactions);
	table_text(s, T_STATUS);
	row(s->f, "", "messages (with data)", s->messages);
	row(s->f, "", "replies", s->replies);
	table_text(s, T_CLASS);
	table_text(s, T_CODE);
	table_text(s, T_EXT);
	table_text(s, T_AUTH);
	table_text(s, T_ANOMALY);
	table_text(s, T_SENDER);
	table_text(s, T_RCPT);
}

/* A table as {name: n}, or for the top lists [[name, n], ...] in order. */
static struct json_object *
table_json(struct output_summary *s, enum table t)
{
	struct json_object *o, *pair;
	struct counter **v;
	size_t i, n;

	v = ctable_sorted(&s->t[t], tables[t].by_name, &n);
	o = tables[t].top ? json_object_new_array() : json_object_new_object();
	for (i = 0; i < n && (!tables[t].top || i < OUTPUT_SUMMARY_TOP); i++) {
		if (!tables[t].top) {
			json_object_object_add(o, v[i]->key,
			    json_object_new_int64((int64_t)v[i]->n));
			continue;
		}
		pair = json_object_new_array();
		json_object_array_add(pair, json_object_new_string(v[i]->key));
		json_object_array_add(pair,
		    json_object_new_int64((int64_t)v[i]->n));
		json_object_array_add(o, pair);
	}
	free(v);
	return o;
}

static void
summary_json(struct output_summary *s)
{
	struct json_object *o = json_object_new_object();
	size_t t;

	JSON_ADD(o, "sessions",
	    json_object_new_int64((int64_t)s->sessions));
	JSON_ADD(o, "transactions",
	    json_object_new_int64((int64_t)s->transactions));
	JSON_ADD(o, "messages",
	    json_object_new_int64((int64_t)s->messages));
	JSON_ADD(o, "replies",
	    json_object_new_int64((int64_t)s->replies));
	for (t = 0; t < T_COUNT; t++)
		json_object_object_add(o, tables[t].json,
		    table_json(s, (enum table)t));
	fprintf(s->f, "%s\n", json_object_to_json_string_ext(o,
	    JSON_C_TO_STRING_PLAIN | JSON_C_TO_STRING_NOSLASHESCAPE));
	json_object_put(o);
}

static void
ctable_free(struct ctable *ct)
{
	struct counter *c, *next;
	size_t i;

	for (i = 0; i < BUCKETS; i++)
		for (c = ct->b[i]; c != NULL; c = next) {
			next = c->next;
			free(c->key);
			free(c);
		}
}

int
output_summary_close(struct output_summary *s)
{
	size_t t;
	int err;

	if (s == NULL)
		return 0;
	if (s->discard)
		;
	else if (s->as_json)
		summary_json(s);
	else
		summary_text(s);
	if (fflush(s->f) != 0)
		s->error = 1;
	err = output_summary_error(s);
	for (t = 0; t < T_COUNT; t++)
		ctable_free(&s->t[t]);
	free(s->title);
	free(s);
	return err;
}
