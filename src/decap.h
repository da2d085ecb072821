/* decap.h: frame -> IP packet, for every link type we support. Reads the
 * frame only through span.h; never allocates, never touches TCP. */
#ifndef SMTPSCOPE_DECAP_H
#define SMTPSCOPE_DECAP_H

#include <stddef.h>
#include <stdint.h>

#include "span.h"

/* Why a frame gave no IP packet; DECAP_OK when it did. */
#define DECAP_REASONS(X)						\
	X(DECAP_OK,		"ok")					\
	X(DECAP_NOT_IP,		"not_ip")	/* ARP, LLDP, ... */	\
	X(DECAP_LINK_SHORT,	"link_short")	/* cut in link header */\
	X(DECAP_VLAN_DEPTH,	"vlan_depth")	/* too many tags */	\
	X(DECAP_BAD_LINK,	"bad_link")	/* unsupported DLT */	\
	X(DECAP_IP_SHORT,	"ip_short")	/* cut in IP header */	\
	X(DECAP_IP_VERSION,	"ip_version")	/* not 4 nor 6 */	\
	X(DECAP_IP_HEADER,	"ip_header")	/* bad IHL / length */	\
	X(DECAP_IP_TRUNCATED,	"ip_truncated")	/* snaplen cut */	\
	X(DECAP_IP_JUMBO,	"ip_jumbo")	/* v6 jumbogram */

#define DECAP_ENUM(name, str) name,
enum decap_reason { DECAP_REASONS(DECAP_ENUM) };
#undef DECAP_ENUM

#define DECAP_MAX_VLAN	8	/* stacked 802.1Q/802.1ad tags we walk */

struct decap_packet {
	int		family;		/* AF_INET, AF_INET6, or 0 */
	struct span	ip;		/* IP header onwards, padding trimmed */
	unsigned	vlan_tags;	/* tags walked, for the curious */
};

/* 1 if we can take frames of this pcap DLT. */
int		 decap_supported(int dlt);
/* "DLT_EN10MB" etc., or "DLT_UNKNOWN". */
const char	*decap_link_name(int dlt);
/* Decapsulates one captured frame (caplen bytes at p). Counts
 * stats.ipv4/ipv6/other/decap_errors. */
enum decap_reason decap_frame(int dlt, const uint8_t *p, size_t caplen,
		    struct decap_packet *out);
const char	*decap_reason_name(enum decap_reason);

#endif
