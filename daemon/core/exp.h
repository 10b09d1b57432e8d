/* One GP's agenda export as iCalendar text: reserved SNP slots, bookings. */
#pragma once

#include <stddef.h>
#include <stdint.h>

/*
 * One GP's agenda export (doc/booking.md): reserved SNP slots, bookings,
 * on-call shifts (doc/oncall.md). Strings are UTF-8; the caller keeps
 * them, exp_ics only reads them.
 */
enum exp_kind {
	EXP_RESERVED, EXP_BOOKED, EXP_CONFLICT,
	EXP_ONCALL_PRIMARY, EXP_ONCALL_BACKUP	/* booking, patient: NULL */
};
struct exp_event {
	int64_t		 start, end;	/* UTC seconds */
	enum exp_kind	 kind;
	const char	*booking;	/* booking id ("b-…"), NULL for
					   EXP_RESERVED */
	const char	*patient_name;	/* only its initials are written;
					   NULL when purged */
	const char	*reason;	/* NULL or "" for none */
};
struct exp_cal {
	const char		*gp;		/* GP id, [A-Za-z0-9._-] */
	const char		*gp_name;	/* "Dr Claire Dupont" */
	const char		*territory;	/* CPTS name; not written yet */
	int64_t			 stamp;		/* DTSTAMP, UTC seconds */
	const struct exp_event	*ev;		/* any order; written sorted
						   by (start, uid) */
	size_t			 n;
};

/*
 * The calendar as text (malloc'd, NUL-terminated, CRLF lines as RFC 5545),
 * or NULL (out of memory). The caller frees it with free().
 *
 * Each event's UID is snp-<gp>-<UTC start as YYYYMMDDTHHMMSSZ>@snpd, so a
 * reserved slot and the booking it becomes are one event to a subscribed
 * agenda. One UID may appear only once in a calendar, so of events sharing
 * a start only one is written: a conflict before a booking before a
 * reserved slot, then the smallest booking id. An on-call shift has its own
 * UID, snp-oncall-<gp>-<UTC start>@snpd (primary before backup when both
 * share a start), and the SUMMARY "Astreinte téléconsultation (titulaire)"
 * or "(suppléant)". A booking's SUMMARY is
 * "[CONFLIT – ]SNP – <initials>[ – <reason>]", with "patient" for initials
 * when the name is purged (NULL) or blank: never the name itself, never a
 * phone. An event with end <= start is not written (RFC 5545 wants DTEND
 * after DTSTART). TEXT may not hold control characters: in the reason they
 * become spaces, except tab and newline (CR LF and a lone CR count as one
 * newline); in the GP's name a newline becomes a space too. libical
 * escapes newlines, commas, semicolons and backslashes. Pure: the same
 * input gives the same bytes.
 *
 * Times are written in UTC through libical's UTC zone, which libical sets
 * up with its built-in zones on first use: call tz_get() on the loop thread
 * first (STYLE.md 6) before calling this on a worker.
 */
char	*exp_ics(const struct exp_cal *c);

/*
 * "Jean-Marc de la Tour" -> "J.-M. D. L. T." style initials: the first
 * UTF-8 code point of each word (words split on spaces and hyphens,
 * hyphens kept), each followed by '.', upper-cased when ASCII; written
 * into buf (always NUL-terminated, truncated safely at a code-point
 * boundary).
 *
 * Exactly: words are split on runs of blanks (space, U+00A0, any ASCII
 * control) and hyphens; leading and trailing runs are dropped; a run
 * between two words is written "-" when it holds a hyphen, else " ". So
 * "Jean Dupont" -> "J. D.", "Élodie  Ñuñez" -> "É. Ñ.", "jean-marc" ->
 * "J.-M.", "Dupont - Martin" -> "D.-M.", an empty or blank name -> "".
 * Only ASCII letters are upper-cased ("élodie" -> "é."): case mapping
 * beyond ASCII needs tables the core does not have. The particles of
 * "de la Tour" are upper-cased too: nothing tells a particle from a name.
 * A byte that does not start a valid UTF-8 sequence gives '?'.
 *
 * Truncation keeps whole initials: buf holds the longest prefix of the full
 * result that ends after a '.' (or is empty) and fits with its NUL, never a
 * part of a code point nor a dangling separator. len 0 writes nothing.
 */
void	exp_initials(const char *name, char *buf, size_t len);
