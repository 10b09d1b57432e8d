/* The on-call rota in the store: shifts as published, roster members. */
#include "daemon/store_rota.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

struct store_rota_job {
	struct store_rota_row	*rows;
	size_t			 n;
	char			**joins;
	size_t			 n_joins;
	int64_t			 at;
	char			 who[STORE_ROTA_GP_MAX];
	char			 what[32];
	store_done_fn		 done;
	void			*arg;
};

static void
store_rota_job_free(struct store_rota_job *j)
{
	for (size_t i = 0; i < j->n_joins; i++)
		free(j->joins[i]);
	free(j->joins);
	free(j->rows);
	free(j);
}

static void
store_rota_opt_text(sqlite3_stmt *st, int i, const char *v)
{
	if (v[0] != '\0')
		sqlite3_bind_text(st, i, v, -1, SQLITE_STATIC);
	else
		sqlite3_bind_null(st, i);
}

static int
store_rota_save_fn(struct store_tx *tx, void *arg)
{
	const struct store_rota_job *j = arg;
	sqlite3_stmt *st = tx->stmts[ST_ROTA_PUT];
	char ref[24] = "";
	struct tm tm;
	time_t t;
	int err = STORE_OK;

	for (size_t i = 0; i < j->n && err == STORE_OK; i++) {
		const struct store_rota_row *r = &j->rows[i];

		if (r->removed) {
			sqlite3_stmt *del = tx->stmts[ST_ROTA_DEL];

			sqlite3_bind_int64(del, 1, r->start);
			err = store_exec(del);
			continue;
		}
		sqlite3_bind_int64(st, 1, r->start);
		sqlite3_bind_int64(st, 2, r->end);
		sqlite3_bind_double(st, 3, r->weight);
		store_rota_opt_text(st, 4, r->primary);
		store_rota_opt_text(st, 5, r->backup);
		sqlite3_bind_int(st, 6, r->override);
		sqlite3_bind_int64(st, 7, r->changed_at);
		sqlite3_bind_text(st, 8, r->changed_by, -1, SQLITE_STATIC);
		err = store_exec(st);
	}
	st = tx->stmts[ST_ROTA_JOIN];
	for (size_t i = 0; i < j->n_joins && err == STORE_OK; i++) {
		sqlite3_bind_text(st, 1, j->joins[i], -1, SQLITE_STATIC);
		sqlite3_bind_int64(st, 2, j->at);
		err = store_exec(st);
	}
	if (err != STORE_OK || j->n == 0)
		return err;
	t = (time_t)j->rows[0].start;
	if (gmtime_r(&t, &tm) != NULL)
		strftime(ref, sizeof(ref), "%Y%m%dT%H%M%SZ", &tm);
	return store_tx_audit(tx, j->at, j->who, j->what, ref);
}

static void
store_rota_save_done(void *arg, int err)
{
	struct store_rota_job *j = arg;

	if (j->done != NULL)
		j->done(j->arg, err);
	store_rota_job_free(j);
}

int
store_rota_save(struct store *s, const struct store_rota_row *rows,
    size_t n, const char *const *joins, size_t n_joins, int64_t at,
    const char *who, const char *what, store_done_fn done, void *arg)
{
	struct store_rota_job *j = calloc(1, sizeof(*j));
	int err;

	if (j == NULL)
		return STORE_ENOMEM;
	if ((n > 0 && (j->rows = malloc(n * sizeof(*rows))) == NULL) ||
	    (n_joins > 0 && (j->joins = calloc(n_joins,
	    sizeof(*j->joins))) == NULL)) {
		store_rota_job_free(j);
		return STORE_ENOMEM;
	}
	if (n > 0)
		memcpy(j->rows, rows, n * sizeof(*rows));
	j->n = n;
	for (; j->n_joins < n_joins; j->n_joins++)
		if ((j->joins[j->n_joins] = strdup(joins[j->n_joins])) ==
		    NULL) {
			store_rota_job_free(j);
			return STORE_ENOMEM;
		}
	j->at = at;
	snprintf(j->who, sizeof(j->who), "%s", who);
	snprintf(j->what, sizeof(j->what), "%s", what);
	j->done = done;
	j->arg = arg;
	if ((err = store_write(s, store_rota_save_fn, store_rota_save_done,
	    j)) != STORE_OK)
		store_rota_job_free(j);
	return err;
}

static void
store_rota_col(sqlite3_stmt *st, int i, char *buf, size_t len)
{
	const unsigned char *t = sqlite3_column_text(st, i);

	snprintf(buf, len, "%s", t != NULL ? (const char *)t : "");
}

int
store_rota_each(struct store *s, int64_t from, int64_t to,
    store_rota_row_fn row, void *arg)
{
	static const char sql[] = "SELECT start, end, weight, primary_gp,"
	    " backup_gp, override, changed_at, changed_by FROM rota_shift"
	    " WHERE start >= ?1 AND start < ?2 ORDER BY start";
	struct store_rota_row r;
	sqlite3_stmt *st;
	int rc;

	if ((rc = store_read_prepare(s, sql, &st)) != SQLITE_OK)
		return store_err_of(rc);
	sqlite3_bind_int64(st, 1, from);
	sqlite3_bind_int64(st, 2, to);
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		memset(&r, 0, sizeof(r));
		r.start = sqlite3_column_int64(st, 0);
		r.end = sqlite3_column_int64(st, 1);
		r.weight = sqlite3_column_double(st, 2);
		store_rota_col(st, 3, r.primary, sizeof(r.primary));
		store_rota_col(st, 4, r.backup, sizeof(r.backup));
		r.override = sqlite3_column_int(st, 5) != 0;
		r.changed_at = sqlite3_column_int64(st, 6);
		store_rota_col(st, 7, r.changed_by, sizeof(r.changed_by));
		if (row(arg, &r) != 0) {
			rc = SQLITE_DONE;
			break;
		}
	}
	store_read_end(s, st);
	return store_err_of(rc);
}

int
store_rota_members(struct store *s, store_rota_member_fn fn, void *arg)
{
	static const char sql[] = "SELECT gp, joined_at FROM rota_member"
	    " ORDER BY gp";
	sqlite3_stmt *st;
	int rc;

	if ((rc = store_read_prepare(s, sql, &st)) != SQLITE_OK)
		return store_err_of(rc);
	while ((rc = sqlite3_step(st)) == SQLITE_ROW)
		if (fn(arg, (const char *)sqlite3_column_text(st, 0),
		    sqlite3_column_int64(st, 1)) != 0) {
			rc = SQLITE_DONE;
			break;
		}
	store_read_end(s, st);
	return store_err_of(rc);
}
