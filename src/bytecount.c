/* bytecount.c: see bytecount.h. */
#include "bytecount.h"
#include "simd_level.h"

#if defined(__SSE2__)
#include <immintrin.h>

static int	bytecount_level = -1;	/* -1: not asked the CPU yet */

/* Each lane of acc counts its matches (cmpeq gives -1 per match, so
 * subtracting adds one); a lane holds at most 255, so the lanes are
 * summed (psadbw against zero) every 255 blocks at the latest. */
static size_t
count_blocks(const uint8_t *s, size_t blocks, uint8_t c)
{
	const __m128i needle = _mm_set1_epi8((char)c);
	__m128i acc = _mm_setzero_si128(), sums;

	for (size_t i = 0; i < blocks; i++, s += 16)
		acc = _mm_sub_epi8(acc, _mm_cmpeq_epi8(
		    _mm_loadu_si128((const __m128i *)(const void *)s), needle));
	sums = _mm_sad_epu8(acc, _mm_setzero_si128());
	return (size_t)_mm_extract_epi16(sums, 0) +
	    (size_t)_mm_extract_epi16(sums, 4);
}

/* Sixty-four bytes a step: the matches' mask, counted (AVX-512BW). */
__attribute__((target("avx512f,avx512bw,popcnt")))
static size_t
count_avx512(const uint8_t *s, size_t blocks, uint8_t c)
{
	const __m512i needle = _mm512_set1_epi8((char)c);
	size_t count = 0;

	for (size_t i = 0; i < blocks; i++, s += 64)
		count += (size_t)__builtin_popcountll(_mm512_cmpeq_epi8_mask(
		    _mm512_loadu_si512(s), needle));
	return count;
}

int
bytecount_vector(int level)
{
	bytecount_level = simd_level(level, 1,
	    __builtin_cpu_supports("avx512bw") &&
	    __builtin_cpu_supports("popcnt"));
	return bytecount_level;
}
#else
int
bytecount_vector(int level)
{
	(void)level;
	return 0;
}
#endif

size_t
bytecount(const void *p, size_t n, uint8_t c)
{
	const uint8_t *s = p;
	size_t count = 0;

#if defined(__SSE2__)
	if (bytecount_level < 0)
		bytecount_vector(2);
	if (bytecount_level == 2 && n >= 64) {
		count += count_avx512(s, n / 64, c);
		s += n / 64 * 64;
		n %= 64;
	}
	while (bytecount_level >= 1 && n >= 16) {
		size_t blocks = n / 16 < 255 ? n / 16 : 255;

		count += count_blocks(s, blocks, c);
		s += blocks * 16;
		n -= blocks * 16;
	}
#endif
	for (; n > 0; n--)
		count += *s++ == c;
	return count;
}
