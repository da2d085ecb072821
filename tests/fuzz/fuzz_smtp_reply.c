/* fuzz_smtp_reply.c: libFuzzer target for the SMTP reply collector: lines
 * (split at LF) pushed one by one, replies taken, copied and freed, under a
 * small or a default line bound chosen by byte 0. */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "escape.h"
#include "smtp_reply.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void
check_reply(const struct smtp_reply *r)
{
	size_t n, i, k;

	if (r->text == NULL)
		return;
	n = strlen(r->text);
	for (i = 0; i < n; i += k)
		if ((k = escape_utf8_seq((uint8_t *)r->text + i, n - i)) == 0)
			__builtin_trap();
	if (memchr(r->enhanced, '\0', sizeof(r->enhanced)) == NULL)
		__builtin_trap();
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct smtp_reply_parser rp;
	struct smtp_reply r, copy;
	size_t i, start, max_lines;
	uint8_t *line;
	int more;

	if (size < 1)
		return 0;
	max_lines = data[0] & 1 ? 1 + data[0] % 8 : 256;
	smtp_reply_parser_init(&rp, max_lines);
	for (start = i = 1; i <= size; i++) {
		if (i < size && data[i] != '\n')
			continue;
		/* Each line in its own exact-size buffer for ASan. */
		line = malloc(i - start + 1);
		if (line == NULL)
			break;
		memcpy(line, data + start, i - start);
		(void)smtp_reply_line_code(line, i - start, &more);
		(void)smtp_reply_enhanced_len(line, i - start);
		if (smtp_reply_push(&rp, line, i - start) == SMTP_REPLY_DONE) {
			memset(&r, 0, sizeof(r));
			smtp_reply_take(&rp, &r);
			check_reply(&r);
			memset(&copy, 0, sizeof(copy));
			smtp_reply_copy(&copy, &r);
			check_reply(&copy);
			smtp_reply_free(&copy);
			smtp_reply_free(&r);
		}
		free(line);
		start = i + 1;
	}
	smtp_reply_parser_free(&rp);
	return 0;
}
