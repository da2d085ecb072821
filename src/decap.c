/* decap.c: link layers -> IP packet (Ethernet + VLAN stacks, SLL, SLL2,
 * NULL/LOOP, raw IP). Every byte is read through span.h; a short or odd
 * frame is a named reason, counted, never a crash. No TCP knowledge here. */
#include <pcap/pcap.h>
#include <stdint.h>
#include <stdio.h>
#include <sys/socket.h>

#include "decap.h"
#include "stats.h"

#define ETHERTYPE_IPV4	0x0800
#define ETHERTYPE_IPV6	0x86dd
#define ETHERTYPE_8021Q	0x8100
#define ETHERTYPE_8021AD 0x88a8
#define ETHERTYPE_QINQ	0x9100	/* pre-standard QinQ */

/* Not every libpcap defines these; the numbers are fixed by tcpdump.org. */
#ifndef DLT_LINUX_SLL2
#define DLT_LINUX_SLL2	276
#endif
#ifndef DLT_IPV4
#define DLT_IPV4	228
#endif
#ifndef DLT_IPV6
#define DLT_IPV6	229
#endif
#define LINKTYPE_RAW	101	/* what some files carry for DLT_RAW */

/* BSD AF_INET6 values differ per OS; DLT_NULL carries the writer's. */
#define BSD_AF_INET		2
#define BSD_AF_INET6_BSD	24	/* NetBSD, OpenBSD, BSD/OS */
#define BSD_AF_INET6_FREEBSD	28
#define BSD_AF_INET6_DARWIN	30
#define LINUX_AF_INET6		10	/* Linux writes DLT_NULL too */

static const char *const reason_names[] = {
#define DECAP_NAME(name, str) str,
	DECAP_REASONS(DECAP_NAME)
#undef DECAP_NAME
};

const char *
decap_reason_name(enum decap_reason r)
{
	if ((size_t)r >= sizeof(reason_names) / sizeof(reason_names[0]))
		return "unknown";
	return reason_names[r];
}

int
decap_supported(int dlt)
{
	switch (dlt) {
	case DLT_EN10MB:
	case DLT_LINUX_SLL:
	case DLT_LINUX_SLL2:
	case DLT_RAW:
	case LINKTYPE_RAW:
	case DLT_IPV4:
	case DLT_IPV6:
	case DLT_NULL:
	case DLT_LOOP:
		return 1;
	}
	return 0;
}

const char *
decap_link_name(int dlt)
{
	static char buf[64];
	const char *name;

	if (dlt == LINKTYPE_RAW)
		dlt = DLT_RAW;
	name = pcap_datalink_val_to_name(dlt);
	if (name == NULL)
		return "DLT_UNKNOWN";
	snprintf(buf, sizeof(buf), "DLT_%s", name);
	return buf;
}

/* The IP layer: checks the header, trims link padding to the IP length. */
static enum decap_reason
decap_ip(struct span s, int want, struct decap_packet *out)
{
	uint8_t vihl;
	uint16_t total, plen;
	size_t ihl;

	if (span_peek_u8(&s, 0, &vihl) == -1)
		return DECAP_IP_SHORT;
	if (want == 0)
		want = vihl >> 4 == 6 ? AF_INET6 : vihl >> 4 == 4 ? AF_INET : -1;
	if (want == AF_INET && vihl >> 4 == 4) {
		stats.ipv4++;
		ihl = (size_t)(vihl & 0x0f) * 4;
		if (span_peek_be16(&s, 2, &total) == -1 || s.n < 20)
			return DECAP_IP_SHORT;
		if (ihl < 20 || total < ihl)
			return DECAP_IP_HEADER;
		if (s.n < ihl)
			return DECAP_IP_SHORT;
		if (span_trim(&s, total) == -1)
			return DECAP_IP_TRUNCATED;
		out->family = AF_INET;
	} else if (want == AF_INET6 && vihl >> 4 == 6) {
		stats.ipv6++;
		if (span_peek_be16(&s, 4, &plen) == -1 || s.n < 40)
			return DECAP_IP_SHORT;
		if (plen == 0)
			return DECAP_IP_JUMBO;	/* or empty: nothing for TCP */
		if (span_trim(&s, (size_t)40 + plen) == -1)
			return DECAP_IP_TRUNCATED;
		out->family = AF_INET6;
	} else
		return DECAP_IP_VERSION;
	out->ip = s;
	return DECAP_OK;
}

/* An ethertype, after any stack of VLAN tags that s starts with. */
static enum decap_reason
decap_ethertype(struct span s, uint16_t type, struct decap_packet *out)
{
	while (type == ETHERTYPE_8021Q || type == ETHERTYPE_8021AD ||
	    type == ETHERTYPE_QINQ) {
		if (out->vlan_tags == DECAP_MAX_VLAN)
			return DECAP_VLAN_DEPTH;
		/* TCI (2 bytes), then the next type */
		if (span_skip(&s, 2) == -1 || span_take_be16(&s, &type) == -1)
			return DECAP_LINK_SHORT;
		out->vlan_tags++;
	}
	if (type == ETHERTYPE_IPV4)
		return decap_ip(s, AF_INET, out);
	if (type == ETHERTYPE_IPV6)
		return decap_ip(s, AF_INET6, out);
	return DECAP_NOT_IP;
}

static enum decap_reason
decap_ethernet(struct span s, struct decap_packet *out)
{
	uint16_t type;

	if (span_skip(&s, 12) == -1 || span_take_be16(&s, &type) == -1)
		return DECAP_LINK_SHORT;
	return decap_ethertype(s, type, out);
}

/* Linux cooked v1: type(2) arphrd(2) halen(2) addr(8) protocol(2). */
static enum decap_reason
decap_sll(struct span s, struct decap_packet *out)
{
	uint16_t type;

	if (span_skip(&s, 14) == -1 || span_take_be16(&s, &type) == -1)
		return DECAP_LINK_SHORT;
	return decap_ethertype(s, type, out);
}

/* Linux cooked v2: protocol(2) reserved(2) ifindex(4) arphrd(2)
 * pkttype(1) halen(1) addr(8). */
static enum decap_reason
decap_sll2(struct span s, struct decap_packet *out)
{
	uint16_t type;

	if (span_take_be16(&s, &type) == -1 || span_skip(&s, 18) == -1)
		return DECAP_LINK_SHORT;
	return decap_ethertype(s, type, out);
}

/* BSD loopback: a 4-byte AF value, in the writer's byte order for
 * DLT_NULL, in network order for DLT_LOOP. */
static enum decap_reason
decap_null(struct span s, int network_order, struct decap_packet *out)
{
	uint32_t af;

	if (network_order) {
		if (span_peek_be32(&s, 0, &af) == -1)
			return DECAP_LINK_SHORT;
	} else {
		if (span_peek_le32(&s, 0, &af) == -1)
			return DECAP_LINK_SHORT;
		/* Written big-endian: AF values are small. */
		if (af & 0xffff0000u)
			af = __builtin_bswap32(af);
	}
	span_skip(&s, 4);
	switch (af) {
	case BSD_AF_INET:
		return decap_ip(s, AF_INET, out);
	case LINUX_AF_INET6:
	case BSD_AF_INET6_BSD:
	case BSD_AF_INET6_FREEBSD:
	case BSD_AF_INET6_DARWIN:
		return decap_ip(s, AF_INET6, out);
	}
	return DECAP_NOT_IP;
}

static enum decap_reason
decap_link(int dlt, struct span s, struct decap_packet *out)
{
	switch (dlt) {
	case DLT_EN10MB:
		return decap_ethernet(s, out);
	case DLT_LINUX_SLL:
		return decap_sll(s, out);
	case DLT_LINUX_SLL2:
		return decap_sll2(s, out);
	case DLT_RAW:
	case LINKTYPE_RAW:
		return decap_ip(s, 0, out);
	case DLT_IPV4:
		return decap_ip(s, AF_INET, out);
	case DLT_IPV6:
		return decap_ip(s, AF_INET6, out);
	case DLT_NULL:
		return decap_null(s, 0, out);
	case DLT_LOOP:
		return decap_null(s, 1, out);
	}
	return DECAP_BAD_LINK;
}

enum decap_reason
decap_frame(int dlt, const uint8_t *p, size_t caplen, struct decap_packet *out)
{
	enum decap_reason r;

	out->family = 0;
	out->ip = span_make(p, 0);
	out->vlan_tags = 0;
	r = decap_link(dlt, span_make(p, caplen), out);
	if (r == DECAP_NOT_IP)
		stats.other++;
	else if (r == DECAP_IP_JUMBO)
		stats.ipv6_unsupported++;
	else if (r != DECAP_OK && r != DECAP_IP_TRUNCATED)
		stats.decap_errors++;	/* snaplen cuts: stats.truncated */
	if (r != DECAP_OK)
		out->family = 0;
	return r;
}
