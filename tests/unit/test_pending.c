/* test_pending.c: the pipelining FIFO: order kept across growth and wrap,
 * the bound never exceeded. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include "pending.h"

static void
test_order_and_wrap(void **state)
{
	struct pending q;
	struct pending_item it;

	(void)state;
	pending_init(&q, 100);
	for (int round = 0; round < 5; round++) {
		for (int i = 0; i < 37; i++) {
			it.kind = i;
			it.ref = NULL;
			it.arg = (uint64_t)round;
			assert_int_equal(pending_push(&q, &it), 0);
		}
		assert_int_equal(pending_peek(&q)->kind, 0);
		assert_int_equal(pending_at(&q, 36)->kind, 36);
		assert_null(pending_at(&q, 37));
		for (int i = 0; i < 37; i++) {
			assert_int_equal(pending_pop(&q, &it), 1);
			assert_int_equal(it.kind, i);
			assert_int_equal(it.arg, (uint64_t)round);
		}
	}
	assert_int_equal(pending_pop(&q, &it), 0);
	pending_free(&q);
}

static void
test_bound(void **state)
{
	struct pending q;
	struct pending_item it = { 1, NULL, 0 };

	(void)state;
	pending_init(&q, 10);
	for (int i = 0; i < 10; i++)
		assert_int_equal(pending_push(&q, &it), 0);
	for (int i = 0; i < 1000; i++)
		assert_int_equal(pending_push(&q, &it), -1);
	assert_int_equal(pending_count(&q), 10);
	assert_true(q.cap <= 10);
	pending_free(&q);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_order_and_wrap),
		cmocka_unit_test(test_bound),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
