/* privdrop.h: -Z USER: from root to USER for good, once the capture is
 * open (like tcpdump -Z). Never goes on as root when asked not to. */
#ifndef SMTPSCOPE_PRIVDROP_H
#define SMTPSCOPE_PRIVDROP_H

/* 0, or -1 with one line on stderr (unknown user, not root, a failed
 * setgroups/setgid/setuid, root still regainable). */
int	privdrop_to(const char *user);

#endif
