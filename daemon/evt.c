/* Events to subscribers: "<topic> <json>", after the change is durable. */
#include "daemon/evt.h"

#include <stdlib.h>
#include <string.h>

#include "daemon/log.h"
#include "daemon/srv.h"

void
evt_publish(struct srv *s, const char *topic, cJSON *obj)
{
	char *json = obj != NULL ? cJSON_PrintUnformatted(obj) : NULL;
	size_t tlen = strlen(topic), jlen;
	char *msg;

	cJSON_Delete(obj);
	if (json == NULL) {
		log_err("evt", "%s: out of memory", topic);
		return;
	}
	jlen = strlen(json);
	msg = malloc(tlen + 1 + jlen);
	if (msg != NULL) {
		memcpy(msg, topic, tlen);
		msg[tlen] = ' ';
		memcpy(msg + tlen + 1, json, jlen);
		srv_publish(s, msg, tlen + 1 + jlen);
		log_debug("evt", "published %s", topic);
	}
	free(msg);
	cJSON_free(json);
}
