/* smtp.c: the SMTP dissector: one state enum for the client's bytes, a verb
 * table, a FIFO pairing pipelined commands with replies (RFC 2920), and the
 * DATA/BDAT/AUTH/STARTTLS transitions. It never prints or writes JSON itself:
 * everything leaves through output.h, message bytes through message.h. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <json-c/json.h>

#include "anomaly.h"
#include "config.h"
#include "dotstuff.h"
#include "escape.h"
#include "flow.h"
#include "linebuf.h"
#include "message.h"
#include "output.h"
#include "pending.h"
#include "smtp.h"
#include "smtp_event.h"
#include "stats.h"

/* Client bytes held while waiting for the reply that says what they are. */
#define SMTP_HOLD_MAX	65536
/* A BDAT size beyond this is hostile, not a message (RFC 3030 has none). */
#define SMTP_BDAT_MAX	((uint64_t)1 << 40)

enum smtp_verb {
	V_GREETING,	/* pseudo: the banner answers the connection */
	V_HELO, V_EHLO, V_MAIL, V_RCPT, V_DATA, V_BDAT, V_RSET, V_VRFY,
	V_EXPN, V_HELP, V_NOOP, V_QUIT, V_TURN, V_ETRN, V_ATRN, V_SEND,
	V_SOML, V_SAML, V_AUTH, V_STARTTLS,
	V_UNKNOWN,
	V_DATA_END,	/* pseudo: the "." awaiting its reply */
	V_AUTH_RESP,	/* pseudo: a SASL response awaiting its reply */
};

struct smtp_session;
typedef void smtp_command_fn(struct smtp_session *, enum smtp_verb,
    const uint8_t *, size_t);

static smtp_command_fn smtp_cmd_plain, smtp_cmd_helo, smtp_cmd_mail,
    smtp_cmd_rcpt, smtp_cmd_data, smtp_cmd_bdat, smtp_cmd_rset, smtp_cmd_quit,
    smtp_cmd_auth, smtp_cmd_starttls;

/* RFC 5321 4.3.2 (and 3207, 3030, 4954): replies each command may get;
 * 421, 500-503 and 530 may answer anything. 0 ends a list. */
static const struct smtp_verb_def {
	const char	*name;
	enum smtp_verb	 verb;
	smtp_command_fn	*fn;
	int		 codes[16];
} smtp_verbs[] = {
	{ "<greeting>", V_GREETING, NULL, { 220, 554 } },
	{ "HELO", V_HELO, smtp_cmd_helo, { 250, 504, 550 } },
	{ "EHLO", V_EHLO, smtp_cmd_helo, { 250, 504, 550 } },
	{ "MAIL", V_MAIL, smtp_cmd_mail,
	    { 250, 451, 452, 455, 550, 552, 553, 555 } },
	{ "RCPT", V_RCPT, smtp_cmd_rcpt,
	    { 250, 251, 252, 450, 451, 452, 455, 550, 551, 552, 553, 554,
	    555 } },
	{ "DATA", V_DATA, smtp_cmd_data, { 354, 451, 452, 550, 552, 554 } },
	{ "BDAT", V_BDAT, smtp_cmd_bdat,
	    { 250, 450, 451, 452, 550, 552, 553, 554 } },
	{ "RSET", V_RSET, smtp_cmd_rset, { 250 } },
	{ "VRFY", V_VRFY, smtp_cmd_plain,
	    { 250, 251, 252, 504, 550, 551, 553 } },
	{ "EXPN", V_EXPN, smtp_cmd_plain, { 250, 252, 504, 550 } },
	{ "HELP", V_HELP, smtp_cmd_plain, { 211, 214, 504 } },
	{ "NOOP", V_NOOP, smtp_cmd_plain, { 250 } },
	{ "QUIT", V_QUIT, smtp_cmd_quit, { 221 } },
	{ "TURN", V_TURN, smtp_cmd_plain, { 250, 450, 502 } },
	{ "ETRN", V_ETRN, smtp_cmd_plain,
	    { 250, 251, 252, 253, 458, 459, 501 } },
	{ "ATRN", V_ATRN, smtp_cmd_plain, { 250, 450, 451, 453 } },
	{ "SEND", V_SEND, smtp_cmd_mail, { 250, 451, 452, 550, 552, 553 } },
	{ "SOML", V_SOML, smtp_cmd_mail, { 250, 451, 452, 550, 552, 553 } },
	{ "SAML", V_SAML, smtp_cmd_mail, { 250, 451, 452, 550, 552, 553 } },
	{ "AUTH", V_AUTH, smtp_cmd_auth,
	    { 235, 334, 432, 454, 504, 534, 535, 538 } },
	{ "STARTTLS", V_STARTTLS, smtp_cmd_starttls, { 220, 454 } },
	{ "<unknown>", V_UNKNOWN, smtp_cmd_plain, { 0 } },
	{ "<end of data>", V_DATA_END, NULL,
	    { 250, 450, 451, 452, 550, 552, 553, 554 } },
	{ "<auth response>", V_AUTH_RESP, NULL,
	    { 235, 334, 432, 454, 534, 535, 538 } },
};

_Static_assert(sizeof(smtp_verbs) / sizeof(*smtp_verbs) == V_AUTH_RESP + 1,
    "smtp_verbs[] is indexed by enum smtp_verb");

static const int smtp_any_codes[] = { 421, 500, 501, 502, 503, 530, 0 };

struct smtp_session {
	struct flow		*flow;
	struct output		*out;
	const struct config	*cfg;
	enum smtp_state		 state;
	enum smtp_verb		 wait_for;	/* in SMTP_STATE_WAIT */
	struct linebuf		 client_lb;
	struct linebuf		 server_lb;
	struct linebuf		 body_lb;	/* --body display only */
	int			 client_resync;	/* drop to next LF (gap) */
	int			 server_resync;
	struct smtp_reply_parser rp;
	struct pending		 pending;
	struct anomalies	 anomalies;
	uint8_t			*hold;
	size_t			 hold_len;
	struct dotstuff		 ds;
	uint64_t		 bdat_left;
	uint64_t		 bdat_size;
	int			 bdat_last;
	struct message		*msg;
	struct smtp_tx		*msg_tx;	/* whose message msg is */
	struct smtp_tx		*cur;		/* being built by the client */
	struct smtp_tx		*suspended;	/* cur while a nested MAIL waits */
	struct smtp_tx		*live;		/* not yet emitted, oldest first */
	unsigned		 depth;
	struct smtp_session_info info;
	int			 pipelining;	/* offered in EHLO */
	int			 chunking;
	int			 auth_blind;	/* in AUTH without its 334 */
	const struct linebuf_line *cmd;	/* the command line being handled */
	uint64_t		 client_seen;	/* bytes, gaps included */
	uint64_t		 server_seen;
	int			 quit_sent;
	int			 quit_answered;
	int			 server_gap;
	struct smtp_reply	 early;		/* end-of-data reply seen early */
	int			 have_early;
};

static void smtp_client_bytes(struct smtp_session *, const uint8_t *, size_t);

static const char *const smtp_state_names[] = {
	[SMTP_STATE_COMMAND] = "command",
	[SMTP_STATE_WAIT] = "wait",
	[SMTP_STATE_DATA] = "data",
	[SMTP_STATE_BDAT] = "bdat",
	[SMTP_STATE_AUTH] = "auth",
	[SMTP_STATE_TLS] = "tls",
	[SMTP_STATE_CLOSED] = "closed",
};

const char *
smtp_state_name(enum smtp_state st)
{
	if ((unsigned)st >= sizeof(smtp_state_names) / sizeof(*smtp_state_names))
		return "?";
	return smtp_state_names[st];
}

/* The one place the state changes: a breakpoint here traces a session. */
static void
smtp_set_state(struct smtp_session *s, enum smtp_state st)
{
	s->state = st;
}

static void
smtp_anomaly(struct smtp_session *s, enum anomaly a)
{
	anomaly_add(&s->anomalies, a);
}

static const struct smtp_verb_def *
smtp_verb_def(enum smtp_verb v)
{
	return &smtp_verbs[v];
}

static enum smtp_verb
smtp_verb_lookup(const uint8_t *p, size_t n)
{
	for (size_t i = 0; i < sizeof(smtp_verbs) / sizeof(*smtp_verbs);
	    i++) {
		const char *name = smtp_verbs[i].name;

		if (name[0] != '<' && strlen(name) == n &&
		    strncasecmp(name, (const char *)p, n) == 0)
			return smtp_verbs[i].verb;
	}
	return V_UNKNOWN;
}

/* Replaces a kept reply: every reply slot here starts zeroed (calloc). */
static void
smtp_reply_set(struct smtp_reply *dst, const struct smtp_reply *src)
{
	smtp_reply_free(dst);
	smtp_reply_copy(dst, src);
}

/* ---- transactions ----
 *
 * Ownership: a transaction belongs to the session's live list from
 * smtp_tx_open() until smtp_tx_emit() writes and frees it; emit is the only
 * place one is freed. Every alias that outlives the call holding it is
 * counted in tx->refs: each pending reply (smtp_push) and the open message
 * (smtp_message_start, s->msg_tx). s->cur and s->suspended, the envelope
 * the client is building, end through smtp_tx_end(). A transaction is
 * emitted once it is over and nothing refers to it; emit clears every
 * alias, so no pointer to a freed transaction is left in the session. */

static void smtp_tx_emit(struct smtp_session *, struct smtp_tx *);

/* Closes the analyser's message into its transaction; drops no claim. */
static struct smtp_tx *
smtp_message_close(struct smtp_session *s)
{
	struct smtp_tx *tx = s->msg_tx;
	struct json_object *m;

	if (tx == NULL)
		return NULL;
	m = message_close(s->msg, tx->data_complete);
	s->msg = NULL;
	s->msg_tx = NULL;
	stats.messages++;
	if (tx->message != NULL)
		json_object_put(tx->message);
	tx->message = m;
	if (m != NULL)
		output_message(s->out, s->flow, m);
	if (tx->refs > 0)
		tx->refs--;
	return tx;
}

static int
smtp_tx_done(const struct smtp_session *s, const struct smtp_tx *tx)
{
	return tx->refs == 0 && tx->end != SMTP_TX_OPEN && tx != s->cur &&
	    tx != s->suspended;
}

static void
smtp_tx_emit(struct smtp_session *s, struct smtp_tx *tx)
{
	struct smtp_tx **pp;

	for (pp = &s->live; *pp != NULL; pp = &(*pp)->next)
		if (*pp == tx) {
			*pp = tx->next;
			break;
		}
	if (s->cur == tx)
		s->cur = NULL;
	if (s->suspended == tx)
		s->suspended = NULL;
	if (s->msg_tx == tx)
		smtp_message_close(s);
	if (tx->discard) {
		smtp_event_tx_free(tx);
		return;
	}
	s->info.transactions++;
	stats.transactions++;
	output_event(s->out, s->flow, "smtp.transaction",
	    smtp_event_transaction(tx));
	smtp_event_tx_free(tx);
}

/* Drops one claim on tx (a reply came); emits it if that was the last. */
static void
smtp_tx_release(struct smtp_session *s, struct smtp_tx *tx)
{
	if (tx == NULL)
		return;
	if (tx->refs > 0)
		tx->refs--;
	if (smtp_tx_done(s, tx))
		smtp_tx_emit(s, tx);
}

/* Ends the message in progress (complete as its tx says): the analyser's
 * object goes to its tx, and the message's claim on it is dropped, which
 * may emit (free) the tx: callers must not use it afterwards. */
static void
smtp_message_end(struct smtp_session *s)
{
	struct smtp_tx *tx = smtp_message_close(s);

	if (tx != NULL && smtp_tx_done(s, tx))
		smtp_tx_emit(s, tx);
}

static void
smtp_message_start(struct smtp_session *s, struct smtp_tx *tx)
{
	char tag[48];

	if (s->msg_tx == tx)
		return;
	smtp_message_end(s);
	snprintf(tag, sizeof(tag), "s%llu-t%u",
	    (unsigned long long)s->flow->id, tx->depth);
	s->msg = message_open(s->cfg, &s->anomalies, tag);
	s->msg_tx = tx;
	tx->refs++;
}

static void
smtp_message_feed(struct smtp_session *s, const uint8_t *p, size_t n)
{
	int ready;
	struct linebuf_line line;

	if (s->msg != NULL && n > 0)
		message_feed(s->msg, p, n);
	if (s->msg_tx != NULL)
		s->msg_tx->bytes += n;
	if (!s->cfg->show_body)
		return;
	while (n > 0) {
		size_t k = linebuf_take(&s->body_lb, p, n, &line, &ready);

		p += k;
		n -= k;
		if (ready)
			output_line(s->out, s->flow, OUTPUT_CLIENT, line.p,
			    line.n, (line.flags & LINEBUF_CUT) != 0);
	}
}

static void
smtp_body_flush(struct smtp_session *s)
{
	struct linebuf_line line;

	if (s->cfg->show_body && linebuf_flush(&s->body_lb, &line))
		output_line(s->out, s->flow, OUTPUT_CLIENT, line.p, line.n,
		    (line.flags & LINEBUF_CUT) != 0);
}

/* The client is done with tx (why); it is emitted once no reply is due.
 * tx may be freed on return. */
static void
smtp_tx_end(struct smtp_session *s, struct smtp_tx *tx, enum smtp_tx_end why)
{
	if (tx == NULL)
		return;
	if (tx->end == SMTP_TX_OPEN)
		tx->end = why;
	if (s->cur == tx)
		s->cur = NULL;
	if (s->suspended == tx)
		s->suspended = NULL;
	if (s->msg_tx == tx) {
		smtp_body_flush(s);
		smtp_message_end(s);
	} else if (smtp_tx_done(s, tx))
		smtp_tx_emit(s, tx);
}

static struct smtp_tx *
smtp_tx_open(struct smtp_session *s)
{
	struct smtp_tx *tx = smtp_event_tx_new(++s->depth,
	    s->info.helo_argument), **pp;

	if (tx == NULL)
		return NULL;
	for (pp = &s->live; *pp != NULL; pp = &(*pp)->next)
		;
	*pp = tx;
	s->cur = tx;
	return tx;
}

static void
smtp_push(struct smtp_session *s, enum smtp_verb v, struct smtp_tx *tx,
    uint64_t arg)
{
	struct pending_item it = { (int)v, tx, arg };

	if (pending_push(&s->pending, &it) != 0) {
		smtp_anomaly(s, ANOMALY_too_many_pending);
		return;
	}
	if (tx != NULL)
		tx->refs++;
}

/* ---- holding client bytes until a reply decides ---- */

static void
smtp_hold(struct smtp_session *s, const uint8_t *p, size_t n)
{
	uint8_t *h;

	if (n == 0)
		return;
	h = realloc(s->hold, s->hold_len + n);
	if (h == NULL)
		return;
	memcpy(h + s->hold_len, p, n);
	s->hold = h;
	s->hold_len += n;
}

/* Processes the held bytes in the state just set. */
static void
smtp_hold_release(struct smtp_session *s)
{
	uint8_t *h = s->hold;
	size_t n = s->hold_len;

	s->hold = NULL;
	s->hold_len = 0;
	if (n > 0)
		smtp_client_bytes(s, h, n);
	free(h);
}

static void smtp_data_begin(struct smtp_session *, struct smtp_tx *);

/* No reply came in time (held too much, or the stream ended): decide as
 * the command asked, the way a compliant server would answer. */
static void
smtp_hold_optimistic(struct smtp_session *s)
{
	switch (s->wait_for) {
	case V_DATA:
		smtp_data_begin(s, s->cur);
		break;
	case V_STARTTLS:
		smtp_set_state(s, SMTP_STATE_TLS);
		s->info.starttls = 1;
		break;
	case V_AUTH:
	case V_AUTH_RESP:
		smtp_set_state(s, SMTP_STATE_AUTH);
		s->auth_blind = 1;
		break;
	default:
		smtp_set_state(s, SMTP_STATE_COMMAND);
		break;
	}
}

static void
smtp_wait(struct smtp_session *s, enum smtp_verb v)
{
	s->wait_for = v;
	smtp_set_state(s, SMTP_STATE_WAIT);
}

/* ---- commands ---- */

static void
smtp_cmd_plain(struct smtp_session *s, enum smtp_verb v, const uint8_t *arg,
    size_t n)
{
	(void)arg;
	(void)n;
	if (v == V_UNKNOWN)
		smtp_anomaly(s, ANOMALY_unknown_command);
	smtp_push(s, v, NULL, 0);
}

static void
smtp_cmd_helo(struct smtp_session *s, enum smtp_verb v, const uint8_t *arg,
    size_t n)
{
	free(s->info.helo_command);
	free(s->info.helo_argument);
	s->info.helo_command = strdup(smtp_verb_def(v)->name);
	s->info.helo_argument = smtp_param_domain(arg, n);
	if (s->info.helo_argument[0] == '\0')
		smtp_anomaly(s, ANOMALY_bad_syntax);
	/* RFC 5321 4.1.4: an accepted HELO/EHLO resets the transaction;
	 * a refused one leaves it (the reply decides, see smtp_on_reply). */
	smtp_push(s, v, s->cur, 0);
}

static void
smtp_path_flags(struct smtp_session *s, unsigned flags)
{
	if (flags & SMTP_PARAM_NO_BRACKETS)
		smtp_anomaly(s, ANOMALY_missing_brackets);
	if (flags & SMTP_PARAM_BAD_PATH)
		smtp_anomaly(s, ANOMALY_bad_path);
	if (flags & SMTP_PARAM_BAD_SYNTAX)
		smtp_anomaly(s, ANOMALY_bad_syntax);
	if (flags & SMTP_PARAM_BAD_PARAM)
		smtp_anomaly(s, ANOMALY_bad_param);
}

static void
smtp_cmd_mail(struct smtp_session *s, enum smtp_verb v, const uint8_t *arg,
    size_t n)
{
	struct smtp_tx *tx;

	if (s->cur != NULL) {
		/* Nested MAIL: the server refuses it (503) or resets. Keep
		 * the first until its reply says which. */
		if (s->suspended != NULL)
			smtp_tx_end(s, s->suspended, SMTP_TX_NEW_MAIL);
		s->suspended = s->cur;
		s->cur = NULL;
	}
	if ((tx = smtp_tx_open(s)) == NULL)
		return;
	tx->have_mail = 1;
	tx->mail_command = smtp_verb_def(v)->name;
	tx->mail_argument = escape_utf8_dup(arg, n, NULL);
	smtp_param_path(arg, n, "FROM:", &tx->mail);
	smtp_path_flags(s, tx->mail.flags);
	smtp_push(s, v, tx, 0);
}

static void
smtp_cmd_rcpt(struct smtp_session *s, enum smtp_verb v, const uint8_t *arg,
    size_t n)
{
	struct smtp_tx *tx = s->cur;
	struct smtp_rcpt *r;
	struct smtp_path path;

	smtp_param_path(arg, n, "TO:", &path);
	smtp_path_flags(s, path.flags);
	if (tx == NULL) {
		/* RCPT before MAIL: the server will refuse it (503). */
		smtp_anomaly(s, ANOMALY_bad_sequence);
		tx = smtp_tx_open(s);
		if (tx == NULL) {
			smtp_param_path_free(&path);
			return;
		}
	}
	if (tx->nrcpts >= s->cfg->limits.max_rcpts ||
	    (r = realloc(tx->rcpts, (tx->nrcpts + 1) * sizeof(*r))) == NULL) {
		smtp_anomaly(s, ANOMALY_too_many_rcpts);
		tx->rcpts_dropped++;
		smtp_param_path_free(&path);
		smtp_push(s, v, tx, UINT64_MAX);
		return;
	}
	tx->rcpts = r;
	memset(&r[tx->nrcpts], 0, sizeof(*r));
	r[tx->nrcpts].path = path;
	smtp_push(s, v, tx, tx->nrcpts);
	tx->nrcpts++;
}

static void
smtp_cmd_data(struct smtp_session *s, enum smtp_verb v, const uint8_t *arg,
    size_t n)
{
	if (n > 0)
		smtp_anomaly(s, ANOMALY_bad_syntax);
	(void)arg;
	if (s->cur == NULL)
		smtp_anomaly(s, ANOMALY_bad_sequence);
	else if (s->cur->nrcpts == 0)
		smtp_anomaly(s, ANOMALY_data_without_recipient);
	smtp_push(s, v, s->cur, 0);
	smtp_wait(s, v);
}

/* "BDAT" SP chunk-size [ SP "LAST" ] (RFC 3030 2). */
static int
smtp_bdat_parse(const uint8_t *p, size_t n, uint64_t *size, int *last)
{
	size_t i = 0;
	uint64_t v = 0;

	while (i < n && p[i] == ' ')
		i++;
	if (i == n || p[i] < '0' || p[i] > '9')
		return -1;
	for (; i < n && p[i] >= '0' && p[i] <= '9'; i++) {
		if (v > (UINT64_MAX - 9) / 10)
			return -1;	/* never trust a size: no overflow */
		v = v * 10 + (uint64_t)(p[i] - '0');
	}
	*size = v;
	while (i < n && p[i] == ' ')
		i++;
	*last = 0;
	if (n - i == 4 && strncasecmp((const char *)p + i, "LAST", 4) == 0) {
		*last = 1;
		i = n;
	}
	return i == n && v <= SMTP_BDAT_MAX ? 0 : -1;
}

static void
smtp_bdat_done(struct smtp_session *s)
{
	char num[32];
	struct smtp_tx *tx = s->msg_tx;

	output_note(s->out, s->flow, OUTPUT_CLIENT, "<chunk: %s bytes>",
	    output_group_digits(s->bdat_size, num, sizeof(num)));
	smtp_set_state(s, SMTP_STATE_COMMAND);
	if (!s->bdat_last || tx == NULL)
		return;
	/* Complete only if no byte of it was lost. */
	tx->data_complete = !tx->gap;
	smtp_tx_end(s, tx, SMTP_TX_DATA_DONE);
}

static void
smtp_cmd_bdat(struct smtp_session *s, enum smtp_verb v, const uint8_t *arg,
    size_t n)
{
	struct smtp_tx *tx = s->cur;
	uint64_t size;
	int last;

	if (smtp_bdat_parse(arg, n, &size, &last) != 0) {
		/* No framing we can trust: stay on lines, resync there. */
		smtp_anomaly(s, ANOMALY_bdat_bad_size);
		smtp_push(s, v, tx, 0);
		return;
	}
	if (!s->chunking)
		smtp_anomaly(s, ANOMALY_bdat_without_chunking);
	if (tx == NULL) {
		smtp_anomaly(s, ANOMALY_bad_sequence);
		if ((tx = smtp_tx_open(s)) == NULL)
			return;
	}
	tx->data_command = "BDAT";
	tx->chunks++;
	smtp_message_start(s, tx);
	smtp_push(s, v, tx, (uint64_t)last);
	s->bdat_left = s->bdat_size = size;
	s->bdat_last = last;
	smtp_set_state(s, SMTP_STATE_BDAT);
	if (size == 0)
		smtp_bdat_done(s);
}

static void
smtp_cmd_rset(struct smtp_session *s, enum smtp_verb v, const uint8_t *arg,
    size_t n)
{
	(void)arg;
	(void)n;
	smtp_tx_end(s, s->suspended, SMTP_TX_RSET);
	smtp_tx_end(s, s->cur, SMTP_TX_RSET);
	smtp_push(s, v, NULL, 0);
}

static void
smtp_cmd_quit(struct smtp_session *s, enum smtp_verb v, const uint8_t *arg,
    size_t n)
{
	(void)arg;
	(void)n;
	smtp_push(s, v, NULL, 0);
	/* A QUIT the stream cut before its CRLF never reached the server as
	 * a command: only a 221 would say it did. */
	if (s->cmd->flags & LINEBUF_UNTERMINATED)
		return;
	smtp_tx_end(s, s->suspended, SMTP_TX_QUIT);
	smtp_tx_end(s, s->cur, SMTP_TX_QUIT);
	s->quit_sent = 1;
}

/* What the AUTH decoder found in the last response, initial or not. */
static void
smtp_auth_flags(struct smtp_session *s)
{
	if (s->info.auth.flags & SMTP_AUTH_BAD_BASE64)
		smtp_anomaly(s, ANOMALY_auth_bad_base64);
	if (s->info.auth.flags & SMTP_AUTH_TOO_LONG)
		smtp_anomaly(s, ANOMALY_auth_too_long);
	s->info.auth.flags = 0;
}

/* With --show-credentials the raw line went out as sent: say plainly, under
 * it, what it decodes to and that secrets are being shown. */
static void
smtp_auth_shown(struct smtp_session *s, const char *note)
{
	if (s->cfg->show_credentials && note[0] != '\0')
		output_note(s->out, s->flow, OUTPUT_CLIENT,
		    "<credentials shown (--show-credentials): %s>", note);
}

static void
smtp_cmd_auth(struct smtp_session *s, enum smtp_verb v, const uint8_t *arg,
    size_t n)
{
	char note[256];

	smtp_anomaly(s, ANOMALY_auth_in_clear);	/* we can read it */
	smtp_auth_start(&s->info.auth, arg, n, note, sizeof(note));
	smtp_auth_flags(s);
	smtp_auth_shown(s, note);
	if (note[0] != '\0' && !s->cfg->show_credentials) {
		/* The command as sent up to its mechanism, then what the
		 * initial response says instead of it (smtp_line_secret). */
		const uint8_t *line = s->cmd->p, *e = arg;
		char shown[512];
		size_t k;

		while (e < arg + n && *e == ' ')
			e++;
		while (e < arg + n && *e != ' ')
			e++;
		k = (size_t)(e - line);
		if (k > 128)
			k = 128;
		memcpy(shown, line, k);
		k += (size_t)snprintf(shown + k, sizeof(shown) - k, " <%s>",
		    note);
		if (k >= sizeof(shown))
			k = sizeof(shown) - 1;
		output_line(s->out, s->flow, OUTPUT_CLIENT, (const uint8_t *)
		    shown, k, (s->cmd->flags & LINEBUF_CUT) != 0);
	}
	smtp_push(s, v, NULL, 0);
	smtp_wait(s, v);
}

static void
smtp_cmd_starttls(struct smtp_session *s, enum smtp_verb v,
    const uint8_t *arg, size_t n)
{
	(void)arg;
	if (n > 0)
		smtp_anomaly(s, ANOMALY_bad_syntax);
	smtp_push(s, v, NULL, 0);
	smtp_wait(s, v);
}

/* Does this line hold a secret we must not show? */
static int
smtp_line_secret(const uint8_t *p, size_t n)
{
	size_t i = 0;

	while (i < n && p[i] != ' ')
		i++;
	if (i != 4 || strncasecmp((const char *)p, "AUTH", 4) != 0)
		return 0;
	while (i < n && p[i] == ' ')
		i++;
	while (i < n && p[i] != ' ')
		i++;
	return i < n;	/* an initial response follows the mechanism */
}

/* Commands and replies are ASCII, or UTF-8 with SMTPUTF8 (RFC 6531):
 * anything else is flagged, once per session (the text is escaped). */
static void
smtp_line_utf8(struct smtp_session *s, const uint8_t *p, size_t n)
{
	size_t i = 0, k;

	if (anomaly_has(&s->anomalies, ANOMALY_invalid_utf8))
		return;
	while (i < n) {
		if (p[i] < 0x80) {
			i++;
			continue;
		}
		if ((k = escape_utf8_seq(p + i, n - i)) == 0) {
			smtp_anomaly(s, ANOMALY_invalid_utf8);
			return;
		}
		i += k;
	}
}

static void
smtp_line_flags(struct smtp_session *s, unsigned flags, enum anomaly too_long)
{
	if (flags & LINEBUF_CUT)
		smtp_anomaly(s, too_long);
	if (flags & LINEBUF_BARE_LF)
		smtp_anomaly(s, ANOMALY_bare_lf);
	if (flags & LINEBUF_NUL)
		smtp_anomaly(s, ANOMALY_nul_byte);
	if (flags & LINEBUF_UNTERMINATED)
		smtp_anomaly(s, ANOMALY_unterminated_line);
}

static void
smtp_command(struct smtp_session *s, const struct linebuf_line *line)
{
	const uint8_t *p = line->p, *arg;
	size_t n = line->n, vl = 0, an;
	enum smtp_verb v;

	smtp_line_flags(s, line->flags, ANOMALY_command_too_long);
	smtp_line_utf8(s, line->p, line->n);
	if (line->flags & LINEBUF_CUT)
		stats.bytes_dropped_limits += line->wire - line->n;
	if (s->cfg->show_credentials || !smtp_line_secret(p, n)) {
		output_line(s->out, s->flow, OUTPUT_CLIENT, p, n,
		    (line->flags & LINEBUF_CUT) != 0);
	}
	while (vl < n && p[vl] != ' ')
		vl++;
	arg = p + vl;
	an = n - vl;
	if (an > 0) {
		arg++;
		an--;
	}
	v = smtp_verb_lookup(p, vl);
	s->info.commands++;
	s->cmd = line;
	if (pending_count(&s->pending) > 0 && !s->pipelining &&
	    !anomaly_has(&s->anomalies, ANOMALY_pipelining_not_offered))
		smtp_anomaly(s, ANOMALY_pipelining_not_offered);
	smtp_verb_def(v)->fn(s, v, arg, an);
	s->cmd = NULL;
}

/* A SASL response is base64 or "*" (RFC 4954 4), never "VERB arg". Used
 * only when the server's replies are missing (no 334 seen: auth_blind): a
 * known verb with an argument, or QUIT or RSET, means the exchange is over.
 * After a 334 the next line is a response, whatever it looks like ("QUIT"
 * is valid base64). */
static int
smtp_auth_is_command(const struct linebuf_line *line)
{
	size_t vl = 0;
	enum smtp_verb v;

	while (vl < line->n && line->p[vl] != ' ')
		vl++;
	v = smtp_verb_lookup(line->p, vl);
	if (v == V_UNKNOWN)
		return 0;
	return vl < line->n || v == V_QUIT || v == V_RSET || v == V_DATA ||
	    v == V_NOOP;
}

static void
smtp_auth_line(struct smtp_session *s, const struct linebuf_line *line)
{
	char note[256];

	smtp_line_flags(s, line->flags, ANOMALY_auth_too_long);
	smtp_auth_response(&s->info.auth, line->p, line->n, note,
	    sizeof(note));
	if (s->cfg->show_credentials || (line->n == 1 && line->p[0] == '*'))
		output_line(s->out, s->flow, OUTPUT_CLIENT, line->p, line->n,
		    (line->flags & LINEBUF_CUT) != 0);
	else
		output_note(s->out, s->flow, OUTPUT_CLIENT, "<%s>", note);
	smtp_auth_shown(s, note);
	smtp_auth_flags(s);
	smtp_push(s, V_AUTH_RESP, NULL, 0);
	smtp_wait(s, V_AUTH_RESP);
}

/* ---- client bytes, pull-style: the state may change at any byte ---- */

static size_t
smtp_client_lines(struct smtp_session *s, const uint8_t *p, size_t n)
{
	struct linebuf_line line;
	int ready;
	size_t k;

	if (s->client_resync) {
		const uint8_t *lf = memchr(p, '\n', n);

		if (lf == NULL)
			return n;
		s->client_resync = 0;
		return (size_t)(lf - p) + 1;
	}
	k = linebuf_take(&s->client_lb, p, n, &line, &ready);
	if (ready) {
		if (s->state == SMTP_STATE_AUTH && s->auth_blind &&
		    smtp_auth_is_command(&line))
			smtp_set_state(s, SMTP_STATE_COMMAND);
		if (s->state == SMTP_STATE_AUTH)
			smtp_auth_line(s, &line);
		else
			smtp_command(s, &line);
	}
	return k;
}

static void
smtp_data_end(struct smtp_session *s)
{
	char l[32], b[32];
	struct smtp_tx *tx = s->msg_tx;

	smtp_body_flush(s);
	if (s->ds.long_lines > 0)
		smtp_anomaly(s, ANOMALY_line_too_long);
	if (s->ds.bare_lf > 0)
		smtp_anomaly(s, ANOMALY_bare_lf);
	output_note(s->out, s->flow, OUTPUT_CLIENT,
	    "<message: %s lines, %s bytes>",
	    output_group_digits(s->ds.lines, l, sizeof(l)),
	    output_group_digits(s->ds.bytes, b, sizeof(b)));
	smtp_set_state(s, SMTP_STATE_COMMAND);
	if (tx == NULL)
		return;
	tx->lines = s->ds.lines;
	/* Complete: the "." came and no byte before it was lost. */
	tx->data_complete = s->ds.done && !tx->gap;
	if (!s->ds.done) {
		/* Cut by the end of the stream: smtp_close ends tx. */
		smtp_message_end(s);
		return;
	}
	if (s->have_early) {
		smtp_reply_free(&tx->data_reply);
		tx->data_reply = s->early;
		tx->data_replied = 1;
		memset(&s->early, 0, sizeof(s->early));
		s->have_early = 0;
	} else
		smtp_push(s, V_DATA_END, tx, 0);
	smtp_tx_end(s, tx, SMTP_TX_DATA_DONE);
}

/* The message's bytes, as runs of the segment (dotstuff_sink). */
static void
smtp_data_sink(void *s, const uint8_t *p, size_t n)
{
	smtp_message_feed(s, p, n);
}

static size_t
smtp_client_data(struct smtp_session *s, const uint8_t *p, size_t n)
{
	size_t k = dotstuff_take(&s->ds, p, n, smtp_data_sink, s);

	if (s->ds.done)
		smtp_data_end(s);
	return k;
}

static size_t
smtp_client_bdat(struct smtp_session *s, const uint8_t *p, size_t n)
{
	size_t k = n;

	if ((uint64_t)k > s->bdat_left)
		k = (size_t)s->bdat_left;
	if (s->msg_tx != NULL) {
		/* Lines as the message has them: its LF characters. */
		const uint8_t *q = p, *e = p + k;

		while (q < e && (q = memchr(q, '\n', (size_t)(e - q))) != NULL) {
			s->msg_tx->lines++;
			q++;
		}
	}
	smtp_message_feed(s, p, k);
	s->bdat_left -= k;
	if (s->bdat_left == 0)
		smtp_bdat_done(s);
	return k;
}

static size_t
smtp_client_wait(struct smtp_session *s, const uint8_t *p, size_t n)
{
	if (s->hold_len + n <= SMTP_HOLD_MAX) {
		smtp_hold(s, p, n);
		return n;
	}
	/* The reply is not coming (one-sided capture): decide now. */
	smtp_hold_optimistic(s);
	smtp_hold_release(s);
	return 0;
}

static void
smtp_client_bytes(struct smtp_session *s, const uint8_t *p, size_t n)
{
	while (n > 0) {
		size_t k = 0;

		switch (s->state) {
		case SMTP_STATE_COMMAND:
		case SMTP_STATE_AUTH:
			k = smtp_client_lines(s, p, n);
			break;
		case SMTP_STATE_WAIT:
			k = smtp_client_wait(s, p, n);
			break;
		case SMTP_STATE_DATA:
			k = smtp_client_data(s, p, n);
			break;
		case SMTP_STATE_BDAT:
			k = smtp_client_bdat(s, p, n);
			break;
		case SMTP_STATE_TLS:
			s->info.tls_client_bytes += n;
			k = n;
			break;
		case SMTP_STATE_CLOSED:
			return;
		}
		p += k;
		n -= k;
	}
}

/* ---- replies ---- */

static int
smtp_code_allowed(enum smtp_verb v, int code)
{
	const struct smtp_verb_def *d = smtp_verb_def(v);

	if (v == V_UNKNOWN)
		return 1;
	for (size_t i = 0; i < 16 && d->codes[i] != 0; i++)
		if (d->codes[i] == code)
			return 1;
	for (size_t i = 0; smtp_any_codes[i] != 0; i++)
		if (smtp_any_codes[i] == code)
			return 1;
	return 0;
}

static void
smtp_data_begin(struct smtp_session *s, struct smtp_tx *tx)
{
	if (tx == NULL)
		tx = smtp_tx_open(s);
	if (tx == NULL)
		return;
	tx->data_command = "DATA";
	smtp_message_start(s, tx);
	dotstuff_init(&s->ds, s->cfg->limits.max_text_line);
	smtp_set_state(s, SMTP_STATE_DATA);
}

static void
smtp_ehlo_extensions(struct smtp_session *s, const struct smtp_reply *r)
{
	const char *t = r->text, *nl;

	for (size_t i = 0; i < s->info.nexts; i++)
		smtp_param_ext_free(&s->info.exts[i]);
	free(s->info.exts);
	s->info.exts = NULL;
	s->info.nexts = 0;
	s->pipelining = s->chunking = 0;
	/* RFC 5321 4.1.1.1: the first line greets, each next one is an
	 * extension keyword with its parameters. */
	while (t != NULL && (nl = strchr(t, '\n')) != NULL) {
		struct smtp_ext *e;
		const char *next = strchr(nl + 1, '\n');
		size_t len = next != NULL ? (size_t)(next - nl - 1) :
		    strlen(nl + 1);

		t = nl + 1;
		e = realloc(s->info.exts, (s->info.nexts + 1) * sizeof(*e));
		if (e == NULL)
			break;
		s->info.exts = e;
		smtp_param_ehlo_line((const uint8_t *)t, len,
		    &e[s->info.nexts]);
		if (strcmp(e[s->info.nexts].name, "PIPELINING") == 0)
			s->pipelining = 1;
		if (strcmp(e[s->info.nexts].name, "CHUNKING") == 0)
			s->chunking = 1;
		s->info.nexts++;
	}
}

static void
smtp_reply_data(struct smtp_session *s, struct smtp_tx *tx,
    const struct smtp_reply *r)
{
	if (s->state != SMTP_STATE_WAIT) {
		/* Decided already (no reply in time): just record it. */
		if (tx != NULL && !tx->data_started) {
			smtp_reply_set(&tx->data_start, r);
			tx->data_started = 1;
		}
		return;
	}
	if (r->code == 354) {
		if (tx != NULL) {
			smtp_reply_set(&tx->data_start, r);
			tx->data_started = 1;
		}
		smtp_data_begin(s, tx);
		return;
	}
	if (tx != NULL) {
		smtp_reply_set(&tx->data_start, r);
		tx->data_started = 1;
		tx->data_refused = r->code >= 400;
		if (tx->data_command == NULL)
			tx->data_command = "DATA";
		smtp_tx_end(s, tx, SMTP_TX_DATA_REFUSED);
	}
	smtp_set_state(s, SMTP_STATE_COMMAND);
}

static void
smtp_reply_starttls(struct smtp_session *s, const struct smtp_reply *r)
{
	smtp_reply_set(&s->info.starttls_reply, r);
	s->info.starttls_replied = 1;
	if (s->hold_len > 0 && s->hold[0] != 0x16 && r->code == 220) {
		/* CVE-2011-0411: clear text sent after STARTTLS before the
		 * handshake; show it, it is not protected traffic. */
		smtp_anomaly(s, ANOMALY_starttls_injection);
		smtp_set_state(s, SMTP_STATE_COMMAND);
		smtp_hold_release(s);
	}
	if (r->code == 220) {
		s->info.starttls = 1;
		smtp_set_state(s, SMTP_STATE_TLS);
		return;
	}
	if (s->hold_len > 0 && s->hold[0] == 0x16) {
		/* A handshake though STARTTLS was refused. */
		smtp_anomaly(s, ANOMALY_data_after_starttls_refused);
		s->info.starttls = 1;
		smtp_set_state(s, SMTP_STATE_TLS);
		return;
	}
	smtp_set_state(s, SMTP_STATE_COMMAND);
}

static void
smtp_reply_auth(struct smtp_session *s, const struct smtp_reply *r)
{
	if (r->code == 334) {
		/* RFC 4954 4: the next line is a SASL response, whatever it
		 * looks like. */
		smtp_auth_challenge(&s->info.auth, r->text);
		smtp_set_state(s, SMTP_STATE_AUTH);
		s->auth_blind = 0;
		return;
	}
	smtp_auth_finish(&s->info.auth, r->code);
	smtp_set_state(s, SMTP_STATE_COMMAND);
}

static void
smtp_reply_bdat(struct smtp_session *s, struct smtp_tx *tx, uint64_t last,
    const struct smtp_reply *r)
{
	(void)s;
	if (tx == NULL)
		return;
	if (r->code >= 400 && !tx->data_refused) {
		/* The first refused chunk decides; later ones add nothing. */
		tx->data_refused = 1;
		smtp_reply_set(&tx->data_reply, r);
		tx->data_replied = 1;
	} else if (last && !tx->data_refused) {
		smtp_reply_set(&tx->data_reply, r);
		tx->data_replied = 1;
	}
}

/* A MAIL refused while prev was open opened nothing (RFC 5321 3.3, 4.1.4:
 * 503): it is not a transaction; prev records it and goes on. tx, whose
 * only claim left is the reply being handled, is dropped unseen when that
 * claim is released, and gives its trans_depth number back. */
static void
smtp_nested_refused(struct smtp_session *s, struct smtp_tx *prev,
    struct smtp_tx *tx, const struct smtp_reply *r)
{
	smtp_anomaly(s, ANOMALY_bad_sequence);
	if (prev->nrefused < SMTP_TX_MAX_REFUSED) {
		struct smtp_refused *rf = &prev->refused[prev->nrefused++];

		rf->command = tx->mail_command;
		rf->argument = tx->mail_argument;
		tx->mail_argument = NULL;
		smtp_reply_copy(&rf->reply, r);
	}
	tx->discard = 1;
	tx->end = SMTP_TX_RSET;
	if (tx->depth == s->depth)
		s->depth--;
	s->cur = prev;
}

static void
smtp_reply_mail(struct smtp_session *s, struct smtp_tx *tx,
    const struct smtp_reply *r)
{
	struct smtp_tx *prev = s->suspended;

	if (tx != NULL) {
		smtp_reply_set(&tx->mail_reply, r);
		tx->mail_replied = 1;
	}
	if (prev == NULL || prev == tx) {
		/* A refused MAIL opens no transaction (RFC 5321 3.3). */
		if (r->code >= 400 && tx != NULL && tx == s->cur)
			smtp_tx_end(s, tx, SMTP_TX_RSET);
		return;
	}
	s->suspended = NULL;
	if (r->code >= 200 && r->code < 300) {
		smtp_tx_end(s, prev, SMTP_TX_NEW_MAIL);
		return;
	}
	/* Nested MAIL refused: the first envelope goes on. */
	if (tx != NULL && s->cur == tx && tx->nrcpts == 0 &&
	    tx->data_command == NULL && tx->refs == 1) {
		smtp_nested_refused(s, prev, tx, r);
		return;
	}
	/* Commands were sent for it (RCPT, DATA...): it stands on its own,
	 * after the first, which ends here. */
	smtp_tx_end(s, prev, SMTP_TX_NEW_MAIL);
}

static void
smtp_on_reply(struct smtp_session *s, const struct pending_item *it,
    const struct smtp_reply *r)
{
	enum smtp_verb v = (enum smtp_verb)it->kind;
	struct smtp_tx *tx = it->ref;

	if (!smtp_code_allowed(v, r->code))
		smtp_anomaly(s, ANOMALY_unexpected_reply);
	switch (v) {
	case V_GREETING:
		smtp_reply_set(&s->info.banner, r);
		s->info.have_banner = 1;
		break;
	case V_HELO:
	case V_EHLO:
		if (r->code == 250) {
			if (v == V_EHLO)
				smtp_ehlo_extensions(s, r);
			if (tx != NULL && tx == s->cur)
				smtp_tx_end(s, tx, SMTP_TX_RSET);
		}
		break;
	case V_MAIL:
	case V_SEND:
	case V_SOML:
	case V_SAML:
		smtp_reply_mail(s, tx, r);
		break;
	case V_RCPT:
		if (tx != NULL && it->arg < tx->nrcpts) {
			smtp_reply_set(&tx->rcpts[it->arg].reply, r);
			tx->rcpts[it->arg].replied = 1;
		}
		break;
	case V_DATA:
		smtp_reply_data(s, tx, r);
		break;
	case V_DATA_END:
		if (tx != NULL) {
			smtp_reply_set(&tx->data_reply, r);
			tx->data_replied = 1;
		}
		break;
	case V_BDAT:
		smtp_reply_bdat(s, tx, it->arg, r);
		break;
	case V_QUIT:
		s->quit_answered = r->code == 221;
		break;
	case V_AUTH:
	case V_AUTH_RESP:
		smtp_reply_auth(s, r);
		break;
	case V_STARTTLS:
		smtp_reply_starttls(s, r);
		break;
	default:
		break;
	}
}

/* A reply while the client is still sending data: the end of the data
 * was lost (gap) or the server gave up; end it here, never merge. */
static void
smtp_reply_during_data(struct smtp_session *s, const struct smtp_reply *r)
{
	struct smtp_tx *tx = s->msg_tx;

	if (tx != NULL && !tx->gap && !s->have_early) {
		/* Nothing lost: a capture with the directions out of order.
		 * Keep the reply for the "." still to come. */
		smtp_anomaly(s, ANOMALY_unexpected_reply);
		smtp_reply_set(&s->early, r);
		s->have_early = 1;
		return;
	}
	smtp_anomaly(s, ANOMALY_unterminated_data);
	if (tx == NULL) {
		smtp_set_state(s, SMTP_STATE_COMMAND);
		return;
	}
	tx->lines = s->ds.lines;
	smtp_set_state(s, SMTP_STATE_COMMAND);
	smtp_reply_set(&tx->data_reply, r);
	tx->data_replied = 1;
	smtp_tx_end(s, tx, SMTP_TX_DATA_DONE);
}

/* Codes that answer one command only (RFC 5321 4.3.2, RFC 4954): when one
 * comes and the oldest command cannot take it, the replies before it were
 * lost or never sent; skip to its command rather than shift them all. */
static const int smtp_exclusive_codes[] = { 221, 235, 334, 354, 0 };

static void
smtp_skip_ahead(struct smtp_session *s, struct pending_item *it, int code)
{
	size_t i;
	struct pending_item *x;

	for (i = 0; smtp_exclusive_codes[i] != 0; i++)
		if (smtp_exclusive_codes[i] == code)
			break;
	if (smtp_exclusive_codes[i] == 0 ||
	    smtp_code_allowed((enum smtp_verb)it->kind, code))
		return;
	for (i = 0; (x = pending_at(&s->pending, i)) != NULL; i++)
		if (smtp_code_allowed((enum smtp_verb)x->kind, code))
			break;
	if (x == NULL)
		return;
	smtp_anomaly(s, ANOMALY_unexpected_reply);
	while (!smtp_code_allowed((enum smtp_verb)it->kind, code)) {
		smtp_tx_release(s, it->ref);
		if (!pending_pop(&s->pending, it))
			return;
	}
}

static void
smtp_reply_done(struct smtp_session *s, struct smtp_reply *r)
{
	struct pending_item it;
	int was_waiting;

	if (r->flags & SMTP_REPLY_INVALID)
		smtp_anomaly(s, ANOMALY_invalid_reply);
	if (r->flags & (SMTP_REPLY_MISMATCH | SMTP_REPLY_ENH_MISMATCH))
		smtp_anomaly(s, ANOMALY_reply_code_mismatch);
	if (r->flags & SMTP_REPLY_TOO_MANY)
		smtp_anomaly(s, ANOMALY_too_many_reply_lines);
	if (r->code != 0)
		smtp_reply_codes_add(&s->info.replies, r->code);
	if (!pending_pop(&s->pending, &it)) {
		if (s->state == SMTP_STATE_DATA || s->state == SMTP_STATE_BDAT)
			smtp_reply_during_data(s, r);
		else
			smtp_anomaly(s, ANOMALY_reply_without_command);
		return;
	}
	smtp_skip_ahead(s, &it, r->code);
	/* After a server-side gap a reply may be lost: skip a command whose
	 * codes do not fit when the next one's do. */
	if (s->server_gap && !smtp_code_allowed((enum smtp_verb)it.kind,
	    r->code)) {
		const struct pending_item *nx = pending_peek(&s->pending);

		if (nx != NULL && smtp_code_allowed((enum smtp_verb)nx->kind,
		    r->code)) {
			struct smtp_tx *lost = it.ref;

			pending_pop(&s->pending, &it);
			smtp_tx_release(s, lost);
		}
	}
	s->server_gap = 0;
	was_waiting = s->state == SMTP_STATE_WAIT;
	smtp_on_reply(s, &it, r);
	smtp_tx_release(s, it.ref);
	if (was_waiting && s->state != SMTP_STATE_WAIT)
		smtp_hold_release(s);
}

static void
smtp_server_line(struct smtp_session *s, const struct linebuf_line *line)
{
	struct smtp_reply r;

	smtp_line_flags(s, line->flags, ANOMALY_reply_too_long);
	smtp_line_utf8(s, line->p, line->n);
	if (line->flags & LINEBUF_CUT)
		stats.bytes_dropped_limits += line->wire - line->n;
	output_line(s->out, s->flow, OUTPUT_SERVER, line->p, line->n,
	    (line->flags & LINEBUF_CUT) != 0);
	switch (smtp_reply_push(&s->rp, line->p, line->n)) {
	case SMTP_REPLY_MORE:
		return;
	case SMTP_REPLY_JUNK:
		/* Not a reply: flag it, match nothing (RFC 5321 4.2). */
		smtp_anomaly(s, ANOMALY_invalid_reply);
		smtp_reply_take(&s->rp, &r);
		smtp_reply_free(&r);
		return;
	case SMTP_REPLY_DONE:
		smtp_reply_take(&s->rp, &r);
		smtp_reply_done(s, &r);
		smtp_reply_free(&r);
		return;
	}
}

static void
smtp_server_bytes(struct smtp_session *s, const uint8_t *p, size_t n)
{
	struct linebuf_line line;
	int ready;

	while (n > 0) {
		size_t k;

		if (s->state == SMTP_STATE_TLS) {
			s->info.tls_server_bytes += n;
			return;
		}
		if (s->state == SMTP_STATE_CLOSED)
			return;
		if (s->server_resync) {
			const uint8_t *lf = memchr(p, '\n', n);

			if (lf == NULL)
				return;
			s->server_resync = 0;
			k = (size_t)(lf - p) + 1;
		} else {
			k = linebuf_take(&s->server_lb, p, n, &line, &ready);
			if (ready)
				smtp_server_line(s, &line);
		}
		p += k;
		n -= k;
	}
}

/* ---- the dissector interface ---- */

static void *
smtp_open(struct flow *flow, struct output *out, const struct config *cfg)
{
	struct smtp_session *s = calloc(1, sizeof(*s));
	const struct limits *lim = &cfg->limits;

	if (s == NULL)
		return NULL;
	s->flow = flow;
	s->out = out;
	s->cfg = cfg;
	if (linebuf_init(&s->client_lb, lim->max_command_line) != 0 ||
	    linebuf_init(&s->server_lb, lim->max_reply_line) != 0 ||
	    linebuf_init(&s->body_lb, lim->max_text_line) != 0) {
		linebuf_free(&s->client_lb);
		linebuf_free(&s->server_lb);
		free(s);
		return NULL;
	}
	smtp_reply_parser_init(&s->rp, lim->max_reply_lines);
	pending_init(&s->pending, lim->max_pending + 1);
	smtp_auth_init(&s->info.auth, lim->max_auth_bytes,
	    cfg->show_credentials);
	s->info.anomalies = &s->anomalies;
	smtp_set_state(s, SMTP_STATE_COMMAND);
	smtp_push(s, V_GREETING, NULL, 0);
	stats.smtp_sessions++;
	return s;
}

static void
smtp_client_data_cb(void *state, const uint8_t *p, size_t n)
{
	((struct smtp_session *)state)->client_seen += n;
	smtp_client_bytes(state, p, n);
}

static void
smtp_server_data_cb(void *state, const uint8_t *p, size_t n)
{
	((struct smtp_session *)state)->server_seen += n;
	smtp_server_bytes(state, p, n);
}

static void
smtp_gap(void *state, int to_server, size_t lost)
{
	struct smtp_session *s = state;

	smtp_anomaly(s, ANOMALY_gap);
	stats.gaps++;
	stats.gap_bytes += lost;
	if (to_server)
		s->client_seen += lost;
	else
		s->server_seen += lost;
	output_note(s->out, s->flow, to_server ? OUTPUT_CLIENT : OUTPUT_SERVER,
	    "<gap: %zu bytes lost>", lost);
	if (!to_server) {
		if (s->state == SMTP_STATE_TLS)
			return;
		linebuf_reset(&s->server_lb);
		smtp_reply_parser_free(&s->rp);
		s->server_resync = 1;
		s->server_gap = 1;
		return;
	}
	if (s->msg_tx != NULL)
		s->msg_tx->gap = 1;
	switch (s->state) {
	case SMTP_STATE_BDAT:
		if ((uint64_t)lost < s->bdat_left) {
			s->bdat_left -= lost;
			return;
		}
		s->bdat_left = 0;
		smtp_bdat_done(s);
		break;
	case SMTP_STATE_DATA:
	case SMTP_STATE_TLS:
		/* Keep looking for "." in DATA; the server's reply ends it
		 * too (smtp_reply_during_data). */
		return;
	default:
		break;
	}
	linebuf_reset(&s->client_lb);
	s->client_resync = 1;
}

static void
smtp_tls_notes(struct smtp_session *s)
{
	char num[32];

	if (s->state != SMTP_STATE_TLS)
		return;
	output_note(s->out, s->flow, OUTPUT_CLIENT,
	    "<TLS: %s bytes not shown>", output_group_digits(
	    s->info.tls_client_bytes, num, sizeof(num)));
	output_note(s->out, s->flow, OUTPUT_SERVER,
	    "<TLS: %s bytes not shown>", output_group_digits(
	    s->info.tls_server_bytes, num, sizeof(num)));
}

/* The end of the stream: decide what is undecided, flush partial lines. */
static void
smtp_flush(struct smtp_session *s)
{
	struct linebuf_line line;

	/* Each round takes at least one line, so this ends. */
	while (s->state == SMTP_STATE_WAIT) {
		size_t before = s->hold_len;

		smtp_hold_optimistic(s);
		smtp_hold_release(s);
		if (s->state == SMTP_STATE_WAIT && s->hold_len >= before)
			break;
	}
	if (s->state == SMTP_STATE_COMMAND || s->state == SMTP_STATE_AUTH) {
		if (linebuf_flush(&s->client_lb, &line)) {
			if (s->state == SMTP_STATE_AUTH)
				smtp_auth_line(s, &line);
			else
				smtp_command(s, &line);
			output_note(s->out, s->flow, OUTPUT_CLIENT,
			    "<unterminated line: the stream ended before CRLF>");
		}
	}
	if (s->state != SMTP_STATE_TLS &&
	    linebuf_flush(&s->server_lb, &line)) {
		smtp_server_line(s, &line);
		output_note(s->out, s->flow, OUTPUT_SERVER,
		    "<unterminated line: the stream ended before CRLF>");
	}
	if (s->state == SMTP_STATE_DATA) {
		smtp_anomaly(s, ANOMALY_unterminated_data);
		smtp_data_end(s);
	} else if (s->state == SMTP_STATE_BDAT) {
		smtp_anomaly(s, ANOMALY_bdat_truncated);
		smtp_set_state(s, SMTP_STATE_COMMAND);
	}
}

static void
smtp_close(void *state, enum flow_end why)
{
	struct smtp_session *s = state;
	struct pending_item it;
	const char *end;

	smtp_flush(s);
	smtp_tls_notes(s);
	/* A direction that carried nothing (not even lost bytes): half a
	 * dialogue was captured, or the peer never spoke. */
	if (s->client_seen == 0 || s->server_seen == 0)
		smtp_anomaly(s, ANOMALY_one_sided);
	/* Replies that never came: drop their claims; every transaction
	 * still open ends here; emit them all in the order they opened. */
	while (pending_pop(&s->pending, &it))
		if (it.ref != NULL)
			((struct smtp_tx *)it.ref)->refs--;
	smtp_body_flush(s);
	for (struct smtp_tx *t = s->live; t != NULL; t = t->next)
		if (t->end == SMTP_TX_OPEN)
			t->end = SMTP_TX_CLOSE;
	while (s->live != NULL)
		smtp_tx_emit(s, s->live);	/* clears cur, msg_tx... */
	/* "quit": QUIT answered by 221, or QUIT then FIN. */
	end = s->quit_answered || (s->quit_sent && why == FLOW_END_FIN) ?
	    "quit" : flow_end_name(why);
	s->info.end = end;
	output_event(s->out, s->flow, "smtp.session",
	    smtp_event_session(&s->info));
	output_session_close(s->out, s->flow, end);
	smtp_set_state(s, SMTP_STATE_CLOSED);
	message_abort(s->msg);
	smtp_event_info_free(&s->info);
	smtp_reply_free(&s->early);
	smtp_reply_parser_free(&s->rp);
	pending_free(&s->pending);
	linebuf_free(&s->client_lb);
	linebuf_free(&s->server_lb);
	linebuf_free(&s->body_lb);
	free(s->hold);
	free(s);
}

const struct dissector smtp_dissector = {
	.name = "smtp",
	.open = smtp_open,
	.client_data = smtp_client_data_cb,
	.server_data = smtp_server_data_cb,
	.gap = smtp_gap,
	.close = smtp_close,
};
