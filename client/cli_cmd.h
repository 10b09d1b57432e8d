/* snpctl commands: the table, their help, argument checks, the run. */
#pragma once

#include <stddef.h>

#include <cjson/cJSON.h>

#include "client/cli.h"
#include "client/cli_out.h"

struct cli_view_res;
struct proto_reply;

/*
 * What a command's args function builds from its words (cli_cmd.c,
 * cli_cmd_feed.c and others have them). Such a function returns 0; -1
 * with why set on a usage error; or another exit status with why set
 * when a word is right but what it names is not (a file that cannot be
 * read). Whatever it returns, what it put in req is freed by the caller.
 */
struct cli_req {
	const char	*op;	/* preset from the table; `call` sets it */
	cJSON		*args;	/* owned until sent; NULL for none */
	/* Owned; for the view (cli_view_res) and the command's send. */
	cJSON		*asked;
	/* Where the output goes instead of stdout (borrowed), or NULL. */
	const char	*output;
};

/*
 * One command. Adding one is an entry in a table, plus an args function
 * when it takes words and a view: cli_cmd.c has the table of the service
 * commands, cli_cmds_book.c that of slots and bookings, cli_cmds_oncall.c
 * that of the on-call rota, teleconsultation requests and events,
 * cli_cmds_report.c that of the reports. A table ends with an entry
 * whose name is NULL.
 */
struct cli_cmd {
	const char	*name;
	const char	*op;		/* NULL: the args function sets it */
	const char	*usage;		/* after "snpctl " */
	const char	*summary;	/* one line in snpctl --help */
	const char	*help;		/* snpctl help NAME, after the usage */
	/* Default wait for the reply, seconds; 0: CLI_OPT_TIMEOUT_S. */
	double		 timeout_s;
	/*
	 * Checks the words after the command name (global options taken
	 * out) into req (struct cli_req says what it returns). NULL: the
	 * command takes no words.
	 */
	int		(*args)(int argc, char **argv, struct cli_req *req,
			    char *why, size_t whylen);
	/*
	 * Sends req in place of one cli_net_call(req->op, req->args), for a
	 * command that needs several round trips or retries (book). Same
	 * contract as cli_net_call(), req->args taken (set to NULL), *rep
	 * being the reply to show. NULL: one cli_net_call().
	 */
	int		(*send)(struct cli_ctx *ctx, struct cli_req *req,
			    struct proto_reply *rep, double *rtt_ms,
			    char *why, size_t whylen);
	/*
	 * Runs the whole command in place of the send and the show, for a
	 * command that is no request and reply (watch: a stream of events).
	 * Called with req as the args function built it, before any
	 * default is set in ctx (ctx->timeout_s is 0 unless --timeout was
	 * given) and before the token is looked for. Returns the exit
	 * status, with why set (and printed) when it is not CLI_EXIT_OK and
	 * why is not empty. NULL: a request.
	 */
	int		(*run)(struct cli_ctx *ctx, const struct cli_req *req,
			    char *why, size_t whylen);
	/* Prints the result for a person: a cli_view_* function. */
	int		(*show)(const struct cli_view_res *res,
			    struct cli_out *out, char *why, size_t whylen);
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
