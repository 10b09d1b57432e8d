/* The notifier: one child per message, its stdin the message. */
#include "daemon/notify.h"

#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <uv.h>

#include "daemon/daemon.h"
#include "daemon/log.h"

struct notify_job {
	struct notify_job	*next;		/* queue, or running list */
	struct notifier		*n;
	char			*text;		/* the JSON and a newline */
	uv_buf_t		 buf;
	uv_process_t		 proc;
	uv_pipe_t		 in;
	uv_write_t		 wr;
	uv_timer_t		 timer;
	int			 handles;	/* open: proc, in, timer */
	bool			 timed_out, exited;
	int64_t			 status;
	int			 signal;
	char			 spawn_err[64];
	notify_done_fn		 done;
	void			*arg;
};

struct notifier {
	struct daemon		*d;
	struct notify_job	*queue, **queue_tail;
	struct notify_job	*running;
	int			 n_running;
	bool			 is_closing;
};

bool
notify_enabled(const struct notifier *n)
{
	return n != NULL && n->d->cfg->notify.command != NULL;
}

static void	notify_start_next(struct notifier *n);
static void	notify_maybe_free(struct notifier *n);

static void
notify_unlink(struct notifier *n, struct notify_job *j)
{
	for (struct notify_job **p = &n->running; *p != NULL; p = &(*p)->next)
		if (*p == j) {
			*p = j->next;
			break;
		}
}

/* Every handle closed: say how it went, start the next one. */
static void
notify_finish(struct notify_job *j)
{
	struct notifier *n = j->n;
	char detail[96];
	bool ok = false;

	if (j->spawn_err[0] != '\0')
		snprintf(detail, sizeof(detail), "failed: spawn: %s",
		    j->spawn_err);
	else if (j->timed_out)
		snprintf(detail, sizeof(detail), "failed: timed out");
	else if (j->signal != 0)
		snprintf(detail, sizeof(detail), "failed: signal %d",
		    j->signal);
	else if (j->status != 0)
		snprintf(detail, sizeof(detail), "failed: exit %lld",
		    (long long)j->status);
	else {
		ok = true;
		snprintf(detail, sizeof(detail), "delivered");
	}
	if (!ok)
		log_warning("notify", "%s", detail);
	notify_unlink(n, j);
	n->n_running--;
	j->done(n->d, j->arg, ok, detail);
	free(j->text);
	free(j);
	if (n->is_closing)
		notify_maybe_free(n);
	else
		notify_start_next(n);
}

static void
notify_closed(uv_handle_t *h)
{
	struct notify_job *j = h->data;

	if (--j->handles == 0)
		notify_finish(j);
}

static void
notify_close_all(struct notify_job *j)
{
	if (!uv_is_closing((uv_handle_t *)&j->in))
		uv_close((uv_handle_t *)&j->in, notify_closed);
	if (!uv_is_closing((uv_handle_t *)&j->timer))
		uv_close((uv_handle_t *)&j->timer, notify_closed);
	if (!uv_is_closing((uv_handle_t *)&j->proc))
		uv_close((uv_handle_t *)&j->proc, notify_closed);
}

static void
notify_exited(uv_process_t *p, int64_t status, int sig)
{
	struct notify_job *j = p->data;

	j->exited = true;
	j->status = status;
	j->signal = j->timed_out ? 0 : sig;
	notify_close_all(j);
}

static void
notify_timeout(uv_timer_t *t)
{
	struct notify_job *j = t->data;

	/* Hung: kill it; its exit closes the rest. */
	j->timed_out = true;
	uv_process_kill(&j->proc, SIGKILL);
}

static void
notify_written(uv_write_t *w, int status)
{
	struct notify_job *j = w->data;

	(void)status;	/* a child that does not read its stdin is its call */
	if (!uv_is_closing((uv_handle_t *)&j->in))
		uv_close((uv_handle_t *)&j->in, notify_closed);
}

static void
notify_start(struct notifier *n, struct notify_job *j)
{
	const struct cfg *c = n->d->cfg;
	char *argv[2] = { (char *)c->notify.command, NULL };
	uv_stdio_container_t io[3];
	uv_process_options_t o;
	int err;

	j->next = n->running;
	n->running = j;
	n->n_running++;
	uv_pipe_init(&n->d->loop, &j->in, 0);
	uv_timer_init(&n->d->loop, &j->timer);
	j->in.data = j->timer.data = j->proc.data = j->wr.data = j;
	j->handles = 2;
	io[0].flags = UV_CREATE_PIPE | UV_READABLE_PIPE;
	io[0].data.stream = (uv_stream_t *)&j->in;
	io[1].flags = UV_IGNORE;
	/* Its complaints go where snpd's own go (the journal). */
	io[2].flags = UV_INHERIT_FD;
	io[2].data.fd = 2;
	memset(&o, 0, sizeof(o));
	o.file = c->notify.command;
	o.args = argv;
	o.exit_cb = notify_exited;
	o.stdio = io;
	o.stdio_count = 3;
	if ((err = uv_spawn(&n->d->loop, &j->proc, &o)) != 0) {
		snprintf(j->spawn_err, sizeof(j->spawn_err), "%s",
		    uv_strerror(err));
		/* uv_spawn leaves the process handle initialized: close it. */
		j->handles++;
		notify_close_all(j);
		return;
	}
	j->handles++;
	uv_timer_start(&j->timer, notify_timeout,
	    (uint64_t)c->notify.timeout_s * 1000, 0);
	j->buf = uv_buf_init(j->text, (unsigned)strlen(j->text));
	if (uv_write(&j->wr, (uv_stream_t *)&j->in, &j->buf, 1,
	    notify_written) != 0)
		uv_close((uv_handle_t *)&j->in, notify_closed);
}

static void
notify_start_next(struct notifier *n)
{
	struct notify_job *j;

	while ((j = n->queue) != NULL &&
	    n->n_running < n->d->cfg->notify.max_running &&
	    n->d->cfg->notify.command != NULL) {
		if ((n->queue = j->next) == NULL)
			n->queue_tail = &n->queue;
		notify_start(n, j);
	}
}

bool
notify_send(struct notifier *n, cJSON *msg, notify_done_fn done, void *arg)
{
	struct notify_job *j;
	char *text;

	if (!notify_enabled(n) || n->is_closing) {
		cJSON_Delete(msg);
		return false;
	}
	text = cJSON_PrintUnformatted(msg);
	cJSON_Delete(msg);
	if ((j = calloc(1, sizeof(*j))) == NULL || text == NULL ||
	    (j->text = malloc(strlen(text) + 2)) == NULL) {
		free(j);
		free(text);
		log_err("notify", "out of memory: a message not sent");
		return false;
	}
	sprintf(j->text, "%s\n", text);
	free(text);
	j->n = n;
	j->done = done;
	j->arg = arg;
	*n->queue_tail = j;
	n->queue_tail = &j->next;
	notify_start_next(n);
	return true;
}

int
notify_open(struct daemon *d, struct notifier **out)
{
	struct notifier *n = calloc(1, sizeof(*n));

	*out = n;
	if (n == NULL)
		return -1;
	n->d = d;
	n->queue_tail = &n->queue;
	return 0;
}

static void
notify_maybe_free(struct notifier *n)
{
	if (n->running == NULL)
		free(n);
}

void
notify_close(struct notifier *n)
{
	struct notify_job *j;

	if (n == NULL || n->is_closing)
		return;
	n->is_closing = true;
	/* The queued ones are never started: told "failed". */
	while ((j = n->queue) != NULL) {
		n->queue = j->next;
		j->done(n->d, j->arg, false, "failed: shutting down");
		free(j->text);
		free(j);
	}
	for (j = n->running; j != NULL; j = j->next) {
		if (!j->exited && j->spawn_err[0] == '\0')
			uv_process_kill(&j->proc, SIGKILL);
		/* No exit to wait for: the loop is closing. */
		notify_close_all(j);
	}
	notify_maybe_free(n);
}
