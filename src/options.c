/* options.c: getopt_long over our options; every error is one line on
 * stderr and OPTIONS_ERROR, never an exit from here. */
#include <errno.h>
#include <getopt.h>
#include <inttypes.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "dissector.h"
#include "options.h"

#ifndef SMTPSCOPE_VERSION
#define SMTPSCOPE_VERSION "0.1"
#endif

/* The --max-xxx options: one line each, fields of struct limits. */
#define LIMIT_OPTIONS(X)						\
	X("max-sessions",	max_sessions,	"concurrent TCP sessions") \
	X("max-command-line",	max_command_line, "bytes kept of a command") \
	X("max-reply-line",	max_reply_line,	"bytes kept of a reply line") \
	X("max-text-line",	max_text_line,	"bytes kept of a DATA line") \
	X("max-reply-lines",	max_reply_lines, "lines in one reply")	\
	X("max-pending",	max_pending,	"pipelined commands")	\
	X("max-rcpts",		max_rcpts,	"recipients per transaction") \
	X("max-auth-bytes",	max_auth_bytes,	"bytes of one AUTH exchange") \
	X("max-header-bytes",	max_header_bytes, "bytes of one header") \
	X("max-headers",	max_headers,	"headers per part")	\
	X("max-mime-depth",	max_mime_depth,	"nested multiparts")	\
	X("max-parts",		max_parts,	"MIME parts per message") \
	X("max-decoded-bytes",	max_decoded_bytes, "decoded bytes per part") \
	X("max-filename",	max_filename,	"bytes of an attachment name")

enum {
	OPT_PORTS = 256, OPT_JSON, OPT_BODY, OPT_CREDS, OPT_RAW_HEADERS,
	OPT_EXTRACT, OPT_IDLE, OPT_COLOR, OPT_VERSION, OPT_EXPLAIN, OPT_LANG,
	OPT_HTML, OPT_SUMMARY, OPT_STATS_INTERVAL, OPT_ROTATE_SECONDS,
	OPT_ROTATE_SIZE, OPT_HASH_THREAD, OPT_MESSAGE_DIGESTS,
	OPT_LIMIT_BASE = 512,		/* + index in limit_table */
};

struct limit_option {
	const char	*name;
	size_t		 offset;
	size_t		 size;
	const char	*help;
};

static const struct limit_option limit_table[] = {
#define LIMIT_ENTRY(n, field, h)					\
	{ n, offsetof(struct limits, field),				\
	    sizeof(((struct limits *)0)->field), h },
	LIMIT_OPTIONS(LIMIT_ENTRY)
#undef LIMIT_ENTRY
};
#define NLIMITS (sizeof(limit_table) / sizeof(limit_table[0]))

static const struct option base_options[] = {
	{ "ports",		required_argument, NULL, OPT_PORTS },
	{ "json",		no_argument,	   NULL, OPT_JSON },
	{ "body",		no_argument,	   NULL, OPT_BODY },
	{ "show-credentials",	no_argument,	   NULL, OPT_CREDS },
	{ "raw-headers",	no_argument,	   NULL, OPT_RAW_HEADERS },
	{ "extract",		required_argument, NULL, OPT_EXTRACT },
	{ "message-digests",	no_argument,	   NULL, OPT_MESSAGE_DIGESTS },
	{ "idle-timeout",	required_argument, NULL, OPT_IDLE },
	{ "color",		required_argument, NULL, OPT_COLOR },
	{ "colour",		required_argument, NULL, OPT_COLOR },
	{ "explain",		no_argument,	   NULL, OPT_EXPLAIN },
	{ "lang",		required_argument, NULL, OPT_LANG },
	{ "html",		required_argument, NULL, OPT_HTML },
	{ "summary",		optional_argument, NULL, OPT_SUMMARY },
	{ "stats-interval",	required_argument, NULL, OPT_STATS_INTERVAL },
	{ "rotate-seconds",	required_argument, NULL, OPT_ROTATE_SECONDS },
	{ "rotate-size",	required_argument, NULL, OPT_ROTATE_SIZE },
	{ "hash-thread",	required_argument, NULL, OPT_HASH_THREAD },
	{ "help",		no_argument,	   NULL, 'h' },
	{ "version",		no_argument,	   NULL, OPT_VERSION },
};
#define NBASE (sizeof(base_options) / sizeof(base_options[0]))

void
options_usage(FILE *f)
{
	size_t i;

	fprintf(f,
"usage: smtpscope [options] FILE...     read pcap/pcapng files in order\n"
"       smtpscope [options] -i IFACE    capture live (promiscuous)\n"
"  -f EXPR              BPF filter\n"
"  -B MB                kernel capture buffer in MB (live)\n"
"  -Z USER              drop root to USER once the interface is open\n"
"  --ports LIST         SMTP ports (default 25,587,2525; 465 is implicit TLS)\n"
"  --json               NDJSON events on stdout instead of the transcript\n"
"  -w FILE              NDJSON events to FILE, transcript on stdout\n"
"  --body               show message bodies in full\n"
"  --show-credentials   show AUTH secrets instead of masking them\n"
"  --raw-headers        show message headers as sent\n"
"  --extract DIR        write messages and attachments under DIR\n"
"  --message-digests    md5 and sha256 of each whole message too (every\n"
"                       part is always hashed; on with --extract)\n"
"  --idle-timeout SEC   end sessions idle this long (default 300, 0: never)\n"
"  --color WHEN         auto, always or never (auto: only on a terminal,\n"
"                       and not when NO_COLOR is set)\n"
"  --explain            a note under each line: what a command asks, what\n"
"                       a reply code means; envelope vs headers, Received\n"
"  --lang LANG          language of the notes: en (default) or fr\n"
"  --html FILE          a self-contained page: a ladder diagram per session\n"
"  --summary[=json]     counts for the whole capture instead of the\n"
"                       transcript (on stderr with --json)\n"
"  --stats-interval SEC capture.stats every SEC (live default 60, 0: off)\n"
"  --rotate-seconds SEC -w: start a new file every SEC seconds\n"
"  --rotate-size MB     -w: start a new file past MB megabytes\n"
"  --hash-thread WHEN   md5/sha1/sha256 on a second thread: auto (default:\n"
"                       when it may use more than one CPU), always, never\n"
"  -v                   account of the capture on stderr at the end\n"
"  signals: INT/TERM stop (open sessions end \"shutdown\"), USR1 stats now,\n"
"           HUP reopens the -w file (after logrotate moved it)\n"
"  -h, --help           this help;  --version  the version\n"
"limits (bytes or counts):\n");
	for (i = 0; i < NLIMITS; i++)
		fprintf(f, "  --%-19s %s\n", limit_table[i].name,
		    limit_table[i].help);
	fprintf(f, "exit: 0 ok, 1 usage, 2 input error, 3 capture cut "
	    "short, 4 out of memory\n");
}

/* A decimal number in [0, max]; -1 on anything else. */
static int
parse_number(const char *s, uint64_t max, uint64_t *v)
{
	char *end;

	if (*s < '0' || *s > '9')
		return -1;
	errno = 0;
	*v = strtoull(s, &end, 10);
	if (errno != 0 || *end != '\0' || *v > max)
		return -1;
	return 0;
}

static int
set_limit(struct limits *l, const struct limit_option *lo, const char *arg)
{
	uint64_t v;
	char *field = (char *)l + lo->offset;

	if (parse_number(arg, lo->size == sizeof(size_t) ? SIZE_MAX :
	    UINT64_MAX, &v) == -1 || v == 0) {
		fprintf(stderr, "smtpscope: --%s: not a positive number: "
		    "'%s'\n", lo->name, arg);
		return -1;
	}
	if (lo->size == sizeof(uint64_t))
		memcpy(field, &v, sizeof(uint64_t));
	else {
		size_t z = (size_t)v;

		memcpy(field, &z, sizeof(z));
	}
	return 0;
}

/* --summary or --summary=table: the table; --summary=json: JSON (or
 * "--summary json", see summary_word()). */
static int
set_summary(struct options *o, const char *arg)
{
	o->summary = 1;
	if (arg == NULL || strcmp(arg, "table") == 0)
		o->summary_json = 0;
	else if (strcmp(arg, "json") == 0)
		o->summary_json = 1;
	else {
		fprintf(stderr, "smtpscope: --summary: table or json, not "
		    "'%s'\n", arg);
		return -1;
	}
	return 0;
}

/* "--summary json" as "--summary=json": getopt gives an optional
 * argument only after '='. The next word is taken when it is "json" or
 * "table" and no file has that name (a capture named json still reads). */
static char *
summary_word(int argc, char **argv)
{
	char *w = optind < argc ? argv[optind] : NULL;

	if (w == NULL || (strcmp(w, "json") != 0 && strcmp(w, "table") != 0) ||
	    access(w, F_OK) == 0)
		return NULL;
	optind++;
	return w;
}

static int
set_when(enum options_when *w, const char *opt, const char *arg)
{
	if (strcmp(arg, "auto") == 0)
		*w = OPTIONS_AUTO;
	else if (strcmp(arg, "always") == 0)
		*w = OPTIONS_ALWAYS;
	else if (strcmp(arg, "never") == 0)
		*w = OPTIONS_NEVER;
	else {
		fprintf(stderr, "smtpscope: %s: auto, always or never, "
		    "not '%s'\n", opt, arg);
		return -1;
	}
	return 0;
}

#define STR_(x)	#x
#define STR(x)	STR_(x)

/* A number in [min, max] for option opt, or its one-line error:
 * "smtpscope: OPT: not WHAT: 'ARG'" and -1. */
static int
number_option(const char *opt, const char *arg, uint64_t min, uint64_t max,
    const char *what, uint64_t *v)
{
	if (parse_number(arg, max, v) == 0 && *v >= min)
		return 0;
	fprintf(stderr, "smtpscope: %s: not %s: '%s'\n", opt, what, arg);
	return -1;
}

/* One option; -1 on error (already reported). */
static int
option_one(struct options *o, int c, const char *arg)
{
	uint64_t v;

	switch (c) {
	case 'i':	o->iface = arg;			return 0;
	case 'f':	o->bpf = arg;			return 0;
	case 'w':	o->json_file = arg;		return 0;
	case 'v':	o->verbose++;			return 0;
	case OPT_JSON:	o->json = 1;			return 0;
	case OPT_BODY:	o->cfg.show_body = 1;		return 0;
	case OPT_CREDS:	o->cfg.show_credentials = 1;	return 0;
	case OPT_HASH_THREAD: return set_when(&o->hash_thread, "--hash-thread", arg);
	case OPT_RAW_HEADERS: o->cfg.raw_headers = 1;	return 0;
	case OPT_EXTRACT: o->cfg.extract_dir = arg;	return 0;
	case OPT_MESSAGE_DIGESTS: o->cfg.message_digests = 1; return 0;
	case OPT_COLOR:	return set_when(&o->color, "--color", arg);
	case OPT_EXPLAIN: o->explain = 1;		return 0;
	case OPT_LANG:
		if (explain_lang_parse(arg, &o->lang) == 0)
			return 0;
		fprintf(stderr, "smtpscope: --lang: en or fr, not '%s'\n",
		    arg);
		return -1;
	case OPT_HTML:	o->html_file = arg;		return 0;
	case OPT_SUMMARY: return set_summary(o, arg);
	case 'Z':	o->user = arg;			return 0;
	case 'B':	/* libpcap takes the size in bytes as an int */
		if (number_option("-B", arg, 1, OPTIONS_BUFFER_MB_MAX,
		    "a size in MB (1 to " STR(OPTIONS_BUFFER_MB_MAX) ")",
		    &v) == -1)
			return -1;
		o->buffer_mb = (unsigned)v;
		return 0;
	case OPT_STATS_INTERVAL:
		if (number_option("--stats-interval", arg, 0, 1u << 30,
		    "a number of seconds", &v) == -1)
			return -1;
		o->stats_interval = (int)v;
		return 0;
	case OPT_ROTATE_SECONDS:
		if (number_option("--rotate-seconds", arg, 1, 1u << 30,
		    "a positive number of seconds", &v) == -1)
			return -1;
		o->rotate_seconds = (unsigned)v;
		return 0;
	case OPT_ROTATE_SIZE:
		if (number_option("--rotate-size", arg, 1, 1u << 30,
		    "a positive number of MB", &v) == -1)
			return -1;
		o->rotate_bytes = v * 1024 * 1024;
		return 0;
	case OPT_PORTS:
		if (registry_set_smtp_ports(arg) == 0)
			return 0;
		fprintf(stderr, "smtpscope: --ports: bad port list '%s'\n",
		    arg);
		return -1;
	case OPT_IDLE:
		if (parse_number(arg, 1u << 30, &v) == 0) {
			o->cfg.idle_timeout = (unsigned)v;
			return 0;
		}
		fprintf(stderr, "smtpscope: --idle-timeout: not a number of "
		    "seconds: '%s'\n", arg);
		return -1;
	}
	if (c >= OPT_LIMIT_BASE && (size_t)(c - OPT_LIMIT_BASE) < NLIMITS)
		return set_limit(&o->cfg.limits,
		    &limit_table[c - OPT_LIMIT_BASE], arg);
	return -1;
}

/* getopt_long's table: the base options, then one per limit. */
static void
long_options(struct option *lo)
{
	size_t i;

	memcpy(lo, base_options, sizeof(base_options));
	for (i = 0; i < NLIMITS; i++) {
		lo[NBASE + i].name = limit_table[i].name;
		lo[NBASE + i].has_arg = required_argument;
		lo[NBASE + i].flag = NULL;
		lo[NBASE + i].val = OPT_LIMIT_BASE + (int)i;
	}
	memset(&lo[NBASE + NLIMITS], 0, sizeof(*lo));
}

static enum options_result
options_check(struct options *o)
{
	if (o->iface != NULL && o->nfiles > 0) {
		fprintf(stderr, "smtpscope: give capture files or -i, not "
		    "both\n");
		return OPTIONS_ERROR;
	}
	if ((o->rotate_seconds != 0 || o->rotate_bytes != 0) &&
	    o->json_file == NULL) {
		fprintf(stderr, "smtpscope: --rotate-seconds and --rotate-size "
		    "need -w FILE\n");
		return OPTIONS_ERROR;
	}
	if ((o->user != NULL || o->buffer_mb != 0) && o->iface == NULL) {
		fprintf(stderr, "smtpscope: -Z and -B need -i IFACE\n");
		return OPTIONS_ERROR;
	}
	if (o->stats_interval < 0)
		o->stats_interval = o->iface != NULL ?
		    OPTIONS_STATS_INTERVAL_LIVE : 0;
	if (o->iface == NULL && o->nfiles == 0) {
		fprintf(stderr, "smtpscope: no capture file given (try "
		    "--help)\n");
		return OPTIONS_ERROR;
	}
	return OPTIONS_RUN;
}

/* getopt_long failed: say which option and why, in one line. */
static void
bad_option(int c, const char *arg)
{
	if (optopt == 0)
		fprintf(stderr, "smtpscope: unknown option %s (try --help)\n",
		    arg);
	else if (optopt >= 256)
		fprintf(stderr, "smtpscope: missing argument to %s (try "
		    "--help)\n", arg);
	else if (c == ':' || strchr("ifwBZ", optopt) != NULL)
		fprintf(stderr, "smtpscope: missing argument to -%c (try "
		    "--help)\n", optopt);
	else
		fprintf(stderr, "smtpscope: unknown option -%c (try --help)\n",
		    optopt);
}

enum options_result
options_parse(struct options *o, int argc, char **argv)
{
	struct option lo[NBASE + NLIMITS + 1];
	int c;

	memset(o, 0, sizeof(*o));
	config_defaults(&o->cfg);
	o->stats_interval = -1;
	long_options(lo);
	opterr = 0;		/* our own one-line messages */
	optind = 0;		/* glibc: full reset, so tests can re-parse */
	while ((c = getopt_long(argc, argv, "i:f:w:B:Z:vh", lo, NULL)) != -1) {
		if (c == 'h') {
			options_usage(stdout);
			return OPTIONS_EXIT;
		}
		if (c == OPT_VERSION) {
			printf("smtpscope %s\n", SMTPSCOPE_VERSION);
			return OPTIONS_EXIT;
		}
		if (c == '?' || c == ':') {
			bad_option(c, argv[optind - 1]);
			return OPTIONS_ERROR;
		}
		if (c == OPT_SUMMARY && optarg == NULL)
			optarg = summary_word(argc, argv);
		if (option_one(o, c, optarg) == -1)
			return OPTIONS_ERROR;
	}
	o->files = argv + optind;
	o->nfiles = argc - optind;
	return options_check(o);
}
