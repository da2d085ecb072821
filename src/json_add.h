/* json_add.h: adds a member under a string-literal key without copying
 * the key. json-c strdup()s every key it is given unless told the key is
 * constant, and frees it with the object: a malloc and a free per member
 * of every event. A literal outlives every object; the "" before the key
 * makes anything but a literal fail to compile. */
#ifndef SMTPSCOPE_JSON_ADD_H
#define SMTPSCOPE_JSON_ADD_H

#include <json-c/json.h>

#define JSON_ADD(o, key, v)						\
	json_object_object_add_ex((o), "" key, (v),			\
	    JSON_C_OBJECT_ADD_CONSTANT_KEY)

#endif
