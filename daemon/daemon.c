/* snpd's one context: config, clock, store, sockets; start, reload, stop. */
#include "daemon/daemon.h"

#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "daemon/booking.h"
#include "daemon/export.h"
#include "daemon/feed.h"
#include "daemon/log.h"
#include "daemon/ops.h"
#include "daemon/planner.h"
#include "daemon/roster.h"
#include "daemon/tc.h"
#include "daemon/srv.h"
#include "daemon/store.h"

char *
daemon_time(const struct daemon *d, int64_t utc, char buf[RFC3339_MAX])
{
	rfc3339_format(utc, tz_offset_s(d->cfg->territory.tz, utc), false,
	    buf);
	return buf;
}

static void
daemon_audit_done(void *arg, int err)
{
	(void)arg;
	if (err != STORE_OK)
		log_err("store", "audit row lost: %s", store_strerror(err));
}

void
daemon_audit(struct daemon *d, const char *who, const char *what,
    const char *ref)
{
	struct store_audit a;
	int err;

	memset(&a, 0, sizeof(a));
	a.at_utc = clk_now_utc(&d->clk);
	snprintf(a.who, sizeof(a.who), "%s", who);
	snprintf(a.what, sizeof(a.what), "%s", what);
	snprintf(a.ref, sizeof(a.ref), "%s", ref != NULL ? ref : "");
	err = store_audit(d->store, &a, daemon_audit_done, NULL);
	if (err != STORE_OK)
		daemon_audit_done(NULL, err);
}

/* Print each line of a problem list through the log, then free it. */
static void
daemon_log_lines(int level, const char *prefix, char *text)
{
	char *save = NULL;

	for (char *l = strtok_r(text, "\n", &save); l != NULL;
	    l = strtok_r(NULL, "\n", &save))
		log_msg(level, "cfg", "%s%s", prefix, l);
	free(text);
}

/*
 * Settings bound at start: the sockets, the store and the clock. A reload
 * keeps the old values and says that a restart applies them.
 */
static void
daemon_warn_restart_only(const struct cfg *old, const struct cfg *new)
{
	static const char *const fmt = "%s changed: restart snpd to apply it";

	if (strcmp(old->server.rep, new->server.rep) != 0)
		log_warning("cfg", fmt, "server.rep");
	if (strcmp(old->server.pub, new->server.pub) != 0)
		log_warning("cfg", fmt, "server.pub");
	if (old->server.max_message_bytes != new->server.max_message_bytes)
		log_warning("cfg", fmt, "server.max_message_bytes");
	if (old->server.max_in_flight != new->server.max_in_flight)
		log_warning("cfg", fmt, "server.max_in_flight");
	if (strcmp(old->store_path, new->store_path) != 0)
		log_warning("cfg", fmt, "store.path");
	if (old->clock_is_fixed != new->clock_is_fixed ||
	    old->clock_fixed_utc != new->clock_fixed_utc)
		log_warning("cfg", fmt, "clock.fixed");
}

int
daemon_reload(struct daemon *d, char **errors)
{
	struct cfg *c = cfg_load(d->cfg_path, errors);

	if (c == NULL)
		return -1;
	daemon_warn_restart_only(d->cfg, c);
	/*
	 * Nothing on the loop keeps a pointer into the old config across a
	 * callback (see struct daemon), so it can go at once.
	 */
	cfg_free(d->cfg);
	d->cfg = c;
	d->cfg_loaded_utc = clk_now_utc(&d->clk);
	d->reloads++;
	if (d->feeds != NULL)
		feeds_reload(d->feeds);
	if (d->planner != NULL)
		planner_reload(d->planner);
	if (d->booking != NULL)
		booking_reload(d->booking);
	roster_reload(d->roster);
	export_touch_all(d->exporter);
	log_notice("cfg", "config reloaded: %zu GPs, %zu sectors, %zu "
	    "principals", c->n_gps, c->n_sectors, c->n_principals);
	return 0;
}

static void
daemon_close_walk(uv_handle_t *h, void *arg)
{
	(void)arg;
	if (!uv_is_closing(h))
		uv_close(h, NULL);
}

/* Last step: close everything; uv_run() returns once all is closed. */
static void
daemon_close(struct daemon *d)
{
	d->state = DAEMON_CLOSING;
	/*
	 * The store first: closing it runs the completions of its last
	 * writes, whose replies still need the sockets.
	 */
	planner_close(d->planner);
	d->planner = NULL;
	booking_close(d->booking);
	d->booking = NULL;
	tc_close(d->tc);
	d->tc = NULL;
	roster_close(d->roster);
	d->roster = NULL;
	export_close(d->exporter);
	d->exporter = NULL;
	store_close(d->store);
	d->store = NULL;
	feeds_close(d->feeds);
	d->feeds = NULL;
	srv_close(d->srv);
	d->srv = NULL;
	uv_walk(&d->loop, daemon_close_walk, NULL);
}

/*
 * nanomsg has no working NN_LINGER: nn_close() may drop a reply still
 * queued for its peer. So the sockets stay open linger_ms after the
 * drain, still answering E_UNAVAILABLE; then reading stops, and they
 * close once the last reply has had linger_ms / 2 to leave. A flood
 * cannot keep snpd up: the whole linger lasts at most 1.5 linger_ms.
 */
static void
daemon_on_linger(uv_timer_t *t)
{
	struct daemon *d = t->data;
	uint64_t flush = (uint64_t)d->cfg->server.linger_ms / 2, since;
	struct srv_stats st;

	if (d->state != DAEMON_LINGERING)
		return;
	srv_stop_reading(d->srv);
	srv_stats(d->srv, &st);
	since = clk_mono_ms() - st.last_send_ms;
	if (since < flush) {
		/* Reading has stopped: no new reply can push this back. */
		uv_timer_start(t, daemon_on_linger, flush - since, 0);
		return;
	}
	daemon_close(d);
}

static void
daemon_stop_done(void *arg, int err)
{
	struct daemon *d = arg;

	daemon_audit_done(NULL, err);
	if (d->state != DAEMON_STOPPING)
		return;		/* a second signal closed everything */
	d->state = DAEMON_LINGERING;
	uv_timer_start(&d->linger, daemon_on_linger,
	    (uint64_t)d->cfg->server.linger_ms, 0);
}

/* Everything in flight has been answered: record the stop, then linger. */
static void
daemon_on_drained(void *arg)
{
	struct daemon *d = arg;
	struct store_audit a;

	if (d->state != DAEMON_DRAINING)
		return;
	d->state = DAEMON_STOPPING;
	log_notice("main", "all requests answered; closing");
	memset(&a, 0, sizeof(a));
	a.at_utc = clk_now_utc(&d->clk);
	snprintf(a.who, sizeof(a.who), "snpd");
	snprintf(a.what, sizeof(a.what), "daemon.stop");
	if (store_audit(d->store, &a, daemon_stop_done, d) != STORE_OK)
		daemon_stop_done(d, STORE_ECLOSED);
}

static void
daemon_on_signal(uv_signal_t *h, int signum)
{
	struct daemon *d = h->data;
	char *errors = NULL;

	if (signum == SIGHUP) {
		if (d->state != DAEMON_RUNNING)
			return;
		if (daemon_reload(d, &errors) == 0)
			daemon_audit(d, "signal", "config.reload", "SIGHUP");
		else
			daemon_log_lines(LOG_ERR, "reload refused, old config "
			    "kept: ", errors);
		return;
	}
	switch (d->state) {
	case DAEMON_RUNNING:
		log_notice("main", "%s: shutting down",
		    signum == SIGINT ? "SIGINT" : "SIGTERM");
		d->state = DAEMON_DRAINING;
		feeds_quiesce(d->feeds);
		srv_drain(d->srv);	/* may call daemon_on_drained now */
		break;
	case DAEMON_DRAINING:
	case DAEMON_STOPPING:
	case DAEMON_LINGERING:
		log_warning("main", "second signal: closing now");
		daemon_close(d);
		break;
	case DAEMON_CLOSING:
		break;
	}
}

static int
daemon_signals(struct daemon *d)
{
	struct {
		uv_signal_t	*h;
		int		 sig;
	} sigs[] = {
		{ &d->sig_term, SIGTERM }, { &d->sig_int, SIGINT },
		{ &d->sig_hup, SIGHUP },
	};

	for (size_t i = 0; i < sizeof(sigs) / sizeof(sigs[0]); i++) {
		if (uv_signal_init(&d->loop, sigs[i].h) != 0 ||
		    uv_signal_start(sigs[i].h, daemon_on_signal,
		    sigs[i].sig) != 0)
			return -1;
		sigs[i].h->data = d;
	}
	return 0;
}

/* Open store and sockets; 0, or the exit status after logging why. */
static int
daemon_start(struct daemon *d)
{
	const struct cfg *c = d->cfg;
	struct store_opts so = { .path = c->store_path };
	struct srv_opts vo = {
		.rep_url = c->server.rep,
		.pub_url = c->server.pub,
		.max_message_bytes = (size_t)c->server.max_message_bytes,
		.max_in_flight = (unsigned)c->server.max_in_flight,
		.socket_gid = c->server.socket_gid,
		.on_request = ops_dispatch,
		.on_drained = daemon_on_drained,
		.arg = d,
	};
	char why[512];
	size_t big;

	if (store_open(&d->loop, &so, &d->store, why, sizeof(why)) != 0) {
		log_err("store", "%s", why);
		return 1;
	}
	/*
	 * feed.push carries a calendar of up to feeds.max_bytes, JSON-escaped
	 * (each CRLF doubles): allow twice that. nanomsg drops, without a
	 * word, a connection whose message is over NN_RCVMAXSIZE: set it to
	 * twice the larger limit, plus room for the envelope, so that an
	 * oversized request still gets E_TOO_LARGE.
	 */
	vo.large_op = "feed.push";
	vo.large_op_bytes = (size_t)(2 * c->feeds.max_bytes + 65536);
	big = vo.large_op_bytes > vo.max_message_bytes ? vo.large_op_bytes :
	    vo.max_message_bytes;
	vo.hard_max_bytes = 2 * big + 65536;
	if (srv_open(&d->loop, &vo, &d->srv, why, sizeof(why)) != 0) {
		log_err("srv", "%s", why);
		return 1;
	}
	if (export_open(d, &d->exporter, why, sizeof(why)) != 0) {
		log_err("export", "%s", why);
		return 1;
	}
	/* Before the planner: its plans keep booked and held slots. */
	if (booking_open(d, &d->booking, why, sizeof(why)) != 0) {
		log_err("booking", "%s", why);
		return 1;
	}
	if (roster_open(d, &d->roster, why, sizeof(why)) != 0) {
		log_err("rota", "%s", why);
		return 1;
	}
	if (tc_open(d, &d->tc, why, sizeof(why)) != 0) {
		log_err("tc", "%s", why);
		return 1;
	}
	/* Before the feeds: their stored content tells the planner. */
	if (planner_open(d, &d->planner, why, sizeof(why)) != 0) {
		log_err("plan", "%s", why);
		return 1;
	}
	if (feeds_open(d, &d->feeds, why, sizeof(why)) != 0) {
		log_err("feed", "%s", why);
		return 1;
	}
	if (daemon_signals(d) != 0 ||
	    uv_timer_init(&d->loop, &d->linger) != 0) {
		log_err("main", "cannot set up signals and timers");
		return 1;
	}
	d->linger.data = d;
	return 0;
}

int
daemon_run(const struct daemon_opts *opts)
{
	struct daemon d;
	char now[RFC3339_MAX], *errors = NULL;
	int rc;

	memset(&d, 0, sizeof(d));
	d.cfg_path = opts->cfg_path;
	d.cfg = cfg_load(opts->cfg_path, &errors);
	if (d.cfg == NULL) {
		daemon_log_lines(LOG_ERR, "", errors);
		return 2;
	}
	if (opts->has_now)
		clk_init_fixed(&d.clk, opts->now_utc);
	else if (d.cfg->clock_is_fixed)
		clk_init_fixed(&d.clk, d.cfg->clock_fixed_utc);
	else
		clk_init_real(&d.clk);
	d.started_utc = d.cfg_loaded_utc = clk_now_utc(&d.clk);
	if (uv_loop_init(&d.loop) != 0) {
		log_err("main", "cannot create the event loop");
		cfg_free(d.cfg);
		return 1;
	}
	rc = daemon_start(&d);
	if (rc == 0) {
		daemon_audit(&d, "snpd", "daemon.start", SNP_VERSION);
		log_notice("main", "snpd %s serving %s on %s (events %s); now "
		    "%s%s; %zu GPs in %zu sectors", SNP_VERSION,
		    d.cfg->territory.name, d.cfg->server.rep,
		    d.cfg->server.pub, daemon_time(&d, d.started_utc, now),
		    d.clk.is_fixed ? " (pinned clock)" : "", d.cfg->n_gps,
		    d.cfg->n_sectors);
		uv_run(&d.loop, UV_RUN_DEFAULT);
	} else
		daemon_close(&d);

	/* Whatever is left open (a failed start) closes here. */
	uv_walk(&d.loop, daemon_close_walk, NULL);
	uv_run(&d.loop, UV_RUN_DEFAULT);
	if (uv_loop_close(&d.loop) != 0) {
		log_err("main", "a handle was left open at exit");
		rc = rc != 0 ? rc : 1;
	}
	if (rc == 0)
		log_notice("main", "stopped cleanly");
	cfg_free(d.cfg);
	return rc;
}
