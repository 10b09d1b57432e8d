/* The config loader's helpers: problem lines, owned memory, typed keys. */
#include "daemon/cfg_int.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cjson/cJSON.h>

#include "proto/jarg.h"
#include "proto/rfc3339.h"

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

bool
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
