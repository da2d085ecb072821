/* dotstuff.c: RFC 5321 4.5.2 transparency: a line starting with "." has had
 * one dot added; the line "." alone ends the data. The end marker may be split
 * at any byte. A bare LF ends a line too (accepted and counted, as most MTAs
 * do); it must never drop or invent a message byte otherwise.
 *
 * Almost every line starts with something else than a dot, so the bytes
 * between two such line starts pass on as one run of the input: counting
 * the lines is the only per-byte work: sixty-four bytes at a time with
 * AVX-512BW, sixteen with SSE2 (every x86-64 CPU). */
#include <string.h>

#include "dotstuff.h"
#include "simd_level.h"

#if defined(__SSE2__)
#include <immintrin.h>
#define HAVE_DOTSTUFF_SSE2	1
#endif

enum {
	DS_BOL,		/* at the beginning of a line */
	DS_DOT,		/* "." seen at the beginning of a line */
	DS_DOT_CR,	/* ".\r" seen at the beginning of a line */
	DS_MID,		/* inside a line */
	DS_CR,		/* "\r" seen inside a line */
};

static const uint8_t held_cr[1] = { '\r' };

void
dotstuff_init(struct dotstuff *ds, size_t max_line)
{
	memset(ds, 0, sizeof(*ds));
	ds->state = DS_BOL;
	ds->max_line = max_line;
}

/* A line ends: its LF came after `len` more bytes of it. */
static void
dotstuff_eol(struct dotstuff *ds, size_t len, int bare)
{
	ds->lines++;
	ds->bare_lf += (uint64_t)bare;
	ds->line_len += len;
	if (ds->max_line > 0 && ds->line_len > ds->max_line)
		ds->long_lines++;
	ds->line_len = 0;
}

#ifdef HAVE_DOTSTUFF_SSE2
static int	dotstuff_level = -1;	/* -1: not asked the CPU yet */

/* The LFs of one step (bit k: the byte at i + k), with prev_cr (bit k:
 * a CR before it) and stop (an LF followed by '.'). 1 if it stopped:
 * *from is then that dot's index. */
static inline int
step_lfs(struct dotstuff *ds, size_t i, uint64_t lf, uint64_t prev_cr,
    uint64_t stop, size_t *from)
{
	if (stop != 0)	/* the LFs up to the first dot's (wraps at bit 63) */
		lf &= (stop & -stop) * 2 - 1;
	while (lf != 0) {
		unsigned at = (unsigned)__builtin_ctzll(lf);

		dotstuff_eol(ds, i + at - *from, !(prev_cr >> at & 1));
		*from = i + at + 1;
		lf &= lf - 1;
	}
	if (stop != 0)
		ds->state = DS_BOL;
	return stop != 0;
}

/* Where the steps ended at i, the current line starting at from. */
static size_t
steps_end(struct dotstuff *ds, const uint8_t *p, size_t start, size_t from,
    size_t i)
{
	ds->line_len += i - from;
	if (i > from)
		ds->state = p[i - 1] == '\r' ? DS_CR : DS_MID;
	else if (from > start)
		ds->state = DS_BOL;	/* the step ended on an LF */
	return i;
}

static unsigned
mask_of(__m128i v, char c)
{
	return (unsigned)_mm_movemask_epi8(_mm_cmpeq_epi8(v,
	    _mm_set1_epi8(c)));
}

/*
 * Lines inside p[i..n), sixteen bytes a step, while a step and the byte
 * after it are there. Stops after an LF followed by '.' (returns the
 * dot's index, state DS_BOL) or where fewer than 17 bytes are left
 * (state and line_len say where the line stands).
 */
static size_t
lines_sse2(struct dotstuff *ds, const uint8_t *p, size_t i, size_t n)
{
	size_t start = i, from = i;	/* from: the current line's start */
	unsigned carry_cr = ds->state == DS_CR;

	for (; n - i >= 17; i += 16) {
		__m128i v = _mm_loadu_si128((const __m128i *)(const void *)
		    (p + i));
		unsigned lf = mask_of(v, '\n'), cr = mask_of(v, '\r');
		unsigned prev_cr = (cr << 1) | carry_cr;

		carry_cr = (cr >> 15) & 1;
		if (lf != 0 && step_lfs(ds, i, lf, prev_cr, lf & mask_of(
		    _mm_loadu_si128((const __m128i *)(const void *)
		    (p + i + 1)), '.'), &from))
			return from;
	}
	return steps_end(ds, p, start, from, i);
}

/* The same, sixty-four bytes a step (AVX-512BW): a 76-column line in one
 * step and a bit instead of five. */
__attribute__((target("avx512f,avx512bw")))
static size_t
lines_avx512(struct dotstuff *ds, const uint8_t *p, size_t i, size_t n)
{
	const __m512i nl = _mm512_set1_epi8('\n'), cr_ = _mm512_set1_epi8('\r'),
	    dot = _mm512_set1_epi8('.');
	size_t start = i, from = i;
	uint64_t carry_cr = ds->state == DS_CR;

	for (; n - i >= 65; i += 64) {
		__m512i v = _mm512_loadu_si512(p + i);
		uint64_t lf = _mm512_cmpeq_epi8_mask(v, nl);
		uint64_t cr = _mm512_cmpeq_epi8_mask(v, cr_);
		uint64_t prev_cr = (cr << 1) | carry_cr;

		carry_cr = cr >> 63;
		if (lf != 0 && step_lfs(ds, i, lf, prev_cr, lf &
		    _mm512_cmpeq_epi8_mask(_mm512_loadu_si512(p + i + 1), dot),
		    &from))
			return from;
	}
	return steps_end(ds, p, start, from, i);
}

int
dotstuff_vector(int level)
{
	dotstuff_level = simd_level(level, 1,
	    __builtin_cpu_supports("avx512bw"));
	return dotstuff_level;
}
#else
int
dotstuff_vector(int level)
{
	(void)level;
	return 0;
}
#endif

/*
 * Passes the line bytes from p[i] on (inside a line, or at a line start
 * that is not a dot): returns where a line start needs the state machine
 * (after an LF), or n.
 */
static size_t
lines_run(struct dotstuff *ds, const uint8_t *p, size_t i, size_t n)
{
	const uint8_t *lf;
	size_t k;
#ifdef HAVE_DOTSTUFF_SSE2
	size_t start = i;

	if (dotstuff_level < 0)
		dotstuff_vector(2);
	if (dotstuff_level == 2) {
		i = lines_avx512(ds, p, i, n);
		if (i == n || (i > start && ds->state == DS_BOL))
			return i;
	}
	if (dotstuff_level >= 1) {
		start = i;
		i = lines_sse2(ds, p, i, n);
		if (i == n || (i > start && ds->state == DS_BOL))
			return i;
	}
#endif
	if ((lf = memchr(p + i, '\n', n - i)) == NULL) {
		ds->line_len += n - i;
		ds->state = p[n - 1] == '\r' ? DS_CR : DS_MID;
		return n;
	}
	k = (size_t)(lf - (p + i));
	dotstuff_eol(ds, k, k > 0 ? lf[-1] != '\r' : ds->state != DS_CR);
	ds->state = DS_BOL;
	return i + k + 1;
}

/* Hands p[from..to) to the sink; the message's bytes are counted there. */
static void
emit(struct dotstuff *ds, const uint8_t *p, size_t from, size_t to,
    dotstuff_sink *sink, void *arg)
{
	if (to > from) {
		sink(arg, p + from, to - from);
		ds->bytes += to - from;
	}
}

size_t
dotstuff_take(struct dotstuff *ds, const uint8_t *p, size_t n,
    dotstuff_sink *sink, void *arg)
{
	size_t i = 0, run = 0;	/* p[run..i) is message, not yet emitted */

	while (i < n && !ds->done) {
		uint8_t c = p[i];

		switch (ds->state) {
		case DS_BOL:
			if (c == '.') {
				emit(ds, p, run, i, sink, arg);
				ds->state = DS_DOT;
				run = ++i;
				continue;
			}
			break;		/* the line's first byte: a run */
		case DS_DOT:
			if (c == '\r') {
				ds->state = DS_DOT_CR;
				run = ++i;	/* held: an end, or a byte */
			} else if (c == '\n') {
				ds->bare_lf++;
				ds->done = 1;
				run = ++i;
			} else	/* the dot was stuffing: c starts a run */
				ds->state = DS_MID;
			continue;
		case DS_DOT_CR:
			if (c == '\n') {
				ds->done = 1;
				run = ++i;
				continue;
			}
			/* ".\rX": a stuffed line starting with CR; X is
			 * read by the run below, after that CR. */
			emit(ds, held_cr, 0, 1, sink, arg);
			ds->line_len++;
			ds->state = DS_CR;
			break;
		default:
			break;
		}
		i = lines_run(ds, p, i, n);
	}
	emit(ds, p, run, i, sink, arg);
	return i;
}
