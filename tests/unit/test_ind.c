/* Unit tests of the indicators: a scripted period, computed by hand. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "daemon/core/ind.h"

#define NCASES(a)	(sizeof(a) / sizeof((a)[0]))
#define DAY		86400

/* Nearest rank: the smallest value with q * n values at or below. */
static void
test_quantile(void **state)
{
	double a[] = { 5, 1, 3, 2, 4 }, b[] = { 10, 20, 30, 40 };

	(void)state;
	assert_true(ind_quantile(a, 5, 0.5) == 3);
	assert_true(ind_quantile(a, 5, 0.9) == 5);
	assert_true(ind_quantile(a, 5, 0.2) == 1);
	assert_true(ind_quantile(b, 4, 0.5) == 20);
	assert_true(ind_quantile(b, 4, 0.9) == 40);
	assert_true(ind_quantile(b, 4, 1) == 40);
	assert_true(ind_quantile(NULL, 0, 0.5) == -1);
}

/* ISO weeks, including the ones that belong to the year next door. */
static void
test_iso_week(void **state)
{
	static const struct { int y, m, d, wy, w; } cases[] = {
		{ 2026, 11, 30, 2026, 49 },	/* a Monday */
		{ 2026, 12, 6, 2026, 49 },	/* its Sunday */
		{ 2027, 1, 1, 2026, 53 },	/* 2026 has 53 weeks */
		{ 2027, 1, 4, 2027, 1 },
		{ 2021, 1, 3, 2020, 53 },
		{ 2024, 12, 30, 2025, 1 },
		{ 2020, 12, 31, 2020, 53 },	/* leap, Jan 1 a Wednesday */
		{ 2023, 1, 1, 2022, 52 },
	};
	int wy, w;

	(void)state;
	assert_int_equal(ind_days(1970, 1, 1), 0);
	assert_int_equal(ind_days(2000, 3, 1), 11017);
	for (size_t i = 0; i < NCASES(cases); i++) {
		ind_iso_week(cases[i].y, cases[i].m, cases[i].d, &wy, &w);
		if (wy != cases[i].wy || w != cases[i].w)
			fail_msg("%04d-%02d-%02d: %d-W%02d, want %d-W%02d",
			    cases[i].y, cases[i].m, cases[i].d, wy, w,
			    cases[i].wy, cases[i].w);
	}
}

/*
 * Three GPs: gp 0 and 1 in sector 0, gp 2 in sector 1, and rows of a GP
 * since removed from the config (-1). "Now" is day 20: slots A, B, D, E
 * are over, C is to come.
 */
static const int gp_sector[] = { 0, 0, 1 };
static const struct ind_hour hours[] = {
	{ 0, 2, 2 },	/* met */
	{ 0, 2, 1 },	/* one short */
	{ 0, -1, 3 },	/* no target: not counted */
	{ 0, 0, 0 },	/* target 0: not counted */
	{ 1, 1, 0 },	/* one short */
	{ 1, 1, 1 },	/* met */
};
#define A	(10 * DAY)
#define B	(11 * DAY)
#define C	(25 * DAY)
#define D	(12 * DAY)
#define E	(13 * DAY)
static const struct ind_slot slots[] = {
	{ 0, A, A + 900 }, { 0, B, B + 900 }, { 1, C, C + 1200 },
	{ 2, D, D + 900 }, { -1, E, E + 900 },
};
static const struct ind_booking bookings[] = {
	{ 0, A, A + 900, IND_BK_BOOKED, A - DAY },
	{ 1, C, C + 1200, IND_BK_CONFLICT, C - 3 * DAY },
	{ 2, D, D + 900, IND_BK_CANCELLED, D - DAY },
};
static const struct ind_offer offers[] = {
	{ 0, 7200, 10 * DAY }, { 1, 3600, 10 * DAY }, { 2, 1800, 11 * DAY },
	{ -1, 900, 11 * DAY },
};
static const struct ind_tc tcs[] = {
	{ 0, IND_TC_DONE, 0, 60, 0, 0 },
	{ 0, IND_TC_DONE, 100, 400, 1, 1 },
	{ 1, IND_TC_UNANSWERED, 200, 0, -1, 2 },
	{ 0, IND_TC_CANCELLED, 300, 0, -1, 0 },
	{ 1, IND_TC_OPEN, 1000, 1030, 2, 0 },
};

static struct ind_in
scripted(int sector)
{
	return (struct ind_in){ .n_gps = 3, .gp_sector = gp_sector,
	    .sector = sector, .now = 20 * DAY,
	    .hours = hours, .n_hours = NCASES(hours),
	    .slots = slots, .n_slots = NCASES(slots),
	    .bookings = bookings, .n_bookings = NCASES(bookings),
	    .offers = offers, .n_offers = NCASES(offers),
	    .tcs = tcs, .n_tcs = NCASES(tcs) };
}

static void
test_territory(void **state)
{
	struct ind_in in = scripted(-1);
	struct ind_out o;

	(void)state;
	assert_int_equal(ind_compute(&in, &o), 0);
	assert_int_equal(o.offered_s, 7200 + 3600 + 1800 + 900);
	assert_int_equal(o.reserved, 5);
	assert_int_equal(o.reserved_s, 4 * 900 + 1200);
	assert_int_equal(o.booked, 2);		/* A, and C in conflict */
	assert_int_equal(o.conflicts, 1);
	assert_int_equal(o.cancelled, 1);
	assert_int_equal(o.unused, 3);		/* B, D (cancelled), E */
	assert_true(o.fill_rate == 2.0 / 5);
	assert_int_equal(o.sector_hours, 4);
	assert_int_equal(o.sector_hours_met, 2);
	assert_true(o.coverage == 0.5);
	assert_int_equal(o.missing, 2);
	/* Per GP. */
	assert_int_equal(o.gps[0].offered_s, 7200);
	assert_int_equal(o.gps[0].reserved, 2);
	assert_int_equal(o.gps[0].reserved_s, 1800);
	assert_int_equal(o.gps[0].booked, 1);
	assert_int_equal(o.gps[0].seen, 1);
	assert_int_equal(o.gps[0].tc_accepted, 1);
	assert_int_equal(o.gps[1].reserved_s, 1200);
	assert_int_equal(o.gps[1].booked, 1);
	assert_int_equal(o.gps[1].seen, 0);	/* C is to come */
	assert_int_equal(o.gps[2].booked, 0);
	assert_int_equal(o.gps[2].tc_accepted, 1);
	/* Teleconsultation: ack times 60, 300, 30 s. */
	assert_int_equal(o.tc_requests, 5);
	assert_int_equal(o.tc_open, 1);
	assert_int_equal(o.tc_done, 2);
	assert_int_equal(o.tc_cancelled, 1);
	assert_int_equal(o.tc_unanswered, 1);
	assert_int_equal(o.tc_accepted, 3);
	assert_int_equal(o.tc_escalations, 3);
	assert_int_equal(o.tc_acked, 3);
	assert_true(o.ack_median_s == 60);
	assert_true(o.ack_p90_s == 300);
	ind_out_fini(&o);
}

/* Sector 0 alone: gp 2, sector 1's hours and requests, gp -1 left out. */
static void
test_sector(void **state)
{
	struct ind_in in = scripted(0);
	struct ind_out o;

	(void)state;
	assert_int_equal(ind_compute(&in, &o), 0);
	assert_int_equal(o.offered_s, 7200 + 3600);
	assert_int_equal(o.reserved, 3);
	assert_int_equal(o.booked, 2);
	assert_int_equal(o.cancelled, 0);
	assert_int_equal(o.unused, 1);		/* B */
	assert_true(o.fill_rate == 2.0 / 3);
	assert_int_equal(o.sector_hours, 2);
	assert_int_equal(o.sector_hours_met, 1);
	assert_int_equal(o.missing, 1);
	assert_int_equal(o.tc_requests, 3);
	assert_int_equal(o.tc_escalations, 1);
	assert_int_equal(o.tc_acked, 2);	/* 60 and 300 s */
	assert_true(o.ack_median_s == 60);
	assert_true(o.ack_p90_s == 300);
	ind_out_fini(&o);
}

/* Nothing in the period: no division by zero, no time to ack. */
static void
test_empty(void **state)
{
	struct ind_in in = { .n_gps = 0, .sector = -1, .now = 0 };
	struct ind_out o;

	(void)state;
	assert_int_equal(ind_compute(&in, &o), 0);
	assert_int_equal(o.reserved + o.booked + o.tc_requests, 0);
	assert_true(o.fill_rate == 0);
	assert_true(o.coverage == 1);
	assert_true(o.ack_median_s == -1 && o.ack_p90_s == -1);
	ind_out_fini(&o);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_quantile),
		cmocka_unit_test(test_iso_week),
		cmocka_unit_test(test_territory),
		cmocka_unit_test(test_sector),
		cmocka_unit_test(test_empty),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
