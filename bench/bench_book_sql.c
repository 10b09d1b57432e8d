/*
 * The booking ceiling: how many durable commits SQLite makes here, one
 * row per transaction, with snpd's settings, on the filesystem of its db;
 * and, to tell SQLite's share of a booking from the daemon's, the same
 * loop doing snpd's own transaction on snpd's own schema.
 */
#include "bench/bench_book_int.h"

#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include <sqlite3.h>

#include "bench/bench_fork.h"

struct bb_sql_arg {
	const char	*dir;
	double		 seconds;
	bool		 is_snpd;
};

/* The columns of snpd's booking table; the key its id, no other index. */
static const char bb_sql_schema[] =
	"CREATE TABLE raw ("
	"  id TEXT PRIMARY KEY, slot TEXT NOT NULL, gp TEXT NOT NULL,"
	"  sector TEXT NOT NULL, start INTEGER NOT NULL, end INTEGER NOT NULL,"
	"  status TEXT NOT NULL, modality TEXT NOT NULL,"
	"  idem_who TEXT NOT NULL, idem_key TEXT NOT NULL,"
	"  patient_name TEXT, patient_phone TEXT, patient_birth_year INTEGER,"
	"  patient_commune TEXT, reason TEXT, created_at INTEGER NOT NULL,"
	"  created_by TEXT NOT NULL)";

static const char bb_sql_insert[] =
	"INSERT INTO raw VALUES (?1, ?2, 'gp-00042', 'sec-003', ?3, ?4,"
	" 'booked', 'in_person', 'secr', ?5, 'Jeanne Mercier', '0612345678',"
	" 1980, '63001', 'Fièvre à 39 °C et toux depuis deux jours', ?6,"
	" 'secr')";

/* snpd's transaction: the booking and its audit row, in a savepoint. */
static const char bb_sql_booking[] =
	"INSERT INTO booking(id, slot, gp, sector, start, end, status,"
	" modality, idem_who, idem_key, patient_name, patient_phone,"
	" patient_birth_year, patient_commune, reason, created_at,"
	" created_by) VALUES (?1, ?2, 'gp-00042', 'sec-003', ?3, ?4, 'booked',"
	" 'in_person', 'secr', ?5, 'Jeanne Mercier', '0612345678', 1980,"
	" '63001', 'Fièvre à 39 °C et toux depuis deux jours', ?6, 'secr')";
static const char bb_sql_audit[] =
	"INSERT INTO audit(at_utc, who, what, ref)"
	" VALUES (?6, 'secr', 'booking.create', ?1)";

static int
bb_sql_exec(sqlite3 *db, const char *sql)
{
	return sqlite3_exec(db, sql, NULL, NULL, NULL) == SQLITE_OK ? 0 : -1;
}

/*
 * The booking and audit tables, their indexes and triggers as snpd made
 * them in its db (read, not copied by hand: they follow the daemon).
 */
static int
bb_sql_snpd_schema(sqlite3 *db, const char *dir)
{
	char path[4200];
	sqlite3_stmt *st = NULL;
	sqlite3 *src = NULL;
	int rc = -1, n = 0;

	snprintf(path, sizeof(path), "%s/snpd.db", dir);
	if (sqlite3_open_v2(path, &src, SQLITE_OPEN_READONLY, NULL) !=
	    SQLITE_OK || sqlite3_prepare_v2(src, "SELECT sql FROM sqlite_master"
	    " WHERE tbl_name IN ('booking', 'audit') AND sql IS NOT NULL"
	    " ORDER BY type = 'table' DESC", -1, &st, NULL) != SQLITE_OK)
		goto out;
	while (sqlite3_step(st) == SQLITE_ROW && ++n > 0)
		if (bb_sql_exec(db, (const char *)sqlite3_column_text(st,
		    0)) != 0)
			goto out;
	rc = n >= 2 ? 0 : -1;
out:
	sqlite3_finalize(st);
	sqlite3_close(src);
	return rc;
}

static int
bb_sql_fn(void *arg, void *res)
{
	const struct bb_sql_arg *a = arg;
	double *tps = res, t0, end;
	char path[4200], id[32], slot[40], key[32];
	sqlite3_stmt *st = NULL, *audit = NULL;
	sqlite3 *db = NULL;
	const char *suffix[] = { "", "-wal", "-shm" };
	long n = 0;
	int rc = -1;

	for (int i = 0; i < 3; i++) {
		snprintf(path, sizeof(path), "%s/raw.db%s", a->dir, suffix[i]);
		unlink(path);
	}
	snprintf(path, sizeof(path), "%s/raw.db", a->dir);
	/* store.c's open: WAL (checked), synchronous=FULL, foreign keys. */
	if (sqlite3_open_v2(path, &db, SQLITE_OPEN_READWRITE |
	    SQLITE_OPEN_CREATE | SQLITE_OPEN_EXRESCODE, NULL) != SQLITE_OK ||
	    sqlite3_prepare_v2(db, "PRAGMA journal_mode=WAL", -1, &st,
	    NULL) != SQLITE_OK || sqlite3_step(st) != SQLITE_ROW ||
	    strcmp((const char *)sqlite3_column_text(st, 0), "wal") != 0)
		goto out;
	sqlite3_finalize(st);
	st = NULL;
	if (bb_sql_exec(db, "PRAGMA synchronous=FULL") != 0 ||
	    bb_sql_exec(db, "PRAGMA foreign_keys=ON") != 0 ||
	    (a->is_snpd ? bb_sql_snpd_schema(db, a->dir) :
	    bb_sql_exec(db, bb_sql_schema)) != 0 ||
	    sqlite3_prepare_v3(db, a->is_snpd ? bb_sql_booking :
	    bb_sql_insert, -1, SQLITE_PREPARE_PERSISTENT, &st,
	    NULL) != SQLITE_OK || (a->is_snpd && sqlite3_prepare_v3(db,
	    bb_sql_audit, -1, SQLITE_PREPARE_PERSISTENT, &audit,
	    NULL) != SQLITE_OK))
		goto out;
	t0 = bb_now();
	end = t0 + a->seconds;
	do {
		snprintf(id, sizeof(id), "b-%016lx", 0x9e3779b97f4a7c15ul *
		    (unsigned long)(n + 1));
		snprintf(slot, sizeof(slot), "gp-%05ld/20261201T%02ld%02ld00Z",
		    n % 2000, 13 + n / 2000 % 6, n % 4 * 15);
		snprintf(key, sizeof(key), "bench-raw-%ld", n);
		if (bb_sql_exec(db, "BEGIN IMMEDIATE") != 0 || (a->is_snpd &&
		    bb_sql_exec(db, "SAVEPOINT job") != 0))
			goto out;
		sqlite3_bind_text(st, 1, id, -1, SQLITE_STATIC);
		sqlite3_bind_text(st, 2, slot, -1, SQLITE_STATIC);
		sqlite3_bind_int64(st, 3, 1796130000 + n);
		sqlite3_bind_int64(st, 4, 1796130900 + n);
		sqlite3_bind_text(st, 5, key, -1, SQLITE_STATIC);
		sqlite3_bind_int64(st, 6, 1796112000);
		if (sqlite3_step(st) != SQLITE_DONE)
			goto out;
		sqlite3_reset(st);
		if (a->is_snpd) {
			sqlite3_bind_text(audit, 1, id, -1, SQLITE_STATIC);
			sqlite3_bind_int64(audit, 6, 1796112000);
			if (sqlite3_step(audit) != SQLITE_DONE ||
			    bb_sql_exec(db, "RELEASE job") != 0)
				goto out;
			sqlite3_reset(audit);
		}
		if (bb_sql_exec(db, "COMMIT") != 0)
			goto out;
		n++;
	} while (bb_now() < end);
	*tps = (double)n / (bb_now() - t0);
	rc = 0;
out:
	if (rc != 0)
		fprintf(stderr, "bench_book: raw SQLite: %s\n",
		    db != NULL ? sqlite3_errmsg(db) : "cannot open");
	sqlite3_finalize(st);
	sqlite3_finalize(audit);
	sqlite3_close(db);
	for (int i = 0; i < 3; i++) {
		snprintf(path, sizeof(path), "%s/raw.db%s", a->dir, suffix[i]);
		unlink(path);
	}
	return rc;
}

int
bb_sql_ceiling(const char *dir, double seconds, bool is_snpd, double *tps)
{
	struct bb_sql_arg a = { dir, seconds, is_snpd };

	return bench_fork(bb_sql_fn, &a, tps, sizeof(*tps));
}
