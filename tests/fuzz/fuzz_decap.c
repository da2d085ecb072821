/* fuzz_decap.c: libFuzzer target for decap_frame() (every link type we take,
 * up to the IP packet handed to libnids). Input: byte 0 picks the DLT, the
 * rest is the frame. Asserts the IP span stays inside the frame. */
#include <pcap/dlt.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

#include "decap.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static const int dlts[] = {
	DLT_EN10MB, DLT_LINUX_SLL, 276 /* SLL2 */, DLT_RAW, 101 /* RAW */,
	228 /* IPV4 */, 229 /* IPV6 */, DLT_NULL, DLT_LOOP, DLT_PPP, 9999,
};

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
	}
	free(copy);
	return 0;
}
