/* output_html_tx.c: draws one transaction of the --html page from its
 * smtp.transaction event (envelope with replies, key headers, the Received
 * path oldest first, the MIME tree). Reads the event only; never parses
 * wire bytes and never writes a string of the event unescaped. */
#include <stdint.h>
#include <string.h>

#include <json-c/json.h>

#include "escape.h"
#include "output.h"
#include "output_html_tx.h"
#include "output_html_words.h"
#include "json_read.h"

#define TEXT_CAP	2000	/* bytes shown of one string of the event */
#define HASH_SHOWN	12	/* hex digits of a short sha256 */

/* Cut at most `cap` bytes back to a UTF-8 boundary, so no character is
 * shown half (escape would show its bytes as \xNN, a false alarm). */
static size_t
utf8_cut(const char *s, size_t n, size_t cap)
{
	size_t k;

	if (n <= cap)
		return n;
	k = cap;
	while (k > 0 && cap - k < 3 && ((uint8_t)s[k] & 0xc0) == 0x80)
		k--;
	return k;
}

static void
put_capped(FILE *f, const char *s, size_t n, size_t cap)
{
	size_t k = utf8_cut(s, n, cap);

	escape_html_write(f, (const uint8_t *)s, k);
	if (k < n)
		fputs("\u2026", f);
}

void
output_html_put(FILE *f, const char *s)
{
	if (s != NULL)
		put_capped(f, s, strlen(s), TEXT_CAP);
}

/* A REPLY object: the code coloured by class, the enhanced code, text. */
static void
put_reply(FILE *f, const struct json_object *r, int lang)
{
	struct json_object *c = json_read_get(r, "code");
	int code;

	if (c == NULL || !json_object_is_type(c, json_type_int)) {
		fprintf(f, "<span class=\"none\">%s</span>",
		    output_html_word(lang, HW_NO_REPLY));
		return;
	}
	code = json_object_get_int(c);
	fprintf(f, "<b class=\"k%d\">%d</b>",
	    code >= 200 && code < 600 ? code / 100 : 0, code);
	if (json_read_str(r, "enhanced") != NULL) {
		fputc(' ', f);
		output_html_put(f, json_read_str(r, "enhanced"));
	}
	if (json_read_str(r, "text") != NULL) {
		fputc(' ', f);
		output_html_put(f, json_read_str(r, "text"));
	}
}

/* A path object: <address> then its parameters as sent (KEY=value). */
static void
put_path(FILE *f, const struct json_object *p)
{
	struct json_object *params = json_read_get(p, "params");
	const char *addr = json_read_str(p, "address");

	fputs("&lt;", f);
	output_html_put(f, addr != NULL ? addr : json_read_str(p, "raw"));
	fputs("&gt;", f);
	if (params == NULL || !json_object_is_type(params, json_type_object))
		return;
	json_object_object_foreach(params, key, val) {
		fputc(' ', f);
		output_html_put(f, key);
		if (json_object_is_type(val, json_type_string)) {
			fputc('=', f);
			output_html_put(f, json_object_get_string(val));
		}
	}
}

static void
env_row(FILE *f, const char *what, const struct json_object *path,
    const struct json_object *reply, int lang)
{
	fprintf(f, "<tr><th>%s</th><td>", what);
	if (path != NULL)
		put_path(f, path);
	fputs("</td><td>", f);
	put_reply(f, reply, lang);
	fputs("</td></tr>\n", f);
}

static void
put_data_row(FILE *f, const struct json_object *data, int lang)
{
	struct json_object *v;
	char num[32];

	fputs("<tr><th>", f);
	output_html_put(f, json_read_str(data, "command"));
	fputs("</th><td>", f);
	if ((v = json_read_get(data, "bytes")) != NULL) {
		fputs(output_group_digits((uint64_t)json_object_get_int64(v),
		    num, sizeof(num)), f);
		fputs(" bytes", f);
	}
	if ((v = json_read_get(data, "lines")) != NULL)
		fprintf(f, ", %s lines", output_group_digits(
		    (uint64_t)json_object_get_int64(v), num, sizeof(num)));
	if ((v = json_read_get(data, "chunks")) != NULL &&
	    json_object_get_int64(v) > 0)
		fprintf(f, ", %lld chunks",
		    (long long)json_object_get_int64(v));
	fputs("</td><td>", f);
	put_reply(f, json_read_get(data, "reply"), lang);
	fputs("</td></tr>\n", f);
}

static void
put_refused(FILE *f, const struct json_object *refused, int lang)
{
	const struct json_object *r;
	size_t i, n = json_read_len(refused);

	for (i = 0; i < n && i < OUTPUT_HTML_TX_LIST_CAP; i++) {
		r = json_object_array_get_idx(refused, i);
		fputs("<tr><th>refused</th><td>", f);
		output_html_put(f, json_read_str(r, "command"));
		fputc(' ', f);
		output_html_put(f, json_read_str(r, "argument"));
		fputs("</td><td>", f);
		put_reply(f, json_read_get(r, "reply"), lang);
		fputs("</td></tr>\n", f);
	}
}

static void
put_envelope(FILE *f, const struct json_object *tx, int lang)
{
	struct json_object *rcpts = json_read_get(tx, "rcpt_to"), *data, *mail;
	size_t i, n = json_read_len(rcpts);

	fprintf(f, "<h4>%s</h4>\n<table class=\"env\">\n",
	    output_html_word(lang, HW_ENVELOPE));
	mail = json_read_get(tx, "mail_from");
	if (mail != NULL && !json_object_is_type(mail, json_type_null))
		env_row(f, "MAIL FROM", mail, json_read_get(mail, "reply"),
		    lang);
	for (i = 0; i < n && i < OUTPUT_HTML_TX_LIST_CAP; i++)
		env_row(f, "RCPT TO", json_object_array_get_idx(rcpts, i),
		    json_read_get(json_object_array_get_idx(rcpts, i), "reply"),
		    lang);
	if (n > OUTPUT_HTML_TX_LIST_CAP)
		fprintf(f, "<tr><th></th><td colspan=\"2\">\u2026 %zu more "
		    "recipients not drawn</td></tr>\n",
		    n - OUTPUT_HTML_TX_LIST_CAP);
	put_refused(f, json_read_get(tx, "refused_commands"), lang);
	data = json_read_get(tx, "data");
	if (data != NULL && json_object_is_type(data, json_type_object))
		put_data_row(f, data, lang);
	fputs("</table>\n", f);
}

/* One address {name, address} as Name <address>. */
static void
put_address(FILE *f, const struct json_object *a)
{
	const char *name = json_read_str(a, "name");
	const char *addr = json_read_str(a, "address");

	if (!json_object_is_type(a, json_type_object)) {
		output_html_put(f, json_object_get_string(
		    (struct json_object *)a));
		return;
	}
	if (name != NULL) {
		output_html_put(f, name);
		fputc(' ', f);
	}
	fputs("&lt;", f);
	output_html_put(f, addr);
	fputs("&gt;", f);
}

static void
put_header_value(FILE *f, const struct json_object *v)
{
	size_t i, n;

	if (!json_object_is_type(v, json_type_array)) {
		output_html_put(f, json_object_get_string(
		    (struct json_object *)v));
		return;
	}
	n = json_object_array_length(v);
	for (i = 0; i < n && i < OUTPUT_HTML_TX_LIST_CAP; i++) {
		if (i > 0)
			fputs(", ", f);
		put_address(f, json_object_array_get_idx(v, i));
	}
	if (n > OUTPUT_HTML_TX_LIST_CAP)
		fprintf(f, ", \u2026 %zu more", n - OUTPUT_HTML_TX_LIST_CAP);
}

static const struct { const char *key, *label; } shown_headers[] = {
	{ "from", "From" }, { "sender", "Sender" }, { "reply_to", "Reply-To" },
	{ "to", "To" }, { "cc", "Cc" }, { "bcc", "Bcc" },
	{ "subject", "Subject" }, { "date", "Date" },
	{ "message_id", "Message-ID" },
};

static void
put_headers(FILE *f, const struct json_object *headers, int lang)
{
	struct json_object *v;
	size_t i;

	fprintf(f, "<h4>%s</h4>\n<table class=\"hdr\">\n",
	    output_html_word(lang, HW_HEADERS));
	for (i = 0; i < sizeof(shown_headers) / sizeof(shown_headers[0]);
	    i++) {
		v = json_read_get(headers, shown_headers[i].key);
		if (v == NULL || json_object_is_type(v, json_type_null))
			continue;
		fprintf(f, "<tr><th>%s</th><td>", shown_headers[i].label);
		put_header_value(f, v);
		fputs("</td></tr>\n", f);
	}
	fputs("</table>\n", f);
}

/* "from" of a hop: helo (rdns [ip]). */
static void
put_hop_from(FILE *f, const struct json_object *from)
{
	const char *rdns = json_read_str(from, "rdns");
	const char *ip = json_read_str(from, "ip");
	const char *helo = json_read_str(from, "helo");

	output_html_put(f, helo != NULL ? helo : "?");
	if (rdns == NULL && ip == NULL)
		return;
	fputs(" (", f);
	output_html_put(f, rdns);
	if (ip != NULL) {
		fputs(rdns != NULL ? " [" : "[", f);
		output_html_put(f, ip);
		fputc(']', f);
	}
	fputc(')', f);
}

/* One hop as a box: who handed the message (from) to whom (by), how. */
static void
put_hop(FILE *f, const struct json_object *hop, size_t nth, int lang)
{
	static const char *const parts[] = { "with", "id", "for" };
	struct json_object *from = json_read_get(hop, "from");
	const char *by = json_read_str(hop, "by");
	size_t i;

	fprintf(f, "<li><span class=\"hopn\">%s %zu</span>",
	    output_html_word(lang, HW_HOP), nth);
	if (from == NULL && by == NULL) {
		fputs("<span class=\"raw\">", f);
		output_html_put(f, json_read_str(hop, "raw"));
		fputs("</span></li>\n", f);
		return;
	}
	fputs("<span class=\"hfrom\">from ", f);
	if (from != NULL && json_object_is_type(from, json_type_object))
		put_hop_from(f, from);
	else
		fputs("?", f);
	fputs("</span><span class=\"hby\">by ", f);
	output_html_put(f, by != NULL ? by : "?");
	fputs("</span><span class=\"hmore\">", f);
	for (i = 0; i < sizeof(parts) / sizeof(parts[0]); i++) {
		if (json_read_str(hop, parts[i]) == NULL)
			continue;
		fprintf(f, "%s ", parts[i]);
		output_html_put(f, json_read_str(hop, parts[i]));
		fputc(' ', f);
	}
	fputs("</span><span class=\"hdate\">", f);
	output_html_put(f, json_read_str(hop, "date"));
	fputs("</span></li>\n", f);
}

/* The array is newest first (message order): drawn oldest first, the way
 * the message travelled. */
static void
put_received(FILE *f, const struct json_object *received, int lang)
{
	size_t i, n = json_read_len(received), shown;

	if (n == 0)
		return;
	shown = n < OUTPUT_HTML_TX_LIST_CAP ? n : OUTPUT_HTML_TX_LIST_CAP;
	fprintf(f, "<h4>%s</h4>\n<ol class=\"hops\">\n",
	    output_html_word(lang, HW_RECEIVED));
	for (i = 0; i < shown; i++)
		put_hop(f, json_object_array_get_idx(received, n - 1 - i),
		    i + 1, lang);
	if (n > shown)
		fprintf(f, "<li>\u2026 %zu newer hops not drawn</li>\n",
		    n - shown);
	fputs("</ol>\n", f);
}

static void
put_mime_label(FILE *f, const struct json_object *part)
{
	struct json_object *v;
	const char *hash = json_read_str(part, "sha256");
	char num[32];

	fputs("<span class=\"ct\">", f);
	output_html_put(f, json_read_str(part, "content_type") != NULL ?
	    json_read_str(part, "content_type") : "(no content type)");
	fputs("</span>", f);
	if (json_read_str(part, "charset") != NULL) {
		fputs("; charset=", f);
		output_html_put(f, json_read_str(part, "charset"));
	}
	if (json_read_str(part, "filename") != NULL) {
		fputs(" <span class=\"fn\">&quot;", f);
		output_html_put(f, json_read_str(part, "filename"));
		fputs("&quot;</span>", f);
	}
	if ((v = json_read_get(part, "decoded_bytes")) != NULL &&
	    json_object_is_type(v, json_type_int) &&
	    json_read_get(part, "parts") == NULL)
		fprintf(f, " %s B", output_group_digits(
		    (uint64_t)json_object_get_int64(v), num, sizeof(num)));
	if (hash != NULL) {
		fputs(" <span class=\"hash\">sha256 ", f);
		put_capped(f, hash, strlen(hash), HASH_SHOWN);
		fputs("</span>", f);
	}
}

static void
put_mime_part(FILE *f, const struct json_object *part, int depth,
    size_t *drawn)
{
	struct json_object *parts = json_read_get(part, "parts");
	size_t i, n = json_read_len(parts);

	fputs("<li>", f);
	(*drawn)++;
	put_mime_label(f, part);
	if (n > 0 && depth >= OUTPUT_HTML_TX_MIME_DEPTH)
		fputs(" \u2026 (deeper parts not drawn)", f);
	else if (n > 0) {
		fputs("\n<ul>\n", f);
		for (i = 0; i < n; i++) {
			if (*drawn >= OUTPUT_HTML_TX_MIME_PARTS) {
				fprintf(f, "<li>\u2026 %zu more parts not "
				    "drawn</li>\n", n - i);
				break;
			}
			put_mime_part(f, json_object_array_get_idx(parts, i),
			    depth + 1, drawn);
		}
		fputs("</ul>", f);
	}
	fputs("</li>\n", f);
}

static void
put_mime(FILE *f, const struct json_object *mime)
{
	size_t drawn = 0;

	if (mime == NULL || !json_object_is_type(mime, json_type_object))
		return;
	fputs("<h4>MIME</h4>\n<ul class=\"mime\">\n", f);
	put_mime_part(f, mime, 0, &drawn);
	fputs("</ul>\n", f);
}

void
output_html_tx_write(FILE *f, const struct json_object *tx, int lang)
{
	struct json_object *msg = json_read_get(tx, "message"), *depth;
	const char *status = json_read_str(tx, "status");

	depth = json_read_get(tx, "trans_depth");
	fprintf(f, "<div class=\"tx\">\n<h3>%s %lld: <span class=\"st\">",
	    output_html_word(lang, HW_TRANSACTION), depth != NULL ?
	    (long long)json_object_get_int64(depth) : 0LL);
	output_html_put(f, status != NULL ? status : "?");
	fputs("</span></h3>\n", f);
	put_envelope(f, tx, lang);
	if (msg != NULL && json_object_is_type(msg, json_type_object)) {
		put_headers(f, json_read_get(msg, "headers"), lang);
		put_received(f, json_read_get(msg, "received"), lang);
		put_mime(f, json_read_get(msg, "mime"));
	}
	fputs("</div>\n", f);
}

void
output_html_tx_message_summary(FILE *f, const struct json_object *msg)
{
	struct json_object *headers = json_read_get(msg, "headers"), *v;

	if ((v = json_read_get(headers, "subject")) != NULL &&
	    json_object_is_type(v, json_type_string)) {
		fputs("<span class=\"ms\">Subject: ", f);
		put_header_value(f, v);
		fputs("</span>", f);
	}
	if ((v = json_read_get(headers, "from")) != NULL &&
	    json_object_is_type(v, json_type_array)) {
		fputs("<span class=\"ms\">From: ", f);
		put_header_value(f, v);
		fputs("</span>", f);
	}
}
