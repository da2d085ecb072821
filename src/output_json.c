/* output_json.c: events as NDJSON, common fields first, one fwrite a line.
 * Must never emit invalid UTF-8: a last check repairs any string that
 * escaped escape_utf8_dup() upstream, and says so in the event. */
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <json-c/json.h>

#include "dissector.h"
#include "escape.h"
#include "flow.h"
#include "json_add.h"
#include "json_print.h"
#include "output.h"
#include "output_json.h"

#define JSON_MAX_DEPTH	256	/* deeper values are replaced, not walked */
#define JSON_BUF_KEEP	(1024 * 1024)	/* a bigger line buffer is freed */
#define JSON_STDIO_BUF	(256 * 1024)	/* the FILE's buffer, regular file */

struct output_json {
	FILE		*f;
	int		 flush_each;	/* a terminal: someone reads each line */
	int		 error;
	struct timespec	 last_flush;	/* wall clock, CLOCK_MONOTONIC */
	struct json_buf	 line;		/* the line being written */
	size_t		 pending;	/* bytes in the FILE's buffer */
};

/* One JSON output per process: the FILE's buffer (glibc ignores a size
 * without a buffer). Static, so that it outlives our close (fclose is
 * the caller's). */
static char json_stdio_buf[JSON_STDIO_BUF];
static int json_stdio_buf_used;

struct output_json *
output_json_open(FILE *f)
{
	struct output_json *j;
	int fd;

	if ((j = calloc(1, sizeof(*j))) == NULL)
		return NULL;
	j->f = f;
	fd = fileno(f);
	/* A pipe, a socket or /dev/null is buffered like a file, as the
	 * transcript is: a write per event cost a system call and a wake-up
	 * of the reader each (about 4 % of a run into /dev/null). Live, the
	 * periodic flush still hands every event on within a second. */
	j->flush_each = fd < 0 || isatty(fd);
	/* A buffer we know the size of: json_write_line() flushes before a
	 * line that would not fit, so a reader never sees half a line. */
	if (!j->flush_each && !json_stdio_buf_used &&
	    setvbuf(f, json_stdio_buf, _IOFBF, sizeof(json_stdio_buf)) == 0)
		json_stdio_buf_used = 1;
	clock_gettime(CLOCK_MONOTONIC, &j->last_flush);
	return j;
}

void
output_json_flush(struct output_json *j)
{
	if (fflush(j->f) != 0)
		j->error = 1;
	j->pending = 0;
	clock_gettime(CLOCK_MONOTONIC, &j->last_flush);
}

int
output_json_error(const struct output_json *j)
{
	return j->error || ferror(j->f);
}

int
output_json_close(struct output_json *j)
{
	int err;

	if (j == NULL)
		return 0;
	output_json_flush(j);
	err = output_json_error(j);
	free(j->line.p);
	free(j);
	return err;
}

/* A live capture's events must reach a reader within a second. */
static void
json_maybe_flush(struct output_json *j)
{
	struct timespec now;

	clock_gettime(CLOCK_MONOTONIC, &now);
	if (j->flush_each || now.tv_sec - j->last_flush.tv_sec > 1 ||
	    (now.tv_sec - j->last_flush.tv_sec == 1 &&
	    now.tv_nsec >= j->last_flush.tv_nsec))
		output_json_flush(j);
}

/* Valid UTF-8 (a JSON line or a key has no NUL). */
static int
utf8_valid(const char *s, size_t n)
{
	return escape_utf8_valid_prefix(s, n) == n;
}

static struct json_object *json_repair(struct json_object *, size_t *, int);

static void
json_repair_string(struct json_object *o, size_t *fixed)
{
	const char *s = json_object_get_string(o);
	size_t n = (size_t)json_object_get_string_len(o), bad;
	char *ok;

	if (utf8_valid(s, n))
		return;
	ok = escape_utf8_dup((const uint8_t *)s, n, &bad);
	json_object_set_string(o, ok);
	*fixed += bad;
	free(ok);
}

static void
json_repair_array(struct json_object *o, size_t *fixed, int depth)
{
	struct json_object *v, *nv;
	size_t i, n = json_object_array_length(o);

	for (i = 0; i < n; i++) {
		v = json_object_array_get_idx(o, i);
		if ((nv = json_repair(v, fixed, depth + 1)) != v)
			json_object_array_put_idx(o, i, nv);
	}
}

/* Values in place; returns 1 if some key is invalid too. */
static int
json_repair_values(struct json_object *o, size_t *fixed, int depth)
{
	struct json_object *nv;
	int bad_key = 0;

	json_object_object_foreach(o, key, val) {
		if ((nv = json_repair(val, fixed, depth + 1)) != val)
			json_object_object_add(o, key, nv);
		bad_key |= !utf8_valid(key, strlen(key));
	}
	return bad_key;
}

/* json-c cannot rename a key: build a copy with repaired keys. */
static struct json_object *
json_repair_keys(struct json_object *o, size_t *fixed)
{
	struct json_object *n = json_object_new_object();
	size_t bad;
	char *k;

	json_object_object_foreach(o, key, val) {
		k = escape_utf8_dup((const uint8_t *)key, strlen(key), &bad);
		*fixed += bad;
		json_object_object_add(n, k, json_object_get(val));
		free(k);
	}
	return n;
}

/*
 * Returns o repaired in place, or a new object (refcount 1) that replaces
 * it; the caller then drops o.
 */
static struct json_object *
json_repair(struct json_object *o, size_t *fixed, int depth)
{
	if (depth > JSON_MAX_DEPTH)
		return NULL;
	switch (json_object_get_type(o)) {
	case json_type_string:
		json_repair_string(o, fixed);
		return o;
	case json_type_array:
		json_repair_array(o, fixed, depth);
		return o;
	case json_type_object:
		if (json_repair_values(o, fixed, depth))
			return json_repair_keys(o, fixed);
		return o;
	default:
		return o;
	}
}

static void
json_add_endpoint(struct json_object *e, const char *name,
    const struct endpoint *ep)
{
	struct json_object *o = json_object_new_object();

	JSON_ADD(o, "ip", json_object_new_string_len(ep->ip,
	    (int)strnlen(ep->ip, sizeof(ep->ip))));
	JSON_ADD(o, "port", json_object_new_int(ep->port));
	JSON_SET(e, name, o);
}

void
output_json_envelope_fill(struct json_envelope *env, const struct flow *f,
    const struct timeval *when, const char *event)
{
	env->event = event != NULL ? event : "unknown";
	output_iso_time(f != NULL ? &f->now : when, env->ts, sizeof(env->ts));
	env->has_flow = f != NULL;
	if (f == NULL)
		return;
	env->session = f->id;
	env->proto = f->dissector != NULL ? f->dissector->name : NULL;
	env->client = f->client;
	env->server = f->server;
}

static struct json_object *
json_common(const struct json_envelope *env)
{
	struct json_object *e = json_object_new_object();

	JSON_ADD(e, "event", json_object_new_string(env->event));
	JSON_ADD(e, "ts", json_object_new_string(env->ts));
	if (!env->has_flow)
		return e;
	JSON_ADD(e, "session", json_object_new_int64((int64_t)env->session));
	if (env->proto != NULL)
		JSON_ADD(e, "proto", json_object_new_string(env->proto));
	json_add_endpoint(e, "client", &env->client);
	json_add_endpoint(e, "server", &env->server);
	return e;
}

/* The event's own fields after the common ones (a clash keeps the common
 * field). A key json-c holds as a constant (a literal, see json_add.h) is
 * shared, not copied. */
static void
json_merge(struct json_object *e, struct json_object *obj)
{
	struct lh_entry *ent;

	if (obj == NULL)
		return;
	if (!json_object_is_type(obj, json_type_object)) {
		JSON_ADD(e, "value", json_object_get(obj));
		return;
	}
	lh_foreach(json_object_get_object(obj), ent) {
		const char *key = lh_entry_k(ent);

		if (json_object_object_get_ex(e, key, NULL))
			continue;
		json_object_object_add_ex(e, key, json_object_get(
		    (struct json_object *)lh_entry_v(ent)),
		    JSON_C_OBJECT_ADD_KEY_IS_NEW | (lh_entry_k_is_constant(ent) ?
		    JSON_C_OBJECT_ADD_CONSTANT_KEY : 0));
	}
}

/* The line in j->line, its newline included. */
static void
json_write_line(struct output_json *j)
{
	size_t n = j->line.len;

	/* Whole lines only reach the file: stdio writes when its buffer
	 * fills, so empty it before a line that would not fit, and push a
	 * line longer than the buffer out at once. */
	if (j->pending + n > JSON_STDIO_BUF)
		output_json_flush(j);
	if (fwrite(j->line.p, 1, n, j->f) != n)
		j->error = 1;
	j->pending += n;
	if (n >= JSON_STDIO_BUF)
		output_json_flush(j);
	if (j->line.size > JSON_BUF_KEEP) {
		free(j->line.p);
		memset(&j->line, 0, sizeof(j->line));
	}
}

/* e as one line in j->line; out of memory is fatal, as for json-c. */
static void
json_print_line(struct output_json *j, struct json_object *e)
{
	json_buf_empty(&j->line);
	if (json_print(&j->line, e) == -1 || json_print_newline(&j->line) == -1)
		abort();
}

struct json_object *
output_json_envelope_tree(const struct json_envelope *env,
    struct json_object *obj)
{
	struct json_object *e = json_common(env);

	json_merge(e, obj);
	json_object_put(obj);
	return e;
}

struct json_object *
output_json_envelope(const struct flow *f, const struct timeval *when,
    const char *event, struct json_object *obj)
{
	struct json_envelope env;

	output_json_envelope_fill(&env, f, when, event);
	return output_json_envelope_tree(&env, obj);
}

/* 1 if the envelope has a field of this name (json_merge drops the
 * event's own field then). */
static int
envelope_has(const char *key, const void *arg)
{
	const struct json_envelope *env = arg;

	if (strcmp(key, "event") == 0 || strcmp(key, "ts") == 0)
		return 1;
	if (!env->has_flow)
		return 0;
	return strcmp(key, "session") == 0 || strcmp(key, "client") == 0 ||
	    strcmp(key, "server") == 0 ||
	    (env->proto != NULL && strcmp(key, "proto") == 0);
}

/* The printers below return 0 or -1 (out of memory); `||` chains them
 * in order and stops at the first failure. */
static int
print_endpoint(struct json_buf *b, const char *name,
    const struct endpoint *ep)
{
	return json_print_raw(b, name, strlen(name)) ||
	    json_print_string(b, ep->ip, strnlen(ep->ip, sizeof(ep->ip))) ||
	    json_print_raw(b, ",\"port\":", 8) ||
	    json_print_int(b, ep->port) || json_print_raw(b, "}", 1) ? -1 : 0;
}

static int
print_envelope(struct json_buf *b, const struct json_envelope *env)
{
	if (json_print_raw(b, "{\"event\":", 9) ||
	    json_print_string(b, env->event, strlen(env->event)) ||
	    json_print_raw(b, ",\"ts\":", 6) ||
	    json_print_string(b, env->ts, strlen(env->ts)))
		return -1;
	if (!env->has_flow)
		return 0;
	if (json_print_raw(b, ",\"session\":", 11) ||
	    json_print_int(b, (int64_t)env->session))
		return -1;
	if (env->proto != NULL && (json_print_raw(b, ",\"proto\":", 9) ||
	    json_print_string(b, env->proto, strlen(env->proto))))
		return -1;
	return print_endpoint(b, ",\"client\":{\"ip\":", &env->client) ||
	    print_endpoint(b, ",\"server\":{\"ip\":", &env->server) ? -1 : 0;
}

/* The bytes json_print() gives for output_json_envelope_tree(env, obj),
 * obj an object or NULL, without building that tree. */
static int
print_split(struct json_buf *b, const struct json_envelope *env,
    struct json_object *obj)
{
	if (print_envelope(b, env) == -1 || (obj != NULL &&
	    json_print_members(b, obj, 0, envelope_has, env) == -1))
		return -1;
	return json_print_raw(b, "}", 1);
}

/* The event written the way every sink sees it: as a tree. */
static void
write_tree(struct output_json *j, const struct json_envelope *env,
    struct json_object *obj)
{
	struct json_object *e = output_json_envelope_tree(env, obj);

	output_json_write(j, e);
	json_object_put(e);
}

void
output_json_write_event(struct output_json *j,
    const struct json_envelope *env, struct json_object *obj)
{
	if (obj != NULL && !json_object_is_type(obj, json_type_object)) {
		write_tree(j, env, obj);	/* "value": obj */
		return;
	}
	json_buf_empty(&j->line);
	if (print_split(&j->line, env, obj) != 0 ||
	    json_print_newline(&j->line) == -1)
		abort();	/* out of memory, as for json-c */
	if (j->line.high && !utf8_valid(j->line.p, j->line.len)) {
		write_tree(j, env, obj);	/* rare: repaired there */
		return;
	}
	json_write_line(j);
	json_object_put(obj);
	json_maybe_flush(j);
}

void
output_json_write(struct output_json *j, struct json_object *e)
{
	struct json_object *ne;
	size_t fixed = 0;

	json_object_get(e);	/* ours until the line is written */
	json_print_line(j, e);
	if (j->line.high && !utf8_valid(j->line.p, j->line.len)) {
		if ((ne = json_repair(e, &fixed, 0)) != e) {
			json_object_put(e);
			e = ne;
		}
		JSON_ADD(e, "utf8_repaired",
		    json_object_new_int64((int64_t)fixed));
		json_print_line(j, e);
	}
	json_write_line(j);
	json_object_put(e);
	json_maybe_flush(j);
}
