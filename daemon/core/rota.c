/*
 * The on-call rota's calendar: French holidays, the shifts of a period and
 * who may hold one. The assignment itself is in rota_assign.c.
 */
#include "daemon/core/rota.h"

#include <stdlib.h>

/* Days since 1970-01-01 of a civil date (out-of-range fields carry). */
static int64_t
rota_dayno(int64_t year, int64_t month, int64_t day)
{
	return tz_civil(year, month, day, 0, 0, 0) / 86400;
}

/*
 * Easter Sunday of a Gregorian year, as a day number: the anonymous
 * Gregorian algorithm (Meeus, Astronomical Algorithms, ch. 8).
 */
static int64_t
rota_easter(int64_t y)
{
	int64_t a = y % 19, b = y / 100, c = y % 100;
	int64_t d = b / 4, e = b % 4, f = (b + 8) / 25;
	int64_t g = (b - f + 1) / 3;
	int64_t h = (19 * a + b - d - g + 15) % 30;
	int64_t i = c / 4, k = c % 4;
	int64_t l = (32 + 2 * e + 2 * i - h - k) % 7;
	int64_t m = (a + 11 * h + 22 * l) / 451;
	int64_t n = h + l - 7 * m + 114;

	return rota_dayno(y, n / 31, n % 31 + 1);
}

bool
rota_is_fr_holiday(int year, int month, int day)
{
	static const struct {
		int	month, day;
	} fixed[] = {
		{ 1, 1 },	/* Jour de l'an */
		{ 5, 1 },	/* Fête du travail */
		{ 5, 8 },	/* Victoire 1945 */
		{ 7, 14 },	/* Fête nationale */
		{ 8, 15 },	/* Assomption */
		{ 11, 1 },	/* Toussaint */
		{ 11, 11 },	/* Armistice */
		{ 12, 25 },	/* Noël */
	};
	int64_t d, easter;

	for (size_t i = 0; i < sizeof(fixed) / sizeof(fixed[0]); i++)
		if (fixed[i].month == month && fixed[i].day == day)
			return true;
	/* Easter Monday, Ascension Thursday, Whit Monday. */
	d = rota_dayno(year, month, day);
	easter = rota_easter(year);
	return d == easter + 1 || d == easter + 39 || d == easter + 50;
}

static bool
rota_is_extra(const struct rota_shift_opts *o, const struct tz_local *l)
{
	for (size_t i = 0; i < o->n_extra; i++)
		if (o->extra_holidays[i].year == l->year &&
		    o->extra_holidays[i].month == l->month &&
		    o->extra_holidays[i].day == l->day)
			return true;
	return false;
}

static int
rota_shift_cmp(const void *pa, const void *pb)
{
	const struct rota_shift *a = pa, *b = pb;

	if (a->start != b->start)
		return a->start < b->start ? -1 : 1;
	if (a->end != b->end)
		return a->end < b->end ? -1 : 1;
	return 0;
}

int
rota_shifts(const struct rota_shift_opts *o, int64_t from, int64_t to,
    struct rota_shift **out, size_t *n_out)
{
	struct rota_shift *v = NULL, *nv;
	size_t n = 0, cap = 0;
	struct tz_local l;
	int64_t day, next;
	double w;

	*out = NULL;
	*n_out = 0;
	for (day = tz_day_start(o->tz, from); day < to; day = next) {
		tz_to_local(o->tz, day, &l);
		/* The next local midnight: 23 or 25 hours on a change day. */
		next = tz_from_local(o->tz, l.year, l.month, l.day + 1, 0, 0,
		    0);
		if (day < from)		/* from was not a day start */
			continue;
		w = l.wday == 0 || l.wday == 6 ||
		    rota_is_fr_holiday(l.year, l.month, l.day) ||
		    rota_is_extra(o, &l) ? o->weekend_weight : 1;
		for (size_t i = 0; i < o->n_defs; i++) {
			const struct rota_def *d = &o->defs[i];
			int end_day = l.day + (d->end_min <= d->start_min);

			if (n == cap) {
				cap = cap ? 2 * cap : 64;
				nv = realloc(v, cap * sizeof(*v));
				if (nv == NULL) {
					free(v);
					return -1;
				}
				v = nv;
			}
			/* Minutes past 59 carry into hours (tz_civil). */
			v[n++] = (struct rota_shift){
				.start = tz_from_local(o->tz, l.year, l.month,
				    l.day, 0, d->start_min, 0),
				.end = tz_from_local(o->tz, l.year, l.month,
				    end_day, 0, d->end_min, 0),
				.weight = w, .primary = -1, .backup = -1,
				.keep = false };
		}
	}
	/* Defs are sorted by start, but one starting past 24:00 is not. */
	if (n > 1)
		qsort(v, n, sizeof(*v), rota_shift_cmp);
	*out = v;
	*n_out = n;
	return 0;
}

/* Whether some interval of s meets [start, end). */
static bool
rota_meets(const struct ivs *s, int64_t start, int64_t end)
{
	size_t lo = 0, hi = s->n;

	/* The first interval ending after start: ends grow with starts. */
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;

		if (s->v[mid].end <= start)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo < s->n && s->v[lo].start < end;
}

bool
rota_eligible(const struct rota_gp *g, int64_t start, int64_t end)
{
	if (!g->teleconsult || g->oncall == NULL ||
	    !ivs_covers(g->oncall, start, end))
		return false;
	return g->absent == NULL || !rota_meets(g->absent, start, end);
}
