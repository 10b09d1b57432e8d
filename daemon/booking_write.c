/*
 * The durable changes of bookings: create, cancel, conflict. Each is
 * committed (with its audit row) before its reply and its event; the
 * slot it concerns is marked in memory at once, so that a concurrent
 * request sees it taken while the commit is on its way.
 */
#include "daemon/booking_int.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "daemon/daemon.h"
#include "daemon/evt.h"
#include "daemon/feed.h"
#include "daemon/log.h"
#include "daemon/core/cal.h"
#include "daemon/core/ivs.h"
#include "proto/proto.h"

/* A request waiting for the create its idempotency key started. */
struct booking_waiter {
	struct booking_waiter	*next;
	booking_done_fn		 done;
	void			*arg;
};

struct booking_create_op {
	struct store_booking	  b;	/* first: the store's arg */
	struct booking		 *bk;
	struct booking_occ	 *occ;
	char			  hold[BOOKING_HOLD_ID_MAX];	/* or "" */
	booking_done_fn		  done;
	void			 *arg;
	struct booking_waiter	 *waiters;
	struct booking_create_op *next;
};

/* A cancel or a conflict on its way to the disk. */
struct booking_change_op {
	struct store_booking	 b;	/* first: the store's arg */
	struct booking		*bk;
	booking_done_fn		 done;	/* NULL for a conflict */
	void			*arg;
};

static void	booking_conflict(struct booking *bk,
		    const struct booking_occ *o, const char *why);

static void
booking_event(struct booking *bk, const char *topic,
    const struct store_booking *b)
{
	cJSON *e = cJSON_CreateObject();

	/* Ids and times only: events never carry patient data. */
	cJSON_AddStringToObject(e, "booking", b->id);
	cJSON_AddStringToObject(e, "slot", b->slot);
	cJSON_AddStringToObject(e, "gp", b->gp);
	cJSON_AddStringToObject(e, "sector", b->sector);
	booking_add_times(bk->d, e, b->start, b->end);
	cJSON_AddStringToObject(e, "status", store_bk_status_name(b->status));
	if (b->status == STORE_BK_CONFLICT)
		cJSON_AddStringToObject(e, "conflict", b->conflict);
	evt_publish(bk->d->srv, topic, e);
}

/* The answer to a key seen before: the first booking, if for this slot. */
static void
booking_answer_first(struct daemon *d, const struct store_booking *first,
    const char *slot, booking_done_fn done, void *arg)
{
	char why[160];

	if (strcmp(first->slot, slot) != 0) {
		snprintf(why, sizeof(why), "idempotency_key already used for "
		    "booking %s of another slot", first->id);
		done(d, arg, PROTO_ECONFLICT, why, NULL);
		return;
	}
	done(d, arg, 0, NULL, first);
}

static void
booking_created(void *arg, int err)
{
	struct booking_create_op *op = arg;
	struct booking *bk = op->bk;
	struct booking_create_op **p;
	struct booking_waiter *w, *next;
	struct store_booking first;
	bool found = false;
	int code = 0;
	char why[160] = "";

	bk->writes--;
	for (p = &bk->creating; *p != NULL; p = &(*p)->next)
		if (*p == op) {
			*p = op->next;
			break;
		}
	if (err == STORE_OK) {
		op->occ->state = BOOKING_BOOKED;
		snprintf(op->occ->booking, sizeof(op->occ->booking), "%s",
		    op->b.id);
		if (op->occ->hold != NULL)
			booking_hold_drop(bk, op->occ->hold);
		booking_hold_arm(bk);
		log_info("booking", "%s created by %s for slot %s", op->b.id,
		    op->b.who, op->b.slot);
		booking_event(bk, "booking.created", &op->b);
		booking_touch_export(bk, op->b.gp);
		/* The agenda or the config may have changed during the commit. */
		if (cfg_gp_find(bk->d->cfg, op->b.gp) < 0)
			booking_conflict(bk, op->occ, "gp removed");
		else if (!booking_slot_free(bk, op->b.gp, op->b.start,
		    op->b.end))
			booking_conflict(bk, op->occ, "busy");
	} else {
		op->occ->state = BOOKING_NONE;
		booking_occ_settle(bk, op->occ);
		booking_hold_arm(bk);	/* a hold kept may be due */
		if (err == STORE_ECONSTRAINT && bk->d->store != NULL &&
		    store_booking_by_key(bk->d->store, op->b.who, op->b.key,
		    &first, &found) == STORE_OK && found) {
			code = -1;	/* replayed below */
		} else if (err == STORE_ECONSTRAINT) {
			code = PROTO_ESLOTTAKEN;
			snprintf(why, sizeof(why), "slot %s is booked",
			    op->b.slot);
		} else {
			code = PROTO_EUNAVAIL;
			snprintf(why, sizeof(why), "booking not stored: %s",
			    store_strerror(err));
			log_err("booking", "create for slot %s: %s",
			    op->b.slot, store_strerror(err));
		}
	}
	for (w = op->waiters; ; w = next) {
		booking_done_fn done = w != NULL ? w->done : op->done;
		void *darg = w != NULL ? w->arg : op->arg;

		if (code == -1)
			booking_answer_first(bk->d, &first, op->b.slot, done, darg);
		else
			done(bk->d, darg, code, why, code == 0 ? &op->b : NULL);
		if (w == NULL)
			break;
		next = w->next;
		free(w);
	}
	free(op);
	booking_maybe_free(bk);
}

/* A create with the same principal and key is on its way: wait for it. */
static bool
booking_join(struct booking *bk, const struct store_booking *b,
    booking_done_fn done, void *arg)
{
	struct booking_create_op *op;
	struct booking_waiter *w;

	for (op = bk->creating; op != NULL; op = op->next)
		if (strcmp(op->b.who, b->who) == 0 &&
		    strcmp(op->b.key, b->key) == 0)
			break;
	if (op == NULL)
		return false;
	if (strcmp(op->b.slot, b->slot) != 0) {
		done(bk->d, arg, PROTO_ECONFLICT, "idempotency_key already used for "
		    "another slot", NULL);
		return true;
	}
	if ((w = calloc(1, sizeof(*w))) == NULL) {
		done(bk->d, arg, PROTO_EINTERNAL, "out of memory", NULL);
		return true;
	}
	w->done = done;
	w->arg = arg;
	w->next = op->waiters;
	op->waiters = w;
	return true;
}

bool
booking_replay(struct booking *bk, const struct store_booking *b,
    booking_done_fn done, void *arg)
{
	struct daemon *d = bk->d;
	struct store_booking first;
	bool found = false;
	char why[160];
	int err;

	if (bk->is_closing || d->store == NULL) {
		done(d, arg, PROTO_EUNAVAIL, "shutting down", NULL);
		return true;
	}
	if (booking_join(bk, b, done, arg))
		return true;
	if ((err = store_booking_by_key(d->store, b->who, b->key, &first,
	    &found)) != STORE_OK) {
		snprintf(why, sizeof(why), "store: %s", store_strerror(err));
		done(d, arg, PROTO_EUNAVAIL, why, NULL);
		return true;
	}
	if (found)
		booking_answer_first(d, &first, b->slot, done, arg);
	return found;
}

void
booking_create(struct booking *bk, const struct store_booking *b,
    const char *hold, booking_done_fn done, void *arg)
{
	struct booking_create_op *op;
	struct booking_occ *o;
	char why[160];
	int err;

	/* The caller asked booking_replay() in this loop turn: no lookup
	 * of the key again (it was half of a booking's loop time). */
	if (bk->is_closing || bk->d->store == NULL) {
		done(bk->d, arg, PROTO_EUNAVAIL, "shutting down", NULL);
		return;
	}
	o = (struct booking_occ *)booking_occ_find(bk, b->gp, b->start);
	if (o != NULL && o->state != BOOKING_NONE) {
		snprintf(why, sizeof(why), "slot %s is booked", b->slot);
		done(bk->d, arg, PROTO_ESLOTTAKEN, why, NULL);
		return;
	}
	if (hold != NULL) {
		const struct booking_hold *h = booking_hold_check(bk, hold,
		    b->who, &err, why, sizeof(why));

		if (h == NULL) {
			done(bk->d, arg, err, why, NULL);
			return;
		}
		if (h->occ != o) {
			done(bk->d, arg, PROTO_EARGS, "args.hold: the hold is for "
			    "another slot", NULL);
			return;
		}
	} else if (o != NULL && o->hold != NULL &&
	    strcmp(o->hold->who, b->who) != 0) {
		snprintf(why, sizeof(why), "slot %s is held by someone else",
		    b->slot);
		done(bk->d, arg, PROTO_ESLOTTAKEN, why, NULL);
		return;
	}
	if ((op = calloc(1, sizeof(*op))) == NULL ||
	    (o = booking_occ_get(bk, b->gp, b->start, b->end)) == NULL) {
		free(op);
		done(bk->d, arg, PROTO_EINTERNAL, "out of memory", NULL);
		return;
	}
	op->b = *b;
	op->b.status = STORE_BK_BOOKED;
	op->b.created_at = clk_now_utc(&bk->d->clk);
	booking_random_id("b-", op->b.id, sizeof(op->b.id));
	op->bk = bk;
	op->occ = o;
	op->done = done;
	op->arg = arg;
	o->state = BOOKING_PENDING;
	if ((err = store_booking_create(bk->d->store, &op->b, booking_created)) !=
	    STORE_OK) {
		o->state = BOOKING_NONE;
		booking_occ_settle(bk, o);
		free(op);
		done(bk->d, arg, PROTO_EUNAVAIL, store_strerror(err), NULL);
		return;
	}
	bk->writes++;
	op->next = bk->creating;
	bk->creating = op;
}

/* The slot of a booking no longer live is free again. */
static void
booking_unoccupy(struct booking *bk, const struct store_booking *b)
{
	struct booking_occ *o = (struct booking_occ *)booking_occ_find(bk,
	    b->gp, b->start);

	if (o == NULL || strcmp(o->booking, b->id) != 0)
		return;
	o->state = BOOKING_NONE;
	o->booking[0] = '\0';
	booking_occ_settle(bk, o);
}

static void
booking_cancelled(void *arg, int err)
{
	struct booking_change_op *op = arg;
	struct booking *bk = op->bk;
	char why[160];

	bk->writes--;
	if (err == STORE_OK) {
		op->b.status = STORE_BK_CANCELLED;
		booking_unoccupy(bk, &op->b);
		log_info("booking", "%s cancelled by %s", op->b.id,
		    op->b.cancelled_by);
		booking_event(bk, "booking.cancelled", &op->b);
		booking_touch_export(bk, op->b.gp);
		op->done(bk->d, op->arg, 0, NULL, &op->b);
	} else if (err == STORE_ECONSTRAINT) {
		snprintf(why, sizeof(why), "booking %s is already cancelled",
		    op->b.id);
		op->done(bk->d, op->arg, PROTO_ECONFLICT, why, NULL);
	} else {
		snprintf(why, sizeof(why), "cancel not stored: %s",
		    store_strerror(err));
		op->done(bk->d, op->arg, PROTO_EUNAVAIL, why, NULL);
	}
	free(op);
	booking_maybe_free(bk);
}

void
booking_cancel(struct booking *bk, const char *id, const char *who,
    const char *reason, booking_done_fn done, void *arg)
{
	struct booking_change_op *op;
	bool found = false;
	char why[160];
	int err;

	if (bk->is_closing || bk->d->store == NULL) {
		done(bk->d, arg, PROTO_EUNAVAIL, "shutting down", NULL);
		return;
	}
	if ((op = calloc(1, sizeof(*op))) == NULL) {
		done(bk->d, arg, PROTO_EINTERNAL, "out of memory", NULL);
		return;
	}
	err = store_booking_get(bk->d->store, id, &op->b, &found);
	if (err != STORE_OK || !found || op->b.status == STORE_BK_CANCELLED) {
		if (err != STORE_OK)
			snprintf(why, sizeof(why), "store: %s",
			    store_strerror(err));
		else if (!found)
			snprintf(why, sizeof(why), "no booking \"%.32s\"", id);
		else
			snprintf(why, sizeof(why), "booking %s is already "
			    "cancelled", op->b.id);
		free(op);
		done(bk->d, arg, err != STORE_OK ? PROTO_EUNAVAIL : !found ?
		    PROTO_ENOTFOUND : PROTO_ECONFLICT, why, NULL);
		return;
	}
	op->bk = bk;
	op->done = done;
	op->arg = arg;
	op->b.cancelled_at = clk_now_utc(&bk->d->clk);
	snprintf(op->b.cancelled_by, sizeof(op->b.cancelled_by), "%s", who);
	snprintf(op->b.cancel_reason, sizeof(op->b.cancel_reason), "%s",
	    reason != NULL ? reason : "");
	if ((err = store_booking_cancel(bk->d->store, &op->b,
	    booking_cancelled)) != STORE_OK) {
		free(op);
		done(bk->d, arg, PROTO_EUNAVAIL, store_strerror(err), NULL);
		return;
	}
	bk->writes++;
}

static void
booking_conflicted(void *arg, int err)
{
	struct booking_change_op *op = arg;
	struct booking *bk = op->bk;
	struct booking_occ *o;

	bk->writes--;
	if (err == STORE_OK) {
		o = (struct booking_occ *)booking_occ_find(bk, op->b.gp,
		    op->b.start);
		if (o != NULL && strcmp(o->booking, op->b.id) == 0)
			o->state = BOOKING_CONFLICT;
		op->b.status = STORE_BK_CONFLICT;
		log_notice("booking", "%s in conflict: %s", op->b.id,
		    op->b.conflict);
		booking_event(bk, "booking.conflict", &op->b);
		booking_touch_export(bk, op->b.gp);
	} else if (err != STORE_ECONSTRAINT)
		log_err("booking", "conflict of %s not stored: %s", op->b.id,
		    store_strerror(err));
	free(op);
	booking_maybe_free(bk);
}

/* Mark o's booking in conflict, durably, then announce it. */
static void
booking_conflict(struct booking *bk, const struct booking_occ *o,
    const char *why)
{
	struct booking_change_op *op;
	bool found = false;

	if (bk->d->store == NULL || (op = calloc(1, sizeof(*op))) == NULL)
		return;
	/* The row gives the event its slot and sector. */
	if (store_booking_get(bk->d->store, o->booking, &op->b, &found) !=
	    STORE_OK || !found || op->b.status != STORE_BK_BOOKED) {
		free(op);
		return;
	}
	op->bk = bk;
	op->b.conflict_at = clk_now_utc(&bk->d->clk);
	snprintf(op->b.conflict, sizeof(op->b.conflict), "%s", why);
	snprintf(op->b.who, sizeof(op->b.who), "snpd");
	if (store_booking_conflict(bk->d->store, &op->b,
	    booking_conflicted) != STORE_OK) {
		free(op);
		return;
	}
	bk->writes++;
}

static int
booking_recheck_row(void *arg, const struct store_booking *b)
{
	struct booking *bk = arg;
	const struct booking_occ *o = booking_occ_find(bk, b->gp, b->start);

	if (b->status == STORE_BK_BOOKED && o != NULL &&
	    b->end > clk_now_utc(&bk->d->clk) &&
	    strcmp(o->booking, b->id) == 0 &&
	    !booking_slot_free(bk, b->gp, b->start, b->end))
		booking_conflict(bk, o, "busy");
	return 0;
}

void
booking_feed_changed(struct booking *bk, const char *gp)
{
	/*
	 * The GP's bookings to come, from the store's (gp, start) index:
	 * past ones are history, and a scan of every booking held would
	 * cost each feed change the whole territory's. A create still being
	 * committed is checked when its commit comes back.
	 */
	if (bk == NULL || bk->is_closing || bk->d->store == NULL)
		return;
	store_booking_each(bk->d->store, clk_now_utc(&bk->d->clk) - 86400,
	    INT64_MAX, gp, true, booking_recheck_row, bk);
}

void
booking_reload(struct booking *bk)
{
	int64_t now = clk_now_utc(&bk->d->clk);

	for (size_t i = 0; i < bk->cap; i++) {
		const struct booking_occ *o = bk->map[i];

		/* A create being committed is checked when it comes back. */
		if (o != NULL && o->state == BOOKING_BOOKED &&
		    o->end > now && cfg_gp_find(bk->d->cfg, o->gp) < 0)
			booking_conflict(bk, o, "gp removed");
	}
}
