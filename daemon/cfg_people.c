/* The config's people: the GPs and the principals who may call snpd. */
#include "daemon/cfg.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cjson/cJSON.h>

#include "daemon/cfg_int.h"
#include "proto/jarg.h"

#define CFG_TOKEN_FILE_MAX	65536	/* a token file: one line is read */
#define CFG_SCHEME_MAX		16	/* bytes of a scheme put in errors */
#define CFG_STR_(x)		#x
#define CFG_STR(x)		CFG_STR_(x)	/* 32, not CFG_TOKEN_MIN */

/* RPPS numbers end in a Luhn check digit, which catches most typos. */
static bool
cfg_rpps_ok(const char *s)
{
	int sum = 0, d;

	if (strlen(s) != 11)
		return false;
	for (int i = 0; i < 11; i++) {
		if (s[10 - i] < '0' || s[10 - i] > '9')
			return false;
		d = s[10 - i] - '0';
		if (i % 2 == 1 && (d *= 2) > 9)
			d -= 9;
		sum += d;
	}
	return sum % 10 == 0;
}

/* Does s start with prefix, ASCII case aside? URL schemes ignore case. */
static bool
cfg_prefix(const char *s, const char *prefix)
{
	for (; *prefix != '\0'; s++, prefix++) {
		char a = *s >= 'A' && *s <= 'Z' ? (char)(*s - 'A' + 'a') : *s;

		if (a != *prefix)
			return false;
	}
	return true;
}

/* The length of s's "scheme" before "://", or 0 if s has none. */
static size_t
cfg_scheme_len(const char *s)
{
	size_t n = 0;

	if (!((s[0] >= 'a' && s[0] <= 'z') || (s[0] >= 'A' && s[0] <= 'Z')))
		return 0;
	while ((s[n] >= 'a' && s[n] <= 'z') || (s[n] >= 'A' && s[n] <= 'Z') ||
	    (s[n] >= '0' && s[n] <= '9') || s[n] == '+' || s[n] == '-' ||
	    s[n] == '.')
		n++;
	return strncmp(s + n, "://", 3) == 0 ? n : 0;
}

/*
 * A GP's feed. The URL may carry a private calendar secret: errors name
 * the scheme at most, never the rest.
 */
static void
cfg_feed_parse(struct cfg_ctx *x, const cJSON *obj, const char *path,
    struct cfg_gp *g)
{
	static const struct {
		const char	*prefix;
		const char	*as;	/* what it is read as */
	} urls[] = {
		{ "http://", "http://" },
		{ "https://", "https://" },
		{ "webcal://", "http://" },
		{ "webcals://", "https://" },
	};
	const char *f, *rest;
	size_t n;

	if (cfg_str(x, obj, path, "feed", CFG_FILE_MAX, &f) != 1)
		return;
	g->feed = f;
	for (size_t i = 0; i < sizeof(urls) / sizeof(urls[0]); i++) {
		if (!cfg_prefix(f, urls[i].prefix))
			continue;
		rest = f + strlen(urls[i].prefix);
		if (*rest == '\0' || *rest == '/') {
			cfg_err(x, "%s.feed: URL without a host", path);
			return;
		}
		if (strlen(urls[i].prefix) == strlen(urls[i].as))
			g->feed_url = f;
		else
			g->feed_url = cfg_concat(x, urls[i].as, rest);
		return;
	}
	if (cfg_prefix(f, "file://")) {
		if (f[7] != '/') {
			cfg_err(x, "%s.feed: a file:// URL needs an absolute "
			    "path (file:///srv/snpd/feeds/x.ics)", path);
			return;
		}
		g->feed_path = f + 7;
		return;
	}
	if ((n = cfg_scheme_len(f)) > 0) {
		cfg_err(x, "%s.feed: unsupported scheme \"%.*s\" (http, https, "
		    "webcal, webcals, file, or a path)", path,
		    (int)(n < CFG_SCHEME_MAX ? n : CFG_SCHEME_MAX), f);
		return;
	}
	g->feed_path = cfg_abspath(x, f);
}

static void
cfg_gp_parse(struct cfg_ctx *x, const cJSON *obj, const char *path,
    struct cfg_gp *g)
{
	const struct cfg_mem *m = x->mem;
	const char *sector;
	const cJSON *w;
	ssize_t f;
	int rd, rw;

	cfg_str_req(x, obj, path, "name", CFG_NAME_MAX, &g->name);
	if (cfg_str(x, obj, path, "rpps", CFG_FILE_MAX, &g->rpps) == 1 &&
	    !cfg_rpps_ok(g->rpps))
		cfg_err(x, "%s.rpps: not an RPPS number (11 digits with a Luhn "
		    "check digit)", path);
	if (cfg_str_req(x, obj, path, "sector", CFG_FILE_MAX, &sector) == 1 &&
	    !x->no_sectors) {
		f = cfg_ix_find(m->sector_ix, m->n_sector_ix, sector);
		if (f < 0)
			cfg_err(x, "%s.sector: unknown sector \"%.64s\"", path,
			    sector);
		else
			g->sector = (size_t)f;
	}
	cfg_bool(x, obj, path, "teleconsult", &g->teleconsult);
	cfg_feed_parse(x, obj, path, g);
	if (cfg_int(x, obj, path, "slot_minutes", 0, 240,
	    &g->slot_minutes) == 1 && g->slot_minutes > 0 &&
	    g->slot_minutes < 5)
		cfg_err(x, "%s.slot_minutes: must be 0 (the territory's) or an "
		    "integer from 5 to 240", path);
	rd = cfg_int(x, obj, path, "max_slots_per_day", 0, 1000,
	    &g->max_slots_per_day);
	rw = cfg_int(x, obj, path, "max_slots_per_week", 0, 10000,
	    &g->max_slots_per_week);
	if (rd == 1 && rw == 1 && g->max_slots_per_week < g->max_slots_per_day)
		cfg_err(x, "%s.max_slots_per_week: must be at least "
		    "max_slots_per_day (%d)", path, g->max_slots_per_day);
	/* jarg_num_opt() has inclusive bounds; a weight of 0 means nothing. */
	if ((w = jarg_get(obj, "weight")) == NULL)
		return;
	if (cJSON_IsNumber(w) && w->valuedouble > 0 && w->valuedouble <= 100)
		g->weight = w->valuedouble;
	else
		cfg_err(x, "%s.weight: must be a number above 0 and at most "
		    "100", path);
}

void
cfg_gps_parse(struct cfg_ctx *x, const cJSON *root)
{
	static const char *const keys[] = { "id", "name", "rpps", "sector",
	    "teleconsult", "feed", "slot_minutes", "max_slots_per_day",
	    "max_slots_per_week", "weight", NULL };
	const cJSON *arr = cfg_array(x, root, "", "gps"), *it;
	struct cfg_mem *m = x->mem;
	struct cfg_gp *gps;
	char p[CFG_PATH_MAX];
	size_t n, i = 0, *first;

	/* No "gps" at all: a territory still setting up. */
	if (arr == NULL) {
		x->no_gps = jarg_get(root, "gps") != NULL;
		return;
	}
	n = (size_t)cJSON_GetArraySize(arr);
	gps = cfg_calloc(x, n, sizeof(*gps));
	m->gp_ix = cfg_calloc(x, n, sizeof(*m->gp_ix));
	if (gps == NULL || m->gp_ix == NULL)
		return;
	x->c->gps = gps;
	x->c->n_gps = n;
	cJSON_ArrayForEach(it, arr) {
		struct cfg_gp *g = &gps[i];

		g->max_slots_per_day = -1;
		g->max_slots_per_week = -1;
		g->weight = 1.0;
		cfg_itempath(p, sizeof(p), "gps", i);
		if (!cJSON_IsObject(it)) {
			cfg_err(x, "%s: must be an object", p);
			i++;
			continue;
		}
		cfg_keys(x, it, p, keys);
		if (cfg_str_req(x, it, p, "id", CFG_FILE_MAX, &g->id) == 1) {
			if (cfg_id_ok(g->id)) {
				m->gp_ix[m->n_gp_ix++] = (struct cfg_ix){
				    g->id, i };
			} else {
				cfg_err(x, "%s.id: %s", p, CFG_ID_RULE);
				g->id = NULL;
			}
		}
		cfg_gp_parse(x, it, p, g);
		i++;
	}
	if ((first = calloc(n + 1, sizeof(*first))) == NULL) {
		cfg_oom(x);
		return;
	}
	cfg_ix_sort(m->gp_ix, m->n_gp_ix, first, n);
	for (i = 0; i < n; i++)
		if (first[i] != SIZE_MAX)
			cfg_err(x, "gps[%zu].id: duplicate id \"%s\" (see "
			    "gps[%zu])", i, gps[i].id, first[i]);
	free(first);
}

/* What is wrong with a token, or NULL. Never quote the token itself. */
static const char *
cfg_token_problem(const char *tok, size_t len)
{
	if (len < CFG_TOKEN_MIN || len > CFG_TOKEN_MAX)
		return "must be " CFG_STR(CFG_TOKEN_MIN) " to "
		    CFG_STR(CFG_TOKEN_MAX) " bytes";
	for (size_t i = 0; i < len; i++) {
		unsigned char ch = (unsigned char)tok[i];

		if (ch <= ' ' || ch >= 0x7f)
			return "must be printable ASCII without spaces";
	}
	return NULL;
}

/* The first line of a private file, trimmed, as p's token. */
static void
cfg_token_file(struct cfg_ctx *x, const char *path, const char *file,
    struct cfg_principal *p)
{
	char why[CFG_FILE_MAX + 128], *text, *tok;
	const char *abs = cfg_abspath(x, file), *what;
	size_t len, a = 0, b;

	if (abs == NULL)
		return;
	if (cfg_read_private(abs, CFG_TOKEN_FILE_MAX, &text, &len, why,
	    sizeof(why)) != 0) {
		cfg_err(x, "%s.token_file: %s", path, why);
		return;
	}
	for (b = 0; b < len && text[b] != '\n'; b++)
		;
	while (a < b && (text[a] == ' ' || text[a] == '\t' || text[a] == '\r'))
		a++;
	while (b > a && (text[b - 1] == ' ' || text[b - 1] == '\t' ||
	    text[b - 1] == '\r'))
		b--;
	if ((what = cfg_token_problem(text + a, b - a)) != NULL) {
		cfg_err(x, "%s.token_file: the token in %s %s", path, abs,
		    what);
	} else if ((tok = cfg_calloc(x, b - a + 1, 1)) != NULL) {
		memcpy(tok, text + a, b - a);
		p->token = tok;
		p->token_len = b - a;
	}
	explicit_bzero(text, len);
	free(text);
}

static int
cfg_role_find(const char *s)
{
	for (int r = 0; r < CFG_ROLE_COUNT; r++)
		if (strcmp(s, cfg_role_name((enum cfg_role)r)) == 0)
			return r;
	return -1;
}

/* One principal; returns whether its token came from token_file. */
static bool
cfg_principal_parse(struct cfg_ctx *x, const cJSON *obj, const char *path,
    struct cfg_principal *p)
{
	const struct cfg_mem *m = x->mem;
	const cJSON *tok = jarg_get(obj, "token");
	const char *role, *file = NULL, *gp, *what;
	int r = -1, rf, rg;
	ssize_t f;

	cfg_str_req(x, obj, path, "name", CFG_ID_MAX, &p->name);
	if (cfg_str_req(x, obj, path, "role", CFG_FILE_MAX, &role) == 1 &&
	    (r = cfg_role_find(role)) < 0)
		cfg_err(x, "%s.role: unknown role \"%.32s\"", path, role);
	if (r >= 0)
		p->role = (enum cfg_role)r;

	rf = cfg_str(x, obj, path, "token_file", CFG_FILE_MAX, &file);
	if (tok != NULL && rf != 0) {
		cfg_err(x, "%s: give token or token_file, not both", path);
	} else if (tok != NULL) {
		if (!cJSON_IsString(tok))
			cfg_err(x, "%s.token: must be a string", path);
		else if ((what = cfg_token_problem(tok->valuestring,
		    strlen(tok->valuestring))) != NULL)
			cfg_err(x, "%s.token: %s", path, what);
		else {
			p->token = tok->valuestring;
			p->token_len = strlen(p->token);
		}
	} else if (rf == 1) {
		cfg_token_file(x, path, file, p);
	} else if (rf == 0) {
		cfg_err(x, "%s.token: required string (or token_file)", path);
	}

	/* A gp principal acts for one GP; no other role may claim one. */
	rg = cfg_str(x, obj, path, "gp", CFG_FILE_MAX, &gp);
	if (r == CFG_ROLE_GP && rg == 0)
		cfg_err(x, "%s.gp: required for role gp", path);
	else if (r >= 0 && r != CFG_ROLE_GP && rg != 0)
		cfg_err(x, "%s.gp: only for role gp", path);
	else if (r == CFG_ROLE_GP && rg == 1 && !x->no_gps) {
		if ((f = cfg_ix_find(m->gp_ix, m->n_gp_ix, gp)) < 0)
			cfg_err(x, "%s.gp: unknown GP \"%.64s\"", path, gp);
		else
			p->gp = (size_t)f;
	}
	return tok == NULL && rf == 1;
}

void
cfg_principals_parse(struct cfg_ctx *x, const cJSON *root)
{
	static const char *const keys[] = { "name", "role", "token",
	    "token_file", "gp", NULL };
	const cJSON *arr = cfg_array(x, root, "", "principals"), *it;
	struct cfg_ix *names = NULL, *toks = NULL;
	size_t n, i = 0, nn = 0, nt = 0, *first = NULL;
	struct cfg_principal *ps;
	bool *from_file = NULL;
	char p[CFG_PATH_MAX];

	if (arr == NULL) {
		if (jarg_get(root, "principals") == NULL)
			cfg_err(x, "principals: required array");
		return;
	}
	if ((n = (size_t)cJSON_GetArraySize(arr)) == 0) {
		cfg_err(x, "principals: must hold at least one principal");
		return;
	}
	if ((ps = cfg_calloc(x, n, sizeof(*ps))) == NULL)
		return;
	x->c->principals = ps;
	x->c->n_principals = n;
	names = calloc(n, sizeof(*names));
	toks = calloc(n, sizeof(*toks));
	first = calloc(n, sizeof(*first));
	from_file = calloc(n, sizeof(*from_file));
	if (names == NULL || toks == NULL || first == NULL ||
	    from_file == NULL) {
		cfg_oom(x);
		goto out;
	}
	cJSON_ArrayForEach(it, arr) {
		cfg_itempath(p, sizeof(p), "principals", i);
		if (!cJSON_IsObject(it)) {
			cfg_err(x, "%s: must be an object", p);
			i++;
			continue;
		}
		cfg_keys(x, it, p, keys);
		from_file[i] = cfg_principal_parse(x, it, p, &ps[i]);
		if (ps[i].name != NULL)
			names[nn++] = (struct cfg_ix){ ps[i].name, i };
		if (ps[i].token != NULL)
			toks[nt++] = (struct cfg_ix){ ps[i].token, i };
		i++;
	}
	/* The audit table names principals: one name, one holder. */
	cfg_ix_sort(names, nn, first, n);
	for (i = 0; i < n; i++)
		if (first[i] != SIZE_MAX)
			cfg_err(x, "principals[%zu].name: duplicate name "
			    "\"%s\" (see principals[%zu])", i, ps[i].name,
			    first[i]);
	/* A shared token would make two principals one. */
	cfg_ix_sort(toks, nt, first, n);
	for (i = 0; i < n; i++)
		if (first[i] != SIZE_MAX)
			cfg_err(x, "principals[%zu].%s: same token as "
			    "principals[%zu]", i,
			    from_file[i] ? "token_file" : "token", first[i]);
out:
	free(from_file);
	free(first);
	free(toks);
	free(names);
}
