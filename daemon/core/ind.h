/*
 * The CPTS's indicators (DESIGN.md "Indicators"), pure: from the plan,
 * the bookings and the teleconsultation requests of a period as stored,
 * so that a past month reads the same after the purge of patient data.
 */
#pragma once

#include <stddef.h>
#include <stdint.h>

/* One sector-hour of a planned day. target < 0: none. */
struct ind_hour {
	int	sector;		/* index, -1: not in the config any more */
	int	target;
	int	covered;
};

/* A reserved slot, a booking, an offer: gp is an index or -1. */
struct ind_slot {
	int	gp;
	int64_t	start, end;
};

enum ind_bk_status { IND_BK_BOOKED, IND_BK_CANCELLED, IND_BK_CONFLICT };

struct ind_booking {
	int			gp;
	int64_t			start, end;
	enum ind_bk_status	status;
	int64_t			created_at;	/* for "seen within 48 h" */
};

struct ind_offer {
	int	gp;
	int64_t	offered_s;
	int64_t	day;		/* 00:00 local, UTC */
};

enum ind_tc_state {
	IND_TC_OPEN,		/* offered or accepted */
	IND_TC_DONE, IND_TC_CANCELLED, IND_TC_UNANSWERED,
};

struct ind_tc {
	int			sector;
	enum ind_tc_state	state;
	int64_t			created_at;
	int64_t			acked_at;	/* 0: never accepted */
	int			accepted_by;	/* gp index, -1 */
	int			escalations;
};

struct ind_in {
	size_t			 n_gps;
	const int		*gp_sector;	/* n_gps */
	int			 sector;	/* the one asked, -1: all */
	int64_t			 now;		/* "unused", "seen": past */
	const struct ind_hour	*hours;
	size_t			 n_hours;
	const struct ind_slot	*slots;
	size_t			 n_slots;
	const struct ind_booking *bookings;
	size_t			 n_bookings;
	const struct ind_offer	*offers;
	size_t			 n_offers;
	const struct ind_tc	*tcs;
	size_t			 n_tcs;
};

struct ind_gp {
	int64_t	offered_s;	/* SNP time offered in the windows */
	int64_t	reserved_s;
	int	reserved;	/* slots */
	int	booked;		/* live bookings (booked or conflict) */
	int	seen;		/* live bookings already over */
	int	tc_accepted;
};

/*
 * What the period says. Rows of a GP or sector other than the one asked
 * are left out; a GP no longer in the config (gp -1) counts in the
 * totals only when no sector is asked.
 */
struct ind_out {
	int64_t		 offered_s, reserved_s;
	int		 reserved, booked, cancelled, conflicts;
	int		 unused;	/* reserved, over, no live booking */
	double		 fill_rate;	/* booked / reserved; 0 if none */
	int		 sector_hours;	/* with a target above 0 */
	int		 sector_hours_met;	/* covered >= target */
	double		 coverage;	/* met / sector_hours; 1 if none */
	int		 missing;	/* slots short of the targets */
	struct ind_gp	*gps;		/* n_gps */
	int		 tc_requests, tc_open, tc_done, tc_cancelled;
	int		 tc_unanswered, tc_accepted, tc_escalations;
	int		 tc_acked;	/* requests with a time to ack */
	double		 ack_median_s, ack_p90_s;	/* -1: none */
};

/* Compute out (zeroed first); 0, or -1 when out of memory. */
int	ind_compute(const struct ind_in *in, struct ind_out *out);
void	ind_out_fini(struct ind_out *out);

/*
 * The ISO 8601 week of a calendar date: *iso_year (which may be the
 * year before or after) and *week (1..53). Weeks start on Monday; week 1
 * holds the year's first Thursday.
 */
void	ind_iso_week(int year, int month, int day, int *iso_year, int *week);
/* Days since 1970-01-01 of a calendar date (proleptic Gregorian). */
int64_t	ind_days(int year, int month, int day);

/*
 * The q-quantile (0 < q <= 1) of v by the nearest rank: the smallest
 * value with at least q * n values at or below it. Sorts v. -1 if n is 0.
 */
double	ind_quantile(double *v, size_t n, double q);
