/* message.c: the streaming message analyser: hashes the message as sent,
 * drives the MIME parser (which reads the headers too) and builds the
 * `message` object. Never holds the whole message; every bound in limits. */
#include <ctype.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <json-c/json.h>

#include "address.h"
#include "anomaly.h"
#include "bytecount.h"
#include "config.h"
#include "escape.h"
#include "extract.h"
#include "hash.h"
#include "json_add.h"
#include "message.h"
#include "mime.h"
#include "received.h"
#include "rfc2047.h"
#include "stats.h"

/* Received headers kept per header block: their own bound, far above
 * --max-headers, so that no hop is dropped for the sake of other headers
 * (issue 4: "never drop a hop"); past it, too_many_received. */
#define MSG_MAX_HOPS	256

/* The header summary of one message (the top one or a nested one). */
struct msgh {
	json_object	*h;
	json_object	*received;
	json_object	*raw;
	size_t		 count;
	size_t		 hops;
};

struct message {
	const struct config	*cfg;
	struct anomalies	*an;
	uint64_t		 bytes;
	uint64_t		 lines;
	struct hash		*hash;
	struct mime		*mime;
	struct extract		*x;
	struct extract_file	*eml;
	int			 too_many;
};

static void
flag(struct message *m, enum anomaly a)
{
	if (m->an != NULL)
		anomaly_add(m->an, a);
}

static void
set_str(struct message *m, json_object *o, const char *key, const char *s,
    size_t n)
{
	struct rfc2047_flags f = { 0, 0 };
	char *c = rfc2047_utf8_clean(s, n, &f);

	if (f.bad_utf8)
		flag(m, ANOMALY_invalid_utf8);
	JSON_SET(o, key, json_object_new_string(c ? c : ""));
	free(c);
}

static void *
msg_open(void *arg, int nested)
{
	struct msgh *mh = calloc(1, sizeof(*mh));

	(void)arg;
	(void)nested;
	if (mh == NULL)
		return NULL;
	mh->h = json_object_new_object();
	mh->received = json_object_new_array();
	return mh;
}

static void
add_addresses(struct message *m, json_object *h, const char *key,
    const char *v)
{
	unsigned bad = 0, bad_utf8 = 0;
	json_object *list, *old;
	size_t i;

	list = address_list_parse(v, &bad, &bad_utf8);
	if (bad)
		flag(m, ANOMALY_bad_address);
	if (bad_utf8)
		flag(m, ANOMALY_invalid_utf8);
	/* To: twice (or Cc: twice) adds up, as clients show it */
	if (json_object_object_get_ex(h, key, &old)) {
		for (i = 0; i < json_object_array_length(list); i++)
			json_object_array_add(old, json_object_get(
			    json_object_array_get_idx(list, i)));
		json_object_put(list);
	} else
		JSON_SET(h, key, list);
}

static void
add_decoded(struct message *m, json_object *h, const char *key,
    const char *rawkey, const char *v, size_t n)
{
	struct rfc2047_flags f = { 0, 0 };
	char *d = rfc2047_decode(v, n, &f);

	if (f.bad_words)
		flag(m, ANOMALY_bad_encoded_word);
	if (f.bad_utf8)
		flag(m, ANOMALY_invalid_utf8);
	JSON_SET(h, key, json_object_new_string(d ? d : ""));
	if (d != NULL && (strlen(d) != n || memcmp(d, v, n) != 0))
		set_str(m, h, rawkey, v, n);
	free(d);
}

/* "<a@b> <c@d>" -> ["<a@b>", "<c@d>"] (RFC 5322 3.6.4). */
static void
add_references(struct message *m, json_object *h, const char *v, size_t n)
{
	json_object *arr = json_object_new_array(), *s;
	size_t i = 0, j;

	while (i < n) {
		while (i < n && (isspace((unsigned char)v[i]) || v[i] == ','))
			i++;
		for (j = i; j < n && !isspace((unsigned char)v[j]) &&
		    v[j] != ','; j++)
			;
		if (j > i) {
			s = json_object_new_object();
			set_str(m, s, "x", v + i, j - i);
			json_object_array_add(arr, json_object_get(
			    json_object_object_get(s, "x")));
			json_object_put(s);
		}
		i = j;
	}
	JSON_ADD(h, "references", arr);
}

static void
msg_field(void *arg, void *handle, const char *name, const char *v,
    size_t n)
{
	struct message *m = arg;
	struct msgh *mh = handle;
	json_object *h, *o;
	static const char *const addr_hdrs[][2] = {
		{ "From", "from" }, { "Sender", "sender" },
		{ "Reply-To", "reply_to" }, { "To", "to" }, { "Cc", "cc" },
		{ "Bcc", "bcc" }, { NULL, NULL } };
	static const char *const str_hdrs[][2] = {
		{ "Date", "date" }, { "Message-ID", "message_id" },
		{ "In-Reply-To", "in_reply_to" },
		{ "User-Agent", "user_agent" }, { "X-Mailer", "user_agent" },
		{ "Content-Type", "content_type" }, { NULL, NULL } };
	char iso[32];
	int i;

	if (mh == NULL)
		return;
	h = mh->h;
	mh->count++;
	if (mh->count > m->cfg->limits.max_headers) {
		if (!m->too_many)
			flag(m, ANOMALY_too_many_headers);
		m->too_many = 1;
	} else {
		if (m->cfg->raw_headers) {
			if (mh->raw == NULL)
				mh->raw = json_object_new_array();
			o = json_object_new_object();
			set_str(m, o, "name", name, strlen(name));
			set_str(m, o, "value", v, n);
			json_object_array_add(mh->raw, o);
		}
	}
	if (strcasecmp(name, "Received") == 0) {
		if (mh->hops++ < MSG_MAX_HOPS) {
			char *c = rfc2047_utf8_clean(v, n, NULL);

			if (c != NULL)
				json_object_array_add(mh->received,
				    received_parse(c));
			free(c);
		} else if (mh->hops == MSG_MAX_HOPS + 1)
			flag(m, ANOMALY_too_many_received);
		return;
	}
	for (i = 0; addr_hdrs[i][0] != NULL; i++)
		if (strcasecmp(name, addr_hdrs[i][0]) == 0) {
			add_addresses(m, h, addr_hdrs[i][1], v);
			return;
		}
	if (strcasecmp(name, "Subject") == 0) {
		if (!json_object_object_get_ex(h, "subject", NULL))
			add_decoded(m, h, "subject", "subject_raw", v, n);
		return;
	}
	if (strcasecmp(name, "References") == 0) {
		if (!json_object_object_get_ex(h, "references", NULL))
			add_references(m, h, v, n);
		return;
	}
	if (strcasecmp(name, "Return-Path") == 0) {
		size_t a = 0, b = n;

		while (a < b && (v[a] == '<' || isspace((unsigned char)v[a])))
			a++;
		while (b > a && (v[b - 1] == '>' ||
		    isspace((unsigned char)v[b - 1])))
			b--;
		if (!json_object_object_get_ex(h, "return_path", NULL))
			set_str(m, h, "return_path", v + a, b - a);
		return;
	}
	if (strcasecmp(name, "X-Originating-IP") == 0) {
		size_t a = 0, b = n;

		while (a < b && (v[a] == '[' || isspace((unsigned char)v[a])))
			a++;
		while (b > a && (v[b - 1] == ']' ||
		    isspace((unsigned char)v[b - 1])))
			b--;
		if (!json_object_object_get_ex(h, "x_originating_ip", NULL))
			set_str(m, h, "x_originating_ip", v + a, b - a);
		return;
	}
	for (i = 0; str_hdrs[i][0] != NULL; i++) {
		if (strcasecmp(name, str_hdrs[i][0]) != 0 ||
		    json_object_object_get_ex(h, str_hdrs[i][1], NULL))
			continue;
		set_str(m, h, str_hdrs[i][1], v, n);
		if (i == 0 && received_date_iso(json_object_get_string(
		    json_object_object_get(h, "date")), iso) == 0)
			JSON_ADD(h, "date_ts",
			    json_object_new_string(iso));
		return;
	}
}

/* The headers object; received and raw_headers ride inside it and the top
 * message moves them up (message_close). */
static json_object *
msg_close(void *arg, void *handle)
{
	struct msgh *mh = handle;
	json_object *h;

	(void)arg;
	if (mh == NULL)
		return NULL;
	h = mh->h;
	JSON_ADD(h, "count", json_object_new_int64(
	    (int64_t)mh->count));
	JSON_ADD(h, "received", mh->received);
	if (mh->raw != NULL)
		JSON_ADD(h, "raw_headers", mh->raw);
	free(mh);
	return h;
}

static void *
part_open(void *arg, json_object *part)
{
	struct message *m = arg;

	(void)part;
	if (m->x == NULL)
		return NULL;
	/* attachments: a file name or an attachment disposition */
	if (!json_object_object_get_ex(part, "filename", NULL) &&
	    strcmp(json_object_get_string(json_object_object_get(part,
	    "disposition")) ? json_object_get_string(json_object_object_get(
	    part, "disposition")) : "", "attachment") != 0)
		return NULL;
	return extract_file_open(m->x);
}

static void
part_data(void *arg, void *h, const uint8_t *p, size_t n)
{
	(void)arg;
	extract_write(h, p, n);
}

static void
part_close(void *arg, void *h, json_object *part)
{
	struct message *m = arg;
	const char *sha = NULL;

	if (h != NULL)
		hash_resolve();		/* the name needs the part's sha256 */
	if (part != NULL)
		sha = json_object_get_string(json_object_object_get(part,
		    "sha256"));
	if (extract_file_close(h, sha, "bin", part) < 0 && part != NULL)
		flag(m, ANOMALY_extract_failed);
}

struct message *
message_open(const struct config *cfg, struct anomalies *an, const char *tag)
{
	struct message *m;
	struct mime_hooks hooks = { NULL, msg_open, msg_field, msg_close,
	    part_open, part_data, part_close };
	int want_hash;

	if ((m = calloc(1, sizeof(*m))) == NULL)
		return NULL;
	m->cfg = cfg;
	m->an = an;
	hooks.arg = m;
	if (cfg->extract_dir != NULL) {
		m->x = extract_open(cfg->extract_dir, tag);
		m->eml = extract_file_open(m->x);
	}
	/* Asked for, or to name the extracted .eml: hashing every message
	 * as sent, beside its parts, more than doubled the bytes hashed and
	 * took a fifth of a run's time (docs/performance.md). */
	want_hash = cfg->message_digests || cfg->extract_dir != NULL;
	if (want_hash)
		m->hash = hash_new(HASH_MD5 | HASH_SHA256);
	m->mime = mime_open(&cfg->limits, an, &hooks);
	if ((want_hash && m->hash == NULL) || m->mime == NULL) {
		message_abort(m);
		return NULL;
	}
	return m;
}

void
message_feed(struct message *m, const uint8_t *p, size_t n)
{
	if (m == NULL || n == 0)
		return;
	m->bytes += n;
	m->lines += bytecount(p, n, '\n');
	hash_update(m->hash, p, n);
	extract_write(m->eml, p, n);
	mime_feed(m->mime, p, n);
}

/* hop_ips: the from.ip of each hop, oldest (last header) first. */
static json_object *
hop_ips(json_object *received)
{
	json_object *ips = json_object_new_array(), *from, *ip;
	size_t i;

	for (i = json_object_array_length(received); i-- > 0;)
		if (json_object_object_get_ex(json_object_array_get_idx(
		    received, i), "from", &from) &&
		    json_object_object_get_ex(from, "ip", &ip))
			json_object_array_add(ips, json_object_get(ip));
	return ips;
}

static void
move_up(json_object *from, json_object *to, const char *key)
{
	json_object *v;

	if (from != NULL && json_object_object_get_ex(from, key, &v)) {
		json_object_object_add(to, key, json_object_get(v));
		json_object_object_del(from, key);
	}
}

size_t
message_utf8_fix(json_object *o)
{
	size_t fixed = 0, i, n;
	const char *s;
	char *c;

	switch (json_object_get_type(o)) {
	case json_type_string:
		s = json_object_get_string(o);
		n = (size_t)json_object_get_string_len(o);
		if (escape_utf8_valid_prefix(s, n) == n)
			return 0;
		c = rfc2047_utf8_clean(s, n, NULL);
		json_object_set_string(o, c != NULL ? c : "");
		free(c);
		return 1;
	case json_type_array:
		n = json_object_array_length(o);
		for (i = 0; i < n; i++)
			fixed += message_utf8_fix(
			    json_object_array_get_idx(o, i));
		return fixed;
	case json_type_object: {
		json_object_object_foreach(o, key, val) {
			(void)key;	/* keys are ours, all ASCII */
			fixed += message_utf8_fix(val);
		}
		return fixed;
	}
	default:
		return 0;
	}
}

struct json_object *
message_close(struct message *m, int complete)
{
	json_object *o, *tree, *headers = NULL, *rcv;
	unsigned attachments = 0;

	if (m == NULL)
		return NULL;
	tree = mime_close(m->mime, &headers, &attachments);
	m->mime = NULL;
	o = json_object_new_object();
	JSON_ADD(o, "bytes", json_object_new_int64(
	    (int64_t)m->bytes));
	JSON_ADD(o, "lines", json_object_new_int64(
	    (int64_t)m->lines));
	hash_finish(m->hash, o);
	m->hash = NULL;
	JSON_ADD(o, "complete", json_object_new_boolean(
	    complete != 0));
	if (headers == NULL)
		headers = json_object_new_object();
	move_up(headers, o, "raw_headers");
	move_up(headers, o, "received");
	JSON_ADD(o, "headers", headers);
	if (!json_object_object_get_ex(o, "received", &rcv)) {
		rcv = json_object_new_array();
		JSON_ADD(o, "received", rcv);
	}
	JSON_ADD(o, "hop_ips", hop_ips(rcv));
	if (tree != NULL)
		JSON_ADD(o, "mime", tree);
	JSON_ADD(o, "attachments",
	    json_object_new_int64(attachments));
	if (m->eml != NULL) {
		hash_resolve();		/* the name needs the sha256 */
		if (extract_file_close(m->eml, json_object_get_string(
		    json_object_object_get(o, "sha256")), "eml", o) < 0)
			flag(m, ANOMALY_extract_failed);
		m->eml = NULL;
	}
	/* whatever a parser above let through: repaired and flagged here */
	if (message_utf8_fix(o) > 0)
		flag(m, ANOMALY_invalid_utf8);
	message_abort(m);
	return o;
}

void
message_abort(struct message *m)
{
	if (m == NULL)
		return;
	mime_free(m->mime);
	hash_free(m->hash);
	extract_file_close(m->eml, NULL, "eml", NULL);
	extract_close(m->x);
	free(m);
}
