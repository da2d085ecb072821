/* test_md5.c: md5.c against RFC 1321's test suite and against OpenSSL's
 * MD5 on random data cut at random places, one stream and two side by
 * side (every alignment of the partial blocks, uneven lengths). */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include <openssl/evp.h>

#include "md5.h"

#define TEST_RAND_SEED	0x2545f4914f6cdd1dULL
#include "test_rand.h"
#include "test_two_streams.h"

static void
to_hex(const unsigned char *d, char out[2 * MD5_BYTES + 1])
{
	int i;

	for (i = 0; i < MD5_BYTES; i++)
		snprintf(out + 2 * i, 3, "%02x", d[i]);
}

static void
ours(const void *p, size_t n, char out[2 * MD5_BYTES + 1])
{
	unsigned char d[MD5_BYTES];
	struct md5 m;

	md5_init(&m);
	md5_update(&m, p, n);
	md5_final(&m, d);
	to_hex(d, out);
}

static void
openssl(const void *p, size_t n, char out[2 * MD5_BYTES + 1])
{
	unsigned char d[EVP_MAX_MD_SIZE];
	unsigned int len = 0;

	assert_true(EVP_Digest(p, n, d, &len, EVP_md5(), NULL));
	assert_int_equal(len, MD5_BYTES);
	to_hex(d, out);
}

static void
test_rfc1321_suite(void **state)
{
	static const char *const cases[][2] = {
		{ "", "d41d8cd98f00b204e9800998ecf8427e" },
		{ "a", "0cc175b9c0f1b6a831c399e269772661" },
		{ "abc", "900150983cd24fb0d6963f7d28e17f72" },
		{ "message digest", "f96b697d7cb7938d525a2f31aaf161d0" },
		{ "abcdefghijklmnopqrstuvwxyz",
		    "c3fcd3d76192e4007dfb496cca67e13b" },
		{ "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"
		    "0123456789", "d174ab98d277d9f5a5611c2c9f419d9f" },
		{ "1234567890123456789012345678901234567890123456789012345678"
		    "9012345678901234567890",
		    "57edf4a22be3c955ac49da2e2107b67a" },
	};
	char hex[2 * MD5_BYTES + 1];
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		ours(cases[i][0], strlen(cases[i][0]), hex);
		assert_string_equal(hex, cases[i][1]);
	}
}


/* Lengths around the block and padding edges (55, 56, 63, 64, ...). */
static void
test_every_length_to_300(void **state)
{
	unsigned char data[300];
	char a[2 * MD5_BYTES + 1], b[2 * MD5_BYTES + 1];
	size_t n;

	(void)state;
	for (n = 0; n < sizeof(data); n++)
		data[n] = (unsigned char)next_rand();
	for (n = 0; n <= sizeof(data); n++) {
		ours(data, n, a);
		openssl(data, n, b);
		assert_string_equal(a, b);
	}
}

static void
md5_init_any(void *m)
{
	md5_init(m);
}

static void
md5_update_any(void *m, const void *p, size_t n)
{
	md5_update(m, p, n);
}

static void
md5_update2_any(void *a, const void *pa, size_t na, void *b, const void *pb,
    size_t nb)
{
	md5_update2(a, pa, na, b, pb, nb);
}

static void
md5_check(void *m, const unsigned char *p, size_t n)
{
	unsigned char d[MD5_BYTES];
	char a[2 * MD5_BYTES + 1], b[2 * MD5_BYTES + 1];

	md5_final(m, d);
	to_hex(d, a);
	openssl(p, n, b);
	assert_string_equal(a, b);
}

static void
test_two_streams_random_pieces(void **state)
{
	static const struct two_streams_ops ops = {
		sizeof(struct md5), md5_init_any, md5_update_any,
		md5_update2_any, md5_check,
	};

	(void)state;
	two_streams_random_pieces(&ops);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_rfc1321_suite),
		cmocka_unit_test(test_every_length_to_300),
		cmocka_unit_test(test_two_streams_random_pieces),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
