/* feed.* and avail.get: GPs' calendars and the availability they give. */
#include "daemon/ops.h"

#include <stdlib.h>
#include <string.h>

#include "daemon/core/win.h"
#include "daemon/feed.h"

#define OPS_AVAIL_MAX_DAYS	366

/*
 * The GP an op is about. A GP principal may name only itself (and is
 * itself when it names nobody); others must name an existing GP unless
 * the op allows none (*gp is then NULL: every GP). Answers and returns
 * -1 on refusal.
 */
static int
ops_feed_gp(struct daemon *d, struct srv_req *r, bool is_required,
    const char **gp)
{
	char why[PROTO_WHY_MAX];

	*gp = NULL;
	if (jarg_str_opt(r->req.args, "args", "gp", CFG_ID_MAX, gp, NULL, why,
	    sizeof(why)) != 0) {
		srv_reply_err(r, PROTO_EARGS, "%s", why);
		return -1;
	}
	if (r->role == CFG_ROLE_GP) {
		if (*gp != NULL && strcmp(*gp, r->gp) != 0) {
			srv_reply_err(r, PROTO_EFORBIDDEN, "a GP sees only its "
			    "own calendar");
			return -1;
		}
		*gp = r->gp;
	}
	if (*gp == NULL && is_required) {
		srv_reply_err(r, PROTO_EARGS, "args.gp: required string");
		return -1;
	}
	if (*gp != NULL && cfg_gp_find(d->cfg, *gp) < 0) {
		srv_reply_err(r, PROTO_ENOTFOUND, "no GP \"%s\"", *gp);
		return -1;
	}
	return 0;
}

static const char *
ops_feed_state(const struct feed_view *v)
{
	if (v->is_push_only && v->avail == NULL)
		return "push-only";
	switch (v->state) {
	case FEED_OK:
		return "ok";
	case FEED_FAILING:
		return "failing";
	default:
		return "never";
	}
}

static void
ops_add_time_opt(const struct daemon *d, cJSON *o, const char *key,
    int64_t utc)
{
	if (utc != 0)
		ops_add_time(d, o, key, utc);
	else
		cJSON_AddNullToObject(o, key);
}

static cJSON *
ops_feed_status_one(struct daemon *d, const struct feed_view *v)
{
	cJSON *o = cJSON_CreateObject();

	cJSON_AddStringToObject(o, "gp", v->gp);
	cJSON_AddStringToObject(o, "source", v->source);
	cJSON_AddStringToObject(o, "state", ops_feed_state(v));
	ops_add_time_opt(d, o, "last_fetch", v->fetch_utc);
	ops_add_time_opt(d, o, "last_ok", v->ok_utc);
	ops_add_time_opt(d, o, "content_since", v->good_utc);
	if (v->error != NULL)
		cJSON_AddStringToObject(o, "error", v->error);
	if (v->failing_since_utc != 0)
		ops_add_time(d, o, "failing_since", v->failing_since_utc);
	cJSON_AddNumberToObject(o, "events",
	    v->avail != NULL ? (double)v->avail->events : 0);
	cJSON_AddNumberToObject(o, "warnings",
	    v->avail != NULL ? (double)v->avail->warnings : 0);
	if (v->etag != NULL)
		cJSON_AddStringToObject(o, "etag", v->etag);
	return o;
}

static int
ops_feed_id_cmp(const void *a, const void *b)
{
	return strcmp(*(const char *const *)a, *(const char *const *)b);
}

void
ops_feed_status(struct daemon *d, struct srv_req *r)
{
	const struct cfg *c = d->cfg;
	struct feed_view v;
	const char *gp, **ids;
	cJSON *res;

	if (ops_feed_gp(d, r, false, &gp) != 0)
		return;
	res = cJSON_CreateArray();
	ids = calloc(c->n_gps + 1, sizeof(*ids));
	if (res == NULL || ids == NULL) {
		cJSON_Delete(res);
		free(ids);
		srv_reply_err(r, PROTO_EINTERNAL, "out of memory");
		return;
	}
	for (size_t i = 0; i < c->n_gps; i++)
		ids[i] = c->gps[i].id;
	qsort(ids, c->n_gps, sizeof(*ids), ops_feed_id_cmp);
	for (size_t i = 0; i < c->n_gps; i++)
		if ((gp == NULL || strcmp(gp, ids[i]) == 0) &&
		    feeds_view(d->feeds, ids[i], &v))
			cJSON_AddItemToArray(res, ops_feed_status_one(d, &v));
	free(ids);
	srv_reply_ok(r, res);
}

void
ops_feed_refresh(struct daemon *d, struct srv_req *r)
{
	const char *gp;
	cJSON *res;

	if (ops_feed_gp(d, r, false, &gp) != 0)
		return;
	res = cJSON_CreateObject();
	cJSON_AddNumberToObject(res, "queued", feeds_refresh(d->feeds, gp));
	srv_reply_ok(r, res);
}

/* A push waits for its parse and its commit; then the reply. */
static void
ops_feed_push_done(void *arg, int err, const char *why,
    const struct cal_avail *a)
{
	struct srv_req *r = arg;
	cJSON *res;

	if (err > 0) {
		srv_reply_err(r, PROTO_EFEED, "%s", why);
		return;
	}
	if (err < 0 || a == NULL) {
		srv_reply_err(r, PROTO_EUNAVAIL, "calendar not stored: %s",
		    why);
		return;
	}
	res = cJSON_CreateObject();
	cJSON_AddNumberToObject(res, "events", (double)a->events);
	cJSON_AddNumberToObject(res, "warnings", (double)a->warnings);
	cJSON_AddNumberToObject(res, "offered_s",
	    (double)ivs_total(&a->offered_snp));
	cJSON_AddNumberToObject(res, "offered_oncall_s",
	    (double)ivs_total(&a->offered_oncall));
	cJSON_AddNumberToObject(res, "busy_s", (double)ivs_total(&a->busy));
	cJSON_AddNumberToObject(res, "absent_s",
	    (double)ivs_total(&a->absent));
	srv_reply_ok(r, res);
}

void
ops_feed_push(struct daemon *d, struct srv_req *r)
{
	const cJSON *ics = jarg_get(r->req.args, "ics");
	const char *gp;
	int rc;

	if (ops_feed_gp(d, r, true, &gp) != 0)
		return;
	if (!cJSON_IsString(ics)) {
		srv_reply_err(r, PROTO_EARGS, "args.ics: required string (the "
		    "iCalendar text)");
		return;
	}
	rc = feeds_push(d->feeds, gp, ics->valuestring,
	    strlen(ics->valuestring), ops_feed_push_done, r);
	if (rc == -2)
		srv_reply_err(r, PROTO_EUNAVAIL, "a calendar of %s is already "
		    "being read: try again", gp);
	else if (rc != 0)
		srv_reply_err(r, PROTO_EUNAVAIL, "cannot take the calendar now");
}

static void
ops_add_set(const struct daemon *d, cJSON *res, const char *key,
    const struct ivs *s, int64_t from, int64_t to)
{
	cJSON *a = cJSON_AddArrayToObject(res, key);

	for (size_t i = 0; i < s->n; i++) {
		int64_t b = s->v[i].start > from ? s->v[i].start : from;
		int64_t e = s->v[i].end < to ? s->v[i].end : to;
		cJSON *o;

		if (b >= e)
			continue;
		o = cJSON_CreateObject();
		ops_add_time(d, o, "start", b);
		ops_add_time(d, o, "end", e);
		cJSON_AddItemToArray(a, o);
	}
}

/* The SNP windows of the config over [from, to). */
static int
ops_feed_windows(const struct cfg *c, int64_t from, int64_t to,
    struct ivs *out)
{
	struct win_opts w;

	cfg_win_opts(c, &w);
	return win_build(&w, from, to, out);
}

void
ops_avail_get(struct daemon *d, struct srv_req *r)
{
	struct ivs win = { 0 }, snp_win = { 0 }, free_snp = { 0 };
	char why[PROTO_WHY_MAX];
	struct rfc3339 tf, tt;
	struct feed_view v;
	int64_t from, to;
	const char *gp;
	cJSON *res;

	if (ops_feed_gp(d, r, true, &gp) != 0)
		return;
	if (jarg_time(r->req.args, "args", "from", &tf, why, sizeof(why)) ||
	    jarg_time(r->req.args, "args", "to", &tt, why, sizeof(why))) {
		srv_reply_err(r, PROTO_EARGS, "%s", why);
		return;
	}
	from = ops_instant(d, &tf);
	to = ops_instant(d, &tt);
	if (to <= from || to - from > OPS_AVAIL_MAX_DAYS * 86400) {
		srv_reply_err(r, PROTO_EARGS, "args.to: must be after "
		    "args.from, at most %d days later", OPS_AVAIL_MAX_DAYS);
		return;
	}
	if (!feeds_view(d->feeds, gp, &v)) {
		srv_reply_err(r, PROTO_ENOTFOUND, "no GP \"%s\"", gp);
		return;
	}
	res = cJSON_CreateObject();
	cJSON_AddStringToObject(res, "gp", gp);
	cJSON_AddStringToObject(res, "state", ops_feed_state(&v));
	/* Beyond the horizon nothing is known: say which part is. */
	ops_add_time(d, res, "horizon_from", v.from_utc);
	ops_add_time(d, res, "horizon_to", v.to_utc);
	if (v.avail == NULL) {
		static const struct ivs none;

		cJSON_AddBoolToObject(res, "content", false);
		ops_add_set(d, res, "offered_snp", &none, from, to);
		ops_add_set(d, res, "offered_oncall", &none, from, to);
		ops_add_set(d, res, "busy", &none, from, to);
		ops_add_set(d, res, "absent", &none, from, to);
		ops_add_set(d, res, "free_snp", &none, from, to);
		srv_reply_ok(r, res);
		return;
	}
	/* Free SNP time: (offered ∩ window) − busy (DESIGN.md). */
	if (ops_feed_windows(d->cfg, from, to, &win) != 0 ||
	    ivs_intersect(&v.avail->offered_snp, &win, &snp_win) != 0 ||
	    ivs_subtract(&snp_win, &v.avail->busy, &free_snp) != 0) {
		ivs_fini(&win);
		ivs_fini(&snp_win);
		ivs_fini(&free_snp);
		cJSON_Delete(res);
		srv_reply_err(r, PROTO_EINTERNAL, "out of memory");
		return;
	}
	cJSON_AddBoolToObject(res, "content", true);
	ops_add_set(d, res, "offered_snp", &v.avail->offered_snp, from, to);
	ops_add_set(d, res, "offered_oncall", &v.avail->offered_oncall, from,
	    to);
	ops_add_set(d, res, "busy", &v.avail->busy, from, to);
	ops_add_set(d, res, "absent", &v.avail->absent, from, to);
	ops_add_set(d, res, "free_snp", &free_snp, from, to);
	ivs_fini(&win);
	ivs_fini(&snp_win);
	ivs_fini(&free_snp);
	srv_reply_ok(r, res);
}
