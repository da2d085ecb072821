/* nids_count.c: the floor of reassembly. libnids alone, set up as smtpscope
 * sets it up (the same tables: room for 65536 streams, 4096 hosts for IPv4
 * defragmentation; TCP checksums off, scan detection off), with a
 * callback that only counts the reassembled bytes of port-25 streams.
 *
 * usage: nids_count [-f] FILE.pcap
 *   default: libnids reads the file itself (nids_params.filename); it sees
 *            IPv4 only, as libnids knows nothing of IPv6.
 *   -f:      feed mode, as smtpscope does it: we read with libpcap, strip
 *            Ethernet, map IPv6 TCP onto synthetic IPv4 headers, and hand
 *            each packet to nids_pcap_handler (DLT_RAW); sees every byte. */
#define _DEFAULT_SOURCE
#include <inttypes.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include <netinet/in.h>
#include <pcap/pcap.h>
#include <nids.h>

/* src/config.c: limits.max_sessions is 65536, and src/reassembly.c asks
 * libnids for a third more, as libnids keeps 3/4 of its table as streams. */
#define MAX_SESSIONS	65536
#define N_TCP_STREAMS	(MAX_SESSIONS / 3 * 4 + 4)
#define N_HOSTS		4096

static struct {
	uint64_t c2s, s2c, streams, closed, reset, timed_out, exiting;
} cnt;

static void
tcp_callback(struct tcp_stream *a_tcp, void **param)
{
	(void)param;
	switch (a_tcp->nids_state) {
	case NIDS_JUST_EST:
		if (a_tcp->addr.dest != 25)
			return;
		a_tcp->client.collect++;
		a_tcp->server.collect++;
		cnt.streams++;
		return;
	case NIDS_DATA:
		/* server half = bytes the server receives (client -> server) */
		cnt.c2s += (uint64_t)a_tcp->server.count_new;
		cnt.s2c += (uint64_t)a_tcp->client.count_new;
		return;
	case NIDS_CLOSE:
		cnt.closed++;
		return;
	case NIDS_RESET:
		cnt.reset++;
		return;
	case NIDS_TIMED_OUT:
		cnt.timed_out++;
		return;
	case NIDS_EXITING:
		cnt.exiting++;
		return;
	default:
		return;
	}
}

static void
nids_syslog_quiet(int type, int err, struct ip *iph, void *data)
{
	(void)type, (void)err, (void)iph, (void)data;
}

static inline uint16_t
get16(const uint8_t *p)
{
	return (uint16_t)(p[0] << 8 | p[1]);
}

static uint16_t
ip_checksum(const uint8_t *p)
{
	uint32_t s = 0;
	for (int i = 0; i < 20; i += 2)
		s += get16(p + i);
	while (s >> 16)
		s = (s & 0xffff) + (s >> 16);
	return (uint16_t)~s;
}

/* A stable synthetic IPv4 address (100.64.0.0/10) for an IPv6 address. */
static void
map6(const uint8_t *a6, uint8_t *a4)
{
	uint32_t h = 2166136261u;
	for (int i = 0; i < 16; i++)
		h = (h ^ a6[i]) * 16777619u;
	h = 0x64400000u | (h & 0x003fffff);
	a4[0] = (uint8_t)(h >> 24), a4[1] = (uint8_t)(h >> 16);
	a4[2] = (uint8_t)(h >> 8), a4[3] = (uint8_t)h;
}

static int
feed(const char *path)
{
	static uint8_t buf[65536 + 64];
	char errbuf[PCAP_ERRBUF_SIZE];
	struct pcap_pkthdr *h;
	const u_char *d;
	int rc;

	pcap_t *in = pcap_open_offline(path, errbuf);
	if (in == NULL) {
		fprintf(stderr, "nids_count: %s\n", errbuf);
		return 1;
	}
	if (pcap_datalink(in) != DLT_EN10MB) {
		fprintf(stderr, "nids_count: -f wants Ethernet\n");
		return 1;
	}
	while ((rc = pcap_next_ex(in, &h, &d)) == 1) {
		if (h->caplen < 14)
			continue;
		uint16_t et = get16(d + 12);
		struct pcap_pkthdr nh = *h;
		nh.caplen -= 14;
		nh.len -= 14;
		if (et == 0x0800) {
			nids_pcap_handler(NULL, &nh, (u_char *)(uintptr_t)(d + 14));
		} else if (et == 0x86dd && h->caplen >= 14 + 40 && d[14 + 6] == 6) {
			const uint8_t *ip6 = d + 14;
			size_t plen = get16(ip6 + 4);
			if (plen > h->caplen - 54 || plen > 65535 - 20)
				continue;
			uint8_t *ip = buf;
			memset(ip, 0, 20);
			ip[0] = 0x45;
			ip[2] = (uint8_t)((20 + plen) >> 8);
			ip[3] = (uint8_t)(20 + plen);
			ip[8] = ip6[7];
			ip[9] = 6;
			map6(ip6 + 8, ip + 12);
			map6(ip6 + 24, ip + 16);
			uint16_t c = ip_checksum(ip);
			ip[10] = (uint8_t)(c >> 8), ip[11] = (uint8_t)c;
			memcpy(ip + 20, ip6 + 40, plen);
			nh.caplen = nh.len = (bpf_u_int32)(20 + plen);
			nids_pcap_handler(NULL, &nh, buf);
		}
	}
	if (rc == -1)
		fprintf(stderr, "nids_count: %s: %s\n", path, pcap_geterr(in));
	pcap_close(in);
	nids_exit();
	return rc == -1;
}

int
main(int argc, char **argv)
{
	static struct nids_chksum_ctl all = { 0, 0, NIDS_DONT_CHKSUM, 0 };
	char errbuf[PCAP_ERRBUF_SIZE];
	int opt, feed_mode = 0, rc = 0;

	while ((opt = getopt(argc, argv, "f")) != -1) {
		if (opt != 'f') {
			fprintf(stderr, "usage: nids_count [-f] FILE.pcap\n");
			return 2;
		}
		feed_mode = 1;
	}
	if (optind + 1 != argc) {
		fprintf(stderr, "usage: nids_count [-f] FILE.pcap\n");
		return 2;
	}
	nids_params.n_tcp_streams = N_TCP_STREAMS;
	nids_params.n_hosts = N_HOSTS;
	nids_params.scan_num_hosts = 0;
	nids_params.syslog = nids_syslog_quiet;
	nids_params.pcap_filter = NULL;
	if (feed_mode) {
		nids_params.pcap_desc = pcap_open_dead(DLT_RAW, 65535);
		if (nids_params.pcap_desc == NULL) {
			fprintf(stderr, "nids_count: pcap_open_dead failed\n");
			return 1;
		}
	} else {
		nids_params.filename = argv[optind];
	}
	(void)errbuf;
	if (!nids_init()) {
		fprintf(stderr, "nids_count: nids_init: %s\n", nids_errbuf);
		return 1;
	}
	nids_register_chksum_ctl(&all, 1);
	nids_register_tcp(tcp_callback);
	if (feed_mode)
		rc = feed(argv[optind]);
	else
		nids_run();
	printf("smtp_streams %" PRIu64 " smtp_bytes %" PRIu64 " c2s %" PRIu64
	    " s2c %" PRIu64 " closed %" PRIu64 " reset %" PRIu64
	    " timed_out %" PRIu64 " exiting %" PRIu64 "\n",
	    cnt.streams, cnt.c2s + cnt.s2c, cnt.c2s, cnt.s2c, cnt.closed,
	    cnt.reset, cnt.timed_out, cnt.exiting);
	return rc;
}
