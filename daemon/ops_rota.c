/* rota.get, rota.rebuild, rota.assign, oncall.now: the on-call rota. */
#include "daemon/ops.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "daemon/roster.h"
#include "daemon/store_rota.h"
#include "daemon/core/tz.h"

/* A shift id: its UTC start as YYYYMMDDTHHMMSSZ. */
static void
ops_shift_id(int64_t start, char buf[24])
{
	time_t t = (time_t)start;
	struct tm tm;

	gmtime_r(&t, &tm);
	strftime(buf, 24, "%Y%m%dT%H%M%SZ", &tm);
}

static int
ops_shift_parse(const char *id, int64_t *start)
{
	int y, mo, da, h, mi, s, n = 0;
	char canon[24];

	if (sscanf(id, "%4d%2d%2dT%2d%2d%2dZ%n", &y, &mo, &da, &h, &mi, &s,
	    &n) != 6 || id[n] != '\0')
		return -1;
	*start = tz_civil(y, mo, da, h, mi, s);
	/* Canonical only: one shift, one id. */
	ops_shift_id(*start, canon);
	return strcmp(canon, id) == 0 ? 0 : -1;
}

static void
ops_gp_or_null(cJSON *o, const char *key, const char *gp)
{
	if (gp[0] != '\0')
		cJSON_AddStringToObject(o, key, gp);
	else
		cJSON_AddNullToObject(o, key);
}

static cJSON *
ops_shift_json(const struct daemon *d, int64_t start, int64_t end,
    double weight, const char *primary, const char *backup, bool override)
{
	cJSON *o = cJSON_CreateObject();
	char id[24];

	ops_shift_id(start, id);
	cJSON_AddStringToObject(o, "shift", id);
	ops_add_time(d, o, "start", start);
	ops_add_time(d, o, "end", end);
	cJSON_AddNumberToObject(o, "weight", weight);
	ops_gp_or_null(o, "primary", primary);
	ops_gp_or_null(o, "backup", backup);
	cJSON_AddBoolToObject(o, "override", override);
	return o;
}

struct ops_rota_list {
	const struct daemon	*d;
	cJSON			*arr;
};

static int
ops_rota_row(void *arg, const struct store_rota_row *r)
{
	struct ops_rota_list *l = arg;

	cJSON_AddItemToArray(l->arr, ops_shift_json(l->d, r->start, r->end,
	    r->weight, r->primary, r->backup, r->override));
	return 0;
}

/* The shifts of [from, to) as published, from the store; or one. */
static void
ops_rota_reply(struct daemon *d, struct srv_req *r, int64_t from, int64_t to,
    bool one)
{
	struct ops_rota_list l = { d, cJSON_CreateArray() };
	cJSON *res = l.arr;
	int err;

	if ((err = store_rota_each(d->store, from, to, ops_rota_row, &l)) !=
	    STORE_OK) {
		cJSON_Delete(l.arr);
		srv_reply_err(r, PROTO_EUNAVAIL, "store: %s",
		    store_strerror(err));
		return;
	}
	if (one) {
		res = cJSON_DetachItemFromArray(l.arr, 0);
		cJSON_Delete(l.arr);
		if (res == NULL) {
			srv_reply_err(r, PROTO_EINTERNAL, "shift not read "
			    "back");
			return;
		}
	}
	srv_reply_ok(r, res);
}

/* Default period: today to the end of the horizon. */
static int
ops_rota_range(struct daemon *d, struct srv_req *r, int64_t *from,
    int64_t *to)
{
	const struct tz *z = d->cfg->territory.tz;
	struct tz_local l;

	*from = tz_day_start(z, clk_now_utc(&d->clk));
	tz_to_local(z, *from, &l);
	*to = tz_from_local(z, l.year, l.month, l.day +
	    d->cfg->oncall.horizon_days, 0, 0, 0);
	return ops_day_range(d, r, false, 62, from, to);
}

void
ops_rota_get(struct daemon *d, struct srv_req *r)
{
	int64_t from, to;

	if (ops_rota_range(d, r, &from, &to) == 0)
		ops_rota_reply(d, r, from, to, false);
}

struct ops_rota_wait {
	struct daemon	*d;
	struct srv_req	*r;
	int64_t		 from, to;
	bool		 one;		/* rota.assign: the shift alone */
};

static void
ops_rota_done(void *arg, const char *error)
{
	struct ops_rota_wait *w = arg;

	if (error != NULL)
		srv_reply_err(w->r, PROTO_EUNAVAIL, "%s", error);
	else
		ops_rota_reply(w->d, w->r, w->from, w->to, w->one);
	free(w);
}

void
ops_rota_rebuild(struct daemon *d, struct srv_req *r)
{
	struct ops_rota_wait *w = calloc(1, sizeof(*w));

	if (w == NULL) {
		srv_reply_err(r, PROTO_EINTERNAL, "out of memory");
		return;
	}
	w->d = d;
	w->r = r;
	if (ops_rota_range(d, r, &w->from, &w->to) != 0) {
		free(w);
		return;
	}
	if (roster_rebuild(d->roster, w->from, w->to, r->who, ops_rota_done,
	    w) != 0) {
		free(w);
		srv_reply_err(r, PROTO_EUNAVAIL, "rota not rebuilt");
	}
}

/* A GP argument: NULL when absent, "" to empty the role. */
static int
ops_rota_gp(struct daemon *d, struct srv_req *r, const char *key,
    const struct roster_shift *sh, bool force, const char **out)
{
	const cJSON *it = cJSON_GetObjectItemCaseSensitive(r->req.args, key);
	char why[PROTO_WHY_MAX];
	ssize_t g;

	*out = NULL;
	if (it == NULL)
		return 0;
	if (cJSON_IsNull(it)) {
		*out = "";
		return 0;
	}
	if (jarg_str(r->req.args, "args", key, CFG_ID_MAX, out, why,
	    sizeof(why)) != 0) {
		srv_reply_err(r, PROTO_EARGS, "%s", why);
		return -1;
	}
	if ((g = cfg_gp_find(d->cfg, *out)) < 0) {
		srv_reply_err(r, PROTO_ENOTFOUND, "no GP \"%s\"", *out);
		return -1;
	}
	if (!force && !roster_eligible(d->roster, (size_t)g, sh->start,
	    sh->end)) {
		srv_reply_err(r, PROTO_EARGS, "args.%s: %s is not eligible "
		    "(teleconsult, on call in the agenda, not absent)", key,
		    *out);
		return -1;
	}
	return 0;
}

void
ops_rota_assign(struct daemon *d, struct srv_req *r)
{
	struct ops_rota_wait *w;
	struct roster_shift sh;
	const char *id, *primary, *backup;
	char why[PROTO_WHY_MAX];
	bool force = false;
	int64_t start;

	if (jarg_str(r->req.args, "args", "shift", 32, &id, why,
	    sizeof(why)) != 0 || jarg_bool_opt(r->req.args, "args", "force",
	    &force, NULL, why, sizeof(why)) != 0) {
		srv_reply_err(r, PROTO_EARGS, "%s", why);
		return;
	}
	if (ops_shift_parse(id, &start) != 0) {
		srv_reply_err(r, PROTO_EARGS, "args.shift: not a shift id "
		    "(YYYYMMDDTHHMMSSZ, the UTC start)");
		return;
	}
	if (force && r->role != CFG_ROLE_ADMIN &&
	    r->role != CFG_ROLE_COORDINATOR) {
		srv_reply_err(r, PROTO_EFORBIDDEN, "args.force: admin or "
		    "coordinator only");
		return;
	}
	if (!roster_find(d->roster, start, &sh)) {
		srv_reply_err(r, PROTO_ENOTFOUND, "no shift %s", id);
		return;
	}
	if (sh.end <= clk_now_utc(&d->clk)) {
		srv_reply_err(r, PROTO_ECONFLICT, "shift %s is over", id);
		return;
	}
	if (ops_rota_gp(d, r, "primary", &sh, force, &primary) != 0 ||
	    ops_rota_gp(d, r, "backup", &sh, force, &backup) != 0)
		return;
	if (strcmp(primary != NULL ? primary : sh.primary,
	    backup != NULL ? backup : sh.backup) == 0 &&
	    (primary != NULL ? primary : sh.primary)[0] != '\0') {
		srv_reply_err(r, PROTO_EARGS, "args: primary and backup must "
		    "be two GPs");
		return;
	}
	if ((w = calloc(1, sizeof(*w))) == NULL) {
		srv_reply_err(r, PROTO_EINTERNAL, "out of memory");
		return;
	}
	*w = (struct ops_rota_wait){ d, r, sh.start, sh.start + 1, true };
	if (roster_assign(d->roster, start, primary, backup, r->who,
	    ops_rota_done, w) != 0) {
		free(w);
		srv_reply_err(r, PROTO_EUNAVAIL, "shift not stored");
	}
}

void
ops_oncall_now(struct daemon *d, struct srv_req *r)
{
	struct roster_shift sh;
	char why[PROTO_WHY_MAX], id[24];
	struct rfc3339 at;
	bool has_at = false;
	int64_t t = clk_now_utc(&d->clk);
	cJSON *o;

	if (jarg_time_opt(r->req.args, "args", "at", &at, &has_at, why,
	    sizeof(why)) != 0) {
		srv_reply_err(r, PROTO_EARGS, "%s", why);
		return;
	}
	if (has_at)
		t = ops_instant(d, &at);
	if (!roster_at(d->roster, t, &sh) || sh.primary[0] == '\0') {
		srv_reply_err(r, PROTO_ENOONCALL, "nobody on call at that "
		    "time");
		return;
	}
	o = cJSON_CreateObject();
	ops_shift_id(sh.start, id);
	cJSON_AddStringToObject(o, "shift", id);
	ops_add_time(d, o, "start", sh.start);
	ops_add_time(d, o, "end", sh.end);
	ops_gp_or_null(o, "primary", sh.primary);
	ops_gp_or_null(o, "backup", sh.backup);
	srv_reply_ok(r, o);
}
