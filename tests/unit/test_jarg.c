/* Unit tests of the typed JSON getters and their field-path messages. */
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "proto/jarg.h"

#define NCASES(a)	(sizeof(a) / sizeof((a)[0]))
/* A value no message may echo. */
#define MARKER		"DUPONT-SECRET"
#define UNTOUCHED	"untouched"

/* The object every test reads, as "args.patient". */
static const char doc[] = "{"
    "\"name\":\"Dupont\","
    "\"empty\":\"\","
    "\"secret\":\"" MARKER "\","
    "\"num\":42,"
    "\"neg\":-7,"
    "\"frac\":2.5,"
    "\"big\":1e300,"
    "\"inf\":1e400,"
    "\"i64max\":9223372036854775807,"
    "\"i64min\":-9223372036854775808,"
    "\"t\":true,"
    "\"f\":false,"
    "\"nul\":null,"
    "\"arr\":[1],"
    "\"obj\":{\"x\":1},"
    "\"numstr\":\"42\","
    "\"when\":\"2026-03-29T14:00:00+02:00\","
    "\"day\":\"2026-03-29\","
    "\"badtime\":\"2026-02-30\""
    "}";

static int
setup(void **state)
{
	*state = cJSON_Parse(doc);
	return *state == NULL ? -1 : 0;
}

static int
teardown(void **state)
{
	cJSON_Delete(*state);
	return 0;
}

/*
 * Check one getter call: its return code, and that why holds exactly
 * want_why on failure and is left alone on success.
 */
static void
check_why(const char *name, int rc, int want_rc, const char *why,
    const char *want_why)
{
	if (rc != want_rc)
		fail_msg("%s: rc %d, want %d (%s)", name, rc, want_rc, why);
	if (rc == 0 && strcmp(why, UNTOUCHED) != 0)
		fail_msg("%s: why written on success: %s", name, why);
	if (rc != 0 && strcmp(why, want_why) != 0)
		fail_msg("%s: why \"%s\", want \"%s\"", name, why, want_why);
	if (strstr(why, MARKER) != NULL)
		fail_msg("%s: why echoes the value: %s", name, why);
}

/* jarg_str: a non-empty string of at most maxlen bytes, or a named error. */
static void
test_str(void **state)
{
	static const struct str_case {
		const char	*name, *key;
		size_t		 maxlen;
		int		 rc;
		const char	*want;	/* the value, or the message */
	} cases[] = {
		{ "present", "name", 128, 0, "Dupont" },
		{ "exactly maxlen", "name", 6, 0, "Dupont" },
		{ "one over maxlen", "name", 5, -1,
		    "args.patient.name: longer than 5 bytes" },
		{ "too long marker", "secret", 8, -1,
		    "args.patient.secret: longer than 8 bytes" },
		{ "absent", "missing", 128, -1,
		    "args.patient.missing: required string" },
		{ "null", "nul", 128, -1,
		    "args.patient.nul: required string" },
		{ "empty", "empty", 128, -1,
		    "args.patient.empty: must not be empty" },
		{ "number", "num", 128, -1,
		    "args.patient.num: must be a string" },
		{ "bool", "t", 128, -1, "args.patient.t: must be a string" },
		{ "array", "arr", 128, -1,
		    "args.patient.arr: must be a string" },
		{ "object", "obj", 128, -1,
		    "args.patient.obj: must be a string" },
	};
	const cJSON *obj = *state;

	for (size_t i = 0; i < NCASES(cases); i++) {
		const struct str_case *c = &cases[i];
		char why[256] = UNTOUCHED;
		const char *out = NULL;
		int rc;

		rc = jarg_str(obj, "args.patient", c->key, c->maxlen, &out,
		    why, sizeof(why));
		check_why(c->name, rc, c->rc, why, c->want);
		if (rc == 0 && (out == NULL || strcmp(out, c->want) != 0))
			fail_msg("%s: got \"%s\"", c->name,
			    out != NULL ? out : "(null)");
	}
}

/* jarg_str_opt: absent or null leave *out alone; empty is allowed. */
static void
test_str_opt(void **state)
{
	static const struct str_opt_case {
		const char	*name, *key;
		size_t		 maxlen;
		int		 rc;
		bool		 present;
		const char	*want;
	} cases[] = {
		{ "present", "name", 128, 0, true, "Dupont" },
		{ "empty", "empty", 128, 0, true, "" },
		{ "absent", "missing", 128, 0, false, "default" },
		{ "null", "nul", 128, 0, false, "default" },
		{ "too long marker", "secret", 3, -1, true,
		    "args.patient.secret: longer than 3 bytes" },
		{ "number", "num", 128, -1, true,
		    "args.patient.num: must be a string" },
	};
	const cJSON *obj = *state;

	for (size_t i = 0; i < NCASES(cases); i++) {
		const struct str_opt_case *c = &cases[i];
		char why[256] = UNTOUCHED;
		const char *out = "default";
		bool present = !c->present;
		int rc;

		rc = jarg_str_opt(obj, "args.patient", c->key, c->maxlen, &out,
		    &present, why, sizeof(why));
		check_why(c->name, rc, c->rc, why, c->want);
		if (present != c->present)
			fail_msg("%s: present %d", c->name, present);
		if (rc == 0 && strcmp(out, c->want) != 0)
			fail_msg("%s: got \"%s\"", c->name, out);
		/* present may be NULL. */
		rc = jarg_str_opt(obj, "args.patient", c->key, c->maxlen, &out,
		    NULL, why, sizeof(why));
		if (rc != c->rc)
			fail_msg("%s: rc %d without present", c->name, rc);
	}
}

/*
 * jarg_int and jarg_int_opt: an integral number within [min, max]; 2.5,
 * 1e300 and 2^63 are refused rather than converted.
 */
static void
test_int(void **state)
{
	static const struct int_case {
		const char	*name, *key;
		int64_t		 min, max;
		int		 rc;
		int64_t		 want;
		const char	*why;
	} cases[] = {
		{ "present", "num", 0, 100, 0, 42, NULL },
		{ "negative", "neg", -10, 10, 0, -7, NULL },
		{ "at min", "num", 42, 100, 0, 42, NULL },
		{ "at max", "num", 0, 42, 0, 42, NULL },
		{ "below min", "num", 43, 100, -1, 0,
		    "args.patient.num: must be an integer from 43 to 100" },
		{ "above max", "num", 0, 41, -1, 0,
		    "args.patient.num: must be an integer from 0 to 41" },
		{ "negative below", "neg", 0, 10, -1, 0,
		    "args.patient.neg: must be an integer from 0 to 10" },
		{ "fraction", "frac", 0, 100, -1, 0,
		    "args.patient.frac: must be an integer from 0 to 100" },
		{ "huge", "big", INT64_MIN, INT64_MAX, -1, 0,
		    "args.patient.big: must be an integer from "
		    "-9223372036854775808 to 9223372036854775807" },
		{ "infinite", "inf", INT64_MIN, INT64_MAX, -1, 0,
		    "args.patient.inf: must be an integer from "
		    "-9223372036854775808 to 9223372036854775807" },
		/* 2^63 as a double: past INT64_MAX, no int64_t value. */
		{ "2^63", "i64max", INT64_MIN, INT64_MAX, -1, 0,
		    "args.patient.i64max: must be an integer from "
		    "-9223372036854775808 to 9223372036854775807" },
		{ "-2^63", "i64min", INT64_MIN, INT64_MAX, 0, INT64_MIN, NULL },
		{ "string", "name", 0, 100, -1, 0,
		    "args.patient.name: must be an integer" },
		{ "string of digits", "numstr", 0, 100, -1, 0,
		    "args.patient.numstr: must be an integer" },
		{ "bool", "t", 0, 1, -1, 0,
		    "args.patient.t: must be an integer" },
		{ "object", "obj", 0, 1, -1, 0,
		    "args.patient.obj: must be an integer" },
		{ "absent", "missing", 0, 100, -1, 0,
		    "args.patient.missing: required integer" },
		{ "null", "nul", 0, 100, -1, 0,
		    "args.patient.nul: required integer" },
	};
	const cJSON *obj = *state;

	for (size_t i = 0; i < NCASES(cases); i++) {
		const struct int_case *c = &cases[i];
		char why[256] = UNTOUCHED;
		int64_t out = 12345;
		bool present;
		int rc;

		rc = jarg_int(obj, "args.patient", c->key, c->min, c->max, &out,
		    why, sizeof(why));
		check_why(c->name, rc, c->rc, why, c->why);
		if (rc == 0 && out != c->want)
			fail_msg("%s: got %lld", c->name, (long long)out);

		/* The _opt variant agrees, except that absent is no error. */
		strcpy(why, UNTOUCHED);
		out = 12345;
		rc = jarg_int_opt(obj, "args.patient", c->key, c->min, c->max,
		    &out, &present, why, sizeof(why));
		if (jarg_get(obj, c->key) == NULL) {
			if (rc != 0 || present || out != 12345)
				fail_msg("%s: opt rc %d present %d", c->name,
				    rc, present);
			continue;
		}
		check_why(c->name, rc, c->rc, why, c->why);
		if (!present)
			fail_msg("%s: opt not present", c->name);
		if (rc == 0 && out != c->want)
			fail_msg("%s: opt got %lld", c->name, (long long)out);
	}
}

/* jarg_num_opt: a finite number within [min, max]. */
static void
test_num_opt(void **state)
{
	static const struct num_case {
		const char	*name, *key;
		double		 min, max;
		int		 rc;
		bool		 present;
		double		 want;
		const char	*why;
	} cases[] = {
		{ "integer", "num", 0, 100, 0, true, 42, NULL },
		{ "fraction", "frac", 0, 3, 0, true, 2.5, NULL },
		{ "at max", "frac", 0, 2.5, 0, true, 2.5, NULL },
		{ "above max", "frac", 0, 2, -1, true, 0,
		    "args.patient.frac: must be a number from 0 to 2" },
		{ "below min", "neg", -1, 1, -1, true, 0,
		    "args.patient.neg: must be a number from -1 to 1" },
		{ "huge", "big", 0, 1e6, -1, true, 0,
		    "args.patient.big: must be a number from 0 to 1e+06" },
		{ "infinite", "inf", -HUGE_VAL, HUGE_VAL, -1, true, 0,
		    "args.patient.inf: must be a number from -inf to inf" },
		{ "string", "secret", 0, 1, -1, true, 0,
		    "args.patient.secret: must be a number from 0 to 1" },
		{ "absent", "missing", 0, 1, 0, false, -1, NULL },
		{ "null", "nul", 0, 1, 0, false, -1, NULL },
	};
	const cJSON *obj = *state;

	for (size_t i = 0; i < NCASES(cases); i++) {
		const struct num_case *c = &cases[i];
		char why[256] = UNTOUCHED;
		double out = -1;
		bool present = !c->present;
		int rc;

		rc = jarg_num_opt(obj, "args.patient", c->key, c->min, c->max,
		    &out, &present, why, sizeof(why));
		check_why(c->name, rc, c->rc, why, c->why);
		if (present != c->present)
			fail_msg("%s: present %d", c->name, present);
		if (rc == 0 && out != c->want)
			fail_msg("%s: got %g", c->name, out);
	}
}

/* jarg_bool_opt: true or false only; 1 and "true" are not booleans. */
static void
test_bool_opt(void **state)
{
	static const struct bool_case {
		const char	*name, *key;
		int		 rc;
		bool		 present, want;
		const char	*why;
	} cases[] = {
		{ "true", "t", 0, true, true, NULL },
		{ "false", "f", 0, true, false, NULL },
		{ "absent", "missing", 0, false, true, NULL },
		{ "null", "nul", 0, false, true, NULL },
		{ "number", "num", -1, true, false,
		    "args.patient.num: must be true or false" },
		{ "string", "secret", -1, true, false,
		    "args.patient.secret: must be true or false" },
	};
	const cJSON *obj = *state;

	for (size_t i = 0; i < NCASES(cases); i++) {
		const struct bool_case *c = &cases[i];
		char why[256] = UNTOUCHED;
		bool out = true, present = !c->present;
		int rc;

		rc = jarg_bool_opt(obj, "args.patient", c->key, &out, &present,
		    why, sizeof(why));
		check_why(c->name, rc, c->rc, why, c->why);
		if (present != c->present)
			fail_msg("%s: present %d", c->name, present);
		if (rc == 0 && out != c->want)
			fail_msg("%s: got %d", c->name, out);
	}
}

#define TIME_WHY(key)	"args.patient." key ": must be an RFC 3339 time " \
	"with offset (2026-03-29T14:00:00+02:00) or a date (2026-03-29)"

/* jarg_time and jarg_time_opt: an RFC 3339 instant or date string. */
static void
test_time(void **state)
{
	static const struct time_case {
		const char	*name, *key;
		int		 rc, opt_rc;
		bool		 is_date;
		int64_t		 utc;
		const char	*why;
	} cases[] = {
		{ "instant", "when", 0, 0, false, INT64_C(1774785600), NULL },
		{ "date", "day", 0, 0, true, 0, NULL },
		{ "bad date", "badtime", -1, -1, false, 0,
		    TIME_WHY("badtime") },
		{ "marker", "secret", -1, -1, false, 0, TIME_WHY("secret") },
		{ "number", "num", -1, -1, false, 0, TIME_WHY("num") },
		{ "absent", "missing", -1, 0, false, 0,
		    "args.patient.missing: required time" },
		{ "null", "nul", -1, 0, false, 0,
		    "args.patient.nul: required time" },
	};
	const cJSON *obj = *state;

	for (size_t i = 0; i < NCASES(cases); i++) {
		const struct time_case *c = &cases[i];
		char why[256] = UNTOUCHED;
		struct rfc3339 out;
		bool present;
		int rc;

		rc = jarg_time(obj, "args.patient", c->key, &out, why,
		    sizeof(why));
		check_why(c->name, rc, c->rc, why, c->why);
		if (rc == 0 && (out.is_date != c->is_date ||
		    (!c->is_date && out.utc != c->utc)))
			fail_msg("%s: is_date %d utc %lld", c->name,
			    out.is_date, (long long)out.utc);
		if (rc == 0 && c->is_date && (out.year != 2026 ||
		    out.month != 3 || out.day != 29))
			fail_msg("%s: %d-%d-%d", c->name, out.year, out.month,
			    out.day);

		strcpy(why, UNTOUCHED);
		rc = jarg_time_opt(obj, "args.patient", c->key, &out, &present,
		    why, sizeof(why));
		check_why(c->name, rc, c->opt_rc, why, c->why);
		if (present != (jarg_get(obj, c->key) != NULL))
			fail_msg("%s: opt present %d", c->name, present);
	}
}

/* The path prefixes the key: none at the top, any path otherwise. */
static void
test_paths(void **state)
{
	const cJSON *obj = *state;
	const char *s;
	int64_t n;
	char why[256];

	assert_int_equal(jarg_str(obj, "", "missing", 8, &s, why,
	    sizeof(why)), -1);
	assert_string_equal(why, "missing: required string");
	assert_int_equal(jarg_int(obj, "gps[3]", "name", 0, 1, &n, why,
	    sizeof(why)), -1);
	assert_string_equal(why, "gps[3].name: must be an integer");
	assert_int_equal(jarg_str(obj, "args", "num", 8, &s, why,
	    sizeof(why)), -1);
	assert_string_equal(why, "args.num: must be a string");
}

/* A non-object (or NULL) holder reads as if every key were absent. */
static void
test_not_object(void **state)
{
	cJSON *arr = cJSON_Parse("[\"name\"]");
	const char *s = "default";
	bool present = true;
	char why[256];

	(void)state;
	assert_non_null(arr);
	assert_null(jarg_get(arr, "name"));
	assert_null(jarg_get(NULL, "name"));
	assert_int_equal(jarg_str(arr, "args", "name", 8, &s, why,
	    sizeof(why)), -1);
	assert_string_equal(why, "args.name: required string");
	assert_int_equal(jarg_str(NULL, "args", "name", 8, &s, why,
	    sizeof(why)), -1);
	assert_string_equal(why, "args.name: required string");
	assert_int_equal(jarg_str_opt(NULL, "args", "name", 8, &s, &present,
	    why, sizeof(why)), 0);
	assert_false(present);
	assert_string_equal(s, "default");
	cJSON_Delete(arr);
}

/* jarg_get: the item, or NULL when absent or null; keys match case. */
static void
test_get(void **state)
{
	const cJSON *obj = *state;

	assert_true(cJSON_IsString(jarg_get(obj, "name")));
	assert_null(jarg_get(obj, "nul"));
	assert_null(jarg_get(obj, "missing"));
	assert_null(jarg_get(obj, "NAME"));
}

/*
 * No message ever holds the value, whatever the getter and however the
 * value is wrong; a short why buffer is truncated, not overrun.
 */
static void
test_no_value_in_why(void **state)
{
	const cJSON *obj = *state;
	struct rfc3339 t;
	const char *s;
	int64_t n;
	double d;
	bool b;
	char why[256], tiny[8];

	assert_int_equal(jarg_str(obj, "args.patient", "secret", 4, &s, why,
	    sizeof(why)), -1);
	assert_null(strstr(why, MARKER));
	assert_int_equal(jarg_int(obj, "args.patient", "secret", 0, 1, &n,
	    why, sizeof(why)), -1);
	assert_null(strstr(why, MARKER));
	assert_int_equal(jarg_num_opt(obj, "args.patient", "secret", 0, 1, &d,
	    NULL, why, sizeof(why)), -1);
	assert_null(strstr(why, MARKER));
	assert_int_equal(jarg_bool_opt(obj, "args.patient", "secret", &b,
	    NULL, why, sizeof(why)), -1);
	assert_null(strstr(why, MARKER));
	assert_int_equal(jarg_time(obj, "args.patient", "secret", &t, why,
	    sizeof(why)), -1);
	assert_null(strstr(why, MARKER));
	assert_null(strstr(why, "DUPONT"));

	memset(tiny, 'x', sizeof(tiny));
	assert_int_equal(jarg_str(obj, "args.patient", "secret", 4, &s, tiny,
	    5), -1);
	assert_string_equal(tiny, "args");
	assert_int_equal(tiny[5], 'x');
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_str),
		cmocka_unit_test(test_str_opt),
		cmocka_unit_test(test_int),
		cmocka_unit_test(test_num_opt),
		cmocka_unit_test(test_bool_opt),
		cmocka_unit_test(test_time),
		cmocka_unit_test(test_paths),
		cmocka_unit_test(test_not_object),
		cmocka_unit_test(test_get),
		cmocka_unit_test(test_no_value_in_why),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
