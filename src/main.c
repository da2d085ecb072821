/* main.c: wiring only: options -> capture -> decap -> reassembly ->
 * dissectors -> output, and the exit code. Never parses wire bytes.
 *
 * Exit codes (docs/cli.md):
 *   0  ok (also when stopped by SIGINT/SIGTERM, live or offline)
 *   1  usage error: unknown option, bad value, bad BPF filter
 *   2  input error: missing/unreadable file, not a capture, unsupported
 *      link type, unknown interface, no permission to capture, cannot
 *      write the -w or --html file
 *   3  capture cut short (a file ends mid-packet, or a record header is
 *      damaged); what was read is still reported, later files still read
 *   4  out of memory
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <sys/stat.h>

#include <json-c/json.h>

#include "alloc_tune.h"
#include "capture.h"
#include "decap.h"
#include "dissector.h"
#include "hash.h"
#include "hash_queue.h"
#include "options.h"
#include "output.h"
#include "periodic.h"
#include "privdrop.h"
#include "reassembly.h"
#include "rotate.h"
#include "stats.h"

#define EXIT_USAGE	1
#define EXIT_INPUT	2
#define EXIT_NOMEM	4

static struct output	*m_out;
static struct rotate	 m_rot;		/* the -w file */
static int		 m_live;

static void
on_packet(void *arg, int dlt, const struct pcap_pkthdr *h,
    const uint8_t *frame)
{
	struct decap_packet pkt;

	(void)arg;
	output_set_time(m_out, (long)h->ts.tv_sec, (long)h->ts.tv_usec);
	if (decap_frame(dlt, frame, h->caplen, &pkt) == DECAP_OK)
		reassembly_packet(&h->ts, &pkt);
	if (!m_live)
		periodic_run(h->ts.tv_sec);
}

/* Live: after every batch of packets and at least every 200 ms. */
static void
on_tick(void *arg, const struct timeval *now)
{
	(void)arg;
	output_set_time(m_out, (long)now->tv_sec, (long)now->tv_usec);
	reassembly_tick(now);
	periodic_run(now->tv_sec);
}

static int
want_color(const struct options *o)
{
	const char *nc;

	if (o->color != OPTIONS_AUTO)
		return o->color == OPTIONS_ALWAYS;
	nc = getenv("NO_COLOR");	/* no-color.org */
	return (nc == NULL || *nc == '\0') && isatty(STDOUT_FILENO);
}

static void
account_line(const char *what, uint64_t v)
{
	char buf[32];

	fprintf(stderr, "  %-34s %s\n", what,
	    output_group_digits(v, buf, sizeof(buf)));
}

/* -v: a short account of the capture on stderr. */
static void
account(void)
{
	fprintf(stderr, "smtpscope: capture account\n");
	account_line("packets read", stats.packets);
	account_line("bytes read", stats.bytes);
	account_line("IPv4 packets", stats.ipv4);
	account_line("IPv6 packets", stats.ipv6);
	account_line("other packets (not IP)", stats.other);
	account_line("malformed frames", stats.decap_errors);
	account_line("IPv6 packets not mapped", stats.ipv6_unsupported);
	account_line("packets cut by the snaplen", stats.truncated);
	account_line("TCP streams followed", stats.tcp_streams);
	account_line("SMTP sessions", stats.sessions);
	account_line("streams skipped, no handshake seen",
	    stats.streams_no_handshake);
	if (stats.streams_handshake_incomplete != 0)
		account_line("streams skipped, handshake incomplete",
		    stats.streams_handshake_incomplete);
	if (stats.handshakes_reordered != 0)
		account_line("handshakes put back in order",
		    stats.handshakes_reordered);
	if (stats.gaps != 0) {
		account_line("gaps (segments the capture lost)", stats.gaps);
		account_line("bytes lost in gaps", stats.gap_bytes);
	}
	if (stats.streams_evicted != 0)
		account_line("streams evicted (table full)",
		    stats.streams_evicted);
	if (stats.kernel_drops != 0 || stats.iface_drops != 0) {
		account_line("packets dropped by the kernel",
		    stats.kernel_drops);
		account_line("packets dropped by the interface",
		    stats.iface_drops);
	}
	if (stats.streams_no_handshake != 0)
		fprintf(stderr, "  (streams that started before the capture "
		    "cannot be reassembled)\n");
}

/* The files we write besides stdout: -w and --html. */
struct out_files {
	FILE	*json;		/* m_rot.f, the -w file */
	FILE	*html;
	char	 title[512];	/* the inputs, for the page and the summary */
};

static FILE *
open_out(const char *name)
{
	FILE *f = fopen(name, "w");

	if (f == NULL)
		fprintf(stderr, "smtpscope: %s: cannot write: %m\n", name);
	return f;
}

/* The capture files (or the interface) in one line, cut if long. */
static void
inputs_title(const struct options *o, char *buf, size_t len)
{
	size_t n = 0;
	int i;

	buf[0] = '\0';
	if (o->iface != NULL) {
		snprintf(buf, len, "interface %s", o->iface);
		return;
	}
	for (i = 0; i < o->nfiles && n + 1 < len; i++) {
		snprintf(buf + n, len - n, "%s%s", i > 0 ? " " : "",
		    o->files[i]);
		n = strlen(buf);
	}
}

/*
 * stdout carries one thing: the events (--json), else the summary
 * (--summary), else the transcript. The summary goes to stderr when
 * stdout holds the events.
 */
static struct output *
outputs_open(const struct options *o, struct out_files *of, int *rc)
{
	struct output_options oo;

	memset(&oo, 0, sizeof(oo));
	*rc = EXIT_INPUT;
	if (o->json_file != NULL) {
		/* live appends: a restarted service keeps what was there */
		if (rotate_open(&m_rot, o->json_file, o->rotate_seconds,
		    o->rotate_bytes, time(NULL), o->iface != NULL) == -1) {
			fprintf(stderr, "smtpscope: %s: cannot write: %m\n",
			    o->json_file);
			return NULL;
		}
		of->json = oo.json = m_rot.f;
	}
	if (o->html_file != NULL &&
	    (of->html = oo.html = open_out(o->html_file)) == NULL)
		return NULL;
	if (o->json && o->json_file == NULL)
		oo.json = stdout;
	if (o->summary)
		oo.summary = o->json && o->json_file == NULL ? stderr : stdout;
	oo.summary_json = o->summary_json;
	oo.text = o->json || o->summary ? NULL : stdout;
	oo.color = oo.text != NULL && want_color(o);
	inputs_title(o, of->title, sizeof(of->title));
	oo.title = of->title;
	oo.explain = o->explain;
	oo.explain_lang = (int)o->lang;
	*rc = EXIT_NOMEM;
	return output_open(&oo);
}

/* Closes a file we wrote; a failed write is an input/output error. */
static int
close_out(FILE *f, const char *name, int rc)
{
	if (f != NULL && fclose(f) != 0) {
		fprintf(stderr, "smtpscope: %s: write error: %m\n", name);
		return rc != 0 ? rc : EXIT_INPUT;
	}
	return rc;
}

/* Live: the interface first, then -Z, then the -w file (like tcpdump:
 * the unprivileged user owns it). 0, or an exit code. */
static int
live_start(const struct options *o)
{
	enum capture_status st;

	if ((st = capture_live_open(o->iface, o->bpf, o->buffer_mb)) !=
	    CAPTURE_OK)
		return (int)st;
	if (o->user != NULL && privdrop_to(o->user) == -1) {
		capture_live_close();
		return EXIT_INPUT;
	}
	return 0;
}

/* Every stream starts with a SYN, which takes a record header and IPv4
 * and TCP headers at least: a file of N bytes opens fewer than N / 56
 * streams. Twice that, and room for 8192, in case a file grows while we
 * read it (a full table is counted, never silent). 0: unknown (live, a
 * pipe). */
#define SYN_RECORD_MIN	(16 + 20 + 20)
#define STREAMS_MIN	8192

static size_t
offline_streams_max(const struct options *o)
{
	struct stat st;
	size_t total = STREAMS_MIN;
	int i;

	if (o->iface != NULL)
		return 0;
	for (i = 0; i < o->nfiles; i++) {
		if (stat(o->files[i], &st) != 0 || !S_ISREG(st.st_mode))
			return 0;
		total += (size_t)st.st_size / SYN_RECORD_MIN * 2;
	}
	return total;
}

/* Runs the capture; m_out is NULL when nothing was started. */
static int
run(const struct options *o, struct out_files *of)
{
	struct capture_sink sink = { on_packet, on_tick, NULL };
	struct periodic_config pc;
	enum capture_status st;
	int rc;

	m_live = o->iface != NULL;
	stats.stream_table_limit = o->cfg.limits.max_sessions;
	stats_long_running = m_live || o->stats_interval > 0;
	periodic_signals();
	if (m_live && (rc = live_start(o)) != 0)
		return rc;
	if ((m_out = outputs_open(o, of, &rc)) == NULL) {
		if (m_live)
			capture_live_close();
		if (of->json != NULL)
			rotate_close(&m_rot);
		close_out(of->html, o->html_file, 0);
		return rc;
	}
	pc = (struct periodic_config){ m_out, of->json != NULL ? &m_rot : NULL,
	    m_live, (unsigned)o->stats_interval };
	periodic_init(&pc);
	if (reassembly_init(&o->cfg, m_out, offline_streams_max(o)) == -1)
		return EXIT_NOMEM;
	if (m_live)
		st = capture_live_run(&sink);
	else
		st = capture_files(o->files, o->nfiles, o->bpf, &sink);
	/* Open sessions end here, as events, before the final stats. */
	/* Stopped by a signal, live or offline: the operator cut the open
	 * sessions, not the end of the capture. */
	reassembly_finish(capture_stopped() ? FLOW_END_SHUTDOWN :
	    FLOW_END_CAPTURE_END);
	return (int)st;
}

/* One line per place a failed output went (two writers on stdout: one). */
static void
write_errors(const struct options *o, int werr)
{
	/* in the order of the OUTPUT_ERR_* bits */
	const char *where[4] = {
		"standard output",
		o->json_file != NULL ? o->json_file : "standard output",
		o->html_file,
		o->json && o->json_file == NULL ? "standard error" :
		    "standard output",
	};
	int i, j;

	for (i = 0; i < 4; i++) {
		if (!(werr & (1 << i)))
			continue;
		for (j = 0; j < i; j++)
			if ((werr & (1 << j)) && strcmp(where[j], where[i]) == 0)
				break;
		if (j == i)
			fprintf(stderr, "smtpscope: %s: write error\n",
			    where[i]);
	}
}

int
main(int argc, char **argv)
{
	struct options o;
	struct out_files of;
	int rc, werr;

	/* Event keys are short literals: the Perl-like hash costs a third
	 * of json-c's default one, and order of output does not depend on
	 * it. First of all: a table made before would be looked up with
	 * the other hash. */
	json_global_set_string_hash(JSON_C_STR_HASH_PERLLIKE);
	(void)alloc_tune();
	switch (options_parse(&o, argc, argv)) {
	case OPTIONS_EXIT:
		return 0;
	case OPTIONS_ERROR:
		return EXIT_USAGE;
	case OPTIONS_RUN:
		break;
	}
	memset(&of, 0, sizeof(of));
	/* auto: a second thread only with a second CPU to run it on; one
	 * CPU (taskset -c 0, a cpuset of one) shared by two is slower */
	hash_threaded(o.hash_thread == OPTIONS_ALWAYS ||
	    (o.hash_thread == OPTIONS_AUTO && hash_queue_cpus() > 1));
	rc = run(&o, &of);
	hash_threads_stop();	/* every message was finished in run() */
	if (m_out == NULL)
		return rc;
	/* A usage or open error showed nothing: no stats event then. */
	if (rc == 0 || rc == CAPTURE_CUT || stats.packets > 0)
		periodic_stats("final");
	else
		output_discard_reports(m_out);	/* nor a page or summary */
	output_flush(m_out);
	werr = output_close(m_out);	/* the page and summary are written here */
	if (of.json != NULL && rotate_close(&m_rot) != 0)
		werr |= OUTPUT_ERR_JSON;
	if (werr) {
		write_errors(&o, werr);
		rc = rc != 0 ? rc : EXIT_INPUT;
	}
	rc = close_out(of.html, o.html_file, rc);
	if (o.verbose)
		account();
	return rc;
}
