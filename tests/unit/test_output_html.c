/* test_output_html.c: the --html page and the --summary writer through
 * output.h on memory FILEs: arrows (a multi-line reply is one), colours by
 * class, escaping of hostile wire bytes, session order, the bounds and
 * their notes; the summary's counts (a refused DATA's reply counted once,
 * extensions once per session, domains lower-cased, top list order). */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include <json-c/json.h>

#include "dissector.h"
#include "escape.h"
#include "explain.h"
#include "flow.h"
#include "output.h"
#include "output_html.h"

static const struct dissector smtp = { .name = "smtp" };

static void
fake_flow(struct flow *f, uint64_t id)
{
	memset(f, 0, sizeof(*f));
	f->id = id;
	snprintf(f->client.ip, sizeof(f->client.ip), "192.0.2.%u",
	    (unsigned)(id % 250 + 1));
	f->client.port = 40000;
	snprintf(f->server.ip, sizeof(f->server.ip), "198.51.100.25");
	f->server.port = 25;
	f->first_ts.tv_sec = 1714557600;
	f->now = f->first_ts;
	f->dissector = &smtp;
}

/* An output with only the page (or only the summary) on a memstream. */
struct sink {
	char		*buf;
	size_t		 len;
	FILE		*f;
	struct output	*out;
};

static void
sink_open(struct sink *s, int summary, int summary_json)
{
	struct output_options opt;

	memset(s, 0, sizeof(*s));
	memset(&opt, 0, sizeof(opt));
	assert_non_null(s->f = open_memstream(&s->buf, &s->len));
	if (summary) {
		opt.summary = s->f;
		opt.summary_json = summary_json;
	} else
		opt.html = s->f;
	opt.title = "test <capture>.pcap";
	assert_non_null(s->out = output_open(&opt));
}

static void
sink_close(struct sink *s)
{
	assert_false(output_error(s->out));
	output_close(s->out);
	fclose(s->f);
}

static void
line(struct sink *s, struct flow *f, enum output_dir d, const char *text)
{
	f->now.tv_usec += 1500;
	output_line(s->out, f, d, (const uint8_t *)text, strlen(text), 0);
}

static size_t
count(const char *hay, const char *needle)
{
	size_t n = 0;

	while ((hay = strstr(hay, needle)) != NULL) {
		n++;
		hay += strlen(needle);
	}
	return n;
}

static char *
html_of(const void *p, size_t n)
{
	char *buf = NULL;
	size_t size = 0;
	FILE *f = open_memstream(&buf, &size);

	assert_non_null(f);
	escape_html_write(f, p, n);
	fclose(f);
	return buf;
}

static void
test_escape_html(void **state)
{
	static const char hostile[] = "<script>alert(\"x\")</script>&'\\"
	    "\x1b[2J\xff\xe2\x80\xae.";
	char *got = html_of(hostile, sizeof(hostile) - 1);

	(void)state;
	assert_string_equal(got, "&lt;script&gt;alert(&quot;x&quot;)&lt;"
	    "/script&gt;&amp;&#39;\\\\\\x1b[2J\\xff\\u{202e}.");
	free(got);
	got = html_of("Gr\xc3\xbc\xc3\x9f" "e", 7);	/* UTF-8 kept */
	assert_string_equal(got, "Gr\xc3\xbc\xc3\x9f" "e");
	free(got);
}

static void
test_arrows(void **state)
{
	struct sink s;
	struct flow f;

	(void)state;
	sink_open(&s, 0, 0);
	fake_flow(&f, 1);
	output_session_open(s.out, &f);
	line(&s, &f, OUTPUT_SERVER, "220 mx <b>hi</b>");
	line(&s, &f, OUTPUT_CLIENT, "EHLO x");
	line(&s, &f, OUTPUT_SERVER, "250-mx");
	line(&s, &f, OUTPUT_SERVER, "250-PIPELINING");
	line(&s, &f, OUTPUT_SERVER, "250 SIZE");
	line(&s, &f, OUTPUT_CLIENT, "MAIL FROM:<a@b>");
	line(&s, &f, OUTPUT_SERVER, "550 no");
	output_note(s.out, &f, OUTPUT_CLIENT, "<TLS: %d bytes not shown>", 5);
	line(&s, &f, OUTPUT_SERVER, "421 bye");
	output_session_close(s.out, &f, "fin");
	sink_close(&s);
	/* 220, EHLO, the 3-line 250, MAIL, 550, the note, 421. */
	assert_int_equal(count(s.buf, "<div class=\"a "), 7);
	assert_int_equal(count(s.buf, "<div class=\"a s k2\">"), 2);
	assert_int_equal(count(s.buf, "<div class=\"a s k5\">"), 1);
	assert_int_equal(count(s.buf, "<div class=\"a s k4\">"), 1);
	assert_int_equal(count(s.buf, "<div class=\"a c n k0\">"), 1);
	assert_non_null(strstr(s.buf, "<b class=\"k2\">250</b>-mx\n"
	    "<b class=\"k2\">250</b>-PIPELINING\n<b class=\"k2\">250</b> SIZE"));
	assert_non_null(strstr(s.buf, " mx &lt;b&gt;hi&lt;/b&gt;"));
	assert_null(strstr(s.buf, "<b>hi"));
	assert_non_null(strstr(s.buf, "+1 ms"));
	assert_non_null(strstr(s.buf, "test &lt;capture&gt;.pcap"));
	assert_non_null(strstr(s.buf, "ended: <b>fin</b>"));
	free(s.buf);
}

/* Sessions come out by id whatever order they close in. */
static void
test_session_order(void **state)
{
	struct sink s;
	struct flow f1, f2;

	(void)state;
	sink_open(&s, 0, 0);
	fake_flow(&f1, 1);
	fake_flow(&f2, 2);
	output_session_open(s.out, &f1);
	output_session_open(s.out, &f2);
	line(&s, &f2, OUTPUT_SERVER, "220 two");
	line(&s, &f1, OUTPUT_SERVER, "220 one");
	output_session_close(s.out, &f2, "quit");
	output_session_close(s.out, &f1, "quit");
	sink_close(&s);
	assert_true(strstr(s.buf, "id=\"session-1\"") <
	    strstr(s.buf, "id=\"session-2\""));
	assert_true(strstr(s.buf, "220</b> one") <
	    strstr(s.buf, "220</b> two"));
	free(s.buf);
}

static void
test_bounds(void **state)
{
	struct sink s;
	struct flow f;
	uint64_t i;

	(void)state;
	sink_open(&s, 0, 0);
	for (i = 1; i <= OUTPUT_HTML_SESSIONS_MAX + 3; i++) {
		fake_flow(&f, i);
		output_session_open(s.out, &f);
		line(&s, &f, OUTPUT_SERVER, "220 x");
		output_session_close(s.out, &f, "fin");
	}
	fake_flow(&f, 1000);
	output_session_open(s.out, &f);
	for (i = 0; i < OUTPUT_HTML_ARROWS_MAX + 7; i++)
		line(&s, &f, OUTPUT_CLIENT, "NOOP");
	output_session_close(s.out, &f, "fin");
	sink_close(&s);
	assert_int_equal(count(s.buf, "<section class=\"session\""),
	    OUTPUT_HTML_SESSIONS_MAX);
	assert_non_null(strstr(s.buf, "4 more sessions not drawn"));
	free(s.buf);

	sink_open(&s, 0, 0);
	fake_flow(&f, 1);
	output_session_open(s.out, &f);
	for (i = 0; i < OUTPUT_HTML_ARROWS_MAX + 7; i++)
		line(&s, &f, OUTPUT_CLIENT, "NOOP");
	for (i = 0; i < OUTPUT_HTML_REPLY_LINES + 5; i++)
		line(&s, &f, OUTPUT_SERVER, "250-x");	/* arrows full */
	output_session_close(s.out, &f, "fin");
	sink_close(&s);
	assert_int_equal(count(s.buf, "<div class=\"a "),
	    OUTPUT_HTML_ARROWS_MAX);
	assert_non_null(strstr(s.buf, "\u2026 62 more lines not drawn"));
	free(s.buf);
}

/* A long reply: OUTPUT_HTML_REPLY_LINES lines drawn, the rest counted. */
static void
test_long_reply(void **state)
{
	struct sink s;
	struct flow f;
	int i;

	(void)state;
	sink_open(&s, 0, 0);
	fake_flow(&f, 1);
	output_session_open(s.out, &f);
	for (i = 0; i < OUTPUT_HTML_REPLY_LINES + 9; i++)
		line(&s, &f, OUTPUT_SERVER, "250-x");
	line(&s, &f, OUTPUT_SERVER, "250 end");
	output_session_close(s.out, &f, "fin");
	sink_close(&s);
	assert_int_equal(count(s.buf, "<div class=\"a "), 1);
	assert_int_equal(count(s.buf, "250</b>-x"), OUTPUT_HTML_REPLY_LINES);
	assert_non_null(strstr(s.buf, "\u2026 10 more lines not drawn"));
	free(s.buf);
}

static struct json_object *
jparse(const char *s)
{
	struct json_object *o = json_tokener_parse(s);

	assert_non_null(o);
	return o;
}

/* --lang fr: the page's own words and the notes in French. */
static void
test_french_page(void **state)
{
	struct output_options opt;
	struct output *o;
	struct flow f;
	char *buf = NULL;
	size_t len = 0;
	FILE *mf = open_memstream(&buf, &len);

	(void)state;
	assert_non_null(mf);
	memset(&opt, 0, sizeof(opt));
	opt.html = mf;
	opt.explain_lang = EXPLAIN_LANG_FR;
	assert_non_null(o = output_open(&opt));
	fake_flow(&f, 1);
	output_session_open(o, &f);
	output_line(o, &f, OUTPUT_SERVER, (const uint8_t *)"220 mx", 6, 0);
	output_line(o, &f, OUTPUT_CLIENT, (const uint8_t *)"QUIT", 4, 0);
	output_session_close(o, &f, "quit");
	output_close(o);
	fclose(mf);
	assert_non_null(strstr(buf, "<html lang=\"fr\">"));
	assert_non_null(strstr(buf, "afficher les explications"));
	assert_non_null(strstr(buf, "<span>serveur "));
	/* One box of notes per arrow, from explain.c's French table. */
	assert_int_equal(count(buf, "<div class=\"x\">"), 2);
	assert_non_null(strstr(buf, "<div class=\"x\">220"));
	free(buf);
}

static void
test_summary_counts(void **state)
{
	struct sink s;
	struct flow f;
	struct json_object *o;

	(void)state;
	sink_open(&s, 1, 1);
	fake_flow(&f, 1);
	output_event(s.out, &f, "smtp.transaction", jparse(
	    "{\"status\": \"rejected\", \"message\": null,"
	    " \"mail_from\": {\"address\": \"A@Example.ORG\","
	    "   \"reply\": {\"code\": 250}},"
	    " \"rcpt_to\": [{\"address\": \"x@b.test\", \"reply\": {\"code\": 550}},"
	    "   {\"address\": \"y@a.test\", \"reply\": {\"code\": 250}},"
	    "   {\"address\": \"z@b.test\", \"reply\": null}],"
	    " \"data\": {\"command\": \"DATA\", \"start_reply\": {\"code\": 554},"
	    "   \"reply\": {\"code\": 554}}}"));
	output_event(s.out, &f, "smtp.transaction", jparse(
	    "{\"status\": \"accepted\", \"message\": {\"bytes\": 1},"
	    " \"mail_from\": {\"address\": \"\", \"null_path\": true,"
	    "   \"reply\": {\"code\": 250}}, \"rcpt_to\": [],"
	    " \"data\": {\"command\": \"DATA\", \"start_reply\": {\"code\": 354},"
	    "   \"reply\": {\"code\": 250}}}"));
	output_event(s.out, &f, "smtp.session", jparse(
	    "{\"end\": \"quit\", \"banner\": {\"code\": 220},"
	    " \"replies\": {\"220\": 1, \"250\": 4, \"354\": 1, \"535\": 1,"
	    "   \"550\": 1, \"554\": 1}, \"replies_uncounted\": 2,"
	    " \"extensions\": [{\"name\": \"SIZE\"}, {\"name\": \"SIZE\"},"
	    "   {\"name\": \"AUTH\"}],"
	    " \"auth\": {\"mechanism\": \"LOGIN\", \"result\": \"failure\","
	    "   \"code\": 535},"
	    " \"anomaly_counts\": {\"bare_lf\": 3}}"));
	output_event(s.out, NULL, "capture.stats", jparse("{\"packets\": 9}"));
	sink_close(&s);
	o = jparse(s.buf);
	assert_string_equal(json_object_to_json_string_ext(o,
	    JSON_C_TO_STRING_PLAIN),
	    "{\"sessions\":1,\"transactions\":2,\"messages\":1,\"replies\":11,"
	    "\"sessions_by_end\":{\"quit\":1},"
	    "\"transactions_by_status\":{\"accepted\":1,\"rejected\":1},"
	    "\"replies_by_class\":{\"2xx\":5,\"3xx\":1,\"5xx\":3,\"other\":2},"
	    "\"reply_codes\":{\"220\":1,\"250\":4,\"354\":1,\"535\":1,"
	    "\"550\":1,\"554\":1,\"other\":2},"
	    "\"extensions\":{\"AUTH\":1,\"SIZE\":1},"
	    "\"auth\":{\"LOGIN failure\":1},\"anomalies\":{\"bare_lf\":3},"
	    "\"sender_domains\":[[\"<>\",1],[\"example.org\",1]],"
	    "\"recipient_domains\":[[\"b.test\",2],[\"a.test\",1]]}");
	json_object_put(o);
	free(s.buf);
}

static void
test_summary_table(void **state)
{
	struct sink s;
	struct flow f;

	(void)state;
	sink_open(&s, 1, 0);
	fake_flow(&f, 1);
	output_event(s.out, &f, "smtp.session", jparse(
	    "{\"end\": \"rst\", \"banner\": {\"code\": 421},"
	    " \"extensions\": [{\"name\": \"X\\u001b[2J\"}]}"));
	sink_close(&s);
	assert_non_null(strstr(s.buf, "smtpscope summary of test <capture>"
	    ".pcap\nsessions                              1\n"
	    "  by how they ended\n    rst                               1\n"));
	assert_non_null(strstr(s.buf, "  X\\x1b[2J"));	/* escaped */
	assert_null(strchr(s.buf, '\x1b'));
	assert_non_null(strstr(s.buf, "AUTH mechanism and result      "
	    "sessions\n  (none)\n"));
	free(s.buf);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_escape_html),
		cmocka_unit_test(test_arrows),
		cmocka_unit_test(test_session_order),
		cmocka_unit_test(test_bounds),
		cmocka_unit_test(test_long_reply),
		cmocka_unit_test(test_french_page),
		cmocka_unit_test(test_summary_counts),
		cmocka_unit_test(test_summary_table),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
