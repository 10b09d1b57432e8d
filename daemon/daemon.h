/* snpd's one context: config, clock, store, sockets; start, reload, stop. */
#pragma once

#include <stdbool.h>
#include <stdint.h>

#include <uv.h>

#include "daemon/cfg.h"
#include "daemon/clk.h"
#include "proto/rfc3339.h"

struct booking;
struct exporter;
struct feeds;
struct planner;
struct roster;
struct srv;
struct tc;
struct store;

enum daemon_state {
	DAEMON_RUNNING,
	DAEMON_DRAINING,	/* answering what is in flight */
	DAEMON_STOPPING,	/* recording the stop in the audit trail */
	DAEMON_LINGERING,	/* letting the last replies leave */
	DAEMON_CLOSING,
};

/*
 * Everything the loop thread owns. Handlers get it and may read it all;
 * only daemon.c changes the config, state and handles. A handler that
 * answers later (after a store write) must copy what it needs from cfg:
 * a reload may replace cfg meanwhile.
 */
struct daemon {
	uv_loop_t		 loop;
	struct clk		 clk;
	const char		*cfg_path;
	struct cfg		*cfg;
	struct store		*store;
	struct srv		*srv;
	struct feeds		*feeds;
	struct planner		*planner;
	struct booking		*booking;
	struct roster		*roster;
	struct tc		*tc;
	struct exporter		*exporter;
	uv_signal_t		 sig_term, sig_int, sig_hup;
	uv_timer_t		 linger;
	enum daemon_state	 state;
	int64_t			 started_utc;
	int64_t			 cfg_loaded_utc;
	unsigned		 reloads;
	int			 exit_code;
};

struct daemon_opts {
	const char	*cfg_path;
	bool		 has_now;	/* --now: pin the clock */
	int64_t		 now_utc;
};

/*
 * Run snpd until SIGTERM/SIGINT. Returns the process exit status: 0 after
 * a clean shutdown, 1 when the store or the sockets could not be opened,
 * 2 for a bad config (each problem printed on stderr, one per line).
 */
int	daemon_run(const struct daemon_opts *opts);

/*
 * Re-read the config file. On success the new config replaces the old
 * and 0 is returned; otherwise the old one stays, -1 is returned and
 * *errors holds the problems, one per line (free() it).
 */
int	daemon_reload(struct daemon *d, char **errors);

/* An audit row for an action by who (a principal name, or "snpd"). */
void	daemon_audit(struct daemon *d, const char *who, const char *what,
	    const char *ref);

/* utc as RFC 3339 in the territory's zone into buf; returns buf. */
char	*daemon_time(const struct daemon *d, int64_t utc,
	    char buf[RFC3339_MAX]);
