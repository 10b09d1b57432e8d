/* Private to the feeds: per-GP state and the parse job on the pool. */
#pragma once

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <uv.h>

#include "daemon/feed.h"

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
 * The work and after-work of a job. feed_job_work runs on a worker: it
 * reads the file if any, hashes the bytes and parses them. feed_job_done
 * (in feed.c) takes the result on the loop thread.
 */
void	feed_job_work(uv_work_t *req);
void	feed_job_free(struct feed_job *j);
/* 64-bit FNV-1a of the bytes: "same content", not a secret. */
uint64_t feed_hash(const char *p, size_t n);
