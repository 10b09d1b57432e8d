/* snpctl's one request/reply round trip over a nanomsg REQ socket. */
#pragma once

#include <stddef.h>

#include <cjson/cJSON.h>

#include "client/cli.h"
#include "proto/proto.h"

/* Largest reply accepted: a year of bookings fits, a runaway peer not. */
#define CLI_NET_MAX_REPLY	(256 * 1024 * 1024)

/*
 * Sends op with args (taken; NULL for none) to ctx->endpoint with
 * ctx->token, and waits up to ctx->timeout_ms for the reply. Returns
 * CLI_EXIT_OK with *rep decoded (an error reply included: check rep->ok)
 * and *rtt_ms the round trip time; or CLI_EXIT_NOREPLY (no reply in time,
 * not a v1 reply, another request's id, an ok reply without result) or
 * CLI_EXIT_USAGE (nanomsg refused the endpoint), with why set. Call
 * proto_reply_fini(rep) in every case.
 */
int	cli_net_call(struct cli_ctx *ctx, const char *op, cJSON *args,
	    struct proto_reply *rep, double *rtt_ms, char *why,
	    size_t whylen);
