/* test_headers.c: the header unfolder: folding, pieces of lines, bounds,
 * lines that are not fields. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <cmocka.h>

#include "headers.h"

static char got[8][128];
static int ngot;

static void
cb(void *arg, const char *name, const char *value, size_t vlen)
{
	(void)arg;
	if (ngot < 8)
		snprintf(got[ngot++], sizeof(got[0]), "%s|%.*s", name,
		    (int)vlen, value);
}

static void
line(struct headers *h, const char *s)
{
	(void)headers_line(h, (const uint8_t *)s, strlen(s), 1);
}

static void
test_unfold(void **state)
{
	struct headers h;

	(void)state;
	ngot = 0;
	headers_init(&h, 1000, cb, NULL);
	line(&h, "Subject: a long");
	line(&h, "\t subject");
	line(&h, "X-Empty:");
	line(&h, "Obs-Form  : v ");
	headers_flush(&h);
	assert_int_equal(ngot, 3);
	assert_string_equal(got[0], "Subject|a long\t subject");
	assert_string_equal(got[1], "X-Empty|");
	assert_string_equal(got[2], "Obs-Form|v");
	assert_int_equal(h.count, 3);
	headers_free(&h);
}

static void
test_pieces_and_bounds(void **state)
{
	struct headers h;
	char big[5000];

	(void)state;
	ngot = 0;
	headers_init(&h, 20, cb, NULL);
	(void)headers_line(&h, (const uint8_t *)"To: ab", 6, 1);
	(void)headers_line(&h, (const uint8_t *)"cd", 2, 0);
	memset(big, 'x', sizeof(big));
	(void)headers_line(&h, (const uint8_t *)big, sizeof(big), 0);
	headers_flush(&h);
	assert_int_equal(ngot, 1);
	assert_string_equal(got[0], "To|abcdxxxxxxxxxxxx");
	assert_int_equal(h.cut_fields, 1);
	assert_int_equal(h.dropped, sizeof(big) - 12);
	assert_int_equal(headers_line(&h, (const uint8_t *)"no colon", 8, 1),
	    -1);
	assert_int_equal(headers_line(&h, (const uint8_t *)":x", 2, 1), -1);
	assert_int_equal(headers_line(&h, (const uint8_t *)"a\x01:x", 4, 1),
	    -1);
	/* a continuation before any field is ignored, not a crash */
	headers_free(&h);
	headers_init(&h, 20, cb, NULL);
	line(&h, " orphan");
	headers_flush(&h);
	assert_int_equal(ngot, 1);
	headers_free(&h);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_unfold),
		cmocka_unit_test(test_pieces_and_bounds),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
