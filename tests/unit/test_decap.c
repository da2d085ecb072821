/* test_decap.c: every link type decap.c takes, VLAN stacks, padding,
 * and short or odd frames (which must be named, counted, never read past). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <cmocka.h>
#include <pcap/pcap.h>

#include "decap.h"
#include "stats.h"

/* A minimal IPv4/TCP packet, total length 40. */
static const uint8_t ip4[40] = {
	0x45, 0, 0, 40, 0, 1, 0x40, 0, 64, 6, 0, 0,
	10, 0, 0, 1, 10, 0, 0, 2,
	0x04, 0x00, 0x00, 0x19, 0, 0, 0, 1, 0, 0, 0, 0, 0x50, 0x02,
	0xff, 0xff, 0, 0, 0, 0,
};

/* IPv6 header with 20 bytes of TCP. */
static uint8_t ip6[60];

static const uint8_t mac12[12] = { 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12 };

static size_t
frame(uint8_t *buf, const void *hdr, size_t hn, const void *ip, size_t in)
{
	memcpy(buf, hdr, hn);
	memcpy(buf + hn, ip, in);
	return hn + in;
}

static int
setup(void **state)
{
	(void)state;
	memset(&stats, 0, sizeof(stats));
	memset(ip6, 0, sizeof(ip6));
	ip6[0] = 0x60;
	ip6[5] = 20;		/* payload length */
	ip6[6] = 6;		/* TCP */
	ip6[7] = 64;
	return 0;
}

static void
assert_ip4(enum decap_reason r, const struct decap_packet *pkt)
{
	assert_int_equal(r, DECAP_OK);
	assert_int_equal(pkt->family, AF_INET);
	assert_int_equal(pkt->ip.n, sizeof(ip4));
	assert_memory_equal(pkt->ip.p, ip4, sizeof(ip4));
}

static void
test_ethernet(void **state)
{
	uint8_t hdr[14], buf[128];
	struct decap_packet pkt;
	size_t n;

	(void)state;
	memcpy(hdr, mac12, 12);
	hdr[12] = 0x08;
	hdr[13] = 0x00;
	n = frame(buf, hdr, 14, ip4, sizeof(ip4));
	assert_ip4(decap_frame(DLT_EN10MB, buf, n, &pkt), &pkt);
	assert_int_equal(stats.ipv4, 1);
}

static void
test_ethernet_padding_trimmed(void **state)
{
	uint8_t hdr[14], buf[128];
	struct decap_packet pkt;
	size_t n;

	(void)state;
	memcpy(hdr, mac12, 12);
	hdr[12] = 0x08;
	hdr[13] = 0x00;
	n = frame(buf, hdr, 14, ip4, sizeof(ip4));
	memset(buf + n, 0xee, 6);	/* Ethernet minimum-size padding */
	assert_ip4(decap_frame(DLT_EN10MB, buf, n + 6, &pkt), &pkt);
}

static void
test_vlan_stacks(void **state)
{
	static const uint16_t tpids[] = { 0x8100, 0x88a8, 0x9100 };
	uint8_t buf[128];
	struct decap_packet pkt;
	size_t n, i;

	(void)state;
	/* 802.1ad outer, 0x9100, then 802.1Q inner: QinQ three deep */
	memcpy(buf, mac12, 12);
	n = 12;
	for (i = 0; i < 3; i++) {
		buf[n++] = (uint8_t)(tpids[2 - i] >> 8);
		buf[n++] = (uint8_t)tpids[2 - i];
		buf[n++] = 0x00;
		buf[n++] = (uint8_t)(10 + i);	/* VLAN id */
	}
	buf[n++] = 0x08;
	buf[n++] = 0x00;
	memcpy(buf + n, ip4, sizeof(ip4));
	assert_ip4(decap_frame(DLT_EN10MB, buf, n + sizeof(ip4), &pkt), &pkt);
	assert_int_equal(pkt.vlan_tags, 3);
}

static void
test_vlan_too_deep(void **state)
{
	uint8_t buf[256];
	struct decap_packet pkt;
	size_t n = 12, i;

	(void)state;
	memcpy(buf, mac12, 12);
	for (i = 0; i < DECAP_MAX_VLAN + 1; i++) {
		buf[n++] = 0x81;
		buf[n++] = 0x00;
		buf[n++] = 0;
		buf[n++] = 1;
	}
	buf[n++] = 0x08;
	buf[n++] = 0x00;
	memcpy(buf + n, ip4, sizeof(ip4));
	assert_int_equal(decap_frame(DLT_EN10MB, buf, n + sizeof(ip4), &pkt),
	    DECAP_VLAN_DEPTH);
	assert_int_equal(pkt.family, 0);
	assert_int_equal(stats.decap_errors, 1);
}

static void
test_ethernet_not_ip(void **state)
{
	uint8_t buf[60] = { 0 };
	struct decap_packet pkt;

	(void)state;
	buf[12] = 0x08;
	buf[13] = 0x06;		/* ARP */
	assert_int_equal(decap_frame(DLT_EN10MB, buf, sizeof(buf), &pkt),
	    DECAP_NOT_IP);
	assert_int_equal(stats.other, 1);
	assert_int_equal(stats.decap_errors, 0);
}

static void
test_every_short_prefix(void **state)
{
	uint8_t buf[128];
	uint8_t *copy;
	struct decap_packet pkt;
	enum decap_reason r;
	size_t n, cut;

	(void)state;
	memcpy(buf, mac12, 12);
	buf[12] = 0x81;
	buf[13] = 0x00;
	buf[14] = 0;
	buf[15] = 5;
	buf[16] = 0x08;
	buf[17] = 0x00;
	n = 18 + sizeof(ip4);
	memcpy(buf + 18, ip4, sizeof(ip4));
	/* Each prefix in its own exact-size heap block: ASan catches any
	 * read past caplen. */
	for (cut = 0; cut < n; cut++) {
		copy = malloc(cut + 1);
		memcpy(copy, buf, cut);
		r = decap_frame(DLT_EN10MB, copy, cut, &pkt);
		assert_int_not_equal(r, DECAP_OK);
		assert_int_equal(pkt.family, 0);
		free(copy);
	}
	r = decap_frame(DLT_EN10MB, buf, 18 + 20, &pkt);
	assert_int_equal(r, DECAP_IP_TRUNCATED);
	r = decap_frame(DLT_EN10MB, buf, 10, &pkt);
	assert_int_equal(r, DECAP_LINK_SHORT);
}

static void
test_sll_and_sll2(void **state)
{
	uint8_t sll[16] = { 0, 0, 0, 1, 0, 6, 1, 2, 3, 4, 5, 6, 0, 0,
	    0x08, 0x00 };
	uint8_t sll2[20] = { 0x86, 0xdd, 0, 0, 0, 0, 0, 1, 0, 1, 0, 6,
	    1, 2, 3, 4, 5, 6, 0, 0 };
	uint8_t buf[128];
	struct decap_packet pkt;
	size_t n;

	(void)state;
	n = frame(buf, sll, sizeof(sll), ip4, sizeof(ip4));
	assert_ip4(decap_frame(DLT_LINUX_SLL, buf, n, &pkt), &pkt);
	n = frame(buf, sll2, sizeof(sll2), ip6, sizeof(ip6));
	assert_int_equal(decap_frame(276, buf, n, &pkt), DECAP_OK);
	assert_int_equal(pkt.family, AF_INET6);
	assert_int_equal(pkt.ip.n, sizeof(ip6));
	assert_int_equal(stats.ipv6, 1);
	assert_int_equal(decap_frame(276, buf, 19, &pkt), DECAP_LINK_SHORT);
}

static void
test_raw(void **state)
{
	struct decap_packet pkt;
	uint8_t bad[40];

	(void)state;
	assert_ip4(decap_frame(DLT_RAW, ip4, sizeof(ip4), &pkt), &pkt);
	assert_ip4(decap_frame(101, ip4, sizeof(ip4), &pkt), &pkt);
	assert_ip4(decap_frame(228, ip4, sizeof(ip4), &pkt), &pkt);
	assert_int_equal(decap_frame(229, ip6, sizeof(ip6), &pkt), DECAP_OK);
	assert_int_equal(pkt.family, AF_INET6);
	/* DLT_IPV6 holding an IPv4 packet is not accepted */
	assert_int_equal(decap_frame(229, ip4, sizeof(ip4), &pkt),
	    DECAP_IP_VERSION);
	memcpy(bad, ip4, sizeof(bad));
	bad[0] = 0x75;
	assert_int_equal(decap_frame(DLT_RAW, bad, sizeof(bad), &pkt),
	    DECAP_IP_VERSION);
	bad[0] = 0x44;		/* IHL 16 bytes */
	assert_int_equal(decap_frame(DLT_RAW, bad, sizeof(bad), &pkt),
	    DECAP_IP_HEADER);
}

static void
test_null_and_loop(void **state)
{
	static const uint32_t v6af[] = { 10, 24, 28, 30 };
	uint8_t hdr[4], buf[128];
	struct decap_packet pkt;
	size_t n, i;

	(void)state;
	/* DLT_NULL, little-endian writer */
	hdr[0] = 2; hdr[1] = hdr[2] = hdr[3] = 0;
	n = frame(buf, hdr, 4, ip4, sizeof(ip4));
	assert_ip4(decap_frame(DLT_NULL, buf, n, &pkt), &pkt);
	/* DLT_NULL, big-endian writer */
	hdr[3] = 2; hdr[0] = 0;
	n = frame(buf, hdr, 4, ip4, sizeof(ip4));
	assert_ip4(decap_frame(DLT_NULL, buf, n, &pkt), &pkt);
	/* DLT_LOOP is always network order */
	assert_ip4(decap_frame(DLT_LOOP, buf, n, &pkt), &pkt);
	for (i = 0; i < 4; i++) {
		memset(hdr, 0, 4);
		hdr[3] = (uint8_t)v6af[i];
		n = frame(buf, hdr, 4, ip6, sizeof(ip6));
		assert_int_equal(decap_frame(DLT_LOOP, buf, n, &pkt),
		    DECAP_OK);
		assert_int_equal(pkt.family, AF_INET6);
		hdr[3] = 0;
		hdr[0] = (uint8_t)v6af[i];
		n = frame(buf, hdr, 4, ip6, sizeof(ip6));
		assert_int_equal(decap_frame(DLT_NULL, buf, n, &pkt),
		    DECAP_OK);
	}
	hdr[0] = 7;		/* AF_APPLETALK-ish: not IP */
	n = frame(buf, hdr, 4, ip4, sizeof(ip4));
	assert_int_equal(decap_frame(DLT_NULL, buf, n, &pkt), DECAP_NOT_IP);
	assert_int_equal(decap_frame(DLT_NULL, buf, 3, &pkt),
	    DECAP_LINK_SHORT);
}

static void
test_ipv6_jumbo_and_supported(void **state)
{
	uint8_t jumbo[48];
	struct decap_packet pkt;

	(void)state;
	memset(jumbo, 0, sizeof(jumbo));
	jumbo[0] = 0x60;	/* payload length 0: a jumbogram */
	assert_int_equal(decap_frame(229, jumbo, sizeof(jumbo), &pkt),
	    DECAP_IP_JUMBO);
	assert_int_equal(stats.ipv6_unsupported, 1);
	assert_true(decap_supported(DLT_EN10MB));
	assert_true(decap_supported(276));
	assert_false(decap_supported(DLT_IEEE802_11));
	assert_string_equal(decap_link_name(DLT_IEEE802_11),
	    "DLT_IEEE802_11");
	assert_int_equal(decap_frame(DLT_IEEE802_11, ip4, sizeof(ip4), &pkt),
	    DECAP_BAD_LINK);
	assert_string_equal(decap_reason_name(DECAP_VLAN_DEPTH),
	    "vlan_depth");
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup(test_ethernet, setup),
		cmocka_unit_test_setup(test_ethernet_padding_trimmed, setup),
		cmocka_unit_test_setup(test_vlan_stacks, setup),
		cmocka_unit_test_setup(test_vlan_too_deep, setup),
		cmocka_unit_test_setup(test_ethernet_not_ip, setup),
		cmocka_unit_test_setup(test_every_short_prefix, setup),
		cmocka_unit_test_setup(test_sll_and_sll2, setup),
		cmocka_unit_test_setup(test_raw, setup),
		cmocka_unit_test_setup(test_null_and_loop, setup),
		cmocka_unit_test_setup(test_ipv6_jumbo_and_supported, setup),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
