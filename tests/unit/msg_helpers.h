/* msg_helpers.h: shared by the message-analyser tests: run bytes through
 * message_open/feed/close with a given split and return the JSON. */
#include <stdlib.h>
#include <string.h>

#include <json-c/json.h>

#include "anomaly.h"
#include "config.h"
#include "message.h"

static struct config th_cfg;
static struct anomalies th_an;

static json_object *
th_run2(const char *s, size_t n, size_t split1, size_t split2)
{
	struct message *m;

	memset(&th_an, 0, sizeof(th_an));
	m = message_open(&th_cfg, &th_an, "t");
	if (split1 > n)
		split1 = n;
	if (split2 < split1 || split2 > n)
		split2 = n;
	message_feed(m, (const uint8_t *)s, split1);
	message_feed(m, (const uint8_t *)s + split1, split2 - split1);
	message_feed(m, (const uint8_t *)s + split2, n - split2);
	return message_close(m, 1);
}

static json_object *
th_run(const char *s)
{
	return th_run2(s, strlen(s), strlen(s), strlen(s));
}

/* The value at a path like "mime.parts.1.filename". */
static const char *
th_get(json_object *o, const char *path)
{
	char buf[256], *tok, *save = NULL;

	snprintf(buf, sizeof(buf), "%s", path);
	for (tok = strtok_r(buf, ".", &save); tok != NULL && o != NULL;
	    tok = strtok_r(NULL, ".", &save)) {
		if (json_object_is_type(o, json_type_array))
			o = json_object_array_get_idx(o, (size_t)atoi(tok));
		else if (!json_object_object_get_ex(o, tok, &o))
			o = NULL;
	}
	return o != NULL ? json_object_get_string(o) : NULL;
}
