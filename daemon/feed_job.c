/* A feed's parse on libuv's pool: read (files), hash, expand, hand back. */
#include "daemon/feed_int.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "daemon/daemon.h"
#include "daemon/log.h"

uint64_t
feed_hash(const char *p, size_t n)
{
	uint64_t h = 0xcbf29ce484222325ull;

	for (size_t i = 0; i < n; i++) {
		h ^= (unsigned char)p[i];
		h *= 0x100000001b3ull;
	}
	return h ^ n;
}

/* Read a whole file of at most max bytes; -1 with why set. */
static int
feed_job_read(struct feed_job *j, size_t max)
{
	struct stat st;
	ssize_t n;
	size_t got = 0;
	int fd;

	fd = open(j->path, O_RDONLY | O_CLOEXEC | O_NOCTTY);
	if (fd < 0 || fstat(fd, &st) != 0) {
		snprintf(j->why, sizeof(j->why), "cannot read the file: %s",
		    strerror(errno));
		if (fd >= 0)
			close(fd);
		return -1;
	}
	if (!S_ISREG(st.st_mode)) {
		snprintf(j->why, sizeof(j->why), "not a regular file");
		close(fd);
		return -1;
	}
	if ((size_t)st.st_size > max) {
		snprintf(j->why, sizeof(j->why), "%lld bytes, over the limit "
		    "of %zu", (long long)st.st_size, max);
		j->err = CAL_ETOOBIG;
		close(fd);
		return -1;
	}
	/* One byte more than the limit tells a file that grew meanwhile. */
	j->text = malloc(max + 1 < (size_t)st.st_size + 1 ? max + 1 :
	    (size_t)st.st_size + 1);
	if (j->text == NULL) {
		snprintf(j->why, sizeof(j->why), "out of memory");
		close(fd);
		return -1;
	}
	while (got < (size_t)st.st_size + 1 && got <= max &&
	    (n = read(fd, j->text + got, (size_t)st.st_size + 1 - got)) > 0)
		got += (size_t)n;
	close(fd);
	if (got > max) {
		snprintf(j->why, sizeof(j->why), "over the limit of %zu bytes",
		    max);
		j->err = CAL_ETOOBIG;
		return -1;
	}
	j->len = got;
	return 0;
}

/* The is_late probe: the parse's deadline on the monotonic clock. */
static bool
feed_job_late(void *arg)
{
	const uint64_t *deadline_ns = arg;

	return uv_hrtime() > *deadline_ns;
}

void
feed_job_work(uv_work_t *req)
{
	struct feed_job *j = (struct feed_job *)req;
	const struct feed_params *p = j->params;
	uint64_t deadline_ns = uv_hrtime() +
	    (uint64_t)p->timeout_s * 1000000000u;
	struct cal_opts o = {
		.tz = p->tz,
		.from_utc = p->from_utc,
		.to_utc = p->to_utc,
		.markers = {
			(const char *const *)p->markers, p->n_snp,
			(const char *const *)p->markers + p->n_snp,
			p->n_oncall,
			(const char *const *)p->markers + p->n_snp +
			    p->n_oncall, p->n_absent,
		},
		.max_bytes = p->max_bytes,
		.max_instances = p->max_instances,
		.is_late = feed_job_late,
		.late_arg = &deadline_ns,
	};

	cal_avail_init(&j->avail);
	if (j->path != NULL && feed_job_read(j, p->max_bytes) != 0) {
		if (j->err == 0)
			j->err = -1;
		return;
	}
	j->hash = feed_hash(j->text, j->len);
	/* The same bytes under the same parameters: nothing to do. */
	if (j->skip_hash != 0 && j->hash == j->skip_hash) {
		j->is_unchanged = true;
		return;
	}
	j->err = cal_parse(j->text, j->len, &o, &j->avail, j->why,
	    sizeof(j->why));
}

void
feed_job_free(struct feed_job *j)
{
	if (j == NULL)
		return;
	cal_avail_fini(&j->avail);
	free(j->text);
	free(j->path);
	free(j->etag);
	free(j->last_modified);
	free(j);
}

/* Queue a parse of j for f; takes j. */
static void	feed_job_done(uv_work_t *req, int status);

void
feed_job_queue(struct feed *f, struct feed_job *j)
{
	struct feeds *fs = f->fs;

	j->feed = f;
	j->params = fs->params;
	fs->params->refs++;
	f->job = j;
	if (uv_queue_work(&fs->d->loop, &j->req, feed_job_work,
	    feed_job_done) != 0) {
		f->job = NULL;
		feed_params_unref(j->params);
		if (j->push_done != NULL)
			j->push_done(j->push_arg, -1, "cannot queue the parse",
			    NULL);
		feed_job_free(j);
	}
}

static void
feed_job_done(uv_work_t *req, int status)
{
	struct feed_job *j = (struct feed_job *)req;
	struct feed *f = j->feed;

	if (f == NULL || status == UV_ECANCELED) {
		/* Orphaned: the GP left the config, or snpd is closing. */
		if (j->push_done != NULL)
			j->push_done(j->push_arg, -1, "snpd is closing", NULL);
		feed_params_unref(j->params);
		feed_job_free(j);
		return;
	}
	f->job = NULL;
	if (j->is_unchanged && j->params->generation == f->avail_generation &&
	    f->has_avail) {
		if (j->push_done != NULL)
			j->push_done(j->push_arg, 0, "", &f->avail);
		else
			feed_result_unchanged(f);
	} else if (j->is_unchanged) {
		/* Same bytes, new parameters: expand them again. */
		struct feed_job *again = calloc(1, sizeof(*again));

		if (again != NULL) {
			*again = *j;
			memset(&again->req, 0, sizeof(again->req));
			again->skip_hash = 0;
			again->is_unchanged = false;
			again->path = NULL;
			cal_avail_init(&again->avail);
			j->text = NULL;
			j->etag = j->last_modified = NULL;
			j->push_done = NULL;
			feed_params_unref(j->params);
			feed_job_free(j);
			feed_job_queue(f, again);
			return;
		}
		feed_result_failed(f, "out of memory");
	} else if (j->err != CAL_OK) {
		char why[300];

		snprintf(why, sizeof(why), "%s: %s", j->err > 0 ?
		    cal_strerror(j->err) : "unreadable", j->why);
		if (j->push_done != NULL)
			j->push_done(j->push_arg, j->err, why, NULL);
		else if (j->origin == FEED_FROM_STORE)
			log_warning("feed", "gp=%s stored content: %s", f->gp,
			    why);
		else
			feed_result_failed(f, why);
	} else {
		feed_result_take(f, j);
		if (j->origin == FEED_FROM_HTTP || j->origin == FEED_FROM_FILE)
			feed_fetch_plan(f);
	}
	feed_params_unref(j->params);
	feed_job_free(j);
	if (f->pending != NULL && !f->is_closing) {
		j = f->pending;
		f->pending = NULL;
		feed_job_queue(f, j);
	} else if (f->wants_fetch && !f->is_closing) {
		f->wants_fetch = false;
		feed_fetch(f);
	}
}
