/* Typed getters for JSON arguments, naming the full field path on error. */
#pragma once

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <cjson/cJSON.h>

#include "proto/rfc3339.h"

/*
 * Every getter reads obj[key], where path names obj for messages ("args",
 * "args.patient", "gps[3]"). It returns 0, or -1 with why set to
 * "<path>.<key>: <what is wrong>". Messages name the field and the
 * expected type, never the value: it may be patient data.
 *
 * A JSON null counts as absent. The _opt variants leave *out untouched
 * when the key is absent and set *present (when not NULL) to whether it
 * was there. Returned strings borrow from obj.
 */
int	jarg_str(const cJSON *obj, const char *path, const char *key,
	    size_t maxlen, const char **out, char *why, size_t whylen);
int	jarg_str_opt(const cJSON *obj, const char *path, const char *key,
	    size_t maxlen, const char **out, bool *present, char *why,
	    size_t whylen);
int	jarg_int(const cJSON *obj, const char *path, const char *key,
	    int64_t min, int64_t max, int64_t *out, char *why, size_t whylen);
int	jarg_int_opt(const cJSON *obj, const char *path, const char *key,
	    int64_t min, int64_t max, int64_t *out, bool *present, char *why,
	    size_t whylen);
int	jarg_num_opt(const cJSON *obj, const char *path, const char *key,
	    double min, double max, double *out, bool *present, char *why,
	    size_t whylen);
int	jarg_bool_opt(const cJSON *obj, const char *path, const char *key,
	    bool *out, bool *present, char *why, size_t whylen);
/* A time or date (rfc3339_parse). */
int	jarg_time(const cJSON *obj, const char *path, const char *key,
	    struct rfc3339 *out, char *why, size_t whylen);
int	jarg_time_opt(const cJSON *obj, const char *path, const char *key,
	    struct rfc3339 *out, bool *present, char *why, size_t whylen);

/* obj[key] when present and not null, else NULL. */
const cJSON *jarg_get(const cJSON *obj, const char *key);
