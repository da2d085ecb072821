/* pcap_loop.c: the floor of reading. The bare libpcap loop over a capture
 * file (pcap_next_ex, sum of caplen); no decoding at all. Nothing that reads
 * a capture through libpcap can be faster than this. */
#define _DEFAULT_SOURCE
#include <inttypes.h>
#include <stdio.h>

#include <pcap/pcap.h>

int
main(int argc, char **argv)
{
	char errbuf[PCAP_ERRBUF_SIZE];
	struct pcap_pkthdr *h;
	const u_char *data;
	uint64_t packets = 0, bytes = 0, sum = 0;
	int rc;

	if (argc != 2) {
		fprintf(stderr, "usage: pcap_loop FILE.pcap\n");
		return 2;
	}
	pcap_t *p = pcap_open_offline(argv[1], errbuf);
	if (p == NULL) {
		fprintf(stderr, "pcap_loop: %s\n", errbuf);
		return 1;
	}
	while ((rc = pcap_next_ex(p, &h, &data)) == 1) {
		packets++;
		bytes += h->caplen;
		sum += data[h->caplen ? h->caplen - 1 : 0];	/* touch it */
	}
	if (rc == -1) {
		fprintf(stderr, "pcap_loop: %s: %s\n", argv[1], pcap_geterr(p));
		pcap_close(p);
		return 1;
	}
	pcap_close(p);
	printf("packets %" PRIu64 " caplen_bytes %" PRIu64 " (touch %" PRIu64
	    ")\n", packets, bytes, sum & 0xff);
	return 0;
}
