/* bytecount.c: see bytecount.h. */
#include "bytecount.h"

#if defined(__SSE2__)
#include <emmintrin.h>

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
#endif

size_t
bytecount(const void *p, size_t n, uint8_t c)
{
	const uint8_t *s = p;
	size_t count = 0;

#if defined(__SSE2__)
	while (n >= 16) {
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
