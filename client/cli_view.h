/* snpctl views: each command's result, printed for a person. */
#pragma once

#include <stdbool.h>
#include <stddef.h>

#include <cjson/cJSON.h>

#include "client/cli_out.h"

/* What a view reads: an ok reply's result and how long it took. */
struct cli_view_res {
	const cJSON	*result;	/* never NULL */
	double		 rtt_ms;
	/*
	 * What the command line asked, for views that must name it (the
	 * GP published to, the days asked for): an object the command's
	 * args function built, or NULL.
	 */
	const cJSON	*asked;
};

/*
 * Result readers for views. A field missing or of another type reads as
 * absent (NULL, false): an older or newer snpd gets a partial view.
 */
const char	*cli_view_str(const cJSON *o, const char *key);
/* An integral number, exact in a double, into *v. */
bool		 cli_view_int(const cJSON *o, const char *key, long long *v);
/* A finite number, integral or not (hours, ratios), into *v. */
bool		 cli_view_num(const cJSON *o, const char *key, double *v);
/* 1 true, 0 false, -1 absent. */
int		 cli_view_bool(const cJSON *o, const char *key);
const char	*cli_view_plural(long long n, const char *one,
		    const char *many);
/* Appends a formatted part to buf, after ", " unless buf is empty. */
void		 cli_view_part(char *buf, size_t len, const char *fmt, ...)
		    __attribute__((format(printf, 3, 4)));

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
