/* dissector.h: what the core asks of an application protocol.
 * A dissector never sees libpcap, libnids or a JSON writer's file: bytes come
 * in through these callbacks, results leave only through output.h. */
#ifndef SMTPSCOPE_DISSECTOR_H
#define SMTPSCOPE_DISSECTOR_H

#include <stddef.h>
#include <stdint.h>

struct flow;
struct output;
struct config;

/* How a session ended; the JSON `end` names are in flow_end_name(). */
enum flow_end {
	FLOW_END_QUIT,		/* set by the dissector itself, never by core */
	FLOW_END_FIN,
	FLOW_END_RST,
	FLOW_END_TIMEOUT,	/* idle timeout */
	FLOW_END_EVICTED,	/* libnids table full: oldest dropped */
	FLOW_END_CAPTURE_END,	/* end of the input files */
	FLOW_END_SHUTDOWN,	/* SIGINT / SIGTERM on a live capture */
	FLOW_END_REUSED,	/* a new SYN on its 4-tuple, no end seen */
};

const char	*flow_end_name(enum flow_end);	/* "fin", "rst", ... */

struct dissector {
	const char	*name;		/* "smtp": event prefix, --ports key */
	/* Opens the session state for a stream to one of its ports; NULL
	 * declines (counted). `out` and `cfg` outlive the session. */
	void		*(*open)(struct flow *, struct output *,
			    const struct config *);
	/* Consume all n bytes; p is valid only during the call. */
	void		 (*client_data)(void *state, const uint8_t *p,
			    size_t n);
	void		 (*server_data)(void *state, const uint8_t *p,
			    size_t n);
	/* `lost` bytes are missing in one direction; resync on next line. */
	void		 (*gap)(void *state, int to_server, size_t lost);
	/* Exactly once: flush, emit the session event, free. */
	void		 (*close)(void *state, enum flow_end why);
};

/* registry.c: which dissector serves a server port (0 if none). */
struct port_map;
const struct dissector	*registry_lookup(uint16_t server_port);
/* Replaces the SMTP port set (--ports); returns -1 on a bad list. */
int			 registry_set_smtp_ports(const char *list);

#endif
