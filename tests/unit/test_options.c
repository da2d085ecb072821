/* test_options.c: the command line -> struct options: limits, flags,
 * files, and one-line refusals of bad input. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>
#include <cmocka.h>

#include "dissector.h"
#include "options.h"

#define ARGV(...) ((char *[]){ "smtpscope", __VA_ARGS__, NULL })
#define ARGC(...) ((int)(sizeof((char *[]){ "smtpscope", __VA_ARGS__ }) / \
		    sizeof(char *)))
#define PARSE(o, ...) options_parse(o, ARGC(__VA_ARGS__), ARGV(__VA_ARGS__))

static void
test_files_and_flags(void **state)
{
	struct options o;

	(void)state;
	assert_int_equal(PARSE(&o, "a.pcap", "-v", "--json", "b.pcapng",
	    "--body", "--idle-timeout", "60", "--max-rcpts=7",
	    "--max-decoded-bytes", "123456789012", "--color=never"),
	    OPTIONS_RUN);
	assert_int_equal(o.nfiles, 2);
	assert_string_equal(o.files[0], "a.pcap");	/* order kept */
	assert_string_equal(o.files[1], "b.pcapng");
	assert_int_equal(o.verbose, 1);
	assert_true(o.json);
	assert_true(o.cfg.show_body);
	assert_int_equal(o.cfg.idle_timeout, 60);
	assert_int_equal(o.cfg.limits.max_rcpts, 7);
	assert_true(o.cfg.limits.max_decoded_bytes == 123456789012ull);
	assert_int_equal(o.color, OPTIONS_NEVER);
	assert_int_equal(o.hash_thread, OPTIONS_AUTO);		/* default */
	assert_false(o.cfg.message_digests);			/* default */
	assert_int_equal(o.cfg.limits.max_pending, 1024);	/* default */
	assert_false(o.explain);
	assert_int_equal(o.lang, EXPLAIN_LANG_EN);		/* default */
	assert_int_equal(PARSE(&o, "--explain", "--lang", "fr", "a.pcap"),
	    OPTIONS_RUN);
	assert_true(o.explain);
	assert_int_equal(o.lang, EXPLAIN_LANG_FR);
	assert_int_equal(PARSE(&o, "--lang=en", "a.pcap"), OPTIONS_RUN);
	assert_int_equal(PARSE(&o, "--hash-thread", "never", "a.pcap"),
	    OPTIONS_RUN);
	assert_int_equal(o.hash_thread, OPTIONS_NEVER);
	assert_int_equal(PARSE(&o, "--hash-thread=always", "a.pcap"),
	    OPTIONS_RUN);
	assert_int_equal(o.hash_thread, OPTIONS_ALWAYS);
	assert_int_equal(PARSE(&o, "--message-digests", "a.pcap"),
	    OPTIONS_RUN);
	assert_true(o.cfg.message_digests);
	assert_int_equal(o.lang, EXPLAIN_LANG_EN);
	assert_null(o.html_file);
	assert_false(o.summary);
	assert_int_equal(PARSE(&o, "--html", "x.html", "--summary", "a.pcap"),
	    OPTIONS_RUN);
	assert_string_equal(o.html_file, "x.html");
	assert_true(o.summary);
	assert_false(o.summary_json);
	assert_int_equal(o.nfiles, 1);	/* --summary took no argument */
	assert_int_equal(PARSE(&o, "--summary=json", "a.pcap"), OPTIONS_RUN);
	assert_true(o.summary && o.summary_json);
	assert_int_equal(PARSE(&o, "--summary=table", "a.pcap"), OPTIONS_RUN);
	assert_true(o.summary && !o.summary_json);
}

/* "--summary json" is "--summary=json", the file after it included, in
 * any place; a capture that is named json is still a capture. */
static void
test_summary_word(void **state)
{
	char dir[] = "/tmp/smtpscope-opt.XXXXXX", cwd[4096];
	struct options o;
	FILE *f;

	(void)state;
	assert_int_equal(PARSE(&o, "--summary", "json", "a.pcap"),
	    OPTIONS_RUN);
	assert_true(o.summary && o.summary_json);
	assert_int_equal(o.nfiles, 1);
	assert_string_equal(o.files[0], "a.pcap");
	assert_int_equal(PARSE(&o, "a.pcap", "--summary", "json", "b.pcap"),
	    OPTIONS_RUN);
	assert_true(o.summary_json);
	assert_int_equal(o.nfiles, 2);
	assert_string_equal(o.files[0], "a.pcap");
	assert_string_equal(o.files[1], "b.pcap");
	assert_int_equal(PARSE(&o, "--summary=json", "--summary", "table",
	    "a.pcap"), OPTIONS_RUN);
	assert_true(o.summary && !o.summary_json);
	assert_int_equal(o.nfiles, 1);
	assert_int_equal(PARSE(&o, "--summary", "xml", "a.pcap"), OPTIONS_RUN);
	assert_false(o.summary_json);
	assert_int_equal(o.nfiles, 2);		/* xml is a file */

	assert_non_null(getcwd(cwd, sizeof(cwd)));
	assert_non_null(mkdtemp(dir));
	assert_int_equal(chdir(dir), 0);
	assert_non_null(f = fopen("json", "w"));
	fclose(f);
	assert_int_equal(PARSE(&o, "--summary", "json"), OPTIONS_RUN);
	assert_false(o.summary_json);
	assert_int_equal(o.nfiles, 1);
	assert_string_equal(o.files[0], "json");
	assert_int_equal(unlink("json"), 0);
	assert_int_equal(chdir(cwd), 0);
	assert_int_equal(rmdir(dir), 0);
}

static void
test_live_and_ports(void **state)
{
	struct options o;

	(void)state;
	assert_int_equal(PARSE(&o, "-i", "eth0", "-f", "tcp", "-w", "x.json",
	    "--ports", "25,2526"), OPTIONS_RUN);
	assert_string_equal(o.iface, "eth0");
	assert_string_equal(o.bpf, "tcp");
	assert_string_equal(o.json_file, "x.json");
	assert_non_null(registry_lookup(2526));
	assert_null(registry_lookup(587));
	assert_null(registry_lookup(0));
	assert_null(registry_lookup(65535));
	/* 465 stays implicit TLS: another dissector than 25's */
	assert_non_null(registry_lookup(465));
	assert_ptr_not_equal(registry_lookup(465), registry_lookup(25));
	assert_int_equal(PARSE(&o, "--ports", "25,587,2525", "a.pcap"),
	    OPTIONS_RUN);
	assert_non_null(registry_lookup(587));
	assert_null(registry_lookup(2526));
	assert_ptr_equal(registry_lookup(587), registry_lookup(25));
}

static void
test_refusals(void **state)
{
	struct options o;

	(void)state;
	assert_int_equal(PARSE(&o, "--nope", "a.pcap"), OPTIONS_ERROR);
	assert_int_equal(PARSE(&o, "-Z", "a.pcap"), OPTIONS_ERROR);
	assert_int_equal(PARSE(&o, "a.pcap", "-i"), OPTIONS_ERROR);
	assert_int_equal(PARSE(&o, "--max-rcpts", "0", "a.pcap"),
	    OPTIONS_ERROR);
	assert_int_equal(PARSE(&o, "--max-rcpts", "-3", "a.pcap"),
	    OPTIONS_ERROR);
	assert_int_equal(PARSE(&o, "--idle-timeout", "5s", "a.pcap"),
	    OPTIONS_ERROR);
	assert_int_equal(PARSE(&o, "--color", "pink", "a.pcap"),
	    OPTIONS_ERROR);
	assert_int_equal(PARSE(&o, "--hash-thread", "2", "a.pcap"),
	    OPTIONS_ERROR);
	assert_int_equal(PARSE(&o, "-i", "eth0", "a.pcap"), OPTIONS_ERROR);
	assert_int_equal(PARSE(&o, "--lang", "de", "a.pcap"), OPTIONS_ERROR);
	assert_int_equal(PARSE(&o, "--summary=xml", "a.pcap"), OPTIONS_ERROR);
	assert_int_equal(PARSE(&o, "a.pcap", "--html"), OPTIONS_ERROR);
	assert_int_equal(PARSE(&o, "--lang", "a.pcap"), OPTIONS_ERROR);
	assert_int_equal(PARSE(&o, "-v"), OPTIONS_ERROR);	/* no input */
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_files_and_flags),
		cmocka_unit_test(test_summary_word),
		cmocka_unit_test(test_live_and_ports),
		cmocka_unit_test(test_refusals),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
