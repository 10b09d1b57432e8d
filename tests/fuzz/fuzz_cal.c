/*
 * libFuzzer target for the calendar step: any bytes in, never a crash, a
 * leak, or a hang past the bounds (scripts/fuzz.sh runs it with a
 * per-input timeout). The horizon spans both 2026 DST changes in Paris.
 */
#include <stddef.h>
#include <stdint.h>
#include <time.h>

#include "daemon/core/cal.h"

static const struct tz *fuzz_tz;

/* A deadline per input: the harness may read a clock, the core may not. */
static bool
fuzz_is_late(void *arg)
{
	const struct timespec *deadline = arg;
	struct timespec now;

	clock_gettime(CLOCK_MONOTONIC, &now);
	return now.tv_sec > deadline->tv_sec ||
	    (now.tv_sec == deadline->tv_sec &&
	    now.tv_nsec > deadline->tv_nsec);
}

int	LLVMFuzzerInitialize(int *argc, char ***argv);
int	LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerInitialize(int *argc, char ***argv)
{
	(void)argc;
	(void)argv;
	tz_init();
	fuzz_tz = tz_get("Europe/Paris");
	cal_zones_preload(fuzz_tz);
	return 0;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const char *const snp[] = { "SNP" };
	static const char *const oncall[] = { "ASTREINTE", "ONCALL" };
	static const char *const absent[] = { "ABSENCE", "CONGES",
	    "CONGÉS", "VACANCES" };
	struct timespec deadline;
	struct cal_opts o = {
		.tz = fuzz_tz,
		.markers = { snp, 1, oncall, 2, absent, 4 },
		.max_bytes = 1 << 20,
		.max_instances = 20000,
		.is_late = fuzz_is_late,
		.late_arg = &deadline,
	};
	struct cal_avail a;
	char why[256];
	int rc;

	o.from_utc = tz_from_local(fuzz_tz, 2026, 3, 23, 0, 0, 0);
	o.to_utc = tz_from_local(fuzz_tz, 2026, 11, 2, 0, 0, 0);
	clock_gettime(CLOCK_MONOTONIC, &deadline);
	deadline.tv_sec += 2;
	rc = cal_parse((const char *)data, size, &o, &a, why, sizeof(why));
	/* Whatever came in, what comes out is normalized and in range. */
	if (rc == CAL_OK) {
		const struct ivs *sets[] = { &a.offered_snp, &a.offered_oncall,
		    &a.busy, &a.absent };

		for (size_t s = 0; s < 4; s++)
			for (size_t i = 0; i < sets[s]->n; i++) {
				const struct ivs_iv *v = &sets[s]->v[i];

				if (v->start >= v->end || v->start < o.from_utc ||
				    v->end > o.to_utc || (i > 0 &&
				    v->start <= sets[s]->v[i - 1].end))
					__builtin_trap();
			}
		/* Absent time is busy time. */
		for (size_t i = 0; i < a.absent.n; i++)
			if (!ivs_covers(&a.busy, a.absent.v[i].start,
			    a.absent.v[i].end))
				__builtin_trap();
	} else if (a.offered_snp.n || a.busy.n)
		__builtin_trap();	/* a rejected feed offers nothing */
	cal_avail_fini(&a);
	return 0;
}
