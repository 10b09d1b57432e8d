/* The config's territory and sectors: window, holidays, markers, targets. */
#include "daemon/cfg.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cjson/cJSON.h>

#include "daemon/cfg_int.h"
#include "proto/jarg.h"
#include "proto/rfc3339.h"

#define CFG_MARKER_MAX	64	/* bytes of one marker */

/* Day keys, indexed by enum cfg_day. */
static const char *const cfg_day_keys[CFG_DAY_COUNT] = {
	"sun", "mon", "tue", "wed", "thu", "fri", "sat", "hol"
};

static const char *const cfg_hour_keys[24] = {
	"00", "01", "02", "03", "04", "05", "06", "07", "08", "09", "10", "11",
	"12", "13", "14", "15", "16", "17", "18", "19", "20", "21", "22", "23"
};

static int
cfg_day_find(const char *s)
{
	for (int d = 0; d < CFG_DAY_COUNT; d++)
		if (strcmp(s, cfg_day_keys[d]) == 0)
			return d;
	return -1;
}

static void
cfg_window_parse(struct cfg_ctx *x, const cJSON *t)
{
	static const char *const keys[] = { "start", "end", "days", NULL };
	static const char *const path = "territory.snp_window";
	struct cfg_territory *tt = &x->c->territory;
	bool days[CFG_DAY_COUNT] = { false };
	const cJSON *w, *arr, *it;
	char p[CFG_PATH_MAX];
	size_t i = 0;
	int rs, re, d;

	tt->win_start_min = 14 * 60;
	tt->win_end_min = 20 * 60;
	for (d = CFG_SUN; d <= CFG_SAT; d++)
		tt->win_days[d] = true;
	tt->win_days[CFG_HOL] = false;
	if ((w = cfg_object(x, t, "territory", "snp_window", keys)) == NULL)
		return;
	rs = cfg_hhmm(x, w, path, "start", false, &tt->win_start_min);
	re = cfg_hhmm(x, w, path, "end", true, &tt->win_end_min);
	if (rs >= 0 && re >= 0 && tt->win_start_min >= tt->win_end_min)
		cfg_err(x, "%s.end: must be later than start", path);
	if ((arr = cfg_array(x, w, path, "days")) == NULL)
		return;
	cJSON_ArrayForEach(it, arr) {
		cfg_itempath(p, sizeof(p), "territory.snp_window.days", i++);
		if (!cJSON_IsString(it))
			cfg_err(x, "%s: must be a day name (mon, tue, wed, "
			    "thu, fri, sat, sun or hol)", p);
		else if ((d = cfg_day_find(it->valuestring)) < 0)
			cfg_err(x, "%s: unknown day \"%.64s\" (mon, tue, wed, "
			    "thu, fri, sat, sun or hol)", p, it->valuestring);
		else if (days[d])
			cfg_err(x, "%s: duplicate day \"%s\"", p,
			    cfg_day_keys[d]);
		else
			days[d] = true;
	}
	/* An empty list is allowed: SNP planning switched off. */
	memcpy(tt->win_days, days, sizeof(days));
}

static bool
cfg_date_ok(const char *s, struct cfg_date *out)
{
	struct rfc3339 t;

	/* Exactly "YYYY-MM-DD": then text order is date order. */
	if (strlen(s) != 10 || rfc3339_parse(s, &t) != 0 || !t.is_date)
		return false;
	out->year = t.year;
	out->month = t.month;
	out->day = t.day;
	return true;
}

static void
cfg_holidays_parse(struct cfg_ctx *x, const cJSON *t)
{
	struct cfg_territory *tt = &x->c->territory;
	const cJSON *arr = cfg_array(x, t, "territory", "holidays"), *it;
	const char **val = NULL;
	struct cfg_ix *ix = NULL;
	struct cfg_date dt;
	size_t n, m = 0, i = 0, *first = NULL;
	char p[CFG_PATH_MAX];

	if (arr == NULL || (n = (size_t)cJSON_GetArraySize(arr)) == 0)
		return;
	ix = calloc(n, sizeof(*ix));
	val = calloc(n, sizeof(*val));
	first = calloc(n, sizeof(*first));
	tt->holidays = cfg_calloc(x, n, sizeof(*tt->holidays));
	if (ix == NULL || val == NULL || first == NULL) {
		cfg_oom(x);
		goto out;
	}
	cJSON_ArrayForEach(it, arr) {
		if (cJSON_IsString(it) && cfg_date_ok(it->valuestring, &dt)) {
			val[i] = it->valuestring;
			ix[m++] = (struct cfg_ix){ it->valuestring, i };
		} else {
			cfg_itempath(p, sizeof(p), "territory.holidays", i);
			cfg_err(x, "%s: must be a date \"YYYY-MM-DD\"", p);
		}
		i++;
	}
	cfg_ix_sort(ix, m, first, n);
	for (i = 0; i < n; i++)
		if (first[i] != SIZE_MAX)
			cfg_err(x, "territory.holidays[%zu]: duplicate date "
			    "\"%s\" (see territory.holidays[%zu])", i, val[i],
			    first[i]);
	if (tt->holidays == NULL)
		goto out;
	for (size_t k = 0; k < m; k++)
		if (first[ix[k].i] == SIZE_MAX &&
		    cfg_date_ok(ix[k].key, &tt->holidays[tt->n_holidays]))
			tt->n_holidays++;
out:
	free(first);
	free(val);
	free(ix);
}

/* A list of marker strings, or def when the key is absent. */
static void
cfg_markers_list(struct cfg_ctx *x, const cJSON *m, const char *key,
    const char *const *def, struct cfg_strv *out)
{
	const cJSON *arr = cfg_array(x, m, "territory.markers", key), *it;
	char p[CFG_PATH_MAX], sub[CFG_PATH_MAX];
	size_t n = 0, i = 0;

	if (arr == NULL) {
		while (def[n] != NULL)
			n++;
		if ((out->v = cfg_calloc(x, n, sizeof(*out->v))) == NULL)
			return;
		for (i = 0; i < n; i++)
			out->v[i] = def[i];
		out->n = n;
		return;
	}
	n = (size_t)cJSON_GetArraySize(arr);
	if ((out->v = cfg_calloc(x, n, sizeof(*out->v))) == NULL)
		return;
	cfg_subpath(sub, sizeof(sub), "territory.markers", key);
	cJSON_ArrayForEach(it, arr) {
		if (cJSON_IsString(it) && it->valuestring[0] != '\0' &&
		    strlen(it->valuestring) <= CFG_MARKER_MAX) {
			out->v[out->n++] = it->valuestring;
		} else {
			cfg_itempath(p, sizeof(p), sub, i);
			cfg_err(x, "%s: must be a non-empty string of at most "
			    "%d bytes", p, CFG_MARKER_MAX);
		}
		i++;
	}
}

static void
cfg_markers_parse(struct cfg_ctx *x, const cJSON *t)
{
	static const char *const keys[] = { "snp", "oncall", "absent", NULL };
	static const char *const snp[] = { "SNP", NULL };
	static const char *const oncall[] = { "ASTREINTE", "ONCALL", NULL };
	static const char *const absent[] = { "ABSENCE", "CONGES", "CONGÉS",
	    "VACANCES", NULL };
	struct cfg_territory *tt = &x->c->territory;
	const cJSON *m = cfg_object(x, t, "territory", "markers", keys);

	cfg_markers_list(x, m, "snp", snp, &tt->markers_snp);
	cfg_markers_list(x, m, "oncall", oncall, &tt->markers_oncall);
	cfg_markers_list(x, m, "absent", absent, &tt->markers_absent);
}

void
cfg_territory_parse(struct cfg_ctx *x, const cJSON *root)
{
	static const char *const keys[] = { "name", "timezone",
	    "horizon_days", "snp_window", "holidays", "slot_minutes",
	    "markers", NULL };
	struct cfg_territory *tt = &x->c->territory;
	const cJSON *t = cfg_object(x, root, "", "territory", keys);

	if (t == NULL && jarg_get(root, "territory") == NULL)
		cfg_err(x, "territory: required object");
	tt->timezone = "Europe/Paris";
	tt->horizon_days = 28;
	tt->slot_minutes = 15;
	if (t != NULL)
		cfg_str_req(x, t, "territory", "name", CFG_NAME_MAX, &tt->name);
	if (cfg_str(x, t, "territory", "timezone", CFG_ID_MAX,
	    &tt->timezone) >= 0 && (tt->tz = tz_get(tt->timezone)) == NULL)
		cfg_err(x, "territory.timezone: unknown time zone \"%s\"",
		    tt->timezone);
	cfg_int(x, t, "territory", "horizon_days", 1, 366, &tt->horizon_days);
	cfg_window_parse(x, t);
	cfg_holidays_parse(x, t);
	cfg_int(x, t, "territory", "slot_minutes", 5, 240, &tt->slot_minutes);
	cfg_markers_parse(x, t);
}

/* Sectors. */

static bool
cfg_insee_ok(const char *s)
{
	size_t i = 0;

	if (strlen(s) != 5)
		return false;
	/* Corsica: 2A and 2B replaced the département 20 in 1976. */
	if (s[0] == '2' && (s[1] == 'A' || s[1] == 'B'))
		i = 2;
	for (; i < 5; i++)
		if (s[i] < '0' || s[i] > '9')
			return false;
	return true;
}

static void
cfg_neighbours_parse(struct cfg_ctx *x, const cJSON *obj, const char *path,
    size_t self, struct cfg_sector *s)
{
	const cJSON *arr = cfg_array(x, obj, path, "neighbours"), *it;
	const struct cfg_mem *m = x->mem;
	char p[CFG_PATH_MAX], sub[CFG_PATH_MAX];
	size_t i = 0, k;
	ssize_t f;

	if (arr == NULL)
		return;
	cfg_subpath(sub, sizeof(sub), path, "neighbours");
	s->neighbours = cfg_calloc(x, (size_t)cJSON_GetArraySize(arr),
	    sizeof(*s->neighbours));
	if (s->neighbours == NULL)
		return;
	cJSON_ArrayForEach(it, arr) {
		cfg_itempath(p, sizeof(p), sub, i++);
		if (!cJSON_IsString(it)) {
			cfg_err(x, "%s: must be a sector id", p);
			continue;
		}
		f = cfg_ix_find(m->sector_ix, m->n_sector_ix, it->valuestring);
		if (f < 0) {
			cfg_err(x, "%s: unknown sector \"%.64s\"", p,
			    it->valuestring);
			continue;
		}
		if ((size_t)f == self) {
			cfg_err(x, "%s: a sector is not its own neighbour", p);
			continue;
		}
		/* Lists are short: a sector has a handful of neighbours. */
		for (k = 0; k < s->n_neighbours; k++)
			if (s->neighbours[k] == (size_t)f)
				break;
		if (k < s->n_neighbours)
			cfg_err(x, "%s: duplicate neighbour \"%s\"", p,
			    it->valuestring);
		else
			s->neighbours[s->n_neighbours++] = (size_t)f;
	}
}

/* Where a commune was listed, to name both places of a duplicate. */
struct cfg_commune_at {
	const char	*code;
	size_t		 sector;
	size_t		 j;		/* index in that sector's "communes" */
};

/* Every valid commune of the config, in file order. */
struct cfg_communes {
	struct cfg_ix		*ix;	/* .i indexes at */
	struct cfg_commune_at	*at;
	size_t			 n;
};

static void
cfg_communes_parse(struct cfg_ctx *x, const cJSON *obj, const char *path,
    size_t self, struct cfg_sector *s, struct cfg_communes *all)
{
	const cJSON *arr = cfg_array(x, obj, path, "communes"), *it;
	char p[CFG_PATH_MAX], sub[CFG_PATH_MAX];
	size_t j = 0;

	if (arr == NULL)
		return;
	cfg_subpath(sub, sizeof(sub), path, "communes");
	s->communes.v = cfg_calloc(x, (size_t)cJSON_GetArraySize(arr),
	    sizeof(*s->communes.v));
	if (s->communes.v == NULL)
		return;
	cJSON_ArrayForEach(it, arr) {
		if (!cJSON_IsString(it) || !cfg_insee_ok(it->valuestring)) {
			cfg_itempath(p, sizeof(p), sub, j++);
			cfg_err(x, "%s: not an INSEE commune code (5 digits, "
			    "or 2A or 2B and 3 digits)", p);
			continue;
		}
		s->communes.v[s->communes.n++] = it->valuestring;
		all->at[all->n] = (struct cfg_commune_at){ it->valuestring,
		    self, j++ };
		all->ix[all->n] = (struct cfg_ix){ it->valuestring, all->n };
		all->n++;
	}
}

/* A commune belongs to one sector: a request from it finds one sector. */
static void
cfg_communes_check(struct cfg_ctx *x, struct cfg_communes *all)
{
	const struct cfg_sector *sec = x->c->sectors;
	size_t *first, f;

	if ((first = calloc(all->n + 1, sizeof(*first))) == NULL) {
		cfg_oom(x);
		return;
	}
	cfg_ix_sort(all->ix, all->n, first, all->n);
	for (size_t k = 0; k < all->n; k++) {
		const struct cfg_commune_at *a = &all->at[k];

		if ((f = first[k]) == SIZE_MAX)
			continue;
		if (all->at[f].sector == a->sector)
			cfg_err(x, "sectors[%zu].communes[%zu]: duplicate "
			    "commune \"%s\"", a->sector, a->j, a->code);
		else if (sec[all->at[f].sector].id != NULL)
			cfg_err(x, "sectors[%zu].communes[%zu]: commune \"%s\" "
			    "is already in sector \"%s\"", a->sector, a->j,
			    a->code, sec[all->at[f].sector].id);
		else
			cfg_err(x, "sectors[%zu].communes[%zu]: commune \"%s\" "
			    "is already in sectors[%zu]", a->sector, a->j,
			    a->code, all->at[f].sector);
	}
	free(first);
}

/*
 * A sector's "target": slots wanted per day kind and hour. Keys are read
 * first, then resolved per cell, most specific last, as cfg.h says.
 */
static void
cfg_target_parse(struct cfg_ctx *x, const cJSON *obj, const char *path,
    struct cfg_sector *s)
{
	static const char *const keys[] = { "default",
	    "sun", "mon", "tue", "wed", "thu", "fri", "sat", "hol",
	    "00", "01", "02", "03", "04", "05", "06", "07", "08", "09", "10",
	    "11", "12", "13", "14", "15", "16", "17", "18", "19", "20", "21",
	    "22", "23", NULL };
	static const char *const day_keys[] = { "default",
	    "00", "01", "02", "03", "04", "05", "06", "07", "08", "09", "10",
	    "11", "12", "13", "14", "15", "16", "17", "18", "19", "20", "21",
	    "22", "23", NULL };
	int all_def = CFG_NO_TARGET, all_hour[24];
	int day_def[CFG_DAY_COUNT], day_hour[CFG_DAY_COUNT][24];
	char tp[CFG_PATH_MAX], dp[CFG_PATH_MAX];
	const cJSON *t, *day;
	int d, h, v;

	if ((t = cfg_object(x, obj, path, "target", keys)) == NULL)
		return;
	s->has_target = true;
	cfg_subpath(tp, sizeof(tp), path, "target");
	for (h = 0; h < 24; h++)
		all_hour[h] = CFG_NO_TARGET;
	for (d = 0; d < CFG_DAY_COUNT; d++) {
		day_def[d] = CFG_NO_TARGET;
		for (h = 0; h < 24; h++)
			day_hour[d][h] = CFG_NO_TARGET;
	}
	cfg_int(x, t, tp, "default", 0, 1000, &all_def);
	for (h = 0; h < 24; h++)
		cfg_int(x, t, tp, cfg_hour_keys[h], 0, 1000, &all_hour[h]);
	for (d = 0; d < CFG_DAY_COUNT; d++) {
		if ((day = jarg_get(t, cfg_day_keys[d])) == NULL)
			continue;
		if (cJSON_IsNumber(day)) {
			cfg_int(x, t, tp, cfg_day_keys[d], 0, 1000,
			    &day_def[d]);
			continue;
		}
		cfg_subpath(dp, sizeof(dp), tp, cfg_day_keys[d]);
		if (!cJSON_IsObject(day)) {
			cfg_err(x, "%s: must be an integer from 0 to 1000, or "
			    "an object of \"default\" and hour keys", dp);
			continue;
		}
		cfg_keys(x, day, dp, day_keys);
		cfg_int(x, day, dp, "default", 0, 1000, &day_def[d]);
		for (h = 0; h < 24; h++)
			cfg_int(x, day, dp, cfg_hour_keys[h], 0, 1000,
			    &day_hour[d][h]);
	}
	for (d = 0; d < CFG_DAY_COUNT; d++)
		for (h = 0; h < 24; h++) {
			v = all_def;
			if (day_def[d] != CFG_NO_TARGET)
				v = day_def[d];
			if (all_hour[h] != CFG_NO_TARGET)
				v = all_hour[h];
			if (day_hour[d][h] != CFG_NO_TARGET)
				v = day_hour[d][h];
			s->target[d][h] = (int16_t)v;
		}
}

/*
 * Pass one: every sector's id, so that neighbours may name a later
 * sector. Returns the number of commune entries, to size the list.
 */
static size_t
cfg_sector_ids(struct cfg_ctx *x, const cJSON **items, size_t n)
{
	static const char *const keys[] = { "id", "name", "neighbours",
	    "communes", "target", NULL };
	struct cfg_mem *m = x->mem;
	struct cfg_sector *sec = x->c->sectors;
	const cJSON *communes;
	char p[CFG_PATH_MAX];
	size_t *first, n_communes = 0;

	m->sector_ix = cfg_calloc(x, n, sizeof(*m->sector_ix));
	if (m->sector_ix == NULL)
		return 0;
	for (size_t i = 0; i < n; i++) {
		cfg_itempath(p, sizeof(p), "sectors", i);
		if (!cJSON_IsObject(items[i])) {
			cfg_err(x, "%s: must be an object", p);
			items[i] = NULL;
			continue;
		}
		cfg_keys(x, items[i], p, keys);
		communes = jarg_get(items[i], "communes");
		if (cJSON_IsArray(communes))
			n_communes += (size_t)cJSON_GetArraySize(communes);
		if (cfg_str_req(x, items[i], p, "id", CFG_FILE_MAX,
		    &sec[i].id) != 1)
			continue;
		if (!cfg_id_ok(sec[i].id)) {
			cfg_err(x, "%s.id: %s", p, CFG_ID_RULE);
			sec[i].id = NULL;
			continue;
		}
		m->sector_ix[m->n_sector_ix++] = (struct cfg_ix){ sec[i].id,
		    i };
	}
	if ((first = calloc(n, sizeof(*first))) == NULL) {
		cfg_oom(x);
		return 0;
	}
	cfg_ix_sort(m->sector_ix, m->n_sector_ix, first, n);
	for (size_t i = 0; i < n; i++)
		if (first[i] != SIZE_MAX)
			cfg_err(x, "sectors[%zu].id: duplicate id \"%s\" (see "
			    "sectors[%zu])", i, sec[i].id, first[i]);
	free(first);
	return n_communes;
}

void
cfg_sectors_parse(struct cfg_ctx *x, const cJSON *root)
{
	const cJSON *arr = cfg_array(x, root, "", "sectors"), *it;
	struct cfg_communes all = { NULL, NULL, 0 };
	const cJSON **items = NULL;
	struct cfg_sector *sec;
	char p[CFG_PATH_MAX];
	size_t n, i = 0, n_communes;

	x->no_sectors = true;
	if (arr == NULL) {
		if (jarg_get(root, "sectors") == NULL)
			cfg_err(x, "sectors: required array");
		return;
	}
	if ((n = (size_t)cJSON_GetArraySize(arr)) == 0) {
		cfg_err(x, "sectors: must hold at least one sector");
		return;
	}
	if ((sec = cfg_calloc(x, n, sizeof(*sec))) == NULL)
		return;
	x->c->sectors = sec;
	x->c->n_sectors = n;
	if ((items = calloc(n, sizeof(*items))) == NULL) {
		cfg_oom(x);
		return;
	}
	cJSON_ArrayForEach(it, arr)
		items[i++] = it;
	n_communes = cfg_sector_ids(x, items, n);
	x->no_sectors = false;
	all.ix = calloc(n_communes + 1, sizeof(*all.ix));
	all.at = calloc(n_communes + 1, sizeof(*all.at));
	if (all.ix == NULL || all.at == NULL) {
		cfg_oom(x);
		goto out;
	}
	for (i = 0; i < n; i++) {
		if (items[i] == NULL)
			continue;
		cfg_itempath(p, sizeof(p), "sectors", i);
		sec[i].name = sec[i].id;
		cfg_str(x, items[i], p, "name", CFG_NAME_MAX, &sec[i].name);
		for (int d = 0; d < CFG_DAY_COUNT; d++)
			for (int h = 0; h < 24; h++)
				sec[i].target[d][h] = CFG_NO_TARGET;
		cfg_neighbours_parse(x, items[i], p, i, &sec[i]);
		cfg_communes_parse(x, items[i], p, i, &sec[i], &all);
		cfg_target_parse(x, items[i], p, &sec[i]);
	}
	cfg_communes_check(x, &all);
out:
	free(all.at);
	free(all.ix);
	free(items);
}
