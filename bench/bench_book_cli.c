/*
 * The booking benchmark's clients: REQ sockets in child processes, each
 * its own (the bench's own process never opens a nanomsg socket, so that
 * no child inherits nanomsg's threads half-copied by fork).
 */
#include "bench/bench_book_int.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <cjson/cJSON.h>
#include <nanomsg/nn.h>
#include <nanomsg/reqrep.h>

#include "bench/bench_fork.h"

#define BB_REQ_MAX	1024
#define BB_TODAY_Y	2026
#define BB_TODAY_M	11
#define BB_TODAY_D	30

/* A REQ socket to url: replies of any size, timeout_ms at most each way. */
static int
bb_sock(const char *url, int timeout_ms)
{
	int s = nn_socket(AF_SP, NN_REQ), max = -1;

	if (s < 0)
		return -1;
	if (nn_setsockopt(s, NN_SOL_SOCKET, NN_RCVMAXSIZE, &max,
	    sizeof(max)) < 0 || nn_setsockopt(s, NN_SOL_SOCKET, NN_RCVTIMEO,
	    &timeout_ms, sizeof(timeout_ms)) < 0 || nn_setsockopt(s,
	    NN_SOL_SOCKET, NN_SNDTIMEO, &timeout_ms, sizeof(timeout_ms)) < 0 ||
	    nn_connect(s, url) < 0) {
		nn_close(s);
		return -1;
	}
	return s;
}

/* One request and its reply (NN_MSG: nn_freemsg it). 0, or -1. */
static int
bb_call(int s, const char *req, size_t len, char **rep, size_t *rlen)
{
	int n;

	*rep = NULL;
	if (nn_send(s, req, len, 0) != (int)len)
		return -1;
	if ((n = nn_recv(s, rep, NN_MSG, 0)) < 0)
		return -1;
	*rlen = (size_t)n;
	return 0;
}

/* snpd writes "ok" right after "v" and "id": look near the start. */
static bool
bb_is_ok(const char *rep, size_t len)
{
	return memmem(rep, len < 256 ? len : 256, "\"ok\":true", 9) != NULL;
}

static void
bb_note_error(struct bb_child_res *r, const char *what, const char *rep,
    size_t len)
{
	if (r->errors++ > 0)
		return;
	if (rep == NULL)
		snprintf(r->first_error, sizeof(r->first_error), "%s: %s",
		    what, nn_strerror(nn_errno()));
	else
		snprintf(r->first_error, sizeof(r->first_error), "%s: %.*s",
		    what, (int)(len < 200 ? len : 200), rep);
}

/* Date of horizon day d, "YYYY-MM-DD". */
static void
bb_date(int d, char out[32])
{
	time_t t = (time_t)tz_civil(BB_TODAY_Y, BB_TODAY_M, BB_TODAY_D + d,
	    12, 0, 0);
	struct tm tm;

	gmtime_r(&t, &tm);
	snprintf(out, 32, "%04d-%02d-%02d", tm.tm_year + 1900, tm.tm_mon + 1,
	    tm.tm_mday);
}

static int
bb_search_req(const struct bb_terr *t, int q, long seq, char *buf,
    size_t len)
{
	return snprintf(buf, len, "{\"v\":1,\"id\":\"q%d-%ld\","
	    "\"op\":\"slots.search\",\"token\":\"%s\",\"args\":%s}", q, seq,
	    BB_SECR_TOKEN, t->q[q].args);
}

static const char *const bb_patients[] = {
	"Jeanne Mercier", "Louis Chabrier", "Margaux Delmas", "Théo Vialle",
	"Rose Teyssier", "Hugo Barthélemy", "Alice Pélissier", "Noé Aubert",
};

/* booking.create of slot, as the secretariat sends it. */
static int
bb_book_req(const char *slot, int key_base, long seq, char *buf, size_t len)
{
	return snprintf(buf, len, "{\"v\":1,\"id\":\"b%d-%ld\","
	    "\"op\":\"booking.create\",\"token\":\"%s\",\"args\":{"
	    "\"slot\":\"%s\",\"idempotency_key\":\"bench-%d-%ld\","
	    "\"patient\":{\"name\":\"%s\",\"phone\":\"06%08ld\","
	    "\"birth_year\":%ld,\"commune\":\"63%03ld\"},"
	    "\"reason\":\"Fièvre à 39 °C et toux depuis deux jours\"}}",
	    key_base, seq, BB_SECR_TOKEN, slot, key_base, seq,
	    bb_patients[seq % 8], 12345678 + seq, 1940 + seq % 80,
	    1 + seq % 400);
}

/* The searches of a search client, until its deadline or the bookers'. */
static void
bb_search_loop(const struct bb_terr *t, struct bb_shm *shm,
    const struct bb_client *c, struct bb_child_res *r, int s, int q)
{
	bool is_timed = c->role != BB_SEARCH_THR;
	double deadline = r->t0 + c->seconds, a, b;
	char req[BB_REQ_MAX], *rep;
	size_t rlen = 0;
	long seq = 1;
	int len;

	for (;;) {
		if (c->role == BB_SEARCH_MIXED ?
		    __atomic_load_n(&shm->bookers_left, __ATOMIC_ACQUIRE) == 0 :
		    bb_now() >= deadline)
			break;
		len = bb_search_req(t, q, seq++, req, sizeof(req));
		a = bb_now();
		if (bb_call(s, req, (size_t)len, &rep, &rlen) != 0) {
			bb_note_error(r, "search", NULL, 0);
			return;
		}
		b = bb_now();
		if (bb_is_ok(rep, rlen))
			r->done++;
		else
			bb_note_error(r, "search", rep, rlen);
		nn_freemsg(rep);
		if (is_timed && r->n_lat < c->lat_max)
			shm->samples[c->lat_off + r->n_lat++] =
			    (struct bb_sample){ (float)((b - a) * 1e6),
			    (uint16_t)q };
		q = (q + 1) % t->n_q;
		if (c->role == BB_SEARCH_MIXED && b >= deadline)
			break;
	}
}

static void
bb_book_loop(struct bb_shm *shm, const struct bb_client *c,
    struct bb_child_res *r, int s)
{
	char req[BB_REQ_MAX], *rep;
	size_t rlen = 0;
	int len;

	for (size_t i = c->slot_from; i < c->slot_to; i++) {
		/* Paced: the i-th booking leaves at t0 + i / rate. */
		if (c->rate > 0) {
			double due = r->t0 + (double)(i - c->slot_from) /
			    c->rate, wait = due - bb_now();

			if (wait > 0)
				nanosleep(&(struct timespec){ (time_t)wait,
				    (long)((wait - (double)(time_t)wait) *
				    1e9) }, NULL);
		}
		len = bb_book_req(shm->slots[i], c->key_base, (long)i, req,
		    sizeof(req));
		if (bb_call(s, req, (size_t)len, &rep, &rlen) != 0) {
			bb_note_error(r, "booking.create", NULL, 0);
			break;
		}
		if (bb_is_ok(rep, rlen))
			r->done++;
		else
			bb_note_error(r, "booking.create", rep, rlen);
		nn_freemsg(rep);
	}
}

static int
bb_client_main(const struct bb_terr *t, struct bb_shm *shm,
    const struct bb_client *c, int idx, int ready_fd, int go_fd)
{
	struct bb_child_res *r = &shm->child[idx];
	char req[BB_REQ_MAX], *rep = NULL, go;
	size_t rlen = 0;
	int s, len, q = (idx * 7) % t->n_q;

	memset(r, 0, sizeof(*r));
	if ((s = bb_sock(c->url, 30000)) < 0)
		return -1;
	/* One request first: the connection is up before the start. */
	if (c->role == BB_BOOK)
		len = snprintf(req, sizeof(req), "{\"v\":1,\"id\":\"w%d\","
		    "\"op\":\"sys.ping\",\"token\":\"%s\"}", idx,
		    BB_SECR_TOKEN);
	else
		len = bb_search_req(t, q, 0, req, sizeof(req));
	if (bb_call(s, req, (size_t)len, &rep, &rlen) != 0)
		return -1;
	nn_freemsg(rep);
	if (write(ready_fd, "r", 1) != 1)
		return -1;
	close(ready_fd);
	if (read(go_fd, &go, 1) != 0)	/* the bench closes it: start */
		return -1;
	r->t0 = bb_now();
	r->lat_off = c->lat_off;
	if (c->role == BB_BOOK) {
		bb_book_loop(shm, c, r, s);
		__atomic_sub_fetch(&shm->bookers_left, 1, __ATOMIC_RELEASE);
	} else
		bb_search_loop(t, shm, c, r, s, q);
	r->t1 = bb_now();
	r->ok = 1;
	nn_close(s);
	return 0;
}

int
bb_clients_run(const struct bb_terr *t, struct bb_shm *shm,
    const struct bb_client *c, int n)
{
	pid_t pid[BB_MAX_CLIENTS + 1];
	int ready[2], go[2], rc = 0, status, got = 0;
	ssize_t k;
	char buf[64];

	if (n > BB_MAX_CLIENTS + 1 || pipe(ready) != 0)
		return -1;
	if (pipe(go) != 0) {
		close(ready[0]);
		close(ready[1]);
		return -1;
	}
	fflush(stdout);
	fflush(stderr);
	for (int i = 0; i < n; i++) {
		shm->child[i].ok = 0;
		if ((pid[i] = fork()) == 0) {
			close(ready[0]);
			close(go[1]);
			_exit(bb_client_main(t, shm, &c[i], i, ready[1],
			    go[0]) == 0 ? 0 : 1);
		}
		if (pid[i] < 0) {
			n = i;
			rc = -1;
			break;
		}
	}
	close(ready[1]);
	close(go[0]);
	while (got < n && (k = read(ready[0], buf, sizeof(buf))) > 0)
		got += (int)k;
	close(ready[0]);
	close(go[1]);		/* every client starts now */
	for (int i = 0; i < n; i++)
		if (waitpid(pid[i], &status, 0) != pid[i] ||
		    !WIFEXITED(status) || WEXITSTATUS(status) != 0 ||
		    !shm->child[i].ok) {
			fprintf(stderr, "bench_book: client %d failed%s%s\n",
			    i, shm->child[i].first_error[0] ? ": " : "",
			    shm->child[i].first_error);
			rc = -1;
		}
	return got == n ? rc : -1;
}

/* ---- control requests, each in a child (bench_fork) ------------------ */

/* The reply to one request as cJSON, NULL on failure or not ok. */
static cJSON *
bb_ctl_call(int s, const char *op, const char *args)
{
	char req[BB_REQ_MAX], *rep;
	size_t rlen = 0;
	cJSON *root, *res;
	int len;

	len = snprintf(req, sizeof(req), "{\"v\":1,\"id\":\"c\",\"op\":\"%s\","
	    "\"token\":\"%s\",\"args\":%s}", op, BB_ADMIN_TOKEN, args);
	if (bb_call(s, req, (size_t)len, &rep, &rlen) != 0)
		return NULL;
	root = cJSON_ParseWithLength(rep, rlen);
	nn_freemsg(rep);
	if (root == NULL || !cJSON_IsTrue(cJSON_GetObjectItemCaseSensitive(
	    root, "ok"))) {
		cJSON_Delete(root);
		return NULL;
	}
	res = cJSON_DetachItemFromObjectCaseSensitive(root, "result");
	cJSON_Delete(root);
	return res;
}

static double
bb_num(const cJSON *o, const char *key)
{
	const cJSON *v = cJSON_GetObjectItemCaseSensitive(o, key);

	return cJSON_IsNumber(v) ? v->valuedouble : -1;
}

static void
bb_pause_ms(long ms)
{
	struct timespec ts = { ms / 1000, (ms % 1000) * 1000000 };

	nanosleep(&ts, NULL);
}

struct bb_ctl_arg {
	const struct bb_terr	*t;
	struct bb_shm		*shm;
	double			 timeout_s;
};

struct bb_ctl_res {
	int		 ok;
	struct bb_status st;
	size_t		 reply_off[BB_MAX_QUERIES], reply_len[BB_MAX_QUERIES];
	int		 results[BB_MAX_QUERIES];
};

static int
bb_ctl_ready_fn(void *arg, void *res)
{
	const struct bb_ctl_arg *a = arg;
	double deadline = bb_now() + a->timeout_s;
	char args[160], d0[32], d1[32];
	int s = bb_sock(a->t->rep_url, 1000), step = 0;
	cJSON *r;

	(void)res;
	if (s < 0)
		return -1;
	bb_date(0, d0);
	bb_date(1, d1);
	snprintf(args, sizeof(args), "{\"from\":\"%s\",\"to\":\"%s\","
	    "\"slots\":false}", d0, d1);
	while (step < 3) {
		if (bb_now() > deadline) {
			fprintf(stderr, "bench_book: snpd not ready after "
			    "%.0f s (step %d)\n", a->timeout_s, step);
			nn_close(s);
			return -1;
		}
		/* ping, plan.get until ready, sys.status until no write left */
		r = bb_ctl_call(s, step == 0 ? "sys.ping" : step == 1 ?
		    "plan.get" : "sys.status", step == 1 ? args : "{}");
		if (r != NULL && (step == 0 || (step == 1 && cJSON_IsTrue(
		    cJSON_GetObjectItemCaseSensitive(r, "ready"))) ||
		    (step == 2 && bb_num(cJSON_GetObjectItemCaseSensitive(r,
		    "store"), "writes_pending") == 0)))
			step++;
		else
			bb_pause_ms(50);
		cJSON_Delete(r);
	}
	nn_close(s);
	return 0;
}

int
bb_ctl_ready(const struct bb_terr *t, double timeout_s)
{
	struct bb_ctl_arg a = { t, NULL, timeout_s };
	int ok;

	return bench_fork(bb_ctl_ready_fn, &a, &ok, sizeof(ok));
}

static int
bb_ctl_slots_fn(void *arg, void *res)
{
	const struct bb_ctl_arg *a = arg;
	struct bb_shm *shm = a->shm;
	char args[160], d0[32], d1[32];
	int s = bb_sock(a->t->rep_url, 30000);
	size_t cap = shm->arena_cap / sizeof(*shm->slots);
	const cJSON *it;
	cJSON *r;

	(void)res;
	if (s < 0)
		return -1;
	shm->slots = (char (*)[BB_SLOT_MAX])(void *)shm->arena;
	shm->n_slots = 0;
	shm->reserved_today = shm->reserved_week = 0;
	for (int d = 0; d < GEN_BOOK_DAYS; d++) {
		bb_date(d, d0);
		bb_date(d + 1, d1);
		snprintf(args, sizeof(args), "{\"from\":\"%s\",\"to\":\"%s\"}",
		    d0, d1);
		if ((r = bb_ctl_call(s, "plan.get", args)) == NULL) {
			nn_close(s);
			return -1;
		}
		cJSON_ArrayForEach(it, cJSON_GetObjectItemCaseSensitive(r,
		    "slots")) {
			const char *id = cJSON_GetStringValue(
			    cJSON_GetObjectItemCaseSensitive(it, "slot"));
			const char *st = cJSON_GetStringValue(
			    cJSON_GetObjectItemCaseSensitive(it, "state"));

			if (id == NULL || st == NULL ||
			    strcmp(st, "reserved") != 0 ||
			    strlen(id) >= BB_SLOT_MAX || shm->n_slots == cap)
				continue;
			snprintf(shm->slots[shm->n_slots++], BB_SLOT_MAX, "%s",
			    id);
			shm->reserved_today += d == 0;
			shm->reserved_week += d < 7;
		}
		cJSON_Delete(r);
	}
	shm->arena_used = shm->n_slots * sizeof(*shm->slots);
	nn_close(s);
	return 0;
}

int
bb_ctl_slots(const struct bb_terr *t, struct bb_shm *shm)
{
	struct bb_ctl_arg a = { t, shm, 0 };
	int ok;

	return bench_fork(bb_ctl_slots_fn, &a, &ok, sizeof(ok));
}

static int
bb_ctl_replies_fn(void *arg, void *res)
{
	const struct bb_ctl_arg *a = arg;
	struct bb_ctl_res *out = res;
	struct bb_shm *shm = a->shm;
	int s = bb_sock(a->t->rep_url, 30000), len;
	char req[BB_REQ_MAX], *rep;
	size_t rlen = 0;
	cJSON *root;

	if (s < 0)
		return -1;
	for (int q = 0; q < a->t->n_q; q++) {
		len = bb_search_req(a->t, q, 0, req, sizeof(req));
		if (bb_call(s, req, (size_t)len, &rep, &rlen) != 0)
			return -1;
		if (!bb_is_ok(rep, rlen) ||
		    shm->arena_used + rlen > shm->arena_cap) {
			fprintf(stderr, "bench_book: search %s: %.*s\n",
			    a->t->q[q].args, (int)(rlen < 200 ? rlen : 200),
			    rep);
			nn_freemsg(rep);
			return -1;
		}
		memcpy(shm->arena + shm->arena_used, rep, rlen);
		out->reply_off[q] = shm->arena_used;
		out->reply_len[q] = rlen;
		shm->arena_used += rlen;
		root = cJSON_ParseWithLength(rep, rlen);
		out->results[q] = cJSON_GetArraySize(
		    cJSON_GetObjectItemCaseSensitive(root, "result"));
		cJSON_Delete(root);
		nn_freemsg(rep);
	}
	nn_close(s);
	out->ok = 1;
	return 0;
}

int
bb_ctl_replies(struct bb_terr *t, struct bb_shm *shm)
{
	struct bb_ctl_arg a = { t, shm, 0 };
	struct bb_ctl_res *r = calloc(1, sizeof(*r));

	if (r == NULL || bench_fork(bb_ctl_replies_fn, &a, r,
	    sizeof(*r)) != 0 || !r->ok) {
		free(r);
		return -1;
	}
	for (int q = 0; q < t->n_q; q++) {
		t->q[q].reply_off = r->reply_off[q];
		t->q[q].reply_len = r->reply_len[q];
		t->q[q].results = r->results[q];
	}
	free(r);
	return 0;
}

static int
bb_ctl_echo_fn(void *arg, void *res)
{
	const struct bb_ctl_arg *a = arg;
	double deadline = bb_now() + a->timeout_s;
	int s = bb_sock(a->t->echo_url, 200), len;
	char req[BB_REQ_MAX], *rep;
	size_t rlen = 0;

	(void)res;
	if (s < 0)
		return -1;
	len = bb_search_req(a->t, 0, 0, req, sizeof(req));
	while (bb_call(s, req, (size_t)len, &rep, &rlen) != 0)
		if (bb_now() > deadline) {
			nn_close(s);
			return -1;
		}
	nn_freemsg(rep);
	nn_close(s);
	return 0;
}

int
bb_ctl_echo_ready(const struct bb_terr *t, double timeout_s)
{
	struct bb_ctl_arg a = { t, NULL, timeout_s };
	int ok;

	return bench_fork(bb_ctl_echo_fn, &a, &ok, sizeof(ok));
}

static int
bb_ctl_status_fn(void *arg, void *res)
{
	const struct bb_ctl_arg *a = arg;
	struct bb_status *st = res;
	int s = bb_sock(a->t->rep_url, 30000);
	const cJSON *store;
	cJSON *r;

	if (s < 0 || (r = bb_ctl_call(s, "sys.status", "{}")) == NULL)
		return -1;
	store = cJSON_GetObjectItemCaseSensitive(r, "store");
	st->writes = bb_num(store, "writes");
	st->commits = bb_num(store, "commits");
	st->pending = bb_num(store, "writes_pending");
	st->ok = 1;
	cJSON_Delete(r);
	nn_close(s);
	return 0;
}

int
bb_ctl_status(const struct bb_terr *t, struct bb_status *st)
{
	struct bb_ctl_arg a = { t, NULL, 0 };

	return bench_fork(bb_ctl_status_fn, &a, st, sizeof(*st));
}
