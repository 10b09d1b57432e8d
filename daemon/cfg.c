/* The config file of CONFIG.md: reading, the top level, small sections. */
#include "daemon/cfg.h"

#include <sys/stat.h>
#include <sys/un.h>

#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cjson/cJSON.h>

#include "daemon/cfg_int.h"
#include "proto/jarg.h"
#include "proto/rfc3339.h"

#define CFG_TEXT_MAX	(16u * 1024 * 1024)	/* the config file */
#define CFG_SUN_MAX	(sizeof(((struct sockaddr_un *)0)->sun_path) - 1)

static const char *const cfg_role_names[CFG_ROLE_COUNT] = {
	[CFG_ROLE_ADMIN] = "admin",
	[CFG_ROLE_COORDINATOR] = "coordinator",
	[CFG_ROLE_SECRETARIAT] = "secretariat",
	[CFG_ROLE_NURSE] = "nurse",
	[CFG_ROLE_GP] = "gp",
};

/* Problems. */

static void
cfg_errs_add(struct cfg_ctx *x, const char *line, size_t n)
{
	size_t need = x->errs_len + n + 2;
	char *p;

	if (need > x->errs_cap) {
		size_t cap = x->errs_cap ? x->errs_cap : 1024;

		while (cap < need)
			cap *= 2;
		if ((p = realloc(x->errs, cap)) == NULL) {
			x->is_oom = true;
			return;
		}
		x->errs = p;
		x->errs_cap = cap;
	}
	memcpy(x->errs + x->errs_len, line, n);
	x->errs_len += n;
	x->errs[x->errs_len++] = '\n';
	x->errs[x->errs_len] = '\0';
}

static void
cfg_vline(struct cfg_ctx *x, const char *fmt, va_list ap)
{
	char line[512];
	size_t n;

	vsnprintf(line, sizeof(line), fmt, ap);
	n = strlen(line);
	/* A key or value from the file must not start a line of its own. */
	for (size_t i = 0; i < n; i++)
		if ((unsigned char)line[i] < 0x20 || line[i] == 0x7f)
			line[i] = '?';
	cfg_errs_add(x, line, n);
}

void
cfg_err(struct cfg_ctx *x, const char *fmt, ...)
{
	va_list ap;

	if (++x->n_errors > CFG_MAX_ERRORS)
		return;
	va_start(ap, fmt);
	cfg_vline(x, fmt, ap);
	va_end(ap);
}

void
cfg_oom(struct cfg_ctx *x)
{
	if (x->is_oom)
		return;
	x->is_oom = true;
	cfg_err(x, "%s: out of memory", x->name);
}

/* Memory the config owns. */

void *
cfg_calloc(struct cfg_ctx *x, size_t n, size_t size)
{
	struct cfg_mem *m = x->mem;
	void *p;

	if (x->is_oom)
		return NULL;
	if (m->n_owned == m->cap_owned) {
		size_t cap = m->cap_owned ? 2 * m->cap_owned : 64;
		void **v = reallocarray(m->owned, cap, sizeof(*v));

		if (v == NULL)
			goto oom;
		m->owned = v;
		m->cap_owned = cap;
	}
	if ((p = calloc(n ? n : 1, size ? size : 1)) == NULL)
		goto oom;
	m->owned[m->n_owned++] = p;
	return p;
oom:
	cfg_oom(x);
	return NULL;
}

char *
cfg_concat(struct cfg_ctx *x, const char *a, const char *b)
{
	size_t la = strlen(a), lb = b != NULL ? strlen(b) : 0;
	char *p = cfg_calloc(x, la + lb + 1, 1);

	if (p == NULL)
		return NULL;
	memcpy(p, a, la);
	if (lb > 0)
		memcpy(p + la, b, lb);
	return p;
}

char *
cfg_strdup(struct cfg_ctx *x, const char *s)
{
	return cfg_concat(x, s, NULL);
}

const char *
cfg_abspath(struct cfg_ctx *x, const char *p)
{
	size_t lb, lp;
	char *out;

	if (p[0] == '/')
		return p;
	lb = strlen(x->base_dir);
	lp = strlen(p);
	if (lb > 0 && x->base_dir[lb - 1] == '/')
		lb--;			/* base "/" gives "/p", not "//p" */
	if ((out = cfg_calloc(x, lb + lp + 2, 1)) == NULL)
		return NULL;
	memcpy(out, x->base_dir, lb);
	out[lb] = '/';
	memcpy(out + lb + 1, p, lp);
	return out;
}

/* Key paths and keys. */

void
cfg_subpath(char *buf, size_t len, const char *path, const char *key)
{
	snprintf(buf, len, "%s%s%s", path, *path ? "." : "", key);
}

void
cfg_itempath(char *buf, size_t len, const char *path, size_t i)
{
	snprintf(buf, len, "%s[%zu]", path, i);
}

bool
cfg_keys(struct cfg_ctx *x, const cJSON *obj, const char *path,
    const char *const *known)
{
	unsigned char seen[64] = { 0 };
	const cJSON *it;
	bool ok = true;
	size_t k;

	/*
	 * cJSON keeps every member, so a key given twice is still there to
	 * find; a lookup would silently take the first one. Counting per
	 * known key keeps this linear in the members of a huge object.
	 */
	cJSON_ArrayForEach(it, obj) {
		for (k = 0; known[k] != NULL; k++)
			if (strcmp(it->string, known[k]) == 0)
				break;
		if (known[k] == NULL) {
			cfg_err(x, "%s%s%.64s: unknown key", path,
			    *path ? "." : "", it->string);
			ok = false;
		} else if (k < sizeof(seen)) {
			if (seen[k] == 1) {
				cfg_err(x, "%s%s%s: duplicate key", path,
				    *path ? "." : "", known[k]);
				ok = false;
			}
			if (seen[k] < 2)
				seen[k]++;
		}
	}
	return ok;
}

const cJSON *
cfg_object(struct cfg_ctx *x, const cJSON *obj, const char *path,
    const char *key, const char *const *known)
{
	const cJSON *it = jarg_get(obj, key);
	char sub[CFG_PATH_MAX];

	if (it == NULL)
		return NULL;
	cfg_subpath(sub, sizeof(sub), path, key);
	if (!cJSON_IsObject(it)) {
		cfg_err(x, "%s: must be an object", sub);
		return NULL;
	}
	cfg_keys(x, it, sub, known);
	return it;
}

const cJSON *
cfg_array(struct cfg_ctx *x, const cJSON *obj, const char *path,
    const char *key)
{
	const cJSON *it = jarg_get(obj, key);
	char sub[CFG_PATH_MAX];

	if (it == NULL)
		return NULL;
	if (!cJSON_IsArray(it)) {
		cfg_subpath(sub, sizeof(sub), path, key);
		cfg_err(x, "%s: must be an array", sub);
		return NULL;
	}
	return it;
}

/* Typed values: jarg_* says what is wrong, we collect it. */

int
cfg_int64(struct cfg_ctx *x, const cJSON *obj, const char *path,
    const char *key, int64_t min, int64_t max, int64_t *out)
{
	char why[256];
	bool present;

	if (jarg_int_opt(obj, path, key, min, max, out, &present, why,
	    sizeof(why))) {
		cfg_err(x, "%s", why);
		return -1;
	}
	return present;
}

int
cfg_int(struct cfg_ctx *x, const cJSON *obj, const char *path,
    const char *key, int min, int max, int *out)
{
	int64_t v;
	int r = cfg_int64(x, obj, path, key, min, max, &v);

	if (r == 1)
		*out = (int)v;
	return r;
}

int
cfg_num(struct cfg_ctx *x, const cJSON *obj, const char *path,
    const char *key, double min, double max, double *out)
{
	char why[256];
	bool present;

	if (jarg_num_opt(obj, path, key, min, max, out, &present, why,
	    sizeof(why))) {
		cfg_err(x, "%s", why);
		return -1;
	}
	return present;
}

int
cfg_bool(struct cfg_ctx *x, const cJSON *obj, const char *path,
    const char *key, bool *out)
{
	char why[256];
	bool present;

	if (jarg_bool_opt(obj, path, key, out, &present, why, sizeof(why))) {
		cfg_err(x, "%s", why);
		return -1;
	}
	return present;
}

int
cfg_str(struct cfg_ctx *x, const cJSON *obj, const char *path,
    const char *key, size_t maxlen, const char **out)
{
	const char *s;
	char why[256];
	bool present;

	if (jarg_str_opt(obj, path, key, maxlen, &s, &present, why,
	    sizeof(why))) {
		cfg_err(x, "%s", why);
		return -1;
	}
	if (!present)
		return 0;
	/* No key of the config means anything by "": leave it out. */
	if (*s == '\0') {
		cfg_err(x, "%s%s%s: must not be empty", path, *path ? "." : "",
		    key);
		return -1;
	}
	*out = s;
	return 1;
}

int
cfg_str_req(struct cfg_ctx *x, const cJSON *obj, const char *path,
    const char *key, size_t maxlen, const char **out)
{
	int r = cfg_str(x, obj, path, key, maxlen, out);

	if (r == 0) {
		cfg_err(x, "%s%s%s: required string", path, *path ? "." : "",
		    key);
		return -1;
	}
	return r;
}

static bool
cfg_is_digit(char ch)
{
	return ch >= '0' && ch <= '9';
}

int
cfg_hhmm(struct cfg_ctx *x, const cJSON *obj, const char *path,
    const char *key, bool allow_24, int *out)
{
	const cJSON *it = jarg_get(obj, key);
	const char *s;
	int h, m;

	if (it == NULL)
		return 0;
	s = cJSON_IsString(it) ? it->valuestring : "";
	if (strlen(s) == 5 && cfg_is_digit(s[0]) && cfg_is_digit(s[1]) &&
	    s[2] == ':' && cfg_is_digit(s[3]) && cfg_is_digit(s[4])) {
		h = (s[0] - '0') * 10 + (s[1] - '0');
		m = (s[3] - '0') * 10 + (s[4] - '0');
		if ((h < 24 && m < 60) || (allow_24 && h == 24 && m == 0)) {
			*out = h * 60 + m;
			return 1;
		}
	}
	cfg_err(x, "%s%s%s: must be a time \"HH:MM\" from 00:00 to %s", path,
	    *path ? "." : "", key, allow_24 ? "24:00" : "23:59");
	return -1;
}

bool
cfg_id_ok(const char *s)
{
	size_t n = strlen(s);

	if (n == 0 || n > CFG_ID_MAX || s[0] == '.')
		return false;
	for (size_t i = 0; i < n; i++) {
		char ch = s[i];

		if (!(cfg_is_digit(ch) || (ch >= 'a' && ch <= 'z') ||
		    (ch >= 'A' && ch <= 'Z') || ch == '.' || ch == '_' ||
		    ch == '-'))
			return false;
	}
	return true;
}

/* Sorted keys: duplicates and lookups, linear-logarithmic in GPs. */

static int
cfg_ix_cmp(const void *a, const void *b)
{
	const struct cfg_ix *p = a, *q = b;
	int r = strcmp(p->key, q->key);

	if (r != 0)
		return r;
	return (p->i > q->i) - (p->i < q->i);
}

void
cfg_ix_sort(struct cfg_ix *ix, size_t n, size_t *first, size_t n_first)
{
	size_t g = 0;

	if (n > 0)
		qsort(ix, n, sizeof(*ix), cfg_ix_cmp);
	if (first == NULL)
		return;
	for (size_t i = 0; i < n_first; i++)
		first[i] = SIZE_MAX;
	for (size_t k = 1; k < n; k++) {
		if (strcmp(ix[k].key, ix[g].key) != 0)
			g = k;
		else
			first[ix[k].i] = ix[g].i;
	}
}

ssize_t
cfg_ix_find(const struct cfg_ix *ix, size_t n, const char *key)
{
	size_t lo = 0, hi = n;

	/* The lowest match: with duplicates (an invalid config), the first. */
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;

		if (strcmp(ix[mid].key, key) < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	if (lo < n && strcmp(ix[lo].key, key) == 0)
		return (ssize_t)ix[lo].i;
	return -1;
}

/* Files. */

int
cfg_read_private(const char *path, size_t max, char **text, size_t *len,
    char *why, size_t whylen)
{
	struct stat st;
	const char *what;
	size_t n = 0, cap;
	char *buf = NULL, *p;
	ssize_t r;
	int fd;

	/* O_NONBLOCK: a FIFO planted at the path must not hang the start. */
	fd = open(path, O_RDONLY | O_CLOEXEC | O_NOCTTY | O_NONBLOCK);
	if (fd < 0) {
		snprintf(why, whylen, "%s: %s", path, strerror(errno));
		return -1;
	}
	/* fstat the open file: a rename between check and read changes none. */
	if (fstat(fd, &st) != 0) {
		snprintf(why, whylen, "%s: %s", path, strerror(errno));
		goto fail;
	}
	if (!S_ISREG(st.st_mode)) {
		snprintf(why, whylen, "%s: not a regular file", path);
		goto fail;
	}
	if (st.st_mode & 0007) {
		what = (st.st_mode & 0006) == 0006 ? "readable and writable" :
		    (st.st_mode & 0004) ? "readable" :
		    (st.st_mode & 0002) ? "writable" : "executable";
		snprintf(why, whylen, "%s: %s by others (mode %04o); chmod "
		    "0640 it", path, what, (unsigned)(st.st_mode & 07777));
		goto fail;
	}
	/*
	 * Room for the size fstat gave and one byte more, to see a file
	 * that grew past max meanwhile; some files (/proc) say 0.
	 */
	cap = (uintmax_t)st.st_size < max ? (size_t)st.st_size + 1 : max + 1;
	if (cap < 4096)
		cap = max < 4096 ? max + 1 : 4096;
	if ((buf = malloc(cap + 1)) == NULL)
		goto oom;
	for (;;) {
		if (n == cap) {
			if (cap > max)
				break;
			cap = cap > max / 2 ? max + 1 : cap * 2;
			if ((p = realloc(buf, cap + 1)) == NULL)
				goto oom;
			buf = p;
		}
		r = read(fd, buf + n, cap - n);
		if (r < 0 && errno == EINTR)
			continue;
		if (r < 0) {
			snprintf(why, whylen, "%s: %s", path, strerror(errno));
			goto fail;
		}
		if (r == 0)
			break;
		n += (size_t)r;
	}
	if (n > max) {
		snprintf(why, whylen, "%s: larger than %zu bytes", path, max);
		goto fail;
	}
	buf[n] = '\0';
	close(fd);
	*text = buf;
	*len = n;
	return 0;
oom:
	snprintf(why, whylen, "%s: out of memory", path);
fail:
	if (buf != NULL) {
		explicit_bzero(buf, n);	/* it may hold tokens */
		free(buf);
	}
	close(fd);
	return -1;
}

/*
 * Blank out // and block comments, keeping every newline and the length,
 * so that an offset cJSON reports still names the line and column the
 * user sees. cJSON_Minify would do the stripping, but in cJSON 1.7.15 a
 * string ending in an escaped backslash ("a\\") desynchronizes it: later
 * strings lose their spaces and comments stay (cJSON PR #1086). Returns
 * 0, or -1 with *at set to the start of an unterminated block comment.
 */
static int
cfg_uncomment(char *s, size_t len, size_t *at)
{
	bool in_str = false;

	for (size_t i = 0; i < len; i++) {
		if (in_str) {
			if (s[i] == '\\')
				i++;
			else if (s[i] == '"')
				in_str = false;
		} else if (s[i] == '"') {
			in_str = true;
		} else if (s[i] == '/' && i + 1 < len && s[i + 1] == '/') {
			for (; i < len && s[i] != '\n'; i++)
				s[i] = ' ';
		} else if (s[i] == '/' && i + 1 < len && s[i + 1] == '*') {
			*at = i;
			s[i++] = ' ';
			s[i++] = ' ';
			for (; i + 1 < len && !(s[i] == '*' && s[i + 1] == '/');
			    i++)
				if (s[i] != '\n')
					s[i] = ' ';
			if (i + 1 >= len)
				return -1;
			s[i++] = ' ';
			s[i] = ' ';
		}
	}
	return 0;
}

/* 1-based line and byte column of offset at in s. */
static void
cfg_where(const char *s, size_t at, size_t *line, size_t *col)
{
	size_t bol = 0;

	*line = 1;
	for (size_t i = 0; i < at; i++)
		if (s[i] == '\n') {
			(*line)++;
			bol = i + 1;
		}
	*col = at - bol + 1;
}

/* Small sections. */

static void
cfg_planner_parse(struct cfg_ctx *x, const cJSON *root)
{
	static const char *const keys[] = { "fairness_window_days", NULL };
	const cJSON *o = cfg_object(x, root, "", "planner", keys);

	x->c->fairness_window_days = 28;
	cfg_int(x, o, "planner", "fairness_window_days", 1, 365,
	    &x->c->fairness_window_days);
}

/* Do two daily shifts meet, one of them possibly crossing midnight? */
static bool
cfg_shifts_overlap(const struct cfg_shift *a, const struct cfg_shift *b)
{
	int as = a->start_min, bs = b->start_min;
	int ae = a->end_min <= as ? a->end_min + 1440 : a->end_min;
	int be = b->end_min <= bs ? b->end_min + 1440 : b->end_min;

	/* Shifts repeat every day: compare with b a day earlier and later. */
	for (int k = -1440; k <= 1440; k += 1440) {
		int lo = as > bs + k ? as : bs + k;
		int hi = ae < be + k ? ae : be + k;

		if (lo < hi)
			return true;
	}
	return false;
}

static void
cfg_shifts_parse(struct cfg_ctx *x, const cJSON *o)
{
	static const char *const keys[] = { "start", "end", NULL };
	const cJSON *arr = cfg_array(x, o, "oncall", "shifts"), *it;
	struct cfg_shift *sh;
	char p[CFG_PATH_MAX];
	size_t n, i = 0;
	bool ok = true;
	int rs, re;

	if (arr == NULL) {
		if ((sh = cfg_calloc(x, 2, sizeof(*sh))) == NULL)
			return;
		sh[0] = (struct cfg_shift){ 14 * 60, 17 * 60 };
		sh[1] = (struct cfg_shift){ 17 * 60, 20 * 60 };
		x->c->oncall.shifts = sh;
		x->c->oncall.n_shifts = 2;
		return;
	}
	n = (size_t)cJSON_GetArraySize(arr);
	if ((sh = cfg_calloc(x, n, sizeof(*sh))) == NULL)
		return;
	x->c->oncall.shifts = sh;
	x->c->oncall.n_shifts = n;
	cJSON_ArrayForEach(it, arr) {
		cfg_itempath(p, sizeof(p), "oncall.shifts", i);
		if (!cJSON_IsObject(it)) {
			cfg_err(x, "%s: must be an object", p);
			ok = false;
			i++;
			continue;
		}
		cfg_keys(x, it, p, keys);
		rs = cfg_hhmm(x, it, p, "start", false, &sh[i].start_min);
		re = cfg_hhmm(x, it, p, "end", true, &sh[i].end_min);
		if (rs == 0)
			cfg_err(x, "%s.start: required time \"HH:MM\"", p);
		if (re == 0)
			cfg_err(x, "%s.end: required time \"HH:MM\"", p);
		/* 24:00 is the next day's 00:00: "ends the next day". */
		if (re == 1 && sh[i].end_min == 1440)
			sh[i].end_min = 0;
		if (rs == 1 && re == 1 && sh[i].start_min == sh[i].end_min) {
			cfg_err(x, "%s.end: must differ from start", p);
			re = -1;
		}
		ok = ok && rs == 1 && re == 1;
		i++;
	}
	if (!ok)
		return;
	for (i = 1; i < n; i++)
		if (sh[i].start_min <= sh[i - 1].start_min)
			cfg_err(x, "oncall.shifts[%zu].start: shifts must be "
			    "sorted by start, each later than the one before",
			    i);
	for (i = 0; i < n; i++)
		for (size_t j = 0; j < i; j++)
			if (cfg_shifts_overlap(&sh[j], &sh[i]))
				cfg_err(x, "oncall.shifts[%zu]: overlaps "
				    "oncall.shifts[%zu]", i, j);
}

static void
cfg_oncall_parse(struct cfg_ctx *x, const cJSON *root)
{
	static const char *const keys[] = { "shifts", "horizon_days",
	    "weekend_weight", "ack_timeout_s", "urgent_ack_timeout_s", NULL };
	const cJSON *o = cfg_object(x, root, "", "oncall", keys);

	x->c->oncall.horizon_days = 28;
	x->c->oncall.weekend_weight = 1.5;
	x->c->oncall.ack_timeout_s = 300;
	x->c->oncall.urgent_ack_timeout_s = 120;
	cfg_shifts_parse(x, o);
	cfg_int(x, o, "oncall", "horizon_days", 1, 366,
	    &x->c->oncall.horizon_days);
	cfg_num(x, o, "oncall", "weekend_weight", 0.1, 10,
	    &x->c->oncall.weekend_weight);
	cfg_int(x, o, "oncall", "ack_timeout_s", 10, 86400,
	    &x->c->oncall.ack_timeout_s);
	cfg_int(x, o, "oncall", "urgent_ack_timeout_s", 10, 86400,
	    &x->c->oncall.urgent_ack_timeout_s);
}

static void
cfg_feeds_parse(struct cfg_ctx *x, const cJSON *root)
{
	static const char *const keys[] = { "refresh_s", "timeout_s",
	    "max_bytes", "max_instances", NULL };
	const cJSON *o = cfg_object(x, root, "", "feeds", keys);

	x->c->feeds.refresh_s = 300;
	x->c->feeds.timeout_s = 20;
	x->c->feeds.max_bytes = 10485760;
	x->c->feeds.max_instances = 100000;
	cfg_int(x, o, "feeds", "refresh_s", 10, 86400, &x->c->feeds.refresh_s);
	cfg_int(x, o, "feeds", "timeout_s", 1, 600, &x->c->feeds.timeout_s);
	cfg_int64(x, o, "feeds", "max_bytes", 1024, 1073741824,
	    &x->c->feeds.max_bytes);
	cfg_int64(x, o, "feeds", "max_instances", 1, 10000000,
	    &x->c->feeds.max_instances);
}

static void
cfg_booking_parse(struct cfg_ctx *x, const cJSON *root)
{
	static const char *const keys[] = { "hold_s", "retention_days", NULL };
	const cJSON *o = cfg_object(x, root, "", "booking", keys);

	x->c->booking.hold_s = 120;
	x->c->booking.retention_days = 365;
	cfg_int(x, o, "booking", "hold_s", 10, 3600, &x->c->booking.hold_s);
	cfg_int(x, o, "booking", "retention_days", 1, 3650,
	    &x->c->booking.retention_days);
}

/*
 * A nanomsg address: ipc://PATH, made absolute because snpd may run from
 * any directory, or tcp://HOST:PORT. Returns it (borrowed or owned), or
 * NULL after recording a problem.
 */
static const char *
cfg_endpoint(struct cfg_ctx *x, const cJSON *o, const char *key,
    const char *def)
{
	const char *s = def, *p, *colon;
	long port;
	char *end;

	if (cfg_str(x, o, "server", key, CFG_FILE_MAX, &s) < 0)
		return NULL;
	if (strncmp(s, "ipc://", 6) == 0) {
		if (s[6] == '\0') {
			cfg_err(x, "server.%s: ipc:// needs a socket path",
			    key);
			return NULL;
		}
		if ((p = cfg_abspath(x, s + 6)) == NULL)
			return NULL;
		/* nanomsg would fail later, and only at bind. */
		if (strlen(p) > CFG_SUN_MAX) {
			cfg_err(x, "server.%s: socket path longer than %zu "
			    "bytes", key, CFG_SUN_MAX);
			return NULL;
		}
		return p == s + 6 ? s : cfg_concat(x, "ipc://", p);
	}
	if (strncmp(s, "tcp://", 6) == 0) {
		colon = strrchr(s + 6, ':');
		if (colon != NULL && colon > s + 6 && cfg_is_digit(colon[1])) {
			errno = 0;
			port = strtol(colon + 1, &end, 10);
			if (*end == '\0' && errno == 0 && port >= 1 &&
			    port <= 65535)
				return s;
		}
		cfg_err(x, "server.%s: must be tcp://HOST:PORT with a port "
		    "from 1 to 65535", key);
		return NULL;
	}
	cfg_err(x, "server.%s: must be ipc://PATH or tcp://HOST:PORT", key);
	return NULL;
}

static void
cfg_server_parse(struct cfg_ctx *x, const cJSON *root)
{
	static const char *const keys[] = { "rep", "pub", "max_message_bytes",
	    "linger_ms", NULL };
	const cJSON *o = cfg_object(x, root, "", "server", keys);
	const char *rep, *pub;

	x->c->server.max_message_bytes = 1048576;
	x->c->server.linger_ms = 200;
	rep = cfg_endpoint(x, o, "rep", "ipc:///run/snpd/snpd.sock");
	pub = cfg_endpoint(x, o, "pub", "ipc:///run/snpd/events.sock");
	x->c->server.rep = rep;
	x->c->server.pub = pub;
	if (rep != NULL && pub != NULL && strcmp(rep, pub) == 0)
		cfg_err(x, "server.pub: same address as server.rep");
	cfg_int64(x, o, "server", "max_message_bytes", 1024, 67108864,
	    &x->c->server.max_message_bytes);
	cfg_int(x, o, "server", "linger_ms", 0, 10000,
	    &x->c->server.linger_ms);
}

static void
cfg_paths_parse(struct cfg_ctx *x, const cJSON *root)
{
	static const char *const keys[] = { "path", NULL };
	const cJSON *o = cfg_object(x, root, "", "store", keys);
	const char *s;

	x->c->store_path = "/var/lib/snpd/snpd.db";
	x->c->export_dir = "/var/lib/snpd/export";
	if (cfg_str(x, o, "store", "path", CFG_FILE_MAX, &s) == 1)
		x->c->store_path = cfg_abspath(x, s);
	if (cfg_str(x, root, "", "export_dir", CFG_FILE_MAX, &s) == 1)
		x->c->export_dir = cfg_abspath(x, s);
}

static void
cfg_clock_parse(struct cfg_ctx *x, const cJSON *root)
{
	static const char *const keys[] = { "fixed", NULL };
	const cJSON *o = cfg_object(x, root, "", "clock", keys);
	const cJSON *it = jarg_get(o, "fixed");
	struct rfc3339 t;

	if (it == NULL)
		return;
	/* A date has no instant to start from: refuse it, do not guess. */
	if (!cJSON_IsString(it) || rfc3339_parse(it->valuestring, &t) != 0 ||
	    t.is_date) {
		cfg_err(x, "clock.fixed: must be null or an RFC 3339 time with "
		    "an offset (2026-03-29T14:00:00+02:00)");
		return;
	}
	x->c->clock_is_fixed = true;
	x->c->clock_fixed_utc = t.utc;
}

/* The whole text. */

static void
cfg_root_parse(struct cfg_ctx *x, const cJSON *root)
{
	static const char *const keys[] = { "territory", "sectors", "gps",
	    "principals", "planner", "oncall", "feeds", "booking", "server",
	    "store", "export_dir", "clock", NULL };

	cfg_keys(x, root, "", keys);
	cfg_territory_parse(x, root);
	cfg_sectors_parse(x, root);
	cfg_gps_parse(x, root);
	cfg_principals_parse(x, root);
	cfg_planner_parse(x, root);
	cfg_oncall_parse(x, root);
	cfg_feeds_parse(x, root);
	cfg_booking_parse(x, root);
	cfg_server_parse(x, root);
	cfg_paths_parse(x, root);
	cfg_clock_parse(x, root);
}

/* cJSON's tree, parsed from a comment-free copy of text. */
static cJSON *
cfg_json(struct cfg_ctx *x, const char *text, size_t len)
{
	const char *end = NULL;
	size_t at = 0, line, col;
	cJSON *root = NULL;
	char *s;

	/* Editors on some systems start a UTF-8 file with a BOM. */
	if (len >= 3 && memcmp(text, "\xef\xbb\xbf", 3) == 0) {
		text += 3;
		len -= 3;
	}
	if (memchr(text, '\0', len) != NULL) {
		cfg_err(x, "%s: holds a NUL byte: not a JSON text", x->name);
		return NULL;
	}
	if ((s = malloc(len + 1)) == NULL) {
		cfg_oom(x);
		return NULL;
	}
	memcpy(s, text, len);
	s[len] = '\0';
	if (cfg_uncomment(s, len, &at) != 0) {
		cfg_where(s, at, &line, &col);
		cfg_err(x, "%s: line %zu, column %zu: unterminated /* comment",
		    x->name, line, col);
		goto out;
	}
	/*
	 * The length counts the NUL: cJSON 1.7.15 then requires it right
	 * after the value, so trailing garbage fails the parse.
	 */
	root = cJSON_ParseWithLengthOpts(s, len + 1, &end, true);
	if (root == NULL) {
		at = end != NULL && end >= s && end <= s + len ?
		    (size_t)(end - s) : len;
		cfg_where(s, at, &line, &col);
		cfg_err(x, "%s: not valid JSON (line %zu, column %zu)",
		    x->name, line, col);
	}
out:
	explicit_bzero(s, len);		/* it may hold tokens */
	free(s);
	return root;
}

static struct cfg *
cfg_parse_named(const char *text, size_t len, const char *base_dir,
    const char *file, char **errors)
{
	struct cfg_ctx x;
	char *cwd = NULL;
	cJSON *root;

	memset(&x, 0, sizeof(x));
	x.name = file != NULL ? file : "snpd.json";
	x.c = calloc(1, sizeof(*x.c));
	x.mem = calloc(1, sizeof(*x.mem));
	if (x.c == NULL || x.mem == NULL) {
		free(x.c);
		free(x.mem);
		x.c = NULL;
		x.mem = NULL;
		cfg_oom(&x);
		goto out;
	}
	x.c->mem = x.mem;
	if (base_dir == NULL) {
		if ((cwd = getcwd(NULL, 0)) == NULL) {
			cfg_err(&x, "%s: current directory: %s", x.name,
			    strerror(errno));
			goto out;
		}
		base_dir = cwd;
	}
	x.base_dir = base_dir;
	if (file != NULL)
		x.c->path = cfg_strdup(&x, file);
	if (len > CFG_TEXT_MAX) {
		cfg_err(&x, "%s: larger than %u bytes", x.name, CFG_TEXT_MAX);
		goto out;
	}
	if ((root = cfg_json(&x, text, len)) == NULL)
		goto out;
	x.mem->root = root;
	if (!cJSON_IsObject(root)) {
		cfg_err(&x, "%s: must be a JSON object", x.name);
		goto out;
	}
	cfg_root_parse(&x, root);
out:
	free(cwd);
	if (x.n_errors == 0 && !x.is_oom) {
		free(x.errs);
		if (errors != NULL)
			*errors = NULL;
		return x.c;
	}
	if (x.n_errors > CFG_MAX_ERRORS) {
		int more = x.n_errors - CFG_MAX_ERRORS;

		x.n_errors = 0;		/* let this last line through */
		cfg_err(&x, "%s: %d more problems not shown", x.name, more);
	}
	cfg_free(x.c);
	if (x.errs == NULL)
		x.errs = strdup("snpd.json: out of memory\n");
	if (errors != NULL)
		*errors = x.errs;
	else
		free(x.errs);
	return NULL;
}

struct cfg *
cfg_parse(const char *text, size_t len, const char *base_dir, char **errors)
{
	return cfg_parse_named(text, len, base_dir, NULL, errors);
}

/* path made absolute against the current directory, not resolved. */
static char *
cfg_abs_file(const char *path)
{
	char *cwd, *out;

	if (path[0] == '/')
		return strdup(path);
	if ((cwd = getcwd(NULL, 0)) == NULL)
		return NULL;
	if (asprintf(&out, "%s%s%s", cwd, strcmp(cwd, "/") ? "/" : "",
	    path) < 0)
		out = NULL;
	free(cwd);
	return out;
}

struct cfg *
cfg_load(const char *path, char **errors)
{
	char why[CFG_FILE_MAX + 128], *abs, *dir = NULL, *text = NULL;
	struct cfg *c = NULL;
	size_t len = 0;
	char *slash;

	if (errors != NULL)
		*errors = NULL;
	if ((abs = cfg_abs_file(path)) == NULL) {
		snprintf(why, sizeof(why), "%s: %s", path, strerror(errno));
		goto fail;
	}
	if (cfg_read_private(abs, CFG_TEXT_MAX, &text, &len, why,
	    sizeof(why)) != 0)
		goto fail;
	if ((dir = strdup(abs)) == NULL) {
		snprintf(why, sizeof(why), "%s: out of memory", abs);
		goto fail;
	}
	/* The directory as named, symlinks kept: where the admin put it. */
	slash = strrchr(dir, '/');
	slash[slash == dir ? 1 : 0] = '\0';
	c = cfg_parse_named(text, len, dir, abs, errors);
	goto out;
fail:
	if (errors != NULL && asprintf(errors, "%s\n", why) < 0)
		*errors = NULL;
out:
	if (text != NULL) {
		explicit_bzero(text, len);	/* it may hold tokens */
		free(text);
	}
	free(dir);
	free(abs);
	return c;
}

void
cfg_free(struct cfg *c)
{
	struct cfg_mem *m;

	if (c == NULL)
		return;
	/*
	 * Tokens live in the tree or in our own buffers: wipe them, so that
	 * the freed heap of a reloaded config holds none.
	 */
	for (size_t i = 0; c->principals != NULL && i < c->n_principals; i++) {
		struct cfg_principal *p = &c->principals[i];

		if (p->token != NULL)
			explicit_bzero((char *)(uintptr_t)p->token,
			    p->token_len);
	}
	if ((m = c->mem) != NULL) {
		for (size_t i = 0; i < m->n_owned; i++)
			free(m->owned[i]);
		free(m->owned);
		cJSON_Delete(m->root);
		free(m);
	}
	free(c);
}

ssize_t
cfg_sector_find(const struct cfg *c, const char *id)
{
	const struct cfg_mem *m;

	if (c == NULL || id == NULL || (m = c->mem) == NULL)
		return -1;
	return cfg_ix_find(m->sector_ix, m->n_sector_ix, id);
}

ssize_t
cfg_gp_find(const struct cfg *c, const char *id)
{
	const struct cfg_mem *m;

	if (c == NULL || id == NULL || (m = c->mem) == NULL)
		return -1;
	return cfg_ix_find(m->gp_ix, m->n_gp_ix, id);
}

const char *
cfg_role_name(enum cfg_role role)
{
	if ((unsigned)role >= CFG_ROLE_COUNT)
		return NULL;
	return cfg_role_names[role];
}
