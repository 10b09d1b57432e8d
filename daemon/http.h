/* HTTP(S) GETs on the loop: libcurl's multi socket interface over libuv. */
#pragma once

#include <stdbool.h>
#include <stddef.h>

#include <uv.h>

#define HTTP_ERRORS(X)							\
	X(HTTP_OK,		"ok")					\
	X(HTTP_ETIMEOUT,	"timed out")				\
	X(HTTP_ETOOBIG,		"larger than feeds.max_bytes")		\
	X(HTTP_ESTATUS,		"unexpected HTTP status")		\
	X(HTTP_EREDIRECTS,	"too many redirects")			\
	X(HTTP_ECONNECT,	"cannot connect")			\
	X(HTTP_ETLS,		"TLS error")				\
	X(HTTP_EURL,		"not an http:// or https:// URL")	\
	X(HTTP_EOTHER,		"transfer failed")			\
	X(HTTP_ENOMEM,		"out of memory")

enum http_err {
#define X(code, msg) code,
	HTTP_ERRORS(X)
#undef X
	HTTP_ERR_COUNT
};

const char	*http_strerror(int err);

/*
 * Once per process, from main() before any thread or loop starts
 * (curl_global_init is not thread-safe on every platform): 0, or
 * HTTP_EOTHER with why set. http_global_cleanup() at the very end, after
 * every struct http is closed.
 */
int		 http_global_init(char *why, size_t whylen);
void		 http_global_cleanup(void);

struct http;		/* one per loop */
struct http_xfer;	/* one transfer, from http_get() to its done */

/* All strings are copied by http_get(): they need not outlive the call. */
struct http_get_opts {
	const char	*url;		/* http:// or https:// only */
	const char	*etag;		/* sent as If-None-Match, or NULL */
	/* Sent as If-Modified-Since (the header value as received), or NULL. */
	const char	*last_modified;
	long		 timeout_s;	/* whole transfer; 0: 60 */
	/*
	 * Body limit in bytes after decoding (gzip), enforced while
	 * downloading; a Content-Length above it fails before the body.
	 * 0: 8 MiB.
	 */
	size_t		 max_bytes;
	int		 max_redirects;	/* <= 0: none; past it, an error */
	const char	*user_agent;	/* NULL: "snpd/<version>" */
};

struct http_result {
	int	 err;		/* HTTP_OK or an error */
	long	 status;	/* last HTTP status, 0 if none */
	bool	 not_modified;	/* err HTTP_OK and a 304 */
	/*
	 * When err is HTTP_OK and not not_modified: the body, len bytes
	 * plus a NUL that len does not count. Owned by the result; take it
	 * (set body to NULL) to keep it beyond http_result_free().
	 */
	char	*body;
	size_t	 len;
	size_t	 received;	/* body bytes received, kept or not */
	/* The final response's validators (200 or 304), or NULL. */
	char	*etag;
	char	*last_modified;
	/*
	 * Why it failed ("HTTP 500", "cannot connect: connection refused"),
	 * "" on success. Never holds any part of the URL: it is safe to log
	 * next to http_mask_url().
	 */
	char	 why[256];
};

/*
 * Called once per transfer on the loop thread, unless the transfer was
 * cancelled or its struct http closed first. res belongs to the callee,
 * who frees it with http_result_free(). The transfer is gone by then: its
 * struct http_xfer pointer must not be used again. From inside done one
 * may start transfers, cancel others, or close the struct http.
 */
typedef void	(*http_done_fn)(void *arg, struct http_result *res);

/*
 * Make a client on loop. Returns HTTP_OK and *out, or HTTP_ENOMEM /
 * HTTP_EOTHER (*out NULL).
 */
int		 http_open(uv_loop_t *loop, struct http **out);

/*
 * Cancel every transfer still in flight (their done is NOT called), close
 * the connections and the handles. h frees itself once libuv has closed
 * them: keep running the loop until then (uv_loop_close() then returns
 * 0). NULL is a no-op. May be called from inside a done callback.
 */
void		 http_close(struct http *h);

/*
 * Start GET o->url. Returns HTTP_OK, with *out (if out is not NULL) the
 * transfer for http_cancel(), and done(arg, res) later on the loop thread,
 * never from inside this call. Otherwise HTTP_EURL, HTTP_ENOMEM or
 * HTTP_EOTHER (libcurl refused an option), done is never called and *out
 * is NULL.
 */
int		 http_get(struct http *h, const struct http_get_opts *o,
		    http_done_fn done, void *arg, struct http_xfer **out);

/*
 * Stop a transfer whose done has not run yet; done will not be called.
 * NULL is a no-op.
 */
void		 http_cancel(struct http_xfer *x);

/* Free a result and what it still owns. NULL is a no-op. */
void		 http_result_free(struct http_result *res);

/*
 * The URL as it may appear in a log: scheme, host and port, then "/…" if
 * anything followed ("https://agenda.example:8443/…"). User name,
 * password, path, query and fragment never appear; control characters
 * become '?'. A string that is not a URL gives "(not a URL)". buf always
 * ends up NUL-terminated (when len > 0).
 */
void		 http_mask_url(const char *url, char *buf, size_t len);
