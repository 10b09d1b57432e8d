/*
 * The teleconsultation on-call rota, pure: the shifts of a period, who is
 * eligible for each, and a fair assignment of a primary and a backup.
 */
#pragma once

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "daemon/core/ivs.h"
#include "daemon/core/tz.h"

/* A shift's definition: local wall-clock minutes after midnight. */
struct rota_def {
	int	start_min;	/* 840: 14:00 */
	int	end_min;	/* <= start_min: ends the next day */
};

/* A local calendar day, as the holiday lists speak it. */
struct rota_date {
	int	year, month, day;
};

struct rota_shift_opts {
	const struct tz		*tz;
	const struct rota_def	*defs;		/* sorted by start_min */
	size_t			 n_defs;
	double			 weekend_weight;	/* 1.5 */
	/* Extra days weighing like weekends (the config's), sorted. */
	const struct rota_date	*extra_holidays;
	size_t			 n_extra;
};

/* A shift of the rota: its time, weight and who holds it. */
struct rota_shift {
	int64_t	start, end;		/* UTC */
	double	weight;			/* 1, or weekend_weight */
	int	primary, backup;	/* GP indices, -1: none */
	/*
	 * Input to rota_assign(): keep primary and backup as they are as
	 * long as each is still eligible (a published shift, an override);
	 * an ineligible one is replaced. Unkept shifts are assigned anew.
	 */
	bool	keep;
};

/*
 * French public holidays (jours fériés, metropolitan list): 1 January,
 * Easter Monday, 1 May, 8 May, Ascension, Whit Monday, 14 July, 15 August,
 * 1 November, 11 November, 25 December. Easter by the Gregorian computus.
 */
bool	rota_is_fr_holiday(int year, int month, int day);

/*
 * The shifts whose local day lies in [from, to) (day starts, UTC) into
 * *out (malloc'd, sorted by start; the caller frees it), n_out set. Each
 * shift's times are its local wall-clock times that day (DST-safe: 14:00
 * is 14:00 local on a change day), weight weekend_weight on Saturdays,
 * Sundays, French holidays and the extra days, else 1; no GP assigned,
 * keep false. Returns 0, or -1 when out of memory.
 */
int	rota_shifts(const struct rota_shift_opts *o, int64_t from, int64_t to,
	    struct rota_shift **out, size_t *n_out);

/* What the rota knows of one GP. */
struct rota_gp {
	const char	*id;		/* ties are broken by id order */
	bool		 teleconsult;	/* only they are ever assigned */
	const struct ivs *oncall;	/* on-call time offered (UTC) */
	const struct ivs *absent;	/* absences (UTC) */
	/*
	 * Weighted shifts held before the period (primary and backup
	 * apart), and the seconds the GP has been in the roster over the
	 * history window plus the period: counts are compared per time
	 * present, so a GP who joins is not handed every shift to catch up.
	 * present_s <= 0 is read as the whole window.
	 */
	double		 history_primary;
	double		 history_backup;
	int64_t		 present_s;
};

/*
 * Whether g may hold [start, end): teleconsult-capable, the interval lies
 * wholly in its on-call time, and no absence overlaps it.
 */
bool	rota_eligible(const struct rota_gp *g, int64_t start, int64_t end);

/*
 * Assign every shift a primary and a distinct backup among the eligible
 * GPs (-1 where none is: a gap, reported by the caller). A role is left
 * empty only when no eligible GP is free for it: a primary gap only when
 * nobody eligible is left but a kept backup (never moved up), a backup
 * gap only when nobody but the primary is. Kept shifts keep their
 * eligible assignees; an ineligible one (or -1, or an index out of
 * range, or a backup equal to the primary) is replaced, the other role
 * staying as kept. Goals, most important first:
 *   1. eligibility, primary != backup (always);
 *   2. no GP on two consecutive shifts (end of one == start of the next,
 *      as primary or backup) where another eligible GP could take it:
 *      the count of (shift, next shift, GP holding a role in both) is
 *      the least any assignment reaches;
 *   3. the spread (max - min) of the primary loads as small as possible;
 *      then the same for backups. A GP's load is (history + weights
 *      assigned here) * window_s / present_s (present_s <= 0 or
 *      window_s <= 0: the sum alone), over the GPs eligible for at
 *      least one of the shifts, whether kept or not; then the
 *      sums of squares of the loads, primary then backup, as small as
 *      possible, which spreads the load among those between the extremes;
 *   4. deterministic: the same input gives the same output, and the same
 *      GPs by id when gps[] is given in another order (ties are broken by
 *      id, never by index).
 * Goals 2 and 3 are met exactly when the search space is small (a few
 * GPs over a few shifts, see rota_assign.c), which the brute force of
 * tests/unit/test_rota.c checks; beyond that, as well as a local search
 * can (it alone finds the optimum of 99% of the brute force's
 * instances). Shifts need not be sorted; two with the same times are
 * told apart by their order in shifts[]. 200 GPs over 56 shifts take a
 * few ms. Returns 0, or -1 when out of memory (shifts are then left as
 * given).
 */
int	rota_assign(const struct rota_gp *gps, size_t n_gps,
	    struct rota_shift *shifts, size_t n_shifts, int64_t window_s);
/*
 * rota_assign() with the exact search bounded by max_nodes (< 0: as
 * rota_assign() bounds it; 0: no exact search, the greedy and local
 * search alone); *is_exact (may be NULL) tells whether the exact search
 * ran to its end, so that goals 2 and 3 are met exactly. For the tests.
 */
int	rota_assign_bounded(const struct rota_gp *gps, size_t n_gps,
	    struct rota_shift *shifts, size_t n_shifts, int64_t window_s,
	    long max_nodes, bool *is_exact);
