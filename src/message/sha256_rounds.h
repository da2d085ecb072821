/* sha256_rounds.h: the SHA-256 block function (FIPS 180-4) with the x86
 * SHA extensions, as macros over named variables so that md5sha.c can
 * interleave it with MD5's steps and with a second lane. After Intel's
 * published sequence: the state lives as ABEF and CDGH in L_s0 and L_s1,
 * the message schedule in L_w0..L_w3 (w[i % 4] holds words 4i..4i+3).
 * Only for functions compiled with target("sha,sse4.1,ssse3"). */
#ifndef SMTPSCOPE_SHA256_ROUNDS_H
#define SMTPSCOPE_SHA256_ROUNDS_H

#include <immintrin.h>
#include <stdint.h>

extern const uint32_t sha256_k[64];

#define SHA256_BSWAP	_mm_set_epi64x(0x0c0d0e0f08090a0bULL,		\
			    0x0405060700010203ULL)

#define SHA256_VARS(L)							\
	__m128i L##_s0, L##_s1, L##_t, L##_m, L##_w0, L##_w1, L##_w2,	\
	    L##_w3, L##_k0, L##_k1
/* From h[0..7] (a..h) to ABEF, CDGH, and back. */
#define SHA256_LOAD(L, h)						\
	L##_t = _mm_loadu_si128((const __m128i *)(const void *)&(h)[0]); \
	L##_s1 = _mm_loadu_si128((const __m128i *)(const void *)&(h)[4]); \
	L##_t = _mm_shuffle_epi32(L##_t, 0xB1);				\
	L##_s1 = _mm_shuffle_epi32(L##_s1, 0x1B);			\
	L##_s0 = _mm_alignr_epi8(L##_t, L##_s1, 8);			\
	L##_s1 = _mm_blend_epi16(L##_s1, L##_t, 0xF0)
#define SHA256_STORE(L, h)						\
	L##_t = _mm_shuffle_epi32(L##_s0, 0x1B);			\
	L##_s1 = _mm_shuffle_epi32(L##_s1, 0xB1);			\
	L##_s0 = _mm_blend_epi16(L##_t, L##_s1, 0xF0);			\
	L##_s1 = _mm_alignr_epi8(L##_s1, L##_t, 8);			\
	_mm_storeu_si128((__m128i *)(void *)&(h)[0], L##_s0);		\
	_mm_storeu_si128((__m128i *)(void *)&(h)[4], L##_s1)
#define SHA256_W(L, p, j)						\
	L##_w##j = _mm_shuffle_epi8(_mm_loadu_si128(			\
	    (const __m128i *)(const void *)((p) + 16 * (j))), SHA256_BSWAP)
/* A block begins (state kept, its 16 words loaded) and ends. */
#define SHA256_BEGIN(L, p)						\
	L##_k0 = L##_s0; L##_k1 = L##_s1;				\
	SHA256_W(L, p, 0); SHA256_W(L, p, 1);				\
	SHA256_W(L, p, 2); SHA256_W(L, p, 3)
#define SHA256_END(L)							\
	L##_s0 = _mm_add_epi32(L##_s0, L##_k0);				\
	L##_s1 = _mm_add_epi32(L##_s1, L##_k1)
/* Rounds 4i..4i+3; c = i % 4, p = (i + 3) % 4, n = (i + 1) % 4. M2: the
 * schedule completes w[n] (i in 3..14); M1: it starts w[p] (i in 1..12). */
#define SHA256_G(L, i, c, p, n, M2, M1)					\
	L##_m = _mm_add_epi32(L##_w##c, _mm_load_si128(			\
	    (const __m128i *)(const void *)&sha256_k[4 * (i)]));	\
	L##_s1 = _mm_sha256rnds2_epu32(L##_s1, L##_s0, L##_m);		\
	if (M2) {							\
		L##_t = _mm_alignr_epi8(L##_w##c, L##_w##p, 4);		\
		L##_w##n = _mm_add_epi32(L##_w##n, L##_t);		\
		L##_w##n = _mm_sha256msg2_epu32(L##_w##n, L##_w##c);	\
	}								\
	L##_m = _mm_shuffle_epi32(L##_m, 0x0E);				\
	L##_s0 = _mm_sha256rnds2_epu32(L##_s0, L##_s1, L##_m);		\
	if (M1)								\
		L##_w##p = _mm_sha256msg1_epu32(L##_w##p, L##_w##c);
/* The 16 groups, each as G(i, c, p, n, M2, M1). */
#define SHA256_GROUPS(G)						\
	G(0, 0, 3, 1, 0, 0) G(1, 1, 0, 2, 0, 1) G(2, 2, 1, 3, 0, 1)	\
	G(3, 3, 2, 0, 1, 1) G(4, 0, 3, 1, 1, 1) G(5, 1, 0, 2, 1, 1)	\
	G(6, 2, 1, 3, 1, 1) G(7, 3, 2, 0, 1, 1) G(8, 0, 3, 1, 1, 1)	\
	G(9, 1, 0, 2, 1, 1) G(10, 2, 1, 3, 1, 1) G(11, 3, 2, 0, 1, 1)	\
	G(12, 0, 3, 1, 1, 1) G(13, 1, 0, 2, 1, 0) G(14, 2, 1, 3, 1, 0)	\
	G(15, 3, 2, 0, 0, 0)

#endif
