/* test_evp_hex.h: OpenSSL's digest of some bytes as lower-case hex, the
 * reference the digest tests hold ours to. */
#ifndef SMTPSCOPE_TEST_EVP_HEX_H
#define SMTPSCOPE_TEST_EVP_HEX_H

#include <stdio.h>

#include <openssl/evp.h>

/* hex needs 2 * EVP_MD_get_size(md) + 1 bytes. */
static void
evp_hex(const EVP_MD *md, const void *p, size_t n, char *hex)
{
	unsigned char d[EVP_MAX_MD_SIZE];
	unsigned int len, i;

	assert_int_equal(EVP_Digest(p, n, d, &len, md, NULL), 1);
	for (i = 0; i < len; i++)
		sprintf(hex + 2 * i, "%02x", d[i]);
}

#endif
