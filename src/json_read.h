/* json_read.h: reading our own event objects back (the transcript's
 * message lines, the explain notes, the HTML page, the summary): members
 * by name, tolerant of absent or mistyped members, never aborting. */
#ifndef SMTPSCOPE_JSON_READ_H
#define SMTPSCOPE_JSON_READ_H

#include <stddef.h>

struct json_object;

/* Member key of o, or NULL when o is not an object or has no such key. */
struct json_object	*json_read_get(const struct json_object *o,
			    const char *key);
/* Member key of o if it is a non-empty string, else NULL. */
const char		*json_read_str(const struct json_object *o,
			    const char *key);
/* The length of a if it is an array, else 0. */
size_t			 json_read_len(const struct json_object *a);

#endif
