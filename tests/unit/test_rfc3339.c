/* Unit tests of the wire time format: RFC 3339 parsing and formatting. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "proto/rfc3339.h"

#define NCASES(a)	(sizeof(a) / sizeof((a)[0]))

/* UTC instants used below, computed apart from the code under test. */
#define T_0329_1400Z	INT64_C(1774792800)	/* 2026-03-29T14:00Z */
#define T_2017		INT64_C(1483228800)	/* 2017-01-01T00:00Z */
#define T_1900		INT64_C(-2208988800)	/* 1900-01-01T00:00Z */
#define T_2028_0229_12	INT64_C(1835438400)	/* 2028-02-29T12:00Z */

/* Each accepted form gives its instant or date; each malformed one -1. */
static void
test_parse(void **state)
{
	static const struct parse_case {
		const char	*name;
		const char	*in;
		int		 rc;
		bool		 is_date;
		int64_t		 utc;
		int		 year, month, day;
	} cases[] = {
		{ "Z", "2026-03-29T14:00:00Z", 0, false, T_0329_1400Z,
		    0, 0, 0 },
		{ "+02:00", "2026-03-29T16:00:00+02:00", 0, false,
		    T_0329_1400Z, 0, 0, 0 },
		{ "-05:30", "2026-03-29T08:30:00-05:30", 0, false,
		    T_0329_1400Z, 0, 0, 0 },
		{ "+00:00", "2026-03-29T14:00:00+00:00", 0, false,
		    T_0329_1400Z, 0, 0, 0 },
		{ "-00:00", "2026-03-29T14:00:00-00:00", 0, false,
		    T_0329_1400Z, 0, 0, 0 },
		{ "+23:59", "2026-03-30T13:59:00+23:59", 0, false,
		    T_0329_1400Z, 0, 0, 0 },
		{ "offset crosses the day", "2026-03-29T00:30:00+01:00", 0,
		    false, T_0329_1400Z - (14 * 3600 + 1800), 0, 0, 0 },
		{ "fraction truncated", "2026-03-29T14:00:00.999Z", 0, false,
		    T_0329_1400Z, 0, 0, 0 },
		{ "fraction long", "2026-03-29T16:00:00.123456789+02:00", 0,
		    false, T_0329_1400Z, 0, 0, 0 },
		{ "fraction one digit", "2026-03-29T14:00:00.5Z", 0, false,
		    T_0329_1400Z, 0, 0, 0 },
		{ "lowercase t and z", "2026-03-29t14:00:00z", 0, false,
		    T_0329_1400Z, 0, 0, 0 },
		{ "space separator", "2026-03-29 14:00:00Z", 0, false,
		    T_0329_1400Z, 0, 0, 0 },
		{ "leap second", "2016-12-31T23:59:60Z", 0, false, T_2017,
		    0, 0, 0 },
		{ "leap second offset", "2017-01-01T00:59:60+01:00", 0, false,
		    T_2017, 0, 0, 0 },
		{ "first year", "1900-01-01T00:00:00Z", 0, false, T_1900,
		    0, 0, 0 },
		{ "epoch", "1970-01-01T00:00:00Z", 0, false, 0, 0, 0, 0 },
		{ "Feb 29 2028 time", "2028-02-29T12:00:00Z", 0, false,
		    T_2028_0229_12, 0, 0, 0 },
		{ "date", "2026-03-29", 0, true, 0, 2026, 3, 29 },
		{ "date Feb 29 2028", "2028-02-29", 0, true, 0, 2028, 2, 29 },
		{ "date Feb 29 2000", "2000-02-29", 0, true, 0, 2000, 2, 29 },
		{ "date Dec 31", "2026-12-31", 0, true, 0, 2026, 12, 31 },
		{ "date 1900", "1900-01-01", 0, true, 0, 1900, 1, 1 },
		{ "date 9999", "9999-12-31", 0, true, 0, 9999, 12, 31 },

		{ "month 13", "2026-13-01T00:00:00Z", -1, false, 0, 0, 0, 0 },
		{ "date month 13", "2026-13-01", -1, false, 0, 0, 0, 0 },
		{ "month 0", "2026-00-10", -1, false, 0, 0, 0, 0 },
		{ "day 0", "2026-03-00", -1, false, 0, 0, 0, 0 },
		{ "April 31", "2026-04-31", -1, false, 0, 0, 0, 0 },
		{ "Feb 30 leap year", "2028-02-30", -1, false, 0, 0, 0, 0 },
		{ "Feb 29 2026", "2026-02-29", -1, false, 0, 0, 0, 0 },
		{ "Feb 29 2100", "2100-02-29", -1, false, 0, 0, 0, 0 },
		{ "Feb 29 2100 time", "2100-02-29T12:00:00Z", -1, false, 0,
		    0, 0, 0 },
		{ "Feb 29 1900", "1900-02-29", -1, false, 0, 0, 0, 0 },
		{ "hour 24", "2026-03-29T24:00:00Z", -1, false, 0, 0, 0, 0 },
		{ "minute 60", "2026-03-29T14:60:00Z", -1, false, 0, 0, 0, 0 },
		{ "second 61", "2026-03-29T14:00:61Z", -1, false, 0, 0, 0, 0 },
		{ "missing offset", "2026-03-29T14:00:00", -1, false, 0,
		    0, 0, 0 },
		{ "fraction no offset", "2026-03-29T14:00:00.5", -1, false, 0,
		    0, 0, 0 },
		{ "offset +24:00", "2026-03-29T14:00:00+24:00", -1, false, 0,
		    0, 0, 0 },
		{ "offset minute 60", "2026-03-29T14:00:00+02:60", -1, false,
		    0, 0, 0, 0 },
		{ "offset no colon", "2026-03-29T14:00:00+0200", -1, false, 0,
		    0, 0, 0 },
		{ "offset hours only", "2026-03-29T14:00:00+02", -1, false, 0,
		    0, 0, 0 },
		{ "offset one digit", "2026-03-29T14:00:00+2:00", -1, false,
		    0, 0, 0, 0 },
		{ "garbage after Z", "2026-03-29T14:00:00Zx", -1, false, 0,
		    0, 0, 0 },
		{ "garbage after offset", "2026-03-29T14:00:00+02:00x", -1,
		    false, 0, 0, 0, 0 },
		{ "garbage after date", "2026-03-29x", -1, false, 0, 0, 0, 0 },
		{ "separator only", "2026-03-29T", -1, false, 0, 0, 0, 0 },
		{ "empty fraction", "2026-03-29T14:00:00.Z", -1, false, 0,
		    0, 0, 0 },
		{ "no seconds", "2026-03-29T14:00Z", -1, false, 0, 0, 0, 0 },
		{ "bad separator", "2026-03-29X14:00:00Z", -1, false, 0,
		    0, 0, 0 },
		{ "short month", "2026-3-29", -1, false, 0, 0, 0, 0 },
		{ "slashes", "2026/03/29", -1, false, 0, 0, 0, 0 },
		{ "leading space", " 2026-03-29", -1, false, 0, 0, 0, 0 },
		{ "sign in year", "+026-03-29", -1, false, 0, 0, 0, 0 },
		{ "sign in day", "2026-03--1", -1, false, 0, 0, 0, 0 },
		{ "empty", "", -1, false, 0, 0, 0, 0 },
		{ "year 1899", "1899-12-31", -1, false, 0, 0, 0, 0 },
		{ "year 1899 time", "1899-12-31T23:00:00Z", -1, false, 0,
		    0, 0, 0 },
		{ "year 0", "0000-01-01", -1, false, 0, 0, 0, 0 },
		{ "words", "yesterday", -1, false, 0, 0, 0, 0 },
	};

	(void)state;
	for (size_t i = 0; i < NCASES(cases); i++) {
		const struct parse_case *c = &cases[i];
		struct rfc3339 t;
		int rc;

		memset(&t, 0x5a, sizeof(t));
		rc = rfc3339_parse(c->in, &t);
		if (rc != c->rc)
			fail_msg("%s: \"%s\" gives %d, want %d", c->name, c->in,
			    rc, c->rc);
		if (rc != 0)
			continue;
		if (t.is_date != c->is_date)
			fail_msg("%s: is_date %d", c->name, t.is_date);
		if (!c->is_date && t.utc != c->utc)
			fail_msg("%s: utc %lld, want %lld", c->name,
			    (long long)t.utc, (long long)c->utc);
		if (c->is_date && (t.year != c->year || t.month != c->month ||
		    t.day != c->day))
			fail_msg("%s: %d-%d-%d", c->name, t.year, t.month,
			    t.day);
	}
}

/* NULL is refused like any other bad input. */
static void
test_parse_null(void **state)
{
	struct rfc3339 t;

	(void)state;
	assert_int_equal(rfc3339_parse(NULL, &t), -1);
}

/* Formatting gives local time with its offset, Z only when asked. */
static void
test_format(void **state)
{
	static const struct format_case {
		const char	*name;
		int64_t		 utc;
		int32_t		 offset_s;
		bool		 use_z;
		const char	*want;
	} cases[] = {
		{ "Z", T_0329_1400Z, 0, true, "2026-03-29T14:00:00Z" },
		{ "zero without Z", T_0329_1400Z, 0, false,
		    "2026-03-29T14:00:00+00:00" },
		{ "positive", T_0329_1400Z, 7200, false,
		    "2026-03-29T16:00:00+02:00" },
		{ "positive use_z", T_0329_1400Z, 3600, true,
		    "2026-03-29T15:00:00+01:00" },
		{ "negative", T_0329_1400Z, -19800, false,
		    "2026-03-29T08:30:00-05:30" },
		{ "negative use_z", T_0329_1400Z, -3600, true,
		    "2026-03-29T13:00:00-01:00" },
		{ "next day", T_0329_1400Z, 12 * 3600, false,
		    "2026-03-30T02:00:00+12:00" },
		{ "previous year", T_2017 + 1800, -3600, false,
		    "2016-12-31T23:30:00-01:00" },
		{ "epoch", 0, 0, true, "1970-01-01T00:00:00Z" },
		{ "before epoch", T_1900, 0, true, "1900-01-01T00:00:00Z" },
		{ "leap day", T_2028_0229_12, 3600, false,
		    "2028-02-29T13:00:00+01:00" },
		{ "seconds kept", T_0329_1400Z + 59, 0, true,
		    "2026-03-29T14:00:59Z" },
	};

	(void)state;
	for (size_t i = 0; i < NCASES(cases); i++) {
		const struct format_case *c = &cases[i];
		char buf[RFC3339_MAX];
		size_t n;

		memset(buf, 'x', sizeof(buf));
		n = rfc3339_format(c->utc, c->offset_s, c->use_z, buf);
		if (strcmp(buf, c->want) != 0)
			fail_msg("%s: \"%s\", want \"%s\"", c->name, buf,
			    c->want);
		if (n != strlen(c->want))
			fail_msg("%s: length %zu", c->name, n);
	}
}

/* Dates format as YYYY-MM-DD with zero padding. */
static void
test_format_date(void **state)
{
	char buf[RFC3339_MAX];

	(void)state;
	assert_int_equal(rfc3339_format_date(2026, 3, 9, buf), 10);
	assert_string_equal(buf, "2026-03-09");
	assert_int_equal(rfc3339_format_date(1900, 12, 31, buf), 10);
	assert_string_equal(buf, "1900-12-31");
}

/* A small PRNG (splitmix64), so that a failing seed replays anywhere. */
static uint64_t
next_rand(uint64_t *s)
{
	uint64_t z = (*s += UINT64_C(0x9e3779b97f4a7c15));

	z = (z ^ (z >> 30)) * UINT64_C(0xbf58476d1ce4e5b9);
	z = (z ^ (z >> 27)) * UINT64_C(0x94d049bb133111eb);
	return z ^ (z >> 31);
}

static uint64_t
seed_from_env(void)
{
	const char *s = getenv("SNP_SEED");
	uint64_t seed = s != NULL ? strtoull(s, NULL, 0) : 20260329;

	printf("rfc3339 round trip: SNP_SEED=%llu\n", (unsigned long long)seed);
	return seed;
}

/*
 * Formatting any instant at any whole-minute offset and parsing the text
 * gives the instant back; formatting a date and parsing it gives the date.
 */
static void
test_roundtrip(void **state)
{
	/* 1901-01-01 .. 2200-01-01: whole-day offsets stay above 1900. */
	const int64_t lo = INT64_C(-2177452800), hi = INT64_C(7258118400);
	uint64_t seed = seed_from_env(), rs = seed;

	(void)state;
	for (int i = 0; i < 20000; i++) {
		int64_t utc = lo + (int64_t)(next_rand(&rs) %
		    (uint64_t)(hi - lo));
		int32_t off = (int32_t)(next_rand(&rs) % (2 * 1439 + 1)) - 1439;
		bool use_z = next_rand(&rs) & 1;
		char buf[RFC3339_MAX], again[RFC3339_MAX];
		struct rfc3339 t;

		if (i % 8 == 0)
			off = 0;	/* exercise Z often */
		off *= 60;
		if (rfc3339_format(utc, off, use_z, buf) == 0)
			fail_msg("seed %llu, %d: format %lld %d failed",
			    (unsigned long long)seed, i, (long long)utc, off);
		if (rfc3339_parse(buf, &t) != 0 || t.is_date || t.utc != utc)
			fail_msg("seed %llu, %d: \"%s\" parses as %lld, "
			    "want %lld", (unsigned long long)seed, i, buf,
			    (long long)t.utc, (long long)utc);
		rfc3339_format(t.utc, off, use_z, again);
		if (strcmp(buf, again) != 0)
			fail_msg("seed %llu, %d: \"%s\" then \"%s\"",
			    (unsigned long long)seed, i, buf, again);
	}
	for (int i = 0; i < 5000; i++) {
		int y = 1900 + (int)(next_rand(&rs) % 8100);
		int m = 1 + (int)(next_rand(&rs) % 12);
		int d = 1 + (int)(next_rand(&rs) %
		    (uint64_t)rfc3339_month_days(y, m));
		char buf[RFC3339_MAX];
		struct rfc3339 t;

		rfc3339_format_date(y, m, d, buf);
		if (rfc3339_parse(buf, &t) != 0 || !t.is_date || t.year != y ||
		    t.month != m || t.day != d)
			fail_msg("seed %llu: date \"%s\" does not round-trip",
			    (unsigned long long)seed, buf);
	}
}

/* Month lengths follow the Gregorian rules; a bad month has 0 days. */
static void
test_month_days(void **state)
{
	static const struct days_case {
		const char	*name;
		int		 year, month, want;
	} cases[] = {
		{ "January", 2026, 1, 31 },
		{ "February", 2026, 2, 28 },
		{ "February leap", 2028, 2, 29 },
		{ "February 2100", 2100, 2, 28 },
		{ "February 2000", 2000, 2, 29 },
		{ "February 1900", 1900, 2, 28 },
		{ "April", 2026, 4, 30 },
		{ "June", 2026, 6, 30 },
		{ "July", 2026, 7, 31 },
		{ "August", 2026, 8, 31 },
		{ "September", 2026, 9, 30 },
		{ "November", 2026, 11, 30 },
		{ "December", 2026, 12, 31 },
		{ "month 0", 2026, 0, 0 },
		{ "month 13", 2026, 13, 0 },
		{ "month -1", 2026, -1, 0 },
	};

	(void)state;
	for (size_t i = 0; i < NCASES(cases); i++) {
		const struct days_case *c = &cases[i];
		int got = rfc3339_month_days(c->year, c->month);

		if (got != c->want)
			fail_msg("%s: %d days, want %d", c->name, got, c->want);
	}
	for (int y = 1900; y <= 2400; y++) {
		int sum = 0;
		bool leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;

		for (int m = 1; m <= 12; m++)
			sum += rfc3339_month_days(y, m);
		if (sum != (leap ? 366 : 365))
			fail_msg("year %d: %d days", y, sum);
	}
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_parse),
		cmocka_unit_test(test_parse_null),
		cmocka_unit_test(test_format),
		cmocka_unit_test(test_format_date),
		cmocka_unit_test(test_roundtrip),
		cmocka_unit_test(test_month_days),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
