/* snpctl watch: snpd's events as they are published, one line each. */
#pragma once

#include <stddef.h>

#include "client/cli.h"
#include "client/cli_cmd.h"

/* Reconnection to snpd's PUB socket after it went away, milliseconds. */
#define CLI_WATCH_RECONNECT_MS		100
#define CLI_WATCH_RECONNECT_MAX_MS	1000
/* Largest event accepted; nanomsg drops the connection past it. */
#define CLI_WATCH_MAX_EVENT		(16 * 1024 * 1024)

/*
 * watch [--count N] [--pretty] [TOPIC...]: req->asked gets {topics: [...],
 * count?, pretty?}. A TOPIC is a prefix of the topics wanted
 * ("booking.", "tc.request/gp-dupont"); none means every event.
 */
int	cli_watch_args(int argc, char **argv, struct cli_req *req, char *why,
	    size_t whylen);

/*
 * The run of the watch command (struct cli_cmd): subscribes on ctx's PUB
 * endpoint (cli_opt_resolve_pub) to req->asked's topics and prints each
 * event as it arrives, "<topic> <json>" exactly as received (a trailing
 * NUL dropped, a raw CR or LF made a space so that an event stays one
 * line; control characters shown as '?' on a terminal only), or with
 * --pretty a line for a person; each line is written at once. nanomsg
 * reconnects by itself when snpd restarts. Runs until SIGINT or SIGTERM
 * (CLI_EXIT_OK), until --count events were printed (CLI_EXIT_OK), or for
 * ctx->timeout_s seconds when set: CLI_EXIT_REFUSED if --count was given
 * and fewer events came, CLI_EXIT_OK otherwise. CLI_EXIT_USAGE for a bad
 * endpoint, CLI_EXIT_REFUSED when the output or the socket fails; why
 * set on every failure.
 */
int	cli_watch_run(struct cli_ctx *ctx, const struct cli_req *req,
	    char *why, size_t whylen);
