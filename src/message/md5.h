/* md5.h: MD5 (RFC 1321) of our own, for one reason: two independent
 * streams at once. MD5 is one long dependency chain, so a core runs a
 * single stream at a fraction of its width; interleaving two streams'
 * steps nearly doubles the throughput (1.9x here against OpenSSL's
 * assembly), and a message's raw bytes and its parts' decoded bytes are
 * two such streams. OpenSSL offers no multi-stream MD5. sha1 and sha256
 * stay with libcrypto (SHA-NI). */
#ifndef SMTPSCOPE_MD5_H
#define SMTPSCOPE_MD5_H

#include <stddef.h>
#include <stdint.h>

#define MD5_BYTES	16

struct md5 {
	uint32_t	 state[4];
	uint64_t	 bytes;		/* fed so far */
	unsigned char	 buf[64];	/* the partial block: bytes % 64 */
};

void	md5_init(struct md5 *);
void	md5_update(struct md5 *, const void *, size_t);
/* The same as md5_update(a, pa, na) and md5_update(b, pb, nb), with the
 * blocks of both run side by side. a and b must differ. */
void	md5_update2(struct md5 *a, const void *pa, size_t na,
	    struct md5 *b, const void *pb, size_t nb);
void	md5_final(struct md5 *, unsigned char out[MD5_BYTES]);

/* The byte count and partial block, for md5sha.c, whose digests share
 * them. fill completes the partial block from *p (after it
 * bytes % 64 == 0 or the input is used up) and returns 1 when buf is then
 * a whole block to run; keep counts n bytes whose whole blocks ran and
 * keeps their tail. */
int	md5_buffer_fill(struct md5 *, const unsigned char **p, size_t *n);
void	md5_buffer_keep(struct md5 *, const unsigned char *p, size_t n);

#endif
