/* snpctl report --html: one self-contained page, printable on A4. */
#include "client/cli_view_report_html.h"

#include <stdbool.h>
#include <stdio.h>
#include <string.h>

#include "client/cli.h"
#include "client/cli_view_plan.h"
#include "client/cli_view_report.h"
#include "client/cli_view_report_map.h"
#include "proto/jarg.h"

/*
 * A4 is 210 mm wide: 186 mm between the 12 mm margins, which the body
 * never exceeds on screen either. Cells wrap long names rather than
 * widen a table (identifiers, short, stay whole); color is kept when
 * printing, yet every cell also says its value in words or figures.
 */
static const char cli_view_report_html_css[] =
"@page { size: A4; margin: 12mm }\n"
"html { -webkit-print-color-adjust: exact; print-color-adjust: exact }\n"
"body { font: 10pt/1.35 \"DejaVu Sans\", \"Liberation Sans\", Arial,"
" sans-serif; color: #000; background: #fff; max-width: 186mm;"
" margin: 0 auto; padding: 6mm 0 }\n"
"@media print { body { max-width: none; padding: 0 } }\n"
"h1 { font-size: 17pt; margin: 0 0 1mm }\n"
"h2 { font-size: 13pt; margin: 7mm 0 2mm; padding-bottom: 0.5mm;"
" border-bottom: 0.4mm solid #000; break-after: avoid }\n"
"h3 { font-size: 11pt; margin: 3mm 0 1mm; break-after: avoid }\n"
"p { margin: 1mm 0 }\n"
"table { border-collapse: collapse; width: 100%; max-width: 100%;"
" margin: 1mm 0 }\n"
"th, td { border: 0.2mm solid #777; padding: 0.6mm 1.5mm;"
" text-align: left; vertical-align: top; overflow-wrap: break-word }\n"
"th { background: #eee }\n"
"td.n { text-align: right; white-space: nowrap }\n"
"th.n { text-align: right }\n"
"td.id { white-space: nowrap }\n"
"tr, .map { break-inside: avoid; page-break-inside: avoid }\n"
"thead { display: table-header-group }\n"
"tfoot td { font-weight: bold }\n"
"tr.below td { background: #fde2dc; font-weight: bold }\n"
"table.kv tbody th { width: 30% }\n"
"table.kv td.n { width: 18% }\n"
".note { font-size: 9pt }\n"
".map { margin: 0 0 4mm }\n"
".map svg { display: block; width: 100%; height: auto }\n"
".legend svg { display: block; max-width: 100%; height: auto }\n";

void
cli_view_report_html_esc(struct cli_out *out, const char *s)
{
	static const char special[] = "&<>\"'";
	static const char *const ent[] = {
		"&amp;", "&lt;", "&gt;", "&quot;", "&#39;"
	};
	size_t run;

	if (s == NULL)
		return;
	while (*s != '\0') {
		run = strcspn(s, special);
		cli_out_printf(out, "%.*s", (int)run, s);
		s += run;
		if (*s != '\0')
			cli_out_printf(out, "%s", ent[strchr(special, *s++) -
			    special]);
	}
}

/* <td class="n">12.5 h</td> from o's hours, "–" when absent. */
static void
cli_view_report_html_hours(struct cli_out *out, const cJSON *o,
    const char *key)
{
	char buf[32];
	double h;

	if (!cli_view_num(o, key, &h)) {
		cli_out_printf(out, "<td class=\"n\">\xe2\x80\x93</td>");
		return;
	}
	cli_view_report_hours(h, buf, sizeof(buf));
	cli_out_printf(out, "<td class=\"n\">%s h</td>", buf);
}

/* <td class="n">3</td> from o's count, "–" when absent. */
static void
cli_view_report_html_count(struct cli_out *out, const cJSON *o,
    const char *key)
{
	long long n;

	if (cli_view_int(o, key, &n))
		cli_out_printf(out, "<td class=\"n\">%lld</td>", n);
	else
		cli_out_printf(out, "<td class=\"n\">\xe2\x80\x93</td>");
}

/* One indicator: its name, its value (HTML made here), what it counts. */
static void
cli_view_report_html_kv(struct cli_out *out, const char *name,
    const char *value, const char *what)
{
	cli_out_printf(out, "<tr><th>%s</th><td class=\"n\">%s</td><td>%s"
	    "</td></tr>\n", name, value, what);
}

/* An indicator that is a count of o, or "–". */
static void
cli_view_report_html_kvn(struct cli_out *out, const cJSON *o,
    const char *key, const char *name, const char *what)
{
	char v[32] = "\xe2\x80\x93";
	long long n;

	if (cli_view_int(o, key, &n))
		snprintf(v, sizeof(v), "%lld", n);
	cli_view_report_html_kv(out, name, v, what);
}

static void
cli_view_report_html_snp(const cJSON *snp, struct cli_out *out)
{
	char v[96] = "\xe2\x80\x93", h[32];
	long long n, m;
	double d;

	cli_out_printf(out, "<h2>Same-day care (SNP)</h2>\n<table class=\"kv\">"
	    "\n<thead><tr><th>Indicator</th><th class=\"n\">Value</th>"
	    "<th>What it counts</th></tr></thead>\n<tbody>\n");
	if (cli_view_num(snp, "offered_h", &d)) {
		cli_view_report_hours(d, h, sizeof(h));
		snprintf(v, sizeof(v), "%s h", h);
	}
	cli_view_report_html_kv(out, "Offered", v, "SNP time the GPs "
	    "offered in their agendas, inside the SNP window");
	snprintf(v, sizeof(v), "\xe2\x80\x93");
	if (cli_view_int(snp, "reserved", &n) && cli_view_num(snp,
	    "reserved_h", &d)) {
		cli_view_report_hours(d, h, sizeof(h));
		snprintf(v, sizeof(v), "%lld (%s h)", n, h);
	}
	cli_view_report_html_kv(out, "Reserved slots", v, "slots reserved "
	    "in the GPs' agendas to meet the sectors' targets");
	cli_view_report_html_kvn(out, snp, "booked", "Patients booked",
	    "live bookings made through the CPTS");
	snprintf(v, sizeof(v), "\xe2\x80\x93");
	if (cli_view_num(snp, "fill_rate", &d))
		cli_view_report_pct(d, v, sizeof(v));
	cli_view_report_html_kv(out, "Fill rate", v, "booked slots / "
	    "reserved slots");
	cli_view_report_html_kvn(out, snp, "cancelled", "Cancelled",
	    "bookings cancelled");
	cli_view_report_html_kvn(out, snp, "conflicts", "In conflict",
	    "bookings whose time the GP's agenda no longer had free");
	cli_view_report_html_kvn(out, snp, "unused", "Unused",
	    "reserved slots over without a booking");
	snprintf(v, sizeof(v), "\xe2\x80\x93");
	if (cli_view_num(snp, "coverage", &d) && cli_view_int(snp,
	    "sector_hours_met", &m) && cli_view_int(snp, "sector_hours",
	    &n)) {
		cli_view_report_pct(d, h, sizeof(h));
		snprintf(v, sizeof(v), "%s (%lld / %lld)", h, m, n);
	}
	cli_view_report_html_kv(out, "Coverage", v, "sector-hours whose "
	    "target was met / sector-hours with a target");
	cli_view_report_html_kvn(out, snp, "missing_slots", "Missing slots",
	    "slots short of the targets, all gaps together");
	cli_out_printf(out, "</tbody>\n</table>\n");
}

static void
cli_view_report_html_tc(const cJSON *tc, struct cli_out *out)
{
	char v[32];

	cli_out_printf(out, "<h2>Teleconsultation on call</h2>\n"
	    "<table class=\"kv\">\n<thead><tr><th>Indicator</th>"
	    "<th class=\"n\">Value</th><th>What it counts</th></tr></thead>\n"
	    "<tbody>\n");
	cli_view_report_html_kvn(out, tc, "requests", "Requests",
	    "nurses' requests for a teleconsultation");
	cli_view_report_html_kvn(out, tc, "accepted", "Accepted",
	    "requests a GP accepted");
	cli_view_report_html_kvn(out, tc, "done", "Done",
	    "requests closed by the GP");
	cli_view_report_html_kvn(out, tc, "open", "Open",
	    "requests still offered or in progress");
	cli_view_report_html_kvn(out, tc, "cancelled", "Cancelled",
	    "requests the nurse withdrew");
	cli_view_report_html_kvn(out, tc, "unanswered", "Unanswered",
	    "requests no GP accepted: the nurse was told to call the 15");
	cli_view_report_html_kvn(out, tc, "escalations", "Escalations",
	    "offers passed on to the backup, then to every GP");
	cli_view_report_mmss(tc, "ack_median_s", v, sizeof(v));
	cli_view_report_html_kv(out, "Time to accept, median", v,
	    "minutes:seconds from the request to a GP's acceptance");
	cli_view_report_mmss(tc, "ack_p90_s", v, sizeof(v));
	cli_view_report_html_kv(out, "Time to accept, 90th percentile", v,
	    "nine requests in ten were accepted within this time");
	cli_out_printf(out, "</tbody>\n</table>\n");
}

static void
cli_view_report_html_gps(const cJSON *r, struct cli_out *out)
{
	static const char *const counts[] = {
		"reserved", "booked", "seen", "tc_accepted"
	};
	long long sum[4] = { 0 }, n;
	double offered = 0, reserved = 0, d;
	char h[32];
	const cJSON *g;

	cli_out_printf(out, "<h2>GPs</h2>\n<table>\n<thead><tr><th>GP</th>"
	    "<th>Name</th><th>Sector</th><th class=\"n\">Offered</th>"
	    "<th class=\"n\">Reserved</th><th class=\"n\">Slots</th>"
	    "<th class=\"n\">Booked</th><th class=\"n\">Seen</th>"
	    "<th class=\"n\">TC accepted</th></tr></thead>\n<tbody>\n");
	cJSON_ArrayForEach(g, jarg_get(r, "gps")) {
		cli_out_printf(out, "<tr><td class=\"id\">");
		cli_view_report_html_esc(out, cli_view_str(g, "gp"));
		cli_out_printf(out, "</td><td>");
		cli_view_report_html_esc(out, cli_view_str(g, "name"));
		cli_out_printf(out, "</td><td class=\"id\">");
		cli_view_report_html_esc(out, cli_view_str(g, "sector"));
		cli_out_printf(out, "</td>");
		cli_view_report_html_hours(out, g, "offered_h");
		cli_view_report_html_hours(out, g, "reserved_h");
		offered += cli_view_num(g, "offered_h", &d) ? d : 0;
		reserved += cli_view_num(g, "reserved_h", &d) ? d : 0;
		for (size_t k = 0; k < 4; k++) {
			cli_view_report_html_count(out, g, counts[k]);
			sum[k] += cli_view_int(g, counts[k], &n) ? n : 0;
		}
		cli_out_printf(out, "</tr>\n");
	}
	cli_out_printf(out, "</tbody>\n<tfoot><tr><td colspan=\"3\">Total"
	    "</td>");
	cli_view_report_hours(offered, h, sizeof(h));
	cli_out_printf(out, "<td class=\"n\">%s h</td>", h);
	cli_view_report_hours(reserved, h, sizeof(h));
	cli_out_printf(out, "<td class=\"n\">%s h</td>", h);
	for (size_t k = 0; k < 4; k++)
		cli_out_printf(out, "<td class=\"n\">%lld</td>", sum[k]);
	cli_out_printf(out, "</tr></tfoot>\n</table>\n<p class=\"note\">Seen: "
	    "booked patients whose slot is over. Slots: SNP slots reserved."
	    "</p>\n");
}

/* Per GP and week, the weeks below the threshold marked in words. */
static void
cli_view_report_html_weeks(const cJSON *r, struct cli_out *out)
{
	const cJSON *w;
	double th = 2;
	char t[32];
	bool is_below;

	(void)cli_view_num(r, "threshold_h", &th);
	cli_view_report_hours(th, t, sizeof(t));
	cli_out_printf(out, "<h2>GPs by week</h2>\n<p>Weeks (ISO, Monday to "
	    "Sunday) in which a GP offered less than %s h of SNP time are "
	    "marked <b>below</b>.</p>\n<table>\n<thead><tr><th>GP</th>"
	    "<th>Week</th><th class=\"n\">Offered</th>"
	    "<th class=\"n\">Reserved</th><th>Note</th>"
	    "<th class=\"n\">Booked</th>"
	    "<th class=\"n\">Seen within 48 h</th><th class=\"n\">TC accepted"
	    "</th></tr></thead>\n<tbody>\n", t);
	cJSON_ArrayForEach(w, jarg_get(r, "gp_weeks")) {
		is_below = cli_view_bool(w, "below_threshold") == 1;
		cli_out_printf(out, "<tr%s><td class=\"id\">", is_below ?
		    " class=\"below\"" : "");
		cli_view_report_html_esc(out, cli_view_str(w, "gp"));
		cli_out_printf(out, "</td><td class=\"id\">");
		cli_view_report_html_esc(out, cli_view_str(w, "week"));
		cli_out_printf(out, "</td>");
		cli_view_report_html_hours(out, w, "offered_h");
		cli_view_report_html_hours(out, w, "reserved_h");
		cli_out_printf(out, "<td class=\"id\">%s%s%s</td>", is_below ?
		    "below " : "", is_below ? t : "", is_below ? " h" : "");
		cli_view_report_html_count(out, w, "booked");
		cli_view_report_html_count(out, w, "seen_48h");
		cli_view_report_html_count(out, w, "tc_accepted");
		cli_out_printf(out, "</tr>\n");
	}
	cli_out_printf(out, "</tbody>\n</table>\n");
}

static void
cli_view_report_html_gaps(const cJSON *snp, struct cli_out *out)
{
	const cJSON *gaps = jarg_get(snp, "gaps"), *g;
	char day[32];

	cli_out_printf(out, "<h2>Gaps</h2>\n");
	if (cJSON_GetArraySize(gaps) == 0) {
		cli_out_printf(out, "<p>None: every sector-hour with a target "
		    "had it met.</p>\n");
		return;
	}
	cli_out_printf(out, "<p>Sector-hours whose target was not met: "
	    "slots were missing.</p>\n<table>\n<thead><tr><th>Day</th>"
	    "<th>Date</th><th>Sector</th><th class=\"n\">Hour</th>"
	    "<th class=\"n\">Target</th><th class=\"n\">Covered</th>"
	    "</tr></thead>\n<tbody>\n");
	cJSON_ArrayForEach(g, gaps) {
		cli_view_plan_label(cli_view_str(g, "day"), day, sizeof(day));
		cli_out_printf(out, "<tr><td class=\"id\">");
		cli_view_report_html_esc(out, day);
		cli_out_printf(out, "</td><td class=\"id\">");
		cli_view_report_html_esc(out, cli_view_str(g, "day"));
		cli_out_printf(out, "</td><td class=\"id\">");
		cli_view_report_html_esc(out, cli_view_str(g, "sector"));
		cli_out_printf(out, "</td>");
		cli_view_report_html_count(out, g, "hour");
		cli_view_report_html_count(out, g, "target");
		cli_view_report_html_count(out, g, "covered");
		cli_out_printf(out, "</tr>\n");
	}
	cli_out_printf(out, "</tbody>\n</table>\n");
	if (cli_view_bool(snp, "gaps_truncated") == 1)
		cli_out_printf(out, "<p class=\"note\">The list stops at %d "
		    "gaps; the figures above count them all.</p>\n",
		    cJSON_GetArraySize(gaps));
}

int
cli_view_report_html(const struct cli_view_res *res, struct cli_out *out,
    char *why, size_t whylen)
{
	const cJSON *r = res->result, *snp = jarg_get(r, "snp");
	const char *name = cli_view_str(res->asked, "territory");
	const char *sector = cli_view_str(r, "sector");
	char period[96];

	(void)why;
	(void)whylen;
	if (name == NULL)
		name = "CPTS";
	cli_view_report_period(r, period, sizeof(period));
	cli_out_printf(out, "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n"
	    "<meta charset=\"utf-8\">\n<title>");
	cli_view_report_html_esc(out, name);
	cli_out_printf(out, ": report ");
	cli_view_report_html_esc(out, period);
	cli_out_printf(out, "</title>\n<style>\n%s</style>\n</head>\n"
	    "<body>\n<h1>", cli_view_report_html_css);
	cli_view_report_html_esc(out, name);
	cli_out_printf(out, "</h1>\n<p>Same-day care (SNP) and "
	    "teleconsultation report</p>\n<p><b>Period:</b> ");
	cli_view_report_html_esc(out, period);
	cli_out_printf(out, ". <b>Sector:</b> ");
	if (sector != NULL)
		cli_view_report_html_esc(out, sector);
	else
		cli_out_printf(out, "all sectors");
	cli_out_printf(out, ".</p>\n");
	cli_view_report_html_snp(snp, out);
	cli_view_report_html_tc(jarg_get(r, "tc"), out);
	cli_view_report_html_gps(r, out);
	if (cJSON_IsArray(jarg_get(r, "gp_weeks")))
		cli_view_report_html_weeks(r, out);
	cli_view_report_map(r, out);
	cli_view_report_html_gaps(snp, out);
	cli_out_printf(out, "<p class=\"note\">Made by snpctl %s from snpd's "
	    "report.indicators.</p>\n</body>\n</html>\n", SNP_VERSION);
	return CLI_EXIT_OK;
}
