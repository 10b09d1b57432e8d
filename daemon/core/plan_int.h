/* Private to the planner: the day's working state, shared by solvers. */
#pragma once

#include <stdbool.h>
#include <stddef.h>

#include "daemon/core/plan.h"

/* Per GP and hour: its slots (a run of in->slots) and what is forced. */
struct plan_gh {
	size_t	first, n;	/* slots [first, first + n) of the hour */
	int	forced;		/* KEPT and FIXED among them */
	int	chosen;		/* slots to reserve: the solver's answer */
};

struct plan_ctx {
	const struct plan_in	*in;
	struct plan_gh		*gh;		/* n_gps * PLAN_HOURS */
	int			*gp_n;		/* slots per GP */
	int			*gp_forced;	/* forced slots per GP */
	int			*want;		/* demand per bucket */
};

static inline struct plan_gh *
plan_gh_of(const struct plan_ctx *c, size_t gp, int hour)
{
	return &c->gh[gp * PLAN_HOURS + (size_t)hour];
}

/* How many slots a GP may take today: caps, but never under forced. */
int	plan_gp_limit(const struct plan_ctx *c, size_t gp);
/*
 * Whether GPs of sector cs may fill bucket (s, h): the sector's covers,
 * and only its own GPs where it has no target.
 */
bool	plan_may_cover(const struct plan_ctx *c, size_t s, int h, size_t cs);

/*
 * The solvers: each sets gh[].chosen (forced included) and
 * out->covered[bucket], and returns a PLAN_E* code.
 */
int	plan_flow_solve(struct plan_ctx *c, struct plan_out *out);
int	plan_greedy_solve(struct plan_ctx *c, struct plan_out *out);
