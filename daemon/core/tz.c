/* The territory's time zone: UTC instants to local wall time and back. */
#include "daemon/core/tz.h"

#include <string.h>
#include <time.h>

#include <libical/ical.h>

/*
 * struct tz is never defined: a const struct tz * is libical's
 * icaltimezone, kept opaque so that callers need no libical header.
 */
static icaltimezone *
tz_zone(const struct tz *z)
{
	return (icaltimezone *)(uintptr_t)z;
}

void
tz_init(void)
{
	icalerror_set_errors_are_fatal(0);
}

void
tz_shutdown(void)
{
	icaltimezone_free_builtin_timezones();
}

const struct tz *
tz_get(const char *name)
{
	icaltimezone *zone;

	if (name == NULL || *name == '\0')
		return NULL;
	if (strcmp(name, "UTC") == 0)
		zone = icaltimezone_get_utc_timezone();
	else
		zone = icaltimezone_get_builtin_timezone(name);
	return (const struct tz *)zone;
}

const char *
tz_name(const struct tz *z)
{
	const char *loc = icaltimezone_get_location(tz_zone(z));

	return loc != NULL ? loc : "UTC";
}

int32_t
tz_offset_s(const struct tz *z, int64_t utc)
{
	struct icaltimetype tt;
	int is_daylight = 0;

	tt = icaltime_from_timet_with_zone((time_t)utc, 0,
	    icaltimezone_get_utc_timezone());
	return icaltimezone_get_utc_offset_of_utc_time(tz_zone(z), &tt,
	    &is_daylight);
}

void
tz_to_local(const struct tz *z, int64_t utc, struct tz_local *out)
{
	int32_t off = tz_offset_s(z, utc);
	time_t local = (time_t)(utc + off);
	struct tm tm;

	gmtime_r(&local, &tm);
	out->year = tm.tm_year + 1900;
	out->month = tm.tm_mon + 1;
	out->day = tm.tm_mday;
	out->hour = tm.tm_hour;
	out->min = tm.tm_min;
	out->sec = tm.tm_sec;
	out->wday = tm.tm_wday;
	out->offset_s = off;
}

/*
 * Days from 1970-01-01 to year-month-01 (proleptic Gregorian), after
 * Howard Hinnant's days_from_civil: eras of 400 years, March-based years.
 */
static int64_t
tz_days_from_civil(int64_t y, int64_t m)
{
	int64_t era, yoe, doy, doe;

	y += (m - 1) >= 0 ? (m - 1) / 12 : -((12 - m) / 12);
	m = ((m - 1) % 12 + 12) % 12 + 1;
	y -= m <= 2;
	era = (y >= 0 ? y : y - 399) / 400;
	yoe = y - era * 400;
	doy = (153 * (m > 2 ? m - 3 : m + 9) + 2) / 5;
	doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
	return era * 146097 + doe - 719468;
}

int64_t
tz_civil(int64_t year, int64_t month, int64_t day, int64_t hour,
    int64_t min, int64_t sec)
{
	/* Days, hours, minutes and seconds are linear: they carry alone. */
	return (tz_days_from_civil(year, month) + day - 1) * 86400 +
	    hour * 3600 + min * 60 + sec;
}

int64_t
tz_from_local(const struct tz *z, int year, int month, int day, int hour,
    int min, int sec)
{
	int64_t wall, u_before, u_after;
	int32_t off_before, off_after;
	int ok_before, ok_after;

	wall = tz_civil(year, month, day, hour, min, sec);  /* as if UTC */

	/*
	 * Real zones change offset at most once in two days, so the offsets
	 * a day before and a day after are the only candidates. A candidate
	 * is right when it maps back to the same wall time.
	 */
	off_before = tz_offset_s(z, wall - 86400);
	off_after = tz_offset_s(z, wall + 86400);
	u_before = wall - off_before;
	u_after = wall - off_after;
	ok_before = tz_offset_s(z, u_before) == off_before;
	ok_after = tz_offset_s(z, u_after) == off_after;
	if (ok_before && ok_after)	/* overlap: the first occurrence */
		return u_before < u_after ? u_before : u_after;
	if (ok_after)
		return u_after;
	/* In a gap, or no transition: the offset before applies. */
	return u_before;
}

int64_t
tz_day_start(const struct tz *z, int64_t utc)
{
	struct tz_local l;

	tz_to_local(z, utc, &l);
	return tz_from_local(z, l.year, l.month, l.day, 0, 0, 0);
}
