/* The benchmark's corpus: what was generated, and whether cal_ reads it. */
#include "bench/bench_int.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "bench/gen_feeds.h"
#include "daemon/core/cal.h"
#include "daemon/core/tz.h"

static size_t
bench_count(const char *text, const char *needle)
{
	size_t n = 0, k = strlen(needle);

	for (const char *p = text; (p = strstr(p, needle)) != NULL; p += k)
		n++;
	return n;
}

static int
bench_corpus_check_child(size_t n, size_t n_small, uint64_t seed)
{
	struct gen_opts go = { .seed = seed, .mix = GEN_MIX_REAL,
	    .year = BENCH_YEAR, .month = BENCH_MONTH, .day = BENCH_DAY,
	    .days = BENCH_DAYS };
	struct cal_opts o = { .max_bytes = BENCH_MAX_BYTES,
	    .max_instances = BENCH_MAX_INST };
	static const char *const snp[] = { "SNP" };
	static const char *const oncall[] = { "ASTREINTE", "ONCALL" };
	static const char *const absent[] = { "ABSENCE", "CONGES", "CONGÉS",
		"VACANCES" };
	size_t styles[GEN_STYLE_COUNT] = { 0 }, bad = 0, warn = 0, differ = 0;
	size_t with_snp = 0, with_oncall = 0, with_absent = 0;
	double *sizes = calloc(n, sizeof(*sizes));
	double rrules = 0, exdates = 0, rids = 0, events = 0, inst = 0;
	struct gen_feed *f = NULL, *ol = NULL, *custom = NULL;
	char why[256];

	if (sizes == NULL || gen_feeds(&go, n, &f) != 0)
		return -1;
	tz_init();
	o.tz = tz_get("Europe/Paris");
	cal_zones_preload(o.tz);
	o.from_utc = tz_from_local(o.tz, BENCH_YEAR, BENCH_MONTH, BENCH_DAY,
	    0, 0, 0);
	o.to_utc = tz_from_local(o.tz, BENCH_YEAR, BENCH_MONTH, BENCH_DAY +
	    BENCH_DAYS, 0, 0, 0);
	o.markers = (struct cal_markers){ snp, 1, oncall, 2, absent, 4 };
	for (size_t i = 0; i < n; i++) {
		struct cal_avail a;

		styles[f[i].style]++;
		sizes[i] = (double)f[i].len / 1024.0;
		rrules += (double)bench_count(f[i].text, "\nRRULE:FREQ=WEEKLY");
		exdates += (double)bench_count(f[i].text, "\nEXDATE") +
		    (double)bench_count(f[i].text, ",20");
		rids += (double)bench_count(f[i].text, "\nRECURRENCE-ID");
		if (cal_parse(f[i].text, f[i].len, &o, &a, why,
		    sizeof(why)) != CAL_OK) {
			if (bad++ == 0)
				printf("  feed %zu: %s\n", i, why);
			continue;
		}
		warn += a.warnings;
		events += (double)a.events;
		inst += (double)a.instances;
		with_snp += a.offered_snp.n > 0;
		with_oncall += a.offered_oncall.n > 0;
		with_absent += a.absent.n > 0;
		cal_avail_fini(&a);
	}
	/* The zone's name must not change what a feed means. */
	go.mix = GEN_MIX_OUTLOOK;
	if (gen_feeds(&go, n_small, &ol) != 0)
		return -1;
	go.is_custom_zone = true;
	if (gen_feeds(&go, n_small, &custom) != 0)
		return -1;
	for (size_t i = 0; i < n_small; i++) {
		struct cal_avail a, b;

		if (cal_parse(ol[i].text, ol[i].len, &o, &a, why,
		    sizeof(why)) != CAL_OK || cal_parse(custom[i].text,
		    custom[i].len, &o, &b, why, sizeof(why)) != CAL_OK ||
		    !ivs_equal(&a.offered_snp, &b.offered_snp) ||
		    !ivs_equal(&a.offered_oncall, &b.offered_oncall) ||
		    !ivs_equal(&a.busy, &b.busy) ||
		    !ivs_equal(&a.absent, &b.absent))
			differ++;
		cal_avail_fini(&a);
		cal_avail_fini(&b);
	}
	printf("\nCorpus: %zu feeds, seed %llu, horizon %04d-%02d-%02d + %d "
	    "days (Europe/Paris)\n", n, (unsigned long long)seed,
	    BENCH_YEAR, BENCH_MONTH, BENCH_DAY, BENCH_DAYS);
	printf("  styles:");
	for (int s = 0; s < GEN_STYLE_COUNT; s++)
		printf(" %s %zu", gen_style_name((enum gen_style)s), styles[s]);
	printf("\n  size KiB: min %.1f median %.1f p95 %.1f max %.1f\n",
	    bench_run_quantile(sizes, n, 0), bench_run_quantile(sizes, n, 0.5),
	    bench_run_quantile(sizes, n, 0.95),
	    bench_run_quantile(sizes, n, 1));
	printf("  per feed (mean): %.1f VEVENTs, %.1f weekly RRULEs, %.1f "
	    "EXDATE values, %.1f overrides, %.0f instances made\n",
	    events / (double)n, rrules / (double)n, exdates / (double)n,
	    rids / (double)n, inst / (double)n);
	printf("  in the horizon: %zu feeds offer SNP time, %zu on-call, "
	    "%zu have an absence\n", with_snp, with_oncall, with_absent);
	printf("  cal_parse: %zu failed, %zu warnings; Outlook feeds whose "
	    "result differs with the zone unnamed: %zu of %zu\n", bad, warn,
	    differ, n_small);
	fflush(stdout);
	free(sizes);
	gen_feeds_free(f, n);
	gen_feeds_free(ol, n_small);
	gen_feeds_free(custom, n_small);
	tz_shutdown();
	return bad > 0 || warn > 0 || differ > 0 ? -1 : 0;
}

int
bench_corpus_check(size_t n, size_t n_small, uint64_t seed)
{
	int status;
	pid_t pid;

	fflush(stdout);
	if ((pid = fork()) < 0)
		return -1;
	if (pid == 0) {
		int rc = bench_corpus_check_child(n, n_small, seed);

		fflush(stdout);
		_exit(rc == 0 ? 0 : 1);
	}
	if (waitpid(pid, &status, 0) != pid || !WIFEXITED(status) ||
	    WEXITSTATUS(status) != 0) {
		fprintf(stderr, "bench: the corpus check failed\n");
		return -1;
	}
	return 0;
}

int
bench_corpus_dump(const char *dir, size_t n, uint64_t seed)
{
	struct gen_opts go = { .seed = seed, .mix = GEN_MIX_REAL,
	    .year = BENCH_YEAR, .month = BENCH_MONTH, .day = BENCH_DAY,
	    .days = BENCH_DAYS };
	struct gen_feed *f;
	char path[4096];

	if (mkdir(dir, 0700) != 0 && access(dir, W_OK) != 0)
		return -1;
	if (gen_feeds(&go, n, &f) != 0)
		return -1;
	for (size_t i = 0; i < n; i++) {
		FILE *fp;
		bool is_ok;

		snprintf(path, sizeof(path), "%s/gp-%04zu-%s.ics", dir,
		    i, gen_style_name(f[i].style));
		if ((fp = fopen(path, "wb")) == NULL) {
			gen_feeds_free(f, n);
			return -1;
		}
		is_ok = fwrite(f[i].text, 1, f[i].len, fp) == f[i].len;
		if (fclose(fp) != 0 || !is_ok) {
			gen_feeds_free(f, n);
			return -1;
		}
	}
	printf("%zu feeds written to %s\n", n, dir);
	gen_feeds_free(f, n);
	return 0;
}

