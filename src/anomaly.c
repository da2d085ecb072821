/* anomaly.c: anomaly names and the per-session counting set.
 * Counts saturate; nothing here allocates except the JSON views. */
#include <json-c/json.h>

#include "anomaly.h"
#include "stats.h"

static const char *const anomaly_names[ANOMALY_COUNT] = {
#define ANOMALY_NAME(name) #name,
	ANOMALY_LIST(ANOMALY_NAME)
#undef ANOMALY_NAME
};

const char *
anomaly_name(enum anomaly a)
{
	if ((unsigned)a >= ANOMALY_COUNT)
		return "unknown";
	return anomaly_names[a];
}

void
anomaly_add(struct anomalies *set, enum anomaly a)
{
	if ((unsigned)a >= ANOMALY_COUNT)
		return;
	stats.anomalies++;
	if (set != NULL && set->count[a] != UINT32_MAX)
		set->count[a]++;
}

int
anomaly_has(const struct anomalies *set, enum anomaly a)
{
	return set != NULL && (unsigned)a < ANOMALY_COUNT && set->count[a] > 0;
}

struct json_object *
anomaly_names_json(const struct anomalies *set)
{
	struct json_object *list = json_object_new_array();

	for (unsigned a = 0; set != NULL && a < ANOMALY_COUNT; a++)
		if (set->count[a] > 0)
			json_object_array_add(list,
			    json_object_new_string(anomaly_names[a]));
	return list;
}

struct json_object *
anomaly_counts_json(const struct anomalies *set)
{
	struct json_object *obj = json_object_new_object();

	for (unsigned a = 0; set != NULL && a < ANOMALY_COUNT; a++)
		if (set->count[a] > 0)
			json_object_object_add_ex(obj, anomaly_names[a],
			    json_object_new_int64(set->count[a]),
			    JSON_C_OBJECT_ADD_CONSTANT_KEY);	/* static */
	return obj;
}
