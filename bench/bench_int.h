/* Private to the benchmark: measurements, each in a child process. */
#pragma once

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "bench/gen_feeds.h"

/* The horizon: 28 local days from Monday 2026-03-23, across a DST change. */
#define BENCH_YEAR	2026
#define BENCH_MONTH	3
#define BENCH_DAY	23
#define BENCH_DAYS	28		/* territory.horizon_days */
/* CONFIG.md's feeds section, as the daemon runs by default. */
#define BENCH_MAX_BYTES	10485760
#define BENCH_MAX_INST	100000
#define BENCH_TIMEOUT_S	20

enum bench_kind {
	BENCH_FLOOR,		/* libical: parse, iterate each RRULE */
	BENCH_SNPD,		/* the daemon's job: hash, cal_parse */
	BENCH_UNCHANGED,	/* the same bytes again: hash, compare */
	BENCH_KIND_COUNT
};

/* What one child process measures. */
struct bench_run {
	enum bench_kind	 kind;
	size_t		 n;
	enum gen_mix	 mix;
	bool		 is_custom_zone;
	int		 threads;
	uint64_t	 seed;
};

/* What it reports back through a pipe. */
struct bench_res {
	int		 ok;
	double		 total_s;	/* wall time of the timed part */
	double		 med_s, p95_s;	/* per feed */
	double		 gen_mb;	/* RSS once the feeds are generated */
	double		 peak_mb;	/* RSS high-water mark at the end */
	double		 raw_mb;	/* the feeds' bytes */
	double		 avail_mb;	/* the results: arrays and structs */
	long		 parses;	/* cal_parse calls in the timed part */
	long		 unchanged;	/* jobs that found the same bytes */
	long		 failed;	/* feeds not parsed */
	long long	 instances;	/* RRULE instances iterated or made */
	long long	 intervals;	/* kept in the results */
};

const char	*bench_run_kind_name(enum bench_kind kind);
/*
 * Generate the feeds and measure run in a fresh process (fork), so that
 * peaks and caches stay apart; fill res. Returns 0, or -1 when the child
 * failed (said on stderr).
 */
int		 bench_run_child(const struct bench_run *run,
		    struct bench_res *res);
/* The q-quantile (0..1) of v, nearest rank; sorts v. */
double		 bench_run_quantile(double *v, size_t n, double q);

/*
 * Generate the largest corpus, parse it with cal_parse and print what it
 * holds; check that Outlook's feeds mean the same under either zone name
 * (the first n_small). In a child process. Returns 0, or -1.
 */
int		 bench_corpus_check(size_t n, size_t n_small, uint64_t seed);
/* Write n feeds to dir (created if need be). Returns 0, or -1. */
int		 bench_corpus_dump(const char *dir, size_t n, uint64_t seed);
