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
	/* line ends inside quanta, fed alone at some splits (decode_feed
	 * returns at once for them): nothing changes, nothing is counted */
	every_split(DECODE_BASE64, "SG\r\nVs\nbG\r8=\n\r", "Hello", 5, 0);
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

/* A growing output for the long inputs below. */
struct big {
	uint8_t	*b;
	size_t	 n, size;
};

static void
big_sink(void *arg, const uint8_t *p, size_t n)
{
	struct big *o = arg;

	if (o->n + n > o->size) {
		o->size = (o->n + n) * 2;
		assert_non_null(o->b = realloc(o->b, o->size));
	}
	memcpy(o->b + o->n, p, n);
	o->n += n;
}

/* in, fed in pieces of at most `piece` bytes, with the vector path on or
 * off; returns the stray count. */
static unsigned
b64_pieces(const uint8_t *in, size_t n, size_t piece, int vector,
    struct big *o)
{
	struct decode d;
	size_t i, k;

	decode_vector(vector);
	o->n = 0;
	decode_init(&d, DECODE_BASE64);
	for (i = 0; i < n; i += k) {
		k = n - i < piece ? n - i : piece;
		decode_feed(&d, in + i, k, big_sink, o);
	}
	decode_finish(&d, big_sink, o);
	return d.bad;
}

/* The byte-wise path, SSSE3 and AVX-512 VBMI (where the CPU has them:
 * decode_vector says which ran) give the same bytes and stray count. */
static void
assert_paths_agree(const uint8_t *in, size_t n, size_t piece)
{
	struct big a = { 0 }, b = { 0 };
	unsigned bad_a, bad_b;
	int level;

	bad_a = b64_pieces(in, n, piece, 0, &a);
	for (level = 1; level <= 2; level++) {
		bad_b = b64_pieces(in, n, piece, level, &b);
		assert_int_equal(bad_a, bad_b);
		assert_int_equal(a.n, b.n);
		if (a.n > 0)
			assert_memory_equal(a.b, b.b, a.n);
	}
	free(a.b);
	free(b.b);
}

/* Every byte value at every place of a block of sixty-four otherwise
 * valid characters (four of sixteen): the vector paths must refuse
 * exactly what the byte-wise path treats as other than an alphabet
 * character. */
static void
test_base64_vector_every_byte(void **state)
{
	static const char alphabet[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZ"
	    "abcdefghijklmnopqrstuvwxyz0123456789+/";
	uint8_t in[192];
	int c, pos, i;

	(void)state;
	for (c = 0; c < 256; c++)
		for (pos = 0; pos < 64; pos++) {
			for (i = 0; i < 192; i++)
				in[i] = (uint8_t)alphabet[(i * 7 + c) % 64];
			in[64 + pos] = (uint8_t)c;
			assert_paths_agree(in, sizeof(in), sizeof(in));
		}
}

/* Which path runs: 2 only where the CPU has AVX-512 VBMI (the default
 * then), and asking for 1 never gives 2. */
static void
test_base64_vector_levels(void **state)
{
	int best;

	(void)state;
	assert_int_equal(decode_vector(0), 0);
	assert_true(decode_vector(1) <= 1);
	best = decode_vector(2);
	assert_int_equal(best, __builtin_cpu_supports("avx512vbmi") &&
	    __builtin_cpu_supports("avx512bw") ? 2 :
	    __builtin_cpu_supports("ssse3") ? 1 : 0);
}

/* Long random bodies: lines of 76 columns (and of lengths that are not
 * whole quanta, and of 16), ended by LF or CRLF, stray bytes, padding in
 * the middle, fed in random-sized pieces. */
static void
test_base64_vector_random(void **state)
{
	static const char alphabet[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZ"
	    "abcdefghijklmnopqrstuvwxyz0123456789+/";
	static const struct { size_t cols; int crlf; } lines[] = {
		{ 76, 0 }, { 76, 1 }, { 73, 1 }, { 72, 0 }, { 16, 1 },
		{ 62, 1 },
	};
	size_t n = 200000, i, col = 0, cols;
	uint8_t *in = malloc(n);
	uint64_t x = 88172645463325252ULL;
	int round, crlf;

	(void)state;
	assert_non_null(in);
	for (round = 0; round < 12; round++) {
		cols = lines[round % 6].cols;
		crlf = lines[round % 6].crlf;
		for (i = 0; i < n; i++) {
			x ^= x << 13;
			x ^= x >> 7;
			x ^= x << 17;
			if (col == cols + (size_t)crlf) {
				in[i] = '\n';
				col = 0;
				continue;
			}
			if (col++ == cols)
				in[i] = '\r';
			else if (round > 0 && x % (2000 / round) == 0)
				in[i] = (uint8_t)(x >> 20);	/* any byte */
			else
				in[i] = (uint8_t)alphabet[(x >> 8) % 64];
		}
		assert_paths_agree(in, n, n);
		assert_paths_agree(in, n, 1 + (size_t)round * 997);
		assert_paths_agree(in, n, 17);
	}
	free(in);
	decode_vector(2);
}

/* The vector path steps over line ends between whole quanta: a body of
 * 76-column CRLF lines decodes to what was encoded. */
static void
test_base64_crlf_lines(void **state)
{
	static const char alphabet[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZ"
	    "abcdefghijklmnopqrstuvwxyz0123456789+/";
	uint8_t raw[5700], enc[8000];
	size_t r, e = 0, col = 0, i;
	struct big o = { 0 };

	(void)state;
	for (i = 0; i < sizeof(raw); i++)
		raw[i] = (uint8_t)(i * 131 + 7);
	for (r = 0; r < sizeof(raw); r += 3) {
		uint32_t v = (uint32_t)raw[r] << 16 | (uint32_t)raw[r + 1] << 8 |
		    raw[r + 2];

		for (i = 0; i < 4; i++)
			enc[e++] = (uint8_t)alphabet[v >> (18 - 6 * i) & 63];
		if ((col += 4) == 76) {
			enc[e++] = '\r';
			enc[e++] = '\n';
			col = 0;
		}
	}
	assert_int_equal(b64_pieces(enc, e, e, 1, &o), 0);
	assert_int_equal(o.n, sizeof(raw));
	assert_memory_equal(o.b, raw, sizeof(raw));
	free(o.b);
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
		cmocka_unit_test(test_base64_vector_every_byte),
		cmocka_unit_test(test_base64_vector_levels),
		cmocka_unit_test(test_base64_vector_random),
		cmocka_unit_test(test_base64_crlf_lines),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
