/* snpctl report --csv: the figures per GP, or per GP and week, as CSV. */
#include "client/cli_view_report_csv.h"

#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "client/cli.h"
#include "client/cli_view_report.h"
#include "proto/jarg.h"

/* One field, quoted when RFC 4180 asks; then a comma or the line end. */
static void
cli_view_report_csv_field(struct cli_out *out, const char *s, bool is_last)
{
	const char *end = is_last ? "\n" : ",";

	const char *guard = "";
	char *num_end;

	if (s == NULL)
		s = "";
	/*
	 * A spreadsheet runs a cell that starts with = + - @ as a formula:
	 * text from the config (a GP's name) gets a leading quote, numbers
	 * stay numbers.
	 */
	if (s[0] != '\0' && strchr("=+-@", s[0]) != NULL &&
	    (strtod(s, &num_end), *num_end != '\0'))
		guard = "'";
	if (strpbrk(s, ",\"\r\n") == NULL) {
		cli_out_printf(out, "%s%s%s", guard, s, end);
		return;
	}
	cli_out_printf(out, "\"%s", guard);
	for (const char *q; (q = strchr(s, '"')) != NULL; s = q + 1)
		cli_out_printf(out, "%.*s\"\"", (int)(q - s), s);
	cli_out_printf(out, "%s\"%s", s, end);
}

/* Hours from o's key, "" when absent; added to *sum when given. */
static void
cli_view_report_csv_hours(struct cli_out *out, const cJSON *o,
    const char *key, double *sum)
{
	char buf[32] = "";
	double h;

	if (cli_view_num(o, key, &h)) {
		cli_view_report_hours(h, buf, sizeof(buf));
		if (sum != NULL)
			*sum += h;
	}
	cli_view_report_csv_field(out, buf, false);
}

/* A count from o's key, "" when absent; added to *sum when given. */
static void
cli_view_report_csv_count(struct cli_out *out, const cJSON *o,
    const char *key, long long *sum, bool is_last)
{
	char buf[32] = "";
	long long n;

	if (cli_view_int(o, key, &n)) {
		snprintf(buf, sizeof(buf), "%lld", n);
		if (sum != NULL)
			*sum += n;
	}
	cli_view_report_csv_field(out, buf, is_last);
}

/* One row per GP, and their sums in a last row. */
static void
cli_view_report_csv_gps(const cJSON *r, struct cli_out *out)
{
	static const char *const counts[] = {
		"reserved", "booked", "seen", "tc_accepted"
	};
	long long sum[4] = { 0 };
	double offered = 0, reserved = 0;
	char buf[32];
	const cJSON *g;

	cli_out_printf(out, "gp,name,sector,offered_h,reserved_h,reserved,"
	    "booked,seen,tc_accepted\n");
	cJSON_ArrayForEach(g, jarg_get(r, "gps")) {
		cli_view_report_csv_field(out, cli_view_str(g, "gp"), false);
		cli_view_report_csv_field(out, cli_view_str(g, "name"), false);
		cli_view_report_csv_field(out, cli_view_str(g, "sector"),
		    false);
		cli_view_report_csv_hours(out, g, "offered_h", &offered);
		cli_view_report_csv_hours(out, g, "reserved_h", &reserved);
		for (size_t k = 0; k < 4; k++)
			cli_view_report_csv_count(out, g, counts[k], &sum[k],
			    k == 3);
	}
	cli_out_printf(out, "TOTAL,,,");
	cli_view_report_hours(offered, buf, sizeof(buf));
	cli_out_printf(out, "%s,", buf);
	cli_view_report_hours(reserved, buf, sizeof(buf));
	cli_out_printf(out, "%s,%lld,%lld,%lld,%lld\n", buf, sum[0], sum[1],
	    sum[2], sum[3]);
}

/* One row per GP and week, with the GP's name and sector from gps. */
static void
cli_view_report_csv_weeks(const cJSON *r, struct cli_out *out)
{
	const cJSON *w, *gp;
	int below;

	cli_out_printf(out, "gp,name,sector,week,offered_h,reserved_h,"
	    "below_threshold,booked,seen_48h,tc_accepted\n");
	cJSON_ArrayForEach(w, jarg_get(r, "gp_weeks")) {
		gp = cli_view_report_gp(r, cli_view_str(w, "gp"));
		cli_view_report_csv_field(out, cli_view_str(w, "gp"), false);
		cli_view_report_csv_field(out, cli_view_str(gp, "name"),
		    false);
		cli_view_report_csv_field(out, cli_view_str(gp, "sector"),
		    false);
		cli_view_report_csv_field(out, cli_view_str(w, "week"), false);
		cli_view_report_csv_hours(out, w, "offered_h", NULL);
		cli_view_report_csv_hours(out, w, "reserved_h", NULL);
		below = cli_view_bool(w, "below_threshold");
		cli_view_report_csv_field(out, below < 0 ? "" : below ?
		    "true" : "false", false);
		cli_view_report_csv_count(out, w, "booked", NULL, false);
		cli_view_report_csv_count(out, w, "seen_48h", NULL, false);
		cli_view_report_csv_count(out, w, "tc_accepted", NULL, true);
	}
}

int
cli_view_report_csv(const struct cli_view_res *res, struct cli_out *out,
    char *why, size_t whylen)
{
	if (cli_view_bool(res->asked, "per_gp") != 1) {
		cli_view_report_csv_gps(res->result, out);
		return CLI_EXIT_OK;
	}
	/* An older snpd ignores per_gp: a file without weeks would mislead. */
	if (!cJSON_IsArray(jarg_get(res->result, "gp_weeks"))) {
		snprintf(why, whylen, "snpd sent no figures per week (is it "
		    "older than snpctl?)");
		return CLI_EXIT_NOREPLY;
	}
	cli_view_report_csv_weeks(res->result, out);
	return CLI_EXIT_OK;
}
