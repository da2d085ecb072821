/* fuzz_smtp_param.c: libFuzzer target for SMTP command arguments: MAIL/RCPT
 * paths, ESMTP parameters, EHLO extension lines, HELO domains and xtext.
 * Byte 0 picks the parser; every JSON made must be valid UTF-8. */
#include <json-c/json.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "escape.h"
#include "smtp_param.h"
#include "fuzz_common.h"

static void
check_json(struct json_object *o)
{
	if (o == NULL)
		return;
	fuzz_check_utf8(json_object_to_json_string_ext(o, JSON_C_TO_STRING_PLAIN));
	json_object_put(o);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct smtp_path path;
	struct smtp_params params;
	struct smtp_ext ext;
	uint8_t *p, *out;
	size_t n, i;
	char *s;

	if (size < 1)
		return 0;
	n = size - 1;
	p = malloc(n ? n : 1);
	if (p == NULL)
		return 0;
	memcpy(p, data + 1, n);
	switch (data[0] % 5) {
	case 0:
	case 1:
		memset(&path, 0, sizeof(path));
		if (smtp_param_path(p, n, data[0] % 5 ? "TO:" : "FROM:",
		    &path) == 0) {
			fuzz_check_utf8(path.address);
			fuzz_check_utf8(path.route);
			fuzz_check_utf8(path.raw);
			for (i = 0; i < path.params.n; i++) {
				fuzz_check_utf8(path.params.v[i].key);
				fuzz_check_utf8(path.params.v[i].value);
				fuzz_check_utf8(path.params.v[i].raw);
			}
			check_json(smtp_param_list_json(&path.params));
			(void)smtp_param_get(&path.params, "SIZE");
		}
		smtp_param_path_free(&path);
		break;
	case 2:
		memset(&params, 0, sizeof(params));
		(void)smtp_param_list(p, n, &params);
		check_json(smtp_param_list_json(&params));
		(void)smtp_param_get(&params, "BODY");
		smtp_param_list_free(&params);
		break;
	case 3:
		memset(&ext, 0, sizeof(ext));
		if (smtp_param_ehlo_line(p, n, &ext) == 0)
			check_json(smtp_param_ext_json(&ext));
		smtp_param_ext_free(&ext);
		s = smtp_param_domain(p, n);
		if (s == NULL)
			__builtin_trap();		/* "never NULL" */
		fuzz_check_utf8(s);
		free(s);
		break;
	case 4:
		out = malloc(n ? n : 1);
		if (out != NULL) {
			long k = smtp_param_xtext(p, n, out);

			if (k > (long)n)
				__builtin_trap();
			free(out);
		}
		break;
	}
	free(p);
	return 0;
}
