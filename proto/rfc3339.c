/* Wire time format: RFC 3339 instants with an offset, and plain dates. */
#include "proto/rfc3339.h"

#include <stdio.h>
#include <string.h>
#include <time.h>

int
rfc3339_month_days(int year, int month)
{
	static const int days[12] = {
		31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31
	};
	bool leap = (year % 4 == 0 && year % 100 != 0) || year % 400 == 0;

	if (month < 1 || month > 12)
		return 0;
	return days[month - 1] + (month == 2 && leap);
}

/* Read exactly n decimal digits; -1 if any is not a digit. */
static int
rfc3339_digits(const char *s, int n)
{
	int v = 0;

	for (int i = 0; i < n; i++) {
		if (s[i] < '0' || s[i] > '9')
			return -1;
		v = v * 10 + (s[i] - '0');
	}
	return v;
}

int
rfc3339_parse(const char *s, struct rfc3339 *out)
{
	int y, mo, d, h, mi, sec, oh, om, sign;
	struct tm tm;
	const char *p;

	memset(out, 0, sizeof(*out));
	if (s == NULL || strlen(s) < 10 || s[4] != '-' || s[7] != '-')
		return -1;
	y = rfc3339_digits(s, 4);
	mo = rfc3339_digits(s + 5, 2);
	d = rfc3339_digits(s + 8, 2);
	/* Years before 1900 are a typo in this domain, never a date. */
	if (y < 1900 || mo < 1 || d < 1 || d > rfc3339_month_days(y, mo))
		return -1;
	if (s[10] == '\0') {
		out->is_date = true;
		out->year = y;
		out->month = mo;
		out->day = d;
		return 0;
	}
	if ((s[10] != 'T' && s[10] != 't' && s[10] != ' ') ||
	    strlen(s) < 20 || s[13] != ':' || s[16] != ':')
		return -1;
	h = rfc3339_digits(s + 11, 2);
	mi = rfc3339_digits(s + 14, 2);
	sec = rfc3339_digits(s + 17, 2);
	/* 60 is a leap second: it reads as the next second. */
	if (h < 0 || h > 23 || mi < 0 || mi > 59 || sec < 0 || sec > 60)
		return -1;
	p = s + 19;
	if (*p == '.') {
		if (p[1] < '0' || p[1] > '9')
			return -1;
		for (p++; *p >= '0' && *p <= '9'; p++)
			;
	}
	if ((*p == 'Z' || *p == 'z') && p[1] == '\0') {
		oh = om = 0;
		sign = 1;
	} else if ((*p == '+' || *p == '-') && strlen(p) == 6 &&
	    p[3] == ':') {
		sign = *p == '-' ? -1 : 1;
		oh = rfc3339_digits(p + 1, 2);
		om = rfc3339_digits(p + 4, 2);
		if (oh < 0 || oh > 23 || om < 0 || om > 59)
			return -1;
	} else
		return -1;

	memset(&tm, 0, sizeof(tm));
	tm.tm_year = y - 1900;
	tm.tm_mon = mo - 1;
	tm.tm_mday = d;
	tm.tm_hour = h;
	tm.tm_min = mi;
	tm.tm_sec = sec;
	/* timegm() reads no time zone state: a pure civil-to-epoch step. */
	out->utc = (int64_t)timegm(&tm) - sign * (oh * 3600 + om * 60);
	return 0;
}

size_t
rfc3339_format(int64_t utc, int32_t offset_s, bool use_z,
    char buf[RFC3339_MAX])
{
	time_t local = (time_t)(utc + offset_s);
	int32_t off = offset_s < 0 ? -offset_s : offset_s;
	struct tm tm;
	int n;

	if (gmtime_r(&local, &tm) == NULL) {
		buf[0] = '\0';
		return 0;
	}
	if (offset_s == 0 && use_z)
		n = snprintf(buf, RFC3339_MAX, "%04d-%02d-%02dT%02d:%02d:%02dZ",
		    tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday, tm.tm_hour,
		    tm.tm_min, tm.tm_sec);
	else
		n = snprintf(buf, RFC3339_MAX,
		    "%04d-%02d-%02dT%02d:%02d:%02d%c%02d:%02d",
		    tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday, tm.tm_hour,
		    tm.tm_min, tm.tm_sec, offset_s < 0 ? '-' : '+',
		    (int)(off / 3600), (int)(off % 3600 / 60));
	return n < 0 || n >= RFC3339_MAX ? 0 : (size_t)n;
}

size_t
rfc3339_format_date(int year, int month, int day, char buf[RFC3339_MAX])
{
	int n = snprintf(buf, RFC3339_MAX, "%04d-%02d-%02d", year, month, day);

	return n < 0 || n >= RFC3339_MAX ? 0 : (size_t)n;
}
