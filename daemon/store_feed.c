/* The feed table: each GP's last good calendar and its fetch status. */
#include "daemon/store_feed.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void
store_feed_fini(struct store_feed *f)
{
	free(f->ics);
	free(f->etag);
	free(f->last_modified);
	free(f->error);
	f->ics = f->etag = f->last_modified = f->error = NULL;
}

static char *
store_feed_dup(const char *s)
{
	return s != NULL ? strdup(s) : NULL;
}

/* A deep copy for the writer thread; -1 when out of memory. */
static int
store_feed_copy(const struct store_feed *src, struct store_feed *dst)
{
	*dst = *src;
	dst->ics = NULL;
	dst->etag = store_feed_dup(src->etag);
	dst->last_modified = store_feed_dup(src->last_modified);
	dst->error = store_feed_dup(src->error);
	if (src->ics != NULL) {
		dst->ics = malloc(src->ics_len > 0 ? src->ics_len : 1);
		if (dst->ics != NULL)
			memcpy(dst->ics, src->ics, src->ics_len);
	}
	if ((src->etag != NULL && dst->etag == NULL) ||
	    (src->last_modified != NULL && dst->last_modified == NULL) ||
	    (src->error != NULL && dst->error == NULL) ||
	    (src->ics != NULL && dst->ics == NULL)) {
		store_feed_fini(dst);
		return -1;
	}
	return 0;
}

struct store_feed_job {
	struct store_feed	 row;
	store_done_fn		 done;
	void			*arg;
};

static void
store_feed_text(sqlite3_stmt *st, int i, const char *s)
{
	if (s != NULL)
		sqlite3_bind_text(st, i, s, -1, SQLITE_STATIC);
	else
		sqlite3_bind_null(st, i);
}

static int
store_feed_good_fn(struct store_tx *tx, void *arg)
{
	struct store_feed_job *j = arg;
	const struct store_feed *f = &j->row;
	sqlite3_stmt *st = tx->stmts[ST_FEED_GOOD];

	sqlite3_bind_text(st, 1, f->gp, -1, SQLITE_STATIC);
	sqlite3_bind_blob64(st, 2, f->ics, f->ics_len, SQLITE_STATIC);
	sqlite3_bind_int64(st, 3, (sqlite3_int64)f->hash);
	store_feed_text(st, 4, f->etag);
	store_feed_text(st, 5, f->last_modified);
	sqlite3_bind_int64(st, 6, f->good_utc);
	sqlite3_bind_int64(st, 7, f->events);
	sqlite3_bind_int64(st, 8, f->warnings);
	return store_exec(st);
}

static int
store_feed_status_fn(struct store_tx *tx, void *arg)
{
	struct store_feed_job *j = arg;
	const struct store_feed *f = &j->row;
	sqlite3_stmt *st = tx->stmts[ST_FEED_STATUS];

	sqlite3_bind_text(st, 1, f->gp, -1, SQLITE_STATIC);
	sqlite3_bind_int64(st, 2, f->fetch_utc);
	sqlite3_bind_int64(st, 3, f->ok_utc);
	sqlite3_bind_int64(st, 4, f->failing_since_utc);
	store_feed_text(st, 5, f->error);
	store_feed_text(st, 6, f->etag);
	store_feed_text(st, 7, f->last_modified);
	return store_exec(st);
}

static void
store_feed_done(void *arg, int err)
{
	struct store_feed_job *j = arg;

	if (j->done != NULL)
		j->done(j->arg, err);
	store_feed_fini(&j->row);
	free(j);
}

static int
store_feed_submit(struct store *s, const struct store_feed *f,
    store_write_fn fn, store_done_fn done, void *arg)
{
	struct store_feed_job *j = malloc(sizeof(*j));
	int err;

	if (j == NULL)
		return STORE_ENOMEM;
	if (store_feed_copy(f, &j->row) != 0) {
		free(j);
		return STORE_ENOMEM;
	}
	j->done = done;
	j->arg = arg;
	err = store_write(s, fn, store_feed_done, j);
	if (err != STORE_OK) {
		store_feed_fini(&j->row);
		free(j);
	}
	return err;
}

int
store_feed_save_good(struct store *s, const struct store_feed *f,
    store_done_fn done, void *arg)
{
	return store_feed_submit(s, f, store_feed_good_fn, done, arg);
}

int
store_feed_save_status(struct store *s, const struct store_feed *f,
    store_done_fn done, void *arg)
{
	return store_feed_submit(s, f, store_feed_status_fn, done, arg);
}

static char *
store_feed_col(sqlite3_stmt *st, int i)
{
	const unsigned char *t = sqlite3_column_text(st, i);

	return t != NULL ? strdup((const char *)t) : NULL;
}

int
store_feed_load(struct store *s, void (*each)(void *arg,
    struct store_feed *row), void *arg)
{
	static const char sql[] = "SELECT gp, ics, hash, etag, last_modified,"
	    " good_utc, events, warnings, fetch_utc, ok_utc,"
	    " failing_since_utc, error FROM feed ORDER BY gp";
	sqlite3_stmt *st;
	int rc;

	rc = sqlite3_prepare_v2(store_reader(s), sql, -1, &st, NULL);
	if (rc != SQLITE_OK)
		return store_err_of(rc);
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		struct store_feed f;
		const void *blob = sqlite3_column_blob(st, 1);
		int n = sqlite3_column_bytes(st, 1);

		memset(&f, 0, sizeof(f));
		snprintf(f.gp, sizeof(f.gp), "%s",
		    (const char *)sqlite3_column_text(st, 0));
		if (blob != NULL && (f.ics = malloc((size_t)n + 1)) != NULL) {
			memcpy(f.ics, blob, (size_t)n);
			f.ics_len = (size_t)n;
		}
		f.hash = (uint64_t)sqlite3_column_int64(st, 2);
		f.etag = store_feed_col(st, 3);
		f.last_modified = store_feed_col(st, 4);
		f.good_utc = sqlite3_column_int64(st, 5);
		f.events = sqlite3_column_int64(st, 6);
		f.warnings = sqlite3_column_int64(st, 7);
		f.fetch_utc = sqlite3_column_int64(st, 8);
		f.ok_utc = sqlite3_column_int64(st, 9);
		f.failing_since_utc = sqlite3_column_int64(st, 10);
		f.error = store_feed_col(st, 11);
		each(arg, &f);
	}
	sqlite3_finalize(st);
	return store_err_of(rc);
}
