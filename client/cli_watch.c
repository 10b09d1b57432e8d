/* snpctl watch: snpd's events as they are published, one line each. */
#include "client/cli_watch.h"

#include <errno.h>
#include <math.h>
#include <poll.h>
#include <signal.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/signalfd.h>
#include <time.h>
#include <unistd.h>

#include <nanomsg/nn.h>
#include <nanomsg/pubsub.h>

#include "client/cli_opt.h"
#include "client/cli_out.h"
#include "client/cli_view.h"
#include "proto/jarg.h"
#include "proto/proto.h"

/* What one run watches for and how it prints. */
struct cli_watch {
	int		 sock;		/* nanomsg SUB, or -1 */
	int		 sig_fd;	/* signalfd of SIGINT, SIGTERM, or -1 */
	sigset_t	 old_mask;
	bool		 has_mask;
	bool		 is_pretty;
	bool		 is_tty;	/* stdout: clean control characters */
	long long	 want;		/* --count; 0: no end */
	long long	 printed;
};

int
cli_watch_args(int argc, char **argv, struct cli_req *req, char *why,
    size_t whylen)
{
	const char *count = NULL;
	bool is_pretty = false;
	cJSON *topics;
	long n = 0;
	int r;

	if ((req->asked = cJSON_CreateObject()) == NULL ||
	    (topics = cJSON_AddArrayToObject(req->asked, "topics")) == NULL)
		goto oom;
	for (int i = 0; i < argc; i++) {
		if ((r = cli_opt_value(argc, argv, &i, "--count", &count, why,
		    whylen)) < 0)
			return -1;
		if (r > 0)
			continue;
		if (strcmp(argv[i], "--pretty") == 0) {
			is_pretty = true;
			continue;
		}
		if (argv[i][0] == '-' && argv[i][1] != '\0') {
			snprintf(why, whylen, "unknown option '%s'", argv[i]);
			return -1;
		}
		if (!cJSON_AddItemToArray(topics,
		    cJSON_CreateString(argv[i])))
			goto oom;
	}
	if (count != NULL && cli_opt_count("--count", count, &n, why,
	    whylen) != 0)
		return -1;
	if ((n > 0 && cJSON_AddNumberToObject(req->asked, "count",
	    (double)n) == NULL) ||
	    (is_pretty && cJSON_AddTrueToObject(req->asked, "pretty") ==
	    NULL))
		goto oom;
	return 0;
oom:
	snprintf(why, whylen, "out of memory");
	return -1;
}

static double
cli_watch_now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec * 1e3 + (double)ts.tv_nsec / 1e6;
}

/* Writes all of buf to stdout; -1 with why set. */
static int
cli_watch_write(const char *buf, size_t len, char *why, size_t whylen)
{
	size_t off = 0;
	ssize_t n;

	while (off < len) {
		n = write(STDOUT_FILENO, buf + off, len - off);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0) {
			snprintf(why, whylen, "cannot write the output: %s",
			    strerror(errno));
			return -1;
		}
		off += (size_t)n;
	}
	return 0;
}

/*
 * The event as received, one line. Valid JSON has no raw CR or LF inside
 * a string, so making them spaces changes nothing of what it means.
 */
static int
cli_watch_raw(const struct cli_watch *w, const char *msg, size_t len,
    char *why, size_t whylen)
{
	unsigned char *p;
	int rc;

	while (len > 0 && msg[len - 1] == '\0')	/* C peers send strlen + 1 */
		len--;
	if ((p = malloc(len + 1)) == NULL) {
		snprintf(why, whylen, "out of memory");
		return -1;
	}
	memcpy(p, msg, len);
	for (size_t i = 0; i < len; i++) {
		if (p[i] == '\n' || p[i] == '\r')
			p[i] = ' ';
		else if (!w->is_tty)
			continue;
		else if (p[i] < 0x20 || p[i] == 0x7f)
			p[i] = '?';
		else if (p[i] == 0xc2 && i + 1 < len && p[i + 1] >= 0x80 &&
		    p[i + 1] <= 0x9f) {		/* a C1 control, U+0080.. */
			p[i] = '?';
			p[++i] = '?';
		}
	}
	p[len] = '\n';
	rc = cli_watch_write((char *)p, len + 1, why, whylen);
	free(p);
	return rc;
}

/* One field of an event, " key=value", a string quoted when it must. */
static void
cli_watch_field(struct cli_out *out, const cJSON *it)
{
	char v[512];
	char *json;

	if (cJSON_IsString(it)) {
		cli_out_clean(it->valuestring, v, sizeof(v));
		if (*v == '\0' || strpbrk(v, " \"=") != NULL)
			cli_out_printf(out, " %s=\"%s\"", it->string, v);
		else
			cli_out_printf(out, " %s=%s", it->string, v);
		return;
	}
	if (cJSON_IsNumber(it) && it->valuedouble == floor(it->valuedouble) &&
	    fabs(it->valuedouble) < 9007199254740992.0) {
		cli_out_printf(out, " %s=%lld", it->string,
		    (long long)it->valuedouble);
		return;
	}
	if ((json = cJSON_PrintUnformatted(it)) == NULL) {
		out->has_failed = true;
		return;
	}
	cli_out_clean(json, v, sizeof(v));
	cli_out_printf(out, " %s=%s", it->string, v);
	cJSON_free(json);
}

/*
 * "14:02:11 booking.created booking=b-… slot=gp-dupont/…": the time this
 * machine received it, the topic, then the object's fields in order.
 */
static int
cli_watch_pretty(const char *msg, size_t len, char *why, size_t whylen)
{
	const char *sp = memchr(msg, ' ', len);
	size_t tlen = sp != NULL ? (size_t)(sp - msg) : len;
	char at[16] = "", pwhy[PROTO_WHY_MAX];
	const cJSON *it;
	struct cli_out out;
	time_t now = time(NULL);
	struct tm tm;
	cJSON *obj = NULL;
	int rc;

	if (localtime_r(&now, &tm) != NULL)
		strftime(at, sizeof(at), "%H:%M:%S", &tm);
	cli_out_init(&out);
	cli_out_printf(&out, "%s %.*s", at, (int)tlen, msg);
	if (sp != NULL)
		obj = proto_parse(sp + 1, len - tlen - 1, pwhy, sizeof(pwhy));
	if (cJSON_IsObject(obj)) {
		cJSON_ArrayForEach(it, obj)
			cli_watch_field(&out, it);
	} else if (sp != NULL)
		cli_out_printf(&out, " %.*s", (int)(len - tlen - 1), sp + 1);
	cJSON_Delete(obj);
	cli_out_printf(&out, "\n");
	/* cli_out_flush() shows control characters, a raw LF too, as '?'. */
	for (size_t i = 0; i + 1 < out.len; i++)
		if (out.buf[i] == '\n')
			out.buf[i] = ' ';
	rc = cli_out_flush(&out, STDOUT_FILENO, why, whylen);
	cli_out_fini(&out);
	return rc;
}

/*
 * Receives what is queued. Returns 1 once --count events were printed,
 * 0 when nothing is left to read, or -1 with why set.
 */
static int
cli_watch_drain(struct cli_watch *w, char *why, size_t whylen)
{
	void *msg;
	int n, rc;

	while ((n = nn_recv(w->sock, &msg, NN_MSG, NN_DONTWAIT)) >= 0) {
		rc = w->is_pretty ? cli_watch_pretty(msg, (size_t)n, why,
		    whylen) : cli_watch_raw(w, msg, (size_t)n, why, whylen);
		nn_freemsg(msg);
		if (rc != 0)
			return -1;
		if (++w->printed == w->want)
			return 1;
	}
	if (nn_errno() == EAGAIN || nn_errno() == EINTR)
		return 0;
	snprintf(why, whylen, "receiving events: %s", nn_strerror(nn_errno()));
	return -1;
}

/*
 * The SUB socket, connected to ctx->pub and subscribed to topics (every
 * event when there is none). CLI_EXIT_USAGE when nanomsg refuses the
 * endpoint; nothing need listen there yet: nanomsg keeps trying.
 */
static int
cli_watch_open(struct cli_watch *w, const struct cli_ctx *ctx,
    const cJSON *topics, char *why, size_t whylen)
{
	int ivl = CLI_WATCH_RECONNECT_MS, ivl_max = CLI_WATCH_RECONNECT_MAX_MS;
	int maxsize = CLI_WATCH_MAX_EVENT;
	const cJSON *t;

	if ((w->sock = nn_socket(AF_SP, NN_SUB)) < 0) {
		snprintf(why, whylen, "cannot open a socket: %s",
		    nn_strerror(nn_errno()));
		return CLI_EXIT_REFUSED;
	}
	/*
	 * nanomsg's default waits 100 ms, then never more: make sure, and
	 * cap its backoff at 1 s, so that a restarted snpd is back within a
	 * second. Its default NN_RCVMAXSIZE (1 MiB) would drop the whole
	 * connection at a large event: raise it.
	 */
	if (nn_setsockopt(w->sock, NN_SOL_SOCKET, NN_RECONNECT_IVL, &ivl,
	    sizeof(ivl)) != 0 ||
	    nn_setsockopt(w->sock, NN_SOL_SOCKET, NN_RECONNECT_IVL_MAX,
	    &ivl_max, sizeof(ivl_max)) != 0 ||
	    nn_setsockopt(w->sock, NN_SOL_SOCKET, NN_RCVMAXSIZE, &maxsize,
	    sizeof(maxsize)) != 0) {
		snprintf(why, whylen, "cannot set socket options: %s",
		    nn_strerror(nn_errno()));
		return CLI_EXIT_REFUSED;
	}
	cJSON_ArrayForEach(t, topics)
		if (nn_setsockopt(w->sock, NN_SUB, NN_SUB_SUBSCRIBE,
		    t->valuestring, strlen(t->valuestring)) != 0)
			goto fail_sub;
	if (cJSON_GetArraySize(topics) == 0 &&
	    nn_setsockopt(w->sock, NN_SUB, NN_SUB_SUBSCRIBE, "", 0) != 0)
		goto fail_sub;
	if (nn_connect(w->sock, ctx->pub) < 0) {
		snprintf(why, whylen, "endpoint %s: %s", ctx->pub,
		    nn_strerror(nn_errno()));
		return CLI_EXIT_USAGE;
	}
	return CLI_EXIT_OK;
fail_sub:
	snprintf(why, whylen, "cannot subscribe: %s", nn_strerror(nn_errno()));
	return CLI_EXIT_REFUSED;
}

/*
 * SIGINT and SIGTERM are blocked and read from a descriptor polled with
 * the socket: a stop is noticed even between two polls, with no handler
 * and no global flag.
 */
static int
cli_watch_signals(struct cli_watch *w, char *why, size_t whylen)
{
	sigset_t set;

	sigemptyset(&set);
	sigaddset(&set, SIGINT);
	sigaddset(&set, SIGTERM);
	if (sigprocmask(SIG_BLOCK, &set, &w->old_mask) != 0) {
		snprintf(why, whylen, "cannot block signals: %s",
		    strerror(errno));
		return -1;
	}
	w->has_mask = true;
	if ((w->sig_fd = signalfd(-1, &set, SFD_CLOEXEC | SFD_NONBLOCK)) <
	    0) {
		snprintf(why, whylen, "cannot watch signals: %s",
		    strerror(errno));
		return -1;
	}
	return 0;
}

/*
 * Reads the pending signals: left pending, they would kill snpctl as
 * soon as their mask is restored, and the stop they asked for would
 * exit with a signal's status rather than 0.
 */
static void
cli_watch_take_signals(const struct cli_watch *w)
{
	struct signalfd_siginfo si;

	while (read(w->sig_fd, &si, sizeof(si)) == (ssize_t)sizeof(si))
		continue;
}

/* "no event within 2 s" / "1 event of 3 within 2 s" */
static int
cli_watch_timed_out(const struct cli_watch *w, double timeout_s, char *why,
    size_t whylen)
{
	if (w->want == 0)
		return CLI_EXIT_OK;
	if (w->printed == 0)
		snprintf(why, whylen, "no event within %g s", timeout_s);
	else
		snprintf(why, whylen, "%lld %s of %lld within %g s", w->printed,
		    cli_view_plural(w->printed, "event", "events"), w->want,
		    timeout_s);
	return CLI_EXIT_REFUSED;
}

/* Polls until a stop: a signal, the count, the deadline or a failure. */
static int
cli_watch_loop(struct cli_watch *w, double timeout_s, char *why,
    size_t whylen)
{
	struct pollfd pfd[2];
	double deadline = 0, left;
	size_t sz = sizeof(int);
	int fd, r, wait_ms;

	if (nn_getsockopt(w->sock, NN_SOL_SOCKET, NN_RCVFD, &fd, &sz) != 0) {
		snprintf(why, whylen, "cannot poll the socket: %s",
		    nn_strerror(nn_errno()));
		return CLI_EXIT_REFUSED;
	}
	if (timeout_s > 0)
		deadline = cli_watch_now_ms() + timeout_s * 1e3;
	pfd[0] = (struct pollfd){ .fd = w->sig_fd, .events = POLLIN };
	pfd[1] = (struct pollfd){ .fd = fd, .events = POLLIN };
	for (;;) {
		wait_ms = -1;
		if (timeout_s > 0) {
			if ((left = deadline - cli_watch_now_ms()) <= 0)
				return cli_watch_timed_out(w, timeout_s, why,
				    whylen);
			wait_ms = (int)ceil(left);
		}
		if ((r = poll(pfd, 2, wait_ms)) < 0 && errno != EINTR) {
			snprintf(why, whylen, "poll: %s", strerror(errno));
			return CLI_EXIT_REFUSED;
		}
		if (r <= 0)
			continue;
		if (pfd[0].revents != 0) {	/* SIGINT or SIGTERM: done */
			cli_watch_take_signals(w);
			return CLI_EXIT_OK;
		}
		/* The descriptor may wake with nothing: drain finds EAGAIN. */
		if (pfd[1].revents != 0 &&
		    (r = cli_watch_drain(w, why, whylen)) != 0)
			return r > 0 ? CLI_EXIT_OK : CLI_EXIT_REFUSED;
	}
}

int
cli_watch_run(struct cli_ctx *ctx, const struct cli_req *req, char *why,
    size_t whylen)
{
	struct cli_watch w = { .sock = -1, .sig_fd = -1 };
	long long want = 0;
	int rc;

	w.is_pretty = cli_view_bool(req->asked, "pretty") == 1;
	if (w.is_pretty && ctx->is_json) {
		snprintf(why, whylen, "--pretty and --json: give one of them "
		    "(without either, watch prints the events as JSON)");
		return CLI_EXIT_USAGE;
	}
	(void)cli_view_int(req->asked, "count", &want);
	w.want = want;
	w.is_tty = isatty(STDOUT_FILENO) == 1;
	if (cli_opt_resolve_pub(ctx, why, whylen) != 0)
		return CLI_EXIT_USAGE;
	if (cli_watch_signals(&w, why, whylen) != 0) {
		rc = CLI_EXIT_REFUSED;
		goto out;
	}
	if ((rc = cli_watch_open(&w, ctx, jarg_get(req->asked, "topics"), why,
	    whylen)) != CLI_EXIT_OK)
		goto out;
	rc = cli_watch_loop(&w, ctx->timeout_s, why, whylen);
out:
	if (w.sock >= 0)
		nn_close(w.sock);
	if (w.sig_fd >= 0)
		close(w.sig_fd);
	/*
	 * A signal that came after the loop is still pending: restoring
	 * the mask delivers it, and it stops snpctl as it would have.
	 */
	if (w.has_mask)
		sigprocmask(SIG_SETMASK, &w.old_mask, NULL);
	return rc;
}
