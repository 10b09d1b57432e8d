/*
 * The planner's solver: the cheapest next slot first, kept if it can still
 * be matched to demand.
 *
 * The per-GP counts of slots that can all be matched to demand (sector
 * and hour buckets) form a polymatroid. Adding units one at a time, each
 * to the GP whose load per weight would then be lowest, each kept when
 * an augmenting path still matches it, gives a base (covered demand is
 * maximal: every base has the rank's size) that is lexicographically
 * optimal for load per weight (Fujishige 1980): as even as the caps
 * allow. The tests hold it to plan_flow.c's GLPK flow (the same coverage,
 * a spread never wider) and to a brute force; it runs in a fraction of
 * the flow's time.
 */
#include "daemon/core/plan_int.h"

#include <stdlib.h>
#include <string.h>

/* The matching between GP-hours (x) and buckets (b), and a BFS over it. */
struct plan_greedy {
	size_t	 nb, nx, ne;
	int	*want, *bflow;		/* per bucket */
	int	*want_all;		/* no-target demand, phase 2 */
	size_t	*x_gh;			/* x to its index in c->gh */
	const size_t *x_of;		/* c->gh index to x, SIZE_MAX: none */
	int	*used, *cap, *forced;	/* per x: units taken, slots */
	/* Edges bucket b to x, with the units b gives x. */
	size_t	*eb, *ex;
	int	*eflow;
	size_t	*b_first, *b_edges;	/* per bucket: its edges */
	size_t	*x_first, *x_edges;	/* per x: its edges */
	/*
	 * BFS over buckets (0..nb-1) and x's (nb..nb+nx-1). par: for a
	 * bucket, the edge that reached it; for an x, -1 (an entry), an
	 * edge e >= 0 (fed by e's bucket, which gives it up), or -2 - y (a
	 * unit moved from y, another hour of the same GP).
	 */
	size_t	*queue;
	unsigned *seen, stamp;
	/*
	 * Vertices a failed search reached: all their buckets are full and
	 * every path from them stays among them, so no later search of the
	 * phase can get through them either (their flows cannot change:
	 * only augmenting paths change flows). Skipping them keeps the
	 * failed searches linear in all, not in each.
	 */
	unsigned char *dead;
	ptrdiff_t *par;
};

static void
plan_greedy_fini(struct plan_greedy *m)
{
	free(m->want);
	free(m->want_all);
	free(m->bflow);
	free(m->x_gh);
	free(m->used);
	free(m->cap);
	free(m->forced);
	free(m->eb);
	free(m->ex);
	free(m->eflow);
	free(m->b_first);
	free(m->b_edges);
	free(m->x_first);
	free(m->x_edges);
	free(m->queue);
	free(m->seen);
	free(m->dead);
	free(m->par);
}

#define PLAN_ALLOC(p, n)	((p) = calloc((n) + 1, sizeof(*(p))))

/* GPs by sector, and the sectors that cover each sector. */
struct plan_bysec {
	size_t	*first, *gp;		/* gp[first[s] .. first[s + 1]) */
	size_t	*cov_first, *cov;	/* likewise, covers[s * n + cs] */
	size_t	*tmp;			/* one bucket's GPs */
};

static void
plan_bysec_fini(struct plan_bysec *bs)
{
	free(bs->first);
	free(bs->gp);
	free(bs->cov_first);
	free(bs->cov);
	free(bs->tmp);
}

static int
plan_bysec_init(struct plan_bysec *bs, const struct plan_in *in)
{
	size_t ns = in->n_sectors, k = 0;
	size_t *fill;

	memset(bs, 0, sizeof(*bs));
	bs->first = calloc(ns + 2, sizeof(*bs->first));
	bs->gp = calloc(in->n_gps + 1, sizeof(*bs->gp));
	bs->tmp = calloc(in->n_gps + 1, sizeof(*bs->tmp));
	bs->cov_first = calloc(ns + 2, sizeof(*bs->cov_first));
	fill = calloc(ns + 1, sizeof(*fill));
	if (bs->first == NULL || bs->gp == NULL || bs->tmp == NULL ||
	    bs->cov_first == NULL || fill == NULL) {
		free(fill);
		return PLAN_ENOMEM;
	}
	for (size_t p = 0; p < in->n_gps; p++)
		bs->first[in->gps[p].sector + 1]++;
	for (size_t s = 0; s < ns; s++)
		bs->first[s + 1] += bs->first[s];
	for (size_t p = 0; p < in->n_gps; p++) {
		size_t s = in->gps[p].sector;

		bs->gp[bs->first[s] + fill[s]++] = p;
	}
	free(fill);
	for (size_t i = 0; i < ns * ns; i++)
		k += in->covers[i];
	if ((bs->cov = calloc(k + 1, sizeof(*bs->cov))) == NULL)
		return PLAN_ENOMEM;
	k = 0;
	for (size_t s = 0; s < ns; s++) {
		bs->cov_first[s] = k;
		for (size_t cs = 0; cs < ns; cs++)
			if (in->covers[s * ns + cs])
				bs->cov[k++] = cs;
	}
	bs->cov_first[ns] = k;
	return PLAN_OK;
}

static int
plan_size_cmp(const void *a, const void *b)
{
	size_t x = *(const size_t *)a, y = *(const size_t *)b;

	return (x > y) - (x < y);
}

/* The GPs with slots that may cover bucket b, ascending, into bs->tmp. */
static size_t
plan_bucket_gps(const struct plan_ctx *c, struct plan_bysec *bs, size_t b,
    const size_t *x_of)
{
	size_t s = b / PLAN_HOURS, h = b % PLAN_HOURS, n = 0;
	size_t one = s, *list = &one, nl = 1;

	if (c->in->target[b] != PLAN_NO_TARGET) {
		list = bs->cov + bs->cov_first[s];
		nl = bs->cov_first[s + 1] - bs->cov_first[s];
	}
	for (size_t i = 0; i < nl; i++)
		for (size_t k = bs->first[list[i]]; k < bs->first[list[i] + 1];
		    k++)
			if (x_of[bs->gp[k] * PLAN_HOURS + h] != SIZE_MAX)
				bs->tmp[n++] = bs->gp[k];
	if (nl > 1)
		qsort(bs->tmp, n, sizeof(*bs->tmp), plan_size_cmp);
	return n;
}

/* Index the buckets with demand, the GP-hours with slots, the edges. */
static int
plan_greedy_init(struct plan_greedy *m, const struct plan_ctx *c,
    size_t *b_of, size_t *x_of)
{
	const struct plan_in *in = c->in;
	size_t nbuckets = in->n_sectors * PLAN_HOURS, e;
	struct plan_bysec bs;

	memset(m, 0, sizeof(*m));
	if (plan_bysec_init(&bs, in) != PLAN_OK) {
		plan_bysec_fini(&bs);
		return PLAN_ENOMEM;
	}
	for (size_t b = 0; b < nbuckets; b++)
		b_of[b] = c->want[b] > 0 ? m->nb++ : SIZE_MAX;
	for (size_t i = 0; i < in->n_gps * PLAN_HOURS; i++)
		x_of[i] = c->gh[i].n > 0 ? m->nx++ : SIZE_MAX;
	for (size_t b = 0; b < nbuckets; b++)
		if (b_of[b] != SIZE_MAX)
			m->ne += plan_bucket_gps(c, &bs, b, x_of);
	if (!PLAN_ALLOC(m->want, m->nb) || !PLAN_ALLOC(m->bflow, m->nb) ||
	    !PLAN_ALLOC(m->want_all, m->nb) ||
	    !PLAN_ALLOC(m->x_gh, m->nx) || !PLAN_ALLOC(m->used, m->nx) ||
	    !PLAN_ALLOC(m->cap, m->nx) || !PLAN_ALLOC(m->forced, m->nx) ||
	    !PLAN_ALLOC(m->eb, m->ne) ||
	    !PLAN_ALLOC(m->ex, m->ne) || !PLAN_ALLOC(m->eflow, m->ne) ||
	    !PLAN_ALLOC(m->b_first, m->nb + 1) ||
	    !PLAN_ALLOC(m->b_edges, m->ne) ||
	    !PLAN_ALLOC(m->x_first, m->nx + 1) ||
	    !PLAN_ALLOC(m->x_edges, m->ne) ||
	    !PLAN_ALLOC(m->queue, m->nb + m->nx) ||
	    !PLAN_ALLOC(m->seen, m->nb + m->nx) ||
	    !PLAN_ALLOC(m->dead, m->nb + m->nx) ||
	    !PLAN_ALLOC(m->par, m->nb + m->nx)) {
		plan_bysec_fini(&bs);
		return PLAN_ENOMEM;
	}
	for (size_t i = 0; i < in->n_gps * PLAN_HOURS; i++)
		if (x_of[i] != SIZE_MAX) {
			m->x_gh[x_of[i]] = i;
			m->cap[x_of[i]] = (int)c->gh[i].n;
			m->forced[x_of[i]] = c->gh[i].forced;
		}
	m->x_of = x_of;
	/* Edges in bucket order; each bucket's are contiguous. */
	e = 0;
	for (size_t b = 0; b < nbuckets; b++) {
		if (b_of[b] == SIZE_MAX)
			continue;
		/* Sectors without target wait for phase 2. */
		if (c->in->target[b] == PLAN_NO_TARGET)
			m->want_all[b_of[b]] = c->want[b];
		else
			m->want[b_of[b]] = c->want[b];
		m->b_first[b_of[b]] = e;
		for (size_t k = 0, nk = plan_bucket_gps(c, &bs, b, x_of);
		    k < nk; k++) {
			size_t x = x_of[bs.tmp[k] * PLAN_HOURS +
			    b % PLAN_HOURS];

			m->eb[e] = b_of[b];
			m->ex[e] = x;
			m->b_edges[e] = e;
			m->x_first[x + 1]++;
			e++;
		}
	}
	m->b_first[m->nb] = e;
	/* Each x's edges, by counting sort. */
	for (size_t x = 0; x < m->nx; x++)
		m->x_first[x + 1] += m->x_first[x];
	{
		size_t *fill = calloc(m->nx + 1, sizeof(*fill));

		plan_bysec_fini(&bs);
		if (fill == NULL)
			return PLAN_ENOMEM;
		for (size_t k = 0; k < m->ne; k++) {
			size_t x = m->ex[k];

			m->x_edges[m->x_first[x] + fill[x]++] = k;
		}
		free(fill);
	}
	return PLAN_OK;
}

/*
 * Push the other hours of y's GP that have a free slot: y's unit may move
 * there (never a forced one: those stay on their slots).
 */
static void
plan_greedy_siblings(struct plan_greedy *m, size_t y, size_t *tail)
{
	size_t gp = m->x_gh[y] / PLAN_HOURS, nb = m->nb;

	if (m->used[y] <= m->forced[y])
		return;
	for (int h = 0; h < PLAN_HOURS; h++) {
		size_t x = m->x_of[gp * PLAN_HOURS + (size_t)h];

		if (x == SIZE_MAX || x == y || m->used[x] >= m->cap[x] ||
		    m->seen[nb + x] == m->stamp || m->dead[nb + x])
			continue;
		m->seen[nb + x] = m->stamp;
		m->par[nb + x] = -2 - (ptrdiff_t)y;
		m->queue[(*tail)++] = nb + x;
	}
}

/*
 * Match one more unit at one of the x's in entries, without taking a
 * unit from any other GP: a BFS for an augmenting path. From an x, the
 * buckets that may feed it; a bucket with room ends the path; a full
 * bucket leads to the x's it feeds, which must then be fed by another
 * bucket, or whose unit may move to another hour of its GP. Returns the
 * x that took the unit, or SIZE_MAX when none can.
 */
static size_t
plan_greedy_augment(struct plan_greedy *m, const size_t *entries,
    size_t n_entries)
{
	size_t head = 0, tail = 0, nb = m->nb, found = SIZE_MAX;

	if (++m->stamp == 0) {
		memset(m->seen, 0, (m->nb + m->nx) * sizeof(*m->seen));
		m->stamp = 1;
	}
	for (size_t i = 0; i < n_entries; i++) {
		size_t x = entries[i];

		if (m->used[x] < m->cap[x] && m->seen[nb + x] != m->stamp &&
		    !m->dead[nb + x]) {
			m->seen[nb + x] = m->stamp;
			m->par[nb + x] = -1;
			m->queue[tail++] = nb + x;
		}
	}
	while (head < tail && found == SIZE_MAX) {
		size_t v = m->queue[head++];

		if (v >= nb) {		/* an x: the buckets that feed it */
			size_t x = v - nb;

			if (m->par[v] >= 0)	/* given up by its bucket */
				plan_greedy_siblings(m, x, &tail);
			for (size_t k = m->x_first[x]; k < m->x_first[x + 1];
			    k++) {
				size_t e = m->x_edges[k], b = m->eb[e];

				if (m->seen[b] == m->stamp || m->dead[b])
					continue;
				m->seen[b] = m->stamp;
				m->par[b] = (ptrdiff_t)e;
				if (m->bflow[b] < m->want[b]) {
					found = b;
					break;
				}
				m->queue[tail++] = b;
			}
		} else {		/* a full bucket: who it feeds */
			for (size_t e = m->b_first[v]; e < m->b_first[v + 1];
			    e++) {
				size_t x = m->ex[e];

				if (m->eflow[e] == 0 ||
				    m->seen[nb + x] == m->stamp ||
				    m->dead[nb + x])
					continue;
				m->seen[nb + x] = m->stamp;
				m->par[nb + x] = (ptrdiff_t)e;
				m->queue[tail++] = nb + x;
			}
		}
	}
	if (found == SIZE_MAX) {
		for (size_t i = 0; i < tail; i++)
			m->dead[m->queue[i]] = 1;
		return SIZE_MAX;
	}
	/*
	 * Walk back: feed each x from its new bucket; an x that was fed
	 * before gives up its old bucket, an x that took a moved unit
	 * takes it from its sibling, which gives up its old bucket.
	 */
	m->bflow[found]++;
	for (size_t b = found;;) {
		size_t e = (size_t)m->par[b], x = m->ex[e];
		ptrdiff_t how = m->par[nb + x];

		m->eflow[e]++;
		if (how == -1) {
			m->used[x]++;
			return x;
		}
		if (how < -1) {
			size_t y = (size_t)(-2 - how);

			m->used[x]++;
			m->used[y]--;
			x = y;
			how = m->par[nb + y];
		}
		e = (size_t)how;
		m->eflow[e]--;
		b = m->eb[e];
	}
}

/* A min-heap of GPs by the cost of their next slot. */
struct plan_heap {
	size_t	*gp;
	double	*key;
	double	*now;		/* load per weight now: the tie-break */
	size_t	 n;
};

static bool
plan_heap_less(const struct plan_heap *h, size_t i, size_t j)
{
	if (h->key[i] != h->key[j])
		return h->key[i] < h->key[j];
	if (h->now[i] != h->now[j])
		return h->now[i] < h->now[j];
	return h->gp[i] < h->gp[j];	/* still equal: the first GP, always */
}

static void
plan_heap_swap(struct plan_heap *h, size_t i, size_t j)
{
	size_t g = h->gp[i];
	double k = h->key[i], w = h->now[i];

	h->gp[i] = h->gp[j];
	h->key[i] = h->key[j];
	h->now[i] = h->now[j];
	h->gp[j] = g;
	h->key[j] = k;
	h->now[j] = w;
}

static void
plan_heap_push(struct plan_heap *h, size_t gp, double key, double now)
{
	size_t i = h->n++;

	h->gp[i] = gp;
	h->key[i] = key;
	h->now[i] = now;
	while (i > 0 && plan_heap_less(h, i, (i - 1) / 2)) {
		plan_heap_swap(h, i, (i - 1) / 2);
		i = (i - 1) / 2;
	}
}

static size_t
plan_heap_pop(struct plan_heap *h)
{
	size_t top = h->gp[0], i = 0;

	h->n--;
	h->gp[0] = h->gp[h->n];
	h->key[0] = h->key[h->n];
	h->now[0] = h->now[h->n];
	for (;;) {
		size_t l = 2 * i + 1, r = l + 1, s = i;

		if (l < h->n && plan_heap_less(h, l, s))
			s = l;
		if (r < h->n && plan_heap_less(h, r, s))
			s = r;
		if (s == i)
			return top;
		plan_heap_swap(h, i, s);
		i = s;
	}
}

/*
 * The cost of GP p's next slot, having x: the growth of (load + x)^2 /
 * weight, so that the greedy minimizes the same convex sum as
 * plan_flow.c's costs. Among slots of equal cost, the GP whose load per
 * weight is lower now goes first (plan_heap_less), which among plans of
 * equal sum keeps the spread narrower.
 */
static double
plan_next_cost(const struct plan_gp *gp, int x)
{
	return (2.0 * ((double)gp->load + x) + 1) / gp->weight;
}

/*
 * One phase: forced slots not yet matched first (kept anyway), then the
 * cheapest next slot while some demand has room. units[p]: slots GP p
 * holds; loose[x]: forced units at x that match no demand yet.
 */
static double
plan_load_now(const struct plan_gp *gp, int x)
{
	return ((double)gp->load + x) / gp->weight;
}

static void
plan_greedy_phase(struct plan_greedy *m, const struct plan_ctx *c,
    int *units, int *loose, struct plan_heap *heap)
{
	const struct plan_in *in = c->in;
	size_t entries[PLAN_HOURS];
	int64_t room = 0;

	/* New demand (phase 2) may open what the last phase found shut. */
	memset(m->dead, 0, m->nb + m->nx);
	for (size_t b = 0; b < m->nb; b++)
		room += m->want[b] - m->bflow[b];
	for (size_t x = 0; x < m->nx && room > 0; x++) {
		while (loose[x] > 0 && room > 0) {
			m->used[x]--;	/* re-taken by the augmentation */
			if (plan_greedy_augment(m, &x, 1) == SIZE_MAX) {
				m->used[x]++;
				break;
			}
			loose[x]--;
			room--;
		}
	}
	heap->n = 0;
	for (size_t p = 0; p < in->n_gps; p++)
		if (units[p] < plan_gp_limit(c, p) && units[p] < c->gp_n[p])
			plan_heap_push(heap, p, plan_next_cost(&in->gps[p],
			    units[p]), plan_load_now(&in->gps[p], units[p]));
	while (heap->n > 0 && room > 0) {
		size_t p = plan_heap_pop(heap), ne = 0;

		for (int h = 0; h < PLAN_HOURS; h++)
			if (m->x_of[p * PLAN_HOURS + (size_t)h] != SIZE_MAX)
				entries[ne++] = m->x_of[p * PLAN_HOURS +
				    (size_t)h];
		if (plan_greedy_augment(m, entries, ne) == SIZE_MAX)
			continue;	/* p can serve no more this phase */
		room--;
		units[p]++;
		if (units[p] < plan_gp_limit(c, p) && units[p] < c->gp_n[p])
			plan_heap_push(heap, p, plan_next_cost(&in->gps[p],
			    units[p]), plan_load_now(&in->gps[p], units[p]));
	}
}

int
plan_greedy_solve(struct plan_ctx *c, struct plan_out *out)
{
	const struct plan_in *in = c->in;
	size_t nbk = in->n_sectors * PLAN_HOURS, nxk = in->n_gps * PLAN_HOURS;
	size_t *b_of = calloc(nbk + 1, sizeof(*b_of));
	size_t *x_of = calloc(nxk + 1, sizeof(*x_of));
	int *units = calloc(in->n_gps + 1, sizeof(*units));
	int *loose = NULL;
	struct plan_heap heap = { 0 };
	struct plan_greedy m;
	int rc;

	heap.gp = calloc(in->n_gps + 1, sizeof(*heap.gp));
	heap.key = calloc(in->n_gps + 1, sizeof(*heap.key));
	heap.now = calloc(in->n_gps + 1, sizeof(*heap.now));
	if (b_of == NULL || x_of == NULL || units == NULL ||
	    heap.gp == NULL || heap.key == NULL || heap.now == NULL) {
		rc = PLAN_ENOMEM;
		goto out;
	}
	if ((rc = plan_greedy_init(&m, c, b_of, x_of)) != PLAN_OK)
		goto fini;
	if ((loose = calloc(m.nx + 1, sizeof(*loose))) == NULL) {
		rc = PLAN_ENOMEM;
		goto fini;
	}
	/* Forced slots are held from the start, matched or not. */
	for (size_t x = 0; x < m.nx; x++) {
		size_t i = m.x_gh[x];

		m.used[x] = loose[x] = c->gh[i].forced;
		units[i / PLAN_HOURS] += c->gh[i].forced;
	}
	/* Phase 1, the targets; phase 2, sectors without one (DESIGN.md). */
	plan_greedy_phase(&m, c, units, loose, &heap);
	for (size_t b = 0; b < m.nb; b++)
		m.want[b] += m.want_all[b];
	plan_greedy_phase(&m, c, units, loose, &heap);

	for (size_t x = 0; x < m.nx; x++)
		c->gh[m.x_gh[x]].chosen = m.used[x];
	for (size_t b = 0; b < nbk; b++)
		out->covered[b] = b_of[b] != SIZE_MAX ?
		    (int16_t)m.bflow[b_of[b]] : 0;
fini:
	plan_greedy_fini(&m);
out:
	free(b_of);
	free(x_of);
	free(units);
	free(loose);
	free(heap.gp);
	free(heap.key);
	free(heap.now);
	return rc;
}
