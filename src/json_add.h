/* json_add.h: adds a member under a string-literal key without copying
 * the key or looking it up. json-c strdup()s every key it is given unless
 * told the key is constant, and frees it with the object: a malloc and a
 * free per member of every event. A literal outlives every object; the ""
 * before the key makes anything but a literal fail to compile.
 *
 * Every JSON_ADD names a key its object does not hold yet, so json-c is
 * also told the key is new and skips its lookup (a tenth of an add). A
 * second add of the same key would then print it twice: the sanitizer
 * build, which every test also runs, checks that it never happens. */
#ifndef SMTPSCOPE_JSON_ADD_H
#define SMTPSCOPE_JSON_ADD_H

#include <json-c/json.h>

#ifdef SMTPSCOPE_JSON_CHECK_KEYS
#include <stdio.h>
#include <stdlib.h>

static inline int
json_add_checked(struct json_object *o, const char *key,
    struct json_object *v, unsigned opts)
{
	if (json_object_object_get_ex(o, key, NULL)) {
		fprintf(stderr, "JSON_ADD: key \"%s\" added twice\n", key);
		abort();
	}
	return json_object_object_add_ex(o, key, v, opts);
}
#define JSON_ADD_EX json_add_checked
#else
#define JSON_ADD_EX json_object_object_add_ex
#endif

#define JSON_ADD(o, key, v)						\
	JSON_ADD_EX((o), "" key, (v),					\
	    JSON_C_OBJECT_ADD_CONSTANT_KEY | JSON_C_OBJECT_ADD_KEY_IS_NEW)

/* A key of static storage (a literal, or an entry of a static const
 * table) that the object may hold already: its value is then replaced,
 * as json_object_object_add() does, but the key is not copied. */
#define JSON_SET(o, key, v)						\
	json_object_object_add_ex((o), (key), (v),			\
	    JSON_C_OBJECT_ADD_CONSTANT_KEY)

#endif
