/* test_rotate.c: rotate.c on real files in a temporary directory: names,
 * rotation by age and size, reopening after a move (logrotate), and that
 * the FILE writers hold keeps working across all of them. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <cmocka.h>

#include "rotate.h"

static char dir[] = "/tmp/test_rotate.XXXXXX";
static char path[256];

static char *
slurp(const char *p)
{
	static char buf[4096];
	FILE *f = fopen(p, "r");
	size_t n;

	assert_non_null(f);
	n = fread(buf, 1, sizeof(buf) - 1, f);
	buf[n] = '\0';
	fclose(f);
	return buf;
}

static int
setup(void **state)
{
	(void)state;
	if (mkdtemp(dir) == NULL)
		return -1;
	snprintf(path, sizeof(path), "%s/events.json", dir);
	return 0;
}

static int
teardown(void **state)
{
	char cmd[300];

	(void)state;
	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", dir);
	return system(cmd) == 0 ? 0 : -1;
}

/* 2026-11-23 10:00:00 UTC */
#define T0	((time_t)1795428000)

static void
test_name(void **state)
{
	char name[512], want[512];
	FILE *f;

	(void)state;
	assert_int_equal(rotate_name(path, T0, name, sizeof(name)), 0);
	snprintf(want, sizeof(want), "%s.20261123T100000", path);
	assert_string_equal(name, want);
	/* taken: a suffix, never an overwrite */
	f = fopen(want, "w");
	assert_non_null(f);
	fclose(f);
	assert_int_equal(rotate_name(path, T0, name, sizeof(name)), 0);
	snprintf(want, sizeof(want), "%s.20261123T100000-1", path);
	assert_string_equal(name, want);
	/* too small a buffer: an error, not a cut name */
	assert_int_equal(rotate_name(path, T0, name, 10), -1);
	unlink(name);
	snprintf(want, sizeof(want), "%s.20261123T100000", path);
	unlink(want);
}

static void
test_by_age(void **state)
{
	struct rotate r;
	char old[512];

	(void)state;
	assert_int_equal(rotate_open(&r, path, 60, 0, T0, 0), 0);
	fputs("one\n", r.f);
	assert_false(rotate_due(&r, T0 + 59));
	assert_true(rotate_due(&r, T0 + 60));
	assert_int_equal(rotate_now(&r, T0 + 60), 0);
	fputs("two\n", r.f);
	assert_int_equal(rotate_close(&r), 0);
	snprintf(old, sizeof(old), "%s.20261123T100000", path);
	assert_string_equal(slurp(old), "one\n");
	assert_string_equal(slurp(path), "two\n");
	assert_false(rotate_due(&r, T0 + 1000));	/* closed */
	unlink(old);
}

static void
test_by_size(void **state)
{
	struct rotate r;
	int i;

	(void)state;
	assert_int_equal(rotate_open(&r, path, 0, 100, T0, 0), 0);
	for (i = 0; i < 9; i++)
		fputs("0123456789\n", r.f);	/* 99 bytes, buffered */
	assert_false(rotate_due(&r, T0 + 100000));
	fputs("x\n", r.f);
	assert_true(rotate_due(&r, T0));
	assert_int_equal(rotate_now(&r, T0 + 5), 0);
	assert_false(rotate_due(&r, T0 + 5));
	assert_int_equal(rotate_close(&r), 0);
	assert_string_equal(slurp(path), "");
}

/* logrotate: mv, then SIGHUP: the writer goes on in a new file at path;
 * without the move it appends to the same file. */
static void
test_reopen(void **state)
{
	struct rotate r;
	char moved[512];

	(void)state;
	snprintf(moved, sizeof(moved), "%s.1", path);
	assert_int_equal(rotate_open(&r, path, 0, 0, T0, 0), 0);
	fputs("before\n", r.f);
	assert_int_equal(rename(path, moved), 0);
	fputs("still old\n", r.f);	/* buffered: belongs to the old file */
	assert_int_equal(rotate_reopen(&r), 0);
	fputs("after\n", r.f);
	assert_int_equal(rotate_reopen(&r), 0);	/* no move: append */
	fputs("again\n", r.f);
	assert_int_equal(rotate_close(&r), 0);
	assert_string_equal(slurp(moved), "before\nstill old\n");
	assert_string_equal(slurp(path), "after\nagain\n");
	unlink(moved);
}

/* Live: a restarted daemon appends; --rotate-size counts what was there. */
static void
test_append(void **state)
{
	struct rotate r;
	FILE *f;

	(void)state;
	assert_non_null(f = fopen(path, "w"));
	fputs("from the last run\n", f);	/* 18 bytes */
	fclose(f);
	assert_int_equal(rotate_open(&r, path, 0, 20, T0, 1), 0);
	assert_false(rotate_due(&r, T0));
	fputs("new\n", r.f);
	assert_true(rotate_due(&r, T0));
	assert_int_equal(rotate_close(&r), 0);
	assert_string_equal(slurp(path), "from the last run\nnew\n");
	unlink(path);
}

static void
test_open_fails(void **state)
{
	struct rotate r;
	char bad[512];

	(void)state;
	snprintf(bad, sizeof(bad), "%s/no/such/dir/f.json", dir);
	assert_int_equal(rotate_open(&r, bad, 0, 0, T0, 0), -1);
	assert_null(r.f);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_name),
		cmocka_unit_test(test_by_age),
		cmocka_unit_test(test_by_size),
		cmocka_unit_test(test_reopen),
		cmocka_unit_test(test_append),
		cmocka_unit_test(test_open_fails),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
