/* snpctl rota and oncall: the words of each, into a request. */
#pragma once

#include <stddef.h>

#include "client/cli.h"
#include "client/cli_cmd.h"
#include "proto/proto.h"

/*
 * rota [--from T] [--to T]                       rota.get
 * rota rebuild [--from T] [--to T]               rota.rebuild
 * rota assign SHIFT [--primary GP] [--backup GP] [--force]   rota.assign
 *
 * Sets req->op. Without --from or --to, snpd's own defaults apply (today
 * on its clock to the end of its horizon). SHIFT is a shift id
 * (20261124T130000Z), a time with its offset (2026-11-24T14:00:00+01:00,
 * turned into that id here), or the territory's wall clock without an
 * offset (2026-11-24T14:00): req->args then lacks shift and req->asked
 * gets {local, day, next} for cli_cmd_rota_send() to look it up.
 */
int	cli_cmd_rota_args(int argc, char **argv, struct cli_req *req,
	    char *why, size_t whylen);

/*
 * The send of the rota command (struct cli_cmd): one cli_net_call(), or,
 * for a SHIFT given as a wall-clock time, rota.get of that day, then
 * rota.assign of the shift starting then. *rep is the shift, or the
 * refusal that stopped it; CLI_EXIT_REFUSED with why set when no shift
 * starts then.
 */
int	cli_cmd_rota_send(struct cli_ctx *ctx, struct cli_req *req,
	    struct proto_reply *rep, double *rtt_ms, char *why,
	    size_t whylen);

/* oncall [--at T]: T a time with its offset; default snpd's now. */
int	cli_cmd_rota_oncall_args(int argc, char **argv, struct cli_req *req,
	    char *why, size_t whylen);
