/* test_md5sha256.c: the one-pass MD5 and SHA-256 against FIPS 180-4's and
 * RFC 1321's vectors and against OpenSSL on random data cut at random
 * places, one stream and two side by side. Skipped on a CPU without the
 * SHA extensions (the code is never used there). */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include <openssl/evp.h>

#include "md5sha256.h"

#define TEST_RAND_SEED	0x9e3779b97f4a7c15ULL
#include "test_rand.h"
#include "test_two_streams.h"

struct hex2 {
	char	md5[2 * MD5_BYTES + 1], sha256[2 * SHA256_BYTES + 1];
};

static void
to_hex(const unsigned char *d, size_t n, char *out)
{
	size_t i;

	for (i = 0; i < n; i++)
		snprintf(out + 2 * i, 3, "%02x", d[i]);
}

static void
finish(struct md5sha256 *x, struct hex2 *h)
{
	unsigned char m[MD5_BYTES], s[SHA256_BYTES];

	md5sha256_final(x, m, s);
	to_hex(m, sizeof(m), h->md5);
	to_hex(s, sizeof(s), h->sha256);
}

static void
ours(const void *p, size_t n, struct hex2 *h)
{
	struct md5sha256 x;

	md5sha256_init(&x);
	md5sha256_update(&x, p, n);
	finish(&x, h);
}

static void
openssl(const void *p, size_t n, struct hex2 *h)
{
	unsigned char d[EVP_MAX_MD_SIZE];
	unsigned int len = 0;

	assert_true(EVP_Digest(p, n, d, &len, EVP_md5(), NULL));
	to_hex(d, len, h->md5);
	assert_true(EVP_Digest(p, n, d, &len, EVP_sha256(), NULL));
	to_hex(d, len, h->sha256);
}

static void
assert_same(const struct hex2 *a, const struct hex2 *b)
{
	assert_string_equal(a->md5, b->md5);
	assert_string_equal(a->sha256, b->sha256);
}

/* Every test starts with it: without SHA-NI there is nothing to test. */
static void
needs_sha_ni(void)
{
	if (!md5sha256_available())
		skip();
}

static void
test_vectors(void **state)
{
	static const char *const cases[][3] = {
		{ "", "d41d8cd98f00b204e9800998ecf8427e",
		    "e3b0c44298fc1c149afbf4c8996fb924"
		    "27ae41e4649b934ca495991b7852b855" },
		{ "abc", "900150983cd24fb0d6963f7d28e17f72",
		    "ba7816bf8f01cfea414140de5dae2223"
		    "b00361a396177a9cb410ff61f20015ad" },
		{ "abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq",
		    "8215ef0796a20bcaaae116d3876c664a",
		    "248d6a61d20638b8e5c026930c3e6039"
		    "a33ce45964ff2167f6ecedd419db06c1" },
	};
	struct hex2 h;
	size_t i;

	(void)state;
	needs_sha_ni();
	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		ours(cases[i][0], strlen(cases[i][0]), &h);
		assert_string_equal(h.md5, cases[i][1]);
		assert_string_equal(h.sha256, cases[i][2]);
	}
}

/* A million 'a' in pieces of 1000, beside another lane that gets a piece
 * every other time (half a million 'a'). */
static void
test_million_a(void **state)
{
	static char many[500000];
	char piece[1000];
	struct md5sha256 x, y;
	struct hex2 h, want;
	int i;

	(void)state;
	needs_sha_ni();
	memset(piece, 'a', sizeof(piece));
	memset(many, 'a', sizeof(many));
	md5sha256_init(&x);
	md5sha256_init(&y);
	for (i = 0; i < 1000; i++)
		md5sha256_update2(&x, piece, sizeof(piece), &y, piece,
		    (size_t)(i % 2) * sizeof(piece));
	finish(&x, &h);
	assert_string_equal(h.md5, "7707d6ae4e027c70eea2a935c2296f21");
	assert_string_equal(h.sha256, "cdc76e5c9914fb9281a1c7e284d73e67"
	    "f1809a48a497200e046d39ccc7112cd0");
	finish(&y, &h);
	openssl(many, sizeof(many), &want);
	assert_same(&h, &want);
}

/* Lengths around the block and padding edges (55, 56, 63, 64, ...). */
static void
test_every_length_to_300(void **state)
{
	unsigned char data[300];
	struct hex2 a, b;
	size_t n;

	(void)state;
	needs_sha_ni();
	for (n = 0; n < sizeof(data); n++)
		data[n] = (unsigned char)next_rand();
	for (n = 0; n <= sizeof(data); n++) {
		ours(data, n, &a);
		openssl(data, n, &b);
		assert_same(&a, &b);
	}
}

static void
init_any(void *x)
{
	md5sha256_init(x);
}

static void
update_any(void *x, const void *p, size_t n)
{
	md5sha256_update(x, p, n);
}

static void
update2_any(void *a, const void *pa, size_t na, void *b, const void *pb,
    size_t nb)
{
	md5sha256_update2(a, pa, na, b, pb, nb);
}

static void
check(void *x, const unsigned char *p, size_t n)
{
	struct hex2 a, b;

	finish(x, &a);
	openssl(p, n, &b);
	assert_same(&a, &b);
}

static void
test_two_streams_random_pieces(void **state)
{
	static const struct two_streams_ops ops = {
		sizeof(struct md5sha256), init_any, update_any, update2_any,
		check,
	};

	(void)state;
	needs_sha_ni();
	two_streams_random_pieces(&ops);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_vectors),
		cmocka_unit_test(test_million_a),
		cmocka_unit_test(test_every_length_to_300),
		cmocka_unit_test(test_two_streams_random_pieces),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
