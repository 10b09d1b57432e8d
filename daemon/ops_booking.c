/* booking.create, .cancel, .show, .list: the secretariat's bookings. */
#include "daemon/ops.h"

#include <stdio.h>
#include <string.h>
#include <time.h>

#include "daemon/booking.h"
#include "daemon/planner.h"
#include "daemon/store_booking.h"

#define OPS_BK_LIST_DAYS	366

static void
ops_bk_str(cJSON *o, const char *key, const char *v)
{
	if (v[0] != '\0')
		cJSON_AddStringToObject(o, key, v);
}

/* A booking as PROTOCOL.md has it; patient null once purged. */
static cJSON *
ops_booking_json(struct daemon *d, const struct store_booking *b)
{
	cJSON *o = cJSON_CreateObject(), *p;

	cJSON_AddStringToObject(o, "booking", b->id);
	cJSON_AddStringToObject(o, "slot", b->slot);
	cJSON_AddStringToObject(o, "gp", b->gp);
	cJSON_AddStringToObject(o, "sector", b->sector);
	ops_add_time(d, o, "start", b->start);
	ops_add_time(d, o, "end", b->end);
	cJSON_AddStringToObject(o, "status", store_bk_status_name(b->status));
	cJSON_AddStringToObject(o, "modality", b->modality);
	if (b->has_patient) {
		p = cJSON_AddObjectToObject(o, "patient");
		cJSON_AddStringToObject(p, "name", b->name);
		ops_bk_str(p, "phone", b->phone);
		if (b->birth_year > 0)
			cJSON_AddNumberToObject(p, "birth_year",
			    b->birth_year);
		ops_bk_str(p, "commune", b->commune);
	} else
		cJSON_AddNullToObject(o, "patient");
	if (b->purged_at > 0)
		cJSON_AddNullToObject(o, "reason");	/* purged with the patient */
	else
		cJSON_AddStringToObject(o, "reason", b->reason);
	ops_add_time(d, o, "created_at", b->created_at);
	cJSON_AddStringToObject(o, "created_by", b->who);
	if (b->cancelled_at > 0) {
		ops_add_time(d, o, "cancelled_at", b->cancelled_at);
		cJSON_AddStringToObject(o, "cancelled_by", b->cancelled_by);
		ops_bk_str(o, "cancel_reason", b->cancel_reason);
	}
	if (b->conflict_at > 0) {
		ops_add_time(d, o, "conflict_at", b->conflict_at);
		cJSON_AddStringToObject(o, "conflict", b->conflict);
	}
	if (b->purged_at > 0)
		ops_add_time(d, o, "purged_at", b->purged_at);
	return o;
}

/* booking_done_fn of create and cancel: the reply, after the commit. */
static void
ops_booking_done(struct daemon *d, void *arg, int err, const char *why,
    const struct store_booking *b)
{
	struct srv_req *r = arg;

	if (err != 0)
		srv_reply_err(r, err, "%s", why);
	else
		srv_reply_ok(r, ops_booking_json(d, b));
}

/* The patient object into b; -1 after replying E_BAD_ARGS. */
static int
ops_booking_patient(struct daemon *d, struct srv_req *r,
    struct store_booking *b)
{
	const cJSON *p = jarg_get(r->req.args, "patient");
	const char *name, *phone = NULL, *commune = NULL;
	char why[PROTO_WHY_MAX];
	time_t now = (time_t)clk_now_utc(&d->clk);
	struct tm tm;
	int64_t year = 0;

	gmtime_r(&now, &tm);
	if (p == NULL || !cJSON_IsObject(p)) {
		srv_reply_err(r, PROTO_EARGS, "args.patient: required object");
		return -1;
	}
	if (jarg_str(p, "args.patient", "name", STORE_BK_NAME_MAX - 1,
	    &name, why, sizeof(why)) ||
	    jarg_str_opt(p, "args.patient", "phone", STORE_BK_PHONE_MAX - 1,
	    &phone, NULL, why, sizeof(why)) ||
	    jarg_int_opt(p, "args.patient", "birth_year", 1900,
	    tm.tm_year + 1900, &year, NULL, why, sizeof(why)) ||
	    jarg_str_opt(p, "args.patient", "commune",
	    STORE_BK_COMMUNE_MAX - 1, &commune, NULL, why, sizeof(why))) {
		srv_reply_err(r, PROTO_EARGS, "%s", why);
		return -1;
	}
	if (name[0] == '\0') {
		srv_reply_err(r, PROTO_EARGS, "args.patient.name: empty");
		return -1;
	}
	b->has_patient = true;
	snprintf(b->name, sizeof(b->name), "%s", name);
	snprintf(b->phone, sizeof(b->phone), "%s", phone ? phone : "");
	b->birth_year = (int)year;
	snprintf(b->commune, sizeof(b->commune), "%s", commune ? commune : "");
	return 0;
}

void
ops_booking_create(struct daemon *d, struct srv_req *r)
{
	const struct cfg *c = d->cfg;
	struct store_booking b = { 0 };
	const char *slot, *key, *hold = NULL, *reason = NULL;
	const char *modality = "in_person";
	const struct plan_res *res;
	char why[PROTO_WHY_MAX], gp_id[CFG_ID_MAX + 1];
	ssize_t gp;

	if (jarg_str(r->req.args, "args", "slot", BOOKING_SLOT_MAX - 1, &slot,
	    why, sizeof(why)) ||
	    jarg_str(r->req.args, "args", "idempotency_key",
	    STORE_BK_KEY_MAX - 1, &key, why, sizeof(why)) ||
	    jarg_str_opt(r->req.args, "args", "hold", 64, &hold, NULL, why,
	    sizeof(why)) ||
	    jarg_str_opt(r->req.args, "args", "reason",
	    STORE_BK_REASON_MAX - 1, &reason, NULL, why, sizeof(why)) ||
	    jarg_str_opt(r->req.args, "args", "modality", 32, &modality, NULL,
	    why, sizeof(why))) {
		srv_reply_err(r, PROTO_EARGS, "%s", why);
		return;
	}
	if (key[0] == '\0') {
		srv_reply_err(r, PROTO_EARGS, "args.idempotency_key: empty");
		return;
	}
	if (ops_booking_patient(d, r, &b) != 0)
		return;
	snprintf(b.slot, sizeof(b.slot), "%s", slot);
	snprintf(b.who, sizeof(b.who), "%s", r->who);
	snprintf(b.key, sizeof(b.key), "%s", key);
	/* A retry of a booking made is answered whatever the slot is now. */
	if (booking_slot_parse(slot, gp_id, &b.start) == 0) {
		snprintf(b.gp, sizeof(b.gp), "%s", gp_id);
		if (booking_replay(d->booking, &b, ops_booking_done, r))
			return;
	}
	if (ops_slot_find(d, r, slot, &gp, &res) != 0)
		return;
	if (strcmp(modality, "teleconsultation") == 0 &&
	    !c->gps[gp].teleconsult) {
		srv_reply_err(r, PROTO_EARGS, "args.modality: %s does not "
		    "teleconsult", c->gps[gp].id);
		return;
	}
	if (strcmp(modality, "teleconsultation") != 0 &&
	    strcmp(modality, "in_person") != 0) {
		srv_reply_err(r, PROTO_EARGS, "args.modality: \"in_person\" or "
		    "\"teleconsultation\"");
		return;
	}
	snprintf(b.gp, sizeof(b.gp), "%s", c->gps[gp].id);
	snprintf(b.sector, sizeof(b.sector), "%s",
	    c->sectors[c->gps[gp].sector].id);
	b.start = res->start;
	b.end = res->end;
	snprintf(b.modality, sizeof(b.modality), "%s", modality);
	snprintf(b.reason, sizeof(b.reason), "%s", reason ? reason : "");
	booking_create(d->booking, &b, hold, ops_booking_done, r);
}

void
ops_booking_cancel(struct daemon *d, struct srv_req *r)
{
	const char *id, *reason = NULL;
	char why[PROTO_WHY_MAX];

	if (jarg_str(r->req.args, "args", "booking", STORE_BK_ID_MAX - 1, &id,
	    why, sizeof(why)) || jarg_str_opt(r->req.args, "args", "reason",
	    STORE_BK_REASON_MAX - 1, &reason, NULL, why, sizeof(why))) {
		srv_reply_err(r, PROTO_EARGS, "%s", why);
		return;
	}
	booking_cancel(d->booking, id, r->who, reason, ops_booking_done, r);
}

void
ops_booking_show(struct daemon *d, struct srv_req *r)
{
	struct store_booking b;
	const char *id;
	char why[PROTO_WHY_MAX];
	bool found = false;
	int err;

	if (jarg_str(r->req.args, "args", "booking", STORE_BK_ID_MAX - 1, &id,
	    why, sizeof(why))) {
		srv_reply_err(r, PROTO_EARGS, "%s", why);
		return;
	}
	if ((err = store_booking_get(d->store, id, &b, &found)) != STORE_OK) {
		srv_reply_err(r, PROTO_EUNAVAIL, "store: %s",
		    store_strerror(err));
		return;
	}
	/* A GP learns nothing of others' bookings, not even that they exist. */
	if (!found || (r->role == CFG_ROLE_GP && strcmp(b.gp, r->gp) != 0)) {
		srv_reply_err(r, PROTO_ENOTFOUND, "no booking \"%s\"", id);
		return;
	}
	srv_reply_ok(r, ops_booking_json(d, &b));
}

struct ops_bk_list {
	struct daemon	*d;
	cJSON		*arr;
	int		 status;	/* -1: any */
};

static int
ops_bk_list_row(void *arg, const struct store_booking *b)
{
	struct ops_bk_list *l = arg;

	if (l->status < 0 || (int)b->status == l->status)
		cJSON_AddItemToArray(l->arr, ops_booking_json(l->d, b));
	return 0;
}

void
ops_booking_list(struct daemon *d, struct srv_req *r)
{
	struct ops_bk_list l = { d, NULL, -1 };
	const char *gp = NULL, *status = NULL;
	char why[PROTO_WHY_MAX];
	struct rfc3339 tf, tt;
	int64_t from, to;
	int err;

	if (jarg_time(r->req.args, "args", "from", &tf, why, sizeof(why)) ||
	    jarg_time(r->req.args, "args", "to", &tt, why, sizeof(why)) ||
	    jarg_str_opt(r->req.args, "args", "gp", CFG_ID_MAX, &gp, NULL, why,
	    sizeof(why)) || jarg_str_opt(r->req.args, "args", "status", 16,
	    &status, NULL, why, sizeof(why))) {
		srv_reply_err(r, PROTO_EARGS, "%s", why);
		return;
	}
	from = ops_instant(d, &tf);
	to = ops_instant(d, &tt);
	if (to <= from || to - from > OPS_BK_LIST_DAYS * 86400 + 7200) {
		srv_reply_err(r, PROTO_EARGS, "args.to: must be after "
		    "args.from, at most %d days later", OPS_BK_LIST_DAYS);
		return;
	}
	if (status != NULL) {
		for (int s = STORE_BK_BOOKED; s <= STORE_BK_CONFLICT; s++)
			if (strcmp(status, store_bk_status_name(s)) == 0)
				l.status = s;
		if (l.status < 0) {
			srv_reply_err(r, PROTO_EARGS, "args.status: \"booked\", "
			    "\"cancelled\" or \"conflict\"");
			return;
		}
	}
	if (r->role == CFG_ROLE_GP) {
		if (gp != NULL && strcmp(gp, r->gp) != 0) {
			srv_reply_err(r, PROTO_EFORBIDDEN, "a GP sees its own "
			    "bookings only");
			return;
		}
		gp = r->gp;
	}
	l.arr = cJSON_CreateArray();
	err = store_booking_each(d->store, from, to, gp, false,
	    ops_bk_list_row, &l);
	if (err != STORE_OK) {
		cJSON_Delete(l.arr);
		srv_reply_err(r, PROTO_EUNAVAIL, "store: %s",
		    store_strerror(err));
		return;
	}
	srv_reply_ok(r, l.arr);
}
