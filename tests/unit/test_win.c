/* SNP windows: local 14:00-20:00 every chosen day, DST days included. */
#include <setjmp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include <cmocka.h>

#include "daemon/core/win.h"

static const struct tz *paris;

static int64_t
at(int y, int mo, int d, int h, int mi)
{
	return tz_from_local(paris, y, mo, d, h, mi, 0);
}

static struct win_opts
opts(void)
{
	struct win_opts o = { .tz = paris, .start_min = 840, .end_min = 1200 };

	for (int i = 0; i < 7; i++)
		o.days[i] = true;
	return o;
}

static void
check_window(const char *name, const struct ivs *got, size_t i,
    int64_t start, int64_t end)
{
	if (i >= got->n)
		fail_msg("%s: window %zu missing (%zu windows)", name, i,
		    got->n);
	if (got->v[i].start != start || got->v[i].end != end)
		fail_msg("%s: window %zu is [%lld, %lld), want [%lld, %lld)",
		    name, i, (long long)got->v[i].start,
		    (long long)got->v[i].end, (long long)start,
		    (long long)end);
}

/* On both DST days the window is 14:00-20:00 local, 6 hours long. */
static void
test_win_dst_days(void **state)
{
	struct win_opts o = opts();
	struct ivs w = { 0 };

	(void)state;
	assert_int_equal(win_build(&o, at(2026, 3, 28, 0, 0),
	    at(2026, 3, 31, 0, 0), &w), 0);
	assert_int_equal(w.n, 3);
	check_window("spring eve", &w, 0, at(2026, 3, 28, 14, 0),
	    at(2026, 3, 28, 20, 0));
	/* 29 March: 12:00-18:00 UTC, summer time. */
	check_window("spring day", &w, 1, 1774785600, 1774807200);
	assert_int_equal(ivs_total(&w), 3 * 6 * 3600);
	assert_int_equal(win_build(&o, at(2026, 10, 25, 0, 0),
	    at(2026, 10, 26, 0, 0), &w), 0);
	/* 25 October: 13:00-19:00 UTC, winter time again. */
	check_window("fall day", &w, 0, 1792933200, 1792954800);
	ivs_fini(&w);
}

/* A holiday has a window only when "hol" is among the days too. */
static void
test_win_holidays(void **state)
{
	static const struct win_date hol[] = { { 2026, 12, 25 },
	    { 2027, 1, 1 } };
	struct win_opts o = opts();
	struct ivs w = { 0 };

	(void)state;
	o.holidays = hol;
	o.n_holidays = 2;
	assert_true(win_is_holiday(&o, 2026, 12, 25));
	assert_false(win_is_holiday(&o, 2026, 12, 26));
	assert_int_equal(win_build(&o, at(2026, 12, 24, 0, 0),
	    at(2026, 12, 27, 0, 0), &w), 0);
	assert_int_equal(w.n, 2);	/* the 24th and the 26th */
	check_window("eve", &w, 0, at(2026, 12, 24, 14, 0),
	    at(2026, 12, 24, 20, 0));
	check_window("after", &w, 1, at(2026, 12, 26, 14, 0),
	    at(2026, 12, 26, 20, 0));
	o.days[WIN_HOL] = true;
	assert_int_equal(win_build(&o, at(2026, 12, 24, 0, 0),
	    at(2026, 12, 27, 0, 0), &w), 0);
	assert_int_equal(w.n, 3);
	/* "hol" alone does not open a holiday whose weekday is closed. */
	o.days[5] = false;	/* 25 December 2026 is a Friday */
	assert_int_equal(win_build(&o, at(2026, 12, 24, 0, 0),
	    at(2026, 12, 27, 0, 0), &w), 0);
	assert_int_equal(w.n, 2);
	ivs_fini(&w);
}

/* Only the chosen weekdays; windows are clipped to [from, to). */
static void
test_win_days_and_clip(void **state)
{
	struct win_opts o = opts();
	struct ivs w = { 0 };

	(void)state;
	for (int i = 0; i < 7; i++)
		o.days[i] = i >= 1 && i <= 5;	/* Monday to Friday */
	/* 2026-11-28 is a Saturday: the week holds 5 windows. */
	assert_int_equal(win_build(&o, at(2026, 11, 28, 0, 0),
	    at(2026, 12, 5, 0, 0), &w), 0);
	assert_int_equal(w.n, 5);
	check_window("monday", &w, 0, at(2026, 11, 30, 14, 0),
	    at(2026, 11, 30, 20, 0));
	assert_int_equal(win_build(&o, at(2026, 11, 30, 15, 30),
	    at(2026, 12, 1, 16, 0), &w), 0);
	assert_int_equal(w.n, 2);
	check_window("clipped start", &w, 0, at(2026, 11, 30, 15, 30),
	    at(2026, 11, 30, 20, 0));
	check_window("clipped end", &w, 1, at(2026, 12, 1, 14, 0),
	    at(2026, 12, 1, 16, 0));
	assert_int_equal(win_build(&o, 100, 100, &w), 0);
	assert_int_equal(w.n, 0);
	ivs_fini(&w);
}

/* A window may end at midnight (24:00), touching the next day's. */
static void
test_win_until_midnight(void **state)
{
	struct win_opts o = opts();
	struct ivs w = { 0 };

	(void)state;
	o.start_min = 0;
	o.end_min = 1440;
	assert_int_equal(win_build(&o, at(2026, 3, 28, 0, 0),
	    at(2026, 3, 30, 0, 0), &w), 0);
	/* Two touching days merge: 47 hours, the spring day is 23 h. */
	assert_int_equal(w.n, 1);
	assert_int_equal(ivs_total(&w), 47 * 3600);
	ivs_fini(&w);
}

static int
setup(void **state)
{
	(void)state;
	tz_init();
	paris = tz_get("Europe/Paris");
	return paris == NULL;
}

static int
teardown(void **state)
{
	(void)state;
	tz_shutdown();
	return 0;
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_win_dst_days),
		cmocka_unit_test(test_win_holidays),
		cmocka_unit_test(test_win_days_and_clip),
		cmocka_unit_test(test_win_until_midnight),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
