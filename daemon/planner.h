/*
 * The plan in the daemon: kept in memory and in the store, re-planned off
 * the loop when a feed changes, on reload, when a day enters the horizon
 * and on request; each change announced after its commit.
 */
#pragma once

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "daemon/core/plan.h"

struct daemon;
struct planner;

/*
 * One day of the plan. Arrays indexed sector * PLAN_HOURS + local hour,
 * sectors and GPs in the current config's order.
 */
struct planner_day {
	int64_t		 day;			/* 00:00 local */
	int64_t		 win_start, win_end;	/* equal: no window */
	int64_t		 planned_utc;
	int		 n_gap;
	int16_t		*target;		/* PLAN_NO_TARGET: none */
	int16_t		*reserved, *covered, *gap;
	struct plan_res	*slots;			/* sorted (gp, start) */
	size_t		 n_slots;
	uint32_t	*by_start;	/* indices into slots by (start, GP
					   id), made on demand; or NULL */
};

/* What a rebuild did, over the days asked for. */
struct planner_totals {
	unsigned	days;
	unsigned	reserved;
	unsigned	gaps;
};

/*
 * Load the stored plan of the recent days and the horizon; plan once the
 * feeds' stored content is read. Call after store_open, before
 * feeds_open. Returns 0, or -1 with why set.
 */
int	planner_open(struct daemon *d, struct planner **out, char *why,
	    size_t whylen);
/* Stop; frees itself once a plan in progress has finished. */
void	planner_close(struct planner *pl);
/* The config changed (d->cfg is the new one): follow it, plan again. */
void	planner_reload(struct planner *pl);
/*
 * A booked or held slot starting at start is free again: re-plan its
 * day, which the booking or hold had kept even if its time had become
 * busy (the slot then goes instead of being offered again).
 */
void	planner_slot_freed(struct planner *pl, int64_t start);
/* gp's feed has new availability: re-plan the days where it changed. */
void	planner_feed_changed(struct planner *pl, const char *gp);

/*
 * Re-plan the days of [from, to) within the horizon (past days are
 * frozen); with release, afresh: their reserved slots are candidates
 * again (booked, held and begun ones stay). done(arg, error, totals)
 * once the new plan is stored (error NULL) or failed (error says why).
 * Returns 0, or -1 (out of memory).
 */
typedef void	(*planner_done_fn)(void *arg, const char *error,
		    const struct planner_totals *t);
int	planner_rebuild(struct planner *pl, int64_t from, int64_t to,
	    bool release, planner_done_fn done, void *arg);

/* The day starting at day (00:00 local), or NULL when not planned. */
const struct planner_day *planner_day(const struct planner *pl,
	    int64_t day);
/*
 * The day's slots in (start, GP id) order, as indices into its slots:
 * what a search walks. Made on first use after the day changed; NULL
 * when the day is not planned or memory ran out.
 */
const uint32_t *planner_day_by_start(struct planner *pl,
	    const struct planner_day *day);
/* Whether the first plan since start is stored. */
bool	planner_is_ready(const struct planner *pl);
