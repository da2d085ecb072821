/* test_dotstuff.c: DATA bodies: unstuffing, the CRLF.CRLF end split at every
 * offset, lines and bytes counted, bytes after the end left alone. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>

#include "dotstuff.h"

struct sink {
	char	*out;
	size_t	 n;
	size_t	 calls;
};

static void
collect(void *arg, const uint8_t *p, size_t n)
{
	struct sink *k = arg;

	assert_true(n > 0);	/* no empty runs */
	memcpy(k->out + k->n, p, n);
	k->n += n;
	k->calls++;
}

/* in[0..n) fed in pieces ending at ends[] (the last is n). */
static size_t
run_cuts(const char *in, const size_t *ends, size_t nends,
    char *out, size_t *consumed, struct dotstuff *ds, size_t max_line)
{
	struct sink k = { out, 0, 0 };
	size_t pos = 0;

	dotstuff_init(ds, max_line);
	for (size_t i = 0; i < nends && !ds->done; i++) {
		while (pos < ends[i] && !ds->done)
			pos += dotstuff_take(ds, (const uint8_t *)in + pos,
			    ends[i] - pos, collect, &k);
	}
	out[k.n] = '\0';
	*consumed = pos;
	assert_int_equal(ds->bytes, k.n);
	return k.n;
}

static size_t
run(const char *in, size_t cut, char *out, size_t *consumed,
    struct dotstuff *ds)
{
	size_t n = strlen(in), ends[2] = { cut, n };

	return run_cuts(in, ends, 2, out, consumed, ds, 1000);
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

/* The decoder as RFC 5321 4.5.2 reads, a byte at a time: the model the
 * runs (sixteen bytes a step) must agree with. */
struct model {
	int	 state;		/* 0 line start, 1 ".", 2 ".\r", 3 inside, 4 "\r" */
	int	 done;
	size_t	 used, n, lines, bare, longs, len;
	char	 out[1024];
};

static void
model_byte(struct model *m, char c, size_t max_line)
{
	if (c == '\n') {
		m->lines++;
		m->bare += m->state != 4;
		m->longs += m->len > max_line;
		m->len = 0;
		m->state = 0;
	} else {
		m->len++;
		m->state = c == '\r' ? 4 : 3;
	}
	m->out[m->n++] = c;
}

static void
model_run(struct model *m, const char *in, size_t n, size_t max_line)
{
	memset(m, 0, sizeof(*m));
	for (; m->used < n && !m->done; m->used++) {
		char c = in[m->used];

		if (m->state == 0 && c == '.')
			m->state = 1;
		else if (m->state == 1 && c == '\r')
			m->state = 2;
		else if (m->state == 1 && c == '\n') {
			m->bare++;
			m->done = 1;
		} else if (m->state == 2 && c == '\n')
			m->done = 1;
		else {
			if (m->state == 2) {
				m->out[m->n++] = '\r';
				m->len++;
				m->state = 4;
			}
			model_byte(m, c, max_line);
		}
	}
}

/* Random bodies rich in dots, CRs and LFs, long enough for the sixteen-
 * byte steps, cut at random places: the same message, counts and end as
 * the model, at every max_line. */
static void
test_against_model(void **state)
{
	static const char alphabet[] = "aaaaaaaaaaaaaaaa..\r\n\n\r\n-";
	char in[700], out[1024];
	struct dotstuff ds;
	struct model m;
	unsigned seed = 12345;
	size_t used, got;

	(void)state;
	for (int round = 0; round < 30000; round++) {
		size_t n, ends[4], max_line;

		seed = seed * 1103515245u + 12345u;
		n = 1 + (seed >> 8) % (sizeof(in) - 1);
		for (size_t i = 0; i < n; i++) {
			seed = seed * 1103515245u + 12345u;
			in[i] = alphabet[(seed >> 16) % (sizeof(alphabet) - 1)];
			if (round % 3 == 0 && in[i] == '.')
				in[i] = 'b';	/* long runs with no dot */
		}
		for (int e = 0; e < 3; e++) {
			seed = seed * 1103515245u + 12345u;
			ends[e] = (seed >> 8) % (n + 1);
		}
		ends[3] = n;
		for (int a = 0; a < 3; a++)	/* ascending cuts */
			for (int b = a + 1; b < 3; b++)
				if (ends[b] < ends[a]) {
					size_t t = ends[a];

					ends[a] = ends[b];
					ends[b] = t;
				}
		max_line = (size_t)(round % 4) * 7;	/* 0: no limit */
		/* the three line scans in turn (2 falls back to 1 on a
		 * CPU without AVX-512BW) */
		dotstuff_vector((round / 7) % 3);
		got = run_cuts(in, ends, 4, out, &used, &ds, max_line);
		model_run(&m, in, n, max_line ? max_line : (size_t)-1);
		assert_int_equal(got, m.n);
		assert_memory_equal(out, m.out, m.n);
		assert_int_equal(used, m.used);
		assert_int_equal(ds.done, m.done);
		assert_int_equal(ds.lines, m.lines);
		assert_int_equal(ds.bare_lf, m.bare);
		assert_int_equal(ds.long_lines, m.longs);
	}
	dotstuff_vector(2);
}

/* A body with no stuffed dot comes out as one run of the input, with
 * every line scan. */
static void
test_one_run(void **state)
{
	char in[2000], out[2000];
	struct dotstuff ds;
	size_t n = 0, used;

	(void)state;
	while (n < sizeof(in) - 80) {
		memset(in + n, 'Q', 74);
		memcpy(in + n + 74, "\r\n", 2);
		n += 76;
	}
	for (int level = 0; level <= 2; level++) {
		struct sink k = { out, 0, 0 };

		dotstuff_vector(level);
		dotstuff_init(&ds, 1000);
		used = dotstuff_take(&ds, (const uint8_t *)in, n, collect, &k);
		assert_int_equal(used, n);
		assert_int_equal(k.calls, 1);
		assert_int_equal(k.n, n);
		assert_int_equal(ds.lines, n / 76);
		assert_int_equal(ds.bare_lf, 0);
	}
	assert_true(dotstuff_vector(2) <= (__builtin_cpu_supports("avx512bw") ?
	    2 : 1));
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_split_everywhere),
		cmocka_unit_test(test_empty_and_unterminated),
		cmocka_unit_test(test_bare_lf_and_long),
		cmocka_unit_test(test_against_model),
		cmocka_unit_test(test_one_run),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
