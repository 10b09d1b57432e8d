/* snpctl commands: the table, their help, argument checks, the run. */
#pragma once

#include <stddef.h>

#include <cjson/cJSON.h>

#include "client/cli.h"
#include "client/cli_out.h"

struct cli_cmd;

/*
 * What a command's args function builds from its words (cli_cmd.c and
 * cli_cmd_feed.c have them). Such a function returns 0; -1 with why set
 * on a usage error; or another exit status with why set when a word is
 * right but what it names is not (a file that cannot be read). Whatever
 * it returns, what it put in req is freed by the caller.
 */
struct cli_req {
	const char	*op;	/* preset from the table; `call` sets it */
	cJSON		*args;	/* owned until sent; NULL for none */
	cJSON		*asked;	/* owned; for the view (cli_view_res) */
};

/* The command called name, or NULL. */
const struct cli_cmd *cli_cmd_find(const char *name);

/* Appends "  name  summary" lines, aligned, for the main help. */
void	cli_cmd_list(struct cli_out *out);

/* Appends the full help of cmd: usage, meaning, role, example. */
void	cli_cmd_help(const struct cli_cmd *cmd, struct cli_out *out);

/*
 * Prints "snpctl: why", cmd's usage line (or none when cmd is NULL) and
 * where to read more, on stderr. Returns CLI_EXIT_USAGE.
 */
int	cli_cmd_usage(const struct cli_cmd *cmd, const char *why);

/*
 * Runs cmd with the words after its name (global options may still come
 * among them): checks them, sends the request, prints the answer, and
 * returns the exit status. Messages go to stderr.
 */
int	cli_cmd_run(struct cli_ctx *ctx, const struct cli_cmd *cmd, int argc,
	    char **argv);
