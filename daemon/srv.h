/* nanomsg sockets on the loop: requests in (raw REP), events out (PUB). */
#pragma once

#include <stdbool.h>
#include <stddef.h>
#include <sys/types.h>
#include <stdint.h>

#include <cjson/cJSON.h>
#include <uv.h>

#include "daemon/cfg.h"
#include "proto/proto.h"

struct srv;

/*
 * One request in flight, from its receipt to its reply. The handler that
 * gets it must answer it exactly once, now or later (srv_reply_ok/_err);
 * the request is freed by the reply. Nothing in it points into the
 * config, which a reload may replace while the request waits.
 */
struct srv_req {
	struct srv		*srv;
	struct proto_req	 req;		/* decoded; op, args, id */
	char			 rid[PROTO_ID_MAX + 1];	/* id for logs, "-" */
	/* The principal, set by the dispatcher once the token is checked: */
	bool			 is_authed;
	enum cfg_role		 role;
	char			 who[CFG_ID_MAX + 1];	/* principal name */
	char			 gp[CFG_ID_MAX + 1];	/* role gp: its GP */
	uint64_t		 start_ms;
	void			*ctrl;		/* nanomsg routing header */
	struct srv_req		*prev, *next;	/* in flight */
};

/* Called for each decoded request; must lead to exactly one reply. */
typedef void	(*srv_request_fn)(void *arg, struct srv_req *r);
/* Called when draining and the last request in flight was answered. */
typedef void	(*srv_drained_fn)(void *arg);

struct srv_opts {
	const char	*rep_url;
	const char	*pub_url;
	size_t		 max_message_bytes;	/* over it: E_TOO_LARGE */
	/*
	 * One op (feed.push) may carry more, up to large_op_bytes: a
	 * message between the two limits is parsed, and refused unless it
	 * is that op.
	 */
	const char	*large_op;
	size_t		 large_op_bytes;
	/*
	 * nanomsg drops the connection of a peer sending more than this
	 * (NN_RCVMAXSIZE); above max_message_bytes so that a request a bit
	 * too large still gets its E_TOO_LARGE.
	 */
	size_t		 hard_max_bytes;
	unsigned	 max_in_flight;		/* E_UNAVAILABLE past it */
	/* ipc:// sockets are made mode 0660, and this group's: -1 keeps
	 * snpd's own. */
	gid_t		 socket_gid;
	srv_request_fn	 on_request;
	srv_drained_fn	 on_drained;
	void		*arg;
};

/*
 * Bind both sockets and start serving on loop. Returns 0 and *out, or -1
 * with why set ("server.rep: ipc:///run/snpd/snpd.sock: Address in use").
 */
int	srv_open(uv_loop_t *loop, const struct srv_opts *opts,
	    struct srv **out, char *why, size_t whylen);

/*
 * Shutdown, first step: from now on new requests are answered
 * E_UNAVAILABLE; on_drained runs once, when nothing is in flight (maybe
 * at once, from this call).
 */
void	srv_drain(struct srv *s);
/* Stop reading requests at all: the last moments before closing. */
void	srv_stop_reading(struct srv *s);
/* Close the sockets; the srv frees itself once libuv closed its polls. */
void	srv_close(struct srv *s);

/* Answer r and free it. result is taken (NULL: an empty object). */
void	srv_reply_ok(struct srv_req *r, cJSON *result);
/* Answer r with an error; message printf-style, NULL for the default. */
void	srv_reply_err(struct srv_req *r, int err, const char *fmt, ...)
	    __attribute__((format(printf, 3, 4)));

/* Publish "<topic> <json>" to subscribers, never blocking. */
void	srv_publish(struct srv *s, const char *msg, size_t len);

struct srv_stats {
	unsigned	in_flight;
	uint64_t	served;
	uint64_t	last_send_ms;	/* monotonic time of the last reply */
};
void	srv_stats(const struct srv *s, struct srv_stats *out);
