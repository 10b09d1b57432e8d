/* Time zones of a feed: TZID to zone, and offset tables read once. */
#include "daemon/core/cal_int.h"

#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#define CAL_DAY		86400
/*
 * Tables cover the horizon and 400 days before it, for long events that
 * began earlier; probing every 3 days cannot miss a transition, as no
 * real zone changes offset twice within 3 days.
 */
#define CAL_ZTAB_BEFORE	(400 * CAL_DAY)
#define CAL_ZTAB_AFTER	(2 * CAL_DAY)
#define CAL_ZTAB_STEP	(3 * CAL_DAY)

/*
 * Windows zone names (what Outlook and Exchange write in TZID), mapped to
 * the IANA zone of CLDR's windowsZones table for the regions a French
 * territory meets: metropolitan France and its neighbours, the overseas
 * departments, and a few that agendas often carry.
 */
static const struct {
	const char	*windows;
	const char	*iana;
} cal_zone_windows[] = {
	{ "Romance Standard Time",		"Europe/Paris" },
	{ "W. Europe Standard Time",		"Europe/Berlin" },
	{ "Central Europe Standard Time",	"Europe/Budapest" },
	{ "Central European Standard Time",	"Europe/Warsaw" },
	{ "GMT Standard Time",			"Europe/London" },
	{ "Greenwich Standard Time",		"Atlantic/Reykjavik" },
	{ "E. Europe Standard Time",		"Europe/Chisinau" },
	{ "FLE Standard Time",			"Europe/Kiev" },
	{ "GTB Standard Time",			"Europe/Bucharest" },
	{ "Morocco Standard Time",		"Africa/Casablanca" },
	{ "W. Central Africa Standard Time",	"Africa/Lagos" },
	{ "SA Western Standard Time",		"America/La_Paz" },
	{ "SA Eastern Standard Time",		"America/Cayenne" },
	{ "Arabian Standard Time",		"Asia/Dubai" },
	{ "E. Africa Standard Time",		"Africa/Nairobi" },
	{ "Central Pacific Standard Time",	"Pacific/Guadalcanal" },
	{ "Eastern Standard Time",		"America/New_York" },
	{ "Central Standard Time",		"America/Chicago" },
	{ "Pacific Standard Time",		"America/Los_Angeles" },
	{ "UTC",				"UTC" },
	{ "Coordinated Universal Time",		"UTC" },
};

void
cal_zones_preload(const struct tz *territory)
{
	(void)territory;	/* loaded by tz_get() already */
	for (size_t i = 0; i < sizeof(cal_zone_windows) /
	    sizeof(cal_zone_windows[0]); i++)
		(void)tz_get(cal_zone_windows[i].iana);
}

/*
 * A known zone name: IANA ("Europe/Paris"), Windows ("Romance Standard
 * Time"), or an IANA name behind a vendor prefix ("/mozilla.org/20070129_1/
 * Europe/Paris", libical's "/freeassociation.sourceforge.net/..."). Known
 * names use libical's built-in zone even when the feed embeds a
 * VTIMEZONE: expanding Outlook's zone from 1601 in every feed costs more
 * than the rest of the parse, and embedded copies of known zones match.
 */
static const struct tz *
cal_zone_known(const char *tzid)
{
	const struct tz *z;

	for (size_t i = 0; i < sizeof(cal_zone_windows) /
	    sizeof(cal_zone_windows[0]); i++)
		if (strcasecmp(tzid, cal_zone_windows[i].windows) == 0)
			return tz_get(cal_zone_windows[i].iana);
	if (tzid[0] != '/')
		return strchr(tzid, '/') != NULL || strcmp(tzid, "UTC") == 0 ?
		    tz_get(tzid) : NULL;
	/* Each suffix after a '/', longest first: the IANA name's. */
	for (const char *p = tzid; (p = strchr(p, '/')) != NULL; p++) {
		if (strchr(p + 1, '/') == NULL)
			break;		/* "Paris" alone names no zone */
		if ((z = tz_get(p + 1)) != NULL)
			return z;
	}
	return NULL;
}

static int
cal_ztab_push(struct cal_ztab *t, size_t *cap, int64_t at, int32_t off)
{
	if (t->n == *cap) {
		size_t ncap = *cap ? *cap * 2 : 8;
		int64_t *a = realloc(t->at, ncap * sizeof(*a));
		int32_t *o;

		if (a == NULL)
			return -1;
		t->at = a;
		o = realloc(t->off, ncap * sizeof(*o));
		if (o == NULL)
			return -1;
		t->off = o;
		*cap = ncap;
	}
	t->at[t->n] = at;
	t->off[t->n] = off;
	t->n++;
	return 0;
}

/* Probe the zone's offsets over [from, to), finding each change exactly. */
static int
cal_ztab_build(struct cal_ztab *t, const struct tz *z, int64_t from,
    int64_t to)
{
	size_t cap = 0;
	int64_t at = from - CAL_ZTAB_BEFORE, end = to + CAL_ZTAB_AFTER;
	int32_t off;

	memset(t, 0, sizeof(*t));
	t->z = z;
	off = t->off0 = tz_offset_s(z, at);
	while (at < end) {
		int64_t next = at + CAL_ZTAB_STEP, lo = at, hi = next;
		int32_t noff = tz_offset_s(z, next);

		if (noff != off) {
			/* offset(lo) is off, offset(hi) is noff. */
			while (hi - lo > 1) {
				int64_t mid = lo + (hi - lo) / 2;

				if (tz_offset_s(z, mid) == off)
					lo = mid;
				else
					hi = mid;
			}
			if (cal_ztab_push(t, &cap, hi, noff) != 0)
				return -1;
			off = noff;
		}
		at = next;
	}
	return 0;
}

static void
cal_ztab_fini(struct cal_ztab *t)
{
	free(t->at);
	free(t->off);
	memset(t, 0, sizeof(*t));
}

int32_t
cal_ztab_offset(const struct cal_ztab *t, int64_t utc)
{
	size_t lo = 0, hi = t->n;

	/* The last transition at or before utc. */
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;

		if (t->at[mid] <= utc)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo == 0 ? t->off0 : t->off[lo - 1];
}

int64_t
cal_ztab_from_wall(const struct cal_ztab *t, int64_t wall)
{
	int32_t before = cal_ztab_offset(t, wall - CAL_DAY);
	int32_t after = cal_ztab_offset(t, wall + CAL_DAY);
	int64_t u_before = wall - before, u_after = wall - after;
	bool ok_before = cal_ztab_offset(t, u_before) == before;
	bool ok_after = cal_ztab_offset(t, u_after) == after;

	/* As tz_from_local(): overlap → first, gap → the offset before. */
	if (ok_before && ok_after)
		return u_before < u_after ? u_before : u_after;
	if (ok_after)
		return u_after;
	return u_before;
}

int64_t
cal_wall_of(struct icaltimetype t)
{
	if (t.is_date)
		return tz_civil(t.year, t.month, t.day, 0, 0, 0);
	return tz_civil(t.year, t.month, t.day, t.hour, t.minute, t.second);
}

struct icaltimetype
cal_time_of_wall(int64_t wall, bool is_date)
{
	struct icaltimetype t = icaltime_null_time();
	time_t w = (time_t)wall;
	struct tm tm;

	gmtime_r(&w, &tm);
	t.year = tm.tm_year + 1900;
	t.month = tm.tm_mon + 1;
	t.day = tm.tm_mday;
	if (!is_date) {
		t.hour = tm.tm_hour;
		t.minute = tm.tm_min;
		t.second = tm.tm_sec;
	}
	t.is_date = is_date;
	return t;
}

int
cal_zones_init(struct cal_zones *zs, const struct cal_opts *o,
    icalcomponent *root)
{
	memset(zs, 0, sizeof(*zs));
	zs->opts = o;
	zs->root = root;
	if (cal_ztab_build(&zs->territory, o->tz, o->from_utc, o->to_utc) ||
	    cal_ztab_build(&zs->utc, tz_get("UTC"), o->from_utc,
	    o->to_utc)) {
		cal_zones_fini(zs);
		return -1;
	}
	return 0;
}

void
cal_zones_fini(struct cal_zones *zs)
{
	for (size_t i = 0; i < zs->n; i++) {
		free(zs->v[i].tzid);
		cal_ztab_fini(&zs->v[i].tab);
		if (zs->v[i].own != NULL)
			icaltimezone_free(zs->v[i].own, 1);
	}
	free(zs->v);
	cal_ztab_fini(&zs->territory);
	cal_ztab_fini(&zs->utc);
	memset(zs, 0, sizeof(*zs));
}

/* The feed's own VTIMEZONE named tzid, as a zone we own; or NULL. */
static icaltimezone *
cal_zone_embedded(icalcomponent *root, const char *tzid)
{
	icalcomponent *vtz;
	icaltimezone *z;

	for (vtz = icalcomponent_get_first_component(root,
	    ICAL_VTIMEZONE_COMPONENT); vtz != NULL;
	    vtz = icalcomponent_get_next_component(root,
	    ICAL_VTIMEZONE_COMPONENT)) {
		icalproperty *p = icalcomponent_get_first_property(vtz,
		    ICAL_TZID_PROPERTY);

		if (p == NULL || icalproperty_get_tzid(p) == NULL ||
		    strcmp(icalproperty_get_tzid(p), tzid) != 0)
			continue;
		z = icaltimezone_new();
		if (z == NULL)
			return NULL;
		if (!icaltimezone_set_component(z,
		    icalcomponent_new_clone(vtz))) {
			icaltimezone_free(z, 1);
			return NULL;
		}
		return z;
	}
	return NULL;
}

const struct cal_ztab *
cal_zones_for(struct cal_zones *zs, icalproperty *p, struct icaltimetype t)
{
	icalparameter *par;
	const char *tzid;
	const struct tz *z;
	icaltimezone *own = NULL;
	struct cal_zone_ent *e;

	if (t.is_date)
		return &zs->territory;
	if (icaltime_is_utc(t))
		return &zs->utc;
	par = p != NULL ? icalproperty_get_first_parameter(p,
	    ICAL_TZID_PARAMETER) : NULL;
	tzid = par != NULL ? icalparameter_get_tzid(par) : NULL;
	if (tzid == NULL || *tzid == '\0')
		return &zs->territory;	/* floating */
	for (size_t i = 0; i < zs->n; i++)
		if (strcmp(zs->v[i].tzid, tzid) == 0)
			return &zs->v[i].tab;

	z = cal_zone_known(tzid);
	if (z == NULL) {
		own = cal_zone_embedded(zs->root, tzid);
		z = (const struct tz *)own;
	}
	if (z == NULL)
		return &zs->territory;	/* an unknown name, no definition */
	if (zs->n == zs->cap) {
		size_t ncap = zs->cap ? zs->cap * 2 : 4;
		struct cal_zone_ent *v = realloc(zs->v, ncap * sizeof(*v));

		if (v == NULL)
			goto oom;
		zs->v = v;
		zs->cap = ncap;
	}
	e = &zs->v[zs->n];
	memset(e, 0, sizeof(*e));
	e->tzid = strdup(tzid);
	if (e->tzid == NULL)
		goto oom;
	if (cal_ztab_build(&e->tab, z, zs->opts->from_utc,
	    zs->opts->to_utc) != 0) {
		free(e->tzid);
		cal_ztab_fini(&e->tab);
		goto oom;
	}
	e->own = own;
	zs->n++;
	return &e->tab;
oom:
	if (own != NULL)
		icaltimezone_free(own, 1);
	return NULL;
}
