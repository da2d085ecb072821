/* test_smtp_reply.c: reply lines -> replies: multi-line (postfix EHLO),
 * enhanced codes (RFC 3463), invalid and hostile lines. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>

#include "smtp_reply.h"

static enum smtp_reply_status
push(struct smtp_reply_parser *rp, const char *line)
{
	return smtp_reply_push(rp, (const uint8_t *)line, strlen(line));
}

static void
test_multiline_ehlo(void **state)
{
	struct smtp_reply_parser rp;
	struct smtp_reply r;

	(void)state;
	smtp_reply_parser_init(&rp, 100);
	assert_int_equal(push(&rp, "250-mail.example.org"), SMTP_REPLY_MORE);
	assert_int_equal(push(&rp, "250-PIPELINING"), SMTP_REPLY_MORE);
	assert_int_equal(push(&rp, "250-SIZE 10240000"), SMTP_REPLY_MORE);
	assert_int_equal(push(&rp, "250 CHUNKING"), SMTP_REPLY_DONE);
	smtp_reply_take(&rp, &r);
	assert_int_equal(r.code, 250);
	assert_string_equal(r.enhanced, "");
	assert_string_equal(r.text,
	    "mail.example.org\nPIPELINING\nSIZE 10240000\nCHUNKING");
	assert_int_equal(r.nlines, 4);
	assert_int_equal(r.flags, 0);
	smtp_reply_free(&r);
	smtp_reply_parser_free(&rp);
}

static void
test_enhanced(void **state)
{
	struct smtp_reply_parser rp;
	struct smtp_reply r;

	(void)state;
	smtp_reply_parser_init(&rp, 100);
	assert_int_equal(push(&rp, "250 2.1.0 Ok"), SMTP_REPLY_DONE);
	smtp_reply_take(&rp, &r);
	assert_string_equal(r.enhanced, "2.1.0");
	assert_string_equal(r.text, "Ok");
	smtp_reply_free(&r);
	push(&rp, "550-5.7.1 Message rejected");
	assert_int_equal(push(&rp, "550 5.7.1 see https://x/"),
	    SMTP_REPLY_DONE);
	smtp_reply_take(&rp, &r);
	assert_string_equal(r.enhanced, "5.7.1");
	assert_string_equal(r.text, "Message rejected\nsee https://x/");
	smtp_reply_free(&r);
	/* Not an enhanced code: too many digits, no dots, wrong class. */
	push(&rp, "250 2.1234.0 x");
	smtp_reply_take(&rp, &r);
	assert_string_equal(r.enhanced, "");
	smtp_reply_free(&r);
	push(&rp, "250 3.1.0 x");
	smtp_reply_take(&rp, &r);
	assert_string_equal(r.enhanced, "");
	smtp_reply_free(&r);
	/* Class mismatch is flagged (RFC 3463 2). */
	push(&rp, "421 2.0.0 odd");
	smtp_reply_take(&rp, &r);
	assert_string_equal(r.enhanced, "2.0.0");
	assert_true(r.flags & SMTP_REPLY_ENH_MISMATCH);
	smtp_reply_free(&r);
	/* Code alone. */
	assert_int_equal(push(&rp, "354"), SMTP_REPLY_DONE);
	smtp_reply_take(&rp, &r);
	assert_int_equal(r.code, 354);
	assert_string_equal(r.text, "");
	smtp_reply_free(&r);
	smtp_reply_parser_free(&rp);
}

static void
test_invalid(void **state)
{
	struct smtp_reply_parser rp;
	struct smtp_reply r;
	static const char *const junk[] = {
		"", "25", "2500 x", "650 x", "099 x", "hello", "250x",
		"\x16\x03\x01",
	};

	(void)state;
	smtp_reply_parser_init(&rp, 3);
	for (size_t i = 0; i < sizeof(junk) / sizeof(*junk); i++) {
		assert_int_equal(push(&rp, junk[i]), SMTP_REPLY_JUNK);
		smtp_reply_take(&rp, &r);
		assert_true(r.flags & SMTP_REPLY_INVALID);
		smtp_reply_free(&r);
	}
	/* Inside a reply: invalid and mismatched lines are kept, flagged. */
	push(&rp, "250-a");
	assert_int_equal(push(&rp, "junk"), SMTP_REPLY_MORE);
	assert_int_equal(push(&rp, "251-b"), SMTP_REPLY_MORE);
	for (int i = 0; i < 100; i++)
		push(&rp, "250-more");
	assert_int_equal(push(&rp, "250 end"), SMTP_REPLY_DONE);
	smtp_reply_take(&rp, &r);
	assert_int_equal(r.code, 250);
	assert_true(r.flags & SMTP_REPLY_INVALID);
	assert_true(r.flags & SMTP_REPLY_MISMATCH);
	assert_true(r.flags & SMTP_REPLY_TOO_MANY);
	assert_string_equal(r.text, "a\njunk\nb");
	smtp_reply_free(&r);
	smtp_reply_parser_free(&rp);
}

static void
test_utf8_and_nul(void **state)
{
	struct smtp_reply_parser rp;
	struct smtp_reply r;

	(void)state;
	smtp_reply_parser_init(&rp, 10);
	smtp_reply_push(&rp, (const uint8_t *)"220 h\0\xff", 7);
	smtp_reply_take(&rp, &r);
	assert_int_equal(r.code, 220);
	assert_string_equal(r.text, "h\xef\xbf\xbd\xef\xbf\xbd");
	smtp_reply_free(&r);
	smtp_reply_parser_free(&rp);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_multiline_ehlo),
		cmocka_unit_test(test_enhanced),
		cmocka_unit_test(test_invalid),
		cmocka_unit_test(test_utf8_and_nul),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
