/* snpctl slot and booking commands: the words of each, into a request. */
#pragma once

#include <stddef.h>

#include "client/cli_cmd.h"

/*
 * The args functions of the cli_cmds_book table (struct cli_req says what
 * they return). Every value is checked for its form only (a time, a whole
 * number, one of a few words); ranges are snpd's to check.
 */

/*
 * search [--from T] [--to T] [--sector ID | --commune INSEE]
 * [--no-neighbours] [--modality M] [--duration MIN] [--limit N]: --from
 * defaults to now on this machine's clock, --to to the end of --from's
 * day. req->asked gets a copy of the args.
 */
int	cli_cmd_book_search_args(int argc, char **argv, struct cli_req *req,
	    char *why, size_t whylen);

/* hold SLOT [--ttl SECONDS] */
int	cli_cmd_book_hold_args(int argc, char **argv, struct cli_req *req,
	    char *why, size_t whylen);

/* release HOLD; req->asked gets {hold}. */
int	cli_cmd_book_release_args(int argc, char **argv, struct cli_req *req,
	    char *why, size_t whylen);

/*
 * book (SLOT [--hold H] | --at TIME --sector ID) --name NAME [--phone P]
 * [--birth-year Y] [--commune INSEE] [--reason R] [--key K]
 * [--modality M]. The idempotency key is --key, else 128 random bits;
 * CLI_EXIT_REFUSED when the system gives none. With SLOT, req->args is
 * booking.create's whole; with --at it lacks slot and hold, and
 * req->asked gets {at, sector, modality?} for cli_book_send().
 */
int	cli_cmd_book_create_args(int argc, char **argv, struct cli_req *req,
	    char *why, size_t whylen);

/* cancel BOOKING [--reason R] */
int	cli_cmd_book_cancel_args(int argc, char **argv, struct cli_req *req,
	    char *why, size_t whylen);

/*
 * bookings [--from T] [--to T] [--gp ID] [--status S]: --from defaults
 * to today on this machine's clock, --to to 28 days after --from's day.
 */
int	cli_cmd_book_list_args(int argc, char **argv, struct cli_req *req,
	    char *why, size_t whylen);

/* booking BOOKING */
int	cli_cmd_book_show_args(int argc, char **argv, struct cli_req *req,
	    char *why, size_t whylen);

/* export GP [-o FILE]: req->output is FILE ("-": stdout, as without). */
int	cli_cmd_book_export_args(int argc, char **argv, struct cli_req *req,
	    char *why, size_t whylen);
