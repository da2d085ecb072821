/* privdrop.c: -Z: supplementary groups, group, then user, a check that
 * root cannot be had back, and no capability left (a service started as
 * the user with CAP_NET_RAW needs it only to open the interface). */
#include <errno.h>
#include <grp.h>
#include <pwd.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>
#include <linux/capability.h>
#include <sys/prctl.h>
#include <sys/syscall.h>

#include "privdrop.h"

/* Empties every capability set (glibc has no capset wrapper). */
static int
caps_clear(void)
{
	struct __user_cap_header_struct hdr = { _LINUX_CAPABILITY_VERSION_3,
	    0 };
	struct __user_cap_data_struct data[2];

	memset(data, 0, sizeof(data));
	(void)prctl(PR_CAP_AMBIENT, PR_CAP_AMBIENT_CLEAR_ALL, 0, 0, 0);
	return (int)syscall(SYS_capset, &hdr, data);
}

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
			goto caps;	/* already that user (systemd User=) */
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
caps:
	if (caps_clear() == -1) {
		fprintf(stderr, "smtpscope: -Z %s: cannot drop capabilities: "
		    "%s\n", user, strerror(errno));
		return -1;
	}
	return 0;
}
