/*
 * A planning job: a copy of what plan_days() reads, taken on the loop;
 * the plan made on the thread pool; stored; then taken by the loop and
 * announced (plan.changed, coverage.gap) once it is on disk.
 */
#include "daemon/planner_int.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cjson/cJSON.h>

#include "daemon/booking.h"
#include "daemon/daemon.h"
#include "daemon/evt.h"
#include "daemon/export.h"
#include "daemon/log.h"
#include "daemon/store.h"

void
planner_job_free(struct planner_job *j)
{
	if (j == NULL)
		return;
	/* Waiters left at shutdown: srv drops their requests itself. */
	while (j->waiters != NULL) {
		struct planner_waiter *w = j->waiters;

		j->waiters = w->next;
		free(w);
	}
	plan_days_fini(j->out, j->in.n_days);
	free(j->out);
	free(j->sdays);
	free(j->offered);
	for (size_t i = 0; i < j->in.n_gps; i++)
		ivs_fini(&j->free[i]);
	free(j->free);
	free(j->rules);
	for (size_t i = 0; j->w.gp_ids != NULL && i < j->in.n_gps; i++)
		free(j->w.gp_ids[i]);
	free((void *)j->w.gp_ids);
	for (size_t i = 0; j->w.sector_ids != NULL && i < j->w.n_sectors; i++)
		free(j->w.sector_ids[i]);
	free((void *)j->w.sector_ids);
	free(j->hols);
	free(j->target);
	free(j->covers);
	free(j->days);
	free(j->release);
	free(j->prev);
	free(j->fixed);
	free(j);
}

/* The config's rules as plan_days() reads them; 0 or -1. */
static int
planner_job_rules(struct planner_job *j, const struct cfg *c)
{
	size_t ns = c->n_sectors, ng = c->n_gps;
	char **gp_ids, **sector_ids;

	j->hols = calloc(c->territory.n_holidays + 1, sizeof(*j->hols));
	j->target = calloc(ns * PLAN_DAY_KINDS * PLAN_HOURS + 1,
	    sizeof(*j->target));
	j->covers = calloc(ns * ns + 1, sizeof(*j->covers));
	j->rules = calloc(ng + 1, sizeof(*j->rules));
	j->free = calloc(ng + 1, sizeof(*j->free));
	gp_ids = calloc(ng + 1, sizeof(*gp_ids));
	sector_ids = calloc(ns + 1, sizeof(*sector_ids));
	j->w.gp_ids = gp_ids;
	j->w.sector_ids = sector_ids;
	j->w.n_sectors = ns;
	j->in.n_gps = ng;
	if (j->hols == NULL || j->target == NULL || j->covers == NULL ||
	    j->rules == NULL || j->free == NULL || gp_ids == NULL ||
	    sector_ids == NULL)
		return -1;
	cfg_win_opts(c, &j->win);
	if (c->territory.n_holidays > 0)
		memcpy(j->hols, c->territory.holidays,
		    c->territory.n_holidays * sizeof(*j->hols));
	j->win.holidays = j->hols;
	for (size_t s = 0; s < ns; s++) {
		const struct cfg_sector *sec = &c->sectors[s];

		if ((sector_ids[s] = strdup(sec->id)) == NULL)
			return -1;
		for (int k = 0; k < PLAN_DAY_KINDS; k++)
			for (int h = 0; h < PLAN_HOURS; h++)
				j->target[(s * PLAN_DAY_KINDS + (size_t)k) *
				    PLAN_HOURS + (size_t)h] = sec->has_target ?
				    sec->target[k][h] : PLAN_NO_TARGET;
		/* A sector covers itself; its neighbours may cover it. */
		j->covers[s * ns + s] = true;
		for (size_t k = 0; k < sec->n_neighbours; k++)
			j->covers[s * ns + sec->neighbours[k]] = true;
	}
	for (size_t i = 0; i < ng; i++) {
		const struct cfg_gp *g = &c->gps[i];

		if ((gp_ids[i] = strdup(g->id)) == NULL)
			return -1;
		j->rules[i] = (struct plan_gp_rules){
			.sector = (uint32_t)g->sector,
			.slot_s = 60 * (g->slot_minutes > 0 ? g->slot_minutes :
			    c->territory.slot_minutes),
			.cap_day = g->max_slots_per_day < 0 ? PLAN_NO_CAP :
			    g->max_slots_per_day,
			.cap_week = g->max_slots_per_week < 0 ? PLAN_NO_CAP :
			    g->max_slots_per_week,
			.weight = g->weight,
			.free = &j->free[i],
		};
	}
	return 0;
}

/* Every slot held, of every day, sorted by (gp, start); 0 or -1. */
static int
planner_job_prev(struct planner_job *j, const struct planner *pl)
{
	size_t n = 0;

	for (size_t i = 0; i < pl->n_days; i++)
		n += pl->days[i].n_slots;
	if ((j->prev = calloc(n + 1, sizeof(*j->prev))) == NULL)
		return -1;
	n = 0;
	for (size_t i = 0; i < pl->n_days; i++) {
		if (pl->days[i].n_slots > 0)
			memcpy(&j->prev[n], pl->days[i].slots,
			    pl->days[i].n_slots * sizeof(*j->prev));
		n += pl->days[i].n_slots;
	}
	if (n > 1)
		qsort(j->prev, n, sizeof(*j->prev), plan_res_cmp);
	j->in.prev = j->prev;
	j->in.n_prev = n;
	return 0;
}

static void
planner_job_work(uv_work_t *req)
{
	struct planner_job *j = req->data;

	j->rc = plan_days(&j->in, j->out);
	/* What each GP offered in each day's window, for the indicators. */
	for (size_t d = 0; j->rc == PLAN_OK && d < j->in.n_days; d++)
		for (size_t g = 0; g < j->in.n_gps; g++)
			j->offered[d * j->in.n_gps + g] = (int32_t)ivs_total_in(
			    &j->free[g], j->out[d].win_start, j->out[d].win_end);
}

static void	planner_job_after(uv_work_t *req, int status);

int
planner_job_start(struct planner *pl, const int64_t *days, size_t n_days)
{
	struct daemon *d = pl->d;
	const struct cfg *c = d->cfg;
	struct planner_job *j = calloc(1, sizeof(*j));

	if (j == NULL)
		return -1;
	j->pl = pl;
	j->gen = pl->gen;
	j->req.data = j;
	j->days = calloc(n_days + 1, sizeof(*j->days));
	j->release = calloc(n_days + 1, sizeof(*j->release));
	j->out = calloc(n_days + 1, sizeof(*j->out));
	j->sdays = calloc(n_days + 1, sizeof(*j->sdays));
	j->offered = calloc(n_days * c->n_gps + 1, sizeof(*j->offered));
	if (j->days == NULL || j->release == NULL || j->out == NULL ||
	    j->sdays == NULL || j->offered == NULL || planner_job_rules(j, c) != 0 ||
	    planner_job_prev(j, pl) != 0) {
		planner_job_free(j);
		return -1;
	}
	for (size_t i = 0; i < c->n_gps; i++)
		if (planner_free_of(pl, i, &j->free[i]) != 0) {
			planner_job_free(j);
			return -1;
		}
	memcpy(j->days, days, n_days * sizeof(*days));
	/* The days a coordinator asked to plan afresh. */
	for (const struct planner_waiter *w = pl->waiters; w != NULL;
	    w = w->next)
		for (size_t i = 0; w->release && i < n_days; i++)
			j->release[i] |= days[i] >= w->from && days[i] < w->to;
	j->in.release = j->release;
	j->in.win = &j->win;
	j->in.n_sectors = c->n_sectors;
	j->in.target = j->target;
	j->in.covers = j->covers;
	j->in.fairness_days = c->fairness_window_days;
	j->in.gps = j->rules;
	j->in.days = j->days;
	j->in.n_days = n_days;
	j->in.now = clk_now_utc(&d->clk);
	/* Booked and held slots never move. */
	if (d->booking != NULL && booking_fixed(d->booking, &j->fixed,
	    &j->in.n_fixed) != 0) {
		planner_job_free(j);
		return -1;
	}
	j->in.fixed = j->fixed;
	j->occ_gen = d->booking != NULL ? booking_occ_gen(d->booking) : 0;
	if (uv_queue_work(&d->loop, &j->req, planner_job_work,
	    planner_job_after) != 0) {
		planner_job_free(j);
		return -1;
	}
	j->waiters = pl->waiters;
	pl->waiters = NULL;
	pl->job = j;
	return 0;
}

/* Answer the job's waiters: error, or the totals of their days. */
static void
planner_job_answer(struct planner_job *j, const char *error)
{
	struct planner *pl = j->pl;
	struct planner_waiter *w;

	while ((w = j->waiters) != NULL) {
		struct planner_totals t = { 0 };

		j->waiters = w->next;
		if (error == NULL)
			planner_totals_of(pl, w->from, w->to, &t);
		w->done(w->arg, error, &t);
		free(w);
	}
}

/* The job is over: the planner may free itself, or plan again. */
static void
planner_job_end(struct planner_job *j)
{
	struct planner *pl = j->pl;

	pl->job = NULL;
	planner_job_free(j);
	if (pl->is_closing)
		planner_maybe_free(pl);
	else
		planner_schedule(pl);
}

static void
planner_date(const struct tz *z, int64_t day, char buf[16])
{
	struct tz_local l;

	tz_to_local(z, day, &l);
	snprintf(buf, 16, "%04d-%02d-%02d", l.year, l.month, l.day);
}

/* Slots in a and not in b, both sorted by (gp, start). */
static unsigned
planner_only_in(const struct plan_res *a, size_t na, const struct plan_res *b,
    size_t nb)
{
	unsigned n = 0;
	size_t k = 0;

	for (size_t i = 0; i < na; i++) {
		while (k < nb && plan_res_cmp(&b[k], &a[i]) < 0)
			k++;
		n += !(k < nb && plan_res_cmp(&b[k], &a[i]) == 0 &&
		    b[k].end == a[i].end);
	}
	return n;
}

/* plan.changed for a day that changed; coverage.gap where a gap grew. */
static void
planner_announce(struct planner *pl, const struct planner_day *old,
    const struct plan_day_sum *s, int hour_from, int hour_to)
{
	struct daemon *d = pl->d;
	const struct tz *z = d->cfg->territory.tz;
	unsigned added = planner_only_in(s->slots, s->n_slots,
	    old != NULL ? old->slots : NULL, old != NULL ? old->n_slots : 0);
	unsigned removed = old != NULL ? planner_only_in(old->slots,
	    old->n_slots, s->slots, s->n_slots) : 0;
	char date[16], buf[RFC3339_MAX];
	struct tz_local l;
	cJSON *e;

	planner_date(z, s->day, date);
	tz_to_local(z, s->day, &l);
	for (size_t sec = 0; sec < pl->n_sectors; sec++)
		for (int h = hour_from; h < hour_to; h++) {
			size_t b = sec * PLAN_HOURS + (size_t)h;
			int was = old != NULL && old->gap != NULL ?
			    old->gap[b] : 0;

			if (s->gap[b] <= was)
				continue;
			e = cJSON_CreateObject();
			cJSON_AddStringToObject(e, "date", date);
			cJSON_AddStringToObject(e, "sector",
			    pl->sector_ids[sec]);
			cJSON_AddNumberToObject(e, "hour", h);
			cJSON_AddStringToObject(e, "start", daemon_time(d,
			    tz_from_local(z, l.year, l.month, l.day, h, 0, 0),
			    buf));
			cJSON_AddNumberToObject(e, "target", s->target[b]);
			cJSON_AddNumberToObject(e, "covered", s->covered[b]);
			cJSON_AddNumberToObject(e, "missing", s->gap[b]);
			evt_publish(d->srv, "coverage.gap", e);
		}
	if (old != NULL && added == 0 && removed == 0 &&
	    old->n_gap == s->n_gap)
		return;
	e = cJSON_CreateObject();
	cJSON_AddStringToObject(e, "date", date);
	cJSON_AddNumberToObject(e, "reserved", (double)s->n_slots);
	cJSON_AddNumberToObject(e, "added", added);
	cJSON_AddNumberToObject(e, "removed", removed);
	cJSON_AddNumberToObject(e, "gaps", s->n_gap);
	evt_publish(d->srv, "plan.changed", e);
}

/* Mark the GPs whose slots differ between a and b (sorted (gp, start)). */
static void
planner_mark_changed(const struct plan_res *a, size_t na,
    const struct plan_res *b, size_t nb, bool *mark)
{
	size_t i = 0, k = 0;

	while (i < na || k < nb) {
		int c = i == na ? 1 : k == nb ? -1 : plan_res_cmp(&a[i], &b[k]);

		if (c == 0 && a[i].end == b[k].end) {
			i++;
			k++;
		} else if (c <= 0)
			mark[a[i++].gp] = true;
		else
			mark[b[k++].gp] = true;
	}
}

/* The stored plan becomes the plan held, and is announced. */
static void
planner_job_take(struct planner_job *j)
{
	struct planner *pl = j->pl;
	unsigned reserved = 0, gaps = 0;
	bool *changed = calloc(pl->n_gps + 1, sizeof(*changed));

	for (size_t i = 0; i < j->in.n_days; i++) {
		struct plan_day_sum *s = &j->out[i];
		const struct store_plan_day *sd = &j->sdays[i];
		const struct planner_day *old = planner_day(pl, s->day);
		struct planner_day *pd;

		/* The exports of the GPs whose slots moved are written again. */
		if (changed != NULL)
			planner_mark_changed(s->slots, s->n_slots,
			    old != NULL ? old->slots : NULL,
			    old != NULL ? old->n_slots : 0, changed);
		planner_announce(pl, old, s, sd->hour_from, sd->hour_to);
		/* May move the days: old is not used past this point. */
		if ((pd = planner_day_slot(pl, s->day)) == NULL) {
			log_err("plan", "out of memory: a day's plan dropped");
			continue;
		}
		planner_day_fini(pd);
		*pd = (struct planner_day){
			.day = s->day, .win_start = s->win_start,
			.win_end = s->win_end, .planned_utc = sd->planned_utc,
			.n_gap = s->n_gap, .target = s->target,
			.reserved = s->reserved, .covered = s->covered,
			.gap = s->gap, .slots = s->slots,
			.n_slots = s->n_slots,
		};
		reserved += (unsigned)s->n_slots;
		gaps += (unsigned)s->n_gap;
		memset(s, 0, sizeof(*s));
	}
	for (size_t g = 0; changed != NULL && g < pl->n_gps; g++)
		if (changed[g])
			export_touch(pl->d->exporter, pl->gp_ids[g]);
	free(changed);
	pl->is_ready = true;
	log_info("plan", "%zu days planned: %u slots reserved, %u missing",
	    j->in.n_days, reserved, gaps);
}

/* Whether t overlaps a slot of fixed (sorted) of its GP at other times. */
static bool
planner_clashes(const struct plan_res *fixed, size_t n,
    const struct plan_res *t)
{
	struct plan_res key = { .gp = t->gp, .start = t->start - 86400 };
	size_t a = 0, b = n;

	while (a < b) {
		size_t m = a + (b - a) / 2;

		if (plan_res_cmp(&fixed[m], &key) < 0)
			a = m + 1;
		else
			b = m;
	}
	for (; a < n && fixed[a].gp == t->gp && fixed[a].start < t->end; a++)
		if (fixed[a].end > t->start && (fixed[a].start != t->start ||
		    fixed[a].end != t->end))
			return true;
	return false;
}

/*
 * Slots held or booked while the job ran were not fixed in it: the new
 * plan may offer a slot overlapping one of them (a grid changed by a
 * reload), or have let one go (a day planned afresh). The clashing new
 * slots go now, and the days are planned again with those slots fixed.
 */
static void
planner_job_unclash(struct planner_job *j)
{
	struct planner *pl = j->pl;
	struct plan_res *fixed;
	size_t n;

	if (pl->d->booking == NULL ||
	    booking_occ_gen(pl->d->booking) == j->occ_gen ||
	    booking_fixed(pl->d->booking, &fixed, &n) != 0)
		return;
	for (size_t i = 0; i < j->in.n_days; i++) {
		struct plan_day_sum *s = &j->out[i];
		size_t k = 0;

		for (size_t q = 0; q < s->n_slots; q++)
			if (!planner_clashes(fixed, n, &s->slots[q]))
				s->slots[k++] = s->slots[q];
		s->n_slots = k;
		planner_want_span(pl, j->days[i], j->days[i] + 1);
	}
	free(fixed);
}

static void
planner_job_saved(void *arg, int err)
{
	struct planner_job *j = arg;	/* j->w is its first member */
	struct planner *pl = j->pl;

	if (pl->is_closing) {
		planner_job_end(j);
		return;
	}
	if (err != STORE_OK) {
		log_err("plan", "plan not stored: %s", store_strerror(err));
		planner_job_answer(j, store_strerror(err));
		/* Try again later: a full disk may get room. */
		for (size_t i = 0; i < j->in.n_days; i++)
			planner_want_span(pl, j->days[i], j->days[i] + 1);
		pl->job = NULL;
		planner_job_free(j);
		planner_retry(pl, 5000);
		return;
	}
	if (j->gen == pl->gen) {
		planner_job_unclash(j);
		planner_job_take(j);
	}
	planner_job_answer(j, NULL);
	planner_job_end(j);
}

static void
planner_job_after(uv_work_t *req, int status)
{
	struct planner_job *j = req->data;
	struct planner *pl = j->pl;
	const struct cfg *c = pl->d->cfg;
	int err;

	(void)status;
	if (pl->is_closing) {
		planner_job_end(j);
		return;
	}
	if (j->rc != PLAN_OK) {
		log_err("plan", "planning failed: %s", plan_strerror(j->rc));
		planner_job_answer(j, plan_strerror(j->rc));
		planner_job_end(j);
		return;
	}
	if (j->gen != pl->gen) {
		/* Planned with an old config: the reload asked for a new plan. */
		struct planner_waiter **tail = &j->waiters;

		while (*tail != NULL)
			tail = &(*tail)->next;
		*tail = pl->waiters;
		pl->waiters = j->waiters;
		j->waiters = NULL;
		planner_job_end(j);
		return;
	}
	for (size_t i = 0; i < j->in.n_days; i++) {
		const struct plan_day_sum *s = &j->out[i];
		bool has_win = s->win_end > s->win_start;

		j->sdays[i] = (struct store_plan_day){
			.day = s->day, .win_start = s->win_start,
			.win_end = s->win_end,
			.planned_utc = clk_now_utc(&pl->d->clk),
			.n_gap = s->n_gap,
			.hour_from = has_win ? c->territory.win_start_min / 60 : 0,
			.hour_to = has_win ?
			    (c->territory.win_end_min + 59) / 60 : 0,
			.target = s->target, .reserved = s->reserved,
			.covered = s->covered, .gap = s->gap,
			.slots = s->slots, .n_slots = s->n_slots,
			.offered_s = &j->offered[i * j->in.n_gps],
		};
	}
	j->w.days = j->sdays;
	j->w.n_days = j->in.n_days;
	j->w.n_gps = j->in.n_gps;
	err = pl->d->store != NULL ?
	    store_plan_save(pl->d->store, &j->w, planner_job_saved) :
	    STORE_ECLOSED;
	if (err != STORE_OK)
		planner_job_saved(j, err);
}
