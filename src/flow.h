/* flow.h: one followed TCP session as the core knows it: id, real endpoints
 * (IPv6 already mapped back), times, the dissector and its state.
 * Created and destroyed only by reassembly.c. */
#ifndef SMTPSCOPE_FLOW_H
#define SMTPSCOPE_FLOW_H

#include <stdint.h>
#include <sys/time.h>

struct dissector;

#define FLOW_IP_MAX 46			/* INET6_ADDRSTRLEN */

struct endpoint {
	char		ip[FLOW_IP_MAX];	/* printable, v4 or v6 */
	uint16_t	port;
	int		family;			/* AF_INET or AF_INET6 */
};

struct flow {
	uint64_t		 id;		/* 1, 2, ... in order of opening */
	struct endpoint		 client;
	struct endpoint		 server;
	struct timeval		 first_ts;	/* first packet (the SYN) */
	struct timeval		 now;		/* current packet's time */
	uint64_t		 client_bytes;	/* reassembled, client -> server */
	uint64_t		 server_bytes;
	const struct dissector	*dissector;
	void			*state;		/* the dissector's */
};

/* The time of the packet being processed: what dissectors stamp events with. */
static inline const struct timeval *
flow_now(const struct flow *f)
{
	return &f->now;
}

#endif
