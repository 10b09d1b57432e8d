/* The plan tables: each day's sums per sector and hour, and its slots. */
#include "daemon/store_plan.h"

static int
store_plan_day_fn(struct store_tx *tx, const struct store_plan_write *w,
    const struct store_plan_day *d)
{
	sqlite3_stmt *st;
	int err;

	st = tx->stmts[ST_PLAN_DAY];
	sqlite3_bind_int64(st, 1, d->day);
	sqlite3_bind_int64(st, 2, d->win_start);
	sqlite3_bind_int64(st, 3, d->win_end);
	sqlite3_bind_int(st, 4, d->n_gap);
	sqlite3_bind_int64(st, 5, d->planned_utc);
	if ((err = store_exec(st)) != STORE_OK)
		return err;
	st = tx->stmts[ST_PLAN_DEL_HOURS];
	sqlite3_bind_int64(st, 1, d->day);
	if ((err = store_exec(st)) != STORE_OK)
		return err;
	st = tx->stmts[ST_PLAN_ADD_HOUR];
	for (size_t s = 0; s < w->n_sectors; s++)
		for (int h = d->hour_from; h < d->hour_to; h++) {
			size_t b = s * PLAN_HOURS + (size_t)h;

			sqlite3_bind_int64(st, 1, d->day);
			sqlite3_bind_text(st, 2, w->sector_ids[s], -1,
			    SQLITE_STATIC);
			sqlite3_bind_int(st, 3, h);
			if (d->target[b] == PLAN_NO_TARGET)
				sqlite3_bind_null(st, 4);
			else
				sqlite3_bind_int(st, 4, d->target[b]);
			sqlite3_bind_int(st, 5, d->reserved[b]);
			sqlite3_bind_int(st, 6, d->covered[b]);
			sqlite3_bind_int(st, 7, d->gap[b]);
			if ((err = store_exec(st)) != STORE_OK)
				return err;
		}
	st = tx->stmts[ST_PLAN_DEL_SLOTS];
	sqlite3_bind_int64(st, 1, d->day);
	if ((err = store_exec(st)) != STORE_OK)
		return err;
	st = tx->stmts[ST_PLAN_ADD_SLOT];
	for (size_t i = 0; i < d->n_slots; i++) {
		sqlite3_bind_text(st, 1, w->gp_ids[d->slots[i].gp], -1,
		    SQLITE_STATIC);
		sqlite3_bind_int64(st, 2, d->slots[i].start);
		sqlite3_bind_int64(st, 3, d->slots[i].end);
		sqlite3_bind_int64(st, 4, d->day);
		if ((err = store_exec(st)) != STORE_OK)
			return err;
	}
	if (d->offered_s == NULL)
		return STORE_OK;
	st = tx->stmts[ST_PLAN_DEL_OFFER];
	sqlite3_bind_int64(st, 1, d->day);
	if ((err = store_exec(st)) != STORE_OK)
		return err;
	st = tx->stmts[ST_PLAN_ADD_OFFER];
	for (size_t g = 0; g < w->n_gps; g++) {
		if (d->offered_s[g] <= 0)
			continue;
		sqlite3_bind_int64(st, 1, d->day);
		sqlite3_bind_text(st, 2, w->gp_ids[g], -1, SQLITE_STATIC);
		sqlite3_bind_int(st, 3, d->offered_s[g]);
		if ((err = store_exec(st)) != STORE_OK)
			return err;
	}
	return STORE_OK;
}

static int
store_plan_fn(struct store_tx *tx, void *arg)
{
	const struct store_plan_write *w = arg;
	int err = STORE_OK;

	for (size_t i = 0; i < w->n_days && err == STORE_OK; i++)
		err = store_plan_day_fn(tx, w, &w->days[i]);
	return err;
}

int
store_plan_save(struct store *s, struct store_plan_write *w,
    store_done_fn done)
{
	return store_write(s, store_plan_fn, done, w);
}

/* Run sql bound to from_day, calling row for each result row. */
static int
store_plan_each(struct store *s, const char *sql, int64_t from_day,
    const struct store_plan_loader *l,
    void (*row)(const struct store_plan_loader *, sqlite3_stmt *))
{
	sqlite3_stmt *st;
	int rc;

	rc = sqlite3_prepare_v2(store_reader(s), sql, -1, &st, NULL);
	if (rc != SQLITE_OK)
		return store_err_of(rc);
	sqlite3_bind_int64(st, 1, from_day);
	while ((rc = sqlite3_step(st)) == SQLITE_ROW)
		row(l, st);
	sqlite3_finalize(st);
	return store_err_of(rc);
}

static void
store_plan_day_row(const struct store_plan_loader *l, sqlite3_stmt *st)
{
	l->day(l->arg, sqlite3_column_int64(st, 0),
	    sqlite3_column_int64(st, 1), sqlite3_column_int64(st, 2),
	    sqlite3_column_int(st, 3), sqlite3_column_int64(st, 4));
}

static void
store_plan_hour_row(const struct store_plan_loader *l, sqlite3_stmt *st)
{
	l->hour(l->arg, sqlite3_column_int64(st, 0),
	    (const char *)sqlite3_column_text(st, 1),
	    sqlite3_column_int(st, 2), sqlite3_column_type(st, 3) ==
	    SQLITE_NULL ? PLAN_NO_TARGET : sqlite3_column_int(st, 3),
	    sqlite3_column_int(st, 4), sqlite3_column_int(st, 5),
	    sqlite3_column_int(st, 6));
}

static void
store_plan_slot_row(const struct store_plan_loader *l, sqlite3_stmt *st)
{
	l->slot(l->arg, (const char *)sqlite3_column_text(st, 0),
	    sqlite3_column_int64(st, 1), sqlite3_column_int64(st, 2),
	    sqlite3_column_int64(st, 3));
}

int
store_plan_load(struct store *s, int64_t from_day,
    const struct store_plan_loader *l)
{
	int err;

	err = store_plan_each(s, "SELECT day, win_start, win_end, gaps,"
	    " planned_utc FROM plan_day WHERE day >= ?1 ORDER BY day",
	    from_day, l, store_plan_day_row);
	if (err == STORE_OK)
		err = store_plan_each(s, "SELECT day, sector, hour, target,"
		    " reserved, covered, gap FROM plan_hour WHERE day >= ?1"
		    " ORDER BY day, sector, hour", from_day, l,
		    store_plan_hour_row);
	if (err == STORE_OK)
		err = store_plan_each(s, "SELECT gp, start, end, day FROM"
		    " plan_slot WHERE day >= ?1 ORDER BY day, gp, start",
		    from_day, l, store_plan_slot_row);
	return err;
}
