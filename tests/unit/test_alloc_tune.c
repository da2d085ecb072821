/* test_alloc_tune.c: linked as the program is (with mimalloc unless built
 * with ALLOC_LIBS=), alloc_tune() turns on mimalloc's large OS pages,
 * leaves them to the user's environment when it sets them, and does
 * nothing on another allocator. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdbool.h>
#include <stdlib.h>
#include <cmocka.h>

#include <mimalloc.h>

#include "alloc_tune.h"

#pragma weak mi_option_is_enabled

/* mimalloc read the environment when the process started: if the user
 * set the option there, its state is theirs and only our "no" is tested. */
static int env_at_start;

static int
on_mimalloc(void)
{
	return mi_option_is_enabled != NULL;
}

/* First: the option is still at its default (off) here. */
static void
test_environment_decides(void **state)
{
	(void)state;
	assert_int_equal(setenv("MIMALLOC_LARGE_OS_PAGES", "0", 1), 0);
	assert_int_equal(alloc_tune(), 0);
	if (on_mimalloc() && !env_at_start)
		assert_false(mi_option_is_enabled(mi_option_large_os_pages));
	assert_int_equal(unsetenv("MIMALLOC_LARGE_OS_PAGES"), 0);
}

static void
test_large_pages_asked(void **state)
{
	(void)state;
	if (!on_mimalloc()) {
		assert_int_equal(alloc_tune(), 0);	/* glibc: nothing */
		skip();
	}
	if (env_at_start)
		skip();
	assert_false(mi_option_is_enabled(mi_option_large_os_pages));
	assert_int_equal(alloc_tune(), 1);
	assert_true(mi_option_is_enabled(mi_option_large_os_pages));
	/* and the heap still works across the switch */
	for (int i = 0; i < 1000; i++) {
		char *p = malloc((size_t)i * 4096 + 1);

		assert_non_null(p);
		p[(size_t)i * 4096] = 1;
		free(p);
	}
}

int
main(void)
{
	env_at_start = getenv("MIMALLOC_LARGE_OS_PAGES") != NULL;
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_environment_decides),
		cmocka_unit_test(test_large_pages_asked),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
