/* test_smtp_param.c: MAIL/RCPT paths (null, source routes, quoted local
 * parts, UTF-8, missing brackets), ESMTP params with xtext, EHLO lines. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>

#include <json-c/json.h>

#include "smtp_param.h"

static void
path(const char *arg, const char *prefix, struct smtp_path *p)
{
	assert_int_equal(smtp_param_path((const uint8_t *)arg, strlen(arg),
	    prefix, p), 0);
}

static void
test_paths(void **state)
{
	struct smtp_path p;

	(void)state;
	path("FROM:<alice@example.org>", "FROM:", &p);
	assert_string_equal(p.address, "alice@example.org");
	assert_int_equal(p.flags, 0);
	assert_int_equal(p.params.n, 0);
	smtp_param_path_free(&p);
	path("FROM:<>", "FROM:", &p);
	assert_string_equal(p.address, "");
	assert_int_equal(p.flags, SMTP_PARAM_NULL_PATH);
	smtp_param_path_free(&p);
	/* An empty path is not the null path: flagged, never NULL_PATH. */
	path("FROM:", "FROM:", &p);
	assert_string_equal(p.address, "");
	assert_true(p.flags & SMTP_PARAM_BAD_PATH);
	assert_false(p.flags & SMTP_PARAM_NULL_PATH);
	smtp_param_path_free(&p);
	path("FROM:<", "FROM:", &p);
	assert_true(p.flags & SMTP_PARAM_BAD_PATH);
	assert_false(p.flags & SMTP_PARAM_NULL_PATH);
	smtp_param_path_free(&p);
	path("to:<@foo.com,@bar.org:user@xyz.com>", "TO:", &p);
	assert_string_equal(p.address, "user@xyz.com");
	assert_string_equal(p.route, "@foo.com,@bar.org");
	smtp_param_path_free(&p);
	path("TO:<\"john doe>\"@example.com> NOTIFY=NEVER", "TO:", &p);
	assert_string_equal(p.address, "\"john doe>\"@example.com");
	assert_string_equal(smtp_param_get(&p.params, "NOTIFY")->value,
	    "NEVER");
	smtp_param_path_free(&p);
	path("TO:<j\xc3\xb6rg@b\xc3\xbc.de>", "TO:", &p);
	assert_string_equal(p.address, "j\xc3\xb6rg@b\xc3\xbc.de");
	smtp_param_path_free(&p);
	/* Liberal forms, flagged. */
	path("FROM: <a@b>", "FROM:", &p);
	assert_string_equal(p.address, "a@b");
	assert_int_equal(p.flags, 0);
	smtp_param_path_free(&p);
	path("FROM:a@b SIZE=10", "FROM:", &p);
	assert_string_equal(p.address, "a@b");
	assert_true(p.flags & SMTP_PARAM_NO_BRACKETS);
	assert_string_equal(smtp_param_get(&p.params, "SIZE")->value, "10");
	smtp_param_path_free(&p);
}

static void
test_hostile_paths(void **state)
{
	struct smtp_path p;
	static const char *const bad[] = {
		"", "FROM", "FROM:", "FROM:<", "FROM:<a@b", "FROM:<@x>",
		"FROM:<\"unclosed@x>", "XXXX:<a@b>", "FROM:<a@b>junk",
		"FROM:<a@b> =x ==", "FROM:<a@b> ORCPT=rfc822;a+4", "FROM:\"",
	};

	(void)state;
	for (size_t i = 0; i < sizeof(bad) / sizeof(*bad); i++) {
		path(bad[i], "FROM:", &p);
		assert_non_null(p.address);
		assert_int_not_equal(p.flags, 0);
		smtp_param_path_free(&p);
	}
	/* Embedded NUL: replaced, never cut. */
	assert_int_equal(smtp_param_path((const uint8_t *)"FROM:<a\0b>", 10,
	    "FROM:", &p), 0);
	assert_string_equal(p.address, "a\xef\xbf\xbd" "b");
	smtp_param_path_free(&p);
}

static void
test_params(void **state)
{
	struct smtp_path p;
	struct json_object *o;

	(void)state;
	path("FROM:<a@b> SIZE=1234 BODY=8BITMIME SMTPUTF8 RET=HDRS "
	    "ENVID=QQ314159+2B1 AUTH=<>", "FROM:", &p);
	assert_int_equal(p.params.n, 6);
	assert_null(smtp_param_get(&p.params, "SMTPUTF8")->value);
	assert_string_equal(smtp_param_get(&p.params, "ENVID")->value,
	    "QQ314159+1");
	assert_string_equal(smtp_param_get(&p.params, "ENVID")->raw,
	    "QQ314159+2B1");
	o = smtp_param_list_json(&p.params);
	assert_string_equal(json_object_to_json_string_ext(o,
	    JSON_C_TO_STRING_PLAIN), "{\"SIZE\":\"1234\",\"BODY\":\"8BITMIME\","
	    "\"SMTPUTF8\":true,\"RET\":\"HDRS\",\"ENVID\":\"QQ314159+1\","
	    "\"AUTH\":\"<>\"}");
	json_object_put(o);
	smtp_param_path_free(&p);
	path("TO:<b@c> NOTIFY=SUCCESS,FAILURE orcpt=rfc822;b+2Bx@c", "TO:",
	    &p);
	assert_string_equal(smtp_param_get(&p.params, "ORCPT")->value,
	    "rfc822;b+x@c");
	smtp_param_path_free(&p);
}

static void
test_xtext(void **state)
{
	uint8_t out[16];

	(void)state;
	assert_int_equal(smtp_param_xtext((const uint8_t *)"a+2Bb", 5, out), 3);
	assert_memory_equal(out, "a+b", 3);
	assert_int_equal(smtp_param_xtext((const uint8_t *)"a+2", 3, out), -1);
	assert_int_equal(smtp_param_xtext((const uint8_t *)"+", 1, out), -1);
	assert_int_equal(smtp_param_xtext((const uint8_t *)"+ZZ", 3, out), -1);
}

static void
test_ehlo(void **state)
{
	struct smtp_ext e;
	struct json_object *o;

	(void)state;
	smtp_param_ehlo_line((const uint8_t *)"AUTH PLAIN LOGIN CRAM-MD5", 25,
	    &e);
	o = smtp_param_ext_json(&e);
	assert_string_equal(json_object_to_json_string_ext(o,
	    JSON_C_TO_STRING_PLAIN), "{\"name\":\"AUTH\",\"params\":"
	    "[\"PLAIN\",\"LOGIN\",\"CRAM-MD5\"]}");
	json_object_put(o);
	smtp_param_ext_free(&e);
	smtp_param_ehlo_line((const uint8_t *)"AUTH=LOGIN PLAIN", 16, &e);
	assert_string_equal(e.name, "AUTH");
	assert_int_equal(e.nparams, 2);
	smtp_param_ext_free(&e);
	smtp_param_ehlo_line((const uint8_t *)"8bitmime", 8, &e);
	assert_string_equal(e.name, "8BITMIME");
	assert_int_equal(e.nparams, 0);
	smtp_param_ext_free(&e);
	smtp_param_ehlo_line((const uint8_t *)"", 0, &e);
	assert_string_equal(e.name, "");
	smtp_param_ext_free(&e);
}

static void
test_domain(void **state)
{
	char *d = smtp_param_domain((const uint8_t *)"  mx.example.org \t", 18);

	(void)state;
	assert_string_equal(d, "mx.example.org");
	free(d);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_paths),
		cmocka_unit_test(test_hostile_paths),
		cmocka_unit_test(test_params),
		cmocka_unit_test(test_xtext),
		cmocka_unit_test(test_ehlo),
		cmocka_unit_test(test_domain),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
