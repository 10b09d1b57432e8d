/*
 * The rota's exact search: branch and bound over every assignment of the
 * open roles, from the local search's result as the incumbent. It runs
 * on small instances only (a few GPs over a few shifts), where it makes
 * the result optimal; the brute force of tests/unit/test_rota.c checks
 * that it does.
 */
#include "daemon/core/rota_int.h"

#include <stdlib.h>
#include <string.h>

#define ROTA_EXACT_LOG2	24		/* see rota_exact_small() */

struct rota_bb {
	struct rota_ctx		*c;
	size_t			*slot, n_slot;	/* free: position * 2 + role */
	double			*rem[2];	/* rank -> weight still open */
	int			*dom;		/* candidates, per depth */
	int			*best[2];	/* the incumbent's holders */
	struct rota_score	 best_sc;
	long			 nodes, max_nodes;
	bool			 is_cut;	/* the node budget ran out */
	bool			 is_nonneg;	/* no load below 0 */
};

/*
 * Whether no completion of the current partial assignment can beat the
 * incumbent. Loads only grow (weights are not negative), so the count so
 * far and the highest load so far are lower bounds; the lowest load can
 * at most reach its current value plus every open slot it may hold; the
 * sum of squares only grows when no load is negative.
 */
static bool
rota_bb_hopeless(const struct rota_bb *bb)
{
	const struct rota_ctx *c = bb->c;
	const struct rota_score *b = &bb->best_sc;
	double sq[2] = { 0, 0 };

	if (c->consec != b->consec)
		return c->consec > b->consec;
	for (int role = 0; role < 2; role++) {
		double mx = -HUGE_VAL, mn = HUGE_VAL, lb;

		for (size_t i = 0; i < c->n_s; i++) {
			size_t r = c->s_rank[i];
			double l = rota_load(c, role, r);

			mx = fmax(mx, l);
			mn = fmin(mn, l + bb->rem[role][r] * c->f[r]);
			sq[role] += l * l;
		}
		lb = c->n_s > 0 && mx > mn ? mx - mn : 0;
		if (rota_lt(b->spread[role], lb))
			return true;
		if (rota_lt(lb, b->spread[role]))
			return false;
	}
	if (!bb->is_nonneg)
		return false;
	for (int role = 0; role < 2; role++) {
		if (rota_lt(b->sumsq[role], sq[role]))
			return true;
		if (rota_lt(sq[role], b->sumsq[role]))
			return false;
	}
	return true;		/* at best a tie: the incumbent stays */
}

static void
rota_bb_open(struct rota_bb *bb, size_t s, int role, double sign)
{
	struct rota_ctx *c = bb->c;

	for (size_t k = c->e_off[s]; k < c->e_off[s + 1]; k++)
		bb->rem[role][c->e_rank[k]] += sign * c->w[s];
}

/*
 * Depth first over the open slots in time order, each slot's candidates
 * as the greedy ranks them (not adjacent, then lightest, then by id), so
 * that good assignments come early and prune the rest.
 */
static void
rota_bb_go(struct rota_bb *bb, size_t d)
{
	struct rota_ctx *c = bb->c;
	struct rota_score sc;
	size_t s, nd = 0;
	int role, *dom;

	if (d == bb->n_slot) {
		rota_score_of(c, &sc);
		if (rota_better(&sc, &bb->best_sc)) {
			bb->best_sc = sc;
			for (size_t t = 0; t < c->n; t++) {
				bb->best[ROTA_P][t] = c->hold[ROTA_P][t];
				bb->best[ROTA_B][t] = c->hold[ROTA_B][t];
			}
		}
		return;
	}
	s = bb->slot[d] / 2;
	role = (int)(bb->slot[d] % 2);
	dom = bb->dom + d * (c->n_gps + 1);
	rota_bb_open(bb, s, role, -1);
	for (size_t k = c->e_off[s]; k < c->e_off[s + 1]; k++) {
		int r = c->e_rank[k];
		long t;
		double l;
		size_t j;

		if (!rota_may(c, s, role, (size_t)r))
			continue;
		t = rota_touch(c, s, r);
		l = rota_load(c, role, (size_t)r) + c->w[s] * c->f[r];
		for (j = nd; j > 0; j--) {
			int q = dom[j - 1];
			long tq = rota_touch(c, s, q);
			double lq = rota_load(c, role, (size_t)q) +
			    c->w[s] * c->f[q];

			if (tq < t || (tq == t && !rota_lt(l, lq)))
				break;
			dom[j] = q;
		}
		dom[j] = r;
		nd++;
	}
	if (nd == 0 && !rota_bb_hopeless(bb))
		rota_bb_go(bb, d + 1);	/* nobody may: a gap */
	for (size_t j = 0; j < nd && !bb->is_cut; j++) {
		if (++bb->nodes > bb->max_nodes) {
			bb->is_cut = true;
			break;
		}
		rota_set(c, s, role, dom[j]);
		if (!rota_bb_hopeless(bb))
			rota_bb_go(bb, d + 1);
		rota_set(c, s, role, -1);
	}
	rota_bb_open(bb, s, role, 1);
}

/*
 * Whether the open roles leave few enough assignments (the product of
 * their choices, at most 2^ROTA_EXACT_LOG2) to search them all: 4 GPs
 * over 6 shifts, the tests' largest brute force, make at most 12^6.
 */
bool
rota_exact_small(const struct rota_ctx *c)
{
	double log2_size = 0;

	for (size_t s = 0; s < c->n; s++) {
		if (c->w[s] < 0)
			return false;	/* the bounds need growing loads */
		for (int role = 0; role < 2; role++) {
			size_t n = 0;

			if (c->fixed[role][s])
				continue;
			for (size_t k = c->e_off[s]; k < c->e_off[s + 1]; k++)
				n += !c->fixed[!role][s] ||
				    c->hold[!role][s] != c->e_rank[k];
			if (role == ROTA_B && !c->fixed[ROTA_P][s] && n > 1)
				n--;
			log2_size += n > 1 ? log2((double)n) : 0;
		}
	}
	return log2_size <= ROTA_EXACT_LOG2;
}

int
rota_exact(struct rota_ctx *c, long max_nodes, bool *is_exact)
{
	struct rota_bb bb;
	int rc = -1;

	memset(&bb, 0, sizeof(bb));
	bb.c = c;
	bb.max_nodes = max_nodes;
	if (ROTA_ALLOC(bb.slot, 2 * c->n) == NULL ||
	    ROTA_ALLOC(bb.dom, 2 * c->n * (c->n_gps + 1)) == NULL)
		goto out;
	for (int role = 0; role < 2; role++)
		if (ROTA_ALLOC(bb.rem[role], c->n_gps) == NULL ||
		    ROTA_ALLOC(bb.best[role], c->n) == NULL)
			goto out;
	for (size_t s = 0; s < c->n; s++)
		for (int role = 0; role < 2; role++) {
			bb.best[role][s] = c->hold[role][s];
			if (!c->fixed[role][s])
				bb.slot[bb.n_slot++] = s * 2 + (size_t)role;
		}
	rota_score_of(c, &bb.best_sc);
	for (size_t i = 0; i < bb.n_slot; i++)
		rota_set(c, bb.slot[i] / 2, (int)(bb.slot[i] % 2), -1);
	bb.is_nonneg = true;
	for (size_t i = 0; i < c->n_s; i++)
		for (int role = 0; role < 2; role++)
			bb.is_nonneg &= rota_load(c, role, c->s_rank[i]) >= 0;
	for (size_t i = 0; i < bb.n_slot; i++)
		rota_bb_open(&bb, bb.slot[i] / 2, (int)(bb.slot[i] % 2), 1);

	rota_bb_go(&bb, 0);

	for (size_t i = 0; i < bb.n_slot; i++) {
		size_t s = bb.slot[i] / 2;
		int role = (int)(bb.slot[i] % 2);

		rota_set(c, s, role, bb.best[role][s]);
	}
	*is_exact = !bb.is_cut;
	rc = 0;
out:
	free(bb.slot);
	free(bb.dom);
	for (int role = 0; role < 2; role++) {
		free(bb.rem[role]);
		free(bb.best[role]);
	}
	return rc;
}

