/* fuzz_address.c: libFuzzer target for RFC 5322 address lists:
 * address_list_parse (address_simple.c's fast path, else GMime). The JSON
 * made must be valid UTF-8 whatever the bytes, and the same as GMime's
 * alone (the fast path is only a shortcut). */
#include <json-c/json.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "address.h"
#include "escape.h"
#include "fuzz_common.h"

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct json_object *o, *g;
	unsigned bad = 0, bad_utf8 = 0, gbad = 0, gbad_utf8 = 0;
	const char *js;
	char *v;

	address_gmime_init();
	/* Header values reach the parser as C strings: cut at the first NUL. */
	v = malloc(size + 1);
	if (v == NULL)
		return 0;
	memcpy(v, data, size);
	v[size] = '\0';
	o = address_list_parse(v, &bad, &bad_utf8);
	g = address_list_parse_gmime(v, &gbad, &gbad_utf8);
	if (o == NULL || g == NULL)
		__builtin_trap();		/* "never NULL" */
	js = json_object_to_json_string_ext(o, JSON_C_TO_STRING_PLAIN);
	fuzz_check_utf8(js);
	if (strcmp(js, json_object_to_json_string_ext(g,
	    JSON_C_TO_STRING_PLAIN)) != 0 || bad != gbad ||
	    bad_utf8 != gbad_utf8)
		__builtin_trap();		/* the fast path differs */
	json_object_put(o);
	json_object_put(g);
	free(v);
	return 0;
}
