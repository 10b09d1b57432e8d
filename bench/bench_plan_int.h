/* Private to the planner benchmark: what one run measures, per N. */
#pragma once

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "daemon/core/tz.h"

#define BENCH_MAX_REPS	64
#define BENCH_MAX_NS	8

/* The options of the whole run. */
struct bench_cfg {
	size_t		 ns[BENCH_MAX_NS], n_ns;
	size_t		 replan_ns[BENCH_MAX_NS], n_replan;
	size_t		 flow_ns[BENCH_MAX_NS], n_flow;
	int		 reps;
	int		 flow_day;
	uint64_t	 seed;
	const struct tz	*tz;		/* loaded before any fork */
};

/* What one N's child process reports back through a pipe. */
struct bench_res {
	int		 ok;
	size_t		 n_gps, n_sectors;
	long long	 candidates, reserved, gap, target, met;
	long long	 all_reserved;	/* in sectors without target */
	double		 gen_s, rss_gen_mb, peak_mb;
	double		 full_s;	/* plan_days(), 28 days, no prev */
	double		 build_s;	/* the bench building the same inputs */
	double		 day_s;		/* plan_day() alone, 28 days */
	int		 same_days;	/* days both give the same slots */
	uint64_t	 hash;		/* of the full plan's slots */
	bool		 is_stable;	/* the same hash in each run */
	bool		 has_replan;
	double		 same_s;	/* replan, nothing changed, 28 days */
	double		 replan_s;	/* one GP changed, 28 days */
	double		 replan_days_s;	/* one GP changed, its 2 days only */
	long long	 churn_add, churn_del, same_add, same_del;
	long long	 gp_lost, gp_gained;	/* the changed GP's, its days */
	bool		 has_flow;
	long long	 flow_cands;
	double		 flow_greedy_s, flow_glpk_s;
	int		 cov_greedy, cov_glpk, res_greedy, res_glpk;
	double		 obj_greedy, obj_glpk;
};

/*
 * Generate the territory of n GPs and measure everything the options
 * ask for at n, printing each run's times; fill res (res->ok on
 * success). Returns 0, or -1 when the planner failed (said on stderr).
 */
int	bench_plan_one(const struct bench_cfg *c, size_t n,
	    struct bench_res *res);
