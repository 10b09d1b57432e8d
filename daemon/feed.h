/* GPs' calendar feeds: fetch (file, HTTP, push), parse off the loop, keep. */
#pragma once

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "daemon/core/cal.h"

struct daemon;
struct feeds;

enum feed_state {
	FEED_NEVER,		/* nothing good yet, nothing failed yet */
	FEED_OK,		/* the last attempt succeeded */
	FEED_FAILING,		/* the last attempt failed; last good kept */
};

/* What ops may read of one GP's feed; valid until the loop runs again. */
struct feed_view {
	const char		*gp;
	const char		*source;	/* masked: no path, no query */
	bool			 is_push_only;
	enum feed_state		 state;
	int64_t			 fetch_utc;	/* last attempt, 0: never */
	int64_t			 ok_utc;	/* last success */
	int64_t			 good_utc;	/* the content in use, since */
	int64_t			 failing_since_utc;	/* 0: not failing */
	const char		*error;		/* the last failure, or NULL */
	const char		*etag;
	const struct cal_avail	*avail;		/* NULL: no content yet */
	int64_t			 from_utc, to_utc;	/* avail's horizon */
};

/*
 * Start the feeds of d's config: stored content is restored (so that a
 * restart with a source down still has it), file sources are watched,
 * HTTP sources fetched. Returns 0, or -1 with why set.
 */
int	feeds_open(struct daemon *d, struct feeds **out, char *why,
	    size_t whylen);
/* Stop fetching: no new transfer starts (draining at shutdown). */
void	feeds_quiesce(struct feeds *fs);
/* Cancel everything; frees itself once libuv closed its handles. */
void	feeds_close(struct feeds *fs);
/* The config changed (d->cfg is the new one): follow it. */
void	feeds_reload(struct feeds *fs);

/* The view of gp's feed, false when gp has none (unknown GP). */
bool	feeds_view(struct feeds *fs, const char *gp, struct feed_view *out);
/* Fetch gp's feed (NULL: every feed) now; returns how many were queued. */
unsigned feeds_refresh(struct feeds *fs, const char *gp);

struct feeds_counts {
	unsigned	ok, failing, never, push_only;
};
void	feeds_count(struct feeds *fs, struct feeds_counts *out);
/*
 * Whether some feed is still reading its stored content (at start) or
 * expanding it again (a reload, a new day): the planner waits for them.
 */
bool	feeds_restoring(const struct feeds *fs);
/* Whether every feed with a source was read or failed at least once. */
bool	feeds_all_tried(const struct feeds *fs);

/*
 * A calendar pushed by feed.push for gp: parsed off the loop, and if
 * good, stored and used. done(arg, err, why, avail) runs on the loop
 * after the store's commit (err 0; avail valid during the call) or on
 * failure (err a CAL_E* code, or -1 for "unavailable", why set). ics is
 * copied.
 */
typedef void	(*feeds_push_fn)(void *arg, int err, const char *why,
		    const struct cal_avail *avail);
int	feeds_push(struct feeds *fs, const char *gp, const char *ics,
	    size_t len, feeds_push_fn done, void *arg);
