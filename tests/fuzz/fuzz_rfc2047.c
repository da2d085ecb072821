/* fuzz_rfc2047.c: libFuzzer target for RFC 2047 encoded words, RFC 2231
 * percent-decoding, charset conversion and the UTF-8 cleaner. Asserts every
 * string returned is valid UTF-8 without NUL, as rfc2047.h promises. */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "escape.h"
#include "rfc2047.h"
#include "fuzz_common.h"

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct rfc2047_flags f;
	char *s, *buf, *cs;
	const char *text;
	size_t tn, csn;
	uint8_t mode;

	if (size < 1)
		return 0;
	mode = data[0];
	/* Exact-size copies: no NUL terminator behind the bytes. */
	buf = malloc(size);
	if (buf == NULL)
		return 0;
	memcpy(buf, data + 1, size - 1);
	text = buf;
	tn = size - 1;
	memset(&f, 0, sizeof(f));
	switch (mode % 4) {
	case 0:
		s = rfc2047_decode(text, tn, &f);
		fuzz_check_utf8(s);
		free(s);
		break;
	case 1:
		s = rfc2047_utf8_clean(text, tn, &f);
		fuzz_check_utf8(s);
		free(s);
		break;
	case 2: {
		char *out = malloc(tn + 1);

		if (out != NULL) {
			size_t k = rfc2231_unpercent(text, tn, out);

			if (k > tn + 1)
				__builtin_trap();
			free(out);
		}
		break;
	}
	case 3:
		/* charset NUL text: the charset is a C string by contract. */
		csn = strnlen(text, tn);
		cs = malloc(csn + 1);
		if (cs == NULL)
			break;
		memcpy(cs, text, csn);
		cs[csn] = '\0';
		if (csn < tn) {
			s = rfc2047_convert(cs, text + csn + 1, tn - csn - 1, &f);
			fuzz_check_utf8(s);
			free(s);
		}
		free(cs);
		break;
	}
	free(buf);
	return 0;
}
