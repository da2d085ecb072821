/* reassembly.c: the only includer of nids.h. Feeds libnids raw IPv4
 * (IPv6 mapped by ip6map.c) and translates its callbacks, once, into
 * calls on the dissector interface. Never parses application bytes.
 *
 * Contract with dissectors: we call output_session_open() before open();
 * close(state, why) runs exactly once and the DISSECTOR calls
 * output_session_close() (it alone knows a QUIT+221 ended the session and
 * may report "quit" instead of `why`). After close the flow is freed and
 * a_tcp->user cleared, so a later libnids callback for it is ignored.
 *
 * Three things libnids does not do, done here before it sees a packet:
 * - a handshake captured out of order (SYN, client ACK, SYN/ACK): the
 *   client's packets are held until the SYN/ACK and fed after it;
 * - lost segments: libnids queues data after a hole until its queue
 *   passes 64 KB, then drops it, and never says so. We keep copies of
 *   what it queued; when the hole is stuck (the peer ACKed past it, too
 *   much waits behind it, or the session ends) we report the gap to the
 *   dissector, move libnids' expected sequence past the hole (count and
 *   offset of the receiving half_stream, the only state EXP_SEQ reads)
 *   and feed the copies again;
 * - a new SYN (another ISN) on a 4-tuple still open: the old session
 *   ends as "reused" and the new one is followed. */
#include <nids.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <arpa/inet.h>
#include <sys/socket.h>

#include "config.h"
#include "decap.h"
#include "dissector.h"
#include "flow.h"
#include "hugemem.h"
#include "ip6map.h"
#include "output.h"
#include "reassembly.h"
#include "stats.h"

#define MAX_STREAMS_CAP	(1 << 22)	/* keeps libnids' int sizes sane */
#define SEEN_SLOTS	(1u << 17)	/* 4-tuples remembered for no-SYN */
#define SEEN_MAX	(SEEN_SLOTS / 2)

#define HS_SLOTS	1024u		/* handshakes waiting for a SYN/ACK */
#define HS_HELD		4		/* client packets held per handshake */
#define HS_BYTES_MAX	(4u << 20)	/* held handshake bytes, all flows */
#define HS_WAIT_SEC	5		/* give up on a SYN/ACK after this */

#define HOLD_BYTES_MAX	(256u << 10)	/* copies behind a hole, one direction */
#define HOLD_PKTS_MAX	512u
#define HOLD_TOTAL_MAX	(64u << 20)	/* copies behind holes, all flows */
#define HOLD_SKIP_BYTES	(192u << 10)	/* this much behind a hole: lost */
#define STUCK_PACKETS	8	/* packets of the flow after the peer ACKed
				 * past a hole: not mere capture reordering */

/* A copy of a packet libnids queued behind a hole (raw IPv4, as fed). */
struct held {
	struct held	*next;		/* by sequence */
	struct timeval	 ts;
	uint32_t	 seq, end;	/* its payload */
	size_t		 n;
	uint8_t		 ip[];
};

/* One direction of a followed flow, as the raw packets show it. */
struct rdir {
	struct held	*held;
	size_t		 held_bytes, held_count;
	uint32_t	 high;		/* highest payload end seen */
	uint32_t	 acked;		/* highest ACK of these bytes by the peer */
	unsigned	 have_high : 1, have_ack : 1;
	unsigned	 stuck;		/* packets since the peer ACKed past */
};

/* A followed session: the flow dissectors see, plus our bookkeeping.
 * Kept on a list ordered by last activity for the idle timeout. */
struct rflow {
	struct flow		 flow;
	struct tcp_stream	*tcp;
	struct rflow		*prev, *next;
	time_t			 last;
	struct rdir		 dir[2];	/* 0: to the server, 1: back */
};

/* The TCP header fields we look at, from a raw IPv4 packet. Addresses in
 * network order (as struct tuple4 holds them), ports in host order. */
struct tcpinfo {
	uint32_t	saddr, daddr;
	uint16_t	sport, dport;
	uint32_t	seq, ack;
	uint8_t		flags;
	size_t		paylen;
};

/* A handshake whose SYN/ACK has not been seen yet: the client's packets
 * that arrive first are held here (the capture reordered them). */
struct hs_pkt {
	struct timeval	 ts;
	size_t		 n;
	uint8_t		*ip;
};

struct hs_entry {
	int		 used;
	struct tuple4	 addr;		/* client -> server */
	uint32_t	 isn;
	time_t		 since;
	unsigned	 nheld;
	struct hs_pkt	 held[HS_HELD];
};

struct seen_key {
	uint32_t	a, b;
	uint16_t	pa, pb;
};

/* 32 bytes: the table is 4 MB, two huge pages (hugemem.c). */
struct seen_slot {
	struct seen_key	key;
	uint32_t	isn;		/* of the client's SYN */
	int64_t		first_us;	/* its first packet (the SYN) */
	unsigned	used : 1, syn : 1, data : 1, est : 1;
};
_Static_assert(sizeof(struct seen_slot) == 32, "seen_slot: 32 bytes");

static const struct config	*r_cfg;
static struct output		*r_out;
static struct ip6map		*r_map;
static pcap_t			*r_dead;
static struct rflow		*r_head, *r_tail;	/* oldest first */
static uint64_t			 r_next_id;
static struct timeval		 r_last_ts;
static enum flow_end		 r_exit_why = FLOW_END_CAPTURE_END;
static struct seen_slot		*r_seen;
/* The followed flow of each slot's 4-tuple (NULL: none, or not known):
 * saves a packet of a followed flow libnids' own lookup and its hash,
 * which cost as much as the lookup libnids does for it. Set when the
 * flow opens, cleared when it closes. */
static struct rflow		**r_seen_flow;
static size_t			 r_seen_count;
static uint8_t			 r_v6buf[IP6MAP_OUT_MAX];
static struct hs_entry		*r_hs;
static size_t			 r_hs_bytes;
static size_t			 r_hold_total;
static const struct rflow	*r_closed;	/* last flow stream_close() ended */

/* libnids keeps a pointer to this: static storage. All addresses. */
static struct nids_chksum_ctl	 r_nochecksum = { 0, 0, NIDS_DONT_CHKSUM, 0 };

static void
list_unlink(struct rflow *rf)
{
	if (rf->prev != NULL)
		rf->prev->next = rf->next;
	else
		r_head = rf->next;
	if (rf->next != NULL)
		rf->next->prev = rf->prev;
	else
		r_tail = rf->prev;
	rf->prev = rf->next = NULL;
}

static void
list_append(struct rflow *rf)
{
	rf->prev = r_tail;
	rf->next = NULL;
	if (r_tail != NULL)
		r_tail->next = rf;
	else
		r_head = rf;
	r_tail = rf;
}

static void
flow_touch(struct rflow *rf, time_t now)
{
	rf->last = now;
	if (rf != r_tail) {
		list_unlink(rf);
		list_append(rf);
	}
}

/* Real endpoint for a libnids address: IPv6 behind a synthetic one. */
static void
endpoint_fill(struct endpoint *ep, uint32_t addr, uint16_t port)
{
	uint8_t v6[16];

	ep->port = port;
	if (ip6map_is_synthetic(addr) && r_map != NULL &&
	    ip6map_reverse(r_map, addr, v6) == 0) {
		ep->family = AF_INET6;
		inet_ntop(AF_INET6, v6, ep->ip, sizeof(ep->ip));
	} else {
		ep->family = AF_INET;
		inet_ntop(AF_INET, &addr, ep->ip, sizeof(ep->ip));
	}
}

/* --- streams whose handshake the capture missed ----------------------- */

/* A seen slot keeps its time as microseconds (capture times are never
 * before 1970: pcap stores them unsigned). */
static int64_t
tv_to_us(const struct timeval *tv)
{
	return (int64_t)tv->tv_sec * 1000000 + tv->tv_usec;
}

static struct timeval
us_to_tv(int64_t us)
{
	return (struct timeval){ (time_t)(us / 1000000),
	    (suseconds_t)(us % 1000000) };
}

static size_t
seen_hash(const struct seen_key *k)
{
	uint64_t h = (uint64_t)k->a * 0x9e3779b97f4a7c15ull;

	h ^= (uint64_t)k->b * 0xc2b2ae3d27d4eb4full;
	h ^= ((uint64_t)k->pa << 16 | k->pb) * 0x165667b19e3779f9ull;
	return (size_t)(h ^ h >> 29);
}

static void	seen_count_incomplete(const struct seen_slot *);

static void
seen_forget_all(void)
{
	size_t i;

	for (i = 0; i < SEEN_SLOTS; i++)
		if (r_seen[i].used)
			seen_count_incomplete(&r_seen[i]);
	memset(r_seen, 0, SEEN_SLOTS * sizeof(*r_seen));
	memset(r_seen_flow, 0, SEEN_SLOTS * sizeof(*r_seen_flow));
	r_seen_count = 0;
}

/* 1 if the key was new (and is now remembered), 0 if known. */
static int
seen_insert(const struct seen_key *k)
{
	size_t i = seen_hash(k) & (SEEN_SLOTS - 1);

	while (r_seen[i].used) {
		if (memcmp(&r_seen[i].key, k, sizeof(*k)) == 0)
			return 0;
		i = (i + 1) & (SEEN_SLOTS - 1);
	}
	if (r_seen_count == SEEN_MAX) {
		/* Bounded, and a capture of weeks sees far more tuples:
		 * forget them all and start again. The cost, for flows
		 * open at this moment: a first_ts to the second; one in
		 * the middle of its handshake may count as incomplete. */
		seen_forget_all();
		i = seen_hash(k) & (SEEN_SLOTS - 1);
	}
	r_seen[i].key = *k;
	r_seen[i].used = 1;
	r_seen[i].first_us = tv_to_us(&r_last_ts);
	r_seen_count++;
	return 1;
}

static struct seen_slot *
seen_find(const struct seen_key *k)
{
	size_t i = seen_hash(k) & (SEEN_SLOTS - 1);

	while (r_seen[i].used) {
		if (memcmp(&r_seen[i].key, k, sizeof(*k)) == 0)
			return &r_seen[i];
		i = (i + 1) & (SEEN_SLOTS - 1);
	}
	return NULL;
}

/* One key for both directions (addresses in host order). */
static struct seen_key
seen_key_make(uint32_t src, uint16_t sport, uint32_t dst, uint16_t dport)
{
	if (src < dst || (src == dst && sport < dport))
		return (struct seen_key){ src, dst, sport, dport };
	return (struct seen_key){ dst, src, dport, sport };
}

/* The slot of a stream's 4-tuple, if the table has it. */
static struct seen_slot *
seen_of(const struct tcp_stream *a_tcp)
{
	struct seen_key k = seen_key_make(ntohl(a_tcp->addr.saddr),
	    a_tcp->addr.source, ntohl(a_tcp->addr.daddr), a_tcp->addr.dest);

	return seen_find(&k);
}

/* When the stream's SYN was seen (its slot's record), to the microsecond. */
static void
first_packet_time(const struct seen_slot *slot,
    const struct tcp_stream *a_tcp, struct timeval *tv)
{
	if (slot != NULL) {
		*tv = us_to_tv(slot->first_us);
		return;
	}
	tv->tv_sec = a_tcp->ts;		/* libnids' stamp, to the second */
	tv->tv_usec = 0;
}

static int
seq_after(uint32_t a, uint32_t b)
{
	return (int32_t)(a - b) > 0;
}

/* 0 with *t filled for an unfragmented IPv4 TCP packet, else -1. */
static int
tcp_parse(const uint8_t *ip, size_t n, struct tcpinfo *t)
{
	struct span s = span_make(ip, n);
	uint16_t frag, iplen;
	uint8_t vihl, proto, off;
	size_t ihl, thl;

	if (span_peek_u8(&s, 0, &vihl) == -1 || (vihl >> 4) != 4 ||
	    span_peek_be16(&s, 2, &iplen) == -1 ||
	    span_peek_be16(&s, 6, &frag) == -1 ||
	    span_peek_u8(&s, 9, &proto) == -1 || proto != IPPROTO_TCP ||
	    (frag & 0x3fff) != 0)
		return -1;
	ihl = (size_t)(vihl & 0x0f) * 4;
	if (ihl < 20 || iplen > n || iplen < ihl + 20)
		return -1;
	memcpy(&t->saddr, ip + 12, 4);
	memcpy(&t->daddr, ip + 16, 4);
	s = span_make(ip + ihl, iplen - ihl);
	if (span_peek_be16(&s, 0, &t->sport) == -1 ||
	    span_peek_be16(&s, 2, &t->dport) == -1 ||
	    span_peek_be32(&s, 4, &t->seq) == -1 ||
	    span_peek_be32(&s, 8, &t->ack) == -1 ||
	    span_peek_u8(&s, 12, &off) == -1 ||
	    span_peek_u8(&s, 13, &t->flags) == -1)
		return -1;
	thl = (size_t)(off >> 4) * 4;
	if (thl < 20 || thl > s.n)
		return -1;
	t->paylen = s.n - thl;
	return 0;
}

static int
tcp_is_client_syn(const struct tcpinfo *t)
{
	return (t->flags & (TH_SYN | TH_ACK | TH_RST)) == TH_SYN;
}

static int
tcp_wanted(const struct tcpinfo *t)
{
	return registry_lookup(t->dport) != NULL ||
	    registry_lookup(t->sport) != NULL;
}

/* A SYN seen but never an established stream, though data followed:
 * the SYN/ACK or the client's ACK is missing from the capture. */
static void
seen_count_incomplete(const struct seen_slot *slot)
{
	if (slot->syn && slot->data && !slot->est)
		stats.streams_handshake_incomplete++;
}

/* A TCP packet to or from a dissector's port: remember its 4-tuple; the
 * first packet of a tuple carrying data and no SYN means libnids will
 * never follow that stream. */
static struct tcp_stream *stream_find(const struct tcpinfo *, int *);

static struct seen_slot *
track_handshake(const struct tcpinfo *t)
{
	struct seen_key k;
	struct seen_slot *slot;
	struct tcp_stream *a_tcp;
	int d;

	if (!tcp_wanted(t))
		return NULL;
	k = seen_key_make(ntohl(t->saddr), t->sport, ntohl(t->daddr),
	    t->dport);
	slot = seen_find(&k);
	/* Only the client's SYN lets libnids follow the stream. */
	if (tcp_is_client_syn(t)) {
		if (slot == NULL && seen_insert(&k))
			slot = seen_find(&k);
		else if (slot != NULL && slot->syn && slot->isn != t->seq) {
			/* The tuple reused by a new connection. */
			seen_count_incomplete(slot);
			slot->first_us = tv_to_us(&r_last_ts);
			slot->data = slot->est = 0;
		}
		if (slot != NULL) {
			slot->syn = 1;
			slot->isn = t->seq;
		}
		return slot;
	}
	if (t->paylen == 0)
		return slot;	/* no payload yet */
	if (slot != NULL) {
		slot->data = 1;
		return slot;	/* a stream we know */
	}
	if (seen_insert(&k) && (slot = seen_find(&k)) != NULL) {
		slot->data = 1;
		/* followed already: its SYN came before the table was
		 * started again (seen_forget_all) */
		if ((a_tcp = stream_find(t, &d)) != NULL) {
			slot->syn = slot->est = 1;
			r_seen_flow[slot - r_seen] = a_tcp->user;
			return slot;
		}
		stats.streams_no_handshake++;
	}
	return slot;
}

/* rf closes: its 4-tuple's slot no longer names it (the table may have
 * started again since it opened, and the slot be another's). */
static void
seen_forget_flow(const struct rflow *rf)
{
	struct seen_slot *slot = seen_of(rf->tcp);

	if (slot != NULL && r_seen_flow[slot - r_seen] == rf)
		r_seen_flow[slot - r_seen] = NULL;
}

/* --- libnids callbacks -------------------------------------------------- */

static void
stream_open(struct tcp_stream *a_tcp)
{
	const struct dissector *d;
	struct seen_slot *slot = seen_of(a_tcp);	/* no insert until we return */
	struct rflow *rf;

	stats.tcp_streams++;
	if (slot != NULL)
		slot->est = 1;
	if ((d = registry_lookup(a_tcp->addr.dest)) == NULL) {
		stats.streams_declined++;
		return;		/* not collecting: libnids drops the stream */
	}
	if ((rf = calloc(1, sizeof(*rf))) == NULL) {
		fprintf(stderr, "smtpscope: out of memory\n");
		exit(4);
	}
	rf->flow.id = ++r_next_id;
	endpoint_fill(&rf->flow.client, a_tcp->addr.saddr, a_tcp->addr.source);
	endpoint_fill(&rf->flow.server, a_tcp->addr.daddr, a_tcp->addr.dest);
	first_packet_time(slot, a_tcp, &rf->flow.first_ts);
	rf->flow.now = nids_last_pcap_header->ts;
	rf->flow.dissector = d;
	rf->tcp = a_tcp;
	output_session_open(r_out, &rf->flow);
	if ((rf->flow.state = d->open(&rf->flow, r_out, r_cfg)) == NULL) {
		stats.streams_declined++;
		free(rf);
		return;
	}
	stats.sessions++;
	stats.sessions_open++;
	if (rf->flow.client.family == AF_INET6) {
		/* their synthetic addresses stay theirs while they are open */
		ip6map_ref(r_map, a_tcp->addr.saddr);
		ip6map_ref(r_map, a_tcp->addr.daddr);
	}
	rf->last = rf->flow.now.tv_sec;
	list_append(rf);
	a_tcp->user = rf;
	if (slot != NULL)
		r_seen_flow[slot - r_seen] = rf;
	/* Both directions; never cleared, or libnids forgets us silently. */
	a_tcp->client.collect++;
	a_tcp->server.collect++;
}

/* New bytes of one half stream: libnids keeps only unread bytes because
 * we never call nids_discard(), so they end the buffer. */
static void
half_feed(struct rflow *rf, struct half_stream *h, int to_server)
{
	const uint8_t *p;
	size_t n;

	if (h->count_new <= 0)
		return;
	n = (size_t)h->count_new;
	p = (const uint8_t *)h->data + (h->count - h->offset) - h->count_new;
	if (to_server) {
		rf->flow.client_bytes += n;
		rf->flow.dissector->client_data(rf->flow.state, p, n);
	} else {
		rf->flow.server_bytes += n;
		rf->flow.dissector->server_data(rf->flow.state, p, n);
	}
}

static void
stream_data(struct rflow *rf, struct tcp_stream *a_tcp)
{
	rf->flow.now = nids_last_pcap_header->ts;
	flow_touch(rf, rf->flow.now.tv_sec);
	/* libnids' inversion: `server` is what the server receives. */
	half_feed(rf, &a_tcp->server, 1);
	half_feed(rf, &a_tcp->client, 0);
}

/* The half stream that receives direction d's bytes, and the next
 * sequence number libnids expects there (its EXP_SEQ). */
static struct half_stream *
rcv_half(struct tcp_stream *a_tcp, int d)
{
	return d == 0 ? &a_tcp->server : &a_tcp->client;
}

static uint32_t
expected_seq(const struct tcp_stream *a_tcp, int d)
{
	const struct half_stream *snd = d == 0 ? &a_tcp->client :
	    &a_tcp->server;
	const struct half_stream *rcv = d == 0 ? &a_tcp->server :
	    &a_tcp->client;

	return snd->first_data_seq + (uint32_t)rcv->count +
	    (uint32_t)rcv->urg_count;
}

static void
held_free_all(struct rdir *dir)
{
	struct held *h;

	while ((h = dir->held) != NULL) {
		dir->held = h->next;
		r_hold_total -= h->n;
		free(h);
	}
	dir->held_bytes = dir->held_count = 0;
}

/* At the end: bytes sent in direction d that libnids never delivered
 * (seen beyond what it delivered, or ACKed by the peer beyond it; an
 * ACK one past may be for a FIN, so it takes two to count). */
static void
report_tail_gap(struct rflow *rf, int d)
{
	struct rdir *dir = &rf->dir[d];
	uint32_t exp = expected_seq(rf->tcp, d);
	size_t lost = 0;

	if (dir->have_high && seq_after(dir->high, exp))
		lost = dir->high - exp;
	if (dir->have_ack && seq_after(dir->acked, exp + 1) &&
	    dir->acked - exp - 1 > lost)
		lost = dir->acked - exp - 1;
	if (lost > 0)
		rf->flow.dissector->gap(rf->flow.state, d == 0, lost);
}

/* Ends a session exactly once; the dissector writes the closing line. */
static void
stream_close(struct rflow *rf, enum flow_end why)
{
	int d;

	rf->tcp->user = NULL;
	seen_forget_flow(rf);
	list_unlink(rf);
	for (d = 0; d < 2; d++) {
		report_tail_gap(rf, d);
		held_free_all(&rf->dir[d]);
	}
	rf->flow.dissector->close(rf->flow.state, why);
	stats.sessions_open--;
	if (rf->flow.client.family == AF_INET6) {
		ip6map_unref(r_map, rf->tcp->addr.saddr);
		ip6map_unref(r_map, rf->tcp->addr.daddr);
	}
	r_closed = rf;		/* compared, never dereferenced */
	free(rf);
}

static void
tcp_callback(struct tcp_stream *a_tcp, void **param)
{
	struct rflow *rf = a_tcp->user;

	(void)param;	/* we keep our state in a_tcp->user, see finish */
	if (a_tcp->nids_state == NIDS_JUST_EST) {
		stream_open(a_tcp);
		return;
	}
	if (rf == NULL)
		return;
	if (nids_last_pcap_header != NULL)
		rf->flow.now = nids_last_pcap_header->ts;
	switch (a_tcp->nids_state) {
	case NIDS_DATA:
		stream_data(rf, a_tcp);
		break;
	case NIDS_CLOSE:
		stream_close(rf, FLOW_END_FIN);
		break;
	case NIDS_RESET:
		stream_close(rf, FLOW_END_RST);
		break;
	case NIDS_TIMED_OUT:
		/* libnids times nothing out: this is its table being full. */
		stats.streams_evicted++;
		stream_close(rf, FLOW_END_EVICTED);
		break;
	case NIDS_EXITING:
		rf->flow.now = r_last_ts;
		stream_close(rf, r_exit_why);
		break;
	}
}

static void
nids_warning(int type, int err, struct ip *iph, void *data)
{
	(void)type;
	(void)err;
	(void)iph;
	(void)data;
	stats.nids_warnings++;
}

static void
nids_out_of_memory(char *where)
{
	fprintf(stderr, "smtpscope: out of memory (libnids %s)\n", where);
	exit(4);
}

static int
nids_accept_all(struct ip *iph, int len)
{
	(void)iph;
	(void)len;
	return 1;
}

static int	settle_all(struct rflow *);

/* Closes flows idle for longer than the idle timeout (capture time). */
static void
expire_idle(time_t now)
{
	struct rflow *rf;
	struct tcp_stream *a_tcp;
	time_t idle = (time_t)r_cfg->idle_timeout;

	if (idle == 0)
		return;
	while ((rf = r_head) != NULL && now - rf->last > idle) {
		a_tcp = rf->tcp;
		if (settle_all(rf))
			continue;	/* data behind a hole held its FIN */
		rf->flow.now.tv_sec = rf->last + idle;
		rf->flow.now.tv_usec = 0;
		stream_close(rf, FLOW_END_TIMEOUT);
		/* Outside any libnids callback, so freeing here is safe. */
		nids_free_tcp_stream(a_tcp);
	}
}

/* --- the feed ------------------------------------------------------------ */

static void
nids_feed(const struct timeval *ts, const uint8_t *ip, size_t n)
{
	struct pcap_pkthdr h;

	memset(&h, 0, sizeof(h));
	h.ts = *ts;
	h.caplen = h.len = (bpf_u_int32)n;
	/* libnids wants non-const bytes but only reads them. */
	nids_pcap_handler(NULL, &h, (u_char *)(uintptr_t)ip);
}

/* The libnids stream of a packet and its direction (0: from the client).
 * libnids adds a stream only when neither direction has one, so the order
 * of the two lookups changes nothing but their cost: a packet from a
 * server port (a reply, an ACK) tries its own direction second. */
static struct tcp_stream *
stream_find(const struct tcpinfo *t, int *d)
{
	struct tuple4 fwd = { t->sport, t->dport, t->saddr, t->daddr };
	struct tuple4 rev = { t->dport, t->sport, t->daddr, t->saddr };
	struct tcp_stream *a_tcp;
	int from_server = registry_lookup(t->dport) == NULL &&
	    registry_lookup(t->sport) != NULL;

	if ((a_tcp = nids_find_tcp_stream(from_server ? &rev : &fwd)) != NULL) {
		*d = from_server;
		return a_tcp;
	}
	*d = !from_server;
	return nids_find_tcp_stream(from_server ? &fwd : &rev);
}

/* Keeps a copy of a packet libnids is about to queue behind a hole. */
static void
held_add(struct rdir *dir, const struct timeval *ts, const uint8_t *ip,
    size_t n, const struct tcpinfo *t)
{
	struct held *h, **pp;

	if (dir->held_bytes + n > HOLD_BYTES_MAX ||
	    dir->held_count >= HOLD_PKTS_MAX ||
	    r_hold_total + n > HOLD_TOTAL_MAX ||
	    (h = malloc(sizeof(*h) + n)) == NULL)
		return;		/* reported as part of the gap at the end */
	h->ts = *ts;
	h->seq = t->seq;
	h->end = t->seq + (uint32_t)t->paylen;
	h->n = n;
	memcpy(h->ip, ip, n);
	for (pp = &dir->held; *pp != NULL && !seq_after((*pp)->seq, h->seq);
	    pp = &(*pp)->next)
		;
	h->next = *pp;
	*pp = h;
	dir->held_bytes += n;
	dir->held_count++;
	r_hold_total += n;
}

/* How hard settle() pushes past a hole. */
enum settle_mode {
	SETTLE_PACKET,		/* after a packet: only a hole that is stuck */
	SETTLE_PEER_DATA,	/* the peer is about to send data past it */
	SETTLE_END,		/* the session ends: every hole */
};

static int	settle(struct rflow *, int, enum settle_mode);
static int	settle_peer(struct rflow *, int, const struct tcpinfo *);

/* Feeds a packet, keeping what the flow's raw packets show: highest
 * sequence, the peer's ACKs, copies of what libnids queues behind a
 * hole. 1 if the flow it belonged to has ended meanwhile. */
static int
tracked_feed(const struct timeval *ts, const uint8_t *ip, size_t n,
    const struct tcpinfo *t, const struct seen_slot *slot)
{
	struct tcp_stream *a_tcp;
	struct rflow *rf;
	struct rdir *dir;
	struct half_stream *rcv;
	uint32_t end;
	int d;

	/* Ours are on a dissector's port (stream_open): skip the lookup
	 * for the other traffic, and for a flow its slot knows. */
	if (slot != NULL && (rf = r_seen_flow[slot - r_seen]) != NULL) {
		a_tcp = rf->tcp;
		d = t->saddr != a_tcp->addr.saddr ||
		    t->sport != a_tcp->addr.source;
	} else if (!tcp_wanted(t) || (a_tcp = stream_find(t, &d)) == NULL ||
	    (rf = a_tcp->user) == NULL) {
		nids_feed(ts, ip, n);
		return 0;
	}
	dir = &rf->dir[d];
	if (t->paylen > 0) {
		end = t->seq + (uint32_t)t->paylen;
		if (!dir->have_high || seq_after(end, dir->high))
			dir->high = end;
		dir->have_high = 1;
		/* What libnids queues: after what it expects, inside the
		 * receiver's window (its own test; nothing else is kept). */
		rcv = rcv_half(a_tcp, d);
		if (seq_after(t->seq, expected_seq(a_tcp, d)) &&
		    seq_after(rcv->ack_seq + rcv->window * rcv->wscale, t->seq))
			held_add(dir, ts, ip, n, t);
	}
	if ((t->flags & TH_ACK) && (!rf->dir[!d].have_ack ||
	    seq_after(t->ack, rf->dir[!d].acked))) {
		rf->dir[!d].acked = t->ack;
		rf->dir[!d].have_ack = 1;
	}
	r_closed = NULL;
	/* A reset ends it: deliver what waits behind holes first. Data
	 * from one side answers the other: deliver what it ACKs first. */
	if (((t->flags & TH_RST) && settle_all(rf)) ||
	    (!(t->flags & TH_RST) && settle_peer(rf, d, t))) {
		nids_feed(ts, ip, n);
		return 1;
	}
	nids_feed(ts, ip, n);
	if (r_closed == rf)
		return 1;
	return settle(rf, 0, SETTLE_PACKET) || settle(rf, 1, SETTLE_PACKET);
}

/* Feeds one copy again. libnids drops a segment wholly before what the
 * receiver ACKed (an old retransmission) and one older than the last
 * timestamp (PAWS): true of data behind a hole the peer ACKed past, so
 * for this one packet the receiver's ACK point is put at the copy and
 * PAWS is off; both restored after (an ACK point only ever grows). */
static void
refeed_one(struct rflow *rf, int d, const struct held *h)
{
	struct half_stream *rcv = rcv_half(rf->tcp, d);
	uint32_t ack = rcv->ack_seq;
	u_char ts_on = rcv->ts_on;

	if (seq_after(ack, h->seq))
		rcv->ack_seq = h->seq;
	rcv->ts_on = 0;
	nids_feed(&h->ts, h->ip, h->n);
	if (r_closed == rf)
		return;		/* rcv is gone with its stream */
	rcv->ts_on = ts_on;
	if (seq_after(ack, rcv->ack_seq))
		rcv->ack_seq = ack;
}

/* Feeds again the copies of direction d that libnids now expects (they
 * start at or before its expected sequence); keeps the rest. 1 if the
 * flow ended meanwhile. */
static int
held_refeed(struct rflow *rf, int d)
{
	struct rdir *dir = &rf->dir[d];
	struct held *h;
	struct tcpinfo t;

	while ((h = dir->held) != NULL &&
	    !seq_after(h->seq, expected_seq(rf->tcp, d))) {
		dir->held = h->next;
		dir->held_bytes -= h->n;
		dir->held_count--;
		r_hold_total -= h->n;
		r_closed = NULL;
		if (tcp_parse(h->ip, h->n, &t) == 0)
			refeed_one(rf, d, h);
		free(h);
		if (r_closed == rf)
			return 1;
	}
	return 0;
}

/* Direction d of a followed flow: drops the copies libnids delivered,
 * feeds again those it needs (it prunes its own queue past 64 KB), and
 * when a hole is stuck reports it to the dissector and moves libnids
 * past it. Stuck: the peer ACKed into it (the peer has those bytes, so
 * the capture lost them) for a few packets, or it answers with data, or
 * too much waits behind it, or the session ends. Only the ACKed part of
 * a hole is skipped while the session goes on: the rest may still be
 * retransmitted. 1 if the flow ended meanwhile. */
static int
settle(struct rflow *rf, int d, enum settle_mode mode)
{
	struct rdir *dir = &rf->dir[d];
	struct half_stream *rcv;
	struct held *h;
	uint32_t exp, to, lost;
	int acked;

	for (;;) {
		exp = expected_seq(rf->tcp, d);
		while ((h = dir->held) != NULL && !seq_after(h->end, exp)) {
			dir->held = h->next;
			dir->held_bytes -= h->n;
			dir->held_count--;
			r_hold_total -= h->n;
			free(h);
		}
		if (h == NULL) {
			dir->stuck = 0;
			return 0;
		}
		if (!seq_after(h->seq, exp)) {
			if (held_refeed(rf, d))
				return 1;
			continue;
		}
		/* A hole [exp, h->seq). */
		acked = dir->have_ack && seq_after(dir->acked, exp);
		to = h->seq;
		if (mode != SETTLE_END && dir->held_bytes < HOLD_SKIP_BYTES) {
			if (!acked)
				return 0;
			if (mode == SETTLE_PACKET &&
			    ++dir->stuck <= STUCK_PACKETS)
				return 0;
			if (mode == SETTLE_PEER_DATA && dir->stuck == 0)
				return 0;	/* maybe just reordered */
			if (seq_after(to, dir->acked))
				to = dir->acked;
		}
		lost = to - exp;
		rcv = rcv_half(rf->tcp, d);
		if (rcv->count > INT32_MAX - (int32_t)lost)
			return 0;	/* libnids' int would overflow */
		rf->flow.dissector->gap(rf->flow.state, d == 0, lost);
		/* Nothing waits in its buffer (we read everything), so
		 * count and offset move together. */
		rcv->count += (int)lost;
		rcv->offset += (int)lost;
		dir->stuck = 0;
		if (held_refeed(rf, d))
			return 1;
	}
}

/* A packet with data from direction d's sender about to be fed: the
 * other direction's holes it ACKs past come first. */
static int
settle_peer(struct rflow *rf, int d, const struct tcpinfo *t)
{
	if (t->paylen == 0 || !(t->flags & TH_ACK) ||
	    rf->dir[!d].held == NULL)
		return 0;
	return settle(rf, !d, SETTLE_PEER_DATA);
}

/* Before a session ends on our side: every hole reported, what waits
 * behind delivered. 1 if libnids ended the flow meanwhile. */
static int
settle_all(struct rflow *rf)
{
	return settle(rf, 0, SETTLE_END) || settle(rf, 1, SETTLE_END);
}

/* --- handshakes captured out of order ----------------------------------- */

static size_t
hs_index(const struct tcpinfo *t)
{
	struct seen_key k = seen_key_make(ntohl(t->saddr), t->sport,
	    ntohl(t->daddr), t->dport);

	return seen_hash(&k) & (HS_SLOTS - 1);
}

/* Feeds what an entry held, in capture order, and frees it. */
static void
hs_release(struct hs_entry *e)
{
	struct tcpinfo t;
	unsigned i;

	for (i = 0; i < e->nheld; i++) {
		if (tcp_parse(e->held[i].ip, e->held[i].n, &t) == 0)
			tracked_feed(&e->held[i].ts, e->held[i].ip,
			    e->held[i].n, &t, NULL);
		r_hs_bytes -= e->held[i].n;
		free(e->held[i].ip);
	}
	memset(e, 0, sizeof(*e));
}

static int
hs_match(const struct hs_entry *e, const struct tcpinfo *t, int *from_client)
{
	if (!e->used)
		return 0;
	if (e->addr.saddr == t->saddr && e->addr.source == t->sport &&
	    e->addr.daddr == t->daddr && e->addr.dest == t->dport) {
		*from_client = 1;
		return 1;
	}
	if (e->addr.saddr == t->daddr && e->addr.source == t->dport &&
	    e->addr.daddr == t->saddr && e->addr.dest == t->sport) {
		*from_client = 0;
		return 1;
	}
	return 0;
}

/* Handshakes in progress (client SYN seen, SYN/ACK not yet): packets of
 * the flow that come before the SYN/ACK are held and fed after it.
 * 1 if the packet was taken (held, or fed here with what it released). */
static int
hs_packet(const struct timeval *ts, const uint8_t *ip, size_t n,
    const struct tcpinfo *t)
{
	struct hs_entry *e = &r_hs[hs_index(t)];
	int from_client = 0;
	uint8_t *copy;

	if (tcp_is_client_syn(t)) {
		if (!tcp_wanted(t))
			return 0;
		if (hs_match(e, t, &from_client) && from_client &&
		    e->isn == t->seq)
			return 0;	/* a retransmitted SYN */
		if (e->used)
			hs_release(e);	/* another handshake, or a new ISN */
		e->used = 1;
		e->addr = (struct tuple4){ t->sport, t->dport, t->saddr,
		    t->daddr };
		e->isn = t->seq;
		e->since = ts->tv_sec;
		return 0;		/* the SYN itself goes on */
	}
	if (!hs_match(e, t, &from_client))
		return 0;
	if (!from_client && (t->flags & (TH_SYN | TH_ACK)) ==
	    (TH_SYN | TH_ACK) && t->ack == e->isn + 1) {
		if (e->nheld > 0)
			stats.handshakes_reordered++;
		tracked_feed(ts, ip, n, t, NULL);
		hs_release(e);		/* now in wire order */
		return 1;
	}
	if ((t->flags & TH_RST) || e->nheld == HS_HELD ||
	    ts->tv_sec - e->since > HS_WAIT_SEC ||
	    r_hs_bytes + n > HS_BYTES_MAX ||
	    (copy = malloc(n)) == NULL) {
		/* No SYN/ACK coming (or no room): libnids decides. */
		hs_release(e);
		return 0;
	}
	memcpy(copy, ip, n);
	e->held[e->nheld].ts = *ts;
	e->held[e->nheld].n = n;
	e->held[e->nheld].ip = copy;
	e->nheld++;
	r_hs_bytes += n;
	return 1;
}

/* A client SYN with a new ISN on a 4-tuple libnids still has: the old
 * session never showed its end. End it ("reused") and let the SYN start
 * the new one; libnids would ignore the SYN otherwise. */
static void
port_reuse(const struct tcpinfo *t)
{
	struct tcp_stream *a_tcp;
	struct rflow *rf;
	int d;

	if (!tcp_is_client_syn(t) || (a_tcp = stream_find(t, &d)) == NULL)
		return;
	if (d == 0 && a_tcp->client.first_data_seq == t->seq + 1)
		return;			/* a retransmitted SYN */
	if ((rf = a_tcp->user) != NULL) {
		r_closed = NULL;
		if (settle_all(rf))
			return;		/* libnids ended and freed it */
		stream_close(rf, FLOW_END_REUSED);
	}
	/* Outside any libnids callback, so freeing here is safe. */
	nids_free_tcp_stream(a_tcp);
}

static void
feed_v4(const struct timeval *ts, const uint8_t *ip, size_t n)
{
	struct tcpinfo t;
	struct seen_slot *slot;

	if (tcp_parse(ip, n, &t) == -1) {
		nids_feed(ts, ip, n);	/* fragments, other protocols */
		return;
	}
	slot = track_handshake(&t);
	if (hs_packet(ts, ip, n, &t))
		return;
	port_reuse(&t);
	tracked_feed(ts, ip, n, &t, slot);
}

void
reassembly_packet(const struct timeval *ts, const struct decap_packet *pkt)
{
	enum ip6map_result rc;
	size_t n;

	r_last_ts = *ts;
	expire_idle(ts->tv_sec);
	if (pkt->family == AF_INET) {
		feed_v4(ts, pkt->ip.p, pkt->ip.n);
		return;
	}
	if (pkt->family != AF_INET6)
		return;
	/* A capture of weeks sees more IPv6 addresses than the map holds:
	 * a full map gives new ones the indexes of addresses no open session
	 * uses (sessions hold references from open to close). */
	rc = ip6map_to_v4(r_map, pkt->ip, r_v6buf, sizeof(r_v6buf), &n);
	if (rc != IP6MAP_OK) {
		stats.ipv6_unsupported++;
		return;
	}
	feed_v4(ts, r_v6buf, n);
}

void
reassembly_tick(const struct timeval *now)
{
	if (r_cfg != NULL)
		expire_idle(now->tv_sec);
}

int
reassembly_init(const struct config *cfg, struct output *out,
    size_t streams_max)
{
	size_t streams = cfg->limits.max_sessions;

	r_cfg = cfg;
	r_out = out;
	if (streams == 0 || streams > MAX_STREAMS_CAP)
		streams = MAX_STREAMS_CAP;
	/* libnids writes its whole stream pool at start (13 MB for 65536):
	 * on a small file that was most of the run. */
	if (streams_max > 0 && streams_max < streams)
		streams = streams_max;
	r_map = ip6map_new(streams * 2);
	r_seen = huge_zalloc(SEEN_SLOTS * sizeof(*r_seen));
	r_seen_flow = calloc(SEEN_SLOTS, sizeof(*r_seen_flow));
	r_hs = calloc(HS_SLOTS, sizeof(*r_hs));
	r_dead = pcap_open_dead(DLT_RAW, IP6MAP_OUT_MAX + 1);
	if (r_map == NULL || r_seen == NULL || r_seen_flow == NULL ||
	    r_hs == NULL ||
	    r_dead == NULL) {
		fprintf(stderr, "smtpscope: out of memory\n");
		return -1;
	}
	nids_params.pcap_desc = r_dead;
	nids_params.device = NULL;
	nids_params.filename = NULL;
	nids_params.pcap_filter = NULL;
	/* libnids keeps 3/4 of its table as streams. */
	nids_params.n_tcp_streams = (int)(streams / 3 * 4 + 4);
	nids_params.n_hosts = 4096;		/* IPv4 defragmentation */
	nids_params.scan_num_hosts = 0;		/* no port-scan detection */
	nids_params.syslog = nids_warning;
	nids_params.no_mem = nids_out_of_memory;
	nids_params.ip_filter = nids_accept_all;
	nids_params.multiproc = 0;
	nids_params.tcp_workarounds = 0;
	/* Its SYN-reuse timeout frees streams without a callback: off; our
	 * own idle timeout (expire_idle) ends quiet sessions instead. */
	nids_params.tcp_flow_timeout = 0;
	if (!nids_init()) {
		fprintf(stderr, "smtpscope: libnids: %s\n", nids_errbuf);
		return -1;
	}
	nids_register_chksum_ctl(&r_nochecksum, 1);
	nids_register_tcp(tcp_callback);
	return 0;
}

static int
by_id(const void *a, const void *b)
{
	const struct rflow *x = *(struct rflow *const *)a;
	const struct rflow *y = *(struct rflow *const *)b;

	return x->flow.id < y->flow.id ? -1 : x->flow.id > y->flow.id;
}

void
reassembly_finish(enum flow_end why)
{
	struct rflow **all, *rf, *next;
	size_t n = 0, i;

	r_exit_why = why;
	/* What waits behind holes first (it may end a flow with its FIN);
	 * a flow fed here moves to the tail and is met once more, idle. */
	for (rf = r_head; rf != NULL; rf = next) {
		next = rf->next;
		settle_all(rf);
	}
	for (rf = r_head; rf != NULL; rf = rf->next)
		n++;
	/* Close in order of opening (stable output); nids_exit() would walk
	 * its hash table. Without memory, let nids_exit() do it. */
	if (n > 0 && (all = calloc(n, sizeof(*all))) != NULL) {
		for (i = 0, rf = r_head; rf != NULL; rf = rf->next)
			all[i++] = rf;
		qsort(all, n, sizeof(*all), by_id);
		for (i = 0; i < n; i++) {
			all[i]->flow.now = r_last_ts;
			stream_close(all[i], why);
		}
		free(all);
	}
	if (r_dead != NULL) {
		nids_exit();	/* NIDS_EXITING for anything left */
		pcap_close(r_dead);
		r_dead = NULL;
	}
	/* Handshakes that never saw their SYN/ACK: libnids cannot follow. */
	for (i = 0; r_hs != NULL && i < HS_SLOTS; i++)
		while (r_hs[i].nheld > 0) {
			r_hs[i].nheld--;
			r_hs_bytes -= r_hs[i].held[r_hs[i].nheld].n;
			free(r_hs[i].held[r_hs[i].nheld].ip);
		}
	free(r_hs);
	r_hs = NULL;
	for (i = 0; r_seen != NULL && r_seen_count > 0 && i < SEEN_SLOTS; i++)
		if (r_seen[i].used)
			seen_count_incomplete(&r_seen[i]);
	ip6map_free(r_map);
	r_map = NULL;
	huge_free(r_seen, SEEN_SLOTS * sizeof(*r_seen));
	r_seen = NULL;
	free(r_seen_flow);
	r_seen_flow = NULL;
}
