/* Holds: a principal's short lease on a slot while on the phone. */
#include "daemon/booking_int.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "daemon/daemon.h"
#include "daemon/evt.h"
#include "daemon/log.h"
#include "proto/proto.h"

static void
booking_hold_event(struct booking *bk, const char *topic,
    const struct booking_occ *o, const char *reason, int64_t expires)
{
	struct daemon *d = bk->d;
	char slot[BOOKING_SLOT_MAX];
	ssize_t g = cfg_gp_find(d->cfg, o->gp);
	cJSON *e = cJSON_CreateObject();

	booking_slot_id(o->gp, o->start, slot);
	cJSON_AddStringToObject(e, "slot", slot);
	cJSON_AddStringToObject(e, "gp", o->gp);
	if (g >= 0)
		cJSON_AddStringToObject(e, "sector",
		    d->cfg->sectors[d->cfg->gps[g].sector].id);
	booking_add_times(d, e, o->start, o->end);
	if (reason != NULL)
		cJSON_AddStringToObject(e, "reason", reason);
	else
		booking_add_time(d, e, "expires_at", expires);
	evt_publish(d->srv, topic, e);
}

/* Remove h from the list and its slot; frees h. */
void
booking_hold_drop(struct booking *bk, struct booking_hold *h)
{
	for (size_t i = 0; i < bk->n_holds; i++)
		if (bk->holds[i] == h) {
			bk->holds[i] = bk->holds[--bk->n_holds];
			break;
		}
	h->occ->hold = NULL;
	booking_occ_settle(bk, h->occ);
	free(h);
}

/* The timer for the next lease to lapse. */
void
booking_hold_arm(struct booking *bk)
{
	int64_t next = INT64_MAX, now;

	if (bk->is_closing)
		return;
	/* A hold whose create is on its way waits for it (re-armed then). */
	for (size_t i = 0; i < bk->n_holds; i++)
		if (bk->holds[i]->expires < next &&
		    bk->holds[i]->occ->state != BOOKING_PENDING)
			next = bk->holds[i]->expires;
	if (next == INT64_MAX) {
		uv_timer_stop(&bk->expiry);
		return;
	}
	now = clk_now_utc(&bk->d->clk);
	uv_timer_start(&bk->expiry, booking_hold_fire, next > now ?
	    (uint64_t)(next - now) * 1000 : 0, 0);
}

/* Lapse the holds due; booking_create checks the lease on its own too. */
void
booking_hold_fire(uv_timer_t *t)
{
	struct booking *bk = t->data;
	int64_t now = clk_now_utc(&bk->d->clk);
	struct store_audit a = { .at_utc = now };

	for (size_t i = 0; i < bk->n_holds;) {
		struct booking_hold *h = bk->holds[i];

		/* A create using the hold is on its way: it decides. */
		if (h->expires > now || h->occ->state == BOOKING_PENDING) {
			i++;
			continue;
		}
		booking_hold_event(bk, "slot.released", h->occ, "expired", 0);
		snprintf(a.who, sizeof(a.who), "%s", h->who);
		snprintf(a.what, sizeof(a.what), "slot.expire");
		booking_slot_id(h->occ->gp, h->occ->start, a.ref);
		if (bk->d->store != NULL)
			store_audit(bk->d->store, &a, NULL, NULL);
		booking_hold_drop(bk, h);	/* moved the last one to i */
	}
	booking_hold_arm(bk);
}

static struct booking_hold *
booking_hold_find(const struct booking *bk, const char *id)
{
	for (size_t i = 0; i < bk->n_holds; i++)
		if (strcmp(bk->holds[i]->id, id) == 0)
			return bk->holds[i];
	return NULL;
}

static void
booking_hold_audit(struct booking *bk, const char *who, const char *what,
    const struct booking_occ *o)
{
	struct store_audit a = { .at_utc = clk_now_utc(&bk->d->clk) };

	snprintf(a.who, sizeof(a.who), "%s", who);
	snprintf(a.what, sizeof(a.what), "%s", what);
	booking_slot_id(o->gp, o->start, a.ref);
	/* Holds live in memory: their audit rows need not be waited for. */
	if (bk->d->store != NULL)
		store_audit(bk->d->store, &a, NULL, NULL);
}

int
booking_hold(struct booking *bk, const char *who, const char *gp,
    int64_t start, int64_t end, int ttl_s, const struct booking_hold **out,
    char *why, size_t whylen)
{
	int64_t now = clk_now_utc(&bk->d->clk);
	struct booking_occ *o;
	struct booking_hold *h, **v;
	size_t mine = 0;

	o = (struct booking_occ *)booking_occ_find(bk, gp, start);
	if (o != NULL && o->state != BOOKING_NONE) {
		snprintf(why, whylen, "slot is booked");
		return PROTO_ESLOTTAKEN;
	}
	if (o != NULL && o->hold != NULL) {
		if (strcmp(o->hold->who, who) != 0) {
			snprintf(why, whylen, "slot is held by someone else");
			return PROTO_ESLOTTAKEN;
		}
		/* The same principal again (a retry): renew the lease. */
		o->hold->expires = now + ttl_s;
		booking_hold_arm(bk);
		*out = o->hold;
		return 0;
	}
	for (size_t i = 0; i < bk->n_holds; i++)
		mine += strcmp(bk->holds[i]->who, who) == 0;
	if (mine >= BOOKING_HOLDS_PER_WHO) {
		snprintf(why, whylen, "%s already holds %d slots: release or "
		    "book them first", who, BOOKING_HOLDS_PER_WHO);
		return PROTO_ECONFLICT;
	}
	if (bk->n_holds == bk->cap_holds) {
		size_t cap = bk->cap_holds > 0 ? 2 * bk->cap_holds : 16;

		if ((v = realloc(bk->holds, cap * sizeof(*v))) == NULL)
			goto nomem;
		bk->holds = v;
		bk->cap_holds = cap;
	}
	if ((h = calloc(1, sizeof(*h))) == NULL)
		goto nomem;
	if ((o = booking_occ_get(bk, gp, start, end)) == NULL) {
		free(h);
		goto nomem;
	}
	booking_random_id("h-", h->id, sizeof(h->id));
	snprintf(h->who, sizeof(h->who), "%s", who);
	h->expires = now + ttl_s;
	h->occ = o;
	o->hold = h;
	bk->holds[bk->n_holds++] = h;
	booking_hold_arm(bk);
	booking_hold_audit(bk, who, "slot.hold", o);
	booking_hold_event(bk, "slot.held", o, NULL, h->expires);
	*out = h;
	return 0;
nomem:
	snprintf(why, whylen, "out of memory");
	return PROTO_EINTERNAL;
}

int
booking_release(struct booking *bk, const char *who, bool force,
    const char *hold, char *why, size_t whylen)
{
	struct booking_hold *h = booking_hold_find(bk, hold);

	if (h == NULL) {
		snprintf(why, whylen, "no hold \"%.32s\" (expired, released "
		    "or used)", hold);
		return PROTO_ENOTFOUND;
	}
	if (!force && strcmp(h->who, who) != 0) {
		snprintf(why, whylen, "hold %s is not yours", h->id);
		return PROTO_EFORBIDDEN;
	}
	booking_hold_audit(bk, who, "slot.release", h->occ);
	booking_hold_event(bk, "slot.released", h->occ, "released", 0);
	booking_hold_drop(bk, h);
	booking_hold_arm(bk);
	return 0;
}

/* The hold with this id, checked for who and the lease; NULL: E_*. */
struct booking_hold *
booking_hold_check(struct booking *bk, const char *id, const char *who,
    int *err, char *why, size_t whylen)
{
	struct booking_hold *h = booking_hold_find(bk, id);

	if (h == NULL || h->expires <= clk_now_utc(&bk->d->clk)) {
		snprintf(why, whylen, "hold \"%.32s\" expired or unknown: "
		    "hold the slot again", id);
		*err = PROTO_EHOLDEXPIRED;
		return NULL;
	}
	if (strcmp(h->who, who) != 0) {
		snprintf(why, whylen, "hold %s is someone else's", h->id);
		*err = PROTO_ESLOTTAKEN;
		return NULL;
	}
	return h;
}
