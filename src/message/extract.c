/* extract.c: writes extracted files relative to one directory descriptor
 * (openat, O_EXCL, O_NOFOLLOW), under names made here from a sanitised tag,
 * a counter and a hash. Never a wire name, never a path, never overwrite. */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <json-c/json.h>

#include "extract.h"
#include "json_add.h"

struct extract {
	int		 dirfd;
	int		 err;		/* errno of opening DIR */
	char		*dir;
	char		 tag[64];
	unsigned	 counter;
};

struct extract_file {
	struct extract	*x;
	int		 fd;
	int		 err;
	unsigned	 n;
	char		 tmp[128];
};

struct extract *
extract_open(const char *dir, const char *tag)
{
	struct extract *x;
	size_t i, o = 0;

	if (dir == NULL || (x = calloc(1, sizeof(*x))) == NULL)
		return NULL;
	x->dir = strdup(dir);
	x->dirfd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (x->dirfd < 0)
		x->err = errno;
	/* the tag is ours, but keep only [A-Za-z0-9_-] anyway */
	for (i = 0; tag != NULL && tag[i] != '\0' && o < sizeof(x->tag) - 1;
	    i++) {
		char c = tag[i];

		if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
		    (c >= '0' && c <= '9') || c == '-' || c == '_')
			x->tag[o++] = c;
	}
	if (o == 0)
		memcpy(x->tag, "msg", 4);
	return x;
}

struct extract_file *
extract_file_open(struct extract *x)
{
	struct extract_file *f;

	if (x == NULL || (f = calloc(1, sizeof(*f))) == NULL)
		return NULL;
	f->x = x;
	f->fd = -1;
	f->n = ++x->counter;
	if (x->dirfd < 0) {
		f->err = x->err;
		return f;
	}
	snprintf(f->tmp, sizeof(f->tmp), ".%s-%u.%ld.part", x->tag, f->n,
	    (long)getpid());
	f->fd = openat(x->dirfd, f->tmp, O_WRONLY | O_CREAT | O_EXCL |
	    O_NOFOLLOW | O_CLOEXEC, 0600);
	if (f->fd < 0)
		f->err = errno;
	return f;
}

void
extract_write(struct extract_file *f, const uint8_t *p, size_t n)
{
	ssize_t w;

	if (f == NULL || f->fd < 0 || f->err)
		return;
	while (n > 0) {
		if ((w = write(f->fd, p, n)) < 0) {
			if (errno == EINTR)
				continue;
			f->err = errno;
			return;
		}
		p += w;
		n -= (size_t)w;
	}
}

static void
report(json_object *obj, const char *key, const char *val)
{
	if (obj != NULL)
		JSON_SET(obj, key, json_object_new_string(val));
}

int
extract_file_close(struct extract_file *f, const char *sha256,
    const char *ext, json_object *obj)
{
	char name[160], path[4096];
	int i, rc = -1;

	if (f == NULL)
		return -1;
	if (f->fd >= 0 && close(f->fd) < 0 && !f->err)
		f->err = errno;
	if (f->fd >= 0 && !f->err && obj != NULL) {
		/* link(2) never replaces an existing name, unlike rename */
		for (i = 1; i < 100; i++) {
			if (i == 1)
				snprintf(name, sizeof(name), "%s-%u-%.16s.%s",
				    f->x->tag, f->n, sha256 ? sha256 : "", ext);
			else
				snprintf(name, sizeof(name), "%s-%u-%.16s-%d.%s",
				    f->x->tag, f->n, sha256 ? sha256 : "", i, ext);
			if (linkat(f->x->dirfd, f->tmp, f->x->dirfd, name,
			    0) == 0)
				break;
			if (errno != EEXIST) {
				f->err = errno;
				break;
			}
		}
		if (i == 100)
			f->err = EEXIST;
	}
	if (f->fd >= 0)
		unlinkat(f->x->dirfd, f->tmp, 0);
	if (obj != NULL) {
		if (f->err) {
			report(obj, "extract_error", strerror(f->err));
		} else {
			snprintf(path, sizeof(path), "%s/%s", f->x->dir, name);
			report(obj, "extracted", path);
			rc = 0;
		}
	}
	free(f);
	return rc;
}

void
extract_close(struct extract *x)
{
	if (x == NULL)
		return;
	if (x->dirfd >= 0)
		close(x->dirfd);
	free(x->dir);
	free(x);
}
