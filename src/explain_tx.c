/* explain_tx.c: --explain notes on one finished transaction, read from
 * its smtp.transaction event object: the outcome, envelope against
 * headers, the Received hops oldest first. Reads the object, never
 * changes it; every value shown goes through explain_quote(). */
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include <json-c/json.h>

#include "explain.h"
#include "explain_buf.h"
#include "json_read.h"

#define TX_ADDRS	100	/* addresses compared per side */
#define TX_NOTES	10	/* notes of one kind */
#define TX_HOPS		32	/* Received hops read out */

typedef void tx_emit_fn(void *, const char *);

struct tx_out {
	enum explain_lang	 lang;
	tx_emit_fn		*emit;
	void			*arg;
};

/* A quoted copy of s in q (NULL stays NULL). */
static const char *
tx_quote(char *q, size_t size, const char *s)
{
	if (s == NULL)
		return NULL;
	return explain_quote(q, size, (const uint8_t *)s, strlen(s));
}

static void
tx_note(const struct tx_out *o, enum explain_id id, const char *a,
    const char *b)
{
	struct explain_buf buf;
	const char *args[2] = { a, b };

	buf.n = 0;
	buf.cut = 0;
	buf.b[0] = '\0';
	explain_buf_fill(&buf, o->lang, id, args, 2);
	o->emit(o->arg, buf.b);
}

static void
tx_status(const struct tx_out *o, const struct json_object *tx)
{
	static const struct { const char *s; enum explain_id id; } t[] = {
		{ "accepted", EX_T_ACCEPTED }, { "rejected", EX_T_REJECTED },
		{ "aborted", EX_T_ABORTED }, { "incomplete", EX_T_INCOMPLETE },
	};
	const char *status = json_read_str(tx, "status");
	struct json_object *d = json_read_get(tx, "trans_depth");
	char depth[24];
	size_t i;

	snprintf(depth, sizeof(depth), "%lld", d != NULL ?
	    (long long)json_object_get_int64(d) : 0LL);
	for (i = 0; status != NULL && i < sizeof(t) / sizeof(*t); i++)
		if (strcmp(status, t[i].s) == 0)
			tx_note(o, t[i].id, depth, NULL);
}

/* The reply accepted the path, or was not seen: a real recipient. */
static int
tx_rcpt_taken(const struct json_object *rcpt)
{
	struct json_object *code = json_read_get(json_read_get(rcpt, "reply"),
	    "code");

	return code == NULL || json_object_get_int(code) / 100 == 2;
}

/* Is addr among the addresses of the header lists (to, cc)? */
static int
tx_in_headers(const struct json_object *hdrs, const char *addr)
{
	static const char *const lists[] = { "to", "cc", "bcc" };
	struct json_object *a;
	size_t i, j, n;
	const char *h;

	for (i = 0; i < sizeof(lists) / sizeof(*lists); i++) {
		a = json_read_get(hdrs, lists[i]);
		n = json_read_len(a);
		for (j = 0; j < n && j < TX_ADDRS; j++) {
			h = json_read_str(json_object_array_get_idx(a, j),
			    "address");
			if (h != NULL && strcasecmp(h, addr) == 0)
				return 1;
		}
	}
	return 0;
}

static int
tx_in_envelope(const struct json_object *rcpts, const char *addr)
{
	size_t j, n = json_read_len(rcpts);
	const char *r;

	for (j = 0; j < n && j < TX_ADDRS; j++) {
		r = json_read_str(json_object_array_get_idx(rcpts, j),
		    "address");
		if (r != NULL && strcasecmp(r, addr) == 0)
			return 1;
	}
	return 0;
}

/* Envelope recipients the headers do not name, and the other way. */
static void
tx_recipients(const struct tx_out *o, const struct json_object *tx,
    const struct json_object *hdrs)
{
	static const char *const lists[] = { "to", "cc" };
	struct json_object *rcpts = json_read_get(tx, "rcpt_to"), *r, *a;
	char q[EXPLAIN_QUOTE_MAX + 4];
	size_t i, j, n = json_read_len(rcpts);
	const char *addr;
	int shown = 0;

	for (i = 0; i < n && i < TX_ADDRS && shown < TX_NOTES; i++) {
		r = json_object_array_get_idx(rcpts, i);
		addr = json_read_str(r, "address");
		if (addr != NULL && tx_rcpt_taken(r) &&
		    !tx_in_headers(hdrs, addr)) {
			tx_note(o, EX_T_ENV_ONLY, tx_quote(q, sizeof(q), addr),
			    NULL);
			shown++;
		}
	}
	for (i = 0, shown = 0; i < 2; i++) {
		a = json_read_get(hdrs, lists[i]);
		for (j = 0; j < json_read_len(a) && j < TX_ADDRS &&
		    shown < TX_NOTES; j++) {
			addr = json_read_str(json_object_array_get_idx(a, j),
			    "address");
			if (addr != NULL && !tx_in_envelope(rcpts, addr)) {
				tx_note(o, EX_T_HDR_ONLY, tx_quote(q,
				    sizeof(q), addr), NULL);
				shown++;
			}
		}
	}
}

static const char *
tx_domain(const char *addr)
{
	const char *at = addr != NULL ? strrchr(addr, '@') : NULL;

	return at != NULL && at[1] != '\0' ? at + 1 : NULL;
}

static void
tx_sender(const struct tx_out *o, const struct json_object *tx,
    const struct json_object *hdrs)
{
	struct json_object *from = json_read_get(hdrs, "from");
	const char *env, *hdr;
	char q1[EXPLAIN_QUOTE_MAX + 4], q2[EXPLAIN_QUOTE_MAX + 4];

	if (json_read_len(from) == 0) {
		tx_note(o, EX_T_NO_FROM, NULL, NULL);
		return;
	}
	env = tx_domain(json_read_str(json_read_get(tx, "mail_from"),
	    "address"));
	hdr = tx_domain(json_read_str(json_object_array_get_idx(from, 0),
	    "address"));
	if (env != NULL && hdr != NULL && strcasecmp(env, hdr) != 0)
		tx_note(o, EX_T_FROM_DOMAIN, tx_quote(q1, sizeof(q1), env),
		    tx_quote(q2, sizeof(q2), hdr));
	if (json_read_len(json_read_get(hdrs, "bcc")) > 0)
		tx_note(o, EX_T_BCC_HEADER, NULL, NULL);
}

/* "helo (rdns [ip])" of a hop's from clause, or NULL. */
static const char *
tx_hop_from(char *dst, size_t size, const struct json_object *from)
{
	char h[EXPLAIN_QUOTE_MAX + 4], r[EXPLAIN_QUOTE_MAX + 4],
	    i[EXPLAIN_QUOTE_MAX + 4];
	const char *helo = tx_quote(h, sizeof(h), json_read_str(from, "helo"));
	const char *rdns = tx_quote(r, sizeof(r), json_read_str(from, "rdns"));
	const char *ip = tx_quote(i, sizeof(i), json_read_str(from, "ip"));

	if (helo == NULL && rdns == NULL && ip == NULL)
		return NULL;
	snprintf(dst, size, "%s%s%s%s%s%s%s", helo != NULL ? helo :
	    rdns != NULL ? rdns : ip,
	    rdns != NULL || ip != NULL ? " (" : "",
	    rdns != NULL && helo != NULL ? rdns : "",
	    rdns != NULL && helo != NULL && ip != NULL ? " " : "",
	    ip != NULL && (helo != NULL || rdns != NULL) ? "[" : "",
	    ip != NULL && (helo != NULL || rdns != NULL) ? ip : "",
	    ip != NULL && (helo != NULL || rdns != NULL) ? "])" :
	    rdns != NULL || ip != NULL ? ")" : "");
	/* helo missing: rdns or ip was shown first, drop the empty "()" */
	if (helo == NULL) {
		char *p = strstr(dst, " ()");

		if (p != NULL)
			*p = '\0';
	}
	return dst;
}

static void
tx_hop(const struct tx_out *o, const struct json_object *hop, size_t num)
{
	struct explain_buf buf;
	char n[24], from[3 * (EXPLAIN_QUOTE_MAX + 4) + 16],
	    q[EXPLAIN_QUOTE_MAX + 4];
	const char *args[3], *by = json_read_str(hop, "by"), *f;
	static const struct { const char *key; enum explain_id id; } tail[] = {
		{ "with", EX_T_HOP_WITH }, { "date", EX_T_HOP_ON },
		{ "for", EX_T_HOP_FOR },
	};
	size_t i;

	snprintf(n, sizeof(n), "%zu", num);
	f = tx_hop_from(from, sizeof(from), json_read_get(hop, "from"));
	buf.n = 0;
	buf.cut = 0;
	buf.b[0] = '\0';
	args[0] = n;
	if (f == NULL && by == NULL) {
		explain_buf_fill(&buf, o->lang, EX_T_HOP_RAW, args, 1);
		o->emit(o->arg, buf.b);
		return;
	}
	args[1] = f != NULL ? f : explain_text(o->lang, EX_T_HOP_NONAME);
	args[2] = by != NULL ? tx_quote(q, sizeof(q), by) :
	    explain_text(o->lang, EX_T_HOP_NONAME);
	explain_buf_fill(&buf, o->lang, EX_T_HOP, args, 3);
	for (i = 0; i < sizeof(tail) / sizeof(*tail); i++) {
		if ((args[0] = tx_quote(q, sizeof(q), json_read_str(hop,
		    tail[i].key))) != NULL)
			explain_buf_fill(&buf, o->lang, tail[i].id, args, 1);
	}
	o->emit(o->arg, buf.b);
}

/* message.received is newest first; a hop is read oldest first. */
static void
tx_received(const struct tx_out *o, const struct json_object *msg)
{
	struct json_object *rcv = json_read_get(msg, "received");
	size_t n = json_read_len(rcv), i, k;
	char num[24];

	if (n == 0) {
		tx_note(o, EX_T_NO_RECEIVED, NULL, NULL);
		return;
	}
	snprintf(num, sizeof(num), "%zu", n);
	tx_note(o, EX_T_RECEIVED_N, num, NULL);
	for (k = 0; k < n && k < TX_HOPS; k++) {
		i = n - 1 - k;
		tx_hop(o, json_object_array_get_idx(rcv, i), k + 1);
	}
}

void
explain_transaction(enum explain_lang lang, const struct json_object *tx,
    void (*emit)(void *arg, const char *note), void *arg)
{
	struct tx_out o = { lang, emit, arg };
	struct json_object *msg, *hdrs;

	if (tx == NULL || emit == NULL ||
	    !json_object_is_type(tx, json_type_object))
		return;
	tx_status(&o, tx);
	if (json_read_get(json_read_get(tx, "mail_from"), "null_path") != NULL)
		tx_note(&o, EX_T_NULL_PATH, NULL, NULL);
	msg = json_read_get(tx, "message");
	if (msg == NULL || !json_object_is_type(msg, json_type_object))
		return;
	hdrs = json_read_get(msg, "headers");
	tx_recipients(&o, tx, hdrs);
	tx_sender(&o, tx, hdrs);
	tx_received(&o, msg);
}
