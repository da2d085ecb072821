/* test_bytecount.c: bytecount() against a byte-by-byte count, at every
 * length and alignment around the 16- and 64-byte blocks, on runs long
 * enough to overflow a lane's 255 if the lanes were not summed in time,
 * and for the byte values at the ends of the signed and unsigned ranges;
 * with each of the CPU's paths. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "bytecount.h"
#include "test_rand.h"

static size_t
naive(const uint8_t *p, size_t n, uint8_t c)
{
	size_t k = 0;

	for (size_t i = 0; i < n; i++)
		k += p[i] == c;
	return k;
}

static void
test_every_length_and_offset(void **state)
{
	static const uint8_t values[] = { '\n', 0, 0x7f, 0x80, 0xff };
	uint8_t buf[600];

	(void)state;
	for (int level = 0; level <= 2; level++) {
		bytecount_vector(level);
		for (size_t v = 0; v < sizeof(values); v++) {
			/* a value in about one byte of four */
			for (size_t i = 0; i < sizeof(buf); i++)
				buf[i] = next_rand() % 4 == 0 ? values[v] :
				    (uint8_t)next_rand();
			for (size_t off = 0; off < 65; off += 1 + off / 17)
				for (size_t n = 0; off + n <= sizeof(buf); n++)
					assert_int_equal(bytecount(buf + off, n,
					    values[v]), naive(buf + off, n,
					    values[v]));
		}
	}
	assert_true(bytecount_vector(2) >= 1);
}

static void
test_long_runs(void **state)
{
	size_t n = 16 * 255 * 3 + 37;
	uint8_t *p = malloc(n);

	(void)state;
	assert_non_null(p);
	for (int level = 0; level <= 2; level++) {
		bytecount_vector(level);
		memset(p, '\n', n);	/* every byte: each lane at its limit */
		assert_int_equal(bytecount(p, n, '\n'), n);
		assert_int_equal(bytecount(p + 1, n - 1, '\n'), n - 1);
		assert_int_equal(bytecount(p, n, 'a'), 0);
		for (size_t i = 0; i < n; i++)
			p[i] = (uint8_t)next_rand();
		assert_int_equal(bytecount(p, n, 0x41), naive(p, n, 0x41));
	}
	bytecount_vector(2);
	free(p);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_every_length_and_offset),
		cmocka_unit_test(test_long_runs),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
