/* test_dotstuff.c: DATA bodies: unstuffing, the CRLF.CRLF end split at every
 * offset, lines and bytes counted, bytes after the end left alone. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>

#include "dotstuff.h"

static size_t
run(const char *in, size_t cut, char *out, size_t *consumed,
    struct dotstuff *ds)
{
	size_t n = strlen(in), o = 0, pos = 0;
	size_t ends[2] = { cut, n };

	dotstuff_init(ds, 1000);
	for (int i = 0; i < 2 && !ds->done; i++) {
		while (pos < ends[i] && !ds->done) {
			size_t on, k;

			k = dotstuff_take(ds, (const uint8_t *)in + pos,
			    ends[i] - pos, (uint8_t *)out + o, &on);
			pos += k;
			o += on;
		}
	}
	out[o] = '\0';
	*consumed = pos;
	return o;
}

static void
test_split_everywhere(void **state)
{
	const char *in = "Subject: x\r\n\r\n..leading dot\r\n..\r\n.b\r\n"
	    "end\r\n.\r\nMAIL FROM:<a@b>\r\n";
	const char *want =
	    "Subject: x\r\n\r\n.leading dot\r\n.\r\nb\r\nend\r\n";
	char out[256];
	struct dotstuff ds;
	size_t used;

	(void)state;
	for (size_t cut = 0; cut <= strlen(in); cut++) {
		run(in, cut, out, &used, &ds);
		assert_true(ds.done);
		assert_string_equal(out, want);
		assert_int_equal(ds.bytes, strlen(want));
		assert_int_equal(ds.lines, 6);
		assert_string_equal(in + used, "MAIL FROM:<a@b>\r\n");
	}
}

static void
test_empty_and_unterminated(void **state)
{
	char out[64];
	struct dotstuff ds;
	size_t used;

	(void)state;
	run(".\r\n", 1, out, &used, &ds);
	assert_true(ds.done);
	assert_int_equal(ds.bytes, 0);
	run("abc\r\n.\r", 6, out, &used, &ds);
	assert_false(ds.done);
	assert_string_equal(out, "abc\r\n");
	/* ".\rX": a stuffed line that starts with CR, not an end. */
	run(".\rX\r\n.\r\n", 2, out, &used, &ds);
	assert_true(ds.done);
	assert_string_equal(out, "\rX\r\n");
}

static void
test_bare_lf_and_long(void **state)
{
	char out[3000], in[3000];
	struct dotstuff ds;
	size_t used;

	(void)state;
	run("a\nb\r\n.\n", 3, out, &used, &ds);
	assert_true(ds.done);
	assert_int_equal(ds.bare_lf, 2);
	memset(in, 'x', 1500);
	strcpy(in + 1500, "\r\n.\r\n");
	run(in, 700, out, &used, &ds);
	assert_int_equal(ds.long_lines, 1);
	assert_int_equal(ds.bytes, 1502);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_split_everywhere),
		cmocka_unit_test(test_empty_and_unterminated),
		cmocka_unit_test(test_bare_lf_and_long),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
