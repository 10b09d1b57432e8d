/* Synthetic planner inputs: sectors, targets, GPs' rules and free time. */
#include "bench/gen_plan.h"

#include <stdlib.h>
#include <string.h>

#define GEN_WIN_START	840	/* 14:00, CONFIG.md's default window */
#define GEN_WIN_END	1200	/* 20:00 */
#define GEN_NO_TARGET_EVERY 8	/* one sector in 8 reserves everything */

/* splitmix64: small, seedable, the same on every machine. */
static uint64_t
gen_next(uint64_t *s)
{
	uint64_t z = (*s += 0x9e3779b97f4a7c15ull);

	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
	return z ^ (z >> 31);
}

/* Uniform in [lo, hi]. */
static int
gen_int(uint64_t *rng, int lo, int hi)
{
	return lo + (int)(gen_next(rng) % (uint64_t)(hi - lo + 1));
}

static bool
gen_chance(uint64_t *rng, int percent)
{
	return gen_int(rng, 0, 99) < percent;
}

/* A stream of its own for each use of the seed, so that they stay apart. */
static uint64_t
gen_stream(uint64_t seed, uint64_t what, uint64_t i)
{
	uint64_t s = seed ^ (0xd1b54a32d192ed03ull * (what + 1)) ^
	    (0x8cb92ba72f3d8dd7ull * (i + 1));

	(void)gen_next(&s);
	return s;
}

/* Instant of local minute min of horizon day d (0 = the first Monday). */
static int64_t
gen_at(const struct gen_plan *g, int d, int min)
{
	return tz_from_local(g->win.tz, GEN_PLAN_YEAR, GEN_PLAN_MONTH,
	    GEN_PLAN_DAY + d, min / 60, min % 60, 0);
}

/* Sector sizes of 11-16 GPs; a small remainder joins the last one. */
static int
gen_sectors(struct gen_plan *g, uint64_t seed)
{
	uint64_t rng = gen_stream(seed, 1, g->n_gps);
	uint32_t *of = calloc(g->n_gps + 1, sizeof(*of));
	size_t s = 0, p = 0;

	if (of == NULL)
		return -1;
	while (p < g->n_gps) {
		size_t size = (size_t)gen_int(&rng, 11, 16);

		if (g->n_gps - p < size + 6)	/* no sector under 6 GPs */
			size = g->n_gps - p;
		for (size_t k = 0; k < size; k++)
			of[p++] = (uint32_t)s;
		s++;
	}
	g->n_sectors = s;
	for (p = 0; p < g->n_gps; p++)
		g->gps[p].sector = of[p];
	free(of);
	return 0;
}

/*
 * Who covers whom: each sector itself and 1-3 of the sectors at most two
 * away in a ring (neighbours on a map), chosen by the seed.
 */
static void
gen_covers(struct gen_plan *g, uint64_t *rng)
{
	size_t n = g->n_sectors;

	for (size_t s = 0; s < n; s++) {
		size_t near[4] = { (s + 1) % n, (s + n - 1) % n, (s + 2) % n,
		    (s + n - 2) % n };
		int k = gen_int(rng, 1, 3);

		g->covers[s * n + s] = true;
		for (int i = 3; i > 0; i--) {	/* shuffle, take the first k */
			int j = gen_int(rng, 0, i);
			size_t t = near[i];

			near[i] = near[j];
			near[j] = t;
		}
		for (int i = 0; i < k; i++)
			g->covers[s * n + near[i]] = true;
	}
}

/*
 * Slots wanted per hour: 1-4 on weekdays, busier late in the afternoon,
 * 0-2 on Saturdays until 18:00, nothing on Sundays and holidays (no
 * window then anyway); one sector in 8 has no target.
 */
static void
gen_targets(struct gen_plan *g, uint64_t *rng)
{
	for (size_t s = 0; s < g->n_sectors; s++) {
		bool has_target = s % GEN_NO_TARGET_EVERY !=
		    GEN_NO_TARGET_EVERY / 2;
		int base = gen_int(rng, 1, 3);

		g->n_no_target += !has_target;
		for (int kind = 0; kind < PLAN_DAY_KINDS; kind++)
			for (int h = 0; h < PLAN_HOURS; h++) {
				int t = 0;

				if (!has_target)
					t = PLAN_NO_TARGET;
				else if (h < GEN_WIN_START / 60 ||
				    h >= GEN_WIN_END / 60 || kind == 0 ||
				    kind == WIN_HOL)
					t = 0;
				else if (kind == 6)
					t = h < 18 ? gen_int(rng, 0, 2) : 0;
				else {
					t = base + (h >= 17) +
					    gen_int(rng, -1, 1);
					t = t < 1 ? 1 : t > 4 ? 4 : t;
				}
				g->target[(s * PLAN_DAY_KINDS + (size_t)kind) *
				    PLAN_HOURS + (size_t)h] = (int16_t)t;
			}
	}
}

/* One afternoon's block: 1-6 hours in the window, sometimes a hole. */
static int
gen_block(struct gen_plan *g, struct ivs *avail, uint64_t *rng, int d,
    int start, int len)
{
	int hole = 0, hole_at = 0;

	if (len >= 180 && gen_chance(rng, 20)) {
		hole = 30 * gen_int(rng, 1, 2);
		hole_at = start + 60 + 30 * gen_int(rng, 0,
		    (len - 120 - hole) / 30);
	}
	if (hole == 0)
		return ivs_push(avail, gen_at(g, d, start),
		    gen_at(g, d, start + len));
	return ivs_push(avail, gen_at(g, d, start), gen_at(g, d, hole_at)) ||
	    ivs_push(avail, gen_at(g, d, hole_at + hole),
	    gen_at(g, d, start + len));
}

/*
 * GP p's rules, and its free SNP time: 1-3 regular afternoons a week
 * (Saturday now and then), each missed one week in eight, and now and
 * then an extra afternoon.
 */
static int
gen_gp(struct gen_plan *g, size_t p, uint64_t seed)
{
	uint64_t rng = gen_stream(seed, 2, p);
	struct plan_gp_rules *r = &g->gps[p];
	struct ivs *avail = &g->free[p];
	int wdays[3], starts[3], lens[3], n_aft, x;

	r->slot_s = gen_chance(&rng, 80) ? 900 : 1200;
	r->cap_day = gen_chance(&rng, 30) ? gen_int(&rng, 4, 8) : PLAN_NO_CAP;
	r->cap_week = gen_chance(&rng, 25) ? gen_int(&rng, 12, 30) :
	    PLAN_NO_CAP;
	x = gen_int(&rng, 0, 99);
	r->weight = x < 10 ? 0.5 : x < 20 ? 1.5 : 1.0;
	r->free = NULL;
	if (gen_chance(&rng, 4))	/* no SNP time in this horizon */
		return 0;
	x = gen_int(&rng, 0, 99);
	n_aft = x < 40 ? 1 : x < 80 ? 2 : 3;
	for (int i = 0; i < n_aft; i++) {
		bool is_dup;

		do {	/* distinct weekdays, Monday (0) to Saturday (5) */
			wdays[i] = gen_chance(&rng, 8) ? 5 :
			    gen_int(&rng, 0, 4);
			is_dup = false;
			for (int j = 0; j < i; j++)
				is_dup |= wdays[j] == wdays[i];
		} while (is_dup);
		lens[i] = 30 * gen_int(&rng, 2, 12);
		starts[i] = GEN_WIN_START + 30 * gen_int(&rng, 0,
		    (GEN_WIN_END - GEN_WIN_START - lens[i]) / 30);
	}
	for (int w = 0; w < GEN_PLAN_DAYS / 7; w++) {
		for (int i = 0; i < n_aft; i++)
			if (!gen_chance(&rng, 12) && gen_block(g, avail, &rng,
			    w * 7 + wdays[i], starts[i], lens[i]) != 0)
				return -1;
		if (gen_chance(&rng, 10)) {
			int len = 30 * gen_int(&rng, 4, 8);

			if (gen_block(g, avail, &rng, w * 7 + gen_int(&rng, 0,
			    4), GEN_WIN_START + 30 * gen_int(&rng, 0,
			    (GEN_WIN_END - GEN_WIN_START - len) / 30),
			    len) != 0)
				return -1;
		}
	}
	ivs_normalize(avail);
	g->n_blocks += avail->n;
	r->free = avail->n > 0 ? avail : NULL;
	return 0;
}

void
gen_plan_fini(struct gen_plan *g)
{
	if (g->free != NULL)
		for (size_t p = 0; p < g->n_gps; p++)
			ivs_fini(&g->free[p]);
	free(g->free);
	free(g->gps);
	free(g->target);
	free(g->covers);
	memset(g, 0, sizeof(*g));
}

int
gen_plan_make(const struct tz *tz, size_t n_gps, uint64_t seed,
    struct gen_plan *out)
{
	struct gen_plan *g = out;
	uint64_t rng;

	memset(g, 0, sizeof(*g));
	g->n_gps = n_gps;
	g->win.tz = tz;
	g->win.start_min = GEN_WIN_START;
	g->win.end_min = GEN_WIN_END;
	for (int k = 1; k <= 6; k++)	/* not Sundays, not holidays */
		g->win.days[k] = true;
	g->holidays[0] = (struct win_date){ 2026, 12, 25 };
	g->win.holidays = g->holidays;
	g->win.n_holidays = 1;
	for (int d = 0; d < GEN_PLAN_DAYS; d++)
		g->days[d] = gen_at(g, d, 0);
	g->now = g->days[0];
	g->gps = calloc(n_gps + 1, sizeof(*g->gps));
	g->free = calloc(n_gps + 1, sizeof(*g->free));
	if (g->gps == NULL || g->free == NULL || gen_sectors(g, seed) != 0)
		goto fail;
	g->target = calloc(g->n_sectors * PLAN_DAY_KINDS * PLAN_HOURS,
	    sizeof(*g->target));
	g->covers = calloc(g->n_sectors * g->n_sectors, sizeof(*g->covers));
	if (g->target == NULL || g->covers == NULL)
		goto fail;
	rng = gen_stream(seed, 3, n_gps);
	gen_covers(g, &rng);
	gen_targets(g, &rng);
	for (size_t p = 0; p < n_gps; p++)
		if (gen_gp(g, p, seed) != 0)
			goto fail;
	return 0;
fail:
	gen_plan_fini(g);
	return -1;
}

/* Whether GP p has free time on horizon day d. */
static bool
gen_is_free_on(const struct gen_plan *g, size_t p, int d)
{
	const struct ivs *f = g->gps[p].free;
	int64_t from = g->days[d], to = gen_at(g, d + 1, 0);

	if (f == NULL)
		return false;
	for (size_t i = 0; i < f->n; i++)
		if (f->v[i].start < to && from < f->v[i].end)
			return true;
	return false;
}

int
gen_plan_change(struct gen_plan *g, uint64_t seed,
    struct gen_plan_change *out)
{
	uint64_t rng = gen_stream(seed, 4, g->n_gps);
	size_t first = (size_t)(gen_next(&rng) % g->n_gps);

	for (size_t k = 0; k < g->n_gps; k++) {
		size_t p = (first + k) % g->n_gps;
		struct ivs gone = { 0 }, left = { 0 };
		int d_gone = -1, d_new = -1;

		for (int d = 7; d < 12 && d_gone < 0; d++)	/* week 2 */
			if (gen_is_free_on(g, p, d))
				d_gone = d;
		for (int d = 14; d < 19 && d_new < 0; d++)	/* week 3 */
			if (!gen_is_free_on(g, p, d))
				d_new = d;
		if (d_gone < 0 || d_new < 0)
			continue;
		if (ivs_add(&gone, g->days[d_gone], gen_at(g, d_gone + 1, 0)) ||
		    ivs_subtract(&g->free[p], &gone, &left) ||
		    ivs_add(&left, gen_at(g, d_new, 900),
		    gen_at(g, d_new, 1080))) {
			ivs_fini(&gone);
			ivs_fini(&left);
			return -1;
		}
		ivs_fini(&gone);
		ivs_fini(&g->free[p]);
		g->free[p] = left;
		g->gps[p].free = &g->free[p];
		out->gp = (uint32_t)p;
		out->day_gone = (size_t)d_gone;
		out->day_new = (size_t)d_new;
		return 0;
	}
	return -1;
}
