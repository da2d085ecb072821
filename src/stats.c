/* stats.c: the capture-wide counters and their JSON view. */
#include <json-c/json.h>

#include "stats.h"

struct stats stats;

#define STATS_FIELDS(X)							\
	X(packets) X(bytes) X(truncated) X(kernel_drops) X(iface_drops)	\
	X(ipv4) X(ipv6) X(other) X(decap_errors) X(ipv6_unsupported)	\
	X(tcp_streams) X(streams_no_handshake) X(streams_declined)	\
	X(streams_evicted) X(streams_handshake_incomplete)		\
	X(handshakes_reordered) X(sessions_open) X(sessions) X(nids_warnings) \
	X(smtp_sessions) X(transactions) X(messages) X(anomalies)	\
	X(bytes_dropped_limits) X(gaps) X(gap_bytes)

struct json_object *
stats_json(void)
{
	struct json_object *obj = json_object_new_object();

#define STATS_ADD(name)							\
	json_object_object_add(obj, #name,				\
	    json_object_new_int64((int64_t)stats.name));
	STATS_FIELDS(STATS_ADD)
#undef STATS_ADD
	return obj;
}
