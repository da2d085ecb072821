/* sha1_rounds.h: the SHA-1 block function (FIPS 180-4) with the x86 SHA
 * extensions, as macros over named variables so that md5sha.c can
 * interleave it with MD5's steps and SHA-256's rounds. After Intel's
 * published sequence: A..D live in L_abcd (A in the top lane), E in the
 * top lane of L_e0 or L_e1 (they take turns: sha1nexte computes the next
 * E from the state four rounds back), the message schedule in L_m0..L_m3
 * (m[i % 4] holds words 4i..4i+3). Twenty groups of four rounds make a
 * block. Only for functions compiled with target("sha,sse4.1,ssse3"). */
#ifndef SMTPSCOPE_SHA1_ROUNDS_H
#define SMTPSCOPE_SHA1_ROUNDS_H

#include <immintrin.h>
#include <stdint.h>

#define SHA1_BSWAP	_mm_set_epi64x(0x0001020304050607ULL,		\
			    0x08090a0b0c0d0e0fULL)

#define SHA1_VARS(L)							\
	__m128i L##_abcd, L##_e0, L##_e1, L##_m0, L##_m1, L##_m2,	\
	    L##_m3, L##_kabcd, L##_ke
/* From h[0..4] (a..e) and back. */
#define SHA1_LOAD(L, h)							\
	L##_abcd = _mm_shuffle_epi32(_mm_loadu_si128(			\
	    (const __m128i *)(const void *)&(h)[0]), 0x1B);		\
	L##_e0 = _mm_set_epi32((int)(h)[4], 0, 0, 0);			\
	L##_e1 = _mm_setzero_si128()
#define SHA1_STORE(L, h)						\
	_mm_storeu_si128((__m128i *)(void *)&(h)[0],			\
	    _mm_shuffle_epi32(L##_abcd, 0x1B));				\
	(h)[4] = (uint32_t)_mm_extract_epi32(L##_e0, 3)
#define SHA1_W(L, p, j)							\
	L##_m##j = _mm_shuffle_epi8(_mm_loadu_si128(			\
	    (const __m128i *)(const void *)((p) + 16 * (j))), SHA1_BSWAP)
/* A block begins (state kept, its 16 words loaded) and ends. */
#define SHA1_BEGIN(L, p)						\
	L##_kabcd = L##_abcd; L##_ke = L##_e0;				\
	SHA1_W(L, p, 0); SHA1_W(L, p, 1);				\
	SHA1_W(L, p, 2); SHA1_W(L, p, 3)
#define SHA1_END(L)							\
	L##_e0 = _mm_sha1nexte_epu32(L##_e0, L##_ke);			\
	L##_abcd = _mm_add_epi32(L##_abcd, L##_kabcd)
/* Rounds 0..3. */
#define SHA1_G0(L)							\
	L##_e0 = _mm_add_epi32(L##_e0, L##_m0);				\
	L##_e1 = L##_abcd;						\
	L##_abcd = _mm_sha1rnds4_epu32(L##_abcd, L##_e0, 0);
/* Rounds 4g..4g+3 (g in 1..19), on words m[c], c = g % 4, with E in `cur`
 * and the state kept in `oth` for the next group. The schedule: M2
 * completes m[nx] (g in 3..18), M1 starts m[pv] (g in 1..16), X folds
 * m[c] into m[xr] (g in 2..17). */
#define SHA1_G(L, g, c, cur, oth, nx, pv, xr, M2, M1, X)		\
	L##_##cur = _mm_sha1nexte_epu32(L##_##cur, L##_m##c);		\
	L##_##oth = L##_abcd;						\
	if (M2)								\
		L##_m##nx = _mm_sha1msg2_epu32(L##_m##nx, L##_m##c);	\
	L##_abcd = _mm_sha1rnds4_epu32(L##_abcd, L##_##cur, (g) / 5);	\
	if (M1)								\
		L##_m##pv = _mm_sha1msg1_epu32(L##_m##pv, L##_m##c);	\
	if (X)								\
		L##_m##xr = _mm_xor_si128(L##_m##xr, L##_m##c);
#define SHA1_G1(L)	SHA1_G(L, 1, 1, e1, e0, 2, 0, 3, 0, 1, 0)
#define SHA1_G2(L)	SHA1_G(L, 2, 2, e0, e1, 3, 1, 0, 0, 1, 1)
#define SHA1_G3(L)	SHA1_G(L, 3, 3, e1, e0, 0, 2, 1, 1, 1, 1)
#define SHA1_G4(L)	SHA1_G(L, 4, 0, e0, e1, 1, 3, 2, 1, 1, 1)
#define SHA1_G5(L)	SHA1_G(L, 5, 1, e1, e0, 2, 0, 3, 1, 1, 1)
#define SHA1_G6(L)	SHA1_G(L, 6, 2, e0, e1, 3, 1, 0, 1, 1, 1)
#define SHA1_G7(L)	SHA1_G(L, 7, 3, e1, e0, 0, 2, 1, 1, 1, 1)
#define SHA1_G8(L)	SHA1_G(L, 8, 0, e0, e1, 1, 3, 2, 1, 1, 1)
#define SHA1_G9(L)	SHA1_G(L, 9, 1, e1, e0, 2, 0, 3, 1, 1, 1)
#define SHA1_G10(L)	SHA1_G(L, 10, 2, e0, e1, 3, 1, 0, 1, 1, 1)
#define SHA1_G11(L)	SHA1_G(L, 11, 3, e1, e0, 0, 2, 1, 1, 1, 1)
#define SHA1_G12(L)	SHA1_G(L, 12, 0, e0, e1, 1, 3, 2, 1, 1, 1)
#define SHA1_G13(L)	SHA1_G(L, 13, 1, e1, e0, 2, 0, 3, 1, 1, 1)
#define SHA1_G14(L)	SHA1_G(L, 14, 2, e0, e1, 3, 1, 0, 1, 1, 1)
#define SHA1_G15(L)	SHA1_G(L, 15, 3, e1, e0, 0, 2, 1, 1, 1, 1)
#define SHA1_G16(L)	SHA1_G(L, 16, 0, e0, e1, 1, 3, 2, 1, 1, 1)
#define SHA1_G17(L)	SHA1_G(L, 17, 1, e1, e0, 2, 0, 3, 1, 0, 1)
#define SHA1_G18(L)	SHA1_G(L, 18, 2, e0, e1, 3, 1, 0, 1, 0, 0)
#define SHA1_G19(L)	SHA1_G(L, 19, 3, e1, e0, 0, 2, 1, 0, 0, 0)
/* The twenty groups spread over SHA-256's sixteen (md5sha.c): one each,
 * two with every fourth. */
#define SHA1_AT_0(L)	SHA1_G0(L)
#define SHA1_AT_1(L)	SHA1_G1(L)
#define SHA1_AT_2(L)	SHA1_G2(L)
#define SHA1_AT_3(L)	SHA1_G3(L) SHA1_G4(L)
#define SHA1_AT_4(L)	SHA1_G5(L)
#define SHA1_AT_5(L)	SHA1_G6(L)
#define SHA1_AT_6(L)	SHA1_G7(L)
#define SHA1_AT_7(L)	SHA1_G8(L) SHA1_G9(L)
#define SHA1_AT_8(L)	SHA1_G10(L)
#define SHA1_AT_9(L)	SHA1_G11(L)
#define SHA1_AT_10(L)	SHA1_G12(L)
#define SHA1_AT_11(L)	SHA1_G13(L) SHA1_G14(L)
#define SHA1_AT_12(L)	SHA1_G15(L)
#define SHA1_AT_13(L)	SHA1_G16(L)
#define SHA1_AT_14(L)	SHA1_G17(L)
#define SHA1_AT_15(L)	SHA1_G18(L) SHA1_G19(L)

#endif
