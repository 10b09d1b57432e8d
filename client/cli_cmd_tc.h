/* snpctl tc: a nurse's teleconsultation requests, the words into a request. */
#pragma once

#include <stddef.h>

#include "client/cli_cmd.h"

/*
 * tc request --commune INSEE --reason R --patient NAME [--urgent]
 *     [--birth-year Y] [--callback PHONE]                   tc.request
 * tc ack|decline|show|cancel REQUEST                  tc.ack, tc.decline...
 * tc done REQUEST [--outcome TEXT]                          tc.done
 * tc list [--state S] [--from T] [--to T]                   tc.list
 *
 * Sets req->op; req->asked gets {sub} (the word after tc) for the view.
 * Values are checked for their form only; snpd checks the rest.
 */
int	cli_cmd_tc_args(int argc, char **argv, struct cli_req *req,
	    char *why, size_t whylen);
