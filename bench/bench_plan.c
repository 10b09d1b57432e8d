/* The planner benchmark: plan_days() over 28 days for N GPs, and replans. */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "bench/bench_fork.h"
#include "bench/bench_plan_int.h"
#include "bench/gen_plan.h"
#include "daemon/core/tz.h"

#define BENCH_SEED	20261130u
#define BENCH_REPS	7
#define BENCH_FLOW_DAY	14	/* Monday 2026-12-14: two weeks of loads */

/* bench_plan_one in a fresh process (bench_fork). */
struct bench_child_arg {
	const struct bench_cfg	*c;
	size_t			 n;
};

static int
bench_child_fn(void *arg, void *res)
{
	const struct bench_child_arg *a = arg;
	struct bench_res *r = res;

	(void)bench_plan_one(a->c, a->n, r);
	return r->ok ? 0 : -1;
}

static int
bench_child(const struct bench_cfg *c, size_t n, struct bench_res *res)
{
	struct bench_child_arg a = { .c = c, .n = n };

	if (bench_fork(bench_child_fn, &a, res, sizeof(*res)) != 0 ||
	    !res->ok) {
		fprintf(stderr, "bench_plan: the run at %zu GPs failed\n", n);
		return -1;
	}
	return 0;
}

/* --- the summary --------------------------------------------------------- */

static void
bench_summary(const struct bench_cfg *c, const struct bench_res *v,
    size_t n)
{
	printf("\nSummary, medians of %d runs (ms unless said)\n\n", c->reps);
	double ns0 = 0;

	printf("| GPs | sectors | candidates | reserved | gap | plan_days 28 d"
	    " | ns/candidate | vs first | us/GP-day | bench's inputs "
	    "| plan_day alone | peak RSS MiB |\n"
	    "|---|---|---|---|---|---|---|---|---|---|---|---|\n");
	for (size_t i = 0; i < n; i++) {
		double ns = 1e9 * v[i].full_s / (double)(v[i].candidates > 0 ?
		    v[i].candidates : 1);

		if (i == 0)
			ns0 = ns;
		printf("| %zu | %zu | %lld | %lld | %lld | %.2f | %.0f | "
		    "%.2fx | %.2f | %.2f | %.2f | %.1f |\n", v[i].n_gps,
		    v[i].n_sectors, v[i].candidates, v[i].reserved, v[i].gap,
		    1e3 * v[i].full_s, ns, ns / ns0, 1e6 * v[i].full_s /
		    (double)(v[i].n_gps * GEN_PLAN_DAYS), 1e3 * v[i].build_s,
		    1e3 * v[i].day_s, v[i].peak_mb);
	}
	printf("\n| GPs | replan, no change, 28 d | replan, 1 GP changed, "
	    "28 d | its 2 days only | churn (+/-) | unchanged churn |\n"
	    "|---|---|---|---|---|---|\n");
	for (size_t i = 0; i < n; i++)
		if (v[i].has_replan)
			printf("| %zu | %.2f | %.2f | %.2f | +%lld/-%lld | "
			    "+%lld/-%lld |\n", v[i].n_gps, 1e3 * v[i].same_s,
			    1e3 * v[i].replan_s, 1e3 * v[i].replan_days_s,
			    v[i].churn_add, v[i].churn_del, v[i].same_add,
			    v[i].same_del);
	printf("\n| GPs | day %d candidates | plan_day | plan_day_flow (GLPK) "
	    "| GLPK/greedy | covered | reserved | sum (load+k)^2/w |\n"
	    "|---|---|---|---|---|---|---|---|\n", c->flow_day);
	for (size_t i = 0; i < n; i++)
		if (v[i].has_flow)
			printf("| %zu | %lld | %.3f | %.3f | %.0fx | %d / %d "
			    "| %d / %d | %.1f / %.1f |\n", v[i].n_gps,
			    v[i].flow_cands, 1e3 * v[i].flow_greedy_s,
			    1e3 * v[i].flow_glpk_s, v[i].flow_glpk_s /
			    v[i].flow_greedy_s, v[i].cov_greedy, v[i].cov_glpk,
			    v[i].res_greedy, v[i].res_glpk, v[i].obj_greedy,
			    v[i].obj_glpk);
}

/* --- options ------------------------------------------------------------- */

static void
bench_usage(void)
{
	fprintf(stderr, "usage: bench_plan [-n N,N...] [-R N,N...|none] "
	    "[-F N,N...|none] [-r runs] [-s seed] [-d day]\n"
	    "  -n  GP counts (default 110,500,1000,2000,5000,10000)\n"
	    "  -R  GP counts at which to replan (default 110,2000)\n"
	    "  -F  GP counts at which to compare with GLPK (default "
	    "110,2000)\n"
	    "  -r  runs of each measurement; medians are reported "
	    "(default 7)\n"
	    "  -s  the generator's seed (default 20261130)\n"
	    "  -d  the day (0-27) of the GLPK comparison (default 14)\n");
}

static int
bench_parse_list(const char *s, size_t *v, size_t *n)
{
	*n = 0;
	if (strcmp(s, "none") == 0)
		return 0;
	while (*s != '\0' && *n < BENCH_MAX_NS) {
		char *end;
		unsigned long x = strtoul(s, &end, 10);

		if (end == s || x == 0 || x > 200000 ||
		    (*end != ',' && *end != '\0'))
			return -1;
		v[(*n)++] = x;
		s = *end == ',' ? end + 1 : end;
	}
	return *n > 0 && *s == '\0' ? 0 : -1;
}

int
main(int argc, char **argv)
{
	struct bench_cfg c = { .ns = { 110, 500, 1000, 2000, 5000, 10000 },
	    .n_ns = 6, .replan_ns = { 110, 2000 }, .n_replan = 2,
	    .flow_ns = { 110, 2000 }, .n_flow = 2, .reps = BENCH_REPS,
	    .flow_day = BENCH_FLOW_DAY, .seed = BENCH_SEED };
	struct bench_res res[BENCH_MAX_NS];
	int ch;

	while ((ch = getopt(argc, argv, "n:R:F:r:s:d:h")) != -1) {
		int err = 0;

		switch (ch) {
		case 'n':
			err = bench_parse_list(optarg, c.ns, &c.n_ns) ||
			    c.n_ns == 0;
			break;
		case 'R':
			err = bench_parse_list(optarg, c.replan_ns,
			    &c.n_replan);
			break;
		case 'F':
			err = bench_parse_list(optarg, c.flow_ns, &c.n_flow);
			break;
		case 'r':
			c.reps = atoi(optarg);
			break;
		case 's':
			c.seed = strtoull(optarg, NULL, 0);
			break;
		case 'd':
			c.flow_day = atoi(optarg);
			break;
		default:
			err = 1;
		}
		if (err) {
			bench_usage();
			return 2;
		}
	}
	if (optind != argc || c.reps < 1 || c.reps > BENCH_MAX_REPS ||
	    c.flow_day < 0 || c.flow_day >= GEN_PLAN_DAYS) {
		bench_usage();
		return 2;
	}
	tz_init();
	if ((c.tz = tz_get("Europe/Paris")) == NULL) {
		fprintf(stderr, "bench_plan: no zone Europe/Paris\n");
		return 1;
	}
	printf("bench_plan: seed %llu, %d runs each; horizon %04d-%02d-%02d"
	    " + %d days, Europe/Paris, window 14:00-20:00, fairness %d days;"
	    " one thread\n", (unsigned long long)c.seed, c.reps,
	    GEN_PLAN_YEAR, GEN_PLAN_MONTH, GEN_PLAN_DAY, GEN_PLAN_DAYS,
	    GEN_PLAN_FAIRNESS);
	for (size_t i = 0; i < c.n_ns; i++)
		if (bench_child(&c, c.ns[i], &res[i]) != 0)
			return 1;
	bench_summary(&c, res, c.n_ns);
	tz_shutdown();
	return 0;
}
