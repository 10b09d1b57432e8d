/* One event series to instances: RRULE, RDATE, EXDATE and overrides. */
#include "daemon/core/cal_int.h"

#include <stdlib.h>
#include <string.h>

#define CAL_DAY		86400

/* An instance of the master series. */
struct cal_inst {
	int64_t	wall;		/* start, wall clock of the series' zone */
	int64_t	utc;		/* start instant */
	int64_t	end_utc;	/* an RDATE period's own end, else 0 */
	bool	is_removed;	/* by EXDATE or an override */
};

struct cal_insts {
	struct cal_inst	*v;
	size_t		 n, cap;
};

/* A THISANDFUTURE override: later instances move and take its meaning. */
struct cal_taf {
	int64_t			rid_wall;
	int64_t			shift;		/* wall-clock seconds */
	struct cal_kind		kind;
	struct cal_dur		dur;
};

static int
cal_insts_push(struct cal_insts *is, int64_t wall, int64_t utc,
    int64_t end_utc)
{
	if (is->n == is->cap) {
		size_t ncap = is->cap ? is->cap * 2 : 16;
		struct cal_inst *v = realloc(is->v, ncap * sizeof(*v));

		if (v == NULL)
			return -1;
		is->v = v;
		is->cap = ncap;
	}
	is->v[is->n++] = (struct cal_inst){ wall, utc, end_utc, false };
	return 0;
}

static int
cal_inst_cmp(const void *a, const void *b)
{
	const struct cal_inst *x = a, *y = b;

	return x->utc < y->utc ? -1 : x->utc > y->utc;
}

/* The instant of a property's time, in its own zone. */
static int64_t
cal_utc_of(struct cal_run *r, icalproperty *p, struct icaltimetype t,
    const struct cal_ztab *fallback, bool *oom)
{
	const struct cal_ztab *z = cal_zones_for(&r->zones, p, t);

	if (z == NULL) {
		*oom = true;
		z = fallback;
	}
	/* A floating time in a series with a zone reads in that zone. */
	if (z == &r->zones.territory && !t.is_date && fallback != NULL &&
	    icalproperty_get_first_parameter(p, ICAL_TZID_PARAMETER) == NULL)
		z = fallback;
	return cal_ztab_from_wall(z, cal_wall_of(t));
}

/*
 * An instance's length: from DTEND, exact seconds (RFC 5545 3.8.5.3: the
 * same for every instance), or whole days for dates; from DURATION, weeks
 * and days nominal, the rest exact; neither: a day for a date, else zero.
 */
static void
cal_dur_of(struct cal_run *r, icalcomponent *c, struct icaltimetype t0,
    const struct cal_ztab *z, struct cal_dur *d, bool *oom)
{
	icalproperty *pe = icalcomponent_get_first_property(c,
	    ICAL_DTEND_PROPERTY);
	icalproperty *pd = icalcomponent_get_first_property(c,
	    ICAL_DURATION_PROPERTY);

	memset(d, 0, sizeof(*d));
	if (pe != NULL) {
		struct icaltimetype te = icalproperty_get_dtend(pe);
		int64_t w0 = cal_wall_of(t0), we = cal_wall_of(te);

		if (icaltime_is_null_time(te))
			return;
		if (t0.is_date) {
			/* A DATE-TIME end of a day event: its local day. */
			int64_t days = (we - w0 + (te.is_date ? 0 : CAL_DAY - 1)) /
			    CAL_DAY;

			d->days = days > 0 && days < 100000 ? (int)days : 0;
			return;
		}
		if (te.is_date) {
			d->secs = cal_ztab_from_wall(z, we) -
			    cal_ztab_from_wall(z, w0);
		} else
			d->secs = cal_utc_of(r, pe, te, z, oom) -
			    cal_ztab_from_wall(z, w0);
		if (d->secs < 0)
			d->secs = 0;
		return;
	}
	if (pd != NULL) {
		struct icaldurationtype du = icalproperty_get_duration(pd);

		if (du.is_neg || du.weeks > 10000 || du.days > 100000)
			return;
		d->days = (int)(du.weeks * 7 + du.days);
		d->secs = (int64_t)du.hours * 3600 + (int64_t)du.minutes * 60 +
		    du.seconds;
		return;
	}
	if (t0.is_date)
		d->days = 1;
}

static int64_t
cal_end_of(const struct cal_ztab *z, int64_t wall, int64_t utc,
    const struct cal_dur *d)
{
	int64_t end = utc;

	if (d->days > 0)
		end = cal_ztab_from_wall(z, wall + (int64_t)d->days * CAL_DAY);
	return end + d->secs;
}

/*
 * UNTIL, read leniently: a UTC time bounds instants, a local time bounds
 * wall clock, and a DATE includes that whole local day (DESIGN.md).
 */
struct cal_until {
	bool	is_set;
	bool	is_utc;
	int64_t	limit;		/* last allowed utc, or wall */
};

static void
cal_until_of(struct icalrecurrencetype *rule, bool series_is_date,
    struct cal_until *u)
{
	struct icaltimetype t = rule->until;

	memset(u, 0, sizeof(*u));
	if (icaltime_is_null_time(t))
		return;
	u->is_set = true;
	if (t.is_date) {
		u->limit = cal_wall_of(t) + (series_is_date ? 0 : CAL_DAY - 1);
	} else if (icaltime_is_utc(t) && !series_is_date) {
		u->is_utc = true;
		u->limit = cal_wall_of(t);	/* UTC fields: the instant */
	} else {
		u->limit = cal_wall_of(t);
		if (series_is_date)	/* a time on a date series: its day */
			u->limit -= u->limit % CAL_DAY;
	}
	rule->until = icaltime_null_time();
}

static bool
cal_until_passed(const struct cal_until *u, int64_t wall, int64_t utc)
{
	if (!u->is_set)
		return false;
	return (u->is_utc ? utc : wall) > u->limit;
}

/* DTSTART, then the RRULE's instances, up to the horizon's end. */
static int
cal_expand_rule(struct cal_run *r, icalcomponent *m, struct icaltimetype t0,
    const struct cal_ztab *z, struct cal_insts *is)
{
	icalproperty *prr = icalcomponent_get_first_property(m,
	    ICAL_RRULE_PROPERTY);
	int64_t w0 = cal_wall_of(t0), u0 = cal_ztab_from_wall(z, w0);
	struct icalrecurrencetype rule;
	struct cal_until until;
	icalrecur_iterator *it;
	struct icaltimetype x, start = t0;
	int count, total = 1;

	if (!cal_count(r))
		return r->err;
	if (cal_insts_push(is, w0, u0, 0) != 0)
		return cal_fail(r, CAL_ENOMEM, "out of memory");
	if (prr == NULL)
		return 0;
	rule = icalproperty_get_rrule(prr);
	if (rule.freq == ICAL_NO_RECURRENCE)
		return -1;		/* a rule libical could not read */
	cal_until_of(&rule, t0.is_date, &until);
	/* COUNT includes DTSTART, which libical only yields if it matches. */
	count = rule.count;
	rule.count = 0;
	start.zone = NULL;
	it = icalrecur_iterator_new(rule, start);
	if (it == NULL)
		return -1;
	while (!icaltime_is_null_time(x = icalrecur_iterator_next(it))) {
		int64_t w = cal_wall_of(x), u;

		if (w == w0)
			continue;	/* DTSTART, already in */
		if (count > 0 && total >= count)
			break;
		u = cal_ztab_from_wall(z, w);
		if (cal_until_passed(&until, w, u) || u >= r->opts->to_utc)
			break;
		if (!cal_count(r)) {
			icalrecur_iterator_free(it);
			return r->err;
		}
		if (cal_insts_push(is, w, u, 0) != 0) {
			icalrecur_iterator_free(it);
			return cal_fail(r, CAL_ENOMEM, "out of memory");
		}
		total++;
	}
	icalrecur_iterator_free(it);
	return 0;
}

/* RDATE instances: times (own zone) and periods (their own end). */
static int
cal_expand_rdates(struct cal_run *r, icalcomponent *m, bool is_date,
    const struct cal_ztab *z, struct cal_insts *is, bool *oom)
{
	icalproperty *p;

	for (p = icalcomponent_get_first_property(m, ICAL_RDATE_PROPERTY);
	    p != NULL; p = icalcomponent_get_next_property(m,
	    ICAL_RDATE_PROPERTY)) {
		struct icaldatetimeperiodtype dp = icalproperty_get_rdate(p);
		struct icaltimetype t = dp.time;
		int64_t end = 0, u;

		if (icaltime_is_null_time(t)) {
			t = dp.period.start;
			if (icaltime_is_null_time(t))
				continue;
			if (!icaltime_is_null_time(dp.period.end))
				end = cal_utc_of(r, p, dp.period.end, z, oom);
			else
				end = cal_utc_of(r, p, t, z, oom) +
				    icaldurationtype_as_int(dp.period.duration);
		}
		if (t.is_date != is_date)
			t.is_date = is_date;	/* leniently, the series' type */
		u = t.is_date ? cal_ztab_from_wall(z, cal_wall_of(t)) :
		    cal_utc_of(r, p, t, z, oom);
		if (u >= r->opts->to_utc)
			continue;
		if (!cal_count(r))
			return r->err;
		/* Its wall clock in the series' zone, for EXDATE and RIDs. */
		if (cal_insts_push(is, t.is_date ? cal_wall_of(t) :
		    u + cal_ztab_offset(z, u), u, end > u ? end : 0) != 0)
			return cal_fail(r, CAL_ENOMEM, "out of memory");
	}
	return 0;
}

/*
 * Remove the instances an EXDATE names: the same instant, or, for a DATE
 * on a timed series, every instance of that local day.
 */
static void
cal_expand_exdates(struct cal_run *r, icalcomponent *m,
    const struct cal_ztab *z, struct cal_insts *is, bool *oom)
{
	icalproperty *p;

	for (p = icalcomponent_get_first_property(m, ICAL_EXDATE_PROPERTY);
	    p != NULL; p = icalcomponent_get_next_property(m,
	    ICAL_EXDATE_PROPERTY)) {
		struct icaltimetype t = icalproperty_get_exdate(p);
		int64_t day, u;

		if (icaltime_is_null_time(t))
			continue;
		if (t.is_date) {
			day = cal_wall_of(t);
			for (size_t i = 0; i < is->n; i++)
				if (is->v[i].wall >= day &&
				    is->v[i].wall < day + CAL_DAY)
					is->v[i].is_removed = true;
			continue;
		}
		u = cal_utc_of(r, p, t, z, oom);
		for (size_t i = 0; i < is->n; i++)
			if (is->v[i].utc == u)
				is->v[i].is_removed = true;
	}
}

/* The instant and wall time a RECURRENCE-ID names, in the series' zone. */
static bool
cal_rid_of(struct cal_run *r, icalcomponent *o, const struct cal_ztab *z,
    bool series_is_date, int64_t *wall, int64_t *utc, bool *is_taf,
    bool *oom)
{
	icalproperty *p = icalcomponent_get_first_property(o,
	    ICAL_RECURRENCEID_PROPERTY);
	struct icaltimetype t;
	icalparameter *range;

	if (p == NULL)
		return false;
	t = icalproperty_get_recurrenceid(p);
	if (icaltime_is_null_time(t))
		return false;
	range = icalproperty_get_first_parameter(p, ICAL_RANGE_PARAMETER);
	*is_taf = range != NULL &&
	    icalparameter_get_range(range) == ICAL_RANGE_THISANDFUTURE;
	if (t.is_date || series_is_date) {
		t.is_date = 1;
		*wall = cal_wall_of(t);
		*utc = cal_ztab_from_wall(z, *wall);
	} else {
		*utc = cal_utc_of(r, p, t, z, oom);
		*wall = *utc + cal_ztab_offset(z, *utc);
	}
	return true;
}

static int
cal_taf_cmp(const void *a, const void *b)
{
	const struct cal_taf *x = a, *y = b;

	return x->rid_wall < y->rid_wall ? -1 : x->rid_wall > y->rid_wall;
}

/* A single instance of a component: an override, or a lone event. */
static int
cal_expand_single(struct cal_run *r, icalcomponent *c, cal_emit_fn emit,
    void *arg, struct cal_kind *kind, struct cal_dur *dur, int64_t *wall0,
    bool *oom)
{
	icalproperty *ps = icalcomponent_get_first_property(c,
	    ICAL_DTSTART_PROPERTY);
	struct icaltimetype t;
	const struct cal_ztab *z;
	int64_t w, u;

	if (ps == NULL)
		return -1;
	t = icalproperty_get_dtstart(ps);
	if (icaltime_is_null_time(t) || !icaltime_is_valid_time(t))
		return -1;
	z = cal_zones_for(&r->zones, ps, t);
	if (z == NULL)
		return cal_fail(r, CAL_ENOMEM, "out of memory");
	cal_kind_of(r->opts, c, kind);
	cal_dur_of(r, c, t, z, dur, oom);
	w = cal_wall_of(t);
	u = cal_ztab_from_wall(z, w);
	*wall0 = w;
	if (!cal_count(r))
		return r->err;
	if (u >= r->opts->to_utc)
		return 0;
	return emit(r, kind, u, cal_end_of(z, w, u, dur), arg);
}

int
cal_span_of(struct cal_run *r, icalcomponent *c, int64_t *start,
    int64_t *end, bool *has_end)
{
	icalproperty *ps = icalcomponent_get_first_property(c,
	    ICAL_DTSTART_PROPERTY);
	const struct cal_ztab *z;
	struct icaltimetype t;
	struct cal_dur d;
	bool oom = false;
	int64_t w;

	if (ps == NULL)
		return -1;
	t = icalproperty_get_dtstart(ps);
	if (icaltime_is_null_time(t) || !icaltime_is_valid_time(t))
		return -1;
	if ((z = cal_zones_for(&r->zones, ps, t)) == NULL)
		return cal_fail(r, CAL_ENOMEM, "out of memory");
	cal_dur_of(r, c, t, z, &d, &oom);
	if (oom)
		return cal_fail(r, CAL_ENOMEM, "out of memory");
	w = cal_wall_of(t);
	*start = cal_ztab_from_wall(z, w);
	*end = cal_end_of(z, w, *start, &d);
	*has_end = icalcomponent_get_first_property(c, ICAL_DTEND_PROPERTY) !=
	    NULL || icalcomponent_get_first_property(c,
	    ICAL_DURATION_PROPERTY) != NULL;
	return 0;
}

int
cal_expand(struct cal_run *r, icalcomponent *m, icalcomponent **ovr,
    size_t n_ovr, cal_emit_fn emit, void *arg)
{
	icalproperty *ps = icalcomponent_get_first_property(m,
	    ICAL_DTSTART_PROPERTY);
	struct cal_insts is = { 0 };
	struct cal_taf *taf = NULL;
	size_t n_taf = 0, t;
	struct cal_kind kind;
	struct cal_dur dur;
	const struct cal_ztab *z;
	struct icaltimetype t0;
	bool oom = false;
	int rc;

	if (ps == NULL)
		return -1;
	t0 = icalproperty_get_dtstart(ps);
	if (icaltime_is_null_time(t0) || !icaltime_is_valid_time(t0))
		return -1;
	z = cal_zones_for(&r->zones, ps, t0);
	if (z == NULL)
		return cal_fail(r, CAL_ENOMEM, "out of memory");
	cal_kind_of(r->opts, m, &kind);
	cal_dur_of(r, m, t0, z, &dur, &oom);

	if ((rc = cal_expand_rule(r, m, t0, z, &is)) != 0 ||
	    (rc = cal_expand_rdates(r, m, t0.is_date, z, &is, &oom)) != 0)
		goto out;
	qsort(is.v, is.n, sizeof(*is.v), cal_inst_cmp);
	cal_expand_exdates(r, m, z, &is, &oom);

	if (n_ovr > 0 && (taf = calloc(n_ovr, sizeof(*taf))) == NULL) {
		rc = cal_fail(r, CAL_ENOMEM, "out of memory");
		goto out;
	}
	for (size_t i = 0; i < n_ovr; i++) {
		int64_t rid_wall, rid_utc, w1 = 0;
		struct cal_kind ok;
		struct cal_dur od;
		bool is_taf = false;

		if (!cal_rid_of(r, ovr[i], z, t0.is_date, &rid_wall, &rid_utc,
		    &is_taf, &oom)) {
			r->out->warnings++;
			continue;
		}
		/* The override's own instance stands, matched or not. */
		rc = cal_expand_single(r, ovr[i], emit, arg, &ok, &od, &w1,
		    &oom);
		if (rc > 0)
			goto out;
		if (rc < 0) {
			r->out->warnings++;
			rc = 0;
			continue;
		}
		for (size_t k = 0; k < is.n; k++)
			if (is.v[k].utc == rid_utc ||
			    (t0.is_date && is.v[k].wall == rid_wall))
				is.v[k].is_removed = true;
		if (is_taf)
			taf[n_taf++] = (struct cal_taf){ rid_wall,
			    w1 - rid_wall, ok, od };
	}
	if (n_taf > 1)
		qsort(taf, n_taf, sizeof(*taf), cal_taf_cmp);

	t = 0;
	for (size_t i = 0; i < is.n; i++) {
		const struct cal_inst *in = &is.v[i];
		const struct cal_kind *k = &kind;
		const struct cal_dur *d = &dur;
		int64_t w = in->wall, u = in->utc, end;

		if (in->is_removed)
			continue;
		/* The latest THISANDFUTURE at or before this instance. */
		while (t < n_taf && taf[t].rid_wall <= w)
			t++;
		if (t > 0) {
			w += taf[t - 1].shift;
			u = cal_ztab_from_wall(z, w);
			k = &taf[t - 1].kind;
			d = &taf[t - 1].dur;
		}
		end = in->end_utc > 0 && t == 0 ? in->end_utc :
		    cal_end_of(z, w, u, d);
		if ((rc = emit(r, k, u, end, arg)) != 0)
			goto out;
	}
	if (oom)
		rc = cal_fail(r, CAL_ENOMEM, "out of memory");
out:
	free(taf);
	free(is.v);
	return rc;
}
