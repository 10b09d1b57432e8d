/* The feed table: each GP's last good calendar and its fetch status. */
#pragma once

#include <stddef.h>
#include <stdint.h>

#include "daemon/store.h"

/* A feed's row, as stored and as loaded. Strings may be NULL. */
struct store_feed {
	char		 gp[65];
	char		*ics;		/* last good content, or NULL */
	size_t		 ics_len;
	uint64_t	 hash;		/* of ics */
	char		*etag;
	char		*last_modified;
	int64_t		 good_utc;	/* when ics was fetched */
	int64_t		 events;
	int64_t		 warnings;
	int64_t		 fetch_utc;	/* last attempt */
	int64_t		 ok_utc;	/* last success (maybe unchanged) */
	int64_t		 failing_since_utc;	/* 0 when not failing */
	char		*error;		/* the last failure, or NULL */
};

/* Free the strings of a row (not the struct). */
void	store_feed_fini(struct store_feed *f);

/*
 * Record new good content: ics, hash, validators and counts, fetched at
 * good_utc; clears the failure. The row is copied (f need not outlive
 * the call); done(arg, err) runs on the loop thread after the commit.
 */
int	store_feed_save_good(struct store *s, const struct store_feed *f,
	    store_done_fn done, void *arg);
/* Record a fetch's outcome without new content (304, same bytes, error). */
int	store_feed_save_status(struct store *s, const struct store_feed *f,
	    store_done_fn done, void *arg);

/*
 * Read every stored feed on the loop thread (at start): each(arg, row)
 * gets a row it may keep (its strings are then its own to free with
 * store_feed_fini). Returns a store error.
 */
int	store_feed_load(struct store *s, void (*each)(void *arg,
	    struct store_feed *row), void *arg);
