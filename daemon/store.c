/* The SQLite store: migrations, a writer thread with group commit, reads. */
#include "daemon/store.h"

#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "daemon/log.h"

/*
 * Schema steps, applied in order above PRAGMA user_version. A shipped step
 * is never edited, only followed by a new one.
 */
static const char *const store_migrations[] = {
	/* 1: the audit trail, append-only by construction. */
	"CREATE TABLE audit ("
	"  id INTEGER PRIMARY KEY,"
	"  at_utc INTEGER NOT NULL,"
	"  who TEXT NOT NULL,"
	"  what TEXT NOT NULL,"
	"  ref TEXT NOT NULL DEFAULT ''"
	");"
	"CREATE INDEX audit_at ON audit(at_utc);"
	"CREATE TRIGGER audit_no_update BEFORE UPDATE ON audit"
	"  BEGIN SELECT RAISE(ABORT, 'audit is append-only'); END;"
	"CREATE TRIGGER audit_no_delete BEFORE DELETE ON audit"
	"  BEGIN SELECT RAISE(ABORT, 'audit is append-only'); END;",
	/*
	 * 2: each GP's feed, its last good content (so that a restart with
	 * the source down still plans with it) and its fetch status.
	 */
	"CREATE TABLE feed ("
	"  gp TEXT PRIMARY KEY,"
	"  ics BLOB,"
	"  hash INTEGER NOT NULL DEFAULT 0,"
	"  etag TEXT,"
	"  last_modified TEXT,"
	"  good_utc INTEGER NOT NULL DEFAULT 0,"
	"  events INTEGER NOT NULL DEFAULT 0,"
	"  warnings INTEGER NOT NULL DEFAULT 0,"
	"  fetch_utc INTEGER NOT NULL DEFAULT 0,"
	"  ok_utc INTEGER NOT NULL DEFAULT 0,"
	"  failing_since_utc INTEGER NOT NULL DEFAULT 0,"
	"  error TEXT"
	");",
	/*
	 * 3: the plan. Per day its window and gaps; per day, sector and
	 * local hour the target (NULL: none) and what was reserved and
	 * covered; the reserved slots. Past days stay: indicators read them.
	 */
	"CREATE TABLE plan_day ("
	"  day INTEGER PRIMARY KEY,"
	"  win_start INTEGER NOT NULL,"
	"  win_end INTEGER NOT NULL,"
	"  gaps INTEGER NOT NULL,"
	"  planned_utc INTEGER NOT NULL"
	");"
	"CREATE TABLE plan_hour ("
	"  day INTEGER NOT NULL,"
	"  sector TEXT NOT NULL,"
	"  hour INTEGER NOT NULL,"
	"  target INTEGER,"
	"  reserved INTEGER NOT NULL,"
	"  covered INTEGER NOT NULL,"
	"  gap INTEGER NOT NULL,"
	"  PRIMARY KEY (day, sector, hour)"
	") WITHOUT ROWID;"
	"CREATE TABLE plan_slot ("
	"  gp TEXT NOT NULL,"
	"  start INTEGER NOT NULL,"
	"  end INTEGER NOT NULL,"
	"  day INTEGER NOT NULL,"
	"  PRIMARY KEY (gp, start)"
	") WITHOUT ROWID;"
	"CREATE INDEX plan_slot_day ON plan_slot(day);",
	/*
	 * 4: bookings. A slot (a GP and a start) has at most one live
	 * (booked or conflict) booking: the partial unique index makes a
	 * second one impossible whatever the daemon's memory says (reads
	 * use the plain (gp, start) index: their WHERE does not imply the
	 * partial one's). An idempotency key is unique per principal. Rows
	 * are never deleted: a purge blanks the patient data and keeps the
	 * row for the indicators.
	 */
	"CREATE TABLE booking ("
	"  id TEXT PRIMARY KEY,"
	"  slot TEXT NOT NULL,"
	"  gp TEXT NOT NULL,"
	"  sector TEXT NOT NULL,"
	"  start INTEGER NOT NULL,"
	"  end INTEGER NOT NULL,"
	"  status TEXT NOT NULL"
	"    CHECK (status IN ('booked', 'cancelled', 'conflict')),"
	"  modality TEXT NOT NULL,"
	"  idem_who TEXT NOT NULL,"
	"  idem_key TEXT NOT NULL,"
	"  patient_name TEXT,"
	"  patient_phone TEXT,"
	"  patient_birth_year INTEGER,"
	"  patient_commune TEXT,"
	"  reason TEXT,"
	"  created_at INTEGER NOT NULL,"
	"  created_by TEXT NOT NULL,"
	"  cancelled_at INTEGER,"
	"  cancelled_by TEXT,"
	"  cancel_reason TEXT,"
	"  conflict_at INTEGER,"
	"  conflict TEXT,"
	"  purged_at INTEGER"
	");"
	"CREATE UNIQUE INDEX booking_live_slot ON booking(gp, start)"
	"  WHERE status <> 'cancelled';"
	"CREATE UNIQUE INDEX booking_idem ON booking(idem_who, idem_key);"
	"CREATE INDEX booking_start ON booking(start);"
	"CREATE INDEX booking_gp_start ON booking(gp, start);"
	"CREATE TRIGGER booking_no_delete BEFORE DELETE ON booking"
	"  BEGIN SELECT RAISE(ABORT, 'bookings are never deleted'); END;"
	"CREATE TRIGGER booking_no_revive BEFORE UPDATE OF status ON booking"
	"  WHEN OLD.status = 'cancelled'"
	"  BEGIN SELECT RAISE(ABORT, 'a cancelled booking stays so'); END;",
	/*
	 * 5: teleconsultation on call. The rota's shifts (past ones stay:
	 * they are the history fairness counts), when each GP joined the
	 * roster, the nurses' requests and their append-only history.
	 */
	"CREATE TABLE rota_shift ("
	"  start INTEGER PRIMARY KEY,"
	"  end INTEGER NOT NULL,"
	"  weight REAL NOT NULL,"
	"  primary_gp TEXT,"
	"  backup_gp TEXT,"
	"  override INTEGER NOT NULL DEFAULT 0,"
	"  changed_at INTEGER NOT NULL,"
	"  changed_by TEXT NOT NULL"
	");"
	"CREATE TABLE rota_member ("
	"  gp TEXT PRIMARY KEY,"
	"  joined_at INTEGER NOT NULL"
	");"
	"CREATE TABLE tc_request ("
	"  id TEXT PRIMARY KEY,"
	"  state TEXT NOT NULL CHECK (state IN ('offered', 'accepted',"
	"    'done', 'cancelled', 'unanswered')),"
	"  stage TEXT NOT NULL,"
	"  urgency TEXT NOT NULL,"
	"  commune TEXT NOT NULL,"
	"  sector TEXT NOT NULL,"
	"  reason TEXT,"
	"  patient_name TEXT,"
	"  patient_birth_year INTEGER,"
	"  callback TEXT,"
	"  created_at INTEGER NOT NULL,"
	"  created_by TEXT NOT NULL,"
	"  offered_to TEXT NOT NULL,"
	"  declined TEXT NOT NULL,"
	"  deadline INTEGER,"
	"  accepted_by TEXT,"
	"  acked_at INTEGER,"
	"  done_at INTEGER,"
	"  outcome TEXT,"
	"  escalations INTEGER NOT NULL,"
	"  purged_at INTEGER"
	");"
	"CREATE INDEX tc_request_created ON tc_request(created_at);"
	"CREATE INDEX tc_request_live ON tc_request(state)"
	"  WHERE state IN ('offered', 'accepted');"
	"CREATE TRIGGER tc_request_no_delete BEFORE DELETE ON tc_request"
	"  BEGIN SELECT RAISE(ABORT, 'requests are never deleted'); END;"
	"CREATE TABLE tc_event ("
	"  id INTEGER PRIMARY KEY,"
	"  request TEXT NOT NULL,"
	"  at INTEGER NOT NULL,"
	"  event TEXT NOT NULL,"
	"  gp TEXT,"
	"  detail TEXT"
	");"
	"CREATE INDEX tc_event_request ON tc_event(request, id);"
	"CREATE TRIGGER tc_event_no_update BEFORE UPDATE ON tc_event"
	"  BEGIN SELECT RAISE(ABORT, 'tc_event is append-only'); END;"
	"CREATE TRIGGER tc_event_no_delete BEFORE DELETE ON tc_event"
	"  BEGIN SELECT RAISE(ABORT, 'tc_event is append-only'); END;",
	/*
	 * 6: the SNP time each GP offered each planned day (marked SNP, not
	 * busy, inside the window), stored with the plan: the indicators of
	 * a past month must not depend on today's agendas.
	 */
	"CREATE TABLE plan_offer ("
	"  day INTEGER NOT NULL,"
	"  gp TEXT NOT NULL,"
	"  offered_s INTEGER NOT NULL,"
	"  PRIMARY KEY (day, gp)"
	") WITHOUT ROWID;",
};
#define STORE_SCHEMA \
	((int)(sizeof(store_migrations) / sizeof(store_migrations[0])))

/* The writer's statements; SQL text constant, values always bound. */
static const char *const store_sql[ST_COUNT] = {
	[ST_AUDIT_ADD] = "INSERT INTO audit(at_utc, who, what, ref)"
	    " VALUES (?1, ?2, ?3, ?4)",
	[ST_FEED_GOOD] = "INSERT INTO feed(gp, ics, hash, etag, last_modified,"
	    " good_utc, events, warnings, fetch_utc, ok_utc,"
	    " failing_since_utc, error)"
	    " VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?6, ?6, 0, NULL)"
	    " ON CONFLICT(gp) DO UPDATE SET ics = ?2, hash = ?3, etag = ?4,"
	    " last_modified = ?5, good_utc = ?6, events = ?7, warnings = ?8,"
	    " fetch_utc = ?6, ok_utc = ?6, failing_since_utc = 0,"
	    " error = NULL",
	[ST_FEED_STATUS] = "INSERT INTO feed(gp, fetch_utc, ok_utc,"
	    " failing_since_utc, error, etag, last_modified)"
	    " VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)"
	    " ON CONFLICT(gp) DO UPDATE SET fetch_utc = ?2, ok_utc = ?3,"
	    " failing_since_utc = ?4, error = ?5,"
	    " etag = coalesce(?6, etag), last_modified = coalesce(?7,"
	    " last_modified)",
	[ST_PLAN_DAY] = "INSERT OR REPLACE INTO plan_day(day, win_start,"
	    " win_end, gaps, planned_utc) VALUES (?1, ?2, ?3, ?4, ?5)",
	[ST_PLAN_DEL_HOURS] = "DELETE FROM plan_hour WHERE day = ?1",
	[ST_PLAN_ADD_HOUR] = "INSERT INTO plan_hour(day, sector, hour,"
	    " target, reserved, covered, gap)"
	    " VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
	[ST_PLAN_DEL_SLOTS] = "DELETE FROM plan_slot WHERE day = ?1",
	[ST_PLAN_ADD_SLOT] = "INSERT INTO plan_slot(gp, start, end, day)"
	    " VALUES (?1, ?2, ?3, ?4)",
	[ST_PLAN_DEL_OFFER] = "DELETE FROM plan_offer WHERE day = ?1",
	[ST_PLAN_ADD_OFFER] = "INSERT INTO plan_offer(day, gp, offered_s)"
	    " VALUES (?1, ?2, ?3)",
	[ST_BK_ADD] = "INSERT INTO booking(id, slot, gp, sector, start, end,"
	    " status, modality, idem_who, idem_key, patient_name,"
	    " patient_phone, patient_birth_year, patient_commune, reason,"
	    " created_at, created_by) VALUES (?1, ?2, ?3, ?4, ?5, ?6,"
	    " 'booked', ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?8)",
	[ST_BK_CANCEL] = "UPDATE booking SET status = 'cancelled',"
	    " cancelled_at = ?2, cancelled_by = ?3, cancel_reason = ?4"
	    " WHERE id = ?1 AND status <> 'cancelled'",
	[ST_BK_CONFLICT] = "UPDATE booking SET status = 'conflict',"
	    " conflict_at = ?2, conflict = ?3"
	    " WHERE id = ?1 AND status = 'booked'",
	[ST_BK_PURGE_IDS] = "SELECT id FROM booking"
	    " WHERE start < ?1 AND end < ?1 AND purged_at IS NULL",
	[ST_BK_PURGE] = "UPDATE booking SET patient_name = NULL,"
	    " patient_phone = NULL, patient_birth_year = NULL,"
	    " patient_commune = NULL, reason = NULL, cancel_reason = NULL,"
	    " purged_at = ?2 WHERE id = ?1",
	[ST_ROTA_PUT] = "INSERT INTO rota_shift(start, end, weight,"
	    " primary_gp, backup_gp, override, changed_at, changed_by)"
	    " VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)"
	    " ON CONFLICT(start) DO UPDATE SET end = ?2, weight = ?3,"
	    " primary_gp = ?4, backup_gp = ?5, override = ?6,"
	    " changed_at = ?7, changed_by = ?8",
	[ST_ROTA_DEL] = "DELETE FROM rota_shift WHERE start = ?1",
	[ST_ROTA_JOIN] = "INSERT OR IGNORE INTO rota_member(gp, joined_at)"
	    " VALUES (?1, ?2)",
	[ST_TC_PUT] = "INSERT INTO tc_request(id, state, stage, urgency,"
	    " commune, sector, reason, patient_name, patient_birth_year,"
	    " callback, created_at, created_by, offered_to, declined,"
	    " deadline, accepted_by, acked_at, done_at, outcome,"
	    " escalations) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10,"
	    " ?11, ?12, ?13, ?14, ?15, ?16, ?17, ?18, ?19, ?20)"
	    " ON CONFLICT(id) DO UPDATE SET state = ?2, stage = ?3,"
	    " offered_to = ?13, declined = ?14, deadline = ?15,"
	    " accepted_by = ?16, acked_at = ?17, done_at = ?18,"
	    " outcome = ?19, escalations = ?20",
	[ST_TC_EVENT] = "INSERT INTO tc_event(request, at, event, gp, detail)"
	    " VALUES (?1, ?2, ?3, ?4, ?5)",
	[ST_TC_PURGE] = "UPDATE tc_request SET patient_name = NULL,"
	    " patient_birth_year = NULL, callback = NULL, reason = NULL,"
	    " outcome = NULL, purged_at = ?2"
	    " WHERE created_at < ?1 AND purged_at IS NULL"
	    " AND state NOT IN ('offered', 'accepted')",
};

static const char *const store_errs[STORE_ERR_COUNT] = {
#define X(code, msg) [code] = msg,
	STORE_ERRORS(X)
#undef X
};

struct store_job {
	store_write_fn		 fn;
	store_done_fn		 done;
	void			*arg;
	int			 err;	/* -1 while undecided */
	struct store_job	*next;
};

struct store {
	uv_loop_t		*loop;
	uv_async_t		 async;		/* "completions are ready" */
	uv_thread_t		 thread;
	uv_mutex_t		 mu;
	uv_cond_t		 cv;
	/* Under mu: */
	struct store_job	*queue, **queue_tail;	/* waiting for writer */
	struct store_job	*done, **done_tail;	/* waiting for loop */
	bool			 stopping;
	uint64_t		 writes, commits;
	/* Loop thread only: */
	bool			 closing;
	unsigned		 pending;
	sqlite3			*rdb;
	struct store_cached {
		const char	*sql;	/* a static text: compared by address */
		sqlite3_stmt	*st;
		bool		 busy;	/* handed out, not given back */
	}			 cached[STORE_READ_CACHED];
	int			 schema;
	/* Writer thread only (after open): */
	sqlite3			*wdb;
	sqlite3_stmt		*stmts[ST_COUNT];
};

const char *
store_strerror(int err)
{
	if (err < 0 || err >= STORE_ERR_COUNT)
		err = STORE_EOTHER;
	return store_errs[err];
}

int
store_err_of(int rc)
{
	switch (rc & 0xff) {
	case SQLITE_OK:
	case SQLITE_DONE:
	case SQLITE_ROW:
		return STORE_OK;
	case SQLITE_BUSY:
	case SQLITE_LOCKED:
		return STORE_EBUSY;
	case SQLITE_FULL:
		return STORE_EFULL;
	case SQLITE_IOERR:
	case SQLITE_CANTOPEN:
	case SQLITE_READONLY:
	case SQLITE_CORRUPT:
	case SQLITE_NOTADB:
		return STORE_EIO;
	case SQLITE_CONSTRAINT:
		return STORE_ECONSTRAINT;
	case SQLITE_NOMEM:
		return STORE_ENOMEM;
	default:
		return STORE_EOTHER;
	}
}

int
store_exec(sqlite3_stmt *st)
{
	int rc;

	while ((rc = sqlite3_step(st)) == SQLITE_ROW)
		;
	sqlite3_reset(st);
	sqlite3_clear_bindings(st);
	return store_err_of(rc);
}

/* Run SQL text without results; fills why on failure. */
static int
store_run(sqlite3 *db, const char *sql, char *why, size_t whylen)
{
	char *msg = NULL;
	int rc = sqlite3_exec(db, sql, NULL, NULL, &msg);

	if (rc != SQLITE_OK && why != NULL)
		snprintf(why, whylen, "%s", msg != NULL ? msg :
		    sqlite3_errstr(rc));
	sqlite3_free(msg);
	return rc;
}

static int
store_pragma_int(sqlite3 *db, const char *sql, int64_t *out)
{
	sqlite3_stmt *st;
	int rc;

	rc = sqlite3_prepare_v2(db, sql, -1, &st, NULL);
	if (rc != SQLITE_OK)
		return rc;
	rc = sqlite3_step(st);
	if (rc == SQLITE_ROW) {
		*out = sqlite3_column_int64(st, 0);
		rc = SQLITE_OK;
	}
	sqlite3_finalize(st);
	return rc;
}

/* Apply the migrations above user_version in one transaction. */
static int
store_migrate(sqlite3 *db, int *schema, char *why, size_t whylen)
{
	char sql[64];
	int64_t v = 0;
	int rc;

	rc = store_run(db, "BEGIN IMMEDIATE", why, whylen);
	if (rc != SQLITE_OK)
		return store_err_of(rc);
	rc = store_pragma_int(db, "PRAGMA user_version", &v);
	if (rc != SQLITE_OK) {
		snprintf(why, whylen, "user_version: %s", sqlite3_errstr(rc));
		goto fail;
	}
	if (v > STORE_SCHEMA) {
		snprintf(why, whylen, "schema version %lld is newer than this "
		    "snpd's %d: upgrade snpd", (long long)v, STORE_SCHEMA);
		store_run(db, "ROLLBACK", NULL, 0);
		return STORE_ENEWER;
	}
	for (int64_t step = v; step < STORE_SCHEMA; step++) {
		rc = store_run(db, store_migrations[step], why, whylen);
		if (rc != SQLITE_OK)
			goto fail;
	}
	snprintf(sql, sizeof(sql), "PRAGMA user_version = %d", STORE_SCHEMA);
	if ((rc = store_run(db, sql, why, whylen)) != SQLITE_OK ||
	    (rc = store_run(db, "COMMIT", why, whylen)) != SQLITE_OK)
		goto fail;
	if (v < STORE_SCHEMA)
		log_notice("store", "schema migrated from version %lld to %d",
		    (long long)v, STORE_SCHEMA);
	*schema = STORE_SCHEMA;
	return STORE_OK;
fail:
	store_run(db, "ROLLBACK", NULL, 0);
	return store_err_of(rc);
}

static int
store_open_writer(struct store *s, const struct store_opts *o, char *why,
    size_t whylen)
{
	char sql[64];
	const unsigned char *mode;
	sqlite3_stmt *st;
	int rc;

	rc = sqlite3_open_v2(o->path, &s->wdb, SQLITE_OPEN_READWRITE |
	    SQLITE_OPEN_CREATE | SQLITE_OPEN_EXRESCODE, NULL);
	if (rc != SQLITE_OK) {
		snprintf(why, whylen, "%s: %s", o->path, s->wdb != NULL ?
		    sqlite3_errmsg(s->wdb) : sqlite3_errstr(rc));
		return store_err_of(rc);
	}
	sqlite3_busy_timeout(s->wdb, o->busy_timeout_ms > 0 ?
	    o->busy_timeout_ms : 5000);

	/* journal_mode answers the mode it got: anything but wal is wrong. */
	rc = sqlite3_prepare_v2(s->wdb, "PRAGMA journal_mode=WAL", -1, &st,
	    NULL);
	if (rc == SQLITE_OK && sqlite3_step(st) == SQLITE_ROW) {
		mode = sqlite3_column_text(st, 0);
		if (mode == NULL || strcmp((const char *)mode, "wal") != 0)
			rc = SQLITE_ERROR;
	} else if (rc == SQLITE_OK)
		rc = sqlite3_errcode(s->wdb);
	sqlite3_finalize(st);
	if (rc != SQLITE_OK) {
		snprintf(why, whylen, "%s: cannot use WAL journal mode: %s",
		    o->path, sqlite3_errmsg(s->wdb));
		return store_err_of(rc) == STORE_OK ? STORE_EOTHER :
		    store_err_of(rc);
	}
	/* WAL with NORMAL may lose the last commits on power loss. */
	if ((rc = store_run(s->wdb, "PRAGMA synchronous=FULL", why,
	    whylen)) != SQLITE_OK ||
	    (rc = store_run(s->wdb, "PRAGMA foreign_keys=ON", why,
	    whylen)) != SQLITE_OK)
		return store_err_of(rc);
	if (o->max_pages > 0) {
		snprintf(sql, sizeof(sql), "PRAGMA max_page_count=%u",
		    o->max_pages);
		if ((rc = store_run(s->wdb, sql, why, whylen)) != SQLITE_OK)
			return store_err_of(rc);
	}
	rc = store_migrate(s->wdb, &s->schema, why, whylen);
	if (rc != STORE_OK)
		return rc;
	for (int i = 0; i < ST_COUNT; i++) {
		rc = sqlite3_prepare_v3(s->wdb, store_sql[i], -1,
		    SQLITE_PREPARE_PERSISTENT, &s->stmts[i], NULL);
		if (rc != SQLITE_OK) {
			snprintf(why, whylen, "statement %d: %s", i,
			    sqlite3_errmsg(s->wdb));
			return STORE_EOTHER;
		}
	}
	return STORE_OK;
}

static int
store_open_reader(struct store *s, const struct store_opts *o, char *why,
    size_t whylen)
{
	int rc;

	rc = sqlite3_open_v2(o->path, &s->rdb, SQLITE_OPEN_READONLY |
	    SQLITE_OPEN_EXRESCODE, NULL);
	if (rc != SQLITE_OK) {
		snprintf(why, whylen, "%s (read): %s", o->path,
		    s->rdb != NULL ? sqlite3_errmsg(s->rdb) :
		    sqlite3_errstr(rc));
		return store_err_of(rc);
	}
	/* Reads run on the loop thread: never wait long for a lock. */
	sqlite3_busy_timeout(s->rdb, 50);
	return STORE_OK;
}

/*
 * Commit one group of writes. Each job runs in its own savepoint so that a
 * failing job takes back only its changes. SQLite may roll back the whole
 * transaction on its own (SQLITE_FULL, IOERR, BUSY, NOMEM): the jobs that
 * had succeeded are then run again in a new transaction, without the one
 * that failed; each round decides at least one job, so this ends.
 */
static void
store_commit_group(struct store *s, struct store_job *group)
{
	struct store_tx tx = { s->wdb, s->stmts };
	struct store_job *j;
	int rc, err;

	for (j = group; j != NULL; j = j->next)
		j->err = -1;
again:
	rc = store_run(s->wdb, "BEGIN IMMEDIATE", NULL, 0);
	if (rc != SQLITE_OK)
		goto fail_all;
	for (j = group; j != NULL; j = j->next) {
		if (j->err != -1)
			continue;
		if ((rc = store_run(s->wdb, "SAVEPOINT job", NULL, 0)) !=
		    SQLITE_OK)
			goto fail_tx;
		err = j->fn(&tx, j->arg);
		if (err == STORE_OK) {
			store_run(s->wdb, "RELEASE job", NULL, 0);
			continue;
		}
		j->err = err;
		if (sqlite3_get_autocommit(s->wdb))
			goto again;	/* SQLite rolled everything back */
		store_run(s->wdb, "ROLLBACK TO job", NULL, 0);
		store_run(s->wdb, "RELEASE job", NULL, 0);
	}
	rc = store_run(s->wdb, "COMMIT", NULL, 0);
	if (rc != SQLITE_OK)
		goto fail_tx;
	for (j = group; j != NULL; j = j->next)
		if (j->err == -1)
			j->err = STORE_OK;
	return;
fail_tx:
	if (!sqlite3_get_autocommit(s->wdb))
		store_run(s->wdb, "ROLLBACK", NULL, 0);
fail_all:
	log_err("store", "commit: %s (%d)", sqlite3_errmsg(s->wdb),
	    sqlite3_extended_errcode(s->wdb));
	for (j = group; j != NULL; j = j->next)
		if (j->err == -1)
			j->err = store_err_of(rc) == STORE_OK ? STORE_EOTHER :
			    store_err_of(rc);
}

static void
store_writer_main(void *arg)
{
	struct store *s = arg;
	struct store_job *group;

	for (;;) {
		uv_mutex_lock(&s->mu);
		while (s->queue == NULL && !s->stopping)
			uv_cond_wait(&s->cv, &s->mu);
		group = s->queue;
		s->queue = NULL;
		s->queue_tail = &s->queue;
		uv_mutex_unlock(&s->mu);
		if (group == NULL)
			return;		/* stopping, and nothing left */

		/* Everything queued meanwhile shares this one fsync. */
		store_commit_group(s, group);

		uv_mutex_lock(&s->mu);
		s->commits++;
		*s->done_tail = group;
		s->writes++;
		while (group->next != NULL) {
			group = group->next;
			s->writes++;
		}
		s->done_tail = &group->next;
		uv_mutex_unlock(&s->mu);
		uv_async_send(&s->async);
	}
}

/* Loop thread: run the completions of committed groups. */
static void
store_deliver(uv_async_t *h)
{
	struct store *s = h->data;
	struct store_job *j, *next;

	uv_mutex_lock(&s->mu);
	j = s->done;
	s->done = NULL;
	s->done_tail = &s->done;
	uv_mutex_unlock(&s->mu);
	for (; j != NULL; j = next) {
		next = j->next;
		s->pending--;
		if (j->done != NULL)
			j->done(j->arg, j->err);
		free(j);
	}
}

static void
store_free(struct store *s)
{
	for (int i = 0; i < ST_COUNT; i++)
		sqlite3_finalize(s->stmts[i]);
	for (int i = 0; i < STORE_READ_CACHED; i++)
		sqlite3_finalize(s->cached[i].st);
	if (s->rdb != NULL && sqlite3_close(s->rdb) != SQLITE_OK)
		log_err("store", "close: a read statement was not finalized");
	/* The writer closes last: its close checkpoints the WAL. */
	if (s->wdb != NULL && sqlite3_close(s->wdb) != SQLITE_OK)
		log_err("store", "close: a statement was not finalized");
	uv_cond_destroy(&s->cv);
	uv_mutex_destroy(&s->mu);
	free(s);
}

static void
store_async_closed(uv_handle_t *h)
{
	store_free(h->data);
}

int
store_open(uv_loop_t *loop, const struct store_opts *opts,
    struct store **out, char *why, size_t whylen)
{
	struct store *s;
	int err;

	*out = NULL;
	s = calloc(1, sizeof(*s));
	if (s == NULL)
		return STORE_ENOMEM;
	s->loop = loop;
	s->queue_tail = &s->queue;
	s->done_tail = &s->done;
	if (uv_mutex_init(&s->mu) != 0) {
		free(s);
		return STORE_ENOMEM;
	}
	if (uv_cond_init(&s->cv) != 0) {
		uv_mutex_destroy(&s->mu);
		free(s);
		return STORE_ENOMEM;
	}
	if ((err = store_open_writer(s, opts, why, whylen)) != STORE_OK ||
	    (err = store_open_reader(s, opts, why, whylen)) != STORE_OK)
		goto fail;
	if (uv_async_init(loop, &s->async, store_deliver) != 0) {
		err = STORE_EOTHER;
		snprintf(why, whylen, "uv_async_init failed");
		goto fail;
	}
	s->async.data = s;
	if (uv_thread_create(&s->thread, store_writer_main, s) != 0) {
		snprintf(why, whylen, "cannot start the writer thread");
		/* The handle's memory must outlive its close: freed there. */
		uv_close((uv_handle_t *)&s->async, store_async_closed);
		return STORE_EOTHER;
	}
	*out = s;
	return STORE_OK;
fail:
	store_free(s);
	return err;
}

void
store_close(struct store *s)
{
	if (s == NULL || s->closing)
		return;
	s->closing = true;
	if (s->pending > 0)
		log_notice("store", "waiting for %u writes to finish",
		    s->pending);
	uv_mutex_lock(&s->mu);
	s->stopping = true;
	uv_cond_signal(&s->cv);
	uv_mutex_unlock(&s->mu);
	uv_thread_join(&s->thread);
	store_deliver(&s->async);	/* the last group's completions */
	uv_close((uv_handle_t *)&s->async, store_async_closed);
}

int
store_write(struct store *s, store_write_fn fn, store_done_fn done,
    void *arg)
{
	struct store_job *j;

	if (s->closing)
		return STORE_ECLOSED;
	j = calloc(1, sizeof(*j));
	if (j == NULL)
		return STORE_ENOMEM;
	j->fn = fn;
	j->done = done;
	j->arg = arg;
	s->pending++;
	uv_mutex_lock(&s->mu);
	*s->queue_tail = j;
	s->queue_tail = &j->next;
	uv_cond_signal(&s->cv);
	uv_mutex_unlock(&s->mu);
	return STORE_OK;
}

struct store_audit_job {
	struct store_audit	 a;
	store_done_fn		 done;
	void			*arg;
};

int
store_tx_audit(struct store_tx *tx, int64_t at, const char *who,
    const char *what, const char *ref)
{
	sqlite3_stmt *st = tx->stmts[ST_AUDIT_ADD];

	sqlite3_bind_int64(st, 1, at);
	sqlite3_bind_text(st, 2, who, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 3, what, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 4, ref, -1, SQLITE_STATIC);
	return store_exec(st);
}

static int
store_audit_fn(struct store_tx *tx, void *arg)
{
	struct store_audit_job *j = arg;

	return store_tx_audit(tx, j->a.at_utc, j->a.who, j->a.what, j->a.ref);
}

static void
store_audit_done(void *arg, int err)
{
	struct store_audit_job *j = arg;

	if (j->done != NULL)
		j->done(j->arg, err);
	free(j);
}

int
store_audit(struct store *s, const struct store_audit *a, store_done_fn done,
    void *arg)
{
	struct store_audit_job *j = malloc(sizeof(*j));
	int err;

	if (j == NULL)
		return STORE_ENOMEM;
	j->a = *a;
	j->done = done;
	j->arg = arg;
	err = store_write(s, store_audit_fn, store_audit_done, j);
	if (err != STORE_OK)
		free(j);
	return err;
}

sqlite3 *
store_reader(struct store *s)
{
	return s->rdb;
}

int
store_read_prepare(struct store *s, const char *sql, sqlite3_stmt **out)
{
	int i, rc;

	for (i = 0; i < STORE_READ_CACHED && s->cached[i].sql != NULL; i++)
		if (s->cached[i].sql == sql)
			break;
	if (i < STORE_READ_CACHED && s->cached[i].sql == sql &&
	    !s->cached[i].busy) {
		s->cached[i].busy = true;
		*out = s->cached[i].st;
		return SQLITE_OK;
	}
	if (i == STORE_READ_CACHED || s->cached[i].sql != NULL) {
		/*
		 * Full, or the same read nested in its own row callback: a
		 * one-off statement, finalized by store_read_end().
		 */
		return sqlite3_prepare_v2(s->rdb, sql, -1, out, NULL);
	}
	rc = sqlite3_prepare_v3(s->rdb, sql, -1, SQLITE_PREPARE_PERSISTENT,
	    out, NULL);
	if (rc == SQLITE_OK)
		s->cached[i] = (struct store_cached){ sql, *out, true };
	return rc;
}

void
store_read_end(struct store *s, sqlite3_stmt *st)
{
	for (int i = 0; i < STORE_READ_CACHED && s->cached[i].sql != NULL;
	    i++)
		if (s->cached[i].st == st) {
			sqlite3_reset(st);
			sqlite3_clear_bindings(st);
			s->cached[i].busy = false;
			return;
		}
	sqlite3_finalize(st);
}

int
store_schema_version(const struct store *s)
{
	return s->schema;
}

int64_t
store_size_bytes(struct store *s)
{
	int64_t pages = 0, size = 0;

	if (store_pragma_int(s->rdb, "PRAGMA page_count", &pages) !=
	    SQLITE_OK || store_pragma_int(s->rdb, "PRAGMA page_size",
	    &size) != SQLITE_OK)
		return -1;
	return pages * size;
}

void
store_stats(struct store *s, struct store_stats *out)
{
	out->pending = s->pending;
	uv_mutex_lock(&s->mu);
	out->writes = s->writes;
	out->commits = s->commits;
	uv_mutex_unlock(&s->mu);
}
