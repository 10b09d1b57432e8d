/* A feed's parse on libuv's pool: read (files), hash, expand, hand back. */
#include "daemon/feed_int.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

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
