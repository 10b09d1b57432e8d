/* Private to the feeds: per-GP state and the parse job on the pool. */
#pragma once

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <cjson/cJSON.h>
#include <uv.h>

#include "daemon/feed.h"

struct daemon;
struct http;
struct http_xfer;

/*
 * What a parse needs from the config, copied: a reload may free the
 * config while a job runs. Shared by jobs, counted on the loop thread.
 */
struct feed_params {
	int		 refs;
	const struct tz	*tz;		/* libical's: lives until exit */
	char		**markers;	/* snp, then oncall, then absent */
	size_t		 n_snp, n_oncall, n_absent;
	size_t		 max_bytes;
	int64_t		 max_instances;
	int		 timeout_s;	/* also bounds a parse */
	int64_t		 from_utc, to_utc;	/* the horizon */
	unsigned	 generation;	/* changes when any of this does */
};

enum feed_origin {
	FEED_FROM_HTTP,
	FEED_FROM_FILE,
	FEED_FROM_PUSH,
	FEED_FROM_STORE,	/* restored at start, or re-expanded */
};

struct feed;

/* One parse on libuv's pool: inputs in, availability out. */
struct feed_job {
	uv_work_t		 req;		/* first: callbacks cast back */
	struct feed		*feed;		/* NULL once orphaned */
	struct feed_params	*params;	/* a reference */
	enum feed_origin	 origin;
	char			*text;		/* in (or read from path) */
	size_t			 len;
	char			*path;		/* FEED_FROM_FILE: read it */
	uint64_t		 skip_hash;	/* same bytes: no parse */
	char			*etag, *last_modified;	/* HTTP validators */
	feeds_push_fn		 push_done;	/* FEED_FROM_PUSH */
	void			*push_arg;
	/* out: */
	bool			 is_unchanged;	/* hash equal to skip_hash */
	uint64_t		 hash;
	struct cal_avail	 avail;
	int			 err;		/* CAL_E*, or -1: unreadable */
	char			 why[256];
};

/*
 * The work of a job, on a worker: read the file if any, hash the bytes,
 * parse them. feed_job_queue() hands j (taken) to libuv's pool for f;
 * the result comes back on the loop thread through feed_result_*().
 */
void	feed_job_work(uv_work_t *req);
void	feed_job_free(struct feed_job *j);
void	feed_job_queue(struct feed *f, struct feed_job *j);
/* 64-bit FNV-1a of the bytes: "same content", not a secret. */
uint64_t feed_hash(const char *p, size_t n);

/* One GP's feed, owned by the loop thread. */
struct feed {
	struct feeds		*fs;
	char			 gp[65];
	char			*url;		/* http(s), or NULL */
	char			*path;		/* file, or NULL */
	char			 masked[160];	/* the source, for status */
	/* Status. */
	enum feed_state		 state;
	int64_t			 fetch_utc, ok_utc, good_utc;
	int64_t			 failing_since_utc;
	char			*error;
	char			*etag, *last_modified;
	unsigned		 failures;	/* in a row: the backoff */
	/* The content in use, and its expansion. */
	char			*ics;
	size_t			 ics_len;
	uint64_t		 hash;
	struct cal_avail	 avail;
	bool			 has_avail;
	unsigned		 avail_generation;
	/* Machinery. */
	uv_timer_t		 timer;		/* next fetch, or debounce */
	uv_fs_event_t		 watch;		/* the file's directory */
	int			 open_handles;
	bool			 has_watch;
	bool			 is_closing;
	struct http_xfer	*xfer;
	struct feed_job		*job;		/* at most one at a time */
	struct feed_job		*pending;	/* a push waiting for it */
	bool			 wants_fetch;	/* after the job in flight */
};

/* Every feed of the territory. */
struct feeds {
	struct daemon		*d;
	struct http		*http;
	struct feed_params	*params;
	struct feed		**v;
	size_t			 n;
	uv_timer_t		 midnight;	/* a new day: slide */
	bool			 is_quiet;	/* draining: no new fetch */
	bool			 is_closing;
	int			 alive;		/* feeds and the timer left */
	uint64_t		 rng;
};

/* feed.c: shared helpers. */
struct feed	*feeds_find(struct feeds *fs, const char *gp);
uint64_t	 feeds_jitter(struct feeds *fs, uint64_t ms);
void		 feeds_add_time(const struct daemon *d, cJSON *o,
		    const char *key, int64_t utc);
void		 feed_params_unref(struct feed_params *p);
void		 feed_set_str(char **dst, const char *src);

/* feed_fetch.c: getting content. */
void	feed_fetch(struct feed *f);	/* now, unless one is under way */
void	feed_fetch_plan(struct feed *f);	/* arm the next fetch */
void	feed_fetch_on_timer(uv_timer_t *t);
void	feed_fetch_watch(struct feed *f);	/* its file's directory */

/* feed_result.c: what came back. */
void	feed_result_failed(struct feed *f, const char *why);
void	feed_result_unchanged(struct feed *f);
void	feed_result_take(struct feed *f, struct feed_job *j);
