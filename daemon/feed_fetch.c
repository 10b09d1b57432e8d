/* A feed's content: when to fetch it, and from where (HTTP, a file). */
#include "daemon/feed_int.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "daemon/daemon.h"
#include "daemon/http.h"
#include "daemon/log.h"

#define FEED_RETRY_FIRST_S	30	/* first retry after a failure */
#define FEED_RETRY_MAX_S	3600	/* backoff cap (or refresh_s) */
#define FEED_DEBOUNCE_MS	100	/* a save is several writes */
#define FEED_MAX_REDIRECTS	5

static void
feed_fetch_http_done(void *arg, struct http_result *res)
{
	struct feed *f = arg;
	struct feed_job *j;

	f->xfer = NULL;
	if (res->err != HTTP_OK) {
		feed_result_failed(f, res->why[0] != '\0' ? res->why :
		    http_strerror(res->err));
		http_result_free(res);
		return;
	}
	if (res->not_modified) {
		/* Validators are sent only with content in hand. */
		http_result_free(res);
		if (f->has_avail)
			feed_result_unchanged(f);
		else
			feed_result_failed(f, "HTTP 304 for a calendar never read");
		return;
	}
	j = calloc(1, sizeof(*j));
	if (j == NULL) {
		http_result_free(res);
		feed_result_failed(f, "out of memory");
		return;
	}
	j->origin = FEED_FROM_HTTP;
	j->text = res->body;
	j->len = res->len;
	res->body = NULL;
	j->etag = res->etag;
	j->last_modified = res->last_modified;
	res->etag = res->last_modified = NULL;
	if (f->has_avail && f->avail_generation == f->fs->params->generation)
		j->skip_hash = f->hash;
	http_result_free(res);
	feed_job_queue(f, j);
}

/* The watched directory changed: was it our file? Debounce, then read. */
static void
feed_fetch_on_fs_event(uv_fs_event_t *h, const char *name, int events, int status)
{
	struct feed *f = h->data;
	const char *base = strrchr(f->path, '/');

	(void)events;
	if (status < 0 || f->is_closing)
		return;
	base = base != NULL ? base + 1 : f->path;
	if (name != NULL && strcmp(name, base) != 0)
		return;
	uv_timer_start(&f->timer, feed_fetch_on_timer, FEED_DEBOUNCE_MS, 0);
}

void
feed_fetch_on_timer(uv_timer_t *t)
{
	feed_fetch(t->data);
}

/* Next fetch: refresh_s after a success, a growing backoff after failures. */
void
feed_fetch_plan(struct feed *f)
{
	const struct cfg *c = f->fs->d->cfg;
	uint64_t s = (uint64_t)c->feeds.refresh_s, cap;

	if (f->is_closing || f->fs->is_quiet ||
	    (f->url == NULL && f->path == NULL))
		return;
	if (f->failures > 0) {
		cap = s > FEED_RETRY_MAX_S ? s : FEED_RETRY_MAX_S;
		s = FEED_RETRY_FIRST_S;
		for (unsigned i = 1; i < f->failures && s < cap; i++)
			s *= 2;
		if (s > cap)
			s = cap;
	}
	uv_timer_start(&f->timer, feed_fetch_on_timer,
	    feeds_jitter(f->fs, s * 1000), 0);
}

void
feed_fetch(struct feed *f)
{
	struct feeds *fs = f->fs;
	const struct cfg *c = fs->d->cfg;
	struct feed_job *j;

	if (f->is_closing || fs->is_quiet)
		return;
	uv_timer_stop(&f->timer);
	if (f->job != NULL || f->xfer != NULL) {
		f->wants_fetch = f->job != NULL;
		return;
	}
	if (f->url != NULL) {
		struct http_get_opts o = {
			.url = f->url,
			.etag = f->has_avail ? f->etag : NULL,
			.last_modified = f->has_avail ? f->last_modified : NULL,
			.timeout_s = c->feeds.timeout_s,
			.max_bytes = (size_t)c->feeds.max_bytes,
			.max_redirects = FEED_MAX_REDIRECTS,
		};
		int err = http_get(fs->http, &o, feed_fetch_http_done, f, &f->xfer);

		if (err != HTTP_OK)
			feed_result_failed(f, http_strerror(err));
		return;
	}
	if (f->path == NULL)
		return;		/* push only */
	j = calloc(1, sizeof(*j));
	if (j == NULL || (j->path = strdup(f->path)) == NULL) {
		free(j);
		feed_result_failed(f, "out of memory");
		return;
	}
	j->origin = FEED_FROM_FILE;
	if (f->has_avail && f->avail_generation == fs->params->generation)
		j->skip_hash = f->hash;
	feed_job_queue(f, j);
}

/* Watch the file's directory: editors save by writing a new file. */
void
feed_fetch_watch(struct feed *f)
{
	char dir[4096];
	const char *slash = strrchr(f->path, '/');
	size_t n = slash != NULL ? (size_t)(slash - f->path) : 0;

	if (n == 0 || n >= sizeof(dir))
		return;
	memcpy(dir, f->path, n);
	dir[n] = '\0';
	if (uv_fs_event_init(&f->fs->d->loop, &f->watch) != 0)
		return;
	f->watch.data = f;
	f->open_handles++;
	f->has_watch = true;
	if (uv_fs_event_start(&f->watch, feed_fetch_on_fs_event, dir, 0) != 0)
		log_warning("feed", "gp=%s: cannot watch its directory; it "
		    "is read every refresh_s", f->gp);
}
