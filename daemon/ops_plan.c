/* plan.get and plan.rebuild: the reserved SNP slots, per day and sector. */
#include "daemon/ops.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "daemon/booking.h"
#include "daemon/planner.h"

#define OPS_PLAN_MAX_DAYS	62

int
ops_day_range(struct daemon *d, struct srv_req *r, bool required,
    int max_days, int64_t *from, int64_t *to)
{
	const struct tz *z = d->cfg->territory.tz;
	char why[PROTO_WHY_MAX];
	struct rfc3339 tf, tt;
	bool has_from = false, has_to = false;

	if (jarg_time_opt(r->req.args, "args", "from", &tf, &has_from, why,
	    sizeof(why)) != 0 || jarg_time_opt(r->req.args, "args", "to", &tt,
	    &has_to, why, sizeof(why)) != 0) {
		srv_reply_err(r, PROTO_EARGS, "%s", why);
		return -1;
	}
	if (required && (!has_from || !has_to)) {
		srv_reply_err(r, PROTO_EARGS, "args.%s: required date",
		    has_from ? "to" : "from");
		return -1;
	}
	if (has_from)
		*from = tz_day_start(z, ops_instant(d, &tf));
	if (has_to) {
		int64_t t = ops_instant(d, &tt);

		/* A day that has begun counts whole. */
		*to = tz_day_start(z, t) < t ? tz_day_start(z, t + 90000) :
		    tz_day_start(z, t);
	}
	if (*to <= *from || *to - *from > (int64_t)max_days * 86400 + 7200) {
		srv_reply_err(r, PROTO_EARGS, "args.to: must be after "
		    "args.from, at most %d days later", max_days);
		return -1;
	}
	return 0;
}

/* One sector's hours of the window: target, reserved, covered, gap. */
/* Live bookings per day of a plan.get and sector * PLAN_HOURS + hour. */
struct ops_plan_booked {
	struct daemon	*d;
	int64_t		 from, to;
	size_t		 n_days;
	int64_t		*days;		/* 00:00 local of each day */
	int16_t		*n;		/* [day][sector * PLAN_HOURS + h] */
};

static void
ops_plan_count(void *arg, const struct booking_occ *o)
{
	struct ops_plan_booked *b = arg;
	const struct cfg *c = b->d->cfg;
	const struct tz *z = c->territory.tz;
	struct tz_local l;
	ssize_t g;
	size_t i = 0;

	if (o->state != BOOKING_BOOKED && o->state != BOOKING_CONFLICT)
		return;
	if (o->start < b->from || o->start >= b->to ||
	    (g = cfg_gp_find(c, o->gp)) < 0)
		return;
	while (i + 1 < b->n_days && b->days[i + 1] <= o->start)
		i++;
	tz_to_local(z, o->start, &l);
	b->n[i * c->n_sectors * PLAN_HOURS + c->gps[g].sector * PLAN_HOURS +
	    (size_t)l.hour]++;
}

/* Count the live bookings of [from, to); -1: out of memory. */
static int
ops_plan_booked(struct daemon *d, int64_t from, int64_t to,
    struct ops_plan_booked *b)
{
	const struct tz *z = d->cfg->territory.tz;
	size_t n = 0;

	*b = (struct ops_plan_booked){ .d = d, .from = from, .to = to };
	for (int64_t day = from; day < to; day = tz_day_start(z, day + 90000))
		n++;
	b->days = calloc(n + 1, sizeof(*b->days));
	b->n = calloc(n * d->cfg->n_sectors * PLAN_HOURS + 1, sizeof(*b->n));
	if (b->days == NULL || b->n == NULL) {
		free(b->days);
		free(b->n);
		return -1;
	}
	for (int64_t day = from; day < to; day = tz_day_start(z, day + 90000))
		b->days[b->n_days++] = day;
	booking_occ_each(d->booking, ops_plan_count, b);
	return 0;
}

static cJSON *
ops_plan_sector(struct daemon *d, const struct planner_day *pd, size_t s,
    const int16_t *booked)
{
	const struct cfg *c = d->cfg;
	const struct tz *z = c->territory.tz;
	cJSON *o = cJSON_CreateObject(), *hours;
	struct tz_local l;
	int h1 = (c->territory.win_end_min + 59) / 60;

	cJSON_AddStringToObject(o, "sector", c->sectors[s].id);
	cJSON_AddStringToObject(o, "name", c->sectors[s].name);
	hours = cJSON_AddArrayToObject(o, "hours");
	if (pd == NULL || pd->win_end <= pd->win_start)
		return o;
	tz_to_local(z, pd->day, &l);
	for (int h = c->territory.win_start_min / 60; h < h1; h++) {
		size_t b = s * PLAN_HOURS + (size_t)h;
		cJSON *x = cJSON_CreateObject();

		cJSON_AddNumberToObject(x, "hour", h);
		ops_add_time(d, x, "start", tz_from_local(z, l.year, l.month,
		    l.day, h, 0, 0));
		if (pd->target[b] == PLAN_NO_TARGET)
			cJSON_AddNullToObject(x, "target");
		else
			cJSON_AddNumberToObject(x, "target", pd->target[b]);
		cJSON_AddNumberToObject(x, "reserved", pd->reserved[b]);
		cJSON_AddNumberToObject(x, "covered", pd->covered[b]);
		cJSON_AddNumberToObject(x, "booked", booked[b]);
		cJSON_AddNumberToObject(x, "gap", pd->gap[b]);
		cJSON_AddItemToArray(hours, x);
	}
	return o;
}

static cJSON *
ops_plan_day(struct daemon *d, const struct planner_day *pd, int64_t day,
    ssize_t sector, const int16_t *booked)
{
	const struct cfg *c = d->cfg;
	cJSON *o = cJSON_CreateObject(), *secs;
	struct tz_local l;
	char date[16];
	int gaps = 0;

	tz_to_local(c->territory.tz, day, &l);
	snprintf(date, sizeof(date), "%04d-%02d-%02d", l.year, l.month, l.day);
	cJSON_AddStringToObject(o, "date", date);
	cJSON_AddBoolToObject(o, "planned", pd != NULL);
	if (pd != NULL && pd->win_end > pd->win_start) {
		cJSON *w = cJSON_AddObjectToObject(o, "window");

		ops_add_time(d, w, "start", pd->win_start);
		ops_add_time(d, w, "end", pd->win_end);
	} else
		cJSON_AddNullToObject(o, "window");
	secs = cJSON_AddArrayToObject(o, "sectors");
	for (size_t s = 0; s < c->n_sectors; s++) {
		if (sector >= 0 && (size_t)sector != s)
			continue;
		cJSON_AddItemToArray(secs, ops_plan_sector(d, pd, s,
		    booked));
		for (int h = 0; pd != NULL && h < PLAN_HOURS; h++)
			gaps += pd->gap[s * PLAN_HOURS + (size_t)h];
	}
	cJSON_AddNumberToObject(o, "gaps", gaps);
	return o;
}

static void
ops_plan_slots(struct daemon *d, const struct planner_day *pd,
    ssize_t sector, cJSON *slots)
{
	const struct cfg *c = d->cfg;

	for (size_t i = 0; pd != NULL && i < pd->n_slots; i++) {
		const struct plan_res *res = &pd->slots[i];
		const struct cfg_gp *g = &c->gps[res->gp];
		const struct booking_occ *occ;
		char id[BOOKING_SLOT_MAX];
		const char *state = "reserved";
		cJSON *o;

		if (sector >= 0 && g->sector != (size_t)sector)
			continue;
		booking_slot_id(g->id, res->start, id);
		if ((occ = booking_occ_find(d->booking, g->id,
		    res->start)) != NULL)
			state = occ->state == BOOKING_CONFLICT ? "conflict" :
			    occ->state != BOOKING_NONE ? "booked" : "held";
		o = cJSON_CreateObject();
		cJSON_AddStringToObject(o, "slot", id);
		cJSON_AddStringToObject(o, "gp", g->id);
		cJSON_AddStringToObject(o, "sector", c->sectors[g->sector].id);
		ops_add_time(d, o, "start", res->start);
		ops_add_time(d, o, "end", res->end);
		cJSON_AddStringToObject(o, "state", state);
		cJSON_AddItemToArray(slots, o);
	}
}

void
ops_plan_get(struct daemon *d, struct srv_req *r)
{
	char why[PROTO_WHY_MAX];
	const char *sec_id = NULL;
	bool with_slots = true;
	struct ops_plan_booked booked;
	size_t k = 0;
	ssize_t sector = -1;
	int64_t from = 0, to = 0;
	cJSON *res, *days, *slots = NULL;

	if (ops_day_range(d, r, true, OPS_PLAN_MAX_DAYS, &from, &to) != 0)
		return;
	if (jarg_str_opt(r->req.args, "args", "sector", CFG_ID_MAX, &sec_id,
	    NULL, why, sizeof(why)) != 0 || jarg_bool_opt(r->req.args, "args",
	    "slots", &with_slots, NULL, why, sizeof(why)) != 0) {
		srv_reply_err(r, PROTO_EARGS, "%s", why);
		return;
	}
	if (sec_id != NULL && (sector = cfg_sector_find(d->cfg, sec_id)) < 0) {
		srv_reply_err(r, PROTO_ENOTFOUND, "no sector \"%s\"", sec_id);
		return;
	}
	if (ops_plan_booked(d, from, to, &booked) != 0) {
		srv_reply_err(r, PROTO_EINTERNAL, "out of memory");
		return;
	}
	res = cJSON_CreateObject();
	cJSON_AddBoolToObject(res, "ready", planner_is_ready(d->planner));
	days = cJSON_AddArrayToObject(res, "days");
	if (with_slots)
		slots = cJSON_AddArrayToObject(res, "slots");
	for (int64_t day = from; day < to; day = tz_day_start(
	    d->cfg->territory.tz, day + 90000)) {
		const struct planner_day *pd = planner_day(d->planner, day);

		cJSON_AddItemToArray(days, ops_plan_day(d, pd, day, sector,
		    &booked.n[k++ * d->cfg->n_sectors * PLAN_HOURS]));
		if (slots != NULL)
			ops_plan_slots(d, pd, sector, slots);
	}
	free(booked.days);
	free(booked.n);
	srv_reply_ok(r, res);
}

static void
ops_plan_rebuilt(void *arg, const char *error,
    const struct planner_totals *t)
{
	struct srv_req *r = arg;
	cJSON *res;

	if (error != NULL) {
		srv_reply_err(r, PROTO_EUNAVAIL, "the plan was not made: %s",
		    error);
		return;
	}
	res = cJSON_CreateObject();
	cJSON_AddNumberToObject(res, "days", t->days);
	cJSON_AddNumberToObject(res, "reserved", t->reserved);
	cJSON_AddNumberToObject(res, "gaps", t->gaps);
	srv_reply_ok(r, res);
}

void
ops_plan_rebuild(struct daemon *d, struct srv_req *r)
{
	const struct tz *z = d->cfg->territory.tz;
	int64_t today = tz_day_start(z, clk_now_utc(&d->clk));
	char why[PROTO_WHY_MAX];
	bool release = false;
	struct tz_local l;
	int64_t from, to;

	/* The default: the whole horizon, from today. */
	tz_to_local(z, today, &l);
	from = today;
	to = tz_from_local(z, l.year, l.month,
	    l.day + d->cfg->territory.horizon_days, 0, 0, 0);
	if (ops_day_range(d, r, false, OPS_PLAN_MAX_DAYS, &from, &to) != 0)
		return;
	if (jarg_bool_opt(r->req.args, "args", "release", &release, NULL, why,
	    sizeof(why)) != 0) {
		srv_reply_err(r, PROTO_EARGS, "%s", why);
		return;
	}
	daemon_audit(d, r->who, "plan.rebuild", release ? "release" : "");
	if (planner_rebuild(d->planner, from, to, release, ops_plan_rebuilt,
	    r) != 0)
		srv_reply_err(r, PROTO_EINTERNAL, "out of memory");
}
