/* The planner benchmark's measurements at one N: plans, replans, GLPK. */
#include "bench/bench_plan_int.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <time.h>

#include "bench/gen_plan.h"
#include "daemon/core/ivs.h"
#include "daemon/core/plan.h"
#include "daemon/core/win.h"

/* One day's planner input, as plan_days() builds it; the bench's copy. */
struct bench_day {
	struct plan_slot	*slots;
	size_t			 n, cap;
	struct plan_gp		*gps;
	int16_t			*target;
	struct plan_in		 in;
};

/* --- small tools ------------------------------------------------------- */

static double
bench_now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static int
bench_cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return x < y ? -1 : x > y;
}

/* The median of v[0..n) (the lower one for even n); v is left as it was. */
static double
bench_median(const double *v, int n)
{
	double s[BENCH_MAX_REPS];

	memcpy(s, v, (size_t)n * sizeof(*s));
	qsort(s, (size_t)n, sizeof(*s), bench_cmp_double);
	return s[(n - 1) / 2];
}

static void
bench_runs(const char *what, const double *v, int n)
{
	printf("    %-28s runs (ms):", what);
	for (int i = 0; i < n; i++)
		printf(" %.3f", 1e3 * v[i]);
	printf("\n");
}

/* VmRSS now, in MiB, from /proc/self/status; -1 without /proc. */
static double
bench_rss_mb(void)
{
	char line[256];
	long kb = -1;
	FILE *f = fopen("/proc/self/status", "r");

	if (f == NULL)
		return -1;
	while (fgets(line, sizeof(line), f) != NULL)
		if (strncmp(line, "VmRSS:", 6) == 0) {
			kb = strtol(line + 6, NULL, 10);
			break;
		}
	fclose(f);
	return kb < 0 ? -1 : (double)kb / 1024.0;
}

static bool
bench_has(const size_t *v, size_t n, size_t x)
{
	for (size_t i = 0; i < n; i++)
		if (v[i] == x)
			return true;
	return false;
}

static int
bench_res_cmp(const void *a, const void *b)
{
	const struct plan_res *x = a, *y = b;

	if (x->gp != y->gp)
		return x->gp < y->gp ? -1 : 1;
	if (x->start != y->start)
		return x->start < y->start ? -1 : 1;
	return (x->end > y->end) - (x->end < y->end);
}

/* FNV-1a over every reserved slot of the plan: tells two plans apart. */
static uint64_t
bench_hash(const struct plan_day_sum *sum, size_t n_days)
{
	uint64_t h = 0xcbf29ce484222325ull;

	for (size_t d = 0; d < n_days; d++)
		for (size_t i = 0; i < sum[d].n_slots; i++) {
			uint64_t w[3] = { sum[d].slots[i].gp,
			    (uint64_t)sum[d].slots[i].start,
			    (uint64_t)sum[d].slots[i].end };

			for (size_t k = 0; k < 3; k++)
				for (int j = 0; j < 8; j++) {
					h ^= (w[k] >> (8 * j)) & 0xff;
					h *= 0x100000001b3ull;
				}
		}
	return h;
}

/* Every reserved slot of the plan, sorted (gp, start): the next prev. */
static struct plan_res *
bench_all_slots(const struct plan_day_sum *sum, size_t n_days, size_t *n)
{
	struct plan_res *v;
	size_t k = 0;

	*n = 0;
	for (size_t d = 0; d < n_days; d++)
		*n += sum[d].n_slots;
	if ((v = calloc(*n + 1, sizeof(*v))) == NULL)
		return NULL;
	for (size_t d = 0; d < n_days; d++) {
		memcpy(v + k, sum[d].slots, sum[d].n_slots * sizeof(*v));
		k += sum[d].n_slots;
	}
	qsort(v, *n, sizeof(*v), bench_res_cmp);
	return v;
}

/* GP gp's slots in a day's plan. */
static long long
bench_gp_slots(const struct plan_day_sum *sum, uint32_t gp)
{
	long long n = 0;

	for (size_t i = 0; i < sum->n_slots; i++)
		n += sum->slots[i].gp == gp;
	return n;
}

/* Slots in b and not in a (*add), in a and not in b (*del). */
static void
bench_churn(const struct plan_res *a, size_t na, const struct plan_res *b,
    size_t nb, long long *add, long long *del)
{
	size_t i = 0, j = 0;

	*add = *del = 0;
	while (i < na || j < nb) {
		int c = i == na ? 1 : j == nb ? -1 : bench_res_cmp(&a[i],
		    &b[j]);

		if (c == 0) {
			i++;
			j++;
		} else if (c < 0) {
			(*del)++;
			i++;
		} else {
			(*add)++;
			j++;
		}
	}
}

/* --- the planner's input, as the daemon gives it ----------------------- */

static struct plan_days_in
bench_days_in(const struct gen_plan *g)
{
	return (struct plan_days_in){
		.win = &g->win, .n_sectors = g->n_sectors,
		.target = g->target, .covers = g->covers,
		.fairness_days = GEN_PLAN_FAIRNESS, .gps = g->gps,
		.n_gps = g->n_gps, .days = g->days, .n_days = GEN_PLAN_DAYS,
		.now = g->now,
	};
}

/* plan_days() on in, timed; out is filled. Returns the PLAN_E* code. */
static int
bench_plan_days(const struct plan_days_in *in, struct plan_day_sum *out,
    double *s)
{
	double t0 = bench_now();
	int rc = plan_days(in, out);

	*s = bench_now() - t0;
	if (rc != PLAN_OK)
		fprintf(stderr, "bench_plan: plan_days (%zu GPs, %zu days, "
		    "%zu prev): %s\n", in->n_gps, in->n_days, in->n_prev,
		    plan_strerror(rc));
	return rc;
}

/* --- the same inputs built by the bench, then plan_day() alone --------- */

static void
bench_day_fini(struct bench_day *b)
{
	free(b->slots);
	free(b->gps);
	free(b->target);
	memset(b, 0, sizeof(*b));
}

/*
 * Day d's input as plan_days() makes it with no prev, no fixed slot and
 * now at the first day: the grid of each GP in its free time and the
 * window, its load over the fairness window, what its week leaves it.
 * count[p * GEN_PLAN_DAYS + d]: slots of GP p reserved on day d so far.
 */
static int
bench_day_build(const struct gen_plan *g, size_t d, const int *count,
    struct ivs *win, struct bench_day *b)
{
	struct tz_local l;
	int64_t next;
	int kind, h0 = 0, h1 = 0;
	size_t monday;

	tz_to_local(g->win.tz, g->days[d], &l);
	next = tz_from_local(g->win.tz, l.year, l.month, l.day + 1, 0, 0, 0);
	kind = win_is_holiday(&g->win, l.year, l.month, l.day) ? WIN_HOL :
	    l.wday;
	if (win_build(&g->win, g->days[d], next, win) != 0)
		return -1;
	if (win->n > 0) {
		h0 = g->win.start_min / 60;
		h1 = (g->win.end_min + 59) / 60;
	}
	for (size_t s = 0; s < g->n_sectors; s++)
		for (int h = 0; h < PLAN_HOURS; h++)
			b->target[s * PLAN_HOURS + (size_t)h] = h >= h0 &&
			    h < h1 ? g->target[(s * PLAN_DAY_KINDS +
			    (size_t)kind) * PLAN_HOURS + (size_t)h] : 0;
	b->n = 0;
	monday = d - (size_t)((l.wday + 6) % 7);
	for (uint32_t p = 0; p < g->n_gps; p++) {
		const struct plan_gp_rules *r = &g->gps[p];
		const int *c = &count[(size_t)p * GEN_PLAN_DAYS];
		int week = 0;

		if (r->free != NULL && win->n > 0 &&
		    plan_grid(win->v[0].start, win->v[0].end,
		    g->win.start_min, r->slot_s, r->free, p, &b->slots, &b->n,
		    &b->cap) != 0)
			return -1;
		b->gps[p] = (struct plan_gp){ .sector = r->sector,
		    .cap_day = r->cap_day, .weight = r->weight };
		for (size_t k = d > GEN_PLAN_FAIRNESS ? d - GEN_PLAN_FAIRNESS :
		    0; k < d; k++)
			b->gps[p].load += c[k];
		for (size_t k = monday; k < monday + 7 && k < GEN_PLAN_DAYS;
		    k++)
			week += k != d ? c[k] : 0;
		b->gps[p].cap_week_left = r->cap_week == PLAN_NO_CAP ?
		    PLAN_NO_CAP : r->cap_week > week ? r->cap_week - week : 0;
	}
	b->in = (struct plan_in){ .gps = b->gps, .n_gps = g->n_gps,
	    .n_sectors = g->n_sectors, .target = b->target,
	    .covers = g->covers, .slots = b->slots, .n_slots = b->n };
	return 0;
}

/* Whether plan_day()'s answer reserves exactly sum's slots. */
static bool
bench_same_slots(const struct plan_in *in, const struct plan_out *po,
    const struct plan_day_sum *sum)
{
	size_t k = 0;

	for (size_t i = 0; i < in->n_slots; i++) {
		if (!po->reserved[i])
			continue;
		if (k == sum->n_slots || sum->slots[k].gp != in->slots[i].gp ||
		    sum->slots[k].start != in->slots[i].start ||
		    sum->slots[k].end != in->slots[i].end)
			return false;
		k++;
	}
	return k == sum->n_slots && po->n_gap == sum->n_gap;
}

/*
 * The 28 days once more, the bench building each day's input and
 * calling plan_day(): what the inputs cost, what the solver costs, and
 * a check that plan_days() gave the same slots. The flow day's input is
 * kept in *keep when keep is not NULL.
 */
static int
bench_split(const struct gen_plan *g, const struct plan_day_sum *full,
    size_t keep_day, struct bench_day *keep, double *build_s,
    double *day_s, long long *cands, int *same_days)
{
	struct bench_day b = { 0 };
	struct ivs win;
	int *count = calloc(g->n_gps * GEN_PLAN_DAYS + 1, sizeof(*count));
	int rc = -1;

	ivs_init(&win);
	*build_s = *day_s = 0;
	*cands = 0;
	*same_days = 0;
	b.gps = calloc(g->n_gps + 1, sizeof(*b.gps));
	b.target = calloc(g->n_sectors * PLAN_HOURS + 1, sizeof(*b.target));
	if (count == NULL || b.gps == NULL || b.target == NULL)
		goto out;
	for (size_t d = 0; d < GEN_PLAN_DAYS; d++) {
		struct plan_out po;
		double t0 = bench_now(), t1;
		int err;

		if (bench_day_build(g, d, count, &win, &b) != 0)
			goto out;
		t1 = bench_now();
		err = plan_day(&b.in, &po);
		*day_s += bench_now() - t1;
		*build_s += t1 - t0;
		if (err != PLAN_OK) {
			fprintf(stderr, "bench_plan: plan_day (day %zu): %s\n",
			    d, plan_strerror(err));
			goto out;
		}
		*cands += (long long)b.n;
		*same_days += bench_same_slots(&b.in, &po, &full[d]);
		for (size_t i = 0; i < b.n; i++)
			count[(size_t)b.slots[i].gp * GEN_PLAN_DAYS + d] +=
			    po.reserved[i];
		plan_out_fini(&po);
		if (keep != NULL && d == keep_day) {
			*keep = b;
			keep->in.slots = keep->slots;
			keep->in.gps = keep->gps;
			keep->in.target = keep->target;
			keep = NULL;
			b = (struct bench_day){ 0 };
			b.gps = calloc(g->n_gps + 1, sizeof(*b.gps));
			b.target = calloc(g->n_sectors * PLAN_HOURS + 1,
			    sizeof(*b.target));
			if (b.gps == NULL || b.target == NULL)
				goto out;
		}
	}
	rc = 0;
out:
	free(count);
	bench_day_fini(&b);
	ivs_fini(&win);
	return rc;
}

/* --- plan_day against plan_day_flow (GLPK) on one day ------------------ */

/* The flow's objective: the sum over GPs of (load + slots)^2 / weight. */
static double
bench_objective(const struct plan_in *in, const struct plan_out *po)
{
	int *k = calloc(in->n_gps + 1, sizeof(*k));
	bool *has = calloc(in->n_gps + 1, sizeof(*has));
	double sum = 0;

	if (k == NULL || has == NULL) {
		free(k);
		free(has);
		return -1;
	}
	for (size_t i = 0; i < in->n_slots; i++) {
		k[in->slots[i].gp] += po->reserved[i];
		has[in->slots[i].gp] = true;
	}
	for (size_t p = 0; p < in->n_gps; p++)
		if (has[p]) {
			double x = (double)in->gps[p].load + k[p];

			sum += x * x / in->gps[p].weight;
		}
	free(k);
	free(has);
	return sum;
}

static int
bench_covered(const struct plan_in *in, const struct plan_out *po)
{
	int sum = 0;

	for (size_t b = 0; b < in->n_sectors * PLAN_HOURS; b++)
		sum += po->covered[b];
	return sum;
}

/* One solver on the day, reps times; its last answer's figures. */
static int
bench_solve(const struct bench_day *day, int reps,
    int (*solve)(const struct plan_in *, struct plan_out *), double *t,
    int *covered, int *reserved, double *objective)
{
	for (int r = 0; r < reps; r++) {
		struct plan_out po;
		double t0 = bench_now();
		int err = solve(&day->in, &po);

		t[r] = bench_now() - t0;
		if (err != PLAN_OK) {
			fprintf(stderr, "bench_plan: flow day: %s\n",
			    plan_strerror(err));
			return -1;
		}
		*covered = bench_covered(&day->in, &po);
		*reserved = po.n_reserved;
		*objective = bench_objective(&day->in, &po);
		plan_out_fini(&po);
	}
	return 0;
}

/*
 * The greedy's runs first, then GLPK's: a plan_day() right after a GLPK
 * solve finds the allocator's heap churned and takes 2-3 times longer
 * (its per-GP arrays come back as fresh pages), which the daemon, that
 * never runs GLPK, does not see.
 */
static int
bench_flow(const struct bench_day *day, int reps, struct bench_res *res)
{
	double tg[BENCH_MAX_REPS], tf[BENCH_MAX_REPS];

	if (bench_solve(day, reps, plan_day, tg, &res->cov_greedy,
	    &res->res_greedy, &res->obj_greedy) != 0 ||
	    bench_solve(day, reps, plan_day_flow, tf, &res->cov_glpk,
	    &res->res_glpk, &res->obj_glpk) != 0)
		return -1;
	res->flow_cands = (long long)day->n;
	res->flow_greedy_s = bench_median(tg, reps);
	res->flow_glpk_s = bench_median(tf, reps);
	bench_runs("plan_day, flow day", tg, reps);
	bench_runs("plan_day_flow (GLPK)", tf, reps);
	return 0;
}

/* --- replanning after one GP's feed changed ---------------------------- */

/*
 * With the full plan as prev: plan the 28 days again unchanged; change
 * one GP's free time; plan the 28 days, then only the two days whose
 * window its free time changed.
 */
static int
bench_replan(struct gen_plan *g, const struct plan_day_sum *full,
    const struct bench_cfg *c, struct bench_res *res)
{
	struct plan_days_in in = bench_days_in(g);
	struct plan_day_sum out[GEN_PLAN_DAYS];
	struct gen_plan_change ch;
	double ts[BENCH_MAX_REPS], ta[BENCH_MAX_REPS], td[BENCH_MAX_REPS];
	struct plan_res *prev, *now = NULL;
	size_t n_prev, n_now;
	int64_t days[2];
	int rc = -1;

	if ((prev = bench_all_slots(full, GEN_PLAN_DAYS, &n_prev)) == NULL)
		return -1;
	in.prev = prev;
	in.n_prev = n_prev;
	for (int r = 0; r < c->reps; r++) {
		if (bench_plan_days(&in, out, &ts[r]) != PLAN_OK)
			goto out;
		if (r == 0) {
			now = bench_all_slots(out, GEN_PLAN_DAYS, &n_now);
			if (now == NULL)
				goto out;
			bench_churn(prev, n_prev, now, n_now, &res->same_add,
			    &res->same_del);
			free(now);
		}
		plan_days_fini(out, GEN_PLAN_DAYS);
	}
	if (gen_plan_change(g, c->seed, &ch) != 0) {
		fprintf(stderr, "bench_plan: no GP to change\n");
		goto out;
	}
	for (int r = 0; r < c->reps; r++) {
		if (bench_plan_days(&in, out, &ta[r]) != PLAN_OK)
			goto out;
		if (r == 0) {
			now = bench_all_slots(out, GEN_PLAN_DAYS, &n_now);
			if (now == NULL)
				goto out;
			bench_churn(prev, n_prev, now, n_now, &res->churn_add,
			    &res->churn_del);
			free(now);
			res->gp_lost = bench_gp_slots(&full[ch.day_gone],
			    ch.gp);
			res->gp_gained = bench_gp_slots(&out[ch.day_new],
			    ch.gp);
		}
		plan_days_fini(out, GEN_PLAN_DAYS);
	}
	days[0] = g->days[ch.day_gone];
	days[1] = g->days[ch.day_new];
	in.days = days;
	in.n_days = 2;
	for (int r = 0; r < c->reps; r++) {
		if (bench_plan_days(&in, out, &td[r]) != PLAN_OK)
			goto out;
		plan_days_fini(out, 2);
	}
	res->has_replan = true;
	res->same_s = bench_median(ts, c->reps);
	res->replan_s = bench_median(ta, c->reps);
	res->replan_days_s = bench_median(td, c->reps);
	printf("  replan: prev = the full plan (%zu slots); GP %u changed: "
	    "day %zu's afternoon gone (it had %lld slots), 15:00-18:00 on "
	    "day %zu new (%lld slots now)\n", n_prev, ch.gp, ch.day_gone,
	    res->gp_lost, ch.day_new, res->gp_gained);
	bench_runs("replan, nothing changed", ts, c->reps);
	bench_runs("replan, 28 days", ta, c->reps);
	bench_runs("replan, the 2 changed days", td, c->reps);
	rc = 0;
out:
	free(prev);
	return rc;
}

/* --- one N, in its own process ----------------------------------------- */

static void
bench_totals(const struct gen_plan *g, const struct plan_day_sum *sum,
    struct bench_res *res)
{
	for (size_t d = 0; d < GEN_PLAN_DAYS; d++) {
		res->reserved += (long long)sum[d].n_slots;
		res->gap += sum[d].n_gap;
		for (size_t b = 0; b < g->n_sectors * PLAN_HOURS; b++) {
			if (sum[d].target[b] == PLAN_NO_TARGET) {
				res->all_reserved += sum[d].covered[b];
				continue;
			}
			res->target += sum[d].target[b];
			res->met += sum[d].covered[b];
		}
	}
}

int
bench_plan_one(const struct bench_cfg *c, size_t n, struct bench_res *res)
{
	struct plan_day_sum full[GEN_PLAN_DAYS];
	struct bench_day flow_day = { 0 };
	struct gen_plan g;
	struct plan_days_in in;
	struct rusage ru;
	double tfull[BENCH_MAX_REPS], tb[BENCH_MAX_REPS], td[BENCH_MAX_REPS];
	bool has_flow = bench_has(c->flow_ns, c->n_flow, n);
	double t0 = bench_now();
	int rc = -1;

	if (gen_plan_make(c->tz, n, c->seed, &g) != 0)
		return -1;
	res->gen_s = bench_now() - t0;
	res->rss_gen_mb = bench_rss_mb();
	res->n_gps = n;
	res->n_sectors = g.n_sectors;
	in = bench_days_in(&g);
	for (int r = 0; r < c->reps; r++) {
		uint64_t h;

		if (bench_plan_days(&in, full, &tfull[r]) != PLAN_OK)
			goto out;
		h = bench_hash(full, GEN_PLAN_DAYS);
		res->is_stable = r == 0 || (res->is_stable && h == res->hash);
		res->hash = h;
		if (r + 1 < c->reps)
			plan_days_fini(full, GEN_PLAN_DAYS);
	}
	bench_totals(&g, full, res);
	res->full_s = bench_median(tfull, c->reps);
	for (int r = 0; r < c->reps; r++) {
		bool is_last = r + 1 == c->reps;
		long long cands;

		if (bench_split(&g, full, (size_t)c->flow_day, has_flow &&
		    is_last ? &flow_day : NULL, &tb[r], &td[r], &cands,
		    &res->same_days) != 0)
			goto fini;
		res->candidates = cands;
	}
	res->build_s = bench_median(tb, c->reps);
	res->day_s = bench_median(td, c->reps);
	printf("\nN = %zu GPs: %zu sectors (%zu without target), %zu free "
	    "intervals; made in %.3f s, RSS then %.1f MiB\n", n, g.n_sectors,
	    g.n_no_target, g.n_blocks, res->gen_s, res->rss_gen_mb);
	printf("  28 days: %lld candidates, %lld reserved; targets %lld, met "
	    "%lld, gap %lld; %lld reserved in sectors without target\n",
	    res->candidates, res->reserved, res->target, res->met, res->gap,
	    res->all_reserved);
	printf("  plan 0x%016llx, %s; plan_day() on the bench's inputs "
	    "gives plan_days()'s slots on %d of 28 days\n",
	    (unsigned long long)res->hash, res->is_stable ? "the same in "
	    "every run" : "NOT the same in every run", res->same_days);
	bench_runs("plan_days, 28 days", tfull, c->reps);
	bench_runs("inputs built by the bench", tb, c->reps);
	bench_runs("plan_day alone, 28 days", td, c->reps);
	if (has_flow && bench_flow(&flow_day, c->reps, res) != 0)
		goto fini;
	res->has_flow = has_flow;
	if (bench_has(c->replan_ns, c->n_replan, n) &&
	    bench_replan(&g, full, c, res) != 0)
		goto fini;
	getrusage(RUSAGE_SELF, &ru);
	res->peak_mb = (double)ru.ru_maxrss / 1024.0;
	res->ok = 1;
	rc = 0;
fini:
	plan_days_fini(full, GEN_PLAN_DAYS);
out:
	bench_day_fini(&flow_day);
	gen_plan_fini(&g);
	return rc;
}
