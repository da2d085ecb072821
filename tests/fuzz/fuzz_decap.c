/* fuzz_decap.c: libFuzzer target for decap_frame() (every link type we take,
 * up to the IP packet handed to libnids) and, for IPv6, the ip6map rewrite
 * to IPv4 and back. Input: byte 0 picks the DLT, the rest is the frame.
 * Asserts the IP span stays inside the frame, the synthetic IPv4 packet fits
 * its buffer with a valid header checksum, and its addresses map back. */
#include <pcap/dlt.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

#include "decap.h"
#include "ip6map.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static const int dlts[] = {
	DLT_EN10MB, DLT_LINUX_SLL, 276 /* SLL2 */, DLT_RAW, 101 /* RAW */,
	228 /* IPV4 */, 229 /* IPV6 */, DLT_NULL, DLT_LOOP, DLT_PPP, 9999,
};

static struct ip6map *map;
static uint8_t v4[IP6MAP_OUT_MAX];

static void
check_v6(const struct span ip)
{
	enum ip6map_result r;
	uint32_t src, dst, sum = 0;
	uint8_t back[16];
	size_t len = 0, i;

	if (map == NULL) {
		/* Small: full soon, so reuse (and, with the references
		 * below, refusal) is exercised too. */
		ip6map_free(map);
		map = ip6map_new(64);
		if (map == NULL)
			abort();
	}
	r = ip6map_to_v4(map, ip, v4, sizeof(v4), &len);
	(void)ip6map_result_name(r);
	if (r != IP6MAP_OK)
		return;
	if (len < 20 || len > sizeof(v4) || (v4[0] >> 4) != 4)
		__builtin_trap();
	for (i = 0; i < (size_t)(v4[0] & 15) * 4 && i + 1 < len; i += 2)
		sum += (uint32_t)v4[i] << 8 | v4[i + 1];
	while (sum >> 16)
		sum = (sum & 0xffff) + (sum >> 16);
	if (sum != 0xffff)
		__builtin_trap();		/* libnids would drop it */
	memcpy(&src, v4 + 12, 4);
	memcpy(&dst, v4 + 16, 4);
	if (!ip6map_is_synthetic(src) || !ip6map_is_synthetic(dst))
		__builtin_trap();
	/* each synthetic address maps back to the packet's own address */
	if (ip6map_reverse(map, src, back) != 0 ||
	    memcmp(back, ip.p + 8, 16) != 0 ||
	    ip6map_reverse(map, dst, back) != 0 ||
	    memcmp(back, ip.p + 24, 16) != 0)
		__builtin_trap();
	/* as sessions would: hold some addresses, let some go */
	if ((ip.p[23] & 3) == 1)
		ip6map_ref(map, src);
	else if ((ip.p[23] & 3) == 2)
		ip6map_unref(map, src);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct decap_packet pkt;
	enum decap_reason r;
	const uint8_t *frame;
	uint8_t *copy;
	size_t n;
	int dlt;

	if (size < 1)
		return 0;
	dlt = dlts[data[0] % (sizeof(dlts) / sizeof(dlts[0]))];
	n = size - 1;
	/* An exact-size heap copy so ASan sees any read past caplen. */
	copy = malloc(n ? n : 1);
	if (copy == NULL)
		return 0;
	memcpy(copy, data + 1, n);
	frame = copy;
	(void)decap_supported(dlt);
	(void)decap_link_name(dlt);
	memset(&pkt, 0, sizeof(pkt));
	r = decap_frame(dlt, frame, n, &pkt);
	(void)decap_reason_name(r);
	if (r == DECAP_OK) {
		/* The IP packet must lie within the captured frame. */
		if (pkt.ip.p < frame || pkt.ip.p + pkt.ip.n > frame + n)
			__builtin_trap();
		if (pkt.family != AF_INET && pkt.family != AF_INET6)
			__builtin_trap();
		if (pkt.ip.n > 0) {
			volatile uint8_t sink = pkt.ip.p[0] ^ pkt.ip.p[pkt.ip.n - 1];
			(void)sink;
		}
		if (pkt.family == AF_INET6)
			check_v6(pkt.ip);
	}
	free(copy);
	return 0;
}
