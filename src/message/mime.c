/* mime.c: push MIME parser. Lines are split in a fixed buffer (longer lines
 * pass through in pieces), boundaries are matched at line starts against the
 * stack of open multiparts (RFC 2046 5.1.1), leaf bodies are decoded and
 * hashed as they stream. Never keeps a body; every bound comes from limits. */
#include <ctype.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <json-c/json.h>

#include "anomaly.h"
#include "config.h"
#include "decode.h"
#include "hash.h"
#include "headers.h"
#include "json_add.h"
#include "mime.h"
#include "rfc2047.h"
#include "stats.h"

#define MIME_LINE	4096	/* longer lines are body data, never syntax */
#define MIME_MAXB	256	/* RFC 2046 says 70; clients accept more */
#define MIME_MAXP	64	/* parameters looked at per header */

/* ---- parameters (RFC 2045 5.1, RFC 2231) ---- */

struct param {
	char	*name;		/* lower-case, with any "*N*" suffix */
	char	*value;		/* unquoted */
};

static char *
xstrndup(const char *p, size_t n)
{
	char *s = malloc(n + 1);

	if (s != NULL) {
		memcpy(s, p, n);
		s[n] = '\0';
	}
	return s;
}

/* Splits "type; a=b; c="d;e"" into params; quoted strings are one value,
 * so `dummy="filename=wrong.txt"` never yields a filename. */
static size_t
param_split(const char *v, struct param *ps, size_t max, unsigned *bad)
{
	const char *p = v, *ns, *ne;
	size_t np = 0, o, n;
	char *val;
	int inq = 0;

	/* skip the value before the first ';' outside quotes */
	for (; *p != '\0' && (*p != ';' || inq); p++)
		if (*p == '"')
			inq = !inq;
	while (*p != '\0' && np < max) {
		while (*p == ';' || isspace((unsigned char)*p))
			p++;
		if (*p == '\0')
			break;
		ns = p;
		while (*p != '\0' && *p != '=' && *p != ';')
			p++;
		ne = p;
		while (ne > ns && isspace((unsigned char)ne[-1]))
			ne--;
		if (*p != '=') {
			(*bad)++;	/* a name without a value */
			continue;
		}
		p++;
		while (*p == ' ' || *p == '\t')
			p++;
		if ((val = malloc(strlen(p) + 1)) == NULL)
			break;
		o = 0;
		if (*p == '"') {
			for (p++; *p != '\0' && *p != '"'; p++) {
				if (*p == '\\' && p[1] != '\0')
					p++;
				val[o++] = *p;
			}
			if (*p == '"')
				p++;
			else
				(*bad)++;	/* unterminated quote */
			while (*p != '\0' && *p != ';')
				p++;
		} else {
			while (*p != '\0' && *p != ';')
				val[o++] = *p++;
			while (o > 0 && isspace((unsigned char)val[o - 1]))
				o--;
		}
		val[o] = '\0';
		n = (size_t)(ne - ns);
		if (n == 0) {
			(*bad)++;
			free(val);
			continue;
		}
		ps[np].name = xstrndup(ns, n);
		for (o = 0; ps[np].name != NULL && o < n; o++)
			ps[np].name[o] = (char)tolower(
			    (unsigned char)ps[np].name[o]);
		ps[np].value = val;
		np++;
	}
	return np;
}

static void
param_free(struct param *ps, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++) {
		free(ps[i].name);
		free(ps[i].value);
	}
}

/* RFC 2231 3 and 4: name*0, name*1*, ... joined in order; the first
 * extended segment carries charset'language'. */
static char *
param_rfc2231(struct param *ps, size_t np, const char *name, char **raw,
    struct mime_param_flags *f)
{
	size_t nl = strlen(name), i, idx, k, tot = 0, sent;
	const char *seg[MIME_MAXP];
	int ext[MIME_MAXP], found = 0, single = -1;
	char *bytes, *cs = NULL, *res, *q, *end;
	struct rfc2047_flags rf = { 0, 0 };

	memset(seg, 0, sizeof(seg));
	for (i = 0; i < np; i++) {
		if (strncmp(ps[i].name, name, nl) != 0 ||
		    ps[i].name[nl] != '*')
			continue;
		q = ps[i].name + nl + 1;
		if (*q == '\0') {
			single = (int)i;	/* name*=: last one wins */
			continue;
		}
		idx = strtoul(q, &end, 10);
		if (end == q || (*end != '\0' && strcmp(end, "*") != 0) ||
		    idx >= MIME_MAXP) {
			f->bad_param++;
			continue;
		}
		seg[idx] = ps[i].value;
		ext[idx] = *end == '*';
		found = 1;
	}
	if (!found && single < 0)
		return NULL;
	if (!found) {
		seg[0] = ps[single].value;
		ext[0] = 1;
	}
	for (k = 0; k < MIME_MAXP && seg[k] != NULL; k++)
		tot += strlen(seg[k]);
	if (k == 0) {
		f->bad_param++;		/* continuations without *0 */
		return NULL;
	}
	if ((bytes = malloc(tot + 1)) == NULL)
		return NULL;
	sent = tot;		/* the segments' length as sent */
	tot = 0;
	for (i = 0; i < k; i++) {
		const char *s = seg[i];

		if (i == 0 && ext[0]) {
			/* charset'language'value */
			const char *a = strchr(s, '\''), *b;

			if (a != NULL && (b = strchr(a + 1, '\'')) != NULL) {
				cs = xstrndup(s, (size_t)(a - s));
				s = b + 1;
			} else
				f->bad_param++;
		}
		if (ext[i])
			tot += rfc2231_unpercent(s, strlen(s), bytes + tot);
		else {
			memcpy(bytes + tot, s, strlen(s));
			tot += strlen(s);
		}
	}
	bytes[tot] = '\0';
	res = rfc2047_convert(cs != NULL && *cs ? cs : "utf-8", bytes, tot,
	    &rf);
	if (res == NULL) {	/* unknown charset: show the bytes, flagged */
		rf.bad_words++;
		res = rfc2047_utf8_clean(bytes, tot, &rf);
	}
	f->bad_words += rf.bad_words;
	f->bad_utf8 += rf.bad_utf8;
	if (raw != NULL && (ext[0] || strcmp(res, bytes) != 0)) {
		/* the segments as sent, joined: sized by their own length,
		 * not by the decoded one (a long charset'language' prefix
		 * is longer than any multiple of it) */
		struct rfc2047_flags rf2 = { 0, 0 };
		size_t t2 = 0;
		char *j = malloc(sent + 1);

		for (i = 0; j != NULL && i < k; i++) {
			size_t l = strlen(seg[i]);
			memcpy(j + t2, seg[i], l);
			t2 += l;
		}
		if (j != NULL) {
			*raw = rfc2047_utf8_clean(j, t2, &rf2);
			free(j);
		}
	}
	free(cs);
	free(bytes);
	return res;
}

char *
mime_param(const char *value, const char *name, char **raw,
    struct mime_param_flags *f)
{
	struct param ps[MIME_MAXP];
	struct mime_param_flags dummy = { 0, 0, 0 };
	struct rfc2047_flags rf = { 0, 0 };
	size_t np, i;
	char *res;
	int last = -1;

	if (f == NULL)
		f = &dummy;
	if (raw != NULL)
		*raw = NULL;
	np = param_split(value, ps, MIME_MAXP, &f->bad_param);
	/* the extended forms win over the plain one, as in clients */
	res = param_rfc2231(ps, np, name, raw, f);
	if (res == NULL) {
		for (i = 0; i < np; i++)
			if (strcmp(ps[i].name, name) == 0)
				last = (int)i;
		if (last >= 0) {
			const char *v = ps[last].value;

			res = rfc2047_decode(v, strlen(v), &rf);
			if (raw != NULL && res != NULL && strcmp(res, v) != 0)
				*raw = rfc2047_utf8_clean(v, strlen(v), NULL);
			f->bad_words += rf.bad_words;
			f->bad_utf8 += rf.bad_utf8;
		}
	}
	param_free(ps, np);
	return res;
}

char *
mime_value_token(const char *v)
{
	size_t n, i;
	char *s;

	while (isspace((unsigned char)*v))
		v++;
	n = strcspn(v, "; \t(");
	if (n == 0)
		return NULL;
	if ((s = xstrndup(v, n)) == NULL)
		return NULL;
	for (i = 0; i < n; i++)
		s[i] = (char)tolower((unsigned char)s[i]);
	return s;
}

/* ---- the entity stack ---- */

enum ent_kind { EK_LEAF, EK_MULTIPART, EK_MESSAGE };
enum ent_state { ES_HEADERS, ES_BODY, ES_PREAMBLE, ES_EPILOGUE };

struct entity {
	json_object	*obj;
	json_object	*parts;
	enum ent_kind	 kind;
	enum ent_state	 state;
	int		 is_msg;	/* its headers are a message's */
	int		 in_digest;	/* default type message/rfc822 */
	int		 child_of_mp;
	void		*msg;
	struct headers	 hdr;
	char		*ctype_val;	/* Content-Type value */
	char		*cd_val;	/* Content-Disposition value */
	char		*cte_val;
	char		 boundary[MIME_MAXB + 1];
	size_t		 blen;
	int		 delims;	/* delimiters seen (multipart) */
	struct decode	 dec;
	struct hash	*hash;
	uint64_t	 decoded;
	int		 cut;		/* decoded limit hit */
	uint8_t		 eol[2];
	int		 neol;
	void		*ext;
	/* message/rfc822 with a base64 or quoted-printable encoding (which
	 * RFC 2046 5.2.1 forbids): a leaf whose decoded bytes stream into a
	 * nested parser. sniff: base64 not yet confirmed (a body that is
	 * not base64 is read as is); sbuf holds the bytes looked at. */
	struct mime	*sub;
	struct limits	*sublim;
	int		 sniff;
	size_t		 sn;
	uint8_t		 sbuf[128];
};

struct mime {
	const struct limits	*lim;
	struct anomalies	*an;
	struct mime_hooks	 hooks;
	struct entity		*stack;
	size_t			 depth, cap;
	size_t			 nparts;
	unsigned		 attachments;
	int			 part_limit_hit;
	json_object		*root;
	json_object		*top_headers;
	uint8_t			 line[MIME_LINE];
	size_t			 llen;
	int			 bol;		/* line buffer starts a line */
	int			 closed;
};

static void	ent_line(struct mime *, const uint8_t *, size_t, int, int);

static void
flag(struct mime *m, enum anomaly a)
{
	if (m->an != NULL)
		anomaly_add(m->an, a);
}

static void
hdr_cb(void *arg, const char *name, const char *value, size_t vlen)
{
	struct mime *m = arg;
	struct entity *e = &m->stack[m->depth - 1];
	char **slot = NULL;

	if (strcasecmp(name, "Content-Type") == 0)
		slot = &e->ctype_val;
	else if (strcasecmp(name, "Content-Disposition") == 0)
		slot = &e->cd_val;
	else if (strcasecmp(name, "Content-Transfer-Encoding") == 0)
		slot = &e->cte_val;
	if (slot != NULL) {
		/* the first one counts, as in most clients */
		if (*slot == NULL)
			*slot = xstrndup(value, vlen);
		else
			flag(m, ANOMALY_mime_bad_param);
	}
	if (e->is_msg && m->hooks.msg_field != NULL)
		m->hooks.msg_field(m->hooks.arg, e->msg, name, value, vlen);
}

static struct entity *
ent_push(struct mime *m, int is_msg)
{
	struct entity *e, *ns;
	size_t ncap;

	if (m->depth == m->cap) {
		ncap = m->cap ? m->cap * 2 : 8;
		if ((ns = realloc(m->stack, ncap * sizeof(*ns))) == NULL)
			return NULL;
		m->stack = ns;
		m->cap = ncap;
	}
	e = &m->stack[m->depth++];
	memset(e, 0, sizeof(*e));
	e->obj = json_object_new_object();
	e->is_msg = is_msg;
	e->state = ES_HEADERS;
	headers_init(&e->hdr, m->lim->max_header_bytes, hdr_cb, m);
	if (is_msg && m->hooks.msg_open != NULL)
		e->msg = m->hooks.msg_open(m->hooks.arg, m->depth > 1);
	m->nparts++;
	return e;
}

static void
add_clean(json_object *o, const char *key, const char *s, struct mime *m)
{
	struct rfc2047_flags f = { 0, 0 };
	char *c = rfc2047_utf8_clean(s, strlen(s), &f);

	if (f.bad_utf8)
		flag(m, ANOMALY_invalid_utf8);
	JSON_SET(o, key, json_object_new_string(c ? c : ""));
	free(c);
}

/* Cuts s to at most max bytes on a UTF-8 character boundary. */
static int
utf8_cut(char *s, size_t max)
{
	size_t n = strlen(s);

	if (n <= max)
		return 0;
	while (max > 0 && ((unsigned char)s[max] & 0xc0) == 0x80)
		max--;
	s[max] = '\0';
	return 1;
}

static void
set_filename(struct mime *m, struct entity *e)
{
	struct mime_param_flags f = { 0, 0, 0 };
	char *raw = NULL, *fn = NULL;

	if (e->cd_val != NULL)
		fn = mime_param(e->cd_val, "filename", &raw, &f);
	if (fn == NULL && e->ctype_val != NULL)
		fn = mime_param(e->ctype_val, "name", &raw, &f);
	if (f.bad_param)
		flag(m, ANOMALY_mime_bad_param);
	if (f.bad_words)
		flag(m, ANOMALY_bad_encoded_word);
	if (f.bad_utf8)
		flag(m, ANOMALY_invalid_utf8);
	if (fn == NULL) {
		free(raw);
		return;
	}
	if (utf8_cut(fn, m->lim->max_filename)) {
		flag(m, ANOMALY_mime_filename_too_long);
		JSON_ADD(e->obj, "filename_truncated",
		    json_object_new_boolean(1));
	}
	JSON_ADD(e->obj, "filename", json_object_new_string(fn));
	if (raw != NULL) {
		utf8_cut(raw, m->lim->max_filename);
		JSON_ADD(e->obj, "filename_raw",
		    json_object_new_string(raw));
	}
	free(fn);
	free(raw);
}

/* A message/rfc822 part with a base64 or quoted-printable encoding: RFC
 * 2046 5.2.1 forbids it, clients decode it anyway, and a parser that reads
 * it as an opaque leaf misses what is inside (suricata-verify
 * mime_smtp-mime-encap-8649-combined). Its decoded bytes stream into a
 * nested parser with what is left of the depth and part limits. */
static void
sub_open(struct mime *m, struct entity *e)
{
	struct limits *l = malloc(sizeof(*l));

	flag(m, ANOMALY_mime_encoded_message);
	if (l == NULL)
		return;
	*l = *m->lim;
	l->max_mime_depth = m->lim->max_mime_depth > m->depth ?
	    m->lim->max_mime_depth - m->depth : 1;
	l->max_parts = m->lim->max_parts > m->nparts ?
	    m->lim->max_parts - m->nparts : 1;
	if ((e->sub = mime_open(l, m->an, &m->hooks)) == NULL) {
		free(l);
		return;
	}
	e->sublim = l;
}

/* Ends the nested parser of an encoded message: its tree and headers go
 * into the part, as for a message/rfc822 part sent as is. */
static void
sub_close(struct mime *m, struct entity *e)
{
	json_object *root, *h = NULL, *parts;
	unsigned att = 0;

	root = mime_close(e->sub, &h, &att);
	e->sub = NULL;
	free(e->sublim);
	e->sublim = NULL;
	m->attachments += att;
	if (h != NULL)
		JSON_ADD(e->obj, "headers", h);
	parts = json_object_new_array();
	if (root != NULL)
		json_object_array_add(parts, root);
	JSON_ADD(e->obj, "parts", parts);
}

/* The blank line (or what stands for it) ends the headers: decide what the
 * entity is and how its body is read. */
static void
ent_headers_done(struct mime *m)
{
	struct entity *e = &m->stack[m->depth - 1];
	struct mime_param_flags f = { 0, 0, 0 };
	char *type = NULL, *b, *cs, *disp;
	json_object *h;
	int room;

	headers_flush(&e->hdr);
	if (e->hdr.cut_fields) {
		flag(m, ANOMALY_header_too_long);
		stats.bytes_dropped_limits += e->hdr.dropped;
	}
	if (e->is_msg && m->hooks.msg_close != NULL) {
		h = m->hooks.msg_close(m->hooks.arg, e->msg);
		e->msg = NULL;
		if (m->depth == 1)
			m->top_headers = h;
		else
			json_object_object_add(m->stack[m->depth - 2].obj,
			    "headers", h);
	}
	headers_free(&e->hdr);
	if (e->ctype_val != NULL)
		type = mime_value_token(e->ctype_val);
	if (type == NULL || strchr(type, '/') == NULL) {
		if (e->child_of_mp && e->ctype_val == NULL && !e->in_digest)
			flag(m, ANOMALY_mime_missing_content_type);
		else if (e->ctype_val != NULL)
			flag(m, ANOMALY_mime_bad_param);
		free(type);
		/* RFC 2045 5.2 and RFC 2046 5.1.5 defaults */
		type = strdup(e->in_digest ? "message/rfc822" : "text/plain");
	}
	add_clean(e->obj, "content_type", type, m);
	if (e->ctype_val != NULL &&
	    (cs = mime_param(e->ctype_val, "charset", NULL, &f)) != NULL) {
		JSON_ADD(e->obj, "charset",
		    json_object_new_string(cs));
		free(cs);
	}
	if (e->cd_val != NULL && (disp = mime_value_token(e->cd_val)) != NULL) {
		add_clean(e->obj, "disposition", disp, m);
		free(disp);
	}
	set_filename(m, e);
	e->state = ES_BODY;
	room = m->depth < m->lim->max_mime_depth;
	if (strncmp(type, "multipart/", 10) == 0) {
		b = e->ctype_val != NULL ?
		    mime_param(e->ctype_val, "boundary", NULL, &f) : NULL;
		if (b == NULL || *b == '\0' || strlen(b) > MIME_MAXB) {
			flag(m, ANOMALY_mime_missing_boundary);
		} else if (!room) {
			flag(m, ANOMALY_mime_depth_limit);
			JSON_ADD(e->obj, "truncated",
			    json_object_new_string("depth"));
		} else {
			e->kind = EK_MULTIPART;
			e->state = ES_PREAMBLE;
			e->blen = strlen(b);
			memcpy(e->boundary, b, e->blen + 1);
			add_clean(e->obj, "boundary", b, m);
			e->parts = json_object_new_array();
			JSON_ADD(e->obj, "parts", e->parts);
		}
		free(b);
	}
	if (e->kind == EK_LEAF && e->cte_val != NULL)
		add_clean(e->obj, "encoding", e->cte_val, m);
	if ((strcmp(type, "message/rfc822") == 0 ||
	    strcmp(type, "message/global") == 0)) {
		if (!room) {
			flag(m, ANOMALY_mime_depth_limit);
			JSON_ADD(e->obj, "truncated",
			    json_object_new_string("depth"));
		} else if (decode_enc_parse(e->cte_val) == DECODE_IDENTITY)
			e->kind = EK_MESSAGE;
		else
			sub_open(m, e);
	}
	free(type);
	if (e->kind == EK_MULTIPART)
		return;
	/* leaf and message/rfc822 bodies are hashed; rfc822 as sent */
	e->hash = hash_new(HASH_ALL);
	if (e->kind == EK_MESSAGE) {
		struct entity *c;

		e->parts = json_object_new_array();
		JSON_ADD(e->obj, "parts", e->parts);
		if ((c = ent_push(m, 1)) != NULL) {
			json_object_array_add(m->stack[m->depth - 2].parts,
			    c->obj);
			m->attachments++;
		}
		return;
	}
	decode_init(&e->dec, decode_enc_parse(e->cte_val));
	if (e->sub != NULL) {
		/* base64 only once the body looks like it */
		e->sniff = e->dec.enc == DECODE_BASE64;
		m->attachments++;
		return;
	}
	if (json_object_object_get_ex(e->obj, "filename", NULL) ||
	    (e->cd_val != NULL && strncasecmp(e->cd_val, "attachment", 10) == 0))
		m->attachments++;
	if (m->hooks.part_open != NULL)
		e->ext = m->hooks.part_open(m->hooks.arg, e->obj);
}

static void
leaf_sink(void *arg, const uint8_t *p, size_t n)
{
	struct mime *m = arg;
	struct entity *e = &m->stack[m->depth - 1];
	uint64_t room;

	if (e->cut) {
		stats.bytes_dropped_limits += n;
		return;
	}
	room = m->lim->max_decoded_bytes - e->decoded;
	if (n > room) {
		stats.bytes_dropped_limits += n - room;
		n = (size_t)room;
		e->cut = 1;
		flag(m, ANOMALY_mime_decoded_limit);
	}
	e->decoded += n;
	hash_update(e->hash, p, n);
	if (e->sub != NULL)
		mime_feed(e->sub, p, n);
	if (e->ext != NULL && m->hooks.part_data != NULL)
		m->hooks.part_data(m->hooks.arg, e->ext, p, n);
}

static int
b64_char(uint8_t c)
{
	return isalnum(c) || c == '+' || c == '/' || c == '=';
}

/* An encoded message's body is base64 if its first line is: a body whose
 * first line is not (a header, so the encoding was a lie) is read as is. */
static void
sniff_done(struct mime *m, struct entity *e, int b64)
{
	e->sniff = 0;
	if (!b64)
		decode_init(&e->dec, DECODE_IDENTITY);
	decode_feed(&e->dec, e->sbuf, e->sn, leaf_sink, m);
	e->sn = 0;
}

static void
leaf_bytes(struct mime *m, struct entity *e, const uint8_t *p, size_t n)
{
	size_t i;
	int seen;

	for (i = 0; e->sniff && i < n; i++) {
		e->sbuf[e->sn++] = p[i];
		seen = 0;
		if (p[i] == '\n') {
			/* a line end after text that was all base64 */
			size_t k;

			for (k = 0; k < e->sn; k++)
				if (!isspace(e->sbuf[k]))
					seen = 1;
			if (seen)
				sniff_done(m, e, 1);
		} else if (!isspace(p[i]) && !b64_char(p[i]))
			sniff_done(m, e, 0);
		else if (e->sn == sizeof(e->sbuf))
			sniff_done(m, e, 1);
	}
	p += i;
	n -= i;
	decode_feed(&e->dec, p, n, leaf_sink, m);
}

/* Finishes the top entity; by_delim: a delimiter line ended it, so the
 * CRLF before that line belongs to the delimiter (RFC 2046 5.1.1). */
static void
ent_close(struct mime *m, int by_delim)
{
	struct entity *e = &m->stack[m->depth - 1];
	json_object *o;

	if (e->state == ES_HEADERS) {
		size_t d = m->depth;

		if (e->is_msg && m->depth > 1 && e->hdr.count == 0 &&
		    !e->hdr.have)
			flag(m, ANOMALY_mime_no_blank_line);
		ent_headers_done(m);
		/* a message/rfc822 pushed its (empty) attached message:
		 * close that first, its header summary included */
		while (m->depth > d)
			ent_close(m, by_delim);
		e = &m->stack[m->depth - 1];
	}
	if (!by_delim && e->neol && e->kind == EK_LEAF)
		leaf_bytes(m, e, e->eol, (size_t)e->neol);
	if (!by_delim && e->neol && e->kind == EK_MESSAGE) {
		hash_update(e->hash, e->eol, (size_t)e->neol);
		e->decoded += (uint64_t)e->neol;
	}
	if (e->kind == EK_MULTIPART) {
		if (e->delims == 0)
			flag(m, ANOMALY_mime_missing_boundary);
		if (e->state != ES_EPILOGUE)
			flag(m, ANOMALY_mime_unterminated_multipart);
	} else if (e->kind == EK_LEAF) {
		if (e->sniff)
			sniff_done(m, e, 1);
		decode_finish(&e->dec, leaf_sink, m);
		if (e->dec.bad) {
			flag(m, e->dec.enc == DECODE_BASE64 ?
			    ANOMALY_mime_bad_base64 : ANOMALY_mime_bad_qp);
			JSON_ADD(e->obj, "decode_errors",
			    json_object_new_int64(e->dec.bad));
		}
	}
	o = e->obj;
	if (e->kind != EK_MULTIPART) {
		JSON_ADD(o, "decoded_bytes",
		    json_object_new_int64((int64_t)e->decoded));
		/* replaces a "depth" (a multipart past the depth limit is
		 * read as a leaf, and may pass the decoded limit too) */
		if (e->cut)
			JSON_SET(o, "truncated",
			    json_object_new_string("decoded_bytes"));
		hash_finish(e->hash, o);
		e->hash = NULL;
	}
	if (e->sub != NULL)
		sub_close(m, e);
	if (e->ext != NULL && m->hooks.part_close != NULL)
		m->hooks.part_close(m->hooks.arg, e->ext, o);
	headers_free(&e->hdr);
	free(e->ctype_val);
	free(e->cd_val);
	free(e->cte_val);
	m->depth--;
	if (m->depth == 0)
		m->root = o;
}

/* Is the line a delimiter of the multipart at stack index i? 1: part
 * delimiter, 2: close delimiter. Trailing whitespace is transport padding. */
static int
delim_match(const struct entity *e, const uint8_t *p, size_t n)
{
	size_t i;
	int r = 1;

	if (n < e->blen + 2 || memcmp(p + 2, e->boundary, e->blen) != 0)
		return 0;
	i = e->blen + 2;
	if (n - i >= 2 && p[i] == '-' && p[i + 1] == '-') {
		r = 2;
		i += 2;
	}
	for (; i < n; i++)
		if (p[i] != ' ' && p[i] != '\t')
			return 0;
	return r;
}

/* Keeps a line's ending aside (1: LF, 2: CRLF): it belongs to the part only
 * if another line of the part follows (RFC 2046 5.1.1: the CRLF before a
 * delimiter is the delimiter's). */
static void
entity_hold_eol(struct entity *e, int eol)
{
	e->neol = eol;
	memcpy(e->eol, &"\r\n"[eol == 1], (size_t)eol);
}

/* Feeds a line (or piece) to the raw hash of message/rfc822 entities
 * below stack index lim (exclusive). */
static void
raw_feed(struct mime *m, size_t lim, const uint8_t *p, size_t n, int eol,
    int bol)
{
	size_t i;
	struct entity *e;

	for (i = 0; i < lim && i < m->depth; i++) {
		e = &m->stack[i];
		if (e->kind != EK_MESSAGE)
			continue;
		if (bol && e->neol) {
			hash_update(e->hash, e->eol, (size_t)e->neol);
			e->decoded += (uint64_t)e->neol;
		}
		hash_update(e->hash, p, n);
		e->decoded += n;
		entity_hold_eol(e, eol);
	}
}

static void
delimiter(struct mime *m, size_t level, int kind)
{
	struct entity *mp, *c;

	while (m->depth > level + 1) {
		struct entity *t = &m->stack[m->depth - 1];

		if (t->kind == EK_MULTIPART && t->state != ES_EPILOGUE)
			flag(m, ANOMALY_mime_unterminated_multipart);
		if (t->kind == EK_LEAF && t->dec.enc == DECODE_BASE64 &&
		    t->dec.nacc != 0 && !t->dec.pad)
			flag(m, ANOMALY_mime_boundary_in_base64);
		ent_close(m, 1);
	}
	mp = &m->stack[level];
	mp->delims++;
	if (kind == 2) {
		mp->state = ES_EPILOGUE;
		return;
	}
	if (mp->state == ES_EPILOGUE)
		return;		/* a delimiter after the close one: ignored */
	if (m->nparts >= m->lim->max_parts) {
		if (!m->part_limit_hit)
			flag(m, ANOMALY_mime_part_limit);
		m->part_limit_hit = 1;
		mp->state = ES_PREAMBLE;	/* skip this part */
		return;
	}
	mp->state = ES_BODY;
	if ((c = ent_push(m, 0)) == NULL)
		return;
	mp = &m->stack[level];
	c->child_of_mp = 1;
	c->in_digest = mp->obj != NULL && strcmp(json_object_get_string(
	    json_object_object_get(mp->obj, "content_type")),
	    "multipart/digest") == 0;
	json_object_array_add(mp->parts, c->obj);
}

/* One line or piece of a line: p..n without its line end (eol bytes). */
static void
ent_line(struct mime *m, const uint8_t *p, size_t n, int eol, int bol)
{
	struct entity *e;
	size_t i;
	int k;

	if (m->depth == 0)
		return;		/* after the root closed: nothing to do */
	if (bol && n >= 2 && p[0] == '-' && p[1] == '-') {
		for (i = m->depth; i-- > 0;) {
			e = &m->stack[i];
			if (e->kind != EK_MULTIPART)
				continue;
			if ((k = delim_match(e, p, n)) != 0) {
				raw_feed(m, i, p, n, eol, bol);
				delimiter(m, i, k);
				return;
			}
		}
	}
	raw_feed(m, m->depth, p, n, eol, bol);
	e = &m->stack[m->depth - 1];
	switch (e->state) {
	case ES_HEADERS:
		if (bol && n == 0 && eol) {
			ent_headers_done(m);
			return;
		}
		if (headers_line(&e->hdr, p, n, bol) == 0)
			return;
		/* not a header line: the body started without a blank line */
		flag(m, m->depth > 1 ? ANOMALY_mime_no_blank_line :
		    ANOMALY_header_without_colon);
		ent_headers_done(m);
		e = &m->stack[m->depth - 1];
		if (e->kind == EK_MULTIPART || e->kind == EK_MESSAGE) {
			ent_line(m, p, n, eol, bol);
			return;
		}
		/* FALLTHROUGH */
	case ES_BODY:
		if (e->kind != EK_LEAF)
			return;
		if (bol && e->neol)
			leaf_bytes(m, e, e->eol, (size_t)e->neol);
		leaf_bytes(m, e, p, n);
		entity_hold_eol(e, eol);
		return;
	case ES_PREAMBLE:
	case ES_EPILOGUE:
		return;		/* RFC 2046 5.1.1: ignored */
	}
}

/* ---- the line splitter ---- */

static void
line_flush(struct mime *m, int eol)
{
	ent_line(m, m->line, m->llen, eol, m->bol);
	m->llen = 0;
	m->bol = eol != 0;
}

/* The first line start in p[1..n) that begins with "--": only such lines
 * can be delimiters. Base64 has no '-', so this runs at memchr speed. */
static const uint8_t *
find_dash_line(const uint8_t *p, size_t n)
{
	const uint8_t *q = p + 1, *e = p + n;

	while (q < e && (q = memchr(q, '-', (size_t)(e - q))) != NULL) {
		if (q[-1] == '\n' && q + 1 < e && q[1] == '-')
			return q;
		q++;
	}
	return NULL;
}

/* Complete lines p[0..r) (r > 0, p[r - 1] is LF), the first at a line
 * start, none beginning with "--", while the top entity is past its
 * headers: what ent_line does line by line, at once. Line by line, each
 * line's end is held back and passed on at the next line's start; so the
 * whole run but its last line end passes on, and that end is held. */
static void
bulk_lines(struct mime *m, const uint8_t *p, size_t r)
{
	struct entity *e;
	int eol = r >= 2 && p[r - 2] == '\r' ? 2 : 1;
	size_t n = r - (size_t)eol;

	raw_feed(m, m->depth, p, n, eol, 1);
	e = &m->stack[m->depth - 1];
	if (e->state != ES_BODY || e->kind != EK_LEAF)
		return;
	if (e->neol)
		leaf_bytes(m, e, e->eol, (size_t)e->neol);
	leaf_bytes(m, e, p, n);
	entity_hold_eol(e, eol);
}

void
mime_feed(struct mime *m, const uint8_t *p, size_t n)
{
	const uint8_t *lf;
	size_t k, take;

	while (n > 0 && !m->closed) {
		if (m->llen == 0 && m->bol && m->depth > 0 &&
		    m->stack[m->depth - 1].state != ES_HEADERS &&
		    p[0] != '-') {
			/* body lines: up to the next "--" line at once */
			lf = find_dash_line(p, n);
			k = lf != NULL ? (size_t)(lf - p) : n;
			if ((lf = memrchr(p, '\n', k)) != NULL) {
				k = (size_t)(lf - p) + 1;
				bulk_lines(m, p, k);
				p += k;
				n -= k;
				continue;
			}
		}
		lf = memchr(p, '\n', n);
		k = lf != NULL ? (size_t)(lf - p) : n;
		if (lf != NULL && m->llen == 0) {
			/* a whole line in the input: no copy */
			int cr = k > 0 && p[k - 1] == '\r';

			ent_line(m, p, k - (size_t)cr, 1 + cr, m->bol);
			m->bol = 1;
			p += k + 1;
			n -= k + 1;
			continue;
		}
		take = k < MIME_LINE - m->llen ? k : MIME_LINE - m->llen;
		memcpy(m->line + m->llen, p, take);
		m->llen += take;
		p += take;
		n -= take;
		if (take == k && lf != NULL) {
			int cr = m->llen > 0 && m->line[m->llen - 1] == '\r';

			m->llen -= (size_t)cr;
			line_flush(m, 1 + cr);
			p++;
			n--;
		} else if (m->llen == MIME_LINE) {
			/* a long line: pass it on in pieces, keeping a
			 * trailing CR back so CRLF is seen whole */
			int cr = m->line[MIME_LINE - 1] == '\r';

			m->llen -= (size_t)cr;
			line_flush(m, 0);
			if (cr) {
				m->line[0] = '\r';
				m->llen = 1;
			}
		}
	}
}

struct mime *
mime_open(const struct limits *lim, struct anomalies *an,
    const struct mime_hooks *hooks)
{
	struct mime *m;

	if ((m = calloc(1, sizeof(*m))) == NULL)
		return NULL;
	m->lim = lim;
	m->an = an;
	if (hooks != NULL)
		m->hooks = *hooks;
	m->bol = 1;
	if (ent_push(m, 1) == NULL) {
		free(m);
		return NULL;
	}
	return m;
}

json_object *
mime_close(struct mime *m, json_object **headers, unsigned *attachments)
{
	json_object *r;

	if (m->llen > 0 || !m->bol)
		line_flush(m, 0);
	while (m->depth > 0)
		ent_close(m, 0);
	m->closed = 1;
	r = m->root;
	m->root = NULL;
	if (headers != NULL)
		*headers = m->top_headers;
	else
		json_object_put(m->top_headers);
	m->top_headers = NULL;
	if (attachments != NULL)
		*attachments = m->attachments;
	mime_free(m);
	return r;
}

void
mime_free(struct mime *m)
{
	size_t i;
	struct entity *e;

	if (m == NULL)
		return;
	for (i = m->depth; i-- > 0;) {
		e = &m->stack[i];
		if (e->ext != NULL && m->hooks.part_close != NULL)
			m->hooks.part_close(m->hooks.arg, e->ext, NULL);
		if (e->msg != NULL && m->hooks.msg_close != NULL)
			json_object_put(m->hooks.msg_close(m->hooks.arg,
			    e->msg));
		headers_free(&e->hdr);
		hash_free(e->hash);
		mime_free(e->sub);
		free(e->sublim);
		free(e->ctype_val);
		free(e->cd_val);
		free(e->cte_val);
	}
	/* every entity's obj hangs from the root (stack[0]) */
	if (m->depth > 0)
		json_object_put(m->stack[0].obj);
	json_object_put(m->root);
	json_object_put(m->top_headers);
	free(m->stack);
	free(m);
}
