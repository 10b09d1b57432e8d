/* Wire time format: RFC 3339 instants with an offset, and plain dates. */
#pragma once

#include <stdbool.h>
#include <stdint.h>
#include <stddef.h>

#define RFC3339_MAX	32	/* "2026-03-29T14:00:00+02:00" and a NUL */

/* What a time argument said: an instant, or a calendar day. */
struct rfc3339 {
	bool	 is_date;	/* "2026-03-29": a day, no instant */
	int64_t	 utc;		/* when !is_date: UTC seconds */
	int	 year, month, day;	/* when is_date */
};

/*
 * Parse "YYYY-MM-DDTHH:MM:SS[.frac](Z|±HH:MM)" (T, t or a space between
 * date and time; fractions are truncated) or "YYYY-MM-DD". Returns 0, or
 * -1 when s is anything else or out of range (month 13, February 30).
 */
int	rfc3339_parse(const char *s, struct rfc3339 *out);

/*
 * Format utc as local time at offset_s seconds east of UTC into buf
 * (RFC3339_MAX bytes): "2026-03-29T14:00:00+02:00", or "...Z" when the
 * offset is 0 and use_z. Returns the length written.
 */
size_t	rfc3339_format(int64_t utc, int32_t offset_s, bool use_z,
	    char buf[RFC3339_MAX]);

/* "YYYY-MM-DD" of a civil date into buf (RFC3339_MAX bytes). */
size_t	rfc3339_format_date(int year, int month, int day,
	    char buf[RFC3339_MAX]);

/* Days in a month of the proleptic Gregorian calendar; 0 if month bad. */
int	rfc3339_month_days(int year, int month);
