/* Private to the calendar step: zones, instances, expansion of a series. */
#pragma once

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <libical/ical.h>

#include "daemon/core/cal.h"

/*
 * A zone's UTC offsets over a range, read once from libical and then
 * looked up without it: libical takes one process-wide lock for every
 * offset it computes, which would serialize parses running in parallel.
 */
struct cal_ztab {
	const struct tz	*z;
	int32_t		 off0;		/* offset before at[0] */
	size_t		 n;		/* transitions in the range */
	int64_t		*at;		/* UTC instant of each transition */
	int32_t		*off;		/* offset from at[i] on */
};

/* One parse's zones: TZID to table, the territory's first. */
struct cal_zones {
	const struct cal_opts	*opts;
	icalcomponent		*root;		/* the feed, for VTIMEZONEs */
	struct cal_zone_ent {
		char		*tzid;		/* as written in the feed */
		struct cal_ztab	 tab;
		icaltimezone	*own;		/* an embedded zone we built */
	}			*v;
	size_t			 n, cap;
	struct cal_ztab		 territory;
	struct cal_ztab		 utc;
};

int	cal_zones_init(struct cal_zones *zs, const struct cal_opts *o,
	    icalcomponent *root);
void	cal_zones_fini(struct cal_zones *zs);
/*
 * The table for a property's time: its TZID (known names mapped to
 * libical's built-in zones, else the feed's own VTIMEZONE, else the
 * territory), UTC for a "Z" time, the territory for floating times and
 * dates. NULL only when out of memory.
 */
const struct cal_ztab *cal_zones_for(struct cal_zones *zs, icalproperty *p,
	    struct icaltimetype t);

/* Offset at utc; outside the table's range, the nearest known one. */
int32_t	cal_ztab_offset(const struct cal_ztab *t, int64_t utc);
/*
 * The instant of a wall-clock time (seconds as if UTC) in the zone: a
 * time in a gap moves forward by the gap, one in an overlap is the first
 * occurrence (RFC 5545 3.3.5).
 */
int64_t	cal_ztab_from_wall(const struct cal_ztab *t, int64_t wall);

/* Wall-clock seconds of an icaltimetype's fields, read as if UTC. */
int64_t	cal_wall_of(struct icaltimetype t);
/* The icaltimetype fields of wall-clock seconds. */
struct icaltimetype cal_time_of_wall(int64_t wall, bool is_date);

/* What an instance means: the properties that classify it. */
struct cal_kind {
	bool	is_cancelled;		/* STATUS:CANCELLED */
	bool	is_transparent;		/* TRANSP:TRANSPARENT */
	bool	is_snp, is_oncall, is_absent;	/* markers */
	bool	is_all_day;		/* DTSTART is a DATE */
};

/* Length of an instance: nominal days (wall clock), then exact seconds. */
struct cal_dur {
	int	days;
	int64_t	secs;
};

/* Shared state of one cal_parse run. */
struct cal_run {
	const struct cal_opts	*opts;
	struct cal_zones	 zones;
	struct cal_avail	*out;
	int64_t			 steps;		/* for the is_late probe */
	int			 err;		/* first fatal error */
	char			*why;
	size_t			 whylen;
};

/* Record a fatal error (the first one wins); returns it. */
int	cal_fail(struct cal_run *r, int err, const char *fmt, ...)
	    __attribute__((format(printf, 3, 4)));
/* Count one generated instance; false once a bound is passed. */
bool	cal_count(struct cal_run *r);
/* Add one instance [start, end) with its meaning to the sets. */
int	cal_emit(struct cal_run *r, const struct cal_kind *k, int64_t start,
	    int64_t end);
/* Classify a component by its own properties (never its series'). */
void	cal_kind_of(const struct cal_opts *o, icalcomponent *c,
	    struct cal_kind *k);

/*
 * A component's own first span: DTSTART to its end by DTEND or DURATION.
 * Returns 0, or -1 when it has no usable DTSTART; *has_end is false when
 * it has neither DTEND nor DURATION.
 */
int	cal_span_of(struct cal_run *r, icalcomponent *c, int64_t *start,
	    int64_t *end, bool *has_end);

/*
 * Expand the VEVENT (or AVAILABLE) series master with its overrides
 * (components of the same UID with a RECURRENCE-ID), emitting each
 * instance through emit(r, kind, start, end, arg) — cal_emit, or a
 * clipping variant. Returns 0, -1 for a broken component (skipped, a
 * warning), or a fatal CAL_E* code already recorded in r.
 */
typedef int	(*cal_emit_fn)(struct cal_run *r, const struct cal_kind *k,
		    int64_t start, int64_t end, void *arg);
int	cal_expand(struct cal_run *r, icalcomponent *master,
	    icalcomponent **overrides, size_t n_overrides, cal_emit_fn emit,
	    void *arg);
