/* snpctl report: the words of the command, and its two round trips. */
#include "client/cli_cmd_report.h"

#include <math.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "client/cli_net.h"
#include "client/cli_opt.h"
#include "client/cli_view.h"
#include "proto/rfc3339.h"

/* snpd's own bound on threshold_h: a week. */
#define CLI_CMD_REPORT_THRESHOLD_MAX	168.0

/*
 * "2027Q1" (or 2027q1) into the quarter's first day and the next
 * quarter's: Q1 is January 1 to April 1. -1 with why set.
 */
static int
cli_cmd_report_quarter(const char *s, char from[RFC3339_MAX],
    char to[RFC3339_MAX], char *why, size_t whylen)
{
	int y, q;

	if (strlen(s) != 6 || strspn(s, "0123456789") != 4 ||
	    (s[4] != 'Q' && s[4] != 'q') || s[5] < '1' || s[5] > '4') {
		snprintf(why, whylen, "--quarter: expected a year and a "
		    "quarter such as 2027Q1 (January to March)");
		return -1;
	}
	y = atoi(s);
	q = s[5] - '0';
	rfc3339_format_date(y, 3 * q - 2, 1, from);
	if (q == 4)
		rfc3339_format_date(y + 1, 1, 1, to);
	else
		rfc3339_format_date(y, 3 * q + 1, 1, to);
	return 0;
}

/* A date without time: the report counts whole days. */
static int
cli_cmd_report_date(const char *name, const char *s, char *why,
    size_t whylen)
{
	struct rfc3339 t;

	if (rfc3339_parse(s, &t) == 0 && t.is_date)
		return 0;
	snprintf(why, whylen, "%s: expected a date such as 2026-11-30", name);
	return -1;
}

/* Hours, 0 to a week, as snpd takes them; '.' as snpctl sets no locale. */
static int
cli_cmd_report_hours(const char *s, double *v, char *why, size_t whylen)
{
	char *end;

	*v = strtod(s, &end);
	if (end == s || *end != '\0' || !isfinite(*v) || *v < 0 ||
	    *v > CLI_CMD_REPORT_THRESHOLD_MAX) {
		snprintf(why, whylen, "--threshold: expected hours from 0 to "
		    "%g, such as 2 or 1.5", CLI_CMD_REPORT_THRESHOLD_MAX);
		return -1;
	}
	return 0;
}

/* The period from --from and --to, or --quarter, into from and to. */
static int
cli_cmd_report_period(const char *from, const char *to, const char *quarter,
    char f[RFC3339_MAX], char t[RFC3339_MAX], char *why, size_t whylen)
{
	if (quarter != NULL) {
		if (from != NULL || to != NULL) {
			snprintf(why, whylen, "--quarter and --from/--to: give "
			    "one period");
			return -1;
		}
		return cli_cmd_report_quarter(quarter, f, t, why, whylen);
	}
	if (from == NULL || to == NULL) {
		snprintf(why, whylen, "give the period: --from DATE and --to "
		    "DATE (not included), or --quarter such as 2027Q1");
		return -1;
	}
	if (cli_cmd_report_date("--from", from, why, whylen) != 0 ||
	    cli_cmd_report_date("--to", to, why, whylen) != 0)
		return -1;
	snprintf(f, RFC3339_MAX, "%s", from);
	snprintf(t, RFC3339_MAX, "%s", to);
	return 0;
}

int
cli_cmd_report_args(int argc, char **argv, struct cli_req *req, char *why,
    size_t whylen)
{
	const char *from = NULL, *to = NULL, *quarter = NULL, *sector = NULL;
	const char *html = NULL, *threshold = NULL, *format = "text";
	bool is_csv = false, is_per_gp = false;
	const struct cli_opt_word opts[] = {
		{ "--from", &from, NULL }, { "--to", &to, NULL },
		{ "--quarter", &quarter, NULL }, { "--sector", &sector, NULL },
		{ "--html", &html, NULL }, { "--threshold", &threshold, NULL },
		{ "--csv", NULL, &is_csv }, { "--per-gp", NULL, &is_per_gp },
		{ NULL, NULL, NULL },
	};
	char f[RFC3339_MAX], t[RFC3339_MAX];
	double threshold_h = 0;

	if (cli_opt_words(argc, argv, opts, NULL, why, whylen) != 0 ||
	    cli_cmd_report_period(from, to, quarter, f, t, why, whylen) != 0)
		return -1;
	if (is_csv && html != NULL) {
		snprintf(why, whylen, "--csv and --html: give one of them");
		return -1;
	}
	if (threshold != NULL && !is_per_gp) {
		snprintf(why, whylen, "--threshold goes with --per-gp: it "
		    "marks the weeks a GP offered less");
		return -1;
	}
	if (threshold != NULL && cli_cmd_report_hours(threshold,
	    &threshold_h, why, whylen) != 0)
		return -1;
	if (is_csv)
		format = "csv";
	else if (html != NULL)
		format = "html";
	if (html != NULL && strcmp(html, "-") != 0)
		req->output = html;
	if ((req->args = cJSON_CreateObject()) == NULL ||
	    cJSON_AddStringToObject(req->args, "from", f) == NULL ||
	    cJSON_AddStringToObject(req->args, "to", t) == NULL ||
	    (sector != NULL && cJSON_AddStringToObject(req->args, "sector",
	    sector) == NULL) ||
	    (is_per_gp && cJSON_AddTrueToObject(req->args, "per_gp") ==
	    NULL) ||
	    (threshold != NULL && cJSON_AddNumberToObject(req->args,
	    "threshold_h", threshold_h) == NULL) ||
	    (req->asked = cJSON_CreateObject()) == NULL ||
	    cJSON_AddStringToObject(req->asked, "format", format) == NULL ||
	    cJSON_AddStringToObject(req->asked, "from", f) == NULL ||
	    cJSON_AddStringToObject(req->asked, "to", t) == NULL ||
	    cJSON_AddBoolToObject(req->asked, "per_gp", is_per_gp) == NULL) {
		snprintf(why, whylen, "out of memory");
		return -1;
	}
	return 0;
}

int
cli_cmd_report_send(struct cli_ctx *ctx, struct cli_req *req,
    struct proto_reply *rep, double *rtt_ms, char *why, size_t whylen)
{
	const char *format = cli_view_str(req->asked, "format"), *name;
	struct proto_reply st;
	char swhy[256];
	cJSON *args = req->args;
	double st_ms;
	int rc;

	req->args = NULL;
	if (format == NULL)
		format = "text";
	if (ctx->is_json && strcmp(format, "text") != 0) {
		cJSON_Delete(args);
		snprintf(why, whylen, "--json and --%s: give one of them",
		    format);
		return CLI_EXIT_USAGE;
	}
	if ((rc = cli_net_call(ctx, req->op, args, rep, rtt_ms, why,
	    whylen)) != CLI_EXIT_OK || !rep->ok || strcmp(format, "html") != 0)
		return rc;
	memset(&st, 0, sizeof(st));
	if (cli_net_call(ctx, "sys.status", NULL, &st, &st_ms, swhy,
	    sizeof(swhy)) == CLI_EXIT_OK && st.ok &&
	    (name = cli_view_str(st.result, "territory")) != NULL &&
	    *name != '\0' &&
	    cJSON_AddStringToObject(req->asked, "territory", name) == NULL) {
		proto_reply_fini(&st);
		snprintf(why, whylen, "out of memory");
		return CLI_EXIT_NOREPLY;
	}
	proto_reply_fini(&st);
	return CLI_EXIT_OK;
}
