/* Synthetic planner inputs for the benchmark: a CPTS of N GPs, seeded. */
#pragma once

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "daemon/core/ivs.h"
#include "daemon/core/plan.h"
#include "daemon/core/tz.h"
#include "daemon/core/win.h"

/* The horizon: 28 local days from Monday 2026-11-30, Europe/Paris. */
#define GEN_PLAN_YEAR		2026
#define GEN_PLAN_MONTH		11
#define GEN_PLAN_DAY		30
#define GEN_PLAN_DAYS		28
#define GEN_PLAN_FAIRNESS	28	/* territory.fairness_days */

/*
 * A territory, its GPs and their free SNP time over the horizon, in the
 * shapes plan_days() takes. Everything is owned by the struct:
 * gen_plan_fini frees it. gps[i].free points into free[i].
 */
struct gen_plan {
	size_t			 n_gps, n_sectors;
	size_t			 n_no_target;	/* sectors without target */
	int16_t			*target;	/* as plan_days_in */
	bool			*covers;	/* n_sectors * n_sectors */
	struct plan_gp_rules	*gps;
	struct ivs		*free;		/* n_gps */
	size_t			 n_blocks;	/* free intervals, all GPs */
	int64_t			 days[GEN_PLAN_DAYS];	/* 00:00 local */
	int64_t			 now;		/* days[0] */
	struct win_date		 holidays[1];
	struct win_opts		 win;
};

/*
 * Make the territory of n_gps GPs on zone tz (Europe/Paris): sectors of
 * 11-16 GPs, each covered by 1-3 neighbours; targets of 1-4 slots an
 * hour on weekdays, 0-2 on Saturdays, none on Sundays and holidays, one
 * sector in 8 without target; each GP free 1-3 afternoons a week. The
 * same seed and n_gps give the same territory. Returns 0, or -1 when out
 * of memory (out is then empty).
 */
int	gen_plan_make(const struct tz *tz, size_t n_gps, uint64_t seed,
	    struct gen_plan *out);
void	gen_plan_fini(struct gen_plan *g);

/* One GP's feed changed: a free afternoon gone, another one new. */
struct gen_plan_change {
	uint32_t	gp;
	size_t		day_gone;	/* index into days: afternoon lost */
	size_t		day_new;	/* index into days: the one gained */
};

/*
 * Change g in place as a GP's refreshed feed would: a GP picked from
 * the seed loses its free time of one weekday in the second week and
 * gains 15:00-18:00 on a free weekday of the third. Returns 0, or -1
 * when no GP fits or out of memory.
 */
int	gen_plan_change(struct gen_plan *g, uint64_t seed,
	    struct gen_plan_change *out);
