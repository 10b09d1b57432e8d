/*
 * The plan in the daemon: what is held, what to plan next and when. The
 * planning itself runs in planner_job.c, off the loop.
 */
#include "daemon/planner_int.h"

#include <stdlib.h>
#include <string.h>

#include "daemon/daemon.h"
#include "daemon/feed.h"
#include "daemon/log.h"

#define PLANNER_KICK_MS		20	/* gathers a burst of feed changes */
#define PLANNER_WAIT_MS		50	/* feeds still reading the store */

/* --- days ------------------------------------------------------------- */

int64_t
planner_today(const struct planner *pl)
{
	const struct daemon *d = pl->d;

	return tz_day_start(d->cfg->territory.tz, clk_now_utc(&d->clk));
}

int64_t
planner_day_after(const struct planner *pl, int64_t day, int n)
{
	const struct tz *z = pl->d->cfg->territory.tz;
	struct tz_local l;

	tz_to_local(z, day, &l);
	return tz_from_local(z, l.year, l.month, l.day + n, 0, 0, 0);
}

int
planner_horizon(const struct planner *pl)
{
	return pl->d->cfg->territory.horizon_days;
}

void
planner_day_fini(struct planner_day *day)
{
	free(day->target);
	free(day->reserved);
	free(day->covered);
	free(day->gap);
	free(day->slots);
	free(day->by_start);
	memset(day, 0, sizeof(*day));
}

static int
planner_by_start_cmp(const void *a, const void *b, void *arg)
{
	const struct planner_day *day = ((void **)arg)[0];
	char *const *ids = ((void **)arg)[1];
	const struct plan_res *x = &day->slots[*(const uint32_t *)a];
	const struct plan_res *y = &day->slots[*(const uint32_t *)b];

	if (x->start != y->start)
		return x->start < y->start ? -1 : 1;
	return strcmp(ids[x->gp], ids[y->gp]);
}

const uint32_t *
planner_day_by_start(struct planner *pl, const struct planner_day *day)
{
	/* The index is a cache of the day's own slots: day is pl's. */
	struct planner_day *d = (struct planner_day *)day;
	void *arg[2] = { d, pl->gp_ids };

	if (d == NULL || d->by_start != NULL || d->n_slots == 0)
		return d != NULL ? d->by_start : NULL;
	if ((d->by_start = malloc(d->n_slots * sizeof(*d->by_start))) == NULL)
		return NULL;
	for (size_t i = 0; i < d->n_slots; i++)
		d->by_start[i] = (uint32_t)i;
	qsort_r(d->by_start, d->n_slots, sizeof(*d->by_start),
	    planner_by_start_cmp, arg);
	return d->by_start;
}

static size_t
planner_day_index(const struct planner *pl, int64_t day)
{
	size_t lo = 0, hi = pl->n_days;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;

		if (pl->days[mid].day < day)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo;
}

const struct planner_day *
planner_day(const struct planner *pl, int64_t day)
{
	size_t i = planner_day_index(pl, day);

	return i < pl->n_days && pl->days[i].day == day ? &pl->days[i] : NULL;
}

/* The day's entry, inserted empty when new; NULL when out of memory. */
struct planner_day *
planner_day_slot(struct planner *pl, int64_t day)
{
	size_t i = planner_day_index(pl, day);

	if (i < pl->n_days && pl->days[i].day == day)
		return &pl->days[i];
	if (pl->n_days == pl->cap_days) {
		size_t ncap = pl->cap_days ? pl->cap_days * 2 : 64;
		struct planner_day *v = realloc(pl->days, ncap * sizeof(*v));

		if (v == NULL)
			return NULL;
		pl->days = v;
		pl->cap_days = ncap;
	}
	memmove(&pl->days[i + 1], &pl->days[i],
	    (pl->n_days - i) * sizeof(*pl->days));
	pl->n_days++;
	memset(&pl->days[i], 0, sizeof(pl->days[i]));
	pl->days[i].day = day;
	return &pl->days[i];
}

/* Forget the days no plan will read again: before the loads' window. */
static void
planner_prune(struct planner *pl)
{
	int64_t keep = planner_day_after(pl, planner_today(pl),
	    -(pl->d->cfg->fairness_window_days + 7));
	size_t k = 0;

	while (k < pl->n_days && pl->days[k].day < keep)
		planner_day_fini(&pl->days[k++]);
	memmove(pl->days, pl->days + k, (pl->n_days - k) * sizeof(*pl->days));
	pl->n_days -= k;
}

/* --- what to plan next ------------------------------------------------ */

static void
planner_want(struct planner *pl, int64_t day)
{
	size_t i = 0;

	while (i < pl->n_want && pl->want[i] < day)
		i++;
	if (i < pl->n_want && pl->want[i] == day)
		return;
	if (pl->n_want == pl->cap_want) {
		size_t ncap = pl->cap_want ? pl->cap_want * 2 : 32;
		int64_t *v = realloc(pl->want, ncap * sizeof(*v));

		if (v == NULL) {
			pl->want_all = true;	/* plan all rather than none */
			return;
		}
		pl->want = v;
		pl->cap_want = ncap;
	}
	memmove(&pl->want[i + 1], &pl->want[i],
	    (pl->n_want - i) * sizeof(*pl->want));
	pl->want[i] = day;
	pl->n_want++;
}

/* Every day of the horizon that [start, end) touches. */
void
planner_want_span(struct planner *pl, int64_t start, int64_t end)
{
	int64_t today = planner_today(pl);
	int64_t stop = planner_day_after(pl, today, planner_horizon(pl));
	int64_t day = tz_day_start(pl->d->cfg->territory.tz, start);

	if (day < today)
		day = today;
	for (; day < end && day < stop; day = planner_day_after(pl, day, 1))
		planner_want(pl, day);
}

static void	planner_on_kick(uv_timer_t *t);

void
planner_slot_freed(struct planner *pl, int64_t start)
{
	if (pl == NULL || pl->is_closing)
		return;
	planner_want_span(pl, start, start + 1);
	planner_schedule(pl);
}

void
planner_schedule(struct planner *pl)
{
	if (pl->is_closing || pl->job != NULL ||
	    (!pl->want_all && pl->n_want == 0 && pl->waiters == NULL))
		return;
	if (!uv_is_active((uv_handle_t *)&pl->kick))
		uv_timer_start(&pl->kick, planner_on_kick, PLANNER_KICK_MS, 0);
}

void
planner_totals_of(const struct planner *pl, int64_t from, int64_t to,
    struct planner_totals *t)
{
	memset(t, 0, sizeof(*t));
	for (size_t i = 0; i < pl->n_days; i++)
		if (pl->days[i].day >= from && pl->days[i].day < to) {
			t->days++;
			t->reserved += (unsigned)pl->days[i].n_slots;
			t->gaps += (unsigned)pl->days[i].n_gap;
		}
}

/* Waiters whose days are all past or beyond: answer from what is held. */
static void
planner_answer_now(struct planner *pl)
{
	struct planner_waiter *w;

	while ((w = pl->waiters) != NULL) {
		struct planner_totals t;

		pl->waiters = w->next;
		planner_totals_of(pl, w->from, w->to, &t);
		w->done(w->arg, NULL, &t);
		free(w);
	}
}

static void
planner_on_kick(uv_timer_t *t)
{
	struct planner *pl = t->data;
	int64_t today = planner_today(pl), *days;
	int horizon = planner_horizon(pl);
	size_t n = 0;

	if (pl->is_closing || pl->job != NULL)
		return;
	/*
	 * Plan with every GP's agenda, not with half of them: a first plan
	 * made as the agendas arrive would depend on their order (kept
	 * slots stay). A source that never answers is waited for until the
	 * first fetches are over, then planned without.
	 */
	if (pl->d->feeds == NULL || feeds_restoring(pl->d->feeds) ||
	    (!pl->is_ready && !feeds_all_tried(pl->d->feeds) &&
	    clk_mono_ms() < pl->first_by_ms)) {
		uv_timer_start(&pl->kick, planner_on_kick, PLANNER_WAIT_MS, 0);
		return;
	}
	days = calloc((size_t)horizon + 1, sizeof(*days));
	if (days == NULL) {
		log_err("plan", "out of memory: planning postponed");
		uv_timer_start(&pl->kick, planner_on_kick, 1000, 0);
		return;
	}
	for (int k = 0; k < horizon; k++) {
		int64_t day = planner_day_after(pl, today, k);
		bool wanted = pl->want_all;

		for (size_t i = 0; i < pl->n_want && !wanted; i++)
			wanted = pl->want[i] == day;
		if (wanted)
			days[n++] = day;
	}
	pl->want_all = false;
	pl->n_want = 0;
	if (n == 0)
		planner_answer_now(pl);
	else if (planner_job_start(pl, days, n) != 0) {
		log_err("plan", "out of memory: planning postponed");
		pl->want_all = true;
		uv_timer_start(&pl->kick, planner_on_kick, 1000, 0);
	}
	free(days);
}

void
planner_retry(struct planner *pl, uint64_t ms)
{
	if (!pl->is_closing)
		uv_timer_start(&pl->kick, planner_on_kick, ms, 0);
}

static void	planner_on_midnight(uv_timer_t *t);

/* The next local midnight, and a second (DST-safe: 23 or 25 hours). */
static void
planner_arm_midnight(struct planner *pl)
{
	int64_t now = clk_now_utc(&pl->d->clk);
	int64_t next = planner_day_after(pl, planner_today(pl), 1);

	uv_timer_start(&pl->midnight, planner_on_midnight,
	    (uint64_t)(next - now) * 1000 + 1000, 0);
}

/* A new day: yesterday is frozen, the horizon's new last day planned. */
static void
planner_on_midnight(uv_timer_t *t)
{
	struct planner *pl = t->data;

	planner_prune(pl);
	planner_want(pl, planner_day_after(pl, planner_today(pl),
	    planner_horizon(pl) - 1));
	planner_schedule(pl);
	planner_arm_midnight(pl);
}

/* --- GPs and sectors --------------------------------------------------- */

static void
planner_ids_free(char **v, size_t n)
{
	for (size_t i = 0; v != NULL && i < n; i++)
		free(v[i]);
	free(v);
}

static ssize_t
planner_find(char **v, size_t n, const char *id)
{
	for (size_t i = 0; i < n; i++)
		if (strcmp(v[i], id) == 0)
			return (ssize_t)i;
	return -1;
}

/* Copy the config's ids; 0 or -1. */
static int
planner_ids_copy(const struct cfg *c, char ***gps, char ***sectors)
{
	*gps = calloc(c->n_gps + 1, sizeof(**gps));
	*sectors = calloc(c->n_sectors + 1, sizeof(**sectors));
	if (*gps == NULL || *sectors == NULL)
		return -1;
	for (size_t i = 0; i < c->n_gps; i++)
		if (((*gps)[i] = strdup(c->gps[i].id)) == NULL)
			return -1;
	for (size_t i = 0; i < c->n_sectors; i++)
		if (((*sectors)[i] = strdup(c->sectors[i].id)) == NULL)
			return -1;
	return 0;
}

int
planner_free_of(struct planner *pl, size_t gp, struct ivs *out)
{
	int64_t today = planner_today(pl);
	int64_t end = planner_day_after(pl, today, planner_horizon(pl));
	struct feed_view v;
	struct ivs snp = { 0 };
	int rc;

	ivs_clear(out);
	if (pl->d->feeds == NULL ||
	    !feeds_view(pl->d->feeds, pl->gp_ids[gp], &v) || v.avail == NULL)
		return 0;
	rc = ivs_clip(&v.avail->offered_snp, today, end, &snp);
	if (rc == 0)
		rc = ivs_subtract(&snp, &v.avail->busy, out);
	ivs_fini(&snp);
	return rc;
}

/* Days held move to the new config's indices; lost GPs' slots go. */
static int
planner_remap(struct planner *pl, char **gps, size_t n_gps, char **secs,
    size_t n_secs)
{
	size_t nb = n_secs * PLAN_HOURS;

	for (size_t i = 0; i < pl->n_days; i++) {
		struct planner_day *day = &pl->days[i];
		int16_t *a[4] = { NULL };
		int16_t **old[4] = { &day->target, &day->reserved,
		    &day->covered, &day->gap };
		size_t k = 0;

		for (int m = 0; m < 4; m++) {
			if ((a[m] = calloc(nb + 1, sizeof(*a[m]))) == NULL) {
				for (int q = 0; q < m; q++)
					free(a[q]);
				return -1;
			}
			for (size_t b = 0; b < nb; b++)
				a[m][b] = m == 0 ? PLAN_NO_TARGET : 0;
		}
		for (size_t s = 0; s < pl->n_sectors; s++) {
			ssize_t ns = planner_find(secs, n_secs,
			    pl->sector_ids[s]);

			for (int m = 0; m < 4; m++)
				if (ns >= 0 && *old[m] != NULL)
					memcpy(&a[m][(size_t)ns * PLAN_HOURS],
					    &(*old[m])[s * PLAN_HOURS],
					    PLAN_HOURS * sizeof(int16_t));
		}
		for (int m = 0; m < 4; m++) {
			free(*old[m]);
			*old[m] = a[m];
		}
		for (size_t j = 0; j < day->n_slots; j++) {
			ssize_t ng = planner_find(gps, n_gps,
			    pl->gp_ids[day->slots[j].gp]);

			if (ng >= 0) {
				day->slots[k] = day->slots[j];
				day->slots[k++].gp = (uint32_t)ng;
			}
		}
		day->n_slots = k;
		free(day->by_start);	/* indices and ids changed */
		day->by_start = NULL;
		if (k > 1)
			qsort(day->slots, k, sizeof(*day->slots),
			    plan_res_cmp);
	}
	return 0;
}

void
planner_reload(struct planner *pl)
{
	const struct cfg *c = pl->d->cfg;
	char **gps = NULL, **secs = NULL;
	struct ivs *lf;

	lf = calloc(c->n_gps + 1, sizeof(*lf));
	if (lf == NULL || planner_ids_copy(c, &gps, &secs) != 0 ||
	    planner_remap(pl, gps, c->n_gps, secs, c->n_sectors) != 0) {
		log_err("plan", "out of memory: the plan keeps the old GPs");
		free(lf);
		planner_ids_free(gps, c->n_gps);
		planner_ids_free(secs, c->n_sectors);
		return;
	}
	for (size_t i = 0; i < pl->n_gps; i++)
		ivs_fini(&pl->last_free[i]);
	free(pl->last_free);
	pl->last_free = lf;
	planner_ids_free(pl->gp_ids, pl->n_gps);
	planner_ids_free(pl->sector_ids, pl->n_sectors);
	pl->gp_ids = gps;
	pl->n_gps = c->n_gps;
	pl->sector_ids = secs;
	pl->n_sectors = c->n_sectors;
	for (size_t i = 0; i < pl->n_gps; i++)
		if (planner_free_of(pl, i, &pl->last_free[i]) != 0)
			ivs_clear(&pl->last_free[i]);
	/* A job in flight planned with the old config: its result goes. */
	pl->gen++;
	pl->want_all = true;
	planner_schedule(pl);
}

void
planner_feed_changed(struct planner *pl, const char *gp)
{
	ssize_t i = planner_find(pl->gp_ids, pl->n_gps, gp);
	struct ivs now = { 0 }, a = { 0 }, b = { 0 };

	if (i < 0 || pl->is_closing)
		return;
	if (planner_free_of(pl, (size_t)i, &now) != 0 ||
	    ivs_subtract(&now, &pl->last_free[i], &a) != 0 ||
	    ivs_subtract(&pl->last_free[i], &now, &b) != 0) {
		pl->want_all = true;
	} else {
		for (size_t k = 0; k < a.n; k++)
			planner_want_span(pl, a.v[k].start, a.v[k].end);
		for (size_t k = 0; k < b.n; k++)
			planner_want_span(pl, b.v[k].start, b.v[k].end);
	}
	ivs_fini(&pl->last_free[i]);
	pl->last_free[i] = now;
	ivs_fini(&a);
	ivs_fini(&b);
	planner_schedule(pl);
}

int
planner_rebuild(struct planner *pl, int64_t from, int64_t to, bool release,
    planner_done_fn done, void *arg)
{
	struct planner_waiter *w = calloc(1, sizeof(*w));
	struct planner_waiter **tail = &pl->waiters;

	if (w == NULL)
		return -1;
	w->from = from;
	w->to = to;
	w->release = release;
	w->done = done;
	w->arg = arg;
	while (*tail != NULL)
		tail = &(*tail)->next;
	*tail = w;
	planner_want_span(pl, from, to);
	planner_schedule(pl);
	return 0;
}

bool
planner_is_ready(const struct planner *pl)
{
	return pl->is_ready;
}

/* --- the stored plan --------------------------------------------------- */

static void
planner_load_day(void *arg, int64_t day, int64_t win_start, int64_t win_end,
    int n_gap, int64_t planned_utc)
{
	struct planner *pl = arg;
	struct planner_day *pd = planner_day_slot(pl, day);
	size_t nb = pl->n_sectors * PLAN_HOURS;

	if (pd == NULL)
		return;
	pd->win_start = win_start;
	pd->win_end = win_end;
	pd->n_gap = n_gap;
	pd->planned_utc = planned_utc;
	pd->target = calloc(nb + 1, sizeof(*pd->target));
	pd->reserved = calloc(nb + 1, sizeof(*pd->reserved));
	pd->covered = calloc(nb + 1, sizeof(*pd->covered));
	pd->gap = calloc(nb + 1, sizeof(*pd->gap));
	for (size_t b = 0; pd->target != NULL && b < nb; b++)
		pd->target[b] = PLAN_NO_TARGET;
}

static void
planner_load_hour(void *arg, int64_t day, const char *sector, int hour,
    int target, int reserved, int covered, int gap)
{
	struct planner *pl = arg;
	struct planner_day *pd = planner_day_slot(pl, day);
	ssize_t s = planner_find(pl->sector_ids, pl->n_sectors, sector);
	size_t b;

	if (pd == NULL || pd->target == NULL || pd->reserved == NULL ||
	    pd->covered == NULL || pd->gap == NULL || s < 0 || hour < 0 ||
	    hour >= PLAN_HOURS)
		return;
	b = (size_t)s * PLAN_HOURS + (size_t)hour;
	pd->target[b] = (int16_t)target;
	pd->reserved[b] = (int16_t)reserved;
	pd->covered[b] = (int16_t)covered;
	pd->gap[b] = (int16_t)gap;
}

static void
planner_load_slot(void *arg, const char *gp, int64_t start, int64_t end,
    int64_t day)
{
	struct planner *pl = arg;
	struct planner_day *pd = planner_day_slot(pl, day);
	ssize_t g = planner_find(pl->gp_ids, pl->n_gps, gp);
	struct plan_res *v;

	if (pd == NULL || g < 0)
		return;
	v = realloc(pd->slots, (pd->n_slots + 1) * sizeof(*v));
	if (v == NULL)
		return;
	pd->slots = v;
	v[pd->n_slots++] = (struct plan_res){ .gp = (uint32_t)g,
	    .start = start, .end = end };
}

int
planner_open(struct daemon *d, struct planner **out, char *why,
    size_t whylen)
{
	struct planner *pl = calloc(1, sizeof(*pl));
	struct store_plan_loader l = {
		.day = planner_load_day, .hour = planner_load_hour,
		.slot = planner_load_slot,
	};
	int err;

	*out = NULL;
	if (pl == NULL || planner_ids_copy(d->cfg, &pl->gp_ids,
	    &pl->sector_ids) != 0 || (pl->last_free = calloc(d->cfg->n_gps +
	    1, sizeof(*pl->last_free))) == NULL) {
		snprintf(why, whylen, "out of memory");
		if (pl != NULL) {
			planner_ids_free(pl->gp_ids, d->cfg->n_gps);
			planner_ids_free(pl->sector_ids, d->cfg->n_sectors);
			free(pl);
		}
		return -1;
	}
	pl->d = d;
	pl->n_gps = d->cfg->n_gps;
	pl->n_sectors = d->cfg->n_sectors;
	l.arg = pl;
	err = store_plan_load(d->store, planner_day_after(pl,
	    planner_today(pl), -(d->cfg->fairness_window_days + 7)), &l);
	if (err != STORE_OK)
		log_err("plan", "stored plan not read: %s",
		    store_strerror(err));
	for (size_t i = 0; i < pl->n_days; i++)
		if (pl->days[i].n_slots > 1)
			qsort(pl->days[i].slots, pl->days[i].n_slots,
			    sizeof(*pl->days[i].slots), plan_res_cmp);
	uv_timer_init(&d->loop, &pl->kick);
	uv_timer_init(&d->loop, &pl->midnight);
	pl->kick.data = pl->midnight.data = pl;
	pl->handles = 2;
	/* The feeds' first fetches are spread over 30 s at most. */
	pl->first_by_ms = clk_mono_ms() + 30000 +
	    (uint64_t)d->cfg->feeds.timeout_s * 1000 + 5000;
	pl->want_all = true;
	planner_schedule(pl);
	planner_arm_midnight(pl);
	*out = pl;
	return 0;
}

void
planner_maybe_free(struct planner *pl)
{
	struct planner_waiter *w;

	if (!pl->is_closing || pl->handles > 0 || pl->job != NULL)
		return;
	while ((w = pl->waiters) != NULL) {
		pl->waiters = w->next;
		free(w);
	}
	for (size_t i = 0; i < pl->n_days; i++)
		planner_day_fini(&pl->days[i]);
	free(pl->days);
	for (size_t i = 0; i < pl->n_gps; i++)
		ivs_fini(&pl->last_free[i]);
	free(pl->last_free);
	free(pl->want);
	planner_ids_free(pl->gp_ids, pl->n_gps);
	planner_ids_free(pl->sector_ids, pl->n_sectors);
	free(pl);
}

static void
planner_closed(uv_handle_t *h)
{
	struct planner *pl = h->data;

	pl->handles--;
	planner_maybe_free(pl);
}

void
planner_close(struct planner *pl)
{
	if (pl == NULL || pl->is_closing)
		return;
	pl->is_closing = true;
	uv_close((uv_handle_t *)&pl->kick, planner_closed);
	uv_close((uv_handle_t *)&pl->midnight, planner_closed);
}
