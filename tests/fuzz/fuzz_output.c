/* fuzz_output.c: libFuzzer target for the NDJSON writer's two ways of
 * writing an event: output_json_write_event (the envelope printed from a
 * struct, then the event's members) must give the very line that
 * output_json_write gives for the envelope tree (json-c), for any event:
 * keys that clash with the envelope's, invalid UTF-8 in keys and values
 * (the repair path), nesting, a missing flow or protocol, an event that
 * is not an object. The input is read as a small program that builds the
 * event: see build(). */
#include <json-c/json.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "dissector.h"
#include "escape.h"
#include "flow.h"
#include "fuzz_common.h"
#include "output_json.h"

struct input {
	const uint8_t	*p;
	size_t		 n;
};

static unsigned
take(struct input *in)
{
	if (in->n == 0)
		return 0;
	in->n--;
	return *in->p++;
}

/* Up to 15 bytes of the input as a string (NULs included). */
static struct json_object *
take_string(struct input *in)
{
	size_t len = take(in) % 16;

	if (len > in->n)
		len = in->n;
	in->p += len;
	in->n -= len;
	return json_object_new_string_len((const char *)in->p - len,
	    (int)len);
}

/* A key: one of the envelope's (to clash) or bytes of the input. */
static void
take_key(struct input *in, char *key, size_t size)
{
	static const char *const names[] = { "event", "ts", "session",
	    "proto", "client", "server", "value", "x" };
	unsigned b = take(in);
	size_t len, i;

	if (b & 0x80) {
		snprintf(key, size, "%s", names[b % 8]);
		return;
	}
	len = b % 8;
	for (i = 0; i < len && in->n > 0; i++)
		key[i] = (char)(take(in) | 1);	/* no NUL inside a key */
	key[i] = '\0';
}

static struct json_object *
build(struct input *in, int depth)
{
	unsigned kind = take(in) % 8;
	struct json_object *o;
	char key[16];
	int64_t v;

	switch (kind) {
	case 0: return NULL;
	case 1: return json_object_new_boolean(take(in) & 1);
	case 2:
		v = (int64_t)take(in) << 48;	/* one take() per statement: */
		v |= (int64_t)take(in) << 8;	/* the same bytes, the same */
		v |= (int64_t)take(in);		/* number, on any compiler */
		return json_object_new_int64(take(in) & 1 ? -v : v);
	case 3:
	case 4: return take_string(in);
	case 5:
		if (depth > 3)
			return take_string(in);
		o = json_object_new_array();
		for (unsigned i = take(in) % 4; i > 0; i--)
			json_object_array_add(o, build(in, depth + 1));
		return o;
	default:
		if (depth > 3)
			return take_string(in);
		o = json_object_new_object();
		for (unsigned i = take(in) % 6; i > 0 && in->n > 0; i--) {
			take_key(in, key, sizeof(key));
			json_object_object_add(o, key, build(in, depth + 1));
		}
		return o;
	}
}

static char *
write_line(int split, const struct json_envelope *env,
    struct json_object *obj)
{
	struct output_json *j;
	struct json_object *e;
	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);

	if (f == NULL || (j = output_json_open(f)) == NULL)
		abort();
	if (split)
		output_json_write_event(j, env, obj);
	else {
		e = output_json_envelope_tree(env, obj);
		output_json_write(j, e);
		json_object_put(e);
	}
	if (output_json_close(j) != 0)
		abort();
	fclose(f);
	return buf;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const struct dissector smtp = { .name = "smtp" };
	struct input in = { data, size };
	struct timeval when = { 1714557600, 123456 };
	struct json_envelope env;
	struct json_object *obj, *copy = NULL;
	struct flow f;
	unsigned how = take(&in);
	char *a, *b;

	memset(&f, 0, sizeof(f));
	f.id = take(&in);
	snprintf(f.client.ip, sizeof(f.client.ip), "192.0.2.%u", take(&in));
	f.client.port = (uint16_t)take(&in);
	snprintf(f.server.ip, sizeof(f.server.ip), "2001:db8::%x", take(&in));
	f.server.port = 25;
	f.now = when;
	f.dissector = how & 2 ? &smtp : NULL;
	/* an object event mostly; else whatever build() makes */
	if (how & 4) {
		obj = build(&in, 0);
	} else {
		obj = json_object_new_object();
		while (in.n > 0) {
			char key[16];

			take_key(&in, key, sizeof(key));
			json_object_object_add(obj, key, build(&in, 1));
		}
	}
	output_json_envelope_fill(&env, how & 1 ? &f : NULL, &when,
	    "smtp.transaction");
	/* a repair changes strings in place: each way gets its own copy */
	if (obj != NULL && json_object_deep_copy(obj, &copy, NULL) != 0)
		abort();
	a = write_line(1, &env, copy);
	b = write_line(0, &env, obj);
	fuzz_check_utf8(a);
	if (strcmp(a, b) != 0)
		__builtin_trap();		/* the two ways differ */
	free(a);
	free(b);
	return 0;
}
