/* libFuzzer target: any bytes through request decoding, replies back. */
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cjson/cJSON.h>

#include "proto/jarg.h"
#include "proto/proto.h"

#define FUZZ_MAX_KEYS	64	/* args members read by name */
#define FUZZ_UTC_1900	INT64_C(-2208988800)	/* 1900-01-01T00:00Z */
#define FUZZ_UTC_10000	INT64_C(253402300800)	/* 10000-01-01T00:00Z */

int	LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define CHECK(cond)	do { if (!(cond)) __builtin_trap(); } while (0)

static bool
str_eq(const char *a, const char *b)
{
	if (a == NULL || b == NULL)
		return a == b;
	return strcmp(a, b) == 0;
}

/*
 * A getter's verdict: 0 leaves why alone; -1 writes "<path>.<key>: <what>"
 * where <what> is one of the fixed texts, so that no value can leak in.
 */
static void
check_getter(int rc, const char *path, const char *key, const char *why)
{
	char prefix[PROTO_WHY_MAX];
	size_t n;
	const char *what;

	CHECK(rc == 0 || rc == -1);
	if (rc == 0) {
		CHECK(why[0] == '\0');
		return;
	}
	n = strlen(why);
	CHECK(n > 0 && n < PROTO_WHY_MAX);
	snprintf(prefix, sizeof(prefix), "%s.%s: ", path, key);
	if (strlen(prefix) + 24 >= PROTO_WHY_MAX)
		return;		/* a long key truncates the message */
	CHECK(strncmp(why, prefix, strlen(prefix)) == 0);
	what = why + strlen(prefix);
	CHECK(strncmp(what, "must ", 5) == 0 ||
	    strncmp(what, "required ", 9) == 0 ||
	    strncmp(what, "longer than ", 12) == 0);
}

/* Read obj[key] with every getter; each must either succeed or explain. */
static void
fuzz_getters(const cJSON *obj, const char *path, const char *key)
{
	char why[PROTO_WHY_MAX];
	struct rfc3339 t;
	const char *s;
	int64_t n;
	double d;
	bool b, present;
	int rc;

#define GETTER(call) do {						\
		why[0] = '\0';						\
		rc = (call);						\
		check_getter(rc, path, key, why);			\
	} while (0)

	GETTER(jarg_str(obj, path, key, 128, &s, why, sizeof(why)));
	if (rc == 0)
		CHECK(s != NULL && s[0] != '\0' && strlen(s) <= 128);
	GETTER(jarg_str_opt(obj, path, key, 16, &s, &present, why,
	    sizeof(why)));
	GETTER(jarg_int(obj, path, key, 1900, 2100, &n, why, sizeof(why)));
	if (rc == 0)
		CHECK(n >= 1900 && n <= 2100);
	GETTER(jarg_int(obj, path, key, INT64_MIN, INT64_MAX, &n, why,
	    sizeof(why)));
	GETTER(jarg_int_opt(obj, path, key, -1, 1, &n, &present, why,
	    sizeof(why)));
	if (rc == 0 && present)
		CHECK(n >= -1 && n <= 1);
	GETTER(jarg_num_opt(obj, path, key, -1e9, 1e9, &d, &present, why,
	    sizeof(why)));
	if (rc == 0 && present)
		CHECK(d >= -1e9 && d <= 1e9);
	GETTER(jarg_bool_opt(obj, path, key, &b, &present, why,
	    sizeof(why)));
	GETTER(jarg_time(obj, path, key, &t, why, sizeof(why)));
	/*
	 * A parsed instant formats and parses back to itself, within the
	 * years the parser takes (an offset can push 1900 or 9999 past).
	 */
	if (rc == 0 && !t.is_date && t.utc >= FUZZ_UTC_1900 &&
	    t.utc < FUZZ_UTC_10000) {
		char buf[RFC3339_MAX];
		struct rfc3339 back;

		CHECK(rfc3339_format(t.utc, 0, true, buf) > 0);
		CHECK(rfc3339_parse(buf, &back) == 0 && back.utc == t.utc);
	}
	GETTER(jarg_time_opt(obj, path, key, &t, &present, why,
	    sizeof(why)));
#undef GETTER
}

/* The getters over the fields ops read, then over every member present. */
static void
fuzz_args(const cJSON *args)
{
	static const char *const keys[] = {
		"gp", "slot", "hold", "from", "to", "at", "limit", "ttl_s",
		"force", "sector", "idempotency_key", "birth_year", "name",
	};
	const cJSON *it, *patient;
	int count = 0;

	for (size_t i = 0; i < sizeof(keys) / sizeof(keys[0]); i++)
		fuzz_getters(args, "args", keys[i]);
	patient = jarg_get(args, "patient");
	if (cJSON_IsObject(patient)) {
		fuzz_getters(patient, "args.patient", "name");
		fuzz_getters(patient, "args.patient", "birth_year");
	}
	cJSON_ArrayForEach(it, args) {
		if (++count > FUZZ_MAX_KEYS)
			break;
		if (it->string != NULL)
			fuzz_getters(args, "args", it->string);
	}
}

/* Decode a reply we encoded: it must read back as sent. */
static void
check_reply(char *buf, size_t len, const char *id, bool ok, int err,
    const char *message)
{
	struct proto_reply rep;
	char why[PROTO_WHY_MAX];

	if (buf == NULL)
		return;		/* out of memory */
	CHECK(len == strlen(buf));
	CHECK(proto_reply_decode(buf, len, &rep, why, sizeof(why)) == 0);
	CHECK(str_eq(rep.id, id));
	CHECK(rep.ok == ok);
	if (!ok) {
		if (err < 0 || err >= PROTO_ERR_COUNT)
			err = PROTO_EINTERNAL;
		CHECK(rep.err == err);
		CHECK(str_eq(rep.code, proto_err_code(err)));
		CHECK(str_eq(rep.message, message != NULL && *message != '\0' ?
		    message : proto_err_text(err)));
	}
	proto_reply_fini(&rep);
	cJSON_free(buf);
}

/* What the client encoder builds from a request decodes to the same. */
static void
check_reencode(const struct proto_req *req)
{
	struct proto_req again;
	char why[PROTO_WHY_MAX];
	size_t len = 0;
	char *buf;

	buf = proto_req_encode(req->id, req->op, req->token,
	    cJSON_Duplicate(req->args, true), &len);
	if (buf == NULL)
		return;
	CHECK(proto_req_decode(buf, len, &again, why, sizeof(why)) ==
	    PROTO_OK);
	CHECK(str_eq(again.id, req->id));
	CHECK(str_eq(again.op, req->op));
	CHECK(str_eq(again.token, req->token));
	CHECK(cJSON_GetArraySize(again.args) == cJSON_GetArraySize(req->args));
	proto_req_fini(&again);
	cJSON_free(buf);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct proto_req req;
	char why[PROTO_WHY_MAX] = "";
	size_t len = 0;
	int rc, err;
	char *buf;

	rc = proto_req_decode(data, size, &req, why, sizeof(why));
	/* An id is only ever read from a parsed object. */
	CHECK(req.id == NULL || req.root != NULL);
	CHECK(req.id == NULL || strlen(req.id) <= PROTO_ID_MAX);
	if (rc != PROTO_OK) {
		CHECK(rc == PROTO_EBADREQ || rc == PROTO_EVERSION ||
		    rc == PROTO_EARGS);
		CHECK(why[0] != '\0' && strlen(why) < sizeof(why));
		CHECK(req.args == NULL);
		/* The error reply srv sends, with the id echoed. */
		buf = proto_reply_err(req.id, rc, why, &len);
		check_reply(buf, len, req.id, false, rc, why);
		proto_req_fini(&req);
		return 0;
	}

	CHECK(req.root != NULL && req.op != NULL && req.op[0] != '\0');
	CHECK(cJSON_IsObject(req.args));
	fuzz_args(req.args);

	buf = proto_reply_ok(req.id, cJSON_Duplicate(req.args, true), &len);
	check_reply(buf, len, req.id, true, -1, NULL);
	/* Any error number, in the table or not, with the op as message. */
	err = (int)(size % (PROTO_ERR_COUNT + 2)) - 1;
	buf = proto_reply_err(req.id, err, req.op, &len);
	check_reply(buf, len, req.id, false, err, req.op);
	check_reencode(&req);

	proto_req_fini(&req);
	return 0;
}
