/* snpctl feed commands: the words of feeds, refresh, publish and avail. */
#pragma once

#include <stddef.h>

#include "client/cli_cmd.h"

/*
 * Largest calendar file publish reads. snpd takes less (feeds.max_bytes,
 * 10 MiB by default) and says so; this bound only stops a wrong file (a
 * disk image, /dev/zero) before it fills the memory.
 */
#define CLI_CMD_FEED_MAX_ICS	(64 * 1024 * 1024)

/*
 * The args functions of the cli_cmd table (struct cli_req says what they
 * return). feeds and refresh take [--gp ID].
 */
int	cli_cmd_feed_gp_args(int argc, char **argv, struct cli_req *req,
	    char *why, size_t whylen);

/*
 * publish --gp ID FILE: reads FILE ("-": standard input) whole. Returns
 * CLI_EXIT_USAGE when it cannot be read or is over CLI_CMD_FEED_MAX_ICS,
 * CLI_EXIT_REFUSED when it cannot be a calendar (not UTF-8 text); nothing
 * is sent then. req->asked gets {gp}.
 */
int	cli_cmd_feed_publish_args(int argc, char **argv, struct cli_req *req,
	    char *why, size_t whylen);

/*
 * avail --gp ID [--from T] [--to T]. --from defaults to today's date on
 * this machine's clock, --to to the day after --from's date; both are
 * checked as RFC 3339 times or dates. req->asked gets {gp, from, to}.
 */
int	cli_cmd_feed_avail_args(int argc, char **argv, struct cli_req *req,
	    char *why, size_t whylen);
