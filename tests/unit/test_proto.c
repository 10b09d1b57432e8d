/* Unit tests of the wire envelope: request decoding, replies, error codes. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "proto/proto.h"

#define NCASES(a)	(sizeof(a) / sizeof((a)[0]))
/* A string literal and its length, embedded NULs included. */
#define BYTES(s)	s, sizeof(s) - 1

/*
 * Decode len bytes from a heap copy of exactly that size, as a nanomsg
 * buffer would be: no NUL after the message, so an over-read shows under
 * ASan or valgrind. The copy is freed before returning, which also proves
 * that the request borrows nothing from the input buffer.
 */
static int
decode(const char *bytes, size_t len, struct proto_req *req, char *why,
    size_t whylen)
{
	char *buf = malloc(len > 0 ? len : 1);
	int rc;

	assert_non_null(buf);
	memcpy(buf, bytes, len);
	rc = proto_req_decode(buf, len, req, why, whylen);
	memset(buf, 0xa5, len);
	free(buf);
	return rc;
}

/* A string for fail_msg(), NULL included. */
static const char *
nul(const char *s)
{
	return s != NULL ? s : "(null)";
}

static bool
str_eq(const char *a, const char *b)
{
	if (a == NULL || b == NULL)
		return a == b;
	return strcmp(a, b) == 0;
}

/* Valid requests decode to their id, op, token and an args object. */
static void
test_decode_valid(void **state)
{
	static const struct valid_case {
		const char	*name;
		const char	*in;
		size_t		 len;
		const char	*id, *op, *token;
		int		 nargs;
	} cases[] = {
		{ "full", BYTES("{\"v\":1,\"id\":\"c-42\","
		    "\"op\":\"slots.search\",\"token\":\"tk-1\","
		    "\"args\":{\"from\":\"2026-03-29\",\"limit\":5}}"),
		    "c-42", "slots.search", "tk-1", 2 },
		{ "field order", BYTES("{\"args\":{\"a\":1},\"op\":\"gp.list\","
		    "\"id\":\"x\",\"v\":1}"), "x", "gp.list", NULL, 1 },
		{ "nested args", BYTES("{\"v\":1,\"id\":\"b\",\"op\":"
		    "\"booking.create\",\"args\":{\"slot\":\"s\",\"patient\":"
		    "{\"name\":\"N\",\"birth_year\":1950}}}"), "b",
		    "booking.create", NULL, 2 },
		{ "no id", BYTES("{\"v\":1,\"op\":\"sys.ping\"}"),
		    NULL, "sys.ping", NULL, 0 },
		{ "id null", BYTES("{\"v\":1,\"id\":null,\"op\":\"sys.ping\"}"),
		    NULL, "sys.ping", NULL, 0 },
		{ "id number", BYTES("{\"v\":1,\"id\":42,\"op\":\"sys.ping\"}"),
		    NULL, "sys.ping", NULL, 0 },
		{ "id object", BYTES("{\"v\":1,\"id\":{\"a\":\"b\"},"
		    "\"op\":\"sys.ping\"}"), NULL, "sys.ping", NULL, 0 },
		{ "id empty", BYTES("{\"v\":1,\"id\":\"\","
		    "\"op\":\"sys.ping\"}"), "", "sys.ping", NULL, 0 },
		{ "id utf-8", BYTES("{\"v\":1,"
		    "\"id\":\"r\xc3\xa9q-\xe2\x82\xac\",\"op\":\"sys.ping\"}"),
		    "r\xc3\xa9q-\xe2\x82\xac", "sys.ping", NULL, 0 },
		{ "args absent", BYTES("{\"v\":1,\"id\":\"a\","
		    "\"op\":\"sys.ping\"}"), "a", "sys.ping", NULL, 0 },
		{ "args null", BYTES("{\"v\":1,\"id\":\"a\","
		    "\"op\":\"sys.ping\",\"args\":null}"), "a", "sys.ping",
		    NULL, 0 },
		{ "args empty", BYTES("{\"v\":1,\"op\":\"sys.ping\","
		    "\"args\":{}}"), NULL, "sys.ping", NULL, 0 },
		{ "token number", BYTES("{\"v\":1,\"op\":\"sys.ping\","
		    "\"token\":7}"), NULL, "sys.ping", NULL, 0 },
		{ "token null", BYTES("{\"v\":1,\"op\":\"sys.ping\","
		    "\"token\":null}"), NULL, "sys.ping", NULL, 0 },
		{ "unknown fields", BYTES("{\"v\":1,\"op\":\"sys.ping\","
		    "\"extra\":[1,{}],\"Op\":\"x\"}"), NULL, "sys.ping",
		    NULL, 0 },
		{ "v as 1.0", BYTES("{\"v\":1.0,\"op\":\"sys.ping\"}"),
		    NULL, "sys.ping", NULL, 0 },
		{ "leading space", BYTES(" \n{\"v\":1,\"op\":\"sys.ping\"}"),
		    NULL, "sys.ping", NULL, 0 },
		{ "trailing space", BYTES("{\"v\":1,\"op\":\"sys.ping\"}"
		    " \t\r\n"), NULL, "sys.ping", NULL, 0 },
		{ "trailing NUL", BYTES("{\"v\":1,\"op\":\"sys.ping\"}\0"),
		    NULL, "sys.ping", NULL, 0 },
		{ "trailing NULs and space",
		    BYTES("{\"v\":1,\"op\":\"sys.ping\"}\n\0\0"),
		    NULL, "sys.ping", NULL, 0 },
	};

	(void)state;
	for (size_t i = 0; i < NCASES(cases); i++) {
		const struct valid_case *c = &cases[i];
		struct proto_req req;
		char why[PROTO_WHY_MAX] = "untouched";
		int rc;

		rc = decode(c->in, c->len, &req, why, sizeof(why));
		if (rc != PROTO_OK)
			fail_msg("%s: rc %d (%s)", c->name, rc, why);
		if (!str_eq(req.id, c->id))
			fail_msg("%s: id \"%s\", want \"%s\"", c->name,
			    nul(req.id), nul(c->id));
		if (!str_eq(req.op, c->op))
			fail_msg("%s: op \"%s\"", c->name, nul(req.op));
		if (!str_eq(req.token, c->token))
			fail_msg("%s: token \"%s\"", c->name, nul(req.token));
		if (!cJSON_IsObject(req.args))
			fail_msg("%s: args is not an object", c->name);
		if (cJSON_GetArraySize(req.args) != c->nargs)
			fail_msg("%s: %d args, want %d", c->name,
			    cJSON_GetArraySize(req.args), c->nargs);
		if (strcmp(why, "untouched") != 0)
			fail_msg("%s: why written on success: %s", c->name,
			    why);
		proto_req_fini(&req);
		assert_null(req.root);
		assert_null(req.args);
	}
}

/* An id of up to PROTO_ID_MAX bytes is echoed; a longer one reads as NULL. */
static void
test_decode_id_length(void **state)
{
	static const struct idlen_case {
		const char	*name;
		size_t		 idlen;
		bool		 echoed;
	} cases[] = {
		{ "1 byte", 1, true },
		{ "at the limit", PROTO_ID_MAX, true },
		{ "one over", PROTO_ID_MAX + 1, false },
		{ "far over", 4096, false },
	};

	(void)state;
	for (size_t i = 0; i < NCASES(cases); i++) {
		const struct idlen_case *c = &cases[i];
		struct proto_req req;
		char why[PROTO_WHY_MAX];
		char *id = malloc(c->idlen + 1), *msg = malloc(c->idlen + 64);
		int n, rc;

		assert_non_null(id);
		assert_non_null(msg);
		memset(id, 'i', c->idlen);
		id[c->idlen] = '\0';
		n = snprintf(msg, c->idlen + 64,
		    "{\"v\":1,\"id\":\"%s\",\"op\":\"sys.ping\"}", id);
		rc = decode(msg, (size_t)n, &req, why, sizeof(why));
		if (rc != PROTO_OK)
			fail_msg("%s: rc %d (%s)", c->name, rc, why);
		if (c->echoed && !str_eq(req.id, id))
			fail_msg("%s: id not echoed", c->name);
		if (!c->echoed && req.id != NULL)
			fail_msg("%s: id of %zu bytes echoed", c->name,
			    c->idlen);
		proto_req_fini(&req);
		free(msg);
		free(id);
	}
}

/*
 * Each malformed request fails with its code and a message; the id is
 * still read when the JSON object could be parsed.
 */
static void
test_decode_errors(void **state)
{
	static const struct err_case {
		const char	*name;
		const char	*in;
		size_t		 len;
		int		 code;
		const char	*id;	/* echoed though decoding failed */
		const char	*why;	/* a substring of the message */
	} cases[] = {
		{ "empty", "", 0, PROTO_EBADREQ, NULL, "empty message" },
		{ "overlong slash", BYTES("{\"v\":1,\"op\":\"\xc0\xaf\"}"),
		    PROTO_EBADREQ, NULL, "not UTF-8" },
		{ "overlong 3 bytes",
		    BYTES("{\"v\":1,\"op\":\"\xe0\x80\xaf\"}"),
		    PROTO_EBADREQ, NULL, "not UTF-8" },
		{ "overlong 4 bytes",
		    BYTES("{\"v\":1,\"op\":\"\xf0\x80\x80\xaf\"}"),
		    PROTO_EBADREQ, NULL, "not UTF-8" },
		{ "surrogate", BYTES("{\"v\":1,\"op\":\"\xed\xa0\x80\"}"),
		    PROTO_EBADREQ, NULL, "not UTF-8" },
		{ "past U+10FFFF",
		    BYTES("{\"v\":1,\"op\":\"\xf4\x90\x80\x80\"}"),
		    PROTO_EBADREQ, NULL, "not UTF-8" },
		{ "truncated sequence", BYTES("{\"v\":1,\"op\":\"\xe2\x82\"}"),
		    PROTO_EBADREQ, NULL, "not UTF-8" },
		{ "truncated at the end",
		    BYTES("{\"v\":1,\"op\":\"sys.ping\"}\xe2\x82"),
		    PROTO_EBADREQ, NULL, "not UTF-8" },
		{ "lone continuation", BYTES("{\"v\":1,\"op\":\"\x80\"}"),
		    PROTO_EBADREQ, NULL, "not UTF-8" },
		{ "byte 0xff", BYTES("{\"v\":1,\"op\":\"\xff\"}"),
		    PROTO_EBADREQ, NULL, "not UTF-8" },
		{ "latin-1", BYTES("{\"v\":1,\"id\":\"caf\xe9\",\"op\":\"x\"}"),
		    PROTO_EBADREQ, NULL, "not UTF-8" },
		{ "not JSON", BYTES("hello"), PROTO_EBADREQ, NULL, "not JSON" },
		{ "unfinished object", BYTES("{\"v\":1,\"op\":"),
		    PROTO_EBADREQ, NULL, "not JSON" },
		{ "single quotes", BYTES("{'v':1,'op':'sys.ping'}"),
		    PROTO_EBADREQ, NULL, "not JSON" },
		{ "only whitespace", BYTES(" \n"), PROTO_EBADREQ, NULL,
		    "not JSON" },
		{ "only a NUL", BYTES("\0"), PROTO_EBADREQ, NULL,
		    "empty message" },
		{ "raw control in a string",
		    BYTES("{\"v\":1,\"id\":\"a\x01b\",\"op\":\"sys.ping\"}"),
		    PROTO_EBADREQ, NULL, "control character" },
		{ "raw newline in an id",
		    BYTES("{\"v\":1,\"id\":\"x\n<0>y\",\"op\":\"p\"}"),
		    PROTO_EBADREQ, NULL, "control character" },
		{ "NUL escape cuts a token",
		    BYTES("{\"v\":1,\"op\":\"sys.ping\","
		    "\"token\":\"good\\u0000junk\"}"),
		    PROTO_EBADREQ, NULL, "NUL" },
		{ "NUL byte inside",
		    BYTES("{\"v\":1,\"op\":\"sys\0ping\"}"),
		    PROTO_EBADREQ, NULL, "control character" },
		{ "array", BYTES("[{\"v\":1,\"op\":\"sys.ping\"}]"),
		    PROTO_EBADREQ, NULL, "not a JSON object" },
		{ "string", BYTES("\"sys.ping\""), PROTO_EBADREQ, NULL,
		    "not a JSON object" },
		{ "number", BYTES("42"), PROTO_EBADREQ, NULL,
		    "not a JSON object" },
		{ "null", BYTES("null"), PROTO_EBADREQ, NULL,
		    "not a JSON object" },
		{ "garbage after", BYTES("{\"v\":1,\"id\":\"g\","
		    "\"op\":\"sys.ping\"}garbage"), PROTO_EBADREQ, NULL,
		    "bytes after the JSON value" },
		{ "two objects", BYTES("{\"v\":1,\"op\":\"a\"} {\"v\":1}"),
		    PROTO_EBADREQ, NULL, "bytes after the JSON value" },
		{ "garbage after NUL",
		    BYTES("{\"v\":1,\"op\":\"sys.ping\"}\0x"), PROTO_EBADREQ,
		    NULL, "control character" },
		{ "v missing", BYTES("{\"id\":\"c-1\",\"op\":\"sys.ping\"}"),
		    PROTO_EVERSION, "c-1", "v: " },
		{ "v 2", BYTES("{\"v\":2,\"id\":\"c-2\",\"op\":\"sys.ping\"}"),
		    PROTO_EVERSION, "c-2", "v: " },
		{ "v 0", BYTES("{\"v\":0,\"id\":\"c-3\",\"op\":\"sys.ping\"}"),
		    PROTO_EVERSION, "c-3", "v: " },
		{ "v 1.5", BYTES("{\"v\":1.5,\"id\":\"c-4\",\"op\":\"x\"}"),
		    PROTO_EVERSION, "c-4", "v: " },
		{ "v string",
		    BYTES("{\"v\":\"1\",\"id\":\"c-5\",\"op\":\"x\"}"),
		    PROTO_EVERSION, "c-5", "v: " },
		{ "v null", BYTES("{\"v\":null,\"id\":\"c-6\",\"op\":\"x\"}"),
		    PROTO_EVERSION, "c-6", "v: " },
		{ "v true", BYTES("{\"v\":true,\"id\":\"c-7\",\"op\":\"x\"}"),
		    PROTO_EVERSION, "c-7", "v: " },
		{ "op missing", BYTES("{\"v\":1,\"id\":\"o-1\"}"),
		    PROTO_EBADREQ, "o-1", "op: required string" },
		{ "op empty", BYTES("{\"v\":1,\"id\":\"o-2\",\"op\":\"\"}"),
		    PROTO_EBADREQ, "o-2", "op: required string" },
		{ "op number", BYTES("{\"v\":1,\"id\":\"o-3\",\"op\":7}"),
		    PROTO_EBADREQ, "o-3", "op: required string" },
		{ "op null", BYTES("{\"v\":1,\"id\":\"o-4\",\"op\":null}"),
		    PROTO_EBADREQ, "o-4", "op: required string" },
		{ "op array", BYTES("{\"v\":1,\"id\":\"o-5\",\"op\":[\"x\"]}"),
		    PROTO_EBADREQ, "o-5", "op: required string" },
		{ "args array", BYTES("{\"v\":1,\"id\":\"a-1\",\"op\":\"x\","
		    "\"args\":[1]}"), PROTO_EARGS, "a-1",
		    "args: must be an object" },
		{ "args string", BYTES("{\"v\":1,\"id\":\"a-2\",\"op\":\"x\","
		    "\"args\":\"{}\"}"), PROTO_EARGS, "a-2",
		    "args: must be an object" },
		{ "args number", BYTES("{\"v\":1,\"id\":\"a-3\",\"op\":\"x\","
		    "\"args\":0}"), PROTO_EARGS, "a-3",
		    "args: must be an object" },
		{ "args false", BYTES("{\"v\":1,\"id\":\"a-4\",\"op\":\"x\","
		    "\"args\":false}"), PROTO_EARGS, "a-4",
		    "args: must be an object" },
	};

	(void)state;
	for (size_t i = 0; i < NCASES(cases); i++) {
		const struct err_case *c = &cases[i];
		struct proto_req req;
		char why[PROTO_WHY_MAX] = "";
		int rc;

		rc = decode(c->in, c->len, &req, why, sizeof(why));
		if (rc != c->code)
			fail_msg("%s: rc %s, want %s (%s)", c->name,
			    proto_err_code(rc), proto_err_code(c->code), why);
		if (strstr(why, c->why) == NULL)
			fail_msg("%s: why \"%s\", want \"%s\"", c->name, why,
			    c->why);
		if (!str_eq(req.id, c->id))
			fail_msg("%s: id \"%s\", want \"%s\"", c->name,
			    nul(req.id), nul(c->id));
		if (c->code != PROTO_EARGS && req.op != NULL)
			fail_msg("%s: op set on failure", c->name);
		if (req.args != NULL)
			fail_msg("%s: args set on failure", c->name);
		proto_req_fini(&req);
		assert_null(req.root);
		assert_null(req.id);
	}
}

/* A why buffer too small for the message is truncated, never overrun. */
static void
test_decode_short_why(void **state)
{
	struct proto_req req;
	char why[8];

	(void)state;
	memset(why, 'x', sizeof(why));
	assert_int_equal(decode(BYTES("[]"), &req, why, 4), PROTO_EBADREQ);
	assert_string_equal(why, "not");
	assert_int_equal(why[4], 'x');
	proto_req_fini(&req);
}

/* An ok reply decodes back to its id, ok=true and the result given. */
static void
test_reply_ok_roundtrip(void **state)
{
	struct proto_reply rep;
	char why[PROTO_WHY_MAX];
	cJSON *result;
	char *buf;
	size_t len = 0;

	(void)state;
	result = cJSON_CreateObject();
	assert_non_null(result);
	cJSON_AddStringToObject(result, "slot", "gp-dupont/20261123T130000Z");
	cJSON_AddNumberToObject(result, "n", 3);
	buf = proto_reply_ok("c-42", result, &len);
	assert_non_null(buf);
	assert_int_equal(len, strlen(buf));
	assert_int_equal(proto_reply_decode(buf, len, &rep, why, sizeof(why)),
	    0);
	assert_string_equal(rep.id, "c-42");
	assert_true(rep.ok);
	assert_int_equal(rep.err, -1);
	assert_null(rep.code);
	assert_true(cJSON_IsObject(rep.result));
	assert_string_equal(cJSON_GetObjectItemCaseSensitive(rep.result,
	    "slot")->valuestring, "gp-dupont/20261123T130000Z");
	assert_int_equal(cJSON_GetObjectItemCaseSensitive(rep.result,
	    "n")->valueint, 3);
	proto_reply_fini(&rep);
	cJSON_free(buf);

	/* A NULL result is an empty object; a NULL id is a JSON null. */
	buf = proto_reply_ok(NULL, NULL, &len);
	assert_non_null(buf);
	assert_non_null(strstr(buf, "\"id\":null"));
	assert_non_null(strstr(buf, "\"v\":1"));
	assert_int_equal(proto_reply_decode(buf, len, &rep, why, sizeof(why)),
	    0);
	assert_null(rep.id);
	assert_true(rep.ok);
	assert_true(cJSON_IsObject(rep.result));
	assert_int_equal(cJSON_GetArraySize(rep.result), 0);
	proto_reply_fini(&rep);
	cJSON_free(buf);

	/* A result need not be an object, and lenp may be NULL. */
	buf = proto_reply_ok("l", cJSON_CreateArray(), NULL);
	assert_non_null(buf);
	assert_int_equal(proto_reply_decode(buf, strlen(buf), &rep, why,
	    sizeof(why)), 0);
	assert_true(cJSON_IsArray(rep.result));
	proto_reply_fini(&rep);
	cJSON_free(buf);
}

/*
 * An error reply decodes back to its code and message, for every code;
 * a NULL or empty message gives the code's default text.
 */
static void
test_reply_err_roundtrip(void **state)
{
	static const char *const msgs[] = {
		"slot gp-dupont/20261123T130000Z is booked",
		"args.patient.name: required string",
		"quote \" backslash \\ tab \t \xc3\xa9",
		NULL,
		"",
	};

	(void)state;
	for (int err = 0; err < PROTO_ERR_COUNT; err++) {
		for (size_t m = 0; m < NCASES(msgs); m++) {
			struct proto_reply rep;
			char why[PROTO_WHY_MAX];
			const char *want;
			size_t len = 0;
			char *buf;

			want = msgs[m] != NULL && *msgs[m] != '\0' ? msgs[m] :
			    proto_err_text(err);
			buf = proto_reply_err(m % 2 ? NULL : "e-1", err,
			    msgs[m], &len);
			assert_non_null(buf);
			assert_int_equal(len, strlen(buf));
			if (proto_reply_decode(buf, len, &rep, why,
			    sizeof(why)) != 0)
				fail_msg("%s, message %zu: %s",
				    proto_err_code(err), m, why);
			if (rep.ok)
				fail_msg("%s: ok is true", proto_err_code(err));
			if (rep.err != err)
				fail_msg("%s: decoded as %d",
				    proto_err_code(err), rep.err);
			if (!str_eq(rep.code, proto_err_code(err)))
				fail_msg("%s: code %s", proto_err_code(err),
				    rep.code);
			if (!str_eq(rep.message, want))
				fail_msg("%s, message %zu: \"%s\"",
				    proto_err_code(err), m, rep.message);
			if (!str_eq(rep.id, m % 2 ? NULL : "e-1"))
				fail_msg("%s, message %zu: id",
				    proto_err_code(err), m);
			proto_reply_fini(&rep);
			cJSON_free(buf);
		}
	}
}

/* An error number outside the table is sent as E_INTERNAL. */
static void
test_reply_err_out_of_range(void **state)
{
	static const int errs[] = { -1, PROTO_ERR_COUNT, 1000, INT32_MIN };

	(void)state;
	for (size_t i = 0; i < NCASES(errs); i++) {
		struct proto_reply rep;
		char why[PROTO_WHY_MAX];
		size_t len;
		char *buf = proto_reply_err("x", errs[i], NULL, &len);

		assert_non_null(buf);
		assert_int_equal(proto_reply_decode(buf, len, &rep, why,
		    sizeof(why)), 0);
		if (rep.err != PROTO_EINTERNAL)
			fail_msg("err %d: decoded as %s", errs[i], rep.code);
		assert_string_equal(rep.message,
		    proto_err_text(PROTO_EINTERNAL));
		proto_reply_fini(&rep);
		cJSON_free(buf);
	}
}

/* Malformed replies are refused with a message, never half-decoded. */
static void
test_reply_decode_errors(void **state)
{
	static const struct {
		const char	*name;
		const char	*in;
		size_t		 len;
	} cases[] = {
		{ "empty", "", 0 },
		{ "not JSON", BYTES("nope") },
		{ "array", BYTES("[1]") },
		{ "no v", BYTES("{\"id\":\"a\",\"ok\":true}") },
		{ "v 2", BYTES("{\"v\":2,\"id\":\"a\",\"ok\":true}") },
		{ "no ok", BYTES("{\"v\":1,\"id\":\"a\",\"result\":{}}") },
		{ "ok string", BYTES("{\"v\":1,\"ok\":\"true\"}") },
		{ "error without code", BYTES("{\"v\":1,\"ok\":false,"
		    "\"error\":{\"message\":\"m\"}}") },
		{ "error not object", BYTES("{\"v\":1,\"ok\":false,"
		    "\"error\":\"E_INTERNAL\"}") },
		{ "garbage after", BYTES("{\"v\":1,\"ok\":true}x") },
		{ "ok without result", BYTES("{\"v\":1,\"id\":\"a\","
		    "\"ok\":true}") },
	};

	(void)state;
	for (size_t i = 0; i < NCASES(cases); i++) {
		struct proto_reply rep;
		char why[PROTO_WHY_MAX] = "";

		if (proto_reply_decode(cases[i].in, cases[i].len, &rep, why,
		    sizeof(why)) != -1)
			fail_msg("%s: accepted", cases[i].name);
		if (why[0] == '\0')
			fail_msg("%s: no message", cases[i].name);
		proto_reply_fini(&rep);
	}
}

/* An error code unknown to this client decodes with err -1, code kept. */
static void
test_reply_decode_unknown_code(void **state)
{
	static const char msg[] = "{\"v\":1,\"id\":\"z\",\"ok\":false,"
	    "\"error\":{\"code\":\"E_FUTURE\"}}";
	struct proto_reply rep;
	char why[PROTO_WHY_MAX];

	(void)state;
	assert_int_equal(proto_reply_decode(msg, sizeof(msg) - 1, &rep, why,
	    sizeof(why)), 0);
	assert_false(rep.ok);
	assert_int_equal(rep.err, -1);
	assert_string_equal(rep.code, "E_FUTURE");
	assert_string_equal(rep.message, "");
	proto_reply_fini(&rep);
}

/*
 * Every code parses back to itself; the table holds exactly the wire codes
 * of PROTOCOL.md; anything else parses to -1 and prints as E_INTERNAL.
 */
static void
test_err_table(void **state)
{
	static const char *const wire[] = {
		"E_BAD_REQUEST", "E_VERSION", "E_TOO_LARGE", "E_UNKNOWN_OP",
		"E_BAD_ARGS", "E_UNAUTHENTICATED", "E_FORBIDDEN",
		"E_NOT_FOUND", "E_SLOT_UNAVAILABLE", "E_SLOT_TAKEN",
		"E_HOLD_EXPIRED", "E_CONFLICT", "E_FEED", "E_NO_ONCALL",
		"E_UNAVAILABLE", "E_INTERNAL",
	};
	static const char *const unknown[] = {
		"", "E_", "e_bad_request", "E_BAD_REQUEST ", "E_NOPE", "ok",
	};
	static const int out[] = { -1, -1000, PROTO_ERR_COUNT, INT32_MAX };

	(void)state;
	for (int err = 0; err < PROTO_ERR_COUNT; err++) {
		const char *code = proto_err_code(err);

		if (proto_err_parse(code) != err)
			fail_msg("%d (%s): parses as %d", err, code,
			    proto_err_parse(code));
		if (proto_err_text(err)[0] == '\0')
			fail_msg("%s: empty text", code);
		if (err != PROTO_OK && strncmp(code, "E_", 2) != 0)
			fail_msg("%d: code %s", err, code);
	}
	assert_int_equal(NCASES(wire), PROTO_ERR_COUNT - 1);
	for (size_t i = 0; i < NCASES(wire); i++)
		if (proto_err_parse(wire[i]) <= PROTO_OK)
			fail_msg("%s: not in the table", wire[i]);
	assert_int_equal(proto_err_parse("E_BAD_ARGS"), PROTO_EARGS);
	assert_int_equal(proto_err_parse("E_VERSION"), PROTO_EVERSION);
	for (size_t i = 0; i < NCASES(unknown); i++)
		if (proto_err_parse(unknown[i]) != -1)
			fail_msg("\"%s\": parses", unknown[i]);
	assert_int_equal(proto_err_parse(NULL), -1);
	for (size_t i = 0; i < NCASES(out); i++) {
		assert_string_equal(proto_err_code(out[i]), "E_INTERNAL");
		assert_string_equal(proto_err_text(out[i]),
		    proto_err_text(PROTO_EINTERNAL));
	}
}

/* What proto_req_encode builds, proto_req_decode reads back unchanged. */
static void
test_req_roundtrip(void **state)
{
	struct proto_req req;
	char why[PROTO_WHY_MAX];
	cJSON *args, *patient;
	const cJSON *p;
	size_t len = 0;
	char *buf;

	(void)state;
	args = cJSON_CreateObject();
	assert_non_null(args);
	cJSON_AddStringToObject(args, "slot", "gp-dupont/20261123T130000Z");
	patient = cJSON_AddObjectToObject(args, "patient");
	assert_non_null(patient);
	cJSON_AddStringToObject(patient, "name", "Jos\xc3\xa9 \"Q\"");
	cJSON_AddNumberToObject(patient, "birth_year", 1950);
	buf = proto_req_encode("c-7", "booking.create", "tok", args, &len);
	assert_non_null(buf);
	assert_int_equal(len, strlen(buf));
	assert_int_equal(decode(buf, len, &req, why, sizeof(why)), PROTO_OK);
	cJSON_free(buf);
	assert_string_equal(req.id, "c-7");
	assert_string_equal(req.op, "booking.create");
	assert_string_equal(req.token, "tok");
	assert_string_equal(cJSON_GetObjectItemCaseSensitive(req.args,
	    "slot")->valuestring, "gp-dupont/20261123T130000Z");
	p = cJSON_GetObjectItemCaseSensitive(req.args, "patient");
	assert_true(cJSON_IsObject(p));
	assert_string_equal(cJSON_GetObjectItemCaseSensitive(p,
	    "name")->valuestring, "Jos\xc3\xa9 \"Q\"");
	assert_int_equal(cJSON_GetObjectItemCaseSensitive(p,
	    "birth_year")->valueint, 1950);
	proto_req_fini(&req);

	/* No id, token or args: null id, no token, empty args. */
	buf = proto_req_encode(NULL, "sys.ping", NULL, NULL, &len);
	assert_non_null(buf);
	assert_non_null(strstr(buf, "\"id\":null"));
	assert_null(strstr(buf, "token"));
	assert_int_equal(decode(buf, len, &req, why, sizeof(why)), PROTO_OK);
	cJSON_free(buf);
	assert_null(req.id);
	assert_string_equal(req.op, "sys.ping");
	assert_null(req.token);
	assert_true(cJSON_IsObject(req.args));
	assert_int_equal(cJSON_GetArraySize(req.args), 0);
	proto_req_fini(&req);
}

/* proto_parse takes any single JSON value, not only objects. */
static void
test_parse_values(void **state)
{
	static const char *const ok[] = { "1", "[]", "\"s\"", "null", "{}" };
	char why[PROTO_WHY_MAX];

	(void)state;
	for (size_t i = 0; i < NCASES(ok); i++) {
		cJSON *v = proto_parse(ok[i], strlen(ok[i]), why, sizeof(why));

		if (v == NULL)
			fail_msg("%s: %s", ok[i], why);
		cJSON_Delete(v);
	}
	assert_null(proto_parse("1 2", 3, why, sizeof(why)));
	assert_string_equal(why, "bytes after the JSON value");
}

/* An escaped backslash before "u0000" is text, not a NUL escape. */
static void
test_parse_escaped_backslash(void **state)
{
	static const char in[] = "{\"t\":\"a\\\\u0000b\",\"n\":\"\\n\"}";
	char why[PROTO_WHY_MAX];
	cJSON *v, *t;

	(void)state;
	v = proto_parse(in, sizeof(in) - 1, why, sizeof(why));
	if (v == NULL)
		fail_msg("refused: %s", why);
	t = cJSON_GetObjectItemCaseSensitive(v, "t");
	assert_string_equal(t->valuestring, "a\\u0000b");
	cJSON_Delete(v);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_decode_valid),
		cmocka_unit_test(test_decode_id_length),
		cmocka_unit_test(test_decode_errors),
		cmocka_unit_test(test_decode_short_why),
		cmocka_unit_test(test_reply_ok_roundtrip),
		cmocka_unit_test(test_reply_err_roundtrip),
		cmocka_unit_test(test_reply_err_out_of_range),
		cmocka_unit_test(test_reply_decode_errors),
		cmocka_unit_test(test_reply_decode_unknown_code),
		cmocka_unit_test(test_err_table),
		cmocka_unit_test(test_req_roundtrip),
		cmocka_unit_test(test_parse_escaped_backslash),
		cmocka_unit_test(test_parse_values),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
