/* iCalendar to availability: what a GP's agenda offers and when it is busy. */
#include "daemon/core/cal.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "daemon/core/cal_int.h"

#define CAL_LATE_EVERY	4096	/* instances between two is_late probes */

static const char *const cal_errs[CAL_ERR_COUNT] = {
#define X(code, msg) [code] = msg,
	CAL_ERRORS(X)
#undef X
};

const char *
cal_strerror(int err)
{
	return err >= 0 && err < CAL_ERR_COUNT ? cal_errs[err] : "error";
}

void
cal_avail_init(struct cal_avail *a)
{
	memset(a, 0, sizeof(*a));
}

void
cal_avail_fini(struct cal_avail *a)
{
	ivs_fini(&a->offered_snp);
	ivs_fini(&a->offered_oncall);
	ivs_fini(&a->busy);
	ivs_fini(&a->absent);
	memset(a, 0, sizeof(*a));
}

int
cal_fail(struct cal_run *r, int err, const char *fmt, ...)
{
	va_list ap;

	if (r->err != CAL_OK)
		return r->err;
	r->err = err;
	va_start(ap, fmt);
	vsnprintf(r->why, r->whylen, fmt, ap);
	va_end(ap);
	return err;
}

bool
cal_count(struct cal_run *r)
{
	if (r->err != CAL_OK)
		return false;
	if (++r->out->instances > r->opts->max_instances) {
		cal_fail(r, CAL_ETOOMANY, "more than %lld instances (an "
		    "unbounded rule?)", (long long)r->opts->max_instances);
		return false;
	}
	if (++r->steps % CAL_LATE_EVERY == 0 && r->opts->is_late != NULL &&
	    r->opts->is_late(r->opts->late_arg)) {
		cal_fail(r, CAL_ETOOLONG, "expansion took too long");
		return false;
	}
	return true;
}

int
cal_emit(struct cal_run *r, const struct cal_kind *k, int64_t start,
    int64_t end)
{
	struct cal_avail *a = r->out;
	int rc = 0;

	if (k->is_cancelled || end <= start)
		return 0;
	/* Outside the horizon: counted, never stored. */
	if (end <= r->opts->from_utc || start >= r->opts->to_utc)
		return 0;
	if (k->is_absent)		/* whatever its TRANSP or markers */
		rc = ivs_push(&a->busy, start, end) ||
		    ivs_push(&a->absent, start, end);
	else if (k->is_snp || k->is_oncall) {
		/* Offered time, even when marked transparent ("free"). */
		if (k->is_snp)
			rc = ivs_push(&a->offered_snp, start, end);
		if (k->is_oncall && rc == 0)
			rc = ivs_push(&a->offered_oncall, start, end);
	} else if (!k->is_transparent) {
		rc = ivs_push(&a->busy, start, end);
		if (rc == 0 && k->is_all_day)
			rc = ivs_push(&a->absent, start, end);
	}
	return rc != 0 ? cal_fail(r, CAL_ENOMEM, "out of memory") : 0;
}

static int
cal_emit_event(struct cal_run *r, const struct cal_kind *k, int64_t start,
    int64_t end, void *arg)
{
	(void)arg;
	return cal_emit(r, k, start, end);
}

/*
 * Case-insensitive equality of a category value and a marker, the value
 * trimmed. Folds ASCII and the Latin-1 letters of UTF-8 (É and é), so that
 * "Congés" matches "CONGÉS" as French agendas need.
 */
static bool
cal_marker_eq(const char *v, size_t n, const char *marker)
{
	size_t m = strlen(marker), i;

	if (n != m)
		return false;
	for (i = 0; i < n; i++) {
		unsigned char a = (unsigned char)v[i];
		unsigned char b = (unsigned char)marker[i];

		if (a == b)
			continue;
		if (a < 0x80 && b < 0x80) {
			if ((a | 0x20) != (b | 0x20) || (a | 0x20) < 'a' ||
			    (a | 0x20) > 'z')
				return false;
			continue;
		}
		/* The second byte of U+00C0..U+00FE after 0xC3: ±0x20. */
		if (i > 0 && (unsigned char)v[i - 1] == 0xc3 &&
		    (a ^ b) == 0x20 && (a & ~0x20u) >= 0x80 &&
		    (a & ~0x20u) <= 0x9e && (a & ~0x20u) != 0x97)
			continue;
		return false;
	}
	return true;
}

static bool
cal_marked(const char *v, size_t n, const char *const *markers, size_t nm)
{
	for (size_t i = 0; i < nm; i++)
		if (cal_marker_eq(v, n, markers[i]))
			return true;
	return false;
}

/* One category value, trimmed, against the three marker lists. */
static void
cal_kind_value(const struct cal_markers *mk, const char *v, size_t n,
    struct cal_kind *k)
{
	while (n > 0 && (*v == ' ' || *v == '\t')) {
		v++;
		n--;
	}
	while (n > 0 && (v[n - 1] == ' ' || v[n - 1] == '\t'))
		n--;
	if (n == 0)
		return;
	k->is_snp |= cal_marked(v, n, mk->snp, mk->n_snp);
	k->is_oncall |= cal_marked(v, n, mk->oncall, mk->n_oncall);
	k->is_absent |= cal_marked(v, n, mk->absent, mk->n_absent);
}

void
cal_kind_of(const struct cal_opts *o, icalcomponent *c, struct cal_kind *k)
{
	icalproperty *p;

	memset(k, 0, sizeof(*k));
	for (p = icalcomponent_get_first_property(c, ICAL_CATEGORIES_PROPERTY);
	    p != NULL; p = icalcomponent_get_next_property(c,
	    ICAL_CATEGORIES_PROPERTY)) {
		const char *v = icalproperty_get_categories(p), *comma;

		/* libical splits values; a stray comma is split here too. */
		while (v != NULL) {
			comma = strchr(v, ',');
			cal_kind_value(&o->markers, v, comma != NULL ?
			    (size_t)(comma - v) : strlen(v), k);
			v = comma != NULL ? comma + 1 : NULL;
		}
	}
	p = icalcomponent_get_first_property(c, ICAL_STATUS_PROPERTY);
	k->is_cancelled = p != NULL &&
	    icalproperty_get_status(p) == ICAL_STATUS_CANCELLED;
	p = icalcomponent_get_first_property(c, ICAL_TRANSP_PROPERTY);
	k->is_transparent = p != NULL &&
	    (icalproperty_get_transp(p) == ICAL_TRANSP_TRANSPARENT ||
	    icalproperty_get_transp(p) == ICAL_TRANSP_TRANSPARENTNOCONFLICT);
	p = icalcomponent_get_first_property(c, ICAL_DTSTART_PROPERTY);
	k->is_all_day = p != NULL && icalproperty_get_dtstart(p).is_date;
}

/* A VEVENT, for grouping a series' master with its overrides. */
struct cal_ev {
	icalcomponent	*c;
	const char	*uid;		/* "" when absent */
	bool		 has_rid;
};

static int
cal_ev_cmp(const void *a, const void *b)
{
	const struct cal_ev *x = a, *y = b;
	int d = strcmp(x->uid, y->uid);

	if (d != 0)
		return d;
	return (int)x->has_rid - (int)y->has_rid;	/* master first */
}

static void
cal_warn(struct cal_run *r, int rc)
{
	if (rc == -1)
		r->out->warnings++;
}

/* Every VEVENT of a calendar: each series with its overrides. */
static int
cal_events(struct cal_run *r, icalcomponent *cal)
{
	struct cal_ev *ev = NULL;
	icalcomponent **ovr = NULL;
	size_t n = 0, cap = 0;
	icalcomponent *c;
	int rc = 0;

	for (c = icalcomponent_get_first_component(cal, ICAL_VEVENT_COMPONENT);
	    c != NULL; c = icalcomponent_get_next_component(cal,
	    ICAL_VEVENT_COMPONENT)) {
		const char *uid = icalcomponent_get_uid(c);

		if (n == cap) {
			size_t ncap = cap ? cap * 2 : 32;
			struct cal_ev *v = realloc(ev, ncap * sizeof(*v));

			if (v == NULL) {
				rc = cal_fail(r, CAL_ENOMEM, "out of memory");
				goto out;
			}
			ev = v;
			cap = ncap;
		}
		ev[n++] = (struct cal_ev){ c, uid != NULL ? uid : "",
		    icalcomponent_get_first_property(c,
		    ICAL_RECURRENCEID_PROPERTY) != NULL };
	}
	r->out->events += n;
	if (n == 0)
		goto out;
	qsort(ev, n, sizeof(*ev), cal_ev_cmp);
	if ((ovr = calloc(n, sizeof(*ovr))) == NULL) {
		rc = cal_fail(r, CAL_ENOMEM, "out of memory");
		goto out;
	}
	for (size_t i = 0; i < n && rc <= 0; ) {
		size_t j = i, n_ovr = 0;

		/* A UID's group: masters (no RECURRENCE-ID) first. */
		while (j < n && strcmp(ev[j].uid, ev[i].uid) == 0)
			j++;
		if (ev[i].has_rid || ev[i].uid[0] == '\0') {
			/*
			 * No master (or no UID to find one by): each stands
			 * alone, a single instance.
			 */
			for (size_t k = i; k < j && rc <= 0; k++) {
				rc = cal_expand(r, ev[k].c, NULL, 0,
				    cal_emit_event, NULL);
				cal_warn(r, rc);
			}
		} else {
			for (size_t k = i + 1; k < j; k++)
				if (ev[k].has_rid)
					ovr[n_ovr++] = ev[k].c;
			rc = cal_expand(r, ev[i].c, ovr, n_ovr,
			    cal_emit_event, NULL);
			cal_warn(r, rc);
			/* Another master of the same UID: on its own. */
			for (size_t k = i + 1; k < j && rc <= 0; k++) {
				if (ev[k].has_rid)
					continue;
				rc = cal_expand(r, ev[k].c, NULL, 0,
				    cal_emit_event, NULL);
				cal_warn(r, rc);
			}
		}
		i = j;
	}
	if (rc < 0)
		rc = 0;
out:
	free(ovr);
	free(ev);
	return rc;
}

/*
 * VFREEBUSY periods: FBTYPE=FREE offers SNP time; BUSY (the default),
 * BUSY-TENTATIVE and unknown types are busy; BUSY-UNAVAILABLE is absent.
 */
static int
cal_freebusy(struct cal_run *r, icalcomponent *cal)
{
	icalcomponent *c;
	icalproperty *p;

	for (c = icalcomponent_get_first_component(cal,
	    ICAL_VFREEBUSY_COMPONENT); c != NULL;
	    c = icalcomponent_get_next_component(cal,
	    ICAL_VFREEBUSY_COMPONENT)) {
		r->out->events++;
		for (p = icalcomponent_get_first_property(c,
		    ICAL_FREEBUSY_PROPERTY); p != NULL;
		    p = icalcomponent_get_next_property(c,
		    ICAL_FREEBUSY_PROPERTY)) {
			struct icalperiodtype pt = icalproperty_get_freebusy(p);
			icalparameter *fb = icalproperty_get_first_parameter(p,
			    ICAL_FBTYPE_PARAMETER);
			icalparameter_fbtype t = fb != NULL ?
			    icalparameter_get_fbtype(fb) : ICAL_FBTYPE_BUSY;
			struct cal_kind k = { 0 };
			bool oom = false;
			int64_t s, e;
			const struct cal_ztab *z;

			if (icaltime_is_null_time(pt.start)) {
				r->out->warnings++;
				continue;
			}
			z = cal_zones_for(&r->zones, p, pt.start);
			if (z == NULL)
				oom = true;
			s = cal_ztab_from_wall(z != NULL ? z :
			    &r->zones.territory, cal_wall_of(pt.start));
			if (!icaltime_is_null_time(pt.end))
				e = cal_ztab_from_wall(z != NULL ? z :
				    &r->zones.territory, cal_wall_of(pt.end));
			else
				e = s + icaldurationtype_as_int(pt.duration);
			if (oom)
				return cal_fail(r, CAL_ENOMEM, "out of memory");
			if (!cal_count(r))
				return r->err;
			if (t == ICAL_FBTYPE_FREE)
				k.is_snp = true;
			else if (t == ICAL_FBTYPE_BUSYUNAVAILABLE)
				k.is_absent = true;
			if (cal_emit(r, &k, s, e) != 0)
				return r->err;
		}
	}
	return 0;
}

/* The bounds of a VAVAILABILITY, within which its AVAILABLEs count. */
struct cal_range {
	int64_t	from, to;
};

static int
cal_emit_available(struct cal_run *r, const struct cal_kind *k,
    int64_t start, int64_t end, void *arg)
{
	const struct cal_range *rg = arg;
	struct cal_kind offered = { .is_snp = true };

	if (k->is_cancelled)
		return 0;
	if (start < rg->from)
		start = rg->from;
	if (end > rg->to)
		end = rg->to;
	return cal_emit(r, &offered, start, end);
}

/* RFC 7953: AVAILABLE time offers SNP time inside its VAVAILABILITY. */
static int
cal_availability(struct cal_run *r, icalcomponent *cal)
{
	icalcomponent *va, *av;

	for (va = icalcomponent_get_first_component(cal,
	    ICAL_VAVAILABILITY_COMPONENT); va != NULL;
	    va = icalcomponent_get_next_component(cal,
	    ICAL_VAVAILABILITY_COMPONENT)) {
		struct cal_range rg = { INT64_MIN, INT64_MAX };
		int64_t s, e;
		bool has_end;
		int rc;

		r->out->events++;
		/* No DTSTART: unbounded; no DTEND or DURATION: open-ended. */
		rc = cal_span_of(r, va, &s, &e, &has_end);
		if (rc > 0)
			return rc;
		if (rc == 0) {
			rg.from = s;
			if (has_end)
				rg.to = e;
		}
		for (av = icalcomponent_get_first_component(va,
		    ICAL_XAVAILABLE_COMPONENT); av != NULL;
		    av = icalcomponent_get_next_component(va,
		    ICAL_XAVAILABLE_COMPONENT)) {
			r->out->events++;
			rc = cal_expand(r, av, NULL, 0, cal_emit_available,
			    &rg);
			if (rc > 0)
				return rc;
			cal_warn(r, rc);
		}
	}
	return 0;
}

/* Is this a whole calendar: BEGIN:VCALENDAR first, END:VCALENDAR last? */
static bool
cal_is_calendar(const char *s, size_t n, char *why, size_t whylen)
{
	static const char begin[] = "BEGIN:VCALENDAR";
	static const char end[] = "END:VCALENDAR";

	while (n > 0 && (*s == ' ' || *s == '\t' || *s == '\r' || *s == '\n')) {
		s++;
		n--;
	}
	while (n > 0 && (s[n - 1] == ' ' || s[n - 1] == '\t' ||
	    s[n - 1] == '\r' || s[n - 1] == '\n'))
		n--;
	if (n < sizeof(begin) - 1 || strncasecmp(s, begin,
	    sizeof(begin) - 1) != 0) {
		snprintf(why, whylen, "does not begin with BEGIN:VCALENDAR "
		    "(an HTML page, or not a calendar?)");
		return false;
	}
	if (n < sizeof(end) - 1 || strncasecmp(s + n - (sizeof(end) - 1), end,
	    sizeof(end) - 1) != 0) {
		snprintf(why, whylen, "does not end with END:VCALENDAR "
		    "(truncated?)");
		return false;
	}
	return true;
}

/* Normalize and clip one set to the horizon. */
static int
cal_finish_set(struct ivs *s, int64_t from, int64_t to)
{
	struct ivs clipped = { 0 };

	ivs_normalize(s);
	if (ivs_clip(s, from, to, &clipped) != 0)
		return -1;
	ivs_fini(s);
	*s = clipped;
	return 0;
}

int
cal_parse(const char *text, size_t len, const struct cal_opts *opts,
    struct cal_avail *out, char *why, size_t whylen)
{
	struct cal_run r = { .opts = opts, .out = out, .why = why,
	    .whylen = whylen };
	icalcomponent *root = NULL, *cal;
	char *copy = NULL;
	int rc = CAL_OK;

	cal_avail_init(out);
	if (len > opts->max_bytes)
		return cal_fail(&r, CAL_ETOOBIG, "%zu bytes, over the limit of "
		    "%zu", len, opts->max_bytes);
	/* A UTF-8 byte-order mark is not part of the calendar. */
	if (len >= 3 && memcmp(text, "\xef\xbb\xbf", 3) == 0) {
		text += 3;
		len -= 3;
	}
	if (memchr(text, '\0', len) != NULL)
		return cal_fail(&r, CAL_ENOTCAL, "a NUL byte: not a text "
		    "calendar");
	if (!cal_is_calendar(text, len, why, whylen))
		return CAL_ENOTCAL;
	copy = malloc(len + 1);
	if (copy == NULL)
		return cal_fail(&r, CAL_ENOMEM, "out of memory");
	memcpy(copy, text, len);
	copy[len] = '\0';
	root = icalparser_parse_string(copy);
	free(copy);
	if (root == NULL)
		return cal_fail(&r, CAL_ENOTCAL, "libical could not parse it");
	if (cal_zones_init(&r.zones, opts, root) != 0) {
		icalcomponent_free(root);
		return cal_fail(&r, CAL_ENOMEM, "out of memory");
	}

	/* One VCALENDAR, or several under libical's XROOT. */
	cal = icalcomponent_isa(root) == ICAL_VCALENDAR_COMPONENT ? root :
	    icalcomponent_get_first_component(root, ICAL_VCALENDAR_COMPONENT);
	if (cal == NULL)
		cal_fail(&r, CAL_ENOTCAL, "no VCALENDAR in it");
	while (cal != NULL && r.err == CAL_OK) {
		r.zones.root = cal;
		if (cal_events(&r, cal) == 0 && cal_freebusy(&r, cal) == 0)
			cal_availability(&r, cal);
		cal = cal == root ? NULL : icalcomponent_get_next_component(root,
		    ICAL_VCALENDAR_COMPONENT);
	}
	cal_zones_fini(&r.zones);
	icalcomponent_free(root);

	if (r.err == CAL_OK &&
	    (cal_finish_set(&out->offered_snp, opts->from_utc, opts->to_utc) ||
	    cal_finish_set(&out->offered_oncall, opts->from_utc,
	    opts->to_utc) ||
	    cal_finish_set(&out->busy, opts->from_utc, opts->to_utc) ||
	    cal_finish_set(&out->absent, opts->from_utc, opts->to_utc)))
		cal_fail(&r, CAL_ENOMEM, "out of memory");
	rc = r.err;
	if (rc != CAL_OK) {
		size_t events = out->events;
		int64_t instances = out->instances;

		cal_avail_fini(out);
		out->events = events;
		out->instances = instances;
	}
	return rc;
}
