/* snpctl plan: the words of the command. */
#pragma once

#include <stddef.h>

#include "client/cli_cmd.h"

/*
 * plan [--from DATE] [--to DATE | --week] [--sector ID]: --from defaults
 * to today on this machine's clock, --to to the day after (--week: 7
 * days). req->asked gets {from, to}.
 */
int	cli_cmd_plan_args(int argc, char **argv, struct cli_req *req,
	    char *why, size_t whylen);
