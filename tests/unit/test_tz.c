/* Unit tests of the territory time zone over libical: offsets and DST. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <time.h>

#include <cmocka.h>

#include "daemon/core/tz.h"

#define NCASES(a)	(sizeof(a) / sizeof((a)[0]))
#define HOUR		3600
#define DAY		86400

/* A UTC instant from its civil fields; timegm() knows no time zone. */
static int64_t
utc(int year, int month, int day, int hour, int min, int sec)
{
	struct tm tm;

	memset(&tm, 0, sizeof(tm));
	tm.tm_year = year - 1900;
	tm.tm_mon = month - 1;
	tm.tm_mday = day;
	tm.tm_hour = hour;
	tm.tm_min = min;
	tm.tm_sec = sec;
	return (int64_t)timegm(&tm);
}

static const struct tz *paris;

static int
setup(void **state)
{
	(void)state;
	tz_init();
	paris = tz_get("Europe/Paris");
	return paris == NULL ? -1 : 0;
}

static int
teardown(void **state)
{
	(void)state;
	tz_shutdown();
	return 0;
}

/* Paris is UTC+1 in winter and UTC+2 in summer. */
static void
test_offset_seasons(void **state)
{
	(void)state;
	assert_int_equal(tz_offset_s(paris, utc(2026, 1, 15, 12, 0, 0)), HOUR);
	assert_int_equal(tz_offset_s(paris, utc(2026, 7, 15, 12, 0, 0)),
	    2 * HOUR);
	assert_int_equal(tz_offset_s(paris, utc(2026, 12, 31, 23, 0, 0)),
	    HOUR);
	assert_string_equal(tz_name(paris), "Europe/Paris");
	assert_ptr_equal(tz_get("Europe/Paris"), paris);
}

/*
 * The 2026 transitions happen at 01:00 UTC: the new offset applies from
 * that second on, the old one up to the second before.
 */
static void
test_offset_transitions(void **state)
{
	static const struct trans_case {
		const char	*name;
		int64_t		 at;
		int32_t		 before, after;
	} cases[] = {
		{ "spring forward", 1774746000, HOUR, 2 * HOUR },
		{ "fall back", 1792890000, 2 * HOUR, HOUR },
	};

	(void)state;
	assert_int_equal(cases[0].at, utc(2026, 3, 29, 1, 0, 0));
	assert_int_equal(cases[1].at, utc(2026, 10, 25, 1, 0, 0));
	for (size_t i = 0; i < NCASES(cases); i++) {
		const struct trans_case *c = &cases[i];
		int32_t off;

		if ((off = tz_offset_s(paris, c->at - 1)) != c->before)
			fail_msg("%s: %d one second before", c->name, off);
		if ((off = tz_offset_s(paris, c->at)) != c->after)
			fail_msg("%s: %d at the transition", c->name, off);
		if ((off = tz_offset_s(paris, c->at - HOUR)) != c->before)
			fail_msg("%s: %d an hour before", c->name, off);
		if ((off = tz_offset_s(paris, c->at + HOUR)) != c->after)
			fail_msg("%s: %d an hour after", c->name, off);
	}
}

/*
 * Local wall time to UTC, RFC 5545 3.3.5: a time in the spring gap moves
 * forward by the gap, a time in the autumn overlap is its first occurrence.
 */
static void
test_from_local(void **state)
{
	static const struct local_case {
		const char	*name;
		int		 year, month, day, hour, min, sec;
		/* The expected instant, UTC, in the same year. */
		int		 uday, uhour, umin, usec, umonth;
	} cases[] = {
		{ "winter noon", 2026, 1, 15, 12, 0, 0, 15, 11, 0, 0, 1 },
		{ "summer noon", 2026, 7, 15, 12, 0, 0, 15, 10, 0, 0, 7 },
		{ "spring day 14:00", 2026, 3, 29, 14, 0, 0, 29, 12, 0, 0, 3 },
		{ "fall day 14:00", 2026, 10, 25, 14, 0, 0, 25, 13, 0, 0, 10 },
		{ "spring midnight", 2026, 3, 29, 0, 0, 0, 28, 23, 0, 0, 3 },
		{ "before the gap", 2026, 3, 29, 1, 59, 59, 29, 0, 59, 59, 3 },
		{ "gap start", 2026, 3, 29, 2, 0, 0, 29, 1, 0, 0, 3 },
		{ "in the gap", 2026, 3, 29, 2, 30, 0, 29, 1, 30, 0, 3 },
		{ "gap end", 2026, 3, 29, 3, 0, 0, 29, 1, 0, 0, 3 },
		{ "fall midnight", 2026, 10, 25, 0, 0, 0, 24, 22, 0, 0, 10 },
		{ "before the overlap", 2026, 10, 25, 1, 59, 59, 24, 23, 59,
		    59, 10 },
		{ "overlap start", 2026, 10, 25, 2, 0, 0, 25, 0, 0, 0, 10 },
		{ "in the overlap", 2026, 10, 25, 2, 30, 0, 25, 0, 30, 0, 10 },
		{ "overlap end", 2026, 10, 25, 2, 59, 59, 25, 0, 59, 59, 10 },
		{ "after the overlap", 2026, 10, 25, 3, 0, 0, 25, 2, 0, 0, 10 },
		{ "hour 24 carries", 2026, 3, 28, 24, 0, 0, 28, 23, 0, 0, 3 },
		{ "day 32 carries", 2026, 3, 32, 12, 0, 0, 1, 10, 0, 0, 4 },
	};

	(void)state;
	for (size_t i = 0; i < NCASES(cases); i++) {
		const struct local_case *c = &cases[i];
		int64_t got = tz_from_local(paris, c->year, c->month, c->day,
		    c->hour, c->min, c->sec);
		int64_t want = utc(c->year, c->umonth, c->uday, c->uhour,
		    c->umin, c->usec);

		if (got != want)
			fail_msg("%s: %lld, want %lld (off by %lld s)", c->name,
			    (long long)got, (long long)want,
			    (long long)(got - want));
	}
}

/* Every instant of a year maps to local time and back to itself. */
static void
test_local_roundtrip(void **state)
{
	int64_t t;

	(void)state;
	for (t = utc(2026, 1, 1, 0, 0, 0); t < utc(2027, 1, 1, 0, 0, 0);
	    t += 1800 + 17) {
		struct tz_local l;
		int64_t back;

		tz_to_local(paris, t, &l);
		back = tz_from_local(paris, l.year, l.month, l.day, l.hour,
		    l.min, l.sec);
		/* The second pass through the overlap reads as the first. */
		if (back != t && !(back == t - HOUR && l.offset_s == HOUR &&
		    t >= utc(2026, 10, 25, 1, 0, 0) &&
		    t < utc(2026, 10, 25, 2, 0, 0)))
			fail_msg("%lld -> %04d-%02d-%02d %02d:%02d:%02d "
			    "-> %lld",
			    (long long)t, l.year, l.month, l.day, l.hour, l.min,
			    l.sec, (long long)back);
	}
}

/* Broken-down local time: fields, weekday and offset. */
static void
test_to_local(void **state)
{
	static const struct tolocal_case {
		const char	*name;
		int64_t		 utc;
		struct tz_local	 want;
	} cases[] = {
		/* year, month, day, hour, min, sec, wday, offset_s */
		{ "before spring", 1774746000 - 1,
		    { 2026, 3, 29, 1, 59, 59, 0, HOUR } },
		{ "spring forward", 1774746000,
		    { 2026, 3, 29, 3, 0, 0, 0, 2 * HOUR } },
		{ "first 02:30", 1792890000 - 1800,
		    { 2026, 10, 25, 2, 30, 0, 0, 2 * HOUR } },
		{ "second 02:30", 1792890000 + 1800,
		    { 2026, 10, 25, 2, 30, 0, 0, HOUR } },
		{ "Monday 14:00", 1795438800,
		    { 2026, 11, 23, 14, 0, 0, 1, HOUR } },
		{ "Thursday new year", 1767227400,
		    { 2026, 1, 1, 1, 30, 0, 4, HOUR } },
		{ "first local hour", 1767225599,
		    { 2026, 1, 1, 0, 59, 59, 4, HOUR } },
		{ "last local second", 1767222000 - 1,
		    { 2025, 12, 31, 23, 59, 59, 3, HOUR } },
	};

	(void)state;
	for (size_t i = 0; i < NCASES(cases); i++) {
		const struct tolocal_case *c = &cases[i];
		const struct tz_local *w = &c->want;
		struct tz_local l;

		memset(&l, 0x5a, sizeof(l));
		tz_to_local(paris, c->utc, &l);
		if (l.year != w->year || l.month != w->month ||
		    l.day != w->day || l.hour != w->hour || l.min != w->min ||
		    l.sec != w->sec || l.wday != w->wday ||
		    l.offset_s != w->offset_s)
			fail_msg("%s: %04d-%02d-%02d %02d:%02d:%02d wday %d "
			    "offset %d", c->name, l.year, l.month, l.day,
			    l.hour, l.min, l.sec, l.wday, l.offset_s);
	}
}

/*
 * A day starts at local midnight: the spring-forward day lasts 23 hours,
 * the fall-back day 25, any other day 24.
 */
static void
test_day_start(void **state)
{
	static const struct daystart_case {
		const char	*name;
		int		 month, day;
		int64_t		 length;
	} cases[] = {
		{ "spring forward", 3, 29, 23 * HOUR },
		{ "fall back", 10, 25, 25 * HOUR },
		{ "winter", 1, 15, 24 * HOUR },
		{ "summer", 7, 15, 24 * HOUR },
		{ "eve of spring", 3, 28, 24 * HOUR },
		{ "day after fall", 10, 26, 24 * HOUR },
	};

	(void)state;
	for (size_t i = 0; i < NCASES(cases); i++) {
		const struct daystart_case *c = &cases[i];
		int64_t start = tz_from_local(paris, 2026, c->month, c->day, 0,
		    0, 0);
		int64_t next = tz_from_local(paris, 2026, c->month, c->day + 1,
		    0, 0, 0);
		int64_t noon = tz_from_local(paris, 2026, c->month, c->day, 12,
		    0, 0);

		if (next - start != c->length)
			fail_msg("%s: %lld s long", c->name,
			    (long long)(next - start));
		/* The first and last seconds of the day, and its noon. */
		if (tz_day_start(paris, start) != start ||
		    tz_day_start(paris, noon) != start ||
		    tz_day_start(paris, next - 1) != start)
			fail_msg("%s: day_start %lld %lld %lld, want %lld",
			    c->name, (long long)tz_day_start(paris, start),
			    (long long)tz_day_start(paris, noon),
			    (long long)tz_day_start(paris, next - 1),
			    (long long)start);
		if (tz_day_start(paris, next) != next)
			fail_msg("%s: next day", c->name);
	}
	assert_int_equal(tz_day_start(paris, utc(2026, 3, 29, 12, 0, 0)),
	    utc(2026, 3, 28, 23, 0, 0));
	assert_int_equal(tz_day_start(paris, utc(2026, 3, 30, 12, 0, 0)) -
	    tz_day_start(paris, utc(2026, 3, 29, 12, 0, 0)), 82800);
	assert_int_equal(tz_day_start(paris, utc(2026, 10, 26, 12, 0, 0)) -
	    tz_day_start(paris, utc(2026, 10, 25, 12, 0, 0)), 90000);
}

/* An unknown, empty or NULL name gives NULL. */
static void
test_unknown(void **state)
{
	(void)state;
	assert_null(tz_get("Europe/Nowhere"));
	assert_null(tz_get("Not a zone"));
	assert_null(tz_get(""));
	assert_null(tz_get(NULL));
}

/* UTC has offset 0 at every instant and maps wall time one to one. */
static void
test_utc(void **state)
{
	const struct tz *z = tz_get("UTC");
	int64_t t = utc(2026, 3, 29, 1, 30, 0);
	struct tz_local l;

	(void)state;
	assert_non_null(z);
	assert_string_equal(tz_name(z), "UTC");
	assert_int_equal(tz_offset_s(z, utc(2026, 1, 15, 12, 0, 0)), 0);
	assert_int_equal(tz_offset_s(z, utc(2026, 7, 15, 12, 0, 0)), 0);
	tz_to_local(z, t, &l);
	assert_int_equal(l.year, 2026);
	assert_int_equal(l.month, 3);
	assert_int_equal(l.day, 29);
	assert_int_equal(l.hour, 1);
	assert_int_equal(l.min, 30);
	assert_int_equal(l.wday, 0);
	assert_int_equal(l.offset_s, 0);
	assert_int_equal(tz_from_local(z, 2026, 3, 29, 2, 30, 0),
	    utc(2026, 3, 29, 2, 30, 0));
	assert_int_equal(tz_day_start(z, t), utc(2026, 3, 29, 0, 0, 0));
}

/* New York: UTC-5 / UTC-4, switching at 02:00 local on 8 Mar and 1 Nov. */
static void
test_new_york(void **state)
{
	const struct tz *ny = tz_get("America/New_York");
	int64_t spring = utc(2026, 3, 8, 7, 0, 0);
	int64_t fall = utc(2026, 11, 1, 6, 0, 0);
	struct tz_local l;

	(void)state;
	assert_non_null(ny);
	assert_string_equal(tz_name(ny), "America/New_York");
	assert_int_equal(tz_offset_s(ny, utc(2026, 1, 15, 12, 0, 0)),
	    -5 * HOUR);
	assert_int_equal(tz_offset_s(ny, utc(2026, 7, 15, 12, 0, 0)),
	    -4 * HOUR);
	assert_int_equal(tz_offset_s(ny, spring - 1), -5 * HOUR);
	assert_int_equal(tz_offset_s(ny, spring), -4 * HOUR);
	assert_int_equal(tz_offset_s(ny, fall - 1), -4 * HOUR);
	assert_int_equal(tz_offset_s(ny, fall), -5 * HOUR);
	assert_int_equal(tz_from_local(ny, 2026, 3, 8, 2, 30, 0),
	    utc(2026, 3, 8, 7, 30, 0));
	assert_int_equal(tz_from_local(ny, 2026, 11, 1, 1, 30, 0),
	    utc(2026, 11, 1, 5, 30, 0));
	/* Local evening is the next UTC day: the date is the local one. */
	tz_to_local(ny, utc(2026, 7, 16, 2, 0, 0), &l);
	assert_int_equal(l.day, 15);
	assert_int_equal(l.hour, 22);
	assert_int_equal(l.wday, 3);
	assert_int_equal(tz_day_start(ny, utc(2026, 11, 2, 12, 0, 0)) -
	    tz_day_start(ny, utc(2026, 11, 1, 12, 0, 0)), 25 * HOUR);
}

/* tz_civil carries out-of-range fields exactly as timegm() does. */
static void
test_civil_matches_timegm(void **state)
{
	uint64_t x = 20261123;	/* a fixed xorshift seed: the same cases */

	(void)state;
	for (int i = 0; i < 200000; i++) {
		int64_t f[6], got;
		struct tm tm;

		for (int k = 0; k < 6; k++) {
			x ^= x << 13;
			x ^= x >> 7;
			x ^= x << 17;
			f[k] = (int64_t)(x % 1000);
		}
		f[0] = 1600 + f[0];		/* year 1600..2599 */
		f[1] = f[1] % 40 - 12;		/* month -12..27 */
		f[2] = f[2] % 90 - 30;		/* day -30..59 */
		f[3] = f[3] % 60 - 10;		/* hour -10..49 */
		f[4] = f[4] % 150 - 30;		/* minute */
		f[5] = f[5] % 150 - 30;		/* second */
		memset(&tm, 0, sizeof(tm));
		tm.tm_year = (int)f[0] - 1900;
		tm.tm_mon = (int)f[1] - 1;
		tm.tm_mday = (int)f[2];
		tm.tm_hour = (int)f[3];
		tm.tm_min = (int)f[4];
		tm.tm_sec = (int)f[5];
		got = tz_civil(f[0], f[1], f[2], f[3], f[4], f[5]);
		if (got != (int64_t)timegm(&tm))
			fail_msg("%lld-%lld-%lld %lld:%lld:%lld: %lld, timegm "
			    "%lld", (long long)f[0], (long long)f[1],
			    (long long)f[2], (long long)f[3], (long long)f[4],
			    (long long)f[5], (long long)got,
			    (long long)timegm(&tm));
	}
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_offset_seasons),
		cmocka_unit_test(test_offset_transitions),
		cmocka_unit_test(test_from_local),
		cmocka_unit_test(test_local_roundtrip),
		cmocka_unit_test(test_to_local),
		cmocka_unit_test(test_day_start),
		cmocka_unit_test(test_unknown),
		cmocka_unit_test(test_utc),
		cmocka_unit_test(test_new_york),
		cmocka_unit_test(test_civil_matches_timegm),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
