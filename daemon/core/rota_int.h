/* Private to the rota's assignment: its working state and shared steps. */
#pragma once

#include <math.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "daemon/core/rota.h"

#define ROTA_P		0		/* roles: primary, backup */
#define ROTA_B		1
#define ROTA_EPS	1e-9		/* relative tolerance on loads */
#define ROTA_ALLOC(p, n)	((p) = calloc((n) + 1, sizeof(*(p))))

/* The objective, compared lexicographically. */
struct rota_score {
	long	consec;		/* GPs in common of adjacent shifts */
	double	spread[2];	/* max - min load, per role */
	double	sumsq[2];	/* sum of squared loads, per role */
};

/*
 * The highest and lowest loads of a role over the GPs that count: enough
 * to know the spread once the loads of the GPs a change touches (at most
 * ROTA_CHANGE - 1 per role) are replaced.
 */
#define ROTA_CHANGE	4		/* holders a move changes, at most */
#define ROTA_EXT	(ROTA_CHANGE + 1)
struct rota_ext {
	int	hi_r[ROTA_EXT], lo_r[ROTA_EXT];	/* ranks, -1: none */
	double	hi[ROTA_EXT], lo[ROTA_EXT];
};

/*
 * The working state. GPs are known by rank (their order by id), shifts
 * by position (their order by time): no choice depends on the order of
 * the caller's arrays.
 */
struct rota_ctx {
	size_t			 n_gps, n;	/* GPs, shifts */
	const struct rota_gp	*gps;
	struct rota_shift	*shifts;
	size_t			*gp_of;		/* rank -> index in gps */
	size_t			*rank_of;	/* index in gps -> rank */
	size_t			*sh_of;		/* position -> in shifts */
	double			*w;		/* position -> weight */
	double			*f;		/* rank -> window / present */
	double			*hist[2];	/* rank -> history, per role */
	double			*got[2];	/* rank -> weight held */
	/* The GPs the spreads are over: eligible for some shift. */
	size_t			*s_rank, n_s;
	bool			*elig;		/* position * n_gps + rank */
	/* The eligible ranks of position s, ascending. */
	size_t			*e_off;		/* e_rank[e_off[s]..] */
	int			*e_rank;	/* ..e_off[s + 1]) */
	/* The positions adjacent to s, before or after. */
	size_t			*a_off;		/* a_pos[a_off[s]..] */
	size_t			*a_pos;		/* ..a_off[s + 1]) */
	int			*hold[2];	/* position -> rank, -1 */
	bool			*fixed[2];	/* position -> kept holder */
	long			 consec;	/* of the current holders */
	struct rota_ext		 ext[2];	/* of the current loads */
};

static inline bool
rota_lt(double a, double b)
{
	return a < b - ROTA_EPS * (1 + fabs(a) + fabs(b));
}

static inline double
rota_load(const struct rota_ctx *c, int role, size_t r)
{
	return (c->hist[role][r] + c->got[role][r]) * c->f[r];
}

/* Whether rank r holds either role of position s. */
static inline bool
rota_holds(const struct rota_ctx *c, size_t s, int r)
{
	return r >= 0 && (c->hold[ROTA_P][s] == r || c->hold[ROTA_B][s] == r);
}

/* Rank r may hold role of position s: eligible, not holding the other. */
static inline bool
rota_may(const struct rota_ctx *c, size_t s, int role, size_t r)
{
	return c->elig[s * c->n_gps + r] && c->hold[!role][s] != (int)r;
}

/* How many adjacent shifts of s rank r holds. */
long	rota_touch(const struct rota_ctx *c, size_t s, int r);
/* Set (or clear, r = -1) the holder of a role, loads and count kept. */
void	rota_set(struct rota_ctx *c, size_t s, int role, int r);
/* The score of the current assignment; c->ext brought up to date. */
void	rota_score_of(struct rota_ctx *c, struct rota_score *sc);
/* Whether a is better than b: strictly, beyond rounding. */
bool	rota_better(const struct rota_score *a, const struct rota_score *b);

/* Step 2 (rota_local.c): improve by local moves until none helps. */
void	rota_local(struct rota_ctx *c);
/* Step 3 (rota_exact.c): whether the exact search is worth running. */
bool	rota_exact_small(const struct rota_ctx *c);
/*
 * Search every assignment of the open roles for one better than the
 * current, within max_nodes; leave the best found in place, *is_exact
 * telling whether the search ran to its end. Returns 0, or -1 when out
 * of memory (the current assignment stays).
 */
int	rota_exact(struct rota_ctx *c, long max_nodes, bool *is_exact);
