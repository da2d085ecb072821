/* ip6map.h: IPv6 TCP packets -> synthetic IPv4 packets for libnids (which
 * is IPv4-only), and the synthetic addresses back to the real ones.
 * Bounded: never grows. When full, a new address takes the index of one
 * no open session references (ip6map_ref) and not recently looked up;
 * only when every index is referenced is an address refused (counted). */
#ifndef SMTPSCOPE_IP6MAP_H
#define SMTPSCOPE_IP6MAP_H

#include <stddef.h>
#include <stdint.h>

#include "span.h"

/* Synthetic addresses come from 240.0.0.0/4 (reserved, never routed). */
#define IP6MAP_NET	0xf0000000u
#define IP6MAP_MASK	0xf0000000u
#define IP6MAP_MAX	((size_t)1 << 24)	/* hard cap on max_addrs */

/* Room the caller gives ip6map_to_v4 for the largest IPv4 packet. */
#define IP6MAP_OUT_MAX	65535

enum ip6map_result {
	IP6MAP_OK,
	IP6MAP_NOT_TCP,		/* UDP, ICMPv6, ESP, no next header */
	IP6MAP_FRAGMENT,	/* fragmented v6: not reassembled */
	IP6MAP_MALFORMED,	/* extension headers or TCP cut short */
	IP6MAP_FULL,		/* address table full */
	IP6MAP_TOO_BIG,		/* would not fit an IPv4 total length */
};

struct ip6map;

/* A map holding at most max_addrs IPv6 addresses; NULL if out of memory. */
struct ip6map	*ip6map_new(size_t max_addrs);
void		 ip6map_free(struct ip6map *);
size_t		 ip6map_count(const struct ip6map *);
/* An open session uses this synthetic address (network order): its
 * index is not given to another address until the last unref. */
void		 ip6map_ref(struct ip6map *, uint32_t v4);
void		 ip6map_unref(struct ip6map *, uint32_t v4);
/* How many times an index went to a new address (the table was full). */
uint64_t	 ip6map_reused(const struct ip6map *);

/* Rewrites the IPv6 packet v6 (fixed header onwards) as IPv4 + the same
 * TCP segment into out[0..cap), *outlen set. The IPv4 header checksum is
 * valid; the TCP checksum is not (checksum checks are off in libnids). */
enum ip6map_result ip6map_to_v4(struct ip6map *, struct span v6,
		    uint8_t *out, size_t cap, size_t *outlen);

/* 1 if the IPv4 address (network order) lies in the synthetic block. */
int		 ip6map_is_synthetic(uint32_t v4);
/* The real IPv6 address behind a synthetic one: 0, or -1 if unknown. */
int		 ip6map_reverse(const struct ip6map *, uint32_t v4,
		    uint8_t v6[16]);

const char	*ip6map_result_name(enum ip6map_result);

#endif
