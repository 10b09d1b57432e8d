/* Typed getters for JSON arguments, naming the full field path on error. */
#include "proto/jarg.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

const cJSON *
jarg_get(const cJSON *obj, const char *key)
{
	const cJSON *it;

	if (!cJSON_IsObject(obj))
		return NULL;
	it = cJSON_GetObjectItemCaseSensitive(obj, key);
	return cJSON_IsNull(it) ? NULL : it;
}

static int
jarg_fail(char *why, size_t whylen, const char *path, const char *key,
    const char *what)
{
	snprintf(why, whylen, "%s%s%s: %s", path, *path ? "." : "", key, what);
	return -1;
}

int
jarg_str_opt(const cJSON *obj, const char *path, const char *key,
    size_t maxlen, const char **out, bool *present, char *why, size_t whylen)
{
	const cJSON *it = jarg_get(obj, key);
	char what[64];

	if (present != NULL)
		*present = it != NULL;
	if (it == NULL)
		return 0;
	if (!cJSON_IsString(it))
		return jarg_fail(why, whylen, path, key, "must be a string");
	if (strlen(it->valuestring) > maxlen) {
		snprintf(what, sizeof(what), "longer than %zu bytes", maxlen);
		return jarg_fail(why, whylen, path, key, what);
	}
	*out = it->valuestring;
	return 0;
}

int
jarg_str(const cJSON *obj, const char *path, const char *key, size_t maxlen,
    const char **out, char *why, size_t whylen)
{
	bool present;

	if (jarg_str_opt(obj, path, key, maxlen, out, &present, why, whylen))
		return -1;
	if (!present)
		return jarg_fail(why, whylen, path, key, "required string");
	if (**out == '\0')
		return jarg_fail(why, whylen, path, key, "must not be empty");
	return 0;
}

int
jarg_int_opt(const cJSON *obj, const char *path, const char *key,
    int64_t min, int64_t max, int64_t *out, bool *present, char *why,
    size_t whylen)
{
	const cJSON *it = jarg_get(obj, key);
	char what[96];
	double d;

	if (present != NULL)
		*present = it != NULL;
	if (it == NULL)
		return 0;
	if (!cJSON_IsNumber(it))
		return jarg_fail(why, whylen, path, key, "must be an integer");
	d = it->valuedouble;
	/*
	 * JSON numbers are doubles: 2.5 or 1e300 must not become an int.
	 * (double)INT64_MAX rounds up to 2^63, which has no int64_t value:
	 * bound d to [-2^63, 2^63) before converting, then compare exactly.
	 */
	if (d != floor(d) || d < -0x1p63 || d >= 0x1p63 ||
	    (int64_t)d < min || (int64_t)d > max) {
		snprintf(what, sizeof(what), "must be an integer from %lld to "
		    "%lld", (long long)min, (long long)max);
		return jarg_fail(why, whylen, path, key, what);
	}
	*out = (int64_t)d;
	return 0;
}

int
jarg_int(const cJSON *obj, const char *path, const char *key, int64_t min,
    int64_t max, int64_t *out, char *why, size_t whylen)
{
	bool present;

	if (jarg_int_opt(obj, path, key, min, max, out, &present, why,
	    whylen))
		return -1;
	if (!present)
		return jarg_fail(why, whylen, path, key, "required integer");
	return 0;
}

int
jarg_num_opt(const cJSON *obj, const char *path, const char *key,
    double min, double max, double *out, bool *present, char *why,
    size_t whylen)
{
	const cJSON *it = jarg_get(obj, key);
	char what[96];

	if (present != NULL)
		*present = it != NULL;
	if (it == NULL)
		return 0;
	if (!cJSON_IsNumber(it) || !isfinite(it->valuedouble) ||
	    it->valuedouble < min || it->valuedouble > max) {
		snprintf(what, sizeof(what), "must be a number from %g to %g",
		    min, max);
		return jarg_fail(why, whylen, path, key, what);
	}
	*out = it->valuedouble;
	return 0;
}

int
jarg_bool_opt(const cJSON *obj, const char *path, const char *key, bool *out,
    bool *present, char *why, size_t whylen)
{
	const cJSON *it = jarg_get(obj, key);

	if (present != NULL)
		*present = it != NULL;
	if (it == NULL)
		return 0;
	if (!cJSON_IsBool(it))
		return jarg_fail(why, whylen, path, key,
		    "must be true or false");
	*out = cJSON_IsTrue(it);
	return 0;
}

int
jarg_time_opt(const cJSON *obj, const char *path, const char *key,
    struct rfc3339 *out, bool *present, char *why, size_t whylen)
{
	const cJSON *it = jarg_get(obj, key);

	if (present != NULL)
		*present = it != NULL;
	if (it == NULL)
		return 0;
	if (!cJSON_IsString(it) || rfc3339_parse(it->valuestring, out) != 0)
		return jarg_fail(why, whylen, path, key, "must be an RFC 3339 "
		    "time with offset (2026-03-29T14:00:00+02:00) or a date "
		    "(2026-03-29)");
	return 0;
}

int
jarg_time(const cJSON *obj, const char *path, const char *key,
    struct rfc3339 *out, char *why, size_t whylen)
{
	bool present;

	if (jarg_time_opt(obj, path, key, out, &present, why, whylen))
		return -1;
	if (!present)
		return jarg_fail(why, whylen, path, key, "required time");
	return 0;
}
