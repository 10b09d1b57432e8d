/* Unit tests of the agenda export: read back with libical and cal_parse. */
#include <setjmp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>
#include <libical/ical.h>

#include "daemon/core/cal.h"
#include "daemon/core/exp.h"
#include "daemon/core/tz.h"

#define NCASES(a)	(sizeof(a) / sizeof((a)[0]))

static const struct tz *paris;

static int
setup(void **state)
{
	(void)state;
	tz_init();
	paris = tz_get("Europe/Paris");
	if (paris == NULL)
		return -1;
	cal_zones_preload(paris);
	return 0;
}

static int
teardown(void **state)
{
	(void)state;
	tz_shutdown();
	return 0;
}

/* UTC civil time to seconds. */
static int64_t
utc(int y, int mo, int d, int h, int mi)
{
	return tz_civil(y, mo, d, h, mi, 0);
}

/*
 * The fixture: given out of order on purpose, the purged booking first in
 * time, a conflict, and a free reserved slot.
 */
static const struct exp_event events[] = {
	{ 0, 0, EXP_BOOKED, "b-17", "Jean Dupont", "fièvre" },
	{ 0, 0, EXP_RESERVED, NULL, NULL, NULL },
	{ 0, 0, EXP_CONFLICT, "b-18", "Jean-Marc de la Tour", NULL },
	{ 0, 0, EXP_BOOKED, "b-3", NULL, "" },
};

/* The fixture's events with their times filled in, into ev[4]. */
static void
fixture(struct exp_event *ev, struct exp_cal *c)
{
	memcpy(ev, events, sizeof(events));
	ev[0].start = utc(2026, 11, 30, 14, 0);
	ev[0].end = utc(2026, 11, 30, 14, 20);
	ev[1].start = utc(2026, 11, 30, 13, 0);
	ev[1].end = utc(2026, 11, 30, 13, 20);
	ev[2].start = utc(2026, 12, 1, 15, 0);
	ev[2].end = utc(2026, 12, 1, 15, 30);
	ev[3].start = utc(2026, 11, 2, 8, 0);
	ev[3].end = utc(2026, 11, 2, 8, 15);
	*c = (struct exp_cal){ .gp = "gp-dupont",
	    .gp_name = "Dr Claire Dupont", .territory = "CPTS Val de Loire",
	    .stamp = utc(2026, 11, 30, 9, 30), .ev = ev, .n = NCASES(events) };
}

/* What one VEVENT must hold; NULL: the property must be absent. */
struct want_ev {
	const char	*uid, *start, *end, *status, *summary;
	const char	*description, *booking;
};

static void
check_str(const char *what, size_t i, const char *got, const char *want)
{
	if (want == NULL && got == NULL)
		return;
	if (want == NULL || got == NULL || strcmp(got, want) != 0)
		fail_msg("event %zu: %s is \"%s\", want \"%s\"", i, what,
		    got != NULL ? got : "(absent)",
		    want != NULL ? want : "(absent)");
}

/*
 * A property's value against want (NULL: absent): as written for times and
 * enums (DTSTART "20261130T130000Z", with its Z), unescaped for X- ones,
 * found by x_name.
 */
static void
check_prop(const char *what, size_t i, icalcomponent *c,
    icalproperty_kind kind, const char *x_name, const char *want)
{
	icalproperty *p;
	char *got = NULL;

	for (p = icalcomponent_get_first_property(c, kind); p != NULL;
	    p = icalcomponent_get_next_property(c, kind)) {
		const char *xn = icalproperty_get_x_name(p);

		if (x_name == NULL) {
			got = icalproperty_get_value_as_string_r(p);
			break;
		}
		if (xn != NULL && strcmp(xn, x_name) == 0) {
			got = strdup(icalproperty_get_x(p));
			assert_non_null(got);
			break;
		}
	}
	check_str(what, i, got, want);
	free(got);
}

/*
 * Text as RFC 5545 wants it: CRLF lines of at most 75 octets, ending with
 * END:VCALENDAR, no VTIMEZONE (all times are UTC), no CATEGORIES.
 */
static void
check_text(const char *ics)
{
	const char *line = ics, *nl;

	if (strncmp(ics, "BEGIN:VCALENDAR\r\n", 17) != 0)
		fail_msg("does not begin with BEGIN:VCALENDAR CRLF");
	while ((nl = strchr(line, '\n')) != NULL) {
		if (nl == line || nl[-1] != '\r')
			fail_msg("a line ends with a bare LF: \"%.40s\"", line);
		if (nl - line - 1 > 75)
			fail_msg("a line of %d octets: \"%.40s\"",
			    (int)(nl - line - 1), line);
		line = nl + 1;
	}
	if (*line != '\0')
		fail_msg("the text does not end with CRLF");
	if (strlen(ics) < 15 || strcmp(ics + strlen(ics) - 15,
	    "END:VCALENDAR\r\n") != 0)
		fail_msg("does not end with END:VCALENDAR CRLF");
	if (strstr(ics, "VTIMEZONE") != NULL || strstr(ics, "TZID") != NULL)
		fail_msg("a time zone is written: times must be UTC");
	if (strstr(ics, "CATEGORIES") != NULL)
		fail_msg("CATEGORIES written: a republished feed would mark "
		    "them");
}

/* The text parsed back: one VCALENDAR with its calendar properties. */
static icalcomponent *
parse_back(const char *ics, const char *cal_name)
{
	icalcomponent *cal;

	check_text(ics);
	cal = icalparser_parse_string(ics);
	if (cal == NULL)
		fail_msg("libical cannot parse the export back");
	if (icalcomponent_isa(cal) != ICAL_VCALENDAR_COMPONENT)
		fail_msg("not a VCALENDAR but a %s",
		    icalcomponent_kind_to_string(icalcomponent_isa(cal)));
	check_prop("VERSION", 0, cal, ICAL_VERSION_PROPERTY, NULL, "2.0");
	check_prop("PRODID", 0, cal, ICAL_PRODID_PROPERTY, NULL,
	    "-//CPTS//snpd//FR");
	check_prop("CALSCALE", 0, cal, ICAL_CALSCALE_PROPERTY, NULL,
	    "GREGORIAN");
	check_prop("METHOD", 0, cal, ICAL_METHOD_PROPERTY, NULL, "PUBLISH");
	check_prop("X-WR-CALNAME", 0, cal, ICAL_X_PROPERTY, "X-WR-CALNAME",
	    cal_name);
	return cal;
}

/* Each VEVENT in order against want[n]. */
static void
check_events(icalcomponent *cal, const char *stamp,
    const struct want_ev *want, size_t n)
{
	icalcomponent *v;
	size_t i = 0;

	assert_int_equal(icalcomponent_count_components(cal,
	    ICAL_VEVENT_COMPONENT), n);
	for (v = icalcomponent_get_first_component(cal, ICAL_VEVENT_COMPONENT);
	    v != NULL; v = icalcomponent_get_next_component(cal,
	    ICAL_VEVENT_COMPONENT), i++) {
		const struct want_ev *w = &want[i];

		check_str("UID", i, icalcomponent_get_uid(v), w->uid);
		check_prop("DTSTAMP", i, v, ICAL_DTSTAMP_PROPERTY, NULL,
		    stamp);
		check_prop("DTSTART", i, v, ICAL_DTSTART_PROPERTY, NULL,
		    w->start);
		check_prop("DTEND", i, v, ICAL_DTEND_PROPERTY, NULL, w->end);
		check_prop("STATUS", i, v, ICAL_STATUS_PROPERTY, NULL,
		    w->status);
		check_str("SUMMARY", i, icalcomponent_get_summary(v),
		    w->summary);
		check_str("DESCRIPTION", i, icalcomponent_get_description(v),
		    w->description);
		check_prop("X-SNPD-BOOKING", i, v, ICAL_X_PROPERTY,
		    "X-SNPD-BOOKING", w->booking);
		check_prop("TRANSP", i, v, ICAL_TRANSP_PROPERTY, NULL,
		    "TRANSPARENT");
		if (icalcomponent_count_properties(v,
		    ICAL_CATEGORIES_PROPERTY) != 0)
			fail_msg("event %zu has CATEGORIES", i);
	}
}

/* Each kind of event, parsed back, says what doc/booking.md says. */
static void
test_exp_parse_back(void **state)
{
	static const struct want_ev want[] = {
		{ "snp-gp-dupont-20261102T080000Z@snpd", "20261102T080000Z",
		    "20261102T081500Z", "CONFIRMED", "SNP – patient",
		    "Réservation b-3", "b-3" },
		{ "snp-gp-dupont-20261130T130000Z@snpd", "20261130T130000Z",
		    "20261130T132000Z", "TENTATIVE", "SNP – créneau réservé",
		    NULL, NULL },
		{ "snp-gp-dupont-20261130T140000Z@snpd", "20261130T140000Z",
		    "20261130T142000Z", "CONFIRMED", "SNP – J. D. – fièvre",
		    "Réservation b-17", "b-17" },
		{ "snp-gp-dupont-20261201T150000Z@snpd", "20261201T150000Z",
		    "20261201T153000Z", "CONFIRMED",
		    "CONFLIT – SNP – J.-M. D. L. T.", "Réservation b-18",
		    "b-18" },
	};
	struct exp_event ev[NCASES(events)];
	struct exp_cal c;
	icalcomponent *cal;
	char *ics;

	(void)state;
	fixture(ev, &c);
	ics = exp_ics(&c);
	assert_non_null(ics);
	cal = parse_back(ics, "SNP – Dr Claire Dupont");
	check_events(cal, "20261130T093000Z", want, NCASES(want));
	icalcomponent_free(cal);
	free(ics);
}

/* A calendar with nothing to export is still a valid, empty calendar. */
static void
test_exp_no_events(void **state)
{
	struct exp_cal c = { .gp = "gp-x", .gp_name = "Dr X",
	    .territory = "CPTS", .stamp = utc(2026, 1, 5, 8, 0) };
	icalcomponent *cal;
	char *ics;

	(void)state;
	ics = exp_ics(&c);
	assert_non_null(ics);
	cal = parse_back(ics, "SNP – Dr X");
	check_events(cal, NULL, NULL, 0);
	icalcomponent_free(cal);
	free(ics);
}

/* The same input gives the same bytes: the file is rewritten only on change. */
static void
test_exp_same_bytes(void **state)
{
	struct exp_event ev[NCASES(events)];
	struct exp_cal c;
	char *a, *b;

	(void)state;
	fixture(ev, &c);
	a = exp_ics(&c);
	b = exp_ics(&c);
	assert_non_null(a);
	assert_non_null(b);
	assert_string_equal(a, b);
	free(a);
	free(b);
}

/* Every order of the input events gives the same bytes. */
static void
test_exp_order_free(void **state)
{
	struct exp_event ev[NCASES(events)], perm[NCASES(events)];
	size_t idx[NCASES(events)], cnt[NCASES(events)];
	size_t n = NCASES(events), count = 0, i = 1;
	struct exp_cal c, cp;
	char *want;

	(void)state;
	fixture(ev, &c);
	want = exp_ics(&c);
	assert_non_null(want);
	for (size_t k = 0; k < n; k++) {
		idx[k] = k;
		cnt[k] = 0;
	}
	/* Heap's algorithm: each pass one of the n! orders, then one swap. */
	for (;;) {
		char *got;

		for (size_t k = 0; k < n; k++)
			perm[k] = ev[idx[k]];
		cp = c;
		cp.ev = perm;
		got = exp_ics(&cp);
		assert_non_null(got);
		if (strcmp(got, want) != 0)
			fail_msg("order %zu %zu %zu %zu gives other bytes",
			    idx[0], idx[1], idx[2], idx[3]);
		free(got);
		count++;
		while (i < n && cnt[i] >= i)
			cnt[i++] = 0;
		if (i == n)
			break;
		size_t j = i % 2 == 0 ? 0 : cnt[i], t = idx[j];

		idx[j] = idx[i];
		idx[i] = t;
		cnt[i]++;
		i = 1;
	}
	assert_int_equal(count, 24);
	free(want);
}

/* One booked event with this name and reason; its SUMMARY parsed back. */
static char *
summary_of(const char *name, const char *reason, char **ics_out)
{
	struct exp_event ev = { utc(2026, 11, 30, 14, 0),
	    utc(2026, 11, 30, 14, 20), EXP_BOOKED, "b-1", name, reason };
	struct exp_cal c = { .gp = "gp-a", .gp_name = "Dr A",
	    .territory = "CPTS", .stamp = utc(2026, 11, 30, 9, 0), .ev = &ev,
	    .n = 1 };
	icalcomponent *cal, *v;
	char *ics, *s;

	ics = exp_ics(&c);
	assert_non_null(ics);
	cal = parse_back(ics, "SNP – Dr A");
	assert_int_equal(icalcomponent_count_components(cal,
	    ICAL_VEVENT_COMPONENT), 1);
	v = icalcomponent_get_first_component(cal, ICAL_VEVENT_COMPONENT);
	s = strdup(icalcomponent_get_summary(v));
	assert_non_null(s);
	icalcomponent_free(cal);
	if (ics_out != NULL)
		*ics_out = ics;
	else
		free(ics);
	return s;
}

/*
 * A reason comes back exactly, whatever libical has to escape or fold:
 * commas, semicolons, newlines, backslashes, UTF-8 across a fold.
 */
static void
test_exp_reason_round_trips(void **state)
{
	static const struct {
		const char	*name, *reason;
	} cases[] = {
		{ "comma, semicolon", "toux, fièvre; 39,5 °C" },
		{ "newline", "douleur\nthoracique\n\ndepuis hier" },
		{ "backslash", "C:\\dossier\\x; \\n n'est pas un saut" },
		{ "utf-8", "Ωμέγα — 日本語 — 🧒 enfant" },
		{ "colon quote", "rappel: \"urgent\" <svp>" },
		{ "long", "ééééééééééééééééééééééééééééééééééééééééééééééé"
		    "ééééééééééééééééééééééééééééééééééééééééééééééééééé"
		    "🧒🧒🧒🧒🧒🧒🧒🧒🧒🧒, ; \n fin" },
	};

	(void)state;
	for (size_t i = 0; i < NCASES(cases); i++) {
		char want[512], *got;

		snprintf(want, sizeof(want), "SNP – J. D. – %s",
		    cases[i].reason);
		got = summary_of("Jean Dupont", cases[i].reason, NULL);
		if (strcmp(got, want) != 0)
			fail_msg("%s: SUMMARY \"%s\", want \"%s\"",
			    cases[i].name, got, want);
		free(got);
	}
}

/* Control characters other than newline and tab never reach the text. */
static void
test_exp_reason_controls(void **state)
{
	char *got, *ics;

	(void)state;
	got = summary_of("Jean Dupont", "a\r\nb\rc\x01" "d\te\x7f" "f",
	    &ics);
	assert_string_equal(got, "SNP – J. D. – a\nb\nc d\te f");
	for (const char *p = ics; *p != '\0'; p++)
		if (((unsigned char)*p < 0x20 && *p != '\r' && *p != '\n' &&
		    *p != '\t') || *p == 0x7f)
			fail_msg("control byte 0x%02x in the text",
			    (unsigned char)*p);
	free(got);
	free(ics);
}

/* The text with its folds undone (RFC 5545 3.1): CRLF then a blank. */
static char *
unfold(const char *ics)
{
	char *s = strdup(ics), *w = s;

	assert_non_null(s);
	for (const char *p = ics; *p != '\0'; p++) {
		if (p[0] == '\r' && p[1] == '\n' && (p[2] == ' ' ||
		    p[2] == '\t')) {
			p += 2;
			continue;
		}
		*w++ = *p;
	}
	*w = '\0';
	return s;
}

/*
 * Only initials leave snpd: neither the name nor a part of it appears,
 * even once the text is unfolded, nor in a conflict or with a reason.
 */
static void
test_exp_no_patient_name(void **state)
{
	static const char *const names[] = { "Marcelline Zébulon-Quatrefages",
		"Marcelline", "Zébulon", "Quatrefages", "arcelline",
		"ébulon" };
	struct exp_event ev[2] = {
		{ utc(2026, 11, 30, 14, 0), utc(2026, 11, 30, 14, 20),
		    EXP_BOOKED, "b-9", names[0], "bilan sanguin" },
		{ utc(2026, 11, 30, 15, 0), utc(2026, 11, 30, 15, 20),
		    EXP_CONFLICT, "b-10", names[0], NULL },
	};
	struct exp_cal c = { .gp = "gp-a", .gp_name = "Dr A",
	    .territory = "CPTS", .stamp = utc(2026, 11, 30, 9, 0), .ev = ev,
	    .n = 2 };
	char *ics, *flat;

	(void)state;
	ics = exp_ics(&c);
	assert_non_null(ics);
	flat = unfold(ics);
	for (size_t i = 0; i < NCASES(names); i++)
		if (strstr(flat, names[i]) != NULL)
			fail_msg("\"%s\" of the patient's name is in the text",
			    names[i]);
	if (strstr(flat, "SUMMARY:SNP – M. Z.-Q. – bilan sanguin\r\n") ==
	    NULL)
		fail_msg("the booking's initials are not in the text");
	free(flat);
	free(ics);
}

/*
 * Of events sharing a start only one is written, the booking over its
 * slot, and a slot keeps its UID once booked. Empty events are dropped.
 */
static void
test_exp_one_uid_per_slot(void **state)
{
	int64_t t = utc(2026, 11, 30, 14, 0), e = utc(2026, 11, 30, 14, 20);
	struct exp_event ev[] = {
		{ t, e, EXP_RESERVED, NULL, NULL, NULL },
		{ t, e, EXP_BOOKED, "b-2", "Ana Lima", NULL },
		{ e, e, EXP_RESERVED, NULL, NULL, NULL },
		{ e + 60, e, EXP_BOOKED, "b-3", "Ana Lima", NULL },
	};
	static const struct want_ev booked[] = {
		{ "snp-gp-a-20261130T140000Z@snpd", "20261130T140000Z",
		    "20261130T142000Z", "CONFIRMED", "SNP – A. L.",
		    "Réservation b-2", "b-2" },
	};
	static const struct want_ev reserved[] = {
		{ "snp-gp-a-20261130T140000Z@snpd", "20261130T140000Z",
		    "20261130T142000Z", "TENTATIVE", "SNP – créneau réservé",
		    NULL, NULL },
	};
	struct exp_cal c = { .gp = "gp-a", .gp_name = "Dr A",
	    .territory = "CPTS", .stamp = utc(2026, 11, 30, 9, 0), .ev = ev,
	    .n = NCASES(ev) };
	icalcomponent *cal;
	char *ics;

	(void)state;
	ics = exp_ics(&c);
	assert_non_null(ics);
	cal = parse_back(ics, "SNP – Dr A");
	check_events(cal, "20261130T090000Z", booked, NCASES(booked));
	icalcomponent_free(cal);
	free(ics);

	c.n = 1;	/* before the booking: the slot alone, same UID */
	ics = exp_ics(&c);
	assert_non_null(ics);
	cal = parse_back(ics, "SNP – Dr A");
	check_events(cal, "20261130T090000Z", reserved, NCASES(reserved));
	icalcomponent_free(cal);
	free(ics);
}

/*
 * On-call shifts get UIDs of their own: a shift starting with a booked
 * slot shows beside it, not instead of it; primary before backup.
 */
static void
test_exp_oncall_beside_slots(void **state)
{
	int64_t t = utc(2026, 11, 30, 13, 0), e = utc(2026, 11, 30, 13, 20);
	int64_t s2 = utc(2026, 11, 30, 16, 0), e2 = utc(2026, 11, 30, 19, 0);
	struct exp_event ev[] = {
		{ t, utc(2026, 11, 30, 16, 0), EXP_ONCALL_PRIMARY, NULL, NULL,
		    NULL },
		{ t, e, EXP_BOOKED, "b-2", "Ana Lima", NULL },
		{ s2, e2, EXP_ONCALL_BACKUP, NULL, NULL, NULL },
	};
	static const struct want_ev want[] = {
		{ "snp-gp-a-20261130T130000Z@snpd", "20261130T130000Z",
		    "20261130T132000Z", "CONFIRMED", "SNP – A. L.",
		    "Réservation b-2", "b-2" },
		{ "snp-oncall-gp-a-20261130T130000Z@snpd", "20261130T130000Z",
		    "20261130T160000Z", "CONFIRMED",
		    "Astreinte téléconsultation (titulaire)", NULL, NULL },
		{ "snp-oncall-gp-a-20261130T160000Z@snpd", "20261130T160000Z",
		    "20261130T190000Z", "CONFIRMED",
		    "Astreinte téléconsultation (suppléant)", NULL, NULL },
	};
	struct exp_cal c = { .gp = "gp-a", .gp_name = "Dr A",
	    .territory = "CPTS", .stamp = utc(2026, 11, 30, 9, 0), .ev = ev,
	    .n = NCASES(ev) };
	icalcomponent *cal;
	char *ics;

	(void)state;
	ics = exp_ics(&c);
	assert_non_null(ics);
	cal = parse_back(ics, "SNP – Dr A");
	check_events(cal, "20261130T090000Z", want, NCASES(want));
	icalcomponent_free(cal);
	free(ics);
}

/*
 * An agenda that republishes the export in the GP's own feed: cal_parse
 * must find neither busy time (our bookings would turn into conflicts)
 * nor offered SNP time (our slots would offer themselves again).
 */
static void
test_exp_cal_sees_nothing(void **state)
{
	static const char *const snp[] = { "SNP" };
	static const char *const oncall[] = { "ASTREINTE", "ONCALL" };
	static const char *const absent[] = { "ABSENCE", "CONGES", "CONGÉS",
		"VACANCES" };
	struct exp_event ev[NCASES(events)];
	struct exp_cal c;
	struct cal_opts o = { 0 };
	struct cal_avail a;
	char why[256] = "";
	char *ics;
	int err;

	(void)state;
	fixture(ev, &c);
	ics = exp_ics(&c);
	assert_non_null(ics);
	o.tz = paris;
	o.from_utc = utc(2026, 10, 1, 0, 0);
	o.to_utc = utc(2027, 1, 1, 0, 0);
	o.markers = (struct cal_markers){ snp, NCASES(snp), oncall,
	    NCASES(oncall), absent, NCASES(absent) };
	o.max_bytes = 10485760;
	o.max_instances = 100000;
	err = cal_parse(ics, strlen(ics), &o, &a, why, sizeof(why));
	if (err != CAL_OK)
		fail_msg("cal_parse: %s: %s", cal_strerror(err), why);
	assert_int_equal(a.events, NCASES(events));
	assert_int_equal(a.warnings, 0);
	if (a.busy.n != 0 || a.absent.n != 0)
		fail_msg("the export reads as busy time (%zu intervals)",
		    a.busy.n);
	if (a.offered_snp.n != 0 || a.offered_oncall.n != 0)
		fail_msg("the export reads as offered time");
	cal_avail_fini(&a);
	free(ics);
}

/* The first code point of each word, a dot, the separators kept. */
static void
test_exp_initials(void **state)
{
	static const struct {
		const char	*name, *want;
	} cases[] = {
		{ "Jean Dupont", "J. D." },
		{ "jean dupont", "J. D." },
		{ "Jean-Marc de la Tour", "J.-M. D. L. T." },
		{ "Élodie Ñuñez", "É. Ñ." },
		{ "élodie ñuñez", "é. ñ." },
		{ "  Jean   Dupont  ", "J. D." },
		{ "Jean\tDupont\n", "J. D." },
		{ "Jean\xc2\xa0" "Dupont", "J. D." },
		{ "Dupont - Martin", "D.-M." },
		{ "Jean--Marc", "J.-M." },
		{ "-Jean-", "J." },
		{ "O'Brien", "O." },
		{ "Łukasz Żółw", "Ł. Ż." },
		{ "李 小龙", "李. 小." },
		{ "🧒 x", "🧒. X." },
		{ "\xff" "abc d", "?. D." },
		{ "\xc3 x", "?. X." },
		{ "\xed\xa0\x80 x", "?. X." },
		{ "", "" },
		{ "   ", "" },
		{ " - ", "" },
	};
	char buf[64];

	(void)state;
	for (size_t i = 0; i < NCASES(cases); i++) {
		memset(buf, 'x', sizeof(buf));
		exp_initials(cases[i].name, buf, sizeof(buf));
		if (strcmp(buf, cases[i].want) != 0)
			fail_msg("case %zu \"%s\": \"%s\", want \"%s\"", i,
			    cases[i].name, buf, cases[i].want);
	}
	memset(buf, 'x', sizeof(buf));
	exp_initials(NULL, buf, sizeof(buf));
	assert_string_equal(buf, "");
}

/*
 * A small buffer keeps whole initials: never half a code point, never a
 * trailing separator; len 0 writes nothing.
 */
static void
test_exp_initials_truncated(void **state)
{
	static const struct {
		const char	*name;
		size_t		 len;
		const char	*want;
	} cases[] = {
		{ "Élodie Ñuñez", 1, "" },
		{ "Élodie Ñuñez", 2, "" },
		{ "Élodie Ñuñez", 3, "" },	/* "É." needs 4 */
		{ "Élodie Ñuñez", 4, "É." },
		{ "Élodie Ñuñez", 7, "É." },	/* " Ñ." needs 4 more */
		{ "Élodie Ñuñez", 8, "É. Ñ." },
		{ "🧒 Jean-Marc", 5, "" },
		{ "🧒 Jean-Marc", 6, "🧒." },
		{ "🧒 Jean-Marc", 8, "🧒." },
		{ "🧒 Jean-Marc", 9, "🧒. J." },
		{ "🧒 Jean-Marc", 11, "🧒. J." },
		{ "🧒 Jean-Marc", 12, "🧒. J.-M." },
	};
	char buf[32];

	(void)state;
	for (size_t i = 0; i < NCASES(cases); i++) {
		memset(buf, 'x', sizeof(buf));
		exp_initials(cases[i].name, buf, cases[i].len);
		if (strcmp(buf, cases[i].want) != 0)
			fail_msg("\"%s\" in %zu bytes: \"%s\", want \"%s\"",
			    cases[i].name, cases[i].len, buf, cases[i].want);
		for (size_t k = strlen(buf) + 1; k < sizeof(buf); k++)
			if (buf[k] != 'x')
				fail_msg("\"%s\" in %zu bytes: wrote byte %zu",
				    cases[i].name, cases[i].len, k);
	}
	buf[0] = 'x';
	exp_initials("Jean", buf, 0);
	assert_int_equal(buf[0], 'x');
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_exp_parse_back),
		cmocka_unit_test(test_exp_oncall_beside_slots),
		cmocka_unit_test(test_exp_no_events),
		cmocka_unit_test(test_exp_same_bytes),
		cmocka_unit_test(test_exp_order_free),
		cmocka_unit_test(test_exp_reason_round_trips),
		cmocka_unit_test(test_exp_reason_controls),
		cmocka_unit_test(test_exp_no_patient_name),
		cmocka_unit_test(test_exp_one_uid_per_slot),
		cmocka_unit_test(test_exp_cal_sees_nothing),
		cmocka_unit_test(test_exp_initials),
		cmocka_unit_test(test_exp_initials_truncated),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
