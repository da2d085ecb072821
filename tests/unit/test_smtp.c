/* test_smtp.c: whole dialogues through the real SMTP dissector into the real
 * output (NDJSON in memory), parsed back with json-c. Dialogue texts follow
 * real postfix and exim output; each test is one of the pitfalls. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include <json-c/json.h>

#include "config.h"
#include "dissector.h"
#include "flow.h"
#include "output.h"
#include "smtp.h"
#include "smtp_event.h"
#include "smtps.h"

struct h {
	char			*jbuf, *tbuf;
	size_t			 jlen, tlen;
	FILE			*jf, *tf;
	struct output		*out;
	struct flow		 flow;
	struct config		 cfg;
	const struct dissector	*d;
	void			*st;
	struct json_object	*events[64];
	size_t			 nevents;
};

static void
h_open_d(struct h *h, int show_credentials, const struct dissector *d)
{
	struct output_options oo;

	memset(h, 0, sizeof(*h));
	config_defaults(&h->cfg);
	h->cfg.show_credentials = show_credentials;
	h->jf = open_memstream(&h->jbuf, &h->jlen);
	h->tf = open_memstream(&h->tbuf, &h->tlen);
	memset(&oo, 0, sizeof(oo));
	oo.json = h->jf;
	oo.text = h->tf;
	h->out = output_open(&oo);
	assert_non_null(h->out);
	h->flow.id = 1;
	strcpy(h->flow.client.ip, "192.0.2.10");
	h->flow.client.port = 40000;
	strcpy(h->flow.server.ip, "198.51.100.25");
	h->flow.server.port = 25;
	h->flow.now.tv_sec = 1700000000;
	h->flow.dissector = d;
	h->d = d;
	output_session_open(h->out, &h->flow);
	h->st = d->open(&h->flow, h->out, &h->cfg);
	assert_non_null(h->st);
}

static void
h_open(struct h *h, int show_credentials)
{
	h_open_d(h, show_credentials, &smtp_dissector);
}

static void
C(struct h *h, const char *s)
{
	h->d->client_data(h->st, (const uint8_t *)s, strlen(s));
}

static void
S(struct h *h, const char *s)
{
	h->d->server_data(h->st, (const uint8_t *)s, strlen(s));
}

/* Every byte in its own segment: packet boundaries must not matter. */
static void
C1(struct h *h, const char *s)
{
	for (; *s != '\0'; s++)
		h->d->client_data(h->st, (const uint8_t *)s, 1);
}

static void
h_close(struct h *h, enum flow_end why)
{
	char *line, *save = NULL;

	h->d->close(h->st, why);
	output_close(h->out);
	fclose(h->jf);
	fclose(h->tf);
	for (line = strtok_r(h->jbuf, "\n", &save); line != NULL;
	    line = strtok_r(NULL, "\n", &save)) {
		struct json_object *o = json_tokener_parse(line);

		assert_non_null(o);
		assert_true(h->nevents < 64);
		h->events[h->nevents++] = o;
	}
}

static void
h_free(struct h *h)
{
	for (size_t i = 0; i < h->nevents; i++)
		json_object_put(h->events[i]);
	free(h->jbuf);
	free(h->tbuf);
}

/* The i-th event of a type (0-based), or NULL. */
static struct json_object *
ev(struct h *h, const char *type, size_t i)
{
	for (size_t k = 0; k < h->nevents; k++) {
		struct json_object *t;

		if (json_object_object_get_ex(h->events[k], "event", &t) &&
		    strcmp(json_object_get_string(t), type) == 0 && i-- == 0)
			return h->events[k];
	}
	return NULL;
}

static size_t
count(struct h *h, const char *type)
{
	size_t n = 0;

	while (ev(h, type, n) != NULL)
		n++;
	return n;
}

/* A value by path "a.b.0.c"; NULL if absent. */
static struct json_object *
get(struct json_object *o, const char *path)
{
	char buf[256], *tok, *save = NULL;

	snprintf(buf, sizeof(buf), "%s", path);
	for (tok = strtok_r(buf, ".", &save); tok != NULL && o != NULL;
	    tok = strtok_r(NULL, ".", &save)) {
		if (json_object_is_type(o, json_type_array))
			o = json_object_array_get_idx(o, (size_t)atoi(tok));
		else if (!json_object_object_get_ex(o, tok, &o))
			return NULL;
	}
	return o;
}

static const char *
gets(struct json_object *o, const char *path)
{
	struct json_object *v = get(o, path);

	return v != NULL ? json_object_get_string(v) : "(null)";
}

static int64_t
geti(struct json_object *o, const char *path)
{
	struct json_object *v = get(o, path);

	return v != NULL ? json_object_get_int64(v) : -1;
}

/* Is key in o at all (also when its value is null)? */
static int
present(struct json_object *o, const char *key)
{
	return o != NULL && json_object_object_get_ex(o, key, NULL);
}

static int
has_anomaly(struct h *h, const char *name)
{
	struct json_object *a = get(ev(h, "smtp.session", 0), "anomalies");

	for (size_t i = 0; a != NULL && i < json_object_array_length(a); i++)
		if (strcmp(json_object_get_string(
		    json_object_array_get_idx(a, i)), name) == 0)
			return 1;
	return 0;
}

static const char postfix_ehlo[] =
    "250-mail.example.org\r\n250-PIPELINING\r\n250-SIZE 10240000\r\n"
    "250-VRFY\r\n250-ETRN\r\n250-STARTTLS\r\n250-AUTH PLAIN LOGIN\r\n"
    "250-ENHANCEDSTATUSCODES\r\n250-8BITMIME\r\n250-DSN\r\n"
    "250-SMTPUTF8\r\n250 CHUNKING\r\n";

static void
greet(struct h *h)
{
	S(h, "220 mail.example.org ESMTP Postfix (Debian/GNU)\r\n");
	C(h, "EHLO client.example.net\r\n");
	S(h, postfix_ehlo);
}

static void
test_two_mails_never_merged(void **state)
{
	struct h h;
	struct json_object *t1, *t2, *s;

	(void)state;
	h_open(&h, 0);
	greet(&h);
	C(&h, "MAIL FROM:<alice@example.net> SIZE=120 BODY=8BITMIME\r\n");
	S(&h, "250 2.1.0 Ok\r\n");
	C(&h, "RCPT TO:<bob@example.org> NOTIFY=NEVER\r\n");
	S(&h, "250 2.1.5 Ok\r\n");
	C(&h, "DATA\r\n");
	S(&h, "354 End data with <CR><LF>.<CR><LF>\r\n");
	C1(&h, "Subject: one\r\n\r\nfirst\r\n.\r\n");
	S(&h, "250 2.0.0 Ok: queued as 4SbXyZ1\r\n");
	C(&h, "MAIL FROM:<carol@example.net>\r\n");
	S(&h, "250 2.1.0 Ok\r\n");
	C(&h, "RCPT TO:<nobody@example.org>\r\n");
	S(&h, "550 5.1.1 <nobody@example.org>: Recipient address rejected: "
	    "User unknown in local recipient table\r\n");
	C(&h, "RCPT TO:<dave@example.org>\r\n");
	S(&h, "250 2.1.5 Ok\r\n");
	C(&h, "DATA\r\n");
	S(&h, "354 End data with <CR><LF>.<CR><LF>\r\n");
	C(&h, "Subject: two\r\n\r\n..dot\r\n.\r\n");
	S(&h, "250 2.0.0 Ok: queued as 4SbXyZ2\r\n");
	C(&h, "QUIT\r\n");
	S(&h, "221 2.0.0 Bye\r\n");
	h_close(&h, FLOW_END_FIN);
	assert_int_equal(count(&h, "smtp.transaction"), 2);
	t1 = ev(&h, "smtp.transaction", 0);
	t2 = ev(&h, "smtp.transaction", 1);
	assert_int_equal(geti(t1, "trans_depth"), 1);
	assert_string_equal(gets(t1, "helo"), "client.example.net");
	assert_string_equal(gets(t1, "mail_from.address"),
	    "alice@example.net");
	assert_string_equal(gets(t1, "mail_from.params.SIZE"), "120");
	assert_int_equal(geti(t1, "mail_from.reply.code"), 250);
	assert_string_equal(gets(t1, "mail_from.reply.enhanced"), "2.1.0");
	assert_string_equal(gets(t1, "mail_from.reply.text"), "Ok");
	assert_int_equal(json_object_array_length(get(t1, "rcpt_to")), 1);
	assert_string_equal(gets(t1, "data.command"), "DATA");
	assert_int_equal(geti(t1, "data.bytes"), 23);
	assert_int_equal(geti(t1, "data.lines"), 3);
	assert_string_equal(gets(t1, "data.reply.text"),
	    "Ok: queued as 4SbXyZ1");
	assert_string_equal(gets(t1, "status"), "accepted");
	assert_non_null(get(t1, "message"));
	assert_int_equal(geti(t2, "trans_depth"), 2);
	assert_string_equal(gets(t2, "mail_from.address"),
	    "carol@example.net");
	assert_int_equal(json_object_array_length(get(t2, "rcpt_to")), 2);
	/* The refused recipient keeps its own reply. */
	assert_string_equal(gets(t2, "rcpt_to.0.address"),
	    "nobody@example.org");
	assert_int_equal(geti(t2, "rcpt_to.0.reply.code"), 550);
	assert_string_equal(gets(t2, "rcpt_to.0.reply.enhanced"), "5.1.1");
	assert_int_equal(geti(t2, "rcpt_to.1.reply.code"), 250);
	assert_int_equal(geti(t2, "data.bytes"), 22);
	assert_string_equal(gets(t2, "status"), "accepted");
	s = ev(&h, "smtp.session", 0);
	assert_non_null(s);
	assert_int_equal(geti(s, "banner.code"), 220);
	assert_string_equal(gets(s, "helo.command"), "EHLO");
	assert_string_equal(gets(s, "helo.argument"), "client.example.net");
	assert_int_equal(json_object_array_length(get(s, "extensions")), 11);
	assert_string_equal(gets(s, "extensions.1.name"), "SIZE");
	assert_string_equal(gets(s, "extensions.1.params.0"), "10240000");
	assert_int_equal(geti(s, "commands"), 9);
	assert_int_equal(geti(s, "transactions"), 2);
	assert_string_equal(gets(s, "end"), "quit");
	assert_int_equal(json_object_array_length(get(s, "anomalies")), 0);
	assert_non_null(strstr(h.tbuf, "<message: 3 lines, 23 bytes>"));
	h_free(&h);
}

static void
test_gap_in_data_never_merges(void **state)
{
	struct h h;
	struct json_object *t1, *t2;

	(void)state;
	h_open(&h, 0);
	greet(&h);
	C(&h, "MAIL FROM:<alice@example.net>\r\nRCPT TO:<bob@example.org>\r\n"
	    "DATA\r\n");
	S(&h, "250 2.1.0 Ok\r\n250 2.1.5 Ok\r\n354 End data\r\n");
	C(&h, "Subject: one\r\n\r\nfir");
	/* The rest of the body, the "." and nothing else were lost. */
	h.d->gap(h.st, 1, 1400);
	S(&h, "250 2.0.0 Ok: queued as A\r\n");
	C(&h, "MAIL FROM:<carol@example.net>\r\nRCPT TO:<dave@example.org>\r\n"
	    "DATA\r\n");
	S(&h, "250 2.1.0 Ok\r\n250 2.1.5 Ok\r\n354 End data\r\n");
	C(&h, "Subject: two\r\n\r\n.\r\n");
	S(&h, "250 2.0.0 Ok: queued as B\r\n");
	h_close(&h, FLOW_END_RST);
	assert_int_equal(count(&h, "smtp.transaction"), 2);
	t1 = ev(&h, "smtp.transaction", 0);
	t2 = ev(&h, "smtp.transaction", 1);
	assert_string_equal(gets(t1, "mail_from.address"),
	    "alice@example.net");
	assert_string_equal(gets(t1, "rcpt_to.0.address"), "bob@example.org");
	assert_true(json_object_get_boolean(get(t1, "gap")));
	assert_string_equal(gets(t2, "mail_from.address"),
	    "carol@example.net");
	assert_string_equal(gets(t2, "rcpt_to.0.address"), "dave@example.org");
	assert_int_equal(json_object_array_length(get(t2, "rcpt_to")), 1);
	assert_string_equal(gets(t2, "status"), "accepted");
	assert_true(has_anomaly(&h, "gap"));
	assert_string_equal(gets(ev(&h, "smtp.session", 0), "end"), "rst");
	h_free(&h);
}

static void
test_gap_in_commands(void **state)
{
	struct h h;

	(void)state;
	h_open(&h, 0);
	greet(&h);
	C(&h, "MAIL FROM:<alice@example.net>\r\nRCPT TO:<bo");
	h.d->gap(h.st, 1, 100);
	C(&h, "xx@example.org>\r\nRSET\r\nMAIL FROM:<eve@example.net>\r\n");
	S(&h, "250 2.1.0 Ok\r\n250 2.0.0 Ok\r\n250 2.1.0 Ok\r\n");
	h_close(&h, FLOW_END_FIN);
	assert_int_equal(count(&h, "smtp.transaction"), 2);
	assert_string_equal(gets(ev(&h, "smtp.transaction", 0), "status"),
	    "aborted");
	assert_string_equal(gets(ev(&h, "smtp.transaction", 1),
	    "mail_from.address"), "eve@example.net");
	assert_string_equal(gets(ev(&h, "smtp.transaction", 1), "status"),
	    "incomplete");
	h_free(&h);
}

static void
test_bdat_last_then_new_mail(void **state)
{
	struct h h;
	struct json_object *t1, *t2;

	(void)state;
	h_open(&h, 0);
	greet(&h);
	C(&h, "MAIL FROM:<a@example.net>\r\nRCPT TO:<b@example.org>\r\n");
	/* The payload looks like commands: it is data, never commands. */
	C(&h, "BDAT 35 LAST\r\nMAIL FROM:<evil@x>\r\nRCPT TO:<e@x>\r\n");
	S(&h, "250 2.1.0 Ok\r\n250 2.1.5 Ok\r\n"
	    "250 2.0.0 Ok: 35 bytes queued as C1\r\n");
	C(&h, "MAIL FROM:<c@example.net>\r\nRCPT TO:<d@example.org>\r\n"
	    "BDAT 0 LAST\r\n");
	S(&h, "250 2.1.0 Ok\r\n250 2.1.5 Ok\r\n250 2.0.0 Ok: queued as C2\r\n");
	C(&h, "QUIT\r\n");
	h_close(&h, FLOW_END_FIN);
	assert_int_equal(count(&h, "smtp.transaction"), 2);
	t1 = ev(&h, "smtp.transaction", 0);
	t2 = ev(&h, "smtp.transaction", 1);
	assert_string_equal(gets(t1, "data.command"), "BDAT");
	assert_int_equal(geti(t1, "data.chunks"), 1);
	assert_int_equal(geti(t1, "data.bytes"), 35);
	assert_int_equal(json_object_array_length(get(t1, "rcpt_to")), 1);
	assert_string_equal(gets(t1, "status"), "accepted");
	assert_string_equal(gets(t2, "mail_from.address"), "c@example.net");
	assert_int_equal(geti(t2, "data.chunks"), 1);
	assert_int_equal(geti(t2, "data.bytes"), 0);
	assert_string_equal(gets(t2, "data.reply.text"), "Ok: queued as C2");
	assert_string_equal(gets(t2, "status"), "accepted");
	assert_false(has_anomaly(&h, "unknown_command"));
	assert_string_equal(gets(ev(&h, "smtp.session", 0), "end"), "quit");
	assert_non_null(strstr(h.tbuf, "<chunk: 35 bytes>"));
	h_free(&h);
}

static void
test_bdat_refused_chunk(void **state)
{
	struct h h;
	struct json_object *t1, *t2;

	(void)state;
	h_open(&h, 0);
	greet(&h);
	C(&h, "MAIL FROM:<a@example.net>\r\nRCPT TO:<b@example.org>\r\n"
	    "BDAT 10\r\n0123456789");
	S(&h, "250 2.1.0 Ok\r\n250 2.1.5 Ok\r\n"
	    "552 5.3.4 Message size exceeds fixed limit\r\n");
	C(&h, "BDAT 5 LAST\r\nabcde");
	S(&h, "503 5.5.1 Error: no transaction\r\n");
	C(&h, "RSET\r\n");
	S(&h, "250 2.0.0 Ok\r\n");
	C(&h, "MAIL FROM:<c@example.net>\r\nRCPT TO:<d@example.org>\r\n"
	    "BDAT 3 LAST\r\nxyz");
	S(&h, "250 2.1.0 Ok\r\n250 2.1.5 Ok\r\n250 2.0.0 Ok: queued\r\n");
	h_close(&h, FLOW_END_FIN);
	assert_int_equal(count(&h, "smtp.transaction"), 2);
	t1 = ev(&h, "smtp.transaction", 0);
	t2 = ev(&h, "smtp.transaction", 1);
	assert_int_equal(geti(t1, "data.chunks"), 2);
	assert_int_equal(geti(t1, "data.reply.code"), 552);
	assert_string_equal(gets(t1, "status"), "rejected");
	assert_string_equal(gets(t2, "mail_from.address"), "c@example.net");
	assert_int_equal(geti(t2, "data.bytes"), 3);
	assert_string_equal(gets(t2, "status"), "accepted");
	h_free(&h);
}

static void
test_bdat_hostile_sizes(void **state)
{
	static const char *const sizes[] = {
		"BDAT 99999999999999999999 LAST\r\n",
		"BDAT 18446744073709551615\r\n",
		"BDAT -1\r\n", "BDAT\r\n", "BDAT 12 LASTX\r\n",
	};

	(void)state;
	for (size_t i = 0; i < sizeof(sizes) / sizeof(*sizes); i++) {
		struct h h;

		h_open(&h, 0);
		greet(&h);
		C(&h, "MAIL FROM:<a@example.net>\r\n");
		S(&h, "250 2.1.0 Ok\r\n");
		C(&h, sizes[i]);
		S(&h, "501 5.5.4 Syntax: BDAT count [LAST]\r\n");
		C(&h, "QUIT\r\n");
		S(&h, "221 2.0.0 Bye\r\n");
		h_close(&h, FLOW_END_FIN);
		assert_true(has_anomaly(&h, "bdat_bad_size"));
		assert_string_equal(gets(ev(&h, "smtp.session", 0), "end"),
		    "quit");
		h_free(&h);
	}
}

static void
test_rset_resets(void **state)
{
	struct h h;

	(void)state;
	h_open(&h, 0);
	greet(&h);
	C(&h, "MAIL FROM:<a@example.net>\r\n");
	S(&h, "250 2.1.0 Ok\r\n");
	C(&h, "RCPT TO:<b@example.org>\r\n");
	S(&h, "250 2.1.5 Ok\r\n");
	C(&h, "RSET\r\n");
	S(&h, "250 2.0.0 Ok\r\n");
	C(&h, "MAIL FROM:<c@example.net>\r\n");
	S(&h, "250 2.1.0 Ok\r\n");
	C(&h, "RCPT TO:<d@example.org>\r\n");
	S(&h, "250 2.1.5 Ok\r\n");
	C(&h, "DATA\r\n");
	S(&h, "354 go ahead\r\n");
	C(&h, "x\r\n.\r\n");
	S(&h, "250 2.0.0 Ok\r\n");
	h_close(&h, FLOW_END_FIN);
	assert_int_equal(count(&h, "smtp.transaction"), 2);
	assert_string_equal(gets(ev(&h, "smtp.transaction", 0), "status"),
	    "aborted");
	assert_null(get(ev(&h, "smtp.transaction", 0), "data"));
	assert_string_equal(gets(ev(&h, "smtp.transaction", 1),
	    "rcpt_to.0.address"), "d@example.org");
	assert_int_equal(json_object_array_length(get(
	    ev(&h, "smtp.transaction", 1), "rcpt_to")), 1);
	h_free(&h);
}

static void
test_unexpected_replies(void **state)
{
	struct h h;
	struct json_object *t;

	(void)state;
	h_open(&h, 0);
	greet(&h);
	C(&h, "MAIL FROM:<a@example.net>\r\n");
	S(&h, "400 4.7.0 Try again later\r\n");
	C(&h, "MAIL FROM:<a@example.net>\r\n");
	S(&h, "250 2.1.0 Ok\r\n");
	C(&h, "RCPT TO:<b@example.org>\r\n");
	S(&h, "250 2.1.5 Ok\r\n");
	C(&h, "DATA\r\n");
	S(&h, "472 4.7.0 not now\r\n");
	C(&h, "QUIT\r\n");
	S(&h, "221 Bye\r\n");
	h_close(&h, FLOW_END_FIN);
	assert_true(has_anomaly(&h, "unexpected_reply"));
	assert_int_equal(count(&h, "smtp.transaction"), 2);
	t = ev(&h, "smtp.transaction", 0);
	assert_int_equal(geti(t, "mail_from.reply.code"), 400);
	assert_string_equal(gets(t, "status"), "rejected");
	t = ev(&h, "smtp.transaction", 1);
	assert_int_equal(geti(t, "data.reply.code"), 472);
	assert_string_equal(gets(t, "status"), "rejected");
	/* The QUIT after the refused DATA was a command, not message. */
	assert_string_equal(gets(ev(&h, "smtp.session", 0), "end"), "quit");
	h_free(&h);
}

static void
test_starttls_injection(void **state)
{
	struct h h;

	(void)state;
	h_open(&h, 0);
	greet(&h);
	C(&h, "STARTTLS\r\nRSET\r\n");
	S(&h, "220 2.0.0 Ready to start TLS\r\n");
	C(&h, "\x16\x03\x01\x02\x01\x01\x01\x01\xfc\x03\x03");
	S(&h, "\x16\x03\x03\x00\x7a\x02\x00\x00");
	h_close(&h, FLOW_END_FIN);
	assert_true(has_anomaly(&h, "starttls_injection"));
	assert_true(json_object_get_boolean(get(ev(&h, "smtp.session", 0),
	    "starttls")));
	assert_int_equal(geti(ev(&h, "smtp.session", 0), "tls_client_bytes"),
	    11);
	assert_non_null(strstr(h.tbuf, "<TLS: 11 bytes not shown>"));
	h_free(&h);
}

static void
test_starttls_clean_and_refused(void **state)
{
	struct h h;

	(void)state;
	h_open(&h, 0);
	greet(&h);
	C(&h, "STARTTLS\r\n");
	S(&h, "454 4.7.0 TLS not available due to local problem\r\n");
	C(&h, "MAIL FROM:<a@example.net>\r\n");
	S(&h, "250 2.1.0 Ok\r\n");
	C(&h, "STARTTLS\r\n");
	S(&h, "220 2.0.0 Ready to start TLS\r\n");
	C(&h, "\x16\x03\x01\x00\x05hello");
	h_close(&h, FLOW_END_FIN);
	assert_false(has_anomaly(&h, "starttls_injection"));
	assert_int_equal(count(&h, "smtp.transaction"), 1);
	assert_string_equal(gets(ev(&h, "smtp.transaction", 0),
	    "mail_from.address"), "a@example.net");
	assert_int_equal(geti(ev(&h, "smtp.session", 0),
	    "starttls_reply.code"), 220);
	h_free(&h);
}

static void
test_pipelined_data_and_body_one_segment(void **state)
{
	struct h h;
	struct json_object *t;

	(void)state;
	h_open(&h, 0);
	greet(&h);
	C(&h, "MAIL FROM:<a@example.net>\r\nRCPT TO:<b@example.org>\r\n"
	    "RCPT TO:<c@example.org>\r\nDATA\r\nSubject: hi\r\n\r\nbody\r\n"
	    ".\r\nQUIT\r\n");
	S(&h, "250 2.1.0 Ok\r\n250 2.1.5 Ok\r\n550 5.1.1 no\r\n");
	S(&h, "354 End data with <CR><LF>.<CR><LF>\r\n");
	S(&h, "250 2.0.0 Ok: queued as P1\r\n221 2.0.0 Bye\r\n");
	h_close(&h, FLOW_END_FIN);
	assert_int_equal(count(&h, "smtp.transaction"), 1);
	t = ev(&h, "smtp.transaction", 0);
	assert_int_equal(geti(t, "data.bytes"), 21);
	assert_int_equal(geti(t, "data.lines"), 3);
	assert_int_equal(geti(t, "rcpt_to.1.reply.code"), 550);
	assert_int_equal(geti(t, "data.reply.code"), 250);
	assert_string_equal(gets(t, "status"), "accepted");
	assert_false(has_anomaly(&h, "pipelining_not_offered"));
	assert_string_equal(gets(ev(&h, "smtp.session", 0), "end"), "quit");
	h_free(&h);
}

static void
test_pipelined_data_refused(void **state)
{
	struct h h;

	(void)state;
	h_open(&h, 0);
	greet(&h);
	C(&h, "MAIL FROM:<a@example.net>\r\nRCPT TO:<x@example.org>\r\n"
	    "DATA\r\n");
	S(&h, "250 2.1.0 Ok\r\n550 5.1.1 unknown\r\n"
	    "554 5.5.1 Error: no valid recipients\r\n");
	C(&h, "RSET\r\nQUIT\r\n");
	S(&h, "250 2.0.0 Ok\r\n221 2.0.0 Bye\r\n");
	h_close(&h, FLOW_END_FIN);
	assert_int_equal(count(&h, "smtp.transaction"), 1);
	assert_string_equal(gets(ev(&h, "smtp.transaction", 0), "status"),
	    "rejected");
	assert_int_equal(geti(ev(&h, "smtp.transaction", 0),
	    "data.reply.code"), 554);
	assert_int_equal(geti(ev(&h, "smtp.session", 0), "commands"), 6);
	h_free(&h);
}

static void
test_auth_plain_login(void **state)
{
	struct h h;

	(void)state;
	h_open(&h, 0);
	greet(&h);
	C(&h, "AUTH PLAIN AGFsaWNlAHNlY3JldA==\r\n");
	S(&h, "535 5.7.8 Error: authentication failed\r\n");
	C(&h, "AUTH LOGIN\r\n");
	S(&h, "334 VXNlcm5hbWU6\r\n");
	C(&h, "Ym9i\r\n");
	S(&h, "334 UGFzc3dvcmQ6\r\n");
	C(&h, "aHVudGVyMg==\r\n");
	S(&h, "235 2.7.0 Authentication successful\r\n");
	C(&h, "MAIL FROM:<bob@example.net> AUTH=bob\r\n");
	S(&h, "250 2.1.0 Ok\r\n");
	h_close(&h, FLOW_END_FIN);
	assert_string_equal(gets(ev(&h, "smtp.session", 0), "auth.mechanism"),
	    "LOGIN");
	assert_string_equal(gets(ev(&h, "smtp.session", 0), "auth.username"),
	    "bob");
	assert_string_equal(gets(ev(&h, "smtp.session", 0), "auth.result"),
	    "success");
	assert_null(get(ev(&h, "smtp.session", 0), "auth.password"));
	assert_true(has_anomaly(&h, "auth_in_clear"));
	assert_null(strstr(h.tbuf, "AGFsaWNlAHNlY3JldA"));
	assert_null(strstr(h.tbuf, "aHVudGVyMg"));
	assert_null(strstr(h.jbuf, "hunter2"));
	/* The verb is on a C: line (tools/vs_tshark.py counts it there). */
	assert_non_null(strstr(h.tbuf, "C: AUTH PLAIN <initial response: "
	    "user \"alice\", password hidden>\n"));
	assert_non_null(strstr(h.tbuf, "C: AUTH LOGIN\n"));
	assert_non_null(strstr(h.tbuf, "<AUTH LOGIN response: user \"bob\">"));
	assert_string_equal(gets(ev(&h, "smtp.transaction", 0),
	    "mail_from.address"), "bob@example.net");
	h_free(&h);
}

/* Every reply counted by code in the session event, a multi-line reply
 * once, a reply without command too; past SMTP_REPLY_CODES_MAX distinct
 * codes the rest is replies_uncounted. */
static void
test_session_replies(void **state)
{
	struct h h;
	struct json_object *sess;
	char line[32];
	int i;

	(void)state;
	h_open(&h, 0);
	greet(&h);				/* 220, 250 (multi-line) */
	C(&h, "MAIL FROM:<a@example.net>\r\nRCPT TO:<b@example.org>\r\n"
	    "RCPT TO:<c@example.org>\r\n");
	S(&h, "250 2.1.0 Ok\r\n550 5.1.1 No\r\n250 2.1.5 Ok\r\n");
	S(&h, "421 4.3.2 Going away\r\n");	/* nothing asked */
	h_close(&h, FLOW_END_FIN);
	sess = ev(&h, "smtp.session", 0);
	assert_int_equal(geti(sess, "replies.220"), 1);
	assert_int_equal(geti(sess, "replies.250"), 3);
	assert_int_equal(geti(sess, "replies.550"), 1);
	assert_int_equal(geti(sess, "replies.421"), 1);
	assert_int_equal(json_object_object_length(get(sess, "replies")), 4);
	assert_null(get(sess, "replies_uncounted"));
	h_free(&h);

	h_open(&h, 0);
	greet(&h);
	for (i = 0; i < 30; i++) {
		C(&h, "NOOP\r\n");
		snprintf(line, sizeof(line), "2%02d ok\r\n", 60 + i);
		S(&h, line);
	}
	h_close(&h, FLOW_END_FIN);
	sess = ev(&h, "smtp.session", 0);
	/* 220 and 250 first, then 22 of the 30 codes 260..289 */
	assert_int_equal(json_object_object_length(get(sess, "replies")),
	    SMTP_REPLY_CODES_MAX);
	assert_int_equal(geti(sess, "replies_uncounted"), 30 - 22);
	h_free(&h);
}

static void
test_auth_show_credentials(void **state)
{
	struct h h;

	(void)state;
	h_open(&h, 1);
	greet(&h);
	C(&h, "AUTH PLAIN\r\n");
	S(&h, "334 \r\n");
	C(&h, "AGFsaWNlAHNlY3JldA==\r\n");
	S(&h, "235 2.7.0 Authentication successful\r\n");
	h_close(&h, FLOW_END_FIN);
	assert_string_equal(gets(ev(&h, "smtp.session", 0), "auth.username"),
	    "alice");
	assert_string_equal(gets(ev(&h, "smtp.session", 0), "auth.password"),
	    "secret");
	assert_true(json_object_get_boolean(get(ev(&h, "smtp.session", 0),
	    "auth.credentials_shown")));
	/* the transcript shows the line as sent and says it shows secrets */
	assert_non_null(strstr(h.tbuf, "C: AGFsaWNlAHNlY3JldA==\n"
	    "C: <credentials shown (--show-credentials): AUTH PLAIN response: "
	    "user \"alice\", password \"secret\">\n"));
	h_free(&h);
}

static void
test_nested_mail_and_helo_reset(void **state)
{
	struct h h;
	struct json_object *t;

	(void)state;
	h_open(&h, 0);
	greet(&h);
	C(&h, "MAIL FROM:<a@example.net>\r\n");
	S(&h, "250 2.1.0 Ok\r\n");
	C(&h, "MAIL FROM:<b@example.net> SIZE=10\r\n");
	S(&h, "503 5.5.1 Error: nested MAIL command\r\n");
	C(&h, "RCPT TO:<c@example.org>\r\n");
	S(&h, "250 2.1.5 Ok\r\n");
	C(&h, "EHLO again\r\n");
	S(&h, "550 5.7.1 no\r\n");
	C(&h, "DATA\r\n");
	S(&h, "354 go\r\n");
	C(&h, "x\r\n.\r\n");
	S(&h, "250 2.0.0 Ok\r\n");
	C(&h, "MAIL FROM:<d@example.net>\r\n");
	S(&h, "250 2.1.0 Ok\r\n");
	h_close(&h, FLOW_END_FIN);
	/* The refused nested MAIL opened nothing: it is recorded in the
	 * transaction it was nested in, which goes on; events come out in
	 * trans_depth order, numbered without a hole. */
	assert_int_equal(count(&h, "smtp.transaction"), 2);
	t = ev(&h, "smtp.transaction", 0);
	assert_int_equal(geti(t, "trans_depth"), 1);
	assert_string_equal(gets(t, "mail_from.address"), "a@example.net");
	assert_string_equal(gets(t, "rcpt_to.0.address"), "c@example.org");
	assert_int_equal(json_object_array_length(get(t, "rcpt_to")), 1);
	assert_string_equal(gets(t, "status"), "accepted");
	assert_int_equal(json_object_array_length(get(t, "refused_commands")),
	    1);
	assert_string_equal(gets(t, "refused_commands.0.command"), "MAIL");
	assert_string_equal(gets(t, "refused_commands.0.argument"),
	    "FROM:<b@example.net> SIZE=10");
	assert_int_equal(geti(t, "refused_commands.0.reply.code"), 503);
	assert_string_equal(gets(t, "refused_commands.0.reply.enhanced"),
	    "5.5.1");
	t = ev(&h, "smtp.transaction", 1);
	assert_int_equal(geti(t, "trans_depth"), 2);
	assert_string_equal(gets(t, "mail_from.address"), "d@example.net");
	assert_null(get(t, "refused_commands"));
	assert_true(has_anomaly(&h, "bad_sequence"));
	assert_int_equal(geti(ev(&h, "smtp.session", 0), "transactions"), 2);
	h_free(&h);
}

static void
test_hostile_lines(void **state)
{
	struct h h;
	char *big = malloc(100000);

	(void)state;
	memset(big, 'A', 99999);
	big[99999] = '\0';
	h_open(&h, 0);
	S(&h, "220 hi\r\n");
	C(&h, "XSPAM foo\r\nhelo x\n");
	C(&h, big);
	C(&h, "\r\n");
	S(&h, big);
	S(&h, "\r\nnot a reply\r\n250 ok\r\n250 ok\r\n999 bad\r\n");
	S(&h, "250 for the long one\r\n250 unsolicited\r\n");
	h_close(&h, FLOW_END_TIMEOUT);
	assert_true(has_anomaly(&h, "unknown_command"));
	assert_true(has_anomaly(&h, "bare_lf"));
	assert_true(has_anomaly(&h, "command_too_long"));
	assert_true(has_anomaly(&h, "reply_too_long"));
	assert_true(has_anomaly(&h, "invalid_reply"));
	assert_true(has_anomaly(&h, "reply_without_command"));
	assert_string_equal(gets(ev(&h, "smtp.session", 0), "end"), "timeout");
	free(big);
	h_free(&h);
}

static void
test_unterminated_data(void **state)
{
	struct h h;

	(void)state;
	h_open(&h, 0);
	greet(&h);
	C(&h, "MAIL FROM:<a@example.net>\r\nRCPT TO:<b@example.org>\r\n"
	    "DATA\r\n");
	S(&h, "250 Ok\r\n250 Ok\r\n354 go\r\n");
	C(&h, "Subject: cut\r\n\r\nhalf");
	h_close(&h, FLOW_END_CAPTURE_END);
	assert_true(has_anomaly(&h, "unterminated_data"));
	assert_string_equal(gets(ev(&h, "smtp.transaction", 0), "status"),
	    "incomplete");
	assert_false(json_object_get_boolean(get(ev(&h, "smtp.transaction",
	    0), "data.complete")));
	assert_string_equal(gets(ev(&h, "smtp.session", 0), "end"),
	    "capture_end");
	h_free(&h);
}

/* Fuzz finding (tests/fuzz/regressions/fuzz_smtp/uaf-*): a pipelined MAIL
 * refused (its tx over), then DATA answered by 354 anyway: the message
 * belongs to the ended tx, which must live until the message ends. */
static void
test_data_after_refused_mail_no_uaf(void **state)
{
	struct h h;
	struct json_object *t;

	(void)state;
	h_open(&h, 0);
	greet(&h);
	C(&h, "MAIL FROM:<a@example.net>\r\nRCPT TO:<b@example.org>\r\n"
	    "DATA\r\nSubject: x\r\n\r\nbody\r\n");
	S(&h, "550 5.7.1 go away\r\n250 2.1.5 Ok\r\n354 go ahead\r\n");
	C(&h, "more body\r\n.\r\n");
	S(&h, "250 2.0.0 Ok: queued\r\n");
	C(&h, "QUIT\r\n");
	S(&h, "221 2.0.0 Bye\r\n");
	h_close(&h, FLOW_END_FIN);
	assert_int_equal(count(&h, "smtp.transaction"), 1);
	t = ev(&h, "smtp.transaction", 0);
	assert_int_equal(geti(t, "mail_from.reply.code"), 550);
	assert_int_equal(geti(t, "data.bytes"), 31);
	assert_int_equal(geti(t, "message.bytes"), 31);
	assert_int_equal(geti(t, "data.reply.code"), 250);
	assert_string_equal(gets(t, "status"), "rejected");
	assert_string_equal(gets(ev(&h, "smtp.session", 0), "end"), "quit");
	h_free(&h);
}

/* Issue 3's names are a contract: the keys are there, null when empty. */
static void
test_contract_keys_always_present(void **state)
{
	struct h h;
	struct json_object *t, *s;

	(void)state;
	/* No banner, no HELO, no AUTH; a transaction without data. */
	h_open(&h, 0);
	C(&h, "MAIL FROM:<a@example.net>\r\nQUIT\r\n");
	h_close(&h, FLOW_END_FIN);
	t = ev(&h, "smtp.transaction", 0);
	assert_non_null(t);
	assert_true(present(t, "data"));
	assert_null(get(t, "data"));
	assert_true(present(t, "message"));
	assert_null(get(t, "message"));
	assert_true(present(t, "mail_from"));
	assert_string_equal(gets(t, "mail_from.address"), "a@example.net");
	s = ev(&h, "smtp.session", 0);
	assert_true(present(s, "banner"));
	assert_null(get(s, "banner"));
	assert_true(present(s, "helo"));
	assert_null(get(s, "helo"));
	assert_true(present(s, "auth"));
	assert_null(get(s, "auth"));
	assert_int_equal(json_object_array_length(get(s, "extensions")), 0);
	h_free(&h);

	/* A transaction opened by RCPT: mail_from is there, null. */
	h_open(&h, 0);
	greet(&h);
	C(&h, "RCPT TO:<b@example.org>\r\n");
	S(&h, "503 5.5.1 Error: need MAIL command\r\n");
	h_close(&h, FLOW_END_FIN);
	t = ev(&h, "smtp.transaction", 0);
	assert_true(present(t, "mail_from"));
	assert_null(get(t, "mail_from"));
	assert_true(present(t, "data"));
	assert_true(present(t, "message"));
	h_free(&h);

	/* SMTPS: all TLS, the same keys. */
	h_open_d(&h, 0, &smtps_dissector);
	C(&h, "\x16\x03\x01\x01\x05hello");
	S(&h, "\x16\x03\x03\x01\x02hi");
	h_close(&h, FLOW_END_FIN);
	s = ev(&h, "smtp.session", 0);
	assert_non_null(s);
	assert_true(present(s, "banner"));
	assert_null(get(s, "banner"));
	assert_true(present(s, "helo"));
	assert_null(get(s, "helo"));
	assert_true(present(s, "auth"));
	assert_null(get(s, "auth"));
	assert_non_null(get(s, "extensions"));
	assert_int_equal(json_object_array_length(get(s, "extensions")), 0);
	assert_int_equal(geti(s, "tls_client_bytes"), 10);
	h_free(&h);
}

/* suricata-verify smtp-long-command: after a 334 the next line is a SASL
 * response even when it reads "QUIT"; the verb heuristic is only for when
 * the server's replies are missing. */
static void
test_auth_response_looks_like_command(void **state)
{
	struct h h;
	struct json_object *s;

	(void)state;
	h_open(&h, 0);
	greet(&h);
	C(&h, "AUTH LOGIN\r\n");
	S(&h, "334 VXNlcm5hbWU6\r\n");
	C(&h, "QUIT\r\n");
	S(&h, "334 UGFzc3dvcmQ6\r\n");
	h_close(&h, FLOW_END_FIN);
	s = ev(&h, "smtp.session", 0);
	assert_string_equal(gets(s, "end"), "fin");
	assert_int_equal(geti(s, "commands"), 2);
	assert_string_equal(gets(s, "auth.mechanism"), "LOGIN");
	assert_string_equal(gets(s, "auth.result"), "incomplete");
	assert_non_null(get(s, "auth.username"));
	assert_false(has_anomaly(&h, "auth_bad_base64"));
	h_free(&h);

	/* No server side at all: QUIT ends the exchange. */
	h_open(&h, 0);
	C(&h, "EHLO client.example.net\r\nAUTH LOGIN\r\nQUIT\r\n");
	h_close(&h, FLOW_END_FIN);
	s = ev(&h, "smtp.session", 0);
	assert_int_equal(geti(s, "commands"), 3);
	assert_string_equal(gets(s, "end"), "quit");
	h_free(&h);
}

/* A gap inside the data: its end may come, but bytes are missing: neither
 * data.complete nor message.complete may claim the whole message. */
static void
test_gap_in_data_not_complete(void **state)
{
	struct h h;
	struct json_object *t;

	(void)state;
	h_open(&h, 0);
	greet(&h);
	C(&h, "MAIL FROM:<a@example.net>\r\nRCPT TO:<b@example.org>\r\n"
	    "DATA\r\n");
	S(&h, "250 2.1.0 Ok\r\n250 2.1.5 Ok\r\n354 End data\r\n");
	C(&h, "Subject: one\r\n\r\nfirst line\r\n");
	h.d->gap(h.st, 1, 200);
	C(&h, "last line\r\n.\r\n");
	S(&h, "250 2.0.0 Ok: queued as G1\r\n");
	/* The same with BDAT. */
	C(&h, "MAIL FROM:<c@example.net>\r\nRCPT TO:<d@example.org>\r\n"
	    "BDAT 20 LAST\r\n0123456789");
	h.d->gap(h.st, 1, 5);
	C(&h, "abcde");
	S(&h, "250 2.1.0 Ok\r\n250 2.1.5 Ok\r\n250 2.0.0 Ok: queued\r\n");
	h_close(&h, FLOW_END_FIN);
	assert_int_equal(count(&h, "smtp.transaction"), 2);
	t = ev(&h, "smtp.transaction", 0);
	assert_true(json_object_get_boolean(get(t, "gap")));
	assert_non_null(get(t, "data.complete"));
	assert_false(json_object_get_boolean(get(t, "data.complete")));
	assert_non_null(get(t, "message.complete"));
	assert_false(json_object_get_boolean(get(t, "message.complete")));
	assert_int_equal(geti(t, "data.reply.code"), 250);
	t = ev(&h, "smtp.transaction", 1);
	assert_string_equal(gets(t, "mail_from.address"), "c@example.net");
	assert_true(json_object_get_boolean(get(t, "gap")));
	assert_false(json_object_get_boolean(get(t, "data.complete")));
	assert_false(json_object_get_boolean(get(t, "message.complete")));
	assert_null(strstr(h.jbuf, "\"complete\": true"));
	assert_null(strstr(h.jbuf, "\"complete\":true"));
	h_free(&h);
}

/* suricata-verify smtp-errors: the capture ends inside "QUIT" (no CRLF):
 * shown, flagged, and not a QUIT the server ever got. */
static void
test_unterminated_last_line(void **state)
{
	struct h h;
	struct json_object *s;

	(void)state;
	h_open(&h, 0);
	greet(&h);
	C(&h, "MAIL FROM:<a@example.net>\r\n");
	S(&h, "250 2.1.0 Ok\r\n");
	C(&h, "QUIT");
	h_close(&h, FLOW_END_FIN);
	s = ev(&h, "smtp.session", 0);
	assert_true(has_anomaly(&h, "unterminated_line"));
	assert_string_equal(gets(s, "end"), "fin");
	assert_int_equal(geti(s, "commands"), 3);
	assert_non_null(strstr(h.tbuf, "C: QUIT"));
	assert_non_null(strstr(h.tbuf, "unterminated line"));
	assert_string_equal(gets(ev(&h, "smtp.transaction", 0), "status"),
	    "incomplete");
	h_free(&h);

	/* A terminated QUIT then FIN is still "quit", unflagged. */
	h_open(&h, 0);
	greet(&h);
	C(&h, "QUIT\r\n");
	h_close(&h, FLOW_END_FIN);
	assert_false(has_anomaly(&h, "unterminated_line"));
	assert_string_equal(gets(ev(&h, "smtp.session", 0), "end"), "quit");
	h_free(&h);
}

/* BDAT lines, invalid UTF-8 in commands and replies, a bad base64 initial
 * response, the empty path against the null path, and one_sided. */
static void
test_misc_flags(void **state)
{
	struct h h;
	struct json_object *t;

	(void)state;
	h_open(&h, 0);
	greet(&h);
	C(&h, "AUTH PLAIN !!!notbase64\r\n");
	/* The anomaly is raised by the command itself, before any reply. */
	C(&h, "MAIL FROM:<>\r\nRCPT TO:<b@example.org>\r\n"
	    "BDAT 12\r\nline1\r\nline2");
	S(&h, "535 5.7.8 Error\r\n250 2.1.0 Ok\r\n250 2.1.5 Ok\r\n"
	    "250 2.0.0 12 octets received\r\n");
	C(&h, "BDAT 8 LAST\r\n\r\nline3\n");
	S(&h, "250 2.0.0 Ok: queued\r\n");
	C(&h, "MAIL FROM:\r\n");
	S(&h, "501 5.1.7 Bad sender address syntax\r\n");
	C(&h, "VRFY j\xf6rg\r\n");
	S(&h, "252 2.0.0 j\xf6rg\r\n");
	C(&h, "QUIT\r\n");
	S(&h, "221 2.0.0 Bye\r\n");
	h_close(&h, FLOW_END_FIN);
	assert_true(has_anomaly(&h, "auth_bad_base64"));
	assert_int_equal(geti(ev(&h, "smtp.session", 0),
	    "anomaly_counts.invalid_utf8"), 1);
	assert_true(has_anomaly(&h, "bad_path"));
	assert_false(has_anomaly(&h, "one_sided"));
	assert_int_equal(count(&h, "smtp.transaction"), 2);
	t = ev(&h, "smtp.transaction", 0);
	assert_string_equal(gets(t, "data.command"), "BDAT");
	assert_int_equal(geti(t, "data.chunks"), 2);
	assert_int_equal(geti(t, "data.bytes"), 20);
	assert_int_equal(geti(t, "data.lines"), 3);
	assert_int_equal(geti(t, "message.lines"), 3);
	assert_string_equal(gets(t, "mail_from.address"), "");
	assert_true(json_object_get_boolean(get(t, "mail_from.null_path")));
	t = ev(&h, "smtp.transaction", 1);
	assert_string_equal(gets(t, "mail_from.address"), "");
	assert_null(get(t, "mail_from.null_path"));
	assert_string_equal(gets(t, "mail_from.raw"), "");
	assert_string_equal(gets(t, "status"), "rejected");
	h_free(&h);

	/* Only the server spoke. */
	h_open(&h, 0);
	S(&h, "220 mail.example.org ESMTP\r\n");
	h_close(&h, FLOW_END_FIN);
	assert_true(has_anomaly(&h, "one_sided"));
	h_free(&h);
	/* Only lost bytes from the client: it did send something. */
	h_open(&h, 0);
	S(&h, "220 mail.example.org ESMTP\r\n");
	h.d->gap(h.st, 1, 100);
	h_close(&h, FLOW_END_FIN);
	assert_false(has_anomaly(&h, "one_sided"));
	h_free(&h);
	/* SMTPS: one direction silent. */
	h_open_d(&h, 0, &smtps_dissector);
	C(&h, "\x16\x03\x01\x01\x05hello");
	h_close(&h, FLOW_END_RST);
	assert_true(has_anomaly(&h, "one_sided"));
	h_free(&h);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_two_mails_never_merged),
		cmocka_unit_test(test_gap_in_data_never_merges),
		cmocka_unit_test(test_gap_in_commands),
		cmocka_unit_test(test_bdat_last_then_new_mail),
		cmocka_unit_test(test_bdat_refused_chunk),
		cmocka_unit_test(test_bdat_hostile_sizes),
		cmocka_unit_test(test_rset_resets),
		cmocka_unit_test(test_unexpected_replies),
		cmocka_unit_test(test_starttls_injection),
		cmocka_unit_test(test_starttls_clean_and_refused),
		cmocka_unit_test(test_pipelined_data_and_body_one_segment),
		cmocka_unit_test(test_pipelined_data_refused),
		cmocka_unit_test(test_auth_plain_login),
		cmocka_unit_test(test_auth_show_credentials),
		cmocka_unit_test(test_session_replies),
		cmocka_unit_test(test_nested_mail_and_helo_reset),
		cmocka_unit_test(test_hostile_lines),
		cmocka_unit_test(test_unterminated_data),
		cmocka_unit_test(test_data_after_refused_mail_no_uaf),
		cmocka_unit_test(test_contract_keys_always_present),
		cmocka_unit_test(test_auth_response_looks_like_command),
		cmocka_unit_test(test_gap_in_data_not_complete),
		cmocka_unit_test(test_unterminated_last_line),
		cmocka_unit_test(test_misc_flags),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
