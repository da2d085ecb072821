/* rotate.c: the -w file: rotation and reopening under one FILE. */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "rotate.h"

int
rotate_open(struct rotate *r, const char *path, unsigned seconds,
    uint64_t max_bytes, time_t now, int append)
{
	memset(r, 0, sizeof(*r));
	if ((r->f = fopen(path, append ? "ae" : "we")) == NULL)
		return -1;
	/* ftell() is the size --rotate-size compares, old lines included */
	if (append)
		(void)fseek(r->f, 0, SEEK_END);
	r->path = path;
	r->seconds = seconds;
	r->max_bytes = max_bytes;
	r->opened = now;
	return 0;
}

int
rotate_due(const struct rotate *r, time_t now)
{
	long pos;

	if (r->f == NULL)
		return 0;
	if (r->seconds != 0 && now - r->opened >= (time_t)r->seconds)
		return 1;
	if (r->max_bytes != 0 && (pos = ftell(r->f)) >= 0 &&
	    (uint64_t)pos >= r->max_bytes)
		return 1;
	return 0;
}

int
rotate_name(const char *path, time_t t, char *buf, size_t len)
{
	struct stat st;
	struct tm tm;
	char stamp[32];
	int n, i;

	if (gmtime_r(&t, &tm) == NULL ||
	    strftime(stamp, sizeof(stamp), "%Y%m%dT%H%M%S", &tm) == 0)
		return -1;
	for (i = 0; i < 10000; i++) {
		if (i == 0)
			n = snprintf(buf, len, "%s.%s", path, stamp);
		else
			n = snprintf(buf, len, "%s.%s-%d", path, stamp, i);
		if (n < 0 || (size_t)n >= len)
			return -1;
		if (lstat(buf, &st) == -1 && errno == ENOENT)
			return 0;
	}
	return -1;
}

/* Points r->f at path opened with `flags`, keeping the FILE object. */
static int
swap_fd(struct rotate *r, int flags)
{
	int fd;

	/* O_APPEND: logrotate's copytruncate then works too */
	if ((fd = open(r->path, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC |
	    flags, 0666)) == -1)
		return -1;
	if (dup2(fd, fileno(r->f)) == -1) {
		close(fd);
		return -1;
	}
	close(fd);
	/* stdio's idea of the offset follows the new file */
	(void)fseek(r->f, 0, SEEK_END);
	return 0;
}

int
rotate_now(struct rotate *r, time_t now)
{
	char name[4096];

	if (r->f == NULL)
		return -1;
	(void)fflush(r->f);
	if (rotate_name(r->path, r->opened, name, sizeof(name)) == -1) {
		fprintf(stderr, "smtpscope: %s: no free name to rotate to\n",
		    r->path);
		return -1;
	}
	if (rename(r->path, name) == -1) {
		fprintf(stderr, "smtpscope: %s: cannot rotate to %s: %s\n",
		    r->path, name, strerror(errno));
		r->opened = now;	/* try again next period, not at once */
		return -1;
	}
	r->opened = now;
	if (swap_fd(r, O_TRUNC) == -1) {
		fprintf(stderr, "smtpscope: %s: cannot start a new file: %s "
		    "(writing on in %s)\n", r->path, strerror(errno), name);
		return -1;
	}
	return 0;
}

int
rotate_reopen(struct rotate *r)
{
	if (r->f == NULL)
		return -1;
	(void)fflush(r->f);
	if (swap_fd(r, 0) == -1) {
		fprintf(stderr, "smtpscope: %s: cannot reopen: %s\n", r->path,
		    strerror(errno));
		return -1;
	}
	return 0;
}

int
rotate_close(struct rotate *r)
{
	int rc;

	if (r->f == NULL)
		return 0;
	rc = fclose(r->f);
	r->f = NULL;
	return rc;
}
