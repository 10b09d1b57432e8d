/*
 * Tests of the planner over days (plan_days): the grid in the window,
 * targets per weekday, hour and holiday, DST days, loads and weekly caps
 * across days, neighbour cover, and stability when a feed changes.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "daemon/core/ivs.h"
#include "daemon/core/plan.h"
#include "daemon/core/tz.h"
#include "daemon/core/win.h"

#define MAXGP	4
#define MAXSEC	2
#define MAXDAYS	12
#define MAXRES	600
#define NONE	PLAN_NO_TARGET
#define NOCAP	PLAN_NO_CAP

static const struct tz *paris;

static int64_t
at(int y, int mo, int d, int h, int mi)
{
	return tz_from_local(paris, y, mo, d, h, mi, 0);
}

/* A territory and its GPs, with room for what plan_days_in points to. */
struct fix {
	struct win_opts		win;
	struct win_date		hols[2];
	int16_t			target[MAXSEC * PLAN_DAY_KINDS * PLAN_HOURS];
	bool			covers[MAXSEC * MAXSEC];
	struct plan_gp_rules	gps[MAXGP];
	struct ivs		free[MAXGP];
	int64_t			days[MAXDAYS];
	struct plan_res		prev[MAXRES], fixed[MAXRES];
	struct plan_days_in	in;
	struct plan_day_sum	out[MAXDAYS];
};

/* n GPs in sector 0, free nowhere; every day a window; no target. */
static void
fix_init(struct fix *f, size_t n_gps, size_t n_sectors)
{
	memset(f, 0, sizeof(*f));
	f->win = (struct win_opts){ .tz = paris, .start_min = 840,
	    .end_min = 1200, .holidays = f->hols };
	for (int k = 0; k < 7; k++)
		f->win.days[k] = true;
	for (size_t i = 0; i < sizeof(f->target) / sizeof(f->target[0]); i++)
		f->target[i] = NONE;
	for (size_t s = 0; s < n_sectors; s++)
		f->covers[s * n_sectors + s] = true;
	for (size_t g = 0; g < n_gps; g++) {
		f->gps[g] = (struct plan_gp_rules){ .slot_s = 900,
		    .cap_day = NOCAP, .cap_week = NOCAP, .weight = 1,
		    .free = &f->free[g] };
		ivs_init(&f->free[g]);
	}
	f->in = (struct plan_days_in){ .win = &f->win,
	    .n_sectors = n_sectors, .target = f->target,
	    .covers = f->covers, .fairness_days = 28, .gps = f->gps,
	    .n_gps = n_gps, .days = f->days, .prev = f->prev,
	    .fixed = f->fixed };
}

static void
fix_fini(struct fix *f)
{
	plan_days_fini(f->out, f->in.n_days);
	for (size_t g = 0; g < f->in.n_gps; g++)
		ivs_fini(&f->free[g]);
}

/* Every kind of day, every hour of the window: n slots for sector s. */
static void
set_target(struct fix *f, size_t s, int kind, int h, int n)
{
	for (int k = 0; k < PLAN_DAY_KINDS; k++)
		for (int hh = 14; hh < 20; hh++)
			if ((kind < 0 || k == kind) && (h < 0 || hh == h))
				f->target[(s * PLAN_DAY_KINDS + (size_t)k) *
				    PLAN_HOURS + (size_t)hh] = (int16_t)n;
}

/* n days from y-mo-d, local midnights; planning starts then. */
static void
set_days(struct fix *f, int y, int mo, int d, size_t n)
{
	assert_true(n <= MAXDAYS);
	for (size_t i = 0; i < n; i++)
		f->days[i] = at(y, mo, d + (int)i, 0, 0);
	f->in.n_days = n;
	f->in.now = f->days[0];
}

/* gp free from h0 to h1 on each of the fixture's days. */
static void
free_daily(struct fix *f, uint32_t gp, int h0, int h1)
{
	struct tz_local l;

	for (size_t i = 0; i < f->in.n_days; i++) {
		tz_to_local(paris, f->days[i], &l);
		assert_int_equal(ivs_add(&f->free[gp], at(l.year, l.month,
		    l.day, h0, 0), at(l.year, l.month, l.day, h1, 0)), 0);
	}
}

static void
run(struct fix *f)
{
	plan_days_fini(f->out, MAXDAYS);
	assert_int_equal(plan_days(&f->in, f->out), PLAN_OK);
}

/* What the run reserved, every day, as the next run's prev. */
static void
carry(struct fix *f)
{
	size_t n = 0;

	for (uint32_t g = 0; g < f->in.n_gps; g++)
		for (size_t i = 0; i < f->in.n_days; i++)
			for (size_t k = 0; k < f->out[i].n_slots; k++)
				if (f->out[i].slots[k].gp == g) {
					assert_true(n < MAXRES);
					f->prev[n++] = f->out[i].slots[k];
				}
	f->in.n_prev = n;
}

static int
gp_count(const struct plan_day_sum *d, uint32_t gp)
{
	int n = 0;

	for (size_t k = 0; k < d->n_slots; k++)
		n += d->slots[k].gp == gp;
	return n;
}

static bool
has_slot(const struct plan_day_sum *d, const struct plan_res *r)
{
	for (size_t k = 0; k < d->n_slots; k++)
		if (d->slots[k].gp == r->gp && d->slots[k].start == r->start &&
		    d->slots[k].end == r->end)
			return true;
	return false;
}

static int
sum_at(const int16_t *v, size_t s, int h)
{
	return v[s * PLAN_HOURS + (size_t)h];
}

/* Default 2 an hour, Saturday 1, 4 at 14:00 on weekdays. */
static void
test_targets_per_weekday_and_hour(void **state)
{
	struct fix f;

	(void)state;
	fix_init(&f, 3, 1);
	set_target(&f, 0, -1, -1, 2);
	set_target(&f, 0, 6, -1, 1);
	for (int k = 1; k <= 5; k++)
		set_target(&f, 0, k, 14, 4);
	set_days(&f, 2026, 11, 30, 6);		/* Monday to Saturday */
	for (uint32_t g = 0; g < 3; g++)
		free_daily(&f, g, 14, 20);
	run(&f);
	for (int h = 14; h < 20; h++) {
		int want = h == 14 ? 4 : 2;

		assert_int_equal(sum_at(f.out[0].target, 0, h), want);
		assert_int_equal(sum_at(f.out[0].reserved, 0, h), want);
		assert_int_equal(sum_at(f.out[0].gap, 0, h), 0);
		assert_int_equal(sum_at(f.out[5].target, 0, h), 1);
		assert_int_equal(sum_at(f.out[5].reserved, 0, h), 1);
	}
	assert_int_equal(f.out[0].n_slots, 14);
	assert_int_equal(f.out[5].n_slots, 6);
	/* Outside the window: no target, nothing reserved. */
	assert_int_equal(sum_at(f.out[0].target, 0, 13), NONE);
	assert_int_equal(sum_at(f.out[0].target, 0, 20), NONE);
	fix_fini(&f);
}

/* One GP short: the gap is the target minus what is covered. */
static void
test_gap(void **state)
{
	struct fix f;

	(void)state;
	fix_init(&f, 1, 1);
	set_target(&f, 0, -1, -1, 6);
	set_days(&f, 2026, 11, 30, 1);
	free_daily(&f, 0, 14, 16);
	run(&f);
	assert_int_equal(sum_at(f.out[0].covered, 0, 14), 4);
	assert_int_equal(sum_at(f.out[0].gap, 0, 14), 2);
	assert_int_equal(sum_at(f.out[0].gap, 0, 16), 6);
	assert_int_equal(f.out[0].n_gap, 2 + 2 + 4 * 6);
	fix_fini(&f);
}

/* No window on Sunday, nor on a holiday unless "hol" says so. */
static void
test_days_off_and_holidays(void **state)
{
	struct fix f;

	(void)state;
	fix_init(&f, 1, 1);
	f.win.days[0] = false;			/* no Sunday */
	f.hols[0] = (struct win_date){ 2026, 12, 25 };
	f.win.n_holidays = 1;
	set_target(&f, 0, -1, -1, 1);
	set_target(&f, 0, WIN_HOL, -1, 3);
	set_days(&f, 2026, 12, 25, 3);		/* Fri (holiday), Sat, Sun */
	free_daily(&f, 0, 14, 20);
	run(&f);
	assert_int_equal(f.out[0].n_slots, 0);
	assert_true(f.out[0].win_start == f.out[0].win_end);
	assert_int_equal(f.out[0].n_gap, 0);
	assert_int_equal(sum_at(f.out[0].target, 0, 14), NONE);
	assert_int_equal(f.out[1].n_slots, 6);
	assert_int_equal(f.out[2].n_slots, 0);
	assert_int_equal(f.out[2].n_gap, 0);

	f.win.days[WIN_HOL] = true;		/* "hol" in the days */
	run(&f);
	assert_int_equal(f.out[0].n_slots, 18);
	assert_int_equal(sum_at(f.out[0].target, 0, 17), 3);
	fix_fini(&f);
}

/* DST days: still 14:00-20:00 local, 24 quarter-hours, hours 14..19. */
static void
test_dst_days(void **state)
{
	static const int dates[][3] = { { 2027, 3, 28 }, { 2026, 10, 25 } };

	(void)state;
	for (size_t c = 0; c < 2; c++) {
		struct fix f;
		const int *dt = dates[c];

		fix_init(&f, 1, 1);
		set_days(&f, dt[0], dt[1], dt[2], 1);
		free_daily(&f, 0, 0, 24);
		run(&f);
		assert_int_equal(f.out[0].win_start,
		    at(dt[0], dt[1], dt[2], 14, 0));
		assert_int_equal(f.out[0].win_end - f.out[0].win_start, 21600);
		assert_int_equal(f.out[0].n_slots, 24);
		assert_int_equal(f.out[0].slots[0].start,
		    at(dt[0], dt[1], dt[2], 14, 0));
		assert_int_equal(f.out[0].slots[23].end,
		    at(dt[0], dt[1], dt[2], 20, 0));
		for (int h = 14; h < 20; h++)
			assert_int_equal(sum_at(f.out[0].reserved, 0, h), 4);
		fix_fini(&f);
	}
}

/* A 20-minute GP gets its own grid from the window's start. */
static void
test_gp_grid(void **state)
{
	struct fix f;

	(void)state;
	fix_init(&f, 1, 1);
	f.gps[0].slot_s = 1200;
	set_days(&f, 2026, 11, 30, 1);
	assert_int_equal(ivs_add(&f.free[0], at(2026, 11, 30, 14, 10),
	    at(2026, 11, 30, 15, 30)), 0);
	run(&f);
	/* 14:20, 14:40, 15:00; 14:00 starts before the free time. */
	assert_int_equal(f.out[0].n_slots, 3);
	assert_int_equal(f.out[0].slots[0].start, at(2026, 11, 30, 14, 20));
	assert_int_equal(f.out[0].slots[2].end, at(2026, 11, 30, 15, 20));
	fix_fini(&f);
}

/* Loads carry across days: 3 equal GPs share 4 days' demand evenly. */
static void
test_fair_over_days(void **state)
{
	struct fix f;
	int total[3] = { 0 };

	(void)state;
	fix_init(&f, 3, 1);
	set_target(&f, 0, -1, -1, 1);
	set_days(&f, 2026, 11, 30, 4);
	for (uint32_t g = 0; g < 3; g++)
		free_daily(&f, g, 14, 20);
	run(&f);
	for (size_t i = 0; i < 4; i++)
		for (uint32_t g = 0; g < 3; g++)
			total[g] += gp_count(&f.out[i], g);
	for (uint32_t g = 0; g < 3; g++)
		assert_int_equal(total[g], 8);

	/* Twice the weight, twice the share: 12, 6, 6. */
	f.gps[0].weight = 2;
	run(&f);
	memset(total, 0, sizeof(total));
	for (size_t i = 0; i < 4; i++)
		for (uint32_t g = 0; g < 3; g++)
			total[g] += gp_count(&f.out[i], g);
	assert_int_equal(total[0], 12);
	assert_int_equal(total[1], 6);
	assert_int_equal(total[2], 6);

	/* Past load from prev (outside the planned days) counts too. */
	f.gps[0].weight = 1;
	f.in.n_prev = 0;
	for (int k = 0; k < 6; k++)
		f.prev[f.in.n_prev++] = (struct plan_res){ .gp = 1,
		    .start = at(2026, 11, 20, 14, 15 * k),
		    .end = at(2026, 11, 20, 14, 15 * k + 15) };
	run(&f);
	memset(total, 0, sizeof(total));
	for (size_t i = 0; i < 4; i++)
		for (uint32_t g = 0; g < 3; g++)
			total[g] += gp_count(&f.out[i], g);
	assert_int_equal(total[0], 10);
	assert_int_equal(total[1], 4);
	assert_int_equal(total[2], 10);
	fix_fini(&f);
}

/* Caps per day and per week (Monday to Sunday), across the week's end. */
static void
test_week_cap(void **state)
{
	struct fix f;
	int week1 = 0, week2 = 0;

	(void)state;
	fix_init(&f, 1, 1);			/* no target: all it can */
	f.gps[0].cap_day = 4;
	f.gps[0].cap_week = 10;
	set_days(&f, 2026, 11, 30, 10);		/* Mon 30 to Wed 9 */
	free_daily(&f, 0, 14, 20);
	run(&f);
	for (size_t i = 0; i < 10; i++) {
		assert_true(f.out[i].n_slots <= 4);
		if (i < 7)
			week1 += (int)f.out[i].n_slots;
		else
			week2 += (int)f.out[i].n_slots;
	}
	assert_int_equal(week1, 10);
	assert_int_equal(week2, 10);		/* 4 + 4 + 2 */
	assert_int_equal(f.out[7].n_slots, 4);

	/* Replanning Tuesday alone sees the other days' slots of its week. */
	carry(&f);
	f.days[0] = f.days[1];
	f.in.n_days = 1;
	run(&f);
	assert_int_equal(f.out[0].n_slots, 4);	/* its own, kept */
	fix_fini(&f);
}

/* Sector 0 has no GP free; sector 1 may cover it when neighbours. */
static void
test_neighbour_cover(void **state)
{
	struct fix f;

	(void)state;
	fix_init(&f, 2, 2);
	f.gps[0].sector = f.gps[1].sector = 1;
	set_target(&f, 0, -1, -1, 2);
	set_target(&f, 1, -1, -1, 0);
	set_days(&f, 2026, 11, 30, 1);
	free_daily(&f, 0, 14, 20);
	free_daily(&f, 1, 14, 20);
	run(&f);
	assert_int_equal(f.out[0].n_slots, 0);
	assert_int_equal(f.out[0].n_gap, 12);

	f.covers[0 * 2 + 1] = true;		/* sector 1 covers sector 0 */
	run(&f);
	assert_int_equal(f.out[0].n_gap, 0);
	for (int h = 14; h < 20; h++) {
		assert_int_equal(sum_at(f.out[0].covered, 0, h), 2);
		assert_int_equal(sum_at(f.out[0].reserved, 0, h), 0);
		assert_int_equal(sum_at(f.out[0].reserved, 1, h), 2);
	}
	fix_fini(&f);
}

/*
 * A feed change: GP 0 loses 15:00-16:00, where one of its slots was
 * booked. The booked slot stays; the others' slots all stay, and they
 * gain slots only in the hour GP 0 left uncovered.
 */
static void
test_stability(void **state)
{
	struct fix f;
	struct plan_day_sum before;
	struct plan_res booked = { 0 };
	bool found = false;

	(void)state;
	fix_init(&f, 3, 1);
	set_target(&f, 0, -1, -1, 3);
	set_days(&f, 2026, 11, 30, 1);
	for (uint32_t g = 0; g < 3; g++)
		free_daily(&f, g, 14, 20);
	run(&f);
	for (size_t k = 0; k < f.out[0].n_slots && !found; k++) {
		const struct plan_res *r = &f.out[0].slots[k];

		if (r->gp == 0 && r->start >= at(2026, 11, 30, 15, 0) &&
		    r->start < at(2026, 11, 30, 16, 0)) {
			booked = *r;
			found = true;
		}
	}
	assert_true(found);
	f.fixed[0] = booked;
	f.in.n_fixed = 1;
	carry(&f);
	before = f.out[0];
	memset(&f.out[0], 0, sizeof(f.out[0]));
	ivs_clear(&f.free[0]);
	assert_int_equal(ivs_add(&f.free[0], at(2026, 11, 30, 14, 0),
	    at(2026, 11, 30, 15, 0)), 0);
	assert_int_equal(ivs_add(&f.free[0], at(2026, 11, 30, 16, 0),
	    at(2026, 11, 30, 20, 0)), 0);
	run(&f);
	assert_true(has_slot(&f.out[0], &booked));
	for (size_t k = 0; k < before.n_slots; k++) {
		const struct plan_res *r = &before.slots[k];
		bool lost_hour = r->start >= at(2026, 11, 30, 15, 0) &&
		    r->start < at(2026, 11, 30, 16, 0);

		if (r->gp != 0 || !lost_hour)
			assert_true(has_slot(&f.out[0], r));
	}
	for (size_t k = 0; k < f.out[0].n_slots; k++) {
		const struct plan_res *r = &f.out[0].slots[k];

		if (!has_slot(&before, r)) {
			assert_true(r->gp != 0);
			assert_true(r->start >= at(2026, 11, 30, 15, 0) &&
			    r->start < at(2026, 11, 30, 16, 0));
		}
	}
	assert_int_equal(f.out[0].n_gap, 0);
	plan_days_fini(&before, 1);
	fix_fini(&f);
}

/*
 * A target lowered: kept slots stay on a plain re-plan; a released day is
 * planned afresh, down to the target, its booked slot still in.
 */
static void
test_release(void **state)
{
	struct fix f;
	bool release[1] = { true };

	(void)state;
	fix_init(&f, 2, 1);
	set_target(&f, 0, -1, -1, 4);
	set_days(&f, 2026, 11, 30, 1);
	free_daily(&f, 0, 14, 20);
	free_daily(&f, 1, 14, 20);
	run(&f);
	assert_int_equal(f.out[0].n_slots, 24);
	carry(&f);
	f.fixed[0] = f.prev[0];
	f.in.n_fixed = 1;
	set_target(&f, 0, -1, -1, 1);
	run(&f);
	assert_int_equal(f.out[0].n_slots, 24);	/* kept: nothing moves */
	f.in.release = release;
	run(&f);
	assert_int_equal(f.out[0].n_slots, 6);
	assert_true(has_slot(&f.out[0], &f.fixed[0]));
	for (int h = 14; h < 20; h++)
		assert_int_equal(sum_at(f.out[0].reserved, 0, h), 1);
	fix_fini(&f);
}

/* Today: nothing new starts before now; what started stays as it was. */
static void
test_now_freezes(void **state)
{
	struct fix f;
	struct plan_res past = { .gp = 0 };

	(void)state;
	fix_init(&f, 1, 1);
	set_days(&f, 2026, 11, 30, 1);
	f.in.now = at(2026, 11, 30, 16, 7);
	free_daily(&f, 0, 15, 20);		/* 14:00 is busy now */
	past.start = at(2026, 11, 30, 14, 0);
	past.end = at(2026, 11, 30, 14, 15);
	f.prev[0] = past;
	f.in.n_prev = 1;
	run(&f);
	assert_true(has_slot(&f.out[0], &past));
	/* 16:15 to 20:00, and the past slot. */
	assert_int_equal(f.out[0].n_slots, 15 + 1);
	for (size_t k = 0; k < f.out[0].n_slots; k++)
		assert_true(f.out[0].slots[k].start == past.start ||
		    f.out[0].slots[k].start >= f.in.now);
	fix_fini(&f);
}

/* Same input, same plan; and bad input is refused whole. */
static void
test_deterministic_and_input(void **state)
{
	struct fix f;
	struct plan_day_sum first[3];

	(void)state;
	fix_init(&f, 4, 1);
	set_target(&f, 0, -1, -1, 3);
	set_days(&f, 2026, 11, 30, 3);
	for (uint32_t g = 0; g < 4; g++)
		free_daily(&f, g, 14 + (int)g, 20);
	run(&f);
	memcpy(first, f.out, sizeof(first));
	memset(f.out, 0, sizeof(f.out));
	run(&f);
	for (size_t i = 0; i < 3; i++) {
		assert_int_equal(first[i].n_slots, f.out[i].n_slots);
		assert_memory_equal(first[i].slots, f.out[i].slots,
		    first[i].n_slots * sizeof(*first[i].slots));
	}
	plan_days_fini(first, 3);

	f.days[1] = f.days[0];			/* not ascending */
	plan_days_fini(f.out, MAXDAYS);
	assert_int_equal(plan_days(&f.in, f.out), PLAN_EINPUT);
	assert_null(f.out[0].slots);
	fix_fini(&f);
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
		cmocka_unit_test(test_targets_per_weekday_and_hour),
		cmocka_unit_test(test_gap),
		cmocka_unit_test(test_days_off_and_holidays),
		cmocka_unit_test(test_dst_days),
		cmocka_unit_test(test_gp_grid),
		cmocka_unit_test(test_fair_over_days),
		cmocka_unit_test(test_week_cap),
		cmocka_unit_test(test_neighbour_cover),
		cmocka_unit_test(test_stability),
		cmocka_unit_test(test_release),
		cmocka_unit_test(test_now_freezes),
		cmocka_unit_test(test_deterministic_and_input),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
