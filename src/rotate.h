/* rotate.h: the -w file of a long-running capture: rotation by age
 * (--rotate-seconds) and size (--rotate-size) to timestamped names, and
 * reopening on SIGHUP (logrotate's way). The FILE stays the same object
 * (its descriptor is swapped under it with dup2), so the writers holding
 * it never notice; callers rotate only between events, after a flush,
 * so a line is never cut. */
#ifndef SMTPSCOPE_ROTATE_H
#define SMTPSCOPE_ROTATE_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <time.h>

struct rotate {
	const char	*path;
	FILE		*f;
	unsigned	 seconds;	/* 0: no rotation by age */
	uint64_t	 max_bytes;	/* 0: no rotation by size */
	time_t		 opened;	/* start of the current file */
};

/* Opens path: truncated, or with `append` (a daemon restarted must not
 * wipe what its shipper has not read yet) appended to. 0, or -1 with
 * errno. */
int	rotate_open(struct rotate *, const char *path, unsigned seconds,
	    uint64_t max_bytes, time_t now, int append);
/* 1 if the current file is old or big enough to be rotated. */
int	rotate_due(const struct rotate *, time_t now);
/* The name a file started at `t` gets: PATH.YYYYmmddTHHMMSS (UTC), with
 * -1, -2, ... appended if that name is taken. 0, or -1 if it won't fit. */
int	rotate_name(const char *path, time_t t, char *buf, size_t len);
/* Flushes, renames the file to rotate_name(), starts a new empty one at
 * path. 0, or -1 with one line on stderr (writing then goes on in the
 * old file). */
int	rotate_now(struct rotate *, time_t now);
/* Flushes, then writes on at path, created if it was moved away (append
 * if it is still there). 0, or -1 with one line on stderr. */
int	rotate_reopen(struct rotate *);
/* fclose's result. */
int	rotate_close(struct rotate *);

#endif
