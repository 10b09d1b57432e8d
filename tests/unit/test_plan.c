/* Unit and property tests of the planner, against a brute-force oracle. */
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "tests/unit/seed.h"

#include "daemon/core/ivs.h"
#include "daemon/core/plan.h"

#define NCASES(a)	(sizeof(a) / sizeof((a)[0]))
#define T0		INT64_C(1796043600)	/* 2026-11-30 13:00 UTC */
#define H0		14			/* T0's local hour (Paris) */
#define NONE		PLAN_NO_TARGET
#define NOCAP		PLAN_NO_CAP
#define MAXGP		4
#define MAXSEC		3
#define MAXSLOT		40
#define MAXCAND		14		/* 2^14 subsets for the oracle */
#define NB		(MAXSEC * PLAN_HOURS)	/* buckets (sector, hour) */
#define EPS		1e-9
#define PROP_ITERS	20000

/* Local time h:min of the test day, as UTC seconds. */
static int64_t
at(int h, int min)
{
	return T0 + (int64_t)(h - H0) * 3600 + (int64_t)min * 60;
}

/* One day to plan, with room for the arrays plan_in points into. */
struct inst {
	size_t			 n_gps, n_sectors, n_slots;
	struct plan_gp		 gps[MAXGP];
	int16_t			 target[NB];
	bool			 covers[MAXSEC * MAXSEC];
	struct plan_slot	 slots[MAXSLOT];
};

/* GPs in sector 0, weight 1, no load, no caps; no target; no neighbours. */
static void
inst_init(struct inst *in, size_t n_gps, size_t n_sectors)
{
	memset(in, 0, sizeof(*in));
	in->n_gps = n_gps;
	in->n_sectors = n_sectors;
	for (size_t g = 0; g < n_gps; g++)
		in->gps[g] = (struct plan_gp){ .sector = 0, .cap_day = NOCAP,
		    .cap_week_left = NOCAP, .weight = 1, .load = 0 };
	for (size_t s = 0; s < n_sectors; s++)
		in->covers[s * n_sectors + s] = true;
}

static int16_t *
target(struct inst *in, size_t s, int h)
{
	return &in->target[s * PLAN_HOURS + (size_t)h];
}

/* A quarter-hour slot of gp at h:min, kept sorted by (gp, start). */
static void
add_slot(struct inst *in, uint32_t gp, int h, int min,
    enum plan_slot_state st)
{
	struct plan_slot sl = { .start = at(h, min), .end = at(h, min + 15),
	    .gp = gp, .hour = (uint8_t)h, .state = st };
	size_t i = in->n_slots;

	assert_true(in->n_slots < MAXSLOT);
	while (i > 0 && (in->slots[i - 1].gp > gp || (in->slots[i - 1].gp ==
	    gp && in->slots[i - 1].start > sl.start))) {
		in->slots[i] = in->slots[i - 1];
		i--;
	}
	in->slots[i] = sl;
	in->n_slots++;
}

/* The index of gp's slot at h:min. */
static size_t
slot_at(const struct inst *in, uint32_t gp, int h, int min)
{
	for (size_t i = 0; i < in->n_slots; i++)
		if (in->slots[i].gp == gp && in->slots[i].start == at(h, min))
			return i;
	fail_msg("no slot of gp%u at %02d:%02d", gp, h, min);
	return 0;
}

static struct plan_in
inst_in(const struct inst *in)
{
	return (struct plan_in){ .gps = in->gps, .n_gps = in->n_gps,
	    .n_sectors = in->n_sectors, .target = in->target,
	    .covers = in->covers, .slots = in->slots,
	    .n_slots = in->n_slots };
}

static bool
forced(const struct plan_slot *sl)
{
	return sl->state == PLAN_KEPT || sl->state == PLAN_FIXED;
}

/* --- The oracle: matching and brute force, nothing of plan.c. --- */

/*
 * The units of each bucket s * PLAN_HOURS + h: the target, or for a
 * sector-hour without one, the number of its own GPs' slots that hour.
 */
static void
bucket_units(const struct inst *in, int *units)
{
	for (size_t b = 0; b < NB; b++)
		units[b] = 0;
	for (size_t s = 0; s < in->n_sectors; s++)
		for (size_t h = 0; h < PLAN_HOURS; h++)
			if (in->target[s * PLAN_HOURS + h] != NONE)
				units[s * PLAN_HOURS + h] =
				    in->target[s * PLAN_HOURS + h];
	for (size_t i = 0; i < in->n_slots; i++) {
		size_t b = in->gps[in->slots[i].gp].sector * PLAN_HOURS +
		    in->slots[i].hour;

		if (in->target[b] == NONE)
			units[b]++;
	}
}

/*
 * Whether slot i may fill a unit of sector s's bucket of its hour: its
 * GP's sector covers s, and a sector without target takes its own only.
 */
static bool
fills(const struct inst *in, size_t i, size_t s)
{
	size_t c = in->gps[in->slots[i].gp].sector;

	if (in->target[s * PLAN_HOURS + in->slots[i].hour] == NONE)
		return c == s;
	return c == s || in->covers[s * in->n_sectors + c];
}

/* Slots against bucket units: Kuhn's augmenting paths, buckets with room. */
struct match {
	const struct inst	*in;
	uint64_t		 set;		/* the slots taking part */
	int			 room[NB];	/* units a bucket may take */
	int			 used[NB];
	int			 of[MAXSLOT];	/* a slot's bucket, or -1 */
	bool			 seen[NB];
};

static bool
augment(struct match *m, size_t i)
{
	const struct inst *in = m->in;

	for (size_t s = 0; s < in->n_sectors; s++) {
		int b = (int)(s * PLAN_HOURS + in->slots[i].hour);

		if (!fills(in, i, s) || m->seen[b])
			continue;
		m->seen[b] = true;
		if (m->used[b] < m->room[b]) {
			m->used[b]++;
			m->of[i] = b;
			return true;
		}
		for (size_t j = 0; j < in->n_slots; j++) {
			if (((m->set >> j) & 1) && m->of[j] == b &&
			    augment(m, j)) {
				m->of[i] = b;	/* j moved on: used[b] holds */
				return true;
			}
		}
	}
	return false;
}

/*
 * The most bucket units the slots of set (bit i: slot i) can fill, each
 * bucket taking at most room[b] (NULL: its units). got, when not NULL,
 * receives one best filling per bucket.
 */
static int
max_cover(const struct inst *in, uint64_t set, const int *room, int *got)
{
	struct match m = { .in = in, .set = set };
	int n = 0;

	if (room == NULL)
		bucket_units(in, m.room);
	else
		memcpy(m.room, room, sizeof(m.room));
	for (size_t i = 0; i < MAXSLOT; i++)
		m.of[i] = -1;
	for (size_t i = 0; i < in->n_slots; i++) {
		if (((set >> i) & 1) == 0)
			continue;
		memset(m.seen, 0, sizeof(m.seen));
		if (augment(&m, i))
			n++;
	}
	if (got != NULL)
		memcpy(got, m.used, sizeof(m.used));
	return n;
}

/* Reserved slots per GP in set. */
static void
counts(const struct inst *in, uint64_t set, int *r)
{
	for (size_t g = 0; g < MAXGP; g++)
		r[g] = 0;
	for (size_t i = 0; i < in->n_slots; i++)
		if ((set >> i) & 1)
			r[in->slots[i].gp]++;
}

static bool
caps_hold(const struct inst *in, const int *r)
{
	for (size_t g = 0; g < in->n_gps; g++) {
		const struct plan_gp *p = &in->gps[g];

		if ((p->cap_day != NOCAP && r[g] > p->cap_day) ||
		    (p->cap_week_left != NOCAP && r[g] > p->cap_week_left))
			return false;
	}
	return true;
}

static bool
has_slots(const struct inst *in, size_t g)
{
	for (size_t i = 0; i < in->n_slots; i++)
		if (in->slots[i].gp == g)
			return true;
	return false;
}

/* Max minus min of (load + reserved) / weight over the GPs with slots. */
static double
spread_of(const struct inst *in, const int *r)
{
	double lo = INFINITY, hi = -INFINITY, v;

	for (size_t g = 0; g < in->n_gps; g++) {
		if (!has_slots(in, g))
			continue;
		v = ((double)in->gps[g].load + r[g]) / in->gps[g].weight;
		lo = v < lo ? v : lo;
		hi = v > hi ? v : hi;
	}
	return hi >= lo ? hi - lo : 0;
}

/* Whether every GP with slots has the same weight. */
static bool
same_weights(const struct inst *in)
{
	double w = 0;

	for (size_t g = 0; g < in->n_gps; g++) {
		if (!has_slots(in, g))
			continue;
		if (w != 0 && in->gps[g].weight != w)
			return false;
		w = in->gps[g].weight;
	}
	return true;
}

/*
 * For diagnosis only: the convex cost sum of (load + reserved)^2 / weight,
 * which plan_day evidently minimizes (arcs of (load + k - 1/2) / weight).
 */
static double
cost_of(const struct inst *in, const int *r)
{
	double c = 0, v;

	for (size_t g = 0; g < in->n_gps; g++) {
		v = (double)in->gps[g].load + r[g];
		c += v * v / in->gps[g].weight;
	}
	return c;
}

/*
 * The best plans. Kept and fixed slots are always in; a plan is a subset
 * of the candidates with the caps holding. The best cover the most
 * demand (opt) with the fewest candidates (extra: a candidate no demand
 * needs is time given back to its GP), and among those the spread is
 * least.
 */
struct oracle {
	int		 opt;
	int		 extra;
	int		 forced_cover;	/* kept and fixed slots alone */
	double		 spread;
	double		 cost;		/* least convex cost, for diagnosis */
	double		 cost_spread;	/* least spread at that cost */
	uint64_t	 best;		/* one least-spread plan, over slots */
	long		 n_best;	/* plans with opt and extra */
};

static void
oracle_solve(const struct inst *in, struct oracle *o)
{
	size_t cand[MAXCAND], nc = 0, off[PLAN_HOURS], nh[PLAN_HOURS];
	size_t live[PLAN_HOURS], n_live = 0;
	uint64_t forced_set = 0, gm[MAXGP] = { 0 }, cm, set;
	int *tab[PLAN_HOURS] = { NULL }, base = 0, r[MAXGP], cov, pc;
	double sp, c;

	for (size_t i = 0; i < in->n_slots; i++)
		if (forced(&in->slots[i]))
			forced_set |= UINT64_C(1) << i;
	/* Candidates by hour: an hour's are consecutive bits of cm. */
	for (size_t h = 0; h < PLAN_HOURS; h++) {
		off[h] = nc;
		for (size_t i = 0; i < in->n_slots; i++) {
			if (in->slots[i].hour != h || forced(&in->slots[i]))
				continue;
			assert_true(nc < MAXCAND);
			gm[in->slots[i].gp] |= UINT64_C(1) << nc;
			cand[nc++] = i;
		}
		nh[h] = nc - off[h];
	}
	/* Coverage is a sum over hours: tabulate each hour's subsets. */
	for (size_t h = 0; h < PLAN_HOURS; h++) {
		uint64_t hour_forced = 0;

		for (size_t i = 0; i < in->n_slots; i++)
			if (((forced_set >> i) & 1) && in->slots[i].hour == h)
				hour_forced |= UINT64_C(1) << i;
		tab[h] = malloc(sizeof(int) << nh[h]);
		assert_non_null(tab[h]);
		for (uint64_t k = 0; k < (UINT64_C(1) << nh[h]); k++) {
			set = hour_forced;
			for (size_t j = 0; j < nh[h]; j++)
				if ((k >> j) & 1)
					set |= UINT64_C(1) << cand[off[h] + j];
			tab[h][k] = max_cover(in, set, NULL, NULL);
		}
		if (nh[h] > 0)
			live[n_live++] = h;
		else
			base += tab[h][0];
	}
	o->forced_cover = base;
	for (size_t j = 0; j < n_live; j++)
		o->forced_cover += tab[live[j]][0];

	o->opt = -1;
	o->extra = 0;
	for (int pass = 0; pass < 2; pass++) {
		o->spread = INFINITY;
		o->cost = INFINITY;
		o->n_best = 0;
		for (cm = 0; cm < (UINT64_C(1) << nc); cm++) {
			pc = __builtin_popcountll(cm);
			if (pass == 1 && pc != o->extra)
				continue;
			for (size_t g = 0; g < MAXGP; g++)
				r[g] = __builtin_popcountll(cm & gm[g]);
			for (size_t i = 0; i < in->n_slots; i++)
				if ((forced_set >> i) & 1)
					r[in->slots[i].gp]++;
			if (!caps_hold(in, r))
				continue;
			cov = base;
			for (size_t j = 0; j < n_live; j++)
				cov += tab[live[j]][(cm >> off[live[j]]) &
				    ((UINT64_C(1) << nh[live[j]]) - 1)];
			if (pass == 0) {
				if (cov > o->opt || (cov == o->opt &&
				    pc < o->extra)) {
					o->opt = cov;
					o->extra = pc;
				}
				continue;
			}
			if (cov != o->opt)
				continue;
			o->n_best++;
			sp = spread_of(in, r);
			c = cost_of(in, r);
			if (c < o->cost - EPS) {
				o->cost = c;
				o->cost_spread = sp;
			} else if (c <= o->cost + EPS && sp < o->cost_spread) {
				o->cost_spread = sp;
			}
			if (sp < o->spread - EPS) {
				o->spread = sp;
				o->best = forced_set;
				for (size_t j = 0; j < nc; j++)
					if ((cm >> j) & 1)
						o->best |= UINT64_C(1) <<
						    cand[j];
			}
		}
	}
	for (size_t h = 0; h < PLAN_HOURS; h++)
		free(tab[h]);
}

/* --- Reading a plan. --- */

static uint64_t
plan_set(const struct inst *in, const struct plan_out *out)
{
	uint64_t set = 0;

	for (size_t i = 0; i < in->n_slots; i++)
		if (out->reserved[i])
			set |= UINT64_C(1) << i;
	return set;
}

/* Reserved slots of gp in hour h (any hour: h < 0). */
static int
n_reserved_of(const struct inst *in, const struct plan_out *out,
    uint32_t gp, int h)
{
	int n = 0;

	for (size_t i = 0; i < in->n_slots; i++)
		if (out->reserved[i] && in->slots[i].gp == gp &&
		    (h < 0 || in->slots[i].hour == h))
			n++;
	return n;
}

static const char *
state_name(enum plan_slot_state st)
{
	return st == PLAN_KEPT ? "kept" : st == PLAN_FIXED ? "fixed" :
	    "candidate";
}

static void
fmt_cap(char *buf, size_t len, int cap)
{
	if (cap == NOCAP)
		snprintf(buf, len, "-");
	else
		snprintf(buf, len, "%d", cap);
}

/* The instance, the plan and the oracle's answer, for a failure. */
static void
dump(FILE *f, const struct inst *in, const struct oracle *o,
    const struct plan_out *out)
{
	char cd[16], cw[16];
	int r[MAXGP];
	uint64_t set = out != NULL ? plan_set(in, out) : 0;
	int64_t m;

	fprintf(f, "instance: %zu sectors, %zu GPs, %zu slots\n",
	    in->n_sectors, in->n_gps, in->n_slots);
	for (size_t s = 0; s < in->n_sectors; s++) {
		fprintf(f, "  sector %zu: covered by", s);
		for (size_t c = 0; c < in->n_sectors; c++)
			if (c == s || in->covers[s * in->n_sectors + c])
				fprintf(f, " %zu", c);
		fprintf(f, "; targets");
		for (int h = 0; h < PLAN_HOURS; h++) {
			int16_t t = in->target[s * PLAN_HOURS + (size_t)h];

			if ((h >= 14 && h <= 16) || t != 0) {
				if (t == NONE)
					fprintf(f, " %dh:none", h);
				else
					fprintf(f, " %dh:%d", h, t);
			}
		}
		fprintf(f, "\n");
	}
	for (size_t g = 0; g < in->n_gps; g++) {
		fmt_cap(cd, sizeof(cd), in->gps[g].cap_day);
		fmt_cap(cw, sizeof(cw), in->gps[g].cap_week_left);
		fprintf(f, "  gp%zu: sector %u, load %lld, weight %g, "
		    "cap_day %s, cap_week_left %s\n", g, in->gps[g].sector,
		    (long long)in->gps[g].load, in->gps[g].weight, cd, cw);
	}
	fprintf(f, "  slots:                           plan  oracle\n");
	for (size_t i = 0; i < in->n_slots; i++) {
		m = (in->slots[i].start - at(0, 0)) / 60;
		fprintf(f, "    #%-2zu gp%u %02lld:%02lld h%-2u %-9s    %s"
		    "     %s\n",
		    i, in->slots[i].gp, (long long)(m / 60),
		    (long long)(m % 60), in->slots[i].hour,
		    state_name(in->slots[i].state),
		    out == NULL ? "?" : out->reserved[i] ? "R" : ".",
		    o == NULL ? "?" : ((o->best >> i) & 1) ? "R" : ".");
	}
	if (out != NULL) {
		int n = 0;

		counts(in, set, r);
		for (size_t i = 0; i < in->n_slots; i++)
			if (out->reserved[i] && !forced(&in->slots[i]))
				n++;
		fprintf(f, "plan:   covers %d, %d candidates reserved, spread "
		    "%.4f, cost %.4f; per GP", max_cover(in, set, NULL, NULL),
		    n, spread_of(in, r), cost_of(in, r));
		for (size_t g = 0; g < in->n_gps; g++)
			fprintf(f, " %d", r[g]);
		fprintf(f, "\n        says covered/gap:");
		for (size_t s = 0; s < in->n_sectors; s++)
			for (size_t h = 0; h < PLAN_HOURS; h++) {
				size_t b = s * PLAN_HOURS + h;

				if (in->target[b] != 0 || out->covered[b] != 0
				    || out->gap[b] != 0)
					fprintf(f, " s%zu/%zuh %d/%d", s, h,
					    out->covered[b], out->gap[b]);
			}
		fprintf(f, "; n_reserved %d, n_gap %d\n", out->n_reserved,
		    out->n_gap);
	}
	if (o != NULL) {
		counts(in, o->best, r);
		fprintf(f, "oracle: covers %d (kept and fixed alone %d), "
		    "fewest candidates %d, least spread %.4f (%ld such plans), "
		    "least cost %.4f (spread %.4f); per GP", o->opt,
		    o->forced_cover, o->extra, o->spread, o->n_best, o->cost,
		    o->cost_spread);
		for (size_t g = 0; g < in->n_gps; g++)
			fprintf(f, " %d", r[g]);
		fprintf(f, "\n");
	}
}

/*
 * NULL when the plan out (and again, a second plan of the same input) is
 * what the oracle says it must be, else what is wrong, with details in why.
 */
static const char *
prop_fault(const struct inst *in, const struct oracle *o,
    const struct plan_out *out, const struct plan_out *again, char *why,
    size_t len)
{
	uint64_t set = plan_set(in, out);
	int r[MAXGP], units[NB], room[NB], cov, sum = 0, gaps = 0, n = 0;
	int tcov, tsum = 0;
	size_t nb = in->n_sectors * PLAN_HOURS;
	double sp;

	why[0] = '\0';
	for (size_t i = 0; i < in->n_slots; i++) {
		if (forced(&in->slots[i]) && !out->reserved[i]) {
			snprintf(why, len, "slot #%zu", i);
			return "a kept or fixed slot is not reserved";
		}
		n += out->reserved[i];
	}
	counts(in, set, r);
	if (!caps_hold(in, r))
		return "a cap does not hold";
	if (out->n_reserved != n) {
		snprintf(why, len, "n_reserved %d, %d slots", out->n_reserved,
		    n);
		return "n_reserved is not the count of reserved slots";
	}
	cov = max_cover(in, set, NULL, NULL);
	if (cov != o->opt) {
		snprintf(why, len, "plan %d, oracle %d", cov, o->opt);
		return "coverage is not the most";
	}

	/* covered: one way of filling the buckets with the reserved slots. */
	bucket_units(in, units);
	for (size_t b = 0; b < nb; b++) {
		int t = in->target[b], want = t == NONE ? 0 :
		    t - out->covered[b] > 0 ? t - out->covered[b] : 0;

		if (out->covered[b] < 0 || out->covered[b] > units[b]) {
			snprintf(why, len, "sector %zu %zuh: covered %d of %d",
			    b / PLAN_HOURS, b % PLAN_HOURS, out->covered[b],
			    units[b]);
			return "covered is past the demand";
		}
		if (out->gap[b] != want) {
			snprintf(why, len, "sector %zu %zuh: target %d covered "
			    "%d gap %d", b / PLAN_HOURS, b % PLAN_HOURS, t,
			    out->covered[b], out->gap[b]);
			return "gap is not target minus covered";
		}
		room[b] = out->covered[b];
		sum += out->covered[b];
		gaps += out->gap[b];
	}
	for (size_t b = nb; b < NB; b++)
		room[b] = 0;
	if (sum != cov || max_cover(in, set, room, NULL) != sum) {
		snprintf(why, len, "covered sums to %d, the reserved slots "
		    "fill %d of it, cover %d", sum,
		    max_cover(in, set, room, NULL), cov);
		return "covered is not a filling by the reserved slots";
	}
	if (out->n_gap != gaps) {
		snprintf(why, len, "n_gap %d, gaps sum to %d", out->n_gap,
		    gaps);
		return "n_gap is not the sum of the gaps";
	}
	/* No gap the reserved slots could have filled. */
	for (size_t b = 0; b < NB; b++) {
		room[b] = b < nb && in->target[b] != NONE ? in->target[b] : 0;
		tsum += room[b];
	}
	tcov = max_cover(in, set, room, NULL);
	if (gaps != tsum - tcov) {
		snprintf(why, len, "n_gap %d, the reserved slots leave %d",
		    gaps, tsum - tcov);
		return "a gap the reserved slots could fill";
	}

	n = 0;
	for (size_t i = 0; i < in->n_slots; i++)
		n += out->reserved[i] && !forced(&in->slots[i]);
	if (n != o->extra) {
		snprintf(why, len, "plan %d candidates, oracle %d", n,
		    o->extra);
		return "candidates reserved that no demand needs";
	}
	/*
	 * Fairness as DESIGN.md defines it: convex costs per GP, the least
	 * sum of (load + reserved)^2 / weight.
	 */
	sp = cost_of(in, r);
	if (fabs(sp - o->cost) > EPS) {
		snprintf(why, len, "plan %.6f, oracle %.6f", sp, o->cost);
		return sp < o->cost ? "cost below the oracle's least" :
		    "convex cost is not the least";
	}
	/*
	 * And the least spread of load that issue 5 asks for, wherever the
	 * GPs weigh the same: the least convex cost then is the least
	 * spread too (an integral base of least square sum is decreasingly
	 * minimal: its max is least and its min is most). With unequal
	 * weights the two can differ by a fraction of a slot per weight
	 * (test_weighted_fairness): DESIGN.md's convex cost rules there.
	 */
	if (same_weights(in)) {
		sp = spread_of(in, r);
		if (fabs(sp - o->spread) > EPS) {
			snprintf(why, len, "plan %.4f, oracle %.4f", sp,
			    o->spread);
			return "spread is not the least (equal weights)";
		}
	}

	if (memcmp(out->reserved, again->reserved, in->n_slots *
	    sizeof(bool)) != 0 || memcmp(out->covered, again->covered, nb *
	    sizeof(int16_t)) != 0 || memcmp(out->gap, again->gap, nb *
	    sizeof(int16_t)) != 0 || out->n_reserved != again->n_reserved ||
	    out->n_gap != again->n_gap)
		return "a second plan of the same input differs";
	return NULL;
}

/* --- Random instances. --- */

/* A small PRNG (splitmix64), so that a failing seed replays anywhere. */
static uint64_t
next_rand(uint64_t *s)
{
	uint64_t z = (*s += UINT64_C(0x9e3779b97f4a7c15));

	z = (z ^ (z >> 30)) * UINT64_C(0xbf58476d1ce4e5b9);
	z = (z ^ (z >> 27)) * UINT64_C(0x94d049bb133111eb);
	return z ^ (z >> 31);
}

static int
rand_in(uint64_t *rs, int lo, int hi)
{
	return lo + (int)(next_rand(rs) % (uint64_t)(hi - lo + 1));
}

/*
 * 1-4 GPs in 1-3 sectors, random neighbours; 0-3 slots per GP and hour
 * 14-16 on the quarter hours, at most MAXCAND candidates, some kept or
 * fixed; targets 0-3 or none (now and then elsewhere in the day); caps
 * never below the kept and fixed slots.
 */
static void
gen(struct inst *in, uint64_t *rs)
{
	static const double weights[] = { 0.5, 1, 1.5, 2 };
	int n_forced[MAXGP] = { 0 }, nc = 0, k, r;
	unsigned q;

	/* A third of the days with equal weights: the spread is checked. */
	bool same = next_rand(rs) % 3 == 0;

	inst_init(in, (size_t)rand_in(rs, 1, MAXGP),
	    (size_t)rand_in(rs, 1, MAXSEC));
	for (size_t s = 0; s < in->n_sectors; s++) {
		for (size_t c = 0; c < in->n_sectors; c++)
			if (c != s && next_rand(rs) % 3 == 0)
				in->covers[s * in->n_sectors + c] = true;
		for (int h = 0; h < PLAN_HOURS; h++) {
			r = rand_in(rs, 0, 9);
			if (h >= 14 && h <= 16)
				*target(in, s, h) = (int16_t)(r < 2 ? NONE :
				    rand_in(rs, 0, 3));
			else
				*target(in, s, h) = (int16_t)(r == 0 ? NONE :
				    r == 1 ? rand_in(rs, 1, 2) : 0);
		}
	}
	for (size_t g = 0; g < in->n_gps; g++) {
		in->gps[g].sector = (uint32_t)(next_rand(rs) % in->n_sectors);
		in->gps[g].weight = same ? 1 : weights[next_rand(rs) % 4];
		in->gps[g].load = rand_in(rs, 0, 20);
		for (int h = 14; h <= 16; h++) {
			r = rand_in(rs, 0, 19);
			k = r < 7 ? 0 : r < 13 ? 1 : r < 17 ? 2 : 3;
			q = 0;
			while (__builtin_popcount(q) < k)
				q |= 1u << (next_rand(rs) % 4);
			for (int j = 0; j < 4; j++) {
				enum plan_slot_state st = PLAN_CANDIDATE;

				if (((q >> j) & 1) == 0)
					continue;
				r = rand_in(rs, 0, 11);
				if (r == 0)
					st = PLAN_KEPT;
				else if (r == 1)
					st = PLAN_FIXED;
				if ((st == PLAN_CANDIDATE && nc == MAXCAND) ||
				    in->n_slots == MAXSLOT)
					continue;
				add_slot(in, (uint32_t)g, h, 15 * j, st);
				if (st == PLAN_CANDIDATE)
					nc++;
				else
					n_forced[g]++;
			}
		}
		in->gps[g].cap_day = next_rand(rs) % 3 == 0 ? NOCAP :
		    n_forced[g] + rand_in(rs, 0, 3);
		in->gps[g].cap_week_left = next_rand(rs) % 2 == 0 ? NOCAP :
		    n_forced[g] + rand_in(rs, 0, 4);
	}
}

/* The planners under test: plan_day, and the GLPK flow it is held to. */
static const struct {
	const char	*name;
	int		(*fn)(const struct plan_in *, struct plan_out *);
} solvers[] = {
	{ "plan_day",		plan_day },
	{ "plan_day_flow",	plan_day_flow },
};

/*
 * On thousands of small random days each planner reserves every kept
 * and fixed slot, holds the caps, covers the most demand with no
 * candidate more than needed, reports covered and gaps truly, has the
 * least convex cost of (load + reserved)^2 / weight the brute force
 * finds, and gives the same plan when asked twice.
 */
static void
test_prop_oracle(void **state)
{
	uint64_t seed = *(const uint64_t *)*state, rs = seed;
	struct inst in;
	struct oracle o;
	struct plan_in pin;
	struct plan_out out, again;
	const char *fault, *name;
	char why[256];
	int rc;

	for (int iter = 0; iter < PROP_ITERS; iter++) {
		gen(&in, &rs);
		oracle_solve(&in, &o);
		pin = inst_in(&in);
		for (size_t k = 0; k < NCASES(solvers); k++) {
			name = solvers[k].name;
			memset(&out, 0, sizeof(out));
			memset(&again, 0, sizeof(again));
			rc = solvers[k].fn(&pin, &out);
			if (rc != PLAN_OK) {
				fprintf(stderr, "seed=%llu iter %d: %s: %s\n",
				    (unsigned long long)seed, iter, name,
				    plan_strerror(rc));
				dump(stderr, &in, &o, NULL);
				fail_msg("seed=%llu iter %d: %s: %s",
				    (unsigned long long)seed, iter, name,
				    plan_strerror(rc));
			}
			rc = solvers[k].fn(&pin, &again);
			assert_int_equal(rc, PLAN_OK);
			fault = prop_fault(&in, &o, &out, &again, why,
			    sizeof(why));
			if (fault != NULL) {
				fprintf(stderr, "seed=%llu iter %d: %s: %s: "
				    "%s\n", (unsigned long long)seed, iter,
				    name, fault, why);
				dump(stderr, &in, &o, &out);
				fail_msg("seed=%llu iter %d: %s: %s: %s",
				    (unsigned long long)seed, iter, name,
				    fault, why);
			}
			plan_out_fini(&out);
			plan_out_fini(&again);
		}
	}
}

/* --- Targeted tests. --- */

/* plan_day on in, which must succeed. */
static void
plan_ok(const char *name, const struct inst *in, struct plan_out *out)
{
	struct plan_in pin = inst_in(in);
	int rc;

	memset(out, 0, sizeof(*out));
	rc = plan_day(&pin, out);
	if (rc != PLAN_OK)
		fail_msg("%s: plan_day: %s", name, plan_strerror(rc));
}

/* Fail naming the case, with the instance and the plan on stderr. */
static void
case_fail(const char *name, const struct inst *in,
    const struct plan_out *out, const char *what, int got, int want)
{
	fprintf(stderr, "%s: %s: got %d, want %d\n", name, what, got, want);
	dump(stderr, in, NULL, out);
	fail_msg("%s: %s: got %d, want %d", name, what, got, want);
}

static void
want_int(const char *name, const struct inst *in, const struct plan_out *out,
    const char *what, int got, int want)
{
	if (got != want)
		case_fail(name, in, out, what, got, want);
}

/* Sector A has demand and no GP: B's GP covers it when A lists B only. */
static void
test_neighbour(void **state)
{
	static const struct {
		const char	*name;
		bool		 a_by_b, b_by_a;  /* covers[A][B], [B][A] */
		int		 reserved, gap;
	} cases[] = {
		{ "B covers A",		true,  false, 1, 0 },
		{ "both ways",		true,  true,  1, 0 },
		{ "no neighbours",	false, false, 0, 1 },
		{ "A covers B only",	false, true,  0, 1 },
	};
	struct inst in;
	struct plan_out out;

	(void)state;
	for (size_t i = 0; i < NCASES(cases); i++) {
		const char *name = cases[i].name;

		inst_init(&in, 1, 2);
		in.gps[0].sector = 1;
		*target(&in, 0, 14) = 1;
		in.covers[0 * 2 + 1] = cases[i].a_by_b;
		in.covers[1 * 2 + 0] = cases[i].b_by_a;
		add_slot(&in, 0, 14, 0, PLAN_CANDIDATE);
		add_slot(&in, 0, 14, 15, PLAN_CANDIDATE);
		plan_ok(name, &in, &out);
		want_int(name, &in, &out, "n_reserved", out.n_reserved,
		    cases[i].reserved);
		want_int(name, &in, &out, "gap of A at 14h", out.gap[14],
		    cases[i].gap);
		want_int(name, &in, &out, "covered of A at 14h",
		    out.covered[14], 1 - cases[i].gap);
		want_int(name, &in, &out, "n_gap", out.n_gap, cases[i].gap);
		plan_out_fini(&out);
	}
}

/* Demand is per hour: slots are reserved in the hours that want them. */
static void
test_hour_targets(void **state)
{
	static const struct {
		const char	*name;
		int16_t		 t14, t15;
		int		 r14, r15, gap14;
	} cases[] = {
		{ "2 at 14h, 0 at 15h",	2, 0, 2, 0, 0 },
		{ "0 at 14h, 3 at 15h",	0, 3, 0, 3, 0 },
		{ "1 and 1",		1, 1, 1, 1, 0 },
		{ "5 at 14h, 4 slots",	5, 0, 4, 0, 1 },
		{ "none wanted",	0, 0, 0, 0, 0 },
	};
	struct inst in;
	struct plan_out out;

	(void)state;
	for (size_t i = 0; i < NCASES(cases); i++) {
		const char *name = cases[i].name;

		inst_init(&in, 1, 1);
		*target(&in, 0, 14) = cases[i].t14;
		*target(&in, 0, 15) = cases[i].t15;
		for (int m = 0; m < 60; m += 15) {
			add_slot(&in, 0, 14, m, PLAN_CANDIDATE);
			add_slot(&in, 0, 15, m, PLAN_CANDIDATE);
		}
		plan_ok(name, &in, &out);
		want_int(name, &in, &out, "reserved at 14h",
		    n_reserved_of(&in, &out, 0, 14), cases[i].r14);
		want_int(name, &in, &out, "reserved at 15h",
		    n_reserved_of(&in, &out, 0, 15), cases[i].r15);
		want_int(name, &in, &out, "n_reserved", out.n_reserved,
		    cases[i].r14 + cases[i].r15);
		want_int(name, &in, &out, "covered at 14h", out.covered[14],
		    cases[i].r14);
		want_int(name, &in, &out, "gap at 14h", out.gap[14],
		    cases[i].gap14);
		want_int(name, &in, &out, "n_gap", out.n_gap, cases[i].gap14);
		plan_out_fini(&out);
	}
}

/*
 * A sector-hour without target reserves all its own GPs' candidates,
 * caps permitting, and no neighbour's; it never shows a gap.
 */
static void
test_no_target(void **state)
{
	static const struct {
		const char	*name;
		int		 cap_day, cap_week_left, want;
	} cases[] = {
		{ "no caps",		NOCAP,	NOCAP,	5 },
		{ "cap_day 3",		3,	NOCAP,	3 },
		{ "cap_week_left 2",	NOCAP,	2,	2 },
		{ "week tighter",	4,	1,	1 },
		{ "cap_day 0",		0,	NOCAP,	0 },
	};
	struct inst in;
	struct plan_out out;

	(void)state;
	for (size_t i = 0; i < NCASES(cases); i++) {
		const char *name = cases[i].name;

		inst_init(&in, 2, 2);
		in.gps[0].cap_day = cases[i].cap_day;
		in.gps[0].cap_week_left = cases[i].cap_week_left;
		in.gps[1].sector = 1;
		in.covers[0 * 2 + 1] = true;	/* B may cover A */
		*target(&in, 0, 14) = NONE;
		*target(&in, 0, 15) = NONE;
		for (int m = 0; m < 60; m += 15)
			add_slot(&in, 0, 14, m, PLAN_CANDIDATE);
		add_slot(&in, 0, 15, 0, PLAN_CANDIDATE);
		for (int m = 0; m < 45; m += 15)
			add_slot(&in, 1, 14, m, PLAN_CANDIDATE);
		plan_ok(name, &in, &out);
		want_int(name, &in, &out, "reserved of A's GP",
		    n_reserved_of(&in, &out, 0, -1), cases[i].want);
		want_int(name, &in, &out, "reserved of B's GP",
		    n_reserved_of(&in, &out, 1, -1), 0);
		want_int(name, &in, &out, "covered of A at 14h and 15h",
		    out.covered[14] + out.covered[15], cases[i].want);
		want_int(name, &in, &out, "gap of A at 14h", out.gap[14], 0);
		want_int(name, &in, &out, "gap of A at 15h", out.gap[15], 0);
		want_int(name, &in, &out, "n_gap", out.n_gap, 0);
		plan_out_fini(&out);
	}
}

/*
 * Caps hold against fairness (gp1's load would leave all to gp0): per
 * day, per week left, the tighter of both; demand past them is a gap.
 */
static void
test_caps(void **state)
{
	static const struct {
		const char	*name;
		int		 day0, week0, day1, week1, r0, r1, gap;
	} cases[] = {
		{ "no caps",		NOCAP, NOCAP, NOCAP, NOCAP, 4, 0, 0 },
		{ "cap_day 2",		2, NOCAP, NOCAP, NOCAP, 2, 2, 0 },
		{ "cap_week_left 1",	NOCAP, 1, NOCAP, NOCAP, 1, 3, 0 },
		{ "week tighter",	3, 2, NOCAP, NOCAP, 2, 2, 0 },
		{ "day tighter",	1, 3, NOCAP, NOCAP, 1, 3, 0 },
		{ "cap_day 0",		0, NOCAP, NOCAP, NOCAP, 0, 4, 0 },
		{ "past the caps",	1, NOCAP, NOCAP, 2, 1, 2, 1 },
	};
	struct inst in;
	struct plan_out out;

	(void)state;
	for (size_t i = 0; i < NCASES(cases); i++) {
		const char *name = cases[i].name;

		inst_init(&in, 2, 1);
		in.gps[0].cap_day = cases[i].day0;
		in.gps[0].cap_week_left = cases[i].week0;
		in.gps[1].cap_day = cases[i].day1;
		in.gps[1].cap_week_left = cases[i].week1;
		in.gps[1].load = 20;
		*target(&in, 0, 14) = 4;
		for (uint32_t g = 0; g < 2; g++)
			for (int m = 0; m < 60; m += 15)
				add_slot(&in, g, 14, m, PLAN_CANDIDATE);
		plan_ok(name, &in, &out);
		want_int(name, &in, &out, "reserved of gp0",
		    n_reserved_of(&in, &out, 0, -1), cases[i].r0);
		want_int(name, &in, &out, "reserved of gp1",
		    n_reserved_of(&in, &out, 1, -1), cases[i].r1);
		want_int(name, &in, &out, "gap at 14h", out.gap[14],
		    cases[i].gap);
		want_int(name, &in, &out, "n_gap", out.n_gap, cases[i].gap);
		plan_out_fini(&out);
	}
}

/* Reserved counts follow the weights: a 0.5 GP takes half a 1 GP's. */
static void
test_weights(void **state)
{
	static const struct {
		const char	*name;
		double		 w0, w1;
		int		 r0, r1;
	} cases[] = {
		{ "0.5 and 1",	0.5, 1, 3, 6 },
		{ "1 and 0.5",	1, 0.5, 6, 3 },
		{ "2 and 1",	2, 1, 6, 3 },
		{ "1.5 and 1.5", 1.5, 1.5, -1, -1 },	/* 4 and 5, any way */
	};
	struct inst in;
	struct plan_out out;
	int r0, r1;

	(void)state;
	for (size_t i = 0; i < NCASES(cases); i++) {
		const char *name = cases[i].name;

		inst_init(&in, 2, 1);
		in.gps[0].weight = cases[i].w0;
		in.gps[1].weight = cases[i].w1;
		for (int h = 14; h <= 16; h++) {
			*target(&in, 0, h) = 3;
			for (uint32_t g = 0; g < 2; g++)
				for (int m = 0; m < 60; m += 15)
					add_slot(&in, g, h, m, PLAN_CANDIDATE);
		}
		plan_ok(name, &in, &out);
		r0 = n_reserved_of(&in, &out, 0, -1);
		r1 = n_reserved_of(&in, &out, 1, -1);
		want_int(name, &in, &out, "n_reserved", out.n_reserved, 9);
		if (cases[i].r0 >= 0) {
			want_int(name, &in, &out, "reserved of gp0", r0,
			    cases[i].r0);
			want_int(name, &in, &out, "reserved of gp1", r1,
			    cases[i].r1);
		} else if (r0 != 4 && r0 != 5) {
			case_fail(name, &in, &out, "reserved of gp0", r0, 4);
		}
		want_int(name, &in, &out, "n_gap", out.n_gap, 0);
		plan_out_fini(&out);
	}
}

/*
 * One slot wanted, two GPs able to give it: the plan of least convex cost
 * (load + reserved)^2 / weight wins (DESIGN.md), counting a GP whose slot
 * no demand wants (gp2, its only slot at 15h). It is not always the plan
 * of least spread of (load + reserved) / weight, which issue 5 asks for:
 * "idle GP on top" reserves gp1 at cost +1.5 for a spread of 2, where
 * gp0 (cost +2) would give 1.5; no weighted convex cost gives the least
 * spread on every day. The test pins the conflict until it is decided.
 */
static void
test_weighted_fairness(void **state)
{
	static const struct {
		const char	*name;
		int64_t		 load[3];
		double		 weight[3];
		int		 want;		/* the GP reserved; -1: either */
		double		 spread;	/* the plan's spread */
		double		 least;		/* the least spread possible */
	} cases[] = {
		/* gp0: cost +2, spread 1.5; gp1: cost +1.5, spread 2 */
		{ "idle GP on top", { 0, 1, 1 }, { 0.5, 2, 0.5 }, 1, 2, 1.5 },
		/* a tie of cost (+2 each): either GP */
		{ "idle GP at the bottom", { 0, 1, 0 }, { 0.5, 1.5, 1 }, -1,
		    -1, 4.0 / 3 },
		/* gp1: cost +14 and spread 1, both the least */
		{ "idle GP in between", { 14, 3, 8 }, { 2, 0.5, 1 }, 1, 1, 1 },
	};
	struct inst in;
	struct plan_out out;
	int r[3];

	(void)state;
	for (size_t i = 0; i < NCASES(cases); i++) {
		const char *name = cases[i].name;
		double sp;

		inst_init(&in, 3, 1);
		for (size_t g = 0; g < 3; g++) {
			in.gps[g].load = cases[i].load[g];
			in.gps[g].weight = cases[i].weight[g];
		}
		*target(&in, 0, 14) = 1;
		add_slot(&in, 0, 14, 0, PLAN_CANDIDATE);
		add_slot(&in, 1, 14, 0, PLAN_CANDIDATE);
		add_slot(&in, 2, 15, 0, PLAN_CANDIDATE);
		plan_ok(name, &in, &out);
		want_int(name, &in, &out, "n_reserved", out.n_reserved, 1);
		if (cases[i].want >= 0)
			want_int(name, &in, &out, "the reserved GP's slot",
			    out.reserved[slot_at(&in, (uint32_t)cases[i].want,
			    14, 0)], 1);
		for (size_t g = 0; g < 3; g++)
			r[g] = 0;
		for (size_t k = 0; k < in.n_slots; k++)
			r[in.slots[k].gp] += out.reserved[k];
		sp = spread_of(&in, r);
		if (cases[i].spread >= 0 && fabs(sp - cases[i].spread) > EPS)
			fail_msg("%s: spread %.4f, want %.4f", name, sp,
			    cases[i].spread);
		if (sp < cases[i].least - EPS)
			fail_msg("%s: spread %.4f below the least %.4f", name,
			    sp, cases[i].least);
		plan_out_fini(&out);
	}
}

/* The more a GP's load over the window, the fewer slots today. */
static void
test_load(void **state)
{
	static const struct {
		const char	*name;
		int64_t		 l0, l1;
		int		 r0, r1;
	} cases[] = {
		{ "0 and 10",	0, 10, 6, 0 },
		{ "0 and 2",	0, 2, 4, 2 },
		{ "5 and 5",	5, 5, 3, 3 },
		{ "9 and 3",	9, 3, 0, 6 },
		{ "3 and 4",	3, 4, -1, -1 },	/* 3 or 4 to gp0, not fewer */
	};
	struct inst in;
	struct plan_out out;
	int r0, r1;

	(void)state;
	for (size_t i = 0; i < NCASES(cases); i++) {
		const char *name = cases[i].name;

		inst_init(&in, 2, 1);
		in.gps[0].load = cases[i].l0;
		in.gps[1].load = cases[i].l1;
		for (int h = 14; h <= 15; h++) {
			*target(&in, 0, h) = 3;
			for (uint32_t g = 0; g < 2; g++)
				for (int m = 0; m < 60; m += 15)
					add_slot(&in, g, h, m, PLAN_CANDIDATE);
		}
		plan_ok(name, &in, &out);
		r0 = n_reserved_of(&in, &out, 0, -1);
		r1 = n_reserved_of(&in, &out, 1, -1);
		want_int(name, &in, &out, "n_reserved", out.n_reserved, 6);
		if (cases[i].r0 >= 0) {
			want_int(name, &in, &out, "reserved of gp0", r0,
			    cases[i].r0);
			want_int(name, &in, &out, "reserved of gp1", r1,
			    cases[i].r1);
		} else if (r0 != 3 && r0 != 4) {
			case_fail(name, &in, &out, "reserved of gp0", r0, 4);
		}
		plan_out_fini(&out);
	}
}

/*
 * Two slots wanted of a GP's four in an hour are adjacent, and next to
 * its reserved slot of the hour before or after when it has one.
 */
static void
test_contiguity(void **state)
{
	static const struct {
		const char		*name;
		int			 h, min; /* other slot; h 0: none */
		enum plan_slot_state	 st;
		int16_t			 t;		/* its hour's target */
		int			 first;		/* -1: any pair */
	} cases[] = {
		{ "alone",			 0,  0, PLAN_CANDIDATE, 0, -1 },
		{ "after a candidate 14:45",	14, 45, PLAN_CANDIDATE, 1, 0 },
		{ "after a fixed 14:45",	14, 45, PLAN_FIXED,	0, 0 },
		{ "after a kept 14:45",		14, 45, PLAN_KEPT,	0, 0 },
		{ "before a kept 16:00",	16,  0, PLAN_KEPT,	0, 30 },
		{ "before a candidate 16:00",	16,  0, PLAN_CANDIDATE, 1, 30 },
		{ "after 14:00, not next",	14,  0, PLAN_FIXED,	0, -1 },
	};
	struct inst in;
	struct plan_out out;
	int got[4], n;

	(void)state;
	for (size_t i = 0; i < NCASES(cases); i++) {
		const char *name = cases[i].name;

		inst_init(&in, 1, 1);
		*target(&in, 0, 15) = 2;
		for (int m = 0; m < 60; m += 15)
			add_slot(&in, 0, 15, m, PLAN_CANDIDATE);
		if (cases[i].h != 0) {
			add_slot(&in, 0, cases[i].h, cases[i].min,
			    cases[i].st);
			*target(&in, 0, cases[i].h) = cases[i].t;
		}
		plan_ok(name, &in, &out);
		n = 0;
		for (int m = 0; m < 60; m += 15)
			if (out.reserved[slot_at(&in, 0, 15, m)])
				got[n++] = m;
		want_int(name, &in, &out, "reserved at 15h", n, 2);
		want_int(name, &in, &out, "minutes between the two starts",
		    got[1] - got[0], 15);
		if (cases[i].first >= 0)
			want_int(name, &in, &out, "first reserved minute",
			    got[0], cases[i].first);
		if (cases[i].h != 0)
			want_int(name, &in, &out, "the other slot reserved",
			    out.reserved[slot_at(&in, 0, cases[i].h,
			    cases[i].min)], 1);
		plan_out_fini(&out);
	}
}

/*
 * Kept and fixed slots stay reserved though moving them to the idle GP
 * would be fairer, and nothing more is reserved for what they cover.
 */
static void
test_stability(void **state)
{
	static const struct {
		const char		*name;
		enum plan_slot_state	 st;
		int16_t			 t;
		int			 gap;
	} cases[] = {
		{ "kept",		PLAN_KEPT,  1, 0 },
		{ "fixed",		PLAN_FIXED, 1, 0 },
		{ "kept, no demand",	PLAN_KEPT,  0, 0 },
		{ "fixed, no demand",	PLAN_FIXED, 0, 0 },
		{ "kept, no target",	PLAN_KEPT,  NONE, 0 },
	};
	struct inst in;
	struct plan_out out;

	(void)state;
	for (size_t i = 0; i < NCASES(cases); i++) {
		const char *name = cases[i].name;

		inst_init(&in, 2, 2);
		in.gps[0].load = 20;
		in.gps[1].sector = 1;
		in.covers[0 * 2 + 1] = true;
		*target(&in, 0, 14) = cases[i].t;
		add_slot(&in, 0, 14, 0, cases[i].st);
		add_slot(&in, 1, 14, 0, PLAN_CANDIDATE);
		plan_ok(name, &in, &out);
		want_int(name, &in, &out, "gp0's slot reserved",
		    out.reserved[slot_at(&in, 0, 14, 0)], 1);
		want_int(name, &in, &out, "gp1's slot reserved",
		    out.reserved[slot_at(&in, 1, 14, 0)], 0);
		want_int(name, &in, &out, "n_reserved", out.n_reserved, 1);
		want_int(name, &in, &out, "n_gap", out.n_gap, cases[i].gap);
		plan_out_fini(&out);
	}
}

/* No slots: every target is a gap, nothing is covered or reserved. */
static void
test_empty(void **state)
{
	static const struct {
		const char	*name;
		size_t		 n_gps;
	} cases[] = {
		{ "no GP", 0 },
		{ "a GP without slots", 1 },
	};
	struct inst in;
	struct plan_in pin;
	struct plan_out out;
	int rc;

	(void)state;
	for (size_t i = 0; i < NCASES(cases); i++) {
		const char *name = cases[i].name;

		inst_init(&in, cases[i].n_gps, 2);
		*target(&in, 0, 14) = 2;
		*target(&in, 0, 15) = 1;
		*target(&in, 0, 16) = NONE;
		*target(&in, 1, 18) = 3;
		pin = inst_in(&in);
		pin.slots = NULL;
		memset(&out, 0, sizeof(out));
		rc = plan_day(&pin, &out);
		if (rc != PLAN_OK)
			fail_msg("%s: plan_day: %s", name, plan_strerror(rc));
		want_int(name, &in, &out, "n_reserved", out.n_reserved, 0);
		want_int(name, &in, &out, "n_gap", out.n_gap, 6);
		for (size_t b = 0; b < 2 * PLAN_HOURS; b++) {
			want_int(name, &in, &out, "covered", out.covered[b], 0);
			want_int(name, &in, &out, "gap", out.gap[b],
			    in.target[b] > 0 ? in.target[b] : 0);
		}
		plan_out_fini(&out);
	}
}

/*
 * plan_grid: slots on the grid anchored at the window's start, wholly
 * inside free time, in the local hour of their start; appended.
 */
static void
test_grid(void **state)
{
	static const struct {
		const char	*name;
		int		 from;		/* window start, local min */
		int		 slot_min;
		int		 free[2][2];	/* local minutes, [a, b) */
		int		 want[12];	/* local minutes; 0 ends */
	} cases[] = {
		{ "15 min", 840, 15, { { 850, 900 }, { 930, 1020 } },
		    { 855, 870, 885, 930, 945, 960, 975, 990, 1005 } },
		{ "20 min", 840, 20, { { 850, 900 }, { 930, 1020 } },
		    { 860, 880, 940, 960, 980, 1000 } },
		{ "from 14:30", 870, 15, { { 870, 960 }, { 0, 0 } },
		    { 870, 885, 900, 915, 930, 945 } },
		{ "from 14:30, 20 min", 870, 20, { { 870, 960 }, { 0, 0 } },
		    { 870, 890, 910, 930 } },
		{ "to the window's end", 840, 30, { { 1140, 1200 }, { 0, 0 } },
		    { 1140, 1170 } },
		{ "nothing free", 840, 15, { { 0, 0 }, { 0, 0 } }, { 0 } },
		{ "free shorter than a slot", 840, 30,
		    { { 850, 870 }, { 875, 900 } }, { 0 } },
	};
	static const uint32_t gps[] = { 7, 2 };
	struct plan_slot *v = NULL;
	size_t n, cap = 0, k;
	struct ivs fr;

	(void)state;
	ivs_init(&fr);
	for (size_t i = 0; i < NCASES(cases); i++) {
		const char *name = cases[i].name;
		int from = cases[i].from;
		int64_t ws = at(0, from), we = at(20, 0);

		ivs_clear(&fr);
		for (size_t j = 0; j < 2; j++)
			if (cases[i].free[j][1] > 0)
				assert_int_equal(ivs_add(&fr,
				    at(0, cases[i].free[j][0]),
				    at(0, cases[i].free[j][1])), 0);
		for (k = 0; k < 12 && cases[i].want[k] != 0; k++)
			;
		n = 0;
		for (size_t c = 0; c < NCASES(gps); c++) {
			if (plan_grid(ws, we, from, cases[i].slot_min * 60,
			    &fr, gps[c], &v, &n, &cap) != 0)
				fail_msg("%s: plan_grid failed", name);
			if (n != (c + 1) * k)
				fail_msg("%s: gp%u: %zu slots in all, want %zu",
				    name, gps[c], n, (c + 1) * k);
		}
		if (n > cap)
			fail_msg("%s: n %zu past cap %zu", name, n, cap);
		for (size_t j = 0; j < n; j++) {
			int m = cases[i].want[j % k];

			if (v[j].start != at(0, m) || v[j].end != at(0, m +
			    cases[i].slot_min) || v[j].hour != m / 60 ||
			    v[j].gp != gps[j / k] ||
			    v[j].state != PLAN_CANDIDATE)
				fail_msg("%s: slot %zu: [%+lld, %+lld) min "
				    "from 14:00, hour %u, gp%u, %s; want "
				    "[%+d, %+d) hour %d gp%u candidate", name,
				    j,
				    (long long)(v[j].start - T0) / 60,
				    (long long)(v[j].end - T0) / 60,
				    v[j].hour, v[j].gp,
				    state_name(v[j].state), m - 840,
				    m + cases[i].slot_min - 840, m / 60,
				    gps[j / k]);
		}
	}
	ivs_fini(&fr);
	free(v);
}

/* Inconsistent input is PLAN_EINPUT, and the plan is then empty. */
static void
test_einput(void **state)
{
	static const struct {
		const char	*name;
		int		 fault;
	} cases[] = {
		{ "slot of a GP past n_gps", 0 },
		{ "GP in a sector past n_sectors", 1 },
		{ "weight 0", 2 },
		{ "hour 24", 3 },
	};
	struct inst in;
	struct plan_in pin;
	struct plan_out out;
	int rc;

	(void)state;
	for (size_t i = 0; i < NCASES(cases); i++) {
		inst_init(&in, 2, 1);
		*target(&in, 0, 14) = 1;
		add_slot(&in, 0, 14, 0, PLAN_CANDIDATE);
		add_slot(&in, 1, 14, 0, PLAN_CANDIDATE);
		switch (cases[i].fault) {
		case 0:
			in.slots[1].gp = 2;
			break;
		case 1:
			in.gps[1].sector = 1;
			break;
		case 2:
			in.gps[1].weight = 0;
			break;
		default:
			in.slots[1].hour = PLAN_HOURS;
			break;
		}
		pin = inst_in(&in);
		memset(&out, 0xa5, sizeof(out));
		rc = plan_day(&pin, &out);
		if (rc != PLAN_EINPUT)
			fail_msg("%s: plan_day: %s, want %s", cases[i].name,
			    plan_strerror(rc), plan_strerror(PLAN_EINPUT));
		if (out.reserved != NULL || out.covered != NULL ||
		    out.gap != NULL)
			fail_msg("%s: out not empty", cases[i].name);
		plan_out_fini(&out);
	}
}

/* Every error has its text; an unknown code still has one. */
static void
test_strerror(void **state)
{
	(void)state;
	assert_string_equal(plan_strerror(PLAN_OK), "ok");
	assert_string_equal(plan_strerror(PLAN_EINPUT),
	    "inconsistent planner input");
	assert_string_equal(plan_strerror(PLAN_ESOLVER),
	    "the flow solver failed");
	assert_string_equal(plan_strerror(PLAN_ENOMEM), "out of memory");
	assert_non_null(plan_strerror(PLAN_ERR_COUNT));
	assert_non_null(plan_strerror(-1));
}

int
main(void)
{
	uint64_t seed;
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_neighbour),
		cmocka_unit_test(test_hour_targets),
		cmocka_unit_test(test_no_target),
		cmocka_unit_test(test_caps),
		cmocka_unit_test(test_weights),
		cmocka_unit_test(test_weighted_fairness),
		cmocka_unit_test(test_load),
		cmocka_unit_test(test_contiguity),
		cmocka_unit_test(test_stability),
		cmocka_unit_test(test_empty),
		cmocka_unit_test(test_grid),
		cmocka_unit_test(test_einput),
		cmocka_unit_test(test_strerror),
		cmocka_unit_test_prestate(test_prop_oracle, &seed),
	};

	if (test_seed(20261130, &seed) != 0)
		return 1;
	return cmocka_run_group_tests(tests, NULL, NULL);
}
