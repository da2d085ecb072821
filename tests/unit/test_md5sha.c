/* test_md5sha.c: the one-pass MD5, SHA-1 and SHA-256 against FIPS
 * 180-4's and RFC 1321's vectors and against OpenSSL on random data cut
 * at random places, one stream and two side by side, with SHA-1 in
 * either, both or neither. Skipped on a CPU without the SHA extensions
 * (the code is never used there). */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include <openssl/evp.h>

#include "md5sha.h"

#define TEST_RAND_SEED	0x9e3779b97f4a7c15ULL
#include "test_rand.h"
#include "test_two_streams.h"

struct hex3 {
	char	md5[2 * MD5_BYTES + 1], sha1[2 * SHA1_BYTES + 1],
		sha256[2 * SHA256_BYTES + 1];
};

static void
to_hex(const unsigned char *d, size_t n, char *out)
{
	size_t i;

	for (i = 0; i < n; i++)
		snprintf(out + 2 * i, 3, "%02x", d[i]);
}

/* Without SHA-1, h->sha1 is left empty. */
static void
finish(struct md5sha *x, struct hex3 *h)
{
	unsigned char m[MD5_BYTES], s1[SHA1_BYTES], s[SHA256_BYTES];
	int with_sha1 = x->with_sha1;

	memset(s1, 0xee, sizeof(s1));
	md5sha_final(x, m, s1, s);
	to_hex(m, sizeof(m), h->md5);
	to_hex(s, sizeof(s), h->sha256);
	h->sha1[0] = '\0';
	if (with_sha1)
		to_hex(s1, sizeof(s1), h->sha1);
	else	/* untouched */
		assert_int_equal(s1[0] & s1[SHA1_BYTES - 1], 0xee);
}

static void
ours(const void *p, size_t n, struct hex3 *h)
{
	struct md5sha x;

	md5sha_init(&x, 1);
	md5sha_update(&x, p, n);
	finish(&x, h);
}

static void
openssl(const void *p, size_t n, int with_sha1, struct hex3 *h)
{
	unsigned char d[EVP_MAX_MD_SIZE];
	unsigned int len = 0;

	assert_true(EVP_Digest(p, n, d, &len, EVP_md5(), NULL));
	to_hex(d, len, h->md5);
	assert_true(EVP_Digest(p, n, d, &len, EVP_sha256(), NULL));
	to_hex(d, len, h->sha256);
	h->sha1[0] = '\0';
	if (with_sha1) {
		assert_true(EVP_Digest(p, n, d, &len, EVP_sha1(), NULL));
		to_hex(d, len, h->sha1);
	}
}

static void
assert_same(const struct hex3 *a, const struct hex3 *b)
{
	assert_string_equal(a->md5, b->md5);
	assert_string_equal(a->sha1, b->sha1);
	assert_string_equal(a->sha256, b->sha256);
}

/* Every test starts with it: without SHA-NI there is nothing to test. */
static void
needs_sha_ni(void)
{
	if (!md5sha_available())
		skip();
}

static void
test_vectors(void **state)
{
	static const char *const cases[][4] = {
		{ "", "d41d8cd98f00b204e9800998ecf8427e",
		    "da39a3ee5e6b4b0d3255bfef95601890afd80709",
		    "e3b0c44298fc1c149afbf4c8996fb924"
		    "27ae41e4649b934ca495991b7852b855" },
		{ "abc", "900150983cd24fb0d6963f7d28e17f72",
		    "a9993e364706816aba3e25717850c26c9cd0d89d",
		    "ba7816bf8f01cfea414140de5dae2223"
		    "b00361a396177a9cb410ff61f20015ad" },
		{ "abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq",
		    "8215ef0796a20bcaaae116d3876c664a",
		    "84983e441c3bd26ebaae4aa1f95129e5e54670f1",
		    "248d6a61d20638b8e5c026930c3e6039"
		    "a33ce45964ff2167f6ecedd419db06c1" },
	};
	struct hex3 h;
	size_t i;

	(void)state;
	needs_sha_ni();
	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		ours(cases[i][0], strlen(cases[i][0]), &h);
		assert_string_equal(h.md5, cases[i][1]);
		assert_string_equal(h.sha1, cases[i][2]);
		assert_string_equal(h.sha256, cases[i][3]);
	}
}

/* A million 'a' in pieces of 1000, beside another lane that gets a piece
 * every other time (half a million 'a'). */
static void
test_million_a(void **state)
{
	static char many[500000];
	char piece[1000];
	struct md5sha x, y;
	struct hex3 h, want;
	int i, sha1_y;

	(void)state;
	needs_sha_ni();
	memset(piece, 'a', sizeof(piece));
	memset(many, 'a', sizeof(many));
	for (sha1_y = 0; sha1_y < 2; sha1_y++) {
		md5sha_init(&x, 1);
		md5sha_init(&y, sha1_y);
		for (i = 0; i < 1000; i++)
			md5sha_update2(&x, piece, sizeof(piece), &y, piece,
			    (size_t)(i % 2) * sizeof(piece));
		finish(&x, &h);
		assert_string_equal(h.md5, "7707d6ae4e027c70eea2a935c2296f21");
		assert_string_equal(h.sha1,
		    "34aa973cd4c4daa4f61eeb2bdbad27316534016f");
		assert_string_equal(h.sha256, "cdc76e5c9914fb9281a1c7e284d73e67"
		    "f1809a48a497200e046d39ccc7112cd0");
		finish(&y, &h);
		openssl(many, sizeof(many), sha1_y, &want);
		assert_same(&h, &want);
	}
}

/* Lengths around the block and padding edges (55, 56, 63, 64, ...). */
static void
test_every_length_to_300(void **state)
{
	unsigned char data[300];
	struct hex3 a, b;
	size_t n;

	(void)state;
	needs_sha_ni();
	for (n = 0; n < sizeof(data); n++)
		data[n] = (unsigned char)next_rand();
	for (n = 0; n <= sizeof(data); n++) {
		ours(data, n, &a);
		openssl(data, n, 1, &b);
		assert_same(&a, &b);
	}
}

/* The driver starts its two streams in turn, each round: over rounds,
 * SHA-1 in the first, the second, both and neither. */
static unsigned inits;

static void
init_any(void *x)
{
	unsigned round = inits / 2, stream = inits % 2;

	inits++;
	md5sha_init(x, (int)(round % 4 >> stream & 1));
}

static void
update_any(void *x, const void *p, size_t n)
{
	md5sha_update(x, p, n);
}

static void
update2_any(void *a, const void *pa, size_t na, void *b, const void *pb,
    size_t nb)
{
	md5sha_update2(a, pa, na, b, pb, nb);
}

static void
check(void *x, const unsigned char *p, size_t n)
{
	struct hex3 a, b;
	int with_sha1 = ((struct md5sha *)x)->with_sha1;

	finish(x, &a);
	openssl(p, n, with_sha1, &b);
	assert_same(&a, &b);
}

static void
test_two_streams_random_pieces(void **state)
{
	static const struct two_streams_ops ops = {
		sizeof(struct md5sha), init_any, update_any, update2_any,
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
