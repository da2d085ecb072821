/* address_simple.h: the address lists most mail carries, read without
 * GMime. */
#ifndef SMTPSCOPE_ADDRESS_SIMPLE_H
#define SMTPSCOPE_ADDRESS_SIMPLE_H

#include <stddef.h>

#define ADDRESS_SIMPLE_MAX	64	/* mailboxes; more go to GMime */

/* One mailbox: spans into the string read (name may be empty). */
struct address_span {
	const char	*name, *addr;
	size_t		 nname, naddr;
};

/* If s is only mailboxes of the plainest forms ("a@b.c", "<a@b.c>",
 * "Name Words <a@b.c>", "\"Name, Words\" <a@b.c>"), comma-separated, at
 * most `max`, fills m and returns how many; else 0 (then GMime must read
 * it). A quoted name's span is what is inside the quotes. */
size_t	address_simple_scan(const char *s, struct address_span *m,
	    size_t max);

#endif
