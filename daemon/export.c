/* Each GP's agenda export: gathered on the loop, written off it. */
#include "daemon/export.h"

#include <errno.h>
#include <fcntl.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <uv.h>

#include "daemon/daemon.h"
#include "daemon/log.h"
#include "daemon/planner.h"
#include "daemon/roster.h"
#include "daemon/store_booking.h"
#include "daemon/core/exp.h"
#include "daemon/core/tz.h"

#define EXPORT_DELAY_MS		200	/* gathers a burst of changes */
#define EXPORT_PAST_DAYS	31	/* bookings kept in the agenda */
#define EXPORT_PER_TURN		4	/* GPs gathered per loop turn */
#define EXPORT_JOB_MAX		64	/* GPs rendered by one worker job */

/* One GP's events, copied so that a worker can render them. */
struct export_cal {
	struct exp_cal		 cal;
	struct exp_event	*ev;
	size_t			 n, cap;
	struct store_booking	*bk;	/* the bookings' strings */
	size_t			 n_bk, cap_bk;
	char			*gp, *gp_name, *territory;
	char			*path, *tmp;
	char			*text;	/* rendered */
};

struct export_job {
	uv_work_t		 req;
	struct exporter		*x;
	struct export_cal	*cals;
	size_t			 n;
};

struct exporter {
	struct daemon		*d;
	char			**dirty;	/* GP ids to write */
	size_t			 n_dirty, cap_dirty;
	struct export_job	*building;	/* being gathered */
	struct export_job	*job;		/* in flight */
	uv_timer_t		 timer;
	bool			 has_timer;
	bool			 is_closing;
};

static void
export_cal_fini(struct export_cal *c)
{
	free(c->ev);
	free(c->bk);
	free(c->gp);
	free(c->gp_name);
	free(c->territory);
	free(c->path);
	free(c->tmp);
	free(c->text);
}

static int
export_add(struct export_cal *c, const struct exp_event *e)
{
	if (c->n == c->cap) {
		size_t cap = c->cap > 0 ? 2 * c->cap : 64;
		struct exp_event *v = realloc(c->ev, cap * sizeof(*v));

		if (v == NULL)
			return -1;
		c->ev = v;
		c->cap = cap;
	}
	c->ev[c->n++] = *e;
	return 0;
}

static int
export_booking_row(void *arg, const struct store_booking *b)
{
	struct export_cal *c = arg;

	if (c->n_bk == c->cap_bk) {
		size_t cap = c->cap_bk > 0 ? 2 * c->cap_bk : 16;
		struct store_booking *v = realloc(c->bk, cap * sizeof(*v));

		if (v == NULL)
			return -1;
		c->bk = v;
		c->cap_bk = cap;
	}
	c->bk[c->n_bk++] = *b;
	return 0;
}

/* Gather the GP's reserved slots and live bookings (loop thread). */
static int
export_gather(struct daemon *d, size_t gp, struct export_cal *c)
{
	const struct cfg *cf = d->cfg;
	const struct tz *z = cf->territory.tz;
	int64_t now = clk_now_utc(&d->clk), today = tz_day_start(z, now);
	int64_t day = today;

	memset(c, 0, sizeof(*c));
	if ((c->gp = strdup(cf->gps[gp].id)) == NULL ||
	    (c->gp_name = strdup(cf->gps[gp].name)) == NULL ||
	    (c->territory = strdup(cf->territory.name)) == NULL)
		return -1;
	for (int i = 0; i < cf->territory.horizon_days; i++,
	    day = tz_day_start(z, day + 90000)) {
		const struct planner_day *pd = planner_day(d->planner, day);
		size_t k = 0, hi = pd != NULL ? pd->n_slots : 0;

		/* Slots are sorted by GP: find this one's first. */
		while (k < hi) {
			size_t m = k + (hi - k) / 2;

			if (pd->slots[m].gp < gp)
				k = m + 1;
			else
				hi = m;
		}
		for (; pd != NULL && k < pd->n_slots; k++)
			if (pd->slots[k].gp != gp)
				break;
			else if (export_add(c,
			    &(struct exp_event){ .start = pd->slots[k].start,
			    .end = pd->slots[k].end,
			    .kind = EXP_RESERVED }) != 0)
				return -1;
	}
	if (d->roster != NULL) {
		size_t n;
		const struct roster_shift *sh = roster_shifts(d->roster, &n);

		/* The shifts in memory: the history window, the horizon. */
		for (size_t i = 0; i < n; i++) {
			bool is_p = strcmp(sh[i].primary, c->gp) == 0;

			if (!is_p && strcmp(sh[i].backup, c->gp) != 0)
				continue;
			if (export_add(c, &(struct exp_event){
			    .start = sh[i].start, .end = sh[i].end,
			    .kind = is_p ? EXP_ONCALL_PRIMARY :
			    EXP_ONCALL_BACKUP }) != 0)
				return -1;
		}
	}
	if (d->store == NULL || store_booking_each(d->store, today -
	    EXPORT_PAST_DAYS * 86400, INT64_MAX, c->gp, true,
	    export_booking_row, c) != STORE_OK)
		return -1;
	for (size_t i = 0; i < c->n_bk; i++) {
		const struct store_booking *b = &c->bk[i];

		if (export_add(c, &(struct exp_event){ .start = b->start,
		    .end = b->end, .kind = b->status == STORE_BK_CONFLICT ?
		    EXP_CONFLICT : EXP_BOOKED, .booking = b->id,
		    .patient_name = b->has_patient ? b->name : NULL,
		    .reason = b->reason }) != 0)
			return -1;
	}
	c->cal = (struct exp_cal){ .gp = c->gp, .gp_name = c->gp_name,
	    .territory = c->territory, .stamp = now, .ev = c->ev,
	    .n = c->n };
	return 0;
}

char *
export_text(struct daemon *d, size_t gp)
{
	struct export_cal c;
	char *text = NULL;

	if (export_gather(d, gp, &c) == 0)
		text = exp_ics(&c.cal);
	export_cal_fini(&c);
	return text;
}

/* Write path atomically: a temporary file beside it, then rename. */
static int
export_write(const struct export_cal *c)
{
	size_t len = strlen(c->text), off = 0;
	int fd, err = 0;

	fd = open(c->tmp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0640);
	if (fd < 0)
		return errno;
	while (off < len) {
		ssize_t w = write(fd, c->text + off, len - off);

		if (w < 0 && errno == EINTR)
			continue;
		if (w <= 0) {
			err = w < 0 ? errno : EIO;
			break;
		}
		off += (size_t)w;
	}
	if (close(fd) != 0 && err == 0)
		err = errno;
	if (err == 0 && rename(c->tmp, c->path) != 0)
		err = errno;
	if (err != 0)
		unlink(c->tmp);
	return err;
}

static void
export_work(uv_work_t *req)
{
	struct export_job *j = req->data;

	for (size_t i = 0; i < j->n; i++) {
		struct export_cal *c = &j->cals[i];
		int err;

		if ((c->text = exp_ics(&c->cal)) == NULL)
			continue;
		/* Logged here: the loop would need to carry the errno. */
		if ((err = export_write(c)) != 0)
			log_err("export", "%s: %s", c->path, strerror(err));
	}
}

static void	export_schedule(struct exporter *x);
static void	export_maybe_free(struct exporter *x);

static void
export_job_free(struct export_job *j)
{
	for (size_t i = 0; j != NULL && i < j->n; i++)
		export_cal_fini(&j->cals[i]);
	if (j != NULL)
		free(j->cals);
	free(j);
}

static void
export_after(uv_work_t *req, int status)
{
	struct export_job *j = req->data;
	struct exporter *x = j->x;

	(void)status;
	x->job = NULL;
	export_job_free(j);
	if (x->is_closing)
		export_maybe_free(x);
	else if (x->n_dirty > 0)
		export_schedule(x);
}

/*
 * Gather a few dirty GPs per loop turn into the job being built (a GP's
 * gathering reads its bookings from the store: a burst of bookings would
 * otherwise hold every request behind hundreds of reads), then hand the
 * rendering and writing to a worker.
 */
static void
export_run(uv_timer_t *t)
{
	struct exporter *x = t->data;
	struct daemon *d = x->d;
	struct export_job *j = x->building;

	if (x->job != NULL || x->is_closing)
		return;
	if (j == NULL) {
		if ((j = calloc(1, sizeof(*j))) == NULL ||
		    (j->cals = calloc(EXPORT_JOB_MAX, sizeof(*j->cals))) ==
		    NULL) {
			free(j);
			export_schedule(x);
			return;
		}
		j->x = x;
		j->req.data = j;
		x->building = j;
	}
	for (int k = 0; k < EXPORT_PER_TURN && x->n_dirty > 0 &&
	    j->n < EXPORT_JOB_MAX; k++) {
		char *id = x->dirty[--x->n_dirty];
		ssize_t gp = cfg_gp_find(d->cfg, id);
		struct export_cal *c = &j->cals[j->n];

		if (gp >= 0 && export_gather(d, (size_t)gp, c) == 0 &&
		    asprintf(&c->path, "%s/%s.ics", d->cfg->export_dir,
		    c->gp) >= 0 && asprintf(&c->tmp, "%s/.%s.ics.tmp",
		    d->cfg->export_dir, c->gp) >= 0)
			j->n++;
		else {
			if (gp >= 0)
				log_err("export", "%s: not gathered", id);
			export_cal_fini(c);
			memset(c, 0, sizeof(*c));
		}
		free(id);
	}
	if (x->n_dirty > 0 && j->n < EXPORT_JOB_MAX) {
		/* The rest next turn, after the requests that wait. */
		uv_timer_start(&x->timer, export_run, 0, 0);
		return;
	}
	x->building = NULL;
	if (j->n == 0 || uv_queue_work(&d->loop, &j->req, export_work,
	    export_after) != 0) {
		export_job_free(j);
		if (x->n_dirty > 0)
			export_schedule(x);
		return;
	}
	x->job = j;
}

static void
export_schedule(struct exporter *x)
{
	if (!x->is_closing && x->job == NULL && !uv_is_active((uv_handle_t *)
	    &x->timer))
		uv_timer_start(&x->timer, export_run, EXPORT_DELAY_MS, 0);
}

void
export_touch(struct exporter *x, const char *gp)
{
	char **v;

	if (x == NULL || x->is_closing)
		return;
	for (size_t i = 0; i < x->n_dirty; i++)
		if (strcmp(x->dirty[i], gp) == 0)
			return;
	if (x->n_dirty == x->cap_dirty) {
		size_t cap = x->cap_dirty > 0 ? 2 * x->cap_dirty : 16;

		if ((v = realloc(x->dirty, cap * sizeof(*v))) == NULL)
			return;
		x->dirty = v;
		x->cap_dirty = cap;
	}
	if ((x->dirty[x->n_dirty] = strdup(gp)) == NULL)
		return;
	x->n_dirty++;
	export_schedule(x);
}

void
export_touch_all(struct exporter *x)
{
	for (size_t i = 0; x != NULL && i < x->d->cfg->n_gps; i++)
		export_touch(x, x->d->cfg->gps[i].id);
}

int
export_open(struct daemon *d, struct exporter **out, char *why,
    size_t whylen)
{
	struct exporter *x;

	*out = NULL;
	if (mkdir(d->cfg->export_dir, 0750) != 0 && errno != EEXIST) {
		snprintf(why, whylen, "export_dir: %s: %s",
		    d->cfg->export_dir, strerror(errno));
		return -1;
	}
	if ((x = calloc(1, sizeof(*x))) == NULL) {
		snprintf(why, whylen, "out of memory");
		return -1;
	}
	x->d = d;
	/* Workers render in UTC: libical makes that zone on first use. */
	tz_get("UTC");
	uv_timer_init(&d->loop, &x->timer);
	x->timer.data = x;
	x->has_timer = true;
	export_touch_all(x);
	*out = x;
	return 0;
}

static void
export_maybe_free(struct exporter *x)
{
	if (!x->is_closing || x->has_timer || x->job != NULL)
		return;
	for (size_t i = 0; i < x->n_dirty; i++)
		free(x->dirty[i]);
	free(x->dirty);
	export_job_free(x->building);
	free(x);
}

static void
export_timer_closed(uv_handle_t *h)
{
	struct exporter *x = h->data;

	x->has_timer = false;
	export_maybe_free(x);
}

void
export_close(struct exporter *x)
{
	if (x == NULL || x->is_closing)
		return;
	x->is_closing = true;
	uv_close((uv_handle_t *)&x->timer, export_timer_closed);
}
