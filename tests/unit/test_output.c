/* test_output.c: output.c and its two writers on memory FILEs: the exact
 * transcript (header, lines, notes, message summary, interleaved sessions,
 * hostile bytes, colours) and the NDJSON events parsed back with json-c;
 * on a pipe and a pseudo-terminal, when the events reach the reader. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <errno.h>
#include <fcntl.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>
#include <cmocka.h>

#include <json-c/json.h>

#include "dissector.h"
#include "explain.h"
#include "flow.h"
#include "hash.h"
#include "output.h"
#include "output_json.h"

static const struct dissector smtp = { .name = "smtp" };

static void
fake_flow(struct flow *f, uint64_t id, const char *cip, uint16_t cport,
    const char *sip, uint16_t sport)
{
	memset(f, 0, sizeof(*f));
	f->id = id;
	snprintf(f->client.ip, sizeof(f->client.ip), "%s", cip);
	f->client.port = cport;
	f->client.family = strchr(cip, ':') ? AF_INET6 : AF_INET;
	snprintf(f->server.ip, sizeof(f->server.ip), "%s", sip);
	f->server.port = sport;
	f->server.family = f->client.family;
	f->first_ts.tv_sec = 1714557600;	/* 2024-05-01T10:00:00Z */
	f->first_ts.tv_usec = 123456;
	f->now = f->first_ts;
	f->dissector = &smtp;
}

/* A transcript or JSON capture: an output on open_memstream FILEs. */
struct sink {
	char		*text, *json;
	size_t		 text_len, json_len;
	FILE		*tf, *jf;
	struct output	*out;
};

static void
sink_open(struct sink *s, int want_text, int want_json, int color)
{
	struct output_options opt;

	memset(s, 0, sizeof(*s));
	memset(&opt, 0, sizeof(opt));
	if (want_text)
		assert_non_null(s->tf = open_memstream(&s->text, &s->text_len));
	if (want_json)
		assert_non_null(s->jf = open_memstream(&s->json, &s->json_len));
	opt.text = s->tf;
	opt.json = s->jf;
	opt.color = color;
	assert_non_null(s->out = output_open(&opt));
}

/* Closes everything; the text and json strings stay until sink_free. */
static void
sink_close(struct sink *s)
{
	assert_false(output_error(s->out));
	output_close(s->out);
	if (s->tf != NULL)
		fclose(s->tf);
	if (s->jf != NULL)
		fclose(s->jf);
}

static void
sink_free(struct sink *s)
{
	free(s->text);
	free(s->json);
}

static void
line(struct sink *s, const struct flow *f, enum output_dir dir,
    const char *text)
{
	output_line(s->out, f, dir, (const uint8_t *)text, strlen(text), 0);
}

static const char message_json[] =
    "{\"bytes\":3456,\"lines\":42,"
    "\"headers\":{\"from\":[{\"name\":\"Alice\","
    "\"address\":\"alice@example.org\"}],"
    "\"to\":[{\"name\":\"\",\"address\":\"bob@example.com\"}],"
    "\"subject\":\"H\\u00e9llo \\u001b[2J\\ttab\","
    "\"date\":\"Wed, 1 May 2024 10:00:00 +0000\",\"count\":12},"
    "\"received\":[{\"raw\":\"from a.example (a.example [192.0.2.1])\\r\\n"
    "\\tby mx.example.com with ESMTP id ABC\"},"
    "{\"from\":{\"helo\":\"b.example\",\"rdns\":\"b.example\","
    "\"ip\":\"192.0.2.9\"},\"by\":\"a.example\",\"with\":\"SMTP\"}],"
    "\"mime\":{\"content_type\":\"multipart/mixed\",\"boundary\":\"XX\","
    "\"parts\":[{\"content_type\":\"text/plain\",\"charset\":\"utf-8\","
    "\"decoded_bytes\":120,\"md5\":\"0123abcd0123abcd0123abcd0123abcd\"},"
    "{\"content_type\":\"multipart/alternative\",\"parts\":["
    "{\"content_type\":\"text/html\",\"decoded_bytes\":5}]},"
    "{\"content_type\":\"application/pdf\",\"filename\":\"report.pdf\","
    "\"disposition\":\"attachment\",\"decoded_bytes\":34567,"
    "\"md5\":\"89abcdef89abcdef89abcdef89abcdef\",\"sha256\":"
    "\"00112233445566778899aabbccddeeff00112233445566778899aabbccddeeff\""
    "}]}}";

static const char session_want[] =
    "== session 1  2024-05-01T10:00:00.123456Z  "
    "192.0.2.1:51234 -> 192.0.2.25:25  smtp\n"
    "S: 220 mail.example.com ESMTP Postfix\n"
    "C: EHLO client.example.org\n"
    "S: 250-mail.example.com\n"
    "C: DATA\n"
    "S: 354 End data with <CR><LF>.<CR><LF>\n"
    "C: <message: 42 lines, 3 456 bytes>\n"
    "     From: Alice <alice@example.org>\n"
    "     To: bob@example.com\n"
    "     Subject: H\xc3\xa9llo \\x1b[2J tab\n"
    "     Date: Wed, 1 May 2024 10:00:00 +0000\n"
    "     Received: from a.example (a.example [192.0.2.1]) by "
    "mx.example.com with ESMTP id ABC\n"
    "     Received: from b.example (b.example [192.0.2.9]) by a.example "
    "with SMTP\n"
    "     MIME:\n"
    "       multipart/mixed\n"
    "       \xe2\x94\x9c\xe2\x94\x80 text/plain; charset=utf-8  120 B  "
    "md5 0123abcd\xe2\x80\xa6\n"
    "       \xe2\x94\x9c\xe2\x94\x80 multipart/alternative\n"
    "       \xe2\x94\x82  \xe2\x94\x94\xe2\x94\x80 text/html  5 B\n"
    "       \xe2\x94\x94\xe2\x94\x80 application/pdf \"report.pdf\"  "
    "34 567 B  md5 89abcdef\xe2\x80\xa6  sha256 00112233\xe2\x80\xa6\n"
    "S: 250 2.0.0 Ok: queued as ABC\n"
    "== end of session 1: quit  (2.315 s)\n";

static void
test_session_transcript(void **state)
{
	struct flow f;
	struct sink s;
	struct json_object *msg;
	char a[32], b[32];

	(void)state;
	fake_flow(&f, 1, "192.0.2.1", 51234, "192.0.2.25", 25);
	sink_open(&s, 1, 0, 0);
	output_session_open(s.out, &f);
	line(&s, &f, OUTPUT_SERVER, "220 mail.example.com ESMTP Postfix");
	line(&s, &f, OUTPUT_CLIENT, "EHLO client.example.org");
	line(&s, &f, OUTPUT_SERVER, "250-mail.example.com");
	line(&s, &f, OUTPUT_CLIENT, "DATA");
	line(&s, &f, OUTPUT_SERVER, "354 End data with <CR><LF>.<CR><LF>");
	output_note(s.out, &f, OUTPUT_CLIENT, "<message: %s lines, %s bytes>",
	    output_group_digits(42, a, sizeof(a)),
	    output_group_digits(3456, b, sizeof(b)));
	assert_non_null(msg = json_tokener_parse(message_json));
	output_message(s.out, &f, msg);
	json_object_put(msg);
	line(&s, &f, OUTPUT_SERVER, "250 2.0.0 Ok: queued as ABC");
	f.now.tv_sec += 2;
	f.now.tv_usec += 315000;
	output_event(s.out, &f, "smtp.session", json_object_new_object());
	output_session_close(s.out, &f, "quit");
	sink_close(&s);
	assert_string_equal(s.text, session_want);
	sink_free(&s);
}

static void
test_interleaved_sessions(void **state)
{
	struct flow f1, f3;
	struct sink s;

	(void)state;
	fake_flow(&f1, 1, "192.0.2.1", 51234, "192.0.2.25", 25);
	fake_flow(&f3, 3, "2001:db8::1", 40000, "2001:db8::25", 587);
	f3.first_ts.tv_sec += 1;
	f3.now = f3.first_ts;
	f3.now.tv_usec += 1500;
	sink_open(&s, 1, 0, 0);
	output_session_open(s.out, &f1);
	output_session_open(s.out, &f3);
	line(&s, &f1, OUTPUT_SERVER, "220 one");
	line(&s, &f3, OUTPUT_SERVER, "220 three");
	line(&s, &f3, OUTPUT_CLIENT, "EHLO x");
	output_session_close(s.out, &f1, "fin");
	line(&s, &f3, OUTPUT_CLIENT, "QUIT");
	output_note(s.out, &f1, OUTPUT_SERVER, "<late>");
	output_session_close(s.out, &f3, "quit");
	sink_close(&s);
	assert_string_equal(s.text,
	    "== session 1  2024-05-01T10:00:00.123456Z  "
	    "192.0.2.1:51234 -> 192.0.2.25:25  smtp\n"
	    "== session 3  2024-05-01T10:00:01.123456Z  "
	    "[2001:db8::1]:40000 -> [2001:db8::25]:587  smtp\n"
	    "-- session 1 --\n"
	    "S: 220 one\n"
	    "-- session 3 --\n"
	    "S: 220 three\n"
	    "C: EHLO x\n"
	    "== end of session 1: fin  (0.000 s)\n"
	    "-- session 3 --\n"
	    "C: QUIT\n"
	    "-- session 1 --\n"
	    "S: <late>\n"
	    "== end of session 3: quit  (0.001 s)\n");
	sink_free(&s);
}

static void
test_hostile_line(void **state)
{
	static const uint8_t wire[] = "EHLO \x1b[2J\x1b]0;x\x07\0\xff\xc2\x9b"
	    "\xe2\x80\xae\\";
	struct flow f;
	struct sink s;

	(void)state;
	fake_flow(&f, 7, "192.0.2.1", 1, "192.0.2.2", 25);
	f.dissector = NULL;
	sink_open(&s, 1, 0, 0);
	output_session_open(s.out, &f);
	output_line(s.out, &f, OUTPUT_CLIENT, wire, sizeof(wire) - 1, 1);
	output_line(s.out, &f, OUTPUT_CLIENT, wire, 0, 0);
	output_note(s.out, &f, OUTPUT_SERVER, "<name %s>", "\x1b[1m");
	sink_close(&s);
	assert_string_equal(s.text,
	    "== session 7  2024-05-01T10:00:00.123456Z  "
	    "192.0.2.1:1 -> 192.0.2.2:25\n"
	    "C: EHLO \\x1b[2J\\x1b]0;x\\x07\\x00\\xff\\u{9b}\\u{202e}\\\\"
	    " <cut: line longer than kept>\n"
	    "C: \n"
	    "S: <name \\x1b[1m>\n");
	sink_free(&s);
}

static void
test_colours(void **state)
{
	struct flow f;
	struct sink s;

	(void)state;
	fake_flow(&f, 2, "192.0.2.1", 1, "192.0.2.2", 25);
	sink_open(&s, 1, 0, 1);
	line(&s, &f, OUTPUT_SERVER, "250 ok");
	line(&s, &f, OUTPUT_SERVER, "354 go");
	line(&s, &f, OUTPUT_SERVER, "421 later");
	line(&s, &f, OUTPUT_SERVER, "550 no");
	line(&s, &f, OUTPUT_SERVER, "junk");
	line(&s, &f, OUTPUT_CLIENT, "QUIT \x1b[0m");
	sink_close(&s);
	assert_string_equal(s.text,
	    "-- session 2 --\n"
	    "\033[32mS: 250 ok\033[0m\n"
	    "\033[36mS: 354 go\033[0m\n"
	    "\033[33mS: 421 later\033[0m\n"
	    "\033[31mS: 550 no\033[0m\n"
	    "S: junk\n"
	    "\033[34mC: QUIT \\x1b[0m\033[0m\n");
	sink_free(&s);
}

/* --explain: a note line under each line, from a context per session
 * (two interleaved sessions in different states), coloured apart; the
 * transaction's notes come with its event, also without JSON output. */
static void
test_explain_notes(void **state)
{
	struct flow f1, f2;
	struct sink s;
	struct output_options opt;
	struct json_object *tx;

	(void)state;
	fake_flow(&f1, 1, "192.0.2.1", 1, "192.0.2.2", 25);
	fake_flow(&f2, 2, "192.0.2.3", 1, "192.0.2.2", 25);
	memset(&s, 0, sizeof(s));
	memset(&opt, 0, sizeof(opt));
	assert_non_null(s.tf = open_memstream(&s.text, &s.text_len));
	opt.text = s.tf;
	opt.color = 1;
	opt.explain = 1;
	opt.explain_lang = EXPLAIN_LANG_EN;
	assert_non_null(s.out = output_open(&opt));
	line(&s, &f1, OUTPUT_SERVER, "220 a");
	line(&s, &f2, OUTPUT_SERVER, "220 b");
	line(&s, &f1, OUTPUT_CLIENT, "MAIL FROM:<>");
	line(&s, &f2, OUTPUT_CLIENT, "DATA");
	line(&s, &f1, OUTPUT_SERVER, "250 ok");
	line(&s, &f2, OUTPUT_SERVER, "554 no");
	tx = json_tokener_parse("{\"status\": \"rejected\", "
	    "\"trans_depth\": 3}");
	output_event(s.out, &f2, "smtp.transaction", tx);
	sink_close(&s);
	assert_non_null(strstr(s.text, "\033[32mS: 220 a\033[0m\n"
	    "\033[35m     # 220: done (2xx), connection (x2x): the greeting"));
	assert_non_null(strstr(s.text, "-- session 1 --\n"
	    "\033[32mS: 250 ok\033[0m\n"
	    "\033[35m     # 250: done (2xx), mail system (x5x): sender "
	    "accepted"));
	assert_non_null(strstr(s.text, "-- session 2 --\n"
	    "\033[31mS: 554 no\033[0m\n"
	    "\033[35m     # 554: refused (5xx), mail system (x5x): "));
	assert_non_null(strstr(s.text, "\033[35m     # answer to DATA: "));
	assert_non_null(strstr(s.text, "\033[35m     # transaction 3: "
	    "rejected: "));
	assert_non_null(strstr(s.text, "# MAIL FROM:<>: the null reverse-path"));
	sink_free(&s);
}

/* Without colours the whole session carries no ESC byte at all. */
static void
test_no_colour_no_escape(void **state)
{
	struct flow f;
	struct sink s;
	struct json_object *msg;

	(void)state;
	fake_flow(&f, 1, "192.0.2.1", 51234, "192.0.2.25", 25);
	sink_open(&s, 1, 0, 0);
	output_session_open(s.out, &f);
	line(&s, &f, OUTPUT_SERVER, "550 \x1b[31m");
	assert_non_null(msg = json_tokener_parse(message_json));
	output_message(s.out, &f, msg);
	json_object_put(msg);
	output_session_close(s.out, &f, "rst");
	sink_close(&s);
	assert_null(strchr(s.text, '\033'));
	sink_free(&s);
}

/* Missing, mistyped and odd fields: skipped, never a crash. */
static void
test_message_tolerant(void **state)
{
	static const char *const odd[] = {
		"{}",
		"{\"headers\":null,\"received\":{},\"mime\":null}",
		"{\"headers\":{\"from\":\"raw <a@b>\",\"to\":[1,null,"
		"{\"group\":\"undisclosed\",\"members\":[]}],"
		"\"subject\":{\"decoded\":\"D\",\"raw\":\"=?x?=\"}},"
		"\"received\":[\"text hop\",{},{\"from\":\"x\"}],"
		"\"mime\":[{\"parts\":[{},{\"parts\":7}]}]}",
	};
	struct flow f;
	struct sink s;
	struct json_object *msg;
	size_t i;

	(void)state;
	fake_flow(&f, 1, "192.0.2.1", 51234, "192.0.2.25", 25);
	sink_open(&s, 1, 0, 0);
	for (i = 0; i < sizeof(odd) / sizeof(odd[0]); i++) {
		assert_non_null(msg = json_tokener_parse(odd[i]));
		output_message(s.out, &f, msg);
		json_object_put(msg);
	}
	output_message(s.out, &f, NULL);
	sink_close(&s);
	assert_string_equal(s.text,
	    "-- session 1 --\n"
	    "     From: raw <a@b>\n"
	    "     To: 1, , undisclosed: ;\n"
	    "     Subject: D\n"
	    "     Received: text hop\n"
	    "     Received: (empty)\n"
	    "     Received: from x\n"
	    "     MIME:\n"
	    "       (no content type)\n"
	    "       \xe2\x94\x9c\xe2\x94\x80 (no content type)\n"
	    "       \xe2\x94\x94\xe2\x94\x80 (no content type)\n");
	sink_free(&s);
}

/* Long values are cut on a character boundary and marked. */
static void
test_message_long_values(void **state)
{
	struct json_object *msg, *headers, *to;
	struct flow f;
	struct sink s;
	char subject[600];
	size_t i;

	(void)state;
	for (i = 0; i + 2 < sizeof(subject); i += 2)
		memcpy(subject + i, "\xc3\xa9", 2);	/* é, 2 bytes each */
	subject[i] = '\0';
	msg = json_object_new_object();
	headers = json_object_new_object();
	to = json_object_new_array();
	for (i = 0; i < 12; i++)
		json_object_array_add(to, json_object_new_string("x@y"));
	json_object_object_add(headers, "to", to);
	json_object_object_add(headers, "subject",
	    json_object_new_string(subject));
	json_object_object_add(msg, "headers", headers);
	fake_flow(&f, 1, "192.0.2.1", 51234, "192.0.2.25", 25);
	sink_open(&s, 1, 0, 0);
	output_message(s.out, &f, msg);
	json_object_put(msg);
	sink_close(&s);
	assert_non_null(strstr(s.text, "     To: x@y, x@y, x@y, x@y, x@y, "
	    "x@y, x@y, x@y, x@y, x@y, \xe2\x80\xa6 2 more\n"));
	/* "Subject: " is 9 bytes: 95 whole é fit in the 200-byte line. */
	assert_non_null(strstr(s.text, "\xc3\xa9\xc3\xa9\xe2\x80\xa6\n"));
	assert_null(strstr(s.text, "\\x"));
	sink_free(&s);
}

/* The keys of an object, in order, comma separated. */
static void
keys_of(struct json_object *o, char *buf, size_t len)
{
	size_t n = 0;

	buf[0] = '\0';
	json_object_object_foreach(o, key, val) {
		(void)val;
		n += (size_t)snprintf(buf + n, len - n, "%s%s",
		    n > 0 ? "," : "", key);
		assert_true(n < len);
	}
}

/* The one line written, parsed back; it must end with a single LF. */
static struct json_object *
parse_line(const char *text, size_t len)
{
	struct json_object *o;

	assert_true(len > 0);
	assert_int_equal(text[len - 1], '\n');
	assert_ptr_equal(strchr(text, '\n'), text + len - 1);
	assert_non_null(o = json_tokener_parse(text));
	return o;
}

static const char *
get_str(struct json_object *o, const char *path1, const char *path2)
{
	struct json_object *v;

	assert_true(json_object_object_get_ex(o, path1, &v));
	if (path2 != NULL)
		assert_true(json_object_object_get_ex(v, path2, &v));
	return json_object_get_string(v);
}

static void
test_json_event(void **state)
{
	struct json_object *obj, *back;
	struct flow f;
	struct sink s;
	char keys[256];

	(void)state;
	fake_flow(&f, 1, "192.0.2.1", 51234, "192.0.2.25", 25);
	f.now.tv_sec += 5;
	f.now.tv_usec = 7;
	sink_open(&s, 1, 1, 0);
	obj = json_object_new_object();
	json_object_object_add(obj, "trans_depth", json_object_new_int(1));
	json_object_object_add(obj, "path", json_object_new_string("a/b"));
	json_object_object_add(obj, "session", json_object_new_int(999));
	output_event(s.out, &f, "smtp.transaction", obj);
	sink_close(&s);
	assert_string_equal(s.text, "");	/* events are not transcript */
	assert_non_null(strstr(s.json, "\"a/b\""));
	back = parse_line(s.json, s.json_len);
	keys_of(back, keys, sizeof(keys));
	assert_string_equal(keys,
	    "event,ts,session,proto,client,server,trans_depth,path");
	assert_string_equal(get_str(back, "event", NULL), "smtp.transaction");
	assert_string_equal(get_str(back, "ts", NULL),
	    "2024-05-01T10:00:05.000007Z");
	assert_string_equal(get_str(back, "session", NULL), "1");
	assert_string_equal(get_str(back, "proto", NULL), "smtp");
	assert_string_equal(get_str(back, "client", "ip"), "192.0.2.1");
	assert_string_equal(get_str(back, "client", "port"), "51234");
	assert_string_equal(get_str(back, "server", "ip"), "192.0.2.25");
	assert_string_equal(get_str(back, "server", "port"), "25");
	assert_string_equal(get_str(back, "trans_depth", NULL), "1");
	json_object_put(back);
	sink_free(&s);
}

/* Events only, digests on the worker: an event whose part is still being
 * hashed waits, and every event after it waits too; the flush writes
 * them in order, the digests filled in. */
static void
test_json_waits_for_digests(void **state)
{
	size_t n = 8u << 20, i;
	unsigned char *data = calloc(1, n);
	struct json_object *obj, *back, *part;
	struct hash *h;
	struct flow f;
	struct sink s;
	char *second, *line;

	(void)state;
	assert_non_null(data);
	fake_flow(&f, 1, "192.0.2.1", 51234, "192.0.2.25", 25);
	hash_threaded(1);
	sink_open(&s, 0, 1, 0);
	for (i = 0; i < 3; i++) {
		obj = json_object_new_object();
		part = json_object_new_object();
		json_object_object_add(obj, "part", part);
		json_object_object_add(obj, "n", json_object_new_int((int)i));
		assert_non_null(h = hash_new(HASH_MD5));
		hash_update(h, data, i == 0 ? n : 1);
		hash_finish(h, part);
		output_event(s.out, &f, "smtp.transaction", obj);
	}
	output_flush(s.out);
	fflush(s.jf);
	assert_non_null(s.json);
	/* three lines, in order; the first two checked */
	assert_non_null(second = strchr(s.json, '\n'));
	line = strndup(s.json, (size_t)(second - s.json) + 1);
	back = parse_line(line, strlen(line));
	/* md5 of 8 MB of zeros */
	assert_string_equal(get_str(back, "part", "md5"),
	    "96995b58d4cbf6aaa9041b4f00c7f6ae");
	assert_string_equal(get_str(back, "n", NULL), "0");
	json_object_put(back);
	free(line);
	line = strndup(second + 1, (size_t)(strchr(second + 1, '\n') -
	    second));
	back = parse_line(line, strlen(line));
	assert_string_equal(get_str(back, "part", "md5"),
	    "93b885adfe0da089cdf634904fd59f71");	/* one zero byte */
	assert_string_equal(get_str(back, "n", NULL), "1");
	json_object_put(back);
	free(line);
	sink_close(&s);
	hash_threads_stop();
	hash_threaded(0);
	sink_free(&s);
	free(data);
}

static void
test_json_capture_stats(void **state)
{
	struct json_object *obj, *back;
	struct sink s;
	char keys[256];

	(void)state;
	sink_open(&s, 0, 1, 0);
	output_set_time(s.out, 1714557600, 5);
	obj = json_object_new_object();
	json_object_object_add(obj, "packets", json_object_new_int(3));
	output_event(s.out, NULL, "capture.stats", obj);
	sink_close(&s);
	back = parse_line(s.json, s.json_len);
	keys_of(back, keys, sizeof(keys));
	assert_string_equal(keys, "event,ts,packets");
	assert_string_equal(get_str(back, "ts", NULL),
	    "2024-05-01T10:00:00.000005Z");
	json_object_put(back);
	sink_free(&s);
}

/* A string that bypassed escape_utf8_dup() is repaired and flagged. */
static void
test_json_invalid_utf8_repaired(void **state)
{
	struct json_object *obj, *inner, *back;
	struct flow f;
	struct sink s;
	char keys[256];

	(void)state;
	fake_flow(&f, 4, "192.0.2.1", 1, "192.0.2.2", 25);
	sink_open(&s, 0, 1, 0);
	obj = json_object_new_object();
	json_object_object_add(obj, "bad",
	    json_object_new_string_len("\xff\xfe ok", 5));
	inner = json_object_new_array();
	json_object_array_add(inner, json_object_new_string("\xed\xa0\x80"));
	json_object_object_add(obj, "list", inner);
	json_object_object_add(obj, "\xc0key", json_object_new_int(1));
	json_object_object_add(obj, "ctl", json_object_new_string("\x1b\x01"));
	output_event(s.out, &f, "smtp.session", obj);
	sink_close(&s);
	back = parse_line(s.json, s.json_len);
	keys_of(back, keys, sizeof(keys));
	assert_string_equal(keys, "event,ts,session,proto,client,server,bad,"
	    "list,\xef\xbf\xbdkey,ctl,utf8_repaired");
	assert_string_equal(get_str(back, "bad", NULL),
	    "\xef\xbf\xbd\xef\xbf\xbd ok");
	assert_string_equal(get_str(back, "ctl", NULL), "\x1b\x01");
	assert_string_equal(get_str(back, "utf8_repaired", NULL), "6");
	assert_null(strchr(s.json, '\x1b'));	/* json-c wrote \u001b */
	json_object_put(back);
	sink_free(&s);
}

static void
test_json_many_and_null(void **state)
{
	struct json_object *back;
	struct flow f;
	struct sink s;
	char *p, *nl;
	int n = 0;

	(void)state;
	fake_flow(&f, 1, "2001:db8::1", 1, "2001:db8::2", 25);
	sink_open(&s, 0, 1, 0);
	output_event(s.out, &f, "a", NULL);
	output_event(s.out, &f, "b", json_object_new_array());
	output_event(s.out, &f, NULL, json_object_new_object());
	output_flush(s.out);
	sink_close(&s);
	for (p = s.json; (nl = strchr(p, '\n')) != NULL; p = nl + 1) {
		*nl = '\0';
		assert_non_null(back = json_tokener_parse(p));
		assert_string_equal(get_str(back, "client", "ip"),
		    "2001:db8::1");
		json_object_put(back);
		n++;
	}
	assert_int_equal(n, 3);
	sink_free(&s);
}

/* No writer at all: everything is a no-op and events are still freed. */
static void
test_no_writers(void **state)
{
	struct output_options opt = { .text = NULL };
	struct output *o = output_open(&opt);
	struct flow f;

	(void)state;
	fake_flow(&f, 1, "192.0.2.1", 1, "192.0.2.2", 25);
	assert_non_null(o);
	output_session_open(o, &f);
	output_line(o, &f, OUTPUT_CLIENT, (const uint8_t *)"x", 1, 0);
	output_note(o, &f, OUTPUT_CLIENT, "<%d>", 1);
	output_event(o, &f, "x", json_object_new_object());
	output_session_close(o, &f, "fin");
	output_flush(o);
	assert_false(output_error(o));
	output_close(o);
	output_event(NULL, &f, "x", json_object_new_object());
	output_close(NULL);
}

static void
test_group_digits(void **state)
{
	char buf[32], small[4];

	(void)state;
	assert_string_equal(output_group_digits(0, buf, sizeof(buf)), "0");
	assert_string_equal(output_group_digits(999, buf, sizeof(buf)), "999");
	assert_string_equal(output_group_digits(1000, buf, sizeof(buf)),
	    "1 000");
	assert_string_equal(output_group_digits(3456, buf, sizeof(buf)),
	    "3 456");
	assert_string_equal(output_group_digits(1234567, buf, sizeof(buf)),
	    "1 234 567");
	assert_string_equal(output_group_digits(UINT64_MAX, buf, sizeof(buf)),
	    "18 446 744 073 709 551 615");
	assert_string_equal(output_group_digits(123, small, sizeof(small)),
	    "123");
	assert_string_equal(output_group_digits(1234, small, sizeof(small)),
	    "");
	assert_string_equal(output_group_digits(1, small, 0), "");
}

static void
test_iso_time(void **state)
{
	struct timeval tv = { 0, 0 };
	char buf[OUTPUT_TIME_MAX];

	(void)state;
	assert_string_equal(output_iso_time(&tv, buf, sizeof(buf)),
	    "1970-01-01T00:00:00.000000Z");
	tv.tv_sec = 1714557600;
	tv.tv_usec = 123456;
	assert_string_equal(output_iso_time(&tv, buf, sizeof(buf)),
	    "2024-05-01T10:00:00.123456Z");
	tv.tv_usec = 1999999;		/* not normalised by the capture */
	assert_string_equal(output_iso_time(&tv, buf, sizeof(buf)),
	    "2024-05-01T10:00:01.999999Z");
}

/* One event through output_json_write_event (no envelope tree) and
 * through output_json_write of the tree: the same line. */
static void
same_line_both_ways(const struct flow *f, struct json_object *obj)
{
	struct timeval when = { 1714557600, 5 };
	struct json_envelope env;
	struct output_json *a, *b;
	char *pa = NULL, *pb = NULL;
	size_t na = 0, nb = 0;
	FILE *fa, *fb;
	struct json_object *e, *copy = NULL;

	/* a repair changes strings in place: each way gets its own */
	if (obj != NULL)
		assert_int_equal(json_object_deep_copy(obj, &copy, NULL), 0);
	assert_non_null(fa = open_memstream(&pa, &na));
	assert_non_null(fb = open_memstream(&pb, &nb));
	assert_non_null(a = output_json_open(fa));
	assert_non_null(b = output_json_open(fb));
	output_json_envelope_fill(&env, f, &when, "smtp.session");
	output_json_write_event(a, &env, copy);
	e = output_json_envelope_tree(&env, obj);
	output_json_write(b, e);
	json_object_put(e);
	assert_int_equal(output_json_close(a), 0);
	assert_int_equal(output_json_close(b), 0);
	fclose(fa);
	fclose(fb);
	assert_true(na > 0);
	assert_string_equal(pa, pb);
	free(pa);
	free(pb);
}

static void
test_json_event_without_tree(void **state)
{
	struct json_object *o;
	struct flow f;

	(void)state;
	fake_flow(&f, 7, "2001:db8::1", 40000, "192.0.2.\"25", 25);
	same_line_both_ways(&f, NULL);
	same_line_both_ways(NULL, NULL);
	/* keys the envelope has too: the envelope's stay, in place */
	o = json_object_new_object();
	json_object_object_add(o, "client", json_object_new_int(1));
	json_object_object_add(o, "x", json_object_new_string("a\tb"));
	json_object_object_add(o, "event", json_object_new_string("no"));
	json_object_object_add(o, "proto", json_object_new_string("p"));
	same_line_both_ways(&f, json_object_get(o));
	same_line_both_ways(NULL, json_object_get(o));	/* proto is its own */
	f.dissector = NULL;
	same_line_both_ways(&f, json_object_get(o));	/* so is proto */
	json_object_put(o);
	/* not an object: "value" */
	o = json_object_new_array();
	json_object_array_add(o, json_object_new_int(3));
	same_line_both_ways(&f, o);
	/* invalid UTF-8 in a value and a key: repaired both ways */
	o = json_object_new_object();
	json_object_object_add(o, "\xc0k", json_object_new_string("\xff"));
	same_line_both_ways(&f, o);
}

/* Bytes waiting at a non-blocking fd (0 if none yet). */
static ssize_t
waiting(int fd)
{
	char buf[4096];
	ssize_t n = read(fd, buf, sizeof(buf));

	if (n == -1 && errno == EAGAIN)
		return 0;
	return n;
}

/* One small event to w, through a writer opened on it; returns what the
 * reader saw before and after the writer's flush. */
static void
event_then_flush(FILE *w, int rfd, ssize_t *before, ssize_t *after)
{
	struct timeval when = { 1714557600, 5 };
	struct json_envelope env;
	struct output_json *j;
	struct json_object *o = json_object_new_object();

	json_object_object_add(o, "x", json_object_new_int(1));
	assert_non_null(j = output_json_open(w));
	output_json_envelope_fill(&env, NULL, &when, "smtp.session");
	output_json_write_event(j, &env, o);
	*before = waiting(rfd);
	output_json_flush(j);
	*after = waiting(rfd);
	assert_int_equal(output_json_close(j), 0);
}

/* A terminal gets each event at once; a pipe is buffered like a file (a
 * write per event cost a system call and a wake-up of the reader each).
 * The terminal comes first: the first buffered writer in a process gets
 * the big buffer, which a terminal must not get. */
static void
test_json_terminal_at_once_pipe_buffered(void **state)
{
	ssize_t before, after;
	int p[2], master, slave = -1;
	FILE *w;

	(void)state;
	if ((master = posix_openpt(O_RDWR | O_NOCTTY | O_NONBLOCK)) != -1 &&
	    grantpt(master) == 0 && unlockpt(master) == 0 &&
	    (slave = open(ptsname(master), O_RDWR | O_NOCTTY)) != -1) {
		assert_non_null(w = fdopen(slave, "w"));
		event_then_flush(w, master, &before, &after);
		assert_true(before > 0);
		fclose(w);
	} else
		print_message("no pseudo-terminal here: the pipe alone\n");
	if (master != -1)
		close(master);
	assert_int_equal(pipe(p), 0);
	assert_int_equal(fcntl(p[0], F_SETFL, O_NONBLOCK), 0);
	assert_non_null(w = fdopen(p[1], "w"));
	event_then_flush(w, p[0], &before, &after);
	assert_int_equal(before, 0);
	assert_true(after > 0);
	fclose(w);
	close(p[0]);
}

/* The cached second and the digits written by hand give what gmtime_r,
 * strftime and snprintf give, whatever the order of the seconds. */
static void
test_iso_time_against_libc(void **state)
{
	static const long long secs[] = { 0, 59, 60, 1714557600, 1714557600,
	    1714557601, 951782400, 4102444800LL, 253402300799LL,
	    253402300800LL, 32503680000LL, 1714557600 };
	static const long usecs[] = { 0, 7, 999999, 1000000, -1, 2500000 };
	char got[OUTPUT_TIME_MAX], want[OUTPUT_TIME_MAX], day[32], small[12];
	struct timeval tv;
	struct tm tm;

	(void)state;
	for (size_t i = 0; i < sizeof(secs) / sizeof(secs[0]); i++)
		for (size_t u = 0; u < sizeof(usecs) / sizeof(usecs[0]); u++) {
			time_t sec = (time_t)secs[i];
			long usec = usecs[u];

			tv.tv_sec = sec;
			tv.tv_usec = usec;
			sec += usec / 1000000;
			usec %= 1000000;
			if (usec < 0) {
				sec--;
				usec += 1000000;
			}
			assert_non_null(gmtime_r(&sec, &tm));
			assert_true(strftime(day, sizeof(day),
			    "%Y-%m-%dT%H:%M:%S", &tm) > 0);
			snprintf(want, sizeof(want), "%s.%06ldZ", day, usec);
			assert_string_equal(output_iso_time(&tv, got,
			    sizeof(got)), want);
			want[sizeof(small) - 1] = '\0';	/* cut as snprintf cuts */
			assert_string_equal(output_iso_time(&tv, small,
			    sizeof(small)), want);
		}
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_session_transcript),
		cmocka_unit_test(test_interleaved_sessions),
		cmocka_unit_test(test_hostile_line),
		cmocka_unit_test(test_colours),
		cmocka_unit_test(test_no_colour_no_escape),
		cmocka_unit_test(test_explain_notes),
		cmocka_unit_test(test_message_tolerant),
		cmocka_unit_test(test_message_long_values),
		cmocka_unit_test(test_json_event),
		cmocka_unit_test(test_json_waits_for_digests),
		cmocka_unit_test(test_json_capture_stats),
		cmocka_unit_test(test_json_invalid_utf8_repaired),
		cmocka_unit_test(test_json_many_and_null),
		cmocka_unit_test(test_json_terminal_at_once_pipe_buffered),
		cmocka_unit_test(test_no_writers),
		cmocka_unit_test(test_group_digits),
		cmocka_unit_test(test_iso_time),
		cmocka_unit_test(test_iso_time_against_libc),
		cmocka_unit_test(test_json_event_without_tree),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
