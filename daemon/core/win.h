/* The SNP window of each local day: 14:00-20:00 by default, DST-safe. */
#pragma once

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "daemon/core/ivs.h"
#include "daemon/core/tz.h"

/* A local calendar day. */
struct win_date {
	int	year, month, day;
};

/* Day indices: tm_wday order (0 = Sunday), then public holidays. */
#define WIN_HOL		7

struct win_opts {
	const struct tz		*tz;
	int			 start_min;	/* after local midnight: 840 */
	int			 end_min;	/* 1200; 1440 is midnight */
	bool			 days[8];	/* [WIN_HOL]: "hol" */
	const struct win_date	*holidays;	/* sorted */
	size_t			 n_holidays;
};

/* Whether the local day is one of the holidays: O(log n). */
bool	win_is_holiday(const struct win_opts *o, int year, int month, int day);

/*
 * The windows of the local days meeting [from, to), clipped to it, into
 * out (cleared first). A day has a window when its weekday is in days,
 * and, if it is a holiday, when days[WIN_HOL] also is (DESIGN.md). On a
 * DST day the window is still start..end local time. Returns 0, or -1
 * when out of memory.
 */
int	win_build(const struct win_opts *o, int64_t from, int64_t to,
	    struct ivs *out);
