/*
 * The booking benchmark: slots.search and booking.create against a real
 * snpd over nanomsg, beside a raw REQ/REP echo server and a raw SQLite
 * commit loop measured in the same runs (README.md, "bench_book").
 */
#include <errno.h>
#include <ftw.h>
#include <getopt.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <sys/vfs.h>
#include <unistd.h>

#include "bench/bench_book_int.h"
#include "daemon/core/tz.h"

#define BB_SEED		20261130u	/* bench_plan's */
#define BB_SAMPLES	(4u << 20)
#define BB_ARENA	(256u << 20)

static const char *const bb_scope_names[] = { "sector", "commune",
	"territory" };
static const char *const bb_limit_names[] = { "limit 5 or 10",
	"no limit (20)", "limit 50 or 100" };

/* "110,2000" into v; the count, or -1. */
static int
bb_list(const char *s, long *v, int max, long lo, long hi)
{
	int n = 0;
	char *end;

	while (*s != '\0' && n < max) {
		errno = 0;
		v[n] = strtol(s, &end, 10);
		if (errno != 0 || end == s || v[n] < lo || v[n] > hi ||
		    (*end != ',' && *end != '\0'))
			return -1;
		n++;
		s = *end == ',' ? end + 1 : end;
	}
	return *s == '\0' ? n : -1;
}

static void
bb_usage(FILE *f)
{
	fprintf(f, "usage: bench_book [-n 110,2000] [-r 5] [-t 2] [-c 4] "
	    "[-b 1,8,32] [-l 8] [-R 0]\n"
	    "                  [-k 1500] [-q 64] [-s SEED] [-m search,book] "
	    "[-D DIR] [-K]\n"
	    "                  [-S SNPD]\n"
	    "  -n  GP counts            -r  runs (fresh snpd each)\n"
	    "  -t  seconds per timed phase\n"
	    "  -c  search clients for throughput\n"
	    "  -b  booking client counts  -l  bookers beside the search loop\n"
	    "  -R  bookings/s of each booker beside the search loop (0: as "
	    "fast as it can)\n"
	    "  -k  bookings per booking phase  -q  searches in the mix\n"
	    "  -m  parts: search (latency, throughput), book (booking "
	    "throughput),\n"
	    "      mixed (search latency beside bookers)\n"
	    "  -D  work directory (the db's filesystem)\n"
	    "  -K  keep the work files    -S  snpd binary (default: the "
	    "build's)\n");
}

/* The build's snpd: ../daemon/snpd from this binary. */
static void
bb_default_snpd(struct bb_cfg *c)
{
	char self[PATH_MAX];
	ssize_t n = readlink("/proc/self/exe", self, sizeof(self) - 1);
	char *slash;

	snprintf(c->snpd, sizeof(c->snpd), "daemon/snpd");
	if (n <= 0)
		return;
	self[n] = '\0';
	if ((slash = strrchr(self, '/')) != NULL)
		*slash = '\0';
	if (snprintf(c->snpd, sizeof(c->snpd), "%s/../daemon/snpd", self) >=
	    (int)sizeof(c->snpd))
		c->snpd[0] = '\0';
}

static int
bb_options(int argc, char **argv, struct bb_cfg *c)
{
	long v[BB_MAX_NS];
	int opt, n;

	*c = (struct bb_cfg){ .ns = { 110, 2000 }, .n_ns = 2, .reps = 5,
	    .phase_s = 2, .search_clients = 4, .book = { 1, 8, 32 },
	    .n_book = 3, .mixed_bookers = 8, .book_per_phase = 1500,
	    .n_queries = 64, .seed = BB_SEED, .do_search = true,
	    .do_book = true, .do_mixed = true };
	bb_default_snpd(c);
	while ((opt = getopt(argc, argv, "n:r:t:c:b:l:R:k:q:s:m:D:KS:h")) != -1) {
		switch (opt) {
		case 'n':
			if ((n = bb_list(optarg, v, BB_MAX_NS, 10,
			    99999)) <= 0)
				goto bad;
			for (int i = 0; i < n; i++)
				c->ns[i] = (size_t)v[i];
			c->n_ns = (size_t)n;
			break;
		case 'b':
			if ((n = bb_list(optarg, v, BB_MAX_BOOK, 1,
			    BB_MAX_CLIENTS)) <= 0)
				goto bad;
			for (int i = 0; i < n; i++)
				c->book[i] = (int)v[i];
			c->n_book = n;
			break;
		case 'r': case 'c': case 'l': case 'k': case 'q':
			if (bb_list(optarg, v, 1, 1, 10000000) != 1)
				goto bad;
			if (opt == 'r')
				c->reps = (int)v[0];
			else if (opt == 'c' || opt == 'l') {
				if (v[0] > BB_MAX_CLIENTS)
					goto bad;
				*(opt == 'c' ? &c->search_clients :
				    &c->mixed_bookers) = (int)v[0];
			} else if (opt == 'k')
				c->book_per_phase = v[0];
			else if (v[0] <= BB_MAX_QUERIES)
				c->n_queries = (int)v[0];
			else
				goto bad;
			break;
		case 't':
			if ((c->phase_s = strtod(optarg, NULL)) <= 0)
				goto bad;
			break;
		case 'R':
			if ((c->mixed_rate = strtod(optarg, NULL)) < 0)
				goto bad;
			break;
		case 's':
			c->seed = strtoull(optarg, NULL, 0);
			break;
		case 'm':
			c->do_search = strstr(optarg, "search") != NULL;
			c->do_book = strstr(optarg, "book") != NULL;
			c->do_mixed = strstr(optarg, "mixed") != NULL;
			if (!c->do_search && !c->do_book && !c->do_mixed)
				goto bad;
			break;
		case 'D':
			snprintf(c->dir, sizeof(c->dir), "%s", optarg);
			break;
		case 'K':
			c->keep = true;
			break;
		case 'S':
			snprintf(c->snpd, sizeof(c->snpd), "%s", optarg);
			break;
		case 'h':
			bb_usage(stdout);
			exit(0);
		default:
			goto bad;
		}
	}
	if (optind == argc)
		return 0;
bad:
	bb_usage(stderr);
	return -1;
}

/* splitmix64 for the query mix. */
static uint64_t
bb_next(uint64_t *s)
{
	uint64_t z = (*s += 0x9e3779b97f4a7c15ull);

	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
	return z ^ (z >> 31);
}

/*
 * The mix: 40 % by sector, 35 % by commune, 25 % over the territory;
 * 55 % over today, 45 % over the week from today; half with no limit
 * (snpd's 20), a quarter with 5 or 10, a quarter with 50 or 100.
 */
static void
bb_queries(struct bb_terr *t, uint64_t seed, int n)
{
	const struct gen_book *g = &t->g;
	uint64_t rng = seed ^ 0x5eedb00cull;

	t->n_q = n;
	for (int i = 0; i < n; i++) {
		struct bb_query *q = &t->q[i];
		int r = (int)(bb_next(&rng) % 100), len;
		int l = (int)(bb_next(&rng) % 100);

		memset(q, 0, sizeof(*q));
		q->scope = r < 40 ? BB_SECTOR : r < 75 ? BB_COMMUNE : BB_ALL;
		q->is_week = bb_next(&rng) % 100 < 45;
		q->limit = l < 50 ? 0 : l < 75 ? (l % 2 ? 5 : 10) :
		    (l % 2 ? 50 : 100);
		len = snprintf(q->args, sizeof(q->args), "{\"from\":"
		    "\"2026-11-30\",\"to\":\"%s\"", q->is_week ? "2026-12-07" :
		    "2026-12-01");
		if (q->scope == BB_SECTOR)
			len += snprintf(q->args + len, sizeof(q->args) -
			    (size_t)len, ",\"sector\":\"%s\"",
			    g->sector[bb_next(&rng) % g->n_sectors]);
		else if (q->scope == BB_COMMUNE)
			len += snprintf(q->args + len, sizeof(q->args) -
			    (size_t)len, ",\"commune\":\"%s\"",
			    g->commune[bb_next(&rng) % g->n_communes]);
		if (q->limit > 0)
			len += snprintf(q->args + len, sizeof(q->args) -
			    (size_t)len, ",\"limit\":%d", q->limit);
		snprintf(q->args + len, sizeof(q->args) - (size_t)len, "}");
	}
}

static int
bb_rm_one(const char *path, const struct stat *st, int flag,
    struct FTW *ftw)
{
	(void)st;
	(void)flag;
	(void)ftw;
	return remove(path);
}

static void
bb_rm_tree(const char *dir)
{
	nftw(dir, bb_rm_one, 16, FTW_DEPTH | FTW_PHYS);
}

static const char *
bb_fs_name(const char *dir)
{
	struct statfs s;

	if (statfs(dir, &s) != 0)
		return "?";
	switch ((unsigned long)s.f_type) {
	case 0xEF53: return "ext4 (or ext2/3)";
	case 0x01021994: return "tmpfs: fsync costs nothing here!";
	case 0x58465342: return "xfs";
	case 0x9123683E: return "btrfs";
	case 0x794c7630: return "overlayfs";
	default: return "other";
	}
}

/* One territory: generate it, then run it c->reps times. */
static int
bb_territory(const struct bb_cfg *c, const struct tz *tz, size_t n_gps,
    struct bb_shm *shm, struct bb_terr *t, struct bb_res *res)
{
	struct gen_book_srv srv;
	char why[512];
	int ok = 0;

	memset(t, 0, sizeof(*t));
	t->n_gps = n_gps;
	if (snprintf(t->dir, sizeof(t->dir), "%s/n%zu", c->dir, n_gps) >=
	    (int)sizeof(t->dir) || strlen(t->dir) + 16 > 100) {
		fprintf(stderr, "bench_book: %s/n%zu: too long for an ipc:// "
		    "socket path\n", c->dir, n_gps);
		return -1;
	}
	if (mkdir(t->dir, 0700) != 0 && errno != EEXIST) {
		fprintf(stderr, "bench_book: %s: %s\n", t->dir,
		    strerror(errno));
		return -1;
	}
	snprintf(t->rep_url, sizeof(t->rep_url), "ipc://%s/snpd.sock", t->dir);
	snprintf(t->pub_url, sizeof(t->pub_url), "ipc://%s/ev.sock", t->dir);
	snprintf(t->echo_url, sizeof(t->echo_url), "ipc://%s/echo.sock",
	    t->dir);
	srv = (struct gen_book_srv){ t->rep_url, t->pub_url, BB_ADMIN_TOKEN,
	    BB_SECR_TOKEN };
	if (gen_book_write(t->dir, tz, n_gps, c->seed, &srv, &t->g, why,
	    sizeof(why)) != 0) {
		fprintf(stderr, "bench_book: %s\n", why);
		return -1;
	}
	bb_queries(t, c->seed, c->n_queries);
	printf("\n## %zu GPs: %zu sectors (%zu without target), %zu "
	    "communes, %zu SNP afternoons in the feeds\n\n", n_gps,
	    t->g.n_sectors, t->g.n_no_target, t->g.n_communes,
	    t->g.n_blocks);
	for (int r = 0; r < c->reps; r++) {
		struct bb_res *x = &res[r];

		if (bb_run(c, t, r, shm, x) != 0) {
			fprintf(stderr, "bench_book: run %d at %zu GPs "
			    "failed\n", r + 1, n_gps);
			continue;
		}
		ok++;
		printf("run %d: ready %.1f s, reserved %ld today, %ld this "
		    "week, %ld in 28 days; reply %.0f B median\n", r + 1,
		    x->start_s, x->reserved_today, x->reserved_week,
		    x->reserved_all, x->reply_med_b);
		if (c->do_search)
			printf("  search p50/p99 us: echo %.0f/%.0f, snpd "
			    "%.0f/%.0f; req/s (%d clients): echo %.0f, snpd "
			    "%.0f (%.2f); slowest: %s %.0f us, %d results\n",
			    x->echo_p50, x->echo_p99, x->snpd_p50, x->snpd_p99,
			    c->search_clients, x->echo_rps, x->snpd_rps,
			    x->snpd_rps / x->echo_rps, t->q[x->slow_q].args,
			    x->slow_p50, t->q[x->slow_q].results);
		if (c->do_book) {
			printf("  raw SQLite with snpd's transaction %.0f "
			    "commits/s\n", x->raw_snpd_tps);
			printf("  booking/s (raw SQLite commits/s just "
			    "before, ratio, writes/commit):");
			for (int i = 0; i < c->n_book; i++)
				printf(" %d: %.0f (%.0f, %.2f, %.1f)",
				    c->book[i], x->book_rps[i],
				    x->raw_phase[i], x->book_ratio[i],
				    x->book_wpc[i]);
			printf("\n");
		}
		if (c->do_mixed)
			printf("  search p50/p99 us after %ld bookings "
			    "%.0f/%.0f; beside %d bookers p50/p99/max: echo "
			    "%.0f/%.0f/%.0f, snpd %.0f/%.0f/%.0f (%ld "
			    "searches, %.0f bookings/s)\n", x->mixed_booked,
			    x->after_p50, x->after_p99, c->mixed_bookers,
			    x->mixed_echo[0], x->mixed_echo[1],
			    x->mixed_echo[2], x->mixed[0], x->mixed[1],
			    x->mixed[2], x->mixed_n, x->mixed_book_rps);
		if (x->errors > 0)
			printf("  %ld requests failed (see stderr)\n",
			    x->errors);
	}
	return ok;
}

/* Median over the ok runs of the double at offset off of struct bb_res. */
static double
bb_med(const struct bb_res *v, int n, size_t off)
{
	double x[64];
	int k = 0;

	for (int i = 0; i < n && k < 64; i++)
		if (v[i].ok)
			x[k++] = *(const double *)(const void *)
			    ((const char *)&v[i] + off);
	return bb_quantile(x, (size_t)k, 0.5);
}

/* Median over the ok runs of a ratio a / b of two fields. */
static double
bb_med_ratio(const struct bb_res *v, int n, size_t a, size_t b)
{
	double x[64];
	int k = 0;

	for (int i = 0; i < n && k < 64; i++)
		if (v[i].ok)
			x[k++] = *(const double *)(const void *)
			    ((const char *)&v[i] + a) /
			    *(const double *)(const void *)
			    ((const char *)&v[i] + b);
	return bb_quantile(x, (size_t)k, 0.5);
}

#define BB_OFF(f)	offsetof(struct bb_res, f)
#define BB_COLS(c)	for (size_t j = 0; j < (c)->n_ns; j++)

static void
bb_summary(const struct bb_cfg *c, struct bb_terr *t, struct bb_res **res)
{
	int n = c->reps;

	printf("\n## Summary: medians of %d runs\n\n|", n);
	BB_COLS(c) printf(" | %zu GPs", t[j].n_gps);
	printf(" |\n|---");
	BB_COLS(c) printf("|---");
	printf("|\n| reserved slots: today / this week / 28 days");
	BB_COLS(c) printf(" | %ld / %ld / %ld", res[j][0].reserved_today,
	    res[j][0].reserved_week, res[j][0].reserved_all);
	printf(" |\n| snpd start to plan ready, s");
	BB_COLS(c) printf(" | %.2f", bb_med(res[j], n, BB_OFF(start_s)));
	printf(" |\n| search reply size, median of the mix, B");
	BB_COLS(c) printf(" | %.0f", bb_med(res[j], n, BB_OFF(reply_med_b)));
	if (c->do_search) {
		printf(" |\n| echo latency p50 / p99, us");
		BB_COLS(c) printf(" | %.0f / %.0f", bb_med(res[j], n,
		    BB_OFF(echo_p50)), bb_med(res[j], n, BB_OFF(echo_p99)));
		printf(" |\n| **search latency p50 / p99, us**");
		BB_COLS(c) printf(" | **%.0f / %.0f**", bb_med(res[j], n,
		    BB_OFF(snpd_p50)), bb_med(res[j], n, BB_OFF(snpd_p99)));
		printf(" |\n| echo throughput, %d clients, req/s",
		    c->search_clients);
		BB_COLS(c) printf(" | %.0f", bb_med(res[j], n,
		    BB_OFF(echo_rps)));
		printf(" |\n| search throughput, %d clients, req/s",
		    c->search_clients);
		BB_COLS(c) printf(" | %.0f", bb_med(res[j], n,
		    BB_OFF(snpd_rps)));
		printf(" |\n| **search / echo** (median of the runs' ratios)");
		BB_COLS(c) printf(" | **%.2f**", bb_med_ratio(res[j], n,
		    BB_OFF(snpd_rps), BB_OFF(echo_rps)));
	}
	if (c->do_book) {
		printf(" |\n| raw SQLite: insert + commit, 1 row a "
		    "transaction, commits/s (before each booking phase)");
		BB_COLS(c) printf(" | %.0f", bb_med(res[j], n,
		    BB_OFF(raw_tps)));
		printf(" |\n| raw SQLite: snpd's transaction (booking and "
		    "audit rows, snpd's schema), commits/s");
		BB_COLS(c) printf(" | %.0f", bb_med(res[j], n,
		    BB_OFF(raw_snpd_tps)));
		for (int i = 0; i < c->n_book; i++) {
			printf(" |\n| booking.create, %d client%s: bookings/s "
			    "(**/ raw**, writes per commit)", c->book[i],
			    c->book[i] > 1 ? "s" : "");
			BB_COLS(c) printf(" | %.0f (**%.2f**, %.1f)",
			    bb_med(res[j], n, BB_OFF(book_rps[i])),
			    bb_med(res[j], n, BB_OFF(book_ratio[i])),
			    bb_med(res[j], n, BB_OFF(book_wpc[i])));
		}
	}
	if (c->do_mixed) {
		printf(" |\n| search latency p50 / p99 after the bookings, "
		    "idle, us");
		BB_COLS(c) printf(" | %.0f / %.0f", bb_med(res[j], n,
		    BB_OFF(after_p50)), bb_med(res[j], n, BB_OFF(after_p99)));
		printf(" |\n| echo latency p50 / p99 beside %d bookers, us",
		    c->mixed_bookers);
		BB_COLS(c) printf(" | %.0f / %.0f", bb_med(res[j], n,
		    BB_OFF(mixed_echo[0])), bb_med(res[j], n,
		    BB_OFF(mixed_echo[1])));
		printf(" |\n| **search latency p50 / p99 beside %d bookers**, "
		    "us", c->mixed_bookers);
		BB_COLS(c) printf(" | **%.0f / %.0f**", bb_med(res[j], n,
		    BB_OFF(mixed[0])), bb_med(res[j], n, BB_OFF(mixed[1])));
		printf(" |\n| longest search beside the bookers, us");
		BB_COLS(c) printf(" | %.0f", bb_med(res[j], n,
		    BB_OFF(mixed[2])));
		printf(" |\n| bookings/s beside the search loop");
		BB_COLS(c) printf(" | %.0f", bb_med(res[j], n,
		    BB_OFF(mixed_book_rps)));
	}
	printf(" |\n");
	if (!c->do_search)
		return;
	printf("\nSearch latency by kind of search, p50 / p99 in us "
	    "(idle, first measurement)\n\n| kind");
	BB_COLS(c) printf(" | %zu GPs", t[j].n_gps);
	printf(" |\n|---");
	BB_COLS(c) printf("|---");
	printf("|\n");
	for (int s = 0; s < BB_SCOPES; s++)
		for (int w = 0; w < 2; w++) {
			printf("| by %s, %s", bb_scope_names[s], w ? "week" :
			    "today");
			BB_COLS(c) printf(" | %.0f / %.0f", bb_med(res[j], n,
			    BB_OFF(kind_p50[s][w])), bb_med(res[j], n,
			    BB_OFF(kind_p99[s][w])));
			printf(" |\n");
		}
	for (int l = 0; l < BB_LIMITS; l++) {
		printf("| %s", bb_limit_names[l]);
		BB_COLS(c) printf(" | %.0f / %.0f", bb_med(res[j], n,
		    BB_OFF(limit_p50[l])), bb_med(res[j], n,
		    BB_OFF(limit_p99[l])));
		printf(" |\n");
	}
}

static struct bb_shm *
bb_shm_new(void)
{
	size_t size = sizeof(struct bb_shm) + 64 +
	    BB_SAMPLES * sizeof(struct bb_sample) + BB_ARENA;
	char *p = mmap(NULL, size, PROT_READ | PROT_WRITE, MAP_SHARED |
	    MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
	struct bb_shm *shm = (struct bb_shm *)(void *)p;

	if (p == MAP_FAILED)
		return NULL;
	shm->samples = (struct bb_sample *)(void *)(p +
	    ((sizeof(*shm) + 63) & ~(size_t)63));
	shm->max_samples = BB_SAMPLES;
	shm->arena = (char *)(shm->samples + BB_SAMPLES);
	shm->arena_cap = BB_ARENA;
	return shm;
}

int
main(int argc, char **argv)
{
	static struct bb_terr terr[BB_MAX_NS];
	struct bb_res *res[BB_MAX_NS] = { 0 };
	const struct tz *tz;
	struct bb_shm *shm;
	struct bb_cfg c;
	bool is_tmp = false;
	int rc = 0;

	if (bb_options(argc, argv, &c) != 0)
		return 2;
	if (access(c.snpd, X_OK) != 0) {
		fprintf(stderr, "bench_book: %s: %s (-S names snpd)\n", c.snpd,
		    strerror(errno));
		return 2;
	}
	if (c.dir[0] == '\0') {
		const char *tmp = getenv("TMPDIR");

		snprintf(c.dir, sizeof(c.dir), "%s/snpd-bench.XXXXXX",
		    tmp != NULL && tmp[0] != '\0' ? tmp : "/tmp");
		if (mkdtemp(c.dir) == NULL) {
			fprintf(stderr, "bench_book: %s: %s\n", c.dir,
			    strerror(errno));
			return 1;
		}
		is_tmp = true;
	} else if (mkdir(c.dir, 0700) != 0 && errno != EEXIST) {
		fprintf(stderr, "bench_book: %s: %s\n", c.dir, strerror(errno));
		return 1;
	}
	tz_init();
	if ((tz = tz_get("Europe/Paris")) == NULL ||
	    (shm = bb_shm_new()) == NULL) {
		fprintf(stderr, "bench_book: no Europe/Paris, or no memory\n");
		return 1;
	}
	printf("# bench_book: %ld CPUs online; work directory %s on %s\n",
	    sysconf(_SC_NPROCESSORS_ONLN), c.dir, bb_fs_name(c.dir));
	printf("# %d runs; phases of %.1f s; %d search clients; booking "
	    "clients", c.reps, c.phase_s, c.search_clients);
	for (int i = 0; i < c.n_book; i++)
		printf("%s%d", i ? "," : " ", c.book[i]);
	printf(", %ld bookings each; %d bookers beside the search loop",
	    c.book_per_phase, c.mixed_bookers);
	if (c.mixed_rate > 0)
		printf(" at %g bookings/s each", c.mixed_rate);
	printf("; %d searches in the mix; seed %llu\n", c.n_queries,
	    (unsigned long long)c.seed);
	for (size_t i = 0; i < c.n_ns; i++) {
		if ((res[i] = calloc((size_t)c.reps, sizeof(*res[i]))) ==
		    NULL || bb_territory(&c, tz, c.ns[i], shm, &terr[i],
		    res[i]) < c.reps)
			rc = 1;
	}
	bb_summary(&c, terr, res);
	for (size_t i = 0; i < c.n_ns; i++) {
		if (!c.keep && terr[i].dir[0] != '\0')
			bb_rm_tree(terr[i].dir);
		gen_book_fini(&terr[i].g);
		free(res[i]);
	}
	if (is_tmp && !c.keep)
		rmdir(c.dir);
	else if (c.keep)
		printf("\nkept: %s\n", c.dir);
	tz_shutdown();
	return rc;
}
