/* slots.search, slot.hold, slot.release: finding and holding free slots. */
#include "daemon/ops.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "daemon/booking.h"
#include "daemon/planner.h"

#define OPS_SLOT_MAX_DAYS	62
#define OPS_SLOT_LIMIT		20
#define OPS_SLOT_LIMIT_MAX	500

/* What a search asks for, once its arguments are read. */
struct ops_search {
	int64_t		 from, to;
	ssize_t		 sector;	/* -1: every sector, distance 0 */
	bool		 neighbours;
	bool		 teleconsult;	/* modality "teleconsultation" */
	const char	*modality;
	int64_t		 min_s;		/* duration asked, seconds */
	int64_t		 limit;
	const char	*who;
};

/* A slot the search keeps. */
struct ops_hit {
	const struct plan_res		*res;
	const struct cfg_gp		*gp;
	int				 distance;
	const struct booking_hold	*hold;	/* the caller's own */
};

ssize_t
ops_commune_sector(const struct cfg *c, const char *commune)
{
	for (size_t s = 0; s < c->n_sectors; s++)
		for (size_t k = 0; k < c->sectors[s].communes.n; k++)
			if (strcmp(c->sectors[s].communes.v[k], commune) == 0)
				return (ssize_t)s;
	return -1;
}

/* 0 for the sector asked (or none asked), 1 for a neighbour, else -1. */
static int
ops_distance(const struct cfg *c, const struct ops_search *q, size_t s)
{
	const struct cfg_sector *sec;

	if (q->sector < 0 || (size_t)q->sector == s)
		return 0;
	if (!q->neighbours)
		return -1;
	sec = &c->sectors[q->sector];
	for (size_t k = 0; k < sec->n_neighbours; k++)
		if (sec->neighbours[k] == s)
			return 1;
	return -1;
}

static int
ops_search_args(struct daemon *d, struct srv_req *r, struct ops_search *q)
{
	const struct cfg *c = d->cfg;
	const char *sector = NULL, *commune = NULL;
	char why[PROTO_WHY_MAX];
	struct rfc3339 tf, tt;
	int64_t minutes = 0;

	*q = (struct ops_search){ .sector = -1, .neighbours = true,
	    .modality = "in_person", .limit = OPS_SLOT_LIMIT, .who = r->who };
	bool has_from = false, has_to = false;

	if (jarg_time_opt(r->req.args, "args", "from", &tf, &has_from, why,
	    sizeof(why)) ||
	    jarg_time_opt(r->req.args, "args", "to", &tt, &has_to, why,
	    sizeof(why)) ||
	    jarg_str_opt(r->req.args, "args", "sector", CFG_ID_MAX, &sector,
	    NULL, why, sizeof(why)) ||
	    jarg_str_opt(r->req.args, "args", "commune", 16, &commune, NULL,
	    why, sizeof(why)) ||
	    jarg_bool_opt(r->req.args, "args", "neighbours", &q->neighbours,
	    NULL, why, sizeof(why)) ||
	    jarg_str_opt(r->req.args, "args", "modality", 32, &q->modality,
	    NULL, why, sizeof(why)) ||
	    jarg_int_opt(r->req.args, "args", "duration", 1, 24 * 60,
	    &minutes, NULL, why, sizeof(why)) ||
	    jarg_int_opt(r->req.args, "args", "limit", 1, OPS_SLOT_LIMIT_MAX,
	    &q->limit, NULL, why, sizeof(why))) {
		srv_reply_err(r, PROTO_EARGS, "%s", why);
		return -1;
	}
	/* By default, from now (snpd's clock) to the end of that day. */
	q->from = has_from ? ops_instant(d, &tf) : clk_now_utc(&d->clk);
	q->to = has_to ? ops_instant(d, &tt) : tz_day_start(
	    c->territory.tz, tz_day_start(c->territory.tz, q->from) + 90000);
	q->min_s = minutes * 60;
	if (q->to <= q->from || q->to - q->from > OPS_SLOT_MAX_DAYS * 86400) {
		srv_reply_err(r, PROTO_EARGS, "args.to: must be after "
		    "args.from, at most %d days later", OPS_SLOT_MAX_DAYS);
		return -1;
	}
	if (strcmp(q->modality, "teleconsultation") == 0)
		q->teleconsult = true;
	else if (strcmp(q->modality, "in_person") != 0) {
		srv_reply_err(r, PROTO_EARGS, "args.modality: \"in_person\" or "
		    "\"teleconsultation\"");
		return -1;
	}
	if (sector != NULL && commune != NULL) {
		srv_reply_err(r, PROTO_EARGS, "args.commune: give a sector or "
		    "a commune, not both");
		return -1;
	}
	if (sector != NULL && (q->sector = cfg_sector_find(c, sector)) < 0) {
		srv_reply_err(r, PROTO_ENOTFOUND, "no sector \"%s\"", sector);
		return -1;
	}
	if (commune != NULL &&
	    (q->sector = ops_commune_sector(c, commune)) < 0) {
		srv_reply_err(r, PROTO_ENOTFOUND, "no sector has commune "
		    "\"%s\"", commune);
		return -1;
	}
	return 0;
}

static cJSON	*ops_hit_json(struct daemon *d, const struct ops_search *q,
		    const struct ops_hit *h);

/* Whether the search wants this slot; fills h when it does. */
static bool
ops_search_wants(struct daemon *d, const struct ops_search *q,
    const struct plan_res *res, struct ops_hit *h)
{
	const struct cfg *c = d->cfg;
	const struct cfg_gp *g;
	const struct booking_occ *o;
	int dist;

	if (res->gp >= c->n_gps || res->end - res->start < q->min_s)
		return false;
	g = &c->gps[res->gp];
	if ((q->teleconsult && !g->teleconsult) ||
	    (dist = ops_distance(c, q, g->sector)) < 0)
		return false;
	o = booking_occ_find(d->booking, g->id, res->start);
	if (o != NULL && (o->state != BOOKING_NONE ||
	    strcmp(o->hold->who, q->who) != 0))
		return false;
	*h = (struct ops_hit){ res, g, dist, o != NULL ? o->hold : NULL };
	return true;
}

/*
 * Add the day's free slots the search wants to res, at most *left,
 * walking the day in start order: a search for the next 20 slots looks
 * at little more than 20. Slots starting together go by distance, then
 * GP id (the index's order). Returns -1 when out of memory.
 */
static int
ops_search_day(struct daemon *d, const struct ops_search *q,
    const struct planner_day *pd, int64_t lo, cJSON *res, int64_t *left)
{
	const uint32_t *idx = planner_day_by_start(d->planner, pd);
	struct ops_hit h;
	size_t a = 0, b = pd->n_slots;

	if (idx == NULL)
		return pd->n_slots > 0 ? -1 : 0;
	while (a < b) {			/* the first slot starting at lo */
		size_t m = a + (b - a) / 2;

		if (pd->slots[idx[m]].start < lo)
			a = m + 1;
		else
			b = m;
	}
	while (a < pd->n_slots && *left > 0 &&
	    pd->slots[idx[a]].start < q->to) {
		int64_t start = pd->slots[idx[a]].start;
		/* Own sector first (distance 0), then the neighbours. */
		for (int dist = 0; dist <= 1 && *left > 0; dist++)
			for (size_t k = a; k < pd->n_slots &&
			    pd->slots[idx[k]].start == start && *left > 0;
			    k++)
				if (ops_search_wants(d, q, &pd->slots[idx[k]],
				    &h) && h.distance == dist) {
					cJSON_AddItemToArray(res,
					    ops_hit_json(d, q, &h));
					(*left)--;
				}
		while (a < pd->n_slots && pd->slots[idx[a]].start == start)
			a++;
	}
	return 0;
}

static cJSON *
ops_hit_json(struct daemon *d, const struct ops_search *q,
    const struct ops_hit *h)
{
	char slot[BOOKING_SLOT_MAX];
	cJSON *o = cJSON_CreateObject();

	booking_slot_id(h->gp->id, h->res->start, slot);
	cJSON_AddStringToObject(o, "slot", slot);
	cJSON_AddStringToObject(o, "gp", h->gp->id);
	cJSON_AddStringToObject(o, "name", h->gp->name);
	cJSON_AddStringToObject(o, "sector",
	    d->cfg->sectors[h->gp->sector].id);
	ops_add_time(d, o, "start", h->res->start);
	ops_add_time(d, o, "end", h->res->end);
	cJSON_AddStringToObject(o, "modality", q->modality);
	cJSON_AddNumberToObject(o, "distance", h->distance);
	if (h->hold != NULL) {
		cJSON_AddStringToObject(o, "hold", h->hold->id);
		ops_add_time(d, o, "expires_at", h->hold->expires);
	}
	return o;
}

void
ops_slots_search(struct daemon *d, struct srv_req *r)
{
	const struct tz *z = d->cfg->territory.tz;
	int64_t now = clk_now_utc(&d->clk);
	struct ops_search q;
	int64_t left, lo;
	cJSON *res;

	if (ops_search_args(d, r, &q) != 0)
		return;
	res = cJSON_CreateArray();
	left = q.limit;
	lo = q.from > now ? q.from : now;
	/* Days in order: once a day fills the limit, later ones cannot. */
	for (int64_t day = tz_day_start(z, lo); day < q.to && left > 0;
	    day = tz_day_start(z, day + 90000)) {
		const struct planner_day *pd = planner_day(d->planner, day);

		if (pd != NULL && ops_search_day(d, &q, pd, lo, res,
		    &left) != 0) {
			cJSON_Delete(res);
			srv_reply_err(r, PROTO_EINTERNAL, "out of memory");
			return;
		}
	}
	srv_reply_ok(r, res);
}

int
ops_slot_find(struct daemon *d, struct srv_req *r, const char *id,
    ssize_t *gp, const struct plan_res **res)
{
	const struct cfg *c = d->cfg;
	char gp_id[CFG_ID_MAX + 1];
	const struct booking_occ *o;
	const struct planner_day *pd;
	struct plan_res key;
	int64_t start;

	if (booking_slot_parse(id, gp_id, &start) != 0) {
		srv_reply_err(r, PROTO_EARGS, "args.slot: not a slot id "
		    "(<gp>/YYYYMMDDTHHMMSSZ)");
		return -1;
	}
	if ((*gp = cfg_gp_find(c, gp_id)) < 0) {
		srv_reply_err(r, PROTO_ENOTFOUND, "no GP \"%s\"", gp_id);
		return -1;
	}
	pd = planner_day(d->planner, tz_day_start(c->territory.tz, start));
	key = (struct plan_res){ .gp = (uint32_t)*gp, .start = start };
	*res = pd == NULL ? NULL : bsearch(&key, pd->slots, pd->n_slots,
	    sizeof(*pd->slots), plan_res_cmp);
	if (*res == NULL) {
		srv_reply_err(r, PROTO_ESLOTUNAVAIL, "slot %s is not reserved",
		    id);
		return -1;
	}
	if (start < clk_now_utc(&d->clk)) {
		srv_reply_err(r, PROTO_ESLOTUNAVAIL, "slot %s has started", id);
		return -1;
	}
	/*
	 * Booked or held, a slot stays planned even if its time went busy.
	 * Taken by someone else, it is E_SLOT_TAKEN (said by the caller);
	 * free or held by the caller, it must still be free time.
	 */
	o = booking_occ_find(d->booking, gp_id, start);
	if ((o == NULL || (o->state == BOOKING_NONE &&
	    strcmp(o->hold->who, r->who) == 0)) &&
	    !booking_slot_free(d->booking, gp_id, start, (*res)->end)) {
		srv_reply_err(r, PROTO_ESLOTUNAVAIL, "slot %s is no longer "
		    "free in the GP's agenda", id);
		return -1;
	}
	return 0;
}

void
ops_slot_hold(struct daemon *d, struct srv_req *r)
{
	const struct plan_res *res;
	const struct booking_hold *h;
	const char *slot;
	char why[PROTO_WHY_MAX];
	int64_t ttl = d->cfg->booking.hold_s;
	ssize_t gp;
	cJSON *o;
	int err;

	if (jarg_str(r->req.args, "args", "slot", BOOKING_SLOT_MAX - 1, &slot,
	    why, sizeof(why)) || jarg_int_opt(r->req.args, "args", "ttl_s",
	    1, 900, &ttl, NULL, why, sizeof(why))) {
		srv_reply_err(r, PROTO_EARGS, "%s", why);
		return;
	}
	if (ops_slot_find(d, r, slot, &gp, &res) != 0)
		return;
	err = booking_hold(d->booking, r->who, d->cfg->gps[gp].id, res->start,
	    res->end, (int)ttl, &h, why, sizeof(why));
	if (err != 0) {
		srv_reply_err(r, err, "%s", why);
		return;
	}
	o = cJSON_CreateObject();
	cJSON_AddStringToObject(o, "hold", h->id);
	cJSON_AddStringToObject(o, "slot", slot);
	ops_add_time(d, o, "expires_at", h->expires);
	srv_reply_ok(r, o);
}

void
ops_slot_release(struct daemon *d, struct srv_req *r)
{
	const char *hold;
	char why[PROTO_WHY_MAX];
	int err;

	if (jarg_str(r->req.args, "args", "hold", 64, &hold, why,
	    sizeof(why))) {
		srv_reply_err(r, PROTO_EARGS, "%s", why);
		return;
	}
	err = booking_release(d->booking, r->who, r->role ==
	    CFG_ROLE_ADMIN || r->role == CFG_ROLE_COORDINATOR, hold, why,
	    sizeof(why));
	if (err != 0)
		srv_reply_err(r, err, "%s", why);
	else
		srv_reply_ok(r, NULL);
}
