/* test_extract.c: extraction with hostile names never writes outside DIR,
 * never overwrites, and reports failures while analysis goes on. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <dirent.h>
#include <sys/stat.h>
#include <unistd.h>
#include <cmocka.h>

#include "msg_helpers.h"

static const char hostile[] =
    "Subject: x\r\nContent-Type: multipart/mixed; boundary=B\r\n\r\n"
    "--B\r\nContent-Disposition: attachment; filename=\"../../etc/passwd\"\r\n"
    "\r\nroot:x:0:0\r\n"
    "--B\r\nContent-Disposition: attachment; filename=\".hidden\x01\x1b[2J\"\r\n"
    "\r\nhide\r\n"
    "--B\r\nContent-Disposition: attachment; filename=\"/abs/path\"\r\n"
    "\r\nabs\r\n--B--\r\n";

static int
count_files(const char *dir)
{
	DIR *d = opendir(dir);
	struct dirent *e;
	int n = 0;

	assert_non_null(d);
	while ((e = readdir(d)) != NULL) {
		if (e->d_name[0] == '.')
			continue;
		/* names are ours: tag, counter, hash */
		assert_non_null(strstr(e->d_name, "t-"));
		n++;
	}
	closedir(d);
	return n;
}

static void
test_hostile_names(void **state)
{
	char dir[] = "/tmp/smtpscope-xXXXXXX", path[600];
	json_object *o;
	struct stat st;
	int i;

	(void)state;
	assert_non_null(mkdtemp(dir));
	th_cfg.extract_dir = dir;
	o = th_run(hostile);
	assert_string_equal(th_get(o, "mime.parts.0.filename"),
	    "../../etc/passwd");
	for (i = 0; i < 3; i++) {
		char key[64];
		const char *p;

		snprintf(key, sizeof(key), "mime.parts.%d.extracted", i);
		p = th_get(o, key);
		assert_non_null(p);
		assert_true(strncmp(p, dir, strlen(dir)) == 0);
		assert_null(strchr(p + strlen(dir) + 1, '/'));
		assert_null(strstr(p, ".."));
	}
	assert_non_null(th_get(o, "extracted"));	/* the .eml */
	assert_int_equal(count_files(dir), 4);
	json_object_put(o);
	/* the same again: nothing overwritten, new names */
	o = th_run(hostile);
	assert_int_equal(count_files(dir), 8);
	json_object_put(o);
	snprintf(path, sizeof(path), "%s/../etc", dir);
	assert_true(stat(path, &st) != 0);
	/* cleanup */
	{
		DIR *d = opendir(dir);
		struct dirent *e;

		while ((e = readdir(d)) != NULL)
			if (e->d_name[0] != '.') {
				snprintf(path, sizeof(path), "%s/%s", dir,
				    e->d_name);
				unlink(path);
			}
		closedir(d);
	}
	rmdir(dir);
	th_cfg.extract_dir = NULL;
}

static void
test_failure_reported(void **state)
{
	json_object *o;

	(void)state;
	th_cfg.extract_dir = "/nonexistent/smtpscope";
	o = th_run(hostile);
	assert_non_null(th_get(o, "extract_error"));
	assert_non_null(th_get(o, "mime.parts.0.extract_error"));
	assert_true(anomaly_has(&th_an, ANOMALY_extract_failed));
	/* the analysis went on */
	assert_string_equal(th_get(o, "mime.parts.2.decoded_bytes"), "3");
	json_object_put(o);
	th_cfg.extract_dir = NULL;
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_hostile_names),
		cmocka_unit_test(test_failure_reported),
	};

	config_defaults(&th_cfg);
	return cmocka_run_group_tests(tests, NULL, NULL);
}
