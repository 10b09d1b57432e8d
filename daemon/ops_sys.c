/* sys.* handlers: liveness, status counts, config reload. */
#include "daemon/ops.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "daemon/feed.h"
#include "daemon/booking.h"
#include "daemon/planner.h"
#include "daemon/store.h"
#include "daemon/tc.h"

void
ops_sys_ping(struct daemon *d, struct srv_req *r)
{
	cJSON *res = cJSON_CreateObject();
	int64_t now = clk_now_utc(&d->clk);

	if (res == NULL) {
		srv_reply_err(r, PROTO_EINTERNAL, "out of memory");
		return;
	}
	cJSON_AddStringToObject(res, "version", SNP_VERSION);
	ops_add_time(d, res, "now", now);
	cJSON_AddNumberToObject(res, "uptime_s", (double)(now - d->started_utc));
	srv_reply_ok(r, res);
}

/* Feeds by state: ok, failing (last good kept), never read, push only. */
static void
ops_sys_feed_counts(struct feeds *fs, cJSON *res)
{
	cJSON *f = cJSON_AddObjectToObject(res, "feeds");
	struct feeds_counts n;

	feeds_count(fs, &n);
	cJSON_AddNumberToObject(f, "ok", n.ok);
	cJSON_AddNumberToObject(f, "failing", n.failing);
	cJSON_AddNumberToObject(f, "never", n.never);
	cJSON_AddNumberToObject(f, "push_only", n.push_only);
}

void
ops_sys_status(struct daemon *d, struct srv_req *r)
{
	const struct cfg *c = d->cfg;
	const struct planner_day *today;
	cJSON *res = cJSON_CreateObject(), *o;
	int64_t now = clk_now_utc(&d->clk);
	struct store_stats ss;
	struct srv_stats st;

	if (res == NULL) {
		srv_reply_err(r, PROTO_EINTERNAL, "out of memory");
		return;
	}

	cJSON_AddStringToObject(res, "version", SNP_VERSION);
	cJSON_AddStringToObject(res, "territory", c->territory.name);
	cJSON_AddStringToObject(res, "timezone", c->territory.timezone);
	ops_add_time(d, res, "now", now);
	ops_add_time(d, res, "started_at", d->started_utc);
	cJSON_AddNumberToObject(res, "uptime_s", (double)(now - d->started_utc));
	cJSON_AddBoolToObject(res, "clock_fixed", d->clk.is_fixed);
	o = cJSON_AddObjectToObject(res, "config");
	ops_add_time(d, o, "loaded_at", d->cfg_loaded_utc);
	cJSON_AddNumberToObject(o, "reloads", d->reloads);
	cJSON_AddNumberToObject(res, "gps", (double)c->n_gps);
	cJSON_AddNumberToObject(res, "sectors", (double)c->n_sectors);
	ops_sys_feed_counts(d->feeds, res);
	o = cJSON_AddObjectToObject(res, "slots_today");
	today = d->planner != NULL ? planner_day(d->planner,
	    tz_day_start(c->territory.tz, now)) : NULL;
	cJSON_AddNumberToObject(o, "reserved",
	    today != NULL ? (double)today->n_slots : 0);
	cJSON_AddNumberToObject(o, "gaps", today != NULL ? today->n_gap : 0);
	cJSON_AddNumberToObject(o, "booked", booking_count_live(d->booking,
	    tz_day_start(c->territory.tz, now), tz_day_start(c->territory.tz,
	    tz_day_start(c->territory.tz, now) + 90000)));
	/* Offered or accepted, not closed yet. */
	cJSON_AddNumberToObject(res, "tc_pending",
	    (double)tc_count_live(d->tc));
	o = cJSON_AddObjectToObject(res, "store");
	cJSON_AddNumberToObject(o, "schema", store_schema_version(d->store));
	cJSON_AddNumberToObject(o, "bytes",
	    (double)store_size_bytes(d->store));
	store_stats(d->store, &ss);
	cJSON_AddNumberToObject(o, "writes_pending", ss.pending);
	cJSON_AddNumberToObject(o, "writes", (double)ss.writes);
	cJSON_AddNumberToObject(o, "commits", (double)ss.commits);
	srv_stats(d->srv, &st);
	o = cJSON_AddObjectToObject(res, "requests");
	cJSON_AddNumberToObject(o, "in_flight", st.in_flight);
	cJSON_AddNumberToObject(o, "served", (double)st.served);
	srv_reply_ok(r, res);
}

/* A reload waits for its audit row: the reply says it is on record. */
struct ops_reload {
	struct srv_req	*r;
	size_t		 n_gps, n_sectors;
};

static void
ops_sys_reload_done(void *arg, int err)
{
	struct ops_reload *x = arg;
	cJSON *res;

	if (err != STORE_OK) {
		/* The new config is live; only its audit row is missing. */
		srv_reply_err(x->r, PROTO_EUNAVAIL, "config reloaded, but the "
		    "audit row was not stored: %s", store_strerror(err));
	} else {
		res = cJSON_CreateObject();
		cJSON_AddTrueToObject(res, "reloaded");
		cJSON_AddNumberToObject(res, "gps", (double)x->n_gps);
		cJSON_AddNumberToObject(res, "sectors", (double)x->n_sectors);
		srv_reply_ok(x->r, res);
	}
	free(x);
}

void
ops_sys_reload(struct daemon *d, struct srv_req *r)
{
	struct store_audit a;
	struct ops_reload *x;
	char *errors = NULL, *nl;
	int n = 0, err;

	if (daemon_reload(d, &errors) != 0) {
		/* First problem in the message, the count of the others. */
		for (char *p = errors; p != NULL && *p != '\0';
		    p = strchr(p, '\n') ? strchr(p, '\n') + 1 : NULL)
			n++;
		nl = errors != NULL ? strchr(errors, '\n') : NULL;
		if (nl != NULL)
			*nl = '\0';
		srv_reply_err(r, PROTO_ECONFLICT, "config refused, the old one "
		    "stays: %s%s", errors != NULL ? errors : "?",
		    n > 1 ? " (and more: see the log)" : "");
		free(errors);
		return;
	}
	x = malloc(sizeof(*x));
	if (x == NULL) {
		srv_reply_err(r, PROTO_EINTERNAL, "out of memory");
		return;
	}
	x->r = r;
	x->n_gps = d->cfg->n_gps;
	x->n_sectors = d->cfg->n_sectors;
	memset(&a, 0, sizeof(a));
	a.at_utc = clk_now_utc(&d->clk);
	snprintf(a.who, sizeof(a.who), "%s", r->who);
	snprintf(a.what, sizeof(a.what), "config.reload");
	err = store_audit(d->store, &a, ops_sys_reload_done, x);
	if (err != STORE_OK)
		ops_sys_reload_done(x, err);
}
