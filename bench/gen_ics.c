/* GP agendas as text: iCalendar written the way each program writes it. */
#include "bench/gen_int.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define GEN_FOLD	75	/* octets a line holds (RFC 5545 3.1) */

/* Escaped DESCRIPTION texts, as each program fills them. */
static const char gen_teams[] =
	"\\n________________________________________________________________"
	"________________\\nRéunion Microsoft Teams\\nRejoindre sur votre "
	"ordinateur\\, application mobile ou appareil de salle\\nCliquez ici "
	"pour rejoindre la réunion<https://teams.microsoft.com/l/meetup-join/"
	"19%3ameeting_NjQ5ZTk3YzMtYjA1Ni00ZmE3LWI0NzItOWM2ZDQ1NzRkNTJh%40thre"
	"ad.v2/0?context=%7b%22Tid%22%3a%22c3a1d7e2-8f40-4b0c-9d6e-2a5b7c9e1f"
	"30%22%7d>\\nID de la réunion : 318 442 907 615\\nCode secret : "
	"uK7pQ3\\nTélécharger Teams<https://www.microsoft.com/fr-fr/microsoft"
	"-teams/download-app> | Rejoindre sur le web<https://www.microsoft.co"
	"m/microsoft-teams/join-a-meeting>\\nPour en savoir plus<https://aka."
	"ms/JoinTeamsMeeting> | Options de réunion<https://teams.microsoft.co"
	"m/meetingOptions/>\\n_________________________________________________"
	"_______________________________\\n";
static const char gen_meet[] =
	"Ordre du jour : organisation des créneaux de soins non "
	"programmés\\, point sur la régulation et les astreintes du "
	"trimestre.\\n\\n-::~:~::"
	"~:~:~:~:~:~:~:~:~:~:~:~:~:~:~:~:~:~:~:~:~:~:~:~:~:~:~:~:~:~:~:~:~::~:"
	"~::-\\nRejoindre avec Google Meet : https://meet.google.com/qzx-hmwp-"
	"rke\\n\\nPour en savoir plus sur Meet : https://support.google.com/a"
	"/users/answer/9282720\\n\\nVeuillez ne pas modifier cette section.\\n"
	"-::~:~::~:~:~:~:~:~:~:~:~:~:~:~:~:~:~:~:~:~:~:~:~:~:~:~:~:~:~:~:~:~:~"
	":~::~:~::-";
static const char gen_short[] =
	"Créneaux réservés aux patients du cabinet\\, prise de "
	"rendez-vous en ligne ou par le secrétariat.";

const char *
gen_ics_description(const struct gen_ics *w, enum gen_text what)
{
	switch (what) {
	case GEN_TEXT_SERIES:
		return w->style == GEN_GOOGLE ? gen_short : NULL;
	case GEN_TEXT_MEETING:
		return w->style == GEN_OUTLOOK ? gen_teams :
		    w->style == GEN_GOOGLE ? gen_meet : gen_short;
	default:
		return gen_short;
	}
}

static const char *const gen_people[] = {
	"Dr Anne Martin", "Dr Paul Bernard", "Claire Petit (IDE)",
	"Dr Luc Moreau", "Sophie Laurent (coordinatrice CPTS)",
	"Dr Marc Girard", "Julie Roux (secrétariat)", "Dr Inès Fournier",
};

/* --- text ------------------------------------------------------------ */

static void
gen_put(struct gen_ics *w, const char *s, size_t n)
{
	if (w->is_oom)
		return;
	if (w->n + n + 1 > w->cap) {
		size_t ncap = w->cap ? w->cap : 16384;
		char *p;

		while (ncap < w->n + n + 1)
			ncap *= 2;
		if ((p = realloc(w->p, ncap)) == NULL) {
			w->is_oom = true;
			return;
		}
		w->p = p;
		w->cap = ncap;
	}
	memcpy(w->p + w->n, s, n);
	w->n += n;
	w->p[w->n] = '\0';
}

/* One content line, folded at 75 octets, never inside a UTF-8 character. */
void
gen_ics_line(struct gen_ics *w, const char *fmt, ...)
{
	char s[4096];
	size_t n, at = 0, room = GEN_FOLD;
	va_list ap;
	int len;

	va_start(ap, fmt);
	len = vsnprintf(s, sizeof(s), fmt, ap);
	va_end(ap);
	n = len < 0 ? 0 : (size_t)len < sizeof(s) ? (size_t)len :
	    sizeof(s) - 1;
	w->n_usual += n + 2;
	for (const char *p = s; w->alias != NULL &&
	    (p = strstr(p, w->alias)) != NULL; p++)
		w->n_usual += (size_t)w->alias_delta;
	while (n - at > room) {
		size_t cut = at + room;

		while (cut > at && ((unsigned char)s[cut] & 0xc0) == 0x80)
			cut--;
		gen_put(w, s + at, cut - at);
		gen_put(w, "\r\n ", 3);
		at = cut;
		room = GEN_FOLD - 1;	/* the leading space counts */
	}
	gen_put(w, s + at, n - at);
	gen_put(w, "\r\n", 2);
}

/* --- calendar arithmetic ---------------------------------------------- */

/* Days since 1970-01-01 of a civil date (proleptic Gregorian). */
int64_t
gen_ics_days(int y, int m, int d)
{
	int64_t era, yoe, doy;

	y -= m <= 2;
	era = (y >= 0 ? y : y - 399) / 400;
	yoe = y - era * 400;
	doy = (153 * (m > 2 ? m - 3 : m + 9) + 2) / 5 + d - 1;
	return era * 146097 + yoe * 365 + yoe / 4 - yoe / 100 + doy - 719468;
}

static void
gen_civil(int64_t z, int *y, int *m, int *d)
{
	int64_t era, doe, yoe, doy, mp;

	z += 719468;
	era = (z >= 0 ? z : z - 146096) / 146097;
	doe = z - era * 146097;
	yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
	doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
	mp = (5 * doy + 2) / 153;
	*d = (int)(doy - (153 * mp + 2) / 5 + 1);
	*m = (int)(mp < 10 ? mp + 3 : mp - 9);
	*y = (int)(yoe + era * 400 + (*m <= 2));
}

/* 0 = Sunday; 1970-01-01 was a Thursday. */
int
gen_ics_wday(int64_t day)
{
	return (int)((day % 7 + 11) % 7);
}

static int64_t
gen_last_sunday(int y, int m)
{
	int64_t d = gen_ics_days(m == 12 ? y + 1 : y, m == 12 ? 1 : m + 1,
	    1) - 1;

	return d - gen_ics_wday(d);
}

/* Paris's offset at a local wall time, by the EU rules. */
int
gen_ics_paris_off(int64_t wall)
{
	int y, m, d;
	int64_t on, off;

	gen_civil(wall / GEN_DAY, &y, &m, &d);
	on = gen_last_sunday(y, 3) * GEN_DAY + 2 * GEN_HOUR;
	off = gen_last_sunday(y, 10) * GEN_DAY + 3 * GEN_HOUR;
	return wall >= on && wall < off ? 2 * GEN_HOUR : GEN_HOUR;
}

/* "YYYYMMDDTHHMMSS", or "YYYYMMDD" for a date. */
const char *
gen_ics_fmt(char out[20], int64_t wall, bool is_date)
{
	int64_t s = wall % GEN_DAY;
	int y, m, d;

	gen_civil(wall / GEN_DAY, &y, &m, &d);
	if (is_date)
		snprintf(out, 20, "%04d%02d%02d", y, m, d);
	else
		snprintf(out, 20, "%04d%02d%02dT%02d%02d%02d", y, m, d,
		    (int)(s / GEN_HOUR), (int)(s / GEN_MIN % 60),
		    (int)(s % 60));
	return out;
}

const char *
gen_ics_fmt_utc(char out[20], int64_t wall)
{
	gen_ics_fmt(out, wall - gen_ics_paris_off(wall), false);
	strcat(out, "Z");
	return out;
}

/* --- properties -------------------------------------------------------- */

void
gen_ics_uid(const struct gen_ics *w, uint64_t a, uint64_t b, char *out,
    size_t len)
{
	static const char b32[] = "0123456789abcdefghijklmnopqrstuv";
	char g[27];

	switch (w->style) {
	case GEN_OUTLOOK:
		snprintf(out, len, "040000008200E00074C5B7101A82E00800000000"
		    "%016llX000000000000000010000000%016llX",
		    (unsigned long long)a, (unsigned long long)b);
		break;
	case GEN_GOOGLE:
		for (size_t i = 0; i < 26; i++)
			g[i] = b32[(i < 13 ? a >> (5 * i) : b >> (5 * (i - 13)))
			    & 31];
		g[26] = '\0';
		snprintf(out, len, "%s@google.com", g);
		break;
	case GEN_THUNDERBIRD:
		snprintf(out, len, "%08x-%04x-4%03x-%04x-%012llx",
		    (unsigned)(a >> 32), (unsigned)(a >> 16) & 0xffff,
		    (unsigned)a & 0xfff,
		    ((unsigned)(b >> 48) & 0x3fff) | 0x8000,
		    (unsigned long long)b & 0xffffffffffffull);
		break;
	default:
		snprintf(out, len, "rdv-%zu-%016llx@agenda.cabinet.example",
		    w->gp, (unsigned long long)a);
		break;
	}
}

/*
 * A DTSTART-like property in the feed's way of writing times: wall is
 * Paris wall clock, or with is_instant a UTC instant written as such.
 */
static void
gen_time(struct gen_ics *w, const char *name, int64_t wall, bool is_date,
    bool is_utc, bool is_instant)
{
	char t[20];

	if (is_date)
		gen_ics_line(w, "%s;VALUE=DATE:%s", name,
		    gen_ics_fmt(t, wall, true));
	else if (is_instant)
		gen_ics_line(w, "%s:%sZ", name, gen_ics_fmt(t, wall, false));
	else if (is_utc || w->style == GEN_UTC)
		gen_ics_line(w, "%s:%s", name, gen_ics_fmt_utc(t, wall));
	else if (w->tzid == NULL)
		gen_ics_line(w, "%s:%s", name, gen_ics_fmt(t, wall, false));
	else
		gen_ics_line(w, "%s;TZID=%s:%s", name, w->tzid,
		    gen_ics_fmt(t, wall, false));
}

/* Outlook lists EXDATEs on one line; the others write one a line. */
static void
gen_exdates(struct gen_ics *w, const struct gen_ev *e)
{
	char s[2048], t[20];
	size_t n;

	if (e->n_exdates == 0)
		return;
	if (w->style != GEN_OUTLOOK) {
		for (size_t i = 0; i < e->n_exdates; i++)
			gen_time(w, "EXDATE", e->exdates[i], e->is_all_day,
			    false, e->is_instant);
		return;
	}
	n = (size_t)snprintf(s, sizeof(s), "EXDATE;TZID=%s:", w->tzid);
	for (size_t i = 0; i < e->n_exdates && n + 20 < sizeof(s); i++)
		n += (size_t)snprintf(s + n, sizeof(s) - n, "%s%s",
		    i > 0 ? "," : "", gen_ics_fmt(t, e->exdates[i], false));
	gen_ics_line(w, "%s", s);
}

size_t
gen_ics_people(void)
{
	return sizeof(gen_people) / sizeof(gen_people[0]);
}

static void
gen_people_lines(struct gen_ics *w, const struct gen_ev *e)
{
	size_t np = gen_ics_people(), first = e->first_person % np;
	int n = e->n_people;

	gen_ics_line(w, "ORGANIZER;CN=\"%s\":mailto:coordination@cpts-exemp"
	    "le.fr", gen_people[first]);
	for (int i = 0; i < n; i++)
		gen_ics_line(w, "ATTENDEE;CUTYPE=INDIVIDUAL;ROLE=REQ-PARTICIPA"
		    "NT;PARTSTAT=%s;RSVP=TRUE;CN=\"%s\":mailto:gp%zu.%d@cpts-ex"
		    "emple.fr", i % 3 == 2 ? "TENTATIVE" : "ACCEPTED",
		    gen_people[(first + 1 + (size_t)i) % np], w->gp, i);
}

static void
gen_event_outlook(struct gen_ics *w, const struct gen_ev *e)
{
	const char *busy = e->is_all_day ? "OOF" : e->is_transparent ? "FREE" :
	    "BUSY";
	char t[20];

	if (e->category != NULL)
		gen_ics_line(w, "CATEGORIES:%s", e->category);
	gen_ics_line(w, "CLASS:PUBLIC");
	gen_ics_line(w, "CREATED:%s", gen_ics_fmt_utc(t,
	    e->start - 20 * GEN_DAY));
	if (e->description != NULL)
		gen_ics_line(w, "DESCRIPTION:%s", e->description);
	gen_time(w, "DTEND", e->end, e->is_all_day, e->is_utc,
	    e->is_instant);
	gen_ics_line(w, "DTSTAMP:%s", w->stamp);
	gen_time(w, "DTSTART", e->start, e->is_all_day, e->is_utc,
	    e->is_instant);
	gen_exdates(w, e);
	gen_ics_line(w, "LAST-MODIFIED:%s", w->stamp);
	if (e->location != NULL)
		gen_ics_line(w, "LOCATION:%s", e->location);
	if (e->n_people > 0)
		gen_people_lines(w, e);
	gen_ics_line(w, "PRIORITY:5");
	if (e->rid != 0)
		gen_time(w, "RECURRENCE-ID", e->rid, e->is_all_day, false,
		    e->is_instant);
	if (e->rrule != NULL)
		gen_ics_line(w, "RRULE:%s", e->rrule);
	gen_ics_line(w, "SEQUENCE:%d", e->seq);
	if (e->is_cancelled)
		gen_ics_line(w, "STATUS:CANCELLED");
	gen_ics_line(w, "SUMMARY;LANGUAGE=fr-fr:%s%s", e->is_cancelled ?
	    "Annulé : " : "", e->summary);
	gen_ics_line(w, "TRANSP:%s", e->is_transparent ? "TRANSPARENT" :
	    "OPAQUE");
	gen_ics_line(w, "UID:%s", e->uid);
	gen_ics_line(w, "X-MICROSOFT-CDO-BUSYSTATUS:%s", busy);
	gen_ics_line(w, "X-MICROSOFT-CDO-IMPORTANCE:1");
	gen_ics_line(w, "X-MICROSOFT-CDO-INTENDEDSTATUS:%s", busy);
	if (e->is_all_day)
		gen_ics_line(w, "X-MICROSOFT-CDO-ALLDAYEVENT:TRUE");
	gen_ics_line(w, "X-MICROSOFT-DISALLOW-COUNTER:FALSE");
	gen_ics_line(w, "X-MS-OLK-AUTOFILLLOCATION:FALSE");
	gen_ics_line(w, "X-MS-OLK-CONFTYPE:0");
}

static void
gen_event_google(struct gen_ics *w, const struct gen_ev *e)
{
	char t[20];

	gen_time(w, "DTSTART", e->start, e->is_all_day, e->is_utc,
	    e->is_instant);
	gen_time(w, "DTEND", e->end, e->is_all_day, e->is_utc,
	    e->is_instant);
	if (e->rrule != NULL)
		gen_ics_line(w, "RRULE:%s", e->rrule);
	gen_exdates(w, e);
	gen_ics_line(w, "DTSTAMP:%s", w->stamp);
	if (e->n_people > 0)
		gen_people_lines(w, e);
	gen_ics_line(w, "UID:%s", e->uid);
	if (e->rid != 0)
		gen_time(w, "RECURRENCE-ID", e->rid, e->is_all_day, false,
		    e->is_instant);
	if (e->category != NULL)
		gen_ics_line(w, "CATEGORIES:%s", e->category);
	gen_ics_line(w, "CREATED:%s", gen_ics_fmt_utc(t,
	    e->start - 20 * GEN_DAY));
	gen_ics_line(w, "DESCRIPTION:%s", e->description != NULL ?
	    e->description : "");
	gen_ics_line(w, "LAST-MODIFIED:%s", w->stamp);
	gen_ics_line(w, "LOCATION:%s", e->location != NULL ? e->location : "");
	gen_ics_line(w, "SEQUENCE:%d", e->seq);
	gen_ics_line(w, "STATUS:%s", e->is_cancelled ? "CANCELLED" :
	    "CONFIRMED");
	gen_ics_line(w, "SUMMARY:%s", e->summary);
	/* Google exports all-day events as free time. */
	gen_ics_line(w, "TRANSP:%s", e->is_transparent || e->is_all_day ?
	    "TRANSPARENT" : "OPAQUE");
}

static void
gen_event_mozilla(struct gen_ics *w, const struct gen_ev *e)
{
	char t[20];

	gen_ics_line(w, "CREATED:%s", gen_ics_fmt_utc(t,
	    e->start - 20 * GEN_DAY));
	gen_ics_line(w, "LAST-MODIFIED:%s", w->stamp);
	gen_ics_line(w, "DTSTAMP:%s", w->stamp);
	gen_ics_line(w, "UID:%s", e->uid);
	gen_ics_line(w, "SUMMARY:%s", e->summary);
	if (e->category != NULL)
		gen_ics_line(w, "CATEGORIES:%s", e->category);
	if (e->is_cancelled)
		gen_ics_line(w, "STATUS:CANCELLED");
	if (e->rrule != NULL)
		gen_ics_line(w, "RRULE:%s", e->rrule);
	gen_exdates(w, e);
	if (e->rid != 0)
		gen_time(w, "RECURRENCE-ID", e->rid, e->is_all_day, false,
		    e->is_instant);
	gen_time(w, "DTSTART", e->start, e->is_all_day, e->is_utc,
	    e->is_instant);
	gen_time(w, "DTEND", e->end, e->is_all_day, e->is_utc,
	    e->is_instant);
	gen_ics_line(w, "TRANSP:%s", e->is_transparent ? "TRANSPARENT" :
	    "OPAQUE");
	if (e->location != NULL)
		gen_ics_line(w, "LOCATION:%s", e->location);
	if (e->description != NULL)
		gen_ics_line(w, "DESCRIPTION:%s", e->description);
	gen_ics_line(w, "X-MOZ-GENERATION:%d", e->seq + 1);
	if (e->has_alarm)
		gen_ics_line(w, "X-MOZ-LASTACK:%s", w->stamp);
}

static void
gen_event_plain(struct gen_ics *w, const struct gen_ev *e)
{
	gen_ics_line(w, "UID:%s", e->uid);
	gen_ics_line(w, "DTSTAMP:%s", w->stamp);
	gen_time(w, "DTSTART", e->start, e->is_all_day, e->is_utc,
	    e->is_instant);
	gen_time(w, "DTEND", e->end, e->is_all_day, e->is_utc,
	    e->is_instant);
	if (e->rrule != NULL)
		gen_ics_line(w, "RRULE:%s", e->rrule);
	gen_exdates(w, e);
	if (e->rid != 0)
		gen_time(w, "RECURRENCE-ID", e->rid, e->is_all_day, false,
		    e->is_instant);
	gen_ics_line(w, "SUMMARY:%s", e->summary);
	if (e->category != NULL)
		gen_ics_line(w, "CATEGORIES:%s", e->category);
	gen_ics_line(w, "STATUS:%s", e->is_cancelled ? "CANCELLED" :
	    "CONFIRMED");
	if (e->location != NULL)
		gen_ics_line(w, "LOCATION:%s", e->location);
	if (e->description != NULL)
		gen_ics_line(w, "DESCRIPTION:%s", e->description);
	if (e->is_transparent)
		gen_ics_line(w, "TRANSP:TRANSPARENT");
}

void
gen_ics_event(struct gen_ics *w, const struct gen_ev *e)
{
	gen_ics_line(w, "BEGIN:VEVENT");
	switch (w->style) {
	case GEN_OUTLOOK:
		gen_event_outlook(w, e);
		break;
	case GEN_GOOGLE:
		gen_event_google(w, e);
		break;
	case GEN_THUNDERBIRD:
		gen_event_mozilla(w, e);
		break;
	default:
		gen_event_plain(w, e);
		break;
	}
	if (e->has_alarm) {
		gen_ics_line(w, "BEGIN:VALARM");
		gen_ics_line(w, "ACTION:DISPLAY");
		gen_ics_line(w, "TRIGGER;RELATED=START:-PT15M");
		gen_ics_line(w, "DESCRIPTION:Rappel");
		gen_ics_line(w, "END:VALARM");
	}
	gen_ics_line(w, "END:VEVENT");
}

static void
gen_vtimezone(struct gen_ics *w)
{
	/* Outlook's zone: its rules since 1601, which parsers expand. */
	static const char *const outlook[] = { "BEGIN:STANDARD",
		"DTSTART:16010101T030000", "TZOFFSETFROM:+0200",
		"TZOFFSETTO:+0100",
		"RRULE:FREQ=YEARLY;INTERVAL=1;BYDAY=-1SU;BYMONTH=10",
		"END:STANDARD", "BEGIN:DAYLIGHT", "DTSTART:16010101T020000",
		"TZOFFSETFROM:+0100", "TZOFFSETTO:+0200",
		"RRULE:FREQ=YEARLY;INTERVAL=1;BYDAY=-1SU;BYMONTH=3",
		"END:DAYLIGHT", NULL };
	static const char *const olson[] = { "X-LIC-LOCATION:Europe/Paris",
		"BEGIN:DAYLIGHT", "TZOFFSETFROM:+0100", "TZOFFSETTO:+0200",
		"TZNAME:CEST", "DTSTART:19700329T020000",
		"RRULE:FREQ=YEARLY;BYMONTH=3;BYDAY=-1SU", "END:DAYLIGHT",
		"BEGIN:STANDARD", "TZOFFSETFROM:+0200", "TZOFFSETTO:+0100",
		"TZNAME:CET", "DTSTART:19701025T030000",
		"RRULE:FREQ=YEARLY;BYMONTH=10;BYDAY=-1SU", "END:STANDARD",
		NULL };

	if (w->tzid == NULL)
		return;
	gen_ics_line(w, "BEGIN:VTIMEZONE");
	gen_ics_line(w, "TZID:%s", w->tzid);
	for (const char *const *l = w->style == GEN_OUTLOOK ? outlook : olson;
	    *l != NULL; l++)
		gen_ics_line(w, "%s", *l);
	gen_ics_line(w, "END:VTIMEZONE");
}

void
gen_ics_header(struct gen_ics *w)
{
	static const char *const prodid[GEN_STYLE_COUNT] = {
		"-//Microsoft Corporation//Outlook 16.0 MIMEDIR//EN",
		"-//Google Inc//Google Calendar 70.9054//EN",
		"-//Mozilla.org/NONSGML Mozilla Calendar V1.1//EN",
		"-//Cabinet Medical//Agenda 7.2//FR",
		"-//Agenda en ligne//Export iCal 2.1//FR",
	};

	gen_ics_line(w, "BEGIN:VCALENDAR");
	gen_ics_line(w, "PRODID:%s", prodid[w->style]);
	gen_ics_line(w, "VERSION:2.0");
	if (w->style == GEN_OUTLOOK) {
		gen_ics_line(w, "METHOD:PUBLISH");
		gen_ics_line(w, "X-CALSTART:%s", w->stamp);
		gen_ics_line(w,
		    "X-WR-RELCALID:{0000002E-5C1B-8A41-B2F3-%012zX}",
		    w->gp);
		gen_ics_line(w, "X-WR-CALNAME:Calendrier");
		gen_ics_line(w, "X-PRIMARY-CALENDAR:TRUE");
		gen_ics_line(w, "X-MS-OLK-WKHRSTART;TZID=\"%s\":083000",
		    w->tzid);
		gen_ics_line(w, "X-MS-OLK-WKHREND;TZID=\"%s\":190000",
		    w->tzid);
		gen_ics_line(w, "X-MS-OLK-WKHRDAYS:MO,TU,WE,TH,FR");
	} else if (w->style == GEN_GOOGLE) {
		gen_ics_line(w, "CALSCALE:GREGORIAN");
		gen_ics_line(w, "METHOD:PUBLISH");
		gen_ics_line(w, "X-WR-CALNAME:Cabinet - Dr %zu", w->gp);
		gen_ics_line(w, "X-WR-TIMEZONE:Europe/Paris");
	}
	gen_vtimezone(w);
}

