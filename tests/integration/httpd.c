/* httpd: a scriptable HTTP/1.1 server on 127.0.0.1 for the feed tests. */
/*
 * usage: httpd [CALENDAR_FILE]
 *
 * Binds 127.0.0.1 on a free port, prints "port=N" as its first line of
 * stdout and serves until killed (SIGTERM). Single-threaded (libuv); every
 * response ends its connection ("Connection: close"). Paths:
 *
 *   /ok.ics             200, the calendar (CALENDAR_FILE, or a built-in one
 *                       offering SNP daily 14h-18h Europe/Paris), with an
 *                       ETag and a Last-Modified; 304 when If-None-Match
 *                       holds its ETag or, without If-None-Match, when
 *                       If-Modified-Since equals its Last-Modified.
 *   /etag-then-change   a second document, the same at start, for tests
 *                       that change it (below) without disturbing /ok.ics.
 *   /_set?path=P[&file=F]
 *                       makes P a document like those two: its body read
 *                       from F now (a path the server can read, absolute
 *                       is safest; else kept, or empty for a new P), a new
 *                       ETag ("v2", "v3"...), Last-Modified now. 200 "ok",
 *                       400 if F cannot be read. Values may be %-encoded.
 *   /_hits?path=P       200 "requests=N ok=N not_modified=N\n": what P has
 *                       been asked and answered (200, 304) so far.
 *   /truncated.ics      200, the calendar cut before END:VCALENDAR.
 *   /500                500.
 *   /slow               200 headers (Content-Length 1000000), then one byte
 *                       a second until the client goes.
 *   /big[?bytes=N][&nolength=1]
 *                       200, N bytes (default 4 MiB), streamed; nolength:
 *                       no Content-Length, the close ends the body.
 *   /loop               302 to itself.
 *   /redirect[?to=URL]  302 to URL, by default /ok.ics.
 *   anything else       404.
 *
 * A TLS client hello gets a plain-text 400: an https:// URL fails at once.
 */
#include <ctype.h>
#include <signal.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#include <uv.h>

#define MAX_DOCS	16
#define MAX_HITS	64
#define PATH_MAX_LEN	128	/* of a document or a counter */
#define TARGET_MAX	1024	/* of a request's path and query */
#define REQ_MAX		8192
#define CHUNK		65536

static const char builtin_ics[] =
    "BEGIN:VCALENDAR\r\n"
    "VERSION:2.0\r\n"
    "PRODID:-//snpd//tests httpd//EN\r\n"
    "BEGIN:VEVENT\r\n"
    "UID:httpd-snp@snpd.test\r\n"
    "DTSTAMP:20260101T000000Z\r\n"
    "DTSTART;TZID=Europe/Paris:20260105T140000\r\n"
    "DTEND;TZID=Europe/Paris:20260105T180000\r\n"
    "RRULE:FREQ=DAILY\r\n"
    "CATEGORIES:SNP\r\n"
    "SUMMARY:SNP\r\n"
    "END:VEVENT\r\n"
    "END:VCALENDAR\r\n";

struct doc {
	char	 path[PATH_MAX_LEN];
	char	*body;
	size_t	 len;
	char	 etag[32];
	char	 last_modified[40];
};

struct hits {
	char		path[PATH_MAX_LEN];
	unsigned	requests, ok, not_modified;
};

struct conn {
	uv_tcp_t	 tcp;
	uv_timer_t	 timer;		/* /slow's byte a second */
	uv_shutdown_t	 shutdown;
	char		 req[REQ_MAX];
	size_t		 n;
	bool		 has_request;
	bool		 is_closing;
	int		 open_handles;
	size_t		 big_left;	/* /big: bytes still to send */
};

struct wreq {
	uv_write_t	 req;
	struct conn	*c;
	bool		 is_last;	/* end the connection once written */
	char		 data[];
};

static uv_loop_t *loop;
static struct doc docs[MAX_DOCS];
static struct hits hits[MAX_HITS];
static unsigned version = 1;		/* of the last ETag given */

static void
conn_closed(uv_handle_t *h)
{
	struct conn *c = h->data;

	if (--c->open_handles == 0)
		free(c);
}

static void
conn_close(struct conn *c)
{
	if (c->is_closing)
		return;
	c->is_closing = true;
	uv_close((uv_handle_t *)&c->timer, conn_closed);
	uv_close((uv_handle_t *)&c->tcp, conn_closed);
}

static void
on_shutdown(uv_shutdown_t *req, int status)
{
	(void)status;
	conn_close(req->data);
}

/* The response is complete: FIN, then close. */
static void
conn_end(struct conn *c)
{
	c->shutdown.data = c;
	if (c->is_closing ||
	    uv_shutdown(&c->shutdown, (uv_stream_t *)&c->tcp, on_shutdown))
		conn_close(c);
}

static void	send_big(struct conn *c);

static void
on_written(uv_write_t *req, int status)
{
	struct wreq *w = (struct wreq *)req;
	struct conn *c = w->c;
	bool is_last = w->is_last;

	free(w);
	if (status < 0 || c->is_closing)
		conn_close(c);
	else if (c->big_left > 0)
		send_big(c);
	else if (is_last)
		conn_end(c);
}

/* Write a copy of data; is_last: end the connection after it. */
static void
conn_write(struct conn *c, const void *data, size_t len, bool is_last)
{
	struct wreq *w;
	uv_buf_t b;

	if (c->is_closing)
		return;
	w = malloc(sizeof(*w) + len);
	if (w == NULL) {
		conn_close(c);
		return;
	}
	w->c = c;
	w->is_last = is_last;
	memcpy(w->data, data, len);
	b = uv_buf_init(w->data, (unsigned)len);
	if (uv_write(&w->req, (uv_stream_t *)&c->tcp, &b, 1, on_written)) {
		free(w);
		conn_close(c);
	}
}

static void
send_big(struct conn *c)
{
	static char chunk[CHUNK];
	size_t n = c->big_left < CHUNK ? c->big_left : CHUNK;

	if (chunk[0] == '\0')
		for (size_t i = 0; i < CHUNK; i++)
			chunk[i] = i % 64 == 63 ? '\n' : 'X';
	c->big_left -= n;
	conn_write(c, chunk, n, c->big_left == 0);
}

/* Headers (extra: more header lines), then body if any, then the end. */
static void
respond(struct conn *c, int status, const char *reason, const char *extra,
    const char *body, size_t len)
{
	char head[1024];
	int n;

	n = snprintf(head, sizeof(head), "HTTP/1.1 %d %s\r\n%s"
	    "Connection: close\r\n", status, reason, extra);
	if (status != 304)
		n += snprintf(head + n, sizeof(head) - (size_t)n,
		    "Content-Length: %zu\r\n", len);
	n += snprintf(head + n, sizeof(head) - (size_t)n, "\r\n");
	conn_write(c, head, (size_t)n, len == 0);
	if (len > 0)
		conn_write(c, body, len, true);
}

static struct hits *
hits_of(const char *path)
{
	for (int i = 0; i < MAX_HITS; i++) {
		if (strcmp(hits[i].path, path) == 0)
			return &hits[i];
		if (hits[i].path[0] == '\0') {
			/* A longer path is counted under its first bytes. */
			size_t n = strlen(path);

			if (n >= sizeof(hits[i].path))
				n = sizeof(hits[i].path) - 1;
			memcpy(hits[i].path, path, n);
			hits[i].path[n] = '\0';
			return &hits[i];
		}
	}
	return &hits[MAX_HITS - 1];	/* full: the last one counts all */
}

static struct doc *
doc_of(const char *path, bool create)
{
	for (int i = 0; i < MAX_DOCS; i++) {
		if (docs[i].path[0] != '\0' && strcmp(docs[i].path, path) == 0)
			return &docs[i];
		if (docs[i].path[0] == '\0' && create) {
			snprintf(docs[i].path, sizeof(docs[i].path), "%s",
			    path);
			return &docs[i];
		}
	}
	return NULL;
}

/* Give d a new ETag and a Last-Modified of now. */
static void
doc_bump(struct doc *d)
{
	time_t now = time(NULL);
	struct tm tm;

	snprintf(d->etag, sizeof(d->etag), "\"v%u\"", ++version);
	gmtime_r(&now, &tm);
	strftime(d->last_modified, sizeof(d->last_modified),
	    "%a, %d %b %Y %H:%M:%S GMT", &tm);
}

static char *
read_file(const char *path, size_t *len)
{
	FILE *f = fopen(path, "rb");
	char *buf = NULL;
	long n;

	if (f == NULL)
		return NULL;
	if (fseek(f, 0, SEEK_END) == 0 && (n = ftell(f)) >= 0 &&
	    fseek(f, 0, SEEK_SET) == 0 && (buf = malloc((size_t)n + 1)) &&
	    fread(buf, 1, (size_t)n, f) == (size_t)n) {
		buf[n] = '\0';		/* for strstr() */
		*len = (size_t)n;
	} else {
		free(buf);
		buf = NULL;
	}
	fclose(f);
	return buf;
}

/* Query parameter name of q, %-decoded into out; false if absent. */
static bool
qparam(const char *q, const char *name, char *out, size_t outlen)
{
	size_t nl = strlen(name), o = 0;

	for (const char *p = q; p != NULL && *p != '\0';
	    p = strchr(p, '&') ? strchr(p, '&') + 1 : NULL) {
		if (strncmp(p, name, nl) != 0 || p[nl] != '=')
			continue;
		for (p += nl + 1; *p != '\0' && *p != '&' && o + 1 < outlen;
		    p++) {
			unsigned v;

			if (*p == '%' && sscanf(p + 1, "%2x", &v) == 1) {
				out[o++] = (char)v;
				p += 2;
			} else
				out[o++] = *p == '+' ? ' ' : *p;
		}
		out[o] = '\0';
		return true;
	}
	return false;
}

/* A request header's value, trimmed, or NULL. */
static const char *
header(char *req, const char *name, char *out, size_t outlen)
{
	size_t nl = strlen(name);

	for (char *p = strstr(req, "\r\n"); p != NULL && p[2] != '\r';
	    p = strstr(p + 2, "\r\n")) {
		char *v = p + 2, *e;

		if (strncasecmp(v, name, nl) != 0 || v[nl] != ':')
			continue;
		for (v += nl + 1; *v == ' ' || *v == '\t'; v++)
			;
		e = strstr(v, "\r\n");
		snprintf(out, outlen, "%.*s", (int)(e - v), v);
		return out;
	}
	return NULL;
}

static void
serve_doc(struct conn *c, struct doc *d, struct hits *ht)
{
	char inm[256], ims[64], extra[256];
	bool has_inm = header(c->req, "If-None-Match", inm, sizeof(inm));

	snprintf(extra, sizeof(extra), "Content-Type: text/calendar\r\n"
	    "ETag: %s\r\nLast-Modified: %s\r\n", d->etag, d->last_modified);
	if ((has_inm && strstr(inm, d->etag) != NULL) || (!has_inm &&
	    header(c->req, "If-Modified-Since", ims, sizeof(ims)) &&
	    strcmp(ims, d->last_modified) == 0)) {
		ht->not_modified++;
		respond(c, 304, "Not Modified", extra, NULL, 0);
		return;
	}
	ht->ok++;
	respond(c, 200, "OK", extra, d->body, d->len);
}

static void
on_slow(uv_timer_t *t)
{
	conn_write(t->data, "X", 1, false);
}

static void
serve(struct conn *c)
{
	char path[TARGET_MAX], target[PATH_MAX_LEN], arg[TARGET_MAX];
	char body[128], *query, *sp;
	struct hits *ht;
	struct doc *d;
	size_t len;
	char *data;

	/* "GET /path?query HTTP/1.1" */
	sp = strchr(c->req, ' ');
	if (sp == NULL || sscanf(sp + 1, "%1023s", path) != 1) {
		respond(c, 400, "Bad Request", "", NULL, 0);
		return;
	}
	query = strchr(path, '?');
	if (query != NULL)
		*query++ = '\0';
	ht = hits_of(path);
	ht->requests++;
	if ((d = doc_of(path, false)) != NULL)
		serve_doc(c, d, ht);
	else if (strcmp(path, "/_set") == 0 && query != NULL &&
	    qparam(query, "path", target, sizeof(target)) &&
	    target[0] == '/') {
		d = doc_of(target, true);
		if (d != NULL && qparam(query, "file", arg, sizeof(arg))) {
			if ((data = read_file(arg, &len)) == NULL) {
				respond(c, 400, "Bad Request", "", NULL, 0);
				return;
			}
			free(d->body);
			d->body = data;
			d->len = len;
		}
		if (d == NULL) {
			respond(c, 507, "Insufficient Storage", "", NULL, 0);
			return;
		}
		doc_bump(d);
		respond(c, 200, "OK", "", "ok\n", 3);
	} else if (strcmp(path, "/_hits") == 0 && query != NULL &&
	    qparam(query, "path", arg, sizeof(arg))) {
		struct hits *h = hits_of(arg);
		int n = snprintf(body, sizeof(body), "requests=%u ok=%u "
		    "not_modified=%u\n", h->requests, h->ok, h->not_modified);

		respond(c, 200, "OK", "", body, (size_t)n);
	} else if (strcmp(path, "/truncated.ics") == 0) {
		d = doc_of("/ok.ics", false);
		data = strstr(d->body, "END:VCALENDAR");
		ht->ok++;
		respond(c, 200, "OK", "Content-Type: text/calendar\r\n",
		    d->body, data != NULL ? (size_t)(data - d->body) :
		    d->len / 2);
	} else if (strcmp(path, "/500") == 0)
		respond(c, 500, "Internal Server Error", "", "oops\n", 5);
	else if (strcmp(path, "/slow") == 0) {
		static const char h[] = "HTTP/1.1 200 OK\r\n"
		    "Content-Type: text/calendar\r\n"
		    "Content-Length: 1000000\r\nConnection: close\r\n\r\n";

		conn_write(c, h, sizeof(h) - 1, false);
		uv_timer_start(&c->timer, on_slow, 1000, 1000);
	} else if (strcmp(path, "/big") == 0) {
		bool has_length = query == NULL ||
		    !qparam(query, "nolength", arg, sizeof(arg));
		int n;

		c->big_left = (size_t)4 << 20;
		if (query != NULL && qparam(query, "bytes", arg, sizeof(arg)))
			c->big_left = strtoul(arg, NULL, 10);
		n = snprintf(body, sizeof(body), "HTTP/1.1 200 OK\r\n"
		    "Connection: close\r\n");
		if (has_length)
			n += snprintf(body + n, sizeof(body) - (size_t)n,
			    "Content-Length: %zu\r\n", c->big_left);
		n += snprintf(body + n, sizeof(body) - (size_t)n, "\r\n");
		ht->ok++;
		conn_write(c, body, (size_t)n, c->big_left == 0);
	} else if (strcmp(path, "/loop") == 0)
		respond(c, 302, "Found", "Location: /loop\r\n", NULL, 0);
	else if (strcmp(path, "/redirect") == 0) {
		if (query == NULL || !qparam(query, "to", arg, sizeof(arg)))
			snprintf(arg, sizeof(arg), "/ok.ics");
		snprintf(body, sizeof(body), "Location: %.100s\r\n", arg);
		respond(c, 302, "Found", body, NULL, 0);
	} else
		respond(c, 404, "Not Found", "", "not found\n", 10);
}

static void
on_alloc(uv_handle_t *h, size_t hint, uv_buf_t *b)
{
	struct conn *c = h->data;

	(void)hint;
	/* Past the request, what the client sends is read and dropped. */
	if (c->has_request || c->n + 1 >= REQ_MAX)
		*b = uv_buf_init(c->req + REQ_MAX / 2, REQ_MAX / 2);
	else
		*b = uv_buf_init(c->req + c->n, (unsigned)(REQ_MAX - 1 - c->n));
}

static void
on_read(uv_stream_t *s, ssize_t nread, const uv_buf_t *b)
{
	struct conn *c = s->data;

	(void)b;
	if (nread < 0) {		/* EOF or error: the client is gone */
		conn_close(c);
		return;
	}
	if (c->has_request || nread == 0)
		return;
	c->n += (size_t)nread;
	c->req[c->n] = '\0';
	if (c->req[0] == 0x16) {	/* a TLS hello: fail https:// fast */
		c->has_request = true;
		respond(c, 400, "Bad Request", "", NULL, 0);
	} else if (strstr(c->req, "\r\n\r\n") != NULL) {
		c->has_request = true;
		serve(c);
	} else if (c->n + 1 >= REQ_MAX)
		conn_close(c);
}

static void
on_connection(uv_stream_t *server, int status)
{
	struct conn *c;

	if (status < 0 || (c = calloc(1, sizeof(*c))) == NULL)
		return;
	uv_tcp_init(loop, &c->tcp);
	uv_timer_init(loop, &c->timer);
	c->tcp.data = c->timer.data = c;
	c->open_handles = 2;
	if (uv_accept(server, (uv_stream_t *)&c->tcp) != 0 ||
	    uv_read_start((uv_stream_t *)&c->tcp, on_alloc, on_read) != 0)
		conn_close(c);
}

int
main(int argc, char **argv)
{
	struct sockaddr_storage ss;
	struct sockaddr_in sin;
	int len = sizeof(ss), rc;
	uv_tcp_t server;
	struct doc *d;

	if (argc > 2) {
		fprintf(stderr, "usage: httpd [CALENDAR_FILE]\n");
		return 2;
	}
	signal(SIGPIPE, SIG_IGN);
	loop = uv_default_loop();
	for (int i = 0; i < 2; i++) {
		d = doc_of(i == 0 ? "/ok.ics" : "/etag-then-change", true);
		d->len = sizeof(builtin_ics) - 1;
		d->body = argc == 2 ? read_file(argv[1], &d->len) :
		    strdup(builtin_ics);
		if (d->body == NULL) {
			fprintf(stderr, "httpd: cannot read %s\n", argv[1]);
			return 1;
		}
		snprintf(d->etag, sizeof(d->etag), "\"v1\"");
		snprintf(d->last_modified, sizeof(d->last_modified),
		    "Mon, 05 Jan 2026 12:00:00 GMT");
	}
	uv_ip4_addr("127.0.0.1", 0, &sin);
	uv_tcp_init(loop, &server);
	if ((rc = uv_tcp_bind(&server, (struct sockaddr *)&sin, 0)) != 0 ||
	    (rc = uv_listen((uv_stream_t *)&server, 128, on_connection)) ||
	    (rc = uv_tcp_getsockname(&server, (struct sockaddr *)&ss, &len))) {
		fprintf(stderr, "httpd: %s\n", uv_strerror(rc));
		return 1;
	}
	printf("port=%d\n", ntohs(((struct sockaddr_in *)&ss)->sin_port));
	fflush(stdout);
	return uv_run(loop, UV_RUN_DEFAULT);
}
