/* fuzz_smtp.c: libFuzzer target for the SMTP dissector through its struct
 * dissector callbacks, with a real flow and a real output (transcript and
 * NDJSON into memory streams). Both directions interleave.
 *
 * Input: byte 0 = options (bit 0 small limits, 1 --body, 2
 * --show-credentials, 3 --raw-headers, 4 colour, 5 --explain and the
 * --html page and --summary too, 6 --lang fr, 5-7 all set: the implicit TLS
 * dissector smtps instead of smtp); then records: a header
 * byte h, bit 0 the direction (0 client, 1 server), h >> 1 the length
 * 0..126 of the bytes that follow; h >> 1 == 127 is a gap whose size is the
 * next byte (times 16). At the end the session is closed (how: the last
 * byte). Asserts: no raw ESC in the transcript (without colour), JSON lines
 * valid UTF-8 and printed as json-c prints them back,
 * no raw ESC nor "<script" in the page, no raw ESC in the summary. */
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

#include <json-c/json.h>

#include "config.h"
#include "dissector.h"
#include "escape.h"
#include "flow.h"
#include "output.h"
#include "smtp.h"
#include "smtps.h"
#include "fuzz_common.h"

/* Each line parses, and json-c prints the parsed tree back to the very
 * same bytes: json_print.c writes what json-c would. */
static void
check_json_line(const char *s, size_t n)
{
	struct json_tokener *tok = json_tokener_new_ex(1024);	/* deep MIME trees */
	struct json_object *o;
	const char *back;
	size_t bn;

	if (tok == NULL)
		return;
	o = json_tokener_parse_ex(tok, s, (int)n);
	if (o == NULL || json_tokener_get_parse_end(tok) != n)
		__builtin_trap();		/* not one JSON value */
	back = json_object_to_json_string_length(o, JSON_C_TO_STRING_PLAIN |
	    JSON_C_TO_STRING_NOSLASHESCAPE, &bn);
	if (bn != n || memcmp(back, s, n) != 0)
		__builtin_trap();		/* printed otherwise than json-c */
	json_object_put(o);
	json_tokener_free(tok);
}

static void
check_json(const char *s, size_t n)
{
	size_t i, k;
	const char *nl;

	for (i = 0; i < n; i += k)
		if ((k = escape_utf8_seq((const uint8_t *)s + i, n - i)) == 0)
			__builtin_trap();	/* raw invalid UTF-8 in JSON */
	for (i = 0; i < n; i += k + 1) {
		nl = memchr(s + i, '\n', n - i);
		k = nl != NULL ? (size_t)(nl - (s + i)) : n - i;
		if (k > 0)
			check_json_line(s + i, k);
	}
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const struct dissector *d;
	struct output_options oo;
	struct config cfg;
	struct output *out;
	struct flow flow;
	char *tbuf = NULL, *jbuf = NULL, *hbuf = NULL, *sbuf = NULL;
	size_t tlen = 0, jlen = 0, hlen = 0, slen = 0, off, len;
	FILE *tf, *jf, *hf = NULL, *sf = NULL;
	uint8_t opt, h, *chunk;
	void *st;

	if (size < 1)
		return 0;
	opt = data[0];
	d = (opt & 0xe0) == 0xe0 ? &smtps_dissector : &smtp_dissector;
	config_defaults(&cfg);
	if (opt & 1)
		fuzz_small_limits(&cfg.limits);
	cfg.show_body = (opt >> 1) & 1;
	cfg.show_credentials = (opt >> 2) & 1;
	cfg.raw_headers = (opt >> 3) & 1;

	tf = open_memstream(&tbuf, &tlen);
	jf = open_memstream(&jbuf, &jlen);
	if (tf == NULL || jf == NULL)
		abort();
	memset(&oo, 0, sizeof(oo));
	oo.text = tf;
	oo.json = jf;
	oo.color = (opt >> 4) & 1;
	oo.explain = (opt >> 5) & 1;
	oo.explain_lang = (opt >> 6) & 1;	/* EXPLAIN_LANG_EN, _FR */
	if (opt & 0x20) {
		if ((hf = open_memstream(&hbuf, &hlen)) == NULL ||
		    (sf = open_memstream(&sbuf, &slen)) == NULL)
			abort();
		oo.html = hf;
		oo.summary = sf;
	}
	out = output_open(&oo);
	if (out == NULL)
		abort();

	memset(&flow, 0, sizeof(flow));
	flow.id = 1;
	strcpy(flow.client.ip, "192.0.2.1");
	flow.client.port = 40000;
	flow.client.family = AF_INET;
	strcpy(flow.server.ip, "192.0.2.25");
	flow.server.port = 25;
	flow.server.family = AF_INET;
	flow.first_ts.tv_sec = 1700000000;
	flow.now = flow.first_ts;
	flow.dissector = d;
	output_session_open(out, &flow);
	st = d->open(&flow, out, &cfg);
	if (st == NULL)
		goto done;
	flow.state = st;

	for (off = 1; off < size; off += len) {
		h = data[off++];
		flow.now.tv_usec = (flow.now.tv_usec + 1) % 1000000;
		if ((h >> 1) == 127) {
			size_t lost = off < size ? (size_t)data[off] * 16 + 1 : 1;

			len = off < size ? 1 : 0;
			d->gap(st, !(h & 1), lost);
			continue;
		}
		len = h >> 1;
		if (len > size - off)
			len = size - off;
		/* Exact-size copy: any read past n is an ASan report. */
		chunk = malloc(len ? len : 1);
		if (chunk == NULL)
			abort();
		memcpy(chunk, data + off, len);
		if (h & 1) {
			flow.server_bytes += len;
			d->server_data(st, chunk, len);
		} else {
			flow.client_bytes += len;
			d->client_data(st, chunk, len);
		}
		free(chunk);
	}
	d->close(st, (enum flow_end)(1 + data[size - 1] % 6));
done:
	output_close(out);
	fclose(tf);
	fclose(jf);
	if (hf != NULL) {
		fclose(hf);
		fclose(sf);
		if (hbuf != NULL && (memchr(hbuf, 0x1b, hlen) != NULL ||
		    memmem(hbuf, hlen, "<script", 7) != NULL))
			__builtin_trap();	/* the wire reached the page */
		/* The table is text: "<script" is fine there, ESC is not. */
		if (sbuf != NULL && memchr(sbuf, 0x1b, slen) != NULL)
			__builtin_trap();
		free(hbuf);
		free(sbuf);
	}
	/* Colour mode writes our own SGR escapes; only check without it. */
	if (!oo.color && tbuf != NULL && memchr(tbuf, 0x1b, tlen) != NULL)
		__builtin_trap();		/* ESC from the wire reached a tty */
	check_json(jbuf, jlen);
	free(tbuf);
	free(jbuf);
	return 0;
}
