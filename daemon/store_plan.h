/* The plan tables: each day's sums per sector and hour, and its slots. */
#pragma once

#include <stddef.h>
#include <stdint.h>

#include "daemon/core/plan.h"
#include "daemon/store.h"

/* One planned day to store; arrays indexed sector * PLAN_HOURS + hour. */
struct store_plan_day {
	int64_t			 day;		/* 00:00 local, UTC */
	int64_t			 win_start, win_end;
	int64_t			 planned_utc;
	int			 n_gap;
	int			 hour_from, hour_to;	/* rows stored */
	const int16_t		*target;	/* PLAN_NO_TARGET: NULL */
	const int16_t		*reserved, *covered, *gap;
	const struct plan_res	*slots;		/* gp: index into gp_ids */
	size_t			 n_slots;
	const int32_t		*offered_s;	/* per GP; NULL: none kept */
};

/* Days replacing what the store held for them, in one transaction. */
struct store_plan_write {
	char *const			*gp_ids;
	size_t				 n_gps;
	char *const			*sector_ids;
	size_t				 n_sectors;
	const struct store_plan_day	*days;
	size_t				 n_days;
};

/*
 * Replace the stored plan of each of w's days. Nothing is copied: w and
 * all it points to must stay valid until done(w, err) runs (on the loop
 * thread, after the commit); embed w first in a struct of your own to
 * find it again there.
 */
int	store_plan_save(struct store *s, struct store_plan_write *w,
	    store_done_fn done);

/* What store_plan_load reads, in this order: days, hours, slots. */
struct store_plan_loader {
	void	(*day)(void *arg, int64_t day, int64_t win_start,
		    int64_t win_end, int n_gap, int64_t planned_utc);
	void	(*hour)(void *arg, int64_t day, const char *sector, int hour,
		    int target, int reserved, int covered, int gap);
	void	(*slot)(void *arg, const char *gp, int64_t start,
		    int64_t end, int64_t day);
	void	*arg;
};

/*
 * Read the stored plan of the days from from_day on (loop thread, at
 * start). target is PLAN_NO_TARGET where none. Returns a store error.
 */
int	store_plan_load(struct store *s, int64_t from_day,
	    const struct store_plan_loader *l);
