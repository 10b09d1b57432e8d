/* snpctl report --html: one self-contained page, printable on A4. */
#pragma once

#include <stddef.h>

#include "client/cli_out.h"
#include "client/cli_view.h"

/*
 * One HTML file that needs nothing else: no script, no network, its CSS
 * and SVG inline. Its title is res->asked's territory ("CPTS" when
 * absent), then the period, the SNP and teleconsultation indicators, the
 * per-GP table (and per GP and week when the result has gp_weeks), each
 * sector's coverage as a week by hour heatmap (cli_view_report_map.h),
 * and the gaps. Printed, it fits A4 pages: tables as wide as the page at
 * most, no heatmap cut by a page break, and every figure written, so
 * that black and white loses nothing. Returns CLI_EXIT_OK.
 */
int	cli_view_report_html(const struct cli_view_res *res,
	    struct cli_out *out, char *why, size_t whylen);

/*
 * Appends s (NULL: nothing) with &, <, >, " and ' escaped, for an
 * element's text or a quoted attribute value alike.
 */
void	cli_view_report_html_esc(struct cli_out *out, const char *s);
