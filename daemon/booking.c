/* Bookings in the daemon: the occupied slots, open, close, reload. */
#include "daemon/booking_int.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>
#include <time.h>

#include "daemon/daemon.h"
#include "daemon/export.h"
#include "daemon/feed.h"
#include "daemon/log.h"
#include "daemon/planner.h"
#include "daemon/core/cal.h"
#include "daemon/core/ivs.h"
#include "daemon/core/tz.h"

#define BOOKING_PURGE_MS	(3600 * 1000)	/* hourly: cheap, indexed */

void
booking_slot_id(const char *gp, int64_t start, char buf[BOOKING_SLOT_MAX])
{
	time_t t = (time_t)start;
	struct tm tm;
	char ts[64];

	gmtime_r(&t, &tm);
	snprintf(ts, sizeof(ts), "%04d%02d%02dT%02d%02d%02dZ",
	    tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday, tm.tm_hour,
	    tm.tm_min, tm.tm_sec);
	snprintf(buf, BOOKING_SLOT_MAX, "%.*s/%.16s", CFG_ID_MAX, gp, ts);
}

int
booking_slot_parse(const char *id, char gp[CFG_ID_MAX + 1], int64_t *start)
{
	const char *slash = strrchr(id, '/');
	char canon[BOOKING_SLOT_MAX];
	struct tm tm = { 0 };
	size_t n;
	int used = 0;

	if (slash == NULL || (n = (size_t)(slash - id)) == 0 ||
	    n > CFG_ID_MAX || strlen(slash + 1) != 16)
		return -1;
	if (sscanf(slash + 1, "%4d%2d%2dT%2d%2d%2dZ%n", &tm.tm_year,
	    &tm.tm_mon, &tm.tm_mday, &tm.tm_hour, &tm.tm_min, &tm.tm_sec,
	    &used) != 6 || used != 16 || tm.tm_mon < 1 || tm.tm_mon > 12 ||
	    tm.tm_mday < 1 || tm.tm_mday > 31 || tm.tm_hour > 23 ||
	    tm.tm_min > 59 || tm.tm_sec > 59)
		return -1;
	tm.tm_year -= 1900;
	tm.tm_mon -= 1;
	memcpy(gp, id, n);
	gp[n] = '\0';
	*start = (int64_t)timegm(&tm);
	/* One spelling per slot: "31 Nov" or " 1" would name 1 Dec too. */
	booking_slot_id(gp, *start, canon);
	return strcmp(canon, id) == 0 ? 0 : -1;
}

void
booking_random_id(const char *prefix, char *buf, size_t len)
{
	unsigned char r[8];

	/* getrandom only fails before the pool is seeded: use the time. */
	if (getrandom(r, sizeof(r), 0) != (ssize_t)sizeof(r)) {
		uint64_t x = clk_mono_ms() * 0x9e3779b97f4a7c15ULL;

		memcpy(r, &x, sizeof(r));
	}
	snprintf(buf, len, "%s%02x%02x%02x%02x%02x%02x%02x%02x", prefix,
	    r[0], r[1], r[2], r[3], r[4], r[5], r[6], r[7]);
}

static size_t
booking_hash(const char *gp, int64_t start)
{
	uint64_t h = 14695981039346656037ULL;

	for (; *gp != '\0'; gp++)
		h = (h ^ (unsigned char)*gp) * 1099511628211ULL;
	for (int i = 0; i < 8; i++)
		h = (h ^ (uint8_t)((uint64_t)start >> (8 * i))) *
		    1099511628211ULL;
	return (size_t)(h ^ (h >> 29));
}

/* The map's cell for (gp, start): its entry, or the empty cell. */
static size_t
booking_cell(const struct booking *bk, const char *gp, int64_t start)
{
	size_t i = booking_hash(gp, start) & (bk->cap - 1);

	while (bk->map[i] != NULL && (bk->map[i]->start != start ||
	    strcmp(bk->map[i]->gp, gp) != 0))
		i = (i + 1) & (bk->cap - 1);
	return i;
}

static int
booking_grow(struct booking *bk)
{
	size_t cap = bk->cap > 0 ? 2 * bk->cap : 1024;
	struct booking_occ **old = bk->map, **map = calloc(cap, sizeof(*map));
	size_t old_cap = bk->cap;

	if (map == NULL)
		return -1;
	bk->map = map;
	bk->cap = cap;
	for (size_t i = 0; i < old_cap; i++)
		if (old[i] != NULL)
			map[booking_cell(bk, old[i]->gp, old[i]->start)] =
			    old[i];
	free(old);
	return 0;
}

const struct booking_occ *
booking_occ_find(const struct booking *bk, const char *gp, int64_t start)
{
	if (bk == NULL || bk->n == 0)
		return NULL;
	return bk->map[booking_cell(bk, gp, start)];
}

struct booking_occ *
booking_occ_get(struct booking *bk, const char *gp, int64_t start,
    int64_t end)
{
	struct booking_occ *o;
	size_t i;

	if (2 * (bk->n + 1) > bk->cap && booking_grow(bk) != 0)
		return NULL;
	i = booking_cell(bk, gp, start);
	if (bk->map[i] != NULL)
		return bk->map[i];
	if ((o = calloc(1, sizeof(*o))) == NULL)
		return NULL;
	snprintf(o->gp, sizeof(o->gp), "%s", gp);
	o->start = start;
	o->end = end;
	bk->map[i] = o;
	bk->n++;
	bk->occ_gen++;
	return o;
}

void
booking_occ_settle(struct booking *bk, struct booking_occ *o)
{
	size_t i, j, k;

	if (o->state != BOOKING_NONE || o->hold != NULL)
		return;
	/*
	 * A booking or a hold kept the slot in the plan even if its time
	 * went busy: then its day is planned again, and the slot goes.
	 */
	if (!booking_slot_free(bk, o->gp, o->start, o->end))
		planner_slot_freed(bk->d->planner, o->start);
	/* Remove with backward shift: no tombstones to slow lookups. */
	i = booking_cell(bk, o->gp, o->start);
	bk->map[i] = NULL;
	bk->n--;
	for (j = (i + 1) & (bk->cap - 1); bk->map[j] != NULL;
	    j = (j + 1) & (bk->cap - 1)) {
		k = booking_hash(bk->map[j]->gp, bk->map[j]->start) &
		    (bk->cap - 1);
		/* Move j back to i unless its home lies in (i, j]. */
		if (i <= j ? (i < k && k <= j) : (i < k || k <= j))
			continue;
		bk->map[i] = bk->map[j];
		bk->map[j] = NULL;
		i = j;
	}
	free(o);
}

void
booking_occ_each(const struct booking *bk,
    void (*fn)(void *arg, const struct booking_occ *o), void *arg)
{
	for (size_t i = 0; bk != NULL && i < bk->cap; i++)
		if (bk->map[i] != NULL)
			fn(arg, bk->map[i]);
}

uint64_t
booking_occ_gen(const struct booking *bk)
{
	return bk->occ_gen;
}

unsigned
booking_count_live(const struct booking *bk, int64_t from, int64_t to)
{
	unsigned n = 0;

	for (size_t i = 0; bk != NULL && i < bk->cap; i++) {
		const struct booking_occ *o = bk->map[i];

		n += o != NULL && (o->state == BOOKING_BOOKED ||
		    o->state == BOOKING_CONFLICT) && o->start >= from &&
		    o->start < to;
	}
	return n;
}

int
booking_fixed(const struct booking *bk, struct plan_res **out, size_t *n)
{
	const struct cfg *c = bk->d->cfg;
	struct plan_res *v = calloc(bk->n + 1, sizeof(*v));
	size_t k = 0;

	if (v == NULL)
		return -1;
	for (size_t i = 0; i < bk->cap; i++) {
		const struct booking_occ *o = bk->map[i];
		ssize_t g;

		if (o == NULL || (g = cfg_gp_find(c, o->gp)) < 0)
			continue;
		v[k++] = (struct plan_res){ .gp = (uint32_t)g,
		    .start = o->start, .end = o->end };
	}
	if (k > 1)
		qsort(v, k, sizeof(*v), plan_res_cmp);
	*out = v;
	*n = k;
	return 0;
}

void
booking_add_time(const struct daemon *d, cJSON *obj, const char *key,
    int64_t utc)
{
	char buf[RFC3339_MAX];

	cJSON_AddStringToObject(obj, key, daemon_time(d, utc, buf));
}

void
booking_add_times(const struct daemon *d, cJSON *obj, int64_t start,
    int64_t end)
{
	booking_add_time(d, obj, "start", start);
	booking_add_time(d, obj, "end", end);
}

bool
booking_slot_free(struct booking *bk, const char *gp, int64_t start,
    int64_t end)
{
	struct ivs offered = { 0 }, left = { 0 };
	struct feed_view v;
	bool is_free;

	/* No agenda read yet (or beyond it): nothing says it is busy. */
	if (bk->d->feeds == NULL || !feeds_view(bk->d->feeds, gp, &v) ||
	    v.avail == NULL || start < v.from_utc || end > v.to_utc)
		return true;
	if (ivs_clip(&v.avail->offered_snp, start, end, &offered) != 0 ||
	    ivs_subtract(&offered, &v.avail->busy, &left) != 0)
		is_free = true;		/* out of memory: do not accuse */
	else
		is_free = ivs_covers(&left, start, end);
	ivs_fini(&offered);
	ivs_fini(&left);
	return is_free;
}

void
booking_touch_export(struct booking *bk, const char *gp)
{
	export_touch(bk->d->exporter, gp);
}

/* A live booking read at start occupies its slot. */
static int
booking_load_row(void *arg, const struct store_booking *b)
{
	struct booking *bk = arg;
	struct booking_occ *o = booking_occ_get(bk, b->gp, b->start, b->end);

	if (o == NULL)
		return -1;
	o->state = b->status == STORE_BK_CONFLICT ? BOOKING_CONFLICT :
	    BOOKING_BOOKED;
	snprintf(o->booking, sizeof(o->booking), "%s", b->id);
	return 0;
}

static void
booking_purged(void *arg, int err)
{
	struct booking *bk = arg;

	bk->writes--;
	if (err != STORE_OK)
		log_err("booking", "purge of old patient data failed: %s",
		    store_strerror(err));
	booking_maybe_free(bk);
}

/* Blank the patient data past the retention; at start and hourly. */
static void
booking_purge(uv_timer_t *t)
{
	struct booking *bk = t->data;
	int64_t now = clk_now_utc(&bk->d->clk);
	int64_t before = now - (int64_t)bk->d->cfg->booking.retention_days *
	    86400;

	if (bk->is_closing || bk->d->store == NULL)
		return;
	if (store_booking_purge(bk->d->store, before, now, booking_purged,
	    bk) == STORE_OK)
		bk->writes++;
}

int
booking_open(struct daemon *d, struct booking **out, char *why,
    size_t whylen)
{
	struct booking *bk = calloc(1, sizeof(*bk));
	int64_t now = clk_now_utc(&d->clk);
	int64_t from = now - (int64_t)(d->cfg->fairness_window_days + 8) *
	    86400;
	int err;

	*out = NULL;
	if (bk == NULL || booking_grow(bk) != 0) {
		free(bk);
		snprintf(why, whylen, "out of memory");
		return -1;
	}
	bk->d = d;
	err = store_booking_each(d->store, from, INT64_MAX, NULL, true,
	    booking_load_row, bk);
	if (err != STORE_OK) {
		snprintf(why, whylen, "bookings not read: %s",
		    store_strerror(err));
		for (size_t i = 0; i < bk->cap; i++)
			free(bk->map[i]);
		free(bk->map);
		free(bk);
		return -1;
	}
	uv_timer_init(&d->loop, &bk->expiry);
	uv_timer_init(&d->loop, &bk->purge);
	bk->expiry.data = bk->purge.data = bk;
	bk->handles = 2;
	uv_timer_start(&bk->purge, booking_purge, 0, BOOKING_PURGE_MS);
	log_info("booking", "%zu live bookings", bk->n);
	*out = bk;
	return 0;
}

static void
booking_closed(uv_handle_t *h)
{
	struct booking *bk = h->data;

	bk->handles--;
	booking_maybe_free(bk);
}

void
booking_maybe_free(struct booking *bk)
{
	if (!bk->is_closing || bk->handles > 0 || bk->writes > 0)
		return;
	for (size_t i = 0; i < bk->n_holds; i++)
		free(bk->holds[i]);
	free(bk->holds);
	for (size_t i = 0; i < bk->cap; i++)
		free(bk->map[i]);
	free(bk->map);
	free(bk);
}

void
booking_close(struct booking *bk)
{
	if (bk == NULL || bk->is_closing)
		return;
	bk->is_closing = true;
	uv_close((uv_handle_t *)&bk->expiry, booking_closed);
	uv_close((uv_handle_t *)&bk->purge, booking_closed);
}
