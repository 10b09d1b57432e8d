/* http_: GETs on a libuv loop against the scriptable test server. */
#include <setjmp.h>
#include <signal.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/wait.h>

#include <cmocka.h>

#include "daemon/http.h"

#define NGOT		8
#define DEADLINE_MS	10000
#define BIG_LIMIT	100000		/* max_bytes of the /big cases */
#define CURL_CHUNK	16384		/* CURL_MAX_WRITE_SIZE */

/* The server, shared by every test: started once, killed at the end. */
static pid_t httpd_pid = -1;
static int httpd_port;

struct fixture {
	uv_loop_t	 loop;
	uv_timer_t	 deadline;
	bool		 is_late;
	struct http	*h;
};

/* One transfer's outcome, filled by its done callback. */
struct got {
	struct fixture		*f;
	bool			 is_done;
	struct http_result	*res;
	uint64_t		 at_ms;
	/* What done does next, for the re-entrance tests: */
	bool			 closes_http;
	const char		*then_get;	/* path to GET from done */
	struct got		*then;		/* its outcome */
};

static void	on_done(void *arg, struct http_result *res);

static void
url_of(char *buf, size_t len, const char *path)
{
	snprintf(buf, len, "http://127.0.0.1:%d%s", httpd_port, path);
}

static struct http_get_opts
opts_for(const char *url)
{
	struct http_get_opts o = {
		.url = url,
		.timeout_s = 10,
		.max_bytes = 1 << 20,
		.max_redirects = 5,
	};

	return o;
}

/* Start GET path with o (url filled in); fails the test if refused. */
static struct http_xfer *
start_opts(struct fixture *f, const char *path, struct http_get_opts o,
    struct got *g)
{
	struct http_xfer *x = NULL;
	char url[256];
	int err;

	url_of(url, sizeof(url), path);
	o.url = url;
	g->f = f;
	err = http_get(f->h, &o, on_done, g, &x);
	if (err != HTTP_OK)
		fail_msg("%s: http_get: %s", path, http_strerror(err));
	assert_non_null(x);
	return x;
}

static struct http_xfer *
start(struct fixture *f, const char *path, struct got *g)
{
	return start_opts(f, path, opts_for(NULL), g);
}

static void
on_done(void *arg, struct http_result *res)
{
	struct got *g = arg;

	if (g->is_done)
		fail_msg("done called twice");
	g->is_done = true;
	g->res = res;
	uv_update_time(&g->f->loop);
	g->at_ms = uv_now(&g->f->loop);
	if (g->then_get != NULL)
		start(g->f, g->then_get, g->then);
	if (g->closes_http) {
		http_close(g->f->h);
		g->f->h = NULL;
	}
}

static void
on_deadline(uv_timer_t *t)
{
	struct fixture *f = t->data;

	f->is_late = true;
}

/* Run the loop until every g[i] is done, or fail after DEADLINE_MS. */
static void
run_until_done(struct fixture *f, struct got **g, size_t n)
{
	f->is_late = false;
	uv_timer_start(&f->deadline, on_deadline, DEADLINE_MS, 0);
	for (;;) {
		size_t done = 0;

		for (size_t i = 0; i < n; i++)
			done += g[i]->is_done;
		if (done == n)
			break;
		if (f->is_late)
			fail_msg("only %zu of %zu transfers done in %d ms",
			    done, n, DEADLINE_MS);
		uv_run(&f->loop, UV_RUN_ONCE);
	}
	uv_timer_stop(&f->deadline);
}

static void
run_one(struct fixture *f, struct got *g)
{
	run_until_done(f, &g, 1);
}

/* A failure's why must never quote the URL. */
static void
expect_err(const char *name, const struct got *g, int err)
{
	const struct http_result *r = g->res;

	if (r->err != err)
		fail_msg("%s: got %s (%s), want %s", name,
		    http_strerror(r->err), r->why, http_strerror(err));
	if (err == HTTP_OK)
		return;
	if (r->why[0] == '\0' || strstr(r->why, "127.0.0.1") != NULL ||
	    strchr(r->why, '/') != NULL)
		fail_msg("%s: bad why \"%s\"", name, r->why);
	assert_null(r->body);
	assert_null(r->etag);
	assert_null(r->last_modified);
}

static void
got_fini(struct got *g, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		http_result_free(g[i].res);
		g[i].res = NULL;
	}
}

/* GET path and return its body ("requests=1 ok=1 ..."), to be freed. */
static char *
fetch_body(struct fixture *f, const char *path)
{
	struct got g = { 0 };
	char *body;

	start(f, path, &g);
	run_one(f, &g);
	expect_err(path, &g, HTTP_OK);
	body = g.res->body;
	g.res->body = NULL;
	http_result_free(g.res);
	return body;
}

/* How many 304s the server gave for path so far. */
static unsigned
not_modified_count(struct fixture *f, const char *path)
{
	char q[160], *body;
	unsigned req, ok, nm;

	snprintf(q, sizeof(q), "/_hits?path=%s", path);
	body = fetch_body(f, q);
	if (sscanf(body, "requests=%u ok=%u not_modified=%u", &req, &ok,
	    &nm) != 3)
		fail_msg("/_hits: %s", body);
	free(body);
	return nm;
}

static void
httpd_start(void)
{
	const char *bin = getenv("SNP_HTTPD");
	char line[64] = "";
	int fds[2];
	FILE *in;

	if (bin == NULL)
		fail_msg("SNP_HTTPD is not set");
	assert_int_equal(pipe(fds), 0);
	httpd_pid = fork();
	assert_true(httpd_pid >= 0);
	if (httpd_pid == 0) {
		/* Die with the test, even one killed before its teardown. */
		prctl(PR_SET_PDEATHSIG, SIGTERM);
		dup2(fds[1], STDOUT_FILENO);
		close(fds[0]);
		close(fds[1]);
		execl(bin, bin, (char *)NULL);
		_exit(127);
	}
	close(fds[1]);
	in = fdopen(fds[0], "r");
	assert_non_null(in);
	/* Blocks until the server is listening; the meson timeout bounds it. */
	if (fgets(line, sizeof(line), in) == NULL ||
	    sscanf(line, "port=%d", &httpd_port) != 1)
		fail_msg("%s did not say its port: \"%s\"", bin, line);
	fclose(in);
}

static int
group_setup(void **state)
{
	(void)state;
	/* 127.0.0.1 must not go through a proxy of the environment. */
	unsetenv("http_proxy");
	unsetenv("HTTP_PROXY");
	unsetenv("https_proxy");
	unsetenv("HTTPS_PROXY");
	unsetenv("all_proxy");
	unsetenv("ALL_PROXY");
	if (http_global_init(NULL, 0) != HTTP_OK)
		return -1;
	httpd_start();
	return 0;
}

static int
group_teardown(void **state)
{
	int status;

	(void)state;
	if (httpd_pid > 0) {
		kill(httpd_pid, SIGTERM);
		waitpid(httpd_pid, &status, 0);
	}
	http_global_cleanup();
	return 0;
}

static int
setup(void **state)
{
	struct fixture *f = calloc(1, sizeof(*f));

	assert_non_null(f);
	assert_int_equal(uv_loop_init(&f->loop), 0);
	uv_timer_init(&f->loop, &f->deadline);
	f->deadline.data = f;
	assert_int_equal(http_open(&f->loop, &f->h), HTTP_OK);
	*state = f;
	return 0;
}

static int
teardown(void **state)
{
	struct fixture *f = *state;

	http_close(f->h);
	uv_close((uv_handle_t *)&f->deadline, NULL);
	uv_run(&f->loop, UV_RUN_DEFAULT);
	/* Every poll and timer closed: a leaked handle makes this fail. */
	assert_int_equal(uv_loop_close(&f->loop), 0);
	free(f);
	return 0;
}

/* A 200 gives the body and both validators; sending either back gets 304. */
static void
test_ok_then_not_modified(void **state)
{
	static const char end[] = "END:VCALENDAR\r\n";
	struct fixture *f = *state;
	struct http_get_opts o = opts_for(NULL);
	struct got g[3] = { { 0 } };
	unsigned nm0 = not_modified_count(f, "/ok.ics");
	const struct http_result *r;

	start(f, "/ok.ics", &g[0]);
	run_one(f, &g[0]);
	expect_err("200", &g[0], HTTP_OK);
	r = g[0].res;
	assert_int_equal(r->status, 200);
	assert_false(r->not_modified);
	assert_non_null(r->body);
	assert_int_equal(strlen(r->body), r->len);
	assert_true(strncmp(r->body, "BEGIN:VCALENDAR\r\n", 17) == 0);
	assert_true(r->len > sizeof(end) &&
	    strcmp(r->body + r->len - (sizeof(end) - 1), end) == 0);
	assert_string_equal(r->etag, "\"v1\"");
	assert_string_equal(r->last_modified, "Mon, 05 Jan 2026 12:00:00 GMT");
	assert_string_equal(r->why, "");

	o.etag = r->etag;
	start_opts(f, "/ok.ics", o, &g[1]);
	o.etag = NULL;
	o.last_modified = r->last_modified;
	start_opts(f, "/ok.ics", o, &g[2]);
	run_until_done(f, (struct got *[]){ &g[1], &g[2] }, 2);
	for (int i = 1; i < 3; i++) {
		expect_err(i == 1 ? "If-None-Match" : "If-Modified-Since",
		    &g[i], HTTP_OK);
		assert_true(g[i].res->not_modified);
		assert_int_equal(g[i].res->status, 304);
		assert_null(g[i].res->body);
		assert_int_equal(g[i].res->len, 0);
		assert_string_equal(g[i].res->etag, "\"v1\"");
	}
	assert_int_equal(not_modified_count(f, "/ok.ics"), nm0 + 2);
	got_fini(g, 3);
}

/* A new ETag (with or without a new body) gets a 200 with it. */
static void
test_changed(void **state)
{
	static const char text[] = "BEGIN:VCALENDAR\r\nVERSION:2.0\r\n"
	    "END:VCALENDAR\r\n";
	struct fixture *f = *state;
	struct http_get_opts o = opts_for(NULL);
	char path[] = "/tmp/snpd-test-http-XXXXXX", q[128], *etag1, *b;
	struct got g[3] = { { 0 } };
	int fd;

	start(f, "/etag-then-change", &g[0]);
	run_one(f, &g[0]);
	expect_err("first", &g[0], HTTP_OK);
	etag1 = g[0].res->etag;

	free(fetch_body(f, "/_set?path=/etag-then-change"));
	o.etag = etag1;
	start_opts(f, "/etag-then-change", o, &g[1]);
	run_one(f, &g[1]);
	expect_err("new etag", &g[1], HTTP_OK);
	assert_false(g[1].res->not_modified);
	assert_non_null(g[1].res->etag);
	assert_string_not_equal(g[1].res->etag, etag1);
	assert_string_equal(g[1].res->body, g[0].res->body);

	fd = mkstemp(path);
	assert_true(fd >= 0);
	assert_int_equal(write(fd, text, sizeof(text) - 1),
	    (ssize_t)sizeof(text) - 1);
	close(fd);
	snprintf(q, sizeof(q), "/_set?path=%%2Fetag-then-change&file=%s",
	    path);
	b = fetch_body(f, q);
	assert_string_equal(b, "ok\n");
	free(b);
	unlink(path);
	o.etag = g[1].res->etag;
	start_opts(f, "/etag-then-change", o, &g[2]);
	run_one(f, &g[2]);
	expect_err("new body", &g[2], HTTP_OK);
	assert_string_equal(g[2].res->body, text);
	assert_string_not_equal(g[2].res->etag, g[1].res->etag);
	got_fini(g, 3);
}

/* Any status but 200 and 304 is an error naming the status. */
static void
test_status(void **state)
{
	struct fixture *f = *state;
	struct got g[2] = { { 0 } };

	start(f, "/500", &g[0]);
	start(f, "/no-such-thing", &g[1]);
	run_until_done(f, (struct got *[]){ &g[0], &g[1] }, 2);
	expect_err("500", &g[0], HTTP_ESTATUS);
	assert_int_equal(g[0].res->status, 500);
	assert_string_equal(g[0].res->why, "HTTP 500");
	expect_err("404", &g[1], HTTP_ESTATUS);
	assert_string_equal(g[1].res->why, "HTTP 404");
	got_fini(g, 2);
}

/* A server that trickles is cut at the transfer's timeout, not later. */
static void
test_timeout(void **state)
{
	struct fixture *f = *state;
	struct http_get_opts o = opts_for(NULL);
	struct got g = { 0 };
	uint64_t t0, ms;

	o.timeout_s = 1;
	uv_update_time(&f->loop);
	t0 = uv_now(&f->loop);
	start_opts(f, "/slow", o, &g);
	run_one(f, &g);
	ms = g.at_ms - t0;
	expect_err("slow", &g, HTTP_ETIMEOUT);
	assert_int_equal(g.res->status, 200);
	if (ms < 900 || ms > 3000)
		fail_msg("timed out after %llu ms, want about 1000",
		    (unsigned long long)ms);
	got_fini(&g, 1);
}

/*
 * Past max_bytes the transfer stops: at once on a Content-Length, within
 * one write of the limit without one. At the limit exactly, it passes.
 */
static void
test_too_big(void **state)
{
	static const struct {
		const char	*path;
		int		 err;
		size_t		 len;		/* when HTTP_OK */
		size_t		 max_received;
	} cases[] = {
		{ "/big?bytes=2000000", HTTP_ETOOBIG, 0, 0 },
		{ "/big?bytes=2000000&nolength=1", HTTP_ETOOBIG, 0,
		    BIG_LIMIT + CURL_CHUNK },
		{ "/big?bytes=100000", HTTP_OK, BIG_LIMIT, BIG_LIMIT },
		{ "/big?bytes=100000&nolength=1", HTTP_OK, BIG_LIMIT,
		    BIG_LIMIT },
		{ "/big?bytes=100001&nolength=1", HTTP_ETOOBIG, 0,
		    BIG_LIMIT + CURL_CHUNK },
	};
	struct fixture *f = *state;
	struct http_get_opts o = opts_for(NULL);
	struct got g = { 0 };

	o.max_bytes = BIG_LIMIT;
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		memset(&g, 0, sizeof(g));
		start_opts(f, cases[i].path, o, &g);
		run_one(f, &g);
		expect_err(cases[i].path, &g, cases[i].err);
		if (g.res->received > cases[i].max_received)
			fail_msg("%s: %zu bytes received, want at most %zu",
			    cases[i].path, g.res->received,
			    cases[i].max_received);
		if (cases[i].err == HTTP_OK &&
		    (g.res->len != cases[i].len || g.res->body[0] != 'X'))
			fail_msg("%s: %zu bytes kept", cases[i].path,
			    g.res->len);
		got_fini(&g, 1);
	}
}

/* Redirects are followed up to max_redirects; a loop ends in an error. */
static void
test_redirects(void **state)
{
	struct fixture *f = *state;
	struct http_get_opts o = opts_for(NULL);
	struct got g[5] = { { 0 } };

	start(f, "/redirect", &g[0]);
	start(f, "/loop", &g[1]);
	o.max_redirects = 0;
	start_opts(f, "/redirect", o, &g[2]);
	/* Never another scheme through a redirect. */
	start(f, "/redirect?to=file%3A%2F%2F%2Fetc%2Fpasswd", &g[3]);
	start(f, "/redirect?to=ftp://127.0.0.1/x", &g[4]);
	run_until_done(f, (struct got *[]){ &g[0], &g[1], &g[2], &g[3],
	    &g[4] }, 5);
	expect_err("redirect", &g[0], HTTP_OK);
	assert_int_equal(g[0].res->status, 200);
	assert_string_equal(g[0].res->etag, "\"v1\"");
	assert_non_null(strstr(g[0].res->body, "BEGIN:VCALENDAR"));
	expect_err("loop", &g[1], HTTP_EREDIRECTS);
	expect_err("none allowed", &g[2], HTTP_EREDIRECTS);
	expect_err("to file://", &g[3], HTTP_EOTHER);
	expect_err("to ftp://", &g[4], HTTP_EOTHER);
	assert_int_equal(g[3].res->status, 302);
	assert_int_equal(g[3].res->received, 0);
	got_fini(g, 5);
}

/* A port with no listener: "cannot connect", quickly. */
static void
test_connect_refused(void **state)
{
	struct fixture *f = *state;
	struct sockaddr_in sin = { .sin_family = AF_INET };
	socklen_t len = sizeof(sin);
	struct http_get_opts o = opts_for(NULL);
	struct got g = { 0 };
	char url[64];
	int fd;

	/* Bound but not listening: the kernel answers RST, at once. */
	fd = socket(AF_INET, SOCK_STREAM, 0);
	assert_true(fd >= 0);
	sin.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	assert_int_equal(bind(fd, (struct sockaddr *)&sin, sizeof(sin)), 0);
	assert_int_equal(getsockname(fd, (struct sockaddr *)&sin, &len), 0);
	snprintf(url, sizeof(url), "http://127.0.0.1:%d/secret.ics",
	    ntohs(sin.sin_port));
	o.url = url;
	g.f = f;
	assert_int_equal(http_get(f->h, &o, on_done, &g, NULL), HTTP_OK);
	run_one(f, &g);
	close(fd);
	expect_err("refused", &g, HTTP_ECONNECT);
	assert_int_equal(g.res->status, 0);
	assert_non_null(strstr(g.res->why, "refused"));
	got_fini(&g, 1);
}

/* https:// to a server that does not speak TLS: a TLS error. */
static void
test_tls(void **state)
{
	struct fixture *f = *state;
	struct http_get_opts o = opts_for(NULL);
	struct got g = { 0 };
	char url[64];

	snprintf(url, sizeof(url), "https://127.0.0.1:%d/ok.ics", httpd_port);
	o.url = url;
	g.f = f;
	assert_int_equal(http_get(f->h, &o, on_done, &g, NULL), HTTP_OK);
	run_one(f, &g);
	expect_err("plain text", &g, HTTP_ETLS);
	got_fini(&g, 1);
}

/* Only http:// and https:// are fetched; done is never called otherwise. */
static void
test_bad_url(void **state)
{
	static const char *const urls[] = {
		"file:///etc/passwd", "ftp://example.org/a.ics",
		"webcal://example.org/a.ics", "", "http:/x",
	};
	struct fixture *f = *state;
	struct http_get_opts o = opts_for(NULL);
	struct http_xfer *x;
	struct got g = { 0 };

	g.f = f;
	for (size_t i = 0; i < sizeof(urls) / sizeof(urls[0]); i++) {
		o.url = urls[i];
		x = (struct http_xfer *)&g;
		assert_int_equal(http_get(f->h, &o, on_done, &g, &x),
		    HTTP_EURL);
		assert_null(x);
	}
	o.url = NULL;
	assert_int_equal(http_get(f->h, &o, on_done, &g, NULL), HTTP_EURL);
	uv_run(&f->loop, UV_RUN_NOWAIT);
	assert_false(g.is_done);
}

/* Masking keeps scheme, host and port; never user, password, path, query. */
static void
test_mask_url(void **state)
{
	static const struct {
		const char	*url;
		size_t		 len;
		const char	*want;
	} cases[] = {
		{ "https://u:p@cal.example:8443/private/abc.ics?token=s3",
		    256, "https://cal.example:8443/\xe2\x80\xa6" },
		{ "http://agenda.example", 256, "http://agenda.example" },
		{ "http://agenda.example/", 256,
		    "http://agenda.example/\xe2\x80\xa6" },
		{ "https://agenda.example?k=v", 256,
		    "https://agenda.example/\xe2\x80\xa6" },
		{ "https://agenda.example#frag", 256,
		    "https://agenda.example/\xe2\x80\xa6" },
		{ "https://a@b@host.example/x", 256,
		    "https://host.example/\xe2\x80\xa6" },
		{ "https://[::1]:8080/x", 256,
		    "https://[::1]:8080/\xe2\x80\xa6" },
		{ "https://agenda.example/x", 26, "https://agenda.example" },
		{ "https://agenda.example/x", 27,
		    "https://agenda.example/\xe2\x80\xa6" },
		{ "https://ho\nst.example/", 256,
		    "https://ho?st.example/\xe2\x80\xa6" },
		{ "https://user@/x", 256, "(not a URL)" },
		{ "/just/a/path?token=s3cret", 256, "(not a URL)" },
		{ "", 256, "(not a URL)" },
		{ "https://agenda.example/x", 12, "https://age" },
		{ "https://agenda.example/x", 1, "" },
	};
	char buf[256];

	(void)state;
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		memset(buf, '#', sizeof(buf));
		http_mask_url(cases[i].url, buf, cases[i].len);
		if (strcmp(buf, cases[i].want) != 0)
			fail_msg("%s: got \"%s\", want \"%s\"", cases[i].url,
			    buf, cases[i].want);
	}
	http_mask_url("https://u:p@cal.example:8443/private/abc123.ics"
	    "?token=s3cret", buf, sizeof(buf));
	assert_null(strstr(buf, "abc123"));
	assert_null(strstr(buf, "s3cret"));
	assert_null(strstr(buf, "u:p"));
	http_mask_url(NULL, buf, sizeof(buf));
	assert_string_equal(buf, "(not a URL)");
}

/* Many transfers at once each end on their own. */
static void
test_parallel(void **state)
{
	static const struct {
		const char	*path;
		int		 err;
	} cases[NGOT] = {
		{ "/ok.ics", HTTP_OK },
		{ "/redirect", HTTP_OK },
		{ "/500", HTTP_ESTATUS },
		{ "/truncated.ics", HTTP_OK },
		{ "/big?bytes=300000&nolength=1", HTTP_OK },
		{ "/loop", HTTP_EREDIRECTS },
		{ "/ok.ics", HTTP_OK },
		{ "/big?bytes=2000000&nolength=1", HTTP_ETOOBIG },
	};
	struct fixture *f = *state;
	struct got g[NGOT] = { { 0 } }, *gp[NGOT];

	for (size_t i = 0; i < NGOT; i++) {
		start(f, cases[i].path, &g[i]);
		gp[i] = &g[i];
	}
	run_until_done(f, gp, NGOT);
	for (size_t i = 0; i < NGOT; i++)
		expect_err(cases[i].path, &g[i], cases[i].err);
	/* The server cut it: the feed's parser will say so. */
	assert_null(strstr(g[3].res->body, "END:VCALENDAR"));
	assert_int_equal(g[4].res->len, 300000);
	got_fini(g, NGOT);
}

/* A cancelled transfer never calls done; the others go on. */
static void
test_cancel(void **state)
{
	struct fixture *f = *state;
	struct got g[4] = { { 0 } };
	struct http_xfer *now, *later;

	now = start(f, "/ok.ics", &g[0]);	/* before any I/O */
	http_cancel(now);
	later = start(f, "/slow", &g[1]);
	start(f, "/ok.ics", &g[2]);
	run_one(f, &g[2]);			/* /slow is connected by now */
	http_cancel(later);
	start(f, "/redirect", &g[3]);
	run_one(f, &g[3]);
	expect_err("after cancels", &g[3], HTTP_OK);
	assert_false(g[0].is_done);
	assert_false(g[1].is_done);
	http_cancel(NULL);
	got_fini(g, 4);
}

/* Closing with transfers in flight: no done, and every handle closes. */
static void
test_close_in_flight(void **state)
{
	struct fixture *f = *state;
	struct got g[3] = { { 0 } };

	start(f, "/slow", &g[0]);
	start(f, "/slow", &g[1]);
	start(f, "/ok.ics", &g[2]);
	run_one(f, &g[2]);
	http_close(f->h);
	f->h = NULL;
	uv_run(&f->loop, UV_RUN_DEFAULT);	/* only the deadline is left */
	assert_false(g[0].is_done);
	assert_false(g[1].is_done);
	got_fini(g, 3);
	/* teardown: uv_loop_close() must return 0 */
}

/* done may start a transfer, or close the client with others in flight. */
static void
test_reentrant_done(void **state)
{
	struct fixture *f = *state;
	struct got g[4] = { { 0 } };

	g[0].then_get = "/redirect";
	g[0].then = &g[1];
	start(f, "/ok.ics", &g[0]);
	run_until_done(f, (struct got *[]){ &g[0], &g[1] }, 2);
	expect_err("chained", &g[1], HTTP_OK);

	start(f, "/slow", &g[2]);
	g[3].closes_http = true;
	start(f, "/500", &g[3]);
	run_one(f, &g[3]);
	assert_null(f->h);
	uv_run(&f->loop, UV_RUN_DEFAULT);
	assert_false(g[2].is_done);
	got_fini(g, 4);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_ok_then_not_modified,
		    setup, teardown),
		cmocka_unit_test_setup_teardown(test_changed, setup, teardown),
		cmocka_unit_test_setup_teardown(test_status, setup, teardown),
		cmocka_unit_test_setup_teardown(test_timeout, setup, teardown),
		cmocka_unit_test_setup_teardown(test_too_big, setup, teardown),
		cmocka_unit_test_setup_teardown(test_redirects, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_connect_refused, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_tls, setup, teardown),
		cmocka_unit_test_setup_teardown(test_bad_url, setup, teardown),
		cmocka_unit_test(test_mask_url),
		cmocka_unit_test_setup_teardown(test_parallel, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_cancel, setup, teardown),
		cmocka_unit_test_setup_teardown(test_close_in_flight, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_reentrant_done, setup,
		    teardown),
	};

	return cmocka_run_group_tests(tests, group_setup, group_teardown);
}
