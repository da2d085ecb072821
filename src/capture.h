/* capture.h: frames from files (in order, one timeline) or a live
 * interface, handed one by one to a sink. Knows libpcap, nothing above
 * the link layer; errors are one line on stderr and a status. */
#ifndef SMTPSCOPE_CAPTURE_H
#define SMTPSCOPE_CAPTURE_H

#include <pcap/pcap.h>
#include <stdint.h>
#include <sys/time.h>

/* Statuses double as exit codes (see main.c). */
enum capture_status {
	CAPTURE_OK = 0,
	CAPTURE_USAGE = 1,	/* a BPF filter that does not compile */
	CAPTURE_INPUT = 2,	/* cannot open / not a capture / link type */
	CAPTURE_CUT = 3,	/* a file ends mid-packet, or is damaged */
};

#define CAPTURE_SNAPLEN	262144	/* whole packets, even with offloads */

struct capture_sink {
	void	(*packet)(void *arg, int dlt, const struct pcap_pkthdr *,
		    const uint8_t *frame);
	/* Live: called after every batch of packets and at least every
	 * CAPTURE_WAKE_MS even without any (or NULL), with the wall clock:
	 * time still passes, signals' flags are looked at. */
	void	(*tick)(void *arg, const struct timeval *now);
	void	*arg;
};

/* Reads every file in order; all are checked before the first packet so
 * that a bad name fails before any output. Counts stats.packets, bytes,
 * truncated. */
enum capture_status capture_files(char *const *files, int nfiles,
		    const char *bpf, const struct capture_sink *);
#define CAPTURE_WAKE_MS	200	/* live: longest sleep without a tick */
#define CAPTURE_LATENCY_MS 100	/* live: longest a packet waits in the kernel */

/* Opens IFACE live: promiscuous, packets handed over within
 * CAPTURE_LATENCY_MS, snaplen CAPTURE_SNAPLEN, kernel buffer buffer_mb MB
 * (0: libpcap's default), filter bpf. Done as root (or with CAP_NET_RAW);
 * privileges may be dropped afterwards. */
enum capture_status capture_live_open(const char *iface, const char *bpf,
		    unsigned buffer_mb);
/* Runs the opened capture until capture_stop(), then closes it. */
enum capture_status capture_live_run(const struct capture_sink *);
/* Closes an opened capture that will not be run. */
void		 capture_live_close(void);
/* Live: copies pcap_stats() into stats.kernel_drops and iface_drops. */
void		 capture_live_stats(void);
/* From a signal handler: stop after the current packet. */
void		 capture_stop(void);
/* 1 if capture_stop() ended the capture. */
int		 capture_stopped(void);

#endif
