/* output_json.h: the NDJSON event writer behind output.h (json-c).
 * Writes one valid-UTF-8 JSON object per line; never parses wire bytes. */
#ifndef SMTPSCOPE_OUTPUT_JSON_H
#define SMTPSCOPE_OUTPUT_JSON_H

#include <stdint.h>
#include <stdio.h>

#include "flow.h"
#include "output.h"

struct json_object;
struct timeval;
struct output_json;

/* NULL on out-of-memory. The FILE stays the caller's. */
struct output_json	*output_json_open(FILE *);
/* An event's common fields, copied from its flow when it happens, for an
 * event held until its digests are in (the flow may be gone by then). */
struct json_envelope {
	const char	*event;		/* a literal */
	char		 ts[OUTPUT_TIME_MAX];
	int		 has_flow;	/* else only event and ts */
	uint64_t	 session;
	const char	*proto;		/* NULL: none */
	struct endpoint	 client;
	struct endpoint	 server;
};

void	output_json_envelope_fill(struct json_envelope *, const struct flow *,
	    const struct timeval *when, const char *event);
/* The whole event as a tree: the envelope's fields then obj's own (a key
 * of both keeps the envelope's). Takes ownership of obj (may be NULL). */
struct json_object	*output_json_envelope_tree(const struct json_envelope *,
			    struct json_object *obj);
/* The same event written as an NDJSON line without building that tree
 * (the tree only when a string must be repaired). Takes obj. */
void	output_json_write_event(struct output_json *,
	    const struct json_envelope *, struct json_object *obj);
/* The whole event: common fields (event, ts, session, proto, client,
 * server) then obj's own. Takes ownership of obj (may be NULL); `when`
 * stamps events without flow. What --json writes and what the other
 * sinks (--html, --summary) see, so they can never disagree. */
struct json_object	*output_json_envelope(const struct flow *,
			    const struct timeval *when, const char *event,
			    struct json_object *obj);
/* Writes one event as an NDJSON line (e borrowed; its strings may be
 * repaired in place when not valid UTF-8). */
void	output_json_write(struct output_json *, struct json_object *e);
void	output_json_flush(struct output_json *);
int	output_json_error(const struct output_json *);
/* Frees; non-zero if a write failed at any time (this one included). */
int	output_json_close(struct output_json *);

#endif
