/* snpctl report --html: each sector's coverage, week by hour, in SVG. */
#include "client/cli_view_report_map.h"

#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "client/cli_view.h"
#include "client/cli_view_report_html.h"
#include "proto/jarg.h"

/* 366 days touch 54 ISO weeks at most; "2026-W49" and its NUL fit 16. */
#define CLI_VIEW_REPORT_MAP_WEEKS	56
#define CLI_VIEW_REPORT_MAP_WEEK_LEN	16
#define CLI_VIEW_REPORT_MAP_DAYS	400	/* bounds the period's walk */

/*
 * Geometry in SVG units (CSS pixels at 100%): six hours make 550, within
 * A4's 186 mm (703 px); a wider map is scaled down by the CSS.
 */
#define CLI_VIEW_REPORT_MAP_LABEL_W	118
#define CLI_VIEW_REPORT_MAP_CELL_W	72
#define CLI_VIEW_REPORT_MAP_CELL_H	26
#define CLI_VIEW_REPORT_MAP_HEAD_H	22

/* The heatmap list, cell by cell: [sector][week][hour of the day]. */
struct cli_view_report_map_grid {
	char		  weeks[CLI_VIEW_REPORT_MAP_WEEKS]
			      [CLI_VIEW_REPORT_MAP_WEEK_LEN];
	size_t		  n_weeks;
	const char	**sectors;	/* borrowed from the result */
	size_t		  n_sectors;
	int		  lo, hi;	/* hours shown, hi included */
	long long	 *hours;	/* sector-hours with a target */
	long long	 *met;		/* those whose target was met */
};

void
cli_view_report_map_color(double ratio, char buf[8])
{
	static const unsigned char stop[3][3] = {
		{ 0xe8, 0x55, 0x3f },	/* red */
		{ 0xf9, 0xc2, 0x4a },	/* amber */
		{ 0x5c, 0xb8, 0x5c },	/* green */
	};
	double r = ratio < 0 ? 0 : ratio > 1 ? 1 : ratio;
	int k = r < 0.5 ? 0 : 1, c[3];
	double f = r < 0.5 ? r * 2 : (r - 0.5) * 2;

	for (int i = 0; i < 3; i++)
		c[i] = (int)(stop[k][i] + (stop[k + 1][i] - stop[k][i]) * f +
		    0.5);
	snprintf(buf, 8, "#%02x%02x%02x", c[0], c[1], c[2]);
}

static void
cli_view_report_map_week_add(struct cli_view_report_map_grid *m,
    const char *label)
{
	if (label == NULL || strlen(label) >= CLI_VIEW_REPORT_MAP_WEEK_LEN)
		return;
	for (size_t i = 0; i < m->n_weeks; i++)
		if (strcmp(m->weeks[i], label) == 0)
			return;
	if (m->n_weeks < CLI_VIEW_REPORT_MAP_WEEKS)
		snprintf(m->weeks[m->n_weeks++], CLI_VIEW_REPORT_MAP_WEEK_LEN,
		    "%s", label);
}

static int
cli_view_report_map_week_cmp(const void *a, const void *b)
{
	return strcmp(a, b);
}

/* Days since the epoch of "YYYY-MM-DD"; false when it is no date. */
static bool
cli_view_report_map_day(const char *s, long long *day)
{
	struct tm tm;

	memset(&tm, 0, sizeof(tm));
	if (s == NULL || sscanf(s, "%4d-%2d-%2d", &tm.tm_year, &tm.tm_mon,
	    &tm.tm_mday) != 3)
		return false;
	tm.tm_year -= 1900;
	tm.tm_mon -= 1;
	*day = (long long)(timegm(&tm) / 86400);
	return true;
}

/*
 * Every ISO week of the period, so that a week without any target shows
 * as a grey row rather than vanish; then those of the list, sorted.
 */
static void
cli_view_report_map_weeks(const cJSON *r, struct cli_view_report_map_grid *m)
{
	char label[CLI_VIEW_REPORT_MAP_WEEK_LEN];
	long long f, t;
	const cJSON *e;
	struct tm tm;
	time_t x;

	if (cli_view_report_map_day(cli_view_str(r, "from"), &f) &&
	    cli_view_report_map_day(cli_view_str(r, "to"), &t))
		for (long long d = f; d < t && d < f +
		    CLI_VIEW_REPORT_MAP_DAYS; d++) {
			x = (time_t)(d * 86400);
			if (gmtime_r(&x, &tm) != NULL && strftime(label,
			    sizeof(label), "%G-W%V", &tm) > 0)
				cli_view_report_map_week_add(m, label);
		}
	cJSON_ArrayForEach(e, jarg_get(r, "heatmap"))
		cli_view_report_map_week_add(m, cli_view_str(e, "week"));
	qsort(m->weeks, m->n_weeks, sizeof(m->weeks[0]),
	    cli_view_report_map_week_cmp);
}

/* The index of s in m's sectors, added when new and add is true; -1. */
static long
cli_view_report_map_sector(struct cli_view_report_map_grid *m,
    const char *s, bool add)
{
	if (s == NULL)
		return -1;
	for (size_t i = 0; i < m->n_sectors; i++)
		if (strcmp(m->sectors[i], s) == 0)
			return (long)i;
	if (!add)
		return -1;
	m->sectors[m->n_sectors] = s;
	return (long)m->n_sectors++;
}

static long
cli_view_report_map_week(const struct cli_view_report_map_grid *m,
    const char *w)
{
	for (size_t i = 0; w != NULL && i < m->n_weeks; i++)
		if (strcmp(m->weeks[i], w) == 0)
			return (long)i;
	return -1;
}

/*
 * Sectors with a cell first, in the list's order, then the one asked and
 * the GPs' (they may have had no target); hours; the cells' sums.
 */
static bool
cli_view_report_map_fill(const cJSON *r, struct cli_view_report_map_grid *m)
{
	const cJSON *list = jarg_get(r, "heatmap"), *e;
	size_t cap = (size_t)cJSON_GetArraySize(list) +
	    (size_t)cJSON_GetArraySize(jarg_get(r, "gps")) + 1, n;
	long s, w;
	long long h, v;

	cli_view_report_map_weeks(r, m);
	if ((m->sectors = calloc(cap, sizeof(*m->sectors))) == NULL)
		return false;
	m->lo = 24;
	m->hi = -1;
	cJSON_ArrayForEach(e, list)
		if (cli_view_report_map_sector(m, cli_view_str(e, "sector"),
		    true) >= 0 && cli_view_int(e, "hour", &h) && h >= 0 &&
		    h < 24) {
			m->lo = h < m->lo ? (int)h : m->lo;
			m->hi = h > m->hi ? (int)h : m->hi;
		}
	(void)cli_view_report_map_sector(m, cli_view_str(r, "sector"), true);
	cJSON_ArrayForEach(e, jarg_get(r, "gps"))
		(void)cli_view_report_map_sector(m, cli_view_str(e, "sector"),
		    true);
	if (m->hi < 0) {
		m->lo = 14;	/* the default SNP window, 14:00-20:00 */
		m->hi = 19;
	}
	n = m->n_sectors * m->n_weeks * 24 + 1;
	if ((m->hours = calloc(n, sizeof(*m->hours))) == NULL ||
	    (m->met = calloc(n, sizeof(*m->met))) == NULL)
		return false;
	cJSON_ArrayForEach(e, list) {
		s = cli_view_report_map_sector(m, cli_view_str(e, "sector"),
		    false);
		w = cli_view_report_map_week(m, cli_view_str(e, "week"));
		if (s < 0 || w < 0 || !cli_view_int(e, "hour", &h) || h < 0 ||
		    h > 23 || !cli_view_int(e, "hours", &v) || v < 0)
			continue;
		n = ((size_t)s * m->n_weeks + (size_t)w) * 24 + (size_t)h;
		m->hours[n] += v;
		if (cli_view_int(e, "met", &v) && v > 0)
			m->met[n] += v;
	}
	return true;
}

/* "2026-W49 (30/11)": the week and its Monday. */
static void
cli_view_report_map_label(const char *week, char *buf, size_t len)
{
	struct tm tm;
	time_t jan4, monday;
	int y, w;

	memset(&tm, 0, sizeof(tm));
	if (sscanf(week, "%4d-W%2d", &y, &w) != 2) {
		snprintf(buf, len, "%s", week);
		return;
	}
	tm.tm_year = y - 1900;
	tm.tm_mday = 4;		/* January 4 is in week 1 */
	jan4 = timegm(&tm);
	gmtime_r(&jan4, &tm);
	monday = jan4 - (time_t)((tm.tm_wday + 6) % 7) * 86400 +
	    (time_t)(w - 1) * 7 * 86400;
	gmtime_r(&monday, &tm);
	snprintf(buf, len, "%s (%02d/%02d)", week, tm.tm_mday, tm.tm_mon + 1);
}

static void
cli_view_report_map_cell(struct cli_out *out, long long hours,
    long long met, int x, int y, const char *week, int hour)
{
	const int w = CLI_VIEW_REPORT_MAP_CELL_W;
	const int h = CLI_VIEW_REPORT_MAP_CELL_H;
	char fill[8];

	if (hours <= 0) {
		cli_out_printf(out, "<rect class=\"cell\" x=\"%d\" y=\"%d\" "
		    "width=\"%d\" height=\"%d\" fill=\"%s\" stroke=\"#999\">"
		    "<title>", x + 1, y + 1, w - 2, h - 2,
		    CLI_VIEW_REPORT_MAP_NONE);
		cli_view_report_html_esc(out, week);
		cli_out_printf(out, " %dh: no target</title></rect>\n<text "
		    "x=\"%d\" y=\"%d\" text-anchor=\"middle\" fill=\"#555\">"
		    "\xe2\x80\x93</text>\n", hour, x + w / 2, y + h / 2 + 4);
		return;
	}
	cli_view_report_map_color((double)met / (double)hours, fill);
	cli_out_printf(out, "<rect class=\"cell\" x=\"%d\" y=\"%d\" "
	    "width=\"%d\" height=\"%d\" fill=\"%s\" stroke=\"#555\"><title>",
	    x + 1, y + 1, w - 2, h - 2, fill);
	cli_view_report_html_esc(out, week);
	/* Floored: 100% only where every sector-hour was met. */
	cli_out_printf(out, " %dh: target met %lld of %lld</title></rect>\n"
	    "<text x=\"%d\" y=\"%d\" text-anchor=\"middle\">%lld%% (%lld/%lld)"
	    "</text>\n", hour, met, hours, x + w / 2, y + h / 2 + 4,
	    met * 100 / hours, met, hours);
}

/* One sector's map: a row per week, a column per hour. */
static void
cli_view_report_map_svg(const struct cli_view_report_map_grid *m, size_t s,
    struct cli_out *out)
{
	const int nh = m->hi - m->lo + 1;
	const int width = CLI_VIEW_REPORT_MAP_LABEL_W +
	    nh * CLI_VIEW_REPORT_MAP_CELL_W;
	const int height = CLI_VIEW_REPORT_MAP_HEAD_H +
	    (int)m->n_weeks * CLI_VIEW_REPORT_MAP_CELL_H;
	char label[48];
	size_t b;
	int x, y;

	cli_out_printf(out, "<div class=\"map\">\n<h3>Sector ");
	cli_view_report_html_esc(out, m->sectors[s]);
	cli_out_printf(out, "</h3>\n<svg xmlns=\"http://www.w3.org/2000/svg\" "
	    "width=\"%d\" height=\"%d\" viewBox=\"0 0 %d %d\" "
	    "font-family=\"DejaVu Sans, Liberation Sans, Arial, sans-serif\" "
	    "font-size=\"11\" role=\"img\" aria-label=\"Coverage of sector ",
	    width, height, width, height);
	cli_view_report_html_esc(out, m->sectors[s]);
	cli_out_printf(out, " by week and hour\">\n");
	for (int hr = m->lo; hr <= m->hi; hr++)
		cli_out_printf(out, "<text x=\"%d\" y=\"15\" "
		    "text-anchor=\"middle\" font-weight=\"bold\">%dh</text>\n",
		    CLI_VIEW_REPORT_MAP_LABEL_W + (hr - m->lo) *
		    CLI_VIEW_REPORT_MAP_CELL_W + CLI_VIEW_REPORT_MAP_CELL_W / 2,
		    hr);
	for (size_t w = 0; w < m->n_weeks; w++) {
		y = CLI_VIEW_REPORT_MAP_HEAD_H + (int)w *
		    CLI_VIEW_REPORT_MAP_CELL_H;
		cli_view_report_map_label(m->weeks[w], label, sizeof(label));
		cli_out_printf(out, "<text x=\"2\" y=\"%d\">", y +
		    CLI_VIEW_REPORT_MAP_CELL_H / 2 + 4);
		cli_view_report_html_esc(out, label);
		cli_out_printf(out, "</text>\n");
		for (int hr = m->lo; hr <= m->hi; hr++) {
			b = (s * m->n_weeks + w) * 24 + (size_t)hr;
			x = CLI_VIEW_REPORT_MAP_LABEL_W + (hr - m->lo) *
			    CLI_VIEW_REPORT_MAP_CELL_W;
			cli_view_report_map_cell(out, m->hours[b], m->met[b],
			    x, y, m->weeks[w], hr);
		}
	}
	cli_out_printf(out, "</svg>\n</div>\n");
}

/* Swatches from 0% to 100%, and the grey of no target. */
static void
cli_view_report_map_legend(struct cli_out *out)
{
	char fill[8];

	cli_out_printf(out, "<div class=\"legend\">\n<svg "
	    "xmlns=\"http://www.w3.org/2000/svg\" width=\"560\" height=\"22\" "
	    "viewBox=\"0 0 560 22\" font-family=\"DejaVu Sans, Liberation "
	    "Sans, Arial, sans-serif\" font-size=\"11\" role=\"img\" "
	    "aria-label=\"Legend\">\n");
	for (int k = 0; k <= 4; k++) {
		cli_view_report_map_color(k / 4.0, fill);
		cli_out_printf(out, "<rect class=\"key\" x=\"%d\" y=\"3\" "
		    "width=\"26\" height=\"16\" fill=\"%s\" stroke=\"#555\"/>"
		    "<text x=\"%d\" y=\"15\">%d%%</text>\n", k * 80, fill,
		    k * 80 + 32, k * 25);
	}
	cli_out_printf(out, "<rect class=\"key\" x=\"400\" y=\"3\" "
	    "width=\"26\" height=\"16\" fill=\"%s\" stroke=\"#999\"/>"
	    "<text x=\"432\" y=\"15\">\xe2\x80\x93 no target</text>\n"
	    "</svg>\n</div>\n",
	    CLI_VIEW_REPORT_MAP_NONE);
}

void
cli_view_report_map(const cJSON *r, struct cli_out *out)
{
	struct cli_view_report_map_grid m;
	bool has_target;
	size_t n;

	memset(&m, 0, sizeof(m));
	cli_out_printf(out, "<h2>Coverage by week and hour</h2>\n<p>Per "
	    "sector, each ISO week (its Monday in brackets) and each hour of "
	    "the SNP window: how many of the week's sector-hours with a "
	    "target had it met, in percent and as met/with a target.</p>\n");
	if (!cli_view_report_map_fill(r, &m)) {
		cli_out_printf(out, "<p>The maps could not be drawn: out of "
		    "memory.</p>\n");
		goto out;
	}
	cli_view_report_map_legend(out);
	for (size_t s = 0; s < m.n_sectors; s++) {
		has_target = false;
		n = m.n_weeks * 24;
		for (size_t b = s * n; b < (s + 1) * n && !has_target; b++)
			has_target = m.hours[b] > 0;
		if (has_target) {
			cli_view_report_map_svg(&m, s, out);
			continue;
		}
		cli_out_printf(out, "<p>Sector ");
		cli_view_report_html_esc(out, m.sectors[s]);
		cli_out_printf(out, ": no target in this period.</p>\n");
	}
out:
	free(m.sectors);
	free(m.hours);
	free(m.met);
}
