/* The feed benchmark: snpd's parse+expand against libical's own floor. */
#include <getopt.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <libical/ical.h>

#include "bench/bench_int.h"
#include "bench/gen_feeds.h"

#define BENCH_SEED	20260323u
#define BENCH_REPS	5
#define BENCH_THREADS	2		/* the machines have two cores */
#define BENCH_MAX_NS	8

/* The options of the whole run. */
struct bench_cfg {
	size_t		 ns[BENCH_MAX_NS];
	size_t		 n_ns;
	int		 reps;
	int		 threads;
	uint64_t	 seed;
	bool		 do_check, do_main, do_zones;
	unsigned	 kinds;		/* bit k: run bench_kind k */
	const char	*dump_dir;
};

/* --- reporting --------------------------------------------------------- */

static double
bench_median(const struct bench_res *v, int n, size_t off)
{
	double x[64];

	for (int i = 0; i < n && i < 64; i++)
		x[i] = *(const double *)((const char *)&v[i] + off);
	return bench_run_quantile(x, (size_t)(n < 64 ? n : 64), 0.5);
}

#define MED(v, n, field)	bench_median(v, n, offsetof(struct bench_res, \
				    field))

static void
bench_spread(const char *what, const struct bench_res *v, int n)
{
	printf("    %-9s runs (s):", what);
	for (int i = 0; i < n; i++)
		printf(" %.3f", v[i].total_s);
	printf("\n");
}

static void
bench_print(enum bench_kind kind, const struct bench_res *v, int reps,
    size_t n)
{
	if (kind == BENCH_UNCHANGED) {
		printf("  unchanged total %8.3f ms  per feed median %7.2f us"
		    "  p95 %7.2f us   cal_parse calls %ld   unchanged %ld/%zu"
		    "\n", 1e3 * MED(v, reps, total_s),
		    1e6 * MED(v, reps, med_s), 1e6 * MED(v, reps, p95_s),
		    v[0].parses, v[0].unchanged, n);
		return;
	}
	printf("  %-9s total %8.3f s   per feed median %7.2f ms  p95 %7.2f ms"
	    "   peak RSS %6.1f MiB   %s %lld\n", bench_run_kind_name(kind),
	    MED(v, reps, total_s), 1e3 * MED(v, reps, med_s),
	    1e3 * MED(v, reps, p95_s), MED(v, reps, peak_mb),
	    kind == BENCH_FLOOR ? "RRULE instances" : "instances",
	    v[0].instances);
}

/* Floor, snpd and an unchanged refresh at each N, reps interleaved. */
static int
bench_main(const struct bench_cfg *c)
{
	struct bench_res res[BENCH_KIND_COUNT][64];
	int reps = c->reps > 64 ? 64 : c->reps;
	bool has_floor = c->kinds >> BENCH_FLOOR & 1;
	bool has_snpd = c->kinds >> BENCH_SNPD & 1;

	for (size_t k = 0; k < c->n_ns; k++) {
		double ratio[64];

		for (int r = 0; r < reps; r++)
			for (int kind = 0; kind < BENCH_KIND_COUNT; kind++) {
				struct bench_run run = { .kind = kind,
				    .n = c->ns[k], .mix = GEN_MIX_REAL,
				    .threads = c->threads, .seed = c->seed };

				if (!(c->kinds >> kind & 1))
					continue;
				if (bench_run_child(&run, &res[kind][r]) != 0)
					return -1;
			}
		printf("\nN = %zu GPs, %d threads, medians of %d runs "
		    "(a fresh process each)\n", c->ns[k], c->threads, reps);
		for (int kind = 0; kind < BENCH_KIND_COUNT; kind++)
			if (c->kinds >> kind & 1)
				bench_print(kind, res[kind], reps, c->ns[k]);
		if (has_floor && has_snpd) {
			for (int r = 0; r < reps; r++)
				ratio[r] = res[BENCH_SNPD][r].total_s /
				    res[BENCH_FLOOR][r].total_s;
			printf("  ratio     snpd/floor %.2f (median of the "
			    "runs' ratios; ratio of the medians %.2f)\n",
			    bench_run_quantile(ratio, (size_t)reps, 0.5),
			    MED(res[BENCH_SNPD], reps, total_s) /
			    MED(res[BENCH_FLOOR], reps, total_s));
		}
		if (has_snpd)
			printf("  memory    peak RSS %.1f MiB holding every "
			    "feed's bytes (%.1f MiB) and result (%.2f MiB, "
			    "%lld intervals); %.1f MiB before parsing; %ld "
			    "feeds failed\n",
			    MED(res[BENCH_SNPD], reps, peak_mb),
			    MED(res[BENCH_SNPD], reps, raw_mb),
			    MED(res[BENCH_SNPD], reps, avail_mb),
			    res[BENCH_SNPD][0].intervals,
			    MED(res[BENCH_SNPD], reps, gen_mb),
			    res[BENCH_SNPD][0].failed);
		for (int kind = 0; kind < BENCH_KIND_COUNT; kind++)
			if (c->kinds >> kind & 1)
				bench_spread(bench_run_kind_name(kind),
				    res[kind], reps);
		fflush(stdout);
	}
	return 0;
}

/*
 * Outlook's zone by a name cal_ maps to a built-in zone, against a name
 * it does not know, whose VTIMEZONE (from 1601) must be expanded.
 */
static int
bench_zones(const struct bench_cfg *c)
{
	static const struct {
		const char	*name;
		enum bench_kind	 kind;
		bool		 is_custom;
	} cases[] = {
		{ "floor, Romance Standard Time", BENCH_FLOOR, false },
		{ "snpd,  Romance Standard Time", BENCH_SNPD, false },
		{ "floor, Customized Time Zone ", BENCH_FLOOR, true },
		{ "snpd,  Customized Time Zone ", BENCH_SNPD, true },
	};
	struct bench_res res[4][64];
	int reps = c->reps > 64 ? 64 : c->reps;
	size_t n = c->ns[c->n_ns - 1];

	for (int r = 0; r < reps; r++)
		for (size_t k = 0; k < 4; k++) {
			struct bench_run run = { .kind = cases[k].kind, .n = n,
			    .mix = GEN_MIX_OUTLOOK,
			    .is_custom_zone = cases[k].is_custom,
			    .threads = c->threads, .seed = c->seed };

			if (!(c->kinds >> cases[k].kind & 1))
				continue;
			if (bench_run_child(&run, &res[k][r]) != 0)
				return -1;
		}
	printf("\nZones: %zu Outlook feeds, %d threads, medians of %d runs\n",
	    n, c->threads, reps);
	for (size_t k = 0; k < 4; k++) {
		if (!(c->kinds >> cases[k].kind & 1))
			continue;
		printf("  %s  total %8.3f s   per feed median %7.2f ms  p95 "
		    "%7.2f ms\n", cases[k].name, MED(res[k], reps, total_s),
		    1e3 * MED(res[k], reps, med_s),
		    1e3 * MED(res[k], reps, p95_s));
		bench_spread("", res[k], reps);
	}
	if (c->kinds >> BENCH_SNPD & 1)
		printf("  snpd, embedded zone expanded / mapped: %.2fx\n",
		    MED(res[3], reps, total_s) / MED(res[1], reps, total_s));
	if ((c->kinds >> BENCH_SNPD & 1) && (c->kinds >> BENCH_FLOOR & 1))
		printf("  snpd/floor: mapped %.2f, embedded %.2f\n",
		    MED(res[1], reps, total_s) / MED(res[0], reps, total_s),
		    MED(res[3], reps, total_s) / MED(res[2], reps, total_s));
	fflush(stdout);
	return 0;
}

static void
bench_usage(void)
{
	fprintf(stderr, "usage: bench_feeds [-n N,N...] [-r reps] [-t threads]"
	    " [-s seed] [-m check,main,zones] [-k floor,snpd,unchanged]"
	    " [-d dir]\n"
	    "  -n  feed counts (default 110,2000)\n"
	    "  -r  runs of each measurement, each a fresh process "
	    "(default 5)\n"
	    "  -t  threads for the floor and snpd (default 2)\n"
	    "  -m  what to run (default all): check the corpus, the main "
	    "table, the zones' cost\n"
	    "  -k  which measurements to run, in the main table and the "
	    "zones' (default all)\n"
	    "  -d  write the largest N's feeds to dir and stop\n");
}

static int
bench_parse_list(const char *s, struct bench_cfg *c)
{
	c->n_ns = 0;
	while (*s != '\0' && c->n_ns < BENCH_MAX_NS) {
		char *end;
		unsigned long v = strtoul(s, &end, 10);

		if (end == s || v == 0 || v > 100000)
			return -1;
		c->ns[c->n_ns++] = v;
		s = *end == ',' ? end + 1 : end;
		if (*end != ',' && *end != '\0')
			return -1;
	}
	return c->n_ns > 0 ? 0 : -1;
}

int
main(int argc, char **argv)
{
	struct bench_cfg c = { .ns = { 110, 2000 }, .n_ns = 2,
	    .reps = BENCH_REPS, .threads = BENCH_THREADS, .seed = BENCH_SEED,
	    .do_check = true, .do_main = true, .do_zones = true,
	    .kinds = (1u << BENCH_KIND_COUNT) - 1 };
	int ch;

	while ((ch = getopt(argc, argv, "n:r:t:s:m:k:d:h")) != -1) {
		switch (ch) {
		case 'n':
			if (bench_parse_list(optarg, &c) != 0) {
				bench_usage();
				return 2;
			}
			break;
		case 'r':
			c.reps = atoi(optarg);
			break;
		case 't':
			c.threads = atoi(optarg);
			break;
		case 's':
			c.seed = strtoull(optarg, NULL, 0);
			break;
		case 'm':
			c.do_check = strstr(optarg, "check") != NULL;
			c.do_main = strstr(optarg, "main") != NULL;
			c.do_zones = strstr(optarg, "zones") != NULL;
			break;
		case 'k':
			c.kinds = 0;
			for (int k = 0; k < BENCH_KIND_COUNT; k++)
				if (strstr(optarg,
				    bench_run_kind_name(k)) != NULL)
					c.kinds |= 1u << k;
			break;
		case 'd':
			c.dump_dir = optarg;
			break;
		default:
			bench_usage();
			return 2;
		}
	}
	if (c.reps < 1 || c.reps > 64 || c.threads < 1 || c.threads > 16 ||
	    c.kinds == 0) {
		bench_usage();
		return 2;
	}
	if (c.dump_dir != NULL)
		return bench_corpus_dump(c.dump_dir, c.ns[c.n_ns - 1],
		    c.seed) == 0 ? 0 : 1;
	printf("bench_feeds: libical %d.%d.%d, seed %llu, %d threads, %d runs"
	    " each; horizon %04d-%02d-%02d + %d days\n", ICAL_MAJOR_VERSION,
	    ICAL_MINOR_VERSION, ICAL_PATCH_VERSION,
	    (unsigned long long)c.seed, c.threads, c.reps, BENCH_YEAR,
	    BENCH_MONTH, BENCH_DAY, BENCH_DAYS);
	if ((c.do_check && bench_corpus_check(c.ns[c.n_ns - 1], c.ns[0],
	    c.seed) != 0) ||
	    (c.do_main && bench_main(&c) != 0) ||
	    (c.do_zones && bench_zones(&c) != 0))
		return 1;
	return 0;
}
