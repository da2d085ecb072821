/* simd_level.h: which of a routine's vector paths runs. Each of them
 * (base64 in decode.c, the DATA line scan in dotstuff.c, bytecount.c) has
 * a wide path, a narrow one and plain C, and a *_vector(asked) switch the
 * tests use to compare them: 2 the widest the CPU has (the default), 1
 * the narrow one at most, 0 plain C. */
#ifndef SMTPSCOPE_SIMD_LEVEL_H
#define SMTPSCOPE_SIMD_LEVEL_H

/* The path to run for `asked`, given what the CPU has. */
static inline int
simd_level(int asked, int have_narrow, int have_wide)
{
	if (asked >= 2 && have_narrow && have_wide)
		return 2;
	return asked >= 1 && have_narrow ? 1 : 0;
}

#endif
