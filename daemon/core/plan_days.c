/*
 * The planner over a run of days: each day's candidates, what stays from
 * before, the loads and weekly caps that tie the days together, then
 * plan_day().
 */
#include "daemon/core/plan.h"

#include <stdlib.h>
#include <string.h>

#include "daemon/core/tz.h"
#include "daemon/core/win.h"

/* A growable array of slots; the day's input is built in it. */
struct plan_vec {
	struct plan_slot	*v;
	size_t			 n, cap;
};

/* What the days share: the counts of reserved slots per GP and day. */
struct plan_span {
	const struct plan_days_in	*in;
	int64_t				 lo;	/* civil day number of [0] */
	size_t				 len;	/* days per GP */
	int				*count;	/* n_gps * len */
};

/* Days since 1970-01-01 of the local date holding instant t. */
static int64_t
plan_dayno(const struct tz *z, int64_t t, struct tz_local *l)
{
	tz_to_local(z, t, l);
	return tz_civil(l->year, l->month, l->day, 0, 0, 0) / 86400;
}

static int *
plan_count_of(struct plan_span *sp, uint32_t gp, int64_t dayno)
{
	if (dayno < sp->lo || dayno >= sp->lo + (int64_t)sp->len)
		return NULL;
	return &sp->count[(size_t)gp * sp->len + (size_t)(dayno - sp->lo)];
}

static int
plan_span_init(struct plan_span *sp, const struct plan_days_in *in)
{
	const struct tz *z = in->win->tz;
	struct tz_local l;
	int64_t first = plan_dayno(z, in->days[0], &l);
	int64_t last = plan_dayno(z, in->days[in->n_days - 1], &l);

	/* The fairness window before, and the week around, every day. */
	sp->in = in;
	sp->lo = first - (in->fairness_days > 6 ? in->fairness_days : 6);
	sp->len = (size_t)(last + 7 - sp->lo);
	sp->count = calloc(in->n_gps * sp->len + 1, sizeof(*sp->count));
	if (sp->count == NULL)
		return PLAN_ENOMEM;
	for (size_t i = 0; i < in->n_prev; i++) {
		int *c;

		if (in->prev[i].gp >= in->n_gps)
			return PLAN_EINPUT;
		c = plan_count_of(sp, in->prev[i].gp,
		    plan_dayno(z, in->prev[i].start, &l));
		if (c != NULL)
			(*c)++;
	}
	return PLAN_OK;
}

/* The first of v[0..n) (sorted by gp, start) at or after (gp, t). */
static size_t
plan_res_find(const struct plan_res *v, size_t n, uint32_t gp, int64_t t)
{
	size_t lo = 0, hi = n;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;

		if (v[mid].gp < gp || (v[mid].gp == gp && v[mid].start < t))
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo;
}

static bool
plan_res_has(const struct plan_res *v, size_t n, uint32_t gp,
    int64_t start, int64_t end)
{
	size_t i = plan_res_find(v, n, gp, start);

	return i < n && v[i].gp == gp && v[i].start == start &&
	    v[i].end == end;
}

static int
plan_vec_push(struct plan_vec *v, const struct plan_slot *s)
{
	if (v->n == v->cap) {
		size_t ncap = v->cap ? v->cap * 2 : 256;
		struct plan_slot *nv = realloc(v->v, ncap * sizeof(*nv));

		if (nv == NULL)
			return -1;
		v->v = nv;
		v->cap = ncap;
	}
	v->v[v->n++] = *s;
	return 0;
}

/* Slots of a GP's day that stay whatever: booked, held, or past. */
static int
plan_stays(const struct plan_days_in *in, uint32_t gp, int64_t day,
    int64_t next, const struct plan_res *v, size_t n, bool only_past,
    struct plan_vec *out)
{
	struct tz_local l;

	for (size_t i = plan_res_find(v, n, gp, day);
	    i < n && v[i].gp == gp && v[i].start < next; i++) {
		struct plan_slot s = {
			.start = v[i].start, .end = v[i].end, .gp = gp,
			.state = PLAN_FIXED,
		};

		/* Past reserved slots, once: a booked one is in fixed too. */
		if (only_past && (v[i].start >= in->now ||
		    plan_res_has(in->fixed, in->n_fixed, gp, v[i].start,
		    v[i].end)))
			continue;
		if (v[i].end <= v[i].start)
			return PLAN_EINPUT;
		tz_to_local(in->win->tz, v[i].start, &l);
		s.hour = (uint8_t)l.hour;
		if (plan_vec_push(out, &s) != 0)
			return PLAN_ENOMEM;
	}
	return PLAN_OK;
}

static int
plan_slot_cmp(const void *a, const void *b)
{
	const struct plan_slot *x = a, *y = b;

	return (x->start > y->start) - (x->start < y->start);
}

/*
 * GP gp's slots of the day, appended to day (sorted by start): its grid
 * in the window and its free time from now on, KEPT or FIXED where prev
 * or fixed say so, and the slots that stay, off the grid or not.
 */
static int
plan_gp_slots(const struct plan_days_in *in, uint32_t gp, int64_t day,
    int64_t next, const struct ivs *win, bool keep_prev,
    struct plan_vec *day_v, struct plan_vec *stay)
{
	const struct plan_gp_rules *r = &in->gps[gp];
	size_t first = day_v->n, kept;
	int rc;

	stay->n = 0;
	/* Booked and held slots that are off the grid or no longer free. */
	if ((rc = plan_stays(in, gp, day, next, in->fixed, in->n_fixed, false,
	    stay)) != PLAN_OK || (rc = plan_stays(in, gp, day, next, in->prev,
	    in->n_prev, true, stay)) != PLAN_OK)
		return rc;
	if (r->free != NULL && win->n > 0 &&
	    plan_grid(win->v[0].start, win->v[0].end, in->win->start_min,
	    r->slot_s, r->free, gp, &day_v->v, &day_v->n, &day_v->cap) != 0)
		return r->slot_s <= 0 ? PLAN_EINPUT : PLAN_ENOMEM;
	kept = first;
	for (size_t i = first; i < day_v->n; i++) {
		struct plan_slot *s = &day_v->v[i];
		bool clash = s->start < in->now;

		for (size_t k = 0; k < stay->n && !clash; k++)
			clash = s->start < stay->v[k].end &&
			    stay->v[k].start < s->end &&
			    (stay->v[k].start != s->start ||
			    stay->v[k].end != s->end);
		if (clash)
			continue;
		if (plan_res_has(in->fixed, in->n_fixed, gp, s->start, s->end))
			s->state = PLAN_FIXED;
		else if (keep_prev && plan_res_has(in->prev, in->n_prev, gp,
		    s->start, s->end))
			s->state = PLAN_KEPT;
		day_v->v[kept++] = *s;
	}
	day_v->n = kept;
	/* The slots that stay and are not on the grid now join it. */
	for (size_t k = 0; k < stay->n; k++) {
		bool on_grid = false;

		for (size_t i = first; i < day_v->n && !on_grid; i++)
			on_grid = day_v->v[i].start == stay->v[k].start;
		if (!on_grid && plan_vec_push(day_v, &stay->v[k]) != 0)
			return PLAN_ENOMEM;
	}
	if (day_v->n > first + 1)
		qsort(day_v->v + first, day_v->n - first, sizeof(*day_v->v),
		    plan_slot_cmp);
	/* Hours never go back within a GP (a fall-back night's 02:00). */
	for (size_t i = first + 1; i < day_v->n; i++)
		if (day_v->v[i].hour < day_v->v[i - 1].hour)
			day_v->v[i].hour = day_v->v[i - 1].hour;
	return PLAN_OK;
}

/* The GP's load before the day, and what its week leaves it. */
static void
plan_gp_day(struct plan_span *sp, uint32_t gp, int64_t dayno, int wday,
    struct plan_gp *out)
{
	const struct plan_gp_rules *r = &sp->in->gps[gp];
	int64_t monday = dayno - (wday + 6) % 7;
	int week = 0;

	out->sector = r->sector;
	out->weight = r->weight;
	out->cap_day = r->cap_day;
	out->load = 0;
	for (int64_t k = dayno - sp->in->fairness_days; k < dayno; k++) {
		int *c = plan_count_of(sp, gp, k);

		out->load += c != NULL ? *c : 0;
	}
	for (int64_t k = monday; k < monday + 7; k++) {
		int *c = plan_count_of(sp, gp, k);

		if (k != dayno && c != NULL)
			week += *c;
	}
	out->cap_week_left = r->cap_week == PLAN_NO_CAP ? PLAN_NO_CAP :
	    r->cap_week > week ? r->cap_week - week : 0;
}

/* The sums of one day, from its input and plan_day()'s answer. */
static int
plan_sum(const struct plan_in *pi, const struct plan_out *po,
    struct plan_day_sum *sum)
{
	size_t nb = pi->n_sectors * PLAN_HOURS, k = 0;

	sum->reserved = calloc(nb + 1, sizeof(*sum->reserved));
	sum->covered = calloc(nb + 1, sizeof(*sum->covered));
	sum->gap = calloc(nb + 1, sizeof(*sum->gap));
	sum->slots = calloc((size_t)po->n_reserved + 1, sizeof(*sum->slots));
	if (sum->reserved == NULL || sum->covered == NULL ||
	    sum->gap == NULL || sum->slots == NULL)
		return PLAN_ENOMEM;
	memcpy(sum->covered, po->covered, nb * sizeof(*sum->covered));
	memcpy(sum->gap, po->gap, nb * sizeof(*sum->gap));
	sum->n_gap = po->n_gap;
	for (size_t i = 0; i < pi->n_slots; i++) {
		const struct plan_slot *s = &pi->slots[i];

		if (!po->reserved[i])
			continue;
		sum->reserved[pi->gps[s->gp].sector * PLAN_HOURS + s->hour]++;
		sum->slots[k++] = (struct plan_res){
			.gp = s->gp, .start = s->start, .end = s->end,
		};
	}
	sum->n_slots = k;
	return PLAN_OK;
}

/* One day: its window and targets, its slots, its plan, its sums. */
static int
plan_one(struct plan_span *sp, int64_t day, bool keep_prev,
    struct plan_vec *day_v,
    struct plan_vec *stay, struct plan_gp *gps, int16_t *target,
    struct plan_day_sum *sum)
{
	const struct plan_days_in *in = sp->in;
	struct plan_in pi = {
		.gps = gps, .n_gps = in->n_gps, .n_sectors = in->n_sectors,
		.target = target, .covers = in->covers,
	};
	struct plan_out po;
	struct tz_local l;
	struct ivs win;
	int64_t dayno = plan_dayno(in->win->tz, day, &l), next;
	int kind, h0, h1, rc = PLAN_OK;

	next = tz_from_local(in->win->tz, l.year, l.month, l.day + 1, 0, 0, 0);
	kind = win_is_holiday(in->win, l.year, l.month, l.day) ? WIN_HOL :
	    l.wday;
	ivs_init(&win);
	if (win_build(in->win, day, next, &win) != 0)
		return PLAN_ENOMEM;
	sum->day = day;
	sum->win_start = sum->win_end = day;
	h0 = h1 = 0;
	if (win.n > 0) {
		sum->win_start = win.v[0].start;
		sum->win_end = win.v[0].end;
		h0 = in->win->start_min / 60;
		h1 = (in->win->end_min + 59) / 60;
	}
	/* Demand only inside the window: no gap at 10:00 or on a day off. */
	sum->target = calloc(in->n_sectors * PLAN_HOURS + 1,
	    sizeof(*sum->target));
	if (sum->target == NULL) {
		ivs_fini(&win);
		return PLAN_ENOMEM;
	}
	for (size_t s = 0; s < in->n_sectors; s++)
		for (int h = 0; h < PLAN_HOURS; h++) {
			size_t b = s * PLAN_HOURS + (size_t)h;

			target[b] = h >= h0 && h < h1 ? in->target[(s *
			    PLAN_DAY_KINDS + (size_t)kind) * PLAN_HOURS +
			    (size_t)h] : 0;
			sum->target[b] = h >= h0 && h < h1 ? target[b] :
			    PLAN_NO_TARGET;
		}
	day_v->n = 0;
	for (uint32_t p = 0; p < in->n_gps && rc == PLAN_OK; p++) {
		rc = plan_gp_slots(in, p, day, next, &win, keep_prev, day_v,
		    stay);
		plan_gp_day(sp, p, dayno, l.wday, &gps[p]);
	}
	ivs_fini(&win);
	if (rc != PLAN_OK)
		return rc;
	pi.slots = day_v->v;
	pi.n_slots = day_v->n;
	if ((rc = plan_day(&pi, &po)) != PLAN_OK)
		return rc;
	rc = plan_sum(&pi, &po, sum);
	plan_out_fini(&po);
	if (rc != PLAN_OK)
		return rc;
	/* The next days see this day's new counts. */
	for (uint32_t p = 0; p < in->n_gps; p++)
		*plan_count_of(sp, p, dayno) = 0;
	for (size_t i = 0; i < sum->n_slots; i++)
		(*plan_count_of(sp, sum->slots[i].gp, dayno))++;
	return PLAN_OK;
}

void
plan_days_fini(struct plan_day_sum *out, size_t n_days)
{
	for (size_t i = 0; i < n_days; i++) {
		free(out[i].target);
		free(out[i].reserved);
		free(out[i].covered);
		free(out[i].gap);
		free(out[i].slots);
	}
	memset(out, 0, n_days * sizeof(*out));
}

int
plan_days(const struct plan_days_in *in, struct plan_day_sum *out)
{
	struct plan_span sp = { 0 };
	struct plan_vec day_v = { 0 }, stay = { 0 };
	struct plan_gp *gps = NULL;
	int16_t *target = NULL;
	int rc;

	memset(out, 0, in->n_days * sizeof(*out));
	if (in->n_days == 0)
		return PLAN_OK;
	if (in->fairness_days < 0 || in->n_sectors == 0)
		return PLAN_EINPUT;
	for (size_t i = 1; i < in->n_days; i++)
		if (in->days[i] <= in->days[i - 1])
			return PLAN_EINPUT;
	gps = calloc(in->n_gps + 1, sizeof(*gps));
	target = calloc(in->n_sectors * PLAN_HOURS + 1, sizeof(*target));
	if (gps == NULL || target == NULL)
		rc = PLAN_ENOMEM;
	else
		rc = plan_span_init(&sp, in);
	for (size_t i = 0; i < in->n_days && rc == PLAN_OK; i++)
		rc = plan_one(&sp, in->days[i], in->release == NULL ||
		    !in->release[i], &day_v, &stay, gps, target, &out[i]);
	free(sp.count);
	free(day_v.v);
	free(stay.v);
	free(gps);
	free(target);
	if (rc != PLAN_OK)
		plan_days_fini(out, in->n_days);
	return rc;
}

int
plan_res_cmp(const void *a, const void *b)
{
	const struct plan_res *x = a, *y = b;

	if (x->gp != y->gp)
		return x->gp < y->gp ? -1 : 1;
	return (x->start > y->start) - (x->start < y->start);
}
