/* test_escape.c: escape.c against every byte value, every 1-3 byte
 * sequence, hostile UTF-8 and terminal escapes; JSON output checked with
 * an independent validator and a json-c round trip. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include <json-c/json.h>

#include "escape.h"

/* escape_text_write() into a string; *escaped gets its return value. */
static char *
text(const void *p, size_t n, size_t *escaped)
{
	char *buf = NULL;
	size_t size = 0, e;
	FILE *f = open_memstream(&buf, &size);

	assert_non_null(f);
	e = escape_text_write(f, p, n);
	fclose(f);
	if (escaped != NULL)
		*escaped = e;
	return buf;
}

static void
assert_text(const char *in, size_t n, const char *want, size_t want_escaped)
{
	size_t escaped;
	char *got = text(in, n, &escaped);

	assert_string_equal(got, want);
	assert_int_equal(escaped, want_escaped);
	free(got);
}

#define T(in, want, esc) assert_text(in, sizeof(in) - 1, want, esc)

/*
 * An independent validator, written the other way round: decode by bit
 * pattern first, then reject overlongs, surrogates and > U+10FFFF.
 */
static int
valid_utf8(const uint8_t *p, size_t n)
{
	static const uint32_t min[5] = { 0, 0, 0x80, 0x800, 0x10000 };
	size_t i = 0, len, k;
	uint32_t cp;

	while (i < n) {
		if (p[i] < 0x80)
			len = 1;
		else if ((p[i] & 0xe0) == 0xc0)
			len = 2;
		else if ((p[i] & 0xf0) == 0xe0)
			len = 3;
		else if ((p[i] & 0xf8) == 0xf0)
			len = 4;
		else
			return 0;
		if (i + len > n)
			return 0;
		cp = len == 1 ? p[i] : p[i] & (0x7f >> len);
		for (k = 1; k < len; k++) {
			if ((p[i + k] & 0xc0) != 0x80)
				return 0;
			cp = cp << 6 | (p[i + k] & 0x3f);
		}
		if (cp < min[len] || cp > 0x10ffff ||
		    (cp >= 0xd800 && cp <= 0xdfff))
			return 0;
		i += len;
	}
	return 1;
}

/* The JSON side: valid UTF-8, no NUL, and json-c parses it back equal. */
static void
assert_json_safe(const uint8_t *p, size_t n)
{
	size_t bad;
	char *s = escape_utf8_dup(p, n, &bad);
	struct json_object *o, *back, *v;

	assert_true(valid_utf8((const uint8_t *)s, strlen(s)));
	assert_int_equal(bad == 0, valid_utf8(p, n) && memchr(p, 0, n) == NULL);
	o = json_object_new_object();
	json_object_object_add(o, "s", json_object_new_string(s));
	back = json_tokener_parse(json_object_to_json_string_ext(o,
	    JSON_C_TO_STRING_PLAIN | JSON_C_TO_STRING_NOSLASHESCAPE));
	assert_non_null(back);
	assert_true(json_object_object_get_ex(back, "s", &v));
	assert_string_equal(json_object_get_string(v), s);
	json_object_put(back);
	json_object_put(o);
	free(s);
}

/* The terminal side: no C0, DEL, C1 or invalid byte ever comes out. */
static void
assert_text_safe(const uint8_t *p, size_t n)
{
	char *s = text(p, n, NULL);
	size_t i, len = strlen(s);

	assert_true(valid_utf8((const uint8_t *)s, len));
	for (i = 0; i < len; i++) {
		assert_true((uint8_t)s[i] >= 0x20 && s[i] != 0x7f);
		if ((uint8_t)s[i] == 0xc2)	/* U+0080..U+009F */
			assert_true((uint8_t)s[i + 1] >= 0xa0);
	}
	assert_null(strstr(s, "\xe2\x80\xae"));	/* RLO */
	free(s);
}

static void
test_every_byte_alone(void **state)
{
	char want[8];
	uint8_t b;
	int c;

	(void)state;
	for (c = 0; c < 256; c++) {
		b = (uint8_t)c;
		if (c == '\\')
			assert_text((char *)&b, 1, "\\\\", 0);
		else if (c >= 0x20 && c < 0x7f) {
			want[0] = (char)c;
			want[1] = '\0';
			assert_text((char *)&b, 1, want, 0);
		} else {
			snprintf(want, sizeof(want), "\\x%02x", c);
			assert_text((char *)&b, 1, want, 1);
		}
		assert_int_equal(escape_utf8_seq(&b, 1), c < 0x80 ? 1 : 0);
		assert_json_safe(&b, 1);
	}
}

static void
test_every_byte_in_context(void **state)
{
	uint8_t in[3] = { 'a', 0, 'z' };
	char want[16];
	int c;

	(void)state;
	for (c = 0; c < 256; c++) {
		in[1] = (uint8_t)c;
		if (c == '\\')
			snprintf(want, sizeof(want), "a\\\\z");
		else if (c >= 0x20 && c < 0x7f)
			snprintf(want, sizeof(want), "a%cz", c);
		else
			snprintf(want, sizeof(want), "a\\x%02xz", c);
		assert_text((char *)in, sizeof(in), want,
		    c < 0x20 || c >= 0x7f);
		assert_json_safe(in, sizeof(in));
		assert_text_safe(in, sizeof(in));
	}
}

static void
test_terminal_escapes(void **state)
{
	(void)state;
	T("\x1b[31mred\x1b[0m", "\\x1b[31mred\\x1b[0m", 2);
	T("\x1b]0;owned\x07", "\\x1b]0;owned\\x07", 2);
	T("a\r\nb\tc", "a\\x0d\\x0ab\\x09c", 3);
	T("bell\x07 del\x7f", "bell\\x07 del\\x7f", 2);
	T("\\x1b", "\\\\x1b", 0);		/* a literal backslash text */
	/* C1 controls encoded in UTF-8: 8-bit CSI, NEL. */
	T("\xc2\x9b" "2J", "\\u{9b}2J", 2);
	T("\xc2\x80\xc2\x85\xc2\x9f", "\\u{80}\\u{85}\\u{9f}", 6);
	T("\xc2\xa0", "\xc2\xa0", 0);		/* NBSP is printable */
	/* Bidi overrides and isolates (Trojan Source). */
	T("a\xe2\x80\xae" "b", "a\\u{202e}b", 3);
	T("\xe2\x80\xaa\xe2\x80\xab\xe2\x80\xac\xe2\x80\xad",
	    "\\u{202a}\\u{202b}\\u{202c}\\u{202d}", 12);
	T("\xe2\x81\xa6\xe2\x81\xa7\xe2\x81\xa8\xe2\x81\xa9",
	    "\\u{2066}\\u{2067}\\u{2068}\\u{2069}", 12);
	T("\xe2\x80\x8e\xe2\x80\x8f\xd8\x9c",
	    "\\u{200e}\\u{200f}\\u{61c}", 8);
	T("\xe2\x80\xa9", "\xe2\x80\xa9", 0);	/* next to the set: kept */
	T("\xe2\x81\xaa", "\xe2\x81\xaa", 0);
}

static void
test_valid_utf8_passes(void **state)
{
	(void)state;
	T("H\xc3\xa9llo", "H\xc3\xa9llo", 0);
	T("\xe2\x82\xac", "\xe2\x82\xac", 0);			/* U+20AC */
	T("\xf0\x9f\x98\x80", "\xf0\x9f\x98\x80", 0);		/* U+1F600 */
	T("\xf4\x8f\xbf\xbf", "\xf4\x8f\xbf\xbf", 0);		/* U+10FFFF */
	T("\xed\x9f\xbf\xee\x80\x80", "\xed\x9f\xbf\xee\x80\x80", 0);
	T("\xef\xbf\xbd", "\xef\xbf\xbd", 0);			/* U+FFFD */
	assert_int_equal(escape_utf8_seq((uint8_t *)"\xc3\xa9", 2), 2);
	assert_int_equal(escape_utf8_seq((uint8_t *)"\xe2\x82\xac", 3), 3);
	assert_int_equal(escape_utf8_seq((uint8_t *)"\xf0\x9f\x98\x80", 4),
	    4);
	assert_int_equal(escape_utf8_seq((uint8_t *)"", 0), 0);
}

static void
test_invalid_utf8(void **state)
{
	(void)state;
	/* Overlongs. */
	T("\xc0\x80", "\\xc0\\x80", 2);
	T("\xc1\xbf", "\\xc1\\xbf", 2);
	T("\xe0\x80\x80", "\\xe0\\x80\\x80", 3);
	T("\xe0\x9f\xbf", "\\xe0\\x9f\\xbf", 3);
	T("\xf0\x80\x80\x80", "\\xf0\\x80\\x80\\x80", 4);
	T("\xf0\x8f\xbf\xbf", "\\xf0\\x8f\\xbf\\xbf", 4);
	/* Surrogates (CESU-8). */
	T("\xed\xa0\x80", "\\xed\\xa0\\x80", 3);
	T("\xed\xbf\xbf", "\\xed\\xbf\\xbf", 3);
	/* Beyond U+10FFFF. */
	T("\xf4\x90\x80\x80", "\\xf4\\x90\\x80\\x80", 4);
	T("\xf5\x80\x80\x80", "\\xf5\\x80\\x80\\x80", 4);
	T("\xf8\x88\x80\x80\x80", "\\xf8\\x88\\x80\\x80\\x80", 5);
	/* Truncated, at the end and before ASCII. */
	T("\xe2\x82", "\\xe2\\x82", 2);
	T("\xe2\x82" "A", "\\xe2\\x82" "A", 2);
	T("\xf0\x9f\x98", "\\xf0\\x9f\\x98", 3);
	T("\xc3", "\\xc3", 1);
	T("\x80\xbf", "\\x80\\xbf", 2);	/* lone continuations */
	assert_int_equal(escape_utf8_seq((uint8_t *)"\xe2\x82\xac", 2), 0);
	assert_int_equal(escape_utf8_seq((uint8_t *)"\xed\xa0\x80", 3), 0);
	assert_int_equal(escape_utf8_seq((uint8_t *)"\xf4\x90\x80\x80", 4),
	    0);
}

static void
assert_dup(const char *in, size_t n, const char *want, size_t want_bad)
{
	size_t bad = 99;
	char *got = escape_utf8_dup((const uint8_t *)in, n, &bad);

	assert_string_equal(got, want);
	assert_int_equal(bad, want_bad);
	free(got);
	assert_json_safe((const uint8_t *)in, n);
}

#define D(in, want, bad) assert_dup(in, sizeof(in) - 1, want, bad)
#define FFFD "\xef\xbf\xbd"

static void
test_utf8_dup(void **state)
{
	char *s;

	(void)state;
	D("", "", 0);
	D("plain \x1b[31m", "plain \x1b[31m", 0);	/* json-c escapes it */
	D("H\xc3\xa9llo \xf0\x9f\x98\x80", "H\xc3\xa9llo \xf0\x9f\x98\x80", 0);
	D("a\0b", "a" FFFD "b", 1);
	D("\xff", FFFD, 1);
	D("a\xe2\x82" "b", "a" FFFD "b", 1);	/* one per maximal subpart */
	D("\xe2\x82", FFFD, 1);
	D("\xf0\x9f\x98", FFFD, 1);
	D("\xf0\x80\x80\x80", FFFD FFFD FFFD FFFD, 4);
	D("\xc0\xaf", FFFD FFFD, 2);
	D("\xed\xa0\x80", FFFD FFFD FFFD, 3);
	D("\xf4\x90\x80\x80", FFFD FFFD FFFD FFFD, 4);
	s = escape_utf8_dup((const uint8_t *)"x", 1, NULL);	/* bad NULL */
	assert_string_equal(s, "x");
	free(s);
}

/* Every sequence of one, two and three bytes: 16.8 million inputs. */
static void
test_exhaustive_short(void **state)
{
	static const uint8_t third[] = { 0x00, 0x41, 0x7f, 0x80, 0x9f, 0xa0,
	    0xbf, 0xc0, 0xe2, 0xff };
	uint8_t b[3];
	unsigned v;
	size_t bad;
	char *s;

	(void)state;
	for (v = 0; v < (1u << 24); v++) {
		b[0] = (uint8_t)(v >> 16);
		b[1] = (uint8_t)(v >> 8);
		b[2] = (uint8_t)v;
		assert_true((escape_utf8_seq(b, 3) == 3) ==
		    (valid_utf8(b, 3) && b[0] >= 0xe0));
		/* Repair every prefix pair before a few telling third bytes:
		 * the sanitiser build would take minutes on all 2^24. */
		if (memchr(third, b[2], sizeof(third)) == NULL)
			continue;
		s = escape_utf8_dup(b, 3, &bad);
		if (!valid_utf8((uint8_t *)s, strlen(s)))
			fail_msg("invalid dup of %02x %02x %02x",
			    b[0], b[1], b[2]);
		free(s);
	}
	for (v = 0; v < (1u << 16); v++) {
		b[0] = (uint8_t)(v >> 8);
		b[1] = (uint8_t)v;
		assert_json_safe(b, 2);
		assert_text_safe(b, 2);
	}
}

/* Random bytes biased towards UTF-8 lead and continuation bytes. */
static void
test_random(void **state)
{
	static const uint8_t pick[] = { 0x00, 0x1b, 0x7f, 0x80, 0x9b, 0xbf,
	    0xc0, 0xc2, 0xdf, 0xe0, 0xe2, 0xed, 0xef, 0xf0, 0xf4, 0xf5,
	    0xff, 'a', '\\', 0x81, 0xa0, 0xae, 0xa6, 0x8f };
	uint8_t b[24];
	unsigned seed = 12345;
	size_t i, n, round;

	(void)state;
	for (round = 0; round < 50000; round++) {
		n = 1 + round % sizeof(b);
		for (i = 0; i < n; i++) {
			seed = seed * 1103515245 + 12345;
			b[i] = pick[(seed >> 16) % sizeof(pick)];
		}
		assert_json_safe(b, n);
		assert_text_safe(b, n);
	}
}

/* escape_utf8_valid_prefix against the independent validator, on runs
 * mostly of ASCII (its eight-byte steps) with a bad or non-ASCII byte, a
 * NUL or a sequence cut short at every offset. */
static void
test_valid_prefix(void **state)
{
	static const char *const odd[] = { "\xff", "\0", "\xc3\xa9",
	    "\xe2\x82\xac", "\xf0\x9f\x98\x80", "\xe2\x82", "\x80",
	    "\xed\xa0\x80", "\x7f" };
	uint8_t b[40];
	size_t n, at, want, k, round;
	unsigned seed = 777;
	const char *o;

	(void)state;
	for (round = 0; round < 200000; round++) {
		seed = seed * 1103515245 + 12345;
		n = (seed >> 8) % sizeof(b);
		for (k = 0; k < n; k++)
			b[k] = (uint8_t)(' ' + (seed >> (k % 16)) % 94);
		seed = seed * 1103515245 + 12345;
		o = odd[(seed >> 16) % (sizeof(odd) / sizeof(odd[0]))];
		at = n > 0 ? (seed >> 4) % n : 0;
		if (round % 4 != 0 && n > 0) {
			for (k = 0; (o[k] != '\0' || k == 0) && at + k < n;
			    k++)
				b[at + k] = (uint8_t)o[k];
		}
		for (want = 0; want < n; want += k) {
			if (b[want] == 0)
				break;
			for (k = 1; k <= 4 && want + k <= n; k++)
				if (valid_utf8(b + want, k))
					break;
			if (k > 4 || want + k > n)
				break;
		}
		if (escape_utf8_valid_prefix(b, n) != want)
			fail_msg("round %zu: %zu bytes, got %zu, want %zu",
			    round, n, escape_utf8_valid_prefix(b, n), want);
	}
	assert_int_equal(escape_utf8_valid_prefix("abcdefgh\xc3\xa9ijklmnop\0q",
	    18), 18);
	assert_int_equal(escape_utf8_valid_prefix("abcdefgh\xc3\xa9ijklmnop\0q",
	    20), 18);		/* stops at the NUL */
	assert_int_equal(escape_utf8_valid_prefix("abcdefg\x80", 8), 7);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_every_byte_alone),
		cmocka_unit_test(test_every_byte_in_context),
		cmocka_unit_test(test_terminal_escapes),
		cmocka_unit_test(test_valid_utf8_passes),
		cmocka_unit_test(test_invalid_utf8),
		cmocka_unit_test(test_utf8_dup),
		cmocka_unit_test(test_exhaustive_short),
		cmocka_unit_test(test_random),
		cmocka_unit_test(test_valid_prefix),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
