/* The configuration of CONFIG.md: load, validate, and hold it read-only. */
#pragma once

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#include "daemon/core/tz.h"
#include "daemon/core/win.h"

#define CFG_ID_MAX	64	/* GP, sector and principal ids, in bytes */
#define CFG_TOKEN_MIN	32	/* shortest accepted token, in bytes */
#define CFG_TOKEN_MAX	256
#define CFG_MAX_ERRORS	50	/* problems reported by one load */

/* Day index of targets and windows: tm_wday order, then holidays. */
enum cfg_day {
	CFG_SUN, CFG_MON, CFG_TUE, CFG_WED, CFG_THU, CFG_FRI, CFG_SAT,
	CFG_HOL,
	CFG_DAY_COUNT
};

enum cfg_role {
	CFG_ROLE_ADMIN,
	CFG_ROLE_COORDINATOR,
	CFG_ROLE_SECRETARIAT,
	CFG_ROLE_NURSE,
	CFG_ROLE_GP,
	CFG_ROLE_COUNT
};

/* A calendar day, local to the territory. */
struct cfg_date {
	int	year, month, day;
};

/* A list of strings; the strings borrow from the config. */
struct cfg_strv {
	const char	**v;
	size_t		  n;
};

struct cfg_territory {
	const char	*name;
	const char	*timezone;		/* default "Europe/Paris" */
	const struct tz	*tz;			/* the zone, resolved */
	int		 horizon_days;		/* default 28 */
	int		 win_start_min;		/* SNP window, minutes after */
	int		 win_end_min;		/* local midnight: 840, 1200 */
	bool		 win_days[CFG_DAY_COUNT];	/* [CFG_HOL]: "hol" */
	struct cfg_date	*holidays;		/* sorted, distinct */
	size_t		 n_holidays;
	int		 slot_minutes;		/* default 15 */
	struct cfg_strv	 markers_snp;		/* default ["SNP"] */
	struct cfg_strv	 markers_oncall;	/* ["ASTREINTE","ONCALL"] */
	struct cfg_strv	 markers_absent;	/* ["ABSENCE","CONGES",...] */
};

#define CFG_NO_TARGET	(-1)	/* reserve every candidate slot */

struct cfg_sector {
	const char	*id;
	const char	*name;			/* default: the id */
	size_t		*neighbours;		/* indices into cfg.sectors */
	size_t		 n_neighbours;
	struct cfg_strv	 communes;		/* INSEE codes, "63285" */
	bool		 has_target;
	/*
	 * Slots wanted per day kind and local hour, CFG_NO_TARGET where no
	 * key of "target" says anything. Resolution, most specific last:
	 * "default", then the day's key ("sat", "hol"; a number, or an
	 * object of hour keys and "default"), then the top-level hour key
	 * ("14"), then the day object's hour key.
	 */
	int16_t		 target[CFG_DAY_COUNT][24];
};

struct cfg_gp {
	const char	*id;			/* [A-Za-z0-9._-], no leading . */
	const char	*name;
	const char	*rpps;			/* 11 digits or NULL */
	size_t		 sector;		/* index into cfg.sectors */
	bool		 teleconsult;		/* default false */
	/*
	 * The feed as written (for display, masked by the caller) and
	 * resolved: an http(s) URL (webcal:// read as http://), or an
	 * absolute file path (file:// stripped, relative paths made
	 * relative to the config file). NULL: push only.
	 */
	const char	*feed;
	const char	*feed_url;		/* http:// or https://, or NULL */
	const char	*feed_path;		/* absolute path, or NULL */
	int		 slot_minutes;		/* 0: the territory's */
	int		 max_slots_per_day;	/* -1: no cap */
	int		 max_slots_per_week;	/* -1: no cap */
	double		 weight;		/* default 1.0, > 0 */
};

struct cfg_principal {
	const char	*name;
	enum cfg_role	 role;
	const char	*token;			/* from token or token_file */
	size_t		 token_len;
	size_t		 gp;			/* role gp: index into cfg.gps */
};

struct cfg_shift {
	int	start_min;	/* minutes after local midnight */
	int	end_min;	/* <= start_min: ends the next day */
};

struct cfg {
	char			*path;		/* the file, absolute; NULL
						   from cfg_parse() */
	struct cfg_territory	 territory;
	struct cfg_sector	*sectors;
	size_t			 n_sectors;
	struct cfg_gp		*gps;
	size_t			 n_gps;
	struct cfg_principal	*principals;
	size_t			 n_principals;

	int			 fairness_window_days;	/* planner, 28 */

	struct {
		struct cfg_shift *shifts;	/* default 14-17, 17-20 */
		size_t		  n_shifts;
		int		  horizon_days;		/* 28 */
		double		  weekend_weight;	/* 1.5 */
		int		  ack_timeout_s;	/* 300 */
		int		  urgent_ack_timeout_s;	/* 120 */
		int		  done_timeout_s;	/* 3600: then tc.stale */
		bool		  broadcast;	/* mode: all GPs at once */
	} oncall;

	/* The executable told of every offer (doc/oncall.md), or none. */
	struct {
		const char	*command;	/* absolute, or NULL */
		int		 timeout_s;	/* 10: then killed, "failed" */
		int		 max_running;	/* 8: more wait */
	} notify;

	struct {
		int	refresh_s;		/* 300 */
		int	timeout_s;		/* 20 */
		int64_t	max_bytes;		/* 10 MiB */
		int64_t	max_instances;		/* 100000 */
	} feeds;

	struct {
		int	hold_s;			/* 120 */
		int	retention_days;		/* 365 */
	} booking;

	struct {
		const char	*rep;	/* ipc:///run/snpd/snpd.sock */
		const char	*pub;	/* ipc:///run/snpd/events.sock */
		int64_t		 max_message_bytes;	/* 1 MiB */
		int		 linger_ms;	/* 200: see daemon.c */
		int		 max_in_flight;	/* 1024: E_UNAVAILABLE past */
		const char	*socket_group;	/* clients' group, or NULL */
		gid_t		 socket_gid;	/* its id; -1: none */
	} server;

	const char	*store_path;	/* absolute; /var/lib/snpd/snpd.db */
	const char	*export_dir;	/* absolute; /var/lib/snpd/export */
	bool		 clock_is_fixed;
	int64_t		 clock_fixed_utc;

	void		*mem;		/* private: what the config owns */
};

/*
 * Read and validate the config file at path. The file (and every
 * token_file) must not be readable or writable by others. Returns the
 * config (freed with cfg_free()), or NULL with *errors set to one line per
 * problem, each naming its key path ("gps[3].sector: unknown sector
 * \"x\""), at most CFG_MAX_ERRORS and then one line counting the rest;
 * each line ends in '\n' and the caller frees *errors with free(). On
 * success *errors is NULL. path is made absolute against the current
 * directory (symlinks kept) and its directory is the base of relative
 * paths. // and block comments are allowed.
 */
struct cfg	*cfg_load(const char *path, char **errors);

/*
 * The same from text in memory (len bytes, no NUL needed; no mode check
 * of the text itself, token files are still checked). Relative paths are
 * made relative to base_dir, which should be absolute (NULL: the current
 * directory). The config's path is NULL, and whole-text errors name
 * "snpd.json". errors may be NULL. Used by cfg_load() and the unit tests.
 */
struct cfg	*cfg_parse(const char *text, size_t len, const char *base_dir,
		    char **errors);

void		 cfg_free(struct cfg *c);

/* Lookups; -1 / NULL when absent. */
ssize_t		 cfg_sector_find(const struct cfg *c, const char *id);
ssize_t		 cfg_gp_find(const struct cfg *c, const char *id);
const char	*cfg_role_name(enum cfg_role role);
/* The SNP window rules, as the core wants them (pointing into c). */
void		 cfg_win_opts(const struct cfg *c, struct win_opts *out);
