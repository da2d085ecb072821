/* test_linebuf.c: the bounded line splitter: every split offset, CRLF vs
 * bare LF, overlong lines cut and counted, NUL bytes. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>

#include "linebuf.h"

/* Feeds s split at `cut`; collects lines joined by '|' and their flags. */
static void
feed_split(struct linebuf *lb, const char *s, size_t cut, char *out,
    unsigned *flags)
{
	size_t n = strlen(s), parts[2][2] = { { 0, cut }, { cut, n - cut } };
	struct linebuf_line line;
	int ready;

	out[0] = '\0';
	*flags = 0;
	for (int i = 0; i < 2; i++) {
		const uint8_t *p = (const uint8_t *)s + parts[i][0];
		size_t left = parts[i][1];

		while (left > 0) {
			size_t k = linebuf_take(lb, p, left, &line, &ready);

			p += k;
			left -= k;
			if (ready) {
				strncat(out, (const char *)line.p, line.n);
				strcat(out, "|");
				*flags |= line.flags;
			}
		}
	}
}

static void
test_every_split(void **state)
{
	const char *in = "EHLO a.example\r\nMAIL FROM:<x@y>\r\n\r\nQUIT\r\n";
	char out[256];
	unsigned flags;

	(void)state;
	for (size_t cut = 0; cut <= strlen(in); cut++) {
		struct linebuf lb;

		assert_int_equal(linebuf_init(&lb, 512), 0);
		feed_split(&lb, in, cut, out, &flags);
		assert_string_equal(out, "EHLO a.example|MAIL FROM:<x@y>||QUIT|");
		assert_int_equal(flags, 0);
		assert_int_equal(linebuf_pending(&lb), 0);
		linebuf_free(&lb);
	}
}

static void
test_bare_lf(void **state)
{
	struct linebuf lb;
	char out[64];
	unsigned flags;

	(void)state;
	linebuf_init(&lb, 64);
	feed_split(&lb, "NOOP\nRSET\r\n", 3, out, &flags);
	assert_string_equal(out, "NOOP|RSET|");
	assert_true(flags & LINEBUF_BARE_LF);
	/* A CR alone inside a line is data. */
	feed_split(&lb, "A\rB\r\n", 2, out, &flags);
	assert_string_equal(out, "A\rB|");
	linebuf_free(&lb);
}

static void
test_overlong(void **state)
{
	struct linebuf lb;
	struct linebuf_line line;
	char big[5000];
	int ready;
	size_t k, total = 0;

	(void)state;
	memset(big, 'x', sizeof(big));
	linebuf_init(&lb, 100);
	for (int i = 0; i < 10; i++) {
		k = linebuf_take(&lb, (uint8_t *)big, sizeof(big), &line,
		    &ready);
		assert_int_equal(k, sizeof(big));
		assert_false(ready);
	}
	k = linebuf_take(&lb, (const uint8_t *)"yy\r\nNEXT\r\n", 10, &line,
	    &ready);
	assert_int_equal(k, 4);
	assert_true(ready);
	assert_int_equal(line.n, 100);
	assert_true(line.flags & LINEBUF_CUT);
	assert_int_equal(line.wire, 50004);
	total = lb.dropped;
	assert_int_equal(total, 50002 - 100);
	/* The next line is whole again. */
	k = linebuf_take(&lb, (const uint8_t *)"NEXT\r\n", 6, &line, &ready);
	assert_true(ready);
	assert_int_equal(line.n, 4);
	assert_int_equal(line.flags, 0);
	linebuf_free(&lb);
}

static void
test_exact_bound_with_cr(void **state)
{
	struct linebuf lb;
	struct linebuf_line line;
	int ready;

	(void)state;
	linebuf_init(&lb, 4);
	/* 4 bytes + CRLF: the CR beyond the bound is no cut. */
	linebuf_take(&lb, (const uint8_t *)"ABCD\r", 5, &line, &ready);
	linebuf_take(&lb, (const uint8_t *)"\n", 1, &line, &ready);
	assert_true(ready);
	assert_int_equal(line.n, 4);
	assert_int_equal(line.flags, 0);
	assert_int_equal(lb.dropped, 0);
	linebuf_free(&lb);
}

static void
test_flush_nul_reset(void **state)
{
	struct linebuf lb;
	struct linebuf_line line;
	int ready;

	(void)state;
	linebuf_init(&lb, 16);
	linebuf_take(&lb, (const uint8_t *)"QU\0T", 4, &line, &ready);
	assert_int_equal(linebuf_flush(&lb, &line), 1);
	assert_int_equal(line.n, 4);
	assert_true(line.flags & LINEBUF_UNTERMINATED);
	assert_true(line.flags & LINEBUF_NUL);
	assert_int_equal(linebuf_flush(&lb, &line), 0);
	linebuf_take(&lb, (const uint8_t *)"junk", 4, &line, &ready);
	linebuf_reset(&lb);
	linebuf_take(&lb, (const uint8_t *)"OK\r\n", 4, &line, &ready);
	assert_int_equal(line.n, 2);
	linebuf_free(&lb);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_every_split),
		cmocka_unit_test(test_bare_lf),
		cmocka_unit_test(test_overlong),
		cmocka_unit_test(test_exact_bound_with_cr),
		cmocka_unit_test(test_flush_nul_reset),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
