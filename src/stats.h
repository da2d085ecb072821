/* stats.h: capture-wide counters, incremented where things happen and
 * reported as the capture.stats event and by -v. One global, one thread. */
#ifndef SMTPSCOPE_STATS_H
#define SMTPSCOPE_STATS_H

#include <stdint.h>

struct json_object;

struct stats {
	/* capture.c */
	uint64_t packets;		/* frames read */
	uint64_t bytes;			/* frame bytes on the wire (len) */
	uint64_t truncated;		/* frames cut by the snaplen */
	uint64_t kernel_drops;		/* pcap_stats ps_drop (live) */
	uint64_t iface_drops;		/* pcap_stats ps_ifdrop (live) */
	/* decap.c */
	uint64_t ipv4;
	uint64_t ipv6;
	uint64_t other;			/* not IP: ARP, LLDP, ... */
	uint64_t decap_errors;		/* malformed link/IP headers */
	uint64_t ipv6_unsupported;	/* v6 we cannot map (jumbo, no TCP) */
	/* reassembly.c */
	uint64_t tcp_streams;		/* streams libnids followed */
	uint64_t streams_no_handshake;	/* TCP flows whose SYN we never saw */
	uint64_t streams_handshake_incomplete; /* SYN seen, data, never est. */
	uint64_t handshakes_reordered;	/* client packets before the SYN/ACK */
	uint64_t streams_declined;	/* no dissector for the port */
	uint64_t streams_evicted;	/* table full */
	uint64_t sessions_open;		/* now */
	uint64_t sessions;		/* dissector sessions opened in all */
	uint64_t nids_warnings;		/* libnids syslog() complaints */
	/* dissectors and message analysis */
	uint64_t smtp_sessions;
	uint64_t transactions;
	uint64_t messages;
	uint64_t anomalies;		/* every anomaly_add() */
	uint64_t bytes_dropped_limits;	/* wire bytes not kept due to limits */
	uint64_t gaps;
	uint64_t gap_bytes;
	/* main.c, before each capture.stats (issue 7) */
	uint64_t stream_table_limit;	/* --max-sessions */
	uint64_t rss_kb;		/* resident now (/proc/self/statm) */
	uint64_t peak_rss_kb;		/* getrusage ru_maxrss */
};

/* Non-zero (live, or offline with --stats-interval): capture.stats also
 * shows the stream table, memory and `reason`. Off offline by default so
 * that the output of a file stays the same from run to run. */
extern int stats_long_running;

extern struct stats stats;

/* The counters as a JSON object (the body of capture.stats). reason
 * ("interval", "signal", "final") is shown with stats_long_running. */
struct json_object *stats_json(const char *reason);

#endif
