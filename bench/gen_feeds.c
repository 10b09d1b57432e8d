/* Synthetic GP agendas for the benchmark: what a year of them holds. */
#include "bench/gen_feeds.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bench/gen_int.h"

#define GEN_MAX_INST	512	/* instance days of a series: a year is 320 */
#define GEN_MAX_EX	64	/* EXDATEs of a series */
#define GEN_ZONE_OUTLOOK "Romance Standard Time"
#define GEN_ZONE_CUSTOM	"Customized Time Zone"	/* Outlook's, when edited */

static const char *const gen_style_names[GEN_STYLE_COUNT] = {
	"outlook", "google", "thunderbird", "floating", "utc",
};

/* Percent of feeds per style in GEN_MIX_REAL: what a CPTS receives. */
static const int gen_style_share[GEN_STYLE_COUNT] = { 35, 35, 15, 8, 7 };

static const char *const gen_wdays[7] = {
	"SU", "MO", "TU", "WE", "TH", "FR", "SA",
};

/* French public holidays, which agendas skip by EXDATE (2024-2027). */
static const int gen_holidays[][3] = {
	{ 2024, 11, 1 }, { 2024, 11, 11 }, { 2024, 12, 25 },
	{ 2025, 1, 1 }, { 2025, 4, 21 }, { 2025, 5, 1 }, { 2025, 5, 8 },
	{ 2025, 5, 29 }, { 2025, 6, 9 }, { 2025, 7, 14 }, { 2025, 8, 15 },
	{ 2025, 11, 1 }, { 2025, 11, 11 }, { 2025, 12, 25 },
	{ 2026, 1, 1 }, { 2026, 4, 6 }, { 2026, 5, 1 }, { 2026, 5, 8 },
	{ 2026, 5, 14 }, { 2026, 5, 25 }, { 2026, 7, 14 }, { 2026, 8, 15 },
	{ 2026, 11, 1 }, { 2026, 11, 11 }, { 2026, 12, 25 },
	{ 2027, 1, 1 }, { 2027, 3, 29 }, { 2027, 5, 1 }, { 2027, 5, 8 },
};

/* One-off events: what a year of a GP's agenda holds besides consults. */
static const struct {
	const char	*summary;
	int		 start_s, len_s;	/* len 0: an all-day event */
	bool		 is_meeting;		/* invitations, long text */
	bool		 is_transparent;
} gen_kinds[] = {
	{ "Réunion CPTS - commission SNP", 19 * GEN_HOUR, 2 * GEN_HOUR,
	    true, false },
	{ "Staff MSP pluriprofessionnel", 12 * GEN_HOUR + 30 * GEN_MIN,
	    90 * GEN_MIN, true, false },
	{ "Formation FMC - antibiothérapie", 9 * GEN_HOUR, 8 * GEN_HOUR,
	    false, false },
	{ "Visite à domicile", 13 * GEN_HOUR, GEN_HOUR, false, false },
	{ "Rendez-vous personnel", 16 * GEN_HOUR, 90 * GEN_MIN, false,
	    false },
	{ "Webinaire HAS - recommandations", 20 * GEN_HOUR + 30 * GEN_MIN,
	    GEN_HOUR, true, false },
	{ "Rappel : déclaration URSSAF", 8 * GEN_HOUR, 15 * GEN_MIN, false,
	    true },
	{ "Comptable - bilan", 12 * GEN_HOUR, GEN_HOUR, false, false },
	{ "Congrès de médecine générale", 0, 0, false, false },
	{ "Groupe de pairs", 20 * GEN_HOUR, 2 * GEN_HOUR, true, false },
};

/* One feed being made. */
struct gen_ctx {
	const struct gen_opts	*o;
	struct gen_ics		 w;		/* its text */
	uint64_t		 rng;
	int64_t			 h_day;		/* the horizon's first day */
	int64_t			 h_end;		/* the day after its last */
	int64_t			 t0_day;	/* the GP's series begin then */
	int64_t			 vac[4];	/* vacation weeks' Mondays */
	size_t			 n_vac;
	bool			 has_vac_exdates;	/* series skip them */
};

/* A weekly series and what it means. */
struct gen_series {
	const char	*summary, *category, *location;
	int		 days;		/* bit d: weekday d, 0 = Sunday */
	int		 interval;
	int64_t		 first_day;	/* DTSTART: the first match from it */
	int64_t		 until_day;	/* 0: the series picks its own end */
	int		 start_s, end_s;	/* after 00:00; may pass 24 h */
	bool		 is_transparent;
	int		 n_ovr;		/* moved or cancelled instances */
	int		 n_sick;	/* instances deleted, by EXDATE */
};

/* splitmix64: small, seedable, the same on every machine. */
static uint64_t
gen_next(uint64_t *s)
{
	uint64_t z = (*s += 0x9e3779b97f4a7c15ull);

	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
	return z ^ (z >> 31);
}

/* Uniform in [lo, hi]. */
static int
gen_int(struct gen_ctx *x, int lo, int hi)
{
	return lo + (int)(gen_next(&x->rng) % (uint64_t)(hi - lo + 1));
}

static bool
gen_chance(struct gen_ctx *x, int percent)
{
	return gen_int(x, 0, 99) < percent;
}

const char *
gen_style_name(enum gen_style s)
{
	return s < GEN_STYLE_COUNT ? gen_style_names[s] : "?";
}

/* A UID of the program's shape; its words drawn in a fixed order. */
static void
gen_uid(struct gen_ctx *x, char *out, size_t len)
{
	uint64_t a = gen_next(&x->rng), b = gen_next(&x->rng);

	gen_ics_uid(&x->w, a, b, out, len);
}


static bool
gen_is_holiday(int64_t day)
{
	for (size_t i = 0; i < sizeof(gen_holidays) / sizeof(gen_holidays[0]);
	    i++)
		if (gen_ics_days(gen_holidays[i][0], gen_holidays[i][1],
		    gen_holidays[i][2]) == day)
			return true;
	return false;
}

static bool
gen_is_vacation(const struct gen_ctx *x, int64_t day)
{
	for (size_t i = 0; i < x->n_vac; i++)
		if (day >= x->vac[i] && day < x->vac[i] + 7)
			return true;
	return false;
}

/* The days of a weekly series from its DTSTART's day to last. */
static size_t
gen_instances(const struct gen_series *s, int64_t first, int64_t last,
    int64_t *out)
{
	int64_t week0 = first - (gen_ics_wday(first) + 6) % 7;	/* WKST=MO */
	size_t n = 0;

	for (int64_t d = first; d <= last && n < GEN_MAX_INST; d++)
		if ((s->days >> gen_ics_wday(d) & 1) &&
		    (d - week0) / 7 % s->interval == 0)
			out[n++] = d;
	return n;
}

/* The RRULE's value, its parts in the order the style writes them. */
static void
gen_rrule(struct gen_ctx *x, const struct gen_series *s, int64_t until_day,
    int count, int utc_shift, char *out, size_t len)
{
	char until[48] = "", days[32] = "", every[16] = "", t[20];
	size_t n = 0;

	for (int d = 1; d <= 7; d++)		/* Monday first */
		if (s->days >> (d % 7) & 1)
			n += (size_t)snprintf(days + n, sizeof(days) - n,
			    "%s%s", n > 0 ? "," : "", gen_wdays[d % 7]);
	if (until_day != 0 && x->w.style == GEN_FLOATING)
		snprintf(until, sizeof(until), "UNTIL=%s;", gen_ics_fmt(t,
		    until_day * GEN_DAY + GEN_DAY - 1, false));
	else if (until_day != 0 && x->w.style == GEN_UTC)
		snprintf(until, sizeof(until), "UNTIL=%sZ;", gen_ics_fmt(t,
		    until_day * GEN_DAY + s->start_s - utc_shift, false));
	else if (until_day != 0 && x->w.style == GEN_GOOGLE)
		snprintf(until, sizeof(until), "UNTIL=%s;", gen_ics_fmt_utc(t,
		    until_day * GEN_DAY + GEN_DAY - 1));
	else if (until_day != 0)
		snprintf(until, sizeof(until), "UNTIL=%s;", gen_ics_fmt_utc(t,
		    until_day * GEN_DAY + s->start_s));
	else if (count > 0)
		snprintf(until, sizeof(until), "COUNT=%d;", count);
	/* Outlook always writes INTERVAL; the others only past 1. */
	if (s->interval > 1 || x->w.style == GEN_OUTLOOK)
		snprintf(every, sizeof(every), "INTERVAL=%d;", s->interval);
	if (x->w.style == GEN_OUTLOOK)
		snprintf(out, len, "FREQ=WEEKLY;%s%sBYDAY=%s;WKST=MO", until,
		    every, days);
	else if (x->w.style == GEN_GOOGLE)
		snprintf(out, len, "FREQ=WEEKLY;WKST=MO;%s%sBYDAY=%s", until,
		    every, days);
	else
		snprintf(out, len, "FREQ=WEEKLY;%s%sBYDAY=%s", until, every,
		    days);
}

/*
 * A weekly series with its EXDATEs (holidays, vacations when the GP
 * deletes them, a few sick days) and overrides (moved or cancelled),
 * the overrides a third of the time inside the horizon.
 */
static void
gen_series(struct gen_ctx *x, const struct gen_series *s)
{
	int64_t inst[GEN_MAX_INST], ex[GEN_MAX_EX], first = s->first_day;
	int64_t until_day = s->until_day, last;
	bool is_gone[GEN_MAX_INST] = { false };
	char uid[128], rrule[160];
	size_t n, n_ex = 0, n_h0, n_h1;
	int count = 0, end, shift = 0;
	struct gen_ev e;

	while (!(s->days >> gen_ics_wday(first) & 1))
		first++;
	/* A UTC series repeats at DTSTART's UTC time, whatever DST does. */
	if (x->w.style == GEN_UTC)
		shift = gen_ics_paris_off(first * GEN_DAY + s->start_s);
	end = until_day != 0 ? 0 : gen_int(x, 0, 99);
	if (end >= 45 && end < 80)
		until_day = x->h_end + gen_int(x, 30, 200);
	last = until_day != 0 ? until_day : x->h_end + 7 * gen_int(x, 1, 10);
	n = gen_instances(s, first, last, inst);
	if (end >= 80)
		count = (int)n;		/* the same instances, by COUNT */
	for (n_h0 = 0; n_h0 < n && inst[n_h0] < x->h_day; n_h0++)
		;
	for (n_h1 = n_h0; n_h1 < n && inst[n_h1] < x->h_end; n_h1++)
		;
	for (size_t i = 0; i < n && n_ex < GEN_MAX_EX; i++)
		if (gen_is_holiday(inst[i]) || (x->has_vac_exdates &&
		    gen_is_vacation(x, inst[i]))) {
			is_gone[i] = true;
			ex[n_ex++] = inst[i] * GEN_DAY + s->start_s - shift;
		}
	for (int k = 0; k < s->n_sick && n_h0 > 0 && n_ex < GEN_MAX_EX; k++) {
		size_t i = (size_t)gen_int(x, 0, (int)n_h0 - 1);

		if (!is_gone[i]) {
			is_gone[i] = true;
			ex[n_ex++] = inst[i] * GEN_DAY + s->start_s - shift;
		}
	}
	/* Outlook and Google keep EXDATEs in time order. */
	for (size_t i = 1; i < n_ex; i++)
		for (size_t j = i; j > 0 && ex[j - 1] > ex[j]; j--) {
			int64_t t = ex[j];

			ex[j] = ex[j - 1];
			ex[j - 1] = t;
		}
	gen_uid(x, uid, sizeof(uid));
	gen_rrule(x, s, until_day, count, shift, rrule, sizeof(rrule));
	e = (struct gen_ev){ .uid = uid, .summary = s->summary,
	    .category = s->category, .location = s->location,
	    .description = gen_ics_description(&x->w, GEN_TEXT_SERIES),
	    .start = first * GEN_DAY + s->start_s - shift,
	    .end = first * GEN_DAY + s->end_s - shift,
	    .is_instant = x->w.style == GEN_UTC,
	    .is_transparent = s->is_transparent, .rrule = rrule,
	    .exdates = ex, .n_exdates = n_ex, .seq = gen_int(x, 0, 3),
	    .has_alarm = x->w.style == GEN_THUNDERBIRD && gen_chance(x, 50) };
	gen_ics_event(&x->w, &e);

	for (int k = 0; k < s->n_ovr && n > 0; k++) {
		bool in_h = n_h1 > n_h0 && gen_chance(x, 35);
		size_t i = in_h ? n_h0 + (size_t)gen_int(x, 0,
		    (int)(n_h1 - n_h0) - 1) : (size_t)gen_int(x, 0,
		    (int)(n_h0 > 0 ? n_h0 : n) - 1);
		int how = gen_int(x, 0, 9);
		int64_t move = how < 5 ? (gen_int(x, -2, 2) | 1) * 30 *
		    GEN_MIN : how < 7 ? GEN_DAY : 0;
		struct gen_ev o = e;

		if (is_gone[i])
			continue;
		is_gone[i] = true;
		o.rrule = NULL;
		o.n_exdates = 0;
		o.has_alarm = false;
		o.rid = inst[i] * GEN_DAY + s->start_s - shift;
		o.start = o.rid + move;
		o.end = o.rid + (s->end_s - s->start_s) + move;
		o.is_cancelled = how >= 7;
		o.seq = e.seq + 1;
		gen_ics_event(&x->w, &o);
	}
}

/* Consultations: mornings and afternoons, a weekday afternoon off. */
static void
gen_consultations(struct gen_ctx *x, int off_day)
{
	static const char *const names[] = { "Consultations",
		"Consultations sur RDV", "Cabinet - consultations",
		"Consultations sans RDV" };
	int am = 0x3e, pm = 0x3e & ~(1 << off_day);	/* Monday-Friday */
	int am_s = gen_int(x, 16, 18) * 30 * GEN_MIN;
	int pm_s = gen_int(x, 28, 29) * 30 * GEN_MIN;
	bool is_grouped = gen_chance(x, 50), has_change = gen_chance(x, 40);
	int64_t split = x->h_day - gen_int(x, 90, 200);
	struct gen_series s = { .location = "Cabinet médical", .interval = 1,
	    .first_day = x->t0_day };

	if (gen_chance(x, 30))
		am &= ~(1 << gen_int(x, 1, 5));
	if (gen_chance(x, 30))
		am |= 1 << 6;			/* Saturday mornings */
	if (gen_chance(x, 20))
		pm &= ~(1 << gen_int(x, 1, 5));
	for (int half = 0; half < 2; half++) {
		int set = half == 0 ? am : pm;

		s.summary = names[gen_int(x, 0, 3)];
		s.start_s = half == 0 ? am_s : pm_s;
		s.end_s = half == 0 ? gen_int(x, 24, 25) * 30 * GEN_MIN :
		    gen_int(x, 37, 39) * 30 * GEN_MIN;
		for (int d = 0; d < 7; d++) {
			/* Grouped: one series, BYDAY=MO,TU,TH,FR. */
			if (is_grouped ? d != 0 : !(set >> d & 1))
				continue;
			s.days = is_grouped ? set : 1 << d;
			s.n_ovr = gen_int(x, 0, 2);
			s.n_sick = gen_int(x, 0, 3);
			s.first_day = x->t0_day;
			s.until_day = 0;
			if (half == 0 && has_change) {
				/* The timetable changed during the year. */
				s.until_day = split;
				gen_series(x, &s);
				s.first_day = split + 1;
				s.until_day = 0;
				s.start_s -= 30 * GEN_MIN;
				gen_series(x, &s);
				s.start_s += 30 * GEN_MIN;
			} else
				gen_series(x, &s);
		}
	}
}

/* SNP afternoons and on-call evenings, the GP's offered time. */
static void
gen_offered(struct gen_ctx *x, int off_day)
{
	static const char *const snp[] = { "SNP", "SNP", "Snp",
		"Cabinet,SNP" };
	static const char *const oncall[] = { "ASTREINTE", "Astreinte" };
	struct gen_series s = { .location = "Cabinet médical",
	    .first_day = x->t0_day + gen_int(x, 0, 60) };
	int n = gen_int(x, 1, 2);

	for (int i = 0; i < n; i++) {
		s.summary = "Plage SNP - régulation CPTS";
		s.category = snp[gen_int(x, 0, 3)];
		s.days = 1 << (i == 0 ? off_day : gen_int(x, 1, 5));
		s.interval = gen_chance(x, 30) ? 2 : 1;
		s.start_s = gen_chance(x, 60) ? 14 * GEN_HOUR : 16 * GEN_HOUR;
		s.end_s = s.start_s + 4 * GEN_HOUR;
		s.is_transparent = gen_chance(x, 40);
		s.n_ovr = gen_int(x, 0, 2);
		s.n_sick = gen_int(x, 0, 2);
		gen_series(x, &s);
	}
	if (!gen_chance(x, 70))
		return;
	s.summary = "Astreinte - permanence des soins";
	s.category = oncall[gen_int(x, 0, 1)];
	s.location = NULL;
	s.days = 1 << gen_int(x, 1, 5);
	s.interval = gen_chance(x, 50) ? 1 : gen_chance(x, 50) ? 2 : 4;
	s.start_s = 20 * GEN_HOUR;
	s.end_s = 24 * GEN_HOUR;
	s.is_transparent = false;
	s.n_ovr = gen_int(x, 0, 1);
	s.n_sick = 0;
	gen_series(x, &s);
}

/* Vacation weeks: picked first, so that series can skip them. */
static void
gen_pick_vacations(struct gen_ctx *x)
{
	/* Days from the horizon's start: spring, summer, autumn, ... */
	static const int windows[][2] = { { -335, -310 }, { -250, -200 },
		{ -150, -135 }, { -95, -88 }, { -50, -30 }, { 100, 150 } };
	size_t nw = sizeof(windows) / sizeof(windows[0]);
	size_t n = (size_t)gen_int(x, 2, 4), w = (size_t)gen_int(x, 0,
	    (int)nw - 1);

	x->n_vac = 0;
	if (gen_chance(x, 15))			/* one inside the horizon */
		x->vac[x->n_vac++] = x->h_day + gen_int(x, -3, 25);
	while (x->n_vac < n) {
		int64_t d = x->h_day + gen_int(x, windows[w][0],
		    windows[w][1]);

		x->vac[x->n_vac++] = d;
		w = (w + 1 + (size_t)gen_int(x, 0, 1)) % nw;
	}
	for (size_t i = 0; i < x->n_vac; i++)
		x->vac[i] -= (gen_ics_wday(x->vac[i]) + 6) % 7;	/* Monday */
	x->has_vac_exdates = gen_chance(x, 60);
}

static void
gen_vacations(struct gen_ctx *x)
{
	static const char *const cat[] = { "CONGES", "Congés", "VACANCES",
		"CONGÉS" };
	char uid[128];

	for (size_t i = 0; i < x->n_vac; i++) {
		struct gen_ev e = { .uid = uid, .summary = "Congés",
		    .category = cat[gen_int(x, 0, 3)],
		    .start = x->vac[i] * GEN_DAY,
		    .end = (x->vac[i] + (gen_chance(x, 50) ? 7 : 6)) * GEN_DAY,
		    .is_all_day = true };

		gen_uid(x, uid, sizeof(uid));
		gen_ics_event(&x->w, &e);
	}
}

/* A one-off: a meeting, a training day, a personal appointment. */
static void
gen_one_off(struct gen_ctx *x)
{
	size_t k = (size_t)gen_int(x, 0,
	    (int)(sizeof(gen_kinds) / sizeof(gen_kinds[0])) - 1);
	int64_t day = x->h_day + gen_int(x, -380, 100);
	char uid[128];
	/* Only Outlook and Google export who was invited. */
	bool has_people = gen_kinds[k].is_meeting &&
	    (x->w.style == GEN_OUTLOOK || x->w.style == GEN_GOOGLE);
	struct gen_ev e = { .uid = uid, .summary = gen_kinds[k].summary,
	    .is_transparent = gen_kinds[k].is_transparent,
	    .seq = gen_int(x, 0, 2) };

	if (gen_ics_wday(day) == 0)
		day++;
	if (gen_kinds[k].len_s == 0) {
		e.is_all_day = true;
		e.start = day * GEN_DAY;
		e.end = e.start + GEN_DAY * gen_int(x, 1, 2);
	} else {
		e.start = day * GEN_DAY + gen_kinds[k].start_s;
		e.end = e.start + gen_kinds[k].len_s;
	}
	/* Invitations arrive in UTC in Google's exports. */
	e.is_utc = x->w.style == GEN_GOOGLE && has_people;
	if (gen_kinds[k].is_meeting)
		e.description = gen_ics_description(&x->w, GEN_TEXT_MEETING);
	else if (gen_chance(x, 30))
		e.description = gen_ics_description(&x->w, GEN_TEXT_NOTE);
	e.location = gen_chance(x, 50) ? "Maison de santé, salle de réunion" :
	    NULL;
	e.has_alarm = gen_chance(x, x->w.style == GEN_OUTLOOK ? 60 : 25);
	gen_uid(x, uid, sizeof(uid));
	if (has_people) {
		e.first_person = (size_t)gen_int(x, 0,
		    (int)gen_ics_people() - 1);
		e.n_people = gen_int(x, 2, 6);
	}
	gen_ics_event(&x->w, &e);
}

static int
gen_one(const struct gen_opts *o, size_t gp, struct gen_feed *f)
{
	struct gen_ctx x = { .o = o, .w.gp = gp };
	int r, off_day;
	double u;
	size_t target;

	x.rng = o->seed ^ (0xd1b54a32d192ed03ull * (gp + 1));
	(void)gen_next(&x.rng);
	r = gen_int(&x, 0, 99);
	for (x.w.style = GEN_OUTLOOK; x.w.style + 1 < GEN_STYLE_COUNT &&
	    r >= gen_style_share[x.w.style]; x.w.style++)
		r -= gen_style_share[x.w.style];
	if (o->mix == GEN_MIX_OUTLOOK)
		x.w.style = GEN_OUTLOOK;
	x.w.tzid = x.w.style == GEN_OUTLOOK ? (o->is_custom_zone ?
	    GEN_ZONE_CUSTOM : GEN_ZONE_OUTLOOK) :
	    x.w.style == GEN_GOOGLE ? "Europe/Paris" :
	    x.w.style == GEN_THUNDERBIRD ?
	    "/mozilla.org/20070129_1/Europe/Paris" : NULL;
	if (x.w.style == GEN_OUTLOOK && o->is_custom_zone) {
		x.w.alias = GEN_ZONE_CUSTOM;
		x.w.alias_delta = (int)strlen(GEN_ZONE_OUTLOOK) -
		    (int)strlen(GEN_ZONE_CUSTOM);
	}
	x.h_day = gen_ics_days(o->year, o->month, o->day);
	x.h_end = x.h_day + o->days;
	x.t0_day = x.h_day - 364 - gen_int(&x, 0, 42);
	gen_ics_fmt_utc(x.w.stamp, x.h_day * GEN_DAY - GEN_HOUR);
	/* 10 to 60 KB, median near 20: a year of history and its clutter. */
	u = (double)gen_int(&x, 0, 10000) / 10000.0;
	target = 10240 + 700 + (size_t)(48000.0 * u * u * (0.4 + 0.6 * u));
	off_day = gen_int(&x, 1, 5);

	gen_ics_header(&x.w);
	gen_pick_vacations(&x);
	gen_consultations(&x, off_day);
	gen_offered(&x, off_day);
	gen_vacations(&x);
	while (x.w.n_usual + 700 < target && !x.w.is_oom)
		gen_one_off(&x);
	gen_ics_line(&x.w, "END:VCALENDAR");
	if (x.w.is_oom) {
		free(x.w.p);
		return -1;
	}
	f->text = realloc(x.w.p, x.w.n + 1);
	if (f->text == NULL)
		f->text = x.w.p;
	f->len = x.w.n;
	f->style = x.w.style;
	return 0;
}

int
gen_feeds(const struct gen_opts *o, size_t n, struct gen_feed **out)
{
	struct gen_feed *v = calloc(n > 0 ? n : 1, sizeof(*v));

	if (v == NULL)
		return -1;
	for (size_t i = 0; i < n; i++)
		if (gen_one(o, i, &v[i]) != 0) {
			gen_feeds_free(v, n);
			return -1;
		}
	*out = v;
	return 0;
}

void
gen_feeds_free(struct gen_feed *v, size_t n)
{
	if (v == NULL)
		return;
	for (size_t i = 0; i < n; i++)
		free(v[i].text);
	free(v);
}
