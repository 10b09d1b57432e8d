/* One measurement in a fresh process: the floor, snpd's job, a refresh. */
#include "bench/bench_int.h"

#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "bench/bench_fork.h"

#include <libical/ical.h>

#include "bench/gen_feeds.h"
#include "daemon/core/cal.h"
#include "daemon/core/tz.h"
#include "daemon/feed_int.h"

static const char *const bench_kind_names[BENCH_KIND_COUNT] = {
	"floor", "snpd", "unchanged",
};

/* Work shared by the threads of one timed part. */
struct bench_pool {
	atomic_size_t		 next;
	size_t			 n;
	void			(*one)(struct bench_pool *p, size_t i);
	const struct gen_feed	*feeds;
	struct feed_job		*jobs;
	int64_t			 end_wall;	/* the floor's bound */
	double			*feed_s;
	atomic_llong		 instances;
	atomic_long		 failed;
};

/*
 * Every cal_parse call comes through here: bench/meson.build links with
 * -Wl,--wrap=cal_parse, so that the unchanged refresh can show that it
 * parsed nothing. A process-wide counter, hence a global.
 */
static atomic_long bench_parses;

int	__real_cal_parse(const char *text, size_t len,
	    const struct cal_opts *opts, struct cal_avail *out, char *why,
	    size_t whylen);
int	__wrap_cal_parse(const char *text, size_t len,
	    const struct cal_opts *opts, struct cal_avail *out, char *why,
	    size_t whylen);

int
__wrap_cal_parse(const char *text, size_t len, const struct cal_opts *opts,
    struct cal_avail *out, char *why, size_t whylen)
{
	atomic_fetch_add_explicit(&bench_parses, 1, memory_order_relaxed);
	return __real_cal_parse(text, len, opts, out, why, whylen);
}

const char *
bench_run_kind_name(enum bench_kind kind)
{
	return kind < BENCH_KIND_COUNT ? bench_kind_names[kind] : "?";
}

static double
bench_now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* A /proc/self/status figure ("VmHWM", "VmRSS") in MiB. */
static double
bench_status_mb(const char *key)
{
	size_t kl = strlen(key);
	char line[256];
	long kb = -1;
	FILE *f = fopen("/proc/self/status", "r");

	if (f != NULL) {
		while (fgets(line, sizeof(line), f) != NULL)
			if (strncmp(line, key, kl) == 0 && line[kl] == ':') {
				kb = strtol(line + kl + 1, NULL, 10);
				break;
			}
		fclose(f);
	}
	if (kb < 0) {		/* no /proc: the peak is all we can have */
		struct rusage ru;

		getrusage(RUSAGE_SELF, &ru);
		kb = ru.ru_maxrss;
	}
	return (double)kb / 1024.0;
}

static int
bench_cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return x < y ? -1 : x > y;
}

double
bench_run_quantile(double *v, size_t n, double q)
{
	size_t k;

	if (n == 0)
		return 0;
	qsort(v, n, sizeof(*v), bench_cmp_double);
	k = (size_t)(q * (double)n + 0.999999);
	return v[k > 0 ? (k <= n ? k - 1 : n - 1) : 0];
}

/* --- the timed parts, run on the pool ---------------------------------- */

static void *
bench_worker(void *arg)
{
	struct bench_pool *p = arg;
	size_t i;

	while ((i = atomic_fetch_add(&p->next, 1)) < p->n) {
		double t0 = bench_now();

		p->one(p, i);
		p->feed_s[i] = bench_now() - t0;
	}
	return NULL;
}

/* Run p->one over every feed on that many threads; the wall time. */
static double
bench_pool_run(struct bench_pool *p, int threads)
{
	pthread_t th[16];
	int n = threads < 1 ? 1 : threads > 16 ? 16 : threads, started = 0;
	double t0;

	atomic_store(&p->next, 0);
	t0 = bench_now();
	while (started < n && pthread_create(&th[started], NULL, bench_worker,
	    p) == 0)
		started++;
	if (started == 0)
		bench_worker(p);
	for (int i = 0; i < started; i++)
		pthread_join(th[i], NULL);
	return bench_now() - t0;
}

/* Wall-clock seconds of a time's fields, as if UTC: no zone, no libc. */
static int64_t
bench_wall(struct icaltimetype t)
{
	int y = t.year - (t.month <= 2), m = t.month;
	int64_t era = (y >= 0 ? y : y - 399) / 400, yoe = y - era * 400;
	int64_t doy = (153 * (m > 2 ? m - 3 : m + 9) + 2) / 5 + t.day - 1;
	int64_t days = era * 146097 + yoe * 365 + yoe / 4 - yoe / 100 + doy -
	    719468;

	return days * 86400 + t.hour * 3600 + t.minute * 60 + t.second;
}

/*
 * The floor: what any program on libical pays for the same answer's
 * input, parsing the text and stepping each RRULE from its DTSTART to
 * the horizon's end (wall clock), with no zone arithmetic at all.
 */
static void
bench_floor_one(struct bench_pool *p, size_t i)
{
	icalcomponent *root = icalparser_parse_string(p->feeds[i].text), *c;
	long long n = 0;

	if (root == NULL) {
		atomic_fetch_add(&p->failed, 1);
		return;
	}
	for (c = icalcomponent_get_first_component(root, ICAL_VEVENT_COMPONENT);
	    c != NULL; c = icalcomponent_get_next_component(root,
	    ICAL_VEVENT_COMPONENT)) {
		icalproperty *rr = icalcomponent_get_first_property(c,
		    ICAL_RRULE_PROPERTY);
		icalproperty *ds = icalcomponent_get_first_property(c,
		    ICAL_DTSTART_PROPERTY);
		struct icaltimetype t0, x;
		icalrecur_iterator *it;

		if (rr == NULL || ds == NULL)
			continue;
		t0 = icalproperty_get_dtstart(ds);
		t0.zone = NULL;		/* fields only, as cal_expand does */
		it = icalrecur_iterator_new(icalproperty_get_rrule(rr), t0);
		if (it == NULL)
			continue;
		for (x = icalrecur_iterator_next(it);
		    !icaltime_is_null_time(x) && bench_wall(x) < p->end_wall;
		    x = icalrecur_iterator_next(it))
			n++;
		icalrecur_iterator_free(it);
	}
	icalcomponent_free(root);
	atomic_fetch_add(&p->instances, n);
}

/* snpd: the daemon's own pool job, feed_job_work (daemon/feed_job.c). */
static void
bench_job_one(struct bench_pool *p, size_t i)
{
	feed_job_work(&p->jobs[i].req);
}

/* --- one measurement, in a child process ------------------------------- */

static double
bench_avail_mb(const struct feed_job *jobs, size_t n, long long *intervals)
{
	size_t bytes = 0;

	*intervals = 0;
	for (size_t i = 0; i < n; i++) {
		const struct cal_avail *a = &jobs[i].avail;
		const struct ivs *s[] = { &a->offered_snp, &a->offered_oncall,
			&a->busy, &a->absent };

		bytes += sizeof(*a);
		for (size_t k = 0; k < 4; k++) {
			bytes += s[k]->cap * sizeof(struct ivs_iv);
			*intervals += (long long)s[k]->n;
		}
	}
	return (double)bytes / 1048576.0;
}

/* The jobs of a first fetch, or of a refresh with the hashes seen then. */
static void
bench_jobs_init(struct feed_job *jobs, const struct gen_feed *feeds, size_t n,
    struct feed_params *params, const struct feed_job *before)
{
	for (size_t i = 0; i < n; i++) {
		struct feed_job *j = &jobs[i];

		memset(j, 0, sizeof(*j));
		j->params = params;
		j->origin = FEED_FROM_HTTP;
		j->text = feeds[i].text;	/* the generator's: not freed */
		j->len = feeds[i].len;
		j->skip_hash = before != NULL ? before[i].hash : 0;
	}
}

static int
bench_measure(const struct bench_run *run, struct bench_res *r)
{
	struct gen_opts go = { .seed = run->seed, .mix = run->mix,
	    .is_custom_zone = run->is_custom_zone, .year = BENCH_YEAR,
	    .month = BENCH_MONTH, .day = BENCH_DAY, .days = BENCH_DAYS };
	char m0[] = "SNP", m1[] = "ASTREINTE", m2[] = "ONCALL",
	    m3[] = "ABSENCE", m4[] = "CONGES", m5[] = "CONGÉS",
	    m6[] = "VACANCES";
	char *markers[] = { m0, m1, m2, m3, m4, m5, m6 };
	struct feed_params params = { .refs = 1, .markers = markers,
	    .n_snp = 1, .n_oncall = 2, .n_absent = 4,
	    .max_bytes = BENCH_MAX_BYTES, .max_instances = BENCH_MAX_INST,
	    .timeout_s = BENCH_TIMEOUT_S, .generation = 1 };
	struct bench_pool p = { .n = run->n };
	struct gen_feed *feeds = NULL;
	struct feed_job *jobs = NULL, *again = NULL;
	const struct tz *paris;
	size_t raw = 0;

	if (gen_feeds(&go, run->n, &feeds) != 0)
		return -1;
	for (size_t i = 0; i < run->n; i++)
		raw += feeds[i].len;
	r->raw_mb = (double)raw / 1048576.0;
	r->gen_mb = bench_status_mb("VmRSS");
	p.feeds = feeds;
	p.feed_s = calloc(run->n > 0 ? run->n : 1, sizeof(*p.feed_s));
	if (p.feed_s == NULL)
		return -1;
	tz_init();			/* libical errors are not fatal */

	if (run->kind == BENCH_FLOOR) {
		struct tm tm = { .tm_year = BENCH_YEAR - 1900,
		    .tm_mon = BENCH_MONTH - 1,
		    .tm_mday = BENCH_DAY + BENCH_DAYS };

		p.end_wall = (int64_t)timegm(&tm);
		p.one = bench_floor_one;
		r->total_s = bench_pool_run(&p, run->threads);
		r->instances = atomic_load(&p.instances);
		r->failed = atomic_load(&p.failed);
		goto done;
	}

	/* As the daemon starts: the territory's zone, then the known ones. */
	if ((paris = tz_get("Europe/Paris")) == NULL)
		return -1;
	cal_zones_preload(paris);
	params.tz = paris;
	params.from_utc = tz_from_local(paris, BENCH_YEAR, BENCH_MONTH,
	    BENCH_DAY, 0, 0, 0);
	params.to_utc = tz_from_local(paris, BENCH_YEAR, BENCH_MONTH,
	    BENCH_DAY + BENCH_DAYS, 0, 0, 0);
	if ((jobs = calloc(run->n > 0 ? run->n : 1, sizeof(*jobs))) == NULL)
		return -1;
	bench_jobs_init(jobs, feeds, run->n, &params, NULL);
	p.jobs = jobs;
	p.one = bench_job_one;
	atomic_store(&bench_parses, 0);
	r->total_s = bench_pool_run(&p, run->threads);
	r->parses = atomic_load(&bench_parses);

	if (run->kind == BENCH_UNCHANGED) {
		/* The next refresh brings the same bytes: a new set of jobs. */
		again = calloc(run->n > 0 ? run->n : 1, sizeof(*again));
		if (again == NULL)
			return -1;
		bench_jobs_init(again, feeds, run->n, &params, jobs);
		p.jobs = again;
		atomic_store(&bench_parses, 0);
		r->total_s = bench_pool_run(&p, run->threads);
		r->parses = atomic_load(&bench_parses);
		for (size_t i = 0; i < run->n; i++)
			r->unchanged += again[i].is_unchanged;
	}
	for (size_t i = 0; i < run->n; i++) {
		r->failed += jobs[i].err != CAL_OK;
		r->instances += jobs[i].avail.instances;
	}
	/* Every feed's bytes and result are held at this point. */
	r->avail_mb = bench_avail_mb(jobs, run->n, &r->intervals);
done:
	r->peak_mb = bench_status_mb("VmHWM");
	r->med_s = bench_run_quantile(p.feed_s, run->n, 0.5);
	r->p95_s = bench_run_quantile(p.feed_s, run->n, 0.95);
	/* The process ends here: the OS takes the rest back at once. */
	return 0;
}

/* bench_measure in the child of bench_fork. */
static int
bench_run_child_fn(void *arg, void *res)
{
	struct bench_res *r = res;

	r->ok = bench_measure(arg, r) == 0;
	return 0;
}

int
bench_run_child(const struct bench_run *run, struct bench_res *res)
{
	if (bench_fork(bench_run_child_fn, (void *)run, res,
	    sizeof(*res)) != 0 || !res->ok) {
		fprintf(stderr, "bench: %s n=%zu: the child failed\n",
		    bench_kind_names[run->kind], run->n);
		return -1;
	}
	return 0;
}

