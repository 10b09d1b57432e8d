/* report.indicators: the CPTS's figures for a period, from the store. */
#include "daemon/ops.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "daemon/store.h"
#include "daemon/core/ind.h"
#include "daemon/core/tz.h"

#define OPS_REPORT_MAX_DAYS	366
#define OPS_REPORT_MAX_GAPS	500	/* listed; the count is whole */

/* The rows of a period, read from the store into the core's structs. */
struct ops_rows {
	const struct cfg	*c;
	struct ind_hour		*hours;
	int64_t			*hour_day;	/* per hour row */
	int			*hour_h;
	size_t			 n_hours, cap_hours;
	struct ind_slot		*slots;
	size_t			 n_slots, cap_slots;
	struct ind_booking	*bookings;
	size_t			 n_bookings, cap_bookings;
	struct ind_offer	*offers;
	size_t			 n_offers, cap_offers;
	struct ind_tc		*tcs;
	size_t			 n_tcs, cap_tcs;
};

static void
ops_rows_fini(struct ops_rows *w)
{
	free(w->hours);
	free(w->hour_day);
	free(w->hour_h);
	free(w->slots);
	free(w->bookings);
	free(w->offers);
	free(w->tcs);
}

/* Room for one more element in *v (n, cap in elements of size). */
static int
ops_grow(void **v, size_t *cap, size_t n, size_t size)
{
	void *nv;

	if (n < *cap)
		return 0;
	if ((nv = realloc(*v, (*cap > 0 ? 2 * *cap : 256) * size)) == NULL)
		return -1;
	*v = nv;
	*cap = *cap > 0 ? 2 * *cap : 256;
	return 0;
}

static int
ops_gp_of(const struct cfg *c, const unsigned char *id)
{
	ssize_t g = id != NULL ? cfg_gp_find(c, (const char *)id) : -1;

	return g >= 0 ? (int)g : -1;
}

static int
ops_sector_of(const struct cfg *c, const unsigned char *id)
{
	ssize_t s = id != NULL ? cfg_sector_find(c, (const char *)id) : -1;

	return s >= 0 ? (int)s : -1;
}

/* One row of each query into w; non-zero when out of memory. */
static int
ops_row(struct ops_rows *w, int q, sqlite3_stmt *st)
{
	switch (q) {
	case 0:
		/* Three arrays of one length: grown together. */
		if (w->n_hours == w->cap_hours) {
			size_t cap = w->cap_hours > 0 ? 2 * w->cap_hours : 256;
			void *a = realloc(w->hours, cap * sizeof(*w->hours));

			if (a != NULL)
				w->hours = a;
			if (a == NULL || (a = realloc(w->hour_day,
			    cap * sizeof(*w->hour_day))) == NULL)
				return -1;
			w->hour_day = a;
			if ((a = realloc(w->hour_h, cap * sizeof(*w->hour_h))) ==
			    NULL)
				return -1;
			w->hour_h = a;
			w->cap_hours = cap;
		}
		w->hour_day[w->n_hours] = sqlite3_column_int64(st, 0);
		w->hour_h[w->n_hours] = sqlite3_column_int(st, 2);
		w->hours[w->n_hours++] = (struct ind_hour){
		    .sector = ops_sector_of(w->c, sqlite3_column_text(st, 1)),
		    .target = sqlite3_column_type(st, 3) == SQLITE_NULL ? -1 :
		    sqlite3_column_int(st, 3),
		    .covered = sqlite3_column_int(st, 4) };
		return 0;
	case 1:
		if (ops_grow((void **)&w->slots, &w->cap_slots, w->n_slots,
		    sizeof(*w->slots)) != 0)
			return -1;
		w->slots[w->n_slots++] = (struct ind_slot){
		    ops_gp_of(w->c, sqlite3_column_text(st, 0)),
		    sqlite3_column_int64(st, 1), sqlite3_column_int64(st, 2) };
		return 0;
	case 2: {
		const char *s = (const char *)sqlite3_column_text(st, 3);

		if (ops_grow((void **)&w->bookings, &w->cap_bookings,
		    w->n_bookings, sizeof(*w->bookings)) != 0)
			return -1;
		w->bookings[w->n_bookings++] = (struct ind_booking){
		    ops_gp_of(w->c, sqlite3_column_text(st, 0)),
		    sqlite3_column_int64(st, 1), sqlite3_column_int64(st, 2),
		    s != NULL && strcmp(s, "cancelled") == 0 ?
		    IND_BK_CANCELLED : s != NULL && strcmp(s, "conflict") ==
		    0 ? IND_BK_CONFLICT : IND_BK_BOOKED,
		    sqlite3_column_int64(st, 4) };
		return 0;
	}
	case 3:
		if (ops_grow((void **)&w->offers, &w->cap_offers, w->n_offers,
		    sizeof(*w->offers)) != 0)
			return -1;
		w->offers[w->n_offers++] = (struct ind_offer){
		    ops_gp_of(w->c, sqlite3_column_text(st, 0)),
		    sqlite3_column_int64(st, 1), sqlite3_column_int64(st, 2) };
		return 0;
	default: {
		const char *s = (const char *)sqlite3_column_text(st, 1);

		if (ops_grow((void **)&w->tcs, &w->cap_tcs, w->n_tcs,
		    sizeof(*w->tcs)) != 0)
			return -1;
		w->tcs[w->n_tcs++] = (struct ind_tc){
		    .sector = ops_sector_of(w->c, sqlite3_column_text(st, 0)),
		    .state = s == NULL ? IND_TC_OPEN :
		    strcmp(s, "done") == 0 ? IND_TC_DONE :
		    strcmp(s, "cancelled") == 0 ? IND_TC_CANCELLED :
		    strcmp(s, "unanswered") == 0 ? IND_TC_UNANSWERED :
		    IND_TC_OPEN,
		    .created_at = sqlite3_column_int64(st, 2),
		    .acked_at = sqlite3_column_int64(st, 3),
		    .escalations = sqlite3_column_int(st, 4),
		    .accepted_by = ops_gp_of(w->c, sqlite3_column_text(st, 5)) };
		return 0;
	}
	}
}

/* Every row of [from, to): plan hours, slots, bookings, offers, requests. */
static int
ops_rows_read(struct store *s, int64_t from, int64_t to, struct ops_rows *w)
{
	static const char *const sql[] = {
		"SELECT day, sector, hour, target, covered FROM plan_hour"
		" WHERE day >= ?1 AND day < ?2 ORDER BY day, sector, hour",
		"SELECT gp, start, end FROM plan_slot"
		" WHERE day >= ?1 AND day < ?2",
		"SELECT gp, start, end, status, created_at FROM booking"
		" WHERE start >= ?1 AND start < ?2",
		"SELECT gp, offered_s, day FROM plan_offer"
		" WHERE day >= ?1 AND day < ?2",
		"SELECT sector, state, created_at, acked_at, escalations,"
		" accepted_by FROM tc_request"
		" WHERE created_at >= ?1 AND created_at < ?2",
	};
	sqlite3_stmt *st;
	int rc = SQLITE_OK;

	for (int q = 0; q < 5 && (rc == SQLITE_OK || rc == SQLITE_DONE);
	    q++) {
		if ((rc = store_read_prepare(s, sql[q], &st)) != SQLITE_OK)
			break;
		sqlite3_bind_int64(st, 1, from);
		sqlite3_bind_int64(st, 2, to);
		while ((rc = sqlite3_step(st)) == SQLITE_ROW)
			if (ops_row(w, q, st) != 0) {
				rc = SQLITE_NOMEM;
				break;
			}
		store_read_end(s, st);
	}
	return store_err_of(rc == SQLITE_DONE ? SQLITE_OK : rc);
}

static void
ops_add_hours(cJSON *o, const char *key, int64_t s)
{
	/* Hours to the hundredth: figures people add up in a spreadsheet. */
	cJSON_AddNumberToObject(o, key, (double)((s * 100 + 1800) / 3600) /
	    100.0);
}

static void
ops_add_ratio(cJSON *o, const char *key, double v)
{
	cJSON_AddNumberToObject(o, key, (double)(int64_t)(v * 10000 + 0.5) /
	    10000.0);
}

static void
ops_add_or_null(cJSON *o, const char *key, double v)
{
	if (v < 0)
		cJSON_AddNullToObject(o, key);
	else
		cJSON_AddNumberToObject(o, key, v);
}

static cJSON *
ops_report_json(struct daemon *d, const struct ops_rows *w,
    const struct ind_in *in, const struct ind_out *o)
{
	const struct cfg *c = d->cfg;
	cJSON *res = cJSON_CreateObject(), *snp, *gaps, *gps, *tc;
	int listed = 0;

	snp = cJSON_AddObjectToObject(res, "snp");
	ops_add_hours(snp, "offered_h", o->offered_s);
	cJSON_AddNumberToObject(snp, "reserved", o->reserved);
	ops_add_hours(snp, "reserved_h", o->reserved_s);
	cJSON_AddNumberToObject(snp, "booked", o->booked);
	cJSON_AddNumberToObject(snp, "cancelled", o->cancelled);
	cJSON_AddNumberToObject(snp, "conflicts", o->conflicts);
	cJSON_AddNumberToObject(snp, "unused", o->unused);
	ops_add_ratio(snp, "fill_rate", o->fill_rate);
	cJSON_AddNumberToObject(snp, "sector_hours", o->sector_hours);
	cJSON_AddNumberToObject(snp, "sector_hours_met", o->sector_hours_met);
	ops_add_ratio(snp, "coverage", o->coverage);
	cJSON_AddNumberToObject(snp, "missing_slots", o->missing);
	gaps = cJSON_AddArrayToObject(snp, "gaps");
	for (size_t i = 0; i < w->n_hours; i++) {
		const struct ind_hour *h = &w->hours[i];
		char day[RFC3339_MAX];
		cJSON *g;

		if (h->target <= 0 || h->covered >= h->target ||
		    (in->sector >= 0 && h->sector != in->sector) ||
		    h->sector < 0)
			continue;
		if (++listed > OPS_REPORT_MAX_GAPS)
			continue;
		g = cJSON_CreateObject();
		daemon_time(d, w->hour_day[i], day);
		day[10] = '\0';
		cJSON_AddStringToObject(g, "day", day);
		cJSON_AddStringToObject(g, "sector", c->sectors[h->sector].id);
		cJSON_AddNumberToObject(g, "hour", w->hour_h[i]);
		cJSON_AddNumberToObject(g, "target", h->target);
		cJSON_AddNumberToObject(g, "covered", h->covered);
		cJSON_AddItemToArray(gaps, g);
	}
	cJSON_AddBoolToObject(snp, "gaps_truncated",
	    listed > OPS_REPORT_MAX_GAPS);
	gps = cJSON_AddArrayToObject(res, "gps");
	for (size_t g = 0; g < c->n_gps; g++) {
		const struct ind_gp *p = &o->gps[g];
		cJSON *e;

		if (in->sector >= 0 && (int)c->gps[g].sector != in->sector)
			continue;
		e = cJSON_CreateObject();
		cJSON_AddStringToObject(e, "gp", c->gps[g].id);
		cJSON_AddStringToObject(e, "name", c->gps[g].name);
		cJSON_AddStringToObject(e, "sector",
		    c->sectors[c->gps[g].sector].id);
		ops_add_hours(e, "offered_h", p->offered_s);
		ops_add_hours(e, "reserved_h", p->reserved_s);
		cJSON_AddNumberToObject(e, "reserved", p->reserved);
		cJSON_AddNumberToObject(e, "booked", p->booked);
		cJSON_AddNumberToObject(e, "seen", p->seen);
		cJSON_AddNumberToObject(e, "tc_accepted", p->tc_accepted);
		cJSON_AddItemToArray(gps, e);
	}
	tc = cJSON_AddObjectToObject(res, "tc");
	cJSON_AddNumberToObject(tc, "requests", o->tc_requests);
	cJSON_AddNumberToObject(tc, "accepted", o->tc_accepted);
	cJSON_AddNumberToObject(tc, "done", o->tc_done);
	cJSON_AddNumberToObject(tc, "open", o->tc_open);
	cJSON_AddNumberToObject(tc, "cancelled", o->tc_cancelled);
	cJSON_AddNumberToObject(tc, "unanswered", o->tc_unanswered);
	cJSON_AddNumberToObject(tc, "escalations", o->tc_escalations);
	ops_add_or_null(tc, "ack_median_s", o->ack_median_s);
	ops_add_or_null(tc, "ack_p90_s", o->ack_p90_s);
	return res;
}

/* ISO weeks of the period: index 0 is the week holding its first day. */
struct ops_weeks {
	const struct tz	*z;
	int64_t		 monday0;	/* days since the epoch */
	size_t		 n;
};

static int64_t
ops_local_days(const struct tz *z, int64_t t)
{
	struct tz_local l;

	tz_to_local(z, t, &l);
	return ind_days(l.year, l.month, l.day);
}

static void
ops_weeks_init(struct ops_weeks *wk, const struct tz *z, int64_t from,
    int64_t to)
{
	int64_t first = ops_local_days(z, from);
	int64_t last = ops_local_days(z, to - 1);
	/* 1970-01-01 was a Thursday: (days + 3) % 7 is 0 on Mondays. */
	int64_t back = ((first + 3) % 7 + 7) % 7;

	wk->z = z;
	wk->monday0 = first - back;
	wk->n = (size_t)((last - wk->monday0) / 7 + 1);
}

static size_t
ops_week_of(const struct ops_weeks *wk, int64_t t)
{
	int64_t k = (ops_local_days(wk->z, t) - wk->monday0) / 7;

	return k < 0 ? 0 : (size_t)k < wk->n ? (size_t)k : wk->n - 1;
}

/* "2026-W49": the ISO week of the week's Thursday. */
static void
ops_week_label(const struct ops_weeks *wk, size_t k, char buf[16])
{
	time_t t = (time_t)((wk->monday0 + 7 * (int64_t)k + 3) * 86400);
	struct tm tm;
	int y, w;

	gmtime_r(&t, &tm);
	ind_iso_week(tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday, &y, &w);
	snprintf(buf, 16, "%04d-W%02d", y, w);
}

/* Per sector, week and hour: sector-hours with a target, and met. */
static int
ops_heatmap(struct daemon *d, const struct ops_rows *w,
    const struct ops_weeks *wk, int sector, cJSON *res)
{
	const struct cfg *c = d->cfg;
	size_t n = c->n_sectors * wk->n * 24;
	int *hours = calloc(n + 1, sizeof(*hours));
	int *met = calloc(n + 1, sizeof(*met));
	cJSON *arr;
	char label[16];

	if (hours == NULL || met == NULL) {
		free(hours);
		free(met);
		return -1;
	}
	for (size_t i = 0; i < w->n_hours; i++) {
		const struct ind_hour *h = &w->hours[i];
		size_t b;

		if (h->sector < 0 || h->target <= 0 || w->hour_h[i] < 0 ||
		    w->hour_h[i] > 23)
			continue;
		b = ((size_t)h->sector * wk->n + ops_week_of(wk,
		    w->hour_day[i])) * 24 + (size_t)w->hour_h[i];
		hours[b]++;
		met[b] += h->covered >= h->target;
	}
	arr = cJSON_AddArrayToObject(res, "heatmap");
	for (size_t s = 0; s < c->n_sectors; s++) {
		if (sector >= 0 && (int)s != sector)
			continue;
		for (size_t k = 0; k < wk->n; k++) {
			ops_week_label(wk, k, label);
			for (int hr = 0; hr < 24; hr++) {
				size_t b = (s * wk->n + k) * 24 + (size_t)hr;
				cJSON *e;

				if (hours[b] == 0)
					continue;
				e = cJSON_CreateObject();
				cJSON_AddStringToObject(e, "sector",
				    c->sectors[s].id);
				cJSON_AddStringToObject(e, "week", label);
				cJSON_AddNumberToObject(e, "hour", hr);
				cJSON_AddNumberToObject(e, "hours", hours[b]);
				cJSON_AddNumberToObject(e, "met", met[b]);
				cJSON_AddItemToArray(arr, e);
			}
		}
	}
	free(hours);
	free(met);
	return 0;
}

/* One GP's week, for the CPTS contract's evidence. */
struct ops_gp_week {
	int64_t	offered_s, reserved_s;
	int	booked, seen_48h, tc_accepted;
};

static int
ops_gp_weeks(struct daemon *d, const struct ops_rows *w,
    const struct ops_weeks *wk, int sector, double threshold_h,
    cJSON *res)
{
	const struct cfg *c = d->cfg;
	int64_t now = clk_now_utc(&d->clk);
	struct ops_gp_week *v = calloc(c->n_gps * wk->n + 1, sizeof(*v));
	cJSON *arr;
	char label[16];

	if (v == NULL)
		return -1;
	for (size_t i = 0; i < w->n_offers; i++)
		if (w->offers[i].gp >= 0)
			v[(size_t)w->offers[i].gp * wk->n + ops_week_of(wk,
			    w->offers[i].day)].offered_s +=
			    w->offers[i].offered_s;
	for (size_t i = 0; i < w->n_slots; i++)
		if (w->slots[i].gp >= 0)
			v[(size_t)w->slots[i].gp * wk->n + ops_week_of(wk,
			    w->slots[i].start)].reserved_s +=
			    w->slots[i].end - w->slots[i].start;
	for (size_t i = 0; i < w->n_bookings; i++) {
		const struct ind_booking *b = &w->bookings[i];
		struct ops_gp_week *e;

		if (b->gp < 0 || b->status == IND_BK_CANCELLED)
			continue;
		e = &v[(size_t)b->gp * wk->n + ops_week_of(wk, b->start)];
		e->booked++;
		e->seen_48h += b->start <= now &&
		    b->start - b->created_at <= 48 * 3600;
	}
	for (size_t i = 0; i < w->n_tcs; i++)
		if (w->tcs[i].accepted_by >= 0 && w->tcs[i].acked_at > 0)
			v[(size_t)w->tcs[i].accepted_by * wk->n + ops_week_of(
			    wk, w->tcs[i].created_at)].tc_accepted++;
	arr = cJSON_AddArrayToObject(res, "gp_weeks");
	for (size_t g = 0; g < c->n_gps; g++) {
		if (sector >= 0 && (int)c->gps[g].sector != sector)
			continue;
		for (size_t k = 0; k < wk->n; k++) {
			const struct ops_gp_week *p = &v[g * wk->n + k];
			cJSON *e = cJSON_CreateObject();

			ops_week_label(wk, k, label);
			cJSON_AddStringToObject(e, "gp", c->gps[g].id);
			cJSON_AddStringToObject(e, "week", label);
			ops_add_hours(e, "offered_h", p->offered_s);
			ops_add_hours(e, "reserved_h", p->reserved_s);
			cJSON_AddBoolToObject(e, "below_threshold",
			    (double)p->offered_s < threshold_h * 3600);
			cJSON_AddNumberToObject(e, "booked", p->booked);
			cJSON_AddNumberToObject(e, "seen_48h", p->seen_48h);
			cJSON_AddNumberToObject(e, "tc_accepted",
			    p->tc_accepted);
			cJSON_AddItemToArray(arr, e);
		}
	}
	free(v);
	return 0;
}

void
ops_report_indicators(struct daemon *d, struct srv_req *r)
{
	const struct cfg *c = d->cfg;
	struct ops_rows w = { .c = c };
	const char *sector = NULL;
	char why[PROTO_WHY_MAX], day[RFC3339_MAX];
	int64_t from = 0, to = 0;
	int *gp_sector = NULL;
	bool per_gp = false;
	double threshold_h = 2;
	struct ops_weeks wk;
	struct ind_out o;
	struct ind_in in;
	cJSON *res;
	int err;

	if (jarg_str_opt(r->req.args, "args", "sector", CFG_ID_MAX, &sector,
	    NULL, why, sizeof(why)) != 0 ||
	    jarg_bool_opt(r->req.args, "args", "per_gp", &per_gp, NULL, why,
	    sizeof(why)) != 0 ||
	    jarg_num_opt(r->req.args, "args", "threshold_h", 0, 168,
	    &threshold_h, NULL, why, sizeof(why)) != 0) {
		srv_reply_err(r, PROTO_EARGS, "%s", why);
		return;
	}
	if (ops_day_range(d, r, true, OPS_REPORT_MAX_DAYS, &from, &to) != 0)
		return;
	if (sector != NULL && cfg_sector_find(c, sector) < 0) {
		srv_reply_err(r, PROTO_ENOTFOUND, "no sector \"%s\"", sector);
		return;
	}
	if ((err = ops_rows_read(d->store, from, to, &w)) != STORE_OK) {
		ops_rows_fini(&w);
		srv_reply_err(r, PROTO_EUNAVAIL, "store: %s",
		    store_strerror(err));
		return;
	}
	if ((gp_sector = calloc(c->n_gps + 1, sizeof(*gp_sector))) == NULL) {
		ops_rows_fini(&w);
		srv_reply_err(r, PROTO_EINTERNAL, "out of memory");
		return;
	}
	for (size_t g = 0; g < c->n_gps; g++)
		gp_sector[g] = (int)c->gps[g].sector;
	in = (struct ind_in){ .n_gps = c->n_gps, .gp_sector = gp_sector,
	    .sector = sector != NULL ? (int)cfg_sector_find(c, sector) : -1,
	    .now = clk_now_utc(&d->clk),
	    .hours = w.hours, .n_hours = w.n_hours,
	    .slots = w.slots, .n_slots = w.n_slots,
	    .bookings = w.bookings, .n_bookings = w.n_bookings,
	    .offers = w.offers, .n_offers = w.n_offers,
	    .tcs = w.tcs, .n_tcs = w.n_tcs };
	if (ind_compute(&in, &o) != 0) {
		free(gp_sector);
		ops_rows_fini(&w);
		srv_reply_err(r, PROTO_EINTERNAL, "out of memory");
		return;
	}
	res = ops_report_json(d, &w, &in, &o);
	cJSON_AddNumberToObject(res, "threshold_h", threshold_h);
	ops_weeks_init(&wk, c->territory.tz, from, to);
	if (ops_heatmap(d, &w, &wk, in.sector, res) != 0 || (per_gp &&
	    ops_gp_weeks(d, &w, &wk, in.sector, threshold_h, res) != 0)) {
		cJSON_Delete(res);
		ind_out_fini(&o);
		free(gp_sector);
		ops_rows_fini(&w);
		srv_reply_err(r, PROTO_EINTERNAL, "out of memory");
		return;
	}
	daemon_time(d, from, day);
	day[10] = '\0';
	cJSON_AddStringToObject(res, "from", day);
	daemon_time(d, to, day);
	day[10] = '\0';
	cJSON_AddStringToObject(res, "to", day);
	if (sector != NULL)
		cJSON_AddStringToObject(res, "sector", sector);
	else
		cJSON_AddNullToObject(res, "sector");
	ind_out_fini(&o);
	free(gp_sector);
	ops_rows_fini(&w);
	srv_reply_ok(r, res);
}
