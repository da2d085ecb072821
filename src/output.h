/* output.h: the only way results leave a dissector or the analyser.
 * Fans out to the transcript writer (output_text.c), the NDJSON writer
 * (output_json.c), the HTML page (output_html.c) and the summary
 * (output_summary.c); all escape wire bytes via escape.c. */
#ifndef SMTPSCOPE_OUTPUT_H
#define SMTPSCOPE_OUTPUT_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

struct flow;
struct json_object;

enum output_dir {
	OUTPUT_CLIENT,		/* "C: " client -> server */
	OUTPUT_SERVER,		/* "S: " server -> client */
};

struct output_options {
	FILE	*text;		/* transcript, or NULL for none */
	FILE	*json;		/* NDJSON events, or NULL for none */
	int	 color;		/* ANSI colours in the transcript */
	FILE	*html;		/* the --html page, or NULL */
	FILE	*summary;	/* the --summary at the end, or NULL */
	int	 summary_json;	/* the summary as one JSON object */
	const char *title;	/* the inputs, named by the page and summary */
	int	 explain;	/* --explain: notes under transcript lines */
	int	 explain_lang;	/* enum explain_lang of those notes */
};

struct output;

struct output	*output_open(const struct output_options *);
void		 output_flush(struct output *);
/* Writes the page and the summary, flushes and frees: the OUTPUT_ERR_*
 * bits of every writer that failed, now or before. */
int		 output_close(struct output *);
/* The run showed nothing (an input error before the first packet): close
 * writes neither the page nor the summary. */
void		 output_discard_reports(struct output *);

/* A session starts: transcript header line (time, client -> server). */
void	output_session_open(struct output *, const struct flow *);
/* One protocol line exactly as sent, without its line ending. `cut` says
 * the line was longer than kept. */
void	output_line(struct output *, const struct flow *, enum output_dir,
	    const uint8_t *p, size_t n, int cut);
/* A summary in place of wire bytes, e.g. "<message: 42 lines, 3 456 bytes>"
 * or "<TLS: 5 120 bytes>". Plain ASCII made by us, not from the wire. */
void	output_note(struct output *, const struct flow *, enum output_dir,
	    const char *fmt, ...) __attribute__((format(printf, 4, 5)));
/* The analysed message (the `message` object of smtp.transaction): the
 * transcript draws key headers, Received hops and the MIME tree; borrowed. */
void	output_message(struct output *, const struct flow *,
	    const struct json_object *message);
/* An event: adds event, ts (flow_now), session, client, server, then writes
 * one NDJSON line. Takes ownership of obj. flow may be NULL (capture.stats;
 * ts is then the last packet time given by output_set_time). */
void	output_event(struct output *, const struct flow *, const char *event,
	    struct json_object *obj);
/* A session ends: transcript closing line ("end: quit", "end: fin", ...). */
void	output_session_close(struct output *, const struct flow *,
	    const char *end);
/* The time of the latest packet, for events with no flow. */
void	output_set_time(struct output *, long sec, long usec);

/* Human-friendly number with thin groups: 3456 -> "3 456". */
const char *output_group_digits(uint64_t v, char *buf, size_t len);

/* ISO 8601 UTC with microseconds: "2024-05-01T10:00:00.123456Z". */
#define OUTPUT_TIME_MAX 40
struct timeval;
const char *output_iso_time(const struct timeval *, char *buf, size_t len);
/* Non-zero once a write to the transcript or the JSON file has failed
 * (disk full, closed pipe): the caller decides whether to stop. The bits
 * say which writer failed, so that the message can name its file. */
#define OUTPUT_ERR_TEXT		1
#define OUTPUT_ERR_JSON		2
#define OUTPUT_ERR_HTML		4
#define OUTPUT_ERR_SUMMARY	8
int	output_error(const struct output *);

#endif
