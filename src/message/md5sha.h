/* md5sha.h: MD5 and SHA-256, and SHA-1 if asked, of the same bytes in
 * one pass, on CPUs with the x86 SHA extensions. MD5 runs on the integer
 * units and is one long dependency chain; SHA-256 and SHA-1 with SHA-NI
 * run on the vector units and are two more: interleaved step by step
 * they overlap, and the three cost little more than MD5 alone (measured
 * here: 700 MB/s for MD5 and SHA-256, against 500 MB/s for md5.c then
 * libcrypto's SHA-256). With two streams at once (md5sha_update2, the
 * chains of both lanes interleaved) a message's raw bytes and its part's
 * decoded bytes go through together. Where the CPU lacks SHA-NI,
 * md5sha_available() is 0 and hash.c keeps md5.c and libcrypto. */
#ifndef SMTPSCOPE_MD5SHA_H
#define SMTPSCOPE_MD5SHA_H

#include <stddef.h>
#include <stdint.h>

#include "md5.h"

#define SHA1_BYTES	20
#define SHA256_BYTES	32

struct md5sha {
	struct md5	 md5;		/* its bytes and buf serve all */
	uint32_t	 sha256[8];
	uint32_t	 sha1[5];
	int		 with_sha1;
};

/* 1 when this CPU runs the functions below (SHA-NI, SSE4.1, SSSE3). */
int	md5sha_available(void);
void	md5sha_init(struct md5sha *, int with_sha1);
void	md5sha_update(struct md5sha *, const void *, size_t);
/* The same as md5sha_update(a, pa, na) then (b, pb, nb), with the blocks
 * of both run side by side. a and b must differ. */
void	md5sha_update2(struct md5sha *a, const void *pa, size_t na,
	    struct md5sha *b, const void *pb, size_t nb);
/* sha1 is written only if it was asked for at init (and is not NULL). */
void	md5sha_final(struct md5sha *, unsigned char md5[MD5_BYTES],
	    unsigned char sha1[SHA1_BYTES],
	    unsigned char sha256[SHA256_BYTES]);

#endif
