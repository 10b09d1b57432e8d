/* The on-call rota in the daemon: publish, fill, re-assign, override. */
#include "daemon/roster.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <cjson/cJSON.h>
#include <uv.h>

#include "daemon/daemon.h"
#include "daemon/evt.h"
#include "daemon/export.h"
#include "daemon/feed.h"
#include "daemon/log.h"
#include "daemon/srv.h"
#include "daemon/store_rota.h"
#include "daemon/core/rota.h"

#define ROSTER_KICK_MS	500	/* gathers a burst of agenda changes */
#define ROSTER_WAIT_MS	200	/* while the agendas are being read */

struct roster_member {
	char	gp[65];
	int64_t	joined_at;
};

struct roster {
	struct daemon		*d;
	struct roster_shift	*v;		/* by start */
	size_t			 n, cap;
	struct roster_member	*members;	/* by gp */
	size_t			 n_members;
	uv_timer_t		 kick, midnight;
	int			 handles;
	unsigned		 saving;	/* commits in flight */
	bool			 is_ready;	/* a first refresh was made */
	bool			 is_closing;
	uint64_t		 first_by_ms;
};

/* A commit in flight: its rows, and what to say once it is durable. */
struct roster_commit {
	struct roster		*ro;
	struct store_rota_row	*rows;
	const char		**announce;	/* reason, or NULL */
	size_t			 n;
	char			**joins;
	size_t			 n_joins;
	char			 reason[80];
	roster_done_fn		 done;
	void			*arg;
};

static int64_t
roster_day_after(const struct roster *ro, int64_t day, int n)
{
	const struct tz *z = ro->d->cfg->territory.tz;
	struct tz_local l;

	tz_to_local(z, day, &l);
	return tz_from_local(z, l.year, l.month, l.day + n, 0, 0, 0);
}

static int64_t
roster_today(const struct roster *ro)
{
	return tz_day_start(ro->d->cfg->territory.tz,
	    clk_now_utc(&ro->d->clk));
}

static size_t
roster_lower(const struct roster *ro, int64_t start)
{
	size_t lo = 0, hi = ro->n;

	while (lo < hi) {
		size_t m = lo + (hi - lo) / 2;

		if (ro->v[m].start < start)
			lo = m + 1;
		else
			hi = m;
	}
	return lo;
}

bool
roster_find(const struct roster *ro, int64_t start, struct roster_shift *out)
{
	size_t k = roster_lower(ro, start);

	if (k == ro->n || ro->v[k].start != start)
		return false;
	if (out != NULL)
		*out = ro->v[k];
	return true;
}

bool
roster_at(const struct roster *ro, int64_t t, struct roster_shift *out)
{
	size_t k = roster_lower(ro, t + 1);

	/* The last shift starting at or before t, if it still runs. */
	if (k == 0 || ro->v[k - 1].end <= t)
		return false;
	*out = ro->v[k - 1];
	return true;
}

const struct roster_shift *
roster_shifts(const struct roster *ro, size_t *n)
{
	*n = ro->n;
	return ro->v;
}

static int
roster_put(struct roster *ro, const struct store_rota_row *r)
{
	size_t k = roster_lower(ro, r->start);
	struct roster_shift *s;

	if (k == ro->n || ro->v[k].start != r->start) {
		if (ro->n == ro->cap) {
			size_t cap = ro->cap > 0 ? 2 * ro->cap : 128;
			struct roster_shift *v = realloc(ro->v,
			    cap * sizeof(*v));

			if (v == NULL)
				return -1;
			ro->v = v;
			ro->cap = cap;
		}
		memmove(ro->v + k + 1, ro->v + k, (ro->n - k) * sizeof(*ro->v));
		ro->n++;
	}
	s = &ro->v[k];
	memset(s, 0, sizeof(*s));
	s->start = r->start;
	s->end = r->end;
	s->weight = r->weight;
	s->override = r->override;
	snprintf(s->primary, sizeof(s->primary), "%s", r->primary);
	snprintf(s->backup, sizeof(s->backup), "%s", r->backup);
	return 0;
}

static void
roster_del(struct roster *ro, int64_t start)
{
	size_t k = roster_lower(ro, start);

	if (k == ro->n || ro->v[k].start != start)
		return;
	memmove(ro->v + k, ro->v + k + 1, (ro->n - k - 1) * sizeof(*ro->v));
	ro->n--;
}

static int
roster_load_row(void *arg, const struct store_rota_row *r)
{
	return roster_put(arg, r);
}

static int
roster_load_member(void *arg, const char *gp, int64_t joined_at)
{
	struct roster *ro = arg;
	struct roster_member *v = realloc(ro->members,
	    (ro->n_members + 1) * sizeof(*v));

	if (v == NULL)
		return -1;
	ro->members = v;
	snprintf(v[ro->n_members].gp, sizeof(v->gp), "%s", gp);
	v[ro->n_members++].joined_at = joined_at;
	return 0;
}

static const struct roster_member *
roster_member(const struct roster *ro, const char *gp)
{
	for (size_t i = 0; i < ro->n_members; i++)
		if (strcmp(ro->members[i].gp, gp) == 0)
			return &ro->members[i];
	return NULL;
}

/* Drop the shifts older than the history window (a new day). */
static void
roster_prune(struct roster *ro)
{
	int64_t keep = roster_day_after(ro, roster_today(ro),
	    -ro->d->cfg->oncall.horizon_days);
	size_t k = roster_lower(ro, keep);

	memmove(ro->v, ro->v + k, (ro->n - k) * sizeof(*ro->v));
	ro->n -= k;
}

/* --- eligibility ------------------------------------------------------- */

static const struct ivs roster_none;

/* The GP's on-call time and absences, empty without an agenda. */
static void
roster_gp_avail(struct roster *ro, size_t gp, const struct ivs **oncall,
    const struct ivs **absent)
{
	struct feed_view v;

	*oncall = *absent = &roster_none;
	if (ro->d->feeds != NULL && feeds_view(ro->d->feeds,
	    ro->d->cfg->gps[gp].id, &v) && v.avail != NULL) {
		*oncall = &v.avail->offered_oncall;
		*absent = &v.avail->absent;
	}
}

bool
roster_eligible(struct roster *ro, size_t gp, int64_t start, int64_t end)
{
	struct rota_gp g = { .id = ro->d->cfg->gps[gp].id,
	    .teleconsult = ro->d->cfg->gps[gp].teleconsult };

	roster_gp_avail(ro, gp, &g.oncall, &g.absent);
	return rota_eligible(&g, start, end);
}

/* --- commits ----------------------------------------------------------- */

static void
roster_commit_free(struct roster_commit *c)
{
	for (size_t i = 0; i < c->n_joins; i++)
		free(c->joins[i]);
	free(c->joins);
	free(c->rows);
	free(c->announce);
	free(c);
}

static void	roster_schedule(struct roster *ro, uint64_t ms);

static void
roster_announce(struct roster *ro, const struct store_rota_row *r,
    const char *reason)
{
	char id[24], t[RFC3339_MAX];
	time_t s = (time_t)r->start;
	struct tm tm;
	cJSON *o = cJSON_CreateObject();

	gmtime_r(&s, &tm);
	strftime(id, sizeof(id), "%Y%m%dT%H%M%SZ", &tm);
	cJSON_AddStringToObject(o, "shift", id);
	cJSON_AddStringToObject(o, "start", daemon_time(ro->d, r->start, t));
	cJSON_AddStringToObject(o, "end", daemon_time(ro->d, r->end, t));
	if (r->primary[0] != '\0')
		cJSON_AddStringToObject(o, "primary", r->primary);
	else
		cJSON_AddNullToObject(o, "primary");
	if (r->backup[0] != '\0')
		cJSON_AddStringToObject(o, "backup", r->backup);
	else
		cJSON_AddNullToObject(o, "backup");
	cJSON_AddStringToObject(o, "reason", reason);
	evt_publish(ro->d->srv, "rota.changed", o);
}

static void	roster_maybe_free(struct roster *ro);

static void
roster_touch(struct roster *ro, const char *gp)
{
	if (gp[0] != '\0')
		export_touch(ro->d->exporter, gp);
}

static void
roster_committed(void *arg, int err)
{
	struct roster_commit *c = arg;
	struct roster *ro = c->ro;
	struct roster_shift old;
	char why[160];

	ro->saving--;
	if (ro->is_closing) {
		if (c->done != NULL)
			c->done(c->arg, err == STORE_OK ? NULL :
			    "shutting down");
		roster_commit_free(c);
		roster_maybe_free(ro);
		return;
	}
	if (err != STORE_OK) {
		snprintf(why, sizeof(why), "rota not stored: %s",
		    store_strerror(err));
		log_err("rota", "%s", why);
		if (c->done != NULL)
			c->done(c->arg, why);
		roster_commit_free(c);
		if (!ro->is_closing)
			roster_schedule(ro, 5000);
		return;
	}
	for (size_t i = 0; i < c->n_joins; i++)
		roster_load_member(ro, c->joins[i], clk_now_utc(&ro->d->clk));
	for (size_t i = 0; i < c->n; i++) {
		const struct store_rota_row *r = &c->rows[i];
		bool had = roster_find(ro, r->start, &old);

		if (r->removed)
			roster_del(ro, r->start);
		else if (roster_put(ro, r) != 0)
			log_err("rota", "out of memory: a shift not kept");
		if (c->announce[i] != NULL)
			roster_announce(ro, r, c->announce[i]);
		/* Both agendas show the change: the old holder's and the new. */
		if (had) {
			roster_touch(ro, old.primary);
			roster_touch(ro, old.backup);
		}
		roster_touch(ro, r->primary);
		roster_touch(ro, r->backup);
	}
	if (c->done != NULL)
		c->done(c->arg, NULL);
	roster_commit_free(c);
}

static int
roster_commit(struct roster *ro, struct roster_commit *c, const char *who,
    const char *what)
{
	int err;

	c->ro = ro;
	if (c->n == 0 && c->n_joins == 0) {
		if (c->done != NULL)
			c->done(c->arg, NULL);
		roster_commit_free(c);
		return 0;
	}
	err = store_rota_save(ro->d->store, c->rows, c->n,
	    (const char *const *)c->joins, c->n_joins,
	    clk_now_utc(&ro->d->clk), who, what, roster_committed, c);
	if (err != STORE_OK) {
		log_err("rota", "not stored: %s", store_strerror(err));
		roster_commit_free(c);
		return -1;
	}
	ro->saving++;
	return 0;
}

/* --- assignment -------------------------------------------------------- */

static int
roster_gp_index(const struct cfg *c, const char *id)
{
	ssize_t k = id[0] != '\0' ? cfg_gp_find(c, id) : -1;

	return k >= 0 ? (int)k : -1;
}

/*
 * Assign the shifts of the horizon not started yet: published ones kept
 * (unless rebuilt in [from, to) and not overridden) while their GPs stay
 * eligible, new days filled. The rows to store go into c.
 */
static int
roster_plan(struct roster *ro, int64_t from, int64_t to,
    struct roster_commit *c)
{
	const struct cfg *cf = ro->d->cfg;
	int64_t now = clk_now_utc(&ro->d->clk), today = roster_today(ro);
	int64_t win_from = roster_day_after(ro, today,
	    -cf->oncall.horizon_days);
	int64_t win_to = roster_day_after(ro, today, cf->oncall.horizon_days);
	struct rota_def *defs = NULL;
	struct rota_date *extra = NULL;
	struct rota_shift *sh = NULL;
	struct rota_gp *gps = NULL;
	size_t n = 0, first = 0;
	int rc = -1;

	if ((defs = calloc(cf->oncall.n_shifts, sizeof(*defs))) == NULL ||
	    (cf->territory.n_holidays > 0 && (extra = calloc(
	    cf->territory.n_holidays, sizeof(*extra))) == NULL) ||
	    (gps = calloc(cf->n_gps + 1, sizeof(*gps))) == NULL)
		goto out;
	for (size_t i = 0; i < cf->oncall.n_shifts; i++)
		defs[i] = (struct rota_def){ cf->oncall.shifts[i].start_min,
		    cf->oncall.shifts[i].end_min };
	for (size_t i = 0; i < cf->territory.n_holidays; i++)
		extra[i] = (struct rota_date){ cf->territory.holidays[i].year,
		    cf->territory.holidays[i].month,
		    cf->territory.holidays[i].day };
	if (rota_shifts(&(struct rota_shift_opts){ .tz = cf->territory.tz,
	    .defs = defs, .n_defs = cf->oncall.n_shifts,
	    .weekend_weight = cf->oncall.weekend_weight,
	    .extra_holidays = extra, .n_extra = cf->territory.n_holidays },
	    today, win_to, &sh, &n) != 0)
		goto out;

	/* Who, with what history, present since when. */
	for (size_t g = 0; g < cf->n_gps; g++) {
		const struct roster_member *m = roster_member(ro,
		    cf->gps[g].id);
		int64_t since = m != NULL ? m->joined_at : now;

		gps[g].id = cf->gps[g].id;
		gps[g].teleconsult = cf->gps[g].teleconsult;
		roster_gp_avail(ro, g, &gps[g].oncall, &gps[g].absent);
		gps[g].present_s = win_to - (since > win_from ? since :
		    win_from);
		if (gps[g].present_s <= 0)
			gps[g].present_s = 1;
	}
	for (size_t i = roster_lower(ro, win_from); i < ro->n &&
	    ro->v[i].start < now; i++) {
		int p = roster_gp_index(cf, ro->v[i].primary);
		int b = roster_gp_index(cf, ro->v[i].backup);

		if (p >= 0)
			gps[p].history_primary += ro->v[i].weight;
		if (b >= 0)
			gps[b].history_backup += ro->v[i].weight;
	}

	/*
	 * Started shifts stay as they are, but the one running is filled
	 * if it was never published (a first start in the middle of it).
	 */
	while (first < n && (sh[first].end <= now || (sh[first].start <= now
	    && roster_find(ro, sh[first].start, NULL))))
		first++;
	for (size_t i = first; i < n; i++) {
		struct roster_shift p;

		if (!roster_find(ro, sh[i].start, &p))
			continue;
		sh[i].primary = roster_gp_index(cf, p.primary);
		sh[i].backup = roster_gp_index(cf, p.backup);
		sh[i].keep = p.override || sh[i].start < from ||
		    sh[i].start >= to;
		/*
		 * A kept primary who can no longer hold it: the backup, who
		 * already expects the shift, moves up; a new backup is found.
		 */
		if (sh[i].keep && sh[i].primary >= 0 && sh[i].backup >= 0 &&
		    !rota_eligible(&gps[sh[i].primary], sh[i].start,
		    sh[i].end) && rota_eligible(&gps[sh[i].backup],
		    sh[i].start, sh[i].end)) {
			sh[i].primary = sh[i].backup;
			sh[i].backup = -1;
		}
	}
	if (first < n && rota_assign(gps, cf->n_gps, sh + first, n - first,
	    win_to - win_from) != 0)
		goto out;

	/* Room for the new shifts and for the published ones to drop. */
	if ((c->rows = calloc(n + ro->n + 1, sizeof(*c->rows))) == NULL ||
	    (c->announce = calloc(n + ro->n + 1, sizeof(*c->announce))) ==
	    NULL)
		goto out;
	for (size_t i = first; i < n; i++) {
		struct store_rota_row *r = &c->rows[c->n];
		struct roster_shift p;
		bool had = roster_find(ro, sh[i].start, &p);

		memset(r, 0, sizeof(*r));
		r->start = sh[i].start;
		r->end = sh[i].end;
		r->weight = sh[i].weight;
		if (sh[i].primary >= 0)
			snprintf(r->primary, sizeof(r->primary), "%s",
			    cf->gps[sh[i].primary].id);
		if (sh[i].backup >= 0)
			snprintf(r->backup, sizeof(r->backup), "%s",
			    cf->gps[sh[i].backup].id);
		r->override = had && p.override;
		if (had && p.end == r->end && p.weight == r->weight &&
		    strcmp(p.primary, r->primary) == 0 &&
		    strcmp(p.backup, r->backup) == 0)
			continue;
		r->changed_at = now;
		c->announce[c->n] = !had ? NULL : p.primary[0] == '\0' ||
		    p.backup[0] == '\0' ? "gap filled" : c->reason;
		c->n++;
	}
	/*
	 * A published shift to come that the config no longer makes (its
	 * shifts were redefined): dropped, and its holders told.
	 */
	for (size_t i = roster_lower(ro, now + 1); i < ro->n &&
	    ro->v[i].start < win_to; i++) {
		size_t lo = 0, hi = n;

		while (lo < hi) {
			size_t m = lo + (hi - lo) / 2;

			if (sh[m].start < ro->v[i].start)
				lo = m + 1;
			else
				hi = m;
		}
		if (lo < n && sh[lo].start == ro->v[i].start)
			continue;
		c->rows[c->n] = (struct store_rota_row){
		    .start = ro->v[i].start, .end = ro->v[i].end,
		    .weight = ro->v[i].weight, .removed = true,
		    .changed_at = now };
		c->announce[c->n++] = "shift removed";
	}
	/* Teleconsulting GPs are in the roster from their first rota. */
	for (size_t g = 0; g < cf->n_gps; g++) {
		char **v;

		if (!cf->gps[g].teleconsult || roster_member(ro,
		    cf->gps[g].id) != NULL)
			continue;
		if ((v = realloc(c->joins, (c->n_joins + 1) *
		    sizeof(*v))) == NULL)
			goto out;
		c->joins = v;
		if ((v[c->n_joins] = strdup(cf->gps[g].id)) == NULL)
			goto out;
		c->n_joins++;
	}
	rc = 0;
out:
	free(defs);
	free(extra);
	free(sh);
	free(gps);
	return rc;
}

static void
roster_refresh(struct roster *ro)
{
	struct roster_commit *c = calloc(1, sizeof(*c));

	if (c == NULL || roster_plan(ro, INT64_MIN, INT64_MIN, c) != 0) {
		if (c != NULL)
			roster_commit_free(c);
		log_err("rota", "out of memory: rota postponed");
		roster_schedule(ro, 1000);
		return;
	}
	snprintf(c->reason, sizeof(c->reason), "ineligible");
	for (size_t i = 0; i < c->n; i++)
		snprintf(c->rows[i].changed_by, sizeof(c->rows[i].changed_by),
		    "snpd");
	if (c->n > 0)
		log_info("rota", "%zu shifts published or re-assigned", c->n);
	roster_commit(ro, c, "snpd", "rota.publish");
	ro->is_ready = true;
}

static void
roster_on_kick(uv_timer_t *t)
{
	struct roster *ro = t->data;
	struct feeds *fs = ro->d->feeds;

	if (ro->is_closing)
		return;
	/* As the planner does: with every agenda read, or tried. */
	if (ro->saving > 0 || fs == NULL || feeds_restoring(fs) ||
	    (!ro->is_ready && !feeds_all_tried(fs) &&
	    clk_mono_ms() < ro->first_by_ms)) {
		uv_timer_start(&ro->kick, roster_on_kick, ROSTER_WAIT_MS, 0);
		return;
	}
	roster_refresh(ro);
}

static void
roster_schedule(struct roster *ro, uint64_t ms)
{
	if (!ro->is_closing && !uv_is_active((uv_handle_t *)&ro->kick))
		uv_timer_start(&ro->kick, roster_on_kick, ms, 0);
}

void
roster_reload(struct roster *ro)
{
	if (ro != NULL)
		roster_schedule(ro, ROSTER_KICK_MS);
}

void
roster_feed_changed(struct roster *ro, const char *gp)
{
	(void)gp;
	if (ro != NULL)
		roster_schedule(ro, ROSTER_KICK_MS);
}

int
roster_rebuild(struct roster *ro, int64_t from, int64_t to, const char *who,
    roster_done_fn done, void *arg)
{
	struct roster_commit *c = calloc(1, sizeof(*c));

	if (c == NULL || roster_plan(ro, from, to, c) != 0) {
		if (c != NULL)
			roster_commit_free(c);
		return -1;
	}
	snprintf(c->reason, sizeof(c->reason), "rebuilt by %s", who);
	for (size_t i = 0; i < c->n; i++)
		snprintf(c->rows[i].changed_by, sizeof(c->rows[i].changed_by),
		    "%s", who);
	c->done = done;
	c->arg = arg;
	ro->is_ready = true;
	return roster_commit(ro, c, who, "rota.rebuild");
}

int
roster_assign(struct roster *ro, int64_t start, const char *primary,
    const char *backup, const char *who, roster_done_fn done, void *arg)
{
	struct roster_commit *c = calloc(1, sizeof(*c));
	struct roster_shift p;
	struct store_rota_row *r;

	if (c == NULL || !roster_find(ro, start, &p) ||
	    (c->rows = calloc(1, sizeof(*c->rows))) == NULL ||
	    (c->announce = calloc(1, sizeof(*c->announce))) == NULL) {
		if (c != NULL)
			roster_commit_free(c);
		return -1;
	}
	r = &c->rows[0];
	r->start = p.start;
	r->end = p.end;
	r->weight = p.weight;
	snprintf(r->primary, sizeof(r->primary), "%s",
	    primary != NULL ? primary : p.primary);
	snprintf(r->backup, sizeof(r->backup), "%s",
	    backup != NULL ? backup : p.backup);
	r->override = true;
	r->changed_at = clk_now_utc(&ro->d->clk);
	snprintf(r->changed_by, sizeof(r->changed_by), "%s", who);
	c->announce[0] = c->reason;
	c->n = 1;
	snprintf(c->reason, sizeof(c->reason), "assigned by %s", who);
	c->done = done;
	c->arg = arg;
	return roster_commit(ro, c, who, "rota.assign");
}

/* --- life -------------------------------------------------------------- */

static void	roster_on_midnight(uv_timer_t *t);

static void
roster_arm_midnight(struct roster *ro)
{
	int64_t now = clk_now_utc(&ro->d->clk);
	int64_t next = roster_day_after(ro, roster_today(ro), 1);

	uv_timer_start(&ro->midnight, roster_on_midnight,
	    (uint64_t)(next - now) * 1000 + 1000, 0);
}

/* A new day enters the horizon: publish it. */
static void
roster_on_midnight(uv_timer_t *t)
{
	struct roster *ro = t->data;

	roster_prune(ro);
	roster_schedule(ro, 0);
	roster_arm_midnight(ro);
}

int
roster_open(struct daemon *d, struct roster **out, char *why,
    size_t whylen)
{
	struct roster *ro = calloc(1, sizeof(*ro));
	int err;

	*out = NULL;
	if (ro == NULL) {
		snprintf(why, whylen, "out of memory");
		return -1;
	}
	ro->d = d;
	if ((err = store_rota_each(d->store, roster_day_after(ro,
	    roster_today(ro), -d->cfg->oncall.horizon_days), INT64_MAX,
	    roster_load_row, ro)) != STORE_OK ||
	    (err = store_rota_members(d->store, roster_load_member, ro)) !=
	    STORE_OK) {
		snprintf(why, whylen, "rota not read: %s", store_strerror(err));
		free(ro->v);
		free(ro->members);
		free(ro);
		return -1;
	}
	uv_timer_init(&d->loop, &ro->kick);
	uv_timer_init(&d->loop, &ro->midnight);
	ro->kick.data = ro->midnight.data = ro;
	ro->handles = 2;
	ro->first_by_ms = clk_mono_ms() + 30000 +
	    (uint64_t)d->cfg->feeds.timeout_s * 1000 + 5000;
	roster_schedule(ro, 0);
	roster_arm_midnight(ro);
	*out = ro;
	return 0;
}

static void
roster_maybe_free(struct roster *ro)
{
	if (ro->handles > 0 || ro->saving > 0)
		return;
	free(ro->v);
	free(ro->members);
	free(ro);
}

static void
roster_closed(uv_handle_t *h)
{
	struct roster *ro = h->data;

	ro->handles--;
	roster_maybe_free(ro);
}

void
roster_close(struct roster *ro)
{
	if (ro == NULL || ro->is_closing)
		return;
	ro->is_closing = true;
	uv_close((uv_handle_t *)&ro->kick, roster_closed);
	uv_close((uv_handle_t *)&ro->midnight, roster_closed);
}
