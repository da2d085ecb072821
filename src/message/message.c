/* message.c: the streaming message analyser entry point: counts and hashes
 * the message as sent. Never holds the whole message in memory. */
#include <stdlib.h>
#include <string.h>

#include <json-c/json.h>
#include <openssl/evp.h>

#include "anomaly.h"
#include "config.h"
#include "message.h"

struct message {
	const struct config	*cfg;
	struct anomalies	*an;
	uint64_t		 bytes;
	uint64_t		 lines;
	EVP_MD_CTX		*md5;
	EVP_MD_CTX		*sha256;
};

struct message *
message_open(const struct config *cfg, struct anomalies *an, const char *tag)
{
	struct message *m;

	(void)tag;
	if ((m = calloc(1, sizeof(*m))) == NULL)
		return NULL;
	m->cfg = cfg;
	m->an = an;
	m->md5 = EVP_MD_CTX_new();
	m->sha256 = EVP_MD_CTX_new();
	if (m->md5 == NULL || m->sha256 == NULL ||
	    !EVP_DigestInit_ex(m->md5, EVP_md5(), NULL) ||
	    !EVP_DigestInit_ex(m->sha256, EVP_sha256(), NULL)) {
		message_abort(m);
		return NULL;
	}
	return m;
}

void
message_feed(struct message *m, const uint8_t *p, size_t n)
{
	size_t i;

	if (m == NULL || n == 0)
		return;
	m->bytes += n;
	for (i = 0; i < n; i++)
		if (p[i] == '\n')
			m->lines++;
	EVP_DigestUpdate(m->md5, p, n);
	EVP_DigestUpdate(m->sha256, p, n);
}

static json_object *
digest_hex(EVP_MD_CTX *ctx)
{
	unsigned char d[EVP_MAX_MD_SIZE];
	char hex[2 * EVP_MAX_MD_SIZE + 1];
	unsigned int len = 0, i;

	EVP_DigestFinal_ex(ctx, d, &len);
	for (i = 0; i < len; i++) {
		hex[2 * i] = "0123456789abcdef"[d[i] >> 4];
		hex[2 * i + 1] = "0123456789abcdef"[d[i] & 15];
	}
	hex[2 * len] = '\0';
	return json_object_new_string(hex);
}

struct json_object *
message_close(struct message *m, int complete)
{
	json_object *o;

	if (m == NULL)
		return NULL;
	o = json_object_new_object();
	json_object_object_add(o, "bytes", json_object_new_int64(
	    (int64_t)m->bytes));
	json_object_object_add(o, "lines", json_object_new_int64(
	    (int64_t)m->lines));
	json_object_object_add(o, "md5", digest_hex(m->md5));
	json_object_object_add(o, "sha256", digest_hex(m->sha256));
	json_object_object_add(o, "complete", json_object_new_boolean(
	    complete != 0));
	message_abort(m);
	return o;
}

void
message_abort(struct message *m)
{
	if (m == NULL)
		return;
	EVP_MD_CTX_free(m->md5);
	EVP_MD_CTX_free(m->sha256);
	free(m);
}
