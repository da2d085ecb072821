/* decode.h: streaming content-transfer decoders (RFC 2045): base64,
 * quoted-printable, identity. State is carried across chunks, so any split
 * of the input gives the same output. Never allocates per byte of input. */
#ifndef SMTPSCOPE_DECODE_H
#define SMTPSCOPE_DECODE_H

#include <stddef.h>
#include <stdint.h>

enum decode_enc {
	DECODE_IDENTITY,	/* 7bit, 8bit, binary, unknown */
	DECODE_BASE64,
	DECODE_QP,
};

struct decode {
	enum decode_enc	 enc;
	unsigned	 acc;		/* base64 bits / qp escape chars */
	int		 nacc;		/* base64 sextets, qp chars after = */
	int		 pad;		/* base64: '=' ended the last quantum */
	unsigned	 bad;		/* stray characters or bad escapes */
	unsigned char	 qp[2];
	/* qp: spaces and tabs held until we know they do not end a line
	 * (RFC 2045 6.7 rule 3: trailing whitespace is deleted) */
	unsigned char	 ws[64];
	unsigned	 nws;
};

/* Where decoded bytes go. */
typedef void	decode_sink(void *arg, const uint8_t *, size_t);

/* Maps a Content-Transfer-Encoding value (any case, spaces trimmed). */
enum decode_enc	decode_enc_parse(const char *);
void		decode_init(struct decode *, enum decode_enc);
void		decode_feed(struct decode *, const uint8_t *, size_t,
		    decode_sink *, void *);
/* Flushes what is left (a dangling QP '=' or partial base64 quantum). */
void		decode_finish(struct decode *, decode_sink *, void *);
/* Base64 takes sixty-four bytes at a time with AVX-512 VBMI, sixteen
 * with SSSE3, where the CPU has them. on: 2 the widest (the default), 1
 * SSSE3 at most, 0 the byte-wise path (tests compare the three). Returns
 * the path now in use (2, 1 or 0). */
int		decode_vector(int on);

#endif
