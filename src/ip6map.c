/* ip6map.c: walks IPv6 extension headers to TCP, maps each address to a
 * synthetic IPv4 address (a bounded open-addressing table + a reverse
 * array) and writes an IPv4 header with a correct checksum. Never reads
 * past the packet; never grows past its bound.
 *
 * A capture of weeks sees more addresses than the table holds. When it is
 * full, a new address takes the index of one that no open session uses
 * (reference counts kept by reassembly.c) and that was not looked up
 * since the clock hand last passed (second chance: a handshake in
 * progress keeps its addresses). */
#include <arpa/inet.h>
#include <stdlib.h>
#include <string.h>

#include "hugemem.h"
#include "ip6map.h"

#define NH_HOPOPTS	0
#define NH_TCP		6
#define NH_ROUTING	43
#define NH_FRAGMENT	44
#define NH_AH		51
#define NH_NONE		59
#define NH_DSTOPTS	60
#define NH_MOBILITY	135
#define MAX_EXT_HEADERS	16	/* more is hostile, not real */

struct ip6map {
	uint8_t		(*addrs)[16];	/* index i -> synthetic IP6MAP_NET+i+1 */
	uint32_t	*refs;		/* open sessions using index i */
	uint8_t		*used;		/* looked up since the hand passed */
	uint32_t	*slots;		/* hash: index + 1, 0 = empty */
	void		*mem;		/* the four arrays, one mapping */
	size_t		 memlen;
	size_t		 nslots;	/* power of two, > 2 * max */
	size_t		 count;
	size_t		 max;
	size_t		 referenced;	/* indexes with refs > 0 */
	size_t		 hand;		/* the clock's next index */
	uint64_t	 reused;	/* indexes given to a new address */
};

struct ip6map *
ip6map_new(size_t max_addrs)
{
	struct ip6map *m;

	if (max_addrs == 0 || max_addrs > IP6MAP_MAX)
		max_addrs = IP6MAP_MAX;
	if ((m = calloc(1, sizeof(*m))) == NULL)
		return NULL;
	m->max = max_addrs;
	for (m->nslots = 16; m->nslots < 2 * max_addrs; m->nslots *= 2)
		;
	/* Zeroed pages the kernel maps only when touched (a capture without
	 * IPv6 never touches them), where calloc would clear the 4 MB the
	 * default limits give at start. Widest element first, so that each
	 * array starts aligned for its own: 16, 4, 4 and 1 bytes. */
	m->memlen = m->nslots * sizeof(*m->slots) + max_addrs *
	    (sizeof(*m->addrs) + sizeof(*m->refs) + sizeof(*m->used));
	if ((m->mem = huge_zalloc(m->memlen)) == NULL) {
		free(m);
		return NULL;
	}
	m->addrs = m->mem;
	m->slots = (uint32_t *)(void *)(m->addrs + max_addrs);
	m->refs = m->slots + m->nslots;
	m->used = (uint8_t *)(m->refs + max_addrs);
	return m;
}

void
ip6map_free(struct ip6map *m)
{
	if (m == NULL)
		return;
	huge_free(m->mem, m->memlen);
	free(m);
}

size_t
ip6map_count(const struct ip6map *m)
{
	return m->count;
}

uint64_t
ip6map_reused(const struct ip6map *m)
{
	return m->reused;
}

/* FNV-1a: addresses are attacker-chosen, but the table is bounded and
 * probing is linear over a table at most half full. */
static size_t
addr_hash(const uint8_t a[16])
{
	uint64_t h = 0xcbf29ce484222325ull;
	int i;

	for (i = 0; i < 16; i++) {
		h ^= a[i];
		h *= 0x100000001b3ull;
	}
	return (size_t)(h ^ h >> 32);
}

/* The slot holding index idx (its address is in the table). */
static size_t
slot_of(const struct ip6map *m, uint32_t idx)
{
	size_t i = addr_hash(m->addrs[idx - 1]) & (m->nslots - 1);

	while (m->slots[i] != idx)
		i = (i + 1) & (m->nslots - 1);
	return i;
}

/* Empties slot i and moves later entries of its probe run back, so that
 * every remaining address is still found from its home slot. */
static void
slot_delete(struct ip6map *m, size_t i)
{
	size_t mask = m->nslots - 1, j = i, home;

	for (;;) {
		m->slots[i] = 0;
		for (;;) {
			j = (j + 1) & mask;
			if (m->slots[j] == 0)
				return;
			home = addr_hash(m->addrs[m->slots[j] - 1]) & mask;
			/* stays if its home lies cyclically in (i, j] */
			if (i <= j ? (i < home && home <= j) :
			    (i < home || home <= j))
				continue;
			break;
		}
		m->slots[i] = m->slots[j];
		i = j;
	}
}

/* An index to give a new address: unreferenced, not `avoid` (the other
 * address of the same packet), unused since the hand last passed; 0 if
 * every index is referenced. */
static uint32_t
clock_victim(struct ip6map *m, uint32_t avoid)
{
	size_t n;

	if (m->referenced + (avoid != 0 && m->refs[avoid - 1] == 0) >= m->max)
		return 0;
	for (n = 0; n < 2 * m->max + 1; n++) {
		size_t i = m->hand;

		m->hand = (m->hand + 1) % m->max;
		if (m->refs[i] != 0 || i + 1 == avoid)
			continue;
		if (m->used[i]) {
			m->used[i] = 0;
			continue;
		}
		return (uint32_t)(i + 1);
	}
	return 0;
}

/* The index for a (existing or new), or 0 if none can be had. */
static uint32_t
addr_map(struct ip6map *m, const uint8_t a[16], uint32_t avoid)
{
	size_t i = addr_hash(a) & (m->nslots - 1);
	uint32_t idx;

	while ((idx = m->slots[i]) != 0) {
		if (memcmp(m->addrs[idx - 1], a, 16) == 0) {
			m->used[idx - 1] = 1;
			return idx;
		}
		i = (i + 1) & (m->nslots - 1);
	}
	if (m->count < m->max)
		idx = (uint32_t)++m->count;
	else {
		if ((idx = clock_victim(m, avoid)) == 0)
			return 0;
		slot_delete(m, slot_of(m, idx));
		m->reused++;
		/* the probe run may have moved: find a free slot again */
		i = addr_hash(a) & (m->nslots - 1);
		while (m->slots[i] != 0)
			i = (i + 1) & (m->nslots - 1);
	}
	memcpy(m->addrs[idx - 1], a, 16);
	m->used[idx - 1] = 1;
	m->slots[i] = idx;
	return idx;
}

/* The index behind a synthetic address, or 0. */
static uint32_t
v4_index(const struct ip6map *m, uint32_t v4)
{
	uint32_t idx = ntohl(v4) & ~IP6MAP_MASK;

	if (!ip6map_is_synthetic(v4) || idx == 0 || idx > m->count)
		return 0;
	return idx;
}

void
ip6map_ref(struct ip6map *m, uint32_t v4)
{
	uint32_t idx = v4_index(m, v4);

	if (idx != 0 && m->refs[idx - 1]++ == 0)
		m->referenced++;
}

void
ip6map_unref(struct ip6map *m, uint32_t v4)
{
	uint32_t idx = v4_index(m, v4);

	if (idx != 0 && m->refs[idx - 1] > 0 && --m->refs[idx - 1] == 0)
		m->referenced--;
}

int
ip6map_is_synthetic(uint32_t v4)
{
	return (ntohl(v4) & IP6MAP_MASK) == IP6MAP_NET;
}

int
ip6map_reverse(const struct ip6map *m, uint32_t v4, uint8_t v6[16])
{
	uint32_t idx = v4_index(m, v4);

	if (idx == 0)
		return -1;
	memcpy(v6, m->addrs[idx - 1], 16);
	return 0;
}

/* Walks the extension headers after the fixed header; leaves s at the
 * upper-layer header and returns the OK result when that is TCP. */
static enum ip6map_result
ext_walk(struct span *s, uint8_t nh)
{
	uint8_t len8;
	uint16_t off;
	size_t len;
	int i;

	for (i = 0; i < MAX_EXT_HEADERS; i++) {
		switch (nh) {
		case NH_TCP:
			return IP6MAP_OK;
		case NH_HOPOPTS:
		case NH_ROUTING:
		case NH_DSTOPTS:
		case NH_MOBILITY:
		case NH_AH:
			if (span_peek_u8(s, 1, &len8) == -1)
				return IP6MAP_MALFORMED;
			len = nh == NH_AH ? ((size_t)len8 + 2) * 4 :
			    ((size_t)len8 + 1) * 8;
			break;
		case NH_FRAGMENT:
			if (span_peek_be16(s, 2, &off) == -1)
				return IP6MAP_MALFORMED;
			/* Only an atomic fragment (offset 0, no more) is whole. */
			if ((off & 0xfff9) != 0)
				return IP6MAP_FRAGMENT;
			len = 8;
			break;
		default:
			return IP6MAP_NOT_TCP;
		}
		if (span_peek_u8(s, 0, &nh) == -1 || span_skip(s, len) == -1)
			return IP6MAP_MALFORMED;
	}
	return IP6MAP_MALFORMED;
}

static uint16_t
ipv4_checksum(const uint8_t *h, size_t n)
{
	uint32_t sum = 0;
	size_t i;

	for (i = 0; i + 1 < n; i += 2)
		sum += (uint32_t)(h[i] << 8 | h[i + 1]);
	while (sum >> 16)
		sum = (sum & 0xffff) + (sum >> 16);
	return (uint16_t)~sum;
}

static void
ipv4_header(uint8_t h[20], uint8_t tos, uint16_t total, uint8_t ttl,
    uint32_t src, uint32_t dst)
{
	uint16_t sum;

	memset(h, 0, 20);
	h[0] = 0x45;
	h[1] = tos;
	h[2] = (uint8_t)(total >> 8);
	h[3] = (uint8_t)total;
	h[6] = 0x40;		/* DF: never an IPv4 fragment */
	h[8] = ttl;
	h[9] = NH_TCP;
	memcpy(h + 12, &src, 4);
	memcpy(h + 16, &dst, 4);
	sum = ipv4_checksum(h, 20);
	h[10] = (uint8_t)(sum >> 8);
	h[11] = (uint8_t)sum;
}

enum ip6map_result
ip6map_to_v4(struct ip6map *m, struct span v6, uint8_t *out, size_t cap,
    size_t *outlen)
{
	struct span s = v6, fixed;
	enum ip6map_result r;
	uint32_t vtcf, src, dst;
	uint8_t nh, hlim;

	*outlen = 0;
	if (span_take(&s, 40, &fixed) == -1 ||
	    span_peek_be32(&fixed, 0, &vtcf) == -1 || vtcf >> 28 != 6)
		return IP6MAP_MALFORMED;
	nh = fixed.p[6];
	hlim = fixed.p[7];
	if ((r = ext_walk(&s, nh)) != IP6MAP_OK)
		return r;
	if (s.n < 20)
		return IP6MAP_MALFORMED;
	if (s.n + 20 > 65535 || s.n + 20 > cap)
		return IP6MAP_TOO_BIG;
	if ((src = addr_map(m, fixed.p + 8, 0)) == 0 ||
	    (dst = addr_map(m, fixed.p + 24, src)) == 0)
		return IP6MAP_FULL;
	src = htonl(IP6MAP_NET | src);
	dst = htonl(IP6MAP_NET | dst);
	ipv4_header(out, (uint8_t)(vtcf >> 20), (uint16_t)(s.n + 20), hlim,
	    src, dst);
	memcpy(out + 20, s.p, s.n);
	*outlen = s.n + 20;
	return IP6MAP_OK;
}

const char *
ip6map_result_name(enum ip6map_result r)
{
	switch (r) {
	case IP6MAP_OK:		return "ok";
	case IP6MAP_NOT_TCP:	return "not_tcp";
	case IP6MAP_FRAGMENT:	return "fragment";
	case IP6MAP_MALFORMED:	return "malformed";
	case IP6MAP_FULL:	return "table_full";
	case IP6MAP_TOO_BIG:	return "too_big";
	}
	return "unknown";
}
