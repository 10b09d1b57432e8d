/* The booking table: durable creates, cancels, conflicts, purges; reads. */
#include "daemon/store_booking.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char *const store_bk_statuses[] = {
	[STORE_BK_BOOKED] = "booked",
	[STORE_BK_CANCELLED] = "cancelled",
	[STORE_BK_CONFLICT] = "conflict",
};

const char *
store_bk_status_name(enum store_bk_status st)
{
	return store_bk_statuses[st];
}

static void
store_bk_text(sqlite3_stmt *st, int i, const char *v)
{
	if (v != NULL && v[0] != '\0')
		sqlite3_bind_text(st, i, v, -1, SQLITE_STATIC);
	else
		sqlite3_bind_null(st, i);
}

/* An UPDATE that must change exactly one row, else a constraint error. */
static int
store_bk_update_one(struct store_tx *tx, sqlite3_stmt *st)
{
	int err = store_exec(st);

	if (err == STORE_OK && sqlite3_changes(tx->db) != 1)
		err = STORE_ECONSTRAINT;
	return err;
}

static int
store_bk_create_fn(struct store_tx *tx, void *arg)
{
	const struct store_booking *b = arg;
	sqlite3_stmt *st = tx->stmts[ST_BK_ADD];
	int err;

	sqlite3_bind_text(st, 1, b->id, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 2, b->slot, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 3, b->gp, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 4, b->sector, -1, SQLITE_STATIC);
	sqlite3_bind_int64(st, 5, b->start);
	sqlite3_bind_int64(st, 6, b->end);
	sqlite3_bind_text(st, 7, b->modality, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 8, b->who, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 9, b->key, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 10, b->name, -1, SQLITE_STATIC);
	store_bk_text(st, 11, b->phone);
	if (b->birth_year > 0)
		sqlite3_bind_int(st, 12, b->birth_year);
	else
		sqlite3_bind_null(st, 12);
	store_bk_text(st, 13, b->commune);
	store_bk_text(st, 14, b->reason);
	sqlite3_bind_int64(st, 15, b->created_at);
	if ((err = store_exec(st)) != STORE_OK)
		return err;
	return store_tx_audit(tx, b->created_at, b->who, "booking.create",
	    b->id);
}

static int
store_bk_cancel_fn(struct store_tx *tx, void *arg)
{
	const struct store_booking *b = arg;
	sqlite3_stmt *st = tx->stmts[ST_BK_CANCEL];
	int err;

	sqlite3_bind_text(st, 1, b->id, -1, SQLITE_STATIC);
	sqlite3_bind_int64(st, 2, b->cancelled_at);
	sqlite3_bind_text(st, 3, b->cancelled_by, -1, SQLITE_STATIC);
	store_bk_text(st, 4, b->cancel_reason);
	if ((err = store_bk_update_one(tx, st)) != STORE_OK)
		return err;
	return store_tx_audit(tx, b->cancelled_at, b->cancelled_by,
	    "booking.cancel", b->id);
}

static int
store_bk_conflict_fn(struct store_tx *tx, void *arg)
{
	const struct store_booking *b = arg;
	sqlite3_stmt *st = tx->stmts[ST_BK_CONFLICT];
	int err;

	sqlite3_bind_text(st, 1, b->id, -1, SQLITE_STATIC);
	sqlite3_bind_int64(st, 2, b->conflict_at);
	sqlite3_bind_text(st, 3, b->conflict, -1, SQLITE_STATIC);
	if ((err = store_bk_update_one(tx, st)) != STORE_OK)
		return err;
	return store_tx_audit(tx, b->conflict_at, b->who,
	    "booking.conflict", b->id);
}

int
store_booking_create(struct store *s, struct store_booking *b,
    store_done_fn done)
{
	return store_write(s, store_bk_create_fn, done, b);
}

int
store_booking_cancel(struct store *s, struct store_booking *b,
    store_done_fn done)
{
	return store_write(s, store_bk_cancel_fn, done, b);
}

int
store_booking_conflict(struct store *s, struct store_booking *b,
    store_done_fn done)
{
	return store_write(s, store_bk_conflict_fn, done, b);
}

struct store_bk_purge {
	int64_t		 before, now;
	store_done_fn	 done;
	void		*arg;
};

static int
store_bk_purge_fn(struct store_tx *tx, void *arg)
{
	const struct store_bk_purge *p = arg;
	sqlite3_stmt *ids = tx->stmts[ST_BK_PURGE_IDS];
	sqlite3_stmt *st = tx->stmts[ST_BK_PURGE];
	char (*v)[STORE_BK_ID_MAX] = NULL, (*nv)[STORE_BK_ID_MAX];
	size_t n = 0, cap = 0;
	int rc, err = STORE_OK;

	/* The ids first: the rows change under the SELECT otherwise. */
	sqlite3_bind_int64(ids, 1, p->before);
	while ((rc = sqlite3_step(ids)) == SQLITE_ROW) {
		if (n == cap) {
			cap = cap > 0 ? 2 * cap : 64;
			if ((nv = realloc(v, cap * sizeof(*v))) == NULL) {
				err = STORE_ENOMEM;
				break;
			}
			v = nv;
		}
		snprintf(v[n++], sizeof(v[0]), "%s",
		    (const char *)sqlite3_column_text(ids, 0));
	}
	if (err == STORE_OK)
		err = store_err_of(rc);
	sqlite3_reset(ids);
	sqlite3_clear_bindings(ids);
	for (size_t i = 0; i < n && err == STORE_OK; i++) {
		sqlite3_bind_text(st, 1, v[i], -1, SQLITE_STATIC);
		sqlite3_bind_int64(st, 2, p->now);
		if ((err = store_exec(st)) == STORE_OK)
			err = store_tx_audit(tx, p->now, "snpd",
			    "booking.purge", v[i]);
	}
	free(v);
	/* The same retention for the nurses' requests (store_tc.h). */
	if (err == STORE_OK) {
		char count[24];

		st = tx->stmts[ST_TC_PURGE];
		sqlite3_bind_int64(st, 1, p->before);
		sqlite3_bind_int64(st, 2, p->now);
		if ((err = store_exec(st)) == STORE_OK &&
		    sqlite3_changes(tx->db) > 0) {
			snprintf(count, sizeof(count), "%d",
			    sqlite3_changes(tx->db));
			err = store_tx_audit(tx, p->now, "snpd", "tc.purge",
			    count);
		}
	}
	return err;
}

static void
store_bk_purge_done(void *arg, int err)
{
	struct store_bk_purge *p = arg;

	if (p->done != NULL)
		p->done(p->arg, err);
	free(p);
}

int
store_booking_purge(struct store *s, int64_t before, int64_t now,
    store_done_fn done, void *arg)
{
	struct store_bk_purge *p = malloc(sizeof(*p));
	int err;

	if (p == NULL)
		return STORE_ENOMEM;
	*p = (struct store_bk_purge){ before, now, done, arg };
	if ((err = store_write(s, store_bk_purge_fn, store_bk_purge_done,
	    p)) != STORE_OK)
		free(p);
	return err;
}

/* The columns read, in this order, by store_bk_row(). */
#define STORE_BK_COLUMNS "id, slot, gp, sector, start, end, status,"	\
	" modality, idem_who, idem_key, patient_name, patient_phone,"	\
	" patient_birth_year, patient_commune, reason, created_at,"	\
	" cancelled_at, cancelled_by, cancel_reason, conflict_at,"	\
	" conflict, purged_at"

static void
store_bk_col(sqlite3_stmt *st, int i, char *buf, size_t len)
{
	const unsigned char *t = sqlite3_column_text(st, i);

	snprintf(buf, len, "%s", t != NULL ? (const char *)t : "");
}

static void
store_bk_row(sqlite3_stmt *st, struct store_booking *b)
{
	char status[16];

	memset(b, 0, sizeof(*b));
	store_bk_col(st, 0, b->id, sizeof(b->id));
	store_bk_col(st, 1, b->slot, sizeof(b->slot));
	store_bk_col(st, 2, b->gp, sizeof(b->gp));
	store_bk_col(st, 3, b->sector, sizeof(b->sector));
	b->start = sqlite3_column_int64(st, 4);
	b->end = sqlite3_column_int64(st, 5);
	store_bk_col(st, 6, status, sizeof(status));
	b->status = strcmp(status, "cancelled") == 0 ? STORE_BK_CANCELLED :
	    strcmp(status, "conflict") == 0 ? STORE_BK_CONFLICT :
	    STORE_BK_BOOKED;
	store_bk_col(st, 7, b->modality, sizeof(b->modality));
	store_bk_col(st, 8, b->who, sizeof(b->who));
	store_bk_col(st, 9, b->key, sizeof(b->key));
	b->has_patient = sqlite3_column_type(st, 10) != SQLITE_NULL;
	store_bk_col(st, 10, b->name, sizeof(b->name));
	store_bk_col(st, 11, b->phone, sizeof(b->phone));
	b->birth_year = sqlite3_column_int(st, 12);
	store_bk_col(st, 13, b->commune, sizeof(b->commune));
	store_bk_col(st, 14, b->reason, sizeof(b->reason));
	b->created_at = sqlite3_column_int64(st, 15);
	b->cancelled_at = sqlite3_column_int64(st, 16);
	store_bk_col(st, 17, b->cancelled_by, sizeof(b->cancelled_by));
	store_bk_col(st, 18, b->cancel_reason, sizeof(b->cancel_reason));
	b->conflict_at = sqlite3_column_int64(st, 19);
	store_bk_col(st, 20, b->conflict, sizeof(b->conflict));
	b->purged_at = sqlite3_column_int64(st, 21);
}

/* At most one row of a query bound to two texts (b NULL: one). */
static int
store_bk_one(struct store *s, const char *sql, const char *a,
    const char *b, struct store_booking *out, bool *found)
{
	sqlite3_stmt *st;
	int rc;

	*found = false;
	if ((rc = store_read_prepare(s, sql, &st)) != SQLITE_OK)
		return store_err_of(rc);
	sqlite3_bind_text(st, 1, a, -1, SQLITE_STATIC);
	if (b != NULL)
		sqlite3_bind_text(st, 2, b, -1, SQLITE_STATIC);
	if ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		store_bk_row(st, out);
		*found = true;
	}
	store_read_end(s, st);
	return store_err_of(rc);
}

int
store_booking_get(struct store *s, const char *id,
    struct store_booking *out, bool *found)
{
	return store_bk_one(s, "SELECT " STORE_BK_COLUMNS " FROM booking"
	    " WHERE id = ?1", id, NULL, out, found);
}

int
store_booking_by_key(struct store *s, const char *who, const char *key,
    struct store_booking *out, bool *found)
{
	return store_bk_one(s, "SELECT " STORE_BK_COLUMNS " FROM booking"
	    " WHERE idem_who = ?1 AND idem_key = ?2", who, key, out, found);
}

int
store_booking_each(struct store *s, int64_t from, int64_t to,
    const char *gp, bool live_only, store_booking_row_fn row, void *arg)
{
	/* Two texts: "gp = ?3 OR ?3 IS NULL" would keep SQLite off the
	 * (gp, start) index, and a GP's export would read every booking. */
	static const char *const sql[2] = {
		"SELECT " STORE_BK_COLUMNS " FROM booking"
		" WHERE start >= ?1 AND start < ?2"
		" AND (?4 = 0 OR status <> 'cancelled') ORDER BY start, id",
		"SELECT " STORE_BK_COLUMNS " FROM booking"
		" WHERE gp = ?3 AND start >= ?1 AND start < ?2"
		" AND (?4 = 0 OR status <> 'cancelled') ORDER BY start, id",
	};
	struct store_booking b;
	sqlite3_stmt *st;
	int rc;

	if ((rc = store_read_prepare(s, sql[gp != NULL], &st)) != SQLITE_OK)
		return store_err_of(rc);
	sqlite3_bind_int64(st, 1, from);
	sqlite3_bind_int64(st, 2, to);
	if (gp != NULL)
		sqlite3_bind_text(st, 3, gp, -1, SQLITE_STATIC);
	sqlite3_bind_int(st, 4, live_only);
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		store_bk_row(st, &b);
		if (row(arg, &b) != 0) {
			rc = SQLITE_DONE;
			break;
		}
	}
	store_read_end(s, st);
	return store_err_of(rc);
}
