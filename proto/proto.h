/* The snpd wire envelope (PROTOCOL.md): one codec for snpd and snpctl. */
#pragma once

#include <stdbool.h>
#include <stddef.h>

#include <cjson/cJSON.h>

#define PROTO_VERSION	1
#define PROTO_ID_MAX	128	/* longest echoed request id, in bytes */
#define PROTO_WHY_MAX	256	/* room for an error message */

/*
 * Error codes of PROTOCOL.md, in one table: enum value, wire code, default
 * message. The wire codes are part of protocol version 1: never rename one.
 */
#define PROTO_ERRORS(X)							\
	X(PROTO_OK,		"OK",		 "ok")			\
	X(PROTO_EBADREQ,	"E_BAD_REQUEST", "not a request object")	\
	X(PROTO_EVERSION,	"E_VERSION",	 "unsupported protocol version") \
	X(PROTO_ETOOLARGE,	"E_TOO_LARGE",	 "message over the size limit") \
	X(PROTO_EUNKNOWNOP,	"E_UNKNOWN_OP",	 "no such operation")	\
	X(PROTO_EARGS,		"E_BAD_ARGS",	 "bad arguments")	\
	X(PROTO_EUNAUTH,	"E_UNAUTHENTICATED", "no or unknown token") \
	X(PROTO_EFORBIDDEN,	"E_FORBIDDEN",	 "not allowed for this principal") \
	X(PROTO_ENOTFOUND,	"E_NOT_FOUND",	 "no such object")	\
	X(PROTO_ESLOTUNAVAIL,	"E_SLOT_UNAVAILABLE", "slot is not reserved") \
	X(PROTO_ESLOTTAKEN,	"E_SLOT_TAKEN",	 "slot is booked or held") \
	X(PROTO_EHOLDEXPIRED,	"E_HOLD_EXPIRED", "the hold lapsed")	\
	X(PROTO_ECONFLICT,	"E_CONFLICT",	 "state does not allow it") \
	X(PROTO_EFEED,		"E_FEED",	 "calendar rejected")	\
	X(PROTO_ENOONCALL,	"E_NO_ONCALL",	 "nobody on call")	\
	X(PROTO_EUNAVAIL,	"E_UNAVAILABLE", "service unavailable")	\
	X(PROTO_EINTERNAL,	"E_INTERNAL",	 "internal error")

enum proto_err {
#define X(e, code, msg) e,
	PROTO_ERRORS(X)
#undef X
	PROTO_ERR_COUNT
};

/* Wire code ("E_BAD_ARGS") and default message of an error; never NULL. */
const char	*proto_err_code(int err);
const char	*proto_err_text(int err);
/* The enum value of a wire code, or -1 when the code is unknown. */
int		 proto_err_parse(const char *code);

/*
 * A decoded request. Every pointer borrows from root, which the request
 * owns: proto_req_fini() frees it all.
 */
struct proto_req {
	cJSON		*root;
	const char	*id;	/* NULL when absent or unreadable */
	const char	*op;	/* NULL only when decoding failed */
	const char	*token;	/* NULL when absent or not a string */
	const cJSON	*args;	/* an object; an empty one when absent */
};

/*
 * Decode one request of len bytes (not NUL-terminated). The caller has
 * already checked the size limit. Returns PROTO_OK, or PROTO_EBADREQ,
 * PROTO_EVERSION or PROTO_EARGS with a message in why. Even on failure
 * out->id is set when it could be read, so that the error reply echoes it;
 * call proto_req_fini() in every case.
 */
int		 proto_req_decode(const void *buf, size_t len,
		    struct proto_req *out, char *why, size_t whylen);
void		 proto_req_fini(struct proto_req *req);

/*
 * Encode a reply. proto_reply_ok() takes ownership of result (NULL means
 * an empty object). Both return a NUL-terminated buffer of *lenp bytes
 * (without the NUL) that the caller frees with cJSON_free(), or NULL when
 * out of memory.
 */
char		*proto_reply_ok(const char *id, cJSON *result, size_t *lenp);
char		*proto_reply_err(const char *id, int err, const char *message,
		    size_t *lenp);

/*
 * Client side: build a request (args is taken, NULL for none; token may
 * be NULL) into a buffer freed with cJSON_free(), or NULL.
 */
char		*proto_req_encode(const char *id, const char *op,
		    const char *token, cJSON *args, size_t *lenp);

/*
 * A decoded reply. result and message borrow from root; an ok reply
 * always has a result (decoding refuses one without).
 */
struct proto_reply {
	cJSON		*root;
	const char	*id;
	bool		 ok;
	const cJSON	*result;	/* when ok */
	int		 err;		/* when !ok: enum proto_err, or -1 */
	const char	*code;		/* when !ok: the wire code as sent */
	const char	*message;	/* when !ok */
};

/*
 * Decode a reply; returns 0, or -1 with why set when it is not a v1
 * reply. Call proto_reply_fini() in every case.
 */
int		 proto_reply_decode(const void *buf, size_t len,
		    struct proto_reply *out, char *why, size_t whylen);
void		 proto_reply_fini(struct proto_reply *rep);

/*
 * Check that buf holds one JSON value followed only by whitespace or NUL
 * bytes and that it is valid UTF-8; parse it. Returns the value (freed
 * with cJSON_Delete) or NULL with why set.
 */
cJSON		*proto_parse(const void *buf, size_t len, char *why,
		    size_t whylen);
