/* options.h: the command line -> struct options (and struct config).
 * Parses only; opens no file and starts no capture. */
#ifndef SMTPSCOPE_OPTIONS_H
#define SMTPSCOPE_OPTIONS_H

#include <stdio.h>

#include "config.h"
#include "explain.h"

enum options_color {
	OPTIONS_COLOR_AUTO,
	OPTIONS_COLOR_ALWAYS,
	OPTIONS_COLOR_NEVER,
};

struct options {
	struct config		 cfg;
	char *const		*files;		/* FILE... (argv tail) */
	int			 nfiles;
	const char		*iface;		/* -i */
	const char		*bpf;		/* -f */
	int			 json;		/* --json: NDJSON on stdout */
	const char		*json_file;	/* -w FILE */
	enum options_color	 color;
	int			 explain;	/* --explain */
	enum explain_lang	 lang;		/* --lang, of the notes */
	int			 verbose;	/* -v */
	const char		*html_file;	/* --html FILE */
	int			 summary;	/* --summary */
	int			 summary_json;	/* --summary=json */
};

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
