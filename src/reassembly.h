/* reassembly.h: IP packets -> TCP streams -> dissector callbacks, through
 * libnids. The only module that knows libnids exists. */
#ifndef SMTPSCOPE_REASSEMBLY_H
#define SMTPSCOPE_REASSEMBLY_H

#include <sys/time.h>

#include "dissector.h"

struct config;
struct output;
struct decap_packet;

/* Sets libnids up (checksums off, tables sized from cfg->limits, our own
 * syslog and allocator-failure handlers). 0, or -1 with one line on
 * stderr. cfg and out must outlive reassembly_finish(). streams_max: no
 * more streams than this can come (files of known size), 0 if unknown;
 * the tables are sized for the smaller of it and cfg->limits. */
int	reassembly_init(const struct config *cfg, struct output *out,
	    size_t streams_max);
/* One decapsulated IP packet (v4, or v6 mapped here) at capture time ts. */
void	reassembly_packet(const struct timeval *ts,
	    const struct decap_packet *pkt);
/* Capture time advanced with no packet (live idle): expires idle flows. */
void	reassembly_tick(const struct timeval *now);
/* Closes every open session with `why` (normally FLOW_END_CAPTURE_END),
 * in order of opening, then shuts libnids down. */
void	reassembly_finish(enum flow_end why);

#endif
