/* Private to the planner: its state, and a planning job. */
#pragma once

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <uv.h>

#include "daemon/core/ivs.h"
#include "daemon/core/win.h"
#include "daemon/planner.h"
#include "daemon/store_plan.h"

/* A plan.rebuild waiting for the job that covers it. */
struct planner_waiter {
	struct planner_waiter	*next;
	int64_t			 from, to;
	bool			 release;	/* plan afresh */
	planner_done_fn		 done;
	void			*arg;
};

/*
 * One run of plan_days() on the thread pool, on a copy of everything it
 * reads: the loop may reload the config or take new feeds meanwhile.
 */
struct planner_job {
	struct store_plan_write	 w;	/* first: store_plan_save's arg */
	uv_work_t		 req;
	struct planner		*pl;
	unsigned		 gen;		/* the planner's, at the start */
	struct win_opts		 win;
	struct win_date		*hols;
	int16_t			*target;
	bool			*covers;
	struct plan_gp_rules	*rules;
	struct ivs		*free;
	struct plan_days_in	 in;
	int64_t			*days;
	bool			*release;	/* per day */
	struct plan_res		*prev;
	struct plan_res		*fixed;		/* booked and held */
	uint64_t		 occ_gen;	/* the bookings', at the start */
	struct plan_day_sum	*out;
	int32_t			*offered;	/* [day * n_gps + gp], s */
	struct store_plan_day	*sdays;
	int			 rc;
	struct planner_waiter	*waiters;
};

struct planner {
	struct daemon		*d;
	/* The current config's GPs and sectors: the plan's index space. */
	char			**gp_ids;
	size_t			 n_gps;
	char			**sector_ids;
	size_t			 n_sectors;
	/* Days held, sorted: recent past ones (loads) and the horizon. */
	struct planner_day	*days;
	size_t			 n_days, cap_days;
	/* Each GP's free SNP time the last plan was told about. */
	struct ivs		*last_free;
	/* What to plan next. */
	bool			 want_all;
	int64_t			*want;		/* days, sorted */
	size_t			 n_want, cap_want;
	struct planner_waiter	*waiters;
	struct planner_job	*job;		/* in flight, or NULL */
	unsigned		 gen;		/* config changes */
	uint64_t		 first_by_ms;	/* first plan, at the latest */
	uv_timer_t		 kick, midnight;
	int			 handles;	/* open libuv handles */
	bool			 is_ready;
	bool			 is_closing;
};

/* planner.c */
int64_t	planner_today(const struct planner *pl);
int64_t	planner_day_after(const struct planner *pl, int64_t day, int n);
int	planner_horizon(const struct planner *pl);
void	planner_day_fini(struct planner_day *day);
struct planner_day *planner_day_slot(struct planner *pl, int64_t day);
void	planner_schedule(struct planner *pl);
/* Plan the days of the horizon that [start, end) touches. */
void	planner_want_span(struct planner *pl, int64_t start, int64_t end);
/* Days, slots and gaps held for the days of [from, to). */
void	planner_totals_of(const struct planner *pl, int64_t from, int64_t to,
	    struct planner_totals *t);
/* Try the wanted days again in ms (after a failure). */
void	planner_retry(struct planner *pl, uint64_t ms);
void	planner_maybe_free(struct planner *pl);
/* The GP's free SNP time over the horizon (offered minus busy). */
int	planner_free_of(struct planner *pl, size_t gp, struct ivs *out);

/* planner_job.c */
int	planner_job_start(struct planner *pl, const int64_t *days,
	    size_t n_days);
void	planner_job_free(struct planner_job *j);
