/* snpctl report: the words of the command, and its two round trips. */
#pragma once

#include <stddef.h>

#include "client/cli.h"
#include "client/cli_cmd.h"
#include "proto/proto.h"

/*
 * report (--from DATE --to DATE | --quarter YYYYQn) [--sector ID]
 *        [--csv | --html FILE] [--per-gp [--threshold H]]
 *
 * Builds report.indicators' args {from, to, sector?, per_gp?,
 * threshold_h?} and req->asked {format, from, to, per_gp}, format being
 * "text", "csv" or "html"; --html sets req->output (unless FILE is -).
 */
int	cli_cmd_report_args(int argc, char **argv, struct cli_req *req,
	    char *why, size_t whylen);

/*
 * The send of the report command (struct cli_cmd): refuses --json
 * beside --csv or --html (CLI_EXIT_USAGE, nothing sent), then one
 * cli_net_call(); for --html, sys.status too, whose territory name goes
 * into req->asked as "territory" for the title. That second answer is a
 * nicety: when it fails, the report is made without it.
 */
int	cli_cmd_report_send(struct cli_ctx *ctx, struct cli_req *req,
	    struct proto_reply *rep, double *rtt_ms, char *why,
	    size_t whylen);
