/* Config sections other than territory, sectors, GPs, principals. */
#include "daemon/cfg_int.h"

#include <sys/un.h>

#include <errno.h>
#include <grp.h>

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cjson/cJSON.h>

#include "proto/jarg.h"
#include "proto/rfc3339.h"

#define CFG_SUN_MAX	(sizeof(((struct sockaddr_un *)0)->sun_path) - 1)

/* Small sections. */

static void
cfg_planner_parse(struct cfg_ctx *x, const cJSON *root)
{
	static const char *const keys[] = { "fairness_window_days", NULL };
	const cJSON *o = cfg_object(x, root, "", "planner", keys);

	x->c->fairness_window_days = 28;
	cfg_int(x, o, "planner", "fairness_window_days", 1, 365,
	    &x->c->fairness_window_days);
}

/* Do two daily shifts meet, one of them possibly crossing midnight? */
static bool
cfg_shifts_overlap(const struct cfg_shift *a, const struct cfg_shift *b)
{
	int as = a->start_min, bs = b->start_min;
	int ae = a->end_min <= as ? a->end_min + 1440 : a->end_min;
	int be = b->end_min <= bs ? b->end_min + 1440 : b->end_min;

	/* Shifts repeat every day: compare with b a day earlier and later. */
	for (int k = -1440; k <= 1440; k += 1440) {
		int lo = as > bs + k ? as : bs + k;
		int hi = ae < be + k ? ae : be + k;

		if (lo < hi)
			return true;
	}
	return false;
}

static void
cfg_shifts_parse(struct cfg_ctx *x, const cJSON *o)
{
	static const char *const keys[] = { "start", "end", NULL };
	const cJSON *arr = cfg_array(x, o, "oncall", "shifts"), *it;
	struct cfg_shift *sh;
	char p[CFG_PATH_MAX];
	size_t n, i = 0;
	bool ok = true;
	int rs, re;

	if (arr == NULL) {
		if ((sh = cfg_calloc(x, 2, sizeof(*sh))) == NULL)
			return;
		sh[0] = (struct cfg_shift){ 14 * 60, 17 * 60 };
		sh[1] = (struct cfg_shift){ 17 * 60, 20 * 60 };
		x->c->oncall.shifts = sh;
		x->c->oncall.n_shifts = 2;
		return;
	}
	n = (size_t)cJSON_GetArraySize(arr);
	if ((sh = cfg_calloc(x, n, sizeof(*sh))) == NULL)
		return;
	x->c->oncall.shifts = sh;
	x->c->oncall.n_shifts = n;
	cJSON_ArrayForEach(it, arr) {
		cfg_itempath(p, sizeof(p), "oncall.shifts", i);
		if (!cJSON_IsObject(it)) {
			cfg_err(x, "%s: must be an object", p);
			ok = false;
			i++;
			continue;
		}
		cfg_keys(x, it, p, keys);
		rs = cfg_hhmm(x, it, p, "start", false, &sh[i].start_min);
		re = cfg_hhmm(x, it, p, "end", true, &sh[i].end_min);
		if (rs == 0)
			cfg_err(x, "%s.start: required time \"HH:MM\"", p);
		if (re == 0)
			cfg_err(x, "%s.end: required time \"HH:MM\"", p);
		/* 24:00 is the next day's 00:00: "ends the next day". */
		if (re == 1 && sh[i].end_min == 1440)
			sh[i].end_min = 0;
		if (rs == 1 && re == 1 && sh[i].start_min == sh[i].end_min) {
			cfg_err(x, "%s.end: must differ from start", p);
			re = -1;
		}
		ok = ok && rs == 1 && re == 1;
		i++;
	}
	if (!ok)
		return;
	for (i = 1; i < n; i++)
		if (sh[i].start_min <= sh[i - 1].start_min)
			cfg_err(x, "oncall.shifts[%zu].start: shifts must be "
			    "sorted by start, each later than the one before",
			    i);
	for (i = 0; i < n; i++)
		for (size_t j = 0; j < i; j++)
			if (cfg_shifts_overlap(&sh[j], &sh[i]))
				cfg_err(x, "oncall.shifts[%zu]: overlaps "
				    "oncall.shifts[%zu]", i, j);
}

static void
cfg_oncall_parse(struct cfg_ctx *x, const cJSON *root)
{
	static const char *const keys[] = { "shifts", "horizon_days",
	    "weekend_weight", "ack_timeout_s", "urgent_ack_timeout_s", "mode",
	    "done_timeout_s", NULL };
	const cJSON *o = cfg_object(x, root, "", "oncall", keys);
	const char *mode = "sequential";

	x->c->oncall.horizon_days = 28;
	x->c->oncall.weekend_weight = 1.5;
	x->c->oncall.ack_timeout_s = 300;
	x->c->oncall.urgent_ack_timeout_s = 120;
	x->c->oncall.done_timeout_s = 3600;
	cfg_shifts_parse(x, o);
	cfg_int(x, o, "oncall", "horizon_days", 1, 366,
	    &x->c->oncall.horizon_days);
	cfg_num(x, o, "oncall", "weekend_weight", 0.1, 10,
	    &x->c->oncall.weekend_weight);
	/* Seconds from 1: the end-to-end tests run whole escalations. */
	cfg_int(x, o, "oncall", "ack_timeout_s", 1, 86400,
	    &x->c->oncall.ack_timeout_s);
	cfg_int(x, o, "oncall", "urgent_ack_timeout_s", 1, 86400,
	    &x->c->oncall.urgent_ack_timeout_s);
	cfg_int(x, o, "oncall", "done_timeout_s", 1, 86400,
	    &x->c->oncall.done_timeout_s);
	if (cfg_str(x, o, "oncall", "mode", 16, &mode) == 1 &&
	    strcmp(mode, "sequential") != 0 && strcmp(mode, "broadcast") != 0)
		cfg_err(x, "oncall.mode: must be \"sequential\" or "
		    "\"broadcast\"");
	x->c->oncall.broadcast = strcmp(mode, "broadcast") == 0;
}

static void
cfg_notify_parse(struct cfg_ctx *x, const cJSON *root)
{
	static const char *const keys[] = { "command", "timeout_s",
	    "max_running", NULL };
	const cJSON *o = cfg_object(x, root, "", "notify", keys);
	const char *s;

	x->c->notify.timeout_s = 10;
	x->c->notify.max_running = 8;
	if (cfg_str(x, o, "notify", "command", CFG_FILE_MAX, &s) == 1)
		x->c->notify.command = cfg_abspath(x, s);
	cfg_int(x, o, "notify", "timeout_s", 1, 300, &x->c->notify.timeout_s);
	cfg_int(x, o, "notify", "max_running", 1, 64,
	    &x->c->notify.max_running);
}

static void
cfg_feeds_parse(struct cfg_ctx *x, const cJSON *root)
{
	static const char *const keys[] = { "refresh_s", "timeout_s",
	    "max_bytes", "max_instances", NULL };
	const cJSON *o = cfg_object(x, root, "", "feeds", keys);

	x->c->feeds.refresh_s = 300;
	x->c->feeds.timeout_s = 20;
	x->c->feeds.max_bytes = 10485760;
	x->c->feeds.max_instances = 100000;
	cfg_int(x, o, "feeds", "refresh_s", 10, 86400, &x->c->feeds.refresh_s);
	cfg_int(x, o, "feeds", "timeout_s", 1, 600, &x->c->feeds.timeout_s);
	cfg_int64(x, o, "feeds", "max_bytes", 1024, 1073741824,
	    &x->c->feeds.max_bytes);
	cfg_int64(x, o, "feeds", "max_instances", 1, 10000000,
	    &x->c->feeds.max_instances);
}

static void
cfg_booking_parse(struct cfg_ctx *x, const cJSON *root)
{
	static const char *const keys[] = { "hold_s", "retention_days", NULL };
	const cJSON *o = cfg_object(x, root, "", "booking", keys);

	x->c->booking.hold_s = 120;
	x->c->booking.retention_days = 365;
	cfg_int(x, o, "booking", "hold_s", 10, 3600, &x->c->booking.hold_s);
	cfg_int(x, o, "booking", "retention_days", 1, 3650,
	    &x->c->booking.retention_days);
}

/*
 * A nanomsg address: ipc://PATH, made absolute because snpd may run from
 * any directory, or tcp://HOST:PORT. Returns it (borrowed or owned), or
 * NULL after recording a problem.
 */
static const char *
cfg_endpoint(struct cfg_ctx *x, const cJSON *o, const char *key,
    const char *def)
{
	const char *s = def, *p, *colon;
	long port;
	char *end;

	if (cfg_str(x, o, "server", key, CFG_FILE_MAX, &s) < 0)
		return NULL;
	if (strncmp(s, "ipc://", 6) == 0) {
		if (s[6] == '\0') {
			cfg_err(x, "server.%s: ipc:// needs a socket path",
			    key);
			return NULL;
		}
		if ((p = cfg_abspath(x, s + 6)) == NULL)
			return NULL;
		/* nanomsg would fail later, and only at bind. */
		if (strlen(p) > CFG_SUN_MAX) {
			cfg_err(x, "server.%s: socket path longer than %zu "
			    "bytes", key, CFG_SUN_MAX);
			return NULL;
		}
		return p == s + 6 ? s : cfg_concat(x, "ipc://", p);
	}
	if (strncmp(s, "tcp://", 6) == 0) {
		colon = strrchr(s + 6, ':');
		if (colon != NULL && colon > s + 6 && cfg_is_digit(colon[1])) {
			errno = 0;
			port = strtol(colon + 1, &end, 10);
			if (*end == '\0' && errno == 0 && port >= 1 &&
			    port <= 65535)
				return s;
		}
		cfg_err(x, "server.%s: must be tcp://HOST:PORT with a port "
		    "from 1 to 65535", key);
		return NULL;
	}
	cfg_err(x, "server.%s: must be ipc://PATH or tcp://HOST:PORT", key);
	return NULL;
}

static void
cfg_server_parse(struct cfg_ctx *x, const cJSON *root)
{
	static const char *const keys[] = { "rep", "pub", "max_message_bytes",
	    "linger_ms", "max_in_flight", "socket_group", NULL };
	const cJSON *o = cfg_object(x, root, "", "server", keys);
	const char *rep, *pub;

	x->c->server.max_message_bytes = 1048576;
	x->c->server.linger_ms = 200;
	x->c->server.max_in_flight = 1024;
	rep = cfg_endpoint(x, o, "rep", "ipc:///run/snpd/snpd.sock");
	pub = cfg_endpoint(x, o, "pub", "ipc:///run/snpd/events.sock");
	x->c->server.rep = rep;
	x->c->server.pub = pub;
	if (rep != NULL && pub != NULL && strcmp(rep, pub) == 0)
		cfg_err(x, "server.pub: same address as server.rep");
	cfg_int64(x, o, "server", "max_message_bytes", 1024, 67108864,
	    &x->c->server.max_message_bytes);
	cfg_int(x, o, "server", "linger_ms", 0, 10000,
	    &x->c->server.linger_ms);
	cfg_int(x, o, "server", "max_in_flight", 1, 65536,
	    &x->c->server.max_in_flight);
	x->c->server.socket_gid = (gid_t)-1;
	if (cfg_str(x, o, "server", "socket_group", CFG_ID_MAX,
	    &x->c->server.socket_group) == 1) {
		const struct group *g = getgrnam(x->c->server.socket_group);

		if (g == NULL)
			cfg_err(x, "server.socket_group: no group \"%s\"",
			    x->c->server.socket_group);
		else
			x->c->server.socket_gid = g->gr_gid;
	}
}

static void
cfg_paths_parse(struct cfg_ctx *x, const cJSON *root)
{
	static const char *const keys[] = { "path", NULL };
	const cJSON *o = cfg_object(x, root, "", "store", keys);
	const char *s;

	x->c->store_path = "/var/lib/snpd/snpd.db";
	x->c->export_dir = "/var/lib/snpd/export";
	if (cfg_str(x, o, "store", "path", CFG_FILE_MAX, &s) == 1)
		x->c->store_path = cfg_abspath(x, s);
	if (cfg_str(x, root, "", "export_dir", CFG_FILE_MAX, &s) == 1)
		x->c->export_dir = cfg_abspath(x, s);
}

static void
cfg_clock_parse(struct cfg_ctx *x, const cJSON *root)
{
	static const char *const keys[] = { "fixed", NULL };
	const cJSON *o = cfg_object(x, root, "", "clock", keys);
	const cJSON *it = jarg_get(o, "fixed");
	struct rfc3339 t;

	if (it == NULL)
		return;
	/* A date has no instant to start from: refuse it, do not guess. */
	if (!cJSON_IsString(it) || rfc3339_parse(it->valuestring, &t) != 0 ||
	    t.is_date) {
		cfg_err(x, "clock.fixed: must be null or an RFC 3339 time with "
		    "an offset (2026-03-29T14:00:00+02:00)");
		return;
	}
	x->c->clock_is_fixed = true;
	x->c->clock_fixed_utc = t.utc;
}

/* Every section but territory, sectors, GPs and principals. */
void
cfg_sections_parse(struct cfg_ctx *x, const cJSON *root)
{
	cfg_planner_parse(x, root);
	cfg_oncall_parse(x, root);
	cfg_notify_parse(x, root);
	cfg_feeds_parse(x, root);
	cfg_booking_parse(x, root);
	cfg_server_parse(x, root);
	cfg_paths_parse(x, root);
	cfg_clock_parse(x, root);
}
