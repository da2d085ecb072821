/* address.c: address lists through GMime's RFC 5322 parser, which handles
 * groups, comments, quoted strings and obsolete forms like a mail client;
 * the plainest lists, most of them, are read by address_simple.c first.
 * Never lets GMime's strings out without a UTF-8 check. */
#include <stdlib.h>
#include <string.h>

#include <gmime/gmime.h>
#include <json-c/json.h>

#include "address.h"
#include "address_simple.h"
#include "json_add.h"
#include "rfc2047.h"

void
address_gmime_init(void)
{
	static int done;

	if (!done) {
		g_mime_init();
		done = 1;
	}
}

static json_object *
clean_str(const char *s, unsigned *bad_utf8)
{
	struct rfc2047_flags f = { 0, 0 };
	char *c;
	json_object *o;

	if (s == NULL)
		s = "";
	c = rfc2047_utf8_clean(s, strlen(s), &f);
	*bad_utf8 += f.bad_utf8;
	o = json_object_new_string(c != NULL ? c : "");
	free(c);
	return o;
}

static void
add_mailbox(json_object *arr, InternetAddress *ia, const char *group,
    unsigned *bad, unsigned *bad_utf8)
{
	const char *addr;
	json_object *o;

	addr = internet_address_mailbox_get_addr(INTERNET_ADDRESS_MAILBOX(ia));
	if (addr == NULL || *addr == '\0' || strchr(addr, '@') == NULL)
		(*bad)++;
	o = json_object_new_object();
	JSON_ADD(o, "name",
	    clean_str(internet_address_get_name(ia), bad_utf8));
	JSON_ADD(o, "address", clean_str(addr, bad_utf8));
	if (group != NULL)
		JSON_ADD(o, "group", clean_str(group, bad_utf8));
	json_object_array_add(arr, o);
}

static void
add_list(json_object *arr, InternetAddressList *l, const char *group,
    unsigned *bad, unsigned *bad_utf8, int depth)
{
	InternetAddress *ia;
	int i, n;

	n = internet_address_list_length(l);
	for (i = 0; i < n; i++) {
		ia = internet_address_list_get_address(l, i);
		if (INTERNET_ADDRESS_IS_GROUP(ia)) {
			/* RFC 5322 3.4: groups do not nest; GMime may
			 * still build nested ones from hostile input */
			if (depth < 4)
				add_list(arr, internet_address_group_get_members(
				    INTERNET_ADDRESS_GROUP(ia)),
				    internet_address_get_name(ia), bad,
				    bad_utf8, depth + 1);
		} else if (INTERNET_ADDRESS_IS_MAILBOX(ia))
			add_mailbox(arr, ia, group, bad, bad_utf8);
	}
}

json_object *
address_list_parse(const char *s, unsigned *bad, unsigned *bad_utf8)
{
	struct address_span m[ADDRESS_SIMPLE_MAX];
	size_t n, i;
	json_object *arr, *o;

	if ((n = address_simple_scan(s, m, ADDRESS_SIMPLE_MAX)) == 0)
		return address_list_parse_gmime(s, bad, bad_utf8);
	/* plain ASCII, an '@' in each: neither counter moves */
	arr = json_object_new_array_ext((int)n);
	for (i = 0; i < n; i++) {
		o = json_object_new_object();
		JSON_ADD(o, "name",
		    json_object_new_string_len(m[i].name, (int)m[i].nname));
		JSON_ADD(o, "address",
		    json_object_new_string_len(m[i].addr, (int)m[i].naddr));
		json_object_array_add(arr, o);
	}
	return arr;
}

json_object *
address_list_parse_gmime(const char *s, unsigned *bad, unsigned *bad_utf8)
{
	InternetAddressList *l;
	json_object *arr;
	unsigned dummy = 0, dummy2 = 0;

	if (bad == NULL)
		bad = &dummy;
	if (bad_utf8 == NULL)
		bad_utf8 = &dummy2;
	arr = json_object_new_array();
	address_gmime_init();
	l = internet_address_list_parse(NULL, s);
	if (l == NULL) {
		if (strspn(s, " \t") != strlen(s))
			(*bad)++;
		return arr;
	}
	add_list(arr, l, NULL, bad, bad_utf8, 0);
	g_object_unref(l);
	return arr;
}
