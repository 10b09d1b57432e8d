/* snpctl report --csv: the figures per GP, or per GP and week, as CSV. */
#pragma once

#include <stddef.h>

#include "client/cli_out.h"
#include "client/cli_view.h"

/*
 * RFC 4180 CSV with LF line ends (the RFC's CRLF is optional in practice,
 * and snpctl writes text lines): a header line, then, unless res->asked
 * has per_gp, one row per GP and a last row TOTAL (the sums of the rows
 * above):
 *   gp,name,sector,offered_h,reserved_h,reserved,booked,seen,tc_accepted
 * and with per_gp (--per-gp), one row per GP and ISO week, from the
 * result's gp_weeks (CLI_EXIT_NOREPLY with why set when it has none):
 *   gp,name,sector,week,offered_h,reserved_h,below_threshold,booked,
 *   seen_48h,tc_accepted
 * A field holding a comma, a double quote or a line end is quoted, its
 * quotes doubled. Hours have two decimals at most, '.' as the decimal
 * point; below_threshold is true or false.
 */
int	cli_view_report_csv(const struct cli_view_res *res,
	    struct cli_out *out, char *why, size_t whylen);
