/* test_decode.c: base64 and quoted-printable: any split equals the whole,
 * hostile input is decoded as far as possible and counted. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "decode.h"

struct out {
	char	b[4096];
	size_t	n;
};

static void
sink(void *arg, const uint8_t *p, size_t n)
{
	struct out *o = arg;

	assert_true(o->n + n < sizeof(o->b));
	memcpy(o->b + o->n, p, n);
	o->n += n;
}

static unsigned
run(enum decode_enc enc, const char *in, size_t s1, size_t s2,
    struct out *o)
{
	struct decode d;
	size_t n = strlen(in);

	memset(o, 0, sizeof(*o));
	decode_init(&d, enc);
	decode_feed(&d, (const uint8_t *)in, s1, sink, o);
	decode_feed(&d, (const uint8_t *)in + s1, s2 - s1, sink, o);
	decode_feed(&d, (const uint8_t *)in + s2, n - s2, sink, o);
	decode_finish(&d, sink, o);
	return d.bad;
}

static void
every_split(enum decode_enc enc, const char *in, const char *want,
    size_t wantn, unsigned wantbad)
{
	struct out o;
	size_t n = strlen(in), i, j;

	for (i = 0; i <= n; i++)
		for (j = i; j <= n; j++) {
			assert_int_equal(run(enc, in, i, j, &o), wantbad);
			assert_int_equal(o.n, wantn);
			assert_memory_equal(o.b, want, wantn);
		}
}

static void
test_base64(void **state)
{
	(void)state;
	every_split(DECODE_BASE64, "SGVsbG8g\r\nV29ybGQh\r\n", "Hello World!",
	    12, 0);
	every_split(DECODE_BASE64, "SGk=\r\n", "Hi", 2, 0);
	every_split(DECODE_BASE64, "SG k\t=\r\n", "Hi", 2, 0);
	/* stray characters skipped and counted */
	every_split(DECODE_BASE64, "SG*V\x01sbG8=", "Hello", 5, 2);
	/* cut quantum: the whole bytes are kept, flagged */
	every_split(DECODE_BASE64, "SGVsbG8", "Hello", 5, 1);
	every_split(DECODE_BASE64, "", "", 0, 0);
	every_split(DECODE_BASE64, "!!!!", "", 0, 4);
}

/* Padding ends a quantum and decoding resumes after it, quantum by
 * quantum as mail clients do (suricata-verify bug-6207-2: "NA=" "=Mg"
 * "==" is "42", not "2"). */
static void
test_base64_padding(void **state)
{
	(void)state;
	every_split(DECODE_BASE64, "NA=\r\n=Mg\r\n==\r\n", "42", 2, 0);
	every_split(DECODE_BASE64, "NA==Mg==", "42", 2, 0);
	every_split(DECODE_BASE64, "SGk=SGk=", "HiHi", 4, 0);
	every_split(DECODE_BASE64, "SGk====\r\nSGVsbG8=", "HiHello", 7, 0);
	/* one sextet before '=' makes no byte: counted */
	every_split(DECODE_BASE64, "S=SGk=", "Hi", 2, 1);
	/* a quantum cut without padding at the end: kept, counted */
	every_split(DECODE_BASE64, "NA=Mg", "42", 2, 1);
}

static void
test_qp(void **state)
{
	(void)state;
	every_split(DECODE_QP, "caf=C3=A9 =\r\nsoft\r\nnext", "caf\xc3\xa9 "
	    "soft\r\nnext", 16, 0);
	every_split(DECODE_QP, "a=3db=\nc", "a=bc", 4, 0);
	every_split(DECODE_QP, "bad =ZZ and =4", "bad =ZZ and =4", 14, 2);
	every_split(DECODE_QP, "end=", "end", 3, 0);
	every_split(DECODE_QP, "x==41", "x=A", 3, 1);
}

/* RFC 2045 6.7 rule 3: whitespace at the end of an encoded line was added
 * in transport and is deleted; encoded (=20) or inner spaces stay. */
static void
test_qp_trailing_space(void **state)
{
	(void)state;
	every_split(DECODE_QP, "a b  \r\nc\t \r\n", "a b\r\nc\r\n", 8, 0);
	every_split(DECODE_QP, "a=20\r\nb \nc", "a \r\nb\nc", 7, 0);
	/* before a soft break the spaces are data; after its '=' not */
	every_split(DECODE_QP, "a  =\r\nb= \t\r\nc", "a  bc", 5, 0);
	/* at the very end (the CRLF went to the boundary) */
	every_split(DECODE_QP, "end  ", "end", 3, 0);
	/* '=' then spaces then text: a bad escape, kept */
	every_split(DECODE_QP, "x= y", "x= y", 4, 1);
}

static void
test_identity(void **state)
{
	(void)state;
	every_split(DECODE_IDENTITY, "any\x00thing\r\n", "any", 3, 0);
	assert_int_equal(decode_enc_parse(" Base64 "), DECODE_BASE64);
	assert_int_equal(decode_enc_parse("QUOTED-PRINTABLE"), DECODE_QP);
	assert_int_equal(decode_enc_parse("8bit"), DECODE_IDENTITY);
	assert_int_equal(decode_enc_parse(NULL), DECODE_IDENTITY);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_base64),
		cmocka_unit_test(test_base64_padding),
		cmocka_unit_test(test_qp),
		cmocka_unit_test(test_qp_trailing_space),
		cmocka_unit_test(test_identity),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
