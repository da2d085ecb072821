/* micro_decode.c: measures the attachment path in isolation, to size the
 * findings of docs/performance.md: smtpscope's base64 decoder
 * (src/message/decode.c, linked as is, never edited here) fed one 76-column
 * line per call as the MIME parser does, with and without the three hashes
 * per call, in 64 KB chunks on each vector path the CPU has, against a
 * table-driven decoder and 64 KB hash updates.
 * usage: micro_decode [MB] */
#define _POSIX_C_SOURCE 199309L
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <openssl/evp.h>

#include "decode.h"

static double
now(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static EVP_MD_CTX *ctx[3];
static size_t sunk;

static void
sink_count(void *arg, const uint8_t *p, size_t n)
{
	(void)arg, (void)p;
	sunk += n;
}

static void
sink_hash(void *arg, const uint8_t *p, size_t n)
{
	(void)arg;
	sunk += n;
	for (int i = 0; i < 3; i++)
		EVP_DigestUpdate(ctx[i], p, n);
}

static void
hash_reset(void)
{
	const EVP_MD *md[3] = { EVP_md5(), EVP_sha1(), EVP_sha256() };
	for (int i = 0; i < 3; i++)
		EVP_DigestInit_ex(ctx[i], md[i], NULL);
}

/* A table-driven decoder: one lookup per byte, 4 sextets to 3 bytes. */
static uint8_t tab[256];

static size_t
fast_b64(const uint8_t *p, size_t n, uint8_t *out)
{
	uint32_t acc = 0;
	int k = 0;
	uint8_t *o = out;
	size_t i = 0;
	for (;;) {
		/* the common case: four alphabet bytes, no state carried */
		while (k == 0 && i + 4 <= n) {
			uint32_t a = tab[p[i]], b = tab[p[i + 1]],
			    c = tab[p[i + 2]], e = tab[p[i + 3]];
			if ((a | b | c | e) & 0xc0)
				break;
			uint32_t v = a << 18 | b << 12 | c << 6 | e;
			o[0] = (uint8_t)(v >> 16);
			o[1] = (uint8_t)(v >> 8);
			o[2] = (uint8_t)v;
			o += 3;
			i += 4;
		}
		if (i == n)
			break;
		uint8_t v = tab[p[i++]];
		if (v & 0xc0)
			continue;	/* CR, LF, '=', stray: skipped */
		acc = acc << 6 | v;
		if (++k == 4) {
			o[0] = (uint8_t)(acc >> 16);
			o[1] = (uint8_t)(acc >> 8);
			o[2] = (uint8_t)acc;
			o += 3;
			k = 0;
		}
	}
	return (size_t)(o - out);
}

int
main(int argc, char **argv)
{
	static const char a[] =
	    "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
	size_t mb = argc > 1 ? strtoul(argv[1], NULL, 10) : 64;
	size_t raw = mb * 1000000 / 57 * 57, n = raw / 57 * 78;
	uint8_t *b = malloc(n), *out = malloc(raw + 64);
	uint64_t x = 88172645463325252ULL;
	if (b == NULL || out == NULL)
		return 1;
	for (size_t i = 0; i < n; i += 78) {
		for (int j = 0; j < 76; j++) {
			x ^= x << 13, x ^= x >> 7, x ^= x << 17;
			b[i + j] = (uint8_t)a[x & 63];
		}
		b[i + 76] = '\r', b[i + 77] = '\n';
	}
	memset(tab, 0x80, sizeof(tab));
	for (int i = 0; i < 64; i++)
		tab[(uint8_t)a[i]] = (uint8_t)i;
	for (int i = 0; i < 3; i++)
		ctx[i] = EVP_MD_CTX_new();

	struct decode d;
	double t;
	printf("base64 input %.1f MB (decoded %.1f MB), MB/s of input:\n",
	    n / 1e6, raw / 1e6);

	decode_init(&d, DECODE_BASE64);
	sunk = 0, t = now();
	for (size_t i = 0; i < n; i += 78)
		decode_feed(&d, b + i, 78, sink_count, NULL);
	printf("  decode.c, per line, no hash          %8.0f\n",
	    n / 1e6 / (now() - t));

	decode_init(&d, DECODE_BASE64);
	hash_reset();
	sunk = 0, t = now();
	for (size_t i = 0; i < n; i += 78)
		decode_feed(&d, b + i, 78, sink_hash, NULL);
	printf("  decode.c, per line, md5+sha1+sha256  %8.0f\n",
	    n / 1e6 / (now() - t));

	for (int level = 2; level >= 0; level--) {
		static const char *const names[3] = { "byte-wise", "SSSE3",
		    "AVX-512" };
		int got = decode_vector(level);

		if (got != level)
			continue;	/* the CPU lacks it */
		decode_init(&d, DECODE_BASE64);
		sunk = 0, t = now();
		for (size_t i = 0; i < n; i += 78 * 840)
			decode_feed(&d, b + i, n - i < 78 * 840 ? n - i :
			    78 * 840, sink_count, NULL);
		printf("  decode.c, 64 KB chunks, %-9s    %8.0f\n",
		    names[level], n / 1e6 / (now() - t));
	}
	decode_vector(2);

	size_t o = 0;
	t = now();
	for (size_t i = 0; i < n; i += 78 * 840)
		o += fast_b64(b + i, n - i < 78 * 840 ? n - i : 78 * 840,
		    out + o);
	printf("  table decoder, 64 KB chunks, no hash %8.0f  (%s)\n",
	    n / 1e6 / (now() - t), o == raw ? "same length" : "LENGTH DIFFERS");

	hash_reset();
	t = now();
	for (size_t i = 0; i < raw; i += 65536)
		sink_hash(NULL, out + i, raw - i < 65536 ? raw - i : 65536);
	printf("  md5+sha1+sha256 alone, 64 KB updates %8.0f  (of input)\n",
	    n / 1e6 / (now() - t));
	hash_reset();
	t = now();
	for (size_t i = 0; i < raw; i += 57)
		sink_hash(NULL, out + i, 57);
	printf("  md5+sha1+sha256 alone, 57 B updates  %8.0f  (of input)\n",
	    n / 1e6 / (now() - t));
	for (int i = 0; i < 3; i++)
		EVP_MD_CTX_free(ctx[i]);
	free(b);
	free(out);
	return 0;
}
