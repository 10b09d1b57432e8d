/*
 * The rota's local search: moves, swaps, trades and short ejection
 * chains, the first that improves the objective taken, until none does.
 */
#include "daemon/core/rota_int.h"

#define ROTA_PASSES	1000		/* bound on local-search passes */
#define ROTA_CHAIN_MAX	16		/* see rota_pass_chains() */

/*
 * The consecutive holdings involving any of the positions s[0..n), each
 * pair counted once (s may repeat a position).
 */
static long
rota_consec_near(const struct rota_ctx *c, const size_t *s, int n)
{
	long sum = 0;

	for (int i = 0; i < n; i++) {
		bool seen = false;

		for (int j = 0; j < i; j++)
			seen |= s[j] == s[i];
		if (seen)
			continue;
		for (size_t k = c->a_off[s[i]]; k < c->a_off[s[i] + 1]; k++) {
			size_t u = c->a_pos[k];

			for (int j = 0; j < i; j++)
				seen |= s[j] == u;
			if (seen) {	/* counted from u already */
				seen = false;
				continue;
			}
			sum += rota_holds(c, u, c->hold[ROTA_P][s[i]]);
			sum += rota_holds(c, u, c->hold[ROTA_B][s[i]]);
		}
	}
	return sum;
}

static bool
rota_among(const int *r, int n, int x)
{
	for (int i = 0; i < n; i++)
		if (r[i] == x)
			return true;
	return false;
}

/* The spread once ranks r[0..n) (n < ROTA_EXT) have loads l[0..n). */
static double
rota_spread_with(const struct rota_ext *e, const int *r, const double *l,
    int n)
{
	double mx = -HUGE_VAL, mn = HUGE_VAL;
	int k;

	for (k = 0; k < ROTA_EXT && e->hi_r[k] >= 0; k++)
		if (!rota_among(r, n, e->hi_r[k])) {
			mx = e->hi[k];
			break;
		}
	for (k = 0; k < ROTA_EXT && e->lo_r[k] >= 0; k++)
		if (!rota_among(r, n, e->lo_r[k])) {
			mn = e->lo[k];
			break;
		}
	for (k = 0; k < n; k++) {
		mx = fmax(mx, l[k]);
		mn = fmin(mn, l[k]);
	}
	return mx >= mn ? mx - mn : 0;
}

/* A change of holders, evaluated before it is made. */
struct rota_change {
	size_t	s[ROTA_CHANGE];		/* positions */
	int	role[ROTA_CHANGE];
	int	r[ROTA_CHANGE];		/* new holders */
	int	n;
};

/* The loads, before and after a change, of the GPs it touches. */
struct rota_touched {
	int	n[2];			/* per role */
	int	r[2][ROTA_CHANGE];
	double	l0[2][ROTA_CHANGE], l[2][ROTA_CHANGE];
};

static void
rota_touched_add(struct rota_touched *t, const struct rota_ctx *c,
    int role, int r, double dw)
{
	int k = 0;

	if (r < 0)
		return;
	while (k < t->n[role] && t->r[role][k] != r)
		k++;
	if (k == t->n[role]) {
		t->r[role][k] = r;
		t->l0[role][k] = t->l[role][k] = rota_load(c, role,
		    (size_t)r);
		t->n[role]++;
	}
	t->l[role][k] += dw * c->f[r];
}

/*
 * Whether making ch improves the objective from cur: the consecutive
 * count near the change, the spreads from the extremes, the sums of
 * squares from the touched loads alone (the others do not change, and
 * leaving them out keeps rounding out of the comparison).
 */
static bool
rota_improves(struct rota_ctx *c, const struct rota_change *ch,
    const struct rota_score *cur)
{
	struct rota_touched t = { .n = { 0, 0 } };
	double sq0, sq1, spread;
	int old[ROTA_CHANGE];
	long before, after;

	for (int i = 0; i < ch->n; i++) {
		double w = c->w[ch->s[i]];

		old[i] = c->hold[ch->role[i]][ch->s[i]];
		rota_touched_add(&t, c, ch->role[i], old[i], -w);
		rota_touched_add(&t, c, ch->role[i], ch->r[i], w);
	}
	before = rota_consec_near(c, ch->s, ch->n);
	for (int i = 0; i < ch->n; i++)
		c->hold[ch->role[i]][ch->s[i]] = ch->r[i];
	after = rota_consec_near(c, ch->s, ch->n);
	for (int i = ch->n - 1; i >= 0; i--)
		c->hold[ch->role[i]][ch->s[i]] = old[i];
	if (after != before)
		return after < before;

	for (int role = 0; role < 2; role++) {
		spread = rota_spread_with(&c->ext[role], t.r[role],
		    t.l[role], t.n[role]);
		if (rota_lt(spread, cur->spread[role]))
			return true;
		if (rota_lt(cur->spread[role], spread))
			return false;
	}
	for (int role = 0; role < 2; role++) {
		sq0 = sq1 = 0;
		for (int k = 0; k < t.n[role]; k++) {
			sq0 += t.l0[role][k] * t.l0[role][k];
			sq1 += t.l[role][k] * t.l[role][k];
		}
		if (rota_lt(sq1, sq0))
			return true;
		if (rota_lt(sq0, sq1))
			return false;
	}
	return false;
}

static void
rota_apply(struct rota_ctx *c, const struct rota_change *ch,
    struct rota_score *cur)
{
	for (int i = 0; i < ch->n; i++)
		rota_set(c, ch->s[i], ch->role[i], -1);
	for (int i = 0; i < ch->n; i++)
		rota_set(c, ch->s[i], ch->role[i], ch->r[i]);
	rota_score_of(c, cur);
}

static bool
rota_try(struct rota_ctx *c, const struct rota_change *ch,
    struct rota_score *cur)
{
	if (!rota_improves(c, ch, cur))
		return false;
	rota_apply(c, ch, cur);
	return true;
}

/* Move one role of one shift to another GP. */
static bool
rota_pass_moves(struct rota_ctx *c, struct rota_score *cur)
{
	bool moved = false;

	for (size_t s = 0; s < c->n; s++)
		for (int role = 0; role < 2; role++) {
			if (c->fixed[role][s] || c->hold[role][s] < 0)
				continue;
			for (size_t k = c->e_off[s]; k < c->e_off[s + 1]; k++) {
				int r = c->e_rank[k];
				struct rota_change ch = { .s = { s }, .role =
				    { role }, .r = { r }, .n = 1 };

				if (r != c->hold[role][s] &&
				    rota_may(c, s, role, (size_t)r))
					moved |= rota_try(c, &ch, cur);
			}
		}
	return moved;
}

/*
 * Exchange the holders of two roles (of one shift or two, the same role
 * or not): slot i is position i / 2, role i % 2.
 */
static bool
rota_pass_swaps(struct rota_ctx *c, struct rota_score *cur)
{
	bool moved = false;

	for (size_t i = 0; i < 2 * c->n; i++)
		for (size_t j = i + 1; j < 2 * c->n; j++) {
			size_t s = i / 2, t = j / 2;
			int rs = (int)(i % 2), rt = (int)(j % 2);
			int a = c->hold[rs][s], b = c->hold[rt][t];
			struct rota_change ch = { .s = { s, t },
			    .role = { rs, rt }, .r = { b, a }, .n = 2 };

			if (c->fixed[rs][s] || c->fixed[rt][t] || a < 0 ||
			    b < 0 || a == b)
				continue;
			/* In one shift, the two just trade roles. */
			if (s != t && (!rota_may(c, s, rs, (size_t)b) ||
			    !rota_may(c, t, rt, (size_t)a)))
				continue;
			moved |= rota_try(c, &ch, cur);
		}
	return moved;
}

/*
 * Primary and backup trade places in two shifts at once: what moves
 * weight between the same two GPs in both roles, which neither trade
 * does alone.
 */
static bool
rota_pass_trades(struct rota_ctx *c, struct rota_score *cur)
{
	bool moved = false;

	for (size_t s = 0; s < c->n; s++)
		for (size_t t = s + 1; t < c->n; t++) {
			int ps = c->hold[ROTA_P][s], bs = c->hold[ROTA_B][s];
			int pt = c->hold[ROTA_P][t], bt = c->hold[ROTA_B][t];
			struct rota_change ch = { .s = { s, s, t, t },
			    .role = { ROTA_P, ROTA_B, ROTA_P, ROTA_B },
			    .r = { bs, ps, bt, pt }, .n = 4 };

			if (c->fixed[ROTA_P][s] || c->fixed[ROTA_B][s] ||
			    c->fixed[ROTA_P][t] || c->fixed[ROTA_B][t] ||
			    ps < 0 || bs < 0 || pt < 0 || bt < 0)
				continue;
			moved |= rota_try(c, &ch, cur);
		}
	return moved;
}

/* Whether ch leaves every holder eligible and each shift's two apart. */
static bool
rota_valid(struct rota_ctx *c, const struct rota_change *ch)
{
	int old[ROTA_CHANGE];
	bool ok = true;

	for (int i = 0; i < ch->n; i++)
		if (c->fixed[ch->role[i]][ch->s[i]] || (ch->r[i] >= 0 &&
		    !c->elig[ch->s[i] * c->n_gps + (size_t)ch->r[i]]))
			return false;
	for (int i = 0; i < ch->n; i++) {
		old[i] = c->hold[ch->role[i]][ch->s[i]];
		c->hold[ch->role[i]][ch->s[i]] = ch->r[i];
	}
	for (int i = 0; i < ch->n; i++)
		ok &= c->hold[ROTA_P][ch->s[i]] < 0 ||
		    c->hold[ROTA_P][ch->s[i]] != c->hold[ROTA_B][ch->s[i]];
	for (int i = ch->n - 1; i >= 0; i--)
		c->hold[ch->role[i]][ch->s[i]] = old[i];
	return ok;
}

/* x takes (s, role), its holder y takes a role of t (x, y, z distinct). */
static bool
rota_chain_at(struct rota_ctx *c, struct rota_score *cur, size_t s,
    int role, int x, size_t t)
{
	int y = c->hold[role][s];
	bool moved = false;

	if (y < 0 || x == y)
		return false;
	for (int rt = 0; rt < 2; rt++) {
		struct rota_change ch = { .s = { s, t }, .role = { role, rt },
		    .r = { x, y }, .n = 2 };
		int z = c->hold[rt][t];

		if ((t == s && rt == role) || z < 0 || z == x || z == y ||
		    y != c->hold[role][s] || !rota_valid(c, &ch))
			continue;
		moved |= rota_try(c, &ch, cur);
	}
	return moved;
}

/*
 * A short ejection chain: x takes slot (s, role) from y, who takes a
 * slot of the same or an adjacent shift from its holder, who is left
 * out. It is what frees a GP from two consecutive shifts when every
 * other GP is busy nearby, or hands weight on through a third GP. Only
 * over shifts with few eligible GPs (ROTA_CHAIN_MAX): with many, a
 * single move finds a free one.
 */
static bool
rota_pass_chains(struct rota_ctx *c, struct rota_score *cur)
{
	bool moved = false;

	for (size_t s = 0; s < c->n; s++) {
		if (c->e_off[s + 1] - c->e_off[s] > ROTA_CHAIN_MAX)
			continue;
		for (int role = 0; role < 2; role++)
			for (size_t k = c->e_off[s]; k < c->e_off[s + 1]; k++)
				for (size_t j = c->a_off[s];
				    j <= c->a_off[s + 1]; j++) {
					size_t t = j < c->a_off[s + 1] ?
					    c->a_pos[j] : s;

					moved |= rota_chain_at(c, cur, s, role,
					    c->e_rank[k], t);
				}
	}
	return moved;
}

void
rota_local(struct rota_ctx *c)
{
	struct rota_score cur;

	rota_score_of(c, &cur);
	for (int pass = 0; pass < ROTA_PASSES; pass++) {
		bool moved = rota_pass_moves(c, &cur);

		moved |= rota_pass_swaps(c, &cur);
		moved |= rota_pass_trades(c, &cur);
		moved |= rota_pass_chains(c, &cur);
		if (!moved)
			break;
	}
}

