/* options.h: the command line -> struct options (and struct config).
 * Parses only; opens no file and starts no capture. */
#ifndef SMTPSCOPE_OPTIONS_H
#define SMTPSCOPE_OPTIONS_H

#include <stdint.h>
#include <stdio.h>

#include "config.h"
#include "explain.h"

/* --color WHEN, --hash-thread WHEN */
enum options_when {
	OPTIONS_AUTO,
	OPTIONS_ALWAYS,
	OPTIONS_NEVER,
};

struct options {
	struct config		 cfg;
	char *const		*files;		/* FILE... (argv tail) */
	int			 nfiles;
	const char		*iface;		/* -i */
	const char		*bpf;		/* -f */
	int			 json;		/* --json: NDJSON on stdout */
	const char		*json_file;	/* -w FILE */
	enum options_when	 color;
	enum options_when	 hash_thread;	/* digests on a second thread */
	int			 explain;	/* --explain */
	enum explain_lang	 lang;		/* --lang, of the notes */
	int			 verbose;	/* -v */
	const char		*html_file;	/* --html FILE */
	int			 summary;	/* --summary */
	int			 summary_json;	/* --summary=json */
	/* live capture and daemon use (issue 7) */
	unsigned		 buffer_mb;	/* -B: kernel buffer, MB; 0: default */
	const char		*user;		/* -Z: drop root to this user */
	int			 stats_interval; /* seconds; -1: default */
	unsigned		 rotate_seconds; /* -w rotation; 0: never */
	uint64_t		 rotate_bytes;	/* --rotate-size MB; 0: never */
};

/* --stats-interval's default when live (offline: off unless given). */
#define OPTIONS_STATS_INTERVAL_LIVE	60
#define OPTIONS_BUFFER_MB_MAX		2047	/* -B, fits libpcap's int */

enum options_result {
	OPTIONS_RUN,		/* go on */
	OPTIONS_EXIT,		/* --help or --version printed: exit 0 */
	OPTIONS_ERROR,		/* one line printed on stderr: exit 1 */
};

/* Fills *o from argv (getopt_long; argv may be permuted). */
enum options_result	options_parse(struct options *o, int argc,
			    char **argv);
void			options_usage(FILE *);

#endif
