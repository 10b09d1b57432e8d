/* The planner as one min-cost flow on GLPK: the reference for the greedy. */
#include "daemon/core/plan_int.h"

#include <math.h>
#include <stddef.h>
#include <stdlib.h>

#include <glpk.h>

/*
 * Costs. A unit of demand left uncovered goes source to sink at
 * PLAN_COST_UNMET, dearer than any path through a GP, so the flow first
 * covers all it can (priority 1); a unit of a sector without target
 * ("every candidate") costs less uncovered, so real targets come first. Among those flows, the k-th slot of the
 * day for GP g costs PLAN_SCALE * (2 (load + k) - 1) / weight: the
 * marginal cost of (load + reserved)^2 / weight, convex, whose minimum
 * spreads load per weight as evenly as caps allow (priority 2).
 */
#define PLAN_SCALE		100.0
#define PLAN_COST_UNMET		4e8	/* a target's unit left uncovered */
#define PLAN_COST_UNMET_ALL	2e8	/* a no-target sector's unit */
#define PLAN_MAX_UNIT_COST	1e8

struct plan_vdata {
	double	rhs;		/* supply (+) or demand (-) */
};

struct plan_adata {
	double	low, cap, cost, x;
};

/* Vertices of the graph, by what they stand for. */
struct plan_graph {
	glp_graph	*g;
	int		 source, sink;
	/*
	 * Forced slots' own source, with a free way to the sink: a forced
	 * slot that covers demand saves a unit of the dear bypass, one that
	 * covers none costs nothing.
	 */
	int		 forced;
	int		 all;		/* source of no-target demand */
	int		*gh_v;		/* n_gps * PLAN_HOURS, 0: none */
	int		*bucket_v;	/* n_sectors * PLAN_HOURS */
};

static void
plan_arc(glp_graph *g, int from, int to, double low, double cap,
    double cost)
{
	struct plan_adata *d = glp_add_arc(g, from, to)->data;

	d->low = low;
	d->cap = cap;
	d->cost = cost;
	d->x = 0;
}

static void
plan_flow_gps(const struct plan_ctx *c, struct plan_graph *pg,
    double *forced)
{
	const struct plan_in *in = c->in;
	glp_graph *g = pg->g;

	for (size_t p = 0; p < in->n_gps; p++) {
		const struct plan_gp *gp = &in->gps[p];
		int v, limit;

		if (c->gp_n[p] == 0)
			continue;
		v = glp_add_vertices(g, 1);
		limit = plan_gp_limit(c, p);
		for (int k = 1; k <= limit; k++) {
			double cost = PLAN_SCALE *
			    (2.0 * ((double)gp->load + k) - 1) / gp->weight;

			plan_arc(g, v, pg->sink, 0, 1, round(fmin(cost,
			    PLAN_MAX_UNIT_COST)));
		}
		for (int h = 0; h < PLAN_HOURS; h++) {
			const struct plan_gh *gh = plan_gh_of(c, p, h);
			int w;

			if (gh->n == 0)
				continue;
			w = pg->gh_v[p * PLAN_HOURS + (size_t)h] =
			    glp_add_vertices(g, 1);
			plan_arc(g, w, v, gh->forced, (double)gh->n, 0);
			/* Forced slots flow even where no demand wants them. */
			if (gh->forced > 0) {
				plan_arc(g, pg->forced, w, 0, gh->forced, 0);
				*forced += gh->forced;
			}
		}
	}
}

static void
plan_flow_buckets(const struct plan_ctx *c, struct plan_graph *pg,
    double *supply, double *supply_all)
{
	const struct plan_in *in = c->in;

	for (size_t b = 0; b < in->n_sectors * PLAN_HOURS; b++) {
		size_t s = b / PLAN_HOURS;
		int h = (int)(b % PLAN_HOURS), v;

		if (c->want[b] == 0)
			continue;
		v = pg->bucket_v[b] = glp_add_vertices(pg->g, 1);
		if (in->target[b] == PLAN_NO_TARGET) {
			plan_arc(pg->g, pg->all, v, 0, c->want[b], 0);
			supply_all[0] += c->want[b];
		} else {
			plan_arc(pg->g, pg->source, v, 0, c->want[b], 0);
			*supply += c->want[b];
		}
		for (size_t p = 0; p < in->n_gps; p++) {
			const struct plan_gh *gh = plan_gh_of(c, p, h);

			if (gh->n > 0 && plan_may_cover(c, s, h,
			    in->gps[p].sector))
				plan_arc(pg->g, v,
				    pg->gh_v[p * PLAN_HOURS + (size_t)h], 0,
				    (double)gh->n, 0);
		}
	}
}

/* The sum of the flow leaving vertex v. */
static int
plan_flow_out(glp_graph *g, int v)
{
	int x = 0;

	for (glp_arc *a = g->v[v]->out; a != NULL; a = a->t_next)
		x += (int)lround(((struct plan_adata *)a->data)->x);
	return x;
}

int
plan_flow_solve(struct plan_ctx *c, struct plan_out *out)
{
	const struct plan_in *in = c->in;
	struct plan_graph pg = { 0 };
	double supply = 0, supply_all = 0, forced = 0, cost;
	int rc = PLAN_OK;

	pg.gh_v = calloc(in->n_gps * PLAN_HOURS + 1, sizeof(*pg.gh_v));
	pg.bucket_v = calloc(in->n_sectors * PLAN_HOURS + 1,
	    sizeof(*pg.bucket_v));
	if (pg.gh_v == NULL || pg.bucket_v == NULL) {
		rc = PLAN_ENOMEM;
		goto out;
	}
	glp_term_out(GLP_OFF);	/* GLPK would print on our stdout */
	pg.g = glp_create_graph(sizeof(struct plan_vdata),
	    sizeof(struct plan_adata));
	pg.source = glp_add_vertices(pg.g, 1);
	pg.sink = glp_add_vertices(pg.g, 1);
	pg.forced = glp_add_vertices(pg.g, 1);
	pg.all = glp_add_vertices(pg.g, 1);
	plan_flow_gps(c, &pg, &forced);
	plan_flow_buckets(c, &pg, &supply, &supply_all);
	/* What cannot be covered goes around, at a price. */
	plan_arc(pg.g, pg.source, pg.sink, 0, supply, PLAN_COST_UNMET);
	plan_arc(pg.g, pg.all, pg.sink, 0, supply_all, PLAN_COST_UNMET_ALL);
	plan_arc(pg.g, pg.forced, pg.sink, 0, forced, 0);
	((struct plan_vdata *)pg.g->v[pg.source]->data)->rhs = supply;
	((struct plan_vdata *)pg.g->v[pg.all]->data)->rhs = supply_all;
	((struct plan_vdata *)pg.g->v[pg.forced]->data)->rhs = forced;
	((struct plan_vdata *)pg.g->v[pg.sink]->data)->rhs = -supply -
	    supply_all - forced;
	/*
	 * Out-of-kilter: Debian's GLPK 5.0 ships glp_mincost_relax4()
	 * disabled ("licensing problems"), and it aborts when called.
	 */
	if (glp_mincost_okalg(pg.g, offsetof(struct plan_vdata, rhs),
	    offsetof(struct plan_adata, low), offsetof(struct plan_adata, cap),
	    offsetof(struct plan_adata, cost), &cost,
	    offsetof(struct plan_adata, x), -1) != 0) {
		rc = PLAN_ESOLVER;
		goto out;
	}
	for (size_t i = 0; i < in->n_gps * PLAN_HOURS; i++)
		if (pg.gh_v[i] != 0)
			c->gh[i].chosen = plan_flow_out(pg.g, pg.gh_v[i]);
	for (size_t b = 0; b < in->n_sectors * PLAN_HOURS; b++)
		out->covered[b] = pg.bucket_v[b] != 0 ?
		    (int16_t)plan_flow_out(pg.g, pg.bucket_v[b]) : 0;
out:
	if (pg.g != NULL)
		glp_delete_graph(pg.g);
	free(pg.gh_v);
	free(pg.bucket_v);
	return rc;
}
