/* test_periodic.c: periodic.c driven by capture time (offline): stats
 * every --stats-interval, at once on a real SIGUSR1, the -w file rotated
 * by age between events and reopened on a real SIGHUP; each event whole. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <cmocka.h>

#include <json-c/json.h>

#include "output.h"
#include "periodic.h"
#include "rotate.h"
#include "stats.h"

#define T0	((time_t)1795428000)	/* 2026-11-23T10:00:00Z */

static char dir[] = "/tmp/test_periodic.XXXXXX";
static char path[256];

/* The reasons of the capture.stats lines of a file, in order, as one
 * string ("interval,signal,"); every line must be whole JSON. */
static const char *
reasons(const char *p)
{
	static char out[256];
	char line[8192];
	struct json_object *o, *r;
	FILE *f = fopen(p, "r");

	assert_non_null(f);
	out[0] = '\0';
	while (fgets(line, sizeof(line), f) != NULL) {
		assert_non_null(strchr(line, '\n'));
		assert_non_null(o = json_tokener_parse(line));
		if (json_object_object_get_ex(o, "reason", &r)) {
			strncat(out, json_object_get_string(r),
			    sizeof(out) - strlen(out) - 2);
			strcat(out, ",");
		}
		json_object_put(o);
	}
	fclose(f);
	return out;
}

static void
test_interval_signals_rotation(void **state)
{
	struct output_options oo;
	struct periodic_config pc;
	struct rotate rot;
	struct output *out;
	char rotated[512], moved[512];

	(void)state;
	assert_non_null(mkdtemp(dir));
	snprintf(path, sizeof(path), "%s/events.json", dir);
	assert_int_equal(rotate_open(&rot, path, 60, 0, T0, 0), 0);
	memset(&oo, 0, sizeof(oo));
	oo.json = rot.f;
	assert_non_null(out = output_open(&oo));
	stats_long_running = 1;
	pc = (struct periodic_config){ out, &rot, 0, 10 };
	periodic_init(&pc);
	periodic_signals();

	periodic_run(T0);		/* starts the clocks */
	periodic_run(T0 + 9);
	assert_string_equal(reasons(path), "");
	periodic_run(T0 + 10);		/* the first interval */
	output_flush(out);
	assert_string_equal(reasons(path), "interval,");
	raise(SIGUSR1);			/* handled at the next run */
	periodic_run(T0 + 11);
	assert_string_equal(reasons(path), "interval,signal,");

	/* 60 s, after a quiet stretch: one stats (no catching up), then
	 * rotated to the name of its start, a new file begun */
	periodic_run(T0 + 60);
	snprintf(rotated, sizeof(rotated), "%s.20261123T100000", path);
	assert_string_equal(reasons(rotated), "interval,signal,interval,");
	assert_string_equal(reasons(path), "");

	/* logrotate: moved away, SIGHUP: a new file at path */
	periodic_stats("interval");
	snprintf(moved, sizeof(moved), "%s.1", path);
	assert_int_equal(rename(path, moved), 0);
	raise(SIGHUP);
	periodic_run(T0 + 61);
	periodic_stats("final");
	output_close(out);
	assert_int_equal(rotate_close(&rot), 0);
	assert_string_equal(reasons(moved), "interval,");
	assert_string_equal(reasons(path), "final,");
	unlink(rotated);
	unlink(moved);
	unlink(path);
	rmdir(dir);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_interval_signals_rotation),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
