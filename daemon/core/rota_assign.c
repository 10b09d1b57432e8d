/*
 * The on-call rota's assignment: a primary and a backup for every shift,
 * fair over time present, consecutive shifts avoided, deterministic.
 *
 * The objective is lexicographic, as rota.h orders the goals: the count of
 * consecutive holdings, the spread of the primary loads, the spread of the
 * backup loads, then the sums of squares of the primary and of the backup
 * loads (which only break ties between equal spreads: among them the one
 * spreading the load the most evenly). Three steps:
 *
 *   1. greedy, in time order (here): each role to the eligible GP holding
 *      the fewest adjacent shifts, then whose load would then be lowest,
 *      then first by id;
 *   2. local search (rota_local.c): move a role to another GP, exchange
 *      the holders of two roles, trade primary and backup in two shifts
 *      at once, short ejection chains; the first change improving the
 *      objective is made, until none does;
 *   3. exact search (rota_exact.c), when the search space is small (a few
 *      GPs over a few shifts): branch and bound from step 2's result,
 *      which makes the result optimal.
 *
 * On the small instances of tests/unit/test_rota.c (up to 4 GPs over 6
 * shifts) steps 1 and 2 alone reach the least consecutive count and
 * primary spread on 99.4% of the instances, step 3 on all. All choices go
 * through GP ranks (their order by id) and shift positions (their order
 * by time), never through array indices: a permutation of the input
 * gives the same rota. Four weeks of two shifts a day (56 shifts) take
 * 2-5 ms for 200 GPs and 15-25 ms for 2000 GPs, each offering half or
 * all of the shifts (test_large, -O2, on the 2-core test machine; about
 * 2.5 times as long under ASan). Step 3, when it runs, stops after
 * ROTA_EXACT_NODES nodes: 30-40 ms more at worst.
 */
#include "daemon/core/rota_int.h"

#include <stdlib.h>
#include <string.h>

/*
 * The exact search runs when the product of the choices over the roles
 * to fill is at most 2^ROTA_EXACT_LOG2 (rota_exact.c), and gives up,
 * keeping the best found, after ROTA_EXACT_NODES nodes: 30-40 ms.
 */
#define ROTA_EXACT_NODES	(1L << 18)

long
rota_touch(const struct rota_ctx *c, size_t s, int r)
{
	long n = 0;

	for (size_t k = c->a_off[s]; k < c->a_off[s + 1]; k++)
		n += rota_holds(c, c->a_pos[k], r);
	return n;
}

static void
rota_ext_update(struct rota_ctx *c, int role)
{
	struct rota_ext *e = &c->ext[role];

	for (int k = 0; k < ROTA_EXT; k++)
		e->hi_r[k] = e->lo_r[k] = -1;
	for (size_t i = 0; i < c->n_s; i++) {
		size_t r = c->s_rank[i];
		double l = rota_load(c, role, r);
		int k;

		/* Insertion into the sorted extremes, the first rank first. */
		for (k = ROTA_EXT; k > 0 && (e->hi_r[k - 1] < 0 ||
		    e->hi[k - 1] < l); k--)
			if (k < ROTA_EXT) {
				e->hi[k] = e->hi[k - 1];
				e->hi_r[k] = e->hi_r[k - 1];
			}
		if (k < ROTA_EXT) {
			e->hi[k] = l;
			e->hi_r[k] = (int)r;
		}
		for (k = ROTA_EXT; k > 0 && (e->lo_r[k - 1] < 0 ||
		    e->lo[k - 1] > l); k--)
			if (k < ROTA_EXT) {
				e->lo[k] = e->lo[k - 1];
				e->lo_r[k] = e->lo_r[k - 1];
			}
		if (k < ROTA_EXT) {
			e->lo[k] = l;
			e->lo_r[k] = (int)r;
		}
	}
}

static double
rota_spread_of(const struct rota_ext *e)
{
	return e->hi_r[0] < 0 ? 0 : e->hi[0] - e->lo[0];
}

void
rota_score_of(struct rota_ctx *c, struct rota_score *sc)
{
	sc->consec = c->consec;
	for (int role = 0; role < 2; role++) {
		rota_ext_update(c, role);
		sc->spread[role] = rota_spread_of(&c->ext[role]);
		sc->sumsq[role] = 0;
		for (size_t i = 0; i < c->n_s; i++) {
			double l = rota_load(c, role, c->s_rank[i]);

			sc->sumsq[role] += l * l;
		}
	}
}

bool
rota_better(const struct rota_score *a, const struct rota_score *b)
{
	if (a->consec != b->consec)
		return a->consec < b->consec;
	for (int role = 0; role < 2; role++) {
		if (rota_lt(a->spread[role], b->spread[role]))
			return true;
		if (rota_lt(b->spread[role], a->spread[role]))
			return false;
	}
	for (int role = 0; role < 2; role++) {
		if (rota_lt(a->sumsq[role], b->sumsq[role]))
			return true;
		if (rota_lt(b->sumsq[role], a->sumsq[role]))
			return false;
	}
	return false;
}

void
rota_set(struct rota_ctx *c, size_t s, int role, int r)
{
	int old = c->hold[role][s];

	if (old >= 0) {
		c->consec -= rota_touch(c, s, old);
		c->got[role][old] -= c->w[s];
	}
	c->hold[role][s] = r;
	if (r >= 0) {
		c->consec += rota_touch(c, s, r);
		c->got[role][r] += c->w[s];
	}
}

/* --- Setting up: ranks, positions, eligibility, adjacency, kept. --- */

struct rota_key {
	const char	*id;
	int64_t		 start, end;
	size_t		 i;
};

static int
rota_gp_cmp(const void *pa, const void *pb)
{
	const struct rota_key *a = pa, *b = pb;
	int d = strcmp(a->id, b->id);

	if (d != 0)
		return d;
	return a->i < b->i ? -1 : a->i > b->i;
}

static int
rota_pos_cmp(const void *pa, const void *pb)
{
	const struct rota_key *a = pa, *b = pb;

	if (a->start != b->start)
		return a->start < b->start ? -1 : 1;
	if (a->end != b->end)
		return a->end < b->end ? -1 : 1;
	return a->i < b->i ? -1 : a->i > b->i;
}

static void
rota_ctx_fini(struct rota_ctx *c)
{
	free(c->gp_of);
	free(c->rank_of);
	free(c->sh_of);
	free(c->w);
	free(c->f);
	for (int role = 0; role < 2; role++) {
		free(c->hist[role]);
		free(c->got[role]);
		free(c->hold[role]);
		free(c->fixed[role]);
	}
	free(c->s_rank);
	free(c->elig);
	free(c->e_off);
	free(c->e_rank);
	free(c->a_off);
	free(c->a_pos);
}

/* The first position at or after lo whose shift starts at t or later. */
static size_t
rota_first_start(const struct rota_ctx *c, int64_t t)
{
	size_t lo = 0, hi = c->n;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;

		if (c->shifts[c->sh_of[mid]].start < t)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo;
}

/* Shifts s -> t with end(s) == start(t), both of positive length. */
static int
rota_adjacency(struct rota_ctx *c)
{
	size_t n = c->n, n_pairs = 0, k;
	size_t *from = NULL, *to = NULL, *fill = NULL;
	int rc = -1;

	for (int pass = 0; pass < 2; pass++) {
		k = 0;
		for (size_t s = 0; s < n; s++) {
			const struct rota_shift *a = &c->shifts[c->sh_of[s]];

			if (a->end <= a->start)
				continue;
			for (size_t t = rota_first_start(c, a->end); t < n &&
			    c->shifts[c->sh_of[t]].start == a->end; t++) {
				const struct rota_shift *b =
				    &c->shifts[c->sh_of[t]];

				if (b->end <= b->start)
					continue;
				if (pass == 1) {
					from[k] = s;
					to[k] = t;
				}
				k++;
			}
		}
		if (pass == 0) {
			n_pairs = k;
			if (ROTA_ALLOC(from, n_pairs) == NULL ||
			    ROTA_ALLOC(to, n_pairs) == NULL)
				goto out;
		}
	}
	if (ROTA_ALLOC(c->a_off, n + 1) == NULL ||
	    ROTA_ALLOC(c->a_pos, 2 * n_pairs) == NULL ||
	    ROTA_ALLOC(fill, n) == NULL)
		goto out;
	for (k = 0; k < n_pairs; k++) {
		c->a_off[from[k] + 1]++;
		c->a_off[to[k] + 1]++;
	}
	for (size_t s = 0; s < n; s++)
		c->a_off[s + 1] += c->a_off[s];
	for (k = 0; k < n_pairs; k++) {
		c->a_pos[c->a_off[from[k]] + fill[from[k]]++] = to[k];
		c->a_pos[c->a_off[to[k]] + fill[to[k]]++] = from[k];
	}
	rc = 0;
out:
	free(from);
	free(to);
	free(fill);
	return rc;
}


static void
rota_keep(struct rota_ctx *c)
{
	for (size_t s = 0; s < c->n; s++) {
		const struct rota_shift *sh = &c->shifts[c->sh_of[s]];

		if (!sh->keep)
			continue;
		for (int role = 0; role < 2; role++) {
			int i = role == ROTA_P ? sh->primary : sh->backup;
			size_t r;

			if (i < 0 || (size_t)i >= c->n_gps)
				continue;
			r = c->rank_of[i];
			if (!rota_may(c, s, role, r))
				continue;	/* ineligible: replaced */
			rota_set(c, s, role, (int)r);
			c->fixed[role][s] = true;
		}
	}
}

static int
rota_ctx_init(struct rota_ctx *c, const struct rota_gp *gps, size_t n_gps,
    struct rota_shift *shifts, size_t n, int64_t window_s)
{
	struct rota_key *key = NULL;
	size_t m = n > n_gps ? n : n_gps, ne = 0;
	bool *in_s = NULL;
	int rc = -1;

	memset(c, 0, sizeof(*c));
	if (n_gps > 0 && n > SIZE_MAX / 2 / (n_gps + 1))
		return -1;		/* the matrices would not fit */
	c->gps = gps;
	c->n_gps = n_gps;
	c->shifts = shifts;
	c->n = n;
	if (ROTA_ALLOC(key, m) == NULL || ROTA_ALLOC(c->gp_of, n_gps) == NULL ||
	    ROTA_ALLOC(c->rank_of, n_gps) == NULL ||
	    ROTA_ALLOC(c->sh_of, n) == NULL || ROTA_ALLOC(c->w, n) == NULL ||
	    ROTA_ALLOC(c->f, n_gps) == NULL ||
	    ROTA_ALLOC(c->s_rank, n_gps) == NULL ||
	    ROTA_ALLOC(in_s, n_gps) == NULL ||
	    ROTA_ALLOC(c->elig, n * n_gps) == NULL ||
	    ROTA_ALLOC(c->e_off, n + 1) == NULL)
		goto out;
	for (int role = 0; role < 2; role++)
		if (ROTA_ALLOC(c->hist[role], n_gps) == NULL ||
		    ROTA_ALLOC(c->got[role], n_gps) == NULL ||
		    ROTA_ALLOC(c->hold[role], n) == NULL ||
		    ROTA_ALLOC(c->fixed[role], n) == NULL)
			goto out;

	for (size_t i = 0; i < n_gps; i++)
		key[i] = (struct rota_key){ .id = gps[i].id ? gps[i].id : "",
		    .i = i };
	qsort(key, n_gps, sizeof(*key), rota_gp_cmp);
	for (size_t r = 0; r < n_gps; r++) {
		const struct rota_gp *g = &gps[key[r].i];

		c->gp_of[r] = key[r].i;
		c->rank_of[key[r].i] = r;
		c->f[r] = g->present_s > 0 && window_s > 0 ?
		    (double)window_s / (double)g->present_s : 1;
		c->hist[ROTA_P][r] = g->history_primary;
		c->hist[ROTA_B][r] = g->history_backup;
	}
	for (size_t i = 0; i < n; i++)
		key[i] = (struct rota_key){ .start = shifts[i].start,
		    .end = shifts[i].end, .i = i };
	qsort(key, n, sizeof(*key), rota_pos_cmp);
	for (size_t s = 0; s < n; s++) {
		const struct rota_shift *sh = &shifts[key[s].i];

		c->sh_of[s] = key[s].i;
		c->w[s] = sh->weight;
		for (size_t r = 0; r < n_gps; r++)
			if (rota_eligible(&gps[c->gp_of[r]], sh->start,
			    sh->end)) {
				c->elig[s * n_gps + r] = true;
				in_s[r] = true;
				ne++;
			}
	}
	if (ROTA_ALLOC(c->e_rank, ne) == NULL)
		goto out;
	ne = 0;
	for (size_t s = 0; s < n; s++) {
		c->e_off[s] = ne;
		for (size_t r = 0; r < n_gps; r++)
			if (c->elig[s * n_gps + r])
				c->e_rank[ne++] = (int)r;
	}
	c->e_off[n] = ne;
	for (size_t r = 0; r < n_gps; r++)
		if (in_s[r])
			c->s_rank[c->n_s++] = r;
	for (size_t s = 0; s < n; s++)
		c->hold[ROTA_P][s] = c->hold[ROTA_B][s] = -1;
	if (rota_adjacency(c) != 0)
		goto out;
	rota_keep(c);
	rc = 0;
out:
	free(key);
	free(in_s);
	return rc;
}

/* --- Step 1: greedy in time order. --- */

static void
rota_greedy(struct rota_ctx *c)
{
	for (size_t s = 0; s < c->n; s++) {
		for (int role = 0; role < 2; role++) {
			long best_t = 0;
			double best_l = 0;
			int best = -1;

			if (c->fixed[role][s])
				continue;
			for (size_t k = c->e_off[s]; k < c->e_off[s + 1]; k++) {
				int r = c->e_rank[k];
				long t;
				double l;

				if (!rota_may(c, s, role, (size_t)r))
					continue;
				t = rota_touch(c, s, r);
				l = (c->hist[role][r] + c->got[role][r] +
				    c->w[s]) * c->f[r];
				if (best < 0 || t < best_t || (t == best_t &&
				    rota_lt(l, best_l))) {
					best = r;
					best_t = t;
					best_l = l;
				}
			}
			rota_set(c, s, role, best);
		}
	}
}

int
rota_assign_bounded(const struct rota_gp *gps, size_t n_gps,
    struct rota_shift *shifts, size_t n_shifts, int64_t window_s,
    long max_nodes, bool *is_exact)
{
	struct rota_ctx c;
	bool exact = false;
	int rc = -1;

	if (rota_ctx_init(&c, gps, n_gps, shifts, n_shifts, window_s) != 0)
		goto out;
	rota_greedy(&c);
	rota_local(&c);
	if (max_nodes < 0)
		max_nodes = ROTA_EXACT_NODES;
	if (max_nodes > 0 && rota_exact_small(&c)) {
		if (rota_exact(&c, max_nodes, &exact) != 0)
			goto out;
		if (!exact)
			rota_local(&c);
	}
	for (size_t s = 0; s < c.n; s++) {
		struct rota_shift *sh = &shifts[c.sh_of[s]];
		int p = c.hold[ROTA_P][s], b = c.hold[ROTA_B][s];

		sh->primary = p >= 0 ? (int)c.gp_of[p] : -1;
		sh->backup = b >= 0 ? (int)c.gp_of[b] : -1;
	}
	rc = 0;
out:
	if (is_exact != NULL)
		*is_exact = exact;
	rota_ctx_fini(&c);
	return rc;
}

int
rota_assign(const struct rota_gp *gps, size_t n_gps,
    struct rota_shift *shifts, size_t n_shifts, int64_t window_s)
{
	return rota_assign_bounded(gps, n_gps, shifts, n_shifts, window_s,
	    -1, NULL);
}

