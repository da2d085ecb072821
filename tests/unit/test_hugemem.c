/* test_hugemem.c: huge_zalloc() gives zeroed, writable, 2 MB-aligned
 * memory of the size asked, separate for each call, and refuses sizes it
 * cannot map. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>

#include "hugemem.h"

#define TWO_MB	((size_t)2 << 20)

static void
assert_zero(const uint8_t *p, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (p[i] != 0)
			fail_msg("byte %zu of %zu is %u", i, n, p[i]);
}

static void
test_zeroed_aligned_writable(void **state)
{
	/* The seen table's size, and sizes that are not whole pages. */
	static const size_t sizes[] = { 1, 4095, TWO_MB, (size_t)4 << 20,
	    5 * TWO_MB / 2 + 17 };
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(sizes) / sizeof(sizes[0]); i++) {
		uint8_t *p = huge_zalloc(sizes[i]);

		assert_non_null(p);
		assert_int_equal((uintptr_t)p % TWO_MB, 0);
		assert_zero(p, sizes[i]);
		p[sizes[i] - 1] = 0x55;
		p[0] = 0xaa;
		assert_int_equal(p[0], 0xaa);
		if (sizes[i] > 1)
			assert_int_equal(p[sizes[i] - 1], 0x55);
		huge_free(p, sizes[i]);
	}
}

static void
test_separate(void **state)
{
	size_t n = 3 * TWO_MB / 2;
	uint8_t *a = huge_zalloc(n), *b = huge_zalloc(n);

	(void)state;
	assert_non_null(a);
	assert_non_null(b);
	assert_true(a + n <= b || b + n <= a);
	memset(a, 0xff, n);
	assert_zero(b, n);
	huge_free(a, n);
	huge_free(b, n);
}

static void
test_refused(void **state)
{
	(void)state;
	assert_null(huge_zalloc(0));
	assert_null(huge_zalloc(SIZE_MAX));
	assert_null(huge_zalloc(SIZE_MAX / 2 + 1));
	huge_free(NULL, 0);		/* like free(NULL) */
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_zeroed_aligned_writable),
		cmocka_unit_test(test_separate),
		cmocka_unit_test(test_refused),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
