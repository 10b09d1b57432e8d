/* A feed's outcomes: new content taken, stored, announced; failures. */
#include "daemon/feed_int.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "daemon/booking.h"
#include "daemon/daemon.h"
#include "daemon/evt.h"
#include "daemon/log.h"
#include "daemon/planner.h"
#include "daemon/roster.h"
#include "daemon/store.h"
#include "daemon/store_feed.h"

static void
feed_result_store_done(void *arg, int err)
{
	(void)arg;
	if (err != STORE_OK)
		log_err("feed", "feed state not stored: %s",
		    store_strerror(err));
}

/* Copy f's status into a store row (no content). */
static void
feed_result_row(const struct feed *f, struct store_feed *row)
{
	memset(row, 0, sizeof(*row));
	snprintf(row->gp, sizeof(row->gp), "%s", f->gp);
	row->etag = f->etag;
	row->last_modified = f->last_modified;
	row->error = f->error;
	row->fetch_utc = f->fetch_utc;
	row->ok_utc = f->ok_utc;
	row->failing_since_utc = f->failing_since_utc;
	row->good_utc = f->good_utc;
	row->hash = f->hash;
	row->ics = f->ics;
	row->ics_len = f->ics_len;
	row->events = (int64_t)f->avail.events;
	row->warnings = (int64_t)f->avail.warnings;
}

/* A fetch or parse failed: keep the last good content, say why. */
void
feed_result_failed(struct feed *f, const char *why)
{
	struct daemon *d = f->fs->d;
	int64_t now = clk_now_utc(&d->clk);
	struct store_feed row;
	cJSON *e;

	if (f->failing_since_utc == 0)
		f->failing_since_utc = now;
	f->fetch_utc = now;
	f->state = FEED_FAILING;
	f->failures++;
	feed_set_str(&f->error, why);
	log_warning("feed", "gp=%s %s: %s (retry %u)", f->gp, f->masked, why,
	    f->failures);
	feed_result_row(f, &row);
	if (d->store != NULL)
		store_feed_save_status(d->store, &row, feed_result_store_done, NULL);
	e = cJSON_CreateObject();
	cJSON_AddStringToObject(e, "gp", f->gp);
	cJSON_AddStringToObject(e, "error", why);
	feeds_add_time(d, e, "since", f->failing_since_utc);
	feeds_add_time(d, e, "at", now);
	evt_publish(d->srv, "feed.error", e);
	feed_fetch_plan(f);
}

/* A fetch found nothing new (304, or the same bytes): a success. */
void
feed_result_unchanged(struct feed *f)
{
	struct daemon *d = f->fs->d;
	struct store_feed row;

	f->fetch_utc = f->ok_utc = clk_now_utc(&d->clk);
	f->state = f->has_avail ? FEED_OK : f->state;
	f->failures = 0;
	f->failing_since_utc = 0;
	feed_set_str(&f->error, NULL);
	feed_result_row(f, &row);
	row.ics = NULL;
	if (d->store != NULL)
		store_feed_save_status(d->store, &row, feed_result_store_done, NULL);
	feed_fetch_plan(f);
}

/* Announce new content once it is on disk; then answer a push. */
struct feed_commit {
	struct feeds	*fs;
	char		 gp[65];
	feeds_push_fn	 push_done;
	void		*push_arg;
};

static void
feed_result_committed(void *arg, int err)
{
	struct feed_commit *x = arg;
	struct feed *f = x->fs->is_closing ? NULL : feeds_find(x->fs, x->gp);
	struct daemon *d = x->fs->d;
	cJSON *e;

	if (err != STORE_OK) {
		log_err("feed", "gp=%s new content not stored: %s", x->gp,
		    store_strerror(err));
		if (x->push_done != NULL)
			x->push_done(x->push_arg, -1, store_strerror(err),
			    NULL);
		free(x);
		return;
	}
	if (f != NULL) {
		e = cJSON_CreateObject();
		cJSON_AddStringToObject(e, "gp", f->gp);
		cJSON_AddNumberToObject(e, "events", (double)f->avail.events);
		cJSON_AddNumberToObject(e, "warnings",
		    (double)f->avail.warnings);
		cJSON_AddNumberToObject(e, "offered_snp_s",
		    (double)ivs_total(&f->avail.offered_snp));
		cJSON_AddNumberToObject(e, "offered_oncall_s",
		    (double)ivs_total(&f->avail.offered_oncall));
		cJSON_AddNumberToObject(e, "busy_s",
		    (double)ivs_total(&f->avail.busy));
		feeds_add_time(d, e, "at", f->good_utc);
		evt_publish(d->srv, "feed.updated", e);
	}
	if (x->push_done != NULL)
		x->push_done(x->push_arg, 0, "", f != NULL ? &f->avail : NULL);
	free(x);
}

/* Take a good parse: the new content and availability, stored, announced. */
void
feed_result_take(struct feed *f, struct feed_job *j)
{
	struct daemon *d = f->fs->d;
	bool is_new = j->origin != FEED_FROM_STORE;
	struct feed_commit *x;
	struct store_feed row;
	int err;

	cal_avail_fini(&f->avail);
	f->avail = j->avail;
	cal_avail_init(&j->avail);
	f->has_avail = true;
	f->avail_generation = j->params->generation;
	if (j->text != f->ics) {
		free(f->ics);
		f->ics = j->text;
		f->ics_len = j->len;
		j->text = NULL;
	}
	f->hash = j->hash;
	if (d->planner != NULL)
		planner_feed_changed(d->planner, f->gp);
	if (d->booking != NULL)
		booking_feed_changed(d->booking, f->gp);
	roster_feed_changed(d->roster, f->gp);
	if (!is_new) {
		/* Restored or re-expanded: nothing new to store or say. */
		if (f->state == FEED_NEVER)
			f->state = FEED_OK;
		return;
	}
	f->fetch_utc = f->ok_utc = f->good_utc = clk_now_utc(&d->clk);
	f->state = FEED_OK;
	f->failures = 0;
	f->failing_since_utc = 0;
	feed_set_str(&f->error, NULL);
	if (j->origin == FEED_FROM_HTTP) {
		feed_set_str(&f->etag, j->etag);
		feed_set_str(&f->last_modified, j->last_modified);
	}
	log_info("feed", "gp=%s %s: %zu events, %zu warnings", f->gp,
	    f->masked, f->avail.events, f->avail.warnings);
	x = calloc(1, sizeof(*x));
	feed_result_row(f, &row);
	if (x == NULL || d->store == NULL) {
		free(x);
		if (j->push_done != NULL)
			j->push_done(j->push_arg, -1, "out of memory", NULL);
		return;
	}
	x->fs = f->fs;
	snprintf(x->gp, sizeof(x->gp), "%s", f->gp);
	x->push_done = j->push_done;
	x->push_arg = j->push_arg;
	j->push_done = NULL;
	err = store_feed_save_good(d->store, &row, feed_result_committed, x);
	if (err != STORE_OK)
		feed_result_committed(x, err);
}
