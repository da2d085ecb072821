/* test_explain.c: the --explain notes: both language tables complete and
 * with the same {n} slots, reply codes read with the command they answer
 * (real lines from pcaps/classroom/), enhanced codes, AUTH challenges,
 * hostile bytes, and transaction notes on a real smtp.transaction event. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include <json-c/json.h>

#include "escape.h"
#include "explain.h"
#include "explain_buf.h"
#include "explain_text.h"

static const char *const *const tables[] = { explain_text_en,
    explain_text_fr };

/* Which {1}..{9} a template uses, as a bit set. */
static unsigned
slots(const char *s)
{
	unsigned set = 0;

	for (; (s = strchr(s, '{')) != NULL; s++)
		if (s[1] >= '1' && s[1] <= '9' && s[2] == '}')
			set |= 1u << (s[1] - '0');
	return set;
}

/* No control byte but '\n' between notes, valid UTF-8, bounded. */
static void
assert_clean(const char *n)
{
	size_t i = 0, k, len;

	if (n == NULL)
		return;
	len = strlen(n);
	assert_true(len < EXPLAIN_NOTE_MAX);
	while (i < len) {
		if ((uint8_t)n[i] < 0x20 && n[i] != '\n')
			fail_msg("control byte 0x%02x in a note", n[i]);
		assert_true(n[i] != 0x7f);
		k = escape_utf8_seq((const uint8_t *)n + i, len - i);
		assert_true(k > 0);
		i += k;
	}
}

/* Every id has a text in every language, with the same slots. */
static void
test_tables_complete(void **state)
{
	size_t l;
	int id;

	(void)state;
	for (l = 0; l < sizeof(tables) / sizeof(*tables); l++)
		for (id = 0; id < EXPLAIN_N; id++) {
			if (tables[l][id] == NULL || tables[l][id][0] == '\0')
				fail_msg("language %zu has no text for %s", l,
				    explain_id_name(id));
			if (slots(tables[l][id]) != slots(explain_text_en[id]))
				fail_msg("language %zu: %s has other {n} "
				    "slots than English", l,
				    explain_id_name(id));
			/* valid UTF-8, and no '\n': it separates notes */
			assert_clean(tables[l][id]);
			assert_null(strchr(tables[l][id], '\n'));
		}
	/* French is a translation, not a copy: most texts differ. */
	for (id = 0, l = 0; id < EXPLAIN_N; id++)
		l += strcmp(explain_text_fr[id], explain_text_en[id]) != 0;
	assert_true(l > EXPLAIN_N * 9 / 10);
}

static void
test_lang_parse(void **state)
{
	enum explain_lang l = EXPLAIN_LANG_EN;

	(void)state;
	assert_int_equal(explain_lang_parse("fr", &l), 0);
	assert_int_equal(l, EXPLAIN_LANG_FR);
	assert_int_equal(explain_lang_parse("en", &l), 0);
	assert_int_equal(l, EXPLAIN_LANG_EN);
	assert_int_equal(explain_lang_parse("de", &l), -1);
	assert_int_equal(explain_lang_parse("", &l), -1);
	assert_int_equal(explain_lang_parse("EN", &l), -1);
	assert_int_equal(explain_lang_parse("english", &l), -1);
	assert_int_equal(explain_lang_parse(NULL, &l), -1);
}

/* The note for one line, copied (the ctx reuses its buffer); "" for
 * none. */
static char last[EXPLAIN_NOTE_MAX];

static const char *
feed(struct explain_ctx *x, enum output_dir d, const char *line)
{
	const char *n = explain_line(x, d, (const uint8_t *)line,
	    strlen(line));

	snprintf(last, sizeof(last), "%s", n != NULL ? n : "");
	return last;
}

static const char *
C(struct explain_ctx *x, const char *line)
{
	return feed(x, OUTPUT_CLIENT, line);
}

static const char *
S(struct explain_ctx *x, const char *line)
{
	return feed(x, OUTPUT_SERVER, line);
}

static void
assert_has(const char *note, enum explain_lang l, enum explain_id id)
{
	const char *t = explain_text(l, id), *brace = strchr(t, '{');
	char fixed[256];
	size_t n = brace != NULL ? (size_t)(brace - t) : strlen(t);

	/* The text up to its first {n} slot: what does not depend on wire */
	if (n >= sizeof(fixed))
		n = sizeof(fixed) - 1;
	memcpy(fixed, t, n);
	fixed[n] = '\0';
	if (strstr(note, fixed) == NULL)
		fail_msg("note \"%s\" lacks %s (\"%s\")", note,
		    explain_id_name(id), fixed);
}

static void
assert_lacks(const char *note, enum explain_lang l, enum explain_id id)
{
	if (strstr(note, explain_text(l, id)) != NULL)
		fail_msg("note \"%s\" has %s", note, explain_id_name(id));
}

/* pcaps/classroom/01-plain-exchange.pcap, line by line. */
static void
test_plain_exchange(void **state)
{
	struct explain_ctx *x = explain_ctx_new(EXPLAIN_LANG_EN);
	const char *n;

	(void)state;
	n = S(x, "220 mx.smtpscope.test ESMTP Postfix (Debian/GNU)");
	assert_non_null(strstr(n, "220: done (2xx), connection (x2x): "));
	assert_has(n, EXPLAIN_LANG_EN, EX_R220_GREETING);
	assert_has(C(x, "HELO client.example"), EXPLAIN_LANG_EN, EX_C_HELO);
	assert_has(S(x, "250 mx.smtpscope.test"), EXPLAIN_LANG_EN,
	    EX_R250_HELO);
	assert_has(C(x, "MAIL FROM:<sender@client.example>"),
	    EXPLAIN_LANG_EN, EX_C_MAIL);
	n = S(x, "250 2.1.0 Ok");
	assert_has(n, EXPLAIN_LANG_EN, EX_R250_MAIL);
	assert_non_null(strstr(n, "\n2.1.0 (RFC 3463): success, "
	    "addressing: other address status"));
	assert_has(C(x, "RCPT TO:<alice@smtpscope.test>"), EXPLAIN_LANG_EN,
	    EX_C_RCPT);
	n = S(x, "250 2.1.5 Ok");
	assert_has(n, EXPLAIN_LANG_EN, EX_R250_RCPT);
	assert_has(n, EXPLAIN_LANG_EN, EX_E_1_5);
	assert_has(C(x, "DATA"), EXPLAIN_LANG_EN, EX_C_DATA);
	assert_has(S(x, "354 End data with <CR><LF>.<CR><LF>"),
	    EXPLAIN_LANG_EN, EX_R354_DATA);
	/* --body: message lines are not commands */
	assert_string_equal(C(x, "QUIT"), "");
	assert_string_equal(C(x, "Subject: Plain HELO test"), "");
	n = explain_note(x, OUTPUT_CLIENT, "<message: 17 lines, 451 bytes>");
	assert_non_null(n);
	assert_has(n, EXPLAIN_LANG_EN, EX_N_MESSAGE);
	n = S(x, "250 2.0.0 Ok: queued as 9071B1064D5");
	assert_has(n, EXPLAIN_LANG_EN, EX_R250_DATA_END);
	assert_lacks(n, EXPLAIN_LANG_EN, EX_R250_MAIL);
	assert_has(C(x, "QUIT"), EXPLAIN_LANG_EN, EX_C_QUIT);
	assert_has(S(x, "221 2.0.0 Bye"), EXPLAIN_LANG_EN, EX_R221);
	explain_ctx_free(x);
}

/* The same 250 means three things: after MAIL, after RCPT, after the
 * data; here pipelined (pcaps/classroom/03-relay-two-hops.pcap, session 3)
 * and with the end of the data not announced by a note. */
static void
test_pipelined_context(void **state)
{
	struct explain_ctx *x = explain_ctx_new(EXPLAIN_LANG_FR);

	(void)state;
	S(x, "220 mx.smtpscope.test ESMTP Postfix (Debian/GNU)");
	assert_has(C(x, "MAIL FROM:<sender@client.example> SIZE=1786"),
	    EXPLAIN_LANG_FR, EX_P_SIZE);
	assert_non_null(strstr(last, "SIZE=1786 : "));
	C(x, "RCPT TO:<dave@smtpscope.test>");
	assert_has(C(x, "BDAT 763 LAST"), EXPLAIN_LANG_FR, EX_C_BDAT_LAST);
	assert_non_null(strstr(last, "BDAT 763 LAST"));
	assert_has(explain_note(x, OUTPUT_CLIENT, "<chunk: 763 bytes>"),
	    EXPLAIN_LANG_FR, EX_N_CHUNK);
	C(x, "QUIT");
	assert_has(S(x, "250 2.1.0 Ok"), EXPLAIN_LANG_FR, EX_R250_MAIL);
	assert_has(S(x, "250 2.1.5 Ok"), EXPLAIN_LANG_FR, EX_R250_RCPT);
	assert_has(S(x, "250 2.0.0 Ok: 763 bytes queued as C7A161064F1"),
	    EXPLAIN_LANG_FR, EX_R250_BDAT_LAST);
	assert_has(S(x, "221 2.0.0 Bye"), EXPLAIN_LANG_FR, EX_R221);
	explain_ctx_free(x);

	/* DATA whose end no note announced: the reply after 354 ends it. */
	x = explain_ctx_new(EXPLAIN_LANG_EN);
	S(x, "220 x");
	C(x, "DATA");
	S(x, "354 go ahead");
	assert_has(S(x, "250 OK id=1xVR82-00009V-29"), EXPLAIN_LANG_EN,
	    EX_R250_DATA_END);
	assert_has(C(x, "RSET"), EXPLAIN_LANG_EN, EX_C_RSET);
	assert_has(S(x, "250 ok"), EXPLAIN_LANG_EN, EX_R250_RSET);
	explain_ctx_free(x);
}

/* pcaps/classroom/02-refusals.pcap: what each refusal refuses. */
static void
test_refusals(void **state)
{
	struct explain_ctx *x = explain_ctx_new(EXPLAIN_LANG_EN);
	const char *n;

	(void)state;
	S(x, "220 mx.smtpscope.test ESMTP Postfix (Debian/GNU)");
	assert_has(C(x, "MAIL FROM:"), EXPLAIN_LANG_EN, EX_C_MAIL_EMPTY);
	n = S(x, "501 5.5.4 Syntax: MAIL FROM:<address>");
	assert_non_null(strstr(n, "501: refused (5xx), syntax (x0x): "));
	assert_has(n, EXPLAIN_LANG_EN, EX_E_5_4);
	assert_has(n, EXPLAIN_LANG_EN, EX_NO_MAIL);
	assert_has(C(x, "MAIL FROM:<>"), EXPLAIN_LANG_EN, EX_C_MAIL_NULL);
	S(x, "250 2.1.0 Ok");
	C(x, "rcpt TO:<nobody@smtpscope.test>");
	n = S(x, "550 5.1.1 <nobody@smtpscope.test>: Recipient address "
	    "rejected: User unknown in virtual mailbox table");
	assert_has(n, EXPLAIN_LANG_EN, EX_R550);
	assert_has(n, EXPLAIN_LANG_EN, EX_E_1_1);
	assert_has(n, EXPLAIN_LANG_EN, EX_NO_RCPT);
	assert_lacks(n, EXPLAIN_LANG_EN, EX_NO_TEMP);
	C(x, "rcpt TO:<later@smtpscope.test>");
	n = S(x, "450 4.2.0 <later@smtpscope.test>: greylisted");
	assert_has(n, EXPLAIN_LANG_EN, EX_R450);
	assert_has(n, EXPLAIN_LANG_EN, EX_NO_TEMP);
	assert_has(C(x, "VRFX alice"), EXPLAIN_LANG_EN, EX_C_UNKNOWN);
	assert_has(S(x, "500 5.5.2 Error: command not recognized"),
	    EXPLAIN_LANG_EN, EX_R500);
	/* Codes RFC 5321 does not define, and no code at all */
	C(x, "NOOP");
	assert_has(S(x, "299 odd"), EXPLAIN_LANG_EN, EX_R_OTHER);
	assert_has(S(x, "hello"), EXPLAIN_LANG_EN, EX_REPLY_BAD);
	assert_has(S(x, "25"), EXPLAIN_LANG_EN, EX_REPLY_BAD);
	assert_has(S(x, "2500 x"), EXPLAIN_LANG_EN, EX_REPLY_BAD);
	explain_ctx_free(x);
}

static void
test_enhanced(void **state)
{
	struct explain_ctx *x = explain_ctx_new(EXPLAIN_LANG_EN);
	const char *n;

	(void)state;
	S(x, "220 x");
	n = S(x, "250 2.7.99 odd detail");
	assert_has(n, EXPLAIN_LANG_EN, EX_E_OTHER);
	n = S(x, "250 2.9.1 no such subject");
	assert_null(strstr(n, "RFC 3463"));
	n = S(x, "250 2.1.5000 too long");
	assert_null(strstr(n, "RFC 3463"));
	n = S(x, "550 5.7.1 <someone@elsewhere.example>: Relay access denied");
	assert_has(n, EXPLAIN_LANG_EN, EX_E_7_1);
	assert_has(n, EXPLAIN_LANG_EN, EX_E_SUBJ_7);
	assert_has(n, EXPLAIN_LANG_EN, EX_E_CLASS_5);
	n = S(x, "452 4.5.3 Too many recipients");
	assert_has(n, EXPLAIN_LANG_EN, EX_E_5_3);
	assert_has(n, EXPLAIN_LANG_EN, EX_E_CLASS_4);
	explain_ctx_free(x);
}

/* pcaps/classroom/04-auth-login.pcap: the prompts decoded, once told why
 * base64 is no secret; a hostile challenge is never copied out. */
static void
test_auth(void **state)
{
	struct explain_ctx *x = explain_ctx_new(EXPLAIN_LANG_EN);
	const char *n;

	(void)state;
	S(x, "220 mx.smtpscope.test ESMTP Postfix (Debian/GNU)");
	C(x, "ehlo client.example");
	assert_has(S(x, "250-mx.smtpscope.test"), EXPLAIN_LANG_EN,
	    EX_REPLY_CONT);
	n = S(x, "250-AUTH PLAIN LOGIN");
	assert_has(n, EXPLAIN_LANG_EN, EX_X_AUTH);
	assert_has(n, EXPLAIN_LANG_EN, EX_M_CLEAR);
	assert_has(S(x, "250-AUTH=CRAM-MD5"), EXPLAIN_LANG_EN, EX_M_CHALLENGE);
	assert_has(S(x, "250-SIZE 20480000"), EXPLAIN_LANG_EN, EX_X_SIZE_N);
	assert_non_null(strstr(last, "up to 20480000 bytes"));
	assert_has(S(x, "250-X-FROBNICATE"), EXPLAIN_LANG_EN, EX_X_OTHER);
	assert_has(S(x, "250 CHUNKING"), EXPLAIN_LANG_EN, EX_X_CHUNKING);
	assert_has(C(x, "AUTH LOGIN"), EXPLAIN_LANG_EN, EX_C_AUTH);
	n = S(x, "334 VXNlcm5hbWU6");
	assert_non_null(strstr(n, "\"VXNlcm5hbWU6\" is base64 for "
	    "\"Username:\""));
	n = explain_note(x, OUTPUT_CLIENT, "<AUTH LOGIN response: user "
	    "\"bob\">");
	assert_has(n, EXPLAIN_LANG_EN, EX_N_AUTH_MASKED);
	assert_has(n, EXPLAIN_LANG_EN, EX_B64_NO_SECRET);
	n = S(x, "334 UGFzc3dvcmQ6");
	assert_non_null(strstr(n, "\"Password:\""));
	/* --show-credentials: the line is as sent and decoded */
	n = C(x, "YnVpbGRlci00Mg==");
	assert_has(n, EXPLAIN_LANG_EN, EX_N_CREDS_SHOWN);
	assert_non_null(strstr(n, "is base64 for \"builder-42\""));
	assert_lacks(n, EXPLAIN_LANG_EN, EX_B64_NO_SECRET);	/* said */
	n = S(x, "235 2.7.0 Authentication successful");
	assert_has(n, EXPLAIN_LANG_EN, EX_R235);
	assert_has(n, EXPLAIN_LANG_EN, EX_E_7_0_AUTH);
	/* A challenge of escape bytes: said binary, not copied. */
	C(x, "AUTH CRAM-MD5");
	n = S(x, "334 G1szMW0bXTA7eAc=");	/* "\e[31m\e]0;x\a" */
	assert_has(n, EXPLAIN_LANG_EN, EX_R334_BINARY);
	assert_null(strchr(n, 0x1b));
	assert_has(C(x, "*"), EXPLAIN_LANG_EN, EX_C_AUTH_CANCEL);
	S(x, "501 5.7.0 Authentication aborted");
	assert_has(C(x, "STARTTLS"), EXPLAIN_LANG_EN, EX_C_STARTTLS);
	assert_has(S(x, "220 2.0.0 Ready to start TLS"), EXPLAIN_LANG_EN,
	    EX_R220_TLS);
	assert_has(explain_note(x, OUTPUT_SERVER, "<TLS: 1 981 bytes not "
	    "shown>"), EXPLAIN_LANG_EN, EX_N_TLS);
	explain_ctx_free(x);
}

/* Random and hostile lines, both directions, every state: clean notes. */
static void
test_hostile(void **state)
{
	static const char *const seeds[] = { "MAIL FROM:<", "RCPT TO:",
	    "AUTH ", "BDAT ", "250-", "250 ", "334 ", "550 5.", "DATA",
	    "354 ", "EHLO ", "250-AUTH ", "250-SIZE " };
	struct explain_ctx *x;
	uint8_t line[700];
	size_t i, n, s, j;
	unsigned r = 12345;
	int l;

	(void)state;
	for (l = 0; l < 2; l++) {
		x = explain_ctx_new((enum explain_lang)l);
		for (i = 0; i < 20000; i++) {
			s = i % (sizeof(seeds) / sizeof(*seeds));
			n = strlen(seeds[s]);
			memcpy(line, seeds[s], n);
			r = r * 1103515245u + 12345u;
			for (j = n; j < n + (r >> 16) % 600; j++) {
				r = r * 1103515245u + 12345u;
				line[j] = (uint8_t)(r >> 16);
			}
			assert_clean(explain_line(x, seeds[s][0] >= 'A' ?
			    OUTPUT_CLIENT : OUTPUT_SERVER, line, j));
			assert_clean(explain_note(x, i & 1 ? OUTPUT_CLIENT :
			    OUTPUT_SERVER, (const char *)"<message: 1 line>"));
		}
		/* A long run of notes in one line: the buffer cuts. */
		memcpy(line, "MAIL FROM:<a@b>", 15);
		for (j = 15; j + 4 < sizeof(line); j += 4)
			memcpy(line + j, " X=\xc3", 4);
		assert_clean(explain_line(x, OUTPUT_CLIENT, line, j));
		assert_clean(explain_line(x, OUTPUT_CLIENT, NULL, 0));
		explain_ctx_free(x);
	}
	assert_null(explain_line(NULL, OUTPUT_CLIENT, line, 3));
}

/* ---- transactions, on the real event of 03-relay-two-hops, session 3 */

struct notes {
	char	*v[64];
	int	 n;
};

static void
collect(void *arg, const char *note)
{
	struct notes *ns = arg;

	assert_clean(note);
	assert_true(ns->n < 64);
	ns->v[ns->n++] = strdup(note);
}

static void
notes_free(struct notes *ns)
{
	while (ns->n > 0)
		free(ns->v[--ns->n]);
}

static int
notes_find(const struct notes *ns, const char *s)
{
	int i;

	for (i = 0; i < ns->n; i++)
		if (strstr(ns->v[i], s) != NULL)
			return i;
	return -1;
}

/* The smtp.transaction of session `session` in a golden events file. */
static struct json_object *
golden_tx(const char *path, int session)
{
	FILE *f = fopen(path, "r");
	char buf[65536];
	struct json_object *tx = NULL, *o, *ev;

	assert_non_null(f);
	while (fgets(buf, sizeof(buf), f) != NULL) {
		o = json_tokener_parse(buf);
		if (o != NULL && json_object_object_get_ex(o, "event", &ev) &&
		    strcmp(json_object_get_string(ev), "smtp.transaction") ==
		    0 && json_object_object_get_ex(o, "session", &ev) &&
		    json_object_get_int(ev) == session) {
			json_object_put(tx);
			tx = o;
		} else
			json_object_put(o);
	}
	fclose(f);
	assert_non_null(tx);
	return tx;
}

static struct json_object *
rcpt(const char *addr, int code)
{
	struct json_object *r = json_object_new_object(), *rep;

	json_object_object_add(r, "address", json_object_new_string(addr));
	rep = json_object_new_object();
	json_object_object_add(rep, "code", json_object_new_int(code));
	json_object_object_add(r, "reply", rep);
	return r;
}

static void
test_transaction(void **state)
{
	struct json_object *tx = golden_tx("tests/golden/"
	    "pcaps__classroom__03-relay-two-hops.pcap.json", 3), *v, *mf;
	struct notes ns = { .n = 0 };
	int h1, h2;

	(void)state;
	explain_transaction(EXPLAIN_LANG_EN, tx, collect, &ns);
	assert_true(notes_find(&ns, "transaction ") == 0);
	assert_true(notes_find(&ns, "accepted") == 0);
	/* two hops, oldest (the last Received) first */
	assert_true(notes_find(&ns, "Received: lines in the message: 2") > 0);
	h1 = notes_find(&ns, "hop 1: client.example (localhost [127.0.0.1]) "
	    "handed the message to mx.smtpscope.test with ESMTP on ");
	h2 = notes_find(&ns, "hop 2: mx.smtpscope.test ([127.0.0.1]) handed "
	    "the message to relay.smtpscope.test with esmtp");
	assert_true(h1 > 0 && h2 == h1 + 1);
	assert_true(notes_find(&ns, "(for dave@smtpscope.test)") == h1);
	/* envelope and headers agree: nothing said about them */
	assert_int_equal(notes_find(&ns, "envelope recipient"), -1);
	assert_int_equal(notes_find(&ns, "From: domain"), -1);
	notes_free(&ns);

	/* A Bcc recipient accepted, one refused (not a recipient at all). */
	json_object_object_get_ex(tx, "rcpt_to", &v);
	json_object_array_add(v, rcpt("hidden@elsewhere.example", 250));
	json_object_array_add(v, rcpt("refused@elsewhere.example", 550));
	json_object_object_get_ex(tx, "mail_from", &mf);
	json_object_object_add(mf, "address",
	    json_object_new_string("bounces@list.example"));
	explain_transaction(EXPLAIN_LANG_FR, tx, collect, &ns);
	assert_true(notes_find(&ns, "hidden@elsewhere.example est "
	    "destinataire dans l’enveloppe") > 0);
	assert_int_equal(notes_find(&ns, "refused@elsewhere.example"), -1);
	assert_true(notes_find(&ns, "(list.example) diffère de celui de "
	    "From: (client.example)") > 0);
	assert_true(notes_find(&ns, "étape 1 : client.example") > 0);
	notes_free(&ns);

	/* A bounce; the To: header names someone not in the envelope. */
	json_object_object_add(mf, "null_path", json_object_new_boolean(1));
	json_object_object_add(mf, "address", json_object_new_string(""));
	json_object_object_get_ex(tx, "rcpt_to", &v);
	json_object_array_del_idx(v, 0, 1);
	explain_transaction(EXPLAIN_LANG_EN, tx, collect, &ns);
	assert_true(notes_find(&ns, "the envelope sender is empty (<>)") > 0);
	assert_true(notes_find(&ns, "dave@smtpscope.test is named in the "
	    "headers but is not a recipient") > 0);
	notes_free(&ns);

	/* Not an object, or no message: only what is there. */
	explain_transaction(EXPLAIN_LANG_EN, NULL, collect, &ns);
	assert_int_equal(ns.n, 0);
	json_object_object_del(tx, "message");
	explain_transaction(EXPLAIN_LANG_EN, tx, collect, &ns);
	assert_int_equal(ns.n, 2);	/* outcome, null path */
	notes_free(&ns);
	json_object_put(tx);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_tables_complete),
		cmocka_unit_test(test_lang_parse),
		cmocka_unit_test(test_plain_exchange),
		cmocka_unit_test(test_pipelined_context),
		cmocka_unit_test(test_refusals),
		cmocka_unit_test(test_enhanced),
		cmocka_unit_test(test_auth),
		cmocka_unit_test(test_hostile),
		cmocka_unit_test(test_transaction),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
