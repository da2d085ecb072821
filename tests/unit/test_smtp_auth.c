/* test_smtp_auth.c: the SASL decoder: PLAIN with and without authzid,
 * LOGIN, CRAM-MD5, cancel, bad base64, the bound; secrets never in notes. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>

#include <json-c/json.h>

#include "smtp_auth.h"

#define S(x) (const uint8_t *)(x), strlen(x)

static void
test_b64(void **state)
{
	uint8_t out[64];

	(void)state;
	assert_int_equal(smtp_auth_b64decode(S("YWJj"), out), 3);
	assert_int_equal(smtp_auth_b64decode(S("YWI="), out), 2);
	assert_int_equal(smtp_auth_b64decode(S("YQ=="), out), 1);
	assert_int_equal(smtp_auth_b64decode(S(""), out), 0);
	assert_int_equal(smtp_auth_b64decode(S("YQ="), out), -1);
	assert_int_equal(smtp_auth_b64decode(S("Y=Q="), out), -1);
	assert_int_equal(smtp_auth_b64decode(S("YW!j"), out), -1);
	assert_int_equal(smtp_auth_b64decode(S("=YWJ"), out), -1);
}

static void
test_plain(void **state)
{
	struct smtp_auth a;
	char note[256];

	(void)state;
	smtp_auth_init(&a, 16384, 0);
	/* "\0alice\0secret" */
	smtp_auth_start(&a, S("PLAIN AGFsaWNlAHNlY3JldA=="), note,
	    sizeof(note));
	assert_string_equal(a.mechanism, "PLAIN");
	assert_string_equal(a.username, "alice");
	assert_null(a.password);
	assert_string_equal(note,
	    "initial response: user \"alice\", password hidden");
	assert_null(strstr(note, "secret"));
	smtp_auth_finish(&a, 235);
	assert_int_equal(a.result, SMTP_AUTH_SUCCESS);
	/* "admin\0bob\0pw" with authzid, then credentials shown. */
	smtp_auth_free(&a);
	smtp_auth_init(&a, 16384, 1);
	smtp_auth_start(&a, S("plain"), note, sizeof(note));
	assert_string_equal(note, "");
	smtp_auth_response(&a, S("YWRtaW4AYm9iAHB3"), note, sizeof(note));
	assert_string_equal(a.authzid, "admin");
	assert_string_equal(a.username, "bob");
	assert_string_equal(a.password, "pw");
	smtp_auth_finish(&a, 535);
	{
		struct json_object *o = smtp_auth_json(&a);

		assert_string_equal(json_object_to_json_string_ext(o,
		    JSON_C_TO_STRING_PLAIN), "{\"mechanism\":\"PLAIN\","
		    "\"username\":\"bob\",\"authzid\":\"admin\",\"result\":"
		    "\"failure\",\"code\":535,\"credentials_shown\":true,"
		    "\"password\":\"pw\"}");
		json_object_put(o);
	}
	smtp_auth_free(&a);
}

static void
test_login_cancel(void **state)
{
	struct smtp_auth a;
	char note[256];

	(void)state;
	smtp_auth_init(&a, 16384, 0);
	smtp_auth_start(&a, S("LOGIN"), note, sizeof(note));
	smtp_auth_challenge(&a, "VXNlcm5hbWU6");
	smtp_auth_response(&a, S("dXNlckBleGFtcGxlLm9yZw=="), note,
	    sizeof(note));
	assert_string_equal(a.username, "user@example.org");
	assert_string_equal(note,
	    "AUTH LOGIN response: user \"user@example.org\"");
	smtp_auth_challenge(&a, "UGFzc3dvcmQ6");
	smtp_auth_response(&a, S("cGFzc3dvcmQ="), note, sizeof(note));
	assert_string_equal(note, "AUTH LOGIN response: password hidden");
	assert_null(a.password);
	smtp_auth_finish(&a, 235);
	/* A second AUTH, cancelled. */
	smtp_auth_start(&a, S("CRAM-MD5"), note, sizeof(note));
	assert_null(a.username);
	smtp_auth_response(&a, S("*"), note, sizeof(note));
	smtp_auth_finish(&a, 501);
	assert_int_equal(a.result, SMTP_AUTH_CANCELLED);
	smtp_auth_free(&a);
}

static void
test_hostile(void **state)
{
	struct smtp_auth a;
	char note[256], big[40000];

	(void)state;
	smtp_auth_init(&a, 1000, 0);
	smtp_auth_start(&a, S("PLAIN !!!notbase64"), note, sizeof(note));
	assert_true(a.flags & SMTP_AUTH_BAD_BASE64);
	assert_null(a.username);
	a.flags = 0;
	/* base64 of "no-nul-here": PLAIN without NULs. */
	smtp_auth_response(&a, S("bm8tbnVsLWhlcmU="), note, sizeof(note));
	assert_true(a.flags & SMTP_AUTH_BAD_BASE64);
	a.flags = 0;
	memset(big, 'A', sizeof(big) - 1);
	big[sizeof(big) - 1] = '\0';
	smtp_auth_response(&a, S(big), note, sizeof(note));
	assert_true(a.flags & SMTP_AUTH_TOO_LONG);
	/* Control bytes in a user name never reach the note. */
	smtp_auth_start(&a, S("PLAIN ABtbMzFtZXZpbABw"), note, sizeof(note));
	assert_null(strchr(note, 0x1b));
	smtp_auth_free(&a);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_b64),
		cmocka_unit_test(test_plain),
		cmocka_unit_test(test_login_cancel),
		cmocka_unit_test(test_hostile),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
