/* snpctl views: each command's result, printed for a person. */
#pragma once

#include <stddef.h>

#include <cjson/cJSON.h>

#include "client/cli_out.h"

/* What a view reads: an ok reply's result and how long it took. */
struct cli_view_res {
	const cJSON	*result;	/* never NULL */
	double		 rtt_ms;
};

/*
 * Each view appends res, in words, to out and returns an exit status.
 * A field missing or of another type is skipped: an older or newer snpd
 * gets a partial view, never a crash. A result of the wrong shape (a
 * list where an object belongs) returns CLI_EXIT_NOREPLY with why set;
 * out must then not be flushed.
 */
int	cli_view_ping(const struct cli_view_res *res, struct cli_out *out,
	    char *why, size_t whylen);
int	cli_view_status(const struct cli_view_res *res, struct cli_out *out,
	    char *why, size_t whylen);
int	cli_view_gps(const struct cli_view_res *res, struct cli_out *out,
	    char *why, size_t whylen);
/* CLI_EXIT_REFUSED when the result says reloaded: false. */
int	cli_view_reload(const struct cli_view_res *res, struct cli_out *out,
	    char *why, size_t whylen);
/* The result as indented JSON, whatever its shape. */
int	cli_view_json(const struct cli_view_res *res, struct cli_out *out,
	    char *why, size_t whylen);
