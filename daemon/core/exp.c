/* One GP's agenda export as iCalendar text: reserved SNP slots, bookings. */
#include "daemon/core/exp.h"

#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <libical/ical.h>

#define EXP_INITIALS	256	/* holds the initials of any 100-byte name */

/*
 * Bytes of the blank at s (an ASCII blank or control, or U+00A0 NO-BREAK
 * SPACE, which names pasted from a web page carry), 0 when none.
 */
static size_t
exp_blank_len(const unsigned char *s)
{
	if (*s == ' ' || (*s != '\0' && *s < 0x20) || *s == 0x7f)
		return 1;
	if (s[0] == 0xc2 && s[1] == 0xa0)
		return 2;
	return 0;
}

/* Bytes of the valid UTF-8 sequence at s (RFC 3629), 0 when invalid. */
static size_t
exp_cp_len(const unsigned char *s)
{
	unsigned char lo = 0x80, hi = 0xbf;
	size_t n, i;

	if (s[0] < 0x80)
		return 1;
	if (s[0] >= 0xc2 && s[0] <= 0xdf)
		n = 2;
	else if (s[0] >= 0xe0 && s[0] <= 0xef)
		n = 3;
	else if (s[0] >= 0xf0 && s[0] <= 0xf4)
		n = 4;
	else
		return 0;
	/* No overlong forms, no surrogates, nothing past U+10FFFF. */
	if (s[0] == 0xe0)
		lo = 0xa0;
	else if (s[0] == 0xed)
		hi = 0x9f;
	else if (s[0] == 0xf0)
		lo = 0x90;
	else if (s[0] == 0xf4)
		hi = 0x8f;
	if (s[1] < lo || s[1] > hi)
		return 0;
	for (i = 2; i < n; i++)
		if (s[i] < 0x80 || s[i] > 0xbf)
			return 0;
	return n;
}

void
exp_initials(const char *name, char *buf, size_t len)
{
	const unsigned char *s = (const unsigned char *)name;
	size_t used = 0, k;
	bool is_hyphen = false;

	if (len == 0)
		return;
	buf[0] = '\0';
	if (name == NULL)
		return;
	for (;;) {
		char piece[1 + 4 + 1];		/* separator, code point, '.' */
		size_t n = 0, cp;

		/* A run of blanks and hyphens between words. */
		for (;;) {
			if (*s == '-') {
				is_hyphen = true;
				s++;
			} else if ((k = exp_blank_len(s)) > 0)
				s += k;
			else
				break;
		}
		if (*s == '\0')
			break;
		if (used > 0)
			piece[n++] = is_hyphen ? '-' : ' ';
		is_hyphen = false;
		cp = exp_cp_len(s);
		if (cp == 0) {
			piece[n++] = '?';
			cp = 1;
		} else if (cp == 1 && *s >= 'a' && *s <= 'z')
			piece[n++] = (char)(*s - 'a' + 'A');
		else {
			memcpy(piece + n, s, cp);
			n += cp;
		}
		piece[n++] = '.';
		s += cp;
		/* Whole initials only: a prefix of the full result. */
		if (used + n >= len)
			break;
		memcpy(buf + used, piece, n);
		used += n;
		buf[used] = '\0';
		/* The rest of the word: separators are ASCII or U+00A0. */
		while (*s != '\0' && *s != '-' && exp_blank_len(s) == 0)
			s++;
	}
}

/* A malloc'd formatted string, NULL when out of memory. */
static char *
exp_printf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

static char *
exp_printf(const char *fmt, ...)
{
	va_list ap;
	char *s;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(NULL, 0, fmt, ap);
	va_end(ap);
	if (n < 0 || (s = malloc((size_t)n + 1)) == NULL)
		return NULL;
	va_start(ap, fmt);
	vsnprintf(s, (size_t)n + 1, fmt, ap);
	va_end(ap);
	return s;
}

/*
 * Control characters are not allowed in TEXT (RFC 5545 3.3.11): make them
 * spaces, in place. A newline is kept when has_lines (libical escapes it as
 * \n), and CR LF or a lone CR count as one newline, where libical would
 * silently drop the CR.
 */
static void
exp_clean(char *s, bool has_lines)
{
	char *w = s;

	for (; *s != '\0'; s++) {
		unsigned char ch = (unsigned char)*s;

		if (ch == '\r' && s[1] == '\n')
			continue;
		if (ch == '\r' || ch == '\n')
			*w++ = has_lines ? '\n' : ' ';
		else if ((ch < 0x20 && ch != '\t') || ch == 0x7f)
			*w++ = ' ';
		else
			*w++ = *s;
	}
	*w = '\0';
}

/* Which of two events of one start is written: the booking over the slot. */
static int
exp_rank(enum exp_kind k)
{
	switch (k) {
	case EXP_CONFLICT:
		return 2;
	case EXP_BOOKED:
		return 1;
	case EXP_ONCALL_PRIMARY:
		return -1;
	case EXP_ONCALL_BACKUP:
		return -2;
	default:
		return 0;
	}
}

/* On-call shifts have their own UIDs: they share starts with slots. */
static bool
exp_is_oncall(enum exp_kind k)
{
	return k == EXP_ONCALL_PRIMARY || k == EXP_ONCALL_BACKUP;
}

static int
exp_strcmp(const char *a, const char *b)
{
	if (a == NULL || b == NULL)
		return (a != NULL) - (b != NULL);
	return strcmp(a, b);
}

/*
 * By start (the UID follows from it), then a total order on everything
 * written, so that the input's order never shows in the output even when
 * two events share a start and one of them is dropped.
 */
static int
exp_cmp(const void *pa, const void *pb)
{
	const struct exp_event *a = *(const struct exp_event *const *)pa;
	const struct exp_event *b = *(const struct exp_event *const *)pb;
	int d;

	if (a->start != b->start)
		return a->start < b->start ? -1 : 1;
	if (exp_rank(a->kind) != exp_rank(b->kind))
		return exp_rank(a->kind) > exp_rank(b->kind) ? -1 : 1;
	if ((d = exp_strcmp(a->booking, b->booking)) != 0)
		return d;
	if (a->end != b->end)
		return a->end < b->end ? -1 : 1;
	if ((d = exp_strcmp(a->patient_name, b->patient_name)) != 0)
		return d;
	return exp_strcmp(a->reason, b->reason);
}

/* Adds p to c, which then owns it; -1 when p is NULL (out of memory). */
static int
exp_add(icalcomponent *c, icalproperty *p)
{
	if (p == NULL)
		return -1;
	icalcomponent_add_property(c, p);
	return 0;
}

static int
exp_add_x(icalcomponent *c, const char *name, const char *value)
{
	icalproperty *p = icalproperty_new_x(value);

	if (p == NULL)
		return -1;
	icalproperty_set_x_name(p, name);
	icalcomponent_add_property(c, p);
	return 0;
}

static struct icaltimetype
exp_time(int64_t utc)
{
	return icaltime_from_timet_with_zone((time_t)utc, 0,
	    icaltimezone_get_utc_timezone());
}

/* The SUMMARY of a booking; malloc'd, NULL when out of memory. */
static char *
exp_summary(const struct exp_event *e)
{
	char initials[EXP_INITIALS];
	const char *who = "patient";
	bool has_reason = e->reason != NULL && e->reason[0] != '\0';
	char *s;

	exp_initials(e->patient_name, initials, sizeof(initials));
	if (initials[0] != '\0')
		who = initials;
	s = exp_printf("%sSNP – %s%s%s",
	    e->kind == EXP_CONFLICT ? "CONFLIT – " : "", who,
	    has_reason ? " – " : "", has_reason ? e->reason : "");
	if (s != NULL)
		exp_clean(s, true);
	return s;
}

/* One VEVENT, added to cal; -1 when out of memory. */
static int
exp_event_add(icalcomponent *cal, const struct exp_cal *c,
    const struct exp_event *e)
{
	struct icaltimetype start = exp_time(e->start);
	bool is_oncall = exp_is_oncall(e->kind);
	bool is_booking = e->kind != EXP_RESERVED && !is_oncall;
	const char *id = is_booking && e->booking != NULL &&
	    e->booking[0] != '\0' ? e->booking : NULL;
	char *uid, *summary = NULL, *desc = NULL;
	icalcomponent *v;
	int rc = -1;

	/*
	 * From the slot's start alone, never the booking: a subscribed agenda
	 * then updates the reserved slot into its booking, and back when the
	 * booking is cancelled, instead of showing both.
	 */
	uid = exp_printf("snp-%s%s-%04d%02d%02dT%02d%02d%02dZ@snpd",
	    is_oncall ? "oncall-" : "", c->gp != NULL ? c->gp : "",
	    start.year, start.month, start.day,
	    start.hour, start.minute, start.second);
	if (uid == NULL)
		goto out;
	if (is_booking && (summary = exp_summary(e)) == NULL)
		goto out;
	if (id != NULL &&
	    (desc = exp_printf("Réservation %s", id)) == NULL)
		goto out;
	if ((v = icalcomponent_new(ICAL_VEVENT_COMPONENT)) == NULL)
		goto out;
	icalcomponent_add_component(cal, v);	/* freed with cal */
	rc = exp_add(v, icalproperty_new_uid(uid));
	rc |= exp_add(v, icalproperty_new_dtstamp(exp_time(c->stamp)));
	rc |= exp_add(v, icalproperty_new_dtstart(start));
	rc |= exp_add(v, icalproperty_new_dtend(exp_time(e->end)));
	rc |= exp_add(v, icalproperty_new_summary(is_booking ? summary :
	    e->kind == EXP_ONCALL_PRIMARY ?
	    "Astreinte téléconsultation (titulaire)" :
	    e->kind == EXP_ONCALL_BACKUP ?
	    "Astreinte téléconsultation (suppléant)" :
	    "SNP – créneau réservé"));
	if (desc != NULL)
		rc |= exp_add(v, icalproperty_new_description(desc));
	rc |= exp_add(v, icalproperty_new_status(is_booking || is_oncall ?
	    ICAL_STATUS_CONFIRMED : ICAL_STATUS_TENTATIVE));
	/*
	 * Transparent and without CATEGORIES: an agenda that republishes
	 * these events in the GP's own feed must not make cal_parse see our
	 * bookings as busy time (conflicts) nor our slots as offered time.
	 */
	rc |= exp_add(v, icalproperty_new_transp(ICAL_TRANSP_TRANSPARENT));
	if (id != NULL)
		rc |= exp_add_x(v, "X-SNPD-BOOKING", id);
out:
	free(desc);
	free(summary);
	free(uid);
	return rc != 0 ? -1 : 0;
}

char *
exp_ics(const struct exp_cal *c)
{
	const struct exp_event **ev = NULL;
	icalcomponent *cal = NULL;
	char *name = NULL, *ics, *out = NULL;
	size_t n = 0, i, len;
	int rc = 0;

	if (c->n > 0 && (ev = calloc(c->n, sizeof(*ev))) == NULL)
		return NULL;
	for (i = 0; i < c->n; i++)
		if (c->ev[i].end > c->ev[i].start)
			ev[n++] = &c->ev[i];
	if (n > 0)
		qsort(ev, n, sizeof(*ev), exp_cmp);

	name = exp_printf("SNP – %s", c->gp_name != NULL ? c->gp_name : "");
	if (name == NULL ||
	    (cal = icalcomponent_new(ICAL_VCALENDAR_COMPONENT)) == NULL)
		goto out;
	exp_clean(name, false);
	rc |= exp_add(cal, icalproperty_new_version("2.0"));
	rc |= exp_add(cal, icalproperty_new_prodid("-//CPTS//snpd//FR"));
	rc |= exp_add(cal, icalproperty_new_calscale("GREGORIAN"));
	rc |= exp_add(cal, icalproperty_new_method(ICAL_METHOD_PUBLISH));
	rc |= exp_add_x(cal, "X-WR-CALNAME", name);
	for (i = 0; i < n && rc == 0; i++) {
		/* Sorted best first; the others would repeat its UID. */
		if (i > 0 && ev[i]->start == ev[i - 1]->start &&
		    exp_is_oncall(ev[i]->kind) ==
		    exp_is_oncall(ev[i - 1]->kind))
			continue;
		rc = exp_event_add(cal, c, ev[i]);
	}
	if (rc != 0 || (ics = icalcomponent_as_ical_string_r(cal)) == NULL)
		goto out;
	/* Freed with free(), whatever allocator libical uses. */
	len = strlen(ics);
	if ((out = malloc(len + 1)) != NULL)
		memcpy(out, ics, len + 1);
	icalmemory_free_buffer(ics);
out:
	if (cal != NULL)
		icalcomponent_free(cal);
	free(name);
	free(ev);
	return out;
}
