/* The territory's time zone: UTC instants to local wall time and back. */
#pragma once

#include <stdint.h>

/* Local wall-clock time, as the agendas and the SNP window speak it. */
struct tz_local {
	int	year, month, day;	/* month 1..12 */
	int	hour, min, sec;
	int	wday;			/* 0 = Sunday .. 6 = Saturday */
	int32_t	offset_s;		/* east of UTC */
};

struct tz;

/*
 * The zone named by an IANA name ("Europe/Paris"), from libical's
 * built-in zones; NULL when unknown. Zones are owned by libical and live
 * until tz_shutdown(): nothing to free. Call it on the loop thread before
 * any worker uses the zone (libical's zone loading is not thread-safe).
 */
const struct tz	*tz_get(const char *name);
const char	*tz_name(const struct tz *z);

/* Offset of local time from UTC at instant utc, in seconds east. */
int32_t		 tz_offset_s(const struct tz *z, int64_t utc);

/* Broken-down local time of instant utc. */
void		 tz_to_local(const struct tz *z, int64_t utc,
		    struct tz_local *out);

/*
 * The instant of a local wall-clock time, as RFC 5545 3.3.5 reads it: a
 * time in a DST gap moves forward by the gap (02:30 on the spring-forward
 * night is 03:30), a time in an overlap is its first occurrence. Fields
 * may be out of range (hour 24, day 32): they carry like timegm().
 */
int64_t		 tz_from_local(const struct tz *z, int year, int month,
		    int day, int hour, int min, int sec);

/*
 * Seconds since the epoch of a civil date and time read as UTC: what
 * timegm() computes, by arithmetic (no glibc lock, no struct tm). Fields
 * may be out of range and carry (month 13, day 0, hour 24).
 */
int64_t		 tz_civil(int64_t year, int64_t month, int64_t day,
		    int64_t hour, int64_t min, int64_t sec);

/* 00:00 local of the day holding instant utc. */
int64_t		 tz_day_start(const struct tz *z, int64_t utc);

/*
 * Set up libical for use by snpd: errors not fatal (a bad feed must not
 * abort the daemon). Call once at start, before tz_get().
 */
void		 tz_init(void);
/* Free libical's built-in zones (leak checks at exit). */
void		 tz_shutdown(void);
