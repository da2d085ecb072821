/* test_address.c: RFC 5322 address lists: address_simple.c's fast path
 * against GMime's reading on plain lists and on near misses, and GMime's
 * reading of the harder forms (quotes, comments, groups, encoded words,
 * bytes that are not UTF-8). */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include <json-c/json.h>

#include "address.h"
#include "address_simple.h"
#include "test_rand.h"

static const char *
member(json_object *a, size_t i, const char *key)
{
	json_object *v;

	if (!json_object_object_get_ex(json_object_array_get_idx(a, i), key,
	    &v))
		return NULL;
	return json_object_get_string(v);
}

static void
test_harder_forms(void **state)
{
	json_object *a;
	unsigned bad = 0, bu = 0;

	(void)state;
	a = address_list_parse("\"Doe, John\" <john@x.org>, (c) k@y.org "
	    "(Kim), Team: m@z.org, =?UTF-8?Q?J=C3=B6?= <jo@z.org>;", &bad, &bu);
	assert_int_equal(json_object_array_length(a), 4);
	assert_string_equal(member(a, 0, "name"), "Doe, John");
	assert_string_equal(member(a, 1, "address"), "k@y.org");
	assert_string_equal(member(a, 3, "name"), "J\xc3\xb6");
	assert_string_equal(member(a, 3, "group"), "Team");
	assert_null(member(a, 0, "group"));
	assert_int_equal(bad, 0);
	assert_int_equal(bu, 0);
	json_object_put(a);
	a = address_list_parse("@@@, foo", &bad, &bu);
	assert_true(bad > 0);
	json_object_put(a);
	bad = 0;
	a = address_list_parse("\xff\xfe <a@b.c>", &bad, &bu);
	assert_int_equal(json_object_array_length(a), 1);
	assert_string_equal(member(a, 0, "address"), "a@b.c");
	/* GMime reads bytes that are not UTF-8 as Latin-1 */
	assert_string_equal(member(a, 0, "name"), "\xc3\xbf\xc3\xbe");
	assert_int_equal(bad, 0);
	assert_int_equal(bu, 0);
	json_object_put(a);
}

/* Lists the fast path reads, and what it reads in them. */
static void
test_simple_taken(void **state)
{
	struct address_span m[ADDRESS_SIMPLE_MAX];
	char many[ADDRESS_SIMPLE_MAX * 8 + 16];
	size_t i;

	(void)state;
	assert_int_equal(address_simple_scan("a@b.c", m, 4), 1);
	assert_int_equal(m[0].nname, 0);
	assert_int_equal(m[0].naddr, 5);
	assert_int_equal(address_simple_scan(" <x.y+z@mail.b-c.org> ", m, 4),
	    1);
	assert_true(m[0].naddr == 18 &&
	    memcmp(m[0].addr, "x.y+z@mail.b-c.org", 18) == 0);
	assert_int_equal(address_simple_scan("Jane Q Doe <j@x.org>,k@y.org,"
	    "\tMail-Daemon_2 <m@z>, \"Doe, J. (x)\" <d@x>", m, 4), 4);
	assert_true(m[0].nname == 10 && memcmp(m[0].name, "Jane Q Doe",
	    10) == 0);
	assert_true(m[2].nname == 13 && memcmp(m[2].name, "Mail-Daemon_2",
	    13) == 0);
	assert_true(m[2].naddr == 3 && memcmp(m[2].addr, "m@z", 3) == 0);
	assert_true(m[3].nname == 11 && memcmp(m[3].name, "Doe, J. (x)",
	    11) == 0);
	/* as many as fit, not one more */
	many[0] = '\0';
	for (i = 0; i < ADDRESS_SIMPLE_MAX; i++)
		strcat(many, i ? ",a@b.c" : "a@b.c");
	assert_int_equal(address_simple_scan(many, m, ADDRESS_SIMPLE_MAX),
	    ADDRESS_SIMPLE_MAX);
	strcat(many, ",a@b.c");
	assert_int_equal(address_simple_scan(many, m, ADDRESS_SIMPLE_MAX), 0);
}

/* Near misses: each has something GMime reads its own way. */
static void
test_simple_refused(void **state)
{
	static const char *const refused[] = {
		"", " ", "a", "a@", "@b.c", "a@b.", "a@.b", ".a@b", "a.@b",
		"a..b@c", "a@b..c", "a@b,", ",a@b", "a@b,,c@d", "a@b;",
		"\"a\"@b", "a@[1.2.3.4]", "a@xn--bcher-kva.example",
		"a@XN--bcher-kva.example", "J. Doe <j@x>", "Jane  Doe <j@x>",
		"Jane\tDoe <j@x>", "Jane <j@x", "Jane j@x", "<j@x> Jane",
		"Jane<j@x>", "=?utf-8?q?J?= <j@x>",
		"Jane (x) <j@x>", "a@b (c)", "g: a@b;", "a=b@c", "a?b@c",
		"Jos\xc3\xa9 <j@x>", "j\xc3\xa9@x", "<j@x>>", "< j@x>",
		"<j@x >", "Jane <j@x>, ", "a@b\n", "a@b_c", "\"\" <j@x>",
		"\" J\" <j@x>", "\"J \" <j@x>", "\"J  D\" <j@x>",
		"\"J\tD\" <j@x>", "\"J\\\"D\" <j@x>", "\"=?a?q?b?=\" <j@x>",
		"\"J\"<j@x>", "\"J\"  <j@x>", "\"J\" \"D\" <j@x>", "\"J <j@x>",
		"\"Jos\xc3\xa9\" <j@x>",
	};
	struct address_span m[4];
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(refused) / sizeof(refused[0]); i++) {
		if (address_simple_scan(refused[i], m, 4) != 0)
			fail_msg("taken: \"%s\"", refused[i]);
	}
}

static const char *const locals[] = {
	"a", "john.doe", "x+tag", "UPPER", "o'neil", "a_b", "1", "a.b.c",
	"~u", "a{b}", "a/b", "a!b#c$d%e&f*g", "a..b", ".a", "a.", "\"q\"",
	"a=b", "a?b", "j\xc3\xa9",
};
static const char *const domains[] = {
	"b.c", "example.org", "Mail.Example.COM", "x", "a-b.c", "-a.b",
	"a-.b", "1.2.3.4", "xn--bcher-kva.example", "[1.2.3.4]", "b..c",
	"b.c.", "b_c", "\xc3\xa9.fr",
};
static const char *const words[] = {
	"Jane", "Doe", "Q", "Mail-Daemon", "a_b", "42", "\"sybil\"",
	"\"Doe, J.\"", "\"a(b);c:<d>@[e]\"", "J.", "\" x\"", "\"x \"",
	"\"a  b\"", "\"a\tb\"", "\"\"", "\"a\\\"b\"", "\"=?utf-8?q?J?=\"",
	"\"Jos\xc3\xa9\"",
	"=?UTF-8?Q?J=C3=B6?=", "(c)", "Jos\xc3\xa9", "O'Neil", "a@b", "",
};
static const char *const blanks_[] = { "", " ", " ", "  ", "\t" };
static const char *const seps[] = { ",", ", ", ",", " , ", ",,", ";" };

#define PICK(t)	((t)[next_rand() % (sizeof(t) / sizeof((t)[0]))])
/* Mostly one of the first `plain` entries, the plain forms. */
#define PICK_PLAIN(t, plain) \
	(next_rand() % 8 ? (t)[next_rand() % (plain)] : PICK(t))

static void
add_mailbox(char *s, size_t size)
{
	char addr[128];
	int k = (int)(next_rand() % 4), w, nw;

	snprintf(addr, sizeof(addr), "%s@%s", PICK_PLAIN(locals, 12),
	    PICK_PLAIN(domains, 5));
	if (k == 0) {
		strncat(s, addr, size - strlen(s) - 1);
		return;
	}
	if (k >= 2) {
		nw = 1 + (int)(next_rand() % 3);
		for (w = 0; w < nw; w++) {
			if (w > 0)
				strncat(s, next_rand() % 8 ? " " : PICK(blanks_),
				    size - strlen(s) - 1);
			strncat(s, PICK_PLAIN(words, 9),
			    size - strlen(s) - 1);
		}
		strncat(s, next_rand() % 8 ? " " : PICK(blanks_),
		    size - strlen(s) - 1);
	}
	strncat(s, "<", size - strlen(s) - 1);
	strncat(s, addr, size - strlen(s) - 1);
	strncat(s, ">", size - strlen(s) - 1);
}

/* Random lists, mostly plain, some with one thing wrong: the result and
 * both counters must be GMime's, and the fast path must have been taken
 * often enough for the comparison to mean something. */
static void
test_same_as_gmime(void **state)
{
	struct address_span m[ADDRESS_SIMPLE_MAX];
	char s[2048];
	json_object *a, *g;
	unsigned bad, bu, gbad, gbu;
	int i, j, n, taken = 0;
	const char *ja, *jg;

	(void)state;
	address_gmime_init();
	for (i = 0; i < 20000; i++) {
		s[0] = '\0';
		strncat(s, PICK(blanks_), sizeof(s) - 1);
		n = 1 + (int)(next_rand() % 4);
		for (j = 0; j < n; j++) {
			if (j > 0) {
				strncat(s, next_rand() % 4 ? ", " : PICK(seps),
				    sizeof(s) - strlen(s) - 1);
			}
			add_mailbox(s, sizeof(s));
		}
		strncat(s, PICK(blanks_), sizeof(s) - strlen(s) - 1);
		bad = bu = gbad = gbu = 0;
		a = address_list_parse(s, &bad, &bu);
		g = address_list_parse_gmime(s, &gbad, &gbu);
		ja = json_object_to_json_string_ext(a, JSON_C_TO_STRING_PLAIN);
		jg = json_object_to_json_string_ext(g, JSON_C_TO_STRING_PLAIN);
		if (strcmp(ja, jg) != 0 || bad != gbad || bu != gbu)
			fail_msg("\"%s\":\n  fast  %s (%u %u)\n  gmime %s "
			    "(%u %u)", s, ja, bad, bu, jg, gbad, gbu);
		taken += address_simple_scan(s, m, ADDRESS_SIMPLE_MAX) > 0;
		json_object_put(a);
		json_object_put(g);
	}
	assert_true(taken > 2000);
	assert_true(taken < 18000);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_harder_forms),
		cmocka_unit_test(test_simple_taken),
		cmocka_unit_test(test_simple_refused),
		cmocka_unit_test(test_same_as_gmime),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
