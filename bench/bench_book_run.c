/* One run of the booking benchmark: a fresh snpd, each phase in turn. */
#include "bench/bench_book_int.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

double
bb_now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + 1e-9 * (double)ts.tv_nsec;
}

static int
bb_cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return x < y ? -1 : x > y;
}

double
bb_quantile(double *v, size_t n, double q)
{
	size_t k;

	if (n == 0)
		return 0;
	qsort(v, n, sizeof(*v), bb_cmp_double);
	k = (size_t)(q * (double)n + 0.999999);
	return v[k == 0 ? 0 : k > n ? n - 1 : k - 1];
}

/* Print the first errors the clients met; how many in all. */
static long
bb_errors(const struct bb_shm *shm, int n, const char *phase)
{
	long sum = 0;

	for (int i = 0; i < n; i++) {
		if (shm->child[i].errors > 0 && sum == 0)
			fprintf(stderr, "bench_book: %s: %ld errors, first: "
			    "%s\n", phase, shm->child[i].errors,
			    shm->child[i].first_error);
		sum += shm->child[i].errors;
	}
	return sum;
}

/*
 * One search client in a loop, one request at a time, for seconds: its
 * latencies' median and p99 in microseconds; by query kind too when
 * kind_p50 is not NULL.
 */
/* CPU time of process pid so far (all its threads), in clock ticks. */
static long
bb_cpu_ticks(pid_t pid)
{
	char path[64], buf[1024], *p;
	unsigned long ut = 0, st = 0;
	FILE *f;

	snprintf(path, sizeof(path), "/proc/%d/stat", (int)pid);
	if ((f = fopen(path, "r")) == NULL)
		return -1;
	p = fgets(buf, sizeof(buf), f);
	fclose(f);
	/* After the ")" ending comm: state is field 3, utime 14, stime 15. */
	if (p == NULL || (p = strrchr(buf, ')')) == NULL ||
	    sscanf(p + 2, "%*c %*d %*d %*d %*d %*d %*u %*u %*u %*u %*u %lu %lu",
	    &ut, &st) != 2)
		return -1;
	return (long)(ut + st);
}

/*
 * Wait until snpd has used at most one clock tick in each of four
 * quarter-seconds in a row (120 s at most): what a plan or a phase set
 * going (the agendas' export, the WAL's checkpoint) is over before the
 * next phase measures.
 */
static void
bb_wait_idle(pid_t pid)
{
	struct timespec q = { 0, 250 * 1000000 };
	long prev = bb_cpu_ticks(pid), now;
	int quiet = 0;

	for (int i = 0; i < 480 && quiet < 4 && prev >= 0; i++) {
		nanosleep(&q, NULL);
		now = bb_cpu_ticks(pid);
		quiet = now - prev <= 1 ? quiet + 1 : 0;
		prev = now;
	}
}

static enum bb_limit
bb_limit_class(const struct bb_query *q)
{
	return q->limit == 0 ? BB_LIMIT_NONE : q->limit <= 10 ?
	    BB_LIMIT_SMALL : BB_LIMIT_LARGE;
}

/* The median and p99 of the samples of n_lat whose query passes keep. */
static void
bb_quantiles_of(const struct bb_terr *t, const struct bb_shm *shm,
    size_t n_lat, double *v, int kind, int value, double *p50, double *p99)
{
	size_t k = 0;

	for (size_t i = 0; i < n_lat; i++) {
		const struct bb_query *q = &t->q[shm->samples[i].q];
		int of = kind == 0 ? (int)q->scope * 2 + q->is_week :
		    kind == 1 ? (int)bb_limit_class(q) : (int)shm->samples[i].q;

		if (kind < 0 || of == value)
			v[k++] = shm->samples[i].us;
	}
	*p50 = bb_quantile(v, k, 0.5);
	*p99 = bb_quantile(v, k, 0.99);
}

/*
 * One search client in a loop, one request at a time, for seconds: its
 * latencies' median and p99 in microseconds; by kind of search too when
 * r is not NULL.
 */
static int
bb_latency(const struct bb_terr *t, struct bb_shm *shm, const char *url,
    double seconds, double *p50, double *p99, struct bb_res *r,
    long *errors)
{
	struct bb_client c = { .role = BB_SEARCH_LAT, .url = url,
	    .seconds = seconds, .lat_max = shm->max_samples };
	double *v, x;
	size_t n;

	bb_wait_idle(t->snpd);
	if (bb_clients_run(t, shm, &c, 1) != 0)
		return -1;
	*errors += bb_errors(shm, 1, "search latency");
	if ((n = shm->child[0].n_lat) == 0 ||
	    (v = malloc(n * sizeof(*v))) == NULL)
		return -1;
	bb_quantiles_of(t, shm, n, v, -1, 0, p50, p99);
	for (int s = 0; r != NULL && s < BB_SCOPES; s++)
		for (int w = 0; w < 2; w++)
			bb_quantiles_of(t, shm, n, v, 0, s * 2 + w,
			    &r->kind_p50[s][w], &r->kind_p99[s][w]);
	for (int l = 0; r != NULL && l < BB_LIMITS; l++)
		bb_quantiles_of(t, shm, n, v, 1, l, &r->limit_p50[l],
		    &r->limit_p99[l]);
	for (int q = 0; r != NULL && q < t->n_q; q++) {
		bb_quantiles_of(t, shm, n, v, 2, q, &x, &(double){ 0 });
		if (x > r->slow_p50) {
			r->slow_p50 = x;
			r->slow_q = q;
		}
	}
	free(v);
	return 0;
}

/* Requests per second of all the clients, first start to last end. */
static double
bb_rate(const struct bb_shm *shm, int n)
{
	double t0 = shm->child[0].t0, t1 = shm->child[0].t1;
	long done = 0;

	for (int i = 0; i < n; i++) {
		done += shm->child[i].done;
		t0 = shm->child[i].t0 < t0 ? shm->child[i].t0 : t0;
		t1 = shm->child[i].t1 > t1 ? shm->child[i].t1 : t1;
	}
	return t1 > t0 ? (double)done / (t1 - t0) : 0;
}

/* n search clients as fast as they can for seconds: requests a second. */
static int
bb_throughput(const struct bb_terr *t, struct bb_shm *shm, const char *url,
    int n, double seconds, double *rps, long *errors)
{
	struct bb_client c[BB_MAX_CLIENTS] = { 0 };

	for (int i = 0; i < n; i++)
		c[i] = (struct bb_client){ .role = BB_SEARCH_THR, .url = url,
		    .seconds = seconds };
	bb_wait_idle(t->snpd);
	if (bb_clients_run(t, shm, c, n) != 0)
		return -1;
	*errors += bb_errors(shm, n, "search throughput");
	*rps = bb_rate(shm, n);
	return 0;
}

/* n booking clients sharing slots [from, from + count) evenly. */
static void
bb_bookers(const struct bb_terr *t, struct bb_client *c, int n,
    size_t from, size_t count, int key_base, double rate)
{
	for (int i = 0; i < n; i++)
		c[i] = (struct bb_client){ .role = BB_BOOK,
		    .url = t->rep_url, .slot_from = from + count * (size_t)i /
		    (size_t)n, .slot_to = from + count * (size_t)(i + 1) /
		    (size_t)n, .key_base = key_base + i, .rate = rate };
}

/*
 * n clients book count distinct free slots: bookings a second, and the
 * store's writes per commit (sys.status before and after: the group
 * commit's effect).
 */
static int
bb_booking(const struct bb_terr *t, struct bb_shm *shm, int n, size_t from,
    size_t count, double *rps, double *wpc, long *errors)
{
	struct bb_client c[BB_MAX_CLIENTS];
	struct bb_status a, b;
	char phase[64];

	bb_bookers(t, c, n, from, count, 1000 * n, 0);
	bb_wait_idle(t->snpd);
	if (bb_ctl_status(t, &a) != 0 || bb_clients_run(t, shm, c, n) != 0 ||
	    bb_ctl_status(t, &b) != 0)
		return -1;
	snprintf(phase, sizeof(phase), "booking, %d clients", n);
	*errors += bb_errors(shm, n, phase);
	*rps = bb_rate(shm, n);
	*wpc = b.commits > a.commits ? (b.writes - a.writes) /
	    (b.commits - a.commits) : 0;
	return 0;
}

/*
 * The search loop against url while n clients book count slots beside
 * it: the loop's median, p99 and longest, and the bookings a second.
 */
static int
bb_mixed(const struct bb_terr *t, struct bb_shm *shm, const char *url,
    int n, double rate, size_t from, size_t count, double lat[3],
    double *rps, long *m, long *errors)
{
	struct bb_client c[BB_MAX_CLIENTS + 1];
	const struct bb_child_res *s = &shm->child[n];
	double *v;

	bb_bookers(t, c, n, from, count, 100000 + (int)from, rate);
	c[n] = (struct bb_client){ .role = BB_SEARCH_MIXED, .url = url,
	    .seconds = 600, .lat_max = shm->max_samples };
	__atomic_store_n(&shm->bookers_left, n, __ATOMIC_RELEASE);
	bb_wait_idle(t->snpd);
	if (bb_clients_run(t, shm, c, n + 1) != 0)
		return -1;
	*errors += bb_errors(shm, n + 1, "search beside bookings");
	*rps = bb_rate(shm, n);
	if ((*m = (long)s->n_lat) == 0 ||
	    (v = malloc(s->n_lat * sizeof(*v))) == NULL)
		return -1;
	for (size_t i = 0; i < s->n_lat; i++)
		v[i] = shm->samples[i].us;
	lat[0] = bb_quantile(v, s->n_lat, 0.5);
	lat[1] = bb_quantile(v, s->n_lat, 0.99);
	lat[2] = bb_quantile(v, s->n_lat, 1);
	free(v);
	return 0;
}

/* Fisher-Yates with the run's seed: bookings spread over the horizon. */
static void
bb_shuffle(struct bb_shm *shm, uint64_t seed)
{
	char tmp[BB_SLOT_MAX];

	for (size_t i = shm->n_slots; i > 1; i--) {
		size_t j;

		seed = seed * 6364136223846793005ull + 1442695040888963407ull;
		j = (size_t)((seed >> 33) % i);
		memcpy(tmp, shm->slots[i - 1], BB_SLOT_MAX);
		memcpy(shm->slots[i - 1], shm->slots[j], BB_SLOT_MAX);
		memcpy(shm->slots[j], tmp, BB_SLOT_MAX);
	}
}

static int
bb_search_phases(const struct bb_cfg *c, struct bb_terr *t,
    struct bb_shm *shm, struct bb_res *r)
{
	pid_t echo = bb_echo_start(t, shm);
	int rc = -1;

	if (echo < 0)
		return -1;
	if (bb_ctl_echo_ready(t, 10) != 0) {
		fprintf(stderr, "bench_book: the echo server is silent\n");
		goto out;
	}
	/* The echo first, then snpd, for each kind of measurement. */
	if (bb_latency(t, shm, t->echo_url, c->phase_s, &r->echo_p50,
	    &r->echo_p99, NULL, &r->errors) != 0 ||
	    bb_latency(t, shm, t->rep_url, c->phase_s, &r->snpd_p50,
	    &r->snpd_p99, r, &r->errors) != 0 ||
	    bb_throughput(t, shm, t->echo_url, c->search_clients, c->phase_s,
	    &r->echo_rps, &r->errors) != 0 ||
	    bb_throughput(t, shm, t->rep_url, c->search_clients, c->phase_s,
	    &r->snpd_rps, &r->errors) != 0)
		goto out;
	rc = 0;
out:
	bb_stop(echo);
	return rc;
}

/*
 * The booking phases, then (-m mixed) the search loop idle once more and
 * beside bookers. Every phase books slots nobody booked before: each
 * booking phase -k of them (less when half the free slots do not hold
 * them all), the bookers beside the search loop what is left, up to
 * twice -k, half beside the echo server's loop, half beside snpd's.
 */
static int
bb_book_phases(const struct bb_cfg *c, struct bb_terr *t,
    struct bb_shm *shm, struct bb_res *r)
{
	size_t per = (size_t)c->book_per_phase, next = 0, left;
	pid_t echo = -1;
	double rps;
	long m;
	int rc = 0;

	if (c->do_book && per * (size_t)c->n_book > shm->n_slots / 2) {
		per = shm->n_slots / 2 / (size_t)c->n_book;
		fprintf(stderr, "bench_book: %zu free slots: %zu bookings a "
		    "phase\n", shm->n_slots, per);
	}
	/* The disk's pace drifts: a ceiling right before each phase. */
	for (int i = 0; c->do_book && i < c->n_book; i++, next += per) {
		bb_wait_idle(t->snpd);
		if (bb_sql_ceiling(t->dir, c->phase_s, false,
		    &r->raw_phase[i]) != 0 || (i == 0 &&
		    bb_sql_ceiling(t->dir, c->phase_s, true,
		    &r->raw_snpd_tps) != 0) ||
		    bb_booking(t, shm, c->book[i], next, per, &r->book_rps[i],
		    &r->book_wpc[i], &r->errors) != 0)
			return -1;
		r->book_ratio[i] = r->book_rps[i] / r->raw_phase[i];
	}
	if (c->do_book) {
		double v[BB_MAX_BOOK];

		memcpy(v, r->raw_phase, sizeof(v));
		r->raw_tps = bb_quantile(v, (size_t)c->n_book, 0.5);
	}
	left = shm->n_slots - next;
	if (left > 2 * (size_t)c->book_per_phase)
		left = 2 * (size_t)c->book_per_phase;
	r->mixed_booked = (long)next;
	if (c->do_mixed && bb_latency(t, shm, t->rep_url, c->phase_s,
	    &r->after_p50, &r->after_p99, NULL, &r->errors) != 0)
		return -1;
	/*
	 * The same booking load beside the echo server's loop first: what
	 * the bookers' own processes cost the machine, not snpd's loop.
	 */
	if (c->do_mixed && ((echo = bb_echo_start(t, shm)) < 0 ||
	    bb_ctl_echo_ready(t, 10) != 0 || bb_mixed(t, shm, t->echo_url,
	    c->mixed_bookers, c->mixed_rate, next, left / 2, r->mixed_echo,
	    &rps, &m, &r->errors) != 0 || bb_mixed(t, shm, t->rep_url,
	    c->mixed_bookers, c->mixed_rate, next + left / 2,
	    left - left / 2, r->mixed,
	    &r->mixed_book_rps, &r->mixed_n, &r->errors) != 0))
		rc = -1;
	bb_stop(echo);
	return rc;
}

static void
bb_fresh_store(const struct bb_terr *t)
{
	const char *suffix[] = { "", "-wal", "-shm" };
	char path[4200];

	for (int i = 0; i < 3; i++) {
		snprintf(path, sizeof(path), "%s/snpd.db%s", t->dir, suffix[i]);
		unlink(path);
	}
}

int
bb_run(const struct bb_cfg *c, struct bb_terr *t, int run,
    struct bb_shm *shm, struct bb_res *r)
{
	double t0 = bb_now(), *sizes;
	pid_t snpd;
	int status, rc = -1;

	memset(r, 0, sizeof(*r));
	bb_fresh_store(t);
	shm->arena_used = 0;
	if ((snpd = bb_snpd_start(c, t)) < 0)
		return -1;
	t->snpd = snpd;
	if (bb_ctl_ready(t, 600) != 0)
		goto out;
	r->start_s = bb_now() - t0;
	bb_wait_idle(snpd);
	if (bb_ctl_slots(t, shm) != 0 || bb_ctl_replies(t, shm) != 0)
		goto out;
	r->reserved_all = (long)shm->n_slots;
	r->reserved_today = shm->reserved_today;
	r->reserved_week = shm->reserved_week;
	bb_shuffle(shm, c->seed ^ (uint64_t)(run + 1));
	if ((sizes = malloc((size_t)t->n_q * sizeof(*sizes))) == NULL)
		goto out;
	for (int q = 0; q < t->n_q; q++)
		sizes[q] = (double)t->q[q].reply_len;
	r->reply_med_b = bb_quantile(sizes, (size_t)t->n_q, 0.5);
	free(sizes);
	if ((c->do_search && bb_search_phases(c, t, shm, r) != 0) ||
	    ((c->do_book || c->do_mixed) && bb_book_phases(c, t, shm,
	    r) != 0))
		goto out;
	rc = 0;
out:
	status = bb_stop(snpd);
	if (status != 0) {
		fprintf(stderr, "bench_book: snpd exited with status %#x: see "
		    "%s/snpd.log\n", status, t->dir);
		rc = -1;
	}
	r->ok = rc == 0;
	return rc;
}
