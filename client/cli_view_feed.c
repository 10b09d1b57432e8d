/* snpctl views of the feeds: their state, a push, a GP's time by day. */
#include "client/cli_view_feed.h"

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "client/cli.h"
#include "proto/jarg.h"
#include "proto/rfc3339.h"

#define CLI_VIEW_FEED_DAY	86400
/* Longest period shown day by day; snpd answers at most 366 days. */
#define CLI_VIEW_FEED_MAX_DAYS	400
/* avail's columns: the day, the kind of time, intervals up to the 80th. */
#define CLI_VIEW_FEED_DAY_COLS	12
#define CLI_VIEW_FEED_KIND_COLS	12
#define CLI_VIEW_FEED_LINE_COLS	80

/*
 * The wall clock time s carries, as seconds since the epoch as if it were
 * UTC: "2026-11-30T14:00:00+01:00" gives 2026-11-30T14:00:00Z. snpd
 * writes times at the territory's offset, so this is the territory's
 * local time, whatever this machine's zone. A date is its midnight.
 */
static bool
cli_view_feed_wall(const char *s, int64_t *wall)
{
	struct rfc3339 t;
	struct tm tm;
	const char *p;
	int off;

	if (s == NULL || rfc3339_parse(s, &t) != 0)
		return false;
	if (t.is_date) {
		memset(&tm, 0, sizeof(tm));
		tm.tm_year = t.year - 1900;
		tm.tm_mon = t.month - 1;
		tm.tm_mday = t.day;
		*wall = (int64_t)timegm(&tm);
		return true;
	}
	/* rfc3339_parse() checked the form: "Z", or "±HH:MM" last. */
	p = s + strlen(s);
	if (p[-1] == 'Z' || p[-1] == 'z')
		off = 0;
	else {
		p -= 6;
		off = ((p[1] - '0') * 10 + (p[2] - '0')) * 3600 +
		    ((p[4] - '0') * 10 + (p[5] - '0')) * 60;
		if (*p == '-')
			off = -off;
	}
	*wall = t.utc + off;
	return true;
}

/* The day number of a wall time (0 is 1970-01-01), rounding down. */
static int64_t
cli_view_feed_day(int64_t wall)
{
	if (wall >= 0)
		return wall / CLI_VIEW_FEED_DAY;
	return -((-wall + CLI_VIEW_FEED_DAY - 1) / CLI_VIEW_FEED_DAY);
}

/* "30/11" */
static void
cli_view_feed_date(int64_t day, char *buf, size_t len)
{
	time_t t = (time_t)(day * CLI_VIEW_FEED_DAY);
	struct tm tm;

	if (gmtime_r(&t, &tm) == NULL)
		snprintf(buf, len, "?");
	else
		snprintf(buf, len, "%02d/%02d", tm.tm_mday, tm.tm_mon + 1);
}

/* "13:45" of a wall time within its day; the day's end is "24:00". */
static void
cli_view_feed_hm(int64_t wall, int64_t day, char *buf, size_t len)
{
	int64_t sec = wall - day * CLI_VIEW_FEED_DAY;

	snprintf(buf, len, "%02d:%02d", (int)(sec / 3600),
	    (int)(sec % 3600 / 60));
}

/* "30/11 13:45", or the text as sent when it does not read as a time. */
static void
cli_view_feed_short(const char *s, char *buf, size_t len)
{
	char date[16], hm[16];
	int64_t wall, day;

	if (!cli_view_feed_wall(s, &wall)) {
		cli_out_clean(s, buf, len);
		return;
	}
	day = cli_view_feed_day(wall);
	cli_view_feed_date(day, date, sizeof(date));
	cli_view_feed_hm(wall, day, hm, sizeof(hm));
	snprintf(buf, len, "%s %s", date, hm);
}

/*
 * Cuts s to cols columns, the last one "…", at a character boundary.
 * s must have 3 bytes of room past its NUL (the ellipsis may be longer
 * than what it replaces).
 */
static void
cli_view_feed_cut(char *s, size_t cols)
{
	size_t keep = 0, w;
	char c;

	if (cli_out_width(s) <= cols)
		return;
	for (size_t i = 0; s[i] != '\0'; i++) {
		if (((unsigned char)s[i] & 0xc0) == 0x80)
			continue;	/* inside a character */
		c = s[i];
		s[i] = '\0';
		w = cli_out_width(s);
		s[i] = c;
		if (w > cols - 1)
			break;
		keep = i;
	}
	while (keep > 0 && s[keep - 1] == ' ')
		keep--;
	memcpy(s + keep, "\xe2\x80\xa6", 4);	/* U+2026 and the NUL */
}

int
cli_view_feed_status(const struct cli_view_res *res, struct cli_out *out,
    char *why, size_t whylen)
{
	static const char *const head[] = {
		"GP", "STATE", "SOURCE", "EVENTS", "LAST OK", "ERROR"
	};
	static const char *const states[] = {
		"ok", "failing", "never", "push-only"
	};
	enum { NSTATES = sizeof(states) / sizeof(states[0]) };
	long long count[NSTATES + 1] = { 0 }, n = 0, v;
	char events[64], last[64], when[64], sum[256] = "";
	char raw[1024], error[1024];
	const char *row[6], *state, *err, *since;
	const cJSON *f, *lastok;
	struct cli_table t;
	size_t k;

	if (!cJSON_IsArray(res->result)) {
		snprintf(why, whylen, "unreadable reply: the feed list is not "
		    "a list");
		return CLI_EXIT_NOREPLY;
	}
	cli_table_init(&t, 6, head);
	cJSON_ArrayForEach(f, res->result) {
		if (!cJSON_IsObject(f))
			continue;
		state = cli_view_str(f, "state");
		for (k = 0; k < NSTATES; k++)
			if (state != NULL && strcmp(state, states[k]) == 0)
				break;
		count[k]++;
		n++;
		row[0] = cli_view_str(f, "gp");
		row[1] = state;
		row[2] = cli_view_str(f, "source");

		/* Without content, "0 events" would read as an empty agenda. */
		*events = '\0';
		if (cli_view_str(f, "content_since") != NULL &&
		    cli_view_int(f, "events", &v)) {
			snprintf(events, sizeof(events), "%lld", v);
			if (cli_view_int(f, "warnings", &v) && v > 0)
				snprintf(events + strlen(events),
				    sizeof(events) - strlen(events),
				    " (%lld skipped)", v);
		}
		row[3] = *events != '\0' ? events : NULL;

		lastok = cJSON_GetObjectItemCaseSensitive(f, "last_ok");
		if (cJSON_IsString(lastok))
			cli_view_feed_short(lastok->valuestring, last,
			    sizeof(last));
		row[4] = cJSON_IsString(lastok) ? last : cJSON_IsNull(lastok) ?
		    "never" : NULL;

		*error = '\0';
		err = cli_view_str(f, "error");
		since = cli_view_str(f, "failing_since");
		if (err != NULL) {
			*when = '\0';
			if (since != NULL)
				cli_view_feed_short(since, when, sizeof(when));
			snprintf(raw, sizeof(raw), "%s%s%s%s", *when ?
			    "failing since " : "", when, *when ? ": " : "",
			    err);
			/* Cleaning first: cutting counts what is printed. */
			cli_out_clean(raw, error, sizeof(error) - 3);
			cli_view_feed_cut(error, CLI_VIEW_FEED_ERROR_COLS);
		}
		row[5] = error;
		cli_table_add(&t, row);
	}
	if (n > 0)
		cli_table_print(&t, out);
	cli_table_fini(&t);
	for (k = 0; k < NSTATES; k++)
		if (count[k] > 0)
			cli_view_part(sum, sizeof(sum), "%lld %s", count[k],
			    states[k]);
	if (count[NSTATES] > 0)
		cli_view_part(sum, sizeof(sum), "%lld in another state",
		    count[NSTATES]);
	cli_out_printf(out, "%lld %s%s%s\n", n, cli_view_plural(n, "feed",
	    "feeds"), *sum != '\0' ? ": " : "", sum);
	return CLI_EXIT_OK;
}

int
cli_view_feed_refresh(const struct cli_view_res *res, struct cli_out *out,
    char *why, size_t whylen)
{
	long long n;

	(void)why;
	(void)whylen;
	if (!cli_view_int(res->result, "queued", &n))
		cli_out_printf(out, "refresh queued\n");
	else if (n == 0)
		cli_out_printf(out, "no feed to refresh (a GP without a feed "
		    "address publishes with snpctl publish)\n");
	else
		cli_out_printf(out, "refresh queued for %lld %s\n", n,
		    cli_view_plural(n, "feed", "feeds"));
	return CLI_EXIT_OK;
}

/* ", 12 h offered for SNP": hours, with one decimal when needed. */
static void
cli_view_feed_hours(char *buf, size_t len, const cJSON *r, const char *key,
    const char *what, bool is_always)
{
	long long s, tenths;

	if (!cli_view_int(r, key, &s) || (s == 0 && !is_always))
		return;
	tenths = (s < 0 ? 0 : s + 180) / 360;
	if (tenths % 10 == 0)
		cli_view_part(buf, len, "%lld h %s", tenths / 10, what);
	else
		cli_view_part(buf, len, "%lld.%lld h %s", tenths / 10,
		    tenths % 10, what);
}

int
cli_view_feed_push(const struct cli_view_res *res, struct cli_out *out,
    char *why, size_t whylen)
{
	const cJSON *r = res->result;
	const char *gp = cli_view_str(res->asked, "gp");
	char v[512] = "", name[128];
	long long n;

	if (!cJSON_IsObject(r)) {
		snprintf(why, whylen, "unreadable reply: the push result is "
		    "not an object");
		return CLI_EXIT_NOREPLY;
	}
	cli_out_clean(gp != NULL ? gp : "", name, sizeof(name));
	if (cli_view_int(r, "events", &n))
		cli_view_part(v, sizeof(v), "%lld %s", n,
		    cli_view_plural(n, "event", "events"));
	cli_view_feed_hours(v, sizeof(v), r, "offered_s", "offered for SNP",
	    true);
	cli_view_feed_hours(v, sizeof(v), r, "offered_oncall_s", "on call",
	    true);
	cli_view_feed_hours(v, sizeof(v), r, "busy_s", "busy", true);
	cli_view_feed_hours(v, sizeof(v), r, "absent_s", "absent", false);
	cli_out_printf(out, "published%s%s%s%s\n", *name ? " " : "", name,
	    *v ? ": " : "", v);
	if (cli_view_int(r, "warnings", &n) && n > 0)
		cli_out_printf(out, "%lld broken %s skipped (no start, a rule "
		    "snpd cannot read...): fix %s in the agenda\n", n,
		    cli_view_plural(n, "event", "events"),
		    cli_view_plural(n, "it", "them"));
	return CLI_EXIT_OK;
}

/* Intervals of wall time, [s, e), in the order snpd sent them. */
struct cli_view_feed_set {
	struct cli_view_feed_iv {
		int64_t	 s, e;
	}		*v;
	size_t		 n, cap;
};

static bool
cli_view_feed_add(struct cli_view_feed_set *set, int64_t s, int64_t e)
{
	struct cli_view_feed_iv *v;
	size_t cap;

	if (set->n == set->cap) {
		cap = set->cap != 0 ? set->cap * 2 : 16;
		if ((v = reallocarray(set->v, cap, sizeof(*v))) == NULL)
			return false;
		set->v = v;
		set->cap = cap;
	}
	set->v[set->n].s = s;
	set->v[set->n].e = e;
	set->n++;
	return true;
}

/* r[key], a list of {start, end}, as wall times. */
static bool
cli_view_feed_load(const cJSON *r, const char *key,
    struct cli_view_feed_set *set)
{
	const cJSON *list = jarg_get(r, key), *it;
	int64_t s, e;

	if (!cJSON_IsArray(list))
		return true;
	cJSON_ArrayForEach(it, list) {
		/*
		 * A garbled interval is left out, not guessed. A written end
		 * before its start happens only inside the hour repeated when
		 * clocks go back: too short to matter on a day's line.
		 */
		if (!cli_view_feed_wall(cli_view_str(it, "start"), &s) ||
		    !cli_view_feed_wall(cli_view_str(it, "end"), &e) ||
		    e <= s)
			continue;
		if (!cli_view_feed_add(set, s, e))
			return false;
	}
	return true;
}

/* The part of set within [ds, de), into day (emptied first). */
static bool
cli_view_feed_clip(const struct cli_view_feed_set *set, int64_t ds,
    int64_t de, struct cli_view_feed_set *day)
{
	day->n = 0;
	for (size_t i = 0; i < set->n; i++) {
		int64_t s = set->v[i].s > ds ? set->v[i].s : ds;
		int64_t e = set->v[i].e < de ? set->v[i].e : de;

		if (s < e && !cli_view_feed_add(day, s, e))
			return false;
	}
	return true;
}

/* a - b into out (emptied first); a and b sorted and disjoint. */
static bool
cli_view_feed_minus(const struct cli_view_feed_set *a,
    const struct cli_view_feed_set *b, struct cli_view_feed_set *out)
{
	size_t j = 0;

	out->n = 0;
	for (size_t i = 0; i < a->n; i++) {
		int64_t s = a->v[i].s, e = a->v[i].e;

		while (j < b->n && b->v[j].e <= s)
			j++;
		for (size_t k = j; k < b->n && b->v[k].s < e; k++) {
			if (b->v[k].s > s && !cli_view_feed_add(out, s,
			    b->v[k].s))
				return false;
			if (b->v[k].e > s)
				s = b->v[k].e;
		}
		if (s < e && !cli_view_feed_add(out, s, e))
			return false;
	}
	return true;
}

/* Prints s, then blanks up to cols columns (one at least). */
static void
cli_view_feed_pad(struct cli_out *out, const char *s, size_t cols)
{
	size_t w = cli_out_width(s);

	cli_out_printf(out, "%s%*s", s, w < cols ? (int)(cols - w) : 1, "");
}

/* The day's label on its first line, blanks under it on the others. */
static void
cli_view_feed_lead(struct cli_out *out, const char *label, bool *is_first,
    const char *kind)
{
	cli_view_feed_pad(out, *is_first ? label : "",
	    CLI_VIEW_FEED_DAY_COLS);
	*is_first = false;
	if (kind != NULL)
		cli_view_feed_pad(out, kind, CLI_VIEW_FEED_KIND_COLS);
}

/* "occupé      08:30–12:00, 14:00–19:00", wrapped before column 80. */
static void
cli_view_feed_line(struct cli_out *out, const char *label, bool *is_first,
    const char *kind, const struct cli_view_feed_set *day, int64_t d)
{
	const int indent = CLI_VIEW_FEED_DAY_COLS + CLI_VIEW_FEED_KIND_COLS;
	const int ivcols = 11;			/* "14:00–18:00" */
	char s[16], e[16];
	int col = indent;

	cli_view_feed_lead(out, label, is_first, kind);
	for (size_t i = 0; i < day->n; i++) {
		if (i > 0 && col + 2 + ivcols > CLI_VIEW_FEED_LINE_COLS) {
			cli_out_printf(out, ",\n%*s", indent, "");
			col = indent;
		} else if (i > 0) {
			cli_out_printf(out, ", ");
			col += 2;
		}
		cli_view_feed_hm(day->v[i].s, d, s, sizeof(s));
		cli_view_feed_hm(day->v[i].e, d, e, sizeof(e));
		cli_out_printf(out, "%s\xe2\x80\x93%s", s, e);	/* en dash */
		col += ivcols;
	}
	cli_out_printf(out, "\n");
}

/* The kinds of time avail.get answers, in the order shown. */
enum { AV_SNP, AV_ONCALL, AV_BUSY, AV_ABSENT, AV_FREE, AV_COUNT };
static const char *const cli_view_feed_kinds[AV_COUNT] = {
	[AV_SNP] = "offered_snp",
	[AV_ONCALL] = "offered_oncall",
	[AV_BUSY] = "busy",
	[AV_ABSENT] = "absent",
	[AV_FREE] = "free_snp",
};

/*
 * One day's lines; day holds AV_COUNT + 1 sets to work in. outside, when
 * not NULL, is what to say of a day outside the horizon.
 */
static bool
cli_view_feed_one_day(struct cli_out *out,
    const struct cli_view_feed_set *all, struct cli_view_feed_set *day,
    int64_t d, const char *outside)
{
	static const char *const wday[7] = {
		"lun.", "mar.", "mer.", "jeu.", "ven.", "sam.", "dim."
	};
	int64_t ds = d * CLI_VIEW_FEED_DAY, de = ds + CLI_VIEW_FEED_DAY;
	struct cli_view_feed_set *busy = &day[AV_COUNT];
	char label[32], date[16];
	bool is_first = true;

	cli_view_feed_date(d, date, sizeof(date));
	/* Day 0, 1970-01-01, was a Thursday. */
	snprintf(label, sizeof(label), "%s %s", wday[((d + 3) % 7 + 7) % 7],
	    date);
	if (outside != NULL) {
		cli_view_feed_lead(out, label, &is_first, NULL);
		cli_out_printf(out, "%s\n", outside);
		return true;
	}
	for (int k = 0; k < AV_COUNT; k++)
		if (!cli_view_feed_clip(&all[k], ds, de, &day[k]))
			return false;
	/* Absences are busy time too: "occupé" shows the rest. */
	if (!cli_view_feed_minus(&day[AV_BUSY], &day[AV_ABSENT], busy))
		return false;

	if (day[AV_SNP].n > 0)
		cli_view_feed_line(out, label, &is_first, "SNP offert",
		    &day[AV_SNP], d);
	if (day[AV_ONCALL].n > 0)
		cli_view_feed_line(out, label, &is_first, "astreinte",
		    &day[AV_ONCALL], d);
	if (busy->n > 0)
		cli_view_feed_line(out, label, &is_first, "occupé", busy, d);
	if (day[AV_ABSENT].n == 1 && day[AV_ABSENT].v[0].s == ds &&
	    day[AV_ABSENT].v[0].e == de) {
		cli_view_feed_lead(out, label, &is_first, "absent");
		cli_out_printf(out, "toute la journée\n");
	} else if (day[AV_ABSENT].n > 0)
		cli_view_feed_line(out, label, &is_first, "absent",
		    &day[AV_ABSENT], d);
	if (day[AV_FREE].n > 0)
		cli_view_feed_line(out, label, &is_first, "SNP libre",
		    &day[AV_FREE], d);
	else if (day[AV_SNP].n > 0) {
		cli_view_feed_lead(out, label, &is_first, "SNP libre");
		cli_out_printf(out, "aucun\n");
	}
	if (is_first) {
		cli_view_feed_lead(out, label, &is_first, NULL);
		cli_out_printf(out, "rien dans l'agenda\n");
	}
	return true;
}

/*
 * The days to show: those of the period asked, else those the answer
 * knows of. false when there is none.
 */
static bool
cli_view_feed_days(const struct cli_view_res *res, int64_t *d0,
    int64_t *d1)
{
	int64_t from, to;

	if ((!cli_view_feed_wall(cli_view_str(res->asked, "from"), &from) ||
	    !cli_view_feed_wall(cli_view_str(res->asked, "to"), &to)) &&
	    (!cli_view_feed_wall(cli_view_str(res->result, "horizon_from"),
	    &from) || !cli_view_feed_wall(cli_view_str(res->result,
	    "horizon_to"), &to)))
		return false;
	if (to <= from)
		return false;
	*d0 = cli_view_feed_day(from);
	*d1 = cli_view_feed_day(to - 1);
	if (*d1 - *d0 >= CLI_VIEW_FEED_MAX_DAYS)
		*d1 = *d0 + CLI_VIEW_FEED_MAX_DAYS - 1;
	return true;
}

int
cli_view_feed_avail(const struct cli_view_res *res, struct cli_out *out,
    char *why, size_t whylen)
{
	struct cli_view_feed_set all[AV_COUNT], day[AV_COUNT + 1];
	const cJSON *r = res->result;
	const char *gp = cli_view_str(r, "gp");
	const char *state = cli_view_str(r, "state");
	int64_t d0, d1, hf, ht;
	char from[16], to[16], outside[64];
	bool has_horizon, is_ok = true;

	if (!cJSON_IsObject(r)) {
		snprintf(why, whylen, "unreadable reply: the availability is "
		    "not an object");
		return CLI_EXIT_NOREPLY;
	}
	if (gp == NULL)
		gp = cli_view_str(res->asked, "gp");
	if (cli_view_bool(r, "content") == 0) {
		cli_out_printf(out, "no calendar yet for %s (state: %s)\n",
		    gp != NULL ? gp : "this GP", state != NULL ? state : "-");
		return CLI_EXIT_OK;
	}
	if (gp == NULL)
		gp = "this GP";
	if (state != NULL && strcmp(state, "failing") == 0)
		cli_out_printf(out, "%s: calendar failing, showing the last "
		    "one snpd could read\n", gp);
	else if (state != NULL)
		cli_out_printf(out, "%s: calendar %s\n", gp, state);
	if (!cli_view_feed_days(res, &d0, &d1)) {
		cli_out_printf(out, "(no day to show)\n");
		return CLI_EXIT_OK;
	}
	has_horizon = cli_view_feed_wall(cli_view_str(r, "horizon_from"),
	    &hf) && cli_view_feed_wall(cli_view_str(r, "horizon_to"), &ht) &&
	    hf < ht;
	if (has_horizon) {
		cli_view_feed_date(cli_view_feed_day(hf), from, sizeof(from));
		cli_view_feed_date(cli_view_feed_day(ht - 1), to, sizeof(to));
		snprintf(outside, sizeof(outside), "hors de l'horizon de snpd "
		    "(%s\xe2\x80\x93%s)", from, to);
	}

	memset(all, 0, sizeof(all));
	memset(day, 0, sizeof(day));
	for (int k = 0; k < AV_COUNT && is_ok; k++)
		is_ok = cli_view_feed_load(r, cli_view_feed_kinds[k], &all[k]);
	for (int64_t d = d0; d <= d1 && is_ok; d++) {
		int64_t ds = d * CLI_VIEW_FEED_DAY;

		/* snpd knows nothing outside its horizon: not "nothing". */
		is_ok = cli_view_feed_one_day(out, all, day, d, has_horizon &&
		    (ds + CLI_VIEW_FEED_DAY <= hf || ds >= ht) ? outside :
		    NULL);
	}
	for (int k = 0; k < AV_COUNT; k++)
		free(all[k].v);
	for (int k = 0; k <= AV_COUNT; k++)
		free(day[k].v);
	if (!is_ok)
		out->has_failed = true;	/* the flush reports it */
	return CLI_EXIT_OK;
}
