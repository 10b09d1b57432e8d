/* snpctl views of the feeds: their state, a push, a GP's time by day. */
#pragma once

#include <stddef.h>

#include "client/cli_out.h"
#include "client/cli_view.h"

/* Widest ERROR cell of the feeds table, in columns; --json has it all. */
#define CLI_VIEW_FEED_ERROR_COLS	72

/*
 * As every view (cli_view.h): res appended to out in words, an exit
 * status returned. Times are shown as the reply wrote them, that is in
 * the territory's time zone, whatever this machine's.
 */
/* feed.status: one row per feed and a count by state. */
int	cli_view_feed_status(const struct cli_view_res *res,
	    struct cli_out *out, char *why, size_t whylen);
/* feed.refresh: how many feeds will be read again. */
int	cli_view_feed_refresh(const struct cli_view_res *res,
	    struct cli_out *out, char *why, size_t whylen);
/* feed.push: what the calendar gave; res->asked names the GP. */
int	cli_view_feed_push(const struct cli_view_res *res,
	    struct cli_out *out, char *why, size_t whylen);
/*
 * avail.get: one block per day of the period in res->asked ({from, to}),
 * each kind of time on its own line.
 */
int	cli_view_feed_avail(const struct cli_view_res *res,
	    struct cli_out *out, char *why, size_t whylen);
