/* Private to the generator: writing iCalendar text as each program does. */
#pragma once

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "bench/gen_feeds.h"

#define GEN_DAY		86400
#define GEN_HOUR	3600
#define GEN_MIN		60

/* One feed being written, and how its program writes. */
struct gen_ics {
	char		*p;		/* the text, NUL-terminated */
	size_t		 n, cap;
	bool		 is_oom;
	/*
	 * Unfolded size as if the zone had its usual name: the filler stops
	 * on it, so that both names of Outlook's zone give the same events.
	 */
	size_t		 n_usual;
	const char	*alias;		/* the unusual name, or NULL */
	int		 alias_delta;	/* usual length minus its */
	enum gen_style	 style;
	const char	*tzid;		/* NULL: floating or UTC times */
	size_t		 gp;		/* the feed's number */
	char		 stamp[20];	/* DTSTAMP: the export's time, UTC */
};

/* One VEVENT: a series' master, one of its overrides, or a lone event. */
struct gen_ev {
	const char	*uid;
	const char	*summary;
	const char	*category;	/* CATEGORIES, or NULL */
	const char	*location;
	const char	*description;	/* escaped, or NULL */
	int64_t		 start, end;	/* wall clock (whole days if all-day) */
	bool		 is_all_day;
	bool		 is_utc;	/* times in UTC whatever the style */
	bool		 is_instant;	/* times are UTC instants already */
	bool		 is_transparent;
	bool		 is_cancelled;
	bool		 has_alarm;
	int		 n_people;	/* ATTENDEEs of a meeting, or 0 */
	size_t		 first_person;	/* the organizer, in a fixed list */
	const char	*rrule;		/* RRULE value, or NULL */
	const int64_t	*exdates;	/* instance starts, wall clock */
	size_t		 n_exdates;
	int64_t		 rid;		/* RECURRENCE-ID, wall clock; 0: none */
	int		 seq;
};

/* What a DESCRIPTION holds, which each program fills its own way. */
enum gen_text {
	GEN_TEXT_SERIES,	/* a consultation series */
	GEN_TEXT_MEETING,	/* an invitation: a Teams or Meet link */
	GEN_TEXT_NOTE,		/* a few words */
};

/* One content line, folded at 75 octets; w->is_oom on failure. */
void		 gen_ics_line(struct gen_ics *w, const char *fmt, ...)
		    __attribute__((format(printf, 2, 3)));
/* VCALENDAR's header and the zone's VTIMEZONE, as the program writes. */
void		 gen_ics_header(struct gen_ics *w);
void		 gen_ics_event(struct gen_ics *w, const struct gen_ev *e);
/* A UID of the program's shape from two random words. */
void		 gen_ics_uid(const struct gen_ics *w, uint64_t a, uint64_t b,
		    char *out, size_t len);
/* The DESCRIPTION the program would write, or NULL for none. */
const char	*gen_ics_description(const struct gen_ics *w,
		    enum gen_text what);
/* The number of ATTENDEEs an invitation may name. */
size_t		 gen_ics_people(void);

/* Days since 1970-01-01 of a civil date; 0 = Sunday for a day. */
int64_t		 gen_ics_days(int y, int m, int d);
int		 gen_ics_wday(int64_t day);
/* Paris's UTC offset in seconds at a local wall time (EU rules). */
int		 gen_ics_paris_off(int64_t wall);
/* "YYYYMMDDTHHMMSS" (or "YYYYMMDD") of wall clock; with Z, its instant. */
const char	*gen_ics_fmt(char out[20], int64_t wall, bool is_date);
const char	*gen_ics_fmt_utc(char out[20], int64_t wall);
