/* address.h: RFC 5322 address lists -> [{"name", "address"}] (display names
 * RFC 2047-decoded, quoted strings, comments, groups flattened with "group").
 * Thin wrapper over GMime's parser; never returns invalid UTF-8. */
#ifndef SMTPSCOPE_ADDRESS_H
#define SMTPSCOPE_ADDRESS_H

struct json_object;

/* Calls g_mime_init() once; every GMime user here goes through it. */
void	address_gmime_init(void);
/* A JSON array (never NULL); *bad counts unparsable entries. */
struct json_object *address_list_parse(const char *, unsigned *bad,
	    unsigned *bad_utf8);
/* The same, always through GMime (the tests compare the two). */
struct json_object *address_list_parse_gmime(const char *, unsigned *bad,
	    unsigned *bad_utf8);

#endif
