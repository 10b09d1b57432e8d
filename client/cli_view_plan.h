/* snpctl view of the plan: a grid of sectors and hours per day. */
#pragma once

#include <stddef.h>

#include "client/cli_view.h"

/*
 * Per day, a table: one row per sector, one column per hour of the SNP
 * window, each cell target/reserved/booked, then "+N" when neighbouring
 * sectors cover N more and "!N" when N slots are missing.
 */
int	cli_view_plan(const struct cli_view_res *res, struct cli_out *out,
	    char *why, size_t whylen);
