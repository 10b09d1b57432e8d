/* The SQLite store: migrations, a writer thread with group commit, reads. */
#pragma once

#include <stddef.h>
#include <stdint.h>

#include <sqlite3.h>
#include <uv.h>

#define STORE_ERRORS(X)							\
	X(STORE_OK,		"ok")					\
	X(STORE_EBUSY,		"database is locked by another process") \
	X(STORE_EFULL,		"disk or database full")		\
	X(STORE_EIO,		"disk I/O error or read-only database")	\
	X(STORE_ECONSTRAINT,	"constraint violated")			\
	X(STORE_ENEWER,		"database written by a newer snpd")	\
	X(STORE_ECLOSED,	"store is closing")			\
	X(STORE_ENOMEM,		"out of memory")			\
	X(STORE_EOTHER,		"database error")

enum store_err {
#define X(code, msg) code,
	STORE_ERRORS(X)
#undef X
	STORE_ERR_COUNT
};

const char	*store_strerror(int err);
/* The store error for an SQLite result code (extended or primary). */
int		 store_err_of(int sqlite_rc);

struct store;

struct store_opts {
	const char	*path;
	int		 busy_timeout_ms;	/* 0: 5000 */
	/*
	 * Cap on the database size in pages, 0 for none. Tests set it to
	 * make the disk "fill up" on purpose.
	 */
	unsigned	 max_pages;
};

/*
 * Open (creating it if needed) the database, migrate it to the current
 * schema and start the writer thread; completions are delivered on loop.
 * Returns 0 and *out, or a store error with why set; a database whose
 * schema is newer than this binary's is refused (STORE_ENEWER).
 */
int		 store_open(uv_loop_t *loop, const struct store_opts *opts,
		    struct store **out, char *why, size_t whylen);

/*
 * Finish the queued writes (their completions run first), stop the writer
 * thread, close both connections. The store frees itself once libuv has
 * closed its async handle: keep running the loop until then.
 */
void		 store_close(struct store *s);

/* The statements of the writer's registry (store.c, store_sql). */
enum store_stmt {
	ST_AUDIT_ADD,
	ST_FEED_GOOD,		/* store_feed.c */
	ST_FEED_STATUS,
	ST_PLAN_DAY,		/* store_plan.c */
	ST_PLAN_DEL_HOURS,
	ST_PLAN_ADD_HOUR,
	ST_PLAN_DEL_SLOTS,
	ST_PLAN_ADD_SLOT,
	ST_PLAN_DEL_OFFER,
	ST_PLAN_ADD_OFFER,
	ST_BK_ADD,		/* store_booking.c */
	ST_BK_CANCEL,
	ST_BK_CONFLICT,
	ST_BK_PURGE_IDS,
	ST_BK_PURGE,
	ST_ROTA_PUT,		/* store_rota.c */
	ST_ROTA_DEL,
	ST_ROTA_JOIN,
	ST_TC_PUT,		/* store_tc.c */
	ST_TC_EVENT,
	ST_TC_PURGE,
	ST_COUNT
};

/* What a write job sees on the writer thread. */
struct store_tx {
	sqlite3		*db;
	sqlite3_stmt	**stmts;	/* prepared at open, by enum */
};

/*
 * A write: fn runs on the writer thread inside a transaction shared with
 * the other writes queued at the same moment, and returns STORE_OK or an
 * error (its own changes are then rolled back, the others' kept). done
 * runs on the loop thread after the commit reached the disk (err
 * STORE_OK) or failed. arg must stay valid until done; fn must touch only
 * arg and the transaction.
 */
typedef int	(*store_write_fn)(struct store_tx *tx, void *arg);
typedef void	(*store_done_fn)(void *arg, int err);

/* Queue a write; STORE_ECLOSED once store_close() started. */
int		 store_write(struct store *s, store_write_fn fn,
		    store_done_fn done, void *arg);

/*
 * Bind, step to completion and reset a statement of the writer: the
 * common case of an INSERT/UPDATE. Returns a store error.
 */
int		 store_exec(sqlite3_stmt *st);

/* The audit row of a write, in its transaction (writer thread). */
int		 store_tx_audit(struct store_tx *tx, int64_t at,
		    const char *who, const char *what, const char *ref);

/* An audit row: who did what to which object. Never patient data. */
struct store_audit {
	int64_t	at_utc;
	char	who[65];	/* principal name, or "snpd" */
	char	what[49];	/* "config.reload", "booking.create" */
	char	ref[161];	/* the object's id, or "" */
};

/*
 * Append an audit row, done(arg, err) after its commit. The row is
 * copied: a need not outlive the call.
 */
int		 store_audit(struct store *s, const struct store_audit *a,
		    store_done_fn done, void *arg);

/* For the loop thread: the read-only connection (WAL snapshot reads). */
sqlite3		*store_reader(struct store *s);
/*
 * A read statement of the loop thread, prepared once per text and kept:
 * a hot read (idempotency key, a GP's bookings) must not pay the parse
 * each time. sql must be a static text (the cache compares addresses).
 * Give it back with store_read_end(), which resets it.
 */
#define STORE_READ_CACHED	16
int		 store_read_prepare(struct store *s, const char *sql,
		    sqlite3_stmt **out);
void		 store_read_end(struct store *s, sqlite3_stmt *st);
int		 store_schema_version(const struct store *s);
/* Database size in bytes (pages in use times page size), -1 on error. */
int64_t		 store_size_bytes(struct store *s);
struct store_stats {
	unsigned	pending;	/* writes queued or being committed */
	uint64_t	writes;		/* writes completed */
	uint64_t	commits;	/* groups committed (or failed) */
};
void		 store_stats(struct store *s, struct store_stats *out);
