/* hash.c: md5/sha1/sha256 with OpenSSL libcrypto's EVP interface (Debian's
 * well-kept crypto library). Never reads wire data itself: bytes in, hex out. */
#include <stdlib.h>
#include <string.h>

#include <json-c/json.h>
#include <openssl/evp.h>

#include "hash.h"

static const char *const hash_names[3] = { "md5", "sha1", "sha256" };

struct hash {
	EVP_MD_CTX	*ctx[3];
};

static const EVP_MD *
hash_md(int i)
{
	return i == 0 ? EVP_md5() : i == 1 ? EVP_sha1() : EVP_sha256();
}

struct hash *
hash_new(int which)
{
	struct hash *h;
	int i;

	if ((h = calloc(1, sizeof(*h))) == NULL)
		return NULL;
	for (i = 0; i < 3; i++) {
		if (!(which & (1 << i)))
			continue;
		if ((h->ctx[i] = EVP_MD_CTX_new()) == NULL ||
		    !EVP_DigestInit_ex(h->ctx[i], hash_md(i), NULL)) {
			hash_free(h);
			return NULL;
		}
	}
	return h;
}

void
hash_update(struct hash *h, const void *p, size_t n)
{
	int i;

	if (h == NULL || n == 0)
		return;
	for (i = 0; i < 3; i++)
		if (h->ctx[i] != NULL)
			EVP_DigestUpdate(h->ctx[i], p, n);
}

static void
hash_hex(EVP_MD_CTX *ctx, int copy, char *out)
{
	unsigned char d[EVP_MAX_MD_SIZE];
	unsigned int len = 0, i;
	EVP_MD_CTX *c = ctx;

	if (copy) {
		c = EVP_MD_CTX_new();
		if (c == NULL || !EVP_MD_CTX_copy_ex(c, ctx)) {
			EVP_MD_CTX_free(c);
			out[0] = '\0';
			return;
		}
	}
	EVP_DigestFinal_ex(c, d, &len);
	if (copy)
		EVP_MD_CTX_free(c);
	for (i = 0; i < len; i++) {
		out[2 * i] = "0123456789abcdef"[d[i] >> 4];
		out[2 * i + 1] = "0123456789abcdef"[d[i] & 15];
	}
	out[2 * len] = '\0';
}

void
hash_peek_sha256(const struct hash *h, char out[65])
{
	out[0] = '\0';
	if (h != NULL && h->ctx[2] != NULL)
		hash_hex(h->ctx[2], 1, out);
}

void
hash_finish(struct hash *h, struct json_object *obj)
{
	char hex[2 * EVP_MAX_MD_SIZE + 1];
	int i;

	if (h == NULL)
		return;
	for (i = 0; i < 3; i++) {
		if (h->ctx[i] == NULL)
			continue;
		hash_hex(h->ctx[i], 0, hex);
		json_object_object_add(obj, hash_names[i],
		    json_object_new_string(hex));
	}
	hash_free(h);
}

void
hash_free(struct hash *h)
{
	int i;

	if (h == NULL)
		return;
	for (i = 0; i < 3; i++)
		EVP_MD_CTX_free(h->ctx[i]);
	free(h);
}
