/* fuzz_received.c: libFuzzer target for the Received header parser and the
 * RFC 5322 date parser. The value is first made valid UTF-8 (as the header
 * reader does), then parsed; the JSON made must be valid UTF-8. */
#include <json-c/json.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "escape.h"
#include "received.h"
#include "fuzz_common.h"

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct json_object *o;
	char iso[32];
	char *v;

	v = escape_utf8_dup(data, size, NULL);
	o = received_parse(v);
	if (o == NULL)
		__builtin_trap();		/* "never NULL" */
	fuzz_check_utf8(json_object_to_json_string_ext(o, JSON_C_TO_STRING_PLAIN));
	json_object_put(o);
	if (received_date_iso(v, iso) == 0)
		fuzz_check_utf8(iso);
	free(v);
	return 0;
}
