/* Requests to handlers: token check, op table, role check. */
#include "daemon/ops.h"

#include <string.h>

#include "daemon/auth.h"
#include "daemon/log.h"
#include "daemon/core/tz.h"

struct ops_def {
	const char	*name;
	unsigned	 roles;		/* AUTH_R bits */
	void		(*fn)(struct daemon *, struct srv_req *);
};

/* Who books patients: admin, coordinator, secretariat. */
#define OPS_BOOKERS \
	(AUTH_R(ADMIN) | AUTH_R(COORDINATOR) | AUTH_R(SECRETARIAT))

/* PROTOCOL.md's table; "G own" ops let GPs in, the handler checks. */
static const struct ops_def ops_table[] = {
	{ "sys.ping",	AUTH_ANY, ops_sys_ping },
	{ "sys.status",	AUTH_R(ADMIN) | AUTH_R(COORDINATOR) |
	    AUTH_R(SECRETARIAT), ops_sys_status },
	{ "sys.reload",	AUTH_R(ADMIN), ops_sys_reload },
	{ "gp.list",	AUTH_R(ADMIN) | AUTH_R(COORDINATOR) |
	    AUTH_R(SECRETARIAT) | AUTH_R(NURSE), ops_gp_list },
	{ "feed.status", AUTH_R(ADMIN) | AUTH_R(COORDINATOR) | AUTH_R(GP),
	    ops_feed_status },
	{ "feed.refresh", AUTH_R(ADMIN) | AUTH_R(COORDINATOR) | AUTH_R(GP),
	    ops_feed_refresh },
	{ "feed.push",	AUTH_R(ADMIN) | AUTH_R(GP), ops_feed_push },
	{ "avail.get",	AUTH_R(ADMIN) | AUTH_R(COORDINATOR) | AUTH_R(GP),
	    ops_avail_get },
	{ "plan.get",	AUTH_R(ADMIN) | AUTH_R(COORDINATOR) |
	    AUTH_R(SECRETARIAT), ops_plan_get },
	{ "plan.rebuild", AUTH_R(ADMIN) | AUTH_R(COORDINATOR),
	    ops_plan_rebuild },
	{ "slots.search", OPS_BOOKERS, ops_slots_search },
	{ "slot.hold",	OPS_BOOKERS, ops_slot_hold },
	{ "slot.release", OPS_BOOKERS, ops_slot_release },
	{ "booking.create", OPS_BOOKERS, ops_booking_create },
	{ "booking.cancel", OPS_BOOKERS, ops_booking_cancel },
	{ "booking.show", OPS_BOOKERS | AUTH_R(GP), ops_booking_show },
	{ "booking.list", OPS_BOOKERS | AUTH_R(GP), ops_booking_list },
	{ "export.get",	AUTH_R(ADMIN) | AUTH_R(COORDINATOR) | AUTH_R(GP),
	    ops_export_get },
	{ "rota.get",	AUTH_ANY, ops_rota_get },
	{ "rota.rebuild", AUTH_R(ADMIN) | AUTH_R(COORDINATOR),
	    ops_rota_rebuild },
	{ "rota.assign", OPS_BOOKERS, ops_rota_assign },
	{ "oncall.now",	AUTH_ANY, ops_oncall_now },
	{ "tc.request",	AUTH_R(ADMIN) | AUTH_R(NURSE), ops_tc_request },
	{ "tc.ack",	AUTH_R(GP), ops_tc_act },
	{ "tc.decline",	AUTH_R(GP), ops_tc_act },
	{ "tc.done",	AUTH_R(GP), ops_tc_act },
	{ "tc.cancel",	AUTH_R(ADMIN) | AUTH_R(NURSE), ops_tc_act },
	{ "tc.show",	AUTH_R(ADMIN) | AUTH_R(COORDINATOR) | AUTH_R(NURSE) |
	    AUTH_R(GP), ops_tc_show },
	{ "tc.list",	AUTH_R(ADMIN) | AUTH_R(COORDINATOR) | AUTH_R(NURSE) |
	    AUTH_R(GP), ops_tc_list },
	{ "report.indicators", AUTH_R(ADMIN) | AUTH_R(COORDINATOR),
	    ops_report_indicators },
};

static const struct ops_def *
ops_find(const char *name)
{
	for (size_t i = 0; i < sizeof(ops_table) / sizeof(ops_table[0]); i++)
		if (strcmp(ops_table[i].name, name) == 0)
			return &ops_table[i];
	return NULL;
}

void
ops_dispatch(void *arg, struct srv_req *r)
{
	struct daemon *d = arg;
	const struct cfg *c = d->cfg;
	const struct cfg_principal *p;
	const struct ops_def *op;
	ssize_t who;

	/* Who first: an unauthenticated peer learns nothing of the ops. */
	if (r->req.token == NULL) {
		srv_reply_err(r, PROTO_EUNAUTH, "token: required");
		return;
	}
	who = auth_find(c, r->req.token, strlen(r->req.token));
	if (who < 0) {
		log_warning("auth", "req=%s op=%.64s: unknown token", r->rid,
		    r->req.op);
		srv_reply_err(r, PROTO_EUNAUTH, "unknown token");
		return;
	}
	p = &c->principals[who];
	r->is_authed = true;
	r->role = p->role;
	snprintf(r->who, sizeof(r->who), "%s", p->name);
	if (p->role == CFG_ROLE_GP)
		snprintf(r->gp, sizeof(r->gp), "%s", c->gps[p->gp].id);

	op = ops_find(r->req.op);
	if (op == NULL) {
		srv_reply_err(r, PROTO_EUNKNOWNOP, "no op \"%.64s\"",
		    r->req.op);
		return;
	}
	if (!auth_role_allowed(p->role, op->roles)) {
		srv_reply_err(r, PROTO_EFORBIDDEN, "role %s may not call %s",
		    cfg_role_name(p->role), op->name);
		return;
	}
	op->fn(d, r);
}

void
ops_add_time(const struct daemon *d, cJSON *obj, const char *key,
    int64_t utc)
{
	char buf[RFC3339_MAX];

	cJSON_AddStringToObject(obj, key, daemon_time(d, utc, buf));
}

int64_t
ops_instant(const struct daemon *d, const struct rfc3339 *t)
{
	if (!t->is_date)
		return t->utc;
	return tz_from_local(d->cfg->territory.tz, t->year, t->month, t->day,
	    0, 0, 0);
}
