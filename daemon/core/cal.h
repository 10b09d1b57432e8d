/* iCalendar to availability: what a GP's agenda offers and when it is busy. */
#pragma once

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "daemon/core/ivs.h"
#include "daemon/core/tz.h"

#define CAL_ERRORS(X)							\
	X(CAL_OK,	  "ok")						\
	X(CAL_ENOTCAL,	  "not an iCalendar feed")			\
	X(CAL_ETOOBIG,	  "feed larger than feeds.max_bytes")		\
	X(CAL_ETOOMANY,	  "more instances than feeds.max_instances")	\
	X(CAL_ETOOLONG,	  "expansion took too long")			\
	X(CAL_ENOMEM,	  "out of memory")

enum cal_err {
#define X(code, msg) code,
	CAL_ERRORS(X)
#undef X
	CAL_ERR_COUNT
};

const char	*cal_strerror(int err);

/* Category values that mark offered or absent time (CONFIG.md markers). */
struct cal_markers {
	const char *const	*snp;		/* default {"SNP"} */
	size_t			 n_snp;
	const char *const	*oncall;	/* {"ASTREINTE", "ONCALL"} */
	size_t			 n_oncall;
	const char *const	*absent;	/* {"ABSENCE", "CONGES", ...} */
	size_t			 n_absent;
};

struct cal_opts {
	const struct tz		*tz;	/* the territory's zone */
	int64_t			 from_utc;	/* the horizon, [from, to) */
	int64_t			 to_utc;
	struct cal_markers	 markers;
	size_t			 max_bytes;	/* feeds.max_bytes */
	int64_t			 max_instances;	/* feeds.max_instances */
	/*
	 * Asked now and then during expansion; true stops it with
	 * CAL_ETOOLONG. The core reads no clock: the caller's deadline.
	 * NULL: no time bound (the instance bound still holds).
	 */
	bool			(*is_late)(void *arg);
	void			*late_arg;
};

/*
 * A GP's availability over the horizon, as DESIGN.md defines it: every
 * set normalized and clipped to [from_utc, to_utc).
 */
struct cal_avail {
	struct ivs	offered_snp;	/* SNP marker, AVAILABLE, FBTYPE=FREE */
	struct ivs	offered_oncall;	/* on-call marker */
	struct ivs	busy;		/* other events, FBTYPE=BUSY* */
	struct ivs	absent;		/* absences: a subset of busy */
	size_t		events;		/* components read */
	int64_t		instances;	/* instances generated (all time) */
	size_t		warnings;	/* broken components skipped */
};

void	cal_avail_init(struct cal_avail *a);
void	cal_avail_fini(struct cal_avail *a);

/*
 * Read an iCalendar text of len bytes (not NUL-terminated) and compute
 * the availability it describes. Pure: safe on a worker thread once the
 * zones are loaded (cal_zones_preload on the loop thread first).
 * Returns CAL_OK and fills out, or an error with why set (out is then
 * empty): a text that is not a calendar, too big, or that expands past
 * the bounds is rejected whole; a broken component inside a valid one is
 * skipped and counted in out->warnings.
 */
int	cal_parse(const char *text, size_t len, const struct cal_opts *opts,
	    struct cal_avail *out, char *why, size_t whylen);

/*
 * Load libical's built-in zones that feeds name most (the territory's,
 * and the targets of the Windows and old Mozilla names cal_parse maps),
 * so that workers never load a zone concurrently. Loop thread, at start.
 */
void	cal_zones_preload(const struct tz *territory);
