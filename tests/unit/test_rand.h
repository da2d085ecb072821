/* test_rand.h: the unit tests' random numbers (xorshift64): a fixed seed
 * gives the same sequence on every run, so a failure reproduces. A test
 * may set rng itself, or define TEST_RAND_SEED before including this. */
#ifndef SMTPSCOPE_TEST_RAND_H
#define SMTPSCOPE_TEST_RAND_H

#include <stdint.h>

#ifndef TEST_RAND_SEED
#define TEST_RAND_SEED	0x9e3779b97f4a7c15ULL
#endif

static uint64_t rng = TEST_RAND_SEED;

static uint32_t
next_rand(void)
{
	rng ^= rng << 13;
	rng ^= rng >> 7;
	rng ^= rng << 17;
	return (uint32_t)rng;
}

#endif
