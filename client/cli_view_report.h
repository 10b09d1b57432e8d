/* snpctl views of report.indicators: the terminal summary, and helpers. */
#pragma once

#include <stddef.h>

#include <cjson/cJSON.h>

#include "client/cli_out.h"
#include "client/cli_view.h"

/*
 * The show of the report command (struct cli_cmd): res->asked's format
 * picks the terminal summary, cli_view_report_csv() or
 * cli_view_report_html(). The summary: the period, the SNP figures, the
 * first gaps, one row per GP, the teleconsultation figures and, when
 * the result has gp_weeks, one row per GP and week, those below the
 * threshold marked. As every view (cli_view.h): missing fields are
 * skipped; a result that is no object is CLI_EXIT_NOREPLY.
 */
int	cli_view_report(const struct cli_view_res *res, struct cli_out *out,
	    char *why, size_t whylen);

/*
 * Figures as the report writes them, for the three formats:
 * cli_view_report_hours "44.25", "12.5", "0" (hours to two decimals,
 * no unit); cli_view_report_pct "65.1%" from a ratio; cli_view_report_mmss
 * "1:35" from o's key in seconds, or "–" when null or absent;
 * cli_view_report_period "2026-11-30 to 2026-12-06 (7 days)", the last
 * day included, from the result's from and to ("?" when absent).
 */
void	cli_view_report_hours(double h, char *buf, size_t len);
void	cli_view_report_pct(double ratio, char *buf, size_t len);
void	cli_view_report_mmss(const cJSON *o, const char *key, char *buf,
	    size_t len);
void	cli_view_report_period(const cJSON *r, char *buf, size_t len);

/* The entry of r's gps whose gp is id, or NULL: names, sectors. */
const cJSON *cli_view_report_gp(const cJSON *r, const char *id);
