/* test_ip6map.c: IPv6 -> synthetic IPv4: extension-header walk, a header
 * checksum libnids accepts, the reverse map, and a full table. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <arpa/inet.h>
#include <cmocka.h>

#include "ip6map.h"

static uint8_t	out[IP6MAP_OUT_MAX];

/* IPv6 header (src ::1 + i, dst 2001:db8::25) + ext + 20-byte TCP. */
static size_t
make_v6(uint8_t *p, uint8_t first_nh, const uint8_t *ext, size_t extn,
    uint8_t src_last)
{
	size_t plen = extn + 20;

	memset(p, 0, 40 + plen);
	p[0] = 0x6a;		/* version 6, traffic class 0xa0 */
	p[4] = (uint8_t)(plen >> 8);
	p[5] = (uint8_t)plen;
	p[6] = first_nh;
	p[7] = 57;		/* hop limit */
	p[23] = src_last;
	p[24] = 0x20; p[25] = 0x01; p[26] = 0x0d; p[27] = 0xb8; p[39] = 0x25;
	if (extn > 0)
		memcpy(p + 40, ext, extn);
	p[40 + extn + 1] = 0x19;	/* TCP dst port 25 */
	p[40 + extn + 12] = 0x50;
	return 40 + plen;
}

/* RFC 1071: the sum over a header with a valid checksum is 0xffff. */
static void
assert_checksum_valid(const uint8_t *h)
{
	uint32_t sum = 0;
	int i;

	for (i = 0; i < 20; i += 2)
		sum += (uint32_t)(h[i] << 8 | h[i + 1]);
	while (sum >> 16)
		sum = (sum & 0xffff) + (sum >> 16);
	assert_int_equal(sum, 0xffff);
}

static void
test_plain_tcp(void **state)
{
	struct ip6map *m = ip6map_new(16);
	uint8_t v6[128], back[16];
	uint32_t src, dst;
	size_t n, outn;

	(void)state;
	n = make_v6(v6, 6, NULL, 0, 1);
	assert_int_equal(ip6map_to_v4(m, span_make(v6, n), out, sizeof(out),
	    &outn), IP6MAP_OK);
	assert_int_equal(outn, 40);
	assert_int_equal(out[0], 0x45);
	assert_int_equal(out[1], 0xa0);		/* traffic class kept */
	assert_int_equal(out[2] << 8 | out[3], 40);
	assert_int_equal(out[8], 57);		/* TTL = hop limit */
	assert_int_equal(out[9], 6);
	assert_checksum_valid(out);
	assert_memory_equal(out + 20, v6 + 40, 20);	/* TCP untouched */
	memcpy(&src, out + 12, 4);
	memcpy(&dst, out + 16, 4);
	assert_true(ip6map_is_synthetic(src));
	assert_true(ip6map_is_synthetic(dst));
	assert_int_not_equal(src, dst);
	assert_int_equal(ip6map_reverse(m, src, back), 0);
	assert_memory_equal(back, v6 + 8, 16);
	assert_int_equal(ip6map_reverse(m, dst, back), 0);
	assert_memory_equal(back, v6 + 24, 16);
	/* the same addresses map the same way again */
	assert_int_equal(ip6map_to_v4(m, span_make(v6, n), out, sizeof(out),
	    &outn), IP6MAP_OK);
	assert_memory_equal(out + 12, &src, 4);
	assert_int_equal(ip6map_count(m), 2);
	assert_false(ip6map_is_synthetic(htonl(0x0a000001)));
	assert_int_equal(ip6map_reverse(m, htonl(0x0a000001), back), -1);
	assert_int_equal(ip6map_reverse(m, htonl(IP6MAP_NET | 99), back), -1);
	ip6map_free(m);
}

static void
test_extension_headers(void **state)
{
	/* hop-by-hop (8) -> routing (8) -> dest opts (16) -> atomic
	 * fragment (8) -> AH (12 + 4 = 16) -> TCP */
	uint8_t ext[56] = { 0 };
	struct ip6map *m = ip6map_new(16);
	uint8_t v6[160];
	size_t n, outn;

	(void)state;
	ext[0] = 43; ext[1] = 0;		/* hbh, next: routing */
	ext[8] = 60; ext[9] = 0;		/* routing, next: dstopts */
	ext[16] = 44; ext[17] = 1;		/* dstopts, 16 bytes */
	ext[32] = 51;				/* fragment, off 0, M 0 */
	ext[40] = 6; ext[41] = 2;		/* AH: (2 + 2) * 4 = 16 */
	n = make_v6(v6, 0, ext, sizeof(ext), 1);
	assert_int_equal(ip6map_to_v4(m, span_make(v6, n), out, sizeof(out),
	    &outn), IP6MAP_OK);
	assert_int_equal(outn, 40);
	assert_memory_equal(out + 20, v6 + 40 + sizeof(ext), 20);
	assert_checksum_valid(out);
	ip6map_free(m);
}

static void
test_unsupported(void **state)
{
	uint8_t frag[8] = { 6, 0, 0, 0x01, 0, 0, 0, 1 };	/* M set */
	uint8_t later[8] = { 6, 0, 0x05, 0x00, 0, 0, 0, 1 };	/* off 160 */
	uint8_t hbh_long[8] = { 6, 200, 0, 0, 0, 0, 0, 0 };	/* past end */
	struct ip6map *m = ip6map_new(16);
	uint8_t v6[128];
	uint8_t *copy;
	size_t n, outn, cut;

	(void)state;
	n = make_v6(v6, 44, frag, 8, 1);
	assert_int_equal(ip6map_to_v4(m, span_make(v6, n), out, sizeof(out),
	    &outn), IP6MAP_FRAGMENT);
	n = make_v6(v6, 44, later, 8, 1);
	assert_int_equal(ip6map_to_v4(m, span_make(v6, n), out, sizeof(out),
	    &outn), IP6MAP_FRAGMENT);
	n = make_v6(v6, 0, hbh_long, 8, 1);
	assert_int_equal(ip6map_to_v4(m, span_make(v6, n), out, sizeof(out),
	    &outn), IP6MAP_MALFORMED);
	n = make_v6(v6, 17, NULL, 0, 1);		/* UDP */
	assert_int_equal(ip6map_to_v4(m, span_make(v6, n), out, sizeof(out),
	    &outn), IP6MAP_NOT_TCP);
	n = make_v6(v6, 6, NULL, 0, 1);
	for (cut = 0; cut < n; cut++) {		/* ASan: no over-read */
		copy = malloc(cut + 1);
		memcpy(copy, v6, cut);
		assert_int_not_equal(ip6map_to_v4(m, span_make(copy, cut),
		    out, sizeof(out), &outn), IP6MAP_OK);
		free(copy);
	}
	assert_int_equal(ip6map_to_v4(m, span_make(v6, n), out, 39, &outn),
	    IP6MAP_TOO_BIG);
	assert_int_equal(ip6map_count(m), 0);	/* nothing mapped on errors */
	ip6map_free(m);
}

static void
test_endless_extension_chain(void **state)
{
	uint8_t ext[8 * 20];
	struct ip6map *m = ip6map_new(16);
	uint8_t v6[256];
	size_t n, outn, i;

	(void)state;
	for (i = 0; i < 20; i++) {
		memset(ext + 8 * i, 0, 8);
		ext[8 * i] = 60;	/* dstopts after dstopts ... */
	}
	n = make_v6(v6, 60, ext, sizeof(ext), 1);
	assert_int_equal(ip6map_to_v4(m, span_make(v6, n), out, sizeof(out),
	    &outn), IP6MAP_MALFORMED);
	ip6map_free(m);
}

/* Maps ::src_last -> 2001:db8::25 (dst_last 0x25) or between two given
 * last bytes; returns the result, the synthetic src and dst in *src, *dst. */
static enum ip6map_result
map_pair(struct ip6map *m, uint8_t src_last, uint8_t dst_last,
    uint32_t *src, uint32_t *dst)
{
	uint8_t v6[128];
	size_t n, outn;
	enum ip6map_result r;

	n = make_v6(v6, 6, NULL, 0, src_last);
	v6[39] = dst_last;
	r = ip6map_to_v4(m, span_make(v6, n), out, sizeof(out), &outn);
	if (r == IP6MAP_OK) {
		memcpy(src, out + 12, 4);
		memcpy(dst, out + 16, 4);
	}
	return r;
}

static uint8_t
back_last(struct ip6map *m, uint32_t v4)
{
	uint8_t back[16];

	assert_int_equal(ip6map_reverse(m, v4, back), 0);
	return back[15];
}

/* Full: a new address takes the index of one no open session holds;
 * held ones keep theirs; when all are held, new ones are refused. */
static void
test_table_full_reuses(void **state)
{
	struct ip6map *m = ip6map_new(3);
	uint32_t s1, s2, s3, s4, d, d2;

	(void)state;
	assert_int_equal(map_pair(m, 1, 0x25, &s1, &d), IP6MAP_OK);
	assert_int_equal(map_pair(m, 2, 0x25, &s2, &d2), IP6MAP_OK);
	assert_int_equal(d, d2);
	assert_int_equal(ip6map_count(m), 3);		/* full */
	/* a session ::2 <-> ::25 is open */
	ip6map_ref(m, s2);
	ip6map_ref(m, d);
	assert_int_equal(map_pair(m, 3, 0x25, &s3, &d2), IP6MAP_OK);
	assert_int_equal(ip6map_count(m), 3);		/* never grows */
	assert_int_equal(ip6map_reused(m), 1);
	assert_int_equal(s3, s1);			/* ::1's index */
	assert_int_equal(back_last(m, s3), 3);
	assert_int_equal(back_last(m, s2), 2);		/* held: kept */
	assert_int_equal(back_last(m, d), 0x25);
	assert_int_equal(map_pair(m, 2, 0x25, &s4, &d2), IP6MAP_OK);
	assert_int_equal(s4, s2);			/* still the same */
	/* all three held: a new address is refused */
	ip6map_ref(m, s3);
	assert_int_equal(map_pair(m, 4, 0x25, &s4, &d2), IP6MAP_FULL);
	/* the session of ::2 closes: its index is free to take */
	ip6map_unref(m, s2);
	ip6map_unref(m, d);
	ip6map_unref(m, d);				/* one too many: no-op */
	ip6map_ref(m, d);
	assert_int_equal(map_pair(m, 4, 0x25, &s4, &d2), IP6MAP_OK);
	assert_int_equal(s4, s2);
	assert_int_equal(back_last(m, s4), 4);
	assert_int_equal(ip6map_reused(m), 2);
	ip6map_free(m);
}

/* Both addresses of one packet new in a full table: the second must not
 * take the index the first just got. And many rounds of reuse keep the
 * hash table consistent: every address maps to itself and back. */
static void
test_table_full_both_new(void **state)
{
	struct ip6map *m = ip6map_new(4);
	uint32_t s, d, s2, d2;
	int k;

	(void)state;
	assert_int_equal(map_pair(m, 1, 2, &s, &d), IP6MAP_OK);
	assert_int_equal(map_pair(m, 3, 4, &s, &d), IP6MAP_OK);
	for (k = 0; k < 200; k++) {
		uint8_t a = (uint8_t)(10 + 2 * (k % 100)), b = (uint8_t)(a + 1);

		assert_int_equal(map_pair(m, a, b, &s, &d), IP6MAP_OK);
		assert_true(s != d);
		assert_int_equal(back_last(m, s), a);
		assert_int_equal(back_last(m, d), b);
		/* looked up again: the same synthetic addresses */
		assert_int_equal(map_pair(m, a, b, &s2, &d2), IP6MAP_OK);
		assert_int_equal(s2, s);
		assert_int_equal(d2, d);
	}
	assert_int_equal(ip6map_count(m), 4);
	ip6map_free(m);
}

/* A packet from ::a to itself: one address. */
static enum ip6map_result
map_one(struct ip6map *m, uint8_t a, uint32_t *v4)
{
	uint8_t v6[128];
	size_t n, outn;
	enum ip6map_result r;

	n = make_v6(v6, 6, NULL, 0, a);
	memcpy(v6 + 24, v6 + 8, 16);
	r = ip6map_to_v4(m, span_make(v6, n), out, sizeof(out), &outn);
	if (r == IP6MAP_OK) {
		memcpy(v4, out + 12, 4);
		assert_memory_equal(out + 16, v4, 4);
	}
	return r;
}

/* Against a model: after every reuse (a deletion from the probe runs of
 * the hash table), every address the table holds is still found at its
 * own index, without another reuse. */
static void
test_reuse_keeps_table_consistent(void **state)
{
	struct ip6map *m = ip6map_new(32);
	uint8_t model[33] = { 0 };	/* index -> address's last byte */
	uint32_t s, x, seed = 7;
	uint64_t reused;
	int k, i;

	(void)state;
	for (k = 0; k < 3000; k++) {
		uint8_t a;

		seed = seed * 1103515245u + 12345u;
		a = (uint8_t)(1 + (seed >> 16) % 250);
		assert_int_equal(map_one(m, a, &s), IP6MAP_OK);
		model[ntohl(s) & 0xff] = a;
		reused = ip6map_reused(m);
		for (i = 1; i <= 32; i++) {
			if (model[i] == 0)
				continue;
			assert_int_equal(map_one(m, model[i], &x), IP6MAP_OK);
			assert_int_equal(ntohl(x) & 0xff, i);
		}
		assert_int_equal(ip6map_reused(m), reused);
	}
	assert_true(ip6map_reused(m) > 2000);
	ip6map_free(m);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_plain_tcp),
		cmocka_unit_test(test_extension_headers),
		cmocka_unit_test(test_unsupported),
		cmocka_unit_test(test_endless_extension_chain),
		cmocka_unit_test(test_table_full_reuses),
		cmocka_unit_test(test_table_full_both_new),
		cmocka_unit_test(test_reuse_keeps_table_consistent),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
