/* test_mime.c: the streaming MIME tree: boundaries split at every offset,
 * nesting, limits, malformed MIME, filename evasion, flat memory. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <sys/resource.h>
#include <cmocka.h>

#include "mime.h"
#include "msg_helpers.h"
#include "test_evp_hex.h"

static const char multi[] =
    "From: a@example.org\r\n"
    "Subject: test\r\n"
    "Content-Type: multipart/mixed; boundary=\"b1\"\r\n"
    "\r\n"
    "preamble --b1 not at line start\r\n"
    "--b1\r\n"
    "Content-Type: text/plain\r\n"
    "\r\n"
    "hello\r\n"
    "--b1\r\n"
    "Content-Type: multipart/alternative; boundary=b2\r\n"
    "\r\n"
    "--b2\r\n"
    "Content-Transfer-Encoding: base64\r\n"
    "\r\n"
    "SGVs\r\nbG8g\r\nd29y\r\nbGQ=\r\n"
    "--b2--\r\n"
    "--b1\r\n"
    "Content-Type: application/octet-stream; name=x.bin\r\n"
    "Content-Transfer-Encoding: quoted-printable\r\n"
    "\r\n"
    "a=3Db=\r\nc--b1 inside\r\n"
    "--b1--\r\n"
    "epilogue\r\n";

static void
test_tree(void **state)
{
	json_object *o = th_run(multi);

	(void)state;
	assert_string_equal(th_get(o, "mime.content_type"), "multipart/mixed");
	assert_string_equal(th_get(o, "mime.parts.0.decoded_bytes"), "5");
	assert_string_equal(th_get(o, "mime.parts.0.md5"),
	    "5d41402abc4b2a76b9719d911017c592");	/* "hello" */
	assert_string_equal(th_get(o, "mime.parts.1.parts.0.md5"),
	    "3e25960a79dbc69b674cd4ec67a72c62");	/* "Hello world" */
	assert_string_equal(th_get(o, "mime.parts.2.filename"), "x.bin");
	assert_string_equal(th_get(o, "mime.parts.2.decoded_bytes"), "15");
	assert_int_equal(th_an.count[ANOMALY_mime_unterminated_multipart], 0);
	json_object_put(o);
}

/* A boundary (and everything else) split across two chunks at every
 * offset, and across three, gives the same tree and hashes. */
static void
test_split_every_offset(void **state)
{
	json_object *ref = th_run(multi), *o;
	const char *want = json_object_to_json_string(ref);
	size_t n = strlen(multi), i;

	(void)state;
	for (i = 0; i <= n; i++) {
		o = th_run2(multi, n, i, n);
		assert_string_equal(json_object_to_json_string(o), want);
		json_object_put(o);
		o = th_run2(multi, n, i / 2, i);
		assert_string_equal(json_object_to_json_string(o), want);
		json_object_put(o);
	}
	json_object_put(ref);
}

static void
test_filename_evasion(void **state)
{
	json_object *o = th_run(
	    "Content-Type: multipart/mixed; boundary=B\r\n\r\n"
	    "--B\r\n"
	    "Content-Type: application/octet-stream; name=\"n.txt\"\r\n"
	    "Content-Disposition: attachment; dummy=\"filename=wrong.txt\"; "
	    "filename=real.exe\r\n\r\nx\r\n"
	    "--B\r\n"
	    "Content-Disposition: attachment;\r\n"
	    " filename*0*=iso-8859-1''%E9t%E9;\r\n"
	    " filename*1=\"_report.pdf\"\r\n\r\ny\r\n"
	    "--B\r\n"
	    "Content-Disposition: attachment; filename=\"=?UTF-8?B?w6l0w6kuZG9j?=\"\r\n"
	    "\r\nz\r\n"
	    "--B--\r\n");

	(void)state;
	assert_string_equal(th_get(o, "mime.parts.0.filename"), "real.exe");
	assert_string_equal(th_get(o, "mime.parts.1.filename"),
	    "\xc3\xa9t\xc3\xa9_report.pdf");
	assert_string_equal(th_get(o, "mime.parts.2.filename"),
	    "\xc3\xa9t\xc3\xa9.doc");
	assert_string_equal(th_get(o, "mime.parts.2.filename_raw"),
	    "=?UTF-8?B?w6l0w6kuZG9j?=");
	assert_string_equal(th_get(o, "attachments"), "3");
	json_object_put(o);
}

static void
test_param_parser(void **state)
{
	char *raw, *v;

	(void)state;
	v = mime_param("text/plain; charset=\"us-ascii\"; format=flowed",
	    "charset", NULL, NULL);
	assert_string_equal(v, "us-ascii");
	free(v);
	v = mime_param("attachment; filename=a.txt; filename=b.exe",
	    "filename", &raw, NULL);
	assert_string_equal(v, "b.exe");	/* the last one */
	assert_null(raw);
	free(v);
	v = mime_param("attachment; x=\"a;filename=c.exe\"", "filename",
	    NULL, NULL);
	assert_null(v);
	v = mime_param("attachment; filename=\"unterminated", "filename",
	    NULL, NULL);
	assert_string_equal(v, "unterminated");
	free(v);
	v = mime_param("attachment; filename*=x-no-such-cs''ab%41",
	    "filename", NULL, NULL);
	assert_string_equal(v, "abA");
	free(v);
}

/* The raw form joins the segments as sent: a charset'language' prefix
 * far longer than the decoded value once overran its buffer (found by
 * fuzz_message). */
static void
test_param_raw_long_prefix(void **state)
{
	char value[700], *raw, *v;
	int n;

	(void)state;
	n = snprintf(value, sizeof(value), "attachment; filename*0*=");
	memset(value + n, 'x', 600);
	strcpy(value + n + 600, "'en'a%42; filename*1=c");
	v = mime_param(value, "filename", &raw, NULL);
	assert_non_null(v);
	assert_non_null(raw);
	assert_int_equal(strlen(raw), 600 + strlen("'en'a%42") + 1);
	assert_string_equal(raw + 600, "'en'a%42c");
	free(raw);
	free(v);
}

static void
test_nested_headers_stay_nested(void **state)
{
	json_object *o = th_run(
	    "From: outer@example.org\r\nSubject: outer\r\n"
	    "Content-Type: multipart/mixed; boundary=B\r\n\r\n"
	    "--B\r\nContent-Type: message/rfc822\r\n\r\n"
	    "From: inner@example.net\r\nSubject: inner\r\n"
	    "Received: from x (y [10.0.0.1]) by z; Mon, 1 Jan 2024 00:00:00 +0000\r\n"
	    "\r\nbody\r\n--B--\r\n");

	(void)state;
	assert_string_equal(th_get(o, "headers.subject"), "outer");
	assert_string_equal(th_get(o, "headers.from.0.address"),
	    "outer@example.org");
	assert_string_equal(th_get(o, "mime.parts.0.headers.subject"),
	    "inner");
	assert_string_equal(th_get(o, "mime.parts.0.headers.received.0.from.ip"),
	    "10.0.0.1");
	assert_int_equal(json_object_array_length(json_object_object_get(o,
	    "received")), 0);
	json_object_put(o);
}

static char *
deep_message(int levels)
{
	size_t cap = (size_t)levels * 80 + 256, n = 0;
	char *s = malloc(cap);
	int i;

	for (i = 0; i < levels; i++)
		n += (size_t)snprintf(s + n, cap - n,
		    "Content-Type: multipart/mixed; boundary=b%d\r\n\r\n--b%d\r\n",
		    i, i);
	n += (size_t)snprintf(s + n, cap - n, "\r\nleaf\r\n");
	return s;
}

static void
test_deep_nesting(void **state)
{
	char *s = deep_message(10000);
	json_object *o;

	(void)state;
	th_cfg.limits.max_mime_depth = 20;
	o = th_run(s);
	assert_true(th_an.count[ANOMALY_mime_depth_limit] > 0);
	assert_true(th_an.count[ANOMALY_mime_unterminated_multipart] > 0);
	json_object_put(o);
	free(s);
}

static void
test_part_limit(void **state)
{
	char *s = malloc(200000);
	size_t n = 0;
	int i;
	json_object *o;

	(void)state;
	n += (size_t)sprintf(s, "Content-Type: multipart/mixed; boundary=B\r\n\r\n");
	for (i = 0; i < 5000; i++)
		n += (size_t)sprintf(s + n, "--B\r\n\r\np%d\r\n", i);
	sprintf(s + n, "--B--\r\n");
	th_cfg.limits.max_parts = 100;
	o = th_run(s);
	assert_int_equal(th_an.count[ANOMALY_mime_part_limit], 1);
	assert_int_equal(json_object_array_length(json_object_object_get(
	    json_object_object_get(o, "mime"), "parts")), 99);
	json_object_put(o);
	th_cfg.limits.max_parts = 1000;
	free(s);
}

static void
test_malformed(void **state)
{
	json_object *o;

	(void)state;
	/* boundary missing, multipart never closed, part without blank line,
	 * endless header line */
	o = th_run("Content-Type: multipart/mixed\r\n\r\nx\r\n");
	assert_true(anomaly_has(&th_an, ANOMALY_mime_missing_boundary));
	json_object_put(o);
	o = th_run("Content-Type: multipart/mixed; boundary=B\r\n\r\n"
	    "--B\r\nContent-Type: text/plain\r\nno blank line here\r\n");
	assert_true(anomaly_has(&th_an, ANOMALY_mime_unterminated_multipart));
	assert_true(anomaly_has(&th_an, ANOMALY_mime_no_blank_line));
	json_object_put(o);
	o = th_run("Content-Type: multipart/mixed; boundary=B\r\n\r\n"
	    "--B\r\nContent-Transfer-Encoding: base64\r\n\r\nSGVsbG8*gV29ybGQ\r\n"
	    "--B--\r\n");
	assert_true(anomaly_has(&th_an, ANOMALY_mime_bad_base64));
	assert_true(anomaly_has(&th_an, ANOMALY_mime_missing_content_type));
	json_object_put(o);
	{
		size_t n = 300000;
		char *s = malloc(n + 64);

		memcpy(s, "Subject: ", 9);
		memset(s + 9, 'A', n);
		memcpy(s + 9 + n, "\r\n\r\nbody\r\n", 11);
		th_cfg.limits.max_header_bytes = 1000;
		o = th_run(s);
		assert_true(anomaly_has(&th_an, ANOMALY_header_too_long));
		assert_int_equal(strlen(th_get(o, "headers.subject")), 991);
		json_object_put(o);
		th_cfg.limits.max_header_bytes = 65536;
		free(s);
	}
}

/* A header block ending in Content-Type: message/rfc822 with nothing
 * after it (the end of the data, or a delimiter): the empty attached
 * message is opened and closed like any other (fuzz regression
 * leak-mime-ent_push-msg_open: its header summary leaked). */
static void
test_rfc822_at_end_of_headers(void **state)
{
	json_object *o;

	(void)state;
	o = th_run("\r\nContent-Type:message/rfc822");
	json_object_put(o);
	o = th_run("Content-Type:message/rfc822");
	assert_string_equal(th_get(o, "mime.content_type"), "message/rfc822");
	assert_string_equal(th_get(o, "mime.parts.0.content_type"),
	    "text/plain");
	assert_string_equal(th_get(o, "mime.headers.count"), "0");
	assert_string_equal(th_get(o, "mime.parts.0.decoded_bytes"), "0");
	json_object_put(o);
	o = th_run("Content-Type: multipart/mixed; boundary=B\r\n\r\n"
	    "--B\r\nContent-Type: message/rfc822\r\n--B--\r\n");
	assert_string_equal(th_get(o, "mime.parts.0.content_type"),
	    "message/rfc822");
	assert_string_equal(th_get(o, "mime.parts.0.parts.0.content_type"),
	    "text/plain");
	assert_string_equal(th_get(o, "mime.parts.0.headers.count"), "0");
	json_object_put(o);
}

/* Every string of the message object passes one UTF-8 choke point
 * (message_utf8_fix, run by message_close): whatever a parser lets
 * through is repaired, at any depth. */
static void
test_utf8_choke_point(void **state)
{
	json_object *o = json_object_new_object(), *a = json_object_new_array(),
	    *in = json_object_new_object();
	json_object *r;

	(void)state;
	json_object_object_add(o, "ok", json_object_new_string("caf\xc3\xa9"));
	json_object_object_add(o, "cut", json_object_new_string("h\xc3"));
	json_object_object_add(in, "rdns", json_object_new_string("x\xef\xbf"));
	json_object_array_add(a, in);
	json_object_array_add(a, json_object_new_string_len("n\0l", 3));
	json_object_array_add(a, json_object_new_int(3));
	json_object_object_add(o, "received", a);
	assert_int_equal(message_utf8_fix(o), 3);
	assert_string_equal(th_get(o, "ok"), "caf\xc3\xa9");
	assert_string_equal(th_get(o, "cut"), "h\xef\xbf\xbd");
	assert_string_equal(th_get(o, "received.0.rdns"),
	    "x\xef\xbf\xbd\xef\xbf\xbd");	/* one per byte */
	assert_string_equal(th_get(o, "received.1"), "n\xef\xbf\xbdl");
	assert_int_equal(message_utf8_fix(o), 0);
	json_object_put(o);
	/* through the analyser: an unclosed Received comment ending in a
	 * multi-byte character (fuzz invalid-utf8-received-rdns) */
	r = th_run("Received: from x (h\xc3\xa9\r\n\r\nbody\r\n");
	assert_string_equal(th_get(r, "received.0.from.rdns"), "h\xc3\xa9");
	assert_int_equal(message_utf8_fix(r), 0);
	json_object_put(r);
}

/* message/rfc822 with a (forbidden) base64 or quoted-printable encoding:
 * decoded and parsed as the attached message it is, flagged; a body that
 * is not base64 after all is read as is (suricata-verify
 * mime_smtp-mime-encap-8649-combined hid malware.exe this way). */
static void
test_encoded_message(void **state)
{
	/* "From: a@b\r\nSubject: in\r\nContent-Disposition: attachment;
	 * filename=x.exe\r\n\r\nMZ-payload\r\n" in base64 */
	static const char b64[] =
	    "Subject: outer\r\n"
	    "Content-Type: multipart/mixed; boundary=B\r\n\r\n"
	    "--B\r\nContent-Type: message/rfc822\r\n"
	    "Content-Transfer-Encoding: base64\r\n"
	    "Content-Disposition: attachment; filename=\"innocent.txt\"\r\n\r\n"
	    "RnJvbTogYUBiDQpTdWJqZWN0OiBpbg0KQ29udGVudC1EaXNwb3NpdGlvbjogYXR0\r\n"
	    "YWNobWVudDsgZmlsZW5hbWU9eC5leGUNCg0KTVotcGF5bG9hZA0K\r\n"
	    "--B--\r\n";
	json_object *o, *ref;
	size_t n = strlen(b64), i;

	(void)state;
	o = th_run(b64);
	assert_true(anomaly_has(&th_an, ANOMALY_mime_encoded_message));
	assert_string_equal(th_get(o, "headers.subject"), "outer");
	assert_string_equal(th_get(o, "mime.parts.0.content_type"),
	    "message/rfc822");
	assert_string_equal(th_get(o, "mime.parts.0.headers.subject"), "in");
	assert_string_equal(th_get(o, "mime.parts.0.parts.0.filename"),
	    "x.exe");
	assert_string_equal(th_get(o, "mime.parts.0.parts.0.md5"),
	    "c1599e6b42755e2d8166049c1b1ea997");	/* "MZ-payload\r\n" */
	assert_string_equal(th_get(o, "attachments"), "2");
	/* any split gives the same */
	ref = o;
	for (i = 0; i <= n; i += 7) {
		o = th_run2(b64, n, i, n);
		assert_string_equal(json_object_to_json_string(o),
		    json_object_to_json_string(ref));
		json_object_put(o);
	}
	json_object_put(ref);
	/* not base64 at all: the encoding is ignored, the message parsed */
	o = th_run("Content-Type: message/rfc822\r\n"
	    "Content-Transfer-Encoding: base64\r\n\r\n"
	    "From: a@b\r\nSubject: inner\r\n"
	    "Content-Disposition: attachment; filename=\"malware.exe\"\r\n\r\n"
	    "EICAR-MIME-BYPASS-TEST-PAYLOAD\r\n");
	assert_true(anomaly_has(&th_an, ANOMALY_mime_encoded_message));
	assert_string_equal(th_get(o, "mime.headers.subject"), "inner");
	assert_string_equal(th_get(o, "mime.parts.0.filename"), "malware.exe");
	json_object_put(o);
	/* quoted-printable */
	o = th_run("Content-Type: message/rfc822\r\n"
	    "Content-Transfer-Encoding: quoted-printable\r\n\r\n"
	    "Subject: caf=C3=A9\r\n"
	    "Content-Disposition: attachment; filen=\r\name=3D\"q.exe\"\r\n\r\n"
	    "body\r\n");
	assert_true(anomaly_has(&th_an, ANOMALY_mime_encoded_message));
	assert_string_equal(th_get(o, "mime.headers.subject"), "caf\xc3\xa9");
	assert_string_equal(th_get(o, "mime.parts.0.filename"), "q.exe");
	json_object_put(o);
}

/* Never drop a hop: Received headers past --max-headers still reach
 * message.received, up to their own bound of 256 (too_many_received). */
static void
test_received_past_max_headers(void **state)
{
	char *s = malloc(400 * 64 + 64);
	size_t n = 0;
	int i;
	json_object *o;

	(void)state;
	th_cfg.limits.max_headers = 10;
	for (i = 0; i < 20; i++)
		n += (size_t)sprintf(s + n, "X-Filler-%d: x\r\n", i);
	for (i = 0; i < 5; i++)
		n += (size_t)sprintf(s + n, "Received: from h%d ([10.0.0.%d]) "
		    "by mx\r\n", i, i);
	sprintf(s + n, "\r\nbody\r\n");
	o = th_run(s);
	assert_true(anomaly_has(&th_an, ANOMALY_too_many_headers));
	assert_false(anomaly_has(&th_an, ANOMALY_too_many_received));
	assert_int_equal(json_object_array_length(json_object_object_get(o,
	    "received")), 5);
	assert_string_equal(th_get(o, "received.4.from.ip"), "10.0.0.4");
	assert_string_equal(th_get(o, "hop_ips.0"), "10.0.0.4");
	json_object_put(o);
	/* 300 hops: 256 kept, flagged */
	n = 0;
	for (i = 0; i < 300; i++)
		n += (size_t)sprintf(s + n, "Received: from h%d by mx\r\n", i);
	sprintf(s + n, "\r\nbody\r\n");
	o = th_run(s);
	assert_true(anomaly_has(&th_an, ANOMALY_too_many_received));
	assert_int_equal(json_object_array_length(json_object_object_get(o,
	    "received")), 256);
	json_object_put(o);
	th_cfg.limits.max_headers = 1000;
	free(s);
}

/* RFC 2046 5.1.1: the CRLF before a delimiter line belongs to the
 * delimiter, not to the part; a single-part message has no delimiter, and
 * its last line's CRLF is content (RFC 5321 4.1.1.4: Suricata logs 30
 * bytes for suricata-verify mime_smtp-mime-encap-8649-baseline, we 32). */
static void
test_crlf_before_boundary(void **state)
{
	json_object *o;

	(void)state;
	o = th_run("Content-Type: multipart/mixed; boundary=B\r\n\r\n"
	    "--B\r\n\r\nx\r\n\r\n--B\r\n\r\ny\r\n--B--\r\n");
	assert_string_equal(th_get(o, "mime.parts.0.decoded_bytes"), "3");
	assert_string_equal(th_get(o, "mime.parts.1.decoded_bytes"), "1");
	json_object_put(o);
	o = th_run("Content-Type: application/octet-stream\r\n\r\n"
	    "EICAR-MIME-BYPASS-TEST-PAYLOAD\r\n");
	assert_string_equal(th_get(o, "mime.decoded_bytes"), "32");
	json_object_put(o);
}

static long
maxrss_kb(void)
{
	struct rusage ru;

	getrusage(RUSAGE_SELF, &ru);
	return ru.ru_maxrss;
}

/* The whole message's md5 and sha256 only when asked for
 * (--message-digests), then those of the bytes as fed, however split;
 * the part is hashed either way. */
static void
test_message_digests(void **state)
{
	static const char msg[] = "Subject: digests\r\n"
	    "Content-Type: text/plain\r\n\r\nhello\r\nworld\r\n";
	char md5[33], sha256[65];
	json_object *o;
	size_t n = sizeof(msg) - 1, i;

	(void)state;
	o = th_run(msg);
	assert_null(th_get(o, "md5"));
	assert_null(th_get(o, "sha256"));
	assert_non_null(th_get(o, "mime.md5"));
	assert_non_null(th_get(o, "mime.sha256"));
	json_object_put(o);

	evp_hex(EVP_md5(), msg, n, md5);
	evp_hex(EVP_sha256(), msg, n, sha256);
	th_cfg.message_digests = 1;
	for (i = 0; i <= n; i += 7) {
		o = th_run2(msg, n, i, n);
		assert_string_equal(th_get(o, "md5"), md5);
		assert_string_equal(th_get(o, "sha256"), sha256);
		json_object_put(o);
	}
	th_cfg.message_digests = 0;
}

/* Feeds an attachment of `size` base64 bytes in 64 KB chunks. */
static void
feed_big(size_t size)
{
	static const char head[] =
	    "Content-Type: multipart/mixed; boundary=B\r\n\r\n--B\r\n"
	    "Content-Type: application/octet-stream\r\n"
	    "Content-Transfer-Encoding: base64\r\n\r\n";
	static uint8_t chunk[65536];
	struct message *m;
	json_object *o;
	size_t done = 0, i;

	for (i = 0; i < sizeof(chunk); i++)
		chunk[i] = (i % 78 == 76) ? '\r' : (i % 78 == 77) ? '\n' :
		    (uint8_t)"QUJD"[i % 4];
	memset(&th_an, 0, sizeof(th_an));
	m = message_open(&th_cfg, &th_an, "big");
	message_feed(m, (const uint8_t *)head, sizeof(head) - 1);
	while (done < size) {
		message_feed(m, chunk, sizeof(chunk));
		done += sizeof(chunk);
	}
	message_feed(m, (const uint8_t *)"\r\n--B--\r\n", 9);
	o = message_close(m, 1);
	assert_true(json_object_get_int64(json_object_object_get(
	    json_object_array_get_idx(json_object_object_get(
	    json_object_object_get(o, "mime"), "parts"), 0),
	    "decoded_bytes")) > 0);
	json_object_put(o);
}

static void
test_memory_flat(void **state)
{
	long before, small, big;

	(void)state;
	before = maxrss_kb();
	feed_big(5 * 1024);
	small = maxrss_kb();
	feed_big(50 * 1024 * 1024);
	big = maxrss_kb();
	fprintf(stderr, "maxrss: start %ld KB, after 5 KB %ld KB, after 50 MB "
	    "%ld KB\n", before, small, big);
	/* a 50 MB attachment may not cost more than a 5 KB one (slack for
	 * allocator noise, far below the 50 MB it would cost to hold it) */
	assert_true(big - small < 2048);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_tree),
		cmocka_unit_test(test_split_every_offset),
		cmocka_unit_test(test_filename_evasion),
		cmocka_unit_test(test_param_parser),
		cmocka_unit_test(test_param_raw_long_prefix),
		cmocka_unit_test(test_nested_headers_stay_nested),
		cmocka_unit_test(test_deep_nesting),
		cmocka_unit_test(test_part_limit),
		cmocka_unit_test(test_malformed),
		cmocka_unit_test(test_rfc822_at_end_of_headers),
		cmocka_unit_test(test_utf8_choke_point),
		cmocka_unit_test(test_encoded_message),
		cmocka_unit_test(test_received_past_max_headers),
		cmocka_unit_test(test_crlf_before_boundary),
		cmocka_unit_test(test_message_digests),
		cmocka_unit_test(test_memory_flat),
	};

	config_defaults(&th_cfg);
	return cmocka_run_group_tests(tests, NULL, NULL);
}
