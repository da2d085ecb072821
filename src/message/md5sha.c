/* md5sha.c: MD5 and SHA-256, and SHA-1 if asked, in one pass (see
 * md5sha.h). Each MD5 quarter (four steps, md5_rounds.h) is followed by
 * one SHA-256 group (four rounds, sha256_rounds.h) and one or two SHA-1
 * groups (sha1_rounds.h): sixteen quarters make a block of each. */
#include <stdlib.h>
#include <string.h>

#include "md5sha.h"

#if defined(__x86_64__) || defined(__i386__)

#include <cpuid.h>

#include "md5_rounds.h"
#include "sha1_rounds.h"
#include "sha256_rounds.h"

/* On the digest thread the bytes were last written by the other core: a
 * block's loads come long before the chain needs them, but the reorder
 * window holds less than one block of both lanes, so lines are asked for
 * 32 blocks ahead (512, 4 096 and 8 192 bytes ahead did less:
 * docs/performance.md).
 * A prefetch past the end of the bytes is harmless. */
#define PREFETCH_AHEAD	2048

#define SHA_NI	__attribute__((target("sha,sse4.1,ssse3")))
/* Bodies specialised by constant arguments (with SHA-1 or not). */
#define SHA_NI_INLINE	SHA_NI static inline __attribute__((always_inline))

_Alignas(16) const uint32_t sha256_k[64] = {
	0x428a2f98, 0x71374491, 0xb5c0fbcf, 0xe9b5dba5, 0x3956c25b, 0x59f111f1,
	0x923f82a4, 0xab1c5ed5, 0xd807aa98, 0x12835b01, 0x243185be, 0x550c7dc3,
	0x72be5d74, 0x80deb1fe, 0x9bdc06a7, 0xc19bf174, 0xe49b69c1, 0xefbe4786,
	0x0fc19dc6, 0x240ca1cc, 0x2de92c6f, 0x4a7484aa, 0x5cb0a9dc, 0x76f988da,
	0x983e5152, 0xa831c66d, 0xb00327c8, 0xbf597fc7, 0xc6e00bf3, 0xd5a79147,
	0x06ca6351, 0x14292967, 0x27b70a85, 0x2e1b2138, 0x4d2c6dfc, 0x53380d13,
	0x650a7354, 0x766a0abb, 0x81c2c92e, 0x92722c85, 0xa2bfe8a1, 0xa81a664b,
	0xc24b8b70, 0xc76c51a3, 0xd192e819, 0xd6990624, 0xf40e3585, 0x106aa070,
	0x19a4c116, 0x1e376c08, 0x2748774c, 0x34b0bcb5, 0x391c0cb3, 0x4ed8aa4a,
	0x5b9cca4f, 0x682e6ff3, 0x748f82ee, 0x78a5636f, 0x84c87814, 0x8cc70208,
	0x90befffa, 0xa4506ceb, 0xbef9a3f7, 0xc67178f2,
};

static const uint32_t sha256_iv[8] = {
	0x6a09e667, 0xbb67ae85, 0x3c6ef372, 0xa54ff53a, 0x510e527f, 0x9b05688c,
	0x1f83d9ab, 0x5be0cd19,
};

static const uint32_t sha1_iv[5] = {
	0x67452301, 0xefcdab89, 0x98badcfe, 0x10325476, 0xc3d2e1f0,
};

#define ONE_LANE(i, c, p, n, M2, M1)					\
	MD5_Q##i(STEP1) SHA256_G(h0, i, c, p, n, M2, M1)		\
	if (sha1_a) { SHA1_AT_##i(s0) }
#define TWO_LANES(i, c, p, n, M2, M1)					\
	MD5_Q##i(STEP2) SHA256_G(h0, i, c, p, n, M2, M1)		\
	SHA256_G(h1, i, c, p, n, M2, M1)				\
	if (sha1_a) { SHA1_AT_##i(s0) }					\
	if (sha1_b) { SHA1_AT_##i(s1) }
#define SHA_ONLY(i, c, p, n, M2, M1)	SHA256_G(h0, i, c, p, n, M2, M1)
#define SHA1_ONLY(i, c, p, n, M2, M1)	SHA1_AT_##i(s0)

SHA_NI_INLINE void
blocks1_with(struct md5sha *x, const unsigned char *p0, size_t nblocks,
    const int sha1_a)
{
	LOAD(0, x->md5.state);
	SHA256_VARS(h0);
	SHA1_VARS(s0);

	SHA256_LOAD(h0, x->sha256);
	SHA1_LOAD(s0, x->sha1);
	for (; nblocks > 0; nblocks--, p0 += 64) {
		__builtin_prefetch(p0 + PREFETCH_AHEAD);
		KEEP(0);
		SHA256_BEGIN(h0, p0);
		if (sha1_a) {
			SHA1_BEGIN(s0, p0);
		}
		SHA256_GROUPS(ONE_LANE)
		SHA256_END(h0);
		if (sha1_a) {
			SHA1_END(s0);
		}
		ADD(0);
	}
	STORE(0, x->md5.state);
	SHA256_STORE(h0, x->sha256);
	if (sha1_a) {
		SHA1_STORE(s0, x->sha1);
	}
}

SHA_NI_INLINE void
blocks2_with(struct md5sha *x, const unsigned char *p0, struct md5sha *y,
    const unsigned char *p1, size_t nblocks, const int sha1_a,
    const int sha1_b)
{
	LOAD(0, x->md5.state);
	LOAD(1, y->md5.state);
	SHA256_VARS(h0);
	SHA256_VARS(h1);
	SHA1_VARS(s0);
	SHA1_VARS(s1);

	SHA256_LOAD(h0, x->sha256);
	SHA256_LOAD(h1, y->sha256);
	SHA1_LOAD(s0, x->sha1);
	SHA1_LOAD(s1, y->sha1);
	for (; nblocks > 0; nblocks--, p0 += 64, p1 += 64) {
		__builtin_prefetch(p0 + PREFETCH_AHEAD);
		__builtin_prefetch(p1 + PREFETCH_AHEAD);
		KEEP(0);
		KEEP(1);
		SHA256_BEGIN(h0, p0);
		SHA256_BEGIN(h1, p1);
		if (sha1_a) {
			SHA1_BEGIN(s0, p0);
		}
		if (sha1_b) {
			SHA1_BEGIN(s1, p1);
		}
		SHA256_GROUPS(TWO_LANES)
		SHA256_END(h0);
		SHA256_END(h1);
		if (sha1_a) {
			SHA1_END(s0);
		}
		if (sha1_b) {
			SHA1_END(s1);
		}
		ADD(0);
		ADD(1);
	}
	STORE(0, x->md5.state);
	STORE(1, y->md5.state);
	SHA256_STORE(h0, x->sha256);
	SHA256_STORE(h1, y->sha256);
	if (sha1_a) {
		SHA1_STORE(s0, x->sha1);
	}
	if (sha1_b) {
		SHA1_STORE(s1, y->sha1);
	}
}

/* One copy of each body per combination, chosen per call. */
SHA_NI static void
blocks1_md5_sha256(struct md5sha *x, const unsigned char *p, size_t n)
{
	blocks1_with(x, p, n, 0);
}

SHA_NI static void
blocks1_all(struct md5sha *x, const unsigned char *p, size_t n)
{
	blocks1_with(x, p, n, 1);
}

SHA_NI static void
blocks2_neither(struct md5sha *x, const unsigned char *p0, struct md5sha *y,
    const unsigned char *p1, size_t n)
{
	blocks2_with(x, p0, y, p1, n, 0, 0);
}

SHA_NI static void
blocks2_first(struct md5sha *x, const unsigned char *p0, struct md5sha *y,
    const unsigned char *p1, size_t n)
{
	blocks2_with(x, p0, y, p1, n, 1, 0);
}

SHA_NI static void
blocks2_second(struct md5sha *x, const unsigned char *p0, struct md5sha *y,
    const unsigned char *p1, size_t n)
{
	blocks2_with(x, p0, y, p1, n, 0, 1);
}

SHA_NI static void
blocks2_both(struct md5sha *x, const unsigned char *p0, struct md5sha *y,
    const unsigned char *p1, size_t n)
{
	blocks2_with(x, p0, y, p1, n, 1, 1);
}

static void
blocks1(struct md5sha *x, const unsigned char *p, size_t n)
{
	if (x->with_sha1)
		blocks1_all(x, p, n);
	else
		blocks1_md5_sha256(x, p, n);
}

static void
blocks2(struct md5sha *x, const unsigned char *p0, struct md5sha *y,
    const unsigned char *p1, size_t n)
{
	if (x->with_sha1 && y->with_sha1)
		blocks2_both(x, p0, y, p1, n);
	else if (x->with_sha1)
		blocks2_first(x, p0, y, p1, n);
	else if (y->with_sha1)
		blocks2_second(x, p0, y, p1, n);
	else
		blocks2_neither(x, p0, y, p1, n);
}

/* SHA-256 alone, and SHA-1 alone, for their own padding at the end. */
SHA_NI static void
sha256_blocks(uint32_t h[8], const unsigned char *p0, size_t nblocks)
{
	SHA256_VARS(h0);

	SHA256_LOAD(h0, h);
	for (; nblocks > 0; nblocks--, p0 += 64) {
		SHA256_BEGIN(h0, p0);
		SHA256_GROUPS(SHA_ONLY)
		SHA256_END(h0);
	}
	SHA256_STORE(h0, h);
}

SHA_NI static void
sha1_blocks(uint32_t h[5], const unsigned char *p0, size_t nblocks)
{
	SHA1_VARS(s0);

	SHA1_LOAD(s0, h);
	for (; nblocks > 0; nblocks--, p0 += 64) {
		SHA1_BEGIN(s0, p0);
		SHA256_GROUPS(SHA1_ONLY)
		SHA1_END(s0);
	}
	SHA1_STORE(s0, h);
}

/* By CPUID itself: not every compiler's __builtin_cpu_supports knows
 * "sha" (clang 14 does not). */
int
md5sha_available(void)
{
	unsigned int a, b, c, d, ssse3, sse41, sha;

	if (!__get_cpuid(1, &a, &b, &c, &d))
		return 0;
	ssse3 = c >> 9 & 1;
	sse41 = c >> 19 & 1;
	if (!__get_cpuid_count(7, 0, &a, &b, &c, &d))
		return 0;
	sha = b >> 29 & 1;
	return ssse3 && sse41 && sha;
}

void
md5sha_init(struct md5sha *x, int with_sha1)
{
	md5_init(&x->md5);
	memcpy(x->sha256, sha256_iv, sizeof(x->sha256));
	memcpy(x->sha1, sha1_iv, sizeof(x->sha1));
	x->with_sha1 = with_sha1 != 0;
}

static void
fill(struct md5sha *x, const unsigned char **p, size_t *n)
{
	if (md5_buffer_fill(&x->md5, p, n))
		blocks1(x, x->md5.buf, 1);
}

void
md5sha_update(struct md5sha *x, const void *data, size_t n)
{
	const unsigned char *p = data;

	fill(x, &p, &n);
	if (n == 0)
		return;
	blocks1(x, p, n / 64);
	md5_buffer_keep(&x->md5, p, n);
}

void
md5sha_update2(struct md5sha *a, const void *pa, size_t na,
    struct md5sha *b, const void *pb, size_t nb)
{
	const unsigned char *p = pa, *q = pb;
	size_t both;

	fill(a, &p, &na);
	fill(b, &q, &nb);
	both = na < nb ? na / 64 : nb / 64;
	if (both > 0) {
		blocks2(a, p, b, q, both);
		a->md5.bytes += both * 64;
		b->md5.bytes += both * 64;
		p += both * 64;
		q += both * 64;
		na -= both * 64;
		nb -= both * 64;
	}
	md5sha_update(a, p, na);
	md5sha_update(b, q, nb);
}

/* SHA-256's and SHA-1's padding (a big-endian bit count, the same for
 * both) on the shared partial block; md5_final() then pads the same
 * bytes its own way. */
static size_t
sha_tail(const struct md5sha *x, unsigned char tail[128])
{
	size_t have = x->md5.bytes % 64, len = have < 56 ? 64 : 128;
	uint64_t bits = x->md5.bytes * 8;
	int i;

	memset(tail, 0, 128);
	memcpy(tail, x->md5.buf, have);
	tail[have] = 0x80;
	for (i = 0; i < 8; i++)
		tail[len - 1 - i] = (unsigned char)(bits >> (8 * i));
	return len / 64;
}

static void
big_endian(const uint32_t *h, size_t words, unsigned char *out)
{
	size_t i;

	for (i = 0; i < 4 * words; i++)
		out[i] = (unsigned char)(h[i / 4] >> (24 - 8 * (i % 4)));
}

void
md5sha_final(struct md5sha *x, unsigned char md5[MD5_BYTES],
    unsigned char sha1[SHA1_BYTES], unsigned char sha256[SHA256_BYTES])
{
	unsigned char tail[128];
	size_t nblocks = sha_tail(x, tail);

	sha256_blocks(x->sha256, tail, nblocks);
	big_endian(x->sha256, 8, sha256);
	if (x->with_sha1 && sha1 != NULL) {
		sha1_blocks(x->sha1, tail, nblocks);
		big_endian(x->sha1, 5, sha1);
	}
	md5_final(&x->md5, md5);
}

#else	/* no SHA extensions to use: hash.c never calls these */

int
md5sha_available(void)
{
	return 0;
}

void
md5sha_init(struct md5sha *x, int with_sha1)
{
	(void)x, (void)with_sha1;
	abort();
}

void
md5sha_update(struct md5sha *x, const void *data, size_t n)
{
	(void)x, (void)data, (void)n;
	abort();
}

void
md5sha_update2(struct md5sha *a, const void *pa, size_t na,
    struct md5sha *b, const void *pb, size_t nb)
{
	(void)a, (void)pa, (void)na, (void)b, (void)pb, (void)nb;
	abort();
}

void
md5sha_final(struct md5sha *x, unsigned char md5[MD5_BYTES],
    unsigned char sha1[SHA1_BYTES], unsigned char sha256[SHA256_BYTES])
{
	(void)x, (void)md5, (void)sha1, (void)sha256;
	abort();
}

#endif
