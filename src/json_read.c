/* json_read.c: see json_read.h. Only reads; never changes an object. */
#include <json-c/json.h>

#include "json_read.h"

struct json_object *
json_read_get(const struct json_object *o, const char *key)
{
	struct json_object *v;

	if (o == NULL || !json_object_is_type(o, json_type_object) ||
	    !json_object_object_get_ex(o, key, &v))
		return NULL;
	return v;
}

const char *
json_read_str(const struct json_object *o, const char *key)
{
	struct json_object *v = json_read_get(o, key);

	if (v == NULL || !json_object_is_type(v, json_type_string) ||
	    json_object_get_string_len(v) == 0)
		return NULL;
	return json_object_get_string(v);
}

size_t
json_read_len(const struct json_object *a)
{
	return a != NULL && json_object_is_type(a, json_type_array) ?
	    json_object_array_length(a) : 0;
}
