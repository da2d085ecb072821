/* test_rfc2047.c: encoded words, RFC 2231 values and UTF-8 cleaning, with
 * hostile input (address lists: test_address.c). */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "mime.h"
#include "rfc2047.h"

static void
dec(const char *in, const char *want, unsigned bad_words, unsigned bad_utf8)
{
	struct rfc2047_flags f = { 0, 0 };
	char *s = rfc2047_decode(in, strlen(in), &f);

	assert_non_null(s);
	assert_string_equal(s, want);
	assert_int_equal(f.bad_words, bad_words);
	assert_int_equal(f.bad_utf8, bad_utf8);
	free(s);
}

static void
test_encoded_words(void **state)
{
	(void)state;
	dec("plain", "plain", 0, 0);
	dec("=?UTF-8?B?SsO8cmdlbg==?=", "J\xc3\xbcrgen", 0, 0);
	dec("=?iso-8859-1?q?caf=E9_au_lait?=", "caf\xc3\xa9 au lait", 0, 0);
	/* adjacent words joined, the space between them dropped */
	dec("=?UTF-8?Q?a?= =?UTF-8?Q?b?=", "ab", 0, 0);
	/* a multi-byte character split across two words */
	dec("=?UTF-8?B?w4==?= =?UTF-8?B?qQ==?=", "\xc3\xa9", 0, 0);
	dec("Re: =?koi8-r?B?8NLJ18XU?= x", "Re: \xd0\x9f\xd1\x80\xd0\xb8"
	    "\xd0\xb2\xd0\xb5\xd1\x82 x", 0, 0);
	dec("=?ISO-2022-JP?B?GyRCJDMkcxsoQg==?=", "\xe3\x81\x93\xe3\x82\x93",
	    0, 0);
	dec("=?utf-8*en?Q?hi?=", "hi", 0, 0);
	/* invalid: unknown charset, bad base64, bad Q escape: kept raw */
	dec("=?x-nonsense?Q?abc?=", "=?x-nonsense?Q?abc?=", 1, 0);
	dec("=?UTF-8?B?@@@@?=", "=?UTF-8?B?@@@@?=", 1, 0);
	dec("=?UTF-8?Q?a=ZZ?=", "=?UTF-8?Q?a=ZZ?=", 1, 0);
	dec("=?UTF-8?X?abc?=", "=?UTF-8?X?abc?=", 1, 0);
	dec("a =? b", "a =? b", 1, 0);
	/* invalid UTF-8 (raw or decoded) becomes U+FFFD */
	dec("caf\xe9", "caf\xef\xbf\xbd", 0, 1);
	dec("=?UTF-8?B?/w==?=", "\xef\xbf\xbd", 0, 1);
	dec("\xed\xa0\x80", "\xef\xbf\xbd\xef\xbf\xbd\xef\xbf\xbd", 0, 3);
	/* at the start, between valid runs, two in a row, and a sequence
	 * cut short at the end (each of its bytes replaced) */
	dec("\xe9" "abc\xff\xfe" "d\xc3\xa9\xe2\x82",
	    "\xef\xbf\xbd" "abc\xef\xbf\xbd\xef\xbf\xbd" "d\xc3\xa9"
	    "\xef\xbf\xbd\xef\xbf\xbd", 0, 5);
	/* valid runs longer than the first buffer, around one bad byte */
	dec("\xe2\x82\xac 0123456789012345678901234567890123456789"
	    "0123456789012345678901234567890123456789\x80\xe2\x82\xac"
	    "0123456789012345678901234567890123456789"
	    "0123456789012345678901234567890123456789\xf0\x9f\x98\x80",
	    "\xe2\x82\xac 0123456789012345678901234567890123456789"
	    "0123456789012345678901234567890123456789\xef\xbf\xbd\xe2\x82\xac"
	    "0123456789012345678901234567890123456789"
	    "0123456789012345678901234567890123456789\xf0\x9f\x98\x80", 0, 1);
}

static void
test_rfc2231(void **state)
{
	char *raw, *v;
	struct mime_param_flags f = { 0, 0, 0 };

	(void)state;
	v = mime_param("attachment; filename*=UTF-8''%e2%82%ac.txt",
	    "filename", &raw, &f);
	assert_string_equal(v, "\xe2\x82\xac.txt");
	assert_string_equal(raw, "UTF-8''%e2%82%ac.txt");
	free(v);
	free(raw);
	v = mime_param("a; filename*1*=%20b; filename*0*=us-ascii'en'a;"
	    " filename*2=\"c.txt\"", "filename", NULL, &f);
	assert_string_equal(v, "a bc.txt");
	free(v);
	/* continuation with a gap: joined up to the gap */
	v = mime_param("a; filename*0=x; filename*5=y", "filename", NULL, &f);
	assert_string_equal(v, "x");
	free(v);
	/* hostile index */
	v = mime_param("a; filename*99999999999999999999=z; filename=q",
	    "filename", NULL, &f);
	assert_string_equal(v, "q");
	assert_true(f.bad_param > 0);
	free(v);
	/* unknown charset: bytes shown, cleaned and flagged */
	f.bad_words = 0;
	v = mime_param("a; filename*=bogus''%ff", "filename", NULL, &f);
	assert_string_equal(v, "\xef\xbf\xbd");
	assert_true(f.bad_words > 0);
	free(v);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_encoded_words),
		cmocka_unit_test(test_rfc2231),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
