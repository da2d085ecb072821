/* smtps.c: a session on the implicit-TLS port is recorded, never parsed:
 * every byte is TLS. It counts bytes and reports them; nothing more. */
#include <stdlib.h>

#include <json-c/json.h>

#include "anomaly.h"
#include "flow.h"
#include "json_add.h"
#include "output.h"
#include "smtps.h"
#include "stats.h"

struct smtps_session {
	struct flow	*flow;
	struct output	*out;
	uint64_t	 client_bytes;
	uint64_t	 server_bytes;
	uint64_t	 client_lost;	/* in gaps */
	uint64_t	 server_lost;
	struct anomalies anomalies;
};

static void *
smtps_open(struct flow *flow, struct output *out, const struct config *cfg)
{
	struct smtps_session *s = calloc(1, sizeof(*s));

	(void)cfg;
	if (s == NULL)
		return NULL;
	s->flow = flow;
	s->out = out;
	stats.smtp_sessions++;
	return s;
}

static void
smtps_client(void *state, const uint8_t *p, size_t n)
{
	(void)p;
	((struct smtps_session *)state)->client_bytes += n;
}

static void
smtps_server(void *state, const uint8_t *p, size_t n)
{
	(void)p;
	((struct smtps_session *)state)->server_bytes += n;
}

static void
smtps_gap(void *state, int to_server, size_t lost)
{
	struct smtps_session *s = state;

	anomaly_add(&s->anomalies, ANOMALY_gap);
	stats.gaps++;
	stats.gap_bytes += lost;
	if (to_server)
		s->client_lost += lost;
	else
		s->server_lost += lost;
}

static void
smtps_close(void *state, enum flow_end why)
{
	struct smtps_session *s = state;
	struct json_object *o = json_object_new_object();
	char c[32], v[32];

	if (s->client_bytes + s->client_lost == 0 ||
	    s->server_bytes + s->server_lost == 0)
		anomaly_add(&s->anomalies, ANOMALY_one_sided);

	output_note(s->out, s->flow, OUTPUT_CLIENT,
	    "<implicit TLS: %s bytes not shown>",
	    output_group_digits(s->client_bytes, c, sizeof(c)));
	output_note(s->out, s->flow, OUTPUT_SERVER,
	    "<implicit TLS: %s bytes not shown>",
	    output_group_digits(s->server_bytes, v, sizeof(v)));
	JSON_ADD(o, "implicit_tls", json_object_new_boolean(1));
	/* The contract keys of every smtp.session: nothing is readable. */
	JSON_ADD(o, "banner", NULL);
	JSON_ADD(o, "helo", NULL);
	JSON_ADD(o, "extensions", json_object_new_array());
	JSON_ADD(o, "auth", NULL);
	JSON_ADD(o, "starttls", json_object_new_boolean(0));
	JSON_ADD(o, "tls_client_bytes",
	    json_object_new_int64((int64_t)s->client_bytes));
	JSON_ADD(o, "tls_server_bytes",
	    json_object_new_int64((int64_t)s->server_bytes));
	JSON_ADD(o, "commands", json_object_new_int(0));
	JSON_ADD(o, "transactions", json_object_new_int(0));
	JSON_ADD(o, "replies", json_object_new_object());
	JSON_ADD(o, "anomalies",
	    anomaly_names_json(&s->anomalies));
	JSON_ADD(o, "anomaly_counts",
	    anomaly_counts_json(&s->anomalies));
	JSON_ADD(o, "end",
	    json_object_new_string(flow_end_name(why)));
	output_event(s->out, s->flow, "smtp.session", o);
	output_session_close(s->out, s->flow, flow_end_name(why));
	free(s);
}

const struct dissector smtps_dissector = {
	.name = "smtps",
	.open = smtps_open,
	.client_data = smtps_client,
	.server_data = smtps_server,
	.gap = smtps_gap,
	.close = smtps_close,
};
