/* fuzz_address.c: libFuzzer target for RFC 5322 address lists (GMime
 * underneath): address_list_parse and address_first. The JSON made must be
 * valid UTF-8 whatever the bytes. */
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
	struct json_object *o;
	unsigned bad = 0, bad_utf8 = 0;
	char *v, *first;

	address_gmime_init();
	/* Header values reach the parser as C strings: cut at the first NUL. */
	v = malloc(size + 1);
	if (v == NULL)
		return 0;
	memcpy(v, data, size);
	v[size] = '\0';
	o = address_list_parse(v, &bad, &bad_utf8);
	if (o == NULL)
		__builtin_trap();		/* "never NULL" */
	fuzz_check_utf8(json_object_to_json_string_ext(o, JSON_C_TO_STRING_PLAIN));
	json_object_put(o);
	first = address_first(v);
	free(first);
	free(v);
	return 0;
}
