/* md5.c: MD5 (RFC 1321), one stream or two interleaved (see md5.h). The
 * rounds are written once as a list of steps (md5_rounds.h) and expanded
 * for one lane and for two, so both paths run the very same steps. */
#include <string.h>

#include "md5.h"
#include "md5_rounds.h"

const uint32_t md5_k[64] = {
	0xd76aa478, 0xe8c7b756, 0x242070db, 0xc1bdceee, 0xf57c0faf, 0x4787c62a,
	0xa8304613, 0xfd469501, 0x698098d8, 0x8b44f7af, 0xffff5bb1, 0x895cd7be,
	0x6b901122, 0xfd987193, 0xa679438e, 0x49b40821, 0xf61e2562, 0xc040b340,
	0x265e5a51, 0xe9b6c7aa, 0xd62f105d, 0x02441453, 0xd8a1e681, 0xe7d3fbc8,
	0x21e1cde6, 0xc33707d6, 0xf4d50d87, 0x455a14ed, 0xa9e3e905, 0xfcefa3f8,
	0x676f02d9, 0x8d2a4c8a, 0xfffa3942, 0x8771f681, 0x6d9d6122, 0xfde5380c,
	0xa4beea44, 0x4bdecfa9, 0xf6bb4b60, 0xbebfbc70, 0x289b7ec6, 0xeaa127fa,
	0xd4ef3085, 0x04881d05, 0xd9d4d039, 0xe6db99e5, 0x1fa27cf8, 0xc4ac5665,
	0xf4292244, 0x432aff97, 0xab9423a7, 0xfc93a039, 0x655b59c3, 0x8f0ccc92,
	0xffeff47d, 0x85845dd1, 0x6fa87e4f, 0xfe2ce6e0, 0xa3014314, 0x4e0811a1,
	0xf7537e82, 0xbd3af235, 0x2ad7d2bb, 0xeb86d391,
};

static void
md5_blocks(uint32_t s0[4], const unsigned char *p0, size_t nblocks)
{
	LOAD(0, s0);

	for (; nblocks > 0; nblocks--, p0 += 64) {
		KEEP(0);
		ROUNDS(STEP1)
		ADD(0);
	}
	STORE(0, s0);
}

static void
md5_blocks2(uint32_t s0[4], const unsigned char *p0, uint32_t s1[4],
    const unsigned char *p1, size_t nblocks)
{
	LOAD(0, s0);
	LOAD(1, s1);

	for (; nblocks > 0; nblocks--, p0 += 64, p1 += 64) {
		KEEP(0);
		KEEP(1);
		ROUNDS(STEP2)
		ADD(0);
		ADD(1);
	}
	STORE(0, s0);
	STORE(1, s1);
}

void
md5_init(struct md5 *m)
{
	m->state[0] = 0x67452301;
	m->state[1] = 0xefcdab89;
	m->state[2] = 0x98badcfe;
	m->state[3] = 0x10325476;
	m->bytes = 0;
}

int
md5_buffer_fill(struct md5 *m, const unsigned char **p, size_t *n)
{
	size_t have = m->bytes % 64, take;

	if (have == 0 || *n == 0)
		return 0;
	take = 64 - have < *n ? 64 - have : *n;
	memcpy(m->buf + have, *p, take);
	m->bytes += take;
	*p += take;
	*n -= take;
	return have + take == 64;
}

void
md5_buffer_keep(struct md5 *m, const unsigned char *p, size_t n)
{
	m->bytes += n;
	memcpy(m->buf, p + n / 64 * 64, n % 64);
}

static void
md5_fill(struct md5 *m, const unsigned char **p, size_t *n)
{
	if (md5_buffer_fill(m, p, n))
		md5_blocks(m->state, m->buf, 1);
}

void
md5_update(struct md5 *m, const void *data, size_t n)
{
	const unsigned char *p = data;

	md5_fill(m, &p, &n);
	if (n == 0)
		return;
	md5_blocks(m->state, p, n / 64);
	md5_buffer_keep(m, p, n);
}

void
md5_update2(struct md5 *a, const void *pa, size_t na, struct md5 *b,
    const void *pb, size_t nb)
{
	const unsigned char *p = pa, *q = pb;
	size_t both;

	md5_fill(a, &p, &na);
	md5_fill(b, &q, &nb);
	both = na < nb ? na / 64 : nb / 64;
	if (both > 0) {
		md5_blocks2(a->state, p, b->state, q, both);
		a->bytes += both * 64;
		b->bytes += both * 64;
		p += both * 64;
		q += both * 64;
		na -= both * 64;
		nb -= both * 64;
	}
	md5_update(a, p, na);
	md5_update(b, q, nb);
}

void
md5_final(struct md5 *m, unsigned char out[MD5_BYTES])
{
	static const unsigned char pad[64] = { 0x80 };
	unsigned char len[8];
	uint64_t bits = m->bytes * 8;
	size_t have = m->bytes % 64;
	int i;

	for (i = 0; i < 8; i++)
		len[i] = (unsigned char)(bits >> (8 * i));
	md5_update(m, pad, have < 56 ? 56 - have : 120 - have);
	md5_update(m, len, 8);
	for (i = 0; i < 16; i++)
		out[i] = (unsigned char)(m->state[i / 4] >> (8 * (i % 4)));
}
