/* The planner: which candidate SNP slots of a day become reserved. */
#pragma once

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "daemon/core/ivs.h"

#define PLAN_HOURS	24
#define PLAN_NO_TARGET	(-1)	/* reserve every candidate of the sector */
#define PLAN_NO_CAP	(-1)

/* What a slot is before planning. */
enum plan_slot_state {
	PLAN_CANDIDATE,		/* free: may be reserved or not */
	PLAN_KEPT,		/* reserved before and still free: stays */
	PLAN_FIXED,		/* booked or held: never moves */
};

/* A candidate slot: wholly inside the GP's free SNP time. */
struct plan_slot {
	int64_t			 start, end;	/* UTC, [start, end) */
	uint32_t		 gp;		/* index into plan_in.gps */
	uint8_t			 hour;		/* local hour of start */
	enum plan_slot_state	 state;
};

struct plan_gp {
	uint32_t	sector;		/* index into the sectors */
	int		cap_day;	/* PLAN_NO_CAP, or slots this day */
	int		cap_week_left;	/* PLAN_NO_CAP, or left this week */
	double		weight;		/* > 0: a 0.5 GP takes half the load */
	int64_t		load;		/* reserved over the fairness window */
};

/*
 * One day to plan. target[s * PLAN_HOURS + h] is the number of slots
 * wanted for sector s in local hour h, or PLAN_NO_TARGET. covers[s *
 * n_sectors + c] is true when GPs of sector c may cover sector s's
 * demand (a sector always covers itself; its config "neighbours" are
 * the sectors that may cover it). Slots must be sorted by (gp, start).
 */
struct plan_in {
	const struct plan_gp	*gps;
	size_t			 n_gps;
	size_t			 n_sectors;
	const int16_t		*target;	/* n_sectors * PLAN_HOURS */
	const bool		*covers;	/* n_sectors * n_sectors */
	const struct plan_slot	*slots;
	size_t			 n_slots;
};

/*
 * The plan of the day. reserved[i] for in->slots[i]; covered and gap per
 * sector and hour (gap: target minus covered, never negative; 0 where
 * there is no target).
 */
struct plan_out {
	bool		*reserved;		/* n_slots */
	int16_t		*covered;		/* n_sectors * PLAN_HOURS */
	int16_t		*gap;			/* n_sectors * PLAN_HOURS */
	int		 n_reserved;
	int		 n_gap;			/* total missing slots */
};

#define PLAN_ERRORS(X)							\
	X(PLAN_OK,	"ok")						\
	X(PLAN_EINPUT,	"inconsistent planner input")			\
	X(PLAN_ESOLVER,	"the flow solver failed")			\
	X(PLAN_ENOMEM,	"out of memory")

enum plan_err {
#define X(code, msg) code,
	PLAN_ERRORS(X)
#undef X
	PLAN_ERR_COUNT
};

const char	*plan_strerror(int err);

/*
 * Plan one day, in DESIGN.md's order of priorities:
 *  1. covered demand, the sum over sectors and hours of min(target,
 *     reserved slots that may cover it), is maximal;
 *  2. caps hold (cap_day; cap_week_left), and among maximal plans the
 *     loads (load + reserved this day) / weight are as even as possible:
 *     a min-cost flow with convex costs per GP;
 *  3. within an hour, a GP's reserved slots are chosen contiguous, and
 *     next to its reserved slots of the hours around;
 *  4. KEPT and FIXED slots are reserved whatever the rest.
 * A sector-hour without a target reserves every candidate of the
 * sector's own GPs (caps permitting). Same input, same plan.
 * Returns PLAN_OK and fills out (allocated; plan_out_fini frees it), or
 * an error (out is then empty).
 */
int	plan_day(const struct plan_in *in, struct plan_out *out);
/*
 * The same plan from one min-cost flow on GLPK: slower, kept as the
 * reference the tests hold plan_day() to (same coverage, same spread).
 */
int	plan_day_flow(const struct plan_in *in, struct plan_out *out);
void	plan_out_fini(struct plan_out *out);

/*
 * The candidate slots of one GP on one day: the grid window_start +
 * k * slot_s, keeping the slots wholly inside free (the GP's free SNP
 * time, already intersected with the window). hour is the local hour of
 * the window's start, so a slot's hour is hour + its offset's hours.
 * Appends to *v (realloc'd; *n, *cap updated). Returns 0 or -1 (ENOMEM).
 */
int	plan_grid(int64_t window_start, int64_t window_end, int window_min,
	    int slot_s, const struct ivs *free, uint32_t gp,
	    struct plan_slot **v, size_t *n, size_t *cap);

/* ---- The horizon: a run of days, each planned with plan_day() ---- */

#define PLAN_DAY_KINDS	8	/* tm_wday order, then holidays (WIN_HOL) */

/* A reserved slot, or a booked or held one: a GP's [start, end). */
struct plan_res {
	uint32_t	gp;
	int64_t		start, end;	/* UTC */
};

/* One GP's rules and its free SNP time. */
struct plan_gp_rules {
	uint32_t		 sector;
	int			 slot_s;	/* the GP's grid step */
	int			 cap_day;	/* PLAN_NO_CAP, or slots */
	int			 cap_week;	/* PLAN_NO_CAP, or slots */
	double			 weight;	/* > 0 */
	const struct ivs	*free;		/* free SNP time; NULL: none */
};

struct win_opts;

/*
 * What plan_days() needs. target[(s * PLAN_DAY_KINDS + kind) *
 * PLAN_HOURS + h]: slots wanted for sector s on a day of that kind, or
 * PLAN_NO_TARGET. days: 00:00 local of each day to plan, ascending.
 * prev: every reserved slot now, of the planned days and of the
 * fairness window and weeks around them (loads and weekly caps count
 * them); fixed: booked and held slots. Both sorted by (gp, start).
 */
struct plan_days_in {
	const struct win_opts		*win;
	size_t				 n_sectors;
	const int16_t			*target;
	const bool			*covers;	/* as plan_in */
	int				 fairness_days;
	const struct plan_gp_rules	*gps;
	size_t				 n_gps;
	const int64_t			*days;
	size_t				 n_days;
	int64_t				 now;
	const struct plan_res		*prev;
	size_t				 n_prev;
	const struct plan_res		*fixed;
	size_t				 n_fixed;
	/*
	 * NULL, or per day of days: true to plan it afresh, its slots in
	 * prev candidates like any other (what a coordinator asks for after
	 * lowering a target); booked, held and begun slots still stay.
	 */
	const bool			*release;
};

/* One planned day, per sector and local hour (index s * PLAN_HOURS + h). */
struct plan_day_sum {
	int64_t		 day;		/* 00:00 local */
	int64_t		 win_start, win_end;	/* equal: no SNP window */
	int16_t		*target;	/* PLAN_NO_TARGET, or slots */
	int16_t		*reserved;	/* the sector's own GPs' slots */
	int16_t		*covered;	/* demand met, neighbours included */
	int16_t		*gap;		/* target - covered, >= 0 */
	struct plan_res	*slots;		/* reserved, sorted (gp, start) */
	size_t		 n_slots;
	int		 n_gap;
};

/*
 * Plan each of in->days in order, as DESIGN.md says: a GP's candidates
 * are its grid (slot_s from the window's start) wholly in free time and
 * the window, starting at or after now; slots reserved before (prev)
 * and still candidates stay (KEPT) unless the day is released; booked or
 * held slots (fixed) and slots that started before now stay whatever
 * their time became (FIXED), and candidates overlapping them go. A GP's load for a day is
 * what it holds over the fairness_days before it; its weekly cap counts
 * the other days of the day's week (Monday to Sunday, local). Days
 * planned earlier in the call count with their new plan.
 * Returns PLAN_OK and fills out[n_days] (plan_days_fini frees it), or an
 * error (out is then empty).
 */
int	plan_days(const struct plan_days_in *in, struct plan_day_sum *out);
void	plan_days_fini(struct plan_day_sum *out, size_t n_days);
/* qsort order of plan_res: by GP, then start. */
int	plan_res_cmp(const void *a, const void *b);
