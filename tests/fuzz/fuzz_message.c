/* fuzz_message.c: libFuzzer target for the streaming message analyser:
 * message_open, message_feed in pseudo-random chunk sizes (split anywhere,
 * one byte to the whole), message_close or message_abort. Byte 0 picks
 * small or default limits and how it ends; the JSON made must be valid
 * UTF-8 (escape.h's promise, checked byte by byte). */
#include <json-c/json.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "anomaly.h"
#include "config.h"
#include "escape.h"
#include "message.h"
#include "fuzz_common.h"

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct anomalies an;
	struct config cfg;
	struct message *m;
	struct json_object *o;
	uint32_t rng;
	size_t off, k;
	uint8_t *chunk;
	uint8_t mode;

	if (size < 2)
		return 0;
	mode = data[0];
	rng = 0x9e3779b9u ^ data[1];
	data += 2;
	size -= 2;
	config_defaults(&cfg);
	if (mode & 1)
		fuzz_small_limits(&cfg.limits);
	cfg.raw_headers = (mode >> 1) & 1;
	memset(&an, 0, sizeof(an));
	m = message_open(&cfg, &an, "fz");
	if (m == NULL)
		return 0;
	for (off = 0; off < size; off += k) {
		rng ^= rng << 13;
		rng ^= rng >> 17;
		rng ^= rng << 5;
		/* Mostly small pieces (boundaries split anywhere), some big. */
		k = (mode & 4) ? 1 + rng % 7 : 1 + rng % 4096;
		if (k > size - off)
			k = size - off;
		chunk = malloc(k);	/* exact size: overreads are caught */
		if (chunk == NULL)
			break;
		memcpy(chunk, data + off, k);
		message_feed(m, chunk, k);
		free(chunk);
	}
	if ((mode & 0x18) == 0x18) {
		message_abort(m);
		return 0;
	}
	o = message_close(m, (mode >> 3) & 1);
	if (o != NULL) {
		fuzz_check_utf8(json_object_to_json_string_ext(o,
		    JSON_C_TO_STRING_PLAIN));
		json_object_put(o);
	}
	return 0;
}
