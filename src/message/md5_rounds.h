/* md5_rounds.h: the MD5 block function (RFC 1321) as macros over named
 * variables, so that md5.c can expand it for one lane or two and
 * md5sha.c can interleave it with SHA-256's rounds. A lane L keeps its
 * state in aL..dL and reads its block from pL. The 64 steps come in 16
 * quarters, MD5_Q0..MD5_Q15, of four steps each. */
#ifndef SMTPSCOPE_MD5_ROUNDS_H
#define SMTPSCOPE_MD5_ROUNDS_H

#include <stdint.h>

extern const uint32_t md5_k[64];

#define ROTL(x, s)	(((x) << (s)) | ((x) >> (32 - (s))))
/* Each function as the part that depends on the step's newest word b
 * (x) and the part that does not: the latter is summed into a with the
 * constant and the message word while b is still being computed, so the
 * dependency chain per step is shorter. G is (x & z) | (y & ~z), two
 * terms that never share a bit, so the OR is an ADD that can be split
 * (the trick from Anime Tosho's md5-optimisation): 4 dependent
 * operations a step instead of 6. */
#define F(x, y, z)	((z) ^ ((x) & ((y) ^ (z))))
#define F_EARLY(y, z)	0
#define G(x, y, z)	((x) & (z))
#define G_EARLY(y, z)	((y) & ~(z))
#define H(x, y, z)	((x) ^ (y) ^ (z))
#define H_EARLY(y, z)	0
#define I(x, y, z)	((y) ^ ((x) | ~(z)))
#define I_EARLY(y, z)	0
/* Little-endian word i of block p, whatever the host's byte order. */
#define WORD(p, i)	((uint32_t)(p)[4 * (i)] |			\
			 (uint32_t)(p)[4 * (i) + 1] << 8 |		\
			 (uint32_t)(p)[4 * (i) + 2] << 16 |		\
			 (uint32_t)(p)[4 * (i) + 3] << 24)

/* One step on lane L (variables a0.., block p0 for lane 0). */
#define STEP(L, f, a, b, c, d, i, w, s)					\
	a##L += md5_k[i] + WORD(p##L, w) + f##_EARLY(c##L, d##L);	\
	a##L += f(b##L, c##L, d##L);					\
	a##L = ROTL(a##L, s) + b##L;
#define STEP1(f, a, b, c, d, i, w, s)	STEP(0, f, a, b, c, d, i, w, s)
#define STEP2(f, a, b, c, d, i, w, s)					\
	STEP(0, f, a, b, c, d, i, w, s) STEP(1, f, a, b, c, d, i, w, s)

#define MD5_Q0(S)							\
	S(F, a, b, c, d, 0, 0, 7) S(F, d, a, b, c, 1, 1, 12)	\
	S(F, c, d, a, b, 2, 2, 17) S(F, b, c, d, a, 3, 3, 22)
#define MD5_Q1(S)							\
	S(F, a, b, c, d, 4, 4, 7) S(F, d, a, b, c, 5, 5, 12)	\
	S(F, c, d, a, b, 6, 6, 17) S(F, b, c, d, a, 7, 7, 22)
#define MD5_Q2(S)							\
	S(F, a, b, c, d, 8, 8, 7) S(F, d, a, b, c, 9, 9, 12)	\
	S(F, c, d, a, b, 10, 10, 17) S(F, b, c, d, a, 11, 11, 22)
#define MD5_Q3(S)							\
	S(F, a, b, c, d, 12, 12, 7) S(F, d, a, b, c, 13, 13, 12)	\
	S(F, c, d, a, b, 14, 14, 17) S(F, b, c, d, a, 15, 15, 22)
#define MD5_Q4(S)							\
	S(G, a, b, c, d, 16, 1, 5) S(G, d, a, b, c, 17, 6, 9)	\
	S(G, c, d, a, b, 18, 11, 14) S(G, b, c, d, a, 19, 0, 20)
#define MD5_Q5(S)							\
	S(G, a, b, c, d, 20, 5, 5) S(G, d, a, b, c, 21, 10, 9)	\
	S(G, c, d, a, b, 22, 15, 14) S(G, b, c, d, a, 23, 4, 20)
#define MD5_Q6(S)							\
	S(G, a, b, c, d, 24, 9, 5) S(G, d, a, b, c, 25, 14, 9)	\
	S(G, c, d, a, b, 26, 3, 14) S(G, b, c, d, a, 27, 8, 20)
#define MD5_Q7(S)							\
	S(G, a, b, c, d, 28, 13, 5) S(G, d, a, b, c, 29, 2, 9)	\
	S(G, c, d, a, b, 30, 7, 14) S(G, b, c, d, a, 31, 12, 20)
#define MD5_Q8(S)							\
	S(H, a, b, c, d, 32, 5, 4) S(H, d, a, b, c, 33, 8, 11)	\
	S(H, c, d, a, b, 34, 11, 16) S(H, b, c, d, a, 35, 14, 23)
#define MD5_Q9(S)							\
	S(H, a, b, c, d, 36, 1, 4) S(H, d, a, b, c, 37, 4, 11)	\
	S(H, c, d, a, b, 38, 7, 16) S(H, b, c, d, a, 39, 10, 23)
#define MD5_Q10(S)							\
	S(H, a, b, c, d, 40, 13, 4) S(H, d, a, b, c, 41, 0, 11)	\
	S(H, c, d, a, b, 42, 3, 16) S(H, b, c, d, a, 43, 6, 23)
#define MD5_Q11(S)							\
	S(H, a, b, c, d, 44, 9, 4) S(H, d, a, b, c, 45, 12, 11)	\
	S(H, c, d, a, b, 46, 15, 16) S(H, b, c, d, a, 47, 2, 23)
#define MD5_Q12(S)							\
	S(I, a, b, c, d, 48, 0, 6) S(I, d, a, b, c, 49, 7, 10)	\
	S(I, c, d, a, b, 50, 14, 15) S(I, b, c, d, a, 51, 5, 21)
#define MD5_Q13(S)							\
	S(I, a, b, c, d, 52, 12, 6) S(I, d, a, b, c, 53, 3, 10)	\
	S(I, c, d, a, b, 54, 10, 15) S(I, b, c, d, a, 55, 1, 21)
#define MD5_Q14(S)							\
	S(I, a, b, c, d, 56, 8, 6) S(I, d, a, b, c, 57, 15, 10)	\
	S(I, c, d, a, b, 58, 6, 15) S(I, b, c, d, a, 59, 13, 21)
#define MD5_Q15(S)							\
	S(I, a, b, c, d, 60, 4, 6) S(I, d, a, b, c, 61, 11, 10)	\
	S(I, c, d, a, b, 62, 2, 15) S(I, b, c, d, a, 63, 9, 21)
#define ROUNDS(S)							\
	MD5_Q0(S) MD5_Q1(S) MD5_Q2(S) MD5_Q3(S) MD5_Q4(S) MD5_Q5(S)	\
	MD5_Q6(S) MD5_Q7(S) MD5_Q8(S) MD5_Q9(S) MD5_Q10(S) MD5_Q11(S)	\
	MD5_Q12(S) MD5_Q13(S) MD5_Q14(S) MD5_Q15(S)

#define LOAD(L, s)							\
	uint32_t a##L = (s)[0], b##L = (s)[1], c##L = (s)[2], d##L = (s)[3]
#define KEEP(L)								\
	uint32_t sa##L = a##L, sb##L = b##L, sc##L = c##L, sd##L = d##L
#define ADD(L)								\
	a##L += sa##L; b##L += sb##L; c##L += sc##L; d##L += sd##L
#define STORE(L, s)							\
	(s)[0] = a##L; (s)[1] = b##L; (s)[2] = c##L; (s)[3] = d##L

#endif
