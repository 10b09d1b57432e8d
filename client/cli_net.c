/* snpctl's one request/reply round trip over a nanomsg REQ socket. */
#include "client/cli_net.h"

#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <nanomsg/nn.h>
#include <nanomsg/reqrep.h>

#include "client/cli_out.h"

static double
cli_net_now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec * 1e3 + (double)ts.tv_nsec / 1e6;
}

/* Opens the REQ socket with our timeouts; -1 with why set on failure. */
static int
cli_net_open(const struct cli_ctx *ctx, char *why, size_t whylen)
{
	/*
	 * A REQ socket resends a request that got no reply within
	 * NN_REQ_RESEND_IVL (default 60 s). snpd would then run a booking
	 * twice: make the interval longer than any wait of ours (the timeout
	 * is at most a day, INT_MAX ms is 24 days) so it never fires.
	 */
	int resend_ms = INT_MAX, maxsize = CLI_NET_MAX_REPLY, s;

	if ((s = nn_socket(AF_SP, NN_REQ)) < 0) {
		snprintf(why, whylen, "cannot open a socket: %s",
		    nn_strerror(nn_errno()));
		return -1;
	}
	if (nn_setsockopt(s, NN_SOL_SOCKET, NN_SNDTIMEO, &ctx->timeout_ms,
	    sizeof(ctx->timeout_ms)) != 0 ||
	    nn_setsockopt(s, NN_SOL_SOCKET, NN_RCVTIMEO, &ctx->timeout_ms,
	    sizeof(ctx->timeout_ms)) != 0 ||
	    nn_setsockopt(s, NN_REQ, NN_REQ_RESEND_IVL, &resend_ms,
	    sizeof(resend_ms)) != 0 ||
	    nn_setsockopt(s, NN_SOL_SOCKET, NN_RCVMAXSIZE, &maxsize,
	    sizeof(maxsize)) != 0) {
		snprintf(why, whylen, "cannot set socket options: %s",
		    nn_strerror(nn_errno()));
		nn_close(s);
		return -1;
	}
	return s;
}

/* "no reply from ipc:///… within 5 s (is snpd running?)" */
static int
cli_net_noreply(const struct cli_ctx *ctx, int err, char *why,
    size_t whylen)
{
	if (err == ETIMEDOUT)
		snprintf(why, whylen, "no reply from %s within %g s "
		    "(is snpd running?)", ctx->endpoint, ctx->timeout_s);
	else
		snprintf(why, whylen, "no reply from %s: %s", ctx->endpoint,
		    nn_strerror(err));
	return CLI_EXIT_NOREPLY;
}

int
cli_net_call(struct cli_ctx *ctx, const char *op, cJSON *args,
    struct proto_reply *rep, double *rtt_ms, char *why, size_t whylen)
{
	char id[64], rid[64], rwhy[PROTO_WHY_MAX];
	char *req = NULL;
	void *msg = NULL;
	size_t len = 0;
	double t0;
	int s, n, rc, err;

	memset(rep, 0, sizeof(*rep));
	ctx->has_timed_out = false;
	snprintf(id, sizeof(id), "snpctl-%ld-%u", (long)getpid(),
	    ++ctx->seq);
	/* proto_req_encode() takes args, on failure too. */
	if ((req = proto_req_encode(id, op, ctx->token, args, &len)) ==
	    NULL) {
		snprintf(why, whylen, "out of memory");
		return CLI_EXIT_NOREPLY;
	}
	if ((s = cli_net_open(ctx, why, whylen)) < 0) {
		rc = CLI_EXIT_NOREPLY;
		goto out_req;
	}
	if (nn_connect(s, ctx->endpoint) < 0) {
		snprintf(why, whylen, "endpoint %s: %s", ctx->endpoint,
		    nn_strerror(nn_errno()));
		rc = CLI_EXIT_USAGE;
		goto out_sock;
	}
	t0 = cli_net_now_ms();
	if (nn_send(s, req, len, 0) < 0) {
		rc = cli_net_noreply(ctx, nn_errno(), why, whylen);
		goto out_sock;
	}
	if ((n = nn_recv(s, &msg, NN_MSG, 0)) < 0) {
		err = nn_errno();
		/*
		 * snpd may have done it, unless no connection ever came up:
		 * a REQ socket queues the request until one does. An error
		 * of the statistic ((uint64_t)-1) counts as connected.
		 */
		ctx->has_timed_out = err == ETIMEDOUT && nn_get_statistic(s,
		    NN_STAT_ESTABLISHED_CONNECTIONS) > 0;
		rc = cli_net_noreply(ctx, err, why, whylen);
		goto out_sock;
	}
	*rtt_ms = cli_net_now_ms() - t0;

	rc = CLI_EXIT_NOREPLY;
	if (proto_reply_decode(msg, (size_t)n, rep, rwhy, sizeof(rwhy)) != 0)
		snprintf(why, whylen, "unreadable reply from %s: %s",
		    ctx->endpoint, rwhy);
	/*
	 * nanomsg already pairs a reply with its request; a different id
	 * means a peer that does not speak our protocol. Error replies to
	 * an unreadable request echo null: those are ours too.
	 */
	else if (rep->id == NULL && rep->ok)
		snprintf(why, whylen, "unreadable reply from %s: no request "
		    "id in it, expected %s", ctx->endpoint, id);
	else if (rep->id != NULL && strcmp(rep->id, id) != 0) {
		cli_out_clean(rep->id, rid, sizeof(rid));
		snprintf(why, whylen, "unreadable reply from %s: it answers "
		    "request %s, not %s", ctx->endpoint, rid, id);
	}
	else if (rep->ok && rep->result == NULL)
		snprintf(why, whylen, "unreadable reply from %s: no result",
		    ctx->endpoint);
	else
		rc = CLI_EXIT_OK;
	nn_freemsg(msg);
out_sock:
	nn_close(s);
out_req:
	/* The request holds the token: do not leave it in freed memory. */
	explicit_bzero(req, len);
	cJSON_free(req);
	return rc;
}
