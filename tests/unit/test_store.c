/* The store: migrations, group commit, failures confined to their write. */
#include <setjmp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "daemon/store.h"
#include "daemon/store_booking.h"
#include "daemon/store_plan.h"

struct fixture {
	char		 dir[64];
	char		 path[96];
	uv_loop_t	 loop;
	uv_timer_t	 deadline;
	bool		 is_late;
	struct store	*s;
};

/* A write's outcome, filled on the loop thread by its completion. */
struct outcome {
	bool	is_done;
	int	err;
	size_t	blob_bytes;	/* for blob_fn: how much to insert */
};

static void
on_done(void *arg, int err)
{
	struct outcome *o = arg;

	o->is_done = true;
	o->err = err;
}

static void
on_deadline(uv_timer_t *t)
{
	struct fixture *f = t->data;

	f->is_late = true;
}

/* Run the loop until every outcome is done, or fail after 10 s. */
static void
run_until_done(struct fixture *f, struct outcome *o, size_t n)
{
	f->is_late = false;
	uv_timer_start(&f->deadline, on_deadline, 10000, 0);
	for (;;) {
		size_t done = 0;

		for (size_t i = 0; i < n; i++)
			done += o[i].is_done;
		if (done == n)
			break;
		if (f->is_late)
			fail_msg("only %zu of %zu writes completed in 10 s",
			    done, n);
		uv_run(&f->loop, UV_RUN_ONCE);
	}
	uv_timer_stop(&f->deadline);
}

static void
open_store(struct fixture *f, unsigned max_pages)
{
	struct store_opts o = { .path = f->path, .max_pages = max_pages };
	char why[256] = "";

	if (store_open(&f->loop, &o, &f->s, why, sizeof(why)) != STORE_OK)
		fail_msg("store_open: %s", why);
}

static void
close_store(struct fixture *f)
{
	store_close(f->s);
	f->s = NULL;
	uv_run(&f->loop, UV_RUN_NOWAIT);	/* the async handle's close */
}

static int
setup(void **state)
{
	struct fixture *f = calloc(1, sizeof(*f));

	snprintf(f->dir, sizeof(f->dir), "/tmp/snpd-test-store-XXXXXX");
	assert_non_null(mkdtemp(f->dir));
	snprintf(f->path, sizeof(f->path), "%s/snpd.db", f->dir);
	assert_int_equal(uv_loop_init(&f->loop), 0);
	uv_timer_init(&f->loop, &f->deadline);
	f->deadline.data = f;
	*state = f;
	return 0;
}

static int
teardown(void **state)
{
	struct fixture *f = *state;
	char p[128];

	if (f->s != NULL)
		close_store(f);
	uv_close((uv_handle_t *)&f->deadline, NULL);
	uv_run(&f->loop, UV_RUN_DEFAULT);
	/* Every handle closed: a leak here would make this fail. */
	assert_int_equal(uv_loop_close(&f->loop), 0);
	for (const char *sfx = ""; sfx != NULL;
	    sfx = *sfx == '\0' ? "-wal" : strcmp(sfx, "-wal") == 0 ? "-shm" :
	    NULL) {
		snprintf(p, sizeof(p), "%s%s", f->path, sfx);
		unlink(p);
	}
	rmdir(f->dir);
	free(f);
	return 0;
}

/* One-shot query on the read connection. */
static int64_t
count_rows(struct fixture *f, const char *sql)
{
	sqlite3_stmt *st;
	int64_t n = -1;

	assert_int_equal(sqlite3_prepare_v2(store_reader(f->s), sql, -1, &st,
	    NULL), SQLITE_OK);
	if (sqlite3_step(st) == SQLITE_ROW)
		n = sqlite3_column_int64(st, 0);
	sqlite3_finalize(st);
	return n;
}

static void
add_audit(struct fixture *f, const char *what, struct outcome *o)
{
	struct store_audit a = { .at_utc = 1700000000 };

	snprintf(a.who, sizeof(a.who), "test");
	snprintf(a.what, sizeof(a.what), "%s", what);
	assert_int_equal(store_audit(f->s, &a, on_done, o), STORE_OK);
}

/* A fresh database gets the current schema, WAL and a durable sync. */
static void
test_store_open_migrates(void **state)
{
	struct fixture *f = *state;
	sqlite3 *db;
	sqlite3_stmt *st;

	open_store(f, 0);
	assert_int_equal(store_schema_version(f->s), 6);
	assert_int_equal(count_rows(f, "PRAGMA user_version"), 6);
	close_store(f);

	/* The journal mode is persistent: read it back from outside. */
	assert_int_equal(sqlite3_open(f->path, &db), SQLITE_OK);
	assert_int_equal(sqlite3_prepare_v2(db, "PRAGMA journal_mode", -1,
	    &st, NULL), SQLITE_OK);
	assert_int_equal(sqlite3_step(st), SQLITE_ROW);
	assert_string_equal((const char *)sqlite3_column_text(st, 0), "wal");
	sqlite3_finalize(st);
	sqlite3_close(db);

	/* Reopening applies nothing twice. */
	open_store(f, 0);
	assert_int_equal(store_schema_version(f->s), 6);
}

/* A database from a newer snpd is refused, not downgraded. */
static void
test_store_refuses_newer_schema(void **state)
{
	struct fixture *f = *state;
	struct store_opts o = { .path = f->path };
	char why[256] = "";
	sqlite3 *db;

	assert_int_equal(sqlite3_open(f->path, &db), SQLITE_OK);
	assert_int_equal(sqlite3_exec(db, "PRAGMA user_version = 99", NULL,
	    NULL, NULL), SQLITE_OK);
	sqlite3_close(db);
	assert_int_equal(store_open(&f->loop, &o, &f->s, why, sizeof(why)),
	    STORE_ENEWER);
	assert_null(f->s);
	assert_non_null(strstr(why, "newer"));
}

/*
 * Writes queued while the writer is held up share one commit: with the
 * database locked by another connection, 100 writes take at most two
 * commits (the one the writer had already taken, then all the rest).
 */
static void
test_store_group_commit(void **state)
{
	struct fixture *f = *state;
	struct outcome o[100];
	struct store_stats st;
	sqlite3 *blocker;

	memset(o, 0, sizeof(o));
	open_store(f, 0);
	assert_int_equal(sqlite3_open(f->path, &blocker), SQLITE_OK);
	assert_int_equal(sqlite3_exec(blocker, "BEGIN IMMEDIATE", NULL, NULL,
	    NULL), SQLITE_OK);
	for (int i = 0; i < 100; i++)
		add_audit(f, "test.group", &o[i]);
	assert_int_equal(sqlite3_exec(blocker, "COMMIT", NULL, NULL, NULL),
	    SQLITE_OK);
	sqlite3_close(blocker);
	run_until_done(f, o, 100);
	for (int i = 0; i < 100; i++)
		assert_int_equal(o[i].err, STORE_OK);
	store_stats(f->s, &st);
	assert_int_equal(st.writes, 100);
	assert_in_range(st.commits, 1, 2);
	assert_int_equal(st.pending, 0);
	assert_int_equal(count_rows(f,
	    "SELECT count(*) FROM audit WHERE what = 'test.group'"), 100);
}

/* A write that fails takes back only its own changes, not its group's. */
static int
write_then_fail(struct store_tx *tx, void *arg)
{
	(void)arg;
	sqlite3_exec(tx->db, "INSERT INTO audit(at_utc, who, what) VALUES "
	    "(1, 'test', 'test.doomed')", NULL, NULL, NULL);
	/* The append-only trigger refuses this: a constraint error. */
	return store_err_of(sqlite3_exec(tx->db, "UPDATE audit SET who = 'x'",
	    NULL, NULL, NULL));
}

static void
test_store_failure_confined(void **state)
{
	struct fixture *f = *state;
	struct outcome o[3];

	memset(o, 0, sizeof(o));
	open_store(f, 0);
	add_audit(f, "test.before", &o[0]);
	assert_int_equal(store_write(f->s, write_then_fail, on_done, &o[1]),
	    STORE_OK);
	add_audit(f, "test.after", &o[2]);
	run_until_done(f, o, 3);
	assert_int_equal(o[0].err, STORE_OK);
	assert_int_equal(o[1].err, STORE_ECONSTRAINT);
	assert_int_equal(o[2].err, STORE_OK);
	assert_int_equal(count_rows(f,
	    "SELECT count(*) FROM audit WHERE what LIKE 'test.%'"), 2);
	assert_int_equal(count_rows(f,
	    "SELECT count(*) FROM audit WHERE what = 'test.doomed'"), 0);
}

/* Insert o->blob_bytes of zeros into a scratch table. */
static int
blob_fn(struct store_tx *tx, void *arg)
{
	struct outcome *o = arg;
	sqlite3_stmt *st;
	int rc;

	sqlite3_exec(tx->db, "CREATE TABLE IF NOT EXISTS scratch(b BLOB)",
	    NULL, NULL, NULL);
	rc = sqlite3_prepare_v2(tx->db, "INSERT INTO scratch VALUES (?1)", -1,
	    &st, NULL);
	if (rc != SQLITE_OK)
		return store_err_of(rc);
	sqlite3_bind_zeroblob(st, 1, (int)o->blob_bytes);
	rc = sqlite3_step(st);
	sqlite3_finalize(st);
	return store_err_of(rc);
}

/*
 * A full disk fails the write that does not fit, with STORE_EFULL; the
 * small writes queued with it still commit, and the store keeps serving.
 */
static void
test_store_disk_full(void **state)
{
	struct fixture *f = *state;
	struct outcome o[4];

	memset(o, 0, sizeof(o));
	open_store(f, 64);	/* 64 pages of 4 KiB: about 256 KiB */
	o[0].blob_bytes = 1000;
	o[1].blob_bytes = 4 << 20;	/* never fits */
	o[2].blob_bytes = 1000;
	for (int i = 0; i < 3; i++)
		assert_int_equal(store_write(f->s, blob_fn, on_done, &o[i]),
		    STORE_OK);
	run_until_done(f, o, 3);
	assert_int_equal(o[0].err, STORE_OK);
	assert_int_equal(o[1].err, STORE_EFULL);
	assert_int_equal(o[2].err, STORE_OK);
	assert_int_equal(count_rows(f, "SELECT count(*) FROM scratch"), 2);

	/* Later writes still work. */
	add_audit(f, "test.after-full", &o[3]);
	run_until_done(f, &o[3], 1);
	assert_int_equal(o[3].err, STORE_OK);
}

/* Closing finishes the queued writes and runs their completions. */
static void
test_store_close_flushes(void **state)
{
	struct fixture *f = *state;
	struct outcome o[20];
	sqlite3 *db;
	sqlite3_stmt *st;

	memset(o, 0, sizeof(o));
	open_store(f, 0);
	for (int i = 0; i < 20; i++)
		add_audit(f, "test.close", &o[i]);
	close_store(f);
	for (int i = 0; i < 20; i++) {
		assert_true(o[i].is_done);
		assert_int_equal(o[i].err, STORE_OK);
	}
	assert_int_equal(sqlite3_open(f->path, &db), SQLITE_OK);
	assert_int_equal(sqlite3_prepare_v2(db, "SELECT count(*) FROM audit "
	    "WHERE what = 'test.close'", -1, &st, NULL), SQLITE_OK);
	assert_int_equal(sqlite3_step(st), SQLITE_ROW);
	assert_int_equal(sqlite3_column_int(st, 0), 20);
	sqlite3_finalize(st);
	sqlite3_close(db);
}

/*
 * store_plan_save's done gets the write itself as its argument: mark o
 * done when it comes. One save in flight at a time.
 */
static struct outcome *plan_outcome;

static void
on_plan_done(void *arg, int err)
{
	(void)arg;
	plan_outcome->is_done = true;
	plan_outcome->err = err;
}

static void
run_plan_save(struct fixture *f, struct outcome *o)
{
	run_until_done(f, o, 1);
	assert_int_equal(o->err, STORE_OK);
}
/* What store_plan_load reads back, counted and summed. */
struct plan_seen {
	int	days, hours, slots;
	int64_t	win_start;
	int	gaps, null_targets, target_sum;
	char	first_gp[16];
	int64_t	first_start;
};

static void
seen_day(void *arg, int64_t day, int64_t win_start, int64_t win_end,
    int n_gap, int64_t planned_utc)
{
	struct plan_seen *p = arg;

	(void)day;
	(void)win_end;
	(void)planned_utc;
	p->days++;
	p->win_start = win_start;
	p->gaps += n_gap;
}

static void
seen_hour(void *arg, int64_t day, const char *sector, int hour, int target,
    int reserved, int covered, int gap)
{
	struct plan_seen *p = arg;

	(void)day;
	(void)sector;
	(void)hour;
	(void)reserved;
	(void)covered;
	(void)gap;
	p->hours++;
	if (target == PLAN_NO_TARGET)
		p->null_targets++;
	else
		p->target_sum += target;
}

static void
seen_slot(void *arg, const char *gp, int64_t start, int64_t end,
    int64_t day)
{
	struct plan_seen *p = arg;

	(void)end;
	(void)day;
	if (p->slots++ == 0) {
		snprintf(p->first_gp, sizeof(p->first_gp), "%s", gp);
		p->first_start = start;
	}
}

/* A day's plan stored, replaced whole by a second save, read back. */
static void
test_store_plan_roundtrip(void **state)
{
	struct fixture *f = *state;
	char *gps[] = { "gp-a", "gp-b" }, *secs[] = { "s1", "s2" };
	int16_t target[2 * PLAN_HOURS], zero[2 * PLAN_HOURS] = { 0 };
	struct plan_res slots[] = {
		{ .gp = 0, .start = 1000, .end = 1900 },
		{ .gp = 1, .start = 1000, .end = 1900 },
		{ .gp = 1, .start = 1900, .end = 2800 },
	};
	struct store_plan_day day = {
		.day = 100, .win_start = 1000, .win_end = 22600,
		.n_gap = 3, .hour_from = 14, .hour_to = 20, .target = target,
		.reserved = zero, .covered = zero, .gap = zero,
		.slots = slots, .n_slots = 3,
	};
	int32_t offered[2] = { 3600, 0 };
	struct store_plan_write w = { .gp_ids = gps, .n_gps = 2,
	    .sector_ids = secs, .n_sectors = 2, .days = &day, .n_days = 1 };
	struct store_plan_loader l = { .day = seen_day, .hour = seen_hour,
	    .slot = seen_slot };
	struct plan_seen seen = { 0 };
	struct outcome o[2] = { { 0 } };

	for (int i = 0; i < 2 * PLAN_HOURS; i++)
		target[i] = i < PLAN_HOURS ? 2 : PLAN_NO_TARGET;
	open_store(f, 0);
	plan_outcome = &o[0];
	assert_int_equal(store_plan_save(f->s, &w, on_plan_done), STORE_OK);
	run_plan_save(f, &o[0]);
	day.offered_s = offered;
	/* The same day again, one slot fewer: it replaces, never adds. */
	day.n_slots = 2;
	day.slots = &slots[1];
	plan_outcome = &o[1];
	assert_int_equal(store_plan_save(f->s, &w, on_plan_done), STORE_OK);
	run_plan_save(f, &o[1]);
	l.arg = &seen;
	assert_int_equal(store_plan_load(f->s, 100, &l), STORE_OK);
	assert_int_equal(seen.days, 1);
	assert_int_equal(seen.win_start, 1000);
	assert_int_equal(seen.gaps, 3);
	assert_int_equal(seen.hours, 2 * 6);
	assert_int_equal(seen.null_targets, 6);
	assert_int_equal(seen.target_sum, 6 * 2);
	assert_int_equal(seen.slots, 2);
	assert_string_equal(seen.first_gp, "gp-b");
	assert_int_equal(seen.first_start, 1000);
	/* What each GP offered: kept when given, a GP at 0 not written. */
	assert_int_equal(count_rows(f, "SELECT count(*) FROM plan_offer"), 1);
	assert_int_equal(count_rows(f, "SELECT offered_s FROM plan_offer"
	    " WHERE day = 100 AND gp = 'gp-a'"), 3600);
	/* Days before from_day are not read. */
	memset(&seen, 0, sizeof(seen));
	assert_int_equal(store_plan_load(f->s, 101, &l), STORE_OK);
	assert_int_equal(seen.days + seen.hours + seen.slots, 0);
}

/* A booking write and its outcome: the store hands the booking back. */
struct bk_write {
	struct store_booking	b;	/* first: the store's arg */
	struct outcome		o;
};

static void
on_bk_done(void *arg, int err)
{
	struct bk_write *w = arg;

	w->o.is_done = true;
	w->o.err = err;
}

static void
bk_fill(struct bk_write *w, const char *slot, const char *key)
{
	memset(w, 0, sizeof(*w));
	snprintf(w->b.id, sizeof(w->b.id), "b-%s", key);
	snprintf(w->b.slot, sizeof(w->b.slot), "%s", slot);
	snprintf(w->b.gp, sizeof(w->b.gp), "gp-a");
	snprintf(w->b.sector, sizeof(w->b.sector), "nord");
	w->b.start = 1000;
	w->b.end = 1900;
	snprintf(w->b.modality, sizeof(w->b.modality), "in_person");
	snprintf(w->b.who, sizeof(w->b.who), "secr");
	snprintf(w->b.key, sizeof(w->b.key), "%s", key);
	snprintf(w->b.name, sizeof(w->b.name), "Jean Dupont");
	w->b.created_at = 500;
}

static void
bk_run(struct fixture *f, struct bk_write *w, size_t n)
{
	struct outcome *o[8];

	assert_true(n <= 8);
	f->is_late = false;
	uv_timer_start(&f->deadline, on_deadline, 10000, 0);
	for (size_t i = 0; i < n; i++)
		o[i] = &w[i].o;
	for (;;) {
		size_t done = 0;

		for (size_t i = 0; i < n; i++)
			done += o[i]->is_done;
		if (done == n)
			break;
		if (f->is_late)
			fail_msg("booking writes not done in 10 s");
		uv_run(&f->loop, UV_RUN_ONCE);
	}
	uv_timer_stop(&f->deadline);
}

static int
bk_count_row(void *arg, const struct store_booking *b)
{
	(void)b;
	(*(int *)arg)++;
	return 0;
}

/* Another connection trying what the daemon never does: must fail. */
static int
bk_raw(struct fixture *f, const char *sql)
{
	sqlite3 *db;
	int rc;

	assert_int_equal(sqlite3_open(f->path, &db), SQLITE_OK);
	rc = sqlite3_exec(db, sql, NULL, NULL, NULL);
	sqlite3_close(db);
	return rc;
}

/*
 * A slot has one live booking at most, by the store's own constraint: a
 * second create in the same group commit fails alone; a key is used once
 * per principal; a cancelled booking frees the slot and stays cancelled;
 * rows are never deleted; the purge blanks the patient and audits it.
 */
static void
test_store_booking_unique(void **state)
{
	struct fixture *f = *state;
	struct bk_write w[4];
	struct store_booking got;
	bool found = false;
	int live = 0;

	open_store(f, 0);
	bk_fill(&w[0], "gp-a/19700101T001640Z", "k1");
	bk_fill(&w[1], "gp-a/19700101T001640Z", "k2");
	bk_fill(&w[2], "gp-a/19700101T003000Z", "k1");
	w[2].b.id[2] = 'X';		/* another id, the same key */
	w[2].b.start = 1800;		/* and another slot */
	for (int i = 0; i < 3; i++)
		assert_int_equal(store_booking_create(f->s, &w[i].b,
		    on_bk_done), STORE_OK);
	bk_run(f, w, 3);
	assert_int_equal(w[0].o.err, STORE_OK);
	assert_int_equal(w[1].o.err, STORE_ECONSTRAINT);
	assert_int_equal(w[2].o.err, STORE_ECONSTRAINT);
	assert_int_equal(count_rows(f, "SELECT count(*) FROM booking"), 1);

	/* Cancel frees the slot; a second cancel finds nothing to do. */
	w[0].o.is_done = false;
	w[0].b.cancelled_at = 600;
	snprintf(w[0].b.cancelled_by, sizeof(w[0].b.cancelled_by), "secr");
	assert_int_equal(store_booking_cancel(f->s, &w[0].b, on_bk_done),
	    STORE_OK);
	bk_run(f, w, 1);
	assert_int_equal(w[0].o.err, STORE_OK);
	w[0].o.is_done = false;
	assert_int_equal(store_booking_cancel(f->s, &w[0].b, on_bk_done),
	    STORE_OK);
	bk_run(f, w, 1);
	assert_int_equal(w[0].o.err, STORE_ECONSTRAINT);

	bk_fill(&w[3], "gp-a/19700101T001640Z", "k3");
	assert_int_equal(store_booking_create(f->s, &w[3].b, on_bk_done),
	    STORE_OK);
	bk_run(f, &w[3], 1);
	assert_int_equal(w[3].o.err, STORE_OK);
	w[3].o.is_done = false;
	w[3].b.conflict_at = 700;
	snprintf(w[3].b.conflict, sizeof(w[3].b.conflict), "busy");
	assert_int_equal(store_booking_conflict(f->s, &w[3].b, on_bk_done),
	    STORE_OK);
	bk_run(f, &w[3], 1);
	assert_int_equal(w[3].o.err, STORE_OK);

	assert_int_equal(store_booking_get(f->s, "b-k3", &got, &found),
	    STORE_OK);
	assert_true(found);
	assert_int_equal(got.status, STORE_BK_CONFLICT);
	assert_string_equal(got.conflict, "busy");
	assert_string_equal(got.name, "Jean Dupont");
	assert_int_equal(store_booking_by_key(f->s, "secr", "k1", &got,
	    &found), STORE_OK);
	assert_true(found);
	assert_string_equal(got.id, "b-k1");
	assert_int_equal(got.status, STORE_BK_CANCELLED);
	assert_int_equal(store_booking_each(f->s, 0, 5000, "gp-a", true,
	    bk_count_row, &live), STORE_OK);
	assert_int_equal(live, 1);

	/* Nobody deletes a booking or brings a cancelled one back. */
	assert_int_not_equal(bk_raw(f, "DELETE FROM booking"), SQLITE_OK);
	assert_int_not_equal(bk_raw(f, "UPDATE booking SET status = 'booked'"
	    " WHERE id = 'b-k1'"), SQLITE_OK);

	/* Both ended before 2000: blanked, one audit row each, rows kept. */
	w[0].o.is_done = false;
	assert_int_equal(store_booking_purge(f->s, 2000, 2100, on_done,
	    &w[0].o), STORE_OK);
	bk_run(f, w, 1);
	assert_int_equal(w[0].o.err, STORE_OK);
	assert_int_equal(count_rows(f, "SELECT count(*) FROM booking WHERE"
	    " patient_name IS NULL AND purged_at = 2100"), 2);
	assert_int_equal(count_rows(f, "SELECT count(*) FROM audit WHERE"
	    " what = 'booking.purge'"), 2);
	assert_int_equal(count_rows(f, "SELECT count(*) FROM audit WHERE"
	    " what LIKE 'booking.%'"), 6);
	assert_int_equal(store_booking_get(f->s, "b-k3", &got, &found),
	    STORE_OK);
	assert_false(got.has_patient);
	assert_int_equal(got.status, STORE_BK_CONFLICT);
}

/*
 * The query plan of the store's own statement whose text contains
 * needle, as prepared and kept by the reader connection: its details
 * joined, so that a test sees which indexes it uses.
 */
static void
reader_plan(struct fixture *f, const char *needle, char *out, size_t len)
{
	sqlite3 *db = store_reader(f->s);
	sqlite3_stmt *st = NULL, *eqp;
	char *sql;
	size_t n = 0;

	while ((st = sqlite3_next_stmt(db, st)) != NULL)
		if (strstr(sqlite3_sql(st), needle) != NULL)
			break;
	assert_non_null(st);
	assert_non_null(sql = sqlite3_mprintf("EXPLAIN QUERY PLAN %s",
	    sqlite3_sql(st)));
	assert_int_equal(sqlite3_prepare_v2(db, sql, -1, &eqp, NULL),
	    SQLITE_OK);
	out[0] = '\0';
	while (sqlite3_step(eqp) == SQLITE_ROW && n < len)
		n += (size_t)snprintf(out + n, len - n, "%s; ",
		    (const char *)sqlite3_column_text(eqp, 3));
	sqlite3_finalize(eqp);
	sqlite3_free(sql);
}

/*
 * The reads a booking burst makes on the loop thread use an index: the
 * idempotency key its unique index, a GP's bookings (the export, a feed
 * change) the (gp, start) index, not a scan of every booking. The
 * statements are kept prepared, so a second read prepares nothing.
 */
static void
test_store_booking_reads_indexed(void **state)
{
	struct fixture *f = *state;
	struct store_booking got;
	char plan[512];
	bool found;
	int live = 0, kept;

	open_store(f, 0);
	assert_int_equal(store_booking_by_key(f->s, "secr", "k1", &got,
	    &found), STORE_OK);
	assert_int_equal(store_booking_each(f->s, 0, 5000, "gp-a", true,
	    bk_count_row, &live), STORE_OK);
	reader_plan(f, "idem_key = ?2", plan, sizeof(plan));
	assert_non_null(strstr(plan, "booking_idem"));
	assert_null(strstr(plan, "SCAN"));
	reader_plan(f, "gp = ?3", plan, sizeof(plan));
	assert_non_null(strstr(plan, "booking_gp_start"));
	assert_null(strstr(plan, "SCAN"));

	kept = 0;
	for (sqlite3_stmt *st = NULL; (st = sqlite3_next_stmt(
	    store_reader(f->s), st)) != NULL; )
		kept++;
	assert_int_equal(store_booking_each(f->s, 0, 5000, "gp-a", true,
	    bk_count_row, &live), STORE_OK);
	for (sqlite3_stmt *st = NULL; (st = sqlite3_next_stmt(
	    store_reader(f->s), st)) != NULL; )
		kept--;
	assert_int_equal(kept, 0);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(
		    test_store_booking_reads_indexed, setup, teardown),
		cmocka_unit_test_setup_teardown(test_store_open_migrates,
		    setup, teardown),
		cmocka_unit_test_setup_teardown(test_store_refuses_newer_schema,
		    setup, teardown),
		cmocka_unit_test_setup_teardown(test_store_group_commit,
		    setup, teardown),
		cmocka_unit_test_setup_teardown(test_store_failure_confined,
		    setup, teardown),
		cmocka_unit_test_setup_teardown(test_store_disk_full,
		    setup, teardown),
		cmocka_unit_test_setup_teardown(test_store_close_flushes,
		    setup, teardown),
		cmocka_unit_test_setup_teardown(test_store_plan_roundtrip,
		    setup, teardown),
		cmocka_unit_test_setup_teardown(test_store_booking_unique,
		    setup, teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
