/* Unit and property tests of the on-call rota, against a brute force. */
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <limits.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <cmocka.h>

#include "tests/unit/seed.h"

#include "daemon/core/ivs.h"
#include "daemon/core/rota.h"
#include "daemon/core/tz.h"

#define NCASES(a)	(sizeof(a) / sizeof((a)[0]))
#define HOUR		3600
#define DAY		86400
#define T0		INT64_C(1796043600)	/* 2026-11-30 13:00 UTC */
#define MAXG		32
#define MAXS		60
#define MAXIV		(2 * MAXS)
#define ORACLE_ITERS	4000
#define VALID_ITERS	800

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

/* --- Holidays. --- */

/* Days since 1970-01-01 of a civil date; out-of-range days carry. */
static int64_t
dayno(int y, int m, int d)
{
	return tz_civil(y, m, d, 0, 0, 0) / DAY;
}

/* The civil date of a day number. */
static struct rota_date
date_of(int64_t n)
{
	time_t t = (time_t)(n * DAY);
	struct tm tm;

	gmtime_r(&t, &tm);
	return (struct rota_date){ tm.tm_year + 1900, tm.tm_mon + 1,
	    tm.tm_mday };
}

static bool
holiday_at(int64_t n)
{
	struct rota_date d = date_of(n);

	return rota_is_fr_holiday(d.year, d.month, d.day);
}

/*
 * Easter Monday, Ascension (Easter + 39) and Whit Monday (Easter + 50)
 * are holidays in every year of a table of known Easter Sundays; Easter
 * Sunday and Pentecost Sunday are not (they are Sundays anyway), nor the
 * days around the moving feasts.
 */
static void
test_holidays_easter(void **state)
{
	static const struct rota_date easter[] = {
		{ 1943, 4, 25 }, { 2000, 4, 23 }, { 2001, 4, 15 },
		{ 2002, 3, 31 }, { 2003, 4, 20 }, { 2004, 4, 11 },
		{ 2005, 3, 27 }, { 2006, 4, 16 }, { 2007, 4, 8 },
		{ 2008, 3, 23 }, { 2009, 4, 12 }, { 2010, 4, 4 },
		{ 2011, 4, 24 }, { 2012, 4, 8 }, { 2013, 3, 31 },
		{ 2014, 4, 20 }, { 2015, 4, 5 }, { 2016, 3, 27 },
		{ 2017, 4, 16 }, { 2018, 4, 1 }, { 2019, 4, 21 },
		{ 2020, 4, 12 }, { 2021, 4, 4 }, { 2022, 4, 17 },
		{ 2023, 4, 9 }, { 2024, 3, 31 }, { 2025, 4, 20 },
		{ 2026, 4, 5 }, { 2027, 3, 28 }, { 2028, 4, 16 },
		{ 2029, 4, 1 }, { 2030, 4, 21 }, { 2038, 4, 25 },
		{ 2285, 3, 22 },
	};
	static const struct {
		int	off;
		bool	is_holiday;
	} around[] = {
		{ -1, false }, { 0, false }, { 1, true }, { 2, false },
		{ 39, true }, { 40, false }, { 49, false }, { 50, true },
		{ 51, false },
	};

	(void)state;
	for (size_t i = 0; i < NCASES(easter); i++) {
		int64_t e = dayno(easter[i].year, easter[i].month,
		    easter[i].day);

		for (size_t k = 0; k < NCASES(around); k++) {
			struct rota_date d = date_of(e + around[k].off);
			bool fixed = (d.month == 5 && (d.day == 1 ||
			    d.day == 8));

			/* Ascension may fall on 1 or 8 May: skip those. */
			if (fixed)
				continue;
			if (holiday_at(e + around[k].off) !=
			    around[k].is_holiday)
				fail_msg("Easter %d-%02d-%02d%+d "
				    "(%d-%02d-%02d): holiday %d, want %d",
				    easter[i].year, easter[i].month,
				    easter[i].day, around[k].off, d.year,
				    d.month, d.day, !around[k].is_holiday,
				    around[k].is_holiday);
		}
	}
}

/* The fixed holidays, and the year's count: eleven, every year. */
static void
test_holidays_fixed(void **state)
{
	static const struct {
		struct rota_date	 d;
		bool			 is_holiday;
	} cases[] = {
		{ { 2026, 1, 1 }, true }, { { 2026, 5, 1 }, true },
		{ { 2026, 5, 8 }, true }, { { 2026, 7, 14 }, true },
		{ { 2026, 8, 15 }, true }, { { 2026, 11, 1 }, true },
		{ { 2026, 11, 11 }, true }, { { 2026, 12, 25 }, true },
		{ { 2026, 5, 14 }, true },	/* Ascension */
		{ { 2026, 5, 25 }, true },	/* Whit Monday */
		{ { 2026, 4, 6 }, true },	/* Easter Monday */
		{ { 2026, 1, 2 }, false }, { { 2026, 5, 2 }, false },
		{ { 2026, 7, 13 }, false }, { { 2026, 8, 16 }, false },
		{ { 2026, 11, 2 }, false }, { { 2026, 12, 24 }, false },
		{ { 2026, 12, 26 }, false }, { { 2026, 3, 30 }, false },
		{ { 2026, 11, 30 }, false }, { { 2026, 5, 24 }, false },
	};

	(void)state;
	for (size_t i = 0; i < NCASES(cases); i++) {
		const struct rota_date *d = &cases[i].d;

		if (rota_is_fr_holiday(d->year, d->month, d->day) !=
		    cases[i].is_holiday)
			fail_msg("%d-%02d-%02d: want holiday %d", d->year,
			    d->month, d->day, cases[i].is_holiday);
	}
	for (int y = 1990; y < 2100; y++) {
		int n = 0;

		for (int64_t k = dayno(y, 1, 1); k < dayno(y + 1, 1, 1); k++)
			n += holiday_at(k);
		/* Ascension on 1 or 8 May makes one day two feasts. */
		if (n != 11 && n != 10)
			fail_msg("%d: %d holidays", y, n);
	}
}

/* --- Shifts. --- */

static int64_t
utc(int y, int mo, int d, int h, int mi)
{
	return tz_civil(y, mo, d, h, mi, 0);
}

/*
 * Shifts keep their local wall-clock times across both DST changes of
 * 2026 in Paris, a night shift ends the next morning (9 or 11 hours long
 * on a change night), and weekends, holidays and extra days weigh more.
 */
static void
test_shifts(void **state)
{
	static const struct rota_def defs[] = {
		{ 14 * 60, 17 * 60 }, { 17 * 60, 20 * 60 },
		{ 22 * 60, 8 * 60 },
	};
	static const struct rota_date extra[] = { { 2026, 5, 15 } };
	/* Not static: utc() computes the times. */
	const struct {
		const char	*name;
		int		 y, m, d, n_days;
		int64_t		 want[9][2];	/* start, end, UTC */
		double		 weight[9];
	} cases[] = {
		{ "spring forward (Sat, Sun)", 2026, 3, 28, 2, {
			{ utc(2026, 3, 28, 13, 0), utc(2026, 3, 28, 16, 0) },
			{ utc(2026, 3, 28, 16, 0), utc(2026, 3, 28, 19, 0) },
			{ utc(2026, 3, 28, 21, 0), utc(2026, 3, 29, 6, 0) },
			{ utc(2026, 3, 29, 12, 0), utc(2026, 3, 29, 15, 0) },
			{ utc(2026, 3, 29, 15, 0), utc(2026, 3, 29, 18, 0) },
			{ utc(2026, 3, 29, 20, 0), utc(2026, 3, 30, 6, 0) },
		    }, { 1.5, 1.5, 1.5, 1.5, 1.5, 1.5 } },
		{ "fall back (Sat, Sun, Mon)", 2026, 10, 24, 3, {
			{ utc(2026, 10, 24, 12, 0), utc(2026, 10, 24, 15, 0) },
			{ utc(2026, 10, 24, 15, 0), utc(2026, 10, 24, 18, 0) },
			{ utc(2026, 10, 24, 20, 0), utc(2026, 10, 25, 7, 0) },
			{ utc(2026, 10, 25, 13, 0), utc(2026, 10, 25, 16, 0) },
			{ utc(2026, 10, 25, 16, 0), utc(2026, 10, 25, 19, 0) },
			{ utc(2026, 10, 25, 21, 0), utc(2026, 10, 26, 7, 0) },
			{ utc(2026, 10, 26, 13, 0), utc(2026, 10, 26, 16, 0) },
			{ utc(2026, 10, 26, 16, 0), utc(2026, 10, 26, 19, 0) },
			{ utc(2026, 10, 26, 21, 0), utc(2026, 10, 27, 7, 0) },
		    }, { 1.5, 1.5, 1.5, 1.5, 1.5, 1.5, 1, 1, 1 } },
		{ "Ascension, extra day, Saturday", 2026, 5, 14, 3, {
			{ utc(2026, 5, 14, 12, 0), utc(2026, 5, 14, 15, 0) },
			{ utc(2026, 5, 14, 15, 0), utc(2026, 5, 14, 18, 0) },
			{ utc(2026, 5, 14, 20, 0), utc(2026, 5, 15, 6, 0) },
			{ utc(2026, 5, 15, 12, 0), utc(2026, 5, 15, 15, 0) },
			{ utc(2026, 5, 15, 15, 0), utc(2026, 5, 15, 18, 0) },
			{ utc(2026, 5, 15, 20, 0), utc(2026, 5, 16, 6, 0) },
			{ utc(2026, 5, 16, 12, 0), utc(2026, 5, 16, 15, 0) },
			{ utc(2026, 5, 16, 15, 0), utc(2026, 5, 16, 18, 0) },
			{ utc(2026, 5, 16, 20, 0), utc(2026, 5, 17, 6, 0) },
		    }, { 1.5, 1.5, 1.5, 1.5, 1.5, 1.5, 1.5, 1.5, 1.5 } },
		{ "winter Friday, Monday 30 Nov", 2026, 11, 27, 4, {
			{ utc(2026, 11, 27, 13, 0), utc(2026, 11, 27, 16, 0) },
			{ utc(2026, 11, 27, 16, 0), utc(2026, 11, 27, 19, 0) },
			{ utc(2026, 11, 27, 21, 0), utc(2026, 11, 28, 7, 0) },
		    }, { 1, 1, 1 } },
	};
	struct rota_shift_opts o = { .tz = paris, .defs = defs,
	    .n_defs = NCASES(defs), .weekend_weight = 1.5,
	    .extra_holidays = extra, .n_extra = NCASES(extra) };
	struct rota_shift *v;
	size_t n;

	(void)state;
	for (size_t i = 0; i < NCASES(cases); i++) {
		int64_t from = tz_from_local(paris, cases[i].y, cases[i].m,
		    cases[i].d, 0, 0, 0);
		int64_t to = tz_from_local(paris, cases[i].y, cases[i].m,
		    cases[i].d + cases[i].n_days, 0, 0, 0);
		size_t n_want = 3 * (size_t)cases[i].n_days;

		assert_int_equal(rota_shifts(&o, from, to, &v, &n), 0);
		if (n != n_want)
			fail_msg("%s: %zu shifts, want %zu", cases[i].name,
			    n, n_want);
		for (size_t k = 0; k < n && k < 9; k++) {
			if (cases[i].want[k][0] == 0)
				break;		/* the rest not spelled out */
			if (v[k].start != cases[i].want[k][0] ||
			    v[k].end != cases[i].want[k][1] ||
			    v[k].weight != cases[i].weight[k])
				fail_msg("%s: shift %zu: [%lld, %lld) w %g, "
				    "want [%lld, %lld) w %g", cases[i].name,
				    k, (long long)v[k].start,
				    (long long)v[k].end, v[k].weight,
				    (long long)cases[i].want[k][0],
				    (long long)cases[i].want[k][1],
				    cases[i].weight[k]);
			if (v[k].primary != -1 || v[k].backup != -1 ||
			    v[k].keep)
				fail_msg("%s: shift %zu assigned",
				    cases[i].name, k);
		}
		for (size_t k = 1; k < n; k++)
			if (v[k - 1].start >= v[k].start)
				fail_msg("%s: not sorted at %zu",
				    cases[i].name, k);
		free(v);
	}
}

/*
 * A period of four weeks from a Monday: 56 day shifts, the 14-17 one
 * ending as the 17-20 one starts, 14:00 local all along; an empty
 * period gives nothing.
 */
static void
test_shifts_period(void **state)
{
	static const struct rota_def defs[] = {
		{ 14 * 60, 17 * 60 }, { 17 * 60, 20 * 60 },
	};
	struct rota_shift_opts o = { .tz = paris, .defs = defs,
	    .n_defs = NCASES(defs), .weekend_weight = 2 };
	int64_t from = tz_from_local(paris, 2026, 3, 9, 0, 0, 0);
	int64_t to = tz_from_local(paris, 2026, 4, 6, 0, 0, 0);
	struct rota_shift *v;
	struct tz_local l;
	size_t n, n_heavy = 0;

	(void)state;
	assert_int_equal(rota_shifts(&o, from, to, &v, &n), 0);
	assert_int_equal(n, 56);
	for (size_t k = 0; k < n; k++) {
		tz_to_local(paris, v[k].start, &l);
		assert_int_equal(l.hour, k % 2 == 0 ? 14 : 17);
		assert_int_equal(l.min, 0);
		assert_int_equal(v[k].end - v[k].start, 3 * HOUR);
		if (k % 2 == 0)
			assert_true(v[k].end == v[k + 1].start);
		n_heavy += v[k].weight == 2;
	}
	assert_int_equal(n_heavy, 2 * 8);	/* 4 weekends, no holiday */
	free(v);
	assert_int_equal(rota_shifts(&o, from, from, &v, &n), 0);
	assert_int_equal(n, 0);
	free(v);
}

/* --- Eligibility. --- */

/*
 * Eligible: teleconsult-capable, the shift wholly inside on-call time
 * (two touching offers count as one), no absence overlapping it (one
 * touching it does not matter).
 */
static void
test_eligible(void **state)
{
	static const struct {
		const char	*name;
		bool		 teleconsult;
		int64_t		 on[2][2], off[2][2];	/* hours from T0 */
		bool		 want;
	} cases[] = {
		{ "covered", true, { { 0, 3 } }, { { 0, 0 } }, true },
		{ "wider", true, { { -5, 8 } }, { { 0, 0 } }, true },
		{ "two touching", true, { { 0, 1 }, { 1, 3 } },
		    { { 0, 0 } }, true },
		{ "hole", true, { { 0, 1 }, { 2, 3 } }, { { 0, 0 } }, false },
		{ "late start", true, { { 1, 3 } }, { { 0, 0 } }, false },
		{ "early end", true, { { 0, 2 } }, { { 0, 0 } }, false },
		{ "no offer", true, { { 0, 0 } }, { { 0, 0 } }, false },
		{ "no teleconsult", false, { { 0, 3 } }, { { 0, 0 } },
		    false },
		{ "absent inside", true, { { 0, 3 } }, { { 1, 2 } }, false },
		{ "absent across", true, { { 0, 3 } }, { { -9, 9 } }, false },
		{ "absent overlapping end", true, { { 0, 3 } },
		    { { 2, 4 } }, false },
		{ "absence touching", true, { { 0, 3 } },
		    { { -2, 0 }, { 3, 5 } }, true },
	};

	(void)state;
	for (size_t i = 0; i < NCASES(cases); i++) {
		struct ivs on, off;
		struct rota_gp g = { .id = "gp", .teleconsult =
		    cases[i].teleconsult, .oncall = &on, .absent = &off };

		ivs_init(&on);
		ivs_init(&off);
		for (int k = 0; k < 2; k++) {
			assert_int_equal(ivs_add(&on, T0 + cases[i].on[k][0] *
			    HOUR, T0 + cases[i].on[k][1] * HOUR), 0);
			assert_int_equal(ivs_add(&off, T0 +
			    cases[i].off[k][0] * HOUR, T0 +
			    cases[i].off[k][1] * HOUR), 0);
		}
		if (rota_eligible(&g, T0, T0 + 3 * HOUR) != cases[i].want)
			fail_msg("%s: want %d", cases[i].name, cases[i].want);
		g.absent = NULL;
		if (cases[i].want &&
		    !rota_eligible(&g, T0, T0 + 3 * HOUR))
			fail_msg("%s: no absence list", cases[i].name);
		g.oncall = NULL;
		if (rota_eligible(&g, T0, T0 + 3 * HOUR))
			fail_msg("%s: no on-call list", cases[i].name);
		ivs_fini(&on);
		ivs_fini(&off);
	}
}

/* --- Instances, and what the tests know of them without rota_. --- */

struct iv {
	int64_t	start, end;
};

struct inst {
	size_t			 n_gps, n;
	int64_t			 window_s;
	char			 ids[MAXG][16];
	struct rota_gp		 gps[MAXG];
	struct ivs		 on[MAXG], off[MAXG];
	struct iv		 on_iv[MAXG][MAXIV], off_iv[MAXG][MAXIV];
	size_t			 n_on[MAXG], n_off[MAXG];
	struct rota_shift	 shifts[MAXS];
	bool			 elig[MAXG][MAXS];	/* the test's own */
};

static void
inst_fini(struct inst *in)
{
	for (size_t g = 0; g < MAXG; g++) {
		ivs_fini(&in->on[g]);
		ivs_fini(&in->off[g]);
	}
}

/* Whether [s, e) lies in the union of v[0..n) (any order, any overlap). */
static bool
union_covers(const struct iv *v, size_t n, int64_t s, int64_t e)
{
	int64_t at = s;
	bool grew = true;

	while (at < e && grew) {
		grew = false;
		for (size_t k = 0; k < n; k++)
			if (v[k].start <= at && at < v[k].end) {
				at = v[k].end;
				grew = true;
			}
	}
	return at >= e;
}

static bool
any_meets(const struct iv *v, size_t n, int64_t s, int64_t e)
{
	for (size_t k = 0; k < n; k++)
		if (v[k].start < e && s < v[k].end)
			return true;
	return false;
}

/* The eligibility matrix from the intervals, and the ivs from them too. */
static void
inst_finish(struct inst *in)
{
	for (size_t g = 0; g < in->n_gps; g++) {
		struct rota_gp *gp = &in->gps[g];

		ivs_clear(&in->on[g]);
		ivs_clear(&in->off[g]);
		for (size_t k = 0; k < in->n_on[g]; k++)
			assert_int_equal(ivs_push(&in->on[g],
			    in->on_iv[g][k].start, in->on_iv[g][k].end), 0);
		for (size_t k = 0; k < in->n_off[g]; k++)
			assert_int_equal(ivs_push(&in->off[g],
			    in->off_iv[g][k].start, in->off_iv[g][k].end), 0);
		ivs_normalize(&in->on[g]);
		ivs_normalize(&in->off[g]);
		snprintf(in->ids[g], sizeof(in->ids[g]), "gp%02u",
		    (unsigned)(g % 100));
		gp->id = in->ids[g];
		gp->oncall = &in->on[g];
		gp->absent = &in->off[g];
		for (size_t s = 0; s < in->n; s++) {
			int64_t a = in->shifts[s].start, b = in->shifts[s].end;

			in->elig[g][s] = gp->teleconsult &&
			    union_covers(in->on_iv[g], in->n_on[g], a, b) &&
			    !any_meets(in->off_iv[g], in->n_off[g], a, b);
		}
	}
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

static int
rand_in(uint64_t *rs, int lo, int hi)
{
	return lo + (int)(next_rand(rs) % (uint64_t)(hi - lo + 1));
}

static bool
chance(uint64_t *rs, int percent)
{
	return rand_in(rs, 0, 99) < percent;
}

/*
 * n_gps GPs over n shifts in time order, most starting where the one
 * before ends (a chain of consecutive shifts), the rest after a pause;
 * weights 1 or 1.5. Each GP offers each shift with a probability of the
 * instance (sometimes only part of it), is sometimes absent over part
 * of one, or absent just before one (touching: no effect), is now and
 * then not teleconsult-capable; random history and time present. Some
 * shifts are kept, with random holders (eligible or not, -1, out of
 * range, or the same GP twice).
 */
static void
gen(struct inst *in, uint64_t *rs, size_t n_gps, size_t n)
{
	int offer = rand_in(rs, 20, 100);
	int keep = chance(rs, 30) ? rand_in(rs, 5, 50) : 0;
	bool whole = chance(rs, 30);	/* history in whole shifts */
	int64_t t = T0;

	for (size_t g = 0; g < MAXG; g++) {
		in->n_on[g] = in->n_off[g] = 0;
		memset(&in->gps[g], 0, sizeof(in->gps[g]));
	}
	in->n_gps = n_gps;
	in->n = n;
	in->window_s = 84 * (int64_t)DAY;
	for (size_t s = 0; s < n; s++) {
		int64_t len = (int64_t)rand_in(rs, 1, 6) * HOUR;

		if (s > 0 && chance(rs, 35))
			t += (int64_t)rand_in(rs, 1, 20) * HOUR;
		in->shifts[s] = (struct rota_shift){ .start = t,
		    .end = t + len, .weight = chance(rs, 30) ? 1.5 : 1,
		    .primary = -1, .backup = -1 };
		t += len;
		if (keep > 0 && chance(rs, keep)) {
			in->shifts[s].keep = true;
			in->shifts[s].primary = rand_in(rs, -1, (int)n_gps);
			in->shifts[s].backup = chance(rs, 15) ?
			    in->shifts[s].primary :
			    rand_in(rs, -1, (int)n_gps);
		}
	}
	for (size_t g = 0; g < n_gps; g++) {
		struct rota_gp *gp = &in->gps[g];
		int r = rand_in(rs, 0, 9);

		gp->teleconsult = !chance(rs, 8);
		gp->history_primary = whole ? rand_in(rs, 0, 12) :
		    rand_in(rs, 0, 240) / 8.0;
		gp->history_backup = whole ? rand_in(rs, 0, 12) :
		    rand_in(rs, 0, 240) / 8.0;
		gp->present_s = r < 4 ? in->window_s : r < 5 ? 0 :
		    r < 6 ? -1 : r < 7 ? in->window_s / 4 :
		    (int64_t)rand_in(rs, 1, 84) * DAY;
		for (size_t s = 0; s < n; s++) {
			struct rota_shift *sh = &in->shifts[s];

			if (chance(rs, offer))
				in->on_iv[g][in->n_on[g]++] = (struct iv){
				    sh->start, chance(rs, 6) ?
				    sh->end - 1800 : sh->end };
			if (chance(rs, 5))
				in->off_iv[g][in->n_off[g]++] = (struct iv){
				    sh->start + 600, sh->start + 1200 };
			else if (chance(rs, 5))
				in->off_iv[g][in->n_off[g]++] = (struct iv){
				    sh->start - HOUR, sh->start };
		}
	}
	inst_finish(in);
}

/* --- What an assignment achieves, computed here from scratch. --- */

struct score {
	long	consec;
	double	spread[2], sumsq[2];
};

static void
score_of(const struct inst *in, const int *p, const int *b,
    struct score *sc)
{
	double got[2][MAXG] = { { 0 } };

	sc->consec = 0;
	for (size_t s = 0; s < in->n; s++) {
		const struct rota_shift *a = &in->shifts[s];

		if (p[s] >= 0)
			got[0][p[s]] += a->weight;
		if (b[s] >= 0)
			got[1][b[s]] += a->weight;
		for (size_t t = 0; t < in->n; t++) {
			const struct rota_shift *c = &in->shifts[t];

			if (t == s || a->end != c->start ||
			    a->end <= a->start || c->end <= c->start)
				continue;
			sc->consec += (p[s] >= 0 && (p[s] == p[t] ||
			    p[s] == b[t])) + (b[s] >= 0 && (b[s] == p[t] ||
			    b[s] == b[t]));
		}
	}
	for (int role = 0; role < 2; role++) {
		double mx = -HUGE_VAL, mn = HUGE_VAL;

		sc->sumsq[role] = 0;
		for (size_t g = 0; g < in->n_gps; g++) {
			const struct rota_gp *gp = &in->gps[g];
			bool in_s = false;
			double l;

			for (size_t s = 0; s < in->n; s++)
				in_s |= in->elig[g][s];
			if (!in_s)
				continue;
			l = (role == 0 ? gp->history_primary :
			    gp->history_backup) + got[role][g];
			if (gp->present_s > 0)
				l = l * (double)in->window_s /
				    (double)gp->present_s;
			mx = fmax(mx, l);
			mn = fmin(mn, l);
			sc->sumsq[role] += l * l;
		}
		sc->spread[role] = mx >= mn ? mx - mn : 0;
	}
}

static bool
near(double a, double b)
{
	return fabs(a - b) <= 1e-7 * (1 + fabs(a) + fabs(b));
}

/* Whether a is worse than b beyond rounding, lexicographically. */
static bool
worse(const struct score *a, const struct score *b)
{
	if (a->consec != b->consec)
		return a->consec > b->consec;
	for (int k = 0; k < 2; k++)
		if (!near(a->spread[k], b->spread[k]))
			return a->spread[k] > b->spread[k];
	for (int k = 0; k < 2; k++)
		if (!near(a->sumsq[k], b->sumsq[k]))
			return a->sumsq[k] > b->sumsq[k];
	return false;
}

/* The kept holder of a role of shift s that must stay, or -1. */
static int
kept_of(const struct inst *in, size_t s, int role)
{
	const struct rota_shift *sh = &in->shifts[s];
	int p = sh->primary, b = sh->backup;

	if (!sh->keep)
		return -1;
	if (p >= 0 && (size_t)p < in->n_gps && !in->elig[p][s])
		p = -1;
	if (role == 0)
		return p >= 0 && (size_t)p < in->n_gps ? p : -1;
	if (b < 0 || (size_t)b >= in->n_gps || !in->elig[b][s] || b == p)
		return -1;
	return b;
}

/*
 * What must hold of any output: holders eligible and distinct, gaps only
 * where nobody else may, eligible kept holders unchanged. NULL or why
 * not, in why.
 */
static const char *
valid_fault(const struct inst *in, const struct rota_shift *out,
    char *why, size_t whylen)
{
	for (size_t s = 0; s < in->n; s++) {
		int p = out[s].primary, b = out[s].backup;
		int kp = kept_of(in, s, 0), kb = kept_of(in, s, 1);
		size_t others = 0;

		snprintf(why, whylen, "shift %zu: primary %d backup %d", s,
		    p, b);
		if (p < -1 || b < -1 || p >= (int)in->n_gps ||
		    b >= (int)in->n_gps)
			return "index out of range";
		if (p >= 0 && !in->elig[p][s])
			return "ineligible primary";
		if (b >= 0 && !in->elig[b][s])
			return "ineligible backup";
		if (p >= 0 && p == b)
			return "primary is backup";
		if ((kp >= 0 && p != kp) || (kb >= 0 && b != kb))
			return "an eligible kept holder changed";
		if (out[s].keep != in->shifts[s].keep)
			return "keep changed";
		for (size_t g = 0; g < in->n_gps; g++)
			others += in->elig[g][s] && (int)g != kb;
		if (p < 0 && others > 0)
			return "primary gap with an eligible GP free";
		others = 0;
		for (size_t g = 0; g < in->n_gps; g++)
			others += in->elig[g][s] && (int)g != p;
		if (b < 0 && others > 0)
			return "backup gap with an eligible GP free";
	}
	return NULL;
}

/* --- The brute force. --- */

struct brute {
	const struct inst	*in;
	int			 p[MAXS], b[MAXS];
	struct score		 best;
	long			 n_valid;
};

/* Every valid assignment, as valid_fault() and the header define it. */
static void
brute_go(struct brute *bf, size_t s)
{
	const struct inst *in = bf->in;
	int kp, kb, np = 0, nb;
	int pc[MAXG + 1], bc[MAXG + 1];
	struct score sc;

	if (s == in->n) {
		score_of(in, bf->p, bf->b, &sc);
		if (bf->n_valid++ == 0 || worse(&bf->best, &sc))
			bf->best = sc;
		return;
	}
	kp = kept_of(in, s, 0);
	kb = kept_of(in, s, 1);
	if (kp >= 0)
		pc[np++] = kp;
	else
		for (size_t g = 0; g < in->n_gps; g++)
			if (in->elig[g][s] && (int)g != kb)
				pc[np++] = (int)g;
	if (np == 0)
		pc[np++] = -1;
	for (int i = 0; i < np; i++) {
		nb = 0;
		if (kb >= 0)
			bc[nb++] = kb;
		else
			for (size_t g = 0; g < in->n_gps; g++)
				if (in->elig[g][s] && (int)g != pc[i])
					bc[nb++] = (int)g;
		if (nb == 0)
			bc[nb++] = -1;
		for (int j = 0; j < nb; j++) {
			bf->p[s] = pc[i];
			bf->b[s] = bc[j];
			brute_go(bf, s + 1);
		}
	}
}

static void
dump(FILE *fp, const struct inst *in, const struct rota_shift *out)
{
	fprintf(fp, "window %lld\n", (long long)in->window_s);
	for (size_t g = 0; g < in->n_gps; g++) {
		const struct rota_gp *gp = &in->gps[g];

		fprintf(fp, "gp%zu tc %d hist %g/%g present %lld elig", g,
		    gp->teleconsult, gp->history_primary, gp->history_backup,
		    (long long)gp->present_s);
		for (size_t s = 0; s < in->n; s++)
			fprintf(fp, "%d", in->elig[g][s]);
		fprintf(fp, "\n");
	}
	for (size_t s = 0; s < in->n; s++)
		fprintf(fp, "shift %zu [%+lld, %+lld)h w %g keep %d %d/%d -> "
		    "%d/%d\n", s, (long long)(in->shifts[s].start - T0) / HOUR,
		    (long long)(in->shifts[s].end - T0) / HOUR,
		    in->shifts[s].weight, in->shifts[s].keep,
		    in->shifts[s].primary, in->shifts[s].backup,
		    out ? out[s].primary : -2, out ? out[s].backup : -2);
}

static void
run(const struct inst *in, struct rota_shift *out, long max_nodes,
    bool *is_exact)
{
	memcpy(out, in->shifts, in->n * sizeof(*out));
	assert_int_equal(rota_assign_bounded(in->gps, in->n_gps, out, in->n,
	    in->window_s, max_nodes, is_exact), 0);
}

static void
score_out(const struct inst *in, const struct rota_shift *out,
    struct score *sc)
{
	int p[MAXS], b[MAXS];

	for (size_t s = 0; s < in->n; s++) {
		p[s] = out[s].primary;
		b[s] = out[s].backup;
	}
	score_of(in, p, b, sc);
}

#define PROP_FAIL(seed, iter, in, out, ...)				\
	do {								\
		fprintf(stderr, "seed=%llu iter %d: ",			\
		    (unsigned long long)(seed), (iter));		\
		fprintf(stderr, __VA_ARGS__);				\
		fprintf(stderr, "\n");					\
		dump(stderr, (in), (out));				\
		fail_msg("seed=%llu iter %d: see above",		\
		    (unsigned long long)(seed), (iter));		\
	} while (0)

/*
 * On thousands of small instances (1-4 GPs, 1-6 shifts) rota_assign()
 * reaches the best score of all valid assignments, compared whole and
 * lexicographically: the least consecutive count, then among those the
 * least primary spread, then backup spread, then the sums of squares of
 * the loads (primary, backup). The count is that of score_of(): for each
 * ordered pair of positive-length shifts where one ends as the other
 * starts, the GPs holding a role in both. Instances of this size are
 * always searched exhaustively by rota_assign(): that is the contract
 * (see rota_assign.c); the greedy and local search alone are also run,
 * and how often they match is printed, not asserted.
 */
static void
test_prop_oracle(void **state)
{
	uint64_t seed = *(const uint64_t *)*state, rs = seed;
	static struct inst in;
	struct rota_shift out[MAXS];
	struct brute bf;
	struct score sc;
	const char *fault;
	char why[128];
	int heur_ok = 0, spread_ok = 0;
	bool is_exact;

	for (int iter = 0; iter < ORACLE_ITERS; iter++) {
		gen(&in, &rs, (size_t)rand_in(&rs, 1, 4),
		    (size_t)rand_in(&rs, 1, 6));
		memset(&bf, 0, sizeof(bf));
		bf.in = &in;
		brute_go(&bf, 0);

		run(&in, out, -1, &is_exact);
		if ((fault = valid_fault(&in, out, why, sizeof(why))) != NULL)
			PROP_FAIL(seed, iter, &in, out, "%s: %s", fault, why);
		if (!is_exact)
			PROP_FAIL(seed, iter, &in, out, "not searched "
			    "exhaustively");
		score_out(&in, out, &sc);
		if (worse(&sc, &bf.best) || worse(&bf.best, &sc))
			PROP_FAIL(seed, iter, &in, out, "score consec %ld "
			    "spread %g/%g sumsq %g/%g, brute force %ld "
			    "%g/%g %g/%g (%ld valid)", sc.consec,
			    sc.spread[0], sc.spread[1], sc.sumsq[0],
			    sc.sumsq[1], bf.best.consec, bf.best.spread[0],
			    bf.best.spread[1], bf.best.sumsq[0],
			    bf.best.sumsq[1], bf.n_valid);

		run(&in, out, 0, &is_exact);
		if ((fault = valid_fault(&in, out, why, sizeof(why))) != NULL)
			PROP_FAIL(seed, iter, &in, out, "local search: %s: %s",
			    fault, why);
		score_out(&in, out, &sc);
		heur_ok += !worse(&sc, &bf.best);
		spread_ok += sc.consec == bf.best.consec &&
		    near(sc.spread[0], bf.best.spread[0]);
	}
	printf("local search alone: best score on %d of %d instances, "
	    "least count and primary spread on %d\n", heur_ok, ORACLE_ITERS,
	    spread_ok);
	/*
	 * A floor, not a contract: 99.4% with the fixed seed, 99.1-99.5%
	 * over other seeds; a local search blind to consecutive shifts
	 * falls to 90%.
	 */
	if (spread_ok < ORACLE_ITERS * 985 / 1000)
		fail_msg("seed=%llu: the local search alone reaches the least "
		    "count and primary spread on %d of %d instances only",
		    (unsigned long long)seed, spread_ok, ORACLE_ITERS);
	inst_fini(&in);
}

/*
 * Instances the local search alone (no exact search) must solve to the
 * brute force's best score, each needing one kind of change: found by
 * the property test above, each fails when its kind is taken out of
 * rota_local.c. Every GP offers exactly the shifts its mask says; the
 * window is 84 days.
 */
static void
test_local_search(void **state)
{
	static const struct {
		const char	*name;
		struct {
			bool		 tc;
			double		 hist_p, hist_b;
			int64_t		 present_s;
			const char	*elig;		/* per shift */
		} gp[4];
		struct {
			int	start_h, end_h;
			double	weight;
			bool	keep;
			int	p, b;
		} sh[6];
		size_t		 n_gps, n;
	} cases[] = {
		{ "chain, two shifts", {
			{ true, 10, 5, 7171200, "11" },
			{ true, 6, 1, 4492800, "11" },
			{ true, 6, 12, 0, "11" },
			{ false, 4, 0, 4579200, "00" } },
		    { { 0, 1, 1, false, -1, -1 },
		      { 1, 6, 1.5, false, -1, -1 } }, 4, 2 },
		{ "chain, three shifts", {
			{ true, 26, 18.125, 7257600, "111" },
			{ false, 11, 26.625, 7257600, "000" },
			{ true, 28.75, 0.625, 7257600, "110" },
			{ true, 18.25, 28.5, 7257600, "111" } },
		    { { 0, 3, 1.5, false, -1, -1 },
		      { 3, 9, 1.5, false, -1, -1 },
		      { 9, 12, 1, false, -1, -1 } }, 4, 3 },
		{ "trade, two GPs", {
			{ true, 11, 8, 5529600, "11111" },
			{ true, 2, 10, 1123200, "01111" },
			{ false, 1, 1, 1814400, "00000" } },
		    { { 0, 3, 1, false, -1, -1 },
		      { 7, 13, 1.5, false, -1, -1 },
		      { 13, 14, 1.5, false, -1, -1 },
		      { 27, 32, 1.5, false, -1, -1 },
		      { 41, 44, 1, false, -1, -1 } }, 3, 5 },
		{ "trade, gaps", {
			{ true, 19.375, 20.875, 7257600, "11101" },
			{ true, 14.875, 13.75, 5184000, "10111" } },
		    { { 0, 2, 1, false, -1, -1 },
		      { 2, 4, 1, false, -1, -1 },
		      { 4, 9, 1.5, false, -1, -1 },
		      { 9, 14, 1, false, -1, -1 },
		      { 14, 17, 1.5, false, -1, -1 } }, 2, 5 },
		{ "sum of squares, kept shift", {
			{ true, 17.5, 5, 5011200, "110" },
			{ true, 1, 1.25, 4406400, "101" },
			{ true, 1.375, 13.875, 7257600, "111" },
			{ true, 2.75, 25.875, 7257600, "101" } },
		    { { 0, 1, 1, false, -1, -1 },
		      { 10, 14, 1.5, true, 2, 0 },
		      { 14, 15, 1, false, -1, -1 } }, 4, 3 },
		{ "sum of squares, six shifts", {
			{ true, 27.75, 2.125, 3542400, "111111" },
			{ true, 21.625, 2.625, 7257600, "111111" },
			{ true, 7, 19.375, 7257600, "111111" },
			{ true, 17.375, 13.875, 0, "111011" } },
		    { { 0, 5, 1, false, -1, -1 },
		      { 5, 10, 1, false, -1, -1 },
		      { 10, 14, 1, false, -1, -1 },
		      { 14, 18, 1, false, -1, -1 },
		      { 23, 25, 1, false, -1, -1 },
		      { 25, 29, 1, false, -1, -1 } }, 4, 6 },
	};
	static struct inst in;
	struct rota_shift out[MAXS];
	struct brute bf;
	struct score sc;
	const char *fault;
	char why[128];

	(void)state;
	for (size_t i = 0; i < NCASES(cases); i++) {
		memset(in.n_on, 0, sizeof(in.n_on));
		memset(in.n_off, 0, sizeof(in.n_off));
		in.n_gps = cases[i].n_gps;
		in.n = cases[i].n;
		in.window_s = 84 * DAY;
		for (size_t k = 0; k < in.n; k++)
			in.shifts[k] = (struct rota_shift){
			    .start = T0 + cases[i].sh[k].start_h * HOUR,
			    .end = T0 + cases[i].sh[k].end_h * HOUR,
			    .weight = cases[i].sh[k].weight,
			    .keep = cases[i].sh[k].keep,
			    .primary = cases[i].sh[k].p,
			    .backup = cases[i].sh[k].b };
		for (size_t g = 0; g < in.n_gps; g++) {
			in.gps[g] = (struct rota_gp){
			    .teleconsult = cases[i].gp[g].tc,
			    .history_primary = cases[i].gp[g].hist_p,
			    .history_backup = cases[i].gp[g].hist_b,
			    .present_s = cases[i].gp[g].present_s };
			for (size_t k = 0; k < in.n; k++)
				if (cases[i].gp[g].elig[k] == '1')
					in.on_iv[g][in.n_on[g]++] = (struct iv){
					    in.shifts[k].start,
					    in.shifts[k].end };
		}
		inst_finish(&in);
		memset(&bf, 0, sizeof(bf));
		bf.in = &in;
		brute_go(&bf, 0);
		run(&in, out, 0, NULL);
		if ((fault = valid_fault(&in, out, why, sizeof(why))) != NULL)
			fail_msg("%s: %s: %s", cases[i].name, fault, why);
		score_out(&in, out, &sc);
		if (worse(&sc, &bf.best)) {
			dump(stderr, &in, out);
			fail_msg("%s: consec %ld spread %g/%g, best %ld %g/%g",
			    cases[i].name, sc.consec, sc.spread[0],
			    sc.spread[1], bf.best.consec, bf.best.spread[0],
			    bf.best.spread[1]);
		}
	}
	inst_fini(&in);
}

/* The ids of the holders of out[s], "-" for none. */
static const char *
id_of(const struct inst *in, int i)
{
	return i < 0 ? "-" : in->gps[i].id;
}

/*
 * On random instances of every size up to 32 GPs by 60 shifts (the
 * exact search then seldom runs: the local search is what holds):
 * every output is valid (as in valid_fault()); the same input gives the
 * same output; the GPs given in another order get the same shifts by
 * id; the shifts given in another order get the same holders.
 */
static void
test_prop_valid(void **state)
{
	uint64_t seed = *(const uint64_t *)*state, rs = seed;
	static struct inst in, in2;
	struct rota_shift out[MAXS], again[MAXS];
	size_t perm[MAXS > MAXG ? MAXS : MAXG], inv[MAXG];
	const char *fault;
	char why[128];

	for (int iter = 0; iter < VALID_ITERS; iter++) {
		gen(&in, &rs, (size_t)rand_in(&rs, 1, MAXG),
		    (size_t)rand_in(&rs, 1, MAXS));
		run(&in, out, -1, NULL);
		if ((fault = valid_fault(&in, out, why, sizeof(why))) != NULL)
			PROP_FAIL(seed, iter, &in, out, "%s: %s", fault, why);
		run(&in, again, -1, NULL);
		if (memcmp(out, again, in.n * sizeof(*out)) != 0)
			PROP_FAIL(seed, iter, &in, out, "a second run differs");
		run(&in, again, 0, NULL);
		if ((fault = valid_fault(&in, again, why, sizeof(why))) !=
		    NULL)
			PROP_FAIL(seed, iter, &in, again, "local search: %s: "
			    "%s", fault, why);

		/* The GPs shuffled: gps2[j] is gps[perm[j]]. */
		in2 = in;
		for (size_t g = 0; g < in.n_gps; g++)
			perm[g] = g;
		for (size_t g = in.n_gps; g > 1; g--) {
			size_t k = next_rand(&rs) % g, x = perm[g - 1];

			perm[g - 1] = perm[k];
			perm[k] = x;
		}
		for (size_t g = 0; g < in.n_gps; g++) {
			in2.gps[g] = in.gps[perm[g]];
			inv[perm[g]] = g;
		}
		for (size_t k = 0; k < in.n; k++) {
			struct rota_shift *sh = &in2.shifts[k];

			if (sh->primary >= 0 && (size_t)sh->primary < in.n_gps)
				sh->primary = (int)inv[sh->primary];
			if (sh->backup >= 0 && (size_t)sh->backup < in.n_gps)
				sh->backup = (int)inv[sh->backup];
		}
		run(&in2, again, -1, NULL);
		for (size_t k = 0; k < in.n; k++)
			if (strcmp(id_of(&in, out[k].primary),
			    id_of(&in2, again[k].primary)) != 0 ||
			    strcmp(id_of(&in, out[k].backup),
			    id_of(&in2, again[k].backup)) != 0)
				PROP_FAIL(seed, iter, &in, out, "GPs shuffled: "
				    "shift %zu gets %s/%s", k,
				    id_of(&in2, again[k].primary),
				    id_of(&in2, again[k].backup));

		/* The shifts shuffled: shifts2[k] is shifts[perm[k]]. */
		in2 = in;
		for (size_t k = 0; k < in.n; k++)
			perm[k] = k;
		for (size_t k = in.n; k > 1; k--) {
			size_t j = next_rand(&rs) % k, x = perm[k - 1];

			perm[k - 1] = perm[j];
			perm[j] = x;
		}
		for (size_t k = 0; k < in.n; k++)
			in2.shifts[k] = in.shifts[perm[k]];
		run(&in2, again, -1, NULL);
		for (size_t k = 0; k < in.n; k++)
			if (again[k].primary != out[perm[k]].primary ||
			    again[k].backup != out[perm[k]].backup)
				PROP_FAIL(seed, iter, &in, out, "shifts "
				    "shuffled: shift %zu gets %d/%d", perm[k],
				    again[k].primary, again[k].backup);
	}
	inst_fini(&in);
}

/* A period of whole days: defs 14-17 and 17-20, weekends weigh 1.5. */
static size_t
period(struct rota_shift *v, int days)
{
	size_t n = 0;

	for (int d = 0; d < days; d++)
		for (int k = 0; k < 2; k++) {
			int64_t t = T0 + (int64_t)d * DAY + k * 3 * HOUR;

			/* T0 is a Monday. */
			v[n++] = (struct rota_shift){ .start = t,
			    .end = t + 3 * HOUR, .weight = d % 7 >= 5 ?
			    1.5 : 1, .primary = -1, .backup = -1 };
		}
	return n;
}

/* n GPs on call all along, ids a, b, c, ...; history 0, always present. */
static void
everyone(struct rota_gp *g, struct ivs *on, char (*ids)[16], size_t n)
{
	for (size_t i = 0; i < n; i++) {
		ivs_init(&on[i]);
		assert_int_equal(ivs_add(&on[i], T0 - DAY, T0 + 60 * DAY), 0);
		snprintf(ids[i], 16, "%c%04u", 'a' + (int)(i % 26),
		    (unsigned)(i / 26 % 10000));
		g[i] = (struct rota_gp){ .id = ids[i], .teleconsult = true,
		    .oncall = &on[i], .present_s = 84 * DAY };
	}
}

static double
weight_of(const struct rota_shift *v, size_t n, int gp, bool backup)
{
	double w = 0;

	for (size_t k = 0; k < n; k++)
		if ((backup ? v[k].backup : v[k].primary) == gp)
			w += v[k].weight;
	return w;
}

/*
 * A GP who joined a quarter of the window ago, with no history, among
 * four who have been there all along with 20 weighted shifts each of
 * history, is not handed the shifts to catch up: per time present it
 * holds about what they hold (8.5 of the 64 weighted shifts of four
 * weeks, against 13.9 each).
 */
static void
test_newcomer(void **state)
{
	struct rota_gp g[5];
	struct ivs on[5];
	char ids[5][16];
	struct rota_shift v[56];
	size_t n = period(v, 28);

	(void)state;
	everyone(g, on, ids, 5);
	for (int i = 0; i < 4; i++)
		g[i].history_primary = g[i].history_backup = 20;
	g[4].present_s = 84 * DAY / 4;
	assert_int_equal(rota_assign(g, 5, v, n, 84 * DAY), 0);
	for (int role = 0; role < 2; role++) {
		double y = weight_of(v, n, 4, role == 1);

		if (y < 7 || y > 10)
			fail_msg("role %d: the newcomer holds %g", role, y);
		for (int i = 0; i < 4; i++) {
			double x = weight_of(v, n, i, role == 1);

			/* Loads per time present within a weekend shift. */
			if (fabs((20 + x) - 4 * y) > 4 * 1.5)
				fail_msg("role %d: gp %d load %g, newcomer %g",
				    role, i, 20 + x, 4 * y);
		}
	}
	for (int i = 0; i < 5; i++)
		ivs_fini(&on[i]);
}

/*
 * Kept shifts: eligible holders stay even where unfair; an ineligible
 * one is replaced, the other role staying; empty roles of a kept shift
 * are filled; a kept backup equal to its primary is replaced.
 */
static void
test_kept(void **state)
{
	struct rota_gp g[3];
	struct ivs on[3], off;
	char ids[3][16];
	struct rota_shift v[8];
	size_t n = period(v, 4);

	(void)state;
	everyone(g, on, ids, 3);
	ivs_init(&off);
	assert_int_equal(ivs_add(&off, v[2].start, v[2].start + 60), 0);
	g[2].absent = &off;		/* c is absent during shift 2 */
	g[0].history_primary = 100;	/* a has had far too much */
	v[0] = (struct rota_shift){ v[0].start, v[0].end, 1, 0, 1, true };
	v[2] = (struct rota_shift){ v[2].start, v[2].end, 1, 2, 0, true };
	v[4] = (struct rota_shift){ v[4].start, v[4].end, 1, -1, -1, true };
	v[6] = (struct rota_shift){ v[6].start, v[6].end, 1, 1, 1, true };
	assert_int_equal(rota_assign(g, 3, v, n, 84 * DAY), 0);
	assert_int_equal(v[0].primary, 0);	/* kept although unfair */
	assert_int_equal(v[0].backup, 1);
	assert_int_equal(v[2].primary, 1);	/* c replaced by the one left */
	assert_int_equal(v[2].backup, 0);
	assert_true(v[4].primary >= 0 && v[4].backup >= 0);
	assert_int_not_equal(v[4].primary, 0);	/* a's load is the highest */
	assert_int_equal(v[6].primary, 1);
	assert_true(v[6].backup >= 0 && v[6].backup != 1);
	for (size_t k = 0; k < n; k++)
		assert_true(v[k].primary >= 0 && v[k].backup >= 0 &&
		    v[k].primary != v[k].backup);
	for (int i = 0; i < 3; i++)
		ivs_fini(&on[i]);
	ivs_fini(&off);
}

/*
 * Consecutive shifts: with four GPs nobody holds both shifts of a day;
 * with three, one GP per day must, and only one; with two, both do.
 */
static void
test_consecutive(void **state)
{
	struct rota_gp g[4];
	struct ivs on[4];
	char ids[4][16];
	struct rota_shift v[56];
	size_t n;

	(void)state;
	everyone(g, on, ids, 4);
	for (size_t n_gps = 2; n_gps <= 4; n_gps++) {
		n = period(v, 28);
		assert_int_equal(rota_assign(g, n_gps, v, n, 84 * DAY), 0);
		for (size_t k = 0; k < n; k += 2) {
			int both = (v[k].primary == v[k + 1].primary ||
			    v[k].primary == v[k + 1].backup) +
			    (v[k].backup == v[k + 1].primary ||
			    v[k].backup == v[k + 1].backup);

			if (both != (n_gps == 2 ? 2 : n_gps == 3 ? 1 : 0))
				fail_msg("%zu GPs, day %zu: %d on both shifts",
				    n_gps, k / 2, both);
		}
	}
	for (int i = 0; i < 4; i++)
		ivs_fini(&on[i]);
}

/* No GP, no shift, nobody eligible: gaps, and no failure. */
static void
test_empty(void **state)
{
	struct rota_gp g[1];
	struct ivs on[1];
	char ids[1][16];
	struct rota_shift v[4];
	size_t n = period(v, 2);

	(void)state;
	everyone(g, on, ids, 1);
	assert_int_equal(rota_assign(NULL, 0, v, n, 84 * DAY), 0);
	for (size_t k = 0; k < n; k++)
		assert_true(v[k].primary == -1 && v[k].backup == -1);
	assert_int_equal(rota_assign(g, 1, NULL, 0, 84 * DAY), 0);
	g[0].teleconsult = false;
	assert_int_equal(rota_assign(g, 1, v, n, 84 * DAY), 0);
	for (size_t k = 0; k < n; k++)
		assert_true(v[k].primary == -1 && v[k].backup == -1);
	g[0].teleconsult = true;
	assert_int_equal(rota_assign(g, 1, v, n, 0), 0);
	for (size_t k = 0; k < n; k++)
		assert_true(v[k].primary == 0 && v[k].backup == -1);
	ivs_fini(&on[0]);
}

static double
now_s(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

/*
 * Four weeks (56 shifts) for 200 and for 2000 GPs: everyone on call
 * all along, equal history: no consecutive shifts, primary and backup
 * spreads at most one weekend shift; then each GP offering a random
 * half of the shifts with random history and presence: valid. The times
 * are printed for a reader (a few ms on the test machine), never asserted:
 * speed belongs to bench/, not to a test on a shared machine.
 */
static void
test_large(void **state)
{
	static const size_t sizes[] = { 200, 2000 };
	uint64_t rs = *(const uint64_t *)*state;
	struct rota_gp *g;
	struct ivs *on;
	char (*ids)[16];
	struct rota_shift v[56];
	size_t n;
	double t, dt[2];

	for (size_t z = 0; z < NCASES(sizes); z++) {
		size_t m = sizes[z];

		g = calloc(m, sizeof(*g));
		on = calloc(m, sizeof(*on));
		ids = calloc(m, sizeof(*ids));
		assert_true(g != NULL && on != NULL && ids != NULL);
		everyone(g, on, ids, m);
		n = period(v, 28);
		assert_int_equal(rota_assign(g, m, v, n, 84 * DAY), 0);
		for (size_t k = 0; k + 1 < n; k += 2)
			assert_true(v[k].primary != v[k + 1].primary &&
			    v[k].primary != v[k + 1].backup &&
			    v[k].backup != v[k + 1].primary &&
			    v[k].backup != v[k + 1].backup);
		for (int role = 0; role < 2; role++) {
			double lo = HUGE_VAL, hi = 0;

			for (size_t i = 0; i < m; i++) {
				double w = weight_of(v, n, (int)i, role == 1);

				lo = fmin(lo, w);
				hi = fmax(hi, w);
			}
			assert_true(hi - lo <= 1.5);
		}

		for (size_t i = 0; i < m; i++) {
			ivs_clear(&on[i]);
			for (size_t k = 0; k < n; k++)
				if (next_rand(&rs) % 2)
					assert_int_equal(ivs_add(&on[i],
					    v[k].start, v[k].end), 0);
			g[i].teleconsult = next_rand(&rs) % 10 != 0;
			g[i].history_primary = (double)(next_rand(&rs) % 40);
			g[i].history_backup = (double)(next_rand(&rs) % 40);
			g[i].present_s = next_rand(&rs) % 4 == 0 ?
			    21 * DAY : 84 * DAY;
		}
		n = period(v, 28);
		t = now_s();
		assert_int_equal(rota_assign(g, m, v, n, 84 * DAY), 0);
		dt[z] = now_s() - t;
		for (size_t k = 0; k < n; k++) {
			assert_true(v[k].primary >= 0 && v[k].backup >= 0);
			assert_true(rota_eligible(&g[v[k].primary],
			    v[k].start, v[k].end));
			assert_true(rota_eligible(&g[v[k].backup],
			    v[k].start, v[k].end));
			assert_int_not_equal(v[k].primary, v[k].backup);
		}
		printf("%zu GPs by %zu shifts: %.1f ms\n", m, n,
		    dt[z] * 1e3);
		for (size_t i = 0; i < m; i++)
			ivs_fini(&on[i]);
		free(g);
		free(on);
		free(ids);
	}
}

int
main(void)
{
	uint64_t seed;
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_holidays_easter),
		cmocka_unit_test(test_holidays_fixed),
		cmocka_unit_test(test_shifts),
		cmocka_unit_test(test_shifts_period),
		cmocka_unit_test(test_eligible),
		cmocka_unit_test(test_newcomer),
		cmocka_unit_test(test_kept),
		cmocka_unit_test(test_consecutive),
		cmocka_unit_test(test_empty),
		cmocka_unit_test_prestate(test_prop_oracle, &seed),
		cmocka_unit_test_prestate(test_prop_valid, &seed),
		cmocka_unit_test(test_local_search),
		cmocka_unit_test_prestate(test_large, &seed),
	};

	if (test_seed(20261130, &seed) != 0)
		return 1;
	return cmocka_run_group_tests(tests, setup, teardown);
}
