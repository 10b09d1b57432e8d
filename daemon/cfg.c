/* The config file of CONFIG.md: reading, parsing, freeing, lookups. */
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

static const char *const cfg_role_names[CFG_ROLE_COUNT] = {
	[CFG_ROLE_ADMIN] = "admin",
	[CFG_ROLE_COORDINATOR] = "coordinator",
	[CFG_ROLE_SECRETARIAT] = "secretariat",
	[CFG_ROLE_NURSE] = "nurse",
	[CFG_ROLE_GP] = "gp",
};

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

/* The whole text. */

static void
cfg_root_parse(struct cfg_ctx *x, const cJSON *root)
{
	static const char *const keys[] = { "territory", "sectors", "gps",
	    "principals", "planner", "oncall", "notify", "feeds", "booking",
	    "server", "store", "export_dir", "clock", NULL };

	cfg_keys(x, root, "", keys);
	cfg_territory_parse(x, root);
	cfg_sectors_parse(x, root);
	cfg_gps_parse(x, root);
	cfg_principals_parse(x, root);
	cfg_sections_parse(x, root);
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

void
cfg_win_opts(const struct cfg *c, struct win_opts *out)
{
	_Static_assert(sizeof(struct win_date) == sizeof(struct cfg_date),
	    "cfg_date and win_date must agree");
	memset(out, 0, sizeof(*out));
	out->tz = c->territory.tz;
	out->start_min = c->territory.win_start_min;
	out->end_min = c->territory.win_end_min;
	out->holidays = (const struct win_date *)c->territory.holidays;
	out->n_holidays = c->territory.n_holidays;
	for (int i = 0; i < CFG_DAY_COUNT; i++)
		out->days[i] = c->territory.win_days[i];
}
