/* nanomsg sockets on the loop: requests in (raw REP), events out (PUB). */
#include "daemon/srv.h"

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <nanomsg/nn.h>
#include <nanomsg/pubsub.h>
#include <nanomsg/reqrep.h>

#include "daemon/clk.h"
#include "daemon/log.h"

struct srv {
	uv_loop_t	*loop;
	struct srv_opts	 opts;
	int		 rep;		/* AF_SP_RAW NN_REP */
	int		 pub;		/* NN_PUB */
	uv_poll_t	 rep_poll;
	int		 open_handles;	/* polls not yet closed */
	bool		 is_reading;
	bool		 is_draining;
	bool		 has_drained;	/* on_drained was called */
	bool		 is_closing;
	int		 poll_errors;	/* in a row */
	struct srv_req	*in_flight;	/* list head */
	unsigned	 n_in_flight;
	uint64_t	 served;
	uint64_t	 last_send_ms;
};

static void	srv_on_rep(uv_poll_t *h, int status, int events);

/* Nothing in flight any more while draining: say so, once. */
static void
srv_drained(struct srv *s)
{
	s->has_drained = true;
	if (s->opts.on_drained != NULL)
		s->opts.on_drained(s->opts.arg);
}

static void
srv_read_start(struct srv *s)
{
	if (s->is_reading || s->is_closing)
		return;
	if (uv_poll_start(&s->rep_poll, UV_READABLE, srv_on_rep) == 0)
		s->is_reading = true;
}

static void
srv_read_stop(struct srv *s)
{
	if (!s->is_reading)
		return;
	uv_poll_stop(&s->rep_poll);
	s->is_reading = false;
}

/* Open, configure and bind one socket; -1 with why on failure. */
static int
srv_socket(int domain, int proto, const char *url, const char *key,
    int rcvmax, gid_t gid, char *why, size_t whylen)
{
	int fd = nn_socket(domain, proto);

	if (fd < 0) {
		snprintf(why, whylen, "%s: nn_socket: %s", key,
		    nn_strerror(nn_errno()));
		return -1;
	}
	if (rcvmax != 0 && nn_setsockopt(fd, NN_SOL_SOCKET, NN_RCVMAXSIZE,
	    &rcvmax, sizeof(rcvmax)) < 0) {
		snprintf(why, whylen, "%s: NN_RCVMAXSIZE: %s", key,
		    nn_strerror(nn_errno()));
		nn_close(fd);
		return -1;
	}
	if (nn_bind(fd, url) < 0) {
		snprintf(why, whylen, "%s: %s: %s", key, url,
		    nn_strerror(nn_errno()));
		nn_close(fd);
		return -1;
	}
	/*
	 * Connecting to a Unix socket needs write permission: snpd's umask
	 * (027) would leave its group out. The group may read and write;
	 * socket_gid hands the sockets to the clients' own group.
	 */
	if (strncmp(url, "ipc://", 6) == 0 && ((gid != (gid_t)-1 &&
	    chown(url + 6, (uid_t)-1, gid) != 0) ||
	    chmod(url + 6, 0660) != 0)) {
		snprintf(why, whylen, "%s: %s: %s", key, url + 6,
		    strerror(errno));
		nn_close(fd);
		return -1;
	}
	return fd;
}

int
srv_open(uv_loop_t *loop, const struct srv_opts *opts, struct srv **out,
    char *why, size_t whylen)
{
	struct srv *s;
	size_t optlen = sizeof(int);
	int rcvfd, rcvmax;

	*out = NULL;
	s = calloc(1, sizeof(*s));
	if (s == NULL) {
		snprintf(why, whylen, "out of memory");
		return -1;
	}
	s->loop = loop;
	s->opts = *opts;
	s->rep = s->pub = -1;
	/* The op name may live in a config a reload frees: our own copy. */
	if (opts->large_op != NULL &&
	    (s->opts.large_op = strdup(opts->large_op)) == NULL) {
		free(s);
		snprintf(why, whylen, "out of memory");
		return -1;
	}
	rcvmax = opts->hard_max_bytes > INT32_MAX ? INT32_MAX :
	    (int)opts->hard_max_bytes;
	/*
	 * Raw REP: a cooked one holds a single request, and a second
	 * nn_recv() drops it. Raw, each request keeps its routing header
	 * and may be answered in any order, so a slow one holds up nobody.
	 */
	s->rep = srv_socket(AF_SP_RAW, NN_REP, opts->rep_url, "server.rep",
	    rcvmax, opts->socket_gid, why, whylen);
	if (s->rep < 0)
		goto fail;
	s->pub = srv_socket(AF_SP, NN_PUB, opts->pub_url, "server.pub", 0,
	    opts->socket_gid, why, whylen);
	if (s->pub < 0)
		goto fail;
	/* This fd is only "readable when a message can be received". */
	if (nn_getsockopt(s->rep, NN_SOL_SOCKET, NN_RCVFD, &rcvfd,
	    &optlen) < 0) {
		snprintf(why, whylen, "server.rep: NN_RCVFD: %s",
		    nn_strerror(nn_errno()));
		goto fail;
	}
	if (uv_poll_init(loop, &s->rep_poll, rcvfd) != 0) {
		snprintf(why, whylen, "server.rep: cannot poll");
		goto fail;
	}
	s->rep_poll.data = s;
	s->open_handles = 1;
	/* They point into a config that a reload may free. */
	s->opts.rep_url = s->opts.pub_url = NULL;
	srv_read_start(s);
	*out = s;
	return 0;
fail:
	if (s->rep >= 0)
		nn_close(s->rep);
	if (s->pub >= 0)
		nn_close(s->pub);
	free((char *)(uintptr_t)s->opts.large_op);
	free(s);
	return -1;
}

static void
srv_req_unlink(struct srv_req *r)
{
	struct srv *s = r->srv;

	if (r->prev != NULL)
		r->prev->next = r->next;
	else
		s->in_flight = r->next;
	if (r->next != NULL)
		r->next->prev = r->prev;
	s->n_in_flight--;
}

/* Send body back along r's route, then free r. */
static void
srv_send(struct srv_req *r, const char *body, size_t len, const char *what)
{
	struct srv *s = r->srv;
	struct nn_msghdr hdr;
	struct nn_iovec iov;

	if (body != NULL) {
		memset(&hdr, 0, sizeof(hdr));
		iov.iov_base = (void *)(uintptr_t)body;
		iov.iov_len = len;
		hdr.msg_iov = &iov;
		hdr.msg_iovlen = 1;
		hdr.msg_control = &r->ctrl;
		hdr.msg_controllen = NN_MSG;
		/*
		 * nanomsg 1.1.5 takes the header even when the send fails
		 * (nn_sendmsg frees it with the message), so it is never ours
		 * again. A reply to a peer that has gone is dropped inside
		 * nanomsg and still "succeeds".
		 */
		if (nn_sendmsg(s->rep, &hdr, NN_DONTWAIT) < 0)
			log_warning("srv", "req=%s reply not sent: %s", r->rid,
			    nn_strerror(nn_errno()));
		r->ctrl = NULL;
	} else
		log_err("srv", "req=%s out of memory for the reply", r->rid);
	if (r->ctrl != NULL)
		nn_freemsg(r->ctrl);
	log_info("srv", "req=%s op=%s by=%s %s %llu ms", r->rid,
	    r->req.op != NULL ? r->req.op : "-", r->is_authed ? r->who : "-",
	    what, (unsigned long long)(clk_mono_ms() - r->start_ms));
	srv_req_unlink(r);
	proto_req_fini(&r->req);
	free(r);
	s->served++;
	s->last_send_ms = clk_mono_ms();

	if (s->is_draining && !s->has_drained && s->n_in_flight == 0)
		srv_drained(s);
}

void
srv_reply_ok(struct srv_req *r, cJSON *result)
{
	size_t len = 0;
	char *body = proto_reply_ok(r->req.id, result, &len);

	srv_send(r, body, len, "ok");
	cJSON_free(body);
}

void
srv_reply_err(struct srv_req *r, int err, const char *fmt, ...)
{
	char msg[PROTO_WHY_MAX * 2] = "";
	size_t len = 0;
	va_list ap;
	char *body;

	if (fmt != NULL) {
		va_start(ap, fmt);
		vsnprintf(msg, sizeof(msg), fmt, ap);
		va_end(ap);
	}
	if (err == PROTO_EINTERNAL)
		log_err("srv", "req=%s op=%s: internal error: %s", r->rid,
		    r->req.op != NULL ? r->req.op : "-", msg);
	body = proto_reply_err(r->req.id, err, msg, &len);
	srv_send(r, body, len, proto_err_code(err));
	cJSON_free(body);
}

/*
 * A client's string as it may appear in a log line: printable ASCII only,
 * so that an id such as "x\n<0>forged" cannot start a line of its own.
 */
static void
srv_log_safe(char *dst, size_t size, const char *src)
{
	size_t i;

	for (i = 0; i + 1 < size && src[i] != '\0'; i++)
		dst[i] = src[i] >= 0x20 && src[i] < 0x7f ? src[i] : '?';
	dst[i] = '\0';
}

/* Take one received message: size check, decode, hand over. */
static void
srv_take(struct srv *s, void *body, size_t len, void *ctrl)
{
	char why[PROTO_WHY_MAX];
	struct srv_req *r;
	int err;

	r = calloc(1, sizeof(*r));
	if (r == NULL) {
		/* No memory for a reply either: the client will time out. */
		nn_freemsg(ctrl);
		log_err("srv", "out of memory: request dropped");
		return;
	}
	r->srv = s;
	r->ctrl = ctrl;
	r->start_ms = clk_mono_ms();
	strcpy(r->rid, "-");
	r->next = s->in_flight;
	if (s->in_flight != NULL)
		s->in_flight->prev = r;
	s->in_flight = r;
	s->n_in_flight++;

	/* Sizes are checked before parsing: no work for an oversized one. */
	if (len > s->opts.max_message_bytes &&
	    (s->opts.large_op == NULL || len > s->opts.large_op_bytes)) {
		if (s->opts.large_op != NULL)
			srv_reply_err(r, PROTO_ETOOLARGE, "message of %zu "
			    "bytes, the limit is %zu (%zu for %s)", len,
			    s->opts.max_message_bytes, s->opts.large_op_bytes,
			    s->opts.large_op);
		else
			srv_reply_err(r, PROTO_ETOOLARGE, "message of %zu "
			    "bytes, the limit is %zu", len,
			    s->opts.max_message_bytes);
		return;
	}
	err = proto_req_decode(body, len, &r->req, why, sizeof(why));
	/* Past the normal limit, only a well-formed large op may pass. */
	if (len > s->opts.max_message_bytes && (err != PROTO_OK ||
	    strcmp(r->req.op, s->opts.large_op) != 0)) {
		srv_reply_err(r, PROTO_ETOOLARGE, "message of %zu bytes, the "
		    "limit is %zu", len, s->opts.max_message_bytes);
		return;
	}
	if (r->req.id != NULL)
		srv_log_safe(r->rid, sizeof(r->rid), r->req.id);
	if (err != PROTO_OK) {
		srv_reply_err(r, err, "%s", why);
		return;
	}
	if (s->is_draining) {
		srv_reply_err(r, PROTO_EUNAVAIL, "snpd is shutting down");
		return;
	}
	/*
	 * Past the cap, answer at once rather than stop reading: a stalled
	 * socket would leave every client, even a ping, without a reply.
	 */
	if (s->n_in_flight > s->opts.max_in_flight) {
		srv_reply_err(r, PROTO_EUNAVAIL, "too many requests in flight "
		    "(%u): try again", s->opts.max_in_flight);
		return;
	}
	log_info("srv", "req=%s op=%.64s received", r->rid, r->req.op);
	s->opts.on_request(s->opts.arg, r);
}

static void
srv_on_rep(uv_poll_t *h, int status, int events)
{
	struct srv *s = h->data;
	struct nn_msghdr hdr;
	struct nn_iovec iov;
	void *body, *ctrl;
	int n;

	(void)events;	/* a spurious wake-up just finds EAGAIN */
	if (status < 0) {
		/* libuv has stopped the handle: start it again, a few times. */
		log_err("srv", "rep poll: %s", uv_strerror(status));
		s->is_reading = false;
		if (++s->poll_errors <= 3)
			srv_read_start(s);
		else
			log_err("srv", "requests can no longer be read: "
			    "restart snpd");
		return;
	}
	s->poll_errors = 0;
	while (s->is_reading) {
		memset(&hdr, 0, sizeof(hdr));
		body = ctrl = NULL;
		iov.iov_base = &body;
		iov.iov_len = NN_MSG;
		hdr.msg_iov = &iov;
		hdr.msg_iovlen = 1;
		hdr.msg_control = &ctrl;
		hdr.msg_controllen = NN_MSG;
		n = nn_recvmsg(s->rep, &hdr, NN_DONTWAIT);
		if (n < 0) {
			if (nn_errno() != EAGAIN)
				log_err("srv", "rep recv: %s",
				    nn_strerror(nn_errno()));
			return;
		}
		srv_take(s, body, (size_t)n, ctrl);
		nn_freemsg(body);
	}
}

void
srv_drain(struct srv *s)
{
	s->is_draining = true;
	if (!s->has_drained && s->n_in_flight == 0)
		srv_drained(s);
}

void
srv_stop_reading(struct srv *s)
{
	srv_read_stop(s);
	s->is_closing = true;
}

static void
srv_poll_closed(uv_handle_t *h)
{
	struct srv *s = h->data;

	if (--s->open_handles == 0) {
		free((char *)(uintptr_t)s->opts.large_op);
		free(s);
	}
}

void
srv_close(struct srv *s)
{
	if (s == NULL)
		return;
	s->is_closing = true;
	srv_read_stop(s);
	/* Requests still in flight have no one left to answer them. */
	while (s->in_flight != NULL) {
		struct srv_req *r = s->in_flight;

		log_warning("srv", "req=%s dropped at shutdown", r->rid);
		srv_req_unlink(r);
		if (r->ctrl != NULL)
			nn_freemsg(r->ctrl);
		proto_req_fini(&r->req);
		free(r);
	}
	/* The poll goes first: it watches an fd that nn_close() closes. */
	uv_close((uv_handle_t *)&s->rep_poll, srv_poll_closed);
	nn_close(s->rep);
	nn_close(s->pub);
}

void
srv_publish(struct srv *s, const char *msg, size_t len)
{
	/* A slow subscriber misses events rather than block the loop. */
	if (nn_send(s->pub, msg, len, NN_DONTWAIT) < 0 &&
	    nn_errno() != EAGAIN)
		log_warning("srv", "publish: %s", nn_strerror(nn_errno()));
}

void
srv_stats(const struct srv *s, struct srv_stats *out)
{
	out->in_flight = s->n_in_flight;
	out->served = s->served;
	out->last_send_ms = s->last_send_ms;
}
