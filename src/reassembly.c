/* reassembly.c: the only includer of nids.h. Feeds libnids raw IPv4
 * (IPv6 mapped by ip6map.c) and translates its callbacks, once, into
 * calls on the dissector interface. Never parses application bytes.
 *
 * Contract with dissectors: we call output_session_open() before open();
 * close(state, why) runs exactly once and the DISSECTOR calls
 * output_session_close() (it alone knows a QUIT+221 ended the session and
 * may report "quit" instead of `why`). After close the flow is freed and
 * a_tcp->user cleared, so a later libnids callback for it is ignored. */
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
#include "ip6map.h"
#include "output.h"
#include "reassembly.h"
#include "stats.h"

#define MAX_STREAMS_CAP	(1 << 22)	/* keeps libnids' int sizes sane */
#define SEEN_SLOTS	(1u << 17)	/* 4-tuples remembered for no-SYN */
#define SEEN_MAX	(SEEN_SLOTS / 2)

/* A followed session: the flow dissectors see, plus our bookkeeping.
 * Kept on a list ordered by last activity for the idle timeout. */
struct rflow {
	struct flow		 flow;
	struct tcp_stream	*tcp;
	struct rflow		*prev, *next;
	time_t			 last;
};

struct seen_key {
	uint32_t	a, b;
	uint16_t	pa, pb;
};

struct seen_slot {
	struct seen_key	key;
	int		used;
	struct timeval	first;		/* its first packet (the SYN) */
};

static const struct config	*r_cfg;
static struct output		*r_out;
static struct ip6map		*r_map;
static pcap_t			*r_dead;
static struct rflow		*r_head, *r_tail;	/* oldest first */
static uint64_t			 r_next_id;
static struct timeval		 r_last_ts;
static enum flow_end		 r_exit_why = FLOW_END_CAPTURE_END;
static struct seen_slot		*r_seen;
static size_t			 r_seen_count;
static uint8_t			 r_v6buf[IP6MAP_OUT_MAX];

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

static size_t
seen_hash(const struct seen_key *k)
{
	uint64_t h = (uint64_t)k->a * 0x9e3779b97f4a7c15ull;

	h ^= (uint64_t)k->b * 0xc2b2ae3d27d4eb4full;
	h ^= ((uint64_t)k->pa << 16 | k->pb) * 0x165667b19e3779f9ull;
	return (size_t)(h ^ h >> 29);
}

/* 1 if the key was new (and is now remembered), 0 if known or full. */
static int
seen_insert(const struct seen_key *k)
{
	size_t i = seen_hash(k) & (SEEN_SLOTS - 1);

	while (r_seen[i].used) {
		if (memcmp(&r_seen[i].key, k, sizeof(*k)) == 0)
			return 0;
		i = (i + 1) & (SEEN_SLOTS - 1);
	}
	if (r_seen_count == SEEN_MAX)
		return 0;	/* bounded: later flows go uncounted */
	r_seen[i].key = *k;
	r_seen[i].used = 1;
	r_seen[i].first = r_last_ts;
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

/* When the stream's SYN was seen, to the microsecond. */
static void
first_packet_time(const struct tcp_stream *a_tcp, struct timeval *tv)
{
	struct seen_key k = seen_key_make(ntohl(a_tcp->addr.saddr),
	    a_tcp->addr.source, ntohl(a_tcp->addr.daddr), a_tcp->addr.dest);
	struct seen_slot *slot = seen_find(&k);

	if (slot != NULL) {
		*tv = slot->first;
		return;
	}
	tv->tv_sec = a_tcp->ts;		/* libnids' stamp, to the second */
	tv->tv_usec = 0;
}

/* A TCP packet to or from a dissector's port: remember its 4-tuple; the
 * first packet of a tuple carrying data and no SYN means libnids will
 * never follow that stream. */
static void
track_handshake(const uint8_t *ip, size_t n)
{
	struct span s = span_make(ip, n);
	struct seen_key k;
	uint16_t frag, sport, dport;
	uint8_t vihl, proto, off, flags;
	size_t ihl;
	uint32_t src, dst;

	if (span_peek_u8(&s, 0, &vihl) == -1 || span_peek_u8(&s, 9, &proto) == -1 ||
	    span_peek_be16(&s, 6, &frag) == -1 || proto != IPPROTO_TCP ||
	    (frag & 0x1fff) != 0)
		return;
	if ((ihl = (size_t)(vihl & 0x0f) * 4) < 20)
		return;
	if (span_skip(&s, 12) == -1 || span_take_be32(&s, &src) == -1 ||
	    span_take_be32(&s, &dst) == -1 || span_skip(&s, ihl - 20) == -1 ||
	    span_peek_be16(&s, 0, &sport) == -1 ||
	    span_peek_be16(&s, 2, &dport) == -1 ||
	    span_peek_u8(&s, 12, &off) == -1 ||
	    span_peek_u8(&s, 13, &flags) == -1)
		return;
	if (registry_lookup(dport) == NULL && registry_lookup(sport) == NULL)
		return;
	k = seen_key_make(src, sport, dst, dport);
	/* Only the client's SYN lets libnids follow the stream. */
	if ((flags & (TH_SYN | TH_ACK | TH_RST)) == TH_SYN) {
		seen_insert(&k);
		return;
	}
	if (s.n <= (size_t)(off >> 4) * 4 || seen_find(&k) != NULL)
		return;		/* no payload yet, or a stream we know */
	if (seen_insert(&k))
		stats.streams_no_handshake++;
}

/* --- libnids callbacks -------------------------------------------------- */

static void
stream_open(struct tcp_stream *a_tcp)
{
	const struct dissector *d;
	struct rflow *rf;

	stats.tcp_streams++;
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
	first_packet_time(a_tcp, &rf->flow.first_ts);
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
	rf->last = rf->flow.now.tv_sec;
	list_append(rf);
	a_tcp->user = rf;
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

/* Ends a session exactly once; the dissector writes the closing line. */
static void
stream_close(struct rflow *rf, enum flow_end why)
{
	rf->tcp->user = NULL;
	list_unlink(rf);
	rf->flow.dissector->close(rf->flow.state, why);
	stats.sessions_open--;
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
		rf->flow.now.tv_sec = rf->last + idle;
		rf->flow.now.tv_usec = 0;
		stream_close(rf, FLOW_END_TIMEOUT);
		/* Outside any libnids callback, so freeing here is safe. */
		nids_free_tcp_stream(a_tcp);
	}
}

/* --- the feed ------------------------------------------------------------ */

static void
feed_v4(const struct timeval *ts, const uint8_t *ip, size_t n)
{
	struct pcap_pkthdr h;

	track_handshake(ip, n);
	memset(&h, 0, sizeof(h));
	h.ts = *ts;
	h.caplen = h.len = (bpf_u_int32)n;
	/* libnids wants non-const bytes but only reads them. */
	nids_pcap_handler(NULL, &h, (u_char *)(uintptr_t)ip);
}

void
reassembly_packet(const struct timeval *ts, const struct decap_packet *pkt)
{
	size_t n;

	r_last_ts = *ts;
	expire_idle(ts->tv_sec);
	if (pkt->family == AF_INET) {
		feed_v4(ts, pkt->ip.p, pkt->ip.n);
		return;
	}
	if (pkt->family != AF_INET6)
		return;
	if (ip6map_to_v4(r_map, pkt->ip, r_v6buf, sizeof(r_v6buf), &n) !=
	    IP6MAP_OK) {
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
reassembly_init(const struct config *cfg, struct output *out)
{
	size_t streams = cfg->limits.max_sessions;

	r_cfg = cfg;
	r_out = out;
	if (streams == 0 || streams > MAX_STREAMS_CAP)
		streams = MAX_STREAMS_CAP;
	r_map = ip6map_new(streams * 2);
	r_seen = calloc(SEEN_SLOTS, sizeof(*r_seen));
	r_dead = pcap_open_dead(DLT_RAW, IP6MAP_OUT_MAX + 1);
	if (r_map == NULL || r_seen == NULL || r_dead == NULL) {
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
	struct rflow **all, *rf;
	size_t n = 0, i;

	r_exit_why = why;
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
	ip6map_free(r_map);
	r_map = NULL;
	free(r_seen);
	r_seen = NULL;
}
