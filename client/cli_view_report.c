/* snpctl views of report.indicators: the terminal summary, and helpers. */
#include "client/cli_view_report.h"

#include <math.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "client/cli.h"
#include "client/cli_view_plan.h"
#include "client/cli_view_report_csv.h"
#include "client/cli_view_report_html.h"
#include "proto/jarg.h"

/* Gaps listed in the terminal; --html lists them all, --json too. */
#define CLI_VIEW_REPORT_GAPS	15

void
cli_view_report_hours(double h, char *buf, size_t len)
{
	char *p;

	/* Two decimals at most: hours come to the minute (1/60 h). */
	snprintf(buf, len, "%.2f", round(h * 100) / 100);
	if ((p = strchr(buf, '.')) == NULL)
		return;
	for (p += strlen(p) - 1; *p == '0'; p--)
		*p = '\0';
	if (*p == '.')
		*p = '\0';
	if (strcmp(buf, "-0") == 0)
		snprintf(buf, len, "0");
}

void
cli_view_report_pct(double ratio, char *buf, size_t len)
{
	snprintf(buf, len, "%.1f%%", ratio * 100);
}

void
cli_view_report_mmss(const cJSON *o, const char *key, char *buf, size_t len)
{
	double s;
	long long n;

	/* Over a year to accept: a broken reply, not a figure. */
	if (!cli_view_num(o, key, &s) || s < 0 || s > 366 * 86400.0) {
		snprintf(buf, len, "\xe2\x80\x93");	/* "–": none */
		return;
	}
	n = llround(s);
	snprintf(buf, len, "%lld:%02lld", n / 60, n % 60);
}

/* Days since the epoch of a "YYYY-MM-DD"; false when it is no date. */
static bool
cli_view_report_day(const char *s, time_t *day)
{
	struct tm tm;

	memset(&tm, 0, sizeof(tm));
	if (s == NULL || sscanf(s, "%4d-%2d-%2d", &tm.tm_year, &tm.tm_mon,
	    &tm.tm_mday) != 3)
		return false;
	tm.tm_year -= 1900;
	tm.tm_mon -= 1;
	*day = timegm(&tm) / 86400;
	return true;
}

void
cli_view_report_period(const cJSON *r, char *buf, size_t len)
{
	const char *from = cli_view_str(r, "from"), *to = cli_view_str(r,
	    "to");
	time_t f, t, last;
	struct tm tm;

	if (!cli_view_report_day(from, &f) || !cli_view_report_day(to, &t) ||
	    t <= f) {
		snprintf(buf, len, "%.10s to %.10s", from != NULL ? from : "?",
		    to != NULL ? to : "?");
		return;
	}
	last = (t - 1) * 86400;
	gmtime_r(&last, &tm);
	snprintf(buf, len, "%.10s to %04d-%02d-%02d (%lld %s)", from,
	    tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday, (long long)(t - f),
	    cli_view_plural(t - f, "day", "days"));
}

const cJSON *
cli_view_report_gp(const cJSON *r, const char *id)
{
	const cJSON *g;
	const char *s;

	if (id == NULL)
		return NULL;
	cJSON_ArrayForEach(g, jarg_get(r, "gps"))
		if ((s = cli_view_str(g, "gp")) != NULL && strcmp(s, id) == 0)
			return g;
	return NULL;
}

/* Adds a "key  value" row when the value was built. */
static void
cli_view_report_kv(struct cli_table *t, const char *key, const char *value)
{
	const char *row[2] = { key, value };

	if (value[0] != '\0')
		cli_table_add(t, row);
}

/* "12.5 h" from o's key, or "" when absent. */
static void
cli_view_report_h(const cJSON *o, const char *key, char *buf, size_t len)
{
	double h;

	*buf = '\0';
	if (!cli_view_num(o, key, &h))
		return;
	cli_view_report_hours(h, buf, len);
	snprintf(buf + strlen(buf), len - strlen(buf), " h");
}

/* A count from o's key, or "-" when absent. */
static void
cli_view_report_n(const cJSON *o, const char *key, char *buf, size_t len)
{
	long long n;

	if (cli_view_int(o, key, &n))
		snprintf(buf, len, "%lld", n);
	else
		snprintf(buf, len, "-");
}

static void
cli_view_report_snp(const cJSON *snp, struct cli_out *out)
{
	struct cli_table t;
	char v[256], h[32], pct[32];
	long long n, m;
	double d;

	cli_table_init(&t, 2, NULL);
	cli_view_report_h(snp, "offered_h", v, sizeof(v));
	cli_view_report_kv(&t, "Offered", v);
	*v = '\0';
	if (cli_view_int(snp, "reserved", &n))
		cli_view_part(v, sizeof(v), "%lld %s", n,
		    cli_view_plural(n, "slot", "slots"));
	cli_view_report_h(snp, "reserved_h", h, sizeof(h));
	if (*h != '\0')
		cli_view_part(v, sizeof(v), "%s", h);
	cli_view_report_kv(&t, "Reserved", v);
	*v = '\0';
	if (cli_view_int(snp, "booked", &n))
		cli_view_part(v, sizeof(v), "%lld", n);
	if (cli_view_num(snp, "fill_rate", &d)) {
		cli_view_report_pct(d, pct, sizeof(pct));
		cli_view_part(v, sizeof(v), "fill rate %s", pct);
	}
	if (cli_view_int(snp, "cancelled", &n))
		cli_view_part(v, sizeof(v), "%lld cancelled", n);
	if (cli_view_int(snp, "conflicts", &n) && n > 0)
		cli_view_part(v, sizeof(v), "%lld in conflict", n);
	cli_view_report_kv(&t, "Booked", v);
	*v = '\0';
	if (cli_view_int(snp, "unused", &n))
		snprintf(v, sizeof(v), "%lld reserved %s over without a "
		    "booking", n, cli_view_plural(n, "slot", "slots"));
	cli_view_report_kv(&t, "Unused", v);
	*v = '\0';
	if (cli_view_num(snp, "coverage", &d)) {
		cli_view_report_pct(d, pct, sizeof(pct));
		snprintf(v, sizeof(v), "%s", pct);
	}
	if (cli_view_int(snp, "sector_hours_met", &m) &&
	    cli_view_int(snp, "sector_hours", &n))
		snprintf(v + strlen(v), sizeof(v) - strlen(v),
		    "%s%lld of %lld sector-hours at target%s", *v ? " (" : "",
		    m, n, *v ? ")" : "");
	cli_view_report_kv(&t, "Coverage", v);
	*v = '\0';
	if (cli_view_int(snp, "missing_slots", &n))
		snprintf(v, sizeof(v), "%lld", n);
	cli_view_report_kv(&t, "Missing slots", v);
	cli_out_printf(out, "\nSame-day care (SNP)\n");
	cli_table_print(&t, out);
	cli_table_fini(&t);
}

/* The first gaps, then how many more. */
static void
cli_view_report_gaps(const cJSON *snp, struct cli_out *out)
{
	static const char *const head[] = {
		"DAY", "SECTOR", "HOUR", "TARGET", "COVERED"
	};
	const cJSON *gaps = jarg_get(snp, "gaps"), *g;
	char day[32], hour[16], target[16], covered[16];
	const char *row[5] = { day, NULL, hour, target, covered };
	long long n, total = cJSON_GetArraySize(gaps), met, shown = 0;
	struct cli_table t;

	if (cli_view_int(snp, "sector_hours", &n) && cli_view_int(snp,
	    "sector_hours_met", &met) && n - met > total)
		total = n - met;	/* the list may be cut */
	if (total == 0) {
		cli_out_printf(out, "\nNo gap: every sector-hour with a target "
		    "had it met.\n");
		return;
	}
	cli_out_printf(out, "\nGaps: %lld %s below target\n", total,
	    cli_view_plural(total, "sector-hour", "sector-hours"));
	cli_table_init(&t, 5, head);
	cJSON_ArrayForEach(g, gaps) {
		if (shown == CLI_VIEW_REPORT_GAPS)
			break;
		cli_view_plan_label(cli_view_str(g, "day"), day, sizeof(day));
		row[1] = cli_view_str(g, "sector");
		cli_view_report_n(g, "hour", hour, sizeof(hour));
		snprintf(hour + strlen(hour), sizeof(hour) - strlen(hour), "h");
		cli_view_report_n(g, "target", target, sizeof(target));
		cli_view_report_n(g, "covered", covered, sizeof(covered));
		cli_table_add(&t, row);
		shown++;
	}
	cli_table_print(&t, out);
	cli_table_fini(&t);
	if (total > shown)
		cli_out_printf(out, "%lld more (--html lists them)\n",
		    total - shown);
}

static void
cli_view_report_gps(const cJSON *r, struct cli_out *out)
{
	static const char *const head[] = {
		"GP", "SECTOR", "OFFERED", "RESERVED", "BOOKED", "SEEN",
		"TC ACCEPTED"
	};
	char off[32], res[32], bk[16], seen[16], tc[16];
	const char *row[7] = { NULL, NULL, off, res, bk, seen, tc };
	struct cli_table t;
	const cJSON *g;

	if (cJSON_GetArraySize(jarg_get(r, "gps")) == 0)
		return;
	cli_table_init(&t, 7, head);
	cJSON_ArrayForEach(g, jarg_get(r, "gps")) {
		row[0] = cli_view_str(g, "gp");
		row[1] = cli_view_str(g, "sector");
		cli_view_report_h(g, "offered_h", off, sizeof(off));
		cli_view_report_h(g, "reserved_h", res, sizeof(res));
		cli_view_report_n(g, "booked", bk, sizeof(bk));
		cli_view_report_n(g, "seen", seen, sizeof(seen));
		cli_view_report_n(g, "tc_accepted", tc, sizeof(tc));
		cli_table_add(&t, row);
	}
	cli_out_printf(out, "\nGPs\n");
	cli_table_print(&t, out);
	cli_table_fini(&t);
}

static void
cli_view_report_tc(const cJSON *tc, struct cli_out *out)
{
	static const char *const parts[][2] = {
		{ "accepted", "accepted" }, { "done", "done" },
		{ "open", "open" }, { "cancelled", "cancelled" },
	};
	struct cli_table t;
	char v[256], med[32], p90[32];
	long long n;

	if (!cJSON_IsObject(tc))
		return;
	cli_table_init(&t, 2, NULL);
	*v = '\0';
	if (cli_view_int(tc, "requests", &n))
		snprintf(v, sizeof(v), "%lld", n);
	for (size_t k = 0; k < sizeof(parts) / sizeof(parts[0]); k++)
		if (cli_view_int(tc, parts[k][0], &n))
			cli_view_part(v, sizeof(v), "%lld %s", n, parts[k][1]);
	cli_view_report_kv(&t, "Requests", v);
	*v = '\0';
	if (cli_view_int(tc, "unanswered", &n))
		snprintf(v, sizeof(v), "%lld", n);
	cli_view_report_kv(&t, "Unanswered", v);
	*v = '\0';
	if (cli_view_int(tc, "escalations", &n))
		snprintf(v, sizeof(v), "%lld", n);
	cli_view_report_kv(&t, "Escalations", v);
	cli_view_report_mmss(tc, "ack_median_s", med, sizeof(med));
	cli_view_report_mmss(tc, "ack_p90_s", p90, sizeof(p90));
	snprintf(v, sizeof(v), "median %s, p90 %s (min:s)", med, p90);
	cli_view_report_kv(&t, "Time to accept", v);
	cli_out_printf(out, "\nTeleconsultation\n");
	cli_table_print(&t, out);
	cli_table_fini(&t);
}

/* One row per GP and week; the weeks below the threshold say so. */
static void
cli_view_report_weeks(const cJSON *r, struct cli_out *out)
{
	static const char *const head[] = {
		"GP", "WEEK", "OFFERED", "RESERVED", "BOOKED", "SEEN 48H", "TC",
		"NOTE"
	};
	char off[32], res[32], bk[16], seen[16], tc[16], note[48], th[32];
	const char *row[8] = { NULL, NULL, off, res, bk, seen, tc, note };
	const cJSON *weeks = jarg_get(r, "gp_weeks"), *w;
	struct cli_table t;
	long long flagged = 0;
	double d = 2;

	if (!cJSON_IsArray(weeks))
		return;
	(void)cli_view_num(r, "threshold_h", &d);
	cli_view_report_hours(d, th, sizeof(th));
	cli_table_init(&t, 8, head);
	cJSON_ArrayForEach(w, weeks) {
		row[0] = cli_view_str(w, "gp");
		row[1] = cli_view_str(w, "week");
		cli_view_report_h(w, "offered_h", off, sizeof(off));
		cli_view_report_h(w, "reserved_h", res, sizeof(res));
		cli_view_report_n(w, "booked", bk, sizeof(bk));
		cli_view_report_n(w, "seen_48h", seen, sizeof(seen));
		cli_view_report_n(w, "tc_accepted", tc, sizeof(tc));
		*note = '\0';
		if (cli_view_bool(w, "below_threshold") == 1) {
			snprintf(note, sizeof(note), "below %s h", th);
			flagged++;
		}
		cli_table_add(&t, row);
	}
	cli_out_printf(out, "\nGPs by week: %lld of %d below %s h offered\n",
	    flagged, cJSON_GetArraySize(weeks), th);
	if (cJSON_GetArraySize(weeks) > 0)
		cli_table_print(&t, out);
	cli_table_fini(&t);
}

static int
cli_view_report_text(const struct cli_view_res *res, struct cli_out *out)
{
	const cJSON *r = res->result;
	const char *sector = cli_view_str(r, "sector");
	char period[96];

	cli_view_report_period(r, period, sizeof(period));
	cli_out_printf(out, "Report %s, %s%s\n", period, sector != NULL ?
	    "sector " : "all sectors", sector != NULL ? sector : "");
	if (cJSON_IsObject(jarg_get(r, "snp"))) {
		cli_view_report_snp(jarg_get(r, "snp"), out);
		cli_view_report_gaps(jarg_get(r, "snp"), out);
	}
	cli_view_report_gps(r, out);
	cli_view_report_tc(jarg_get(r, "tc"), out);
	cli_view_report_weeks(r, out);
	if (cli_view_bool(res->asked, "per_gp") == 1 &&
	    !cJSON_IsArray(jarg_get(r, "gp_weeks")))
		cli_out_printf(out, "\nNo figures per week: snpd sent none "
		    "(is it older than snpctl?)\n");
	return CLI_EXIT_OK;
}

int
cli_view_report(const struct cli_view_res *res, struct cli_out *out,
    char *why, size_t whylen)
{
	const char *format = cli_view_str(res->asked, "format");

	if (!cJSON_IsObject(res->result)) {
		snprintf(why, whylen, "unreadable reply: the report is not an "
		    "object");
		return CLI_EXIT_NOREPLY;
	}
	if (format != NULL && strcmp(format, "csv") == 0)
		return cli_view_report_csv(res, out, why, whylen);
	if (format != NULL && strcmp(format, "html") == 0)
		return cli_view_report_html(res, out, why, whylen);
	return cli_view_report_text(res, out);
}
