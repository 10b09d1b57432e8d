/* The planner: which candidate SNP slots of a day become reserved. */
#include "daemon/core/plan.h"

#include <math.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>

#include <glpk.h>

/*
 * Costs of the flow. A unit of demand left uncovered goes source to sink
 * at PLAN_COST_UNMET, dearer than any path through a GP, so the flow
 * first covers all it can (priority 1). Among those flows, the k-th slot
 * of the day for GP g costs PLAN_SCALE * (2 (load + k) - 1) / weight:
 * the marginal cost of ((load + reserved) / weight)^2 · weight, convex,
 * whose minimum is the most even spread of load per weight (priority 2;
 * a separable convex minimum over such flows is lexicographically
 * optimal, Fujishige 1980).
 */
#define PLAN_SCALE		100.0
#define PLAN_COST_UNMET		1e8
#define PLAN_MAX_UNIT_COST	5e7

struct plan_vdata {
	double	rhs;		/* supply (+) or demand (-) */
};

struct plan_adata {
	double	low, cap, cost, x;
};

static const char *const plan_errs[PLAN_ERR_COUNT] = {
#define X(code, msg) [code] = msg,
	PLAN_ERRORS(X)
#undef X
};

const char *
plan_strerror(int err)
{
	return err >= 0 && err < PLAN_ERR_COUNT ? plan_errs[err] : "error";
}

void
plan_out_fini(struct plan_out *out)
{
	free(out->reserved);
	free(out->covered);
	free(out->gap);
	memset(out, 0, sizeof(*out));
}

/* Per GP and hour: its slots (a run of in->slots) and what is forced. */
struct plan_gh {
	size_t	first, n;	/* slots [first, first + n) in the hour */
	int	forced;		/* KEPT and FIXED among them */
	int	vertex;		/* in the graph, 0 if none */
	int	chosen;		/* slots to reserve, from the flow */
};

struct plan_ctx {
	const struct plan_in	*in;
	struct plan_gh		*gh;		/* n_gps * PLAN_HOURS */
	int			*gp_vertex;	/* n_gps */
	int			*bucket_vertex;	/* n_sectors * PLAN_HOURS */
	glp_graph		*g;
};

static glp_arc *
plan_arc(glp_graph *g, int from, int to, double low, double cap,
    double cost)
{
	glp_arc *a = glp_add_arc(g, from, to);
	struct plan_adata *d = a->data;

	d->low = low;
	d->cap = cap;
	d->cost = cost;
	d->x = 0;
	return a;
}

static int
plan_vertex(glp_graph *g)
{
	return glp_add_vertices(g, 1);
}

static struct plan_gh *
plan_gh_of(struct plan_ctx *c, size_t gp, int hour)
{
	return &c->gh[gp * PLAN_HOURS + (size_t)hour];
}

/* Group the slots by GP and hour; check the input's order. */
static int
plan_group(struct plan_ctx *c)
{
	const struct plan_in *in = c->in;

	for (size_t i = 0; i < in->n_slots; i++) {
		const struct plan_slot *s = &in->slots[i];
		struct plan_gh *gh;

		if (s->gp >= in->n_gps || s->hour >= PLAN_HOURS ||
		    s->end <= s->start ||
		    in->gps[s->gp].sector >= in->n_sectors)
			return PLAN_EINPUT;
		if (i > 0 && (in->slots[i - 1].gp > s->gp ||
		    (in->slots[i - 1].gp == s->gp &&
		    in->slots[i - 1].start >= s->start)))
			return PLAN_EINPUT;	/* not sorted by (gp, start) */
		gh = plan_gh_of(c, s->gp, s->hour);
		if (gh->n == 0)
			gh->first = i;
		else if (gh->first + gh->n != i)
			return PLAN_EINPUT;	/* hours out of order */
		gh->n++;
		gh->forced += s->state != PLAN_CANDIDATE;
	}
	return PLAN_OK;
}

/* How many slots GP g may take today: caps, but never under forced. */
static int
plan_gp_limit(const struct plan_gp *gp, int n_slots, int forced)
{
	int k = n_slots;

	if (gp->cap_day != PLAN_NO_CAP && gp->cap_day < k)
		k = gp->cap_day;
	if (gp->cap_week_left != PLAN_NO_CAP && gp->cap_week_left < k)
		k = gp->cap_week_left;
	return k < forced ? forced : k;
}

/* The graph: source, sink, buckets, GP-hours, GPs; see the file head. */
static int
plan_build(struct plan_ctx *c, int *source, int *sink)
{
	const struct plan_in *in = c->in;
	size_t ns = in->n_sectors;
	double supply = 0;
	glp_graph *g = c->g;

	*source = plan_vertex(g);
	*sink = plan_vertex(g);

	/* GPs and their hours; the convex cost arcs to the sink. */
	for (size_t p = 0; p < in->n_gps; p++) {
		const struct plan_gp *gp = &in->gps[p];
		int n = 0, forced = 0, limit;

		for (int h = 0; h < PLAN_HOURS; h++) {
			n += (int)plan_gh_of(c, p, h)->n;
			forced += plan_gh_of(c, p, h)->forced;
		}
		if (n == 0)
			continue;
		if (!(gp->weight > 0) || !isfinite(gp->weight))
			return PLAN_EINPUT;
		c->gp_vertex[p] = plan_vertex(g);
		limit = plan_gp_limit(gp, n, forced);
		for (int k = 1; k <= limit; k++) {
			double cost = PLAN_SCALE *
			    (2.0 * ((double)gp->load + k) - 1) / gp->weight;

			if (cost > PLAN_MAX_UNIT_COST)
				cost = PLAN_MAX_UNIT_COST;
			plan_arc(g, c->gp_vertex[p], *sink, 0, 1, round(cost));
		}
		for (int h = 0; h < PLAN_HOURS; h++) {
			struct plan_gh *gh = plan_gh_of(c, p, h);

			if (gh->n == 0)
				continue;
			gh->vertex = plan_vertex(g);
			plan_arc(g, gh->vertex, c->gp_vertex[p], gh->forced,
			    (double)gh->n, 0);
			/*
			 * Forced slots must flow even where no demand wants
			 * them: a free way in from the source.
			 */
			if (gh->forced > 0) {
				plan_arc(g, *source, gh->vertex, 0, gh->forced,
				    0);
				supply += gh->forced;
			}
		}
	}

	/* Demand: a bucket per sector and hour, fed by the source. */
	for (size_t s = 0; s < ns; s++) {
		for (int h = 0; h < PLAN_HOURS; h++) {
			int16_t t = in->target[s * PLAN_HOURS + (size_t)h];
			bool is_all = t == PLAN_NO_TARGET;
			double want = 0;
			int b;

			if (t == 0)
				continue;
			if (t < PLAN_NO_TARGET)
				return PLAN_EINPUT;
			/* No target: all of the sector's own candidates. */
			for (size_t p = 0; p < in->n_gps; p++)
				if (in->gps[p].sector == s)
					want += (double)plan_gh_of(c, p, h)->n;
			if (!is_all)
				want = t;
			if (want == 0)
				continue;
			b = plan_vertex(g);
			c->bucket_vertex[s * PLAN_HOURS + (size_t)h] = b;
			plan_arc(g, *source, b, 0, want, 0);
			supply += want;
			for (size_t p = 0; p < in->n_gps; p++) {
				struct plan_gh *gh = plan_gh_of(c, p, h);
				uint32_t cs = in->gps[p].sector;

				if (gh->n == 0 || (is_all && cs != s) ||
				    !in->covers[s * ns + cs])
					continue;
				plan_arc(g, b, gh->vertex, 0, (double)gh->n, 0);
			}
		}
	}
	/* What cannot be covered goes around, at a price. */
	plan_arc(g, *source, *sink, 0, supply, PLAN_COST_UNMET);
	((struct plan_vdata *)g->v[*source]->data)->rhs = supply;
	((struct plan_vdata *)g->v[*sink]->data)->rhs = -supply;
	return PLAN_OK;
}

/* Read the flow: slots per GP-hour, coverage per bucket. */
static void
plan_read(struct plan_ctx *c, struct plan_out *out)
{
	const struct plan_in *in = c->in;

	for (size_t p = 0; p < in->n_gps; p++) {
		for (int h = 0; h < PLAN_HOURS; h++) {
			struct plan_gh *gh = plan_gh_of(c, p, h);
			glp_arc *a;

			if (gh->vertex == 0)
				continue;
			for (a = c->g->v[gh->vertex]->out; a != NULL;
			    a = a->t_next)
				gh->chosen += (int)lround(
				    ((struct plan_adata *)a->data)->x);
		}
	}
	for (size_t b = 0; b < in->n_sectors * PLAN_HOURS; b++) {
		glp_arc *a;
		int16_t t = in->target[b];
		int cov = 0;

		if (c->bucket_vertex[b] != 0)
			for (a = c->g->v[c->bucket_vertex[b]]->out; a != NULL;
			    a = a->t_next)
				cov += (int)lround(
				    ((struct plan_adata *)a->data)->x);
		out->covered[b] = (int16_t)cov;
		out->gap[b] = t > cov ? (int16_t)(t - cov) : 0;
		out->n_gap += out->gap[b];
	}
}

/* Does slot i of the plan touch a reserved slot of the same GP? */
static bool
plan_touches(const struct plan_in *in, const bool *reserved, size_t i)
{
	const struct plan_slot *s = &in->slots[i];

	return (i > 0 && reserved[i - 1] && in->slots[i - 1].gp == s->gp &&
	    in->slots[i - 1].end == s->start) ||
	    (i + 1 < in->n_slots && reserved[i + 1] &&
	    in->slots[i + 1].gp == s->gp && in->slots[i + 1].start == s->end);
}

/*
 * Which of a GP-hour's slots: the forced ones, then the candidates that
 * extend a reserved run (the GP's slots are in time order, so runs go
 * across hours); with none to extend, the latest slot when the next hour
 * also wants some (to meet it), else the earliest.
 */
static void
plan_choose(struct plan_ctx *c, size_t p, int h, bool *reserved)
{
	const struct plan_in *in = c->in;
	struct plan_gh *gh = plan_gh_of(c, p, h);
	int left = gh->chosen;
	bool next_wants = h + 1 < PLAN_HOURS &&
	    plan_gh_of(c, p, h + 1)->chosen > 0;

	for (size_t i = gh->first; i < gh->first + gh->n; i++)
		if (in->slots[i].state != PLAN_CANDIDATE) {
			reserved[i] = true;
			left--;
		}
	while (left > 0) {
		size_t pick = SIZE_MAX;

		for (size_t i = gh->first; i < gh->first + gh->n; i++)
			if (!reserved[i] && plan_touches(in, reserved, i)) {
				pick = i;
				break;
			}
		for (size_t k = 0; pick == SIZE_MAX && k < gh->n; k++) {
			size_t i = next_wants ? gh->first + gh->n - 1 - k :
			    gh->first + k;

			if (!reserved[i])
				pick = i;
		}
		if (pick == SIZE_MAX)
			break;
		reserved[pick] = true;
		left--;
	}
}

int
plan_day(const struct plan_in *in, struct plan_out *out)
{
	struct plan_ctx c = { .in = in };
	size_t nb = in->n_sectors * PLAN_HOURS;
	int source = 0, sink = 0, rc;
	double cost;

	memset(out, 0, sizeof(*out));
	out->reserved = calloc(in->n_slots + 1, sizeof(*out->reserved));
	out->covered = calloc(nb + 1, sizeof(*out->covered));
	out->gap = calloc(nb + 1, sizeof(*out->gap));
	c.gh = calloc(in->n_gps * PLAN_HOURS + 1, sizeof(*c.gh));
	c.gp_vertex = calloc(in->n_gps + 1, sizeof(*c.gp_vertex));
	c.bucket_vertex = calloc(nb + 1, sizeof(*c.bucket_vertex));
	if (out->reserved == NULL || out->covered == NULL ||
	    out->gap == NULL || c.gh == NULL || c.gp_vertex == NULL ||
	    c.bucket_vertex == NULL) {
		rc = PLAN_ENOMEM;
		goto out;
	}
	if ((rc = plan_group(&c)) != PLAN_OK)
		goto out;

	/* GLPK's messages would go to our stdout: never. */
	glp_term_out(GLP_OFF);
	c.g = glp_create_graph(sizeof(struct plan_vdata),
	    sizeof(struct plan_adata));
	if ((rc = plan_build(&c, &source, &sink)) != PLAN_OK)
		goto out;
	/*
	 * Out-of-kilter: Debian's GLPK 5.0 ships glp_mincost_relax4()
	 * disabled ("licensing problems"), and it aborts when called.
	 */
	if (glp_mincost_okalg(c.g, offsetof(struct plan_vdata, rhs),
	    offsetof(struct plan_adata, low), offsetof(struct plan_adata, cap),
	    offsetof(struct plan_adata, cost), &cost,
	    offsetof(struct plan_adata, x), -1) != 0) {
		rc = PLAN_ESOLVER;
		goto out;
	}
	plan_read(&c, out);
	for (size_t p = 0; p < in->n_gps; p++)
		for (int h = 0; h < PLAN_HOURS; h++)
			if (plan_gh_of(&c, p, h)->chosen > 0)
				plan_choose(&c, p, h, out->reserved);
	for (size_t i = 0; i < in->n_slots; i++)
		out->n_reserved += out->reserved[i];
out:
	if (c.g != NULL)
		glp_delete_graph(c.g);
	free(c.gh);
	free(c.gp_vertex);
	free(c.bucket_vertex);
	if (rc != PLAN_OK)
		plan_out_fini(out);
	return rc;
}

int
plan_grid(int64_t window_start, int64_t window_end, int window_min,
    int slot_s, const struct ivs *free, uint32_t gp, struct plan_slot **v,
    size_t *n, size_t *cap)
{
	if (slot_s <= 0)
		return -1;
	for (int64_t s = window_start; s + slot_s <= window_end; s += slot_s) {
		if (!ivs_covers(free, s, s + slot_s))
			continue;
		if (*n == *cap) {
			size_t ncap = *cap ? *cap * 2 : 64;
			struct plan_slot *nv = realloc(*v, ncap * sizeof(*nv));

			if (nv == NULL)
				return -1;
			*v = nv;
			*cap = ncap;
		}
		(*v)[(*n)++] = (struct plan_slot){
			.start = s, .end = s + slot_s, .gp = gp,
			.hour = (uint8_t)(((int64_t)window_min * 60 +
			    (s - window_start)) / 3600 % PLAN_HOURS),
			.state = PLAN_CANDIDATE,
		};
	}
	return 0;
}
