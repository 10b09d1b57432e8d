/* Events to subscribers: "<topic> <json>", after the change is durable. */
#pragma once

#include <cjson/cJSON.h>

struct srv;

/*
 * Publish obj under topic ("booking.created", "tc.request/gp-dupont") and
 * free obj. Events carry ids, never a patient's name or phone.
 */
void	evt_publish(struct srv *s, const char *topic, cJSON *obj);
