/* test_json_print.c: json_print() writes exactly what json-c's own
 * printer writes with PLAIN | NOSLASHESCAPE, on trees of every kind of
 * value, every byte in strings and keys, and random shapes. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include <json-c/json.h>

#include "json_print.h"

#define TEST_RAND_SEED	0x853c49e6748fea9bULL
#include "test_rand.h"

#define FLAGS	(JSON_C_TO_STRING_PLAIN | JSON_C_TO_STRING_NOSLASHESCAPE)

static void
assert_same(struct json_object *o)
{
	struct json_buf b = { 0 };
	size_t n;
	const char *want = json_object_to_json_string_length(o, FLAGS, &n);

	assert_int_equal(json_print(&b, o), 0);
	assert_int_equal(b.len, n);
	assert_memory_equal(b.p, want, n);
	free(b.p);
}

static void
test_scalars_and_empties(void **state)
{
	struct json_object *o = json_object_new_object();
	struct json_object *a = json_object_new_array();

	(void)state;
	json_object_object_add(o, "null", NULL);
	json_object_object_add(o, "t", json_object_new_boolean(1));
	json_object_object_add(o, "f", json_object_new_boolean(0));
	json_object_object_add(o, "zero", json_object_new_int(0));
	json_object_object_add(o, "min", json_object_new_int64(INT64_MIN));
	json_object_object_add(o, "max", json_object_new_int64(INT64_MAX));
	json_object_object_add(o, "neg", json_object_new_int(-25));
	json_object_object_add(o, "empty", json_object_new_string(""));
	json_object_object_add(o, "obj", json_object_new_object());
	json_object_object_add(o, "arr", json_object_new_array());
	json_object_array_add(a, NULL);
	json_object_array_add(a, json_object_new_int(7));
	json_object_array_add(a, json_object_new_array());
	json_object_object_add(o, "list", a);
	assert_same(o);
	assert_same(a);
	assert_same(json_object_object_get(o, "obj"));
	json_object_put(o);
}

/* Every byte value, alone and in runs, in values and in keys; a NUL in
 * the middle of a string value too. */
static void
test_every_byte(void **state)
{
	struct json_object *o = json_object_new_object();
	char s[3], all[256];
	int c;

	(void)state;
	for (c = 1; c < 256; c++) {
		s[0] = (char)c;
		s[1] = 'x';
		s[2] = '\0';
		json_object_object_add(o, s, json_object_new_string(s));
		all[c] = (char)c;
	}
	all[0] = '\0';
	json_object_object_add(o, "all", json_object_new_string_len(all, 256));
	json_object_object_add(o, "a/b\\c\"d", json_object_new_string(
	    "</script>\b\f\n\r\t\x01\x1f\x7f\xc3\xa9"));
	assert_same(o);
	json_object_put(o);
}

/* One byte that may need escaping, and its neighbours in value, at every
 * offset of plain runs of every length up to 40: the eight-byte word
 * tests and the byte loop after them. */
static void
test_special_at_every_offset(void **state)
{
	static const unsigned char odd[] = { '"', '\\', 0x00, 0x01, 0x1f,
	    0x20, 0x21, 0x23, 0x5b, 0x5d, 0x7f, 0x80, 0xa2, 0xdc, 0xff };
	struct json_object *o;
	char s[41];
	size_t n, at, k, i;

	(void)state;
	for (n = 1; n <= 40; n++)
		for (at = 0; at < n; at++)
			for (k = 0; k < sizeof(odd); k++) {
				for (i = 0; i < n; i++)
					s[i] = (char)('a' + (i * 7) % 26);
				s[at] = (char)odd[k];
				o = json_object_new_string_len(s, (int)n);
				assert_same(o);
				json_object_put(o);
			}
}

static struct json_object *
random_value(int depth)
{
	char s[40];
	size_t i, n;
	struct json_object *o;

	switch (depth > 5 ? next_rand() % 4 : next_rand() % 6) {
	case 0:
		return NULL;
	case 1:
		return json_object_new_int64((int64_t)next_rand() -
		    (int64_t)next_rand() * 65536);
	case 2:
		return json_object_new_boolean((int)(next_rand() & 1));
	case 3:
		n = next_rand() % sizeof(s);
		for (i = 0; i < n; i++)
			s[i] = (char)(next_rand() % 4 ? 'a' + next_rand() % 26 :
			    next_rand() % 256);
		return json_object_new_string_len(s, (int)n);
	case 4:
		o = json_object_new_array();
		for (n = next_rand() % 5; n > 0; n--)
			json_object_array_add(o, random_value(depth + 1));
		return o;
	default:
		o = json_object_new_object();
		for (n = next_rand() % 5; n > 0; n--) {
			snprintf(s, sizeof(s), "k%u", next_rand() % 8);
			json_object_object_add(o, s, random_value(depth + 1));
		}
		return o;
	}
}

static void
test_random_trees(void **state)
{
	int i;

	(void)state;
	for (i = 0; i < 2000; i++) {
		struct json_object *o = random_value(0);

		assert_same(o);
		json_object_put(o);
	}
}

/* Appends: a second value follows the first in the same buffer. */
static void
test_appends(void **state)
{
	struct json_object *a = json_object_new_string("a"), *b =
	    json_object_new_int(2);
	struct json_buf buf = { 0 };

	(void)state;
	assert_int_equal(json_print(&buf, a), 0);
	assert_int_equal(json_print_newline(&buf), 0);
	assert_int_equal(json_print(&buf, b), 0);
	assert_int_equal(buf.len, 5);
	assert_memory_equal(buf.p, "\"a\"\n2", 5);
	free(buf.p);
	json_object_put(a);
	json_object_put(b);
}

/* b.high says whether a byte of 0x80 or more went in, wherever it is in
 * a string or a key (the writer validates UTF-8 only then). */
static void
test_high_bytes_flagged(void **state)
{
	static const char *const plain[] = { "", "ascii only", "tab\there",
	    "quote\" and \\ and \x01", "0123456789abcdef0123456789" };
	char s[40];
	size_t pos, i;

	(void)state;
	for (i = 0; i < sizeof(plain) / sizeof(plain[0]); i++) {
		struct json_object *o = json_object_new_object();
		struct json_buf b = { 0 };

		json_object_object_add(o, plain[i],
		    json_object_new_string(plain[i]));
		assert_int_equal(json_print(&b, o), 0);
		assert_int_equal(b.high, 0);
		free(b.p);
		json_object_put(o);
	}
	for (pos = 0; pos < 33; pos++)
		for (i = 0; i < 2; i++) {
			struct json_object *o = json_object_new_object();
			struct json_buf b = { 0 };

			memset(s, 'a', 33);
			s[33] = '\0';
			s[pos] = (char)0xc3;	/* alone: not even valid */
			if (pos % 5 == 0 && pos + 1 < 33)
				s[pos + 1] = '"';	/* an escape next to it */
			json_object_object_add(o, i == 0 ? s : "k",
			    json_object_new_string(i == 0 ? "v" : s));
			assert_int_equal(json_print(&b, o), 0);
			assert_int_equal(b.high, 1);
			free(b.p);
			json_object_put(o);
		}
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_scalars_and_empties),
		cmocka_unit_test(test_every_byte),
		cmocka_unit_test(test_special_at_every_offset),
		cmocka_unit_test(test_random_trees),
		cmocka_unit_test(test_appends),
		cmocka_unit_test(test_high_bytes_flagged),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
