/* test_two_streams.h: one check for a digest that can run two streams
 * side by side (md5.c, md5sha.c): two streams of random data fed in
 * random pieces, alone or side by side in either order; each must equal
 * OpenSSL's digest of its whole. Include after test_rand.h. */
#ifndef SMTPSCOPE_TEST_TWO_STREAMS_H
#define SMTPSCOPE_TEST_TWO_STREAMS_H

#include <stdlib.h>

#define TWO_STREAMS_DATA	(1u << 20)

/* The digest under test, its context behind a void pointer. check()
 * finishes ctx and asserts it equals OpenSSL's digest of p[0, n). */
struct two_streams_ops {
	size_t	 ctx_size;
	void	(*init)(void *ctx);
	void	(*update)(void *ctx, const void *p, size_t n);
	void	(*update2)(void *a, const void *pa, size_t na, void *b,
		    const void *pb, size_t nb);
	void	(*check)(void *ctx, const unsigned char *p, size_t n);
};

static void
two_streams_random_pieces(const struct two_streams_ops *ops)
{
	unsigned char *x = malloc(TWO_STREAMS_DATA);
	unsigned char *y = malloc(TWO_STREAMS_DATA);
	void *mx = malloc(ops->ctx_size), *my = malloc(ops->ctx_size);
	int round;
	size_t i;

	assert_non_null(x);
	assert_non_null(y);
	assert_non_null(mx);
	assert_non_null(my);
	for (i = 0; i < TWO_STREAMS_DATA; i++) {
		x[i] = (unsigned char)next_rand();
		y[i] = (unsigned char)next_rand();
	}
	for (round = 0; round < 40; round++) {
		size_t nx = next_rand() % TWO_STREAMS_DATA;
		size_t ny = next_rand() % TWO_STREAMS_DATA;
		size_t px = 0, py = 0;

		ops->init(mx);
		ops->init(my);
		while (px < nx || py < ny) {
			size_t kx = next_rand() % 9000, ky = next_rand() % 9000;
			int how = (int)(next_rand() % 4);

			kx = kx < nx - px ? kx : nx - px;
			ky = ky < ny - py ? ky : ny - py;
			if (how == 0)
				ops->update(mx, x + px, kx), ky = 0;
			else if (how == 1)
				ops->update(my, y + py, ky), kx = 0;
			else if (how == 2)
				ops->update2(my, y + py, ky, mx, x + px, kx);
			else
				ops->update2(mx, x + px, kx, my, y + py, ky);
			px += kx;
			py += ky;
		}
		ops->check(mx, x, nx);
		ops->check(my, y, ny);
	}
	free(mx);
	free(my);
	free(x);
	free(y);
}

#endif
