/* stats.c: the capture-wide counters and their JSON view. */
#include <json-c/json.h>

#include "json_add.h"
#include "stats.h"

struct stats stats;
int stats_long_running;

#define STATS_FIELDS(X)							\
	X(packets) X(bytes) X(truncated) X(kernel_drops) X(iface_drops)	\
	X(ipv4) X(ipv6) X(other) X(decap_errors) X(ipv6_unsupported)	\
	X(tcp_streams) X(streams_no_handshake) X(streams_declined)	\
	X(streams_evicted) X(streams_handshake_incomplete)		\
	X(handshakes_reordered) X(sessions_open) X(sessions) X(nids_warnings) \
	X(smtp_sessions) X(transactions) X(messages) X(anomalies)	\
	X(bytes_dropped_limits) X(gaps) X(gap_bytes)

/* The open sessions are the stream table's entries in use. */
static void
stats_add_long_running(struct json_object *obj, const char *reason)
{
	JSON_ADD(obj, "sessions_finished",
	    json_object_new_int64((int64_t)(stats.sessions -
	    stats.sessions_open)));
	JSON_ADD(obj, "stream_table_used",
	    json_object_new_int64((int64_t)stats.sessions_open));
	JSON_ADD(obj, "stream_table_limit",
	    json_object_new_int64((int64_t)stats.stream_table_limit));
	JSON_ADD(obj, "rss_kb",
	    json_object_new_int64((int64_t)stats.rss_kb));
	JSON_ADD(obj, "peak_rss_kb",
	    json_object_new_int64((int64_t)stats.peak_rss_kb));
	if (reason != NULL)
		JSON_ADD(obj, "reason",
		    json_object_new_string(reason));
}

struct json_object *
stats_json(const char *reason)
{
	struct json_object *obj = json_object_new_object();

#define STATS_ADD(name)							\
	JSON_ADD(obj, #name, json_object_new_int64((int64_t)stats.name));
	STATS_FIELDS(STATS_ADD)
#undef STATS_ADD
	/* A long-running capture's view: how full, how big, why now. Off
	 * offline by default: memory differs from run to run. */
	if (stats_long_running)
		stats_add_long_running(obj, reason);
	return obj;
}
