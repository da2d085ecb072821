/* fuzz_common.h: what every fuzz target shares: the UTF-8 promise check
 * (escape.h: JSON text is always valid UTF-8) and the small limits that
 * make the limit paths reachable with short inputs. Header-only: each
 * target is one translation unit. */
#ifndef SMTPSCOPE_FUZZ_COMMON_H
#define SMTPSCOPE_FUZZ_COMMON_H

#include <stdint.h>
#include <string.h>

#include "config.h"
#include "escape.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* Traps (a finding) on the first byte that is not valid UTF-8; NULL is
 * fine (an absent field). */
static inline void
fuzz_check_utf8(const char *s)
{
	size_t n, i, k;

	if (s == NULL)
		return;
	n = strlen(s);
	for (i = 0; i < n; i += k)
		if ((k = escape_utf8_seq((const uint8_t *)s + i, n - i)) == 0)
			__builtin_trap();
}

static inline void
fuzz_small_limits(struct limits *l)
{
	l->max_command_line = 32;
	l->max_reply_line = 32;
	l->max_text_line = 64;
	l->max_reply_lines = 3;
	l->max_pending = 4;
	l->max_rcpts = 3;
	l->max_auth_bytes = 64;
	l->max_header_bytes = 128;
	l->max_headers = 8;
	l->max_mime_depth = 3;
	l->max_parts = 8;
	l->max_decoded_bytes = 256;
	l->max_filename = 16;
}

#endif
