/* Teleconsultation requests in the store: each state, and its history. */
#include "daemon/store_tc.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct store_tc_job {
	struct store_tc		 r;
	char			*offered_to, *declined;
	struct store_tc_event	*ev;
	size_t			 n;
	char			 who[STORE_TC_WHO_MAX];
	char			 what[32];
	store_done_fn		 done;
	void			*arg;
};

static void
store_tc_job_free(struct store_tc_job *j)
{
	free(j->offered_to);
	free(j->declined);
	free(j->ev);
	free(j);
}

static void
store_tc_text(sqlite3_stmt *st, int i, const char *v)
{
	if (v != NULL && v[0] != '\0')
		sqlite3_bind_text(st, i, v, -1, SQLITE_STATIC);
	else
		sqlite3_bind_null(st, i);
}

static void
store_tc_time(sqlite3_stmt *st, int i, int64_t v)
{
	if (v != 0)
		sqlite3_bind_int64(st, i, v);
	else
		sqlite3_bind_null(st, i);
}

static int
store_tc_save_fn(struct store_tx *tx, void *arg)
{
	const struct store_tc_job *j = arg;
	const struct store_tc *r = &j->r;
	sqlite3_stmt *st = tx->stmts[ST_TC_PUT];
	int err;

	sqlite3_bind_text(st, 1, r->id, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 2, r->state, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 3, r->stage, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 4, r->urgency, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 5, r->commune, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 6, r->sector, -1, SQLITE_STATIC);
	store_tc_text(st, 7, r->reason);
	store_tc_text(st, 8, r->name);
	store_tc_time(st, 9, r->birth_year);
	store_tc_text(st, 10, r->callback);
	sqlite3_bind_int64(st, 11, r->created_at);
	sqlite3_bind_text(st, 12, r->created_by, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 13, j->offered_to, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 14, j->declined, -1, SQLITE_STATIC);
	store_tc_time(st, 15, r->deadline);
	store_tc_text(st, 16, r->accepted_by);
	store_tc_time(st, 17, r->acked_at);
	store_tc_time(st, 18, r->done_at);
	store_tc_text(st, 19, r->outcome);
	sqlite3_bind_int(st, 20, r->escalations);
	if ((err = store_exec(st)) != STORE_OK)
		return err;
	st = tx->stmts[ST_TC_EVENT];
	for (size_t i = 0; i < j->n; i++) {
		sqlite3_bind_text(st, 1, r->id, -1, SQLITE_STATIC);
		sqlite3_bind_int64(st, 2, j->ev[i].at);
		sqlite3_bind_text(st, 3, j->ev[i].event, -1, SQLITE_STATIC);
		store_tc_text(st, 4, j->ev[i].gp);
		store_tc_text(st, 5, j->ev[i].detail);
		if ((err = store_exec(st)) != STORE_OK)
			return err;
	}
	return store_tx_audit(tx, j->n > 0 ? j->ev[0].at : r->created_at,
	    j->who, j->what, r->id);
}

static void
store_tc_save_done(void *arg, int err)
{
	struct store_tc_job *j = arg;

	if (j->done != NULL)
		j->done(j->arg, err);
	store_tc_job_free(j);
}

int
store_tc_save(struct store *s, const struct store_tc *r,
    const struct store_tc_event *ev, size_t n, const char *who,
    const char *what, store_done_fn done, void *arg)
{
	struct store_tc_job *j = calloc(1, sizeof(*j));
	int err;

	if (j == NULL)
		return STORE_ENOMEM;
	j->r = *r;
	j->offered_to = strdup(r->offered_to != NULL ? r->offered_to : "");
	j->declined = strdup(r->declined != NULL ? r->declined : "");
	if (j->offered_to == NULL || j->declined == NULL || (n > 0 &&
	    (j->ev = malloc(n * sizeof(*ev))) == NULL)) {
		store_tc_job_free(j);
		return STORE_ENOMEM;
	}
	if (n > 0)
		memcpy(j->ev, ev, n * sizeof(*ev));
	j->n = n;
	j->r.offered_to = j->r.declined = NULL;
	snprintf(j->who, sizeof(j->who), "%s", who);
	snprintf(j->what, sizeof(j->what), "tc.%s", what);
	j->done = done;
	j->arg = arg;
	if ((err = store_write(s, store_tc_save_fn, store_tc_save_done,
	    j)) != STORE_OK)
		store_tc_job_free(j);
	return err;
}

/* The columns read, in this order, by store_tc_row(). */
#define STORE_TC_COLUMNS "id, state, stage, urgency, commune, sector,"	\
	" reason, patient_name, patient_birth_year, callback, created_at,"	\
	" created_by, offered_to, declined, deadline, accepted_by,"	\
	" acked_at, done_at, outcome, escalations"

static void
store_tc_col(sqlite3_stmt *st, int i, char *buf, size_t len)
{
	const unsigned char *t = sqlite3_column_text(st, i);

	snprintf(buf, len, "%s", t != NULL ? (const char *)t : "");
}

static void
store_tc_row(sqlite3_stmt *st, struct store_tc *r)
{
	const unsigned char *t;

	memset(r, 0, sizeof(*r));
	store_tc_col(st, 0, r->id, sizeof(r->id));
	store_tc_col(st, 1, r->state, sizeof(r->state));
	store_tc_col(st, 2, r->stage, sizeof(r->stage));
	store_tc_col(st, 3, r->urgency, sizeof(r->urgency));
	store_tc_col(st, 4, r->commune, sizeof(r->commune));
	store_tc_col(st, 5, r->sector, sizeof(r->sector));
	store_tc_col(st, 6, r->reason, sizeof(r->reason));
	r->has_patient = sqlite3_column_type(st, 7) != SQLITE_NULL;
	store_tc_col(st, 7, r->name, sizeof(r->name));
	r->birth_year = sqlite3_column_int(st, 8);
	store_tc_col(st, 9, r->callback, sizeof(r->callback));
	r->created_at = sqlite3_column_int64(st, 10);
	store_tc_col(st, 11, r->created_by, sizeof(r->created_by));
	t = sqlite3_column_text(st, 12);
	r->offered_to = t != NULL ? (const char *)t : "";
	t = sqlite3_column_text(st, 13);
	r->declined = t != NULL ? (const char *)t : "";
	r->deadline = sqlite3_column_int64(st, 14);
	store_tc_col(st, 15, r->accepted_by, sizeof(r->accepted_by));
	r->acked_at = sqlite3_column_int64(st, 16);
	r->done_at = sqlite3_column_int64(st, 17);
	store_tc_col(st, 18, r->outcome, sizeof(r->outcome));
	r->escalations = sqlite3_column_int(st, 19);
}

static int
store_tc_run(struct store *s, const char *sql, const char *id, int64_t from,
    int64_t to, store_tc_row_fn row, void *arg, bool *found)
{
	struct store_tc r;
	sqlite3_stmt *st;
	int rc;

	if (found != NULL)
		*found = false;
	if ((rc = store_read_prepare(s, sql, &st)) != SQLITE_OK)
		return store_err_of(rc);
	if (id != NULL)
		sqlite3_bind_text(st, 1, id, -1, SQLITE_STATIC);
	else {
		sqlite3_bind_int64(st, 1, from);
		sqlite3_bind_int64(st, 2, to);
	}
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		store_tc_row(st, &r);
		if (found != NULL)
			*found = true;
		if (row(arg, &r) != 0) {
			rc = SQLITE_DONE;
			break;
		}
	}
	store_read_end(s, st);
	return store_err_of(rc);
}

int
store_tc_get(struct store *s, const char *id, store_tc_row_fn row,
    void *arg, bool *found)
{
	static const char sql[] = "SELECT " STORE_TC_COLUMNS
	    " FROM tc_request WHERE id = ?1";

	return store_tc_run(s, sql, id, 0, 0, row, arg, found);
}

int
store_tc_each(struct store *s, int64_t from, int64_t to, bool live_only,
    store_tc_row_fn row, void *arg)
{
	static const char all[] = "SELECT " STORE_TC_COLUMNS
	    " FROM tc_request WHERE created_at >= ?1 AND created_at < ?2"
	    " ORDER BY created_at, id";
	static const char live[] = "SELECT " STORE_TC_COLUMNS
	    " FROM tc_request WHERE state IN ('offered', 'accepted')"
	    " AND created_at >= ?1 AND created_at < ?2"
	    " ORDER BY created_at, id";

	return store_tc_run(s, live_only ? live : all, NULL, from, to, row,
	    arg, NULL);
}

int
store_tc_history(struct store *s, const char *id, store_tc_event_fn fn,
    void *arg)
{
	static const char sql[] = "SELECT at, event, gp, detail FROM tc_event"
	    " WHERE request = ?1 ORDER BY id";
	struct store_tc_event e;
	sqlite3_stmt *st;
	int rc;

	if ((rc = store_read_prepare(s, sql, &st)) != SQLITE_OK)
		return store_err_of(rc);
	sqlite3_bind_text(st, 1, id, -1, SQLITE_STATIC);
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		memset(&e, 0, sizeof(e));
		e.at = sqlite3_column_int64(st, 0);
		store_tc_col(st, 1, e.event, sizeof(e.event));
		store_tc_col(st, 2, e.gp, sizeof(e.gp));
		store_tc_col(st, 3, e.detail, sizeof(e.detail));
		if (fn(arg, &e) != 0) {
			rc = SQLITE_DONE;
			break;
		}
	}
	store_read_end(s, st);
	return store_err_of(rc);
}
