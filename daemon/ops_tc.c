/* tc.*: a nurse's teleconsultation request and the GPs' answers. */
#include "daemon/ops.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "daemon/tc.h"
#include "daemon/store_tc.h"

#define OPS_TC_LIST_DAYS	7	/* tc.list's default look back */

static void
ops_tc_str_or_null(cJSON *o, const char *key, const char *v)
{
	if (v[0] != '\0')
		cJSON_AddStringToObject(o, key, v);
	else
		cJSON_AddNullToObject(o, key);
}

static void
ops_tc_time_or_null(const struct daemon *d, cJSON *o, const char *key,
    int64_t v)
{
	if (v != 0)
		ops_add_time(d, o, key, v);
	else
		cJSON_AddNullToObject(o, key);
}

static int
ops_tc_history_row(void *arg, const struct store_tc_event *e)
{
	void **a = arg;
	const struct daemon *d = a[0];
	cJSON *o = cJSON_CreateObject();

	ops_add_time(d, o, "at", e->at);
	cJSON_AddStringToObject(o, "event", e->event);
	if (e->gp[0] != '\0')
		cJSON_AddStringToObject(o, "gp", e->gp);
	if (e->detail[0] != '\0')
		cJSON_AddStringToObject(o, "detail", e->detail);
	cJSON_AddItemToArray(a[1], o);
	return 0;
}

/* A request as doc/oncall.md has it; history read when asked. */
static cJSON *
ops_tc_json(struct daemon *d, const struct store_tc *r, bool history)
{
	cJSON *o = cJSON_CreateObject(), *p, *offered;
	char tok[STORE_TC_WHO_MAX];
	const char *s;
	int n;

	cJSON_AddStringToObject(o, "request", r->id);
	cJSON_AddStringToObject(o, "state", r->state);
	cJSON_AddStringToObject(o, "stage", r->stage);
	cJSON_AddStringToObject(o, "urgency", r->urgency);
	cJSON_AddStringToObject(o, "commune", r->commune);
	cJSON_AddStringToObject(o, "sector", r->sector);
	ops_tc_str_or_null(o, "reason", r->reason);
	ops_add_time(d, o, "created_at", r->created_at);
	cJSON_AddStringToObject(o, "created_by", r->created_by);
	if (r->has_patient) {
		p = cJSON_AddObjectToObject(o, "patient");
		cJSON_AddStringToObject(p, "name", r->name);
		if (r->birth_year > 0)
			cJSON_AddNumberToObject(p, "birth_year",
			    r->birth_year);
	} else
		cJSON_AddNullToObject(o, "patient");
	ops_tc_str_or_null(o, "callback", r->callback);
	offered = cJSON_AddArrayToObject(o, "offered_to");
	for (s = r->offered_to; sscanf(s, "%64s%n", tok, &n) == 1; s += n)
		cJSON_AddItemToArray(offered, cJSON_CreateString(tok));
	ops_tc_time_or_null(d, o, "deadline", r->deadline);
	ops_tc_str_or_null(o, "accepted_by", r->accepted_by);
	ops_tc_time_or_null(d, o, "acked_at", r->acked_at);
	if (r->acked_at != 0)
		cJSON_AddNumberToObject(o, "ack_s",
		    (double)(r->acked_at - r->created_at));
	else
		cJSON_AddNullToObject(o, "ack_s");
	ops_tc_time_or_null(d, o, "done_at", r->done_at);
	ops_tc_str_or_null(o, "outcome", r->outcome);
	cJSON_AddNumberToObject(o, "escalations", r->escalations);
	if (history) {
		void *a[2] = { d, cJSON_AddArrayToObject(o, "history") };

		store_tc_history(d->store, r->id, ops_tc_history_row, a);
	}
	return o;
}

/* Whether GP gp was ever offered the request (its history says). */
static int
ops_tc_offered_row(void *arg, const struct store_tc_event *e)
{
	const char **a = arg;

	if (strcmp(e->event, "offered") == 0 && strcmp(e->gp, a[0]) == 0) {
		a[1] = "";
		return 1;
	}
	return 0;
}

static bool
ops_tc_visible(struct daemon *d, const struct srv_req *rq,
    const struct store_tc *r)
{
	const char *a[2] = { rq->gp, NULL };

	switch (rq->role) {
	case CFG_ROLE_ADMIN:
	case CFG_ROLE_COORDINATOR:
		return true;
	case CFG_ROLE_NURSE:
		return strcmp(r->created_by, rq->who) == 0;
	case CFG_ROLE_GP:
		if (strcmp(r->accepted_by, rq->gp) == 0)
			return true;
		store_tc_history(d->store, r->id, ops_tc_offered_row, a);
		return a[1] != NULL;
	default:
		return false;
	}
}

struct ops_tc_show {
	struct daemon	*d;
	struct srv_req	*r;
	bool		 replied;
};

static int
ops_tc_show_row(void *arg, const struct store_tc *row)
{
	struct ops_tc_show *s = arg;

	s->replied = true;
	if (!ops_tc_visible(s->d, s->r, row))
		srv_reply_err(s->r, PROTO_ENOTFOUND, "no request %s", row->id);
	else
		srv_reply_ok(s->r, ops_tc_json(s->d, row, true));
	return 1;
}

/* Reply with request id as stored, if r may see it. */
static void
ops_tc_reply(struct daemon *d, struct srv_req *r, const char *id)
{
	struct ops_tc_show s = { d, r, false };
	bool found;
	int err;

	err = store_tc_get(d->store, id, ops_tc_show_row, &s, &found);
	if (s.replied)
		return;
	if (err != STORE_OK)
		srv_reply_err(r, PROTO_EUNAVAIL, "store: %s",
		    store_strerror(err));
	else
		srv_reply_err(r, PROTO_ENOTFOUND, "no request %s", id);
}

static void
ops_tc_done(struct daemon *d, void *arg, int err, const char *why,
    const char *id)
{
	struct srv_req *r = arg;

	if (err != 0)
		srv_reply_err(r, err, "%s", why);
	else
		ops_tc_reply(d, r, id);
}

void
ops_tc_request(struct daemon *d, struct srv_req *r)
{
	const cJSON *p = jarg_get(r->req.args, "patient");
	const char *commune, *reason, *urgency = "normal", *callback = NULL;
	const char *name;
	char why[PROTO_WHY_MAX];
	struct store_tc t;
	time_t now = (time_t)clk_now_utc(&d->clk);
	struct tm tm;
	int64_t year = 0;
	ssize_t sector;

	gmtime_r(&now, &tm);
	memset(&t, 0, sizeof(t));
	if (jarg_str(r->req.args, "args", "commune", STORE_TC_COMMUNE_MAX - 1,
	    &commune, why, sizeof(why)) ||
	    jarg_str(r->req.args, "args", "reason", STORE_TC_TEXT_MAX - 1,
	    &reason, why, sizeof(why)) ||
	    jarg_str_opt(r->req.args, "args", "urgency", 8, &urgency, NULL,
	    why, sizeof(why)) ||
	    jarg_str_opt(r->req.args, "args", "callback",
	    STORE_TC_PHONE_MAX - 1, &callback, NULL, why, sizeof(why))) {
		srv_reply_err(r, PROTO_EARGS, "%s", why);
		return;
	}
	if (p == NULL || !cJSON_IsObject(p)) {
		srv_reply_err(r, PROTO_EARGS, "args.patient: required object");
		return;
	}
	if (jarg_str(p, "args.patient", "name", STORE_TC_NAME_MAX - 1, &name,
	    why, sizeof(why)) ||
	    jarg_int_opt(p, "args.patient", "birth_year", 1900,
	    tm.tm_year + 1900, &year, NULL, why, sizeof(why))) {
		srv_reply_err(r, PROTO_EARGS, "%s", why);
		return;
	}
	if (name[0] == '\0' || reason[0] == '\0') {
		srv_reply_err(r, PROTO_EARGS, "args.%s: empty",
		    name[0] == '\0' ? "patient.name" : "reason");
		return;
	}
	if (strcmp(urgency, "normal") != 0 && strcmp(urgency, "urgent") != 0) {
		srv_reply_err(r, PROTO_EARGS, "args.urgency: \"normal\" or "
		    "\"urgent\"");
		return;
	}
	if ((sector = ops_commune_sector(d->cfg, commune)) < 0) {
		srv_reply_err(r, PROTO_EARGS, "args.commune: \"%s\" is not a "
		    "commune of the territory", commune);
		return;
	}
	snprintf(t.urgency, sizeof(t.urgency), "%s", urgency);
	snprintf(t.commune, sizeof(t.commune), "%s", commune);
	snprintf(t.sector, sizeof(t.sector), "%s",
	    d->cfg->sectors[sector].id);
	snprintf(t.reason, sizeof(t.reason), "%s", reason);
	t.has_patient = true;
	snprintf(t.name, sizeof(t.name), "%s", name);
	t.birth_year = (int)year;
	snprintf(t.callback, sizeof(t.callback), "%s",
	    callback != NULL ? callback : "");
	snprintf(t.created_by, sizeof(t.created_by), "%s", r->who);
	tc_create(d->tc, &t, ops_tc_done, r);
}

void
ops_tc_act(struct daemon *d, struct srv_req *r)
{
	const char *op = r->req.op, *id, *outcome = NULL;
	char why[PROTO_WHY_MAX];
	enum tc_action a;

	a = strcmp(op, "tc.ack") == 0 ? TC_ACK :
	    strcmp(op, "tc.decline") == 0 ? TC_DECLINE :
	    strcmp(op, "tc.done") == 0 ? TC_DONE : TC_CANCEL;
	if (jarg_str(r->req.args, "args", "request", STORE_TC_ID_MAX - 1, &id,
	    why, sizeof(why)) ||
	    jarg_str_opt(r->req.args, "args", "outcome",
	    STORE_TC_TEXT_MAX - 1, &outcome, NULL, why, sizeof(why))) {
		srv_reply_err(r, PROTO_EARGS, "%s", why);
		return;
	}
	tc_act(d->tc, id, a, a == TC_CANCEL ? r->who : r->gp,
	    r->role == CFG_ROLE_ADMIN, outcome, ops_tc_done, r);
}

void
ops_tc_show(struct daemon *d, struct srv_req *r)
{
	const char *id;
	char why[PROTO_WHY_MAX];

	if (jarg_str(r->req.args, "args", "request", STORE_TC_ID_MAX - 1, &id,
	    why, sizeof(why))) {
		srv_reply_err(r, PROTO_EARGS, "%s", why);
		return;
	}
	ops_tc_reply(d, r, id);
}

struct ops_tc_list {
	struct daemon	*d;
	struct srv_req	*r;
	const char	*state;
	cJSON		*arr;
};

static int
ops_tc_list_row(void *arg, const struct store_tc *row)
{
	struct ops_tc_list *l = arg;

	if ((l->state == NULL || strcmp(l->state, row->state) == 0) &&
	    ops_tc_visible(l->d, l->r, row))
		cJSON_AddItemToArray(l->arr, ops_tc_json(l->d, row, false));
	return 0;
}

void
ops_tc_list(struct daemon *d, struct srv_req *r)
{
	const struct tz *z = d->cfg->territory.tz;
	struct ops_tc_list l = { d, r, NULL, NULL };
	char why[PROTO_WHY_MAX];
	int64_t now = clk_now_utc(&d->clk);
	int64_t from = tz_day_start(z, now - OPS_TC_LIST_DAYS * 86400);
	int64_t to = tz_day_start(z, now + 90000);
	int err;

	if (jarg_str_opt(r->req.args, "args", "state", 16, &l.state, NULL, why,
	    sizeof(why))) {
		srv_reply_err(r, PROTO_EARGS, "%s", why);
		return;
	}
	if (ops_day_range(d, r, false, 62, &from, &to) != 0)
		return;
	l.arr = cJSON_CreateArray();
	if ((err = store_tc_each(d->store, from, to, false, ops_tc_list_row,
	    &l)) != STORE_OK) {
		cJSON_Delete(l.arr);
		srv_reply_err(r, PROTO_EUNAVAIL, "store: %s",
		    store_strerror(err));
		return;
	}
	srv_reply_ok(r, l.arr);
}
