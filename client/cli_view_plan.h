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

/*
 * "lun. 30/11" from "2026-11-30" into buf; the date itself, or "?" for
 * NULL, when it is no date.
 */
void	cli_view_plan_label(const char *date, char *buf, size_t len);
