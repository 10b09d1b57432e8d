/* Unit tests of the calendar step: hand-made feeds, hand-computed sets. */
#include <setjmp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <cmocka.h>

#include "daemon/core/cal.h"

/*
 * Every expected interval below was worked out by hand from DESIGN.md
 * ("Availability: what a feed means") and the fixture's text, never by
 * running cal_parse; tests/unit/data/cal/README.md says, file by file,
 * what each fixture imitates and why each value is what it is.
 */

#define NCASES(a)	(sizeof(a) / sizeof((a)[0]))
#define SET(a)		{ (a), NCASES(a) }
#define NOTHING		{ NULL, 0 }
#define UNCHECKED	(-1)
#define MAX_BYTES	10485760	/* CONFIG.md feeds.max_bytes */
#define MAX_INSTANCES	100000		/* CONFIG.md feeds.max_instances */
#define FAST_S		5.0		/* "rejected quickly" */
#define WHYLEN		256

/* The horizons of the fixtures: 28 local days each (README.md). */
#define SPRING_FROM	"2026-03-23T00:00:00+01:00"
#define SPRING_TO	"2026-04-20T00:00:00+02:00"
#define FALL_FROM	"2026-10-19T00:00:00+02:00"
#define FALL_TO		"2026-11-16T00:00:00+01:00"

/* CONFIG.md's default markers. */
static const char *const snp_markers[] = { "SNP" };
static const char *const oncall_markers[] = { "ASTREINTE", "ONCALL" };
static const char *const absent_markers[] = { "ABSENCE", "CONGES",
	"CONGÉS", "VACANCES" };

/* Expected intervals of one set, as local RFC 3339 {start, end} pairs. */
struct want_set {
	const char *const	(*iv)[2];
	size_t			 n;
};

enum { S_SNP, S_ONCALL, S_BUSY, S_ABSENT, S_COUNT };
static const char *const set_names[S_COUNT] = { "offered_snp",
	"offered_oncall", "busy", "absent" };

struct fixture {
	const char	*file;		/* under $SNP_TEST_DATA/cal/ */
	const char	*from, *to;	/* the horizon */
	struct want_set	 want[S_COUNT];
	long		 events;	/* UNCHECKED, or components read */
	size_t		 warnings;
};

static const struct tz *paris;

static int
setup(void **state)
{
	(void)state;
	tz_init();
	paris = tz_get("Europe/Paris");
	if (paris == NULL)
		return -1;
	cal_zones_preload(paris);
	return 0;
}

static int
teardown(void **state)
{
	(void)state;
	tz_shutdown();
	return 0;
}

/*
 * "YYYY-MM-DDTHH:MM:SS±HH:MM" (or Z) to UTC seconds. The offset written
 * must be Paris's at that instant: a typo in a table (+01:00 in summer)
 * fails here instead of passing as a wrong expectation.
 */
static int64_t
rfc3339(const char *s)
{
	int y = 0, mo = 0, d = 0, h = 0, mi = 0, se = 0;
	int oh = 0, om = 0, n = 0;
	int32_t off = 0;
	char sign = 'Z';
	struct tm tm;
	int64_t t;

	if (sscanf(s, "%4d-%2d-%2dT%2d:%2d:%2d%n", &y, &mo, &d, &h, &mi, &se,
	    &n) != 6 || n != 19)
		fail_msg("bad time literal \"%s\" in a table", s);
	sign = s[19];
	if (sign == '+' || sign == '-') {
		if (sscanf(s + 20, "%2d:%2d%n", &oh, &om, &n) != 2 || n != 5 ||
		    s[25] != '\0')
			fail_msg("bad offset in \"%s\"", s);
		off = (sign == '-' ? -1 : 1) * (oh * 3600 + om * 60);
	} else if (sign != 'Z' || s[20] != '\0')
		fail_msg("bad time literal \"%s\" in a table", s);
	memset(&tm, 0, sizeof(tm));
	tm.tm_year = y - 1900;
	tm.tm_mon = mo - 1;
	tm.tm_mday = d;
	tm.tm_hour = h;
	tm.tm_min = mi;
	tm.tm_sec = se;
	t = (int64_t)timegm(&tm) - off;
	if (sign != 'Z' && tz_offset_s(paris, t) != off)
		fail_msg("table literal \"%s\": Paris is at %+d s then", s,
		    (int)tz_offset_s(paris, t));
	return t;
}

/* An instant as Paris local time with its offset, for failure output. */
static const char *
local(int64_t t, char *buf, size_t len)
{
	struct tz_local l;
	int32_t off;

	tz_to_local(paris, t, &l);
	off = l.offset_s < 0 ? -l.offset_s : l.offset_s;
	snprintf(buf, len, "%04d-%02d-%02dT%02d:%02d:%02d%c%02d:%02d", l.year,
	    l.month, l.day, l.hour, l.min, l.sec, l.offset_s < 0 ? '-' : '+',
	    (int)(off / 3600), (int)(off % 3600 / 60));
	return buf;
}

/* The expected set; the table itself must be written normalized. */
static void
want_build(const char *what, const struct want_set *w, struct ivs *out)
{
	ivs_init(out);
	for (size_t i = 0; i < w->n; i++) {
		int64_t a = rfc3339(w->iv[i][0]), b = rfc3339(w->iv[i][1]);

		if (a >= b || (i > 0 && a <= out->v[out->n - 1].end))
			fail_msg("%s: table row %zu (%s) is empty, unsorted or "
			    "touches the one before", what, i, w->iv[i][0]);
		assert_int_equal(ivs_push(out, a, b), 0);
	}
}

/*
 * Both sets in local time, line by line: "  " in both, "- " expected
 * but missing, "+ " produced but not expected.
 */
static void
print_diff(const struct ivs *want, const struct ivs *got)
{
	size_t i = 0, j = 0;
	char a[40], b[40];

	while (i < want->n || j < got->n) {
		const struct ivs_iv *w = i < want->n ? &want->v[i] : NULL;
		const struct ivs_iv *g = j < got->n ? &got->v[j] : NULL;

		if (w != NULL && g != NULL && w->start == g->start &&
		    w->end == g->end) {
			print_error("    %s .. %s\n", local(w->start, a, 40),
			    local(w->end, b, 40));
			i++, j++;
		} else if (g == NULL || (w != NULL && (w->start < g->start ||
		    (w->start == g->start && w->end < g->end)))) {
			print_error("  - %s .. %s\n", local(w->start, a, 40),
			    local(w->end, b, 40));
			i++;
		} else {
			print_error("  + %s .. %s\n", local(g->start, a, 40),
			    local(g->end, b, 40));
			j++;
		}
	}
	if (want->n == 0 && got->n == 0)
		print_error("    (both empty)\n");
}

/* What cal.h promises of every set: normalized, inside the horizon. */
static void
check_shape(const char *file, const char *name, const struct ivs *s,
    int64_t from, int64_t to)
{
	for (size_t i = 0; i < s->n; i++) {
		if (s->v[i].start >= s->v[i].end)
			fail_msg("%s: %s[%zu] is empty", file, name, i);
		if (i > 0 && s->v[i].start <= s->v[i - 1].end)
			fail_msg("%s: %s[%zu] is unsorted, overlapping or "
			    "touching the one before", file, name, i);
		if (s->v[i].start < from || s->v[i].end > to)
			fail_msg("%s: %s[%zu] leaves the horizon", file, name,
			    i);
	}
}

/* The whole text of a fixture; *len is its size. Free with free(). */
static char *
load(const char *file, size_t *len)
{
	const char *dir = getenv("SNP_TEST_DATA");
	char path[1024];
	char *buf;
	long size = 0;
	FILE *f = NULL;

	if (dir == NULL)
		fail_msg("SNP_TEST_DATA is not set (run through meson test)");
	snprintf(path, sizeof(path), "%s/cal/%s", dir, file);
	if ((f = fopen(path, "rb")) == NULL)
		fail_msg("%s: cannot open", path);
	if (fseek(f, 0, SEEK_END) != 0 || (size = ftell(f)) < 0 ||
	    fseek(f, 0, SEEK_SET) != 0)
		fail_msg("%s: cannot size", path);
	buf = malloc((size_t)size + 1);
	assert_non_null(buf);
	if (fread(buf, 1, (size_t)size, f) != (size_t)size)
		fail_msg("%s: short read", path);
	fclose(f);
	buf[size] = '\0';	/* a guard only: cal_parse gets len */
	*len = (size_t)size;
	return buf;
}

static void
opts_default(struct cal_opts *o, const char *from, const char *to)
{
	memset(o, 0, sizeof(*o));
	o->tz = paris;
	o->from_utc = rfc3339(from);
	o->to_utc = rfc3339(to);
	o->markers.snp = snp_markers;
	o->markers.n_snp = NCASES(snp_markers);
	o->markers.oncall = oncall_markers;
	o->markers.n_oncall = NCASES(oncall_markers);
	o->markers.absent = absent_markers;
	o->markers.n_absent = NCASES(absent_markers);
	o->max_bytes = MAX_BYTES;
	o->max_instances = MAX_INSTANCES;
	o->is_late = NULL;
	o->late_arg = NULL;
}

/* Parse one fixture and compare its four sets and counts. */
static void
run_fixture(const struct fixture *fx)
{
	struct cal_opts o;
	struct cal_avail a;
	char why[WHYLEN] = "";
	size_t len;
	char *text = load(fx->file, &len);
	int err;
	bool bad = false;

	opts_default(&o, fx->from, fx->to);
	cal_avail_init(&a);
	err = cal_parse(text, len, &o, &a, why, sizeof(why));
	if (err != CAL_OK)
		fail_msg("%s: error %d (%s): %s", fx->file, err,
		    cal_strerror(err), why);

	const struct ivs *got[S_COUNT] = { &a.offered_snp, &a.offered_oncall,
		&a.busy, &a.absent };
	for (int k = 0; k < S_COUNT; k++) {
		struct ivs want;
		char what[128];

		snprintf(what, sizeof(what), "%s %s", fx->file, set_names[k]);
		check_shape(fx->file, set_names[k], got[k], o.from_utc,
		    o.to_utc);
		want_build(what, &fx->want[k], &want);
		if (!ivs_equal(&want, got[k])) {
			print_error("%s (%s .. %s): %s differs "
			    "(- expected, + got):\n", fx->file, fx->from,
			    fx->to, set_names[k]);
			print_diff(&want, got[k]);
			bad = true;
		}
		ivs_fini(&want);
	}
	if (bad)
		fail_msg("%s: some sets differ (above)", fx->file);

	/* Absent is a subset of busy. */
	struct ivs extra;
	ivs_init(&extra);
	assert_int_equal(ivs_subtract(&a.absent, &a.busy, &extra), 0);
	if (extra.n != 0)
		fail_msg("%s: absent time that is not busy", fx->file);
	ivs_fini(&extra);

	if (fx->events != UNCHECKED && (long)a.events != fx->events)
		fail_msg("%s: %zu events, want %ld", fx->file, a.events,
		    fx->events);
	if (a.warnings != fx->warnings)
		fail_msg("%s: %zu warnings, want %zu", fx->file, a.warnings,
		    fx->warnings);
	cal_avail_fini(&a);
	free(text);
}

/* Whether why names the cause: one of the words, any case. */
static bool
why_names(const char *why, const char *const *words)
{
	for (; *words != NULL; words++)
		if (strcasestr(why, *words) != NULL)
			return true;
	return false;
}

/* Parse text expecting error want; out must come back empty. */
static void
expect_error(const char *what, const char *text, size_t len,
    const struct cal_opts *o, int want, const char *const *words)
{
	struct cal_avail a;
	char why[WHYLEN] = "";
	int err;

	cal_avail_init(&a);
	err = cal_parse(text, len, o, &a, why, sizeof(why));
	if (err != want)
		fail_msg("%s: error %d (%s), want %d (%s); why: %s", what, err,
		    cal_strerror(err), want, cal_strerror(want), why);
	if (why[0] == '\0')
		fail_msg("%s: why is empty", what);
	if (words != NULL && !why_names(why, words))
		fail_msg("%s: why \"%s\" does not name the cause (%s...)",
		    what, why, words[0]);
	if (a.offered_snp.n != 0 || a.offered_oncall.n != 0 ||
	    a.busy.n != 0 || a.absent.n != 0)
		fail_msg("%s: sets not empty after an error", what);
	cal_avail_fini(&a);
}

static double
now_s(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/*
 * Google: weekly TZID series across the spring change, its EXDATE and
 * moved instance, UTC events, a transparent "Congés" day that is absent
 * all the same, a transparent birthday that is nothing.
 */
static void
test_google(void **state)
{
	static const char *const snp[][2] = {
		{ "2026-03-23T14:00:00+01:00", "2026-03-23T18:00:00+01:00" },
		{ "2026-03-26T14:00:00+01:00", "2026-03-26T18:00:00+01:00" },
		{ "2026-03-30T14:00:00+02:00", "2026-03-30T18:00:00+02:00" },
		/* Thu 2 Apr moved to Fri 3 Apr 15-19; Mon 6 Apr EXDATE. */
		{ "2026-04-03T15:00:00+02:00", "2026-04-03T19:00:00+02:00" },
		{ "2026-04-09T14:00:00+02:00", "2026-04-09T18:00:00+02:00" },
		{ "2026-04-13T14:00:00+02:00", "2026-04-13T18:00:00+02:00" },
		{ "2026-04-16T14:00:00+02:00", "2026-04-16T18:00:00+02:00" },
	};
	static const char *const busy[][2] = {
		{ "2026-03-24T12:30:00+01:00", "2026-03-24T14:00:00+01:00" },
		{ "2026-03-25T19:30:00+01:00", "2026-03-25T21:00:00+01:00" },
		{ "2026-03-27T00:00:00+01:00", "2026-03-31T00:00:00+02:00" },
		{ "2026-03-31T12:30:00+02:00", "2026-03-31T14:00:00+02:00" },
		{ "2026-04-07T12:30:00+02:00", "2026-04-07T14:00:00+02:00" },
		{ "2026-04-14T12:30:00+02:00", "2026-04-14T14:00:00+02:00" },
	};
	static const char *const absent[][2] = {
		{ "2026-03-27T00:00:00+01:00", "2026-03-31T00:00:00+02:00" },
	};
	static const struct fixture fx = { "google.ics", SPRING_FROM,
		SPRING_TO, { SET(snp), NOTHING, SET(busy), SET(absent) }, 6,
		0 };

	(void)state;
	run_fixture(&fx);
}

/*
 * Outlook: Windows zone with its 1601 VTIMEZONE, UNTIL equal to the last
 * start, a cancelled occurrence, DURATION, OOF that is only busy unless
 * all-day, tentative busy, a "free" unmarked meeting that is nothing.
 */
static void
test_outlook(void **state)
{
	static const char *const snp[][2] = {
		{ "2026-03-25T14:00:00+01:00", "2026-03-25T20:00:00+01:00" },
		/* Wed 1 Apr cancelled. */
		{ "2026-04-08T14:00:00+02:00", "2026-04-08T20:00:00+02:00" },
		{ "2026-04-15T14:00:00+02:00", "2026-04-15T20:00:00+02:00" },
	};
	static const char *const busy[][2] = {
		{ "2026-03-31T15:00:00+02:00", "2026-03-31T17:00:00+02:00" },
		{ "2026-04-02T09:00:00+02:00", "2026-04-02T12:30:00+02:00" },
		{ "2026-04-13T18:00:00+02:00", "2026-04-13T19:00:00+02:00" },
		{ "2026-04-17T00:00:00+02:00", "2026-04-18T00:00:00+02:00" },
	};
	static const char *const absent[][2] = {
		{ "2026-04-17T00:00:00+02:00", "2026-04-18T00:00:00+02:00" },
	};
	static const struct fixture fx = { "outlook.ics", SPRING_FROM,
		SPRING_TO, { SET(snp), NOTHING, SET(busy), SET(absent) }, 7,
		0 };

	(void)state;
	run_fixture(&fx);
}

/*
 * Thunderbird: the old /mozilla.org/ zone name, "Astreinte" in any case
 * is on-call, RDATE adds, a DATE EXDATE removes a timed instance without
 * giving COUNT one more, a holiday clipped at the horizon's end.
 */
static void
test_thunderbird(void **state)
{
	static const char *const snp[][2] = {
		{ "2026-03-27T14:00:00+01:00", "2026-03-27T20:00:00+01:00" },
		{ "2026-04-03T14:00:00+02:00", "2026-04-03T20:00:00+02:00" },
		{ "2026-04-10T14:00:00+02:00", "2026-04-10T20:00:00+02:00" },
	};
	static const char *const oncall[][2] = {
		{ "2026-03-24T17:00:00+01:00", "2026-03-24T20:00:00+01:00" },
		{ "2026-03-31T17:00:00+02:00", "2026-03-31T20:00:00+02:00" },
		/* Tue 7 Apr: EXDATE;VALUE=DATE. Thu 9 Apr: RDATE. */
		{ "2026-04-09T17:00:00+02:00", "2026-04-09T20:00:00+02:00" },
		{ "2026-04-14T17:00:00+02:00", "2026-04-14T20:00:00+02:00" },
	};
	static const char *const busy[][2] = {
		{ "2026-03-30T10:00:00+02:00", "2026-03-30T11:00:00+02:00" },
		{ "2026-04-18T00:00:00+02:00", "2026-04-20T00:00:00+02:00" },
	};
	static const char *const absent[][2] = {
		{ "2026-04-18T00:00:00+02:00", "2026-04-20T00:00:00+02:00" },
	};
	static const struct fixture fx = { "thunderbird.ics", SPRING_FROM,
		SPRING_TO, { SET(snp), SET(oncall), SET(busy), SET(absent) },
		4, 0 };

	(void)state;
	run_fixture(&fx);
}

/*
 * A French practice agenda in floating time: whole-value markers
 * (SNP-après-midi is busy), a transparent SNP block still offered, a
 * cancelled one nothing, THISANDFUTURE moving Fridays to Mondays by the
 * wall clock, absence markers whatever TRANSP, "Congés" as CONGÉS.
 */
static void
test_french_agenda(void **state)
{
	static const char *const snp[][2] = {
		{ "2026-03-26T16:00:00+01:00", "2026-03-26T20:00:00+01:00" },
		{ "2026-03-30T14:00:00+02:00", "2026-03-30T18:00:00+02:00" },
		{ "2026-04-06T14:00:00+02:00", "2026-04-06T18:00:00+02:00" },
		{ "2026-04-13T14:00:00+02:00", "2026-04-13T18:00:00+02:00" },
	};
	static const char *const busy[][2] = {
		{ "2026-03-23T08:30:00+01:00", "2026-03-23T12:00:00+01:00" },
		{ "2026-03-25T14:00:00+01:00", "2026-03-25T17:00:00+01:00" },
		{ "2026-04-07T09:00:00+02:00", "2026-04-07T12:00:00+02:00" },
		{ "2026-04-15T00:00:00+02:00", "2026-04-17T00:00:00+02:00" },
	};
	static const char *const absent[][2] = {
		{ "2026-04-07T09:00:00+02:00", "2026-04-07T12:00:00+02:00" },
		{ "2026-04-15T00:00:00+02:00", "2026-04-17T00:00:00+02:00" },
	};
	static const struct fixture fx = { "french-agenda.ics", SPRING_FROM,
		SPRING_TO, { SET(snp), NOTHING, SET(busy), SET(absent) }, 8,
		0 };

	(void)state;
	run_fixture(&fx);
}

/*
 * Spring forward: 14-20 stays 14-20 local; the DTEND length of the first
 * night (11 h) is every night's; 02:30 is 03:30; HOURLY steps the wall
 * clock, so its 02:00 lands on its 03:00.
 */
static void
test_dst_spring(void **state)
{
	static const char *const snp[][2] = {
		{ "2026-03-26T14:00:00+01:00", "2026-03-26T20:00:00+01:00" },
		{ "2026-03-27T14:00:00+01:00", "2026-03-27T20:00:00+01:00" },
		{ "2026-03-28T14:00:00+01:00", "2026-03-28T20:00:00+01:00" },
		{ "2026-03-29T14:00:00+02:00", "2026-03-29T20:00:00+02:00" },
	};
	static const char *const oncall[][2] = {
		{ "2026-03-28T20:00:00+01:00", "2026-03-29T08:00:00+02:00" },
		{ "2026-03-29T20:00:00+02:00", "2026-03-30T07:00:00+02:00" },
		{ "2026-03-30T20:00:00+02:00", "2026-03-31T07:00:00+02:00" },
	};
	static const char *const busy[][2] = {
		{ "2026-03-29T00:00:00+01:00", "2026-03-29T00:15:00+01:00" },
		{ "2026-03-29T01:00:00+01:00", "2026-03-29T01:15:00+01:00" },
		{ "2026-03-29T03:00:00+02:00", "2026-03-29T03:15:00+02:00" },
		{ "2026-03-29T03:30:00+02:00", "2026-03-29T03:50:00+02:00" },
	};
	static const struct fixture fx = { "dst-spring.ics", SPRING_FROM,
		SPRING_TO, { SET(snp), SET(oncall), SET(busy), NOTHING }, 4,
		0 };

	(void)state;
	run_fixture(&fx);
}

/*
 * Fall back: 14-20 stays 14-20 local; a 12 h night stays 12 h, so the
 * night across the change ends at 07:00; 02:30 is the first one; HOURLY
 * steps the wall clock, skipping the second 02:00.
 */
static void
test_dst_fall(void **state)
{
	static const char *const snp[][2] = {
		{ "2026-10-22T14:00:00+02:00", "2026-10-22T20:00:00+02:00" },
		{ "2026-10-23T14:00:00+02:00", "2026-10-23T20:00:00+02:00" },
		{ "2026-10-24T14:00:00+02:00", "2026-10-24T20:00:00+02:00" },
		{ "2026-10-25T14:00:00+01:00", "2026-10-25T20:00:00+01:00" },
	};
	static const char *const oncall[][2] = {
		{ "2026-10-22T20:00:00+02:00", "2026-10-23T08:00:00+02:00" },
		{ "2026-10-23T20:00:00+02:00", "2026-10-24T08:00:00+02:00" },
		{ "2026-10-24T20:00:00+02:00", "2026-10-25T07:00:00+01:00" },
		{ "2026-10-25T20:00:00+01:00", "2026-10-26T08:00:00+01:00" },
	};
	static const char *const busy[][2] = {
		{ "2026-10-25T00:00:00+02:00", "2026-10-25T00:15:00+02:00" },
		{ "2026-10-25T01:00:00+02:00", "2026-10-25T01:15:00+02:00" },
		{ "2026-10-25T02:00:00+02:00", "2026-10-25T02:15:00+02:00" },
		{ "2026-10-25T02:30:00+02:00", "2026-10-25T02:50:00+02:00" },
		{ "2026-10-25T03:00:00+01:00", "2026-10-25T03:15:00+01:00" },
		{ "2026-10-25T04:00:00+01:00", "2026-10-25T04:15:00+01:00" },
	};
	static const struct fixture fx = { "dst-fall.ics", FALL_FROM,
		FALL_TO, { SET(snp), SET(oncall), SET(busy), NOTHING }, 4, 0 };

	(void)state;
	run_fixture(&fx);
}

/*
 * DURATION:P1D is a nominal day (23 h, 25 h) and PT24H exactly 24 h,
 * across either change; a timed day is busy but not absent. One file,
 * read with each horizon: the other season's events are clipped away.
 */
static void
test_dst_durations(void **state)
{
	static const char *const spring_busy[][2] = {
		{ "2026-03-29T00:00:00+01:00", "2026-03-30T00:00:00+02:00" },
	};
	static const char *const spring_oncall[][2] = {
		{ "2026-03-29T00:00:00+01:00", "2026-03-30T01:00:00+02:00" },
	};
	static const char *const fall_busy[][2] = {
		{ "2026-10-25T00:00:00+02:00", "2026-10-26T00:00:00+01:00" },
	};
	static const char *const fall_oncall[][2] = {
		{ "2026-10-25T00:00:00+02:00", "2026-10-25T23:00:00+01:00" },
	};
	static const struct fixture cases[] = {
		{ "dst-durations.ics", SPRING_FROM, SPRING_TO,
		    { NOTHING, SET(spring_oncall), SET(spring_busy), NOTHING },
		    4, 0 },
		{ "dst-durations.ics", FALL_FROM, FALL_TO,
		    { NOTHING, SET(fall_oncall), SET(fall_busy), NOTHING },
		    4, 0 },
	};

	(void)state;
	for (size_t i = 0; i < NCASES(cases); i++)
		run_fixture(&cases[i]);
}

/*
 * VFREEBUSY: FREE is offered, BUSY/TENTATIVE/none/unknown are busy,
 * BUSY-UNAVAILABLE busy and absent; start/end and start/duration
 * periods, several per line, touching ones joined, clipped at from.
 */
static void
test_freebusy(void **state)
{
	static const char *const snp[][2] = {
		{ "2026-03-23T14:00:00+01:00", "2026-03-23T20:00:00+01:00" },
		{ "2026-03-31T14:00:00+02:00", "2026-03-31T20:00:00+02:00" },
	};
	static const char *const busy[][2] = {
		{ "2026-03-23T00:00:00+01:00", "2026-03-23T02:00:00+01:00" },
		{ "2026-03-24T09:00:00+01:00", "2026-03-24T12:00:00+01:00" },
		{ "2026-03-25T09:00:00+01:00", "2026-03-25T12:00:00+01:00" },
		{ "2026-03-26T16:00:00+01:00", "2026-03-26T17:30:00+01:00" },
		{ "2026-04-02T00:00:00+02:00", "2026-04-04T00:00:00+02:00" },
		{ "2026-04-07T09:00:00+02:00", "2026-04-07T12:00:00+02:00" },
		{ "2026-04-08T14:00:00+02:00", "2026-04-08T16:00:00+02:00" },
		{ "2026-04-09T09:00:00+02:00", "2026-04-09T12:00:00+02:00" },
	};
	static const char *const absent[][2] = {
		{ "2026-04-02T00:00:00+02:00", "2026-04-04T00:00:00+02:00" },
	};
	static const struct fixture fx = { "freebusy.ics", SPRING_FROM,
		SPRING_TO, { SET(snp), NOTHING, SET(busy), SET(absent) },
		UNCHECKED, 0 };

	(void)state;
	run_fixture(&fx);
}

/*
 * VAVAILABILITY: AVAILABLE counts only inside its VAVAILABILITY's own
 * range (an unbounded one: everywhere), the rest of the range is not
 * busy, BUSYTYPE and PRIORITY change nothing.
 */
static void
test_vavailability(void **state)
{
	static const char *const snp[][2] = {
		{ "2026-03-30T14:00:00+02:00", "2026-03-30T18:00:00+02:00" },
		{ "2026-04-01T14:00:00+02:00", "2026-04-01T18:00:00+02:00" },
		{ "2026-04-06T14:00:00+02:00", "2026-04-06T18:00:00+02:00" },
		{ "2026-04-08T14:00:00+02:00", "2026-04-08T18:00:00+02:00" },
		{ "2026-04-11T10:00:00+02:00", "2026-04-13T00:00:00+02:00" },
		{ "2026-04-16T14:00:00+02:00", "2026-04-16T20:00:00+02:00" },
	};
	static const char *const busy[][2] = {
		{ "2026-04-08T16:00:00+02:00", "2026-04-08T17:00:00+02:00" },
	};
	static const struct fixture fx = { "vavailability.ics", SPRING_FROM,
		SPRING_TO, { SET(snp), NOTHING, SET(busy), NOTHING },
		UNCHECKED, 0 };

	(void)state;
	run_fixture(&fx);
}

/*
 * Edge cases DESIGN.md decides: BOM, both markers, an orphan override,
 * DTSTART off its rule, DATE UNTIL, an override without CATEGORIES, a
 * broken VEVENT skipped with one warning, a zone nobody defines.
 */
static void
test_edge(void **state)
{
	static const char *const snp[][2] = {
		{ "2026-03-24T14:00:00+01:00", "2026-03-24T18:00:00+01:00" },
		/* Tue 31 Mar: the override has no CATEGORIES. */
		{ "2026-04-02T14:00:00+02:00", "2026-04-02T20:00:00+02:00" },
		{ "2026-04-07T14:00:00+02:00", "2026-04-07T18:00:00+02:00" },
	};
	static const char *const oncall[][2] = {
		{ "2026-04-02T14:00:00+02:00", "2026-04-02T20:00:00+02:00" },
	};
	static const char *const busy[][2] = {
		{ "2026-03-23T09:00:00+01:00", "2026-03-23T12:00:00+01:00" },
		{ "2026-03-25T10:00:00+01:00", "2026-03-25T11:00:00+01:00" },
		{ "2026-03-30T09:00:00+02:00", "2026-03-30T12:00:00+02:00" },
		{ "2026-03-31T15:00:00+02:00", "2026-03-31T17:00:00+02:00" },
		{ "2026-04-01T09:00:00+02:00", "2026-04-01T11:00:00+02:00" },
		{ "2026-04-03T09:00:00+02:00", "2026-04-03T11:00:00+02:00" },
		{ "2026-04-06T09:00:00+02:00", "2026-04-06T12:00:00+02:00" },
		{ "2026-04-09T10:00:00+02:00", "2026-04-09T11:00:00+02:00" },
		{ "2026-04-10T09:00:00+02:00", "2026-04-10T11:00:00+02:00" },
		{ "2026-04-13T18:00:00+02:00", "2026-04-13T19:00:00+02:00" },
		{ "2026-04-14T18:00:00+02:00", "2026-04-14T19:00:00+02:00" },
		{ "2026-04-15T18:00:00+02:00", "2026-04-15T19:00:00+02:00" },
		{ "2026-04-16T14:00:00+02:00", "2026-04-16T15:00:00+02:00" },
	};
	static const struct fixture fx = { "edge.ics", SPRING_FROM, SPRING_TO,
		{ SET(snp), SET(oncall), SET(busy), NOTHING }, UNCHECKED, 1 };

	(void)state;
	run_fixture(&fx);
}

/* Whatever is not a whole calendar is rejected whole, saying why. */
static void
test_not_a_calendar(void **state)
{
	static const char *const html_words[] = { "VCALENDAR", "HTML",
		NULL };
	static const char *const truncated_words[] = { "END:VCALENDAR",
		"truncated", NULL };
	static const char *const empty_words[] = { "empty", "VCALENDAR",
		NULL };
	static const struct {
		const char		*file;
		const char *const	*words;
	} cases[] = {
		{ "not-a-calendar.html", html_words },
		{ "truncated.ics", truncated_words },
		{ "empty.ics", empty_words },
	};

	(void)state;
	for (size_t i = 0; i < NCASES(cases); i++) {
		struct cal_opts o;
		size_t len;
		char *text = load(cases[i].file, &len);

		opts_default(&o, SPRING_FROM, SPRING_TO);
		expect_error(cases[i].file, text, len, &o, CAL_ENOTCAL,
		    cases[i].words);
		free(text);
	}
}

/*
 * Rules that would expand without end or past the bound stop at
 * max_instances with CAL_ETOOMANY, and quickly.
 */
static void
test_too_many(void **state)
{
	static const char *const words[] = { "instances", NULL };
	static const char *const files[] = { "unbounded.ics",
		"count-huge.ics" };

	(void)state;
	for (size_t i = 0; i < NCASES(files); i++) {
		struct cal_opts o;
		size_t len;
		char *text = load(files[i], &len);
		double t0 = now_s(), took;

		opts_default(&o, SPRING_FROM, SPRING_TO);
		expect_error(files[i], text, len, &o, CAL_ETOOMANY, words);
		if ((took = now_s() - t0) > FAST_S)
			fail_msg("%s: rejected after %.1f s", files[i], took);
		free(text);
	}
}

/* A feed over max_bytes is refused; one of exactly max_bytes is read. */
static void
test_too_big(void **state)
{
	static const char *const words[] = { "bytes", NULL };
	struct cal_opts o;
	struct cal_avail a;
	char why[WHYLEN] = "";
	size_t len;
	char *text = load("google.ics", &len);
	int err;

	(void)state;
	opts_default(&o, SPRING_FROM, SPRING_TO);
	o.max_bytes = len - 1;
	expect_error("google.ics, max_bytes one short", text, len, &o,
	    CAL_ETOOBIG, words);

	o.max_bytes = len;
	cal_avail_init(&a);
	err = cal_parse(text, len, &o, &a, why, sizeof(why));
	if (err != CAL_OK)
		fail_msg("google.ics, max_bytes = its size: error %d: %s",
		    err, why);
	assert_int_equal(a.offered_snp.n, 7);
	cal_avail_fini(&a);
	free(text);
}

struct late {
	long	calls;
	bool	answer;
};

static bool
late_cb(void *arg)
{
	struct late *l = arg;

	l->calls++;
	return l->answer;
}

/*
 * is_late answering true stops the expansion with CAL_ETOOLONG; always
 * false changes nothing. The instance bound is raised so that only the
 * caller's deadline can stop the endless rule (10M: a backstop that
 * fails cleanly if is_late is never asked).
 */
static void
test_too_long(void **state)
{
	static const char *const words[] = { "too long", "late", "time",
		NULL };
	struct late late = { 0, true };
	struct cal_opts o;
	struct cal_avail a;
	char why[WHYLEN] = "";
	size_t len;
	char *text = load("unbounded.ics", &len);
	int err;

	(void)state;
	opts_default(&o, SPRING_FROM, SPRING_TO);
	o.max_instances = 10000000;
	o.is_late = late_cb;
	o.late_arg = &late;
	expect_error("unbounded.ics, is_late true", text, len, &o,
	    CAL_ETOOLONG, words);
	assert_true(late.calls >= 1);
	free(text);

	text = load("dst-spring.ics", &len);
	late.calls = 0;
	late.answer = false;
	opts_default(&o, SPRING_FROM, SPRING_TO);
	o.is_late = late_cb;
	o.late_arg = &late;
	cal_avail_init(&a);
	err = cal_parse(text, len, &o, &a, why, sizeof(why));
	if (err != CAL_OK)
		fail_msg("dst-spring.ics, is_late false: error %d: %s", err,
		    why);
	assert_int_equal(a.offered_snp.n, 4);
	cal_avail_fini(&a);
	free(text);
}

/* Each code has cal.h's message; an unknown code still gets a string. */
static void
test_strerror(void **state)
{
	(void)state;
	assert_string_equal(cal_strerror(CAL_OK), "ok");
	assert_string_equal(cal_strerror(CAL_ENOTCAL),
	    "not an iCalendar feed");
	assert_string_equal(cal_strerror(CAL_ETOOBIG),
	    "feed larger than feeds.max_bytes");
	assert_string_equal(cal_strerror(CAL_ETOOMANY),
	    "more instances than feeds.max_instances");
	assert_string_equal(cal_strerror(CAL_ETOOLONG),
	    "expansion took too long");
	assert_string_equal(cal_strerror(CAL_ENOMEM), "out of memory");
	assert_non_null(cal_strerror(CAL_ERR_COUNT));
	assert_non_null(cal_strerror(-1));
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_google),
		cmocka_unit_test(test_outlook),
		cmocka_unit_test(test_thunderbird),
		cmocka_unit_test(test_french_agenda),
		cmocka_unit_test(test_dst_spring),
		cmocka_unit_test(test_dst_fall),
		cmocka_unit_test(test_dst_durations),
		cmocka_unit_test(test_freebusy),
		cmocka_unit_test(test_vavailability),
		cmocka_unit_test(test_edge),
		cmocka_unit_test(test_not_a_calendar),
		cmocka_unit_test(test_too_many),
		cmocka_unit_test(test_too_big),
		cmocka_unit_test(test_too_long),
		cmocka_unit_test(test_strerror),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
