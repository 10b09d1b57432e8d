/* snpctl global options: parsing, then defaults from the environment. */
#pragma once

#include <stdbool.h>
#include <stddef.h>

#include "client/cli.h"
#include "proto/rfc3339.h"

#define CLI_OPT_ENDPOINT	"ipc:///run/snpd/snpd.sock"
/* snpd's own default for server.pub, where it publishes its events. */
#define CLI_OPT_PUB		"ipc:///run/snpd/events.sock"
#define CLI_OPT_TIMEOUT_S	5.0
#define CLI_OPT_TIMEOUT_MAX_S	86400.0

/*
 * Matches argv[*i] against an option taking a value, name being
 * "--sector": "--sector VALUE" or "--sector=VALUE". Returns 1 with *value
 * set (borrowed from argv) and *i on the last word used, 0 when argv[*i]
 * is something else, or -1 with why set when the value is missing.
 */
int	cli_opt_value(int argc, char **argv, int *i, const char *name,
	    const char **value, char *why, size_t whylen);

/*
 * An option of a command: with a value (value set) or a flag (is_set
 * set). A list of them ends with a NULL name.
 */
struct cli_opt_word {
	const char	 *name;
	const char	**value;	/* borrowed from argv; NULL if absent */
	bool		 *is_set;
};

/*
 * Reads a command's words into opts and, when pos is not NULL, one word
 * that is not an option (an identifier) into *pos. A value may not be
 * empty. Returns 0, or -1 with why set.
 */
int	cli_opt_words(int argc, char **argv, const struct cli_opt_word *opts,
	    const char **pos, char *why, size_t whylen);

/*
 * Takes argv[*i] (and its value) into ctx when it is a global option.
 * Returns 1 when taken, 0 when it is not a global option, or -1 with why
 * set when its value is bad (a timeout of "abc"): a usage error.
 */
int	cli_opt_global(struct cli_ctx *ctx, int argc, char **argv, int *i,
	    char *why, size_t whylen);

/*
 * Settles the endpoint, the timeout and the token from the options, the
 * environment and the token files, before anything is sent. Returns 0,
 * or -1 with why set (a usage error). Call cli_opt_fini() in every case.
 */
int	cli_opt_resolve(struct cli_ctx *ctx, char *why, size_t whylen);
/*
 * Settles ctx->pub, where snpd publishes its events: --pub, else
 * $SNP_PUB_ENDPOINT, else CLI_OPT_PUB. Returns 0, or -1 with why set
 * (a usage error). Needs no token: events are not authenticated.
 */
int	cli_opt_resolve_pub(struct cli_ctx *ctx, char *why, size_t whylen);
/* Wipes and frees the token. */
void	cli_opt_fini(struct cli_ctx *ctx);

/*
 * Dates of the command line (--from, --to): cli_opt_time checks s, an
 * RFC 3339 time or date given to name, into *t (-1 with why set);
 * cli_opt_day_after writes the date n days after the day s falls on (in
 * its own offset); cli_opt_today writes today's date by this machine's
 * clock (-1 with why set).
 */
int	cli_opt_time(const char *name, const char *s, struct rfc3339 *t,
	    char *why, size_t whylen);
void	cli_opt_day_after(const char *s, const struct rfc3339 *t, int n,
	    char buf[RFC3339_MAX]);
int	cli_opt_today(char buf[RFC3339_MAX], char *why, size_t whylen);

/*
 * A whole number above 0 given to name (--limit, --ttl): digits only, at
 * most 9 of them, into *v; -1 with why set. Ranges are snpd's to check:
 * its E_BAD_ARGS names the field.
 */
int	cli_opt_count(const char *name, const char *s, long *v, char *why,
	    size_t whylen);
