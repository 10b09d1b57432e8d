/* HTTP(S) GETs on the loop: libcurl's multi socket interface over libuv. */
#include "daemon/http.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

#include <curl/curl.h>

#include "daemon/log.h"

#define HTTP_DEFAULT_TIMEOUT_S	60
#define HTTP_DEFAULT_MAX_BYTES	((size_t)8 << 20)
#define HTTP_CONNECT_TIMEOUT_S	10	/* at most; never above timeout_s */
#define HTTP_VALIDATOR_MAX	512	/* longer ETags are not kept */
#define HTTP_POLL_ERRORS_MAX	3	/* error wake-ups in a row, a socket */

static const char *const http_errs[HTTP_ERR_COUNT] = {
#define X(code, msg) [code] = msg,
	HTTP_ERRORS(X)
#undef X
};

/* A socket curl asked us to watch, from its first CURL_POLL_* to REMOVE. */
struct http_sock {
	uv_poll_t		 poll;
	curl_socket_t		 fd;
	struct http		*h;
	int			 events;	/* what curl asked for, UV_* */
	int			 n_errors;	/* error wake-ups in a row */
	bool			 is_closing;
	struct http_sock	*prev, *next;	/* h->socks, while open */
};

struct http_xfer {
	struct http		*h;
	CURL			*easy;
	struct curl_slist	*hdrs;		/* conditional headers */
	struct http_result	*res;		/* filled, then given to done */
	http_done_fn		 done;
	void			*arg;
	char			*body;		/* cap bytes, len used */
	size_t			 len, cap;
	size_t			 max_bytes;
	int			 max_redirects;
	long			 timeout_s;
	int			 forced_err;	/* HTTP_OK, or why to end it */
	bool			 is_conditional;
	bool			 is_too_big;
	bool			 is_bad_status;	/* body of a non-200 refused */
	bool			 is_nomem;
	struct http_xfer	*prev, *next;	/* h->xfers */
};

struct http {
	uv_loop_t		*loop;
	CURLM			*multi;		/* NULL once closing */
	uv_timer_t		 timer;		/* curl's one timeout */
	struct http_sock	*socks;
	struct http_xfer	*xfers;
	int			 open_handles;	/* timer + polls not closed */
	unsigned		 n_doomed;	/* xfers with a forced_err */
	bool			 is_closing;
};

static void	http_on_poll(uv_poll_t *p, int status, int events);

const char *
http_strerror(int err)
{
	if (err < 0 || err >= HTTP_ERR_COUNT)
		err = HTTP_EOTHER;
	return http_errs[err];
}

int
http_global_init(char *why, size_t whylen)
{
	const curl_version_info_data *vi;
	CURLcode rc;

	rc = curl_global_init(CURL_GLOBAL_DEFAULT);
	if (rc != CURLE_OK) {
		snprintf(why, whylen, "curl_global_init: %s",
		    curl_easy_strerror(rc));
		return HTTP_EOTHER;
	}
	vi = curl_version_info(CURLVERSION_NOW);
	/* Built against newer headers than the library found at run time. */
	if (vi->version_num < 0x075500) {
		snprintf(why, whylen, "libcurl %s is older than 7.85",
		    vi->version);
		curl_global_cleanup();
		return HTTP_EOTHER;
	}
	if (!(vi->features & CURL_VERSION_ASYNCHDNS))
		log_warning("http", "libcurl %s resolves host names on the "
		    "calling thread: a slow DNS server stalls snpd",
		    vi->version);
	if (!(vi->features & CURL_VERSION_SSL))
		log_warning("http", "libcurl %s has no TLS: https:// feeds "
		    "will fail", vi->version);
	return HTTP_OK;
}

void
http_global_cleanup(void)
{
	curl_global_cleanup();
}

static void
http_unref(struct http *h)
{
	if (--h->open_handles == 0 && h->is_closing)
		free(h);
}

static void
http_sock_closed(uv_handle_t *p)
{
	struct http_sock *s = p->data;
	struct http *h = s->h;

	free(s);
	http_unref(h);
}

/*
 * Stop watching and close the poll. uv_close() stops it at once (the fd
 * leaves epoll now), so curl may close the fd as soon as we return; only
 * the memory waits for the close callback.
 */
static void
http_sock_close(struct http_sock *s)
{
	struct http *h = s->h;

	if (s->is_closing)
		return;
	s->is_closing = true;
	if (s->prev != NULL)
		s->prev->next = s->next;
	else
		h->socks = s->next;
	if (s->next != NULL)
		s->next->prev = s->prev;
	uv_close((uv_handle_t *)&s->poll, http_sock_closed);
}

static struct http_sock *
http_sock_find(struct http *h, curl_socket_t fd)
{
	struct http_sock *s;

	for (s = h->socks; s != NULL; s = s->next)
		if (s->fd == fd)
			return s;
	return NULL;
}

static struct http_sock *
http_sock_open(struct http *h, curl_socket_t fd)
{
	struct http_sock *s;
	int rc;

	s = calloc(1, sizeof(*s));
	if (s == NULL)
		return NULL;
	rc = uv_poll_init_socket(h->loop, &s->poll, fd);
	if (rc != 0) {
		log_err("http", "cannot watch socket %d: %s", (int)fd,
		    uv_strerror(rc));
		free(s);
		return NULL;
	}
	s->poll.data = s;
	s->fd = fd;
	s->h = h;
	s->next = h->socks;
	if (h->socks != NULL)
		h->socks->prev = s;
	h->socks = s;
	h->open_handles++;
	return s;
}

/*
 * A transfer whose socket we cannot watch would only end at its timeout:
 * end it after the current curl call instead (curl must not be re-entered
 * from its callbacks), with a forced error.
 */
static void
http_doom(struct http *h, CURL *easy)
{
	struct http_xfer *x;
	char *priv = NULL;

	if (easy == NULL || curl_easy_getinfo(easy, CURLINFO_PRIVATE, &priv) !=
	    CURLE_OK || priv == NULL)
		return;
	x = (struct http_xfer *)(void *)priv;
	if (x->forced_err != HTTP_OK)
		return;
	x->forced_err = HTTP_EOTHER;
	snprintf(x->res->why, sizeof(x->res->why), "%s: cannot watch a "
	    "socket", http_strerror(HTTP_EOTHER));
	h->n_doomed++;
}

static int
http_on_socket(CURL *easy, curl_socket_t fd, int what, void *hp, void *sp)
{
	struct http *h = hp;
	struct http_sock *s = http_sock_find(h, fd);
	int events = 0, rc;

	if (what == CURL_POLL_REMOVE) {
		if (s != NULL) {
			if (!h->is_closing)
				curl_multi_assign(h->multi, fd, NULL);
			http_sock_close(s);
		}
		return 0;
	}
	/*
	 * Our list, not socketp, says which polls are alive. A poll on this
	 * fd that curl does not know of watched a socket closed behind our
	 * back: re-arming it would make libuv abort() (EPOLL_CTL_MOD on an
	 * fd epoll has forgotten). Close it; a new poll starts clean.
	 */
	if (s != NULL && s != sp) {
		http_sock_close(s);
		s = NULL;
	}
	if (s == NULL) {
		if (h->is_closing)
			return 0;
		s = http_sock_open(h, fd);
		if (s == NULL) {
			http_doom(h, easy);
			return 0;
		}
		curl_multi_assign(h->multi, fd, s);
	}
	if (what & CURL_POLL_IN)
		events |= UV_READABLE;
	if (what & CURL_POLL_OUT)
		events |= UV_WRITABLE;
	s->events = events;
	rc = uv_poll_start(&s->poll, events, http_on_poll);
	if (rc != 0) {
		log_err("http", "cannot watch socket %d: %s", (int)fd,
		    uv_strerror(rc));
		http_doom(h, easy);
	}
	return 0;
}

/* curl's sockets are closed here, so that no poll outlives its fd. */
static int
http_on_closesocket(void *hp, curl_socket_t fd)
{
	struct http *h = hp;
	struct http_sock *s = http_sock_find(h, fd);

	if (s != NULL)		/* no CURL_POLL_REMOVE came first */
		http_sock_close(s);
	return close(fd);
}

static void	http_reap(struct http *h);

/* Tell curl what happened, then hand over what it finished. */
static void
http_action(struct http *h, curl_socket_t fd, int flags)
{
	CURLMcode mc;
	int running;

	mc = curl_multi_socket_action(h->multi, fd, flags, &running);
	if (mc != CURLM_OK)
		log_err("http", "curl_multi_socket_action: %s",
		    curl_multi_strerror(mc));
	http_reap(h);
}

static void
http_on_timeout(uv_timer_t *t)
{
	struct http *h = t->data;

	http_action(h, CURL_SOCKET_TIMEOUT, 0);
}

static int
http_on_timer(CURLM *multi, long timeout_ms, void *hp)
{
	struct http *h = hp;

	(void)multi;
	/* 0 means "as soon as possible": the next turn of the loop. */
	if (timeout_ms < 0 || h->is_closing)
		uv_timer_stop(&h->timer);
	else
		uv_timer_start(&h->timer, http_on_timeout,
		    (uint64_t)timeout_ms, 0);
	return 0;
}

static void
http_on_poll(uv_poll_t *p, int status, int events)
{
	struct http_sock *s = p->data;
	struct http *h = s->h;
	int flags = 0;

	if (status < 0) {
		/*
		 * libuv 1.44 reports POLLERR as UV_EBADF and stops the
		 * handle. Let curl read and write so that it finds the
		 * socket's own error (refused, reset) and says which.
		 */
		flags = CURL_CSELECT_IN | CURL_CSELECT_OUT | CURL_CSELECT_ERR;
	} else {
		s->n_errors = 0;
		if (events & UV_READABLE)
			flags |= CURL_CSELECT_IN;
		if (events & UV_WRITABLE)
			flags |= CURL_CSELECT_OUT;
	}
	http_action(h, s->fd, flags);
	/*
	 * s is still allocated here (its close callback runs later), but
	 * curl may have dropped it. If curl kept it and libuv stopped it,
	 * watch again, a few times: a socket stuck in error would spin.
	 */
	if (status < 0 && !s->is_closing && !h->is_closing &&
	    !uv_is_active((uv_handle_t *)p) &&
	    ++s->n_errors <= HTTP_POLL_ERRORS_MAX)
		uv_poll_start(p, s->events, http_on_poll);
}

/* Case-insensitive "Name:" at the start of a header line: the value. */
static bool
http_header_value(const char *p, size_t len, const char *name,
    const char **v, size_t *vlen)
{
	size_t n = strlen(name);

	if (len <= n || p[n] != ':' || strncasecmp(p, name, n) != 0)
		return false;
	p += n + 1;
	len -= n + 1;
	while (len > 0 && (*p == ' ' || *p == '\t')) {
		p++;
		len--;
	}
	while (len > 0 && (p[len - 1] == '\r' || p[len - 1] == '\n' ||
	    p[len - 1] == ' ' || p[len - 1] == '\t'))
		len--;
	*v = p;
	*vlen = len;
	return true;
}

/* A validator we may store and send back: no control character. */
static bool
http_validator_ok(const char *v, size_t len)
{
	if (len == 0 || len > HTTP_VALIDATOR_MAX)
		return false;
	for (size_t i = 0; i < len; i++)
		if ((unsigned char)v[i] < 0x20 || v[i] == 0x7f)
			return false;
	return true;
}

/* Replace *dst with the header value, or NULL when unusable. */
static bool
http_keep(char **dst, const char *v, size_t len)
{
	free(*dst);
	*dst = NULL;
	if (!http_validator_ok(v, len))
		return true;
	*dst = strndup(v, len);
	return *dst != NULL;
}

static size_t
http_on_header(char *p, size_t size, size_t n, void *xp)
{
	struct http_xfer *x = xp;
	struct http_result *res = x->res;
	size_t len = size * n, vlen;
	const char *v;
	bool ok = true;

	if (len >= 5 && memcmp(p, "HTTP/", 5) == 0) {
		/*
		 * A new response begins (after a redirect or a 1xx): only
		 * the final one's validators describe the body we keep.
		 */
		free(res->etag);
		free(res->last_modified);
		res->etag = res->last_modified = NULL;
	} else if (http_header_value(p, len, "etag", &v, &vlen))
		ok = http_keep(&res->etag, v, vlen);
	else if (http_header_value(p, len, "last-modified", &v, &vlen))
		ok = http_keep(&res->last_modified, v, vlen);
	if (!ok) {
		x->is_nomem = true;
		return 0;
	}
	return len;
}

static size_t
http_on_body(char *p, size_t size, size_t n, void *xp)
{
	struct http_xfer *x = xp;
	size_t len = size * n, cap;
	long status = 0;
	char *nb;

	x->res->received += len;
	/* Redirects' bodies never come here: this is the final response. */
	curl_easy_getinfo(x->easy, CURLINFO_RESPONSE_CODE, &status);
	if (status != 200) {
		x->is_bad_status = true;	/* nothing to keep: stop now */
		return 0;
	}
	if (len > x->max_bytes - x->len) {
		x->is_too_big = true;
		return 0;
	}
	if (x->len + len + 1 > x->cap) {	/* + 1: the final NUL */
		cap = x->cap == 0 ? 16384 : x->cap;
		while (cap < x->len + len + 1)
			cap *= 2;
		if (cap > x->max_bytes + 1)
			cap = x->max_bytes + 1;
		nb = realloc(x->body, cap);
		if (nb == NULL) {
			x->is_nomem = true;
			return 0;
		}
		x->body = nb;
		x->cap = cap;
	}
	memcpy(x->body + x->len, p, len);
	x->len += len;
	return len;
}

static int
http_err_of(CURLcode c)
{
	switch (c) {
	case CURLE_OPERATION_TIMEDOUT:
		return HTTP_ETIMEOUT;
	case CURLE_FILESIZE_EXCEEDED:
		return HTTP_ETOOBIG;
	case CURLE_TOO_MANY_REDIRECTS:
		return HTTP_EREDIRECTS;
	case CURLE_COULDNT_RESOLVE_PROXY:
	case CURLE_COULDNT_RESOLVE_HOST:
	case CURLE_COULDNT_CONNECT:
		return HTTP_ECONNECT;
	case CURLE_SSL_CONNECT_ERROR:
	case CURLE_PEER_FAILED_VERIFICATION:
	case CURLE_SSL_ENGINE_NOTFOUND:
	case CURLE_SSL_ENGINE_SETFAILED:
	case CURLE_SSL_CERTPROBLEM:
	case CURLE_SSL_CIPHER:
	case CURLE_USE_SSL_FAILED:
	case CURLE_SSL_ENGINE_INITFAILED:
	case CURLE_SSL_CACERT_BADFILE:
	case CURLE_SSL_SHUTDOWN_FAILED:
	case CURLE_SSL_CRL_BADFILE:
	case CURLE_SSL_ISSUER_ERROR:
	case CURLE_SSL_PINNEDPUBKEYNOTMATCH:
	case CURLE_SSL_INVALIDCERTSTATUS:
	case CURLE_SSL_CLIENTCERT:
		return HTTP_ETLS;
	case CURLE_OUT_OF_MEMORY:
		return HTTP_ENOMEM;
	default:
		return HTTP_EOTHER;
	}
}

/*
 * A failed transfer's reason. Never curl's error buffer, which may quote
 * the URL: our message, curl's fixed text for the code, the OS error.
 */
static void
http_why_curl(struct http_xfer *x, CURLcode c)
{
	struct http_result *res = x->res;
	long oserr = 0, verify = 0;

	switch (res->err) {
	case HTTP_ETIMEOUT:
		snprintf(res->why, sizeof(res->why), "%s after %ld s",
		    http_strerror(res->err), x->timeout_s);
		return;
	case HTTP_EREDIRECTS:
		snprintf(res->why, sizeof(res->why), "%s (more than %d)",
		    http_strerror(res->err), x->max_redirects);
		return;
	case HTTP_ECONNECT:
		curl_easy_getinfo(x->easy, CURLINFO_OS_ERRNO, &oserr);
		if (oserr != 0) {
			snprintf(res->why, sizeof(res->why), "%s: %s",
			    http_strerror(res->err),
			    uv_strerror(uv_translate_sys_error((int)oserr)));
			return;
		}
		break;
	case HTTP_ETLS:
		/* Only meaningful once a certificate was checked. */
		if (c == CURLE_PEER_FAILED_VERIFICATION)
			curl_easy_getinfo(x->easy, CURLINFO_SSL_VERIFYRESULT,
			    &verify);
		if (verify != 0) {
			snprintf(res->why, sizeof(res->why), "%s: %s "
			    "(certificate check %ld)", http_strerror(res->err),
			    curl_easy_strerror(c), verify);
			return;
		}
		break;
	default:
		break;
	}
	snprintf(res->why, sizeof(res->why), "%s: %s", http_strerror(res->err),
	    curl_easy_strerror(c));
}

/* Fill x->res from how the transfer ended. */
static void
http_judge(struct http_xfer *x, CURLcode c)
{
	struct http_result *res = x->res;

	curl_easy_getinfo(x->easy, CURLINFO_RESPONSE_CODE, &res->status);
	if (x->forced_err != HTTP_OK)
		res->err = x->forced_err;	/* why already set */
	else if (x->is_nomem || c == CURLE_OUT_OF_MEMORY) {
		res->err = HTTP_ENOMEM;
		snprintf(res->why, sizeof(res->why), "%s",
		    http_strerror(res->err));
	} else if (x->is_too_big || c == CURLE_FILESIZE_EXCEEDED) {
		res->err = HTTP_ETOOBIG;
		snprintf(res->why, sizeof(res->why), "body larger than %zu "
		    "bytes", x->max_bytes);
	} else if (c == CURLE_OK ||
	    (c == CURLE_WRITE_ERROR && x->is_bad_status)) {
		if (res->status == 200) {
			if (x->body == NULL && (x->body = malloc(1)) == NULL) {
				res->err = HTTP_ENOMEM;
				snprintf(res->why, sizeof(res->why), "%s",
				    http_strerror(res->err));
			} else {
				x->body[x->len] = '\0';
				res->body = x->body;
				res->len = x->len;
				x->body = NULL;
			}
		} else if (res->status == 304 && x->is_conditional)
			res->not_modified = true;
		else {
			res->err = HTTP_ESTATUS;
			snprintf(res->why, sizeof(res->why), "HTTP %ld%s",
			    res->status, res->status == 304 ?
			    " to an unconditional request" : "");
		}
	} else {
		res->err = http_err_of(c);
		http_why_curl(x, c);
	}
	if (res->err != HTTP_OK) {
		free(res->etag);
		free(res->last_modified);
		res->etag = res->last_modified = NULL;
	}
}

/* Unlink x, give its easy handle back and free it; not its result. */
static void
http_xfer_free(struct http_xfer *x)
{
	struct http *h = x->h;

	if (x->prev != NULL)
		x->prev->next = x->next;
	else
		h->xfers = x->next;
	if (x->next != NULL)
		x->next->prev = x->prev;
	if (x->forced_err != HTTP_OK)
		h->n_doomed--;
	if (x->easy != NULL) {
		curl_multi_remove_handle(h->multi, x->easy);
		curl_easy_cleanup(x->easy);
	}
	curl_slist_free_all(x->hdrs);
	free(x->body);
	free(x);
}

static void
http_finish(struct http_xfer *x, CURLcode c)
{
	struct http_result *res = x->res;
	http_done_fn done = x->done;
	void *arg = x->arg;

	http_judge(x, c);
	http_xfer_free(x);
	done(arg, res);
}

/*
 * Hand over every finished transfer. A done callback may start or cancel
 * transfers, or close h: look again at h after each one.
 */
static void
http_reap(struct http *h)
{
	struct http_xfer *x;
	char *priv;
	CURLMsg *m;
	CURLcode c;
	int left;

	while (!h->is_closing &&
	    (m = curl_multi_info_read(h->multi, &left)) != NULL) {
		if (m->msg != CURLMSG_DONE)
			continue;
		priv = NULL;
		c = m->data.result;	/* m dies with its easy handle */
		curl_easy_getinfo(m->easy_handle, CURLINFO_PRIVATE, &priv);
		if (priv == NULL)
			continue;	/* not ours: cannot happen */
		http_finish((struct http_xfer *)(void *)priv, c);
	}
	while (!h->is_closing && h->n_doomed > 0) {
		for (x = h->xfers; x != NULL; x = x->next)
			if (x->forced_err != HTTP_OK)
				break;
		if (x == NULL)
			break;
		http_finish(x, CURLE_OK);
	}
}

int
http_open(uv_loop_t *loop, struct http **out)
{
	struct http *h;

	*out = NULL;
	h = calloc(1, sizeof(*h));
	if (h == NULL)
		return HTTP_ENOMEM;
	h->loop = loop;
	h->multi = curl_multi_init();
	if (h->multi == NULL) {
		free(h);
		return HTTP_ENOMEM;
	}
	if (curl_multi_setopt(h->multi, CURLMOPT_SOCKETFUNCTION,
	    http_on_socket) != CURLM_OK ||
	    curl_multi_setopt(h->multi, CURLMOPT_SOCKETDATA, h) != CURLM_OK ||
	    curl_multi_setopt(h->multi, CURLMOPT_TIMERFUNCTION,
	    http_on_timer) != CURLM_OK ||
	    curl_multi_setopt(h->multi, CURLMOPT_TIMERDATA, h) != CURLM_OK) {
		curl_multi_cleanup(h->multi);
		free(h);
		return HTTP_EOTHER;
	}
	uv_timer_init(loop, &h->timer);		/* cannot fail on unix */
	h->timer.data = h;
	h->open_handles = 1;
	*out = h;
	return HTTP_OK;
}

static void
http_timer_closed(uv_handle_t *t)
{
	http_unref(t->data);
}

void
http_close(struct http *h)
{
	struct http_xfer *x;

	if (h == NULL || h->is_closing)
		return;
	h->is_closing = true;
	while ((x = h->xfers) != NULL) {
		struct http_result *res = x->res;

		http_xfer_free(x);
		http_result_free(res);
	}
	/* Closes the cached connections: REMOVE and closesocket calls. */
	curl_multi_cleanup(h->multi);
	h->multi = NULL;
	while (h->socks != NULL)
		http_sock_close(h->socks);
	uv_close((uv_handle_t *)&h->timer, http_timer_closed);
}

static bool
http_is_http_url(const char *url)
{
	return url != NULL && (strncasecmp(url, "http://", 7) == 0 ||
	    strncasecmp(url, "https://", 8) == 0);
}

/* Add "name: value" to *l when value may be sent; false without memory. */
static bool
http_add_header(struct curl_slist **l, const char *name, const char *value,
    bool *added)
{
	struct curl_slist *nl;
	char line[sizeof("If-Modified-Since: ") + HTTP_VALIDATOR_MAX];

	if (value == NULL || !http_validator_ok(value, strlen(value)))
		return true;
	snprintf(line, sizeof(line), "%s: %s", name, value);
	nl = curl_slist_append(*l, line);
	if (nl == NULL)
		return false;
	*l = nl;
	*added = true;
	return true;
}

/* Set every option of a transfer; false if curl refused one. */
static bool
http_setup(struct http_xfer *x, const struct http_get_opts *o)
{
	CURL *e = x->easy;
	long connect_s = x->timeout_s < HTTP_CONNECT_TIMEOUT_S ?
	    x->timeout_s : HTTP_CONNECT_TIMEOUT_S;

	return curl_easy_setopt(e, CURLOPT_URL, o->url) == CURLE_OK &&
	    /* Never file://, dict:// or the like, even through a redirect. */
	    curl_easy_setopt(e, CURLOPT_PROTOCOLS_STR, "http,https") ==
	    CURLE_OK &&
	    curl_easy_setopt(e, CURLOPT_REDIR_PROTOCOLS_STR, "http,https") ==
	    CURLE_OK &&
	    curl_easy_setopt(e, CURLOPT_FOLLOWLOCATION, 1L) == CURLE_OK &&
	    curl_easy_setopt(e, CURLOPT_MAXREDIRS, (long)x->max_redirects) ==
	    CURLE_OK &&
	    curl_easy_setopt(e, CURLOPT_NOSIGNAL, 1L) == CURLE_OK &&
	    curl_easy_setopt(e, CURLOPT_ACCEPT_ENCODING, "") == CURLE_OK &&
	    curl_easy_setopt(e, CURLOPT_TIMEOUT, x->timeout_s) == CURLE_OK &&
	    curl_easy_setopt(e, CURLOPT_CONNECTTIMEOUT, connect_s) ==
	    CURLE_OK &&
	    /* A Content-Length over the limit fails before any body. */
	    curl_easy_setopt(e, CURLOPT_MAXFILESIZE_LARGE,
	    (curl_off_t)x->max_bytes) == CURLE_OK &&
	    curl_easy_setopt(e, CURLOPT_USERAGENT, o->user_agent != NULL ?
	    o->user_agent : "snpd/" SNP_VERSION) == CURLE_OK &&
	    (x->hdrs == NULL ||
	    curl_easy_setopt(e, CURLOPT_HTTPHEADER, x->hdrs) == CURLE_OK) &&
	    curl_easy_setopt(e, CURLOPT_HEADERFUNCTION, http_on_header) ==
	    CURLE_OK &&
	    curl_easy_setopt(e, CURLOPT_HEADERDATA, x) == CURLE_OK &&
	    curl_easy_setopt(e, CURLOPT_WRITEFUNCTION, http_on_body) ==
	    CURLE_OK &&
	    curl_easy_setopt(e, CURLOPT_WRITEDATA, x) == CURLE_OK &&
	    curl_easy_setopt(e, CURLOPT_PRIVATE, x) == CURLE_OK &&
	    curl_easy_setopt(e, CURLOPT_CLOSESOCKETFUNCTION,
	    http_on_closesocket) == CURLE_OK &&
	    curl_easy_setopt(e, CURLOPT_CLOSESOCKETDATA, x->h) == CURLE_OK &&
#if LIBCURL_VERSION_NUM >= 0x075700
	    /*
	     * Without it, ending a transfer (timeout, cancel, close) while
	     * its name is being resolved joins the resolver thread: the loop
	     * would wait for getaddrinfo(). With it the thread is detached
	     * and frees itself when getaddrinfo() returns.
	     */
	    curl_easy_setopt(e, CURLOPT_QUICK_EXIT, 1L) == CURLE_OK &&
#endif
	    true;
}

int
http_get(struct http *h, const struct http_get_opts *o, http_done_fn done,
    void *arg, struct http_xfer **out)
{
	struct http_xfer *x;
	int err = HTTP_ENOMEM;

	if (out != NULL)
		*out = NULL;
	if (!http_is_http_url(o->url))
		return HTTP_EURL;
	x = calloc(1, sizeof(*x));
	if (x == NULL)
		return HTTP_ENOMEM;
	x->h = h;
	x->done = done;
	x->arg = arg;
	x->timeout_s = o->timeout_s > 0 ? o->timeout_s : HTTP_DEFAULT_TIMEOUT_S;
	x->max_bytes = o->max_bytes > 0 ? o->max_bytes :
	    HTTP_DEFAULT_MAX_BYTES;
	x->max_redirects = o->max_redirects > 0 ? o->max_redirects : 0;
	x->res = calloc(1, sizeof(*x->res));
	x->easy = curl_easy_init();
	if (x->res == NULL || x->easy == NULL ||
	    !http_add_header(&x->hdrs, "If-None-Match", o->etag,
	    &x->is_conditional) ||
	    !http_add_header(&x->hdrs, "If-Modified-Since", o->last_modified,
	    &x->is_conditional))
		goto fail;
	if (!http_setup(x, o)) {
		err = HTTP_EOTHER;
		goto fail;
	}
	/* Linked first: adding may call the timer function, never done. */
	x->next = h->xfers;
	if (h->xfers != NULL)
		h->xfers->prev = x;
	h->xfers = x;
	if (curl_multi_add_handle(h->multi, x->easy) != CURLM_OK) {
		h->xfers = x->next;
		if (x->next != NULL)
			x->next->prev = NULL;
		err = HTTP_EOTHER;
		goto fail;
	}
	if (out != NULL)
		*out = x;
	return HTTP_OK;
fail:
	if (x->easy != NULL)
		curl_easy_cleanup(x->easy);
	curl_slist_free_all(x->hdrs);
	free(x->res);
	free(x);
	return err;
}

void
http_cancel(struct http_xfer *x)
{
	struct http_result *res;

	if (x == NULL)
		return;
	res = x->res;
	http_xfer_free(x);
	http_result_free(res);
}

void
http_result_free(struct http_result *res)
{
	if (res == NULL)
		return;
	free(res->body);
	free(res->etag);
	free(res->last_modified);
	free(res);
}

/* Append n bytes to buf, control characters as '?', always terminated. */
static void
http_put(char *buf, size_t len, size_t *off, const char *s, size_t n)
{
	for (size_t i = 0; i < n && *off + 1 < len; i++) {
		unsigned char ch = (unsigned char)s[i];

		buf[(*off)++] = ch < 0x20 || ch == 0x7f ? '?' : (char)ch;
	}
	buf[*off] = '\0';
}

void
http_mask_url(const char *url, char *buf, size_t len)
{
	const char *auth, *host, *end;
	size_t n = 0, off = 0;

	if (len == 0)
		return;
	buf[0] = '\0';
	if (url != NULL && ((url[0] >= 'a' && url[0] <= 'z') ||
	    (url[0] >= 'A' && url[0] <= 'Z')))
		n = strspn(url, "abcdefghijklmnopqrstuvwxyz"
		    "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789+-.");
	if (n == 0 || strncmp(url + n, "://", 3) != 0) {
		http_put(buf, len, &off, "(not a URL)", 11);
		return;
	}
	auth = url + n + 3;
	end = auth + strcspn(auth, "/?#");
	/* user:password@ goes: the host starts after the last '@'. */
	for (host = auth; auth < end; auth++)
		if (*auth == '@')
			host = auth + 1;
	if (host == end) {
		http_put(buf, len, &off, "(not a URL)", 11);
		return;
	}
	http_put(buf, len, &off, url, n + 3);
	http_put(buf, len, &off, host, (size_t)(end - host));
	/* "/…", whole or not at all: no half a UTF-8 sequence. */
	if (*end != '\0' && off + 4 < len)
		http_put(buf, len, &off, "/\xe2\x80\xa6", 4);
}
