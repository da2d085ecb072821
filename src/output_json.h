/* output_json.h: the NDJSON event writer behind output.h (json-c).
 * Writes one valid-UTF-8 JSON object per line; never parses wire bytes. */
#ifndef SMTPSCOPE_OUTPUT_JSON_H
#define SMTPSCOPE_OUTPUT_JSON_H

#include <stdio.h>

struct flow;
struct json_object;
struct timeval;
struct output_json;

/* NULL on out-of-memory. The FILE stays the caller's. */
struct output_json	*output_json_open(FILE *);
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
