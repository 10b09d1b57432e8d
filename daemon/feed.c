/* GPs' calendar feeds: fetch (file, HTTP, push), parse off the loop, keep. */
#include "daemon/feed.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "daemon/daemon.h"
#include "daemon/feed_int.h"
#include "daemon/http.h"
#include "daemon/log.h"
#include "daemon/store.h"
#include "daemon/store_feed.h"

/* An event's or answer's time, in the territory's zone. */
void
feeds_add_time(const struct daemon *d, cJSON *o, const char *key,
    int64_t utc)
{
	char buf[RFC3339_MAX];

	cJSON_AddStringToObject(o, key, daemon_time(d, utc, buf));
}

/* A small PRNG for jitter; the shell may use randomness, the core not. */
static uint32_t
feeds_rand(struct feeds *fs)
{
	fs->rng ^= fs->rng << 13;
	fs->rng ^= fs->rng >> 7;
	fs->rng ^= fs->rng << 17;
	return (uint32_t)(fs->rng >> 16);
}

/* ms, give or take 10 %, so that feeds do not all fetch at once. */
uint64_t
feeds_jitter(struct feeds *fs, uint64_t ms)
{
	uint64_t spread = ms / 10;

	if (spread == 0)
		return ms;
	return ms - spread + feeds_rand(fs) % (2 * spread + 1);
}

void
feed_params_unref(struct feed_params *p)
{
	if (p == NULL || --p->refs > 0)
		return;
	for (size_t i = 0; i < p->n_snp + p->n_oncall + p->n_absent; i++)
		free(p->markers[i]);
	free(p->markers);
	free(p);
}

/* The horizon: today 00:00 local to the same time horizon_days later. */
static void
feeds_horizon(const struct daemon *d, int64_t *from, int64_t *to)
{
	const struct tz *z = d->cfg->territory.tz;
	struct tz_local l;

	tz_to_local(z, clk_now_utc(&d->clk), &l);
	*from = tz_from_local(z, l.year, l.month, l.day, 0, 0, 0);
	*to = tz_from_local(z, l.year, l.month,
	    l.day + d->cfg->territory.horizon_days, 0, 0, 0);
}

static int
feed_params_markers(char **dst, const struct cfg_strv *v)
{
	for (size_t i = 0; i < v->n; i++)
		if ((dst[i] = strdup(v->v[i])) == NULL)
			return -1;
	return 0;
}

/* A snapshot of what parses need; generation tells it apart. */
static struct feed_params *
feed_params_new(const struct daemon *d, unsigned generation)
{
	const struct cfg_territory *t = &d->cfg->territory;
	struct feed_params *p = calloc(1, sizeof(*p));
	size_t n;

	if (p == NULL)
		return NULL;
	p->refs = 1;
	p->tz = t->tz;
	p->n_snp = t->markers_snp.n;
	p->n_oncall = t->markers_oncall.n;
	p->n_absent = t->markers_absent.n;
	n = p->n_snp + p->n_oncall + p->n_absent;
	p->markers = calloc(n > 0 ? n : 1, sizeof(*p->markers));
	if (p->markers == NULL ||
	    feed_params_markers(p->markers, &t->markers_snp) ||
	    feed_params_markers(p->markers + p->n_snp, &t->markers_oncall) ||
	    feed_params_markers(p->markers + p->n_snp + p->n_oncall,
	    &t->markers_absent)) {
		feed_params_unref(p);
		return NULL;
	}
	p->max_bytes = (size_t)d->cfg->feeds.max_bytes;
	p->max_instances = d->cfg->feeds.max_instances;
	p->timeout_s = d->cfg->feeds.timeout_s;
	feeds_horizon(d, &p->from_utc, &p->to_utc);
	p->generation = generation;
	return p;
}

/* Do two snapshots expand a calendar the same way? */
static bool
feed_params_same(const struct feed_params *a, const struct feed_params *b)
{
	size_t n = a->n_snp + a->n_oncall + a->n_absent;

	if (a->tz != b->tz || a->n_snp != b->n_snp ||
	    a->n_oncall != b->n_oncall || a->n_absent != b->n_absent ||
	    a->max_bytes != b->max_bytes ||
	    a->max_instances != b->max_instances ||
	    a->from_utc != b->from_utc || a->to_utc != b->to_utc)
		return false;
	for (size_t i = 0; i < n; i++)
		if (strcmp(a->markers[i], b->markers[i]) != 0)
			return false;
	return true;
}

void
feed_set_str(char **dst, const char *src)
{
	free(*dst);
	*dst = src != NULL ? strdup(src) : NULL;
}

struct feed *
feeds_find(struct feeds *fs, const char *gp)
{
	for (size_t i = 0; i < fs->n; i++)
		if (strcmp(fs->v[i]->gp, gp) == 0)
			return fs->v[i];
	return NULL;
}

/* --- lifecycle ------------------------------------------------------- */

static void
feed_free(struct feed *f)
{
	cal_avail_fini(&f->avail);
	free(f->url);
	free(f->path);
	free(f->error);
	free(f->etag);
	free(f->last_modified);
	free(f->ics);
	free(f);
}

/* The feeds go once their timer and every feed are gone. */
static void
feeds_unref(struct feeds *fs)
{
	if (--fs->alive > 0)
		return;
	feed_params_unref(fs->params);
	free(fs->v);
	free(fs);
}

static void
feed_handle_closed(uv_handle_t *h)
{
	struct feed *f = h->data;
	struct feeds *fs = f->fs;

	if (--f->open_handles > 0)
		return;
	feed_free(f);
	feeds_unref(fs);
}

/* Stop and free f once its handles are closed; its job is orphaned. */
static void
feed_close(struct feed *f)
{
	f->is_closing = true;
	if (f->xfer != NULL) {
		http_cancel(f->xfer);
		f->xfer = NULL;
	}
	if (f->job != NULL) {
		f->job->feed = NULL;
		uv_cancel((uv_req_t *)&f->job->req);
		f->job = NULL;
	}
	if (f->pending != NULL) {
		struct feed_job *j = f->pending;

		f->pending = NULL;
		if (j->push_done != NULL)
			j->push_done(j->push_arg, -1, "the GP's feed is gone",
			    NULL);
		feed_job_free(j);
	}
	uv_close((uv_handle_t *)&f->timer, feed_handle_closed);
	if (f->has_watch)
		uv_close((uv_handle_t *)&f->watch, feed_handle_closed);
}

/* Set f's source from the config's GP g. */
static void
feed_set_source(struct feed *f, const struct cfg_gp *g)
{
	free(f->url);
	free(f->path);
	f->url = g->feed_url != NULL ? strdup(g->feed_url) : NULL;
	f->path = g->feed_path != NULL ? strdup(g->feed_path) : NULL;
	if (f->url != NULL)
		http_mask_url(f->url, f->masked, sizeof(f->masked));
	else if (f->path != NULL)
		snprintf(f->masked, sizeof(f->masked), "file %s",
		    strrchr(f->path, '/') != NULL ? strrchr(f->path, '/') + 1 :
		    f->path);
	else
		snprintf(f->masked, sizeof(f->masked), "push");
}

static struct feed *
feed_new(struct feeds *fs, const struct cfg_gp *g)
{
	struct feed *f = calloc(1, sizeof(*f));

	if (f == NULL)
		return NULL;
	f->fs = fs;
	snprintf(f->gp, sizeof(f->gp), "%s", g->id);
	feed_set_source(f, g);
	uv_timer_init(&fs->d->loop, &f->timer);
	f->timer.data = f;
	f->open_handles = 1;
	fs->alive++;
	if (f->path != NULL)
		feed_fetch_watch(f);
	return f;
}

/* --- the horizon ------------------------------------------------------ */

/* Expand f's content again under the current parameters. */
static void
feed_reexpand(struct feed *f)
{
	struct feed_job *j;

	if (f->ics == NULL || f->is_closing)
		return;
	if (f->job != NULL) {
		/* The job in flight may use old parameters: read again. */
		f->wants_fetch = true;
		return;
	}
	j = calloc(1, sizeof(*j));
	if (j == NULL || (j->text = malloc(f->ics_len + 1)) == NULL) {
		free(j);
		log_err("feed", "gp=%s: out of memory", f->gp);
		return;
	}
	memcpy(j->text, f->ics, f->ics_len);
	j->len = f->ics_len;
	j->origin = FEED_FROM_STORE;
	feed_job_queue(f, j);
}

/* New parameters (a reload, a new day): every feed expands again. */
static void
feeds_new_params(struct feeds *fs)
{
	struct feed_params *p = feed_params_new(fs->d,
	    fs->params != NULL ? fs->params->generation + 1 : 1);

	if (p == NULL) {
		log_err("feed", "out of memory: the horizon was not moved");
		return;
	}
	if (fs->params != NULL && feed_params_same(fs->params, p)) {
		feed_params_unref(p);
		return;
	}
	feed_params_unref(fs->params);
	fs->params = p;
	for (size_t i = 0; i < fs->n; i++)
		feed_reexpand(fs->v[i]);
}

static void	feeds_on_midnight(uv_timer_t *t);

/* Arm the timer for the next local midnight (DST-safe: 23 or 25 h). */
static void
feeds_arm_midnight(struct feeds *fs)
{
	const struct daemon *d = fs->d;
	const struct tz *z = d->cfg->territory.tz;
	int64_t now = clk_now_utc(&d->clk), next;
	struct tz_local l;

	tz_to_local(z, now, &l);
	next = tz_from_local(z, l.year, l.month, l.day + 1, 0, 0, 0);
	uv_timer_start(&fs->midnight, feeds_on_midnight,
	    (uint64_t)(next - now) * 1000 + 1000, 0);
}

static void
feeds_on_midnight(uv_timer_t *t)
{
	struct feeds *fs = t->data;

	log_info("feed", "a new day: the horizon moves");
	feeds_new_params(fs);
	feeds_arm_midnight(fs);
}

/* --- the API ---------------------------------------------------------- */

/* A stored row for a GP of the config: its status and last content. */
static void
feeds_restore(void *arg, struct store_feed *row)
{
	struct feeds *fs = arg;
	struct feed *f = feeds_find(fs, row->gp);
	struct feed_job *j;

	if (f == NULL) {
		store_feed_fini(row);
		return;
	}
	f->fetch_utc = row->fetch_utc;
	f->ok_utc = row->ok_utc;
	f->good_utc = row->good_utc;
	f->failing_since_utc = row->failing_since_utc;
	f->state = row->failing_since_utc != 0 ? FEED_FAILING : FEED_NEVER;
	f->error = row->error;
	f->etag = row->etag;
	f->last_modified = row->last_modified;
	row->error = row->etag = row->last_modified = NULL;
	if (row->ics != NULL && (j = calloc(1, sizeof(*j))) != NULL) {
		j->text = row->ics;
		j->len = row->ics_len;
		row->ics = NULL;
		j->origin = FEED_FROM_STORE;
		feed_job_queue(f, j);
	}
	store_feed_fini(row);
}

static int
feeds_add(struct feeds *fs, const struct cfg_gp *g)
{
	struct feed **v = realloc(fs->v, (fs->n + 1) * sizeof(*v));
	struct feed *f;

	if (v == NULL)
		return -1;
	fs->v = v;
	if ((f = feed_new(fs, g)) == NULL)
		return -1;
	fs->v[fs->n++] = f;
	return 0;
}

/* Start every fetch, spread over the first seconds. */
static void
feeds_start(struct feeds *fs)
{
	uint64_t spread = fs->n > 100 ? 30000 : 300 * fs->n;

	for (size_t i = 0; i < fs->n; i++) {
		struct feed *f = fs->v[i];

		if (f->url != NULL || f->path != NULL)
			uv_timer_start(&f->timer, feed_fetch_on_timer, spread > 0 ?
			    feeds_rand(fs) % spread : 0, 0);
	}
}

int
feeds_open(struct daemon *d, struct feeds **out, char *why, size_t whylen)
{
	struct feeds *fs = calloc(1, sizeof(*fs));
	int err;

	*out = NULL;
	if (fs == NULL) {
		snprintf(why, whylen, "out of memory");
		return -1;
	}
	fs->d = d;
	fs->rng = uv_hrtime() | 1;
	fs->alive = 1;		/* the midnight timer */
	if (http_open(&d->loop, &fs->http) != HTTP_OK) {
		snprintf(why, whylen, "cannot start the HTTP client");
		free(fs);
		return -1;
	}
	uv_timer_init(&d->loop, &fs->midnight);
	fs->midnight.data = fs;
	cal_zones_preload(d->cfg->territory.tz);
	feeds_new_params(fs);
	for (size_t i = 0; i < d->cfg->n_gps; i++)
		if (feeds_add(fs, &d->cfg->gps[i]) != 0) {
			snprintf(why, whylen, "out of memory");
			*out = fs;
			return -1;
		}
	*out = fs;
	if (fs->params == NULL) {
		snprintf(why, whylen, "out of memory");
		return -1;
	}
	err = store_feed_load(d->store, feeds_restore, fs);
	if (err != STORE_OK)
		log_err("feed", "stored feeds not read: %s",
		    store_strerror(err));
	feeds_arm_midnight(fs);
	feeds_start(fs);
	return 0;
}

void
feeds_quiesce(struct feeds *fs)
{
	fs->is_quiet = true;
	for (size_t i = 0; i < fs->n; i++)
		uv_timer_stop(&fs->v[i]->timer);
}

static void
feeds_midnight_closed(uv_handle_t *h)
{
	feeds_unref(h->data);
}

void
feeds_close(struct feeds *fs)
{
	if (fs == NULL || fs->is_closing)
		return;
	fs->is_closing = true;
	for (size_t i = 0; i < fs->n; i++)
		feed_close(fs->v[i]);
	fs->n = 0;
	http_close(fs->http);
	fs->http = NULL;
	uv_close((uv_handle_t *)&fs->midnight, feeds_midnight_closed);
}

/* Carry content and status from an old feed to its replacement. */
static void
feed_carry(struct feed *from, struct feed *to)
{
	to->state = from->state;
	to->fetch_utc = from->fetch_utc;
	to->ok_utc = from->ok_utc;
	to->good_utc = from->good_utc;
	to->failing_since_utc = from->failing_since_utc;
	to->ics = from->ics;
	to->ics_len = from->ics_len;
	to->hash = from->hash;
	to->avail = from->avail;
	to->has_avail = from->has_avail;
	to->avail_generation = from->avail_generation;
	from->ics = NULL;
	cal_avail_init(&from->avail);
	from->has_avail = false;
}

static bool
feed_same_source(const struct feed *f, const struct cfg_gp *g)
{
	const char *u = g->feed_url, *p = g->feed_path;

	return ((f->url == NULL && u == NULL) ||
	    (f->url != NULL && u != NULL && strcmp(f->url, u) == 0)) &&
	    ((f->path == NULL && p == NULL) ||
	    (f->path != NULL && p != NULL && strcmp(f->path, p) == 0));
}

void
feeds_reload(struct feeds *fs)
{
	const struct cfg *c = fs->d->cfg;
	struct feed **old = fs->v;
	size_t n_old = fs->n;

	fs->v = NULL;
	fs->n = 0;
	/* Keep the feeds whose GP and source stay; make the others anew. */
	for (size_t i = 0; i < c->n_gps; i++) {
		const struct cfg_gp *g = &c->gps[i];
		struct feed *f = NULL;

		for (size_t k = 0; k < n_old && f == NULL; k++)
			if (old[k] != NULL && strcmp(old[k]->gp, g->id) == 0) {
				f = old[k];
				old[k] = NULL;
			}
		if (f != NULL && feed_same_source(f, g)) {
			struct feed **v = realloc(fs->v,
			    (fs->n + 1) * sizeof(*v));

			if (v != NULL) {
				fs->v = v;
				fs->v[fs->n++] = f;
				continue;
			}
		}
		if (feeds_add(fs, g) != 0) {
			log_err("feed", "gp=%s: out of memory", g->id);
			if (f != NULL)
				feed_close(f);
			continue;
		}
		if (f != NULL) {
			feed_carry(f, fs->v[fs->n - 1]);
			feed_close(f);
		}
		feed_fetch(fs->v[fs->n - 1]);
	}
	for (size_t k = 0; k < n_old; k++)
		if (old[k] != NULL)
			feed_close(old[k]);	/* the GP left */
	free(old);
	feeds_new_params(fs);
}

bool
feeds_view(struct feeds *fs, const char *gp, struct feed_view *out)
{
	struct feed *f = feeds_find(fs, gp);

	if (f == NULL)
		return false;
	memset(out, 0, sizeof(*out));
	out->gp = f->gp;
	out->source = f->masked;
	out->is_push_only = f->url == NULL && f->path == NULL;
	out->state = f->state;
	out->fetch_utc = f->fetch_utc;
	out->ok_utc = f->ok_utc;
	out->good_utc = f->good_utc;
	out->failing_since_utc = f->failing_since_utc;
	out->error = f->error;
	out->etag = f->etag;
	out->avail = f->has_avail ? &f->avail : NULL;
	out->from_utc = fs->params->from_utc;
	out->to_utc = fs->params->to_utc;
	return true;
}

unsigned
feeds_refresh(struct feeds *fs, const char *gp)
{
	unsigned n = 0;

	for (size_t i = 0; i < fs->n; i++) {
		struct feed *f = fs->v[i];

		if ((gp != NULL && strcmp(f->gp, gp) != 0) ||
		    (f->url == NULL && f->path == NULL))
			continue;
		feed_fetch(f);
		n++;
	}
	return n;
}

void
feeds_count(struct feeds *fs, struct feeds_counts *out)
{
	memset(out, 0, sizeof(*out));
	for (size_t i = 0; i < fs->n; i++) {
		const struct feed *f = fs->v[i];

		if (f->url == NULL && f->path == NULL && !f->has_avail)
			out->push_only++;
		else if (f->state == FEED_OK)
			out->ok++;
		else if (f->state == FEED_FAILING)
			out->failing++;
		else
			out->never++;
	}
}

int
feeds_push(struct feeds *fs, const char *gp, const char *ics, size_t len,
    feeds_push_fn done, void *arg)
{
	struct feed *f = feeds_find(fs, gp);
	struct feed_job *j;

	if (f == NULL || fs->is_closing)
		return -1;
	if (f->pending != NULL)
		return -2;		/* one waits already: busy */
	j = calloc(1, sizeof(*j));
	if (j == NULL || (j->text = malloc(len + 1)) == NULL) {
		free(j);
		return -3;
	}
	memcpy(j->text, ics, len);
	j->text[len] = '\0';
	j->len = len;
	j->origin = FEED_FROM_PUSH;
	j->push_done = done;
	j->push_arg = arg;
	if (f->job != NULL)
		f->pending = j;	/* after the parse in flight */
	else
		feed_job_queue(f, j);
	return 0;
}

bool
feeds_restoring(const struct feeds *fs)
{
	for (size_t i = 0; i < fs->n; i++)
		if (fs->v[i]->job != NULL &&
		    fs->v[i]->job->origin == FEED_FROM_STORE)
			return true;
	return false;
}

bool
feeds_all_tried(const struct feeds *fs)
{
	for (size_t i = 0; i < fs->n; i++) {
		const struct feed *f = fs->v[i];

		if ((f->url != NULL || f->path != NULL) &&
		    f->state == FEED_NEVER && !f->has_avail)
			return false;
	}
	return true;
}
