/* Private to the booking benchmark: phases, child processes, figures. */
#pragma once

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#include "bench/gen_book.h"

#define BB_MAX_NS	8
#define BB_MAX_BOOK	4	/* booking client counts (-b) */
#define BB_MAX_CLIENTS	64	/* client processes in one phase */
#define BB_MAX_QUERIES	256
#define BB_SLOT_MAX	32	/* "gp-00000/20261130T130000Z", NUL */
#define BB_URL_MAX	160
#define BB_ADMIN_TOKEN	"bench-admin-0123456789abcdefghijklmnopqrstuv"
#define BB_SECR_TOKEN	"bench-secr-0123456789abcdefghijklmnopqrstuvw"

/* What the command line asks for. */
struct bb_cfg {
	size_t		 ns[BB_MAX_NS];		/* GP counts */
	size_t		 n_ns;
	int		 reps;
	double		 phase_s;		/* each timed phase */
	int		 search_clients;	/* throughput */
	int		 book[BB_MAX_BOOK];	/* booking client counts */
	int		 n_book;
	int		 mixed_bookers;		/* beside the search loop */
	double		 mixed_rate;		/* their bookings/s each, 0:
						   as fast as they can */
	long		 book_per_phase;	/* bookings in each */
	int		 n_queries;
	uint64_t	 seed;
	char		 dir[4096];		/* the work directory */
	char		 snpd[4096];		/* the daemon's binary */
	bool		 keep;			/* keep dir afterwards */
	bool		 do_search, do_book, do_mixed;	/* -m */
};

/* One search of the mix. */
enum bb_scope { BB_SECTOR, BB_COMMUNE, BB_ALL, BB_SCOPES };
/* Limits: 5 or 10, none (snpd's 20), 50 or 100. */
enum bb_limit { BB_LIMIT_SMALL, BB_LIMIT_NONE, BB_LIMIT_LARGE, BB_LIMITS };

struct bb_query {
	enum bb_scope	 scope;
	bool		 is_week;	/* today, or 7 days from today */
	int		 limit;		/* 0: not given (snpd's 20) */
	char		 args[192];	/* the args object, JSON */
	/* snpd's answer, which the echo server sends back as it is: */
	size_t		 reply_off;	/* into bb_shm.arena */
	size_t		 reply_len;
	int		 results;
};

/* A territory of N GPs and where its snpd listens. */
struct bb_terr {
	size_t		 n_gps;
	char		 dir[4096];
	char		 rep_url[BB_URL_MAX];
	char		 pub_url[BB_URL_MAX];
	char		 echo_url[BB_URL_MAX];
	struct gen_book	 g;
	struct bb_query	 q[BB_MAX_QUERIES];
	int		 n_q;
	pid_t		 snpd;		/* this run's */
};

/* One latency sample: microseconds, and which query of the mix. */
struct bb_sample {
	float		 us;
	uint16_t	 q;
};

/* What one client process reports. */
struct bb_child_res {
	int		 ok;
	long		 done, errors;
	double		 t0, t1;	/* CLOCK_MONOTONIC, seconds */
	size_t		 lat_off, n_lat;	/* into bb_shm.samples */
	char		 first_error[240];
};

/* sys.status's counters of the store. */
struct bb_status {
	int		 ok;
	double		 writes, commits, pending;
};

/*
 * Memory shared by the bench and its children (one MAP_SHARED mapping,
 * made before any fork, so that its pointers hold in every process).
 */
struct bb_shm {
	int			 bookers_left;	/* __atomic */
	struct bb_child_res	 child[BB_MAX_CLIENTS + 1];
	struct bb_sample	*samples;
	size_t			 max_samples;
	char			*arena;		/* replies, slot ids */
	size_t			 arena_cap, arena_used;
	char			(*slots)[BB_SLOT_MAX];	/* free, shuffled */
	size_t			 n_slots;
	long			 reserved_today, reserved_week;
};

/* One run's figures (bb_run); medians over the runs are printed. */
struct bb_res {
	int		 ok;
	double		 start_s;		/* snpd started to plan ready */
	long		 reserved_all, reserved_today, reserved_week;
	double		 reply_med_b;		/* search replies' sizes */
	double		 echo_p50, echo_p99, snpd_p50, snpd_p99;	/* us */
	double		 kind_p50[BB_SCOPES][2], kind_p99[BB_SCOPES][2];
	double		 limit_p50[BB_LIMITS], limit_p99[BB_LIMITS];
	int		 slow_q;		/* highest median of the mix */
	double		 slow_p50;
	double		 echo_rps, snpd_rps;
	double		 raw_tps;		/* median of raw_phase */
	double		 raw_snpd_tps;		/* snpd's transaction */
	double		 raw_phase[BB_MAX_BOOK];	/* before each phase */
	double		 book_rps[BB_MAX_BOOK], book_wpc[BB_MAX_BOOK];
	double		 book_ratio[BB_MAX_BOOK];	/* / raw_phase */
	double		 after_p50, after_p99;	/* idle, after bookings */
	double		 mixed[3];		/* p50, p99, max beside */
	double		 mixed_echo[3];		/* the echo's, beside */
	double		 mixed_book_rps;
	long		 mixed_n;
	long		 mixed_booked;		/* bookings made before */
	long		 errors;
};

/* bench_book_cli.c: clients and control requests, in child processes. */

/*
 * Kinds of client process. Each opens its own REQ socket, connects,
 * warms up, waits for the start, then works until its deadline or budget.
 */
enum bb_role {
	BB_SEARCH_LAT,		/* one at a time, each request timed */
	BB_SEARCH_THR,		/* as fast as it can, counted */
	BB_BOOK,		/* booking.create on its slots, counted */
	BB_SEARCH_MIXED,	/* timed, while bookers_left > 0 */
};

struct bb_client {
	enum bb_role	 role;
	const char	*url;
	double		 seconds;	/* deadline after the start */
	size_t		 slot_from, slot_to;	/* BB_BOOK: its slots */
	size_t		 lat_off, lat_max;	/* where to put samples */
	int		 key_base;	/* makes idempotency keys distinct */
	double		 rate;		/* BB_BOOK: bookings/s, 0: flat out */
};

/*
 * Run n clients at once, each in its own process, released together;
 * their reports land in shm->child[0..n-1]. Returns 0, or -1 when one
 * failed to start or died.
 */
int	bb_clients_run(const struct bb_terr *t, struct bb_shm *shm,
	    const struct bb_client *c, int n);
/* Wait for snpd's ping, then for plan.get's "ready", then no write left. */
int	bb_ctl_ready(const struct bb_terr *t, double timeout_s);
/* The reserved free slots of the horizon into shm->slots, in plan order. */
int	bb_ctl_slots(const struct bb_terr *t, struct bb_shm *shm);
/* snpd's reply to each query of the mix, into shm->arena and t->q. */
int	bb_ctl_replies(struct bb_terr *t, struct bb_shm *shm);
/* Wait until url answers query 0 (the echo server). */
int	bb_ctl_echo_ready(const struct bb_terr *t, double timeout_s);
int	bb_ctl_status(const struct bb_terr *t, struct bb_status *st);

/* bench_book_srv.c: the processes served against. */

/* Start snpd on t's config, its stderr into dir/snpd.log; its pid. */
pid_t	bb_snpd_start(const struct bb_cfg *c, const struct bb_terr *t);
/* SIGTERM, and wait (SIGKILL after 15 s). Returns its exit status. */
int	bb_stop(pid_t pid);
/* Fork the echo server on t->echo_url; its pid, or -1. */
pid_t	bb_echo_start(const struct bb_terr *t, const struct bb_shm *shm);

/*
 * bench_book_sql.c: a raw SQLite commit loop in dir for seconds, in a
 * child process: one row a transaction, or (is_snpd) snpd's transaction
 * of a booking on the schema read from dir/snpd.db. Commits a second.
 */
int	bb_sql_ceiling(const char *dir, double seconds, bool is_snpd,
	    double *tps);

/* bench_book_run.c */
double	bb_now(void);
/* The q-quantile of v (0..1), nearest rank; sorts v. */
double	bb_quantile(double *v, size_t n, double q);
/* One run against a fresh snpd on t. Returns 0, or -1. */
int	bb_run(const struct bb_cfg *c, struct bb_terr *t, int run,
	    struct bb_shm *shm, struct bb_res *res);
