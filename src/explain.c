/* explain.c: --explain notes for protocol lines: what a command asks, what
 * a reply answers (read with the command it answers, kept in a queue as
 * the server does), what EHLO offers. Parses only what it is shown; never
 * returns a wire byte that explain_quote() did not clean. */
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "explain.h"
#include "explain_buf.h"
#include "smtp_auth.h"

#define EX_PENDING	64	/* pipelined commands remembered */
#define EX_PARAMS	8	/* MAIL/RCPT parameters explained */
#define EX_MECHS	8	/* AUTH mechanisms explained */
#define EX_B64_MAX	64	/* base64 of a 334 challenge decoded */

/* What a reply answers. */
enum ex_cmd {
	K_NONE, K_GREETING, K_HELO, K_EHLO, K_MAIL, K_RCPT, K_DATA,
	K_DATA_END, K_BDAT, K_BDAT_LAST, K_RSET, K_AUTH, K_STARTTLS,
	K_OTHER,
};

/* What the client's next line is. */
enum ex_state {
	S_COMMAND,	/* a command */
	S_DATA,		/* a message line, after 354 */
	S_AUTH,		/* a SASL response, after 334 */
	S_TLS,		/* nothing readable any more */
};

struct explain_ctx {
	enum explain_lang	 lang;
	enum ex_state		 state;
	enum ex_cmd		 pending[EX_PENDING];	/* ring */
	unsigned		 head, count;
	int			 greeted;	/* a reply was seen */
	int			 in_reply;	/* inside a multi-line reply */
	int			 said_b64;	/* B64_NO_SECRET, once */
	int			 code;		/* of the current reply */
	enum ex_cmd		 answering;	/* by the current reply */
	struct explain_buf	 out;
};

int
explain_lang_parse(const char *name, enum explain_lang *out)
{
	if (name != NULL && strcmp(name, "en") == 0)
		*out = EXPLAIN_LANG_EN;
	else if (name != NULL && strcmp(name, "fr") == 0)
		*out = EXPLAIN_LANG_FR;
	else
		return -1;
	return 0;
}

struct explain_ctx *
explain_ctx_new(enum explain_lang lang)
{
	struct explain_ctx *x = calloc(1, sizeof(*x));

	if (x != NULL)
		x->lang = lang;
	return x;
}

void
explain_ctx_free(struct explain_ctx *x)
{
	free(x);
}

static void
ex_push(struct explain_ctx *x, enum ex_cmd c)
{
	if (x->count == EX_PENDING) {	/* forget the oldest: a guess lost */
		x->head = (x->head + 1) % EX_PENDING;
		x->count--;
	}
	x->pending[(x->head + x->count) % EX_PENDING] = c;
	x->count++;
}

static enum ex_cmd
ex_pop(struct explain_ctx *x)
{
	enum ex_cmd c;

	if (x->count == 0)
		return K_NONE;
	c = x->pending[x->head];
	x->head = (x->head + 1) % EX_PENDING;
	x->count--;
	return c;
}

/* One note made of template id and up to two values. */
static void
ex_note(struct explain_ctx *x, enum explain_id id, const char *a,
    const char *b)
{
	const char *args[2] = { a, b };

	explain_buf_next(&x->out);
	explain_buf_fill(&x->out, x->lang, id, args, 2);
}

static const char *
ex_result(struct explain_ctx *x)
{
	return x->out.n > 0 ? x->out.b : NULL;
}

/* ---- client lines ---- */

/* Next blank-separated word of [*p, e): its start and length. */
static size_t
ex_word(const uint8_t **p, const uint8_t *e, const uint8_t **w)
{
	while (*p < e && **p == ' ')
		(*p)++;
	*w = *p;
	while (*p < e && **p != ' ')
		(*p)++;
	return (size_t)(*p - *w);
}

static int
ex_is(const uint8_t *w, size_t n, const char *s)
{
	return strlen(s) == n && strncasecmp((const char *)w, s, n) == 0;
}

static void
ex_param(struct explain_ctx *x, const uint8_t *w, size_t n)
{
	static const struct { const char *key; enum explain_id id; } t[] = {
		{ "SIZE", EX_P_SIZE }, { "BODY", EX_P_BODY },
		{ "SMTPUTF8", EX_P_SMTPUTF8 }, { "RET", EX_P_RET },
		{ "ENVID", EX_P_ENVID }, { "AUTH", EX_P_AUTH },
		{ "NOTIFY", EX_P_NOTIFY }, { "ORCPT", EX_P_ORCPT },
		{ "BY", EX_P_BY }, { "REQUIRETLS", EX_P_REQUIRETLS },
	};
	const uint8_t *eq = memchr(w, '=', n);
	size_t kl = eq != NULL ? (size_t)(eq - w) : n, i;
	char val[EXPLAIN_QUOTE_MAX + 4], key[EXPLAIN_QUOTE_MAX + 4];

	explain_quote(val, sizeof(val), eq != NULL ? eq + 1 : w,
	    eq != NULL ? n - kl - 1 : 0);
	for (i = 0; i < sizeof(t) / sizeof(*t); i++)
		if (ex_is(w, kl, t[i].key)) {
			ex_note(x, t[i].id, val, NULL);
			return;
		}
	ex_note(x, EX_P_OTHER, explain_quote(key, sizeof(key), w, kl), NULL);
}

/* MAIL FROM:<path> params / RCPT TO:<path> params. */
static void
ex_path_cmd(struct explain_ctx *x, const uint8_t *p, const uint8_t *e,
    int mail)
{
	const uint8_t *colon = memchr(p, ':', (size_t)(e - p)), *w, *gt;
	int k = 0;
	size_t n;

	if (colon == NULL) {
		ex_note(x, mail ? EX_C_MAIL : EX_C_RCPT, NULL, NULL);
		return;
	}
	p = colon + 1;
	while (p < e && *p == ' ')
		p++;
	if (mail && p == e)
		ex_note(x, EX_C_MAIL_EMPTY, NULL, NULL);
	else if (mail && e - p >= 2 && p[0] == '<' && p[1] == '>')
		ex_note(x, EX_C_MAIL_NULL, NULL, NULL);
	else
		ex_note(x, mail ? EX_C_MAIL : EX_C_RCPT, NULL, NULL);
	/* The parameters follow the path: after its '>', else a blank. */
	if (p < e && *p == '<' &&
	    (gt = memchr(p, '>', (size_t)(e - p))) != NULL)
		p = gt + 1;
	else
		ex_word(&p, e, &w);
	while (k++ < EX_PARAMS && (n = ex_word(&p, e, &w)) > 0)
		ex_param(x, w, n);
}

static void
ex_bdat(struct explain_ctx *x, const uint8_t *p, const uint8_t *e)
{
	const uint8_t *w, *l;
	size_t n = ex_word(&p, e, &w), ln = ex_word(&p, e, &l);
	char size[EXPLAIN_QUOTE_MAX + 4];
	int last = ex_is(l, ln, "LAST");

	explain_quote(size, sizeof(size), w, n);
	ex_note(x, last ? EX_C_BDAT_LAST : EX_C_BDAT, size, NULL);
	ex_push(x, last ? K_BDAT_LAST : K_BDAT);
}

/* Why base64 is no secret: said once per session, it is long. */
static void
ex_b64_no_secret(struct explain_ctx *x)
{
	if (!x->said_b64)
		ex_note(x, EX_B64_NO_SECRET, NULL, NULL);
	x->said_b64 = 1;
}

/* A SASL response shown as sent (--show-credentials): what its base64
 * holds, NULs (AUTH PLAIN's separators) as U+2400. */
static void
ex_response_decoded(struct explain_ctx *x, const uint8_t *p, size_t n)
{
	uint8_t dec[EX_B64_MAX], shown[3 * EX_B64_MAX];
	char b64[EXPLAIN_QUOTE_MAX + 4], txt[EXPLAIN_QUOTE_MAX + 4];
	size_t i, k = 0;
	long dn;

	if (n > EX_B64_MAX || (dn = smtp_auth_b64decode(p, n, dec)) <= 0)
		return;
	for (i = 0; i < (size_t)dn; i++)
		if (dec[i] == 0) {
			memcpy(shown + k, "\xe2\x90\x80", 3);
			k += 3;
		} else
			shown[k++] = dec[i];
	ex_note(x, EX_R334_DECODED, explain_quote(b64, sizeof(b64), p, n),
	    explain_quote(txt, sizeof(txt), shown, k));
}

static int
ex_clear_mech(const uint8_t *w, size_t n)
{
	return ex_is(w, n, "PLAIN") || ex_is(w, n, "LOGIN");
}

static void
ex_auth(struct explain_ctx *x, const uint8_t *p, const uint8_t *e)
{
	const uint8_t *w, *ir;
	size_t n = ex_word(&p, e, &w), irn = ex_word(&p, e, &ir);
	char mech[EXPLAIN_QUOTE_MAX + 4];

	explain_quote(mech, sizeof(mech), w, n);
	if (irn > 0) {
		ex_note(x, EX_C_AUTH_IR, mech, NULL);
		if (ir[0] != '<') {	/* not smtpscope's masked form */
			ex_note(x, EX_N_CREDS_SHOWN, NULL, NULL);
			ex_response_decoded(x, ir, irn);
		}
		if (ex_clear_mech(w, n))
			ex_b64_no_secret(x);
	} else
		ex_note(x, EX_C_AUTH, mech, NULL);
	ex_push(x, K_AUTH);
}

/* Commands whose note needs nothing from the line. */
static const struct {
	const char	*verb;
	enum explain_id	 id;
	enum ex_cmd	 cmd;
} ex_simple[] = {
	{ "HELO", EX_C_HELO, K_HELO }, { "EHLO", EX_C_EHLO, K_EHLO },
	{ "DATA", EX_C_DATA, K_DATA }, { "RSET", EX_C_RSET, K_RSET },
	{ "VRFY", EX_C_VRFY, K_OTHER }, { "EXPN", EX_C_EXPN, K_OTHER },
	{ "HELP", EX_C_HELP, K_OTHER }, { "NOOP", EX_C_NOOP, K_OTHER },
	{ "QUIT", EX_C_QUIT, K_OTHER },
	{ "STARTTLS", EX_C_STARTTLS, K_STARTTLS },
	{ "ETRN", EX_C_ETRN, K_OTHER }, { "TURN", EX_C_TURN, K_OTHER },
	{ "ATRN", EX_C_ATRN, K_OTHER },
};

static void
ex_command(struct explain_ctx *x, const uint8_t *p, size_t n)
{
	const uint8_t *e = p + n, *v;
	size_t vl = ex_word(&p, e, &v), i;
	char verb[8];

	for (i = 0; i < sizeof(ex_simple) / sizeof(*ex_simple); i++)
		if (ex_is(v, vl, ex_simple[i].verb)) {
			ex_note(x, ex_simple[i].id, NULL, NULL);
			ex_push(x, ex_simple[i].cmd);
			return;
		}
	if (ex_is(v, vl, "MAIL") || ex_is(v, vl, "RCPT")) {
		ex_path_cmd(x, p, e, ex_is(v, vl, "MAIL"));
		ex_push(x, ex_is(v, vl, "MAIL") ? K_MAIL : K_RCPT);
	} else if (ex_is(v, vl, "SEND") || ex_is(v, vl, "SOML") ||
	    ex_is(v, vl, "SAML")) {
		ex_note(x, EX_C_OLD_SEND, explain_quote(verb, sizeof(verb),
		    v, vl), NULL);
		ex_push(x, K_MAIL);
	} else if (ex_is(v, vl, "BDAT"))
		ex_bdat(x, p, e);
	else if (ex_is(v, vl, "AUTH"))
		ex_auth(x, p, e);
	else {
		ex_note(x, vl == 0 ? EX_C_EMPTY : EX_C_UNKNOWN, NULL, NULL);
		ex_push(x, K_OTHER);
	}
}

static void
ex_client(struct explain_ctx *x, const uint8_t *p, size_t n)
{
	switch (x->state) {
	case S_COMMAND:
		ex_command(x, p, n);
		break;
	case S_AUTH:
		if (n == 1 && p[0] == '*')
			ex_note(x, EX_C_AUTH_CANCEL, NULL, NULL);
		else {
			ex_note(x, EX_C_AUTH_RESP, NULL, NULL);
			ex_note(x, EX_N_CREDS_SHOWN, NULL, NULL);
			ex_response_decoded(x, p, n);
			ex_b64_no_secret(x);
		}
		ex_push(x, K_AUTH);
		x->state = S_COMMAND;
		break;
	case S_DATA:	/* message lines (--body): the summary explains */
	case S_TLS:
		break;
	}
}

/* ---- server lines ---- */

/* The meaning of a code on its own, RFC 5321 4.2.2 and friends. */
static enum explain_id
ex_code_id(int code)
{
	static const struct { int code; enum explain_id id; } t[] = {
		{ 211, EX_R211 }, { 214, EX_R214 }, { 220, EX_R220 },
		{ 221, EX_R221 }, { 235, EX_R235 }, { 250, EX_R250 },
		{ 251, EX_R251 }, { 252, EX_R252 }, { 334, EX_R334 },
		{ 354, EX_R354 }, { 421, EX_R421 }, { 450, EX_R450 },
		{ 451, EX_R451 }, { 452, EX_R452 }, { 454, EX_R454 },
		{ 455, EX_R455 }, { 500, EX_R500 }, { 501, EX_R501 },
		{ 502, EX_R502 }, { 503, EX_R503 }, { 504, EX_R504 },
		{ 521, EX_R521 }, { 530, EX_R530 }, { 534, EX_R534 },
		{ 535, EX_R535 }, { 538, EX_R538 }, { 550, EX_R550 },
		{ 551, EX_R551 }, { 552, EX_R552 }, { 553, EX_R553 },
		{ 554, EX_R554 }, { 555, EX_R555 }, { 556, EX_R556 },
	};
	size_t i;

	for (i = 0; i < sizeof(t) / sizeof(*t); i++)
		if (t[i].code == code)
			return t[i].id;
	return EX_R_OTHER;
}

/* The same code said for the command it answers, when that says more. */
static enum explain_id
ex_code_in_context(int code, enum ex_cmd cmd)
{
	if (code == 220)
		return cmd == K_GREETING ? EX_R220_GREETING :
		    cmd == K_STARTTLS ? EX_R220_TLS : EX_R220;
	if (code == 354 && cmd == K_DATA)
		return EX_R354_DATA;
	if (code != 250)
		return ex_code_id(code);
	switch (cmd) {
	case K_HELO:		return EX_R250_HELO;
	case K_EHLO:		return EX_R250_EHLO;
	case K_MAIL:		return EX_R250_MAIL;
	case K_RCPT:		return EX_R250_RCPT;
	case K_DATA_END:	return EX_R250_DATA_END;
	case K_BDAT:		return EX_R250_BDAT;
	case K_BDAT_LAST:	return EX_R250_BDAT_LAST;
	case K_RSET:		return EX_R250_RSET;
	default:		return EX_R250;
	}
}

static void
ex_reply_code(struct explain_ctx *x, const uint8_t *p)
{
	static const enum explain_id cls[] = { EX_CLASS_1, EX_CLASS_2,
	    EX_CLASS_3, EX_CLASS_4, EX_CLASS_5 };
	static const enum explain_id sec[] = { EX_SECOND_0, EX_SECOND_1,
	    EX_SECOND_2, EX_SECOND_3, EX_SECOND_4, EX_SECOND_5 };
	const char *args[6];
	char code[4], d1[2], d2[2];

	memcpy(code, p, 3);
	code[3] = '\0';
	d1[0] = (char)p[0];
	d1[1] = '\0';
	d2[0] = (char)p[1];
	d2[1] = '\0';
	args[0] = code;
	args[1] = p[0] >= '1' && p[0] <= '5' ?
	    explain_text(x->lang, cls[p[0] - '1']) : "?";
	args[2] = d1;
	args[3] = p[1] <= '5' ? explain_text(x->lang, sec[p[1] - '0']) : "?";
	args[4] = d2;
	args[5] = explain_text(x->lang, ex_code_in_context(x->code,
	    x->answering));
	explain_buf_next(&x->out);
	explain_buf_fill(&x->out, x->lang, EX_FMT_REPLY, args, 6);
}

static enum explain_id
ex_detail_id(int subj, int det, int code)
{
	static const struct { int s, d; enum explain_id id; } t[] = {
		{ 0, 0, EX_E_0_0 }, { 1, 0, EX_E_1_0 }, { 1, 1, EX_E_1_1 },
		{ 1, 2, EX_E_1_2 }, { 1, 3, EX_E_1_3 }, { 1, 4, EX_E_1_4 },
		{ 1, 5, EX_E_1_5 }, { 1, 6, EX_E_1_6 }, { 1, 7, EX_E_1_7 },
		{ 1, 8, EX_E_1_8 }, { 1, 10, EX_E_1_10 }, { 2, 0, EX_E_2_0 },
		{ 2, 1, EX_E_2_1 }, { 2, 2, EX_E_2_2 }, { 2, 3, EX_E_2_3 },
		{ 2, 4, EX_E_2_4 }, { 3, 0, EX_E_3_0 }, { 3, 1, EX_E_3_1 },
		{ 3, 2, EX_E_3_2 }, { 3, 3, EX_E_3_3 }, { 3, 4, EX_E_3_4 },
		{ 3, 5, EX_E_3_5 }, { 4, 0, EX_E_4_0 }, { 4, 1, EX_E_4_1 },
		{ 4, 2, EX_E_4_2 }, { 4, 3, EX_E_4_3 }, { 4, 4, EX_E_4_4 },
		{ 4, 5, EX_E_4_5 }, { 4, 6, EX_E_4_6 }, { 4, 7, EX_E_4_7 },
		{ 5, 0, EX_E_5_0 }, { 5, 1, EX_E_5_1 }, { 5, 2, EX_E_5_2 },
		{ 5, 3, EX_E_5_3 }, { 5, 4, EX_E_5_4 }, { 5, 5, EX_E_5_5 },
		{ 5, 6, EX_E_5_6 }, { 6, 0, EX_E_6_0 }, { 6, 1, EX_E_6_1 },
		{ 6, 2, EX_E_6_2 }, { 6, 3, EX_E_6_3 }, { 6, 4, EX_E_6_4 },
		{ 6, 5, EX_E_6_5 }, { 7, 0, EX_E_7_0 }, { 7, 1, EX_E_7_1 },
		{ 7, 2, EX_E_7_2 }, { 7, 3, EX_E_7_3 }, { 7, 4, EX_E_7_4 },
		{ 7, 5, EX_E_7_5 }, { 7, 6, EX_E_7_6 }, { 7, 7, EX_E_7_7 },
		{ 7, 8, EX_E_7_8 }, { 7, 9, EX_E_7_9 }, { 7, 11, EX_E_7_11 },
		{ 7, 12, EX_E_7_12 }, { 7, 13, EX_E_7_13 },
		{ 7, 14, EX_E_7_14 }, { 7, 25, EX_E_7_25 },
		{ 7, 26, EX_E_7_26 }, { 7, 27, EX_E_7_27 },
	};
	size_t i;

	if (subj == 7 && det == 0 && code == 235)
		return EX_E_7_0_AUTH;
	for (i = 0; i < sizeof(t) / sizeof(*t); i++)
		if (t[i].s == subj && t[i].d == det)
			return t[i].id;
	return EX_E_OTHER;
}

/* 1 to 3 digits at *p (no leading zero but "0"): the value, else -1. */
static int
ex_num(const uint8_t **p, const uint8_t *e)
{
	int v = 0, k = 0;

	while (*p < e && **p >= '0' && **p <= '9' && k < 4) {
		v = v * 10 + (**p - '0');
		(*p)++;
		k++;
	}
	return k >= 1 && k <= 3 ? v : -1;
}

/* "2.1.5 Ok": RFC 3463 class.subject.detail at the start of the text. */
static void
ex_enhanced(struct explain_ctx *x, const uint8_t *p, const uint8_t *e)
{
	static const enum explain_id subj_ids[] = { EX_E_SUBJ_0,
	    EX_E_SUBJ_1, EX_E_SUBJ_2, EX_E_SUBJ_3, EX_E_SUBJ_4, EX_E_SUBJ_5,
	    EX_E_SUBJ_6, EX_E_SUBJ_7 };
	const uint8_t *s = p;
	const char *args[4];
	char code[16];
	int c, subj, det;

	if (p >= e || (*p != '2' && *p != '4' && *p != '5'))
		return;
	c = *p++ - '0';
	if (p >= e || *p++ != '.' || (subj = ex_num(&p, e)) < 0 ||
	    p >= e || *p++ != '.' || (det = ex_num(&p, e)) < 0 ||
	    (p < e && *p != ' ') || subj > 7)
		return;
	explain_quote(code, sizeof(code), s, (size_t)(p - s));
	args[0] = code;
	args[1] = explain_text(x->lang, c == 2 ? EX_E_CLASS_2 :
	    c == 4 ? EX_E_CLASS_4 : EX_E_CLASS_5);
	args[2] = explain_text(x->lang, subj_ids[subj]);
	args[3] = explain_text(x->lang, ex_detail_id(subj, det, x->code));
	explain_buf_next(&x->out);
	explain_buf_fill(&x->out, x->lang, EX_FMT_ENHANCED, args, 4);
}

/* A 334 challenge: base64 of a prompt ("Username:") or of binary. */
static void
ex_challenge(struct explain_ctx *x, const uint8_t *p, const uint8_t *e)
{
	uint8_t dec[EX_B64_MAX];
	char b64[EXPLAIN_QUOTE_MAX + 4], txt[EXPLAIN_QUOTE_MAX + 4], num[24];
	size_t n = (size_t)(e - p), i;
	long k;

	if (n == 0) {
		ex_note(x, EX_R334_EMPTY, NULL, NULL);
		return;
	}
	if (n > EX_B64_MAX || (k = smtp_auth_b64decode(p, n, dec)) < 0)
		return;
	for (i = 0; i < (size_t)k; i++)
		if (dec[i] < 0x20 || dec[i] >= 0x7f)
			break;
	if (k > 0 && i == (size_t)k) {
		ex_note(x, EX_R334_DECODED, explain_quote(b64, sizeof(b64), p,
		    n), explain_quote(txt, sizeof(txt), dec, (size_t)k));
		return;
	}
	snprintf(num, sizeof(num), "%ld", k);
	ex_note(x, EX_R334_BINARY, num, NULL);
}

/* What a refusal means for the command it answers. */
static void
ex_refusal(struct explain_ctx *x)
{
	enum explain_id id;

	switch (x->answering) {
	case K_MAIL:		id = EX_NO_MAIL;	break;
	case K_RCPT:		id = EX_NO_RCPT;	break;
	case K_DATA:		id = EX_NO_DATA;	break;
	case K_DATA_END:
	case K_BDAT:
	case K_BDAT_LAST:	id = EX_NO_MESSAGE;	break;
	case K_AUTH:		id = EX_NO_AUTH;	break;
	default:		return;
	}
	ex_note(x, id, NULL, NULL);
	if (x->code / 100 == 4 && id != EX_NO_AUTH)
		ex_note(x, EX_NO_TEMP, NULL, NULL);
}

static void
ex_mechanisms(struct explain_ctx *x, const uint8_t *p, const uint8_t *e)
{
	const uint8_t *w;
	size_t n;
	char mech[EXPLAIN_QUOTE_MAX + 4];
	enum explain_id id;
	int k = 0;

	while (k++ < EX_MECHS && (n = ex_word(&p, e, &w)) > 0) {
		if (ex_clear_mech(w, n))
			id = EX_M_CLEAR;
		else if (ex_is(w, n, "CRAM-MD5") || ex_is(w, n, "DIGEST-MD5") ||
		    (n > 6 && strncasecmp((const char *)w, "SCRAM-", 6) == 0))
			id = EX_M_CHALLENGE;
		else if (ex_is(w, n, "OAUTHBEARER") || ex_is(w, n, "XOAUTH2"))
			id = EX_M_TOKEN;
		else if (ex_is(w, n, "GSSAPI"))
			id = EX_M_KERBEROS;
		else
			id = EX_M_OTHER;
		ex_note(x, id, explain_quote(mech, sizeof(mech), w, n), NULL);
	}
}

/* One line of the EHLO answer after the first: one extension. */
static void
ex_extension(struct explain_ctx *x, const uint8_t *p, const uint8_t *e)
{
	static const struct { const char *kw; enum explain_id id; } t[] = {
		{ "PIPELINING", EX_X_PIPELINING }, { "8BITMIME", EX_X_8BITMIME },
		{ "DSN", EX_X_DSN }, { "SMTPUTF8", EX_X_SMTPUTF8 },
		{ "CHUNKING", EX_X_CHUNKING }, { "BINARYMIME", EX_X_BINARYMIME },
		{ "STARTTLS", EX_X_STARTTLS },
		{ "ENHANCEDSTATUSCODES", EX_X_ENHANCEDSTATUSCODES },
		{ "VRFY", EX_X_VRFY }, { "EXPN", EX_X_EXPN },
		{ "ETRN", EX_X_ETRN }, { "DELIVERBY", EX_X_DELIVERBY },
		{ "REQUIRETLS", EX_X_REQUIRETLS }, { "HELP", EX_X_HELP },
		{ "ATRN", EX_X_ATRN }, { "MTRK", EX_X_MTRK },
		{ "FUTURERELEASE", EX_X_FUTURERELEASE },
		{ "LIMITS", EX_X_LIMITS },
		{ "NO-SOLICITING", EX_X_NO_SOLICITING },
		{ "XCLIENT", EX_X_XCLIENT },
		{ "PIPECONNECT", EX_X_PIPECONNECT },
	};
	const uint8_t *w, *rest;
	size_t n = ex_word(&p, e, &w), i, an;
	char v[EXPLAIN_QUOTE_MAX + 4];

	/* "AUTH=LOGIN PLAIN": the pre-RFC 4954 form some servers still add */
	if (n > 5 && strncasecmp((const char *)w, "AUTH=", 5) == 0) {
		p = w + 5;
		n = 4;
	}
	if (ex_is(w, n, "AUTH")) {
		while (p < e && *p == ' ')
			p++;
		ex_note(x, EX_X_AUTH, explain_quote(v, sizeof(v), p,
		    (size_t)(e - p)), NULL);
		ex_mechanisms(x, p, e);
		return;
	}
	if (ex_is(w, n, "SIZE")) {
		an = ex_word(&p, e, &rest);
		ex_note(x, an > 0 ? EX_X_SIZE_N : EX_X_SIZE,
		    explain_quote(v, sizeof(v), rest, an), NULL);
		return;
	}
	for (i = 0; i < sizeof(t) / sizeof(*t); i++)
		if (ex_is(w, n, t[i].kw)) {
			ex_note(x, t[i].id, NULL, NULL);
			return;
		}
	ex_note(x, EX_X_OTHER, explain_quote(v, sizeof(v), w, n), NULL);
}

/* The first line of a reply: which command it answers, then its code. */
static void
ex_reply_start(struct explain_ctx *x, const uint8_t *p, const uint8_t *e,
    int more)
{
	if (x->state == S_DATA) {	/* the data ended unseen */
		x->state = S_COMMAND;
		x->answering = K_DATA_END;
	} else if (!x->greeted && x->count == 0)
		x->answering = K_GREETING;
	else
		x->answering = ex_pop(x);
	x->greeted = 1;
	x->code = (p[0] - '0') * 100 + (p[1] - '0') * 10 + (p[2] - '0');
	ex_reply_code(x, p);
	ex_enhanced(x, p + 4 <= e ? p + 4 : e, e);
	if (more)
		ex_note(x, EX_REPLY_CONT, NULL, NULL);
	if (x->code == 334 && x->answering == K_AUTH) {
		x->state = S_AUTH;
		ex_challenge(x, p + 4 <= e ? p + 4 : e, e);
	} else if (x->code == 354)
		x->state = S_DATA;
	else if (x->code == 220 && x->answering == K_STARTTLS)
		x->state = S_TLS;
	else if (x->code >= 400)
		ex_refusal(x);
}

static int
ex_reply_line(const uint8_t *p, size_t n)
{
	return n >= 3 && p[0] >= '0' && p[0] <= '9' && p[1] >= '0' &&
	    p[1] <= '9' && p[2] >= '0' && p[2] <= '9' &&
	    (n == 3 || p[3] == ' ' || p[3] == '-');
}

static void
ex_server(struct explain_ctx *x, const uint8_t *p, size_t n)
{
	const uint8_t *e = p + n;
	int more;

	if (!ex_reply_line(p, n)) {
		ex_note(x, EX_REPLY_BAD, NULL, NULL);
		return;
	}
	more = n > 3 && p[3] == '-';
	if (!x->in_reply)
		ex_reply_start(x, p, e, more);
	else if (x->answering == K_EHLO && x->code / 100 == 2)
		ex_extension(x, p + 4 <= e ? p + 4 : e, e);
	x->in_reply = more;
}

const char *
explain_line(struct explain_ctx *x, enum output_dir dir, const uint8_t *p,
    size_t n)
{
	if (x == NULL)
		return NULL;
	x->out.n = 0;
	x->out.cut = 0;
	x->out.b[0] = '\0';
	if (dir == OUTPUT_CLIENT)
		ex_client(x, p, n);
	else
		ex_server(x, p, n);
	return ex_result(x);
}

const char *
explain_note(struct explain_ctx *x, enum output_dir dir, const char *text)
{
	if (x == NULL || text == NULL)
		return NULL;
	x->out.n = 0;
	x->out.cut = 0;
	x->out.b[0] = '\0';
	if (strncmp(text, "<TLS", 4) == 0)
		ex_note(x, EX_N_TLS, NULL, NULL);
	else if (dir != OUTPUT_CLIENT)
		return NULL;
	else if (strncmp(text, "<message:", 9) == 0) {
		ex_note(x, EX_N_MESSAGE, NULL, NULL);
		if (x->state == S_DATA)
			x->state = S_COMMAND;
		ex_push(x, K_DATA_END);
	} else if (strncmp(text, "<chunk:", 7) == 0)
		ex_note(x, EX_N_CHUNK, NULL, NULL);
	else if (x->state == S_AUTH) {
		ex_note(x, EX_N_AUTH_MASKED, NULL, NULL);
		ex_b64_no_secret(x);
		ex_push(x, K_AUTH);
		x->state = S_COMMAND;
	}
	return ex_result(x);
}
