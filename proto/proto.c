/* The snpd wire envelope: decode requests, encode replies, and back. */
#include "proto/proto.h"

#include <stdint.h>
#include <stdio.h>
#include <string.h>

static const struct {
	const char	*code;
	const char	*text;
} proto_errs[PROTO_ERR_COUNT] = {
#define X(e, c, m) [e] = { c, m },
	PROTO_ERRORS(X)
#undef X
};

const char *
proto_err_code(int err)
{
	if (err < 0 || err >= PROTO_ERR_COUNT)
		err = PROTO_EINTERNAL;
	return proto_errs[err].code;
}

const char *
proto_err_text(int err)
{
	if (err < 0 || err >= PROTO_ERR_COUNT)
		err = PROTO_EINTERNAL;
	return proto_errs[err].text;
}

int
proto_err_parse(const char *code)
{
	for (int i = 0; i < PROTO_ERR_COUNT; i++)
		if (code != NULL && strcmp(code, proto_errs[i].code) == 0)
			return i;
	return -1;
}

/*
 * Strict UTF-8 (RFC 3629): no overlong forms, no surrogates, nothing past
 * U+10FFFF. cJSON copies string bytes as they come, so without this check
 * a bad byte would travel into replies and the store.
 */
static bool
proto_utf8_valid(const unsigned char *s, size_t len)
{
	size_t i = 0;

	while (i < len) {
		unsigned char c = s[i];
		uint32_t cp;
		size_t n;

		if (c < 0x80) {
			i++;
			continue;
		}
		if (c >= 0xc2 && c <= 0xdf) {
			n = 1;
			cp = c & 0x1f;
		} else if (c >= 0xe0 && c <= 0xef) {
			n = 2;
			cp = c & 0x0f;
		} else if (c >= 0xf0 && c <= 0xf4) {
			n = 3;
			cp = c & 0x07;
		} else
			return false;
		if (len - i <= n)
			return false;
		for (size_t k = 1; k <= n; k++) {
			if ((s[i + k] & 0xc0) != 0x80)
				return false;
			cp = (cp << 6) | (s[i + k] & 0x3f);
		}
		if ((n == 2 && cp < 0x800) || (n == 3 && cp < 0x10000) ||
		    cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff))
			return false;
		i += n + 1;
	}
	return true;
}

/*
 * cJSON accepts raw control characters inside strings and cuts a string
 * at a \u0000 escape: a token "<valid>\u0000junk" would then authenticate
 * as <valid>, and an id would not echo as sent. JSON (RFC 8259) allows
 * no raw control character in a string, and we allow no NUL in one:
 * refuse both. Outside strings only \t \n \r may appear (whitespace).
 */
static bool
proto_controls_ok(const char *s, size_t len)
{
	bool in_string = false;

	for (size_t i = 0; i < len; i++) {
		unsigned char c = (unsigned char)s[i];

		if (!in_string) {
			if (c < 0x20 && c != '\t' && c != '\n' && c != '\r')
				return false;
			in_string = c == '"';
		} else if (c < 0x20)
			return false;
		else if (c == '"')
			in_string = false;
		else if (c == '\\' && i + 1 < len) {
			if (s[i + 1] == 'u' && len - i >= 6 &&
			    memcmp(s + i + 2, "0000", 4) == 0)
				return false;
			i++;	/* the escaped character is not special */
		}
	}
	return true;
}

cJSON *
proto_parse(const void *buf, size_t len, char *why, size_t whylen)
{
	const char *p = buf, *end = NULL;
	cJSON *root;

	/* Trailing NULs are framing (strlen + 1 senders), not content. */
	while (len > 0 && p[len - 1] == '\0')
		len--;
	if (len == 0) {
		snprintf(why, whylen, "empty message");
		return NULL;
	}
	if (!proto_utf8_valid(buf, len)) {
		snprintf(why, whylen, "not UTF-8");
		return NULL;
	}
	if (!proto_controls_ok(p, len)) {
		snprintf(why, whylen, "control character or NUL in the JSON");
		return NULL;
	}
	root = cJSON_ParseWithLengthOpts(p, len, &end, false);
	if (root == NULL) {
		snprintf(why, whylen, "not JSON");
		return NULL;
	}
	/*
	 * cJSON stops at the end of the first value: `{...}garbage` would
	 * otherwise pass as a request. Trailing NULs are tolerated because
	 * C clients often send strlen() + 1 bytes.
	 */
	for (; end < p + len; end++) {
		if (*end != ' ' && *end != '\t' && *end != '\r' &&
		    *end != '\n') {
			cJSON_Delete(root);
			snprintf(why, whylen, "bytes after the JSON value");
			return NULL;
		}
	}
	return root;
}

int
proto_req_decode(const void *buf, size_t len, struct proto_req *out,
    char *why, size_t whylen)
{
	static const cJSON empty_args = { .type = cJSON_Object };
	const cJSON *id, *v, *op, *token, *args;

	memset(out, 0, sizeof(*out));
	out->root = proto_parse(buf, len, why, whylen);
	if (out->root == NULL)
		return PROTO_EBADREQ;
	if (!cJSON_IsObject(out->root)) {
		snprintf(why, whylen, "not a JSON object");
		return PROTO_EBADREQ;
	}
	id = cJSON_GetObjectItemCaseSensitive(out->root, "id");
	if (cJSON_IsString(id) && strlen(id->valuestring) <= PROTO_ID_MAX)
		out->id = id->valuestring;

	v = cJSON_GetObjectItemCaseSensitive(out->root, "v");
	if (!cJSON_IsNumber(v) || v->valuedouble != PROTO_VERSION) {
		snprintf(why, whylen, "v: this server speaks version %d",
		    PROTO_VERSION);
		return PROTO_EVERSION;
	}
	op = cJSON_GetObjectItemCaseSensitive(out->root, "op");
	if (!cJSON_IsString(op) || op->valuestring[0] == '\0') {
		snprintf(why, whylen, "op: required string");
		return PROTO_EBADREQ;
	}
	token = cJSON_GetObjectItemCaseSensitive(out->root, "token");
	if (cJSON_IsString(token))
		out->token = token->valuestring;

	args = cJSON_GetObjectItemCaseSensitive(out->root, "args");
	if (args == NULL || cJSON_IsNull(args))
		args = &empty_args;
	else if (!cJSON_IsObject(args)) {
		out->op = op->valuestring;
		snprintf(why, whylen, "args: must be an object");
		return PROTO_EARGS;
	}
	out->op = op->valuestring;
	out->args = args;
	return PROTO_OK;
}

void
proto_req_fini(struct proto_req *req)
{
	cJSON_Delete(req->root);
	memset(req, 0, sizeof(*req));
}

/* Serialize and free root; NULL when out of memory. */
static char *
proto_print(cJSON *root, size_t *lenp)
{
	char *s = NULL;

	if (root != NULL)
		s = cJSON_PrintUnformatted(root);
	cJSON_Delete(root);
	if (s != NULL && lenp != NULL)
		*lenp = strlen(s);
	return s;
}

/* {"v":1,"id":...}; NULL when out of memory, never a partial envelope. */
static cJSON *
proto_envelope(const char *id)
{
	cJSON *root = cJSON_CreateObject();

	if (root == NULL ||
	    cJSON_AddNumberToObject(root, "v", PROTO_VERSION) == NULL ||
	    (id != NULL ? cJSON_AddStringToObject(root, "id", id) :
	    cJSON_AddNullToObject(root, "id")) == NULL) {
		cJSON_Delete(root);
		return NULL;
	}
	return root;
}

/* Add item to root under key, taking it; on failure both are freed. */
static cJSON *
proto_adopt(cJSON *root, const char *key, cJSON *item)
{
	if (root == NULL || item == NULL ||
	    !cJSON_AddItemToObject(root, key, item)) {
		cJSON_Delete(root);
		cJSON_Delete(item);
		return NULL;
	}
	return root;
}

char *
proto_reply_ok(const char *id, cJSON *result, size_t *lenp)
{
	cJSON *root = proto_envelope(id);

	if (result == NULL)
		result = cJSON_CreateObject();
	if (root != NULL && cJSON_AddTrueToObject(root, "ok") == NULL) {
		cJSON_Delete(root);
		root = NULL;
	}
	return proto_print(proto_adopt(root, "result", result), lenp);
}

char *
proto_reply_err(const char *id, int err, const char *message, size_t *lenp)
{
	cJSON *root = proto_envelope(id), *e = cJSON_CreateObject();

	if (root != NULL && cJSON_AddFalseToObject(root, "ok") == NULL) {
		cJSON_Delete(root);
		root = NULL;
	}
	if (e != NULL &&
	    (cJSON_AddStringToObject(e, "code", proto_err_code(err)) == NULL ||
	    cJSON_AddStringToObject(e, "message",
	    message != NULL && *message != '\0' ? message :
	    proto_err_text(err)) == NULL)) {
		cJSON_Delete(e);
		e = NULL;
	}
	return proto_print(proto_adopt(root, "error", e), lenp);
}

char *
proto_req_encode(const char *id, const char *op, const char *token,
    cJSON *args, size_t *lenp)
{
	cJSON *root = proto_envelope(id);

	if (root != NULL &&
	    (cJSON_AddStringToObject(root, "op", op) == NULL ||
	    (token != NULL &&
	    cJSON_AddStringToObject(root, "token", token) == NULL))) {
		cJSON_Delete(root);
		root = NULL;
	}
	if (args == NULL)
		return proto_print(root, lenp);
	return proto_print(proto_adopt(root, "args", args), lenp);
}

int
proto_reply_decode(const void *buf, size_t len, struct proto_reply *out,
    char *why, size_t whylen)
{
	const cJSON *v, *id, *ok, *e, *code, *msg;

	memset(out, 0, sizeof(*out));
	out->err = -1;
	out->root = proto_parse(buf, len, why, whylen);
	if (out->root == NULL)
		return -1;
	if (!cJSON_IsObject(out->root)) {
		snprintf(why, whylen, "not a version %d reply", PROTO_VERSION);
		return -1;
	}
	v = cJSON_GetObjectItemCaseSensitive(out->root, "v");
	ok = cJSON_GetObjectItemCaseSensitive(out->root, "ok");
	if (!cJSON_IsNumber(v) ||
	    v->valuedouble != PROTO_VERSION || !cJSON_IsBool(ok)) {
		snprintf(why, whylen, "not a version %d reply", PROTO_VERSION);
		return -1;
	}
	id = cJSON_GetObjectItemCaseSensitive(out->root, "id");
	if (cJSON_IsString(id))
		out->id = id->valuestring;
	out->ok = cJSON_IsTrue(ok);
	if (out->ok) {
		out->result = cJSON_GetObjectItemCaseSensitive(out->root,
		    "result");
		if (out->result == NULL) {
			snprintf(why, whylen, "ok reply without a result");
			return -1;
		}
		return 0;
	}
	e = cJSON_GetObjectItemCaseSensitive(out->root, "error");
	code = cJSON_GetObjectItemCaseSensitive(e, "code");
	msg = cJSON_GetObjectItemCaseSensitive(e, "message");
	if (!cJSON_IsString(code)) {
		snprintf(why, whylen, "error reply without a code");
		return -1;
	}
	out->code = code->valuestring;
	out->err = proto_err_parse(out->code);
	out->message = cJSON_IsString(msg) ? msg->valuestring : "";
	return 0;
}

void
proto_reply_fini(struct proto_reply *rep)
{
	cJSON_Delete(rep->root);
	memset(rep, 0, sizeof(*rep));
}
