/* privdrop.c: -Z: supplementary groups, group, then user, and a check
 * that root cannot be had back. */
#include <errno.h>
#include <grp.h>
#include <pwd.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "privdrop.h"

int
privdrop_to(const char *user)
{
	const struct passwd *pw;

	errno = 0;
	if ((pw = getpwnam(user)) == NULL) {
		fprintf(stderr, "smtpscope: -Z %s: no such user\n", user);
		return -1;
	}
	if (getuid() != 0 && geteuid() != 0) {
		if (getuid() == pw->pw_uid && geteuid() == pw->pw_uid)
			return 0;	/* already that user */
		fprintf(stderr, "smtpscope: -Z %s: cannot change user: not "
		    "root\n", user);
		return -1;
	}
	if (initgroups(pw->pw_name, pw->pw_gid) == -1 ||
	    setgid(pw->pw_gid) == -1 || setuid(pw->pw_uid) == -1) {
		fprintf(stderr, "smtpscope: -Z %s: cannot drop privileges: "
		    "%s\n", user, strerror(errno));
		return -1;
	}
	if (pw->pw_uid != 0 && (setuid(0) != -1 || geteuid() == 0)) {
		fprintf(stderr, "smtpscope: -Z %s: still root after dropping "
		    "privileges\n", user);
		return -1;
	}
	return 0;
}
